/*
 * The time of day at boot, from the PC's CMOS real-time clock (MC146818),
 * as Xen does: without it every domain's wallclock (shared_info wc_sec)
 * says 1970 until Dom0 sets one with XENPF_settime, and Linux's Dom0 starts
 * its clock from the wallclock. Read once, before any domain runs (Dom0
 * owns ports 0x70/0x71 afterwards).
 */
#include <arch.h>
#include <console.h>
#include <lib.h>
#include <wallclock.h>
#include <asm/cpu.h>
#include <asm/x86.h>

#define CMOS_INDEX     0x70
#define CMOS_DATA      0x71
#define RTC_SEC        0x00
#define RTC_MIN        0x02
#define RTC_HOUR       0x04
#define RTC_MDAY       0x07
#define RTC_MONTH      0x08
#define RTC_YEAR       0x09
#define RTC_STATUS_A   0x0a
#define RTC_STATUS_B   0x0b
#define RTC_UIP        0x80    /* A: an update is in progress, values may tear */
#define RTC_BINARY     0x04    /* B: binary, not BCD */
#define RTC_24H        0x02    /* B: 24-hour clock */
#define RTC_PM         0x80    /* hour bit 7 in 12-hour mode */

enum { R_SEC, R_MIN, R_HOUR, R_MDAY, R_MONTH, R_YEAR, R_COUNT };
static const uint8_t rtc_index[R_COUNT] = { RTC_SEC, RTC_MIN, RTC_HOUR, RTC_MDAY, RTC_MONTH, RTC_YEAR };

static uint8_t cmos_read(uint8_t index)
{
	outb(CMOS_INDEX, index);   /* bit 7 clear: NMIs stay enabled */
	return inb(CMOS_DATA);
}

/* One consistent snapshot: no update in progress, and the same twice. */
static bool rtc_snapshot(uint8_t r[R_COUNT])
{
	uint8_t again[R_COUNT];

	for (unsigned tries = 0; tries < 10; tries++) {
		uint64_t spins = 0;

		while (cmos_read(RTC_STATUS_A) & RTC_UIP)
			if (++spins > 1000000)
				return false;          /* never settles: no RTC there */
		for (unsigned i = 0; i < R_COUNT; i++)
			r[i] = cmos_read(rtc_index[i]);
		for (unsigned i = 0; i < R_COUNT; i++)
			again[i] = cmos_read(rtc_index[i]);
		if (!memcmp(r, again, R_COUNT))
			return true;
	}
	return false;
}

static bool rtc_value(uint8_t raw, bool binary, unsigned *out)
{
	if (binary) {
		*out = raw;
		return true;
	}
	return bcd_to_bin(raw, out);
}

/* Seconds since the epoch the RTC shows; false if it shows no date. */
static bool rtc_read_epoch(uint64_t *epoch)
{
	uint8_t r[R_COUNT], b;
	unsigned v[R_COUNT];
	bool binary, pm;

	if (!rtc_snapshot(r))
		return false;
	b = cmos_read(RTC_STATUS_B);
	binary = b & RTC_BINARY;
	pm = !(b & RTC_24H) && (r[R_HOUR] & RTC_PM);
	if (!(b & RTC_24H))
		r[R_HOUR] &= (uint8_t)~RTC_PM;
	for (unsigned i = 0; i < R_COUNT; i++)
		if (!rtc_value(r[i], binary, &v[i]))
			return false;
	if (!(b & RTC_24H))
		v[R_HOUR] = v[R_HOUR] % 12 + (pm ? 12 : 0);   /* 12 AM is 0, 12 PM is 12 */
	/* the century register is not at one place on every chipset: guess as Xen does */
	v[R_YEAR] += v[R_YEAR] < 70 ? 2000 : 1900;
	return calendar_to_epoch(v[R_YEAR], v[R_MONTH], v[R_MDAY], v[R_HOUR], v[R_MIN], v[R_SEC],
				 epoch);
}

void rtc_init_wallclock(void)
{
	uint64_t epoch;

	if (!rtc_read_epoch(&epoch)) {
		log_warn("time: the CMOS clock shows no date: domains see 1970 until Dom0 sets the time\n");
		return;
	}
	wallclock_set(epoch, 0, arch_now_ns());
	printk("time: wallclock %lu s since 1970 (CMOS clock, UTC assumed)\n", epoch);
}
