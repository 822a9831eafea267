/*
 * preempt - long hypercalls yield and resume (continuations): huge batches
 * of mmu_update, mmuext_op, memory_op, console writes, multicalls and an
 * event-channel reset of 4000 ports must
 * finish with the right results and counts (a port bound while the reset
 * was stopped: -EAGAIN), and a timer armed before a
 * batch must fire while the batch runs, not after it. A timer upcall
 * delivered in the middle of a batch interrupts the guest at the SYSCALL
 * the hypervisor re-issues (bytes 0f 05), which the upcall records.
 *
 * Frames: our own boot-time frames, through the M2P (MMU_MACHPHYS_UPDATE
 * writes it and we read it back); memory_op gives back and repopulates the
 * top of our allocation, which nothing maps. The page-table tree is a
 * static array of ours, read-only while it is a table.
 */
#include "guest.h"
#include "events.h"

const char test_name[] = "preempt";
const int test_styles = STYLE_PAGE | STYLE_DIRECT;

#define NREQ       100000
#define NFRAMES    1000
#define NEXT       50000
#define NPOP       4096
#define CON_BYTES  (300 * 1024)
#define NMC        300
#define MC_REQS    20000
#define TIMER_NS   2000000ULL   /* 2 ms */

static struct mmu_update reqs[NREQ];
static struct mmuext_op exts[NEXT];
static uint64_t extents[NPOP];
static char con[CON_BYTES];
static struct multicall_entry mc[NMC];
static uint32_t mc_done[NMC];
#define NCOPY      20000
static struct gnttab_copy copies[NCOPY];
static uint8_t copy_src[4096] __attribute__((aligned(4096)));
static uint8_t copy_dst[4096] __attribute__((aligned(4096)));
/*
 * A fully populated 4-level tree: every guest slot of the L4 names the L3,
 * every L3 entry one of NL2 L2s, every L2 entry its own L1, every L1 entry
 * (read-only) the frame `leaf`. Validating it checks NL2 * 512 L1s of 512
 * entries each, tens of milliseconds under TCG.
 */
#define NL2        2
#define NL1        (NL2 * 512)
static uint64_t tree_l1[NL1][512] __attribute__((aligned(4096)));
static uint64_t tree_l2[NL2][512] __attribute__((aligned(4096)));
static uint64_t tree_l3[512] __attribute__((aligned(4096)));
static uint64_t tree_l4[512] __attribute__((aligned(4096)));
static uint64_t tree_top[512] __attribute__((aligned(4096)));   /* an empty L4, for mmu_update */
static uint8_t leaf[4096] __attribute__((aligned(4096)));

static uint64_t *p2m(void) { return (uint64_t *)start_info->mfn_list; }
static volatile uint64_t *m2p(void) { return (volatile uint64_t *)MACH2PHYS_VIRT_START; }

/* ---- the timer and where its upcall lands ---------------------------- */

static evtchn_port_t timer_port;
static volatile uint64_t deadline;        /* of the timer arm_timer() set */
static volatile uint64_t upcall_ns;       /* first upcall at or after the deadline */
static volatile int upcall_in_syscall;    /* it interrupted a re-issued SYSCALL */
static volatile int batch_armed;          /* set once arm_timer() is done */
static volatile int upcall_before_batch;  /* it came before that: a host stall */
static const uint8_t *volatile upcall_rip;
static void (*volatile upcall_hook)(void);   /* run by that upcall (events masked) */

void preempt_upcall(const uint8_t *rip);
void preempt_upcall(const uint8_t *rip)
{
	uint64_t now = system_time_ns();

	/* before the deadline: another event (Xen's periodic timer is stopped, but console...) */
	if (!upcall_ns && deadline && now >= deadline) {
		upcall_ns = now;
		upcall_in_syscall = rip[0] == 0x0f && rip[1] == 0x05;
		upcall_before_batch = !batch_armed;
		upcall_rip = rip;
		if (upcall_hook)
			upcall_hook();
	}
	event_upcall();
}

/* As events.c's entry, but passes the interrupted RIP to preempt_upcall(). */
__asm__(".text\n"
	".globl preempt_event_entry\n"
	"preempt_event_entry:\n"
	"	popq %rcx\n"
	"	popq %r11\n"
	"	pushq %rax\n	pushq %rbx\n	pushq %rcx\n	pushq %rdx\n"
	"	pushq %rsi\n	pushq %rdi\n	pushq %rbp\n	pushq %r8\n"
	"	pushq %r9\n	pushq %r10\n	pushq %r11\n"
	"	movq %rsp, %rbx\n"
	"	movq 88(%rsp), %rdi\n"
	"	andq $-16, %rsp\n"
	"	call preempt_upcall\n"
	"	movq %rbx, %rsp\n"
	"	popq %r11\n	popq %r10\n	popq %r9\n	popq %r8\n"
	"	popq %rbp\n	popq %rdi\n	popq %rsi\n	popq %rdx\n"
	"	popq %rcx\n	popq %rbx\n	popq %rax\n"
	"	jmp guest_iret\n");
