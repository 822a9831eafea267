/*
 * The fake machine's CPU, for the PV emulator (arch/x86/pv/emulate*.c,
 * cpuid.c, msr.c): a small fake guest address space, a fake CPU behind the
 * arch_host_* hooks, and a recorder for what the emulator injected. Real
 * port I/O is the machine's recorder (fake_ports, fake/machine.h).
 */
#ifndef FAKE_CPU_H
#define FAKE_CPU_H

#include "fake/pv.h"

#include <asm/pv.h>
#include "emulate.h"

/* Guest memory: SHIM_PAGES pages at SHIM_VA; each page may be unmapped. */
#define SHIM_VA     0xffffffff80000000ULL
#define SHIM_PAGES  4
extern uint8_t shim_mem[SHIM_PAGES * 4096];
extern bool shim_page_mapped[SHIM_PAGES];

extern unsigned shim_blocks;           /* sched_block_current() calls */
extern unsigned shim_wbinvds;
extern uint64_t shim_hw_dr[4], shim_hw_dr7;   /* what arch_host_set_debugregs loaded */
extern unsigned shim_dr_loads;
extern int shim_new_baseptr_rc;        /* what pv_new_baseptr() answers (0: records the frame) */
extern uint64_t shim_tsc;
extern uint64_t shim_efer;
extern uint64_t shim_xcr0_written;     /* last real XSETBV, ~0 if none */
extern uint32_t shim_wrmsr_last;       /* last real WRMSR number, 0 if none */
extern uint64_t shim_wrmsr_val;

/*
 * The vCPU under test (current_vcpu()): domain 0 (privileged), vCPU 0,
 * guest kernel mode with virtual IOPL 1 (as Linux sets it), live.
 */
extern struct vcpu shim_vcpu;
extern struct domain shim_dom;
extern struct arch_vcpu shim_arch;
extern struct vcpu_info shim_vcpu_info;
extern struct cpu_regs shim_regs;

/* Reset all of the above (and fake_ports); the fake host becomes a modern Intel-like CPU. */
void shim_reset(void);

/* Set what host CPUID returns for (leaf, subleaf); unset leaves are zero. */
void shim_host_cpuid_set(uint32_t leaf, uint32_t sub, uint32_t a, uint32_t b, uint32_t c, uint32_t d);

/* Place instruction bytes at `va` and point RIP there. */
void shim_put_insn(uint64_t va, const uint8_t *bytes, size_t len);
#define SHIM_INSN(va, ...) do {                                          \
		static const uint8_t b_[] = { __VA_ARGS__ };              \
		shim_put_insn((va), b_, sizeof(b_));                      \
	} while (0)

/* Run the emulator for `vector` on shim_vcpu. */
bool shim_emulate(unsigned vector);

#endif
