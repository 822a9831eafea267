/*
 * Domain teardown (XEN_DOMCTL_destroydomain): a dead domain's every frame
 * goes back to the allocator, and its id becomes free.
 *
 * It runs in stages, each resumable, because a big domain's page tables
 * take long to devalidate: the hypercall continues (Xen's -ERESTART loop
 * in domain_kill) and the next call goes on from d->teardown_stage.
 *
 *   STOP      no new references to d (is_dying), vCPUs off the run queues,
 *             timers stopped, grant mappings d holds unmapped, pirqs gone
 *             and the PIRQ EOI map let go (arch_domain_relinquish);
 *             the next stage waits (continuing) until no CPU has one of
 *             d's vCPUs loaded any more
 *   EVTCHN    every port closed (also the remote ends)
 *   VCPUS     the vCPUs' own frame references: CR3 roots, GDT/LDT frames,
 *             a moved vcpu_info
 *   FRAMES    the frame table scanned in chunks: for each frame d owns,
 *             an abandoned partial validation dropped, a pending
 *             devalidation finished (preemptibly), a pin dropped, the
 *             allocation reference dropped. A frame goes back when its
 *             last reference goes (page_free), so a frame that d's own
 *             tables still name goes when those tables are devalidated,
 *             later in the scan or in a table's devalidation.
 *             Freed frames are cleared later, in the background
 *             (frame_scrub.c): clearing 4 KiB per frame here was most of
 *             the teardown's time under emulation.
 *   FREE      if nothing d owns is left, the structures go and the id is
 *             free. Frames another domain still references (a foreign
 *             mapping, a grant mapping) stay d's: d lingers, dying, as on
 *             Xen; freeing it before would let a domain created with the
 *             same id inherit them.
 */
#include <arch.h>
#include <console.h>
#include <domain.h>
#include <event.h>
#include <grant_table.h>
#include <hypercall.h>
#include <page.h>
#include <pirq.h>
#include <sched.h>
#include <timer.h>
#include <public/errno.h>

enum { STAGE_STOP, STAGE_EVTCHN, STAGE_VCPUS, STAGE_FRAMES, STAGE_FREE };

/* Frames looked at between preemption checks when none needed work. */
#define SCAN_CHUNK 1024

static void stop_domain(struct domain *d)
{
	d->is_dying = true;
	watchdog_domain_destroy(d);
	gnttab_domain_destroy(d);
	for (unsigned i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		if (!v)
			continue;
		if (v->online)
			sched_remove_vcpu(v);
		v->online = false;
		timer_stop(&v->singleshot_timer);
		timer_stop(&v->periodic_timer);
		timer_stop(&v->poll_timer);
	}
	pirq_domain_destroy(d);
	arch_domain_relinquish(d);
}

static void relinquish_vcpus(struct domain *d)
{
	for (unsigned i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		if (!v)
			continue;
		arch_vcpu_relinquish(v);
		if (v->vcpu_info_moved) {
			put_page_and_type(arch_virt_to_phys(v->vcpu_info) >> FRAME_SHIFT);
			v->vcpu_info_moved = false;
			v->vcpu_info = NULL;
		}
	}
}

/*
 * Give back one frame of d: 0 done (or nothing to do), -XEN_ERESTART when
 * its devalidation stopped part-way (the scan comes back to it).
 */
static int reclaim_frame(struct domain *d, mfn_t m)
{
	struct page_info *pg = mfn_to_page(m);
	int rc;

	if (pg->flags & PGF_devalidating) {
		rc = page_finish_devalidation(m, true);
		if (rc)
			return rc;
	} else if (pg->flags & PGF_partial) {
		page_drop_partial(m);
	}
	/* each step may have freed the frame: look again */
	if (pg->owner == d->domain_id && (pg->flags & PGF_pinned)) {
		rc = page_unpin_preemptible(d, m);
		if (rc == -XEN_ERESTART)
			return rc;   /* unpinned, devalidating: finished on the next visit */
	}
	if (pg->owner == d->domain_id && (pg->flags & PGF_allocated))
		page_release(d, m);
	return 0;
}

