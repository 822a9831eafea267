/*
 * xc_mmuext.c - mmuext_op on behalf of another domain: a domain builder
 * pins the new guest's boot L4 (MMUEXT_PIN_L4_TABLE naming the guest as
 * the foreign domain), which makes the hypervisor validate the whole
 * tree and keeps it typed as page tables until the guest unpins it.
 */
#include <string.h>
#include "xc_private.h"

static long mmuext(xc_interface *xch, struct mmuext_op *op, unsigned int nr_ops,
		   uint32_t dom)
{
	size_t len = (size_t)nr_ops * sizeof(*op);
	void *buf;
	long rc;

	if (!op || nr_ops == 0)
		return -EINVAL;
	/* DOMID_SELF is fine here (our own tables); any other must fit domid_t. */
	if (dom > UINT16_MAX)
		return -EINVAL;
	buf = xcp_buf_alloc(len);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, op, len);
	rc = xcp_hypercall(xch, __HYPERVISOR_mmuext_op, (uintptr_t)buf, nr_ops, 0, dom, 0);
	xcp_buf_free(buf, len);
	return rc;
}

int xc_mmuext_op(xc_interface *xch, struct mmuext_op *op, unsigned int nr_ops,
		 uint32_t dom)
{
	return xc_ret(mmuext(xch, op, nr_ops, dom));
}
