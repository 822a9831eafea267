/*
 * Grant tables: the table of each domain, and the state machine of a grant.
 *
 * A domain shares one of its frames with another domain by filling an entry
 * of its grant table (frames the hypervisor allocates, owns on the domain's
 * behalf and hands to it through setup_table, like Xen's "xen heap pages
 * shared with the guest"). The entry names the grantee and the frame; the
 * grantee then maps or copies the frame by grant reference (the entry's
 * index). The granter revokes by clearing the entry's flags with an atomic
 * compare-and-swap that succeeds only while neither GTF_reading nor
 * GTF_writing is set, so the hypervisor keeps those flags set for exactly as
 * long as a pin (a mapping, or a copy in flight) uses the grant.
 *
 * The guest may change its entries at any time, so the hypervisor's truth is
 * the active entry (struct active_grant): from the first pin to the last,
 * it holds the grantee and the frame the grant was pinned with, and later
 * pins use those, not the shared entry. A granter that rewrites or zeroes a
 * pinned entry changes nothing the hypervisor relies on: every pin holds a
 * general reference on the frame (it can be neither freed nor given away),
 * and a writable pin a PGT_writable type reference (it cannot become a page
 * table while the grantee can write it). That is what stops a granter from
 * revoking or reusing a page another domain still has mapped.
 *
 * Entry states (flags type bits and the status bits of the entry):
 *
 *   invalid --guest fills--> permit_access --first pin--> +reading [+writing]
 *      ^                          |  ^                          |
 *      +--guest CAS (no r/w)------+  +--last pin released-------+
 *
 * Shared entries are read once per decision: v1 reads flags and domid as
 * one 32-bit word and sets the status bits with a bounded compare-and-swap
 * (a guest rewriting the entry faster than we can update it fails the pin,
 * as on Xen); v2 sets the bits in the separate status frame and then checks
 * that the header did not change meanwhile.
 *
 * Version 1 entries are 8 bytes (512 a frame) with the status bits in the
 * flags; version 2 entries are 16 bytes (256 a frame) with one status word
 * per entry in separate status frames. The version changes only while no
 * grant beyond the 8 reserved ones is pinned; the reserved ones are carried
 * across. See docs/grant-tables.md.
 */
#include <arch.h>
#include <console.h>
#include <public/errno.h>
#include "grant_table_priv.h"

static void *frame_va(mfn_t mfn)
{
	return arch_phys_to_virt(mfn << FRAME_SHIFT);
}

uint32_t gnttab_nr_entries(const struct grant_table *gt)
{
	return gt->nr_frames * (gt->version == 2 ? GT_V2_PER_FRAME : GT_V1_PER_FRAME);
}

static unsigned status_frames_for(unsigned nr_frames)
{
	return (nr_frames * GT_V2_PER_FRAME + GT_STATUS_PER_FRAME - 1) / GT_STATUS_PER_FRAME;
}

struct active_grant *gnttab_active(struct grant_table *gt, grant_ref_t ref)
{
	return &gt->active[ref / GT_ACTIVE_PER_CHUNK][ref % GT_ACTIVE_PER_CHUNK];
}

/* The entry's first bytes: flags (low half) and domid (high half), as one word. */
static uint32_t *entry_word(struct grant_table *gt, grant_ref_t ref)
{
	size_t per = gt->version == 2 ? GT_V2_PER_FRAME : GT_V1_PER_FRAME;
	size_t size = gt->version == 2 ? sizeof(union grant_entry_v2) : sizeof(struct grant_entry_v1);

	return (uint32_t *)((char *)frame_va(gt->shared[ref / per]) + (ref % per) * size);
}

/* Where GTF_reading/GTF_writing live for ref. */
static uint16_t *status_word(struct grant_table *gt, grant_ref_t ref)
{
	if (gt->version == 2)
		return (uint16_t *)frame_va(gt->status[ref / GT_STATUS_PER_FRAME]) +
		       ref % GT_STATUS_PER_FRAME;
	return (uint16_t *)entry_word(gt, ref);
}

