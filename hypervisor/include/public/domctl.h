/*
 * public/domctl.h - domctl (#36): the toolstack's control of other domains
 * (create, inspect, limit, pause, destroy). Xen 4.17's interface, version
 * 0x15: the caller sets interface_version, and every other value is
 * refused with -EACCES before anything else is looked at.
 *
 * long domctl(struct xen_domctl *op)
 * Who: a privileged domain (Dom0); others get -EPERM.
 * Common errors: -EACCES wrong interface_version; -EFAULT op unreadable;
 * -ESRCH `domain` names no domain (every command but createdomain and
 * getdomaininfo); -ENOSYS unknown cmd.
 *
 *   XEN_DOMCTL_createdomain  u.createdomain IN, `domain` IN/OUT: 0 or an id
 *                     >= DOMID_FIRST_RESERVED picks the next free id after
 *                     the last one picked (wrapping to 1); a given id that
 *                     is taken is -EEXIST. PV only: CDF_hvm, hap, iommu,
 *                     nested_virt, vpmu, vmtrace, emulation flags -EINVAL;
 *                     max_vcpus 0 or too many -EINVAL. The domain starts
 *                     paused (once, by the controller), with no memory and
 *                     max_pages 0.
 *   XEN_DOMCTL_destroydomain  Kill the domain and give its memory back. Long:
 *                     continues until done. The caller itself -EINVAL.
 *                     Frames another domain still references stay until
 *                     that reference goes; until then the domain lingers,
 *                     dying (getdomaininfo sees it).
 *   XEN_DOMCTL_pausedomain / unpausedomain  The controller's pause count
 *                     (the caller itself -EINVAL; unpause at 0 -EINVAL;
 *                     more than 255 -EOVERFLOW). Pause returns when none
 *                     of the domain's vCPUs is on a CPU; the last unpause
 *                     runs its online vCPUs. A dying domain may be named.
 *   XEN_DOMCTL_getdomaininfo  u.getdomaininfo OUT, `domain` IN/OUT: as Xen
 *                     4.17, the domain with the lowest id >= `domain`; none
 *                     -ESRCH.
 *   XEN_DOMCTL_max_mem   u.max_mem IN: max_pages = max_memkb / 4.
 *   XEN_DOMCTL_max_vcpus u.max_vcpus IN: must equal createdomain's
 *                     max_vcpus (-EINVAL otherwise); the vCPUs exist
 *                     already.
 *   XEN_DOMCTL_setvcpucontext  u.vcpucontext IN: the PV context of vCPU
 *                     `vcpu` (public/arch-x86_64.h). Not the caller itself,
 *                     vcpu out of range -EINVAL; a NULL ctxt -EINVAL (Xen
 *                     resets the vCPU: not offered). CR3 (ctrlreg[3], and
 *                     ctrlreg[1] for user mode if set) must name an L4 of
 *                     the domain that is already validated (pinned, e.g.
 *                     MMUEXT_PIN_L4_TABLE with the domain as foreign
 *                     domain); Xen would validate an unpinned one here.
 *                     Non-canonical addresses, a bad LDT or GDT -EINVAL;
 *                     !VGCF_in_kernel with no ctrlreg[1] -EINVAL. Once set,
 *                     a new context may change registers and callbacks but
 *                     not CR3, GDT frames or LDT size (-EOPNOTSUPP).
 *                     VGCF_online brings the vCPU up, else it is down. A
 *                     refused context changes nothing.
 *   XEN_DOMCTL_getvcpucontext  u.vcpucontext IN: the vCPU's context is
 *                     written to ctxt. Not the calling vCPU; vcpu out of
 *                     range -EINVAL; a vCPU never given one -ENODATA.
 *   XEN_DOMCTL_getvcpuinfo  u.getvcpuinfo: vcpu IN, the rest OUT; out of
 *                     range -EINVAL (no such vCPU -ESRCH).
 *   XEN_DOMCTL_setvcpuaffinity / getvcpuaffinity  u.vcpuaffinity: flags
 *                     HARD and/or SOFT (neither -EINVAL), masks as
 *                     xenctl_bitmaps. Set: a hard mask with no online CPU
 *                     -EINVAL; both masks come back as in effect (hard:
 *                     with the online CPUs; soft: with hard too).
 */
#ifndef PUBLIC_DOMCTL_H
#define PUBLIC_DOMCTL_H

#include <public/xen.h>

#define XEN_DOMCTL_INTERFACE_VERSION 0x15

/* A toolstack-chosen 16-byte tag (a UUID for xl). */
typedef uint8_t xen_domain_handle_t[16];

/* createdomain flags */
#define XEN_DOMCTL_CDF_hvm          (1u << 0)
#define XEN_DOMCTL_CDF_hap          (1u << 1)
#define XEN_DOMCTL_CDF_s3_integrity (1u << 2)
#define XEN_DOMCTL_CDF_oos_off      (1u << 3)
#define XEN_DOMCTL_CDF_xs_domain    (1u << 4)
#define XEN_DOMCTL_CDF_iommu        (1u << 5)
#define XEN_DOMCTL_CDF_nested_virt  (1u << 6)
#define XEN_DOMCTL_CDF_vpmu         (1u << 7)

/* grant_opts: the highest grant-table version the domain may use (low 4 bits) */
#define XEN_DOMCTL_GRANT_version(v) ((v) & 0xfu)

/* x86 part of the configuration; a PV domain emulates nothing. */
struct xen_arch_domainconfig {
	uint32_t emulation_flags;       /* XEN_X86_EMU_*: must be 0 for PV */
	uint32_t misc_flags;
#define XEN_X86_MSR_RELAXED (1u << 0)
};

