/*
 * I/O port privilege: the per-domain grant of hardware ports and the ports
 * the hypervisor never gives away (contract in asm/ioports.h; the list and
 * the reasons are in docs/dom0-platform.md).
 *
 * A grant is a 65536-bit bitmap, one bit per port, set = the domain may
 * reach it. Only the initial domain has one: all ones, minus the
 * hypervisor's ports. ioports_domain_permitted() checks the bitmap and,
 * independently, the hypervisor's list, so the list wins even over a bitmap
 * that is wrong.
 */
#include <arch.h>
#include <cmdline.h>
#include <console.h>
#include <page.h>
#include <asm/ioports.h>
#include <public/errno.h>
#include "physdev.h"

struct port_range {
	unsigned first, last;        /* inclusive */
	const char *why;
};

/* Fixed ranges; the COM1 UART is added from hv_opts (com1=...,<io-base>). */
static const struct port_range hv_ports[] = {
	{ 0x20, 0x21, "master PIC (the hypervisor masks it and uses the local APIC)" },
	{ 0xa0, 0xa1, "slave PIC" },
	{ 0x40, 0x43, "PIT (TSC and APIC timer calibration)" },
	{ 0x61, 0x61, "PIT channel 2 gate / speaker (calibration)" },
	{ 0x92, 0x92, "system control port A (fast reset)" },
	{ 0xf4, 0xf7, "QEMU isa-debug-exit (the test harness's exit code)" },
	{ 0x4d0, 0x4d1, "ELCR (interrupt trigger modes)" },
	{ 0xcf9, 0xcf9, "reset control register (the hypervisor reboots the machine)" },
};

#define UART_PORTS 8

static struct physdev_domain *physdev_list;

struct physdev_domain *physdev_domain_get(struct domain *d, bool create)
{
	struct physdev_domain *p;

	for (p = physdev_list; p; p = p->next)
		if (p->d == d)
			return p;
	if (!create)
		return NULL;
	p = xzalloc(struct physdev_domain);
	if (!p)
		return NULL;
	p->d = d;
	p->pirq_eoi_mfn = INVALID_MFN;
	p->next = physdev_list;
	physdev_list = p;
	return p;
}

void ioports_domain_destroy(struct domain *d)
{
	struct physdev_domain **pp = &physdev_list;

	while (*pp && (*pp)->d != d)
		pp = &(*pp)->next;
	if (*pp) {
		struct physdev_domain *p = *pp;
		*pp = p->next;
		if (p->pirq_eoi_mfn != INVALID_MFN)
			put_page_and_type(p->pirq_eoi_mfn);   /* physdev_pirq_eoi_gmfn's */
		xfree_bytes(p->ports, IOPORT_BITMAP_BYTES);
		xfree_bytes(p, sizeof(*p));
	}
}

static bool overlaps(unsigned first, unsigned last, unsigned lo, unsigned hi)
{
	return first <= hi && last >= lo;
}

bool ioport_hypervisor_owned(unsigned port, unsigned size)
{
	unsigned last;

	if (size == 0 || port >= IOPORT_COUNT || size > IOPORT_COUNT - port)
		return true;
	last = port + size - 1;
	/* A dword at 0xcf8 is CONFIG_ADDRESS; only byte/word forms reach 0xcf9. */
	if (port == IOPORT_PCI_CONF_ADDR && size == 4)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(hv_ports); i++)
		if (overlaps(port, last, hv_ports[i].first, hv_ports[i].last))
			return true;
	if (hv_opts.console_com1 &&
	    overlaps(port, last, hv_opts.com1_port, hv_opts.com1_port + UART_PORTS - 1))
		return true;
	return false;
}

static bool bit_test(const uint8_t *map, unsigned port)
{
	return map[port / 8] & (1u << (port % 8));
}

static void bit_clear(uint8_t *map, unsigned port)
{
	map[port / 8] &= (uint8_t)~(1u << (port % 8));
}

