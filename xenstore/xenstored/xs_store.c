/*
 * xs_store.c - tree operations: read, write, mkdir, rm, set permissions.
 *
 * The tree is a hash of absolute path -> node; each node lists its
 * children's names.  Every operation takes a context naming the caller
 * (for permissions and quotas) and, inside a transaction, the
 * transaction.  All access goes through three helpers:
 *
 *   lookup()      read a node: the transaction's private copy if it has
 *                 one, else the live node (remembering its generation so
 *                 the commit can detect conflicts);
 *   node_mut()    get a writable node: live, or copied into the
 *                 transaction's overlay on first write;
 *   node_insert()/node_remove()  add or drop a node.
 *
 * So the operations below never need to know whether they run inside a
 * transaction.  Each validates everything (syntax, permissions, quotas)
 * before it changes anything.  A request costs time in proportion to
 * its path and to the nodes it creates or removes: the ancestors of a
 * path are hashed in one pass (nearest_ancestor()), never one by one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xsd.h"

struct xsd *xsd_create(const struct xsd_quota *quota)
{
	static const struct xsd_quota defaults = XSD_QUOTA_DEFAULTS;
	struct xsd *xsd = calloc(1, sizeof(*xsd));
	struct xsd_node *root = NULL;

	if (!xsd)
		return NULL;
	xsd->quota = quota ? *quota : defaults;
	xsd->next_txn_id = 1;
	xsd->nodes = xs_hash_create();
	xsd->entries = calloc(XSD_DOMID_MAX + 1, sizeof(*xsd->entries));
	root = xsd_node_new();
	if (!xsd->nodes || !xsd->entries || !root)
		goto fail;
	root->gen = ++xsd->gen;
	if (xs_hash_put(xsd->nodes, "/", root, NULL))
		goto fail;
	xsd->entries[0] = 1;
	return xsd;
fail:
	xsd_node_free(root);
	xs_hash_destroy(xsd->nodes, NULL);
	free(xsd->entries);
	free(xsd);
	return NULL;
}

void xsd_destroy(struct xsd *xsd)
{
	if (!xsd)
		return;
	while (xsd->conns)
		xsd_conn_destroy(xsd->conns);
	xsd_domain_destroy_all(xsd);
	xs_hash_destroy(xsd->nodes, xsd_node_free_v);
	free(xsd->entries);
	free(xsd);
}

unsigned int xsd_entries_of(struct xsd *xsd, unsigned int domid)
{
	return domid <= XSD_DOMID_MAX ? xsd->entries[domid] : 0;
}

/*
 * Inside a transaction, a live node looked at is recorded (absent ones
 * too) for the commit's conflict check.  NULL if absent, or if the
 * transaction has failed (its error then answers the request).
 */
const struct xsd_node *xsd_lookup(struct xsd_ctx *ctx, const char *path)
{
	struct xsd_node *n;

	if (ctx->txn) {
		n = xs_hash_get(ctx->txn->overlay, path);
		if (n)
			return n->deleted ? NULL : n;
	}
	n = xs_hash_get(ctx->xsd->nodes, path);
	if (ctx->txn && xsd_txn_note_seen(ctx->txn, path, n))
		return NULL;
	return n;
}

/* The transaction's view of path[0..len) without recording it. */
static const struct xsd_node *peek(struct xsd_ctx *ctx, const char *path,
				   size_t len, uint64_t hash)
{
	struct xsd_node *n;

	if (ctx->txn) {
		n = xs_hash_get_hashed(ctx->txn->overlay, path, len, hash);
		if (n)
			return n->deleted ? NULL : n;
	}
	return xs_hash_get_hashed(ctx->xsd->nodes, path, len, hash);
}

/*
 * Ancestors of a path: at most one per '/' and the root.  Callers keep
 * these tables on the stack (~25 KB, never recursive): a heap block that
 * size per request made the allocator consolidate its free lists each
 * time and fragmented the heap.
 */
#define ANC_MAX (XENSTORE_ABS_PATH_MAX / 2 + 1)

struct ancestors {
	size_t n;			/* ancestors; [n] is the path itself */
	size_t lens[ANC_MAX + 1];
	uint64_t hashes[ANC_MAX + 1];
};

/*
 * Hash every ancestor of path in one pass, then find the deepest that
 * exists (the root always does): index into a->lens.  Looking up each
 * prefix from scratch cost O(length^2) per request.
 */
static size_t nearest_ancestor(struct xsd_ctx *ctx, const char *path,
			       struct ancestors *a, const struct xsd_node **out)
{
	size_t i;

