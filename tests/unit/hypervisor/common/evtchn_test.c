/*
 * Event channels under the 2-level ABI: every port state transition and
 * every refusal of the EVTCHNOP_* workers, delivery into shared_info and
 * vcpu_info, limits, reset, destruction, and the hypercall decoder.
 *
 * Each test builds its own domains: dom0 (privileged, 2 vCPUs) and, where
 * needed, domU 1 (unprivileged, 2 vCPUs) and domU 2.
 */
#include "fake/evtchn.h"

#include <stdlib.h>
#include <string.h>
#include <event.h>
#include <hypercall.h>
#include <public/errno.h>

static struct domain *d0, *d1, *d2;

static int setup(void **state)
{
	shim_reset_kicks();
	shim_copy_to_fails = false;
	d0 = shim_domain_create(0, 2, true);
	d1 = shim_domain_create(1, 2, false);
	d2 = shim_domain_create(2, 1, false);
	set_current_vcpu(d0->vcpus[0]);
	return 0;
}

static int teardown(void **state)
{
	shim_domain_destroy(d2);
	shim_domain_destroy(d1);
	shim_domain_destroy(d0);
	return 0;
}

static bool pending(struct domain *d, evtchn_port_t p)
{
	return (d->shared_info->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

static void set_mask(struct domain *d, evtchn_port_t p, bool on)
{
	if (on)
		d->shared_info->evtchn_mask[p / 64] |= 1ULL << (p % 64);
	else
		d->shared_info->evtchn_mask[p / 64] &= ~(1ULL << (p % 64));
}

/* The guest's upcall: forget everything pending and the selectors. */
static void consume(struct domain *d)
{
	memset(d->shared_info->evtchn_pending, 0, sizeof(d->shared_info->evtchn_pending));
	for (unsigned i = 0; i < d->max_vcpus; i++) {
		d->vcpus[i]->vcpu_info->evtchn_pending_sel = 0;
		d->vcpus[i]->vcpu_info->evtchn_upcall_pending = 0;
	}
	shim_reset_kicks();
}

static evtchn_port_t alloc_unbound(struct domain *cur, domid_t dom, domid_t remote)
{
	struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote };

	assert_int_equal(evtchn_alloc_unbound(cur, &a), 0);
	return a.port;
}

static evtchn_port_t bind_interdomain(struct domain *cur, domid_t rdom, evtchn_port_t rport)
{
	struct evtchn_bind_interdomain b = { .remote_dom = rdom, .remote_port = rport };

	assert_int_equal(evtchn_bind_interdomain(cur, &b), 0);
	return b.local_port;
}

static struct evtchn_status status_of(struct domain *cur, domid_t dom, evtchn_port_t p)
{
	struct evtchn_status s = { .dom = dom, .port = p };

	assert_int_equal(evtchn_status(cur, &s), 0);
	return s;
}

/* ---- Port 0, free and out-of-range ports ---- */
static void test_port_zero_reserved(void **state)
{
	struct evtchn_status s = status_of(d0, DOMID_SELF, 0);

	assert_int_equal(s.status, EVTCHNSTAT_closed);
	assert_int_equal(evtchn_close(d0, 0), -XEN_EINVAL);
	assert_int_equal(evtchn_send(d0, 0), -XEN_EINVAL);
	assert_int_equal(evtchn_bind_vcpu(d0, 0, 0), -XEN_EINVAL);
	assert_int_equal(alloc_unbound(d0, DOMID_SELF, DOMID_SELF), 1);   /* never 0 */
}

static void test_bad_ports(void **state)
{
	struct evtchn_status s = { .dom = DOMID_SELF, .port = 4096 };
	const evtchn_port_t bad[] = { 64, 4095, 4096, 100000, 0xffffffffu };

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s.port = bad[i];
		assert_int_equal(evtchn_status(d1, &s), -XEN_EINVAL);
		assert_int_equal(evtchn_close(d1, bad[i]), -XEN_EINVAL);
		assert_int_equal(evtchn_send(d1, bad[i]), -XEN_EINVAL);
		assert_int_equal(evtchn_unmask(d1, bad[i]), -XEN_EINVAL);
		assert_int_equal(evtchn_bind_vcpu(d1, bad[i], 0), -XEN_EINVAL);
		assert_int_equal(evtchn_set_priority(d1, bad[i], 0), -XEN_EINVAL);
		assert_false(evtchn_port_pending(d1, bad[i]));
	}
	/* never used, but inside the first group: closed, not out of range */
	s = status_of(d1, DOMID_SELF, 63);
	assert_int_equal(s.status, EVTCHNSTAT_closed);
	assert_int_equal(evtchn_close(d1, 63), -XEN_EINVAL);
	assert_int_equal(evtchn_send(d1, 63), -XEN_EINVAL);
	assert_int_equal(evtchn_unmask(d1, 63), 0);
	/* SCHEDOP_poll's range is the ABI's */
	assert_true(evtchn_port_valid(d1, 4095));
	assert_false(evtchn_port_valid(d1, 4096));
}

