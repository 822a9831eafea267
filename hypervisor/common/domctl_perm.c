/*
 * The domctls that hand a domain physical resources: I/O ports, MMIO
 * frames, physical IRQs. Xen 4.17's rule, kept here: a caller may give
 * (or take back) only what it may reach itself, and common/domctl.c has
 * already refused every caller but the privileged domain (-EPERM), so a
 * DomU can never widen anyone's access, its own included. The checks and
 * their codes follow Xen's order: the range (-EINVAL), then the caller's
 * own access (-EPERM).
 *
 * What Paravane does with a grant: I/O ports are real (the domain's port
 * grant, which its IN/OUT emulation consults). MMIO frames and IRQs are
 * not passed through to DomUs yet: taking access away always succeeds
 * (a DomU holds none), giving it is -EOPNOTSUPP.
 */
#include <arch.h>
#include <pirq.h>
#include <public/errno.h>
#include "domctl.h"

#define IOPORT_COUNT 65536u
#define MFN_LIMIT (1ull << (52 - 12))   /* x86-64's widest physical address */

int64_t domctl_ioport_permission(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	const struct xen_domctl_ioport_permission *p = &op->u.ioport_permission;
	uint32_t first = p->first_port, nr = p->nr_ports;

	/* as Xen: an empty or wrapping range, or one past port 0xffff */
	if (first + nr <= first || first + nr > IOPORT_COUNT)
		return -XEN_EINVAL;
	return arch_ioports_permit(v->domain, d, first, first + nr - 1, p->allow_access);
}

int64_t domctl_iomem_permission(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	const struct xen_domctl_iomem_permission *p = &op->u.iomem_permission;

	if (p->first_mfn + p->nr_mfns - 1 < p->first_mfn)
		return -XEN_EINVAL;   /* wraps (nr_mfns 0 included, unless first_mfn is 0) */
	if (p->first_mfn + p->nr_mfns - 1 >= MFN_LIMIT)
		return -XEN_EPERM;    /* beyond any physical address: not the caller's */
	return p->allow_access ? -XEN_EOPNOTSUPP : 0;
}

/* The caller must have mapped the pirq itself (Xen's pirq_access_permitted). */
int64_t domctl_irq_permission(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	const struct xen_domctl_irq_permission *p = &op->u.irq_permission;
	struct pirq_domain *own = v->domain->pirq;

	if (p->pirq >= NR_PIRQS)
		return -XEN_EINVAL;
	if (!own || own->pirqs[p->pirq].irq < 0)
		return -XEN_EPERM;
	return p->allow_access ? -XEN_EOPNOTSUPP : 0;
}
