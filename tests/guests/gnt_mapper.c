/*
 * gnt_mapper - grant tables, the grantee's side (the initial domain).
 *
 * Alone (Xen 4.17 as Dom0, or Paravane without a second domain) it runs the
 * single-domain checks of gnt_common.h. With gnt_granter as domain 1
 * (Paravane's test_domains) it then meets the granter without xenstore:
 * the granter allocates an unbound port for domain 0 (port 1, ports being
 * handed out lowest first) and grants fixed references; we retry
 * bind_interdomain(1, 1) until it works, map the control page (ref 19) and
 * step through the protocol below, the granter checking its side at each
 * step. References granted by domain 1:
 *   19 control page (rw)   20 data (rw)        21 data (ro)   22 to domain 7
 *   23 data (rw, kept)     24 a hypervisor frame              25 its L4 (rw)
 *   26 copy target (rw)    27 copy source (ro)
 * At the end domain 1 powers off while we still map ref 23 and the control
 * page: shut down, its grants can still be mapped (as on Xen 4.17, until
 * the toolstack destroys it); then we destroy it (the hypervisor logs
 * "gnttab: d1: 0 mappings torn down; 2 of its grants still held by
 * others"): the page must stay usable, the unmap must work, new maps must
 * fail (GNTST_bad_domain).
 */
#include "gnt_common.h"
#include "public/domctl.h"

const char test_name[] = "gnt_mapper";
const int test_styles = STYLE_DIRECT;   /* the checks change state: run once */

static uint8_t win[8][4096] __attribute__((aligned(4096)));   /* where peer pages get mapped */
static uint8_t local[2][4096] __attribute__((aligned(4096)));
#define PEER 1

static uint64_t wva(int i) { return (uint64_t)win[i]; }

static struct xen_domctl dop;

static long peer_domctl(uint32_t cmd)
{
	dop.cmd = cmd;
	dop.domain = PEER;
	dop.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	return HC1(__HYPERVISOR_domctl, &dop);
}

static int peer_shut_down(void)
{
	memset(&dop, 0, sizeof(dop));
	return peer_domctl(XEN_DOMCTL_getdomaininfo) == 0 && dop.domain == PEER &&
	       (dop.u.getdomaininfo.flags & XEN_DOMINF_shutdown);
}
static long restore_win(int i)
{
	return HYPERVISOR_update_va_mapping(wva(i), pte(mfn_of_va(wva(i)), PTE_P | PTE_W | PTE_A | PTE_D),
					    UVMF_INVLPG);
}

/* 1 when domain 1 offers port 1 to us; 0 when there is no domain 1. */
static int rendezvous(void)
{
	struct evtchn_bind_interdomain b = { .remote_dom = PEER, .remote_port = 1 };
	long rc = 0;

	for (int i = 0; i < 100000; i++) {
		rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b);
		if (rc >= 0 || rc == -XEN_ESRCH)
			break;
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	if (rc == -XEN_ESRCH)
		return 0;
	EXPECT("peer_bind", rc, 0);
	return rc == 0;
}

static void peer_bad_cases(void)
{
	grant_handle_t h = 0;

	EXPECT("peer_wrong_grantee", map1(PEER, 22, wva(2), GNTMAP_host_map, NULL), GNTST_general_error);
	EXPECT("peer_ro_as_rw", map1(PEER, 21, wva(2), GNTMAP_host_map, NULL), GNTST_general_error);
	EXPECT("peer_ro", map1(PEER, 21, wva(2), GNTMAP_host_map | GNTMAP_readonly, &h), GNTST_okay);
	EXPECT("peer_ro_read", win[2][77], 0x3c);
	EXPECT("peer_ro_unmap", unmap1(wva(2), h), GNTST_okay);
	EXPECT("peer_ro_restore", restore_win(2), 0);
	EXPECT("peer_ref_end", map1(PEER, GT_ENTRIES, wva(2), GNTMAP_host_map, NULL), GNTST_bad_gntref);
	EXPECT("peer_ref_huge", map1(PEER, 9999999, wva(2), GNTMAP_host_map, NULL), GNTST_bad_gntref);
	EXPECT("peer_bad_domain", map1(5, 20, wva(2), GNTMAP_host_map, NULL), GNTST_bad_domain);
	EXPECT("peer_own_table_not_peer", map1(self_id, 20, wva(2), GNTMAP_host_map, NULL), GNTST_general_error);
	EXPECT("peer_hypervisor_frame", map1(PEER, 24, wva(2), GNTMAP_host_map, NULL), GNTST_bad_page);
	EXPECT("peer_page_table_rw", map1(PEER, 25, wva(2), GNTMAP_host_map, NULL), GNTST_general_error);
	EXPECT("peer_invalid_entry", map1(PEER, 0, wva(2), GNTMAP_host_map, NULL), GNTST_general_error);
}

