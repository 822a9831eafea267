/*
 * xs_linux_xen.h - the Linux Xen device ioctls xenstored uses, as
 * facts (numbers and layouts of Linux's uapi xen/evtchn.h, gntdev.h,
 * privcmd.h), re-declared here in our own words.
 */
#ifndef XS_LINUX_XEN_H
#define XS_LINUX_XEN_H

#include <stdint.h>
#include <sys/ioctl.h>

/* /dev/xen/evtchn: read() yields u32 ports that fired; write() of the
 * same ports unmasks them. */
struct xs_evtchn_bind_interdomain {
	uint32_t remote_domain;
	uint32_t remote_port;
};
struct xs_evtchn_port {
	uint32_t port;
};
#define XS_IOCTL_EVTCHN_BIND_INTERDOMAIN \
	_IOC(_IOC_NONE, 'E', 1, sizeof(struct xs_evtchn_bind_interdomain))
#define XS_IOCTL_EVTCHN_UNBIND \
	_IOC(_IOC_NONE, 'E', 3, sizeof(struct xs_evtchn_port))
#define XS_IOCTL_EVTCHN_NOTIFY \
	_IOC(_IOC_NONE, 'E', 4, sizeof(struct xs_evtchn_port))

/* /dev/xen/gntdev: map grants, then mmap() the returned index. */
struct xs_gntdev_map {
	uint32_t count;
	uint32_t pad;
	uint64_t index;		/* OUT: mmap offset */
	struct {
		uint32_t domid;
		uint32_t ref;
	} refs[1];
};
struct xs_gntdev_unmap {
	uint64_t index;
	uint32_t count;
	uint32_t pad;
};
#define XS_IOCTL_GNTDEV_MAP_GRANT_REF \
	_IOC(_IOC_NONE, 'G', 0, sizeof(struct xs_gntdev_map))
#define XS_IOCTL_GNTDEV_UNMAP_GRANT_REF \
	_IOC(_IOC_NONE, 'G', 1, sizeof(struct xs_gntdev_unmap))

/* The grant reference a toolstack reserves for the store page. */
#define XS_GNTTAB_RESERVED_XENSTORE 1

/* /dev/xen/privcmd: map foreign frames into a privcmd mmap() area. */
struct xs_privcmd_mmapbatch_v2 {
	uint32_t num;
	uint16_t dom;
	uint64_t addr;
	const uint64_t *arr;	/* frame numbers (xen_pfn_t) */
	int *err;
};
#define XS_IOCTL_PRIVCMD_MMAPBATCH_V2 \
	_IOC(_IOC_NONE, 'P', 4, sizeof(struct xs_privcmd_mmapbatch_v2))

#define XS_PAGE_SIZE 4096

#endif /* XS_LINUX_XEN_H */
