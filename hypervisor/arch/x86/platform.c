/*
 * platform_op (#7): host-wide operations for the initial domain (the
 * hypercall table admits no one else). Every call carries
 * XENPF_INTERFACE_VERSION; anything else is -EACCES, as on Xen.
 *
 * Paravane keeps the machine's power, CPU and firmware management to
 * itself or does not do it at all, so most sub-ops are either information
 * the guest gives us (accepted and ignored), information we have little of
 * (Xen's "nothing there" errors) or requests we refuse cleanly. The table
 * of return codes is in docs/dom0-platform.md.
 */
#include <arch.h>
#include <console.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <wallclock.h>
#include <asm/acpi.h>
#include <asm/smp.h>
#include <public/errno.h>
#include <public/platform.h>

#define BDA_KBD_FLAGS      0x417   /* BIOS data area: keyboard shift flags */

/* _PDC buffer (ACPI processor driver capabilities): revision, count, bits. */
#define ACPI_PDC_REVISION_ID  1
#define ACPI_PDC_P_FFH        0x0001
#define ACPI_PDC_T_FFH        0x0004
#define ACPI_PDC_C_C1_FFH     0x0100
#define ACPI_PDC_C_C2C3_FFH   0x0200
/* Native (MWAIT/MSR) power-state control: the hypervisor does none, so none is offered. */
#define ACPI_PDC_FFH_MASK     (ACPI_PDC_P_FFH | ACPI_PDC_T_FFH | ACPI_PDC_C_C1_FFH | \
			       ACPI_PDC_C_C2C3_FFH)

int platform_firmware_info(struct xenpf_firmware_info *fw);
int platform_get_cpuinfo(struct xenpf_pcpuinfo *info);
uint64_t arch_cpu_physid(unsigned cpu)
{
	return cpu < nr_cpus_online ? cpu_apic_ids[cpu] | ((uint64_t)cpu_acpi_ids[cpu] << 32) : 0;
}

int platform_settime(struct xen_platform_op *op);

/*
 * We boot through Multiboot with no BIOS calls, so there is no EDD, MBR
 * signature or VBE DDC data (Xen's answer when it has none: -ESRCH), and no
 * EFI. The keyboard shift flags are in the BIOS data area, which we have.
 */