/* Clear the status bits no pin needs any more. */
static void clear_status(struct grant_table *gt, grant_ref_t ref, const struct active_grant *act)
{
	uint16_t clr = 0;

	if (!act->wpins)
		clr |= GTF_writing;
	if (!act->pins)
		clr |= GTF_reading;
	if (clr && !gt->dying)
		__atomic_fetch_and(status_word(gt, ref), (uint16_t)~clr, __ATOMIC_SEQ_CST);
}

/* Check an entry header for a first pin: type, grantee, sub-page rule. */
static bool header_ok(uint32_t word, domid_t ld, bool map, bool first)
{
	uint16_t flags = (uint16_t)word;
	uint16_t mask = GTF_type_mask | (map ? GTF_sub_page : 0);

	return !first || ((flags & mask) == GTF_permit_access && (domid_t)(word >> 16) == ld);
}

/* v1: set the status bits in the entry itself, with a bounded compare-and-swap. */
static int pin_status_v1(struct grant_table *gt, grant_ref_t ref, domid_t ld, bool readonly,
			 bool map, bool first)
{
	uint32_t *w = entry_word(gt, ref);
	uint32_t old = __atomic_load_n(w, __ATOMIC_ACQUIRE);

	for (unsigned tries = 0; tries < 5; tries++) {
		uint32_t new = old | GTF_reading | (readonly ? 0 : GTF_writing);
		if (!header_ok(old, ld, map, first))
			return GNTST_general_error;
		if (!readonly && (old & GTF_readonly))
			return GNTST_general_error;   /* a read-only grant pinned writable */
		if (__atomic_compare_exchange_n(w, &old, new, false, __ATOMIC_SEQ_CST,
						__ATOMIC_ACQUIRE))
			return GNTST_okay;
	}
	return GNTST_general_error;   /* the guest keeps changing it */
}

/* v2: the status frame takes the bits; the header must not change meanwhile. */
static int pin_status_v2(struct grant_table *gt, grant_ref_t ref, domid_t ld, bool readonly,
			 bool map, bool first)
{
	uint32_t *w = entry_word(gt, ref);
	uint32_t hdr = __atomic_load_n(w, __ATOMIC_ACQUIRE);

	if (!header_ok(hdr, ld, map, first))
		return GNTST_general_error;
	if (!readonly && (hdr & GTF_readonly))
		return GNTST_general_error;
	__atomic_fetch_or(status_word(gt, ref), (uint16_t)(GTF_reading | (readonly ? 0 : GTF_writing)),
			  __ATOMIC_SEQ_CST);
	if (__atomic_load_n(w, __ATOMIC_SEQ_CST) != hdr)
		return GNTST_general_error;   /* changed under us: the caller clears the bits */
	return GNTST_okay;
}

/* The frame and sub-page range of a grant being pinned for the first time (read once). */
static void read_frame(struct grant_table *gt, grant_ref_t ref, struct active_grant *act)
{
	const char *e = (const char *)entry_word(gt, ref);

	act->sub_off = 0;
	act->sub_len = FRAME_SIZE;
	if (gt->version == 1) {
		act->mfn = __atomic_load_n((const uint32_t *)(e + 4), __ATOMIC_RELAXED);
		return;
	}
	act->mfn = __atomic_load_n((const uint64_t *)(e + 8), __ATOMIC_RELAXED);
	if (__atomic_load_n((const uint16_t *)e, __ATOMIC_RELAXED) & GTF_sub_page) {
		act->sub_off = __atomic_load_n((const uint16_t *)(e + 4), __ATOMIC_RELAXED);
		act->sub_len = __atomic_load_n((const uint16_t *)(e + 6), __ATOMIC_RELAXED);
	}
}

/* The references a pin holds on the frame. */
static int get_frame(struct domain *rd, mfn_t mfn, bool readonly, bool first)
{
	if (get_page(rd, mfn))
		return first ? GNTST_bad_page : GNTST_general_error;
	if (!readonly && get_page_type(rd, mfn, PGT_writable)) {
		put_page(mfn);
		return GNTST_general_error;   /* a page table or descriptor frame of the granter */
	}
	return GNTST_okay;
}

int gnttab_acquire(struct domain *rd, grant_ref_t ref, domid_t ld, bool readonly, bool map,
		   struct grant_pin *pin)
{
	struct grant_table *gt = gnttab_of(rd);
	struct active_grant *act, saved;
	bool first;
	int rc;

