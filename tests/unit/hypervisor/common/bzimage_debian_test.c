/*
 * Debian's own kernel file (argv[1], the vmlinuz from /boot) through the
 * hypervisor's bzImage code (hypervisor/common/bzimage.c, unxz.c) must give
 * exactly the ELF vmlinux that xz(1) unpacks from the same payload
 * (argv[2]). argv[3], if given, is the payload's method instead of xz: the
 * same kernel re-wrapped (tests/images/rewrap-bzimage.sh).
 */
#include "fake/machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bzimage.h>
#include <unxz.h>

static const char *vmlinuz_path, *vmlinux_path, *method = "xz";
static _Alignas(16) uint8_t work[UNXZ_WORK_SIZE];

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p;

	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc(*len);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, *len, f), *len);
	fclose(f);
	return p;
}

static void debian_vmlinuz(void **state)
{
	size_t zlen, elen;
	uint8_t *z = slurp(vmlinuz_path, &zlen), *elf = slurp(vmlinux_path, &elen), *out;
	struct bzimage bz;
	char why[256] = "";

	assert_int_equal(bzimage_probe(z, zlen, &bz, why, sizeof(why)), 0);
	assert_string_equal(bz.method, method);
	assert_true(bz.protocol >= 0x020f);
	assert_int_equal(bz.unpacked_size, elen);
	out = malloc(bz.unpacked_size);
	assert_non_null(out);
	if (bzimage_unpack(&bz, out, bz.unpacked_size, work, why, sizeof(why)))
		fail_msg("unpack: %s", why);
	assert_true(memcmp(out, elf, elen) == 0);
	free(out);
	free(z);
	free(elf);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(debian_vmlinuz) };

	if (argc < 3) {
		fprintf(stderr, "usage: %s VMLINUZ VMLINUX [METHOD]\n", argv[0]);
		return 2;
	}
	vmlinuz_path = argv[1];
	vmlinux_path = argv[2];
	if (argc > 3)
		method = argv[3];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
