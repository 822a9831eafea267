/*
 * watchdog - SCHEDOP_watchdog on the calling domain (here Dom0): two
 * watchdogs per domain, ids handed out from 1 (-ENOSPC when both are in
 * use), re-armed by id, destroyed by a timeout of 0, unknown ids -EINVAL;
 * a 1 s watchdog kept alive by re-arming every 200 ms for 3 s does not
 * fire. Last, after the summary line, a 1 s watchdog is left to expire:
 * the runner (GUEST_EXPECT) requires the hypervisor to report that it
 * fired and that the domain shut down with the watchdog reason.
 */
#include "guest.h"

const char test_name[] = "watchdog";
const int test_styles = STYLE_DIRECT;

static long wd(uint32_t id, uint32_t timeout)
{
	struct sched_watchdog w = { .id = id, .timeout = timeout };

	return HYPERVISOR_sched_op(SCHEDOP_watchdog, &w);
}

static void sleep_ms(uint64_t ms)
{
	struct sched_poll p = { .nr_ports = 0, .timeout = system_time_ns() + ms * 1000000 };

	while (system_time_ns() < p.timeout)
		HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

static void ids(void)
{
	EXPECT("create_1", wd(0, 60), 1);
	EXPECT("create_2", wd(0, 60), 2);
	/*
	 * Xen 4.17 returns -ENOSPC as a 32-bit unsigned value (4294967268);
	 * Linux's xen_wdt keeps the result in an int, where both are -ENOSPC.
	 */
	EXPECT("create_3_no_space", (int)wd(0, 60), -XEN_ENOSPC);
	EXPECT("rearm_1", wd(1, 60), 0);
	EXPECT("rearm_2", wd(2, 30), 0);
	EXPECT("id_3", wd(3, 60), -XEN_EINVAL);
	EXPECT("id_3_destroy", wd(3, 0), -XEN_EINVAL);
	EXPECT("id_64", wd(64, 60), -XEN_EINVAL);
	EXPECT("destroy_2", wd(2, 0), 0);
	EXPECT("destroy_2_again", wd(2, 0), -XEN_EINVAL);
	EXPECT("rearm_destroyed", wd(2, 60), -XEN_EINVAL);
	EXPECT("create_reuses_2", wd(0, 60), 2);
	EXPECT("destroy_1", wd(1, 0), 0);
	EXPECT("create_reuses_1", wd(0, 60), 1);
	EXPECT("destroy_1_again", wd(1, 0), 0);
	EXPECT("destroy_2_last", wd(2, 0), 0);
	EXPECT("null_arg", HYPERVISOR_sched_op(SCHEDOP_watchdog, NULL), -XEN_EFAULT);
	EXPECT("bad_arg", HYPERVISOR_sched_op(SCHEDOP_watchdog, (void *)0xffff800000000000ULL), -XEN_EFAULT);
}

/* Re-armed in time, a 1 s watchdog never fires: we are still here after 3 s. */
static void kept_alive(void)
{
	long id = wd(0, 1);
	int ok = id == 1;

	EXPECT("keepalive_create", id, 1);
	for (unsigned i = 0; i < 15 && ok; i++) {
		sleep_ms(200);
		ok &= wd(1, 1) == 0;
	}
	check(ok, tname("keepalive_3s"), "a re-arm failed");
	EXPECT("keepalive_destroy", wd(1, 0), 0);
	sleep_ms(1500);   /* destroyed: it does not fire either */
	pass(tname("destroyed_does_not_fire"));
}

void test_main(void)
{
	ids();
	kept_alive();
}

/*
 * After the summary: arm one and wait for it. The domain is shut down with
 * SHUTDOWN_watchdog; on Xen and Paravane alike Dom0's end stops the machine.
 */
void test_after_summary(void)
{
	struct sched_poll p = { .nr_ports = 0 };

	wd(0, 1);
	for (;;) {
		p.timeout = system_time_ns() + 1000000000ULL;
		HYPERVISOR_sched_op(SCHEDOP_poll, &p);
	}
}
