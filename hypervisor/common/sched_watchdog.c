/*
 * SCHEDOP_watchdog: a guest's own watchdogs, as Xen 4.17's. A domain has
 * WATCHDOG_TIMERS of them. id 0 with a timeout creates one (the result is
 * its id, 1-based; -ENOSPC when all are in use); an id in use with a
 * timeout re-arms it, with timeout 0 destroys it; an id not in use is
 * -EINVAL. Timeouts are in seconds. When one expires, the domain is shut
 * down with SHUTDOWN_watchdog (Dom0 learns it by VIRQ_DOM_EXC and
 * getdomaininfo, as for any shutdown).
 */
#include <console.h>
#include <domain.h>
#include <public/errno.h>
#include <public/sched.h>

#define NS_PER_SEC 1000000000ULL

static void watchdog_fired(void *data)
{
	struct domain *d = data;

	if (d->state != DOMAIN_RUNNING || d->is_dying)
		return;
	printk("Watchdog timer fired for domain %u\n", d->domain_id);
	domain_shutdown(d, SHUTDOWN_watchdog);
}

static void arm(struct domain *d, unsigned i, uint32_t seconds)
{
	timer_set(&d->watchdog[i], now_ns() + seconds * NS_PER_SEC);
}

int64_t sched_watchdog(struct vcpu *v, void *arg)
{
	const struct sched_watchdog *w = arg;
	struct domain *d = v->domain;
	unsigned i;

	if (w->id == 0) {
		for (i = 0; i < WATCHDOG_TIMERS && (d->watchdog_inuse & (1u << i)); i++)
			;
		if (i == WATCHDOG_TIMERS)
			return -XEN_ENOSPC;
		d->watchdog_inuse |= (uint8_t)(1u << i);
		timer_init(&d->watchdog[i], watchdog_fired, d);
		arm(d, i, w->timeout);
		return i + 1;
	}
	i = w->id - 1;
	if (w->id > WATCHDOG_TIMERS || !(d->watchdog_inuse & (1u << i)))
		return -XEN_EINVAL;
	if (w->timeout) {
		arm(d, i, w->timeout);
		return 0;
	}
	timer_stop(&d->watchdog[i]);
	d->watchdog_inuse &= (uint8_t)~(1u << i);
	return 0;
}

void watchdog_domain_destroy(struct domain *d)
{
	for (unsigned i = 0; i < WATCHDOG_TIMERS; i++)
		timer_stop(&d->watchdog[i]);
	d->watchdog_inuse = 0;
}
