/* Halting and restarting the machine. */
#include <arch.h>
#include <cmdline.h>
#include <console.h>
#include <asm/smp.h>
#include <asm/x86.h>

#define DEBUG_EXIT_PORT 0xf4   /* QEMU -device isa-debug-exit,iobase=0xf4,iosize=4 */
#define RESET_CONTROL   0xcf9  /* PIIX/ICH reset control register */
#define KBD_CONTROL     0x64
#define REBOOT_DELAY_S  5

static void machine_restart(void)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) no_idt = { 0, 0 };

	outb(RESET_CONTROL, 0x02);
	outb(RESET_CONTROL, 0x06);      /* hard reset */
	arch_udelay(50000);
	outb(KBD_CONTROL, 0xfe);        /* pulse the reset line */
	arch_udelay(50000);
	/* last resort: a triple fault */
	__asm__ volatile("lidt %0; int3" :: "m"(no_idt));
}

void arch_poweroff(void)
{
	irq_disable();
	smp_stop_others();
	/* ACPI S5 needs an ACPI interpreter we do not have: halt instead. */
	printk("Powering off: the machine is halted (switch it off).\n");
	if (hv_opts.qemu_debug_exit)
		outl(DEBUG_EXIT_PORT, 0);
	for (;;)
		halt();
}

void arch_reboot(void)
{
	irq_disable();
	smp_stop_others();
	printk("Restarting the machine.\n");
	if (hv_opts.qemu_debug_exit)
		outl(DEBUG_EXIT_PORT, 0);
	machine_restart();
	for (;;)
		halt();
}

void arch_wait_for_interrupt(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

void arch_shutdown(bool failed)
{
	irq_disable();
	smp_stop_others();
	if (hv_opts.noreboot)
		printk("System halted.\n");
	else
		printk("Rebooting in %d seconds (boot with 'noreboot' to stay halted).\n",
		       REBOOT_DELAY_S);
	if (hv_opts.qemu_debug_exit)
		outl(DEBUG_EXIT_PORT, failed ? 1 : 0);  /* QEMU exits with 3 or 1 */
	if (!hv_opts.noreboot) {
		arch_udelay((uint64_t)REBOOT_DELAY_S * 1000000);
		machine_restart();
	}
	for (;;)
		halt();
}
