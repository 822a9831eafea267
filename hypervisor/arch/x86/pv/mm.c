/*
 * PV memory management, the parts that touch the CPU: CR3 (NEW_BASEPTR and
 * the user L4), update_va_mapping, TLB flushes, and validating the domain
 * builder's boot tables. What an entry may contain is in mm_validate.c; the
 * type and count rules in common/page_type.c; mmu_update and mmuext_op in
 * mm_ops.c; the writable page-table assist in mm_ptwr.c.
 *
 * CR3 holds references: kernel_l4 and user_l4 each hold a general and a
 * PGT_l4 type reference on their frame while the vCPU names it, so an L4
 * in use stays validated (and read-only) after the guest unpins it.
 */
#include <arch.h>
#include <console.h>
#include <guest_access.h>
#include <hypercall.h>
#include <asm/pv.h>
#include <asm/smp.h>
#include <asm/x86.h>
#include <public/errno.h>
#include "emulate.h"   /* arch_host_cpuid */
#include "mm.h"

extern uint64_t boot_l4[512];

uint64_t pv_hv_l4e(unsigned slot)
{
	return boot_l4[slot];
}

/*
 * The frame may be mapped by any domain (grants, foreign mappings): every
 * CPU in a guest that has not flushed since its last writable mapping went
 * (a CPU idling on the hypervisor's tables flushed when it switched there).
 */
void arch_page_flush_tlbs(uint64_t stamp)
{
	cpumask_t m = smp_cpus_not_flushed_since(smp_guest_cpus(), stamp);

	if (m)
		smp_flush_tlb_mask(m);
}

uint64_t arch_tlb_clock(void)
{
	return __atomic_load_n(&tlb_clock, __ATOMIC_ACQUIRE);
}

void arch_page_m2p_set(mfn_t mfn, uint64_t pfn)
{
	m2p_set(mfn, pfn);
}

mfn_t arch_m2p_extent_mfn(uint64_t i)
{
	return m2p_extent_mfn(i);
}

uint64_t arch_m2p_guest_va(void)
{
	return MACH2PHYS_VIRT_START;
}

void pv_flush_tlb_local(void)
{
	tlb_write_cr3(read_cr3());
}

void pv_invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" :: "r"(va) : "memory");
}

/* One page here; the other CPUs running d flush everything (one IPI, no address to pass). */
void pv_invlpg_domain(struct domain *d, uint64_t va)
{
	pv_invlpg(va);
	smp_flush_tlb_mask(smp_domain_cpus(d) & ~cpumask_of(smp_cpu_id()));
}

/* Load the vCPU's current L4 if it is running in that mode. */
static void reload_cr3(struct vcpu *v)
{
	mfn_t l4 = pv_active_l4(v);

	if (v == current_vcpu() && l4 != INVALID_MFN)
		tlb_write_cr3(l4 << FRAME_SHIFT);
}

int pv_finish_devalidation(struct vcpu *v)
{
	struct arch_vcpu *a = av(v);

	if (a->devalidating && page_finish_devalidation(a->devalidating, true))
		return -XEN_ERESTART;
	a->devalidating = 0;
	return 0;
}

/*
 * The reference the old CR3 held (general and L4) goes; its tree's
 * devalidation may stop part-way, and is then v's to finish.
 */
static int put_old_l4(struct vcpu *v, mfn_t old)
{
	int rc = put_page_type_preemptible(old);

	put_page(old);
	if (rc)
		av(v)->devalidating = old;
	return rc;
}

int pv_new_baseptr(struct vcpu *v, mfn_t mfn)
{
	struct arch_vcpu *a = av(v);
	mfn_t old = a->kernel_l4;
	int rc = pv_finish_devalidation(v);

	if (rc)
		return rc;
	rc = get_page_and_type(v->domain, mfn, PGT_l4);
	if (rc)
		return rc;
	a->kernel_l4 = mfn;
	reload_cr3(v);
	return old != INVALID_MFN ? put_old_l4(v, old) : 0;
}

int pv_new_user_baseptr(struct vcpu *v, mfn_t mfn)
{
	struct arch_vcpu *a = av(v);
	mfn_t old = a->user_l4;
	int rc = pv_finish_devalidation(v);

	if (rc)
		return rc;
	if (mfn) {
		rc = get_page_and_type(v->domain, mfn, PGT_l4);
		if (rc)
			return rc;
	}
	a->user_l4 = mfn ? mfn : INVALID_MFN;
	/*
	 * From kernel mode (hypercalls come from there) the user L4 is not in
	 * CR3, and the next switch to user mode loads it, flushing: reloading
	 * the kernel's L4 here would only cost a flush.
	 */
	if (!a->in_kernel)
		reload_cr3(v);
	return old != INVALID_MFN ? put_old_l4(v, old) : 0;
}

int pv_unpin(struct vcpu *v, struct domain *pg_owner, mfn_t mfn)
{
	int rc = pv_finish_devalidation(v);

	if (rc)
		return rc;   /* nothing done yet: this unpin is re-issued */
	rc = page_unpin_preemptible(pg_owner, mfn);
	if (rc != -XEN_ERESTART)
		return rc;
	av(v)->devalidating = mfn;   /* done; the batch finishes this before going on */
	return 0;
}

mfn_t pv_active_l4(struct vcpu *v)
{
	struct arch_vcpu *a = av(v);

	return a->in_kernel ? a->kernel_l4 : a->user_l4;
}

