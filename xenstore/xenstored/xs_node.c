/*
 * xs_node.c - one node record: value, permission list, child names.
 *
 * Children are kept as NUL-terminated names back to back, which is
 * exactly the XS_DIRECTORY reply, so listing a node is one copy.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xsd.h"

struct xsd_node *xsd_node_new(void)
{
	struct xsd_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->perms = calloc(1, sizeof(*n->perms));
	if (!n->perms) {
		free(n);
		return NULL;
	}
	n->nperms = 1;		/* owner 0, no access for others */
	return n;
}

void xsd_node_free(struct xsd_node *n)
{
	if (!n)
		return;
	free(n->value);
	free(n->perms);
	free(n->children);
	free(n);
}

void xsd_node_free_v(void *n)
{
	xsd_node_free(n);
}

struct xsd_node *xsd_node_dup(const struct xsd_node *n)
{
	struct xsd_node *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	*d = *n;
	d->value = NULL;
	d->perms = NULL;
	d->children = NULL;
	if (xsd_node_set_value(d, n->value, n->value_len) ||
	    xsd_node_set_perms(d, n->perms, n->nperms))
		goto fail;
	if (n->children_len) {
		d->children = malloc(n->children_len);
		if (!d->children)
			goto fail;
		memcpy(d->children, n->children, n->children_len);
	}
	d->children_cap = n->children_len;
	return d;
fail:
	xsd_node_free(d);
	return NULL;
}

int xsd_node_set_value(struct xsd_node *n, const void *data, uint32_t len)
{
	char *v = NULL;

	if (len) {
		v = malloc(len);
		if (!v)
			return ENOMEM;
		memcpy(v, data, len);
	}
	free(n->value);
	n->value = v;
	n->value_len = len;
	return 0;
}

int xsd_node_set_perms(struct xsd_node *n, const struct xs_permissions *p,
		       uint32_t count)
{
	struct xs_permissions *np;

	if (!count)
		return EINVAL;
	np = malloc(count * sizeof(*np));
	if (!np)
		return ENOMEM;
	memcpy(np, p, count * sizeof(*np));
	free(n->perms);
	n->perms = np;
	n->nperms = count;
	return 0;
}

int xsd_node_add_child(struct xsd_node *n, const char *name)
{
	size_t len = strlen(name) + 1;

	if (n->children_len + len > n->children_cap) {
		size_t cap = n->children_cap ? n->children_cap * 2 : 64;
		char *c;

		while (cap < n->children_len + len)
			cap *= 2;
		c = realloc(n->children, cap);
		if (!c)
			return ENOMEM;
		n->children = c;
		n->children_cap = cap;
	}
	memcpy(n->children + n->children_len, name, len);
	n->children_len += len;
	return 0;
}

void xsd_node_del_child(struct xsd_node *n, const char *name)
{
	size_t off = 0;

	while (off < n->children_len) {
		char *c = n->children + off;
		size_t len = strlen(c) + 1;

		if (!strcmp(c, name)) {
			memmove(c, c + len, n->children_len - off - len);
			n->children_len -= len;
			return;
		}
		off += len;
	}
}

/*
 * Access `who` has to `n`.  Privileged callers and the owner get
 * everything; a domain that was made the target's manager (SET_TARGET)
 * acts as the owner of the target's nodes; everyone else gets their own
 * entry, or perms[0]'s default access.
 */
unsigned int xsd_perms_of(const struct xsd_node *n, const struct xsd_who *who)
{
	const unsigned int all = XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;

	if (who->priv || n->perms[0].id == who->domid)
		return all;
	if (who->target >= 0 && n->perms[0].id == (unsigned int)who->target)
		return all;
	for (uint32_t i = 1; i < n->nperms; i++)
		if (n->perms[i].id == who->domid)
			return n->perms[i].perms;
	return n->perms[0].perms;
}

static int perm_letter(char c, enum xs_perm_type *out)
{
	switch (c) {
	case 'n': *out = XS_PERM_NONE; return 0;
	case 'r': *out = XS_PERM_READ; return 0;
	case 'w': *out = XS_PERM_WRITE; return 0;
	case 'b': *out = XS_PERM_READ | XS_PERM_WRITE; return 0;
	default: return EINVAL;
	}
}

/*
 * Parse "r0\0w3\0" style lists (each entry NUL-terminated, len bytes in
 * all) into out[max].  Returns 0, EINVAL for a bad entry, E2BIG for more
 * than max entries.
 */
int xsd_perms_parse(const char *strs, size_t len, struct xs_permissions *out,
		    unsigned int max, unsigned int *count)
{
	size_t off = 0;
	unsigned int n = 0;

	while (off < len) {
		const char *s = strs + off;
		size_t l = strnlen(s, len - off);
		char *end;
		unsigned long id;

		if (l == len - off)
			return EINVAL;	/* unterminated */
		if (n == max)
			return E2BIG;
		if (l < 2 || perm_letter(s[0], &out[n].perms))
			return EINVAL;
		if (s[1] < '0' || s[1] > '9')
			return EINVAL;
		errno = 0;
		id = strtoul(s + 1, &end, 10);
		if (errno || *end || id > XSD_DOMID_MAX)
			return EINVAL;
		out[n++].id = id;
		off += l + 1;
	}
	if (!n)
		return EINVAL;
	*count = n;
	return 0;
}

/* The GET_PERMS reply: one NUL-terminated entry per permission. */
int xsd_perms_format(const struct xsd_node *n, char *buf, size_t size,
		     size_t *len)
{
	static const char letters[] = "nrwb";
	size_t off = 0;

	for (uint32_t i = 0; i < n->nperms; i++) {
		int r = snprintf(buf + off, size - off, "%c%u",
				 letters[n->perms[i].perms & 3],
				 n->perms[i].id);

		if (r < 0 || (size_t)r + 1 > size - off)
			return E2BIG;
		off += r + 1;	/* keep snprintf's NUL as the separator */
	}
	*len = off;
	return 0;
}
