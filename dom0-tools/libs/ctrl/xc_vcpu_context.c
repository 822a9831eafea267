/*
 * xc_vcpu_context.c - a vCPU's register state through
 * XEN_DOMCTL_setvcpucontext / getvcpucontext: what a domain builder sets
 * before the first unpause (vCPU 0's entry point, stack, start_info and
 * page tables) and what a debugger or `xl` reads back.
 *
 * The domctl carries struct xen_domctl_vcpucontext { vcpu; pad; handle },
 * the handle the address of a struct vcpu_guest_context (5168 bytes, in
 * locked memory: the hypervisor copies it while we wait).
 */
#include <string.h>
#include "xc_private.h"

static int vcpu_context(xc_interface *xch, uint32_t cmd, uint32_t domid,
			uint32_t vcpu, vcpu_guest_context_any_t *ctxt)
{
	struct xen_domctl op = { .cmd = cmd };
	void *buf;
	int rc;

	rc = xcp_domid_real(domid);
	if (rc < 0)
		return rc;
	if (!ctxt)
		return -EINVAL;
	buf = xcp_buf_alloc(sizeof(*ctxt));
	if (!buf)
		return -ENOMEM;
	memcpy(buf, ctxt, sizeof(*ctxt));
	op.domain = (domid_t)domid;
	op.u.vcpucontext.vcpu = vcpu;
	op.u.vcpucontext.ctxt = (uintptr_t)buf;
	rc = xcp_domctl(xch, &op);
	if (rc == 0 && cmd == XEN_DOMCTL_getvcpucontext)
		memcpy(ctxt, buf, sizeof(*ctxt));
	xcp_buf_free(buf, sizeof(*ctxt));
	return rc;
}

int xc_vcpu_setcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
		       vcpu_guest_context_any_t *ctxt)
{
	return xc_ret(vcpu_context(xch, XEN_DOMCTL_setvcpucontext, domid, vcpu, ctxt));
}

int xc_vcpu_getcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
		       vcpu_guest_context_any_t *ctxt)
{
	return xc_ret(vcpu_context(xch, XEN_DOMCTL_getvcpucontext, domid, vcpu, ctxt));
}
