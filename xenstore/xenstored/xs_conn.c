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
 *
 * So that one client cannot fill another's event queue (and so make it
 * drop events other clients caused), as in Xen: an event identical to
 * one still waiting in the queue is not queued again, and every event an
 * unprivileged client causes at a privileged connection is charged to
 * it until sent; while it has `outstanding` such events waiting, its
 * input waits too, like when its own replies back up.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xsd.h"

#define XSD_MSGS_PER_ROUND 64	/* fairness between busy connections */

static void out_free(struct xsd_out *o)
{
	if (o->cause)
		o->cause->events_caused--;
	free(o);
}

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
		out_free(o);
	}
	for (struct xsd_conn *c = conn->xsd->conns; c; c = c->next)
		for (struct xsd_out *o = c->out_head; o; o = o->next)
			if (o->cause == conn)
				o->cause = NULL;
	if (conn->xsd->current == conn)
		conn->xsd->current = NULL;
	if (conn->domain)
		conn->domain->conn = NULL;
	if (conn->ops && conn->ops->destroy)
		conn->ops->destroy(conn);
	free(conn);
}

bool xsd_conn_wants_input(const struct xsd_conn *conn)
{
	const unsigned int max = conn->xsd->quota.outstanding;

	return !conn->dead && conn->out_replies < max &&
	       (conn->who.priv || conn->events_caused < max);
}

void xsd_conn_input(struct xsd_conn *conn)
{
	const size_t hl = sizeof(struct xsd_sockmsg);
	unsigned int budget = XSD_MSGS_PER_ROUND;
	struct xsd_conn *prev;

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
		/* Nested: INTRODUCE reads the new domain's ring at once. */
		prev = conn->xsd->current;
		conn->xsd->current = conn;
		xsd_proto_process(conn, &conn->hdr, conn->in_buf + hl);
		conn->xsd->current = prev;
	}
}

/* The same event still waiting, not yet started on the wire? */
static bool already_queued(const struct xsd_conn *conn, const void *msg,
			   size_t len)
{
	for (const struct xsd_out *o = conn->out_head; o; o = o->next)
		if (o->is_event && !o->off && o->len == len &&
		    !memcmp(o->data, msg, len))
			return true;
	return false;
}

/*
 * Who pays for an event queued at conn: the unprivileged client whose
 * request caused it.  Only events for privileged receivers (Dom0's
 * backends, the toolstack) are charged: those are trusted to read, so
 * the wait is short.  An unprivileged receiver that stops reading could
 * otherwise stall every domain writing nodes it watches; its own queue
 * limit is all that bounds it (Xen's answer there is a timeout on
 * queued events, which we do not have).
 */
static struct xsd_conn *event_cause(const struct xsd_conn *conn)
{
	struct xsd_conn *cur = conn->xsd->current;

	return cur && cur != conn && !cur->who.priv && conn->who.priv ?
	       cur : NULL;
}

int xsd_conn_queue(struct xsd_conn *conn, uint32_t type, uint32_t req_id,
		   uint32_t tx_id, const void *data, size_t len)
{
	struct xsd_sockmsg hdr = { type, req_id, tx_id, (uint32_t)len };
	bool event = type == XS_WATCH_EVENT;
	struct xsd_out *o;

	if (conn->dead)
		return EIO;
	if (event && conn->out_events) {
		char msg[sizeof(hdr) + XENSTORE_PAYLOAD_MAX];

		if (len <= XENSTORE_PAYLOAD_MAX) {
			memcpy(msg, &hdr, sizeof(hdr));
			memcpy(msg + sizeof(hdr), data, len);
			if (already_queued(conn, msg, sizeof(hdr) + len))
				return 0;
		}
	}
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
	o->cause = event ? event_cause(conn) : NULL;
	if (o->cause)
		o->cause->events_caused++;
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
		out_free(o);
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
