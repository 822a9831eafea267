/*
 * memory_op: a domain's memory as a whole. Frames enter a domain through
 * page_assign() and leave through page_release() (common/page.c), so the
 * type and reference rules hold here as everywhere: a frame released while
 * a page table still names it stays allocated (and typed) until the last
 * reference goes, then returns to the allocator, cleared (free_frames).
 *
 * A PV guest keeps its own p2m; for it an extent is named by MFN, and the
 * hypervisor only keeps the machine-to-phys table current (populate_physmap
 * fills it; MMU_MACHPHYS_UPDATE lets the guest change it).
 *
 * Who may name which domain: DOMID_SELF and the caller's own id always; a
 * privileged caller (Dom0) any domain (domain_by_guest_id, Xen's errors;
 * the reservation ops answer "nothing done" instead, as Xen does).
 *
 * Long batches continue (docs/memory.md "Continuations"), in Xen's encoding:
 * a reservation op resumes as memory_op(op | next_extent << 6, arg), an
 * exchange as memory_op(XENMEM_exchange, arg) with the progress in the
 * struct's nr_exchanged.
 */
#include <arch.h>
#include <console.h>
#include <domain.h>
#include <guest_access.h>
#include <grant_table.h>
#include <hypercall.h>
#include <memmap.h>
#include <page.h>
#include <public/errno.h>
#include <public/memory.h>

/* Largest extent a guest may ask for: 2 MiB, as Xen's default for PV guests. */
#define MAX_EXTENT_ORDER 9

/* The highest address allowed by the XENMEMF_address_bits of mem_flags (0: any). */
static bool below_address_bits(mfn_t mfn, unsigned order, uint32_t mem_flags)
{
	unsigned bits = XENMEMF_get_address_bits(mem_flags);

	if (!bits || bits >= 64)
		return true;
	return bits > FRAME_SHIFT && ((mfn + (1ULL << order)) << FRAME_SHIFT) - 1 < (1ULL << bits);
}

/*
 * One extent of 2^order frames for d, zeroed (the frames may have been
 * another domain's; those freed since boot were cleared then, PGF_zeroed,
 * and a 256 MiB domain's 65 536 clears cost more than the rest of
 * populating it under emulation). INVALID_MFN when memory, or d's
 * allowance, runs out.
 */
static mfn_t alloc_extent(struct domain *d, unsigned order, uint32_t mem_flags)
{
	mfn_t mfn;

	if (d->tot_pages > d->max_pages || (1ULL << order) > d->max_pages - d->tot_pages)
		return INVALID_MFN;
	mfn = alloc_frames(order);
	if (mfn == INVALID_MFN)
		return INVALID_MFN;
	if (!below_address_bits(mfn, order, mem_flags) || mfn + (1ULL << order) > frame_table_size) {
		free_frames(mfn, order);
		return INVALID_MFN;
	}
	page_clear_unless_zeroed(mfn, 1ULL << order);
	for (uint64_t j = 0; j < (1ULL << order); j++)
		BUG_ON(page_assign(d, mfn + j));   /* checked above: d has room for the whole extent */
	return mfn;
}

enum reservation_op { RES_INCREASE, RES_DECREASE, RES_POPULATE };

/*
 * increase_reservation, decrease_reservation, populate_physmap from extent
 * `start` on: returns the number of extents done in all (stopping at the
 * first that fails), or an error when none could be tried. *preempted:
 * stopped early to continue, the result being the next extent.
 */
