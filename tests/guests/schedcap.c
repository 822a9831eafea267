/*
 * schedcap - a credit cap on a running domain (XEN_DOMCTL_scheduler_op
 * putinfo, credit scheduler: Xen is booted with sched=credit). Dom0 builds
 * a DomU whose one vCPU spins (lib/domu.c) and reads its CPU time
 * (getdomaininfo cpu_time) over windows of its own system time, yielding
 * meanwhile; the machine has two CPUs.
 *
 *   uncapped   the DomU runs about all the time (a CPU of its own)
 *   just_capped  in the first 300 ms after a cap of 50 is set, after more
 *              than a second uncapped, it still runs
 *   capped     over the next second it gets about half a CPU: not none
 *              (Paravane once charged an uncapped domain for all its time
 *              and parked it for seconds once capped: 0% here), not all
 *              (Paravane once held a cap only while another vCPU wanted
 *              the CPU: 99% here; a cap holds even if the CPU idles, as on
 *              Xen)
 *   uncapped_again  cap 0: all the time again
 *
 * Then no DomU may starve Dom0 or another DomU beyond its weight and cap
 * (issue 19): a DomU spinning on two vCPUs (more vCPUs than CPUs with
 * Dom0's) while Dom0 spins too, without yielding, and measures its own
 * share; then a second DomU spinning on one vCPU while Dom0 idles. Each
 * domain is entitled to its weight's part of the two CPUs, but neither
 * hypervisor's credit scheduler shares exactly by domain (3 vCPUs on 2
 * CPUs come out nearer a third each), so the bounds are what no
 * starvation means on both; the shares are printed (loaded host, two
 * runs: Xen 4.17 73/126, 28/171, 95/35, 131/53, 174/24; Paravane 68/131,
 * 67/132, 81/48, 126/72, 167/29, in the order below).
 *
 *   dom0_equal_weight      weights 256 each: Dom0 (entitled to a CPU)
 *                          keeps at least 40% (Xen 4.17 gave it 54% at a
 *                          load average of 22)
 *   dom0_heavier_domu      the DomU at weight 1024: Dom0 (entitled to
 *                          256/1280 of two CPUs, 40%) keeps at least 15%
 *                          and the DomU runs
 *   dom0_capped_domu       the DomU at cap 50 (half a CPU for both its
 *                          vCPUs): Dom0 at least 50%, the DomU at most 65%
 *                          (Paravane gave it 56% with two CPU hogs on the
 *                          host; Xen 4.17 then 75%, and 26% in the first
 *                          check's cap 50: its caps drift under host load,
 *                          so only Paravane runs this under load)
 *   domu_vs_domu           the one-vCPU DomU beside the two-vCPU one,
 *                          equal weights, Dom0 idle: at least 40% for it,
 *                          80% for the other
 *   domu_capped_vs_domu    the one-vCPU DomU capped at 30: at most 45%;
 *                          the other gets the rest (work conserving)
 */
#include "domu.h"

const char test_name[] = "schedcap";
const int test_styles = STYLE_DIRECT;   /* one DomU: run once */

#define PAGES 16

/* spins forever, events masked */
extern const uint8_t payload_start[], payload_end[];
__asm__(".pushsection .rodata\n"
	"payload_start:\n"
	"1:	pause\n"
	"	jmp 1b\n"
	"payload_end:\n"
	".popsection\n");

static uint64_t mfns[PAGES];
static struct vcpu_guest_context ctx;

static uint64_t cpu_time(domid_t id)
{
	return domu_info(id) ? 0 : domu_op.u.getdomaininfo.cpu_time;
}

/* The DomU's share of the next `ms` of system time, in percent */
static unsigned share(domid_t id, unsigned ms)
{
	uint64_t c0 = cpu_time(id), t0 = system_time_ns(), c1, t1;

	domu_spin_ms(ms);
	c1 = cpu_time(id);
	t1 = system_time_ns();
	return t1 > t0 && c1 >= c0 ? (unsigned)((c1 - c0) * 100 / (t1 - t0)) : 0;
}

/* weight 0: as it is */
static long set_credit(domid_t id, uint16_t weight, uint16_t cap)
{
	memset(&domu_op.u, 0, sizeof(domu_op.u));
	domu_op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
	domu_op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
	domu_op.u.scheduler_op.u.credit.weight = weight;
	domu_op.u.scheduler_op.u.credit.cap = cap;
	return domu_domctl(XEN_DOMCTL_scheduler_op, id);
}

static long set_cap(domid_t id, uint16_t cap) { return set_credit(id, 0, cap); }

/* A DomU of `vcpus` vCPUs running the spinning payload; 0 if it could not be built. */
static domid_t spinner(struct domu *u, uint64_t *frames, unsigned vcpus)
{
	char data[8] = { 0 };

	if (!domu_create(u, frames, PAGES, vcpus) ||
	    !domu_load(u, payload_start, payload_end - payload_start, data, sizeof(data), 0))
		return 0;
	for (unsigned v = 0; v < vcpus; v++) {
		domu_context(&ctx, u, v);
		if (domu_set_context(u->id, v, &ctx))
			return 0;
	}
	return domu_simple(XEN_DOMCTL_unpausedomain, u->id) ? 0 : u->id;
}

/*
 * Shares of a CPU (percent) over the next `ms` of system time: Dom0's in
 * sh[0] and domains a's and b's (0: none) in sh[1], sh[2]. Dom0 spins
 * without yielding when `busy` (it competes), else it yields throughout.
 */
