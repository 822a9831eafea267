/*
 * What a PV guest's page-table entries may contain, level by level, and the
 * references each present entry holds (common/page_type.c has the essay).
 *
 *   L1 entry, present:  a frame the domain owns (general reference; plus a
 *                       PGT_writable type reference when W is set; its
 *                       shared_info frame is one: page_share), or, for a
 *                       privileged domain, another domain's frame named as
 *                       the foreign domain (a builder's or backend's map;
 *                       only that domain's: never the caller's own instead),
 *                       or a frame that is not RAM (DOMID_IO: no references, no
 *                       type: device memory cannot become a page table),
 *                       except the interrupt controllers' registers, which
 *                       are the hypervisor's (io_apic_mmio_reserved), and
 *                       frames past the CPU's physical address width.
 *   L2/L3/L4 entry:     a frame the domain owns, validated as L1/L2/L3
 *                       (general + type reference). Never a large page
 *                       (PS: CPUID hides PSE from PV guests), never another
 *                       domain's or the hypervisor's frame.
 *   L4 slots 256-271:   the hypervisor's, copied in at validation; the
 *                       guest's values there are ignored and never
 *                       changeable (mmu_update refuses them).
 *   Not present:        anything (Linux keeps swap entries there).
 *   Grant mappings:     written only by mm_grant.c, marked PTE_GNTTAB, which
 *                       no guest-written entry may carry; they hold no
 *                       references (the grant table does), so dropping or
 *                       overwriting one here releases nothing.
 *
 * Every stored entry gets _PAGE_USER: the guest kernel runs in ring 3, so
 * its own mappings must be user-accessible; guest user mode is kept out of
 * them by running on the separate user L4. For the same reason a kernel
 * mapping (one the guest wrote without U) loses _PAGE_GLOBAL: a global entry
 * would survive the switch to the user L4 and expose the kernel to user
 * mode. Reserved bits (52-62, and at L2-L4 PWT/PCD/PS/G, as Xen) are refused.
 *
 * No CPU access here: tests/unit/hypervisor/common/mm_*_test.c link this file.
 */
#include <console.h>
#include <arch.h>
#include <hypercall.h>
#include <public/errno.h>
#include <asm/io_apic.h>
#include "mm.h"

uint64_t pv_pte_nx;
mfn_t pv_mfn_end = (PTE_ADDR >> FRAME_SHIFT) + 1;

uint64_t *pv_frame_va(mfn_t mfn)
{
	return arch_phys_to_virt(mfn << FRAME_SHIFT);
}

static mfn_t entry_mfn(uint64_t e)
{
	return (e & PTE_ADDR) >> FRAME_SHIFT;
}

/* A frame a privileged domain may map without references: not RAM, not ours. */
static bool is_io_frame(mfn_t mfn)
{
	return mfn >= frame_table_size || frame_table[mfn].owner == DOMID_IO;
}

HOT_PATH_MM static int get_l1e(struct domain *d, struct domain *pg_owner, uint64_t e, uint64_t *out)
{
	mfn_t mfn = entry_mfn(e);
	int rc;

	if (e & ~(L1_GUEST_FLAGS | PTE_ADDR))
		return -XEN_EINVAL;
	if (!(e & PTE_U))
		e &= ~PTE_G;
	e |= PTE_U;
	if (!pv_pte_nx)
		e &= ~PTE_NX;
	*out = e;
	/* Xen 4.17 answers -EBUSY for every frame an L1 entry may not name */
	if (is_io_frame(mfn)) {
		/* the IO-APICs and local APIC route interrupts: Linux never maps them (as on Xen) */
		if (d->is_privileged && io_apic_mmio_reserved(mfn))
			return -XEN_EPERM;
		/* nothing is there, and the CPU would fault on the entry (Xen: no I/O access) */
		if (d->is_privileged && mfn >= pv_mfn_end)
			return -XEN_EPERM;
		return d->is_privileged ? 0 : -XEN_EBUSY;
	}
	/*
	 * The named owner's frame only, as Xen: a privileged domain naming a
	 * foreign domain never gets its own frame instead. A frame number that
	 * is not the foreign domain's (a stale or wrong one) must fail, not
	 * quietly map the caller's own memory (Dom0's kernel pages) writable.
	 */
	rc = get_page(pg_owner, mfn);
	if (rc)
		return -XEN_EBUSY;
	if ((e & PTE_W) && get_page_type(d, mfn, PGT_writable)) {
		put_page(mfn);
		return -XEN_EBUSY;
	}
	return 0;
}

