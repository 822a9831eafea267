/*
 * xs_hv.c - what the daemon asks the hypervisor about a domain, through
 * libxenctrl (getdomaininfo): whether it still exists, has shut down or
 * is dying.  Daemon only; the unit tests give their own xsd_hv_dominfo.
 */
#include <errno.h>
#include <stddef.h>
#include "xenctrl.h"
#include "xs_hv.h"

static xc_interface *xch;

int xsd_hv_open(void)
{
	if (!xch)
		xch = xc_interface_open(NULL, NULL, 0);
	return xch ? 0 : errno;
}

void xsd_hv_close(void)
{
	xc_interface_close(xch);
	xch = NULL;
}

int xsd_hv_dominfo(void *arg, unsigned int domid, struct xsd_dominfo *out)
{
	xc_dominfo_t i;
	int n;

	(void)arg;
	if (!xch)
		return ENODEV;
	/* getdomaininfo answers the first domain at or above domid. */
	n = xc_domain_getinfo(xch, domid, 1, &i);
	if (n < 0 && errno != ESRCH)
		return errno ? errno : EIO;
	out->exists = n == 1 && i.domid == domid;
	out->shutdown = out->exists && (i.shutdown || i.crashed);
	out->dying = out->exists && i.dying;
	return 0;
}