extern char preempt_event_entry[];

static uint64_t armed_at;

static void arm_timer_in(uint64_t ns)
{
	events_set_upcall_mask(1);
	upcall_ns = 0;
	upcall_in_syscall = 0;
	batch_armed = 0;
	upcall_before_batch = 0;
	shared_info->evtchn_pending[timer_port / 64] &= ~(1ULL << (timer_port % 64));
	armed_at = system_time_ns();
	deadline = armed_at + ns;
	EXPECT("arm_timer", HYPERVISOR_set_timer_op(deadline), 0);
	events_set_upcall_mask(0);
	batch_armed = 1;
}

/*
 * On a loaded host the upcall may come before the batch starts (at the
 * unmask, itself a hypercall): that says nothing about the batch, so arm
 * again with a later deadline.
 */
static void arm_timer(void)
{
	for (uint64_t delay = TIMER_NS;; delay *= 2) {
		arm_timer_in(delay);
		if (!upcall_ns || delay >= 8 * TIMER_NS)
			return;
		gprintf("arm_timer: fired before the batch (deadline %lu us), again\n",
			(unsigned long)(delay / 1000));
	}
}

/*
 * After a batch: the timer must have fired, and, if the batch outlasted it
 * by far, inside the batch (its upcall at a re-issued SYSCALL, and early).
 */
static void check_timer(const char *what)
{
	uint64_t end = system_time_ns();
	char name[64];

	/*
	 * A batch that ended before its deadline (arm_timer may have pushed the
	 * deadline out to 16 ms on a stalled host) cannot have seen the timer
	 * yet: wait for it, upcalls still on, so "fired" is judged either way.
	 */
	while (!upcall_ns && system_time_ns() < deadline + 50 * TIMER_NS)
		;
	events_set_upcall_mask(1);
	gsnprintf(name, sizeof(name), "%s_timer_fired", what);
	check(upcall_ns != 0, tname(name), "no upcall (batch took %lu us)",
	      (unsigned long)((end - armed_at) / 1000));
	gprintf("%s: batch %lu us, upcall %ld us after the deadline, in a re-issued syscall: %d (rip %lx)\n",
		what, (unsigned long)((end - armed_at) / 1000),
		upcall_ns ? (long)(upcall_ns - deadline) / 1000 : -1L, upcall_in_syscall,
		(unsigned long)upcall_rip);
	if (end < deadline + 4 * TIMER_NS)
		return;   /* too short to tell "during" from "after" */
	if (upcall_before_batch) {
		/* QEMU stalled (a loaded host) until the deadline had passed: no evidence either way */
		gprintf("%s: the timer fired before the batch began: not judged\n", what);
		return;
	}
	/*
	 * The upcall interrupts either the re-issued SYSCALL (the batch yielded:
	 * good), or the instruction after a SYSCALL (the batch ran to its end
	 * first: bad), or anything else: guest code between arm_timer() and the
	 * SYSCALL, when the host stalled QEMU there past the deadline. That last
	 * case says nothing about the batch.
	 */
	if (upcall_ns && !upcall_in_syscall && !(upcall_rip[-2] == 0x0f && upcall_rip[-1] == 0x05)) {
		gprintf("%s: the upcall came before the hypercall (rip %lx): not judged\n", what,
			(unsigned long)upcall_rip);
		return;
	}
	/*
	 * An upcall at a re-issued SYSCALL, before the batch ended, shows that
	 * the batch yielded. How soon after the deadline is not judged: a host
	 * that stalls QEMU (seen: 53 ms under load average 3) delays the upcall
	 * but not the proof.
	 */
	gsnprintf(name, sizeof(name), "%s_timer_during_batch", what);
	check(upcall_ns && upcall_in_syscall && upcall_ns < end, tname(name),
	      "upcall %lu us after the deadline, batch ended %lu us after it, at syscall %d",
	      (unsigned long)((upcall_ns - deadline) / 1000), (unsigned long)((end - deadline) / 1000),
	      upcall_in_syscall);
}

/* ---- the batches ------------------------------------------------------ */

/* M2P writes: the last round puts each frame's true pfn back. */
static void fill_m2p_reqs(struct mmu_update *r, unsigned n, unsigned first_pfn)
{
	for (unsigned i = 0; i < n; i++) {
		unsigned f = i % NFRAMES;
		uint64_t pfn = first_pfn + f;
		int last = i >= n - NFRAMES;

		r[i].ptr = (p2m()[pfn] << 12) | MMU_MACHPHYS_UPDATE;
		r[i].val = last ? pfn : 0x7ff00000ULL + i;
	}
}

