/*
 * Time: the TSC and the local APIC timer, both calibrated against the PIT,
 * whose 1.193182 MHz clock is the one frequency every PC agrees on.
 *
 * At boot we also prove that timer interrupts arrive, periodic and one-shot,
 * since everything the scheduler will do rests on them.
 */
#include <arch.h>
#include <console.h>
#include <timer.h>
#include <asm/percpu.h>
#include <asm/time_calib.h>
#include <asm/x86.h>

#define PIT_HZ          1193182
#define PIT_CH2         0x42
#define PIT_MODE        0x43
#define PIT_GATE        0x61
#define CALIBRATE_MS    20

uint64_t tsc_khz;
uint64_t apic_timer_khz;
static uint64_t tsc_at_boot;
static volatile uint64_t timer_ticks;

/*
 * System time on every CPU: the TSC minus this CPU's offset from CPU 0's
 * (measured at bring-up, smp.c; zero where the TSCs agree).
 */
uint64_t arch_now_ns(void)
{
	uint64_t d = rdtsc() - (uint64_t)get_cpu_info()->tsc_offset - tsc_at_boot;

	if (!tsc_khz)
		return 0;
	/* split to avoid overflow: whole milliseconds, then the remainder */
	return (d / tsc_khz) * 1000000 + (d % tsc_khz) * 1000000 / tsc_khz;
}

void arch_udelay(uint64_t us)
{
	uint64_t khz = tsc_khz ? tsc_khz : 1000000;  /* before calibration: assume 1 GHz */
	uint64_t end = rdtsc() + us * khz / 1000;

	while ((int64_t)(rdtsc() - end) < 0)
		cpu_relax();
}

/*
 * One PIT channel 2 countdown of CALIBRATE_MS, each end bracketed between
 * two TSC reads with the APIC timer read inside (asm/time_calib.h).
 */
static void calibrate_once(struct calib_attempt *a)
{
	uint16_t count = (uint16_t)(PIT_HZ * CALIBRATE_MS / 1000);
	uint64_t before;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);   /* gate high, speaker off */
	outb(PIT_MODE, 0xb0);                             /* channel 2, lo/hi, mode 0 */
	apic_timer_set_divide_1();
	apic_timer_start(0xffffffff, false);
	outb(PIT_CH2, count & 0xff);
	a->start_lo = rdtsc();
	outb(PIT_CH2, count >> 8);                        /* counting starts here */
	a->apic_start = apic_timer_current();
	a->start_hi = before = rdtsc();
	for (;;) {
		uint64_t t = rdtsc();

		if (inb(PIT_GATE) & 0x20)
			break;
		before = t;
		cpu_relax();
	}
	a->apic_end = apic_timer_current();
	a->end_hi = rdtsc();
	a->end_lo = before;
	apic_timer_stop();
}

#define CALIBRATE_TRIES 8

/* Until the attempts together are narrow enough, or CALIBRATE_TRIES of them. */
static void calibrate(void)
{
	struct calib_attempt a[CALIBRATE_TRIES];
	unsigned n = 0;
	bool trusted = false;
	uint64_t least = ~0ULL;

	while (n < CALIBRATE_TRIES && !trusted) {
		calibrate_once(&a[n++]);
		trusted = calib_pick(a, n, CALIBRATE_MS, &tsc_khz, &apic_timer_khz);
	}
	for (unsigned i = 0; i < n; i++)
		least = MIN(least, calib_slack(&a[i]));
	printk("time: calibrated in %u attempt%s (the least disturbed uncertain by %lu cycles)%s\n", n, n == 1 ? "" : "s",
	       least, trusted ? "" : ", still not within 0.1%: the best estimate taken");
}

static bool timers_ready;   /* after the boot self-test: drive timer.h's timers */

void timer_interrupt(void)
{
	timer_ticks++;
	if (timers_ready)
		timers_run();
}

/* One-shot APIC interrupt at `deadline` (system time ns); 0 = none. */
void arch_timer_program(uint64_t deadline)
{
	uint64_t now = arch_now_ns(), delta, count;

	if (!deadline) {
		apic_timer_stop();
		return;
	}
	delta = deadline > now ? deadline - now : 1000;
	count = delta * apic_timer_khz / 1000000;
	if (!count)
		count = 1;
	if (count > 0xffffffffULL)
		count = 0xffffffffULL;   /* the next interrupt re-programs the rest */
	apic_timer_start((uint32_t)count, false);
}

/* Wait for `ticks` more interrupts, up to `timeout_ms`; returns the elapsed ns. */
static uint64_t wait_ticks(uint64_t ticks, uint64_t timeout_ms)
{
	uint64_t start = arch_now_ns(), target = timer_ticks + ticks;

	while (timer_ticks < target && arch_now_ns() - start < timeout_ms * 1000000)
		halt();   /* any interrupt, including the timer's, wakes us */
	return arch_now_ns() - start;
}

void time_selftest(void)
{
	const uint64_t period_ms = 10, nr = 5;
	uint64_t before, elapsed;

	irq_enable();
	timer_ticks = 0;
	apic_timer_start((uint32_t)(apic_timer_khz * period_ms), true);
	elapsed = wait_ticks(nr, 2000);
	apic_timer_stop();
	if (timer_ticks < nr)
		panic("time: periodic timer: %lu of %lu interrupts in 2 s", timer_ticks, nr);
	printk("time: periodic timer OK: %lu interrupts at %lu ms in %lu.%03lu ms\n", nr, period_ms,
	       elapsed / 1000000, elapsed / 1000 % 1000);

	before = timer_ticks;
	apic_timer_start((uint32_t)(apic_timer_khz * 5), false);
	elapsed = wait_ticks(1, 2000);
	arch_udelay(20000);   /* a one-shot timer must not fire again */
	if (timer_ticks != before + 1)
		panic("time: one-shot timer: %lu interrupts, expected 1", timer_ticks - before);
	printk("time: one-shot timer OK: fired once after %lu.%03lu ms (asked 5 ms)\n",
	       elapsed / 1000000, elapsed / 1000 % 1000);
	irq_disable();
}

void arch_time_init(void)
{
	tsc_at_boot = rdtsc();
	apic_init();
	calibrate();
	if (!tsc_khz || !apic_timer_khz)
		panic("time: calibration failed (TSC %lu kHz, APIC timer %lu kHz)", tsc_khz,
		      apic_timer_khz);
	printk("time: TSC %lu.%03lu MHz, APIC timer %lu.%03lu MHz (PIT-calibrated)\n",
	       tsc_khz / 1000, tsc_khz % 1000, apic_timer_khz / 1000, apic_timer_khz % 1000);
	time_selftest();
	timers_ready = true;
	rtc_init_wallclock();
}

uint64_t arch_cpu_khz(void)
{
	return tsc_khz;
}
