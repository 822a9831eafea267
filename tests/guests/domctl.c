/*
 * domctl - the toolstack's domain life cycle, from Dom0: createdomain
 * (auto and explicit ids, refused configurations), getdomaininfo, max_mem,
 * max_vcpus, pause/unpause counting, a privileged foreign populate_physmap
 * into the new domain (bounded by max_mem), destroydomain, and reclaim:
 * many more create/populate/destroy rounds than the machine has memory
 * for, so every round must get its frames back. Bad inputs: a wrong
 * interface version, an unknown command, ids that name no domain or the
 * caller itself. Teardown of a domain with a pinned page-table tree (long
 * enough to be cut into continuations), and of one whose frame Dom0 still
 * maps: it lingers, dying, until that mapping goes, then vanishes.
 */
#include "domu.h"   /* its windows: domu_map_window, domu_own_pte */

const char test_name[] = "domctl";
const int test_styles = STYLE_DIRECT;   /* creates and destroys domains: run once */

/* 512 frames per round; ROUNDS of them is more than the 512 MiB machine holds */
#define ROUND_FRAMES 512
#define ROUNDS 300

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t frames[2 * ROUND_FRAMES];
static struct xen_domctl op;

/* a page of ours whose mapping is borrowed to reach the new domain's frames */
#define window domu_windows[0]

static long domctl(uint32_t cmd, domid_t dom)
{
	op.cmd = cmd;
	op.domain = dom;
	if (!op.interface_version)
		op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	return HC1(__HYPERVISOR_domctl, &op);
}

static void clear_op(void)
{
	memset(&op, 0, sizeof(op));
}

/* createdomain's arguments as libxl gives them */
static void create_args(uint32_t flags, uint32_t max_vcpus)
{
	clear_op();
	op.u.createdomain.flags = flags;
	op.u.createdomain.max_vcpus = max_vcpus;
	op.u.createdomain.max_evtchn_port = 1023;
	op.u.createdomain.max_grant_frames = -1;
	op.u.createdomain.max_maptrack_frames = -1;
	op.u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(1);
	for (unsigned i = 0; i < sizeof(op.u.createdomain.handle); i++)
		op.u.createdomain.handle[i] = (uint8_t)(0xa0 + i);
}

static long create(domid_t want, uint32_t flags, uint32_t max_vcpus)
{
	create_args(flags, max_vcpus);
	return domctl(XEN_DOMCTL_createdomain, want);
}

static long info(domid_t dom)
{
	clear_op();
	return domctl(XEN_DOMCTL_getdomaininfo, dom);
}

static long set_max_mem(domid_t dom, uint64_t kb)
{
	clear_op();
	op.u.max_mem.max_memkb = kb;
	return domctl(XEN_DOMCTL_max_mem, dom);
}

static long simple(uint32_t cmd, domid_t dom)
{
	clear_op();
	return domctl(cmd, dom);
}

static struct xen_sysctl sop;

static long sysctl(uint32_t cmd, uint32_t version)
{
	memset(&sop, 0, sizeof(sop));
	sop.cmd = cmd;
	sop.interface_version = version;
	return HC1(__HYPERVISOR_sysctl, &sop);
}

/* XEN_SYSCTL_physinfo's free_pages, 0 on failure (reported) */
static uint64_t free_pages(const char *when)
{
	long rc = sysctl(XEN_SYSCTL_physinfo, XEN_SYSCTL_INTERFACE_VERSION);

	check(rc == 0 && sop.u.physinfo.free_pages, tname(when), "physinfo: %ld", rc);
	return rc ? 0 : sop.u.physinfo.free_pages;
}

/*
 * Freeing lags a little on Xen (the domain structure goes after an RCU
 * grace period); a domain's populated frames are far more than this.
 */
#define FREE_SLACK 64

static long populate(domid_t dom, uint64_t n)
{
	struct xen_memory_reservation r = {
		.extent_start = (uint64_t)frames, .nr_extents = n, .extent_order = 0, .domid = dom,
	};

	for (uint64_t i = 0; i < n; i++)
		frames[i] = i;   /* the pseudo-physical frame each new frame is for */
	return HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
}

/* Point `window` at frame mfn of domain dom (0: back to our own frame). */
static long map_window(domid_t dom, uint64_t mfn, uint64_t flags)
{
	return domu_map_window(0, dom, mfn, flags);
}

static long pin_foreign(domid_t dom, unsigned cmd, uint64_t mfn)
{
	struct mmuext_op op = { .cmd = cmd };

	op.arg1.mfn = mfn;
	return HYPERVISOR_mmuext_op(&op, 1, NULL, dom);
}

/*
 * A frame of ours named as the new domain's (a toolstack's stale or wrong
 * frame number): refused, writable or not, as on Xen 4.17 (-EBUSY); it must
 * not map our own page instead. The window still maps our own frame after.
 */
static void own_frame_as_foreign(domid_t id)
{
	uint64_t ours = domu_own_mfn(frames);
	uint64_t before = domu_own_pte(window);

	EXPECT("own_frame_as_foreign_rw", map_window(id, ours, PTE_P | PTE_W | PTE_A | PTE_D), -XEN_EBUSY);
	EXPECT("own_frame_as_foreign_ro", map_window(id, ours, PTE_P | PTE_A), -XEN_EBUSY);
	check_eq_hex(tname("own_frame_as_foreign_unchanged"), domu_own_pte(window), before);
	map_window(DOMID_SELF, 0, 0);
}

/*
 * A domain with a pinned 4-level tree: one L4, L3, L2 and TREE_L1 full L1s
 * (every entry names the same data frame), written by Dom0 through a
 * borrowed mapping, then pinned from Dom0 (as a domain builder does).
 * Devalidating it at destroy takes TREE_L1 * 512 entry drops: long enough
 * for the teardown to continue several times under TCG. Afterwards the id
 * is free only if every frame came back (else the domain would linger).
 */
#define TREE_L1 64
static void tree_teardown(void)
{
	domid_t id;
	uint64_t l4, l3, l2, data, *l1;
	long rc;
	int written = 1;
	uint64_t free_before = free_pages("tree_free_before"), free_after;

	if (create(0, 0, 1)) {
		fail(tname("tree_create"), "createdomain failed");
		return;
	}
	id = op.domain;
	EXPECT("tree_max_mem", set_max_mem(id, (TREE_L1 + 8) * 4), 0);
	EXPECT("tree_populate", populate(id, TREE_L1 + 4), TREE_L1 + 4);
	l4 = frames[0], l3 = frames[1], l2 = frames[2], data = frames[3], l1 = &frames[4];
	for (unsigned k = 0; k < TREE_L1 && written; k++) {
		written &= map_window(id, l1[k], PTE_P | PTE_W | PTE_A | PTE_D) == 0;
		for (unsigned j = 0; j < 512; j++)
			((uint64_t *)window)[j] = (data << 12) | PTE_P | PTE_U | PTE_A;
	}
	written &= map_window(id, l2, PTE_P | PTE_W | PTE_A | PTE_D) == 0;
	for (unsigned k = 0; k < TREE_L1; k++)
		((uint64_t *)window)[k] = (l1[k] << 12) | PTE_P | PTE_W | PTE_U | PTE_A;
	written &= map_window(id, l3, PTE_P | PTE_W | PTE_A | PTE_D) == 0;
	((uint64_t *)window)[0] = (l2 << 12) | PTE_P | PTE_W | PTE_U | PTE_A;
	written &= map_window(id, l4, PTE_P | PTE_W | PTE_A | PTE_D) == 0;
	((uint64_t *)window)[0] = (l3 << 12) | PTE_P | PTE_W | PTE_U | PTE_A;
	written &= map_window(DOMID_SELF, 0, 0) == 0;
	check(written, tname("tree_written"), "a foreign writable mapping was refused");
	own_frame_as_foreign(id);
	rc = pin_foreign(id, MMUEXT_PIN_L4_TABLE, l4);
	EXPECT("tree_pin_l4", rc, 0);
	/* now a table: Dom0 may not map it writable any more */
	EXPECT("tree_l1_not_writable", map_window(id, l1[0], PTE_P | PTE_W | PTE_A | PTE_D) < 0, 1);
	map_window(DOMID_SELF, 0, 0);
	EXPECT("tree_info", info(id), 0);
	EXPECT("tree_info_tot_pages", op.u.getdomaininfo.tot_pages, TREE_L1 + 4);
	EXPECT("tree_destroy", simple(XEN_DOMCTL_destroydomain, id), 0);
	EXPECT("tree_all_back", info(id), -XEN_ESRCH);
	free_after = free_pages("tree_free_after");
	check(free_after + FREE_SLACK >= free_before, tname("tree_free_came_back"),
	      "before %lu, after destroy %lu", (unsigned long)free_before, (unsigned long)free_after);
}