static int64_t reservation(struct domain *cur, enum reservation_op op,
			   const struct xen_memory_reservation *r, uint64_t start, bool *preempted)
{
	struct domain *d;
	uint64_t i;
	int rc;

	/*
	 * As Xen 4.17: no such domain, or another domain named by an
	 * unprivileged caller, is nothing done (the start extent), not an error
	 * (tests/guests/isolate.c saw Xen answer a DomU that way).
	 */
	rc = domain_by_guest_id(cur, r->domid, &d);
	if (rc == -XEN_ESRCH || rc == -XEN_EPERM)
		return (int64_t)start;
	if (rc)
		return rc;
	if (r->extent_order > MAX_EXTENT_ORDER)
		return 0;   /* as Xen: nothing done, not an error */
	if (!r->extent_start && op != RES_INCREASE)
		return r->nr_extents ? -XEN_EFAULT : 0;
	for (i = start; i < r->nr_extents; i++) {
		uint64_t slot = r->extent_start + i * sizeof(uint64_t);
		uint64_t frame = 0;
		mfn_t mfn;

		if (i != start && arch_hypercall_preempt_check()) {
			*preempted = true;
			return (int64_t)i;
		}
		if (op != RES_INCREASE && copy_from_guest(&frame, slot, sizeof(frame)))
			return i ? (int64_t)i : -XEN_EFAULT;
		if (op == RES_DECREASE) {
			rc = page_release_extent(d, frame, 1ULL << r->extent_order);
			if (rc == -XEN_ERESTART)
				*preempted = true;   /* extent i again: its devalidation goes on */
			if (rc)
				return (int64_t)i;
			continue;
		}
		mfn = alloc_extent(d, r->extent_order, r->mem_flags);
		if (mfn == INVALID_MFN)
			return (int64_t)i;
		if (op == RES_POPULATE)
			for (uint64_t j = 0; j < (1ULL << r->extent_order); j++)
				arch_page_m2p_set(mfn + j, frame + j);
		if (r->extent_start && copy_to_guest(slot, &mfn, sizeof(mfn))) {
			for (uint64_t j = 0; j < (1ULL << r->extent_order); j++)
				page_release(d, mfn + j);
			return i ? (int64_t)i : -XEN_EFAULT;
		}
	}
	return (int64_t)i;
}

/*
 * A reservation op, cmd carrying the extent to start at. As Xen: a start
 * past the end, or a batch too long for the encoding to resume, does
 * nothing and returns the start.
 */
static int64_t reservation_op(struct domain *d, enum reservation_op op, uint64_t cmd, uint64_t arg)
{
	struct xen_memory_reservation r;
	uint64_t start = memop_start_extent(cmd);
	bool preempted = false;
	int64_t rc;

	if (copy_from_guest(&r, arg, sizeof(r)))
		return -XEN_EFAULT;
	if (r.nr_extents > MEMOP_MAX_EXTENT || (start && start >= r.nr_extents))
		return (int64_t)start;
	rc = reservation(d, op, &r, start, &preempted);
	if (preempted)
		return hypercall_create_continuation(__HYPERVISOR_memory_op, 2,
						     memop_cmd_encode(cmd, (uint64_t)rc), arg, 0, 0, 0, 0);
	return rc;
}

/*
 * May frame mfn leave d in an exchange? Only when nothing but d's allocation
 * holds it: no mapping, no table or descriptor use, no pin (as Xen's
 * steal_page). Linux unmaps the range before it asks.
 */
static bool exchangeable(struct domain *d, mfn_t mfn)
{
	const struct page_info *pg;

	if (!mfn_owned_by(mfn, d->domain_id))
		return false;
	pg = &frame_table[mfn];
	return (pg->flags & PGF_allocated) && !(pg->flags & PGF_pinned) && pg->count == 1 &&
	       pg->type_count == 0;
}

/* Frame k of a chunk's in-extents (each 2^order frames). */
static mfn_t in_frame(const mfn_t *in, unsigned order, uint64_t k)
{
	return in[k >> order] + (k & ((1ULL << order) - 1));
}

/* Undo take_in_frames for its first `taken` frames: they are d's allocation again. */
static void return_in_frames(const mfn_t *in, unsigned order, uint64_t taken)
{
	for (uint64_t k = 0; k < taken; k++) {
		frame_table[in_frame(in, order, k)].flags |= PGF_allocated;
		frame_changes++;
	}
}

/*
 * Take the n frames of a chunk's in-extents out of d's allocation, each
 * checked as it is taken, so that a frame named twice (the same extent
 * twice, or overlapping extents) is refused the second time instead of
 * paying twice for the out-frames (Xen's steal_page fails the same way).
 * A taken frame keeps the reference its allocation held, until
 * free_in_frames or return_in_frames. All or nothing: -XEN_EINVAL.
 */
