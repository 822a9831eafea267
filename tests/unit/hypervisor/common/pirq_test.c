/*
 * Physical interrupts as event channels (common/event_pirq.c) against a
 * fake interrupt controller (fake/evtchn.c): the pirq table's refusals
 * (bad pirq and irq numbers, double maps, another domain's line, an
 * unprivileged caller, binding an unmapped pirq or the hypervisor's own
 * line), and delivery: edge raised at once, level masked until the EOI,
 * close and unmap masking the line again.
 */
#include "fake/evtchn.h"

#include <stdlib.h>
#include <string.h>
#include <event.h>
#include <pirq.h>
#include <public/errno.h>

static struct domain *d0, *d1, *d3;

static int setup(void **state)
{
	shim_reset_kicks();
	shim_irq_reset();
	d0 = shim_domain_create(0, 2, true);
	d1 = shim_domain_create(1, 1, false);
	d3 = shim_domain_create(3, 1, true);   /* a second privileged domain (driver domain) */
	set_current_vcpu(d0->vcpus[0]);
	return 0;
}

static int teardown(void **state)
{
	shim_domain_destroy(d3);
	shim_domain_destroy(d1);
	shim_domain_destroy(d0);
	return 0;
}

static bool pending(struct domain *d, evtchn_port_t p)
{
	return (d->shared_info->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

static void clear_pending(struct domain *d, evtchn_port_t p)
{
	d->shared_info->evtchn_pending[p / 64] &= ~(1ULL << (p % 64));
}

static int map(struct domain *d, unsigned irq, int pirq)
{
	int rc = pirq_map_irq(d, irq, &pirq);
	return rc ? rc : pirq;
}

static int bind(struct domain *d, uint32_t pirq, evtchn_port_t *port)
{
	struct evtchn_bind_pirq b = { .pirq = pirq, .flags = BIND_PIRQ__WILL_SHARE };
	int rc = evtchn_bind_pirq(d, &b);

	if (rc == 0)
		*port = b.port;
	return rc;
}

static void test_map_refusals(void **state)
{
	int pirq = -1;

	/* unprivileged: no physical lines */
	assert_int_equal(pirq_map_irq(d1, 4, &pirq), -XEN_EPERM);
	assert_null(d1->pirq);
	/* bad numbers */
	pirq = 5;
	assert_int_equal(pirq_map_irq(d0, SHIM_NR_IRQS, &pirq), -XEN_EINVAL);   /* no such line */
	assert_int_equal(pirq_map_irq(d0, 100000, &pirq), -XEN_EINVAL);
	pirq = NR_PIRQS;
	assert_int_equal(pirq_map_irq(d0, 5, &pirq), -XEN_EINVAL);             /* pirq out of range */
	pirq = 0x7fffffff;
	assert_int_equal(pirq_map_irq(d0, 5, &pirq), -XEN_EINVAL);
	/* nothing was mapped by the refusals */
	assert_int_equal(pirq_eoi(d0, 5), -XEN_EINVAL);
	assert_int_equal(pirq_unmap(d0, 5), -XEN_EINVAL);
	assert_int_equal(pirq_unmap(d0, NR_PIRQS), -XEN_EINVAL);
	assert_int_equal(pirq_eoi(d0, 0xffffffffu), -XEN_EINVAL);
}

static void test_map_and_double_map(void **state)
{
	/* Linux's legacy IRQs: pirq = gsi */
	assert_int_equal(map(d0, 8, 8), 8);
	/* the same pair again, or "any pirq" for the line: that mapping (as Xen) */
	assert_int_equal(map(d0, 8, 8), 8);
	assert_int_equal(map(d0, 8, -1), 8);
	/* the line under another pirq, or the pirq for another line: refused */
	assert_int_equal(map(d0, 8, 9), -XEN_EEXIST);
	assert_int_equal(map(d0, 9, 8), -XEN_EEXIST);
	/* "any pirq": the line's own number when free, else the lowest from 16 */
	assert_int_equal(map(d0, 20, -1), 20);
	assert_int_equal(map(d0, 3, 16), 16);
	assert_int_equal(map(d0, 21, 21), 21);
	assert_int_equal(map(d0, 5, -1), 5);
	assert_int_equal(map(d0, 6, 17), 17);
	assert_int_equal(map(d0, 7, -1), 7);
	assert_int_equal(map(d0, 22, 6), 6);          /* pirq 6 is free: a name like any other */
	assert_int_equal(map(d0, 23, -1), 23);
	assert_int_equal(map(d0, 2, -1), 2);
	assert_int_equal(pirq_unmap(d0, 2), 0);
	assert_int_equal(map(d0, 0, 2), 2);           /* pirq 2 now names line 0 */
	assert_int_equal(map(d0, 2, -1), 18);         /* pirq 2 taken: lowest free from 16 */
	/* another domain may not take d0's line, even privileged */
	assert_int_equal(map(d3, 8, 8), -XEN_EBUSY);
	/* until d0 lets it go */
	assert_int_equal(pirq_unmap(d0, 8), 0);
	assert_int_equal(pirq_unmap(d0, 8), -XEN_EINVAL);
	assert_int_equal(map(d3, 8, 8), 8);
	assert_int_equal(map(d0, 8, 8), -XEN_EBUSY);
	assert_int_equal(pirq_unmap(d3, 8), 0);
	/* every line stayed masked: nothing was bound */
	for (unsigned i = 0; i < SHIM_NR_IRQS; i++)
		assert_true(shim_irq_masked[i]);
}

static void test_bind_refusals(void **state)
{
	evtchn_port_t port = 0;
	struct evtchn_status st = { .dom = DOMID_SELF };

	assert_int_equal(bind(d0, 1, &port), -XEN_EINVAL);          /* not mapped */
	assert_int_equal(bind(d0, NR_PIRQS, &port), -XEN_EINVAL);
	assert_int_equal(bind(d0, 0xffffffffu, &port), -XEN_EINVAL);
	assert_int_equal(bind(d1, 1, &port), -XEN_EINVAL);          /* d1 maps nothing */
	/* the hypervisor's line: mapped as Linux asks at boot, never bound */
	shim_irq_reserved = 4;
	assert_int_equal(map(d0, 4, 4), 4);
	assert_int_equal(bind(d0, 4, &port), -XEN_EBUSY);
	assert_true(shim_irq_masked[4]);
	/* no port was used up by the refusals */
	assert_int_equal(map(d0, 1, 1), 1);
	assert_int_equal(bind(d0, 1, &port), 0);
	assert_int_equal(port, 1);
	assert_false(shim_irq_masked[1]);
	st.port = port;
	assert_int_equal(evtchn_status(d0, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_pirq);
	assert_int_equal(st.u.pirq, 1);
	/* bound once only */
	assert_int_equal(bind(d0, 1, &port), -XEN_EEXIST);
	assert_int_equal(pirq_port(d0, 1), 1);
}

static void test_edge_delivery(void **state)
{
	evtchn_port_t port;

	assert_int_equal(map(d0, 8, 8), 8);
	pirq_irq_fired(8);                 /* mapped, not bound: masked, nothing raised */
	assert_true(shim_irq_masked[8]);
	assert_int_equal(bind(d0, 8, &port), 0);
	assert_false(shim_irq_masked[8]);
	pirq_irq_fired(8);
	assert_true(pending(d0, port));
	assert_false(shim_irq_masked[8]);  /* edge: no EOI owed */
	assert_false(shim_needs_eoi[8]);
	assert_int_equal(pirq_eoi(d0, 8), 0);   /* an EOI not owed is harmless */
	assert_false(shim_irq_masked[8]);
	/* close: masked again, and nothing more is raised */
	assert_int_equal(evtchn_close(d0, port), 0);
	assert_true(shim_irq_masked[8]);
	assert_int_equal(pirq_port(d0, 8), 0);
	clear_pending(d0, port);
	pirq_irq_fired(8);
	assert_false(pending(d0, port));
	/* and it may be bound again */
	assert_int_equal(bind(d0, 8, &port), 0);
	assert_false(shim_irq_masked[8]);
}

static void test_level_delivery(void **state)
{
	evtchn_port_t port;

	shim_irq_level[23] = true;
	assert_int_equal(map(d0, 23, -1), 23);
	assert_int_equal(bind(d0, 23, &port), 0);
	assert_false(shim_irq_masked[23]);
	pirq_irq_fired(23);
	assert_true(pending(d0, port));
	assert_true(shim_irq_masked[23]);      /* until the guest's EOI */
	assert_true(shim_needs_eoi[23]);
	assert_int_equal(pirq_eoi(d0, 23), 0);
	assert_false(shim_irq_masked[23]);
	assert_false(shim_needs_eoi[23]);
	/* in flight when the port closes: masked, the EOI bit withdrawn */
	pirq_irq_fired(23);
	assert_true(shim_needs_eoi[23]);
	assert_int_equal(evtchn_close(d0, port), 0);
	assert_true(shim_irq_masked[23]);
	assert_false(shim_needs_eoi[23]);
	/* an EOI after the close does not let the line through */
	assert_int_equal(pirq_eoi(d0, 23), 0);
	assert_true(shim_irq_masked[23]);
}

static void test_unmap_while_bound(void **state)
{
	evtchn_port_t port, port2;
	struct evtchn_status st = { .dom = DOMID_SELF };

	shim_irq_level[10] = true;
	assert_int_equal(map(d0, 10, 10), 10);
	assert_int_equal(bind(d0, 10, &port), 0);
	pirq_irq_fired(10);
	assert_int_equal(pirq_unmap(d0, 10), 0);
	assert_true(shim_irq_masked[10]);
	assert_false(shim_needs_eoi[10]);
	/* the port stays a pirq port (as on Xen) until closed; nothing raises it */
	st.port = port;
	assert_int_equal(evtchn_status(d0, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_pirq);
	assert_int_equal(pirq_eoi(d0, 10), -XEN_EINVAL);
	/* mapped and bound again: the stale port's close must not touch the new binding */
	assert_int_equal(map(d0, 10, 10), 10);
	assert_int_equal(bind(d0, 10, &port2), 0);
	assert_int_not_equal(port, port2);
	assert_int_equal(evtchn_close(d0, port), 0);
	assert_false(shim_irq_masked[10]);
	assert_int_equal(pirq_port(d0, 10), port2);
	clear_pending(d0, port2);
	pirq_irq_fired(10);
	assert_true(pending(d0, port2));
}

static void test_domain_destroy_releases_lines(void **state)
{
	evtchn_port_t port;

	assert_int_equal(map(d3, 12, 12), 12);
	assert_int_equal(bind(d3, 12, &port), 0);
	assert_false(shim_irq_masked[12]);
	shim_domain_destroy(d3);
	d3 = shim_domain_create(3, 1, true);
	assert_true(shim_irq_masked[12]);
	/* the line is free for others now */
	assert_int_equal(map(d0, 12, 12), 12);
	/* a line nobody maps fires: masked, no crash */
	shim_irq_masked[13] = false;
	pirq_irq_fired(13);
	assert_true(shim_irq_masked[13]);
	pirq_irq_fired(PIRQ_MAX_IRQS + 5);   /* out of range: ignored */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_and_double_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edge_delivery, setup, teardown),
		cmocka_unit_test_setup_teardown(test_level_delivery, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmap_while_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_domain_destroy_releases_lines, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
