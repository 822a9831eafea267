/*
 * xsave - FPU/SSE/AVX state of a PV guest: the CPUID view (leaf 1 XSAVE,
 * OSXSAVE and AVX; leaf 0xD), CR4.OSXSAVE, XSETBV with good and bad values,
 * XGETBV, and that each vCPU's registers (YMM upper halves included)
 * survive the hypervisor switching between two vCPUs that both use them.
 *
 * The same kernel runs on a CPU with XSAVE and AVX (QEMU -cpu ...,+xsave,
 * +avx) and on plain qemu64 (FXSAVE only); its command line says which
 * to expect, so a lost CPU flag fails instead of skipping:
 *   xsave=avx    XSAVE, OSXSAVE (enlightened view), AVX, leaf 0xD for x87|SSE|AVX
 *   xsave=none   no XSAVE: leaf 0xD empty, CR4.OSXSAVE ignored, XSETBV #UD
 * Needs a second vCPU: boot with dom0_max_vcpus=2. With `domains` on the
 * command line it instead runs as one of two single-vCPU domains
 * (Paravane's test_domains) that yield to each other: see check_domains().
 */
#include "guest.h"

const char test_name[] = "xsave";
const int test_styles = STYLE_PAGE;   /* vCPU 1 uses the hypercall page */

#define CR4_OSXSAVE   (1ULL << 18)
#define L1_XSAVE      (1u << 26)
#define L1_OSXSAVE    (1u << 27)
#define L1_AVX        (1u << 28)
#define NREGS         16
#define SWITCHES      200        /* vCPU0 <-> vCPU1 round trips to check */
#define TIMEOUT_NS    60000000000ULL
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define EXPECT_HEX(name, got, want) check_eq_hex(tname(name), (got), (want))

extern char event_entry[];

static int want_avx;   /* 1: xsave=avx, 0: xsave=none */

/* ---- registers ------------------------------------------------------ */

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

/* XSETBV; returns the vector it raised, or -1 if none. */
static long try_xsetbv(uint32_t ecx, uint64_t val)
{
	trap_reset();
	EXPECT_FAULT("xsetbv", :: "c"(ecx), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)));
	return last_trap.count ? (long)last_trap.vector : -1;
}

/* Fill / dump all 16 vector registers: YMM with AVX, else XMM. */
static void load_regs(const uint8_t *buf, int avx)
{
	if (avx)
		__asm__ volatile(".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
				 "vmovdqu \\r*32(%0), %%ymm\\r\n.endr" :: "r"(buf) : "memory");
	else
		__asm__ volatile(".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
				 "movdqu \\r*32(%0), %%xmm\\r\n.endr" :: "r"(buf) : "memory");
}

static void store_regs(uint8_t *buf, int avx)
{
	if (avx)
		__asm__ volatile(".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
				 "vmovdqu %%ymm\\r, \\r*32(%0)\n.endr" :: "r"(buf) : "memory");
	else
		__asm__ volatile(".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
				 "movdqu %%xmm\\r, \\r*32(%0)\n.endr" :: "r"(buf) : "memory");
}

/* Register r of vCPU `who`: low 16 bytes one value, high 16 another. */
static void make_pattern(uint8_t *buf, unsigned who)
{
	for (unsigned r = 0; r < NREGS; r++)
		for (unsigned b = 0; b < 32; b++)
			buf[r * 32 + b] = (uint8_t)((who ? 0x80 : 0) + (b < 16 ? 0x10 : 0x40) + r + b);
}

/* Bytes that differ (only the low 16 of each register without AVX). */
static unsigned diff_regs(const uint8_t *a, const uint8_t *b, int avx)
{
	unsigned n = 0;

	for (unsigned r = 0; r < NREGS; r++)
		for (unsigned i = 0; i < (avx ? 32u : 16u); i++)
			n += a[r * 32 + i] != b[r * 32 + i];
	return n;
}

/* ---- vCPU 1 --------------------------------------------------------- */

