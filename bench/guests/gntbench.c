/*
 * gntbench - grant-table costs, timed with the hypervisor's system time:
 * map+unmap pairs per second (one op per hypercall, and batches of 16), and
 * grant copy throughput in 4 KiB and 64 KiB batches (one 4 KiB op, or 16 of
 * them, per hypercall). It runs the set against its own grants (a domain may
 * grant to itself: this part runs on Xen 4.17 too), then, on Paravane with
 * gntbench_granter as domain 1 (test_domains), against that domain's grants
 * (refs 8-23, rendezvous as in tests/guests/gnt_mapper.c).
 * Prints "bench: <set> <measure> <value>" lines.
 */
#include "../../tests/guests/gnt_common.h"

const char test_name[] = "gntbench";
const int test_styles = STYLE_DIRECT;

#define BATCH 16
static uint8_t wins[BATCH][4096] __attribute__((aligned(4096)));
static uint8_t buf[BATCH][4096] __attribute__((aligned(4096)));

static uint64_t wva(int i) { return (uint64_t)wins[i]; }

static void bench_set(const char *set, domid_t dom, grant_ref_t first)
{
	struct gnttab_map_grant_ref m[BATCH];
	struct gnttab_unmap_grant_ref u[BATCH];
	struct gnttab_copy c[BATCH];
	uint64_t t, n = 0, bad = 0;

	/* single pairs for 0.5 s */
	t = system_time_ns();
	while (system_time_ns() - t < 500000000ULL) {
		grant_handle_t h = 0;
		bad += map1(dom, first, wva(0), GNTMAP_host_map, &h) != GNTST_okay;
		bad += unmap1(wva(0), h) != GNTST_okay;
		n++;
	}
	gprintf("bench: %s map_unmap_single %lu pairs/s\n", set, (unsigned long)(n * 1000000000ULL / (system_time_ns() - t)));
	/* batches of 16 */
	n = 0;
	t = system_time_ns();
	while (system_time_ns() - t < 500000000ULL) {
		for (int i = 0; i < BATCH; i++)
			m[i] = (struct gnttab_map_grant_ref){ .host_addr = wva(i), .flags = GNTMAP_host_map,
							      .ref = first + i, .dom = dom };
		gop(GNTTABOP_map_grant_ref, m, BATCH);
		for (int i = 0; i < BATCH; i++) {
			bad += m[i].status != GNTST_okay;
			u[i] = (struct gnttab_unmap_grant_ref){ .host_addr = wva(i), .handle = m[i].handle };
		}
		gop(GNTTABOP_unmap_grant_ref, u, BATCH);
		for (int i = 0; i < BATCH; i++)
			bad += u[i].status != GNTST_okay;
		n += BATCH;
	}
	gprintf("bench: %s map_unmap_batch16 %lu pairs/s\n", set, (unsigned long)(n * 1000000000ULL / (system_time_ns() - t)));
	/* copies into the granted pages: 4 KiB per call, then 16 x 4 KiB per call */
	for (int b = 1; b <= BATCH; b *= BATCH) {
		n = 0;
		t = system_time_ns();
		while (system_time_ns() - t < 500000000ULL) {
			for (int i = 0; i < b; i++)
				c[i] = (struct gnttab_copy){ .source = by_frame(mfn_of_va((uint64_t)buf[i]), 0),
							     .dest = by_ref(dom, first + i, 0), .len = 4096,
							     .flags = GNTCOPY_dest_gref };
			gop(GNTTABOP_copy, c, b);
			for (int i = 0; i < b; i++)
				bad += c[i].status != GNTST_okay;
			n += (uint64_t)b * 4096;
		}
		gprintf("bench: %s copy_%dk %lu MB/s\n", set, b * 4,
			(unsigned long)(n * 1000ULL / (system_time_ns() - t)));
	}
	for (int i = 0; i < BATCH; i++)
		HYPERVISOR_update_va_mapping(wva(i), pte(mfn_of_va(wva(i)), PTE_P | PTE_W | PTE_A | PTE_D),
					     UVMF_INVLPG);
	EXPECT(set, bad, 0);
}

void test_main(void)
{
	struct evtchn_bind_interdomain b = { .remote_dom = 1, .remote_port = 1 };
	long rc = -1;

	self_id = 0;
	table_setup();
	for (int i = 0; i < BATCH; i++)
		grant(8 + i, 0, mfn(i), GTF_permit_access);
	bench_set("self", 0, 8);
	if (!hv_is_paravane())
		return;
	for (int i = 0; i < 100000 && rc < 0; i++) {
		rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b);
		if (rc == -XEN_ESRCH)
			return;
		if (rc < 0)
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	if (rc >= 0) {
		bench_set("peer", 1, 8);
		HYPERVISOR_event_channel_op(EVTCHNOP_send, &(struct evtchn_send){ .port = (uint32_t)rc });
	}
}
