/*
 * Privileged-instruction emulation for PV guests: fetch, decode, dispatch.
 *
 * A PV kernel runs in ring 3, so every instruction that needs CPL 0 (MOV CR,
 * MOV DR, RDMSR/WRMSR, HLT, CLTS, XSETBV, WBINVD, port I/O without IOPL)
 * raises #GP(0), and the forced-emulation prefix `ud2; .ascii "xen"` raises
 * #UD. Both land here from the trap handlers. We fetch the bytes at the
 * guest's RIP through copy_from_guest, decode just enough of the x86
 * encoding to recognise the instructions we emulate, and hand each one to a
 * worker (emulate_io.c, emulate_cr.c, msr.c, cpuid.c). Anything we do not
 * recognise returns false and the caller bounces the original fault, so an
 * instruction the guest was never meant to run behaves as on hardware.
 *
 * Everything here is guest input: the bytes, the registers, the segment
 * state. The decoder never reads past what it fetched, and the workers
 * validate every value before changing any state.
 *
 * After a successful emulation RIP moves past the instruction and RF is
 * cleared. If TF was set the guest gets the #DB a single step would have
 * produced (with DR6.BS), as on hardware.
 */
#include <asm/insn.h>
#include <asm/pv.h>
#include <guest_access.h>
#include <sched.h>
#include <console.h>
#include "emulate.h"

/*
 * Read up to 15 bytes at RIP. An instruction near the end of a mapped page
 * followed by an unmapped one must still decode, so the bytes up to the
 * page boundary are fetched first and the rest only if readable: the
 * decoder then fails if it needs a byte that could not be read.
 */
bool pv_insn_fetch(struct vcpu *v, const struct cpu_regs *regs, struct pv_insn *insn)
{
	uint64_t rip = regs->rip;
	unsigned first = 4096 - (unsigned)(rip & 4095);

	memset(insn, 0, sizeof(*insn));
	if (first > PV_INSN_MAX)
		first = PV_INSN_MAX;
	if (copy_from_guest(insn->buf, rip, first) != 0)
		return false;
	insn->avail = first;
	if (first < PV_INSN_MAX &&
	    copy_from_guest(insn->buf + first, rip + first, PV_INSN_MAX - first) == 0)
		insn->avail = PV_INSN_MAX;
	return true;
}

static bool next_byte(struct pv_insn *insn, uint8_t *b)
{
	if (insn->len >= insn->avail)
		return false;
	*b = insn->buf[insn->len++];
	return true;
}

static bool peek_byte(const struct pv_insn *insn, uint8_t *b)
{
	if (insn->len >= insn->avail)
		return false;
	*b = insn->buf[insn->len];
	return true;
}

static bool decode_prefixes(struct pv_insn *insn)
{
	uint8_t b;

	for (;;) {
		if (!peek_byte(insn, &b))
			return false;
		switch (b) {
		case 0x66: insn->opsize = true; break;
		case 0x67: insn->adsize = true; break;
		case 0xf0: insn->lock = true; break;
		case 0xf2: insn->repne = true; insn->rep = false; break;
		case 0xf3: insn->rep = true; insn->repne = false; break;
		case 0x26: insn->seg = SEG_ES; break;
		case 0x2e: insn->seg = SEG_CS; break;
		case 0x36: insn->seg = SEG_SS; break;
		case 0x3e: insn->seg = SEG_DS; break;
		case 0x64: insn->seg = SEG_FS; break;
		case 0x65: insn->seg = SEG_GS; break;
		default:
			/* A REX only counts right before the opcode (checked below). */
			if (insn->mode64 && x86_rex(b)) {
				insn->rex = b;
				insn->len++;
				if (!peek_byte(insn, &b))
					return false;
				if (x86_rex(b) || x86_legacy_prefix(b)) {
					insn->rex = 0;   /* ignored, as on hardware */
					continue;
				}
			}
			return true;
		}
		insn->len++;
	}
}

/* Does this form carry a ModRM byte / an imm8 we must consume? */
static bool decode_operands(struct pv_insn *insn)
{
	if (insn->twobyte) {
		switch (insn->op) {
		case 0x01:   /* group 7: only the register forms (RDTSCP, XSETBV) */
		case 0x20: case 0x21: case 0x22: case 0x23:
			return next_byte(insn, &insn->modrm);
		default:
			return true;
		}
	}
	switch (insn->op) {
	case 0xe4: case 0xe5: case 0xe6: case 0xe7:
		return next_byte(insn, &insn->imm8);
	default:
		return true;
	}
}

/*
 * Decode prefixes, the forced-emulation prefix, the opcode and its operand
 * bytes. On success insn->len is the full instruction length.
 */
