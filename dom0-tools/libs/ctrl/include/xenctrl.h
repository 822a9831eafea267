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

#endif /* XENCTRL_H */
