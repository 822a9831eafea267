/*
 * Event channels, as the rest of the hypervisor uses them
 * (common/event_channel.c; the guest ABI is public/event_channel.h).
 *
 * Raising an event sets its pending bit in the domain's shared memory (2-level
 * bitmaps in shared_info, or the FIFO queues), then vcpu_mark_events_pending()
 * on the vCPU it is bound to, which sets evtchn_upcall_pending and wakes the
 * vCPU (sched.h: vcpu_kick) so that the upcall is delivered on its next
 * return to the guest.
 */
#ifndef EVENT_H
#define EVENT_H

#include <domain.h>

/* Per-domain state: created with the domain, torn down with it. 0 or -XEN_ENOMEM. */
int evtchn_domain_init(struct domain *d);
/* Close every port (and the remote ends of interdomain ones). */
void evtchn_domain_destroy(struct domain *d);

/* Raise a per-vCPU VIRQ (VIRQ_TIMER, VIRQ_DEBUG, ...) if the guest bound it. */
void evtchn_send_virq(struct vcpu *v, unsigned virq);
/* Raise a global VIRQ (VIRQ_CONSOLE, VIRQ_DOM_EXC, ...) of domain d if bound. */
void evtchn_send_global_virq(struct domain *d, unsigned virq);

/* For SCHEDOP_poll: is `port` a valid port of d / is it pending? */
bool evtchn_port_valid(struct domain *d, uint32_t port);
bool evtchn_port_pending(struct domain *d, uint32_t port);

/* Set evtchn_upcall_pending for v and wake it (the ABI's "notify"). */
void vcpu_mark_events_pending(struct vcpu *v);

#endif
