/*
 * Privileged-instruction emulation for PV guests: the private interface
 * shared by the decoder (emulate.c), the instruction workers (emulate_*.c),
 * the CPUID policy (cpuid.c) and the MSR policy (msr.c).
 *
 * Everything the emulator needs from the real CPU goes through the
 * arch_host_* hooks below. The hypervisor gets them from emulate_host.c;
 * host unit tests link tests/unit/fake/cpu.c instead and feed a fake CPU, so
 * no test ever executes a privileged instruction.
 */
#ifndef PV_EMULATE_H
#define PV_EMULATE_H

#include <asm/insn.h>   /* REX_B, REX_R, REX_W */
#include <asm/pv.h>
#include <asm/xstate.h>

/* The Xen version we report in CPUID 0x40000001 (see docs/pv-emulation.md). */
#define PV_XEN_VERSION_MAJOR  4
#define PV_XEN_VERSION_MINOR  17

/* ---- The real CPU (emulate_host.c; faked by tests/unit/fake/cpu.c) ---- */
void arch_host_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
uint64_t arch_host_rdtsc(void);
/* Only for MSRs that exist on every x86-64 CPU we run on (EFER, the bases). */
uint64_t arch_host_rdmsr(uint32_t msr);
void arch_host_wrmsr(uint32_t msr, uint64_t val);
void arch_host_xsetbv(uint32_t xcr, uint64_t val);
void arch_host_wbinvd(void);
uint32_t arch_host_in(uint16_t port, unsigned size);
void arch_host_out(uint16_t port, unsigned size, uint32_t val);
/* Arm the CPU's breakpoints: DR0-3 = addr, then DR7 (0: none armed). */
void arch_host_set_debugregs(const uint64_t addr[4], uint64_t dr7);
/* DR6 as the last #DB left it; reset to no status bit set. */
uint64_t arch_host_take_dr6(void);

/* Dom0's PIT channel 2 (pit_ch2.c): true if it took the access (and *val on a read). */
bool pv_pit_ch2_io(struct domain *d, uint16_t port, unsigned size, bool write, uint32_t *val);

/* ---- Decoded instruction ---- */
#define PV_INSN_MAX 15

enum pv_seg { SEG_NONE, SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS };

struct pv_insn {
	uint8_t buf[PV_INSN_MAX];
	unsigned avail;          /* bytes fetched: the rest was unreadable */
	unsigned len;            /* bytes decoded so far; the final length */
	bool mode64;             /* 64-bit code segment (else 32-bit compat) */
	bool forced;             /* led by the ud2 "xen" forced-emulation prefix */
	bool opsize, adsize;     /* 0x66, 0x67 */
	bool rep, repne, lock;   /* 0xf3, 0xf2, 0xf0 */
	uint8_t rex;             /* 0 when absent */
	enum pv_seg seg;         /* segment override */
	bool twobyte;            /* 0x0f escape */
	uint8_t op;              /* opcode byte (after 0x0f when twobyte) */
	uint8_t modrm;           /* valid for the forms that take one */
	uint8_t imm8;            /* IN/OUT imm8 port */
	unsigned db_hits;        /* DR6 B0-B3: I/O breakpoints the emulated access hit */
};


/* What a worker did; the decoder turns it into RIP/RFLAGS updates. */
enum pv_emul_rc {
	EMUL_DONE,        /* emulated: advance RIP, single-step trap if TF */
	EMUL_HALT,        /* HLT: advance RIP, then block the vCPU */
	EMUL_RESTART,     /* partial REP string op: RIP stays, the guest re-executes */
	EMUL_INJECTED,    /* an exception was injected in place of the instruction */
	EMUL_UNHANDLED,   /* not ours: the caller bounces the original fault */
};

/* Decoder (emulate.c) */
bool pv_insn_fetch(struct vcpu *v, const struct cpu_regs *regs, struct pv_insn *insn);
bool pv_insn_decode(struct pv_insn *insn);

/* Workers */
enum pv_emul_rc pv_emul_io(struct vcpu *v, struct cpu_regs *regs, struct pv_insn *insn);
enum pv_emul_rc pv_emul_mov_cr(struct vcpu *v, struct cpu_regs *regs, const struct pv_insn *insn);
enum pv_emul_rc pv_emul_mov_dr(struct vcpu *v, struct cpu_regs *regs, const struct pv_insn *insn);
enum pv_emul_rc pv_emul_xsetbv(struct vcpu *v, struct cpu_regs *regs);

/*
 * Port I/O policy: may this vCPU reach real hardware port `port` for an
 * access of `size` bytes? Only if its own privilege allows the access
 * (virtual IOPL or its I/O bitmap) and its domain holds a grant for the
 * port (asm/ioports.h: the initial domain, outside the hypervisor's ports).
 */
bool pv_ioport_allowed(struct vcpu *v, uint16_t port, unsigned size);

/*
 * Debug registers: validate and store `val` in DR`reg` (0-3, 6, 7), and
 * load them into the CPU if v runs here. Returns 0, or Xen 4.17's errors:
 * -XEN_ENODEV (no such register), -XEN_EINVAL (DR6/DR7 bits above 31),
 * -XEN_EPERM (any other refused value). DR7's always-zero bits are
 * cleared, not refused. Also usable by the set_debugreg hypercall. pv_get_debugreg reads DR`reg` as MOV from DR does.
 */
int pv_set_debugreg(struct vcpu *v, unsigned reg, uint64_t val);
/* Would pv_set_debugreg accept it? Its error, changing nothing. */
int pv_check_debugreg(struct vcpu *v, unsigned reg, uint64_t val);
uint64_t pv_get_debugreg(struct vcpu *v, unsigned reg);

/*
 * The guest's I/O breakpoints (DR7 R/W = 10b, with its CR4.DE set) that an
 * emulated access to [port, port + size) hits: DR6 B0-B3 bits, 0 if none.
 */
unsigned pv_io_breakpoints(struct vcpu *v, unsigned port, unsigned size);

/* The guest's view of CR0 and CR4; XCR0 bits a PV guest may enable. */
uint64_t pv_guest_cr0(struct vcpu *v);
uint64_t pv_guest_cr4(struct vcpu *v);
uint64_t pv_guest_cr4_fixup(struct vcpu *v, uint64_t val);
uint64_t pv_xcr0_allowed(void);
bool pv_xcr0_valid(uint64_t xcr0);

/*
 * Width of the highest machine address, reported in CPUID 0x40000005
 * EBX[7:0] (Linux picks grant table v1 at <= 44). 0 = not known yet; the
 * memory code sets it once the top of RAM is known.
 */
extern unsigned pv_cpuid_maddr_bits;

/* RFLAGS, CR0, CR4, DR6/DR7 and page-fault bits: asm/cpu_bits.h; XSTATE_* components: asm/xstate.h */

#endif
