/*
 * xs_hv.h - the hypervisor's view of domains, for domain-death handling
 * (xs_hv.c over libxenctrl in the daemon; a fake in the unit tests).
 */
#ifndef XS_HV_H
#define XS_HV_H

#include "xsd.h"

/* Open the control interface: 0 or an errno. */
int xsd_hv_open(void);
void xsd_hv_close(void);
/* An xsd_dominfo_fn (arg unused). */
int xsd_hv_dominfo(void *arg, unsigned int domid, struct xsd_dominfo *out);

#endif /* XS_HV_H */
