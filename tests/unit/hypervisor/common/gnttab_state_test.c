/*
 * The grant state machine: grant-table set-up and versions, map and unmap
 * with their reference counts and status flags, every refusal (nothing may
 * change), revocation while mapped, implicit unmaps, forged grant entries,
 * unmaps that must find their own entry (writable as the handle; grant
 * entries never move), copies, maptrack limits, and teardown of either domain with grants mapped
 * (every count back to its baseline: nothing leaks); what other CPUs may do
 * while an unmap waits for its flush without the big lock (test_window_*). Real common/page*.c,
 * common/grant_table*.c, arch/x86/pv/mm_validate.c and mm_grant.c on the
 * fake machine of fake/memory.c (fake/gnttab.c adds the mapper's page table).
 *
 * Domain B (id 2) grants its frames 33-36 to domain A (id 1). Baseline: each
 * of them has count 1 (the allocation) and no type reference.
 */
#include "fake/gnttab.h"
#include <asm/page.h>
#include <public/errno.h>
#include "mm.h"
#include "grant_table_priv.h"

#define B_FRAME(i) (MM_FOREIGN + (i))

static struct grant_entry_v1 *btab;   /* B's table, frame 0 */

static int setup(void **state)
{
	uint64_t f[1];

	(void)state;
	gs_reset();
	assert_int_equal(gnttab_setup_table(&mm_dom_b, 1, f), GNTST_okay);
	btab = (struct grant_entry_v1 *)mm_frame(f[0]);
	return 0;
}

static void grant(grant_ref_t r, domid_t to, mfn_t m, uint16_t flags)
{
	btab[r].domid = to;
	btab[r].frame = (uint32_t)m;
	btab[r].flags = flags;
}

static void assert_baseline_b(void)
{
	for (int i = 0; i < 4; i++) {
		assert_int_equal(frame_table[B_FRAME(i)].count, 1);
		assert_int_equal(frame_table[B_FRAME(i)].type_count, 0);
	}
}

static int16_t map(grant_ref_t ref, domid_t dom, unsigned slot, uint32_t flags, grant_handle_t *h)
{
	struct gnttab_map_grant_ref op = { .host_addr = gs_va(slot), .flags = flags, .ref = ref,
					   .dom = dom, .status = 99 };

	gnttab_map_one(&gs_vcpu_a, &op);
	if (h)
		*h = op.handle;
	return op.status;
}

/* A whole unmap as do_grant_table_op runs it: entry, flush, release. */
static int unmap(unsigned slot, grant_handle_t h)
{
	unsigned rel;
	bool flush = false;
	int rc = gnttab_unmap_start(&gs_vcpu_a, gs_va(slot), 0, h, 0, false, &rel, &flush);

	if (flush)
		arch_gnttab_flush_tlbs(&mm_dom_a, true);
	if (rel != MT_NONE)
		gnttab_unmap_finish(&mm_dom_a, rel);
	return rc;
}

/* unmap_and_replace as do_grant_table_op runs it. */
static int replace(unsigned slot, unsigned new_slot, grant_handle_t h)
{
	unsigned rel;
	bool flush = false;
	int rc = gnttab_unmap_start(&gs_vcpu_a, gs_va(slot), 0, h, gs_va(new_slot), true, &rel, &flush);

	if (flush)
		arch_gnttab_flush_tlbs(&mm_dom_a, true);
	if (rel != MT_NONE)
		gnttab_unmap_finish(&mm_dom_a, rel);
	return rc;
}

/* Writable grant entries of the mapper's L1 naming m: never more than m's writable pins. */
static unsigned rw_grant_entries(mfn_t m)
{
	unsigned n = 0;

	for (unsigned i = 0; i < 512; i++)
		n += (gs_l1e(i) & (PTE_P | PTE_W | PTE_GNTTAB)) == (PTE_P | PTE_W | PTE_GNTTAB) &&
		     ((gs_l1e(i) & PTE_ADDR) >> 12) == m;
	return n;
}

