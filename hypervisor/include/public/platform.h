/*
 * public/platform.h - platform_op (#7): host-wide operations for the
 * initial domain.
 *
 * long platform_op(struct xen_platform_op *op)
 * Who: the initial domain only (others: -EPERM).
 * The caller sets interface_version = XENPF_INTERFACE_VERSION; a mismatch
 * fails with -EACCES.  Errors: -ENOSYS unknown cmd; -EFAULT op
 * unreadable/unwritable; -EINVAL bad argument.
 *
 * The sub-ops Linux dom0 issues at boot and soon after:
 *   XENPF_settime32 / XENPF_settime64: set wallclock at a system time.
 *   XENPF_firmware_info: firmware data Xen collected: EDD disk info
 *     (XEN_FW_DISK_INFO, _MBR_SIGNATURE, looped by index until an error),
 *     EFI information (XEN_FW_EFI_INFO), VBE DDC, keyboard shift flags.
 *     -ESRCH when the index or type has nothing.
 *   XENPF_enter_acpi_sleep: ACPI S-state entry.
 *   XENPF_set_processor_pminfo: P-/C-state and _PDC data (XEN_PM_*).
 *   XENPF_get_cpuinfo: physical CPU ids and state.
 *   XENPF_cpu_online / XENPF_cpu_offline, XENPF_core_parking.
 *   XENPF_efi_runtime_call: EFI runtime services on behalf of dom0.
 * The union's other sub-ops (memtype, microcode, resource_op, symbols) are
 * listed by number only.
 */
#ifndef PUBLIC_PLATFORM_H
#define PUBLIC_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#define XENPF_INTERFACE_VERSION   0x03000001

#define XENPF_settime32           17
#define XENPF_add_memtype         31
#define XENPF_del_memtype         32
#define XENPF_read_memtype        33
#define XENPF_microcode_update    35
#define XENPF_platform_quirk      39
#define XENPF_get_cpu_version     48
#define XENPF_efi_runtime_call    49
#define XENPF_firmware_info       50
#define XENPF_enter_acpi_sleep    51
#define XENPF_change_freq         52
#define XENPF_getidletime         53
#define XENPF_set_processor_pminfo 54
#define XENPF_get_cpuinfo         55
#define XENPF_cpu_online          56
#define XENPF_cpu_offline         57
#define XENPF_cpu_hotadd          58
#define XENPF_mem_hotadd          59
#define XENPF_core_parking        60
#define XENPF_resource_op         61
#define XENPF_settime64           62
#define XENPF_get_symbol          63

struct xenpf_settime32 {
	uint32_t secs;              /* IN */
	uint32_t nsecs;             /* IN */
	uint64_t system_time;       /* IN */
};

struct xenpf_settime64 {
	uint64_t secs;              /* IN */
	uint32_t nsecs;             /* IN */
	uint32_t mbz;               /* IN: 0 */
	uint64_t system_time;       /* IN */
};

#define XEN_FW_DISK_INFO          1
#define XEN_FW_DISK_MBR_SIGNATURE 2
#define XEN_FW_VBEDDC_INFO        3
#define XEN_FW_EFI_INFO           4
#define XEN_FW_KBD_SHIFT_FLAGS    5
#define XEN_FW_EFI_VERSION        0
#define XEN_FW_EFI_CONFIG_TABLE   1
#define XEN_FW_EFI_VENDOR         2
#define XEN_FW_EFI_MEM_INFO       3
#define XEN_FW_EFI_RT_VERSION     4
#define XEN_FW_EFI_PCI_ROM        5
#define XEN_FW_EFI_APPLE_PROPERTIES 6

struct xenpf_firmware_info {
	uint32_t type;              /* IN: XEN_FW_* */
	uint32_t index;             /* IN */
	union {
		struct {
			uint8_t  device;          /* OUT: BIOS drive number */
			uint8_t  version;
			uint16_t interface_support;
			uint16_t legacy_max_cylinder;
			uint8_t  legacy_max_head;
			uint8_t  legacy_sectors_per_track;
			uint64_t edd_params;      /* IN: guest VA; first u16 = size */
		} disk_info;
		struct {
			uint8_t  device;
			uint8_t  _pad[3];
			uint32_t mbr_signature;
		} disk_mbr_signature;
		struct {
			uint8_t  capabilities;
			uint8_t  edid_transfer_time;
			uint8_t  _pad[6];
			uint64_t edid;            /* IN: guest VA of 128 bytes */
		} vbeddc_info;
		uint8_t kbd_shift_flags;
		uint64_t efi_info[4];             /* union xenpf_efi_info */
	} u;
};

#define XENPF_ACPI_SLEEP_EXTENDED 0x00000001
struct xenpf_enter_acpi_sleep {
	uint16_t val_a;             /* IN: PM1a control / sleep type */
	uint16_t val_b;             /* IN */
	uint32_t sleep_state;       /* IN: 0-5 */
	uint32_t flags;             /* IN: XENPF_ACPI_SLEEP_* */
};

#define XEN_PM_CX   0
#define XEN_PM_PX   1
#define XEN_PM_TX   2
#define XEN_PM_PDC  3
struct xenpf_set_processor_pminfo {
	uint32_t id;                /* IN: ACPI id, or -1 for PDC */
	uint32_t type;              /* IN: XEN_PM_* */
	uint64_t u[13];             /* IN: type-specific; PDC: guest VA @0 */
};

#define XEN_PCPU_FLAGS_ONLINE    1
#define XEN_PCPU_FLAGS_INVALID   2
struct xenpf_pcpuinfo {
	uint32_t xen_cpuid;         /* IN */
	uint32_t max_present;       /* OUT */
	uint32_t flags;             /* OUT */
	uint32_t apic_id;           /* OUT */
	uint32_t acpi_id;           /* OUT */
};

struct xenpf_cpu_ol {
	uint32_t cpuid;             /* IN */
};

struct xen_platform_op {
	uint32_t cmd;               /* IN: XENPF_* */
	uint32_t interface_version; /* IN: XENPF_INTERFACE_VERSION */
	union {
		struct xenpf_settime32 settime32;
		struct xenpf_settime64 settime64;
		struct xenpf_firmware_info firmware_info;
		struct xenpf_enter_acpi_sleep enter_acpi_sleep;
		struct xenpf_set_processor_pminfo set_pminfo;
		struct xenpf_pcpuinfo pcpu_info;
		struct xenpf_cpu_ol cpu_ol;
		uint8_t pad[128];
	} u;
};

_Static_assert(sizeof(struct xenpf_settime32) == 16, "settime32");
_Static_assert(sizeof(struct xenpf_settime64) == 24, "settime64");
_Static_assert(offsetof(struct xenpf_firmware_info, u) == 8, "fw u");
_Static_assert(offsetof(struct xenpf_firmware_info, u.disk_info.edd_params) == 16, "edd");
_Static_assert(sizeof(struct xenpf_firmware_info) == 40, "firmware_info");
_Static_assert(sizeof(struct xenpf_set_processor_pminfo) == 112, "pminfo");
_Static_assert(sizeof(struct xenpf_enter_acpi_sleep) == 12, "acpi_sleep");
_Static_assert(sizeof(struct xenpf_pcpuinfo) == 20, "pcpuinfo");
_Static_assert(sizeof(struct xen_platform_op) == 136, "xen_platform_op");
_Static_assert(offsetof(struct xen_platform_op, u) == 8, "platform_op u");

#endif /* PUBLIC_PLATFORM_H */
