/*
 * Partial validation (page.h "PGF_partial"): a pin, CR3 load or entry change
 * that validates a deep tree stops when arch_hypercall_preempt_check() says
 * so (-XEN_ERESTART), leaving the tables on the way down partial, and the
 * same request resumes. Checked here against the real common/page*.c and
 * arch/x86/pv/mm_validate.c (fake/memory.c decides when to preempt):
 *
 *   - resuming, however often it stops, ends in exactly the state an
 *     uninterrupted validation reaches;
 *   - a partial table can be used for nothing (loaded, pinned at another
 *     level, mapped writable, changed) until its validation completes;
 *   - abandoning (the guest releases or unpins frames mid-way, another
 *     request completes a partial table, the domain dies) leaks nothing;
 *   - an error in the middle of the tree, found after one or more
 *     resumptions, unwinds every count exactly.
 */
#include "fake/memory.h"
#include <string.h>
#include <asm/page.h>
#include <public/errno.h>
#include "mm.h"

#define P   PTE_P
#define RW  (PTE_P | PTE_W)
#define LAST 24   /* frames 1..LAST take part */

static int setup(void **state)
{
	(void)state;
	fake_mm_reset();
	return 0;
}

/*
 * 1 (L4) -> 2, 10 (L3); 2 -> 3, 6 (L2); 10 -> 11 (L2);
 * 3 -> 4, 5 (L1); 6 -> 7; 11 -> 12 and 4 again (shared L1);
 * data: 20 RW, 21 RO (in 4), 22 RW (5), 23 RO (7), 24 RW (12).
 */
static void build_tree(void)
{
	mm_frame(1)[0] = mm_pte(2, RW);
	mm_frame(1)[1] = mm_pte(10, RW);
	mm_frame(2)[0] = mm_pte(3, RW);
	mm_frame(2)[1] = mm_pte(6, RW);
	mm_frame(10)[0] = mm_pte(11, RW);
	mm_frame(3)[0] = mm_pte(4, RW);
	mm_frame(3)[1] = mm_pte(5, RW);
	mm_frame(6)[0] = mm_pte(7, RW);
	mm_frame(11)[0] = mm_pte(12, RW);
	mm_frame(11)[1] = mm_pte(4, RW);
	mm_frame(4)[0] = mm_pte(20, RW);
	mm_frame(4)[1] = mm_pte(21, P);
	mm_frame(5)[0] = mm_pte(22, RW);
	mm_frame(7)[0] = mm_pte(23, P);
	mm_frame(12)[0] = mm_pte(24, RW);
}

static void assert_baseline(uint64_t first, uint64_t last)
{
	for (uint64_t m = first; m <= last; m++) {
		assert_int_equal(frame_table[m].count, 1);
		assert_int_equal(frame_table[m].type_count, 0);
		assert_false(frame_table[m].flags & (PGF_pinned | PGF_partial));
		assert_false(page_type_is_table(frame_table[m].type));
	}
}

static void assert_no_partial(void)
{
	for (uint64_t m = 0; m < MM_FRAMES; m++)
		assert_false(frame_table[m].flags & PGF_partial);
}

/* The state an uninterrupted pin of the tree reaches (then undone). */
static struct page_info reference[MM_FRAMES];
static uint64_t reference_mem[LAST + 1][512];

static void take_reference(void)
{
	build_tree();
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), 0);
	memcpy(reference, frame_table, sizeof(reference));
	for (uint64_t m = 1; m <= LAST; m++)
		memcpy(reference_mem[m], mm_frame(m), 4096);
	assert_int_equal(page_unpin(&mm_dom_a, 1), 0);
	assert_baseline(1, LAST);
}