static long sched_op(domid_t dom, uint32_t sched_id, uint32_t cmd, uint16_t weight, uint16_t cap);
static long pageframeinfo(domid_t id, uint64_t num, void *array);

/*
 * Xen 4.17 answers these for a dying domain as for any other; resume
 * leaves it dying. The frame Dom0 still maps is the domain's, not a table.
 */
static void zombie_domctls(domid_t id)
{
	uint64_t one = frames[7];

	EXPECT("zombie_sched_getinfo", sched_op(id, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, 0, 0), 0);
	EXPECT("zombie_sethandle", simple(XEN_DOMCTL_setdomainhandle, id), 0);
	EXPECT("zombie_get_address_size", simple(XEN_DOMCTL_get_address_size, id), 0);
	EXPECT("zombie_settimeoffset", simple(XEN_DOMCTL_settimeoffset, id), 0);
	EXPECT("zombie_pfinfo3", pageframeinfo(id, 1, &one), 0);
	check_eq_hex(tname("zombie_pfinfo3_type"), one, XEN_DOMCTL_PFINFO_NOTAB);
	EXPECT("zombie_resume", simple(XEN_DOMCTL_resumedomain, id), 0);
	EXPECT("zombie_resume_info", info(id), 0);
	EXPECT("zombie_resume_still_dying", op.u.getdomaininfo.flags & XEN_DOMINF_dying, XEN_DOMINF_dying);
}

/*
 * Dom0 maps a frame of the domain and keeps it mapped across the destroy:
 * that frame cannot go back, so the domain lingers, dying, owning just it;
 * when Dom0 lets go, the domain is gone.
 */
static void zombie(void)
{
	domid_t id;

	if (create(0, 0, 1)) {
		fail(tname("zombie_create"), "createdomain failed");
		return;
	}
	id = op.domain;
	EXPECT("zombie_max_mem", set_max_mem(id, 64 * 4), 0);
	EXPECT("zombie_populate", populate(id, 64), 64);
	EXPECT("zombie_map", map_window(id, frames[7], PTE_P | PTE_A), 0);
	EXPECT("zombie_destroy", simple(XEN_DOMCTL_destroydomain, id), 0);
	EXPECT("zombie_info", info(id), 0);
	EXPECT("zombie_info_domain", op.u.getdomaininfo.domain, id);
	EXPECT("zombie_info_dying", op.u.getdomaininfo.flags & XEN_DOMINF_dying, XEN_DOMINF_dying);
	EXPECT("zombie_info_tot_pages", op.u.getdomaininfo.tot_pages, 1);
	EXPECT("zombie_populate_refused", populate(id, 1), 0);
	zombie_domctls(id);
	EXPECT("zombie_unmap", map_window(DOMID_SELF, 0, 0), 0);
	EXPECT("zombie_gone", info(id), -XEN_ESRCH);
}

static void physinfo(void)
{
	EXPECT("sysctl_bad_version", sysctl(XEN_SYSCTL_physinfo, XEN_SYSCTL_INTERFACE_VERSION - 1),
	       -XEN_EACCES);
	EXPECT("sysctl_unknown_cmd", sysctl(9999, XEN_SYSCTL_INTERFACE_VERSION), -XEN_ENOSYS);
	EXPECT("sysctl_null", HC1(__HYPERVISOR_sysctl, 0), -XEN_EFAULT);
	EXPECT("physinfo", sysctl(XEN_SYSCTL_physinfo, XEN_SYSCTL_INTERFACE_VERSION), 0);
	check(sop.u.physinfo.nr_cpus >= 1 && sop.u.physinfo.max_cpu_id < 4096,
	      tname("physinfo_cpus"), "nr_cpus %u max_cpu_id %u", sop.u.physinfo.nr_cpus,
	      sop.u.physinfo.max_cpu_id);
	/* 512 MiB machine, 64 MiB Dom0 */
	check(sop.u.physinfo.total_pages > 100000 && sop.u.physinfo.total_pages <= 131072,
	      tname("physinfo_total"), "total_pages %lu", (unsigned long)sop.u.physinfo.total_pages);
	check(sop.u.physinfo.free_pages > 50000 && sop.u.physinfo.free_pages < sop.u.physinfo.total_pages,
	      tname("physinfo_free"), "free_pages %lu", (unsigned long)sop.u.physinfo.free_pages);
	check(sop.u.physinfo.capabilities & XEN_SYSCTL_PHYSCAP_pv, tname("physinfo_pv"),
	      "capabilities 0x%x", sop.u.physinfo.capabilities);
	/* libxl derives createdomain's grant version from these (none: 0, refused) */
	EXPECT("physinfo_gnttab_v1", sop.u.physinfo.capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v1,
	       XEN_SYSCTL_PHYSCAP_gnttab_v1);
	EXPECT("physinfo_gnttab_v2", sop.u.physinfo.capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v2,
	       XEN_SYSCTL_PHYSCAP_gnttab_v2);
	check(sop.u.physinfo.max_mfn >= sop.u.physinfo.total_pages - 1, tname("physinfo_max_mfn"),
	      "max_mfn %lu", (unsigned long)sop.u.physinfo.max_mfn);
}

static void bad_inputs(void)
{
	clear_op();
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION - 1;
	EXPECT("old_interface_version", domctl(XEN_DOMCTL_getdomaininfo, 0), -XEN_EACCES);
	clear_op();
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION + 1;
	EXPECT("new_interface_version", domctl(XEN_DOMCTL_createdomain, 0), -XEN_EACCES);
	EXPECT("unknown_cmd", simple(9999, 0), -XEN_ENOSYS);
	EXPECT("unknown_cmd_no_domain", simple(9999, 1000), -XEN_ESRCH);
	EXPECT("null_op", HC1(__HYPERVISOR_domctl, 0), -XEN_EFAULT);
	EXPECT("getdomaininfo_free_id", info(1000), -XEN_ESRCH);
	EXPECT("destroy_self_id", simple(XEN_DOMCTL_destroydomain, DOMID_SELF), -XEN_ESRCH);
	EXPECT("destroy_dom0", simple(XEN_DOMCTL_destroydomain, 0), -XEN_EINVAL);
	EXPECT("destroy_free_id", simple(XEN_DOMCTL_destroydomain, 1000), -XEN_ESRCH);
	EXPECT("pause_self", simple(XEN_DOMCTL_pausedomain, 0), -XEN_EINVAL);
	EXPECT("max_mem_free_id", set_max_mem(1000, 1024), -XEN_ESRCH);
	EXPECT("create_no_vcpus", create(0, 0, 0), -XEN_EINVAL);
	EXPECT("create_too_many_vcpus", create(0, 0, 100000), -XEN_EINVAL);
	EXPECT("create_hvm", create(0, XEN_DOMCTL_CDF_hvm, 1), -XEN_EINVAL);
	EXPECT("create_hap_without_hvm", create(0, XEN_DOMCTL_CDF_hap, 1), -XEN_EINVAL);
	EXPECT("create_unknown_flag", create(0, 1u << 20, 1), -XEN_EINVAL);
}

