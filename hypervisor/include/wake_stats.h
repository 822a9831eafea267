/*
 * Counters of what a cross-domain wake-up costs (common/wake_stats.c):
 * hypercalls by number, events raised and delivered, vCPU wake-ups and how
 * the scheduler placed them, switches, idle halts and what ended them, and
 * the time from a wake-up to the woken vCPU running. Read from Dom0 with
 * debug key 'p' (`xl debug-keys p; xl dmesg`), cleared with 'P', as Xen's
 * performance counters; docs/split-drivers.md says how to read them.
 *
 * Plain increments under the big lock, except the interrupt counts, which
 * a CPU takes without it (atomic). Cheap enough to stay on in every build.
 */
#ifndef WAKE_STATS_H
#define WAKE_STATS_H

#include <lib.h>
#include <hypercall.h>

/* Where vcpu_wake put a vCPU that became runnable (sched.c: tickle). */
enum wake_place {
	WAKE_IDLE_REMOTE,    /* an idle CPU, woken by an IPI */
	WAKE_IDLE_SELF,      /* this CPU, idle (a timer in the idle loop) */
	WAKE_HERE_SOON,      /* this CPU, whose vCPU is about to stop */
	WAKE_PREEMPT,        /* a CPU running something less urgent, IPI'd */
	WAKE_QUEUED,         /* nowhere yet: every CPU runs something as urgent */
	NR_WAKE_PLACES
};

/* grant_table_op commands timed separately (GNTTABOP_map_grant_ref 0 .. GNTTABOP_cache_flush 12) */
#define GNTTAB_STATS_CMDS 13

/* Wake-up to running, in buckets: < 10 us, < 100 us, < 1 ms, < 10 ms, more. */
#define WAKE_LAT_BUCKETS 5

struct wake_stats {
	uint64_t hypercalls[NR_HYPERCALLS];
	/* time in each hypercall's handler, all of it under the big lock (a multicall's includes its entries) */
	uint64_t hypercall_ns[NR_HYPERCALLS], hypercall_max_ns[NR_HYPERCALLS];
	uint64_t gnttab_ns[GNTTAB_STATS_CMDS], gnttab_max_ns[GNTTAB_STATS_CMDS];   /* grant_table_op by command */
	uint64_t evtchn_sends;           /* EVTCHNOP_send */
	uint64_t sched_blocks, sched_polls, sched_yields;
	uint64_t upcalls_marked;         /* evtchn_upcall_pending went 0 -> 1 */
	uint64_t upcalls_delivered;      /* bounced into the guest's event callback */
	uint64_t kicks_running;          /* an event for a vCPU running on another CPU: IPI */
	uint64_t wakes_event, wakes_timer;   /* blocked -> runnable, outside / inside a timer */
	uint64_t wake_place[NR_WAKE_PLACES];
	uint64_t wake_lat_ns, wake_lat_max_ns, wake_lat_n;
	uint64_t wake_lat_hist[WAKE_LAT_BUCKETS];
	uint64_t place_lat_ns[NR_WAKE_PLACES], place_lat_n[NR_WAKE_PLACES];
	uint64_t switches;               /* a CPU changed vCPU (to another one, not to idle) */
	uint64_t idle_entries;           /* halts in the idle loop */
	uint64_t idle_exits_timer;       /* ... that a timer interrupt ended */
	uint64_t idle_exits_ipi;         /* ... that another CPU's event check ended */
	uint64_t idle_polls_hit;         /* idle entries that found work while polling (no halt) */
	uint64_t idle_poll_ns;           /* time spent polling */
	uint64_t ipis_event_check;       /* event-check IPIs sent */
	uint64_t lock_contended, lock_wait_ns;   /* big lock acquisitions that waited, and how long */
	uint64_t lock_sleeps;            /* big lock waits that halted until kicked */
	uint64_t tlb_flush_ipis;         /* TLB shoot-downs that interrupted other CPUs */
	uint64_t tlb_flush_lazy;         /* ... targets left to flush at their lock acquisition (no IPI, no wait) */
	uint64_t tlb_flush_wait_ns;      /* time the lock holder waited for shoot-down answers */
	uint64_t tlb_flush_unlocked, tlb_flush_unlocked_ns;   /* unmaps that let the lock go, and for how long (answers + retaking it) */
	uint64_t kicks_late;             /* event checks sent after the big lock's release (atomic) */
	uint64_t irq_timer, irq_event_check;   /* interrupts taken (atomic) */
};

extern struct wake_stats wake_stats;

static inline void wake_stats_count(uint64_t *c)
{
	(*c)++;
}

static inline void wake_stats_count_atomic(uint64_t *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

/* One timed span of `ns`: into a total and a maximum (holder of the big lock only). */
static inline void wake_stats_time(uint64_t *total, uint64_t *max, uint64_t ns)
{
	*total += ns;
	if (ns > *max)
		*max = ns;
}

/* A woken vCPU, placed at `place` (enum wake_place), starts running `ns` after its wake-up. */
void wake_stats_latency(unsigned place, uint64_t ns);

/* Debug keys 'p' (print to the log ring) and 'P' (clear). */
void wake_stats_print(void);
void wake_stats_reset(void);

#endif
