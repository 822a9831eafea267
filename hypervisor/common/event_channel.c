/*
 * Event channels: the per-domain port table, the state of each port, and
 * the operations that move ports between states (event_channel.h draws the
 * state machine). How "pending" and "masked" look to the guest is the ABI's
 * business: event_2l.c (bitmaps in shared_info) or event_fifo.c (queues in
 * guest frames), reached through d->evtchn->ops.
 *
 * The rules follow Xen 4.17, which Linux and the tools were written against
 * (docs/event-channels.md lists where we differ and why):
 *  - ports are handed out lowest first, port 0 never;
 *  - an interdomain channel is made in two steps: one side allocates an
 *    UNBOUND port naming who may connect, the other binds to it; closing
 *    either end returns the other to UNBOUND, naming the closer;
 *  - the side that binds gets its new port raised at once, since sends to
 *    an unbound port are dropped silently and one may have been lost;
 *  - a domain other than DOMID_SELF needs privilege (alloc_unbound,
 *    status, reset);
 *  - each VIRQ is bound at most once per vCPU; a global VIRQ once per
 *    domain, on vCPU 0.
 * Every raise is O(1): the port table is two-level, the peer of an
 * interdomain port is a pointer, and the ABI code touches only the port's
 * own words. Allocation scans from a hint below which no port is free, so
 * filling the table costs O(ports) in total.
 */
#include "event_channel.h"
#include <console.h>
#include <pirq.h>
#include <hypercall.h>
#include <sched.h>
#include <wake_stats.h>
#include <public/errno.h>

#define NR_PAGE_SLOTS (EVTCHN_MAX_PORTS / EVTCHNS_PER_PAGE)

/* ---- Domains and vCPUs as the operations name them ---------------------- */

/*
 * `dom` as a guest names it (domain_by_guest_id): 0, -XEN_EPERM (another
 * domain, no privilege: *d is set) or -XEN_ESRCH, also for a domain without
 * event channels.
 */
static int domain_ports(struct domain *cur, domid_t dom, struct domain **d)
{
	int rc = domain_by_guest_id(cur, dom, d);

	return rc == -XEN_ESRCH || !(*d)->evtchn ? -XEN_ESRCH : rc;
}

static struct vcpu *domain_vcpu(struct domain *d, uint32_t id)
{
	return id < d->max_vcpus ? d->vcpus[id] : NULL;
}

bool evtchn_virq_is_global(unsigned virq)
{
	switch (virq) {
	case VIRQ_TIMER:
	case VIRQ_DEBUG:
	case VIRQ_XENOPROF:
	case VIRQ_XENPMU:
		return false;
	default:
		/* every other number, arch VIRQs included, is global on x86 */
		return virq < NR_VIRQS;
	}
}

/* ---- The port table ---------------------------------------------------- */

/* One past the highest port d may allocate now: its limit and its ABI's. */
static uint32_t port_limit(struct domain *d)
{
	struct evtchn_domain *e = d->evtchn;

	return (uint32_t)MIN((uint64_t)e->max_port + 1, (uint64_t)e->ops->nr_ports);
}

/* Make the next EVTCHN_GROW ports exist. 0 or -XEN_ENOMEM. */
static int grow_table(struct domain *d)
{
	struct evtchn_domain *e = d->evtchn;
	uint32_t slot = e->valid_ports >> EVTCHN_PAGE_SHIFT;

	if (!e->pages[slot]) {
		struct evtchn *page = xzalloc_bytes(FRAME_SIZE);

		if (!page)
			return -XEN_ENOMEM;
		for (uint32_t i = 0; i < EVTCHNS_PER_PAGE; i++) {
			page[i].port = (slot << EVTCHN_PAGE_SHIFT) + i;
			page[i].priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
			page[i].last_priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
		}
		e->pages[slot] = page;
	}
	e->valid_ports += EVTCHN_GROW;
	return 0;
}

