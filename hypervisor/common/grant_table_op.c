/*
 * grant_table_op(cmd, uop, count): copy each element in once, hand it to a
 * worker (grant_table*.c), copy the result out. The call returns 0 when
 * every element was processed, each with its own status; -XEN_EFAULT when
 * an element cannot be read or written back (elements before it are done);
 * -XEN_EINVAL for a count the sub-op does not take; -XEN_ENOSYS for an
 * unknown sub-op; transfer is turned off (-XEN_EOPNOTSUPP, docs/grant-tables.md).
 *
 * Batches: map, unmap, copy, unmap_and_replace, swap and cache_flush take a
 * guest-sized array; count is capped at INT32_MAX as on Xen, and every
 * element must be copied in. Batches yield (docs/memory.md "Continuations"):
 * a batch worker asks arch_hypercall_preempt_check() after each element (or
 * chunk) and returns how many it did; the call then continues, as Xen's, as
 * grant_table_op(cmd, uop + done elements, count - done).
 * Unmaps are processed UNMAP_CHUNK at a time: all entries of the chunk go,
 * then one TLB flush, its answers awaited without the big lock
 * (grant_table_map.c), then the grants are released.
 */
#include <arch.h>
#include <console.h>
#include <grant_table.h>
#include <guest_access.h>
#include <wake_stats.h>
#include <hypercall.h>
#include <public/errno.h>
#include "grant_table_priv.h"

#define UNMAP_CHUNK 32

static uint64_t unlocked_ns[NR_CPUS];   /* of this CPU's grant_table_op: not held, not timed */

/* The domain a setup/query/status/dump sub-op names (domain_by_guest_id), as GNTST_*. */
static int target_domain(struct domain *cur, domid_t dom, struct domain **out)
{
	switch (domain_by_guest_id(cur, dom, out)) {
	case 0: return GNTST_okay;
	case -XEN_ESRCH: return GNTST_bad_domain;
	default: return GNTST_permission_denied;
	}
}

/* The batch workers (hypercall_batch): each sets its element's status. */
static int64_t map_one(struct vcpu *v, void *op)
{
	gnttab_map_one(v, op);
	return 0;
}

/*
 * One chunk of unmap or unmap_and_replace: entries go, one flush, grants
 * released. Every element processed gets its status back even when a later
 * one cannot be read (as Xen, which writes each as it goes): the guest
 * must learn which mappings went.
 */
static int unmap_chunk(struct vcpu *v, uint64_t uop, uint32_t n, bool replace)
{
	union {
		struct gnttab_unmap_grant_ref u;
		struct gnttab_unmap_and_replace r;
	} ops[UNMAP_CHUNK];
	unsigned release[UNMAP_CHUNK];
	size_t size = replace ? sizeof(ops[0].r) : sizeof(ops[0].u);
	size_t status_at = replace ? offsetof(struct gnttab_unmap_and_replace, status) :
				     offsetof(struct gnttab_unmap_grant_ref, status);
	bool flush = false;
	int rc = 0;
	uint32_t got;

	for (got = 0; got < n; got++) {
		if (copy_from_guest(&ops[got], uop + got * size, size)) {
			rc = -XEN_EFAULT;
			break;
		}
		if (replace)
			ops[got].r.status = (int16_t)gnttab_unmap_start(v, ops[got].r.host_addr, 0,
									 ops[got].r.handle, ops[got].r.new_addr,
									 true, &release[got], &flush);
		else
			ops[got].u.status = (int16_t)gnttab_unmap_start(v, ops[got].u.host_addr,
									 ops[got].u.dev_bus_addr,
									 ops[got].u.handle, 0, false,
									 &release[got], &flush);
	}
	if (flush)
		unlocked_ns[arch_cpu_id()] += arch_gnttab_flush_tlbs(v->domain, true);
	for (uint32_t i = 0; i < got; i++)
		if (release[i] != MT_NONE)
			gnttab_unmap_finish(v->domain, release[i]);
	for (uint32_t i = 0; i < got; i++) {
		int16_t st = replace ? ops[i].r.status : ops[i].u.status;
		if (copy_to_guest(uop + i * size + status_at, &st, sizeof(st)))
			return -XEN_EFAULT;
	}
	return rc;
}

