/*
 * xl_build_stub.c - pv_build until libxenguest has it (linked into xl
 * only while no source of dom0-tools/libs/guest defines pv_build; see
 * dom0-tools/xl/module.mk): every build fails, saying why, and xl create
 * undoes the domain as it does for any failed build.
 */
#include <errno.h>
#include <stdio.h>
#include "pv_build.h"

int pv_build(xc_interface *xch, uint32_t domid, const struct pv_build_args *args,
	     struct pv_build_result *res, char *err, size_t errlen)
{
	(void)xch;
	(void)domid;
	(void)res;
	snprintf(err, errlen, "%s: this xl was built without the PV builder (libxenguest's pv_build)",
		 args->kernel);
	errno = ENOSYS;
	return -1;
}
