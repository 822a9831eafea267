/*
 * Bringing up the other CPUs (application processors, APs).
 *
 * 1. Find them: the ACPI MADT lists every processor with its local APIC id
 *    (acpi_madt.c). Without a MADT we run on the boot CPU alone.
 * 2. Copy the real-mode trampoline (boot/trampoline.S) to TRAMPOLINE_PHYS,
 *    a page of the first MiB, which the frame allocator never hands out,
 *    and map low memory identity in boot_l4 slot 0 for as long as APs start
 *    (the trampoline turns paging on while it runs at its low address).
 * 3. For each AP in turn: allocate its stack (aligned to its size, with
 *    struct cpu_info at the top), GDT and IST stacks; send INIT, then
 *    STARTUP twice (Intel SDM vol. 3, 8.4.4); wait until it says it is up.
 *    One AP at a time, so the trampoline and smp_boot_rsp serve them all.
 * 4. The AP (ap_start) loads its tables, turns on the CPU features the boot
 *    CPU has, enables its local APIC, measures its TSC against the boot
 *    CPU's, reports, and halts until smp_release_aps() lets it into the
 *    scheduler.
 * Then slot 0 of boot_l4 is cleared again: guests own the low half.
 */
#include <arch.h>
#include <biglock.h>
#include <boot_info.h>
#include <cmdline.h>
#include <console.h>
#include <frame_alloc.h>
#include <sched.h>
#include <asm/acpi.h>
#include <asm/page.h>
#include <asm/io_apic.h>
#include <asm/smp.h>
#include <asm/x86.h>

#define AP_WAIT_US      2000000     /* TCG can be slow to start a CPU thread */
#define TSC_SYNC_ROUNDS 5
#define GDT_ORDER       4           /* 8192 entries = 64 KiB */
#define IST_ORDER       2           /* 4 IST stacks of 4 KiB (desc.c) */

struct cpu_info *cpu_infos[NR_CPUS];
uint32_t cpu_apic_ids[NR_CPUS];
uint32_t cpu_acpi_ids[NR_CPUS];
cpumask_t cpu_online_mask = 1;      /* the boot CPU */
unsigned nr_cpus_online = 1;

/* Handed to the AP being started: one at a time. */
uint64_t smp_boot_rsp;              /* read by ap_start64 */
static uint8_t *smp_boot_ist;
static volatile int ap_alive = -1;     /* the AP runs C code */
static volatile int ap_reported = -1;  /* ... and has finished its set-up */
static volatile bool aps_released;

/* The TSC handshake between the boot CPU and one AP (see tsc_sync_*). */
static volatile uint64_t sync_tsc;
static volatile unsigned sync_step;
static int64_t sync_ap_ahead, sync_ap_behind;

extern uint64_t boot_l4[512], boot_l3_ident[512];
extern const uint8_t trampoline_start[], trampoline_end[], tramp_efer[], tramp_cr0[];
void ap_start(void) NORETURN;

unsigned arch_cpu_id(void)
{
	return get_cpu_info()->cpu_id;
}

cpumask_t arch_cpus_online(void)
{
	return cpu_online_mask;
}

/* Is the trampoline page RAM that nothing of the loader's lies in? */
static bool trampoline_page_ok(const struct boot_info *bi)
{
	bool usable = false;

	for (unsigned i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_range *r = &bi->mem[i];
		bool covers = r->start <= TRAMPOLINE_PHYS && r->start + r->size >= TRAMPOLINE_PHYS + FRAME_SIZE;
		bool touches = r->start < TRAMPOLINE_PHYS + FRAME_SIZE && TRAMPOLINE_PHYS < r->start + r->size;
		if (r->type == BOOT_MEM_USABLE && covers)
			usable = true;
		else if (r->type != BOOT_MEM_USABLE && touches)
			return false;
	}
	for (unsigned i = 0; i < bi->nr_modules; i++)
		if (bi->modules[i].start < TRAMPOLINE_PHYS + FRAME_SIZE &&
		    TRAMPOLINE_PHYS < bi->modules[i].start + bi->modules[i].size)
			return false;
	return usable;
}

