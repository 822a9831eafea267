/*
 * What common code needs from the architecture; common/ includes no arch
 * header directly. The general hooks are declared here. A family of hooks
 * that belongs to one interface is declared with that interface, so that
 * its callers and its arch side read one header:
 *   page.h         arch_page_validate/devalidate, TLB flush and clock
 *   grant_table.h  arch_gnttab_map/unmap/zap/flush_tlbs
 *   pirq.h         arch_irq_*, arch_pirq_set_needs_eoi
 *   timer.h        arch_timer_program
 *   hypercall.h    arch_hypercall_enter, arch_hypercall_preempt_check
 * (arch_host_* in arch/x86/pv/emulate.h are the x86 emulator's own view of
 * the real CPU, which its unit tests replace; common/ never calls them.)
 */
#ifndef ARCH_H
#define ARCH_H

#include <lib.h>
#include <cpumask.h>

/*
 * Write raw bytes to every enabled console device. Safe in any context.
 * Before arch_console_init, output is kept in a small buffer.
 */
void arch_console_write(const char *s, size_t len);

/* Turn on the console devices hv_opts asks for. */
void arch_console_init(void);

/* Print what was written before arch_console_init. */
void arch_console_flush_early(void);

/* The hypervisor's mapping of a physical address (RAM: the direct map), and back. */
void *arch_phys_to_virt(uint64_t pa);
uint64_t arch_virt_to_phys(const void *va);

/* XENVER_capabilities: the guest ABIs this build runs ("xen-3.0-x86_64"). */
const char *arch_guest_abis(void);
/* XENVER_platform_parameters: where the hypervisor's part of a guest's address space starts. */
uint64_t arch_guest_hole_start(void);

struct boot_info;
struct domain;
struct vcpu;
/*
 * Build the initial domain from the boot modules (kernel, then initrd) and
 * start running it; returns only on failure, after printing why.
 */
void arch_start_initial_domain(struct boot_info *bi);

/* Fill a 4 KiB frame with the hypercall page's stubs (XEN_DOMCTL_hypercall_init). */
void arch_hypercall_page_fill(void *page);

/*
 * XEN_DOMCTL_ioport_permission: grant (allow) or take back I/O ports
 * [first, last] of d. `from`, the caller, must hold every one of them
 * itself (-XEN_EPERM), so nothing the hypervisor keeps is ever handed
 * out. 0, -XEN_EINVAL (range), -XEN_ENOMEM.
 */
int arch_ioports_permit(struct domain *from, struct domain *d, unsigned first, unsigned last, bool allow);

/*
 * CPU policies as CPUID leaves (XEN_DOMCTL_get/set_cpu_policy,
 * XEN_SYSCTL_get_cpu_policy). arch_cpu_policy_get writes up to `max`
 * leaves of what v sees (raw: the CPU's own) to out and returns how many
 * there are, which may be more than max. arch_cpu_policy_set restricts
 * what d's vCPUs see to the feature bits the leaves give: 0, or -XEN_E2BIG,
 * -XEN_ERANGE, -XEN_EINVAL with *err_leaf and *err_subleaf naming the leaf;
 * nothing changes then.
 */
#define ARCH_CPU_POLICY_MAX_LEAVES 128
struct xen_cpuid_leaf;
unsigned arch_cpu_policy_get(struct vcpu *v, bool raw, struct xen_cpuid_leaf *out, unsigned max);
int arch_cpu_policy_set(struct domain *d, const struct xen_cpuid_leaf *leaves, unsigned n,
			uint32_t *err_leaf, uint32_t *err_subleaf);
/*
 * The same as Xen's featureset (XEN_SYSCTL_get_cpu_featureset): up to max
 * feature words in Xen's order; returns how many words there are.
 */
unsigned arch_cpu_featureset(struct vcpu *v, bool raw, uint32_t *words, unsigned max);

/* Arch parts of domain_create(); each returns 0 or -XEN_ENOMEM. */
int arch_domain_create(struct domain *d);
int arch_vcpu_create(struct vcpu *v);
/*
 * Teardown (common/domain_teardown.c): drop every frame reference the
 * vCPU's arch state holds (CR3 roots, GDT and LDT frames). A root whose
 * devalidation is cut short is left devalidating, holding itself: the
 * frame scan finishes it.
 */
void arch_vcpu_relinquish(struct vcpu *v);
/*
 * Teardown, with the vCPUs stopped: drop what the domain's arch state holds
 * (the PIRQ EOI map frame's references, I/O port grants).
 */
void arch_domain_relinquish(struct domain *d);
/* Free what arch_vcpu_create / arch_domain_create allocated (NULL-safe). */
void arch_vcpu_destroy(struct vcpu *v);
void arch_domain_destroy(struct domain *d);

/*
 * Switch this CPU from prev (NULL: nothing) to next: save prev's register
 * frame and CPU state, load next's. Afterwards the frame the exit path
 * returns through is next's.
 */
void arch_context_switch(struct vcpu *prev, struct vcpu *next);

/*
 * Refresh the vCPU's pvclock record (vcpu_time_info) from the TSC, and its
 * registered copy (v->time_area_va) if v runs on this CPU.
 */
void arch_vcpu_time_update(struct vcpu *v);

