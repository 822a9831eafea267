/*
 * Physical interrupts of a domain (pirqs): the bookkeeping in
 * common/event_pirq.c, the interrupt controller behind it in the arch
 * (arch/x86/io_apic.c). Names:
 *   irq   the arch's number for an interrupt line (on x86 a GSI);
 *   pirq  the domain's name for it, chosen at PHYSDEVOP_map_pirq;
 *   port  the event channel EVTCHNOP_bind_pirq bound it to.
 * A pirq is mapped (pirq -> irq), then bound (-> port); only a bound pirq
 * has its line unmasked. One domain at a time may map a given irq.
 *
 * Delivery: the arch's handler calls pirq_irq_fired(irq). An edge
 * interrupt is just raised on the port. A level one is masked first and
 * stays masked until the domain's PHYSDEVOP_eoi, so that the line, still
 * asserted until the domain's driver quietens the device, does not fire
 * again and again in between.
 *
 * Locking: the big lock, like every other hypercall path; the arch calls
 * pirq_irq_fired() with it held.
 */
#ifndef PIRQ_H
#define PIRQ_H

#include <domain.h>
#include <public/event_channel.h>

#define NR_PIRQS      256       /* pirq numbers of a domain: 0..255 */
#define PIRQ_MAX_IRQS 256       /* arch irq numbers below this */

/* Per domain, allocated at its first map_pirq. */
struct pirq {
	int32_t irq;                /* -1: not mapped */
	evtchn_port_t port;         /* 0: not bound */
	bool in_flight;             /* level: masked, waiting for the domain's EOI */
};

struct pirq_domain {
	struct pirq pirqs[NR_PIRQS];
};

/*
 * PHYSDEVOP_map_pirq for an interrupt line: map `irq` for d as *pirq, or as
 * a free pirq (the irq's own number if free, else the lowest free from 16)
 * when *pirq < 0; an irq d mapped already gives its pirq back (Xen's
 * behaviour). -XEN_EPERM: d is not privileged; -XEN_EINVAL: pirq out of range, or no such irq;
 * -XEN_EEXIST: the pirq or the irq is mapped to something else;
 * -XEN_EBUSY: another domain maps the irq; -XEN_ENOSPC; -XEN_ENOMEM.
 */
int pirq_map_irq(struct domain *d, unsigned irq, int *pirq);
/* PHYSDEVOP_unmap_pirq: -XEN_EINVAL if not mapped. A bound pirq is unbound (line masked). */
int pirq_unmap(struct domain *d, unsigned pirq);
/* PHYSDEVOP_eoi: 0 (unmasks a level line in flight), -XEN_EINVAL if not mapped. */
int pirq_eoi(struct domain *d, unsigned pirq);
/* The port pirq is bound to, 0 if none (PHYSDEVOP_eoi's v1 auto-unmask). */
evtchn_port_t pirq_port(struct domain *d, unsigned pirq);
/* The arch: `irq` fired. Raises the bound port, or masks an unclaimed line. */
void pirq_irq_fired(unsigned irq);
/* Domain teardown: unbind and unmap everything, free the table. */
void pirq_domain_destroy(struct domain *d);

/* For the event channels (event_pirq.c): bind a mapped pirq to a new port / forget it. */
int pirq_bind(struct domain *d, unsigned pirq, evtchn_port_t port);
void pirq_unbind(struct domain *d, unsigned pirq, evtchn_port_t port);

/*
 * The arch's interrupt controller, for the code above.
 * arch_irq_exists: is there such a line (a pin of some IO-APIC)?
 * arch_irq_reserved: the hypervisor's own use of the line ("COM1"), or
 *   NULL; such a line may be mapped (as Xen lets Dom0 map it) but never bound.
 * arch_irq_is_level: its trigger mode as programmed.
 * arch_irq_mask / unmask: stop / let it through.
 * arch_pirq_set_needs_eoi: the bit in d's pirq EOI map
 *   (PHYSDEVOP_pirq_eoi_gmfn), so the guest knows to EOI; nothing if none.
 */
bool arch_irq_exists(unsigned irq);
const char *arch_irq_reserved(unsigned irq);
bool arch_irq_is_level(unsigned irq);
void arch_irq_mask(unsigned irq);
void arch_irq_unmask(unsigned irq);
void arch_pirq_set_needs_eoi(struct domain *d, unsigned pirq, bool needs_eoi);

#endif
