/*
 * hostile.c - a split-driver frontend that lies, and a DomU that tries to
 * reach the others (issue 17's hostile frontend, issue 19's isolation).
 *
 * Runs as an ordinary DomU made by xl in a Linux Dom0 (images-split-hostile:
 * tests/integration/split/hostile-check.sh) with one disk (xvda) and three
 * vifs, beside an honest DomU whose id is on our command line (honest=N;
 * without it, in the short run, Dom0 stands for the other domain).
 * Output goes to our PV console (xenconsoled's log). It does the xenbus
 * handshake itself, then sends blkback and netback garbage. Each attack
 * that Linux's backends answer is checked here (the status they give);
 * the ones after which they stop serving us (a blkif ring producer far
 * beyond the ring, a tx request crossing a page, an impossible tx
 * producer, a packet of more slots than netback's fatal limit) are
 * checked on the Dom0 side (their log lines, vif disabled), together with
 * the honest DomU's disk and network and Dom0's health.
 *
 * Then isolation: xenstore paths of the honest DomU and Dom0 refused,
 * grants not meant for us refused, frames around ours refused as
 * mappings, ports of others refused, and our limits (xenstore nodes,
 * transactions, watches; event channels; grant frames; memory) fail for
 * us with the errors Xen and its xenstored give.
 */
#include "guest.h"
#include "xenbus.h"
#include "public/memory.h"

const char test_name[] = "hostile";
const int test_styles = STYLE_PAGE;

static domid_t honest;
static char msg[256];

/* ---- blkif (x86_64 layout) -------------------------------------------- */
#define BLKIF_OP_READ      0
#define BLKIF_OP_WRITE     1
#define BLKIF_OP_RESERVED_1 4
#define BLKIF_OP_DISCARD   5
#define BLKIF_OP_INDIRECT  6
#define BLKIF_MAX_SEG      11
#define BLKIF_RSP_EOPNOTSUPP -2
#define BLKIF_RSP_ERROR    -1
#define NO_ANSWER          99

struct blk_seg { uint32_t gref; uint8_t first_sect, last_sect; uint16_t pad; };
struct blk_req {
	uint8_t operation, nr_segments;
	uint16_t handle;
	uint32_t pad;
	uint64_t id, sector;
	struct blk_seg seg[BLKIF_MAX_SEG];
};
struct blk_req_indirect {
	uint8_t operation, indirect_op;
	uint16_t nr_segments;
	uint32_t pad;
	uint64_t id, sector;
	uint16_t handle, pad2;
	uint32_t indirect_grefs[8];
	uint32_t pad3;
	uint8_t rest[112 - 64];
};
struct blk_req_discard {
	uint8_t operation, flag;
	uint16_t handle;
	uint32_t pad;
	uint64_t id, sector, nr_sectors;
	uint8_t rest[112 - 32];
};
struct blk_rsp { uint64_t id; uint8_t operation; uint8_t pad; int16_t status; uint32_t pad2; };
_Static_assert(sizeof(struct blk_req) == 112, "blkif request");
_Static_assert(sizeof(struct blk_req_indirect) == 112, "indirect request");
_Static_assert(sizeof(struct blk_rsp) == 16, "blkif response");

#define RING_HDR 64
#define BLK_RING_SIZE 32   /* (4096 - 64) / 112 rounded down to a power of 2 */
struct blk_sring {
	uint32_t req_prod, req_event, rsp_prod, rsp_event;
	uint8_t pad[48];
	union { struct blk_req req; struct blk_rsp rsp; } ring[BLK_RING_SIZE];
};

/* ---- netif -------------------------------------------------------------- */
#define NETTXF_more_data 4
struct tx_req { uint32_t gref; uint16_t offset, flags, id, size; };
struct tx_rsp { uint16_t id; int16_t status; };
#define NET_RING_SIZE 256
struct tx_sring {
	uint32_t req_prod, req_event, rsp_prod, rsp_event;
	uint8_t pad[48];
	union { struct tx_req req; struct tx_rsp rsp; } ring[NET_RING_SIZE];
};
struct rx_sring {
	uint32_t req_prod, req_event, rsp_prod, rsp_event;
	uint8_t pad[48];
	uint8_t ring[NET_RING_SIZE][8];
};
_Static_assert(sizeof(struct tx_sring) <= 4096, "tx ring");

/* Pages: rings, data, an indirect page */
static uint8_t blk_ring_page[4096] __attribute__((aligned(4096)));
static uint8_t data[4][4096] __attribute__((aligned(4096)));
static uint8_t ind_page[4096] __attribute__((aligned(4096)));
static uint8_t tx_page[3][4096] __attribute__((aligned(4096)));
static uint8_t rx_page[3][4096] __attribute__((aligned(4096)));
static uint8_t scratch[4096] __attribute__((aligned(4096)));

