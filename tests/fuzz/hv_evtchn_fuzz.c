/*
 * libFuzzer harness: event_channel_op between two domains of two vCPUs
 * each, through the real entry point (do_event_channel_op) over
 * common/event_channel*.c, event_2l.c, event_fifo.c and event_pirq.c, on
 * the fake machine's event-channel layer, as the unit tests (tests/unit/fake/evtchn.c:
 * host-heap domains, guest addresses are host pointers, a pool of fake
 * frames with owners for the FIFO control blocks and event arrays).
 *
 * Operations: alloc_unbound, bind_interdomain, bind_virq, bind_ipi,
 * bind_pirq (no pirq is mapped: refused), close, send, status, bind_vcpu,
 * unmask, reset (of itself or of the other domain, continued or not),
 * init_control, expand_array (own, foreign and nonexistent frames), and
 * set_priority, with ports mostly small, sometimes at the ABIs' limits
 * or far out; and the guest scribbling over its own event words, FIFO
 * control block or 2-level bitmaps, as a hostile guest may at any time.
 *
 * After every operation, for each domain: port 0 is reserved; every port
 * in use notifies an existing vCPU and lies below what the ABI can name;
 * every interdomain port's peer exists and points back at it; every VIRQ
 * port is the one its vCPU's virq_to_port names, and every virq_to_port
 * entry names such a port; active_ports counts the ports in use (but
 * port 0); only port 0 is reserved; no port
 * below free_hint is free. ASan and UBSan watch every access (the event
 * words and bitmaps are indexed by guest-chosen ports). At the end the
 * domains are destroyed (preempted at random, re-run until done), one at a
 * time with the checks in between; LeakSanitizer checks nothing is left.
 */
#include "fake/evtchn.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <public/errno.h>
#include "event_channel.h"

#define MAX_OPS 64
#define NR_FRAMES_EACH 6

struct fz_in {
	const uint8_t *p;
	size_t left;
};

