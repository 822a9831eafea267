/*
 * sysctl - what the toolstack asks about the machine and its domains,
 * from Dom0: getdomaininfolist (against getdomaininfo, from a first id,
 * bounded by max_domains), sched_id and the one CPU pool (INFO, FREEINFO,
 * MOVEDOMAIN, the refusals), cputopoinfo and numainfo (one node; sizes
 * asked with NULL arrays, short arrays), getcpuinfo (idle time grows while
 * Dom0 sleeps), readconsole (the whole ring, pieces read incrementally
 * that join up, clear, a stale index, bad buffers), physinfo's hw_cap (the
 * host's feature words: FPU, SSE2, SSE3, long mode). Xen is booted with
 * sched=credit, the scheduler Paravane has.
 */
#include "domu.h"

const char test_name[] = "sysctl";
const int test_styles = STYLE_DIRECT;

static struct xen_sysctl sop;

static long sysctl(uint32_t cmd)
{
	sop.cmd = cmd;
	sop.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	return HC1(__HYPERVISOR_sysctl, &sop);
}

static void clear(void)
{
	memset(&sop, 0, sizeof(sop));
}

static long create(void)
{
	return domu_createdomain(1) ? -1 : domu_op.domain;
}

static long destroy(domid_t id)
{
	memset(&domu_op, 0, sizeof(domu_op));
	return domu_domctl(XEN_DOMCTL_destroydomain, id);
}

static struct xen_domctl_getdomaininfo list[8];

static long infolist(domid_t first, uint32_t max, void *buf)
{
	clear();
	sop.u.getdomaininfolist.first_domain = first;
	sop.u.getdomaininfolist.max_domains = max;
	sop.u.getdomaininfolist.buffer = (uint64_t)buf;
	return sysctl(XEN_SYSCTL_getdomaininfolist);
}

static void domaininfolist(void)
{
	long a = create(), b = create();

	if (a < 0 || b < 0) {
		fail(tname("list_create"), "createdomain failed");
		return;
	}
	memset(list, 0xee, sizeof(list));
	EXPECT("list_all", infolist(0, 8, list), 0);
	EXPECT("list_all_num", sop.u.getdomaininfolist.num_domains, 3);
	EXPECT("list_all_0", list[0].domain, 0);
	EXPECT("list_all_1", list[1].domain, a < b ? a : b);
	EXPECT("list_all_2", list[2].domain, a < b ? b : a);
	/* each record is getdomaininfo's */
	memset(&domu_op, 0, sizeof(domu_op));
	EXPECT("list_vs_info", domu_domctl(XEN_DOMCTL_getdomaininfo, (domid_t)a), 0);
	{
		const struct xen_domctl_getdomaininfo *r = list[1].domain == a ? &list[1] : &list[2];

		check(r->flags == domu_op.u.getdomaininfo.flags && r->tot_pages == domu_op.u.getdomaininfo.tot_pages &&
		      r->max_vcpu_id == domu_op.u.getdomaininfo.max_vcpu_id &&
		      r->shared_info_frame == domu_op.u.getdomaininfo.shared_info_frame,
		      tname("list_same_record"), "flags 0x%x/0x%x", r->flags, domu_op.u.getdomaininfo.flags);
	}
	EXPECT("list_dom0_running", !!(list[0].flags & XEN_DOMINF_running), 1);
	EXPECT("list_max_1", infolist(0, 1, list), 0);
	EXPECT("list_max_1_num", sop.u.getdomaininfolist.num_domains, 1);
	EXPECT("list_from_1", infolist(1, 8, list), 0);
	EXPECT("list_from_1_num", sop.u.getdomaininfolist.num_domains, 2);
	EXPECT("list_from_1_first", list[0].domain, a < b ? a : b);
	EXPECT("list_from_last", infolist((domid_t)(a < b ? b : a), 8, list), 0);
	EXPECT("list_from_last_num", sop.u.getdomaininfolist.num_domains, 1);
	EXPECT("list_past_all", infolist((domid_t)((a < b ? b : a) + 1), 8, list), 0);
	EXPECT("list_past_all_num", sop.u.getdomaininfolist.num_domains, 0);
	EXPECT("list_max_0", infolist(0, 0, NULL), 0);
	EXPECT("list_max_0_num", sop.u.getdomaininfolist.num_domains, 0);
	EXPECT("list_null_buffer", infolist(0, 8, NULL), -XEN_EFAULT);
	EXPECT("list_bad_buffer", infolist(0, 8, (void *)0xffff800000000000ULL), -XEN_EFAULT);
	EXPECT("list_destroy_a", destroy((domid_t)a), 0);
	EXPECT("list_destroy_b", destroy((domid_t)b), 0);
	EXPECT("list_after", infolist(0, 8, list), 0);
	EXPECT("list_after_num", sop.u.getdomaininfolist.num_domains, 1);
}

