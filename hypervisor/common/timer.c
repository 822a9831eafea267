/*
 * Software timers (see timer.h): one pending list per CPU, sorted by
 * expiry, whose head is the deadline that CPU's local APIC timer holds.
 */
#include <arch.h>
#include <console.h>
#include <timer.h>

static struct timer *pending[NR_CPUS];
static uint64_t runs[NR_CPUS];
static bool running[NR_CPUS];

uint64_t now_ns(void)
{
	return arch_now_ns();
}

void timer_init(struct timer *t, void (*fn)(void *), void *data)
{
	BUG_ON(t->active);
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	t->data = data;
}

/* Off its CPU's list. If it was that CPU's next deadline, the CPU's APIC
 * still fires then: timers_run finds nothing due and programs the next. */
static void unlink(struct timer *t)
{
	for (struct timer **p = &pending[t->cpu]; *p; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			break;
		}
	t->active = false;
	t->next = NULL;
}

void timer_stop(struct timer *t)
{
	unsigned cpu = arch_cpu_id();
	bool was_first = t->cpu == cpu && pending[cpu] == t;

	if (!t->active)
		return;
	unlink(t);
	if (was_first)
		arch_timer_program(pending[cpu] ? pending[cpu]->expires : 0);
}

void timer_set(struct timer *t, uint64_t expires)
{
	unsigned cpu = arch_cpu_id();
	struct timer **p = &pending[cpu];

	if (t->active)
		unlink(t);
	t->cpu = cpu;
	t->expires = expires;
	while (*p && (*p)->expires <= expires)
		p = &(*p)->next;
	t->next = *p;
	*p = t;
	t->active = true;
	if (pending[cpu] == t)
		arch_timer_program(expires);
}

void timers_run(void)
{
	unsigned cpu = arch_cpu_id();
	uint64_t now = now_ns();

	runs[cpu]++;
	running[cpu] = true;
	/* bounded: each pass removes one timer; a callback may re-arm its own */
	for (unsigned n = 0; pending[cpu] && pending[cpu]->expires <= now && n < 1024; n++) {
		struct timer *t = pending[cpu];
		pending[cpu] = t->next;
		t->next = NULL;
		t->active = false;
		t->fn(t->data);
		now = now_ns();
	}
	running[cpu] = false;
	arch_timer_program(pending[cpu] ? pending[cpu]->expires : 0);
}

uint64_t timers_run_count(unsigned cpu)
{
	return runs[cpu];
}

uint64_t timer_next_deadline(void)
{
	const struct timer *t = pending[arch_cpu_id()];

	return t ? t->expires : UINT64_MAX;
}

bool timers_running_here(void)
{
	return running[arch_cpu_id()];
}
