/* x86 entry from head.S: descriptor tables, then the common start-up. */
#include <console.h>
#include <asm/smp.h>
#include <asm/x86.h>
#include <asm/xstate.h>

void start_hypervisor(struct boot_info *bi);
void arch_start(uint32_t magic, uint32_t info);

static struct boot_info boot_info;
extern const char _start[], _end[];

/*
 * CPU features the hypervisor turns on for itself and its guests: SSE and
 * XSAVE state (guests use it; we never do, being built without SSE), and CPUID faulting
 * where the CPU has it, so that a guest's plain CPUID also sees our policy.
 * Every CPU runs this (the APs from smp.c).
 */
void cpu_features_init(void)
{
	uint64_t info;

	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	xstate_cpu_init();
	if (!rdmsr_safe(MSR_PLATFORM_INFO, &info) && (info & (1ULL << 31)))
		wrmsr(MSR_MISC_FEATURES_ENABLES, rdmsr(MSR_MISC_FEATURES_ENABLES) | 1);
}

void arch_start(uint32_t magic, uint32_t info)
{
	desc_init();
	cpu_features_init();
	if (!multiboot_parse(magic, info, &boot_info)) {
		/* no options to honour yet: tell COM1 and stop */
		serial_init(0x3f8, 0);
		console_serial_on = true;
		printk("Paravane: not started by a Multiboot loader (magic %#x); halting.\n", magic);
		for (;;)
			halt();
	}
	boot_info.image_start = virt_to_phys(_start);
	boot_info.image_end = virt_to_phys(_end);
	start_hypervisor(&boot_info);
}
