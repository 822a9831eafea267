/*
 * xenstore_dom0_test.c - the Dom0 transport's event dispatch
 * (xsd_dom0_event): a port's pending input goes to the domain whose ring
 * is bound to it, and what that input does to the domain table (RELEASE,
 * INTRODUCE) cannot leave the dispatch walking freed records.
 *
 * xs_dom0.c is included whole to reach its static state: the event
 * channel descriptor becomes one end of a socket pair, the test writes
 * port numbers into the other end, and the rings are in-memory
 * connections (no devices are opened).
 *
 * Domain deaths: VIRQ_DOM_EXC's port is one more port on that descriptor,
 * and the hypervisor's getdomaininfo is the fake below (xsd_hv_dominfo,
 * which the daemon gets from xs_hv.c over libxenctrl).
 */
#include <sys/socket.h>
#include <unistd.h>
#include "xenstore_test_util.h"
#include "xs_dom0.c"

/* The fake hypervisor: what getdomaininfo says of each domain id. */
static struct xsd_dominfo hv_dom[8];
static int hv_err[8];
static unsigned int hv_asked[8];

int xsd_hv_open(void) { return 0; }
void xsd_hv_close(void) { }
int xsd_hv_dominfo(void *arg, unsigned int domid, struct xsd_dominfo *out)
{
	assert_true(domid < 8);
	assert_int_not_equal(domid, 0);		/* Dom0 is never asked about */
	hv_asked[domid]++;
	if (hv_err[domid])
		return hv_err[domid];
	*out = hv_dom[domid];
	return 0;
}

#define VIRQ_PORT 9

/* cmocka names its argument `state` too. */
static struct dom0_state *const dom0 = &state;

struct fixture {
	struct xsd *xsd;
	int sv[2];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || socketpair(AF_UNIX, SOCK_STREAM, 0, f->sv))
		return -1;
	f->xsd = xsd_create(NULL);
	dom0->evtchn_fd = f->sv[0];
	dom0->virq_port = VIRQ_PORT;
	memset(hv_dom, 0, sizeof(hv_dom));
	memset(hv_err, 0, sizeof(hv_err));
	memset(hv_asked, 0, sizeof(hv_asked));
	for (unsigned int i = 0; i < 8; i++)
		hv_dom[i].exists = true;
	*state = f;
	return f->xsd ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	xsd_destroy(f->xsd);
	close(f->sv[0]);
	close(f->sv[1]);
	dom0->evtchn_fd = -1;
	dom0->virq_port = -1;
	free(f);
	return 0;
}

/* Introduce domid as a record only, and give it `t` as its ring on
 * `port` (the ring state is the test's, so nothing is unmapped). */
static void ring(struct xsd *xsd, struct t_conn *t, unsigned int domid,
		 struct dom_ring *r, uint32_t port)
{
	struct xsd_domain *d;

	assert_int_equal(xsd_domain_introduce(xsd, domid, 1, 1), 0);
	d = xsd_domain_find(xsd, domid);
	r->st = dom0;
	r->local_port = port;
	d->priv = r;
	d->conn = t->conn;
	t->conn->domain = d;
}

/* Queue a request on t's "ring" without running it. */
static void queue_req(struct t_conn *t, uint32_t type, const char *arg)
{
	struct xsd_sockmsg h = { type, 7, 0, (uint32_t)strlen(arg) + 1 };

	memcpy(t->in + t->in_len, &h, sizeof(h));
	t->in_len += sizeof(h);
	memcpy(t->in + t->in_len, arg, h.len);
	t->in_len += h.len;
}

static void kick(struct fixture *f, uint32_t port)
{
	uint32_t back;

	assert_int_equal(write(f->sv[1], &port, sizeof(port)), sizeof(port));
	xsd_dom0_event(f->xsd);
	/* The port is unmasked (written back) once consumed. */
	assert_int_equal(read(f->sv[1], &back, sizeof(back)), sizeof(back));
	assert_int_equal(back, port);
}

static void test_dispatch_by_port(void **state)
{
	struct fixture *f = *state;
	struct t_conn *r0 = t_connect(f->xsd, 0), *r1 = t_connect(f->xsd, 1);
	struct dom_ring ring0 = { 0 }, ring1 = { 0 };

	ring(f->xsd, r0, 0, &ring0, 3);
	ring(f->xsd, r1, 1, &ring1, 4);
	queue_req(r1, XS_GET_DOMAIN_PATH, "1");
	queue_req(r0, XS_GET_DOMAIN_PATH, "0");
	kick(f, 4);
	/* the reply went out with the event, not left for the main loop */
	assert_true(r1->out_len > 0);
	assert_int_equal(r0->out_len, 0);
	t_collect(r0);
	t_collect(r1);
	assert_string_equal(r1->reply, "/local/domain/1");
	assert_int_equal(r0->reply_len, 0);
	kick(f, 3);
	t_collect(r0);
	assert_string_equal(r0->reply, "/local/domain/0");
	t_disconnect(r1);
	t_disconnect(r0);
}

