/*
 * PV memory management, private to arch/x86/pv/mm*.c and their host tests.
 *
 *   mm_validate.c  what a guest page-table entry may contain, per level; the
 *                  arch_page_validate/devalidate hooks of common/page_type.c;
 *                  mod_entry(), the one way an entry of a validated table
 *                  changes. No CPU access: host unit tests link it.
 *   mm.c           update_va_mapping, CR3 (new_baseptr), boot-table pinning,
 *                  TLB flushes: the parts that touch the CPU.
 *   mm_ops.c       mmu_update and mmuext_op: batch decoding.
 *   mm_ptwr.c      the writable page-table assist (#PF on a read-only L1).
 *   mm_grant.c     grant mappings: entries that name another domain's frame
 *                  and hold no references (the grant table holds them).
 */
#ifndef PV_MM_H
#define PV_MM_H

#include <page.h>
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/page.h>

/*
 * Entry bits a guest may set. Everything else is reserved or ours: bit 62
 * (PTE_GNTTAB) marks a grant mapping (mm_grant.c), as Xen's _PAGE_GNTTAB.
 */
#define PTE_GNTTAB     (1ULL << 62)
#define L1_GUEST_FLAGS (PTE_P | PTE_W | PTE_U | PTE_PWT | PTE_PCD | PTE_A | PTE_D | PTE_PS /* PAT */ | \
			PTE_G | (7ULL << 9) | (0x3ffULL << 52) | PTE_NX)
#define LN_GUEST_FLAGS (PTE_P | PTE_W | PTE_U | PTE_A | PTE_D | (7ULL << 9) | PTE_NX)

/* NX where EFER.NXE is on (set by mm.c; the host tests set it), else 0: NX is stripped. */
extern uint64_t pv_pte_nx;
/*
 * The first frame number past the CPU's physical address width (set by
 * mm.c at boot; until then PTE_ADDR's): no memory or device is there, and
 * an entry naming it would have reserved bits set.
 */
extern mfn_t pv_mfn_end;

/* Hypervisor L4 entry for slot HV_L4_SLOT_FIRST..LAST: what every guest L4 carries. */
uint64_t pv_hv_l4e(unsigned slot);

static inline bool l4_slot_is_guest(unsigned i)
{
	return i < HV_L4_SLOT_FIRST || i > HV_L4_SLOT_LAST;
}

/* Our mapping of a machine frame. */
uint64_t *pv_frame_va(mfn_t mfn);

/*
 * Check a new entry for a table of `level` (1-4) owned by d, whose frame
 * belongs to pg_owner (== d except for a privileged foreign mapping), and
 * take the references it implies. *out: the value to store (user bit forced,
 * global dropped from kernel mappings). 0 or -XEN_E*; nothing held on error.
 */
int pv_get_entry(struct domain *d, struct domain *pg_owner, unsigned level, uint64_t e,
		 uint64_t *out);
/* Drop what pv_get_entry took for the stored value e. */
void pv_put_entry(unsigned level, uint64_t e);

/*
 * Change entry idx of validated table `table` (level 1-4, owned by d) to
 * `val`: validate, write, then drop the old entry's references. With
 * preserve_ad the Accessed/Dirty bits the CPU set in the old entry are kept.
 * Returns 0 or -XEN_E*; nothing changes on error.
 */
int pv_mod_entry(struct domain *d, struct domain *pg_owner, mfn_t table, unsigned level,
		 unsigned idx, uint64_t val, bool preserve_ad);
/*
 * The same, where the caller can continue (mmu_update): when the old entry
 * held the last type reference of a table whose devalidation then stopped
 * part-way, the change is done (0) and *pending names that table, for
 * page_finish_devalidation. *pending is left alone otherwise.
 */
int pv_mod_entry_pending(struct domain *d, struct domain *pg_owner, mfn_t table, unsigned level,
			 unsigned idx, uint64_t val, bool preserve_ad, mfn_t *pending);

/* The level (1-4) of a validated table frame, or 0 when it is not one. */
unsigned pv_table_level(mfn_t mfn);

/* mm.c: the guest vCPU's CR3 choices (NEW_BASEPTR / NEW_USER_BASEPTR; mfn 0: none for user). */
/*
 * Both -XEN_ERESTART when the old L4's devalidation (or one an earlier
 * request left) stopped part-way: the switch is made, and the re-issued
 * request finishes that work before doing the same switch again (a no-op).
 */
int pv_new_baseptr(struct vcpu *v, mfn_t mfn);
int pv_new_user_baseptr(struct vcpu *v, mfn_t mfn);
/*
 * The devalidation a request of v left pending (av(v)->devalidating): go
 * on with it. 0 (done, or none), or -XEN_ERESTART (continue the hypercall).
 */
int pv_finish_devalidation(struct vcpu *v);
/* MMUEXT_UNPIN_TABLE: 0 also when the devalidation is left pending on v. */
int pv_unpin(struct vcpu *v, struct domain *pg_owner, mfn_t mfn);
void pv_flush_tlb_local(void);
/* The L4 v's addresses resolve through now (its kernel or user tables). */
mfn_t pv_active_l4(struct vcpu *v);
/* The validated L1 that maps va in the vCPU's current tables, or INVALID_MFN. */
mfn_t pv_find_l1(struct vcpu *v, uint64_t va);
/* The same from the L4 `l4` (INVALID_MFN: none). */
mfn_t pv_find_l1_in(mfn_t l4, uint64_t va);

/*
 * mm_ptwr.c: a #PF the guest kernel took at cr2; true when it was a store
 * to one of its own L1 entries that we validated, applied and stepped past.
 */
bool pv_ptwr_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2);
void pv_invlpg(uint64_t va);
/* INVLPG here, and a full flush on the other CPUs running d (asm/smp.h shoot-down). */
void pv_invlpg_domain(struct domain *d, uint64_t va);

#endif
