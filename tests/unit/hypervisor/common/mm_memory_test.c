/*
 * memory_op (common/memory.c) against the real page state machine on the
 * fake machine (fake/memory.c): XENMEM_exchange's accounting. Domain A owns
 * frames 1..32 (count 1 each, nothing maps them); the machine's
 * allocator hands out the hypervisor's free frames from 43 up.
 */
#include "fake/memory.h"
#include "fake/guest_mem.h"
#include <hypercall.h>
#include <public/errno.h>
#include <public/memory.h>

#define ARG_VA 0x10000ULL
static uint8_t mem[4096];
static const bool mapped[1] = { true };
const struct guest_mem_fake guest_mem_fake = { .va = ARG_VA, .mem = mem, .size = 4096, .page_mapped = mapped };

#define FIRST_FREE MM_FIRST_FREE   /* alloc_frames' first: past MM_XEN, MM_IO, MM_SHINFO */

static struct vcpu caller;

static void no_continuation(void)
{
	fail_msg("no continuation expected (hypercall %lu)", (unsigned long)fake_continuation.nr);
}

mfn_t arch_m2p_extent_mfn(uint64_t i)
{
	(void)i;
	return INVALID_MFN;
}

uint64_t arch_m2p_guest_va(void)
{
	return 0xffff800000000000ULL;   /* x86-64's, as the arch answers */
}

/* The argument at ARG_VA, the in-list after it, the out-list after that. */
static struct xen_memory_exchange *xchg(void) { return (struct xen_memory_exchange *)mem; }
static uint64_t *in_list(void) { return (uint64_t *)(mem + 1024); }
static uint64_t *out_list(void) { return (uint64_t *)(mem + 2048); }

static int64_t exchange(unsigned in_order, const uint64_t *in, unsigned nr_in, unsigned out_order,
			unsigned nr_out)
{
	memset(mem, 0, sizeof(mem));
	xchg()->in = (struct xen_memory_reservation){ .extent_start = ARG_VA + 1024, .nr_extents = nr_in,
						      .extent_order = in_order, .domid = DOMID_SELF };
	xchg()->out = (struct xen_memory_reservation){ .extent_start = ARG_VA + 2048, .nr_extents = nr_out,
						       .extent_order = out_order, .domid = DOMID_SELF };
	memcpy(in_list(), in, nr_in * sizeof(*in));
	return do_memory_op(current_vcpu(), (uint64_t[6]){ XENMEM_exchange, ARG_VA });
}

static int setup(void **state)
{
	(void)state;
	fake_mm_reset();
	caller.domain = &mm_dom_a;
	set_current_vcpu(&caller);
	fake_on_continuation = no_continuation;
	mm_dom_a.max_pages = mm_dom_a.tot_pages;   /* at its maximum reservation */
	return 0;
}

static void assert_untouched(mfn_t m)
{
	assert_int_equal(frame_table[m].owner, mm_dom_a.domain_id);
	assert_int_equal(frame_table[m].count, 1);
	assert_true(frame_table[m].flags & PGF_allocated);
}

/* The same frame twice must not buy two: refused, nothing changed. */
static void test_exchange_duplicate_refused(void **state)
{
	(void)state;
	uint64_t tot = mm_dom_a.tot_pages, in[2] = { 5, 5 };

	assert_int_equal(exchange(0, in, 2, 1, 1), -XEN_EINVAL);
	assert_int_equal(xchg()->nr_exchanged, 0);
	assert_int_equal(mm_dom_a.tot_pages, tot);
	assert_int_equal(mm_frees, 0);
	assert_untouched(5);
	for (mfn_t m = FIRST_FREE; m < MM_FRAMES; m++)
		assert_int_equal(frame_table[m].owner, DOMID_XEN);
}

/* Overlapping extents name a frame twice just the same: [4, 5] and [5, 6]. */
static void test_exchange_overlap_refused(void **state)
{
	(void)state;
	uint64_t tot = mm_dom_a.tot_pages, in[2] = { 4, 5 };

	assert_int_equal(exchange(1, in, 2, 2, 1), -XEN_EINVAL);
	assert_int_equal(xchg()->nr_exchanged, 0);
	assert_int_equal(mm_dom_a.tot_pages, tot);
	for (mfn_t m = 4; m <= 6; m++)
		assert_untouched(m);
}

