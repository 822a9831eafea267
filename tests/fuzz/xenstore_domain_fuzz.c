/*
 * xenstore_domain_fuzz.c - libFuzzer target for domain lifetimes and
 * watch traffic: several clients at once (Dom0's own ring, which is
 * domain 0's connection; rings of domains 1-4 once introduced; a Dom0
 * tool watching everything), and an input that is a script of steps:
 * INTRODUCE/RELEASE (Dom0 releasing itself included), deaths reported by
 * the hypervisor (VIRQ_DOM_EXC, a fake getdomaininfo), requests from any
 * client, floods of writes, clients that stop and resume reading or hang
 * up.
 * Small quotas, so the limits are reached.
 *
 * Checked after every step, besides what ASan/UBSan see:
 *   - the entry counts add up to the number of nodes;
 *   - each client's count of events charged to it matches the events
 *     queued anywhere that name it;
 *   - right after a domain is released or dies, no node names it, it owns no
 *     entries and no domain has it as target.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xsd.h"

#define NSLOT 6		/* 0: Dom0's ring, 1-4: domains 1-4, 5: tool */

struct slot {
	struct xsd_conn *conn;
	bool blocked;		/* not reading its output */
	size_t len, off;
	char in[4 * (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)];
};

static struct slot slots[NSLOT];

static ssize_t fz_recv(struct xsd_conn *c, void *buf, size_t len)
{
	struct slot *s = c->priv;
	size_t n = s->len - s->off;

	if (n > len)
		n = len;
	memcpy(buf, s->in + s->off, n);
	s->off += n;
	if (s->off == s->len)
		s->off = s->len = 0;
	return n;
}

static ssize_t fz_send(struct xsd_conn *c, const void *buf, size_t len)
{
	struct slot *s = c->priv;

	return s->blocked ? 0 : (ssize_t)len;
}

static void fz_destroy(struct xsd_conn *c)
{
	struct slot *s = c->priv;

	s->conn = NULL;
	s->off = s->len = 0;
	s->blocked = false;
}

static const struct xsd_conn_ops fz_ops = { fz_recv, fz_send, fz_destroy };

struct script {
	const uint8_t *data;
	size_t len, off;
};

static unsigned int next(struct script *sc)
{
	return sc->off < sc->len ? sc->data[sc->off++] : 0;
}

static void connect_slot(struct xsd *xsd, unsigned int i, unsigned int domid,
			 bool priv)
{
	struct xsd_who who = { .domid = domid, .priv = priv, .target = -1 };
	struct xsd_domain *d = xsd_domain_find(xsd, domid);

	slots[i].conn = xsd_conn_new(xsd, &fz_ops, &slots[i], -1, &who);
	if (slots[i].conn && d && i < 5) {
		d->conn = slots[i].conn;
		slots[i].conn->domain = d;
		slots[i].conn->who.target = d->target;
	}
}

/* What the toolstack does before INTRODUCE: a home the domain owns. */
static void make_home(struct xsd *xsd, unsigned int domid)
{
	const struct xsd_who dom0 = { .domid = 0, .priv = true, .target = -1 };
	struct xsd_ctx ctx = { .xsd = xsd, .who = &dom0 };
	struct xs_permissions p = { .id = domid, .perms = XS_PERM_NONE };
	char home[32];

	snprintf(home, sizeof(home), "/local/domain/%u", domid);
	if (!xsd_mkdir(&ctx, home))
		xsd_set_perms(&ctx, home, &p, 1);
}

/* Queue one request on slot i and let the daemon read it. */
static void request(struct slot *s, uint32_t type, uint32_t tx,
		    const char *payload, size_t len)
{
	struct xsd_sockmsg h = { type, 1, tx, (uint32_t)len };

	if (!s->conn || s->len + sizeof(h) + len > sizeof(s->in))
		return;
	memcpy(s->in + s->len, &h, sizeof(h));
	memcpy(s->in + s->len + sizeof(h), payload, len);
	s->len += sizeof(h) + len;
	xsd_conn_input(s->conn);
}

