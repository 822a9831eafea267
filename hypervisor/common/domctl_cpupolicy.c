/*
 * XEN_DOMCTL_get_cpu_policy / set_cpu_policy: the CPUID a domain sees, as
 * the toolstack reads it (save, libxl's CPUID setup) and restricts it
 * (`cpuid=` in xl.cfg). The policy itself is the arch's (arch.h); here
 * only the copying and Xen 4.17's answers. No MSRs are part of a PV
 * policy here: nr_msrs comes back 0 and any MSR given is refused.
 */
#include <arch.h>
#include <guest_access.h>
#include <public/errno.h>
#include "domctl.h"

/* Under the big lock: one buffer for every caller. */
static struct xen_cpuid_leaf leaves[ARCH_CPU_POLICY_MAX_LEAVES];

int64_t domctl_cpu_policy_copy_out(struct vcpu *v, bool raw, uint64_t buf, uint32_t *nr_leaves, uint32_t *nr_msrs)
{
	unsigned n;

	*nr_msrs = 0;
	if (!buf) {
		*nr_leaves = ARCH_CPU_POLICY_MAX_LEAVES;   /* the most there can be */
		return 0;
	}
	n = arch_cpu_policy_get(v, raw, leaves, ARRAY_SIZE(leaves));
	if (n > *nr_leaves)
		return -XEN_ENOBUFS;
	if (copy_to_guest(buf, leaves, n * sizeof(leaves[0])))
		return -XEN_EFAULT;
	*nr_leaves = n;
	return 0;
}

int64_t domctl_get_cpu_policy(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	struct xen_domctl_cpu_policy *p = &op->u.cpu_policy;

	return domctl_cpu_policy_copy_out(d->vcpus[0], false, p->leaves, &p->nr_leaves, &p->nr_msrs);
}

/*
 * Xen 4.17: not on the caller itself (-EINVAL), nor once the domain was
 * first unpaused (-EEXIST); the err_* fields come back
 * when the policy is refused (so this command copies back on failure too).
 */
int64_t domctl_set_cpu_policy(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	struct xen_domctl_cpu_policy *p = &op->u.cpu_policy;

	p->err_leaf = p->err_subleaf = p->err_msr = ~0u;
	if (d == v->domain)
		return -XEN_EINVAL;
	if (d->creation_finished)
		return -XEN_EEXIST;   /* never changed under a guest that may have read it */
	if (p->nr_leaves > ARRAY_SIZE(leaves))
		return -XEN_E2BIG;
	if (p->nr_msrs) {
		struct xen_msr_entry m;

		if (!copy_from_guest(&m, p->msrs, sizeof(m)))
			p->err_msr = m.idx;
		return -XEN_EINVAL;   /* no MSR is part of a PV policy here */
	}
	if (copy_from_guest(leaves, p->leaves, p->nr_leaves * sizeof(leaves[0])))
		return -XEN_EFAULT;
	return arch_cpu_policy_set(d, leaves, p->nr_leaves, &p->err_leaf, &p->err_subleaf);
}
