/*
 * Event channels under the FIFO ABI: init_control and expand_array
 * refusals, linking into queues (head, tail LINK, READY, upcall), masking,
 * priorities, a port beyond the event array, the switch from 2-level
 * carrying pending ports, busy ports not reused, guest-side unlinking,
 * and reset back to 2-level.
 */
#include "fake/evtchn.h"

#include <string.h>
#include <event.h>
#include <page.h>
#include <public/errno.h>

#define W_PENDING (1u << EVTCHN_FIFO_PENDING)
#define W_MASKED  (1u << EVTCHN_FIFO_MASKED)
#define W_LINKED  (1u << EVTCHN_FIFO_LINKED)

static struct domain *d;
static uint64_t cb_mfn, cb1_mfn, arr_mfn;
static struct evtchn_fifo_control_block *cb, *cb1;
static uint32_t *arr;

static int setup(void **state)
{
	shim_reset_kicks();
	d = shim_domain_create(1, 2, true);
	cb_mfn = shim_frame_alloc(1);
	cb1_mfn = shim_frame_alloc(1);
	arr_mfn = shim_frame_alloc(1);
	cb = shim_frame(cb_mfn);
	cb1 = (void *)((char *)shim_frame(cb1_mfn) + 64);
	arr = shim_frame(arr_mfn);
	return 0;
}

static int teardown(void **state)
{
	shim_domain_destroy(d);
	return 0;
}

static void init_fifo(void)
{
	struct evtchn_init_control ic = { .control_gfn = cb_mfn, .vcpu = 0 };

	assert_int_equal(evtchn_init_control(d, &ic), 0);
	assert_int_equal(ic.link_bits, EVTCHN_FIFO_LINK_BITS);
	assert_int_equal(evtchn_expand_array(d, arr_mfn), 0);
}

static evtchn_port_t ipi(unsigned vcpu)
{
	struct evtchn_bind_ipi bi = { .vcpu = vcpu };

	assert_int_equal(evtchn_bind_ipi(d, &bi), 0);
	return bi.port;
}

static void test_refusals(void **state)
{
	struct evtchn_init_control ic = { .control_gfn = cb_mfn, .vcpu = 2 };
	uint64_t foreign = shim_frame_alloc(7);

	assert_int_equal(evtchn_expand_array(d, arr_mfn), -XEN_EOPNOTSUPP);
	assert_int_equal(evtchn_init_control(d, &ic), -XEN_ENOENT);
	ic.vcpu = 0;
	ic.offset = 4;
	assert_int_equal(evtchn_init_control(d, &ic), -XEN_EINVAL);
	ic.offset = 4096 - sizeof(struct evtchn_fifo_control_block) + 8;
	assert_int_equal(evtchn_init_control(d, &ic), -XEN_EINVAL);
	ic.offset = 0xfffffff8u;
	assert_int_equal(evtchn_init_control(d, &ic), -XEN_EINVAL);
	ic.offset = 0;
	ic.control_gfn = foreign;   /* another domain's frame */
	assert_int_equal(evtchn_init_control(d, &ic), -XEN_EINVAL);
	ic.control_gfn = 1ULL << 60;
	assert_int_equal(evtchn_init_control(d, &ic), -XEN_EINVAL);
	ic.control_gfn = ~0ULL;
	assert_int_equal(evtchn_init_control(d, &ic), -XEN_EINVAL);
	/* nothing changed: still 2-level */
	assert_int_equal(evtchn_set_priority(d, ipi(0), 0), -XEN_ENOSYS);

	ic.control_gfn = cb_mfn;
	ic.offset = 4096 - sizeof(struct evtchn_fifo_control_block);   /* last place that fits */
	ic.offset &= ~7u;
	assert_int_equal(evtchn_init_control(d, &ic), 0);
	assert_int_equal(evtchn_init_control(d, &ic), -XEN_EINVAL);   /* twice */
	assert_int_equal(evtchn_expand_array(d, foreign), -XEN_EINVAL);
	for (unsigned i = 0; i < 128; i++)
		assert_int_equal(evtchn_expand_array(d, arr_mfn), 0);   /* 2^17 ports */
	assert_int_equal(evtchn_expand_array(d, arr_mfn), -XEN_ENOSPC);
}

