/*
 * physdev_op (#33): I/O privilege for every PV domain, and the interrupt and
 * PCI sub-ops a Linux initial domain issues at boot.
 *
 * What is real: the virtual IOPL and the guest's I/O bitmap (consulted by
 * the port I/O emulator, emulate_io.c), the pirq EOI frame registration,
 * irq_status_query. What is accepted and ignored: the PCI "tell the
 * hypervisor about a device" sub-ops (we do no passthrough and no MSI, so
 * there is nothing to record). What fails cleanly: physical interrupt
 * routing (map_pirq, setup_gsi, MSI). The table with every return code is
 * in docs/dom0-platform.md.
 *
 * Shape (STYLE.md §4): the dispatcher copies the argument in; the workers
 * take hypervisor pointers and never touch guest memory; results are copied
 * back only on success.
 */
#include <console.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <page.h>
#include <asm/ioports.h>
#include <asm/pv.h>
#include <public/errno.h>
#include <public/physdev.h>
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
 * The frame must be the caller's own, ordinary memory (not a page table or
 * descriptor frame). Once set it stays: a second registration is -EBUSY.
 * TODO(#4): hold a writable type reference, as Xen does, once the page type
 * state machine exists; TODO(#7): map it and keep the "needs EOI" bits once
 * there are physical interrupts.
 */
int physdev_pirq_eoi_gmfn(struct domain *d, const struct physdev_pirq_eoi_gmfn *op, bool v1)
{
	struct physdev_domain *p;

	if (!mfn_owned_by(op->gmfn, d->domain_id))
		return -XEN_EINVAL;
	/* page tables and descriptor frames are read-only to the guest: not an EOI map */
	if (frame_table[op->gmfn].type >= PGT_l1 && frame_table[op->gmfn].type <= PGT_seg_desc)
		return -XEN_EINVAL;
	p = physdev_domain_get(d, true);
	if (!p)
		return -XEN_ENOMEM;
	if (p->pirq_eoi_mfn != INVALID_MFN)
		return -XEN_EBUSY;
	p->pirq_eoi_mfn = op->gmfn;
	p->pirq_eoi_v1 = v1;
	return 0;
}

/*
 * No pirq is ever bound yet, but as on Xen every pirq number in range is
 * reported as needing an EOI (a guest that does not read the EOI map must
 * always EOI), and none as shared.
 */
int physdev_irq_status_query(struct domain *d, struct physdev_irq_status_query *op)
{
	if (op->irq >= PHYSDEV_NR_PIRQS)
		return -XEN_EINVAL;
	op->flags = XENIRQSTAT_needs_eoi;
	return 0;
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

int64_t do_physdev_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct vcpu *v = current_vcpu();
	struct domain *d = v->domain;

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
		return 0;       /* no pirq is bound, so none is masked */
	case PHYSDEVOP_eoi:
		/* No pirq is bound: every number is one Xen would refuse. TODO(#7) */
		IN(struct physdev_eoi, -XEN_EINVAL);
	case PHYSDEVOP_alloc_irq_vector:
		INOUT(struct physdev_irq, alloc_irq_vector(&op_));
	case PHYSDEVOP_manage_pci_add: case PHYSDEVOP_manage_pci_remove:
	case PHYSDEVOP_manage_pci_add_ext:
	case PHYSDEVOP_pci_device_add: case PHYSDEVOP_pci_device_remove:
	case PHYSDEVOP_pci_mmcfg_reserved:
		return pci_inform((unsigned)cmd, arg);
	/*
	 * TODO(#7): physical interrupt routing. Until the hypervisor routes
	 * GSIs and MSIs to event channels, Linux falls back to its defaults:
	 * apic_read to fake IO-APIC values, map_pirq/setup_gsi failures leave
	 * the device without an interrupt, MSI setup falls back to INTx.
	 */
	case PHYSDEVOP_apic_read: case PHYSDEVOP_apic_write:
	case PHYSDEVOP_setup_gsi:
	case PHYSDEVOP_map_pirq: case PHYSDEVOP_unmap_pirq:
	case PHYSDEVOP_get_free_pirq:
	case PHYSDEVOP_restore_msi: case PHYSDEVOP_restore_msi_ext:
	case PHYSDEVOP_prepare_msix: case PHYSDEVOP_release_msix:
	case PHYSDEVOP_free_irq_vector:
	case PHYSDEVOP_dbgp_op:
	default:
		return -XEN_ENOSYS;
	}
}
