/*
 * What CPUs ask of each other, by inter-processor interrupt (IPI):
 *
 * Event check (VEC_EVENT_CHECK): "enter the hypervisor". The handler only
 *   acknowledges it; entering is the point. An idle CPU leaves HLT and looks
 *   at the run queue; a CPU in a guest takes the big lock and goes through
 *   its exit path, which reschedules and delivers pending events.
 *
 * TLB shoot-down (VEC_FLUSH_TLB): the big lock's holder reads the flush
 *   clock (the stamp), sets the targets' bits in flush_pending and
 *   interrupts them; it is answered once every target's tlb_flushed_at is
 *   past the stamp. A target clears its bit BEFORE reloading CR3, so a
 *   request whose bit it cleared is always answered by that reload, and
 *   one that sets the bit after is answered by the next look: requests may
 *   overlap and none is lost. It looks from the interrupt handler, which
 *   never takes the big lock, from the lock's spin loop (arch_lock_spin_wait:
 *   a target may be waiting for the very lock the requester holds, with
 *   interrupts off), and from flush_wait. Requests are made under the
 *   lock; the wait for the answers may be made without it
 *   (arch_flush_tlb_domain_unlocked: grant unmaps).
 *   A target that waits for the big lock (lock_waiting) is neither
 *   interrupted nor waited for: its bit stays set, and it flushes first
 *   thing once it has the lock (arch_lock_acquired). See lazy_target().
 *
 * Stop (NMI): on the way to a halt or reboot, every other CPU we started is
 *   sent an NMI, which reaches it even with interrupts off, and halts for good.
 *
 * Which CPUs hold a domain's translations: those whose `current` vCPU
 * belongs to it. A CPU that switches vCPU loads another CR3, which flushes
 * (the hypervisor does not use global pages), and an idle CPU runs on
 * boot_l4 (pv/context.c), so no other CPU can hold them.
 */
#include <arch.h>
#include <biglock.h>
#include <cmdline.h>
#include <console.h>
#include <domain.h>
#include <wake_stats.h>
#include <asm/io_apic.h>
#include <asm/smp.h>
#include <asm/x86.h>

static volatile cpumask_t flush_pending;
static volatile bool stopping;
uint64_t smp_flush_count;           /* shoot-downs that interrupted another CPU (statistics) */

void smp_send_event_check(unsigned cpu)
{
	if (cpu == smp_cpu_id() || !cpumask_test(cpu_online_mask, cpu))
		return;
	wake_stats_count_atomic(&wake_stats.ipis_event_check);   /* lock kicks come without the lock */
	apic_send_ipi(cpu_apic_ids[cpu], ICR_FIXED | VEC_EVENT_CHECK);
}

/* Held: sent by big_lock_release once the lock is free (arch.h). */
void arch_send_event_check(unsigned cpu)
{
	if (hv_opts.late_kicks && big_lock_held()) {
		if (cpu != smp_cpu_id())   /* this CPU looks again anyway (arch.h) */
			big_lock.kicks |= cpumask_of(cpu);
		return;
	}
	smp_send_event_check(cpu);
}

void arch_lock_send_kicks(uint64_t cpus)
{
	for_each_cpu(cpu, (cpumask_t)cpus) {
		wake_stats_count_atomic(&wake_stats.kicks_late);
		smp_send_event_check(cpu);
	}
}

uint64_t tlb_clock = 1;   /* 0: "before any flush", a stamp that needs none */

cpumask_t smp_cpus_not_flushed_since(cpumask_t mask, uint64_t stamp)
{
	cpumask_t m = 0;

	for_each_cpu(cpu, mask)
		if (__atomic_load_n(&cpu_infos[cpu]->tlb_flushed_at, __ATOMIC_ACQUIRE) <= stamp)
			m |= cpumask_of(cpu);
	return m;
}

void smp_flush_service(void)
{
	cpumask_t me = cpumask_of(smp_cpu_id());

	if (__atomic_load_n(&flush_pending, __ATOMIC_ACQUIRE) & me) {
		__atomic_fetch_and(&flush_pending, ~me, __ATOMIC_SEQ_CST);   /* first: see the top */
		tlb_write_cr3(read_cr3());
	}
}

/*
 * CPUs in the contended half of big_lock_acquire, from arch_lock_wait_begin
 * until arch_lock_acquired has answered any shoot-down (written by that CPU
 * only). Under an emulator most of them are halted in arch_lock_sleep, and
 * an IPI to a halted CPU waits for the host to run that CPU's thread again:
 * the holder used to spin for that, milliseconds on a busy host.
 */
static volatile bool lock_waiting[NR_CPUS];

void arch_lock_wait_begin(void)
{
	__atomic_store_n(&lock_waiting[smp_cpu_id()], true, __ATOMIC_RELAXED);
}

