/*
 * The page type/count state machine: every transition and every refusal,
 * against the real common/page*.c and arch/x86/pv/mm_validate.c on a fake
 * machine (fake/memory.c). Baseline: each of domain A's frames has count 1 (its
 * allocation) and no type references.
 */
#include "fake/memory.h"
#include <asm/page.h>
#include <public/errno.h>
#include "mm.h"

#define P   PTE_P
#define W   PTE_W
#define U   PTE_U
#define RW  (PTE_P | PTE_W)

static int setup(void **state)
{
	(void)state;
	fake_mm_reset();
	return 0;
}

static void assert_baseline(uint64_t first, uint64_t last)
{
	for (uint64_t m = first; m <= last; m++) {
		assert_int_equal(frame_table[m].count, 1);
		assert_int_equal(frame_table[m].type_count, 0);
		assert_false(frame_table[m].flags & (PGF_pinned | PGF_validated) &&
			     page_type_is_table(frame_table[m].type));
	}
}

/* A four-level chain 1 (L4) -> 2 (L3) -> 3 (L2) -> 4 (L1) -> data frames 5 (RW), 6 (RO). */
static void build_chain(void)
{
	mm_frame(1)[0] = mm_pte(2, RW);
	mm_frame(2)[0] = mm_pte(3, RW);
	mm_frame(3)[0] = mm_pte(4, RW);
	mm_frame(4)[0] = mm_pte(5, RW);
	mm_frame(4)[1] = mm_pte(6, P);
}

static void test_get_page_refusals(void **state)
{
	(void)state;
	assert_int_equal(get_page(&mm_dom_a, 5), 0);
	assert_int_equal(frame_table[5].count, 2);
	put_page(5);
	assert_int_equal(get_page(&mm_dom_a, MM_FOREIGN), -XEN_EINVAL);   /* another domain's */
	assert_int_equal(get_page(&mm_dom_a, MM_XEN), -XEN_EINVAL);       /* the hypervisor's */
	assert_int_equal(get_page(&mm_dom_a, MM_FRAMES + 5), -XEN_EINVAL); /* beyond the table */
	frame_table[5].count = PAGE_COUNT_MAX;                            /* overflow */
	assert_int_equal(get_page(&mm_dom_a, 5), -XEN_EBUSY);
	frame_table[5].count = 1;
}

static void test_pin_chain_and_unpin(void **state)
{
	(void)state;
	build_chain();
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), 0);
	assert_int_equal(frame_table[1].type, PGT_l4);
	assert_true(frame_table[1].flags & PGF_pinned);
	assert_int_equal(frame_table[1].count, 2);
	assert_int_equal(frame_table[2].type, PGT_l3);
	assert_int_equal(frame_table[3].type, PGT_l2);
	assert_int_equal(frame_table[4].type, PGT_l1);
	assert_int_equal(frame_table[4].type_count, 1);
	assert_int_equal(frame_table[5].type, PGT_writable);
	assert_int_equal(frame_table[5].type_count, 1);
	assert_int_equal(frame_table[5].count, 2);
	assert_int_equal(frame_table[6].type_count, 0);   /* read-only: no type reference */
	assert_int_equal(frame_table[6].count, 2);
	/* user bit forced, hypervisor slots installed */
	assert_true(mm_frame(4)[0] & U);
	assert_true(mm_frame(1)[0] & U);
	for (unsigned s = 256; s <= 271; s++)
		assert_int_equal(mm_frame(1)[s], MM_HV_L4E(s));
	assert_int_equal(page_unpin(&mm_dom_a, 1), 0);
	assert_baseline(1, 6);
	assert_int_equal(page_unpin(&mm_dom_a, 1), -XEN_EINVAL);   /* not pinned */
}

static void test_double_pin(void **state)
{
	(void)state;
	build_chain();
	assert_int_equal(page_pin(&mm_dom_a, 4, PGT_l1), 0);
	assert_int_equal(page_pin(&mm_dom_a, 4, PGT_l1), -XEN_EINVAL);
	assert_int_equal(frame_table[4].type_count, 1);
	assert_int_equal(frame_table[4].count, 2);
	assert_int_equal(page_pin(&mm_dom_a, 4, PGT_none), -XEN_EINVAL);
}

