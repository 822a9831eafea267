/*
 * Per-CPU data lives at the top of each CPU's stack (the stack is aligned to
 * its size, so any code on it finds the block by masking RSP). Entries from a
 * guest land their register frame exactly in cpu_info.guest_regs: the TSS's
 * RSP0 and the SYSCALL stub both point just past it. No GS base is used by
 * the hypervisor, so the guest's GS bases stay in the MSRs while we run.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <asm/cpu.h>
#include <asm/layout.h>

#define STACK_ORDER 3
#define STACK_SIZE  (4096UL << STACK_ORDER)   /* 32 KiB */

struct vcpu;

/*
 * Every field belongs to its CPU: only that CPU writes it. Other CPUs read
 * `current` (TLB shoot-down targets, asm/smp.h) while holding the big lock,
 * under which `current` changes.
 */
struct cpu_info {
	struct cpu_regs guest_regs;   /* the running guest's frame; ends at RSP0 */
	struct vcpu *current;         /* NULL while the CPU idles on the hypervisor's tables */
	unsigned cpu_id;              /* index into the per-CPU arrays, 0 = boot CPU */
	unsigned apic_id;
	struct vcpu *fpu_owner;       /* whose FPU state is in this CPU's registers (pv/context.c) */
	uint64_t *gdt;                /* this CPU's own GDT, loaded while it idles */
	int64_t tsc_offset;           /* subtracted from RDTSC for system time (time.c) */
	uint64_t xcr0;                /* XCR0 now loaded: the guest's (xstate.c) */
	uint64_t tlb_flushed_at;      /* tlb_clock just before this CPU's last full TLB flush (smp.h) */
	uint64_t pad;                 /* the tail stays a multiple of 16 bytes (below) */
};

_Static_assert(sizeof(struct cpu_info) <= CPU_INFO_RESERVE, "the boot stack reserves CPU_INFO_RESERVE bytes for cpu_info");
_Static_assert(sizeof(struct cpu_regs) % 16 == 0, "guest frame must keep RSP0 16-byte aligned");
_Static_assert((sizeof(struct cpu_info) - sizeof(struct cpu_regs)) % 16 == 0,
	       "cpu_info tail must keep RSP0 16-byte aligned");

static inline struct cpu_info *get_cpu_info(void)
{
	uint64_t sp;

	__asm__("mov %%rsp, %0" : "=r"(sp));
	return (struct cpu_info *)((sp | (STACK_SIZE - 1)) + 1 - sizeof(struct cpu_info));
}

#endif
