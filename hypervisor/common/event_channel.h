/*
 * Private to the event-channel subsystem: event_channel.c (ports and their
 * states, the hypercall), event_2l.c and event_fifo.c (the two ABIs for the
 * pending and mask state the guest sees). Nothing else includes this file.
 *
 * A port is a slot in the domain's port table. Its state says what raises it:
 *
 *   FREE ──alloc_unbound──▶ UNBOUND ──peer's bind_interdomain──▶ INTERDOMAIN
 *     │                        ▲                                    │
 *     │                        └───── the peer closes its end ──────┘
 *     ├──bind_virq──▶ VIRQ        ├──bind_ipi──▶ IPI
 *     └──bind_interdomain──▶ INTERDOMAIN (our end of the peer's UNBOUND port)
 *   close (or reset, or domain destruction) returns any of them to FREE.
 *   Port 0 is RESERVED for ever, so 0 can mean "no port" (virq_to_port,
 *   start_info.store_evtchn). PIRQ ports are bound by event_pirq.c
 *   (bind_pirq) to a physical interrupt the domain mapped (pirq.h).
 *
 * Locking: every CPU runs hypercalls under the big lock with interrupts off
 * (docs/locking.md), which protects every field of struct evtchn_domain and
 * of its ports; nothing here takes a lock of its own. Should the big lock be
 * split, a per-domain event lock would be taken by operations on two domains
 * (bind_interdomain, close and send of an interdomain port) lower domain id
 * first. The guest-shared words (bitmaps, FIFO event words) are changed only
 * with atomic operations, since the guest writes them concurrently.
 */
#ifndef COMMON_EVENT_CHANNEL_H
#define COMMON_EVENT_CHANNEL_H

#include <domain.h>
#include <event.h>
#include <public/event_channel.h>

enum evtchn_state {
	ECS_FREE,
	ECS_RESERVED,           /* port 0 */
	ECS_UNBOUND,            /* waiting for u.unbound_remote to bind it */
	ECS_INTERDOMAIN,        /* connected to u.interdomain */
	ECS_PIRQ,               /* raised by a physical interrupt: u.pirq (event_pirq.c) */
	ECS_VIRQ,               /* raised by the hypervisor: u.virq */
	ECS_IPI,                /* raised by the domain itself (send) */
};

struct evtchn {
	evtchn_port_t port;     /* our own index, for the ABI code */
	uint8_t state;          /* enum evtchn_state */
	uint8_t priority;       /* FIFO queue it is linked on next (0 highest) */
	uint8_t last_priority;  /* FIFO queue it was last linked on */
	bool fifo_pending;      /* FIFO: raised while its event-array page was missing */
	uint16_t notify_vcpu;   /* vCPU whose upcall it raises */
	uint16_t last_vcpu;     /* FIFO: vCPU whose queue it was last linked on */
	union {
		domid_t unbound_remote;           /* UNBOUND: who may bind it */
		struct {
			struct domain *dom;       /* INTERDOMAIN: the peer, whose port */
			evtchn_port_t port;       /*   points back at us */
		} interdomain;
		uint32_t virq;                    /* VIRQ */
		uint32_t pirq;                    /* PIRQ */
	} u;
};

/* The port table grows a page of ports at a time (ports_per_page). */
#define EVTCHN_PAGE_SHIFT   7
#define EVTCHNS_PER_PAGE    (1u << EVTCHN_PAGE_SHIFT)
_Static_assert(sizeof(struct evtchn) * EVTCHNS_PER_PAGE <= FRAME_SIZE, "ports per page");

/*
 * Ports become valid in groups of EVTCHN_GROW, as Xen's buckets do: a port
 * beyond the last group ever allocated is "out of range" (-EINVAL) for
 * status/close/unmask, while a never-used port inside it reads as closed.
 */
#define EVTCHN_GROW         64u

/* Reset and destruction ask whether to yield once per this many ports (Xen's 64). */
#define EVTCHN_PREEMPT_STRIDE 64u

/* Largest port counts of the two ABIs. */
#define EVTCHN_2L_NR_PORTS  EVTCHN_2L_NR_CHANNELS
#define EVTCHN_MAX_PORTS    EVTCHN_FIFO_NR_CHANNELS
#define EVTCHN_FIFO_MAX_PAGES (EVTCHN_FIFO_NR_CHANNELS / EVTCHN_FIFO_EVENT_WORDS_PER_PAGE)

/* Per-vCPU FIFO state: where its control block is and each queue's tail. */
struct evtchn_fifo_vcpu {
	struct evtchn_fifo_control_block *control_block;  /* NULL: not registered */
	evtchn_port_t tail[EVTCHN_FIFO_MAX_QUEUES];       /* 0: queue empty as far as we know */
};

struct evtchn_vcpu {
	evtchn_port_t virq_to_port[NR_VIRQS];   /* 0: not bound; global VIRQs live on vCPU 0 */
	struct evtchn_fifo_vcpu fifo;
};

/*
 * How the pending and mask state is kept in guest memory: one table per ABI.
 * Every hook is O(1) in the number of ports.
 */
