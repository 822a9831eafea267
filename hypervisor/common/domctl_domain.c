/*
 * The domctls of a domain's life: create, inspect, limit, pause, destroy
 * (public/domctl.h has each one's rules; common/domctl.c checks the
 * version, the target, privilege, dying and self before these run).
 */
#include <console.h>
#include <domain.h>
#include <event.h>
#include <grant_table.h>
#include <sched.h>
#include <public/errno.h>
#include <public/vcpu.h>
#include "domctl.h"

/* the last id createdomain picked; the next pick starts after it (Xen's rover) */
static domid_t domid_rover;

/* Unlike domain_lookup, a dying domain still holds its id. */
static bool domid_free(domid_t id)
{
	return !domain_lookup_any(id);
}

static int pick_domid(domid_t want, domid_t *out)
{
	if (want && want < DOMID_FIRST_RESERVED) {
		if (!domid_free(want))
			return -XEN_EEXIST;
		*out = want;
		return 0;
	}
	for (unsigned tries = 1; tries < DOMID_FIRST_RESERVED; tries++) {
		domid_t id = (domid_t)(domid_rover + tries);

		if (id >= DOMID_FIRST_RESERVED)
			id = (domid_t)(id - DOMID_FIRST_RESERVED + 1);
		if (domid_free(id)) {
			domid_rover = id;
			*out = id;
			return 0;
		}
	}
	return -XEN_ENOMEM;   /* every id taken */
}

/*
 * PV only, and only what this hypervisor has: HVM, HAP, an IOMMU, nested
 * virtualisation, a vPMU, trace buffers and emulated devices are -EINVAL,
 * as on a Xen without them. vCPUs beyond the 32 that have a vcpu_info in
 * shared_info are not offered yet.
 */
static int check_config(const struct xen_domctl_createdomain *c)
{
	const uint32_t known = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_s3_integrity |
			       XEN_DOMCTL_CDF_oos_off | XEN_DOMCTL_CDF_xs_domain | XEN_DOMCTL_CDF_iommu |
			       XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu;
	const uint32_t unavailable = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_iommu |
				     XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu;
	unsigned grant_version = XEN_DOMCTL_GRANT_version(c->grant_opts);

	if ((c->flags & ~known) || (c->flags & unavailable) || c->iommu_opts)
		return -XEN_EINVAL;
	if (c->max_vcpus < 1 || c->max_vcpus > XEN_LEGACY_MAX_VCPUS)
		return -XEN_EINVAL;
	if (c->vmtrace_size || c->arch.emulation_flags || (c->arch.misc_flags & ~XEN_X86_MSR_RELAXED))
		return -XEN_EINVAL;
	if (grant_version < 1 || grant_version > 2 || (c->grant_opts & ~0xfu))
		return -XEN_EINVAL;
	/* < 0: the defaults; the table starts with one frame, so at least one */
	if (c->max_grant_frames == 0 || c->max_grant_frames > GNTTAB_FRAMES_LIMIT ||
	    c->max_maptrack_frames == 0)
		return -XEN_EINVAL;
	if (c->cpupool_id)
		return -XEN_ENOENT;   /* only pool 0 exists */
	return 0;
}

int64_t domctl_createdomain(struct vcpu *v, struct domain *unused, struct xen_domctl *op)
{
	const struct xen_domctl_createdomain *c = &op->u.createdomain;
	struct domain *d;
	domid_t id;
	int rc = check_config(c);

	if (rc)
		return rc;
	rc = pick_domid(op->domain, &id);
	if (rc)
		return rc;
	d = domain_create(id, c->max_vcpus, false);
	if (!d)
		return -XEN_ENOMEM;
	rc = gnttab_set_limits(d, c->max_grant_frames < 0 ? GNTTAB_DEFAULT_MAX_FRAMES : (unsigned)c->max_grant_frames,
			       c->max_maptrack_frames < 0 ? GNTTAB_DEFAULT_MAPTRACK_FRAMES
							  : (unsigned)c->max_maptrack_frames);
	if (rc) {
		domain_free(d);   /* nothing of it was seen yet */
		return rc;
	}
	if (c->max_evtchn_port)
		evtchn_set_max_port(d, c->max_evtchn_port);
	memcpy(d->handle, c->handle, sizeof(d->handle));
	d->pause_count = 1;   /* it runs when the toolstack first unpauses it */
	d->max_pages = 0;
	d->state = DOMAIN_RUNNING;   /* its vCPUs are down until initialised */
	log_info("d%u: created by d%u (%u vCPUs)\n", id, v->domain->domain_id,
		 c->max_vcpus);
	op->domain = id;
	return 0;
}

