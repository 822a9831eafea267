/*
 * public/physdev.h - physdev_op (#33): physical devices, interrupts and
 * I/O privilege.
 *
 * long physdev_op(int cmd, void *arg)
 * Common errors: -ENOSYS unknown cmd; -EFAULT arg unreadable/unwritable;
 * -EPERM the caller lacks the needed privilege (most ops: initial domain
 * or a domain granted access to the device/IRQ).
 *
 * For every PV domain:
 *   PHYSDEVOP_set_iopl (physdev_set_iopl): virtual IOPL 0-3 of the calling
 *     vCPU; at IOPL >= 1 the guest kernel (ring 3) may use I/O ports it has
 *     been granted.  -EINVAL iopl > 3.
 *   PHYSDEVOP_set_iobitmap (physdev_set_iobitmap): a TSS-style I/O bitmap
 *     for guest user mode (nr_ports 0: none).  -EINVAL nr_ports > 65536.
 *   PHYSDEVOP_pirq_eoi_gmfn_v1/_v2 (physdev_pirq_eoi_gmfn): a frame the
 *     hypervisor uses as a bitmap of pirqs that need an EOI.
 *   PHYSDEVOP_eoi (physdev_eoi): end of interrupt for a pirq.
 *   PHYSDEVOP_irq_status_query (physdev_irq_status_query): OUT flags
 *     XENIRQSTAT_*.
 * Initial domain:
 *   PHYSDEVOP_apic_read / apic_write (physdev_apic): IO-APIC registers.
 *   PHYSDEVOP_alloc_irq_vector / free_irq_vector (physdev_irq).
 *   PHYSDEVOP_map_pirq / unmap_pirq: give a GSI or MSI a pirq number.
 *   PHYSDEVOP_setup_gsi: trigger mode and polarity of a GSI.
 *   PHYSDEVOP_get_free_pirq: reserve a pirq number.
 *   PHYSDEVOP_manage_pci_add/remove[_ext], pci_device_add/remove: tell the
 *     hypervisor about PCI devices.
 *   PHYSDEVOP_restore_msi[_ext], prepare_msix, release_msix: MSI state.
 *   PHYSDEVOP_pci_mmcfg_reserved: an MMCONFIG range is usable.
 *   PHYSDEVOP_dbgp_op: USB debug port reset notification.
 */
#ifndef PUBLIC_PHYSDEV_H
#define PUBLIC_PHYSDEV_H

#include <stddef.h>
#include <stdint.h>

#define PHYSDEVOP_IRQ_UNMASK_NOTIFY   4
#define PHYSDEVOP_irq_status_query    5
#define PHYSDEVOP_set_iopl            6
#define PHYSDEVOP_set_iobitmap        7
#define PHYSDEVOP_apic_read           8
#define PHYSDEVOP_apic_write          9
#define PHYSDEVOP_alloc_irq_vector   10
#define PHYSDEVOP_free_irq_vector    11
#define PHYSDEVOP_eoi                12
#define PHYSDEVOP_map_pirq           13
#define PHYSDEVOP_unmap_pirq         14
#define PHYSDEVOP_manage_pci_add     15
#define PHYSDEVOP_manage_pci_remove  16
#define PHYSDEVOP_pirq_eoi_gmfn_v1   17
#define PHYSDEVOP_restore_msi        19
#define PHYSDEVOP_manage_pci_add_ext 20
#define PHYSDEVOP_setup_gsi          21
#define PHYSDEVOP_get_free_pirq      23
#define PHYSDEVOP_pci_mmcfg_reserved 24
#define PHYSDEVOP_pci_device_add     25
#define PHYSDEVOP_pci_device_remove  26
#define PHYSDEVOP_restore_msi_ext    27
#define PHYSDEVOP_pirq_eoi_gmfn_v2   28
#define PHYSDEVOP_dbgp_op            29
#define PHYSDEVOP_prepare_msix       30
#define PHYSDEVOP_release_msix       31

struct physdev_eoi {
	uint32_t irq;               /* IN */
};

struct physdev_pirq_eoi_gmfn {
	uint64_t gmfn;              /* IN */
};

#define XENIRQSTAT_needs_eoi  (1u << 0)
#define XENIRQSTAT_shared     (1u << 1)
struct physdev_irq_status_query {
	uint32_t irq;               /* IN */
	uint32_t flags;             /* OUT: XENIRQSTAT_* */
};

struct physdev_set_iopl {
	uint32_t iopl;              /* IN: 0-3 */
};

struct physdev_set_iobitmap {
	uint64_t bitmap;            /* IN: guest VA of the bitmap */
	uint32_t nr_ports;          /* IN */
	uint32_t _pad;
};

struct physdev_apic {
	uint64_t apic_physbase;     /* IN */
	uint32_t reg;               /* IN */
	uint32_t value;             /* IN/OUT */
};

struct physdev_irq {
	uint32_t irq;               /* IN */
	uint32_t vector;            /* IN/OUT */
};

