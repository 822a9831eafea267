/*
 * Host test of sleeping for the big lock and the releaser's kick
 * (hypervisor/arch/x86/smp_ipi.c: arch_lock_sleep, arch_lock_kick), for
 * every ticket including the last before the 32-bit counter wraps.
 *
 * smp_ipi.c finds its CPU from the top of the current stack (asm/percpu.h),
 * so the sleeping "CPU" runs on a STACK_SIZE-aligned stack of its own
 * (ucontext) with a struct cpu_info at its top. Its halt is faked: while
 * "halted" the CPU id is switched to the releaser's and arch_lock_kick
 * runs, as the releaser's would; the IPIs it sends are recorded.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arch.h>
#include <biglock.h>
#include <cmdline.h>
#include <wake_stats.h>
#include <asm/io_apic.h>
#include <asm/percpu.h>
#include <asm/smp.h>
#include <asm/x86.h>

/* ---- what smp_ipi.c links against ------------------------------------- */

struct biglock big_lock;
struct hv_options hv_opts;
struct wake_stats wake_stats;
struct cpu_info *cpu_infos[NR_CPUS];
uint32_t cpu_apic_ids[NR_CPUS];
cpumask_t cpu_online_mask;
unsigned nr_cpus_online;

bool big_lock_held(void) { return false; }
void big_lock_wait(uint32_t ticket) { (void)ticket; }   /* arch_flush_tlb_domain_unlocked: not run here */
void big_lock_misuse(int cpu, bool acquiring) { (void)cpu; (void)acquiring; abort(); }
void io_apic_run_deferred(void) {}
void timer_interrupt(void) {}

void panic(const char *fmt, ...)
{
	va_list ap;
	char msg[200];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fail_msg("panic: %s", msg);
	abort();
}

static uint64_t ipis_to;   /* APIC ids (= CPU ids here) sent an event check */

void apic_send_ipi(uint32_t dest_apic_id, uint32_t icr_low)
{
	(void)icr_low;
	ipis_to |= 1ULL << dest_apic_id;
}

/* ---- the sleeping CPU -------------------------------------------------- */

#define SLEEPER  1
#define RELEASER 0

static struct cpu_info *sleeper_info;
static uint32_t the_ticket;
static volatile uint32_t serving;
static ucontext_t main_ctx, cpu_ctx;

/* The sleeper's halt: meanwhile the releaser publishes the ticket and kicks. */
void arch_wait_for_interrupt(void)
{
	sleeper_info->cpu_id = RELEASER;
	serving = the_ticket;
	arch_lock_kick(the_ticket);
	sleeper_info->cpu_id = SLEEPER;
}

static void sleeper(void)
{
	arch_lock_sleep(&serving, the_ticket);
}

/* CPU SLEEPER waits for `ticket` (the lock is one before it) and is kicked: which CPUs got an IPI? */
static uint64_t sleep_and_kick(uint32_t ticket)
{
	uint8_t *stack = aligned_alloc(STACK_SIZE, STACK_SIZE);

	assert_non_null(stack);
	memset(stack, 0, STACK_SIZE);
	sleeper_info = (struct cpu_info *)(stack + STACK_SIZE - sizeof(struct cpu_info));
	sleeper_info->cpu_id = SLEEPER;
	cpu_online_mask = (1ULL << RELEASER) | (1ULL << SLEEPER);
	nr_cpus_online = 2;
	cpu_apic_ids[RELEASER] = RELEASER;
	cpu_apic_ids[SLEEPER] = SLEEPER;
	the_ticket = ticket;
	serving = ticket - 1;
	ipis_to = 0;
	assert_int_equal(getcontext(&cpu_ctx), 0);
	cpu_ctx.uc_stack.ss_sp = stack;
	cpu_ctx.uc_stack.ss_size = STACK_SIZE - sizeof(struct cpu_info) - 64;
	cpu_ctx.uc_link = &main_ctx;
	makecontext(&cpu_ctx, sleeper, 0);
	assert_int_equal(swapcontext(&main_ctx, &cpu_ctx), 0);
	free(stack);
	return ipis_to;
}

static void test_kick_reaches_sleeper(void **state)
{
	static const uint32_t tickets[] = { 1, 5, 0x7fffffff, 0xfffffffe, 0xffffffff, 0 };

	for (unsigned i = 0; i < sizeof(tickets) / sizeof(tickets[0]); i++) {
		uint64_t to = sleep_and_kick(tickets[i]);
		if (to != 1ULL << SLEEPER)
			fail_msg("ticket %#x: IPIs to %#lx, want the sleeper's (%#llx)", tickets[i],
				 (unsigned long)to, 1ULL << SLEEPER);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kick_reaches_sleeper),
	};
	return cmocka_run_group_tests_name("lock_sleep", tests, NULL, NULL);
}