static uint8_t cpumap[8];
static uint8_t bigmap[1501];

/* The index of the first non-zero byte of p[0, n), or n. */
static unsigned first_nonzero(const uint8_t *p, unsigned n)
{
	unsigned i = 0;

	while (i < n && !p[i])
		i++;
	return i;
}

static long pool(uint32_t opn, uint32_t id, void *map, uint32_t bits)
{
	clear();
	sop.u.cpupool_op.op = opn;
	sop.u.cpupool_op.cpupool_id = id;
	sop.u.cpupool_op.cpumap.bitmap = (uint64_t)map;
	sop.u.cpupool_op.cpumap.nr_bits = bits;
	return sysctl(XEN_SYSCTL_cpupool_op);
}

static void pools(void)
{
	long id;
	uint32_t n_dom;

	clear();
	EXPECT("sched_id", sysctl(XEN_SYSCTL_sched_id), 0);
	EXPECT("sched_id_credit", sop.u.sched_id.sched_id, XEN_SCHEDULER_CREDIT);
	memset(cpumap, 0xee, sizeof(cpumap));
	EXPECT("pool_info", pool(XEN_SYSCTL_CPUPOOL_OP_INFO, 0, cpumap, 64), 0);
	EXPECT("pool_info_id", sop.u.cpupool_op.cpupool_id, 0);
	EXPECT("pool_info_sched", sop.u.cpupool_op.sched_id, XEN_SCHEDULER_CREDIT);
	/* Dom0 alone, once Xen has freed the domains destroyed a moment ago (RCU) */
	for (unsigned i = 0; i < 200 && sop.u.cpupool_op.n_dom != 1; i++) {
		struct sched_poll p = { .nr_ports = 0, .timeout = system_time_ns() + 10000000 };

		HYPERVISOR_sched_op(SCHEDOP_poll, &p);
		pool(XEN_SYSCTL_CPUPOOL_OP_INFO, 0, cpumap, 64);
	}
	n_dom = sop.u.cpupool_op.n_dom;
	EXPECT("pool_info_n_dom", n_dom, 1);
	EXPECT("pool_info_cpus", cpumap[0], 1);   /* one CPU */
	EXPECT("pool_info_rest_zeroed", cpumap[1] | cpumap[7], 0);
	EXPECT("pool_info_1", pool(XEN_SYSCTL_CPUPOOL_OP_INFO, 1, cpumap, 64), -XEN_ENOENT);
	EXPECT("pool_info_none", pool(XEN_SYSCTL_CPUPOOL_OP_INFO, ~0u, cpumap, 64), -XEN_ENOENT);
	EXPECT("pool_info_no_map", pool(XEN_SYSCTL_CPUPOOL_OP_INFO, 0, NULL, 0), 0);
	EXPECT("pool_info_bad_map", pool(XEN_SYSCTL_CPUPOOL_OP_INFO, 0, NULL, 8), -XEN_EFAULT);
	/* a long map: every byte past ours zeroed, none past the caller's */
	memset(bigmap, 0xee, sizeof(bigmap));
	EXPECT("pool_info_long_map", pool(XEN_SYSCTL_CPUPOOL_OP_INFO, 0, bigmap, 1500 * 8), 0);
	EXPECT("pool_info_long_cpus", bigmap[0], 1);
	EXPECT("pool_info_long_zeroed", first_nonzero(bigmap + 1, 1499), 1499);
	EXPECT("pool_info_long_untouched", bigmap[1500], 0xee);
	memset(cpumap, 0xee, sizeof(cpumap));
	EXPECT("pool_freeinfo", pool(XEN_SYSCTL_CPUPOOL_OP_FREEINFO, 0, cpumap, 16), 0);
	EXPECT("pool_freeinfo_none", cpumap[0] | cpumap[1], 0);
	EXPECT("pool_freeinfo_untouched", cpumap[2], 0xee);
	id = create();
	if (id < 0) {
		fail(tname("pool_create_domain"), "createdomain failed");
		return;
	}
	EXPECT("pool_info_2", pool(XEN_SYSCTL_CPUPOOL_OP_INFO, 0, NULL, 0), 0);
	EXPECT("pool_info_2_n_dom", sop.u.cpupool_op.n_dom, n_dom + 1);
	clear();
	sop.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN;
	sop.u.cpupool_op.domid = (uint32_t)id;
	EXPECT("pool_move_same", sysctl(XEN_SYSCTL_cpupool_op), 0);
	sop.u.cpupool_op.domid = 0;
	EXPECT("pool_move_self", sysctl(XEN_SYSCTL_cpupool_op), -XEN_EPERM);
	sop.u.cpupool_op.domid = 1000;
	EXPECT("pool_move_no_domain", sysctl(XEN_SYSCTL_cpupool_op), -XEN_ESRCH);
	sop.u.cpupool_op.domid = (uint32_t)id;
	sop.u.cpupool_op.cpupool_id = 5;
	EXPECT("pool_move_no_pool", sysctl(XEN_SYSCTL_cpupool_op), -XEN_ENOENT);
	EXPECT("pool_destroy_0", pool(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 0, NULL, 0), -XEN_EBUSY);
	EXPECT("pool_destroy_5", pool(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 5, NULL, 0), -XEN_ENOENT);
	clear();
	sop.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_RMCPU;
	sop.u.cpupool_op.cpupool_id = 5;
	EXPECT("pool_rmcpu_5", sysctl(XEN_SYSCTL_cpupool_op), -XEN_ENOENT);
	EXPECT("pool_unknown_op", pool(99, 0, NULL, 0), -XEN_ENOSYS);
	EXPECT("pool_destroy_domain", destroy((domid_t)id), 0);
}

