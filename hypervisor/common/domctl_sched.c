/*
 * The domctls of scheduling: the credit scheduler's per-domain parameters
 * (XEN_DOMCTL_scheduler_op, which libxl calls for every domain it builds)
 * and resumedomain (a suspended domain runs again). common/domctl.c has
 * checked the version, the target and privilege.
 */
#include <domain.h>
#include <guest_access.h>
#include <sched_credit.h>
#include <public/errno.h>
#include "domctl.h"
#include "sysctl.h"

/*
 * Xen 4.17's rules: the sched_id must be the domain's pool's scheduler;
 * only getinfo and putinfo exist for credit; a putinfo weight of 0 or a
 * cap of 0xffff leaves that parameter as it is. No range checks beyond
 * the field widths (libxl checks 1-65535 and the cap against the CPUs).
 */
int64_t domctl_scheduler_op(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	struct xen_domctl_scheduler_op *s = &op->u.scheduler_op;

	if (s->sched_id != XEN_SCHEDULER_CREDIT)
		return -XEN_EINVAL;
	switch (s->cmd) {
	case XEN_DOMCTL_SCHEDOP_getinfo:
		/* a domain whose vCPUs never started has the default yet */
		s->u.credit.weight = (uint16_t)(d->weight ? d->weight : CREDIT_DEFAULT_WEIGHT);
		s->u.credit.cap = (uint16_t)d->cap;
		return 0;
	case XEN_DOMCTL_SCHEDOP_putinfo:
		if (s->u.credit.weight)
			d->weight = s->u.credit.weight;
		/* a new cap starts with no debt: the old one's is not owed to it */
		if (s->u.credit.cap != 0xffff && s->u.credit.cap != d->cap) {
			d->cap = s->u.credit.cap;
			d->cap_used_ns = 0;
		}
		return 0;
	default:
		return -XEN_EINVAL;   /* per-vCPU parameters: credit has none */
	}
}

int64_t domctl_resumedomain(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	return domain_resume(d);
}

/*
 * One NUMA node: an affinity must include node 0 (Xen 4.17: a map with no
 * online node is -EINVAL). As Xen, only the bytes both sides have bits for
 * are read (nodemasks are 64 bits), bits past nr_bits ignored, and the map
 * is kept as given: getnodeaffinity returns it (node 0 until one is set).
 */
int64_t domctl_setnodeaffinity(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	uint64_t nodes;

	if (ctl_bitmap_in(&op->u.nodeaffinity.nodemap, &nodes, 64))
		return -XEN_EFAULT;
	if (!(nodes & 1))
		return -XEN_EINVAL;
	d->node_affinity = nodes;
	return 0;
}

int64_t domctl_getnodeaffinity(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	return ctl_bitmap_out(&op->u.nodeaffinity.nodemap, d->node_affinity ? d->node_affinity : 1, 64);
}
