/* The wallclock XENPF_settime sets (common/wallclock.c), over fake/dom0.c. */
#include "fake/dom0.h"

#include <wallclock.h>
#include <public/xen.h>

#define NS 1000000000ULL

static int setup(void **state)
{
	dshim_reset();
	return 0;
}

static uint64_t wc_sec(const struct domain *d)
{
	return d->shared_info->wc_sec | (uint64_t)d->shared_info->wc_sec_hi << 32;
}

static void test_boot_time_from_now(void **state)
{
	uint64_t sec;
	uint32_t nsec;

	/* At 5.7 s after boot it was 1000.2 s: boot was at 994.5 s. */
	wallclock_set(1000, 200000000, 5 * NS + 700000000);
	assert_true(wallclock_get(&sec, &nsec));
	assert_int_equal(sec, 994);
	assert_int_equal(nsec, 500000000);
	/* Every domain sees it, with an even (stable) version. */
	assert_int_equal(wc_sec(&dshim_dom0), 994);
	assert_int_equal(dshim_dom0.shared_info->wc_nsec, 500000000);
	assert_int_equal(wc_sec(&dshim_domu), 994);
	assert_int_equal(dshim_dom0.shared_info->wc_version % 2, 0);
	assert_true(dshim_dom0.shared_info->wc_version > 0);
}

static void test_64bit_seconds_and_nsec_overflow(void **state)
{
	uint64_t sec;
	uint32_t nsec;

	wallclock_set(0x123456789ULL, 2500000000u, 0);   /* nsec >= 1 s folds into sec */
	assert_true(wallclock_get(&sec, &nsec));
	assert_int_equal(sec, 0x123456789ULL + 2);
	assert_int_equal(nsec, 500000000);
	assert_int_equal(dshim_dom0.shared_info->wc_sec_hi, 1);
}

static void test_system_time_after_now_clamps(void **state)
{
	uint64_t sec;
	uint32_t nsec;

	wallclock_set(3, 0, 10 * NS);
	assert_true(wallclock_get(&sec, &nsec));
	assert_int_equal(sec, 0);
	assert_int_equal(nsec, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_boot_time_from_now, setup, NULL),
		cmocka_unit_test_setup_teardown(test_64bit_seconds_and_nsec_overflow, setup, NULL),
		cmocka_unit_test_setup_teardown(test_system_time_after_now_clamps, setup, NULL),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
