/*
 * Event channels, as the rest of the hypervisor uses them
 * (common/event_channel.c; the guest ABI is public/event_channel.h; the
 * design is in docs/event-channels.md).
 *
 * Raising an event sets its pending bit in the domain's shared memory (2-level
 * bitmaps in shared_info, or the FIFO queues), then vcpu_mark_events_pending()
 * on the vCPU it is bound to, which sets evtchn_upcall_pending and wakes the
 * vCPU (sched.h: vcpu_kick) so that the upcall is delivered on its next
 * return to the guest.
 *
 * Every function here runs in O(1) in the number of ports, except those that
 * say otherwise (init, destroy, reset: once per port, preemptible).
 */
#ifndef EVENT_H
#define EVENT_H

#include <domain.h>
#include <public/event_channel.h>

/*
 * Per-domain state: created with the domain (after d->max_vcpus is set,
 * before its vCPUs exist), torn down with it. 0 or -XEN_ENOMEM. Port 0 is
 * reserved; the limit is 4095 for privileged domains (the whole 2-level
 * space, 2^17 - 1 under FIFO), EVTCHN_DEFAULT_MAX_PORT for the others, as
 * xl's max_event_channels default.
 */
#define EVTCHN_DEFAULT_MAX_PORT 1023u
int evtchn_domain_init(struct domain *d);
/*
 * Close every port (and the remote ends of interdomain ones), then free the
 * state. Resumable, for a teardown that runs as a continuation (Xen's
 * domain_kill): -XEN_ERESTART when arch_hypercall_preempt_check() asked it
 * to stop (call again; it goes on where it stopped), 0 when done.
 */
int evtchn_domain_destroy(struct domain *d);

/*
 * The toolstack's limit: ports above max_port are never allocated (ports
 * already open stay). 0, or -XEN_EINVAL when max_port is 0.
 */
int evtchn_set_max_port(struct domain *d, uint32_t max_port);

/* Raise a per-vCPU VIRQ (VIRQ_TIMER, VIRQ_DEBUG, ...) if the guest bound it. */
void evtchn_send_virq(struct vcpu *v, unsigned virq);
/* Raise a global VIRQ (VIRQ_CONSOLE, VIRQ_DOM_EXC, ...) of domain d if bound. */
void evtchn_send_global_virq(struct domain *d, unsigned virq);
/* Is this VIRQ global (bound once per domain, on vCPU 0)? False when out of range. */
bool evtchn_virq_is_global(unsigned virq);

/* For SCHEDOP_poll: is `port` a valid port of d / is it pending? */
bool evtchn_port_valid(struct domain *d, uint32_t port);
bool evtchn_port_pending(struct domain *d, uint32_t port);

/* Set evtchn_upcall_pending for v and wake it (the ABI's "notify"). */
void vcpu_mark_events_pending(struct vcpu *v);

/*
 * For the domain builder and the toolstack: a new unbound port of d that
 * `remote` may bind (start_info's store and console ports). 0 with *port
 * set, or -XEN_ENOSPC / -XEN_ENOMEM.
 */
int evtchn_alloc_unbound_for(struct domain *d, domid_t remote, evtchn_port_t *port);

/* Raise a port of d from the hypervisor, whatever its state (e.g. a ring
 * the hypervisor serves). -XEN_EINVAL if the port is not valid. */
int evtchn_raise(struct domain *d, evtchn_port_t port);

/*
 * Close every port of d and return it to the 2-level ABI, in one go (not
 * preemptible: for the hypervisor's own use; guests reset with
 * EVTCHNOP_reset, which yields).
 */
void evtchn_close_all(struct domain *d);

/*
 * The workers behind do_event_channel_op, one per EVTCHNOP_*: `cur` is the
 * calling domain; arguments were copied from the guest already and OUT
 * fields are filled in on success. Each validates everything before it
 * changes anything, so a failure leaves every domain as it was. Return 0 or
 * a -XEN_E* code, as the public header lists per operation.
 */
int evtchn_alloc_unbound(struct domain *cur, struct evtchn_alloc_unbound *a);
int evtchn_bind_interdomain(struct domain *cur, struct evtchn_bind_interdomain *b);
int evtchn_bind_virq(struct domain *cur, struct evtchn_bind_virq *b);
int evtchn_bind_pirq(struct domain *cur, struct evtchn_bind_pirq *b);
int evtchn_bind_ipi(struct domain *cur, struct evtchn_bind_ipi *b);
int evtchn_close(struct domain *cur, evtchn_port_t port);
int evtchn_send(struct domain *cur, evtchn_port_t port);
int evtchn_status(struct domain *cur, struct evtchn_status *s);
int evtchn_bind_vcpu(struct domain *cur, evtchn_port_t port, uint32_t vcpu);
int evtchn_unmask(struct domain *cur, evtchn_port_t port);
/* resuming: EVTCHNOP_reset_cont. -XEN_ERESTART: preempted, continue as reset_cont. */
int evtchn_reset(struct domain *cur, domid_t dom, bool resuming);
int evtchn_init_control(struct domain *cur, struct evtchn_init_control *c);
int evtchn_expand_array(struct domain *cur, uint64_t array_gfn);
int evtchn_set_priority(struct domain *cur, evtchn_port_t port, uint32_t priority);

#endif
