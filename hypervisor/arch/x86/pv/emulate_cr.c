/*
 * Control registers, debug registers and XCR0 as a PV guest kernel sees
 * them. None of these is the real register: the guest gets a virtual view,
 * and only what is safe reaches the CPU: XCR0 once validated; the debug
 * registers only while the vCPU runs, and without I/O breakpoints, which
 * are emulated (see docs/pv-emulation.md).
 *
 * CR0: a fixed PE|MP|ET|NE|WP|AM|PG, plus the virtual TS (fpu_ts). A write
 *      may change TS only; changing anything else is #GP (Xen does the same).
 * CR2: the vcpu_info's cr2 (address of the last bounced #PF).
 * CR3: the guest kernel's L4 as a machine address. A write is
 *      MMUEXT_NEW_BASEPTR (pv/mm.c): the L4 is validated, or #GP.
 * CR4: PAE|OSFXSR|OSXMMEXCPT always read as set; the guest owns TSD, DE and
 *      OSXSAVE (if the host has XSAVE). Other bits are dropped silently, as
 *      Xen does, because Linux writes back whatever it read plus its own
 *      bits, and a #GP there is fatal.
 */
#include <hypercall.h>
#include <asm/pv.h>
#include <public/errno.h>
#include "emulate.h"
#include "mm.h"

#define CR0_FIXED (X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | \
		   X86_CR0_WP | X86_CR0_AM | X86_CR0_PG)
#define CR4_VISIBLE (X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)

static bool host_has_xsave(void)
{
	uint32_t r[4];

	arch_host_cpuid(1, 0, r);
	return r[2] & (1u << 26);
}

static uint64_t cr4_owned(void)
{
	return X86_CR4_TSD | X86_CR4_DE | (host_has_xsave() ? X86_CR4_OSXSAVE : 0);
}

uint64_t pv_guest_cr0(struct vcpu *v)
{
	return CR0_FIXED | (av(v)->fpu_ts ? X86_CR0_TS : 0);
}

uint64_t pv_guest_cr4(struct vcpu *v)
{
	return CR4_VISIBLE | (av(v)->cr4 & cr4_owned());
}

uint64_t pv_guest_cr4_fixup(struct vcpu *v, uint64_t val)
{
	(void)v;
	return CR4_VISIBLE | (val & cr4_owned());
}

static unsigned modrm_reg(const struct pv_insn *insn)
{
	return ((insn->rex & REX_R) ? 8 : 0) | ((insn->modrm >> 3) & 7);
}

static unsigned modrm_rm(const struct pv_insn *insn)
{
	return ((insn->rex & REX_B) ? 8 : 0) | (insn->modrm & 7);
}

static enum pv_emul_rc inject(struct vcpu *v, unsigned vector)
{
	pv_inject_exception(v, vector, vector == TRAP_gp_fault ? 0 : -1, 0);
	return EMUL_INJECTED;
}

static enum pv_emul_rc read_cr(struct vcpu *v, unsigned cr, uint64_t *val)
{
	switch (cr) {
	case 0:
		*val = pv_guest_cr0(v);
		return EMUL_DONE;
	case 2:
		*val = v->vcpu_info ? v->vcpu_info->arch.cr2 : 0;
		return EMUL_DONE;
	case 3:
		*val = pv_active_l4(v) << FRAME_SHIFT;
		return EMUL_DONE;
	case 4:
		*val = pv_guest_cr4(v);
		return EMUL_DONE;
	default:
		return EMUL_UNHANDLED;
	}
}

static enum pv_emul_rc write_cr(struct vcpu *v, unsigned cr, uint64_t val)
{
	switch (cr) {
	case 0:
		if ((val ^ pv_guest_cr0(v)) & ~X86_CR0_TS)
			return inject(v, TRAP_gp_fault);
		av(v)->fpu_ts = (val & X86_CR0_TS) != 0;
		return EMUL_DONE;
	case 2:
		if (v->vcpu_info)
			v->vcpu_info->arch.cr2 = val;
		return EMUL_DONE;
	case 4:
		av(v)->cr4 = pv_guest_cr4_fixup(v, val);
		return EMUL_DONE;
	case 3: {
		/*
		 * As MMUEXT_NEW_BASEPTR: the L4 is validated (or refused) now,
		 * with a hypercall's budget; a preempted validation re-executes.
		 */
		arch_hypercall_enter();
		int rc = pv_new_baseptr(v, (val & 0x000ffffffffff000ULL) >> 12);
		if (rc == -XEN_ERESTART)
			return EMUL_RESTART;
		return rc ? inject(v, TRAP_gp_fault) : EMUL_DONE;
	}
	default:
		return EMUL_UNHANDLED;
	}
}