static void peer_copies(void)
{
	struct gnttab_copy b[16];
	int ok = 0;

	memset(local[0], 0x69, 4096);
	EXPECT("peer_copy_to", copy1(by_frame(mfn_of_va((uint64_t)local[0]), 0), by_ref(PEER, 26, 512), 1024,
				     GNTCOPY_dest_gref), GNTST_okay);
	memset(local[1], 0, 4096);
	EXPECT("peer_copy_from", copy1(by_ref(PEER, 27, 0), by_frame(mfn_of_va((uint64_t)local[1]), 0), 4096,
				       GNTCOPY_source_gref), GNTST_okay);
	EXPECT("peer_copy_from_data", local[1][0] == 0x96 && local[1][4095] == 0x96, 1);
	EXPECT("peer_copy_to_ro", copy1(by_frame(mfn_of_va((uint64_t)local[0]), 0), by_ref(PEER, 27, 0), 8,
					GNTCOPY_dest_gref), GNTST_general_error);
	EXPECT("peer_copy_to_not_ours", copy1(by_frame(mfn_of_va((uint64_t)local[0]), 0), by_ref(PEER, 22, 0),
					      8, GNTCOPY_dest_gref), GNTST_general_error);
	EXPECT("peer_copy_frame_of_peer", copy1(by_frame(mfn_of_va((uint64_t)local[0]), 0),
		(struct gnttab_copy_ptr){ .u.gmfn = 1, .domid = PEER }, 8, 0), GNTST_permission_denied);
	EXPECT("peer_copy_beyond", copy1(by_ref(PEER, 27, 4000), by_frame(mfn_of_va((uint64_t)local[1]), 0),
					 100, GNTCOPY_source_gref), GNTST_bad_copy_arg);
	EXPECT("peer_copy_bad_ref", copy1(by_ref(PEER, 70000, 0), by_frame(mfn_of_va((uint64_t)local[1]), 0),
					  8, GNTCOPY_source_gref), GNTST_bad_gntref);
	for (int i = 0; i < 16; i++)
		b[i] = (struct gnttab_copy){ .source = by_frame(mfn_of_va((uint64_t)local[0]), 0),
					     .dest = by_ref(PEER, 26, (uint16_t)(2048 + i * 64)),
					     .len = 64, .flags = GNTCOPY_dest_gref, .status = 99 };
	EXPECT("peer_copy_batch", gop(GNTTABOP_copy, b, 16), 0);
	for (int i = 0; i < 16; i++)
		ok += b[i].status == GNTST_okay;
	EXPECT("peer_copy_batch_statuses", ok, 16);
}

static void run_peer_tests(void)
{
	struct ctl *c = (struct ctl *)win[0];
	grant_handle_t hc = 0, h = 0;
	int i;

	EXPECT("peer_map_control", map1(PEER, 19, wva(0), GNTMAP_host_map, &hc), GNTST_okay);
	/* map, write, read back, unmap */
	EXPECT("peer_map", map1(PEER, 20, wva(1), GNTMAP_host_map, &h), GNTST_okay);
	EXPECT("peer_map_read", win[1][4095], 0xa5);
	memset(win[1], 0x5a, 4096);
	EXPECT("peer_map_readback", win[1][1000], 0x5a);
	EXPECT("peer_unmap", unmap1(wva(1), h), GNTST_okay);
	EXPECT("peer_double_unmap", unmap1(wva(1), h), GNTST_bad_handle);
	EXPECT("peer_restore", restore_win(1), 0);
	peer_bad_cases();
	/* keep 23 mapped while the granter tries to revoke it */
	EXPECT("peer_map_kept", map1(PEER, 23, wva(3), GNTMAP_host_map, &h), GNTST_okay);
	c->m_step = 1;
	check(wait_step(&c->g_step, 1), tname("peer_step1"), "granter did not answer");
	EXPECT("peer_shared_write_seen", win[3][9], 0xc3);
	EXPECT("peer_unmap_kept", unmap1(wva(3), h), GNTST_okay);
	EXPECT("peer_restore3", restore_win(3), 0);
	EXPECT("peer_map_revoked", map1(PEER, 20, wva(1), GNTMAP_host_map, NULL), GNTST_general_error);
	peer_copies();
	EXPECT("peer_map_kept_again", map1(PEER, 23, wva(3), GNTMAP_host_map, &h), GNTST_okay);
	c->m_step = 2;
	check(wait_step(&c->g_step, 2), tname("peer_step2"), "granter did not answer");
	/*
	 * The granter powers off. Shut down, not destroyed, its grants stay
	 * mappable (as on Xen 4.17); once we destroy it, new maps fail and
	 * the kept one still works.
	 */
	for (i = 0; i < 100000 && !peer_shut_down(); i++)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	check(peer_shut_down(), tname("peer_shut_down"), "domain %u still running", PEER);
	{
		grant_handle_t t = 0;

		EXPECT("peer_shut_down_map", map1(PEER, 26, wva(4), GNTMAP_host_map, &t), GNTST_okay);
		EXPECT("peer_shut_down_unmap", unmap1(wva(4), t), GNTST_okay);
		restore_win(4);
	}
	memset(&dop, 0, sizeof(dop));
	EXPECT("peer_destroy", peer_domctl(XEN_DOMCTL_destroydomain), 0);
	EXPECT("peer_gone_map", map1(PEER, 26, wva(4), GNTMAP_host_map, NULL), GNTST_bad_domain);
	EXPECT("peer_gone_kept_read", win[3][9], 0xc3);
	win[3][10] = 0x44;
	EXPECT("peer_gone_kept_write", win[3][10], 0x44);
	EXPECT("peer_gone_unmap", unmap1(wva(3), h), GNTST_okay);
	EXPECT("peer_gone_restore", restore_win(3), 0);
	gprintf("gnt_mapper: leaving the control page mapped for teardown\n");
}

void test_main(void)
{
	self_id = 0;
	run_self_tests();
	if (!hv_is_paravane() || !rendezvous()) {
		gprintf("gnt_mapper: no domain 1: two-domain checks skipped\n");
		return;
	}
	run_peer_tests();
}