static int take_in_frames(struct domain *d, const mfn_t *in, unsigned order, uint64_t n)
{
	for (uint64_t k = 0; k < n; k++) {
		mfn_t m = in_frame(in, order, k);

		if (!exchangeable(d, m)) {
			return_in_frames(in, order, k);
			return -XEN_EINVAL;
		}
		frame_table[m].flags &= ~PGF_allocated;
		frame_changes++;
	}
	return 0;
}

/* The exchange is done: the taken frames leave d. */
static void free_in_frames(const mfn_t *in, unsigned order, uint64_t n)
{
	for (uint64_t k = 0; k < n; k++)
		put_page(in_frame(in, order, k));
}

/*
 * XENMEM_exchange: trade in-extents for out-extents of the same total size,
 * e.g. scattered frames for one machine-contiguous block below 4 GiB (Linux's
 * swiotlb-xen and DMA buffers). Works chunk by chunk, each chunk all or
 * nothing; nr_exchanged reports the in-extents consumed. The guest updates
 * its own p2m and M2P afterwards (MMU_MACHPHYS_UPDATE), as on Xen.
 * A preempted exchange stores nr_exchanged and continues from there; so a
 * guest may pass a nonzero nr_exchanged, a whole number of chunks, as Xen
 * allows.
 */
static int64_t memory_exchange(struct domain *cur, uint64_t arg)
{
	struct xen_memory_exchange x;
	struct domain *d;
	unsigned in_order, out_order, chunk_order;
	uint64_t in_per_chunk, out_per_chunk, chunks, done_in = 0;
	int64_t rc = 0;

	if (copy_from_guest(&x, arg, sizeof(x)))
		return -XEN_EFAULT;
	in_order = x.in.extent_order;
	out_order = x.out.extent_order;
	if (in_order > MAX_EXTENT_ORDER || out_order > MAX_EXTENT_ORDER ||
	    x.in.domid != x.out.domid)
		return -XEN_EINVAL;
	/* the totals must match: in.nr << in_order == out.nr << out_order, without overflow */
	if (x.in.nr_extents > (UINT64_MAX >> MAX_EXTENT_ORDER) ||
	    x.out.nr_extents > (UINT64_MAX >> MAX_EXTENT_ORDER) ||
	    (x.in.nr_extents << in_order) != (x.out.nr_extents << out_order))
		return -XEN_EINVAL;
	rc = domain_by_guest_id(cur, x.in.domid, &d);
	if (rc)
		return rc;
	chunk_order = MAX(in_order, out_order);
	in_per_chunk = 1ULL << (chunk_order - in_order);
	out_per_chunk = 1ULL << (chunk_order - out_order);
	chunks = x.in.nr_extents / in_per_chunk;
	if (x.nr_exchanged > x.in.nr_extents || x.nr_exchanged % in_per_chunk)
		return -XEN_EINVAL;
	if (x.nr_exchanged == x.in.nr_extents)
		return 0;
	done_in = x.nr_exchanged;

	/* a chunk names up to 512 frames on each side: too much for our stack */
	mfn_t *in = xzalloc_bytes(2 * FRAME_SIZE), *out = in ? in + FRAME_SIZE / sizeof(mfn_t) : NULL;
	if (!in)
		return -XEN_ENOMEM;
	for (uint64_t c = done_in / in_per_chunk; c < chunks; c++) {
		uint64_t got = 0;

		if (done_in != x.nr_exchanged && arch_hypercall_preempt_check()) {
			rc = 1;   /* continue below, once nr_exchanged is stored */
			break;
		}

		/* read every in-extent of the chunk, then take its frames, before anything else */
		for (uint64_t i = 0; i < in_per_chunk; i++) {
			uint64_t slot = x.in.extent_start + (c * in_per_chunk + i) * sizeof(uint64_t);
			if (copy_from_guest(&in[i], slot, sizeof(in[i]))) {
				rc = -XEN_EFAULT;
				goto out;
			}
		}
		rc = take_in_frames(d, in, in_order, 1ULL << chunk_order);
		if (rc)
			goto out;
		/* the new frames first: the domain's allowance needs room, so lift it for now */
		d->max_pages += 1ULL << chunk_order;
		for (; got < out_per_chunk; got++) {
			out[got] = alloc_extent(d, out_order, x.out.mem_flags);
			if (out[got] == INVALID_MFN)
				break;
		}
		d->max_pages -= 1ULL << chunk_order;
		if (got < out_per_chunk) {
			for (uint64_t k = 0; k < got; k++)
				for (uint64_t j = 0; j < (1ULL << out_order); j++)
					page_release(d, out[k] + j);
			return_in_frames(in, in_order, 1ULL << chunk_order);
			rc = -XEN_ENOMEM;
			goto out;
		}
		for (uint64_t k = 0; k < out_per_chunk; k++) {
			uint64_t slot = x.out.extent_start + (c * out_per_chunk + k) * sizeof(uint64_t);
			if (copy_to_guest(slot, &out[k], sizeof(out[k]))) {
				for (uint64_t m = 0; m < out_per_chunk; m++)
					for (uint64_t j = 0; j < (1ULL << out_order); j++)
						page_release(d, out[m] + j);
				return_in_frames(in, in_order, 1ULL << chunk_order);
				rc = -XEN_EFAULT;
				goto out;
			}
		}
		free_in_frames(in, in_order, 1ULL << chunk_order);
		done_in += in_per_chunk;
	}
out:
	xfree_bytes(in, 2 * FRAME_SIZE);
	x.nr_exchanged = done_in;
	if (copy_to_guest(arg + offsetof(struct xen_memory_exchange, nr_exchanged), &x.nr_exchanged,
			  sizeof(x.nr_exchanged)))
		return -XEN_EFAULT;
	if (rc == 1)
		return hypercall_create_continuation(__HYPERVISOR_memory_op, 2, XENMEM_exchange, arg, 0, 0, 0, 0);
	return rc;
}

