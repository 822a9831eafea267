/*
 * Domains and vCPUs: the objects every hypercall acts on.
 *
 * The arch-free part lives here; what only x86 PV needs (page-table roots,
 * trap table, segment bases, ...) hangs off `arch` and is defined in the
 * arch's own header, so common code never sees x86 details.
 *
 * Locking: every field of struct domain and struct vcpu is protected by the
 * big hypervisor lock (biglock.h), which every CPU holds while it runs
 * hypervisor code for a guest. The guest itself changes its shared pages
 * (shared_info, vcpu_info) concurrently: those are read once and updated
 * with atomic operations (common/event_2l.c).
 */
#ifndef DOMAIN_H
#define DOMAIN_H

#include <lib.h>
#include <frame_alloc.h>
#include <public/xen.h>
#include <timer.h>
#include <cpumask.h>
#include <hypercall.h>
#include <public/errno.h>

#define MAX_VIRT_CPUS 128

struct arch_domain;
struct arch_vcpu;

enum domain_state {
	DOMAIN_BUILDING,
	DOMAIN_RUNNING,
	DOMAIN_SHUTDOWN,     /* SCHEDOP_shutdown, remote_shutdown or a crash: reason in shutdown_code */
};

struct vcpu {
	unsigned vcpu_id;
	struct domain *domain;
	struct vcpu_info *vcpu_info;    /* hypervisor mapping; in shared_info until moved */
	bool online;
	struct arch_vcpu *arch;

	/* common/sched.c: scheduling state and accounting */
	int run_state;                  /* RUNSTATE_* (public/vcpu.h) as the guest sees it */
	struct vcpu *rq_next;           /* the run queue */
	bool on_runq;
	int credit;                     /* credit scheduler: < 0 means over its share */
	bool boost;                     /* woken from blocking: runs ahead for one tick */
	uint64_t state_entry_time;
	uint64_t runstate_time[4];
	uint64_t runstate_va;           /* VCPUOP_register_runstate_memory_area, 0: none */
	bool runstate_pending;          /* its write faulted (user mode): redo on entering kernel mode */
	uint64_t time_area_va;          /* VCPUOP_register_vcpu_time_memory_area, 0: none */
	bool vcpu_info_moved;           /* VCPUOP_register_vcpu_info done (only once) */
	bool polling;                   /* in SCHEDOP_poll: wake on any event */
	bool yielding;                  /* SCHEDOP_yield: pass it over at the next pick */
	uint64_t woken_at;              /* when vcpu_wake queued it, until it runs (wake_stats.h) */
	unsigned wake_place;            /* where tickle sent it (enum wake_place) */

	/* common/vcpu.c: the guest's timers, both raise VIRQ_TIMER */
	struct timer singleshot_timer;
	struct timer periodic_timer;
	uint64_t periodic_period;
	struct timer poll_timer;        /* common/sched.c: SCHEDOP_poll's timeout */

	/* common/sched.c, several CPUs */
	unsigned processor;             /* the CPU it runs on, or last ran on */
	cpumask_t cpu_affinity;         /* hard affinity: the CPUs it may run on */
	cpumask_t cpus_ran;             /* every CPU it has run on (sched_report, tests) */
	cpumask_t cpu_soft_affinity;    /* XEN_DOMCTL_setvcpuaffinity's soft mask: kept, not used yet */
	unsigned pause_count;           /* the hypervisor's own pauses of this vCPU (domctl_vcpu.c) */

	/* common/hypercall.c: how this vCPU's hypercall in progress leaves (hypercall.h) */
	enum hypercall_exit hcall_exit;
	struct hypercall_continuation hcall_cont;   /* valid with HC_EXIT_CONTINUATION */
	/* Subsystems append their per-vCPU fields here, each with a comment. */
};

