/*
 * evbench - events, timers and context switches, timed from inside a guest
 * kernel with the TSC. The same ELF boots as the initial domain on Paravane
 * and on Xen 4.17 (bench/events.sh puts the two side by side).
 *
 * Without a role on its command line it runs, in Dom0:
 *   loopback   EVTCHNOP_send on a channel bound to ourselves -> entry of
 *              our event callback (one vCPU, no switch), and the send with
 *              the port masked (no upcall) as a baseline;
 *   pingpong   with a second vCPU (dom0_max_vcpus=2 on QEMU -smp 1, so
 *              every event forces a vCPU switch): vCPU0 sends an IPI-style
 *              port to vCPU1, which is blocked in SCHEDOP_block; vCPU1's
 *              callback entry (one way) and its reply back (round trip);
 *   yield      both vCPUs call SCHEDOP_yield in a loop: cost per switch;
 *   wake       vCPU0 blocks on a single-shot timer; the delay from the
 *              deadline to the VIRQ_TIMER callback, with vCPU1 blocked and
 *              with vCPU1 spinning (it must not hold the CPU past a tick).
 * With role=x0 (Dom0) and role=x1 (a test domain, Paravane's test_domains)
 * the two domains ping-pong over an interdomain channel and Dom0 measures
 * timer wake-up while domain 1 spins. Rendezvous by convention: domain 1's
 * first alloc_unbound port is 1; Dom0 retries bind_interdomain(1, 1).
 *
 * Output lines: "bench <what>: median N cycles" / "... median N us max M us".
 */
#include "guest.h"

const char test_name[] = "evbench";
const int test_styles = STYLE_DIRECT;

#define LOOP_RUNS   20000
#define PONG_RUNS   2000
#define YIELD_RUNS  2000
#define WAKE_RUNS   100
#define XPONG_RUNS  2000

static uint64_t samples[LOOP_RUNS];

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* ---- statistics ---------------------------------------------------- */

static void sort(uint64_t *v, unsigned n)
{
	static const unsigned gaps[] = { 4193, 1750, 701, 301, 132, 57, 23, 10, 4, 1 };

	for (unsigned g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++)
		for (unsigned i = gaps[g]; i < n; i++) {
			uint64_t x = v[i];
			unsigned j = i;
			for (; j >= gaps[g] && v[j - gaps[g]] > x; j -= gaps[g])
				v[j] = v[j - gaps[g]];
			v[j] = x;
		}
}

static uint64_t median(uint64_t *v, unsigned n)
{
	sort(v, n);
	return v[(n - 1) / 2];
}

/* TSC cycles -> ns with vCPU 0's time info (one TSC for all vCPUs). */
static uint64_t cycles_to_ns(uint64_t c)
{
	volatile struct vcpu_time_info *t = &shared_info->vcpu_info[0].time;
	int8_t shift = t->tsc_shift;

	if (shift >= 0)
		c <<= shift;
	else
		c >>= -shift;
	return (uint64_t)(((unsigned __int128)c * t->tsc_to_system_mul) >> 32);
}

/* System time (ns) of a TSC value, as system_time_ns() does for "now". */
static int64_t tsc_to_system_ns(uint64_t when)
{
	volatile struct vcpu_time_info *t = &shared_info->vcpu_info[0].time;
	uint64_t stamp, st;
	uint32_t v;

	do {
		v = t->version;
		__asm__ volatile("" ::: "memory");
		stamp = t->tsc_timestamp;
		st = t->system_time;
		__asm__ volatile("" ::: "memory");
	} while ((v & 1) || v != t->version);
	if (when >= stamp)
		return (int64_t)(st + cycles_to_ns(when - stamp));
	return (int64_t)(st - cycles_to_ns(stamp - when));
}

/* ---- events, per vCPU ---------------------------------------------- */

#define NCPU 2

struct vcpu_state {
	volatile uint64_t got;              /* ports taken, not yet consumed */
	volatile uint64_t port_tsc[64];     /* TSC at the upcall that took the port */
	volatile uint64_t upcalls;
	uint64_t ports;                     /* the ports this vCPU handles */
};
static struct vcpu_state cpu_state[NCPU];

