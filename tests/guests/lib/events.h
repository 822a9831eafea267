/*
 * events.h - event upcalls for test guests (events.c).
 *
 * events_install() registers event_entry as the event callback. Each upcall
 * counts itself and, for the 2-level ABI, takes every pending, unmasked
 * port the way Linux does (clear upcall_pending, exchange the selector,
 * clear each port's pending bit), recording the ports in upcall_ports[].
 * Upcalls arrive only while vcpu_info[0].evtchn_upcall_mask is 0.
 */
#ifndef GUEST_EVENTS_H
#define GUEST_EVENTS_H

#include "guest.h"

#define UPCALL_MAX_PORTS 16

extern volatile unsigned long upcall_count;
extern volatile unsigned upcall_nr_ports;              /* ports taken in all upcalls */
extern volatile uint32_t upcall_ports[UPCALL_MAX_PORTS];  /* the first of them */

/* Register the event callback; the hypercall's result. */
long events_install(void);
/* Forget what the upcalls recorded. */
void events_reset_record(void);
/* Set vcpu_info[0]'s upcall mask; on unmask, force delivery as Linux does. */
void events_set_upcall_mask(int masked);

/* Called from event_entry. */
void event_upcall(void);

/*
 * vCPU 1 up on context c (event_entry its callback, our page tables,
 * upcalls masked: it polls or spins), running entry on stack_top: checks
 * initialise_vcpu1 and up_vcpu1, then waits up to 2 s for entry to set
 * *started (check vcpu1_started).
 */
void vcpu1_launch(struct vcpu_guest_context *c, void (*entry)(void), void *stack_top, volatile int *started);

#endif