/* Grant refs we use (0-7 are the toolstack's) */
enum { REF_BLK_RING = 8, REF_DATA = 9, REF_DATA_RO = 13, REF_IND = 14, REF_OTHER = 15,
       REF_TX = 20, REF_RX = 23, REF_NETDATA = 26, REF_UNUSED = 200 };

static volatile struct blk_sring *blk;
static evtchn_port_t blk_port;
static uint32_t blk_prod, blk_cons;
static uint64_t blk_sectors;
static uint16_t blk_handle;

static int xs_dir_first(const char *dir, char *out, size_t n)
{
	char b[256];
	size_t len = 0;

	if (xs_request(XS_DIRECTORY, 0, dir, strlen(dir) + 1, b, sizeof(b), &len) || !len)
		return -1;
	gsnprintf(out, n, "%s", b);   /* the first name of the NUL-separated list */
	return 0;
}

/* Wait for the backend's state; 1 when it reached want */
static int be_state(const char *be, const char *want, unsigned ms)
{
	char p[160];

	gsnprintf(p, sizeof(p), "%s/state", be);
	return xs_wait_value(p, want, ms);
}

/* ---- block ------------------------------------------------------------- */
static void blk_push(const void *req)
{
	memcpy((void *)&blk->ring[blk_prod % BLK_RING_SIZE].req, req, sizeof(struct blk_req));
	blk_prod++;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	blk->req_prod = blk_prod;
	evt_send(blk_port);
}