static void test_writable_mapping_of_pinned_table(void **state)
{
	(void)state;
	build_chain();
	assert_int_equal(page_pin(&mm_dom_a, 4, PGT_l1), 0);
	/* another L1 (7) mapping the pinned L1 (4) writable cannot validate */
	mm_frame(7)[3] = mm_pte(4, RW);
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), -XEN_EBUSY);
	assert_baseline(7, 7);
	assert_int_equal(frame_table[4].type_count, 1);
	/* read-only is fine */
	mm_frame(7)[3] = mm_pte(4, P);
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);
	assert_int_equal(frame_table[4].count, 3);
	/* and mod_entry refuses to make it writable, leaving the entry as it was */
	uint64_t before = mm_frame(7)[3];
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 7, 1, 3, mm_pte(4, RW), false), -XEN_EBUSY);
	assert_int_equal(mm_frame(7)[3], before);
	assert_int_equal(frame_table[4].count, 3);
}

static void test_table_with_writable_mapping_cannot_pin(void **state)
{
	(void)state;
	mm_frame(7)[0] = mm_pte(8, RW);
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);
	assert_int_equal(page_pin(&mm_dom_a, 8, PGT_l1), -XEN_EINVAL);   /* 8 is writable */
	assert_int_equal(frame_table[8].type, PGT_writable);
	/* once the writable mapping goes, 8 may become a table, after a TLB flush */
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 7, 1, 0, 0, false), 0);
	unsigned flushes = mm_flushes;
	assert_int_equal(page_pin(&mm_dom_a, 8, PGT_l1), 0);
	assert_int_equal(mm_flushes, flushes + 1);
}

/* Frames unmapped together and then made tables cost one flush; a CPU that flushed since needs none. */
static void test_flush_once_per_batch(void **state)
{
	(void)state;
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 7, 1, i, mm_pte(8 + i, RW), false), 0);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 7, 1, i, 0, false), 0);
	assert_int_equal(frame_table[8].tlbflush_stamp, mm_tlb_clock);
	unsigned flushes = mm_flushes;
	assert_int_equal(page_pin(&mm_dom_a, 8, PGT_l1), 0);     /* may be in the TLB: flush */
	assert_int_equal(mm_flushes, flushes + 1);
	assert_int_equal(page_pin(&mm_dom_a, 9, PGT_l1), 0);     /* unmapped before that flush */
	assert_int_equal(page_pin(&mm_dom_a, 10, PGT_l1), 0);
	assert_int_equal(mm_flushes, flushes + 1);
	/* 11 is still mapped writable: refused; unmapped after the flush: flushes again */
	assert_int_equal(page_pin(&mm_dom_a, 11, PGT_l1), -XEN_EINVAL);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 7, 1, 3, 0, false), 0);
	assert_int_equal(page_pin(&mm_dom_a, 11, PGT_l1), 0);
	assert_int_equal(mm_flushes, flushes + 2);
	/* the CPU flushed on its own (a CR3 write) after the unmap: no flush needed */
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 7, 1, 0, mm_pte(12, RW), false), 0);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 7, 1, 0, 0, false), 0);
	mm_cpu_flushed_at = ++mm_tlb_clock;
	assert_int_equal(page_pin(&mm_dom_a, 12, PGT_l1), 0);
	assert_int_equal(mm_flushes, flushes + 2);
	/* freed right after its unmap: flushes */
	assert_int_equal(page_unpin(&mm_dom_a, 12), 0);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 7, 1, 0, mm_pte(13, RW), false), 0);
	assert_int_equal(page_release(&mm_dom_a, 13), 0);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 7, 1, 0, 0, false), 0);   /* freed now */
	assert_int_equal(mm_frees, 1);
	assert_int_equal(mm_flushes, flushes + 3);
}

/*
 * Frames freed as the L1 mapping them is devalidated (domain teardown):
 * without a batch, each one's stamp is newer than the last flush, so one
 * flush each; in a batch they are held back (neither free nor zeroed)
 * and one flush covers them, after which they are all free.
 */