/*
 * May the shoot-down's requester (the lock holder, its bit for `cpu`
 * already in flush_pending) skip interrupting and waiting for `cpu`? Why
 * that leaves no CPU running guest code, or reading guest memory, through
 * a stale entry (docs/smp.md, "TLB shoot-downs and waiting CPUs"):
 * - Read true: the CPU set it for the wait it is in now. A true left from
 *   an earlier wait is impossible: that wait ended by taking the lock, and
 *   the CPU cleared the flag while holding it, before the release we took
 *   the lock after. So the CPU cannot hold the lock before we release it.
 * - Until it holds the lock it runs no guest code (it entered the
 *   hypervisor to take the lock) and touches no guest address: waiting
 *   only spins, or halts taking interrupts whose handlers defer anything
 *   that needs the lock (smp_defer_timer, io_apic_run_deferred).
 * - Our bit in flush_pending was set before our release of the lock; the
 *   CPU's acquisition reads `serving` with acquire order, so it sees the
 *   bit, and arch_lock_acquired reloads CR3 before anything else runs and
 *   before the flag clears. Later shoot-downs by other holders meanwhile
 *   find the flag still set and add nothing but their bit.
 * - Read false (or stale false while it is just starting to wait): we
 *   interrupt and wait as for any CPU; a waiter answers from its spin loop
 *   or, halted, from the interrupt handler.
 * A CPU that is idle holds no guest translations at all (it runs on the
 *   hypervisor's own tables, smp_domain_cpus), so it is never a target.
 */
static bool lazy_target(unsigned cpu)
{
	return hv_opts.lazy_flush && __atomic_load_n(&lock_waiting[cpu], __ATOMIC_RELAXED);
}

/*
 * Under the lock, after the caller changed the entries: flush this CPU,
 * ask the others of mask. Returns the CPUs to wait for (lazy targets are
 * not: they flush before touching guest memory again, lazy_target) and
 * *stamp, the clock read after the entries changed: a CPU that reloaded
 * CR3 after it drew a later value (tlb_write_cr3) holds none of them.
 */
static cpumask_t flush_request(cpumask_t mask, uint64_t *stamp)
{
	cpumask_t me = cpumask_of(smp_cpu_id()), wait = 0;

	BUG_ON(!big_lock_held());
	*stamp = __atomic_load_n(&tlb_clock, __ATOMIC_SEQ_CST);
	if (mask & me)
		tlb_write_cr3(read_cr3());
	mask &= cpu_online_mask & ~me;
	if (!mask)
		return 0;
	__atomic_fetch_or(&flush_pending, mask, __ATOMIC_SEQ_CST);
	for_each_cpu(cpu, mask) {
		if (lazy_target(cpu)) {
			wake_stats_count(&wake_stats.tlb_flush_lazy);
			continue;
		}
		wait |= cpumask_of(cpu);
		apic_send_ipi(cpu_apic_ids[cpu], ICR_FIXED | VEC_FLUSH_TLB);
	}
	if (wait) {
		smp_flush_count++;
		wake_stats_count(&wake_stats.tlb_flush_ipis);
	}
	return wait;
}

/*
 * Until every CPU of `wait` has flushed since `stamp` (returns 0), or until
 * the clock passes `until` (returns those that have not), with or without
 * the lock. Answers requests to this CPU meanwhile: their requester may be
 * waiting for us as we wait for it.
 */
static cpumask_t flush_wait(cpumask_t wait, uint64_t stamp, uint64_t until)
{
	while ((wait = smp_cpus_not_flushed_since(wait, stamp)) && arch_now_ns() < until) {
		smp_flush_service();
		cpu_relax();
	}
	return wait;
}

void smp_flush_tlb_mask(cpumask_t mask)
{
	uint64_t stamp, start = arch_now_ns();
	cpumask_t wait = flush_request(mask, &stamp);

	if (wait) {
		flush_wait(wait, stamp, UINT64_MAX);
		wake_stats.tlb_flush_wait_ns += arch_now_ns() - start;
	}
}

cpumask_t smp_domain_cpus(const struct domain *d)
{
	cpumask_t m = 0;

	for_each_cpu(cpu, cpu_online_mask) {
		struct vcpu *v = cpu_infos[cpu]->current;
		if (v && v->domain == d)
			m |= cpumask_of(cpu);
	}
	return m;
}

cpumask_t smp_guest_cpus(void)
{
	cpumask_t m = 0;

	for_each_cpu(cpu, cpu_online_mask)
		if (cpu_infos[cpu]->current)
			m |= cpumask_of(cpu);
	return m;
}

void arch_flush_tlb_domain(struct domain *d)
{
	smp_flush_tlb_mask(smp_domain_cpus(d));
}