static void assert_matches_reference(void)
{
	for (uint64_t m = 1; m <= LAST; m++) {
		const struct page_info *a = &frame_table[m], *b = &reference[m];
		if (a->count != b->count || a->type_count != b->type_count ||
		    (b->type_count && a->type != b->type) || a->flags != b->flags ||
		    memcmp(mm_frame(m), reference_mem[m], 4096))
			fail_msg("frame %lu: count %u/%u type %u/%u type_count %u/%u flags %x/%x",
				 (unsigned long)m, a->count, b->count, a->type, b->type, a->type_count,
				 b->type_count, a->flags, b->flags);
	}
}

/* Re-issue a pin as the guest's continuation would; returns the result, *restarts how often. */
static int pin_until_done(mfn_t mfn, unsigned type, unsigned *restarts)
{
	int rc;

	*restarts = 0;
	while ((rc = page_pin(&mm_dom_a, mfn, type)) == -XEN_ERESTART) {
		assert_false(frame_table[mfn].flags & PGF_pinned);
		++*restarts;
		assert_true(*restarts < 1000);
	}
	return rc;
}

static void test_resume_matches_uninterrupted(void **state)
{
	static const unsigned every[] = { 1, 2, 3, 5, 8 };
	unsigned restarts, checks;

	(void)state;
	take_reference();
	checks = fake_preempt_checks;
	assert_true(checks > 0);   /* the uninterrupted pin asked, and was told to go on */
	for (unsigned k = 0; k < sizeof(every) / sizeof(every[0]); k++) {
		fake_preempt_every = every[k];
		fake_preempt_checks = 0;
		assert_int_equal(pin_until_done(1, PGT_l4, &restarts), 0);
		assert_true(restarts >= 1);
		assert_no_partial();
		assert_matches_reference();
		fake_preempt_every = 0;
		assert_int_equal(page_unpin(&mm_dom_a, 1), 0);
		assert_baseline(1, LAST);
	}
}

/* The first check stops: 1 (L4), 2 (L3), 3 (L2) are partial; 4 (L1) is validated under 3. */
static void stop_at_first_check(void)
{
	build_tree();
	fake_preempt_every = 1;
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), -XEN_ERESTART);
	fake_preempt_every = 0;
	for (mfn_t m = 1; m <= 3; m++) {
		assert_true(frame_table[m].flags & PGF_partial);
		assert_false(frame_table[m].flags & (PGF_validated | PGF_pinned));
		assert_int_equal(frame_table[m].type, PGT_l4 - (m - 1));
		assert_int_equal(frame_table[m].type_count, 1);   /* its own */
		assert_int_equal(frame_table[m].count, 2);        /* allocation + its own */
		assert_int_equal(pv_table_level(m), 0);
	}
	assert_int_equal(frame_table[1].validated_upto, 0);
	assert_int_equal(frame_table[2].validated_upto, 0);
	assert_int_equal(frame_table[3].validated_upto, 1);
	assert_int_equal(pv_table_level(4), 1);
	assert_int_equal(frame_table[4].type_count, 1);
	assert_int_equal(frame_table[20].type, PGT_writable);
}

static void test_partial_tables_are_unusable(void **state)
{
	(void)state;
	take_reference();
	stop_at_first_check();
	/* not loadable or changeable as a table, not pinnable at another level */
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 1, 4, 5, 0, false), -XEN_EINVAL);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 3, 2, 5, 0, false), -XEN_EINVAL);
	assert_int_equal(page_pin(&mm_dom_a, 3, PGT_l1), -XEN_EINVAL);
	assert_int_equal(page_pin(&mm_dom_a, 2, PGT_l2), -XEN_EINVAL);
	assert_int_equal(page_unpin(&mm_dom_a, 1), -XEN_EINVAL);   /* not pinned yet */
	/* nor mapped writable (read-only is fine, as for any table) */
	assert_int_equal(page_pin(&mm_dom_a, 30, PGT_l1), 0);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 30, 1, 0, mm_pte(2, RW), false), -XEN_EBUSY);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 30, 1, 0, mm_pte(2, P), false), 0);
	assert_int_equal(get_page(&mm_dom_a, 3), 0);
	assert_int_equal(get_page_type(&mm_dom_a, 3, PGT_writable), -XEN_EINVAL);
	put_page(3);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 30, 1, 0, 0, false), 0);
	assert_int_equal(page_unpin(&mm_dom_a, 30), 0);
	/* an L2 entry may not name a partial L3 (type conflict, as any L3) */
	assert_int_equal(page_pin(&mm_dom_a, 31, PGT_l2), 0);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 31, 2, 0, mm_pte(2, RW), false), -XEN_EINVAL);
	assert_int_equal(page_unpin(&mm_dom_a, 31), 0);
	/* and the refusals changed nothing: the pin resumes to the reference state */
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), 0);
	assert_matches_reference();
}

