/* Console output: formatting and level filtering; the devices are the arch's. */
#include <arch.h>
#include <console.h>

enum log_level console_loglvl = LOG_INFO;
enum log_level console_guest_loglvl = LOG_WARN;

void vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int n = hv_vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
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
