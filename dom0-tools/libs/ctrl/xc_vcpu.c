/*
 * xc_vcpu.c - a domain's vCPUs as Xen 4.17's libxenctrl shows them: their
 * state (domctl getvcpuinfo) and the physical CPUs they may run on
 * (domctl setvcpuaffinity / getvcpuaffinity), with the CPU maps those
 * take. A map is one bit per physical CPU in xc_get_cpumap_size() bytes;
 * the hypervisor reads and writes it during the call, so it travels in
 * locked memory of its own (xcp_buf_alloc).
 */
#include <stdlib.h>
#include <string.h>
#include "xc_private.h"

int xc_get_max_cpus(xc_interface *xch)
{
	xc_physinfo_t p;

	if (xc_physinfo(xch, &p))
		return -1;
	return (int)p.max_cpu_id + 1;
}

int xc_get_cpumap_size(xc_interface *xch)
{
	int n = xc_get_max_cpus(xch);

	return n < 0 ? -1 : (n + 7) / 8;
}

xc_cpumap_t xc_cpumap_alloc(xc_interface *xch)
{
	int sz = xc_get_cpumap_size(xch);

	if (sz < 0)
		return NULL;
	return calloc(1, (size_t)sz);	/* sets errno when it fails */
}

void xc_cpumap_clearcpu(int cpu, xc_cpumap_t map)
{
	map[cpu / 8] &= (uint8_t)~(1u << (cpu % 8));
}

void xc_cpumap_setcpu(int cpu, xc_cpumap_t map)
{
	map[cpu / 8] |= (uint8_t)(1u << (cpu % 8));
}

int xc_cpumap_testcpu(int cpu, xc_cpumap_t map)
{
	return (map[cpu / 8] >> (cpu % 8)) & 1;
}

int xc_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpu,
		    xc_vcpuinfo_t *info)
{
	struct xen_domctl op = { .cmd = XEN_DOMCTL_getvcpuinfo };
	xc_vcpuinfo_t v = { .vcpu = vcpu };
	int rc = xcp_domid_real(domid);

	if (rc == 0 && !info)
		rc = -EINVAL;
	if (rc == 0) {
		op.domain = (domid_t)domid;
		memcpy(op.u.pad, &v, sizeof(v));
		rc = xcp_domctl(xch, &op);
	}
	if (rc == 0)
		memcpy(info, op.u.pad, sizeof(*info));
	return xc_ret(rc);
}

/*
 * Set (cmd setvcpuaffinity) or get the maps flags names. Each map asked
 * for goes through a locked buffer of the host's map size; what the
 * hypervisor writes back is copied to the caller's.
 */
static int affinity(xc_interface *xch, uint32_t cmd, uint32_t domid, int vcpu,
		    xc_cpumap_t hard, xc_cpumap_t soft, uint32_t flags)
{
	struct xen_domctl op = { .cmd = cmd };
	struct xen_domctl_vcpuaffinity a = { .flags = flags };
	bool want_hard = flags & XEN_VCPUAFFINITY_HARD, want_soft = flags & XEN_VCPUAFFINITY_SOFT;
	uint8_t *bh = NULL, *bs = NULL;
	int sz, rc = xcp_domid_real(domid);

	if (rc < 0)
		return rc;
	if (vcpu < 0 || (!want_hard && !want_soft) || (want_hard && !hard) || (want_soft && !soft))
		return -EINVAL;
	sz = xc_get_cpumap_size(xch);
	if (sz < 0)
		return -errno;
	bh = xcp_buf_alloc((size_t)sz);
	bs = xcp_buf_alloc((size_t)sz);
	if (!bh || !bs) {
		rc = -ENOMEM;
		goto out;
	}
	if (want_hard && cmd == XEN_DOMCTL_setvcpuaffinity)
		memcpy(bh, hard, (size_t)sz);
	if (want_soft && cmd == XEN_DOMCTL_setvcpuaffinity)
		memcpy(bs, soft, (size_t)sz);
	a.vcpu = (uint32_t)vcpu;
	a.cpumap_hard = (struct xenctl_bitmap){ (uintptr_t)bh, (uint32_t)sz * 8 };
	a.cpumap_soft = (struct xenctl_bitmap){ (uintptr_t)bs, (uint32_t)sz * 8 };
	op.domain = (domid_t)domid;
	memcpy(op.u.pad, &a, sizeof(a));
	rc = xcp_domctl(xch, &op);
	if (rc == 0 && want_hard)
		memcpy(hard, bh, (size_t)sz);
	if (rc == 0 && want_soft)
		memcpy(soft, bs, (size_t)sz);
out:
	xcp_buf_free(bh, (size_t)sz);
	xcp_buf_free(bs, (size_t)sz);
	return rc;
}

int xc_vcpu_setaffinity(xc_interface *xch, uint32_t domid, int vcpu,
			xc_cpumap_t cpumap_hard_inout,
			xc_cpumap_t cpumap_soft_inout, uint32_t flags)
{
	return xc_ret(affinity(xch, XEN_DOMCTL_setvcpuaffinity, domid, vcpu,
			       cpumap_hard_inout, cpumap_soft_inout, flags));
}

int xc_vcpu_getaffinity(xc_interface *xch, uint32_t domid, int vcpu,
			xc_cpumap_t cpumap_hard, xc_cpumap_t cpumap_soft,
			uint32_t flags)
{
	return xc_ret(affinity(xch, XEN_DOMCTL_getvcpuaffinity, domid, vcpu,
			       cpumap_hard, cpumap_soft, flags));
}
