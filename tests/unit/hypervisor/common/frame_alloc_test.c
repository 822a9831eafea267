/* Unit tests of the physical frame allocator (hypervisor/common/frame_alloc.c). */
#include "fake/machine.h"

#include <stdlib.h>
#include <frame_alloc.h>

#define NR_FRAMES 4096

static uint64_t bitmap[NR_FRAMES / 64];
static struct frame_alloc fa;

static int setup(void **state)
{
	frame_alloc_init(&fa, bitmap, NR_FRAMES);
	return 0;
}

static void starts_all_used(void **state)
{
	assert_int_equal(fa.nr_free, 0);
	assert_int_equal(frame_alloc_get(&fa, 0), INVALID_MFN);
}

static void allocates_only_free_ranges(void **state)
{
	frame_alloc_mark_free(&fa, 100, 110);
	for (int i = 0; i < 10; i++) {
		mfn_t m = frame_alloc_get(&fa, 0);
		assert_true(m >= 100 && m < 110);
		assert_false(frame_alloc_is_free(&fa, m));
	}
	assert_int_equal(frame_alloc_get(&fa, 0), INVALID_MFN);
	assert_int_equal(fa.nr_free, 0);
}

static void reserved_wins_over_free(void **state)
{
	frame_alloc_mark_free(&fa, 0, 64);
	frame_alloc_mark_used(&fa, 10, 60);      /* e.g. the image and modules */
	assert_int_equal(fa.nr_free, 14);
	for (int i = 0; i < 14; i++) {
		mfn_t m = frame_alloc_get(&fa, 0);
		assert_true(m < 10 || m >= 60);
	}
	assert_int_equal(frame_alloc_get(&fa, 0), INVALID_MFN);
}

static void blocks_are_naturally_aligned(void **state)
{
	frame_alloc_mark_free(&fa, 3, 1000);
	for (unsigned order = 0; order <= 6; order++) {
		mfn_t m = frame_alloc_get(&fa, order);
		assert_int_not_equal(m, INVALID_MFN);
		assert_int_equal(m % (1u << order), 0);
		assert_true(m >= 3 && m + (1u << order) <= 1000);
		for (unsigned i = 0; i < (1u << order); i++)
			assert_false(frame_alloc_is_free(&fa, m + i));
	}
}

static void fragmented_memory_refuses_big_block(void **state)
{
	/* every other frame free: plenty of frames, no pair */
	for (mfn_t m = 0; m < 512; m += 2)
		frame_alloc_mark_free(&fa, m, m + 1);
	assert_int_equal(fa.nr_free, 256);
	assert_int_equal(frame_alloc_get(&fa, 1), INVALID_MFN);
	assert_int_not_equal(frame_alloc_get(&fa, 0), INVALID_MFN);
}

static void exhaustion_then_reuse(void **state)
{
	mfn_t got[32];

	frame_alloc_mark_free(&fa, 200, 232);
	for (int i = 0; i < 32; i++)
		got[i] = frame_alloc_get(&fa, 0);
	assert_int_equal(frame_alloc_get(&fa, 0), INVALID_MFN);
	assert_int_equal(frame_alloc_put(&fa, got[7], 0), 0);
	assert_int_equal(frame_alloc_get(&fa, 0), got[7]);   /* wraps past the hint */
}

static void double_free_is_detected(void **state)
{
	frame_alloc_mark_free(&fa, 0, 64);
	mfn_t m = frame_alloc_get(&fa, 2);
	assert_int_equal(frame_alloc_put(&fa, m, 2), 0);
	uint64_t before = fa.nr_free;
	assert_int_equal(frame_alloc_put(&fa, m, 2), -1);
	assert_int_equal(frame_alloc_put(&fa, m + 1, 0), -1);   /* part of a freed block */
	assert_int_equal(fa.nr_free, before);
}

static void bad_puts_change_nothing(void **state)
{
	frame_alloc_mark_free(&fa, 0, 64);
	mfn_t m = frame_alloc_get(&fa, 2);
	uint64_t before = fa.nr_free;
	assert_int_equal(frame_alloc_put(&fa, NR_FRAMES, 0), -1);          /* out of range */
	assert_int_equal(frame_alloc_put(&fa, NR_FRAMES - 1, 1), -1);      /* runs past the end */
	assert_int_equal(frame_alloc_put(&fa, m + 1, 1), -1);              /* misaligned */
	assert_int_equal(frame_alloc_put(&fa, m, FRAME_ORDER_MAX + 1), -1); /* absurd order */
	/* a block that is half free and half used must be refused whole */
	assert_int_equal(frame_alloc_put(&fa, m, 3), -1);
	assert_int_equal(fa.nr_free, before);
	assert_false(frame_alloc_is_free(&fa, m));
}

static void ranges_beyond_the_end_are_clipped(void **state)
{
	frame_alloc_mark_free(&fa, NR_FRAMES - 4, NR_FRAMES + 100);
	assert_int_equal(fa.nr_free, 4);
	assert_false(frame_alloc_is_free(&fa, NR_FRAMES));
}

/* Random alloc/free against a simple model: no frame is ever handed out twice. */
static void random_against_model(void **state)
{
	static bool owned[NR_FRAMES];
	mfn_t blocks[256];
	unsigned orders[256];
	unsigned n = 0;

	srand(1234);
	memset(owned, 0, sizeof(owned));
	frame_alloc_mark_free(&fa, 1, NR_FRAMES);
	for (int step = 0; step < 20000; step++) {
		if (n < 256 && (rand() % 3)) {
			unsigned order = rand() % 5;
			mfn_t m = frame_alloc_get(&fa, order);
			if (m == INVALID_MFN)
				continue;
			for (unsigned i = 0; i < (1u << order); i++) {
				assert_false(owned[m + i]);
				owned[m + i] = true;
			}
			blocks[n] = m;
			orders[n++] = order;
		} else if (n) {
			unsigned k = rand() % n;
			assert_int_equal(frame_alloc_put(&fa, blocks[k], orders[k]), 0);
			for (unsigned i = 0; i < (1u << orders[k]); i++)
				owned[blocks[k] + i] = false;
			blocks[k] = blocks[--n];
			orders[k] = orders[n];
		}
		uint64_t used = 0;
		if (step % 1000 == 0) {
			for (mfn_t m = 1; m < NR_FRAMES; m++)
				used += owned[m];
			assert_int_equal(fa.nr_free, NR_FRAMES - 1 - used);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(starts_all_used, setup),
		cmocka_unit_test_setup(allocates_only_free_ranges, setup),
		cmocka_unit_test_setup(reserved_wins_over_free, setup),
		cmocka_unit_test_setup(blocks_are_naturally_aligned, setup),
		cmocka_unit_test_setup(fragmented_memory_refuses_big_block, setup),
		cmocka_unit_test_setup(exhaustion_then_reuse, setup),
		cmocka_unit_test_setup(double_free_is_detected, setup),
		cmocka_unit_test_setup(bad_puts_change_nothing, setup),
		cmocka_unit_test_setup(ranges_beyond_the_end_are_clipped, setup),
		cmocka_unit_test_setup(random_against_model, setup),
	};
	return cmocka_run_group_tests_name("frame_alloc", tests, NULL, NULL);
}
