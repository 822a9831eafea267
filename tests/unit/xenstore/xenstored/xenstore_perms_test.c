/*
 * xenstore_perms_test.c - permissions: owner, per-domain n/r/w/b,
 * default access, inheritance on create, who may change them, privileged
 * operations, SET_TARGET.
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

#define set_perms(c, n, ...) t_strs((c), XS_SET_PERMS, 0, (n) + 1, __VA_ARGS__)

static void test_default_private(void **state)
{
	struct t_conn *d0 = t_connect(*state, 0), *d1 = t_connect(*state, 1);

	t_write(d0, 0, "/secret", "x");
	assert_string_equal(t_strs(d0, XS_GET_PERMS, 0, 1, "/secret"), "n0");
	assert_string_equal(t_read(d1, 0, "/secret"), "EACCES");
	assert_string_equal(t_write(d1, 0, "/secret", "y"), "EACCES");
	assert_string_equal(t_write(d1, 0, "/secret/sub", "y"), "EACCES");
	assert_string_equal(t_rm(d1, 0, "/secret"), "EACCES");
	assert_string_equal(t_dir(d1, 0, "/secret"), "EACCES");
	/* Missing node under an unreadable one: EACCES, not ENOENT. */
	assert_string_equal(t_read(d1, 0, "/secret/none"), "EACCES");
	assert_string_equal(t_read(d0, 0, "/secret"), "x");
	t_disconnect(d0);
	t_disconnect(d1);
}

static void test_per_domain(void **state)
{
	struct t_conn *d0 = t_connect(*state, 0), *d1 = t_connect(*state, 1),
		      *d2 = t_connect(*state, 2), *d3 = t_connect(*state, 3);

	t_write(d0, 0, "/p", "v");
	/* owner 0, others none; dom1 read; dom2 write; dom3 both */
	assert_string_equal(set_perms(d0, 4, "/p", "n0", "r1", "w2", "b3"), "OK");
	t_strs(d0, XS_GET_PERMS, 0, 1, "/p");
	assert_int_equal(d0->reply_len, 12);
	assert_memory_equal(d0->reply, "n0\0r1\0w2\0b3\0", 12);
	assert_string_equal(t_read(d1, 0, "/p"), "v");
	assert_string_equal(t_write(d1, 0, "/p", "1"), "EACCES");
	assert_string_equal(t_read(d2, 0, "/p"), "EACCES");
	assert_string_equal(t_write(d2, 0, "/p", "2"), "OK");
	assert_string_equal(t_write(d3, 0, "/p", "3"), "OK");
	assert_string_equal(t_read(d3, 0, "/p"), "3");
	/* The default (perms[0]) applies to domains not listed. */
	assert_string_equal(set_perms(d0, 1, "/p", "r0"), "OK");
	assert_string_equal(t_read(d2, 0, "/p"), "3");
	assert_string_equal(t_write(d2, 0, "/p", "x"), "EACCES");
	t_disconnect(d0);
	t_disconnect(d1);
	t_disconnect(d2);
	t_disconnect(d3);
}

static void test_inherit_and_owner(void **state)
{
	struct t_conn *d0 = t_connect(*state, 0), *d5 = t_connect(*state, 5);

	t_mkdir(d0, 0, "/local/domain/5");
	assert_string_equal(set_perms(d0, 2, "/local/domain/5", "n5", "r0"), "OK");
	/* Relative path: dom5's home. New nodes inherit, owned by dom5. */
	assert_string_equal(t_write(d5, 0, "device/vif/0/state", "1"), "OK");
	assert_string_equal(t_strs(d0, XS_GET_PERMS, 0, 1,
				   "/local/domain/5/device/vif/0/state"), "n5");
	assert_memory_equal(d0->reply, "n5\0r0\0", 6);
	/* Dom0 creating below dom5's node: perms copied unchanged. */
	t_write(d0, 0, "/local/domain/5/fromdom0", "x");
	assert_memory_equal(t_strs(d0, XS_GET_PERMS, 0, 1,
				   "/local/domain/5/fromdom0"), "n5\0r0\0", 6);
	/* Owner may change its perms but not give the node away. */
	assert_string_equal(set_perms(d5, 2, "device", "n5", "r7"), "OK");
	assert_string_equal(set_perms(d5, 1, "device", "n6"), "EACCES");
	assert_string_equal(set_perms(d5, 1, "/local/domain", "n5"), "EACCES");
	assert_string_equal(set_perms(d0, 1, "/local/domain/5", "x5"), "EINVAL");
	assert_string_equal(set_perms(d0, 1, "/local/domain/5", "r"), "EINVAL");
	assert_string_equal(set_perms(d0, 1, "/nonexistent", "r0"), "ENOENT");
	t_disconnect(d0);
	t_disconnect(d5);
}

