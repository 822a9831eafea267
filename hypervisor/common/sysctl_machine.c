/*
 * The sysctls that describe the machine: physinfo (`xl info`'s numbers,
 * and the free memory a test compares around a domain's life).
 */
#include <arch.h>
#include <cpumask.h>
#include <page.h>
#include <public/errno.h>
#include "sysctl.h"

static uint64_t ram_frames(void)
{
	static uint64_t n;

	if (!n)
		for (mfn_t m = 0; m < frame_table_size; m++)
			n += frame_table[m].owner != DOMID_IO;
	return n;
}

int64_t sysctl_physinfo(struct vcpu *v, struct xen_sysctl *op)
{
	struct xen_sysctl_physinfo *pi = &op->u.physinfo;
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
	return 0;
}
