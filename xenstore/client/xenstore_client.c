/*
 * xenstore_client.c - xenstore-read, -write, -ls, -rm, -exists, -list,
 * -chmod and -watch, as Xen's commands behave: one binary that picks its
 * job from its name ("xenstore-read") or its first argument
 * ("xenstore read").  Exit status: 0 success, 1 failure or bad usage.
 *
 * Commands that touch several nodes run in one transaction and retry it
 * on EAGAIN, so they act atomically, as Xen's do.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "xenstore_client.h"

enum xsc_mode { M_READ, M_WRITE, M_LS, M_RM, M_EXISTS, M_LIST, M_CHMOD,
		M_WATCH, M_COUNT };

static const struct {
	const char *name, *opts, *usage;
	int min_args;
} modes[M_COUNT] = {
	[M_READ] = { "read", "hpsR", "[-h] [-p] [-s] [-R] key [...]", 1 },
	[M_WRITE] = { "write", "hsR", "[-h] [-s] [-R] key value [...]", 2 },
	[M_LS] = { "ls", "hfps", "[-h] [-f] [-p] [-s] [path]", 0 },
	[M_RM] = { "rm", "hst", "[-h] [-s] [-t] key [...]", 1 },
	[M_EXISTS] = { "exists", "hs", "[-h] [-s] key [...]", 1 },
	[M_LIST] = { "list", "hps", "[-h] [-p] [-s] key [...]", 1 },
	[M_CHMOD] = { "chmod", "hursv", "[-h] [-u] [-r] [-s] key <mode [modes...]>", 2 },
	[M_WATCH] = { "watch", "hn:s", "[-h] [-n NR] [-s] key", 1 },
};

struct xsc {
	enum xsc_mode mode;
	const char *prog;
	bool prefix, raw, tidy, recurse, full, socket_only;
	long watch_count;
	int argc;
	char **argv;
};

static void usage(const struct xsc *c)
{
	fprintf(stderr, "Usage: %s %s\n", c->prog, modes[c->mode].usage);
	exit(1);
}

void xsc_print_sanitised(FILE *f, const char *val, unsigned int len)
{
	for (unsigned int i = 0; i < len; i++) {
		unsigned char ch = val[i];

		if (ch == '\\')
			fputs("\\\\", f);
		else if (ch < ' ' || ch > '~')
			fprintf(f, "\\%03o", ch);
		else
			fputc(ch, f);
	}
}

/* Undo xsc_print_sanitised's escapes (and C's \n, \t, \xNN) in place. */
static unsigned int unsanitise(char *s)
{
	char *out = s, *in = s;

	while (*in) {
		if (*in != '\\' || !in[1]) {
			*out++ = *in++;
			continue;
		}
		in++;
		switch (*in) {
		case 'a': *out++ = '\a'; in++; break;
		case 'b': *out++ = '\b'; in++; break;
		case 'f': *out++ = '\f'; in++; break;
		case 'n': *out++ = '\n'; in++; break;
		case 'r': *out++ = '\r'; in++; break;
		case 't': *out++ = '\t'; in++; break;
		case 'v': *out++ = '\v'; in++; break;
		case 'x': {
			unsigned int v = 0, n = 0;

			in++;
			while (n < 2 && strchr("0123456789abcdefABCDEF", *in) && *in) {
				v = v * 16 + (*in <= '9' ? *in - '0' : (*in | 0x20) - 'a' + 10);
				in++;
				n++;
			}
			*out++ = v;
			break;
		}
		default:
			if (*in >= '0' && *in <= '7') {
				unsigned int v = 0, n = 0;

				while (n < 3 && *in >= '0' && *in <= '7') {
					v = v * 8 + (*in++ - '0');
					n++;
				}
				*out++ = v;
			} else {
				*out++ = *in++;	/* "\\" and unknown escapes */
			}
		}
	}
	*out = '\0';
	return out - s;
}

static int parse_mode(const char *s, struct xs_permissions *p)
{
	char *end;

	switch (s[0]) {
	case 'n': p->perms = XS_PERM_NONE; break;
	case 'r': p->perms = XS_PERM_READ; break;
	case 'w': p->perms = XS_PERM_WRITE; break;
	case 'b': p->perms = XS_PERM_READ | XS_PERM_WRITE; break;
	default: return -1;
	}
	if (s[1] < '0' || s[1] > '9')
		return -1;
	errno = 0;
	p->id = strtoul(s + 1, &end, 10);
	return errno || *end ? -1 : 0;
}

