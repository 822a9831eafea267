/*
 * xenstore_txn_fuzz.c - libFuzzer target for transactions: what one
 * transaction may hold, and what commits may add up to.
 *
 * The input is a program, three bytes per request: who sends it (Dom0,
 * dom1 or dom2, each on its own connection), which operation, in which
 * of the sender's transactions (or none), and a path built from a small
 * vocabulary (short names, many distinct numbered names, long names
 * that make 2-3 KB paths, relative or absolute).  Requests go straight to
 * xsd_proto_process(); framing is the other fuzzer's job.
 *
 * After every request:
 *   - each unprivileged transaction holds at most txn_nodes distinct
 *     paths and about txn_memory bytes, and queues one change per path;
 *   - no guest owns more than its entry quota (Dom0 never gives nodes
 *     away here, so only commits could push a guest past it);
 *   - the per-domain entry counts add up to the nodes in the tree.
 * At the end, every listed child exists and every node is listed in its
 * parent.  Quotas are small so the limits are reached often.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xsd.h"

#define NCONN	3
#define Q_ENTRIES	24
#define Q_TXN_NODES	16
#define Q_TXN_MEMORY	8192

static ssize_t fz_recv(struct xsd_conn *c, void *buf, size_t len)
{
	return 0;		/* requests are handed in directly */
}

static ssize_t fz_send(struct xsd_conn *c, const void *buf, size_t len)
{
	return len;		/* a client that reads everything */
}

static const struct xsd_conn_ops fz_ops = { fz_recv, fz_send, NULL };

static const uint32_t op_types[] = {
	XS_READ, XS_WRITE, XS_MKDIR, XS_RM, XS_DIRECTORY, XS_GET_PERMS,
	XS_SET_PERMS, XS_TRANSACTION_START, XS_TRANSACTION_END,
	XS_TRANSACTION_END, XS_WRITE, XS_READ, XS_DIRECTORY_PART, XS_RM,
	XS_WRITE, XS_TRANSACTION_START,
};

/* A path from one byte: up to 4 components, some long, some distinct. */
static size_t make_path(uint8_t b, uint8_t salt, char *out, size_t size)
{
	static const char *names[] = { "a", "b", "cc", "d" };
	unsigned int depth = 1 + (b & 3);
	size_t off;

	if (b & 0x80)
		off = snprintf(out, size, "/local/domain/%u", 1 + (salt & 1));
	else if (b & 0x40)
		off = snprintf(out, size, "/shared");
	else
		off = snprintf(out, size, "/q");
	for (unsigned int i = 0; i < depth && off + 8 < size; i++) {
		unsigned int kind = (b >> 2) & 0xf;

		if (kind < 8) {
			off += snprintf(out + off, size - off, "/%s",
					names[(salt + i) & 3]);
		} else if (kind < 14) {
			off += snprintf(out + off, size - off, "/n%u",
					(unsigned int)salt * 7 + i);
		} else {
			/* A long name: these paths reach 2-3 KB. */
			size_t n = 600 + (salt & 0xff) * 2;

			if (off + n + 2 >= size)
				break;
			out[off++] = '/';
			memset(out + off, 'l', n);
			off += n;
			out[off] = '\0';
		}
	}
	return off;
}

struct fz {
	struct xsd *xsd;
	struct xsd_conn *c[NCONN];
	uint32_t tx[NCONN][4];		/* ids handed out, 0 = none */
};

static void request(struct fz *f, unsigned int who, uint32_t type,
		    uint32_t tx, const char *payload, size_t len)
{
	struct xsd_sockmsg hdr = { type, 1, tx, (uint32_t)len };
	struct xsd_conn *c = f->c[who];
	struct xsd_out *o;

	xsd_proto_process(c, &hdr, payload);
	/* Catch the id of a new transaction from its reply. */
	for (o = c->out_head; o; o = o->next) {
		struct xsd_sockmsg r;

		memcpy(&r, o->data, sizeof(r));
		if (!o->is_event && r.type == XS_TRANSACTION_START) {
			uint32_t id = strtoul(o->data + sizeof(r), NULL, 10);

			for (int i = 0; i < 4; i++)
				if (!f->tx[who][i]) {
					f->tx[who][i] = id;
					break;
				}
		}
	}
	for (unsigned int i = 0; i < NCONN; i++)
		xsd_conn_flush(f->c[i]);
}

