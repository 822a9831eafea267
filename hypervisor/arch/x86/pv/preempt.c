/*
 * When a long hypercall should stop and continue (hypercall.h): after
 * HYPERCALL_BUDGET_US of TSC time since the guest's SYSCALL, or as soon as
 * an interrupt waits in this CPU's local APIC. We run with interrupts off,
 * so a waiting timer or IPI is taken only once the guest is re-entered;
 * the budget bounds how long that can be, whatever the guest asked for.
 *
 * The APIC is read at most every IRR_POLL_US (an uncached MMIO read costs
 * more than a loop step of most batches); the TSC on every call.
 *
 * The clock starts at the first check, not at the SYSCALL: most hypercalls
 * never check (a null hypercall, iret), and under QEMU TCG the RDTSC on
 * every entry cost them 25-50 TSC cycles. A batch's first unit of work is
 * then outside the budget; the units are small (one PTE, one grant), and
 * the second check already counts.
 */
#include <arch.h>
#include <cpumask.h>
#include <hypercall.h>
#include <asm/cpu.h>
#include <asm/smp.h>
#include <asm/x86.h>

#define IRR_POLL_US 5

/* TSC deadlines, computed at the first check: the check runs in inner loops. */
static struct {
	uint64_t budget_end;  /* TSC when the budget runs out; 0: not started in this hypercall */
	uint64_t irr_next;    /* TSC of the next IRR read */
} hc_clock[NR_CPUS];

static uint64_t us_to_tsc(uint64_t us)
{
	uint64_t khz = tsc_khz ? tsc_khz : 1000000;   /* before calibration: 1 GHz */

	return khz * us / 1000;
}

void arch_hypercall_enter(void)
{
	hc_clock[smp_cpu_id()].budget_end = 0;   /* started by the first check */
}

HOT_PATH_MM bool arch_hypercall_preempt_check(void)
{
	uint64_t now = rdtsc();
	unsigned cpu = smp_cpu_id();

	if (!hc_clock[cpu].budget_end) {
		hc_clock[cpu].budget_end = now + us_to_tsc(HYPERCALL_BUDGET_US);
		hc_clock[cpu].irr_next = now + us_to_tsc(IRR_POLL_US);
		return false;
	}
	if (now >= hc_clock[cpu].budget_end)
		return true;
	if (now < hc_clock[cpu].irr_next)
		return false;
	hc_clock[cpu].irr_next = now + us_to_tsc(IRR_POLL_US);
	return apic_irr_pending();
}
