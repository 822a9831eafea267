/*
 * xc_version.c - xen_version (hypercall 17, public/version.h): what the
 * hypervisor is. The sub-operations that fill a buffer get a locked one
 * of the size public/version.h gives them, copied out on success.
 */
#include <string.h>
#include <public/version.h>
#include "xc_private.h"

/* Bytes cmd writes to (or, get_features and build_id, reads from) arg;
 * -1: unknown. */
static long version_arg_size(int cmd, const void *arg)
{
	switch (cmd) {
	case XENVER_build_id:
		/* the header and the buffer it says it has */
		if (!arg || ((const struct xen_build_id *)arg)->len > XC_PAGE_SIZE)
			return -1;
		return (long)(sizeof(struct xen_build_id) + ((const struct xen_build_id *)arg)->len);
	case XENVER_version:
	case XENVER_pagesize:
		return 0;
	case XENVER_extraversion:
		return sizeof(xen_extraversion_t);
	case XENVER_compile_info:
		return sizeof(struct xen_compile_info);
	case XENVER_capabilities:
		return sizeof(xen_capabilities_info_t);
	case XENVER_changeset:
		return sizeof(xen_changeset_info_t);
	case XENVER_platform_parameters:
		return sizeof(struct xen_platform_parameters);
	case XENVER_get_features:
		return sizeof(struct xen_feature_info);
	case XENVER_guest_handle:
		return XEN_GUEST_HANDLE_LEN;
	case XENVER_commandline:
		return sizeof(xen_commandline_t);
	default:
		return -1;
	}
}

/*
 * Xen's: the hypercall's result (XENVER_version: major << 16 | minor;
 * XENVER_pagesize: the page size; XENVER_build_id: the id's length; the
 * others 0), or -1 and errno. arg is the buffer public/version.h names
 * for cmd (ignored for version and pagesize; for build_id its len says
 * how many bytes follow, at most a page). A cmd whose buffer size we do
 * not know is EINVAL: we cannot lock the right amount.
 */
int xc_version(xc_interface *xch, int cmd, void *arg)
{
	long size = version_arg_size(cmd, arg);
	void *buf = NULL;
	long rc;

	if (size < 0 || (size > 0 && !arg))
		return xc_ret(-EINVAL);
	if (size > 0) {
		buf = xcp_buf_alloc((size_t)size);
		if (!buf)
			return xc_ret(-ENOMEM);
		memcpy(buf, arg, (size_t)size);	/* get_features reads submap_idx */
	}
	rc = xcp_hypercall(xch, __HYPERVISOR_xen_version, (uint64_t)cmd, (uintptr_t)buf, 0, 0, 0);
	if (rc >= 0 && size > 0)
		memcpy(arg, buf, (size_t)size);
	xcp_buf_free(buf, size > 0 ? (size_t)size : 0);
	return xc_ret(rc);
}
