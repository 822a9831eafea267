/*
 * xc_fmem_resource.c - xenforeignmemory_map_resource over privcmd: an
 * mmap() of /dev/xen/privcmd reserves the range, then
 * IOCTL_PRIVCMD_MMAP_RESOURCE asks the kernel to acquire the resource's
 * frames (XENMEM_acquire_resource) and map them there. Used by the PV
 * builder for the new guest's grant-table frame 0.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "linux_xen.h"
#include "xc_private.h"
#include "xenforeignmemory.h"

/* Linux's struct privcmd_mmap_resource (include/uapi/xen/privcmd.h). */
struct xcp_privcmd_mmap_resource {
	uint16_t dom;
	uint16_t pad;
	uint32_t type;
	uint32_t id;
	uint32_t idx;
	uint64_t num;
	uint64_t addr;
};
#define XCP_IOCTL_PRIVCMD_MMAP_RESOURCE \
	_IOC(_IOC_NONE, 'P', 7, sizeof(struct xcp_privcmd_mmap_resource))

struct xenforeignmemory_handle {
	int fd;
};

struct xenforeignmemory_resource_handle {
	void *addr;
	size_t len;
};

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
					       unsigned open_flags)
{
	xenforeignmemory_handle *fmem = calloc(1, sizeof(*fmem));
	int fd;

	(void)logger;
	(void)open_flags;
	if (!fmem)
		return NULL;
	fd = lx_open_dev(LX_PRIVCMD_DEV);
	if (fd < 0) {
		free(fmem);
		return xc_ret_ptr(fd, NULL);
	}
	fmem->fd = fd;
	return fmem;
}

int xenforeignmemory_close(xenforeignmemory_handle *fmem)
{
	int rc;

	if (!fmem)
		return 0;
	rc = lx->close(fmem->fd);
	free(fmem);
	return xc_ret(rc);
}

static long map_resource(xenforeignmemory_handle *fmem, domid_t domid,
			 unsigned int type, unsigned int id, unsigned long frame,
			 unsigned long nr_frames, int prot, int flags,
			 xenforeignmemory_resource_handle **out)
{
	struct xcp_privcmd_mmap_resource r = {
		.dom = domid, .type = type, .id = id, .idx = (uint32_t)frame,
		.num = nr_frames,
	};
	xenforeignmemory_resource_handle *h;
	long rc;

	if (!fmem || nr_frames == 0 || nr_frames > UINT32_MAX / XC_PAGE_SIZE ||
	    frame > UINT32_MAX)
		return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->len = nr_frames << XC_PAGE_SHIFT;
	rc = lx->mmap(&h->addr, h->len, prot, MAP_SHARED | flags, fmem->fd, 0);
	if (rc < 0) {
		free(h);
		return rc;
	}
	r.addr = (uintptr_t)h->addr;
	rc = lx->ioctl(fmem->fd, XCP_IOCTL_PRIVCMD_MMAP_RESOURCE, &r);
	if (rc < 0) {
		xc_dbg("dom%u: map resource %u/%u frames %lu+%lu: %s", domid, type, id,
		       frame, nr_frames, strerror((int)-rc));
		lx->munmap(h->addr, h->len);
		free(h);
		return rc;
	}
	*out = h;
	return 0;
}

xenforeignmemory_resource_handle *xenforeignmemory_map_resource(
	xenforeignmemory_handle *fmem, domid_t domid, unsigned int type,
	unsigned int id, unsigned long frame, unsigned long nr_frames,
	void **paddr, int prot, int flags)
{
	xenforeignmemory_resource_handle *h = NULL;
	long rc;

	/* A caller-chosen address is not supported: the kernel picks. */
	if (!paddr || *paddr)
		rc = -EINVAL;
	else
		rc = map_resource(fmem, domid, type, id, frame, nr_frames, prot, flags, &h);
	if (rc == 0)
		*paddr = h->addr;
	return xc_ret_ptr(rc, h);
}

int xenforeignmemory_unmap_resource(xenforeignmemory_handle *fmem,
				    xenforeignmemory_resource_handle *fres)
{
	int rc = 0;

	(void)fmem;
	if (!fres)
		return 0;
	rc = lx->munmap(fres->addr, fres->len);
	free(fres);
	return xc_ret(rc);
}
