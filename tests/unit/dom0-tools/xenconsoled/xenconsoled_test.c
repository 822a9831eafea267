/*
 * xenconsoled_test.c - the core of xenconsoled (dom0-tools/xenconsoled)
 * against fakes of everything outside it: rings in test memory playing
 * a guest, a xenstore of path/value pairs, log files and ptys as byte
 * buffers, a clock the test sets. Covered: output to log and pty,
 * wraparound of the ring and of the 32-bit indexes, hostile producer
 * indexes (too far ahead, going backwards) disconnecting one domain
 * only, input flow control, the rate limit across two domains, release
 * with output pending, a domain reintroduced with the same id, and
 * Xen's log timestamps and log file naming.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <fcntl.h>
#include <unistd.h>

#include "cons.h"
#include "cons_sys.h"
#include "d0_log.h"

/* ---- the fakes -------------------------------------------------------- */

#define NDOM 4
#define BIG (256 * 1024)
#define NODES 64

struct fake_dom {
	bool live;
	struct xencons_interface ring;
	bool mapped;
	int notified;
};

struct fake_file {		/* a log or a pty master */
	char path[128];
	bool open, is_pty;
	unsigned int domid;
	char data[BIG];		/* what was written */
	size_t len, cap;	/* cap: a pty that takes no more (0: no limit) */
	char in[4096];		/* pty: what the user typed, not yet read */
	size_t in_len;
};

static struct fake_dom fdom[NDOM];
static struct fake_file files[16];
static struct { char path[96], value[64]; } nodes[NODES];
static uint64_t clock_ms;
static int watches;

#define FD0 100

static int fake_list(void *ctx, unsigned int *ids, int max)
{
	int n = 0;
	unsigned int i;

	for (i = 0; i < NDOM && n < max; i++)
		if (fdom[i].live)
			ids[n++] = i;
	return n;
}

static int fake_map(void *ctx, unsigned int domid, unsigned long ref,
		    struct xencons_interface **out)
{
	if (domid >= NDOM || ref != 1000 + domid)
		return -EINVAL;
	fdom[domid].mapped = true;
	*out = &fdom[domid].ring;
	return 0;
}

static void fake_unmap(void *ctx, unsigned int domid, struct xencons_interface *i)
{
	assert_ptr_equal(i, &fdom[domid].ring);
	fdom[domid].mapped = false;
}

static int fake_bind(void *ctx, unsigned int domid, unsigned int port)
{
	return port == 7 ? (int)(50 + domid) : -EINVAL;
}

static void fake_unbind(void *ctx, int port) {}

static void fake_notify(void *ctx, int port)
{
	fdom[port - 50].notified++;
}

static int new_file(const char *path, bool pty, unsigned int domid)
{
	int i;

	for (i = 0; i < 16; i++)
		if (!files[i].open && !files[i].path[0])
			break;
	assert_true(i < 16);
	snprintf(files[i].path, sizeof(files[i].path), "%s", path);
	files[i].open = true;
	files[i].is_pty = pty;
	files[i].domid = domid;
	return FD0 + i;
}

static int fake_open_pty(void *ctx, unsigned int domid, char *path, size_t len)
{
	snprintf(path, len, "/dev/pts/%u", domid + 10);
	return new_file(path, true, domid);
}

static int fake_open_log(void *ctx, const char *path)
{
	return new_file(path, false, 0);
}

static struct fake_file *file(int fd)
{
	assert_true(fd >= FD0 && fd < FD0 + 16);
	assert_true(files[fd - FD0].open);
	return &files[fd - FD0];
}

static ssize_t fake_read(void *ctx, int fd, void *buf, size_t len)
{
	struct fake_file *f = file(fd);

	if (!f->in_len)
		return -EAGAIN;
	if (len > f->in_len)
		len = f->in_len;
	memcpy(buf, f->in, len);
	memmove(f->in, f->in + len, f->in_len - len);
	f->in_len -= len;
	return (ssize_t)len;
}

static ssize_t fake_write(void *ctx, int fd, const void *buf, size_t len)
{
	struct fake_file *f = file(fd);
	size_t cap = f->cap ? f->cap : BIG;

	if (f->len >= cap)
		return -EAGAIN;
	if (len > cap - f->len)
		len = cap - f->len;
	memcpy(f->data + f->len, buf, len);
	f->len += len;
	return (ssize_t)len;
}