/*
 * The lowest free port of d, growing the table if needed. Nothing is taken:
 * the caller binds it with port_bind() once all its checks have passed.
 * 0, -XEN_ENOSPC (limit reached) or -XEN_ENOMEM.
 */
static int get_free_port(struct domain *d, evtchn_port_t *out)
{
	struct evtchn_domain *e = d->evtchn;
	uint32_t limit = port_limit(d);

	for (uint32_t p = e->free_hint; p < limit; p++) {
		struct evtchn *chn;

		if (p >= e->valid_ports) {
			int rc = grow_table(d);
			if (rc)
				return rc;
		}
		chn = evtchn_from_port(d, p);
		if (chn->state != ECS_FREE) {
			if (p == e->free_hint)
				e->free_hint = p + 1;   /* still true: nothing free below */
			continue;
		}
		if (e->ops->is_busy(d, chn))
			continue;   /* FIFO: still linked on a queue the guest walks */
		*out = p;
		return 0;
	}
	return -XEN_ENOSPC;
}

/* Take a free port into `state`, raising `vcpu`'s upcall from now on. */
static void port_bind(struct domain *d, struct evtchn *chn, enum evtchn_state state, unsigned vcpu)
{
	struct evtchn_domain *e = d->evtchn;

	chn->state = state;
	chn->notify_vcpu = vcpu;
	e->active_ports++;
	if (chn->port == e->free_hint)
		e->free_hint++;
	e->ops->init(d, chn);
}

/* For event_pirq.c, which binds ports of its own kind. */
int evtchn_get_free_port(struct domain *d, evtchn_port_t *port)
{
	return get_free_port(d, port);
}

void evtchn_port_bind(struct domain *d, struct evtchn *chn, enum evtchn_state state, unsigned vcpu)
{
	port_bind(d, chn, state, vcpu);
}

/* Back to FREE: nothing of the old binding may show through when reused. */
static void port_free(struct domain *d, struct evtchn *chn)
{
	struct evtchn_domain *e = d->evtchn;

	e->ops->clear_pending(d, chn);
	chn->state = ECS_FREE;
	chn->notify_vcpu = 0;
	memset(&chn->u, 0, sizeof(chn->u));
	e->active_ports--;
	if (chn->port < e->free_hint)
		e->free_hint = chn->port;
}

/* ---- Raising events ----------------------------------------------------- */

bool evtchn_mark_upcall(struct vcpu *v)
{
	/* a vCPU beyond the legacy 32 has no vcpu_info until it registers one */
	if (!v->vcpu_info)
		return false;
	if (__atomic_exchange_n(&v->vcpu_info->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST))
		return false;   /* already pending: it was kicked then */
	wake_stats_count(&wake_stats.upcalls_marked);
	vcpu_kick(v);
	return true;
}

void vcpu_mark_events_pending(struct vcpu *v)
{
	evtchn_mark_upcall(v);
}

/*
 * A port of d became pending without kicking its vCPU (masked, or the
 * selector or upcall flag was already set). A vCPU in SCHEDOP_poll, with
 * upcalls masked, waits for exactly that: wake every poller of d (as Xen
 * does; sched.c re-checks its ports). At most max_vcpus steps, and only
 * for a port that was not pending before.
 */
void evtchn_check_pollers(struct domain *d, evtchn_port_t port)
{
	for (unsigned i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		if (v && v->polling)
			vcpu_kick(v);
	}
}

void evtchn_port_set_pending(struct domain *d, struct evtchn *chn)
{
	d->evtchn->ops->set_pending(notify_vcpu(d, chn), chn);
}

void evtchn_send_virq(struct vcpu *v, unsigned virq)
{
	struct domain *d = v->domain;
	evtchn_port_t port;

	if (virq >= NR_VIRQS || evtchn_virq_is_global(virq) || !d->evtchn)
		return;
	port = evtchn_vcpu(v)->virq_to_port[virq];
	if (port)
		evtchn_port_set_pending(d, evtchn_from_port(d, port));
}