static void test_partial_completed_by_another_request(void **state)
{
	(void)state;
	take_reference();
	stop_at_first_check();
	/* the guest pins the partial L3 itself: its validation resumes and completes */
	assert_int_equal(page_pin(&mm_dom_a, 2, PGT_l3), 0);
	assert_false(frame_table[2].flags & PGF_partial);
	assert_int_equal(frame_table[2].type_count, 1);
	assert_int_equal(frame_table[2].count, 2);            /* allocation + pin */
	assert_false(frame_table[3].flags & PGF_partial);    /* completed below it */
	/* the first pin resumes and finds 2 validated: one more type reference */
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), 0);
	assert_int_equal(frame_table[2].type_count, 2);
	assert_int_equal(page_unpin(&mm_dom_a, 2), 0);
	assert_no_partial();
	assert_matches_reference();
	assert_int_equal(page_unpin(&mm_dom_a, 1), 0);
	assert_baseline(1, LAST);
}

static void test_mod_entry_resumes(void **state)
{
	unsigned restarts = 0;
	int rc;

	(void)state;
	build_tree();
	assert_int_equal(page_pin(&mm_dom_a, 30, PGT_l4), 0);   /* an empty L4 */
	fake_preempt_every = 1;
	while ((rc = pv_mod_entry(&mm_dom_a, &mm_dom_a, 30, 4, 7, mm_pte(2, RW), false)) == -XEN_ERESTART) {
		assert_int_equal(mm_frame(30)[7], 0);   /* unchanged until it succeeds */
		assert_true(frame_table[2].flags & PGF_partial);
		assert_true(++restarts < 1000);
	}
	assert_int_equal(rc, 0);
	assert_true(restarts >= 1);
	assert_no_partial();
	assert_int_equal(frame_table[2].type_count, 1);
	assert_int_equal(frame_table[2].count, 2);
	fake_preempt_every = 0;
	assert_int_equal(page_unpin(&mm_dom_a, 30), 0);
	assert_baseline(1, LAST);
}

/* The guest unpins a table of the tree while the pin is partial: nothing is lost or doubled. */
static void test_unpin_mid_way(void **state)
{
	unsigned restarts;

	(void)state;
	take_reference();
	build_tree();
	assert_int_equal(page_pin(&mm_dom_a, 4, PGT_l1), 0);
	assert_int_equal(page_pin(&mm_dom_a, 11, PGT_l2), 0);
	fake_preempt_every = 2;
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), -XEN_ERESTART);
	assert_int_equal(page_unpin(&mm_dom_a, 4), 0);
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), -XEN_ERESTART);
	assert_int_equal(page_unpin(&mm_dom_a, 11), 0);
	assert_int_equal(pin_until_done(1, PGT_l4, &restarts), 0);
	assert_matches_reference();
}

