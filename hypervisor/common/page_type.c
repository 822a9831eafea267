/*
 * Page types and reference counts: the security core of PV memory.
 *
 * A PV guest writes its own page tables, and the hardware walks them with
 * the guest's CR3 loaded. The hypervisor never shadows them, so it must be
 * sure of three things at every instant:
 *
 *   1. every frame a guest table entry names is one the guest may use
 *      (its own, or a frame it was explicitly given);
 *   2. no guest has a writable mapping of a frame that is in use as a page
 *      table or descriptor table, since a write there would bypass 1;
 *   3. no frame is freed or handed to another domain while anything still
 *      names it.
 *
 * 3 is the general reference count: every name of a frame (a table entry, a
 * CR3, a pin, a GDT slot, the owner's allocation itself) holds one, and the
 * frame goes back to the allocator when the last one goes (put_page).
 *
 * 1 and 2 are the type. A frame is used as exactly one of: an Ln table, a
 * descriptor table, or writable memory, and type_count counts the uses that
 * rely on that type. An L1 entry that maps a frame writable holds a
 * PGT_writable reference on it; an L2 entry holds a PGT_l1 reference on the
 * table it points to; CR3 and pins hold PGT_l4 (or lower) references. A frame
 * changes type only when its type_count is 0, so a frame with a writable
 * mapping cannot become a table, and a table cannot gain a writable
 * mapping. The first reference of a table type validates the frame: every
 * present entry is checked and takes the reference it implies, which for an
 * L2 means validating the L1s below it, and so on down (arch_page_validate).
 * Validation is all or nothing. When the last type reference goes the
 * entries' references are dropped again (arch_page_devalidate): the frame is
 * plain memory once more and may be mapped writable.
 *
 * Because an Ln entry always asks for type L(n-1), one frame can never be
 * two levels at once (type confusion is a type conflict), and a walk down a
 * chain of tables strictly descends, so validation cannot loop: a table
 * that names itself, or a cycle through several tables, asks a frame
 * already typed Ln for type L(n-1) and is refused.
 *
 * Linear ("recursive") page tables, an Ln entry naming an Ln table, are
 * refused by that same rule. Xen allows them read-only at one level; Linux
 * does not use them, and refusing removes the extra counts Xen needed to
 * keep them safe (XSA-240). See docs/memory.md.
 *
 * Validating a big tree is preemptible: a table whose validation stops
 * part-way is left partial (PGF_partial, page.h), holding its own
 * references, and resumes at the next request for the same type. Until
 * then it is neither validated (nothing may load or reference it as a
 * table) nor untyped (nothing may map it writable or use it otherwise).
 * Dropping a big tree's last reference is preemptible the same way where
 * the hypercall can continue (put_page_type_preemptible): the table is
 * left devalidating (PGF_devalidating), still holding the references of
 * its first entries and itself, and any later reference to it first
 * finishes the job, as does the owner giving it back (page_release_extent).
 *
 * Pinning (MMUEXT_PIN_L*_TABLE) takes a general and a type reference that
 * nothing else holds, so a guest can build and validate a tree before
 * loading it, and keep it validated while no CR3 names it.
 *
 * A frame's uses may outlive its last reference in the CPUs: a writable
 * mapping in a TLB until the guest flushes, a table in the paging-structure
 * caches (the CPU may go on walking a table it cached after the entry that
 * named it went), a descriptor frame in the GDT/LDT mappings. So whenever a
 * type count reaches 0 the moment is recorded (tlbflush_stamp), and a frame
 * that changes type, or is freed, or leaves the allocator again
 * (page_flush_reused), flushes first every TLB not flushed since that
 * moment: a batch of frames dropped together and then reused costs one
 * flush, not one each, and none at all once the CPUs flushed on their own.
 *
 * Locking: the big lock, interrupts off (page.h). Every function here
 * validates before it changes anything, or undoes its own changes before
 * returning an error.
 */
#include <console.h>
#include <page.h>
#include <public/errno.h>

static bool type_needs_validation(unsigned type)
{
	return page_type_is_table(type) || type == PGT_seg_desc;
}

HOT_PATH_MM int get_page(struct domain *d, mfn_t mfn)
{
	struct page_info *pg;

	if (mfn >= frame_table_size)
		return -XEN_EINVAL;
	pg = mfn_to_page(mfn);
	/* count 0: free, or being freed; the owner check alone would race with that on SMP */
	if (pg->owner != d->domain_id || pg->count == 0)
		return -XEN_EINVAL;
	if (pg->count >= PAGE_COUNT_MAX)
		return -XEN_EBUSY;
	pg->count++;
	frame_changes++;
	return 0;
}