static struct vcpu_guest_context v1_ctxt;
static uint8_t v1_stack[16384] __attribute__((aligned(16)));
static volatile int v1_go, v1_stop, v1_ready;
static volatile unsigned long v1_rounds, v1_bad;
static volatile uint64_t v1_xcr0;

static void __attribute__((noreturn, used)) vcpu1_main(void)
{
	static uint8_t want[NREGS * 32], got[NREGS * 32];
	int avx = want_avx;

	if (avx) {
		/* CR4 and XCR0 are per vCPU: this one enables AVX for itself */
		write_cr4(read_cr4() | CR4_OSXSAVE);
		__asm__ volatile("xsetbv" :: "c"(0), "a"(7), "d"(0));
		v1_xcr0 = xgetbv0();
	}
	make_pattern(want, 1);
	load_regs(want, avx);
	v1_ready = 1;
	while (!v1_stop) {
		if (v1_go) {
			store_regs(got, avx);
			if (diff_regs(got, want, avx))
				v1_bad++;
			v1_rounds++;
		}
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL);
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

static long start_vcpu1(void)
{
	struct vcpu_guest_context *c = &v1_ctxt;
	uint64_t cr3;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	vcpu_context_init(c, vcpu1_main, v1_stack + sizeof(v1_stack), cr3, event_entry);
	shared_info->vcpu_info[1].evtchn_upcall_mask = 1;   /* no events wanted here */
	long rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, c);
	if (rc)
		return rc;
	return HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL);
}

/* ---- checks on vCPU 0 ------------------------------------------------ */

static void check_cpuid(void)
{
	uint32_t r[4], d0[4], d1[4], d2[4];

	cpuid_pv(1, 0, r);
	check(!!(r[2] & L1_XSAVE) == want_avx, "cpuid1_xsave", "ecx %#x", r[2]);
	check(!!(r[2] & L1_AVX) == want_avx, "cpuid1_avx", "ecx %#x", r[2]);
	/* The enlightened view leaks the hypervisor's OSXSAVE before the
	 * guest sets its own: Xen's PV ABI, what Linux's xen_check_xsave() reads. */
	check(!!(r[2] & L1_OSXSAVE) == want_avx, "cpuid1_osxsave_enlightened", "ecx %#x", r[2]);

	cpuid_pv(0xd, 0, d0);
	cpuid_pv(0xd, 1, d1);
	cpuid_pv(0xd, 2, d2);
	if (!want_avx) {
		check(!(d0[0] | d0[1] | d0[2] | d0[3]), "cpuid_d0_empty", "%#x %#x %#x %#x",
		      d0[0], d0[1], d0[2], d0[3]);
		check(!(d2[0] | d2[1]), "cpuid_d2_empty", "%#x %#x", d2[0], d2[1]);
		return;
	}
	EXPECT("cpuid_d0_xcr0_lo", d0[0], 7);
	EXPECT("cpuid_d0_xcr0_hi", d0[3], 0);
	EXPECT("cpuid_d0_max_size", d0[2], 576 + 256);
	EXPECT("cpuid_d2_ymm_size", d2[0], 256);
	EXPECT("cpuid_d2_ymm_offset", d2[1], 576);
	check(!(d1[0] & (1u << 3)), "cpuid_d1_no_xsaves", "eax %#x", d1[0]);
}

