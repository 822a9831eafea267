/*
 * The frame audit's x86 PV part (audit.h): what a page-table entry, a CR3,
 * a GDT or LDT frame and the pirq EOI map hold, and the rules entries obey
 * (mm_validate.c's, seen from the other side).
 */
#include <audit.h>
#include <asm/pv.h>
#include "mm.h"
#include "physdev.h"

static void l1_entry(struct audit *a, mfn_t t, const struct domain *d, unsigned idx, uint64_t e)
{
	mfn_t m = (e & PTE_ADDR) >> FRAME_SHIFT;
	domid_t owner = frame_table[t].owner;

	if (e & PTE_GNTTAB)
		return;   /* a grant mapping: the grant's pin holds the frame (audit_domain_refs) */
	if (e & ~(L1_GUEST_FLAGS | PTE_ADDR)) {
		audit_fail(a, t, "L1 %#lx entry %u has reserved bits: %#lx", (unsigned long)t, idx,
			   (unsigned long)e);
		return;
	}
	if (m >= frame_table_size || frame_table[m].owner == DOMID_IO) {
		if (!d || !d->is_privileged)
			audit_fail(a, t, "unprivileged L1 %#lx entry %u maps I/O frame %#lx", (unsigned long)t, idx,
				   (unsigned long)m);
		return;   /* device memory: no references */
	}
	if (frame_table[m].owner == DOMID_XEN) {
		/* only a shared_info the hypervisor has not shared (the host tests' machine) */
		if (!d || m != d->shared_info_mfn)
			audit_fail(a, t, "L1 %#lx entry %u maps the hypervisor's frame %#lx", (unsigned long)t, idx,
				   (unsigned long)m);
		return;
	}
	if (frame_table[m].owner != owner && (!d || !d->is_privileged))
		audit_fail(a, t, "L1 %#lx (domain %u) entry %u maps frame %#lx of domain %u", (unsigned long)t,
			   owner, idx, (unsigned long)m, frame_table[m].owner);
	audit_hold(a, m, (e & PTE_W) ? PGT_writable : PGT_none, "an L1 entry");
}

static void ln_entry(struct audit *a, mfn_t t, unsigned level, unsigned idx, uint64_t e)
{
	mfn_t m = (e & PTE_ADDR) >> FRAME_SHIFT;

	if (e & ~(LN_GUEST_FLAGS | PTE_ADDR)) {
		audit_fail(a, t, "L%u %#lx entry %u has reserved bits: %#lx", level, (unsigned long)t, idx,
			   (unsigned long)e);
		return;
	}
	if (m >= frame_table_size || frame_table[m].owner != frame_table[t].owner) {
		audit_fail(a, t, "L%u %#lx entry %u names frame %#lx, not its owner's", level, (unsigned long)t,
			   idx, (unsigned long)m);
		return;
	}
	if (!(frame_table[m].flags & PGF_validated) || (frame_table[m].flags & PGF_partial))
		audit_fail(a, t, "L%u %#lx entry %u names frame %#lx, not a validated table", level,
			   (unsigned long)t, idx, (unsigned long)m);
	audit_hold(a, m, PGT_l1 + level - 2, "a table entry");
}

void arch_audit_table(struct audit *a, mfn_t t, const struct domain *d)
{
	const struct page_info *pg = &frame_table[t];
	unsigned level = pg->type - PGT_l1 + 1, upto = PAGE_ENTRIES_ALL;
	bool complete = !(pg->flags & PGF_partial);
	const uint64_t *tab;

	if (pg->flags & PGF_partial) {
		upto = pg->validated_upto;
		if ((pg->flags & PGF_deval_below) && upto)
			upto--;   /* that entry's references were handed to the table it names */
	} else if (!(pg->flags & PGF_validated) || !pg->type_count) {
		return;   /* not a table now: its entries hold nothing */
	}
	if (upto > PAGE_ENTRIES_ALL) {
		audit_fail(a, t, "partial table %#lx validated up to %u", (unsigned long)t, upto);
		return;
	}
	tab = pv_frame_va(t);
	for (unsigned i = 0; i < upto; i++) {
		uint64_t e = tab[i];

		if (level == 4 && !l4_slot_is_guest(i)) {
			/*
			 * Copied in when validation completes (the guest's value
			 * until then); the CPU may have set Accessed since.
			 */
			if (complete && ((e ^ pv_hv_l4e(i)) & ~PTE_A))
				audit_fail(a, t, "L4 %#lx slot %u is %#lx, not the hypervisor's", (unsigned long)t, i,
					   (unsigned long)e);
			continue;
		}
		if (!(e & PTE_P))
			continue;
		if (level == 1)
			l1_entry(a, t, d, i, e);
		else
			ln_entry(a, t, level, i, e);
	}
}

/*
 * Descriptor frames hold a general and a PGT_seg_desc reference each, and
 * the hardware table is the checked copy of the entries in use.
 */
static void desc_table(struct audit *a, const char *what, const mfn_t *frames, unsigned nr,
		       const uint64_t *copy, unsigned ents)
{
	for (unsigned i = 0; i < nr; i++)
		if (frames[i] != INVALID_MFN)
			audit_hold(a, frames[i], PGT_seg_desc, what);
	for (unsigned e = 0; e < ents; e++) {
		mfn_t m = e / 512 < nr ? frames[e / 512] : INVALID_MFN;
		uint64_t d = m < frame_table_size ? pv_frame_va(m)[e % 512] : ~0ULL;
		uint64_t want = 0;
		bool ok = m < frame_table_size && pv_check_descriptor(d, &want);

		if (!ok || !copy || copy[e] != want) {
			audit_fail(a, m, "%s entry %u: frame holds %#lx, the hardware table %#lx", what, e,
				   (unsigned long)d, copy ? (unsigned long)copy[e] : 0UL);
			return;
		}
	}
}

void arch_audit_domain_refs(struct audit *a, struct domain *d)
{
	struct physdev_domain *p = physdev_domain_get(d, false);

	for (unsigned n = 0; n < d->max_vcpus; n++) {
		struct arch_vcpu *v = d->vcpus[n] ? av(d->vcpus[n]) : NULL;

		if (!v)
			continue;
		if (v->kernel_l4 != INVALID_MFN)
			audit_hold(a, v->kernel_l4, PGT_l4, "a kernel CR3");
		if (v->user_l4 != INVALID_MFN)
			audit_hold(a, v->user_l4, PGT_l4, "a user CR3");
		desc_table(a, "GDT", v->gdt_frames, FIRST_RESERVED_GDT_PAGE, v->gdt, v->gdt_ents);
		desc_table(a, "LDT", v->ldt_frames, LDT_FRAMES, v->ldt, v->ldt_ents);
	}
	if (p && p->pirq_eoi_mfn != INVALID_MFN)
		audit_hold(a, p->pirq_eoi_mfn, PGT_writable, "the pirq EOI map");
}