static void test_table_frames(void **state)
{
	struct grant_table *gt = mm_dom_b.gnttab;
	uint64_t f[4];
	uint32_t nr, max, v = 2;

	(void)state;
	assert_int_equal(gt->version, 1);
	assert_int_equal(frame_table[gt->shared[0]].owner, 2);
	assert_int_equal(frame_table[gt->shared[0]].type, PGT_writable);
	assert_int_equal(mm_dom_b.tot_pages, 4);   /* shared frames are not the guest's allocation */
	/* the owner maps its table frame writable; it can never become a page table */
	assert_int_equal(get_page(&mm_dom_b, gt->shared[0]), 0);
	assert_int_equal(get_page_type(&mm_dom_b, gt->shared[0], PGT_writable), 0);
	put_page_and_type(gt->shared[0]);
	assert_int_equal(page_pin(&mm_dom_b, gt->shared[0], PGT_l1), -XEN_EINVAL);
	assert_int_equal(page_release(&mm_dom_b, gt->shared[0]), -XEN_EINVAL);
	assert_int_equal(gnttab_setup_table(&mm_dom_b, GNTTAB_DEFAULT_MAX_FRAMES + 1, f),
			 GNTST_general_error);
	assert_int_equal(gnttab_setup_table(&mm_dom_b, 2, f), GNTST_okay);
	assert_int_equal(gnttab_query_size(&mm_dom_b, &nr, &max), GNTST_okay);
	assert_int_equal(nr, 2);
	assert_int_equal(max, GNTTAB_DEFAULT_MAX_FRAMES);
	assert_int_equal(gnttab_get_status_frames(&mm_dom_b, 1, f), GNTST_general_error);   /* v1 */
	/* v2: one status frame, entries 256 a frame */
	assert_int_equal(gnttab_set_version(&mm_dom_b, &v), 0);
	assert_int_equal(gnttab_nr_entries(gt), 512);
	assert_int_equal(gnttab_get_status_frames(&mm_dom_b, 1, f), GNTST_okay);
	assert_int_equal(frame_table[f[0]].owner, 2);
	v = 3;
	assert_int_equal(gnttab_set_version(&mm_dom_b, &v), -XEN_EINVAL);
	assert_int_equal(v, 2);
	v = 1;
	mm_frees = 0;
	assert_int_equal(gnttab_set_version(&mm_dom_b, &v), 0);
	assert_int_equal(mm_frees, 1);   /* the status frame went back */
	assert_int_equal(gt->nr_status, 0);
}

static void test_map_unmap(void **state)
{
	grant_handle_t h;
	uint64_t e;

	(void)state;
	grant(10, 1, B_FRAME(0), GTF_permit_access);
	assert_int_equal(map(10, 2, 3, GNTMAP_host_map, &h), GNTST_okay);
	assert_int_equal(frame_table[B_FRAME(0)].count, 2);
	assert_int_equal(frame_table[B_FRAME(0)].type, PGT_writable);
	assert_int_equal(frame_table[B_FRAME(0)].type_count, 1);
	assert_int_equal(btab[10].flags, GTF_permit_access | GTF_reading | GTF_writing);
	e = gs_l1e(3);
	assert_true(e & PTE_GNTTAB);
	assert_true(e & PTE_W);
	assert_int_equal((e & PTE_ADDR) >> 12, B_FRAME(0));
	assert_int_equal(gnttab_maptrack_used(&mm_dom_a), 1);
	/* the granter cannot make the mapped frame a page table */
	assert_int_equal(page_pin(&mm_dom_b, B_FRAME(0), PGT_l1), -XEN_EINVAL);
	assert_int_equal(unmap(4, h), GNTST_general_error);   /* not where it was mapped */
	assert_int_equal(unmap(3, h), GNTST_okay);
	assert_int_equal(gs_l1e(3), 0);
	assert_int_equal(mm_domain_flushes, 1);
	assert_int_equal(btab[10].flags, GTF_permit_access);
	assert_int_equal(unmap(3, h), GNTST_bad_handle);
	assert_int_equal(unmap(3, 12345), GNTST_bad_handle);
	assert_int_equal(gnttab_maptrack_used(&mm_dom_a), 0);
	assert_baseline_b();
	/* read-only: a general reference only */
	assert_int_equal(map(10, 2, 3, GNTMAP_host_map | GNTMAP_readonly, &h), GNTST_okay);
	assert_int_equal(frame_table[B_FRAME(0)].type_count, 0);
	assert_false(gs_l1e(3) & PTE_W);
	assert_int_equal(btab[10].flags, GTF_permit_access | GTF_reading);
	assert_int_equal(unmap(3, h), GNTST_okay);
	assert_baseline_b();
}

