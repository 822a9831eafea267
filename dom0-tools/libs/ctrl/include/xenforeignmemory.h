/*
 * xenforeignmemory.h - the part of Xen 4.17's libxenforeignmemory that a
 * domain builder needs: mapping a domain's *resource* (its grant table's
 * frames) rather than its memory, so the builder can write the guest's
 * reserved grant entries (console, xenstore) before the guest runs.
 * Names and prototypes as Xen's; built into libxenctrl.
 *
 * Needs /dev/xen/privcmd with IOCTL_PRIVCMD_MMAP_RESOURCE (Linux 4.18+),
 * and XENMEM_acquire_resource in the hypervisor.
 */
#ifndef XENFOREIGNMEMORY_H
#define XENFOREIGNMEMORY_H

#include <stddef.h>
#include <stdint.h>
#include <public/xen.h>

struct xentoollog_logger;

typedef struct xenforeignmemory_handle xenforeignmemory_handle;
typedef struct xenforeignmemory_resource_handle xenforeignmemory_resource_handle;

/* Open /dev/xen/privcmd: the handle, or NULL with errno set. */
xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
					       unsigned open_flags);
/* Close it (NULL is fine). 0, or -1 with errno. */
int xenforeignmemory_close(xenforeignmemory_handle *fmem);

/*
 * Map nr_frames frames, from `frame` on, of resource `type`/`id`
 * (XENMEM_resource_*) of domain domid. *paddr: NULL to let the library
 * choose the address; OUT the mapping. prot as mmap(2); flags are mmap
 * flags besides MAP_SHARED (0 normally). The handle, or NULL with errno
 * (EOPNOTSUPP: the hypervisor or kernel cannot; EINVAL: no such frames).
 */
xenforeignmemory_resource_handle *xenforeignmemory_map_resource(
	xenforeignmemory_handle *fmem, domid_t domid, unsigned int type,
	unsigned int id, unsigned long frame, unsigned long nr_frames,
	void **paddr, int prot, int flags);

/* Unmap and free it (NULL is fine). 0, or -1 with errno. */
int xenforeignmemory_unmap_resource(xenforeignmemory_handle *fmem,
				    xenforeignmemory_resource_handle *fres);

#endif
