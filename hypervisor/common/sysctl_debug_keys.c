/*
 * XEN_SYSCTL_debug_keys (`xl debug-keys KEYS`): each key as if pressed on
 * Xen's console, its report written to the log ring (`xl dmesg`). Keys we
 * have no handler for are skipped, as on Xen. Ours:
 *   g  grant tables: per domain, table and maptrack sizes and the number
 *      of grant mappings it holds (tests compare Dom0's before and after
 *      DomUs come and go: a leaked backend mapping shows there)
 *   p  the wake-up counters (wake_stats.h): hypercalls by number, events,
 *      wake-ups and where they went, wake-to-run latency, switches, idle
 *      halts and what ended them, IPIs (as Xen's 'p' prints its counters)
 *   P  clear them (as Xen's 'P')
 * A call may carry 2^32 - 1 keys, and Xen takes them all: so do we, but
 * stopping for a continuation when asked (arch_hypercall_preempt_check),
 * the keys handled taken off the front of the caller's op.
 */
#include <console.h>
#include <domain.h>
#include <grant_table.h>
#include <guest_access.h>
#include <hypercall.h>
#include <public/errno.h>
#include <wake_stats.h>
#include "sysctl.h"

static void key_grant_tables(void)
{
	printk("'g' pressed -> print grant table usage\n");
	for_each_domain(d)
		gnttab_usage_print(d);
	printk("gnttab_usage_print_all ] done\n");
}

int64_t sysctl_debug_keys(struct vcpu *v, struct xen_sysctl *op)
{
	struct xen_sysctl_debug_keys *k = &op->u.debug_keys;

	(void)v;
	/* as Xen: one key at a time, the keys before a bad byte handled */
	for (uint32_t i = 0; i < k->nr_keys; i++) {
		char c;

		if (i && arch_hypercall_preempt_check()) {
			k->keys += i;
			k->nr_keys -= i;
			return -XEN_ERESTART;
		}
		if (copy_from_guest(&c, k->keys + i, 1))
			return -XEN_EFAULT;
		if (c == 'g')
			key_grant_tables();
		else if (c == 'p')
			wake_stats_print();
		else if (c == 'P')
			wake_stats_reset();
	}
	return 0;
}