static void test_refusals(void **state)
{
	(void)state;
	grant(11, 1, B_FRAME(1), GTF_permit_access | GTF_readonly);
	grant(12, 5, B_FRAME(1), GTF_permit_access);
	grant(13, 1, MM_XEN, GTF_permit_access);
	grant(14, 1, B_FRAME(3), GTF_permit_access);
	grant(15, 1, MM_FRAMES + 100, GTF_permit_access);
	grant(16, 1, 5, GTF_permit_access);   /* A's own frame, granted by B */
	assert_int_equal(get_page_and_type(&mm_dom_b, B_FRAME(3), PGT_l1), 0);   /* B's page table */
	assert_int_equal(map(11, 2, 3, GNTMAP_host_map, NULL), GNTST_general_error);
	assert_int_equal(map(12, 2, 3, GNTMAP_host_map, NULL), GNTST_general_error);
	assert_int_equal(map(13, 2, 3, GNTMAP_host_map, NULL), GNTST_bad_page);
	assert_int_equal(map(15, 2, 3, GNTMAP_host_map, NULL), GNTST_bad_page);
	assert_int_equal(map(16, 2, 3, GNTMAP_host_map, NULL), GNTST_bad_page);
	assert_int_equal(map(14, 2, 3, GNTMAP_host_map, NULL), GNTST_general_error);
	assert_int_equal(map(17, 2, 3, GNTMAP_host_map, NULL), GNTST_general_error);   /* invalid */
	assert_int_equal(map(512, 2, 3, GNTMAP_host_map, NULL), GNTST_bad_gntref);
	assert_int_equal(map(14, 9, 3, GNTMAP_host_map, NULL), GNTST_bad_domain);
	assert_int_equal(map(11, 2, 3, 0, NULL), GNTST_bad_gntref);
	grant(18, 1, B_FRAME(2), GTF_permit_access);
	assert_int_equal(map(18, 2, 600, GNTMAP_host_map, NULL), GNTST_general_error);   /* no L1 */
	{
		struct gnttab_map_grant_ref op = { .host_addr = (GS_L1 << 12) + 3, .ref = 18, .dom = 2,
						   .flags = GNTMAP_host_map | GNTMAP_contains_pte };
		gnttab_map_one(&gs_vcpu_a, &op);
		assert_int_equal(op.status, GNTST_general_error);   /* misaligned */
		op.host_addr = 6 << 12;
		gnttab_map_one(&gs_vcpu_a, &op);
		assert_int_equal(op.status, GNTST_general_error);   /* not an L1 */
	}
	/* nothing changed */
	assert_int_equal(btab[11].flags, GTF_permit_access | GTF_readonly);
	assert_int_equal(btab[14].flags, GTF_permit_access);
	assert_int_equal(btab[18].flags, GTF_permit_access);
	assert_int_equal(frame_table[B_FRAME(1)].count, 1);
	assert_int_equal(frame_table[B_FRAME(2)].count, 1);
	assert_int_equal(frame_table[B_FRAME(3)].type_count, 1);
	assert_int_equal(gnttab_maptrack_used(&mm_dom_a), 0);
	assert_int_equal(gs_l1e(3), 0);
}

static void test_revoke_and_release(void **state)
{
	grant_handle_t h;

	(void)state;
	grant(20, 1, B_FRAME(0), GTF_permit_access);
	assert_int_equal(map(20, 2, 3, GNTMAP_host_map, &h), GNTST_okay);
	/* a hostile granter zeroes the entry and gives the frame back */
	btab[20].flags = 0;
	btab[20].frame = B_FRAME(1);
	mm_frees = 0;
	assert_int_equal(page_release(&mm_dom_b, B_FRAME(0)), 0);
	assert_int_equal(mm_frees, 0);   /* still pinned by the mapping */
	assert_int_equal(frame_table[B_FRAME(0)].owner, 2);
	assert_int_equal(unmap(3, h), GNTST_okay);
	assert_int_equal(mm_frees, 1);   /* now it goes */
	assert_int_equal(frame_table[B_FRAME(1)].count, 1);
}

static void test_implicit_unmap_and_forgery(void **state)
{
	grant_handle_t h;
	uint64_t e, out;

	(void)state;
	grant(21, 1, B_FRAME(0), GTF_permit_access);
	assert_int_equal(map(21, 2, 3, GNTMAP_host_map, &h), GNTST_okay);
	e = gs_l1e(3);
	/* the guest cannot write a grant entry itself, nor copy this one */
	assert_int_equal(pv_get_entry(&mm_dom_a, &mm_dom_a, 1, e, &out), -XEN_EINVAL);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, GS_L1, 1, 4, e, false), -XEN_EINVAL);
	/* overwriting it drops nothing: the grant still holds the frame */
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, GS_L1, 1, 3, 0, false), 0);
	assert_int_equal(frame_table[B_FRAME(0)].count, 2);
	assert_int_equal(frame_table[B_FRAME(0)].type_count, 1);
	assert_int_equal(unmap(3, h), GNTST_general_error);   /* gone: Xen's answer too */
	assert_int_equal(btab[21].flags, GTF_permit_access | GTF_reading | GTF_writing);
	/* unhooking the L1 (devalidation) drops nothing either; the domain's end releases */
	assert_int_equal(map(21, 2, 5, GNTMAP_host_map, &h), GNTST_okay);
	gnttab_domain_destroy(&mm_dom_a);
	assert_int_equal(gs_l1e(5), 0);
	assert_int_equal(btab[21].flags, GTF_permit_access);
	assert_baseline_b();
}