static void dom0_info(void)
{
	EXPECT("getdomaininfo_dom0", info(0), 0);
	EXPECT("dom0_info_domain", op.u.getdomaininfo.domain, 0);
	EXPECT("dom0_info_echoed", op.domain, 0);
	check(op.u.getdomaininfo.tot_pages > 1000, tname("dom0_info_tot_pages"),
	      "tot_pages %lu", (unsigned long)op.u.getdomaininfo.tot_pages);
	check(op.u.getdomaininfo.flags & XEN_DOMINF_running, tname("dom0_info_running"),
	      "flags 0x%x", op.u.getdomaininfo.flags);
	check(!(op.u.getdomaininfo.flags & (XEN_DOMINF_paused | XEN_DOMINF_dying)),
	      tname("dom0_info_not_paused"), "flags 0x%x", op.u.getdomaininfo.flags);
	EXPECT("dom0_info_online_vcpus", op.u.getdomaininfo.nr_online_vcpus, 1);
	EXPECT("dom0_info_max_vcpu_id", op.u.getdomaininfo.max_vcpu_id, 0);
}

/*
 * XENMEM_acquire_resource from Dom0 for another domain. libxenguest falls
 * back to its older path only on -EOPNOTSUPP, Xen's answer for a type it
 * does not offer.
 */
static struct xen_mem_acquire_resource res;

static long acquire(domid_t dom, uint16_t type, uint32_t id, uint32_t nr, uint64_t *list)
{
	memset(&res, 0, sizeof(res));
	res.domid = dom, res.type = type, res.id = id, res.nr_frames = nr;
	res.frame_list = (uint64_t)list;
	return HYPERVISOR_memory_op(XENMEM_acquire_resource, &res);
}

static void acquire_resource(domid_t id)
{
	uint64_t list[4] = { 0 };

	/* types Xen 4.17 does not offer */
	EXPECT("acquire_unknown_type", acquire(id, 3, 0, 1, list), -XEN_EOPNOTSUPP);
	EXPECT("acquire_unknown_type_99", acquire(id, 99, 0, 1, list), -XEN_EOPNOTSUPP);
	/* its size: Xen 4.17 returns -EOPNOTSUPP cast into the unsigned field */
	EXPECT("acquire_unknown_size", acquire(id, 99, 0, 0, NULL), 0);
	EXPECT("acquire_unknown_size_nr", res.nr_frames, (uint32_t)-XEN_EOPNOTSUPP);
	/* a PV domain has no ioreq server; no vmtrace buffer was asked for */
	EXPECT("acquire_ioreq_pv", acquire(id, XENMEM_resource_ioreq_server, 0, 1, list), -XEN_EINVAL);
	EXPECT("acquire_ioreq_size", acquire(id, XENMEM_resource_ioreq_server, 0, 0, NULL), -XEN_EINVAL);
	EXPECT("acquire_vmtrace_none", acquire(id, XENMEM_resource_vmtrace_buf, 0, 1, list), -XEN_EINVAL);
	EXPECT("acquire_vmtrace_size", acquire(id, XENMEM_resource_vmtrace_buf, 0, 0, NULL), -XEN_EINVAL);
	/* the grant table: 64 frames (createdomain's default), 8 v2 status frames */
	EXPECT("acquire_gnt_size", acquire(id, XENMEM_resource_grant_table, 0, 0, NULL), 0);
	EXPECT("acquire_gnt_size_nr", res.nr_frames, 64);
	EXPECT("acquire_gnt_status_size", acquire(id, XENMEM_resource_grant_table, 1, 0, NULL), 0);
	EXPECT("acquire_gnt_status_size_nr", res.nr_frames, 8);
	EXPECT("acquire_gnt_bad_id", acquire(id, XENMEM_resource_grant_table, 2, 1, list), -XEN_EINVAL);
	EXPECT("acquire_gnt_1", acquire(id, XENMEM_resource_grant_table, 0, 1, list), 0);
	EXPECT("acquire_gnt_1_nr", res.nr_frames, 1);
	check(list[0] != 0, tname("acquire_gnt_1_mfn"), "no MFN");
	/* bad arguments */
	EXPECT("acquire_gnt_null_list", acquire(id, XENMEM_resource_grant_table, 0, 1, NULL), -XEN_EINVAL);
	EXPECT("acquire_unknown_null_list", acquire(id, 99, 0, 1, NULL), -XEN_EINVAL);
	memset(&res, 0, sizeof(res));
	res.domid = id, res.type = 99, res.nr_frames = 1, res.frame_list = (uint64_t)list, res.flags = 1;
	EXPECT("acquire_pad", HYPERVISOR_memory_op(XENMEM_acquire_resource, &res), -XEN_EINVAL);
	EXPECT("acquire_no_domain", acquire(1000, 3, 0, 1, list), -XEN_ESRCH);
	EXPECT("acquire_self", acquire(DOMID_SELF, 99, 0, 1, list), -XEN_ESRCH);
	EXPECT("acquire_own_id", acquire(0, 99, 0, 1, list), -XEN_EPERM);
}

/* One domain through its whole life, checked at each step. */
static void life_cycle(void)
{
	domid_t id;
	long rc;
	int handle_ok = 1;
	uint64_t free_before = free_pages("free_before"), free_full;

	rc = create(0, 0, 2);
	EXPECT("create", rc, 0);
	if (rc)
		return;
	id = op.domain;
	check(id >= 1 && id < DOMID_FIRST_RESERVED, tname("create_domid"), "domid %u", id);
	EXPECT("create_same_id", create(id, 0, 1), -XEN_EEXIST);

	EXPECT("info_new", info(id), 0);
	EXPECT("info_new_domain", op.u.getdomaininfo.domain, id);
	/* the shutdown code's bits: Xen's "none yet" (~0) shifted in */
	EXPECT("info_new_flags", op.u.getdomaininfo.flags, XEN_DOMINF_paused | 0xffff0000u);
	EXPECT("info_new_tot_pages", op.u.getdomaininfo.tot_pages, 0);
	EXPECT("info_new_online_vcpus", op.u.getdomaininfo.nr_online_vcpus, 0);
	check(op.u.getdomaininfo.shared_info_frame != 0, tname("info_new_shared_info"), "0");
	for (unsigned i = 0; i < 16; i++)
		handle_ok &= op.u.getdomaininfo.handle[i] == (uint8_t)(0xa0 + i);
	check(handle_ok, tname("info_new_handle"), "handle not echoed");
	/* Xen 4.17: the first domain at or above the id asked for */
	EXPECT("info_next_from_id", info((domid_t)(id > 1 ? 1 : id)), 0);
	EXPECT("info_next_from_id_domain", op.u.getdomaininfo.domain, id);

	clear_op();
	op.u.max_vcpus.max = 2;
	EXPECT("max_vcpus_same", domctl(XEN_DOMCTL_max_vcpus, id), 0);
	/* (Xen 4.17 makes the vCPUs only now: before, max_vcpu_id is ~0 there) */
	EXPECT("info_vcpus", info(id), 0);
	EXPECT("info_vcpus_max_vcpu_id", op.u.getdomaininfo.max_vcpu_id, 1);
	EXPECT("info_vcpus_online", op.u.getdomaininfo.nr_online_vcpus, 0);
	/* a domain that never ran has used no CPU time, however long it waits */
	{
		uint64_t until = system_time_ns() + 30000000;   /* 30 ms: several timer ticks */

		while (system_time_ns() < until)
			;
	}
	EXPECT("info_never_ran", info(id), 0);
	EXPECT("info_never_ran_cpu_time", op.u.getdomaininfo.cpu_time, 0);
	clear_op();
	op.u.max_vcpus.max = 3;
	EXPECT("max_vcpus_other", domctl(XEN_DOMCTL_max_vcpus, id), -XEN_EINVAL);

	acquire_resource(id);
	EXPECT("populate_no_allowance", populate(id, 16), 0);
	EXPECT("max_mem", set_max_mem(id, ROUND_FRAMES * 2 * 4), 0);
	EXPECT("info_max_pages", info(id), 0);
	EXPECT("info_max_pages_value", op.u.getdomaininfo.max_pages, ROUND_FRAMES * 2);
	EXPECT("populate_foreign", populate(id, ROUND_FRAMES), ROUND_FRAMES);
	EXPECT("info_populated", info(id), 0);
	EXPECT("info_populated_tot_pages", op.u.getdomaininfo.tot_pages, ROUND_FRAMES);
	/* past max_mem: only what fits */
	EXPECT("populate_past_max", populate(id, ROUND_FRAMES + 100), ROUND_FRAMES);
	EXPECT("info_full", info(id), 0);
	EXPECT("info_full_tot_pages", op.u.getdomaininfo.tot_pages, ROUND_FRAMES * 2);
	free_full = free_pages("free_full");
	check(free_full + ROUND_FRAMES * 2 <= free_before, tname("free_went_down"),
	      "before %lu, with %u frames given out %lu", (unsigned long)free_before,
	      ROUND_FRAMES * 2, (unsigned long)free_full);

	/* the controller's pause count: created at 1 */
	EXPECT("pause", simple(XEN_DOMCTL_pausedomain, id), 0);
	EXPECT("unpause_1", simple(XEN_DOMCTL_unpausedomain, id), 0);
	EXPECT("info_still_paused", info(id), 0);
	EXPECT("info_still_paused_flags", op.u.getdomaininfo.flags & XEN_DOMINF_paused,
	       XEN_DOMINF_paused);
	EXPECT("unpause_2", simple(XEN_DOMCTL_unpausedomain, id), 0);
	EXPECT("info_unpaused", info(id), 0);
	EXPECT("info_unpaused_flags", op.u.getdomaininfo.flags, 0xffff0000u);
	EXPECT("unpause_too_often", simple(XEN_DOMCTL_unpausedomain, id), -XEN_EINVAL);

	EXPECT("destroy", simple(XEN_DOMCTL_destroydomain, id), 0);
	EXPECT("info_destroyed", info(id), -XEN_ESRCH);
	{
		uint64_t free_after = free_pages("free_after");

		check(free_after + FREE_SLACK >= free_before, tname("free_came_back"),
		      "before %lu, after destroy %lu", (unsigned long)free_before,
		      (unsigned long)free_after);
		gprintf("free pages: %lu before, %lu with the domain full, %lu after its destroy\n",
			(unsigned long)free_before, (unsigned long)free_full, (unsigned long)free_after);
	}
	EXPECT("destroy_again", simple(XEN_DOMCTL_destroydomain, id), -XEN_ESRCH);
	EXPECT("populate_destroyed", populate(id, 1), 0);   /* Xen: no domain, nothing done */
}