static void fake_close(void *ctx, int fd)
{
	file(fd)->open = false;
}

static uint64_t fake_now(void *ctx) { return clock_ms; }
static time_t fake_wall(void *ctx) { return 1796630400; }	/* 2026-12-07 08:00:00 UTC */

static int node_find(const char *path)
{
	int i;

	for (i = 0; i < NODES; i++)
		if (!strcmp(nodes[i].path, path))
			return i;
	return -1;
}

static void node_set(const char *path, const char *value)
{
	int i = node_find(path);

	if (i < 0)
		i = node_find("");
	assert_true(i >= 0);
	snprintf(nodes[i].path, sizeof(nodes[i].path), "%s", path);
	snprintf(nodes[i].value, sizeof(nodes[i].value), "%s", value);
}

static const char *node_get(const char *path)
{
	int i = node_find(path);

	return i < 0 ? NULL : nodes[i].value;
}

static char *fake_xs_read(void *ctx, const char *path)
{
	const char *v = node_get(path);

	return v ? strdup(v) : NULL;
}

static int fake_xs_write(void *ctx, const char *path, const char *value)
{
	node_set(path, value);
	return 0;
}

static int fake_watch(void *ctx, const char *path, const char *token)
{
	watches++;
	return 0;
}

static int fake_unwatch(void *ctx, const char *path, const char *token)
{
	watches--;
	return 0;
}

static const struct cons_ops fake_ops = {
	.list_domains = fake_list, .map_ring = fake_map, .unmap_ring = fake_unmap,
	.bind = fake_bind, .unbind = fake_unbind, .notify = fake_notify,
	.open_pty = fake_open_pty, .open_log = fake_open_log,
	.read = fake_read, .write = fake_write, .close = fake_close,
	.now_ms = fake_now, .wall = fake_wall,
	.xs_read = fake_xs_read, .xs_write = fake_xs_write,
	.xs_watch = fake_watch, .xs_unwatch = fake_unwatch,
};

static struct cons_daemon d;

static int setup(void **state)
{
	memset(fdom, 0, sizeof(fdom));
	memset(files, 0, sizeof(files));
	memset(nodes, 0, sizeof(nodes));
	clock_ms = 5000;
	watches = 0;
	cons_init(&d, &fake_ops, NULL);
	d.log = CONS_GUEST;
	snprintf(d.log_dir, sizeof(d.log_dir), "/logs");
	d0_log_set_level(D0_LOG_ERR);
	return 0;
}

static int teardown(void **state)
{
	int i;

	cons_shutdown(&d);
	assert_int_equal(watches, 0);
	for (i = 0; i < NDOM; i++)
		assert_false(fdom[i].mapped);
	for (i = 0; i < 16; i++)
		assert_false(files[i].open);
	return 0;
}

/* The toolstack's part: a live domain with its console nodes. */
static void introduce(unsigned int domid, const char *name)
{
	char p[96], v[32];

	memset(&fdom[domid].ring, 0, sizeof(fdom[domid].ring));
	fdom[domid].live = true;
	snprintf(p, sizeof(p), "/local/domain/%u/name", domid);
	node_set(p, name);
	snprintf(p, sizeof(p), "/local/domain/%u/console/ring-ref", domid);
	snprintf(v, sizeof(v), "%u", 1000 + domid);
	node_set(p, v);
	snprintf(p, sizeof(p), "/local/domain/%u/console/port", domid);
	node_set(p, "7");
	assert_int_equal(cons_watch_event(&d, "@introduceDomain", "domlist"), 0);
}

/* The guest's part: write bytes into out[] and advance out_prod. */
static size_t guest_write(unsigned int domid, const char *s, size_t n)
{
	struct xencons_interface *r = &fdom[domid].ring;
	size_t i, room = sizeof(r->out) - (r->out_prod - r->out_cons);

	if (n > room)
		n = room;
	for (i = 0; i < n; i++)
		r->out[MASK_XENCONS_IDX(r->out_prod + i, r->out)] = s[i];
	r->out_prod += (XENCONS_RING_IDX)n;
	return n;
}

/* The newest file of that name (a log is opened again on reintroduction). */
static struct fake_file *find_file(const char *path)
{
	int i;

