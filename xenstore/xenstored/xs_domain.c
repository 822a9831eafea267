/*
 * xs_domain.c - the table of introduced domains.
 *
 * INTRODUCE records a domain and asks the transport (struct
 * xsd_domain_ops) to attach its store ring; RELEASE, or the hypervisor
 * reporting the domain dead (xsd_domain_check_exits), detaches and
 * forgets it.  Without a transport (--no-domain-init, unit tests) domains are
 * only recorded, which is enough for the toolstack's bookkeeping and
 * for @introduceDomain/@releaseDomain watches.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xsd.h"

struct xsd_domain *xsd_domain_find(struct xsd *xsd, unsigned int domid)
{
	for (struct xsd_domain *d = xsd->domains; d; d = d->next)
		if (d->domid == domid)
			return d;
	return NULL;
}

/* Returns 0, EEXIST (already there with another ring), ENOMEM, or the
 * transport's error. */
int xsd_domain_introduce(struct xsd *xsd, unsigned int domid,
			 unsigned long mfn, unsigned int port)
{
	struct xsd_domain *d = xsd_domain_find(xsd, domid);
	int rc = 0;

	if (d)		/* the toolstack may repeat itself, e.g. on resume */
		return d->mfn == mfn && d->port == port ? 0 : EEXIST;
	d = calloc(1, sizeof(*d));
	if (!d)
		return ENOMEM;
	d->domid = domid;
	d->mfn = mfn;
	d->port = port;
	d->target = -1;
	if (xsd->dom_ops && xsd->dom_ops->attach)
		rc = xsd->dom_ops->attach(xsd, d);
	if (rc) {
		xsd_log(0, "dom%u: cannot attach store ring (mfn %lu, port %u): error %d",
			domid, mfn, port, rc);
		free(d);
		return rc;
	}
	d->next = xsd->domains;
	xsd->domains = d;
	xsd_log(1, "dom%u: introduced", domid);
	xsd_watch_fire(xsd, "@introduceDomain", false);
	return 0;
}

static void domain_free(struct xsd *xsd, struct xsd_domain *d)
{
	/* The connection may be the one whose request got us here, so it
	 * is only marked; the main loop reaps it.  It is never read again. */
	if (d->conn) {
		d->conn->domain = NULL;
		d->conn->dead = true;
	}
	if (xsd->dom_ops && xsd->dom_ops->detach)
		xsd->dom_ops->detach(xsd, d);
	free(d);
}

/*
 * Domain ids are reused, and permissions name bare ids: whatever the
 * released domain held would pass to the next domain given its id.  So,
 * as Xen does since its advisories 322 and 419, RELEASE forgets the id:
 *
 *   - ACL entries naming it are dropped (a new domain with that id gets
 *     the default access, like any domain not listed);
 *   - the nodes it owns are removed with their subtrees (also what keeps
 *     a reboot loop from growing the store with nodes made outside the
 *     home); a node that cannot be removed (the root, or when memory runs
 *     out) is handed to Dom0 instead, and so is every one with
 *     --keep-orphans (Xen's option of that name);
 *   - managers that targeted it (SET_TARGET) lose the target;
 *   - open transactions holding a copy that names it, or that would
 *     change its entry count, fail with EAGAIN at commit, so they cannot
 *     put back what was just removed.
 *
 * Every step walks a flat table (the node hash, the connection and
 * domain lists); nothing recurses.
 */
struct forget {
	struct xsd *xsd;
	unsigned int domid;
	char **owned;		/* paths of the nodes it owned, to remove */
	size_t nowned, cap;
};

static bool names(const struct xsd_node *n, unsigned int domid)
{
	for (uint32_t i = 0; i < n->nperms; i++)
		if (n->perms[i].id == domid)
			return true;
	return false;
}

static bool drop_acl_entries(struct xsd_node *n, unsigned int domid)
{
	uint32_t j = 1;

	for (uint32_t i = 1; i < n->nperms; i++)
		if (n->perms[i].id != domid)
			n->perms[j++] = n->perms[i];
	if (j == n->nperms)
		return false;
	n->nperms = j;
	return true;
}

static void note_owned(struct forget *f, const char *path)
{
	char *copy;

	if (f->nowned == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		char **o = realloc(f->owned, cap * sizeof(*o));

		if (!o)
			return;		/* stays with Dom0: still safe */
		f->owned = o;
		f->cap = cap;
	}
	copy = strdup(path);
	if (copy)
		f->owned[f->nowned++] = copy;
}

/* Called for every live node; changes values only, never the table. */
static int forget_in_node(const char *path, void *val, void *arg)
{
	struct forget *f = arg;
	struct xsd_node *n = val;
	bool changed;

	if (!n)
		return 0;
	changed = drop_acl_entries(n, f->domid);
	if (n->perms[0].id == f->domid) {
		/* Dom0 holds it until it is removed below, so the counts
		 * stay right whatever happens there. */
		n->perms[0].id = 0;
		f->xsd->entries[f->domid]--;
		f->xsd->entries[0]++;
		note_owned(f, path);
		changed = true;
	}
	if (changed)	/* transactions that saw it now conflict */
		n->gen = ++f->xsd->gen;
	return 0;
}

