/*
 * xdev_nodes.c - the node list every device kind fills: paths under one
 * directory with that directory's permissions, values owned by the list.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xdev_priv.h"

int xdev_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

int xdev_dirs(struct xdev_nodes *n, const char *kind, uint32_t domid,
	      uint32_t be_domid, uint32_t devid)
{
	int f, b;

	memset(n, 0, sizeof(*n));
	n->devid = devid;
	f = snprintf(n->frontend, sizeof(n->frontend),
		     "/local/domain/%u/device/%s/%u", domid, kind, devid);
	b = snprintf(n->backend, sizeof(n->backend),
		     "/local/domain/%u/backend/%s/%u/%u", be_domid, kind, domid, devid);
	/* Cannot happen with 32-bit numbers; kept so a longer kind name
	 * cannot silently cut a path. */
	if (f < 0 || b < 0 || (size_t)f >= sizeof(n->frontend) ||
	    (size_t)b >= sizeof(n->backend))
		return -ENAMETOOLONG;
	return 0;
}

/* Adds DIR/NAME = VALUE (DIR alone when NAME is NULL) with PERMS. */
static int add(struct xdev_nodes *n, const char *dir, const char *name,
	       const char *value, const struct xdev_perms *perms)
{
	struct xdev_node *node;
	int len;

	if (n->count == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 32;
		struct xdev_node *v = realloc(n->node, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		n->node = v;
		n->cap = cap;
	}
	node = &n->node[n->count];
	len = name ? snprintf(node->path, sizeof(node->path), "%s/%s", dir, name)
		   : snprintf(node->path, sizeof(node->path), "%s", dir);
	if (len < 0 || (size_t)len >= sizeof(node->path))
		return -ENAMETOOLONG;
	node->value = strdup(value);
	if (!node->value)
		return -ENOMEM;
	node->perms = *perms;
	n->count++;
	return 0;
}

/*
 * The frontend directory belongs to the guest, which the backend may
 * read; the backend directory to the backend's domain, which the guest
 * may read. Nodes made inside a directory take its permissions.
 */
static void side_perms(enum xdev_side side, uint32_t domid,
		       uint32_t be_domid, struct xdev_perms *p)
{
	p->owner = side == XDEV_FRONT ? domid : be_domid;
	p->others = XDEV_PERM_NONE;
	p->peer = side == XDEV_FRONT ? be_domid : domid;
	p->peer_perm = XDEV_PERM_READ;
}

int xdev_add_dir(struct xdev_nodes *n, enum xdev_side side, uint32_t domid,
		 uint32_t be_domid)
{
	struct xdev_perms p;

	side_perms(side, domid, be_domid, &p);
	return add(n, side == XDEV_FRONT ? n->frontend : n->backend, NULL, "", &p);
}

int xdev_add(struct xdev_nodes *n, enum xdev_side side, uint32_t domid,
	     uint32_t be_domid, const char *name, const char *fmt, ...)
{
	struct xdev_perms p;
	char value[XDEV_VALUE_MAX];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(value))
		return -E2BIG;
	side_perms(side, domid, be_domid, &p);
	return add(n, side == XDEV_FRONT ? n->frontend : n->backend, name, value, &p);
}

char *xdev_perms_str(const struct xdev_perms *p, char *out)
{
	snprintf(out, XDEV_PERMS_STR, "%c%u,%c%u", (char)p->others, p->owner,
		 (char)p->peer_perm, p->peer);
	return out;
}

void xdev_nodes_free(struct xdev_nodes *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->count; i++)
		free(n->node[i].value);
	free(n->node);
	n->node = NULL;
	n->count = n->cap = 0;
}
