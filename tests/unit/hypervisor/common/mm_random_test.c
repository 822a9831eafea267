/*
 * Long random sequences of pin, unpin, entry changes, raw writes and
 * releases, replayed against the real state machine and checked after every
 * step against a reference model that knows nothing of counts: it recomputes
 * from the frames' contents and the set of pins which frames are tables of
 * which level, and so what every count must be (the sum of the references
 * the pins and the validated tables' entries hold).
 *
 * The model's rule for success: an operation succeeds exactly when the
 * state it passes through is consistent, i.e. every frame reachable from
 * a pin is used as one thing only (one table level, or writable) and every
 * entry of every reachable table is valid. A change holds the new entry's
 * references before dropping the old one's, so its intermediate state is
 * "old tables plus the new entry".
 *
 * Validation is preempted at random (fake_preempt_one_in): an operation that
 * gets -XEN_ERESTART is usually re-issued until it finishes, as the
 * guest's continuation would, and sometimes abandoned, leaving partial
 * tables (page.h) behind. The model takes which frames are partial, and
 * how far, from the machine, and checks that each holds exactly its own
 * references plus those of the entries validated so far; reaching a
 * partial frame at its level completes it, at another level is a
 * conflict. Now and then the domain "dies" for its partial frames
 * (page_drop_partials), and once more at the end.
 *
 * Unpins are preemptible too (page_unpin_preemptible): their devalidation
 * is finished as the continuation would, or left pending for a while, as a
 * vCPU's pending devalidation is until its next mmu hypercall; the model
 * counts a devalidating frame's remaining entries like a partial one's.
 * Before a pin or an entry change every pending devalidation is finished
 * (as that hypercall would first), and then none may be left anywhere:
 * finishing a table finishes the tables its entries handed over.
 *
 * MM_RANDOM_SEED and MM_RANDOM_STEPS override the defaults.
 */
#include "fake/memory.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <asm/page.h>
#include <public/errno.h>
#include "mm.h"

#define NF      12          /* frames 1..NF of domain A take part */
#define SLOTS   4           /* entries 0..SLOTS-1 of each frame are used */

struct model {
	int level[MM_FRAMES];   /* 1-4: table of that level; 0: none; -1: conflict */
	unsigned walked[MM_FRAMES];   /* entries [0, walked) of a table counted */
	bool writable[MM_FRAMES];
	unsigned type_refs[MM_FRAMES], refs[MM_FRAMES];
	bool bad;
};

static bool pinned[MM_FRAMES];
static int pin_level[MM_FRAMES];
static bool allocated[MM_FRAMES];
static bool pending[MM_FRAMES];   /* an unpin's devalidation not finished yet */
static unsigned deval_restarts, deval_pending, deval_released;

static void finish_pending(void)
{
	for (uint64_t m = 1; m <= NF; m++) {
		if (!pending[m])
			continue;
		while (page_finish_devalidation(m, true) == -XEN_ERESTART)
			deval_restarts++;
		pending[m] = false;
	}
	for (uint64_t m = 1; m <= NF; m++)
		assert_false(frame_table[m].flags & PGF_devalidating);
}

static bool entry_ok(unsigned level, uint64_t e)
{
	uint64_t allowed = level == 1 ? L1_GUEST_FLAGS : LN_GUEST_FLAGS;

	return !(e & ~(allowed | PTE_ADDR));
}

/* Add one use of frame m at `level` (0: a plain reference; 5: writable) and recurse. */
static void use(struct model *s, uint64_t m, int level);

/*
 * Entries 0..SLOTS-1 are the ones the test writes; 256-271 hold the
 * hypervisor's L4 entries once a frame has been an L4 (they stay when it
 * stops being one), and are checked like any other entry at levels 1-3.
 */