/* The status of the response to id, NO_ANSWER after `ms` */
static int blk_wait(uint64_t id, unsigned ms)
{
	uint64_t end = system_time_ns() + (uint64_t)ms * 1000000;

	while (system_time_ns() < end) {
		while (blk_cons != blk->rsp_prod) {
			volatile struct blk_rsp *r;

			__atomic_thread_fence(__ATOMIC_ACQUIRE);
			r = &blk->ring[blk_cons % BLK_RING_SIZE].rsp;
			blk_cons++;
			blk->rsp_event = blk_cons + 1;
			if (r->id == id)
				return r->status;
		}
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	return NO_ANSWER;
}

static uint64_t next_id = 1000;

static int blk_rw(uint8_t op, uint64_t sector, uint8_t nseg, uint32_t gref, uint8_t first,
		  uint8_t last)
{
	struct blk_req r;

	memset(&r, 0, sizeof(r));
	r.operation = op;
	r.nr_segments = nseg;
	r.handle = blk_handle;
	r.id = ++next_id;
	r.sector = sector;
	for (int i = 0; i < BLKIF_MAX_SEG; i++)
		r.seg[i] = (struct blk_seg){ gref, first, last, 0 };
	blk_push(&r);
	return blk_wait(r.id, 5000);
}

static int blk_indirect(uint8_t iop, uint16_t nseg, uint32_t ind_ref, uint32_t seg_ref)
{
	struct blk_req_indirect r;
	struct blk_seg *s = (struct blk_seg *)ind_page;

	for (int i = 0; i < 512; i++)
		s[i] = (struct blk_seg){ seg_ref, 0, 7, 0 };
	memset(&r, 0, sizeof(r));
	r.operation = BLKIF_OP_INDIRECT;
	r.indirect_op = iop;
	r.nr_segments = nseg;
	r.handle = blk_handle;
	r.id = ++next_id;
	r.sector = 0;
	for (int i = 0; i < 8; i++)
		r.indirect_grefs[i] = ind_ref;
	blk_push(&r);
	return blk_wait(r.id, 5000);
}

static void blk_expect(const char *name, int got, int want)
{
	check(got == want, name, "backend answered %d, want %d", got, want);
}

static int blk_connect(char *be, size_t be_n)
{
	char vbd[32], fe[64], p[128];

	if (xs_dir_first("device/vbd", vbd, sizeof(vbd))) {
		fail("blk_found", "no device/vbd");
		return 0;
	}
	gsnprintf(fe, sizeof(fe), "device/vbd/%s", vbd);
	gsnprintf(p, sizeof(p), "%s/virtual-device", fe);
	blk_handle = (uint16_t)xs_read_long(p, 0);
	gsnprintf(p, sizeof(p), "%s/backend", fe);
	if (xs_read(p, be, be_n)) {
		fail("blk_found", "no %s", p);
		return 0;
	}
	check(be_state(be, "2", 30000), "blk_backend_initwait", "backend %s not at 2", be);
	blk = (volatile struct blk_sring *)blk_ring_page;
	memset(blk_ring_page, 0, 4096);
	blk->req_event = 1;
	blk->rsp_event = 1;
	gnt_grant(REF_BLK_RING, 0, blk_ring_page, 0);
	if (evt_alloc_unbound(0, &blk_port)) {
		fail("blk_port", "alloc_unbound failed");
		return 0;
	}
	gsnprintf(p, sizeof(p), "%s/ring-ref", fe);
	xs_printf(p, "%u", REF_BLK_RING);
	gsnprintf(p, sizeof(p), "%s/event-channel", fe);
	xs_printf(p, "%u", blk_port);
	gsnprintf(p, sizeof(p), "%s/protocol", fe);
	xs_write(p, "x86_64-abi");
	gsnprintf(p, sizeof(p), "%s/state", fe);
	xs_write(p, "3");
	if (!be_state(be, "4", 30000)) {
		fail("blk_connected", "backend %s never Connected", be);
		return 0;
	}
	xs_write(p, "4");
	gsnprintf(p, sizeof(p), "%s/sectors", be);
	blk_sectors = (uint64_t)xs_read_long(p, 0);
	pass("blk_connected");
	gprintf("hostile: vbd %s connected, %lu sectors, port %u\n", vbd, blk_sectors, blk_port);
	return blk_sectors > 16;
}

static void blk_attacks(void)
{
	char be[128], p[160];
	int max_ind;

	if (!blk_connect(be, sizeof(be)))
		return;
	gsnprintf(p, sizeof(p), "%s/feature-max-indirect-segments", be);
	max_ind = (int)xs_read_long(p, 0);
	for (int i = 0; i < 4; i++)
		gnt_grant(REF_DATA + i, 0, data[i], 0);
	gnt_grant(REF_DATA_RO, 0, data[3], 1);
	gnt_grant(REF_IND, 0, ind_page, 1);
	gnt_grant(REF_OTHER, honest ? honest : 7, data[2], 0);

	/* honest requests first: the ring works */
	memset(data[0], 0x5a, 4096);
	blk_expect("blk_good_write", blk_rw(BLKIF_OP_WRITE, 8, 1, REF_DATA, 0, 7), 0);
	memset(data[1], 0, 4096);
	blk_expect("blk_good_read", blk_rw(BLKIF_OP_READ, 8, 1, REF_DATA + 1, 0, 7), 0);
	check(data[1][0] == 0x5a && data[1][4095] == 0x5a, "blk_read_back", "read 0x%x", data[1][0]);

	/* bad grants: refused with an error, nothing mapped */
	blk_expect("blk_gref_unused", blk_rw(BLKIF_OP_READ, 8, 1, REF_UNUSED, 0, 7), BLKIF_RSP_ERROR);
	blk_expect("blk_gref_out_of_range", blk_rw(BLKIF_OP_READ, 8, 1, 0x7fffffff, 0, 7), BLKIF_RSP_ERROR);
	blk_expect("blk_gref_other_domain", blk_rw(BLKIF_OP_READ, 8, 1, REF_OTHER, 0, 7), BLKIF_RSP_ERROR);
	blk_expect("blk_gref_readonly_for_read", blk_rw(BLKIF_OP_READ, 8, 1, REF_DATA_RO, 0, 7),
		   BLKIF_RSP_ERROR);
	/* segments */
	blk_expect("blk_segments_12", blk_rw(BLKIF_OP_READ, 8, 12, REF_DATA, 0, 7), BLKIF_RSP_ERROR);
	blk_expect("blk_segments_255", blk_rw(BLKIF_OP_READ, 8, 255, REF_DATA, 0, 7), BLKIF_RSP_ERROR);
	blk_expect("blk_segments_0", blk_rw(BLKIF_OP_READ, 8, 0, REF_DATA, 0, 7), BLKIF_RSP_ERROR);
	blk_expect("blk_first_after_last", blk_rw(BLKIF_OP_READ, 8, 1, REF_DATA, 5, 2), BLKIF_RSP_ERROR);
	blk_expect("blk_last_sect_8", blk_rw(BLKIF_OP_READ, 8, 1, REF_DATA, 0, 8), BLKIF_RSP_ERROR);
	/* sectors */
	blk_expect("blk_sector_at_end", blk_rw(BLKIF_OP_READ, blk_sectors, 1, REF_DATA, 0, 7),
		   BLKIF_RSP_ERROR);
	blk_expect("blk_sector_past_end", blk_rw(BLKIF_OP_WRITE, blk_sectors - 4, 1, REF_DATA, 0, 7),
		   BLKIF_RSP_ERROR);
	blk_expect("blk_sector_wraps", blk_rw(BLKIF_OP_READ, ~0ULL - 3, 1, REF_DATA, 0, 7), BLKIF_RSP_ERROR);
	/* operations */
	blk_expect("blk_op_77", blk_rw(77, 8, 1, REF_DATA, 0, 7), BLKIF_RSP_EOPNOTSUPP);
	blk_expect("blk_op_reserved", blk_rw(BLKIF_OP_RESERVED_1, 8, 1, REF_DATA, 0, 7),
		   BLKIF_RSP_EOPNOTSUPP);
	{
		struct blk_req_discard d;
		int st;

		memset(&d, 0, sizeof(d));
		d.operation = BLKIF_OP_DISCARD;
		d.handle = blk_handle;
		d.id = ++next_id;
		d.sector = blk_sectors - 1;
		d.nr_sectors = 1ULL << 40;
		blk_push(&d);
		st = blk_wait(d.id, 5000);
		check(st == BLKIF_RSP_ERROR || st == BLKIF_RSP_EOPNOTSUPP, "blk_discard_past_end",
		      "backend answered %d", st);
	}
	/* indirect */
	check(max_ind > 0, "blk_indirect_offered", "feature-max-indirect-segments %d", max_ind);
	if (max_ind > 0) {
		blk_expect("blk_indirect_good", blk_indirect(BLKIF_OP_READ, 1, REF_IND, REF_DATA), 0);
		blk_expect("blk_indirect_above_max", blk_indirect(BLKIF_OP_READ, (uint16_t)(max_ind + 1),
								  REF_IND, REF_DATA), BLKIF_RSP_ERROR);
		blk_expect("blk_indirect_65535", blk_indirect(BLKIF_OP_READ, 65535, REF_IND, REF_DATA),
			   BLKIF_RSP_ERROR);
		blk_expect("blk_indirect_op_bogus", blk_indirect(9, 1, REF_IND, REF_DATA), BLKIF_RSP_ERROR);
		blk_expect("blk_indirect_bad_page_ref", blk_indirect(BLKIF_OP_READ, 1, REF_UNUSED, REF_DATA),
			   BLKIF_RSP_ERROR);
		blk_expect("blk_indirect_bad_seg_ref", blk_indirect(BLKIF_OP_READ, 1, REF_IND, REF_UNUSED),
			   BLKIF_RSP_ERROR);
	}
	/* an event flood, then the ring still works */
	for (int i = 0; i < 20000; i++)
		evt_send(blk_port);
	pass("blk_event_flood_sent");
	blk_expect("blk_good_after_flood", blk_rw(BLKIF_OP_READ, 8, 1, REF_DATA + 1, 0, 7), 0);

	/* last: a producer far beyond the ring; blkback stops serving us */
	blk->req_prod = blk_cons + 100000;
	evt_send(blk_port);
	sleep_ms(500);
	gprintf("hostile: blk ring producer %u sent\n", blk->req_prod);
}

/* ---- net ---------------------------------------------------------------- */
struct vif {
	volatile struct tx_sring *tx;
	evtchn_port_t port;
	uint32_t prod, cons;
};

static int net_connect(int n, struct vif *v)
{
	char fe[32], be[128], p[160];

	gsnprintf(fe, sizeof(fe), "device/vif/%d", n);
	gsnprintf(p, sizeof(p), "%s/backend", fe);
	if (xs_read(p, be, sizeof(be))) {
		fail(tname("net_found"), "no %s", p);
		return 0;
	}
	if (!be_state(be, "2", 30000)) {
		fail("net_backend_initwait", "vif %d backend not at 2", n);
		return 0;
	}
	v->tx = (volatile struct tx_sring *)tx_page[n];
	memset(tx_page[n], 0, 4096);
	memset(rx_page[n], 0, 4096);
	v->tx->req_event = 1;
	v->tx->rsp_event = 1;
	gnt_grant(REF_TX + n, 0, tx_page[n], 0);
	gnt_grant(REF_RX + n, 0, rx_page[n], 0);
	if (evt_alloc_unbound(0, &v->port))
		return 0;
	gsnprintf(p, sizeof(p), "%s/tx-ring-ref", fe);
	xs_printf(p, "%u", REF_TX + n);
	gsnprintf(p, sizeof(p), "%s/rx-ring-ref", fe);
	xs_printf(p, "%u", REF_RX + n);
	gsnprintf(p, sizeof(p), "%s/event-channel", fe);
	xs_printf(p, "%u", v->port);
	gsnprintf(p, sizeof(p), "%s/request-rx-copy", fe);
	xs_write(p, "1");
	gsnprintf(p, sizeof(p), "%s/feature-rx-notify", fe);
	xs_write(p, "1");
	gsnprintf(p, sizeof(p), "%s/state", fe);
	xs_write(p, "4");
	if (!be_state(be, "4", 30000)) {
		gsnprintf(msg, sizeof(msg), "vif%d_connected", n);
		fail(msg, "backend %s never Connected", be);
		return 0;
	}
	gprintf("hostile: vif %d connected, port %u\n", n, v->port);
	return 1;
}

static void tx_put(struct vif *v, uint32_t gref, uint16_t off, uint16_t flags, uint16_t size)
{
	volatile struct tx_req *r = &v->tx->ring[v->prod % NET_RING_SIZE].req;

	r->gref = gref;
	r->offset = off;
	r->flags = flags;
	r->id = (uint16_t)(v->prod % NET_RING_SIZE);
	r->size = size;
	v->prod++;
}

static void tx_push(struct vif *v)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	v->tx->req_prod = v->prod;
	evt_send(v->port);
}

