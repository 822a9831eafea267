/* The big hypervisor lock (see biglock.h for what it covers and why). */
#include <arch.h>
#include <biglock.h>
#include <console.h>

/*
 * Spin this many turns, then sleep until the releaser kicks us: a waiter
 * that spins on an emulated or overcommitted CPU takes host time from the
 * holder it waits for (QEMU TCG: 1/8 of all acquisitions waited, 7 ms on
 * average, while Linux booted as Dom0 with two vCPUs).
 */
#define BIG_LOCK_SPINS 100

struct biglock big_lock = { .owner = -1 };

void big_lock_acquire(void)
{
	int cpu = (int)arch_cpu_id();
	uint32_t ticket;

	if (__atomic_load_n(&big_lock.owner, __ATOMIC_RELAXED) == cpu)
		panic("big lock: CPU %d acquires it twice", cpu);
	ticket = __atomic_fetch_add(&big_lock.next, 1, __ATOMIC_RELAXED);
	if (__atomic_load_n(&big_lock.serving, __ATOMIC_ACQUIRE) == ticket) {
		big_lock.owner = cpu;
		big_lock.acquired++;
		return;
	}
	uint64_t start = arch_lock_now();
	for (unsigned spins = 0; __atomic_load_n(&big_lock.serving, __ATOMIC_ACQUIRE) != ticket; spins++) {
		if (spins < BIG_LOCK_SPINS)
			arch_lock_spin_wait();
		else
			arch_lock_sleep(&big_lock.serving, ticket);
	}
	big_lock.owner = cpu;
	big_lock.acquired++;
	big_lock.contended++;
	big_lock.spin_ns += arch_lock_now() - start;
	arch_lock_acquired();
}

void big_lock_release(void)
{
	int cpu = (int)arch_cpu_id();

	if (big_lock.owner != cpu)
		panic("big lock: CPU %d releases it, but %s", cpu,
		      big_lock.owner < 0 ? "nobody holds it" : "another CPU holds it");
	big_lock.owner = -1;
	/* only the holder writes `serving`: a plain increment, published with release */
	uint32_t next = big_lock.serving + 1;
	__atomic_store_n(&big_lock.serving, next, __ATOMIC_SEQ_CST);
	arch_lock_kick(next);   /* the next ticket's holder, if it sleeps */
}

bool big_lock_held(void)
{
	return __atomic_load_n(&big_lock.owner, __ATOMIC_RELAXED) == (int)arch_cpu_id();
}