static int m2p_restored(unsigned first_pfn)
{
	for (unsigned f = 0; f < NFRAMES; f++)
		if (m2p()[p2m()[first_pfn + f]] != first_pfn + f)
			return 0;
	return 1;
}

static void test_mmu_update(void)
{
	uint32_t done = 0xdead;

	fill_m2p_reqs(reqs, NREQ, 0);
	arm_timer();
	EXPECT("mmu_update_100000", HYPERVISOR_mmu_update(reqs, NREQ, &done, DOMID_SELF), 0);
	check_timer("mmu_update");
	EXPECT("mmu_update_done", done, NREQ);
	check(m2p_restored(0), tname("mmu_update_final_m2p"), "an M2P entry is not the pfn");

	/* a failure late in the batch: done counts what came before it */
	fill_m2p_reqs(reqs, NREQ, 0);
	reqs[NREQ - 10].ptr = (0x7fffffffULL << 12) | MMU_MACHPHYS_UPDATE;   /* not our frame */
	done = 0xdead;
	check(HYPERVISOR_mmu_update(reqs, NREQ, &done, DOMID_SELF) < 0, tname("mmu_update_late_failure"),
	      "succeeded");
	EXPECT("mmu_update_late_failure_done", done, NREQ - 10);
	fill_m2p_reqs(reqs, NFRAMES, 0);
	EXPECT("mmu_update_restore", HYPERVISOR_mmu_update(reqs, NFRAMES, NULL, DOMID_SELF), 0);
	check(m2p_restored(0), tname("mmu_update_restored_m2p"), "an M2P entry is not the pfn");
}

static void test_mmuext_op(void)
{
	uint32_t done = 0xdead;

	for (unsigned i = 0; i < NEXT; i++) {
		memset(&exts[i], 0, sizeof(exts[i]));
		exts[i].cmd = MMUEXT_INVLPG_LOCAL;
		exts[i].arg1.linear_addr = (uint64_t)&con[(i % 64) * 4096];
	}
	arm_timer();
	EXPECT("mmuext_op_50000", HYPERVISOR_mmuext_op(exts, NEXT, &done, DOMID_SELF), 0);
	check_timer("mmuext_op");
	EXPECT("mmuext_op_done", done, NEXT);
}

/* Give back the top NPOP frames of our allocation, then populate them again. */
static void test_memory_op(void)
{
	domid_t self = DOMID_SELF;
	uint64_t nr = start_info->nr_pages, first = nr - NPOP;
	uint64_t used = (start_info->pt_base - VIRT_BASE) / 4096 + start_info->nr_pt_frames + 128;
	long cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
	struct xen_memory_reservation r = { .nr_extents = NPOP, .domid = DOMID_SELF };

	if (first < used) {
		fail(tname("memory_op_room"), "only %lu pages", (unsigned long)nr);
		return;
	}
	for (unsigned i = 0; i < NPOP; i++)
		extents[i] = p2m()[first + i];
	r.extent_start = (uint64_t)extents;
	arm_timer();
	EXPECT("decrease_reservation_4096", HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), NPOP);
	check_timer("decrease_reservation");
	EXPECT("current_after_decrease", HYPERVISOR_memory_op(XENMEM_current_reservation, &self),
	       cur - NPOP);

	for (unsigned i = 0; i < NPOP; i++)
		extents[i] = first + i;
	arm_timer();
	EXPECT("populate_physmap_4096", HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), NPOP);
	check_timer("populate_physmap");
	EXPECT("current_after_populate", HYPERVISOR_memory_op(XENMEM_current_reservation, &self), cur);
	unsigned bad = 0;
	for (unsigned i = 0; i < NPOP; i++) {
		if (m2p()[extents[i]] != first + i)
			bad++;
		p2m()[first + i] = extents[i];
	}
	EXPECT("populate_m2p_all", bad, 0);
}

static void test_console(void)
{
	static const char digits[] = "0123456789";

	for (unsigned i = 0; i < CON_BYTES; i++)
		con[i] = (i % 64 == 63) ? '\n' : digits[(i / 64) % 10];
	arm_timer();
	EXPECT("console_write_300k", HYPERVISOR_console_io(CONSOLEIO_write, CON_BYTES, con), 0);
	check_timer("console_write");
}

/*
 * A multicall of NMC entries: every tenth a long mmu_update (which the
 * hypervisor may preempt inside the entry), the rest xen_version.
 */
