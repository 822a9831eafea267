/*
 * sched - sched_op: yield, poll (with timeout and on a pending port),
 * shutdown_code, bad arguments; the domain ends with SHUTDOWN_poweroff
 * (guest_exit), which the runner observes.
 */
#include "guest.h"

const char test_name[] = "sched";

void test_main(void)
{
	struct sched_shutdown sd;
	struct sched_poll poll;
	struct sched_remote_shutdown rs;
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_close cl;
	struct evtchn_send snd;
	evtchn_port_t port;
	uint64_t t0, t1;
	long rc;

	EXPECT("yield", HYPERVISOR_sched_op(SCHEDOP_yield, NULL), 0);
	EXPECT("yield_ignores_arg",
	       HYPERVISOR_sched_op(SCHEDOP_yield, (void *)BAD_NONCANON), 0);

	/* Poll a port with a short timeout: returns 0 after the deadline. */
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au);
	EXPECT("evtchn_alloc_unbound_self", rc, 0);
	port = au.port;
	memset(&poll, 0, sizeof(poll));
	poll.ports = (uint64_t)&port;
	poll.nr_ports = 1;
	t0 = system_time_ns();
	poll.timeout = t0 + 2000000;	/* 2 ms */
	rc = HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
	t1 = system_time_ns();
	EXPECT("poll_timeout_rc", rc, 0);
	check(t1 >= t0 + 1000000, tname("poll_waited"), "waited %lu ns", t1 - t0);

	/* Pending port: bind a loopback channel, send, poll returns at once. */
	{
		struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF,
						      .remote_port = port };
		rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi);
		EXPECT("evtchn_bind_loopback", rc, 0);
		snd.port = bi.local_port;
		EXPECT("evtchn_send", HYPERVISOR_event_channel_op(EVTCHNOP_send, &snd), 0);
		check(shared_info->evtchn_pending[port / 64] & (1ULL << (port % 64)),
		      tname("evtchn_pending_bit_set"), "port %u not pending", port);
		poll.timeout = 0;
		EXPECT("poll_pending_rc", HYPERVISOR_sched_op(SCHEDOP_poll, &poll), 0);
		cl.port = bi.local_port;
		EXPECT("evtchn_close_local", HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl), 0);
	}
	cl.port = port;
	EXPECT("evtchn_close", HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl), 0);
	shared_info->evtchn_pending[port / 64] &= ~(1ULL << (port % 64));

	/* Poll bad arguments. */
	poll.ports = 0;
	poll.nr_ports = 1;
	EXPECT("poll_null_ports", HYPERVISOR_sched_op(SCHEDOP_poll, &poll), -XEN_EFAULT);
	poll.ports = BAD_NONCANON;
	EXPECT("poll_noncanonical_ports", HYPERVISOR_sched_op(SCHEDOP_poll, &poll), -XEN_EFAULT);
	poll.ports = (uint64_t)&port;
	poll.nr_ports = 1000;
	EXPECT("poll_too_many_ports", HYPERVISOR_sched_op(SCHEDOP_poll, &poll), -XEN_EINVAL);
	port = 100000;
	poll.nr_ports = 1;
	EXPECT("poll_port_out_of_range", HYPERVISOR_sched_op(SCHEDOP_poll, &poll), -XEN_EINVAL);
	EXPECT("poll_null_arg", HYPERVISOR_sched_op(SCHEDOP_poll, NULL), -XEN_EFAULT);

	/* Shutdown bad arguments: the domain keeps running. */
	EXPECT("shutdown_null_arg", HYPERVISOR_sched_op(SCHEDOP_shutdown, NULL), -XEN_EFAULT);
	EXPECT("shutdown_hypervisor_arg",
	       HYPERVISOR_sched_op(SCHEDOP_shutdown, (void *)BAD_HYPERVISOR), -XEN_EFAULT);
	/*
	 * An out-of-range reason is not tested: Xen 4.17 does not reject it,
	 * it shuts the domain down.
	 */
	sd.reason = SHUTDOWN_poweroff;
	EXPECT("shutdown_code", HYPERVISOR_sched_op(SCHEDOP_shutdown_code, &sd), 0);
	rs.domain_id = 1234;
	rs.reason = SHUTDOWN_poweroff;
	EXPECT("remote_shutdown_no_such_domain",
	       HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -XEN_ESRCH);
	EXPECT("sched_unknown_cmd", HYPERVISOR_sched_op(99, NULL), -XEN_ENOSYS);
	EXPECT("still_alive", HYPERVISOR_sched_op(SCHEDOP_yield, NULL), 0);
}