static void test_replace_and_device(void **state)
{
	grant_handle_t h;
	unsigned rel;
	bool flush = false;
	uint64_t other = mm_pte(7, PTE_P | PTE_W | PTE_U);

	(void)state;
	grant(22, 1, B_FRAME(2), GTF_permit_access);
	assert_int_equal(pv_mod_entry(&mm_dom_a, &mm_dom_a, GS_L1, 1, 9, other, false), 0);
	assert_int_equal(frame_table[7].count, 2);
	assert_int_equal(map(22, 2, 8, GNTMAP_host_map, &h), GNTST_okay);
	assert_int_equal(gnttab_unmap_start(&gs_vcpu_a, gs_va(8), 0, h, gs_va(9), true, &rel, &flush),
			 GNTST_okay);
	gnttab_unmap_finish(&mm_dom_a, rel);
	assert_int_equal(gs_l1e(9), 0);
	assert_int_equal(gs_l1e(8) & PTE_ADDR, 7 << 12);   /* moved, with its references */
	assert_int_equal(frame_table[7].count, 2);
	assert_baseline_b();
	/* device and host at once: the mapping lives until both went */
	{
		struct gnttab_map_grant_ref op = { .host_addr = gs_va(10), .ref = 22, .dom = 2,
						   .flags = GNTMAP_host_map | GNTMAP_device_map };
		gnttab_map_one(&gs_vcpu_a, &op);
		assert_int_equal(op.status, GNTST_okay);
		assert_int_equal(op.dev_bus_addr, B_FRAME(2) << 12);
		assert_int_equal(gnttab_unmap_start(&gs_vcpu_a, 0, (B_FRAME(2) + 1) << 12, op.handle, 0,
						    false, &rel, &flush), GNTST_bad_dev_addr);
		assert_int_equal(unmap(10, op.handle), GNTST_okay);
		assert_int_equal(frame_table[B_FRAME(2)].count, 2);   /* the device mapping stays */
		assert_int_equal(gnttab_unmap_start(&gs_vcpu_a, 0, B_FRAME(2) << 12, op.handle, 0,
						    false, &rel, &flush), GNTST_okay);
		gnttab_unmap_finish(&mm_dom_a, rel);
	}
	assert_baseline_b();
	assert_int_equal(gnttab_maptrack_used(&mm_dom_a), 0);
}

static void test_copy(void **state)
{
	struct gnttab_copy op = { 0 };
	uint8_t *src = (uint8_t *)mm_frame(B_FRAME(1)), *dst = (uint8_t *)mm_frame(6);

	(void)state;
	grant(23, 1, B_FRAME(1), GTF_permit_access | GTF_readonly);
	memset(src, 0x5a, 4096);
	op.source = (struct gnttab_copy_ptr){ .u.ref = 23, .domid = 2, .offset = 16 };
	op.dest = (struct gnttab_copy_ptr){ .u.gmfn = 6, .domid = DOMID_SELF, .offset = 32 };
	op.len = 100;
	op.flags = GNTCOPY_source_gref;
	assert_int_equal(gnttab_copy_one(&mm_dom_a, &op), GNTST_okay);
	assert_int_equal(dst[32], 0x5a);
	assert_int_equal(dst[131], 0x5a);
	assert_int_equal(dst[132], 0);
	assert_int_equal(btab[23].flags, GTF_permit_access | GTF_readonly);
	op.len = 4090;
	assert_int_equal(gnttab_copy_one(&mm_dom_a, &op), GNTST_bad_copy_arg);
	op.len = 8;
	op.flags = GNTCOPY_source_gref | GNTCOPY_dest_gref;
	op.dest = (struct gnttab_copy_ptr){ .u.ref = 23, .domid = 2 };
	assert_int_equal(gnttab_copy_one(&mm_dom_a, &op), GNTST_general_error);   /* ro as dest */
	op.flags = 0;
	op.source = (struct gnttab_copy_ptr){ .u.gmfn = B_FRAME(1), .domid = 2 };
	assert_int_equal(gnttab_copy_one(&mm_dom_a, &op), GNTST_permission_denied);
	op.source = (struct gnttab_copy_ptr){ .u.gmfn = MM_XEN, .domid = DOMID_SELF };
	op.dest = (struct gnttab_copy_ptr){ .u.gmfn = 6, .domid = DOMID_SELF };
	assert_int_equal(gnttab_copy_one(&mm_dom_a, &op), GNTST_bad_page);
	op.source.u.gmfn = 6;
	op.dest.u.gmfn = GS_L1;
	assert_int_equal(gnttab_copy_one(&mm_dom_a, &op), GNTST_general_error);   /* into a page table */
	assert_baseline_b();
	assert_int_equal(frame_table[6].count, 1);
	assert_int_equal(frame_table[6].type_count, 0);
}

