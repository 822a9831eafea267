/*
 * Several CPUs: bring-up (smp.c) and the requests CPUs send each other
 * (smp_ipi.c). Per-CPU state lives in each CPU's struct cpu_info (asm/percpu.h);
 * the arrays here let one CPU find another's.
 *
 * Locking: cpu_infos[], cpu_apic_ids[], cpu_acpi_ids[] and cpu_online_mask are written
 * during bring-up, while the boot CPU waits for each AP in turn, and are
 * read-only afterwards. The TLB-flush request word is lock-free (smp_ipi.c).
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <cpumask.h>
#include <asm/percpu.h>

/* Vectors of the inter-processor interrupts, above every exception. */
#define VEC_EVENT_CHECK  0xf1   /* "look at your scheduler and events": EOI only */
#define VEC_FLUSH_TLB    0xf2   /* answer a TLB shoot-down; never takes the big lock */

extern struct cpu_info *cpu_infos[NR_CPUS];
extern uint32_t cpu_apic_ids[NR_CPUS];
extern uint32_t cpu_acpi_ids[NR_CPUS];   /* the MADT's processor UIDs; 0 without ACPI */
extern cpumask_t cpu_online_mask;
extern unsigned nr_cpus_online;

/* Find and start the other CPUs; they wait in smp_ap_wait() until released. */
struct boot_info;
void smp_init(const struct boot_info *bi);

/* Let the waiting APs into the scheduler (the boot CPU, once domains exist). */
void smp_release_aps(void);

/* This CPU's id (cpu_info.cpu_id). */
static inline unsigned smp_cpu_id(void)
{
	return get_cpu_info()->cpu_id;
}

struct domain;

/*
 * The TLB flush clock (Xen's tlbflush_clock, simplified). CR4.PGE is off,
 * so every CR3 write flushes this CPU's whole TLB. tlb_clock counts such
 * flushes; a CPU records in cpu_info.tlb_flushed_at the value it drew just
 * before its last one. A frame stamped with the clock when its last
 * writable mapping went (page_info.tlbflush_stamp) can then be in the TLB
 * only of CPUs whose tlb_flushed_at is not later than the stamp:
 * smp_cpus_not_flushed_since() keeps just those, so turning a batch of
 * such frames into tables flushes once, not once per frame.
 */
extern uint64_t tlb_clock;

/*
 * Never nested (interrupts are taken only in halts; NMI handlers do not
 * flush): a nested call's later value, overwritten by ours, would hide its
 * flush from a requester waiting on the clock, maybe holding the big lock.
 */
static inline void tlb_write_cr3(uint64_t cr3)
{
	uint64_t t = __atomic_add_fetch(&tlb_clock, 1, __ATOMIC_SEQ_CST);

	write_cr3(cr3);
	__atomic_store_n(&get_cpu_info()->tlb_flushed_at, t, __ATOMIC_RELEASE);
}

/* smp_ipi.c */
void smp_send_event_check(unsigned cpu);
void smp_flush_tlb_mask(cpumask_t mask);        /* caller holds the big lock */
void smp_flush_service(void);                   /* answer a pending request, if any */
cpumask_t smp_domain_cpus(const struct domain *d);
cpumask_t smp_guest_cpus(void);
/* The CPUs of mask whose last full flush came before the clock read `stamp` (they may hold it). */
cpumask_t smp_cpus_not_flushed_since(cpumask_t mask, uint64_t stamp);
void smp_stop_others(void);                     /* NMI everyone else into a halt */
bool smp_lock_sleeping(void);                   /* halted in arch_lock_sleep */
bool smp_defer_timer(void);                     /* sleeping for the lock: run the timer later */
bool smp_stopping(void);
void smp_stopped_halt(void) NORETURN;

/* apic.c */
void apic_init_ap(void);
uint32_t apic_id(void);
void apic_send_ipi(uint32_t apic_id, uint32_t icr_low);
bool apic_ipi_idle(unsigned timeout_us);

#define ICR_FIXED        (0u << 8)
#define ICR_NMI          (4u << 8)
#define ICR_INIT         (5u << 8)
#define ICR_STARTUP      (6u << 8)
#define ICR_ASSERT       (1u << 14)
#define ICR_LEVEL        (1u << 15)

/* desc.c: the descriptor tables and SYSCALL stub of CPU `cpu`. */
void desc_init_cpu(unsigned cpu, struct cpu_info *ci, uint64_t *gdt, uint8_t *ist_stacks);

/* setup.c */
void cpu_features_init(void);

#endif
