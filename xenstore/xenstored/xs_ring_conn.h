/*
 * xs_ring_conn.h - a connection whose transport is a mapped
 * xenstore_domain_interface page.  The page may be a real guest page
 * (Dom0 transport) or plain memory (unit tests).
 */
#ifndef XS_RING_CONN_H
#define XS_RING_CONN_H

#include "xs_ring.h"
#include "xsd.h"

/* notify(arg) is called after the store produced or consumed bytes,
 * to kick the domain's event channel. */
struct xsd_conn *xsd_ring_conn_new(struct xsd *xsd,
				   struct xenstore_domain_interface *intf,
				   const struct xsd_who *who,
				   void (*notify)(void *arg), void *arg);

#endif /* XS_RING_CONN_H */
