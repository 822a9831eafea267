/*
 * Software timers on system time (ns since boot), driven by the local APIC
 * timer in one-shot mode: the earliest deadline is always programmed.
 * Callbacks run in interrupt context with interrupts off; they must be short
 * (mark something, raise an event) and may re-arm their own timer.
 *
 * Locking: one CPU runs everything with interrupts off (TODO(#5): a list and
 * lock per CPU with SMP).
 */
#ifndef TIMER_H
#define TIMER_H

#include <lib.h>

struct timer {
	uint64_t expires;               /* system time, ns */
	void (*fn)(void *data);
	void *data;
	struct timer *next;             /* the pending list, sorted by expiry */
	bool active;
};

void timer_init(struct timer *t, void (*fn)(void *), void *data);
/* (Re)arm; an expiry in the past fires at the next interrupt. */
void timer_set(struct timer *t, uint64_t expires);
void timer_stop(struct timer *t);

/* System time in ns. */
uint64_t now_ns(void);

/* From the timer interrupt: run what is due and program the next deadline. */
void timers_run(void);

/* Arch: interrupt at `deadline` (system time), or never when 0. */
void arch_timer_program(uint64_t deadline);

#endif