	a->n = xs_hash_ancestors(path, a->lens, a->hashes, ANC_MAX);
	a->lens[a->n] = strlen(path);
	a->hashes[a->n] = xs_hash_of(path, a->lens[a->n]);
	for (i = a->n; i > 0; i--) {
		*out = peek(ctx, path, a->lens[i - 1], a->hashes[i - 1]);
		if (*out)
			return i - 1;
	}
	*out = xs_hash_get(ctx->xsd->nodes, "/");
	return 0;
}

/*
 * The node at path or, if it is missing, its nearest existing ancestor;
 * nothing is recorded in a transaction.  For deciding who may learn of a
 * change to a path that may be gone: O(path length), where walking up
 * with xsd_lookup() re-hashes every prefix.
 */
const struct xsd_node *xsd_nearest(struct xsd_ctx *ctx, const char *path)
{
	struct ancestors a;
	const struct xsd_node *n, *anc;

	nearest_ancestor(ctx, path, &a, &anc);
	n = peek(ctx, path, a.lens[a.n], a.hashes[a.n]);
	return n ? n : anc;
}

/* Inside a transaction, count bytes it now holds (see xs_txn.c). */
static int charge(struct xsd_ctx *ctx, size_t bytes)
{
	return ctx->txn ? xsd_txn_charge(ctx->txn, bytes) : 0;
}

/* A writable node at path, which the caller knows exists. */
static int node_mut(struct xsd_ctx *ctx, const char *path,
		    struct xsd_node **out)
{
	size_t len = strlen(path);
	struct xsd_node *n, *copy;
	int rc;

	if (!ctx->txn) {
		n = xs_hash_get(ctx->xsd->nodes, path);
		if (!n)
			return ENOENT;
		n->gen = ++ctx->xsd->gen;
		*out = n;
		return 0;
	}
	n = xs_hash_get(ctx->txn->overlay, path);
	if (n) {
		*out = n;
		return n->deleted ? ENOENT : 0;
	}
	n = xs_hash_get(ctx->xsd->nodes, path);
	rc = xsd_txn_note_seen(ctx->txn, path, n);
	if (rc)
		return rc;
	if (!n)
		return ENOENT;
	copy = xsd_node_dup(n);
	if (!copy)
		return ENOMEM;
	rc = xsd_txn_overlay_put(ctx->txn, path, len, xs_hash_of(path, len),
				 copy, NULL);
	if (rc) {
		xsd_node_free(copy);
		return rc;
	}
	*out = copy;
	return 0;
}

/* Add node n at path[0..len), whose hash the caller has. */
static int node_insert(struct xsd_ctx *ctx, const char *path, size_t len,
		       uint64_t hash, struct xsd_node *n)
{
	void *old = NULL;
	int rc;

	if (ctx->txn) {
		rc = xsd_txn_overlay_put(ctx->txn, path, len, hash, n, &old);
	} else {
		n->gen = ++ctx->xsd->gen;
		rc = xs_hash_put_hashed(ctx->xsd->nodes, path, len, hash, n,
					&old);
	}
	xsd_node_free(old);	/* only ever a transaction tombstone */
	return rc;
}

static int node_remove(struct xsd_ctx *ctx, const char *path)
{
	size_t len = strlen(path);
	struct xsd_node *n;
	int rc;

	if (!ctx->txn) {
		xsd_node_free(xs_hash_remove(ctx->xsd->nodes, path));
		return 0;
	}
	n = xsd_node_new();
	if (!n) {
		if (!ctx->txn->error)
			ctx->txn->error = ENOMEM;	/* fail it whole */
		return ENOMEM;
	}
	n->deleted = true;
	rc = node_insert(ctx, path, len, xs_hash_of(path, len), n);
	if (rc)
		xsd_node_free(n);
	return rc;
}

static void count_adjust(struct xsd_ctx *ctx, unsigned int domid, int d)
{
	if (ctx->txn)
		xsd_txn_count_adjust(ctx->txn, domid, d);
	else if (domid <= XSD_DOMID_MAX)
		ctx->xsd->entries[domid] += d;
}

static unsigned int count_of(struct xsd_ctx *ctx, unsigned int domid)
{
	long n = xsd_entries_of(ctx->xsd, domid);

	if (ctx->txn)
		n += xsd_txn_count_delta(ctx->txn, domid);
	return n < 0 ? 0 : n;
}

static int check_perm(struct xsd_ctx *ctx, const struct xsd_node *n,
		      unsigned int want)
{
	return (xsd_perms_of(n, ctx->who) & want) == want ? 0 : EACCES;
}

/*
 * Why a node is missing, as Xen reports it: ENOENT if the caller could
 * read the nearest existing ancestor, EACCES if even that is hidden.
 * The ancestors are not recorded in a transaction: which errno a failed
 * request got does not change what the transaction would commit.
 */
