/*
 * xenstore_ring_test.c - the shared-ring transport on an in-memory page:
 * byte streams with wrap-around and index overflow, full/empty rings,
 * corrupt indexes, and whole requests through a ring connection.
 */
#include "xenstore_test_util.h"
#include "xs_ring_conn.h"

static void test_roundtrip_and_wrap(void **state)
{
	struct xenstore_domain_interface intf = { 0 };
	struct xs_ring_dir cin, cout, sin, sout;
	char buf[2048], got[2048];

	/* Indexes just below 2^32: the stream must cross the overflow. */
	intf.req_cons = intf.req_prod = UINT32_MAX - 100;
	xs_ring_client(&intf, &cin, &cout);
	xs_ring_server(&intf, &sin, &sout);
	for (int round = 0; round < 5; round++) {
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (char)(i * 7 + round);
		assert_int_equal(xs_ring_write(&cout, buf, 700), 700);
		assert_int_equal(xs_ring_avail(&sin), 700);
		assert_int_equal(xs_ring_read(&sin, got, 300), 300);
		assert_int_equal(xs_ring_read(&sin, got + 300, 1000), 400);
		assert_memory_equal(buf, got, 700);
		assert_int_equal(xs_ring_read(&sin, got, 10), 0);
	}
	assert_true(intf.req_prod < 5000);	/* it did wrap */
}

static void test_full(void **state)
{
	struct xenstore_domain_interface intf = { 0 };
	struct xs_ring_dir sin, sout;
	char buf[1500] = { 0 };

	xs_ring_server(&intf, &sin, &sout);
	assert_int_equal(xs_ring_write(&sout, buf, sizeof(buf)), XENSTORE_RING_SIZE);
	assert_int_equal(xs_ring_write(&sout, buf, 1), 0);
	intf.rsp_cons += 10;	/* the client consumed ten bytes */
	assert_int_equal(xs_ring_write(&sout, buf, 100), 10);
}

static void test_corrupt(void **state)
{
	struct xenstore_domain_interface intf = { 0 };
	struct xs_ring_dir sin, sout;
	char buf[16];

	xs_ring_server(&intf, &sin, &sout);
	intf.req_prod = XENSTORE_RING_SIZE + 1;	/* more than a ring's worth */
	assert_int_equal(xs_ring_read(&sin, buf, sizeof(buf)), -1);
	assert_int_equal(xs_ring_avail(&sin), -1);
	intf.req_prod = 0;
	intf.req_cons = 5;			/* consumer ahead of producer */
	assert_int_equal(xs_ring_read(&sin, buf, sizeof(buf)), -1);
	intf.rsp_cons = 2000;
	assert_int_equal(xs_ring_write(&sout, buf, 1), -1);
}

static int kicks;
static void kick(void *arg)
{
	kicks++;
}

static void client_send(struct xs_ring_dir *out, uint32_t type, const void *p,
			uint32_t len)
{
	struct xsd_sockmsg h = { type, 9, 0, len };

	assert_int_equal(xs_ring_write(out, &h, sizeof(h)), sizeof(h));
	assert_int_equal(xs_ring_write(out, p, len), len);
}

static uint32_t client_recv(struct xs_ring_dir *in, char *body)
{
	struct xsd_sockmsg h;

	assert_int_equal(xs_ring_read(in, &h, sizeof(h)), sizeof(h));
	assert_int_equal(xs_ring_read(in, body, h.len), h.len);
	body[h.len] = '\0';
	return h.type;
}

