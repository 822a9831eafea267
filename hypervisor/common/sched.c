/*
 * The scheduler: weighted fair share with caps, after Xen's credit scheduler.
 *
 * Every vCPU that wants to run is on the run queue. Each accounting period
 * (30 ms) hands every active domain credit in proportion to its weight, split
 * between its runnable vCPUs; a running vCPU burns credit every tick (10 ms).
 * We pick, in order: vCPUs boosted because an event just woke them (so I/O
 * completes promptly), vCPUs with credit left (UNDER), then the rest (OVER);
 * first come first served within a class. A domain with a cap is parked for
 * the rest of a period once it has used its cap's worth of CPU. A vCPU that
 * blocks gives the CPU back at once; when nothing is runnable the CPU halts.
 *
 * Switching happens only on the way back to a guest (sched_exit_to_guest,
 * called by the arch's exit path) or from the idle loop, so a switch never
 * has to unwind the hypervisor's own stack: the outgoing vCPU's state is
 * exactly its saved register frame.
 *
 * Locking: one CPU, interrupts off in the hypervisor (TODO(#5): per-CPU run
 * queues and a lock per queue with SMP).
 */
#include <arch.h>
#include <cmdline.h>
#include <console.h>
#include <domain.h>
#include <event.h>
#include <guest_access.h>
#include <hypercall.h>
#include <sched.h>
#include <timer.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define TICK_NS          10000000ULL    /* 10 ms */
#define TICKS_PER_PERIOD 3              /* accounting period: 30 ms */
#define CREDIT_PER_TICK  100
#define CREDIT_MAX       (CREDIT_PER_TICK * TICKS_PER_PERIOD)
#define PERIOD_NS        (TICK_NS * TICKS_PER_PERIOD)
#define DEFAULT_WEIGHT   256
#define POLL_MAX_PORTS   128

static struct vcpu *runq;
static bool need_resched;
static struct timer tick_timer;
static unsigned tick_count;
static uint64_t last_account;

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