bool pv_insn_decode(struct pv_insn *insn)
{
	static const uint8_t forced[] = { XEN_EMULATE_PREFIX_BYTES };
	uint8_t b;

	insn->len = 0;
	if (insn->avail >= XEN_EMULATE_PREFIX_LEN &&
	    memcmp(insn->buf, forced, sizeof(forced)) == 0) {
		insn->forced = true;
		insn->len = XEN_EMULATE_PREFIX_LEN;
	}
	if (!decode_prefixes(insn) || !next_byte(insn, &b))
		return false;
	if (b == 0x0f) {
		insn->twobyte = true;
		if (!next_byte(insn, &b))
			return false;
	}
	insn->op = b;
	return decode_operands(insn);
}

/*
 * Is the code segment 64-bit? The flat selectors are ours; any other GDT
 * selector is looked up in the vCPU's GDT (L bit). LDT code segments and
 * 16-bit code are not emulated (false returned through *ok).
 */
static bool code_is_64bit(struct vcpu *v, const struct cpu_regs *regs, bool *ok)
{
	struct arch_vcpu *a = av(v);
	uint16_t cs = (uint16_t)regs->cs;
	uint64_t desc;

	*ok = true;
	if (cs == FLAT_RING3_CS64)
		return true;
	if (cs == FLAT_RING3_CS32)
		return false;
	if ((cs & 4) || a->gdt == NULL || (cs >> 3) >= a->gdt_ents) {
		*ok = false;
		return false;
	}
	desc = a->gdt[cs >> 3];
	if (desc & (1ULL << 53))       /* L */
		return true;
	if (!(desc & (1ULL << 54)))    /* D clear: 16-bit code */
		*ok = false;
	return false;
}

/* Write a 32-bit result as hardware does in 64-bit mode: zero-extended. */
static void set_reg32(uint64_t *reg, uint32_t val)
{
	*reg = val;
}

static enum pv_emul_rc emul_cpuid(struct vcpu *v, struct cpu_regs *regs, bool enlightened)
{
	uint32_t r[4];

	if (enlightened)
		pv_cpuid_enlightened(v, (uint32_t)regs->rax, (uint32_t)regs->rcx, r);
	else
		pv_cpuid(v, (uint32_t)regs->rax, (uint32_t)regs->rcx, r);
	set_reg32(&regs->rax, r[0]);
	set_reg32(&regs->rbx, r[1]);
	set_reg32(&regs->rcx, r[2]);
	set_reg32(&regs->rdx, r[3]);
	return EMUL_DONE;
}

static enum pv_emul_rc inject_gp(struct vcpu *v)
{
	pv_inject_exception(v, TRAP_gp_fault, 0, 0);
	return EMUL_INJECTED;
}

static enum pv_emul_rc emul_msr(struct vcpu *v, struct cpu_regs *regs, bool write)
{
	uint32_t msr = (uint32_t)regs->rcx;
	uint64_t val;

	if (write) {
		val = ((regs->rdx & 0xffffffffULL) << 32) | (regs->rax & 0xffffffffULL);
		return pv_wrmsr(v, msr, val) ? EMUL_DONE : inject_gp(v);
	}
	if (!pv_rdmsr(v, msr, &val))
		return inject_gp(v);
	set_reg32(&regs->rax, (uint32_t)val);
	set_reg32(&regs->rdx, (uint32_t)(val >> 32));
	return EMUL_DONE;
}

/*
 * RDTSC/RDTSCP only fault at CPL 3 when CR4.TSD is set. If the guest kernel
 * set its virtual TSD to trap its own user space, a user-mode RDTSC is the
 * guest's #GP to handle; otherwise the host TSC is the answer.
 */
static enum pv_emul_rc emul_rdtsc(struct vcpu *v, struct cpu_regs *regs, bool rdtscp)
{
	uint64_t tsc;

	if (!av(v)->in_kernel && (pv_guest_cr4(v) & X86_CR4_TSD))
		return EMUL_UNHANDLED;
	tsc = arch_host_rdtsc();
	set_reg32(&regs->rax, (uint32_t)tsc);
	set_reg32(&regs->rdx, (uint32_t)(tsc >> 32));
	if (rdtscp)
		set_reg32(&regs->rcx, (uint32_t)av(v)->msr_tsc_aux);
	return EMUL_DONE;
}

/* WBINVD/INVD: flush for real only for privileged domains (device DMA). */
static enum pv_emul_rc emul_wbinvd(struct vcpu *v)
{
	/* INVD would lose dirty lines of other domains: both flush. */
	if (v->domain->is_privileged)
		arch_host_wbinvd();
	return EMUL_DONE;
}

