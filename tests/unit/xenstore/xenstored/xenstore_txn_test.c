/*
 * xenstore_txn_test.c - transactions: isolation, commit, abort,
 * conflict detection (EAGAIN) with nothing partially applied.
 */
#include "xenstore_test_util.h"

static int setup(void **state)
{
	*state = xsd_create(NULL);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	xsd_destroy(*state);
	return 0;
}

static void test_isolation_and_commit(void **state)
{
	struct t_conn *a = t_connect(*state, 0), *b = t_connect(*state, 0);
	uint32_t tx = t_txn_start(a);

	assert_true(tx != 0);
	assert_string_equal(t_write(a, tx, "/t/x", "1"), "OK");
	assert_string_equal(t_read(a, tx, "/t/x"), "1");
	assert_string_equal(t_read(a, 0, "/t/x"), "ENOENT");
	assert_string_equal(t_read(b, 0, "/t/x"), "ENOENT");
	assert_string_equal(t_dir(a, tx, "/t"), "x");
	assert_string_equal(t_txn_end(a, tx, true), "OK");
	assert_string_equal(t_read(b, 0, "/t/x"), "1");
	/* The id is gone after the end. */
	assert_string_equal(t_read(a, tx, "/t/x"), "ENOENT");
	assert_string_equal(t_txn_end(a, tx, true), "ENOENT");
	t_disconnect(a);
	t_disconnect(b);
}

static void test_abort(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *a = t_connect(xsd, 0);
	unsigned int before = xsd_entries_of(xsd, 0);
	uint32_t tx;

	t_write(a, 0, "/keep", "k");
	before = xsd_entries_of(xsd, 0);
	tx = t_txn_start(a);
	t_write(a, tx, "/gone/a/b", "1");
	assert_string_equal(t_rm(a, tx, "/keep"), "OK");
	assert_string_equal(t_read(a, tx, "/keep"), "ENOENT");
	assert_string_equal(t_txn_end(a, tx, false), "OK");
	assert_string_equal(t_read(a, 0, "/keep"), "k");
	assert_string_equal(t_read(a, 0, "/gone"), "ENOENT");
	assert_int_equal(xsd_entries_of(xsd, 0), before);
	t_disconnect(a);
}

static void test_conflict(void **state)
{
	struct t_conn *a = t_connect(*state, 0), *b = t_connect(*state, 0);
	uint32_t tx;

	t_write(a, 0, "/c/val", "0");
	tx = t_txn_start(a);
	assert_string_equal(t_read(a, tx, "/c/val"), "0");
	t_write(a, tx, "/c/other", "from-tx");
	t_write(a, tx, "/elsewhere", "from-tx");
	/* Someone changes what the transaction read. */
	assert_string_equal(t_write(b, 0, "/c/val", "1"), "OK");
	assert_string_equal(t_txn_end(a, tx, true), "EAGAIN");
	/* Nothing of it landed. */
	assert_string_equal(t_read(b, 0, "/c/other"), "ENOENT");
	assert_string_equal(t_read(b, 0, "/elsewhere"), "ENOENT");
	assert_string_equal(t_read(b, 0, "/c/val"), "1");
	t_disconnect(a);
	t_disconnect(b);
}

static void test_sibling_creation_conflicts(void **state)
{
	struct t_conn *a = t_connect(*state, 0), *b = t_connect(*state, 0);
	uint32_t ta, tb;

	t_mkdir(a, 0, "/dir");
	ta = t_txn_start(a);
	tb = t_txn_start(b);
	t_write(a, ta, "/dir/a", "1");
	t_write(b, tb, "/dir/b", "2");
	assert_string_equal(t_txn_end(a, ta, true), "OK");
	assert_string_equal(t_txn_end(b, tb, true), "EAGAIN");
	assert_string_equal(t_dir(a, 0, "/dir"), "a");
	t_disconnect(a);
	t_disconnect(b);
}

static void test_read_of_absent_conflicts(void **state)
{
	struct t_conn *a = t_connect(*state, 0), *b = t_connect(*state, 0);
	uint32_t tx = t_txn_start(a);

	assert_string_equal(t_read(a, tx, "/maybe"), "ENOENT");
	t_write(a, tx, "/derived", "absent");
	t_write(b, 0, "/maybe", "now");
	assert_string_equal(t_txn_end(a, tx, true), "EAGAIN");
	t_disconnect(a);
	t_disconnect(b);
}