static void test_maptrack_limit(void **state)
{
	grant_handle_t h[GNTTAB_MAPTRACK_PER_FRAME + 1];
	int ok = 0;

	(void)state;
	assert_int_equal(gnttab_set_limits(&mm_dom_a, 64, 1), 0);
	grant(24, 1, B_FRAME(0), GTF_permit_access);
	for (int i = 0; i < GNTTAB_MAPTRACK_PER_FRAME; i++) {
		struct gnttab_map_grant_ref op = { .flags = GNTMAP_device_map, .ref = 24, .dom = 2 };
		gnttab_map_one(&gs_vcpu_a, &op);
		ok += op.status == GNTST_okay;
		h[i] = op.handle;
	}
	assert_int_equal(ok, GNTTAB_MAPTRACK_PER_FRAME);
	assert_int_equal(map(24, 2, 3, GNTMAP_host_map, NULL), GNTST_no_space);
	assert_int_equal(frame_table[B_FRAME(0)].count, 1 + GNTTAB_MAPTRACK_PER_FRAME);
	assert_int_equal(gnttab_set_limits(&mm_dom_a, 64, 2), -XEN_EINVAL);   /* fixed once in use */
	for (int i = 0; i < GNTTAB_MAPTRACK_PER_FRAME; i++) {
		unsigned rel;
		bool flush = false;
		assert_int_equal(gnttab_unmap_start(&gs_vcpu_a, 0, B_FRAME(0) << 12, h[i], 0, false,
						    &rel, &flush), GNTST_okay);
		gnttab_unmap_finish(&mm_dom_a, rel);
	}
	assert_baseline_b();
	assert_int_equal(btab[24].flags, GTF_permit_access);
}

static void test_destroy_mapper(void **state)
{
	grant_handle_t h;

	(void)state;
	grant(25, 1, B_FRAME(0), GTF_permit_access);
	grant(26, 1, B_FRAME(1), GTF_permit_access);
	assert_int_equal(map(25, 2, 3, GNTMAP_host_map, &h), GNTST_okay);
	assert_int_equal(map(25, 2, 4, GNTMAP_host_map | GNTMAP_readonly, &h), GNTST_okay);
	assert_int_equal(map(26, 2, 5, GNTMAP_host_map, &h), GNTST_okay);
	assert_int_equal(frame_table[B_FRAME(0)].count, 3);
	mm_domain_flushes = 0;
	gnttab_domain_destroy(&mm_dom_a);
	assert_int_equal(mm_domain_flushes, 1);
	assert_int_equal(gs_l1e(3) | gs_l1e(4) | gs_l1e(5), 0);
	assert_int_equal(btab[25].flags, GTF_permit_access);
	assert_int_equal(btab[26].flags, GTF_permit_access);
	assert_int_equal(gnttab_maptrack_used(&mm_dom_a), 0);
	assert_baseline_b();
	assert_int_equal(map(25, 2, 3, GNTMAP_host_map, NULL), GNTST_no_space);   /* A is ending */
	gnttab_domain_destroy(&mm_dom_a);   /* idempotent */
}

static void test_destroy_granter(void **state)
{
	mfn_t table = mm_dom_b.gnttab->shared[0];
	grant_handle_t h;

	(void)state;
	grant(27, 1, B_FRAME(0), GTF_permit_access);
	assert_int_equal(map(27, 2, 3, GNTMAP_host_map, &h), GNTST_okay);
	mm_frees = 0;
	gnttab_domain_destroy(&mm_dom_b);
	assert_int_equal(mm_frees, 1);   /* its table frame: nothing else named it */
	assert_int_equal(frame_table[table].owner, DOMID_XEN);
	assert_int_equal(frame_table[B_FRAME(0)].count, 2);   /* the mapping still holds the page */
	assert_int_equal(map(27, 2, 4, GNTMAP_host_map, NULL), GNTST_bad_domain);
	assert_int_equal(unmap(3, h), GNTST_okay);   /* without touching the freed table frame */
	assert_baseline_b();
	assert_int_equal(gnttab_maptrack_used(&mm_dom_a), 0);
}

/*
 * The unmap's window: its flush answers are awaited with the big lock let
 * go (grant_table_map.c), and other CPUs run grant operations meanwhile.
 * window_ops runs once, in the first such window; the grant being unmapped
 * must stay pinned through it (GTF_reading/writing, the frame's counts).
 */
static void (*window_ops)(void);
static grant_handle_t win_h, win_h2;

static void run_window(void)
{
	void (*ops)(void) = window_ops;

	mm_unlocked_window = NULL;   /* unmaps inside the window flush too */
	ops();
	assert_true(frame_table[B_FRAME(0)].count >= 2);   /* still pinned by the unmap in flight */
}

static void with_window(void (*ops)(void))
{
	window_ops = ops;
	mm_unlocked_window = run_window;
}

static void window_unmap_again_and_map(void)
{
	struct maptrack *e = &mm_dom_a.gnttab->mt[0][win_h];

	assert_true(e->flags & MT_RELEASING);
	assert_int_equal(btab[30].flags, GTF_permit_access | GTF_reading | GTF_writing);
	assert_int_equal(gs_l1e(3), 0);   /* the entry is gone before the wait */
	assert_int_equal(unmap(3, win_h), GNTST_bad_handle);   /* a second unmap of the handle */
	assert_int_equal(map(30, 2, 3, GNTMAP_host_map, &win_h2), GNTST_okay);   /* same grant, same slot */
	assert_int_not_equal(win_h2, win_h);   /* the handle is not free yet */
	assert_int_equal(gnttab_maptrack_used(&mm_dom_a), 2);
}

