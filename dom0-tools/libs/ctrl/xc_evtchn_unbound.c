/*
 * xc_evtchn_unbound.c - EVTCHNOP_alloc_unbound for another domain: the
 * toolstack makes the guest's end of its console and xenstore channels
 * (remote end: the backend's domain) before the guest runs, and writes
 * the port numbers into start_info.
 */
#include <string.h>
#include "xc_private.h"

static long alloc_unbound(xc_interface *xch, uint32_t dom, uint32_t remote_dom)
{
	struct evtchn_alloc_unbound *arg;
	long rc;

	if (dom > UINT16_MAX || remote_dom > UINT16_MAX)
		return -EINVAL;
	arg = xcp_buf_alloc(sizeof(*arg));
	if (!arg)
		return -ENOMEM;
	*arg = (struct evtchn_alloc_unbound){ .dom = (uint16_t)dom,
					      .remote_dom = (uint16_t)remote_dom };
	rc = xcp_hypercall(xch, __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
			   (uintptr_t)arg, 0, 0, 0);
	if (rc >= 0)
		rc = arg->port;
	xcp_buf_free(arg, sizeof(*arg));
	return rc;
}

xc_evtchn_port_or_error_t xc_evtchn_alloc_unbound(xc_interface *xch, uint32_t dom,
						  uint32_t remote_dom)
{
	return xc_ret(alloc_unbound(xch, dom, remote_dom));
}
