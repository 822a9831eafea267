/*
 * The scheduler: weighted fair share with caps, after Xen's credit scheduler,
 * on every CPU.
 *
 * Every vCPU that wants to run and is not running is on the one run queue,
 * shared by all CPUs. Each accounting period (30 ms) hands out credit for
 * every CPU's worth of time, by weight, to the active domains (those with a
 * vCPU running or queued), split between their active vCPUs and capped at
 * one CPU per vCPU (sched_credit.c); a vCPU pays for the time it ran at
 * every tick (10 ms) of its CPU and when it stops running there. Both go
 * by time, not by count: under a busy host ticks come late, and a period
 * of fewer, longer ticks must not hand out more credit than was burnt (or
 * less), or every vCPU drifts to the same bound and weights stop
 * mattering. A CPU picks, in order: vCPUs boosted
 * because an event just woke them (so I/O completes promptly), vCPUs with
 * credit left (UNDER), then the rest (OVER); first come first served within
 * a class; only vCPUs whose hard affinity includes the CPU. A domain with a
 * cap is parked for the rest of a period once it has used its cap's worth of
 * CPU, even if its CPU then idles (as Xen's caps). A vCPU that blocks gives the CPU back at once; when nothing is
 * runnable the CPU switches to the hypervisor's own tables and halts.
 *
 * A vCPU runs on at most one CPU at a time: it is either on the run queue
 * or current on exactly one CPU, never both; and a CPU saves the outgoing
 * vCPU's state before it lets go of the big lock, so whichever CPU picks the
 * vCPU next finds its state complete.
 *
 * Waking a vCPU "tickles" a CPU: an idle CPU it may run on, or else the CPU
 * running the least urgent vCPU it may run on, if that is less urgent than
 * the woken one; the tickled CPU gets an event-check IPI and reschedules.
 *
 * Switching happens only on the way back to a guest (sched_exit_to_guest,
 * called by the arch's exit path) or from the idle loop, so a switch never
 * has to unwind the hypervisor's own stack: the outgoing vCPU's state is
 * exactly its saved register frame.
 *
 * Locking: everything here is under the big lock (biglock.h). The idle loop
 * drops it while the CPU halts. Per-CPU state (struct sched_cpu) is written
 * only by its CPU, except need_resched, which a tickling CPU sets.
 */
#include <arch.h>
#include <biglock.h>
#include <cmdline.h>
#include <console.h>
#include <domain.h>
#include <event.h>
#include <guest_access.h>
#include <hypercall.h>
#include <sched.h>
#include <sched_credit.h>
#include <frame_scrub.h>
#include <timer.h>
#include <wake_stats.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define TICK_NS          10000000ULL    /* 10 ms */
#define TICKS_PER_PERIOD 3              /* accounting period: 30 ms */
#define CREDIT_PER_TICK  10000         /* credit is CPU time in us */
#define CREDIT_MAX       (CREDIT_PER_TICK * TICKS_PER_PERIOD)   /* one CPU for one period */
/* what a vCPU may bank or owe: five periods, so that slices a busy host
 * stretched (the emulated timer comes up to 100+ ms late while the vCPU
 * runs on) are paid back, not clipped away in favour of the lighter weight */
#define CREDIT_BOUND     (5 * CREDIT_MAX)
#define PERIOD_NS        (TICK_NS * TICKS_PER_PERIOD)
#define DEFAULT_WEIGHT   256
#define POLL_MAX_PORTS   128
#define MAX_DOMAINS_ACCT 64             /* domains one accounting pass handles */

struct sched_cpu {
	struct vcpu *curr;              /* also the arch's current_vcpu(); NULL: idle */
	bool need_resched;              /* set by this CPU, or by one that tickles it */
	bool ticking;                   /* tick armed: only while a vCPU runs here */
	struct timer tick;
	uint64_t last_account;          /* when the current vCPU was last charged (charge) */
	uint64_t idle_ns, idle_since;   /* time with no vCPU current (XEN_SYSCTL_getcpuinfo) */
};

static struct sched_cpu sched_cpus[NR_CPUS];
static struct vcpu *runq;
static cpumask_t idle_cpus;             /* halted in the idle loop and not tickled yet */
static uint64_t next_period;            /* when the next accounting period starts */
static uint64_t period_start;           /* when the current one started */

static struct sched_cpu *this_cpu(void)
{
	return &sched_cpus[arch_cpu_id()];
}

static void resched_local(void)
{
	this_cpu()->need_resched = true;
}

/* ---- runstate ------------------------------------------------------ */

static void update_runstate_area(struct vcpu *v);

static void set_run_state(struct vcpu *v, int state)
{
	uint64_t now = now_ns();

	if (v->run_state == state)
		return;
	v->runstate_time[v->run_state] += now - v->state_entry_time;
	v->state_entry_time = now;
	v->run_state = state;
}

