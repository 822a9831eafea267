/*
 * xenstore_quota_test.c - quotas for unprivileged domains: entries,
 * node size, watches, transactions, permission lists, outstanding
 * replies, watch-event floods, nodes one transaction touches, and
 * entries re-checked at commit.  Dom0 is exempt.
 */
#include "xenstore_test_util.h"

/* ASan's count of live heap bytes (the unit tests always run under it). */
size_t __sanitizer_get_current_allocated_bytes(void);

static int setup(void **state)
{
	struct xsd_quota q = { .entries = 5, .entry_size = 16, .watches = 2,
			       .transactions = 2, .outstanding = 3,
			       .watch_events = 4, .perms = 3,
			       .txn_nodes = 16, .txn_memory = 8192 };
	struct xsd *xsd = xsd_create(&q);
	struct t_conn *d0;

	if (!xsd)
		return -1;
	/* Dom1's home, writable by dom1. */
	d0 = t_connect(xsd, 0);
	t_mkdir(d0, 0, "/local/domain/1");
	t_strs(d0, XS_SET_PERMS, 0, 2, "/local/domain/1", "n1");
	t_mkdir(d0, 0, "/local/domain/2");
	t_strs(d0, XS_SET_PERMS, 0, 2, "/local/domain/2", "n2");
	t_disconnect(d0);
	*state = xsd;
	return 0;
}

static int teardown(void **state)
{
	xsd_destroy(*state);
	return 0;
}

static void test_entries(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *d1 = t_connect(xsd, 1), *d0 = t_connect(xsd, 0);

	assert_int_equal(xsd_entries_of(xsd, 1), 1);	/* its home */
	assert_string_equal(t_write(d1, 0, "a", "1"), "OK");
	assert_string_equal(t_write(d1, 0, "b", "1"), "OK");
	/* Three new nodes would make 6 > 5: all refused, none created. */
	assert_string_equal(t_write(d1, 0, "c/d/e", "1"), "ENOSPC");
	assert_string_equal(t_read(d1, 0, "c"), "ENOENT");
	assert_int_equal(xsd_entries_of(xsd, 1), 3);
	assert_string_equal(t_write(d1, 0, "c/d", "1"), "OK");
	assert_string_equal(t_write(d1, 0, "f", "1"), "ENOSPC");
	/* Overwriting is not a new entry; removal frees entries. */
	assert_string_equal(t_write(d1, 0, "a", "2"), "OK");
	assert_string_equal(t_rm(d1, 0, "c"), "OK");
	assert_string_equal(t_write(d1, 0, "f", "1"), "OK");
	/* Dom0 is not limited. */
	for (int i = 0; i < 20; i++) {
		char p[32];

		snprintf(p, sizeof(p), "/dom0/n%d", i);
		assert_string_equal(t_write(d0, 0, p, "x"), "OK");
	}
	t_disconnect(d1);
	t_disconnect(d0);
}

static void test_entries_in_transaction(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *d1 = t_connect(xsd, 1);
	uint32_t tx = t_txn_start(d1);

	assert_string_equal(t_write(d1, tx, "a", "1"), "OK");
	assert_string_equal(t_write(d1, tx, "b", "1"), "OK");
	assert_string_equal(t_write(d1, tx, "c", "1"), "OK");
	assert_string_equal(t_write(d1, tx, "d", "1"), "OK");
	assert_string_equal(t_write(d1, tx, "e", "1"), "ENOSPC");
	assert_string_equal(t_txn_end(d1, tx, true), "OK");
	assert_int_equal(xsd_entries_of(xsd, 1), 5);
	t_disconnect(d1);
}

static void test_entry_size(void **state)
{
	struct t_conn *d1 = t_connect(*state, 1), *d0 = t_connect(*state, 0);

	assert_string_equal(t_write(d1, 0, "s", "0123456789abcdef"), "OK");
	assert_string_equal(t_write(d1, 0, "s", "0123456789abcdefg"), "ENOSPC");
	assert_string_equal(t_read(d1, 0, "s"), "0123456789abcdef");
	assert_string_equal(t_write(d0, 0, "/big", "0123456789abcdefghijklmnop"), "OK");
	t_disconnect(d1);
	t_disconnect(d0);
}