/*
 * Callback entries, one per vCPU so each knows who it is. The frame the
 * hypervisor bounces: RCX, R11, RIP, CS, RFLAGS, RSP, SS; we leave through
 * guest_iret (entry.S).
 */
#define EVENT_ENTRY(n)                                                      \
	__asm__(".text\n"                                                   \
		".globl event_entry" #n "\n"                                \
		"event_entry" #n ":\n"                                      \
		"	popq %rcx\n	popq %r11\n"                           \
		"	pushq %rax\n	pushq %rbx\n	pushq %rcx\n	pushq %rdx\n" \
		"	pushq %rsi\n	pushq %rdi\n	pushq %rbp\n	pushq %r8\n"  \
		"	pushq %r9\n	pushq %r10\n	pushq %r11\n"              \
		"	movq %rsp, %rbx\n	andq $-16, %rsp\n"                \
		"	movl $" #n ", %edi\n	call bench_upcall\n"               \
		"	movq %rbx, %rsp\n"                                         \
		"	popq %r11\n	popq %r10\n	popq %r9\n	popq %r8\n"    \
		"	popq %rbp\n	popq %rdi\n	popq %rsi\n	popq %rdx\n"   \
		"	popq %rcx\n	popq %rbx\n	popq %rax\n"               \
		"	jmp guest_iret\n")
EVENT_ENTRY(0);
EVENT_ENTRY(1);
extern char event_entry0[], event_entry1[];

void bench_upcall(unsigned cpu);
void bench_upcall(unsigned cpu)
{
	uint64_t now = tsc();
	struct vcpu_state *s = &cpu_state[cpu];
	volatile struct vcpu_info *vi = &shared_info->vcpu_info[cpu];
	uint64_t bits;

	s->upcalls++;
	vi->evtchn_upcall_pending = 0;
	__atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	/* All our ports are below 64: word 0, only the ones bound to us. */
	bits = shared_info->evtchn_pending[0] & ~shared_info->evtchn_mask[0] & s->ports;
	while (bits) {
		unsigned b = __builtin_ctzll(bits);

		bits &= bits - 1;
		__atomic_fetch_and(&shared_info->evtchn_pending[0], ~(1ULL << b), __ATOMIC_SEQ_CST);
		s->port_tsc[b] = now;
		__atomic_fetch_or(&s->got, 1ULL << b, __ATOMIC_SEQ_CST);
	}
}

static void set_mask(unsigned cpu, int masked)
{
	shared_info->vcpu_info[cpu].evtchn_upcall_mask = (uint8_t)masked;
	__asm__ volatile("" ::: "memory");
}

static void own_port(unsigned cpu, evtchn_port_t port)
{
	if (port >= 64)
		panic("port %u: the bench handles ports below 64 only", port);
	cpu_state[cpu].ports |= 1ULL << port;
}

/* Block (events enabled) until `port` has been taken by our callback. */
static void wait_port(unsigned cpu, evtchn_port_t port)
{
	struct vcpu_state *s = &cpu_state[cpu];

	set_mask(cpu, 1);
	while (!(s->got & (1ULL << port))) {
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
		set_mask(cpu, 1);
	}
	__atomic_fetch_and(&s->got, ~(1ULL << port), __ATOMIC_SEQ_CST);
}

