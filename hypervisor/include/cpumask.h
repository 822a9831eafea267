/*
 * Sets of physical CPUs. NR_CPUS is 64 so that a set is one word: reading,
 * testing and (with __atomic builtins) updating a set from several CPUs is
 * then a single instruction, and no set ever needs a lock of its own.
 * Raising NR_CPUS past 64 means turning cpumask_t into an array.
 */
#ifndef CPUMASK_H
#define CPUMASK_H

#include <lib.h>

#define NR_CPUS 64

typedef uint64_t cpumask_t;

#define CPUMASK_NONE ((cpumask_t)0)
#define CPUMASK_ALL  (~(cpumask_t)0)

static inline cpumask_t cpumask_of(unsigned cpu)
{
	return cpu < NR_CPUS ? (cpumask_t)1 << cpu : 0;
}

static inline bool cpumask_test(cpumask_t m, unsigned cpu)
{
	return cpu < NR_CPUS && ((m >> cpu) & 1);
}

/* By hand: the freestanding build has no libgcc for __builtin_popcount. */
static inline unsigned cpumask_weight(cpumask_t m)
{
	unsigned n = 0;

	for (; m; m &= m - 1)
		n++;
	return n;
}

/* The lowest CPU in m, or NR_CPUS when m is empty. */
static inline unsigned cpumask_first(cpumask_t m)
{
	return m ? (unsigned)__builtin_ctzll(m) : NR_CPUS;
}

/* The lowest CPU in m above `cpu`, or NR_CPUS. */
static inline unsigned cpumask_next(cpumask_t m, unsigned cpu)
{
	if (cpu + 1 >= NR_CPUS)
		return NR_CPUS;
	return cpumask_first(m & (CPUMASK_ALL << (cpu + 1)));
}

#define for_each_cpu(cpu, m) \
	for (unsigned cpu = cpumask_first(m); cpu < NR_CPUS; cpu = cpumask_next((m), cpu))

/*
 * Print m as a list ("0-2,5") into buf; returns buf. Used by logs and the
 * sched_report line, so that a human and a test regex read the same text.
 */
char *cpumask_format(char *buf, size_t size, cpumask_t m);

/*
 * Parse a list such as "0-2,5" (the syntax cpumask_format prints and Xen's
 * options use). False when it is malformed or names a CPU >= NR_CPUS.
 */
bool cpumask_parse(const char *s, cpumask_t *out);

#endif