/*
 * XENMEM_memory_map: the domain's pseudo-physical map, one RAM range as
 * built. A domain a Dom0 toolstack built (populate_physmap) has no map of
 * ours: -ENOSYS, Xen 4.17's answer for a domain whose toolstack set none,
 * and Linux then takes RAM to be [0, nr_pages + 8 MiB). (A map of size 0
 * would put its whole kernel in a reserved range: it BUGs.)
 */
static int64_t memory_map(struct vcpu *v, void *arg)
{
	struct xen_memory_map *m = arg;
	struct e820_entry e = { .addr = 0, .size = v->domain->phys_pages << FRAME_SHIFT, .type = E820_RAM };

	if (!v->domain->phys_pages)
		return -XEN_ENOSYS;
	if (m->nr_entries < 1)
		return -XEN_EINVAL;
	if (copy_to_guest(m->buffer, &e, sizeof(e)))
		return -XEN_EFAULT;
	m->nr_entries = 1;
	return 0;
}

/* XENMEM_machine_memory_map: the host's map as the boot loader gave it (privileged). */
static int64_t machine_memory_map(struct vcpu *v, void *arg)
{
	struct xen_memory_map *m = arg;
	uint32_t n = 0, type;
	uint64_t start, size;
	struct e820_entry e;

	if (!v->domain->is_privileged)
		return -XEN_EPERM;
	if (m->nr_entries < machine_memmap_count())
		return -XEN_EINVAL;   /* as Xen: the whole map or nothing */
	while (n < m->nr_entries && machine_memmap_entry(n, &start, &size, &type)) {
		e.addr = start;
		e.size = size;
		e.type = type;
		if (copy_to_guest(m->buffer + (uint64_t)n * sizeof(e), &e, sizeof(e)))
			return -XEN_EFAULT;
		n++;
	}
	m->nr_entries = n;
	return 0;
}

/* XENMEM_current_reservation, XENMEM_maximum_reservation: the frame counts. */
static int64_t reservation_size(struct vcpu *v, void *arg, bool maximum)
{
	struct domain *d;
	int rc = domain_by_guest_id(v->domain, *(domid_t *)arg, &d);

	if (rc)
		return rc;
	return (int64_t)(maximum ? d->max_pages : d->tot_pages);
}

static int64_t current_reservation(struct vcpu *v, void *arg)
{
	return reservation_size(v, arg, false);
}

static int64_t maximum_reservation(struct vcpu *v, void *arg)
{
	return reservation_size(v, arg, true);
}

