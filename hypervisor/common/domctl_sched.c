/*
 * The domctls of scheduling: the credit scheduler's per-domain parameters
 * (XEN_DOMCTL_scheduler_op, which libxl calls for every domain it builds)
 * and resumedomain (a suspended domain runs again). common/domctl.c has
 * checked the version, the target and privilege.
 */
#include <domain.h>
#include <sched_credit.h>
#include <public/errno.h>
#include "domctl.h"

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
		if (s->u.credit.cap != 0xffff)
			d->cap = s->u.credit.cap;
		return 0;
	default:
		return -XEN_EINVAL;   /* per-vCPU parameters: credit has none */
	}
}

int64_t domctl_resumedomain(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	return domain_resume(d);
}
