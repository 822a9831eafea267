/*
 * The hypervisor's console: formatted output to every console device the
 * architecture set up (serial, VGA text), filtered by log level.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <lib.h>

enum log_level {
	LOG_NONE,
	LOG_ERR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
	LOG_ALL,
};

/* Messages at or below this level are printed (loglvl=, default info). */
extern enum log_level console_loglvl;
extern enum log_level console_guest_loglvl;

void printk(const char *fmt, ...) PRINTF_LIKE(1, 2);
void vprintk(const char *fmt, va_list ap) PRINTF_LIKE(1, 0);
void log_at(enum log_level level, const char *fmt, ...) PRINTF_LIKE(2, 3);

#define log_err(...)   log_at(LOG_ERR, "error: " __VA_ARGS__)
#define log_warn(...)  log_at(LOG_WARN, "warning: " __VA_ARGS__)
#define log_info(...)  log_at(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_at(LOG_DEBUG, __VA_ARGS__)

/*
 * The log ring: the last CONRING_SIZE bytes printed, for
 * XEN_SYSCTL_readconsole (common/sysctl_console.c). Positions count every
 * byte ever printed (32 bits, wrapping); bytes [oldest, end) are kept.
 * conring_at gives the bytes from pos (oldest <= pos < end) that are
 * contiguous in the ring, at most up to end; conring_drop_before forgets
 * the bytes before pos (a reader's clear).
 */
#define CONRING_SIZE (16u * 1024)   /* a power of two */
void conring_write(const char *s, size_t n);   /* printk's bytes; a DomU's console output */
void conring_bounds(uint32_t *oldest, uint32_t *end);
const char *conring_at(uint32_t pos, uint32_t *len);
void conring_drop_before(uint32_t pos);
/*
 * Bytes went into the ring since Dom0 was last told: at the end of the
 * hypercall (not inside printk, which runs anywhere) hypercall_dispatch
 * raises Dom0's VIRQ_CON_RING, as Xen does from a tasklet.
 */
extern bool conring_unannounced;
void conring_announce(void);

/*
 * A broken invariant in our own state: print, dump a backtrace and stop the
 * machine. Never for guest or configuration input.
 */
void panic(const char *fmt, ...) PRINTF_LIKE(1, 2) NORETURN NOINLINE __attribute__((cold));

#define BUG_ON(cond)                                                              \
	do {                                                                      \
		if (cond)                                                         \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);     \
	} while (0)

#endif