static void test_multicall(void)
{
	long ver = HYPERVISOR_xen_version(XENVER_version, NULL);
	unsigned nmmu = 0, bad = 0;

	fill_m2p_reqs(reqs, MC_REQS, NFRAMES);
	memset(mc, 0, sizeof(mc));
	for (unsigned i = 0; i < NMC; i++) {
		mc[i].result = 0x5a5a;
		mc_done[i] = 0xdead;
		if (i % 10 == 5) {
			mc[i].op = __HYPERVISOR_mmu_update;
			mc[i].args[0] = (uint64_t)reqs;
			mc[i].args[1] = MC_REQS;
			mc[i].args[2] = (uint64_t)&mc_done[i];
			mc[i].args[3] = DOMID_SELF;
			nmmu++;
		} else {
			mc[i].op = __HYPERVISOR_xen_version;
			mc[i].args[0] = XENVER_version;
		}
	}
	arm_timer();
	EXPECT("multicall_300", HYPERVISOR_multicall(mc, NMC), 0);
	check_timer("multicall");
	for (unsigned i = 0; i < NMC; i++) {
		if (mc[i].op == __HYPERVISOR_mmu_update) {
			if ((long)mc[i].result != 0 || mc_done[i] != MC_REQS)
				bad++;
		} else if ((long)mc[i].result != ver) {
			bad++;
		}
	}
	gprintf("multicall: %u mmu_update entries of %u requests\n", nmmu, MC_REQS);
	EXPECT("multicall_entries_ok", bad, 0);
	check(m2p_restored(NFRAMES), tname("multicall_final_m2p"), "an M2P entry is not the pfn");
}

static uint64_t mfn_of(const void *p)
{
	return p2m()[((uint64_t)p - VIRT_BASE) >> 12];
}

/* GNTTABOP_copy of our own frames (DOMID_SELF, by frame): each 64-byte slot many times. */
static void test_grant_copy(void)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < 4096; i++) {
		copy_src[i] = (uint8_t)(i * 7 + 1);
		copy_dst[i] = 0;
	}
	for (unsigned i = 0; i < NCOPY; i++) {
		memset(&copies[i], 0, sizeof(copies[i]));
		copies[i].source.u.gmfn = mfn_of(copy_src);
		copies[i].source.domid = DOMID_SELF;
		copies[i].source.offset = (uint16_t)((i % 64) * 64);
		copies[i].dest.u.gmfn = mfn_of(copy_dst);
		copies[i].dest.domid = DOMID_SELF;
		copies[i].dest.offset = (uint16_t)((i % 64) * 64);
		copies[i].len = 64;
		copies[i].status = 0x5a5a;
	}
	arm_timer();
	EXPECT("grant_copy_20000", HYPERVISOR_grant_table_op(GNTTABOP_copy, copies, NCOPY), 0);
	check_timer("grant_copy");
	for (unsigned i = 0; i < NCOPY; i++)
		if (copies[i].status != GNTST_okay)
			bad++;
	EXPECT("grant_copy_statuses", bad, 0);
	EXPECT("grant_copy_data", memcmp(copy_src, copy_dst, 4096), 0);
}

/*
 * EVTCHNOP_reset of a domain with RESET_PORTS open ports: the timer is
 * bound last, on the highest port, so the reset reaches it only at the end
 * and it still delivers if it fires meanwhile. Its upcall must interrupt
 * a re-issued SYSCALL (the reset continued as reset_cont), i.e. arrive
 * while the reset still ran. The timer is short (the reset takes about
 * 1 ms under TCG), so a host that stalls QEMU between arming and the
 * SYSCALL can make it fire before the reset starts: such a round is
 * repeated, up to RESET_ROUNDS times. Without the continuation no round
 * can pass (the timer's port is closed before its upcall is taken).
 */
#define RESET_PORTS    4000
#define RESET_TIMER_NS 200000ULL   /* 0.2 ms */
#define RESET_ROUNDS   20   /* a loaded host (load 20+) missed all of 5 */

static long ev(int cmd, void *arg)
{
	return HYPERVISOR_event_channel_op(cmd, arg);
}