	if (!gt || gt->dying)
		return GNTST_bad_domain;
	if (!gt->version)
		return GNTST_general_error;   /* the granter never set its table up */
	if (ref >= gnttab_nr_entries(gt))
		return GNTST_bad_gntref;
	act = gnttab_active(gt, ref);
	first = act->pins == 0;
	if (!first && (act->domid != ld || act->pins == GT_PIN_MAX))
		return GNTST_general_error;
	if (!first && map && act->sub_len != FRAME_SIZE)
		return GNTST_general_error;   /* a sub-page grant pinned by a copy: never mapped */
	saved = *act;
	if (first || (!readonly && !act->wpins)) {
		rc = (gt->version == 2 ? pin_status_v2 : pin_status_v1)(gt, ref, ld, readonly, map, first);
		if (rc)
			goto undo;
	}
	if (first)
		read_frame(gt, ref, act);
	rc = get_frame(rd, act->mfn, readonly, first);
	if (rc)
		goto undo;
	act->domid = ld;
	act->pins++;
	if (!readonly)
		act->wpins++;
	*pin = (struct grant_pin){ .rd = rd, .ref = ref, .readonly = readonly, .mfn = act->mfn,
				   .sub_off = act->sub_off, .sub_len = act->sub_len };
	return GNTST_okay;
undo:
	*act = saved;
	clear_status(gt, ref, act);
	return rc;
}

void gnttab_release(const struct grant_pin *pin)
{
	struct grant_table *gt = pin->rd->gnttab;
	struct active_grant *act = gnttab_active(gt, pin->ref);

	BUG_ON(!act->pins || (!pin->readonly && !act->wpins) || act->mfn != pin->mfn);
	if (!pin->readonly) {
		put_page_type(pin->mfn);
		act->wpins--;
	}
	put_page(pin->mfn);
	act->pins--;
	clear_status(gt, pin->ref, act);
}

/* ---- Frames ----------------------------------------------------------- */

static mfn_t new_shared_frame(struct domain *d)
{
	mfn_t mfn = alloc_frames(0);

	if (mfn == INVALID_MFN)
		return mfn;
	memset(frame_va(mfn), 0, FRAME_SIZE);
	page_share(d, mfn);
	return mfn;
}

/* Grow d's table to nr_frames shared (and, for v2, the status frames they need). All or nothing. */
static int grow(struct domain *d, struct grant_table *gt, unsigned nr_frames)
{
	unsigned old = gt->nr_frames, old_status = gt->nr_status;
	unsigned want_status = gt->version == 2 ? status_frames_for(nr_frames) : 0;

	BUG_ON(nr_frames > gt->max_frames);
	while (gt->nr_frames < nr_frames) {
		unsigned i = gt->nr_frames;
		if (!gt->active[i])
			gt->active[i] = xzalloc_bytes(GT_ACTIVE_PER_CHUNK * sizeof(struct active_grant));
		if (!gt->active[i] || (gt->shared[i] = new_shared_frame(d)) == INVALID_MFN)
			goto fail;
		gt->nr_frames++;
	}
	while (gt->nr_status < want_status) {
		if ((gt->status[gt->nr_status] = new_shared_frame(d)) == INVALID_MFN)
			goto fail;
		gt->nr_status++;
	}
	return 0;
fail:
	while (gt->nr_status > old_status)
		put_page_and_type(gt->status[--gt->nr_status]);
	while (gt->nr_frames > old)
		put_page_and_type(gt->shared[--gt->nr_frames]);   /* active chunks stay for reuse */
	return -XEN_ENOMEM;
}

struct grant_table *gnttab_of(struct domain *d)
{
	struct grant_table *gt = d->gnttab;

	if (gt)
		return gt;
	gt = xzalloc(struct grant_table);
	if (!gt)
		return NULL;
	gt->max_frames = GNTTAB_DEFAULT_MAX_FRAMES;
	gt->mt_max = GNTTAB_DEFAULT_MAPTRACK_FRAMES;
	gt->mt_free = MT_NONE;
	if (grow(d, gt, 1)) {   /* one frame from the start, as Xen */
		/* grow keeps active chunks for reuse; this table has no later use */
		xfree_bytes(gt->active[0], GT_ACTIVE_PER_CHUNK * sizeof(struct active_grant));
		xfree_bytes(gt, sizeof(*gt));
		return NULL;
	}
	d->gnttab = gt;
	return gt;
}