/*
 * Dom0's own ring asks to release Dom0.  The dispatch used to walk the
 * domain list while running input, so freeing the running domain's
 * record was a use-after-free (ASan) on the next step of the walk.
 */
static void test_release_over_own_ring(void **state)
{
	struct fixture *f = *state;
	struct t_conn *r0 = t_connect(f->xsd, 0);
	struct dom_ring ring0 = { 0 };

	ring(f->xsd, r0, 0, &ring0, 3);
	queue_req(r0, XS_RELEASE, "0");
	kick(f, 3);
	t_collect(r0);
	assert_int_equal(r0->reply_type, XS_ERROR);
	assert_string_equal(r0->reply, "EINVAL");
	assert_non_null(xsd_domain_find(f->xsd, 0));
	/* A release of another domain from the same ring is fine. */
	assert_int_equal(xsd_domain_introduce(f->xsd, 5, 1, 1), 0);
	queue_req(r0, XS_RELEASE, "5");
	kick(f, 3);
	t_collect(r0);
	assert_string_equal(r0->reply, "OK");
	assert_null(xsd_domain_find(f->xsd, 5));
	t_disconnect(r0);
}

/*
 * A guest with its ring, a home it owns with nodes in it, a watch, an
 * open transaction; Dom0's toolstack watches @releaseDomain.
 */
struct guest {
	struct t_conn *t;
	struct dom_ring ring;	/* the test's: no transport ops to free it */
	uint32_t tx;
};

static void make_guest(struct fixture *f, struct t_conn *d0, struct guest *g,
		       unsigned int domid, uint32_t port)
{
	char home[32], path[48];

	memset(g, 0, sizeof(*g));
	g->t = t_connect(f->xsd, domid);
	ring(f->xsd, g->t, domid, &g->ring, port);
	snprintf(home, sizeof(home), "/local/domain/%u", domid);
	snprintf(path, sizeof(path), "n%u", domid);
	assert_string_equal(t_mkdir(d0, 0, home), "OK");
	assert_string_equal(t_strs(d0, XS_SET_PERMS, 0, 2, home, path), "OK");
	snprintf(path, sizeof(path), "%s/data", home);
	assert_string_equal(t_write(g->t, 0, path, "x"), "OK");
	assert_string_equal(t_write(g->t, 0, "device/vif", ""), "OK");
	assert_string_equal(t_watch(g->t, "device", "tok"), "OK");
	assert_non_null(t_event(g->t));			/* the initial one */
	g->tx = t_txn_start(g->t);
	assert_string_equal(t_write(g->t, g->tx, "pending", "1"), "OK");
}

/* Drop a guest whose connection the daemon may already have reaped. */
static void drop_guest(struct fixture *f, struct guest *g, bool reaped)
{
	if (reaped)
		g->t->conn = NULL;
	t_disconnect(g->t);
}

static unsigned int count_events(struct t_conn *t, const char *want)
{
	unsigned int n = 0;
	const char *e;

	while ((e = t_event(t)))
		n += !strcmp(e, want);
	return n;
}

static bool has_node(struct xsd *xsd, const char *path)
{
	return xs_hash_get(xsd->nodes, path) != NULL;
}

/*
 * A dying domain is forgotten at VIRQ_DOM_EXC: its connection (with its
 * watches and transaction) goes, its nodes and its count go, and
 * @releaseDomain fires once.  The domain beside it, alive, keeps all.
 * The toolstack's RELEASE afterwards answers ENOENT, as Xen's.
 */
static void test_dom_exc_dying_forgets(void **state)
{
	struct fixture *f = *state;
	struct t_conn *d0 = t_connect(f->xsd, 0);
	struct guest g1, g2;
	struct xsd_conn *c1;

	make_guest(f, d0, &g1, 1, 4);
	make_guest(f, d0, &g2, 2, 5);
	c1 = g1.t->conn;
	assert_string_equal(t_watch(d0, "@releaseDomain", "rel"), "OK");
	assert_int_equal(count_events(d0, "@releaseDomain rel"), 1);
	assert_true(f->xsd->entries[1] > 0);

	/* Nothing has happened yet: an event finds everyone alive. */
	kick(f, VIRQ_PORT);
	assert_int_equal(count_events(d0, "@releaseDomain rel"), 0);
	assert_non_null(xsd_domain_find(f->xsd, 1));

	hv_dom[1].shutdown = hv_dom[1].dying = true;
	kick(f, VIRQ_PORT);
	assert_int_equal(count_events(d0, "@releaseDomain rel"), 1);
	assert_null(xsd_domain_find(f->xsd, 1));
	assert_true(c1->dead);			/* reaped by the main loop */
	assert_null(c1->domain);
	assert_int_equal(f->xsd->entries[1], 0);
	assert_false(has_node(f->xsd, "/local/domain/1"));
	assert_false(has_node(f->xsd, "/local/domain/1/data"));
	/* the other guest: untouched, its transaction still commits */
	assert_non_null(xsd_domain_find(f->xsd, 2));
	assert_true(has_node(f->xsd, "/local/domain/2/data"));
	assert_string_equal(t_strs(g2.t, XS_TRANSACTION_END, g2.tx, 1, "T"), "OK");
	assert_true(has_node(f->xsd, "/local/domain/2/pending"));

	/* the dead domain's connection, watches and transaction are freed */
	xsd_reap_dead(f->xsd);
	for (struct xsd_conn *c = f->xsd->conns; c; c = c->next)
		assert_ptr_not_equal(c, c1);
	assert_string_equal(t_strs(d0, XS_RELEASE, 0, 1, "1"), "ENOENT");
	assert_int_equal(count_events(d0, "@releaseDomain rel"), 0);
	drop_guest(f, &g1, true);
	drop_guest(f, &g2, false);
	t_disconnect(d0);
}

