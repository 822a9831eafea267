/*
 * d0_log.c - the Dom0 tools' log helper (d0_log.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "d0_log.h"

static int level = -1;		/* -1: not yet read from the environment */
static FILE *stream;

static const char *const names[] = { "error", "warning", "info", "debug" };

static void level_from_env(void)
{
	static const char *const words[] = { "err", "warn", "info", "debug" };
	const char *e = getenv("PARAVANE_LOGLVL");

	level = D0_LOG_WARN;
	for (int i = 0; e && i <= D0_LOG_DEBUG; i++)
		if (!strcmp(e, words[i]) || !strcmp(e, names[i]))
			level = i;
}

void d0_log_set_level(enum d0_log_level lvl)
{
	level = lvl;
}

void d0_log_set_stream(FILE *f)
{
	stream = f;
}

void d0_log(enum d0_log_level lvl, const char *who, const char *fmt, ...)
{
	FILE *f = stream ? stream : stderr;
	va_list ap;

	if (level < 0)
		level_from_env();
	if ((int)lvl > level)
		return;
	fprintf(f, "%s: %s: ", who, names[lvl]);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}
