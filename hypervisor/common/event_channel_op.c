/*
 * event_channel_op (hypercall 32): copy the argument structure in once,
 * call the worker (event_channel.c, event_fifo.c), copy it back on success.
 * The table says, per EVTCHNOP_*, how big the argument is and whether it
 * has OUT fields; as on Xen, a failed copy back makes the call -EFAULT even
 * though the operation took effect.
 */
#include <event.h>
#include <guest_access.h>
#include <hypercall.h>
#include <public/errno.h>

union evtchn_op_arg {
	struct evtchn_alloc_unbound alloc_unbound;
	struct evtchn_bind_interdomain bind_interdomain;
	struct evtchn_bind_virq bind_virq;
	struct evtchn_bind_pirq bind_pirq;
	struct evtchn_bind_ipi bind_ipi;
	struct evtchn_close close;
	struct evtchn_send send;
	struct evtchn_status status;
	struct evtchn_bind_vcpu bind_vcpu;
	struct evtchn_unmask unmask;
	struct evtchn_reset reset;
	struct evtchn_init_control init_control;
	struct evtchn_expand_array expand_array;
	struct evtchn_set_priority set_priority;
};

static int op_bind_interdomain(struct domain *cur, union evtchn_op_arg *a)
{
	return evtchn_bind_interdomain(cur, &a->bind_interdomain);
}

static int op_bind_virq(struct domain *cur, union evtchn_op_arg *a)
{
	return evtchn_bind_virq(cur, &a->bind_virq);
}

static int op_bind_pirq(struct domain *cur, union evtchn_op_arg *a)
{
	return evtchn_bind_pirq(cur, &a->bind_pirq);
}

static int op_close(struct domain *cur, union evtchn_op_arg *a)
{
	return evtchn_close(cur, a->close.port);
}

static int op_send(struct domain *cur, union evtchn_op_arg *a)
{
	return evtchn_send(cur, a->send.port);
}

static int op_status(struct domain *cur, union evtchn_op_arg *a)
{
	return evtchn_status(cur, &a->status);
}

static int op_alloc_unbound(struct domain *cur, union evtchn_op_arg *a)
{
	return evtchn_alloc_unbound(cur, &a->alloc_unbound);
}

static int op_bind_ipi(struct domain *cur, union evtchn_op_arg *a)
{
	return evtchn_bind_ipi(cur, &a->bind_ipi);
}

static int op_bind_vcpu(struct domain *cur, union evtchn_op_arg *a)
{
	return evtchn_bind_vcpu(cur, a->bind_vcpu.port, a->bind_vcpu.vcpu);
}

static int op_unmask(struct domain *cur, union evtchn_op_arg *a)
{
	return evtchn_unmask(cur, a->unmask.port);
}

static int op_reset(struct domain *cur, union evtchn_op_arg *a)
{
	return evtchn_reset(cur, a->reset.dom, false);
}

static int op_reset_cont(struct domain *cur, union evtchn_op_arg *a)
{
	return evtchn_reset(cur, a->reset.dom, true);
}

static int op_init_control(struct domain *cur, union evtchn_op_arg *a)
{
	return evtchn_init_control(cur, &a->init_control);
}

static int op_expand_array(struct domain *cur, union evtchn_op_arg *a)
{
	return evtchn_expand_array(cur, a->expand_array.array_gfn);
}

static int op_set_priority(struct domain *cur, union evtchn_op_arg *a)
{
	return evtchn_set_priority(cur, a->set_priority.port, a->set_priority.priority);
}

static const struct {
	int (*fn)(struct domain *cur, union evtchn_op_arg *a);
	uint8_t size;           /* bytes copied in */
	bool out;               /* copied back on success */
} evtchn_ops[] = {
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
	struct domain *cur = v->domain;
	uint32_t op = (uint32_t)args[0];   /* an int in Xen's prototype: upper bits ignored */
	uint64_t arg = args[1];
	union evtchn_op_arg a;
	int rc;

	if (op >= ARRAY_SIZE(evtchn_ops) || !evtchn_ops[op].fn)
		return -XEN_ENOSYS;
	if (copy_from_guest(&a, arg, evtchn_ops[op].size))
		return -XEN_EFAULT;
	rc = evtchn_ops[op].fn(cur, &a);
	/* a long reset yields; the guest re-issues it as reset_cont (as Xen) */
	if (rc == -XEN_ERESTART)
		return hypercall_create_continuation(__HYPERVISOR_event_channel_op, 2,
						     EVTCHNOP_reset_cont, arg, 0, 0, 0, 0);
	if (rc == 0 && evtchn_ops[op].out && copy_to_guest(arg, &a, evtchn_ops[op].size))
		rc = -XEN_EFAULT;
	return rc;
}