static void walk_table(struct model *s, uint64_t t, int level, unsigned from, unsigned to)
{
	for (unsigned k = 0; k < SLOTS + 16; k++) {
		unsigned i = k < SLOTS ? k : 256 + (k - SLOTS);
		if ((level == 4 && i >= 256) || i < from || i >= to)
			continue;
		uint64_t e = mm_frame(t)[i];
		uint64_t tm = (e & PTE_ADDR) >> 12;
		if (!(e & PTE_P))
			continue;
		if (!entry_ok(level, e) || tm >= MM_FRAMES || frame_table[tm].owner != 1) {
			s->bad = true;
			continue;
		}
		if (level == 1)
			use(s, tm, (e & PTE_W) ? 5 : 0);
		else
			use(s, tm, level - 1);
	}
	s->walked[t] = to;
}

static void use(struct model *s, uint64_t m, int level)
{
	s->refs[m]++;
	if (level == 0)
		return;
	s->type_refs[m]++;
	if (level == 5) {
		s->writable[m] = true;
		if (s->level[m])
			s->bad = true;
		return;
	}
	if (s->writable[m] || (s->level[m] && s->level[m] != level)) {
		s->bad = true;
		return;
	}
	if (s->level[m] == level) {
		if (s->walked[m] < 512)
			walk_table(s, m, level, s->walked[m], 512);   /* a partial table completes */
		return;
	}
	s->level[m] = level;
	walk_table(s, m, level, 0, 512);
}

/*
 * A partial frame as the machine left it: its own references, and its
 * entries so far (a devalidating one's still held; with PGF_deval_below
 * the last of them was handed over to the table it names).
 */
static void use_partial(struct model *s, uint64_t m)
{
	int level = frame_table[m].type - PGT_l1 + 1;
	unsigned upto = frame_table[m].validated_upto;

	if (frame_table[m].flags & PGF_deval_below)
		upto--;
	s->refs[m]++;
	s->type_refs[m]++;
	s->level[m] = level;
	walk_table(s, m, level, 0, upto);
}

/* The state from the pins, plus one extra entry of `xlevel` (0: none). */
static void compute(struct model *s, int xlevel, uint64_t xval)
{
	memset(s, 0, sizeof(*s));
	for (uint64_t m = 1; m <= NF; m++)   /* first: a partial frame never names another */
		if (frame_table[m].flags & PGF_partial)
			use_partial(s, m);
	for (uint64_t m = 1; m <= NF; m++) {
		if (allocated[m])
			s->refs[m]++;
		if (pinned[m])
			use(s, m, pin_level[m]);   /* a pin: one general and one type reference */
	}
	if (xlevel && (xval & PTE_P)) {
		uint64_t tm = (xval & PTE_ADDR) >> 12;
		if (!entry_ok(xlevel, xval) || tm >= MM_FRAMES || frame_table[tm].owner != 1)
			s->bad = true;
		else
			use(s, tm, xlevel == 1 ? ((xval & PTE_W) ? 5 : 0) : xlevel - 1);
	}
}

static void check_against_model(unsigned step)
{
	struct model s;

	compute(&s, 0, 0);
	assert_false(s.bad);
	for (uint64_t m = 1; m <= NF; m++) {
		const struct page_info *pg = &frame_table[m];
		bool partial = pg->flags & PGF_partial;
		if (pg->count != s.refs[m] || pg->type_count != s.type_refs[m] ||
		    (partial && (pg->type_count != 1 || (pg->flags & PGF_validated))) ||
		    (s.level[m] > 0 && (pg->type != PGT_l1 + s.level[m] - 1 ||
					!(pg->flags & (partial ? PGF_partial : PGF_validated)))) ||
		    (s.writable[m] && pg->type != PGT_writable)) {
			fprintf(stderr, "step %u frame %lu: count %u/%u type %u count %u/%u (model level %d w %d)\n",
				step, (unsigned long)m, pg->count, s.refs[m], pg->type, pg->type_count,
				s.type_refs[m], s.level[m], s.writable[m]);
			fail();
		}
	}
}

