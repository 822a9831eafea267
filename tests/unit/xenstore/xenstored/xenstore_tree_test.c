/*
 * xenstore_tree_test.c - the node tree through the wire protocol:
 * read/write/mkdir/rm/directory, path syntax, and malformed requests.
 */
#include <pthread.h>
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

static void test_write_read(void **state)
{
	struct t_conn *c = t_connect(*state, 0);

	assert_string_equal(t_write(c, 0, "/a/b/c", "hello"), "OK");
	assert_string_equal(t_read(c, 0, "/a/b/c"), "hello");
	/* Missing parents were created, empty. */
	assert_string_equal(t_read(c, 0, "/a/b"), "");
	assert_int_equal(c->reply_len, 0);
	assert_string_equal(t_write(c, 0, "/a/b/c", "bye"), "OK");
	assert_string_equal(t_read(c, 0, "/a/b/c"), "bye");
	assert_string_equal(t_read(c, 0, "/a/x"), "ENOENT");
	t_disconnect(c);
}

static void test_binary_value(void **state)
{
	struct t_conn *c = t_connect(*state, 0);
	static const char msg[] = "/bin\0a\0b";

	assert_string_equal(t_req(c, XS_WRITE, 0, msg, sizeof(msg) - 1), "OK");
	t_read(c, 0, "/bin");
	assert_int_equal(c->reply_len, 3);
	assert_memory_equal(c->reply, "a\0b", 3);
	t_disconnect(c);
}

static void test_directory(void **state)
{
	struct t_conn *c = t_connect(*state, 0);

	t_write(c, 0, "/d/one", "1");
	t_write(c, 0, "/d/two", "2");
	t_mkdir(c, 0, "/d/three");
	assert_string_equal(t_dir(c, 0, "/d"), "one,two,three");
	assert_string_equal(t_dir(c, 0, "/d/one"), "");
	assert_string_equal(t_dir(c, 0, "/nope"), "ENOENT");
	/* mkdir of an existing node is fine and keeps its value */
	assert_string_equal(t_mkdir(c, 0, "/d/one"), "OK");
	assert_string_equal(t_read(c, 0, "/d/one"), "1");
	t_disconnect(c);
}

static void test_directory_part(void **state)
{
	struct t_conn *c = t_connect(*state, 0);
	char name[64], off[16];
	unsigned int seen = 0, offset = 0, rounds = 0;
	char gen[32] = "";

	for (int i = 0; i < 400; i++) {
		snprintf(name, sizeof(name), "/big/child-with-a-long-name-%03d", i);
		assert_string_equal(t_mkdir(c, 0, name), "OK");
	}
	/* 400 * 32 bytes > one payload: needs several parts. */
	assert_string_equal(t_dir(c, 0, "/big"), "E2BIG");
	for (;;) {
		const char *r;
		size_t pos;
		bool end = false;

		snprintf(off, sizeof(off), "%u", offset);
		r = t_strs(c, XS_DIRECTORY_PART, 0, 2, "/big", off);
		assert_int_equal(c->reply_type, XS_DIRECTORY_PART);
		if (!rounds)
			strcpy(gen, r);
		assert_string_equal(r, gen);	/* unchanged meanwhile */
		pos = strlen(r) + 1;
		while (pos < c->reply_len) {
			size_t l = strlen(r + pos);

			if (!l) {
				end = true;
				break;
			}
			snprintf(name, sizeof(name), "child-with-a-long-name-%03u", seen);
			assert_string_equal(r + pos, name);
			seen++;
			offset += l + 1;
			pos += l + 1;
		}
		rounds++;
		if (end)
			break;
		assert_true(rounds < 10);
	}
	assert_int_equal(seen, 400);
	assert_true(rounds >= 3);
	assert_string_equal(t_strs(c, XS_DIRECTORY_PART, 0, 2, "/big", "x"), "EINVAL");
	t_disconnect(c);
}

