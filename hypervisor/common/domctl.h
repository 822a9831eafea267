/*
 * The domctl commands' workers (common/domctl*.c) and the table that
 * do_domctl() runs them from. One row per command: the worker and what the
 * dispatcher checks before it (docs/style.md §4, validate then act).
 */
#ifndef COMMON_DOMCTL_H
#define COMMON_DOMCTL_H

#include <domain.h>
#include <public/domctl.h>

/*
 * A worker gets the calling vCPU, the domain `op->domain` names (looked up,
 * alive unless DOMCTL_DYING_OK; NULL with DOMCTL_NO_TARGET) and the copy of
 * the op. It returns 0 or a -XEN_E* error, or -XEN_ERESTART to be
 * re-entered with the same op (a continuation of the domctl).
 */
typedef int64_t domctl_fn(struct vcpu *v, struct domain *d, struct xen_domctl *op);

#define DOMCTL_NO_TARGET (1u << 0)   /* `domain` names no existing domain: the worker reads it */
#define DOMCTL_COPYBACK  (1u << 1)   /* the op is copied back when the worker returns 0 */
#define DOMCTL_DYING_OK  (1u << 2)   /* may name a dying domain */
#define DOMCTL_NOT_SELF  (1u << 3)   /* the caller naming itself: -EINVAL (Xen 4.17) */
#define DOMCTL_COPYBACK_ALWAYS (1u << 4)   /* with COPYBACK: also when the worker fails */

struct domctl_cmd {
	domctl_fn *fn;
	uint8_t flags;
};

/* common/domctl_domain.c: a domain's life */
domctl_fn domctl_createdomain, domctl_destroydomain, domctl_pausedomain, domctl_unpausedomain,
	domctl_getdomaininfo, domctl_max_mem, domctl_max_vcpus;
/* common/domctl_sched.c: scheduling parameters, resuming, NUMA placement */
domctl_fn domctl_scheduler_op, domctl_resumedomain, domctl_setnodeaffinity, domctl_getnodeaffinity;
/* common/domctl_attrs.c: a domain's handle, wallclock offset, guest width, TSC mode */
domctl_fn domctl_setdomainhandle, domctl_settimeoffset, domctl_set_address_size, domctl_get_address_size,
	domctl_settscinfo, domctl_gettscinfo;
/* common/domctl_perm.c: I/O ports, MMIO, IRQs */
domctl_fn domctl_ioport_permission, domctl_iomem_permission, domctl_irq_permission;
/* common/domctl_frames.c: frame types, the hypercall page */
domctl_fn domctl_getpageframeinfo3, domctl_hypercall_init;
/* common/domctl_cpupolicy.c: the CPUID a domain sees */
domctl_fn domctl_get_cpu_policy, domctl_set_cpu_policy;
/*
 * v's CPU policy (raw: the CPU's own) as leaves into the caller's `buf`
 * (NULL: *nr_leaves = the most there can be); *nr_msrs = 0. Also for
 * XEN_SYSCTL_get_cpu_policy. 0, -XEN_ENOBUFS (more than *nr_leaves), -XEN_EFAULT.
 */
int64_t domctl_cpu_policy_copy_out(struct vcpu *v, bool raw, uint64_t buf, uint32_t *nr_leaves, uint32_t *nr_msrs);

/* getdomaininfo's record of d; the domain with the lowest id >= id (dying too), or NULL */
void domctl_fill_info(struct domain *d, struct xen_domctl_getdomaininfo *info);
struct domain *domctl_first_domain_from(unsigned id);

/* common/domctl_vcpu.c: a domain's vCPUs */
domctl_fn domctl_setvcpucontext, domctl_getvcpucontext, domctl_getvcpuinfo,
	domctl_setvcpuaffinity, domctl_getvcpuaffinity;

#endif