static uint8_t u8(struct fz_in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static struct domain *dom[2];
static uint64_t frames[2][NR_FRAMES_EACH];
static uint8_t arg[64] __attribute__((aligned(8)));
static unsigned preempt_one_in;

static __attribute__((noreturn, format(printf, 1, 2))) void violated(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "INVARIANT VIOLATED: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static void trace(const char *call, uint64_t a, uint64_t b, int64_t rc)
{
	static int on = -1;

	if (on < 0)
		on = getenv("HV_FUZZ_TRACE") != NULL;
	if (on)
		fprintf(stderr, "d%u %s(%#lx, %#lx) = %ld\n", current_vcpu()->domain->domain_id, call,
			(unsigned long)a, (unsigned long)b, (long)rc);
}

static evtchn_port_t pick_port(struct fz_in *in)
{
	static const evtchn_port_t odd[] = { 4095, 4096, 1023, 1024, EVTCHN_FIFO_NR_CHANNELS - 1,
					     EVTCHN_FIFO_NR_CHANNELS, 0xffffffffu, 130 };
	uint8_t b = u8(in);

	return b < 224 ? b % 72 : odd[b % 8];
}

static domid_t pick_dom(struct fz_in *in)
{
	static const domid_t odd[] = { DOMID_SELF, 0, 3, DOMID_XEN };
	uint8_t b = u8(in);
	domid_t self = current_vcpu()->domain->domain_id;

	if (b % 8 < 5)
		return self == 1 ? 2 : 1;
	if (b % 8 < 7)
		return self;
	return odd[(b >> 3) % 4];
}

/* A frame number: one of ours, one of the other domain's, or one that is no frame. */
static uint64_t pick_gfn(struct fz_in *in)
{
	uint8_t b = u8(in);
	unsigned self = current_vcpu()->domain->domain_id - 1;

	if (b % 8 < 6)
		return frames[self][b % NR_FRAMES_EACH];
	if (b % 8 == 6)
		return frames[!self][b % NR_FRAMES_EACH];
	return b & 0x80 ? SHIM_MFN_BASE + SHIM_NR_FRAMES + 3 : 0;
}

static int64_t call(unsigned cmd)
{
	return do_event_channel_op(current_vcpu(), (uint64_t[6]){ cmd, (uint64_t)(uintptr_t)arg, 0, 0, 0, 0 });
}

/* A reset that yields: the guest re-issues it as reset_cont, or gives up for now. */
static void finish_reset(int64_t rc)
{
	for (unsigned n = 0; rc == __HYPERVISOR_event_channel_op; n++) {
		if (n > 100000)
			violated("reset continues forever");
		if (preempt_one_in && rand() % 4 == 0)
			return;   /* abandoned: the domain's reset_next stays */
		rc = call(EVTCHNOP_reset_cont);
		trace("  reset_cont", 0, 0, rc);
	}
}

static void one_op(struct fz_in *in, uint8_t b)
{
	uint8_t op = u8(in) % 16;
	int64_t rc;

	memset(arg, 0, sizeof(arg));
	switch (op) {
	case 0: {
		struct evtchn_alloc_unbound *a = (void *)arg;
		a->dom = b & 0x40 ? pick_dom(in) : DOMID_SELF;
		a->remote_dom = pick_dom(in);
		rc = call(EVTCHNOP_alloc_unbound);
		trace("alloc_unbound", a->remote_dom, a->port, rc);
		break;
	}
	case 1: {
		struct evtchn_bind_interdomain *a = (void *)arg;
		a->remote_dom = pick_dom(in);
		a->remote_port = pick_port(in);
		rc = call(EVTCHNOP_bind_interdomain);
		trace("bind_interdomain", a->remote_dom, a->remote_port, rc);
		break;
	}
	case 2: {
		struct evtchn_bind_virq *a = (void *)arg;
		a->virq = u8(in) % (NR_VIRQS + 2);
		a->vcpu = u8(in) % 3;
		rc = call(EVTCHNOP_bind_virq);
		trace("bind_virq", a->virq, a->vcpu, rc);
		break;
	}
	case 3: {
		struct evtchn_bind_ipi *a = (void *)arg;
		a->vcpu = u8(in) % 3;
		rc = call(EVTCHNOP_bind_ipi);
		trace("bind_ipi", a->vcpu, a->port, rc);
		break;
	}
	case 4: case 5: {
		struct evtchn_close *a = (void *)arg;
		a->port = pick_port(in);
		rc = call(EVTCHNOP_close);
		trace("close", a->port, 0, rc);
		break;
	}
	case 6: case 7: {
		struct evtchn_send *a = (void *)arg;
		a->port = pick_port(in);
		rc = call(EVTCHNOP_send);
		trace("send", a->port, 0, rc);
		break;
	}
	case 8: {
		struct evtchn_status *a = (void *)arg;
		a->dom = b & 0x40 ? pick_dom(in) : DOMID_SELF;
		a->port = pick_port(in);
		rc = call(EVTCHNOP_status);
		trace("status", a->port, a->status, rc);
		break;
	}
	case 9: {
		struct evtchn_bind_vcpu *a = (void *)arg;
		a->port = pick_port(in);
		a->vcpu = u8(in) % 3;
		rc = call(EVTCHNOP_bind_vcpu);
		trace("bind_vcpu", a->port, a->vcpu, rc);
		break;
	}
	case 10: {
		struct evtchn_unmask *a = (void *)arg;
		a->port = pick_port(in);
		rc = call(EVTCHNOP_unmask);
		trace("unmask", a->port, 0, rc);
		break;
	}
	case 11: {
		struct evtchn_reset *a = (void *)arg;
		a->dom = b & 0x40 ? pick_dom(in) : DOMID_SELF;
		rc = call(EVTCHNOP_reset);
		trace("reset", a->dom, 0, rc);
		finish_reset(rc);
		break;
	}
	case 12: {
		struct evtchn_init_control *a = (void *)arg;
		uint8_t o = u8(in);
		a->control_gfn = pick_gfn(in);
		a->offset = o < 200 ? (o % 8) * 64 : o * 20;
		a->vcpu = u8(in) % 3;
		rc = call(EVTCHNOP_init_control);
		trace("init_control", a->control_gfn, a->vcpu, rc);
		break;
	}
	case 13: {
		struct evtchn_expand_array *a = (void *)arg;
		a->array_gfn = pick_gfn(in);
		rc = call(EVTCHNOP_expand_array);
		trace("expand_array", a->array_gfn, 0, rc);
		break;
	}
	case 14: {
		struct evtchn_set_priority *a = (void *)arg;
		a->port = pick_port(in);
		a->priority = u8(in) % 18;
		rc = call(EVTCHNOP_set_priority);
		trace("set_priority", a->port, a->priority, rc);
		break;
	}
	case 15: {   /* the guest writes one of its frames or its 2-level bitmaps */
		unsigned self = current_vcpu()->domain->domain_id - 1;
		uint8_t w = u8(in);
		uint32_t val = (uint32_t)u8(in) << 24;
		val |= (uint32_t)u8(in) << 8;
		val |= u8(in);
		uint32_t *words = w & 1 ? (uint32_t *)dom[self]->shared_info->evtchn_pending :
					  shim_frame(frames[self][w % NR_FRAMES_EACH]);
		words[(w >> 1) % 64] = val;
		trace("guest write", w, val, 0);
		break;
	}
	}
}

/* ---- Invariants --------------------------------------------------------- */

static bool alive(const struct domain *d)
{
	return d && d->evtchn;
}

static void check_domain(struct domain *d)
{
	struct evtchn_domain *e = d->evtchn;
	uint32_t used = 0;

	if (!e)
		return;
	if (e->valid_ports && evtchn_from_port(d, 0)->state != ECS_RESERVED)
		violated("d%u port 0 is not reserved", d->domain_id);
	for (evtchn_port_t p = 1; p < e->valid_ports; p++)
		if (evtchn_from_port(d, p)->state == ECS_RESERVED)
			violated("d%u port %u is reserved", d->domain_id, p);
	for (evtchn_port_t p = 0; p < e->valid_ports; p++) {
		struct evtchn *chn = evtchn_from_port(d, p);
		if (chn->port != p)
			violated("d%u port %u says it is %u", d->domain_id, p, chn->port);
		if (chn->state == ECS_FREE) {
			if (p < e->free_hint)
				violated("d%u port %u free below free_hint %u", d->domain_id, p, e->free_hint);
			continue;
		}
		if (chn->state == ECS_RESERVED)
			continue;   /* port 0: not counted as active */
		used++;
		if (p >= e->ops->nr_ports)
			violated("d%u port %u in use (state %u) beyond the %s ABI's %u ports", d->domain_id, p,
			     chn->state, e->ops->name, e->ops->nr_ports);
		if (chn->notify_vcpu >= d->max_vcpus || !d->vcpus[chn->notify_vcpu])
			violated("d%u port %u notifies vCPU %u", d->domain_id, p, chn->notify_vcpu);
		switch (chn->state) {
		case ECS_INTERDOMAIN: {
			struct domain *r = chn->u.interdomain.dom;
			evtchn_port_t rp = chn->u.interdomain.port;
			struct evtchn *rc;
			if (r != dom[0] && r != dom[1])
				violated("d%u port %u: peer is not a live domain", d->domain_id, p);
			if (!alive(r) || !port_is_valid(r, rp))
				violated("d%u port %u: peer d%u port %u does not exist", d->domain_id, p, r->domain_id, rp);
			rc = evtchn_from_port(r, rp);
			if (rc->state != ECS_INTERDOMAIN || rc->u.interdomain.dom != d || rc->u.interdomain.port != p)
				violated("d%u port %u -> d%u port %u, which does not point back (state %u)", d->domain_id,
				     p, r->domain_id, rp, rc->state);
			break;
		}
		case ECS_VIRQ: {
			unsigned owner = evtchn_virq_is_global(chn->u.virq) ? 0 : chn->notify_vcpu;
			if (chn->u.virq >= NR_VIRQS ||
			    e->vcpus[owner].virq_to_port[chn->u.virq] != p)
				violated("d%u port %u: VIRQ %u not found at vCPU %u", d->domain_id, p, chn->u.virq, owner);
			break;
		}
		case ECS_UNBOUND:
		case ECS_IPI:
		case ECS_PIRQ:
			break;
		default:
			violated("d%u port %u: state %u", d->domain_id, p, chn->state);
		}
	}
	if (used != e->active_ports)
		violated("d%u: active_ports %u, but %u ports in use", d->domain_id, e->active_ports, used);
	for (unsigned v = 0; v < e->nr_vcpus; v++)
		for (unsigned virq = 0; virq < NR_VIRQS; virq++) {
			evtchn_port_t p = e->vcpus[v].virq_to_port[virq];
			struct evtchn *chn;
			if (!p)
				continue;
			if (!port_is_valid(d, p))
				violated("d%u vCPU %u VIRQ %u -> port %u out of range", d->domain_id, v, virq, p);
			chn = evtchn_from_port(d, p);
			if (chn->state != ECS_VIRQ || chn->u.virq != virq)
				violated("d%u vCPU %u VIRQ %u -> port %u, state %u virq %u", d->domain_id, v, virq, p,
				     chn->state, chn->u.virq);
		}
}

static void check_all(void)
{
	for (unsigned i = 0; i < 2; i++)
		if (dom[i])
			check_domain(dom[i]);
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	uint8_t p = u8(&in);

	srand(p);
	preempt_one_in = p & 3 ? 2 + (p >> 2) % 4 : 0;
	shim_frames_reset();
	fake_preempt_every = 0;
	for (unsigned i = 0; i < 2; i++) {
		dom[i] = shim_domain_create((domid_t)(i + 1), 2, false);
		for (unsigned f = 0; f < NR_FRAMES_EACH; f++)
			frames[i][f] = shim_frame_alloc((domid_t)(i + 1));
	}
	for (unsigned op = 0; op < MAX_OPS && in.left; op++) {
		uint8_t b = u8(&in);
		set_current_vcpu(dom[b >> 7]->vcpus[b & 1]);
		fake_preempt_every = preempt_one_in && rand() % preempt_one_in == 0;
		one_op(&in, b);
		fake_preempt_every = 0;
		check_all();
	}
	for (unsigned i = 0; i < 2; i++) {
		struct domain *d = dom[i];
		dom[i] = NULL;
		shim_domain_destroy(d);
		check_all();
	}
	set_current_vcpu(NULL);
	return 0;
}
