/*
 * xs_perms.c - the helpers Xen keeps in xs_lib.c: permission strings
 * ("r0", "b5": access letter then domain id) and sub-path tests.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xenstore.h"

bool xs_perm_to_string(const struct xs_permissions *perm, char *buffer,
		       size_t buf_len)
{
	char c;
	int r;

	switch ((int)perm->perms & (XS_PERM_READ | XS_PERM_WRITE)) {
	case XS_PERM_READ | XS_PERM_WRITE: c = 'b'; break;
	case XS_PERM_READ: c = 'r'; break;
	case XS_PERM_WRITE: c = 'w'; break;
	default: c = 'n'; break;
	}
	r = snprintf(buffer, buf_len, "%c%u", c, perm->id);
	return r > 0 && (size_t)r < buf_len;
}

bool xs_strings_to_perms(struct xs_permissions *perms, unsigned int num,
			 const char *strings)
{
	const char *p = strings;

	for (unsigned int i = 0; i < num; i++, p += strlen(p) + 1) {
		char *end;

		switch (*p) {
		case 'b': perms[i].perms = XS_PERM_READ | XS_PERM_WRITE; break;
		case 'r': perms[i].perms = XS_PERM_READ; break;
		case 'w': perms[i].perms = XS_PERM_WRITE; break;
		case 'n': perms[i].perms = XS_PERM_NONE; break;
		default:
			errno = EINVAL;
			return false;
		}
		if (p[1] < '0' || p[1] > '9') {
			errno = EINVAL;
			return false;
		}
		perms[i].id = strtoul(p + 1, &end, 10);
		if (*end) {
			errno = EINVAL;
			return false;
		}
	}
	return true;
}

bool xs_path_is_subpath(const char *parent, const char *child)
{
	size_t len = strlen(parent);

	if (len && parent[len - 1] == '/')
		len--;
	return !strncmp(parent, child, len) &&
	       (child[len] == '\0' || child[len] == '/');
}
