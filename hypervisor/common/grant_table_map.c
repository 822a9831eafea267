/*
 * Mapping grants: the maptrack (the mappings a domain holds, one handle
 * each), map_grant_ref, unmap_grant_ref and unmap_and_replace.
 *
 * A mapping pins its grant (grant_table.c) for as long as its maptrack
 * entry lives; the page-table entry itself, written by the arch
 * (arch_gnttab_map), holds nothing. An unmap is two steps so that a batch
 * flushes the mapper's TLBs once: first every entry goes
 * (gnttab_unmap_start), then the TLBs are flushed, and only then are the
 * grants released and the handles freed (gnttab_unmap_finish). Until that
 * release the granter still sees GTF_reading/GTF_writing and cannot
 * revoke, so no stale TLB entry can reach a frame the granter took back.
 *
 * The flush's answers are awaited with the big lock let go (grant_table_op.c,
 * as Xen's unmap drops its grant locks to flush): another CPU's QEMU thread
 * may not run for milliseconds, and every other CPU would wait for the lock.
 * In that window an entry being released is MT_RELEASING: no longer mapped,
 * still pinned, its handle not free. What may happen meanwhile, and why
 * each is harmless (tests: unit-gnttab-state "window"):
 * - a second unmap of the handle: GNTST_bad_handle, as once it is done;
 * - a map: it cannot get the handle (not on the free list), and may map
 *   the same grant or write a new entry where the old one was;
 * - the mapper's destruction: gnttab_maptrack_destroy skips the entry,
 *   leaving its pin to the unmapper, which comes back (its vCPU is loaded,
 *   and teardown goes past STOP only once none is, so the maptrack lives);
 * - the granter's destruction: its table turns dying, but the pins hold
 *   its frames and so its active entries (domain_teardown.c); the release
 *   then only skips the status word;
 * - the mapper's other vCPUs rewriting or dropping the cleared entry, or
 *   any mmu_update: the slot holds nothing of the grant any more, and a
 *   grant entry is never moved or copied (mm_grant.c);
 * - audits: a releasing entry counts as the mapping its pin is for.
 * Batches and continuations: a chunk is released before its statuses are
 * written and before any preemption check, so nothing stays in flight
 * across a return to the guest; a failing element is not marked at all.
 *
 * The maptrack grows a frame (256 entries) at a time up to the domain's
 * limit (GNTTAB_DEFAULT_MAPTRACK_FRAMES); a map beyond it is GNTST_no_space.
 * Free entries form a list threaded through `ref`.
 */
#include <console.h>
#include <public/errno.h>
#include "grant_table_priv.h"

#define MT_MAPPED (GNTMAP_host_map | GNTMAP_device_map)
#define MT_KEPT   (MT_MAPPED | GNTMAP_readonly | GNTMAP_contains_pte)

static struct maptrack *mt_entry(struct grant_table *gt, unsigned h)
{
	return &gt->mt[h / GNTTAB_MAPTRACK_PER_FRAME][h % GNTTAB_MAPTRACK_PER_FRAME];
}

static unsigned maptrack_get(struct grant_table *gt)
{
	struct maptrack *chunk;
	unsigned h, base;

	if (gt->mt_free == MT_NONE) {
		if (gt->mt_frames >= gt->mt_max)
			return MT_NONE;
		if (!gt->mt)
			gt->mt = xzalloc_bytes(gt->mt_max * sizeof(*gt->mt));
		chunk = gt->mt ? xzalloc_bytes(FRAME_SIZE) : NULL;
		if (!chunk)
			return MT_NONE;
		base = gt->mt_frames * GNTTAB_MAPTRACK_PER_FRAME;
		for (unsigned i = 0; i < GNTTAB_MAPTRACK_PER_FRAME; i++)
			chunk[i].ref = i + 1 < GNTTAB_MAPTRACK_PER_FRAME ? base + i + 1 : MT_NONE;
		gt->mt[gt->mt_frames++] = chunk;
		gt->mt_free = base;
	}
	h = gt->mt_free;
	gt->mt_free = mt_entry(gt, h)->ref;
	gt->mt_used++;
	return h;
}

static void maptrack_put(struct grant_table *gt, unsigned h)
{
	struct maptrack *e = mt_entry(gt, h);

	e->flags = 0;
	e->ref = gt->mt_free;
	gt->mt_free = h;
	gt->mt_used--;
}

unsigned gnttab_maptrack_used(const struct domain *d)
{
	return d->gnttab ? d->gnttab->mt_used : 0;
}

/* Xen's two summary lines, and the count of live mappings Xen does not print. */
void gnttab_usage_print(const struct domain *d)
{
	const struct grant_table *gt = d->gnttab;

	if (!gt)
		return;
	printk("grant-table for remote d%u (v%u)\n  %u frames (%u max), %u maptrack frames (%u max)\n",
	       d->domain_id, gt->version, gt->nr_frames, gt->max_frames, gt->mt_frames, gt->mt_max);
	printk("  d%u: %u grant mappings held (maptrack entries in use)\n", d->domain_id, gt->mt_used);
}

