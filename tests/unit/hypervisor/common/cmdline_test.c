/*
 * Unit tests of the command-line parser and the hypervisor's options
 * (hypervisor/common/cmdline.c, options.c): Xen's syntax for each option, and
 * every kind of bad input getting a warning while parsing goes on.
 */
#include "fake/machine.h"

#include <cmdline.h>
#include <console.h>

static struct hv_options defaults;
static enum log_level default_loglvl, default_guest_loglvl;

static int save_defaults(void **state)
{
	defaults = hv_opts;
	default_loglvl = console_loglvl;
	default_guest_loglvl = console_guest_loglvl;
	return 0;
}

static int reset(void **state)
{
	hv_opts = defaults;
	console_loglvl = default_loglvl;
	console_guest_loglvl = default_guest_loglvl;
	fake_console_reset();
	return 0;
}

static void empty_line_changes_nothing(void **state)
{
	assert_int_equal(hv_options_parse(""), 0);
	assert_int_equal(hv_options_parse("   \t "), 0);
	assert_memory_equal(&hv_opts, &defaults, sizeof(hv_opts));
}

static void console_lists(void **state)
{
	assert_int_equal(hv_options_parse("console=com1"), 0);
	assert_true(hv_opts.console_com1);
	assert_false(hv_opts.console_vga);
	assert_int_equal(hv_options_parse("console=vga,com1"), 0);
	assert_true(hv_opts.console_com1 && hv_opts.console_vga);
	assert_int_equal(hv_options_parse("console=none"), 0);
	assert_false(hv_opts.console_com1 || hv_opts.console_vga);
}

static void com1_forms(void **state)
{
	assert_int_equal(hv_options_parse("com1=115200"), 0);
	assert_int_equal(hv_opts.com1_baud, 115200);
	assert_int_equal(hv_options_parse("com1=9600,8n1"), 0);
	assert_int_equal(hv_opts.com1_baud, 9600);
	assert_int_equal(hv_options_parse("com1=57600,8n1,0x2f8"), 0);
	assert_int_equal(hv_opts.com1_baud, 57600);
	assert_int_equal(hv_opts.com1_port, 0x2f8);
	assert_int_equal(hv_options_parse("com1=auto"), 0);
	assert_int_equal(hv_opts.com1_baud, 0);
}

static void dom0_mem_forms(void **state)
{
	assert_int_equal(hv_options_parse("dom0_mem=512M"), 0);
	assert_int_equal(hv_opts.dom0_mem, 512ULL << 20);
	assert_int_equal(hv_options_parse("dom0_mem=1G"), 0);
	assert_int_equal(hv_opts.dom0_mem, 1ULL << 30);
	assert_int_equal(hv_options_parse("dom0_mem=262144"), 0);   /* bare: KiB, as Xen */
	assert_int_equal(hv_opts.dom0_mem, 256ULL << 20);
	assert_int_equal(hv_options_parse("dom0_mem=min:128M,max:1G,512M"), 0);
	assert_int_equal(hv_opts.dom0_mem_min, 128ULL << 20);
	assert_int_equal(hv_opts.dom0_mem_max, 1ULL << 30);
	assert_int_equal(hv_opts.dom0_mem, 512ULL << 20);
	assert_int_equal(hv_options_parse("dom0_mem=-256M"), 0);
	assert_true(hv_opts.dom0_mem_negative);
	assert_int_equal(hv_opts.dom0_mem, 256ULL << 20);
}

static void dom0_max_vcpus_forms(void **state)
{
	assert_int_equal(hv_options_parse("dom0_max_vcpus=2"), 0);
	assert_int_equal(hv_opts.dom0_vcpus_min, 2);
	assert_int_equal(hv_opts.dom0_vcpus_max, 2);
	assert_int_equal(hv_options_parse("dom0_max_vcpus=1-4"), 0);
	assert_int_equal(hv_opts.dom0_vcpus_min, 1);
	assert_int_equal(hv_opts.dom0_vcpus_max, 4);
}

static void log_levels(void **state)
{
	assert_int_equal(hv_options_parse("loglvl=all guest_loglvl=error/warning"), 0);
	assert_int_equal(console_loglvl, LOG_ALL);
	assert_int_equal(console_guest_loglvl, LOG_ERR);
}