/*
 * XENMEM_maximum_gpfn: a PV domain's highest pfn is what it says its p2m
 * covers (shared_info's max_pfn, which the guest writes; 0 counts as 1), as
 * Xen 4.17 answers. Xen returns it unchecked: a guest that wrote a number
 * above 2^63 reads back a negative result, here too.
 */
static int64_t maximum_gpfn(struct vcpu *v, void *arg)
{
	struct domain *d;
	int rc = domain_by_guest_id(v->domain, *(domid_t *)arg, &d);
	uint64_t nr;

	if (rc)
		return rc;
	nr = *(volatile uint64_t *)&d->shared_info->arch.max_pfn;   /* read once: the guest's */
	return (int64_t)(nr ? nr - 1 : 0);
}

static int64_t maximum_ram_page(struct vcpu *v, void *arg)
{
	return (int64_t)frame_table_size;
}

static int64_t machphys_mapping(struct vcpu *v, void *arg)
{
	struct xen_machphys_mapping *m = arg;
	/* what we populate: reads past it would fault (Linux reads it with a fixup anyway) */
	uint64_t entries = ALIGN_UP(frame_table_size, FRAME_SIZE / 8);

	m->v_start = arch_m2p_guest_va();
	m->v_end = m->v_start + entries * 8;
	m->max_mfn = entries - 1;
	return 0;
}

/*
 * The first MFN of each 2 MiB extent of the M2P table, at most max_extents
 * of them; nr_extents says how many were written (as Xen). Any PV guest may
 * ask: the table is mapped read-only in every address space anyway.
 */
static int64_t machphys_mfn_list(struct vcpu *v, void *arg)
{
	struct xen_machphys_mfn_list *l = arg;
	uint32_t i;

	for (i = 0; i < l->max_extents; i++) {
		uint64_t mfn = arch_m2p_extent_mfn(i);

		if (mfn == INVALID_MFN)
			break;
		if (copy_to_guest(l->extent_start + i * sizeof(mfn), &mfn, sizeof(mfn)))
			return -XEN_EFAULT;
	}
	l->nr_extents = i;
	return 0;
}

/*
 * XENMEM_acquire_resource (Dom0 for another domain; Xen 4.17's answers):
 * pad (the old flags) must be 0; the target is remote (DOMID_SELF -ESRCH,
 * the caller's own id -EPERM, as rcu_lock_remote_domain_by_id); a NULL
 * frame_list with nr_frames 0 asks the size, where 0 is -EINVAL (and an
 * unknown type's size is -EOPNOTSUPP cast to the unsigned field, as Xen
 * 4.17 answers it). Grant tables give their MFNs (a PV caller); ioreq
 * servers (PV targets have none) and vmtrace buffers (never given) are
 * -EINVAL; other types -EOPNOTSUPP, on which libxenguest falls back.
 */
#define ACQUIRE_BATCH 32

static uint32_t resource_max_frames(struct domain *d, uint16_t type, uint32_t id)
{
	switch (type) {
	case XENMEM_resource_grant_table:
		return gnttab_resource_max_frames(d, id);
	case XENMEM_resource_ioreq_server:
	case XENMEM_resource_vmtrace_buf:
		return 0;
	default:
		return (uint32_t)-XEN_EOPNOTSUPP;
	}
}

static int64_t acquire_resource(struct vcpu *v, void *arg)
{
	struct xen_mem_acquire_resource *r = arg;
	struct domain *cur = v->domain, *d;
	uint64_t mfns[ACQUIRE_BATCH];

	if (r->flags)
		return -XEN_EINVAL;
	if (r->domid == cur->domain_id)
		return -XEN_EPERM;
	d = r->domid == DOMID_SELF ? NULL : domain_lookup(r->domid);
	if (!d || d->is_dying)
		return -XEN_ESRCH;
	if (!cur->is_privileged)
		return -XEN_EPERM;
	if (!r->frame_list) {
		if (r->nr_frames)
			return -XEN_EINVAL;
		r->nr_frames = resource_max_frames(d, r->type, r->id);
		return r->nr_frames ? 0 : -XEN_EINVAL;
	}
	switch (r->type) {
	case XENMEM_resource_grant_table:
		break;
	case XENMEM_resource_ioreq_server:
	case XENMEM_resource_vmtrace_buf:
		return -XEN_EINVAL;
	default:
		return -XEN_EOPNOTSUPP;
	}
	for (uint32_t done = 0; done < r->nr_frames;) {
		uint32_t n = MIN(r->nr_frames - done, (uint32_t)ACQUIRE_BATCH);
		int rc = gnttab_resource_frames(d, r->id, r->frame + done, n, mfns);

		if (rc)
			return rc;
		if (copy_to_guest(r->frame_list + done * sizeof(uint64_t), mfns, n * sizeof(uint64_t)))
			return -XEN_EFAULT;
		done += n;
	}
	return 0;
}

