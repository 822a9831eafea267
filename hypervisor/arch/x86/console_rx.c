/*
 * Console input from the COM1 UART, polled: each call drains the receive
 * FIFO (LSR data-ready) into the console input ring and raises
 * VIRQ_CONSOLE for the initial domain. The UART's receive interrupt stays
 * off (serial.c clears IER); TODO(#7): take it through the IO-APIC instead
 * of polling, once the hypervisor routes device interrupts.
 */
#include <cmdline.h>
#include <console_input.h>
#include <asm/x86.h>

#define REG_DATA  0
#define REG_LSR   5
#define LSR_DR    0x01
#define RX_BURST  64    /* the FIFO holds 16; bound the work per call anyway */

void console_rx_poll(void)
{
	uint16_t port = (uint16_t)hv_opts.com1_port;
	unsigned n = 0;

	if (!console_serial_on)
		return;
	for (;;) {
		uint8_t lsr = inb(port + REG_LSR);
		/* all ones: no UART answers there */
		if (n == RX_BURST || lsr == 0xff || !(lsr & LSR_DR))
			break;
		console_input_put(inb(port + REG_DATA));
		n++;
	}
	if (n)
		console_input_notify();
}
