/* Software timers (see timer.h). */
#include <arch.h>
#include <timer.h>

static struct timer *pending;   /* sorted by expiry */

uint64_t now_ns(void)
{
	return arch_now_ns();
}

void timer_init(struct timer *t, void (*fn)(void *), void *data)
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	t->data = data;
}

static void unlink(struct timer *t)
{
	for (struct timer **p = &pending; *p; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			break;
		}
	t->active = false;
	t->next = NULL;
}

void timer_stop(struct timer *t)
{
	bool was_first = pending == t;

	if (!t->active)
		return;
	unlink(t);
	if (was_first)
		arch_timer_program(pending ? pending->expires : 0);
}

void timer_set(struct timer *t, uint64_t expires)
{
	struct timer **p = &pending;

	if (t->active)
		unlink(t);
	t->expires = expires;
	while (*p && (*p)->expires <= expires)
		p = &(*p)->next;
	t->next = *p;
	*p = t;
	t->active = true;
	if (pending == t)
		arch_timer_program(expires);
}

void timers_run(void)
{
	uint64_t now = now_ns();

	/* bounded: each pass removes one timer; a callback may re-arm its own */
	for (unsigned n = 0; pending && pending->expires <= now && n < 1024; n++) {
		struct timer *t = pending;
		pending = t->next;
		t->next = NULL;
		t->active = false;
		t->fn(t->data);
		now = now_ns();
	}
	arch_timer_program(pending ? pending->expires : 0);
}