void sched_get_runstate(struct vcpu *v, struct vcpu_runstate_info *info)
{
	info->state = v->run_state;
	info->_pad = 0;
	info->state_entry_time = v->state_entry_time;
	for (int i = 0; i < 4; i++)
		info->time[i] = v->runstate_time[i];
	info->time[v->run_state] += now_ns() - v->state_entry_time;
}

/* Through v's current page tables (v's loaded); false if that faulted. */
static bool write_runstate_area(struct vcpu *v)
{
	struct vcpu_runstate_info info;

	sched_get_runstate(v, &info);
	return !copy_to_guest(v->runstate_va, &info, sizeof(info));
}

/*
 * The guest's copy, while its page tables are loaded. In guest user mode
 * those are the user tables, where the kernel address the area usually
 * has faults: then the write waits for the vCPU's next entry to kernel
 * mode (sched_runstate_kernel_entry). The registration is kept whatever
 * happens, as Xen does; a copy that faults is simply not made.
 */
static void update_runstate_area(struct vcpu *v)
{
	if (v->runstate_va && !write_runstate_area(v))
		v->runstate_pending = true;
}

void sched_runstate_kernel_entry(struct vcpu *v)
{
	v->runstate_pending = false;
	if (v->runstate_va)
		write_runstate_area(v);   /* faults in kernel mode too: the guest unmapped it */
}

void sched_set_runstate_area(struct vcpu *v, uint64_t va)
{
	v->runstate_va = va;
	v->runstate_pending = false;
	if (v == current_vcpu())
		update_runstate_area(v);
}

/* ---- run queue ----------------------------------------------------- */

static int priority(const struct vcpu *v)
{
	if (v->boost)
		return 2;
	return v->credit > 0 ? 1 : 0;
}

static bool domain_parked(const struct domain *d)
{
	return d->cap && d->cap_used_ns * 100 >= (uint64_t)d->cap * PERIOD_NS;
}

static bool parked(const struct vcpu *v)
{
	return domain_parked(v->domain);
}

static void runq_insert(struct vcpu *v)
{
	struct vcpu **p = &runq;

	if (v->on_runq)
		return;
	while (*p)
		p = &(*p)->rq_next;
	v->rq_next = NULL;
	*p = v;
	v->on_runq = true;
}

static void runq_remove(struct vcpu *v)
{
	for (struct vcpu **p = &runq; *p; p = &(*p)->rq_next)
		if (*p == v) {
			*p = v->rq_next;
			break;
		}
	v->on_runq = false;
	v->rq_next = NULL;
}

static bool may_run_on(const struct vcpu *v, unsigned cpu)
{
	return cpumask_test(v->cpu_affinity, cpu) && !parked(v);
}

/* The most urgent vCPU that may run on cpu; `skip` only if nothing else can (yield). */
static struct vcpu *pick_next(unsigned cpu, const struct vcpu *skip)
{
	struct vcpu *best = NULL;

	for (struct vcpu *v = runq; v; v = v->rq_next)
		if (v != skip && may_run_on(v, cpu) && (!best || priority(v) > priority(best)))
			best = v;
	if (!best && skip && skip->on_runq && may_run_on(skip, cpu))
		best = (struct vcpu *)skip;
	return best;
}

/* Paused (by the controller, or by the hypervisor for a moment): it may not run. */
static bool vcpu_paused(const struct vcpu *v)
{
	return v->pause_count || v->domain->pause_count;
}

static bool vcpu_can_run(const struct vcpu *v)
{
	return v->online && v->domain->state == DOMAIN_RUNNING && !vcpu_paused(v);
}

/* ---- accounting ---------------------------------------------------- */

static bool vcpu_active(const struct vcpu *v)
{
	return v && (v->on_runq || v->run_state == RUNSTATE_running);
}

static void tickle(struct vcpu *v);

