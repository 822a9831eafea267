/*
 * Guest page-table updates. A PV guest may only ever map frames it owns, and
 * never writable when the frame is a page table or descriptor table: that is
 * what keeps it inside its memory. Every entry is checked here before it is
 * written.
 *
 * TODO(#4): this is the minimal update_va_mapping the test guests need; the
 * full type/reference-count state machine, mmu_update, mmuext_op and the
 * writable-page-table assist come with the memory issue.
 */
#include <console.h>
#include <guest_access.h>
#include <hypercall.h>
#include <page.h>
#include <asm/page.h>
#include <asm/pv.h>
#include <asm/x86.h>
#include <public/errno.h>


/* Bits a guest L1 entry may carry: the rest are reserved or ours. */
#define L1_ALLOWED (PTE_P | PTE_W | PTE_U | PTE_PWT | PTE_PCD | PTE_A | PTE_D | (1ULL << 7) | \
		    (7ULL << 9) | PTE_ADDR | PTE_NX)

static bool is_table_type(uint16_t t)
{
	return t >= PGT_l1 && t <= PGT_seg_desc;
}

/*
 * Check a guest L1 entry for domain d; returns the entry to write (with the
 * user bit forced: the guest kernel runs in ring 3) or 0 with *rc set.
 */
static uint64_t check_l1e(struct domain *d, uint64_t e, int *rc)
{
	mfn_t mfn = (e & PTE_ADDR) >> FRAME_SHIFT;

	*rc = 0;
	if (!(e & PTE_P))
		return e;
	if (e & ~L1_ALLOWED) {
		*rc = -XEN_EINVAL;
		return 0;
	}
	if (!mfn_owned_by(mfn, d->domain_id) && mfn != d->shared_info_mfn) {
		*rc = -XEN_EPERM;
		return 0;
	}
	if ((e & PTE_W) && (mfn == d->shared_info_mfn ? false : is_table_type(frame_table[mfn].type))) {
		*rc = -XEN_EPERM;
		return 0;
	}
	return e | PTE_U;
}

/* The L1 entry that maps `va` in the current tables, if the guest owns that L1. */
static uint64_t *find_l1e(struct domain *d, uint64_t va)
{
	uint64_t table = read_cr3() & PTE_ADDR;
	static const unsigned shifts[3] = { L4_SHIFT, L3_SHIFT, L2_SHIFT };

	for (unsigned i = 0; i < 3; i++) {
		uint64_t e = ((uint64_t *)phys_to_virt(table))[PT_INDEX(va, shifts[i])];
		if (!(e & PTE_P) || (e & PTE_PS))
			return NULL;
		table = e & PTE_ADDR;
	}
	if (!mfn_owned_by(table >> FRAME_SHIFT, d->domain_id) ||
	    frame_table[table >> FRAME_SHIFT].type != PGT_l1)
		return NULL;
	return &((uint64_t *)phys_to_virt(table))[PT_INDEX(va, L1_SHIFT)];
}

/* update_va_mapping(va, new_pte, flags) */
int64_t do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags, uint64_t a4, uint64_t a5,
			     uint64_t a6)
{
	struct domain *d = current_vcpu()->domain;
	uint64_t *l1e;
	int rc;

	if (!guest_range_ok(va, 1) || (flags & ~7ULL))
		return -XEN_EINVAL;
	l1e = find_l1e(d, va);
	if (!l1e)
		return -XEN_EINVAL;
	val = check_l1e(d, val, &rc);
	if (rc)
		return rc;
	*l1e = val;
	switch (flags & 3) {
	case 1:   /* UVMF_TLB_FLUSH */
		write_cr3(read_cr3());
		break;
	case 2:   /* UVMF_INVLPG */
		__asm__ volatile("invlpg (%0)" :: "r"(va) : "memory");
		break;
	default:
		break;
	}
	return 0;
}

int64_t do_mmu_update(uint64_t reqs, uint64_t count, uint64_t done, uint64_t foreigndom, uint64_t a5,
		      uint64_t a6)
{
	return -XEN_ENOSYS;   /* TODO(#4) */
}

int64_t do_mmuext_op(uint64_t ops, uint64_t count, uint64_t done, uint64_t foreigndom, uint64_t a5,
		     uint64_t a6)
{
	return -XEN_ENOSYS;   /* TODO(#4) */
}

/* TODO(#4): real validation and counts; today: mark the tree's frames by level. */
static void mark_tree(mfn_t table, unsigned level)
{
	uint64_t *t = phys_to_virt(table << FRAME_SHIFT);

	frame_table[table].type = (uint16_t)(PGT_l1 + level - 1);
	if (level == 1)
		return;
	for (unsigned i = 0; i < 512; i++) {
		if (level == 4 && i >= HV_L4_SLOT_FIRST && i <= HV_L4_SLOT_LAST)
			continue;
		if (t[i] & PTE_P)
			mark_tree((t[i] & PTE_ADDR) >> FRAME_SHIFT, level - 1);
	}
}

int pv_pin_boot_tables(struct domain *d, mfn_t l4)
{
	mark_tree(l4, 4);
	return 0;
}
