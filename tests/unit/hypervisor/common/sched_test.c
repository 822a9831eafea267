/*
 * common/sched.c on the host: the credit scheduler over a fake machine of
 * two CPUs, a clock the test advances (fake/machine.c's fake_now_ns) and the real
 * common/timer.c, so the scheduler's own ticks and accounting periods run.
 *
 * sched.c is #included rather than linked: its state is static, and each
 * test starts from a fresh one (setup), and a few tests ask pick_next
 * directly what a CPU would choose.
 *
 * A CPU's "exit path" (run_cpu) takes the big lock and calls
 * sched_exit_to_guest, or schedule() for a CPU in the idle loop. A CPU
 * with nothing to run reaches arch_wait_for_interrupt with the lock let
 * go: the fake returns to run_cpu by longjmp, and the CPU counts as halted
 * until something tickles it (arch_send_event_check) and it runs again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <stdlib.h>

#include "fake/guest_mem.h"
#include "fake/machine.h"

/*
 * With the sanitizers, GCC reads cpumask_test's range check in
 * sched_set_affinity as "processor may be 64" and warns on the index.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#include "common/sched.c"
#pragma GCC diagnostic pop

#define MS 1000000ULL
#define NCPU 2

/* ---- the fake machine ------------------------------------------------ */

static cpumask_t online = 0x3;
static cpumask_t kicked;                /* arch_send_event_check targets, not yet served */
static unsigned switches;
static jmp_buf *cpu_env;                /* where a halting or entering CPU goes back to */
static void (*spin_hook)(void);         /* what other CPUs do while one spins (wait_unloaded) */
static unsigned spins;

struct biglock big_lock = { .owner = -1 };
struct hv_options hv_opts;
struct domain *domain0;

#define ARG_VA 0x10000ULL
static uint8_t mem[4096];
static const bool mapped[1] = { true };
const struct guest_mem_fake guest_mem_fake = { .va = ARG_VA, .mem = mem, .size = 4096, .page_mapped = mapped };

cpumask_t arch_cpus_online(void) { return online; }
void arch_context_switch(struct vcpu *prev, struct vcpu *next) { (void)prev, (void)next; switches++; }
void arch_send_event_check(unsigned cpu) { kicked |= cpumask_of(cpu); }
void arch_timer_program(uint64_t deadline) { (void)deadline; }
void arch_smp_release(void) {}
void arch_lock_kick(uint32_t ticket) { (void)ticket; }
void arch_lock_send_kicks(uint64_t cpus) { (void)cpus; }   /* this shim's arch_send_event_check never defers */
bool frame_scrub_idle(void) { return false; }
int64_t sched_watchdog(struct vcpu *v, void *arg) { (void)v, (void)arg; return 0; }
void domain_shutdown(struct domain *d, unsigned reason) { d->state = DOMAIN_SHUTDOWN; d->shutdown_code = reason; }

void arch_lock_spin_wait(void)
{
	assert_int_equal(big_lock.owner, -1);   /* waiting must let the lock go */
	spins++;
	if (spin_hook)
		spin_hook();
}

void big_lock_wait(uint32_t ticket)
{
	(void)ticket;
	fail_msg("big lock contended: two fake CPUs at once");
}

void big_lock_misuse(int cpu, bool acquiring)
{
	fail_msg("big lock misused by CPU %d (%s)", cpu, acquiring ? "acquire" : "release");
	abort();
}

void arch_wait_for_interrupt(void)
{
	assert_int_equal(big_lock.owner, -1);   /* the idle loop halts without the lock */
	longjmp(*cpu_env, 1);
}

void arch_enter_current_guest(void)
{
	big_lock_release();
	longjmp(*cpu_env, 1);
}

void arch_poweroff(void)
{
	fail_msg("arch_poweroff");
	abort();
}

void domain_all_done(void)
{
	fail_msg("domain_all_done: nothing alive");
}

/* Event channels: ports 1..63 valid, `pending_ports` set by the test. */
static uint64_t pending_ports;
bool evtchn_port_valid(struct domain *d, uint32_t port) { (void)d; return port && port < 64; }
bool evtchn_port_pending(struct domain *d, uint32_t port) { (void)d; return pending_ports >> port & 1; }

/* ---- domains --------------------------------------------------------- */

#define NDOM 3
#define NVCPU 2
static struct domain doms[NDOM];
static struct vcpu vcpus[NDOM][NVCPU];
static struct shared_info shinfo[NDOM];

