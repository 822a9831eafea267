/*
 * event_channel_op (hypercall 32): the table says, per EVTCHNOP_*, how big
 * the argument is and whether it has OUT fields; hypercall_subop()
 * (hypercall.h) copies it in once, calls the worker (event_channel.c,
 * event_fifo.c) and copies it back on success.
 */
#include <event.h>
#include <guest_access.h>
#include <hypercall.h>
#include <wake_stats.h>
#include <public/errno.h>

/* The workers: the copied argument in, the domain's ports changed, 0 or -XEN_E*. */
static int64_t op_bind_interdomain(struct vcpu *v, void *a)
{
	return evtchn_bind_interdomain(v->domain, a);
}

static int64_t op_bind_virq(struct vcpu *v, void *a)
{
	return evtchn_bind_virq(v->domain, a);
}

static int64_t op_bind_pirq(struct vcpu *v, void *a)
{
	return evtchn_bind_pirq(v->domain, a);
}

static int64_t op_close(struct vcpu *v, void *a)
{
	return evtchn_close(v->domain, ((struct evtchn_close *)a)->port);
}

static int64_t op_send(struct vcpu *v, void *a)
{
	wake_stats_count(&wake_stats.evtchn_sends);
	return evtchn_send(v->domain, ((struct evtchn_send *)a)->port);
}

static int64_t op_status(struct vcpu *v, void *a)
{
	return evtchn_status(v->domain, a);
}

static int64_t op_alloc_unbound(struct vcpu *v, void *a)
{
	return evtchn_alloc_unbound(v->domain, a);
}

static int64_t op_bind_ipi(struct vcpu *v, void *a)
{
	return evtchn_bind_ipi(v->domain, a);
}

static int64_t op_bind_vcpu(struct vcpu *v, void *a)
{
	const struct evtchn_bind_vcpu *b = a;

	return evtchn_bind_vcpu(v->domain, b->port, b->vcpu);
}

static int64_t op_unmask(struct vcpu *v, void *a)
{
	return evtchn_unmask(v->domain, ((struct evtchn_unmask *)a)->port);
}

static int64_t op_reset(struct vcpu *v, void *a)
{
	return evtchn_reset(v->domain, ((struct evtchn_reset *)a)->dom, false);
}

static int64_t op_reset_cont(struct vcpu *v, void *a)
{
	return evtchn_reset(v->domain, ((struct evtchn_reset *)a)->dom, true);
}

static int64_t op_init_control(struct vcpu *v, void *a)
{
	return evtchn_init_control(v->domain, a);
}

static int64_t op_expand_array(struct vcpu *v, void *a)
{
	return evtchn_expand_array(v->domain, ((struct evtchn_expand_array *)a)->array_gfn);
}

static int64_t op_set_priority(struct vcpu *v, void *a)
{
	const struct evtchn_set_priority *p = a;

	return evtchn_set_priority(v->domain, p->port, p->priority);
}

static const struct hypercall_subop evtchn_ops[] = {
	[EVTCHNOP_bind_interdomain] = { op_bind_interdomain, sizeof(struct evtchn_bind_interdomain), true },
	[EVTCHNOP_bind_virq]        = { op_bind_virq, sizeof(struct evtchn_bind_virq), true },
	[EVTCHNOP_bind_pirq]        = { op_bind_pirq, sizeof(struct evtchn_bind_pirq), true },
	[EVTCHNOP_close]            = { op_close, sizeof(struct evtchn_close), false },
	[EVTCHNOP_send]             = { op_send, sizeof(struct evtchn_send), false },
	[EVTCHNOP_status]           = { op_status, sizeof(struct evtchn_status), true },
	[EVTCHNOP_alloc_unbound]    = { op_alloc_unbound, sizeof(struct evtchn_alloc_unbound), true },
	[EVTCHNOP_bind_ipi]         = { op_bind_ipi, sizeof(struct evtchn_bind_ipi), true },
	[EVTCHNOP_bind_vcpu]        = { op_bind_vcpu, sizeof(struct evtchn_bind_vcpu), false },
	[EVTCHNOP_unmask]           = { op_unmask, sizeof(struct evtchn_unmask), false },
	[EVTCHNOP_reset]            = { op_reset, sizeof(struct evtchn_reset), false },
	[EVTCHNOP_init_control]     = { op_init_control, sizeof(struct evtchn_init_control), true },
	[EVTCHNOP_expand_array]     = { op_expand_array, sizeof(struct evtchn_expand_array), false },
	[EVTCHNOP_set_priority]     = { op_set_priority, sizeof(struct evtchn_set_priority), false },
	[EVTCHNOP_reset_cont]       = { op_reset_cont, sizeof(struct evtchn_reset), false },
};

int64_t do_event_channel_op(struct vcpu *v, const uint64_t args[6])
{
	uint32_t op = (uint32_t)args[0];   /* an int in Xen's prototype: upper bits ignored */
	int64_t rc = hypercall_subop(v, evtchn_ops, ARRAY_SIZE(evtchn_ops), op, args[1]);

	/* a long reset yields; the guest re-issues it as reset_cont (as Xen) */
	if (rc == -XEN_ERESTART)
		return hypercall_create_continuation(__HYPERVISOR_event_channel_op, 2,
						     EVTCHNOP_reset_cont, args[1], 0, 0, 0, 0);
	return rc;
}
