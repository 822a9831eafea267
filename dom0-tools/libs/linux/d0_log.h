/*
 * d0_log.h - the one log helper of the Dom0 tools and libraries
 * (docs/style.md §9): a message per line on stderr, prefixed with the
 * component ("xc", "xenstored", ...) and the level, only at or above the
 * level in force. Messages name the object and what failed, in the
 * words a user can act on: "xc: error: domctl createdomain: Permission
 * denied (root in Dom0 needed for /dev/xen/privcmd)".
 *
 * The level comes from the environment, PARAVANE_LOGLVL=err|warn|info|
 * debug (default warn), read at the first message; d0_log_set_level
 * overrides it.
 */
#ifndef D0_LOG_H
#define D0_LOG_H

#include <stdio.h>

enum d0_log_level { D0_LOG_ERR, D0_LOG_WARN, D0_LOG_INFO, D0_LOG_DEBUG };

void d0_log(enum d0_log_level lvl, const char *who, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void d0_log_set_level(enum d0_log_level lvl);
/* Where messages go (NULL: stderr); for tests. */
void d0_log_set_stream(FILE *f);

#endif /* D0_LOG_H */