struct evtchn_port_ops {
	const char *name;
	uint32_t nr_ports;                      /* ports the ABI can name */
	/* A port has just been bound (FIFO: default priority). */
	void (*init)(struct domain *d, struct evtchn *chn);
	/* Raise chn towards vCPU v (the port's notify vCPU). */
	void (*set_pending)(struct vcpu *v, struct evtchn *chn);
	void (*clear_pending)(struct domain *d, struct evtchn *chn);
	/* EVTCHNOP_unmask: clear the mask and re-raise if it is pending. */
	void (*unmask)(struct domain *d, struct evtchn *chn);
	bool (*is_pending)(struct domain *d, const struct evtchn *chn);
	bool (*is_masked)(struct domain *d, const struct evtchn *chn);
	/* May the port not be reused yet (FIFO: still linked on a queue)? */
	bool (*is_busy)(struct domain *d, const struct evtchn *chn);
	/* 0, or -XEN_EINVAL for a bad priority; NULL: -XEN_ENOSYS (2-level). */
	int (*set_priority)(struct domain *d, struct evtchn *chn, unsigned priority);
};

extern const struct evtchn_port_ops evtchn_port_ops_2l;
extern const struct evtchn_port_ops evtchn_port_ops_fifo;

struct evtchn_domain {
	struct evtchn **pages;          /* [nr_page_slots]: ports p are in pages[p >> SHIFT] */
	uint32_t nr_page_slots;
	uint32_t valid_ports;           /* ports [0, valid_ports) exist */
	uint32_t max_port;              /* the configured limit (evtchn_set_max_port) */
	uint32_t free_hint;             /* no port below it is free */
	uint32_t active_ports;          /* ports not FREE: for the docs' statistics */
	uint32_t reset_next;            /* EVTCHNOP_reset in progress: next port; 0 none */
	uint32_t destroy_next;          /* evtchn_domain_destroy: next port to close */
	const struct evtchn_port_ops *ops;
	struct evtchn_vcpu *vcpus;      /* [nr_vcpus] */
	uint32_t nr_vcpus;
	/* FIFO: the event array, one guest frame per 1024 ports. */
	event_word_t *event_array[EVTCHN_FIFO_MAX_PAGES];
	uint32_t fifo_nr_words;         /* 0 while the domain uses 2-level */
	bool fifo;
};

static inline struct evtchn *evtchn_from_port(struct domain *d, evtchn_port_t port)
{
	return &d->evtchn->pages[port >> EVTCHN_PAGE_SHIFT][port & (EVTCHNS_PER_PAGE - 1)];
}

/*
 * A port that exists. The table never shrinks, so after a reset from FIFO
 * back to 2-level ports above what 2-level can name still exist (Xen 4.17
 * answers status and unmask for them too): every ABI hook must check the
 * port against the words it has before indexing them (event_2l.c). Bound
 * ports are always below ops->nr_ports: bind allocates below port_limit(),
 * and reset leaves FIFO only with nothing bound.
 */
static inline bool port_is_valid(struct domain *d, evtchn_port_t port)
{
	return d->evtchn && port < d->evtchn->valid_ports;
}

static inline struct evtchn_vcpu *evtchn_vcpu(struct vcpu *v)
{
	return &v->domain->evtchn->vcpus[v->vcpu_id];
}

/* The vCPU a port notifies (always exists: bind checks it). */
static inline struct vcpu *notify_vcpu(struct domain *d, const struct evtchn *chn)
{
	return d->vcpus[chn->notify_vcpu];
}

/* Raise chn of d through the domain's ABI (the one path every event takes). */
void evtchn_port_set_pending(struct domain *d, struct evtchn *chn);

/* Set v's upcall flag; true if it was clear (and v was kicked). */
bool evtchn_mark_upcall(struct vcpu *v);

/* Wake vCPUs of d sitting in SCHEDOP_poll: port became pending. */
void evtchn_check_pollers(struct domain *d, evtchn_port_t port);

/* Atomic bit operations on guest-shared words (the guest changes them too). */
static inline bool guest_test_and_set_bit(unsigned bit, volatile uint64_t *words)
{
	uint64_t m = 1ULL << (bit % 64);
	return __atomic_fetch_or(&words[bit / 64], m, __ATOMIC_SEQ_CST) & m;
}

static inline bool guest_test_and_clear_bit(unsigned bit, volatile uint64_t *words)
{
	uint64_t m = 1ULL << (bit % 64);
	return __atomic_fetch_and(&words[bit / 64], ~m, __ATOMIC_SEQ_CST) & m;
}

static inline bool guest_test_bit(unsigned bit, const volatile uint64_t *words)
{
	return (__atomic_load_n(&words[bit / 64], __ATOMIC_SEQ_CST) >> (bit % 64)) & 1;
}

/* For event_pirq.c: the lowest free port (not taken yet); take it into `state`. */
int evtchn_get_free_port(struct domain *d, evtchn_port_t *port);
void evtchn_port_bind(struct domain *d, struct evtchn *chn, enum evtchn_state state, unsigned vcpu);
/* A PIRQ port is being closed (event_pirq.c): stop its interrupt. */
void evtchn_pirq_close(struct domain *d, struct evtchn *chn);

/* FIFO: the ABI switch and teardown (event_fifo.c). */
void evtchn_fifo_destroy(struct domain *d);

#endif
