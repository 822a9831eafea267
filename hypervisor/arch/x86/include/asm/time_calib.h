/*
 * Choosing among PIT calibration attempts (arch/x86/time_calib.c).
 *
 * Under QEMU a CPU is a host thread that the host may stop at any moment
 * for milliseconds. A stop between starting the PIT and reading the TSC,
 * or between the PIT's countdown ending and our seeing it, puts the stop
 * into the measured interval: one busy-host boot measured the TSC at
 * 6638 MHz instead of 2600, and every time Dom0 then read was 2.5 times
 * too slow. So each attempt brackets both of its ends between two TSC
 * reads, which bounds the countdown in TSC cycles, and the calibration
 * ends when the attempts' bounds together are narrow.
 */
#ifndef ASM_TIME_CALIB_H
#define ASM_TIME_CALIB_H

#include <lib.h>

struct calib_attempt {
	uint64_t start_lo, start_hi;   /* TSC before and after the PIT started */
	uint64_t end_lo, end_hi;       /* TSC before the last poll that saw it still
	                                  counting, and after the poll that saw it end */
	uint32_t apic_start, apic_end; /* APIC timer counts read inside those brackets */
};

/* The bounds are narrow when at most this fraction (1/N) of the
 * interval apart: 20 us of a 20 ms countdown. */
#define CALIB_SLACK_DIVISOR 1000

/* The TSC cycles of uncertainty in an attempt; ~0 if it is malformed. */
uint64_t calib_slack(const struct calib_attempt *a);

/*
 * From n attempts of `ms` milliseconds each: the TSC frequency from the
 * middle of what all attempts allow together (each bounds the countdown
 * between its brackets), the APIC timer's from the least disturbed one,
 * in *tsc_khz and *apic_khz. Returns true if what is left uncertain is
 * within CALIB_SLACK_DIVISOR of the interval (the caller may try again
 * otherwise), false also when no attempt is usable (outputs untouched).
 */
bool calib_pick(const struct calib_attempt *a, unsigned n, unsigned ms,
		uint64_t *tsc_khz, uint64_t *apic_khz);

#endif