/*
 * Wait for the responses to everything pushed (up to ms); the worst
 * status among them in *worst; the number that came back.
 */
static unsigned tx_collect(struct vif *v, unsigned ms, int *worst)
{
	uint64_t end = system_time_ns() + (uint64_t)ms * 1000000;
	unsigned got = 0;

	*worst = 1;
	while (v->cons != v->prod && system_time_ns() < end) {
		if (v->cons == v->tx->rsp_prod) {
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
			continue;
		}
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		int16_t st = v->tx->ring[v->cons % NET_RING_SIZE].rsp.status;
		if (st < *worst)
			*worst = st;
		v->cons++;
		v->tx->rsp_event = v->cons + 1;
		got++;
	}
	return got;
}

/* One packet of one slot; its status (NO_ANSWER if none) */
static int tx_one(struct vif *v, uint32_t gref, uint16_t off, uint16_t size)
{
	int worst;

	tx_put(v, gref, off, 0, size);
	tx_push(v);
	return tx_collect(v, 5000, &worst) == 1 ? worst : NO_ANSWER;
}

static void frame_fill(uint8_t *f)
{
	static const uint8_t hdr[14] = { 0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02, 0x88, 0xb5 };

	memset(f, 0x33, 4096);
	memcpy(f, hdr, sizeof(hdr));
}

