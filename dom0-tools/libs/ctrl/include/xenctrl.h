/*
 * xenctrl.h - libxenctrl, Paravane's: Xen 4.17's names, argument orders
 * and return conventions for what the hypervisor offers a toolstack today
 * (docs/toolstack.md "libxenctrl"). A program written against Xen's
 * libxenctrl for these calls compiles against this header unchanged.
 *
 * Conventions, as Xen's:
 *   - int functions return 0 (or a count) on success, -1 with errno set
 *     on failure; pointer functions return NULL with errno set.
 *   - errno carries the hypervisor's error (its numbers are Linux's), or
 *     the kernel's when a device call itself failed, or EINVAL/ESRCH when
 *     this library refused the arguments before asking anyone.
 *   - a domid argument is uint32_t; one that does not fit domid_t is
 *     EINVAL (Xen's library would truncate it and act on another domain).
 *
 * The hypercall structures are the hypervisor's public headers
 * (hypervisor/include/public/, installed under include/paravane/public);
 * every domctl and sysctl is stamped with their interface version (0x15).
 *
 * Needs: /dev/xen/privcmd (root in Dom0). Thread-safe: a handle holds only
 * its descriptor.
 */
#ifndef XENCTRL_H
#define XENCTRL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <public/xen.h>
#include <public/domctl.h>
#include <public/sysctl.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/version.h>

#define XC_PAGE_SHIFT 12
#define XC_PAGE_SIZE  (1UL << XC_PAGE_SHIFT)
#define XC_PAGE_MASK  (~(XC_PAGE_SIZE - 1))

/* Xen's logger type; loggers are accepted and not used: messages go to
 * stderr through the Dom0 tools' log helper (PARAVANE_LOGLVL). */
typedef struct xentoollog_logger xentoollog_logger;

typedef struct xc_interface_core xc_interface;

enum xc_open_flags {
	XC_OPENFLAG_DUMMY = 1 << 0,		/* open no device */
	XC_OPENFLAG_NON_REENTRANT = 1 << 1,	/* accepted; changes nothing */
};

/*
 * Open /dev/xen/privcmd. Returns the handle, or NULL with errno set
 * (ENOENT: not in Dom0 or xen-privcmd not loaded; EACCES: not root).
 */
xc_interface *xc_interface_open(xentoollog_logger *logger,
				xentoollog_logger *dombuild_logger,
				unsigned open_flags);

/* Close the handle (NULL is fine). 0, or -1 with errno set. */
int xc_interface_close(xc_interface *xch);

/* ---- Domains ---------------------------------------------------------- */

/* A domain as getdomaininfo describes it, decoded. */
typedef struct xc_dominfo {
	uint32_t domid;
	uint32_t ssidref;
	unsigned int dying:1, crashed:1, shutdown:1,
		     paused:1, blocked:1, running:1,
		     hvm:1, debugged:1, xenstore:1, hap:1;
	unsigned int shutdown_reason;	/* SHUTDOWN_*: only if shutdown */
	unsigned long nr_pages;		/* current, not maximum */
	unsigned long nr_outstanding_pages;
	unsigned long nr_shared_pages;
	unsigned long nr_paged_pages;
	unsigned long shared_info_frame;
	uint64_t cpu_time;		/* ns */
	unsigned long max_memkb;
	unsigned int nr_online_vcpus;
	unsigned int max_vcpu_id;
	xen_domain_handle_t handle;
	unsigned int cpupool;
	uint8_t gpaddr_bits;
	struct xen_arch_domainconfig arch_config;
} xc_dominfo_t;

/* The raw record, as getdomaininfo returns it. */
typedef struct xen_domctl_getdomaininfo xc_domaininfo_t;

/*
 * Create a domain from *config (struct xen_domctl_createdomain, as in
 * Xen 4.17). *pdomid IN: the id wanted, 0 for the next free one; OUT: the
 * new domain's id. *config is updated with what the hypervisor returned.
 * The domain starts paused, with no memory. 0, or -1 and errno.
 */
int xc_domain_create(xc_interface *xch, uint32_t *pdomid,
		     struct xen_domctl_createdomain *config);

/* vCPUs of the domain: must equal createdomain's max_vcpus here. */
int xc_domain_max_vcpus(xc_interface *xch, uint32_t domid, unsigned int max);

/* The controller's pause count: +1 / -1 (unpause at 0: EINVAL). */
int xc_domain_pause(xc_interface *xch, uint32_t domid);
int xc_domain_unpause(xc_interface *xch, uint32_t domid);

/* Kill the domain and free its memory; retried while the hypervisor
 * answers EAGAIN. The domain may linger, dying, while another domain
 * still maps its frames. */
int xc_domain_destroy(xc_interface *xch, uint32_t domid);

/*
 * Up to max_doms domains with ids at or above first_domid, in id order,
 * decoded into info[]. Returns how many were filled; -1 and errno
 * (ESRCH) when there is none at all.
 */
int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid,
		      unsigned int max_doms, xc_dominfo_t *info);