/*
 * VIRQ_DOM_EXC (global, bound by Dom0): raised when a domain shuts down
 * (here by SCHEDOP_remote_shutdown) and when a destroyed domain is dead,
 * so that xenstored and the toolstack learn of it. Masked: polled, no upcall.
 */
static int port_pending(evtchn_port_t p)
{
	return (shared_info->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

static void port_clear(evtchn_port_t p)
{
	__atomic_fetch_and(&shared_info->evtchn_pending[p / 64], ~(1ULL << (p % 64)), __ATOMIC_SEQ_CST);
}

/*
 * Xen 4.17 finishes destroying a domain after destroydomain has returned
 * (the last reference goes in an RCU callback) and raises VIRQ_DOM_EXC
 * then, so the domains of the cases before may still signal: wait until
 * the port stays quiet for 50 ms (2 s at most) before looking for a
 * signal of our own. Seen once on a busy host: dom_exc_not_on_create got 1.
 */
static void dom_exc_settle(evtchn_port_t p)
{
	uint64_t start = system_time_ns(), quiet = start;

	while (system_time_ns() - quiet < 50000000ULL && system_time_ns() - start < 2000000000ULL) {
		if (port_pending(p)) {
			port_clear(p);
			quiet = system_time_ns();
		}
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	port_clear(p);
}

static void dom_exc(void)
{
	struct evtchn_bind_virq bv = { .virq = VIRQ_DOM_EXC, .vcpu = 0 };
	struct sched_remote_shutdown rs = { .reason = SHUTDOWN_reboot };
	struct evtchn_close cl;
	evtchn_port_t p;
	domid_t id;

	EXPECT("dom_exc_bind", HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), 0);
	p = bv.port;
	__atomic_fetch_or(&shared_info->evtchn_mask[p / 64], 1ULL << (p % 64), __ATOMIC_SEQ_CST);
	dom_exc_settle(p);
	if (create(0, 0, 1)) {
		fail(tname("dom_exc_create"), "createdomain failed");
		return;
	}
	id = op.domain;
	EXPECT("dom_exc_not_on_create", port_pending(p), 0);
	rs.domain_id = id;
	EXPECT("dom_exc_remote_shutdown", HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), 0);
	EXPECT("dom_exc_on_shutdown", port_pending(p), 1);
	EXPECT("dom_exc_shutdown_info", info(id), 0);
	EXPECT("dom_exc_shutdown_flags", op.u.getdomaininfo.flags & (XEN_DOMINF_shutdown | 0xffff0000u),
	       XEN_DOMINF_shutdown | (SHUTDOWN_reboot << 16));
	port_clear(p);
	EXPECT("dom_exc_destroy", simple(XEN_DOMCTL_destroydomain, id), 0);
	EXPECT("dom_exc_on_destroy", port_pending(p), 1);
	port_clear(p);
	cl.port = p;
	EXPECT("dom_exc_close", HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl), 0);
}


/* ---- limits, scheduling, permissions ---- */

static long sched_op(domid_t dom, uint32_t sched_id, uint32_t cmd, uint16_t weight, uint16_t cap)
{
	clear_op();
	op.u.scheduler_op.sched_id = sched_id;
	op.u.scheduler_op.cmd = cmd;
	op.u.scheduler_op.u.credit.weight = weight;
	op.u.scheduler_op.u.credit.cap = cap;
	return domctl(XEN_DOMCTL_scheduler_op, dom);
}

/*
 * The credit scheduler's parameters (Xen is booted with sched=credit, the
 * only scheduler Paravane has): defaults, putinfo's "leave as is" values,
 * bad sched_id and cmd.
 */
static void scheduler_op(domid_t id)
{
	EXPECT("sched_getinfo", sched_op(id, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, 0, 0), 0);
	EXPECT("sched_default_weight", op.u.scheduler_op.u.credit.weight, 256);
	EXPECT("sched_default_cap", op.u.scheduler_op.u.credit.cap, 0);
	EXPECT("sched_putinfo", sched_op(id, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_putinfo, 512, 50), 0);
	EXPECT("sched_getinfo_2", sched_op(id, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, 0, 0), 0);
	EXPECT("sched_weight_set", op.u.scheduler_op.u.credit.weight, 512);
	EXPECT("sched_cap_set", op.u.scheduler_op.u.credit.cap, 50);
	/* weight 0 and cap 0xffff: unchanged */
	EXPECT("sched_put_keep", sched_op(id, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_putinfo, 0, 0xffff), 0);
	EXPECT("sched_getinfo_3", sched_op(id, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, 0, 0), 0);
	EXPECT("sched_weight_kept", op.u.scheduler_op.u.credit.weight, 512);
	EXPECT("sched_cap_kept", op.u.scheduler_op.u.credit.cap, 50);
	EXPECT("sched_put_max", sched_op(id, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_putinfo, 65535, 0), 0);
	EXPECT("sched_getinfo_4", sched_op(id, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, 0, 0), 0);
	EXPECT("sched_weight_max", op.u.scheduler_op.u.credit.weight, 65535);
	EXPECT("sched_cap_cleared", op.u.scheduler_op.u.credit.cap, 0);
	EXPECT("sched_credit2_id", sched_op(id, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_getinfo, 0, 0),
	       -XEN_EINVAL);
	EXPECT("sched_bad_id", sched_op(id, 99, XEN_DOMCTL_SCHEDOP_getinfo, 0, 0), -XEN_EINVAL);
	EXPECT("sched_getvcpuinfo", sched_op(id, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getvcpuinfo, 0, 0),
	       -XEN_EINVAL);
	EXPECT("sched_putvcpuinfo", sched_op(id, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_putvcpuinfo, 0, 0),
	       -XEN_EINVAL);
	EXPECT("sched_bad_cmd", sched_op(id, XEN_SCHEDULER_CREDIT, 7, 0, 0), -XEN_EINVAL);
	EXPECT("sched_no_domain", sched_op(1000, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, 0, 0),
	       -XEN_ESRCH);
	EXPECT("sched_dom0", sched_op(0, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, 0, 0), 0);
	EXPECT("sched_dom0_weight", op.u.scheduler_op.u.credit.weight, 256);
}

