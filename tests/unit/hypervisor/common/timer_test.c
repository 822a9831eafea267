/*
 * common/timer.c on the host: per-CPU lists stay sorted and acyclic across
 * set, re-set, stop (also from another CPU) and expiry; re-initialising a
 * stopped timer is fine, re-initialising an armed one (which would cut its
 * CPU's list) panics instead of corrupting it.
 */
#include "fake/machine.h"

#include <string.h>
#include <arch.h>
#include <timer.h>

static uint64_t programmed[2];

void arch_timer_program(uint64_t deadline) { programmed[fake_cpu] = deadline; }

static unsigned fired;
static void count(void *data) { (void)data; fired++; }

/* Every timer armed on `cpu`, walked from its head with a bound: -1 if cyclic. */
static int list_of(unsigned cpu, struct timer *head, struct timer **out, int max)
{
	int n = 0;

	for (struct timer *t = head; t; t = t->next) {
		if (n == max)
			return -1;
		assert_int_equal(t->cpu, cpu);
		assert_true(t->active);
		out[n++] = t;
	}
	return n;
}

static struct timer a, b, c;

static int setup(void **state)
{
	(void)state;
	fake_cpu = 0;
	fired = 0;
	memset(programmed, 0, sizeof(programmed));
	timer_stop(&a);
	timer_stop(&b);
	timer_stop(&c);
	timer_init(&a, count, NULL);
	timer_init(&b, count, NULL);
	timer_init(&c, count, NULL);
	return 0;
}

static void test_sorted_and_stop(void **state)
{
	struct timer *l[4];

	(void)state;
	timer_set(&b, 200);
	timer_set(&c, 300);
	timer_set(&a, 100);
	assert_int_equal(programmed[0], 100);
	assert_int_equal(list_of(0, &a, l, 4), 3);
	assert_ptr_equal(l[1], &b);
	assert_ptr_equal(l[2], &c);
	timer_stop(&b);
	assert_int_equal(list_of(0, &a, l, 4), 2);
	assert_ptr_equal(l[1], &c);
	timer_set(&a, 400);   /* re-set moves it behind c */
	assert_int_equal(list_of(0, &c, l, 4), 2);
	assert_ptr_equal(l[1], &a);
	timer_stop(&c);
	assert_int_equal(programmed[0], 400);   /* the head was stopped on its own CPU */
}

/* Stopped from another CPU: off its owner's list, which keeps the rest. */
static void test_stop_from_other_cpu(void **state)
{
	struct timer *l[4];

	(void)state;
	timer_set(&a, 100);
	timer_set(&b, 200);
	fake_cpu = 1;
	timer_set(&c, 50);
	timer_stop(&a);
	assert_false(a.active);
	assert_int_equal(list_of(0, &b, l, 4), 1);
	assert_int_equal(list_of(1, &c, l, 4), 1);
	timer_stop(&c);
	fake_cpu = 0;
	timer_stop(&b);
}

/* Due timers (now is 0 in the shim) run once each and leave the list. */
static void test_expiry(void **state)
{
	(void)state;
	timer_set(&a, 0);
	timer_set(&b, 0);
	timer_set(&c, 500);
	timers_run();
	assert_int_equal(fired, 2);
	assert_false(a.active);
	assert_false(b.active);
	assert_true(c.active);
	assert_int_equal(programmed[0], 500);
	timer_stop(&c);
}

/* Stopped first, a timer may be initialised again (a vCPU started again). */
static void test_reinit_stopped(void **state)
{
	struct timer *l[4];

	(void)state;
	timer_set(&a, 100);
	timer_set(&b, 200);
	timer_set(&c, 300);
	timer_stop(&b);
	timer_init(&b, count, NULL);
	timer_set(&b, 250);
	assert_int_equal(list_of(0, &a, l, 4), 3);
	assert_ptr_equal(l[1], &b);
	assert_ptr_equal(l[2], &c);
}

/*
 * Armed, it must not be initialised: the memset would leave it linked with
 * next = NULL (the timers behind it lost) and the next timer_set would link
 * it a second time (a cycle that every later walk spins in).
 */
static void test_reinit_armed_panics(void **state)
{
	struct timer *l[4];

	(void)state;
	timer_set(&a, 100);
	timer_set(&b, 200);
	timer_set(&c, 300);
	expect_assert_failure(timer_init(&b, count, NULL));
	assert_int_equal(list_of(0, &a, l, 4), 3);
	assert_ptr_equal(l[2], &c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_sorted_and_stop, setup),
		cmocka_unit_test_setup(test_stop_from_other_cpu, setup),
		cmocka_unit_test_setup(test_expiry, setup),
		cmocka_unit_test_setup(test_reinit_stopped, setup),
		cmocka_unit_test_setup(test_reinit_armed_panics, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