/*
 * Flush every TLB that may still hold a use of a frame that ended at
 * `stamp` (0: the frame had none since it was last flushed).
 */
static void flush_since(uint64_t stamp)
{
	if (stamp)
		arch_page_flush_tlbs(stamp);
}

/*
 * Frames whose last writable mapping has just gone, waiting for one flush
 * before they are zeroed and freed (page_free_batch_begin/end). Tearing
 * down a domain frees each of its frames right after devalidating the L1
 * that mapped it, so each one's stamp is newer than every CPU's last
 * flush: one flush per frame, and a CR3 write costs microseconds under
 * emulation (a 256 MiB domain: 65 536 flushes, most of destroydomain's
 * time; docs/benchmarks.md). A batched frame is nobody's and not in the
 * allocator, so nothing can reach it until it is freed.
 */
#define FREE_BATCH 512
static struct {
	bool on;
	unsigned n;
	uint64_t stamp;   /* the newest of the batch's */
	mfn_t mfn[FREE_BATCH];
} free_batch;

static void free_batch_drain(void)
{
	flush_since(free_batch.stamp);
	for (unsigned i = 0; i < free_batch.n; i++)
		free_frames(free_batch.mfn[i], 0);
	free_batch.n = 0;
	free_batch.stamp = 0;
}

void page_free_batch_begin(void)
{
	BUG_ON(free_batch.on);
	free_batch.on = true;
}

void page_free_batch_end(void)
{
	BUG_ON(!free_batch.on);
	free_batch_drain();
	free_batch.on = false;
}

/* The last reference went: the frame is nobody's and goes back to the allocator. */
static void page_free(mfn_t mfn)
{
	struct page_info *pg = mfn_to_page(mfn);
	struct domain *d = domain_lookup_any(pg->owner);
	bool batched = false;

	BUG_ON(pg->type_count || (pg->flags & (PGF_allocated | PGF_pinned)));
	if (pg->type == PGT_writable) {
		/* no stale write may reach the free (zeroed) frame */
		if (free_batch.on && pg->tlbflush_stamp) {
			free_batch.stamp = MAX(free_batch.stamp, pg->tlbflush_stamp);
			batched = true;
		} else {
			flush_since(pg->tlbflush_stamp);
		}
	}
	/*
	 * Read-only entries may still sit in TLBs too (the guest need not
	 * flush after its last unmap): harmless while the frame is free and
	 * zeroed, flushed before it is handed out again (page_flush_reused),
	 * by which time the CPUs have usually flushed on their own.
	 */
	pg->tlbflush_stamp = arch_tlb_clock();
	if (d && !(pg->flags & PGF_xen_shared))
		d->tot_pages--;
	if (d && d->is_dying)
		domain_reap_pending = true;   /* perhaps its last frame: domain_reap() looks */
	arch_page_m2p_set(mfn, ~0ULL);
	pg->owner = DOMID_XEN;
	pg->type = PGT_none;
	pg->flags = 0;
	if (!batched) {
		free_frames(mfn, 0);
		return;
	}
	free_batch.mfn[free_batch.n++] = mfn;
	if (free_batch.n == FREE_BATCH)
		free_batch_drain();
}

void page_flush_reused(mfn_t mfn, unsigned order)
{
	uint64_t stamp = 0;

	if (!frame_table)
		return;   /* the frame table's own allocation: no frame was a domain's yet */
	for (uint64_t j = 0; j < (1ULL << order) && mfn + j < frame_table_size; j++) {
		stamp = MAX(stamp, frame_table[mfn + j].tlbflush_stamp);
		frame_table[mfn + j].tlbflush_stamp = 0;   /* flushed below: no CPU holds it now */
	}
	flush_since(stamp);
}

/*
 * A dying domain's shared_info keeps the domain's own reference until
 * domain_free, so its last other mapping going frees nothing: that may
 * have been all that kept the domain (domain_teardown.c), so look now.
 */
static void shared_frame_unused(const struct page_info *pg)
{
	struct domain *d = domain_lookup_any(pg->owner);

	if (d && d->is_dying)
		domain_reap_pending = true;
}

HOT_PATH_MM void put_page(mfn_t mfn)
{
	struct page_info *pg = mfn_to_page(mfn);

	BUG_ON(mfn >= frame_table_size || pg->count == 0);
	frame_changes++;
	if (--pg->count == 0)
		page_free(mfn);
	else if (pg->count == 1 && (pg->flags & PGF_xen_shared))
		shared_frame_unused(pg);
}