struct domain {
	domid_t domain_id;
	bool is_privileged;             /* Dom0: may use privileged hypercalls */
	enum domain_state state;
	unsigned shutdown_code;         /* SHUTDOWN_* when state is DOMAIN_SHUTDOWN */
	struct shared_info *shared_info;
	mfn_t shared_info_mfn;
	uint64_t tot_pages;             /* frames owned */
	uint64_t max_pages;             /* what tot_pages may grow to (ballooning) */
	uint64_t phys_pages;            /* pseudo-physical frames the builder laid out (XENMEM_memory_map) */
	unsigned long vm_assist;        /* enabled VMASST_TYPE_* bits */
	unsigned max_vcpus;
	struct vcpu *vcpus[MAX_VIRT_CPUS];
	uint64_t enosys_logged[2];      /* hypercall numbers already reported as missing */
	struct arch_domain *arch;
	struct domain *next;            /* the domain list (domain_lookup) */
	struct evtchn_domain *evtchn;   /* common/event_channel.c */
	struct grant_table *gnttab;     /* common/grant_table.c */
	unsigned weight;                /* credit scheduler: relative share (default 256) */
	unsigned cap;                   /* percent of one CPU at most; 0: no cap */
	uint64_t cap_used_ns;           /* time used in the current accounting period */
	bool is_console;                /* may write to the hypervisor console (console_io) */
	struct pirq_domain *pirq;       /* common/event_pirq.c: mapped physical IRQs; NULL: none */
	/* common/domctl.c and common/domain_teardown.c */
	unsigned pause_count;           /* the controller's pauses (XEN_DOMCTL_pausedomain); a new domain has 1 */
	bool creation_finished;         /* the controller's pauses first fell to 0: its CPUID is fixed */
	uint8_t handle[16];             /* the toolstack's tag (createdomain), echoed by getdomaininfo */
	bool is_dying;                  /* destroydomain began: no new references to it */
	unsigned teardown_stage;        /* how far domain_destroy got (it continues) */
	mfn_t teardown_next;            /* the frame-table scan's position */
	unsigned teardown_calls;        /* domain_destroy calls so far (continuations + 1) */
	uint64_t teardown_start_ns;     /* when the first began (logged at the end) */
	/* common/sched_watchdog.c: SCHEDOP_watchdog */
#define WATCHDOG_TIMERS 2
	struct timer watchdog[WATCHDOG_TIMERS];
	uint8_t watchdog_inuse;         /* bit i: watchdog id i + 1 exists */
	/* common/domctl_attrs.c */
	int64_t time_offset;            /* seconds added to the wallclock it reads (settimeoffset) */
	uint8_t address_size;           /* set_address_size: 64 (0 until set) */
	uint32_t tsc_mode, tsc_khz, tsc_incarnation;   /* settscinfo (tsc_khz 0: the host's) */
	uint64_t node_affinity;         /* setnodeaffinity's map as given (0: never set) */
	/* Subsystems append their per-domain fields here, each with a comment. */
};

/* The live domain with this id, or NULL (also while it is being destroyed). */
struct domain *domain_lookup(domid_t id);
/*
 * Also a dying one: for what must still reach it to let go of its frames
 * (the last put of one of them, another domain's grant unmap).
 */
struct domain *domain_lookup_any(domid_t id);

/*
 * The domain a hypercall argument names: DOMID_SELF or an id (the caller's
 * own included). Xen's order of errors, for every hypercall that names a
 * domain: -XEN_ESRCH when no live domain has the id, then -XEN_EPERM when
 * it is another domain and the caller is not privileged (Xen's XSM_TARGET
 * default). *out is set on success and on -XEN_EPERM, for a sub-op whose
 * privilege check Xen makes later (evtchn_status: after the port check).
 */
