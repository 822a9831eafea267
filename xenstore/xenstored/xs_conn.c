/*
 * xs_conn.c - one client connection, transport-neutral: frames input
 * into messages, queues replies and watch events, and pushes them out.
 *
 * Transports (Unix socket, shared ring, in-memory for tests) supply
 * recv/send.  A connection whose output backs up (the client stops
 * reading) is not read from any more until it drains: that is the
 * "outstanding requests" quota, and it keeps one slow client from
 * making the daemon buffer without bound.  Watch events past their own
 * quota are dropped and counted rather than queued.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xsd.h"

#define XSD_MSGS_PER_ROUND 64	/* fairness between busy connections */

struct xsd_conn *xsd_conn_new(struct xsd *xsd, const struct xsd_conn_ops *ops,
			      void *priv, int fd, const struct xsd_who *who)
{
	struct xsd_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->xsd = xsd;
	c->ops = ops;
	c->priv = priv;
	c->fd = fd;
	c->who = *who;
	c->next = xsd->conns;
	xsd->conns = c;
	return c;
}

void xsd_conn_destroy(struct xsd_conn *conn)
{
	struct xsd_conn **pc = &conn->xsd->conns;

	while (*pc && *pc != conn)
		pc = &(*pc)->next;
	if (*pc)
		*pc = conn->next;
	/* Open transactions die with their connection, uncommitted. */
	while (conn->txns) {
		struct xsd_txn *t = conn->txns;

		conn->txns = t->next;
		xsd_txn_free(t);
	}
	xsd_watch_clear(conn);
	while (conn->out_head) {
		struct xsd_out *o = conn->out_head;

		conn->out_head = o->next;
		free(o);
	}
	if (conn->domain)
		conn->domain->conn = NULL;
	if (conn->ops && conn->ops->destroy)
		conn->ops->destroy(conn);
	free(conn);
}

bool xsd_conn_wants_input(const struct xsd_conn *conn)
{
	return !conn->dead &&
	       conn->out_replies < conn->xsd->quota.outstanding;
}

void xsd_conn_input(struct xsd_conn *conn)
{
	const size_t hl = sizeof(struct xsd_sockmsg);
	unsigned int budget = XSD_MSGS_PER_ROUND;

	while (budget && xsd_conn_wants_input(conn)) {
		size_t want = conn->in_got < hl ? hl - conn->in_got
				: hl + conn->hdr.len - conn->in_got;
		ssize_t r = 0;

		if (want)
			r = conn->ops->recv(conn, conn->in_buf + conn->in_got,
					    want);
		if (r < 0) {
			conn->dead = true;
			return;
		}
		if (want && r == 0)
			return;
		conn->in_got += r;
		if (conn->in_got < hl)
			continue;
		if (conn->in_got == hl && (size_t)r == want) {
			memcpy(&conn->hdr, conn->in_buf, hl);
			if (conn->hdr.len > XENSTORE_PAYLOAD_MAX) {
				xsd_log(1, "dom%u: message of %u bytes is over the %u limit: closing connection",
					conn->who.domid, conn->hdr.len,
					XENSTORE_PAYLOAD_MAX);
				conn->dead = true;
				return;
			}
		}
		if (conn->in_got < hl + conn->hdr.len)
			continue;
		conn->in_buf[conn->in_got] = '\0';
		conn->in_got = 0;
		budget--;
		xsd_proto_process(conn, &conn->hdr, conn->in_buf + hl);
	}
}

int xsd_conn_queue(struct xsd_conn *conn, uint32_t type, uint32_t req_id,
		   uint32_t tx_id, const void *data, size_t len)
{
	struct xsd_sockmsg hdr = { type, req_id, tx_id, (uint32_t)len };
	bool event = type == XS_WATCH_EVENT;
	struct xsd_out *o;

	if (conn->dead)
		return EIO;
	if (event && conn->out_events >= conn->xsd->quota.watch_events) {
		if (!conn->dropped_events++)
			xsd_log(1, "dom%u: client is not reading its watch events: dropping them",
				conn->who.domid);
		return ENOSPC;
	}
	o = malloc(sizeof(*o) + sizeof(hdr) + len);
	if (!o) {
		conn->dead = true;	/* a lost reply would hang the client */
		return ENOMEM;
	}
	o->next = NULL;
	o->len = sizeof(hdr) + len;
	o->off = 0;
	o->is_event = event;
	memcpy(o->data, &hdr, sizeof(hdr));
	if (len)
		memcpy(o->data + sizeof(hdr), data, len);
	if (conn->out_tail)
		conn->out_tail->next = o;
	else
		conn->out_head = o;
	conn->out_tail = o;
	if (event)
		conn->out_events++;
	else
		conn->out_replies++;
	return 0;
}

void xsd_conn_flush(struct xsd_conn *conn)
{
	while (conn->out_head && !conn->dead) {
		struct xsd_out *o = conn->out_head;
		ssize_t r = conn->ops->send(conn, o->data + o->off,
					    o->len - o->off);

		if (r < 0) {
			conn->dead = true;
			return;
		}
		if (r == 0)
			return;
		o->off += r;
		if (o->off < o->len)
			continue;
		conn->out_head = o->next;
		if (!conn->out_head)
			conn->out_tail = NULL;
		if (o->is_event)
			conn->out_events--;
		else
			conn->out_replies--;
		free(o);
	}
}

void xsd_reap_dead(struct xsd *xsd)
{
	struct xsd_conn *c = xsd->conns;

	while (c) {
		struct xsd_conn *next = c->next;

		if (c->dead)
			xsd_conn_destroy(c);
		c = next;
	}
}