/* ---- alloc_unbound ---- */
static void test_alloc_unbound(void **state)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_status s;

	assert_int_equal(evtchn_alloc_unbound(d1, &a), 0);
	assert_int_equal(a.port, 1);
	s = status_of(d1, DOMID_SELF, 1);
	assert_int_equal(s.status, EVTCHNSTAT_unbound);
	assert_int_equal(s.u.unbound.dom, 1);   /* DOMID_SELF: the caller */
	assert_int_equal(s.vcpu, 0);

	a = (struct evtchn_alloc_unbound){ .dom = 1, .remote_dom = 0 };   /* own id explicitly */
	assert_int_equal(evtchn_alloc_unbound(d1, &a), 0);
	assert_int_equal(a.port, 2);
	assert_int_equal(status_of(d1, 1, 2).u.unbound.dom, 0);

	a = (struct evtchn_alloc_unbound){ .dom = 2, .remote_dom = DOMID_SELF };
	assert_int_equal(evtchn_alloc_unbound(d1, &a), -XEN_EPERM);
	a.dom = 77;
	assert_int_equal(evtchn_alloc_unbound(d1, &a), -XEN_ESRCH);
	a.dom = DOMID_IO;
	assert_int_equal(evtchn_alloc_unbound(d1, &a), -XEN_ESRCH);
	assert_int_equal(status_of(d2, DOMID_SELF, 1).status, EVTCHNSTAT_closed);

	/* privileged: a port of domU 2 for dom0; DOMID_SELF names dom0, the caller */
	a = (struct evtchn_alloc_unbound){ .dom = 2, .remote_dom = DOMID_SELF };
	assert_int_equal(evtchn_alloc_unbound(d0, &a), 0);
	assert_int_equal(a.port, 1);
	s = status_of(d0, 2, 1);
	assert_int_equal(s.status, EVTCHNSTAT_unbound);
	assert_int_equal(s.u.unbound.dom, 0);
}

/* ---- bind_interdomain ---- */
static void test_loopback(void **state)
{
	evtchn_port_t a = alloc_unbound(d1, DOMID_SELF, DOMID_SELF);
	evtchn_port_t b = bind_interdomain(d1, DOMID_SELF, a);
	struct evtchn_status s;

	assert_int_not_equal(a, b);
	/* the binder's end is raised at once: sends to `a` may have been dropped */
	assert_true(pending(d1, b));
	assert_false(pending(d1, a));
	s = status_of(d1, DOMID_SELF, a);
	assert_int_equal(s.status, EVTCHNSTAT_interdomain);
	assert_int_equal(s.u.interdomain.dom, 1);
	assert_int_equal(s.u.interdomain.port, b);
	s = status_of(d1, DOMID_SELF, b);
	assert_int_equal(s.u.interdomain.port, a);

	consume(d1);
	assert_int_equal(evtchn_send(d1, b), 0);
	assert_true(pending(d1, a));
	assert_false(pending(d1, b));
	assert_int_equal(evtchn_send(d1, a), 0);
	assert_true(pending(d1, b));

	/* close one end: the other is unbound again, offered to us, and can be rebound */
	assert_int_equal(evtchn_close(d1, b), 0);
	assert_false(pending(d1, b));   /* closing clears the closed port's pending bit */
	s = status_of(d1, DOMID_SELF, a);
	assert_int_equal(s.status, EVTCHNSTAT_unbound);
	assert_int_equal(s.u.unbound.dom, 1);
	assert_int_equal(status_of(d1, DOMID_SELF, b).status, EVTCHNSTAT_closed);
	assert_int_equal(bind_interdomain(d1, DOMID_SELF, a), b);   /* lowest free port again */
	assert_int_equal(evtchn_close(d1, a), 0);
	assert_int_equal(status_of(d1, DOMID_SELF, b).status, EVTCHNSTAT_unbound);
	assert_int_equal(evtchn_close(d1, b), 0);
	assert_int_equal(evtchn_close(d1, b), -XEN_EINVAL);   /* double close */
}

static void test_bind_interdomain_refusals(void **state)
{
	struct evtchn_bind_interdomain b = { .remote_dom = 2 };
	evtchn_port_t for_d0 = alloc_unbound(d0, 2, 0);      /* d2's port, offered to dom0 */
	evtchn_port_t for_d1 = alloc_unbound(d2, DOMID_SELF, 1);
	evtchn_port_t ipi;
	struct evtchn_bind_ipi bi = { .vcpu = 0 };

	b.remote_port = for_d0;
	assert_int_equal(evtchn_bind_interdomain(d1, &b), -XEN_EINVAL);   /* not offered to us */
	b.remote_port = 500;
	assert_int_equal(evtchn_bind_interdomain(d1, &b), -XEN_EINVAL);   /* out of range */
	b.remote_port = 0;
	assert_int_equal(evtchn_bind_interdomain(d1, &b), -XEN_EINVAL);   /* reserved */
	b.remote_port = 40;
	assert_int_equal(evtchn_bind_interdomain(d1, &b), -XEN_EINVAL);   /* free */
	b.remote_dom = 99;
	b.remote_port = for_d1;
	assert_int_equal(evtchn_bind_interdomain(d1, &b), -XEN_ESRCH);
	assert_int_equal(evtchn_bind_ipi(d2, &bi), 0);
	ipi = bi.port;
	b.remote_dom = 2;
	b.remote_port = ipi;
	assert_int_equal(evtchn_bind_interdomain(d1, &b), -XEN_EINVAL);   /* not unbound */
	/* nothing was allocated by the refusals */
	assert_int_equal(status_of(d1, DOMID_SELF, 1).status, EVTCHNSTAT_closed);

	b.remote_port = for_d1;
	assert_int_equal(evtchn_bind_interdomain(d1, &b), 0);
	assert_int_equal(b.local_port, 1);
	/* a second bind to the now connected port */
	assert_int_equal(evtchn_bind_interdomain(d1, &b), -XEN_EINVAL);
	/* dom0 binds its port of d2 */
	b.remote_port = for_d0;
	assert_int_equal(evtchn_bind_interdomain(d0, &b), 0);
}

