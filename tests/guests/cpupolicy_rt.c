/*
 * cpupolicy_rt - the CPU policy round trip Xen 4.17's libxenguest makes
 * for every `xl create` (xc_cpuid_apply_policy): the PV default policy is
 * read into a buffer of exactly the size the hypervisor reported, parsed,
 * written back out with Xen's own serialisation into the same number of
 * entries, and given to the new domain with set_cpu_policy. That only fits
 * if the hypervisor lists the leaves as that serialisation does: leaf 4's
 * and 0xb's sub-leaves up to and including the first empty one, 0xd's
 * sub-leaves 2.. contiguous up to the highest state component, and the two
 * hypervisor-range leaves 0x40000000 and 0x40000100 (the limits, 0 unless
 * a toolstack set them). Otherwise xl create stops with "Failed to
 * serialise CPUID (No buffer space available)".
 */
#include "guest.h"
#include "public/domctl.h"
#include "public/sysctl.h"

const char test_name[] = "cpupolicy_rt";
const int test_styles = STYLE_DIRECT;   /* creates a domain: run once */

#define ROOM 256
static struct xen_cpuid_leaf pol[ROOM], dom[ROOM];
static struct xen_domctl op;
static struct xen_sysctl sop;

static long domctl(uint32_t cmd, domid_t dom_id)
{
	op.cmd = cmd;
	op.domain = dom_id;
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	return HC1(__HYPERVISOR_domctl, &op);
}

static long sys_policy(uint32_t nr_leaves, void *leaves)
{
	memset(&sop, 0, sizeof(sop));
	sop.cmd = XEN_SYSCTL_get_cpu_policy;
	sop.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	sop.u.cpu_policy.index = XEN_SYSCTL_cpu_policy_pv_default;
	sop.u.cpu_policy.nr_leaves = nr_leaves;
	sop.u.cpu_policy.leaves = (uint64_t)leaves;
	return HC1(__HYPERVISOR_sysctl, &sop);
}

static long dom_policy(uint32_t cmd, domid_t id, uint32_t nr_leaves, void *leaves)
{
	memset(&op, 0, sizeof(op));
	op.u.cpu_policy.nr_leaves = nr_leaves;
	op.u.cpu_policy.leaves = (uint64_t)leaves;
	return domctl(cmd, id);
}

static const struct xen_cpuid_leaf *find(const struct xen_cpuid_leaf *p, uint32_t n, uint32_t leaf, uint32_t sub)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i].leaf == leaf && p[i].subleaf == sub)
			return &p[i];
	return NULL;
}

/* The highest sub-leaf listed for a leaf, or -1. */
static long last_subleaf(uint32_t n, uint32_t leaf)
{
	long last = -1;

	for (uint32_t i = 0; i < n; i++)
		if (pol[i].leaf == leaf && pol[i].subleaf != XEN_CPUID_NO_SUBLEAF && (long)pol[i].subleaf > last)
			last = pol[i].subleaf;
	return last;
}

/* Xen's serialisation, as checks on the listed leaves. */
static void serialisation(uint32_t n)
{
	const struct xen_cpuid_leaf *e;
	long last;

	e = find(pol, n, 0x40000000, XEN_CPUID_NO_SUBLEAF);
	check(e && !e->b && !e->c && !e->d, tname("hv_leaf_0x40000000"), "%s", e ? "not just a limit" : "missing");
	e = find(pol, n, 0x40000100, XEN_CPUID_NO_SUBLEAF);
	check(e && !e->b && !e->c && !e->d, tname("hv_leaf_0x40000100"), "%s", e ? "not just a limit" : "missing");
	e = find(pol, n, 0, XEN_CPUID_NO_SUBLEAF);
	if (!e || e->a < 4)
		return;
	last = last_subleaf(n, 4);
	e = find(pol, n, 4, last);
	/* up to the first empty level (type 0), at most 6 sub-leaves */
	check(e && ((e->a & 0x1f) == 0 || last == 5), tname("leaf4_ends_empty"), "last sub-leaf %ld type %u",
	      last, e ? e->a & 0x1f : 99);
	for (long s = 0; s < last; s++) {
		e = find(pol, n, 4, s);
		if (!e || !(e->a & 0x1f)) {
			fail(tname("leaf4_levels"), "sub-leaf %ld %s", s, e ? "empty before the end" : "missing");
			return;
		}
	}
	pass(tname("leaf4_levels"));
	e = find(pol, n, 0, XEN_CPUID_NO_SUBLEAF);
	if (e->a >= 0xd) {
		const struct xen_cpuid_leaf *d0 = find(pol, n, 0xd, 0);
		uint64_t comps = d0 ? (d0->a | (uint64_t)d0->d << 32) >> 2 : 0;
		long want = 1;

		for (long s = 2; comps; s++, comps >>= 1)
			want = s;
		check(d0 && find(pol, n, 0xd, 1) && last_subleaf(n, 0xd) == want, tname("leaf_d_contiguous"),
		      "last sub-leaf %ld, want %ld", last_subleaf(n, 0xd), want);
	}
}

void test_main(void)
{
	uint32_t size, n;
	domid_t id;

	EXPECT("size", sys_policy(0, NULL), 0);
	size = sop.u.cpu_policy.nr_leaves;
	check(size >= 20 && size <= ROOM, tname("size_sane"), "%u leaves", size);
	if (size > ROOM)
		return;
	EXPECT("pv_default", sys_policy(size, pol), 0);
	n = sop.u.cpu_policy.nr_leaves;
	check(n <= size, tname("fits_size"), "%u leaves listed, size %u", n, size);
	serialisation(n);

	memset(&op, 0, sizeof(op));
	op.u.createdomain.max_vcpus = 1;
	op.u.createdomain.max_evtchn_port = 1023;
	op.u.createdomain.max_grant_frames = -1;
	op.u.createdomain.max_maptrack_frames = -1;
	op.u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(1);
	if (domctl(XEN_DOMCTL_createdomain, 0)) {
		fail(tname("create"), "createdomain failed");
		return;
	}
	id = op.domain;
	/* the whole list back, as libxenguest sends it */
	EXPECT("set_whole", dom_policy(XEN_DOMCTL_set_cpu_policy, id, n, pol), 0);
	EXPECT("get_domain", dom_policy(XEN_DOMCTL_get_cpu_policy, id, ROOM, dom), 0);
	EXPECT("get_domain_count", op.u.cpu_policy.nr_leaves, n);
	check(find(dom, op.u.cpu_policy.nr_leaves, 0x40000000, XEN_CPUID_NO_SUBLEAF) != NULL,
	      tname("domain_hv_leaf"), "0x40000000 missing from the domain's policy");
	/* once the controller has let it run, its CPUID is fixed (Xen 4.17: -EEXIST) */
	memset(&op, 0, sizeof(op));
	EXPECT("unpause", domctl(XEN_DOMCTL_unpausedomain, id), 0);
	EXPECT("set_after_unpause", dom_policy(XEN_DOMCTL_set_cpu_policy, id, n, pol), -XEN_EEXIST);
	memset(&op, 0, sizeof(op));
	EXPECT("pause", domctl(XEN_DOMCTL_pausedomain, id), 0);
	EXPECT("set_paused_again", dom_policy(XEN_DOMCTL_set_cpu_policy, id, n, pol), -XEN_EEXIST);
	memset(&op, 0, sizeof(op));
	EXPECT("destroy", domctl(XEN_DOMCTL_destroydomain, id), 0);
}
