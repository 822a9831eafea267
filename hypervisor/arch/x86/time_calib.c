/*
 * Picking the trustworthy PIT calibration attempt: pure arithmetic on the
 * TSC brackets that time.c records (asm/time_calib.h says why).
 */
#include <asm/time_calib.h>

uint64_t calib_slack(const struct calib_attempt *a)
{
	if (a->start_hi < a->start_lo || a->end_hi < a->end_lo || a->end_lo < a->start_hi)
		return ~0ULL;
	return (a->start_hi - a->start_lo) + (a->end_hi - a->end_lo);
}

/*
 * Each attempt bounds the countdown in TSC cycles: at least from the start
 * bracket's end to the end bracket's start, at most from the start
 * bracket's start to the end bracket's end. The true count is inside every
 * attempt's bounds, so we take the middle of their intersection: attempts
 * disturbed in different places (a stop before the start, another before
 * the end) together pin it down when none of them alone does.
 */
bool calib_pick(const struct calib_attempt *a, unsigned n, unsigned ms,
		uint64_t *tsc_khz, uint64_t *apic_khz)
{
	const struct calib_attempt *best = NULL;
	uint64_t best_slack = ~0ULL, lo = 0, hi = ~0ULL, cycles, span;

	for (unsigned i = 0; i < n; i++) {
		uint64_t s = calib_slack(&a[i]);

		if (s == ~0ULL || a[i].apic_start <= a[i].apic_end)
			continue;
		lo = MAX(lo, a[i].end_lo - a[i].start_hi);
		hi = MIN(hi, a[i].end_hi - a[i].start_lo);
		if (s < best_slack) {
			best = &a[i];
			best_slack = s;
		}
	}
	if (!best || !ms)
		return false;
	if (lo > hi) {   /* attempts that disagree: the least disturbed alone */
		lo = best->end_lo - best->start_hi;
		hi = best->end_hi - best->start_lo;
	}
	cycles = lo + (hi - lo) / 2;
	*tsc_khz = cycles / ms;
	/* the APIC timer's two reads sit just before start_hi and end_hi */
	span = best->end_hi - best->start_hi;
	*apic_khz = span ? (uint64_t)(best->apic_start - best->apic_end) * *tsc_khz / span : 0;
	return *tsc_khz && *apic_khz && hi - lo <= cycles / CALIB_SLACK_DIVISOR;
}
