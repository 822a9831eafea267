/*
 * xs_path.c - path syntax.  A path is absolute ("/a/b") or relative to
 * the caller's home "/local/domain/<domid>"; special watch paths start
 * with '@'.  Allowed characters are Xen's: letters, digits and "-/_@".
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "xsd.h"

int xsd_domain_home(unsigned int domid, char *out, size_t size)
{
	int r = snprintf(out, size, "/local/domain/%u", domid);

	return (r < 0 || (size_t)r >= size) ? E2BIG : 0;
}

static bool valid_chars(const char *p)
{
	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-/_@", *p))
			return false;
	return true;
}

/*
 * Make `in` absolute in out[size] and check its syntax.  Returns 0,
 * EINVAL for a malformed path, E2BIG for one over Xen's length limits.
 * Special '@' paths are passed through; callers that do not accept them
 * check out[0].
 */
int xsd_path_canon(const struct xsd_who *who, const char *in, char *out,
		   size_t size)
{
	size_t len = strlen(in);
	char home[32];
	int r;

	if (!len || !valid_chars(in))
		return EINVAL;
	if (in[0] == '@') {
		if (len > XENSTORE_REL_PATH_MAX || len >= size)
			return E2BIG;
		memcpy(out, in, len + 1);
		return 0;
	}
	if (in[0] == '/') {
		if (len > XENSTORE_ABS_PATH_MAX || len >= size)
			return E2BIG;
		memcpy(out, in, len + 1);
	} else {
		if (len > XENSTORE_REL_PATH_MAX)
			return E2BIG;
		xsd_domain_home(who->domid, home, sizeof(home));
		r = snprintf(out, size, "%s/%s", home, in);
		if (r < 0 || (size_t)r >= size)
			return E2BIG;
		len = r;
	}
	if (strstr(out, "//") || strchr(out, '@'))
		return EINVAL;
	if (len > 1 && out[len - 1] == '/')
		return EINVAL;
	return 0;
}

/* True if child is parent itself or lies below it. */
bool xsd_path_is_below(const char *parent, const char *child)
{
	size_t len = strlen(parent);

	if (!strcmp(parent, "/"))
		return child[0] == '/';
	return !strncmp(parent, child, len) &&
	       (child[len] == '\0' || child[len] == '/');
}

const char *xsd_path_basename(const char *path)
{
	return strrchr(path, '/') + 1;
}

/* out must hold strlen(path) + 1 bytes; the parent of "/a" is "/". */
void xsd_path_parent(const char *path, char *out)
{
	size_t len = strrchr(path, '/') - path;

	if (!len)
		len = 1;
	memcpy(out, path, len);
	out[len] = '\0';
}
