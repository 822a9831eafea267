/*
 * xenstore_ls.c - `xenstore-ls [-f] [-p] [path]`: the subtree below path,
 * one node a line: indented `name = "value"`, or `/full/path = "value"`
 * with -f; -p appends the permission list in parentheses.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xenstore_client.h"

#define XSC_LS_DEPTH_MAX 1600	/* paths cannot be deeper than this */

void xsc_perms_text(const struct xs_permissions *p, unsigned int n,
		    char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < n && off + 16 < size; i++) {
		if (i)
			buf[off++] = ',';
		xs_perm_to_string(&p[i], buf + off, size - off);
		off += strlen(buf + off);
	}
}

static void print_node(struct xs_handle *h, const char *path,
		       const char *name, int depth, bool full, bool perms)
{
	unsigned int len, np;
	char *val = xs_read(h, XBT_NULL, path, &len);

	if (full)
		printf("%s", path);
	else
		printf("%*s%s", depth, "", name);
	if (val) {
		printf(" = \"");
		xsc_print_sanitised(stdout, val, len);
		printf("\"");
	} else {
		printf(": %s", strerror(errno));
	}
	free(val);
	if (perms) {
		struct xs_permissions *p = xs_get_permissions(h, XBT_NULL,
							      path, &np);
		char text[512];

		if (p) {
			xsc_perms_text(p, np, text, sizeof(text));
			printf("  (%s)", text);
		} else {
			printf("  (%s)", strerror(errno));
		}
		free(p);
	}
	printf("\n");
}

static int walk(struct xs_handle *h, const char *path, int depth, bool full,
		bool perms)
{
	unsigned int num;
	char **names = xs_directory(h, XBT_NULL, path, &num);
	int rc = 0;

	if (!names) {
		if (depth == 0) {
			fprintf(stderr, "xenstore-ls: xs_directory (%s): %s\n",
				path, strerror(errno));
			return 1;
		}
		return 0;	/* vanished or hidden meanwhile */
	}
	for (unsigned int i = 0; i < num && !rc; i++) {
		size_t l = strlen(path) + strlen(names[i]) + 2;
		char *child = malloc(l);

		if (!child) {
			rc = 1;
			break;
		}
		snprintf(child, l, "%s%s%s", path,
			 strcmp(path, "/") ? "/" : "", names[i]);
		print_node(h, child, names[i], depth, full, perms);
		if (depth < XSC_LS_DEPTH_MAX)
			rc = walk(h, child, depth + 1, full, perms);
		free(child);
	}
	free(names);
	return rc;
}

int xsc_ls(struct xs_handle *h, const char *path, bool full, bool perms)
{
	return walk(h, path, 0, full, perms);
}
