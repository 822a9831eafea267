/* The fake machine's Dom0 layer (see dom0.h). */
#include "fake/dom0.h"
#include "fake/guest_mem.h"

#include <stdlib.h>
#include <string.h>
#include <arch.h>
#include <cmdline.h>
#include <console.h>
#include <event.h>
#include <guest_access.h>
#include <hypercall.h>
#include <page.h>
#include <asm/pv.h>
#include <public/errno.h>

uint8_t dshim_mem[DSHIM_PAGES * 4096];
bool dshim_page_mapped[DSHIM_PAGES];
struct domain dshim_dom0, dshim_domu;
struct vcpu dshim_v0, dshim_vu;
static struct arch_vcpu arch_v0, arch_vu;
static struct shared_info shinfo0, shinfou;
unsigned dshim_virqs_sent;
struct hv_options hv_opts;

void dshim_reset(void)
{
	memset(dshim_mem, 0, sizeof(dshim_mem));
	for (unsigned i = 0; i < DSHIM_PAGES; i++)
		dshim_page_mapped[i] = true;
	memset(&dshim_dom0, 0, sizeof(dshim_dom0));
	memset(&dshim_domu, 0, sizeof(dshim_domu));
	memset(&dshim_v0, 0, sizeof(dshim_v0));
	memset(&dshim_vu, 0, sizeof(dshim_vu));
	memset(&arch_v0, 0, sizeof(arch_v0));
	memset(&arch_vu, 0, sizeof(arch_vu));
	memset(&shinfo0, 0, sizeof(shinfo0));
	memset(&shinfou, 0, sizeof(shinfou));
	dshim_dom0.domain_id = 0;
	dshim_dom0.is_privileged = true;
	dshim_dom0.shared_info = &shinfo0;
	dshim_domu.domain_id = 1;
	dshim_domu.shared_info = &shinfou;
	dshim_dom0.next = &dshim_domu;
	domain_list = &dshim_dom0;
	dshim_v0.domain = &dshim_dom0;
	dshim_v0.arch = &arch_v0;
	dshim_vu.domain = &dshim_domu;
	dshim_vu.arch = &arch_vu;
	arch_v0.in_kernel = arch_vu.in_kernel = true;
	arch_v0.iopl = arch_vu.iopl = 1;
	set_current_vcpu(&dshim_v0);
	fake_ports_reset();
	fake_port_value = 0x5a5a5a5a;
	fake_console_reset();
	dshim_virqs_sent = 0;
	fake_pv_reset();
	hv_opts.console_com1 = true;
	hv_opts.com1_port = 0x3f8;
}

/* ---- guest_access.h: the kernel half is visible in kernel mode only ---- */
static bool kernel_mode(void)
{
	return !current_vcpu() || av(current_vcpu())->in_kernel;
}

const struct guest_mem_fake guest_mem_fake = {
	.va = DSHIM_KVA, .mem = dshim_mem, .size = sizeof(dshim_mem),
	.page_mapped = dshim_page_mapped, .visible = kernel_mode,
};

/* ---- what the rest of the hypervisor provides ---- */

/* No test here registers a pirq EOI frame, whose references a domain's end drops. */
void put_page_and_type(mfn_t mfn)
{
	fail_msg("put_page_and_type(%#lx): no EOI frame was registered", (unsigned long)mfn);
}

/* The guest's I/O breakpoints (emulate_cr.c, tested in unit-pv-emulate): none here. */
unsigned pv_io_breakpoints(struct vcpu *v, unsigned port, unsigned size)
{
	return 0;
}

void evtchn_send_global_virq(struct domain *d, unsigned virq)
{
	if (d == &dshim_dom0 && virq == VIRQ_CONSOLE)
		dshim_virqs_sent++;
}

/* The hypervisor's log ring (common/console.c): what console_io put in it. */
char dshim_conring[1024];
size_t dshim_conring_len;

void conring_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len && dshim_conring_len < sizeof(dshim_conring) - 1; i++)
		dshim_conring[dshim_conring_len++] = s[i];
	dshim_conring[dshim_conring_len] = '\0';
}
