#include "hv_shim.h"

#include <stdlib.h>
#include <string.h>
#include <arch.h>

char shim_console[16384];
static size_t shim_len;

void shim_console_reset(void)
{
	shim_len = 0;
	shim_console[0] = '\0';
}

void arch_console_write(const char *s, size_t len)
{
	size_t room = sizeof(shim_console) - 1 - shim_len;
	if (len > room)
		len = room;
	memcpy(shim_console + shim_len, s, len);
	shim_len += len;
	shim_console[shim_len] = '\0';
}

void arch_console_init(void) {}
void arch_console_flush_early(void) {}
void arch_dump_backtrace(void) {}
uint64_t shim_now_ns;
uint64_t arch_now_ns(void) { return shim_now_ns; }
void arch_udelay(uint64_t us) { (void)us; }

void arch_shutdown(bool failed)
{
	mock_assert(0, failed ? "arch_shutdown(failed)" : "arch_shutdown(ok)", __FILE__, __LINE__);
	abort();
}
