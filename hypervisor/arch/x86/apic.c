/*
 * The local APIC (xAPIC, memory-mapped): enabling it, its timer, end of
 * interrupt, and inter-processor interrupts through the ICR. Every CPU sees
 * its own local APIC at the same physical address, so one mapping serves
 * all. The legacy PICs are remapped out of the exception vectors and
 * masked: every interrupt we take comes through the APIC.
 */
#include <arch.h>
#include <console.h>
#include <asm/smp.h>
#include <asm/x86.h>

#define APIC_ID        0x020
#define APIC_EOI       0x0b0
#define APIC_SVR       0x0f0
#define APIC_LVT_TIMER 0x320
#define APIC_TMR_INIT  0x380
#define APIC_TMR_CUR   0x390
#define APIC_TMR_DIV   0x3e0
#define APIC_ICR_LOW   0x300
#define APIC_ICR_HIGH  0x310

#define ICR_BUSY         (1u << 12)   /* delivery status: send pending */

#define APIC_BASE_ENABLE (1ULL << 11)
#define SVR_ENABLE       (1u << 8)
#define LVT_MASKED       (1u << 16)
#define LVT_PERIODIC     (1u << 17)

static volatile uint32_t *apic;

static inline uint32_t apic_read(unsigned reg) { return apic[reg / 4]; }
static inline void apic_write(unsigned reg, uint32_t v) { apic[reg / 4] = v; }

static void pic_disable(void)
{
	/* ICW1-4: remap master to 0x20 and slave to 0x28, then mask all lines */
	outb(0x20, 0x11); outb(0xa0, 0x11);
	outb(0x21, 0x20); outb(0xa1, 0x28);
	outb(0x21, 0x04); outb(0xa1, 0x02);
	outb(0x21, 0x01); outb(0xa1, 0x01);
	outb(0x21, 0xff); outb(0xa1, 0xff);
}

void apic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	pic_disable();
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	apic = ioremap(base & ~0xfffULL, 0x1000);
	apic_write(APIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	log_info("apic: local APIC %u at %#lx\n", apic_read(APIC_ID) >> 24, (uint64_t)(base & ~0xfffULL));
}

/* An AP: the same mapping (set up by the boot CPU), this CPU's APIC. */
void apic_init_ap(void)
{
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
	apic_write(APIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	apic_timer_set_divide_1();
}

uint32_t apic_id(void)
{
	return apic_read(APIC_ID) >> 24;
}

/* Wait until the previous IPI left this APIC; false after timeout_us. */
bool apic_ipi_idle(unsigned timeout_us)
{
	for (unsigned i = 0; apic_read(APIC_ICR_LOW) & ICR_BUSY; i++) {
		if (i >= timeout_us)
			return false;
		arch_udelay(1);
	}
	return true;
}

/*
 * Writing the low word sends; the destination goes in the high word first.
 * Callers run with interrupts off, so nothing else on this CPU writes the
 * ICR between the two writes.
 */
void apic_send_ipi(uint32_t dest_apic_id, uint32_t icr_low)
{
	apic_ipi_idle(1000);
	apic_write(APIC_ICR_HIGH, dest_apic_id << 24);
	apic_write(APIC_ICR_LOW, icr_low);
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

void apic_timer_set_divide_1(void)
{
	apic_write(APIC_TMR_DIV, 0xb);
}

void apic_timer_start(uint32_t count, bool periodic)
{
	apic_write(APIC_LVT_TIMER, VEC_TIMER | (periodic ? LVT_PERIODIC : 0));
	apic_write(APIC_TMR_INIT, count);
}

void apic_timer_stop(void)
{
	apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	apic_write(APIC_TMR_INIT, 0);
}

uint32_t apic_timer_current(void)
{
	return apic_read(APIC_TMR_CUR);
}

/*
 * Is an interrupt waiting for this CPU (its bit set in the IRR)? Vectors
 * 0-31 are never delivered through the APIC, so the first IRR word is
 * skipped. Long hypercalls ask this to yield (pv/preempt.c).
 */
#define APIC_IRR 0x200

bool apic_irr_pending(void)
{
	for (unsigned i = 1; i < 8; i++)
		if (apic_read(APIC_IRR + i * 0x10))
			return true;
	return false;
}

bool arch_interrupt_pending(void)
{
	return apic_irr_pending();
}