static void test_interdomain_delivery_and_close(void **state)
{
	evtchn_port_t p2 = alloc_unbound(d2, DOMID_SELF, 1);
	evtchn_port_t p1 = bind_interdomain(d1, 2, p2);
	struct evtchn_status s;

	consume(d1);
	consume(d2);
	assert_int_equal(evtchn_send(d1, p1), 0);
	assert_true(pending(d2, p2));
	assert_false(pending(d1, p1));
	assert_int_equal(d2->vcpus[0]->vcpu_info->evtchn_upcall_pending, 1);
	assert_int_equal(d2->vcpus[0]->vcpu_info->evtchn_pending_sel, 1ULL << (p2 / 64));
	assert_int_equal(shim_kicks(d2->vcpus[0]), 1);
	assert_int_equal(evtchn_send(d2, p2), 0);
	assert_true(pending(d1, p1));

	/* d2 closes: d1's end is unbound, naming d2; sends on it are dropped */
	assert_int_equal(evtchn_close(d2, p2), 0);
	s = status_of(d1, DOMID_SELF, p1);
	assert_int_equal(s.status, EVTCHNSTAT_unbound);
	assert_int_equal(s.u.unbound.dom, 2);
	consume(d2);
	assert_int_equal(evtchn_send(d1, p1), 0);
	for (unsigned w = 0; w < 64; w++)
		assert_int_equal(d2->shared_info->evtchn_pending[w], 0);
	/* d2 may connect again; the new end is raised for it */
	p2 = bind_interdomain(d2, 1, p1);
	assert_true(pending(d2, p2));
	assert_int_equal(status_of(d1, DOMID_SELF, p1).status, EVTCHNSTAT_interdomain);
	/* destroying d2 leaves d1's end unbound (tested with a fresh domain) */
	{
		struct domain *d3 = shim_domain_create(3, 1, false);
		evtchn_port_t p3 = alloc_unbound(d3, DOMID_SELF, 1);
		evtchn_port_t q = bind_interdomain(d1, 3, p3);

		shim_domain_destroy(d3);
		s = status_of(d1, DOMID_SELF, q);
		assert_int_equal(s.status, EVTCHNSTAT_unbound);
		assert_int_equal(s.u.unbound.dom, 3);
		assert_int_equal(evtchn_send(d1, q), 0);
	}
}

/* ---- VIRQs ---- */
static void test_bind_virq(void **state)
{
	struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 0 };
	evtchn_port_t t0, t1;

	assert_int_equal(evtchn_bind_virq(d1, &b), 0);
	t0 = b.port;
	assert_int_equal(evtchn_bind_virq(d1, &b), -XEN_EEXIST);
	b.vcpu = 1;
	assert_int_equal(evtchn_bind_virq(d1, &b), 0);   /* per-vCPU: once on each */
	t1 = b.port;
	assert_int_not_equal(t0, t1);
	b.vcpu = 2;
	assert_int_equal(evtchn_bind_virq(d1, &b), -XEN_ENOENT);
	b.vcpu = 0xffffffffu;
	assert_int_equal(evtchn_bind_virq(d1, &b), -XEN_ENOENT);
	b = (struct evtchn_bind_virq){ .virq = NR_VIRQS, .vcpu = 0 };
	assert_int_equal(evtchn_bind_virq(d1, &b), -XEN_EINVAL);
	b.virq = 0xffffffffu;
	assert_int_equal(evtchn_bind_virq(d1, &b), -XEN_EINVAL);
	/* global VIRQs: vCPU 0 only (checked before the vCPU exists), once */
	b = (struct evtchn_bind_virq){ .virq = VIRQ_CONSOLE, .vcpu = 1 };
	assert_int_equal(evtchn_bind_virq(d1, &b), -XEN_EINVAL);
	b.vcpu = 99;
	assert_int_equal(evtchn_bind_virq(d1, &b), -XEN_EINVAL);
	b.vcpu = 0;
	assert_int_equal(evtchn_bind_virq(d1, &b), 0);
	assert_int_equal(evtchn_bind_virq(d1, &b), -XEN_EEXIST);
	assert_int_equal(status_of(d1, DOMID_SELF, b.port).status, EVTCHNSTAT_virq);
	assert_int_equal(status_of(d1, DOMID_SELF, b.port).u.virq, VIRQ_CONSOLE);
	assert_int_equal(status_of(d1, DOMID_SELF, t1).vcpu, 1);
	/* a VIRQ port cannot be sent on, nor a per-vCPU one moved */
	assert_int_equal(evtchn_send(d1, t0), -XEN_EINVAL);
	assert_int_equal(evtchn_bind_vcpu(d1, t0, 1), -XEN_EINVAL);

	/* the hypervisor raises them */
	consume(d1);
	evtchn_send_virq(d1->vcpus[1], VIRQ_TIMER);
	assert_true(pending(d1, t1));
	assert_false(pending(d1, t0));
	assert_int_equal(d1->vcpus[1]->vcpu_info->evtchn_upcall_pending, 1);
	assert_int_equal(d1->vcpus[0]->vcpu_info->evtchn_upcall_pending, 0);
	evtchn_send_virq(d1->vcpus[0], VIRQ_DEBUG);      /* not bound: nothing */
	evtchn_send_virq(d1->vcpus[0], VIRQ_CONSOLE);    /* global: not this way */
	evtchn_send_virq(d1->vcpus[0], 1000);
	assert_false(pending(d1, b.port));
	evtchn_send_global_virq(d1, VIRQ_TIMER);         /* per-vCPU: not this way */
	assert_false(pending(d1, t0));
	evtchn_send_global_virq(d1, VIRQ_CONSOLE);
	assert_true(pending(d1, b.port));

	/* close and rebind */
	assert_int_equal(evtchn_close(d1, t1), 0);
	consume(d1);
	evtchn_send_virq(d1->vcpus[1], VIRQ_TIMER);
	assert_false(pending(d1, t1));
	b = (struct evtchn_bind_virq){ .virq = VIRQ_TIMER, .vcpu = 1 };
	assert_int_equal(evtchn_bind_virq(d1, &b), 0);
	assert_int_equal(b.port, t1);
}

