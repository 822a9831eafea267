/*
 * I/O port privilege (arch/x86/pv/physdev_io.c): which hardware ports a
 * domain may reach when its guest executes IN/OUT/INS/OUTS.
 *
 * Two independent questions decide a port access (emulate_io.c):
 *   1. Does the guest's own privilege allow it? Virtual IOPL
 *      (PHYSDEVOP_set_iopl) or the guest's I/O bitmap (PHYSDEVOP_set_iobitmap),
 *      exactly as Xen: if not, the guest gets its #GP back.
 *   2. Is the port the domain's to touch on the hardware? This header. The
 *      initial domain is granted every port except the ones the hypervisor
 *      owns (ioport_hypervisor_owned); other domains none. A port that is
 *      not granted reads as all ones and ignores writes.
 *
 * The hypervisor-owned ports are refused on every path, whatever a domain's
 * bitmap says, so a mistake in a grant can never hand one out.
 */
#ifndef ASM_IOPORTS_H
#define ASM_IOPORTS_H

#include <domain.h>

#define IOPORT_COUNT        65536u
#define IOPORT_BITMAP_BYTES (IOPORT_COUNT / 8)

/* PCI configuration mechanism 1: CONFIG_ADDRESS is a dword at 0xcf8. */
#define IOPORT_PCI_CONF_ADDR 0xcf8

/*
 * Does [port, port + size) touch a port the hypervisor keeps for itself
 * (its COM1 UART, the PICs, the PIT, ...; docs/dom0-platform.md)? Accesses
 * that run past port 0xffff count as owned. A dword access at 0xcf8 is PCI
 * CONFIG_ADDRESS and does not touch the reset register at 0xcf9.
 */
bool ioport_hypervisor_owned(unsigned port, unsigned size);

/*
 * May domain d reach [port, port + size) on the hardware? The initial
 * (privileged) domain's grant is made on first use if ioports_grant_initial
 * was not called; if that allocation fails the answer is no.
 */
bool ioports_domain_permitted(struct domain *d, unsigned port, unsigned size);

/*
 * Give d the initial domain's grant: every port except the hypervisor's.
 * 0 or -XEN_ENOMEM. Idempotent.
 */
int ioports_grant_initial(struct domain *d);

/*
 * The guest's own TSS-style I/O bitmap for vCPU v (PHYSDEVOP_set_iobitmap):
 * guest virtual address (in the guest kernel's address space) and the
 * number of ports it covers; nr_ports 0 means none. A set bit denies.
 * Setting returns 0 or -XEN_ENOMEM.
 */
int ioports_set_guest_bitmap(struct vcpu *v, uint64_t va, uint32_t nr_ports);
void ioports_guest_bitmap(struct vcpu *v, uint64_t *va, uint32_t *nr_ports);

/* Forget everything kept for d (domain destruction). */
void ioports_domain_destroy(struct domain *d);

#endif