static int missing_errno(struct xsd_ctx *ctx, const char *path)
{
	struct ancestors a;
	const struct xsd_node *n;

	if (ctx->txn && ctx->txn->error)
		return ctx->txn->error;
	nearest_ancestor(ctx, path, &a, &n);
	return check_perm(ctx, n, XS_PERM_READ) ? EACCES : ENOENT;
}

int xsd_read(struct xsd_ctx *ctx, const char *path,
	     const struct xsd_node **out)
{
	const struct xsd_node *n = xsd_lookup(ctx, path);
	int rc;

	if (!n)
		return missing_errno(ctx, path);
	rc = check_perm(ctx, n, XS_PERM_READ);
	if (!rc)
		*out = n;
	return rc;
}

/*
 * Create path and any missing ancestors.  The caller needs write access
 * to the deepest existing ancestor; new nodes inherit its permissions,
 * owned by the caller unless the caller is privileged.  Checks the entry
 * quota for all new nodes at once, so a refusal creates nothing.  Each
 * new node's parent is the node made just before it, so nothing is
 * looked up twice.
 */
static int create_path(struct xsd_ctx *ctx, const char *path,
		       struct xsd_node **out)
{
	char anc[XENSTORE_ABS_PATH_MAX + 1], name[XENSTORE_ABS_PATH_MAX + 1];
	struct ancestors anc_tab, *a = &anc_tab;
	const struct xsd_node *p;
	struct xs_permissions perms[64];
	struct xsd_node *pn;
	unsigned int nperms;
	size_t i;
	int rc;

	i = nearest_ancestor(ctx, path, a, &p);
	/* Record (in a transaction) the one ancestor the answer rests on. */
	memcpy(anc, path, a->lens[i]);
	anc[a->lens[i]] = '\0';
	p = xsd_lookup(ctx, anc);
	if (p)
		rc = check_perm(ctx, p, XS_PERM_WRITE);
	else	/* only a failed transaction hides an ancestor peek saw */
		rc = ctx->txn && ctx->txn->error ? ctx->txn->error : ENOENT;
	if (rc)
		return rc;
	nperms = p->nperms < 64 ? p->nperms : 64;
	memcpy(perms, p->perms, nperms * sizeof(perms[0]));
	if (!ctx->who->priv) {
		perms[0].id = ctx->who->domid;
		if (count_of(ctx, ctx->who->domid) + (a->n - i) >
		    ctx->xsd->quota.entries)
			return ENOSPC;
	}
	rc = node_mut(ctx, anc, &pn);
	/* Walk down from the ancestor, one component at a time. */
	while (!rc && i++ < a->n) {
		size_t start = a->lens[i - 1] == 1 ? 1 : a->lens[i - 1] + 1;
		struct xsd_node *n = xsd_node_new();

		memcpy(name, path + start, a->lens[i] - start);
		name[a->lens[i] - start] = '\0';
		rc = n ? xsd_node_set_perms(n, perms, nperms) : ENOMEM;
		if (!rc)
			rc = charge(ctx, a->lens[i] - start + 1);
		if (!rc)
			rc = xsd_node_add_child(pn, name);
		if (!rc)
			rc = node_insert(ctx, path, a->lens[i], a->hashes[i], n);
		if (rc) {
			xsd_node_free(n);
			break;
		}
		count_adjust(ctx, perms[0].id, 1);
		*out = pn = n;
	}
	return rc;
}

static int special_or_root(const char *path)
{
	return path[0] == '@' ? EINVAL : 0;
}

int xsd_write(struct xsd_ctx *ctx, const char *path, const void *data,
	      uint32_t len)
{
	const struct xsd_node *cur;
	struct xsd_node *n;
	int rc = special_or_root(path);

	if (rc)
		return rc;
	if (!ctx->who->priv && len > ctx->xsd->quota.entry_size)
		return ENOSPC;
	cur = xsd_lookup(ctx, path);
	if (cur) {
		rc = check_perm(ctx, cur, XS_PERM_WRITE);
		if (!rc)
			rc = node_mut(ctx, path, &n);
	} else if (ctx->txn && ctx->txn->error) {
		rc = ctx->txn->error;
	} else {
		rc = create_path(ctx, path, &n);
	}
	/* A longer value is more memory; rewriting one is not. */
	if (!rc && len > n->value_len)
		rc = charge(ctx, len - n->value_len);
	if (!rc)
		rc = xsd_node_set_value(n, data, len);
	if (!rc)
		xsd_changed(ctx, path, false);
	return rc;
}