static long send(evtchn_port_t port)
{
	struct evtchn_send s = { .port = port };

	return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

static long register_callback(uint64_t entry)
{
	struct callback_register cb = {
		.type = CALLBACKTYPE_event,
		.flags = CALLBACKF_mask_events,
		.address = entry,
	};

	return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

/* ---- 1. loopback: send -> callback on one vCPU --------------------- */

static void bench_loopback(void)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };
	struct vcpu_state *s = &cpu_state[0];
	unsigned missed = 0;
	evtchn_port_t a, b;
	uint64_t t0, t1;

	EXPECT("loop_alloc_unbound", HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au), 0);
	a = au.port;
	bi.remote_port = a;
	EXPECT("loop_bind_interdomain", HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi), 0);
	b = bi.local_port;
	own_port(0, a);
	own_port(0, b);

	set_mask(0, 0);
	for (unsigned i = 0; i < LOOP_RUNS; i++) {
		s->port_tsc[a] = 0;
		t0 = tsc();
		send(b);
		t1 = s->port_tsc[a];
		if (!t1)
			missed++;
		samples[i] = t1 > t0 ? t1 - t0 : 0;
		__atomic_fetch_and(&s->got, ~(1ULL << a), __ATOMIC_SEQ_CST);
	}
	set_mask(0, 1);
	check(!missed, tname("loop_upcalls"), "%u of %u sends had no upcall", missed, LOOP_RUNS);
	gprintf("bench event loopback send to callback: median %lu cycles\n",
		median(samples, LOOP_RUNS));

	/* the same send with the port masked: the hypercall alone */
	shared_info->evtchn_mask[0] |= 1ULL << a;
	for (unsigned i = 0; i < LOOP_RUNS; i++) {
		t0 = tsc();
		send(b);
		t1 = tsc();
		samples[i] = t1 - t0;
	}
	gprintf("bench event send masked port: median %lu cycles\n", median(samples, LOOP_RUNS));
	shared_info->evtchn_mask[0] &= ~(1ULL << a);
	shared_info->evtchn_pending[0] &= ~(1ULL << a);
}

/* ---- the second vCPU ------------------------------------------------ */

enum { CMD_IDLE, CMD_PONG, CMD_SPIN, CMD_YIELD };
static volatile int vcpu1_cmd;
static volatile int vcpu1_running;
static volatile uint64_t vcpu1_count;
static evtchn_port_t ipi_to1, ipi_to0;   /* notify vCPU1, notify vCPU0 */

static uint8_t vcpu1_stack[16384] __attribute__((aligned(16)));

void vcpu1_main(void);
void vcpu1_main(void)
{
	set_mask(1, 1);
	HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 1, NULL);
	vcpu1_running = 1;
	for (;;) {
		wait_port(1, ipi_to1);
		switch (vcpu1_cmd) {
		case CMD_PONG:
			send(ipi_to0);
			break;
		case CMD_SPIN:
			while (vcpu1_cmd == CMD_SPIN)
				vcpu1_count++;
			break;
		case CMD_YIELD:
			while (vcpu1_cmd == CMD_YIELD) {
				HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
				vcpu1_count++;
			}
			break;
		}
	}
}

__asm__(".text\n"
	"vcpu1_start:\n"
	"	call vcpu1_main\n"
	"1:	ud2\n	jmp 1b\n");
extern char vcpu1_start[];

#define TRAP_STUBS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) \
	X(11) X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19) X(128)
#define DECL_STUB(v) extern char trap_stub_##v[];
TRAP_STUBS(DECL_STUB)

static long vcpu1_up(void)
{
	static struct vcpu_guest_context ctx;
	const uint64_t *p2m = (const uint64_t *)start_info->mfn_list;
	uint64_t l4_pfn = (start_info->pt_base - 0xffffffff80000000ULL) >> 12;
	long rc;

	memset(&ctx, 0, sizeof(ctx));
	ctx.flags = VGCF_in_kernel;
#define TRAP(v)                                                                  \
	ctx.trap_ctxt[v].vector = v;                                             \
	ctx.trap_ctxt[v].flags = (v == 3 || v == 4 || v == 128) ? 3 : 0;         \
	ctx.trap_ctxt[v].cs = FLAT_KERNEL_CS;                                    \
	ctx.trap_ctxt[v].address = (uint64_t)trap_stub_##v;
	TRAP_STUBS(TRAP)
	ctx.user_regs.rip = (uint64_t)vcpu1_start;
	ctx.user_regs.rsp = (uint64_t)(vcpu1_stack + sizeof(vcpu1_stack));
	ctx.user_regs.cs = FLAT_KERNEL_CS;
	ctx.user_regs.ss = FLAT_KERNEL_SS;
	ctx.user_regs.rflags = 0x202;
	ctx.kernel_ss = FLAT_KERNEL_SS;
	ctx.kernel_sp = ctx.user_regs.rsp;
	ctx.ctrlreg[3] = xen_pfn_to_cr3(p2m[l4_pfn]);
	ctx.event_callback_eip = (uint64_t)event_entry1;
	ctx.failsafe_callback_eip = (uint64_t)event_entry1;
	ctx.syscall_callback_eip = (uint64_t)event_entry1;
	rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctx);
	if (rc)
		return rc;
	return HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL);
}

