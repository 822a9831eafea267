/*
 * tlbwait - a page unmapped on one vCPU is gone for the other vCPU too,
 * whatever that vCPU's CPU was doing meanwhile (2 vCPUs on 2 CPUs).
 *
 * The hypervisor may skip interrupting a CPU for a TLB shoot-down when
 * that CPU cannot use the stale entry before it flushes anyway: on
 * Paravane a CPU that is idle (on the hypervisor's own tables) or that
 * waits for the big lock (it flushes once it has the lock, before it
 * returns to the guest). A mistake there lets a guest read a frame
 * through an entry it has removed, after the hypervisor said it was gone
 * (and, for a frame that changed owner or became a page table, read or
 * write another domain's memory). Each check touches a page through the
 * stale entry a correct hypervisor must have flushed:
 *
 *   halted_*    vCPU 1 reads the page (its TLB holds it), then blocks in
 *               SCHEDOP_poll (its CPU goes idle and halts); vCPU 0 removes
 *               the entry with UVMF_INVLPG|UVMF_ALL and sends an event;
 *               vCPU 1's first touch after waking must fault. TRIALS times.
 *   waiting_*   vCPU 1 reads the page and enters the hypervisor in a loop
 *               (xen_version: takes the big lock, which vCPU 0's
 *               update_va_mapping holds often, so vCPU 1 is often waiting
 *               for it during the shoot-down), touching it for 30 us after
 *               each return; vCPU 0 maps and unmaps the
 *               page ROUNDS times and publishes a generation: odd = unmapped
 *               and flushed everywhere. A touch that sees the same odd
 *               generation before and after it must fault (stale = 0), and
 *               both outcomes must have been seen many times (the race ran).
 *   lazy_flushes  Paravane only (debug key 'p', wake_stats.h): some of
 *               vCPU 0's shoot-downs found vCPU 1's CPU waiting for the
 *               big lock and left it to flush on acquiring it, so the
 *               waiting checks covered that path (0 with lazy_flush=0).
 */
#include "domu.h"
#include "events.h"   /* vcpu1_launch */

const char test_name[] = "tlbwait";
const int test_styles = STYLE_DIRECT;   /* one vCPU 1: run once */

#define TRIALS  20
#define ROUNDS  50
#define TOUCH_NS 30000   /* vCPU 1 touches this long between entries */
#define UVMF_ALL_FLUSH (UVMF_INVLPG | UVMF_ALL)

static uint8_t v1_stack[8192] __attribute__((aligned(16)));
static struct vcpu_guest_context v1_ctxt;

static uint64_t target[512] __attribute__((aligned(4096)));   /* the page mapped and unmapped */
static uint64_t target_pte;

static evtchn_port_t port;
static volatile int v1_started, v1_phase, v1_step, v1_done;
static volatile int halted_faults, halted_reads_ok, halted_bad_before;
static volatile uint64_t gen;   /* waiting phase: odd = unmapped and flushed everywhere */
static volatile unsigned long waiting_stale, waiting_faults, waiting_reads, waiting_loops;

static uint64_t mfn_of_va(uint64_t va)
{
	return ((uint64_t *)start_info->mfn_list)[(va - VIRT_BASE) >> 12];
}

/* Read the page once: 1 if that faulted (vCPU 1 is the only vCPU that faults). */
static int touch(void)
{
	uint64_t v = 0;
	int before = last_trap.count;

	EXPECT_FAULT("mov (%1), %0", : "+r"(v) : "r"(target) : "memory");
	return last_trap.count != before;
}

static int port_pending(void)
{
	return (shared_info->evtchn_pending[port / 64] >> (port % 64)) & 1;
}

static void port_clear(void)
{
	__atomic_and_fetch(&shared_info->evtchn_pending[port / 64], ~(1ULL << (port % 64)), __ATOMIC_SEQ_CST);
}

static void v1_halted_step(void)
{
	struct sched_poll p = { .nr_ports = 1, .timeout = 0 };

	p.ports = (uint64_t)&port;
	if (touch())
		halted_bad_before++;   /* must be mapped now: vCPU 0 maps it before each step */
	while (!port_pending())
		HYPERVISOR_sched_op(SCHEDOP_poll, &p);
	port_clear();
	if (touch())
		halted_faults++;
	else
		halted_reads_ok++;
}

static void v1_waiting(void)
{
	while (v1_phase == 2) {
		/* touches for a while after each entry: vCPU 0 publishes the unmap only after its call returned */
		uint64_t until = system_time_ns() + TOUCH_NS;

		do {
			uint64_t seen = __atomic_load_n(&gen, __ATOMIC_SEQ_CST);
			int faulted = touch();

			__asm__ volatile("mfence" ::: "memory");
			if ((seen & 1) && __atomic_load_n(&gen, __ATOMIC_SEQ_CST) == seen) {
				if (faulted)
					waiting_faults++;
				else
					waiting_stale++;
			} else if (!faulted) {
				waiting_reads++;
			}
		} while (system_time_ns() < until);
		HYPERVISOR_xen_version(0, NULL);
		waiting_loops++;
	}
}

