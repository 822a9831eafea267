/*
 * The domctls that look at or fill a domain's frames: getpageframeinfo3
 * (what save and the PV builder learn of each frame) and hypercall_init
 * (a builder's hypercall page for a kernel that asks for one).
 */
#include <arch.h>
#include <guest_access.h>
#include <page.h>
#include <public/errno.h>
#include "domctl.h"

/*
 * A frame's XEN_DOMCTL_PFINFO_* type, from the frame table: a table level
 * while some reference relies on it (plus LPINTAB if pinned); XTAB when
 * the frame is not the domain's own (the hypervisor's shared_info among
 * them, as Xen's "special" pages).
 */
static uint64_t frame_type(const struct domain *d, uint64_t mfn)
{
	const struct page_info *pg;
	uint64_t type = XEN_DOMCTL_PFINFO_NOTAB;

	if (!mfn_owned_by(mfn, d->domain_id))
		return XEN_DOMCTL_PFINFO_XTAB;
	pg = mfn_to_page(mfn);
	if (pg->flags & PGF_xen_shared)
		return XEN_DOMCTL_PFINFO_XTAB;
	if (page_type_is_table(pg->type) && pg->type_count)
		type = (uint64_t)(pg->type - PGT_l1 + 1) << XEN_DOMCTL_PFINFO_LTAB_SHIFT;
	if (pg->flags & PGF_pinned)
		type |= XEN_DOMCTL_PFINFO_LPINTAB;
	return type;
}

/* Xen 4.17: at most 1024 per call (-E2BIG); each entry is overwritten in turn. */
int64_t domctl_getpageframeinfo3(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	const struct xen_domctl_getpageframeinfo3 *g = &op->u.getpageframeinfo3;

	if (g->num > XEN_DOMCTL_PFINFO_MAX)
		return -XEN_E2BIG;
	for (uint64_t i = 0; i < g->num; i++) {
		uint64_t va = g->array + i * sizeof(uint64_t), mfn, type;

		if (copy_from_guest(&mfn, va, sizeof(mfn)))
			return -XEN_EFAULT;
		type = frame_type(d, mfn);
		if (copy_to_guest(va, &type, sizeof(type)))
			return -XEN_EFAULT;
	}
	return 0;
}

/*
 * Xen 4.17's answers: a frame the domain does not own -EINVAL; one that
 * cannot be written (a page table, a descriptor table) -EPERM.
 */
int64_t domctl_hypercall_init(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	uint64_t mfn = op->u.hypercall_init.gmfn;

	if (get_page(d, mfn))
		return -XEN_EINVAL;
	if (get_page_type(d, mfn, PGT_writable)) {
		put_page(mfn);
		return -XEN_EPERM;
	}
	arch_hypercall_page_fill(arch_phys_to_virt(mfn << FRAME_SHIFT));
	put_page_and_type(mfn);
	return 0;
}