/* Accounting for the period just ended, which lasted `elapsed` ns: credit for that time. */
static void account_period(uint64_t elapsed)
{
	unsigned weight[MAX_DOMAINS_ACCT], active[MAX_DOMAINS_ACCT];
	int share[MAX_DOMAINS_ACCT];
	unsigned n = 0, per_cpu = (unsigned)(MIN(elapsed, 1000000000ULL) / 1000);   /* us; bounded anyway */
	bool unparked = false;

	for_each_domain(d) {
		/*
		 * A capped domain pays back what it overran (a tick is coarser than
		 * most caps), so that over time it gets its cap and not more. Its
		 * allowance is for the time that really passed: a tick that comes
		 * late (a busy host stalls the emulated CPU) must not shrink it, or
		 * the domain falls below its cap while the others run.
		 */
		uint64_t allowance = (uint64_t)d->cap * elapsed / 100;
		bool was_parked = domain_parked(d);
		d->cap_used_ns = d->cap_used_ns > allowance ? d->cap_used_ns - allowance : 0;
		if (was_parked && !domain_parked(d))
			unparked = true;
		if (n == MAX_DOMAINS_ACCT)
			continue;   /* TODO(#5): beyond 64 domains, the rest get no credit */
		weight[n] = d->state == DOMAIN_RUNNING ? d->weight : 0;
		active[n] = 0;
		for (unsigned i = 0; i < d->max_vcpus; i++)
			active[n] += vcpu_active(d->vcpus[i]);
		n++;
	}
	sched_credit_split(n, weight, active, (uint64_t)per_cpu * cpumask_weight(arch_cpus_online()),
			   per_cpu, share);
	n = 0;
	for_each_domain(d) {
		if (n == MAX_DOMAINS_ACCT)
			break;
		for (unsigned i = 0; share[n] && i < d->max_vcpus; i++) {
			struct vcpu *v = d->vcpus[i];
			if (!vcpu_active(v))
				continue;
			v->credit += share[n];
			v->credit = MIN(MAX(v->credit, -CREDIT_BOUND), CREDIT_BOUND);
		}
		n++;
	}
	/* a domain back under its cap should not wait for someone else's tick */
	if (unparked)
		for (struct vcpu *v = runq; v; v = v->rq_next)
			if (v->domain->cap)
				tickle(v);
}

/*
 * What the vCPU current here (if any) ran since it was last charged: its
 * credit, and its domain's cap time (only a cap is paid back, by
 * account_period: uncapped, the time would pile up as debt that parks the
 * domain once a cap is set).
 */
static void charge(struct sched_cpu *sc, struct vcpu *cur, uint64_t now)
{
	uint64_t ran = now - sc->last_account;

	sc->last_account = now;
	if (!cur)
		return;
	cur->credit = (int)MAX((int64_t)cur->credit - (int64_t)(ran / 1000), -(int64_t)CREDIT_BOUND);
	if (cur->domain->cap)
		cur->domain->cap_used_ns += ran;
}

/* Each CPU's own tick, armed while a vCPU runs there. */
static void tick(void *data)
{
	struct sched_cpu *sc = data;
	struct vcpu *cur = sc->curr;
	unsigned cpu = arch_cpu_id();
	uint64_t now = now_ns();

	BUG_ON(sc != this_cpu());
	charge(sc, cur, now);
	if (cur)
		cur->boost = false;
	if (now >= next_period) {
		account_period(now - period_start);
		period_start = now;
		next_period = now + PERIOD_NS;
	}
	/* time slice over: let the queue decide (the current vCPU goes to its end);
	 * a vCPU past its domain's cap stops even if the CPU then idles, as on Xen */
	if (pick_next(cpu, NULL) || (cur && parked(cur)))
		sc->need_resched = true;
	/*
	 * An idle CPU stops ticking until a vCPU runs there again, except CPU 0,
	 * whose tick also polls the console UART (arch) and keeps accounting going.
	 */
	if (cur || cpu == 0)
		timer_set(&sc->tick, now + TICK_NS);
	else
		sc->ticking = false;
}

/* ---- waking and blocking ------------------------------------------- */

/*
 * v just became runnable: find it a CPU. An idle one it may use, preferring
 * the one it last ran on (its caches); otherwise preempt the least urgent
 * vCPU running where it may run, if that is less urgent than v.
 */
/* Wake an idle CPU v may run on, if there is one; true if one was woken. */
static bool tickle_idle(struct vcpu *v)
{
	cpumask_t idle = idle_cpus & v->cpu_affinity & arch_cpus_online();
	unsigned target;

	if (!idle)
		return false;
	target = cpumask_test(idle, v->processor) ? v->processor : cpumask_first(idle);
	idle_cpus &= ~cpumask_of(target);   /* one wake-up per idle CPU is enough */
	v->wake_place = target == arch_cpu_id() ? WAKE_IDLE_SELF : WAKE_IDLE_REMOTE;
	wake_stats_count(&wake_stats.wake_place[v->wake_place]);
	arch_send_event_check(target);      /* no-op for this CPU: its idle loop looks again */
	return true;
}