static const char *const paths[] = {
	"/local/domain/1", "/local/domain/1/state", "/local/domain/2/state",
	"/local/domain/3/device/vif/0", "/local/domain/4", "/shared",
	"/shared/a", "/shared/a/b", "/vm/secret", "state", "x/y", "/",
	"@releaseDomain", "@introduceDomain", "/local/domain", "data",
};
static const char *const perm_words[] = {
	"n0", "r1", "b2", "w3", "n4", "r0", "b1", "n2", "w4", "r3",
};

static size_t put(char *buf, size_t off, const char *s)
{
	size_t l = strlen(s) + 1;

	memcpy(buf + off, s, l);
	return off + l;
}

static void random_request(struct script *sc, struct slot *s)
{
	static const uint32_t types[] = {
		XS_WRITE, XS_MKDIR, XS_RM, XS_READ, XS_SET_PERMS, XS_WATCH,
		XS_UNWATCH, XS_DIRECTORY, XS_GET_PERMS, XS_TRANSACTION_START,
		XS_TRANSACTION_END, XS_SET_TARGET, XS_RESET_WATCHES,
		XS_INTRODUCE, XS_RELEASE,
	};
	uint32_t type = types[next(sc) % (sizeof(types) / sizeof(types[0]))];
	uint32_t tx = next(sc) % 4;	/* 0, or a guess at an open one */
	const char *p = paths[next(sc) % (sizeof(paths) / sizeof(paths[0]))];
	char buf[256], num[2][16];
	size_t off = 0;

	snprintf(num[0], sizeof(num[0]), "%u", next(sc) % 6);
	snprintf(num[1], sizeof(num[1]), "%u", next(sc) % 6);
	switch (type) {
	case XS_WRITE:
		off = put(buf, 0, p);
		memcpy(buf + off, "v", 1);
		off++;
		break;
	case XS_SET_PERMS:
		off = put(buf, 0, p);
		for (unsigned int n = 1 + next(sc) % 3; n; n--)
			off = put(buf, off, perm_words[next(sc) % 10]);
		break;
	case XS_WATCH:
	case XS_UNWATCH:
		off = put(buf, put(buf, 0, p), num[0]);
		break;
	case XS_TRANSACTION_START:
		off = put(buf, 0, "");
		break;
	case XS_TRANSACTION_END:
		off = put(buf, 0, next(sc) & 1 ? "T" : "F");
		break;
	case XS_SET_TARGET:
		off = put(buf, put(buf, 0, num[0]), num[1]);
		break;
	case XS_RESET_WATCHES:
		break;
	case XS_INTRODUCE:
		off = put(buf, put(buf, put(buf, 0, num[0]), "7"), num[1]);
		break;
	case XS_RELEASE:
		off = put(buf, 0, num[0]);
		break;
	default:
		off = put(buf, 0, p);
	}
	if (type != XS_WRITE && type != XS_SET_PERMS &&
	    type != XS_TRANSACTION_START && type != XS_TRANSACTION_END)
		tx = 0;
	request(s, type, tx, buf, off);
}

static void flood(struct script *sc, struct slot *s)
{
	unsigned int n = 1 + next(sc) * 4;
	bool same = next(sc) & 1;
	char buf[64];

	for (unsigned int i = 0; i < n && s->conn; i++) {
		int l = snprintf(buf, sizeof(buf), "%s/f%u",
				 s == &slots[0] ? "/shared" : "data",
				 same ? 0 : i % 97);

		buf[l++] = '\0';
		buf[l++] = 'v';
		request(s, XS_WRITE, 0, buf, l);
		xsd_conn_flush(s->conn);
	}
}

static void pump(struct xsd *xsd)
{
	for (struct xsd_conn *c = xsd->conns; c; c = c->next)
		xsd_conn_flush(c);
	for (struct xsd_conn *c = xsd->conns; c; c = c->next)
		if (xsd_conn_wants_input(c))
			xsd_conn_input(c);
	xsd_reap_dead(xsd);
}

/* The script names domids 0-5 only (perm words, INTRODUCE, SET_TARGET);
 * the final check looks at all of them. */
static int sum_entries(struct xsd *xsd, unsigned int max)
{
	unsigned long sum = 0;

	for (unsigned int d = 0; d <= max; d++)
		sum += xsd->entries[d];
	return sum == xs_hash_count(xsd->nodes);
}

