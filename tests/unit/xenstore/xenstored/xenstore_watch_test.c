/*
 * xenstore_watch_test.c - watches: initial event, matching rules,
 * removal, relative paths, special paths, permissions, unwatch/reset.
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

static void test_initial_and_changes(void **state)
{
	struct t_conn *w = t_connect(*state, 0), *c = t_connect(*state, 0);

	assert_string_equal(t_watch(w, "/w", "T1"), "OK");
	assert_string_equal(t_event(w), "/w T1");	/* once, on registration */
	t_no_event(w);
	t_write(c, 0, "/w/a/b", "1");
	assert_string_equal(t_event(w), "/w/a/b T1");
	t_no_event(w);
	t_write(c, 0, "/wx", "1");	/* a sibling with the same prefix */
	t_no_event(w);
	t_write(c, 0, "/", "root");	/* above the watch */
	t_no_event(w);
	t_mkdir(c, 0, "/w/m");
	assert_string_equal(t_event(w), "/w/m T1");
	assert_string_equal(t_strs(c, XS_SET_PERMS, 0, 2, "/w/m", "r0"), "OK");
	assert_string_equal(t_event(w), "/w/m T1");
	t_disconnect(w);
	t_disconnect(c);
}

static void test_remove_fires_below(void **state)
{
	struct t_conn *w = t_connect(*state, 0), *c = t_connect(*state, 0);

	t_write(c, 0, "/r/a/b/c", "1");
	t_watch(w, "/r/a/b", "deep");
	t_watch(w, "/r", "top");
	t_event(w);
	t_event(w);
	t_rm(c, 0, "/r/a");
	/* Order of events across watches is not part of the contract. */
	{
		const char *e1 = t_event(w), *e2;
		char first[256];

		assert_non_null(e1);
		strcpy(first, e1);
		e2 = t_event(w);
		assert_non_null(e2);
		assert_true((!strcmp(first, "/r/a top") && !strcmp(e2, "/r/a/b deep")) ||
			    (!strcmp(e2, "/r/a top") && !strcmp(first, "/r/a/b deep")));
	}
	t_no_event(w);
	t_disconnect(w);
	t_disconnect(c);
}

static void test_relative(void **state)
{
	struct t_conn *w = t_connect(*state, 0), *c = t_connect(*state, 0);

	t_watch(w, "device", "rel");
	assert_string_equal(t_event(w), "device rel");
	t_write(c, 0, "/local/domain/0/device/vbd/1", "x");
	assert_string_equal(t_event(w), "device/vbd/1 rel");
	t_disconnect(w);
	t_disconnect(c);
}

static void test_duplicates_and_unwatch(void **state)
{
	struct t_conn *w = t_connect(*state, 0), *c = t_connect(*state, 0);

	t_watch(w, "/u", "a");
	assert_string_equal(t_watch(w, "/u", "a"), "EEXIST");
	assert_string_equal(t_watch(w, "/u", "b"), "OK");
	t_event(w);
	t_event(w);
	assert_string_equal(t_strs(w, XS_UNWATCH, 0, 2, "/u", "a"), "OK");
	assert_string_equal(t_strs(w, XS_UNWATCH, 0, 2, "/u", "a"), "ENOENT");
	t_write(c, 0, "/u", "1");
	assert_string_equal(t_event(w), "/u b");
	t_no_event(w);
	assert_string_equal(t_strs(w, XS_RESET_WATCHES, 0, 1, ""), "OK");
	t_write(c, 0, "/u", "2");
	t_no_event(w);
	assert_int_equal(w->conn->nwatches, 0);
	t_disconnect(w);
	t_disconnect(c);
}

