/*
 * The PV kernel ELF parser (hypervisor/common/elf_image.c) on the real
 * Debian kernel: argv[1] is the extracted vmlinux (build/dom0-vmlinux, made
 * by tests/images/module.mk). The expected values are those of
 * docs/linux-pv-abi.md section 1.2 that hold for every Debian 6.1 build;
 * the entry point and sizes vary with the build and are only range-checked.
 */
#include "fake/machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elf_image.h>
#include <public/errno.h>

static char why[256];
static struct elf_image img;

static const char *debian_path;
static uint8_t *debian_data;
static size_t debian_size;

static int debian_setup(void **state)
{
	FILE *f = fopen(debian_path, "rb");

	if (!f) {
		print_error("cannot open %s\n", debian_path);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	debian_size = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	debian_data = malloc(debian_size);
	if (!debian_data || fread(debian_data, 1, debian_size, f) != debian_size) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static int debian_teardown(void **state)
{
	free(debian_data);
	return 0;
}

/* The values of docs/linux-pv-abi.md section 1.2 that hold for any 6.1 build. */
static void debian_kernel_notes(void **state)
{
	int rc = elf_image_parse(debian_data, debian_size, &img, why, sizeof(why));

	if (rc)
		fail_msg("%s refused: %d %s", debian_path, rc, why);
	assert_string_equal(img.guest_os, "linux");
	assert_string_equal(img.guest_version, "2.6");
	assert_string_equal(img.xen_version, "xen-3.0");
	assert_string_equal(img.loader, "generic");
	assert_int_equal(img.virt_base, 0xffffffff80000000ULL);
	assert_int_equal(img.paddr_offset, 0);
	assert_int_equal(img.init_p2m, 0x8000000000ULL);
	assert_int_equal(img.hv_start_low, 0xffff800000000000ULL);
	assert_int_equal(img.hypercall_page, 0);
	assert_string_equal(img.features, "!writable_page_tables|pae_pgdir_above_4gb");
	assert_int_equal(img.required_features[0], 1U << XENFEAT_writable_page_tables);
	assert_int_equal(img.features_wanted[0],
			 (1U << XENFEAT_writable_page_tables) | (1U << XENFEAT_pae_pgdir_above_4gb));
	assert_true(img.supported_features_present);
	assert_int_equal(img.supported_features, 0x8801);
	assert_true(img.mod_start_pfn);
	assert_true(img.suspend_cancel);
	assert_true(elf_image_dom0_capable(&img));
	assert_true(elf_image_requires_only(&img, (1U << XENFEAT_writable_page_tables) |
					   (1U << XENFEAT_mmu_pt_update_preserve_ad) |
					   (1U << XENFEAT_gnttab_map_avail_bits), why, sizeof(why)));
	/* The PV entry (startup_xen) is not e_entry (the native 64-bit entry). */
	uint64_t e_entry;
	memcpy(&e_entry, debian_data + 24, 8);
	assert_int_equal(e_entry, 0x1000000);
	assert_true(img.entry != e_entry && img.entry >= 0xffffffff81000000ULL);
	print_message("%s: entry 0x%llx, %u segments, VA 0x%llx-0x%llx\n", debian_path,
		      (unsigned long long)img.entry, img.nr_segments,
		      (unsigned long long)img.virt_start, (unsigned long long)img.virt_end);
}

static void debian_kernel_segments(void **state)
{
	assert_int_equal(elf_image_parse(debian_data, debian_size, &img, why, sizeof(why)), 0);
	assert_int_equal(img.nr_segments, 4);
	assert_int_equal(img.virt_start, 0xffffffff81000000ULL);
	assert_true(img.virt_end <= 0xffffffffc0000000ULL);    /* inside the 1 GiB window */
	for (unsigned i = 0; i < img.nr_segments; i++)
		assert_int_equal(img.segments[i].vaddr, img.segments[i].paddr + 0xffffffff80000000ULL);
	/* Segment 2 is .data..percpu: p_vaddr 0 in the file. */
	uint64_t p_vaddr;
	memcpy(&p_vaddr, debian_data + 64 + 2 * 56 + 16, 8);
	assert_int_equal(p_vaddr, 0);
	assert_true(img.segments[2].vaddr > img.segments[1].vaddr);
	/* Entry in the executable init segment. */
	const struct elf_segment *g = &img.segments[3];
	assert_true(g->flags & ELF_SEG_X);
	assert_true(img.entry >= g->vaddr && img.entry < g->vaddr + g->filesz);
	/* Copy the per-cpu segment and compare with the file. */
	uint8_t *buf = malloc(img.segments[2].memsz);
	assert_non_null(buf);
	assert_int_equal(elf_image_copy_segment(&img, 2, buf, img.segments[2].memsz), 0);
	assert_memory_equal(buf, debian_data + img.segments[2].file_offset, img.segments[2].filesz);
	free(buf);
}

/* Truncations of the real kernel are refused, never read past the end. */
static void debian_kernel_truncated(void **state)
{
	static const size_t cuts[] = { 0, 63, 64 + 5 * 56 - 1, 0x16c1990 + 0x100, 0x2400000 + 0x100 };

	for (unsigned i = 0; i < ARRAY_SIZE(cuts); i++) {
		size_t n = MIN(cuts[i], debian_size - 1);
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, debian_data, n);
		assert_int_not_equal(elf_image_parse(copy, n, &img, why, sizeof(why)), 0);
		assert_true(why[0] != '\0');
		free(copy);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(debian_kernel_notes),
		cmocka_unit_test(debian_kernel_segments),
		cmocka_unit_test(debian_kernel_truncated),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s VMLINUX\n", argv[0]);
		return 2;
	}
	debian_path = argv[1];
	return cmocka_run_group_tests_name("elf_image_debian", tests, debian_setup, debian_teardown);
}
