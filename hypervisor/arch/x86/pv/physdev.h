/*
 * Private to physdev.c and physdev_io.c: the per-domain state physdev_op
 * keeps. It hangs off a small list keyed by domain rather than off struct
 * domain, so that the rest of the hypervisor need not know it exists;
 * ioports_domain_destroy() drops it.
 */
#ifndef PV_PHYSDEV_H
#define PV_PHYSDEV_H

#include <domain.h>
#include <frame_alloc.h>

struct physdev_iobmp {
	uint64_t va;                 /* guest kernel VA of the bitmap */
	uint32_t nr_ports;           /* ports it covers; 0: no bitmap */
};

struct physdev_domain {
	struct domain *d;
	uint8_t *ports;              /* IOPORT_BITMAP_BYTES; set bit: granted. NULL: none */
	mfn_t pirq_eoi_mfn;          /* PHYSDEVOP_pirq_eoi_gmfn_*; INVALID_MFN: none */
	bool pirq_eoi_v1;            /* registered through v1 (auto-unmask semantics) */
	struct physdev_iobmp iobmp[MAX_VIRT_CPUS];
	struct physdev_domain *next;
};

/* d's state; created (zeroed, no grant) when `create`. NULL if none / no memory. */
struct physdev_domain *physdev_domain_get(struct domain *d, bool create);

/* The pirq numbers a domain may name: irq_status_query, eoi. */
#define PHYSDEV_NR_PIRQS 256

#endif