static void check_xcr0(void)
{
	uint32_t d0[4];
	uint64_t cr4 = read_cr4();

	check(!(cr4 & CR4_OSXSAVE), "cr4_osxsave_clear_at_boot", "cr4 %#lx", cr4);
	EXPECT("xsetbv_before_osxsave_ud", try_xsetbv(0, 3), 6);

	write_cr4(cr4 | CR4_OSXSAVE);
	cr4 = read_cr4();
	if (!want_avx) {
		check(!(cr4 & CR4_OSXSAVE), "cr4_osxsave_ignored", "cr4 %#lx", cr4);
		EXPECT("xsetbv_no_xsave_ud", try_xsetbv(0, 3), 6);
		return;
	}
	check(cr4 & CR4_OSXSAVE, "cr4_osxsave_set", "cr4 %#lx", cr4);
	cpuid_pv(1, 0, d0);
	check(d0[2] & L1_OSXSAVE, "cpuid1_osxsave_after_cr4", "ecx %#x", d0[2]);

	EXPECT("xsetbv_3", try_xsetbv(0, 3), -1);
	EXPECT_HEX("xgetbv_3", xgetbv0(), 3);
	cpuid_pv(0xd, 0, d0);
	EXPECT("cpuid_d0_size_xcr0_3", d0[1], 576);

	EXPECT("xsetbv_7", try_xsetbv(0, 7), -1);
	EXPECT_HEX("xgetbv_7", xgetbv0(), 7);
	cpuid_pv(0xd, 0, d0);
	EXPECT("cpuid_d0_size_xcr0_7", d0[1], 576 + 256);

	/* bad values: #GP(0), XCR0 unchanged */
	static const struct { const char *name; uint32_t ecx; uint64_t val; } bad[] = {
		{ "xsetbv_no_x87_gp", 0, 2 },
		{ "xsetbv_zero_gp", 0, 0 },
		{ "xsetbv_avx_without_sse_gp", 0, 5 },
		{ "xsetbv_bndregs_gp", 0, 0xf },          /* MPX: not offered */
		{ "xsetbv_avx512_gp", 0, 0xe7 },          /* not offered by this CPU */
		{ "xsetbv_pkru_gp", 0, 0x207 },
		{ "xsetbv_bit63_gp", 0, 7 | (1ULL << 63) },
		{ "xsetbv_xcr1_gp", 1, 7 },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		long vec = try_xsetbv(bad[i].ecx, bad[i].val);
		check(vec == 13 && last_trap.error_code == 0, bad[i].name, "vector %ld err %#lx",
		      vec, last_trap.error_code);
	}
	EXPECT_HEX("xgetbv_after_bad_still_7", xgetbv0(), 7);
}

/*
 * Both vCPUs load their own values into all 16 registers and yield to
 * each other SWITCHES times; each checks its registers after every
 * switch. With AVX the upper YMM halves must survive too, which FXSAVE
 * alone would not preserve.
 */
static void check_switching(void)
{
	static uint8_t want[NREGS * 32], got[NREGS * 32];
	unsigned long seen, switches = 0, bad = 0;
	uint64_t deadline;
	long rc;

	EXPECT("vcpu1_exists", HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
	rc = start_vcpu1();
	EXPECT("vcpu1_up", rc, 0);
	if (rc)
		return;
	deadline = system_time_ns() + TIMEOUT_NS;
	while (!v1_ready && system_time_ns() < deadline)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	EXPECT("vcpu1_ready", v1_ready, 1);
	if (want_avx)
		EXPECT_HEX("vcpu1_own_xcr0", v1_xcr0, 7);

	make_pattern(want, 0);
	load_regs(want, want_avx);
	v1_go = 1;
	seen = v1_rounds;
	while (switches < SWITCHES && system_time_ns() < deadline) {
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		if (v1_rounds == seen)
			continue;          /* vCPU 1 did not run in between */
		seen = v1_rounds;
		switches++;
		store_regs(got, want_avx);
		if (diff_regs(got, want, want_avx))
			bad++;
	}
	v1_go = 0;
	EXPECT("switches_seen", switches, SWITCHES);
	EXPECT("vcpu0_regs_kept", bad, 0);
	EXPECT("vcpu1_regs_kept", v1_bad, 0);
	check(v1_rounds >= SWITCHES, "vcpu1_rounds", "%lu rounds", v1_rounds);

	if (!want_avx)
		return;
	/*
	 * XCR0 is per vCPU: with ours at x87|SSE, AVX is #UD here while
	 * vCPU 1 (XCR0 7) keeps using it between our checks.
	 */
	EXPECT("xsetbv_3_again", try_xsetbv(0, 3), -1);
	v1_go = 1;
	for (unsigned i = 0; i < 20; i++)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	EXPECT_HEX("xgetbv_own_after_switches", xgetbv0(), 3);
	trap_reset();
	EXPECT_FAULT("vmovdqu %%ymm0, (%0)", :: "r"(got) : "memory");
	EXPECT("avx_ud_with_xcr0_3", last_trap.count ? (long)last_trap.vector : -1, 6);
	/*
	 * Load our state while our XCR0 lacks AVX (SSE still works), right
	 * after vCPU 1 had its YMM values in the registers, then turn AVX back
	 * on: the upper halves must be ours. A hypervisor that saved and
	 * loaded only what the guest's XCR0 names would show vCPU 1's.
	 */
	seen = v1_rounds;
	while (v1_rounds == seen && system_time_ns() < deadline)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	store_regs(got, 0);
	EXPECT("xsetbv_7_again", try_xsetbv(0, 7), -1);
	store_regs(got, 1);
	EXPECT("ymm_kept_while_avx_off", diff_regs(got, want, 1), 0);
	v1_go = 0;
	EXPECT("vcpu1_regs_kept_2", v1_bad, 0);
}

/*
 * Two domains, one vCPU each, yielding to each other for DOMAINS_NS. Dom0
 * uses AVX (XCR0 7); the other keeps AVX off (XCR0 3) and only uses SSE,
 * then turns AVX on at the end: its upper YMM halves must be its own
 * initial zeros, never what Dom0 left in the registers.
 */
#define DOMAINS_NS 3000000000ULL

static uint64_t runnable_ns(void)
{
	struct vcpu_runstate_info rs;

	if (HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &rs))
		return 0;
	return rs.time[RUNSTATE_runnable];
}

