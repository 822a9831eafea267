/*
 * xenstore_lib_test.c - libxenstore against a running xenstored
 * (XENSTORED_PATH): the API, transactions with real conflicts, watches
 * through xs_fileno(), permissions as another domain, domain calls, and
 * hostile raw clients that must not disturb anyone else.
 * Prints one line per check and "N passed, N failed".
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "xenstore.h"

static int passed, failed;

#define CHECK(cond) do { \
	if (cond) { passed++; } \
	else { failed++; printf("FAIL %s:%d: %s (errno %s)\n", __FILE__, \
			       __LINE__, #cond, strerror(errno)); } \
} while (0)

static bool read_is(struct xs_handle *h, xs_transaction_t t, const char *p,
		    const char *want)
{
	unsigned int len;
	char *v = xs_read(h, t, p, &len);
	bool ok = v && len == strlen(want) && !strcmp(v, want);

	free(v);
	return ok;
}

static bool readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

static bool event_is(struct xs_handle *h, const char *path, const char *tok)
{
	unsigned int n;
	char **ev = xs_read_watch(h, &n);
	bool ok = ev && n == 2 && !strcmp(ev[XS_WATCH_PATH], path) &&
		  !strcmp(ev[XS_WATCH_TOKEN], tok);

	if (ev && !ok)
		printf("     got event %s %s\n", ev[0], ev[1]);
	free(ev);
	return ok;
}

static int raw_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", xs_daemon_socket());
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void test_basic(struct xs_handle *h)
{
	unsigned int n;
	char **d;

	CHECK(xs_write(h, XBT_NULL, "/lib/a", "1", 1));
	CHECK(xs_write(h, XBT_NULL, "/lib/b", "", 0));
	CHECK(xs_mkdir(h, XBT_NULL, "/lib/c"));
	CHECK(read_is(h, XBT_NULL, "/lib/a", "1"));
	d = xs_directory(h, XBT_NULL, "/lib", &n);
	CHECK(d && n == 3 && !strcmp(d[0], "a") && !strcmp(d[2], "c"));
	free(d);
	CHECK(xs_rm(h, XBT_NULL, "/lib/c"));
	CHECK(!xs_read(h, XBT_NULL, "/lib/c", NULL) && errno == ENOENT);
	CHECK(!xs_write(h, XBT_NULL, "/bad//path", "x", 1) && errno == EINVAL);
	{
		char *p = xs_get_domain_path(h, 9);

		CHECK(p && !strcmp(p, "/local/domain/9"));
		free(p);
	}
	CHECK(xs_path_is_subpath("/a", "/a/b") && !xs_path_is_subpath("/a", "/ab"));
}

static void test_transactions(struct xs_handle *h1, struct xs_handle *h2)
{
	xs_transaction_t t;
	int tries = 0;

	CHECK(xs_write(h1, XBT_NULL, "/tx/v", "0", 1));
	t = xs_transaction_start(h1);
	CHECK(t != XBT_NULL);
	CHECK(read_is(h1, t, "/tx/v", "0"));
	CHECK(xs_write(h1, t, "/tx/mine", "1", 1));
	CHECK(xs_write(h2, XBT_NULL, "/tx/v", "changed", 7));
	CHECK(!xs_transaction_end(h1, t, false) && errno == EAGAIN);
	CHECK(!xs_read(h2, XBT_NULL, "/tx/mine", NULL) && errno == ENOENT);
	/* The usual retry loop succeeds. */
	do {
		t = xs_transaction_start(h1);
		xs_write(h1, t, "/tx/mine", "2", 1);
		tries++;
	} while (!xs_transaction_end(h1, t, false) && errno == EAGAIN &&
		 tries < 5);
	CHECK(tries == 1 && read_is(h2, XBT_NULL, "/tx/mine", "2"));
	t = xs_transaction_start(h1);
	xs_write(h1, t, "/tx/aborted", "x", 1);
	CHECK(xs_transaction_end(h1, t, true));
	CHECK(!xs_read(h2, XBT_NULL, "/tx/aborted", NULL));
}