struct xen_domctl_createdomain {
	uint32_t ssidref;               /* security label (no XSM here: ignored) */
	xen_domain_handle_t handle;
	uint32_t flags;                 /* XEN_DOMCTL_CDF_* */
	uint32_t iommu_opts;
	uint32_t max_vcpus;
	uint32_t max_evtchn_port;
	int32_t max_grant_frames;       /* < 0: the hypervisor's default */
	int32_t max_maptrack_frames;    /* < 0: the hypervisor's default */
	uint32_t grant_opts;
	uint32_t vmtrace_size;          /* per-vCPU trace buffer: must be 0 */
	uint32_t cpupool_id;
	struct xen_arch_domainconfig arch;
};

/* getdomaininfo flags */
#define XEN_DOMINF_dying     (1u << 0)
#define XEN_DOMINF_hvm_guest (1u << 1)
#define XEN_DOMINF_shutdown  (1u << 2)   /* the reason is in the bits below */
#define XEN_DOMINF_paused    (1u << 3)   /* by the controller */
#define XEN_DOMINF_blocked   (1u << 4)   /* every online vCPU waits for an event */
#define XEN_DOMINF_running   (1u << 5)   /* a vCPU is on a CPU */
#define XEN_DOMINF_debugged  (1u << 6)
#define XEN_DOMINF_xs_domain (1u << 7)
#define XEN_DOMINF_hap       (1u << 8)
#define XEN_DOMINF_shutdownshift 16
#define XEN_DOMINF_shutdownmask  0xffu
#define XEN_INVALID_MAX_VCPU_ID  (~0u)

struct xen_domctl_getdomaininfo {
	domid_t domain;
	uint16_t pad1;
	uint32_t flags;                 /* XEN_DOMINF_* */
	uint64_t tot_pages;
	uint64_t max_pages;
	uint64_t outstanding_pages;
	uint64_t shr_pages;
	uint64_t paged_pages;
	uint64_t shared_info_frame;     /* PV: the MFN */
	uint64_t cpu_time;              /* ns all vCPUs ran */
	uint32_t nr_online_vcpus;
	uint32_t max_vcpu_id;
	uint32_t ssidref;
	xen_domain_handle_t handle;
	uint32_t cpupool;
	uint8_t gpaddr_bits;
	uint8_t pad2[7];
	struct xen_arch_domainconfig arch_config;
};

struct xen_domctl_max_mem {
	uint64_t max_memkb;
};

struct xen_domctl_max_vcpus {
	uint32_t max;
};

/* ---- vCPUs ---- */

/* XEN_DOMCTL_setvcpucontext / getvcpucontext: ctxt is a struct vcpu_guest_context. */
struct xen_domctl_vcpucontext {
	uint32_t vcpu;
	uint32_t pad;
	uint64_t ctxt;                  /* guest handle: struct vcpu_guest_context */
};

/* XEN_DOMCTL_getvcpuinfo */
struct xen_domctl_getvcpuinfo {
	uint32_t vcpu;                  /* IN */
	uint8_t online;                 /* OUT: up (VCPUOP_up, VGCF_online) */
	uint8_t blocked;                /* OUT: waiting for an event */
	uint8_t running;                /* OUT: on a CPU now */
	uint8_t pad;
	uint64_t cpu_time;              /* OUT: ns it has run */
	uint32_t cpu;                   /* OUT: the CPU it runs on or last ran on */
	uint32_t pad2;
};

/* A set of CPUs as a bitmap in the caller's memory (bit n: CPU n). */
struct xenctl_bitmap {
	uint64_t bitmap;                /* guest handle: uint8_t[(nr_bits + 7) / 8] */
	uint32_t nr_bits;
	uint32_t pad;
};

/* XEN_DOMCTL_setvcpuaffinity / getvcpuaffinity */
#define XEN_VCPUAFFINITY_HARD  (1u << 0)
#define XEN_VCPUAFFINITY_SOFT  (1u << 1)
#define XEN_VCPUAFFINITY_FORCE (1u << 2)   /* undo SCHEDOP_pin_override */
struct xen_domctl_vcpuaffinity {
	uint32_t vcpu;                  /* IN */
	uint32_t flags;                 /* IN: XEN_VCPUAFFINITY_* */
	struct xenctl_bitmap cpumap_hard;   /* IN/OUT */
	struct xenctl_bitmap cpumap_soft;   /* IN/OUT */
};

#define XEN_DOMCTL_setvcpuaffinity  9
#define XEN_DOMCTL_setvcpucontext  12
#define XEN_DOMCTL_getvcpucontext  13
#define XEN_DOMCTL_getvcpuinfo     14
#define XEN_DOMCTL_getvcpuaffinity 25

/* ---- end of vCPUs ---- */

#define XEN_DOMCTL_createdomain   1
#define XEN_DOMCTL_destroydomain  2
#define XEN_DOMCTL_pausedomain    3
#define XEN_DOMCTL_unpausedomain  4
#define XEN_DOMCTL_getdomaininfo  5
#define XEN_DOMCTL_max_mem       11
#define XEN_DOMCTL_max_vcpus     15

struct xen_domctl {
	uint32_t cmd;                   /* XEN_DOMCTL_* */
	uint32_t interface_version;     /* XEN_DOMCTL_INTERFACE_VERSION */
	domid_t domain;
	uint16_t _pad[3];
	union {
		struct xen_domctl_createdomain createdomain;
		struct xen_domctl_getdomaininfo getdomaininfo;
		struct xen_domctl_max_mem max_mem;
		struct xen_domctl_max_vcpus max_vcpus;
		struct xen_domctl_vcpucontext vcpucontext;
		struct xen_domctl_getvcpuinfo getvcpuinfo;
		struct xen_domctl_vcpuaffinity vcpuaffinity;
		uint8_t pad[128];       /* fixes the size for every command */
	} u;
};

#endif