static void test_rm(void **state)
{
	struct t_conn *c = t_connect(*state, 0);
	struct xsd *xsd = *state;
	unsigned int before = xsd_entries_of(xsd, 0);

	t_write(c, 0, "/r/a/b", "1");
	t_write(c, 0, "/r/a/c", "2");
	assert_int_equal(xsd_entries_of(xsd, 0), before + 4);
	assert_string_equal(t_rm(c, 0, "/r/a"), "OK");
	assert_string_equal(t_read(c, 0, "/r/a/b"), "ENOENT");
	assert_string_equal(t_read(c, 0, "/r/a"), "ENOENT");
	assert_string_equal(t_dir(c, 0, "/r"), "");
	assert_int_equal(xsd_entries_of(xsd, 0), before + 1);
	/* Missing child of an existing node: OK, as in Xen. */
	assert_string_equal(t_rm(c, 0, "/r/zz"), "OK");
	assert_string_equal(t_rm(c, 0, "/q/zz"), "ENOENT");
	assert_string_equal(t_rm(c, 0, "/"), "EINVAL");
	t_disconnect(c);
}

static void test_paths(void **state)
{
	struct t_conn *c = t_connect(*state, 0);
	char longpath[XENSTORE_ABS_PATH_MAX + 8];

	/* Relative paths live under the caller's home. */
	assert_string_equal(t_write(c, 0, "rel/x", "1"), "OK");
	assert_string_equal(t_read(c, 0, "/local/domain/0/rel/x"), "1");
	assert_string_equal(t_read(c, 0, "rel/x"), "1");
	assert_string_equal(t_write(c, 0, "/a//b", "1"), "EINVAL");
	assert_string_equal(t_write(c, 0, "/a/b/", "1"), "EINVAL");
	assert_string_equal(t_write(c, 0, "/a/b c", "1"), "EINVAL");
	assert_string_equal(t_write(c, 0, "/a/@b", "1"), "EINVAL");
	assert_string_equal(t_write(c, 0, "@introduceDomain", "1"), "EINVAL");
	assert_string_equal(t_read(c, 0, ""), "EINVAL");
	memset(longpath, 'x', sizeof(longpath));
	longpath[0] = '/';
	longpath[XENSTORE_ABS_PATH_MAX + 1] = '\0';
	assert_string_equal(t_read(c, 0, longpath), "E2BIG");
	assert_string_equal(t_strs(c, XS_GET_DOMAIN_PATH, 0, 1, "7"), "/local/domain/7");
	assert_string_equal(t_strs(c, XS_GET_DOMAIN_PATH, 0, 1, "x7"), "EINVAL");
	t_disconnect(c);
}

static void test_malformed(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *c = t_connect(xsd, 0), *other = t_connect(xsd, 0);
	struct xsd_sockmsg h = { XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };

	/* Payload without its terminating NUL. */
	assert_string_equal(t_req(c, XS_READ, 0, "/a", 2), "EINVAL");
	assert_string_equal(t_req(c, XS_WRITE, 0, "/a", 2), "EINVAL");
	assert_string_equal(t_req(c, 99, 0, "", 0), "ENOSYS");
	assert_string_equal(t_req(c, 20, 0, "", 0), "ENOSYS");
	assert_string_equal(t_req(c, XS_WATCH_EVENT, 0, "", 0), "EINVAL");
	assert_string_equal(t_req(c, XS_READ, 12345, "/\0", 2), "ENOENT");
	assert_string_equal(t_strs(c, XS_WATCH, 0, 1, "/only-path"), "EINVAL");
	/* A header split over several reads still works. */
	t_write(c, 0, "/s", "v");
	{
		struct xsd_sockmsg rh = { XS_READ, 7, 0, 3 };
		char buf[sizeof(rh) + 3];

		memcpy(buf, &rh, sizeof(rh));
		memcpy(buf + sizeof(rh), "/s", 3);
		c->reply_type = UINT32_MAX;
		for (size_t i = 0; i < sizeof(buf); i++)
			t_send_raw(c, buf + i, 1);
		assert_int_equal(c->reply_type, XS_READ);
		assert_string_equal(c->reply, "v");
	}
	/* Over-long length: the connection is closed, others unaffected. */
	t_send_raw(c, &h, sizeof(h));
	assert_true(c->conn->dead);
	xsd_reap_dead(xsd);
	c->conn = NULL;
	assert_string_equal(t_read(other, 0, "/s"), "v");
	t_disconnect(c);
	t_disconnect(other);
}