static void test_free_batch_one_flush(void **state)
{
	(void)state;
	for (int batch = 0; batch < 2; batch++) {
		for (unsigned i = 0; i < 4; i++)
			mm_frame(7)[i] = mm_pte(8 + i, RW);
		assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);
		for (unsigned i = 0; i < 4; i++)
			assert_int_equal(page_release(&mm_dom_a, 8 + i), 0);   /* the L1 still holds them */
		unsigned flushes = mm_flushes, frees = mm_frees;
		if (batch)
			page_free_batch_begin();
		assert_int_equal(page_unpin(&mm_dom_a, 7), 0);
		if (batch) {
			assert_int_equal(mm_frees, frees);      /* held back, not yet flushed */
			assert_int_equal(mm_flushes, flushes);
			page_free_batch_end();
		}
		assert_int_equal(mm_frees, frees + 4);
		assert_int_equal(mm_flushes, flushes + (batch ? 1 : 4));
		for (unsigned i = 0; i < 4; i++)
			assert_int_equal(frame_table[8 + i].owner, DOMID_XEN);
		/* the next round maps frames of its own again */
		for (unsigned i = 0; i < 4; i++)
			assert_int_equal(page_assign(&mm_dom_a, 8 + i), 0);
	}
}

/*
 * A table becoming plain memory: paging-structure caches may still hold its
 * entries (the CPU walks a table it cached, not the frame's new contents),
 * so a writable mapping of a former table flushes first, once per batch of
 * tables dropped together, and not at all once the CPU flushed since.
 */
static void test_former_table_writable_flushes(void **state)
{
	(void)state;
	mm_frame(7)[0] = mm_pte(8, P);
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);
	assert_int_equal(page_unpin(&mm_dom_a, 7), 0);
	assert_int_equal(frame_table[7].tlbflush_stamp, mm_tlb_clock);
	unsigned flushes = mm_flushes;
	assert_int_equal(get_page_and_type(&mm_dom_a, 7, PGT_writable), 0);
	assert_int_equal(mm_flushes, flushes + 1);
	put_page_and_type(7);
	/* a whole tree dropped at once: its tables share one flush */
	build_chain();
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), 0);
	assert_int_equal(page_unpin(&mm_dom_a, 1), 0);
	flushes = mm_flushes;
	for (mfn_t m = 1; m <= 4; m++)
		assert_int_equal(get_page_and_type(&mm_dom_a, m, PGT_writable), 0);
	assert_int_equal(mm_flushes, flushes + 1);
	for (mfn_t m = 1; m <= 4; m++)
		put_page_and_type(m);
	/* the CPU flushed on its own after the unpin: nothing to do */
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);
	assert_int_equal(page_unpin(&mm_dom_a, 7), 0);
	mm_cpu_flushed_at = ++mm_tlb_clock;
	flushes = mm_flushes;
	assert_int_equal(get_page_and_type(&mm_dom_a, 7, PGT_writable), 0);
	assert_int_equal(mm_flushes, flushes);
	put_page_and_type(7);
}

/* The same when the unpin's devalidation was preempted and finished later. */
static void test_devalidated_table_writable_flushes(void **state)
{
	(void)state;
	build_chain();
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), 0);
	fake_preempt_every = 1;
	int rc = page_unpin_preemptible(&mm_dom_a, 1);
	assert_true(rc == 0 || rc == -XEN_ERESTART);
	while (page_finish_devalidation(1, true) == -XEN_ERESTART)
		;
	fake_preempt_every = 0;
	assert_baseline(1, 6);
	unsigned flushes = mm_flushes;
	assert_int_equal(get_page_and_type(&mm_dom_a, 3, PGT_writable), 0);
	assert_int_equal(mm_flushes, flushes + 1);
	put_page_and_type(3);
}

