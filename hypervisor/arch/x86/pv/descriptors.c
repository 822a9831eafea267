/*
 * Guest descriptor tables: set_gdt and update_descriptor.
 *
 * Each vCPU has its own hardware GDT: the guest's entries (validated copies
 * of its frames) followed by the hypervisor's at entry 7168. The guest may
 * install code and data descriptors, whose privilege level is raised to 3
 * (the guest kernel runs in ring 3), and, as on Xen, call gates and the
 * type-0 descriptor that is a 64-bit gate's upper half. Other system
 * descriptors (TSS, LDT, interrupt and trap gates) are refused: they would
 * hand ring-0 state or entry points to the guest (desc_check.c).
 * Frames are reached through arch_phys_to_virt, as in mm_validate.c, so the
 * host fuzzers (tests/fuzz) can link this file.
 */
#include <arch.h>
#include <console.h>
#include <guest_access.h>
#include <hypercall.h>
#include <page.h>
#include <asm/desc.h>
#include <asm/pv.h>
#include <asm/x86.h>
#include <public/errno.h>
#include "mm.h"

static uint64_t desc_in_frames(const uint64_t *frames, uint64_t e)
{
	return ((const uint64_t *)arch_phys_to_virt(frames[e / 512] << FRAME_SHIFT))[e % 512];
}

/* Drop the references of the first n frames (INVALID_MFN: an unused slot). */
static void put_desc_frames(const uint64_t *frames, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (frames[i] != INVALID_MFN)
			put_page_and_type(frames[i]);
}

