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
 * Shape (docs/style.md §4): a table of sub-ops run by hypercall_subop(),
 * which copies the argument in once; the workers take the copy and never
 * touch guest memory; results are copied back only on success.
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

static int64_t physdev_set_iopl(struct vcpu *v, void *arg)
{
	const struct physdev_set_iopl *op = arg;

	if (op->iopl > 3)
		return -XEN_EINVAL;
	av(v)->iopl = op->iopl;
	return 0;
}

static int64_t physdev_set_iobitmap(struct vcpu *v, void *arg)
{
	const struct physdev_set_iobitmap *op = arg;

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
static int pirq_eoi_gmfn(struct domain *d, const struct physdev_pirq_eoi_gmfn *op, bool v1)
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

static int64_t physdev_pirq_eoi_gmfn_v1(struct vcpu *v, void *arg)
{
	return pirq_eoi_gmfn(v->domain, arg, true);
}

static int64_t physdev_pirq_eoi_gmfn_v2(struct vcpu *v, void *arg)
{
	return pirq_eoi_gmfn(v->domain, arg, false);
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
static int64_t physdev_irq_status_query(struct vcpu *v, void *arg)
{
	struct physdev_irq_status_query *op = arg;

	if (op->irq >= PHYSDEV_NR_PIRQS)
		return -XEN_EINVAL;
	op->flags = XENIRQSTAT_needs_eoi;
	return 0;
}

/* The domain a map/unmap names: only the caller itself (no passthrough to others). */
static int pirq_target(struct domain *cur, domid_t domid)
{
	struct domain *d;

	if (domain_by_guest_id(cur, domid, &d) == -XEN_ESRCH)
		return -XEN_ESRCH;
	return d == cur ? 0 : -XEN_EOPNOTSUPP;
}

/*
 * GSIs only. MSI and MSI-X need the hypervisor to own the devices' MSI
 * capability writes: not done, so Linux keeps such devices on INTx.
 */
static int64_t physdev_map_pirq(struct vcpu *v, void *arg)
{
	struct physdev_map_pirq *op = arg;
	struct domain *cur = v->domain;
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

static int64_t physdev_unmap_pirq(struct vcpu *v, void *arg)
{
	const struct physdev_unmap_pirq *op = arg;
	int rc = pirq_target(v->domain, op->domid);

	if (rc)
		return rc;
	return op->pirq < 0 ? -XEN_EINVAL : pirq_unmap(v->domain, (unsigned)op->pirq);
}

/* Registered through v1: an EOI also unmasks the pirq's port (Xen's auto-unmask). */
static int64_t physdev_eoi(struct vcpu *v, void *arg)
{
	const struct physdev_eoi *op = arg;
	struct domain *d = v->domain;
	struct physdev_domain *p = physdev_domain_get(d, false);
	int rc = pirq_eoi(d, op->irq);

	if (rc == 0 && p && p->pirq_eoi_mfn != INVALID_MFN && p->pirq_eoi_v1 && pirq_port(d, op->irq))
		evtchn_unmask(d, pirq_port(d, op->irq));
	return rc;
}

static int64_t physdev_setup_gsi(struct vcpu *v, void *arg)
{
	const struct physdev_setup_gsi *op = arg;

	if (op->gsi < 0)
		return -XEN_EINVAL;
	return io_apic_setup_gsi((unsigned)op->gsi, op->triggering != 0, op->polarity != 0);
}

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

/* PCI sub-ops where the guest only informs us: the argument is read, and accepted. */
static int64_t physdev_accept(struct vcpu *v, void *arg)
{
	return 0;
}

static int64_t physdev_pci_device_add(struct vcpu *v, void *arg)
{
	const struct physdev_pci_device_add *op = arg;

	return op->flags & ~(XEN_PCI_DEV_EXTFN | XEN_PCI_DEV_VIRTFN | XEN_PCI_DEV_PXM) ? -XEN_EINVAL : 0;
}

/* Xen's dummy: the vector is the hypervisor's business; it answers vector = irq. */
static int64_t physdev_alloc_irq_vector(struct vcpu *v, void *arg)
{
	struct physdev_irq *op = arg;

	op->vector = op->irq;
	return 0;
}

/*
 * What is absent is -ENOSYS. The IO-APIC's registers stay the hypervisor's:
 * Linux falls back to fake values for apic_read and routes through
 * map_pirq/setup_gsi. MSI (get_free_pirq, restore_msi, msix): not done,
 * Linux uses INTx. IRQ_UNMASK_NOTIFY is for pre-3.0 guests; nothing waits
 * for it (Xen: EOIs every pending pirq).
 */
static const struct hypercall_subop physdev_ops[] = {
	[PHYSDEVOP_set_iopl] = { physdev_set_iopl, sizeof(struct physdev_set_iopl), false },
	[PHYSDEVOP_set_iobitmap] = { physdev_set_iobitmap, sizeof(struct physdev_set_iobitmap), false },
	[PHYSDEVOP_pirq_eoi_gmfn_v1] = { physdev_pirq_eoi_gmfn_v1, sizeof(struct physdev_pirq_eoi_gmfn), false },
	[PHYSDEVOP_pirq_eoi_gmfn_v2] = { physdev_pirq_eoi_gmfn_v2, sizeof(struct physdev_pirq_eoi_gmfn), false },
	[PHYSDEVOP_irq_status_query] = { physdev_irq_status_query, sizeof(struct physdev_irq_status_query), true },
	[PHYSDEVOP_IRQ_UNMASK_NOTIFY] = { physdev_accept, 0, false },
	[PHYSDEVOP_eoi] = { physdev_eoi, sizeof(struct physdev_eoi), false },
	[PHYSDEVOP_map_pirq] = { physdev_map_pirq, sizeof(struct physdev_map_pirq), true },
	[PHYSDEVOP_unmap_pirq] = { physdev_unmap_pirq, sizeof(struct physdev_unmap_pirq), false },
	[PHYSDEVOP_setup_gsi] = { physdev_setup_gsi, sizeof(struct physdev_setup_gsi), false },
	[PHYSDEVOP_alloc_irq_vector] = { physdev_alloc_irq_vector, sizeof(struct physdev_irq), true },
	[PHYSDEVOP_manage_pci_add] = { physdev_accept, sizeof(struct physdev_manage_pci), false },
	[PHYSDEVOP_manage_pci_remove] = { physdev_accept, sizeof(struct physdev_manage_pci), false },
	[PHYSDEVOP_manage_pci_add_ext] = { physdev_accept, sizeof(struct physdev_manage_pci_ext), false },
	[PHYSDEVOP_pci_device_add] = { physdev_pci_device_add, sizeof(struct physdev_pci_device_add), false },
	[PHYSDEVOP_pci_device_remove] = { physdev_accept, sizeof(struct physdev_pci_device), false },
	[PHYSDEVOP_pci_mmcfg_reserved] = { physdev_accept, sizeof(struct physdev_pci_mmcfg_reserved), false },
};

int64_t do_physdev_op(struct vcpu *v, const uint64_t args[6])
{
	if (dom0_only(args[0]) && !v->domain->is_privileged)
		return -XEN_EPERM;
	return hypercall_subop(v, physdev_ops, ARRAY_SIZE(physdev_ops), args[0], args[1]);
}