static void attrs(domid_t id)
{
	int same = 1;

	clear_op();
	for (unsigned i = 0; i < 16; i++)
		op.u.setdomainhandle.handle[i] = (uint8_t)(0x10 + i);
	EXPECT("setdomainhandle", domctl(XEN_DOMCTL_setdomainhandle, id), 0);
	EXPECT("setdomainhandle_info", info(id), 0);
	for (unsigned i = 0; i < 16; i++)
		same &= op.u.getdomaininfo.handle[i] == (uint8_t)(0x10 + i);
	check(same, tname("setdomainhandle_echoed"), "handle not the new one");
	EXPECT("setdomainhandle_no_domain", simple(XEN_DOMCTL_setdomainhandle, 1000), -XEN_ESRCH);

	clear_op();
	op.u.address_size.size = 64;
	EXPECT("set_address_size_64", domctl(XEN_DOMCTL_set_address_size, id), 0);
	clear_op();
	op.u.address_size.size = 16;
	EXPECT("set_address_size_16", domctl(XEN_DOMCTL_set_address_size, id), -XEN_EINVAL);
	clear_op();
	op.u.address_size.size = 0;
	EXPECT("set_address_size_0", domctl(XEN_DOMCTL_set_address_size, id), -XEN_EINVAL);
	clear_op();
	op.u.address_size.size = 128;
	EXPECT("set_address_size_128", domctl(XEN_DOMCTL_set_address_size, id), -XEN_EINVAL);
	EXPECT("get_address_size", simple(XEN_DOMCTL_get_address_size, id), 0);
	EXPECT("get_address_size_64", op.u.address_size.size, 64);
	EXPECT("get_address_size_dom0", simple(XEN_DOMCTL_get_address_size, 0), 0);
	EXPECT("get_address_size_dom0_64", op.u.address_size.size, 64);
	EXPECT("get_address_size_no_domain", simple(XEN_DOMCTL_get_address_size, 1000), -XEN_ESRCH);
}

/* Our own wallclock, read consistently (wc_version even and unchanged). */
static uint64_t wc_seconds(void)
{
	for (;;) {
		uint32_t v = __atomic_load_n(&shared_info->wc_version, __ATOMIC_ACQUIRE);
		uint64_t sec = shared_info->wc_sec | (uint64_t)shared_info->wc_sec_hi << 32;

		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (!(v & 1) && v == __atomic_load_n(&shared_info->wc_version, __ATOMIC_ACQUIRE))
			return sec;
	}
}

/* settimeoffset on Dom0 itself, whose shared_info we can read */
static void timeoffset(void)
{
	uint64_t before = wc_seconds();

	clear_op();
	op.u.settimeoffset.time_offset_seconds = 100000;
	EXPECT("settimeoffset", domctl(XEN_DOMCTL_settimeoffset, 0), 0);
	EXPECT("settimeoffset_seen", wc_seconds() - before, 100000);
	clear_op();
	op.u.settimeoffset.time_offset_seconds = -50;
	EXPECT("settimeoffset_negative", domctl(XEN_DOMCTL_settimeoffset, 0), 0);
	EXPECT("settimeoffset_negative_seen", (long)(wc_seconds() - before), -50);
	clear_op();
	EXPECT("settimeoffset_back", domctl(XEN_DOMCTL_settimeoffset, 0), 0);
	EXPECT("settimeoffset_back_seen", wc_seconds(), before);
	EXPECT("settimeoffset_no_domain", simple(XEN_DOMCTL_settimeoffset, 1000), -XEN_ESRCH);
}

static long ioport_perm(domid_t id, uint32_t first, uint32_t nr, uint8_t allow)
{
	clear_op();
	op.u.ioport_permission.first_port = first;
	op.u.ioport_permission.nr_ports = nr;
	op.u.ioport_permission.allow_access = allow;
	return domctl(XEN_DOMCTL_ioport_permission, id);
}

static long iomem_perm(domid_t id, uint64_t first, uint64_t nr, uint8_t allow)
{
	clear_op();
	op.u.iomem_permission.first_mfn = first;
	op.u.iomem_permission.nr_mfns = nr;
	op.u.iomem_permission.allow_access = allow;
	return domctl(XEN_DOMCTL_iomem_permission, id);
}

static long irq_perm(domid_t id, uint32_t pirq, uint8_t allow)
{
	clear_op();
	op.u.irq_permission.pirq = pirq;
	op.u.irq_permission.allow_access = allow;
	return domctl(XEN_DOMCTL_irq_permission, id);
}

/*
 * Dom0 hands I/O ports to a DomU (0x2f8-0x2ff, COM2, not the hypervisor's)
 * and takes them back; what it does not hold itself it cannot give. The
 * range checks come first.
 */
static void permissions(domid_t id)
{
	EXPECT("ioport_allow", ioport_perm(id, 0x2f8, 8, 1), 0);
	EXPECT("ioport_deny", ioport_perm(id, 0x2f8, 8, 0), 0);
	EXPECT("ioport_deny_never_given", ioport_perm(id, 0x300, 4, 0), 0);
	EXPECT("ioport_empty", ioport_perm(id, 0x2f8, 0, 1), -XEN_EINVAL);
	EXPECT("ioport_past_end", ioport_perm(id, 0xfff0, 0x20, 1), -XEN_EINVAL);
	EXPECT("ioport_wrap", ioport_perm(id, 0x10, 0xffffffff, 1), -XEN_EINVAL);
	EXPECT("ioport_no_domain", ioport_perm(1000, 0x2f8, 8, 1), -XEN_ESRCH);
	/* the range every I/O frame could be in, and more: no caller holds it all */
	EXPECT("iomem_everything", iomem_perm(id, 0, 0, 1), -XEN_EPERM);
	EXPECT("iomem_wrap", iomem_perm(id, 0x1000, 0, 1), -XEN_EINVAL);
	EXPECT("iomem_wrap_2", iomem_perm(id, ~0ULL - 4, 16, 1), -XEN_EINVAL);
	EXPECT("iomem_deny", iomem_perm(id, 0xfe000, 16, 0), 0);
	EXPECT("iomem_no_domain", iomem_perm(1000, 0xfe000, 16, 0), -XEN_ESRCH);
	/* Dom0 has mapped no pirq here, so it has none to give */
	EXPECT("irq_unmapped", irq_perm(id, 5, 1), -XEN_EPERM);
	EXPECT("irq_unmapped_deny", irq_perm(id, 5, 0), -XEN_EPERM);
	EXPECT("irq_out_of_range", irq_perm(id, 0x7fffffff, 1), -XEN_EINVAL);
	EXPECT("irq_no_domain", irq_perm(1000, 5, 1), -XEN_ESRCH);
}

static uint64_t pfinfo[4];

static long pageframeinfo(domid_t id, uint64_t num, void *array)
{
	clear_op();
	op.u.getpageframeinfo3.num = num;
	op.u.getpageframeinfo3.array = (uint64_t)array;
	return domctl(XEN_DOMCTL_getpageframeinfo3, id);
}

/*
 * Three frames of the domain: an empty L1 pinned from Dom0, a plain one,
 * one filled with hypercall stubs; then frame types and hypercall_init's
 * refusals.
 */