/* A descriptor-table frame is the CPU's too (GDT/LDT mappings): the same rule. */
static void test_former_seg_desc_writable_flushes(void **state)
{
	(void)state;
	assert_int_equal(get_page_and_type(&mm_dom_a, 9, PGT_seg_desc), 0);
	put_page_and_type(9);
	unsigned flushes = mm_flushes;
	assert_int_equal(get_page_and_type(&mm_dom_a, 9, PGT_writable), 0);
	assert_int_equal(mm_flushes, flushes + 1);
	put_page_and_type(9);
}

/*
 * A frame freed while a read-only entry may still sit in a TLB (its last
 * mapping went without a flush): stamped when freed, and the TLBs are
 * flushed before the allocator hands it out again, to anyone.
 */
static void test_freed_frame_flushed_before_reuse(void **state)
{
	(void)state;
	mm_frame(7)[0] = mm_pte(8, P);
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);
	assert_int_equal(page_release(&mm_dom_a, 8), 0);   /* the mapping keeps it */
	assert_int_equal(mm_frees, 0);
	mm_tlb_clock += 5;
	unsigned flushes = mm_flushes;
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 7, 1, 0, 0, false), 0);   /* freed, no flush */
	assert_int_equal(mm_frees, 1);
	assert_int_equal(mm_flushes, flushes);
	assert_int_equal(frame_table[8].tlbflush_stamp, mm_tlb_clock);
	page_flush_reused(8, 0);   /* the allocator gives it out */
	assert_int_equal(mm_flushes, flushes + 1);
	assert_int_equal(mm_flush_stamp, mm_tlb_clock - 1);
	page_flush_reused(8, 0);   /* nothing can hold it any more */
	assert_int_equal(mm_flushes, flushes + 1);
	/* never a domain's frame: nothing to flush; a block flushes once */
	page_flush_reused(MM_XEN, 0);
	assert_int_equal(mm_flushes, flushes + 1);
	assert_int_equal(page_release(&mm_dom_a, 10), 0);
	assert_int_equal(page_release(&mm_dom_a, 11), 0);
	assert_int_equal(mm_frees, 3);
	page_flush_reused(10, 1);
	assert_int_equal(mm_flushes, flushes + 2);
	/* the CPU flushed since the frame was freed: nothing to do */
	assert_int_equal(page_release(&mm_dom_a, 12), 0);
	mm_cpu_flushed_at = ++mm_tlb_clock;
	page_flush_reused(12, 0);
	assert_int_equal(mm_flushes, flushes + 2);
}

static void test_foreign_hypervisor_io_frames(void **state)
{
	(void)state;
	mm_frame(7)[0] = mm_pte(MM_FOREIGN, P);
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), -XEN_EBUSY);
	mm_frame(7)[0] = mm_pte(MM_XEN, P);
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), -XEN_EBUSY);
	mm_frame(7)[0] = mm_pte(MM_IO, P);
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), -XEN_EBUSY);   /* unprivileged */
	mm_dom_a.is_privileged = true;
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);             /* Dom0: device memory */
	assert_int_equal(frame_table[MM_IO].count, 0);                   /* without references */
	assert_int_equal(page_unpin(&mm_dom_a, 7), 0);
	/* but not the interrupt controllers' registers, even for Dom0, even read-only */
	mm_frame(7)[0] = mm_pte(MM_IO_APIC, P);
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), -XEN_EPERM);
	mm_frame(7)[0] = mm_pte(MM_IO_APIC, RW);
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), -XEN_EPERM);
	/* a table level pointing at a foreign frame */
	mm_frame(9)[0] = mm_pte(MM_FOREIGN, RW);
	assert_int_equal(page_pin(&mm_dom_a, 9, PGT_l2), -XEN_EINVAL);
	assert_baseline(7, 9);
	assert_int_equal(frame_table[MM_FOREIGN].count, 1);
	/* the hypervisor's frame that is no domain's shared_info: refused */
	mm_frame(7)[0] = mm_pte(MM_SHINFO, RW);
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), -XEN_EBUSY);
	/* shared_info, shared with A as domain_create does: mappable, even
	 * writable, with references like any of A's frames */
	page_share(&mm_dom_a, MM_SHINFO);
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);
	assert_int_equal(frame_table[MM_SHINFO].count, 2);
	assert_int_equal(frame_table[MM_SHINFO].type_count, 2);
	assert_int_equal(page_unpin(&mm_dom_a, 7), 0);
	assert_int_equal(frame_table[MM_SHINFO].count, 1);
	assert_int_equal(frame_table[MM_SHINFO].type_count, 1);
	/* B cannot map it; privileged B naming A as the foreign domain can */
	mm_frame(MM_FOREIGN)[0] = mm_pte(MM_SHINFO, RW);
	assert_int_equal(page_pin(&mm_dom_b, MM_FOREIGN, PGT_l1), -XEN_EBUSY);
	mm_frame(MM_FOREIGN)[0] = 0;
	mm_dom_b.is_privileged = true;
	assert_int_equal(page_pin(&mm_dom_b, MM_FOREIGN, PGT_l1), 0);
	assert_int_equal(pv_mod_entry(&mm_dom_b, &mm_dom_a, MM_FOREIGN, 1, 0, mm_pte(MM_SHINFO, RW), false), 0);
	assert_int_equal(frame_table[MM_SHINFO].count, 2);
	assert_int_equal(pv_mod_entry(&mm_dom_b, &mm_dom_a, MM_FOREIGN, 1, 0, 0, false), 0);
	assert_int_equal(frame_table[MM_SHINFO].count, 1);
	assert_int_equal(page_unpin(&mm_dom_b, MM_FOREIGN), 0);
	mm_dom_b.is_privileged = false;
	/* the domain's own reference: the frame goes with it */
	put_page_and_type(MM_SHINFO);
	assert_int_equal(frame_table[MM_SHINFO].owner, DOMID_XEN);
}

