/*
 * Guest descriptor tables: set_gdt and update_descriptor.
 *
 * Each vCPU has its own hardware GDT: the guest's entries (validated copies
 * of its frames) followed by the hypervisor's at entry 7168. The guest may
 * only install code and data descriptors; their privilege level is raised to
 * 3 (the guest kernel runs in ring 3), and system descriptors (call gates,
 * TSS, LDT) are refused: they would hand ring-0 entry points to the guest.
 */
#include <console.h>
#include <guest_access.h>
#include <page.h>
#include <asm/desc.h>
#include <asm/pv.h>
#include <asm/x86.h>
#include <public/errno.h>

#define DESC_P    (1ULL << 47)
#define DESC_S    (1ULL << 44)
#define DESC_DPL  (3ULL << 45)

int64_t do_set_gdt(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t do_update_descriptor(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);

/* Check a guest descriptor; returns false to refuse, else the value to install. */
static bool check_descriptor(uint64_t d, uint64_t *out)
{
	if (!(d & DESC_P)) {
		*out = d;
		return true;
	}
	if (!(d & DESC_S))
		return false;
	*out = d | DESC_DPL;
	return true;
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
	return 0;
}

/* The guest's GDT for v, in frames it owns; validated whole before anything changes. */
int pv_set_gdt(struct vcpu *v, const uint64_t *frames, uint64_t entries)
{
	struct arch_vcpu *a = av(v);
	unsigned nr_frames;

	if (entries > FIRST_RESERVED_GDT_ENTRY)
		return -XEN_EINVAL;
	nr_frames = (unsigned)((entries + 511) / 512);
	for (unsigned i = 0; i < nr_frames; i++)
		if (!mfn_owned_by(frames[i], v->domain->domain_id))
			return -XEN_EINVAL;
	for (uint64_t e = 0; e < entries; e++) {
		const uint64_t *f = phys_to_virt(frames[e / 512] << FRAME_SHIFT);
		uint64_t d;
		if (!check_descriptor(f[e % 512], &d))
			return -XEN_EINVAL;
	}
	/*
	 * The frames become descriptor tables (page.h): no writable mapping
	 * may exist or appear while this vCPU uses them. Xen answers -EINVAL.
	 */
	for (unsigned i = 0; i < nr_frames; i++)
		if (get_page_and_type(v->domain, frames[i], PGT_seg_desc)) {
			while (i--)
				put_page_and_type(frames[i]);
			return -XEN_EINVAL;
		}
	for (unsigned i = 0; i < FIRST_RESERVED_GDT_PAGE; i++)
		if (a->gdt_frames[i] != INVALID_MFN)
			put_page_and_type(a->gdt_frames[i]);
	for (uint64_t e = 0; e < FIRST_RESERVED_GDT_ENTRY; e++) {
		uint64_t d = 0;
		if (e < entries)
			check_descriptor(((const uint64_t *)phys_to_virt(frames[e / 512] << FRAME_SHIFT))[e % 512], &d);
		a->gdt[e] = d;
	}
	for (unsigned i = 0; i < FIRST_RESERVED_GDT_PAGE; i++)
		a->gdt_frames[i] = i < nr_frames ? frames[i] : INVALID_MFN;
	a->gdt_ents = (unsigned)entries;
	if (v == current_vcpu())
		gdt_load(a->gdt);
	return 0;
}

/* set_gdt(frame_list, entries) */
int64_t do_set_gdt(uint64_t list, uint64_t entries, uint64_t a3, uint64_t a4, uint64_t a5,
		   uint64_t a6)
{
	uint64_t frames[FIRST_RESERVED_GDT_PAGE];

	if (entries > FIRST_RESERVED_GDT_ENTRY)
		return -XEN_EINVAL;
	if (copy_from_guest(frames, list, (entries + 511) / 512 * sizeof(frames[0])))
		return -XEN_EFAULT;
	return pv_set_gdt(current_vcpu(), frames, entries);
}

/* update_descriptor(maddr, desc): one 8-byte slot of a GDT or LDT frame. */
int64_t do_update_descriptor(uint64_t maddr, uint64_t desc, uint64_t a3, uint64_t a4, uint64_t a5,
			     uint64_t a6)
{
	struct vcpu *v = current_vcpu();
	struct arch_vcpu *a = av(v);
	mfn_t mfn = maddr >> FRAME_SHIFT;
	uint64_t d;

	if (!IS_ALIGNED(maddr, 8) || !mfn_owned_by(mfn, v->domain->domain_id))
		return -XEN_EINVAL;
	if (!check_descriptor(desc, &d))
		return -XEN_EINVAL;
	((uint64_t *)phys_to_virt(maddr))[0] = desc;
	for (unsigned i = 0; i < FIRST_RESERVED_GDT_PAGE; i++)
		if (a->gdt_frames[i] == mfn) {
			uint64_t e = i * 512 + ((maddr & (FRAME_SIZE - 1)) >> 3);
			if (e < a->gdt_ents)
				a->gdt[e] = d;
		}
	return 0;
}