static void tickle(struct vcpu *v)
{
	cpumask_t allowed = v->cpu_affinity & arch_cpus_online();
	unsigned self = arch_cpu_id(), target = NR_CPUS;

	if (tickle_idle(v))
		return;
	/* this CPU looks at the queue anyway when its vCPU stops running */
	if (cpumask_test(allowed, self) && (!sched_cpus[self].curr || sched_cpus[self].need_resched ||
					    sched_cpus[self].curr->run_state != RUNSTATE_running)) {
		wake_stats_count(&wake_stats.wake_place[v->wake_place = WAKE_HERE_SOON]);
		return;
	}
	for_each_cpu(cpu, allowed) {
		struct vcpu *cur = sched_cpus[cpu].curr;
		if (!cur || cur->run_state != RUNSTATE_running || priority(cur) >= priority(v))
			continue;
		if (target == NR_CPUS || priority(cur) < priority(sched_cpus[target].curr))
			target = cpu;
	}
	if (target == NR_CPUS) {
		wake_stats_count(&wake_stats.wake_place[v->wake_place = WAKE_QUEUED]);
		return;   /* every allowed CPU runs something at least as urgent: v waits its turn */
	}
	wake_stats_count(&wake_stats.wake_place[v->wake_place = WAKE_PREEMPT]);
	sched_cpus[target].need_resched = true;
	arch_send_event_check(target);
}

void vcpu_wake(struct vcpu *v)
{
	if (!vcpu_can_run(v) || v->run_state == RUNSTATE_running || v->on_runq)
		return;
	if (v->polling) {
		v->polling = false;
		timer_stop(&v->poll_timer);
	}
	if (v->run_state == RUNSTATE_blocked)
		v->boost = true;   /* woken by an event: run it soon */
	wake_stats_count(timers_running_here() ? &wake_stats.wakes_timer : &wake_stats.wakes_event);
	v->woken_at = now_ns();
	set_run_state(v, RUNSTATE_runnable);
	runq_insert(v);
	tickle(v);
}

void vcpu_kick(struct vcpu *v)
{
	if (v->run_state == RUNSTATE_blocked) {
		vcpu_wake(v);
	} else if (v->run_state == RUNSTATE_running && v->processor != arch_cpu_id()) {
		wake_stats_count(&wake_stats.kicks_running);
		arch_send_event_check(v->processor);   /* its exit path delivers the upcall */
	}
}

/*
 * SCHEDOP_yield: the next choice on this CPU passes over the caller if anything
 * else may run, whatever its priority (as Xen puts a yielder behind others).
 */
void sched_yield_current(void)
{
	current_vcpu()->yielding = true;
	resched_local();
}

static bool events_pending(struct vcpu *v)
{
	return v->vcpu_info && v->vcpu_info->evtchn_upcall_pending;
}

void sched_block_current(void)
{
	struct vcpu *v = current_vcpu();

	v->vcpu_info->evtchn_upcall_mask = 0;
	/* senders set pending under the big lock, which we hold: no race to close */
	__asm__ volatile("" ::: "memory");
	wake_stats_count(&wake_stats.sched_blocks);
	if (events_pending(v))
		return;
	set_run_state(v, RUNSTATE_blocked);
	resched_local();
}

/*
 * A vCPU leaves the scheduler (domain death, VCPUOP_down). Every timer it
 * owns is stopped, so none stays linked on a CPU's list for a vCPU that
 * may be started again or freed.
 */
void sched_remove_vcpu(struct vcpu *v)
{
	bool was_running = v->run_state == RUNSTATE_running;

	runq_remove(v);
	v->woken_at = 0;
	timer_stop(&v->singleshot_timer);
	timer_stop(&v->periodic_timer);
	timer_stop(&v->poll_timer);
	v->polling = false;
	set_run_state(v, RUNSTATE_offline);
	if (was_running) {
		/* its CPU must switch away: at once if this one, else at its next entry */
		sched_cpus[v->processor].need_resched = true;
		arch_send_event_check(v->processor);
	}
}

bool sched_domain_loaded(const struct domain *d)
{
	for (unsigned c = 0; c < NR_CPUS; c++)
		if (sched_cpus[c].curr && sched_cpus[c].curr->domain == d)
			return true;
	return false;
}

/* ---- switching ----------------------------------------------------- */

bool vcpu_can_run_domain0(void)
{
	return !domain0 || domain0->state == DOMAIN_RUNNING;
}

/* Idle time is the time a CPU has no current vCPU, as Xen counts its idle vCPU's. */
static void account_idle(struct sched_cpu *sc, const struct vcpu *next)
{
	uint64_t now = now_ns();

	if (!sc->curr && next)
		sc->idle_ns += now - sc->idle_since;
	else if (sc->curr && !next)
		sc->idle_since = now;
}

uint64_t sched_cpu_idle_ns(unsigned cpu)
{
	const struct sched_cpu *sc = &sched_cpus[cpu];

	return sc->idle_ns + (sc->curr ? 0 : now_ns() - sc->idle_since);
}

