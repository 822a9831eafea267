/*
 * Calendar dates to seconds since the Unix epoch (1970-01-01 00:00:00 UTC),
 * for clocks that count in dates (the PC's CMOS RTC). Proleptic Gregorian,
 * years 1970..9999.
 */
#include <lib.h>

/*
 * Days from 1970-01-01 to year-month-day. The year is taken to start in
 * March, so the leap day is the last day of its year and the months from
 * March on have a fixed pattern of lengths (153 days per 5 months).
 */
static uint64_t days_since_epoch(unsigned year, unsigned month, unsigned day)
{
	uint64_t y = year - (month <= 2);
	uint64_t era = y / 400, yoe = y % 400;                  /* year of the 400-year era */
	unsigned mp = (month + 9) % 12;                          /* March = 0 */
	uint64_t doy = (153 * mp + 2) / 5 + day - 1;             /* day of the March year */
	uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;    /* day of the era */

	return era * 146097 + doe - 719468;                      /* 719468: 0000-03-01 to 1970-01-01 */
}

static bool is_leap(unsigned year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

bool calendar_to_epoch(unsigned year, unsigned month, unsigned day, unsigned hour,
		       unsigned min, unsigned sec, uint64_t *out)
{
	static const uint8_t month_days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 ||
	    hour > 23 || min > 59 || sec > 59)
		return false;
	if (day > month_days[month - 1] + (unsigned)(month == 2 && is_leap(year)))
		return false;
	*out = days_since_epoch(year, month, day) * 86400 + hour * 3600u + min * 60u + sec;
	return true;
}

bool bcd_to_bin(uint8_t bcd, unsigned *out)
{
	if ((bcd & 0xf) > 9 || (bcd >> 4) > 9)
		return false;
	*out = (bcd >> 4) * 10u + (bcd & 0xf);
	return true;
}