void evtchn_send_global_virq(struct domain *d, unsigned virq)
{
	evtchn_port_t port;

	if (!evtchn_virq_is_global(virq) || !d->evtchn)
		return;
	port = d->evtchn->vcpus[0].virq_to_port[virq];
	if (port)   /* bind_vcpu may have moved it off vCPU 0 */
		evtchn_port_set_pending(d, evtchn_from_port(d, port));
}

int evtchn_raise(struct domain *d, evtchn_port_t port)
{
	if (!port_is_valid(d, port))
		return -XEN_EINVAL;
	evtchn_port_set_pending(d, evtchn_from_port(d, port));
	return 0;
}

/* SCHEDOP_poll names ports by the ABI's range, as Xen checks them. */
bool evtchn_port_valid(struct domain *d, uint32_t port)
{
	return d->evtchn && port < d->evtchn->ops->nr_ports;
}

bool evtchn_port_pending(struct domain *d, uint32_t port)
{
	return port_is_valid(d, port) &&
	       d->evtchn->ops->is_pending(d, evtchn_from_port(d, port));
}

/* ---- Allocating and binding --------------------------------------------- */

int evtchn_alloc_unbound_for(struct domain *d, domid_t remote, evtchn_port_t *port)
{
	struct evtchn *chn;
	int rc = get_free_port(d, port);

	if (rc)
		return rc;
	chn = evtchn_from_port(d, *port);
	chn->u.unbound_remote = remote;
	port_bind(d, chn, ECS_UNBOUND, 0);
	return 0;
}

int evtchn_alloc_unbound(struct domain *cur, struct evtchn_alloc_unbound *a)
{
	struct domain *d;
	domid_t remote = a->remote_dom == DOMID_SELF ? cur->domain_id : a->remote_dom;
	int rc = domain_ports(cur, a->dom, &d);

	if (rc)
		return rc;
	return evtchn_alloc_unbound_for(d, remote, &a->port);
}

int evtchn_bind_interdomain(struct domain *cur, struct evtchn_bind_interdomain *b)
{
	domid_t rid = b->remote_dom == DOMID_SELF ? cur->domain_id : b->remote_dom;
	struct domain *rd;
	struct evtchn *lchn, *rchn;
	evtchn_port_t lport;
	int rc;

	/* any domain may offer us a port: no privilege needed to name it */
	if (domain_ports(cur, rid, &rd) == -XEN_ESRCH)
		return -XEN_ESRCH;
	rc = get_free_port(cur, &lport);
	if (rc)
		return rc;
	if (!port_is_valid(rd, b->remote_port))
		return -XEN_EINVAL;
	rchn = evtchn_from_port(rd, b->remote_port);
	if (rchn->state != ECS_UNBOUND || rchn->u.unbound_remote != cur->domain_id)
		return -XEN_EINVAL;   /* not offered to us */

	lchn = evtchn_from_port(cur, lport);
	lchn->u.interdomain.dom = rd;
	lchn->u.interdomain.port = b->remote_port;
	port_bind(cur, lchn, ECS_INTERDOMAIN, 0);
	rchn->state = ECS_INTERDOMAIN;
	rchn->u.interdomain.dom = cur;
	rchn->u.interdomain.port = lport;
	/* sends to the unbound port were dropped: assume one was, as Xen does */
	evtchn_port_set_pending(cur, lchn);
	b->local_port = lport;
	return 0;
}