/* next == NULL: this CPU goes idle (prev's state saved, the hypervisor's tables loaded). */
static void switch_to(struct vcpu *prev, struct vcpu *next)
{
	struct sched_cpu *sc = this_cpu();
	unsigned cpu = arch_cpu_id();

	if (prev && prev != next)
		update_runstate_area(prev);     /* while prev's tables are loaded */
	if (prev != next)
		charge(sc, sc->curr, now_ns());   /* prev's time here, to the switch (idle: nothing) */
	if (prev != next)
		arch_context_switch(prev, next);
	account_idle(sc, next);
	set_current_vcpu(next);
	sc->curr = next;
	if (!next)
		return;
	if (prev != next)
		wake_stats_count(&wake_stats.switches);
	if (next->woken_at) {
		wake_stats_latency(next->wake_place, now_ns() - next->woken_at);
		next->woken_at = 0;
	}
	next->processor = cpu;
	next->cpus_ran |= cpumask_of(cpu);
	/*
	 * A boost buys one prompt run, not a slice of privilege: kept while
	 * running, a woken vCPU after it could not preempt it.
	 */
	next->boost = false;
	set_run_state(next, RUNSTATE_running);
	update_runstate_area(next);
	if (!sc->ticking) {
		sc->ticking = true;
		timer_set(&sc->tick, now_ns() + TICK_NS);
	}
}

static void poll_timeout(void *data)
{
	vcpu_wake(data);
}

/*
 * Before halting, an idle CPU may watch its idle_cpus bit for up to
 * idle_poll_us (and not past its next timer): a tickle clears the bit, so
 * work that comes soon is seen at once. Under an emulator a halted CPU is
 * a host thread asleep, and the IPI that wakes it waits for the host to
 * schedule that thread again (milliseconds on a busy host); a polling
 * CPU's thread is still running. Off by default: in the split-driver
 * round trips the other domain answered later than any window worth its
 * host time (docs/split-drivers.md, "Waking the other domain").
 * Interrupts stay off meanwhile: the IPI that comes with the tickle is
 * taken on the way back to the guest, and TLB-flush requests are answered
 * by arch_lock_spin_wait. Called without the big lock: `end` was read
 * under it (this CPU's timer list may change meanwhile). True if work came.
 */
static bool idle_poll(unsigned cpu, uint64_t end)
{
	uint64_t start = now_ns();
	bool hit = false;

	if (start >= end)
		return false;
	while (now_ns() < end) {
		if (!(__atomic_load_n(&idle_cpus, __ATOMIC_ACQUIRE) & cpumask_of(cpu))) {
			hit = true;
			break;
		}
		arch_lock_spin_wait();
	}
	__atomic_fetch_add(&wake_stats.idle_poll_ns, now_ns() - start, __ATOMIC_RELAXED);   /* no lock held */
	return hit;
}

/* Halt until an interrupt, without the big lock; counts what ended the halt. */
static void idle_halt(unsigned cpu)
{
	uint64_t timer_runs = timers_run_count(cpu);
	uint64_t poll_end = now_ns() + (uint64_t)hv_opts.idle_poll_us * 1000;

	if (timer_next_deadline() < poll_end)
		poll_end = timer_next_deadline();
	wake_stats_count(&wake_stats.idle_entries);
	big_lock_release();
	if (idle_poll(cpu, poll_end)) {
		big_lock_acquire();
		wake_stats_count(&wake_stats.idle_polls_hit);
		return;
	}
	arch_wait_for_interrupt();   /* timers and other CPUs' IPIs wake us */
	big_lock_acquire();
	wake_stats_count(timers_run_count(cpu) != timer_runs ? &wake_stats.idle_exits_timer
							     : &wake_stats.idle_exits_ipi);
}

static bool any_domain_alive(void)
{
	for_each_domain(d)
		if (d->state == DOMAIN_RUNNING)
			return true;
	return false;
}

/*
 * Choose what runs next on this CPU and make it current; idles (halting the
 * CPU, without the big lock) while nothing is runnable here. Returns only
 * with a running vCPU, and with the big lock held; true when the frame on
 * this CPU was reloaded: another vCPU's, or the same one's after it was
 * switched out to idle (it may have run elsewhere since, and stopped at
 * another instruction).
 */
static bool schedule(void)
{
	unsigned cpu = arch_cpu_id();
	struct vcpu *prev = current_vcpu();
	struct vcpu *next;

	const struct vcpu *yielder = prev && prev->yielding ? prev : NULL;

	this_cpu()->need_resched = false;
	if (prev)
		prev->yielding = false;
	if (prev && prev->run_state == RUNSTATE_running) {
		if (vcpu_can_run(prev)) {
			set_run_state(prev, RUNSTATE_runnable);
			runq_insert(prev);
		} else {
			set_run_state(prev, RUNSTATE_offline);
		}
	}
	for (;;) {
		next = pick_next(cpu, yielder);
		if (next)
			break;
		if (!any_domain_alive() || !vcpu_can_run_domain0())
			domain_all_done();
		if (prev) {
			switch_to(prev, NULL);   /* prev's state saved before anyone may pick it */
			prev = NULL;   /* so prev != next below: the frame is reloaded */
		}
		if (frame_scrub_idle())
			continue;   /* freed frames cleared while nothing runs here; then look again */
		idle_cpus |= cpumask_of(cpu);
		idle_halt(cpu);
		idle_cpus &= ~cpumask_of(cpu);
	}
	runq_remove(next);
	switch_to(prev, next);
	/* prev, preempted and left queued: another CPU may be idle for it */
	if (prev && prev != next && prev->on_runq && !parked(prev))
		tickle_idle(prev);
	return prev != next;
}