	for (i = 15; i >= 0; i--)
		if (!strcmp(files[i].path, path))
			return &files[i];
	return NULL;
}

static struct fake_file *pty_of(unsigned int domid)
{
	struct cons_dom *dom = cons_dom_find(&d, domid);

	assert_non_null(dom);
	return file(dom->pty_fd);
}

#define assert_bytes(f, s) do { \
	assert_int_equal((f)->len, strlen(s)); \
	assert_memory_equal((f)->data, (s), strlen(s)); } while (0)

/* ---- tests ------------------------------------------------------------ */

/* The page layout is Xen's ABI (Debian's libxen-dev io/console.h). */
_Static_assert(offsetof(struct xencons_interface, out) == 1024, "out");
_Static_assert(offsetof(struct xencons_interface, in_cons) == 3072, "in_cons");
_Static_assert(offsetof(struct xencons_interface, in_prod) == 3076, "in_prod");
_Static_assert(offsetof(struct xencons_interface, out_cons) == 3080, "out_cons");
_Static_assert(offsetof(struct xencons_interface, out_prod) == 3084, "out_prod");
_Static_assert(sizeof(struct xencons_interface) == 3088, "size");

static void test_output_to_log_and_pty(void **state)
{
	struct cons_dom *dom;

	introduce(1, "web");
	dom = cons_dom_find(&d, 1);
	assert_int_equal(dom->state, CONS_CONNECTED);
	assert_string_equal(node_get("/local/domain/1/console/tty"), "/dev/pts/11");
	guest_write(1, "hello\n", 6);
	assert_int_equal(cons_service(&d), -1);
	assert_bytes(find_file("/logs/guest-web.log"), "hello\n");
	assert_bytes(pty_of(1), "hello\n");
	assert_int_equal(fdom[1].ring.out_cons, 6);
	assert_true(fdom[1].notified > 0);
}

static void test_not_ready_then_ready(void **state)
{
	fdom[2].live = true;
	node_set("/local/domain/2/name", "late");
	assert_int_equal(cons_scan(&d), 0);
	assert_int_equal(cons_dom_find(&d, 2)->state, CONS_WAITING);
	node_set("/local/domain/2/console/ring-ref", "1002");
	node_set("/local/domain/2/console/port", "7");
	assert_int_equal(cons_watch_event(&d, "/local/domain/2/console/port", "console"), 0);
	assert_int_equal(cons_dom_find(&d, 2)->state, CONS_CONNECTED);
	/* Another backend's console is left alone. */
	fdom[3].live = true;
	node_set("/local/domain/3/console/type", "ioemu");
	node_set("/local/domain/3/console/ring-ref", "1003");
	node_set("/local/domain/3/console/port", "7");
	cons_scan(&d);
	assert_int_equal(cons_dom_find(&d, 3)->state, CONS_OTHER);
	assert_false(fdom[3].mapped);
	/* Dom0 is never served here. */
	fdom[0].live = true;
	cons_scan(&d);
	assert_null(cons_dom_find(&d, 0));
}

static void test_bad_nodes(void **state)
{
	static const char *const bad[] = { "", "x", "12x", "-1", "99999999999", " 5" };
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		introduce(1, "n");
		node_set("/local/domain/1/console/ring-ref", bad[i]);
		fdom[1].live = false;
		cons_scan(&d);
		fdom[1].live = true;
		cons_scan(&d);
		assert_int_equal(cons_dom_find(&d, 1)->state, CONS_FAILED);
		assert_false(fdom[1].mapped);
		cons_scan(&d);	/* a scan does not try again */
		assert_int_equal(cons_dom_find(&d, 1)->state, CONS_FAILED);
		fdom[1].live = false;
		cons_scan(&d);
	}
	/* A ring-ref the mapper refuses: nothing stays half set up. */
	introduce(2, "m");
	node_set("/local/domain/2/console/ring-ref", "5");
	fdom[2].live = false;
	cons_scan(&d);
	fdom[2].live = true;
	cons_scan(&d);
	assert_int_equal(cons_dom_find(&d, 2)->state, CONS_FAILED);
	/* Fixed by the toolstack: the watch on console/ connects it. */
	node_set("/local/domain/2/console/ring-ref", "1002");
	cons_watch_event(&d, "/local/domain/2/console/ring-ref", "console");
	assert_int_equal(cons_dom_find(&d, 2)->state, CONS_CONNECTED);
	/* Paths that are not a console's are ignored. */
	assert_int_equal(cons_watch_event(&d, "/local/domain/2/consolex", "console"), 0);
	assert_int_equal(cons_watch_event(&d, "/local/domain/x/console", "console"), 0);
	assert_int_equal(cons_watch_event(&d, "/local/domain/9/console", "other"), 0);
}

