/*
 * xenstore_proto_fuzz.c - libFuzzer target for the daemon's message
 * parser and everything behind it.  The input is the byte stream one
 * client sends (first byte: which domain it is); a second, unprivileged
 * client watches "/" so every change also runs the watch code.  After
 * each input the tree's entry accounting must still add up.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "xsd.h"

struct fz_stream {
	const uint8_t *data;
	size_t len, off;
};

static ssize_t fz_recv(struct xsd_conn *c, void *buf, size_t len)
{
	struct fz_stream *s = c->priv;
	size_t n = s->len - s->off;

	if (!n)
		return -1;	/* end of input: the client hangs up */
	if (n > len)
		n = len;
	memcpy(buf, s->data + s->off, n);
	s->off += n;
	return n;
}

static ssize_t fz_send(struct xsd_conn *c, const void *buf, size_t len)
{
	return len;		/* a client that reads everything */
}

static const struct xsd_conn_ops fz_ops = { fz_recv, fz_send, NULL };

static int sum_entries(struct xsd *xsd, unsigned long *sum)
{
	for (unsigned int d = 0; d <= XSD_DOMID_MAX; d++)
		*sum += xsd->entries[d];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xsd *xsd;
	struct fz_stream in = { data + 1, size ? size - 1 : 0, 0 };
	struct fz_stream none = { NULL, 0, 0 };
	struct xsd_who who, watcher = { .domid = 3, .priv = false, .target = -1 };
	struct xsd_conn *c, *w;
	unsigned long sum = 0;

	if (!size)
		return 0;
	who.domid = data[0] & 0x80 ? 0 : data[0] & 7;
	who.priv = who.domid == 0;
	who.target = -1;
	xsd = xsd_create(NULL);
	if (!xsd)
		return 0;
	w = xsd_conn_new(xsd, &fz_ops, &none, -1, &watcher);
	c = xsd_conn_new(xsd, &fz_ops, &in, -1, &who);
	if (w)
		xsd_watch_add(w, "/", "all");
	/* Bounded: each round consumes input or kills the connection. */
	for (int i = 0; c && !c->dead && i < 100000; i++) {
		xsd_conn_input(c);
		for (struct xsd_conn *x = xsd->conns; x; x = x->next)
			xsd_conn_flush(x);
	}
	sum_entries(xsd, &sum);
	if (sum != xs_hash_count(xsd->nodes))
		abort();	/* accounting drifted from the tree */
	xsd_destroy(xsd);
	return 0;
}
