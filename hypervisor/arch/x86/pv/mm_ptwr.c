/*
 * The writable page-table assist. Linux stores to its own L1 entries
 * directly (set_pte while building the direct map, xchg in
 * ptep_get_and_clear, lock and/btr for COW and reclaim). Those frames are
 * validated L1 tables, mapped read-only, so the store faults; here we
 * decode it (mm_ptwr_decode.c), check the new entry exactly as mmu_update
 * would (pv_mod_entry), write it, and step past the instruction. Only L1s,
 * as Xen: higher levels change through mmu_update.
 *
 * Anything else about the fault (not a write, not guest-kernel mode, the
 * page is not a validated L1 of this domain, a form we do not decode, an
 * entry that does not validate) leaves it to the guest as a #PF.
 */
#include <guest_access.h>
#include <asm/pv.h>
#include "mm.h"
#include "mm_ptwr.h"

/*
 * The frame holding the read-only leaf that maps va in the current tables,
 * when every upper level allows writes (so the leaf is why the store
 * faulted). INVALID_MFN otherwise.
 */
static mfn_t ro_leaf_target(struct vcpu *v, uint64_t va)
{
	mfn_t table = pv_active_l4(v);
	static const unsigned shifts[4] = { L4_SHIFT, L3_SHIFT, L2_SHIFT, L1_SHIFT };
	uint64_t e = 0;

	if (table == INVALID_MFN)
		return INVALID_MFN;
	for (unsigned i = 0; i < 4; i++) {
		e = pv_frame_va(table)[PT_INDEX(va, shifts[i])];
		if (!(e & PTE_P) || (e & PTE_PS) || (i < 3 && !(e & PTE_W)))
			return INVALID_MFN;
		table = (e & PTE_ADDR) >> FRAME_SHIFT;
	}
	return (e & PTE_W) ? INVALID_MFN : table;
}

/* Up to 15 bytes at rip; fewer when the instruction ends at an unmapped page. */
static unsigned fetch(uint64_t rip, uint8_t *buf)
{
	unsigned n;

	if (!copy_from_guest(buf, rip, PV_PTWR_INSN_MAX))
		return PV_PTWR_INSN_MAX;
	for (n = 0; n < PV_PTWR_INSN_MAX; n++)
		if (copy_from_guest(&buf[n], rip + n, 1))
			break;
	return n;
}

/* Out of line: inlined, its decoder would spread the trap path over more pages (HOT_PATH). */
NOINLINE bool pv_ptwr_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2)
{
	struct domain *d = v->domain;
	uint8_t insn[PV_PTWR_INSN_MAX];
	struct cpu_regs after;
	unsigned avail, len, idx = (unsigned)((cr2 & (FRAME_SIZE - 1)) >> 3);
	uint64_t old, val;
	mfn_t l1;

	if (!av(v)->in_kernel || (regs->error_code & (PFEC_P | PFEC_WRITE | PFEC_RSVD | PFEC_INSN)) !=
	    (PFEC_P | PFEC_WRITE))
		return false;
	l1 = ro_leaf_target(v, cr2);
	if (l1 == INVALID_MFN || pv_table_level(l1) != 1 || frame_table[l1].owner != d->domain_id)
		return false;
	avail = fetch(regs->rip, insn);
	old = pv_frame_va(l1)[idx];
	after = *regs;
	if (!pv_ptwr_emulate(insn, avail, &after, (unsigned)(cr2 & 7), old, &val, &len))
		return false;
	if (val != old && pv_mod_entry(d, d, l1, 1, idx, val, false))
		return false;
	after.rip += len;
	*regs = after;
	return true;
}