/*
 * XENMEM_remove_from_physmap: only a translated guest has a physmap to
 * take frames out of. A PV domain has none, so, as Xen 4.17, any domain
 * that exists gets -EACCES (before any privilege check) and nothing
 * changes.
 */
static int64_t remove_from_physmap(struct vcpu *v, void *arg)
{
	const struct xen_remove_from_physmap *r = arg;

	if (r->domid != DOMID_SELF && !domain_lookup(r->domid))
		return -XEN_ESRCH;
	return -XEN_EACCES;
}

/*
 * XENMEM_get_vnumainfo: no domain is given a virtual NUMA topology (the
 * toolstack never sets one), so after Xen 4.17's checks (pad, domain,
 * privilege) the answer is its "none": -EOPNOTSUPP.
 */
static int64_t get_vnumainfo(struct vcpu *v, void *arg)
{
	const struct xen_vnuma_topology_info *t = arg;
	struct domain *d;
	int rc;

	if (t->pad)
		return -XEN_EINVAL;
	rc = domain_by_guest_id(v->domain, t->domid, &d);
	return rc ? rc : -XEN_EOPNOTSUPP;
}

/* The other sub-ops, one argument structure each. */
static const struct hypercall_subop memory_ops[] = {
	[XENMEM_maximum_ram_page] = { maximum_ram_page, 0, false },
	[XENMEM_current_reservation] = { current_reservation, sizeof(domid_t), false },
	[XENMEM_maximum_reservation] = { maximum_reservation, sizeof(domid_t), false },
	[XENMEM_maximum_gpfn] = { maximum_gpfn, sizeof(domid_t), false },
	[XENMEM_memory_map] = { memory_map, sizeof(struct xen_memory_map), true },
	[XENMEM_machine_memory_map] = { machine_memory_map, sizeof(struct xen_memory_map), true },
	[XENMEM_machphys_mapping] = { machphys_mapping, sizeof(struct xen_machphys_mapping), true },
	[XENMEM_machphys_mfn_list] = { machphys_mfn_list, sizeof(struct xen_machphys_mfn_list), true },
	[XENMEM_acquire_resource] = { acquire_resource, sizeof(struct xen_mem_acquire_resource), true },
	[XENMEM_remove_from_physmap] = { remove_from_physmap, sizeof(struct xen_remove_from_physmap), false },
	[XENMEM_get_vnumainfo] = { get_vnumainfo, sizeof(struct xen_vnuma_topology_info), false },
};

int64_t do_memory_op(struct vcpu *v, const uint64_t args[6])
{
	struct domain *d = v->domain;
	uint64_t cmd = args[0], arg = args[1];

	switch (memop_op(cmd)) {
	case XENMEM_increase_reservation:
		return reservation_op(d, RES_INCREASE, cmd, arg);
	case XENMEM_decrease_reservation:
		return reservation_op(d, RES_DECREASE, cmd, arg);
	case XENMEM_populate_physmap:
		return reservation_op(d, RES_POPULATE, cmd, arg);
	}
	if (memop_start_extent(cmd))
		return -XEN_ENOSYS;   /* only the reservation ops take a start extent */
	/* an exchange reads and writes its argument as it goes: its progress is the continuation */
	if ((cmd & XENMEM_cmd_mask) == XENMEM_exchange)
		return memory_exchange(d, arg);
	return hypercall_subop(v, memory_ops, ARRAY_SIZE(memory_ops), cmd & XENMEM_cmd_mask, arg);
}
