#include <stdio.h>
#include "xs_dom0.h"
int xsd_dom0_init(struct xsd *xsd) { fprintf(stderr, "xenstored: no dom0 support yet\n"); return -1; }
int xsd_dom0_fd(struct xsd *xsd) { return -1; }
void xsd_dom0_event(struct xsd *xsd) { }
void xsd_dom0_fini(struct xsd *xsd) { }
