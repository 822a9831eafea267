/*
 * Scheduling as hypercalls, events and emulated instructions see it
 * (common/sched.c).
 */
#ifndef SCHED_H
#define SCHED_H

#include <domain.h>

/* SCHEDOP_yield: let something else run. */
void sched_yield_current(void);

/*
 * SCHEDOP_block / HLT: clear the vCPU's upcall mask and wait until an event is
 * pending for it (return at once if one already is).
 */
void sched_block_current(void);

/* An event became pending for v: make it runnable (and reschedule if needed). */
void vcpu_kick(struct vcpu *v);

#endif
