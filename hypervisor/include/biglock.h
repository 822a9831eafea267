/*
 * The big hypervisor lock: one lock for all shared hypervisor state.
 *
 * Why one lock: the hypervisor is thin. Nearly every entry is a short
 * hypercall, an emulated instruction or an interrupt, and most of them touch
 * several subsystems at once (an event send reaches the event tables, the
 * scheduler and a timer). One lock makes every one of those paths as correct
 * on several CPUs as it was on one, with no lock order to get wrong. seL4
 * does the same for SMP; lguest had one big mutex. We split it only when a
 * benchmark in bench/ shows CPUs waiting on it (docs/locking.md).
 *
 * Who takes it: every entry from a guest (exceptions, SYSCALL, interrupts
 * taken in guest context), and a CPU's idle loop while it has work. It is
 * released on the way back to the guest (the last thing pv_exit_to_guest
 * does) and while an idle CPU halts. Inside the hypervisor interrupts are
 * off, so the holder is never interrupted.
 *
 * What it does not cover: each CPU's own state (its stack, cpu_info, TSS,
 * TLB, FPU registers) and the lock-free cross-CPU requests (the TLB-flush
 * word and the IPIs of arch/x86/smp_ipi.c). A CPU that waits here calls
 * arch_lock_spin_wait() on every turn, which answers TLB-flush requests: the
 * holder may be waiting for exactly that answer (see docs/locking.md). After
 * a short spin it sleeps instead (arch_lock_sleep), halted with interrupts
 * on, until the releaser kicks the CPU holding the next ticket.
 *
 * It is a ticket lock: CPUs get it in the order they asked, so a CPU that
 * keeps re-entering cannot starve another (QEMU's CPU threads are not
 * scheduled fairly by the host).
 */
#ifndef BIGLOCK_H
#define BIGLOCK_H

#include <arch.h>
#include <lib.h>

struct biglock {
	uint32_t next;          /* the ticket the next CPU to ask takes */
	uint32_t serving;       /* the ticket that holds the lock */
	int owner;              /* CPU id of the holder, -1: free (debug checks) */
	uint32_t sleepers;      /* CPUs in arch_lock_sleep: only then must a release kick */
	uint64_t kicks;         /* CPUs (a cpumask) the holder wakes once it has let go: arch_send_event_check */
	/* statistics, written by the holder only */
	uint64_t acquired;      /* acquisitions */
	uint64_t contended;     /* ... that had to wait */
	uint64_t spin_ns;       /* total time spent waiting (arch_lock_now) */
};

extern struct biglock big_lock;

/*
 * Take / drop the lock on this CPU. Acquiring a lock this CPU already holds,
 * or releasing one it does not hold, panics: both are hypervisor bugs.
 *
 * Inline: every guest entry takes and drops the lock, and under an emulator
 * each call and return costs a lookup of the next translated block (the
 * null hypercall paid about 100 TSC cycles for the two calls). Only the
 * uncontended case is here; waiting and waking stay in biglock.c.
 */
void big_lock_wait(uint32_t ticket);
NORETURN void big_lock_misuse(int cpu, bool acquiring);

static inline void big_lock_acquire(void)
{
	int cpu = (int)arch_cpu_id();
	uint32_t ticket;

	if (__atomic_load_n(&big_lock.owner, __ATOMIC_RELAXED) == cpu)
		big_lock_misuse(cpu, true);
	ticket = __atomic_fetch_add(&big_lock.next, 1, __ATOMIC_RELAXED);
	if (__atomic_load_n(&big_lock.serving, __ATOMIC_ACQUIRE) != ticket) {
		big_lock_wait(ticket);
		return;
	}
	big_lock.owner = cpu;
	big_lock.acquired++;
}

static inline void big_lock_release(void)
{
	int cpu = (int)arch_cpu_id();

	if (big_lock.owner != cpu)
		big_lock_misuse(cpu, false);
	big_lock.owner = -1;
	/*
	 * Wake-ups asked for while we held it go out once it is free: a CPU
	 * woken earlier would enter the hypervisor and at once wait for the
	 * lock its waker still holds (docs/split-drivers.md).
	 */
	uint64_t kicks = big_lock.kicks;
	big_lock.kicks = 0;
	/* only the holder writes `serving`: a plain increment, published with a full fence */
	uint32_t next = big_lock.serving + 1;
	__atomic_store_n(&big_lock.serving, next, __ATOMIC_SEQ_CST);
	if (kicks)
		arch_lock_send_kicks(kicks);
	/*
	 * A sleeper counts itself before it looks at `serving` (biglock.c), and
	 * we read the count after the store, both sequentially consistent:
	 * either we see it, or it sees our store and does not sleep.
	 */
	if (__atomic_load_n(&big_lock.sleepers, __ATOMIC_SEQ_CST))
		arch_lock_kick(next);   /* the next ticket's holder, if it sleeps */
}

/* Does this CPU hold it? */
bool big_lock_held(void);

#endif
