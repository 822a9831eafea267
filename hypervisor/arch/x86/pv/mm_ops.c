/*
 * mmu_update and mmuext_op: batches of page-table operations. Each request
 * is copied in once, decoded, and handed to a worker that validates it in
 * full before changing anything; the batch stops at the first failure,
 * reporting how many requests were done in *done (when given), as Xen does.
 *
 * Long batches yield (docs/memory.md "Continuations"): after each request
 * the batch asks arch_hypercall_preempt_check() and, when told to, continues
 * as Xen does: the call is re-issued with reqs advanced past the requests
 * done, count = the rest | MMU_UPDATE_PREEMPTED, and the running total in
 * *done (a continuation adds to what *done holds). Without a done pointer
 * the guest sees only the final result, as on Xen. A request that starts
 * validating a big tree (a pin, NEW_BASEPTR, an L2-L4 entry naming an
 * unvalidated table) may itself stop part-way (-XEN_ERESTART, page.h): it
 * is not counted as done, and the continuation starts with it, resuming
 * the validation where it stopped. Devalidation stops part-way too: an
 * unpin whose tree's devalidation stopped is done, and the batch continues
 * (even with no request left) finishing that first (av(v)->devalidating,
 * as Xen's old_guest_table); so is an mmu_update whose old L2-L4 entry
 * held the last reference of a tree; a NEW_BASEPTR is re-issued (mm.h).
 * Hence not hypercall_batch: a request may be left half done, the count of
 * those done goes to the guest with the error, and devalidation is owed.
 */
#include <arch.h>
#include <console.h>
#include <guest_access.h>
#include <hypercall.h>
#include <asm/pv.h>
#include <public/errno.h>
#include "mm.h"

/* MMU_NORMAL_PT_UPDATE and friends: ptr is the machine address of an entry. */
HOT_PATH_MM static int pt_update(struct vcpu *v, struct domain *pg_owner, uint64_t ptr, uint64_t val,
		     bool preserve_ad)
{
	struct domain *d = v->domain;
	mfn_t mfn = ptr >> FRAME_SHIFT;
	unsigned idx = (unsigned)((ptr & (FRAME_SIZE - 1)) >> 3);
	unsigned level;
	int rc;

	if (ptr & 7)
		return -XEN_EINVAL;
	if (get_page(d, mfn))
		return -XEN_EINVAL;   /* the table must be ours */
	level = pv_table_level(mfn);
	if (level) {
		/* an old L2-L4 entry's tree may be left devalidating: the batch finishes it next */
		rc = pv_mod_entry_pending(d, pg_owner, mfn, level, idx, val, preserve_ad,
					  &av(v)->devalidating);
	} else {
		/* Not a table in use (Linux fills tables before pinning): plain memory. */
		rc = get_page_type(d, mfn, PGT_writable);
		if (!rc) {
			pv_frame_va(mfn)[idx] = val;
			put_page_type(mfn);
		}
	}
	put_page(mfn);
	return rc;
}

/* MMU_MACHPHYS_UPDATE: M2P[mfn] = val for a frame of pg_owner. */
static int machphys_update(struct domain *pg_owner, uint64_t ptr, uint64_t val)
{
	mfn_t mfn = ptr >> FRAME_SHIFT;

	if (get_page(pg_owner, mfn))
		return -XEN_EINVAL;
	arch_page_m2p_set(mfn, val);
	put_page(mfn);
	return 0;
}

/*
 * Where a batch starts: count without the preempted flag, and the requests
 * already done by earlier parts of it (read back from *done).
 */
HOT_PATH_MM static int batch_start(uint64_t count, uint64_t done, uint32_t *n, uint32_t *before)
{
	*n = mmu_count_remaining(count);
	*before = 0;
	if (mmu_count_preempted(count) && done && copy_from_guest(before, done, sizeof(*before)))
		return -XEN_EFAULT;
	return 0;
}

/*
 * The end of a batch, or of one part of it: the total into *done. A
 * preempted part (rc == 0 with i < n, or -XEN_ERESTART: request i, or the
 * devalidation the last request left, is not finished) continues with the
 * requests left, which may be none.
 */