static void test_error_mid_tree_unwinds(void **state)
{
	/* bad entries found late: after the first subtrees were validated and the pin resumed */
	static const struct { mfn_t table; unsigned idx; uint64_t e; int rc; } bad[] = {
		{ 12, 5, (uint64_t)MM_FOREIGN << 12 | P, -XEN_EBUSY },   /* another domain's frame */
		{ 11, 3, (uint64_t)1 << 12 | RW, -XEN_EINVAL },          /* the L4 itself as an L1 */
		{ 7, 9, (uint64_t)3 << 12 | RW, -XEN_EBUSY },            /* an L2 of the tree, writable */
		{ 1, 2, (uint64_t)13 << 12 | RW | PTE_PS, -XEN_EINVAL },  /* reserved bit in the L4 */
		{ 6, 4, (uint64_t)2 << 12 | RW, -XEN_EINVAL },           /* a loop back to the L3 */
	};
	unsigned restarts;

	(void)state;
	for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		for (unsigned every = 1; every <= 4; every++) {
			fake_mm_reset();
			build_tree();
			mm_frame(bad[k].table)[bad[k].idx] = bad[k].e;
			fake_preempt_every = every;
			assert_int_equal(pin_until_done(1, PGT_l4, &restarts), bad[k].rc);
			assert_true(restarts >= 1 || every > 1);   /* every check stops: found after a resumption */
			assert_baseline(1, LAST);
			assert_int_equal(mm_frees, 0);
		}
	}
}

/* The guest frees frames of the tree mid-way, then the domain dies: everything comes back. */
static void test_release_then_domain_dies(void **state)
{
	(void)state;
	stop_at_first_check();
	assert_int_equal(page_release(&mm_dom_a, 1), 0);
	assert_int_equal(page_release(&mm_dom_a, 2), 0);
	assert_int_equal(page_release(&mm_dom_a, 4), 0);   /* validated, held by 3's entry */
	assert_int_equal(mm_frees, 0);                     /* all still held */
	assert_int_equal(frame_table[1].count, 1);
	page_drop_partials(&mm_dom_a);
	assert_int_equal(mm_frees, 3);
	assert_int_equal(frame_table[1].owner, DOMID_XEN);
	assert_int_equal(frame_table[2].owner, DOMID_XEN);
	assert_int_equal(frame_table[4].owner, DOMID_XEN);
	assert_baseline(3, 3);
	assert_baseline(5, LAST);
	page_drop_partial(3);   /* no longer partial: nothing happens */
	assert_baseline(3, 3);
}

static void test_domain_dies_at_every_point(void **state)
{
	(void)state;
	for (unsigned stops = 1; stops < 40; stops++) {
		unsigned n = 0;
		int rc;
		fake_mm_reset();
		build_tree();
		fake_preempt_every = 1;
		while ((rc = page_pin(&mm_dom_a, 1, PGT_l4)) == -XEN_ERESTART && ++n < stops)
			;
		page_drop_partials(&mm_dom_a);
		assert_no_partial();
		if (rc == 0) {
			assert_int_equal(page_unpin(&mm_dom_a, 1), 0);
			assert_baseline(1, LAST);
			return;   /* past the last stopping point */
		}
		assert_int_equal(rc, -XEN_ERESTART);
		assert_baseline(1, LAST);
	}
	fail_msg("the pin never completed");
}

/* ---- Partial devalidation (page.h "PGF_devalidating") ------------------- */

static void assert_devalidating_unusable(void)
{
	for (mfn_t m = 1; m <= LAST; m++) {
		const struct page_info *pg = &frame_table[m];
		if (!(pg->flags & PGF_partial))
			continue;
		assert_true(pg->flags & PGF_devalidating);
		assert_false(pg->flags & (PGF_validated | PGF_pinned));
		assert_int_equal(pg->type_count, 1);
		assert_true(pg->count >= 2);   /* its own, and the allocation */
		assert_int_equal(pv_table_level(m), 0);
	}
}

/* Unpin the pinned tree as the guest's continuation would: finish until done. */
static unsigned unpin_until_done(mfn_t mfn)
{
	unsigned restarts = 0;

	if (page_unpin_preemptible(&mm_dom_a, mfn) == 0)
		return 0;
	do {
		assert_false(frame_table[mfn].flags & PGF_pinned);
		assert_devalidating_unusable();
		assert_true(++restarts < 1000);
	} while (page_finish_devalidation(mfn, true) == -XEN_ERESTART);
	return restarts;
}