static void test_special_paths(void **state)
{
	struct t_conn *w = t_connect(*state, 0), *c = t_connect(*state, 0);

	t_watch(w, "@introduceDomain", "i");
	t_watch(w, "@releaseDomain", "r");
	t_watch(w, "/", "root");
	t_event(w);
	t_event(w);
	t_event(w);
	t_strs(c, XS_INTRODUCE, 0, 3, "3", "55", "4");
	assert_string_equal(t_event(w), "@introduceDomain i");
	t_no_event(w);		/* special paths do not match "/" */
	t_strs(c, XS_RELEASE, 0, 1, "3");
	assert_string_equal(t_event(w), "@releaseDomain r");
	t_no_event(w);
	t_disconnect(w);
	t_disconnect(c);
}

/*
 * Unprivileged watchers of the special paths are accepted (as in Xen)
 * but hear nothing: when other guests come and go is not theirs to
 * know.
 */
static void test_special_paths_unprivileged(void **state)
{
	struct t_conn *u = t_connect(*state, 1), *w = t_connect(*state, 0),
		      *c = t_connect(*state, 0);

	assert_string_equal(t_watch(u, "@releaseDomain", "r"), "OK");
	assert_string_equal(t_watch(u, "@introduceDomain", "i"), "OK");
	assert_string_equal(t_event(u), "@releaseDomain r");	/* initial */
	assert_string_equal(t_event(u), "@introduceDomain i");
	t_watch(w, "@releaseDomain", "r");
	t_event(w);
	t_strs(c, XS_INTRODUCE, 0, 3, "7", "55", "4");
	t_no_event(u);
	t_strs(c, XS_RELEASE, 0, 1, "7");
	t_no_event(u);
	assert_string_equal(t_event(w), "@releaseDomain r");
	t_disconnect(u);
	t_disconnect(w);
	t_disconnect(c);
}

static void test_permission_filter(void **state)
{
	struct t_conn *w = t_connect(*state, 1), *c = t_connect(*state, 0);

	t_mkdir(c, 0, "/pf");
	t_strs(c, XS_SET_PERMS, 0, 2, "/pf", "r0");	/* readable by all */
	t_watch(w, "/pf", "x");
	t_event(w);
	t_write(c, 0, "/pf/open", "1");
	assert_string_equal(t_event(w), "/pf/open x");
	t_write(c, 0, "/pf/closed", "1");
	assert_string_equal(t_event(w), "/pf/closed x");	/* inherited r0 */
	t_strs(c, XS_SET_PERMS, 0, 2, "/pf/closed", "n0");
	t_no_event(w);
	t_write(c, 0, "/pf/closed", "2");
	t_no_event(w);
	t_disconnect(w);
	t_disconnect(c);
}

static void test_other_clients_see_events(void **state)
{
	struct t_conn *w1 = t_connect(*state, 0), *w2 = t_connect(*state, 0),
		      *c = t_connect(*state, 0);

	t_watch(w1, "/o", "one");
	t_watch(w2, "/o", "two");
	t_event(w1);
	t_event(w2);
	t_write(c, 0, "/o/x", "1");
	assert_string_equal(t_event(w1), "/o/x one");
	assert_string_equal(t_event(w2), "/o/x two");
	t_no_event(c);
	t_disconnect(w1);
	t_disconnect(w2);
	t_disconnect(c);
}

/* Dom0 makes /local/domain/<d>/state, owned by d; w watches it. */
static void state_node(struct t_conn *d0, struct t_conn *w, int d)
{
	char path[64], tok[8], perm[8];

	snprintf(path, sizeof(path), "/local/domain/%d/state", d);
	snprintf(tok, sizeof(tok), "s%d", d);
	snprintf(perm, sizeof(perm), "n%d", d);
	t_write(d0, 0, path, "1");
	assert_string_equal(t_strs(d0, XS_SET_PERMS, 0, 2, path, perm), "OK");
	t_watch(w, path, tok);
	assert_non_null(t_event(w));
}

/* Read every event w has been sent; count them, and whether `want` was
 * among them.  (t_conn keeps 64 at a time.) */
static unsigned int drain(struct t_conn *w, const char *want, bool *seen)
{
	unsigned int n = 0;
	const char *e;

	while ((e = t_event(w))) {
		n++;
		if (!strcmp(e, want))
			*seen = true;
		if (w->ev_read == w->nevents)
			w->ev_read = w->nevents = 0;
	}
	return n;
}