/* One round: open the ports, bind the timer last, arm it, reset. */
static int reset_round(unsigned round)
{
	struct evtchn_close c = { .port = timer_port };
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct evtchn_reset r = { .dom = DOMID_SELF };
	struct evtchn_status st = { .dom = DOMID_SELF };
	unsigned opened = 0, open_after = 0;
	uint64_t t0, t1;

	if (round == 0)
		EXPECT("reset_close_timer", ev(EVTCHNOP_close, &c), 0);
	for (unsigned i = 0; i < RESET_PORTS; i++) {
		struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };

		if (ev(EVTCHNOP_alloc_unbound, &a) == 0)
			opened++;
	}
	EXPECT("reset_ports_opened", opened, RESET_PORTS);
	EXPECT("reset_bind_timer_last", ev(EVTCHNOP_bind_virq, &bv), 0);
	timer_port = bv.port;
	check(timer_port > RESET_PORTS, tname("reset_timer_port_high"), "port %u", timer_port);

	t0 = system_time_ns();
	arm_timer_in(RESET_TIMER_NS);
	EXPECT("reset_many_ports", ev(EVTCHNOP_reset, &r), 0);
	t1 = system_time_ns();
	events_set_upcall_mask(1);
	gprintf("evtchn_reset round %u: %u ports in %lu us, upcall %ld us after the deadline, "
		"in a re-issued syscall: %d\n", round, opened + 1, (unsigned long)((t1 - t0) / 1000),
		upcall_ns ? (long)(upcall_ns - deadline) / 1000 : -1L, upcall_in_syscall);

	/* every port is closed, the highest included */
	for (evtchn_port_t p = 1; p <= timer_port; p++) {
		st.port = p;
		if (ev(EVTCHNOP_status, &st) != 0 || st.status != EVTCHNSTAT_closed)
			open_after++;
	}
	EXPECT("reset_all_closed", open_after, 0);
	/* no reset in progress any more */
	EXPECT("reset_cont_after_reset", ev(EVTCHNOP_reset_cont, &r), -XEN_EBUSY);
	timer_port = 0;
	return upcall_ns && upcall_in_syscall;
}

static void test_evtchn_reset(void)
{
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
	unsigned round = 0;

	while (!reset_round(round) && round + 1 < RESET_ROUNDS)
		round++;
	check(upcall_ns && upcall_in_syscall, tname("reset_timer_during_reset"),
	      "in none of %u rounds did the timer's upcall interrupt a continued reset",
	      RESET_ROUNDS);
	/* the timer again, from port 1, for the tests after this one */
	EXPECT("reset_rebind_timer", ev(EVTCHNOP_bind_virq, &bv), 0);
	EXPECT("reset_timer_port_1", bv.port, 1);
	timer_port = bv.port;
}

/*
 * A port bound while a reset is stopped gets a number below its cursor and
 * stays open: the reset must then end with -EAGAIN (Xen 4.17's answer), so
 * that it never switches a domain from FIFO to 2-level with ports bound
 * that 2-level cannot name. The timer's upcall, taken at a re-issued
 * reset_cont, binds the IPI; a round whose upcall came outside the reset
 * proves nothing and is repeated.
 */
static volatile evtchn_port_t bound_in_reset;

static void bind_ipi_in_upcall(void)
{
	struct evtchn_bind_ipi bi = { .vcpu = 0 };

	if (ev(EVTCHNOP_bind_ipi, &bi) == 0)
		bound_in_reset = bi.port;
}

/* 1: the upcall came inside the reset and was checked; 0: try again. */
static int reset_bound_round(void)
{
	struct evtchn_close c = { .port = timer_port };
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct evtchn_reset r = { .dom = DOMID_SELF };
	struct evtchn_status st = { .dom = DOMID_SELF };
	unsigned open_after = 0;
	long rc;

	ev(EVTCHNOP_close, &c);
	for (unsigned i = 0; i < RESET_PORTS; i++) {
		struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };

		ev(EVTCHNOP_alloc_unbound, &a);
	}
	EXPECT("reset_bound_bind_timer_last", ev(EVTCHNOP_bind_virq, &bv), 0);
	timer_port = bv.port;
	bound_in_reset = 0;
	upcall_hook = bind_ipi_in_upcall;
	arm_timer_in(RESET_TIMER_NS);
	rc = ev(EVTCHNOP_reset, &r);
	upcall_hook = NULL;
	events_set_upcall_mask(1);
	timer_port = 0;
	gprintf("evtchn_reset with a bind inside: rc %ld, port %u bound in an upcall %ld us "
		"after the deadline, in a re-issued syscall: %d\n", rc, bound_in_reset,
		upcall_ns ? (long)(upcall_ns - deadline) / 1000 : -1L, upcall_in_syscall);
	if (!(upcall_ns && upcall_in_syscall && bound_in_reset)) {
		ev(EVTCHNOP_reset, &r);   /* whatever the upcall bound: closed */
		return 0;
	}
	EXPECT("reset_bound_eagain", rc, -XEN_EAGAIN);
	EXPECT("reset_bound_port_low", bound_in_reset < RESET_PORTS, 1);
	st.port = bound_in_reset;
	EXPECT("reset_bound_status", ev(EVTCHNOP_status, &st), 0);
	EXPECT("reset_bound_still_ipi", st.status, EVTCHNSTAT_ipi);
	for (evtchn_port_t p = 1; p <= RESET_PORTS + 1; p++) {
		st.port = p;
		if (p != bound_in_reset &&
		    (ev(EVTCHNOP_status, &st) != 0 || st.status != EVTCHNSTAT_closed))
			open_after++;
	}
	EXPECT("reset_bound_others_closed", open_after, 0);
	EXPECT("reset_bound_over", ev(EVTCHNOP_reset_cont, &r), -XEN_EBUSY);
	EXPECT("reset_bound_again", ev(EVTCHNOP_reset, &r), 0);
	return 1;
}