static void net_attacks(void)
{
	struct vif v[3];
	int worst;
	unsigned got;

	memset(v, 0, sizeof(v));
	for (int i = 0; i < 3; i++) {
		if (!net_connect(i, &v[i]))
			return;
	}
	pass("net_connected");
	frame_fill(data[3]);
	gnt_grant(REF_NETDATA, 0, data[3], 1);
	gnt_grant(REF_NETDATA + 1, honest ? honest : 7, data[3], 1);

	check_eq("net_good_packet", tx_one(&v[0], REF_NETDATA, 0, 60), 0);
	/* answered with an error, the vif goes on */
	check_eq("net_size_below_header", tx_one(&v[0], REF_NETDATA, 0, 10), -1);
	check_eq("net_gref_unused", tx_one(&v[0], REF_UNUSED, 0, 60), -1);
	check_eq("net_gref_out_of_range", tx_one(&v[0], 0x7fffffff, 0, 60), -1);
	check_eq("net_gref_other_domain", tx_one(&v[0], REF_NETDATA + 1, 0, 60), -1);
	/* two slots, the second larger than what the first says is left */
	tx_put(&v[0], REF_NETDATA, 0, NETTXF_more_data, 100);
	tx_put(&v[0], REF_NETDATA, 200, 0, 300);
	tx_push(&v[0]);
	got = tx_collect(&v[0], 5000, &worst);
	check(got == 2 && worst == -1, "net_slot_larger_than_rest", "%u answers, worst %d", got, worst);
	/* 19 slots are taken; 20: over what netback takes, under its fatal limit: dropped */
	for (int i = 0; i < 19; i++)
		tx_put(&v[0], REF_NETDATA, 0, i < 18 ? NETTXF_more_data : 0, i ? 64 : 19 * 64);
	tx_push(&v[0]);
	got = tx_collect(&v[0], 5000, &worst);
	check(got == 19 && worst >= 0, "net_19_slots_taken", "%u answers, worst %d", got, worst);
	for (int i = 0; i < 20; i++)
		tx_put(&v[0], REF_NETDATA, 0, i < 19 ? NETTXF_more_data : 0, i ? 64 : 20 * 64);
	tx_push(&v[0]);
	got = tx_collect(&v[0], 5000, &worst);
	check(got == 20 && worst == -1, "net_20_slots_dropped", "%u answers, worst %d", got, worst);
	for (int i = 0; i < 20000; i++)
		evt_send(v[0].port);
	pass("net_event_flood_sent");
	check_eq("net_good_after_flood", tx_one(&v[0], REF_NETDATA, 0, 60), 0);

	/* fatal for each vif: netback disables it (the Dom0 side reads its log) */
	tx_put(&v[0], REF_NETDATA, 4000, 0, 200);
	tx_push(&v[0]);
	v[1].tx->req_prod = v[1].prod + 100000;
	evt_send(v[1].port);
	for (int i = 0; i < 40; i++)
		tx_put(&v[2], REF_NETDATA, 0, i < 39 ? NETTXF_more_data : 0, i ? 64 : 40 * 64);
	tx_push(&v[2]);
	sleep_ms(1000);
	got = tx_collect(&v[0], 2000, &worst);
	check_eq("net_cross_page_unanswered", got, 0);
	check_eq("net_after_fatal_unanswered", tx_one(&v[0], REF_NETDATA, 0, 60), NO_ANSWER);
	gprintf("hostile: net fatal requests sent\n");
}