static struct vcpu *V(unsigned d, unsigned i) { return &vcpus[d][i]; }

/* Domain d with n vCPUs on the domain list, each started (queued). */
static void add_domain(unsigned d, unsigned n, unsigned weight)
{
	struct domain *dom = &doms[d];

	dom->domain_id = (domid_t)(d + 1);
	dom->state = DOMAIN_RUNNING;
	dom->shared_info = &shinfo[d];
	dom->max_vcpus = n;
	dom->weight = weight;
	dom->next = domain_list;
	domain_list = dom;
	for (unsigned i = 0; i < n; i++) {
		struct vcpu *v = V(d, i);
		v->vcpu_id = i;
		v->domain = dom;
		v->vcpu_info = &shinfo[d].vcpu_info[i];
		v->vcpu_info->evtchn_upcall_mask = 1;
		dom->vcpus[i] = v;
		sched_vcpu_init(v);
		sched_start_vcpu(v);
	}
}

/* ---- driving the CPUs ------------------------------------------------ */

static bool halted(unsigned c) { return !sched_cpus[c].curr; }

/* CPU c takes the exit path (or looks again from its idle loop). */
static void run_cpu(unsigned c)
{
	jmp_buf env, *outer = cpu_env;

	fake_cpu = c;
	kicked &= ~cpumask_of(c);
	big_lock_acquire();
	cpu_env = &env;
	if (!setjmp(env)) {
		if (sched_cpus[c].curr) {
			sched_exit_to_guest();
		} else {
			idle_cpus &= ~cpumask_of(c);
			schedule();
		}
		big_lock_release();
	}   /* else halted in the idle loop, the lock let go */
	cpu_env = outer;
	fake_cpu = 0;
}

/* Boot: CPU 0 starts the scheduler, then the other online CPUs. */
static void boot(void)
{
	jmp_buf env;

	cpu_env = &env;
	fake_cpu = 0;
	if (!setjmp(env))
		sched_start();
	for (volatile unsigned c = 1; c < NCPU; c++) {
		if (!cpumask_test(online, c))
			continue;
		fake_cpu = c;
		big_lock_acquire();
		if (!setjmp(env))
			sched_start_secondary();
	}
	cpu_env = NULL;
	fake_cpu = 0;
}

/*
 * The invariant of docs atop sched.c: a vCPU is current on at most one CPU,
 * the one it records, and never current and queued at once.
 */
static void check_machine(void)
{
	for (unsigned c = 0; c < NCPU; c++) {
		struct vcpu *v = sched_cpus[c].curr;

		assert_ptr_equal(v, fake_current[c]);
		if (!v)
			continue;
		assert_int_equal(v->processor, c);
		assert_false(v->on_runq);
		assert_true(cpumask_test(v->cpu_affinity, c));
		for (unsigned o = c + 1; o < NCPU; o++)
			assert_ptr_not_equal(sched_cpus[o].curr, v);
	}
	for (struct vcpu *q = runq; q; q = q->rq_next)
		assert_true(q->on_runq);
}

/*
 * Time passes in steps of `step`: timers fire on each CPU at each step (so
 * late by up to a step, as under a busy host), and each CPU asked to
 * reschedules.
 */
static void run_steps(uint64_t ns, uint64_t step)
{
	for (uint64_t t = 0; t < ns; t += step) {
		fake_now_ns += step;
		for (unsigned c = 0; c < NCPU; c++) {
			fake_cpu = c;
			big_lock_acquire();
			timers_run();
			big_lock_release();
		}
		for (unsigned c = 0; c < NCPU; c++)
			if (cpumask_test(online, c) &&
			    (sched_cpus[c].need_resched || cpumask_test(kicked, c)))
				run_cpu(c);
		check_machine();
	}
	fake_cpu = 0;
}

static void run_for(uint64_t ns)
{
	run_steps(ns, MS);
}

/* Time passes in irregular steps of 1 to 150 ms (ticks that come late by as much) */
static void run_jittered(uint64_t ns)
{
	uint32_t x = 12345;

	for (uint64_t t = 0; t < ns;) {
		x = x * 1103515245u + 12345u;
		uint64_t step = (1 + (x >> 16) % 150) * MS;
		run_steps(step, step);
		t += step;
	}
}