/* Tell vCPU1 what to do next; it takes the command at its next wake-up. */
static void vcpu1_command(int cmd)
{
	vcpu1_cmd = cmd;
	__asm__ volatile("" ::: "memory");
	send(ipi_to1);
}

/* ---- 2/3. ping-pong and yield between the two vCPUs ------------------ */

static void bench_pingpong(void)
{
	struct vcpu_state *s1 = &cpu_state[1];
	static uint64_t one_way[PONG_RUNS];
	uint64_t t0, t1;

	vcpu1_cmd = CMD_PONG;
	wait_port(0, ipi_to0);   /* the warm-up ping's reply (sent by vcpu_pair_setup) */
	for (unsigned i = 0; i < PONG_RUNS; i++) {
		s1->port_tsc[ipi_to1] = 0;
		t0 = tsc();
		send(ipi_to1);
		wait_port(0, ipi_to0);
		t1 = tsc();
		samples[i] = t1 - t0;
		one_way[i] = s1->port_tsc[ipi_to1] > t0 ? s1->port_tsc[ipi_to1] - t0 : 0;
	}
	gprintf("bench vcpu ping-pong round trip: median %lu cycles\n", median(samples, PONG_RUNS));
	gprintf("bench vcpu event send to other vcpu callback: median %lu cycles\n",
		median(one_way, PONG_RUNS));
}

static void spin_ns(uint64_t ns)
{
	uint64_t end = system_time_ns() + ns;

	while (system_time_ns() < end)
		;
}

/*
 * Both vCPUs yield in turn. First right after vCPU1 was woken (both may
 * still hold the boost of their last wake-up), then after 30 ms of
 * spinning, which lets scheduler ticks clear the boosts: the timed phase.
 */
static void bench_yield(void)
{
	uint64_t t0, t1, before;

	vcpu1_command(CMD_YIELD);
	before = vcpu1_count;
	for (unsigned i = 0; i < 200; i++)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	gprintf("bench vcpu yield just after wake: vcpu1 ran %lu times in 200 yields\n",
		vcpu1_count - before);
	spin_ns(30000000);
	before = vcpu1_count;
	for (unsigned i = 0; i < YIELD_RUNS; i++) {
		t0 = tsc();
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		t1 = tsc();
		samples[i] = t1 - t0;
	}
	gprintf("bench vcpu yield round trip: median %lu cycles (vcpu1 ran %lu times in %u yields)\n",
		median(samples, YIELD_RUNS), vcpu1_count - before, YIELD_RUNS);
	vcpu1_cmd = CMD_IDLE;
}

/* ---- 5. timer wake-up: deadline -> VIRQ_TIMER callback ---------------- */

static void bench_wake(const char *what, evtchn_port_t timer_port)
{
	struct vcpu_state *s = &cpu_state[0];
	struct vcpu_set_singleshot_timer st = { .flags = 0 };
	uint64_t max = 0, med;
	unsigned over_1ms = 0;
	long rc = 0;

	for (unsigned i = 0; i < WAKE_RUNS; i++) {
		/* 1 to 3 ms ahead, not in step with any tick */
		uint64_t deadline = system_time_ns() + 1000000 + (i * 197531ULL) % 2000000;
		int64_t late;

		st.timeout_abs_ns = deadline;
		rc |= HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st);
		wait_port(0, timer_port);
		late = tsc_to_system_ns(s->port_tsc[timer_port]) - (int64_t)deadline;
		samples[i] = late > 0 ? (uint64_t)late : 0;
		if (samples[i] > max)
			max = samples[i];
		over_1ms += samples[i] > 1000000;
	}
	check(!rc, tname("wake_set_timer"), "set_singleshot_timer failed");
	med = median(samples, WAKE_RUNS);   /* sorts: p90 after it */
	gprintf("bench timer wake %s: median %lu us p90 %lu us max %lu us (%u of %u over 1 ms)\n",
		what, med / 1000, samples[WAKE_RUNS * 9 / 10] / 1000, max / 1000, over_1ms, WAKE_RUNS);
}