/*
 * VCPUOP_initialise: load a secondary vCPU's starting state from the guest's
 * struct vcpu_guest_context at `ctxt` (a guest address). 0 or -XEN_E*;
 * -XEN_EEXIST once it has been initialised (as Xen: a vCPU is initialised
 * once, VCPUOP_down does not undo it).
 */
int arch_vcpu_initialise(struct vcpu *v, uint64_t ctxt);
bool arch_vcpu_initialised(struct vcpu *v);
/*
 * A vCPU's whole context (XEN_DOMCTL_set/getvcpucontext, and
 * VCPUOP_initialise above), for a vCPU that is on no CPU: check a copy
 * (0 or -XEN_E*; nothing the guest can see changes), then apply it (cannot
 * fail); or read it.
 */
struct vcpu_guest_context;
int arch_vcpu_context_check(struct vcpu *v, const struct vcpu_guest_context *c);
void arch_vcpu_context_apply(struct vcpu *v, const struct vcpu_guest_context *c);
void arch_vcpu_context_get(struct vcpu *v, struct vcpu_guest_context *c);
/* Was v ever given a context (a dying domain's vCPUs keep the answer)? */
bool arch_vcpu_context_set(struct vcpu *v);

/* Leave the hypervisor for the current vCPU's saved frame. Does not return. */
void arch_enter_current_guest(void) NORETURN;

/* Stop: power off (SHUTDOWN_poweroff) or restart the machine. */
void arch_poweroff(void) NORETURN;
void arch_reboot(void) NORETURN;

/* Wait for an interrupt with interrupts enabled, then disable them again. */
void arch_wait_for_interrupt(void);
/* Does an interrupt wait for this CPU (interrupts being off)? */
bool arch_interrupt_pending(void);

/* Map all RAM up to max_phys and drop the loader's identity mapping. */
void arch_mm_init(uint64_t max_phys);

/* Calibrate the TSC and the local APIC timer; check timer interrupts work. */
void arch_time_init(void);

/* The debug_fault= option: make the CPU fault in the hypervisor. */
void arch_debug_fault(const char *kind) NOINLINE;

/*
 * Stop the machine for good. `failed` is reported to a test harness (QEMU's
 * isa-debug-exit with the qemu_debug_exit option); without one, the machine
 * halts or, unless `noreboot` was given, restarts after a few seconds.
 */
void arch_shutdown(bool failed) NORETURN;

/* Print the caller's backtrace, starting from its frame. */
void arch_dump_backtrace(void);

/* Time since boot in nanoseconds, from the calibrated TSC. */
uint64_t arch_now_ns(void);

/* Busy-wait; used before timer interrupts are trusted. */
void arch_udelay(uint64_t us);

/* ---- several CPUs (docs/smp.md) ------------------------------------ */

/*
 * Find and start the other CPUs (after arch_time_init). They wait, halted,
 * until arch_smp_release; boot code before that runs on this CPU alone.
 */
void arch_smp_init(const struct boot_info *bi);

/* Let the waiting CPUs into the scheduler (sched_start on the boot CPU). */
void arch_smp_release(void);

/* This CPU's id: 0 for the boot CPU, then 1, 2, ... in bring-up order. */
unsigned arch_cpu_id(void);

/* The CPUs that are up; fixed once arch_smp_init returns. */
cpumask_t arch_cpus_online(void);
/* VCPUOP_get_physid: CPU cpu's APIC id (low 32 bits) and ACPI processor id (high 32). */
uint64_t arch_cpu_physid(unsigned cpu);
/* The CPU clock in kHz as measured at boot (sysctl physinfo), 0 if unknown. */
uint64_t arch_cpu_khz(void);

/*
 * Interrupt `cpu` so that it enters the hypervisor (an idle CPU wakes; a
 * CPU in a guest passes its exit path: scheduler and event delivery). No-op
 * for the calling CPU. Caller holds the big lock; the interrupt is sent
 * when it lets go (big_lock_release), unless booted with late_kicks=0.
 */
void arch_send_event_check(unsigned cpu);

/*
 * Flush the TLB of every CPU on which a vCPU of d is loaded, this one
 * included, and return when they all have. Caller holds the big lock.
 */
void arch_flush_tlb_domain(struct domain *d);
/* The same, the answers awaited with the big lock let go and retaken; returns the ns without it. */
uint64_t arch_flush_tlb_domain_unlocked(struct domain *d);

/* One turn of waiting for the big lock (biglock.c): answer TLB-flush requests. */
void arch_lock_spin_wait(void);

/*
 * Wait for *serving to reach `ticket` with the CPU halted; returns on any
 * wake-up (the caller re-checks). arch_lock_kick(ticket) wakes the CPU
 * that sleeps for that ticket. Interrupts that need the lock and arrive
 * meanwhile are deferred to arch_lock_acquired(), called once it is held.
 */
void arch_lock_sleep(volatile uint32_t *serving, uint32_t ticket);
void arch_lock_kick(uint32_t ticket);
void arch_lock_acquired(void);

/* big_lock_release, once the lock is free: the event checks deferred while it was held. */
void arch_lock_send_kicks(uint64_t cpus);

/*
 * This CPU starts to wait for the big lock (the contended path): until
 * arch_lock_acquired() it runs no guest code and touches no guest address,
 * so a holder's TLB shoot-down need not wait for it (arch/x86/smp_ipi.c).
 */
void arch_lock_wait_begin(void);

/* A cheap monotonic clock in ns for lock statistics. */
uint64_t arch_lock_now(void);

#endif
