/*
 * The domctls that set one of a domain's attributes: its handle (the
 * toolstack's UUID), its wallclock offset, its guest width, its TSC mode.
 * Xen 4.17's answers; common/domctl.c has checked the version, target and
 * privilege.
 */
#include <arch.h>
#include <domain.h>
#include <timer.h>
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

/*
 * A PV guest reads the real TSC (with the scale in its vcpu_time_info) in
 * Xen's default mode and in "never emulate"; emulating RDTSC ("always
 * emulate") is not offered. Xen 4.17 has no mode 3 any more (-EINVAL).
 */
int64_t domctl_settscinfo(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	const struct xen_domctl_tsc_info *t = &op->u.tsc_info;

	switch (t->tsc_mode) {
	case XEN_TSC_MODE_DEFAULT:
	case XEN_TSC_MODE_NEVER_EMULATE:
		break;
	case XEN_TSC_MODE_ALWAYS_EMULATE:
		return -XEN_EOPNOTSUPP;
	default:
		return -XEN_EINVAL;
	}
	d->tsc_mode = t->tsc_mode;
	d->tsc_khz = t->gtsc_khz;
	d->tsc_incarnation = t->incarnation + 1;
	return 0;
}

int64_t domctl_gettscinfo(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	struct xen_domctl_tsc_info *t = &op->u.tsc_info;

	t->tsc_mode = d->tsc_mode;
	t->gtsc_khz = d->tsc_khz ? d->tsc_khz : (uint32_t)arch_cpu_khz();
	t->incarnation = d->tsc_incarnation;
	t->pad = 0;
	t->elapsed_nsec = now_ns();
	return 0;
}