static inline int domain_by_guest_id(struct domain *cur, domid_t id, struct domain **out)
{
	struct domain *d = id == DOMID_SELF || id == cur->domain_id ? cur : domain_lookup(id);

	if (!d)
		return -XEN_ESRCH;
	*out = d;
	return d == cur || cur->is_privileged ? 0 : -XEN_EPERM;
}
#define for_each_domain(d) for (struct domain *d = domain_list; d; d = d->next)
extern struct domain *domain_list;
/* Domain 0 once it exists: looked at on every return to a guest. */
extern struct domain *domain0;

/* The vCPU running on this CPU (NULL before the first guest runs). */
struct vcpu *current_vcpu(void);
void set_current_vcpu(struct vcpu *v);

/* common/vcpu.c: set up a vCPU's timers (domain_create). */
void vcpu_timers_init(struct vcpu *v);

/* Allocate a domain with its shared_info page and `max_vcpus` vCPUs. NULL on failure. */
struct domain *domain_create(domid_t id, unsigned max_vcpus, bool privileged);

/*
 * common/domain_teardown.c: XEN_DOMCTL_destroydomain. Stops d for good and
 * gives every frame it owns back, in steps: -XEN_ERESTART when
 * arch_hypercall_preempt_check() asked to stop (call again), 0 when done.
 * Done, d is freed and its id free, unless another domain still holds a
 * reference on one of its frames: then d stays in the list, dying, owning
 * those frames (a zombie, as on Xen), and a later call frees it once they
 * are gone. Never for the calling domain.
 */
int domain_destroy(struct domain *d);
/* Free what domain_create built (its failure path, and teardown's end). */
void domain_free(struct domain *d);
/*
 * A dying domain's frame was freed (page_free sets it): after the current
 * hypercall, when nothing holds a pointer to the domain any more,
 * domain_reap() frees each destroyed domain that no longer owns a frame
 * (as Xen frees a domain with its last page).
 */
extern bool domain_reap_pending;
void domain_reap(void);

/*
 * Bumped by every change the frame audit (audit.h) counts: a frame's
 * owner, count, type, type count or flags (common/page.c, page_type.c:
 * gets and puts, validation, pins, assignment and freeing; a page-table
 * entry or a grant mapping changing what it holds does so through them),
 * and a domain created or freed or its grant mappings torn down. The
 * audit's continuation (sysctl_audit.c) resumes only if it did not move:
 * then the counts so far, and the domain pointers it holds, are current.
 * Whoever changes such state without these functions bumps it too.
 */
extern uint64_t frame_changes;

/*
 * End a domain because of something it did that the ABI gives no way to
 * report: logs `why` after "Domain N crashed: " and, when the current vCPU
 * is d's (the one that did it), "dNvM: ", then shuts it down with
 * SHUTDOWN_crash (as Xen: a stopped domain keeps its first reason, and
 * resumedomain may run it again). Callers add no prefix of their own.
 */
void domain_crash(struct domain *d, const char *why, ...) PRINTF_LIKE(2, 3);

/* common/sched_watchdog.c: SCHEDOP_watchdog, and its timers stopped (teardown). */
int64_t sched_watchdog(struct vcpu *v, void *arg);
void watchdog_domain_destroy(struct domain *d);

/* SCHEDOP_shutdown: the guest stops itself. */
void domain_shutdown(struct domain *d, unsigned reason);

/*
 * XEN_DOMCTL_resumedomain: a domain shut down for any reason, a crash too,
 * runs again, its vCPUs where they stopped (a guest's SCHEDOP_shutdown
 * returns 0); a dying one only loses its shutdown state (its vCPUs are
 * down for good). Always 0, as Xen 4.17 (domctl.c refuses oneself).
 */
int domain_resume(struct domain *d);

/* Called when no domain is left to run: reports and stops the machine. */
void domain_all_done(void);

/* Small zeroed allocations for hypervisor objects (whole frames for now). */
void *xzalloc_bytes(size_t size);
void xfree_bytes(void *p, size_t size);
#define xzalloc(type) ((type *)xzalloc_bytes(sizeof(type)))
#define xfree(p) xfree_bytes((p), sizeof(*(p)))

#endif
