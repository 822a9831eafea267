/*
 * xc_domain.c - the domain life cycle through domctl (create, vCPUs,
 * allowance, pause counting, destroy) and the views of it (getinfo,
 * getinfolist), as Xen 4.17's libxenctrl offers them.
 *
 * getinfolist is Xen's sysctl getdomaininfolist, one call for the whole
 * list; a hypervisor without that sysctl (-ENOSYS) gets the list by
 * walking getdomaininfo, which answers the lowest id at or above the one
 * asked for (docs/toolstack.md). getinfo always walks, as Xen's does.
 */
#include <string.h>
#include "xc_private.h"

int xc_domain_create(xc_interface *xch, uint32_t *pdomid,
		     struct xen_domctl_createdomain *config)
{
	struct xen_domctl op = { .cmd = XEN_DOMCTL_createdomain };
	int rc;

	if (!pdomid || !config)
		return xc_ret(-EINVAL);
	if (*pdomid > UINT16_MAX)
		return xc_ret(-EINVAL);
	op.domain = (domid_t)*pdomid;
	op.u.createdomain = *config;
	rc = xcp_domctl(xch, &op);
	if (rc < 0) {
		xc_err("cannot create a domain (max_vcpus %u): %s",
		       config->max_vcpus, strerror(-rc));
		return xc_ret(rc);
	}
	*pdomid = op.domain;
	*config = op.u.createdomain;
	return 0;
}

int xc_domain_max_vcpus(xc_interface *xch, uint32_t domid, unsigned int max)
{
	struct xen_domctl op = { .cmd = XEN_DOMCTL_max_vcpus };
	int rc = xcp_domid_real(domid);

	if (rc == 0) {
		op.domain = (domid_t)domid;
		op.u.max_vcpus.max = max;
		rc = xcp_domctl(xch, &op);
	}
	return xc_ret(rc);
}

int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb)
{
	struct xen_domctl op = { .cmd = XEN_DOMCTL_max_mem };
	int rc = xcp_domid_real(domid);

	if (rc == 0) {
		op.domain = (domid_t)domid;
		op.u.max_mem.max_memkb = max_memkb;
		rc = xcp_domctl(xch, &op);
	}
	return xc_ret(rc);
}

int xc_domain_pause(xc_interface *xch, uint32_t domid)
{
	return xc_ret(xcp_domctl_simple(xch, XEN_DOMCTL_pausedomain, domid));
}

int xc_domain_unpause(xc_interface *xch, uint32_t domid)
{
	return xc_ret(xcp_domctl_simple(xch, XEN_DOMCTL_unpausedomain, domid));
}

int xc_domain_destroy(xc_interface *xch, uint32_t domid)
{
	int rc;

	do
		rc = xcp_domctl_simple(xch, XEN_DOMCTL_destroydomain, domid);
	while (rc == -EAGAIN);
	return xc_ret(rc);
}

/* The first domain at or above domid: 0 or -errno. */
static int getdomaininfo(xc_interface *xch, uint32_t domid, xc_domaininfo_t *out)
{
	struct xen_domctl op = { .cmd = XEN_DOMCTL_getdomaininfo };
	int rc = xcp_domid_real(domid);

	if (rc < 0)
		return rc;
	op.domain = (domid_t)domid;
	rc = xcp_domctl(xch, &op);
	if (rc == 0)
		*out = op.u.getdomaininfo;
	return rc;
}