static void frames_of(domid_t id)
{
	uint64_t l1, plain, hc, dom0_mfn;
	int stub_ok = 1;

	EXPECT("frames_max_mem", set_max_mem(id, 64 * 4), 0);
	EXPECT("frames_populate", populate(id, 3), 3);
	l1 = frames[0], plain = frames[1], hc = frames[2];
	if (map_window(id, l1, PTE_P | PTE_W | PTE_A | PTE_D) == 0)
		memset(window, 0, sizeof(window));   /* an L1 with no entries */
	map_window(DOMID_SELF, 0, 0);
	EXPECT("frames_pin_l1", pin_foreign(id, MMUEXT_PIN_L1_TABLE, l1), 0);
	dom0_mfn = start_info->mfn_list ? ((uint64_t *)start_info->mfn_list)[0] : 0;
	pfinfo[0] = l1, pfinfo[1] = plain, pfinfo[2] = dom0_mfn, pfinfo[3] = ~0ULL >> 12;
	EXPECT("pfinfo3", pageframeinfo(id, 4, pfinfo), 0);
	check_eq_hex(tname("pfinfo3_l1_pinned"), pfinfo[0], XEN_DOMCTL_PFINFO_L1TAB | XEN_DOMCTL_PFINFO_LPINTAB);
	check_eq_hex(tname("pfinfo3_plain"), pfinfo[1], XEN_DOMCTL_PFINFO_NOTAB);
	check_eq_hex(tname("pfinfo3_dom0s"), pfinfo[2], XEN_DOMCTL_PFINFO_XTAB);
	check_eq_hex(tname("pfinfo3_no_frame"), pfinfo[3], XEN_DOMCTL_PFINFO_XTAB);
	EXPECT("pfinfo3_none", pageframeinfo(id, 0, NULL), 0);
	EXPECT("pfinfo3_too_many", pageframeinfo(id, 1025, pfinfo), -XEN_E2BIG);
	EXPECT("pfinfo3_null", pageframeinfo(id, 1, NULL), -XEN_EFAULT);
	EXPECT("pfinfo3_no_domain", pageframeinfo(1000, 1, pfinfo), -XEN_ESRCH);

	clear_op();
	op.u.hypercall_init.gmfn = hc;
	EXPECT("hypercall_init", domctl(XEN_DOMCTL_hypercall_init, id), 0);
	EXPECT("hypercall_init_map", map_window(id, hc, PTE_P | PTE_A), 0);
	/* each 32-byte stub loads its number into EAX (B8 imm32) somewhere */
	for (unsigned nr = 0; nr < 40; nr++) {
		const uint8_t *p = window + nr * 32;
		int found = 0;

		for (unsigned k = 0; k + 5 <= 32; k++)
			found |= p[k] == 0xb8 && p[k + 1] == nr && !p[k + 2] && !p[k + 3] && !p[k + 4];
		stub_ok &= found;
	}
	map_window(DOMID_SELF, 0, 0);
	check(stub_ok, tname("hypercall_init_stubs"), "a stub does not load its number");
	clear_op();
	op.u.hypercall_init.gmfn = l1;
	EXPECT("hypercall_init_table", domctl(XEN_DOMCTL_hypercall_init, id), -XEN_EPERM);
	clear_op();
	op.u.hypercall_init.gmfn = dom0_mfn;
	EXPECT("hypercall_init_not_its", domctl(XEN_DOMCTL_hypercall_init, id), -XEN_EINVAL);
	clear_op();
	op.u.hypercall_init.gmfn = ~0ULL >> 12;
	EXPECT("hypercall_init_no_frame", domctl(XEN_DOMCTL_hypercall_init, id), -XEN_EINVAL);
}

/*
 * Xen 4.17 resumes a domain after any shutdown, a crash too: the flag and
 * code go, and the next shutdown's reason is the one reported (the first
 * one stays while the domain is down).
 */
static void resume_any(domid_t id)
{
	static const unsigned reasons[] = { SHUTDOWN_poweroff, SHUTDOWN_reboot, SHUTDOWN_crash, SHUTDOWN_watchdog };

	for (unsigned i = 0; i < ARRAY_SIZE(reasons); i++) {
		struct sched_remote_shutdown rs = { .domain_id = id, .reason = reasons[i] };

		EXPECT("resume_any_shutdown", HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), 0);
		rs.reason = SHUTDOWN_suspend;
		EXPECT("resume_any_shutdown_again", HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), 0);
		EXPECT("resume_any_info", info(id), 0);
		EXPECT("resume_any_first_reason", op.u.getdomaininfo.flags,
		       XEN_DOMINF_paused | XEN_DOMINF_shutdown | (reasons[i] << 16));
		EXPECT("resume_any", simple(XEN_DOMCTL_resumedomain, id), 0);
		EXPECT("resume_any_info2", info(id), 0);
		EXPECT("resume_any_cleared", op.u.getdomaininfo.flags, XEN_DOMINF_paused | 0xffff0000u);
	}
	/* the state really went: a new shutdown is taken, with its own reason */
	struct sched_remote_shutdown rs = { .domain_id = id, .reason = SHUTDOWN_suspend };

	EXPECT("resume_any_then_suspend", HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), 0);
	EXPECT("resume_any_then_info", info(id), 0);
	EXPECT("resume_any_then_flags", op.u.getdomaininfo.flags,
	       XEN_DOMINF_paused | XEN_DOMINF_shutdown | (SHUTDOWN_suspend << 16));
	EXPECT("resume_any_last", simple(XEN_DOMCTL_resumedomain, id), 0);
}

/*
 * A domain shut down for suspend is resumed: the shutdown flag and code go
 * (the controller's pause stays). A running domain's resume is a no-op.
 */
static void resume(domid_t id)
{
	struct sched_remote_shutdown rs = { .domain_id = id, .reason = SHUTDOWN_suspend };

	EXPECT("resume_running", simple(XEN_DOMCTL_resumedomain, id), 0);
	EXPECT("resume_running_info", info(id), 0);
	EXPECT("resume_running_flags", op.u.getdomaininfo.flags, XEN_DOMINF_paused | 0xffff0000u);
	EXPECT("suspend", HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), 0);
	EXPECT("suspend_info", info(id), 0);
	EXPECT("suspend_flags", op.u.getdomaininfo.flags,
	       XEN_DOMINF_paused | XEN_DOMINF_shutdown | (SHUTDOWN_suspend << 16));
	EXPECT("resume", simple(XEN_DOMCTL_resumedomain, id), 0);
	EXPECT("resume_info", info(id), 0);
	EXPECT("resume_flags", op.u.getdomaininfo.flags, XEN_DOMINF_paused | 0xffff0000u);
	EXPECT("resume_self", simple(XEN_DOMCTL_resumedomain, 0), -XEN_EINVAL);
	EXPECT("resume_no_domain", simple(XEN_DOMCTL_resumedomain, 1000), -XEN_ESRCH);
	resume_any(id);
}

/* createdomain's grant-table limits: XENMEM_acquire_resource reports the size */
static void grant_limits(void)
{
	static const int32_t sizes[] = { 1, 4, 32 };

	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		domid_t id;

		create_args(0, 1);
		op.u.createdomain.max_grant_frames = sizes[i];
		op.u.createdomain.max_maptrack_frames = 8;
		if (domctl(XEN_DOMCTL_createdomain, 0)) {
			fail(tname("gnt_limit_create"), "createdomain with max_grant_frames %d refused", sizes[i]);
			continue;
		}
		id = op.domain;
		EXPECT("gnt_limit_size", acquire(id, XENMEM_resource_grant_table, 0, 0, NULL), 0);
		EXPECT("gnt_limit_size_nr", res.nr_frames, sizes[i]);
		EXPECT("gnt_limit_past", acquire(id, XENMEM_resource_grant_table, 0, (uint32_t)sizes[i] + 1,
						 frames), -XEN_EINVAL);
		EXPECT("gnt_limit_destroy", simple(XEN_DOMCTL_destroydomain, id), 0);
	}
	create_args(0, 1);
	op.u.createdomain.max_grant_frames = 0;
	EXPECT("gnt_limit_zero", domctl(XEN_DOMCTL_createdomain, 0), -XEN_EINVAL);
}


/* ---- CPU policy ---- */

#define POLICY_ROOM 256
static struct xen_cpuid_leaf pol[POLICY_ROOM];
static struct xen_msr_entry pol_msrs[8];