/* The guest's copy: written only while its own page tables are loaded. */
static void update_runstate_area(struct vcpu *v)
{
	struct vcpu_runstate_info info;

	if (!v->runstate_va)
		return;
	info.state = v->run_state;
	info._pad = 0;
	info.state_entry_time = v->state_entry_time;
	for (int i = 0; i < 4; i++)
		info.time[i] = v->runstate_time[i];
	info.time[v->run_state] += now_ns() - v->state_entry_time;
	if (copy_to_guest(v->runstate_va, &info, sizeof(info)))
		v->runstate_va = 0;   /* unmapped by the guest: stop, as Xen does */
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

void sched_set_runstate_area(struct vcpu *v, uint64_t va)
{
	v->runstate_va = va;
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

static bool parked(const struct vcpu *v)
{
	const struct domain *d = v->domain;

	return d->cap && d->cap_used_ns * 100 >= (uint64_t)d->cap * PERIOD_NS;
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

static struct vcpu *pick_next(void)
{
	struct vcpu *best = NULL;

	for (struct vcpu *v = runq; v; v = v->rq_next)
		if (!parked(v) && (!best || priority(v) > priority(best)))
			best = v;
	return best;
}

static bool vcpu_can_run(const struct vcpu *v)
{
	return v->online && v->domain->state == DOMAIN_RUNNING;
}

/* ---- accounting ---------------------------------------------------- */

static void account_period(void)
{
	unsigned total_weight = 0;

	for_each_domain(d) {
		d->cap_used_ns = 0;
		if (d->state != DOMAIN_RUNNING)
			continue;
		for (unsigned i = 0; i < d->max_vcpus; i++)
			if (d->vcpus[i] && (d->vcpus[i]->on_runq || d->vcpus[i] == current_vcpu())) {
				total_weight += d->weight;
				break;
			}
	}
	if (!total_weight)
		return;
	for_each_domain(d) {
		unsigned active = 0;
		if (d->state != DOMAIN_RUNNING)
			continue;
		for (unsigned i = 0; i < d->max_vcpus; i++)
			if (d->vcpus[i] && (d->vcpus[i]->on_runq || d->vcpus[i] == current_vcpu()))
				active++;
		if (!active)
			continue;
		int share = (int)((uint64_t)CREDIT_MAX * d->weight / total_weight / active);
		for (unsigned i = 0; i < d->max_vcpus; i++) {
			struct vcpu *v = d->vcpus[i];
			if (!v || !(v->on_runq || v == current_vcpu()))
				continue;
			v->credit += share;
			if (v->credit > CREDIT_MAX)
				v->credit = CREDIT_MAX;
			if (v->credit < -CREDIT_MAX)
				v->credit = -CREDIT_MAX;
		}
	}
}

static void tick(void *unused)
{
	struct vcpu *cur = current_vcpu();
	uint64_t now = now_ns();

	if (cur) {
		cur->credit -= CREDIT_PER_TICK;
		cur->boost = false;
		cur->domain->cap_used_ns += now - last_account;
	}
	last_account = now;
	if (++tick_count % TICKS_PER_PERIOD == 0)
		account_period();
	/* time slice over: let the queue decide (the current vCPU goes to its end) */
	if (runq)
		need_resched = true;
	timer_set(&tick_timer, now + TICK_NS);
}

/* ---- waking and blocking ------------------------------------------- */

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
	set_run_state(v, RUNSTATE_runnable);
	runq_insert(v);
	struct vcpu *cur = current_vcpu();
	if (!cur || cur->run_state != RUNSTATE_running || priority(v) > priority(cur))
		need_resched = true;
}

void vcpu_kick(struct vcpu *v)
{
	if (v->run_state == RUNSTATE_blocked)
		vcpu_wake(v);
}

void sched_yield_current(void)
{
	need_resched = true;
}

static bool events_pending(struct vcpu *v)
{
	return v->vcpu_info->evtchn_upcall_pending;
}

void sched_block_current(void)
{
	struct vcpu *v = current_vcpu();

	v->vcpu_info->evtchn_upcall_mask = 0;
	__asm__ volatile("" ::: "memory");
	if (events_pending(v))
		return;
	set_run_state(v, RUNSTATE_blocked);
	need_resched = true;
}

/* A vCPU leaves the scheduler for good (domain death, VCPUOP_down). */
void sched_remove_vcpu(struct vcpu *v)
{
	runq_remove(v);
	timer_stop(&v->singleshot_timer);
	timer_stop(&v->periodic_timer);
	set_run_state(v, RUNSTATE_offline);
	if (v == current_vcpu())
		need_resched = true;
}

/* ---- switching ----------------------------------------------------- */

bool vcpu_can_run_domain0(void)
{
	struct domain *d0 = domain_lookup(0);

	return !d0 || d0->state == DOMAIN_RUNNING;
}

static void switch_to(struct vcpu *prev, struct vcpu *next)
{
	if (prev && prev != next)
		update_runstate_area(prev);     /* while prev's tables are loaded */
	if (prev != next)
		arch_context_switch(prev, next);
	set_current_vcpu(next);
	set_run_state(next, RUNSTATE_running);
	update_runstate_area(next);
}

static void poll_timeout(void *data)
{
	vcpu_wake(data);
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
 * CPU) while nothing is runnable. Returns only with a running vCPU.
 */
static void schedule(void)
{
	struct vcpu *prev = current_vcpu();
	struct vcpu *next;

	need_resched = false;
	if (prev && prev->run_state == RUNSTATE_running) {
		if (vcpu_can_run(prev)) {
			set_run_state(prev, RUNSTATE_runnable);
			runq_insert(prev);
		} else {
			set_run_state(prev, RUNSTATE_offline);
		}
	}
	for (;;) {
		next = pick_next();
		if (next)
			break;
		if (!any_domain_alive() || !vcpu_can_run_domain0())
			domain_all_done();
		arch_wait_for_interrupt();   /* timers and events make vCPUs runnable */
	}
	runq_remove(next);
	switch_to(prev, next);
}

/*
 * On every return to a guest: switch if something asked for it. Returns true
 * when the vCPU on this CPU changed (its frame is now another vCPU's).
 */
bool sched_exit_to_guest(void)
{
	struct vcpu *before = current_vcpu();

	if (!vcpu_can_run_domain0())
		domain_all_done();   /* as on Xen: Dom0's end is the machine's */
	if (!need_resched && vcpu_can_run(before))
		return false;
	schedule();
	return current_vcpu() != before;
}

/* Put a vCPU on the scheduler for the first time (the domain builder). */
void sched_start_vcpu(struct vcpu *v)
{
	if (!v->domain->weight)
		v->domain->weight = DEFAULT_WEIGHT;
	v->online = true;
	v->run_state = RUNSTATE_offline;
	timer_init(&v->poll_timer, poll_timeout, v);
	v->state_entry_time = now_ns();
	set_run_state(v, RUNSTATE_runnable);
	runq_insert(v);
	if (!tick_timer.fn) {
		timer_init(&tick_timer, tick, NULL);
		last_account = now_ns();
		timer_set(&tick_timer, now_ns() + TICK_NS);
	}
}

/*
 * sched_report=N (tests, benchmarks): after N seconds, print how much CPU
 * each domain got and stop the machine.
 */
static struct timer report_timer;

static void sched_report(void *unused)
{
	uint64_t total = 0;

	for_each_domain(d)
		for (unsigned i = 0; i < d->max_vcpus; i++) {
			struct vcpu *v = d->vcpus[i];
			if (v)
				set_run_state(v, v->run_state);   /* bring its counters up to now */
		}
	for_each_domain(d)
		for (unsigned i = 0; i < d->max_vcpus; i++)
			if (d->vcpus[i])
				total += d->vcpus[i]->runstate_time[RUNSTATE_running] +
					 (d->vcpus[i]->run_state == RUNSTATE_running ?
					  now_ns() - d->vcpus[i]->state_entry_time : 0);
	for_each_domain(d) {
		uint64_t ran = 0;
		for (unsigned i = 0; i < d->max_vcpus; i++)
			if (d->vcpus[i])
				ran += d->vcpus[i]->runstate_time[RUNSTATE_running] +
				       (d->vcpus[i]->run_state == RUNSTATE_running ?
					now_ns() - d->vcpus[i]->state_entry_time : 0);
		printk("sched-report d%u weight=%u cap=%u ran_ms=%lu share_permille=%lu\n",
		       d->domain_id, d->weight, d->cap, ran / 1000000, total ? ran * 1000 / total : 0);
	}
	arch_poweroff();
}

/* Run the first vCPU on this CPU; does not return. */
void sched_start(void)
{
	if (hv_opts.sched_report) {
		timer_init(&report_timer, sched_report, NULL);
		timer_set(&report_timer, now_ns() + (uint64_t)hv_opts.sched_report * 1000000000ULL);
	}
	schedule();
	arch_enter_current_guest();
}

/* ---- sched_op ------------------------------------------------------ */

/* SCHEDOP_poll: block until one of the ports is pending or the timeout passes. */
static int64_t sched_poll(uint64_t arg)
{
	struct vcpu *v = current_vcpu();
	struct sched_poll p;
	uint32_t ports[POLL_MAX_PORTS];

	if (copy_from_guest(&p, arg, sizeof(p)))
		return -XEN_EFAULT;
	if (p.nr_ports > POLL_MAX_PORTS)
		return -XEN_EINVAL;
	if (copy_from_guest(ports, p.ports, p.nr_ports * sizeof(ports[0])))
		return -XEN_EFAULT;
	for (unsigned i = 0; i < p.nr_ports; i++)
		if (!evtchn_port_valid(v->domain, ports[i]))
			return -XEN_EINVAL;
	for (unsigned i = 0; i < p.nr_ports; i++)
		if (evtchn_port_pending(v->domain, ports[i]))
			return 0;
	if (p.timeout && p.timeout <= now_ns())
		return 0;
	/* Block; any event wakes us (the guest re-checks), and so does the timeout. */
	if (p.timeout)
		timer_set(&v->poll_timer, p.timeout);
	v->polling = true;
	set_run_state(v, RUNSTATE_blocked);
	need_resched = true;
	return 0;
}

int64_t do_sched_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct domain *d = current_vcpu()->domain;

	switch (cmd) {
	case SCHEDOP_yield:
		sched_yield_current();
		return 0;
	case SCHEDOP_block:
		sched_block_current();
		return 0;
	case SCHEDOP_poll:
		return sched_poll(arg);
	case SCHEDOP_shutdown: {
		struct sched_shutdown s;
		if (copy_from_guest(&s, arg, sizeof(s)))
			return -XEN_EFAULT;
		if (s.reason == SHUTDOWN_suspend)
			return -XEN_EINVAL;   /* TODO(#10): suspend needs the toolstack */
		domain_shutdown(d, s.reason);
		return 0;
	}
	case SCHEDOP_shutdown_code: {
		struct sched_shutdown s;
		if (copy_from_guest(&s, arg, sizeof(s)))
			return -XEN_EFAULT;
		d->shutdown_code = s.reason;
		return 0;
	}
	case SCHEDOP_remote_shutdown: {
		struct sched_remote_shutdown r;
		struct domain *t;
		if (!d->is_privileged)
			return -XEN_EPERM;
		if (copy_from_guest(&r, arg, sizeof(r)))
			return -XEN_EFAULT;
		t = domain_lookup(r.domain_id);
		if (!t)
			return -XEN_ESRCH;
		domain_shutdown(t, r.reason);
		return 0;
	}
	default:
		return -XEN_ENOSYS;
	}
}

/* vm_assist: the PV assists a guest may turn on. */
int64_t do_vm_assist(uint64_t cmd, uint64_t type, uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct domain *d = current_vcpu()->domain;
	const unsigned long valid = (1ul << VMASST_TYPE_4gb_segments) |
				    (1ul << VMASST_TYPE_4gb_segments_notify) |
				    (1ul << VMASST_TYPE_writable_pagetables) |
				    (1ul << VMASST_TYPE_pae_extended_cr3) |
				    (1ul << VMASST_TYPE_architectural_iopl) |
				    (1ul << VMASST_TYPE_runstate_update_flag);

	switch (cmd) {
	case VMASST_CMD_enable:
	case VMASST_CMD_disable:
		break;
	default:
		return -XEN_ENOSYS;
	}
	if (type >= 64 || !(valid & (1ul << type)))
		return -XEN_EINVAL;
	if (cmd == VMASST_CMD_enable)
		d->vm_assist |= 1ul << type;
	else
		d->vm_assist &= ~(1ul << type);
	return 0;
}