static void test_devalidation_resume_matches_uninterrupted(void **state)
{
	static const unsigned every[] = { 1, 2, 3, 4 };   /* the tree has 5 checks when unpinned */

	(void)state;
	take_reference();
	for (unsigned k = 0; k < sizeof(every) / sizeof(every[0]); k++) {
		assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), 0);
		assert_matches_reference();
		fake_preempt_every = every[k];
		fake_preempt_checks = 0;
		assert_true(unpin_until_done(1) >= 1);
		fake_preempt_every = 0;
		assert_no_partial();
		assert_baseline(1, LAST);
		assert_int_equal(mm_frees, 0);
	}
}

/*
 * Stop the unpin, then stop each resumption `stops` times (every check
 * stops) before letting it run out: every stopping point is visited.
 */
static void test_devalidation_every_stopping_point(void **state)
{
	(void)state;
	build_tree();
	for (unsigned stops = 0;; stops++) {
		unsigned n = 0;
		int rc;
		assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), 0);
		fake_preempt_every = 1;
		rc = page_unpin_preemptible(&mm_dom_a, 1);
		while (rc == -XEN_ERESTART && n++ < stops) {
			assert_devalidating_unusable();
			rc = page_finish_devalidation(1, true);
		}
		fake_preempt_every = 0;
		if (rc == 0) {
			assert_baseline(1, LAST);
			assert_true(stops > 3);   /* the tree has that many stopping points at least */
			return;
		}
		assert_int_equal(page_finish_devalidation(1, true), 0);
		assert_no_partial();
		assert_baseline(1, LAST);
		assert_true(stops < 100);
	}
}

/* The first check stops: from the last entry down, 1 -> 10 -> 11 stop; 11 keeps entry 0 (12). */
static void stop_unpin_at_first_check(void)
{
	build_tree();
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), 0);
	fake_preempt_every = 1;
	assert_int_equal(page_unpin_preemptible(&mm_dom_a, 1), -XEN_ERESTART);
	fake_preempt_every = 0;
	for (mfn_t m = 1; m <= LAST; m++)
		assert_int_equal(!!(frame_table[m].flags & PGF_partial), m == 1 || m == 10 || m == 11);
	assert_devalidating_unusable();
	assert_int_equal(frame_table[1].validated_upto, 2);   /* entry 1 (10) handed over */
	assert_true(frame_table[1].flags & PGF_deval_below);
	assert_int_equal(frame_table[10].validated_upto, 1);
	assert_true(frame_table[10].flags & PGF_deval_below);
	assert_int_equal(frame_table[11].validated_upto, 1);   /* entry 1 (4) dropped, 0 (12) held */
	assert_false(frame_table[11].flags & PGF_deval_below);
	assert_int_equal(frame_table[4].type_count, 1);        /* 3's entry still holds it */
	assert_int_equal(pv_table_level(12), 1);
	assert_int_equal(frame_table[24].type, PGT_writable);
	assert_int_equal(frame_table[24].type_count, 1);
}