static void test_evtchn_reset_bound_meanwhile(void)
{
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
	unsigned round = 0;

	while (!reset_bound_round() && ++round < RESET_ROUNDS)
		;
	check(round < RESET_ROUNDS, tname("reset_bound_upcall_inside"),
	      "in none of %u rounds did the timer's upcall interrupt a continued reset",
	      RESET_ROUNDS);
	EXPECT("reset_bound_rebind_timer", ev(EVTCHNOP_bind_virq, &bv), 0);
	EXPECT("reset_bound_timer_port_1", bv.port, 1);
	timer_port = bv.port;
}

/* ---- validating a big page-table tree --------------------------------- */


static long table_map(const void *p, int writable)
{
	uint64_t flags = writable ? PTE_P | PTE_W | PTE_A | PTE_D : PTE_P | PTE_A;

	return HYPERVISOR_update_va_mapping((uint64_t)p, (mfn_of(p) << 12) | flags, UVMF_INVLPG);
}

/* All tree frames read-only (writable = 0) or writable again; the count that failed. */
static unsigned tree_map(int writable)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < NL1; i++)
		bad += table_map(tree_l1[i], writable) != 0;
	for (unsigned i = 0; i < NL2; i++)
		bad += table_map(tree_l2[i], writable) != 0;
	bad += table_map(tree_l3, writable) != 0;
	bad += table_map(tree_l4, writable) != 0;
	bad += table_map(tree_top, writable) != 0;
	return bad;
}

static int l4_guest_slot(unsigned i)
{
	return i < 256 || i > 271;   /* 256-271: the hypervisor's */
}

static void build_tree(void)
{
	uint64_t rw = PTE_P | PTE_W | PTE_A;

	for (unsigned i = 0; i < NL1; i++)
		for (unsigned j = 0; j < 512; j++)
			tree_l1[i][j] = (mfn_of(leaf) << 12) | PTE_P | PTE_A;
	for (unsigned i = 0; i < NL2; i++)
		for (unsigned j = 0; j < 512; j++)
			tree_l2[i][j] = (mfn_of(tree_l1[i * 512 + j]) << 12) | rw;
	for (unsigned j = 0; j < 512; j++)
		tree_l3[j] = (mfn_of(tree_l2[j % NL2]) << 12) | rw;
	for (unsigned j = 0; j < 512; j++)
		tree_l4[j] = l4_guest_slot(j) ? (mfn_of(tree_l3) << 12) | rw : 0;
	memset(tree_top, 0, sizeof(tree_top));
}

