/*
 * Port I/O from PV guests: IN, OUT, INS, OUTS in every form.
 *
 * The guest runs with a real IOPL of 0, so every port access faults and
 * lands here. Two questions decide what happens:
 *   1. May this vCPU do port I/O at all? The guest kernel always may (its
 *      accesses are virtual unless the port policy says otherwise); guest
 *      user space only with a virtual IOPL of 3 (PHYSDEVOP_set_iopl),
 *      else the #GP is the guest kernel's to handle.
 *   2. May it reach the real port? pv_ioport_allowed() alone answers that.
 *      Today it answers no: reads see all ones (an absent device, which is
 *      what Linux's UART, i8042 and PCI probes expect) and writes are
 *      dropped. Dom0 I/O privilege is a change to that one function.
 *
 * String forms move at most IO_REP_BATCH elements per fault; a longer REP
 * leaves RIP on the instruction with RCX/RSI/RDI updated, so the guest
 * re-executes it and the hypervisor never loops on a guest-chosen count.
 */
#include <asm/pv.h>
#include <guest_access.h>
#include "emulate.h"

#define IO_REP_BATCH 128

bool pv_ioport_allowed(struct vcpu *v, uint16_t port, unsigned size)
{
	/* TODO(#3): Dom0 gets real access to ports the hypervisor does not own. */
	(void)v;
	(void)port;
	(void)size;
	return false;
}

static uint32_t size_mask(unsigned size)
{
	return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

static uint32_t port_read(struct vcpu *v, uint16_t port, unsigned size)
{
	if (pv_ioport_allowed(v, port, size))
		return arch_host_in(port, size) & size_mask(size);
	return size_mask(size);
}

static void port_write(struct vcpu *v, uint16_t port, unsigned size, uint32_t val)
{
	if (pv_ioport_allowed(v, port, size))
		arch_host_out(port, size, val & size_mask(size));
}

static bool io_permitted(struct vcpu *v)
{
	return av(v)->in_kernel || av(v)->iopl >= 3;
}

/* IN writes AL or AX in place; a 32-bit IN zero-extends into RAX. */
static void store_in(struct cpu_regs *regs, unsigned size, uint32_t val)
{
	if (size == 4)
		regs->rax = val;
	else
		regs->rax = (regs->rax & ~(uint64_t)size_mask(size)) | val;
}

static uint64_t seg_base(struct vcpu *v, enum pv_seg seg)
{
	struct arch_vcpu *a = av(v);

	/* In 64-bit mode only FS and GS have bases. */
	if (seg == SEG_FS)
		return a->fs_base;
	if (seg == SEG_GS)
		return a->in_kernel ? a->gs_base_kernel : a->gs_base_user;
	return 0;
}

/* Advance an index or count register at the instruction's address size. */
static void step(uint64_t *reg, int64_t delta, uint64_t mask)
{
	*reg = (*reg + (uint64_t)delta) & mask;
}

static enum pv_emul_rc inject_pf(struct vcpu *v, uint64_t va, bool write)
{
	uint32_t ec = (write ? PFEC_WRITE : 0) | (av(v)->in_kernel ? 0 : PFEC_USER);

	pv_inject_exception(v, TRAP_page_fault, ec, va);
	return EMUL_INJECTED;
}

static enum pv_emul_rc string_io(struct vcpu *v, struct cpu_regs *regs,
				 const struct pv_insn *insn, unsigned size, bool in)
{
	uint64_t mask = insn->adsize ? 0xffffffffULL : ~0ULL;
	uint64_t *idx = in ? &regs->rdi : &regs->rsi;
	/* INS always writes ES:RDI (no override); OUTS reads DS:RSI or override. */
	uint64_t base = in ? 0 : seg_base(v, insn->seg);
	int64_t delta = (regs->rflags & X86_RFLAGS_DF) ? -(int64_t)size : (int64_t)size;
	uint16_t port = (uint16_t)regs->rdx;
	uint64_t count = insn->rep ? (regs->rcx & mask) : 1;
	unsigned n;

	/* Compat-mode string I/O would need segment limits and bases: not ours. */
	if (!insn->mode64)
		return EMUL_UNHANDLED;

	for (n = 0; n < count && n < IO_REP_BATCH; n++) {
		uint64_t va = base + (*idx & mask);
		uint32_t val = 0;

		if (!guest_range_ok(va, size)) {
			pv_inject_exception(v, TRAP_gp_fault, 0, 0);
			return EMUL_INJECTED;
		}
		if (in) {
			/* All ones or a real port; a lost read on #PF is harmless today. */
			val = port_read(v, port, size);
			if (copy_to_guest(va, &val, size) != 0)
				return inject_pf(v, va, true);
		} else {
			if (copy_from_guest(&val, va, size) != 0)
				return inject_pf(v, va, false);
			port_write(v, port, size, val);
		}
		step(idx, delta, mask);
		if (insn->rep)
			step(&regs->rcx, -1, mask);
	}
	if (insn->rep && (regs->rcx & mask) != 0)
		return EMUL_RESTART;
	return EMUL_DONE;
}

enum pv_emul_rc pv_emul_io(struct vcpu *v, struct cpu_regs *regs, const struct pv_insn *insn)
{
	uint8_t op = insn->op;
	/* Even opcodes are the byte forms; 0x66 makes the others 16-bit. */
	unsigned size = !(op & 1) ? 1 : insn->opsize ? 2 : 4;
	uint16_t port;

	if (!io_permitted(v))
		return EMUL_UNHANDLED;

	switch (op) {
	case 0x6c: case 0x6d:
		return string_io(v, regs, insn, size, true);
	case 0x6e: case 0x6f:
		return string_io(v, regs, insn, size, false);
	default:
		break;
	}

	port = (op == 0xe4 || op == 0xe5 || op == 0xe6 || op == 0xe7) ? insn->imm8
								       : (uint16_t)regs->rdx;
	if (op == 0xe4 || op == 0xe5 || op == 0xec || op == 0xed)
		store_in(regs, size, port_read(v, port, size));
	else
		port_write(v, port, size, (uint32_t)regs->rax);
	return EMUL_DONE;
}