static void test_wraparound(void **state)
{
	char msg[1500], want[3000];
	struct fake_file *log;
	size_t i;

	/* Indexes near 2^32, with data already in flight across the end. */
	fdom[1].ring.out_prod = fdom[1].ring.out_cons = 0xFFFFFC00u;
	fdom[1].live = true;
	node_set("/local/domain/1/name", "w");
	node_set("/local/domain/1/console/ring-ref", "1001");
	node_set("/local/domain/1/console/port", "7");
	cons_scan(&d);
	assert_int_equal(cons_dom_find(&d, 1)->state, CONS_CONNECTED);
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (char)('a' + i % 26);
	assert_int_equal(guest_write(1, msg, sizeof(msg)), sizeof(msg));
	cons_service(&d);
	assert_int_equal(guest_write(1, msg, sizeof(msg)), sizeof(msg));
	clock_ms += 1000;
	cons_service(&d);
	memcpy(want, msg, sizeof(msg));
	memcpy(want + sizeof(msg), msg, sizeof(msg));
	log = find_file("/logs/guest-w.log");
	assert_int_equal(log->len, 3000);
	assert_memory_equal(log->data, want, 3000);
	assert_int_equal(fdom[1].ring.out_cons, (XENCONS_RING_IDX)(0xFFFFFC00u + 3000));
}

static void test_hostile_producer(void **state)
{
	struct xencons_interface *r;

	introduce(1, "bad");
	introduce(2, "good");
	r = &fdom[1].ring;
	guest_write(1, "ok", 2);
	cons_service(&d);
	/* Too far ahead: more in flight than the ring holds. */
	r->out_prod = r->out_cons + sizeof(r->out) + 1;
	guest_write(2, "still here\n", 11);
	cons_service(&d);
	assert_int_equal(cons_dom_find(&d, 1)->state, CONS_BROKEN);
	assert_false(fdom[1].mapped);
	assert_int_equal(r->out_cons, 2);	/* nothing more taken */
	assert_bytes(find_file("/logs/guest-bad.log"), "ok");
	assert_bytes(find_file("/logs/guest-good.log"), "still here\n");
	/* Exactly a full ring is fine; going backwards is not. */
	introduce(3, "back");
	r = &fdom[3].ring;
	r->out_prod = sizeof(r->out);
	cons_service(&d);
	assert_int_equal(cons_dom_find(&d, 3)->state, CONS_CONNECTED);
	assert_int_equal(r->out_cons, sizeof(r->out));
	r->out_prod = 5;
	cons_service(&d);
	assert_int_equal(cons_dom_find(&d, 3)->state, CONS_BROKEN);
	/* A guest scribbling on out_cons does not move our position. */
	introduce(1, "again");	/* not reconnected while it lives */
	assert_int_equal(cons_dom_find(&d, 1)->state, CONS_BROKEN);
	fdom[1].live = false;
	cons_scan(&d);
	introduce(1, "again");
	r = &fdom[1].ring;
	guest_write(1, "abc", 3);
	r->out_cons = 2;
	cons_service(&d);
	assert_bytes(find_file("/logs/guest-again.log"), "abc");
	assert_int_equal(r->out_cons, 3);
}

static void test_input_flow_control(void **state)
{
	struct xencons_interface *r;
	struct fake_file *pty;
	size_t i;

	introduce(1, "in");
	r = &fdom[1].ring;
	pty = pty_of(1);
	for (i = 0; i < 1500; i++)
		pty->in[i] = (char)('A' + i % 26);
	pty->in_len = 1500;
	cons_service(&d);
	/* The ring takes 1024; the rest waits in the pty. */
	assert_int_equal(r->in_prod, 1024);
	assert_int_equal(pty->in_len, 476);
	cons_service(&d);
	assert_int_equal(r->in_prod, 1024);
	assert_int_equal(pty->in_len, 476);
	/* The guest reads 100: exactly 100 more go in, none overwritten. */
	r->in_cons = 100;
	cons_service(&d);
	assert_int_equal(r->in_prod, 1124);
	assert_int_equal(pty->in_len, 376);
	for (i = 100; i < 1124; i++)
		assert_int_equal(r->in[MASK_XENCONS_IDX(i, r->in)], (char)('A' + i % 26));
	/* A guest in_cons past our producer is an error. */
	r->in_cons = 2000;
	cons_service(&d);
	assert_int_equal(cons_dom_find(&d, 1)->state, CONS_BROKEN);
}