HOT_PATH_MM static void put_l1e(uint64_t e)
{
	mfn_t mfn = entry_mfn(e);

	if (e & PTE_GNTTAB)
		return;   /* a grant mapping: its references are the grant table's (mm_grant.c) */
	if (mfn >= frame_table_size || frame_table[mfn].owner >= DOMID_FIRST_RESERVED)
		return;   /* device memory: no references held */
	if (e & PTE_W)
		put_page_type(mfn);
	put_page(mfn);
}

static int get_lne(struct domain *d, unsigned level, uint64_t e, uint64_t *out)
{
	if (e & ~(LN_GUEST_FLAGS | PTE_ADDR))
		return -XEN_EINVAL;
	e |= PTE_U;
	if (!pv_pte_nx)
		e &= ~PTE_NX;
	*out = e;
	if (get_page(d, entry_mfn(e)))
		return -XEN_EINVAL;
	int rc = get_page_type(d, entry_mfn(e), PGT_l1 + level - 2);
	if (rc)
		put_page(entry_mfn(e));
	return rc;
}

HOT_PATH_MM int pv_get_entry(struct domain *d, struct domain *pg_owner, unsigned level, uint64_t e,
		 uint64_t *out)
{
	if (!(e & PTE_P)) {
		*out = e;
		return 0;
	}
	if (level == 1)
		return get_l1e(d, pg_owner, e, out);
	return get_lne(d, level, e, out);
}

HOT_PATH_MM void pv_put_entry(unsigned level, uint64_t e)
{
	if (!(e & PTE_P))
		return;
	if (level == 1)
		put_l1e(e);
	else
		put_page_and_type(entry_mfn(e));
}

/*
 * Tables are sparse: a process's L1s map a few dozen pages each, its upper
 * levels a handful of entries. Testing a group of 8 entries at once cuts the
 * scan of a table (validate, devalidate) to a fifth of its instructions.
 * `i` must be a multiple of SCAN_GROUP; the hypervisor's L4 slots fill whole
 * groups, present, so they never look empty.
 */
#define SCAN_GROUP 8

static inline bool group_not_present(const uint64_t *t, unsigned i)
{
	const uint64_t *g = &t[i];

	return !((g[0] | g[1] | g[2] | g[3] | g[4] | g[5] | g[6] | g[7]) & PTE_P);
}

/* Entries [0, end) of a level-`level` table: drop their references. */
static void put_entries(mfn_t mfn, unsigned level, unsigned end)
{
	uint64_t *t = pv_frame_va(mfn);

	for (unsigned i = 0; i < end; i++) {
		if (i % SCAN_GROUP == 0 && i + SCAN_GROUP <= end && group_not_present(t, i)) {
			i += SCAN_GROUP - 1;
			continue;
		}
		if (level != 4 || l4_slot_is_guest(i))
			pv_put_entry(level, t[i]);
	}
}

/*
 * Preemptible at L2-L4 after each present entry, so a deep tree yields
 * every HYPERCALL_BUDGET_US (the entry just checked may have validated a
 * whole subtree, an L1's 512 entries at most since L1s are not cut, as
 * Xen). Entry `i` returning -XEN_ERESTART holds nothing: the table below
 * it stopped part-way and holds itself (page.h).
 */
int arch_page_validate(struct domain *d, mfn_t mfn, unsigned type, unsigned *next)
{
	unsigned level = type - PGT_l1 + 1;
	uint64_t *t = pv_frame_va(mfn);
	uint64_t e;
	int rc;

	if (type == PGT_seg_desc)
		return 0;   /* descriptors are checked one by one as set_gdt loads them */
	BUG_ON(!page_type_is_table(type) || *next > 512);
	for (unsigned i = *next; i < 512; i++) {
		/* entries read as not present are stored as they are: nothing to take */
		if (i % SCAN_GROUP == 0 && group_not_present(t, i)) {
			i += SCAN_GROUP - 1;
			continue;
		}
		if (level == 4 && !l4_slot_is_guest(i))
			continue;
		/*
		 * Read once, and store exactly what we checked. No writable
		 * mapping or TLB entry of the frame remains (get_page_type
		 * flushed the CPUs that could hold one), so this is belt and
		 * braces, cheap ones.
		 */
		uint64_t raw = __atomic_load_n(&t[i], __ATOMIC_RELAXED);
		rc = pv_get_entry(d, d, level, raw, &e);
		if (rc == -XEN_ERESTART) {
			*next = i;
			return rc;
		}
		if (rc) {
			put_entries(mfn, level, i);
			return rc;
		}
		if (e != raw)
			__atomic_store_n(&t[i], e, __ATOMIC_RELAXED);
		if (level > 1 && (raw & PTE_P) && i < 511 && arch_hypercall_preempt_check()) {
			*next = i + 1;
			return -XEN_ERESTART;
		}
	}
	if (level == 4)
		for (unsigned i = HV_L4_SLOT_FIRST; i <= HV_L4_SLOT_LAST; i++)
			t[i] = pv_hv_l4e(i);
	*next = 512;
	return 0;
}

