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

bool calib_pick(const struct calib_attempt *a, unsigned n, unsigned ms,
		uint64_t *tsc_khz, uint64_t *apic_khz)
{
	const struct calib_attempt *best = NULL;
	uint64_t best_slack = ~0ULL, cycles;

	for (unsigned i = 0; i < n; i++) {
		uint64_t s = calib_slack(&a[i]);

		if (s < best_slack && a[i].apic_start > a[i].apic_end) {
			best = &a[i];
			best_slack = s;
		}
	}
	if (!best || !ms)
		return false;
	/* each end happened somewhere in its bracket: take the middles */
	cycles = (best->end_lo + best->end_hi) / 2 - (best->start_lo + best->start_hi) / 2;
	*tsc_khz = cycles / ms;
	*apic_khz = (uint64_t)(best->apic_start - best->apic_end) / ms;
	return *tsc_khz && best_slack <= cycles / CALIB_SLACK_DIVISOR;
}