static void test_devalidating_tables_refuse_use(void **state)
{
	(void)state;
	take_reference();
	stop_unpin_at_first_check();
	/* not a table: no entry change, no unpin (the pin is gone), no reference as an L3 */
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 1, 4, 5, 0, false), -XEN_EINVAL);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 11, 2, 5, 0, false), -XEN_EINVAL);
	assert_int_equal(page_unpin(&mm_dom_a, 1), -XEN_EINVAL);
	/* a table reference finishes the devalidation first, and may itself be preempted */
	fake_preempt_every = 1;
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), -XEN_ERESTART);
	assert_false(frame_table[1].flags & PGF_pinned);
	assert_devalidating_unusable();
	fake_preempt_every = 0;
	/* a writable mapping finishes it at once (its callers cannot continue) */
	assert_int_equal(page_pin(&mm_dom_a, 30, PGT_l1), 0);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 30, 1, 0, mm_pte(1, RW), false), 0);
	assert_no_partial();
	assert_int_equal(frame_table[1].type, PGT_writable);
	assert_int_equal(frame_table[1].count, 2);   /* allocation + the mapping */
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 30, 1, 0, 0, false), 0);
	assert_int_equal(page_unpin(&mm_dom_a, 30), 0);
	assert_baseline(1, LAST);
	/* the request that started it coming back finds nothing left to do */
	assert_int_equal(page_finish_devalidation(1, true), 0);
	/* and the tree pins again exactly as before */
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), 0);
	assert_matches_reference();
}

/* A table handed over below is taken by another request; the parent's resumption leaves it be. */
static void test_devalidating_child_taken_meanwhile(void **state)
{
	(void)state;
	take_reference();
	stop_unpin_at_first_check();
	/* the guest pins 11 (devalidating, not pinned before) as an L2: finished, then validated */
	assert_int_equal(page_pin(&mm_dom_a, 11, PGT_l2), 0);
	assert_false(frame_table[11].flags & PGF_partial);
	assert_int_equal(frame_table[11].type_count, 1);
	assert_int_equal(frame_table[11].count, 2);   /* allocation + pin */
	/* 10 still names 11, but only as the note to finish it: done already */
	assert_int_equal(page_finish_devalidation(1, true), 0);
	assert_no_partial();
	assert_int_equal(frame_table[11].type_count, 1);
	assert_int_equal(pv_table_level(11), 2);
	assert_int_equal(page_unpin(&mm_dom_a, 11), 0);
	assert_baseline(1, LAST);
}

/*
 * A fresh tree pinned and its unpin stopped after `stops` calls (the first
 * and stops - 1 resumptions, fewer if it ends first); preemption stays on.
 */
static int unpin_tree_stopped(unsigned stops)
{
	unsigned n = 0;
	int rc;

	fake_mm_reset();
	build_tree();
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), 0);
	fake_preempt_every = 1;
	rc = page_unpin_preemptible(&mm_dom_a, 1);
	while (rc == -XEN_ERESTART && ++n < stops)
		rc = page_finish_devalidation(1, true);
	return rc;
}

/* Every frame of the tree back with the allocator, nothing partial. */
static void assert_tree_freed(void)
{
	assert_no_partial();
	assert_int_equal(mm_frees, LAST);
	for (mfn_t m = 1; m <= LAST; m++) {
		assert_int_equal(frame_table[m].owner, DOMID_XEN);
		assert_int_equal(frame_table[m].count, 0);
	}
}

/* The guest frees the tree mid-way through its unpin, then the domain dies: at every stopping point, nothing leaks. */
static void test_devalidating_released_and_dropped(void **state)
{
	(void)state;
	for (unsigned stops = 1; stops < 60; stops++) {
		int rc = unpin_tree_stopped(stops);
		fake_preempt_every = 0;
		/* the guest frees the whole tree, then the domain dies */
		for (mfn_t m = 1; m <= LAST; m++)
			assert_int_equal(page_release(&mm_dom_a, m), 0);
		page_drop_partials(&mm_dom_a);
		assert_tree_freed();
		if (rc == 0)
			return;   /* past the last stopping point */
	}
	fail_msg("the unpin never completed");
}

/*
 * decrease_reservation of frames an interrupted unpin left devalidating
 * (page_release_extent): finished first, preemptibly, with nothing
 * released until then; the tree's references come back exactly once,
 * and the frame goes back to the allocator only when it holds none.
 */