/* A frame refused after others were taken: those are given back. */
static void test_exchange_bad_frame_undoes(void **state)
{
	(void)state;
	uint64_t in[4] = { 5, 6, 7, MM_FOREIGN };

	assert_int_equal(exchange(0, in, 4, 2, 1), -XEN_EINVAL);
	for (mfn_t m = 5; m <= 7; m++)
		assert_untouched(m);
	assert_int_equal(frame_table[MM_FOREIGN].owner, mm_dom_b.domain_id);
}

/* No room for the out-frames: the in-frames stay the domain's. */
static void test_exchange_no_memory_undoes(void **state)
{
	(void)state;
	uint64_t in[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	assert_int_equal(exchange(0, in, 8, 3, 1), -XEN_ENOMEM);   /* 8 free aligned frames: none */
	for (mfn_t m = 1; m <= 8; m++)
		assert_untouched(m);
}

/* Two distinct frames for a pair, at the maximum: the reservation is unchanged. */
static void test_exchange_pair(void **state)
{
	(void)state;
	uint64_t tot = mm_dom_a.tot_pages, in[2] = { 5, 9 };

	assert_int_equal(exchange(0, in, 2, 1, 1), 0);
	assert_int_equal(xchg()->nr_exchanged, 2);
	assert_int_equal(mm_dom_a.tot_pages, tot);
	assert_int_equal(mm_frees, 2);
	assert_int_equal(frame_table[5].owner, DOMID_XEN);
	assert_int_equal(frame_table[9].owner, DOMID_XEN);
	mfn_t out = out_list()[0];
	assert_int_equal(out % 2, 0);
	assert_int_equal(frame_table[out].owner, mm_dom_a.domain_id);
	assert_int_equal(frame_table[out + 1].owner, mm_dom_a.domain_id);
}

/*
 * populate_physmap clears a frame unless free_frames cleared it when it
 * was last freed (PGF_zeroed): frame 43 holds old data and is cleared, 44
 * is marked and is handed out as it is; neither keeps the mark.
 */
static void test_populate_clears_unless_zeroed(void **state)
{
	(void)state;
	struct xen_memory_reservation *r = (struct xen_memory_reservation *)mem;

	mm_dom_a.max_pages = mm_dom_a.tot_pages + 2;
	mm_frame(FIRST_FREE)[5] = 0xdead;
	mm_frame(FIRST_FREE + 1)[5] = 0xbeef;   /* not what free_frames leaves: shows it is not cleared */
	frame_table[FIRST_FREE + 1].flags = PGF_zeroed;
	memset(mem, 0, sizeof(mem));
	*r = (struct xen_memory_reservation){ .extent_start = ARG_VA + 1024, .nr_extents = 2, .domid = DOMID_SELF };
	in_list()[0] = 100;
	in_list()[1] = 101;
	assert_int_equal(do_memory_op(current_vcpu(), (uint64_t[6]){ XENMEM_populate_physmap, ARG_VA }), 2);
	assert_int_equal(in_list()[0], FIRST_FREE);
	assert_int_equal(in_list()[1], FIRST_FREE + 1);
	assert_int_equal(mm_frame(FIRST_FREE)[5], 0);
	assert_int_equal(mm_frame(FIRST_FREE + 1)[5], 0xbeef);
	assert_int_equal(frame_table[FIRST_FREE].flags, PGF_allocated);
	assert_int_equal(frame_table[FIRST_FREE + 1].flags, PGF_allocated);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_exchange_duplicate_refused, setup),
		cmocka_unit_test_setup(test_exchange_overlap_refused, setup),
		cmocka_unit_test_setup(test_exchange_bad_frame_undoes, setup),
		cmocka_unit_test_setup(test_exchange_no_memory_undoes, setup),
		cmocka_unit_test_setup(test_exchange_pair, setup),
		cmocka_unit_test_setup(test_populate_clears_unless_zeroed, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
