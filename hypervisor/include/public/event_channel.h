/*
 * public/event_channel.h - event_channel_op (#32): event channels.
 *
 * long event_channel_op(int cmd, void *arg)
 *
 * An event channel is a port (a small integer per domain) connected to an
 * event source: another domain's port (interdomain), a VIRQ, a physical
 * IRQ (pirq), or an IPI between the domain's own vCPUs.  Raising it sets a
 * pending bit the guest sees in shared memory and, unless masked, makes the
 * hypervisor deliver the event upcall (public/callback.h).
 *
 * Two ABIs exist for the pending/mask state:
 *   2-level: bits in shared_info.evtchn_pending/evtchn_mask plus the vCPU's
 *            evtchn_pending_sel; 4096 ports.  The default.
 *   FIFO:    per-vCPU control block and event-array pages registered with
 *            EVTCHNOP_init_control / EVTCHNOP_expand_array; 2^17 ports.
 *
 * Common errors: -EFAULT arg unreadable/unwritable; -ENOSYS unknown cmd;
 * -EINVAL port out of range or not in the needed state; -ESRCH unknown
 * domain; -EPERM domain other than self without privilege.
 * Ports are only ever passed by value inside the structures below.
 */
#ifndef PUBLIC_EVENT_CHANNEL_H
#define PUBLIC_EVENT_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t evtchn_port_t;

#define EVTCHNOP_bind_interdomain   0
#define EVTCHNOP_bind_virq          1
#define EVTCHNOP_bind_pirq          2
#define EVTCHNOP_close              3
#define EVTCHNOP_send               4
#define EVTCHNOP_status             5
#define EVTCHNOP_alloc_unbound      6
#define EVTCHNOP_bind_ipi           7
#define EVTCHNOP_bind_vcpu          8
#define EVTCHNOP_unmask             9
#define EVTCHNOP_reset             10
#define EVTCHNOP_init_control      11
#define EVTCHNOP_expand_array      12
#define EVTCHNOP_set_priority      13
#define EVTCHNOP_reset_cont        14

/*
 * EVTCHNOP_alloc_unbound: allocate a port in `dom` that `remote_dom` may
 * later bind with bind_interdomain.
 * Who: any domain for dom = DOMID_SELF; privileged for another dom.
 * Errors: -ENOSPC no free port; -ESRCH/-EPERM as above.
 */
struct evtchn_alloc_unbound {
	uint16_t dom;               /* IN: DOMID_SELF or a domain id */
	uint16_t remote_dom;        /* IN: who may connect */
	evtchn_port_t port;         /* OUT */
};

/*
 * EVTCHNOP_bind_interdomain: connect a new local port to remote_port of
 * remote_dom, which must be unbound and reserved for the caller.  A domain
 * may connect to its own unbound port (loopback).
 * Errors: -EINVAL remote port not unbound-for-us; -ENOSPC; -ESRCH.
 */
struct evtchn_bind_interdomain {
	uint16_t remote_dom;        /* IN */
	uint16_t _pad;
	evtchn_port_t remote_port;  /* IN */
	evtchn_port_t local_port;   /* OUT */
};

/*
 * EVTCHNOP_bind_virq: bind VIRQ `virq` (public/xen.h VIRQ_*) on `vcpu`.
 * Errors: -EINVAL bad virq, or a global VIRQ on a vCPU other than 0;
 *   -ENOENT vcpu does not exist; -EEXIST already bound on that vCPU.
 */
struct evtchn_bind_virq {
	uint32_t virq;              /* IN */
	uint32_t vcpu;              /* IN */
	evtchn_port_t port;         /* OUT */
};

/* EVTCHNOP_bind_pirq: bind a physical IRQ (privileged / permitted pirqs). */
#define BIND_PIRQ__WILL_SHARE   1
struct evtchn_bind_pirq {
	uint32_t pirq;              /* IN */
	uint32_t flags;             /* IN: BIND_PIRQ__* */
	evtchn_port_t port;         /* OUT */
};

/* EVTCHNOP_bind_ipi: a port for IPIs delivered to `vcpu`.
 * Errors: -ENOENT vcpu does not exist; -ENOSPC. */
struct evtchn_bind_ipi {
	uint32_t vcpu;              /* IN */
	evtchn_port_t port;         /* OUT */
};

/* EVTCHNOP_close: close a port (the remote end of an interdomain channel
 * becomes unbound again).  Errors: -EINVAL port out of range. */
struct evtchn_close {
	evtchn_port_t port;         /* IN */
};

/* EVTCHNOP_send: raise the event at the other end of the port (the port
 * itself for IPIs).  Errors: -EINVAL port not in a sendable state. */
struct evtchn_send {
	evtchn_port_t port;         /* IN */
};

/*
 * EVTCHNOP_status: describe a port of `dom` (self, or any with privilege).
 */
#define EVTCHNSTAT_closed       0
#define EVTCHNSTAT_unbound      1
#define EVTCHNSTAT_interdomain  2
#define EVTCHNSTAT_pirq         3
#define EVTCHNSTAT_virq         4
#define EVTCHNSTAT_ipi          5
struct evtchn_status {
	uint16_t dom;               /* IN */
	uint16_t _pad;
	evtchn_port_t port;         /* IN */
	uint32_t status;            /* OUT: EVTCHNSTAT_* */
	uint32_t vcpu;              /* OUT: vCPU the port is bound to */
	union {
		struct { uint16_t dom; } unbound;           /* remote domain */
		struct {
			uint16_t dom;
			uint16_t _pad;
			evtchn_port_t port;
		} interdomain;
		uint32_t pirq;
		uint32_t virq;
	} u;                        /* OUT */
};

