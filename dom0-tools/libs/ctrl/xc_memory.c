/*
 * xc_memory.c - another domain's memory through memory_op: populate_physmap
 * and decrease_reservation naming that domain (privileged). The extent
 * list travels in locked memory (xcp_buf_alloc) and comes back whole:
 * for a PV domain populate writes the machine frame of each extent done.
 */
#include <stdint.h>
#include <string.h>
#include "xc_private.h"

/* One reservation op on a locked copy: extents done, or -errno. */
static long reservation(xc_interface *xch, unsigned int cmd, uint32_t domid,
			unsigned long nr_extents, unsigned int extent_order,
			unsigned int mem_flags, xen_pfn_t *extent_start)
{
	size_t len = (size_t)nr_extents * sizeof(xen_pfn_t);
	struct xen_memory_reservation *res;
	xen_pfn_t *list = NULL;
	long rc;

	if (domid > UINT16_MAX || (nr_extents && !extent_start))
		return -EINVAL;
	/* len, and len rounded up to pages, must not wrap */
	if (nr_extents > (SIZE_MAX - XC_PAGE_SIZE) / sizeof(xen_pfn_t))
		return -EINVAL;
	res = xcp_buf_alloc(sizeof(*res));
	if (nr_extents)
		list = xcp_buf_alloc(len);
	if (!res || (nr_extents && !list)) {
		rc = -ENOMEM;
		goto out;
	}
	if (nr_extents)
		memcpy(list, extent_start, len);
	*res = (struct xen_memory_reservation){
		.extent_start = (uintptr_t)list, .nr_extents = nr_extents,
		.extent_order = extent_order, .mem_flags = mem_flags,
		.domid = (domid_t)domid,
	};
	rc = xcp_hypercall(xch, __HYPERVISOR_memory_op, cmd, (uintptr_t)res, 0, 0, 0);
	if (rc >= 0 && nr_extents)
		memcpy(extent_start, list, len);
out:
	xcp_buf_free(list, len);
	xcp_buf_free(res, sizeof(*res));
	return rc;
}

int xc_domain_populate_physmap(xc_interface *xch, uint32_t domid,
			       unsigned long nr_extents, unsigned int extent_order,
			       unsigned int mem_flags, xen_pfn_t *extent_start)
{
	return xc_ret(reservation(xch, XENMEM_populate_physmap, domid, nr_extents,
				  extent_order, mem_flags, extent_start));
}

int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid,
				     unsigned long nr_extents, unsigned int extent_order,
				     unsigned int mem_flags, xen_pfn_t *extent_start)
{
	long rc = reservation(xch, XENMEM_populate_physmap, domid, nr_extents,
			      extent_order, mem_flags, extent_start);

	if (rc >= 0 && (unsigned long)rc != nr_extents) {
		xc_err("dom%u: populate_physmap gave %ld of %lu extents of order %u",
		       domid, rc, nr_extents, extent_order);
		rc = -EBUSY;
	}
	return xc_ret(rc < 0 ? rc : 0);
}

int xc_domain_decrease_reservation(xc_interface *xch, uint32_t domid,
				   unsigned long nr_extents, unsigned int extent_order,
				   xen_pfn_t *extent_start)
{
	return xc_ret(reservation(xch, XENMEM_decrease_reservation, domid, nr_extents,
				  extent_order, 0, extent_start));
}

int xc_domain_decrease_reservation_exact(xc_interface *xch, uint32_t domid,
					 unsigned long nr_extents, unsigned int extent_order,
					 xen_pfn_t *extent_start)
{
	long rc = reservation(xch, XENMEM_decrease_reservation, domid, nr_extents,
			      extent_order, 0, extent_start);

	if (rc >= 0 && (unsigned long)rc != nr_extents) {
		xc_err("dom%u: decrease_reservation freed %ld of %lu extents of order %u",
		       domid, rc, nr_extents, extent_order);
		rc = -EINVAL;
	}
	return xc_ret(rc < 0 ? rc : 0);
}