static struct xen_sysctl_cputopo topo[4];
static struct xen_sysctl_meminfo meminfo[2];
static uint32_t distance[4];

static void topology(void)
{
	uint64_t total, free_pages;

	clear();
	EXPECT("cputopo_count", sysctl(XEN_SYSCTL_cputopoinfo), 0);
	EXPECT("cputopo_count_1", sop.u.cputopoinfo.num_cpus, 1);
	clear();
	memset(topo, 0xee, sizeof(topo));
	sop.u.cputopoinfo.num_cpus = 4;
	sop.u.cputopoinfo.cputopo = (uint64_t)topo;
	EXPECT("cputopo", sysctl(XEN_SYSCTL_cputopoinfo), 0);
	EXPECT("cputopo_num", sop.u.cputopoinfo.num_cpus, 1);
	/* Xen under QEMU cannot tell the core (XEN_INVALID_CORE_ID); Paravane numbers them */
	check(topo[0].core == 0 || topo[0].core == XEN_INVALID_CORE_ID, tname("cputopo_core"), "core %u",
	      topo[0].core);
	EXPECT("cputopo_socket", topo[0].socket, 0);
	EXPECT("cputopo_node", topo[0].node, 0);
	EXPECT("cputopo_untouched", topo[1].core, 0xeeeeeeee);
	clear();
	sop.u.cputopoinfo.num_cpus = 0;
	sop.u.cputopoinfo.cputopo = (uint64_t)topo;
	topo[0].core = 0xeeeeeeee;
	EXPECT("cputopo_short", sysctl(XEN_SYSCTL_cputopoinfo), 0);
	EXPECT("cputopo_short_num", sop.u.cputopoinfo.num_cpus, 0);
	EXPECT("cputopo_short_untouched", topo[0].core, 0xeeeeeeee);
	clear();
	sop.u.cputopoinfo.num_cpus = 4;
	sop.u.cputopoinfo.cputopo = 0xffff800000000000ULL;
	EXPECT("cputopo_bad", sysctl(XEN_SYSCTL_cputopoinfo), -XEN_EFAULT);

	clear();
	EXPECT("physinfo", sysctl(XEN_SYSCTL_physinfo), 0);
	/* hw_cap: the host's feature words (1 EDX, 1 ECX, e1 EDX, ...) */
	EXPECT("physinfo_hw_cap_fpu_sse2", sop.u.physinfo.hw_cap[0] & 0x4000001, 0x4000001);
	EXPECT("physinfo_hw_cap_sse3", sop.u.physinfo.hw_cap[1] & 1, 1);
	EXPECT("physinfo_hw_cap_lm", (sop.u.physinfo.hw_cap[2] >> 29) & 1, 1);
	total = sop.u.physinfo.total_pages;
	free_pages = sop.u.physinfo.free_pages;
	clear();
	EXPECT("numainfo_count", sysctl(XEN_SYSCTL_numainfo), 0);
	EXPECT("numainfo_count_1", sop.u.numainfo.num_nodes, 1);
	clear();
	memset(meminfo, 0xee, sizeof(meminfo));
	memset(distance, 0xee, sizeof(distance));
	sop.u.numainfo.num_nodes = 2;
	sop.u.numainfo.meminfo = (uint64_t)meminfo;
	sop.u.numainfo.distance = (uint64_t)distance;
	EXPECT("numainfo", sysctl(XEN_SYSCTL_numainfo), 0);
	EXPECT("numainfo_num", sop.u.numainfo.num_nodes, 1);
	check(meminfo[0].memsize >= total * 4096 && meminfo[0].memsize <= 640ULL << 20,
	      tname("numainfo_memsize"), "memsize %lu, total_pages %lu", (unsigned long)meminfo[0].memsize,
	      (unsigned long)total);
	/* the same free memory as physinfo, give or take a little */
	check(meminfo[0].memfree + (256 << 12) >= free_pages * 4096 &&
	      meminfo[0].memfree <= free_pages * 4096 + (256 << 12),
	      tname("numainfo_memfree"), "memfree %lu, free_pages %lu", (unsigned long)meminfo[0].memfree,
	      (unsigned long)free_pages);
	EXPECT("numainfo_distance", distance[0], 10);
	EXPECT("numainfo_untouched", meminfo[1].memsize, 0xeeeeeeeeeeeeeeeeULL);
	EXPECT("numainfo_distance_untouched", distance[1], 0xeeeeeeee);
	clear();
	sop.u.numainfo.num_nodes = 0;
	sop.u.numainfo.meminfo = (uint64_t)meminfo;
	EXPECT("numainfo_none", sysctl(XEN_SYSCTL_numainfo), 0);
	EXPECT("numainfo_none_num", sop.u.numainfo.num_nodes, 0);
	clear();
	sop.u.numainfo.num_nodes = 1;
	sop.u.numainfo.meminfo = 0xffff800000000000ULL;
	EXPECT("numainfo_bad", sysctl(XEN_SYSCTL_numainfo), -XEN_EFAULT);
}

