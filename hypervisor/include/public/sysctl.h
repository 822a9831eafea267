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
 *   XEN_SYSCTL_readconsole u.readconsole IN/OUT: copies the hypervisor's
 *                        log ring (its oldest kept byte up to the newest)
 *                        into `buffer`, at most `count` bytes; `count` OUT
 *                        is what was copied and `index` OUT the ring
 *                        position after it. With `incremental`, reading
 *                        starts at `index` IN if that is still in the ring
 *                        (else at the oldest kept byte). With `clear`,
 *                        what was read is dropped from the ring.
 *   XEN_SYSCTL_sched_id  u.sched_id OUT: XEN_SCHEDULER_CREDIT (5).
 *   XEN_SYSCTL_getdomaininfolist u.getdomaininfolist: up to `max_domains`
 *                        getdomaininfo records (public/domctl.h) of the
 *                        domains with id >= `first_domain`, in id order,
 *                        dying ones included, into `buffer`; num_domains OUT.
 *   XEN_SYSCTL_getcpuinfo u.getcpuinfo: each CPU's idle time (ns) for the
 *                        first min(max_cpus, CPUs) CPUs; nr_cpus OUT.
 *   XEN_SYSCTL_cputopoinfo u.cputopoinfo: with a NULL `cputopo`, num_cpus
 *                        OUT only; else up to num_cpus IN entries (num_cpus
 *                        OUT: how many): CPU i is core i of socket 0, node 0.
 *   XEN_SYSCTL_numainfo  u.numainfo: one node. With both arrays NULL,
 *                        num_nodes OUT is 1; else up to num_nodes IN
 *                        entries: node 0's memory (bytes: all RAM, free)
 *                        and its distance to itself, 10.
 *   XEN_SYSCTL_cpupool_op u.cpupool_op: one pool, id 0, of every online
 *                        CPU and every domain. INFO: the first pool with
 *                        id >= cpupool_id (so only 0; -ENOENT past it):
 *                        sched_id, n_dom, cpumap. FREEINFO: the CPUs in no
 *                        pool (none). MOVEDOMAIN to pool 0: 0 (it is there);
 *                        CREATE -EOPNOTSUPP; other pools -ENOENT; DESTROY
 *                        and RMCPU of pool 0 -EBUSY; ADDCPU to pool 0
 *                        -EBUSY (no CPU is free); unknown op -ENOSYS.
 *   XEN_SYSCTL_get_cpu_featureset u.cpu_featureset: the feature words in
 *                        Xen 4.17's order (19): raw/host, pv/pv_max; hvm
 *                        -EOPNOTSUPP; other index -EINVAL. NULL `features`:
 *                        nr_features OUT the count; fewer asked: those
 *                        written, nr_features OUT, -ENOBUFS.
 *   XEN_SYSCTL_get_cpu_policy u.cpu_policy: a system policy as CPUID leaves
 *                        (no MSRs): raw and host (the CPU's own), pv_max
 *                        and pv_default (what a PV guest may see); the HVM
 *                        ones -EOPNOTSUPP (no HVM), other indices or
 *                        _rsvd != 0 -EINVAL. NULL `leaves`: nr_leaves OUT
 *                        the most there can be; too few -ENOBUFS.
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

/* ---- console, domains, CPUs, pools ---- */
#define XEN_SYSCTL_readconsole        1
#define XEN_SYSCTL_sched_id           4
#define XEN_SYSCTL_getdomaininfolist  6
#define XEN_SYSCTL_debug_keys         7
#define XEN_SYSCTL_getcpuinfo         8
#define XEN_SYSCTL_cputopoinfo       16
#define XEN_SYSCTL_numainfo          17
#define XEN_SYSCTL_cpupool_op        18
#define XEN_SYSCTL_get_cpu_featureset 26
#define XEN_SYSCTL_get_cpu_policy    29

struct xen_sysctl_readconsole {
	uint8_t clear;                  /* IN: drop what was read */
	uint8_t incremental;            /* IN: start at `index` */
	uint8_t pad0, pad1;
	uint32_t index;                 /* IN/OUT: ring position */
	guest_handle_t buffer;          /* IN: char[count] */
	uint32_t count;                 /* IN: room; OUT: bytes copied */
};

struct xen_sysctl_debug_keys {
	guest_handle_t keys;            /* IN: char[nr_keys] */
	uint32_t nr_keys;
};

struct xen_sysctl_sched_id {
	uint32_t sched_id;
};

struct xen_sysctl_getdomaininfolist {
	domid_t first_domain;
	uint32_t max_domains;
	guest_handle_t buffer;          /* struct xen_domctl_getdomaininfo[max_domains] */
	uint32_t num_domains;           /* OUT */
};

struct xen_sysctl_cpuinfo {
	uint64_t idletime;              /* ns */
};

struct xen_sysctl_getcpuinfo {
	uint32_t max_cpus;
	guest_handle_t info;            /* struct xen_sysctl_cpuinfo[max_cpus] */
	uint32_t nr_cpus;               /* OUT */
};

#define XEN_INVALID_CORE_ID   (~0u)
#define XEN_INVALID_SOCKET_ID (~0u)
#define XEN_INVALID_NODE_ID   (~0u)
#define XEN_INVALID_MEM_SZ    (~0u)
#define XEN_INVALID_NODE_DIST (~0u)

struct xen_sysctl_cputopo {
	uint32_t core;
	uint32_t socket;
	uint32_t node;
};

struct xen_sysctl_cputopoinfo {
	uint32_t num_cpus;
	guest_handle_t cputopo;         /* struct xen_sysctl_cputopo[num_cpus] */
};

struct xen_sysctl_meminfo {
	uint64_t memsize;
	uint64_t memfree;
};

struct xen_sysctl_numainfo {
	uint32_t num_nodes;
	guest_handle_t meminfo;         /* struct xen_sysctl_meminfo[num_nodes] */
	guest_handle_t distance;        /* uint32_t[num_nodes * num_nodes] */
};

/* A bitmap the caller provides: nr_bits bits at `bitmap` (bit i = byte i/8, bit i%8). */
struct xenctl_bitmap {
	guest_handle_t bitmap;
	uint32_t nr_bits;
};

#define XEN_SYSCTL_CPUPOOL_OP_CREATE     1
#define XEN_SYSCTL_CPUPOOL_OP_DESTROY    2
#define XEN_SYSCTL_CPUPOOL_OP_INFO       3
#define XEN_SYSCTL_CPUPOOL_OP_ADDCPU     4
#define XEN_SYSCTL_CPUPOOL_OP_RMCPU      5
#define XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN 6
#define XEN_SYSCTL_CPUPOOL_OP_FREEINFO   7
#define XEN_SYSCTL_CPUPOOL_PAR_ANY       0xFFFFFFFFu

struct xen_sysctl_cpupool_op {
	uint32_t op;                    /* XEN_SYSCTL_CPUPOOL_OP_* */
	uint32_t cpupool_id;            /* IN: CDIARM, OUT: CI */
	uint32_t sched_id;              /* IN: C, OUT: I */
	uint32_t domid;                 /* IN: M */
	uint32_t cpu;                   /* IN: AR */
	uint32_t n_dom;                 /* OUT: I */
	struct xenctl_bitmap cpumap;    /* OUT: IF */
};

#define XEN_SYSCTL_cpu_featureset_raw     0
#define XEN_SYSCTL_cpu_featureset_host    1
#define XEN_SYSCTL_cpu_featureset_pv      2
#define XEN_SYSCTL_cpu_featureset_hvm     3
#define XEN_SYSCTL_cpu_featureset_pv_max  4
#define XEN_SYSCTL_cpu_featureset_hvm_max 5

struct xen_sysctl_cpu_featureset {
	uint32_t index;                 /* XEN_SYSCTL_cpu_featureset_* */
	uint32_t nr_features;           /* IN/OUT */
	guest_handle_t features;        /* uint32_t[nr_features] OUT */
};

#define XEN_SYSCTL_cpu_policy_raw         0
#define XEN_SYSCTL_cpu_policy_host        1
#define XEN_SYSCTL_cpu_policy_pv_max      2
#define XEN_SYSCTL_cpu_policy_hvm_max     3
#define XEN_SYSCTL_cpu_policy_pv_default  4
#define XEN_SYSCTL_cpu_policy_hvm_default 5

struct xen_sysctl_cpu_policy {
	uint32_t index;                 /* XEN_SYSCTL_cpu_policy_* */
	uint32_t nr_leaves;             /* IN/OUT */
	uint32_t nr_msrs;               /* IN/OUT */
	uint32_t _rsvd;                 /* must be 0 */
	guest_handle_t leaves;          /* struct xen_cpuid_leaf[nr_leaves] */
	guest_handle_t msrs;            /* struct xen_msr_entry[nr_msrs] */
};

/*
 * Paravane's own sysctls take numbers from 64 up (Xen 4.17's end at 29;
 * Xen answers these -ENOSYS). PARAVANE_SYSCTL_audit: the frame audit
 * (hypervisor/include/audit.h) over the whole machine; 0 and the result,
 * or -ENOMEM (no scratch memory for it).
 */
#define PARAVANE_SYSCTL_audit        64
struct paravane_sysctl_audit {
	uint64_t frames;                /* OUT: frames checked */
	uint64_t violations;            /* OUT: 0: every invariant holds */
	uint64_t first_mfn;             /* OUT: the first violation's frame (~0: none or not one frame) */
	char first[96];                 /* OUT: what it was, NUL-terminated */
};

struct xen_sysctl {
	uint32_t cmd;                   /* XEN_SYSCTL_* */
	uint32_t interface_version;     /* XEN_SYSCTL_INTERFACE_VERSION */
	union {
		struct xen_sysctl_physinfo physinfo;
		struct xen_sysctl_readconsole readconsole;
		struct xen_sysctl_sched_id sched_id;
		struct xen_sysctl_debug_keys debug_keys;
		struct xen_sysctl_getdomaininfolist getdomaininfolist;
		struct xen_sysctl_getcpuinfo getcpuinfo;
		struct xen_sysctl_cputopoinfo cputopoinfo;
		struct xen_sysctl_numainfo numainfo;
		struct xen_sysctl_cpupool_op cpupool_op;
		struct xen_sysctl_cpu_policy cpu_policy;
		struct xen_sysctl_cpu_featureset cpu_featureset;
		struct paravane_sysctl_audit audit;
		uint8_t pad[128];       /* fixes the size for every command */
	} u;
};

#endif
