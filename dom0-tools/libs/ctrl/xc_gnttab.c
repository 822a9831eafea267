/*
 * xc_gnttab.c - xengnttab_*: other domains' grants mapped through
 * /dev/xen/gntdev. A map reserves the grants (IOCTL_GNTDEV_MAP_GRANT_REF,
 * which answers an mmap() offset) and mmap()s them there, where the
 * kernel does GNTTABOP_map_grant_ref; an unmap finds the offset again
 * from the address (GET_OFFSET_FOR_VADDR), munmap()s, then releases it.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "linux_xen.h"
#include "xc_private.h"
#include "xengnttab.h"

struct xengnttab_handle {
	int fd;
};

xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger, unsigned open_flags)
{
	xengnttab_handle *xgt = calloc(1, sizeof(*xgt));
	int fd;

	if (!xgt)
		return NULL;
	fd = lx_open_dev(LX_GNTDEV_DEV);
	if (fd < 0) {
		xc_err("cannot open %s: %s (Dom0 with xen-gntdev loaded needed)",
		       LX_GNTDEV_DEV, strerror(-fd));
		free(xgt);
		return xc_ret_ptr(fd, NULL);
	}
	xgt->fd = fd;
	return xgt;
}

int xengnttab_close(xengnttab_handle *xgt)
{
	int rc;

	if (!xgt)
		return 0;
	rc = lx->close(xgt->fd);
	free(xgt);
	return xc_ret(rc);
}

int xengnttab_fd(xengnttab_handle *xgt)
{
	return xgt ? xgt->fd : xc_ret(-EINVAL);
}

/* Map count grants (domids[i] or, when domids is NULL, domid): 0 with
 * *out set, or -errno with nothing reserved or mapped. */
static int map_refs(xengnttab_handle *xgt, uint32_t count, const uint32_t *domids,
		    uint32_t domid, const uint32_t *refs, int prot, void **out)
{
	struct ioctl_gntdev_map_grant_ref *m;
	size_t len = (size_t)count << XC_PAGE_SHIFT;
	long rc;

	if (!xgt || !refs || count == 0 || count > XENGNTTAB_MAP_MAX)
		return -EINVAL;
	m = calloc(1, sizeof(*m) + (count - 1) * sizeof(m->refs[0]));
	if (!m)
		return -ENOMEM;
	m->count = count;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t d = domids ? domids[i] : domid;

		if (d > UINT16_MAX) {
			free(m);
			return -EINVAL;
		}
		m->refs[i].domid = d;
		m->refs[i].ref = refs[i];
	}
	rc = lx->ioctl(xgt->fd, IOCTL_GNTDEV_MAP_GRANT_REF, m);
	if (rc >= 0) {
		rc = lx->mmap(out, len, prot, MAP_SHARED, xgt->fd, (off_t)m->index);
		if (rc < 0) {
			struct ioctl_gntdev_unmap_grant_ref u = { .index = m->index, .count = count };

			xc_err("grant %u of dom%u: cannot map: %s", refs[0],
			       domids ? domids[0] : domid, strerror((int)-rc));
			lx->ioctl(xgt->fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
		}
	}
	free(m);
	return rc < 0 ? (int)rc : 0;
}

void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid, uint32_t ref, int prot)
{
	void *p = NULL;
	int rc = map_refs(xgt, 1, NULL, domid, &ref, prot, &p);

	return xc_ret_ptr(rc, p);
}

void *xengnttab_map_grant_refs(xengnttab_handle *xgt, uint32_t count,
			       uint32_t *domids, uint32_t *refs, int prot)
{
	void *p = NULL;
	int rc = domids ? map_refs(xgt, count, domids, 0, refs, prot, &p) : -EINVAL;

	return xc_ret_ptr(rc, p);
}

void *xengnttab_map_domain_grant_refs(xengnttab_handle *xgt, uint32_t count,
				      uint32_t domid, uint32_t *refs, int prot)
{
	void *p = NULL;
	int rc = map_refs(xgt, count, NULL, domid, refs, prot, &p);

	return xc_ret_ptr(rc, p);
}

int xengnttab_unmap(xengnttab_handle *xgt, void *start_address, uint32_t count)
{
	struct ioctl_gntdev_get_offset_for_vaddr g = { .vaddr = (uintptr_t)start_address };
	struct ioctl_gntdev_unmap_grant_ref u = { .count = count };
	long rc;

	if (!xgt || !start_address || count == 0)
		return xc_ret(-EINVAL);
	rc = lx->ioctl(xgt->fd, IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, &g);
	if (rc < 0)
		return xc_ret(rc);
	if (g.count != count)
		return xc_ret(-EINVAL);
	rc = lx->munmap(start_address, (size_t)count << XC_PAGE_SHIFT);
	if (rc < 0)
		return xc_ret(rc);
	u.index = g.offset;
	return xc_ret(lx->ioctl(xgt->fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u));
}

int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants)
{
	struct ioctl_gntdev_set_max_grants s = { .count = nr_grants };
	long rc;

	if (!xgt)
		return xc_ret(-EINVAL);
	rc = lx->ioctl(xgt->fd, IOCTL_GNTDEV_SET_MAX_GRANTS, &s);
	return xc_ret(rc == -ENOTTY ? 0 : rc);	/* no limit in this kernel */
}