static int reclaim_scan(struct domain *d)
{
	unsigned since_check = 0;
	int rc;

	for (; d->teardown_next < frame_table_size; d->teardown_next++) {
		mfn_t m = d->teardown_next;

		if (frame_table[m].owner != d->domain_id) {
			if (++since_check < SCAN_CHUNK)
				continue;
		} else {
			rc = reclaim_frame(d, m);
			if (rc)
				return rc;
		}
		since_check = 0;
		if (arch_hypercall_preempt_check()) {
			d->teardown_next++;
			return -XEN_ERESTART;
		}
	}
	return 0;
}

/* The frames freed meanwhile share TLB flushes (page_free_batch_begin) */
static int reclaim_frames(struct domain *d)
{
	int rc;

	page_free_batch_begin();
	rc = reclaim_scan(d);
	page_free_batch_end();
	return rc;
}

static uint64_t frames_still_owned(const struct domain *d)
{
	uint64_t n = 0;

	for (mfn_t m = 0; m < frame_table_size; m++)
		n += frame_table[m].owner == d->domain_id;
	/* shared_info holds d's own reference until domain_free: only another
	 * domain's mapping of it (a count above that one) keeps d */
	if (d->shared_info && frame_table[d->shared_info_mfn].count == 1)
		n--;
	return n;
}

void domain_free(struct domain *d)
{
	if (!d)
		return;
	frame_changes++;
	for (struct domain **p = &domain_list; *p; p = &(*p)->next)
		if (*p == d) {
			*p = d->next;
			break;
		}
	if (domain0 == d)
		domain0 = NULL;
	if (d->evtchn)
		while (evtchn_domain_destroy(d) == -XEN_ERESTART)
			;
	gnttab_domain_free(d);
	watchdog_domain_destroy(d);
	for (unsigned i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		if (!v)
			continue;
		timer_stop(&v->singleshot_timer);
		timer_stop(&v->periodic_timer);
		timer_stop(&v->poll_timer);
		arch_vcpu_destroy(v);
		xfree(v);
	}
	arch_domain_destroy(d);
	if (d->shared_info)
		put_page_and_type(d->shared_info_mfn);   /* d's own reference: the frame goes */
	xfree(d);
}

void domain_reap(void)
{
	domain_reap_pending = false;
again:
	for_each_domain(d)
		if (d->is_dying && d->teardown_stage == STAGE_FREE && !d->tot_pages &&
		    !frames_still_owned(d)) {
			log_info("d%u: its last frame was let go: freed\n", d->domain_id);
			domain_free(d);
			goto again;
		}
}

static unsigned long teardown_us(const struct domain *d)
{
	return (unsigned long)((now_ns() - d->teardown_start_ns) / 1000);
}

int domain_destroy(struct domain *d)
{
	int rc;

	if (!d->teardown_calls++)
		d->teardown_start_ns = now_ns();
	switch (d->teardown_stage) {
	case STAGE_STOP:
		stop_domain(d);
		d->teardown_stage = STAGE_EVTCHN;
		/* fall through */
	case STAGE_EVTCHN:
		/* a CPU that ran one of d's vCPUs lets go at its next entry: wait for that */
		if (sched_domain_loaded(d))
			return -XEN_ERESTART;
		rc = evtchn_domain_destroy(d);
		if (rc)
			return rc;
		d->teardown_stage = STAGE_VCPUS;
		/* fall through */
	case STAGE_VCPUS:
		relinquish_vcpus(d);
		d->teardown_next = 0;
		d->teardown_stage = STAGE_FRAMES;
		/* fall through */
	case STAGE_FRAMES:
		rc = reclaim_frames(d);
		if (rc)
			return rc;
		d->teardown_stage = STAGE_FREE;
		/* as Xen once a domain is dead (even if frames keep it lingering): tell Dom0 */
		if (domain0 && domain0 != d)
			evtchn_send_global_virq(domain0, VIRQ_DOM_EXC);
		/* fall through */
	case STAGE_FREE:
	default:
		break;
	}
	if (d->tot_pages || frames_still_owned(d)) {
		log_info("d%u: dying; %lu frames still referenced: it lingers until they go (%u calls, %lu us)\n",
			 d->domain_id, (unsigned long)frames_still_owned(d), d->teardown_calls, teardown_us(d));
		return 0;
	}
	log_info("d%u: destroyed in %u calls, all memory reclaimed (%lu us)\n", d->domain_id,
		 d->teardown_calls, teardown_us(d));
	domain_free(d);
	return 0;
}