/* ---- isolation ---------------------------------------------------------- */
static void xs_expect(const char *name, int got, const char *want)
{
	check(got > 0 && !strcmp(xs_errors[got], want), name, "xenstored: %s, want %s",
	      xs_errname(got), want);
}

static void xs_isolation(void)
{
	char p[160], b[128];
	int rc, n;

	if (!honest)   /* alone (the short run): Dom0's and the root's nodes only */
		goto dom0;
	gsnprintf(p, sizeof(p), "/local/domain/%u/name", honest);
	xs_expect("xs_read_other_name", xs_read(p, b, sizeof(b)), "EACCES");
	gsnprintf(p, sizeof(p), "/local/domain/%u/device/vbd/51712/ring-ref", honest);
	xs_expect("xs_read_other_frontend", xs_read(p, b, sizeof(b)), "EACCES");
	gsnprintf(p, sizeof(p), "/local/domain/%u/device/vbd/51712/state", honest);
	xs_expect("xs_write_other_frontend", xs_write(p, "6"), "EACCES");
	gsnprintf(p, sizeof(p), "/local/domain/%u/evil", honest);
	xs_expect("xs_write_other_new", xs_write(p, "x"), "EACCES");
	gsnprintf(p, sizeof(p), "/local/domain/%u/device", honest);
	xs_expect("xs_rm_other", xs_rm(p), "EACCES");
	gsnprintf(p, sizeof(p), "/local/domain/0/backend/vbd/%u/51712/params", honest);
	xs_expect("xs_read_other_backend", xs_read(p, b, sizeof(b)), "EACCES");
dom0:
	xs_expect("xs_write_dom0", xs_write("/local/domain/0/evil", "x"), "EACCES");
	xs_expect("xs_write_root", xs_write("/evil", "x"), "EACCES");
	xs_expect("xs_rm_backend_root", xs_rm("/local/domain/0/backend"), "EACCES");

	/* quotas: ours run out, the others' do not (the Dom0 side checks) */
	for (n = 0; n < 1200; n++) {
		gsnprintf(p, sizeof(p), "data/q/%d", n);
		rc = xs_write(p, "x");
		if (rc)
			break;
	}
	check(rc > 0 && !strcmp(xs_errors[rc], "ENOSPC") && n > 900 && n < 1000, "xs_node_quota",
	      "%d nodes then %s", n, xs_errname(rc));
	check_eq("xs_node_quota_rm", xs_rm("data/q"), 0);
	check_eq("xs_write_after_quota", xs_write("data/after", "1"), 0);
	{
		uint32_t tx[12];
		for (n = 0; n < 12; n++) {
			rc = xs_request(XS_TRANSACTION_START, 0, "", 1, b, sizeof(b), NULL);
			if (rc)
				break;
			tx[n] = 0;
			for (char *c = b; *c >= '0' && *c <= '9'; c++)
				tx[n] = tx[n] * 10 + (uint32_t)(*c - '0');
		}
		check(n == 10 && rc > 0 && !strcmp(xs_errors[rc], "ENOSPC"), "xs_transaction_quota",
		      "%d transactions then %s", n, xs_errname(rc));
		for (int i = 0; i < n; i++)
			xs_request(XS_TRANSACTION_END, tx[i], "F", 2, NULL, 0, NULL);
		rc = xs_request(XS_TRANSACTION_START, 0, "", 1, b, sizeof(b), NULL);
		check_eq("xs_transaction_after_quota", rc, 0);
	}
	for (n = 0; n < 200; n++) {
		char w[64];
		int l = gsnprintf(w, sizeof(w), "data/w%d", n) + 1;

		l += gsnprintf(w + l, sizeof(w) - (size_t)l, "t%d", n) + 1;
		rc = xs_request(XS_WATCH, 0, w, (size_t)l, NULL, 0, NULL);
		if (rc)
			break;
	}
	check(n == 128 && rc > 0 && !strcmp(xs_errors[rc], "E2BIG"), "xs_watch_quota",
	      "%d watches then %s", n, xs_errname(rc));
	for (int i = 0; i < n; i++) {
		char w[64];
		int l = gsnprintf(w, sizeof(w), "data/w%d", i) + 1;

		l += gsnprintf(w + l, sizeof(w) - (size_t)l, "t%d", i) + 1;
		xs_request(XS_UNWATCH, 0, w, (size_t)l, NULL, 0, NULL);
	}
}