static int names_domid(const char *path, void *val, void *arg)
{
	const struct xsd_node *n = val;

	for (uint32_t i = 0; n && i < n->nperms; i++)
		if (n->perms[i].id == *(unsigned int *)arg)
			return 1;
	return 0;
}

static void check(struct xsd *xsd, unsigned int max)
{
	if (!sum_entries(xsd, max))
		abort();	/* accounting drifted from the tree */
	for (struct xsd_conn *c = xsd->conns; c; c = c->next) {
		unsigned int charged = 0;

		for (struct xsd_conn *r = xsd->conns; r; r = r->next)
			for (struct xsd_out *o = r->out_head; o; o = o->next)
				charged += o->cause == c;
		if (charged != c->events_caused)
			abort();	/* the charge leaks or is lost */
	}
}

static void check_forgotten(struct xsd *xsd, unsigned int domid)
{
	if (xs_hash_foreach(xsd->nodes, names_domid, &domid) ||
	    xsd_entries_of(xsd, domid))
		abort();	/* a released id still holds something */
	for (struct xsd_domain *d = xsd->domains; d; d = d->next)
		if (d->target == (int)domid)
			abort();
}

/* The fake getdomaininfo: *arg is the domain that is dying; the others
 * run, those below it shut down (so shutdown and death mix). */
static int fz_dominfo(void *arg, unsigned int domid, struct xsd_dominfo *out)
{
	unsigned int dying = *(unsigned int *)arg;

	out->exists = true;
	out->dying = domid == dying;
	out->shutdown = domid <= dying;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct xsd_quota q = { .entries = 40, .entry_size = 64,
		.watches = 6, .transactions = 3, .outstanding = 4,
		.watch_events = 12, .perms = 4 };
	struct script sc = { data, size, 0 };
	struct xsd *xsd = xsd_create(&q);

	if (!xsd)
		return 0;
	memset(slots, 0, sizeof(slots));
	xsd_domain_introduce(xsd, 0, 0, 1);
	connect_slot(xsd, 0, 0, true);
	connect_slot(xsd, 5, 0, true);
	if (slots[5].conn) {
		xsd_watch_add(slots[5].conn, "/", "all");
		xsd_watch_add(slots[5].conn, "@releaseDomain", "rel");
	}
	for (int steps = 0; sc.off < sc.len && steps < 400; steps++) {
		unsigned int b = next(&sc), op = b % 7, i = next(&sc) % NSLOT;
		char msg[32];
		bool was;
		int l;

		switch (op) {
		case 0:		/* Dom0 introduces a domain; give it a ring */
			l = snprintf(msg, sizeof(msg), "%u%c7%c%u", i, 0, 0,
				     next(&sc) % 3) + 1;
			request(&slots[0], XS_INTRODUCE, 0, msg, l);
			if (i >= 1 && i <= 4 && !slots[i].conn &&
			    xsd_domain_find(xsd, i)) {
				connect_slot(xsd, i, i, false);
				make_home(xsd, i);
			}
			break;
		case 1:		/* Dom0 releases one (itself included), or it dies */
			was = xsd_domain_find(xsd, i) != NULL;
			l = snprintf(msg, sizeof(msg), "%u", i) + 1;
			if ((b / 7) & 1)
				xsd_domain_check_exits(xsd, fz_dominfo, &i);
			else
				request(&slots[0], XS_RELEASE, 0, msg, l);
			xsd_reap_dead(xsd);
			if (was && !xsd_domain_find(xsd, i))
				check_forgotten(xsd, i);
			break;
		case 2:
			random_request(&sc, &slots[i]);
			break;
		case 3:
			slots[i].blocked = !slots[i].blocked;
			break;
		case 4:
			flood(&sc, &slots[i]);
			break;
		case 5:		/* a client hangs up (the tool comes back) */
			if (slots[i].conn)
				slots[i].conn->dead = true;
			xsd_reap_dead(xsd);
			if (i == 5)
				connect_slot(xsd, 5, 0, true);
			break;
		default:
			pump(xsd);
		}
		xsd_reap_dead(xsd);
		check(xsd, 7);
	}
	for (int i = 0; i < NSLOT; i++)
		slots[i].blocked = false;
	pump(xsd);
	check(xsd, XSD_DOMID_MAX);
	xsd_destroy(xsd);
	return 0;
}
