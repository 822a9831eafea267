/*
 * The fake machine's Dom0 layer (the dom0_*_test.c of tests/unit/hypervisor/common/ and arch/x86/pv/): for the port
 * I/O emulator with the real port grant (arch/x86/pv/physdev_io.c), the
 * console input ring and CONSOLEIO_read, the wallclock. Fakes: guest
 * memory with a kernel half that user mode cannot read (so the I/O bitmap
 * read must switch page tables), event sends, Dom0 and a DomU on the
 * machine's domain_list; the port hardware and the console are the
 * machine's recorders (fake_ports, fake_console: fake/machine.h).
 */
#ifndef FAKE_DOM0_H
#define FAKE_DOM0_H

#include "fake/pv.h"

#include <domain.h>

/* Guest memory: DSHIM_PAGES pages at DSHIM_KVA (kernel half: readable in kernel mode only). */
#define DSHIM_KVA   0xffffffff80000000ULL
#define DSHIM_PAGES 4
extern uint8_t dshim_mem[DSHIM_PAGES * 4096];
extern bool dshim_page_mapped[DSHIM_PAGES];

extern struct domain dshim_dom0, dshim_domu;
extern struct vcpu dshim_v0, dshim_vu;
/* What console_io put in the hypervisor's log ring (conring_write). */
extern char dshim_conring[1024];
extern size_t dshim_conring_len;

extern unsigned dshim_virqs_sent;       /* VIRQ_CONSOLE sends to domain 0 */

/*
 * Reset everything; the current vCPU is dom0's vCPU 0 in kernel mode, IOPL
 * 1; every real IN reads 0x5a5a5a5a.
 */
void dshim_reset(void);

#endif