static void test_global_virq_moved(void **state)
{
	struct evtchn_bind_virq b = { .virq = VIRQ_DOM_EXC, .vcpu = 0 };

	assert_int_equal(evtchn_bind_virq(d0, &b), 0);
	assert_int_equal(evtchn_bind_vcpu(d0, b.port, 1), 0);
	assert_int_equal(status_of(d0, DOMID_SELF, b.port).vcpu, 1);
	consume(d0);
	evtchn_send_global_virq(d0, VIRQ_DOM_EXC);
	assert_int_equal(d0->vcpus[1]->vcpu_info->evtchn_upcall_pending, 1);
	assert_int_equal(d0->vcpus[0]->vcpu_info->evtchn_upcall_pending, 0);
	assert_int_equal(evtchn_bind_vcpu(d0, b.port, 2), -XEN_ENOENT);
	/* still bound once per domain, and closing frees the VIRQ */
	assert_int_equal(evtchn_bind_virq(d0, &b), -XEN_EEXIST);
	assert_int_equal(evtchn_close(d0, b.port), 0);
	assert_int_equal(evtchn_bind_virq(d0, &b), 0);
}

/* ---- IPIs and bind_vcpu ---- */
static void test_ipi_and_bind_vcpu(void **state)
{
	struct evtchn_bind_ipi bi = { .vcpu = 1 };
	evtchn_port_t u;

	assert_int_equal(evtchn_bind_ipi(d1, &bi), 0);
	assert_int_equal(status_of(d1, DOMID_SELF, bi.port).status, EVTCHNSTAT_ipi);
	assert_int_equal(status_of(d1, DOMID_SELF, bi.port).vcpu, 1);
	consume(d1);
	assert_int_equal(evtchn_send(d1, bi.port), 0);
	assert_true(pending(d1, bi.port));
	assert_int_equal(d1->vcpus[1]->vcpu_info->evtchn_upcall_pending, 1);
	assert_int_equal(d1->vcpus[0]->vcpu_info->evtchn_upcall_pending, 0);
	assert_int_equal(shim_kicks(d1->vcpus[1]), 1);
	assert_int_equal(evtchn_bind_vcpu(d1, bi.port, 0), -XEN_EINVAL);

	bi.vcpu = 2;
	assert_int_equal(evtchn_bind_ipi(d1, &bi), -XEN_ENOENT);
	bi.vcpu = 0x80000000u;
	assert_int_equal(evtchn_bind_ipi(d1, &bi), -XEN_ENOENT);

	/* unbound and interdomain ports move between vCPUs */
	u = alloc_unbound(d1, DOMID_SELF, DOMID_SELF);
	assert_int_equal(evtchn_bind_vcpu(d1, u, 1), 0);
	assert_int_equal(status_of(d1, DOMID_SELF, u).vcpu, 1);
	assert_int_equal(evtchn_bind_vcpu(d1, u, 5), -XEN_ENOENT);
	assert_int_equal(evtchn_bind_vcpu(d1, 3000, 5), -XEN_ENOENT);   /* vCPU checked first */
	assert_int_equal(evtchn_bind_vcpu(d1, 30, 0), -XEN_EINVAL);    /* free */
	{
		evtchn_port_t l = bind_interdomain(d1, DOMID_SELF, u);
		consume(d1);
		assert_int_equal(evtchn_send(d1, l), 0);   /* raises u, on vCPU 1 */
		assert_int_equal(d1->vcpus[1]->vcpu_info->evtchn_upcall_pending, 1);
		assert_int_equal(d1->vcpus[0]->vcpu_info->evtchn_upcall_pending, 0);
		assert_int_equal(evtchn_bind_vcpu(d1, l, 1), 0);
		/* closing resets the vCPU: a reused port starts on vCPU 0 */
		assert_int_equal(evtchn_close(d1, l), 0);
		assert_int_equal(status_of(d1, DOMID_SELF, l).vcpu, 0);
	}
}