static unsigned release_until_done(mfn_t mfn, uint64_t n)
{
	unsigned restarts = 0;
	int rc;

	while ((rc = page_release_extent(&mm_dom_a, mfn, n)) == -XEN_ERESTART) {
		for (uint64_t j = 0; j < n; j++) {
			assert_int_equal(frame_table[mfn + j].owner, mm_dom_a.domain_id);
			assert_true(frame_table[mfn + j].flags & PGF_allocated);
		}
		assert_devalidating_unusable();
		assert_true(++restarts < 1000);
	}
	assert_int_equal(rc, 0);
	return restarts;
}

static void test_decrease_finishes_devalidation(void **state)
{
	uint64_t pages;

	(void)state;
	stop_unpin_at_first_check();
	pages = mm_dom_a.tot_pages;
	fake_preempt_every = 1;
	assert_true(release_until_done(1, 1) >= 1);
	assert_int_equal(mm_frees, 1);
	fake_preempt_every = 0;
	assert_int_equal(frame_table[1].owner, DOMID_XEN);
	assert_int_equal(frame_table[1].count, 0);
	assert_int_equal(mm_dom_a.tot_pages, pages - 1);
	assert_no_partial();
	assert_baseline(2, LAST);   /* each reference the tree held came back once */
	/* the unpin's continuation finds nothing left to do */
	assert_int_equal(page_finish_devalidation(1, true), 0);
	assert_int_equal(mm_frees, 1);
	assert_baseline(2, LAST);
	assert_int_equal(page_release_extent(&mm_dom_a, 2, LAST - 1), 0);
	assert_int_equal(mm_frees, LAST);
	assert_int_equal(mm_dom_a.tot_pages, pages - LAST);
}

/* A table in the middle of the devalidating chain goes first; the parent's note then finds it gone. */
static void test_decrease_middle_of_chain(void **state)
{
	unsigned restarts = 0;

	(void)state;
	stop_unpin_at_first_check();
	fake_preempt_every = 1;
	release_until_done(11, 1);
	assert_int_equal(mm_frees, 1);
	assert_int_equal(frame_table[11].owner, DOMID_XEN);
	assert_int_equal(frame_table[12].count, 1);            /* 11's entry 0 gave its reference back */
	assert_int_equal(frame_table[12].type_count, 0);
	assert_true(frame_table[10].flags & PGF_devalidating); /* still noting 11 */
	while (page_finish_devalidation(1, true) == -XEN_ERESTART)
		assert_true(++restarts < 1000);
	fake_preempt_every = 0;
	assert_no_partial();
	assert_int_equal(mm_frees, 1);                         /* not 12 (a second drop) */
	assert_baseline(1, 10);
	assert_baseline(12, LAST);
}

/* The extent is checked whole before anything is finished or released. */
static void test_decrease_extent_all_or_nothing(void **state)
{
	(void)state;
	stop_unpin_at_first_check();
	assert_int_equal(page_release_extent(&mm_dom_b, 1, 1), -XEN_EINVAL);        /* not B's */
	assert_int_equal(page_release_extent(&mm_dom_a, MM_DOM_FRAMES, 2), -XEN_EINVAL);
	assert_int_equal(page_release_extent(&mm_dom_a, ~0ULL, 2), -XEN_EINVAL);    /* wraps */
	assert_true(frame_table[MM_DOM_FRAMES].flags & PGF_allocated);
	assert_true(frame_table[1].flags & PGF_devalidating);   /* a refused request did no work */
	assert_int_equal(frame_table[1].validated_upto, 2);
	fake_preempt_every = 1;
	assert_true(release_until_done(1, 3) >= 1);
	fake_preempt_every = 0;
	assert_int_equal(mm_frees, 3);
	/* released once: a second decrease of the same frames is refused */
	assert_int_equal(page_release_extent(&mm_dom_a, 1, 1), -XEN_EINVAL);
	assert_no_partial();
	assert_baseline(4, LAST);
}