/*
 * From the last entry down, so entries [0, *end) are always the ones still
 * holding references, as for validation. Preemptible as validation is: at
 * L2-L4, after a present entry has been dropped in this call (progress),
 * and not within an L1. An entry whose table below stopped part-way holds
 * nothing any more: that table holds itself, and *below says to finish it
 * first when this one resumes (page.h).
 */
int arch_page_devalidate(mfn_t mfn, unsigned type, unsigned *end, bool *below, bool preemptible)
{
	unsigned level = type - PGT_l1 + 1;
	const uint64_t *t = pv_frame_va(mfn);
	bool dropped = false;
	int rc;

	if (!page_type_is_table(type)) {
		*end = 0;
		return 0;
	}
	BUG_ON(*end > 512 || (*below && (*end == 0 || level == 1)));
	if (*below) {
		rc = page_finish_devalidation(entry_mfn(t[*end - 1]), preemptible);
		if (rc)
			return rc;
		*below = false;
		--*end;
		dropped = true;
	}
	if (!preemptible || level == 1) {
		put_entries(mfn, level, *end);
		*end = 0;
		return 0;
	}
	while (*end) {
		unsigned i = *end - 1;
		uint64_t e = t[i];

		if (*end % SCAN_GROUP == 0 && group_not_present(t, *end - SCAN_GROUP)) {
			*end -= SCAN_GROUP;
			continue;
		}
		if ((level == 4 && !l4_slot_is_guest(i)) || !(e & PTE_P)) {
			*end = i;
			continue;
		}
		if (dropped && arch_hypercall_preempt_check())
			return -XEN_ERESTART;
		dropped = true;
		rc = put_page_type_preemptible(entry_mfn(e));
		put_page(entry_mfn(e));
		if (rc) {
			*below = true;   /* entry i's table holds itself now */
			return rc;
		}
		*end = i;
	}
	return 0;
}

HOT_PATH_MM unsigned pv_table_level(mfn_t mfn)
{
	const struct page_info *pg;

	if (mfn >= frame_table_size)
		return 0;
	pg = mfn_to_page(mfn);
	if (!pg->type_count || !(pg->flags & PGF_validated) || !page_type_is_table(pg->type))
		return 0;
	return pg->type - PGT_l1 + 1;
}

int pv_mod_entry(struct domain *d, struct domain *pg_owner, mfn_t table, unsigned level,
		 unsigned idx, uint64_t val, bool preserve_ad)
{
	return pv_mod_entry_pending(d, pg_owner, table, level, idx, val, preserve_ad, NULL);
}

HOT_PATH_MM int pv_mod_entry_pending(struct domain *d, struct domain *pg_owner, mfn_t table, unsigned level,
			 unsigned idx, uint64_t val, bool preserve_ad, mfn_t *pending)
{
	uint64_t *slot = &pv_frame_va(table)[idx];
	uint64_t old, e;
	int rc;

	if (idx >= 512 || pv_table_level(table) != level || frame_table[table].owner != d->domain_id)
		return -XEN_EINVAL;
	if (level == 4 && !l4_slot_is_guest(idx))
		return -XEN_EINVAL;   /* the hypervisor's slots */
	/* Take the new entry's references before dropping the old one's: they may name the same frame. */
	rc = pv_get_entry(d, pg_owner, level, val, &e);
	if (rc)
		return rc;
	old = __atomic_load_n(slot, __ATOMIC_RELAXED);
	if (preserve_ad) {
		/* the CPU may set A/D in the old entry meanwhile (another CPU's walk): retry */
		for (;;) {
			uint64_t want = (e & ~(PTE_A | PTE_D)) | (old & (PTE_A | PTE_D));
			if (__atomic_compare_exchange_n(slot, &old, want, false, __ATOMIC_SEQ_CST,
							__ATOMIC_RELAXED))
				break;
		}
	} else {
		old = __atomic_exchange_n(slot, e, __ATOMIC_SEQ_CST);
	}
	if (pending && level > 1 && (old & PTE_P)) {
		if (put_page_type_preemptible(entry_mfn(old)))
			*pending = entry_mfn(old);   /* it holds itself: the general reference may go */
		put_page(entry_mfn(old));
		return 0;
	}
	pv_put_entry(level, old);
	return 0;
}