enum pv_emul_rc pv_emul_mov_cr(struct vcpu *v, struct cpu_regs *regs, const struct pv_insn *insn)
{
	uint64_t *gpr = cpu_gpr(regs, modrm_rm(insn));
	uint64_t val = 0;
	enum pv_emul_rc rc;

	if (!insn->mode64)
		return EMUL_UNHANDLED;
	if (insn->op == 0x22)
		return write_cr(v, modrm_reg(insn), *gpr);
	rc = read_cr(v, modrm_reg(insn), &val);
	if (rc == EMUL_DONE)
		*gpr = val;
	return rc;
}

/* ---- debug registers ------------------------------------------------ */

#define DR6_STATUS     0xe00fULL   /* B0-B3, BD, BS, BT: what the guest's DR6 keeps */
#define DR7_ENABLES    0xffULL     /* L0-L3, G0-G3 */

static unsigned dr7_rw(uint64_t dr7, unsigned i)
{
	return (dr7 >> (16 + 4 * i)) & 3;
}

/*
 * DR7 as the CPU gets it: the guest's, less its I/O breakpoints, which
 * only exist in emulation (the real CR4.DE is off, where R/W = 10b is
 * undefined); 0 when nothing is left enabled.
 */
static uint64_t hw_dr7(const struct arch_vcpu *a)
{
	uint64_t dr7 = a->debugreg[7];

	for (unsigned i = 0; i < 4; i++)
		if (dr7_rw(dr7, i) == 2)
			dr7 &= ~((3ULL << (2 * i)) | (0xfULL << (16 + 4 * i)));
	return (dr7 & DR7_ENABLES) ? dr7 : 0;
}

/*
 * The CPU holds v's breakpoints exactly while v runs on it; nothing else
 * ever runs with them: not another vCPU, not another domain, not the idle
 * hypervisor. (The hypervisor running for v may hit them: traps.c.)
 */
void pv_debugregs_switch_in(struct vcpu *v)
{
	uint64_t dr7 = hw_dr7(av(v));

	if (dr7)
		arch_host_set_debugregs(av(v)->debugreg, dr7);
}

void pv_debugregs_switch_out(struct vcpu *v)
{
	if (hw_dr7(av(v)))
		arch_host_set_debugregs(av(v)->debugreg, 0);
}

/* The CPU's DR6 status bits stick, as on hardware, until the guest writes DR6. */
void pv_debug_trap(struct vcpu *v)
{
	av(v)->debugreg[6] |= arch_host_take_dr6() & DR6_STATUS;
	pv_inject_exception(v, TRAP_debug, -1, 0);
}

int pv_check_debugreg(struct vcpu *v, unsigned reg, uint64_t val)
{
	unsigned i;

	switch (reg) {
	case 0: case 1: case 2: case 3:
		/* A breakpoint on the hypervisor's own addresses would fire inside it. */
		if (!is_canonical(val) ||
		    (val >= HYPERVISOR_VIRT_START && val < HYPERVISOR_VIRT_END))
			return -XEN_EPERM;
		return 0;
	case 6:
		return (val >> 32) ? -XEN_EINVAL : 0;
	case 7:
		/* as Xen 4.17: DR7_RESERVED_0 bits are tolerated (pv_set_debugreg clears them) */
		if (val >> 32)
			return -XEN_EINVAL;
		if (val & DR7_GD)
			return -XEN_EPERM;
		/* I/O breakpoints (R/W = 10b) exist only with CR4.DE, as on hardware */
		for (i = 0; i < 4; i++)
			if (dr7_rw(val, i) == 2 && !(pv_guest_cr4(v) & X86_CR4_DE))
				return -XEN_EPERM;
		return 0;
	default:
		return -XEN_ENODEV;
	}
}

int pv_set_debugreg(struct vcpu *v, unsigned reg, uint64_t val)
{
	struct arch_vcpu *a = av(v);
	int rc = pv_check_debugreg(v, reg, val);

	if (rc)
		return rc;
	if (reg == 6)
		a->debugreg[6] = val & DR6_STATUS;   /* the reserved bits are added on read */
	else if (reg == 7)
		a->debugreg[7] = (val & ~DR7_RESERVED_0) | DR7_RESERVED_1;
	else
		a->debugreg[reg] = val;
	/* the same load as a switch-in, so that emulated MOV to DR arms as the hypercall does */
	if (v == current_vcpu() && reg != 6)
		arch_host_set_debugregs(a->debugreg, hw_dr7(a));
	return 0;
}