int gnttab_set_limits(struct domain *d, unsigned max_frames, unsigned max_maptrack_frames)
{
	struct grant_table *gt = gnttab_of(d);

	if (!gt)
		return -XEN_ENOMEM;
	if (!max_frames || max_frames > GNTTAB_FRAMES_LIMIT || max_frames < gt->nr_frames ||
	    !max_maptrack_frames || max_maptrack_frames < gt->mt_frames || (gt->mt && max_maptrack_frames != gt->mt_max))
		return -XEN_EINVAL;
	gt->max_frames = max_frames;
	gt->mt_max = max_maptrack_frames;
	return 0;
}

/* ---- Sub-ops on a table --------------------------------------------------- */

int gnttab_setup_table(struct domain *d, uint32_t nr_frames, uint64_t *frames)
{
	struct grant_table *gt = gnttab_of(d);

	if (!gt || gt->dying)
		return GNTST_bad_domain;
	if (nr_frames > gt->max_frames)
		return GNTST_general_error;
	if (!gt->version)
		gt->version = 1;
	if ((nr_frames > gt->nr_frames ||
	     (gt->version == 2 && status_frames_for(nr_frames) > gt->nr_status)) &&
	    grow(d, gt, MAX(nr_frames, gt->nr_frames)))
		return GNTST_general_error;
	for (uint32_t i = 0; i < nr_frames; i++)
		frames[i] = gt->shared[i];
	return GNTST_okay;
}

int gnttab_query_size(struct domain *d, uint32_t *nr_frames, uint32_t *max_frames)
{
	struct grant_table *gt = gnttab_of(d);

	if (!gt || gt->dying)
		return GNTST_bad_domain;
	*nr_frames = gt->nr_frames;
	*max_frames = gt->max_frames;
	return GNTST_okay;
}

int gnttab_get_status_frames(struct domain *d, uint32_t nr_frames, uint64_t *frames)
{
	struct grant_table *gt = gnttab_of(d);

	if (!gt || gt->dying)
		return GNTST_bad_domain;
	if (nr_frames > gt->nr_status)
		return GNTST_general_error;   /* v1 has none */
	for (uint32_t i = 0; i < nr_frames; i++)
		frames[i] = gt->status[i];
	return GNTST_okay;
}

/*
 * XENMEM_acquire_resource of a grant table (Xen 4.17's rules): the size of
 * resource `id` (0: no such id), and the MFNs of its frames [frame,
 * frame + nr), the shared table grown to cover them; status frames only
 * under version 2. 0 or -XEN_EINVAL / -XEN_ENOMEM.
 */
unsigned gnttab_resource_max_frames(struct domain *d, uint32_t id)
{
	struct grant_table *gt = gnttab_of(d);

	if (!gt)
		return 0;
	if (id == XENMEM_resource_grant_table_id_shared)
		return gt->max_frames;
	if (id == XENMEM_resource_grant_table_id_status)
		return status_frames_for(gt->max_frames);
	return 0;
}

int gnttab_resource_frames(struct domain *d, uint32_t id, uint64_t frame, uint32_t nr, uint64_t *mfns)
{
	struct grant_table *gt = gnttab_of(d);
	uint64_t end = frame + nr;

	if (!gt)
		return -XEN_ENOMEM;
	if (gt->dying || (id != XENMEM_resource_grant_table_id_shared &&
			  (id != XENMEM_resource_grant_table_id_status || gt->version != 2)))
		return -XEN_EINVAL;
	if (end < frame || end > gnttab_resource_max_frames(d, id))
		return -XEN_EINVAL;
	if (id == XENMEM_resource_grant_table_id_shared) {
		/*
		 * A toolstack that reaches the table this way (libxenguest seeds
		 * the console and xenstore entries before the guest ever runs)
		 * gets version 1, as by setup_table: Xen's tables start at
		 * version 1, so xenstored can map those entries at once.
		 */
		if (!gt->version)
			gt->version = 1;
		if (end > gt->nr_frames && grow(d, gt, (unsigned)end))
			return -XEN_ENOMEM;
		for (uint32_t i = 0; i < nr; i++)
			mfns[i] = gt->shared[frame + i];
		return 0;
	}
	if (end > gt->nr_status) {
		/* status frames follow the shared ones: grow those until enough exist */
		unsigned want = gt->nr_frames;

		while (want < gt->max_frames && status_frames_for(want) < end)
			want++;
		if (grow(d, gt, want) || end > gt->nr_status)
			return -XEN_ENOMEM;
	}
	for (uint32_t i = 0; i < nr; i++)
		mfns[i] = gt->status[frame + i];
	return 0;
}

