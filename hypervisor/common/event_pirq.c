/*
 * Physical interrupts as event channels (pirq.h): the pirq table of each
 * domain, EVTCHNOP_bind_pirq, and delivery from the arch's interrupt
 * handler to the bound port. The interrupt controller is the arch's
 * (arch_irq_*); the rules follow Xen 4.17, which Linux's Dom0 code was
 * written against:
 *  - map first (PHYSDEVOP_map_pirq), then bind; a bind of an unmapped
 *    pirq is -EINVAL, a second bind -EEXIST;
 *  - the line is unmasked while the pirq is bound, and masked again when
 *    the port is closed or the pirq unmapped;
 *  - a level interrupt stays masked from its delivery to the guest's EOI,
 *    and the guest's EOI map says so (arch_pirq_set_needs_eoi);
 *  - a line the hypervisor uses itself may be mapped (Linux maps every
 *    legacy IRQ at boot) but not bound: -EBUSY, with a log line naming it.
 */
#include "event_channel.h"
#include <console.h>
#include <pirq.h>
#include <public/errno.h>

/* Who maps each irq: at most one domain (no sharing between domains). */
static struct {
	struct domain *d;
	uint16_t pirq;
} irq_owner[PIRQ_MAX_IRQS];

static struct pirq_domain *pirq_table(struct domain *d, bool create)
{
	if (!d->pirq && create) {
		d->pirq = xzalloc(struct pirq_domain);
		if (d->pirq)
			for (unsigned i = 0; i < NR_PIRQS; i++)
				d->pirq->pirqs[i].irq = -1;
	}
	return d->pirq;
}

/* d's pirq if it is mapped, else NULL. */
static struct pirq *mapped_pirq(struct domain *d, unsigned pirq)
{
	if (pirq >= NR_PIRQS || !d->pirq || d->pirq->pirqs[pirq].irq < 0)
		return NULL;
	return &d->pirq->pirqs[pirq];
}

int pirq_map_irq(struct domain *d, unsigned irq, int *pirq)
{
	struct pirq_domain *t;
	int want = *pirq;

	if (!d->is_privileged)
		return -XEN_EPERM;   /* physical lines are the hardware domain's to hand out */
	if (want >= NR_PIRQS || irq >= PIRQ_MAX_IRQS || !arch_irq_exists(irq))
		return -XEN_EINVAL;
	if (irq_owner[irq].d && irq_owner[irq].d != d)
		return -XEN_EBUSY;
	t = pirq_table(d, true);
	if (!t)
		return -XEN_ENOMEM;
	if (irq_owner[irq].d == d) {
		/* mapped already: the same pair again (or "any pirq") is that mapping */
		if (want < 0 || want == irq_owner[irq].pirq) {
			*pirq = irq_owner[irq].pirq;
			return 0;
		}
		return -XEN_EEXIST;
	}
	if (want < 0) {
		want = irq < NR_PIRQS && t->pirqs[irq].irq < 0 ? (int)irq : -1;
		for (unsigned p = 16; want < 0 && p < NR_PIRQS; p++)
			if (t->pirqs[p].irq < 0)
				want = (int)p;
		if (want < 0)
			return -XEN_ENOSPC;
	}
	if (t->pirqs[want].irq >= 0)
		return -XEN_EEXIST;   /* that pirq stands for another line */
	t->pirqs[want].irq = (int32_t)irq;
	t->pirqs[want].port = 0;
	t->pirqs[want].in_flight = false;
	irq_owner[irq].d = d;
	irq_owner[irq].pirq = (uint16_t)want;
	*pirq = want;
	return 0;
}

/* Stop delivering: mask the line, forget the port and any EOI owed. */
static void pirq_stop(struct domain *d, unsigned pirq, struct pirq *p)
{
	if (p->port)
		arch_irq_mask((unsigned)p->irq);
	if (p->in_flight)
		arch_pirq_set_needs_eoi(d, pirq, false);
	p->port = 0;
	p->in_flight = false;
}

