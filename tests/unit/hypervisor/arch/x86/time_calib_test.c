/*
 * Host tests of choosing a PIT calibration attempt (arch/x86/time_calib.c):
 * a host stop inside an attempt widens one of its TSC brackets, and such
 * an attempt must not set the machine's clock.
 */
#include "fake/machine.h"

#include <asm/time_calib.h>

#define MHZ 2600ULL             /* the TSC: 2600 cycles a microsecond */
#define MS  20                  /* the countdown */

/* An attempt that starts at TSC t with brackets of `in`/`out` cycles and
 * sees the end `late` cycles after the true 20 ms; APIC at 1 GHz. */
static struct calib_attempt attempt(uint64_t t, uint64_t in, uint64_t late, uint64_t out)
{
	uint64_t end = t + in + MS * 1000 * MHZ + late;
	struct calib_attempt a = {
		.start_lo = t, .start_hi = t + in,
		.end_lo = end - out, .end_hi = end,
		.apic_start = 0xffffff00u,
		.apic_end = 0xffffff00u - (uint32_t)(MS * 1000 * 1000 + late * 1000 / MHZ),
	};
	return a;
}

static void test_one_clean_attempt_is_trusted(void **state)
{
	struct calib_attempt a = attempt(1000, 300, 0, 500);
	uint64_t tsc = 0, apic = 0;

	assert_true(calib_pick(&a, 1, MS, &tsc, &apic));
	assert_in_range(tsc, MHZ * 1000 - 20, MHZ * 1000 + 20);
	assert_in_range(apic, 999990, 1000010);
}

/* The boot that measured 6638 MHz: the host stopped the CPU for ~31 ms
 * just as the countdown ended, so the poll that saw it came late. */
static void test_stop_at_the_end_is_not_trusted(void **state)
{
	uint64_t late = 31 * 1000 * MHZ;
	struct calib_attempt a = attempt(1000, 300, late, late + 400);
	uint64_t tsc = 0, apic = 0;

	assert_false(calib_pick(&a, 1, MS, &tsc, &apic));
}

/* A stop between starting the PIT and reading the TSC: the start bracket
 * is wide (the countdown ran unseen), also refused. */
static void test_stop_at_the_start_is_not_trusted(void **state)
{
	struct calib_attempt a = attempt(1000, 10 * 1000 * MHZ, 0, 400);
	uint64_t tsc = 0, apic = 0;

	assert_false(calib_pick(&a, 1, MS, &tsc, &apic));
}

/* Among a disturbed and a clean attempt, in either order, the clean one. */
static void test_clean_attempt_wins(void **state)
{
	uint64_t late = 31 * 1000 * MHZ;
	struct calib_attempt a[2] = { attempt(1000, 300, late, late + 400),
				      attempt(900000000, 250, 0, 600) };
	uint64_t tsc = 0, apic = 0;

	assert_true(calib_pick(a, 2, MS, &tsc, &apic));
	assert_in_range(tsc, MHZ * 1000 - 20, MHZ * 1000 + 20);
	a[1] = a[0];
	a[0] = attempt(5000, 250, 0, 600);
	tsc = 0;
	assert_true(calib_pick(a, 2, MS, &tsc, &apic));
	assert_in_range(tsc, MHZ * 1000 - 20, MHZ * 1000 + 20);
}

/* All disturbed: the least disturbed one is used, but reported untrusted. */
static void test_least_disturbed_when_none_clean(void **state)
{
	struct calib_attempt a[2] = { attempt(1000, 300, 30 * 1000 * MHZ, 30 * 1000 * MHZ),
				      attempt(1000, 300, 1000 * MHZ, 1000 * MHZ) };
	uint64_t tsc = 0, apic = 0;

	assert_false(calib_pick(a, 2, MS, &tsc, &apic));
	/* the middle of the 1 ms end bracket: 20.5 ms counted as 20 */
	assert_in_range(tsc, MHZ * 1000 * 205 / 200 - 100, MHZ * 1000 * 205 / 200 + 100);
}

/* Two attempts, each disturbed (a stop before the PIT started in one, a
 * stop before the last poll that saw it counting in the other): neither
 * alone is trusted (the least disturbed one's middle reads 16 ms as 20),
 * but together they bound the countdown to a few hundred cycles. */
static void test_disturbed_attempts_together(void **state)
{
	const uint64_t S = 100000000, F = S + MS * 1000 * MHZ, ms = 1000 * MHZ;
	struct calib_attempt a[2] = {
		{ .start_lo = S - 10 * ms, .start_hi = S + 5, .end_lo = F - 300, .end_hi = F + 200 },
		{ .start_lo = S - 100, .start_hi = S + 100, .end_lo = F - 8 * ms, .end_hi = F + 100 },
	};
	uint64_t tsc = 0, apic = 0;

	for (int i = 0; i < 2; i++) {
		a[i].apic_start = 0xffffff00u;
		a[i].apic_end = 0xffffff00u - (uint32_t)((a[i].end_hi - a[i].start_hi) * 1000 / MHZ);
		assert_false(calib_pick(&a[i], 1, MS, &tsc, &apic));   /* alone: no */
	}
	assert_true(calib_pick(a, 2, MS, &tsc, &apic));
	assert_in_range(tsc, MHZ * 1000 - 20, MHZ * 1000 + 20);
	assert_in_range(apic, 999000, 1001000);
}

/* Brackets out of order (a TSC that went backwards) or an APIC timer that
 * did not count down: not usable at all. */
static void test_malformed_attempts_unusable(void **state)
{
	struct calib_attempt a = attempt(1000, 300, 0, 500);
	struct calib_attempt b = a;
	uint64_t tsc = 7, apic = 7;

	b.end_lo = b.start_lo;   /* the end before the start was bracketed */
	assert_int_equal(calib_slack(&b), ~0ULL);
	assert_false(calib_pick(&b, 1, MS, &tsc, &apic));
	b = a;
	b.apic_end = b.apic_start;
	assert_false(calib_pick(&b, 1, MS, &tsc, &apic));
	assert_false(calib_pick(&a, 0, MS, &tsc, &apic));
	assert_int_equal(tsc, 7);   /* nothing usable: outputs untouched */
	assert_int_equal(apic, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_clean_attempt_is_trusted),
		cmocka_unit_test(test_stop_at_the_end_is_not_trusted),
		cmocka_unit_test(test_stop_at_the_start_is_not_trusted),
		cmocka_unit_test(test_clean_attempt_wins),
		cmocka_unit_test(test_least_disturbed_when_none_clean),
		cmocka_unit_test(test_disturbed_attempts_together),
		cmocka_unit_test(test_malformed_attempts_unusable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