static void test_foreign_with_pg_owner(void **state)
{
	(void)state;
	/* a privileged mmu_update with foreigndom = B maps B's frame */
	mm_dom_a.is_privileged = true;
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_b, 7, 1, 0, mm_pte(MM_FOREIGN, RW), false), 0);
	assert_int_equal(frame_table[MM_FOREIGN].count, 2);
	assert_int_equal(frame_table[MM_FOREIGN].type, PGT_writable);
	assert_int_equal(page_unpin(&mm_dom_a, 7), 0);
	assert_int_equal(frame_table[MM_FOREIGN].count, 1);
	assert_int_equal(frame_table[MM_FOREIGN].type_count, 0);
}

/*
 * Naming B as the foreign domain, privileged A asks for a frame that is
 * A's own: refused as on Xen (-EBUSY), with no reference taken. (It once
 * fell back to A's frame: Dom0's hypercall fuzzer, mapping "T's" frames
 * through privcmd, got pages of Linux's own memory writable and scribbled
 * page-table entries over Dom0's kernel.) Read-only, writable, through
 * mmu_update's path and on a pinned L1 alike.
 */
static void test_foreign_not_own_frame(void **state)
{
	(void)state;
	mm_dom_a.is_privileged = true;
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_b, 7, 1, 0, mm_pte(9, RW), false), -XEN_EBUSY);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_b, 7, 1, 0, mm_pte(9, P), false), -XEN_EBUSY);
	assert_int_equal(mm_frame(7)[0], 0);
	assert_int_equal(frame_table[9].count, 1);
	assert_int_equal(frame_table[9].type_count, 0);
	/* nor the hypervisor's frame, nor a free one */
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_b, 7, 1, 0, mm_pte(MM_XEN, P), false), -XEN_EBUSY);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_b, 7, 1, 0, mm_pte(MM_FIRST_FREE, RW), false), -XEN_EBUSY);
	/* B's frame still maps, and its own A frame through DOMID_SELF's path */
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_b, 7, 1, 0, mm_pte(MM_FOREIGN, RW), false), 0);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 7, 1, 1, mm_pte(9, RW), false), 0);
	assert_int_equal(page_unpin(&mm_dom_a, 7), 0);
	assert_int_equal(frame_table[9].count, 1);
	assert_int_equal(frame_table[MM_FOREIGN].count, 1);
}