/*
 * Not hypercall_batch: elements go UNMAP_CHUNK at a time, each chunk
 * unmapped, flushed once and released before its statuses are written, and
 * the preemption check is per chunk.
 */
static int64_t op_unmap(struct vcpu *v, uint64_t uop, uint32_t count, bool replace)
{
	size_t size = replace ? sizeof(struct gnttab_unmap_and_replace) : sizeof(struct gnttab_unmap_grant_ref);

	for (uint32_t i = 0; i < count; i += UNMAP_CHUNK) {
		int rc;
		if (i && arch_hypercall_preempt_check())
			return i;
		rc = unmap_chunk(v, uop + (uint64_t)i * size, MIN(count - i, UNMAP_CHUNK), replace);
		if (rc)
			return rc;
	}
	return 0;
}

static int64_t copy_one(struct vcpu *v, void *arg)
{
	struct gnttab_copy *op = arg;

	op->status = (int16_t)gnttab_copy_one(v->domain, op);
	return 0;
}

/* Copy a list of frames out to the guest: GNTST_okay or GNTST_bad_virt_addr. */
static int16_t put_frame_list(uint64_t list, const uint64_t *frames, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (copy_to_guest(list + i * sizeof(uint64_t), &frames[i], sizeof(uint64_t)))
			return GNTST_bad_virt_addr;
	return GNTST_okay;
}

