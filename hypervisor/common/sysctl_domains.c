/*
 * The sysctls about domains and their CPU pool: getdomaininfolist (`xl
 * list`, libxl's domain lookups), sched_id and cpupool_op. Paravane has one
 * pool, id 0: every online CPU, every domain, the credit scheduler.
 */
#include <arch.h>
#include <cpumask.h>
#include <guest_access.h>
#include <public/errno.h>
#include "domctl.h"
#include "sysctl.h"

#define POOL0_SCHED XEN_SCHEDULER_CREDIT

int64_t sysctl_sched_id(struct vcpu *v, struct xen_sysctl *op)
{
	op->u.sched_id.sched_id = POOL0_SCHED;
	return 0;
}

/* Xen 4.17: in id order from first_domain, dying domains included. */
int64_t sysctl_getdomaininfolist(struct vcpu *v, struct xen_sysctl *op)
{
	struct xen_sysctl_getdomaininfolist *l = &op->u.getdomaininfolist;
	struct xen_domctl_getdomaininfo info;
	uint32_t n = 0;
	unsigned id = l->first_domain;

	for (struct domain *d; n < l->max_domains && (d = domctl_first_domain_from(id)); id = d->domain_id + 1u) {
		domctl_fill_info(d, &info);
		if (copy_to_guest(l->buffer + (uint64_t)n * sizeof(info), &info, sizeof(info)))
			return -XEN_EFAULT;
		n++;
		if (d->domain_id == DOMID_FIRST_RESERVED - 1)
			break;
	}
	l->num_domains = n;
	return 0;
}

static uint32_t pool0_domains(void)
{
	uint32_t n = 0;

	for_each_domain(d)
		n++;
	return n;
}

static int64_t pool_info(struct xen_sysctl_cpupool_op *p)
{
	if (p->cpupool_id > 0)
		return -XEN_ENOENT;   /* the first pool >= the id: only 0 exists */
	p->cpupool_id = 0;
	p->sched_id = POOL0_SCHED;
	p->n_dom = pool0_domains();
	return ctl_bitmap_out(&p->cpumap, arch_cpus_online(), NR_CPUS);
}

/* As Xen: the domain must exist and not be the caller (-EPERM), the pool must exist. */
static int64_t pool_movedomain(struct vcpu *v, struct xen_sysctl_cpupool_op *p)
{
	struct domain *d = p->domid < DOMID_FIRST_RESERVED ? domain_lookup((domid_t)p->domid) : NULL;

	if (!d)
		return -XEN_ESRCH;
	if (d == v->domain)
		return -XEN_EPERM;
	return p->cpupool_id ? -XEN_ENOENT : 0;   /* already in pool 0 */
}

int64_t sysctl_cpupool_op(struct vcpu *v, struct xen_sysctl *op)
{
	struct xen_sysctl_cpupool_op *p = &op->u.cpupool_op;

	switch (p->op) {
	case XEN_SYSCTL_CPUPOOL_OP_INFO:
		return pool_info(p);
	case XEN_SYSCTL_CPUPOOL_OP_FREEINFO:
		return ctl_bitmap_out(&p->cpumap, 0, NR_CPUS);   /* every CPU is in pool 0 */
	case XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN:
		return pool_movedomain(v, p);
	case XEN_SYSCTL_CPUPOOL_OP_CREATE:
		return -XEN_EOPNOTSUPP;   /* one pool only */
	case XEN_SYSCTL_CPUPOOL_OP_DESTROY:
	case XEN_SYSCTL_CPUPOOL_OP_ADDCPU:
	case XEN_SYSCTL_CPUPOOL_OP_RMCPU:
		/* pool 0 keeps its domains and every CPU; no CPU is free to add */
		return p->cpupool_id ? -XEN_ENOENT : -XEN_EBUSY;
	default:
		return -XEN_ENOSYS;
	}
}