static void one(struct fz *f, const uint8_t *p)
{
	char buf[XENSTORE_ABS_PATH_MAX + 64];
	unsigned int who = (p[0] & 0x3) % NCONN;
	uint32_t type = op_types[(p[0] >> 2) & 0xf];
	unsigned int slot = (p[0] >> 6) & 3;
	uint32_t tx = (p[1] & 1) ? f->tx[who][slot] : 0;
	size_t len;

	if (type == XS_TRANSACTION_START) {
		request(f, who, type, 0, "", 1);
		return;
	}
	if (type == XS_TRANSACTION_END) {
		request(f, who, type, f->tx[who][slot],
			(p[1] & 2) ? "T" : "F", 2);
		f->tx[who][slot] = 0;
		return;
	}
	/* Dom0 creates only under /q: a node it made below a guest's node
	 * would belong to the guest, uncounted (Dom0 is exempt). */
	len = make_path(!who && (type == XS_WRITE || type == XS_MKDIR) ?
			p[2] & 0x3f : p[2], p[1] >> 1, buf,
			XENSTORE_ABS_PATH_MAX + 1);
	buf[len++] = '\0';
	if (type == XS_WRITE) {
		/* A value of 0-40 bytes. */
		size_t vl = (p[1] >> 2) % 41;

		memset(buf + len, 'v', vl);
		len += vl;
	} else if (type == XS_SET_PERMS) {
		/* The sender stays owner: Dom0 never gives a node away. */
		len += sprintf(buf + len, "n%u", who) + 1;
		if (p[1] & 4)
			len += sprintf(buf + len, "b%u", 1 + (p[1] >> 7)) + 1;
	} else if (type == XS_DIRECTORY_PART) {
		len += sprintf(buf + len, "%u", p[1] & 7) + 1;
	}
	request(f, who, type, tx, buf, len);
}

struct unseen {
	const struct xsd_txn *txn;
	size_t n;
};

static int count_unseen(const char *path, void *val, void *arg)
{
	struct unseen *u = arg;

	if (!xs_hash_get(u->txn->seen, path))
		u->n++;
	return 0;
}

static void check_txn(const struct xsd_txn *t)
{
	struct unseen u = { t, 0 };

	xs_hash_foreach(t->overlay, count_unseen, &u);
	if (xs_hash_count(t->seen) + u.n > Q_TXN_NODES ||
	    t->nnodes > Q_TXN_NODES || t->nchanges > Q_TXN_NODES ||
	    xs_hash_count(t->changed) != t->nchanges ||
	    t->bytes > Q_TXN_MEMORY)
		abort();	/* a transaction outgrew its quota */
}

static void check(struct fz *f)
{
	unsigned long sum = 0;

	for (unsigned int i = 1; i < NCONN; i++)
		for (const struct xsd_txn *t = f->c[i]->txns; t; t = t->next)
			check_txn(t);
	for (unsigned int d = 0; d < NCONN; d++) {	/* the only owners */
		sum += f->xsd->entries[d];
		if (d && f->xsd->entries[d] > Q_ENTRIES)
			abort();	/* a guest owns more than its quota */
	}
	if (sum != xs_hash_count(f->xsd->nodes))
		abort();	/* accounting drifted from the tree */
}

/* Every listed child exists, and every node but "/" is listed. */
static int check_node(const char *path, void *val, void *arg)
{
	struct xsd *xsd = arg;
	const struct xsd_node *n = val, *parent;
	char buf[XENSTORE_ABS_PATH_MAX + 2];
	const char *base;
	size_t off = 0, pl = strcmp(path, "/") ? strlen(path) : 0;
	bool listed = false;

	for (; off < n->children_len; off += strlen(n->children + off) + 1) {
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)pl, path,
			 n->children + off);
		if (!xs_hash_get(xsd->nodes, buf))
			abort();	/* a ghost child */
	}
	if (!pl)
		return 0;
	xsd_path_parent(path, buf);
	parent = xs_hash_get(xsd->nodes, buf);
	if (!parent)
		abort();	/* an orphan */
	base = xsd_path_basename(path);
	for (off = 0; off < parent->children_len && !listed;
	     off += strlen(parent->children + off) + 1)
		listed = !strcmp(parent->children + off, base);
	if (!listed)
		abort();	/* a node its parent does not list */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xsd_quota q = XSD_QUOTA_DEFAULTS;
	struct fz f = { 0 };

	q.entries = Q_ENTRIES;
	q.transactions = 4;
	q.txn_nodes = Q_TXN_NODES;
	q.txn_memory = Q_TXN_MEMORY;
	f.xsd = xsd_create(&q);
	if (!f.xsd)
		return 0;
	for (unsigned int i = 0; i < NCONN; i++) {
		struct xsd_who who = { .domid = i, .priv = i == 0,
				       .target = -1 };

		f.c[i] = xsd_conn_new(f.xsd, &fz_ops, NULL, -1, &who);
		if (!f.c[i])
			goto out;
	}
	/* Homes for dom1 and dom2, and a directory both may write. */
	request(&f, 0, XS_WRITE, 0, "/local/domain/1", 16);
	request(&f, 0, XS_SET_PERMS, 0, "/local/domain/1\0n1", 19);
	request(&f, 0, XS_WRITE, 0, "/local/domain/2", 16);
	request(&f, 0, XS_SET_PERMS, 0, "/local/domain/2\0n2", 19);
	request(&f, 0, XS_WRITE, 0, "/shared", 8);
	request(&f, 0, XS_SET_PERMS, 0, "/shared\0n0\0b1\0b2", 17);
	for (size_t off = 0; off + 3 <= size && off < 3 * 2000; off += 3) {
		one(&f, data + off);
		check(&f);
	}
	xs_hash_foreach(f.xsd->nodes, check_node, f.xsd);
out:
	xsd_destroy(f.xsd);
	return 0;
}