static void test_disconnect_mid_message(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *c = t_connect(xsd, 0), *other = t_connect(xsd, 0);
	struct xsd_sockmsg h = { XS_WRITE, 1, 0, 100 };

	t_send_raw(c, &h, sizeof(h));
	t_send_raw(c, "/half\0abc", 9);
	c->closed = true;
	xsd_conn_input(c->conn);
	assert_true(c->conn->dead);
	xsd_reap_dead(xsd);
	c->conn = NULL;
	assert_string_equal(t_read(other, 0, "/half"), "ENOENT");
	t_disconnect(c);
	t_disconnect(other);
}

/* The deepest chain the path limit allows: "/c/a/a/.../a", 3072 bytes. */
static void deep_chain(char *p)
{
	strcpy(p, "/c");
	for (size_t l = 2; l + 2 <= XENSTORE_ABS_PATH_MAX; l += 2)
		strcat(p + l, "/a");
}

struct rm_job {
	struct t_conn *c;
	uint32_t tx;
	char reply[16];
};

static void *rm_thread(void *arg)
{
	struct rm_job *j = arg;

	snprintf(j->reply, sizeof(j->reply), "%s", t_rm(j->c, j->tx, "/c"));
	return NULL;
}

/* RM on a thread with a 1 MiB stack: the daemon's stack must not grow
 * with the depth of the subtree it removes. */