static void decode(const xc_domaininfo_t *d, xc_dominfo_t *info)
{
	uint32_t f = d->flags;

	memset(info, 0, sizeof(*info));
	info->domid = d->domain;
	info->ssidref = d->ssidref;
	info->dying = !!(f & XEN_DOMINF_dying);
	info->shutdown = !!(f & XEN_DOMINF_shutdown);
	info->paused = !!(f & XEN_DOMINF_paused);
	info->blocked = !!(f & XEN_DOMINF_blocked);
	info->running = !!(f & XEN_DOMINF_running);
	info->hvm = !!(f & XEN_DOMINF_hvm_guest);
	info->debugged = !!(f & XEN_DOMINF_debugged);
	info->xenstore = !!(f & XEN_DOMINF_xs_domain);
	info->hap = !!(f & XEN_DOMINF_hap);
	info->shutdown_reason = (f >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
	info->crashed = info->shutdown && info->shutdown_reason == SHUTDOWN_crash;
	info->nr_pages = d->tot_pages;
	info->nr_outstanding_pages = d->outstanding_pages;
	info->nr_shared_pages = d->shr_pages;
	info->nr_paged_pages = d->paged_pages;
	info->shared_info_frame = d->shared_info_frame;
	info->cpu_time = d->cpu_time;
	info->max_memkb = d->max_pages << (XC_PAGE_SHIFT - 10);
	info->nr_online_vcpus = d->nr_online_vcpus;
	info->max_vcpu_id = d->max_vcpu_id;
	memcpy(info->handle, d->handle, sizeof(info->handle));
	info->cpupool = d->cpupool;
	info->gpaddr_bits = d->gpaddr_bits;
	info->arch_config = d->arch_config;
}

/*
 * Fill up to max records from first on (raw into raw[], or decoded into
 * dec[]): how many, or -errno when the very first lookup failed.
 */
static int walk(xc_interface *xch, uint32_t first, unsigned int max,
		xc_domaininfo_t *raw, xc_dominfo_t *dec)
{
	uint32_t next = first;
	unsigned int n;
	int rc = 0;

	for (n = 0; n < max; n++) {
		xc_domaininfo_t d;

		rc = getdomaininfo(xch, next, &d);
		if (rc < 0)
			break;
		if (raw)
			raw[n] = d;
		else
			decode(&d, &dec[n]);
		next = (uint32_t)d.domain + 1;
	}
	return n ? (int)n : rc;
}

int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid,
		      unsigned int max_doms, xc_dominfo_t *info)
{
	/* Only the records filled are cleared (decode), as Xen's does: xl
	 * asks for up to 1024, and clearing them all up front touched 40
	 * pages, a page fault each, to list one or two domains. */
	if (max_doms && !info)
		return xc_ret(-EINVAL);
	return xc_ret(walk(xch, first_domid, max_doms, NULL, info));
}

/*
 * sysctl getdomaininfolist into info[]: how many, or -errno. The records
 * travel through a locked buffer; the count is never taken above max.
 */
static int infolist(xc_interface *xch, uint32_t first, unsigned int max, xc_domaininfo_t *info)
{
	struct xen_sysctl op = { .cmd = XEN_SYSCTL_getdomaininfolist };
	struct xen_sysctl_getdomaininfolist l;
	size_t len = (size_t)max * sizeof(*info);
	void *buf;
	int rc;

	if (first > UINT16_MAX)
		return -EINVAL;
	buf = xcp_buf_alloc(len);
	if (!buf)
		return -ENOMEM;
	l = (struct xen_sysctl_getdomaininfolist){
		.first_domain = (domid_t)first, .max_domains = max, .buffer = (uintptr_t)buf,
	};
	memcpy(op.u.pad, &l, sizeof(l));
	rc = xcp_sysctl(xch, &op);
	if (rc == 0) {
		memcpy(&l, op.u.pad, sizeof(l));
		if (l.num_domains > max)
			l.num_domains = max;
		memcpy(info, buf, l.num_domains * sizeof(*info));
		rc = (int)l.num_domains;
	}
	xcp_buf_free(buf, len);
	return rc;
}

int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain,
			  unsigned int max_domains, xc_domaininfo_t *info)
{
	int rc;

	if (max_domains && !info)
		return xc_ret(-EINVAL);
	if (!max_domains)
		return 0;
	rc = infolist(xch, first_domain, max_domains, info);
	if (rc != -ENOSYS)
		return xc_ret(rc);
	rc = walk(xch, first_domain, max_domains, info, NULL);
	return xc_ret(rc == -ESRCH ? 0 : rc);
}