/*
 * TSC check, after Linux's idea of a "warp" test: each side stamps its TSC
 * after seeing the other's stamp, so a later stamp that is smaller proves
 * the two TSCs differ by at least that much. Both directions, a few rounds;
 * the smallest proven difference is corrected (QEMU's are in step).
 */
static void tsc_sync_ap(void)
{
	for (unsigned r = 0; r < TSC_SYNC_ROUNDS; r++) {
		while (sync_step != 2 * r + 1)
			cpu_relax();
		uint64_t t = rdtsc();
		if (t < sync_tsc)
			sync_ap_behind = MAX(sync_ap_behind, (int64_t)(sync_tsc - t));
		sync_tsc = rdtsc();
		__atomic_store_n(&sync_step, 2 * r + 2, __ATOMIC_RELEASE);
	}
}

static void tsc_sync_bsp(void)
{
	for (unsigned r = 0; r < TSC_SYNC_ROUNDS; r++) {
		sync_tsc = rdtsc();
		__atomic_store_n(&sync_step, 2 * r + 1, __ATOMIC_RELEASE);
		while (sync_step != 2 * r + 2)
			cpu_relax();
		uint64_t t = rdtsc();
		if (t < sync_tsc)
			sync_ap_ahead = MAX(sync_ap_ahead, (int64_t)(sync_tsc - t));
	}
}

/* The AP's first C code, on its own stack (trampoline.S: ap_start64). */
void ap_start(void)
{
	struct cpu_info *ci = get_cpu_info();
	unsigned cpu = ci->cpu_id;

	desc_init_cpu(cpu, ci, ci->gdt, smp_boot_ist);
	cpu_features_init();
	apic_init_ap();
	ci->apic_id = apic_id();
	__atomic_store_n(&ap_alive, (int)cpu, __ATOMIC_RELEASE);
	tsc_sync_ap();
	__atomic_store_n(&ap_reported, (int)cpu, __ATOMIC_RELEASE);

	/* Halt until released; smp_release_aps() sends an event check. */
	while (!__atomic_load_n(&aps_released, __ATOMIC_ACQUIRE))
		arch_wait_for_interrupt();
	write_cr3(read_cr3());   /* drop what the trampoline's identity mapping left in the TLB */
	big_lock_acquire();
	sched_start_secondary();
}

static bool start_ap(unsigned cpu, uint32_t apic)
{
	mfn_t stack = alloc_frames(STACK_ORDER), gdt = alloc_frames(GDT_ORDER),
	      ist = alloc_frames(IST_ORDER);
	struct cpu_info *ci;
	uint64_t top;

	if (stack == INVALID_MFN || gdt == INVALID_MFN || ist == INVALID_MFN) {
		log_warn("smp: no memory for CPU %u (APIC id %u)\n", cpu, apic);
		return false;
	}
	memset(phys_to_virt(gdt << FRAME_SHIFT), 0, FRAME_SIZE << GDT_ORDER);
	top = (uint64_t)phys_to_virt(stack << FRAME_SHIFT) + STACK_SIZE;
	ci = (struct cpu_info *)(top - sizeof(struct cpu_info));
	memset(ci, 0, sizeof(*ci));
	ci->cpu_id = cpu;
	ci->gdt = phys_to_virt(gdt << FRAME_SHIFT);
	smp_boot_ist = phys_to_virt(ist << FRAME_SHIFT);
	smp_boot_rsp = top - CPU_INFO_RESERVE;
	sync_step = 0;
	sync_ap_ahead = sync_ap_behind = 0;

	apic_send_ipi(apic, ICR_INIT | ICR_ASSERT | ICR_LEVEL);
	arch_udelay(10000);
	for (unsigned i = 0; i < 2 && ap_alive != (int)cpu; i++) {
		apic_send_ipi(apic, ICR_STARTUP | (TRAMPOLINE_PHYS >> 12));
		arch_udelay(200);
	}
	for (unsigned us = 0; us < AP_WAIT_US && ap_alive != (int)cpu; us += 10)
		arch_udelay(10);
	if (ap_alive != (int)cpu) {
		/* its memory stays allocated: it may still wake up, late, and use it */
		log_warn("smp: CPU %u (APIC id %u) did not start\n", cpu, apic);
		return false;
	}
	tsc_sync_bsp();
	while (ap_reported != (int)cpu)
		cpu_relax();
	if (sync_ap_ahead || sync_ap_behind) {
		/* only one direction can be proven unless the TSCs drift during the test */
		ci->tsc_offset = sync_ap_ahead - sync_ap_behind;
		log_warn("smp: CPU %u's TSC is %ld cycles %s CPU 0's; corrected\n", cpu,
			 sync_ap_ahead ? sync_ap_ahead : sync_ap_behind, sync_ap_ahead ? "ahead of" : "behind");
	}
	cpu_infos[cpu] = ci;
	cpu_apic_ids[cpu] = apic;
	cpu_online_mask |= cpumask_of(cpu);
	nr_cpus_online++;
	return true;
}