static void test_errors(void **state)
{
	struct t_conn *a = t_connect(*state, 0);
	uint32_t tx = t_txn_start(a);

	assert_string_equal(t_strs(a, XS_TRANSACTION_START, tx, 1, ""), "EBUSY");
	assert_string_equal(t_txn_end(a, 0, true), "EINVAL");
	assert_string_equal(t_strs(a, XS_TRANSACTION_END, tx, 1, "X"), "EINVAL");
	assert_string_equal(t_read(a, tx + 100, "/"), "ENOENT");
	assert_string_equal(t_txn_end(a, tx, true), "OK");
	t_disconnect(a);
}

static void test_disconnect_discards(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *a = t_connect(xsd, 0), *b = t_connect(xsd, 0);
	uint32_t tx = t_txn_start(a);

	t_write(a, tx, "/never", "1");
	t_disconnect(a);
	assert_string_equal(t_read(b, 0, "/never"), "ENOENT");
	t_disconnect(b);
}

static void test_big_commit(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *a = t_connect(xsd, 0);
	unsigned int before = xsd_entries_of(xsd, 0);
	char p[64];
	uint32_t tx = t_txn_start(a);

	for (int i = 0; i < 2000; i++) {
		snprintf(p, sizeof(p), "/big/n%d", i);
		assert_string_equal(t_write(a, tx, p, "v"), "OK");
	}
	assert_string_equal(t_txn_end(a, tx, true), "OK");
	assert_int_equal(xsd_entries_of(xsd, 0), before + 2001);
	assert_string_equal(t_read(a, 0, "/big/n1999"), "v");
	tx = t_txn_start(a);
	assert_string_equal(t_rm(a, tx, "/big"), "OK");
	assert_string_equal(t_read(a, 0, "/big/n5"), "v");
	assert_string_equal(t_txn_end(a, tx, true), "OK");
	assert_string_equal(t_read(a, 0, "/big/n5"), "ENOENT");
	assert_int_equal(xsd_entries_of(xsd, 0), before);
	t_disconnect(a);
}

static void test_watch_on_commit_only(void **state)
{
	struct t_conn *a = t_connect(*state, 0), *w = t_connect(*state, 0);
	uint32_t tx;

	t_watch(w, "/wc", "tok");
	assert_string_equal(t_event(w), "/wc tok");
	tx = t_txn_start(a);
	t_write(a, tx, "/wc/x", "1");
	t_no_event(w);
	t_txn_end(a, tx, false);
	t_no_event(w);
	tx = t_txn_start(a);
	t_write(a, tx, "/wc/y", "1");
	t_no_event(w);
	assert_string_equal(t_txn_end(a, tx, true), "OK");
	assert_string_equal(t_event(w), "/wc/y tok");
	t_no_event(w);
	t_disconnect(a);
	t_disconnect(w);
}

/*
 * A transaction queues one change per path, in first-change order; a
 * removal anywhere among them still fires the watches below the path.
 */
static void test_changes_once_per_path(void **state)
{
	struct t_conn *a = t_connect(*state, 0), *w = t_connect(*state, 0);
	uint32_t tx;

	t_write(a, 0, "/e/sub", "1");
	t_watch(w, "/e/sub", "below");
	assert_string_equal(t_event(w), "/e/sub below");
	t_watch(w, "/f", "f");
	assert_string_equal(t_event(w), "/f f");
	tx = t_txn_start(a);
	assert_string_equal(t_write(a, tx, "/e", "1"), "OK");
	assert_string_equal(t_write(a, tx, "/f", "1"), "OK");
	assert_string_equal(t_rm(a, tx, "/e"), "OK");
	assert_string_equal(t_write(a, tx, "/e", "2"), "OK");
	assert_string_equal(t_write(a, tx, "/f", "2"), "OK");
	assert_int_equal(xsd_txn_find(a->conn, tx)->nchanges, 2);
	assert_string_equal(t_txn_end(a, tx, true), "OK");
	assert_string_equal(t_event(w), "/e/sub below");
	assert_string_equal(t_event(w), "/f f");
	t_no_event(w);
	assert_string_equal(t_read(a, 0, "/e/sub"), "ENOENT");
	assert_string_equal(t_read(a, 0, "/e"), "2");
	t_disconnect(a);
	t_disconnect(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_isolation_and_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sibling_creation_conflicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_of_absent_conflicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disconnect_discards, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_on_commit_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changes_once_per_path, setup, teardown),
	};

	return cmocka_run_group_tests_name("xenstore_txn", tests, NULL, NULL);
}
