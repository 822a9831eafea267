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
 *   2. an unprivileged transaction whose new nodes would take a domain
 *      past its entry quota, now that other commits have landed: ENOSPC,
 *      and again nothing is applied;
 *   3. otherwise move every overlay node into the live tree, apply the
 *      entry-count deltas, and fire the watches the transaction queued.
 *
 * What one transaction holds is bounded for unprivileged callers: at
 * most quota.txn_nodes distinct paths in seen and overlay together (as
 * Xen's transaction-nodes quota), one queued change per path, and about
 * quota.txn_memory bytes (keys, node copies, values and names added,
 * charged as they are taken and never refunded).  Past a limit the
 * transaction fails with ENOSPC: a transaction that cannot record what
 * it read cannot prove at commit that nothing changed.
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
	txn->changed = xs_hash_create();
	txn->max_nodes = conn->who.priv ? 0 : xsd->quota.txn_nodes;
	txn->max_bytes = conn->who.priv ? 0 : xsd->quota.txn_memory;
	if (!txn->overlay || !txn->seen || !txn->changed) {
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
	xs_hash_destroy(txn->changed, NULL);
	for (size_t i = 0; i < txn->nchanges; i++)
		free(txn->changes[i].path);
	free(txn->changes);
	free(txn->deltas);
	free(txn);
}

static int txn_fail(struct xsd_txn *txn, int err)
{
	if (!txn->error)
		txn->error = err;
	return txn->error;
}

/* Bookkeeping per hash entry (entry header, a value), roughly. */
#define TXN_ENTRY_COST 48

int xsd_txn_charge(struct xsd_txn *txn, size_t bytes)
{
	if (txn->error)
		return txn->error;
	if (txn->max_bytes && txn->bytes + bytes > txn->max_bytes)
		return txn_fail(txn, ENOSPC);
	txn->bytes += bytes;
	return 0;
}

static size_t node_cost(const struct xsd_node *n)
{
	return sizeof(*n) + n->value_len + n->children_len +
	       n->nperms * sizeof(*n->perms);
}

/* A path new to both seen and overlay: one more node, if there is room. */
static int txn_touch(struct xsd_txn *txn)
{
	if (txn->max_nodes && txn->nnodes >= txn->max_nodes)
		return txn_fail(txn, ENOSPC);
	txn->nnodes++;
	return 0;
}

int xsd_txn_note_seen(struct xsd_txn *txn, const char *path,
		      const struct xsd_node *base)
{
	uint64_t *gen;

	if (txn->error)
		return txn->error;
	if (xs_hash_get(txn->seen, path))
		return 0;
	if (!xs_hash_get(txn->overlay, path) && txn_touch(txn))
		return txn->error;
	if (xsd_txn_charge(txn, strlen(path) + 1 + TXN_ENTRY_COST))
		return txn->error;
	gen = malloc(sizeof(*gen));
	if (!gen || xs_hash_put(txn->seen, path, gen, NULL)) {
		free(gen);
		return txn_fail(txn, ENOMEM);	/* cannot prove no conflict */
	}
	*gen = base ? base->gen : 0;
	return 0;
}

/* Put a node (or tombstone) into the overlay, counting a new path.  On
 * failure the caller still owns n. */
int xsd_txn_overlay_put(struct xsd_txn *txn, const char *path, size_t len,
			uint64_t hash, struct xsd_node *n, void **old)
{
	if (old)
		*old = NULL;
	if (txn->error)
		return txn->error;
	if (!xs_hash_get_hashed(txn->overlay, path, len, hash)) {
		if (!xs_hash_get_hashed(txn->seen, path, len, hash) &&
		    txn_touch(txn))
			return txn->error;
		if (xsd_txn_charge(txn, len + 1 + TXN_ENTRY_COST +
				   node_cost(n)))
			return txn->error;
	}
	if (xs_hash_put_hashed(txn->overlay, path, len, hash, n, old))
		return txn_fail(txn, ENOMEM);
	return 0;
}

/* Usually one or two domains: a short list, searched linearly. */
static struct xsd_count_delta *find_delta(struct xsd_txn *txn,
					  unsigned int domid)
{
	for (size_t i = 0; i < txn->ndeltas; i++)
		if (txn->deltas[i].domid == domid)
			return &txn->deltas[i];
	return NULL;
}

int xsd_txn_count_delta(struct xsd_txn *txn, unsigned int domid)
{
	const struct xsd_count_delta *cd = find_delta(txn, domid);

	return cd ? cd->delta : 0;
}

void xsd_txn_count_adjust(struct xsd_txn *txn, unsigned int domid, int d)
{
	struct xsd_count_delta *cd;

	if (domid > XSD_DOMID_MAX)
		return;
	cd = find_delta(txn, domid);
	if (!cd) {
		if (txn->ndeltas == txn->deltas_cap) {
			size_t cap = txn->deltas_cap ? txn->deltas_cap * 2 : 4;
			struct xsd_count_delta *n;

			if (xsd_txn_charge(txn, (cap - txn->deltas_cap) *
					   sizeof(*n)))
				return;
			n = realloc(txn->deltas, cap * sizeof(*n));
			if (!n) {
				txn_fail(txn, ENOMEM);
				return;
			}
			txn->deltas = n;
			txn->deltas_cap = cap;
		}
		cd = &txn->deltas[txn->ndeltas++];
		cd->domid = domid;
		cd->delta = 0;
	}
	cd->delta += d;
}

/* Outside a transaction, fire now; inside, queue once per path (a
 * removal anywhere in the queue makes that path's event recursive). */
void xsd_changed(struct xsd_ctx *ctx, const char *path, bool recurse)
{
	struct xsd_txn *txn = ctx->txn;
	uintptr_t idx;
	char *copy;

	if (!txn) {
		xsd_watch_fire(ctx->xsd, path, recurse);
		return;
	}
	idx = (uintptr_t)xs_hash_get(txn->changed, path);
	if (idx) {
		txn->changes[idx - 1].recurse |= recurse;
		return;
	}
	if (txn->nchanges == txn->changes_cap) {
		size_t cap = txn->changes_cap ? txn->changes_cap * 2 : 16;
		struct xsd_change *c = realloc(txn->changes, cap * sizeof(*c));

		if (!c) {
			txn_fail(txn, ENOMEM);
			return;
		}
		txn->changes = c;
		txn->changes_cap = cap;
	}
	if (xsd_txn_charge(txn, 2 * (strlen(path) + 1 + TXN_ENTRY_COST)))
		return;
	copy = strdup(path);
	if (!copy || xs_hash_put(txn->changed, path,
				 (void *)(uintptr_t)(txn->nchanges + 1), NULL)) {
		free(copy);
		txn_fail(txn, ENOMEM);
		return;
	}
	txn->changes[txn->nchanges].path = copy;
	txn->changes[txn->nchanges++].recurse = recurse;
}

/* Commit's walks use each entry's stored hash: the live table hashes
 * keys the same way, so nothing is hashed again. */
static int check_seen(const char *path, uint64_t hash, void *val, void *arg)
{
	const struct xsd *xsd = arg;
	const struct xsd_node *live =
		xs_hash_get_hashed(xsd->nodes, path, strlen(path), hash);
	uint64_t now = live ? live->gen : 0;

	return now == *(uint64_t *)val ? 0 : EAGAIN;
}

/*
 * Moving a node needs at most one hash insert; an insert of a new key
 * can fail for memory, so reserve first: every new key is put in with
 * its old (absent) state before anything is changed.
 */
static int reserve_key(const char *path, uint64_t hash, void *val, void *arg)
{
	struct xsd *xsd = arg;
	const struct xsd_node *n = val;
	size_t len = strlen(path);

	if (n->deleted || xs_hash_get_hashed(xsd->nodes, path, len, hash))
		return 0;
	return xs_hash_put_hashed(xsd->nodes, path, len, hash, NULL, NULL);
}

static int drop_reserved(const char *path, uint64_t hash, void *val,
			 void *arg)
{
	struct xsd *xsd = arg;
	size_t len = strlen(path);

	if (xs_hash_get_hashed(xsd->nodes, path, len, hash) == NULL)
		xs_hash_remove_hashed(xsd->nodes, path, len, hash);
	return 0;
}

static int move_node(const char *path, uint64_t hash, void *val, void *arg)
{
	struct xsd *xsd = arg;
	struct xsd_node *n = val;
	size_t len = strlen(path);
	void *old = NULL;

	if (n->deleted) {
		xsd_node_free(xs_hash_remove_hashed(xsd->nodes, path, len,
						    hash));
		xsd_node_free(n);
		return 0;
	}
	n->gen = ++xsd->gen;
	/* key reserved: no allocation */
	xs_hash_put_hashed(xsd->nodes, path, len, hash, n, &old);
	xsd_node_free(old);
	return 0;
}

/*
 * Each request checked the entry quota against the live count as it was
 * then; other transactions may have committed since, so check again.
 * Unprivileged callers only create nodes they own, so this is their
 * quota; Dom0's transactions are not limited.
 */
static int check_entries(const struct xsd *xsd, const struct xsd_conn *conn,
			 const struct xsd_txn *txn)
{
	if (conn->who.priv)
		return 0;
	for (size_t i = 0; i < txn->ndeltas; i++) {
		const struct xsd_count_delta *cd = &txn->deltas[i];

		if (cd->delta > 0 && (uint64_t)xsd->entries[cd->domid] +
				     cd->delta > xsd->quota.entries)
			return ENOSPC;
	}
	return 0;
}

static int commit(struct xsd_conn *conn, struct xsd_txn *txn)
{
	struct xsd *xsd = conn->xsd;
	int rc;

	if (txn->error)
		return txn->error;	/* ENOMEM or ENOSPC: nothing to apply */
	rc = xs_hash_foreach_hashed(txn->seen, check_seen, xsd);
	if (!rc)
		rc = check_entries(xsd, conn, txn);
	if (!rc)
		rc = xs_hash_foreach_hashed(txn->overlay, reserve_key, xsd);
	if (rc) {
		xs_hash_foreach_hashed(txn->overlay, drop_reserved, xsd);
		return rc;
	}
	xs_hash_foreach_hashed(txn->overlay, move_node, xsd);
	xs_hash_destroy(txn->overlay, NULL);	/* nodes now live or freed */
	txn->overlay = NULL;
	for (size_t i = 0; i < txn->ndeltas; i++)
		xsd->entries[txn->deltas[i].domid] += txn->deltas[i].delta;
	for (size_t i = 0; i < txn->nchanges; i++)
		xsd_watch_fire(xsd, txn->changes[i].path,
			       txn->changes[i].recurse);
	return 0;
}

/* Returns 0, ENOENT (no such transaction), EAGAIN (conflict), ENOSPC
 * (a quota), ENOMEM. */
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
		rc = commit(conn, txn);
	xsd_txn_free(txn);
	return rc;
}
