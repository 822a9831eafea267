/*
 * xs_txn.c - transactions.
 *
 * A transaction never touches the live tree until it commits.  Writes go
 * to private node copies (the overlay, with tombstones for removals) and
 * every live node it looks at has its generation recorded in `seen` the
 * first time (0 for "was absent").  Commit is all or nothing:
 *
 *   1. if any seen node's generation differs from the live tree's now,
 *      someone else changed what we based our work on: EAGAIN, and the
 *      live tree is untouched;
 *   2. otherwise move every overlay node into the live tree, apply the
 *      entry-count deltas, and fire the watches the transaction queued.
 *
 * Because parents record their children, adding or removing a child
 * changes the parent too, so concurrent creation under the same
 * directory conflicts, as in Xen.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xsd.h"

int xsd_txn_start(struct xsd_conn *conn, uint32_t *id)
{
	struct xsd *xsd = conn->xsd;
	struct xsd_txn *txn;

	if (!conn->who.priv && conn->ntxns >= xsd->quota.transactions)
		return ENOSPC;
	txn = calloc(1, sizeof(*txn));
	if (!txn)
		return ENOMEM;
	txn->overlay = xs_hash_create();
	txn->seen = xs_hash_create();
	if (!txn->overlay || !txn->seen) {
		xsd_txn_free(txn);
		return ENOMEM;
	}
	/* Ids are unique across connections, so logs are unambiguous. */
	do {
		txn->id = xsd->next_txn_id++;
	} while (!txn->id || xsd_txn_find(conn, txn->id));
	txn->next = conn->txns;
	conn->txns = txn;
	conn->ntxns++;
	*id = txn->id;
	return 0;
}

struct xsd_txn *xsd_txn_find(struct xsd_conn *conn, uint32_t id)
{
	for (struct xsd_txn *t = conn->txns; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

void xsd_txn_free(struct xsd_txn *txn)
{
	if (!txn)
		return;
	xs_hash_destroy(txn->overlay, xsd_node_free_v);
	xs_hash_destroy(txn->seen, free);
	for (size_t i = 0; i < txn->nchanges; i++)
		free(txn->changes[i].path);
	free(txn->changes);
	free(txn->count_delta);
	free(txn);
}

void xsd_txn_note_seen(struct xsd_txn *txn, const char *path,
		       const struct xsd_node *base)
{
	uint64_t *gen;

	if (xs_hash_get(txn->seen, path))
		return;
	gen = malloc(sizeof(*gen));
	if (!gen || xs_hash_put(txn->seen, path, gen, NULL)) {
		free(gen);
		txn->error = ENOMEM;	/* cannot prove no conflict */
		return;
	}
	*gen = base ? base->gen : 0;
}

int xsd_txn_count_delta(struct xsd_txn *txn, unsigned int domid)
{
	if (!txn->count_delta || domid > XSD_DOMID_MAX)
		return 0;
	return txn->count_delta[domid];
}

void xsd_txn_count_adjust(struct xsd_txn *txn, unsigned int domid, int d)
{
	if (domid > XSD_DOMID_MAX)
		return;
	if (!txn->count_delta) {
		txn->count_delta = calloc(XSD_DOMID_MAX + 1, sizeof(int32_t));
		if (!txn->count_delta) {
			txn->error = ENOMEM;
			return;
		}
	}
	txn->count_delta[domid] += d;
}

void xsd_changed(struct xsd_ctx *ctx, const char *path, bool recurse)
{
	struct xsd_txn *txn = ctx->txn;

	if (!txn) {
		xsd_watch_fire(ctx->xsd, path, recurse);
		return;
	}
	if (txn->nchanges == txn->changes_cap) {
		size_t cap = txn->changes_cap ? txn->changes_cap * 2 : 16;
		struct xsd_change *c = realloc(txn->changes, cap * sizeof(*c));

		if (!c) {
			txn->error = ENOMEM;
			return;
		}
		txn->changes = c;
		txn->changes_cap = cap;
	}
	txn->changes[txn->nchanges].path = strdup(path);
	if (!txn->changes[txn->nchanges].path) {
		txn->error = ENOMEM;
		return;
	}
	txn->changes[txn->nchanges++].recurse = recurse;
}

static int check_seen(const char *path, void *val, void *arg)
{
	const struct xsd *xsd = arg;
	const struct xsd_node *live = xs_hash_get(xsd->nodes, path);
	uint64_t now = live ? live->gen : 0;

	return now == *(uint64_t *)val ? 0 : EAGAIN;
}

/*
 * Moving a node needs at most one hash insert; an insert of a new key
 * can fail for memory, so reserve first: every new key is put in with
 * its old (absent) state before anything is changed.
 */
static int reserve_key(const char *path, void *val, void *arg)
{
	struct xsd *xsd = arg;
	const struct xsd_node *n = val;

	if (n->deleted || xs_hash_get(xsd->nodes, path))
		return 0;
	return xs_hash_put(xsd->nodes, path, NULL, NULL);
}

static int drop_reserved(const char *path, void *val, void *arg)
{
	struct xsd *xsd = arg;

	if (xs_hash_get(xsd->nodes, path) == NULL)
		xs_hash_remove(xsd->nodes, path);
	return 0;
}

static int move_node(const char *path, void *val, void *arg)
{
	struct xsd *xsd = arg;
	struct xsd_node *n = val;
	void *old = NULL;

	if (n->deleted) {
		xsd_node_free(xs_hash_remove(xsd->nodes, path));
		xsd_node_free(n);
		return 0;
	}
	n->gen = ++xsd->gen;
	xs_hash_put(xsd->nodes, path, n, &old);	/* key reserved: no alloc */
	xsd_node_free(old);
	return 0;
}

static int commit(struct xsd *xsd, struct xsd_txn *txn)
{
	int rc = txn->error;

	if (!rc)
		rc = xs_hash_foreach(txn->seen, check_seen, xsd);
	if (!rc)
		rc = xs_hash_foreach(txn->overlay, reserve_key, xsd);
	if (rc) {
		xs_hash_foreach(txn->overlay, drop_reserved, xsd);
		return rc == ENOMEM ? ENOMEM : EAGAIN;
	}
	xs_hash_foreach(txn->overlay, move_node, xsd);
	xs_hash_destroy(txn->overlay, NULL);	/* nodes now live or freed */
	txn->overlay = NULL;
	if (txn->count_delta)
		for (unsigned int d = 0; d <= XSD_DOMID_MAX; d++)
			xsd->entries[d] += txn->count_delta[d];
	for (size_t i = 0; i < txn->nchanges; i++)
		xsd_watch_fire(xsd, txn->changes[i].path,
			       txn->changes[i].recurse);
	return 0;
}

/* Returns 0, ENOENT (no such transaction), EAGAIN (conflict). */
int xsd_txn_end(struct xsd_conn *conn, uint32_t id, bool do_commit)
{
	struct xsd_txn **pt = &conn->txns, *txn;
	int rc = 0;

	while (*pt && (*pt)->id != id)
		pt = &(*pt)->next;
	txn = *pt;
	if (!txn)
		return ENOENT;
	*pt = txn->next;
	conn->ntxns--;
	if (do_commit)
		rc = commit(conn->xsd, txn);
	xsd_txn_free(txn);
	return rc;
}
