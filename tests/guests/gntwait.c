/*
 * gntwait - a grant unmapped on one vCPU is gone for the other vCPU before
 * the unmap returns, and the grant is released right after (2 vCPUs on 2
 * CPUs, one domain granting to itself).
 *
 * Paravane awaits the unmap's TLB shoot-down answers with its big lock let
 * go (docs/smp.md "Waiting for shoot-downs without the lock"): the entry is
 * cleared and the flush requested under the lock, the answers awaited
 * without it, and the grant released under it again. A mistake there lets
 * the other vCPU read a frame through a grant entry after the unmap said
 * it was gone, or leaves the grant marked in use after the unmap returned.
 *
 *   rounds   vCPU 1 reads the mapping in a loop (touching it for 30 us after
 *            each xen_version entry, so its CPU is sometimes in the guest,
 *            sometimes waiting for the big lock, when the shoot-down
 *            comes); vCPU 0 maps the grant, lets vCPU 1 read it, unmaps
 *            (every 4th round in a batch of three whose middle element is a
 *            bad handle), checks the grant's GTF_reading/GTF_writing are
 *            clear, and publishes a generation: odd = unmapped. A touch that
 *            sees the same odd generation before and after must fault
 *            (stale = 0); a touch that reads must read the granted page;
 *            both outcomes seen many times.
 *   flush_unlocked  Paravane only (debug key 'p'): some unmaps waited for
 *            vCPU 1's CPU without the big lock, so the rounds covered that path.
 */
#include "gnt_common.h"
#include "domu.h"

const char test_name[] = "gntwait";
const int test_styles = STYLE_DIRECT;   /* one vCPU 1: run once */

#define ROUNDS   60
#define TOUCH_NS 30000
#define REF      12
#define MARK     0x6e77ULL

static uint8_t v1_stack[8192] __attribute__((aligned(16)));
static struct vcpu_guest_context v1_ctxt;
extern char event_entry[];   /* lib/entry.S */

static volatile int v1_started, v1_run;
static volatile uint64_t gen;   /* odd = unmapped (the unmap returned) */
static volatile unsigned long stale, faults, reads, wrong, loops;

/* Read the window (page 1's address) once: 1 if that faulted. */
static int touch(uint64_t *v)
{
	int before = last_trap.count;

	EXPECT_FAULT("mov (%1), %0", : "+r"(*v) : "r"(va_of(1)) : "memory");
	return last_trap.count != before;
}

static void vcpu1_main(void)
{
	traps_install();   /* trap tables are per vCPU */
	v1_started = 1;
	while (!v1_run)
		;
	while (v1_run) {
		uint64_t until = system_time_ns() + TOUCH_NS;

		do {
			uint64_t seen = __atomic_load_n(&gen, __ATOMIC_SEQ_CST), v = 0;
			int faulted = touch(&v);

			__asm__ volatile("mfence" ::: "memory");
			if ((seen & 1) && __atomic_load_n(&gen, __ATOMIC_SEQ_CST) == seen) {
				if (faulted)
					faults++;
				else
					stale++;
			} else if (!faulted) {
				reads++;
				wrong += v != MARK;
			}
		} while (system_time_ns() < until);
		HYPERVISOR_xen_version(0, NULL);
		loops++;
	}
	v1_started = 2;
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

static void start_vcpu1(void)
{
	uint64_t cr3, until;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	vcpu_context_init(&v1_ctxt, vcpu1_main, v1_stack + sizeof(v1_stack), cr3, event_entry);
	shared_info->vcpu_info[1].evtchn_upcall_mask = 1;
	EXPECT("initialise_vcpu1", HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &v1_ctxt), 0);
	EXPECT("up_vcpu1", HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), 0);
	until = system_time_ns() + 2000000000ULL;
	while (!v1_started && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	check(v1_started, tname("vcpu1_started"), "not in 2 s");
}

static void wait_loops(unsigned n, uint64_t until)
{
	for (unsigned long seen = loops; loops - seen < n && system_time_ns() < until;)
		;
}

/* Unmap h at the window; every 4th round as a batch {h, bad handle, h2 at page 2}. */
static int unmap_round(unsigned r, grant_handle_t h)
{
	struct gnttab_unmap_grant_ref u[3] = {
		{ .host_addr = va_of(1), .handle = h, .status = 99 },
		{ .host_addr = va_of(2), .handle = 0xfff0, .status = 99 },
		{ .host_addr = va_of(2), .status = 99 },
	};

	if (r % 4)
		return unmap1(va_of(1), h) == GNTST_okay;
	if (map1(self_id, REF, va_of(2), GNTMAP_host_map | GNTMAP_readonly, &u[2].handle) != GNTST_okay)
		return 0;
	return !gop(GNTTABOP_unmap_grant_ref, u, 3) && u[0].status == GNTST_okay &&
	       u[1].status == GNTST_bad_handle && u[2].status == GNTST_okay;
}

void test_main(void)
{
	uint64_t until;
	unsigned r, bad_flags = 0;
	int ok = 1;

	self_id = 0;
	table_setup();
	*(uint64_t *)pages[0] = MARK;
	grant(REF, self_id, mfn(0), GTF_permit_access);
	EXPECT("window_empty", HYPERVISOR_update_va_mapping(va_of(1), 0, UVMF_INVLPG | UVMF_ALL), 0);
	start_vcpu1();
	if (!v1_started)
		return;
	if (hv_is_paravane())
		EXPECT("debug_key_clear", domu_debug_key('P'), 0);
	gen = 1;
	v1_run = 1;
	until = system_time_ns() + 30000000000ULL;
	for (r = 0; r < ROUNDS && ok && system_time_ns() < until; r++) {
		grant_handle_t h = 0;

		__atomic_store_n(&gen, gen + 1, __ATOMIC_SEQ_CST);   /* even: mapped, or about to be */
		ok = map1(self_id, REF, va_of(1), GNTMAP_host_map, &h) == GNTST_okay;
		wait_loops(2, until);   /* vCPU 1 reads it through a fresh entry */
		ok = ok && unmap_round(r, h);
		bad_flags += gt[REF].flags != GTF_permit_access;   /* released as the unmap returned */
		__atomic_store_n(&gen, gen + 1, __ATOMIC_SEQ_CST);   /* odd: gone */
		wait_loops(2, until);
	}
	v1_run = 0;
	EXPECT("rounds", r, ROUNDS);
	EXPECT("map_unmap_ok", ok, 1);
	EXPECT("released_after_unmap", bad_flags, 0);
	gprintf("gntwait: %lu loops, %lu faults, %lu reads, %lu stale\n", loops, faults, reads, stale);
	EXPECT("stale_reads", stale, 0);
	EXPECT("wrong_reads", wrong, 0);
	check(faults >= ROUNDS / 4, tname("faults"), "%lu touches faulted, want >= %u", faults, ROUNDS / 4);
	check(reads >= ROUNDS / 4, tname("reads"), "%lu touches read, want >= %u", reads, ROUNDS / 4);
	if (hv_is_paravane()) {
		long n;

		EXPECT("debug_key_print", domu_debug_key('p'), 0);
		n = domu_ring_number("flush_unlocked=");
		gprintf("gntwait: unmaps that waited for shoot-downs without the big lock: %ld\n", n);
		check(n >= 1, tname("flush_unlocked"), "%ld", n);
	}
	EXPECT("revoke_at_end", revoke(REF), 1);
	EXPECT("restore_window", restore_page(1), 0);
	EXPECT("restore_page2", restore_page(2), 0);
}