static void test_watches_transactions_perms(void **state)
{
	struct t_conn *d1 = t_connect(*state, 1);

	assert_string_equal(t_watch(d1, "w1", "t"), "OK");
	assert_string_equal(t_watch(d1, "w2", "t"), "OK");
	assert_string_equal(t_watch(d1, "w3", "t"), "E2BIG");
	assert_true(t_txn_start(d1) != 0);
	assert_true(t_txn_start(d1) != 0);
	assert_string_equal(t_strs(d1, XS_TRANSACTION_START, 0, 1, ""), "ENOSPC");
	t_write(d1, 0, "p", "");
	assert_string_equal(t_strs(d1, XS_SET_PERMS, 0, 4, "p", "n1", "r2", "r3"), "OK");
	assert_string_equal(t_strs(d1, XS_SET_PERMS, 0, 5, "p", "n1", "r2", "r3", "r4"), "ENOSPC");
	t_disconnect(d1);
}

/*
 * A client that stops reading: after `outstanding` unsent replies the
 * daemon stops taking its requests, and other clients carry on.
 */
static void test_outstanding(void **state)
{
	struct t_conn *slow = t_connect(*state, 1), *ok = t_connect(*state, 1);
	struct xsd_sockmsg h = { XS_READ, 1, 0, 2 };
	char msg[sizeof(h) + 2];

	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), "a", 2);
	slow->out_cap = 1;	/* the client's receive buffer is full */
	for (int i = 0; i < 10; i++) {
		memcpy(slow->in + slow->in_len, msg, sizeof(msg));
		slow->in_len += sizeof(msg);
	}
	xsd_conn_input(slow->conn);
	xsd_conn_flush(slow->conn);
	assert_int_equal(slow->conn->out_replies, 3);
	assert_false(xsd_conn_wants_input(slow->conn));
	assert_int_equal(slow->in_off, 3 * sizeof(msg));
	assert_string_equal(t_write(ok, 0, "x", "fine"), "OK");
	/* Once it reads again, the rest is served. */
	slow->out_cap = 0;
	for (int i = 0; i < 10 && slow->in_off < slow->in_len; i++) {
		xsd_conn_flush(slow->conn);
		xsd_conn_input(slow->conn);
	}
	xsd_conn_flush(slow->conn);
	assert_int_equal(slow->in_off, slow->in_len);
	assert_int_equal(slow->conn->out_replies, 0);
	t_disconnect(slow);
	t_disconnect(ok);
}

static void test_watch_event_flood(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *w = t_connect(xsd, 0), *c = t_connect(xsd, 0);

	t_watch(w, "/flood", "t");
	t_event(w);
	w->out_cap = 1;		/* not reading */
	for (int i = 0; i < 50; i++) {
		char p[32];	/* distinct: identical events queue once */

		snprintf(p, sizeof(p), "/flood/%d", i);
		assert_string_equal(t_write(c, 0, p, "x"), "OK");
	}
	assert_int_equal(w->conn->out_events, 4);
	assert_int_equal(w->conn->dropped_events, 46);
	assert_false(w->conn->dead);
	t_disconnect(w);
	t_disconnect(c);
}

struct unseen {
	struct xsd_txn *txn;
	size_t n;
};

static int count_unseen(const char *path, void *val, void *arg)
{
	struct unseen *u = arg;

	if (!xs_hash_get(u->txn->seen, path))
		u->n++;
	return 0;
}

/* Distinct nodes the transaction has looked at or changed. */
static size_t txn_nodes(struct t_conn *t, uint32_t tx)
{
	struct unseen u = { xsd_txn_find(t->conn, tx), 0 };

	assert_non_null(u.txn);
	xs_hash_foreach(u.txn->overlay, count_unseen, &u);
	return xs_hash_count(u.txn->seen) + u.n;
}

/*
 * One transaction may touch at most txn_nodes distinct nodes; reads of
 * missing nodes count (they are recorded for the commit's conflict
 * check), but the ancestors looked at only to choose ENOENT or EACCES
 * do not.  Past the limit: ENOSPC, and the transaction has failed.
 */