/*
 * Validate pg for its type, pg holding type_count 1: from the start, or
 * (resume) from where a partial validation stopped. Preempted: pg becomes
 * partial, keeping that type reference and holding a general one on
 * itself (so the caller's may go). Failed: pg is untyped again.
 */
static int validate(struct domain *d, mfn_t mfn, bool resume)
{
	struct page_info *pg = mfn_to_page(mfn);
	unsigned next = resume ? pg->validated_upto : 0;
	int rc = arch_page_validate(d, mfn, pg->type, &next);

	if (rc == -XEN_ERESTART) {
		pg->validated_upto = next;
		pg->flags |= PGF_partial;
		if (!resume)
			pg->count++;   /* the partial state's own; may pass PAGE_COUNT_MAX (page.h) */
		return rc;
	}
	if (resume)
		put_page(mfn);     /* the partial state's: the caller holds its own */
	if (rc) {
		pg->type_count = 0;
		pg->type = PGT_none;
		return rc;
	}
	pg->flags |= PGF_validated;
	return 0;
}

/*
 * Drop entries [validated_upto down to 0) of pg's table. Preempted: pg
 * keeps entries [0, validated_upto) and is partial (caller's job to mark).
 */
static int devalidate(mfn_t mfn, bool preemptible)
{
	struct page_info *pg = mfn_to_page(mfn);
	unsigned end = pg->validated_upto;
	bool below = pg->flags & PGF_deval_below;
	int rc = arch_page_devalidate(mfn, pg->type, &end, &below, preemptible);

	pg->validated_upto = end;
	pg->flags = (uint8_t)((pg->flags & ~PGF_deval_below) | (below ? PGF_deval_below : 0));
	return rc;
}

static int put_type(mfn_t mfn, bool preemptible)
{
	struct page_info *pg = mfn_to_page(mfn);

	/* a partial frame's only type reference is its own: page_drop_partial */
	BUG_ON(mfn >= frame_table_size || pg->type_count == 0 || (pg->flags & PGF_partial));
	frame_changes++;
	if (--pg->type_count)
		return 0;
	pg->tlbflush_stamp = arch_tlb_clock();   /* its TLB and paging-structure entries may outlive it */
	if (!type_needs_validation(pg->type))
		return 0;
	/* cleared first: a reference back into this frame during teardown is a bug */
	pg->flags &= ~(PGF_validated | PGF_deval_below);
	pg->validated_upto = PAGE_ENTRIES_ALL;
	if (devalidate(mfn, preemptible)) {
		/* the reference that went becomes the partial state's, with a general one */
		pg->type_count = 1;
		pg->flags |= PGF_partial | PGF_devalidating;
		pg->count++;   /* may pass PAGE_COUNT_MAX (page.h) */
		return -XEN_ERESTART;
	}
	pg->type = PGT_none;
	return 0;
}

HOT_PATH_MM void put_page_type(mfn_t mfn)
{
	put_type(mfn, false);
}

int put_page_type_preemptible(mfn_t mfn)
{
	return put_type(mfn, true);
}

/* pg is devalidating: go on; done, it is untyped and its own general reference goes. */
static int finish_devalidation(mfn_t mfn, bool preemptible)
{
	struct page_info *pg = mfn_to_page(mfn);

	BUG_ON(pg->type_count != 1 || pg->count == 0 || (pg->flags & PGF_validated));
	frame_changes++;
	if (devalidate(mfn, preemptible))
		return -XEN_ERESTART;
	pg->flags &= ~(PGF_partial | PGF_devalidating);
	pg->type_count = 0;
	pg->type = PGT_none;
	put_page(mfn);
	return 0;
}

static bool devalidating(mfn_t mfn)
{
	return mfn < frame_table_size &&
	       (frame_table[mfn].flags & (PGF_partial | PGF_devalidating)) ==
		       (PGF_partial | PGF_devalidating);
}

int page_finish_devalidation(mfn_t mfn, bool preemptible)
{
	return devalidating(mfn) ? finish_devalidation(mfn, preemptible) : 0;
}