static int own_mfn(uint64_t mfn)
{
	const uint64_t *m2p = (const uint64_t *)MACH2PHYS_VIRT_START;
	const uint64_t *p2m = (const uint64_t *)start_info->mfn_list;
	uint64_t pfn = m2p[mfn];

	return pfn < start_info->nr_pages && p2m[pfn] == mfn;
}

static void hc_isolation(void)
{
	const uint64_t *p2m = (const uint64_t *)start_info->mfn_list;
	uint64_t lo = ~0ULL, hi = 0;
	unsigned tried = 0, mapped = 0, m2p_set = 0;
	long rc;

	for (uint64_t i = 0; i < start_info->nr_pages; i++) {
		if (p2m[i] < lo)
			lo = p2m[i];
		if (p2m[i] > hi)
			hi = p2m[i];
	}
	/* Frames around ours that are not ours: neither mapped nor renamed (the M2P ends at the top of RAM) */
	uint64_t top = (uint64_t)HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);

	for (uint64_t m = lo > 2048 ? lo - 2048 : 1; m < hi + 2048 && m <= top; m++) {
		struct mmu_update u;

		/* ours too, though not in our p2m: shared_info and the grant frame */
		if (own_mfn(m) || m == start_info->shared_info >> 12 || m == gnt_frame0)
			continue;
		tried++;
		rc = HYPERVISOR_update_va_mapping((uint64_t)scratch, (m << 12) | PTE_P | PTE_A, UVMF_INVLPG);
		if (!rc && ++mapped <= 4)
			gprintf("hostile: mapped foreign mfn 0x%lx (M2P 0x%lx)\n", m,
				((const uint64_t *)MACH2PHYS_VIRT_START)[m]);
		u.ptr = (m << 12) | MMU_MACHPHYS_UPDATE;
		u.val = ((const uint64_t *)MACH2PHYS_VIRT_START)[m];   /* unchanged if it works */
		if (!HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF) && ++m2p_set <= 4)
			gprintf("hostile: M2P of foreign mfn 0x%lx accepted\n", m);
	}
	HYPERVISOR_update_va_mapping((uint64_t)scratch, (gnt_mfn_of(scratch) << 12) | PTE_P | PTE_W | PTE_A | PTE_D,
				     UVMF_INVLPG);
	check(tried > 1000 && !mapped, "hc_foreign_frames_not_mapped", "%u of %u mapped (top of RAM 0x%lx)", mapped,
	      tried, top);
	check(!m2p_set, "hc_foreign_m2p_not_set", "%u of %u M2P entries rewritten", m2p_set, tried);

	/* The honest DomU's grant references: none is ours to map or copy */
	{
		unsigned ok = 0;

		for (grant_ref_t r = 0; r < 64; r++) {
			struct gnttab_map_grant_ref m = { .host_addr = (uint64_t)scratch, .flags = GNTMAP_host_map,
							  .ref = r, .dom = honest };
			struct gnttab_copy c;

			HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1);
			if (m.status == GNTST_okay)
				ok++;
			memset(&c, 0, sizeof(c));
			c.source.u.ref = r;
			c.source.domid = honest;
			c.dest.u.gmfn = gnt_mfn_of(scratch);
			c.dest.domid = DOMID_SELF;
			c.len = 8;
			c.flags = GNTCOPY_source_gref;
			HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1);
			if (c.status == GNTST_okay)
				ok++;
		}
		check(!ok, "gnt_other_refs_refused", "%u maps/copies of the honest DomU's refs worked", ok);
	}
	{
		struct gnttab_copy c;

		memset(&c, 0, sizeof(c));
		c.source.u.gmfn = lo > 16 ? lo - 16 : hi + 16;
		c.source.domid = honest;
		c.dest.u.gmfn = gnt_mfn_of(scratch);
		c.dest.domid = DOMID_SELF;
		c.len = 8;
		HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1);
		check_eq("gnt_copy_foreign_gmfn", c.status, GNTST_permission_denied);
		c.source.domid = 0;
		HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1);
		check_eq("gnt_copy_dom0_gmfn", c.status, GNTST_permission_denied);
	}
	/* Ports of others not unbound for us */
	{
		unsigned ok = 0;

		for (evtchn_port_t p = 1; p < 40; p++) {
			struct evtchn_bind_interdomain b = { .remote_dom = honest, .remote_port = p };

			if (!HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b))
				ok++;
			b.remote_dom = 0;
			b.remote_port = p;
			if (!HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b))
				ok++;
		}
		check(!ok, "evt_other_ports_refused", "%u binds worked", ok);
	}
	/* decrease_reservation naming frames not ours: none given back */
	{
		uint64_t ext[4] = { lo > 8 ? lo - 8 : hi + 8, hi + 8, hi + 9, lo > 1 ? lo - 1 : hi + 10 };
		struct xen_memory_reservation r = { .extent_start = (uint64_t)ext, .nr_extents = 0,
						    .domid = DOMID_SELF };
		unsigned n = 0;

		for (int i = 0; i < 4; i++)
			if (!own_mfn(ext[i]))
				ext[n++] = ext[i];
		r.nr_extents = n;
		rc = HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r);
		check(n && rc == 0, "mem_decrease_foreign", "%ld of %u foreign frames given back", rc, n);
	}
	/* limits: event channels, grant frames, memory */
	{
		static evtchn_port_t ports[5000];
		unsigned n = 0;

		while (n < 5000 && !(rc = evt_alloc_unbound(0, &ports[n])))
			n++;
		check(rc == -XEN_ENOSPC && n > 500, "evt_exhausted", "%u ports then %ld", n, rc);
		for (unsigned i = 0; i < n; i++)
			evt_close(ports[i]);
		rc = evt_alloc_unbound(0, &ports[0]);
		check_eq("evt_after_exhaustion", rc, 0);
		evt_close(ports[0]);
	}
	{
		static uint64_t frames[2048];
		struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 2048,
						 .frame_list = (uint64_t)frames };
		struct gnttab_query_size q = { .dom = DOMID_SELF };

		HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);
		rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1);
		check(rc == 0 && st.status == GNTST_general_error, "gnt_setup_beyond_max",
		      "rc %ld status %d (max %u)", rc, st.status, q.max_nr_frames);
		st.nr_frames = q.max_nr_frames + 1;
		HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1);
		check_eq("gnt_setup_max_plus_one", st.status, GNTST_general_error);
	}
	{
		static uint64_t pfns[1024];
		struct xen_memory_reservation r = { .extent_start = (uint64_t)pfns, .nr_extents = 1024,
						    .domid = DOMID_SELF };
		long cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &(domid_t){ DOMID_SELF });
		long max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &(domid_t){ DOMID_SELF });

		for (int i = 0; i < 1024; i++)
			pfns[i] = start_info->nr_pages + 4096 + (uint64_t)i;
		rc = HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
		gprintf("hostile: reservation %ld of max %ld, populate of 1024 more: %ld\n", cur, max, rc);
		check(cur > 0 && max >= cur && rc >= 0 && rc <= max - cur, "mem_populate_beyond_max",
		      "%ld populated with %ld left", rc, max - cur);
		check(HYPERVISOR_memory_op(XENMEM_current_reservation, &(domid_t){ DOMID_SELF }) <= max,
		      "mem_within_max", "above max");
	}
}