static void test_type_confusion(void **state)
{
	(void)state;
	build_chain();
	assert_int_equal(page_pin(&mm_dom_a, 3, PGT_l2), 0);
	/* L2 frame 3 named by another L2 (as if it were an L1) */
	mm_frame(10)[0] = mm_pte(3, RW);
	assert_int_equal(page_pin(&mm_dom_a, 10, PGT_l2), -XEN_EINVAL);
	/* or pinned as L1 directly */
	assert_int_equal(page_pin(&mm_dom_a, 3, PGT_l1), -XEN_EINVAL);
	/* an L3 naming L1 frame 4 */
	mm_frame(11)[0] = mm_pte(4, RW);
	assert_int_equal(page_pin(&mm_dom_a, 11, PGT_l3), -XEN_EINVAL);
	assert_baseline(10, 11);
	assert_int_equal(frame_table[3].type_count, 1);
	assert_int_equal(frame_table[4].type_count, 1);
}

static void test_linear_and_cycles_refused(void **state)
{
	(void)state;
	mm_frame(12)[5] = mm_pte(12, P);   /* L4 naming itself, read-only */
	assert_int_equal(page_pin(&mm_dom_a, 12, PGT_l4), -XEN_EINVAL);
	assert_baseline(12, 12);
	mm_frame(12)[5] = mm_pte(13, RW);  /* L4 -> L3 -> back to the L4 */
	mm_frame(13)[0] = mm_pte(12, RW);
	assert_int_equal(page_pin(&mm_dom_a, 12, PGT_l4), -XEN_EINVAL);
	assert_baseline(12, 13);
	mm_frame(14)[0] = mm_pte(14, P);   /* an L1 mapping itself read-only is fine */
	assert_int_equal(page_pin(&mm_dom_a, 14, PGT_l1), 0);
	assert_int_equal(frame_table[14].count, 3);
	mm_frame(15)[0] = mm_pte(15, RW);  /* but not writable */
	assert_int_equal(page_pin(&mm_dom_a, 15, PGT_l1), -XEN_EBUSY);
	assert_baseline(15, 15);
}

static void test_reserved_bits_and_flags(void **state)
{
	(void)state;
	mm_frame(7)[0] = mm_pte(8, P | (1ULL << 52));  /* ignored by the CPU: allowed at L1, as Xen */
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);
	assert_int_equal(page_unpin(&mm_dom_a, 7), 0);
	mm_frame(9)[0] = mm_pte(7, RW | (1ULL << 52));  /* but not at L2 */
	assert_int_equal(page_pin(&mm_dom_a, 9, PGT_l2), -XEN_EINVAL);
	mm_frame(7)[0] = mm_pte(8, P | PTE_PS);        /* PAT at L1: allowed */
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);
	assert_int_equal(page_unpin(&mm_dom_a, 7), 0);
	mm_frame(9)[0] = mm_pte(8, RW | PTE_PS);       /* a superpage at L2 */
	assert_int_equal(page_pin(&mm_dom_a, 9, PGT_l2), -XEN_EINVAL);
	mm_frame(9)[0] = mm_pte(7, RW | PTE_G);        /* global at L2 */
	assert_int_equal(page_pin(&mm_dom_a, 9, PGT_l2), -XEN_EINVAL);
	mm_frame(9)[0] = mm_pte(7, RW | PTE_PCD);      /* cache bits at L2, as Xen */
	assert_int_equal(page_pin(&mm_dom_a, 9, PGT_l2), -XEN_EINVAL);
	assert_baseline(7, 9);
	/* global: kept on user mappings, dropped from kernel ones; NX kept */
	mm_frame(7)[0] = mm_pte(8, P | PTE_G);
	mm_frame(7)[1] = mm_pte(8, P | U | PTE_G | PTE_NX);
	mm_frame(7)[2] = 0x1234ULL << 12;              /* not present: left alone */
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);
	assert_int_equal(mm_frame(7)[0], mm_pte(8, P | U));
	assert_int_equal(mm_frame(7)[1], mm_pte(8, P | U | PTE_G | PTE_NX));
	assert_int_equal(mm_frame(7)[2], 0x1234ULL << 12);
}

