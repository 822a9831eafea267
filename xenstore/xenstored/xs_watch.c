/*
 * xs_watch.c - watches: a (path, token) pair per connection; a change at
 * or below the path queues an XS_WATCH_EVENT "path\0token\0".
 *
 * Matching, as in Xen: a write or mkdir of P fires every watch on P or an
 * ancestor of P, reporting P; removing P also fires watches below P,
 * reporting the watch's own path (that node is gone too).  Special paths
 * (@introduceDomain, @releaseDomain) match only themselves.  A watch set
 * with a relative path gets relative paths in its events.  Unprivileged
 * watchers only hear about nodes they could read, and never about the
 * special paths (their watch is accepted, as in Xen, and stays silent).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xsd.h"

static struct xsd_watch *find(struct xsd_conn *conn, const char *path,
			      const char *token, struct xsd_watch ***prev)
{
	struct xsd_watch **pw = &conn->watches;

	for (; *pw; pw = &(*pw)->next) {
		if (!strcmp((*pw)->path, path) && !strcmp((*pw)->token, token)) {
			if (prev)
				*prev = pw;
			return *pw;
		}
	}
	return NULL;
}

int xsd_watch_add(struct xsd_conn *conn, const char *path, const char *token)
{
	char abs[XENSTORE_ABS_PATH_MAX + 64];
	struct xsd_watch *w;
	int rc = xsd_path_canon(&conn->who, path, abs, sizeof(abs));

	if (rc)
		return rc;
	if (find(conn, abs, token, NULL))
		return EEXIST;
	if (!conn->who.priv && conn->nwatches >= conn->xsd->quota.watches)
		return E2BIG;
	w = calloc(1, sizeof(*w));
	if (!w)
		return ENOMEM;
	w->path = strdup(abs);
	w->token = strdup(token);
	if (!w->path || !w->token) {
		free(w->path);
		free(w->token);
		free(w);
		return ENOMEM;
	}
	w->relative = path[0] != '/' && path[0] != '@';
	w->next = conn->watches;
	conn->watches = w;
	conn->nwatches++;
	return 0;
}

static void watch_free(struct xsd_watch *w)
{
	free(w->path);
	free(w->token);
	free(w);
}

int xsd_watch_del(struct xsd_conn *conn, const char *path, const char *token)
{
	char abs[XENSTORE_ABS_PATH_MAX + 64];
	struct xsd_watch **pw = NULL, *w;
	int rc = xsd_path_canon(&conn->who, path, abs, sizeof(abs));

	if (rc)
		return rc;
	w = find(conn, abs, token, &pw);
	if (!w)
		return ENOENT;
	*pw = w->next;
	conn->nwatches--;
	watch_free(w);
	return 0;
}

void xsd_watch_clear(struct xsd_conn *conn)
{
	while (conn->watches) {
		struct xsd_watch *w = conn->watches;

		conn->watches = w->next;
		watch_free(w);
	}
	conn->nwatches = 0;
}

/* May this watcher learn that `path` changed? */
static bool may_see(struct xsd_conn *conn, const char *path)
{
	struct xsd_ctx ctx = { .xsd = conn->xsd, .who = &conn->who };
	const struct xsd_node *n;

	if (conn->who.priv)
		return true;
	/* Special paths: when other domains come and go is for the
	 * toolstack (Xen's default permissions on them, owner Dom0 and no
	 * access for others, have the same effect). */
	if (path[0] == '@')
		return false;
	/* The node, or the nearest that still exists ("/" always does),
	 * found in one pass over the path. */
	n = xsd_nearest(&ctx, path);
	return (xsd_perms_of(n, &conn->who) & XS_PERM_READ) != 0;
}

static void send_event(struct xsd_conn *conn, const struct xsd_watch *w,
		       const char *path)
{
	char home[32], buf[XENSTORE_PAYLOAD_MAX];
	size_t plen, tlen, hl;

	if (w->relative) {
		xsd_domain_home(conn->who.domid, home, sizeof(home));
		hl = strlen(home);
		if (!strncmp(path, home, hl) && path[hl] == '/')
			path += hl + 1;
	}
	plen = strlen(path) + 1;
	tlen = strlen(w->token) + 1;
	if (plen + tlen > sizeof(buf))
		return;		/* cannot happen with checked paths/tokens */
	memcpy(buf, path, plen);
	memcpy(buf + plen, w->token, tlen);
	xsd_conn_queue(conn, XS_WATCH_EVENT, 0, 0, buf, plen + tlen);
}

void xsd_watch_fire(struct xsd *xsd, const char *path, bool recurse)
{
	bool special = path[0] == '@';

	for (struct xsd_conn *c = xsd->conns; c; c = c->next) {
		if (c->dead)
			continue;
		for (struct xsd_watch *w = c->watches; w; w = w->next) {
			const char *report;

			if (special || w->path[0] == '@')
				report = strcmp(w->path, path) ? NULL : path;
			else if (xsd_path_is_below(w->path, path))
				report = path;
			else if (recurse && xsd_path_is_below(path, w->path))
				report = w->path;
			else
				report = NULL;
			if (report && may_see(c, report))
				send_event(c, w, report);
		}
	}
}

/* The event Xen sends right after a watch is set. */
void xsd_watch_initial(struct xsd_conn *conn, const char *path,
		       const char *token)
{
	struct xsd_watch w = { .path = (char *)path, .token = (char *)token };

	send_event(conn, &w, path);
}
