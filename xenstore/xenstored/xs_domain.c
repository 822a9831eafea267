/*
 * xs_domain.c - the table of introduced domains.
 *
 * INTRODUCE records a domain and asks the transport (struct
 * xsd_domain_ops) to attach its store ring; RELEASE detaches and forgets
 * it.  Without a transport (--no-domain-init, unit tests) domains are
 * only recorded, which is enough for the toolstack's bookkeeping and
 * for @introduceDomain/@releaseDomain watches.
 */
#include <errno.h>
#include <stdlib.h>
#include "xsd.h"

struct xsd_domain *xsd_domain_find(struct xsd *xsd, unsigned int domid)
{
	for (struct xsd_domain *d = xsd->domains; d; d = d->next)
		if (d->domid == domid)
			return d;
	return NULL;
}

/* Returns 0, EEXIST (already there with another ring), ENOMEM, or the
 * transport's error. */
int xsd_domain_introduce(struct xsd *xsd, unsigned int domid,
			 unsigned long mfn, unsigned int port)
{
	struct xsd_domain *d = xsd_domain_find(xsd, domid);
	int rc = 0;

	if (d)		/* the toolstack may repeat itself, e.g. on resume */
		return d->mfn == mfn && d->port == port ? 0 : EEXIST;
	d = calloc(1, sizeof(*d));
	if (!d)
		return ENOMEM;
	d->domid = domid;
	d->mfn = mfn;
	d->port = port;
	d->target = -1;
	if (xsd->dom_ops && xsd->dom_ops->attach)
		rc = xsd->dom_ops->attach(xsd, d);
	if (rc) {
		xsd_log(0, "dom%u: cannot attach store ring (mfn %lu, port %u): error %d",
			domid, mfn, port, rc);
		free(d);
		return rc;
	}
	d->next = xsd->domains;
	xsd->domains = d;
	xsd_log(1, "dom%u: introduced", domid);
	xsd_watch_fire(xsd, "@introduceDomain", false);
	return 0;
}

static void domain_free(struct xsd *xsd, struct xsd_domain *d)
{
	/* The connection may be the one whose request got us here, so it
	 * is only marked; the main loop reaps it.  It is never read again. */
	if (d->conn) {
		d->conn->domain = NULL;
		d->conn->dead = true;
	}
	if (xsd->dom_ops && xsd->dom_ops->detach)
		xsd->dom_ops->detach(xsd, d);
	free(d);
}

int xsd_domain_release(struct xsd *xsd, unsigned int domid)
{
	struct xsd_domain **pd = &xsd->domains, *d;

	while (*pd && (*pd)->domid != domid)
		pd = &(*pd)->next;
	d = *pd;
	if (!d)
		return ENOENT;
	*pd = d->next;
	domain_free(xsd, d);
	xsd_log(1, "dom%u: released", domid);
	xsd_watch_fire(xsd, "@releaseDomain", false);
	return 0;
}

int xsd_domain_set_target(struct xsd *xsd, unsigned int domid,
			  unsigned int target)
{
	struct xsd_domain *d = xsd_domain_find(xsd, domid);

	if (!d || !xsd_domain_find(xsd, target))
		return ENOENT;
	d->target = target;
	if (d->conn)
		d->conn->who.target = target;
	return 0;
}

void xsd_domain_destroy_all(struct xsd *xsd)
{
	while (xsd->domains) {
		struct xsd_domain *d = xsd->domains;

		xsd->domains = d->next;
		domain_free(xsd, d);
	}
}