static void test_txn_nodes_reads(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *d1 = t_connect(xsd, 1), *d0 = t_connect(xsd, 0);
	uint32_t tx = t_txn_start(d1);
	char p[64];

	for (int i = 0; i < 16; i++) {
		snprintf(p, sizeof(p), "/q%d/a/b/c", i);
		assert_string_equal(t_read(d1, tx, p), "EACCES");
		assert_true(xs_hash_count(xsd_txn_find(d1->conn, tx)->seen) <= 16);
	}
	assert_string_equal(t_read(d1, tx, "/q16/a/b/c"), "ENOSPC");
	assert_true(xs_hash_count(xsd_txn_find(d1->conn, tx)->seen) <= 16);
	/* The transaction has failed: everything in it, and its commit. */
	assert_string_equal(t_read(d1, tx, "/q0/a/b/c"), "ENOSPC");
	assert_string_equal(t_write(d1, tx, "a", "1"), "ENOSPC");
	assert_string_equal(t_txn_end(d1, tx, true), "ENOSPC");
	assert_string_equal(t_read(d1, 0, "a"), "ENOENT");
	/* A new one starts afresh. */
	tx = t_txn_start(d1);
	assert_string_equal(t_read(d1, tx, "m"), "ENOENT");
	assert_string_equal(t_txn_end(d1, tx, true), "OK");
	/* Dom0 is not limited. */
	tx = t_txn_start(d0);
	for (int i = 0; i < 40; i++) {
		snprintf(p, sizeof(p), "/q%d", i);
		assert_string_equal(t_read(d0, tx, p), "ENOENT");
	}
	assert_string_equal(t_txn_end(d0, tx, true), "OK");
	t_disconnect(d1);
	t_disconnect(d0);
}

/* Rewriting one node many times is one change, one node. */
static void test_txn_rewrites(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *d1 = t_connect(xsd, 1), *w = t_connect(xsd, 0);
	uint32_t tx;

	t_watch(w, "/local/domain/1/v", "t");
	assert_string_equal(t_event(w), "/local/domain/1/v t");
	tx = t_txn_start(d1);
	for (int i = 0; i < 10000; i++)
		assert_string_equal(t_write(d1, tx, "v", i & 1 ? "a" : "b"), "OK");
	assert_int_equal(xsd_txn_find(d1->conn, tx)->nchanges, 1);
	assert_true(txn_nodes(d1, tx) <= 16);
	assert_string_equal(t_txn_end(d1, tx, true), "OK");
	assert_string_equal(t_read(d1, 0, "v"), "a");
	/* One event for the node, not one per write. */
	assert_string_equal(t_event(w), "/local/domain/1/v t");
	t_no_event(w);
	t_disconnect(d1);
	t_disconnect(w);
}

/* Creating and removing distinct nodes: the entry count stays low, but
 * every node touched (tombstones included) counts. */
static void test_txn_create_remove(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *d1 = t_connect(xsd, 1);
	uint32_t tx = t_txn_start(d1);
	const char *r = "OK";
	char p[32];
	int i;

	for (i = 0; i < 40 && !strcmp(r, "OK"); i++) {
		snprintf(p, sizeof(p), "n%d", i);
		r = t_write(d1, tx, p, "x");
		if (!strcmp(r, "OK"))
			r = t_rm(d1, tx, p);
		assert_true(txn_nodes(d1, tx) <= 16);
	}
	assert_string_equal(r, "ENOSPC");
	assert_true(i <= 16);
	assert_string_equal(t_txn_end(d1, tx, true), "ENOSPC");
	assert_int_equal(xsd_entries_of(xsd, 1), 1);
	t_disconnect(d1);
}

/*
 * Entries are checked again at commit: two transactions that each fit
 * the quota must not both land when together they exceed it.
 */