/* A hypercall by the vCPU current on CPU c, then its exit path. */
static int64_t sched_op_on(unsigned c, uint64_t cmd, uint64_t arg)
{
	int64_t rc;

	fake_cpu = c;
	big_lock_acquire();
	rc = do_sched_op(fake_current[c], (uint64_t[6]){ cmd, arg });
	big_lock_release();
	run_cpu(c);
	return rc;
}

static uint64_t ran_ns(struct vcpu *v)
{
	struct vcpu_runstate_info info;

	sched_get_runstate(v, &info);
	return info.time[RUNSTATE_running];
}

static int setup(void **state)
{
	(void)state;
	for (unsigned c = 0; c < NR_CPUS; c++)
		timer_stop(&sched_cpus[c].tick);
	for (unsigned d = 0; d < NDOM; d++)
		for (unsigned i = 0; i < NVCPU; i++)
			timer_stop(&vcpus[d][i].poll_timer);
	memset(sched_cpus, 0, sizeof(sched_cpus));
	memset(doms, 0, sizeof(doms));
	memset(vcpus, 0, sizeof(vcpus));
	memset(shinfo, 0, sizeof(shinfo));
	memset(fake_current, 0, sizeof(fake_current));
	runq = NULL;
	idle_cpus = 0;
	domain_list = NULL;
	online = 0x3;
	kicked = 0;
	switches = spins = 0;
	spin_hook = NULL;
	pending_ports = 0;
	fake_now_ns = 1000 * MS;
	big_lock = (struct biglock){ .owner = -1 };
	return 0;
}

/* ---- runnable, running, blocked ---------------------------------------- */

static void test_start_run_block_wake(void **state)
{
	struct vcpu *v;

	(void)state;
	online = 0x1;
	add_domain(0, 1, 256);
	v = V(0, 0);
	assert_int_equal(v->run_state, RUNSTATE_runnable);
	assert_true(v->on_runq);
	boot();
	assert_ptr_equal(fake_current[0], v);
	assert_int_equal(v->run_state, RUNSTATE_running);
	assert_false(v->on_runq);

	/* nothing pending: blocks, and the CPU halts */
	assert_int_equal(sched_op_on(0, SCHEDOP_block, 0), 0);
	assert_int_equal(v->run_state, RUNSTATE_blocked);
	assert_int_equal(v->vcpu_info->evtchn_upcall_mask, 0);   /* block unmasks */
	assert_true(halted(0));
	assert_true(cpumask_test(idle_cpus, 0));

	/* an event: runnable and boosted, the halted CPU tickled and running it */
	vcpu_kick(v);
	assert_int_equal(v->run_state, RUNSTATE_runnable);
	assert_true(v->boost);
	assert_true(cpumask_test(kicked, 0));
	run_cpu(0);
	assert_ptr_equal(fake_current[0], v);
	assert_int_equal(v->run_state, RUNSTATE_running);
	assert_false(v->boost);   /* one prompt run, not a lasting privilege */
}

/* SCHEDOP_block with an event already pending returns at once, still running. */
static void test_block_with_pending_event(void **state)
{
	struct vcpu *v;

	(void)state;
	online = 0x1;
	add_domain(0, 1, 256);
	v = V(0, 0);
	boot();
	v->vcpu_info->evtchn_upcall_pending = 1;
	assert_int_equal(sched_op_on(0, SCHEDOP_block, 0), 0);
	assert_ptr_equal(fake_current[0], v);
	assert_int_equal(v->run_state, RUNSTATE_running);
	assert_int_equal(v->vcpu_info->evtchn_upcall_mask, 0);
	assert_false(sched_cpus[0].need_resched);
}

static int64_t poll(unsigned nr, const uint32_t *ports, uint64_t timeout)
{
	struct sched_poll p = { .ports = ARG_VA + 64, .nr_ports = nr, .timeout = timeout };

	memcpy(mem, &p, sizeof(p));
	memcpy(mem + 64, ports, nr * sizeof(*ports));
	return sched_op_on(0, SCHEDOP_poll, ARG_VA);
}