static evtchn_port_t bind_timer(void)
{
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };

	HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
	EXPECT("bind_virq_timer", HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), 0);
	own_port(0, bv.port);
	return bv.port;
}

static void single_domain(void)
{
	struct evtchn_bind_ipi ipi = { .vcpu = 1 };
	evtchn_port_t timer_port;
	long rc;

	bench_loopback();
	timer_port = bind_timer();
	bench_wake("vcpu1 idle", timer_port);

	rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &ipi);
	if (rc) {
		gprintf("bench vcpu: skipped (no second vCPU: bind_ipi %ld)\n", rc);
		return;
	}
	ipi_to1 = ipi.port;
	ipi.vcpu = 0;
	EXPECT("bind_ipi_vcpu0", HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &ipi), 0);
	ipi_to0 = ipi.port;
	own_port(1, ipi_to1);
	own_port(0, ipi_to0);
	rc = vcpu1_up();
	if (rc) {
		gprintf("bench vcpu: skipped (vCPU1 did not come up: %ld)\n", rc);
		return;
	}
	EXPECT("vcpu1_up", rc, 0);
	vcpu1_cmd = CMD_PONG;
	send(ipi_to1);           /* warm-up ping; bench_pingpong takes the reply */
	bench_pingpong();
	bench_yield();

	vcpu1_command(CMD_SPIN);
	HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	bench_wake("vcpu1 spinning", timer_port);
	vcpu1_cmd = CMD_IDLE;
	check(vcpu1_count > 0, tname("vcpu1_ran"), "vCPU1 never counted");
	gprintf("bench vcpu1 spin/yield iterations: %lu\n", vcpu1_count);
}

/* ---- cross-domain: role=x0 (Dom0) and role=x1 (domain 1) -------------- */

static void cross_dom0(void)
{
	struct evtchn_bind_interdomain bi = { .remote_dom = 1, .remote_port = 1 };
	evtchn_port_t port, timer_port;
	unsigned tries = 0;
	uint64_t t0;
	long rc;

	while ((rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi)) != 0 &&
	       ++tries < 100000)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	EXPECT("x_bind_interdomain", rc, 0);
	if (rc)
		return;
	port = bi.local_port;
	own_port(0, port);
	timer_port = bind_timer();

	send(port);              /* warm-up: domain 1 is now in its loop */
	wait_port(0, port);
	bench_wake("domain1 idle", timer_port);

	for (unsigned i = 0; i < XPONG_RUNS; i++) {
		t0 = tsc();
		send(port);
		wait_port(0, port);
		samples[i] = tsc() - t0;
	}
	gprintf("bench domain ping-pong round trip: median %lu cycles\n",
		median(samples, XPONG_RUNS));
	/* domain 1 spins from now on */
	bench_wake("domain1 spinning", timer_port);
}

static void cross_dom1(void)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = 0 };
	volatile uint64_t spins = 0;

	if (HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au) || au.port != 1)
		panic("domain 1: alloc_unbound gave port %u, the rendezvous needs 1", au.port);
	own_port(0, au.port);
	for (unsigned i = 0; i < 1 + XPONG_RUNS; i++) {
		wait_port(0, au.port);
		send(au.port);
	}
	for (;;)             /* until Dom0's end stops the machine */
		spins++;
}

static const char *role(void)
{
	const char *c = (const char *)start_info->cmd_line;

	for (; *c; c++)
		if (strncmp(c, "role=", 5) == 0)
			return c + 5;
	return "";
}

void test_main(void)
{
	EXPECT("register_callback", register_callback((uint64_t)event_entry0), 0);
	if (strncmp(role(), "x0", 2) == 0)
		cross_dom0();
	else if (strncmp(role(), "x1", 2) == 0)
		cross_dom1();
	else
		single_domain();
	gprintf("bench tsc: 1000000 cycles = %lu ns\n", cycles_to_ns(1000000));
}