static struct xen_sysctl_cpuinfo cpuinfo[4];

static long getcpuinfo(uint32_t max, void *buf)
{
	clear();
	sop.u.getcpuinfo.max_cpus = max;
	sop.u.getcpuinfo.info = (uint64_t)buf;
	return sysctl(XEN_SYSCTL_getcpuinfo);
}

/* Dom0 sleeps 100 ms in SCHEDOP_poll: the CPU is idle for most of it */
static void cpuinfo_idle(void)
{
	uint64_t before, after;
	struct sched_poll p = { .nr_ports = 0 };

	memset(cpuinfo, 0xee, sizeof(cpuinfo));
	EXPECT("getcpuinfo", getcpuinfo(4, cpuinfo), 0);
	EXPECT("getcpuinfo_nr", sop.u.getcpuinfo.nr_cpus, 1);
	EXPECT("getcpuinfo_untouched", cpuinfo[1].idletime, 0xeeeeeeeeeeeeeeeeULL);
	before = cpuinfo[0].idletime;
	p.timeout = system_time_ns() + 100000000;
	HYPERVISOR_sched_op(SCHEDOP_poll, &p);
	EXPECT("getcpuinfo_2", getcpuinfo(1, cpuinfo), 0);
	after = cpuinfo[0].idletime;
	check(after >= before + 50000000 && after <= before + 2000000000ULL, tname("getcpuinfo_idle_grew"),
	      "idle %lu ns before a 100 ms sleep, %lu after", (unsigned long)before, (unsigned long)after);
	EXPECT("getcpuinfo_none", getcpuinfo(0, NULL), 0);
	EXPECT("getcpuinfo_none_nr", sop.u.getcpuinfo.nr_cpus, 0);
	EXPECT("getcpuinfo_bad", getcpuinfo(1, (void *)0xffff800000000000ULL), -XEN_EFAULT);
}