/* A 64-bit LDT system descriptor's low half (type 2, present, DPL 0). */
static uint64_t ldt_descriptor_lo(uint64_t base, uint64_t limit)
{
	return (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x82ULL << 40) |
	       (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
}

int pv_gdt_alloc(struct vcpu *v)
{
	struct arch_vcpu *a = av(v);

	a->gdt = xzalloc_bytes(GDT_ENTRIES * 8);
	if (!a->gdt)
		return -XEN_ENOMEM;
	gdt_init_hv_entries(a->gdt);
	for (unsigned i = 0; i < FIRST_RESERVED_GDT_PAGE; i++)
		a->gdt_frames[i] = INVALID_MFN;
	for (unsigned i = 0; i < LDT_FRAMES; i++)
		a->ldt_frames[i] = INVALID_MFN;
	return 0;
}

/*
 * Descriptor frames (GDT and LDT): the frames become PGT_seg_desc (page.h),
 * read-only to the guest, so no writable mapping may exist or appear while
 * a vCPU uses them; their descriptors are then checked whole. Nothing is
 * held on failure: -XEN_EINVAL, Xen's answer. The hardware uses our
 * validated copy (fill_desc_table), never the frames.
 */
static int take_desc_frames(struct domain *d, const uint64_t *frames, uint64_t entries)
{
	unsigned nr = (unsigned)((entries + 511) / 512);
	uint64_t desc;

	for (unsigned i = 0; i < nr; i++)
		if (get_page_and_type(d, frames[i], PGT_seg_desc)) {
			put_desc_frames(frames, i);
			return -XEN_EINVAL;
		}
	for (uint64_t e = 0; e < entries; e++)
		if (!pv_check_descriptor(desc_in_frames(frames, e), &desc)) {
			put_desc_frames(frames, nr);
			return -XEN_EINVAL;
		}
	return 0;
}

/*
 * Would take_desc_frames succeed now? For callers that check a whole
 * request before they take anything (a vCPU context); under the big lock
 * the answer holds until they act.
 */
int pv_desc_frames_check(struct domain *d, const uint64_t *frames, uint64_t entries)
{
	unsigned nr = (unsigned)((entries + 511) / 512);
	uint64_t desc;

	for (unsigned i = 0; i < nr; i++)
		if (!page_type_available(d, frames[i], PGT_seg_desc))
			return -XEN_EINVAL;
	for (uint64_t e = 0; e < entries; e++)
		if (!pv_check_descriptor(desc_in_frames(frames, e), &desc))
			return -XEN_EINVAL;
	return 0;
}

/*
 * The frames behind an LDT of `ents` descriptors at `base`, looked up in
 * the tables rooted at l4 (Xen's rules: page-aligned, at most 8192
 * entries, in the guest's half; every page mapped).
 */
static int ldt_frames(mfn_t l4, uint64_t base, uint64_t ents, uint64_t frames[LDT_FRAMES])
{
	unsigned nr_frames = (unsigned)((ents + 511) / 512);

	if ((base & (FRAME_SIZE - 1)) || ents > LDT_ENTRIES ||
	    (ents && !guest_range_ok(base, ents * 8)))
		return -XEN_EINVAL;
	for (unsigned i = 0; i < nr_frames; i++) {
		uint64_t va = base + (uint64_t)i * FRAME_SIZE;
		mfn_t l1 = pv_find_l1_in(l4, va);
		uint64_t e = l1 == INVALID_MFN ? 0 : pv_frame_va(l1)[PT_INDEX(va, L1_SHIFT)];

		if (!(e & PTE_P))
			return -XEN_EINVAL;
		frames[i] = (e & PTE_ADDR) >> FRAME_SHIFT;
	}
	return 0;
}

/* pv_set_ldt's checks, on the tables rooted at l4, changing nothing. */
int pv_ldt_check(struct domain *d, mfn_t l4, uint64_t base, uint64_t ents)
{
	uint64_t frames[LDT_FRAMES];

	if (ldt_frames(l4, base, ents, frames))
		return -XEN_EINVAL;
	return pv_desc_frames_check(d, frames, ents);
}

/* Slots [0, slots) of a hardware table: the checked entries, then zeroes. */
static void fill_desc_table(uint64_t *table, unsigned slots, const uint64_t *frames, uint64_t entries)
{
	for (uint64_t e = 0; e < slots; e++) {
		uint64_t d = 0;
		if (e < entries)
			pv_check_descriptor(desc_in_frames(frames, e), &d);
		table[e] = d;
	}
}

/* The guest's GDT for v, in frames it owns. */
int pv_set_gdt(struct vcpu *v, const uint64_t *frames, uint64_t entries)
{
	struct arch_vcpu *a = av(v);
	unsigned nr_frames = (unsigned)((entries + 511) / 512);

	if (entries > FIRST_RESERVED_GDT_ENTRY)
		return -XEN_EINVAL;
	if (take_desc_frames(v->domain, frames, entries))
		return -XEN_EINVAL;
	put_desc_frames(a->gdt_frames, FIRST_RESERVED_GDT_PAGE);
	fill_desc_table(a->gdt, FIRST_RESERVED_GDT_ENTRY, frames, entries);
	for (unsigned i = 0; i < FIRST_RESERVED_GDT_PAGE; i++)
		a->gdt_frames[i] = i < nr_frames ? frames[i] : INVALID_MFN;
	a->gdt_ents = (unsigned)entries;
	if (v == current_vcpu())
		gdt_load(a->gdt);
	return 0;
}

/*
 * The guest's LDT for v: `ents` descriptors at linear address `base`. Unlike
 * Xen, which maps each LDT page on the first fault that needs it, we take
 * the frames now, from v's current page tables: a page that is not mapped,
 * not the guest's, mapped writable somewhere or holding a descriptor we
 * refuse makes set_ldt fail (-XEN_EINVAL), and the old LDT stays. The
 * hardware LDT is our validated copy, named by the SEL_LDT slot of v's GDT.
 */
int pv_set_ldt(struct vcpu *v, uint64_t base, uint64_t ents)
{
	struct arch_vcpu *a = av(v);
	uint64_t frames[LDT_FRAMES];
	unsigned nr_frames = (unsigned)((ents + 511) / 512);

	if (ldt_frames(pv_active_l4(v), base, ents, frames))
		return -XEN_EINVAL;
	if (ents && !a->ldt && !(a->ldt = xzalloc_bytes(LDT_ENTRIES * 8)))
		return -XEN_ENOMEM;
	if (take_desc_frames(v->domain, frames, ents))
		return -XEN_EINVAL;
	put_desc_frames(a->ldt_frames, LDT_FRAMES);
	if (ents)
		fill_desc_table(a->ldt, (unsigned)ents, frames, ents);
	for (unsigned i = 0; i < LDT_FRAMES; i++)
		a->ldt_frames[i] = i < nr_frames ? frames[i] : INVALID_MFN;
	a->ldt_base = base;
	a->ldt_ents = (unsigned)ents;
	a->gdt[SEL_LDT / 8] = ents ? ldt_descriptor_lo((uint64_t)a->ldt, ents * 8 - 1) : 0;
	a->gdt[SEL_LDT / 8 + 1] = ents ? (uint64_t)a->ldt >> 32 : 0;
	if (v == current_vcpu())
		pv_load_ldt(v);
	return 0;
}

/* LDTR for v, about to run here with its GDT loaded; NULL: the CPU idles, with none. */
void pv_load_ldt(struct vcpu *v)
{
	__asm__ volatile("lldt %w0" :: "r"(v && av(v)->ldt_ents ? SEL_LDT : 0));
}

/* set_gdt(frame_list, entries) */
int64_t do_set_gdt(struct vcpu *v, const uint64_t args[6])
{
	uint64_t frames[FIRST_RESERVED_GDT_PAGE];
	uint64_t list = args[0], entries = args[1];

	if (entries > FIRST_RESERVED_GDT_ENTRY)
		return -XEN_EINVAL;
	if (copy_from_guest(frames, list, (entries + 511) / 512 * sizeof(frames[0])))
		return -XEN_EFAULT;
	return pv_set_gdt(v, frames, entries);
}

/*
 * update_descriptor(maddr, desc): one 8-byte slot of a frame of the caller's.
 * As Xen: a descriptor frame stays one (and our copies follow); any other
 * frame must be one the guest could map writable, so never a page table.
 */
int64_t do_update_descriptor(struct vcpu *v, const uint64_t args[6])
{
	struct domain *dom = v->domain;
	uint64_t maddr = args[0], desc = args[1];
	mfn_t mfn = maddr >> FRAME_SHIFT;
	uint64_t slot = (maddr & (FRAME_SIZE - 1)) >> 3;
	uint64_t d;

	if (!IS_ALIGNED(maddr, 8) || !mfn_owned_by(mfn, dom->domain_id))
		return -XEN_EINVAL;
	if (!pv_check_descriptor(desc, &d))
		return -XEN_EINVAL;
	if (get_page_and_type(dom, mfn,
			      frame_table[mfn].type == PGT_seg_desc ? PGT_seg_desc : PGT_writable))
		return -XEN_EINVAL;
	((uint64_t *)arch_phys_to_virt(maddr))[0] = desc;
	/* every vCPU that loaded the frame as its GDT or LDT uses our copy of it */
	for (unsigned n = 0; n < dom->max_vcpus; n++) {
		struct arch_vcpu *a = dom->vcpus[n] ? av(dom->vcpus[n]) : NULL;

		for (unsigned i = 0; a && i < FIRST_RESERVED_GDT_PAGE; i++)
			if (a->gdt_frames[i] == mfn && i * 512 + slot < a->gdt_ents)
				a->gdt[i * 512 + slot] = d;
		for (unsigned i = 0; a && i < LDT_FRAMES; i++)
			if (a->ldt_frames[i] == mfn && i * 512 + slot < a->ldt_ents)
				a->ldt[i * 512 + slot] = d;
	}
	put_page_and_type(mfn);
	return 0;
}

/* Teardown: the GDT and LDT frames' references go; the vCPU runs no more. */
void pv_desc_relinquish(struct vcpu *v)
{
	struct arch_vcpu *a = av(v);

	put_desc_frames(a->gdt_frames, FIRST_RESERVED_GDT_PAGE);
	put_desc_frames(a->ldt_frames, LDT_FRAMES);
	for (unsigned i = 0; i < FIRST_RESERVED_GDT_PAGE; i++)
		a->gdt_frames[i] = INVALID_MFN;
	for (unsigned i = 0; i < LDT_FRAMES; i++)
		a->ldt_frames[i] = INVALID_MFN;
	a->gdt_ents = 0;
	a->ldt_ents = 0;
}

void pv_desc_free(struct vcpu *v)
{
	struct arch_vcpu *a = av(v);

	xfree_bytes(a->gdt, GDT_ENTRIES * 8);
	xfree_bytes(a->ldt, LDT_ENTRIES * 8);
	a->gdt = NULL;
	a->ldt = NULL;
}