static void shares(domid_t a, domid_t b, unsigned ms, int busy, unsigned sh[3])
{
	domid_t ids[3] = { 0, a, b };
	uint64_t c0[3], c1[3], t0, t1;

	for (int i = 0; i < 3; i++)
		c0[i] = i && !ids[i] ? 0 : cpu_time(ids[i]);
	t0 = system_time_ns();
	if (busy) {
		while (system_time_ns() < t0 + ms * 1000000ULL)
			__asm__ volatile("pause");
	} else {
		domu_spin_ms(ms);
	}
	for (int i = 0; i < 3; i++)
		c1[i] = i && !ids[i] ? 0 : cpu_time(ids[i]);
	t1 = system_time_ns();
	for (int i = 0; i < 3; i++)
		sh[i] = t1 > t0 && c1[i] >= c0[i] ? (unsigned)((c1[i] - c0[i]) * 100 / (t1 - t0)) : 0;
}

static uint64_t mfns_a[PAGES], mfns_b[PAGES];

/* No DomU takes Dom0's or another DomU's CPU beyond its weight and cap. */
static void test_starvation(void)
{
	uint64_t before = domu_free_pages(), after = 0;
	struct domu a = { 0 }, b = { 0 };
	unsigned eq[3], heavy[3], capped[3], dd[3], ddc[3];

	if (!spinner(&a, mfns_a, 2)) {
		fail(tname("starve_build_a"), "the two-vCPU DomU could not be built");
		goto out;
	}
	domu_spin_ms(300);
	shares(a.id, 0, 1000, 1, eq);
	EXPECT("starve_weight_1024", set_credit(a.id, 1024, 0), 0);
	domu_spin_ms(200);
	shares(a.id, 0, 1500, 1, heavy);
	EXPECT("starve_weight_256_cap_50", set_credit(a.id, 256, 50), 0);
	domu_spin_ms(200);
	shares(a.id, 0, 1000, 1, capped);
	EXPECT("starve_uncap", set_cap(a.id, 0), 0);
	if (!spinner(&b, mfns_b, 1)) {
		fail(tname("starve_build_b"), "the one-vCPU DomU could not be built");
		goto out;
	}
	domu_spin_ms(300);
	shares(a.id, b.id, 1500, 0, dd);
	EXPECT("starve_cap_b_30", set_cap(b.id, 30), 0);
	domu_spin_ms(200);
	shares(a.id, b.id, 1500, 0, ddc);
	gprintf("schedcap: shares (Dom0/DomU A of 2 vCPUs/DomU B of 1): equal weights %u/%u, A weight 1024 %u/%u, "
		"A cap 50 %u/%u; Dom0 idle: A/B %u/%u, B cap 30 %u/%u\n", eq[0], eq[1], heavy[0], heavy[1],
		capped[0], capped[1], dd[1], dd[2], ddc[1], ddc[2]);
	check(eq[0] >= 40, tname("dom0_equal_weight"), "Dom0 %u%%, DomU %u%%", eq[0], eq[1]);
	check(heavy[0] >= 15 && heavy[1] >= 100, tname("dom0_heavier_domu"),
	      "Dom0 %u%% (entitled to 40%%), DomU %u%%", heavy[0], heavy[1]);
	check(capped[0] >= 50 && capped[1] <= 65, tname("dom0_capped_domu"), "Dom0 %u%%, DomU %u%% (cap 50)",
	      capped[0], capped[1]);
	check(dd[2] >= 40 && dd[1] >= 80, tname("domu_vs_domu"), "A %u%%, B %u%%", dd[1], dd[2]);
	check(ddc[2] <= 45 && ddc[1] >= 140, tname("domu_capped_vs_domu"), "A %u%%, B %u%% (cap 30)", ddc[1],
	      ddc[2]);
out:
	if (b.id)
		EXPECT("starve_destroy_b", domu_simple(XEN_DOMCTL_destroydomain, b.id), 0);
	if (a.id) {
		EXPECT("starve_destroy_a", domu_destroy_wait(a.id, before, 2000, &after), 0);
		check(domu_free_back(before, after), tname("starve_free_back"), "%lu before, %lu after",
		      (unsigned long)before, (unsigned long)after);
	}
}

void test_main(void)
{
	uint64_t before = domu_free_pages(), after = 0;
	unsigned s0, s1, s2, s3;
	struct domu u;
	char data[8] = { 0 };

	if (!domu_create(&u, mfns, PAGES, 1) ||
	    !domu_load(&u, payload_start, payload_end - payload_start, data, sizeof(data), 0)) {
		fail(tname("build"), "the DomU could not be built");
		goto out;
	}
	domu_context(&ctx, &u, 0);
	EXPECT("start_context", domu_set_context(u.id, 0, &ctx), 0);
	EXPECT("unpause", domu_simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	domu_spin_ms(700);
	s0 = share(u.id, 500);
	EXPECT("set_cap_50", set_cap(u.id, 50), 0);
	s1 = share(u.id, 300);
	s2 = share(u.id, 1000);
	EXPECT("set_cap_0", set_cap(u.id, 0), 0);
	s3 = share(u.id, 500);
	gprintf("schedcap: DomU's share of a CPU: uncapped %u%%, first 300 ms capped at 50 %u%%, "
		"next second %u%%, uncapped again %u%%\n", s0, s1, s2, s3);
	check(s0 >= 70, tname("uncapped"), "%u%%", s0);
	check(s1 >= 10, tname("just_capped"), "%u%% (parked: debt from its uncapped time?)", s1);
	check(s2 >= 30 && s2 <= 70, tname("capped"), "%u%%, cap 50", s2);
	check(s3 >= 70, tname("uncapped_again"), "%u%%", s3);
out:
	if (u.id) {
		EXPECT("destroy", domu_destroy_wait(u.id, before, 2000, &after), 0);
		check(domu_free_back(before, after), tname("free_back"), "%lu before, %lu after",
		      (unsigned long)before, (unsigned long)after);
	}
	test_starvation();
}