static void booleans(void **state)
{
	assert_int_equal(hv_options_parse("noreboot"), 0);
	assert_true(hv_opts.noreboot);
	assert_int_equal(hv_options_parse("noreboot=no"), 0);
	assert_false(hv_opts.noreboot);
	assert_int_equal(hv_options_parse("noreboot=on"), 0);
	assert_true(hv_opts.noreboot);
	assert_int_equal(hv_options_parse("no-noreboot"), 0);
	assert_false(hv_opts.noreboot);
	assert_int_equal(hv_options_parse("qemu_debug_exit"), 0);
	assert_true(hv_opts.qemu_debug_exit);
}

static void sched_and_debug_fault(void **state)
{
	assert_int_equal(hv_options_parse("sched=credit debug_fault=page"), 0);
	assert_string_equal(hv_opts.sched, "credit");
	assert_string_equal(hv_opts.debug_fault, "page");
}

/* Each bad item: one warning naming the option, the default kept, parsing goes on. */
static void bad_values_warn_and_keep_defaults(void **state)
{
	static const struct {
		const char *line;
		const char *expect;
	} cases[] = {
		{ "com1=abc", "bad value 'abc' for option 'com1'" },
		{ "com1=115200,7e2", "option 'com1'" },
		{ "com1=115200,8n1,0", "option 'com1'" },
		{ "com1=10", "option 'com1'" },
		{ "console=serial", "option 'console'" },
		{ "console=", "option 'console'" },
		{ "dom0_mem=lots", "option 'dom0_mem'" },
		{ "dom0_mem=0", "option 'dom0_mem'" },
		{ "dom0_mem=512Q", "option 'dom0_mem'" },
		{ "dom0_mem=min:1G,max:512M", "option 'dom0_mem'" },
		{ "dom0_mem=99999999999999999999G", "option 'dom0_mem'" },
		{ "dom0_mem", "bad value '(none)' for option 'dom0_mem'" },
		{ "dom0_max_vcpus=0", "option 'dom0_max_vcpus'" },
		{ "dom0_max_vcpus=4-2", "option 'dom0_max_vcpus'" },
		{ "dom0_max_vcpus=two", "option 'dom0_max_vcpus'" },
		{ "loglvl=loud", "option 'loglvl'" },
		{ "guest_loglvl=all/loud", "option 'guest_loglvl'" },
		{ "noreboot=maybe", "option 'noreboot'" },
		{ "no-noreboot=1", "option 'noreboot'" },
		{ "sched=credit2", "option 'sched'" },
		{ "debug_fault=everything", "option 'debug_fault'" },
		{ "frobnicate=1", "unknown option 'frobnicate'" },
		{ "no-such-thing", "unknown option 'no-such-thing'" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		reset(state);
		assert_int_equal(hv_options_parse(cases[i].line), 1);
		if (!strstr(fake_console, cases[i].expect))
			fail_msg("'%s': expected warning containing \"%s\", got \"%s\"", cases[i].line,
				 cases[i].expect, fake_console);
		assert_memory_equal(&hv_opts, &defaults, sizeof(hv_opts));
		assert_int_equal(console_loglvl, default_loglvl);
	}
}

static void bad_items_do_not_stop_good_ones(void **state)
{
	assert_int_equal(hv_options_parse("bogus com1=x dom0_mem=256M junk=1 noreboot"), 3);
	assert_int_equal(hv_opts.dom0_mem, 256ULL << 20);
	assert_true(hv_opts.noreboot);
}

static void overlong_token_is_refused(void **state)
{
	char line[600];

	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	memcpy(line, "dom0_mem=", 9);
	assert_int_equal(hv_options_parse(line), 1);
	assert_non_null(strstr(fake_console, "longer than"));
	assert_int_equal(hv_opts.dom0_mem, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(empty_line_changes_nothing, reset),
		cmocka_unit_test_setup(console_lists, reset),
		cmocka_unit_test_setup(com1_forms, reset),
		cmocka_unit_test_setup(dom0_mem_forms, reset),
		cmocka_unit_test_setup(dom0_max_vcpus_forms, reset),
		cmocka_unit_test_setup(log_levels, reset),
		cmocka_unit_test_setup(booleans, reset),
		cmocka_unit_test_setup(sched_and_debug_fault, reset),
		cmocka_unit_test_setup(bad_values_warn_and_keep_defaults, reset),
		cmocka_unit_test_setup(bad_items_do_not_stop_good_ones, reset),
		cmocka_unit_test_setup(overlong_token_is_refused, reset),
	};
	return cmocka_run_group_tests_name("cmdline", tests, save_defaults, NULL);
}