/* EVTCHNOP_bind_vcpu: deliver the port's events to `vcpu` from now on.
 * Errors: -EINVAL port is a per-vCPU VIRQ or IPI port; -ENOENT vcpu. */
struct evtchn_bind_vcpu {
	evtchn_port_t port;         /* IN */
	uint32_t vcpu;              /* IN */
};

/* EVTCHNOP_unmask: clear the mask of a port and re-raise it if pending.
 * Errors: -EINVAL port out of range. */
struct evtchn_unmask {
	evtchn_port_t port;         /* IN */
};

/* EVTCHNOP_reset / reset_cont: close every port of `dom` (self or with
 * privilege) and return to the 2-level ABI. */
struct evtchn_reset {
	uint16_t dom;               /* IN */
};

/*
 * EVTCHNOP_init_control: switch the domain to the FIFO ABI (first call) and
 * register `vcpu`'s control block at control_gfn + offset.
 * Errors: -EINVAL bad offset or vcpu; -EEXIST already registered;
 *   -ENOSYS FIFO not offered (the guest then stays with 2-level).
 */
struct evtchn_init_control {
	uint64_t control_gfn;       /* IN: frame of the control block */
	uint32_t offset;            /* IN: byte offset, 8-byte aligned */
	uint32_t vcpu;              /* IN */
	uint8_t  link_bits;         /* OUT: bits in the LINK field (17) */
	uint8_t  _pad[7];
};

/* EVTCHNOP_expand_array: add one page (1024 event words) to the FIFO event
 * array.  Errors: -ENOSPC array full; -EINVAL FIFO not initialised. */
struct evtchn_expand_array {
	uint64_t array_gfn;         /* IN */
};

/* EVTCHNOP_set_priority: FIFO queue of a port (0 highest .. 15).
 * Errors: -EINVAL priority out of range; -ENOSYS under 2-level. */
struct evtchn_set_priority {
	evtchn_port_t port;         /* IN */
	uint32_t priority;          /* IN */
};

/* ---- FIFO ABI shared structures ------------------------------------- */
#define EVTCHN_FIFO_PRIORITY_MAX      0
#define EVTCHN_FIFO_PRIORITY_DEFAULT  7
#define EVTCHN_FIFO_PRIORITY_MIN     15
#define EVTCHN_FIFO_MAX_QUEUES       (EVTCHN_FIFO_PRIORITY_MIN + 1)

typedef uint32_t event_word_t;
#define EVTCHN_FIFO_PENDING     31
#define EVTCHN_FIFO_MASKED      30
#define EVTCHN_FIFO_LINKED      29
#define EVTCHN_FIFO_BUSY        28
#define EVTCHN_FIFO_LINK_BITS   17
#define EVTCHN_FIFO_LINK_MASK   ((1u << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS (1u << EVTCHN_FIFO_LINK_BITS)
#define EVTCHN_FIFO_EVENT_WORDS_PER_PAGE  1024

struct evtchn_fifo_control_block {
	uint32_t ready;             /* bit q: queue q has events */
	uint32_t _rsvd;
	uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};

/* Old single-argument form (event_channel_op_compat, #16). */
struct evtchn_op {
	uint32_t cmd;
	union {
		struct evtchn_alloc_unbound alloc_unbound;
		struct evtchn_bind_interdomain bind_interdomain;
		struct evtchn_bind_virq bind_virq;
		struct evtchn_bind_pirq bind_pirq;
		struct evtchn_bind_ipi bind_ipi;
		struct evtchn_close close;
		struct evtchn_send send;
		struct evtchn_status status;
		struct evtchn_bind_vcpu bind_vcpu;
		struct evtchn_unmask unmask;
	} u;
};

_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "alloc_unbound");
_Static_assert(offsetof(struct evtchn_alloc_unbound, port) == 4, "au port");
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12, "bind_interdomain");
_Static_assert(offsetof(struct evtchn_bind_interdomain, remote_port) == 4, "bi rport");
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "bind_virq");
_Static_assert(sizeof(struct evtchn_bind_pirq) == 12, "bind_pirq");
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "bind_ipi");
_Static_assert(sizeof(struct evtchn_status) == 24, "status");
_Static_assert(offsetof(struct evtchn_status, u) == 16, "status u");
_Static_assert(offsetof(struct evtchn_status, u.interdomain.port) == 20, "st port");
_Static_assert(sizeof(struct evtchn_bind_vcpu) == 8, "bind_vcpu");
_Static_assert(sizeof(struct evtchn_init_control) == 24, "init_control");
_Static_assert(offsetof(struct evtchn_init_control, link_bits) == 16, "link_bits");
_Static_assert(sizeof(struct evtchn_expand_array) == 8, "expand_array");
_Static_assert(sizeof(struct evtchn_set_priority) == 8, "set_priority");
_Static_assert(sizeof(struct evtchn_fifo_control_block) == 72, "fifo cb");
_Static_assert(sizeof(struct evtchn_op) == 28, "evtchn_op");
_Static_assert(offsetof(struct evtchn_op, u) == 4, "evtchn_op u");

#endif /* PUBLIC_EVENT_CHANNEL_H */
