/*
 * The FIFO event ABI (EVTCHNOP_init_control, expand_array, set_priority).
 *
 * Each port has a 32-bit event word in a guest-provided event array (one
 * frame per 1024 ports): PENDING, MASKED, LINKED, BUSY and a 17-bit LINK to
 * the next port in its queue. Each vCPU has a control block (in a guest
 * frame) with a READY bit per queue and the HEAD port of each of its 16
 * priority queues; we keep each queue's TAIL, which the guest never sees.
 *
 * Raising a port: set PENDING; if it is unmasked and not yet LINKED, set
 * LINKED and append it to its queue: write its number into the tail's LINK
 * if the tail is still linked, else it becomes the HEAD. A new head sets
 * the queue's READY bit, and a newly set READY bit raises the upcall.
 *
 * The guest consumes concurrently: it clears LINKED/LINK of the head as it
 * walks, so the tail may be unlinked under our feet. Linking onto the tail
 * is therefore a compare-and-exchange that only succeeds while the tail is
 * LINKED; BUSY asks the guest to leave the word alone while we retry. A
 * guest that keeps changing the word after a few tries loses that event,
 * which only hurts itself.
 *
 * A port whose event-array frame does not exist yet remembers a raise in
 * fifo_pending; expand_array replays it when the frame arrives.
 *
 * Guest frames are given by MFN (a PV guest's GFN). We write them through
 * the hypervisor's direct map, so while a frame is registered we hold a
 * general and a writable type reference on it, as Xen does: it can then
 * neither become a page table or descriptor frame (whose entries our writes
 * would forge) nor be freed and reused. A frame that already is one is
 * refused (-XEN_EINVAL); EVTCHNOP_reset and domain teardown drop them.
 */
#include "event_channel.h"
#include <arch.h>
#include <console.h>
#include <page.h>
#include <public/errno.h>

#define WORD_BIT(b)       (1u << (b))
#define SET_LINK_TRIES    4

static event_word_t *word_from_port(struct domain *d, evtchn_port_t port)
{
	struct evtchn_domain *e = d->evtchn;

	if (port >= e->fifo_nr_words)
		return NULL;
	return &e->event_array[port / EVTCHN_FIFO_EVENT_WORDS_PER_PAGE]
			      [port % EVTCHN_FIFO_EVENT_WORDS_PER_PAGE];
}

static bool word_test_and_set(event_word_t *w, unsigned bit)
{
	return __atomic_fetch_or(w, WORD_BIT(bit), __ATOMIC_SEQ_CST) & WORD_BIT(bit);
}

static bool word_test(event_word_t *w, unsigned bit)
{
	return __atomic_load_n(w, __ATOMIC_SEQ_CST) & WORD_BIT(bit);
}

static void word_clear(event_word_t *w, unsigned bit)
{
	__atomic_fetch_and(w, ~WORD_BIT(bit), __ATOMIC_SEQ_CST);
}

/*
 * Our mapping of a frame d owns, named by its MFN, holding the references
 * described above until unmap_guest_frame. 0 or -XEN_EINVAL.
 */
static int map_guest_frame(struct domain *d, uint64_t gfn, void **out)
{
	if (get_page_and_type(d, gfn, PGT_writable))
		return -XEN_EINVAL;
	*out = arch_phys_to_virt(gfn << FRAME_SHIFT);
	return 0;
}

/* Drop map_guest_frame's references; p may point anywhere inside the frame. */
static void unmap_guest_frame(const void *p)
{
	if (p)
		put_page_and_type(arch_virt_to_phys(p) >> FRAME_SHIFT);
}

/*
 * Point `tail`'s LINK at `port`, only while `tail` is still LINKED.
 * False: the guest unlinked it (its queue is empty now).
 */