static void test_window_second_unmap_and_map(void **state)
{
	(void)state;
	grant(30, 1, B_FRAME(0), GTF_permit_access);
	assert_int_equal(map(30, 2, 3, GNTMAP_host_map, &win_h), GNTST_okay);
	with_window(window_unmap_again_and_map);
	assert_int_equal(unmap(3, win_h), GNTST_okay);
	assert_null(mm_unlocked_window);   /* the window ran */
	assert_int_equal(btab[30].flags, GTF_permit_access | GTF_reading | GTF_writing);   /* win_h2's */
	assert_int_equal(frame_table[B_FRAME(0)].count, 2);
	assert_int_equal(gnttab_maptrack_used(&mm_dom_a), 1);
	assert_int_equal(unmap(3, win_h2), GNTST_okay);
	assert_int_equal(btab[30].flags, GTF_permit_access);
	assert_baseline_b();
}

static void window_destroy_mapper(void)
{
	gnttab_domain_destroy(&mm_dom_a);
	assert_int_equal(gs_l1e(5), 0);   /* the other mapping went with it */
	assert_int_equal(btab[31].flags, GTF_permit_access);
	assert_int_equal(btab[30].flags, GTF_permit_access | GTF_reading | GTF_writing);   /* left to the unmapper */
	assert_int_equal(gnttab_maptrack_used(&mm_dom_a), 1);
}

static void test_window_mapper_destroyed(void **state)
{
	grant_handle_t h;

	(void)state;
	grant(30, 1, B_FRAME(0), GTF_permit_access);
	grant(31, 1, B_FRAME(1), GTF_permit_access);
	assert_int_equal(map(30, 2, 3, GNTMAP_host_map, &win_h), GNTST_okay);
	assert_int_equal(map(31, 2, 5, GNTMAP_host_map, &h), GNTST_okay);
	with_window(window_destroy_mapper);
	assert_int_equal(unmap(3, win_h), GNTST_okay);
	assert_null(mm_unlocked_window);
	assert_int_equal(btab[30].flags, GTF_permit_access);
	assert_int_equal(gnttab_maptrack_used(&mm_dom_a), 0);
	assert_baseline_b();
}

static void window_destroy_granter(void)
{
	gnttab_domain_destroy(&mm_dom_b);
	assert_int_equal(frame_table[B_FRAME(0)].count, 2);   /* the pin holds the page */
}

static void test_window_granter_destroyed(void **state)
{
	(void)state;
	grant(30, 1, B_FRAME(0), GTF_permit_access);
	assert_int_equal(map(30, 2, 3, GNTMAP_host_map, &win_h), GNTST_okay);
	with_window(window_destroy_granter);
	assert_int_equal(unmap(3, win_h), GNTST_okay);   /* without touching the freed table frame */
	assert_null(mm_unlocked_window);
	assert_baseline_b();
	assert_int_equal(gnttab_maptrack_used(&mm_dom_a), 0);
}

/* A batch as unmap_chunk runs it, the middle element failing: one flush, the others released after. */
static void window_batch(void)
{
	assert_true(mm_dom_a.gnttab->mt[0][win_h].flags & MT_RELEASING);
	assert_true(mm_dom_a.gnttab->mt[0][win_h2].flags & MT_RELEASING);
	assert_int_equal(btab[30].flags & GTF_reading, GTF_reading);
	assert_int_equal(btab[31].flags & GTF_reading, GTF_reading);
	assert_int_equal(gs_l1e(3) | gs_l1e(5), 0);
}