/*
 * The same as raw records. Returns how many were filled, 0 when there is
 * none (as Xen's sysctl-based call), -1 and errno on failure.
 */
int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain,
			  unsigned int max_domains, xc_domaininfo_t *info);

/* The domain's memory allowance, in KiB. */
int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb);

/* ---- The machine ------------------------------------------------------ */

typedef struct xen_sysctl_physinfo xc_physinfo_t;

int xc_physinfo(xc_interface *xch, xc_physinfo_t *info);

/*
 * xen_version: cmd is a XENVER_* of public/version.h, arg its buffer
 * (ignored for XENVER_version and XENVER_pagesize). Returns the
 * hypercall's result (XENVER_version: major << 16 | minor; XENVER_build_id:
 * the id's length, arg's len giving the buffer size, at most a page), or
 * -1 and errno (EINVAL for unknown commands).
 */
int xc_version(xc_interface *xch, int cmd, void *arg);

/* ---- Memory of another domain ----------------------------------------- */

/*
 * Give domain domid nr_extents extents of 2^extent_order frames.
 * extent_start IN: the pseudo-physical frame each extent is for; OUT (a
 * PV domain): the machine frame it got. Returns the number of extents
 * done (fewer when the allowance or memory ran out), or -1 and errno.
 * The _exact forms return 0 when all were done, else -1 with errno EBUSY
 * (populate) or EINVAL (decrease).
 */
int xc_domain_populate_physmap(xc_interface *xch, uint32_t domid,
			       unsigned long nr_extents,
			       unsigned int extent_order,
			       unsigned int mem_flags,
			       xen_pfn_t *extent_start);
int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid,
				     unsigned long nr_extents,
				     unsigned int extent_order,
				     unsigned int mem_flags,
				     xen_pfn_t *extent_start);

/* Take the listed frames (machine frames, for a PV domain) back. */
int xc_domain_decrease_reservation(xc_interface *xch, uint32_t domid,
				   unsigned long nr_extents,
				   unsigned int extent_order,
				   xen_pfn_t *extent_start);
int xc_domain_decrease_reservation_exact(xc_interface *xch, uint32_t domid,
					 unsigned long nr_extents,
					 unsigned int extent_order,
					 xen_pfn_t *extent_start);

/* ---- Foreign mappings (Xen keeps these behind the same macro) -------- */

#ifdef XC_WANT_COMPAT_MAP_FOREIGN_API
/*
 * Map frames of domain dom into this process, one page each, in order,
 * through /dev/xen/privcmd; unmap with munmap(addr, num * XC_PAGE_SIZE).
 * prot as for mmap(2). At most XC_MAP_FOREIGN_MAX frames per call.
 *
 * _bulk may succeed partially: it returns the mapping with err[i] = 0 or
 * a negative errno per frame (a failed frame's page faults when touched),
 * or NULL and errno when nothing could be attempted.
 * _pages and _range fail whole: NULL, nothing left mapped, errno from the
 * first failed frame. _range maps size bytes (rounded up to pages) from
 * frame mfn on.
 */
#define XC_MAP_FOREIGN_MAX (1u << 20)

void *xc_map_foreign_range(xc_interface *xch, uint32_t dom, int size,
			   int prot, unsigned long mfn);
void *xc_map_foreign_pages(xc_interface *xch, uint32_t dom, int prot,
			   const xen_pfn_t *arr, int num);
void *xc_map_foreign_bulk(xc_interface *xch, uint32_t dom, int prot,
			  const xen_pfn_t *arr, int *err, unsigned int num);
#endif

/* ---- the PV builder's calls ---- */

/* A vCPU's register state, as XEN_DOMCTL_set/getvcpucontext carry it
 * (64-bit PV only: x64 and c are the same structure). */
typedef union {
	struct vcpu_guest_context x64;
	struct vcpu_guest_context c;
} vcpu_guest_context_any_t;

/*
 * Set (before the vCPU first runs: the domain paused) or read vCPU vcpu's
 * context. Set validates it: CR3 must name a pinned L4 of the domain
 * (EINVAL otherwise), VGCF_online brings the vCPU up at the next unpause.
 * 0, or -1 and errno (ESRCH no domain, EINVAL bad vCPU or context).
 */
int xc_vcpu_setcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
		       vcpu_guest_context_any_t *ctxt);
int xc_vcpu_getcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
		       vcpu_guest_context_any_t *ctxt);

/*
 * mmuext_op with dom as the foreign domain: for a builder, MMUEXT_PIN_L4_TABLE
 * of the new guest's boot L4 (op->arg1.mfn), which validates the tree.
 * 0, or -1 and errno (EINVAL: a table failed validation).
 */
int xc_mmuext_op(xc_interface *xch, struct mmuext_op *op, unsigned int nr_ops,
		 uint32_t dom);

/*
 * A new unbound port in domain dom that remote_dom may bind (the guest's
 * end of its console or xenstore channel). The port, or -1 and errno.
 */
typedef int xc_evtchn_port_or_error_t;
xc_evtchn_port_or_error_t xc_evtchn_alloc_unbound(xc_interface *xch, uint32_t dom,
						  uint32_t remote_dom);