static void test_link_and_queue(void **state)
{
	evtchn_port_t a, b, c;
	struct vcpu_info *vi = d->vcpus[0]->vcpu_info;

	init_fifo();
	a = ipi(0);
	b = ipi(0);
	c = ipi(0);
	assert_int_equal(evtchn_send(d, a), 0);
	assert_int_equal(arr[a], W_PENDING | W_LINKED);
	assert_int_equal(cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], a);
	assert_int_equal(cb->ready, 1u << EVTCHN_FIFO_PRIORITY_DEFAULT);
	assert_int_equal(vi->evtchn_upcall_pending, 1);
	assert_int_equal(shim_kicks(d->vcpus[0]), 1);
	assert_true(evtchn_port_pending(d, a));

	/* the next one is linked behind it: no new READY, no new upcall */
	assert_int_equal(evtchn_send(d, b), 0);
	assert_int_equal(arr[a] & EVTCHN_FIFO_LINK_MASK, b);
	assert_int_equal(arr[b], W_PENDING | W_LINKED);
	assert_int_equal(shim_kicks(d->vcpus[0]), 1);
	/* raising a pending port again does nothing */
	assert_int_equal(evtchn_send(d, a), 0);
	assert_int_equal(arr[a] & EVTCHN_FIFO_LINK_MASK, b);

	/* the guest consumes the whole queue: the next raise starts a new head */
	arr[a] = 0;
	arr[b] = 0;
	cb->ready = 0;
	cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT] = 0;
	vi->evtchn_upcall_pending = 0;
	assert_int_equal(evtchn_send(d, c), 0);
	assert_int_equal(cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], c);
	assert_int_equal(arr[b], 0);   /* the stale tail was not written */
	assert_int_equal(vi->evtchn_upcall_pending, 1);
}

static void test_mask_unmask_priority(void **state)
{
	evtchn_port_t a, t;
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };

	init_fifo();
	a = ipi(0);
	arr[a] = W_MASKED;
	assert_int_equal(evtchn_send(d, a), 0);
	assert_int_equal(arr[a], W_MASKED | W_PENDING);
	assert_int_equal(cb->ready, 0);
	assert_int_equal(evtchn_set_priority(d, a, EVTCHN_FIFO_PRIORITY_MIN + 1), -XEN_EINVAL);
	assert_int_equal(evtchn_set_priority(d, a, 2), 0);
	assert_int_equal(evtchn_unmask(d, a), 0);
	assert_int_equal(arr[a], W_PENDING | W_LINKED);
	assert_int_equal(cb->head[2], a);
	assert_int_equal(cb->ready, 1u << 2);

	/* VIRQ_TIMER at the highest priority, as Linux asks */
	assert_int_equal(evtchn_bind_virq(d, &bv), 0);
	t = bv.port;
	assert_int_equal(evtchn_set_priority(d, t, EVTCHN_FIFO_PRIORITY_MAX), 0);
	evtchn_send_virq(d->vcpus[0], VIRQ_TIMER);
	assert_int_equal(cb->head[0], t);
	assert_int_equal(cb->ready, (1u << 2) | 1u);

	/* unmask of a masked, not pending port only clears the mask */
	arr[a] = W_MASKED;
	assert_int_equal(evtchn_unmask(d, a), 0);
	assert_int_equal(arr[a], 0);
}

static void test_vcpu_without_control_block(void **state)
{
	struct evtchn_init_control ic = { .control_gfn = cb1_mfn, .offset = 64, .vcpu = 1 };
	evtchn_port_t p;

	init_fifo();
	p = ipi(1);
	assert_int_equal(evtchn_send(d, p), 0);
	/* pending, but nothing to link into until vCPU 1 registers its block */
	assert_int_equal(arr[p], W_PENDING);
	assert_int_equal(d->vcpus[1]->vcpu_info->evtchn_upcall_pending, 0);
	assert_int_equal(evtchn_init_control(d, &ic), 0);
	arr[p] = W_MASKED | W_PENDING;
	assert_int_equal(evtchn_unmask(d, p), 0);
	assert_int_equal(cb1->head[EVTCHN_FIFO_PRIORITY_DEFAULT], p);
	assert_int_equal(d->vcpus[1]->vcpu_info->evtchn_upcall_pending, 1);
}

static void test_beyond_event_array(void **state)
{
	evtchn_port_t p = 0;
	uint64_t arr2 = shim_frame_alloc(1);
	uint32_t *words2 = shim_frame(arr2);

	init_fifo();
	/* fill ports up to 1024, the first beyond the one-page array */
	for (unsigned i = 1; i <= 1024; i++)
		p = ipi(0);
	assert_int_equal(p, 1024);
	assert_int_equal(evtchn_send(d, p), 0);
	assert_true(evtchn_port_pending(d, p));   /* remembered */
	assert_false(cb->ready & (1u << EVTCHN_FIFO_PRIORITY_DEFAULT));
	assert_int_equal(evtchn_expand_array(d, arr2), 0);
	assert_int_equal(words2[0], W_PENDING | W_LINKED);
	assert_int_equal(cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], 1024);
	/* privileged under FIFO: more than 4096 ports */
	for (unsigned i = 1025; i <= 5000; i++)
		p = ipi(0);
	assert_int_equal(p, 5000);
}