/* Only entries a table may hold, naming our frames: deeper trees (test_random_trees). */
static bool valid_entries_only;

static uint64_t random_entry(void)
{
	static const uint64_t flag_sets[] = {
		PTE_P, PTE_P | PTE_W, PTE_P | PTE_W | PTE_U, PTE_P | PTE_PS, 0, PTE_P | PTE_G,
	};
	uint64_t target = 1 + (uint64_t)(rand() % (NF + 2));   /* sometimes a foreign frame */

	if (valid_entries_only)
		return ((1 + (uint64_t)(rand() % NF)) << 12) | flag_sets[rand() % 3];
	if (target > NF)
		target = target == NF + 1 ? MM_FOREIGN : MM_XEN;
	return (target << 12) | flag_sets[rand() % 6];
}

static void run_random(bool valid_only)
{
	unsigned seed = getenv("MM_RANDOM_SEED") ? (unsigned)atoi(getenv("MM_RANDOM_SEED")) : 4242;
	unsigned steps = getenv("MM_RANDOM_STEPS") ? (unsigned)atoi(getenv("MM_RANDOM_STEPS")) : 20000;
	unsigned ok = 0, restarts = 0, abandoned = 0;

	if (valid_only)
		steps *= 5;   /* stops inside an unpin are rarer than inside a pin */
	fake_mm_reset();
	valid_entries_only = valid_only;
	fake_preempt_one_in = 2;
	srand(seed);
	memset(pinned, 0, sizeof(pinned));
	memset(pending, 0, sizeof(pending));
	deval_restarts = deval_pending = deval_released = 0;
	for (uint64_t m = 1; m <= NF; m++)
		allocated[m] = true;
	for (unsigned step = 0; step < steps; step++) {
		uint64_t m = 1 + (uint64_t)(rand() % NF);
		unsigned idx = (unsigned)(rand() % SLOTS);
		struct model s;
		int rc;

		switch (rand() % 5) {
		case 0: {   /* pin */
			int level = 1 + rand() % 4;
			bool was = pinned[m];
			if (!allocated[m] && !was)
				break;   /* a released frame may be freed: no longer ours to name */
			finish_pending();
			pinned[m] = true;
			pin_level[m] = level;
			compute(&s, 0, 0);
			rc = page_pin(&mm_dom_a, m, PGT_l1 + level - 1);
			while (rc == -XEN_ERESTART && rand() % 4) {   /* the continuation */
				restarts++;
				rc = page_pin(&mm_dom_a, m, PGT_l1 + level - 1);
			}
			if (rc == -XEN_ERESTART) {   /* abandoned: partial tables stay */
				abandoned++;
				pinned[m] = was;
				break;
			}
			pinned[m] = was || !rc;
			if (was) {
				assert_int_equal(rc, -XEN_EINVAL);
				pin_level[m] = frame_table[m].type - PGT_l1 + 1;
			} else {
				assert_int_equal(rc == 0, !s.bad);
			}
			ok += rc == 0;
			break;
		}
		case 1:     /* unpin */
			if (rand() % 2)
				finish_pending();
			rc = page_unpin_preemptible(&mm_dom_a, m);
			assert_int_equal(rc == 0 || rc == -XEN_ERESTART, pinned[m]);
			pinned[m] = false;
			if (rc == -XEN_ERESTART) {
				while (rand() % 4 && (rc = page_finish_devalidation(m, true)) == -XEN_ERESTART)
					deval_restarts++;
				pending[m] = rc != 0;
				deval_pending += rc != 0;
			}
			break;
		case 2: {   /* change one entry of a validated table */
			uint64_t val = random_entry();
			finish_pending();
			unsigned level = pv_table_level(m);
			compute(&s, 0, 0);
			if (!level) {
				assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, m, 1 + rand() % 4, idx, val, false),
						 -XEN_EINVAL);
				break;
			}
			compute(&s, (int)level, val);
			uint64_t before = mm_frame(m)[idx];
			while ((rc = pv_mod_entry(&mm_dom_a, &mm_dom_a, m, level, idx, val, rand() & 1)) ==
			       -XEN_ERESTART) {
				assert_int_equal(mm_frame(m)[idx], before);
				if (!(rand() % 4))
					break;
				restarts++;
			}
			if (rc == -XEN_ERESTART) {
				abandoned++;
				break;
			}
			assert_int_equal(rc == 0, !s.bad);
			ok += rc == 0;
			break;
		}
		case 3:     /* the guest writes a frame it may write: not a table in use */
			if ((frame_table[m].type_count && frame_table[m].type != PGT_writable) || !allocated[m])
				break;   /* a table in use, or partial: never writable */
			mm_frame(m)[idx] = random_entry();
			break;
		case 4:     /* give a frame back now and then; it stays while referenced */
			if (rand() % 8)
				break;
			for (uint64_t f = 1; f <= NF; f++)   /* rather one an unpin left devalidating */
				if (pending[f] && (frame_table[f].flags & PGF_devalidating) && allocated[f])
					m = f;
			if (!allocated[m])
				break;
			if (rand() % 2) {
				assert_int_equal(page_release(&mm_dom_a, m), 0);
				allocated[m] = false;
				break;
			}
			/* decrease_reservation: a devalidating frame is finished first, maybe over several calls */
			deval_released += !!(frame_table[m].flags & PGF_devalidating);
			while ((rc = page_release_extent(&mm_dom_a, m, 1)) == -XEN_ERESTART) {
				assert_true(frame_table[m].flags & PGF_allocated);
				if (!(rand() % 4))
					break;   /* the guest abandons it: nothing released */
				deval_restarts++;
			}
			assert_true(rc == 0 || rc == -XEN_ERESTART);
			allocated[m] = rc != 0;
			if (!rc)
				assert_false(frame_table[m].owner == 1 && (frame_table[m].flags & PGF_devalidating));
			break;
		}
		if (rand() % 256 == 0)   /* the domain dies, as far as partial validations go */
			page_drop_partials(&mm_dom_a);
		/* frames freed by their last reference come back: reassign for the next steps */
		for (uint64_t f = 1; f <= NF; f++)
			if (frame_table[f].owner == DOMID_XEN) {
				memset(mm_frame(f), 0, 4096);
				assert_int_equal(page_assign(&mm_dom_a, f), 0);
				allocated[f] = true;
			}
		check_against_model(step);
	}
	/* the domain dies: partial validations go, then unpin everything: back to the baseline */
	page_drop_partials(&mm_dom_a);
	for (uint64_t m = 1; m <= NF; m++)
		if (pinned[m])
			assert_int_equal(page_unpin(&mm_dom_a, m), 0);
	for (uint64_t m = 1; m <= NF; m++)
		if (frame_table[m].owner == 1) {
			assert_int_equal(frame_table[m].type_count, 0);
			assert_int_equal(frame_table[m].count, allocated[m] ? 1u : 0u);
		}
	printf("mm_random: seed %u, %u steps, %u successful pins/changes, %u resumptions, %u abandoned; "
	       "devalidation: %u resumptions, %u left pending, %u released devalidating\n",
	       seed, steps, ok, restarts, abandoned, deval_restarts, deval_pending, deval_released);
	assert_true(ok > steps / 20);
	assert_true(restarts > steps / 200 && abandoned > steps / 1000);
	if (valid_only)   /* deep enough trees to stop inside */
		assert_true(deval_restarts > steps / 10000 && deval_pending > steps / 10000);
}

static void test_random(void **state)
{
	(void)state;
	run_random(false);
}

static void test_random_trees(void **state)
{
	(void)state;
	run_random(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_random_trees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