/* ---- 2-level delivery: mask, unmask, selector ---- */
static void test_mask_and_unmask(void **state)
{
	struct evtchn_bind_ipi bi = { .vcpu = 0 };
	struct vcpu_info *vi = d1->vcpus[0]->vcpu_info;
	evtchn_port_t p;

	assert_int_equal(evtchn_bind_ipi(d1, &bi), 0);
	p = bi.port;
	consume(d1);
	set_mask(d1, p, true);
	assert_int_equal(evtchn_send(d1, p), 0);
	assert_true(pending(d1, p));
	assert_true(evtchn_port_pending(d1, p));
	assert_int_equal(vi->evtchn_pending_sel, 0);
	assert_int_equal(vi->evtchn_upcall_pending, 0);
	assert_int_equal(shim_kicks(d1->vcpus[0]), 0);
	/* but it wakes a vCPU in SCHEDOP_poll, on any vCPU of the domain */
	assert_int_equal(evtchn_close(d1, p), 0);
	assert_int_equal(evtchn_bind_ipi(d1, &bi), 0);
	d1->vcpus[1]->polling = true;
	assert_int_equal(evtchn_send(d1, p), 0);
	assert_int_equal(shim_kicks(d1->vcpus[1]), 1);
	assert_int_equal(shim_kicks(d1->vcpus[0]), 0);
	assert_int_equal(evtchn_send(d1, p), 0);   /* already pending: no new wake */
	assert_int_equal(shim_kicks(d1->vcpus[1]), 1);
	d1->vcpus[1]->polling = false;

	assert_int_equal(evtchn_unmask(d1, p), 0);
	assert_false(d1->shared_info->evtchn_mask[0] & (1ULL << p));
	assert_int_equal(vi->evtchn_pending_sel, 1);
	assert_int_equal(vi->evtchn_upcall_pending, 1);
	assert_int_equal(shim_kicks(d1->vcpus[0]), 1);

	/* unmask of an unmasked pending port does nothing (Linux handles local ones) */
	vi->evtchn_pending_sel = 0;
	vi->evtchn_upcall_pending = 0;
	assert_int_equal(evtchn_unmask(d1, p), 0);
	assert_int_equal(vi->evtchn_pending_sel, 0);
	assert_int_equal(vi->evtchn_upcall_pending, 0);
	/* masked and not pending: unmask only clears the mask */
	consume(d1);
	set_mask(d1, p, true);
	assert_int_equal(evtchn_unmask(d1, p), 0);
	assert_int_equal(vi->evtchn_upcall_pending, 0);
	assert_int_equal(d1->shared_info->evtchn_mask[0], 0);
}

static void test_pending_sel(void **state)
{
	struct vcpu_info *vi = d0->vcpus[0]->vcpu_info;
	evtchn_port_t ports[70];

	for (unsigned i = 0; i < 70; i++) {
		struct evtchn_bind_ipi bi = { .vcpu = 0 };
		assert_int_equal(evtchn_bind_ipi(d0, &bi), 0);
		ports[i] = bi.port;
	}
	assert_int_equal(ports[69], 70);
	consume(d0);
	assert_int_equal(evtchn_send(d0, ports[0]), 0);
	assert_int_equal(vi->evtchn_pending_sel, 1);
	assert_int_equal(shim_kicks(d0->vcpus[0]), 1);
	/* same word: the selector is already set, so no new upcall or kick */
	assert_int_equal(evtchn_send(d0, ports[5]), 0);
	assert_int_equal(shim_kicks(d0->vcpus[0]), 1);
	/* another word: its selector bit; the upcall is already pending */
	assert_int_equal(evtchn_send(d0, ports[69]), 0);
	assert_int_equal(vi->evtchn_pending_sel, 3);
	assert_int_equal(shim_kicks(d0->vcpus[0]), 1);
	/* a poller is woken even so: it waits with upcalls masked */
	d0->vcpus[0]->polling = true;
	assert_int_equal(evtchn_send(d0, ports[68]), 0);
	assert_int_equal(shim_kicks(d0->vcpus[0]), 2);
	d0->vcpus[0]->polling = false;
	shim_reset_kicks();
	/* the guest took the selector but not the upcall flag: a new word re-sets it */
	vi->evtchn_pending_sel = 0;
	memset(d0->shared_info->evtchn_pending, 0, sizeof(d0->shared_info->evtchn_pending));
	assert_int_equal(evtchn_send(d0, ports[1]), 0);
	assert_int_equal(vi->evtchn_pending_sel, 1);
	assert_int_equal(vi->evtchn_upcall_pending, 1);
	assert_int_equal(shim_kicks(d0->vcpus[0]), 0);   /* the upcall flag was still set */
}

/* A flood of sends to one port costs one bit and one kick. */
static void test_flood(void **state)
{
	struct evtchn_bind_ipi bi = { .vcpu = 0 };

	assert_int_equal(evtchn_bind_ipi(d1, &bi), 0);
	consume(d1);
	for (unsigned i = 0; i < 1000000; i++)
		assert_int_equal(evtchn_send(d1, bi.port), 0);
	assert_true(pending(d1, bi.port));
	assert_int_equal(shim_kicks(d1->vcpus[0]), 1);
	assert_int_equal(shim_kicks(d2->vcpus[0]), 0);
}

/* A vCPU beyond the legacy 32 has no vcpu_info until it registers one. */
static void test_vcpu_without_vcpu_info(void **state)
{
	struct domain *big = shim_domain_create(9, 40, false);
	struct evtchn_bind_ipi bi = { .vcpu = 35 };

	assert_null(big->vcpus[35]->vcpu_info);
	assert_int_equal(evtchn_bind_ipi(big, &bi), 0);
	assert_int_equal(evtchn_send(big, bi.port), 0);
	assert_true(pending(big, bi.port));
	assert_int_equal(evtchn_unmask(big, bi.port), 0);
	shim_domain_destroy(big);
}