static void test_rate_limit_two_domains(void **state)
{
	static char flood[2048];
	struct cons_dom *a;
	int round;

	memset(flood, 'F', sizeof(flood));
	introduce(1, "flood");
	introduce(2, "quiet");
	a = cons_dom_find(&d, 1);
	/* The flooder keeps its ring full; time does not pass. */
	for (round = 0; round < 50; round++) {
		guest_write(1, flood, sizeof(flood));
		if (round % 10 == 0)
			guest_write(2, "q", 1);
		cons_service(&d);
	}
	assert_int_equal(find_file("/logs/guest-flood.log")->len, CONS_RATE_BURST);
	assert_int_equal(find_file("/logs/guest-quiet.log")->len, 5);
	assert_int_equal(a->credit, 0);
	/* It is due again when its bucket has refilled, not before. */
	assert_true(cons_service(&d) > 0);
	clock_ms += 100;
	for (round = 0; round < 5; round++) {
		guest_write(1, flood, sizeof(flood));
		cons_service(&d);
	}
	assert_int_equal(find_file("/logs/guest-flood.log")->len,
			 CONS_RATE_BURST + CONS_RATE_BYTES_PER_SEC / 10);
	/* Over a long time it gets the rate, never more. */
	for (round = 0; round < 100; round++) {
		clock_ms += 10;
		guest_write(1, flood, sizeof(flood));
		cons_service(&d);
	}
	assert_int_equal(find_file("/logs/guest-flood.log")->len,
			 CONS_RATE_BURST + CONS_RATE_BYTES_PER_SEC * 11 / 10);
}

static void test_pty_buffer_limit(void **state)
{
	static char flood[2048];
	struct cons_dom *dom;
	struct fake_file *pty;
	int round;

	memset(flood, 'x', sizeof(flood));
	introduce(1, "p");
	node_set("/local/domain/1/console/limit", "4096");
	fdom[1].live = false;
	cons_scan(&d);
	introduce(1, "p");
	dom = cons_dom_find(&d, 1);
	assert_int_equal(dom->buf_limit, 4096);
	pty = pty_of(1);
	pty->cap = 1;		/* nobody reads the pty */
	for (round = 0; round < 5; round++) {
		clock_ms += 1000;
		guest_write(1, flood, sizeof(flood));
		cons_service(&d);
	}
	/* discard: the log has it all, the pty buffer the newest 4096. */
	assert_int_equal(find_file("/logs/guest-p.log")->len, 5 * 2048);
	assert_int_equal(dom->buf_len, 4096);
	/* keep: the ring is not read while the buffer is full. */
	d.overflow_keep = true;
	guest_write(1, flood, sizeof(flood));
	clock_ms += 1000;
	assert_int_equal(cons_service(&d), 100);
	assert_int_equal(find_file("/logs/guest-p.log")->len, 5 * 2048);
	pty->cap = 0;
	cons_service(&d);
	cons_service(&d);
	assert_int_equal(find_file("/logs/guest-p.log")->len, 6 * 2048);
}

static void test_release_with_pending_output(void **state)
{
	static char flood[2048];

	memset(flood, 'r', sizeof(flood));
	introduce(1, "gone");
	/* Use up the allowance so output stays in the ring. */
	cons_dom_find(&d, 1)->credit = 0;
	guest_write(1, flood, sizeof(flood));
	cons_service(&d);
	assert_int_equal(find_file("/logs/guest-gone.log")->len, 0);
	fdom[1].live = false;
	assert_int_equal(cons_watch_event(&d, "@releaseDomain", "domlist"), 0);
	assert_null(cons_dom_find(&d, 1));
	assert_int_equal(find_file("/logs/guest-gone.log")->len, 2048);
	assert_false(find_file("/logs/guest-gone.log")->open);
	assert_false(fdom[1].mapped);
	assert_int_equal(watches, 0);
}