static const char *rm_small_stack(struct t_conn *c, uint32_t tx)
{
	static struct rm_job j;
	pthread_attr_t a;
	pthread_t th;

	j.c = c;
	j.tx = tx;
	j.reply[0] = '\0';
	assert_int_equal(pthread_attr_init(&a), 0);
	assert_int_equal(pthread_attr_setstacksize(&a, 1 << 20), 0);
	assert_int_equal(pthread_create(&th, &a, rm_thread, &j), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	pthread_attr_destroy(&a);
	return j.reply;
}

static void test_rm_deep_chain(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *d0 = t_connect(xsd, 0), *d1 = t_connect(xsd, 1);
	static char p[XENSTORE_ABS_PATH_MAX + 1];
	unsigned int before = xsd_entries_of(xsd, 0);
	uint32_t tx;

	deep_chain(p);
	assert_int_equal(strlen(p), XENSTORE_ABS_PATH_MAX);
	assert_string_equal(t_write(d0, 0, p, "deep"), "OK");
	assert_int_equal(xsd_entries_of(xsd, 0), before + 1536);
	/* Removed by a guest given the top of it. */
	assert_string_equal(t_strs(d0, XS_SET_PERMS, 0, 3, "/c", "n0", "w1"), "OK");
	assert_string_equal(rm_small_stack(d1, 0), "OK");
	assert_string_equal(t_read(d0, 0, p), "ENOENT");
	assert_string_equal(t_read(d0, 0, "/c"), "ENOENT");
	assert_int_equal(xsd_entries_of(xsd, 0), before);
	assert_int_equal(xs_hash_count(xsd->nodes), before);
	/* The same inside a transaction. */
	assert_string_equal(t_write(d0, 0, p, "deep"), "OK");
	tx = t_txn_start(d0);
	assert_string_equal(rm_small_stack(d0, tx), "OK");
	assert_string_equal(t_read(d0, 0, p), "deep");
	assert_string_equal(t_txn_end(d0, tx, true), "OK");
	assert_string_equal(t_read(d0, 0, "/c"), "ENOENT");
	assert_int_equal(xsd_entries_of(xsd, 0), before);
	assert_int_equal(xs_hash_count(xsd->nodes), before);
	t_disconnect(d0);
	t_disconnect(d1);
}

/*
 * A request naming a long path under missing ancestors must cost about
 * the path's length in hashing, not its square (each ancestor re-hashed
 * from the start was 2.4 MB of hashing for one 3 KB path).
 */
static void test_long_missing_path_cost(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *d0 = t_connect(xsd, 0), *d1 = t_connect(xsd, 1);
	static char p[XENSTORE_ABS_PATH_MAX + 1], rel[XENSTORE_REL_PATH_MAX + 1];
	unsigned long long before;
	uint32_t tx;

	t_mkdir(d0, 0, "/local/domain/1");
	assert_string_equal(t_strs(d0, XS_SET_PERMS, 0, 2, "/local/domain/1", "n1"), "OK");
	deep_chain(p);
	strcpy(rel, "r");
	for (size_t l = 1; l + 2 <= XENSTORE_REL_PATH_MAX; l += 2)
		strcat(rel + l, "/a");
	tx = t_txn_start(d1);
	before = xs_hash_bytes;
	assert_string_equal(t_read(d1, 0, p), "EACCES");
	assert_string_equal(t_read(d1, tx, p), "EACCES");
	assert_string_equal(t_rm(d1, 0, p), "EACCES");
	assert_string_equal(t_rm(d1, 0, rel), "ENOENT");
	assert_string_equal(t_write(d1, 0, rel, "x"), "ENOSPC");
	assert_string_equal(t_write(d1, tx, rel, "x"), "ENOSPC");
	assert_string_equal(t_write(d1, 0, p, "x"), "EACCES");
	/* Seven requests of at most 3 KB: ~112 KB hashed, was ~17 MB. */
	assert_true(xs_hash_bytes - before < 7 * 12 * XENSTORE_ABS_PATH_MAX);
	/* The same walk for the watch code: which node decides. */
	{
		struct xsd_ctx ctx = { .xsd = xsd, .who = &d1->conn->who };

		before = xs_hash_bytes;
		assert_ptr_equal(xsd_nearest(&ctx, p), xs_hash_get(xsd->nodes, "/"));
		assert_true(xs_hash_bytes - before < 4 * XENSTORE_ABS_PATH_MAX);
		assert_ptr_equal(xsd_nearest(&ctx, "/local/domain/1/r/a"),
				 xs_hash_get(xsd->nodes, "/local/domain/1"));
		assert_ptr_equal(xsd_nearest(&ctx, "/local/domain/1"),
				 xs_hash_get(xsd->nodes, "/local/domain/1"));
	}
	t_disconnect(d0);
	t_disconnect(d1);
}

/*
 * The node hash is SipHash-2-4 (its authors' test vectors: key 00..0f,
 * messages 00.., here of 0 and 15 bytes), and the one-pass ancestor
 * hashes equal the hashes of the prefixes.
 */
static void test_hash(void **state)
{
	static const char path[] = "/ab/cdefghij/k/lmnopqrstuvw/x";
	static const size_t want[] = { 1, 3, 12, 14, 27 };
	unsigned char key[16], msg[15];
	size_t lens[8];
	uint64_t hashes[8];

	for (int i = 0; i < 16; i++)
		key[i] = i;
	for (int i = 0; i < 15; i++)
		msg[i] = i;
	assert_true(xs_hash_siphash(key, msg, 0) == 0x726fdb47dd0e0e31ull);
	assert_true(xs_hash_siphash(key, msg, 15) == 0xa129ca6149be45e5ull);
	assert_int_equal(xs_hash_ancestors(path, lens, hashes, 8), 5);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(lens[i], want[i]);
		assert_true(hashes[i] == xs_hash_of(path, lens[i]));
	}
	assert_int_equal(xs_hash_ancestors("/", lens, hashes, 8), 0);
	assert_int_equal(xs_hash_ancestors(path, lens, hashes, 2), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_binary_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_part, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disconnect_mid_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rm_deep_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_missing_path_cost, setup, teardown),
		cmocka_unit_test(test_hash),
	};

	return cmocka_run_group_tests_name("xenstore_tree", tests, NULL, NULL);
}