static void test_poll(void **state)
{
	struct vcpu *v;
	uint32_t ports[2] = { 3, 5 };

	(void)state;
	online = 0x1;
	add_domain(0, 1, 256);
	v = V(0, 0);
	boot();

	/* bad arguments first, nothing changed */
	assert_int_equal(poll(129, ports, 0), -XEN_EINVAL);
	assert_int_equal(poll(2, (uint32_t[]){ 3, 64 }, 0), -XEN_EINVAL);
	assert_int_equal(v->run_state, RUNSTATE_running);

	/* a port already pending: returns at once */
	pending_ports = 1ULL << 5;
	assert_int_equal(poll(2, ports, 0), 0);
	assert_ptr_equal(fake_current[0], v);
	assert_false(v->polling);

	/* a timeout already past: at once too */
	pending_ports = 0;
	assert_int_equal(poll(2, ports, fake_now_ns - 1), 0);
	assert_ptr_equal(fake_current[0], v);

	/* nothing pending: blocked until the timeout, then woken */
	assert_int_equal(poll(2, ports, fake_now_ns + 5 * MS), 0);
	assert_int_equal(v->run_state, RUNSTATE_blocked);
	assert_true(v->polling);
	assert_true(halted(0));
	run_for(3 * MS);
	assert_int_equal(v->run_state, RUNSTATE_blocked);
	run_for(3 * MS);
	assert_ptr_equal(fake_current[0], v);
	assert_int_equal(v->run_state, RUNSTATE_running);
	assert_false(v->polling);

	/* an event wakes a poller before its timeout, and the timer is stopped */
	assert_int_equal(poll(2, ports, fake_now_ns + 50 * MS), 0);
	assert_int_equal(v->run_state, RUNSTATE_blocked);
	vcpu_kick(v);
	assert_false(v->polling);
	assert_false(v->poll_timer.active);
	run_cpu(0);
	assert_ptr_equal(fake_current[0], v);
}

/* ---- choosing --------------------------------------------------------- */

/* boosted, then credit left (UNDER), then the rest; first come first served within a class */
static void test_pick_next_order(void **state)
{
	(void)state;
	add_domain(0, 2, 256);
	add_domain(1, 2, 256);
	/* queued in order: d0v0, d0v1, d1v0, d1v1 */
	V(0, 0)->credit = -10;
	V(0, 1)->credit = 50;
	V(1, 0)->credit = 50;
	V(1, 1)->credit = 0;
	assert_ptr_equal(pick_next(0, NULL), V(0, 1));   /* first UNDER */
	V(1, 1)->boost = true;
	assert_ptr_equal(pick_next(0, NULL), V(1, 1));   /* boosted beats UNDER */
	V(1, 1)->boost = false;
	V(0, 1)->credit = V(1, 0)->credit = 0;
	assert_ptr_equal(pick_next(0, NULL), V(0, 0));   /* all OVER: the queue's order */
	V(1, 0)->credit = 1;
	assert_ptr_equal(pick_next(0, NULL), V(1, 0));
}

/* A vCPU is only picked by a CPU in its hard affinity, even first in the queue. */
static void test_affinity(void **state)
{
	(void)state;
	add_domain(0, 1, 256);
	add_domain(1, 1, 256);
	V(0, 0)->cpu_affinity = cpumask_of(1);
	V(0, 0)->credit = 100;
	assert_ptr_equal(pick_next(0, NULL), V(1, 0));
	assert_ptr_equal(pick_next(1, NULL), V(0, 0));
	V(1, 0)->cpu_affinity = cpumask_of(1);
	assert_null(pick_next(0, NULL));

	boot();
	assert_true(halted(0));   /* nothing may run on CPU 0 */
	assert_ptr_equal(fake_current[1], V(0, 0));
	run_for(200 * MS);
	assert_false(cpumask_test(V(0, 0)->cpus_ran, 0));
	assert_false(cpumask_test(V(1, 0)->cpus_ran, 0));
	assert_true(cpumask_test(V(1, 0)->cpus_ran, 1));   /* they shared CPU 1 */

	/* allowed on CPU 0 again: the idle CPU is tickled and takes one */
	sched_set_affinity(V(1, 0), CPUMASK_ALL);
	sched_set_affinity(V(0, 0), CPUMASK_ALL);
	run_for(40 * MS);
	assert_false(halted(0));
	assert_false(halted(1));

	/* pinned away from the CPU running it: that CPU lets it go */
	struct vcpu *on0 = fake_current[0];
	sched_set_affinity(on0, cpumask_of(1));
	assert_true(sched_cpus[0].need_resched);
	run_for(40 * MS);
	assert_ptr_not_equal(fake_current[0], on0);
	for (unsigned i = 0; i < 20; i++) {
		run_for(10 * MS);
		assert_ptr_not_equal(fake_current[0], on0);
	}
}