int evtchn_bind_virq(struct domain *cur, struct evtchn_bind_virq *b)
{
	struct vcpu *v;
	struct evtchn *chn;
	evtchn_port_t port;
	int rc;

	if (b->virq >= NR_VIRQS)
		return -XEN_EINVAL;
	if (evtchn_virq_is_global(b->virq) && b->vcpu != 0)
		return -XEN_EINVAL;
	v = domain_vcpu(cur, b->vcpu);
	if (!v)
		return -XEN_ENOENT;
	if (evtchn_vcpu(v)->virq_to_port[b->virq])
		return -XEN_EEXIST;
	rc = get_free_port(cur, &port);
	if (rc)
		return rc;
	chn = evtchn_from_port(cur, port);
	chn->u.virq = b->virq;
	port_bind(cur, chn, ECS_VIRQ, b->vcpu);
	evtchn_vcpu(v)->virq_to_port[b->virq] = port;
	b->port = port;
	return 0;
}

int evtchn_bind_ipi(struct domain *cur, struct evtchn_bind_ipi *b)
{
	struct evtchn *chn;
	evtchn_port_t port;
	int rc;

	if (!domain_vcpu(cur, b->vcpu))
		return -XEN_ENOENT;
	rc = get_free_port(cur, &port);
	if (rc)
		return rc;
	chn = evtchn_from_port(cur, port);
	port_bind(cur, chn, ECS_IPI, b->vcpu);
	b->port = port;
	return 0;
}

/* ---- Closing ------------------------------------------------------------ */

/* Close a bound port of d (state checked by the caller). */
static void close_port(struct domain *d, struct evtchn *chn)
{
	switch (chn->state) {
	case ECS_VIRQ: {
		/* a global VIRQ is recorded on vCPU 0 wherever bind_vcpu moved it */
		unsigned owner = evtchn_virq_is_global(chn->u.virq) ? 0 : chn->notify_vcpu;
		d->evtchn->vcpus[owner].virq_to_port[chn->u.virq] = 0;
		break;
	}
	case ECS_INTERDOMAIN: {
		struct domain *rd = chn->u.interdomain.dom;
		struct evtchn *rchn = evtchn_from_port(rd, chn->u.interdomain.port);

		BUG_ON(rchn->state != ECS_INTERDOMAIN || rchn->u.interdomain.dom != d ||
		       rchn->u.interdomain.port != chn->port);
		/* the peer may connect again: to us, as before */
		rchn->state = ECS_UNBOUND;
		memset(&rchn->u, 0, sizeof(rchn->u));
		rchn->u.unbound_remote = d->domain_id;
		break;
	}
	case ECS_PIRQ:
		evtchn_pirq_close(d, chn);
		break;
	default:
		break;
	}
	port_free(d, chn);
}

int evtchn_close(struct domain *cur, evtchn_port_t port)
{
	struct evtchn *chn;

	if (!port_is_valid(cur, port))
		return -XEN_EINVAL;
	chn = evtchn_from_port(cur, port);
	if (chn->state == ECS_FREE || chn->state == ECS_RESERVED)
		return -XEN_EINVAL;
	close_port(cur, chn);
	return 0;
}

/*
 * Close the bound ports of d from *next on, until the last or, when
 * `preemptible`, until arch_hypercall_preempt_check() says stop; it is asked
 * every EVTCHN_PREEMPT_STRIDE port numbers (free ones included, so a call
 * costs at most that many steps past its budget). *next is where to go on.
 * True when every port was visited. Ports bound below *next meanwhile stay
 * open, as on Xen.
 */
static bool close_ports_from(struct domain *d, uint32_t *next, bool preemptible)
{
	uint32_t p = *next ? *next : 1;

	for (; p < d->evtchn->valid_ports; p++) {
		struct evtchn *chn = evtchn_from_port(d, p);

		if (chn->state != ECS_FREE && chn->state != ECS_RESERVED)
			close_port(d, chn);
		if (preemptible && (p % EVTCHN_PREEMPT_STRIDE) == 0 && arch_hypercall_preempt_check()) {
			*next = p + 1;
			return false;
		}
	}
	*next = p;
	return true;
}

void evtchn_close_all(struct domain *d)
{
	uint32_t next = 1;

	if (!d->evtchn)
		return;
	close_ports_from(d, &next, false);
	d->evtchn->reset_next = 0;
	evtchn_fifo_destroy(d);
}