/* ---- Limits ---- */
static void test_port_limit_unprivileged(void **state)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = 0 };
	struct evtchn_bind_ipi bi = { .vcpu = 0 };
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct evtchn_bind_interdomain bd = { .remote_dom = DOMID_SELF };

	for (evtchn_port_t p = 1; p <= EVTCHN_DEFAULT_MAX_PORT; p++) {
		assert_int_equal(evtchn_alloc_unbound(d1, &a), 0);
		assert_int_equal(a.port, p);
	}
	assert_int_equal(evtchn_alloc_unbound(d1, &a), -XEN_ENOSPC);
	assert_int_equal(evtchn_bind_ipi(d1, &bi), -XEN_ENOSPC);
	assert_int_equal(evtchn_bind_virq(d1, &bv), -XEN_ENOSPC);
	/* d2 offers a port to d1; d1 has no room for its end */
	bd.remote_dom = 2;
	bd.remote_port = alloc_unbound(d2, DOMID_SELF, 1);
	assert_int_equal(evtchn_bind_interdomain(d1, &bd), -XEN_ENOSPC);
	/* the other domains are untouched by d1's exhaustion */
	assert_int_equal(alloc_unbound(d2, DOMID_SELF, 1), 2);
	/* lowest first after a close */
	assert_int_equal(evtchn_close(d1, 500), 0);
	assert_int_equal(evtchn_close(d1, 7), 0);
	assert_int_equal(evtchn_alloc_unbound(d1, &a), 0);
	assert_int_equal(a.port, 7);
	assert_int_equal(evtchn_alloc_unbound(d1, &a), 0);
	assert_int_equal(a.port, 500);
	assert_int_equal(evtchn_alloc_unbound(d1, &a), -XEN_ENOSPC);
	/* the toolstack raises the limit */
	assert_int_equal(evtchn_set_max_port(d1, 0), -XEN_EINVAL);
	assert_int_equal(evtchn_set_max_port(d1, 2000), 0);
	assert_int_equal(evtchn_alloc_unbound(d1, &a), 0);
	assert_int_equal(a.port, 1024);
	/* but never beyond what 2-level can name */
	assert_int_equal(evtchn_set_max_port(d1, 0xffffffffu), 0);
	for (evtchn_port_t p = 1025; p < 4096; p++)
		assert_int_equal(evtchn_alloc_unbound(d1, &a), 0);
	assert_int_equal(evtchn_alloc_unbound(d1, &a), -XEN_ENOSPC);
}

static void test_port_limit_privileged(void **state)
{
	struct evtchn_bind_ipi bi = { .vcpu = 1 };

	for (evtchn_port_t p = 1; p < 4096; p++) {
		assert_int_equal(evtchn_bind_ipi(d0, &bi), 0);
		assert_int_equal(bi.port, p);
	}
	assert_int_equal(evtchn_bind_ipi(d0, &bi), -XEN_ENOSPC);
	assert_int_equal(evtchn_send(d0, 4095), 0);
	assert_true(pending(d0, 4095));
	assert_int_equal(d0->vcpus[1]->vcpu_info->evtchn_pending_sel, 1ULL << 63);
}

/* ---- status, privilege ---- */
static void test_status_privilege(void **state)
{
	struct evtchn_status s = { .dom = 2, .port = 1 };
	evtchn_port_t p = alloc_unbound(d2, DOMID_SELF, 1);

	assert_int_equal(evtchn_status(d1, &s), -XEN_EPERM);
	s.port = 4096;
	assert_int_equal(evtchn_status(d1, &s), -XEN_EINVAL);   /* range before privilege */
	s.dom = 55;
	assert_int_equal(evtchn_status(d1, &s), -XEN_ESRCH);
	s = status_of(d0, 2, p);
	assert_int_equal(s.status, EVTCHNSTAT_unbound);
	assert_int_equal(s.u.unbound.dom, 1);
	s = status_of(d2, 2, p);   /* own id explicitly */
	assert_int_equal(s.status, EVTCHNSTAT_unbound);
}

/* ---- reset ---- */
static void test_reset(void **state)
{
	evtchn_port_t p2 = alloc_unbound(d2, DOMID_SELF, 1);
	evtchn_port_t p1 = bind_interdomain(d1, 2, p2);
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 1 };
	struct evtchn_status s;

	assert_int_equal(evtchn_bind_virq(d1, &bv), 0);
	assert_int_equal(evtchn_reset(d1, 2, false), -XEN_EPERM);
	assert_int_equal(evtchn_reset(d1, 42, false), -XEN_ESRCH);
	assert_int_equal(evtchn_reset(d0, 1, false), -XEN_EINVAL);   /* running: not paused */
	assert_int_equal(evtchn_reset(d1, DOMID_SELF, false), 0);
	assert_int_equal(status_of(d1, DOMID_SELF, p1).status, EVTCHNSTAT_closed);
	assert_int_equal(status_of(d1, DOMID_SELF, bv.port).status, EVTCHNSTAT_closed);
	s = status_of(d2, DOMID_SELF, p2);
	assert_int_equal(s.status, EVTCHNSTAT_unbound);
	assert_int_equal(s.u.unbound.dom, 1);
	assert_false(pending(d1, p1));
	/* everything is bindable again, from port 1 */
	assert_int_equal(evtchn_bind_virq(d1, &bv), 0);
	assert_int_equal(bv.port, 1);
	/* a privileged caller resets a domain that is not running */
	d1->state = DOMAIN_SHUTDOWN;
	assert_int_equal(evtchn_reset(d0, 1, false), 0);
	assert_int_equal(status_of(d1, DOMID_SELF, 1).status, EVTCHNSTAT_closed);
	evtchn_close_all(d1);   /* idempotent */
}

/* ---- Reset and destruction yield (continuations) ---- */

/* d0 (privileged) opens `n` unbound ports for d1; returns the highest. */
static evtchn_port_t open_many(unsigned n)
{
	evtchn_port_t p = 0;

	for (unsigned i = 0; i < n; i++)
		p = alloc_unbound(d0, DOMID_SELF, 1);
	return p;
}