/*
 * A vCPU woken by an event while every CPU is busy preempts the CPU running
 * the least urgent vCPU it may run on (tickle), not one running something
 * as urgent as itself.
 */
static void test_wake_preempts(void **state)
{
	struct vcpu *w = V(2, 0), *under, *over;

	(void)state;
	add_domain(0, 1, 256);
	add_domain(1, 1, 256);
	boot();
	assert_false(halted(0) || halted(1));
	under = fake_current[1];
	over = fake_current[0];
	under->credit = over->credit = 100;
	kicked = 0;
	/* a new vCPU no more urgent than what runs (UNDER too) waits its turn */
	w->credit = 100;
	add_domain(2, 1, 256);
	assert_true(w->on_runq);
	assert_false(sched_cpus[0].need_resched || sched_cpus[1].need_resched);
	assert_int_equal(kicked, 0);
	/* blocked before it ran, then an event */
	runq_remove(w);
	w->run_state = RUNSTATE_blocked;
	over->credit = -100;
	vcpu_kick(w);
	assert_true(w->boost);
	assert_true(sched_cpus[0].need_resched);   /* the OVER one's CPU */
	assert_false(sched_cpus[1].need_resched);
	assert_int_equal(kicked, cpumask_of(0));
	run_cpu(0);
	assert_ptr_equal(fake_current[0], w);
	assert_ptr_equal(fake_current[1], under);
	assert_true(over->on_runq);
	check_machine();

	/* pinned to the UNDER vCPU's CPU, it preempts that one: boost beats UNDER */
	assert_int_equal(sched_op_on(0, SCHEDOP_block, 0), 0);
	assert_int_equal(w->run_state, RUNSTATE_blocked);
	assert_ptr_equal(fake_current[0], over);
	w->cpu_affinity = cpumask_of(1);
	kicked = 0;
	vcpu_kick(w);
	assert_true(sched_cpus[1].need_resched);
	run_cpu(1);
	assert_ptr_equal(fake_current[1], w);
	check_machine();
}

/* SCHEDOP_yield hands the CPU to another runnable vCPU, whatever the priorities. */
static void test_yield(void **state)
{
	struct vcpu *a, *b;

	(void)state;
	online = 0x1;
	add_domain(0, 1, 256);
	add_domain(1, 1, 256);
	boot();
	a = fake_current[0];
	b = a == V(0, 0) ? V(1, 0) : V(0, 0);
	a->credit = 300;
	b->credit = -300;   /* less urgent: without the yield, a would be picked again */
	assert_ptr_equal(pick_next(0, NULL), b);   /* (the only one queued) */
	sched_cpus[0].need_resched = true;
	run_cpu(0);
	assert_ptr_equal(fake_current[0], a);   /* preempted but still the most urgent */
	assert_int_equal(sched_op_on(0, SCHEDOP_yield, 0), 0);
	assert_ptr_equal(fake_current[0], b);
	assert_int_equal(a->run_state, RUNSTATE_runnable);

	/* alone, a yielder keeps its CPU */
	sched_remove_vcpu(a);
	assert_int_equal(sched_op_on(0, SCHEDOP_yield, 0), 0);
	assert_ptr_equal(fake_current[0], b);
	assert_int_equal(b->run_state, RUNSTATE_running);
}

/* Two busy domains on one CPU share it by weight (2:1). */
static void test_weight_shares(void **state)
{
	uint64_t a, b;

	(void)state;
	online = 0x1;
	add_domain(0, 1, 512);
	add_domain(1, 1, 256);
	boot();
	run_for(3000 * MS);
	a = ran_ns(V(0, 0));
	b = ran_ns(V(1, 0));
	print_message("weight 512: %llu ms, weight 256: %llu ms\n", a / MS, b / MS);
	assert_true(a + b >= 2990 * MS);
	assert_true(a * 10 >= b * 17 && a * 10 <= b * 23);   /* 2:1 within 15% */
}

/*
 * The same when the ticks come late (every 16 ms instead of 10, as a busy
 * host delays the emulated timer): each tick then covers more time, and
 * a period fewer ticks. Charged per tick and paid per period, every vCPU
 * drifted to the same credit bound and the CPU went round robin (1:1,
 * integ-sched-weights under load); charged and paid by time, 2:1 holds.
 */