static void parse_cmdline(void)
{
	const char *c = (const char *)start_info->cmd_line;

	for (; *c; c++) {
		if (!strncmp(c, "honest=", 7)) {
			for (c += 7; *c >= '0' && *c <= '9'; c++)
				honest = (domid_t)(honest * 10 + (*c - '0'));
			return;
		}
	}
}

void test_main(void)
{
	if (xencons_init())
		guest_exit(SHUTDOWN_crash);   /* nowhere to say it */
	gprintf("hostile: console up (nr_pages %lu, cmdline '%s', shared_info 0x%lx)\n",
		start_info->nr_pages, (const char *)start_info->cmd_line, start_info->shared_info);
	parse_cmdline();
	check(xs_init() == 0, "xs_ring", "store mfn 0x%lx", start_info->store_mfn);
	check(gnt_init() == 0, "gnt_table", "setup_table failed");
	gprintf("hostile: grant frame 0x%lx, store 0x%lx, console 0x%lx\n", gnt_frame0,
		start_info->store_mfn, start_info->console.domU.mfn);
	{
		char b[32];
		int rc = xs_read("name", b, sizeof(b));

		check(rc == 0 && !strcmp(b, "hostile"), "xs_own_name", "%s '%s'", xs_errname(rc), rc ? "" : b);
	}
	blk_attacks();
	net_attacks();
	xs_isolation();
	hc_isolation();
	gprintf("hostile: attacks done\n");
}