static long pin(unsigned cmd, const void *p)
{
	struct mmuext_op op = { .cmd = cmd };

	op.arg1.mfn = mfn_of(p);
	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/*
 * Pinning the tree, and naming its L3 from an empty pinned L4 through
 * mmu_update: each validates every table below, and must yield to the
 * timer like the long batches; so must the unpin and the clearing of that
 * entry, which devalidate it.
 */
static void test_pin_tree(void)
{
	struct mmu_update u;
	uint32_t done = 0xdead;

	build_tree();
	EXPECT("tree_read_only", tree_map(0), 0);
	arm_timer();
	EXPECT("pin_l4_tree", pin(MMUEXT_PIN_L4_TABLE, tree_l4), 0);
	check_timer("pin_l4_tree");
	/* validated: no table of it can be mapped writable now */
	check(table_map(tree_l1[NL1 - 1], 1) != 0, tname("pinned_tree_last_l1_not_writable"), "mapped");
	/* unpinning drops every entry's references, as long as the pin took: it yields too */
	arm_timer();
	EXPECT("unpin_l4_tree", pin(MMUEXT_UNPIN_TABLE, tree_l4), 0);
	check_timer("unpin_l4_tree");
	EXPECT("unpin_l4_tree_again", pin(MMUEXT_UNPIN_TABLE, tree_l4), -XEN_EINVAL);

	EXPECT("pin_empty_l4", pin(MMUEXT_PIN_L4_TABLE, tree_top), 0);
	u.ptr = (mfn_of(tree_top) << 12) | MMU_NORMAL_PT_UPDATE;
	u.val = (mfn_of(tree_l3) << 12) | PTE_P | PTE_W | PTE_A;
	arm_timer();
	EXPECT("mmu_update_tree", HYPERVISOR_mmu_update(&u, 1, &done, DOMID_SELF), 0);
	check_timer("mmu_update_tree");
	EXPECT("mmu_update_tree_done", done, 1);
	check(table_map(tree_l2[NL2 - 1], 1) != 0, tname("named_tree_l2_not_writable"), "mapped");
	u.val = 0;
	done = 0xdead;
	arm_timer();
	EXPECT("mmu_update_tree_clear", HYPERVISOR_mmu_update(&u, 1, &done, DOMID_SELF), 0);
	check_timer("mmu_update_tree_clear");   /* the entry held the tree's last reference */
	EXPECT("mmu_update_tree_clear_done", done, 1);
	EXPECT("unpin_empty_l4", pin(MMUEXT_UNPIN_TABLE, tree_top), 0);
	EXPECT("tree_writable_again", tree_map(1), 0);
}

/* ---- freeing a tree whose devalidation was interrupted ------------------ */

#define NTREE (NL1 + NL2 + 2)

/* The tree's frames, top down (the L4's devalidation finishes last). */
static void *tree_frame(unsigned k)
{
	if (k == 0)
		return tree_l4;
	if (k == 1)
		return tree_l3;
	if (k < 2 + NL2)
		return tree_l2[k - 2];
	return tree_l1[k - 2 - NL2];
}

static volatile long dec_rc = 1, dec_cur = -1;
static volatile int decreased;

/* decrease_reservation of every tree frame (their MFNs are in extents[]) */
static void decrease_tree(void)
{
	domid_t self = DOMID_SELF;
	struct xen_memory_reservation r = { .nr_extents = NTREE, .domid = DOMID_SELF };

	/*
	 * Fired at arm_timer's own unmask (a loaded host): the unpin has not
	 * started, so wait for the timer arm_timer sets again.
	 */
	if (!batch_armed)
		return;
	upcall_hook = NULL;
	r.extent_start = (uint64_t)extents;
	dec_rc = HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r);
	dec_cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
	decreased = 1;
}

/*
 * The guest gives the whole tree back while its unpin is interrupted:
 * the timer's upcall lands in the unpin's continuation, with the L4 (and
 * tables below it) still devalidating, holding references, and frees
 * every frame of the tree. Each extent is done (Xen 4.17 too), and once
 * the unpin has finished every frame is back: current_reservation is
 * lower by the whole tree. Paravane finishes a devalidating frame's
 * work inside the decrease (docs/memory.md), so there it is lower
 * already when the decrease returns; Xen frees the frames when the
 * unpin's continuation finishes its old_guest_table. Then the pfns are
 * populated again and the new frames mapped, written, and pinned as
 * the same tree.
 */
static void test_decrease_devalidating_tree(void)
{
	domid_t self = DOMID_SELF;
	struct xen_memory_reservation r = { .nr_extents = NTREE, .domid = DOMID_SELF };
	long cur;
	unsigned bad = 0;

	build_tree();
	EXPECT("dtree_read_only", tree_map(0), 0);
	EXPECT("dtree_pin", pin(MMUEXT_PIN_L4_TABLE, tree_l4), 0);
	EXPECT("dtree_top_writable", table_map(tree_top, 1), 0);   /* not part of it */
	/* nothing but the tree itself may hold its frames: our own mappings go */
	for (unsigned k = 0; k < NTREE; k++) {
		extents[k] = mfn_of(tree_frame(k));
		bad += HYPERVISOR_update_va_mapping((uint64_t)tree_frame(k), 0, UVMF_INVLPG) != 0;
	}
	EXPECT("dtree_unmapped", bad, 0);
	cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
	decreased = 0;
	upcall_hook = decrease_tree;
	arm_timer();
	EXPECT("dtree_unpin", pin(MMUEXT_UNPIN_TABLE, tree_l4), 0);
	check_timer("dtree_unpin");   /* the decrease ran inside the unpin */
	upcall_hook = NULL;
	if (!decreased)
		decrease_tree();   /* so that the rest can go on */
	EXPECT("dtree_decrease_all", dec_rc, NTREE);
	if (hv_is_paravane())
		EXPECT("paravane_dtree_freed_by_decrease", dec_cur, cur - NTREE);
	else
		gprintf("dtree: current_reservation right after the decrease: %ld of %ld freed\n",
			cur - dec_cur, (long)NTREE);
	EXPECT("dtree_current_after_unpin", HYPERVISOR_memory_op(XENMEM_current_reservation, &self),
	       cur - NTREE);
	r.extent_start = (uint64_t)extents;   /* the same MFNs: no longer ours */
	EXPECT("dtree_decrease_again", HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 0);

	/* the memory is usable again: the same pfns, new frames */
	for (unsigned k = 0; k < NTREE; k++)
		extents[k] = ((uint64_t)tree_frame(k) - VIRT_BASE) >> 12;
	r.extent_start = (uint64_t)extents;
	EXPECT("dtree_populate", HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), NTREE);
	EXPECT("dtree_current_after_populate",
	       HYPERVISOR_memory_op(XENMEM_current_reservation, &self), cur);
	bad = 0;
	for (unsigned k = 0; k < NTREE; k++) {
		uint64_t pfn = ((uint64_t)tree_frame(k) - VIRT_BASE) >> 12;
		p2m()[pfn] = extents[k];
		bad += m2p()[extents[k]] != pfn;
		bad += table_map(tree_frame(k), 1) != 0;
	}
	EXPECT("dtree_remapped", bad, 0);
	build_tree();
	EXPECT("dtree_again_read_only", tree_map(0), 0);
	EXPECT("dtree_again_pin", pin(MMUEXT_PIN_L4_TABLE, tree_l4), 0);
	EXPECT("dtree_again_unpin", pin(MMUEXT_UNPIN_TABLE, tree_l4), 0);
	EXPECT("dtree_again_writable", tree_map(1), 0);
}

