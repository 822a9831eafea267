/*
 * xenstore_test_util.h - drive the xenstored core through in-memory
 * connections, exactly as the socket and ring transports do: bytes in,
 * xsd_conn_input(), xsd_conn_flush(), bytes out.
 */
#ifndef XENSTORE_TEST_UTIL_H
#define XENSTORE_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "xsd.h"

struct t_conn {
	struct xsd_conn *conn;
	char in[70000];
	size_t in_len, in_off;
	char out[1 << 20];
	size_t out_len, out_off;
	size_t out_cap;			/* 0 = unlimited; else send stalls */
	uint32_t reply_type;
	char reply[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t reply_len;
	char events[64][256];		/* "path token" */
	unsigned int nevents, ev_read;
	bool closed;
};

static __attribute__((unused)) ssize_t t_recv(struct xsd_conn *c, void *buf, size_t len)
{
	struct t_conn *t = c->priv;
	size_t n = t->in_len - t->in_off;

	if (!n)
		return t->closed ? -1 : 0;
	if (n > len)
		n = len;
	memcpy(buf, t->in + t->in_off, n);
	t->in_off += n;
	return n;
}

static __attribute__((unused)) ssize_t t_send(struct xsd_conn *c, const void *buf, size_t len)
{
	struct t_conn *t = c->priv;
	size_t cap = t->out_cap ? t->out_cap : sizeof(t->out);

	if (t->out_len + len > cap)
		len = cap > t->out_len ? cap - t->out_len : 0;
	memcpy(t->out + t->out_len, buf, len);
	t->out_len += len;
	return len;
}

static const struct xsd_conn_ops t_ops = { t_recv, t_send, NULL };

static __attribute__((unused)) struct t_conn *t_connect(struct xsd *xsd, int domid)
{
	struct t_conn *t = calloc(1, sizeof(*t));
	struct xsd_who who = { .domid = domid < 0 ? 0 : domid,
			       .priv = domid <= 0, .target = -1 };

	assert_non_null(t);
	t->conn = xsd_conn_new(xsd, &t_ops, t, -1, &who);
	assert_non_null(t->conn);
	return t;
}

static __attribute__((unused)) void t_disconnect(struct t_conn *t)
{
	if (t->conn)
		xsd_conn_destroy(t->conn);
	free(t);
}

/* Parse what the daemon sent: events to t->events, the last reply to
 * t->reply. */
static __attribute__((unused)) void t_collect(struct t_conn *t)
{
	for (struct xsd_conn *c = t->conn->xsd->conns; c; c = c->next)
		xsd_conn_flush(c);
	while (t->out_len - t->out_off >= sizeof(struct xsd_sockmsg)) {
		struct xsd_sockmsg h;
		char *body;

		memcpy(&h, t->out + t->out_off, sizeof(h));
		if (t->out_len - t->out_off < sizeof(h) + h.len)
			break;
		body = t->out + t->out_off + sizeof(h);
		t->out_off += sizeof(h) + h.len;
		if (h.type == XS_WATCH_EVENT) {
			const char *tok = memchr(body, 0, h.len);

			assert_non_null(tok);
			if (t->nevents < 64)
				snprintf(t->events[t->nevents++], 256, "%s %s",
					 body, tok + 1);
			continue;
		}
		t->reply_type = h.type;
		memcpy(t->reply, body, h.len);
		t->reply[h.len] = '\0';
		t->reply_len = h.len;
	}
	if (t->out_off == t->out_len)
		t->out_off = t->out_len = 0;
}

static __attribute__((unused)) void t_send_raw(struct t_conn *t, const void *data, size_t len)
{
	memcpy(t->in + t->in_len, data, len);
	t->in_len += len;
	xsd_conn_input(t->conn);
	t_collect(t);
}

/*
 * One request; returns the reply body, or the error name for XS_ERROR
 * replies (e.g. "EACCES").  Asserts that a reply came back.
 */
static __attribute__((unused)) const char *t_req(struct t_conn *t, uint32_t type, uint32_t tx,
			 const void *payload, size_t len)
{
	struct xsd_sockmsg h = { type, 42, tx, (uint32_t)len };

	if (t->in_off == t->in_len)
		t->in_off = t->in_len = 0;
	t->reply_type = UINT32_MAX;
	memcpy(t->in + t->in_len, &h, sizeof(h));
	t->in_len += sizeof(h);
	t_send_raw(t, payload, len);
	assert_int_not_equal(t->reply_type, UINT32_MAX);
	if (t->reply_type != XS_ERROR)
		assert_int_equal(t->reply_type, type);
	return t->reply;
}

/* Request whose payload is the given strings, each NUL-terminated. */
static __attribute__((unused)) const char *t_strs(struct t_conn *t, uint32_t type, uint32_t tx,
			  int n, ...)
{
	char buf[XENSTORE_PAYLOAD_MAX + 64];
	size_t off = 0;
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		const char *s = va_arg(ap, const char *);
		size_t l = strlen(s) + 1;

		memcpy(buf + off, s, l);
		off += l;
	}
	va_end(ap);
	return t_req(t, type, tx, buf, off);
}

static __attribute__((unused)) const char *t_write(struct t_conn *t, uint32_t tx, const char *path,
			   const char *val)
{
	char buf[XENSTORE_PAYLOAD_MAX + 64];
	size_t pl = strlen(path) + 1, vl = strlen(val);

	memcpy(buf, path, pl);
	memcpy(buf + pl, val, vl);
	return t_req(t, XS_WRITE, tx, buf, pl + vl);
}

#define t_read(t, tx, p) t_strs((t), XS_READ, (tx), 1, (p))
#define t_mkdir(t, tx, p) t_strs((t), XS_MKDIR, (tx), 1, (p))
#define t_rm(t, tx, p) t_strs((t), XS_RM, (tx), 1, (p))
#define t_watch(t, p, tok) t_strs((t), XS_WATCH, 0, 2, (p), (tok))

/* Next watch event as "path token", or NULL. */
static __attribute__((unused)) const char *t_event(struct t_conn *t)
{
	t_collect(t);
	return t->ev_read < t->nevents ? t->events[t->ev_read++] : NULL;
}

static __attribute__((unused)) void t_no_event(struct t_conn *t)
{
	const char *e = t_event(t);

	if (e)
		fail_msg("unexpected watch event: %s", e);
}

static __attribute__((unused)) uint32_t t_txn_start(struct t_conn *t)
{
	const char *r = t_strs(t, XS_TRANSACTION_START, 0, 1, "");

	assert_int_equal(t->reply_type, XS_TRANSACTION_START);
	return strtoul(r, NULL, 10);
}

#define t_txn_end(t, tx, commit) \
	t_strs((t), XS_TRANSACTION_END, (tx), 1, (commit) ? "T" : "F")

/* The directory reply as "a,b,c". */
static __attribute__((unused)) const char *t_dir(struct t_conn *t, uint32_t tx, const char *path)
{
	static char buf[XENSTORE_PAYLOAD_MAX];
	const char *r = t_strs(t, XS_DIRECTORY, tx, 1, path);
	size_t off = 0, o = 0;

	if (t->reply_type == XS_ERROR)
		return r;
	buf[0] = '\0';
	while (off < t->reply_len) {
		o += snprintf(buf + o, sizeof(buf) - o, "%s%s", o ? "," : "",
			      r + off);
		off += strlen(r + off) + 1;
	}
	return buf;
}

#endif /* XENSTORE_TEST_UTIL_H */
