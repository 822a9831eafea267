/*
 * public/sysctl.h - sysctl (#35): the toolstack's view of the machine. Xen
 * 4.17's interface, version 0x15 (checked first: -EACCES otherwise).
 *
 * long sysctl(struct xen_sysctl *op)
 * Who: a privileged domain (Dom0); others get -EPERM.
 * Common errors: -EACCES wrong interface_version; -EFAULT op unreadable or
 * unwritable; -ENOSYS unknown cmd.
 *
 *   XEN_SYSCTL_physinfo  u.physinfo OUT: CPUs, memory (total_pages,
 *                        free_pages: frames the allocator holds, max_mfn),
 *                        capabilities (PV only).
 */
#ifndef PUBLIC_SYSCTL_H
#define PUBLIC_SYSCTL_H

#include <public/xen.h>

#define XEN_SYSCTL_INTERFACE_VERSION 0x15

#define XEN_SYSCTL_PHYSCAP_hvm      (1u << 0)
#define XEN_SYSCTL_PHYSCAP_pv       (1u << 1)
#define XEN_SYSCTL_PHYSCAP_directio (1u << 2)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1 (1u << 8)  /* grant table versions the host offers */
#define XEN_SYSCTL_PHYSCAP_gnttab_v2 (1u << 9)

struct xen_sysctl_physinfo {
	uint32_t threads_per_core;
	uint32_t cores_per_socket;
	uint32_t nr_cpus;               /* online */
	uint32_t max_cpu_id;
	uint32_t nr_nodes;
	uint32_t max_node_id;
	uint32_t cpu_khz;
	uint32_t capabilities;          /* XEN_SYSCTL_PHYSCAP_* */
	uint32_t arch_capabilities;
	uint32_t pad;
	uint64_t total_pages;           /* RAM frames */
	uint64_t free_pages;            /* frames nobody owns */
	uint64_t scrub_pages;           /* freed, not yet cleared (always 0: cleared when freed) */
	uint64_t outstanding_pages;
	uint64_t max_mfn;
	uint32_t hw_cap[8];
};

#define XEN_SYSCTL_physinfo 3

struct xen_sysctl {
	uint32_t cmd;                   /* XEN_SYSCTL_* */
	uint32_t interface_version;     /* XEN_SYSCTL_INTERFACE_VERSION */
	union {
		struct xen_sysctl_physinfo physinfo;
		uint8_t pad[128];       /* fixes the size for every command */
	} u;
};

#endif