static void test_conn_over_ring(void **state)
{
	struct xsd *xsd = xsd_create(NULL);
	struct xenstore_domain_interface intf = { 0 };
	struct xsd_who who = { .domid = 0, .priv = true, .target = -1 };
	struct xs_ring_dir cin, cout;
	struct xsd_conn *conn;
	char body[XENSTORE_PAYLOAD_MAX + 1];

	assert_non_null(xsd);
	conn = xsd_ring_conn_new(xsd, &intf, &who, kick, NULL);
	assert_non_null(conn);
	xs_ring_client(&intf, &cin, &cout);
	client_send(&cout, XS_WRITE, "/r\0val", 6);
	client_send(&cout, XS_READ, "/r", 3);
	xsd_conn_input(conn);
	xsd_conn_flush(conn);
	assert_int_equal(client_recv(&cin, body), XS_WRITE);
	assert_string_equal(body, "OK");
	assert_int_equal(client_recv(&cin, body), XS_READ);
	assert_string_equal(body, "val");
	/* One event per reply; none for reading a request from a ring that
	 * was not full (each would wake the domain's xenbus thread). */
	assert_int_equal(kicks, 2);

	/* A reply bigger than the ring goes out as the client drains it. */
	{
		/* A request bigger than the ring goes in as the store drains. */
		char big[sizeof(struct xsd_sockmsg) + 3003];
		struct xsd_sockmsg h = { XS_WRITE, 10, 0, 3003 };
		size_t sent = 0;

		memcpy(big, &h, sizeof(h));
		memcpy(big + sizeof(h), "/b\0", 3);
		memset(big + sizeof(h) + 3, 'z', 3000);
		for (int i = 0; i < 10 && sent < sizeof(big); i++) {
			ssize_t r = xs_ring_write(&cout, big + sent,
						  sizeof(big) - sent);

			assert_true(r >= 0);
			sent += r;
			xsd_conn_input(conn);
		}
		assert_int_equal(sent, sizeof(big));
		/* Each time the full ring was drained the producer heard. */
		assert_true(kicks >= 4);
	}
	xsd_conn_input(conn);
	xsd_conn_flush(conn);
	assert_int_equal(client_recv(&cin, body), XS_WRITE);
	client_send(&cout, XS_READ, "/b", 3);
	xsd_conn_input(conn);
	xsd_conn_flush(conn);
	{
		struct xsd_sockmsg h;
		size_t got = 0;

		assert_int_equal(xs_ring_read(&cin, &h, sizeof(h)), sizeof(h));
		assert_int_equal(h.len, 3000);
		for (int i = 0; i < 10 && got < h.len; i++) {
			ssize_t r = xs_ring_read(&cin, body + got, h.len - got);

			assert_true(r >= 0);
			got += r;
			xsd_conn_flush(conn);
		}
		assert_int_equal(got, 3000);
		assert_int_equal(body[2999], 'z');
	}

	/* Corrupt indexes end this connection only. */
	intf.req_prod = intf.req_cons + 5000;
	xsd_conn_input(conn);
	assert_true(conn->dead);
	assert_int_equal(intf.error, XENSTORE_ERROR_RINGIDX);
	xsd_destroy(xsd);
}

/* was_full: only a read from a full ring tells the producer. */
static void test_was_full(void **state)
{
	struct xenstore_domain_interface intf = { 0 };
	struct xs_ring_dir cin, cout, sin, sout;
	char buf[XENSTORE_RING_SIZE];
	bool was_full = true;

	xs_ring_client(&intf, &cin, &cout);
	xs_ring_server(&intf, &sin, &sout);
	memset(buf, 'q', sizeof(buf));
	assert_int_equal(xs_ring_write(&cout, buf, 100), 100);
	assert_int_equal(xs_ring_read_was_full(&sin, buf, 50, &was_full), 50);
	assert_false(was_full);
	assert_int_equal(xs_ring_read_was_full(&sin, buf, 100, &was_full), 50);
	assert_int_equal(xs_ring_read_was_full(&sin, buf, 10, &was_full), 0);
	assert_false(was_full);
	assert_int_equal(xs_ring_write(&cout, buf, sizeof(buf)), XENSTORE_RING_SIZE);
	assert_int_equal(xs_ring_read_was_full(&sin, buf, 16, &was_full), 16);
	assert_true(was_full);
	assert_int_equal(xs_ring_read_was_full(&sin, buf, 16, &was_full), 16);
	assert_false(was_full);
	/* Full again behind our back (across the index wrap-around too). */
	assert_int_equal(xs_ring_write(&cout, buf, 32), 32);
	assert_int_equal(xs_ring_read_was_full(&sin, buf, 1, &was_full), 1);
	assert_true(was_full);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_and_wrap),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_conn_over_ring),
		cmocka_unit_test(test_was_full),
	};

	return cmocka_run_group_tests_name("xenstore_ring", tests, NULL, NULL);
}