static void test_switch_keeps_pending(void **state)
{
	evtchn_port_t p = ipi(0);

	/* raised under 2-level, with the port masked */
	d->shared_info->evtchn_mask[0] = ~0ULL;
	assert_int_equal(evtchn_send(d, p), 0);
	init_fifo();   /* the array arrives: the raise is replayed */
	assert_int_equal(arr[p], W_PENDING | W_LINKED);
	assert_int_equal(cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], p);
}

static void test_busy_and_reset(void **state)
{
	evtchn_port_t a, b;

	init_fifo();
	a = ipi(0);
	assert_int_equal(evtchn_send(d, a), 0);
	assert_int_equal(evtchn_close(d, a), 0);
	/* closed, but still LINKED in the guest's queue: not reused yet */
	assert_int_equal(arr[a], W_LINKED);
	b = ipi(0);
	assert_int_not_equal(a, b);
	arr[a] = 0;   /* the guest walked past it */
	assert_int_equal(ipi(0), a);

	assert_int_equal(evtchn_reset(d, DOMID_SELF, false), 0);
	assert_int_equal(evtchn_set_priority(d, ipi(0), 0), -XEN_ENOSYS);   /* 2-level again */
	assert_int_equal(evtchn_expand_array(d, arr_mfn), -XEN_EOPNOTSUPP);
	memset(cb, 0, 4096);
	init_fifo();   /* and FIFO may be set up afresh */
}

/* The guest unlinks the tail concurrently: the event becomes a new head. */
static void test_tail_unlinked(void **state)
{
	evtchn_port_t a, b;

	init_fifo();
	a = ipi(0);
	b = ipi(0);
	assert_int_equal(evtchn_send(d, a), 0);
	arr[a] &= ~W_LINKED;   /* consumed, queue head left stale */
	cb->ready = 0;
	assert_int_equal(evtchn_send(d, b), 0);
	assert_int_equal(cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], b);
	assert_int_equal(arr[a] & EVTCHN_FIFO_LINK_MASK, 0);
	assert_int_equal(cb->ready, 1u << EVTCHN_FIFO_PRIORITY_DEFAULT);
}

/*
 * Registered frames hold a writable type reference (the hypervisor writes
 * them), so a page-table frame is refused and a registered one cannot
 * become a table; reset lets go of them.
 */
static void test_frame_references(void **state)
{
	struct evtchn_init_control ic = { .control_gfn = cb_mfn, .vcpu = 0 };
	struct page_info *cbp = &frame_table[cb_mfn], *arrp = &frame_table[arr_mfn];
	uint64_t table = shim_frame_alloc(1);

	frame_table[table].type = PGT_l1;
	frame_table[table].type_count = 1;   /* a pinned L1 */
	ic.control_gfn = table;
	assert_int_equal(evtchn_init_control(d, &ic), -XEN_EINVAL);
	assert_int_equal(evtchn_expand_array(d, arr_mfn), -XEN_EOPNOTSUPP);   /* still 2-level */
	ic.control_gfn = cb_mfn;
	init_fifo();
	assert_int_equal(evtchn_expand_array(d, table), -XEN_EINVAL);
	assert_int_equal(cbp->type, PGT_writable);
	assert_int_equal(cbp->type_count, 1);
	assert_int_equal(arrp->type, PGT_writable);
	assert_int_equal(arrp->type_count, 1);
	assert_int_equal(frame_table[table].type_count, 1);
	assert_int_equal(evtchn_reset(d, DOMID_SELF, false), 0);
	assert_int_equal(cbp->type_count, 0);
	assert_int_equal(arrp->type_count, 0);
	assert_int_equal(cbp->count, 1);   /* the allocation's only */
	assert_int_equal(arrp->count, 1);
}

/*
 * Back to 2-level, the ports FIFO made exist beyond 4095 still exist (the
 * table never shrinks; Xen 4.17 answers status and unmask for them too),
 * but 2-level has no bits for them: unmask(15999) used to write 456 bytes
 * past the shared_info page, and unmask(4500) to clear a bit of
 * arch.p2m_vaddr (mask word 70) and, with "pending" word 70 being
 * evtchn_mask[6], to set a selector bit in vcpu_info.arch.cr2.
 */
