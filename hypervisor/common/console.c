/* Console output: formatting and level filtering; the devices are the arch's. */
#include <arch.h>
#include <console.h>

enum log_level console_loglvl = LOG_INFO;
enum log_level console_guest_loglvl = LOG_WARN;

/*
 * The log ring (console.h): positions are free-running 32-bit counters, as
 * Xen's; only their differences are compared, so wrapping is harmless.
 */
static char conring[CONRING_SIZE];
static uint32_t conring_prod, conring_cons;
bool conring_unannounced;

void conring_write(const char *s, size_t n)
{
	conring_unannounced = true;
	for (size_t i = 0; i < n; i++)
		conring[conring_prod++ & (CONRING_SIZE - 1)] = s[i];
	if (conring_prod - conring_cons > CONRING_SIZE)
		conring_cons = conring_prod - CONRING_SIZE;
}

void conring_bounds(uint32_t *oldest, uint32_t *end)
{
	*oldest = conring_cons;
	*end = conring_prod;
}

const char *conring_at(uint32_t pos, uint32_t *len)
{
	uint32_t at = pos & (CONRING_SIZE - 1);

	*len = MIN(conring_prod - pos, CONRING_SIZE - at);
	return &conring[at];
}

void conring_drop_before(uint32_t pos)
{
	if (pos - conring_cons <= conring_prod - conring_cons)
		conring_cons = pos;
}

void vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int n = hv_vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	conring_write(buf, (size_t)n);
	arch_console_write(buf, (size_t)n);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void log_at(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > console_loglvl)
		return;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	printk("\n*** PANIC: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	arch_dump_backtrace();
	arch_shutdown(true);
}