/*
 * On every return to a guest: switch if something asked for it. Returns true
 * when the frame on this CPU changed: another vCPU's, or reloaded (schedule).
 * The arch then assumes nothing of it (pv_exit_to_guest: no SYSRET unless
 * it bounces it itself).
 */
HOT_PATH bool sched_exit_to_guest(void)
{
	struct vcpu *before = current_vcpu();

	if (!vcpu_can_run_domain0())
		domain_all_done();   /* as on Xen: Dom0's end is the machine's */
	if (!this_cpu()->need_resched && vcpu_can_run(before) && before->run_state == RUNSTATE_running)
		return false;
	return schedule();
}

/* A new vCPU is offline until started, as Xen's: no running time accrues. */
void sched_vcpu_init(struct vcpu *v)
{
	timer_init(&v->poll_timer, poll_timeout, v);
	v->cpu_affinity = CPUMASK_ALL;
	v->cpu_soft_affinity = CPUMASK_ALL;
	v->run_state = RUNSTATE_offline;
	v->state_entry_time = now_ns();
}

/*
 * Taken down while current on a CPU that has not switched away yet (down
 * and up in one multicall, or a vCPU downing itself): it never stopped
 * running there. Queued now, another CPU could start it from its stale
 * saved state while it still runs; marked running again instead, its CPU
 * treats it as preempted (need_resched is still set) and requeues it.
 */
static bool resume_if_current(struct vcpu *v)
{
	if (sched_cpus[v->processor].curr != v)
		return false;
	set_run_state(v, RUNSTATE_running);
	return true;
}

/* Put a vCPU on the scheduler (the domain builder, VCPUOP_up). */
void sched_start_vcpu(struct vcpu *v)
{
	struct domain *d = v->domain;
	unsigned nr_cpus = cpumask_weight(arch_cpus_online());

	v->online = true;
	if (resume_if_current(v))
		return;
	if (!d->weight)
		d->weight = DEFAULT_WEIGHT;
	if (!v->cpu_affinity)
		v->cpu_affinity = CPUMASK_ALL;
	if (d->domain_id == 0 && hv_opts.dom0_vcpus_pin)
		v->cpu_affinity = cpumask_of(v->vcpu_id % nr_cpus);   /* online CPUs are 0..n-1 */
	v->processor = cpumask_first(v->cpu_affinity & arch_cpus_online());
	if (v->run_state != RUNSTATE_offline) {
		v->run_state = RUNSTATE_offline;
		v->state_entry_time = now_ns();
	}
	if (vcpu_paused(v))
		return;   /* up, but it runs when the last pause goes (sched_unpause_*) */
	set_run_state(v, RUNSTATE_runnable);
	runq_insert(v);
	tickle(v);
}

/* ---- pausing ------------------------------------------------------- */

/*
 * v may no longer run (paused): off the run queue now, off its CPU at that
 * CPU's next entry. Like a preempted vCPU it shows as offline while
 * paused, as on Xen; a blocked one stays blocked.
 */
static void sched_stop_vcpu(struct vcpu *v)
{
	if (v->on_runq) {
		runq_remove(v);
		v->woken_at = 0;   /* a pause is not wake-up latency */
		set_run_state(v, RUNSTATE_offline);
	}
	if (sched_cpus[v->processor].curr == v) {
		sched_cpus[v->processor].need_resched = true;
		arch_send_event_check(v->processor);
	}
}

/*
 * v may run again: what was runnable when it was paused is queued; a
 * blocked vCPU is woken if what it waits for came meanwhile (an event, or
 * its poll timeout, whose wake-up was dropped while it was paused).
 */
static void sched_resume_vcpu(struct vcpu *v)
{
	if (!vcpu_can_run(v) || v->on_runq)
		return;
	if (v->run_state == RUNSTATE_offline) {
		if (resume_if_current(v))
			return;
		set_run_state(v, RUNSTATE_runnable);
		runq_insert(v);
		tickle(v);
	} else if (v->run_state == RUNSTATE_blocked &&
		   (events_pending(v) || (v->polling && !v->poll_timer.active))) {
		vcpu_wake(v);
	}
}

void sched_pause_vcpu(struct vcpu *v)
{
	v->pause_count++;
	sched_stop_vcpu(v);
}

void sched_unpause_vcpu(struct vcpu *v)
{
	BUG_ON(!v->pause_count);
	v->pause_count--;
	sched_resume_vcpu(v);
}

