/*
 * The domctls that set one of a domain's attributes: its handle (the
 * toolstack's UUID), its wallclock offset, its guest width. Xen 4.17's
 * answers; common/domctl.c has checked the version, target and privilege.
 */
#include <domain.h>
#include <wallclock.h>
#include <public/errno.h>
#include "domctl.h"

int64_t domctl_setdomainhandle(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	memcpy(d->handle, op->u.setdomainhandle.handle, sizeof(d->handle));
	return 0;
}

/* `rtc_timeoffset`/`localtime`: what the domain's shared_info wallclock reads, shifted. */
int64_t domctl_settimeoffset(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	d->time_offset = op->u.settimeoffset.time_offset_seconds;
	wallclock_update_domain(d);
	return 0;
}

/*
 * Only 64-bit PV guests exist here. Asking for 32 (compat PV) gets what a
 * Xen built without 32-bit PV answers, -EOPNOTSUPP; other sizes -EINVAL.
 */
int64_t domctl_set_address_size(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	switch (op->u.address_size.size) {
	case 64:
		d->address_size = 64;
		return 0;
	case 32:
		return -XEN_EOPNOTSUPP;
	default:
		return -XEN_EINVAL;
	}
}

int64_t domctl_get_address_size(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	op->u.address_size.size = 64;
	return 0;
}