void smp_init(const struct boot_info *bi)
{
	struct acpi_cpu found[NR_CPUS];
	struct acpi_madt_info info;
	const char *why = NULL;
	unsigned limit = hv_opts.maxcpus ? MIN(hv_opts.maxcpus, NR_CPUS) : NR_CPUS;
	uint32_t self = apic_id();
	char ids[128];
	size_t len = 0;

	cpu_infos[0] = get_cpu_info();
	cpu_infos[0]->apic_id = self;
	cpu_apic_ids[0] = self;
	if (acpi_find_cpus(acpi_map_boot, found, NR_CPUS, &info, &why)) {
		printk("smp: %s: running on the boot CPU only\n", why);
		info.nr_cpus = 0;
	}
	for (unsigned i = 0; i < info.nr_cpus; i++)
		if (found[i].apic_id == self)
			cpu_acpi_ids[0] = found[i].acpi_id;
	if (info.nr_dropped) {
		log_warn("smp: %u more CPUs than the %u we support are ignored\n", info.nr_dropped, NR_CPUS);
	}
	if (info.nr_cpus > 1 && limit > 1) {
		if (!trampoline_page_ok(bi)) {
			log_warn("smp: the page at %#x is not free RAM: running on the boot CPU only\n",
				 TRAMPOLINE_PHYS);
		} else {
			uint8_t *t = phys_to_virt(TRAMPOLINE_PHYS);
			memcpy(t, trampoline_start, (size_t)(trampoline_end - trampoline_start));
			*(uint32_t *)(t + (tramp_efer - trampoline_start)) =
				(uint32_t)rdmsr(MSR_EFER) & ~(1u << 10);   /* LMA is the CPU's to set */
			*(uint32_t *)(t + (tramp_cr0 - trampoline_start)) =
				(uint32_t)read_cr0() & ~(1u << 3);        /* not TS: the FPU is usable */
			boot_l4[0] = virt_to_phys(boot_l3_ident) | PTE_P | PTE_W;
			for (unsigned i = 0; i < info.nr_cpus && nr_cpus_online < limit; i++)
				if (found[i].apic_id != self && start_ap(nr_cpus_online, found[i].apic_id))
					cpu_acpi_ids[nr_cpus_online - 1] = found[i].acpi_id;
			boot_l4[0] = 0;
			write_cr3(read_cr3());
		}
	}
	for (unsigned c = 0; c < nr_cpus_online; c++)
		len += (size_t)hv_snprintf(ids + len, sizeof(ids) - len, "%s%u", c ? " " : "",
					   cpu_apic_ids[c]);
	printk("smp: %u CPU%s up (APIC ids %s)%s\n", nr_cpus_online, nr_cpus_online > 1 ? "s" : "", ids,
	       info.nr_cpus > nr_cpus_online && limit == nr_cpus_online ? ", limited by maxcpus" : "");
}

void arch_smp_init(const struct boot_info *bi)
{
	smp_init(bi);
	io_apic_init();
	acpi_sleep_init();
}

void smp_release_aps(void)
{
	__atomic_store_n(&aps_released, true, __ATOMIC_RELEASE);
	for_each_cpu(cpu, cpu_online_mask & ~cpumask_of(0))
		apic_send_ipi(cpu_apic_ids[cpu], ICR_FIXED | VEC_EVENT_CHECK);
}

void arch_smp_release(void)
{
	smp_release_aps();
}
