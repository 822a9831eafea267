/* Wake-up counters (see wake_stats.h), and their report for debug key 'p'. */
#include <console.h>
#include <lib.h>
#include <wake_stats.h>

struct wake_stats wake_stats;

static const uint64_t bucket_limit_ns[WAKE_LAT_BUCKETS - 1] = { 10000, 100000, 1000000, 10000000 };

void wake_stats_latency(unsigned place, uint64_t ns)
{
	unsigned b = 0;

	if (place < NR_WAKE_PLACES) {
		wake_stats.place_lat_ns[place] += ns;
		wake_stats.place_lat_n[place]++;
	}
	while (b < WAKE_LAT_BUCKETS - 1 && ns >= bucket_limit_ns[b])
		b++;
	wake_stats.wake_lat_hist[b]++;
	wake_stats.wake_lat_ns += ns;
	wake_stats.wake_lat_n++;
	if (ns > wake_stats.wake_lat_max_ns)
		wake_stats.wake_lat_max_ns = ns;
}

static uint64_t mean_us(unsigned place)
{
	const struct wake_stats *s = &wake_stats;

	return s->place_lat_n[place] ? s->place_lat_ns[place] / s->place_lat_n[place] / 1000 : 0;
}

/* One line per group, "name=value" pairs: tests and bench scripts parse them. */
void wake_stats_print(void)
{
	const struct wake_stats *s = &wake_stats;

	printk("'p' pressed -> wake-up counters\n");
	printk("wake-stats hypercalls:");
	for (unsigned i = 0; i < NR_HYPERCALLS; i++)
		if (s->hypercalls[i])
			printk(" %u=%lu", i, s->hypercalls[i]);
	printk("\n");
	printk("wake-stats hold_us (total/max):");
	for (unsigned i = 0; i < NR_HYPERCALLS; i++)
		if (s->hypercalls[i])
			printk(" %u=%lu/%lu", i, s->hypercall_ns[i] / 1000, s->hypercall_max_ns[i] / 1000);
	printk("\n");
	printk("wake-stats gnttab_hold_us (total/max):");
	for (unsigned i = 0; i < GNTTAB_STATS_CMDS; i++)
		if (s->gnttab_ns[i])
			printk(" %u=%lu/%lu", i, s->gnttab_ns[i] / 1000, s->gnttab_max_ns[i] / 1000);
	printk("\n");
	printk("wake-stats events: send=%lu upcall_marked=%lu upcall_delivered=%lu kick_running=%lu"
	       " block=%lu poll=%lu yield=%lu\n", s->evtchn_sends, s->upcalls_marked,
	       s->upcalls_delivered, s->kicks_running, s->sched_blocks, s->sched_polls, s->sched_yields);
	printk("wake-stats wakes: event=%lu timer=%lu idle_remote=%lu idle_self=%lu here_soon=%lu"
	       " preempt=%lu queued=%lu\n", s->wakes_event, s->wakes_timer,
	       s->wake_place[WAKE_IDLE_REMOTE], s->wake_place[WAKE_IDLE_SELF],
	       s->wake_place[WAKE_HERE_SOON], s->wake_place[WAKE_PREEMPT], s->wake_place[WAKE_QUEUED]);
	printk("wake-stats latency: n=%lu mean_us=%lu max_us=%lu lt10us=%lu lt100us=%lu lt1ms=%lu"
	       " lt10ms=%lu ge10ms=%lu\n", s->wake_lat_n,
	       s->wake_lat_n ? s->wake_lat_ns / s->wake_lat_n / 1000 : 0, s->wake_lat_max_ns / 1000,
	       s->wake_lat_hist[0], s->wake_lat_hist[1], s->wake_lat_hist[2], s->wake_lat_hist[3],
	       s->wake_lat_hist[4]);
	printk("wake-stats latency_by_place_us: idle_remote=%lu idle_self=%lu here_soon=%lu preempt=%lu"
	       " queued=%lu\n", mean_us(WAKE_IDLE_REMOTE), mean_us(WAKE_IDLE_SELF), mean_us(WAKE_HERE_SOON),
	       mean_us(WAKE_PREEMPT), mean_us(WAKE_QUEUED));
	printk("wake-stats idle_poll: hit=%lu polled_us=%lu\n", s->idle_polls_hit, s->idle_poll_ns / 1000);
	printk("wake-stats lock: contended=%lu waited_us=%lu flush_unlocked=%lu flush_unlocked_us=%lu\n",
	       s->lock_contended, s->lock_wait_ns / 1000, s->tlb_flush_unlocked, s->tlb_flush_unlocked_ns / 1000);
	printk("wake-stats cpus: switches=%lu idle=%lu idle_exit_timer=%lu idle_exit_ipi=%lu"
	       " ipi_sent=%lu lock_sleeps=%lu tlb_flush_ipis=%lu irq_timer=%lu irq_event_check=%lu"
	       " tlb_flush_lazy=%lu tlb_flush_wait_us=%lu kicks_late=%lu\n",
	       s->switches, s->idle_entries, s->idle_exits_timer, s->idle_exits_ipi, s->ipis_event_check,
	       s->lock_sleeps, s->tlb_flush_ipis, __atomic_load_n(&s->irq_timer, __ATOMIC_RELAXED),
	       __atomic_load_n(&s->irq_event_check, __ATOMIC_RELAXED), s->tlb_flush_lazy,
	       s->tlb_flush_wait_ns / 1000, __atomic_load_n(&s->kicks_late, __ATOMIC_RELAXED));
}

void wake_stats_reset(void)
{
	memset(&wake_stats, 0, sizeof(wake_stats));
	printk("'P' pressed -> wake-up counters cleared\n");
}
