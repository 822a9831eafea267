/*
 * Host harness for the Dom0 pieces (tests/unit/dom0_*_test.c): the port I/O
 * emulator with the real port grant (arch/x86/pv/physdev_io.c), the console
 * input ring and CONSOLEIO_read, the wallclock. Fakes: guest memory with a
 * kernel half that user mode cannot read (so the I/O bitmap read must switch
 * page tables), a recording fake of the port hardware, event sends, domains.
 */
#ifndef DOM0_SHIM_H
#define DOM0_SHIM_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <domain.h>

/* Guest memory: DSHIM_PAGES pages at DSHIM_KVA (kernel half: readable in kernel mode only). */
#define DSHIM_KVA   0xffffffff80000000ULL
#define DSHIM_PAGES 4
extern uint8_t dshim_mem[DSHIM_PAGES * 4096];
extern bool dshim_page_mapped[DSHIM_PAGES];

extern struct domain dshim_dom0, dshim_domu;
extern struct vcpu dshim_v0, dshim_vu;
extern struct vcpu *dshim_current;
/* What arch_console_write printed (console_io writes). */
extern char dshim_console[1024];
extern size_t dshim_console_len;
extern char dshim_conring[1024];
extern size_t dshim_conring_len;

/* Real port accesses the emulator made. */
struct dshim_port_access {
	uint16_t port;
	unsigned size;
	bool write;
	uint32_t val;
};
extern struct dshim_port_access dshim_ports[64];
extern unsigned dshim_nr_ports;
extern uint32_t dshim_port_value;       /* what every real IN returns */

extern unsigned dshim_traps, dshim_toggles;
extern unsigned dshim_virqs_sent;       /* VIRQ_CONSOLE sends to domain 0 */

/* Reset everything; dshim_current = dom0's vCPU 0 in kernel mode, IOPL 1. */
void dshim_reset(void);

#endif