static void test_reset_preempted(void **state)
{
	evtchn_port_t p1 = alloc_unbound(d1, DOMID_SELF, 0);
	evtchn_port_t peer = bind_interdomain(d0, 1, p1);
	evtchn_port_t last = open_many(4000);
	unsigned calls = 0;
	int rc;

	assert_int_equal(last, 4001);
	/* a reset_cont with no reset in progress is refused */
	assert_int_equal(evtchn_reset(d0, DOMID_SELF, true), -XEN_EBUSY);
	fake_preempt_every = 1;
	fake_preempt_checks = 0;
	rc = evtchn_reset(d0, DOMID_SELF, false);
	assert_int_equal(rc, -XEN_ERESTART);
	/* it stopped at the first check, after port 64: the rest is still open */
	assert_int_equal(fake_preempt_checks, 1);
	assert_int_equal(status_of(d0, DOMID_SELF, 64).status, EVTCHNSTAT_closed);
	assert_int_equal(status_of(d0, DOMID_SELF, 65).status, EVTCHNSTAT_unbound);
	assert_int_equal(status_of(d0, DOMID_SELF, last).status, EVTCHNSTAT_unbound);
	/* the interdomain peer (port 1) was closed: d1's end is unbound again */
	assert_int_equal(status_of(d1, DOMID_SELF, p1).status, EVTCHNSTAT_unbound);
	(void)peer;
	/* a second reset while one is in progress is refused */
	assert_int_equal(evtchn_reset(d0, DOMID_SELF, false), -XEN_EBUSY);
	/* another domain's continuation of it is checked as the reset is */
	assert_int_equal(evtchn_reset(d1, 0, true), -XEN_EPERM);
	/* each continuation moves on by 64 ports */
	do {
		rc = evtchn_reset(d0, DOMID_SELF, true);
		calls++;
	} while (rc == -XEN_ERESTART && calls < 1000);
	assert_int_equal(rc, 0);
	/* ports exist up to 4031 (64 at a time): checks at 128, 192, .. 3968, then done */
	assert_int_equal(calls, 4032 / 64 - 1);
	assert_int_equal(status_of(d0, DOMID_SELF, last).status, EVTCHNSTAT_closed);
	assert_int_equal(evtchn_reset(d0, DOMID_SELF, true), -XEN_EBUSY);   /* finished */
	fake_preempt_every = 0;
	/* everything is free again, from port 1 */
	assert_int_equal(alloc_unbound(d0, DOMID_SELF, 1), 1);
	/* not preempted: one call */
	open_many(100);
	assert_int_equal(evtchn_reset(d0, DOMID_SELF, false), 0);
	assert_int_equal(status_of(d0, DOMID_SELF, 101).status, EVTCHNSTAT_closed);
}

static void test_reset_continuation_through_decoder(void **state)
{
	struct evtchn_reset r = { .dom = DOMID_SELF };
	int64_t rc;

	open_many(300);
	fake_preempt_every = 1;
	memset(&fake_continuation, 0, sizeof(fake_continuation));
	rc = do_event_channel_op(current_vcpu(), (uint64_t[6]){ EVTCHNOP_reset, (uint64_t)&r });
	/* re-issued as reset_cont with the same argument */
	assert_int_equal(rc, __HYPERVISOR_event_channel_op);
	assert_int_equal(fake_continuation.nr, __HYPERVISOR_event_channel_op);
	assert_int_equal(fake_continuation.nargs, 2);
	assert_int_equal(fake_continuation.args[0], EVTCHNOP_reset_cont);
	assert_int_equal(fake_continuation.args[1], (uint64_t)&r);
	while ((rc = do_event_channel_op(current_vcpu(), (uint64_t[6]){ EVTCHNOP_reset_cont, (uint64_t)&r })) ==
	       __HYPERVISOR_event_channel_op)
		;
	assert_int_equal(rc, 0);
	fake_preempt_every = 0;
	assert_int_equal(status_of(d0, DOMID_SELF, 300).status, EVTCHNSTAT_closed);
	assert_int_equal(do_event_channel_op(current_vcpu(), (uint64_t[6]){ EVTCHNOP_reset_cont, (uint64_t)&r }),
			 -XEN_EBUSY);
}

static void test_destroy_preempted(void **state)
{
	evtchn_port_t p1 = alloc_unbound(d1, DOMID_SELF, 0);
	evtchn_port_t peer = bind_interdomain(d0, 1, p1);
	unsigned calls = 1;

	open_many(1000);
	/* a reset in progress when the domain dies: destruction takes over */
	fake_preempt_every = 1;
	assert_int_equal(evtchn_reset(d0, DOMID_SELF, false), -XEN_ERESTART);
	(void)peer;   /* port 1 of d0: the reset's first slice closed it already */
	while (evtchn_domain_destroy(d0) == -XEN_ERESTART)
		calls++;
	assert_null(d0->evtchn);
	assert_int_equal(calls, 1024 / 64);
	fake_preempt_every = 0;
	/* the surviving peer's end is unbound again */
	assert_int_equal(status_of(d1, DOMID_SELF, p1).status, EVTCHNSTAT_unbound);
	/* destroying again is a no-op, and the shim's teardown copes */
	assert_int_equal(evtchn_domain_destroy(d0), 0);
}

