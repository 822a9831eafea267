/*
 * gnt_granter - grant tables, the granter's side (domain 1 under Paravane's
 * test_domains; see gnt_mapper.c for the protocol and the references).
 * It runs the single-domain checks of gnt_common.h first; as the initial
 * domain (alone, e.g. on Xen 4.17) that is all it does.
 */
#include "gnt_common.h"

const char test_name[] = "gnt_granter";
const int test_styles = STYLE_DIRECT;

static uint8_t peer[8][4096] __attribute__((aligned(4096)));
static uint64_t pmfn(int i) { return mfn_of_va((uint64_t)peer[i]); }

static void offer(void)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = 0 };

	memset(peer[0], 0, 4096);
	memset(peer[1], 0xa5, 4096);
	memset(peer[2], 0x3c, 4096);
	memset(peer[5], 0, 4096);
	memset(peer[6], 0x96, 4096);
	grant(19, 0, pmfn(0), GTF_permit_access);
	grant(20, 0, pmfn(1), GTF_permit_access);
	grant(21, 0, pmfn(2), GTF_permit_access | GTF_readonly);
	grant(22, 7, pmfn(3), GTF_permit_access);
	grant(23, 0, pmfn(4), GTF_permit_access);
	grant(24, 0, xen_frame, GTF_permit_access);
	grant(25, 0, mfn_of_va(start_info->pt_base), GTF_permit_access);
	grant(26, 0, pmfn(5), GTF_permit_access);
	grant(27, 0, pmfn(6), GTF_permit_access | GTF_readonly);
	EXPECT("alloc_unbound", HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a), 0);
	EXPECT("alloc_unbound_port_1", a.port, 1);
}

static void run_peer_tests(void)
{
	struct ctl *c = (struct ctl *)peer[0];
	int n = 0;

	offer();
	check(wait_step(&c->m_step, 1), tname("step1"), "mapper did not reach step 1");
	for (int i = 0; i < 4096; i++)
		n += peer[1][i] == 0x5a;
	EXPECT("mapper_wrote", n, 4096);
	EXPECT("unmapped_flags", gt[20].flags, GTF_permit_access);
	EXPECT("revoke_unmapped", revoke(20), 1);
	EXPECT("mapped_flags", gt[23].flags, GTF_permit_access | GTF_reading | GTF_writing);
	EXPECT("revoke_while_mapped", revoke(23), 0);
	EXPECT("revoke_refused_flags", gt[23].flags, GTF_permit_access | GTF_reading | GTF_writing);
	EXPECT("bad_cases_left_no_flags", gt[21].flags == (GTF_permit_access | GTF_readonly) &&
	       gt[22].flags == GTF_permit_access && gt[24].flags == GTF_permit_access &&
	       gt[25].flags == GTF_permit_access, 1);
	memset(peer[4], 0xc3, 64);
	c->g_step = 1;
	check(wait_step(&c->m_step, 2), tname("step2"), "mapper did not reach step 2");
	EXPECT("copied_in", peer[5][512] == 0x69 && peer[5][1535] == 0x69 && peer[5][1536] == 0 &&
	       peer[5][2048] == 0x69 && peer[5][2048 + 1023] == 0x69, 1);
	EXPECT("copy_flags_cleared", gt[26].flags, GTF_permit_access);
	EXPECT("copy_src_flags_cleared", gt[27].flags, GTF_permit_access | GTF_readonly);
	EXPECT("remapped_flags", gt[23].flags, GTF_permit_access | GTF_reading | GTF_writing);
	c->g_step = 2;
	/* we now end with refs 19 and 23 still mapped by domain 0 */
}

/*
 * Our domain id without xenstore: only the initial (privileged) domain may
 * query domain 0's table size. (start_info's SIF_INITDOMAIN cannot tell:
 * Paravane's test domains carry it too today.)
 */
static domid_t probe_self_id(void)
{
	struct gnttab_query_size q = { .dom = 0, .status = 99 };

	gop(GNTTABOP_query_size, &q, 1);
	return q.status == GNTST_okay ? 0 : 1;
}

void test_main(void)
{
	int alone;

	self_id = probe_self_id();
	alone = self_id == 0;
	run_self_tests();
	if (alone || !hv_is_paravane()) {
		gprintf("gnt_granter: initial domain: two-domain checks skipped\n");
		return;
	}
	run_peer_tests();
}
