/*
 * gntbench_granter - domain 1 of the grant benchmark (bench/guests/gntbench.c):
 * grants 16 pages to domain 0 at refs 8-23, offers port 1 to domain 0, and
 * waits until domain 0 signals it on that port (or 10 minutes pass).
 */
#include "../../tests/guests/gnt_common.h"

const char test_name[] = "gntbench_granter";
const int test_styles = STYLE_DIRECT;

void test_main(void)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = 0 };
	uint64_t t;

	self_id = 1;
	table_setup();
	for (int i = 0; i < 16; i++)
		grant(8 + i, 0, mfn(i), GTF_permit_access);
	EXPECT("alloc_unbound", HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a), 0);
	t = system_time_ns();
	while (system_time_ns() - t < 600000000000ULL) {
		unsigned long pending = __atomic_load_n(&shared_info->evtchn_pending[0], __ATOMIC_ACQUIRE);
		if (pending & (1UL << a.port))
			break;
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
}