/*
 * As arch_flush_tlb_domain, but answers that take longer than
 * flush_hold_us are awaited with the big lock let go (a target's QEMU
 * thread may not run for milliseconds while every other CPU would wait for
 * the lock; a quick answer is cheaper than taking a contended lock again):
 * the caller must leave nothing half-done that another CPU could trip over
 * meanwhile (docs/smp.md, "Waiting for shoot-downs without the lock").
 */
uint64_t arch_flush_tlb_domain_unlocked(struct domain *d)
{
	uint64_t stamp, start = arch_now_ns(), ns;
	cpumask_t wait = flush_request(smp_domain_cpus(d), &stamp);

	if (!wait)
		return 0;
	wait = flush_wait(wait, stamp, start + (uint64_t)hv_opts.flush_hold_us * 1000);
	wake_stats.tlb_flush_wait_ns += arch_now_ns() - start;
	if (!wait)
		return 0;
	start = arch_now_ns();
	big_lock_release();
	flush_wait(wait, stamp, UINT64_MAX);
	big_lock_acquire();
	ns = arch_now_ns() - start;   /* not held: the answers, then the lock again */
	wake_stats_count(&wake_stats.tlb_flush_unlocked);
	wake_stats.tlb_flush_unlocked_ns += ns;
	return ns;
}

void arch_lock_spin_wait(void)
{
	smp_flush_service();
	cpu_relax();
}

/*
 * Sleeping for the big lock. The waiter publishes its ticket, then checks
 * the lock once more; the releaser publishes the new ticket, then looks for
 * a sleeper with it. Both with full fences, so one of them sees the other:
 * either the waiter does not halt, or the releaser kicks it. While halted,
 * IPIs are taken as usual (flushes are answered by their handler); a timer
 * interrupt, which needs the lock, is only noted (timer_deferred) and run
 * by arch_lock_acquired() when this CPU has the lock.
 */
/* ticket + 1, in 64 bits: 0 means not sleeping, and ticket 0xffffffff must not look like that */
static volatile uint64_t sleep_ticket[NR_CPUS];
static volatile bool lock_sleeping[NR_CPUS];
static bool timer_deferred[NR_CPUS];

void arch_lock_sleep(volatile uint32_t *serving, uint32_t ticket)
{
	unsigned cpu = smp_cpu_id();

	__atomic_store_n(&sleep_ticket[cpu], (uint64_t)ticket + 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(serving, __ATOMIC_SEQ_CST) != ticket) {
		wake_stats_count_atomic(&wake_stats.lock_sleeps);
		lock_sleeping[cpu] = true;
		arch_wait_for_interrupt();
		lock_sleeping[cpu] = false;
	}
	__atomic_store_n(&sleep_ticket[cpu], 0, __ATOMIC_RELAXED);
}

void arch_lock_kick(uint32_t ticket)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for_each_cpu(cpu, cpu_online_mask)
		if (__atomic_load_n(&sleep_ticket[cpu], __ATOMIC_SEQ_CST) == (uint64_t)ticket + 1) {
			smp_send_event_check(cpu);
			return;
		}
}

/* Is this CPU halted in arch_lock_sleep (an interrupt it takes must not take the lock)? */
bool smp_lock_sleeping(void)
{
	return lock_sleeping[smp_cpu_id()];
}

/* An interrupt while this CPU sleeps for the lock: true if it must wait for the lock. */
bool smp_defer_timer(void)
{
	unsigned cpu = smp_cpu_id();

	if (!lock_sleeping[cpu])
		return false;
	timer_deferred[cpu] = true;
	return true;
}

void arch_lock_acquired(void)
{
	unsigned cpu = smp_cpu_id();

	/* first: a shoot-down may have skipped us while we waited (lazy_target) */
	smp_flush_service();
	__atomic_store_n(&lock_waiting[cpu], false, __ATOMIC_RELAXED);
	if (timer_deferred[cpu]) {
		timer_deferred[cpu] = false;
		timer_interrupt();
	}
	io_apic_run_deferred();
}

uint64_t arch_lock_now(void)
{
	return arch_now_ns();
}

bool smp_stopping(void)
{
	return stopping;
}

void smp_stopped_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt" ::: "memory");
}

void smp_stop_others(void)
{
	if (nr_cpus_online < 2 || __atomic_exchange_n(&stopping, true, __ATOMIC_SEQ_CST))
		return;
	/* one by one: a CPU we never started (maxcpus=) must not get an NMI in its wait-for-SIPI state */
	for_each_cpu(cpu, cpu_online_mask)
		if (cpu != smp_cpu_id())
			apic_send_ipi(cpu_apic_ids[cpu], ICR_NMI | ICR_ASSERT);
	arch_udelay(1000);
}