/* Xen 4.17: the domain with the lowest id >= id, dying ones included. */
struct domain *domctl_first_domain_from(unsigned id)
{
	struct domain *best = NULL;

	for_each_domain(d)
		if (d->domain_id >= id && (!best || d->domain_id < best->domain_id))
			best = d;
	return best;
}

void domctl_fill_info(struct domain *d, struct xen_domctl_getdomaininfo *info)
{
	uint32_t flags = XEN_DOMINF_blocked;

	memset(info, 0, sizeof(*info));
	info->domain = d->domain_id;
	info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
	for (unsigned i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];
		struct vcpu_runstate_info rs;

		if (!v)
			continue;
		sched_get_runstate(v, &rs);
		info->cpu_time += rs.time[RUNSTATE_running];
		info->max_vcpu_id = v->vcpu_id;
		if (!v->online)
			continue;
		info->nr_online_vcpus++;
		if (v->run_state != RUNSTATE_blocked)
			flags &= ~XEN_DOMINF_blocked;
		if (v->run_state == RUNSTATE_running)
			flags |= XEN_DOMINF_running;
	}
	info->flags = info->nr_online_vcpus ? flags : 0;
	if (d->is_dying)
		info->flags |= XEN_DOMINF_dying;
	/* as Xen 4.17: the code's bits are there even before a shutdown, all ones */
	if (d->state == DOMAIN_SHUTDOWN)
		info->flags |= XEN_DOMINF_shutdown | d->shutdown_code << XEN_DOMINF_shutdownshift;
	else
		info->flags |= ~0u << XEN_DOMINF_shutdownshift;
	if (d->pause_count)
		info->flags |= XEN_DOMINF_paused;
	info->tot_pages = d->tot_pages;
	info->max_pages = d->max_pages;
	info->shared_info_frame = d->shared_info_mfn;
	memcpy(info->handle, d->handle, sizeof(info->handle));
}

int64_t domctl_getdomaininfo(struct vcpu *v, struct domain *unused, struct xen_domctl *op)
{
	struct domain *d = op->domain < DOMID_FIRST_RESERVED ? domctl_first_domain_from(op->domain) : NULL;

	if (!d)
		return -XEN_ESRCH;
	domctl_fill_info(d, &op->u.getdomaininfo);
	op->domain = d->domain_id;
	return 0;
}

int64_t domctl_destroydomain(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	return domain_destroy(d);
}

/*
 * Returns when none of d's vCPUs is on a CPU any more (one may be running
 * in guest mode on another CPU right now: it is kicked, and waited for).
 */
int64_t domctl_pausedomain(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	if (d->pause_count >= 255)
		return -XEN_EOVERFLOW;
	d->pause_count++;
	sched_pause_domain(d);
	sched_wait_unloaded(d, NULL);
	return 0;
}

/* At 0, every online vCPU that was not blocked runs again. */
int64_t domctl_unpausedomain(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	if (!d->pause_count)
		return -XEN_EINVAL;
	if (!--d->pause_count)
		d->creation_finished = true;   /* as Xen: the toolstack let it run */
	sched_unpause_domain(d);
	return 0;
}

int64_t domctl_max_mem(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	d->max_pages = op->u.max_mem.max_memkb >> (FRAME_SHIFT - 10);
	if (d->max_pages > UINT32_MAX)
		d->max_pages = UINT32_MAX;
	return 0;
}

/* The vCPUs were made by createdomain; Xen wants the same number. */
int64_t domctl_max_vcpus(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	return op->u.max_vcpus.max == d->max_vcpus ? 0 : -XEN_EINVAL;
}
