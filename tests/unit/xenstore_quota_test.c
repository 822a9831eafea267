/*
 * xenstore_quota_test.c - quotas for unprivileged domains: entries,
 * node size, watches, transactions, permission lists, outstanding
 * replies and watch-event floods.  Dom0 is exempt.
 */
#include "xenstore_test_util.h"

static int setup(void **state)
{
	struct xsd_quota q = { .entries = 5, .entry_size = 16, .watches = 2,
			       .transactions = 2, .outstanding = 3,
			       .watch_events = 4, .perms = 3 };
	struct xsd *xsd = xsd_create(&q);
	struct t_conn *d0;

	if (!xsd)
		return -1;
	/* Dom1's home, writable by dom1. */
	d0 = t_connect(xsd, 0);
	t_mkdir(d0, 0, "/local/domain/1");
	t_strs(d0, XS_SET_PERMS, 0, 2, "/local/domain/1", "n1");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entries_in_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watches_transactions_perms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outstanding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_event_flood, setup, teardown),
	};

	return cmocka_run_group_tests_name("xenstore_quota", tests, NULL, NULL);
}
