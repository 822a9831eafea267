/*
 * sysctl (#35): what the toolstack learns about the machine
 * (public/sysctl.h). Only XEN_SYSCTL_physinfo so far: `xl info`'s
 * numbers, and the free memory a test compares around a domain's life.
 * Checking order as Xen: copy, interface version, privilege.
 */
#include <arch.h>
#include <cpumask.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <page.h>
#include <public/errno.h>
#include <public/sysctl.h>

static uint64_t ram_frames(void)
{
	static uint64_t n;

	if (!n)
		for (mfn_t m = 0; m < frame_table_size; m++)
			n += frame_table[m].owner != DOMID_IO;
	return n;
}

static void physinfo(struct xen_sysctl_physinfo *pi)
{
	unsigned cpus = cpumask_weight(arch_cpus_online());

	memset(pi, 0, sizeof(*pi));
	pi->threads_per_core = 1;
	pi->cores_per_socket = cpus;
	pi->nr_cpus = cpus;
	pi->max_cpu_id = cpus - 1;
	pi->nr_nodes = 1;
	pi->cpu_khz = (uint32_t)arch_cpu_khz();
	/* grant tables v1 and v2 (GNTTABOP_set_version), as Xen 4.17 reports */
	pi->capabilities = XEN_SYSCTL_PHYSCAP_pv | XEN_SYSCTL_PHYSCAP_gnttab_v1 | XEN_SYSCTL_PHYSCAP_gnttab_v2;
	pi->total_pages = ram_frames();
	pi->free_pages = machine_frames.nr_free;
	pi->max_mfn = frame_table_size - 1;
}

int64_t do_sysctl(struct vcpu *v, const uint64_t args[6])
{
	struct xen_sysctl op;
	uint64_t arg = args[0];

	if (copy_from_guest(&op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	if (!v->domain->is_privileged)
		return -XEN_EPERM;
	switch (op.cmd) {
	case XEN_SYSCTL_physinfo:
		physinfo(&op.u.physinfo);
		break;
	default:
		return -XEN_ENOSYS;
	}
	return copy_to_guest(arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}
