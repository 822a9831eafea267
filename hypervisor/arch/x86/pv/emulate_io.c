/*
 * Port I/O from PV guests: IN, OUT, INS, OUTS in every form.
 *
 * The guest runs with a real IOPL of 0, so every port access faults and
 * lands here. Two questions decide what happens, as on Xen:
 *   1. Does the guest's own privilege allow the access (guest_io_okay)?
 *      Guest kernel mode counts as CPL 1 (CPL 0 with the architectural_iopl
 *      assist) and guest user mode as CPL 3: the access is allowed when the
 *      virtual IOPL (PHYSDEVOP_set_iopl) is at least that, or when the
 *      guest's own I/O bitmap (PHYSDEVOP_set_iobitmap) clears every port
 *      touched. Otherwise the #GP is the guest kernel's to handle.
 *   2. May it reach the real port (pv_ioport_allowed)? Only where the
 *      domain holds a grant (asm/ioports.h): the initial domain holds one
 *      for every port except the hypervisor's own. Everything else is
 *      virtual: reads see all ones (an absent device, which is what Linux's
 *      UART, i8042 and PCI probes expect) and writes are dropped.
 *
 * String forms move at most IO_REP_BATCH elements per fault; a longer REP
 * leaves RIP on the instruction with RCX/RSI/RDI updated, so the guest
 * re-executes it and the hypervisor never loops on a guest-chosen count.
 */
#include <asm/ioports.h>
#include <asm/pv.h>
#include <guest_access.h>
#include "emulate.h"

#define IO_REP_BATCH 128

/* The CPL Xen's PV ABI assigns to the vCPU's current mode. */
static unsigned guest_cpl(struct vcpu *v)
{
	if (!av(v)->in_kernel)
		return 3;
	return (v->domain->vm_assist & (1ul << VMASST_TYPE_architectural_iopl)) ? 0 : 1;
}

/*
 * Do the guest's I/O bitmap bits for [port, port + size) all read clear?
 * The bitmap lives in the guest kernel's address space, so from user mode
 * the kernel's page tables are switched in for the read. Bytes that cannot
 * be read count as all ones (access denied), as on Xen.
 */
static bool guest_bitmap_allows(struct vcpu *v, unsigned port, unsigned size)
{
	uint64_t va;
	uint32_t nr_ports;
	uint8_t bytes[2] = { 0xff, 0xff };
	bool user = !av(v)->in_kernel;
	unsigned mask;

	ioports_guest_bitmap(v, &va, &nr_ports);
	if (!nr_ports || port + size > nr_ports)
		return false;
	if (user)
		pv_toggle_guest_mode(v);
	if (copy_from_guest(&bytes[0], va + port / 8, 1) != 0)
		bytes[0] = 0xff;
	if (copy_from_guest(&bytes[1], va + port / 8 + 1, 1) != 0)
		bytes[1] = 0xff;
	if (user)
		pv_toggle_guest_mode(v);
	mask = ((1u << size) - 1) << (port % 8);
	return ((bytes[0] | (unsigned)bytes[1] << 8) & mask) == 0;
}

static bool guest_io_okay(struct vcpu *v, unsigned port, unsigned size)
{
	if (av(v)->iopl >= guest_cpl(v))
		return true;
	return guest_bitmap_allows(v, port, size);
}

bool pv_ioport_allowed(struct vcpu *v, uint16_t port, unsigned size)
{
	return guest_io_okay(v, port, size) && ioports_domain_permitted(v->domain, port, size);
}

static uint32_t size_mask(unsigned size)
{
	return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

/* The guest's own privilege was checked by the caller; the grant decides. */
static uint32_t port_read(struct vcpu *v, uint16_t port, unsigned size)
{
	uint32_t val;

	if (pv_pit_ch2_io(v->domain, port, size, false, &val))
		return val;
	if (ioports_domain_permitted(v->domain, port, size))
		return arch_host_in(port, size) & size_mask(size);
	return size_mask(size);
}

static void port_write(struct vcpu *v, uint16_t port, unsigned size, uint32_t val)
{
	if (pv_pit_ch2_io(v->domain, port, size, true, &val))
		return;
	if (ioports_domain_permitted(v->domain, port, size))
		arch_host_out(port, size, val & size_mask(size));
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
			/*
			 * All ones or a real port. A read lost to a #PF is lost for
			 * good (as on hardware, where INS reads before it stores).
			 */
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

enum pv_emul_rc pv_emul_io(struct vcpu *v, struct cpu_regs *regs, struct pv_insn *insn)
{
	uint8_t op = insn->op;
	/* Even opcodes are the byte forms; 0x66 makes the others 16-bit. */
	unsigned size = !(op & 1) ? 1 : insn->opsize ? 2 : 4;
	bool imm = op == 0xe4 || op == 0xe5 || op == 0xe6 || op == 0xe7;
	uint16_t port = imm ? insn->imm8 : (uint16_t)regs->rdx;

	enum pv_emul_rc rc;

	if (!guest_io_okay(v, port, size))
		return EMUL_UNHANDLED;

	switch (op) {
	case 0x6c: case 0x6d:
		rc = string_io(v, regs, insn, size, true);
		break;
	case 0x6e: case 0x6f:
		rc = string_io(v, regs, insn, size, false);
		break;
	case 0xe4: case 0xe5: case 0xec: case 0xed:
		store_in(regs, size, port_read(v, port, size));
		rc = EMUL_DONE;
		break;
	default:
		port_write(v, port, size, (uint32_t)regs->rax);
		rc = EMUL_DONE;
		break;
	}
	/* the guest's I/O breakpoints trap once the instruction is done (emulate.c) */
	if (rc == EMUL_DONE)
		insn->db_hits = pv_io_breakpoints(v, port, size);
	return rc;
}
