/* x86 entry from head.S: descriptor tables, then the common start-up. */
#include <console.h>
#include <asm/x86.h>

void start_hypervisor(struct boot_info *bi);
void arch_start(uint32_t magic, uint32_t info);

static struct boot_info boot_info;
extern const char _start[], _end[];

void arch_start(uint32_t magic, uint32_t info)
{
	desc_init();
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
