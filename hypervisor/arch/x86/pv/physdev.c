/*
 * physdev_op (#33): I/O privilege for every PV domain, and the interrupt and
 * PCI sub-ops a Linux initial domain issues at boot.
 *
 * What is real: the virtual IOPL and the guest's I/O bitmap (consulted by
 * the port I/O emulator, emulate_io.c), the pirq EOI map, irq_status_query,
 * and the IO-APIC lines as pirqs: map_pirq / unmap_pirq of GSIs, setup_gsi,
 * eoi (the pirq table is common/event_pirq.c, the lines arch/x86/io_apic.c).
 * What is accepted and ignored: the PCI "tell the hypervisor about a
 * device" sub-ops (we do no passthrough and no MSI, so there is nothing to
 * record). What fails cleanly: MSI and MSI-X (Linux falls back to INTx).
 * The table with every return code is in docs/dom0-platform.md.
 *
 * Shape (docs/style.md §4): the dispatcher copies the argument in; the workers
 * take hypervisor pointers and never touch guest memory; results are copied
 * back only on success.
 */
#include <arch.h>
#include <console.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <page.h>
#include <pirq.h>
#include <asm/io_apic.h>
#include <asm/ioports.h>
#include <asm/pv.h>
#include <public/errno.h>
#include <public/physdev.h>
#include <event.h>
#include "physdev.h"

/* Xen's guest_handle_okay(bitmap, IOBMP_BYTES): the whole 8 KiB must be guest space. */
#define IOBMP_BYTES 8192

int physdev_set_iopl(struct vcpu *v, const struct physdev_set_iopl *op);
int physdev_set_iobitmap(struct vcpu *v, const struct physdev_set_iobitmap *op);
int physdev_pirq_eoi_gmfn(struct domain *d, const struct physdev_pirq_eoi_gmfn *op, bool v1);
int physdev_irq_status_query(struct domain *d, struct physdev_irq_status_query *op);

int physdev_set_iopl(struct vcpu *v, const struct physdev_set_iopl *op)
{
	if (op->iopl > 3)
		return -XEN_EINVAL;
	av(v)->iopl = op->iopl;
	return 0;
}

int physdev_set_iobitmap(struct vcpu *v, const struct physdev_set_iobitmap *op)
{
	if (op->nr_ports > 65536 || (op->nr_ports && !guest_range_ok(op->bitmap, IOBMP_BYTES)))
		return -XEN_EINVAL;
	return ioports_set_guest_bitmap(v, op->bitmap, op->nr_ports);
}

/*
 * The frame must be the caller's own, ordinary memory. The hypervisor sets
 * a pirq's bit in it while a level interrupt waits for the guest's EOI
 * (arch_pirq_set_needs_eoi), through the direct map, so it holds a general
 * and a writable type reference for as long as the domain lives, as Xen
 * does: the frame can then never become a page table or descriptor frame
 * (whose entries those writes would forge), nor be freed and reused. Once
 * set it stays: a second registration is -EBUSY.
 */
int physdev_pirq_eoi_gmfn(struct domain *d, const struct physdev_pirq_eoi_gmfn *op, bool v1)
{
	struct physdev_domain *p;

	if (!mfn_owned_by(op->gmfn, d->domain_id))
		return -XEN_EINVAL;
	p = physdev_domain_get(d, true);
	if (!p)
		return -XEN_ENOMEM;
	if (p->pirq_eoi_mfn != INVALID_MFN)
		return -XEN_EBUSY;
	/* a page table or descriptor frame (read-only to the guest) is no EOI map */
	if (get_page_and_type(d, op->gmfn, PGT_writable))
		return -XEN_EINVAL;
	p->pirq_eoi_mfn = op->gmfn;
	p->pirq_eoi_v1 = v1;
	return 0;
}