static bool set_link(struct domain *d, event_word_t *tail, evtchn_port_t port)
{
	event_word_t w = __atomic_load_n(tail, __ATOMIC_SEQ_CST);

	for (unsigned i = 0; i < 2 * SET_LINK_TRIES; i++) {
		event_word_t new = (w & ~(WORD_BIT(EVTCHN_FIFO_BUSY) | EVTCHN_FIFO_LINK_MASK)) | port;

		if (!(w & WORD_BIT(EVTCHN_FIFO_LINKED))) {
			word_clear(tail, EVTCHN_FIFO_BUSY);
			return false;
		}
		if (__atomic_compare_exchange_n(tail, &w, new, false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return true;
		if (i == SET_LINK_TRIES - 1) {
			/* contended: ask the guest to hold off, then keep trying */
			word_test_and_set(tail, EVTCHN_FIFO_BUSY);
			w = __atomic_load_n(tail, __ATOMIC_SEQ_CST);
		}
	}
	word_clear(tail, EVTCHN_FIFO_BUSY);
	log_debug("d%u: FIFO event port %u not linked: the guest keeps changing its tail\n",
		  d->domain_id, port);
	return true;
}

static void evtchn_fifo_set_pending(struct vcpu *v, struct evtchn *chn)
{
	struct domain *d = v->domain;
	struct evtchn_fifo_vcpu *fv = &evtchn_vcpu(v)->fifo;
	event_word_t *word = word_from_port(d, chn->port);
	unsigned q = chn->priority;
	bool was_pending, linked = true;

	if (!word) {
		chn->fifo_pending = true;
		return;
	}
	was_pending = word_test_and_set(word, EVTCHN_FIFO_PENDING);
	/* the guest may not unmask before it registered the control block */
	if (!fv->control_block)
		goto out;
	if (!word_test(word, EVTCHN_FIFO_MASKED) && !word_test_and_set(word, EVTCHN_FIFO_LINKED)) {
		struct evtchn_fifo_vcpu *old = &d->evtchn->vcpus[chn->last_vcpu].fifo;

		/* last on another queue as its tail: that queue is empty now */
		if (old->tail[chn->last_priority] == chn->port)
			old->tail[chn->last_priority] = 0;
		chn->last_vcpu = v->vcpu_id;
		chn->last_priority = q;
		if (fv->tail[q]) {
			event_word_t *tail = word_from_port(d, fv->tail[q]);
			linked = tail && set_link(d, tail, chn->port);
		} else {
			linked = false;
		}
		if (!linked)
			__atomic_store_n(&fv->control_block->head[q], chn->port, __ATOMIC_SEQ_CST);
		fv->tail[q] = chn->port;
	}
	if (!linked &&
	    !(__atomic_fetch_or(&fv->control_block->ready, WORD_BIT(q), __ATOMIC_SEQ_CST) & WORD_BIT(q)) &&
	    evtchn_mark_upcall(v))
		return;
out:
	if (!was_pending)
		evtchn_check_pollers(d, chn->port);
}

static void evtchn_fifo_init(struct domain *d, struct evtchn *chn)
{
	chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
}

/* No need to unlink: the guest drops linked events that are not pending. */
static void evtchn_fifo_clear_pending(struct domain *d, struct evtchn *chn)
{
	event_word_t *word = word_from_port(d, chn->port);

	chn->fifo_pending = false;
	if (word)
		word_clear(word, EVTCHN_FIFO_PENDING);
}

static void evtchn_fifo_unmask(struct domain *d, struct evtchn *chn)
{
	event_word_t *word = word_from_port(d, chn->port);

	if (!word)
		return;
	word_clear(word, EVTCHN_FIFO_MASKED);
	if (word_test(word, EVTCHN_FIFO_PENDING))
		evtchn_fifo_set_pending(notify_vcpu(d, chn), chn);
}

static bool evtchn_fifo_is_pending(struct domain *d, const struct evtchn *chn)
{
	event_word_t *word = word_from_port(d, chn->port);

	return word ? word_test(word, EVTCHN_FIFO_PENDING) : chn->fifo_pending;
}

static bool evtchn_fifo_is_masked(struct domain *d, const struct evtchn *chn)
{
	event_word_t *word = word_from_port(d, chn->port);

	return !word || word_test(word, EVTCHN_FIFO_MASKED);
}

static bool evtchn_fifo_is_busy(struct domain *d, const struct evtchn *chn)
{
	event_word_t *word = word_from_port(d, chn->port);

	return word && word_test(word, EVTCHN_FIFO_LINKED);
}

static int evtchn_fifo_set_priority(struct domain *d, struct evtchn *chn, unsigned priority)
{
	if (priority > EVTCHN_FIFO_PRIORITY_MIN)
		return -XEN_EINVAL;
	/* a linked event moves queues when it is next raised */
	chn->priority = priority;
	return 0;
}

const struct evtchn_port_ops evtchn_port_ops_fifo = {
	.name = "FIFO",
	.nr_ports = EVTCHN_FIFO_NR_CHANNELS,
	.init = evtchn_fifo_init,
	.set_pending = evtchn_fifo_set_pending,
	.clear_pending = evtchn_fifo_clear_pending,
	.unmask = evtchn_fifo_unmask,
	.is_pending = evtchn_fifo_is_pending,
	.is_masked = evtchn_fifo_is_masked,
	.is_busy = evtchn_fifo_is_busy,
	.set_priority = evtchn_fifo_set_priority,
};

/*
 * First control block: switch the domain to FIFO. Ports already bound keep
 * a raise they had under 2-level (replayed when their array frame arrives)
 * and start at the default priority.
 */
static void switch_to_fifo(struct domain *d)
{
	struct evtchn_domain *e = d->evtchn;

	for (evtchn_port_t p = 1; p < e->valid_ports; p++) {
		struct evtchn *chn = evtchn_from_port(d, p);

		if (chn->state == ECS_FREE)
			continue;
		chn->fifo_pending = evtchn_port_ops_2l.is_pending(d, chn);
		chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	}
	e->fifo = true;
	e->ops = &evtchn_port_ops_fifo;
}

int evtchn_init_control(struct domain *cur, struct evtchn_init_control *c)
{
	struct vcpu *v = c->vcpu < cur->max_vcpus ? cur->vcpus[c->vcpu] : NULL;
	struct evtchn_fifo_vcpu *fv;
	void *frame;
	int rc;

	c->link_bits = EVTCHN_FIFO_LINK_BITS;
	if (!v)
		return -XEN_ENOENT;
	if (c->offset > FRAME_SIZE - sizeof(struct evtchn_fifo_control_block) || (c->offset & 7))
		return -XEN_EINVAL;   /* must not cross the frame; 8-byte aligned */
	fv = &evtchn_vcpu(v)->fifo;
	if (fv->control_block)
		return -XEN_EINVAL;   /* Xen's answer to a second registration */
	rc = map_guest_frame(cur, c->control_gfn, &frame);
	if (rc)
		return rc;
	if (!cur->evtchn->fifo)
		switch_to_fifo(cur);
	memset(fv->tail, 0, sizeof(fv->tail));
	fv->control_block = (struct evtchn_fifo_control_block *)((char *)frame + c->offset);
	return 0;
}

int evtchn_expand_array(struct domain *cur, uint64_t array_gfn)
{
	struct evtchn_domain *e = cur->evtchn;
	uint32_t slot = e->fifo_nr_words / EVTCHN_FIFO_EVENT_WORDS_PER_PAGE;
	void *frame;
	int rc;

	if (!e->fifo)
		return -XEN_EOPNOTSUPP;
	if (slot >= EVTCHN_FIFO_MAX_PAGES)
		return -XEN_ENOSPC;
	rc = map_guest_frame(cur, array_gfn, &frame);
	if (rc)
		return rc;
	e->event_array[slot] = frame;
	e->fifo_nr_words += EVTCHN_FIFO_EVENT_WORDS_PER_PAGE;
	/* replay raises that found no event word */
	for (evtchn_port_t p = slot * EVTCHN_FIFO_EVENT_WORDS_PER_PAGE;
	     p < e->fifo_nr_words && port_is_valid(cur, p); p++) {
		struct evtchn *chn = evtchn_from_port(cur, p);

		if (chn->fifo_pending) {
			chn->fifo_pending = false;
			evtchn_port_set_pending(cur, chn);
		}
	}
	return 0;
}

/* Back to 2-level (EVTCHNOP_reset, domain destruction): let go of the frames. */
void evtchn_fifo_destroy(struct domain *d)
{
	struct evtchn_domain *e = d->evtchn;

	if (!e->fifo)
		return;
	for (uint32_t i = 0; i < EVTCHN_FIFO_MAX_PAGES; i++)
		unmap_guest_frame(e->event_array[i]);
	memset(e->event_array, 0, sizeof(e->event_array));
	e->fifo_nr_words = 0;
	for (uint32_t i = 0; i < e->nr_vcpus; i++) {
		unmap_guest_frame(e->vcpus[i].fifo.control_block);
		memset(&e->vcpus[i].fifo, 0, sizeof(e->vcpus[i].fifo));
	}
	for (evtchn_port_t p = 0; p < e->valid_ports; p++) {
		struct evtchn *chn = evtchn_from_port(d, p);
		chn->fifo_pending = false;
		chn->last_vcpu = 0;
		chn->last_priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	}
	e->fifo = false;
	e->ops = &evtchn_port_ops_2l;
}