/*
 * Xen resets another domain only while it is paused by its controller; we
 * have no pause yet, so a domain that is not running stands for it.
 * TODO(#5): the toolstack's pause, once domctl exists.
 *
 * A long reset stops with -XEN_ERESTART and e->reset_next saying where it
 * got to; the guest re-issues it as EVTCHNOP_reset_cont (event_channel_op.c),
 * as on Xen: a reset while one is in progress, or a reset_cont without one,
 * is -XEN_EBUSY.
 *
 * Ports bound while it was stopped got numbers below the cursor and stay
 * open; then the reset ends with -XEN_EAGAIN and the ABI is left as it is,
 * as Xen 4.17 does: under FIFO they may be above the 4096 ports 2-level can
 * name (port_is_valid).
 */
int evtchn_reset(struct domain *cur, domid_t dom, bool resuming)
{
	struct domain *d;
	struct evtchn_domain *e;
	int rc = domain_ports(cur, dom, &d);

	if (rc)
		return rc;
	if (d != cur && d->state == DOMAIN_RUNNING)
		return -XEN_EINVAL;
	e = d->evtchn;
	if (resuming ? !e->reset_next : e->reset_next)
		return -XEN_EBUSY;
	if (!resuming)
		e->reset_next = 1;
	if (!close_ports_from(d, &e->reset_next, true))
		return -XEN_ERESTART;
	e->reset_next = 0;
	if (e->active_ports)
		return -XEN_EAGAIN;
	evtchn_fifo_destroy(d);   /* back to 2-level */
	return 0;
}

/* ---- Sending, status, vCPU and mask ------------------------------------- */

int evtchn_send(struct domain *cur, evtchn_port_t port)
{
	struct evtchn *chn;

	if (!port_is_valid(cur, port))
		return -XEN_EINVAL;
	chn = evtchn_from_port(cur, port);
	switch (chn->state) {
	case ECS_INTERDOMAIN: {
		struct domain *rd = chn->u.interdomain.dom;
		evtchn_port_set_pending(rd, evtchn_from_port(rd, chn->u.interdomain.port));
		return 0;
	}
	case ECS_IPI:
		evtchn_port_set_pending(cur, chn);
		return 0;
	case ECS_UNBOUND:
		return 0;   /* nobody to tell: dropped, as on Xen (bind re-raises) */
	default:
		return -XEN_EINVAL;
	}
}

int evtchn_status(struct domain *cur, struct evtchn_status *s)
{
	struct domain *d;
	struct evtchn *chn;
	int rc = domain_ports(cur, s->dom, &d);

	if (rc == -XEN_ESRCH)
		return rc;
	if (!port_is_valid(d, s->port))
		return -XEN_EINVAL;
	if (rc)
		return rc;   /* -XEN_EPERM after the port check, as Xen */
	chn = evtchn_from_port(d, s->port);
	memset(&s->u, 0, sizeof(s->u));
	switch (chn->state) {
	case ECS_UNBOUND:
		s->status = EVTCHNSTAT_unbound;
		s->u.unbound.dom = chn->u.unbound_remote;
		break;
	case ECS_INTERDOMAIN:
		s->status = EVTCHNSTAT_interdomain;
		s->u.interdomain.dom = chn->u.interdomain.dom->domain_id;
		s->u.interdomain.port = chn->u.interdomain.port;
		break;
	case ECS_PIRQ:
		s->status = EVTCHNSTAT_pirq;
		s->u.pirq = chn->u.pirq;
		break;
	case ECS_VIRQ:
		s->status = EVTCHNSTAT_virq;
		s->u.virq = chn->u.virq;
		break;
	case ECS_IPI:
		s->status = EVTCHNSTAT_ipi;
		break;
	default:   /* FREE, RESERVED */
		s->status = EVTCHNSTAT_closed;
		break;
	}
	s->vcpu = chn->notify_vcpu;
	return 0;
}