static char ring[1 << 17], piece[1 << 17];

static long readconsole(int clear_it, int incremental, uint32_t index, void *buf, uint32_t count)
{
	clear();
	sop.u.readconsole.clear = (uint8_t)clear_it;
	sop.u.readconsole.incremental = (uint8_t)incremental;
	sop.u.readconsole.index = index;
	sop.u.readconsole.buffer = (uint64_t)buf;
	sop.u.readconsole.count = count;
	return sysctl(XEN_SYSCTL_readconsole);
}

/*
 * The boot log is in the ring. Read whole, then in 7-byte incremental
 * pieces from where the whole read began: they join up to the same bytes.
 * Then clear part of it, and all of it.
 */
static void console_ring(void)
{
	uint32_t n, start, end, at, got = 0;
	int same = 1;

	EXPECT("readconsole", readconsole(0, 0, 0, ring, sizeof(ring)), 0);
	n = sop.u.readconsole.count;
	end = sop.u.readconsole.index;
	start = end - n;
	check(n > 100 && n < sizeof(ring), tname("readconsole_boot_log"), "%u bytes", n);
	/* nothing new since (only Dom0 prints, and its output is not logged) */
	EXPECT("readconsole_incr_nothing", readconsole(0, 1, end, piece, sizeof(piece)), 0);
	EXPECT("readconsole_incr_nothing_count", sop.u.readconsole.count, 0);
	EXPECT("readconsole_incr_nothing_index", sop.u.readconsole.index, end);
	for (at = start; at != end && same;) {
		if (readconsole(0, 1, at, piece + got, 7)) {
			same = 0;
			break;
		}
		same &= sop.u.readconsole.index == at + sop.u.readconsole.count && sop.u.readconsole.count > 0;
		got += sop.u.readconsole.count;
		at = sop.u.readconsole.index;
	}
	check(same && got == n && !memcmp(piece, ring, n), tname("readconsole_pieces_join"),
	      "%u of %u bytes, same %d", got, n, same);
	/* an index the ring no longer has (before the oldest byte): read from the oldest */
	EXPECT("readconsole_stale_index", readconsole(0, 1, start - 1, piece, 16), 0);
	EXPECT("readconsole_stale_index_from_oldest", memcmp(piece, ring, 16), 0);
	EXPECT("readconsole_stale_index_end", sop.u.readconsole.index, start + 16);
	/* not incremental: the index given is ignored */
	EXPECT("readconsole_not_incr", readconsole(0, 0, start + 5, piece, 16), 0);
	EXPECT("readconsole_not_incr_from_oldest", memcmp(piece, ring, 16), 0);
	EXPECT("readconsole_zero", readconsole(0, 0, 0, NULL, 0), 0);
	EXPECT("readconsole_zero_count", sop.u.readconsole.count, 0);
	EXPECT("readconsole_null", readconsole(0, 0, 0, NULL, 16), -XEN_EFAULT);
	EXPECT("readconsole_bad", readconsole(0, 0, 0, (void *)0xffff800000000000ULL, 16), -XEN_EFAULT);
	/* clear what was read: 10 bytes, then the ring starts 10 bytes later */
	EXPECT("readconsole_clear_10", readconsole(1, 0, 0, piece, 10), 0);
	EXPECT("readconsole_clear_10_count", sop.u.readconsole.count, 10);
	EXPECT("readconsole_after_clear", readconsole(0, 0, 0, piece, sizeof(piece)), 0);
	EXPECT("readconsole_after_clear_count", sop.u.readconsole.count, n - 10);
	EXPECT("readconsole_after_clear_bytes", memcmp(piece, ring + 10, n - 10), 0);
	EXPECT("readconsole_clear_all", readconsole(1, 0, 0, piece, sizeof(piece)), 0);
	EXPECT("readconsole_clear_all_count", sop.u.readconsole.count, n - 10);
	EXPECT("readconsole_empty", readconsole(0, 0, 0, piece, sizeof(piece)), 0);
	EXPECT("readconsole_empty_count", sop.u.readconsole.count, 0);
	EXPECT("readconsole_empty_index", sop.u.readconsole.index, end);
}