static int set_perms_tree(struct xs_handle *h, xs_transaction_t t,
			  const char *path, struct xs_permissions *p,
			  unsigned int n, bool recurse, int depth)
{
	unsigned int num;
	char **kids;
	int rc = 0;

	if (!xs_set_permissions(h, t, path, p, n)) {
		if (errno != EAGAIN)
			fprintf(stderr, "%s: could not set permissions on %s: %s\n",
				"xenstore-chmod", path, strerror(errno));
		return -1;
	}
	if (!recurse || depth > 1600)
		return 0;
	kids = xs_directory(h, t, path, &num);
	if (!kids)
		return 0;
	for (unsigned int i = 0; i < num && !rc; i++) {
		size_t l = strlen(path) + strlen(kids[i]) + 2;
		char *child = malloc(l);

		if (!child)
			return -1;
		snprintf(child, l, "%s%s%s", path,
			 strcmp(path, "/") ? "/" : "", kids[i]);
		rc = set_perms_tree(h, t, child, p, n, true, depth + 1);
		free(child);
	}
	free(kids);
	return rc;
}

/* Remove now-empty parents of path, as -t asks. */
static int tidy_parents(struct xs_handle *h, xs_transaction_t t,
			const char *path)
{
	char *p = strdup(path), *slash;
	int rc = 0;

	while (p && (slash = strrchr(p, '/')) && slash != p) {
		unsigned int num;
		char **kids;

		*slash = '\0';
		kids = xs_directory(h, t, p, &num);
		free(kids);
		if (!kids || num)
			break;
		if (!xs_rm(h, t, p)) {
			rc = -1;
			break;
		}
	}
	free(p);
	return rc;
}

/*
 * Run the command's node operations in transaction t.  Returns 0 done,
 * 1 failed (message printed), 2 conflict (retry).
 */
static int run_ops(struct xsc *c, struct xs_handle *h, xs_transaction_t t)
{
	unsigned int len;
	char *val;

	for (int i = 0; i < c->argc; i++) {
		const char *key = c->argv[i];

		switch (c->mode) {
		case M_READ:
			val = xs_read(h, t, key, &len);
			if (!val) {
				if (errno == EAGAIN)
					return 2;
				fprintf(stderr, "%s: couldn't read path %s\n",
					c->prog, key);
				return 1;
			}
			if (c->prefix)
				printf("%s: ", key);
			if (c->raw)
				fwrite(val, 1, len, stdout);
			else
				xsc_print_sanitised(stdout, val, len);
			printf("\n");
			free(val);
			break;
		case M_WRITE:
			val = c->argv[++i];
			len = c->raw ? strlen(val) : unsanitise(val);
			if (!xs_write(h, t, key, val, len)) {
				if (errno == EAGAIN)
					return 2;
				fprintf(stderr, "%s: could not write path %s\n",
					c->prog, key);
				return 1;
			}
			break;
		case M_RM:
			if (!xs_rm(h, t, key) ||
			    (c->tidy && tidy_parents(h, t, key))) {
				if (errno == EAGAIN)
					return 2;
				fprintf(stderr, "%s: could not remove path %s\n",
					c->prog, key);
				return 1;
			}
			break;
		case M_EXISTS:
			val = xs_read(h, t, key, &len);
			if (!val)
				return errno == EAGAIN ? 2 : 1;
			free(val);
			break;
		case M_LIST: {
			unsigned int num;
			char **kids = xs_directory(h, t, key, &num);

			if (!kids) {
				if (errno == EAGAIN)
					return 2;
				fprintf(stderr, "%s: couldn't list path %s\n",
					c->prog, key);
				return 1;
			}
			for (unsigned int k = 0; k < num; k++)
				printf("%s%s%s\n", c->prefix ? key : "",
				       c->prefix ? "/" : "", kids[k]);
			free(kids);
			break;
		}
		case M_CHMOD: {
			unsigned int n = c->argc - 1;
			struct xs_permissions *p = calloc(n, sizeof(*p));

			if (!p)
				return 1;
			for (unsigned int k = 0; k < n; k++) {
				if (parse_mode(c->argv[k + 1], &p[k])) {
					fprintf(stderr, "%s: invalid permission '%s' (expected n, r, w or b then a domain id, e.g. r0)\n",
						c->prog, c->argv[k + 1]);
					free(p);
					return 1;
				}
			}
			if (set_perms_tree(h, t, key, p, n, c->recurse, 0)) {
				free(p);
				return errno == EAGAIN ? 2 : 1;
			}
			free(p);
			return 0;	/* the other arguments were modes */
		}
		default:
			return 1;
		}
	}
	return 0;
}