static void test_reset_forgets_fifo_ports(void **state)
{
	struct shared_info *si = d->shared_info;
	struct evtchn_status s = { .dom = DOMID_SELF };
	struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };
	evtchn_port_t p = 0;

	init_fifo();
	for (unsigned i = 1; i <= 16000; i++)
		p = ipi(0);
	assert_int_equal(p, 16000);
	assert_int_equal(evtchn_reset(d, DOMID_SELF, false), 0);
	assert_int_equal(evtchn_set_priority(d, 1, 0), -XEN_ENOSYS);   /* 2-level */

	si->arch.p2m_vaddr = ~0ULL;
	si->evtchn_mask[6] = 1ULL << (4500 % 64);
	si->vcpu_info[0].arch.cr2 = 0;
	assert_int_equal(evtchn_unmask(d, 4500), 0);
	assert_true(si->arch.p2m_vaddr == ~0ULL);
	assert_int_equal(si->vcpu_info[0].arch.cr2, 0);
	assert_int_equal(si->vcpu_info[0].evtchn_upcall_pending, 0);
	assert_int_equal(evtchn_unmask(d, 15999), 0);   /* ASan: nothing past the page */
	assert_int_equal(evtchn_raise(d, 15999), 0);
	assert_false(evtchn_port_pending(d, 15999));
	assert_false(evtchn_port_valid(d, 4096));       /* SCHEDOP_poll's range */
	s.port = 15999;
	assert_int_equal(evtchn_status(d, &s), 0);
	assert_int_equal(s.status, EVTCHNSTAT_closed);
	assert_int_equal(evtchn_send(d, 15999), -XEN_EINVAL);
	assert_int_equal(evtchn_close(d, 15999), -XEN_EINVAL);
	assert_int_equal(evtchn_bind_vcpu(d, 15999, 1), -XEN_EINVAL);
	assert_int_equal(evtchn_set_priority(d, 15999, 0), -XEN_ENOSYS);
	bi.remote_port = 15999;
	assert_int_equal(evtchn_bind_interdomain(d, &bi), -XEN_EINVAL);
	assert_int_equal(evtchn_unmask(d, 16064), -XEN_EINVAL);   /* never existed */
	si->arch.p2m_vaddr = 0;
	si->evtchn_mask[6] = 0;
	/* the 2-level range is untouched, and FIFO brings the higher ports back */
	assert_int_equal(evtchn_unmask(d, 4095), 0);
	memset(cb, 0, 4096);
	init_fifo();
	assert_int_equal(evtchn_set_priority(d, 15999, 0), 0);
}

/*
 * Ports bound while a reset was stopped (below its cursor, so it does not
 * close them) keep the domain on FIFO: the reset answers -EAGAIN, as Xen
 * 4.17 does. Switching would leave ports above 4096 bound under 2-level,
 * raised into bits past the shared_info bitmaps.
 */
static void test_reset_refused_while_bound(void **state)
{
	struct evtchn_status s = { .dom = DOMID_SELF, .port = 4200 };
	evtchn_port_t p = 0;
	unsigned calls = 0;
	int rc;

	init_fifo();
	for (unsigned i = 1; i <= 5000; i++)
		p = ipi(0);
	fake_preempt_every = 1;
	assert_int_equal(evtchn_reset(d, DOMID_SELF, false), -XEN_ERESTART);
	/* each continuation closes 64 more: stop once 1..4288 are closed */
	for (unsigned i = 0; i < 66; i++)
		assert_int_equal(evtchn_reset(d, DOMID_SELF, true), -XEN_ERESTART);
	assert_int_equal(evtchn_status(d, &s), 0);
	assert_int_equal(s.status, EVTCHNSTAT_closed);
	for (unsigned i = 1; i <= 4200; i++)
		p = ipi(1);
	assert_int_equal(p, 4200);
	do {
		rc = evtchn_reset(d, DOMID_SELF, true);
	} while (rc == -XEN_ERESTART && ++calls < 1000);
	fake_preempt_every = 0;
	assert_int_equal(rc, -XEN_EAGAIN);
	/* still FIFO, the new ports still bound; the reset is over */
	assert_int_equal(evtchn_set_priority(d, 4200, 0), 0);
	assert_int_equal(evtchn_status(d, &s), 0);
	assert_int_equal(s.status, EVTCHNSTAT_ipi);
	assert_int_equal(evtchn_send(d, 4200), 0);
	assert_int_equal(evtchn_reset(d, DOMID_SELF, true), -XEN_EBUSY);
	/* a reset with nothing bound meanwhile goes back to 2-level */
	assert_int_equal(evtchn_reset(d, DOMID_SELF, false), 0);
	assert_int_equal(evtchn_set_priority(d, 1, 0), -XEN_ENOSYS);
	assert_int_equal(evtchn_status(d, &s), 0);
	assert_int_equal(s.status, EVTCHNSTAT_closed);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_refusals),
		T(test_link_and_queue),
		T(test_mask_unmask_priority),
		T(test_vcpu_without_control_block),
		T(test_beyond_event_array),
		T(test_switch_keeps_pending),
		T(test_busy_and_reset),
		T(test_tail_unlinked),
		T(test_frame_references),
		T(test_reset_forgets_fifo_ports),
		T(test_reset_refused_while_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
