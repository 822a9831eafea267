/*
 * xl_fake.c - the fake xenstore and the output capture xl's unit tests
 * share (xl_fake.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "xl_fake.h"

struct xs_fake_node xs_fake_nodes[XS_FAKE_MAX];
unsigned int xs_fake_nr;

void xs_fake_reset(void)
{
	xs_fake_nr = 0;
}

struct xs_fake_node *xs_fake_find(const char *path)
{
	for (unsigned int i = 0; i < xs_fake_nr; i++)
		if (!strcmp(xs_fake_nodes[i].path, path))
			return &xs_fake_nodes[i];
	return NULL;
}

const char *xs_fake_get(const char *path)
{
	struct xs_fake_node *n = xs_fake_find(path);

	return n ? n->val : NULL;
}

struct xs_fake_node *xs_fake_put(const char *path, const char *val)
{
	struct xs_fake_node *n = xs_fake_find(path);

	if (!n) {
		assert_true(xs_fake_nr < XS_FAKE_MAX);
		n = &xs_fake_nodes[xs_fake_nr++];
		memset(n, 0, sizeof(*n));
		snprintf(n->path, sizeof(n->path), "%s", path);
		strcpy(n->perms, "n0");
	}
	snprintf(n->val, sizeof(n->val), "%s", val);
	return n;
}

void xs_fake_remove(const char *path)
{
	size_t len = strlen(path);

	for (unsigned int i = 0; i < xs_fake_nr;) {
		const char *p = xs_fake_nodes[i].path;

		if (!strncmp(p, path, len) && (p[len] == '\0' || p[len] == '/'))
			xs_fake_nodes[i] = xs_fake_nodes[--xs_fake_nr];
		else
			i++;
	}
}

int xs_fake_read(void *p, const char *path, char **val)
{
	const char *v = xs_fake_get(path);

	(void)p;
	if (!v)
		return -ENOENT;
	*val = strdup(v);
	return 0;
}

int xs_fake_write(void *p, const char *path, const char *val)
{
	(void)p;
	xs_fake_put(path, val);
	return 0;
}

int xs_fake_rm(void *p, const char *path)
{
	(void)p;
	xs_fake_remove(path);
	return 0;
}

/* The names of path's children (first components below it), once each. */
int xs_fake_dir(void *p, const char *path, char ***names, unsigned int *n)
{
	static char store[64][16];
	size_t l = strlen(path);
	unsigned int k = 0;

	(void)p;
	for (unsigned int i = 0; i < xs_fake_nr; i++) {
		const char *rest = xs_fake_nodes[i].path + l;
		char child[16];
		bool dup = false;

		if (strncmp(xs_fake_nodes[i].path, path, l) || *rest != '/')
			continue;
		snprintf(child, sizeof(child), "%.*s", (int)strcspn(rest + 1, "/"), rest + 1);
		for (unsigned int j = 0; j < k; j++)
			dup |= !strcmp(store[j], child);
		if (!dup && k < 64)
			strcpy(store[k++], child);
	}
	if (k == 0)
		return -ENOENT;
	*names = malloc(sizeof(char *) * k);
	for (unsigned int j = 0; j < k; j++)
		(*names)[j] = store[j];
	*n = k;
	return 0;
}

char *out_buf, *err_buf;
size_t out_len, err_len;

void xl_fake_free_output(void)
{
	free(out_buf);
	free(err_buf);
	out_buf = err_buf = NULL;
}

int xl_fake_run(struct xl_ctx ctx, int (*fn)(struct xl_ctx *, int, char **), int argc, char **argv)
{
	int r;

	xl_fake_free_output();
	ctx.out = open_memstream(&out_buf, &out_len);
	ctx.err = open_memstream(&err_buf, &err_len);
	optind = 0;	/* getopt starts afresh */
	if (!fn && !strcmp(argv[0], "help")) {
		fn = main_help;
	} else if (!fn) {
		const struct xl_cmd *cmd = xl_cmd_find(argv[0]);

		assert_non_null(cmd);
		fn = cmd->fn;
	}
	r = fn(&ctx, argc, argv);
	fclose(ctx.out);
	fclose(ctx.err);
	return r;
}

int xl_fake_vrun(struct xl_ctx ctx, int (*fn)(struct xl_ctx *, int, char **), const char *first,
		 va_list ap)
{
	char *argv[32];
	int argc = 0;

	for (const char *a = first; a; a = va_arg(ap, const char *)) {
		assert_true(argc < 31);
		argv[argc++] = (char *)a;
	}
	argv[argc] = NULL;
	return xl_fake_run(ctx, fn, argc, argv);
}
