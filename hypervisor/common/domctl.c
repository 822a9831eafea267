/*
 * domctl (#36): the toolstack's hold on other domains (public/domctl.h).
 * Xen 4.17's interface and checking order: the struct is copied in, its
 * interface_version checked (-EACCES), the target looked up (-ESRCH), the
 * caller's privilege checked (-EPERM), the command's own rules (a dying
 * target, the caller itself), then the worker runs and, if it succeeded,
 * what Xen copies back is copied back. The commands and their rules are
 * the table below; the workers live in common/domctl_*.c.
 */
#include <guest_access.h>
#include <hypercall.h>
#include <public/errno.h>
#include "domctl.h"

static const struct domctl_cmd domctl_cmds[] = {
	[XEN_DOMCTL_createdomain] = { domctl_createdomain, DOMCTL_NO_TARGET | DOMCTL_COPYBACK },
	[XEN_DOMCTL_destroydomain] = { domctl_destroydomain, DOMCTL_DYING_OK | DOMCTL_NOT_SELF },
	[XEN_DOMCTL_pausedomain] = { domctl_pausedomain, DOMCTL_DYING_OK | DOMCTL_NOT_SELF },
	[XEN_DOMCTL_unpausedomain] = { domctl_unpausedomain, DOMCTL_DYING_OK },
	[XEN_DOMCTL_getdomaininfo] = { domctl_getdomaininfo, DOMCTL_NO_TARGET | DOMCTL_COPYBACK },
	[XEN_DOMCTL_max_mem] = { domctl_max_mem, 0 },
	[XEN_DOMCTL_max_vcpus] = { domctl_max_vcpus, DOMCTL_NOT_SELF },
	[XEN_DOMCTL_setvcpucontext] = { domctl_setvcpucontext, DOMCTL_NOT_SELF },
	[XEN_DOMCTL_getvcpucontext] = { domctl_getvcpucontext, DOMCTL_DYING_OK },
	[XEN_DOMCTL_getvcpuinfo] = { domctl_getvcpuinfo, DOMCTL_DYING_OK | DOMCTL_COPYBACK },
	[XEN_DOMCTL_setvcpuaffinity] = { domctl_setvcpuaffinity, DOMCTL_DYING_OK },
	[XEN_DOMCTL_getvcpuaffinity] = { domctl_getvcpuaffinity, DOMCTL_DYING_OK },
	/* limits, scheduling, permissions: Xen 4.17 answers them for a dying domain too */
	[XEN_DOMCTL_scheduler_op] = { domctl_scheduler_op, DOMCTL_COPYBACK | DOMCTL_DYING_OK },
	[XEN_DOMCTL_setdomainhandle] = { domctl_setdomainhandle, DOMCTL_DYING_OK },
	[XEN_DOMCTL_irq_permission] = { domctl_irq_permission, DOMCTL_DYING_OK },
	[XEN_DOMCTL_iomem_permission] = { domctl_iomem_permission, DOMCTL_DYING_OK },
	[XEN_DOMCTL_ioport_permission] = { domctl_ioport_permission, DOMCTL_DYING_OK },
	[XEN_DOMCTL_hypercall_init] = { domctl_hypercall_init, DOMCTL_DYING_OK },
	[XEN_DOMCTL_settimeoffset] = { domctl_settimeoffset, DOMCTL_DYING_OK },
	[XEN_DOMCTL_resumedomain] = { domctl_resumedomain, DOMCTL_NOT_SELF | DOMCTL_DYING_OK },
	[XEN_DOMCTL_set_address_size] = { domctl_set_address_size, DOMCTL_DYING_OK },
	[XEN_DOMCTL_get_address_size] = { domctl_get_address_size, DOMCTL_COPYBACK | DOMCTL_DYING_OK },
	[XEN_DOMCTL_gettscinfo] = { domctl_gettscinfo, DOMCTL_COPYBACK | DOMCTL_NOT_SELF | DOMCTL_DYING_OK },
	[XEN_DOMCTL_settscinfo] = { domctl_settscinfo, DOMCTL_NOT_SELF | DOMCTL_DYING_OK },
	[XEN_DOMCTL_getpageframeinfo3] = { domctl_getpageframeinfo3, DOMCTL_DYING_OK },
	[XEN_DOMCTL_setnodeaffinity] = { domctl_setnodeaffinity, DOMCTL_DYING_OK },
	[XEN_DOMCTL_getnodeaffinity] = { domctl_getnodeaffinity, DOMCTL_DYING_OK },
	[XEN_DOMCTL_get_cpu_policy] = { domctl_get_cpu_policy, DOMCTL_COPYBACK | DOMCTL_DYING_OK },
	[XEN_DOMCTL_set_cpu_policy] = { domctl_set_cpu_policy, DOMCTL_COPYBACK | DOMCTL_COPYBACK_ALWAYS | DOMCTL_DYING_OK },
};

/*
 * Set while a worker runs. Only seen by another CPU while a worker waits
 * for a vCPU to leave its CPU with the big lock let go (sched.h): a second
 * domctl then continues until the first is done, as on Xen (its domctl
 * lock), so that two Dom0 vCPUs never wait for each other.
 */
static bool domctl_busy;

int64_t do_domctl(struct vcpu *v, const uint64_t args[6])
{
	const struct domctl_cmd *cmd;
	uint64_t arg = args[0];
	struct domain *d = NULL;
	struct xen_domctl op;
	int64_t rc;

	if (copy_from_guest(&op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	cmd = op.cmd < ARRAY_SIZE(domctl_cmds) && domctl_cmds[op.cmd].fn ? &domctl_cmds[op.cmd] : NULL;
	if (!cmd || !(cmd->flags & DOMCTL_NO_TARGET)) {
		/* a dying domain can still be named: destroydomain finishes it */
		d = domain_lookup_any(op.domain);
		if (!d)
			return -XEN_ESRCH;
	}
	if (!v->domain->is_privileged)
		return -XEN_EPERM;
	if (!cmd)
		return -XEN_ENOSYS;
	if (d && d->is_dying && !(cmd->flags & DOMCTL_DYING_OK))
		return -XEN_EINVAL;
	if (d == v->domain && (cmd->flags & DOMCTL_NOT_SELF))
		return -XEN_EINVAL;
	if (domctl_busy)
		return hypercall_create_continuation(__HYPERVISOR_domctl, 1, arg, 0, 0, 0, 0, 0);
	domctl_busy = true;
	rc = cmd->fn(v, d, &op);
	domctl_busy = false;
	if (rc == -XEN_ERESTART)
		return hypercall_create_continuation(__HYPERVISOR_domctl, 1, arg, 0, 0, 0, 0, 0);
	if ((!rc || (cmd->flags & DOMCTL_COPYBACK_ALWAYS)) && (cmd->flags & DOMCTL_COPYBACK) &&
	    copy_to_guest(arg, &op, sizeof(op)))
		return -XEN_EFAULT;
	return rc;
}