static void check_domains(void)
{
	static uint8_t want[NREGS * 32], got[NREGS * 32];
	int dom0 = !!(start_info->flags & SIF_INITDOMAIN);
	unsigned long switches = 0, bad = 0;
	uint64_t waited = runnable_ns(), end = system_time_ns() + DOMAINS_NS;

	if (!dom0)
		EXPECT("domU_xsetbv_3", try_xsetbv(0, 3), -1);
	make_pattern(want, !dom0);
	load_regs(want, dom0);
	while (system_time_ns() < end) {
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		if (runnable_ns() == waited)
			continue;          /* the other domain did not run in between */
		waited = runnable_ns();
		switches++;
		store_regs(got, dom0);
		if (diff_regs(got, want, dom0))
			bad++;
	}
	check(switches >= 50, tname("domains_switches"), "%lu switches", switches);
	EXPECT("domains_regs_kept", bad, 0);
	if (dom0) {
		/* let the other domain finish and report first */
		end = system_time_ns() + DOMAINS_NS / 2;
		while (system_time_ns() < end)
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		return;
	}
	EXPECT("domU_xsetbv_7", try_xsetbv(0, 7), -1);
	store_regs(got, 1);
	/* lower halves: the pattern; upper halves: zero */
	for (unsigned r = 0; r < NREGS; r++)
		memset(want + r * 32 + 16, 0, 16);
	EXPECT("domU_ymm_upper_own_zero", diff_regs(got, want, 1), 0);
}

static int cmdline_has(const char *word)
{
	const char *s = (const char *)start_info->cmd_line;
	size_t n = strlen(word);

	for (; *s; s++)
		if (strncmp(s, word, n) == 0)
			return 1;
	return 0;
}

void test_main(void)
{
	if (cmdline_has("xsave=avx"))
		want_avx = 1;
	else if (!cmdline_has("xsave=none"))
		panic("command line '%s' says neither xsave=avx nor xsave=none", start_info->cmd_line);
	gprintf("xsave: expecting %s\n", want_avx ? "XSAVE and AVX" : "no XSAVE (FXSAVE only)");
	check_cpuid();
	check_xcr0();
	if (cmdline_has("domains")) {
		check_domains();
		return;
	}
	check_switching();
	v1_stop = 1;
}
