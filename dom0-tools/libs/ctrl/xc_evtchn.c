/*
 * xc_evtchn.c - xenevtchn_*: event channels over /dev/xen/evtchn, one
 * descriptor per handle. The kernel does the binding (EVTCHNOP_* on our
 * behalf) and closes every port of a descriptor when it is closed.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include "linux_xen.h"
#include "xc_private.h"
#include "xenevtchn.h"

struct xenevtchn_handle {
	int fd;
};

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger, unsigned int flags)
{
	xenevtchn_handle *xce = calloc(1, sizeof(*xce));
	int fd;

	if (!xce)
		return NULL;
	fd = lx->open(LX_EVTCHN_DEV, O_RDWR | (flags & XENEVTCHN_NO_CLOEXEC ? 0 : O_CLOEXEC));
	if (fd < 0) {
		xc_err("cannot open %s: %s (Dom0 with xen-evtchn loaded needed)",
		       LX_EVTCHN_DEV, strerror(-fd));
		free(xce);
		return xc_ret_ptr(fd, NULL);
	}
	xce->fd = fd;
	return xce;
}

int xenevtchn_close(xenevtchn_handle *xce)
{
	int rc;

	if (!xce)
		return 0;
	rc = lx->close(xce->fd);
	free(xce);
	return xc_ret(rc);
}

int xenevtchn_fd(xenevtchn_handle *xce)
{
	return xce ? xce->fd : xc_ret(-EINVAL);
}

/* An ioctl on the handle's descriptor: its result or -errno. */
static long evtchn_ioctl(xenevtchn_handle *xce, unsigned long req, void *arg)
{
	return xce ? lx->ioctl(xce->fd, req, arg) : -EINVAL;
}

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
	struct ioctl_evtchn_notify n = { .port = port };

	return xc_ret(evtchn_ioctl(xce, IOCTL_EVTCHN_NOTIFY, &n));
}

xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce, uint32_t domid)
{
	struct ioctl_evtchn_bind_unbound_port b = { .remote_domain = domid };

	return xc_ret(domid > UINT16_MAX ? -EINVAL
			: evtchn_ioctl(xce, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b));
}

xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
						     evtchn_port_t remote_port)
{
	struct ioctl_evtchn_bind_interdomain b = {
		.remote_domain = domid, .remote_port = remote_port,
	};

	return xc_ret(domid > UINT16_MAX ? -EINVAL
			: evtchn_ioctl(xce, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b));
}

xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce, unsigned int virq)
{
	struct ioctl_evtchn_bind_virq b = { .virq = virq };

	return xc_ret(evtchn_ioctl(xce, IOCTL_EVTCHN_BIND_VIRQ, &b));
}

int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
	struct ioctl_evtchn_unbind u = { .port = port };

	return xc_ret(evtchn_ioctl(xce, IOCTL_EVTCHN_UNBIND, &u));
}

int xenevtchn_restrict(xenevtchn_handle *xce, domid_t domid)
{
	struct ioctl_evtchn_restrict_domid r = { .domid = domid };

	return xc_ret(evtchn_ioctl(xce, IOCTL_EVTCHN_RESTRICT_DOMID, &r));
}

xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
	uint32_t port;
	ssize_t n;

	if (!xce)
		return xc_ret(-EINVAL);
	n = lx->read(xce->fd, &port, sizeof(port));
	if (n < 0)
		return xc_ret(n);
	if (n != sizeof(port))
		return xc_ret(-EIO);
	return (xenevtchn_port_or_error_t)port;
}

int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
	uint32_t p = port;
	ssize_t n;

	if (!xce)
		return xc_ret(-EINVAL);
	n = lx->write(xce->fd, &p, sizeof(p));
	if (n < 0)
		return xc_ret(n);
	return xc_ret(n == sizeof(p) ? 0 : -EIO);
}