static const struct xen_cpuid_leaf *pol_find(unsigned n, uint32_t leaf, uint32_t sub)
{
	for (unsigned i = 0; i < n; i++)
		if (pol[i].leaf == leaf && pol[i].subleaf == sub)
			return &pol[i];
	return NULL;
}

static long sys_policy(uint32_t index, uint32_t nr_leaves, void *leaves, uint32_t nr_msrs, void *msrs)
{
	struct xen_sysctl_cpu_policy *p = &sop.u.cpu_policy;

	memset(&sop, 0, sizeof(sop));
	sop.cmd = XEN_SYSCTL_get_cpu_policy;
	sop.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	p->index = index, p->nr_leaves = nr_leaves, p->leaves = (uint64_t)leaves;
	p->nr_msrs = nr_msrs, p->msrs = (uint64_t)msrs;
	return HC1(__HYPERVISOR_sysctl, &sop);
}

static long dom_policy(uint32_t cmd, domid_t id, uint32_t nr_leaves, void *leaves, uint32_t nr_msrs, void *msrs)
{
	clear_op();
	op.u.cpu_policy.nr_leaves = nr_leaves, op.u.cpu_policy.leaves = (uint64_t)leaves;
	op.u.cpu_policy.nr_msrs = nr_msrs, op.u.cpu_policy.msrs = (uint64_t)msrs;
	return domctl(cmd, id);
}

static uint32_t fs[32], fs_short[32];

static long featureset_get(uint32_t index, uint32_t nr, void *buf)
{
	memset(&sop, 0, sizeof(sop));
	sop.cmd = XEN_SYSCTL_get_cpu_featureset;
	sop.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	sop.u.cpu_featureset.index = index;
	sop.u.cpu_featureset.nr_features = nr;
	sop.u.cpu_featureset.features = (uint64_t)buf;
	return HC1(__HYPERVISOR_sysctl, &sop);
}

/* Xen's feature words: word 0 is leaf 1 EDX, word 1 leaf 1 ECX, ... */
static void featureset(void)
{
	uint32_t nr, native[4];

	EXPECT("featureset_count", featureset_get(XEN_SYSCTL_cpu_featureset_pv, 0, NULL), 0);
	nr = sop.u.cpu_featureset.nr_features;
	check(nr >= 10 && nr <= 32, tname("featureset_count_sane"), "%u words", nr);
	EXPECT("featureset_pv", featureset_get(XEN_SYSCTL_cpu_featureset_pv, nr, fs), 0);
	EXPECT("featureset_pv_nr", sop.u.cpu_featureset.nr_features, nr);
	EXPECT("featureset_pv_fpu", fs[0] & 1, 1);
	EXPECT("featureset_pv_no_vmx", fs[1] & (1u << 5), 0);
	EXPECT("featureset_pv_lm", !!(fs[2] & (1u << 29)), 1);
	EXPECT("featureset_raw", featureset_get(XEN_SYSCTL_cpu_featureset_raw, nr, fs), 0);
	cpuid_native(1, 0, native);
	EXPECT("featureset_raw_word0", fs[0], native[3]);
	memset(fs_short, 0xee, sizeof(fs_short));
	EXPECT("featureset_short", featureset_get(XEN_SYSCTL_cpu_featureset_raw, 2, fs_short), -XEN_ENOBUFS);
	EXPECT("featureset_short_nr", sop.u.cpu_featureset.nr_features, 2);
	EXPECT("featureset_short_words", fs_short[0] == fs[0] && fs_short[1] == fs[1] && fs_short[2] == 0xeeeeeeee, 1);
	EXPECT("featureset_bad_index", featureset_get(6, nr, fs), -XEN_EINVAL);
}

/*
 * libxl's CPUID setup: the sizes, the PV default policy, the domain's;
 * then a feature bit taken away, which the domain's policy then lacks;
 * refused policies (a max leaf too high, a leaf outside any policy, the
 * caller's own) with the offending leaf named.
 */
static void cpu_policy(void)
{
	uint32_t nl, nm, native[4], sse3 = 1u << 0;
	const struct xen_cpuid_leaf *e;
	struct xen_cpuid_leaf bad;
	long rc;
	domid_t id;

	EXPECT("syspol_sizes", sys_policy(XEN_SYSCTL_cpu_policy_pv_default, 0, NULL, 0, NULL), 0);
	nl = sop.u.cpu_policy.nr_leaves, nm = sop.u.cpu_policy.nr_msrs;
	check(nl >= 20 && nl <= POLICY_ROOM && nm <= 8, tname("syspol_sizes_sane"), "%u leaves, %u MSRs", nl, nm);
	EXPECT("syspol_pv_default", sys_policy(XEN_SYSCTL_cpu_policy_pv_default, nl, pol, nm, pol_msrs), 0);
	nl = sop.u.cpu_policy.nr_leaves;
	cpuid_native(0, 0, native);
	e = pol_find(nl, 0, XEN_CPUID_NO_SUBLEAF);
	check(e && e->b == native[1] && e->c == native[2] && e->d == native[3], tname("syspol_vendor"),
	      "leaf 0 %s", e ? "differs" : "missing");
	check(pol_find(nl, 1, XEN_CPUID_NO_SUBLEAF) && pol_find(nl, 0x80000001, XEN_CPUID_NO_SUBLEAF),
	      tname("syspol_feature_leaves"), "leaf 1 or 0x80000001 missing");
	EXPECT("syspol_host", sys_policy(XEN_SYSCTL_cpu_policy_host, POLICY_ROOM, pol, 8, pol_msrs), 0);
	EXPECT("syspol_too_small", sys_policy(XEN_SYSCTL_cpu_policy_pv_default, 1, pol, 8, pol_msrs), -XEN_ENOBUFS);
	EXPECT("syspol_bad_index", sys_policy(6, POLICY_ROOM, pol, 8, pol_msrs), -XEN_EINVAL);
	memset(&sop, 0, sizeof(sop));
	sop.cmd = XEN_SYSCTL_get_cpu_policy;
	sop.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	sop.u.cpu_policy.index = XEN_SYSCTL_cpu_policy_pv_default;
	sop.u.cpu_policy._rsvd = 1;
	EXPECT("syspol_rsvd", HC1(__HYPERVISOR_sysctl, &sop), -XEN_EINVAL);

	featureset();
	if (create(0, 0, 1)) {
		fail(tname("dompol_create"), "createdomain failed");
		return;
	}
	id = op.domain;
	EXPECT("dompol_sizes", dom_policy(XEN_DOMCTL_get_cpu_policy, id, 0, NULL, 0, NULL), 0);
	nl = op.u.cpu_policy.nr_leaves, nm = op.u.cpu_policy.nr_msrs;
	check(nl >= 20 && nl <= POLICY_ROOM && nm <= 8, tname("dompol_sizes_sane"), "%u leaves, %u MSRs", nl, nm);
	EXPECT("dompol_get", dom_policy(XEN_DOMCTL_get_cpu_policy, id, nl, pol, nm, pol_msrs), 0);
	nl = op.u.cpu_policy.nr_leaves;
	e = pol_find(nl, 1, XEN_CPUID_NO_SUBLEAF);
	if (!e || !(e->c & sse3)) {
		fail(tname("dompol_sse3"), "leaf 1 %s", e ? "without SSE3" : "missing");
		simple(XEN_DOMCTL_destroydomain, id);
		return;
	}
	bad = *e;
	bad.c &= ~sse3;
	EXPECT("dompol_set_no_sse3", dom_policy(XEN_DOMCTL_set_cpu_policy, id, 1, &bad, 0, NULL), 0);
	EXPECT("dompol_get_2", dom_policy(XEN_DOMCTL_get_cpu_policy, id, POLICY_ROOM, pol, 8, pol_msrs), 0);
	e = pol_find(op.u.cpu_policy.nr_leaves, 1, XEN_CPUID_NO_SUBLEAF);
	check(e && !(e->c & sse3), tname("dompol_sse3_gone"), "leaf 1 ECX 0x%x", e ? e->c : 0);
	bad = (struct xen_cpuid_leaf){ 0, XEN_CPUID_NO_SUBLEAF, 0xff, 0, 0, 0 };
	bad.b = native[1], bad.c = native[2], bad.d = native[3];
	rc = dom_policy(XEN_DOMCTL_set_cpu_policy, id, 1, &bad, 0, NULL);
	EXPECT("dompol_max_leaf_high", rc, -XEN_EINVAL);
	EXPECT("dompol_max_leaf_high_err", op.u.cpu_policy.err_leaf, 0);
	EXPECT("dompol_max_leaf_high_err_sub", op.u.cpu_policy.err_subleaf, XEN_CPUID_NO_SUBLEAF);
	bad = (struct xen_cpuid_leaf){ 0x30, XEN_CPUID_NO_SUBLEAF, 0, 0, 0, 0 };
	EXPECT("dompol_out_of_range", dom_policy(XEN_DOMCTL_set_cpu_policy, id, 1, &bad, 0, NULL), -XEN_ERANGE);
	EXPECT("dompol_out_of_range_err", op.u.cpu_policy.err_leaf, 0x30);
	EXPECT("dompol_self", dom_policy(XEN_DOMCTL_set_cpu_policy, 0, 1, &bad, 0, NULL), -XEN_EINVAL);
	EXPECT("dompol_no_domain", dom_policy(XEN_DOMCTL_get_cpu_policy, 1000, 0, NULL, 0, NULL), -XEN_ESRCH);
	EXPECT("dompol_destroy", simple(XEN_DOMCTL_destroydomain, id), 0);
}