static void test_privileged_ops(void **state)
{
	struct t_conn *d0 = t_connect(*state, 0), *d1 = t_connect(*state, 1);

	assert_string_equal(t_strs(d1, XS_INTRODUCE, 0, 3, "2", "100", "3"), "EACCES");
	assert_string_equal(t_strs(d1, XS_RELEASE, 0, 1, "2"), "EACCES");
	assert_string_equal(t_strs(d1, XS_SET_TARGET, 0, 2, "2", "3"), "EACCES");
	assert_string_equal(t_strs(d1, XS_CONTROL, 0, 1, "quota"), "EACCES");
	assert_string_equal(t_strs(d1, XS_IS_DOMAIN_INTRODUCED, 0, 1, "1"), "EACCES");
	/* Anyone may ask for a domain's path. */
	assert_string_equal(t_strs(d1, XS_GET_DOMAIN_PATH, 0, 1, "3"), "/local/domain/3");
	assert_string_equal(t_strs(d0, XS_IS_DOMAIN_INTRODUCED, 0, 1, "2"), "F");
	assert_string_equal(t_strs(d0, XS_INTRODUCE, 0, 3, "2", "100", "3"), "OK");
	assert_string_equal(t_strs(d0, XS_IS_DOMAIN_INTRODUCED, 0, 1, "2"), "T");
	assert_string_equal(t_strs(d0, XS_INTRODUCE, 0, 3, "2", "100", "3"), "OK");
	assert_string_equal(t_strs(d0, XS_INTRODUCE, 0, 3, "2", "101", "3"), "EEXIST");
	assert_string_equal(t_strs(d0, XS_RESUME, 0, 1, "2"), "OK");
	assert_string_equal(t_strs(d0, XS_RESUME, 0, 1, "9"), "ENOENT");
	assert_string_equal(t_strs(d0, XS_RELEASE, 0, 1, "2"), "OK");
	assert_string_equal(t_strs(d0, XS_RELEASE, 0, 1, "2"), "ENOENT");
	assert_string_equal(t_strs(d0, XS_INTRODUCE, 0, 3, "x", "1", "1"), "EINVAL");
	t_disconnect(d0);
	t_disconnect(d1);
}

static void test_set_domid_control(void **state)
{
	struct t_conn *c = t_connect(*state, 0);

	t_write(c, 0, "/hidden", "x");
	assert_string_equal(t_strs(c, XS_CONTROL, 0, 2, "set-domid", "4"), "OK");
	assert_string_equal(t_read(c, 0, "/hidden"), "EACCES");
	/* Privilege cannot come back. */
	assert_string_equal(t_strs(c, XS_CONTROL, 0, 2, "set-domid", "0"), "EACCES");
	t_disconnect(c);
}

static void test_target(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *d0 = t_connect(xsd, 0), *d2;
	struct xsd_domain *dom;

	t_write(d0, 0, "/local/domain/1/x", "v");
	set_perms(d0, 1, "/local/domain/1/x", "n1");
	assert_string_equal(t_strs(d0, XS_SET_TARGET, 0, 2, "2", "1"), "ENOENT");
	t_strs(d0, XS_INTRODUCE, 0, 3, "1", "10", "1");
	t_strs(d0, XS_INTRODUCE, 0, 3, "2", "20", "2");
	/* A domain's connection takes its target from the domain table. */
	d2 = t_connect(xsd, 2);
	dom = xsd_domain_find(xsd, 2);
	dom->conn = d2->conn;
	d2->conn->domain = dom;
	assert_string_equal(t_read(d2, 0, "/local/domain/1/x"), "EACCES");
	assert_string_equal(t_strs(d0, XS_SET_TARGET, 0, 2, "2", "1"), "OK");
	assert_string_equal(t_read(d2, 0, "/local/domain/1/x"), "v");
	t_disconnect(d2);
	t_disconnect(d0);
}

/*
 * Removing a missing child answers OK only where the caller may read the
 * parent: under an unreadable parent, a present and an absent parent
 * must answer alike (else RM tells which hidden nodes exist).
 */