HOT_PATH_MM int get_page_type(struct domain *d, mfn_t mfn, unsigned type)
{
	struct page_info *pg = mfn_to_page(mfn);

	BUG_ON(mfn >= frame_table_size || pg->count == 0 || type == PGT_none || type >= PGT_nr);
	frame_changes++;   /* even a refusal may have finished a devalidation or failed a validation */
	if (devalidating(mfn)) {
		/*
		 * Its last use ends first. A table reference's callers can
		 * continue (-XEN_ERESTART); the others (a writable mapping, a
		 * descriptor frame) wait, as they did before devalidation was
		 * preemptible.
		 */
		int rc = finish_devalidation(mfn, page_type_is_table(type));
		if (rc)
			return rc;
	}
	if (pg->type_count) {
		if (pg->type != type)
			return -XEN_EINVAL;    /* in use as something else */
		if (pg->flags & PGF_partial) {
			/* resume; the partial state's type reference becomes the caller's */
			BUG_ON(pg->type_count != 1 || pg->count < 2);
			pg->flags &= ~PGF_partial;
			return validate(d, mfn, true);
		}
		if (!(pg->flags & PGF_validated))
			return -XEN_EINVAL;    /* being validated: a reference back into itself */
		if (pg->type_count >= PAGE_COUNT_MAX)
			return -XEN_EBUSY;
		pg->type_count++;
		return 0;
	}
	/*
	 * No reference relies on the old type: the frame may become anything,
	 * once no CPU can still use it as what it was (a table becoming
	 * writable, as much as a writable frame becoming a table).
	 */
	if (pg->type != type)
		flush_since(pg->tlbflush_stamp);
	if (pg->type != type || !(pg->flags & PGF_validated)) {
		pg->type = (uint8_t)type;
		pg->flags &= ~PGF_validated;
	}
	pg->type_count = 1;
	if (!(pg->flags & PGF_validated) && type_needs_validation(type))
		return validate(d, mfn, false);
	pg->flags |= PGF_validated;
	return 0;
}

void page_drop_partial(mfn_t mfn)
{
	struct page_info *pg = mfn_to_page(mfn);

	if (mfn >= frame_table_size || !(pg->flags & PGF_partial))
		return;
	BUG_ON(pg->type_count != 1);
	pg->flags |= PGF_devalidating;   /* the rest is the same in both directions */
	finish_devalidation(mfn, false);
}

void page_drop_partials(struct domain *d)
{
	for (mfn_t m = 0; m < frame_table_size; m++)
		if (frame_table[m].owner == d->domain_id)
			page_drop_partial(m);
}

bool page_type_available(struct domain *d, mfn_t mfn, unsigned type)
{
	const struct page_info *pg;

	if (mfn >= frame_table_size)
		return false;
	pg = mfn_to_page(mfn);
	if (pg->owner != d->domain_id || pg->count == 0 || pg->count >= PAGE_COUNT_MAX ||
	    (pg->flags & PGF_partial))
		return false;
	if (pg->type_count)
		return pg->type == type && (pg->flags & PGF_validated) && pg->type_count < PAGE_COUNT_MAX;
	/* untyped: it may become anything, but a table would need validating first */
	if (page_type_is_table(type))
		return false;
	/*
	 * A writable mapping of it may be gone from the tables but not yet
	 * from another CPU's TLB, through which the guest still writes it.
	 * Flush that now (as get_page_type would later): the caller reads
	 * the contents next (a descriptor frame's entries), and under the big
	 * lock they then stay what it read until it takes the frame.
	 */
	if (pg->type != type)
		flush_since(pg->tlbflush_stamp);
	return true;
}

int get_page_and_type(struct domain *d, mfn_t mfn, unsigned type)
{
	int rc = get_page(d, mfn);

	if (rc)
		return rc;
	rc = get_page_type(d, mfn, type);
	if (rc)
		put_page(mfn);
	return rc;
}

void put_page_and_type(mfn_t mfn)
{
	put_page_type(mfn);
	put_page(mfn);
}

int page_pin(struct domain *d, mfn_t mfn, unsigned type)
{
	int rc;

	if (!page_type_is_table(type))
		return -XEN_EINVAL;
	rc = get_page_and_type(d, mfn, type);
	if (rc)
		return rc;
	if (mfn_to_page(mfn)->flags & PGF_pinned) {
		put_page_and_type(mfn);
		return -XEN_EINVAL;
	}
	mfn_to_page(mfn)->flags |= PGF_pinned;
	return 0;
}

static int unpin(struct domain *d, mfn_t mfn, bool preemptible)
{
	struct page_info *pg;
	int rc;

	if (mfn >= frame_table_size)
		return -XEN_EINVAL;
	pg = mfn_to_page(mfn);
	if (pg->owner != d->domain_id || !(pg->flags & PGF_pinned))
		return -XEN_EINVAL;
	pg->flags &= ~PGF_pinned;
	rc = put_type(mfn, preemptible);
	put_page(mfn);
	return rc;
}

int page_unpin(struct domain *d, mfn_t mfn)
{
	return unpin(d, mfn, false);
}

int page_unpin_preemptible(struct domain *d, mfn_t mfn)
{
	return unpin(d, mfn, true);
}
