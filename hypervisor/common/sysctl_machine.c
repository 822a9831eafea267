/*
 * The sysctls that describe the machine: physinfo (`xl info`'s numbers,
 * and the free memory a test compares around a domain's life), the CPUs'
 * idle time, topology and NUMA layout (one node).
 */
#include <arch.h>
#include <cpumask.h>
#include <guest_access.h>
#include <page.h>
#include <sched.h>
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
	uint32_t words[32];
	unsigned n;

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
	/* `xl info`'s hw_caps: the host's first feature words, as Xen 4.17 */
	n = MIN(arch_cpu_featureset(v, true, words, ARRAY_SIZE(words)), ARRAY_SIZE(pi->hw_cap));
	memcpy(pi->hw_cap, words, n * sizeof(words[0]));
	return 0;
}

/* `xl top`: each CPU's idle time. Xen 4.17 copies min(max_cpus, CPUs) entries. */
int64_t sysctl_getcpuinfo(struct vcpu *v, struct xen_sysctl *op)
{
	struct xen_sysctl_getcpuinfo *gi = &op->u.getcpuinfo;
	uint32_t n = MIN(gi->max_cpus, cpumask_weight(arch_cpus_online()));

	for (uint32_t i = 0; i < n; i++) {
		struct xen_sysctl_cpuinfo ci = { .idletime = sched_cpu_idle_ns(i) };

		if (copy_to_guest(gi->info + (uint64_t)i * sizeof(ci), &ci, sizeof(ci)))
			return -XEN_EFAULT;
	}
	gi->nr_cpus = n;
	return 0;
}

/*
 * Every CPU is a core of socket 0 on node 0 (physinfo's picture: one
 * thread per core). Xen 4.17: a NULL array asks for the count; a shorter
 * array gets as many entries as it has room for, num_cpus OUT saying how
 * many were written.
 */
int64_t sysctl_cputopoinfo(struct vcpu *v, struct xen_sysctl *op)
{
	struct xen_sysctl_cputopoinfo *ti = &op->u.cputopoinfo;
	uint32_t n = cpumask_weight(arch_cpus_online());

	if (ti->cputopo) {
		n = MIN(n, ti->num_cpus);
		for (uint32_t i = 0; i < n; i++) {
			struct xen_sysctl_cputopo t = { .core = i, .socket = 0, .node = 0 };

			if (copy_to_guest(ti->cputopo + (uint64_t)i * sizeof(t), &t, sizeof(t)))
				return -XEN_EFAULT;
		}
	}
	ti->num_cpus = n;
	return 0;
}

#define LOCAL_DISTANCE 10   /* ACPI SLIT's value for a node to itself */

/* One node holding all memory. Xen 4.17: fewer entries if the caller asks for fewer. */
int64_t sysctl_numainfo(struct vcpu *v, struct xen_sysctl *op)
{
	struct xen_sysctl_numainfo *ni = &op->u.numainfo;
	uint32_t n = 1;

	if (ni->meminfo || ni->distance) {
		struct xen_sysctl_meminfo mi = {
			.memsize = (uint64_t)frame_table_size << FRAME_SHIFT,
			.memfree = machine_frames.nr_free << FRAME_SHIFT,
		};
		uint32_t dist = LOCAL_DISTANCE;

		n = MIN(n, ni->num_nodes);
		if (n && ni->meminfo && copy_to_guest(ni->meminfo, &mi, sizeof(mi)))
			return -XEN_EFAULT;
		if (n && ni->distance && copy_to_guest(ni->distance, &dist, sizeof(dist)))
			return -XEN_EFAULT;
	}
	ni->num_nodes = n;
	return 0;
}
