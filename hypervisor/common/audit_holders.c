/*
 * The frame audit (audit.h): the references common code holds for a
 * domain outside its page tables — shared_info, a moved vcpu_info, the
 * FIFO event frames, the grant table's frames and the grants pinned in
 * it — and the check that the pins are exactly the mappings in the
 * grantees' maptracks.
 */
#include <audit.h>
#include <arch.h>
#include "event_channel.h"
#include "grant_table_priv.h"

/* The page_share reference of a hypervisor frame shared with d. */
static void shared_frame(struct audit *a, struct domain *d, mfn_t m, const char *why)
{
	if (m >= frame_table_size || frame_table[m].owner != d->domain_id ||
	    !(frame_table[m].flags & PGF_xen_shared)) {
		audit_fail(a, m, "d%u's %s %#lx is not a frame shared with it", d->domain_id, why, (unsigned long)m);
		return;
	}
	audit_hold(a, m, PGT_writable, why);
}

static void event_refs(struct audit *a, struct domain *d)
{
	const struct evtchn_domain *e = d->evtchn;

	if (!e)
		return;
	for (unsigned i = 0; i < EVTCHN_FIFO_MAX_PAGES; i++)
		if (e->event_array[i])
			audit_hold(a, arch_virt_to_phys(e->event_array[i]) >> FRAME_SHIFT, PGT_writable,
				   "a FIFO event array frame");
	for (unsigned i = 0; e->vcpus && i < e->nr_vcpus; i++)
		if (e->vcpus[i].fifo.control_block)
			audit_hold(a, arch_virt_to_phys(e->vcpus[i].fifo.control_block) >> FRAME_SHIFT, PGT_writable,
				   "a FIFO control block");
}

/* Each pin of a grant holds its frame, a writable one as writable too (grant_table.c). */
static void grant_refs(struct audit *a, struct domain *d)
{
	const struct grant_table *gt = d->gnttab;

	if (!gt)
		return;
	if (!gt->dying) {   /* gnttab_domain_destroy let go of its frames */
		for (unsigned i = 0; i < gt->nr_frames; i++)
			shared_frame(a, d, gt->shared[i], "grant-table frame");
		for (unsigned i = 0; i < gt->nr_status; i++)
			shared_frame(a, d, gt->status[i], "grant status frame");
	}
	for (unsigned c = 0; c < GNTTAB_FRAMES_LIMIT; c++)
		for (unsigned i = 0; gt->active[c] && i < GT_ACTIVE_PER_CHUNK; i++) {
			const struct active_grant *act = &gt->active[c][i];

			if (act->wpins > act->pins)
				audit_fail(a, act->mfn, "d%u grant %u: %u writable of %u pins", d->domain_id,
					   (unsigned)(c * GT_ACTIVE_PER_CHUNK + i), act->wpins, act->pins);
			for (unsigned p = 0; p < act->pins; p++)
				audit_hold(a, act->mfn, p < act->wpins ? PGT_writable : PGT_none, "a grant pin");
		}
}

void audit_domain_refs(struct audit *a, struct domain *d)
{
	if (d->shared_info_mfn < frame_table_size && frame_table[d->shared_info_mfn].owner == d->domain_id)
		shared_frame(a, d, d->shared_info_mfn, "shared_info");
	for (unsigned n = 0; n < d->max_vcpus; n++) {
		const struct vcpu *v = d->vcpus[n];

		if (v && v->vcpu_info_moved)
			audit_hold(a, arch_virt_to_phys(v->vcpu_info) >> FRAME_SHIFT, PGT_writable, "a vcpu_info");
	}
	event_refs(a, d);
	grant_refs(a, d);
}

static struct domain *domain_by_id(domid_t id)
{
	for_each_domain(d)
		if (d->domain_id == id)
			return d;
	return NULL;
}

/*
 * Between hypercalls every pin is a grantee's mapping (a copy pins only
 * while it runs; an unmap waiting for its flush holds a MT_RELEASING entry): each live maptrack entry names a grant pinned for its
 * domain, writable ones a grant with writable pins, and the totals match.
 */
void audit_grant_maps(struct audit *a)
{
	uint64_t pins = 0, wpins = 0, maps = 0, wmaps = 0;

	for_each_domain(d) {
		struct grant_table *gt = d->gnttab;

		for (unsigned c = 0; gt && c < GNTTAB_FRAMES_LIMIT; c++)
			for (unsigned i = 0; gt->active[c] && i < GT_ACTIVE_PER_CHUNK; i++) {
				pins += gt->active[c][i].pins;
				wpins += gt->active[c][i].wpins;
			}
		for (unsigned f = 0; gt && f < gt->mt_frames; f++)
			for (unsigned h = 0; h < GNTTAB_MAPTRACK_PER_FRAME; h++) {
				const struct maptrack *e = &gt->mt[f][h];
				struct domain *rd;
				const struct active_grant *act;
				bool w = !(e->flags & GNTMAP_readonly);

				if (!(e->flags & (GNTMAP_host_map | GNTMAP_device_map | MT_RELEASING)))
					continue;
				maps++;
				wmaps += w;
				rd = domain_by_id(e->dom);
				act = rd && rd->gnttab && e->ref / GT_ACTIVE_PER_CHUNK < GNTTAB_FRAMES_LIMIT ?
					rd->gnttab->active[e->ref / GT_ACTIVE_PER_CHUNK] : NULL;
				if (act)
					act += e->ref % GT_ACTIVE_PER_CHUNK;
				if (!act || !act->pins || act->domid != d->domain_id || (w && !act->wpins))
					audit_fail(a, ~0ULL, "d%u mapping %u: grant %u of d%u is not pinned %sfor it",
						   d->domain_id, (unsigned)(f * GNTTAB_MAPTRACK_PER_FRAME + h), e->ref, e->dom,
						   w ? "writable " : "");
			}
	}
	if (pins != maps || wpins != wmaps)
		audit_fail(a, ~0ULL, "%lu grant pins (%lu writable), but %lu mappings (%lu writable)",
			   (unsigned long)pins, (unsigned long)wpins, (unsigned long)maps, (unsigned long)wmaps);
}