static void test_entries_at_commit(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *d1 = t_connect(xsd, 1), *d0 = t_connect(xsd, 0);
	uint32_t ta, tb;

	/* Two parents dom1 may write to but does not own. */
	t_mkdir(d0, 0, "/pa");
	t_mkdir(d0, 0, "/pb");
	assert_string_equal(t_strs(d0, XS_SET_PERMS, 0, 3, "/pa", "n0", "w1"), "OK");
	assert_string_equal(t_strs(d0, XS_SET_PERMS, 0, 3, "/pb", "n0", "w1"), "OK");
	ta = t_txn_start(d1);
	tb = t_txn_start(d1);
	assert_string_equal(t_write(d1, ta, "/pa/x1", "1"), "OK");
	assert_string_equal(t_write(d1, ta, "/pa/x2", "1"), "OK");
	assert_string_equal(t_write(d1, ta, "/pa/x3", "1"), "OK");
	assert_string_equal(t_write(d1, tb, "/pb/y1", "1"), "OK");
	assert_string_equal(t_write(d1, tb, "/pb/y2", "1"), "OK");
	assert_string_equal(t_write(d1, tb, "/pb/y3", "1"), "OK");
	assert_string_equal(t_txn_end(d1, ta, true), "OK");
	assert_int_equal(xsd_entries_of(xsd, 1), 4);
	assert_string_equal(t_txn_end(d1, tb, true), "ENOSPC");
	assert_int_equal(xsd_entries_of(xsd, 1), 4);
	assert_string_equal(t_read(d0, 0, "/pb/y1"), "ENOENT");
	assert_string_equal(t_dir(d0, 0, "/pb"), "");
	/* Dom0 commits are not limited. */
	ta = t_txn_start(d0);
	for (int i = 0; i < 8; i++) {
		char p[32];

		snprintf(p, sizeof(p), "/local/domain/1/z%d", i);
		assert_string_equal(t_write(d0, ta, p, "1"), "OK");
	}
	assert_string_equal(t_txn_end(d0, ta, true), "OK");
	t_disconnect(d1);
	t_disconnect(d0);
}

/*
 * Bytes one transaction holds are bounded too: a few long paths fill it
 * long before the node limit (16 paths of 3 KB would be 48 KB).
 */
static void test_txn_memory(void **state)
{
	struct t_conn *d1 = t_connect(*state, 1);
	static char p[XENSTORE_ABS_PATH_MAX + 1];
	uint32_t tx = t_txn_start(d1);
	const char *r = "EACCES";
	int i;

	for (i = 0; i < 16 && !strcmp(r, "EACCES"); i++) {
		snprintf(p, sizeof(p), "/m%d", i);
		while (strlen(p) + 2 <= 2048)
			strcat(p, "/a");
		r = t_read(d1, tx, p);
	}
	assert_string_equal(r, "ENOSPC");
	assert_true(i <= 5);
	assert_true(xsd_txn_find(d1->conn, tx)->bytes <= 8192);
	assert_string_equal(t_txn_end(d1, tx, true), "ENOSPC");
	/* Rewriting one node does not add up. */
	tx = t_txn_start(d1);
	for (i = 0; i < 1000; i++)
		assert_string_equal(t_write(d1, tx, "v", "0123456789abcdef"), "OK");
	assert_string_equal(t_txn_end(d1, tx, true), "OK");
	t_disconnect(d1);
}

/*
 * What an open transaction costs the daemon, charged or not: two guest
 * transactions that each create one node hold little memory (a table of
 * per-domain counts for all 65536 domids was 256 KiB each).
 */
static void test_txn_small_footprint(void **state)
{
	struct t_conn *d1 = t_connect(*state, 1);
	size_t before = __sanitizer_get_current_allocated_bytes();
	uint32_t ta = t_txn_start(d1), tb = t_txn_start(d1);

	assert_string_equal(t_write(d1, ta, "x", "1"), "OK");
	assert_string_equal(t_write(d1, tb, "y", "1"), "OK");
	assert_true(__sanitizer_get_current_allocated_bytes() - before < 64 * 1024);
	assert_string_equal(t_txn_end(d1, ta, true), "OK");
	assert_string_equal(t_txn_end(d1, tb, true), "EAGAIN");
	t_disconnect(d1);
}

