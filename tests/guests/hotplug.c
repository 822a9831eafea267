/*
 * hotplug - VCPUOP_down and VCPUOP_up of a sibling vCPU, and the timers
 * that must survive them (2 vCPUs):
 *
 *   poll     vCPU 1 blocks in SCHEDOP_poll with a 1 s timeout; vCPU 0 arms
 *            its own single-shot timer 1.5 s ahead (behind vCPU 1's poll
 *            timer when both share a CPU), then takes vCPU 1 down and up
 *            and wakes it. vCPU 1 polls again with a 1 ms timeout. vCPU 0's
 *            timer must still fire, and the machine must not hang: a poll
 *            timer re-initialised while armed cuts the timers behind it off
 *            its CPU's list and, armed again, links the list into a cycle.
 *   current  vCPU 1 spins on the other CPU; vCPU 0 downs and ups it in one
 *            multicall, then yields (five rounds). vCPU 1 must go on from
 *            where it was, once: queued while still current elsewhere, it
 *            would also be started from its last saved state by vCPU 0's
 *            CPU (two CPUs running one vCPU).
 *
 * Run on one CPU (guests-*-hotplug: both vCPUs share the timer list, so the
 * poll check bites) and on two (guests-*-hotplug-smp: vCPU 1 is current on
 * the other CPU during the multicall). Each check holds on both configs.
 */
#include "guest.h"
#include "events.h"   /* vcpu1_launch */

const char test_name[] = "hotplug";
const int test_styles = STYLE_DIRECT;   /* vCPU 1 lives across the checks: run once */


enum { CMD_NONE, CMD_POLL, CMD_SPIN, CMD_EXIT };

static struct vcpu_guest_context v1_ctxt;
static uint8_t v1_stack[8192] __attribute__((aligned(16)));

static volatile int v1_cmd, v1_started, v1_acks, v1_exited;
static volatile long v1_poll1_rc = 1, v1_poll2_rc = 1;
static volatile int v1_poll2_done;
static volatile unsigned long v1_spin_entries, v1_spins, v1_spin_clashes;

static evtchn_port_t wake_port;    /* vCPU 1 polls it; pending when vCPU 0 sends on wake_send */
static evtchn_port_t wake_send;
static evtchn_port_t idle_port;    /* never pending */
static evtchn_port_t timer_port;   /* VIRQ_TIMER of vCPU 0 */

static long ev(int cmd, void *arg) { return HYPERVISOR_event_channel_op(cmd, arg); }

static long poll_ports(evtchn_port_t *port, uint64_t timeout)
{
	struct sched_poll p = { .ports = (uint64_t)port, .nr_ports = 1, .timeout = timeout };

	return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

static int port_pending(evtchn_port_t port)
{
	return (shared_info->evtchn_pending[port / 64] >> (port % 64)) & 1;
}

static void port_clear(evtchn_port_t port)
{
	__atomic_fetch_and(&shared_info->evtchn_pending[port / 64], ~(1ULL << (port % 64)), __ATOMIC_SEQ_CST);
}

/* ---- vCPU 1 ------------------------------------------------------------ */

static void v1_poll(void)
{
	v1_poll1_rc = poll_ports(&wake_port, system_time_ns() + 1000000000ULL);
	port_clear(wake_port);
	/* armed again on a node that was re-initialised while linked: a cycle */
	v1_poll2_rc = poll_ports(&idle_port, system_time_ns() + 1000000ULL);
	v1_poll2_done = 1;
}

/*
 * Leaves the CPU once (the poll idles it), so its saved state is the poll's
 * return: a second copy started from there counts a second entry. And
 * each pass checks that the count is still the one it wrote last: two
 * copies running at once (from any saved state) see each other's writes.
 */
static void v1_spin(void)
{
	unsigned long mine;

	poll_ports(&idle_port, system_time_ns() + 1000000ULL);
	v1_spin_entries++;
	mine = v1_spins;
	while (v1_cmd == CMD_SPIN) {
		if (v1_spins != mine)
			v1_spin_clashes++;
		mine = v1_spins + 1;
		v1_spins = mine;
	}
}

static void vcpu1_main(void)
{
	HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 1, NULL);   /* Xen's default 10 ms tick */
	v1_started = 1;
	for (;;) {
		int cmd;

		while ((cmd = v1_cmd) == CMD_NONE)
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		if (cmd == CMD_POLL)
			v1_poll();
		else if (cmd == CMD_SPIN)
			v1_spin();
		else
			break;
		if (v1_cmd == cmd)
			v1_cmd = CMD_NONE;
		v1_acks++;
	}
	v1_exited = 1;
	HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL);
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

/* ---- vCPU 0 ------------------------------------------------------------ */

/* Yield until *flag is nonzero or `ns` passed; whether it became nonzero. */
static int wait_for(volatile int *flag, uint64_t ns)
{
	uint64_t until = system_time_ns() + ns;

	while (!*flag && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	return *flag != 0;
}

static int vcpu1_state(void)
{
	struct vcpu_runstate_info rs;

	if (HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 1, &rs))
		return -1;
	return rs.state;
}

static void setup(void)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };

	EXPECT("stop_periodic_vcpu0", HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
	EXPECT("alloc_wake_port", ev(EVTCHNOP_alloc_unbound, &au), 0);
	wake_port = au.port;
	bi.remote_port = wake_port;
	EXPECT("bind_wake_port", ev(EVTCHNOP_bind_interdomain, &bi), 0);
	wake_send = bi.local_port;
	au.port = 0;
	EXPECT("alloc_idle_port", ev(EVTCHNOP_alloc_unbound, &au), 0);
	idle_port = au.port;
	EXPECT("bind_virq_timer", ev(EVTCHNOP_bind_virq, &bv), 0);
	timer_port = bv.port;

	vcpu1_launch(&v1_ctxt, vcpu1_main, v1_stack + sizeof(v1_stack), &v1_started);   /* it only polls */
}