static int do_watch(struct xsc *c, struct xs_handle *h)
{
	for (int i = 0; i < c->argc; i++) {
		if (!xs_watch(h, c->argv[i], c->argv[i])) {
			fprintf(stderr, "%s: could not watch %s: %s\n", c->prog,
				c->argv[i], strerror(errno));
			return 1;
		}
	}
	for (long n = 0; c->watch_count < 0 || n < c->watch_count; n++) {
		unsigned int num;
		char **ev = xs_read_watch(h, &num);

		if (!ev) {
			fprintf(stderr, "%s: lost the connection to xenstored: %s\n",
				c->prog, strerror(errno));
			return 1;
		}
		printf("%s\n", ev[XS_WATCH_PATH]);
		fflush(stdout);
		free(ev);
	}
	return 0;
}

static int run(struct xsc *c, struct xs_handle *h)
{
	xs_transaction_t t;
	int r;

	if (c->mode == M_LS)
		return xsc_ls(h, c->argc ? c->argv[0] : "/", c->full,
			      c->prefix);
	if (c->mode == M_WATCH)
		return do_watch(c, h);
	for (int tries = 0; tries < 100; tries++) {
		t = xs_transaction_start(h);
		if (t == XBT_NULL) {
			fprintf(stderr, "%s: could not start a transaction: %s\n",
				c->prog, strerror(errno));
			return 1;
		}
		r = run_ops(c, h, t);
		if (r) {
			xs_transaction_end(h, t, true);
			if (r == 1)
				return 1;
			continue;
		}
		if (xs_transaction_end(h, t, false))
			return 0;
		if (errno != EAGAIN) {
			fprintf(stderr, "%s: could not commit: %s\n", c->prog,
				strerror(errno));
			return 1;
		}
	}
	fprintf(stderr, "%s: gave up after 100 conflicting retries\n", c->prog);
	return 1;
}

static void parse_args(struct xsc *c, int argc, char **argv)
{
	int opt;
	char *end;

	while ((opt = getopt(argc, argv, modes[c->mode].opts)) != -1) {
		switch (opt) {
		case 'p': c->prefix = true; break;
		case 'R': c->raw = true; break;
		case 's': c->socket_only = true; break;
		case 't': c->tidy = true; break;
		case 'r': c->recurse = true; break;
		case 'f': c->full = true; break;
		case 'u': case 'v': break;	/* accepted for compatibility */
		case 'n':
			c->watch_count = strtol(optarg, &end, 10);
			if (*end || c->watch_count < 1)
				usage(c);
			break;
		default:
			usage(c);
		}
	}
	c->argc = argc - optind;
	c->argv = argv + optind;
	if (c->argc < modes[c->mode].min_args ||
	    (c->mode == M_WRITE && c->argc % 2) ||
	    (c->mode == M_LS && c->argc > 1))
		usage(c);
}

int main(int argc, char **argv)
{
	struct xsc c = { .watch_count = -1 };
	const char *base = strrchr(argv[0], '/');
	const char *name;
	struct xs_handle *h;
	int rc;

	base = base ? base + 1 : argv[0];
	c.prog = base;
	name = !strncmp(base, "xenstore-", 9) ? base + 9 : NULL;
	if (!name) {
		if (argc < 2) {
			fprintf(stderr, "Usage: %s <mode> [-h] [...]\n", base);
			return 1;
		}
		name = argv[1];
		argv++;
		argc--;
	}
	for (c.mode = 0; c.mode < M_COUNT; c.mode++)
		if (!strcmp(modes[c.mode].name, name))
			break;
	if (c.mode == M_COUNT) {
		fprintf(stderr, "%s: unknown mode '%s' (read, write, ls, rm, exists, list, chmod, watch)\n",
			base, name);
		return 1;
	}
	parse_args(&c, argc, argv);
	h = xs_open(c.socket_only ? XS_OPEN_SOCKETONLY : 0);
	if (!h) {
		fprintf(stderr, "%s: could not connect to xenstored at %s: %s\n",
			c.prog, xs_daemon_socket(), strerror(errno));
		return 1;
	}
	rc = run(&c, h);
	xs_close(h);
	return rc;
}