/* Instructions only the guest kernel may issue. */
static enum pv_emul_rc dispatch_kernel(struct vcpu *v, struct cpu_regs *regs,
				       const struct pv_insn *insn)
{
	if (!insn->twobyte)
		return insn->op == 0xf4 ? EMUL_HALT : EMUL_UNHANDLED;
	switch (insn->op) {
	case 0x01:
		if (insn->modrm == 0xd1 && !insn->opsize && !insn->rep && !insn->repne)
			return pv_emul_xsetbv(v, regs);
		return EMUL_UNHANDLED;
	case 0x06:
		av(v)->fpu_ts = false;
		return EMUL_DONE;
	case 0x08: case 0x09:
		return emul_wbinvd(v);
	case 0x20: case 0x22:
		return pv_emul_mov_cr(v, regs, insn);
	case 0x21: case 0x23:
		return pv_emul_mov_dr(v, regs, insn);
	case 0x30:
		return emul_msr(v, regs, true);
	case 0x32:
		return emul_msr(v, regs, false);
	default:
		return EMUL_UNHANDLED;
	}
}

/*
 * CLI/STI: allowed as on Xen when the virtual IOPL would let the real
 * instruction run (guest kernel mode counts as ring 1, user as 3), and then
 * ignored, as Xen 4.17 does: the upcall mask is not touched. Linux runs CLI
 * itself only inside PUSHF; CLI; ...; POPF (this_cpu_cmpxchg16b_emu, on
 * every SLUB allocation of a CPU without CMPXCHG16B), and the POPF cannot
 * trap to undo a mask the CLI set: events stayed masked until the next
 * local_irq_enable(), and a kernel that allocated in identify_cpu() (the
 * MCE pool) hit "BUG_ON(irqs_disabled())" in cpa_flush at boot.
 */
static enum pv_emul_rc emul_cli_sti(struct vcpu *v, bool sti)
{
	(void)sti;
	if (av(v)->iopl < (av(v)->in_kernel ? 1u : 3u))
		return EMUL_UNHANDLED;
	return EMUL_DONE;
}

static enum pv_emul_rc dispatch(struct vcpu *v, struct cpu_regs *regs,
				struct pv_insn *insn, unsigned vector)
{
	if (insn->lock)
		return EMUL_UNHANDLED;
	if (insn->forced) {
		/* Only CPUID is defined after the prefix, and only as #UD. */
		if (vector == TRAP_invalid_op && insn->twobyte && insn->op == 0xa2)
			return emul_cpuid(v, regs, true);
		return EMUL_UNHANDLED;
	}
	if (vector != TRAP_gp_fault)
		return EMUL_UNHANDLED;
	if (insn->twobyte) {
		if (insn->op == 0xa2)            /* CPUID faulting */
			return emul_cpuid(v, regs, false);
		if (insn->op == 0x31)
			return emul_rdtsc(v, regs, false);
		if (insn->op == 0x01 && insn->modrm == 0xf9)
			return emul_rdtsc(v, regs, true);
	} else {
		switch (insn->op) {
		case 0x6c: case 0x6d: case 0x6e: case 0x6f:
		case 0xe4: case 0xe5: case 0xe6: case 0xe7:
		case 0xec: case 0xed: case 0xee: case 0xef:
			return pv_emul_io(v, regs, insn);
		case 0xfa: case 0xfb:
			return emul_cli_sti(v, insn->op == 0xfb);
		default:
			break;
		}
	}
	/* CPL 0 instructions from guest user space are the guest's #GP. */
	if (!av(v)->in_kernel)
		return EMUL_UNHANDLED;
	return dispatch_kernel(v, regs, insn);
}

/* Out of line: inlined, it would spread the trap path over more pages (HOT_PATH). */
NOINLINE bool pv_emulate_privileged(struct vcpu *v, struct cpu_regs *regs, unsigned vector)
{
	struct pv_insn insn;
	enum pv_emul_rc rc;
	bool ok;

	if (vector != TRAP_gp_fault && vector != TRAP_invalid_op)
		return false;
	/* A selector-related #GP (non-zero code) is never an instruction we emulate. */
	if (vector == TRAP_gp_fault && regs->error_code != 0)
		return false;
	if (!pv_insn_fetch(v, regs, &insn))
		return false;
	insn.mode64 = code_is_64bit(v, regs, &ok);
	if (!ok || !pv_insn_decode(&insn))
		return false;

	rc = dispatch(v, regs, &insn, vector);
	switch (rc) {
	case EMUL_UNHANDLED:
		return false;
	case EMUL_INJECTED:
	case EMUL_RESTART:
		return true;
	case EMUL_DONE:
	case EMUL_HALT:
		break;
	}

	regs->rip += insn.len;
	if (!insn.mode64)
		regs->rip &= 0xffffffffULL;
	regs->rflags &= ~X86_RFLAGS_RF;
	if ((regs->rflags & X86_RFLAGS_TF) || insn.db_hits) {
		/*
		 * The trap a single step over the instruction, or an I/O
		 * breakpoint it hit, would have raised: one #DB for both.
		 */
		av(v)->debugreg[6] |= insn.db_hits | ((regs->rflags & X86_RFLAGS_TF) ? DR6_BS : 0);
		pv_inject_exception(v, TRAP_debug, -1, 0);
	}
	if (rc == EMUL_HALT)
		sched_block_current();
	return true;
}
