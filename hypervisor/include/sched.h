/*
 * Scheduling as hypercalls, events and emulated instructions see it
 * (common/sched.c).
 */
#ifndef SCHED_H
#define SCHED_H

#include <domain.h>

/* SCHEDOP_yield: let something else run. */
void sched_yield_current(void);

/*
 * SCHEDOP_block / HLT: clear the vCPU's upcall mask and wait until an event is
 * pending for it (return at once if one already is).
 */
void sched_block_current(void);

/* An event became pending for v: make it runnable (and reschedule if needed). */
void vcpu_kick(struct vcpu *v);

/* Make a blocked or new vCPU runnable. */
void vcpu_wake(struct vcpu *v);

/* Once, when the vCPU is made (vcpu_timers_init): its poll timer. */
void sched_vcpu_init(struct vcpu *v);
/*
 * Start a vCPU (builder, VCPUOP_up); take it off the scheduler with every
 * timer it owns stopped (death, VCPUOP_down). Start and remove may
 * alternate any number of times.
 */
void sched_start_vcpu(struct vcpu *v);
void sched_remove_vcpu(struct vcpu *v);
/*
 * Is one of d's vCPUs still current on some CPU? After sched_remove_vcpu
 * another CPU lets go at its next entry; until then its state is in use
 * (domain teardown waits).
 */
bool sched_domain_loaded(const struct domain *d);

/*
 * Pausing (docs/toolstack.md). A paused vCPU does not run: the domain's
 * pause_count (the controller's) or the vCPU's own (the hypervisor's, for
 * a moment) is not 0. sched_pause_vcpu counts and stops v;
 * sched_pause_domain stops every vCPU of d after the caller raised
 * d->pause_count; the unpause pair lowers / follows the lowering, and runs
 * what may run again. Stopping only asks a CPU that runs one to switch
 * away: sched_wait_unloaded then waits until none does (`only`: just that
 * vCPU), letting the big lock go meanwhile (domctl only: see sched.c).
 */
void sched_pause_vcpu(struct vcpu *v);
void sched_unpause_vcpu(struct vcpu *v);
void sched_pause_domain(struct domain *d);
void sched_unpause_domain(struct domain *d);
void sched_wait_unloaded(const struct domain *d, const struct vcpu *only);
/* The CPUs v may run on (not empty): a CPU running it elsewhere lets it go. */
void sched_set_affinity(struct vcpu *v, cpumask_t hard);

/*
 * The boot CPU, once the initial domains exist: take the big lock, release
 * the other CPUs, run the first vCPU. Does not return.
 */
void sched_start(void) NORETURN;

/* A secondary CPU, with the big lock held: run whatever is runnable. Does not return. */
void sched_start_secondary(void) NORETURN;

/*
 * Called by the arch on every return to a guest: switches vCPUs when asked
 * to. Returns true when the frame on this CPU changed: another vCPU's, or
 * the same vCPU's reloaded after it was switched out to idle.
 */
bool sched_exit_to_guest(void);

/* How long CPU cpu has been idle since boot, in ns (no vCPU current). */
uint64_t sched_cpu_idle_ns(unsigned cpu);

/* Is Dom0 (if there is one) still running? */
bool vcpu_can_run_domain0(void);

struct vcpu_runstate_info;
void sched_get_runstate(struct vcpu *v, struct vcpu_runstate_info *info);
void sched_set_runstate_area(struct vcpu *v, uint64_t va);
/*
 * The arch, when the current vCPU v enters guest kernel mode with
 * v->runstate_pending set: the runstate write a switch could not make
 * while v was in user mode.
 */
void sched_runstate_kernel_entry(struct vcpu *v);

#endif
