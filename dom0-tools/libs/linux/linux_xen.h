/*
 * linux_xen.h - Linux's Xen device interfaces, declared once for every
 * Dom0 tool: the ioctls of /dev/xen/privcmd, /dev/xen/evtchn,
 * /dev/xen/gntdev and /dev/xen/gntalloc, with the numbers and layouts
 * of Linux 6.1's uapi (include/uapi/xen/privcmd.h, evtchn.h, gntdev.h,
 * gntalloc.h), re-declared in our own header. The names are Linux's, so
 * a reader can look each one up there; never include this together with
 * the system's <xen/privcmd.h> and friends.
 *
 * Only what our tools use is here (privcmd's dm_op and mmap_resource,
 * gntdev's grant copy and dma-buf calls are left out until a tool needs
 * them). tests/unit/dom0-tools/libs/ctrl/xenctrl_test.c pins every ioctl number and size.
 *
 * Return conventions of the kernel (man ioctl): -1 and errno. Our device
 * layer (lx_dev.h) turns that into 0 or -errno.
 */
#ifndef LINUX_XEN_H
#define LINUX_XEN_H

#include <stdint.h>
#include <sys/ioctl.h>

/* ---- /dev/xen/privcmd -------------------------------------------------
 * HYPERCALL: run hypercall `op` with up to five arguments; returns the
 *   hypercall's result (>= 0), or -1 with errno = -(its negative result).
 *   Pointers in arg[] are this process's addresses: the memory must be
 *   present (Linux does not fault it in for the hypervisor).
 * MMAPBATCH_V2: map `num` frames of domain `dom` at `addr`, which must be
 *   the start of an mmap() of the privcmd descriptor, one page per frame.
 *   err[i] gets 0 or a negative errno per frame; the call returns 0 even
 *   when some frames failed, except -1/ENOENT when one is paged out, and
 *   -1 with another errno when the call itself is wrong (a bad range).
 * RESTRICT: from now on this descriptor acts on domain `domid` only.
 */
struct privcmd_hypercall {
	uint64_t op;
	uint64_t arg[5];
};

struct privcmd_mmapbatch_v2 {
	uint32_t num;			/* frames to map */
	uint16_t dom;			/* domid_t: whose frames */
	uint16_t pad_;
	uint64_t addr;			/* start of the privcmd mapping */
	const uint64_t *arr;		/* xen_pfn_t[num] */
	int *err;			/* OUT: int[num] */
};

#define IOCTL_PRIVCMD_HYPERCALL \
	_IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))
#define IOCTL_PRIVCMD_MMAPBATCH_V2 \
	_IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2))
#define IOCTL_PRIVCMD_RESTRICT \
	_IOC(_IOC_NONE, 'P', 6, sizeof(uint16_t))

/* ---- /dev/xen/evtchn --------------------------------------------------
 * The BIND calls return the new local port (>= 0). read() yields the
 * uint32_t ports that fired (each masked until written back); write() of
 * ports unmasks them. RESET unbinds every port of this descriptor;
 * RESTRICT_DOMID limits interdomain binds to one domain.
 */
struct ioctl_evtchn_bind_virq {
	uint32_t virq;
};
struct ioctl_evtchn_bind_interdomain {
	uint32_t remote_domain;
	uint32_t remote_port;
};
struct ioctl_evtchn_bind_unbound_port {
	uint32_t remote_domain;
};
struct ioctl_evtchn_unbind {
	uint32_t port;
};
struct ioctl_evtchn_notify {
	uint32_t port;
};
struct ioctl_evtchn_restrict_domid {
	uint16_t domid;
};

#define IOCTL_EVTCHN_BIND_VIRQ \
	_IOC(_IOC_NONE, 'E', 0, sizeof(struct ioctl_evtchn_bind_virq))
#define IOCTL_EVTCHN_BIND_INTERDOMAIN \
	_IOC(_IOC_NONE, 'E', 1, sizeof(struct ioctl_evtchn_bind_interdomain))
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT \
	_IOC(_IOC_NONE, 'E', 2, sizeof(struct ioctl_evtchn_bind_unbound_port))
#define IOCTL_EVTCHN_UNBIND \
	_IOC(_IOC_NONE, 'E', 3, sizeof(struct ioctl_evtchn_unbind))
#define IOCTL_EVTCHN_NOTIFY \
	_IOC(_IOC_NONE, 'E', 4, sizeof(struct ioctl_evtchn_notify))
#define IOCTL_EVTCHN_RESET \
	_IOC(_IOC_NONE, 'E', 5, 0)
#define IOCTL_EVTCHN_RESTRICT_DOMID \
	_IOC(_IOC_NONE, 'E', 6, sizeof(struct ioctl_evtchn_restrict_domid))

