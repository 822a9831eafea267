/*
 * xs_dom0.h - domain transports when running in Dom0 on a hypervisor:
 * Dom0's own store ring (/proc/xen/xsd_kva, /proc/xen/xsd_port) and one
 * ring per introduced DomU (mapped through /dev/xen/gntdev, falling back
 * to a privcmd foreign map; event channels through /dev/xen/evtchn).
 */
#ifndef XS_DOM0_H
#define XS_DOM0_H

#include "xsd.h"

/* Open the devices, attach Dom0's ring and install the domain ops.
 * Returns 0, or -1 after printing what is missing. */
int xsd_dom0_init(struct xsd *xsd);
/* The event-channel descriptor to poll for input, or -1. */
int xsd_dom0_fd(struct xsd *xsd);
/* The descriptor polled readable: consume pending ports, unmask them. */
void xsd_dom0_event(struct xsd *xsd);
void xsd_dom0_fini(struct xsd *xsd);

#endif /* XS_DOM0_H */
