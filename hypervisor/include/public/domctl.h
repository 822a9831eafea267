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
#include <public/arch-x86_64.h>
#include <public/sysctl.h>   /* struct xenctl_bitmap */

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

/* A set of CPUs: struct xenctl_bitmap (public/sysctl.h), bit n = CPU n. */
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

/* ---- limits, scheduling, permissions ---- */
/*
 *   XEN_DOMCTL_scheduler_op  u.scheduler_op IN/OUT. sched_id must be the
 *                     domain's scheduler (XEN_SCHEDULER_CREDIT, 5) else
 *                     -EINVAL; cmd getinfo (weight, cap OUT) or putinfo
 *                     (weight 0 and cap 0xffff leave that value as it is;
 *                     any other weight 1-65535, cap in percent of one CPU,
 *                     0 = none); put/getvcpuinfo and others -EINVAL.
 *   XEN_DOMCTL_setdomainhandle u.setdomainhandle IN: the 16-byte handle.
 *   XEN_DOMCTL_settimeoffset u.settimeoffset IN: seconds added to the
 *                     wallclock the domain reads in shared_info.
 *   XEN_DOMCTL_set_address_size u.address_size IN: 64 (a 64-bit PV guest)
 *                     is accepted; 32 (compat PV, not offered) and any
 *                     other size -EINVAL.
 *   XEN_DOMCTL_get_address_size u.address_size OUT: 64.
 *   XEN_DOMCTL_ioport_permission u.ioport_permission IN: give
 *                     (allow_access) or take back ports [first_port,
 *                     first_port + nr_ports). -EINVAL: empty, wrapping or
 *                     past 0xffff; -EPERM: the caller does not hold every
 *                     one of them itself (the hypervisor's own ports).
 *   XEN_DOMCTL_iomem_permission u.iomem_permission IN: the same for MMIO
 *                     frames. -EINVAL: the range wraps; -EPERM: past any
 *                     physical address. Taking back succeeds; giving is
 *                     -EOPNOTSUPP (no MMIO passthrough to DomUs yet).
 *   XEN_DOMCTL_irq_permission u.irq_permission IN: the same for a pirq of
 *                     the caller's. -EINVAL: pirq >= 256; -EPERM: the
 *                     caller has not mapped it; then as iomem.
 *   XEN_DOMCTL_hypercall_init u.hypercall_init IN: a frame of the domain
 *                     (its MFN) filled with hypercall stubs.
 *   XEN_DOMCTL_resumedomain  A domain shut down with SHUTDOWN_suspend runs
 *                     again (its shutdown state cleared); any other state
 *                     is left as it is (0, as Xen).
 *   XEN_DOMCTL_getpageframeinfo3 u.getpageframeinfo3 IN: `num` MFNs at
 *                     `array` (at most 1024), each overwritten with its
 *                     XEN_DOMCTL_PFINFO_* type.
 *   XEN_DOMCTL_settscinfo u.tsc_info IN: tsc_mode 0 (default) or 2
 *                     (never emulate: a PV guest reads the real TSC either
 *                     way); 1 (always emulate) -EOPNOTSUPP; others -EINVAL.
 *                     gtsc_khz 0 means the host's; incarnation is stored + 1.
 *   XEN_DOMCTL_gettscinfo u.tsc_info OUT: the mode, gtsc_khz, incarnation,
 *                     elapsed_nsec (system time now).
 *   XEN_DOMCTL_setnodeaffinity u.nodeaffinity IN: must include node 0, the
 *                     only node (-EINVAL otherwise; -EFAULT unreadable).
 *   XEN_DOMCTL_getnodeaffinity u.nodeaffinity: node 0 written to the map.
 *   XEN_DOMCTL_get_cpu_policy u.cpu_policy: the CPUID the domain sees, as
 *                     leaves (no MSRs: nr_msrs OUT 0). NULL `leaves`: 0,
 *                     nr_leaves OUT the most there can be; too few
 *                     -ENOBUFS.
 *   XEN_DOMCTL_set_cpu_policy u.cpu_policy IN: restrict what the domain
 *                     sees. The feature words (leaf 1 ECX/EDX, 7.0
 *                     EBX/ECX/EDX, 0x80000001 ECX/EDX, 0xD.1 EAX) given are
 *                     ANDed with what the hypervisor offers (bits it does
 *                     not offer are ignored, as Xen); other leaves are
 *                     checked, not changed. The caller itself -EINVAL;
 *                     too many leaves -E2BIG; a leaf outside the policy
 *                     -ERANGE, a max leaf above the hypervisor's -EINVAL,
 *                     an MSR -EINVAL, each with err_leaf/err_subleaf/
 *                     err_msr set.
 */