/*
 * A domain that shut down (or crashed) but is not dying: @releaseDomain
 * fires the first time it is seen so, and only then (Xen's semantics:
 * the toolstack decides what follows); it stays introduced and served.
 * When it is gone from the hypervisor, it is forgotten.
 */
static void test_dom_exc_shutdown_then_gone(void **state)
{
	struct fixture *f = *state;
	struct t_conn *d0 = t_connect(f->xsd, 0);
	struct guest g1;

	make_guest(f, d0, &g1, 1, 4);
	assert_string_equal(t_watch(d0, "@releaseDomain", "rel"), "OK");
	assert_int_equal(count_events(d0, "@releaseDomain rel"), 1);

	hv_dom[1].shutdown = true;
	kick(f, VIRQ_PORT);
	assert_int_equal(count_events(d0, "@releaseDomain rel"), 1);
	assert_non_null(xsd_domain_find(f->xsd, 1));
	assert_false(g1.t->conn->dead);
	assert_string_equal(t_read(g1.t, 0, "/local/domain/1/data"), "x");
	kick(f, VIRQ_PORT);			/* another domain's event */
	assert_int_equal(count_events(d0, "@releaseDomain rel"), 0);

	hv_dom[1] = (struct xsd_dominfo){ .exists = false };
	kick(f, VIRQ_PORT);
	assert_int_equal(count_events(d0, "@releaseDomain rel"), 1);
	assert_null(xsd_domain_find(f->xsd, 1));
	assert_false(has_node(f->xsd, "/local/domain/1"));
	drop_guest(f, &g1, false);
	t_disconnect(d0);
}

/*
 * Several at once: two shut down and one dying in one event.  The dying
 * one is forgotten; the watch fires at least once, and the shut-down
 * ones are not reported again at the next event.  Dom0 is never asked
 * about (the fake asserts it); a domain the hypervisor cannot be asked
 * about is kept.
 */
static void test_dom_exc_many_and_errors(void **state)
{
	struct fixture *f = *state;
	struct t_conn *d0 = t_connect(f->xsd, 0);
	struct dom_ring ring0 = { 0 };
	struct t_conn *r0 = t_connect(f->xsd, 0);

	ring(f->xsd, r0, 0, &ring0, 3);
	for (unsigned int id = 1; id <= 4; id++)
		assert_int_equal(xsd_domain_introduce(f->xsd, id, 1, 1), 0);
	assert_string_equal(t_watch(d0, "@releaseDomain", "rel"), "OK");
	assert_int_equal(count_events(d0, "@releaseDomain rel"), 1);
	hv_dom[1].shutdown = true;
	hv_dom[2].dying = true;
	hv_dom[3].shutdown = true;
	hv_err[4] = EACCES;
	kick(f, VIRQ_PORT);
	assert_true(count_events(d0, "@releaseDomain rel") >= 1);
	assert_non_null(xsd_domain_find(f->xsd, 0));
	assert_non_null(xsd_domain_find(f->xsd, 1));
	assert_null(xsd_domain_find(f->xsd, 2));
	assert_non_null(xsd_domain_find(f->xsd, 3));
	assert_non_null(xsd_domain_find(f->xsd, 4));
	for (unsigned int id = 1; id <= 4; id++)
		assert_int_equal(hv_asked[id], 1);
	kick(f, VIRQ_PORT);
	assert_int_equal(count_events(d0, "@releaseDomain rel"), 0);
	/* the one asked about in vain is looked at again, and goes */
	hv_err[4] = 0;
	hv_dom[4].exists = false;
	kick(f, VIRQ_PORT);
	assert_int_equal(count_events(d0, "@releaseDomain rel"), 1);
	assert_null(xsd_domain_find(f->xsd, 4));
	assert_int_equal(hv_asked[2], 1);		/* forgotten: not asked */
	t_disconnect(r0);
	t_disconnect(d0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dispatch_by_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_over_own_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dom_exc_dying_forgets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dom_exc_shutdown_then_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dom_exc_many_and_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
