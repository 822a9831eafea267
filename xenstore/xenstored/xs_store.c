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
 * before it changes anything.
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

const struct xsd_node *xsd_lookup(struct xsd_ctx *ctx, const char *path)
{
	struct xsd_node *n;

	if (ctx->txn) {
		n = xs_hash_get(ctx->txn->overlay, path);
		if (n)
			return n->deleted ? NULL : n;
	}
	n = xs_hash_get(ctx->xsd->nodes, path);
	if (ctx->txn)
		xsd_txn_note_seen(ctx->txn, path, n);
	return n;
}

/* A writable node at path, which the caller knows exists. */
static int node_mut(struct xsd_ctx *ctx, const char *path,
		    struct xsd_node **out)
{
	struct xsd_node *n, *copy;

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
	xsd_txn_note_seen(ctx->txn, path, n);
	if (!n)
		return ENOENT;
	copy = xsd_node_dup(n);
	if (!copy || xs_hash_put(ctx->txn->overlay, path, copy, NULL)) {
		xsd_node_free(copy);
		return ENOMEM;
	}
	*out = copy;
	return 0;
}

static int node_insert(struct xsd_ctx *ctx, const char *path,
		       struct xsd_node *n)
{
	struct xs_hash *h = ctx->txn ? ctx->txn->overlay : ctx->xsd->nodes;
	void *old = NULL;
	int rc;

	if (!ctx->txn)
		n->gen = ++ctx->xsd->gen;
	rc = xs_hash_put(h, path, n, &old);
	xsd_node_free(old);	/* only ever a transaction tombstone */
	return rc;
}

static int node_remove(struct xsd_ctx *ctx, const char *path)
{
	struct xsd_node *n;

	if (!ctx->txn) {
		xsd_node_free(xs_hash_remove(ctx->xsd->nodes, path));
		return 0;
	}
	n = xsd_node_new();
	if (!n)
		return ENOMEM;
	n->deleted = true;
	return node_insert(ctx, path, n);
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
 */
static int missing_errno(struct xsd_ctx *ctx, const char *path)
{
	char buf[XENSTORE_ABS_PATH_MAX + 1];
	const struct xsd_node *n = NULL;

	strcpy(buf, path);
	while (!n && strcmp(buf, "/")) {
		xsd_path_parent(buf, buf);
		n = xsd_lookup(ctx, buf);
	}
	if (!n)
		return ENOENT;
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
 * quota for all new nodes at once, so a refusal creates nothing.
 */
static int create_path(struct xsd_ctx *ctx, const char *path,
		       struct xsd_node **out)
{
	char anc[XENSTORE_ABS_PATH_MAX + 1];
	const struct xsd_node *p;
	struct xs_permissions perms[64];
	unsigned int missing = 1, nperms;
	size_t pos;
	int rc;

	strcpy(anc, path);
	for (;;) {
		xsd_path_parent(anc, anc);
		p = xsd_lookup(ctx, anc);
		if (p)
			break;
		missing++;
	}
	rc = check_perm(ctx, p, XS_PERM_WRITE);
	if (rc)
		return rc;
	nperms = p->nperms < 64 ? p->nperms : 64;
	memcpy(perms, p->perms, nperms * sizeof(perms[0]));
	if (!ctx->who->priv) {
		perms[0].id = ctx->who->domid;
		if (count_of(ctx, ctx->who->domid) + missing >
		    ctx->xsd->quota.entries)
			return ENOSPC;
	}

	/* Walk down from the ancestor, one component at a time. */
	pos = strcmp(anc, "/") ? strlen(anc) : 0;
	while (missing--) {
		char cur[XENSTORE_ABS_PATH_MAX + 1], parent[sizeof(cur)];
		const char *slash = strchr(path + pos + 1, '/');
		size_t end = slash ? (size_t)(slash - path) : strlen(path);
		struct xsd_node *n, *pn;

		memcpy(cur, path, end);
		cur[end] = '\0';
		xsd_path_parent(cur, parent);
		n = xsd_node_new();
		if (!n)
			return ENOMEM;
		rc = xsd_node_set_perms(n, perms, nperms);
		if (!rc)
			rc = node_mut(ctx, parent, &pn);
		if (!rc)
			rc = xsd_node_add_child(pn, xsd_path_basename(cur));
		if (!rc)
			rc = node_insert(ctx, cur, n);
		if (rc) {
			xsd_node_free(n);
			return rc;
		}
		count_adjust(ctx, perms[0].id, 1);
		*out = n;
		pos = end;
	}
	return 0;
}

static int special_or_root(const char *path)
{
	return path[0] == '@' ? EINVAL : 0;
}

int xsd_write(struct xsd_ctx *ctx, const char *path, const void *data,
	      uint32_t len)
{
	struct xsd_node *n;
	int rc = special_or_root(path);

	if (rc)
		return rc;
	if (!ctx->who->priv && len > ctx->xsd->quota.entry_size)
		return ENOSPC;
	if (xsd_lookup(ctx, path)) {
		rc = check_perm(ctx, xsd_lookup(ctx, path), XS_PERM_WRITE);
		if (!rc)
			rc = node_mut(ctx, path, &n);
	} else {
		rc = create_path(ctx, path, &n);
	}
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
	rc = create_path(ctx, path, &n);
	if (!rc)
		xsd_changed(ctx, path, false);
	return rc;
}

/* Depth is bounded by the path length limit (at most ~1500 levels). */
static int remove_subtree(struct xsd_ctx *ctx, const char *path)
{
	const struct xsd_node *n = xsd_lookup(ctx, path);
	char *names = NULL, child[XENSTORE_ABS_PATH_MAX + 2];
	size_t len, off = 0;
	unsigned int owner;
	int rc = 0;

	if (!n)
		return 0;
	len = n->children_len;
	owner = n->perms[0].id;
	if (len) {
		names = malloc(len);
		if (!names)
			return ENOMEM;
		memcpy(names, n->children, len);
	}
	while (!rc && off < len) {
		const char *name = names + off;
		size_t pl = strcmp(path, "/") ? strlen(path) : 0;

		off += strlen(name) + 1;
		if (pl + 1 + strlen(name) > XENSTORE_ABS_PATH_MAX)
			continue;	/* cannot exist: never created */
		memcpy(child, path, pl);
		child[pl] = '/';
		strcpy(child + pl + 1, name);
		rc = remove_subtree(ctx, child);
	}
	free(names);
	if (!rc)
		rc = node_remove(ctx, path);
	if (!rc)
		count_adjust(ctx, owner, -1);
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
		rc = xsd_node_set_perms(n, perms, count);
	if (rc)
		return rc;
	count_adjust(ctx, old_owner, -1);
	count_adjust(ctx, perms[0].id, 1);
	xsd_changed(ctx, path, false);
	return 0;
}
