/*
 * evtchn - every event_channel_op operation, with its refusals, on the
 * 2-level ABI; upcall delivery through the registered event callback
 * (loopback port, masked port re-raised by EVTCHNOP_unmask); a flood of
 * sends; port exhaustion; then the FIFO ABI (init_control, expand_array,
 * set_priority, a raise into a queue) and reset back to 2-level, where the
 * ports FIFO made exist above 4095 have no bits to touch.
 *
 * The test runs as the initial domain, which is privileged and alone: the
 * -EPERM cases for other domains are in tests/unit/hypervisor/common/evtchn_test.c.
 * Each run starts with EVTCHNOP_reset, so ports are numbered from 1 and the
 * second hypercall style sees the same state as the first.
 */
#include "guest.h"
#include "events.h"

const char test_name[] = "evtchn";

#define NO_VCPU    4096u        /* no domain has this vCPU */
#define FAR_PORT   5000u        /* beyond the 2-level ABI's 4096 ports */

static long ev(int cmd, void *arg)
{
	return HYPERVISOR_event_channel_op(cmd, arg);
}

static long alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote };
	long rc = ev(EVTCHNOP_alloc_unbound, &a);

	*port = a.port;
	return rc;
}

static long bind_interdomain(domid_t rdom, evtchn_port_t rport, evtchn_port_t *port)
{
	struct evtchn_bind_interdomain b = { .remote_dom = rdom, .remote_port = rport };
	long rc = ev(EVTCHNOP_bind_interdomain, &b);

	*port = b.local_port;
	return rc;
}

static long close_port(evtchn_port_t port)
{
	struct evtchn_close c = { .port = port };

	return ev(EVTCHNOP_close, &c);
}

static long send_port(evtchn_port_t port)
{
	struct evtchn_send s = { .port = port };

	return ev(EVTCHNOP_send, &s);
}

static long unmask_port(evtchn_port_t port)
{
	struct evtchn_unmask u = { .port = port };

	return ev(EVTCHNOP_unmask, &u);
}

static long status_of(domid_t dom, evtchn_port_t port, struct evtchn_status *s)
{
	memset(s, 0, sizeof(*s));
	s->dom = dom;
	s->port = port;
	return ev(EVTCHNOP_status, s);
}

static long bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
	struct evtchn_bind_vcpu b = { .port = port, .vcpu = vcpu };

	return ev(EVTCHNOP_bind_vcpu, &b);
}

