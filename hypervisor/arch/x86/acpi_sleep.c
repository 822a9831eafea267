/*
 * ACPI S5 (soft off) on Dom0's request: XENPF_enter_acpi_sleep. Dom0's
 * ACPI interpreter evaluated \_S5 and hands us the PM1a/PM1b control values
 * (SLP_TYP and SLP_EN set); the hypervisor stops its other CPUs and writes
 * them to the control blocks the FADT names, which turns the machine off.
 * S1-S4 would need the hypervisor to suspend and resume itself: refused.
 */
#include <arch.h>
#include <cmdline.h>
#include <console.h>
#include <asm/acpi.h>
#include <asm/smp.h>
#include <asm/x86.h>
#include <public/errno.h>
#include <public/platform.h>

#define ACPI_STATE_S5   5
#define POWEROFF_WAIT_US 500000

static struct acpi_fadt_info fadt;
static bool have_fadt;

void acpi_sleep_init(void)
{
	const char *why = NULL;
	size_t len;
	const void *t = acpi_find_table(acpi_map_boot, "FACP", &len, &why);

	if (!t) {
		log_warn("acpi: no FADT (%s): Dom0's poweroff will only halt the machine\n", why);
		return;
	}
	if (acpi_fadt_parse(t, len, &fadt)) {
		log_warn("acpi: the FADT is malformed or has no PM1a control block: "
			 "Dom0's poweroff will only halt the machine\n");
		return;
	}
	have_fadt = true;
	log_info("acpi: PM1a control at %#x, PM1b at %#x, SCI on IRQ %u\n", fadt.pm1a_cnt,
		 fadt.pm1b_cnt, fadt.sci_irq);
}

int acpi_enter_sleep(const struct xenpf_enter_acpi_sleep *s)
{
	if (s->flags & ~(uint32_t)XENPF_ACPI_SLEEP_EXTENDED)
		return -XEN_EINVAL;
	if (s->sleep_state == 0 || s->sleep_state > ACPI_STATE_S5)
		return -XEN_EINVAL;
	/* S1-S4: the hypervisor would have to save and restore itself */
	if (s->sleep_state != ACPI_STATE_S5)
		return -XEN_EOPNOTSUPP;
	/* the extended form is for hardware-reduced ACPI (sleep control register): not read */
	if (s->flags & XENPF_ACPI_SLEEP_EXTENDED)
		return -XEN_EOPNOTSUPP;
	if (!have_fadt)
		return -XEN_ENODEV;
	irq_disable();
	smp_stop_others();
	/* under a test harness the debug exit's status is the result it waits for */
	if (hv_opts.qemu_debug_exit) {
		printk("Powering off (ACPI S5, asked by Dom0): reported to QEMU's debug exit instead.\n");
		arch_poweroff();
	}
	printk("Powering off (ACPI S5, asked by Dom0).\n");
	outw(fadt.pm1a_cnt, s->val_a);
	if (fadt.pm1b_cnt)
		outw(fadt.pm1b_cnt, s->val_b);
	arch_udelay(POWEROFF_WAIT_US);
	/* still here: the values did not switch the machine off */
	printk("ACPI S5 did not power off (PM1a %#x <- %#x): halting.\n", fadt.pm1a_cnt, s->val_a);
	arch_poweroff();
	return 0;
}