/*
 * VCPUOP_initialise names the tree as vCPU 1's L4, then the pin goes:
 * vCPU 1 holds the tree's last reference. Initialising vCPU 1 again is
 * -EEXIST, as on Xen (once only, up or not), so nothing can make it
 * drop that tree in one go; the tree stays validated.
 */
static struct vcpu_guest_context v1_ctxt;
static uint8_t v1_stack[4096] __attribute__((aligned(16)));

static void vcpu1_never_runs(void)
{
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

static long init_vcpu1(const void *l4)
{
	struct vcpu_guest_context *c = &v1_ctxt;

	vcpu_context_init(c, vcpu1_never_runs, v1_stack + sizeof(v1_stack), mfn_of(l4) << 12,
			  preempt_event_entry);
	return HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, c);
}

static void test_initialise_once(void)
{
	static int done;

	if (done || !hc_direct)
		return;   /* once per boot, last: vCPU 1 keeps the tree read-only */
	done = 1;
	build_tree();
	EXPECT("itree_read_only", tree_map(0), 0);
	EXPECT("itree_pin", pin(MMUEXT_PIN_L4_TABLE, tree_l4), 0);
	EXPECT("pin_empty_l4_for_vcpu1", pin(MMUEXT_PIN_L4_TABLE, tree_top), 0);
	EXPECT("initialise_vcpu1_on_tree", init_vcpu1(tree_l4), 0);
	EXPECT("vcpu1_not_up", HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
	/* quick: vCPU 1's reference keeps the tree validated */
	EXPECT("itree_unpin", pin(MMUEXT_UNPIN_TABLE, tree_l4), 0);
	check(table_map(tree_l1[NL1 - 1], 1) != 0, tname("itree_held_by_vcpu1"), "mapped writable");
	EXPECT("initialise_vcpu1_again", init_vcpu1(tree_top), -XEN_EEXIST);
	EXPECT("initialise_vcpu1_same_again", init_vcpu1(tree_l4), -XEN_EEXIST);
	check(table_map(tree_l1[NL1 - 1], 1) != 0, tname("itree_still_held_by_vcpu1"),
	      "mapped writable: the second initialise dropped vCPU 1's L4");
}

void test_main(void)
{
	static int setup;

	if (!setup) {
		struct callback_register cb = {
			.type = CALLBACKTYPE_event,
			.flags = CALLBACKF_mask_events,
			.address = (uint64_t)preempt_event_entry,
		};
		struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };

		EXPECT("register_event_callback", HYPERVISOR_callback_op(CALLBACKOP_register, &cb), 0);
		EXPECT("bind_virq_timer", HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), 0);
		timer_port = bv.port;
		/* only our single-shot timer raises VIRQ_TIMER (Xen starts a 10 ms periodic one) */
		EXPECT("stop_periodic_timer", HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
		setup = 1;
	}
	test_mmu_update();
	test_mmuext_op();
	test_memory_op();
	test_multicall();
	test_grant_copy();
	test_console();
	test_evtchn_reset();
	test_evtchn_reset_bound_meanwhile();
	test_pin_tree();
	test_decrease_devalidating_tree();
	test_initialise_once();
	EXPECT("still_alive", HYPERVISOR_xen_version(XENVER_version, NULL) > 0, 1);
}