static int port_pending(evtchn_port_t p)
{
	return (shared_info->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

/*
 * VIRQ_CON_RING: raised when the hypervisor's log grows. Something each
 * hypervisor logs is made to happen: a createdomain (Paravane logs it)
 * and hypercall_init naming a frame the new domain does not own (Xen logs
 * the refused reference); the port (masked: polled) is pending within
 * 100 ms, and an incremental read from the old end finds the new bytes.
 */
static void con_ring_virq(void)
{
	struct evtchn_bind_virq bv = { .virq = VIRQ_CON_RING, .vcpu = 0 };
	struct evtchn_close cl;
	uint32_t end;
	uint64_t until;
	long id;

	EXPECT("con_ring_bind", HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), 0);
	__atomic_fetch_or(&shared_info->evtchn_mask[bv.port / 64], 1ULL << (bv.port % 64), __ATOMIC_SEQ_CST);
	EXPECT("con_ring_end", readconsole(0, 0, 0, ring, sizeof(ring)), 0);
	end = sop.u.readconsole.index;
	__atomic_fetch_and(&shared_info->evtchn_pending[bv.port / 64], ~(1ULL << (bv.port % 64)), __ATOMIC_SEQ_CST);
	EXPECT("con_ring_quiet", port_pending(bv.port), 0);
	id = create();
	if (id < 0) {
		fail(tname("con_ring_create"), "createdomain failed");
		return;
	}
	memset(&domu_op, 0, sizeof(domu_op));
	domu_op.u.hypercall_init.gmfn = ((uint64_t *)start_info->mfn_list)[0];   /* Dom0's */
	EXPECT("con_ring_refused_frame", domu_domctl(XEN_DOMCTL_hypercall_init, (domid_t)id), -XEN_EINVAL);
	EXPECT("con_ring_destroy", destroy((domid_t)id), 0);
	for (until = system_time_ns() + 100000000; !port_pending(bv.port) && system_time_ns() < until;)
		;
	EXPECT("con_ring_virq_pending", port_pending(bv.port), 1);
	EXPECT("con_ring_new_bytes", readconsole(0, 1, end, piece, sizeof(piece)), 0);
	check(sop.u.readconsole.count > 0, tname("con_ring_new_bytes_count"), "nothing new after index %u", end);
	cl.port = bv.port;
	EXPECT("con_ring_close", HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl), 0);
}

void test_main(void)
{
	domaininfolist();
	pools();
	topology();
	cpuinfo_idle();
	console_ring();
	con_ring_virq();
}
