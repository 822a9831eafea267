/* The big hypervisor lock (see biglock.h for what it covers and why). */
#include <arch.h>
#include <biglock.h>
#include <cmdline.h>
#include <console.h>
#include <wake_stats.h>

/*
 * Spin this many turns and for lock_spin_us (hv_opts), then sleep until
 * the releaser kicks us: a waiter that spins on an emulated or
 * overcommitted CPU takes host time from the holder it waits for (QEMU
 * TCG: 1/8 of all acquisitions waited, 7 ms on average, while Linux booted
 * as Dom0 with two vCPUs). But a sleeper's kick is an IPI to a halted CPU,
 * which under an emulator waits for the host to run that CPU's thread
 * again: 100 turns alone (tens of us under TCG) were shorter than most
 * holds, and a waiter then slept through nearly every contended
 * acquisition, about 0.7 ms each on a busy host (docs/split-drivers.md,
 * "Waking the other domain").
 */
#define BIG_LOCK_SPINS 100

struct biglock big_lock = { .owner = -1 };

void big_lock_misuse(int cpu, bool acquiring)
{
	if (acquiring)
		panic("big lock: CPU %d acquires it twice", cpu);
	panic("big lock: CPU %d releases it, but %s", cpu,
	      big_lock.owner < 0 ? "nobody holds it" : "another CPU holds it");
}

/* The contended half of big_lock_acquire (biglock.h): wait for `ticket`. */
void big_lock_wait(uint32_t ticket)
{
	int cpu = (int)arch_cpu_id();
	uint64_t start = arch_lock_now(), spin_until = start + (uint64_t)hv_opts.lock_spin_us * 1000;

	arch_lock_wait_begin();
	for (unsigned spins = 0; __atomic_load_n(&big_lock.serving, __ATOMIC_ACQUIRE) != ticket; spins++) {
		if (spins < BIG_LOCK_SPINS || arch_lock_now() < spin_until) {
			arch_lock_spin_wait();
			continue;
		}
		/* counted before arch_lock_sleep looks at `serving`: see big_lock_release */
		__atomic_fetch_add(&big_lock.sleepers, 1, __ATOMIC_SEQ_CST);
		arch_lock_sleep(&big_lock.serving, ticket);
		__atomic_fetch_sub(&big_lock.sleepers, 1, __ATOMIC_RELAXED);
	}
	big_lock.owner = cpu;
	big_lock.acquired++;
	big_lock.contended++;
	big_lock.spin_ns += arch_lock_now() - start;
	wake_stats_count(&wake_stats.lock_contended);
	wake_stats.lock_wait_ns += arch_lock_now() - start;
	arch_lock_acquired();
}

bool big_lock_held(void)
{
	return __atomic_load_n(&big_lock.owner, __ATOMIC_RELAXED) == (int)arch_cpu_id();
}
