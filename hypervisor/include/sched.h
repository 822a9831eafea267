/*
 * Scheduling as hypercalls and emulated instructions see it. Until the real
 * scheduler (issue 5), one vCPU runs and blocking waits for an interrupt.
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

#endif