/* ---- /dev/xen/gntdev --------------------------------------------------
 * MAP_GRANT_REF: reserve `count` grants (refs[] has count entries: the
 *   struct is allocated larger; the ioctl number carries the size with
 *   one entry) and return the mmap() offset in `index`; mmap() of that
 *   offset maps them. UNMAP_GRANT_REF releases the reservation (after
 *   munmap). GET_OFFSET_FOR_VADDR finds the offset and count of the
 *   mapping at an address. SET_MAX_GRANTS bounds what this descriptor
 *   may map (kernels without the limit answer ENOTTY).
 */
struct ioctl_gntdev_grant_ref {
	uint32_t domid;
	uint32_t ref;
};
struct ioctl_gntdev_map_grant_ref {
	uint32_t count;			/* IN */
	uint32_t pad;
	uint64_t index;			/* OUT: mmap() offset */
	struct ioctl_gntdev_grant_ref refs[1];	/* IN: count of them */
};
struct ioctl_gntdev_unmap_grant_ref {
	uint64_t index;
	uint32_t count;
	uint32_t pad;
};
struct ioctl_gntdev_get_offset_for_vaddr {
	uint64_t vaddr;			/* IN: first page of a mapping */
	uint64_t offset;		/* OUT: its mmap() offset */
	uint32_t count;			/* OUT: its pages */
	uint32_t pad;
};
struct ioctl_gntdev_set_max_grants {
	uint32_t count;
};

#define IOCTL_GNTDEV_MAP_GRANT_REF \
	_IOC(_IOC_NONE, 'G', 0, sizeof(struct ioctl_gntdev_map_grant_ref))
#define IOCTL_GNTDEV_UNMAP_GRANT_REF \
	_IOC(_IOC_NONE, 'G', 1, sizeof(struct ioctl_gntdev_unmap_grant_ref))
#define IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR \
	_IOC(_IOC_NONE, 'G', 2, sizeof(struct ioctl_gntdev_get_offset_for_vaddr))
#define IOCTL_GNTDEV_SET_MAX_GRANTS \
	_IOC(_IOC_NONE, 'G', 3, sizeof(struct ioctl_gntdev_set_max_grants))

/* ---- /dev/xen/gntalloc ------------------------------------------------
 * ALLOC_GREF: grant `count` new pages of ours to `domid`; the grant
 *   references come back in gref_ids[] (count entries, as for gntdev's
 *   refs[]) and the mmap() offset in `index`. DEALLOC_GREF ends them
 *   (the grants go when the last mapping goes).
 */
struct ioctl_gntalloc_alloc_gref {
	uint16_t domid;			/* IN: who may map them */
	uint16_t flags;			/* IN: GNTALLOC_FLAG_* */
	uint32_t count;			/* IN */
	uint64_t index;			/* OUT: mmap() offset */
	uint32_t gref_ids[1];		/* OUT: count of them */
};
#define GNTALLOC_FLAG_WRITABLE 1

struct ioctl_gntalloc_dealloc_gref {
	uint64_t index;
	uint32_t count;
	uint32_t pad;
};

#define IOCTL_GNTALLOC_ALLOC_GREF \
	_IOC(_IOC_NONE, 'G', 5, sizeof(struct ioctl_gntalloc_alloc_gref))
#define IOCTL_GNTALLOC_DEALLOC_GREF \
	_IOC(_IOC_NONE, 'G', 6, sizeof(struct ioctl_gntalloc_dealloc_gref))

/* The device nodes. */
#define LX_PRIVCMD_DEV  "/dev/xen/privcmd"
#define LX_EVTCHN_DEV   "/dev/xen/evtchn"
#define LX_GNTDEV_DEV   "/dev/xen/gntdev"
#define LX_GNTALLOC_DEV "/dev/xen/gntalloc"

#define LX_PAGE_SIZE 4096

_Static_assert(sizeof(struct privcmd_hypercall) == 48, "privcmd_hypercall");
_Static_assert(sizeof(struct privcmd_mmapbatch_v2) == 32, "privcmd_mmapbatch_v2");
_Static_assert(sizeof(struct ioctl_gntdev_map_grant_ref) == 24, "gntdev_map_grant_ref");
_Static_assert(sizeof(struct ioctl_gntdev_unmap_grant_ref) == 16, "gntdev_unmap_grant_ref");
_Static_assert(sizeof(struct ioctl_gntalloc_alloc_gref) == 24, "gntalloc_alloc_gref");
_Static_assert(sizeof(struct ioctl_gntalloc_dealloc_gref) == 16, "gntalloc_dealloc_gref");

#endif /* LINUX_XEN_H */