static int is_pending(evtchn_port_t p)
{
	return (shared_info->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

static void clear_pending(evtchn_port_t p)
{
	__atomic_fetch_and(&shared_info->evtchn_pending[p / 64], ~(1ULL << (p % 64)),
			   __ATOMIC_SEQ_CST);
}

static void set_port_mask(evtchn_port_t p, int on)
{
	if (on)
		__atomic_fetch_or(&shared_info->evtchn_mask[p / 64], 1ULL << (p % 64),
				  __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(&shared_info->evtchn_mask[p / 64], ~(1ULL << (p % 64)),
				   __ATOMIC_SEQ_CST);
}

/* Forget every event: pending bits, selectors, the upcall flag. */
static void quiesce(void)
{
	memset(shared_info->evtchn_pending, 0, sizeof(shared_info->evtchn_pending));
	shared_info->vcpu_info[0].evtchn_pending_sel = 0;
	shared_info->vcpu_info[0].evtchn_upcall_pending = 0;
	events_reset_record();
}

static domid_t self_id(void)
{
	/* the initial domain is 0 on both hypervisors */
	return 0;
}

/* ---- alloc_unbound, bind_interdomain, status, close ------------------- */
static void test_unbound_and_loopback(void)
{
	struct evtchn_status st;
	evtchn_port_t a, b, c, x;

	EXPECT("alloc_unbound", alloc_unbound(DOMID_SELF, DOMID_SELF, &a), 0);
	EXPECT("alloc_unbound_first_port", a, 1);
	EXPECT("status_unbound", status_of(DOMID_SELF, a, &st), 0);
	EXPECT("status_unbound_state", st.status, EVTCHNSTAT_unbound);
	EXPECT("status_unbound_remote_is_self", st.u.unbound.dom, self_id());
	EXPECT("status_unbound_vcpu", st.vcpu, 0);
	EXPECT("alloc_unbound_own_id", alloc_unbound(self_id(), 7, &c), 0);
	EXPECT("alloc_unbound_no_such_domain", alloc_unbound(1234, DOMID_SELF, &x), -XEN_ESRCH);
	EXPECT("alloc_unbound_domid_io", alloc_unbound(DOMID_IO, DOMID_SELF, &x), -XEN_ESRCH);

	/* refusals of bind_interdomain leave nothing behind */
	EXPECT("bind_interdomain_not_offered", bind_interdomain(DOMID_SELF, c, &x), -XEN_EINVAL);
	EXPECT("bind_interdomain_port0", bind_interdomain(DOMID_SELF, 0, &x), -XEN_EINVAL);
	EXPECT("bind_interdomain_free_port", bind_interdomain(DOMID_SELF, 40, &x), -XEN_EINVAL);
	EXPECT("bind_interdomain_out_of_range",
	       bind_interdomain(DOMID_SELF, FAR_PORT, &x), -XEN_EINVAL);
	EXPECT("bind_interdomain_huge_port",
	       bind_interdomain(DOMID_SELF, 0xffffffffu, &x), -XEN_EINVAL);
	EXPECT("bind_interdomain_no_such_domain", bind_interdomain(1234, a, &x), -XEN_ESRCH);

	quiesce();
	EXPECT("bind_loopback", bind_interdomain(DOMID_SELF, a, &b), 0);
	EXPECT("bind_loopback_port", b, 3);
	/* the binder's end is raised at once: a send to the unbound end may have been lost */
	check(is_pending(b), tname("bind_raises_local_port"), "port %u not pending", b);
	check(!is_pending(a), tname("bind_leaves_remote_port"), "port %u pending", a);
	EXPECT("bind_loopback_again", bind_interdomain(DOMID_SELF, a, &x), -XEN_EINVAL);
	EXPECT("status_interdomain", status_of(DOMID_SELF, a, &st), 0);
	EXPECT("status_interdomain_state", st.status, EVTCHNSTAT_interdomain);
	EXPECT("status_interdomain_dom", st.u.interdomain.dom, self_id());
	EXPECT("status_interdomain_port", st.u.interdomain.port, b);
	status_of(DOMID_SELF, b, &st);
	EXPECT("status_interdomain_peer_port", st.u.interdomain.port, a);

	quiesce();
	EXPECT("send_loopback", send_port(b), 0);
	check(is_pending(a) && !is_pending(b), tname("send_raises_peer"), "a %d b %d",
	      is_pending(a), is_pending(b));
	check(shared_info->vcpu_info[0].evtchn_pending_sel & 1, tname("send_sets_selector"),
	      "sel %#lx", shared_info->vcpu_info[0].evtchn_pending_sel);
	EXPECT("send_sets_upcall_pending", shared_info->vcpu_info[0].evtchn_upcall_pending, 1);
	EXPECT("send_other_way", send_port(a), 0);
	check(is_pending(b), tname("send_other_way_raises"), "port %u not pending", b);

	/* close one end: the other is unbound again, still offered to us */
	EXPECT("close_one_end", close_port(b), 0);
	check(!is_pending(b), tname("close_clears_pending"), "port %u still pending", b);
	status_of(DOMID_SELF, a, &st);
	EXPECT("close_peer_unbound", st.status, EVTCHNSTAT_unbound);
	EXPECT("close_peer_unbound_remote", st.u.unbound.dom, self_id());
	status_of(DOMID_SELF, b, &st);
	EXPECT("status_closed", st.status, EVTCHNSTAT_closed);
	EXPECT("send_unbound_dropped", send_port(a), 0);
	EXPECT("send_closed", send_port(b), -XEN_EINVAL);
	EXPECT("close_twice", close_port(b), -XEN_EINVAL);
	EXPECT("rebind_after_close", bind_interdomain(DOMID_SELF, a, &x), 0);
	EXPECT("rebind_lowest_free_port", x, b);
	EXPECT("close_rebound", close_port(x), 0);
	EXPECT("close_a", close_port(a), 0);
	EXPECT("close_c", close_port(c), 0);
	EXPECT("alloc_reuses_lowest", alloc_unbound(DOMID_SELF, DOMID_SELF, &x), 0);
	EXPECT("alloc_reuses_lowest_port", x, 1);
	EXPECT("close_reused", close_port(x), 0);
}

/* ---- Bad ports and pointers ------------------------------------------- */
static void test_bad_ports_and_pointers(void)
{
	struct evtchn_status st;
	struct evtchn_set_priority sp = { .port = FAR_PORT, .priority = 0 };
	static const uint64_t bad_ptrs[] = { 0, BAD_NONCANON, BAD_NONCANON2, BAD_HYPERVISOR,
					     BAD_UNMAPPED };
	static const char *const bad_names[] = { "null", "noncanonical", "noncanonical2",
						 "hypervisor", "unmapped" };
	static const int ops[] = { EVTCHNOP_alloc_unbound, EVTCHNOP_bind_interdomain,
				   EVTCHNOP_bind_virq, EVTCHNOP_bind_ipi, EVTCHNOP_close,
				   EVTCHNOP_send, EVTCHNOP_status, EVTCHNOP_bind_vcpu,
				   EVTCHNOP_unmask, EVTCHNOP_reset, EVTCHNOP_init_control,
				   EVTCHNOP_expand_array, EVTCHNOP_set_priority };
	char n[64];

	EXPECT("close_port0", close_port(0), -XEN_EINVAL);
	EXPECT("send_port0", send_port(0), -XEN_EINVAL);
	EXPECT("status_port0", status_of(DOMID_SELF, 0, &st), 0);
	EXPECT("status_port0_closed", st.status, EVTCHNSTAT_closed);
	EXPECT("close_out_of_range", close_port(FAR_PORT), -XEN_EINVAL);
	EXPECT("close_huge", close_port(0xffffffffu), -XEN_EINVAL);
	EXPECT("close_free", close_port(5), -XEN_EINVAL);
	EXPECT("send_out_of_range", send_port(FAR_PORT), -XEN_EINVAL);
	EXPECT("send_free", send_port(5), -XEN_EINVAL);
	EXPECT("unmask_out_of_range", unmask_port(FAR_PORT), -XEN_EINVAL);
	EXPECT("unmask_free", unmask_port(5), 0);
	EXPECT("status_out_of_range", status_of(DOMID_SELF, FAR_PORT, &st), -XEN_EINVAL);
	EXPECT("status_free", status_of(DOMID_SELF, 5, &st), 0);
	EXPECT("status_free_closed", st.status, EVTCHNSTAT_closed);
	EXPECT("status_no_such_domain", status_of(1234, 1, &st), -XEN_ESRCH);
	EXPECT("bind_vcpu_out_of_range", bind_vcpu(FAR_PORT, 0), -XEN_EINVAL);
	EXPECT("bind_vcpu_free", bind_vcpu(5, 0), -XEN_EINVAL);
	EXPECT("bind_vcpu_no_vcpu_first", bind_vcpu(FAR_PORT, NO_VCPU), -XEN_ENOENT);
	EXPECT("set_priority_out_of_range", ev(EVTCHNOP_set_priority, &sp), -XEN_EINVAL);
	EXPECT("unknown_cmd", ev(99, NULL), -XEN_ENOSYS);
	EXPECT("unknown_cmd_15", ev(15, &st), -XEN_ENOSYS);
	EXPECT("reset_cont_without_reset", ev(EVTCHNOP_reset_cont, &(struct evtchn_reset){
							.dom = DOMID_SELF }), -XEN_EBUSY);

	for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		for (unsigned j = 0; j < sizeof(bad_ptrs) / sizeof(bad_ptrs[0]); j++) {
			gsnprintf(n, sizeof(n), "op%d_%s_arg", ops[i], bad_names[j]);
			EXPECT(n, ev(ops[i], (void *)bad_ptrs[j]), -XEN_EFAULT);
		}
}

/* ---- VIRQs, IPIs, bind_vcpu ------------------------------------------- */
static void test_virq_ipi(void)
{
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct evtchn_bind_ipi bi = { .vcpu = 0 };
	struct evtchn_status st;
	evtchn_port_t timer, cons, ipi, u;

	EXPECT("bind_virq_timer", ev(EVTCHNOP_bind_virq, &bv), 0);
	timer = bv.port;
	EXPECT("bind_virq_timer_twice", ev(EVTCHNOP_bind_virq, &bv), -XEN_EEXIST);
	status_of(DOMID_SELF, timer, &st);
	EXPECT("status_virq", st.status, EVTCHNSTAT_virq);
	EXPECT("status_virq_number", st.u.virq, VIRQ_TIMER);
	EXPECT("send_virq_port", send_port(timer), -XEN_EINVAL);
	EXPECT("bind_vcpu_per_vcpu_virq", bind_vcpu(timer, 0), -XEN_EINVAL);
	bv.vcpu = NO_VCPU;
	EXPECT("bind_virq_no_vcpu", ev(EVTCHNOP_bind_virq, &bv), -XEN_ENOENT);
	bv = (struct evtchn_bind_virq){ .virq = NR_VIRQS, .vcpu = 0 };
	EXPECT("bind_virq_out_of_range", ev(EVTCHNOP_bind_virq, &bv), -XEN_EINVAL);
	bv.virq = 0xffffffffu;
	EXPECT("bind_virq_huge", ev(EVTCHNOP_bind_virq, &bv), -XEN_EINVAL);
	bv = (struct evtchn_bind_virq){ .virq = VIRQ_CONSOLE, .vcpu = 1 };
	EXPECT("bind_global_virq_vcpu1", ev(EVTCHNOP_bind_virq, &bv), -XEN_EINVAL);
	bv.vcpu = NO_VCPU;
	EXPECT("bind_global_virq_no_vcpu", ev(EVTCHNOP_bind_virq, &bv), -XEN_EINVAL);
	bv.vcpu = 0;
	EXPECT("bind_global_virq", ev(EVTCHNOP_bind_virq, &bv), 0);
	cons = bv.port;
	EXPECT("bind_global_virq_twice", ev(EVTCHNOP_bind_virq, &bv), -XEN_EEXIST);
	EXPECT("bind_vcpu_global_virq", bind_vcpu(cons, 0), 0);
	EXPECT("bind_vcpu_global_virq_no_vcpu", bind_vcpu(cons, NO_VCPU), -XEN_ENOENT);

	/* the hypervisor raises VIRQ_TIMER when the single-shot timer fires */
	{
		struct sched_poll poll = { .ports = (uint64_t)&timer, .nr_ports = 1 };
		uint64_t t0 = system_time_ns();

		clear_pending(timer);
		EXPECT("set_timer_op", HC1(__HYPERVISOR_set_timer_op, t0 + 1000000), 0);
		poll.timeout = t0 + 1000000000;   /* 1 s */
		EXPECT("poll_virq_timer", HYPERVISOR_sched_op(SCHEDOP_poll, &poll), 0);
		check(is_pending(timer), tname("virq_timer_raised"), "after %lu ns",
		      system_time_ns() - t0);
	}

	EXPECT("close_virq", close_port(timer), 0);
	bv = (struct evtchn_bind_virq){ .virq = VIRQ_TIMER, .vcpu = 0 };
	EXPECT("rebind_virq_after_close", ev(EVTCHNOP_bind_virq, &bv), 0);
	EXPECT("rebind_virq_same_port", bv.port, timer);
	EXPECT("close_virq_again", close_port(timer), 0);
	EXPECT("close_global_virq", close_port(cons), 0);

	EXPECT("bind_ipi", ev(EVTCHNOP_bind_ipi, &bi), 0);
	ipi = bi.port;
	status_of(DOMID_SELF, ipi, &st);
	EXPECT("status_ipi", st.status, EVTCHNSTAT_ipi);
	EXPECT("status_ipi_vcpu", st.vcpu, 0);
	quiesce();
	EXPECT("send_ipi", send_port(ipi), 0);
	check(is_pending(ipi), tname("send_ipi_raises"), "port %u not pending", ipi);
	EXPECT("bind_vcpu_ipi", bind_vcpu(ipi, 0), -XEN_EINVAL);
	bi.vcpu = NO_VCPU;
	EXPECT("bind_ipi_no_vcpu", ev(EVTCHNOP_bind_ipi, &bi), -XEN_ENOENT);
	EXPECT("close_ipi", close_port(ipi), 0);

	EXPECT("alloc_for_bind_vcpu", alloc_unbound(DOMID_SELF, DOMID_SELF, &u), 0);
	EXPECT("bind_vcpu_unbound", bind_vcpu(u, 0), 0);
	EXPECT("bind_vcpu_no_vcpu", bind_vcpu(u, NO_VCPU), -XEN_ENOENT);
	EXPECT("close_bind_vcpu_port", close_port(u), 0);

	/* 2-level has a single priority, and no event array */
	{
		struct evtchn_set_priority sp = { .port = 1, .priority = 0 };
		struct evtchn_expand_array ea = { .array_gfn = 0 };
		struct evtchn_bind_pirq bp = { .pirq = 1 };

		EXPECT("alloc_for_priority", alloc_unbound(DOMID_SELF, DOMID_SELF, &u), 0);
		sp.port = u;
		EXPECT("set_priority_2level", ev(EVTCHNOP_set_priority, &sp), -XEN_ENOSYS);
		EXPECT("expand_array_2level", ev(EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP);
		EXPECT("close_priority_port", close_port(u), 0);
		/* no pirq is mapped in this domain */
		bp.pirq = 100000;
		EXPECT("bind_pirq_out_of_range", ev(EVTCHNOP_bind_pirq, &bp), -XEN_EINVAL);
	}
}

/* ---- Upcalls ----------------------------------------------------------- */
static void test_upcalls(void)
{
	evtchn_port_t a, b;

	EXPECT("register_event_callback", events_install(), 0);
	alloc_unbound(DOMID_SELF, DOMID_SELF, &a);
	bind_interdomain(DOMID_SELF, a, &b);
	set_port_mask(a, 0);
	set_port_mask(b, 0);
	quiesce();

	/* upcalls masked: the event waits */
	EXPECT("send_masked_vcpu", send_port(b), 0);
	EXPECT("no_upcall_while_masked", upcall_count, 0);
	EXPECT("upcall_pending_while_masked", shared_info->vcpu_info[0].evtchn_upcall_pending, 1);
	events_set_upcall_mask(0);
	EXPECT("upcall_after_unmask", upcall_count, 1);
	EXPECT("upcall_took_one_port", upcall_nr_ports, 1);
	EXPECT("upcall_port", upcall_ports[0], a);
	EXPECT("upcall_leaves_mask_clear", shared_info->vcpu_info[0].evtchn_upcall_mask, 0);

	/* upcalls enabled: a send is delivered on the way back from the hypercall */
	events_reset_record();
	EXPECT("send_unmasked", send_port(a), 0);
	EXPECT("upcall_on_hypercall_return", upcall_count, 1);
	EXPECT("upcall_on_hypercall_return_port", upcall_ports[0], b);

	/* a masked port: pending, but no selector and no upcall, until EVTCHNOP_unmask */
	events_reset_record();
	set_port_mask(a, 1);
	EXPECT("send_masked_port", send_port(b), 0);
	EXPECT("no_upcall_masked_port", upcall_count, 0);
	check(is_pending(a), tname("masked_port_pending"), "port %u not pending", a);
	EXPECT("masked_port_no_selector", shared_info->vcpu_info[0].evtchn_pending_sel, 0);
	EXPECT("unmask_reraises", unmask_port(a), 0);
	EXPECT("upcall_after_evtchnop_unmask", upcall_count, 1);
	EXPECT("upcall_after_evtchnop_unmask_port", upcall_ports[0], a);
	check(!(shared_info->evtchn_mask[a / 64] & (1ULL << (a % 64))), tname("unmask_clears_mask"),
	      "mask still set");

	/* a flood of sends with upcalls masked: one pending bit, one upcall */
	events_set_upcall_mask(1);
	events_reset_record();
	{
		long bad = 0;

		for (unsigned i = 0; i < 20000; i++)
			if (send_port(b) != 0)
				bad++;
		EXPECT("flood_sends_ok", bad, 0);
	}
	check(is_pending(a), tname("flood_pending"), "port %u not pending", a);
	events_set_upcall_mask(0);
	EXPECT("flood_one_upcall", upcall_count, 1);
	EXPECT("flood_one_port", upcall_nr_ports, 1);
	events_set_upcall_mask(1);

	close_port(a);
	close_port(b);
}

/* ---- Exhaustion -------------------------------------------------------- */
static void test_exhaustion(void)
{
	evtchn_port_t p = 0, last = 0;
	long rc;
	unsigned n = 0;

	while ((rc = alloc_unbound(DOMID_SELF, DOMID_SELF, &p)) == 0 && n < 200000) {
		last = p;
		n++;
	}
	EXPECT("exhaust_enospc", rc, -XEN_ENOSPC);
	/* the initial domain's limit is the whole 2-level space */
	EXPECT("exhaust_last_port", last, 4095);
	EXPECT("exhaust_count", n, 4095);
	EXPECT("exhaust_bind_ipi", ev(EVTCHNOP_bind_ipi, &(struct evtchn_bind_ipi){ .vcpu = 0 }),
	       -XEN_ENOSPC);
	EXPECT("exhaust_close_one", close_port(2000), 0);
	EXPECT("exhaust_alloc_again", alloc_unbound(DOMID_SELF, DOMID_SELF, &p), 0);
	EXPECT("exhaust_alloc_again_port", p, 2000);
	EXPECT("reset_after_exhaustion", ev(EVTCHNOP_reset, &(struct evtchn_reset){
						.dom = DOMID_SELF }), 0);
	EXPECT("reset_freed_all", alloc_unbound(DOMID_SELF, DOMID_SELF, &p), 0);
	EXPECT("reset_freed_all_port", p, 1);
	close_port(p);
}

/* ---- FIFO -------------------------------------------------------------- */
static uint8_t fifo_control[4096] __attribute__((aligned(4096)));
static uint32_t fifo_array[1024] __attribute__((aligned(4096)));

static uint64_t virt_to_mfn(const void *p)
{
	uint64_t pfn = ((uint64_t)p - VIRT_BASE) >> 12;

	return ((const uint64_t *)start_info->mfn_list)[pfn];
}

static void test_fifo(void)
{
	struct evtchn_init_control ic = { .control_gfn = virt_to_mfn(fifo_control), .vcpu = 0 };
	struct evtchn_expand_array ea = { .array_gfn = virt_to_mfn(fifo_array) };
	struct evtchn_fifo_control_block *cb = (void *)fifo_control;
	struct evtchn_bind_ipi bi = { .vcpu = 0 };
	struct evtchn_set_priority sp;
	volatile uint32_t *word;
	evtchn_port_t p;

	memset(fifo_control, 0, sizeof(fifo_control));
	for (unsigned i = 0; i < 1024; i++)
		fifo_array[i] = 1u << EVTCHN_FIFO_MASKED;   /* as Linux pre-fills */

	ic.vcpu = NO_VCPU;
	EXPECT("fifo_init_no_vcpu", ev(EVTCHNOP_init_control, &ic), -XEN_ENOENT);
	ic.vcpu = 0;
	ic.offset = 4;
	EXPECT("fifo_init_unaligned", ev(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
	ic.offset = 4096 - 64;
	EXPECT("fifo_init_crosses_frame", ev(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
	ic.offset = 0;
	ic.control_gfn = 0x7fffffffffULL;
	EXPECT("fifo_init_not_our_frame", ev(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
	ic.control_gfn = virt_to_mfn(fifo_control);
	EXPECT("fifo_expand_before_init", ev(EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP);
	EXPECT("fifo_init_control", ev(EVTCHNOP_init_control, &ic), 0);
	EXPECT("fifo_link_bits", ic.link_bits, EVTCHN_FIFO_LINK_BITS);
	EXPECT("fifo_init_twice", ev(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
	ea.array_gfn = 0x7fffffffffULL;
	EXPECT("fifo_expand_not_our_frame", ev(EVTCHNOP_expand_array, &ea), -XEN_EINVAL);
	ea.array_gfn = virt_to_mfn(fifo_array);
	EXPECT("fifo_expand_array", ev(EVTCHNOP_expand_array, &ea), 0);

	EXPECT("fifo_bind_ipi", ev(EVTCHNOP_bind_ipi, &bi), 0);
	p = bi.port;
	word = &fifo_array[p];
	sp = (struct evtchn_set_priority){ .port = p, .priority = EVTCHN_FIFO_PRIORITY_MIN + 1 };
	EXPECT("fifo_set_priority_bad", ev(EVTCHNOP_set_priority, &sp), -XEN_EINVAL);
	sp.priority = 3;
	EXPECT("fifo_set_priority", ev(EVTCHNOP_set_priority, &sp), 0);

	/* masked: pending only */
	EXPECT("fifo_send_masked", send_port(p), 0);
	check_eq_hex(tname("fifo_masked_word"), *word,
		     (1u << EVTCHN_FIFO_MASKED) | (1u << EVTCHN_FIFO_PENDING));
	EXPECT("fifo_masked_not_ready", cb->ready, 0);
	/* EVTCHNOP_unmask links it: head of queue 3, READY bit 3, upcall pending */
	shared_info->vcpu_info[0].evtchn_upcall_pending = 0;
	EXPECT("fifo_unmask", unmask_port(p), 0);
	check_eq_hex(tname("fifo_linked_word"), *word,
		     (1u << EVTCHN_FIFO_PENDING) | (1u << EVTCHN_FIFO_LINKED));
	EXPECT("fifo_head", cb->head[3], p);
	EXPECT("fifo_ready", cb->ready, 1u << 3);
	EXPECT("fifo_upcall_pending", shared_info->vcpu_info[0].evtchn_upcall_pending, 1);

	/* reset: every port closed, back to 2-level */
	EXPECT("fifo_reset", ev(EVTCHNOP_reset, &(struct evtchn_reset){ .dom = DOMID_SELF }), 0);
	{
		struct evtchn_status st;

		EXPECT("fifo_reset_status", status_of(DOMID_SELF, p, &st), 0);
		EXPECT("fifo_reset_closed", st.status, EVTCHNSTAT_closed);
	}
	EXPECT("fifo_reset_back_to_2level", alloc_unbound(DOMID_SELF, DOMID_SELF, &p), 0);
	sp.port = p;
	EXPECT("fifo_reset_set_priority_2level", ev(EVTCHNOP_set_priority, &sp), -XEN_ENOSYS);
	close_port(p);
	quiesce();
}

/*
 * FIFO makes ports up to 4543 exist (64 at a time); after a reset back to
 * 2-level they still exist (status reads closed, unmask answers 0, on Xen
 * too) but have no 2-level bits. Port 4500's mask word would be 70, past
 * the 64 of evtchn_mask: arch.p2m_vaddr; its pending word 70 is
 * evtchn_mask[6], and its selector bit 70 is past evtchn_pending_sel, in
 * vcpu_info.arch.cr2. Unmasking it must touch none of them.
 */
static void test_fifo_ports_after_reset(void)
{
	struct evtchn_init_control ic = { .control_gfn = virt_to_mfn(fifo_control), .vcpu = 0 };
	struct evtchn_bind_ipi bi = { .vcpu = 0 };
	struct evtchn_status st;
	long rc = 0;
	unsigned n = 0;

	memset(fifo_control, 0, sizeof(fifo_control));
	EXPECT("high_fifo_init_control", ev(EVTCHNOP_init_control, &ic), 0);
	while (n < 4500 && (rc = ev(EVTCHNOP_bind_ipi, &bi)) == 0)
		n++;
	EXPECT("high_bind_rc", rc, 0);
	EXPECT("high_bind_last", bi.port, 4500);
	EXPECT("high_reset", ev(EVTCHNOP_reset, &(struct evtchn_reset){ .dom = DOMID_SELF }), 0);

	shared_info->arch.p2m_vaddr = ~0ULL;
	shared_info->evtchn_mask[6] |= 1ULL << (4500 % 64);
	shared_info->vcpu_info[0].arch.cr2 = 0;
	shared_info->vcpu_info[0].evtchn_upcall_pending = 0;
	EXPECT("high_unmask_4500", unmask_port(4500), 0);
	check_eq_hex(tname("high_unmask_4500_p2m_vaddr_kept"), shared_info->arch.p2m_vaddr, ~0ULL);
	check_eq_hex(tname("high_unmask_4500_cr2_kept"), shared_info->vcpu_info[0].arch.cr2, 0);
	EXPECT("high_unmask_4500_no_upcall", shared_info->vcpu_info[0].evtchn_upcall_pending, 0);
	shared_info->arch.p2m_vaddr = 0;
	shared_info->evtchn_mask[6] &= ~(1ULL << (4500 % 64));

	EXPECT("high_status_4500", status_of(DOMID_SELF, 4500, &st), 0);
	EXPECT("high_status_4500_closed", st.status, EVTCHNSTAT_closed);
	EXPECT("high_send_4500", send_port(4500), -XEN_EINVAL);
	EXPECT("high_close_4500", close_port(4500), -XEN_EINVAL);
	EXPECT("high_bind_vcpu_4500", bind_vcpu(4500, 0), -XEN_EINVAL);
	EXPECT("high_unmask_never_existed", unmask_port(4600), -XEN_EINVAL);
	EXPECT("high_unmask_4095", unmask_port(4095), 0);
	quiesce();
}

void test_main(void)
{
	memset(shared_info->evtchn_mask, 0, sizeof(shared_info->evtchn_mask));
	EXPECT("reset_self", ev(EVTCHNOP_reset, &(struct evtchn_reset){ .dom = DOMID_SELF }), 0);
	quiesce();
	test_unbound_and_loopback();
	test_bad_ports_and_pointers();
	test_virq_ipi();
	test_upcalls();
	test_exhaustion();
	test_fifo();
	test_fifo_ports_after_reset();
}