static void test_watches(struct xs_handle *h1, struct xs_handle *w)
{
	int fd = xs_fileno(w);
	char *v;

	CHECK(fd >= 0);
	CHECK(xs_watch(w, "/wt", "tok"));
	CHECK(readable(fd, 2000));
	CHECK(event_is(w, "/wt", "tok"));
	CHECK(!readable(fd, 0));
	CHECK(xs_write(h1, XBT_NULL, "/wt/x", "1", 1));
	CHECK(readable(fd, 2000));
	CHECK(event_is(w, "/wt/x", "tok"));
	/* An event that arrives while w waits for a reply is queued; the
	 * descriptor must still say so. */
	CHECK(xs_write(h1, XBT_NULL, "/wt/y", "1", 1));
	usleep(50000);
	v = xs_read(w, XBT_NULL, "/wt/x", NULL);
	CHECK(v != NULL);
	free(v);
	CHECK(readable(fd, 0));
	{
		char **ev = xs_check_watch(w);

		CHECK(ev && !strcmp(ev[XS_WATCH_PATH], "/wt/y"));
		free(ev);
	}
	CHECK(!readable(fd, 0));
	CHECK(!xs_check_watch(w) && errno == EAGAIN);
	CHECK(xs_unwatch(w, "/wt", "tok"));
	CHECK(!xs_unwatch(w, "/wt", "tok") && errno == ENOENT);
	CHECK(xs_write(h1, XBT_NULL, "/wt/z", "1", 1));
	CHECK(!readable(fd, 200));
}

static void test_permissions(struct xs_handle *h0)
{
	struct xs_handle *d7 = xs_open(0);
	struct xs_permissions p[2] = { { 0, XS_PERM_NONE }, { 7, XS_PERM_READ } };
	struct xs_permissions *got;
	unsigned int n;
	char *r;

	CHECK(d7 != NULL);
	if (!d7)
		return;
	CHECK(xs_write(h0, XBT_NULL, "/perm/x", "secret", 6));
	r = xs_control_command(d7, "set-domid", "7", 2);
	CHECK(r && !strcmp(r, "OK"));
	free(r);
	CHECK(!xs_read(d7, XBT_NULL, "/perm/x", NULL) && errno == EACCES);
	CHECK(xs_set_permissions(h0, XBT_NULL, "/perm/x", p, 2));
	got = xs_get_permissions(h0, XBT_NULL, "/perm/x", &n);
	CHECK(got && n == 2 && got[1].id == 7 && got[1].perms == XS_PERM_READ);
	free(got);
	CHECK(read_is(d7, XBT_NULL, "/perm/x", "secret"));
	CHECK(!xs_write(d7, XBT_NULL, "/perm/x", "mine", 4) && errno == EACCES);
	CHECK(!xs_introduce_domain(d7, 8, 1, 1) && errno == EACCES);
	/* Relative paths are under dom7's home, which it cannot create. */
	CHECK(!xs_write(d7, XBT_NULL, "data", "x", 1) && errno == EACCES);
	xs_close(d7);
}

/* xs_write_nodes: many windows of requests, values and permissions as
 * written, watch events arriving between the replies, the first failure
 * reported and no later window sent. */
