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
 */
#include <sys/socket.h>
#include <unistd.h>
#include "xenstore_test_util.h"
#include "xs_dom0.c"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dispatch_by_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_over_own_ring, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