HOT_PATH_MM static int64_t batch_end(uint64_t nr, uint64_t list, size_t size, uint32_t n, uint64_t i,
			 uint32_t before, uint64_t done, uint64_t foreigndom, int rc)
{
	bool more = rc == -XEN_ERESTART || (!rc && i < n);

	if (rc == -XEN_ERESTART)
		rc = 0;
	if (done) {
		uint32_t total = before + (uint32_t)i;
		if (copy_to_guest(done, &total, sizeof(total)) && !rc)
			rc = -XEN_EFAULT;
	}
	if (rc || !more)
		return rc;
	return hypercall_create_continuation(nr, 4, list + i * size, mmu_count_encode(n - (uint32_t)i),
					     done, foreigndom, 0, 0);
}

/* mmu_update(reqs, count, done, foreigndom) */
HOT_PATH_MM int64_t do_mmu_update(struct vcpu *v, const uint64_t args[6])
{
	uint64_t reqs = args[0], count = args[1], done = args[2], foreigndom = args[3];
	struct domain *d = v->domain;
	struct domain *pg_owner;
	struct mmu_update req;
	uint32_t n, before;
	uint64_t i;
	int rc;

	rc = batch_start(count, done, &n, &before);
	if (!rc)
		rc = domain_by_guest_id(d, (domid_t)foreigndom, &pg_owner);
	for (i = 0; !rc && i < n; i++) {
		if (av(v)->devalidating && (rc = pv_finish_devalidation(v)))
			break;
		if (i && arch_hypercall_preempt_check())
			break;
		if (copy_from_guest(&req, reqs + i * sizeof(req), sizeof(req))) {
			rc = -XEN_EFAULT;
			break;
		}
		switch (req.ptr & MMU_UPDATE_CMD_MASK) {
		case MMU_NORMAL_PT_UPDATE:
		case MMU_PT_UPDATE_NO_TRANSLATE:   /* PV: val is always an MFN */
			rc = pt_update(v, pg_owner, req.ptr & ~MMU_UPDATE_CMD_MASK, req.val, false);
			break;
		case MMU_PT_UPDATE_PRESERVE_AD:
			rc = pt_update(v, pg_owner, req.ptr & ~MMU_UPDATE_CMD_MASK, req.val, true);
			break;
		case MMU_MACHPHYS_UPDATE:
			rc = machphys_update(pg_owner, req.ptr & ~MMU_UPDATE_CMD_MASK, req.val);
			break;
		}
		if (rc)
			break;
	}
	/* -XEN_ERESTART: request i validated part of a tree, it resumes in the continuation */
	if (!rc && i == n)
		rc = av(v)->devalidating ? pv_finish_devalidation(v) : 0;
	return batch_end(__HYPERVISOR_mmu_update, reqs, sizeof(req), n, i, before, done, foreigndom, rc);
}

/*
 * A vCPU mask (TLB_FLUSH_MULTI, INVLPG_MULTI) must be readable (Xen 4.17
 * answers -EINVAL when it is not); the flush then covers every CPU running
 * the domain, a superset of the mask's vCPUs.
 */
static int check_vcpumask(uint64_t ptr)
{
	uint64_t mask;

	return copy_from_guest(&mask, ptr, sizeof(mask)) ? -XEN_EINVAL : 0;
}

static int copy_or_clear(struct domain *d, mfn_t dst, mfn_t src, bool copy)
{
	int rc = get_page_and_type(d, dst, PGT_writable);

	if (rc)
		return -XEN_EINVAL;
	if (copy && get_page(d, src)) {
		put_page_and_type(dst);
		return -XEN_EINVAL;
	}
	if (copy) {
		memcpy(pv_frame_va(dst), pv_frame_va(src), FRAME_SIZE);
		put_page(src);
	} else {
		memset(pv_frame_va(dst), 0, FRAME_SIZE);
	}
	put_page_and_type(dst);
	return 0;
}