int platform_firmware_info(struct xenpf_firmware_info *fw)
{
	switch (fw->type) {
	case XEN_FW_DISK_INFO:
	case XEN_FW_DISK_MBR_SIGNATURE:
	case XEN_FW_VBEDDC_INFO:
		return -XEN_ESRCH;
	case XEN_FW_EFI_INFO:
		return -XEN_ENOSYS;     /* not booted through EFI */
	case XEN_FW_KBD_SHIFT_FLAGS:
		if (fw->index != 0)
			return -XEN_ESRCH;
		fw->u.kbd_shift_flags = *(volatile uint8_t *)arch_phys_to_virt(BDA_KBD_FLAGS);
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

/*
 * Each CPU the hypervisor runs on, with its APIC and ACPI ids. As Xen, an
 * id that names no CPU is an answer (flags INVALID), not an error. Present
 * and online are the same here: there is no CPU hot-plug.
 */
int platform_get_cpuinfo(struct xenpf_pcpuinfo *info)
{
	unsigned cpu = info->xen_cpuid;

	info->max_present = nr_cpus_online - 1;
	if (info->xen_cpuid >= nr_cpus_online) {
		info->flags = XEN_PCPU_FLAGS_INVALID;
		return 0;
	}
	info->flags = XEN_PCPU_FLAGS_ONLINE;
	info->apic_id = cpu_apic_ids[cpu];
	info->acpi_id = cpu_acpi_ids[cpu];
	return 0;
}

int platform_settime(struct xen_platform_op *op)
{
	if (op->cmd == XENPF_settime32) {
		wallclock_set(op->u.settime32.secs, op->u.settime32.nsecs,
			      op->u.settime32.system_time);
		return 0;
	}
	if (op->u.settime64.mbz)
		return -XEN_EINVAL;
	wallclock_set(op->u.settime64.secs, op->u.settime64.nsecs, op->u.settime64.system_time);
	return 0;
}

/* XEN_PM_PDC: check the buffer's header, withdraw the native-control bits. */
static int set_pdc(uint64_t buf)
{
	uint32_t bits[3];

	if (copy_from_guest(bits, buf, 2 * sizeof(uint32_t)))
		return -XEN_EFAULT;
	if (bits[0] != ACPI_PDC_REVISION_ID || bits[1] == 0)
		return -XEN_EINVAL;
	if (copy_from_guest(&bits[2], buf + 8, sizeof(uint32_t)))
		return -XEN_EFAULT;
	bits[2] &= ~(uint32_t)ACPI_PDC_FFH_MASK;
	return copy_to_guest(buf + 8, &bits[2], sizeof(uint32_t)) ? -XEN_EFAULT : 0;
}

/* Linux only informs us of P-, C- and T-states: accepted, nothing manages them. */
static int set_pminfo(const struct xenpf_set_processor_pminfo *pm)
{
	switch (pm->type) {
	case XEN_PM_CX:
	case XEN_PM_PX:
	case XEN_PM_TX:
		return 0;
	case XEN_PM_PDC:
		return set_pdc(pm->u[0]);
	default:
		return -XEN_EINVAL;
	}
}

/*
 * No CPU hot-plug: onlining a CPU that runs is done (0, as Xen); anything
 * else, offlining included, is -EINVAL.
 */
static int cpu_online_op(struct xen_platform_op *op)
{
	if (op->cmd == XENPF_cpu_online && op->u.cpu_ol.cpuid < nr_cpus_online)
		return 0;
	return -XEN_EINVAL;
}

static int firmware_info_op(struct xen_platform_op *op)
{
	return platform_firmware_info(&op->u.firmware_info);
}

static int get_cpuinfo_op(struct xen_platform_op *op)
{
	return platform_get_cpuinfo(&op->u.pcpu_info);
}

static int set_pminfo_op(struct xen_platform_op *op)
{
	return set_pminfo(&op->u.set_pminfo);
}

/* S5 powers the machine off and does not return; S1-S4 are refused. */
static int acpi_sleep_op(struct xen_platform_op *op)
{
	return acpi_enter_sleep(&op->u.enter_acpi_sleep);
}

/* One row per sub-op we serve (docs/dom0-platform.md); the rest are -ENOSYS. */
static const struct {
	int (*fn)(struct xen_platform_op *op);
	bool out;       /* the op is copied back on success */
} platform_cmds[] = {
	[XENPF_settime32]            = { platform_settime, false },
	[XENPF_settime64]            = { platform_settime, false },
	[XENPF_firmware_info]        = { firmware_info_op, true },
	[XENPF_get_cpuinfo]          = { get_cpuinfo_op, true },
	[XENPF_set_processor_pminfo] = { set_pminfo_op, false },
	[XENPF_cpu_online]           = { cpu_online_op, false },
	[XENPF_cpu_offline]          = { cpu_online_op, false },
	[XENPF_enter_acpi_sleep]     = { acpi_sleep_op, false },
};

int64_t do_platform_op(struct vcpu *v, const uint64_t args[6])
{
	uint64_t arg = args[0];
	struct xen_platform_op op;
	int rc;

	if (copy_from_guest(&op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XENPF_INTERFACE_VERSION)
		return -XEN_EACCES;
	if (op.cmd >= ARRAY_SIZE(platform_cmds) || !platform_cmds[op.cmd].fn)
		return -XEN_ENOSYS;
	rc = platform_cmds[op.cmd].fn(&op);
	if (rc == 0 && platform_cmds[op.cmd].out && copy_to_guest(arg, &op, sizeof(op)))
		rc = -XEN_EFAULT;
	return rc;
}