static void test_rm_missing_child_oracle(void **state)
{
	struct t_conn *d0 = t_connect(*state, 0), *d1 = t_connect(*state, 1);
	uint32_t tx;

	t_write(d0, 0, "/secret/present", "x");
	assert_string_equal(t_rm(d1, 0, "/secret/present/x"), "EACCES");
	assert_string_equal(t_rm(d1, 0, "/secret/absent/x"), "EACCES");
	tx = t_txn_start(d1);
	assert_string_equal(t_rm(d1, tx, "/secret/present/x"), "EACCES");
	assert_string_equal(t_rm(d1, tx, "/secret/absent/x"), "EACCES");
	t_txn_end(d1, tx, false);
	/* Where the parent is readable, Xen's OK stands. */
	assert_string_equal(t_strs(d0, XS_SET_PERMS, 0, 2, "/secret/present", "r1"), "OK");
	assert_string_equal(t_rm(d1, 0, "/secret/present/x"), "OK");
	assert_string_equal(t_rm(d0, 0, "/secret/present/x"), "OK");
	t_disconnect(d0);
	t_disconnect(d1);
}

/* Make `t` the ring connection of introduced domain `domid`, as the
 * transport does, so RELEASE reaches it. */
static void attach(struct xsd *xsd, struct t_conn *t, unsigned int domid)
{
	struct xsd_domain *dom = xsd_domain_find(xsd, domid);

	assert_non_null(dom);
	dom->conn = t->conn;
	t->conn->domain = dom;
	t->conn->who.target = dom->target;
}

/*
 * A domid is reused after RELEASE: nothing the old guest had may pass
 * to the new one.  ACL entries naming it go, the nodes it owned go
 * (with their subtrees, as Xen does by default), its entry count is
 * zero and no manager still targets it.
 */
static void test_release_forgets_domid(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *d0 = t_connect(xsd, 0), *old5 = t_connect(xsd, 5),
		      *new5, *d6;

	assert_string_equal(t_strs(d0, XS_INTRODUCE, 0, 3, "5", "100", "7"), "OK");
	assert_string_equal(t_strs(d0, XS_INTRODUCE, 0, 3, "6", "200", "8"), "OK");
	attach(xsd, old5, 5);
	t_write(d0, 0, "/vm/secret", "old-guest-key");
	assert_string_equal(set_perms(d0, 2, "/vm/secret", "n0", "r5"), "OK");
	t_mkdir(d0, 0, "/shared");
	assert_string_equal(set_perms(d0, 2, "/shared", "n0", "b5"), "OK");
	assert_string_equal(t_write(old5, 0, "/shared/mine", "x"), "OK");
	assert_string_equal(t_write(old5, 0, "/shared/mine/deep", "y"), "OK");
	assert_string_equal(t_read(old5, 0, "/vm/secret"), "old-guest-key");
	/* dom6 manages dom5 (a device model, say). */
	assert_string_equal(t_strs(d0, XS_SET_TARGET, 0, 2, "6", "5"), "OK");
	assert_int_equal(xsd_entries_of(xsd, 5), 2);

	assert_string_equal(t_strs(d0, XS_RELEASE, 0, 1, "5"), "OK");
	assert_true(old5->conn->dead);
	assert_string_equal(t_strs(d0, XS_INTRODUCE, 0, 3, "5", "300", "9"), "OK");
	new5 = t_connect(xsd, 5);
	attach(xsd, new5, 5);

	t_strs(d0, XS_GET_PERMS, 0, 1, "/vm/secret");
	assert_int_equal(d0->reply_len, 3);
	assert_memory_equal(d0->reply, "n0\0", 3);
	t_strs(d0, XS_GET_PERMS, 0, 1, "/shared");
	assert_int_equal(d0->reply_len, 3);
	assert_string_equal(t_read(d0, 0, "/shared/mine"), "ENOENT");
	assert_string_equal(t_dir(d0, 0, "/shared"), "");
	assert_int_equal(xsd_entries_of(xsd, 5), 0);
	assert_int_equal(xsd_domain_find(xsd, 6)->target, -1);
	assert_string_equal(t_read(new5, 0, "/vm/secret"), "EACCES");
	assert_string_equal(t_write(new5, 0, "/shared/mine", "z"), "EACCES");
	/* The old manager has no hold on the new dom5 either. */
	d6 = t_connect(xsd, 6);
	attach(xsd, d6, 6);
	assert_string_equal(t_write(new5, 0, "/local/domain/5/x", "1"), "EACCES");
	t_write(d0, 0, "/local/domain/5/x", "1");
	assert_string_equal(set_perms(d0, 1, "/local/domain/5/x", "n5"), "OK");
	assert_string_equal(t_read(new5, 0, "/local/domain/5/x"), "1");
	assert_string_equal(t_read(d6, 0, "/local/domain/5/x"), "EACCES");
	t_disconnect(d6);
	t_disconnect(new5);
	t_disconnect(old5);
	t_disconnect(d0);
}

