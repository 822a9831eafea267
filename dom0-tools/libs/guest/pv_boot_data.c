/*
 * pv_boot_data.c - the three things a PV kernel reads before it has done
 * anything of its own: start_info (RSI points to it), vCPU 0's registers,
 * and, for a kernel that asks for one with the HYPERCALL_PAGE note, the
 * hypercall page.
 */
#include <stdio.h>
#include <string.h>
#include "pv_build_private.h"

void pv_start_info_fill(struct start_info *si, const struct pv_layout *l,
			const uint64_t *p2m, const struct pv_build_args *args,
			uint64_t shared_info_mfn)
{
	memset(si, 0, sizeof(*si));
	snprintf(si->magic, sizeof(si->magic), "%s", XEN_START_MAGIC);
	si->nr_pages = l->nr_pages;
	si->shared_info = shared_info_mfn << PV_PAGE_SHIFT;
	si->flags = 0;  /* an unprivileged domain; mod_start is a VA */
	si->store_mfn = p2m[l->store_pfn];
	si->store_evtchn = args->store_port;
	si->console.domU.mfn = p2m[l->console_pfn];
	si->console.domU.evtchn = args->console_port;
	si->pt_base = pv_va(l, l->pt_pfn);
	si->nr_pt_frames = l->nr_pt;
	si->mfn_list = l->p2m_va;
	if (l->p2m_nr_pt) {
		/* outside the region: Linux must know which frames to keep */
		si->first_p2m_pfn = l->p2m_pfn;
		si->nr_p2m_frames = l->p2m_pages + l->p2m_nr_pt;
	}
	if (l->ramdisk_len) {
		si->mod_start = pv_va(l, l->ramdisk_pfn);
		si->mod_len = l->ramdisk_len;
	}
	/* pv_build checked the length: it fits with its NUL. */
	if (args->cmdline)
		snprintf(si->cmd_line, sizeof(si->cmd_line), "%s", args->cmdline);
}

/* The FXSAVE image of a freshly reset FPU: FCW 0x037f, MXCSR 0x1f80. */
static void fpu_reset_image(uint8_t *fx)
{
	uint16_t fcw = 0x037f;
	uint32_t mxcsr = 0x1f80;

	memcpy(fx + 0, &fcw, sizeof(fcw));
	memcpy(fx + 24, &mxcsr, sizeof(mxcsr));
}

void pv_vcpu_context_fill(struct vcpu_guest_context *c, const struct pv_layout *l,
			  const struct elf_image *img, const uint64_t *p2m)
{
	memset(c, 0, sizeof(*c));
	fpu_reset_image(c->fpu_ctxt);
	c->flags = VGCF_i387_valid | VGCF_in_kernel | VGCF_online;
	c->user_regs.rip = img->entry;
	c->user_regs.rsp = pv_va(l, l->stack_pfn + 1);
	c->user_regs.rsi = pv_va(l, l->start_info_pfn);
	c->user_regs.rflags = 1u << 9;          /* IF: events come as upcalls */
	c->user_regs.cs = FLAT_KERNEL_CS;
	c->user_regs.ss = FLAT_KERNEL_SS64;
	c->user_regs.ds = c->user_regs.es = FLAT_KERNEL_DS64;
	c->user_regs.fs = c->user_regs.gs = FLAT_KERNEL_DS64;
	c->kernel_ss = FLAT_KERNEL_SS64;
	c->kernel_sp = c->user_regs.rsp;
	c->ctrlreg[3] = xen_pfn_to_cr3(p2m[l->pt_pfn]);
	c->debugreg[6] = 0xffff0ff0;            /* the architectural reset values */
	c->debugreg[7] = 0x00000400;
}

/*
 * Slot n: push %rcx; push %r11; mov $n,%eax; syscall; pop %r11; pop %rcx;
 * ret. The iret slot does not return: push %rcx; push %r11; push %rax;
 * mov $23,%eax; syscall. Padding is int3.
 */
void pv_hypercall_page_fill(uint8_t *page)
{
	static const uint8_t call[] = { 0x51, 0x41, 0x53, 0xb8, 0, 0, 0, 0,
					0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3 };
	static const uint8_t iret[] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 23, 0, 0, 0,
					0x0f, 0x05 };

	memset(page, 0xcc, PV_PAGE_SIZE);
	for (unsigned n = 0; n < PV_PAGE_SIZE / 32; n++) {
		uint8_t *slot = page + n * 32;

		if (n == __HYPERVISOR_iret) {
			memcpy(slot, iret, sizeof(iret));
			continue;
		}
		memcpy(slot, call, sizeof(call));
		memcpy(slot + 4, &n, sizeof(uint32_t));
	}
}
