/*
 * domctl - the toolstack's domain life cycle, from Dom0: createdomain
 * (auto and explicit ids, refused configurations), getdomaininfo, max_mem,
 * max_vcpus, pause/unpause counting, a privileged foreign populate_physmap
 * into the new domain (bounded by max_mem), destroydomain, and reclaim:
 * many more create/populate/destroy rounds than the machine has memory
 * for, so every round must get its frames back. Bad inputs: a wrong
 * interface version, an unknown command, ids that name no domain or the
 * caller itself.
 */
#include "guest.h"
#include "public/domctl.h"

const char test_name[] = "domctl";
const int test_styles = STYLE_DIRECT;   /* creates and destroys domains: run once */

/* 512 frames per round; ROUNDS of them is more than the 512 MiB machine holds */
#define ROUND_FRAMES 512
#define ROUNDS 300

static uint64_t frames[2 * ROUND_FRAMES];
static struct xen_domctl op;

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

static long populate(domid_t dom, uint64_t n)
{
	struct xen_memory_reservation r = {
		.extent_start = (uint64_t)frames, .nr_extents = n, .extent_order = 0, .domid = dom,
	};

	for (uint64_t i = 0; i < n; i++)
		frames[i] = i;   /* the pseudo-physical frame each new frame is for */
	return HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
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

/* One domain through its whole life, checked at each step. */
static void life_cycle(void)
{
	domid_t id;
	long rc;
	int handle_ok = 1;

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
	clear_op();
	op.u.max_vcpus.max = 3;
	EXPECT("max_vcpus_other", domctl(XEN_DOMCTL_max_vcpus, id), -XEN_EINVAL);

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
	EXPECT("destroy_again", simple(XEN_DOMCTL_destroydomain, id), -XEN_ESRCH);
	EXPECT("populate_destroyed", populate(id, 1), 0);   /* Xen: no domain, nothing done */
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
	bad_inputs();
	dom0_info();
	life_cycle();
	reclaim();
	EXPECT("info_none_left", info(1), -XEN_ESRCH);
}