static void test_window_batch_and_replace(void **state)
{
	grant_handle_t h3;
	unsigned rel[3];
	bool flush = false;

	(void)state;
	grant(30, 1, B_FRAME(0), GTF_permit_access);
	grant(31, 1, B_FRAME(1), GTF_permit_access);
	assert_int_equal(map(30, 2, 3, GNTMAP_host_map, &win_h), GNTST_okay);
	assert_int_equal(map(31, 2, 5, GNTMAP_host_map, &win_h2), GNTST_okay);
	assert_int_equal(map(30, 2, 6, GNTMAP_host_map | GNTMAP_readonly, &h3), GNTST_okay);
	assert_int_equal(gnttab_unmap_start(&gs_vcpu_a, gs_va(3), 0, win_h, 0, false, &rel[0], &flush), GNTST_okay);
	assert_int_equal(gnttab_unmap_start(&gs_vcpu_a, gs_va(7), 0, h3, 0, false, &rel[1], &flush),
			 GNTST_general_error);   /* not where h3 was mapped */
	assert_int_equal(gnttab_unmap_start(&gs_vcpu_a, gs_va(5), 0, win_h2, 0, false, &rel[2], &flush), GNTST_okay);
	assert_int_equal(rel[1], MT_NONE);
	assert_false(mm_dom_a.gnttab->mt[0][h3].flags & MT_RELEASING);
	with_window(window_batch);
	mm_domain_flushes = 0;
	arch_gnttab_flush_tlbs(&mm_dom_a, true);
	assert_int_equal(mm_domain_flushes, 1);
	gnttab_unmap_finish(&mm_dom_a, rel[0]);
	gnttab_unmap_finish(&mm_dom_a, rel[2]);
	assert_int_equal(btab[31].flags, GTF_permit_access);
	assert_int_equal(btab[30].flags, GTF_permit_access | GTF_reading);   /* h3, read-only */
	/* unmap_and_replace: the new slot's entry moves in before the wait */
	window_ops = NULL;
	assert_int_equal(replace(6, 8, h3), GNTST_okay);
	assert_int_equal(gs_l1e(8), 0);
	assert_baseline_b();
	assert_int_equal(gnttab_maptrack_used(&mm_dom_a), 0);
}

static void test_self_grant_and_swap(void **state)
{
	uint64_t f[1];
	struct grant_entry_v1 *atab;
	grant_handle_t h;

	(void)state;
	assert_int_equal(gnttab_setup_table(&mm_dom_a, 1, f), GNTST_okay);
	atab = (struct grant_entry_v1 *)mm_frame(f[0]);
	atab[8] = (struct grant_entry_v1){ .flags = GTF_permit_access, .domid = 1, .frame = 9 };
	{
		struct gnttab_map_grant_ref op = { .host_addr = gs_va(3), .flags = GNTMAP_host_map, .ref = 8,
						   .dom = 1 };
		gnttab_map_one(&gs_vcpu_a, &op);
		assert_int_equal(op.status, GNTST_okay);
		h = op.handle;
	}
	assert_int_equal(frame_table[9].count, 2);
	assert_int_equal(gnttab_swap_grant_ref(&mm_dom_a, 8, 9), GNTST_general_error);   /* in use */
	assert_int_equal(gnttab_swap_grant_ref(&mm_dom_a, 9, 1000), GNTST_bad_gntref);
	assert_int_equal(unmap(3, h), GNTST_okay);
	assert_int_equal(gnttab_swap_grant_ref(&mm_dom_a, 8, 9), GNTST_okay);
	assert_int_equal(atab[9].frame, 9);
	assert_int_equal(atab[8].flags, 0);
	assert_int_equal(frame_table[9].count, 1);
}

/*
 * An unmap must find the entry its handle made: the frame, and writable
 * exactly when the handle is. A read-only entry of the same frame does not
 * release a writable pin (nor the reverse), or a writable entry could
 * outlive every writable reference (XSA-234 class).
 */
static void test_unmap_rw_must_match(void **state)
{
	grant_handle_t rw, ro;

	(void)state;
	grant(30, 1, B_FRAME(0), GTF_permit_access);
	assert_int_equal(map(30, 2, 2, GNTMAP_host_map, &rw), GNTST_okay);
	assert_int_equal(map(30, 2, 2, GNTMAP_host_map | GNTMAP_readonly, &ro), GNTST_okay);   /* over it */
	assert_int_equal(unmap(2, rw), GNTST_general_error);
	assert_false(gs_l1e(2) & PTE_W);   /* the read-only entry stays */
	assert_int_equal(frame_table[B_FRAME(0)].type_count, 1);   /* so does the writable pin */
	assert_int_equal(unmap(2, ro), GNTST_okay);
	assert_int_equal(gs_l1e(2), 0);
	/* and the other way round */
	assert_int_equal(map(30, 2, 4, GNTMAP_host_map | GNTMAP_readonly, &ro), GNTST_okay);
	assert_int_equal(map(30, 2, 4, GNTMAP_host_map, &rw), GNTST_okay);
	assert_int_equal(unmap(4, ro), GNTST_general_error);
	assert_true(gs_l1e(4) & PTE_W);
	assert_int_equal(unmap(4, rw), GNTST_okay);
	assert_int_equal(frame_table[B_FRAME(0)].type_count, 1);   /* the first writable pin, overwritten */
	gnttab_domain_destroy(&mm_dom_a);   /* releases the two overwritten mappings */
	assert_baseline_b();
	assert_int_equal(btab[30].flags, GTF_permit_access);
}

/*
 * The review's sequence, self-granted: RW at X2, RO at X1, move X2's entry
 * into X1, RO at X2, unmap the RW handle at X2. Before the fix X1 ended
 * writable with no writable pin left, and the frame pinned as an L1: a
 * guest-writable page table.
 */
