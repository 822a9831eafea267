/*
 * Console input (common/console_input.c): bytes typed on the hypervisor's
 * serial console, held for the initial domain until it reads them with
 * CONSOLEIO_read. Linux's hvc0 on Dom0 reads when VIRQ_CONSOLE fires.
 *
 * The ring holds CONSOLE_INPUT_SIZE bytes; when it is full, new bytes are
 * dropped and counted (the typist sees them missing, nothing blocks).
 * Single producer (console_rx_poll, interrupt context) and single consumer
 * (the hypercall), both under the big lock that every CPU holds while it
 * runs hypervisor code (docs/locking.md), so no lock of its own.
 */
#ifndef CONSOLE_INPUT_H
#define CONSOLE_INPUT_H

#include <lib.h>

#define CONSOLE_INPUT_SIZE 4096u     /* a power of two */

/* Queue one received byte; false (and counted) when the ring is full. */
bool console_input_put(uint8_t c);

/* Move up to `n` pending bytes into `buf`; returns how many. */
size_t console_input_take(uint8_t *buf, size_t n);

/* Put the first `n` bytes taken back at the head (a copy to the guest failed). */
void console_input_unget(size_t n);

size_t console_input_pending(void);
uint64_t console_input_dropped(void);

/* Tell the initial domain input is waiting (VIRQ_CONSOLE). */
void console_input_notify(void);

/*
 * Arch hook: move whatever the console UART has received into the ring and
 * notify the initial domain. Called from the timer interrupt and before
 * CONSOLEIO_read; cheap when nothing arrived (one port read).
 */
void console_rx_poll(void);

#endif