int evtchn_bind_vcpu(struct domain *cur, evtchn_port_t port, uint32_t vcpu)
{
	struct evtchn *chn;

	if (!domain_vcpu(cur, vcpu))
		return -XEN_ENOENT;
	if (!port_is_valid(cur, port))
		return -XEN_EINVAL;
	chn = evtchn_from_port(cur, port);
	switch (chn->state) {
	case ECS_VIRQ:
		if (!evtchn_virq_is_global(chn->u.virq))
			return -XEN_EINVAL;   /* per-vCPU by definition */
		break;
	case ECS_UNBOUND:
	case ECS_INTERDOMAIN:
	case ECS_PIRQ:
		break;
	default:
		return -XEN_EINVAL;   /* IPIs name their vCPU; free ports have none */
	}
	chn->notify_vcpu = vcpu;
	return 0;
}

int evtchn_unmask(struct domain *cur, evtchn_port_t port)
{
	if (!port_is_valid(cur, port))
		return -XEN_EINVAL;
	cur->evtchn->ops->unmask(cur, evtchn_from_port(cur, port));
	return 0;
}

int evtchn_set_priority(struct domain *cur, evtchn_port_t port, uint32_t priority)
{
	if (!port_is_valid(cur, port))
		return -XEN_EINVAL;
	if (!cur->evtchn->ops->set_priority)
		return -XEN_ENOSYS;   /* 2-level has one priority; Linux ignores this */
	return cur->evtchn->ops->set_priority(cur, evtchn_from_port(cur, port), priority);
}

/* ---- Life cycle --------------------------------------------------------- */

int evtchn_set_max_port(struct domain *d, uint32_t max_port)
{
	if (!d->evtchn || max_port == 0)
		return -XEN_EINVAL;
	d->evtchn->max_port = max_port;
	return 0;
}

int evtchn_domain_init(struct domain *d)
{
	struct evtchn_domain *e = xzalloc(struct evtchn_domain);
	int rc = -XEN_ENOMEM;

	if (!e)
		return rc;
	d->evtchn = e;
	e->ops = &evtchn_port_ops_2l;
	e->max_port = d->is_privileged ? EVTCHN_MAX_PORTS - 1 : EVTCHN_DEFAULT_MAX_PORT;
	e->nr_page_slots = NR_PAGE_SLOTS;
	e->pages = xzalloc_bytes(NR_PAGE_SLOTS * sizeof(*e->pages));
	e->nr_vcpus = d->max_vcpus;
	e->vcpus = xzalloc_bytes(d->max_vcpus * sizeof(*e->vcpus));
	if (!e->pages || !e->vcpus)
		goto fail;
	rc = grow_table(d);
	if (rc)
		goto fail;
	evtchn_from_port(d, 0)->state = ECS_RESERVED;
	e->free_hint = 1;
	return 0;
fail:
	while (evtchn_domain_destroy(d) == -XEN_ERESTART)
		;   /* nothing is bound yet: one pass */
	return rc;
}

int evtchn_domain_destroy(struct domain *d)
{
	struct evtchn_domain *e = d->evtchn;

	if (!e)
		return 0;
	if (e->pages) {
		/* takes over from a reset in progress: both close every port */
		if (!close_ports_from(d, &e->destroy_next, true))
			return -XEN_ERESTART;
		evtchn_fifo_destroy(d);
		pirq_domain_destroy(d);
		for (uint32_t i = 0; i < e->nr_page_slots; i++)
			xfree_bytes(e->pages[i], FRAME_SIZE);
		xfree_bytes(e->pages, e->nr_page_slots * sizeof(*e->pages));
	}
	xfree_bytes(e->vcpus, e->nr_vcpus * sizeof(*e->vcpus));
	xfree_bytes(e, sizeof(*e));
	d->evtchn = NULL;
	return 0;
}
