/*
 * The progress encodings of continued hypercalls (hypercall.h), checked
 * against the numbers of Xen's ABI.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <hypercall.h>

static void test_mmu_count(void **state)
{
	assert_int_equal(MMU_UPDATE_PREEMPTED, 0x80000000u);
	assert_int_equal(mmu_count_encode(5), 0x80000005u);
	assert_true(mmu_count_preempted(mmu_count_encode(5)));
	assert_false(mmu_count_preempted(5));
	assert_int_equal(mmu_count_remaining(mmu_count_encode(5)), 5);
	assert_int_equal(mmu_count_remaining(0x7fffffff), 0x7fffffff);
	/* only the low 32 bits of the register are the count */
	assert_int_equal(mmu_count_remaining(0xffffffff00000003ULL), 3);
	assert_false(mmu_count_preempted(0x0000000100000003ULL));
}

static void test_memop_cmd(void **state)
{
	assert_int_equal(MEMOP_EXTENT_SHIFT, 6);
	assert_int_equal(MEMOP_CMD_MASK, XENMEM_cmd_mask);
	assert_int_equal(memop_cmd_encode(XENMEM_populate_physmap, 0), XENMEM_populate_physmap);
	assert_int_equal(memop_cmd_encode(XENMEM_populate_physmap, 1000),
			 XENMEM_populate_physmap | (1000ULL << 6));
	assert_int_equal(memop_op(memop_cmd_encode(XENMEM_decrease_reservation, 12345)),
			 XENMEM_decrease_reservation);
	assert_int_equal(memop_start_extent(memop_cmd_encode(XENMEM_decrease_reservation, 12345)), 12345);
	assert_int_equal(memop_start_extent(memop_cmd_encode(XENMEM_increase_reservation, MEMOP_MAX_EXTENT)),
			 MEMOP_MAX_EXTENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mmu_count),
		cmocka_unit_test(test_memop_cmd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