static void test_write_nodes(struct xs_handle *h)
{
	static const struct xs_permissions two[2] = { { 5, XS_PERM_NONE }, { 0, XS_PERM_READ } };
	struct xs_node_write w[40];
	char paths[40][32], vals[40][16], big[5000];
	struct xs_permissions *got;
	unsigned int n;
	xs_transaction_t t;
	char **ev;
	bool all = true;

	for (unsigned int i = 0; i < 40; i++) {
		snprintf(paths[i], sizeof(paths[i]), "/batch/n%u", i);
		snprintf(vals[i], sizeof(vals[i]), "v%u", i * 7);
		w[i] = (struct xs_node_write){ paths[i], vals[i], (unsigned int)strlen(vals[i]),
					       i % 3 ? two : NULL, i % 3 ? 2 : 0 };
	}
	t = xs_transaction_start(h);
	CHECK(t != XBT_NULL);
	CHECK(xs_write_nodes(h, t, w, 40));
	CHECK(xs_transaction_end(h, t, false));
	for (unsigned int i = 0; i < 40; i++) {
		all = all && read_is(h, XBT_NULL, paths[i], vals[i]);
		got = xs_get_permissions(h, XBT_NULL, paths[i], &n);
		if (i % 3)
			all = all && got && n == 2 && got[0].id == 5 && got[1].id == 0 &&
			      got[1].perms == XS_PERM_READ;
		else	/* inherited from /batch, made by Dom0 */
			all = all && got && n == 1 && got[0].id == 0;
		free(got);
	}
	CHECK(all);

	/* outside a transaction, watched by the writer itself */
	CHECK(xs_watch(h, "/batch2", "tb"));
	CHECK(event_is(h, "/batch2", "tb"));
	for (unsigned int i = 0; i < 40; i++) {
		snprintf(paths[i], sizeof(paths[i]), "/batch2/n%u", i);
		w[i].perms = NULL;
		w[i].num_perms = 0;
	}
	CHECK(xs_write_nodes(h, XBT_NULL, w, 20));
	CHECK(read_is(h, XBT_NULL, "/batch2/n19", vals[19]));
	n = 0;
	while (readable(xs_fileno(h), 0) && (ev = xs_read_watch(h, &(unsigned int){ 0 })) != NULL) {
		n++;
		free(ev);
	}
	CHECK(n >= 20);		/* one per node, maybe more for /batch2 itself */
	CHECK(xs_unwatch(h, "/batch2", "tb"));

	/* the third node's path is bad: it fails, the last window is not sent */
	snprintf(paths[2], sizeof(paths[2]), "/batch3//bad");
	for (unsigned int i = 0; i < 40; i++)
		if (i != 2)
			snprintf(paths[i], sizeof(paths[i]), "/batch3/n%u", i);
	errno = 0;
	CHECK(!xs_write_nodes(h, XBT_NULL, w, 40) && errno == EINVAL);
	CHECK(read_is(h, XBT_NULL, "/batch3/n1", vals[1]));
	CHECK(!xs_read(h, XBT_NULL, "/batch3/n39", NULL) && errno == ENOENT);

	/* a value too large for a request: E2BIG, and the connection still works */
	memset(big, 'x', sizeof(big));
	w[0] = (struct xs_node_write){ "/batch4/big", big, sizeof(big), NULL, 0 };
	errno = 0;
	CHECK(!xs_write_nodes(h, XBT_NULL, w, 1) && errno == E2BIG);
	CHECK(!xs_read(h, XBT_NULL, "/batch4/big", NULL) && errno == ENOENT);
	CHECK(read_is(h, XBT_NULL, "/batch/n39", vals[39]));
	CHECK(xs_write_nodes(h, XBT_NULL, w, 0));
}

static void test_domains(struct xs_handle *h, struct xs_handle *w)
{
	CHECK(xs_watch(w, "@introduceDomain", "in"));
	CHECK(xs_watch(w, "@releaseDomain", "out"));
	CHECK(event_is(w, "@introduceDomain", "in"));
	CHECK(event_is(w, "@releaseDomain", "out"));
	CHECK(!xs_is_domain_introduced(h, 5));
	CHECK(xs_introduce_domain(h, 5, 1234, 3));
	CHECK(xs_is_domain_introduced(h, 5));
	CHECK(event_is(w, "@introduceDomain", "in"));
	CHECK(xs_resume_domain(h, 5));
	CHECK(xs_release_domain(h, 5));
	CHECK(event_is(w, "@releaseDomain", "out"));
	CHECK(!xs_release_domain(h, 5) && errno == ENOENT);
	CHECK(xs_reset_watches(w));
}