static void vcpu1_main(void)
{
	int step = 0;

	traps_install();   /* trap tables are per vCPU */
	v1_started = 1;
	for (;;) {
		if (v1_phase == 1 && v1_step != step) {
			step = v1_step;
			v1_halted_step();
			v1_done = step;
		} else if (v1_phase == 2) {
			v1_waiting();
			v1_done = -1;
		}
	}
}

static int vcpu1_blocked(void)
{
	struct vcpu_runstate_info r;

	return !HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 1, &r) && r.state == RUNSTATE_blocked;
}

static long map_target(int present)
{
	return HYPERVISOR_update_va_mapping((uint64_t)target, present ? target_pte : 0, UVMF_ALL_FLUSH);
}

static void start_vcpu1(void)
{
	struct evtchn_bind_ipi b = { .vcpu = 1 };

	EXPECT("bind_ipi_vcpu1", HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &b), 0);
	port = b.port;
	vcpu1_launch(&v1_ctxt, vcpu1_main, v1_stack + sizeof(v1_stack), &v1_started);
}

/* One halted trial: mapped, vCPU 1 reads it and blocks, unmapped, woken. 0 if it timed out. */
static int halted_trial(int i)
{
	uint64_t until = system_time_ns() + 2000000000ULL;
	struct evtchn_send s = { .port = port };

	if (map_target(1))
		return 0;
	v1_step = i;
	while (!vcpu1_blocked() && system_time_ns() < until)
		;
	if (map_target(0) || HYPERVISOR_event_channel_op(EVTCHNOP_send, &s))
		return 0;
	while (v1_done != i && system_time_ns() < until)
		;
	return v1_done == i;
}

static void waiting_rounds(void)
{
	uint64_t until = system_time_ns() + 20000000000ULL;
	int ok = 1;

	ok = !map_target(0);
	gen = 1;   /* unmapped: each round maps (even), then unmaps (odd) */
	v1_phase = 2;
	for (unsigned r = 0; r < ROUNDS && ok && system_time_ns() < until; r++) {
		__atomic_store_n(&gen, gen + 1, __ATOMIC_SEQ_CST);   /* even: mapped, or about to be */
		ok = !map_target(1);
		for (unsigned long seen = waiting_loops; waiting_loops - seen < 2 && system_time_ns() < until;)
			;   /* vCPU 1 reads it through a fresh entry */
		ok = ok && !map_target(0);
		__atomic_store_n(&gen, gen + 1, __ATOMIC_SEQ_CST);   /* odd: gone and flushed */
		for (unsigned long seen = waiting_loops; waiting_loops - seen < 2 && system_time_ns() < until;)
			;
	}
	v1_phase = 0;
	EXPECT("waiting_maps", ok, 1);
	while (v1_done != -1 && system_time_ns() < until)
		;
}

void test_main(void)
{
	int done = 0;

	target_pte = (mfn_of_va((uint64_t)target) << 12) | PTE_P | PTE_W | PTE_A | PTE_D;
	target[0] = 0x7eb;
	start_vcpu1();
	if (!v1_started)
		return;

	v1_phase = 1;
	for (int i = 1; i <= TRIALS && halted_trial(i); i++)
		done++;
	EXPECT("halted_trials", done, TRIALS);
	EXPECT("halted_mapped_before", halted_bad_before, 0);
	EXPECT("halted_faults", halted_faults, done);
	EXPECT("halted_stale_reads", halted_reads_ok, 0);

	if (hv_is_paravane())
		EXPECT("debug_key_clear", domu_debug_key('P'), 0);
	waiting_rounds();
	gprintf("tlbwait: waiting: %lu loops, %lu faults, %lu reads, %lu stale\n", waiting_loops,
		waiting_faults, waiting_reads, waiting_stale);
	EXPECT("waiting_stale_reads", waiting_stale, 0);
	check(waiting_faults >= ROUNDS / 4, tname("waiting_faults"), "%lu touches faulted, want >= %u",
	      waiting_faults, ROUNDS / 4);
	check(waiting_reads >= ROUNDS / 4, tname("waiting_reads"), "%lu touches read, want >= %u",
	      waiting_reads, ROUNDS / 4);
	if (hv_is_paravane()) {
		long lazy;

		EXPECT("debug_key_print", domu_debug_key('p'), 0);
		lazy = domu_ring_number("tlb_flush_lazy=");
		gprintf("tlbwait: shoot-downs that left vCPU 1's CPU to flush at its lock acquisition: %ld\n", lazy);
		check(lazy >= 1, tname("lazy_flushes"), "%ld", lazy);
	}
	EXPECT("remap_at_end", map_target(1), 0);
	check_eq("target_intact", (long)target[0], 0x7eb);
}
