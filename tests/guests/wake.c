/*
 * wake - how soon a blocked vCPU runs after an event (2 vCPUs on 2 CPUs).
 *
 * vCPU 1 waits in SCHEDOP_poll on an IPI port bound to it, upcalls masked,
 * so the CPU it ran on has nothing to do. Once its runstate says blocked,
 * vCPU 0 waits DELAY_US more (the other CPU has gone idle by then), reads
 * the system time and sends the port; vCPU 1 reads the time as soon as
 * its poll returns. TRIALS times.
 *
 *   wake_latency  the median of send -> running is under BOUND_MS: far
 *                 above what either hypervisor takes on a loaded host (a
 *                 few ms at worst; tens of us quiet), far below a wake-up
 *                 left to the next scheduler tick or timer
 *   all_woken     every trial's poll returned with the port pending
 *   idle_poll     Paravane only (its debug key 'p', wake_stats.h; Xen
 *                 has no such counter): a tenth of the wake-ups or more
 *                 found vCPU 1's CPU still polling (booted with
 *                 idle_poll_us=10000; off by default; up to 3 batches
 *                 when the host is too busy) instead of halted,
 *                 where waking it needs an IPI and, under an emulator,
 *                 the host to run that CPU's thread again. Without
 *                 idle polling the count is 0 and this fails.
 */
#include "domu.h"
#include "events.h"   /* vcpu1_launch */

const char test_name[] = "wake";
const int test_styles = STYLE_DIRECT;   /* one vCPU 1: run once */

#define TRIALS    40
#define DELAY_US  30
#define BOUND_MS  20

static uint8_t v1_stack[8192] __attribute__((aligned(16)));
static struct vcpu_guest_context v1_ctxt;

static evtchn_port_t port;
static volatile int v1_started, v1_polling, v1_woken, v1_stray;
static volatile uint64_t woke_at;

static int port_pending(void)
{
	return (shared_info->evtchn_pending[port / 64] >> (port % 64)) & 1;
}

/* vCPU 1: poll the port, note when it returned, again. */
static void vcpu1_main(void)
{
	struct sched_poll p = { .nr_ports = 1, .timeout = 0 };

	p.ports = (uint64_t)&port;
	v1_started = 1;
	for (;;) {
		while (v1_polling == 0)
			;   /* vCPU 0 starts each trial */
		HYPERVISOR_sched_op(SCHEDOP_poll, &p);
		woke_at = system_time_ns();
		if (!port_pending())
			v1_stray++;   /* woken by something else: not a trial's wake-up */
		__atomic_and_fetch(&shared_info->evtchn_pending[port / 64], ~(1ULL << (port % 64)), __ATOMIC_SEQ_CST);
		v1_polling = 0;
		v1_woken++;
	}
}

static int vcpu1_blocked(void)
{
	struct vcpu_runstate_info r;

	return !HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 1, &r) && r.state == RUNSTATE_blocked;
}

static void spin_us(uint64_t us)
{
	uint64_t end = system_time_ns() + us * 1000;

	while (system_time_ns() < end)
		;
}

static void start_vcpu1(void)
{
	struct evtchn_bind_ipi b = { .vcpu = 1 };

	EXPECT("bind_ipi_vcpu1", HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &b), 0);
	port = b.port;
	vcpu1_launch(&v1_ctxt, vcpu1_main, v1_stack + sizeof(v1_stack), &v1_started);
}

/* TRIALS wake-ups, their latencies in lat[]; how many completed. */
static unsigned trials(uint64_t *lat)
{
	unsigned done = 0;

	for (unsigned i = 0; i < TRIALS; i++) {
		uint64_t sent, until = system_time_ns() + 2000000000ULL;
		int woken = v1_woken;

		v1_polling = 1;
		while (!vcpu1_blocked() && system_time_ns() < until)
			;
		spin_us(DELAY_US);
		sent = system_time_ns();
		struct evtchn_send s = { .port = port };
		if (HYPERVISOR_event_channel_op(EVTCHNOP_send, &s))
			break;
		until = system_time_ns() + 2000000000ULL;
		while (v1_woken == woken && system_time_ns() < until)
			;
		if (v1_woken == woken)
			break;
		lat[done++] = woke_at > sent ? woke_at - sent : 0;
	}
	return done;
}

void test_main(void)
{
	uint64_t lat[TRIALS], median;
	unsigned done;

	start_vcpu1();
	if (!v1_started)
		return;
	if (hv_is_paravane())
		EXPECT("debug_key_clear", domu_debug_key('P'), 0);
	done = trials(lat);
	EXPECT("all_woken", done, TRIALS);
	EXPECT("no_stray_wakeups", v1_stray, 0);
	if (!done)
		return;
	/* insertion sort; the median and the spread for the log */
	for (unsigned i = 1; i < done; i++)
		for (unsigned j = i; j && lat[j - 1] > lat[j]; j--) {
			uint64_t t = lat[j];
			lat[j] = lat[j - 1];
			lat[j - 1] = t;
		}
	median = lat[done / 2];
	gprintf("wake: %u trials, send -> running: min %lu us, median %lu us, max %lu us\n", done,
		(unsigned long)(lat[0] / 1000), (unsigned long)(median / 1000),
		(unsigned long)(lat[done - 1] / 1000));
	check(median < BOUND_MS * 1000000ULL, tname("wake_latency"), "median %lu us, bound %u ms",
	      (unsigned long)(median / 1000), BOUND_MS);
	if (hv_is_paravane()) {
		long hits = 0;
		unsigned batches = 0;

		/*
		 * A host too busy to run vCPU 0 while vCPU 1's CPU polls gives
		 * no hit in a batch (seen at load 25): up to 3 batches, counted
		 * together. Without idle polling there is never one.
		 */
		while (batches++ < 3) {
			if (batches > 1)
				trials(lat);
			EXPECT("debug_key_print", domu_debug_key('p'), 0);
			hits = domu_ring_number("idle_poll: hit=");
			if (hits >= TRIALS / 10)
				break;
		}
		gprintf("wake: idle CPU found work while polling %ld times in %u batch(es)\n", hits,
			batches > 3 ? 3 : batches);
		check(hits >= TRIALS / 10, tname("idle_poll"), "%ld of up to %u wake-ups found the CPU polling",
		      hits, 3 * TRIALS);
	}
}