static int cmp_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, a parent comes before its children, which go with it. */
static void remove_owned(struct forget *f)
{
	const struct xsd_who dom0 = { .domid = 0, .priv = true, .target = -1 };
	struct xsd_ctx ctx = { .xsd = f->xsd, .who = &dom0 };

	if (f->nowned)
		qsort(f->owned, f->nowned, sizeof(*f->owned), cmp_paths);
	for (size_t i = 0; i < f->nowned; i++) {
		if (f->xsd->keep_orphans)	/* Dom0 has them already */
			xsd_log(1, "dom%u: orphaned node %s moved to dom0",
				f->domid, f->owned[i]);
		else if (strcmp(f->owned[i], "/") &&
		    xs_hash_get(f->xsd->nodes, f->owned[i]) &&
		    xsd_rm(&ctx, f->owned[i]))
			xsd_log(1, "dom%u: cannot remove %s; Dom0 keeps it",
				f->domid, f->owned[i]);
		free(f->owned[i]);
	}
	free(f->owned);
}

static int overlay_names(const char *path, void *val, void *arg)
{
	const struct xsd_node *n = val;

	return n && names(n, *(const unsigned int *)arg);
}

static void fail_stale_txns(struct xsd *xsd, unsigned int domid)
{
	for (struct xsd_conn *c = xsd->conns; c; c = c->next)
		for (struct xsd_txn *t = c->txns; t; t = t->next)
			if (!t->error &&
			    (xsd_txn_count_delta(t, domid) ||
			     xs_hash_foreach(t->overlay, overlay_names, &domid)))
				t->error = EAGAIN;
}

static void drop_targets(struct xsd *xsd, unsigned int domid)
{
	for (struct xsd_domain *d = xsd->domains; d; d = d->next)
		if (d->target == (int)domid)
			d->target = -1;
	for (struct xsd_conn *c = xsd->conns; c; c = c->next)
		if (c->who.target == (int)domid)
			c->who.target = -1;
}

static void forget_domid(struct xsd *xsd, unsigned int domid)
{
	struct forget f = { .xsd = xsd, .domid = domid };

	fail_stale_txns(xsd, domid);
	drop_targets(xsd, domid);
	xs_hash_foreach(xsd->nodes, forget_in_node, &f);
	remove_owned(&f);
}

/* Unlink *pd and forget everything of it; @releaseDomain fires. */
static void forget_domain(struct xsd *xsd, struct xsd_domain **pd)
{
	struct xsd_domain *d = *pd;
	unsigned int domid = d->domid;

	*pd = d->next;
	domain_free(xsd, d);	/* its connection hears nothing more */
	forget_domid(xsd, domid);
	xsd_log(1, "dom%u: released", domid);
	xsd_watch_fire(xsd, "@releaseDomain", false);
}

/* Returns 0, ENOENT, or EINVAL for Dom0, which serves the store's own
 * clients and whose ring may be running this very request. */
int xsd_domain_release(struct xsd *xsd, unsigned int domid)
{
	struct xsd_domain **pd = &xsd->domains;

	if (domid == 0)
		return EINVAL;
	while (*pd && (*pd)->domid != domid)
		pd = &(*pd)->next;
	if (!*pd)
		return ENOENT;
	forget_domain(xsd, pd);
	return 0;
}

/*
 * The hypervisor raised VIRQ_DOM_EXC: some domain shut down, crashed or
 * died.  As Xen's xenstored, ask about every introduced domain: the first
 * time one is seen shut down, @releaseDomain fires (once for all of
 * them) so the toolstack looks; one that is dying or gone is forgotten
 * as RELEASE forgets it (connection, watches, transactions, its nodes
 * and counts), which fires @releaseDomain itself.  Dom0 is never asked
 * about: it serves the store.  A domain the hypervisor could not be
 * asked about is kept (Xen would drop it); the next event asks again.
 */
void xsd_domain_check_exits(struct xsd *xsd, xsd_dominfo_fn info, void *arg)
{
	struct xsd_domain **pd = &xsd->domains;
	bool notify = false;

	while (*pd) {
		struct xsd_domain *d = *pd;
		struct xsd_dominfo i = { 0 };
		int rc = d->domid ? info(arg, d->domid, &i) : EINVAL;

		if (rc || (i.exists && !i.dying)) {
			if (rc && d->domid)
				xsd_log(0, "dom%u: cannot ask the hypervisor about it: error %d",
					d->domid, rc);
			if (!rc && i.shutdown && !d->shutdown) {
				d->shutdown = true;
				notify = true;
			}
			pd = &d->next;
			continue;
		}
		xsd_log(1, "dom%u: %s", d->domid, i.exists ? "dying" : "gone");
		forget_domain(xsd, pd);		/* fires @releaseDomain */
		notify = false;
	}
	if (notify)
		xsd_watch_fire(xsd, "@releaseDomain", false);
}

int xsd_domain_set_target(struct xsd *xsd, unsigned int domid,
			  unsigned int target)
{
	struct xsd_domain *d = xsd_domain_find(xsd, domid);

	if (!d || !xsd_domain_find(xsd, target))
		return ENOENT;
	d->target = target;
	if (d->conn)
		d->conn->who.target = target;
	return 0;
}

void xsd_domain_destroy_all(struct xsd *xsd)
{
	while (xsd->domains) {
		struct xsd_domain *d = xsd->domains;

		xsd->domains = d->next;
		domain_free(xsd, d);
	}
}
