/* Unit tests of the hypervisor's printf and number parsing (hypervisor/lib). */
#include "fake/machine.h"

#include <stdio.h>
#include <lib.h>
#include <boot_info.h>

/* Our formatter must agree with the host's printf on everything it supports. */
#define SAME(fmt, ...)                                                            \
	do {                                                                      \
		char ours[128], host[128];                                        \
		int a = hv_snprintf(ours, sizeof(ours), fmt, __VA_ARGS__);        \
		int b = snprintf(host, sizeof(host), fmt, __VA_ARGS__);           \
		assert_string_equal(ours, host);                                  \
		assert_int_equal(a, b);                                           \
	} while (0)

static void matches_host_printf(void **state)
{
	SAME("%d %i %u", -42, 7, 4000000000u);
	SAME("%x %X %o", 0xbeefu, 0xbeefu, 8u);
	SAME("%lx %lu %ld", 0xffff830000000000ul, 18446744073709551615ul, -1l);
	SAME("%016lx|%-6d|%6d|%06d", 0x1234ul, 5, -5, -5);
	SAME("%#lx %#x %#o", 0xabcul, 0u, 8u);
	SAME("%s|%10s|%-10s|%.3s", "abc", "right", "left", "truncate");
	SAME("%c%c %%", 'o', 'k');
	SAME("%zu %*d", (size_t)99, 5, 3);
	SAME("% d %+d", 5, 5);
}

static void truncates_and_terminates(void **state)
{
	char buf[8];

	assert_int_equal(hv_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	assert_string_equal(buf, "0123456");
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(hv_snprintf(buf, 1, "abc"), 3);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(hv_snprintf(NULL, 0, "%d", 12345), 5);
}

static void null_string(void **state)
{
	char buf[16];
	const char *volatile nothing = NULL;   /* hidden from the compiler's format check */

	hv_snprintf(buf, sizeof(buf), "%s", nothing);
	assert_string_equal(buf, "(null)");
}

static void parse_numbers(void **state)
{
	uint64_t v;
	const char *end;

	assert_true(parse_u64("123abc", &end, &v));
	assert_int_equal(v, 123);
	assert_string_equal(end, "abc");
	assert_true(parse_u64("0x1F", &end, &v));
	assert_int_equal(v, 31);
	assert_true(parse_u64("18446744073709551615", &end, &v));
	assert_int_equal(v, UINT64_MAX);
	assert_false(parse_u64("18446744073709551616", &end, &v));
	assert_false(parse_u64("", &end, &v));
	assert_false(parse_u64("x", &end, &v));
	assert_true(parse_u64("0x", &end, &v));   /* the number 0, then "x" */
	assert_int_equal(v, 0);
	assert_string_equal(end, "x");
}

static void parse_sizes(void **state)
{
	uint64_t v;
	const char *end;

	assert_true(parse_size("4k", &end, 0, &v));
	assert_int_equal(v, 4096);
	assert_true(parse_size("3G", &end, 0, &v));
	assert_int_equal(v, 3ULL << 30);
	assert_true(parse_size("16", &end, 20, &v));
	assert_int_equal(v, 16ULL << 20);
	assert_true(parse_size("1T", &end, 0, &v));
	assert_int_equal(v, 1ULL << 40);
	assert_false(parse_size("17179869184G", &end, 0, &v));   /* 2^34 GiB overflows */
}

static void strip_image_name(void **state)
{
	char a[64] = "build/hypervisor.elf console=com1 noreboot";
	char b[64] = "console=com1 noreboot";
	char c[64] = "/boot/paravane.elf";
	char d[64] = "";

	boot_cmdline_strip_image(a);
	assert_string_equal(a, "console=com1 noreboot");
	boot_cmdline_strip_image(b);
	assert_string_equal(b, "console=com1 noreboot");
	boot_cmdline_strip_image(c);
	assert_string_equal(c, "");
	boot_cmdline_strip_image(d);
	assert_string_equal(d, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matches_host_printf),
		cmocka_unit_test(truncates_and_terminates),
		cmocka_unit_test(null_string),
		cmocka_unit_test(parse_numbers),
		cmocka_unit_test(parse_sizes),
		cmocka_unit_test(strip_image_name),
	};
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