static long tsc(uint32_t cmd, domid_t id, uint32_t mode, uint32_t khz, uint32_t incarnation)
{
	clear_op();
	op.u.tsc_info.tsc_mode = mode;
	op.u.tsc_info.gtsc_khz = khz;
	op.u.tsc_info.incarnation = incarnation;
	return domctl(cmd, id);
}

static uint8_t nodemap[2];

static long nodeaff(uint32_t cmd, domid_t id, void *map, uint32_t bits)
{
	clear_op();
	op.u.nodeaffinity.nodemap.bitmap = (uint64_t)map;
	op.u.nodeaffinity.nodemap.nr_bits = bits;
	return domctl(cmd, id);
}

/* What libxl's build_pre sets: the TSC mode (settscinfo) and NUMA placement (one node). */
static void tsc_and_nodes(domid_t id)
{
	uint32_t khz;

	EXPECT("tsc_physinfo", sysctl(XEN_SYSCTL_physinfo, XEN_SYSCTL_INTERFACE_VERSION), 0);
	khz = sop.u.physinfo.cpu_khz;
	EXPECT("settscinfo_default", tsc(XEN_DOMCTL_settscinfo, id, XEN_TSC_MODE_DEFAULT, 0, 5), 0);
	EXPECT("gettscinfo", tsc(XEN_DOMCTL_gettscinfo, id, 0, 0, 0), 0);
	EXPECT("gettscinfo_mode", op.u.tsc_info.tsc_mode, XEN_TSC_MODE_DEFAULT);
	EXPECT("gettscinfo_incarnation", op.u.tsc_info.incarnation, 6);
	check(op.u.tsc_info.gtsc_khz + 1000 >= khz && op.u.tsc_info.gtsc_khz <= khz + 1000,
	      tname("gettscinfo_khz"), "%u kHz, physinfo %u", op.u.tsc_info.gtsc_khz, khz);
	EXPECT("settscinfo_never", tsc(XEN_DOMCTL_settscinfo, id, XEN_TSC_MODE_NEVER_EMULATE, 0, 0), 0);
	EXPECT("gettscinfo_2", tsc(XEN_DOMCTL_gettscinfo, id, 0, 0, 0), 0);
	EXPECT("gettscinfo_never", op.u.tsc_info.tsc_mode, XEN_TSC_MODE_NEVER_EMULATE);
	EXPECT("settscinfo_mode_3", tsc(XEN_DOMCTL_settscinfo, id, 3, 0, 0), -XEN_EINVAL);
	EXPECT("settscinfo_mode_99", tsc(XEN_DOMCTL_settscinfo, id, 99, 0, 0), -XEN_EINVAL);
	EXPECT("settscinfo_self", tsc(XEN_DOMCTL_settscinfo, 0, 0, 0, 0), -XEN_EINVAL);
	EXPECT("gettscinfo_self", tsc(XEN_DOMCTL_gettscinfo, 0, 0, 0, 0), -XEN_EINVAL);
	EXPECT("settscinfo_no_domain", tsc(XEN_DOMCTL_settscinfo, 1000, 0, 0, 0), -XEN_ESRCH);

	nodemap[0] = 1, nodemap[1] = 0;
	EXPECT("setnodeaffinity_0", nodeaff(XEN_DOMCTL_setnodeaffinity, id, nodemap, 8), 0);
	nodemap[0] = 0xff;
	EXPECT("setnodeaffinity_all", nodeaff(XEN_DOMCTL_setnodeaffinity, id, nodemap, 16), 0);
	nodemap[0] = 2;
	EXPECT("setnodeaffinity_offline_node", nodeaff(XEN_DOMCTL_setnodeaffinity, id, nodemap, 8), -XEN_EINVAL);
	nodemap[0] = 1;
	EXPECT("setnodeaffinity_no_bits", nodeaff(XEN_DOMCTL_setnodeaffinity, id, nodemap, 0), -XEN_EINVAL);
	EXPECT("setnodeaffinity_null", nodeaff(XEN_DOMCTL_setnodeaffinity, id, NULL, 8), -XEN_EFAULT);
	/* the map as last set (Xen keeps it as given, offline nodes too) */
	nodemap[0] = nodemap[1] = 0xee;
	EXPECT("getnodeaffinity", nodeaff(XEN_DOMCTL_getnodeaffinity, id, nodemap, 16), 0);
	EXPECT("getnodeaffinity_as_set", nodemap[0], 0xff);
	EXPECT("getnodeaffinity_rest_zeroed", nodemap[1], 0);
	nodemap[0] = 1;
	EXPECT("setnodeaffinity_0_again", nodeaff(XEN_DOMCTL_setnodeaffinity, id, nodemap, 8), 0);
	nodemap[0] = 0xee;
	EXPECT("getnodeaffinity_2", nodeaff(XEN_DOMCTL_getnodeaffinity, id, nodemap, 8), 0);
	EXPECT("getnodeaffinity_node0", nodemap[0], 1);
}

static void limits_sched_perm(void)
{
	domid_t id;

	timeoffset();
	grant_limits();
	cpu_policy();
	if (create(0, 0, 1)) {
		fail(tname("misc_create"), "createdomain failed");
		return;
	}
	id = op.domain;
	scheduler_op(id);
	attrs(id);
	tsc_and_nodes(id);
	permissions(id);
	frames_of(id);
	resume(id);
	EXPECT("misc_destroy", simple(XEN_DOMCTL_destroydomain, id), 0);
}

/*
 * ROUNDS x ROUND_FRAMES frames is more than the whole machine: without
 * reclaim the populates would come up short long before the end.
 */
static void reclaim(void)
{
	unsigned done = 0;
	long rc = 0;

	for (; done < ROUNDS; done++) {
		domid_t id;

		rc = create(0, 0, 1);
		if (rc)
			break;
		id = op.domain;
		rc = set_max_mem(id, ROUND_FRAMES * 4);
		if (!rc) {
			rc = populate(id, ROUND_FRAMES);
			rc = rc == ROUND_FRAMES ? 0 : (rc < 0 ? rc : -1000 - rc);
		}
		if (simple(XEN_DOMCTL_destroydomain, id) || rc)
			break;
	}
	check(done == ROUNDS, tname("reclaim_rounds"), "round %u of %u failed: %ld",
	      done, ROUNDS, rc);
	gprintf("%u rounds of %u frames created and destroyed\n", done, ROUND_FRAMES);
}

void test_main(void)
{
	physinfo();
	bad_inputs();
	dom0_info();
	life_cycle();
	tree_teardown();
	zombie();
	dom_exc();
	limits_sched_perm();
	reclaim();
	EXPECT("info_none_left", info(1), -XEN_ESRCH);
}