/*
 * A DomU at a quota fails only the request that went past it: the same
 * guest's other requests (before, after, in its open transaction) and
 * another guest's requests in the same round all succeed, and nothing
 * is charged to the other guest.  One quota at a time: entries, value
 * size, watches, transactions, outstanding replies.
 */
static void test_quota_fails_only_its_request(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *g1 = t_connect(xsd, 1), *g2 = t_connect(xsd, 2);
	uint32_t tx1, tx2 = t_txn_start(g2);
	struct xsd_sockmsg h = { XS_READ, 1, 0, 2 };
	char msg[sizeof(h) + 2];

	/* entries: g1 owns its home + a b c d = 5, the quota */
	for (const char *p = "abcd"; *p; p++) {
		char n[2] = { *p, 0 };

		assert_string_equal(t_write(g1, 0, n, "1"), "OK");
	}
	tx1 = t_txn_start(g1);
	assert_string_equal(t_write(g1, tx1, "d", "in-tx"), "OK");
	assert_string_equal(t_write(g1, 0, "e", "1"), "ENOSPC");
	assert_string_equal(t_write(g1, tx1, "e", "1"), "ENOSPC");
	assert_string_equal(t_write(g2, 0, "e", "1"), "OK");
	assert_string_equal(t_write(g1, 0, "a", "2"), "OK");	/* not new */
	assert_string_equal(t_read(g1, 0, "a"), "2");
	assert_int_equal(xsd_entries_of(xsd, 1), 5);
	assert_int_equal(xsd_entries_of(xsd, 2), 2);
	/* value size */
	assert_string_equal(t_write(g1, 0, "a", "0123456789abcdefX"), "ENOSPC");
	assert_string_equal(t_write(g2, 0, "e", "0123456789abcdef"), "OK");
	assert_string_equal(t_read(g1, 0, "a"), "2");
	/* watches */
	assert_string_equal(t_watch(g1, "a", "t"), "OK");
	assert_non_null(t_event(g1));
	assert_string_equal(t_watch(g1, "b", "t"), "OK");
	assert_non_null(t_event(g1));
	assert_string_equal(t_watch(g1, "c", "t"), "E2BIG");
	assert_string_equal(t_watch(g2, "e", "t"), "OK");
	assert_string_equal(t_write(g1, 0, "a", "3"), "OK");
	assert_string_equal(t_event(g1), "a t");	/* still heard */
	/* transactions: g1 has one open, may have one more */
	assert_true(t_txn_start(g1) != 0);
	assert_string_equal(t_strs(g1, XS_TRANSACTION_START, 0, 1, ""), "ENOSPC");
	assert_true(t_txn_start(g2) != 0);
	/* the transactions opened before the refusals still commit */
	assert_string_equal(t_txn_end(g1, tx1, true), "OK");
	assert_string_equal(t_read(g1, 0, "d"), "in-tx");
	assert_string_equal(t_txn_end(g2, tx2, true), "OK");
	/* outstanding: g1 stops reading; its input stalls, g2's does not */
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), "a", 2);
	g1->out_cap = g1->out_len + 1;
	for (int i = 0; i < 10; i++) {
		memcpy(g1->in + g1->in_len, msg, sizeof(msg));
		g1->in_len += sizeof(msg);
	}
	xsd_conn_input(g1->conn);
	xsd_conn_flush(g1->conn);
	assert_false(xsd_conn_wants_input(g1->conn));
	assert_string_equal(t_read(g2, 0, "e"), "0123456789abcdef");
	assert_true(xsd_conn_wants_input(g2->conn));
	t_disconnect(g1);
	t_disconnect(g2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entries_in_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watches_transactions_perms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outstanding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_event_flood, setup, teardown),
		cmocka_unit_test_setup_teardown(test_txn_nodes_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_txn_rewrites, setup, teardown),
		cmocka_unit_test_setup_teardown(test_txn_create_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entries_at_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_txn_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_txn_small_footprint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quota_fails_only_its_request, setup, teardown),
	};

	return cmocka_run_group_tests_name("xenstore_quota", tests, NULL, NULL);
}