static void test_reintroduced_same_id(void **state)
{
	struct cons_dom *dom;

	introduce(1, "first");
	guest_write(1, "one\n", 4);
	cons_service(&d);
	fdom[1].ring.out_prod = 0xdead;	/* it dies with a broken ring */
	cons_service(&d);
	assert_int_equal(cons_dom_find(&d, 1)->state, CONS_BROKEN);
	fdom[1].live = false;
	cons_scan(&d);
	introduce(1, "second");
	dom = cons_dom_find(&d, 1);
	assert_int_equal(dom->state, CONS_CONNECTED);
	assert_int_equal(dom->out_cons, 0);
	assert_int_equal(dom->buf_len, 0);
	assert_int_equal(dom->credit, CONS_RATE_BURST * 1000ull);
	guest_write(1, "two\n", 4);
	cons_service(&d);
	assert_bytes(find_file("/logs/guest-second.log"), "two\n");
	assert_bytes(find_file("/logs/guest-first.log"), "one\n");
}

static void test_timestamps_and_names(void **state)
{
	d.timestamp = CONS_GUEST;
	introduce(1, "../etc/x");
	guest_write(1, "ab\ncd", 5);
	cons_service(&d);
	guest_write(1, "e\n", 2);
	cons_service(&d);
	assert_bytes(find_file("/logs/guest-_._etc_x.log"),
		     "[2026-12-07 08:00:00] ab\n[2026-12-07 08:00:00] cde\n");
	/* --log=none: no file at all, the pty still gets it. */
	d.log = CONS_NONE;
	introduce(2, "nolog");
	guest_write(2, "z", 1);
	cons_service(&d);
	assert_null(find_file("/logs/guest-nolog.log"));
	assert_bytes(pty_of(2), "z");
}

/* The daemon's real pty and log operations (cons_sys.c), on the host. */
static void test_sys_pty_and_log(void **state)
{
	const struct cons_ops *o = &cons_sys_ops;
	char path[64], buf[16], logp[] = "/tmp/xenconsoled-test-XXXXXX";
	int m, sl, fd, tmp;

	m = o->open_pty(NULL, 1, path, sizeof(path));
	assert_true(m >= 0);
	assert_memory_equal(path, "/dev/pts/", 9);
	sl = open(path, O_RDWR | O_NOCTTY);
	assert_true(sl >= 0);
	assert_int_equal(o->read(NULL, m, buf, sizeof(buf)), -EAGAIN);
	/* Raw: a newline goes through as it is, both ways. */
	assert_int_equal(o->write(NULL, m, "out\n", 4), 4);
	assert_int_equal(read(sl, buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "out\n", 4);
	assert_int_equal(write(sl, "in\r", 3), 3);
	assert_int_equal(o->read(NULL, m, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "in\r", 3);
	close(sl);
	/* The daemon's own slave keeps the master from reporting EIO. */
	assert_int_equal(o->write(NULL, m, "x", 1), 1);
	o->close(NULL, m);

	tmp = mkstemp(logp);
	assert_true(tmp >= 0);
	assert_int_equal(write(tmp, "old\n", 4), 4);
	close(tmp);
	fd = o->open_log(NULL, logp);
	assert_true(fd >= 0);
	assert_int_equal(o->write(NULL, fd, "new\n", 4), 4);
	o->close(NULL, fd);
	tmp = open(logp, O_RDONLY);
	assert_int_equal(read(tmp, buf, sizeof(buf)), 8);
	assert_memory_equal(buf, "old\nnew\n", 8);
	close(tmp);
	unlink(logp);
	assert_int_equal(o->open_log(NULL, "/nonexistent/dir/x.log"), -ENOENT);
	assert_true(o->now_ms(NULL) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_output_to_log_and_pty),
		T(test_not_ready_then_ready),
		T(test_bad_nodes),
		T(test_wraparound),
		T(test_hostile_producer),
		T(test_input_flow_control),
		T(test_rate_limit_two_domains),
		T(test_pty_buffer_limit),
		T(test_release_with_pending_output),
		T(test_reintroduced_same_id),
		T(test_timestamps_and_names),
		T(test_sys_pty_and_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