int pirq_unmap(struct domain *d, unsigned pirq)
{
	struct pirq *p = mapped_pirq(d, pirq);

	if (!p)
		return -XEN_EINVAL;
	/* the port, if any, stays a PIRQ port that nothing raises until closed (as Xen) */
	pirq_stop(d, pirq, p);
	irq_owner[p->irq].d = NULL;
	p->irq = -1;
	return 0;
}

int pirq_bind(struct domain *d, unsigned pirq, evtchn_port_t port)
{
	struct pirq *p = mapped_pirq(d, pirq);
	const char *owner;

	if (!p)
		return -XEN_EINVAL;
	if (p->port)
		return -XEN_EEXIST;
	owner = arch_irq_reserved((unsigned)p->irq);
	if (owner) {
		log_warn("pirq: d%u may not bind pirq %u: irq %d is the hypervisor's (%s)\n",
			 d->domain_id, pirq, p->irq, owner);
		return -XEN_EBUSY;
	}
	p->port = port;
	p->in_flight = false;
	arch_irq_unmask((unsigned)p->irq);
	return 0;
}

void pirq_unbind(struct domain *d, unsigned pirq, evtchn_port_t port)
{
	struct pirq *p = mapped_pirq(d, pirq);

	/* unmapped meanwhile, or rebound after an unmap: not this port's any more */
	if (p && p->port == port)
		pirq_stop(d, pirq, p);
}

evtchn_port_t pirq_port(struct domain *d, unsigned pirq)
{
	struct pirq *p = mapped_pirq(d, pirq);

	return p ? p->port : 0;
}

int pirq_eoi(struct domain *d, unsigned pirq)
{
	struct pirq *p = mapped_pirq(d, pirq);

	if (!p)
		return -XEN_EINVAL;
	if (p->in_flight) {
		p->in_flight = false;
		arch_pirq_set_needs_eoi(d, pirq, false);
		if (p->port)
			arch_irq_unmask((unsigned)p->irq);
	}
	return 0;
}

void pirq_irq_fired(unsigned irq)
{
	struct domain *d = irq < PIRQ_MAX_IRQS ? irq_owner[irq].d : NULL;
	struct pirq *p = d ? mapped_pirq(d, irq_owner[irq].pirq) : NULL;

	if (irq >= PIRQ_MAX_IRQS)
		return;   /* the arch's numbers stay below; nothing to mask */
	if (!p || !p->port) {
		/* nobody listens: an unmask we did not make, or a race with unbind */
		log_warn("pirq: irq %u fired with no port bound: masked\n", irq);
		arch_irq_mask(irq);
		return;
	}
	if (arch_irq_is_level(irq)) {
		arch_irq_mask(irq);
		p->in_flight = true;
		arch_pirq_set_needs_eoi(d, irq_owner[irq].pirq, true);
	}
	evtchn_raise(d, p->port);
}

void pirq_domain_destroy(struct domain *d)
{
	if (!d->pirq)
		return;
	for (unsigned i = 0; i < NR_PIRQS; i++)
		if (d->pirq->pirqs[i].irq >= 0)
			pirq_unmap(d, i);
	xfree_bytes(d->pirq, sizeof(*d->pirq));
	d->pirq = NULL;
}

/* ---- The event-channel side ------------------------------------------- */

/*
 * BIND_PIRQ__WILL_SHARE is accepted and has no effect: a line belongs to
 * one domain, which shares it among its own drivers.
 */
int evtchn_bind_pirq(struct domain *cur, struct evtchn_bind_pirq *b)
{
	struct evtchn *chn;
	evtchn_port_t port;
	int rc;

	if (b->pirq >= NR_PIRQS || !mapped_pirq(cur, b->pirq))
		return -XEN_EINVAL;
	if (pirq_port(cur, b->pirq))
		return -XEN_EEXIST;
	rc = evtchn_get_free_port(cur, &port);
	if (rc)
		return rc;
	rc = pirq_bind(cur, b->pirq, port);
	if (rc)
		return rc;
	chn = evtchn_from_port(cur, port);
	chn->u.pirq = b->pirq;
	evtchn_port_bind(cur, chn, ECS_PIRQ, 0);
	b->port = port;
	return 0;
}

void evtchn_pirq_close(struct domain *d, struct evtchn *chn)
{
	pirq_unbind(d, chn->u.pirq, chn->port);
}
