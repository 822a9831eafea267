/*
 * Grant mappings in a PV guest's page tables: the arch_gnttab_* hooks of
 * common/grant_table*.c (contract in include/grant_table.h).
 *
 * A grant mapping is the one kind of L1 entry that names a frame its table's
 * owner does not own, so it cannot go through pv_get_entry, whose first rule
 * is "the frame must be the domain's". Instead the grant code pins the
 * grant, holding a general reference on the frame and, for a writable
 * mapping, a PGT_writable type reference, and this file writes the entry
 * with PTE_GNTTAB set. Every other path treats the mark as reserved:
 * pv_get_entry refuses it (a guest can neither forge nor copy a grant
 * entry), and put_l1e drops nothing for it, so a guest that overwrites or
 * unhooks a grant mapping releases nothing it does not own. The grant is
 * released only by an unmap (or the domain's end), after the TLB flush.
 *
 * What keeps that sound: a grant entry stays in the slot its map wrote (it
 * never moves), and an unmap or the teardown clears only an entry equal to
 * the one its handle's map wrote, writable bit included. So a frame never
 * has more writable grant entries than writable pins, nor more grant
 * entries than pins, whatever the guest overwrites meanwhile.
 *
 * The entry: present, accessed, dirty, user (every PV entry is), NX where
 * the CPU has it, writable unless GNTMAP_readonly, and GNTMAP_guest_avail
 * bits 16-18 in the entry's available bits 9-11, as Xen does.
 */
#include <arch.h>
#include <console.h>
#include <grant_table.h>
#include <guest_access.h>
#include <asm/pv.h>
#include "mm.h"

/* Where addr (a VA in v's tables, or with contains_pte an entry's machine address) lands. */
static int locate(struct vcpu *v, uint64_t addr, uint32_t flags, mfn_t *l1, unsigned *idx)
{
	if (flags & GNTMAP_contains_pte) {
		if (addr & 7)
			return GNTST_general_error;
		*l1 = addr >> FRAME_SHIFT;
		*idx = (unsigned)((addr & (FRAME_SIZE - 1)) >> 3);
	} else {
		if (!guest_range_ok(addr, 1))
			return GNTST_general_error;
		*l1 = pv_find_l1(v, addr);
		*idx = PT_INDEX(addr, L1_SHIFT);
	}
	if (pv_table_level(*l1) != 1 || !mfn_owned_by(*l1, v->domain->domain_id))
		return GNTST_general_error;   /* not one of the domain's L1 tables */
	return GNTST_okay;
}

static uint64_t grant_pte(mfn_t mfn, uint32_t flags)
{
	uint64_t e = (mfn << FRAME_SHIFT) | PTE_P | PTE_A | PTE_D | PTE_U | PTE_GNTTAB | pv_pte_nx;

	if (!(flags & GNTMAP_readonly))
		e |= PTE_W;
	return e | ((uint64_t)((flags >> _GNTMAP_guest_avail0) & 7) << 9);
}

/*
 * A grant entry never moves (unmap_and_replace refuses one at new_addr): its
 * handle records where it is, and could neither unmap it anywhere else nor
 * clear it when the domain ends, after which it would outlive its pin. Xen
 * lets it move, finding entries by content; Linux never asks for it.
 */
static bool is_grant_entry(uint64_t e)
{
	return (e & (PTE_P | PTE_GNTTAB)) == (PTE_P | PTE_GNTTAB);
}

/*
 * Is e the entry a mapping of mfn with these flags wrote? The frame alone is
 * not enough: a writable handle accepting a read-only entry of its frame
 * (another handle's) would release its writable pin while a writable entry
 * may live on elsewhere, and the frame could then become a page table the
 * guest writes (XSA-234). The rest of the entry the guest cannot change.
 */
static bool is_mapping_of(uint64_t e, mfn_t mfn, uint32_t flags)
{
	const uint64_t key = PTE_P | PTE_W | PTE_GNTTAB | PTE_ADDR;

	return (e & key) == (grant_pte(mfn, flags) & key);
}

int arch_gnttab_map(struct vcpu *v, uint64_t addr, uint32_t flags, mfn_t mfn, uint64_t *pte_maddr)
{
	mfn_t l1;
	unsigned idx;
	uint64_t old;
	int rc = locate(v, addr, flags, &l1, &idx);

	if (rc)
		return rc;
	old = __atomic_exchange_n(&pv_frame_va(l1)[idx], grant_pte(mfn, flags), __ATOMIC_SEQ_CST);
	pv_put_entry(1, old);
	*pte_maddr = (l1 << FRAME_SHIFT) | ((uint64_t)idx << 3);
	return GNTST_okay;
}

int arch_gnttab_unmap(struct vcpu *v, uint64_t addr, uint32_t flags, uint64_t pte_maddr,
		      mfn_t mfn, uint64_t new_addr)
{
	mfn_t l1, nl1;
	unsigned idx, nidx;
	uint64_t *slot, cur, repl = 0;
	int rc = locate(v, addr, flags, &l1, &idx);

	if (rc)
		return rc;
	if (((l1 << FRAME_SHIFT) | ((uint64_t)idx << 3)) != pte_maddr)
		return GNTST_general_error;   /* not where this handle's mapping was made */
	slot = &pv_frame_va(l1)[idx];
	cur = __atomic_load_n(slot, __ATOMIC_RELAXED);
	if (!is_mapping_of(cur, mfn, flags))
		return GNTST_general_error;   /* the guest replaced it meanwhile */
	if (new_addr) {
		if ((flags & GNTMAP_contains_pte) || locate(v, new_addr, 0, &nl1, &nidx))
			return GNTST_general_error;
		if (nl1 == l1 && nidx == idx)
			return GNTST_general_error;
		if (is_grant_entry(__atomic_load_n(&pv_frame_va(nl1)[nidx], __ATOMIC_RELAXED)))
			return GNTST_general_error;   /* only grant code writes one: it cannot appear now */
		/* new_addr's entry, with its references, moves into the slot */
		repl = __atomic_exchange_n(&pv_frame_va(nl1)[nidx], 0, __ATOMIC_SEQ_CST);
	}
	if (!__atomic_compare_exchange_n(slot, &cur, repl, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
		if (new_addr)
			__atomic_store_n(&pv_frame_va(nl1)[nidx], repl, __ATOMIC_SEQ_CST);
		return GNTST_general_error;
	}
	return GNTST_okay;
}

void arch_gnttab_zap(struct domain *d, uint64_t pte_maddr, mfn_t mfn, uint32_t flags)
{
	mfn_t l1 = pte_maddr >> FRAME_SHIFT;
	uint64_t *slot, cur;

	if (pv_table_level(l1) != 1 || !mfn_owned_by(l1, d->domain_id))
		return;
	slot = &pv_frame_va(l1)[(pte_maddr & (FRAME_SIZE - 1)) >> 3];
	cur = __atomic_load_n(slot, __ATOMIC_RELAXED);
	if (is_mapping_of(cur, mfn, flags))
		__atomic_compare_exchange_n(slot, &cur, 0, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}

/* Only d's CPUs can hold d's mappings of the grant (asm/smp.h). */
uint64_t arch_gnttab_flush_tlbs(struct domain *d, bool unlock)
{
	if (unlock)
		return arch_flush_tlb_domain_unlocked(d);
	arch_flush_tlb_domain(d);
	return 0;
}