static void test_self_grant_rw_escape(void **state)
{
	uint64_t f[1], x1, x2;
	struct grant_entry_v1 *atab;
	grant_handle_t h1, h2, h3;
	const mfn_t F = 9;

	(void)state;
	assert_int_equal(gnttab_setup_table(&mm_dom_a, 1, f), GNTST_okay);
	atab = (struct grant_entry_v1 *)mm_frame(f[0]);
	atab[8] = (struct grant_entry_v1){ .flags = GTF_permit_access, .domid = 1, .frame = F };
	assert_int_equal(map(8, 1, 2, GNTMAP_host_map, &h2), GNTST_okay);
	assert_int_equal(map(8, 1, 1, GNTMAP_host_map | GNTMAP_readonly, &h1), GNTST_okay);
	x1 = gs_l1e(1);
	x2 = gs_l1e(2);
	/* a grant entry never moves: its handle could not find it any more */
	assert_int_equal(replace(1, 2, h1), GNTST_general_error);
	assert_int_equal(gs_l1e(1), x1);
	assert_int_equal(gs_l1e(2), x2);
	assert_int_equal(map(8, 1, 2, GNTMAP_host_map | GNTMAP_readonly, &h3), GNTST_okay);
	assert_int_equal(unmap(2, h2), GNTST_general_error);
	assert_true(rw_grant_entries(F) <= frame_table[F].type_count);
	assert_int_equal(page_pin(&mm_dom_a, F, PGT_l1), -XEN_EINVAL);
	assert_int_equal(unmap(1, h1), GNTST_okay);
	assert_int_equal(unmap(2, h3), GNTST_okay);
	assert_int_equal(frame_table[F].type_count, 1);   /* h2, overwritten: until the domain ends */
	gnttab_domain_destroy(&mm_dom_a);
	assert_int_equal(frame_table[F].count, 1);
	assert_int_equal(frame_table[F].type_count, 0);
}

/* unmap_and_replace with a grant entry at new_addr: refused, nothing moves, both handles unmap. */
static void test_replace_refuses_grant_entry(void **state)
{
	grant_handle_t a, b;
	uint64_t ea, eb;

	(void)state;
	grant(31, 1, B_FRAME(1), GTF_permit_access);
	grant(32, 1, B_FRAME(2), GTF_permit_access);
	assert_int_equal(map(31, 2, 6, GNTMAP_host_map, &a), GNTST_okay);
	assert_int_equal(map(32, 2, 7, GNTMAP_host_map | GNTMAP_readonly, &b), GNTST_okay);
	ea = gs_l1e(6);
	eb = gs_l1e(7);
	assert_int_equal(replace(7, 6, b), GNTST_general_error);
	assert_int_equal(gs_l1e(6), ea);
	assert_int_equal(gs_l1e(7), eb);
	assert_int_equal(unmap(6, a), GNTST_okay);
	assert_int_equal(unmap(7, b), GNTST_okay);
	assert_baseline_b();
	assert_int_equal(gnttab_maptrack_used(&mm_dom_a), 0);
}

/*
 * A table that cannot get its first frame (the machine is out of free
 * frames) is not created, and nothing it allocated on the way stays
 * behind: every grant op a domain without a table makes tries again, so
 * a leak here is one per hypercall.
 */
static void test_table_creation_fails_cleanly(void **state)
{
	long live;

	(void)state;
	while (alloc_frames(0) != INVALID_MFN)
		;
	live = fake_heap_live;
	for (int i = 0; i < 3; i++)
		assert_null(gnttab_of(&mm_dom_a));
	assert_null(mm_dom_a.gnttab);
	assert_int_equal(fake_heap_live, live);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_table_frames, setup),
		cmocka_unit_test_setup(test_map_unmap, setup),
		cmocka_unit_test_setup(test_refusals, setup),
		cmocka_unit_test_setup(test_revoke_and_release, setup),
		cmocka_unit_test_setup(test_implicit_unmap_and_forgery, setup),
		cmocka_unit_test_setup(test_replace_and_device, setup),
		cmocka_unit_test_setup(test_copy, setup),
		cmocka_unit_test_setup(test_maptrack_limit, setup),
		cmocka_unit_test_setup(test_destroy_mapper, setup),
		cmocka_unit_test_setup(test_destroy_granter, setup),
		cmocka_unit_test_setup(test_self_grant_and_swap, setup),
		cmocka_unit_test_setup(test_unmap_rw_must_match, setup),
		cmocka_unit_test_setup(test_self_grant_rw_escape, setup),
		cmocka_unit_test_setup(test_replace_refuses_grant_entry, setup),
		cmocka_unit_test_setup(test_table_creation_fails_cleanly, setup),
		cmocka_unit_test_setup(test_window_second_unmap_and_map, setup),
		cmocka_unit_test_setup(test_window_mapper_destroyed, setup),
		cmocka_unit_test_setup(test_window_granter_destroyed, setup),
		cmocka_unit_test_setup(test_window_batch_and_replace, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
