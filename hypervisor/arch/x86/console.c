/* The x86 console devices (COM1, VGA text) behind arch_console_write. */
#include <arch.h>
#include <cmdline.h>
#include <asm/x86.h>

static char early[4096];
static size_t early_len;
static bool devices_up;

void arch_console_write(const char *s, size_t len)
{
	if (!devices_up) {
		size_t n = MIN(len, sizeof(early) - early_len);
		memcpy(early + early_len, s, n);
		early_len += n;
		return;
	}
	if (console_serial_on)
		serial_write(s, len);
	if (console_vga_on)
		vga_write(s, len);
}

void arch_console_init(void)
{
	if (hv_opts.console_com1)
		serial_init((uint16_t)hv_opts.com1_port, hv_opts.com1_baud);
	if (hv_opts.console_vga)
		vga_init();
	devices_up = true;
}

void arch_console_flush_early(void)
{
	arch_console_write(early, early_len);
	early_len = 0;
}
