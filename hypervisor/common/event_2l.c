/*
 * The 2-level event ABI: port p is pending while bit p of
 * shared_info.evtchn_pending is set and masked while bit p of evtchn_mask
 * is; each vCPU's evtchn_pending_sel has bit p/64 set while word p/64 may
 * hold a pending, unmasked port for it. 64 x 64 = 4096 ports.
 *
 * The guest clears pending bits and selector bits itself, concurrently, so
 * every change here is one atomic operation, in the order that guarantees
 * no event is lost: pending, then (if unmasked) selector, then upcall.
 *
 * Ports at or above 4096 have no bits here, yet may exist: FIFO made them
 * and a reset came back to 2-level (port_is_valid). Every hook ignores them,
 * as Xen 4.17 does: they are never pending, always masked, and unmask does
 * nothing. Indexing with them would reach past the bitmaps, past the
 * selector word and past the shared_info page.
 */
#include "event_channel.h"

static volatile uint64_t *pending_words(struct domain *d)
{
	return d->shared_info->evtchn_pending;
}

static volatile uint64_t *mask_words(struct domain *d)
{
	return d->shared_info->evtchn_mask;
}

static bool has_bits(const struct evtchn *chn)
{
	return chn->port < EVTCHN_2L_NR_PORTS;
}

static void evtchn_2l_init(struct domain *d, struct evtchn *chn)
{
}

static void evtchn_2l_set_pending(struct vcpu *v, struct evtchn *chn)
{
	struct domain *d = v->domain;
	unsigned port = chn->port;

	if (!has_bits(chn))
		return;
	if (guest_test_and_set_bit(port, pending_words(d)))
		return;   /* already pending: the guest has not seen the last one yet */
	if (!guest_test_bit(port, mask_words(d)) && v->vcpu_info &&
	    !guest_test_and_set_bit(port / 64, (volatile uint64_t *)&v->vcpu_info->evtchn_pending_sel) &&
	    evtchn_mark_upcall(v))
		return;
	evtchn_check_pollers(d, port);
}

static void evtchn_2l_clear_pending(struct domain *d, struct evtchn *chn)
{
	if (has_bits(chn))
		guest_test_and_clear_bit(chn->port, pending_words(d));
}

/* Only a port that was masked is re-raised: Linux unmasks local ports itself. */
static void evtchn_2l_unmask(struct domain *d, struct evtchn *chn)
{
	struct vcpu *v = notify_vcpu(d, chn);
	unsigned port = chn->port;

	if (has_bits(chn) && guest_test_and_clear_bit(port, mask_words(d)) &&
	    guest_test_bit(port, pending_words(d)) && v->vcpu_info &&
	    !guest_test_and_set_bit(port / 64, (volatile uint64_t *)&v->vcpu_info->evtchn_pending_sel))
		vcpu_mark_events_pending(v);
}

static bool evtchn_2l_is_pending(struct domain *d, const struct evtchn *chn)
{
	return has_bits(chn) && guest_test_bit(chn->port, pending_words(d));
}

static bool evtchn_2l_is_masked(struct domain *d, const struct evtchn *chn)
{
	return !has_bits(chn) || guest_test_bit(chn->port, mask_words(d));
}

static bool evtchn_2l_is_busy(struct domain *d, const struct evtchn *chn)
{
	return false;
}

const struct evtchn_port_ops evtchn_port_ops_2l = {
	.name = "2-level",
	.nr_ports = EVTCHN_2L_NR_PORTS,
	.init = evtchn_2l_init,
	.set_pending = evtchn_2l_set_pending,
	.clear_pending = evtchn_2l_clear_pending,
	.unmask = evtchn_2l_unmask,
	.is_pending = evtchn_2l_is_pending,
	.is_masked = evtchn_2l_is_masked,
	.is_busy = evtchn_2l_is_busy,
	.set_priority = NULL,
};