void gnttab_map_one(struct vcpu *v, struct gnttab_map_grant_ref *op)
{
	struct domain *ld = v->domain, *rd;
	struct grant_table *lgt;
	struct grant_pin pin;
	uint64_t pte = 0;
	unsigned h;
	int rc;

	if (!(op->flags & MT_MAPPED)) {
		op->status = GNTST_bad_gntref;   /* as Xen: neither host nor device mapping asked for */
		return;
	}
	rd = domain_lookup(op->dom);
	if (!rd) {
		op->status = GNTST_bad_domain;
		return;
	}
	lgt = gnttab_of(ld);
	h = lgt && !lgt->dying ? maptrack_get(lgt) : MT_NONE;
	if (h == MT_NONE) {
		op->status = GNTST_no_space;
		return;
	}
	rc = gnttab_acquire(rd, op->ref, ld->domain_id, op->flags & GNTMAP_readonly, true, &pin);
	if (!rc && (op->flags & GNTMAP_host_map)) {
		rc = arch_gnttab_map(v, op->host_addr, op->flags, pin.mfn, &pte);
		if (rc)
			gnttab_release(&pin);
	}
	if (rc) {
		maptrack_put(lgt, h);
		op->status = (int16_t)rc;
		return;
	}
	*mt_entry(lgt, h) = (struct maptrack){ .pte = pte, .ref = op->ref, .dom = rd->domain_id,
					       .flags = (uint16_t)(op->flags & MT_KEPT) };
	op->handle = h;
	op->dev_bus_addr = pin.mfn << FRAME_SHIFT;
	op->status = GNTST_okay;
}

/* The grant a live maptrack entry pins. */
static bool entry_pin(const struct maptrack *e, struct grant_pin *pin)
{
	struct domain *rd = domain_lookup_any(e->dom);   /* a dying granter too: its frames are let go */

	if (!rd || !rd->gnttab)
		return false;
	*pin = (struct grant_pin){ .rd = rd, .ref = e->ref, .readonly = e->flags & GNTMAP_readonly,
				   .mfn = gnttab_active(rd->gnttab, e->ref)->mfn };
	return true;
}

int gnttab_unmap_start(struct vcpu *v, uint64_t host_addr, uint64_t dev_bus_addr,
		       grant_handle_t handle, uint64_t new_addr, bool replace,
		       unsigned *release, bool *flush)
{
	struct grant_table *gt = v->domain->gnttab;
	struct maptrack *e;
	struct grant_pin pin;
	int rc;

	*release = MT_NONE;
	if (!gt || handle >= gt->mt_frames * GNTTAB_MAPTRACK_PER_FRAME)
		return GNTST_bad_handle;
	e = mt_entry(gt, handle);
	if (!(e->flags & MT_MAPPED))
		return GNTST_bad_handle;   /* never mapped, or unmapped already */
	if (!entry_pin(e, &pin))
		return GNTST_bad_domain;
	if (dev_bus_addr && (e->flags & GNTMAP_device_map) && dev_bus_addr != pin.mfn << FRAME_SHIFT)
		return GNTST_bad_dev_addr;
	if (replace && !(e->flags & GNTMAP_host_map))
		return GNTST_general_error;
	if (host_addr && (e->flags & GNTMAP_host_map)) {
		rc = arch_gnttab_unmap(v, host_addr, e->flags, e->pte, pin.mfn, new_addr);
		if (rc)
			return rc;
		e->flags &= (uint16_t)~GNTMAP_host_map;
		*flush = true;
	}
	if (dev_bus_addr && (e->flags & GNTMAP_device_map))
		e->flags &= (uint16_t)~GNTMAP_device_map;
	if (!(e->flags & MT_MAPPED)) {
		e->flags |= MT_RELEASING;
		*release = handle;
	}
	return GNTST_okay;
}

void gnttab_unmap_finish(struct domain *ld, unsigned handle)
{
	struct grant_table *gt = ld->gnttab;
	struct maptrack *e = mt_entry(gt, handle);
	struct grant_pin pin;

	BUG_ON(e->flags & MT_MAPPED);
	if (entry_pin(e, &pin))
		gnttab_release(&pin);
	maptrack_put(gt, handle);
}

void gnttab_maptrack_destroy(struct domain *d)
{
	struct grant_table *gt = d->gnttab;
	unsigned n = gt->mt_frames * GNTTAB_MAPTRACK_PER_FRAME;
	struct grant_pin pin;

	for (unsigned h = 0; h < n; h++) {
		struct maptrack *e = mt_entry(gt, h);
		if ((e->flags & GNTMAP_host_map) && entry_pin(e, &pin))
			arch_gnttab_zap(d, e->pte, pin.mfn, e->flags);
	}
	arch_gnttab_flush_tlbs(d, false);   /* the destroyer may not let go of the lock here */
	for (unsigned h = 0; h < n; h++) {
		struct maptrack *e = mt_entry(gt, h);
		if (e->flags & MT_MAPPED) {   /* not MT_RELEASING ones: their unmapper finishes them */
			e->flags &= (uint16_t)~MT_MAPPED;
			gnttab_unmap_finish(d, h);
		}
	}
}