static void deny_range(uint8_t *map, unsigned first, unsigned last)
{
	for (unsigned port = first; port <= last && port < IOPORT_COUNT; port++)
		bit_clear(map, port);
}

int arch_ioports_permit(struct domain *from, struct domain *d, unsigned first, unsigned last, bool allow)
{
	struct physdev_domain *p;

	if (first > last || last >= IOPORT_COUNT)
		return -XEN_EINVAL;
	for (unsigned port = first; port <= last; port++)
		if (!ioports_domain_permitted(from, port, 1))
			return -XEN_EPERM;   /* only what the caller holds itself */
	p = physdev_domain_get(d, allow);
	if (!p)
		return allow ? -XEN_ENOMEM : 0;   /* nothing granted: nothing to deny */
	if (!p->ports) {
		if (!allow)
			return 0;
		p->ports = xzalloc_bytes(IOPORT_BITMAP_BYTES);
		if (!p->ports)
			return -XEN_ENOMEM;
	}
	for (unsigned port = first; port <= last; port++) {
		if (allow)
			p->ports[port / 8] |= (uint8_t)(1u << (port % 8));
		else
			bit_clear(p->ports, port);
	}
	return 0;
}

int ioports_grant_initial(struct domain *d)
{
	struct physdev_domain *p = physdev_domain_get(d, true);
	uint8_t *map;

	if (!p)
		return -XEN_ENOMEM;
	if (p->ports)
		return 0;
	map = xzalloc_bytes(IOPORT_BITMAP_BYTES);
	if (!map)
		return -XEN_ENOMEM;
	memset(map, 0xff, IOPORT_BITMAP_BYTES);
	for (size_t i = 0; i < ARRAY_SIZE(hv_ports); i++)
		deny_range(map, hv_ports[i].first, hv_ports[i].last);
	if (hv_opts.console_com1)
		deny_range(map, hv_opts.com1_port, hv_opts.com1_port + UART_PORTS - 1);
	p->ports = map;
	return 0;
}

bool ioports_domain_permitted(struct domain *d, unsigned port, unsigned size)
{
	struct physdev_domain *p;

	if (ioport_hypervisor_owned(port, size))
		return false;
	p = physdev_domain_get(d, false);
	if ((!p || !p->ports) && d->is_privileged) {
		if (ioports_grant_initial(d)) {
			log_warn("d%u: no memory for its I/O port grant: ports stay virtual\n",
				 d->domain_id);
			return false;
		}
		p = physdev_domain_get(d, false);
	}
	if (!p || !p->ports)
		return false;
	if (port == IOPORT_PCI_CONF_ADDR && size == 4)
		return bit_test(p->ports, port);
	for (unsigned i = 0; i < size; i++)
		if (!bit_test(p->ports, port + i))
			return false;
	return true;
}

int ioports_set_guest_bitmap(struct vcpu *v, uint64_t va, uint32_t nr_ports)
{
	struct physdev_domain *p;

	if (v->vcpu_id >= MAX_VIRT_CPUS)
		return -XEN_EINVAL;
	p = physdev_domain_get(v->domain, nr_ports != 0);
	if (!p)
		return nr_ports ? -XEN_ENOMEM : 0;
	p->iobmp[v->vcpu_id].va = nr_ports ? va : 0;
	p->iobmp[v->vcpu_id].nr_ports = nr_ports;
	return 0;
}

void ioports_guest_bitmap(struct vcpu *v, uint64_t *va, uint32_t *nr_ports)
{
	struct physdev_domain *p = physdev_domain_get(v->domain, false);

	*va = 0;
	*nr_ports = 0;
	if (p && v->vcpu_id < MAX_VIRT_CPUS) {
		*va = p->iobmp[v->vcpu_id].va;
		*nr_ports = p->iobmp[v->vcpu_id].nr_ports;
	}
}