/*
 * The watcher (Dom0, say a backend) stops reading for a while; dom1
 * writes its own state 1,100 times, then dom2 says Closing.  The events
 * waiting for the watcher are limited (1,024), but dom1's are all the
 * same event: queued once, they cannot push dom2's out.
 */
static void test_flood_identical_events(void **state)
{
	struct t_conn *w = t_connect(*state, 0), *d0 = t_connect(*state, 0),
		      *d1 = t_connect(*state, 1), *d2 = t_connect(*state, 2);
	bool seen = false;

	state_node(d0, w, 1);
	state_node(d0, w, 2);
	w->out_cap = 1;		/* stops reading */
	for (int i = 0; i < 1100; i++)
		assert_string_equal(t_write(d1, 0, "/local/domain/1/state",
					    i & 1 ? "3" : "4"), "OK");
	assert_string_equal(t_write(d2, 0, "/local/domain/2/state", "5"), "OK");
	w->out_cap = 0;		/* reads again */
	drain(w, "/local/domain/2/state s2", &seen);
	assert_true(seen);
	assert_int_equal(w->conn->dropped_events, 0);
	t_disconnect(w);
	t_disconnect(d0);
	t_disconnect(d1);
	t_disconnect(d2);
}

/*
 * The same with events that differ (600 nodes, two watches: 1,200
 * events).  They are charged to dom1, which triggered them: its input
 * waits while too many are queued at others, so it cannot fill the
 * watcher's queue, and dom2's event gets in.  Once the watcher reads,
 * dom1 goes on, and nothing at all was dropped.
 */
static void test_flood_charged_to_its_source(void **state)
{
	struct t_conn *w = t_connect(*state, 0), *d0 = t_connect(*state, 0),
		      *d1 = t_connect(*state, 1), *d2 = t_connect(*state, 2);
	unsigned int events = 0;
	bool seen = false;

	state_node(d0, w, 2);
	t_mkdir(d0, 0, "/local/domain/1");
	t_strs(d0, XS_SET_PERMS, 0, 2, "/local/domain/1", "n1");
	t_watch(w, "/local/domain/1", "a");
	t_watch(w, "/local/domain/1", "b");
	drain(w, "", &seen);
	w->out_cap = 1;
	/* dom1 sends its 600 writes without waiting for the replies. */
	for (int i = 0; i < 600; i++) {
		char msg[64];
		int pl = snprintf(msg + 16, 48, "/local/domain/1/n%d", i) + 1;
		struct xsd_sockmsg h = { XS_WRITE, i, 0, (uint32_t)pl + 1 };

		memcpy(msg, &h, sizeof(h));
		msg[16 + pl] = 'v';
		memcpy(d1->in + d1->in_len, msg, 16 + pl + 1);
		d1->in_len += 16 + pl + 1;
	}
	for (int i = 0; i < 100; i++) {
		xsd_conn_input(d1->conn);
		t_collect(d1);		/* dom1 reads its replies */
	}
	assert_string_equal(t_write(d2, 0, "/local/domain/2/state", "5"), "OK");
	w->out_cap = 0;
	seen = false;
	for (int i = 0; i < 10000 && d1->in_off < d1->in_len; i++) {
		events += drain(w, "/local/domain/2/state s2", &seen);
		xsd_conn_input(d1->conn);
		t_collect(d1);
	}
	events += drain(w, "/local/domain/2/state s2", &seen);
	assert_true(seen);
	assert_int_equal(d1->in_off, d1->in_len);
	assert_int_equal(xsd_entries_of(d1->conn->xsd, 1), 601);
	assert_int_equal(w->conn->dropped_events, 0);
	assert_int_equal(events, 1201);
	t_disconnect(w);
	t_disconnect(d0);
	t_disconnect(d1);
	t_disconnect(d2);
}

/*
 * Only events waiting at privileged watchers are charged: a guest that
 * watches another's nodes and never reads cannot stall the writer.
 */