/* A reserved entry (0-7) in version-neutral form, to carry it across a version change. */
struct saved_entry {
	uint16_t flags;   /* with the status bits */
	domid_t domid;
	uint64_t frame;
};

static void save_reserved(struct grant_table *gt, struct saved_entry *s, unsigned n)
{
	for (grant_ref_t r = 0; r < n; r++) {
		uint32_t w = *entry_word(gt, r);
		const char *e = (const char *)entry_word(gt, r);
		s[r].flags = (uint16_t)w;
		s[r].domid = (domid_t)(w >> 16);
		if (gt->version == 1) {
			s[r].frame = *(const uint32_t *)(e + 4);
		} else if ((w & GTF_type_mask) == GTF_permit_access) {
			s[r].frame = *(const uint64_t *)(e + 8);
			s[r].flags |= *status_word(gt, r) & (GTF_reading | GTF_writing);
		} else {
			s[r] = (struct saved_entry){ 0 };
		}
	}
}

static void restore_reserved(struct grant_table *gt, const struct saved_entry *s, unsigned n)
{
	for (grant_ref_t r = 0; r < n; r++) {
		char *e = (char *)entry_word(gt, r);
		if (gt->version == 1) {
			*(uint32_t *)(e + 4) = (uint32_t)s[r].frame;
			*(uint32_t *)e = s[r].flags | (uint32_t)s[r].domid << 16;
		} else {
			*(uint64_t *)(e + 8) = s[r].frame;
			*status_word(gt, r) = s[r].flags & (GTF_reading | GTF_writing);
			*(uint32_t *)e = (s[r].flags & ~(GTF_reading | GTF_writing)) | (uint32_t)s[r].domid << 16;
		}
	}
}

/* May the table leave its version? Busy grants beyond the reserved ones, or unrepresentable reserved ones, stop it. */
static int version_change_ok(struct grant_table *gt, unsigned want)
{
	uint32_t n = gnttab_nr_entries(gt);

	for (grant_ref_t r = GNTTAB_NR_RESERVED_ENTRIES; r < n; r++)
		if (gnttab_active(gt, r)->pins)
			return -XEN_EBUSY;
	if (gt->version != 2 || want != 1)
		return 0;
	for (grant_ref_t r = 0; r < GNTTAB_NR_RESERVED_ENTRIES; r++) {
		const char *e = (const char *)entry_word(gt, r);
		uint16_t type = *(const uint16_t *)e & GTF_type_mask;
		if (type == GTF_transitive || (type == GTF_permit_access && (*(const uint64_t *)(e + 8) >> 32)))
			return -XEN_ERANGE;
	}
	for (unsigned i = 0; i < gt->nr_status; i++)
		if (mfn_to_page(gt->status[i])->count > 1)
			return -XEN_EBUSY;   /* the guest still maps a status frame */
	return 0;
}

