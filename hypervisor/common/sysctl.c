/*
 * sysctl (#35): what the toolstack learns about the machine
 * (public/sysctl.h). Checking order as Xen: copy, interface version,
 * privilege; then the command's worker (common/sysctl_*.c) from the table
 * below, and the op copied back if the command says so and succeeded.
 */
#include <audit.h>
#include <guest_access.h>
#include <hypercall.h>
#include <public/errno.h>
#include "sysctl.h"

static const struct sysctl_cmd sysctl_cmds[] = {
	[XEN_SYSCTL_readconsole] = { sysctl_readconsole, SYSCTL_COPYBACK },
	[XEN_SYSCTL_physinfo] = { sysctl_physinfo, SYSCTL_COPYBACK },
	[XEN_SYSCTL_sched_id] = { sysctl_sched_id, SYSCTL_COPYBACK },
	[XEN_SYSCTL_debug_keys] = { sysctl_debug_keys, SYSCTL_COPYBACK_RESTART },
	[XEN_SYSCTL_getdomaininfolist] = { sysctl_getdomaininfolist, SYSCTL_COPYBACK },
	[XEN_SYSCTL_getcpuinfo] = { sysctl_getcpuinfo, SYSCTL_COPYBACK },
	[XEN_SYSCTL_cputopoinfo] = { sysctl_cputopoinfo, SYSCTL_COPYBACK },
	[XEN_SYSCTL_numainfo] = { sysctl_numainfo, SYSCTL_COPYBACK },
	[XEN_SYSCTL_cpupool_op] = { sysctl_cpupool_op, SYSCTL_COPYBACK },
	[XEN_SYSCTL_get_cpu_featureset] = { sysctl_get_cpu_featureset, SYSCTL_COPYBACK | SYSCTL_COPYBACK_ENOBUFS },
	[XEN_SYSCTL_get_cpu_policy] = { sysctl_get_cpu_policy, SYSCTL_COPYBACK },
	[PARAVANE_SYSCTL_audit] = { sysctl_audit, SYSCTL_COPYBACK },
};

int64_t do_sysctl(struct vcpu *v, const uint64_t args[6])
{
	const struct sysctl_cmd *cmd;
	struct xen_sysctl op;
	uint64_t arg = args[0];
	int64_t rc;

	if (copy_from_guest(&op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	if (!v->domain->is_privileged)
		return -XEN_EPERM;
	if (op.cmd >= ARRAY_SIZE(sysctl_cmds) || !sysctl_cmds[op.cmd].fn)
		return -XEN_ENOSYS;
	cmd = &sysctl_cmds[op.cmd];
	rc = cmd->fn(v, &op);
	if (rc == -XEN_ERESTART) {
		if ((cmd->flags & SYSCTL_COPYBACK_RESTART) && copy_to_guest(arg, &op, sizeof(op)))
			return -XEN_EFAULT;
		return hypercall_create_continuation(__HYPERVISOR_sysctl, 1, arg, 0, 0, 0, 0, 0);
	}
	if ((!rc || (rc == -XEN_ENOBUFS && (cmd->flags & SYSCTL_COPYBACK_ENOBUFS))) &&
	    (cmd->flags & SYSCTL_COPYBACK) && copy_to_guest(arg, &op, sizeof(op)))
		return -XEN_EFAULT;
	return rc;
}