static void test_l4_hypervisor_slots(void **state)
{
	(void)state;
	mm_frame(16)[256] = mm_pte(MM_XEN, RW);    /* guest junk in our slots: ignored */
	mm_frame(16)[270] = mm_pte(MM_FOREIGN, RW);
	assert_int_equal(page_pin(&mm_dom_a, 16, PGT_l4), 0);
	assert_int_equal(mm_frame(16)[256], MM_HV_L4E(256));
	assert_int_equal(mm_frame(16)[270], MM_HV_L4E(270));
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 16, 4, 262, 0, false), -XEN_EINVAL);
	assert_int_equal(mm_frame(16)[262], MM_HV_L4E(262));
	assert_int_equal(page_unpin(&mm_dom_a, 16), 0);
	assert_int_equal(frame_table[MM_FOREIGN].count, 1);
}

static void test_unpin_while_in_use(void **state)
{
	(void)state;
	build_chain();
	assert_int_equal(page_pin(&mm_dom_a, 4, PGT_l1), 0);
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), 0);
	assert_int_equal(frame_table[4].type_count, 2);
	/* unpinning the L1 still named by the L2 keeps it a validated L1 */
	assert_int_equal(page_unpin(&mm_dom_a, 4), 0);
	assert_int_equal(frame_table[4].type, PGT_l1);
	assert_int_equal(frame_table[4].type_count, 1);
	assert_true(frame_table[4].flags & PGF_validated);
	assert_int_equal(page_pin(&mm_dom_a, 5, PGT_l1), -XEN_EINVAL);    /* 5 still writable */
	/* the last reference devalidates the whole tree */
	assert_int_equal(page_unpin(&mm_dom_a, 1), 0);
	assert_baseline(1, 6);
}

static void test_release_table_in_use(void **state)
{
	(void)state;
	build_chain();
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), 0);
	/* the guest gives back its L1 while the tree still names it */
	assert_int_equal(page_release(&mm_dom_a, 4), 0);
	assert_int_equal(mm_frees, 0);
	assert_int_equal(frame_table[4].owner, 1);
	assert_int_equal(frame_table[4].type, PGT_l1);
	assert_int_equal(page_release(&mm_dom_a, 4), -XEN_EINVAL);   /* twice */
	assert_int_equal(get_page(&mm_dom_a, 4), 0);                 /* still referenced */
	put_page(4);
	uint64_t before = mm_dom_a.tot_pages;
	assert_int_equal(page_unpin(&mm_dom_a, 1), 0);
	assert_int_equal(mm_frees, 1);                               /* freed with the tree */
	assert_int_equal(frame_table[4].owner, DOMID_XEN);
	assert_int_equal(frame_table[4].count, 0);
	assert_int_equal(mm_dom_a.tot_pages, before - 1);
	assert_int_equal(mm_m2p[4], ~0ULL);
	/* a released pinned frame stays pinned (as Xen 4.17) until unpinned */
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);
	assert_int_equal(page_release(&mm_dom_a, 7), 0);
	assert_int_equal(mm_frees, 1);
	assert_true(frame_table[7].flags & PGF_pinned);
	assert_int_equal(page_unpin(&mm_dom_a, 7), 0);
	assert_int_equal(mm_frees, 2);
	/* a freed frame that was writable is flushed from TLBs first */
	mm_frame(8)[0] = mm_pte(9, RW);
	assert_int_equal(page_pin(&mm_dom_a, 8, PGT_l1), 0);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 8, 1, 0, 0, false), 0);
	unsigned flushes = mm_flushes;
	assert_int_equal(page_release(&mm_dom_a, 9), 0);
	assert_int_equal(mm_flushes, flushes + 1);
}

static void test_type_count_overflow(void **state)
{
	(void)state;
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);
	frame_table[7].type_count = PAGE_COUNT_MAX;
	mm_frame(9)[0] = mm_pte(7, RW);
	assert_int_equal(page_pin(&mm_dom_a, 9, PGT_l2), -XEN_EBUSY);
	frame_table[7].type_count = 1;
	assert_baseline(9, 9);
}

