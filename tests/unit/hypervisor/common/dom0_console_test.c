/*
 * Console input for the initial domain: the ring (common/console_input.c)
 * and CONSOLEIO_read (common/console_io.c), over fake/dom0.c. The UART is
 * this file's console_rx_poll(): it moves `uart` into the ring.
 */
#include "fake/dom0.h"

#include <string.h>
#include <console_input.h>
#include <hypercall.h>
#include <public/errno.h>
#include <public/xen.h>

#define BUF DSHIM_KVA

static const char *uart;
static unsigned polls;

void console_rx_poll(void)
{
	unsigned n = 0;

	polls++;
	while (uart && *uart) {
		console_input_put((uint8_t)*uart++);
		n++;
	}
	if (n)
		console_input_notify();
}

static int setup(void **state)
{
	uint8_t sink[CONSOLE_INPUT_SIZE];

	dshim_reset();
	console_input_take(sink, sizeof(sink));
	uart = NULL;
	polls = 0;
	return 0;
}

static int64_t read_console(uint64_t count, uint64_t buf)
{
	return do_console_io(current_vcpu(), (uint64_t[6]){ CONSOLEIO_read, count, buf });
}

static void test_ring_fifo_and_wrap(void **state)
{
	uint8_t out[8];

	/* Push the counters around the ring several times. */
	for (unsigned round = 0; round < 3 * CONSOLE_INPUT_SIZE / 5; round++) {
		for (unsigned i = 0; i < 5; i++)
			assert_true(console_input_put((uint8_t)(round + i)));
		assert_int_equal(console_input_pending(), 5);
		assert_int_equal(console_input_take(out, 8), 5);
		for (unsigned i = 0; i < 5; i++)
			assert_int_equal(out[i], (uint8_t)(round + i));
	}
	assert_int_equal(console_input_take(out, 8), 0);
}

static void test_ring_overflow_drops(void **state)
{
	uint64_t before = console_input_dropped();
	uint8_t c;

	for (unsigned i = 0; i < CONSOLE_INPUT_SIZE; i++)
		assert_true(console_input_put('a'));
	assert_false(console_input_put('b'));
	assert_false(console_input_put('c'));
	assert_int_equal(console_input_dropped() - before, 2);
	assert_int_equal(console_input_pending(), CONSOLE_INPUT_SIZE);
	/* Oldest input is kept; room again after a read. */
	assert_int_equal(console_input_take(&c, 1), 1);
	assert_int_equal(c, 'a');
	assert_true(console_input_put('d'));
}

static void test_unget(void **state)
{
	uint8_t out[4];

	console_input_put('x');
	console_input_put('y');
	assert_int_equal(console_input_take(out, 4), 2);
	console_input_unget(2);
	assert_int_equal(console_input_take(out, 1), 1);
	assert_int_equal(out[0], 'x');
}

static void test_notify_only_with_input(void **state)
{
	console_input_notify();
	assert_int_equal(dshim_virqs_sent, 0);
	console_input_put('q');
	console_input_notify();
	assert_int_equal(dshim_virqs_sent, 1);
}

static void test_read(void **state)
{
	uart = "ls -l\n";
	assert_int_equal(read_console(3, BUF), 3);      /* polls the UART first */
	assert_int_equal(polls, 1);
	assert_int_equal(dshim_virqs_sent, 1);
	assert_memory_equal(dshim_mem, "ls ", 3);
	assert_int_equal(read_console(100, BUF), 3);
	assert_memory_equal(dshim_mem, "-l\n", 3);
	assert_int_equal(read_console(100, BUF), 0);
	assert_int_equal(read_console(0, 0), 0);
}

static void test_read_long(void **state)
{
	static char big[1001];

	memset(big, 'z', 1000);
	uart = big;
	assert_int_equal(read_console(4096, BUF), 1000);   /* several chunks */
	assert_int_equal(dshim_mem[999], 'z');
	assert_int_equal(console_input_pending(), 0);
}

static void test_read_bad_args(void **state)
{
	uart = "abc";
	assert_int_equal(read_console(10, 0x0000800000000000ULL), -XEN_EFAULT);
	assert_int_equal(read_console(10, HYPERVISOR_VIRT_START), -XEN_EFAULT);
	assert_int_equal(read_console(0x80000000ULL, BUF), -XEN_E2BIG);
	/* Unmapped buffer: nothing delivered, nothing lost. */
	dshim_page_mapped[0] = false;
	assert_int_equal(read_console(10, BUF), -XEN_EFAULT);
	assert_int_equal(console_input_pending(), 3);
	dshim_page_mapped[0] = true;
	/* A buffer that ends in an unmapped page: what fit is returned, the rest stays. */
	{
		static char big[300];

		memset(big, 'k', 299);
		uart = big;
		dshim_page_mapped[1] = false;
		/* 200 bytes left in page 0: the first 128-byte chunk fits, the second not. */
		assert_int_equal(read_console(4000, BUF + 4096 - 200), 128);
		dshim_page_mapped[1] = true;
		assert_int_equal(console_input_pending(), 3 + 299 - 128);
	}
}

static void test_read_needs_privilege(void **state)
{
	uart = "abc";
	set_current_vcpu(&dshim_vu);
	assert_int_equal(read_console(3, BUF), -XEN_EPERM);
	assert_int_equal(polls, 0);
}

/* Dom0's output passes unchanged (escapes and all): its shell needs them. */
static void test_write_dom0_raw(void **state)
{
	memcpy(dshim_mem, "\x1b[6nok\n", 7);
	fake_console_reset();
	dshim_conring_len = 0;
	assert_int_equal(do_console_io(current_vcpu(), (uint64_t[6]){ CONSOLEIO_write, 7, BUF }), 0);
	assert_memory_equal(fake_console, "\x1b[6nok\n", 7);
	assert_int_equal(dshim_conring_len, 0);   /* not in the log ring (xl dmesg), as Xen */
}

/* Other domains: only with is_console, each line marked, control bytes defused. */
static void test_write_other_domain(void **state)
{
	memcpy(dshim_mem, "a\x1b" "b\nc", 5);
	set_current_vcpu(&dshim_vu);
	fake_console_reset();
	assert_int_equal(do_console_io(current_vcpu(), (uint64_t[6]){ CONSOLEIO_write, 5, BUF }), -XEN_EPERM);
	assert_int_equal(strlen(fake_console), 0);
	dshim_domu.is_console = true;
	dshim_conring_len = 0;
	assert_int_equal(do_console_io(current_vcpu(), (uint64_t[6]){ CONSOLEIO_write, 5, BUF }), 0);
	dshim_domu.is_console = false;
	assert_string_equal(fake_console, "(d1) a.b\n(d1) c");
	assert_string_equal(dshim_conring, "(d1) a.b\n(d1) c");   /* a DomU's output is logged */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, NULL)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ring_fifo_and_wrap), T(test_ring_overflow_drops), T(test_unget),
		T(test_notify_only_with_input), T(test_read), T(test_read_long),
		T(test_read_bad_args), T(test_read_needs_privilege), T(test_write_dom0_raw),
		T(test_write_other_domain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