#define MAP_PIRQ_TYPE_MSI        0x0
#define MAP_PIRQ_TYPE_GSI        0x1
#define MAP_PIRQ_TYPE_UNKNOWN    0x2
#define MAP_PIRQ_TYPE_MSI_SEG    0x3
#define MAP_PIRQ_TYPE_MULTI_MSI  0x4

struct physdev_map_pirq {
	uint16_t domid;             /* IN */
	uint16_t _pad;
	int32_t  type;              /* IN: MAP_PIRQ_TYPE_* */
	int32_t  index;             /* IN: GSI, or MSI index */
	int32_t  pirq;              /* IN/OUT (-1: allocate) */
	int32_t  bus;               /* IN (MSI: segment << 16 | bus) */
	int32_t  devfn;             /* IN */
	int32_t  entry_nr;          /* IN/OUT */
	uint32_t _pad2;
	uint64_t table_base;        /* IN: MSI-X table */
};

struct physdev_unmap_pirq {
	uint16_t domid;             /* IN */
	uint16_t _pad;
	int32_t  pirq;              /* IN */
};

struct physdev_manage_pci {
	uint8_t bus;                /* IN */
	uint8_t devfn;              /* IN */
};

struct physdev_restore_msi {
	uint8_t bus;                /* IN */
	uint8_t devfn;              /* IN */
};

struct physdev_manage_pci_ext {
	uint8_t  bus;               /* IN */
	uint8_t  devfn;             /* IN */
	uint16_t _pad;
	uint32_t is_extfn;          /* IN */
	uint32_t is_virtfn;         /* IN */
	struct { uint8_t bus, devfn; } physfn;  /* IN */
	uint16_t _pad2;
};

struct physdev_setup_gsi {
	int32_t gsi;                /* IN */
	uint8_t triggering;         /* IN: 0 edge, 1 level */
	uint8_t polarity;           /* IN: 0 high, 1 low */
	uint16_t _pad;
};

struct physdev_get_free_pirq {
	int32_t  type;              /* IN: MAP_PIRQ_TYPE_* */
	uint32_t pirq;              /* OUT */
};

#define XEN_PCI_MMCFG_RESERVED  0x1
struct physdev_pci_mmcfg_reserved {
	uint64_t address;           /* IN */
	uint16_t segment;           /* IN */
	uint8_t  start_bus;         /* IN */
	uint8_t  end_bus;           /* IN */
	uint32_t flags;             /* IN */
};

#define XEN_PCI_DEV_EXTFN   0x1
#define XEN_PCI_DEV_VIRTFN  0x2
#define XEN_PCI_DEV_PXM     0x4
struct physdev_pci_device_add {
	uint16_t seg;               /* IN */
	uint8_t  bus;               /* IN */
	uint8_t  devfn;             /* IN */
	uint32_t flags;             /* IN: XEN_PCI_DEV_* */
	struct { uint8_t bus, devfn; } physfn;  /* IN */
	uint16_t _pad;
	uint32_t optarr[];          /* IN: proximity domain if XEN_PCI_DEV_PXM */
};

struct physdev_pci_device {
	uint16_t seg;               /* IN */
	uint8_t  bus;               /* IN */
	uint8_t  devfn;             /* IN */
};

#define PHYSDEVOP_DBGP_RESET_PREPARE  1
#define PHYSDEVOP_DBGP_RESET_DONE     2
#define PHYSDEVOP_DBGP_BUS_UNKNOWN    0
#define PHYSDEVOP_DBGP_BUS_PCI        1
struct physdev_dbgp_op {
	uint8_t op;                 /* IN */
	uint8_t bus;                /* IN */
	union {
		struct physdev_pci_device pci;
	} u;
};

_Static_assert(sizeof(struct physdev_irq_status_query) == 8, "irq_status");
_Static_assert(sizeof(struct physdev_set_iopl) == 4, "set_iopl");
_Static_assert(sizeof(struct physdev_set_iobitmap) == 16, "set_iobitmap");
_Static_assert(offsetof(struct physdev_set_iobitmap, nr_ports) == 8, "iob nr");
_Static_assert(sizeof(struct physdev_apic) == 16, "apic");
_Static_assert(sizeof(struct physdev_map_pirq) == 40, "map_pirq");
_Static_assert(offsetof(struct physdev_map_pirq, table_base) == 32, "table_base");
_Static_assert(sizeof(struct physdev_unmap_pirq) == 8, "unmap_pirq");
_Static_assert(sizeof(struct physdev_manage_pci_ext) == 16, "manage_pci_ext");
_Static_assert(sizeof(struct physdev_setup_gsi) == 8, "setup_gsi");
_Static_assert(sizeof(struct physdev_get_free_pirq) == 8, "get_free_pirq");
_Static_assert(sizeof(struct physdev_pci_mmcfg_reserved) == 16, "mmcfg");
_Static_assert(sizeof(struct physdev_pci_device_add) == 12, "pci_device_add");
_Static_assert(sizeof(struct physdev_pci_device) == 4, "pci_device");
_Static_assert(sizeof(struct physdev_dbgp_op) == 6, "dbgp_op");

#endif /* PUBLIC_PHYSDEV_H */
