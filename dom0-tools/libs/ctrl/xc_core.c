/*
 * xc_core.c - the libxenctrl handle and the hypercall plumbing: every
 * hypercall goes through /dev/xen/privcmd's IOCTL_PRIVCMD_HYPERCALL with
 * its argument structures in locked memory, and every domctl and sysctl
 * is stamped with the interface version of the hypervisor's public
 * headers (XEN_DOMCTL_INTERFACE_VERSION, XEN_SYSCTL_INTERFACE_VERSION).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "linux_xen.h"
#include "xc_private.h"

xc_interface *xc_interface_open(xentoollog_logger *logger,
				xentoollog_logger *dombuild_logger,
				unsigned open_flags)
{
	xc_interface *xch = calloc(1, sizeof(*xch));
	int fd = -1;

	if (!xch)
		return NULL;
	if (!(open_flags & XC_OPENFLAG_DUMMY)) {
		fd = lx_open_dev(LX_PRIVCMD_DEV);
		if (fd < 0) {
			xc_err("cannot open %s: %s (root in Dom0 with xen-privcmd loaded needed)",
			       LX_PRIVCMD_DEV, strerror(-fd));
			free(xch);
			errno = -fd;
			return NULL;
		}
	}
	xch->privcmd_fd = fd;
	return xch;
}

int xc_interface_close(xc_interface *xch)
{
	int rc = 0;

	if (!xch)
		return 0;
	if (xch->privcmd_fd >= 0)
		rc = lx->close(xch->privcmd_fd);
	xcp_buf_free(xch->bounce, XC_PAGE_SIZE);
	free(xch);
	return xc_ret(rc);
}

int xcp_domid_real(uint32_t domid)
{
	if (domid > UINT16_MAX)
		return -EINVAL;
	if (domid >= DOMID_FIRST_RESERVED)
		return -ESRCH;
	return 0;
}

void *xcp_buf_alloc(size_t len)
{
	size_t n = (len + XC_PAGE_SIZE - 1) & XC_PAGE_MASK;
	void *p;

	if (!n || n < len)
		return NULL;
	p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_LOCKED, -1, 0);
	if (p == MAP_FAILED)	/* over RLIMIT_MEMLOCK: present is enough */
		p = mmap(NULL, n, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void xcp_buf_free(void *p, size_t len)
{
	if (p)
		munmap(p, (len + XC_PAGE_SIZE - 1) & XC_PAGE_MASK);
}

long xcp_hypercall(xc_interface *xch, unsigned int op, uint64_t a0,
		   uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	struct privcmd_hypercall h = { op, { a0, a1, a2, a3, a4 } };

	if (!xch)
		return -EINVAL;
	if (xch->privcmd_fd < 0)
		return -EBADF;
	return lx->ioctl(xch->privcmd_fd, IOCTL_PRIVCMD_HYPERCALL, &h);
}

/*
 * A locked page for one call's arguments. The handle keeps one for
 * domctls and sysctls: mapping and unmapping a page for each call cost
 * two system calls and page-table updates that a PV Dom0 makes through
 * the hypervisor, as many as the hypercall itself (xl list makes two
 * calls, xl create hundreds). A call made while the page is in use
 * (another thread) gets a page of its own. After a fork the child's
 * copy of the page is private to it: it is written before every call,
 * so it is present and writable when the hypervisor fills it.
 */
static void *bounce_get(xc_interface *xch, size_t len)
{
	if (!xch || len > XC_PAGE_SIZE || __atomic_exchange_n(&xch->bounce_busy, true, __ATOMIC_ACQUIRE))
		return xcp_buf_alloc(len);
	if (!xch->bounce)
		xch->bounce = xcp_buf_alloc(XC_PAGE_SIZE);
	if (!xch->bounce)
		__atomic_store_n(&xch->bounce_busy, false, __ATOMIC_RELEASE);
	return xch->bounce;
}

static void bounce_put(xc_interface *xch, void *buf, size_t len)
{
	if (buf && xch && buf == xch->bounce)
		__atomic_store_n(&xch->bounce_busy, false, __ATOMIC_RELEASE);
	else
		xcp_buf_free(buf, len);
}

/* Run hypercall op on a locked copy of the len bytes at arg. */
static int bounced(xc_interface *xch, unsigned int op, void *arg, size_t len)
{
	void *buf = bounce_get(xch, len);
	long rc;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, arg, len);
	rc = xcp_hypercall(xch, op, (uintptr_t)buf, 0, 0, 0, 0);
	if (rc >= 0)
		memcpy(arg, buf, len);
	bounce_put(xch, buf, len);
	return rc < 0 ? (int)rc : 0;
}

int xcp_domctl(xc_interface *xch, struct xen_domctl *op)
{
	int rc;

	op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	rc = bounced(xch, __HYPERVISOR_domctl, op, sizeof(*op));
	if (rc < 0)
		xc_dbg("domctl %u on dom%u: %s", op->cmd, op->domain, strerror(-rc));
	return rc;
}

int xcp_sysctl(xc_interface *xch, struct xen_sysctl *op)
{
	int rc;

	op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	rc = bounced(xch, __HYPERVISOR_sysctl, op, sizeof(*op));
	if (rc < 0)
		xc_dbg("sysctl %u: %s", op->cmd, strerror(-rc));
	return rc;
}

int xcp_domctl_simple(xc_interface *xch, uint32_t cmd, uint32_t domid)
{
	struct xen_domctl op = { .cmd = cmd };
	int rc = xcp_domid_real(domid);

	if (rc < 0)
		return rc;
	op.domain = (domid_t)domid;
	return xcp_domctl(xch, &op);
}