static int mmuext_one(struct vcpu *v, struct domain *pg_owner, const struct mmuext_op *op)
{
	struct domain *d = v->domain;

	switch (op->cmd) {
	case MMUEXT_PIN_L1_TABLE:
	case MMUEXT_PIN_L2_TABLE:
	case MMUEXT_PIN_L3_TABLE:
	case MMUEXT_PIN_L4_TABLE:
		return page_pin(pg_owner, op->arg1.mfn, PGT_l1 + op->cmd - MMUEXT_PIN_L1_TABLE);
	case MMUEXT_UNPIN_TABLE:
		return pv_unpin(v, pg_owner, op->arg1.mfn);
	case MMUEXT_NEW_BASEPTR:
		return pg_owner != d ? -XEN_EINVAL : pv_new_baseptr(v, op->arg1.mfn);
	case MMUEXT_NEW_USER_BASEPTR:
		return pg_owner != d ? -XEN_EINVAL : pv_new_user_baseptr(v, op->arg1.mfn);
	case MMUEXT_TLB_FLUSH_MULTI:
		if (check_vcpumask(op->arg2.vcpumask))
			return -XEN_EINVAL;
		FALLTHROUGH;
	case MMUEXT_TLB_FLUSH_ALL:
		arch_flush_tlb_domain(d);
		return 0;
	case MMUEXT_TLB_FLUSH_LOCAL:
		pv_flush_tlb_local();
		return 0;
	case MMUEXT_INVLPG_MULTI:
		if (check_vcpumask(op->arg2.vcpumask))
			return -XEN_EINVAL;
		FALLTHROUGH;
	case MMUEXT_INVLPG_ALL:
		if (is_canonical(op->arg1.linear_addr))   /* invlpg of a non-canonical address would #GP us */
			pv_invlpg_domain(d, op->arg1.linear_addr);
		return 0;
	case MMUEXT_INVLPG_LOCAL:
		if (is_canonical(op->arg1.linear_addr))
			pv_invlpg(op->arg1.linear_addr);
		return 0;
	case MMUEXT_FLUSH_CACHE:
	case MMUEXT_FLUSH_CACHE_GLOBAL:
		if (!d->is_privileged)
			return -XEN_EACCES;
		__asm__ volatile("wbinvd" ::: "memory");
		return 0;
	case MMUEXT_SET_LDT:
		return pg_owner != d ? -XEN_EINVAL : pv_set_ldt(v, op->arg1.linear_addr, op->arg2.nr_ents);
	case MMUEXT_CLEAR_PAGE:
		return copy_or_clear(d, op->arg1.mfn, 0, false);
	case MMUEXT_COPY_PAGE:
		return copy_or_clear(d, op->arg1.mfn, op->arg2.src_mfn, true);
	case MMUEXT_MARK_SUPER:
	case MMUEXT_UNMARK_SUPER:
		return -XEN_EOPNOTSUPP;   /* as Xen 4.17: superpages are gone */
	default:
		return -XEN_ENOSYS;
	}
}

/* mmuext_op(ops, count, done, foreigndom) */
int64_t do_mmuext_op(struct vcpu *v, const uint64_t args[6])
{
	uint64_t ops = args[0], count = args[1], done = args[2], foreigndom = args[3];
	struct domain *pg_owner;
	struct mmuext_op op;
	uint32_t n, before;
	uint64_t i;
	int rc;

	rc = batch_start(count, done, &n, &before);
	if (!rc)
		rc = domain_by_guest_id(v->domain, (domid_t)foreigndom, &pg_owner);
	for (i = 0; !rc && i < n; i++) {
		if (av(v)->devalidating && (rc = pv_finish_devalidation(v)))
			break;
		if (i && arch_hypercall_preempt_check())
			break;
		if (copy_from_guest(&op, ops + i * sizeof(op), sizeof(op))) {
			rc = -XEN_EFAULT;
			break;
		}
		rc = mmuext_one(v, pg_owner, &op);
		if (rc)
			break;
	}
	if (!rc && i == n)
		rc = pv_finish_devalidation(v);   /* an unpin's: the guest sees the batch end after it */
	return batch_end(__HYPERVISOR_mmuext_op, ops, sizeof(op), n, i, before, done, foreigndom, rc);
}