#define XEN_DOMCTL_scheduler_op        16
#define XEN_DOMCTL_setdomainhandle     17
#define XEN_DOMCTL_irq_permission      19
#define XEN_DOMCTL_iomem_permission    20
#define XEN_DOMCTL_ioport_permission   21
#define XEN_DOMCTL_hypercall_init      22
#define XEN_DOMCTL_settimeoffset       24
#define XEN_DOMCTL_resumedomain        27
#define XEN_DOMCTL_set_address_size    35
#define XEN_DOMCTL_get_address_size    36
#define XEN_DOMCTL_gettscinfo          59
#define XEN_DOMCTL_settscinfo          60
#define XEN_DOMCTL_getpageframeinfo3   61
#define XEN_DOMCTL_setnodeaffinity     68
#define XEN_DOMCTL_getnodeaffinity     69
#define XEN_DOMCTL_get_cpu_policy      82
#define XEN_DOMCTL_set_cpu_policy      83

#define XEN_SCHEDULER_CREDIT   5
#define XEN_SCHEDULER_CREDIT2  6
#define XEN_DOMCTL_SCHEDOP_putinfo     0
#define XEN_DOMCTL_SCHEDOP_getinfo     1
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo 2
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo 3

struct xen_domctl_sched_credit {
	uint16_t weight;
	uint16_t cap;
};

struct xen_domctl_scheduler_op {
	uint32_t sched_id;              /* XEN_SCHEDULER_* */
	uint32_t cmd;                   /* XEN_DOMCTL_SCHEDOP_* */
	union {
		struct xen_domctl_sched_credit credit;
		struct {
			guest_handle_t vcpus;
			uint32_t nr_vcpus;
			uint32_t padding;
		} v;
	} u;
};

struct xen_domctl_setdomainhandle {
	xen_domain_handle_t handle;
};

struct xen_domctl_settimeoffset {
	int64_t time_offset_seconds;
};

struct xen_domctl_address_size {
	uint32_t size;
};

struct xen_domctl_irq_permission {
	uint32_t pirq;
	uint8_t allow_access;
	uint8_t pad[3];
};

struct xen_domctl_iomem_permission {
	uint64_t first_mfn;
	uint64_t nr_mfns;               /* > 0 */
	uint8_t allow_access;
};

struct xen_domctl_ioport_permission {
	uint32_t first_port;
	uint32_t nr_ports;
	uint8_t allow_access;
};

struct xen_domctl_hypercall_init {
	uint64_t gmfn;                  /* PV: an MFN the domain owns */
};

#define XEN_DOMCTL_PFINFO_LTAB_SHIFT 28
#define XEN_DOMCTL_PFINFO_NOTAB   (0x0u << 28)
#define XEN_DOMCTL_PFINFO_L1TAB   (0x1u << 28)
#define XEN_DOMCTL_PFINFO_L2TAB   (0x2u << 28)
#define XEN_DOMCTL_PFINFO_L3TAB   (0x3u << 28)
#define XEN_DOMCTL_PFINFO_L4TAB   (0x4u << 28)
#define XEN_DOMCTL_PFINFO_LPINTAB (0x1u << 31)
#define XEN_DOMCTL_PFINFO_XTAB    (0xfu << 28)   /* not the domain's */
#define XEN_DOMCTL_PFINFO_BROKEN  (0xdu << 28)
#define XEN_DOMCTL_PFINFO_LTAB_MASK (0xfu << 28)
#define XEN_DOMCTL_PFINFO_MAX     1024           /* MFNs per call */

struct xen_domctl_getpageframeinfo3 {
	uint64_t num;
	guest_handle_t array;           /* xen_pfn_t[num], IN/OUT */
};

#define XEN_TSC_MODE_DEFAULT         0
#define XEN_TSC_MODE_ALWAYS_EMULATE  1
#define XEN_TSC_MODE_NEVER_EMULATE   2

struct xen_domctl_tsc_info {
	uint32_t tsc_mode;
	uint32_t gtsc_khz;
	uint32_t incarnation;
	uint32_t pad;
	uint64_t elapsed_nsec;
};

struct xen_domctl_nodeaffinity {
	struct xenctl_bitmap nodemap;
};

struct xen_domctl_cpu_policy {
	uint32_t nr_leaves;             /* IN/OUT */
	uint32_t nr_msrs;               /* IN/OUT */
	guest_handle_t leaves;          /* struct xen_cpuid_leaf[nr_leaves] */
	guest_handle_t msrs;            /* struct xen_msr_entry[nr_msrs] */
	uint32_t err_leaf, err_subleaf, err_msr;   /* OUT (set_cpu_policy refused) */
};

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
		struct xen_domctl_scheduler_op scheduler_op;
		struct xen_domctl_setdomainhandle setdomainhandle;
		struct xen_domctl_settimeoffset settimeoffset;
		struct xen_domctl_address_size address_size;
		struct xen_domctl_irq_permission irq_permission;
		struct xen_domctl_iomem_permission iomem_permission;
		struct xen_domctl_ioport_permission ioport_permission;
		struct xen_domctl_hypercall_init hypercall_init;
		struct xen_domctl_getpageframeinfo3 getpageframeinfo3;
		struct xen_domctl_cpu_policy cpu_policy;
		struct xen_domctl_tsc_info tsc_info;
		struct xen_domctl_nodeaffinity nodeaffinity;
		uint8_t pad[128];       /* fixes the size for every command */
	} u;
};

#endif