int xsd_mkdir(struct xsd_ctx *ctx, const char *path)
{
	const struct xsd_node *cur;
	struct xsd_node *n;
	int rc = special_or_root(path);

	if (rc)
		return rc;
	cur = xsd_lookup(ctx, path);
	if (cur)
		return check_perm(ctx, cur, XS_PERM_WRITE);
	if (ctx->txn && ctx->txn->error)
		return ctx->txn->error;
	rc = create_path(ctx, path, &n);
	if (!rc)
		xsd_changed(ctx, path, false);
	return rc;
}

/* One level of a removal in progress: the node's path length in the
 * walk's buffer, and the offset of its next child name. */
struct rm_frame {
	size_t len, off;
};

/*
 * Remove path and everything below it, children before parents, with an
 * explicit stack: a recursive walk took ~3 KB of the daemon's stack per
 * level, and a chain can be 1536 levels deep; this one takes ~28 KB
 * whatever the depth.  Outside a transaction nothing in it can fail, so
 * a removal never stops half-way with names left in parents.  Inside
 * one, a failure fails the whole transaction.
 */
static int remove_subtree(struct xsd_ctx *ctx, const char *path)
{
	char buf[XENSTORE_ABS_PATH_MAX + 1];
	struct rm_frame st[ANC_MAX];
	size_t depth = 1;
	int rc = 0;

	strcpy(buf, path);
	st[0].len = strlen(path);
	st[0].off = 0;
	while (!rc && depth) {
		struct rm_frame *f = &st[depth - 1];
		const struct xsd_node *n;
		const char *name;
		size_t nl;

		buf[f->len] = '\0';
		n = xsd_lookup(ctx, buf);
		if (!n) {
			if (ctx->txn && ctx->txn->error)
				rc = ctx->txn->error;
			depth--;	/* a listed child that is not there */
			continue;
		}
		if (f->off >= n->children_len) {
			unsigned int owner = n->perms[0].id;

			rc = node_remove(ctx, buf);
			if (!rc)
				count_adjust(ctx, owner, -1);
			depth--;
			continue;
		}
		name = n->children + f->off;
		nl = strlen(name);
		f->off += nl + 1;
		if (f->len + 1 + nl > XENSTORE_ABS_PATH_MAX || depth == ANC_MAX)
			continue;	/* cannot exist: never created */
		buf[f->len] = '/';
		memcpy(buf + f->len + 1, name, nl + 1);
		st[depth].len = f->len + 1 + nl;
		st[depth++].off = 0;
	}
	return rc;
}

int xsd_rm(struct xsd_ctx *ctx, const char *path)
{
	char parent[XENSTORE_ABS_PATH_MAX + 1];
	const struct xsd_node *n;
	struct xsd_node *pn;
	int rc = special_or_root(path);

	if (rc)
		return rc;
	if (!strcmp(path, "/"))
		return EINVAL;
	xsd_path_parent(path, parent);
	n = xsd_lookup(ctx, path);
	if (!n) {
		/*
		 * Xen: removing a missing child of an existing node is OK,
		 * if the caller may read that node; else the answer would
		 * tell which hidden nodes exist.
		 */
		n = xsd_lookup(ctx, parent);
		if (n && !check_perm(ctx, n, XS_PERM_READ))
			return 0;
		return missing_errno(ctx, path);
	}
	rc = check_perm(ctx, n, XS_PERM_WRITE);
	if (rc)
		return rc;
	rc = node_mut(ctx, parent, &pn);
	if (!rc)
		rc = remove_subtree(ctx, path);
	if (rc)
		return rc;
	xsd_node_del_child(pn, xsd_path_basename(path));
	xsd_changed(ctx, path, true);
	return 0;
}

int xsd_set_perms(struct xsd_ctx *ctx, const char *path,
		  const struct xs_permissions *perms, uint32_t count)
{
	const struct xsd_node *cur;
	struct xsd_node *n;
	unsigned int old_owner;
	int rc = special_or_root(path);

	if (rc)
		return rc;
	if (!ctx->who->priv && count > ctx->xsd->quota.perms)
		return ENOSPC;
	cur = xsd_lookup(ctx, path);
	if (!cur)
		return missing_errno(ctx, path);
	rc = check_perm(ctx, cur, XS_PERM_WRITE | XS_PERM_OWNER);
	if (rc)
		return rc;
	old_owner = cur->perms[0].id;
	/* Only Dom0 may give a node away (or take one over). */
	if (!ctx->who->priv && perms[0].id != old_owner)
		return EACCES;
	rc = node_mut(ctx, path, &n);
	if (!rc)
		rc = charge(ctx, count * sizeof(*perms));
	if (!rc)
		rc = xsd_node_set_perms(n, perms, count);
	if (rc)
		return rc;
	count_adjust(ctx, old_owner, -1);
	count_adjust(ctx, perms[0].id, 1);
	xsd_changed(ctx, path, false);
	return 0;
}
