/*
 * domkill - Dom0 destroys a domain that has been running: the boot-built
 * test domain 1 (`test_domains`, tests/guests/spin.c, spinning on the other
 * CPU), with its page tables pinned and loaded, its GDT, timers and event
 * channels. Its id is free afterwards only if every frame came back (else
 * it would linger, dying). Paravane only (Xen has no test_domains):
 * integ-domctl-destroy-running.
 */
#include "guest.h"
#include "public/domctl.h"

const char test_name[] = "domkill";
const int test_styles = STYLE_DIRECT;   /* destroys the domain: run once */

static struct xen_domctl op;

static long domctl(uint32_t cmd, domid_t dom)
{
	memset(&op, 0, sizeof(op));
	op.cmd = cmd;
	op.domain = dom;
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	return HC1(__HYPERVISOR_domctl, &op);
}

void test_main(void)
{
	uint64_t t0 = system_time_ns(), before_ns;

	EXPECT("info_running_domain", domctl(XEN_DOMCTL_getdomaininfo, 1), 0);
	EXPECT("info_running_domain_id", op.u.getdomaininfo.domain, 1);
	EXPECT("info_running_online_vcpus", op.u.getdomaininfo.nr_online_vcpus, 1);
	check(op.u.getdomaininfo.tot_pages > 100, tname("info_running_tot_pages"), "tot_pages %lu",
	      (unsigned long)op.u.getdomaininfo.tot_pages);
	/* let it run a while, so its vCPU is loaded on a CPU when we strike */
	while (system_time_ns() < t0 + 200000000ULL)
		;
	EXPECT("info_spinning", domctl(XEN_DOMCTL_getdomaininfo, 1), 0);
	before_ns = op.u.getdomaininfo.cpu_time;
	check(before_ns > 0, tname("info_spinning_cpu_time"), "it never ran");
	EXPECT("destroy_running", domctl(XEN_DOMCTL_destroydomain, 1), 0);
	EXPECT("destroyed_all_back", domctl(XEN_DOMCTL_getdomaininfo, 1), -XEN_ESRCH);
	/* and its id is free for a new one */
	memset(&op, 0, sizeof(op));
	op.cmd = XEN_DOMCTL_createdomain;
	op.domain = 1;
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	op.u.createdomain.max_vcpus = 1;
	op.u.createdomain.max_grant_frames = -1;
	op.u.createdomain.max_maptrack_frames = -1;
	op.u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(1);
	EXPECT("id_reused", HC1(__HYPERVISOR_domctl, &op), 0);
	EXPECT("id_reused_destroy", domctl(XEN_DOMCTL_destroydomain, 1), 0);
}
