/* Unit tests of hypervisor/lib/calendar.c: dates to epoch seconds, BCD bytes. */
#define _DEFAULT_SOURCE
#include "fake/machine.h"

#include <time.h>
#include <lib.h>

static uint64_t epoch_of(unsigned y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s)
{
	uint64_t out = 0xdead;

	assert_true(calendar_to_epoch(y, mo, d, h, mi, s, &out));
	return out;
}

static void known_dates(void **state)
{
	assert_int_equal(epoch_of(1970, 1, 1, 0, 0, 0), 0);
	assert_int_equal(epoch_of(1970, 1, 2, 0, 0, 1), 86401);
	assert_int_equal(epoch_of(2000, 2, 29, 0, 0, 0), 951782400);       /* a 400-year leap day */
	assert_int_equal(epoch_of(2000, 3, 1, 0, 0, 0), 951868800);
	assert_int_equal(epoch_of(2024, 2, 29, 12, 34, 56), 1709210096);
	assert_int_equal(epoch_of(2038, 1, 19, 3, 14, 8), 2147483648ULL);    /* past 32 bits */
	assert_int_equal(epoch_of(9999, 12, 31, 23, 59, 59), 253402300799ULL);
}

/* Every day from 1970 to 2400 agrees with the C library's timegm(). */
static void matches_timegm(void **state)
{
	static const unsigned mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	for (unsigned y = 1970; y <= 2400; y++) {
		bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

		for (unsigned m = 1; m <= 12; m++) {
			unsigned last = mdays[m - 1] + (m == 2 && leap);

			for (unsigned d = 1; d <= last; d++) {
				struct tm tm = { .tm_year = (int)y - 1900, .tm_mon = (int)m - 1,
						 .tm_mday = (int)d, .tm_hour = 13, .tm_min = 7,
						 .tm_sec = 42 };

				assert_int_equal(epoch_of(y, m, d, 13, 7, 42), (uint64_t)timegm(&tm));
			}
		}
	}
}

static void not_dates(void **state)
{
	uint64_t out = 77;

	assert_false(calendar_to_epoch(1969, 12, 31, 23, 59, 59, &out));
	assert_false(calendar_to_epoch(2023, 2, 29, 0, 0, 0, &out));      /* not a leap year */
	assert_false(calendar_to_epoch(1900 + 200, 2, 29, 0, 0, 0, &out)); /* 2100: not either */
	assert_false(calendar_to_epoch(2024, 4, 31, 0, 0, 0, &out));
	assert_false(calendar_to_epoch(2024, 0, 1, 0, 0, 0, &out));
	assert_false(calendar_to_epoch(2024, 13, 1, 0, 0, 0, &out));
	assert_false(calendar_to_epoch(2024, 1, 0, 0, 0, 0, &out));
	assert_false(calendar_to_epoch(2024, 1, 1, 24, 0, 0, &out));
	assert_false(calendar_to_epoch(2024, 1, 1, 0, 60, 0, &out));
	assert_false(calendar_to_epoch(2024, 1, 1, 0, 0, 60, &out));
	assert_false(calendar_to_epoch(10000, 1, 1, 0, 0, 0, &out));
	assert_int_equal(out, 77);   /* untouched on refusal */
}

static void bcd(void **state)
{
	unsigned v = 5;

	assert_true(bcd_to_bin(0x00, &v));
	assert_int_equal(v, 0);
	assert_true(bcd_to_bin(0x59, &v));
	assert_int_equal(v, 59);
	assert_true(bcd_to_bin(0x99, &v));
	assert_int_equal(v, 99);
	assert_false(bcd_to_bin(0x5a, &v));   /* an absent device reads 0xff */
	assert_false(bcd_to_bin(0xa0, &v));
	assert_false(bcd_to_bin(0xff, &v));
	assert_int_equal(v, 99);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_dates),
		cmocka_unit_test(matches_timegm),
		cmocka_unit_test(not_dates),
		cmocka_unit_test(bcd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