/* After d->pause_count went up: each vCPU off the queue and its CPU. */
void sched_pause_domain(struct domain *d)
{
	for (unsigned i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			sched_stop_vcpu(d->vcpus[i]);
}

/* After d->pause_count went down: each vCPU that may run again does. */
void sched_unpause_domain(struct domain *d)
{
	for (unsigned i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			sched_resume_vcpu(d->vcpus[i]);
}

/* XEN_DOMCTL_setvcpuaffinity's hard mask: a CPU that may no longer run v lets it go. */
void sched_set_affinity(struct vcpu *v, cpumask_t hard)
{
	v->cpu_affinity = hard;
	if (sched_cpus[v->processor].curr == v && !cpumask_test(hard, v->processor)) {
		sched_cpus[v->processor].need_resched = true;
		arch_send_event_check(v->processor);
	} else if (v->on_runq) {
		tickle(v);
	}
}

static bool loaded_somewhere(const struct domain *d, const struct vcpu *only)
{
	for (unsigned c = 0; c < NR_CPUS; c++) {
		const struct vcpu *cur = sched_cpus[c].curr;

		if (cur && cur->domain == d && (!only || cur == only))
			return true;
	}
	return false;
}

/*
 * Wait until no CPU has d's vCPUs (only `only`, if given) loaded: their
 * saved state is then complete and stays so while they are paused. A CPU
 * running one in guest mode was kicked (sched_stop_vcpu); to switch away
 * it needs the big lock, so we let it go while we wait (as grant unmaps
 * do for shoot-down answers). d stays valid meanwhile: a domain is freed
 * by its destroydomain, and domctl runs no second command while one waits; or,
 * lingering after its teardown, once its last frame goes: but then none
 * of its vCPUs is loaded, so waiting on it never lets go.
 * The caller's own vCPU is never among them (a domain does not pause
 * itself, getvcpucontext refuses the calling vCPU).
 */
void sched_wait_unloaded(const struct domain *d, const struct vcpu *only)
{
	while (loaded_somewhere(d, only)) {
		big_lock_release();
		for (unsigned i = 0; i < 64; i++)
			arch_lock_spin_wait();   /* also answers TLB-flush requests */
		big_lock_acquire();
	}
}

/*
 * sched_report=N (tests, benchmarks): after N seconds, print how much CPU
 * each domain got, on which CPUs, and what the big lock cost; then stop.
 */
static struct timer report_timer;

static uint64_t vcpu_ran_ns(const struct vcpu *v)
{
	return v->runstate_time[RUNSTATE_running] +
	       (v->run_state == RUNSTATE_running ? now_ns() - v->state_entry_time : 0);
}

static void sched_report(void *unused)
{
	uint64_t total = 0;
	char cpus[64];

	for_each_domain(d)
		for (unsigned i = 0; i < d->max_vcpus; i++)
			if (d->vcpus[i])
				total += vcpu_ran_ns(d->vcpus[i]);
	for_each_domain(d) {
		uint64_t ran = 0;
		cpumask_t where = 0;
		for (unsigned i = 0; i < d->max_vcpus; i++)
			if (d->vcpus[i]) {
				ran += vcpu_ran_ns(d->vcpus[i]);
				where |= d->vcpus[i]->cpus_ran;
			}
		printk("sched-report d%u weight=%u cap=%u ran_ms=%lu share_permille=%lu cpus=%s\n",
		       d->domain_id, d->weight, d->cap, ran / 1000000, total ? ran * 1000 / total : 0,
		       cpumask_format(cpus, sizeof(cpus), where));
	}
	printk("sched-report cpus=%u big-lock acquired=%lu contended=%lu waited_us=%lu\n",
	       cpumask_weight(arch_cpus_online()), big_lock.acquired, big_lock.contended,
	       big_lock.spin_ns / 1000);
	arch_poweroff();
}

static void sched_cpu_init(void)
{
	struct sched_cpu *sc = this_cpu();

	timer_init(&sc->tick, tick, sc);
}

/* Run the first vCPU on the boot CPU, and let the other CPUs in; does not return. */
void sched_start(void)
{
	big_lock_acquire();
	sched_cpu_init();
	period_start = now_ns();
	next_period = period_start + PERIOD_NS;
	this_cpu()->ticking = true;   /* CPU 0 always ticks (see tick()) */
	timer_set(&this_cpu()->tick, now_ns() + TICK_NS);
	if (hv_opts.sched_report) {
		timer_init(&report_timer, sched_report, NULL);
		timer_set(&report_timer, now_ns() + (uint64_t)hv_opts.sched_report * 1000000000ULL);
	}
	arch_smp_release();
	schedule();
	arch_enter_current_guest();
}

/* An AP, released by the boot CPU, with the big lock held; does not return. */
void sched_start_secondary(void)
{
	sched_cpu_init();
	schedule();
	arch_enter_current_guest();
}

/* ---- sched_op ------------------------------------------------------ */

/* SCHEDOP_poll: block until one of the ports is pending or the timeout passes. */
static int64_t sched_poll(struct vcpu *v, void *arg)
{
	const struct sched_poll *p = arg;
	uint32_t ports[POLL_MAX_PORTS];

	if (p->nr_ports > POLL_MAX_PORTS)
		return -XEN_EINVAL;
	if (copy_from_guest(ports, p->ports, p->nr_ports * sizeof(ports[0])))
		return -XEN_EFAULT;
	for (unsigned i = 0; i < p->nr_ports; i++)
		if (!evtchn_port_valid(v->domain, ports[i]))
			return -XEN_EINVAL;
	for (unsigned i = 0; i < p->nr_ports; i++)
		if (evtchn_port_pending(v->domain, ports[i]))
			return 0;
	if (p->timeout && p->timeout <= now_ns())
		return 0;
	wake_stats_count(&wake_stats.sched_polls);
	/* Block; any event wakes us (the guest re-checks), and so does the timeout. */
	if (p->timeout)
		timer_set(&v->poll_timer, p->timeout);
	v->polling = true;
	set_run_state(v, RUNSTATE_blocked);
	resched_local();
	return 0;
}

static int64_t sched_yield(struct vcpu *v, void *arg)
{
	wake_stats_count(&wake_stats.sched_yields);
	sched_yield_current();
	return 0;
}

static int64_t sched_block(struct vcpu *v, void *arg)
{
	sched_block_current();
	return 0;
}

static int64_t sched_shutdown(struct vcpu *v, void *arg)
{
	const struct sched_shutdown *s = arg;

	/* SHUTDOWN_suspend: the vCPU goes on from here, returning 0, if resumed (resumedomain) */
	domain_shutdown(v->domain, s->reason);
	return 0;
}

static int64_t sched_shutdown_code(struct vcpu *v, void *arg)
{
	v->domain->shutdown_code = ((const struct sched_shutdown *)arg)->reason;
	return 0;
}

/* Privileged: do_sched_op checks that first, before the copy (Xen copies and looks up first). */
static int64_t sched_remote_shutdown(struct vcpu *v, void *arg)
{
	const struct sched_remote_shutdown *r = arg;
	struct domain *t = domain_lookup(r->domain_id);

	if (!t)
		return -XEN_ESRCH;
	domain_shutdown(t, r->reason);
	return 0;
}

static const struct hypercall_subop sched_ops[] = {
	[SCHEDOP_yield] = { sched_yield, 0, false },
	[SCHEDOP_block] = { sched_block, 0, false },
	[SCHEDOP_shutdown] = { sched_shutdown, sizeof(struct sched_shutdown), false },
	[SCHEDOP_poll] = { sched_poll, sizeof(struct sched_poll), false },
	[SCHEDOP_remote_shutdown] = { sched_remote_shutdown, sizeof(struct sched_remote_shutdown), false },
	[SCHEDOP_shutdown_code] = { sched_shutdown_code, sizeof(struct sched_shutdown), false },
	[SCHEDOP_watchdog] = { sched_watchdog, sizeof(struct sched_watchdog), false },
};

int64_t do_sched_op(struct vcpu *v, const uint64_t args[6])
{
	if (args[0] == SCHEDOP_remote_shutdown && !v->domain->is_privileged)
		return -XEN_EPERM;
	return hypercall_subop(v, sched_ops, ARRAY_SIZE(sched_ops), args[0], args[1]);
}

/* vm_assist: the PV assists a guest may turn on. */
int64_t do_vm_assist(struct vcpu *v, const uint64_t args[6])
{
	struct domain *d = v->domain;
	uint64_t cmd = args[0], type = args[1];
	const unsigned long valid = (1ul << VMASST_TYPE_4gb_segments) |
				    (1ul << VMASST_TYPE_4gb_segments_notify) |
				    (1ul << VMASST_TYPE_writable_pagetables) |
				    (1ul << VMASST_TYPE_pae_extended_cr3) |
				    (1ul << VMASST_TYPE_architectural_iopl) |
				    (1ul << VMASST_TYPE_runstate_update_flag);

	/* the type first, as Xen: a bad command with a bad type is -EINVAL */
	if (type >= 64 || !(valid & (1ul << type)))
		return -XEN_EINVAL;
	switch (cmd) {
	case VMASST_CMD_enable:
	case VMASST_CMD_disable:
		break;
	default:
		return -XEN_ENOSYS;
	}
	if (cmd == VMASST_CMD_enable)
		d->vm_assist |= 1ul << type;
	else
		d->vm_assist &= ~(1ul << type);
	return 0;
}
