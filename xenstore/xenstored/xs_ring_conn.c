/*
 * xs_ring_conn.c - xsd_conn_ops over a shared store ring.
 *
 * Corrupt indexes (the guest wrote nonsense) end the connection: the
 * guest's own fault, reported in the page's error field, with no effect
 * on anyone else.  The page itself is owned by the transport that
 * mapped it; destroying the connection only frees our bookkeeping.
 */
#include <stdlib.h>
#include "xs_ring_conn.h"

struct ring_conn {
	struct xenstore_domain_interface *intf;
	struct xs_ring_dir in, out;
	void (*notify)(void *arg);
	void *arg;
};

static ssize_t ring_recv(struct xsd_conn *conn, void *buf, size_t len)
{
	struct ring_conn *rc = conn->priv;
	bool was_full;
	ssize_t r = xs_ring_read_was_full(&rc->in, buf, len, &was_full);

	if (r < 0) {
		rc->intf->error = XENSTORE_ERROR_RINGIDX;
		xsd_log(1, "dom%u: corrupt request ring indexes: closing",
			conn->who.domid);
		return -1;
	}
	/* Space freed for a producer that may be waiting for it.  Not on
	 * every read: each event wakes the domain's xenbus thread, and a
	 * request is read in two pieces (header, payload). */
	if (was_full && rc->notify)
		rc->notify(rc->arg);
	return r;
}

static ssize_t ring_send(struct xsd_conn *conn, const void *buf, size_t len)
{
	struct ring_conn *rc = conn->priv;
	ssize_t r = xs_ring_write(&rc->out, buf, len);

	if (r < 0) {
		rc->intf->error = XENSTORE_ERROR_RINGIDX;
		xsd_log(1, "dom%u: corrupt response ring indexes: closing",
			conn->who.domid);
		return -1;
	}
	if (r > 0 && rc->notify)
		rc->notify(rc->arg);
	return r;
}

static void ring_destroy(struct xsd_conn *conn)
{
	free(conn->priv);
}

static const struct xsd_conn_ops ring_ops = {
	.recv = ring_recv,
	.send = ring_send,
	.destroy = ring_destroy,
};

struct xsd_conn *xsd_ring_conn_new(struct xsd *xsd,
				   struct xenstore_domain_interface *intf,
				   const struct xsd_who *who,
				   void (*notify)(void *arg), void *arg)
{
	struct ring_conn *rc = calloc(1, sizeof(*rc));
	struct xsd_conn *conn;

	if (!rc)
		return NULL;
	rc->intf = intf;
	rc->notify = notify;
	rc->arg = arg;
	xs_ring_server(intf, &rc->in, &rc->out);
	intf->server_features = 0;	/* no reconnection support yet */
	conn = xsd_conn_new(xsd, &ring_ops, rc, -1, who);
	if (!conn)
		free(rc);
	return conn;
}
