/*
 * Event channels. TODO(#5): being written (2-level and FIFO ABIs); until
 * then every operation is -ENOSYS and nothing can be bound.
 */
#include <event.h>
#include <hypercall.h>
#include <sched.h>
#include <public/errno.h>

int evtchn_domain_init(struct domain *d)
{
	return 0;
}

void evtchn_domain_destroy(struct domain *d)
{
}

void evtchn_send_virq(struct vcpu *v, unsigned virq)
{
}

void evtchn_send_global_virq(struct domain *d, unsigned virq)
{
}

bool evtchn_port_valid(struct domain *d, uint32_t port)
{
	return false;
}

bool evtchn_port_pending(struct domain *d, uint32_t port)
{
	return false;
}

void vcpu_mark_events_pending(struct vcpu *v)
{
	v->vcpu_info->evtchn_upcall_pending = 1;
	vcpu_kick(v);
}

int64_t do_event_channel_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5,
			    uint64_t a6)
{
	return -XEN_ENOSYS;
}