static int64_t op_setup_table(struct domain *cur, uint64_t uop)
{
	struct gnttab_setup_table op;
	uint64_t frames[GNTTAB_FRAMES_LIMIT];
	struct domain *d;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	op.status = (int16_t)target_domain(cur, op.dom, &d);
	if (op.status == GNTST_okay)
		op.status = (int16_t)gnttab_setup_table(d, op.nr_frames, frames);
	if (op.status == GNTST_okay)
		op.status = put_frame_list(op.frame_list, frames, op.nr_frames);
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

static int64_t op_query_size(struct domain *cur, uint64_t uop)
{
	struct gnttab_query_size op;
	struct domain *d;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	op.status = (int16_t)target_domain(cur, op.dom, &d);
	if (op.status == GNTST_okay)
		op.status = (int16_t)gnttab_query_size(d, &op.nr_frames, &op.max_nr_frames);
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

static int64_t op_status_frames(struct domain *cur, uint64_t uop)
{
	struct gnttab_get_status_frames op;
	uint64_t frames[GT_STATUS_LIMIT];
	struct domain *d;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	op.status = (int16_t)target_domain(cur, op.dom, &d);
	if (op.status == GNTST_okay)
		op.status = (int16_t)gnttab_get_status_frames(d, op.nr_frames, frames);
	if (op.status == GNTST_okay)
		op.status = put_frame_list(op.frame_list, frames, op.nr_frames);
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

static int64_t op_set_version(struct domain *d, uint64_t uop)
{
	struct gnttab_set_version op;
	int rc;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	rc = gnttab_set_version(d, &op.version);
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : rc;
}

static int64_t op_get_version(struct domain *cur, uint64_t uop)
{
	struct gnttab_get_version op;
	struct domain *d;
	int rc;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	rc = domain_by_guest_id(cur, op.dom, &d);
	if (rc)
		return rc;
	op.version = d->gnttab ? d->gnttab->version : 0;
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

static int64_t op_dump_table(struct domain *cur, uint64_t uop)
{
	struct gnttab_dump_table op;
	struct domain *d;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	op.status = (int16_t)target_domain(cur, op.dom, &d);
	if (op.status == GNTST_okay) {
		struct grant_table *gt = gnttab_of(d);
		if (gt)
			log_info("gnttab: d%u: v%u, %u of %u frames, %u status frames, %u mappings held\n",
				 d->domain_id, gt->version, gt->nr_frames, gt->max_frames, gt->nr_status,
				 gt->mt_used);
	}
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

static int64_t swap_one(struct vcpu *v, void *arg)
{
	struct gnttab_swap_grant_ref *op = arg;

	op->status = (int16_t)gnttab_swap_grant_ref(v->domain, op->ref_a, op->ref_b);
	return 0;
}

/* The only batch worker that can end the batch: its errors are the call's (as Xen). */
static int64_t cache_flush_one(struct vcpu *v, void *op)
{
	return gnttab_cache_flush(v->domain, op);
}

/* A batch worker's result: an error, 0 (all done) or the elements done before it yielded. */
static int64_t batch_rc(uint64_t cmd, uint64_t uop, size_t size, uint32_t count, int64_t rc)
{
	if (rc <= 0)
		return rc;
	return hypercall_create_continuation(__HYPERVISOR_grant_table_op, 3, cmd,
					     uop + (uint64_t)rc * size, count - (uint32_t)rc, 0, 0, 0);
}

static int64_t grant_table_cmd(struct vcpu *v, const uint64_t args[6])
{
	struct domain *d = v->domain;
	uint64_t cmd = args[0], uop = args[1];
	uint32_t count = (uint32_t)args[2];
	bool single = count == 1;

	if (count > INT32_MAX)
		return -XEN_EINVAL;
	switch ((uint32_t)cmd) {
	case GNTTABOP_map_grant_ref:
		return batch_rc(cmd, uop, sizeof(struct gnttab_map_grant_ref), count,
				hypercall_batch(v, uop, count, sizeof(struct gnttab_map_grant_ref), 0,
						sizeof(struct gnttab_map_grant_ref), map_one));
	case GNTTABOP_unmap_grant_ref:
		return batch_rc(cmd, uop, sizeof(struct gnttab_unmap_grant_ref), count,
				op_unmap(v, uop, count, false));
	case GNTTABOP_unmap_and_replace:
		return batch_rc(cmd, uop, sizeof(struct gnttab_unmap_and_replace), count,
				op_unmap(v, uop, count, true));
	case GNTTABOP_copy:
		return batch_rc(cmd, uop, sizeof(struct gnttab_copy), count,
				hypercall_batch(v, uop, count, sizeof(struct gnttab_copy),
						offsetof(struct gnttab_copy, status), sizeof(int16_t), copy_one));
	case GNTTABOP_setup_table:
		return single ? op_setup_table(d, uop) : -XEN_EINVAL;
	case GNTTABOP_query_size:
		return single ? op_query_size(d, uop) : -XEN_EINVAL;
	case GNTTABOP_get_status_frames:
		return single ? op_status_frames(d, uop) : -XEN_EINVAL;
	case GNTTABOP_set_version:
		return single ? op_set_version(d, uop) : -XEN_EINVAL;
	case GNTTABOP_get_version:
		return single ? op_get_version(d, uop) : -XEN_EINVAL;
	case GNTTABOP_dump_table:
		return single ? op_dump_table(d, uop) : -XEN_EINVAL;
	case GNTTABOP_swap_grant_ref:
		return batch_rc(cmd, uop, sizeof(struct gnttab_swap_grant_ref), count,
				hypercall_batch(v, uop, count, sizeof(struct gnttab_swap_grant_ref), 0,
						sizeof(struct gnttab_swap_grant_ref), swap_one));
	case GNTTABOP_cache_flush:
		return batch_rc(cmd, uop, sizeof(struct gnttab_cache_flush), count,
				hypercall_batch(v, uop, count, sizeof(struct gnttab_cache_flush), 0, 0,
						cache_flush_one));
	case GNTTABOP_transfer:
		/*
		 * Page transfers are off, as on Xen 4.17 booted with
		 * gnttab=no-transfer (docs/grant-tables.md): its answer, after
		 * its check that the array lies in guest space.
		 */
		if (!guest_range_ok(uop, (uint64_t)count * sizeof(struct gnttab_transfer)))
			return -XEN_EFAULT;
		return -XEN_EOPNOTSUPP;
	default:
		return -XEN_ENOSYS;
	}
}

/* Timed by command (debug key 'p'): which batches hold the big lock longest on the split-driver path. */
int64_t do_grant_table_op(struct vcpu *v, const uint64_t args[6])
{
	uint64_t start = arch_now_ns();
	int64_t rc;

	unlocked_ns[arch_cpu_id()] = 0;
	rc = grant_table_cmd(v, args);
	if (args[0] < GNTTAB_STATS_CMDS)
		wake_stats_time(&wake_stats.gnttab_ns[args[0]], &wake_stats.gnttab_max_ns[args[0]],
				arch_now_ns() - start - unlocked_ns[arch_cpu_id()]);
	return rc;
}
