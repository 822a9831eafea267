/*
 * xs_log.c - the daemon's one logging call.  Messages go to stderr with
 * a "xenstored:" prefix; a level above xsd_log_level is dropped, so guest
 * mistakes (logged at 1 or 2) cannot flood the log by default.
 */
#include <stdarg.h>
#include <stdio.h>
#include "xsd.h"

int xsd_log_level;

void xsd_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > xsd_log_level)
		return;
	va_start(ap, fmt);
	fputs("xenstored: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
