/* The big hypervisor lock (see biglock.h for what it covers and why). */
#include <arch.h>
#include <biglock.h>
#include <console.h>

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
	while (__atomic_load_n(&big_lock.serving, __ATOMIC_ACQUIRE) != ticket)
		arch_lock_spin_wait();
	big_lock.owner = cpu;
	big_lock.acquired++;
	big_lock.contended++;
	big_lock.spin_ns += arch_lock_now() - start;
}

void big_lock_release(void)
{
	int cpu = (int)arch_cpu_id();

	if (big_lock.owner != cpu)
		panic("big lock: CPU %d releases it, but %s", cpu,
		      big_lock.owner < 0 ? "nobody holds it" : "another CPU holds it");
	big_lock.owner = -1;
	/* only the holder writes `serving`: a plain increment, published with release */
	__atomic_store_n(&big_lock.serving, big_lock.serving + 1, __ATOMIC_RELEASE);
}

bool big_lock_held(void)
{
	return __atomic_load_n(&big_lock.owner, __ATOMIC_RELAXED) == (int)arch_cpu_id();
}
