/*
 * xc_foreign.c - mapping another domain's frames into this process:
 * an mmap() of /dev/xen/privcmd reserves the range, then
 * IOCTL_PRIVCMD_MMAPBATCH_V2 fills it, one frame per page, reporting an
 * error per frame (xenforeignmemory's model, which Xen 4.17's
 * xc_map_foreign_* wrap).
 *
 * A frame that cannot be mapped (not the domain's, a page table the
 * domain pins, no such frame) gets a negative errno in err[] and leaves
 * its page unpopulated: touching it faults (SIGBUS). There is no paging
 * here, so ENOENT (paged out, which Xen's library retries) is reported
 * like any other per-frame error.
 */
#define XC_WANT_COMPAT_MAP_FOREIGN_API
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "linux_xen.h"
#include "xc_private.h"

/* Map num frames: 0 with *out set and err[] filled, or -errno and nothing
 * left mapped. */
static int map_batch(xc_interface *xch, uint32_t dom, int prot,
		     const xen_pfn_t *arr, int *err, unsigned int num, void **out)
{
	struct privcmd_mmapbatch_v2 b = { .num = num, .arr = arr, .err = err };
	size_t len = (size_t)num << XC_PAGE_SHIFT;
	void *addr;
	long rc;

	if (!xch || !arr || !err || num == 0 || num > XC_MAP_FOREIGN_MAX)
		return -EINVAL;
	if (dom > UINT16_MAX)
		return -EINVAL;
	if (xch->privcmd_fd < 0)
		return -EBADF;
	rc = lx->mmap(&addr, len, prot, MAP_SHARED, xch->privcmd_fd, 0);
	if (rc < 0) {
		xc_err("dom%u: cannot reserve %u pages for a foreign map: %s",
		       dom, num, strerror((int)-rc));
		return (int)rc;
	}
	b.dom = (domid_t)dom;
	b.addr = (uintptr_t)addr;
	memset(err, 0, num * sizeof(*err));
	rc = lx->ioctl(xch->privcmd_fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &b);
	if (rc < 0 && rc != -ENOENT) {
		xc_err("dom%u: foreign map of %u frames from %#llx failed: %s",
		       dom, num, (unsigned long long)arr[0], strerror((int)-rc));
		lx->munmap(addr, len);
		return (int)rc;
	}
	*out = addr;
	return 0;
}

void *xc_map_foreign_bulk(xc_interface *xch, uint32_t dom, int prot,
			  const xen_pfn_t *arr, int *err, unsigned int num)
{
	void *addr = NULL;
	int rc = map_batch(xch, dom, prot, arr, err, num, &addr);

	return xc_ret_ptr(rc, addr);
}

/* All frames or nothing: 0 with *out, or -errno of the first bad frame. */
static int map_all(xc_interface *xch, uint32_t dom, int prot,
		   const xen_pfn_t *arr, unsigned int num, void **out)
{
	int *err;
	int rc;

	if (num == 0 || num > XC_MAP_FOREIGN_MAX)
		return -EINVAL;
	err = calloc(num, sizeof(*err));
	if (!err)
		return -ENOMEM;
	rc = map_batch(xch, dom, prot, arr, err, num, out);
	for (unsigned int i = 0; rc == 0 && i < num; i++) {
		if (err[i] == 0)
			continue;
		xc_err("dom%u: frame %#llx (page %u of %u) cannot be mapped: %s",
		       dom, (unsigned long long)arr[i], i, num, strerror(-err[i]));
		lx->munmap(*out, (size_t)num << XC_PAGE_SHIFT);
		rc = err[i] < 0 ? err[i] : -err[i];
	}
	free(err);
	return rc;
}

void *xc_map_foreign_pages(xc_interface *xch, uint32_t dom, int prot,
			   const xen_pfn_t *arr, int num)
{
	void *addr = NULL;
	int rc = num <= 0 ? -EINVAL : map_all(xch, dom, prot, arr, (unsigned int)num, &addr);

	return xc_ret_ptr(rc, addr);
}

void *xc_map_foreign_range(xc_interface *xch, uint32_t dom, int size,
			   int prot, unsigned long mfn)
{
	unsigned int num;
	xen_pfn_t *arr;
	void *addr = NULL;
	int rc;

	if (size <= 0)
		return xc_ret_ptr(-EINVAL, NULL);
	num = (unsigned int)(((unsigned long)size + XC_PAGE_SIZE - 1) >> XC_PAGE_SHIFT);
	arr = calloc(num, sizeof(*arr));
	if (!arr)
		return xc_ret_ptr(-ENOMEM, NULL);
	for (unsigned int i = 0; i < num; i++)
		arr[i] = mfn + i;
	rc = map_all(xch, dom, prot, arr, num, &addr);
	free(arr);
	return xc_ret_ptr(rc, addr);
}