static void test_unread_guest_watcher_stalls_nobody(void **state)
{
	struct t_conn *d0 = t_connect(*state, 0), *d1 = t_connect(*state, 1),
		      *d3 = t_connect(*state, 3);

	t_mkdir(d0, 0, "/local/domain/1");
	t_strs(d0, XS_SET_PERMS, 0, 3, "/local/domain/1", "n1", "r3");
	t_watch(d3, "/local/domain/1", "x");
	d3->out_cap = 1;
	for (int i = 0; i < 100; i++) {
		char p[64];

		snprintf(p, sizeof(p), "/local/domain/1/n%d", i);
		assert_string_equal(t_write(d1, 0, p, "v"), "OK");
	}
	assert_int_equal(d1->conn->events_caused, 0);
	assert_true(d3->conn->out_events > 20);
	t_disconnect(d0);
	t_disconnect(d1);
	t_disconnect(d3);
}

/* A watcher that goes away with charged events queued frees the charge. */
static void test_charge_freed_with_watcher(void **state)
{
	struct t_conn *w = t_connect(*state, 0), *d0 = t_connect(*state, 0),
		      *d1 = t_connect(*state, 1);

	t_mkdir(d0, 0, "/local/domain/1");
	t_strs(d0, XS_SET_PERMS, 0, 2, "/local/domain/1", "n1");
	t_watch(w, "/local/domain/1", "a");
	t_event(w);
	w->out_cap = 1;
	for (int i = 0; i < 5; i++) {
		char p[64];

		snprintf(p, sizeof(p), "/local/domain/1/n%d", i);
		assert_string_equal(t_write(d1, 0, p, "v"), "OK");
	}
	assert_int_equal(d1->conn->events_caused, 5);
	t_disconnect(w);
	assert_int_equal(d1->conn->events_caused, 0);
	t_disconnect(d0);
	t_disconnect(d1);
}

/*
 * Who may hear of a removal below a watched path is decided by the
 * nearest node that still exists.  Finding it must cost about the
 * watched path's length, not its square: a guest with many watches on
 * deep paths below a node it removes made each RM re-hash every prefix
 * of every watch (~27 MB of hashing for 20 watches of 2 KB).
 */
static void test_removal_below_deep_watches_is_cheap(void **state)
{
	struct xsd *xsd = *state;
	struct t_conn *d0 = t_connect(xsd, 0), *d1 = t_connect(xsd, 1);
	static char p[XENSTORE_REL_PATH_MAX + 1];
	unsigned long long before;
	unsigned int n = 0;

	t_mkdir(d0, 0, "/local/domain/1");
	t_strs(d0, XS_SET_PERMS, 0, 2, "/local/domain/1", "n1");
	for (int i = 0; i < 20; i++) {
		snprintf(p, sizeof(p), "x/w%d", i);
		while (strlen(p) + 2 <= 2000)
			strcat(p, "/a");
		assert_string_equal(t_watch(d1, p, "t"), "OK");
	}
	while (t_event(d1))
		;			/* the initial events */
	assert_string_equal(t_write(d1, 0, "x", "1"), "OK");
	before = xs_hash_bytes;
	assert_string_equal(t_rm(d1, 0, "x"), "OK");
	assert_true(xs_hash_bytes - before < 20 * 8 * XENSTORE_ABS_PATH_MAX);
	/* Each watcher still hears of it: its home is readable. */
	while (t_event(d1))
		n++;
	assert_int_equal(n, 20);
	t_disconnect(d0);
	t_disconnect(d1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_initial_and_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_fires_below, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates_and_unwatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_special_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_special_paths_unprivileged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permission_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_clients_see_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_identical_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_charged_to_its_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unread_guest_watcher_stalls_nobody, setup, teardown),
		cmocka_unit_test_setup_teardown(test_charge_freed_with_watcher, setup, teardown),
		cmocka_unit_test_setup_teardown(test_removal_below_deep_watches_is_cheap, setup, teardown),
	};

	return cmocka_run_group_tests_name("xenstore_watch", tests, NULL, NULL);
}