uint64_t pv_get_debugreg(struct vcpu *v, unsigned reg)
{
	if (reg == 6)
		return av(v)->debugreg[6] | DR6_RESERVED_1;
	if (reg == 7)
		return av(v)->debugreg[7] | DR7_RESERVED_1;
	return av(v)->debugreg[reg];
}

unsigned pv_io_breakpoints(struct vcpu *v, unsigned port, unsigned size)
{
	static const unsigned width[4] = { 1, 2, 8, 4 };   /* by LEN */
	uint64_t dr7 = av(v)->debugreg[7];
	unsigned hits = 0;

	if (!(pv_guest_cr4(v) & X86_CR4_DE))
		return 0;
	for (unsigned i = 0; i < 4; i++) {
		uint64_t start = av(v)->debugreg[i];

		if (!((dr7 >> (2 * i)) & 3) || dr7_rw(dr7, i) != 2)
			continue;
		if (start < port + size && start + width[(dr7 >> (18 + 4 * i)) & 3] > port)
			hits |= 1u << i;
	}
	return hits;
}

enum pv_emul_rc pv_emul_mov_dr(struct vcpu *v, struct cpu_regs *regs, const struct pv_insn *insn)
{
	uint64_t *gpr = cpu_gpr(regs, modrm_rm(insn));
	unsigned reg = modrm_reg(insn);

	if (!insn->mode64)
		return EMUL_UNHANDLED;
	if (reg > 7)
		return inject(v, TRAP_invalid_op);
	if (reg == 4 || reg == 5) {
		/* Aliases of DR6/DR7, unless CR4.DE makes them #UD. */
		if (pv_guest_cr4(v) & X86_CR4_DE)
			return inject(v, TRAP_invalid_op);
		reg += 2;
	}
	if (insn->op == 0x21) {
		*gpr = pv_get_debugreg(v, reg);
		return EMUL_DONE;
	}
	return pv_set_debugreg(v, reg, *gpr) == 0 ? EMUL_DONE : inject(v, TRAP_gp_fault);
}

/*
 * XCR0 components a PV guest may enable: what the host supports, limited
 * to the ones the hypervisor switches (XSTATE_HV_SUPPORTED, asm/xstate.h).
 */
uint64_t pv_xcr0_allowed(void)
{
	uint64_t host = XSTATE_X87 | XSTATE_SSE;
	uint32_t r[4];

	if (host_has_xsave()) {
		arch_host_cpuid(0xd, 0, r);
		host = ((uint64_t)r[3] << 32) | r[0];
	}
	host &= XSTATE_HV_SUPPORTED;
	/* as xstate.c decides: AVX-512 only whole, and on top of AVX */
	if ((host & XSTATE_AVX512) != XSTATE_AVX512 || !(host & XSTATE_YMM))
		host &= ~XSTATE_AVX512;
	return host;
}

/* The architectural rules of XSETBV, plus our allowed set. */
bool pv_xcr0_valid(uint64_t xcr0)
{
	if (!(xcr0 & XSTATE_X87) || (xcr0 & ~pv_xcr0_allowed()))
		return false;
	if ((xcr0 & XSTATE_YMM) && !(xcr0 & XSTATE_SSE))
		return false;
	if (xcr0 & XSTATE_AVX512) {
		if ((xcr0 & XSTATE_AVX512) != XSTATE_AVX512 || !(xcr0 & XSTATE_YMM))
			return false;
	}
	return true;
}

enum pv_emul_rc pv_emul_xsetbv(struct vcpu *v, struct cpu_regs *regs)
{
	uint64_t val = ((regs->rdx & 0xffffffffULL) << 32) | (regs->rax & 0xffffffffULL);

	if (!(pv_guest_cr4(v) & X86_CR4_OSXSAVE))
		return inject(v, TRAP_invalid_op);
	if ((uint32_t)regs->rcx != 0 || !pv_xcr0_valid(val))
		return inject(v, TRAP_gp_fault);
	av(v)->xcr0 = val;
	/* Valid and allowed implies the host has XSAVE (X87 alone needs no XSETBV). */
	if (host_has_xsave())
		arch_host_xsetbv(0, val);
	return EMUL_DONE;
}
