/*
 * Background clearing of freed frames (common/frame_scrub.c): a marked
 * frame stays dirty and without PGF_zeroed until an idle CPU clears it;
 * taken from the allocator first, it is no longer the scrubber's (its
 * taker clears it); a waiting interrupt, or another CPU waiting for the
 * big lock the idle CPU holds, stops the idle work at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <arch.h>
#include <biglock.h>
#include <frame_scrub.h>
#include <page.h>

#define FRAMES 200

static uint8_t memory[FRAMES][4096] __attribute__((aligned(4096)));
static struct page_info table[FRAMES];
struct page_info *frame_table;
uint64_t frame_table_size;
static bool irq_waiting;
struct biglock big_lock;   /* held by the idle CPU: ticket 7 */

void *arch_phys_to_virt(uint64_t pa) { return (uint8_t *)memory + pa; }
bool arch_interrupt_pending(void) { return irq_waiting; }

static int setup(void **state)
{
	(void)state;
	frame_table = table;
	frame_table_size = FRAMES;
	memset(table, 0, sizeof(table));
	memset(memory, 0xa5, sizeof(memory));   /* old data everywhere */
	irq_waiting = false;
	big_lock.serving = 7;
	big_lock.next = 8;      /* nobody waits */
	return 0;
}

static bool cleared(mfn_t m)
{
	for (unsigned i = 0; i < 4096; i++)
		if (memory[m][i])
			return false;
	return true;
}

static void idle_until_done(void)
{
	for (unsigned n = 0; frame_scrub_idle(); n++)
		assert_true(n < FRAMES);
}

/* The bitmap is made once (the first test), as at boot */
static void test_marked_cleared_when_idle(void **state)
{
	(void)state;
	frame_scrub_init();
	assert_true(frame_scrub_ready());
	assert_false(frame_scrub_idle());       /* nothing marked: the CPU may halt */
	frame_scrub_mark(3, 1);
	frame_scrub_mark(64, 2);                /* across a bitmap word */
	frame_scrub_mark(199, 1);
	assert_int_equal(frame_scrub_pending(), 4);
	assert_false(cleared(3));
	assert_false(table[3].flags & PGF_zeroed);
	idle_until_done();
	assert_int_equal(frame_scrub_pending(), 0);
	for (mfn_t m = 0; m < FRAMES; m++) {
		bool was_marked = m == 3 || m == 64 || m == 65 || m == 199;

		assert_int_equal(cleared(m), was_marked);   /* only the marked ones */
		assert_int_equal(!!(table[m].flags & PGF_zeroed), was_marked);
	}
}

static void test_claimed_frames_left_to_taker(void **state)
{
	(void)state;
	frame_scrub_mark(10, 4);
	frame_scrub_claim(8, 2);                /* 8..11: takes 10 and 11 */
	assert_int_equal(frame_scrub_pending(), 2);
	idle_until_done();
	assert_false(cleared(10));              /* the taker's: not written behind its back */
	assert_false(cleared(11));
	assert_false(table[10].flags & PGF_zeroed);
	assert_true(cleared(12));
	assert_true(cleared(13));
	frame_scrub_claim(12, 0);               /* no longer marked: nothing to do */
	assert_int_equal(frame_scrub_pending(), 0);
}

static void test_interrupt_stops_idle_work(void **state)
{
	(void)state;
	frame_scrub_mark(100, 40);
	irq_waiting = true;
	assert_false(frame_scrub_idle());       /* halt, take the interrupt */
	assert_int_equal(frame_scrub_pending(), 40);
	irq_waiting = false;
	assert_true(frame_scrub_idle());        /* a chunk, then look again */
	assert_true(frame_scrub_pending() > 0 && frame_scrub_pending() < 40);
	idle_until_done();
	for (mfn_t m = 100; m < 140; m++)
		assert_true(cleared(m));
}

/* A guest's hypercall on another CPU must not wait for the clearing. */
static void test_lock_waiter_stops_idle_work(void **state)
{
	(void)state;
	frame_scrub_mark(20, 40);
	big_lock.next = 9;                      /* another CPU took ticket 8 */
	assert_false(frame_scrub_idle());       /* halt: the lock goes to it */
	assert_int_equal(frame_scrub_pending(), 40);
	big_lock.serving = 9;                   /* it is done; we are back */
	big_lock.next = 10;
	assert_true(frame_scrub_idle());
	idle_until_done();
	for (mfn_t m = 20; m < 60; m++)
		assert_true(cleared(m));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_marked_cleared_when_idle, setup),
		cmocka_unit_test_setup(test_claimed_frames_left_to_taker, setup),
		cmocka_unit_test_setup(test_interrupt_stops_idle_work, setup),
		cmocka_unit_test_setup(test_lock_waiter_stops_idle_work, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
