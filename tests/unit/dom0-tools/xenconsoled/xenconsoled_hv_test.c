/*
 * xenconsoled_hv_test.c - the hypervisor's log of xenconsoled
 * (dom0-tools/xenconsoled/cons_hv.c): lines stamped at their first byte
 * only, the line state carried from one piece of the ring to the next, no
 * stamp without --timestamp, never more than the output buffer holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>
#include "cons_hv.h"

static void test_stamps(void **state)
{
	char out[256];
	bool bol = true;
	size_t n;

	(void)state;
	n = cons_hv_format("(XEN) a\n(XEN) b\n", 16, &bol, "[T] ", out, sizeof(out));
	assert_int_equal(n, 24);
	assert_memory_equal(out, "[T] (XEN) a\n[T] (XEN) b\n", 24);
	assert_true(bol);
	/* a line cut between two reads gets one stamp */
	n = cons_hv_format("(XEN) c", 7, &bol, "[T] ", out, sizeof(out));
	assert_memory_equal(out, "[T] (XEN) c", n);
	assert_false(bol);
	n = cons_hv_format("d\n\n", 3, &bol, "[T] ", out, sizeof(out));
	assert_int_equal(n, 7);
	assert_memory_equal(out, "d\n[T] \n", 7);
	assert_true(bol);
}

static void test_plain_and_bounds(void **state)
{
	char out[8];
	bool bol = true;
	size_t n;

	(void)state;
	n = cons_hv_format("ab\ncd\n", 6, &bol, NULL, out, sizeof(out));
	assert_int_equal(n, 6);
	assert_memory_equal(out, "ab\ncd\n", 6);
	/* the buffer ends first: what fits, a stamp never cut */
	bol = true;
	n = cons_hv_format("\n\n\n\n", 4, &bol, "[T] ", out, sizeof(out));
	assert_int_equal(n, 5);
	assert_memory_equal(out, "[T] \n", 5);
	n = cons_hv_format("", 0, &bol, "[T] ", out, sizeof(out));
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stamps),
		cmocka_unit_test(test_plain_and_bounds),
	};

	return cmocka_run_group_tests_name("xenconsoled-hv", tests, NULL, NULL);
}
