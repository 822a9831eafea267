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

static long set_cap(domid_t id, uint16_t cap)
{
	memset(&domu_op.u, 0, sizeof(domu_op.u));
	domu_op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
	domu_op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
	domu_op.u.scheduler_op.u.credit.weight = 0;   /* as it is */
	domu_op.u.scheduler_op.u.credit.cap = cap;
	return domu_domctl(XEN_DOMCTL_scheduler_op, id);
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
}
