/*
 * XEN_SYSCTL_get_cpu_policy: the system's CPU policies as CPUID leaves
 * (libxl's CPUID setup asks for pv_default, save for the host's). raw and
 * host are the CPU's own leaves; pv_max and pv_default are what a PV
 * guest can see at most (the caller's view, which no toolstack policy
 * restricts: set_cpu_policy refuses the caller). No HVM (-EOPNOTSUPP).
 */
#include <public/errno.h>
#include "domctl.h"
#include "sysctl.h"

int64_t sysctl_get_cpu_policy(struct vcpu *v, struct xen_sysctl *op)
{
	struct xen_sysctl_cpu_policy *p = &op->u.cpu_policy;

	if (p->index > XEN_SYSCTL_cpu_policy_hvm_default || p->_rsvd)
		return -XEN_EINVAL;
	switch (p->index) {
	case XEN_SYSCTL_cpu_policy_hvm_max:
	case XEN_SYSCTL_cpu_policy_hvm_default:
		return -XEN_EOPNOTSUPP;
	case XEN_SYSCTL_cpu_policy_raw:
	case XEN_SYSCTL_cpu_policy_host:
		return domctl_cpu_policy_copy_out(v, true, p->leaves, &p->nr_leaves, &p->nr_msrs);
	default:
		return domctl_cpu_policy_copy_out(v, false, p->leaves, &p->nr_leaves, &p->nr_msrs);
	}
}