void arch_pirq_set_needs_eoi(struct domain *d, unsigned pirq, bool needs_eoi)
{
	struct physdev_domain *p = physdev_domain_get(d, false);
	volatile uint64_t *map;
	uint64_t bit = 1ULL << (pirq % 64);

	if (!p || p->pirq_eoi_mfn == INVALID_MFN || pirq >= FRAME_SIZE * 8)
		return;
	/* the guest reads (and may write) the frame at any time: atomic bit updates */
	map = arch_phys_to_virt(p->pirq_eoi_mfn << FRAME_SHIFT);
	if (needs_eoi)
		__atomic_fetch_or(&map[pirq / 64], bit, __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(&map[pirq / 64], ~bit, __ATOMIC_SEQ_CST);
}

/*
 * As on Xen every pirq number in range is reported as needing an EOI (a
 * guest that does not read the EOI map must always EOI: an EOI that is not
 * owed costs nothing), and none as shared (a line has one domain).
 */
int physdev_irq_status_query(struct domain *d, struct physdev_irq_status_query *op)
{
	if (op->irq >= PHYSDEV_NR_PIRQS)
		return -XEN_EINVAL;
	op->flags = XENIRQSTAT_needs_eoi;
	return 0;
}

/* The domain a map/unmap names: only the caller itself (no passthrough to others). */
static int pirq_target(struct domain *cur, domid_t domid)
{
	if (domid == DOMID_SELF || domid == cur->domain_id)
		return 0;
	return domain_lookup(domid) ? -XEN_EOPNOTSUPP : -XEN_ESRCH;
}

/*
 * GSIs only. MSI and MSI-X need the hypervisor to own the devices' MSI
 * capability writes: not done, so Linux keeps such devices on INTx.
 */
int physdev_map_pirq(struct domain *cur, struct physdev_map_pirq *op);
int physdev_map_pirq(struct domain *cur, struct physdev_map_pirq *op)
{
	int rc = pirq_target(cur, op->domid);
	int pirq;

	if (rc)
		return rc;
	switch (op->type) {
	case MAP_PIRQ_TYPE_GSI:
		break;
	case MAP_PIRQ_TYPE_MSI: case MAP_PIRQ_TYPE_MSI_SEG: case MAP_PIRQ_TYPE_MULTI_MSI:
		return -XEN_EOPNOTSUPP;
	default:
		return -XEN_EINVAL;
	}
	if (op->index < 0 || op->pirq < -1)
		return -XEN_EINVAL;
	pirq = op->pirq;
	rc = pirq_map_irq(cur, (unsigned)op->index, &pirq);
	if (rc == 0)
		op->pirq = pirq;
	return rc;
}

int physdev_unmap_pirq(struct domain *cur, const struct physdev_unmap_pirq *op);
int physdev_unmap_pirq(struct domain *cur, const struct physdev_unmap_pirq *op)
{
	int rc = pirq_target(cur, op->domid);

	if (rc)
		return rc;
	return op->pirq < 0 ? -XEN_EINVAL : pirq_unmap(cur, (unsigned)op->pirq);
}

/* Registered through v1: an EOI also unmasks the pirq's port (Xen's auto-unmask). */
int physdev_eoi(struct domain *d, const struct physdev_eoi *op);
int physdev_eoi(struct domain *d, const struct physdev_eoi *op)
{
	struct physdev_domain *p = physdev_domain_get(d, false);
	int rc = pirq_eoi(d, op->irq);

	if (rc == 0 && p && p->pirq_eoi_mfn != INVALID_MFN && p->pirq_eoi_v1 && pirq_port(d, op->irq))
		evtchn_unmask(d, pirq_port(d, op->irq));
	return rc;
}

static int setup_gsi(const struct physdev_setup_gsi *op)
{
	if (op->gsi < 0)
		return -XEN_EINVAL;
	return io_apic_setup_gsi((unsigned)op->gsi, op->triggering != 0, op->polarity != 0);
}

/* Copy in `size` bytes, run `work`, copy `size` bytes back if it succeeded. */
#define IN(type, work)                                                             \
	do {                                                                       \
		type op_;                                                          \
		if (copy_from_guest(&op_, arg, sizeof(op_)))                       \
			return -XEN_EFAULT;                                        \
		return work;                                                       \
	} while (0)
#define INOUT(type, work)                                                          \
	do {                                                                       \
		type op_;                                                          \
		int rc_;                                                           \
		if (copy_from_guest(&op_, arg, sizeof(op_)))                       \
			return -XEN_EFAULT;                                        \
		rc_ = work;                                                        \
		if (rc_ == 0 && copy_to_guest(arg, &op_, sizeof(op_)))             \
			rc_ = -XEN_EFAULT;                                         \
		return rc_;                                                        \
	} while (0)

/* Sub-ops only the initial domain may issue (-EPERM for others, as Xen's XSM default). */
static bool dom0_only(unsigned cmd)
{
	switch (cmd) {
	case PHYSDEVOP_apic_read: case PHYSDEVOP_apic_write:
	case PHYSDEVOP_alloc_irq_vector:
	case PHYSDEVOP_manage_pci_add: case PHYSDEVOP_manage_pci_remove:
	case PHYSDEVOP_manage_pci_add_ext:
	case PHYSDEVOP_pci_device_add: case PHYSDEVOP_pci_device_remove:
	case PHYSDEVOP_pci_mmcfg_reserved:
	case PHYSDEVOP_setup_gsi:
	case PHYSDEVOP_map_pirq: case PHYSDEVOP_unmap_pirq:
		return true;
	default:
		return false;
	}
}

/* PCI sub-ops where the guest only informs us: read the argument, accept. */
static int64_t pci_inform(unsigned cmd, uint64_t arg)
{
	switch (cmd) {
	case PHYSDEVOP_manage_pci_add:
	case PHYSDEVOP_manage_pci_remove:
		IN(struct physdev_manage_pci, 0);
	case PHYSDEVOP_manage_pci_add_ext:
		IN(struct physdev_manage_pci_ext, 0);
	case PHYSDEVOP_pci_device_add:
		IN(struct physdev_pci_device_add, op_.flags & ~(XEN_PCI_DEV_EXTFN | XEN_PCI_DEV_VIRTFN |
							       XEN_PCI_DEV_PXM) ? -XEN_EINVAL : 0);
	case PHYSDEVOP_pci_device_remove:
		IN(struct physdev_pci_device, 0);
	case PHYSDEVOP_pci_mmcfg_reserved:
		IN(struct physdev_pci_mmcfg_reserved, 0);
	default:
		return -XEN_ENOSYS;
	}
}

/* Xen's dummy: the vector is the hypervisor's business; it answers vector = irq. */
static int alloc_irq_vector(struct physdev_irq *op)
{
	op->vector = op->irq;
	return 0;
}

int64_t do_physdev_op(struct vcpu *v, const uint64_t args[6])
{
	struct domain *d = v->domain;
	uint64_t cmd = args[0], arg = args[1];

	if (dom0_only(cmd) && !d->is_privileged)
		return -XEN_EPERM;

	switch (cmd) {
	case PHYSDEVOP_set_iopl:
		IN(struct physdev_set_iopl, physdev_set_iopl(v, &op_));
	case PHYSDEVOP_set_iobitmap:
		IN(struct physdev_set_iobitmap, physdev_set_iobitmap(v, &op_));
	case PHYSDEVOP_pirq_eoi_gmfn_v1:
	case PHYSDEVOP_pirq_eoi_gmfn_v2:
		IN(struct physdev_pirq_eoi_gmfn,
		   physdev_pirq_eoi_gmfn(d, &op_, cmd == PHYSDEVOP_pirq_eoi_gmfn_v1));
	case PHYSDEVOP_irq_status_query:
		INOUT(struct physdev_irq_status_query, physdev_irq_status_query(d, &op_));
	case PHYSDEVOP_IRQ_UNMASK_NOTIFY:
		return 0;       /* pre-3.0 guests; nothing waits for it (Xen: EOIs every pending pirq) */
	case PHYSDEVOP_eoi:
		IN(struct physdev_eoi, physdev_eoi(d, &op_));
	case PHYSDEVOP_map_pirq:
		INOUT(struct physdev_map_pirq, physdev_map_pirq(d, &op_));
	case PHYSDEVOP_unmap_pirq:
		IN(struct physdev_unmap_pirq, physdev_unmap_pirq(d, &op_));
	case PHYSDEVOP_setup_gsi:
		IN(struct physdev_setup_gsi, setup_gsi(&op_));
	case PHYSDEVOP_alloc_irq_vector:
		INOUT(struct physdev_irq, alloc_irq_vector(&op_));
	case PHYSDEVOP_manage_pci_add: case PHYSDEVOP_manage_pci_remove:
	case PHYSDEVOP_manage_pci_add_ext:
	case PHYSDEVOP_pci_device_add: case PHYSDEVOP_pci_device_remove:
	case PHYSDEVOP_pci_mmcfg_reserved:
		return pci_inform((unsigned)cmd, arg);
	/*
	 * The IO-APIC's registers stay the hypervisor's: Linux falls back to
	 * fake values for apic_read and routes through map_pirq/setup_gsi.
	 * MSI (get_free_pirq, restore_msi, msix): not done, Linux uses INTx.
	 */
	case PHYSDEVOP_apic_read: case PHYSDEVOP_apic_write:
	case PHYSDEVOP_get_free_pirq:
	case PHYSDEVOP_restore_msi: case PHYSDEVOP_restore_msi_ext:
	case PHYSDEVOP_prepare_msix: case PHYSDEVOP_release_msix:
	case PHYSDEVOP_free_irq_vector:
	case PHYSDEVOP_dbgp_op:
	default:
		return -XEN_ENOSYS;
	}
}