static void test_hostile_clients(struct xs_handle *h)
{
	struct xsd_sockmsg m;
	char buf[64];
	int fd;

	/* Over-long length: connection closed. */
	fd = raw_connect();
	m = (struct xsd_sockmsg){ XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };
	CHECK(write(fd, &m, sizeof(m)) == sizeof(m));
	CHECK(readable(fd, 2000) && read(fd, buf, sizeof(buf)) == 0);
	close(fd);

	/* Unknown type: an ENOSYS error reply. */
	fd = raw_connect();
	m = (struct xsd_sockmsg){ 77, 5, 0, 0 };
	CHECK(write(fd, &m, sizeof(m)) == sizeof(m));
	CHECK(read(fd, buf, sizeof(m) + 7) == sizeof(m) + 7);
	memcpy(&m, buf, sizeof(m));
	CHECK(m.type == XS_ERROR && m.req_id == 5 && !strcmp(buf + sizeof(m), "ENOSYS"));
	close(fd);

	/* Disconnect mid-message and mid-transaction. */
	{
		struct xs_handle *t = xs_open(0);
		xs_transaction_t tx = xs_transaction_start(t);

		CHECK(xs_write(t, tx, "/hostile/txn", "1", 1));
		xs_close(t);
		fd = raw_connect();
		m = (struct xsd_sockmsg){ XS_WRITE, 1, 0, 100 };
		CHECK(write(fd, &m, sizeof(m)) == sizeof(m));
		CHECK(write(fd, "/hostile/half\0", 14) == 14);
		close(fd);
		usleep(50000);
		CHECK(!xs_read(h, XBT_NULL, "/hostile/txn", NULL) && errno == ENOENT);
		CHECK(!xs_read(h, XBT_NULL, "/hostile/half", NULL) && errno == ENOENT);
	}

	/* A flood of requests from a client that never reads replies. */
	fd = raw_connect();
	{
		char req[sizeof(m) + 8];
		int sent = 0;

		m = (struct xsd_sockmsg){ XS_READ, 1, 0, 8 };
		memcpy(req, &m, sizeof(m));
		memcpy(req + sizeof(m), "/lib/a\0", 8);
		for (int i = 0; i < 20000; i++) {
			if (send(fd, req, sizeof(req), MSG_DONTWAIT) != sizeof(req))
				break;
			sent++;
		}
		CHECK(sent > 100);
		CHECK(read_is(h, XBT_NULL, "/lib/a", "1"));
	}
	close(fd);

	/* A flood of watches from an unprivileged client hits its quota. */
	{
		struct xs_handle *d9 = xs_open(0);
		char tok[16], *r = xs_control_command(d9, "set-domid", "9", 2);
		int ok = 0;

		free(r);
		for (int i = 0; i < 300; i++) {
			snprintf(tok, sizeof(tok), "t%d", i);
			if (!xs_watch(d9, "/", tok))
				break;
			ok++;
		}
		CHECK(ok == 128 && errno == E2BIG);
		xs_close(d9);
	}
	CHECK(read_is(h, XBT_NULL, "/lib/a", "1"));

	/* One unprivileged transaction touches at most 1024 nodes (the
	 * default quota); past it, it has failed. */
	{
		struct xs_handle *d9 = xs_open(0);
		char path[32], *r = xs_control_command(d9, "set-domid", "9", 2);
		xs_transaction_t t = xs_transaction_start(d9);
		int i, err = 0;

		free(r);
		CHECK(t != XBT_NULL);
		for (i = 0; i < 1100; i++) {
			snprintf(path, sizeof(path), "/absent/n%d", i);
			if (!xs_read(d9, t, path, NULL) && errno != EACCES) {
				err = errno;
				break;
			}
		}
		CHECK(i == 1024 && err == ENOSPC);
		CHECK(!xs_transaction_end(d9, t, false) && errno == ENOSPC);
		xs_close(d9);
	}
}

int main(void)
{
	struct xs_handle *h1 = xs_open(XS_OPEN_SOCKETONLY);
	struct xs_handle *h2 = xs_open(XS_OPEN_SOCKETONLY);
	struct xs_handle *w = xs_daemon_open();

	if (!h1 || !h2 || !w) {
		printf("cannot connect to %s: %s\n", xs_daemon_socket(),
		       strerror(errno));
		return 1;
	}
	test_basic(h1);
	test_transactions(h1, h2);
	test_watches(h1, w);
	test_permissions(h1);
	test_write_nodes(h1);
	test_domains(h1, h2);
	test_hostile_clients(h1);
	xs_close(h1);
	xs_close(h2);
	xs_daemon_close(w);
	printf("libxenstore: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