static void test_weight_shares_late_ticks(void **state)
{
	uint64_t a, b;

	(void)state;
	online = 0x1;
	add_domain(0, 1, 512);
	add_domain(1, 1, 256);
	boot();
	run_steps(3000 * MS, 8 * MS);
	a = ran_ns(V(0, 0));
	b = ran_ns(V(1, 0));
	print_message("late ticks: weight 512: %llu ms, weight 256: %llu ms\n", a / MS, b / MS);
	assert_true(a + b >= 2990 * MS);
	assert_true(a * 10 >= b * 17 && a * 10 <= b * 23);
}

/*
 * issue 19's heavier DomU: two vCPUs at weight 1024 against one at 256 on
 * two CPUs: the light one is entitled to 256/1280 of both (40% of a CPU);
 * round robin would give it 67%. With ticks on time and late.
 */
static void test_heavier_domain(void **state)
{
	static const uint64_t steps[] = { MS, 8 * MS, 25 * MS };

	(void)state;
	add_domain(0, 1, 256);
	add_domain(1, 2, 1024);
	boot();
	for (unsigned i = 0; i < ARRAY_SIZE(steps); i++) {
		uint64_t a = ran_ns(V(0, 0)), b = ran_ns(V(1, 0)) + ran_ns(V(1, 1));
		run_steps(3000 * MS, steps[i]);
		a = ran_ns(V(0, 0)) - a;
		b = ran_ns(V(1, 0)) + ran_ns(V(1, 1)) - b;
		print_message("step %llu ms: weight 256: %llu ms, weight 1024 (2 vCPUs): %llu ms\n",
			      steps[i] / MS, a / MS, b / MS);
		assert_true(a >= 1000 * MS && a <= 1400 * MS);   /* 40% within 7 points of a CPU */
	}
}

/*
 * Weights 1:2 on one CPU whose ticks come up to 150 ms late, as the
 * emulated timer does under a busy host while the vCPU goes on running
 * (integ-sched-weights at load 14: 353/646 permille with a 60 ms bound).
 */
static void test_weights_jittered_ticks(void **state)
{
	uint64_t a, b;

	(void)state;
	online = 0x1;
	add_domain(0, 1, 256);
	add_domain(1, 1, 512);
	boot();
	run_jittered(6000 * MS);
	a = ran_ns(V(0, 0));
	b = ran_ns(V(1, 0));
	print_message("jittered ticks: weight 256: %llu ms, weight 512: %llu ms\n", a / MS, b / MS);
	assert_true(a * 1000 / (a + b) >= 316 && a * 1000 / (a + b) <= 350);   /* 333 within 5% */
}

/* A domain capped at 30% alone on its CPU is parked the rest of the time: the CPU idles. */
static void test_cap_parks(void **state)
{
	uint64_t ran;

	(void)state;
	online = 0x1;
	add_domain(0, 1, 256);
	doms[0].cap = 30;
	boot();
	/* parked at its first tick (10 ms, past 30% of the 30 ms period) until the period ends */
	run_for(29 * MS);
	assert_int_equal(ran_ns(V(0, 0)), 10 * MS);
	assert_true(halted(0));
	assert_true(V(0, 0)->on_runq);   /* parked, not dropped: still queued */
	run_for(2971 * MS);
	ran = ran_ns(V(0, 0));
	print_message("cap 30%%: ran %llu ms of 3000\n", ran / MS);
	assert_true(ran >= 870 * MS && ran <= 930 * MS);   /* 30% within 1 point: the clock is exact */
	assert_true(sched_cpu_idle_ns(0) >= 1900 * MS);

	/* the cap lifted: it runs all the time */
	doms[0].cap = 0;
	run_for(100 * MS);
	ran = ran_ns(V(0, 0));
	run_for(1000 * MS);
	assert_true(ran_ns(V(0, 0)) - ran >= 990 * MS);
}

/* ---- pausing ---------------------------------------------------------- */

