/*
 * xenevtchn.h - event channels from Dom0 user space over /dev/xen/evtchn,
 * with Xen 4.17's libxenevtchn names and conventions (part of Paravane's
 * libxenctrl; docs/toolstack.md "libxenctrl"). Each handle is one open
 * of the device; its ports close with it.
 *
 * Returns: ports (>= 0) or 0 on success; -1 with errno on failure.
 */
#ifndef XENEVTCHN_H
#define XENEVTCHN_H

#include <stdint.h>
#include <public/event_channel.h>

typedef int xenevtchn_port_or_error_t;
typedef struct xenevtchn_handle xenevtchn_handle;
struct xentoollog_logger;

#define XENEVTCHN_NO_CLOEXEC (1 << 0)

/* Open the device (NULL and errno on failure); the logger is not used. */
xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger,
				 unsigned int flags);
/* Close it, unbinding every port (NULL is fine). */
int xenevtchn_close(xenevtchn_handle *xce);
/* The descriptor to poll: readable when a port fired. */
int xenevtchn_fd(xenevtchn_handle *xce);

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port);
/* A new port that domain domid may bind to. */
xenevtchn_port_or_error_t
xenevtchn_bind_unbound_port(xenevtchn_handle *xce, uint32_t domid);
/* A new local port bound to remote_port of domain domid. */
xenevtchn_port_or_error_t
xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
			   evtchn_port_t remote_port);
xenevtchn_port_or_error_t
xenevtchn_bind_virq(xenevtchn_handle *xce, unsigned int virq);
int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port);
/* The next port that fired (blocks unless the descriptor is
 * non-blocking); it stays masked until xenevtchn_unmask. */
xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce);
int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port);
/* From now on this handle binds interdomain ports of domid only. */
int xenevtchn_restrict(xenevtchn_handle *xce, domid_t domid);

#endif /* XENEVTCHN_H */