/*
 * A transaction that holds a copy naming the released domain (or that
 * would change its entry count) must not commit it back afterwards.
 */
/*
 * --keep-orphans (Xen's option): the released domain's nodes stay, owned
 * by Dom0 and counted for it; the new holder of the id cannot touch them.
 */
static void test_release_keep_orphans(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *d0 = t_connect(xsd, 0), *old5 = t_connect(xsd, 5), *new5;
	uint32_t e0;

	xsd->keep_orphans = true;
	assert_string_equal(t_strs(d0, XS_INTRODUCE, 0, 3, "5", "100", "7"), "OK");
	attach(xsd, old5, 5);
	t_mkdir(d0, 0, "/shared");
	assert_string_equal(set_perms(d0, 2, "/shared", "n0", "b5"), "OK");
	assert_string_equal(t_write(old5, 0, "/shared/mine", "x"), "OK");
	assert_string_equal(t_write(old5, 0, "/shared/mine/deep", "y"), "OK");
	e0 = xsd_entries_of(xsd, 0);
	assert_string_equal(t_strs(d0, XS_RELEASE, 0, 1, "5"), "OK");
	assert_string_equal(t_read(d0, 0, "/shared/mine/deep"), "y");
	t_strs(d0, XS_GET_PERMS, 0, 1, "/shared/mine");
	assert_int_equal(d0->reply_len, 3);
	assert_memory_equal(d0->reply, "n0\0", 3);
	assert_int_equal(xsd_entries_of(xsd, 5), 0);
	assert_int_equal(xsd_entries_of(xsd, 0), e0 + 2);
	assert_string_equal(t_strs(d0, XS_INTRODUCE, 0, 3, "5", "300", "9"), "OK");
	new5 = t_connect(xsd, 5);
	attach(xsd, new5, 5);
	assert_string_equal(t_read(new5, 0, "/shared/mine"), "EACCES");
	t_disconnect(new5);
	t_disconnect(old5);
	t_disconnect(d0);
}

static void test_release_fails_stale_transactions(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *d0 = t_connect(xsd, 0), *d1 = t_connect(xsd, 0);
	uint32_t tx, tx2;

	t_strs(d0, XS_INTRODUCE, 0, 3, "5", "100", "7");
	t_write(d0, 0, "/a", "1");
	t_write(d0, 0, "/b", "1");
	set_perms(d0, 1, "/b", "n5");
	tx = t_txn_start(d1);
	assert_string_equal(t_strs(d1, XS_SET_PERMS, tx, 3, "/a", "n0", "r5"), "OK");
	tx2 = t_txn_start(d1);
	assert_string_equal(t_rm(d1, tx2, "/b"), "OK");
	assert_string_equal(t_strs(d0, XS_RELEASE, 0, 1, "5"), "OK");
	assert_string_equal(t_txn_end(d1, tx, true), "EAGAIN");
	assert_string_equal(t_txn_end(d1, tx2, true), "EAGAIN");
	t_strs(d0, XS_GET_PERMS, 0, 1, "/a");
	assert_int_equal(d0->reply_len, 3);
	assert_int_equal(xsd_entries_of(xsd, 5), 0);
	t_disconnect(d1);
	t_disconnect(d0);
}

/* Dom0 (or the caller itself) cannot be released: Dom0's own ring
 * would be freed under the request it is serving. */
static void test_release_self_refused(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *d0 = t_connect(xsd, 0), *r0 = t_connect(xsd, 0);

	t_strs(d0, XS_INTRODUCE, 0, 3, "0", "1", "2");
	attach(xsd, r0, 0);
	assert_string_equal(t_strs(r0, XS_RELEASE, 0, 1, "0"), "EINVAL");
	assert_string_equal(t_strs(d0, XS_RELEASE, 0, 1, "0"), "EINVAL");
	assert_non_null(xsd_domain_find(xsd, 0));
	assert_false(r0->conn->dead);
	t_disconnect(r0);
	t_disconnect(d0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_default_private, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_domain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inherit_and_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_privileged_ops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_domid_control, setup, teardown),
		cmocka_unit_test_setup_teardown(test_target, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rm_missing_child_oracle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_forgets_domid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_keep_orphans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_fails_stale_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_self_refused, setup, teardown),
	};

	return cmocka_run_group_tests_name("xenstore_perms", tests, NULL, NULL);
}
