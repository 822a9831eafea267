/*
 * XEN_SYSCTL_get_cpu_policy and get_cpu_featureset: the system's CPU
 * policies as CPUID leaves and as Xen's feature words
 * (libxl's CPUID setup asks for pv_default, save for the host's). raw and
 * host are the CPU's own leaves; pv_max and pv_default are what a PV
 * guest can see at most (the caller's view, which no toolstack policy
 * restricts: set_cpu_policy refuses the caller). No HVM (-EOPNOTSUPP).
 */
#include <arch.h>
#include <guest_access.h>
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

/* Xen 4.17's order of answers: a NULL array first (the count), then the index. */
int64_t sysctl_get_cpu_featureset(struct vcpu *v, struct xen_sysctl *op)
{
	struct xen_sysctl_cpu_featureset *f = &op->u.cpu_featureset;
	uint32_t words[32];
	unsigned total, n;

	if (!f->features) {
		f->nr_features = arch_cpu_featureset(v, false, words, 0);
		return 0;
	}
	switch (f->index) {
	case XEN_SYSCTL_cpu_featureset_raw:
	case XEN_SYSCTL_cpu_featureset_host:
	case XEN_SYSCTL_cpu_featureset_pv:
	case XEN_SYSCTL_cpu_featureset_pv_max:
		break;
	case XEN_SYSCTL_cpu_featureset_hvm:
	case XEN_SYSCTL_cpu_featureset_hvm_max:
		return -XEN_EOPNOTSUPP;
	default:
		return -XEN_EINVAL;
	}
	total = arch_cpu_featureset(v, f->index <= XEN_SYSCTL_cpu_featureset_host, words, ARRAY_SIZE(words));
	n = MIN(f->nr_features, total);
	if (copy_to_guest(f->features, words, n * sizeof(words[0])))
		return -XEN_EFAULT;
	f->nr_features = n;
	return n < total ? -XEN_ENOBUFS : 0;
}