int gnttab_set_version(struct domain *d, uint32_t *version)
{
	struct grant_table *gt = gnttab_of(d);
	struct saved_entry saved[GNTTAB_NR_RESERVED_ENTRIES];
	uint32_t want = *version;
	unsigned old_status;
	int rc = 0;

	if (!gt)
		return -XEN_ENOMEM;
	if (want != 1 && want != 2) {
		rc = -XEN_EINVAL;
		goto out;
	}
	if (want == gt->version || gt->dying)
		goto out;
	rc = version_change_ok(gt, want);
	if (rc)
		goto out;
	old_status = gt->nr_status;
	if (want == 2) {
		unsigned w = status_frames_for(gt->nr_frames);
		while (gt->nr_status < w) {
			if ((gt->status[gt->nr_status] = new_shared_frame(d)) == INVALID_MFN) {
				while (gt->nr_status > old_status)
					put_page_and_type(gt->status[--gt->nr_status]);
				rc = -XEN_ENOMEM;
				goto out;
			}
			gt->nr_status++;
		}
	}
	/* Nothing can fail from here on. */
	if (gt->version)
		save_reserved(gt, saved, GNTTAB_NR_RESERVED_ENTRIES);
	if (want == 1)
		while (gt->nr_status)
			put_page_and_type(gt->status[--gt->nr_status]);
	for (unsigned i = 0; i < gt->nr_frames; i++)
		memset(frame_va(gt->shared[i]), 0, FRAME_SIZE);
	for (unsigned i = 0; i < gt->nr_status; i++)
		memset(frame_va(gt->status[i]), 0, FRAME_SIZE);
	if (gt->version) {
		gt->version = want;
		restore_reserved(gt, saved, GNTTAB_NR_RESERVED_ENTRIES);
	}
	gt->version = want;
out:
	*version = gt->version;
	return rc;
}

int gnttab_swap_grant_ref(struct domain *d, grant_ref_t a, grant_ref_t b)
{
	struct grant_table *gt = gnttab_of(d);
	size_t size;
	char tmp[sizeof(union grant_entry_v2)];

	if (!gt || gt->dying || !gt->version)
		return GNTST_general_error;
	if (a >= gnttab_nr_entries(gt) || b >= gnttab_nr_entries(gt))
		return GNTST_bad_gntref;
	if (gnttab_active(gt, a)->pins || gnttab_active(gt, b)->pins)
		return GNTST_general_error;
	if (a == b)
		return GNTST_okay;
	size = gt->version == 2 ? sizeof(union grant_entry_v2) : sizeof(struct grant_entry_v1);
	memcpy(tmp, entry_word(gt, a), size);
	memcpy(entry_word(gt, a), entry_word(gt, b), size);
	memcpy(entry_word(gt, b), tmp, size);
	if (gt->version == 2) {
		uint16_t s = *status_word(gt, a);
		*status_word(gt, a) = *status_word(gt, b);
		*status_word(gt, b) = s;
	}
	return GNTST_okay;
}

/* ---- Teardown --------------------------------------------------------- */

void gnttab_domain_destroy(struct domain *d)
{
	struct grant_table *gt = d->gnttab;
	unsigned mapped = 0, held = 0;

	if (!gt || gt->dying)
		return;
	mapped = gt->mt_used;
	gnttab_maptrack_destroy(d);   /* may release grants of d's own table: before `dying` */
	gt->dying = true;
	for (unsigned c = 0; c < gt->nr_frames; c++)
		for (unsigned i = 0; gt->active[c] && i < GT_ACTIVE_PER_CHUNK; i++)
			held += gt->active[c][i].pins != 0;
	/* The table's own references; the frames go when d's page tables stop naming them. */
	for (unsigned i = 0; i < gt->nr_status; i++)
		put_page_and_type(gt->status[i]);
	for (unsigned i = 0; i < gt->nr_frames; i++)
		put_page_and_type(gt->shared[i]);
	log_info("gnttab: d%u: %u mappings torn down; %u of its grants still held by others\n",
		 d->domain_id, mapped, held);
}

/*
 * Free d's table (after gnttab_domain_destroy; domain teardown, when no
 * frame of d is referenced any more, so no other domain holds a grant).
 */
void gnttab_domain_free(struct domain *d)
{
	struct grant_table *gt = d->gnttab;

	if (!gt)
		return;
	for (unsigned i = 0; i < GNTTAB_FRAMES_LIMIT; i++)
		xfree_bytes(gt->active[i], GT_ACTIVE_PER_CHUNK * sizeof(struct active_grant));
	for (unsigned i = 0; i < gt->mt_frames; i++)
		xfree_bytes(gt->mt[i], FRAME_SIZE);
	xfree_bytes(gt->mt, gt->mt_max * sizeof(*gt->mt));
	xfree(gt);
	d->gnttab = NULL;
}