mfn_t pv_find_l1(struct vcpu *v, uint64_t va)
{
	return pv_find_l1_in(pv_active_l4(v), va);
}

mfn_t pv_find_l1_in(mfn_t table, uint64_t va)
{
	static const unsigned shifts[3] = { L4_SHIFT, L3_SHIFT, L2_SHIFT };

	if (table == INVALID_MFN)
		return INVALID_MFN;
	for (unsigned i = 0; i < 3; i++) {
		uint64_t e = pv_frame_va(table)[PT_INDEX(va, shifts[i])];
		if (!(e & PTE_P) || (e & PTE_PS))
			return INVALID_MFN;
		table = (e & PTE_ADDR) >> FRAME_SHIFT;
	}
	return pv_table_level(table) == 1 ? table : INVALID_MFN;
}

/*
 * UVMF_* flush after a change. UVMF_LOCAL flushes this CPU; UVMF_ALL and a
 * vCPU mask (read, then treated as all: a superset is always correct) every
 * CPU running the domain.
 */
static int do_flush(struct domain *d, uint64_t flags, uint64_t va)
{
	bool local = !(flags & ~UVMF_FLUSHTYPE_MASK);
	uint64_t mask;

	if ((flags & ~UVMF_FLUSHTYPE_MASK) && (flags & ~UVMF_FLUSHTYPE_MASK) != UVMF_ALL &&
	    copy_from_guest(&mask, flags & ~UVMF_FLUSHTYPE_MASK, sizeof(mask)))
		return -XEN_EFAULT;
	switch (flags & UVMF_FLUSHTYPE_MASK) {
	case UVMF_TLB_FLUSH:
		if (local)
			pv_flush_tlb_local();
		else
			arch_flush_tlb_domain(d);
		break;
	case UVMF_INVLPG:
		if (local)
			pv_invlpg(va);
		else
			pv_invlpg_domain(d, va);
		break;
	default:
		break;
	}
	return 0;
}

/* The L1 entry mapping va in v's current tables becomes val, mapping a frame of pg_owner. */
static int64_t update_va_mapping(struct vcpu *v, struct domain *pg_owner,
				 uint64_t va, uint64_t val, uint64_t flags)
{
	mfn_t l1;
	int rc;

	if (!guest_range_ok(va, 1))
		return -XEN_EINVAL;
	l1 = pv_find_l1(v, va);
	if (l1 == INVALID_MFN)
		return -XEN_EINVAL;
	rc = pv_mod_entry(v->domain, pg_owner, l1, 1, PT_INDEX(va, L1_SHIFT), val, false);
	if (rc)
		return rc;
	return do_flush(v->domain, flags, va);
}

/* update_va_mapping(va, new_pte, flags) */
int64_t do_update_va_mapping(struct vcpu *v, const uint64_t args[6])
{
	return update_va_mapping(v, v->domain, args[0], args[1], args[2]);
}

/*
 * update_va_mapping_otherdomain(va, new_pte, flags, domid): the frame
 * mapped is domid's (mmu_update's foreigndom). As on Xen 4.17, the caller's
 * own id is not a way to name itself (only DOMID_SELF is): -ESRCH.
 */
int64_t do_update_va_mapping_otherdomain(struct vcpu *v, const uint64_t args[6])
{
	domid_t id = (domid_t)args[3];
	struct domain *pg_owner;
	int rc;

	if (id == v->domain->domain_id)
		return -XEN_ESRCH;
	rc = domain_by_guest_id(v->domain, id, &pg_owner);
	if (rc)
		return rc;
	return update_va_mapping(v, pg_owner, args[0], args[1], args[2]);
}

/* Host bookkeeping the builder leaves to us: each frame it gave d holds d's allocation reference. */
static void adopt_builder_frames(struct domain *d)
{
	const mfn_t *p2m = d->arch->p2m;

	for (uint64_t pfn = 0; pfn < d->arch->nr_p2m; pfn++) {
		struct page_info *pg = mfn_to_page(p2m[pfn]);
		if (pg->owner == d->domain_id && !(pg->flags & PGF_allocated)) {
			pg->flags |= PGF_allocated;
			pg->count++;
			frame_changes++;
		}
	}
}

/*
 * The builder's tables, as MMUEXT_PIN_L4_TABLE would pin them, plus the
 * reference vCPU 0's kernel_l4 (already set to l4 by the builder) holds.
 */
int pv_pin_boot_tables(struct domain *d, mfn_t l4)
{
	uint32_t r[4];
	int rc;

	if (rdmsr(MSR_EFER) & (1 << 11))
		pv_pte_nx = PTE_NX;
	arch_host_cpuid(0x80000000, 0, r);
	if (r[0] >= 0x80000008) {
		arch_host_cpuid(0x80000008, 0, r);
		pv_mfn_end = 1ULL << ((r[0] & 0xff) - FRAME_SHIFT);
	}
	adopt_builder_frames(d);
	do {   /* no guest to return to yet: resume at once, with a fresh budget */
		arch_hypercall_enter();
		rc = page_pin(d, l4, PGT_l4);
	} while (rc == -XEN_ERESTART);
	if (rc)
		return rc;
	rc = get_page_and_type(d, l4, PGT_l4);
	if (rc) {
		page_unpin(d, l4);
		return rc;
	}
	return 0;
}
