/*
 * Software timers on system time (ns since boot), driven by the local APIC
 * timer in one-shot mode: the earliest deadline is always programmed.
 * Callbacks run in interrupt context with interrupts off; they must be short
 * (mark something, raise an event) and may re-arm their own timer.
 *
 * Each CPU has its own list and its own APIC timer. A timer belongs to the
 * CPU that last armed it (timer_set records it in `cpu`) and fires there;
 * a callback that re-arms its own timer keeps it on that CPU. Stopping or
 * re-arming works from any CPU.
 *
 * Locking: every list and every struct timer is under the big lock
 * (biglock.h); callbacks run with it held.
 */
#ifndef TIMER_H
#define TIMER_H

#include <lib.h>

struct timer {
	uint64_t expires;               /* system time, ns */
	void (*fn)(void *data);
	void *data;
	struct timer *next;             /* its CPU's pending list, sorted by expiry */
	unsigned cpu;                   /* the CPU whose list it is on (or was last) */
	bool active;
};

/*
 * Once, before first use, on zeroed or stopped memory: initialising a
 * timer that is armed would cut its CPU's list (a hypervisor bug: panics).
 */
void timer_init(struct timer *t, void (*fn)(void *), void *data);
/* (Re)arm; an expiry in the past fires at the next interrupt. */
void timer_set(struct timer *t, uint64_t expires);
void timer_stop(struct timer *t);

/* System time in ns. */
uint64_t now_ns(void);

/* From the timer interrupt: run what is due and program the next deadline. */
void timers_run(void);

/* How many times timers_run has run on `cpu` (the idle loop: what woke it). */
uint64_t timers_run_count(unsigned cpu);
/* The earliest deadline on this CPU's list; UINT64_MAX if none. */
uint64_t timer_next_deadline(void);
/* Is this CPU inside timers_run (a wake-up a timer caused)? */
bool timers_running_here(void);

/* Arch: interrupt this CPU at `deadline` (system time), or never when 0. */
void arch_timer_program(uint64_t deadline);

#endif
