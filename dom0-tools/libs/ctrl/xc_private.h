/*
 * xc_private.h - inside libxenctrl: the handle, the hypercall plumbing and
 * the one error convention.
 *
 * Inside the library every function returns a value >= 0 or a negative
 * errno (the device layer, lx_dev.h, already answers that way). Only the
 * exported Xen-compatible functions turn a negative result into -1 and
 * errno, through xc_ret/xc_ret_ptr, at their last line.
 */
#ifndef XC_PRIVATE_H
#define XC_PRIVATE_H

#include <errno.h>
#include "xenctrl.h"
#include "d0_log.h"
#include "lx_dev.h"

struct xc_interface_core {
	int privcmd_fd;			/* -1 for XC_OPENFLAG_DUMMY */
	/* One locked page kept for domctl and sysctl arguments (xc_core.c
	 * bounced()), and whether a call is using it now. */
	void *bounce;
	bool bounce_busy;
};

#define xc_err(...) d0_log(D0_LOG_ERR, "xc", __VA_ARGS__)
#define xc_dbg(...) d0_log(D0_LOG_DEBUG, "xc", __VA_ARGS__)

/* A negative errno becomes -1 and errno; anything else is returned. */
static inline int xc_ret(long rc)
{
	if (rc < 0) {
		errno = (int)-rc;
		return -1;
	}
	return (int)rc;
}

/* p, or NULL with errno = -rc when rc < 0. Compute rc in a statement of
 * its own first: argument evaluation order is unspecified, so p would be
 * read before the call that sets it. */
static inline void *xc_ret_ptr(long rc, void *p)
{
	if (rc < 0) {
		errno = (int)-rc;
		return NULL;
	}
	return p;
}

/*
 * A domid that names a real domain: 0, -EINVAL when it does not fit
 * domid_t, -ESRCH for the reserved ids (a domctl takes no DOMID_SELF).
 */
int xcp_domid_real(uint32_t domid);

/*
 * Memory the hypervisor reads or writes during a hypercall: present and
 * locked (privcmd passes our addresses straight through, and the
 * hypervisor does not fault pages in). NULL when out of memory.
 */
void *xcp_buf_alloc(size_t len);
void xcp_buf_free(void *p, size_t len);

/* Hypercall op with up to five arguments: its result, or -errno. */
long xcp_hypercall(xc_interface *xch, unsigned int op, uint64_t a0,
		   uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

/*
 * domctl / sysctl: *op (cmd and domain set by the caller) is stamped with
 * the interface version, run from a locked copy and, on success, copied
 * back whole. 0 or -errno.
 */
int xcp_domctl(xc_interface *xch, struct xen_domctl *op);
int xcp_sysctl(xc_interface *xch, struct xen_sysctl *op);

/* A domctl that names a domain and carries no argument. */
int xcp_domctl_simple(xc_interface *xch, uint32_t cmd, uint32_t domid);

#endif /* XC_PRIVATE_H */