static void test_validation_rollback(void **state)
{
	(void)state;
	build_chain();
	mm_frame(4)[300] = mm_pte(MM_FOREIGN, P);      /* deep in the tree, late in the L1 */
	mm_frame(1)[1] = mm_pte(17, RW);               /* a second, valid subtree first */
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), -XEN_EBUSY);
	assert_baseline(1, 17);
	mm_frame(4)[300] = 0;
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), 0);
}

static void test_mod_entry(void **state)
{
	(void)state;
	build_chain();
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), 0);
	/* not a validated table of that level */
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 4, 2, 0, 0, false), -XEN_EINVAL);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 7, 1, 0, 0, false), -XEN_EINVAL);
	/* RW -> RO on the same frame drops the type reference */
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 4, 1, 0, mm_pte(5, P), false), 0);
	assert_int_equal(frame_table[5].type_count, 0);
	assert_int_equal(frame_table[5].count, 2);
	/* preserve A/D */
	mm_frame(4)[0] |= PTE_A | PTE_D;
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 4, 1, 0, mm_pte(6, RW), true), 0);
	assert_int_equal(mm_frame(4)[0], mm_pte(6, RW | U | PTE_A | PTE_D));
	assert_int_equal(frame_table[5].count, 1);
	assert_int_equal(frame_table[6].count, 3);
	/* an L2 entry that validates a new L1 on the spot */
	mm_frame(18)[0] = mm_pte(19, RW);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 3, 2, 1, mm_pte(18, RW), false), 0);
	assert_int_equal(frame_table[18].type, PGT_l1);
	assert_int_equal(frame_table[19].type, PGT_writable);
	/* clearing it devalidates */
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, 3, 2, 1, 0, false), 0);
	assert_baseline(18, 19);
}

static void test_seg_desc_type(void **state)
{
	(void)state;
	assert_int_equal(get_page_and_type(&mm_dom_a, 20, PGT_seg_desc), 0);
	mm_frame(7)[0] = mm_pte(20, RW);
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), -XEN_EBUSY);    /* GDT frame writable */
	mm_frame(7)[0] = mm_pte(20, P);
	assert_int_equal(page_pin(&mm_dom_a, 7, PGT_l1), 0);
	assert_int_equal(page_pin(&mm_dom_a, 20, PGT_l1), -XEN_EINVAL);  /* GDT as a table */
	put_page_and_type(20);
	assert_int_equal(frame_table[20].type_count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_get_page_refusals, setup),
		cmocka_unit_test_setup(test_pin_chain_and_unpin, setup),
		cmocka_unit_test_setup(test_double_pin, setup),
		cmocka_unit_test_setup(test_writable_mapping_of_pinned_table, setup),
		cmocka_unit_test_setup(test_table_with_writable_mapping_cannot_pin, setup),
		cmocka_unit_test_setup(test_flush_once_per_batch, setup),
		cmocka_unit_test_setup(test_former_table_writable_flushes, setup),
		cmocka_unit_test_setup(test_devalidated_table_writable_flushes, setup),
		cmocka_unit_test_setup(test_former_seg_desc_writable_flushes, setup),
		cmocka_unit_test_setup(test_freed_frame_flushed_before_reuse, setup),
		cmocka_unit_test_setup(test_foreign_hypervisor_io_frames, setup),
		cmocka_unit_test_setup(test_foreign_with_pg_owner, setup),
		cmocka_unit_test_setup(test_foreign_not_own_frame, setup),
		cmocka_unit_test_setup(test_type_confusion, setup),
		cmocka_unit_test_setup(test_linear_and_cycles_refused, setup),
		cmocka_unit_test_setup(test_reserved_bits_and_flags, setup),
		cmocka_unit_test_setup(test_l4_hypervisor_slots, setup),
		cmocka_unit_test_setup(test_unpin_while_in_use, setup),
		cmocka_unit_test_setup(test_release_table_in_use, setup),
		cmocka_unit_test_setup(test_type_count_overflow, setup),
		cmocka_unit_test_setup(test_validation_rollback, setup),
		cmocka_unit_test_setup(test_mod_entry, setup),
		cmocka_unit_test_setup(test_free_batch_one_flush, setup),
		cmocka_unit_test_setup(test_seg_desc_type, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