/* ---- vCPUs, scheduling, console ---- */

/*
 * The credit scheduler's pool parameters (sysctl scheduler_op), with Xen
 * 4.17's names and layout, while the hypervisor's public headers do not
 * define the command (the other calls below take their structures from
 * public/domctl.h and public/sysctl.h).
 */
#ifndef XEN_SYSCTL_scheduler_op
#define XEN_SYSCTL_scheduler_op 19
#define XEN_SYSCTL_SCHEDOP_putinfo 0
#define XEN_SYSCTL_SCHEDOP_getinfo 1
struct xen_sysctl_credit_schedule {
	uint32_t tslice_ms;		/* 1 to 1000 */
	uint32_t ratelimit_us;
	uint32_t vcpu_migr_delay_us;	/* at most 100000 */
};
struct xen_sysctl_scheduler_op {
	uint32_t cpupool_id;
	uint32_t sched_id;		/* XEN_SCHEDULER_* */
	uint32_t cmd;			/* XEN_SYSCTL_SCHEDOP_* */
	union {
		struct xen_sysctl_credit_schedule sched_credit;
		uint64_t align;		/* Xen's union holds a guest handle */
		uint8_t pad[16];
	} u;
};
#endif

/*
 * CPU maps: one bit per physical CPU, CPU n at byte n / 8, bit n % 8, in
 * xc_get_cpumap_size() bytes (enough for xc_get_max_cpus() CPUs, from
 * physinfo's max_cpu_id). xc_cpumap_alloc: zeroed, free(3) it; NULL and
 * errno on failure.
 */
typedef uint8_t *xc_cpumap_t;
int xc_get_max_cpus(xc_interface *xch);
int xc_get_cpumap_size(xc_interface *xch);
xc_cpumap_t xc_cpumap_alloc(xc_interface *xch);
void xc_cpumap_clearcpu(int cpu, xc_cpumap_t map);
void xc_cpumap_setcpu(int cpu, xc_cpumap_t map);
int xc_cpumap_testcpu(int cpu, xc_cpumap_t map);

/* One vCPU: online, blocked, running, CPU time (ns), its CPU. */
typedef struct xen_domctl_getvcpuinfo xc_vcpuinfo_t;
int xc_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpu,
		    xc_vcpuinfo_t *info);

/*
 * A vCPU's hard and soft affinity (flags: XEN_VCPUAFFINITY_HARD, _SOFT;
 * maps of xc_get_cpumap_size() bytes). setaffinity writes back the
 * effective maps, as Xen's.
 */
int xc_vcpu_setaffinity(xc_interface *xch, uint32_t domid, int vcpu,
			xc_cpumap_t cpumap_hard_inout,
			xc_cpumap_t cpumap_soft_inout, uint32_t flags);
int xc_vcpu_getaffinity(xc_interface *xch, uint32_t domid, int vcpu,
			xc_cpumap_t cpumap_hard, xc_cpumap_t cpumap_soft,
			uint32_t flags);

/* The host's scheduler (XEN_SCHEDULER_*) into *sched_id. */
int xc_sched_id(xc_interface *xch, int *sched_id);

/* A domain's credit-scheduler weight (1-65535) and cap (% of a CPU, 0
 * none). */
int xc_sched_credit_domain_set(xc_interface *xch, uint32_t domid,
			       struct xen_domctl_sched_credit *sdom);
int xc_sched_credit_domain_get(xc_interface *xch, uint32_t domid,
			       struct xen_domctl_sched_credit *sdom);

/* The credit scheduler's time slice, rate limit and migration delay for
 * the CPUs of pool cpupool_id. */
int xc_sched_credit_params_set(xc_interface *xch, uint32_t cpupool_id,
			       struct xen_sysctl_credit_schedule *schedule);
int xc_sched_credit_params_get(xc_interface *xch, uint32_t cpupool_id,
			       struct xen_sysctl_credit_schedule *schedule);

/*
 * The hypervisor's console ring into buffer: *pnr_chars IN its size, OUT
 * the bytes written. clear empties the ring after reading; incremental
 * starts at *pindex and updates it (pindex may be NULL otherwise).
 */
int xc_readconsolering(xc_interface *xch, char *buffer,
		       unsigned int *pnr_chars, int clear, int incremental,
		       uint32_t *pindex);
/* The keys of the string handled by the hypervisor as debug keys (their
 * reports go to its console ring). */
int xc_send_debug_keys(xc_interface *xch, const char *keys);

/* Shut the domain down with reason SHUTDOWN_* (sched_op
 * remote_shutdown). */
int xc_domain_shutdown(xc_interface *xch, uint32_t domid, int reason);

/* Each physical CPU's idle time (ns), up to max_cpus; *nr_cpus how many
 * were written. */
typedef struct xen_sysctl_cpuinfo xc_cpuinfo_t;
int xc_getcpuinfo(xc_interface *xch, int max_cpus, xc_cpuinfo_t *info,
		  int *nr_cpus);

#endif /* XENCTRL_H */