static void test_destroy_closes_peers_late(void **state)
{
	evtchn_port_t last = open_many(700);
	evtchn_port_t p1 = alloc_unbound(d1, DOMID_SELF, 0);
	struct evtchn_bind_interdomain b = { .remote_dom = 1, .remote_port = p1 };

	/* an interdomain port high up in d0: still connected after the first slice */
	assert_int_equal(evtchn_bind_interdomain(d0, &b), 0);
	assert_int_equal(b.local_port, last + 1);
	fake_preempt_every = 1;
	assert_int_equal(evtchn_domain_destroy(d0), -XEN_ERESTART);
	assert_int_equal(status_of(d1, DOMID_SELF, p1).status, EVTCHNSTAT_interdomain);
	while (evtchn_domain_destroy(d0) == -XEN_ERESTART)
		;
	fake_preempt_every = 0;
	assert_int_equal(status_of(d1, DOMID_SELF, p1).status, EVTCHNSTAT_unbound);
}

/* ---- The hypercall decoder ---- */
static void test_hypercall_decoder(void **state)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_set_priority sp = { .port = 1, .priority = 0 };
	struct evtchn_expand_array ea = { .array_gfn = 0 };
	struct evtchn_bind_pirq bp = { .pirq = 1 };
	struct evtchn_reset r = { .dom = DOMID_SELF };
	struct evtchn_status st = { .dom = DOMID_SELF };

	set_current_vcpu(d1->vcpus[0]);
	assert_int_equal(do_event_channel_op(current_vcpu(), (uint64_t[6]){ EVTCHNOP_alloc_unbound }), -XEN_EFAULT);
	assert_int_equal(do_event_channel_op(current_vcpu(), (uint64_t[6]){ EVTCHNOP_alloc_unbound, SHIM_BAD_VA - 1 }),
			 -XEN_EFAULT);
	assert_int_equal(do_event_channel_op(current_vcpu(), (uint64_t[6]){ 99, (uint64_t)&a }), -XEN_ENOSYS);
	assert_int_equal(do_event_channel_op(current_vcpu(), (uint64_t[6]){ 99 }), -XEN_ENOSYS);
	assert_int_equal(do_event_channel_op(current_vcpu(), (uint64_t[6]){ EVTCHNOP_alloc_unbound, (uint64_t)&a }), 0);
	assert_int_equal(a.port, 1);
	/* upper bits of cmd are ignored (an int in Xen's prototype) */
	assert_int_equal(do_event_channel_op(current_vcpu(), (uint64_t[6]){ 0x100000000ULL | EVTCHNOP_alloc_unbound, (uint64_t)&a }), 0);
	assert_int_equal(a.port, 2);
	/* the result cannot be written back: -EFAULT, but the port exists */
	shim_copy_to_fails = true;
	assert_int_equal(do_event_channel_op(current_vcpu(), (uint64_t[6]){ EVTCHNOP_alloc_unbound, (uint64_t)&a }),
			 -XEN_EFAULT);
	shim_copy_to_fails = false;
	assert_int_equal(status_of(d1, DOMID_SELF, 3).status, EVTCHNSTAT_unbound);
	/* ops without OUT fields do not write back */
	shim_copy_to_fails = true;
	{
		struct evtchn_close c = { .port = 3 };
		assert_int_equal(do_event_channel_op(current_vcpu(), (uint64_t[6]){ EVTCHNOP_close, (uint64_t)&c }), 0);
	}
	shim_copy_to_fails = false;
	st.port = 2;
	assert_int_equal(do_event_channel_op(current_vcpu(), (uint64_t[6]){ EVTCHNOP_status, (uint64_t)&st }), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 1);
	/* 2-level: no priorities, no event array, no pirqs */
	assert_int_equal(do_event_channel_op(current_vcpu(), (uint64_t[6]){ EVTCHNOP_set_priority, (uint64_t)&sp }),
			 -XEN_ENOSYS);
	sp.port = 4000;
	assert_int_equal(do_event_channel_op(current_vcpu(), (uint64_t[6]){ EVTCHNOP_set_priority, (uint64_t)&sp }),
			 -XEN_EINVAL);
	assert_int_equal(do_event_channel_op(current_vcpu(), (uint64_t[6]){ EVTCHNOP_expand_array, (uint64_t)&ea }),
			 -XEN_EOPNOTSUPP);
	assert_int_equal(do_event_channel_op(current_vcpu(), (uint64_t[6]){ EVTCHNOP_bind_pirq, (uint64_t)&bp }),
			 -XEN_EINVAL);
	assert_int_equal(do_event_channel_op(current_vcpu(), (uint64_t[6]){ EVTCHNOP_reset_cont, (uint64_t)&r }),
			 -XEN_EBUSY);
	assert_int_equal(do_event_channel_op(current_vcpu(), (uint64_t[6]){ EVTCHNOP_reset, (uint64_t)&r }), 0);
	assert_int_equal(status_of(d1, DOMID_SELF, 1).status, EVTCHNSTAT_closed);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_port_zero_reserved),
		T(test_bad_ports),
		T(test_alloc_unbound),
		T(test_loopback),
		T(test_bind_interdomain_refusals),
		T(test_interdomain_delivery_and_close),
		T(test_bind_virq),
		T(test_global_virq_moved),
		T(test_ipi_and_bind_vcpu),
		T(test_mask_and_unmask),
		T(test_pending_sel),
		T(test_flood),
		T(test_vcpu_without_vcpu_info),
		T(test_port_limit_unprivileged),
		T(test_port_limit_privileged),
		T(test_status_privilege),
		T(test_reset),
		T(test_hypercall_decoder),
		T(test_reset_preempted),
		T(test_reset_continuation_through_decoder),
		T(test_destroy_preempted),
		T(test_destroy_closes_peers_late),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