static void test_down_up_while_polling(void)
{
	int acks = v1_acks;
	uint64_t until;

	v1_cmd = CMD_POLL;
	until = system_time_ns() + 2000000000ULL;
	while (vcpu1_state() != RUNSTATE_blocked && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	EXPECT("poll_vcpu1_blocked", vcpu1_state(), RUNSTATE_blocked);

	/* behind vCPU 1's poll timer (1 s) when they share a CPU */
	port_clear(timer_port);
	EXPECT("poll_vcpu0_singleshot", HYPERVISOR_set_timer_op(system_time_ns() + 1500000000ULL), 0);
	EXPECT("poll_down_vcpu1", HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL), 0);
	EXPECT("poll_vcpu1_is_down", HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
	/* initialised once for good: up resumes it (on both hypervisors) */
	EXPECT("poll_initialise_again", HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &v1_ctxt), -XEN_EEXIST);
	EXPECT("poll_up_vcpu1", HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), 0);
	/* Xen keeps it blocked in its poll until the port or the timeout */
	EXPECT("poll_wake_vcpu1", ev(EVTCHNOP_send, &(struct evtchn_send){ .port = wake_send }), 0);

	check(wait_for(&v1_poll2_done, 3000000000ULL), tname("poll_vcpu1_polled_again"), "not in 3 s");
	EXPECT("poll_vcpu1_first_rc", v1_poll1_rc, 0);
	EXPECT("poll_vcpu1_second_rc", v1_poll2_rc, 0);
	until = system_time_ns() + 1000000000ULL;
	while (v1_acks == acks && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	check(v1_acks != acks, tname("poll_vcpu1_done"), "vCPU 1 did not finish");

	/* vCPU 0's timer was not lost, nor the CPU's tick that drives it */
	poll_ports(&timer_port, system_time_ns() + 3000000000ULL);
	check(port_pending(timer_port), tname("poll_vcpu0_timer_fired"),
	      "VIRQ_TIMER not pending 3 s later (the timer was cut off its CPU's list)");
	port_clear(timer_port);
	EXPECT("poll_vcpu0_singleshot_again", HYPERVISOR_set_timer_op(system_time_ns() + 5000000ULL), 0);
	poll_ports(&timer_port, system_time_ns() + 1000000000ULL);
	check(port_pending(timer_port), tname("poll_vcpu0_timer_fires_again"), "not within 1 s");
	port_clear(timer_port);
}

/*
 * One round: vCPU 1 spinning (current on the other CPU when there is one),
 * then down, up and yield in one multicall. False if something was wrong.
 */
static int current_round(int round)
{
	struct multicall_entry mc[3] = {
		{ .op = __HYPERVISOR_vcpu_op, .args = { VCPUOP_down, 1, 0 } },
		{ .op = __HYPERVISOR_vcpu_op, .args = { VCPUOP_up, 1, 0 } },
		{ .op = __HYPERVISOR_sched_op, .args = { SCHEDOP_yield, 0 } },
	};
	int acks = v1_acks, ok = 1;
	unsigned long before;
	uint64_t until;

	v1_spin_entries = 0;
	v1_spin_clashes = 0;
	v1_cmd = CMD_SPIN;
	until = system_time_ns() + 2000000000ULL;
	while ((!v1_spin_entries || v1_spins < 100000) && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	if (v1_spin_entries != 1) {
		fail(tname("current_vcpu1_spinning"), "round %d: entries %lu", round, v1_spin_entries);
		return 0;
	}
	if (HYPERVISOR_multicall(mc, 3) || mc[0].result || mc[1].result || mc[2].result) {
		fail(tname("current_multicall"), "round %d: %ld %ld %ld", round,
		     (long)mc[0].result, (long)mc[1].result, (long)mc[2].result);
		return 0;
	}
	until = system_time_ns() + 50000000ULL;   /* 50 ms of both CPUs taking turns */
	while (system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	before = v1_spins;
	until = system_time_ns() + 1000000000ULL;
	while (v1_spins == before && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	if (HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL) != 1 || v1_spins == before) {
		fail(tname("current_vcpu1_runs"), "round %d: vCPU 1 is not up and spinning", round);
		ok = 0;
	}
	if (v1_spin_entries != 1) {
		fail(tname("current_vcpu1_ran_once"),
		     "round %d: vCPU 1's loop was entered %lu times: a second copy ran from its saved state",
		     round, v1_spin_entries);
		ok = 0;
	}
	if (v1_spin_clashes) {
		fail(tname("current_vcpu1_one_copy"),
		     "round %d: %lu times vCPU 1's count changed under it: two copies ran at once",
		     round, v1_spin_clashes);
		ok = 0;
	}
	v1_cmd = CMD_NONE;
	until = system_time_ns() + 1000000000ULL;
	while (v1_acks == acks && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	return ok && v1_acks != acks;
}

/* Which CPU wins the race differs from run to run: several rounds. */
static void test_down_up_while_current(void)
{
	int round;

	for (round = 0; round < 5; round++)
		if (!current_round(round))
			break;
	check(round == 5, tname("current_down_up_rounds"), "round %d went wrong", round);
}

void test_main(void)
{
	setup();
	if (!v1_started)
		return;
	test_down_up_while_polling();
	test_down_up_while_current();
	v1_cmd = CMD_EXIT;
	check(wait_for(&v1_exited, 1000000000ULL), tname("vcpu1_down_itself"), "not in 1 s");
}
