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
#include "guest.h"
#include "public/domctl.h"
#include "public/sysctl.h"

const char test_name[] = "domctl";
const int test_styles = STYLE_DIRECT;   /* creates and destroys domains: run once */

/* 512 frames per round; ROUNDS of them is more than the 512 MiB machine holds */
#define ROUND_FRAMES 512
#define ROUNDS 300

static uint64_t frames[2 * ROUND_FRAMES];
static struct xen_domctl op;

/* a page of ours whose mapping is borrowed to reach the new domain's frames */
static uint8_t window[4096] __attribute__((aligned(4096)));

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

static long create(domid_t want, uint32_t flags, uint32_t max_vcpus)
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

/* Our bootstrap tables are in the initial mapping: machine frame -> VA */
static uint64_t *table_va(uint64_t entry)
{
	uint64_t mfn = (entry & PTE_ADDR) >> 12;

	return (uint64_t *)(VIRT_BASE + (((uint64_t *)MACH2PHYS_VIRT_START)[mfn] << 12));
}

/* The L1 entry that maps va (4 KiB pages only, as PV): its VA and machine address. */
static uint64_t *l1e_of(uint64_t va, uint64_t *maddr)
{
	uint64_t *l4 = (uint64_t *)start_info->pt_base;
	uint64_t *l3 = table_va(l4[(va >> 39) & 511]);
	uint64_t *l2 = table_va(l3[(va >> 30) & 511]);
	uint64_t l2e = l2[(va >> 21) & 511];
	unsigned i = (va >> 12) & 511;

	*maddr = (l2e & PTE_ADDR) + i * 8;
	return &table_va(l2e)[i];
}

static uint64_t window_saved;

/* Point `window` at frame mfn of domain dom (0: back to our own frame). */
static long map_window(domid_t dom, uint64_t mfn, uint64_t flags)
{
	uint64_t ptr;
	uint64_t *e = l1e_of((uint64_t)window, &ptr);
	struct mmu_update u = { .ptr = ptr };
	struct mmuext_op inv = { .cmd = MMUEXT_INVLPG_LOCAL };
	long rc;

	if (!window_saved)
		window_saved = *e;
	u.val = mfn ? (mfn << 12) | flags : window_saved;
	rc = HYPERVISOR_mmu_update(&u, 1, NULL, mfn ? dom : DOMID_SELF);
	inv.arg1.linear_addr = (uint64_t)window;
	HYPERVISOR_mmuext_op(&inv, 1, NULL, DOMID_SELF);
	return rc;
}

static long pin_foreign(domid_t dom, unsigned cmd, uint64_t mfn)
{
	struct mmuext_op op = { .cmd = cmd };

	op.arg1.mfn = mfn;
	return HYPERVISOR_mmuext_op(&op, 1, NULL, dom);
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
	port_clear(p);
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
	reclaim();
	EXPECT("info_none_left", info(1), -XEN_ESRCH);
}