static void test_pause_counts(void **state)
{
	struct vcpu *v;

	(void)state;
	online = 0x1;
	add_domain(0, 1, 256);
	add_domain(1, 1, 256);
	v = V(1, 0);
	boot();
	if (fake_current[0] == v) {   /* have v queued, not running */
		assert_int_equal(sched_op_on(0, SCHEDOP_yield, 0), 0);
		assert_ptr_not_equal(fake_current[0], v);
	}
	assert_true(v->on_runq);

	sched_pause_vcpu(v);
	sched_pause_vcpu(v);
	assert_false(v->on_runq);
	assert_int_equal(v->run_state, RUNSTATE_offline);
	sched_unpause_vcpu(v);
	assert_false(v->on_runq);   /* one pause left */
	run_for(100 * MS);
	assert_int_equal(ran_ns(v), 0);
	sched_unpause_vcpu(v);
	assert_true(v->on_runq);
	assert_int_equal(v->run_state, RUNSTATE_runnable);
	run_for(100 * MS);
	assert_true(ran_ns(v) > 0);

	/* a domain's pause count holds it as well, whatever the vCPU's own says */
	doms[1].pause_count++;
	sched_pause_domain(&doms[1]);
	run_for(30 * MS);
	assert_ptr_not_equal(fake_current[0], v);
	assert_false(v->on_runq);
	uint64_t ran = ran_ns(v);
	run_for(100 * MS);
	assert_int_equal(ran_ns(v), ran);
	doms[1].pause_count--;
	sched_unpause_domain(&doms[1]);
	run_for(100 * MS);
	assert_true(ran_ns(v) > ran);

	/* unpausing below zero is a hypervisor bug */
	expect_assert_failure(sched_unpause_vcpu(v));
}

/* While CPU 0 waits, CPU 1 takes its exit path (the lock is free). */
static void cpu1_exits(void)
{
	run_cpu(1);
	fake_cpu = 0;
}

/*
 * sched_wait_unloaded returns once no CPU has the domain's vCPUs loaded (or
 * just `only`), letting the big lock go while it waits, and holding it again
 * when it returns.
 */
static void test_wait_unloaded(void **state)
{
	struct vcpu *v;

	(void)state;
	add_domain(0, 1, 256);
	add_domain(1, 2, 256);
	V(0, 0)->cpu_affinity = cpumask_of(0);   /* "Dom0", the caller, on CPU 0 */
	V(1, 0)->cpu_affinity = cpumask_of(1);
	V(1, 1)->cpu_affinity = cpumask_of(1);
	boot();
	assert_ptr_equal(fake_current[0], V(0, 0));
	v = fake_current[1];
	assert_ptr_equal(v->domain, &doms[1]);

	/* the caller holds the lock; nothing of domain 0 is loaded elsewhere */
	big_lock_acquire();
	sched_wait_unloaded(&doms[1], v == V(1, 0) ? V(1, 1) : V(1, 0));
	assert_int_equal(spins, 0);   /* only the other vCPU, not loaded: no wait */

	doms[1].pause_count++;
	sched_pause_domain(&doms[1]);
	assert_true(cpumask_test(kicked, 1));
	assert_true(sched_domain_loaded(&doms[1]));   /* still, until CPU 1 switches */
	spin_hook = cpu1_exits;
	sched_wait_unloaded(&doms[1], NULL);
	assert_true(spins > 0);
	assert_int_equal(big_lock.owner, 0);   /* held again */
	assert_false(sched_domain_loaded(&doms[1]));
	assert_true(halted(1));
	big_lock_release();
	spin_hook = NULL;

	/* paused, so nothing of it runs however long we wait */
	run_for(100 * MS);
	assert_false(sched_domain_loaded(&doms[1]));
	doms[1].pause_count--;
	sched_unpause_domain(&doms[1]);
	run_for(40 * MS);
	assert_true(sched_domain_loaded(&doms[1]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_start_run_block_wake, setup),
		cmocka_unit_test_setup(test_block_with_pending_event, setup),
		cmocka_unit_test_setup(test_poll, setup),
		cmocka_unit_test_setup(test_pick_next_order, setup),
		cmocka_unit_test_setup(test_affinity, setup),
		cmocka_unit_test_setup(test_wake_preempts, setup),
		cmocka_unit_test_setup(test_yield, setup),
		cmocka_unit_test_setup(test_weight_shares, setup),
		cmocka_unit_test_setup(test_weight_shares_late_ticks, setup),
		cmocka_unit_test_setup(test_heavier_domain, setup),
		cmocka_unit_test_setup(test_weights_jittered_ticks, setup),
		cmocka_unit_test_setup(test_cap_parks, setup),
		cmocka_unit_test_setup(test_pause_counts, setup),
		cmocka_unit_test_setup(test_wait_unloaded, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
