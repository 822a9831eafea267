/*
 * spin - a CPU-bound guest that never yields: it counts loop iterations for
 * a minute of system time. Several of them as separate domains show how the
 * scheduler shares the CPU (the hypervisor's sched_report option prints the
 * shares); one that never yields must not starve the others.
 */
#include "guest.h"

const char test_name[] = "spin";
const int test_styles = STYLE_DIRECT;

void test_main(void)
{
	volatile uint64_t count = 0;
	uint64_t end = system_time_ns() + 60ULL * 1000000000ULL;

	while (system_time_ns() < end)
		for (int i = 0; i < 100000; i++)
			count++;
	check(count > 0, tname("spun"), "no iterations");
}
