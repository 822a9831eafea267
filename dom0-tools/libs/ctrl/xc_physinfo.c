/*
 * xc_physinfo.c - the machine, through sysctl (only physinfo exists in the
 * hypervisor today; the rest of Xen's sysctls come with issue 15).
 */
#include "xc_private.h"

int xc_physinfo(xc_interface *xch, xc_physinfo_t *info)
{
	struct xen_sysctl op = { .cmd = XEN_SYSCTL_physinfo };
	int rc;

	if (!info)
		return xc_ret(-EINVAL);
	rc = xcp_sysctl(xch, &op);
	if (rc == 0)
		*info = op.u.physinfo;
	return xc_ret(rc);
}