/* The unpin stopped at every point, then the guest decreases the whole tree: every frame is freed. */
static void test_decrease_at_every_point(void **state)
{
	(void)state;
	for (unsigned stops = 1; stops < 60; stops++) {
		int rc = unpin_tree_stopped(stops);
		release_until_done(1, LAST);
		fake_preempt_every = 0;
		assert_tree_freed();
		assert_int_equal(page_finish_devalidation(1, true), 0);
		if (rc == 0)
			return;   /* past the last stopping point */
	}
	fail_msg("the unpin never completed");
}

/* Clearing the L4 entry that holds the last reference of a tree: done, the tree left to finish. */
static void test_mod_entry_leaves_devalidation_pending(void **state)
{
	unsigned restarts = 0;
	mfn_t pending = 0;

	(void)state;
	build_tree();
	assert_int_equal(page_pin(&mm_dom_a, 30, PGT_l4), 0);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 30, 4, 7, mm_pte(2, RW), false), 0);
	fake_preempt_every = 1;
	assert_int_equal(pv_mod_entry_pending(&mm_dom_a, &mm_dom_a, 30, 4, 7, 0, false, &pending), 0);
	assert_int_equal(mm_frame(30)[7], 0);
	assert_int_equal(pending, 2);
	while (page_finish_devalidation(pending, true) == -XEN_ERESTART) {
		assert_true(frame_table[2].flags & PGF_devalidating);
		assert_devalidating_unusable();
		assert_true(++restarts < 1000);
	}
	assert_true(restarts >= 1);
	fake_preempt_every = 0;
	assert_no_partial();
	assert_int_equal(page_unpin(&mm_dom_a, 30), 0);
	assert_baseline(1, LAST);
	/* an L1 entry, or an entry whose table stays in use, leaves nothing pending */
	pending = 0;
	assert_int_equal(page_pin(&mm_dom_a, 30, PGT_l4), 0);
	assert_int_equal(page_pin(&mm_dom_a, 2, PGT_l3), 0);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 30, 4, 7, mm_pte(2, RW), false), 0);
	fake_preempt_every = 1;
	assert_int_equal(pv_mod_entry_pending(&mm_dom_a, &mm_dom_a, 30, 4, 7, 0, false, &pending), 0);
	assert_int_equal(pending, 0);
	fake_preempt_every = 0;
	assert_int_equal(page_unpin(&mm_dom_a, 2), 0);
	assert_int_equal(page_unpin(&mm_dom_a, 30), 0);
	assert_baseline(1, LAST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_resume_matches_uninterrupted, setup),
		cmocka_unit_test_setup(test_partial_tables_are_unusable, setup),
		cmocka_unit_test_setup(test_partial_completed_by_another_request, setup),
		cmocka_unit_test_setup(test_mod_entry_resumes, setup),
		cmocka_unit_test_setup(test_unpin_mid_way, setup),
		cmocka_unit_test_setup(test_error_mid_tree_unwinds, setup),
		cmocka_unit_test_setup(test_release_then_domain_dies, setup),
		cmocka_unit_test_setup(test_domain_dies_at_every_point, setup),
		cmocka_unit_test_setup(test_devalidation_resume_matches_uninterrupted, setup),
		cmocka_unit_test_setup(test_devalidation_every_stopping_point, setup),
		cmocka_unit_test_setup(test_devalidating_tables_refuse_use, setup),
		cmocka_unit_test_setup(test_devalidating_child_taken_meanwhile, setup),
		cmocka_unit_test_setup(test_devalidating_released_and_dropped, setup),
		cmocka_unit_test_setup(test_mod_entry_leaves_devalidation_pending, setup),
		cmocka_unit_test_setup(test_decrease_finishes_devalidation, setup),
		cmocka_unit_test_setup(test_decrease_middle_of_chain, setup),
		cmocka_unit_test_setup(test_decrease_extent_all_or_nothing, setup),
		cmocka_unit_test_setup(test_decrease_at_every_point, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
