/*
 * gnt_common.h - shared by the grant-table test guests (gnt_mapper.c,
 * gnt_granter.c): helpers, and the single-domain checks each runs on its
 * own (a domain may grant to itself, so map, unmap, copy and every bad case
 * run within one domain; these pass on Xen 4.17 as Dom0 too).
 *
 * Test frames are pages of our .bss; a page's MFN comes from the p2m list.
 * The grant-table frame is mapped over the `gt_area` page, as Linux maps
 * its frames over a reserved area.
 */
#ifndef GNT_COMMON_H
#define GNT_COMMON_H

#include "guest.h"

#define NPAGES     24
#define GT_ENTRIES 512          /* v1 entries in one frame */

static uint8_t pages[NPAGES][4096] __attribute__((aligned(4096)));
static uint8_t gt_area[4096] __attribute__((aligned(4096)));
static volatile struct grant_entry_v1 *gt;   /* our table, v1 */
static uint64_t gt_mfn;
static domid_t self_id;
static uint64_t xen_frame;

static uint64_t va_of(int i) { return (uint64_t)pages[i]; }
static uint64_t mfn_of_va(uint64_t va)
{
	return ((uint64_t *)start_info->mfn_list)[(va - VIRT_BASE) >> 12];
}
static uint64_t mfn(int i) { return mfn_of_va(va_of(i)); }
static uint64_t pte(uint64_t m, uint64_t flags) { return (m << 12) | flags; }

static long gop(unsigned cmd, void *op, unsigned count)
{
	return HYPERVISOR_grant_table_op(cmd, op, count);
}

/* Put page i's own frame back at its address (after a grant mapping over it). */
static long restore_page(int i)
{
	return HYPERVISOR_update_va_mapping(va_of(i), pte(mfn(i), PTE_P | PTE_W | PTE_A | PTE_D),
					    UVMF_INVLPG);
}

static void grant(grant_ref_t ref, domid_t to, uint64_t frame, uint16_t flags)
{
	gt[ref].domid = to;
	gt[ref].frame = (uint32_t)frame;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	gt[ref].flags = flags;
}

/* Linux's revocation: succeed only while neither reading nor writing is set. */
static int revoke(grant_ref_t ref)
{
	uint16_t f = gt[ref].flags;

	for (int i = 0; i < 100; i++) {
		if (f & (GTF_reading | GTF_writing))
			return 0;
		if (__atomic_compare_exchange_n(&gt[ref].flags, &f, 0, 0, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return 1;
	}
	return 0;
}

static int16_t map1(domid_t dom, grant_ref_t ref, uint64_t addr, uint32_t flags, grant_handle_t *h)
{
	struct gnttab_map_grant_ref op = { .host_addr = addr, .flags = flags, .ref = ref, .dom = dom,
					   .status = 99 };
	long rc = gop(GNTTABOP_map_grant_ref, &op, 1);

	if (rc)
		return (int16_t)(1000 + rc);
	if (h)
		*h = op.handle;
	return op.status;
}

static int16_t unmap1(uint64_t addr, grant_handle_t h)
{
	struct gnttab_unmap_grant_ref op = { .host_addr = addr, .handle = h, .status = 99 };
	long rc = gop(GNTTABOP_unmap_grant_ref, &op, 1);

	return rc ? (int16_t)(1000 + rc) : op.status;
}

static int16_t copy1(struct gnttab_copy_ptr src, struct gnttab_copy_ptr dst, uint16_t len,
		     uint16_t flags)
{
	struct gnttab_copy op = { .source = src, .dest = dst, .len = len, .flags = flags, .status = 99 };
	long rc = gop(GNTTABOP_copy, &op, 1);

	return rc ? (int16_t)(1000 + rc) : op.status;
}

static struct gnttab_copy_ptr by_ref(domid_t d, grant_ref_t r, uint16_t off)
{
	return (struct gnttab_copy_ptr){ .u.ref = r, .domid = d, .offset = off };
}

static struct gnttab_copy_ptr by_frame(uint64_t m, uint16_t off)
{
	return (struct gnttab_copy_ptr){ .u.gmfn = m, .domid = DOMID_SELF, .offset = off };
}

/* The machine address of the L1 entry that maps va (walking our tables through the M2P). */
static uint64_t pte_maddr_of(uint64_t va)
{
	const uint64_t *m2p = (const uint64_t *)MACH2PHYS_VIRT_START;
	uint64_t m = mfn_of_va(start_info->pt_base);
	static const int shifts[3] = { 39, 30, 21 };

	for (int i = 0; i < 3; i++) {
		const uint64_t *t = (const uint64_t *)(VIRT_BASE + (m2p[m] << 12));
		m = (t[(va >> shifts[i]) & 511] & PTE_ADDR) >> 12;
	}
	return (m << 12) + ((va >> 12) & 511) * 8;
}

/* Version 1 table of one frame mapped at gt_area. */
static void table_setup(void)
{
	struct gnttab_set_version sv = { .version = 1 };
	struct gnttab_query_size qs = { .dom = DOMID_SELF, .status = 99 };
	uint64_t frames[2] = { 0, 0 };
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1, .status = 99,
					 .frame_list = (uint64_t)frames };

	xen_frame = (((const uint64_t *)start_info->pt_base)[256] & PTE_ADDR) >> 12;
	EXPECT("set_version_1", gop(GNTTABOP_set_version, &sv, 1), 0);
	EXPECT("set_version_1_out", sv.version, 1);
	EXPECT("query_size", gop(GNTTABOP_query_size, &qs, 1), 0);
	EXPECT("query_size_status", qs.status, GNTST_okay);
	check(qs.nr_frames >= 1 && qs.max_nr_frames >= qs.nr_frames, tname("query_size_frames"),
	      "nr %u max %u", qs.nr_frames, qs.max_nr_frames);
	EXPECT("setup_table", gop(GNTTABOP_setup_table, &st, 1), 0);
	EXPECT("setup_table_status", st.status, GNTST_okay);
	gt_mfn = frames[0];
	EXPECT("map_table_frame", HYPERVISOR_update_va_mapping((uint64_t)gt_area,
			pte(gt_mfn, PTE_P | PTE_W | PTE_A | PTE_D), UVMF_INVLPG), 0);
	gt = (volatile struct grant_entry_v1 *)gt_area;
	for (int i = 8; i < 64; i++)
		gt[i].flags = 0;
}

/* Sub-ops about the table itself, and their bad arguments. */
static void test_table_ops(void)
{
	uint64_t frames[4];
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 100000, .status = 99,
					 .frame_list = (uint64_t)frames };
	struct gnttab_query_size qs = { .dom = 999, .status = 99 };
	struct gnttab_get_status_frames gs = { .nr_frames = 1, .dom = DOMID_SELF, .status = 99,
					       .frame_list = (uint64_t)frames };
	struct gnttab_set_version sv = { .version = 3 };
	struct gnttab_get_version gv = { .dom = DOMID_SELF };

	EXPECT("setup_too_many", gop(GNTTABOP_setup_table, &st, 1), 0);
	EXPECT("setup_too_many_status", st.status, GNTST_general_error);
	EXPECT("setup_count_2", gop(GNTTABOP_setup_table, &st, 2), -XEN_EINVAL);
	EXPECT("query_bad_domain", gop(GNTTABOP_query_size, &qs, 1), 0);
	EXPECT("query_bad_domain_status", qs.status, GNTST_bad_domain);
	EXPECT("status_frames_v1", gop(GNTTABOP_get_status_frames, &gs, 1), 0);
	EXPECT("status_frames_v1_status", gs.status, GNTST_general_error);
	EXPECT("set_version_3", gop(GNTTABOP_set_version, &sv, 1), -XEN_EINVAL);
	EXPECT("set_version_3_out", sv.version, 1);
	EXPECT("get_version", gop(GNTTABOP_get_version, &gv, 1), 0);
	EXPECT("get_version_out", gv.version, 1);
	EXPECT("bad_cmd", gop(99, &gv, 1), -XEN_ENOSYS);
	EXPECT("setup_bad_pointer", gop(GNTTABOP_setup_table, (void *)BAD_UNMAPPED, 1), -XEN_EFAULT);
	EXPECT("map_bad_pointer", gop(GNTTABOP_map_grant_ref, (void *)BAD_UNMAPPED, 1), -XEN_EFAULT);
	EXPECT("map_count_0", gop(GNTTABOP_map_grant_ref, (void *)BAD_UNMAPPED, 0), 0);
}

/* Grant to ourselves: map, write, read back, unmap, revoke; every bad case. */
static void test_self_map(void)
{
	volatile uint8_t *a = pages[0], *win = pages[1];
	grant_handle_t h = 0, h2 = 0;

	memset(pages[0], 0x11, 4096);
	grant(10, self_id, mfn(0), GTF_permit_access);
	EXPECT("self_map", map1(self_id, 10, va_of(1), GNTMAP_host_map, &h), GNTST_okay);
	EXPECT("self_map_flags", gt[10].flags, GTF_permit_access | GTF_reading | GTF_writing);
	EXPECT("self_map_read", win[100], 0x11);
	win[200] = 0x77;
	EXPECT("self_map_write_seen", a[200], 0x77);
	EXPECT("self_revoke_while_mapped", revoke(10), 0);
	EXPECT("self_unmap_wrong_addr", unmap1(va_of(2), h), GNTST_general_error);
	EXPECT("self_unmap", unmap1(va_of(1), h), GNTST_okay);
	EXPECT("self_unmap_flags", gt[10].flags, GTF_permit_access);
	EXPECT("self_double_unmap", unmap1(va_of(1), h), GNTST_bad_handle);
	EXPECT("self_unmap_bad_handle", unmap1(va_of(1), 0xffffffffu), GNTST_bad_handle);
	EXPECT("self_restore", restore_page(1), 0);
	EXPECT("self_revoke", revoke(10), 1);
	EXPECT("self_map_revoked", map1(self_id, 10, va_of(1), GNTMAP_host_map, NULL), GNTST_general_error);

	/* read-only grant */
	grant(11, self_id, mfn(0), GTF_permit_access | GTF_readonly);
	EXPECT("ro_grant_map_rw", map1(self_id, 11, va_of(1), GNTMAP_host_map, NULL), GNTST_general_error);
	EXPECT("ro_grant_flags_clear", gt[11].flags, GTF_permit_access | GTF_readonly);
	EXPECT("ro_grant_map_ro", map1(self_id, 11, va_of(1), GNTMAP_host_map | GNTMAP_readonly, &h),
	       GNTST_okay);
	EXPECT("ro_grant_flags", gt[11].flags, GTF_permit_access | GTF_readonly | GTF_reading);
	EXPECT("ro_grant_read", win[200], 0x77);
	/* a second mapping of the same grant, by PTE address */
	EXPECT("ro_grant_map_pte", map1(self_id, 11, pte_maddr_of(va_of(2)),
					 GNTMAP_host_map | GNTMAP_readonly | GNTMAP_contains_pte, &h2),
	       GNTST_okay);
	EXPECT("ro_grant_pte_read", pages[2][200], 0x77);
	EXPECT("ro_grant_unmap", unmap1(va_of(1), h), GNTST_okay);
	EXPECT("ro_grant_still_reading", gt[11].flags, GTF_permit_access | GTF_readonly | GTF_reading);
	EXPECT("ro_grant_unmap_pte_as_va", unmap1(va_of(2), h2), GNTST_general_error);
	EXPECT("ro_grant_unmap_pte", unmap1(pte_maddr_of(va_of(2)), h2), GNTST_okay);
	EXPECT("ro_grant_unmapped_flags", gt[11].flags, GTF_permit_access | GTF_readonly);
	EXPECT("ro_restore1", restore_page(1), 0);
	EXPECT("ro_restore2", restore_page(2), 0);

	/* bad references, domains, entries and addresses: nothing may change */
	grant(12, self_id, mfn(0), GTF_permit_access);
	EXPECT("bad_ref_end", map1(self_id, GT_ENTRIES, va_of(1), GNTMAP_host_map, NULL), GNTST_bad_gntref);
	EXPECT("bad_ref_huge", map1(self_id, 0xfffffff0u, va_of(1), GNTMAP_host_map, NULL), GNTST_bad_gntref);
	EXPECT("bad_domain", map1(999, 12, va_of(1), GNTMAP_host_map, NULL), GNTST_bad_domain);
	EXPECT("no_map_flags", map1(self_id, 12, va_of(1), 0, NULL), GNTST_bad_gntref);
	EXPECT("invalid_entry", map1(self_id, 13, va_of(1), GNTMAP_host_map, NULL), GNTST_general_error);
	grant(14, 7, mfn(0), GTF_permit_access);
	EXPECT("wrong_domain", map1(self_id, 14, va_of(1), GNTMAP_host_map, NULL), GNTST_general_error);
	EXPECT("bad_host_addr", map1(self_id, 12, BAD_UNMAPPED, GNTMAP_host_map, NULL), GNTST_general_error);
	EXPECT("bad_host_addr_nochange", gt[12].flags, GTF_permit_access);
	EXPECT("misaligned_pte", map1(self_id, 12, pte_maddr_of(va_of(1)) + 1,
				       GNTMAP_host_map | GNTMAP_contains_pte, NULL), GNTST_general_error);
	EXPECT("pte_not_a_table", map1(self_id, 12, pte(mfn(3), 0), GNTMAP_host_map | GNTMAP_contains_pte,
					NULL), GNTST_general_error);
	grant(15, self_id, xen_frame, GTF_permit_access);
	EXPECT("hypervisor_frame", map1(self_id, 15, va_of(1), GNTMAP_host_map, NULL), GNTST_bad_page);
	EXPECT("hypervisor_frame_ro", map1(self_id, 15, va_of(1), GNTMAP_host_map | GNTMAP_readonly, NULL),
	       GNTST_bad_page);
	EXPECT("hypervisor_frame_flags", gt[15].flags, GTF_permit_access);
	grant(16, self_id, mfn_of_va(start_info->pt_base), GTF_permit_access);
	EXPECT("page_table_rw", map1(self_id, 16, va_of(1), GNTMAP_host_map, NULL), GNTST_general_error);
	EXPECT("page_table_ro", map1(self_id, 16, va_of(1), GNTMAP_host_map | GNTMAP_readonly, &h),
	       GNTST_okay);
	EXPECT("page_table_ro_unmap", unmap1(va_of(1), h), GNTST_okay);
	EXPECT("page_table_restore", restore_page(1), 0);
	EXPECT("entries_intact", a[200], 0x77);
	gt[14].flags = gt[15].flags = gt[16].flags = 0;
}

/* Device mappings, unmap_and_replace, batches. */
static void test_self_more(void)
{
	struct gnttab_map_grant_ref m[16];
	struct gnttab_unmap_grant_ref u[16];
	grant_handle_t h = 0;
	int ok = 0;

	/* device map only: the frame's bus address, no page-table change */
	{
		struct gnttab_map_grant_ref op = { .flags = GNTMAP_device_map, .ref = 12, .dom = self_id };
		struct gnttab_unmap_grant_ref un = { 0 };
		EXPECT("device_map", gop(GNTTABOP_map_grant_ref, &op, 1), 0);
		EXPECT("device_map_status", op.status, GNTST_okay);
		EXPECT("device_map_bus_addr", op.dev_bus_addr, mfn(0) << 12);
		un.handle = op.handle;
		un.dev_bus_addr = (mfn(0) + 1) << 12;
		gop(GNTTABOP_unmap_grant_ref, &un, 1);
		EXPECT("device_unmap_bad_addr", un.status, GNTST_bad_dev_addr);
		un.dev_bus_addr = mfn(0) << 12;
		gop(GNTTABOP_unmap_grant_ref, &un, 1);
		EXPECT("device_unmap", un.status, GNTST_okay);
		EXPECT("device_unmap_flags", gt[12].flags, GTF_permit_access);
	}
	/* unmap_and_replace: the grant at pages[1] gives way to pages[2]'s mapping */
	memset(pages[2], 0x22, 4096);
	EXPECT("replace_map", map1(self_id, 12, va_of(1), GNTMAP_host_map, &h), GNTST_okay);
	{
		struct gnttab_unmap_and_replace r = { .host_addr = va_of(1), .new_addr = va_of(2),
						      .handle = h, .status = 99 };
		EXPECT("replace", gop(GNTTABOP_unmap_and_replace, &r, 1), 0);
		EXPECT("replace_status", r.status, GNTST_okay);
		EXPECT("replace_moved", pages[1][5], 0x22);
		EXPECT("replace_flags", gt[12].flags, GTF_permit_access);
		EXPECT("replace_restore1", restore_page(1), 0);
		EXPECT("replace_restore2", restore_page(2), 0);
	}
	/* a batch of 16 maps of 16 grants, then one batch of unmaps */
	for (int i = 0; i < 16; i++) {
		grant(32 + i, self_id, mfn(4 + i % 4), GTF_permit_access);
		m[i] = (struct gnttab_map_grant_ref){ .host_addr = va_of(8 + i),
						      .flags = GNTMAP_host_map, .ref = 32 + i, .dom = self_id };
	}
	EXPECT("batch_map", gop(GNTTABOP_map_grant_ref, m, 16), 0);
	for (int i = 0; i < 16; i++)
		ok += m[i].status == GNTST_okay;
	EXPECT("batch_map_all_ok", ok, 16);
	for (int i = 0; i < 16; i++)
		u[i] = (struct gnttab_unmap_grant_ref){ .host_addr = m[i].host_addr, .handle = m[i].handle };
	EXPECT("batch_unmap", gop(GNTTABOP_unmap_grant_ref, u, 16), 0);
	ok = 0;
	for (int i = 0; i < 16; i++)
		ok += u[i].status == GNTST_okay && gt[32 + i].flags == GTF_permit_access;
	EXPECT("batch_unmap_all_ok", ok, 16);
	ok = 0;
	for (int i = 0; i < 16; i++)
		ok += restore_page(8 + i) == 0;
	EXPECT("batch_restore", ok, 16);
}

/* Copy by frame and by (self-)grant, and its bad cases. */
static void test_self_copy(void)
{
	struct gnttab_copy b[8];
	int ok = 0;

	memset(pages[4], 0xab, 4096);
	memset(pages[5], 0, 4096);
	EXPECT("copy_frames", copy1(by_frame(mfn(4), 0), by_frame(mfn(5), 100), 300, 0), GNTST_okay);
	EXPECT("copy_frames_data", pages[5][100] == 0xab && pages[5][399] == 0xab && pages[5][400] == 0, 1);
	grant(20, self_id, mfn(4), GTF_permit_access | GTF_readonly);
	grant(21, self_id, mfn(5), GTF_permit_access);
	memset(pages[4], 0xcd, 64);
	EXPECT("copy_gref_to_gref", copy1(by_ref(self_id, 20, 0), by_ref(self_id, 21, 64), 64,
					  GNTCOPY_source_gref | GNTCOPY_dest_gref), GNTST_okay);
	EXPECT("copy_gref_data", pages[5][64] == 0xcd && pages[5][127] == 0xcd, 1);
	EXPECT("copy_gref_flags", gt[20].flags == (GTF_permit_access | GTF_readonly) &&
				  gt[21].flags == GTF_permit_access, 1);
	EXPECT("copy_beyond_page", copy1(by_frame(mfn(4), 4000), by_frame(mfn(5), 0), 200, 0),
	       GNTST_bad_copy_arg);
	EXPECT("copy_dest_beyond_page", copy1(by_frame(mfn(4), 0), by_frame(mfn(5), 4095), 2, 0),
	       GNTST_bad_copy_arg);
	EXPECT("copy_dest_ro_grant", copy1(by_frame(mfn(5), 0), by_ref(self_id, 20, 0), 8,
					   GNTCOPY_dest_gref), GNTST_general_error);
	EXPECT("copy_frame_no_domain", copy1(by_frame(mfn(4), 0),
		(struct gnttab_copy_ptr){ .u.gmfn = mfn(5), .domid = 7 }, 8, 0), GNTST_bad_domain);
	EXPECT("copy_frame_not_domid_self", copy1(by_frame(mfn(4), 0),
		(struct gnttab_copy_ptr){ .u.gmfn = mfn(5), .domid = self_id }, 8, 0), GNTST_permission_denied);
	EXPECT("copy_bad_ref", copy1(by_ref(self_id, 100000, 0), by_frame(mfn(5), 0), 8,
				     GNTCOPY_source_gref), GNTST_bad_gntref);
	EXPECT("copy_bad_domain", copy1(by_ref(999, 20, 0), by_frame(mfn(5), 0), 8,
					GNTCOPY_source_gref), GNTST_bad_domain);
	EXPECT("copy_hypervisor_frame", copy1(by_frame(xen_frame, 0), by_frame(mfn(5), 0), 8, 0),
	       GNTST_bad_page);
	EXPECT("copy_into_page_table", copy1(by_frame(mfn(4), 0),
		by_frame(mfn_of_va(start_info->pt_base), 0), 8, 0), GNTST_general_error);
	for (int i = 0; i < 8; i++)
		b[i] = (struct gnttab_copy){ .source = by_ref(self_id, 20, (uint16_t)(i * 8)),
					     .dest = by_frame(mfn(6), (uint16_t)(i * 8)), .len = 8,
					     .flags = GNTCOPY_source_gref, .status = 99 };
	b[7].len = 5000;
	EXPECT("copy_batch", gop(GNTTABOP_copy, b, 8), 0);
	for (int i = 0; i < 7; i++)
		ok += b[i].status == GNTST_okay;
	EXPECT("copy_batch_statuses", ok, 7);
	EXPECT("copy_batch_bad_last", b[7].status, GNTST_bad_copy_arg);
	gt[20].flags = gt[21].flags = 0;
}

/* Version 2 and back. */
static void test_v2(void)
{
	struct gnttab_set_version sv = { .version = 2 };
	uint64_t sframe = 0;
	struct gnttab_get_status_frames gs = { .nr_frames = 1, .dom = DOMID_SELF, .status = 99,
					       .frame_list = (uint64_t)&sframe };
	volatile union grant_entry_v2 *g2 = (volatile union grant_entry_v2 *)gt_area;
	volatile uint16_t *status = (volatile uint16_t *)pages[3];
	grant_handle_t h = 0;

	EXPECT("v2_set", gop(GNTTABOP_set_version, &sv, 1), 0);
	EXPECT("v2_set_out", sv.version, 2);
	EXPECT("v2_status_frames", gop(GNTTABOP_get_status_frames, &gs, 1), 0);
	EXPECT("v2_status_frames_status", gs.status, GNTST_okay);
	EXPECT("v2_map_status", HYPERVISOR_update_va_mapping(va_of(3), pte(sframe, PTE_P | PTE_A),
							     UVMF_INVLPG), 0);
	memset(pages[0], 0x5e, 4096);
	g2[9].full_page.frame = mfn(0);
	g2[9].hdr.domid = self_id;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	g2[9].hdr.flags = GTF_permit_access;
	EXPECT("v2_map", map1(self_id, 9, va_of(1), GNTMAP_host_map, &h), GNTST_okay);
	EXPECT("v2_status_bits", status[9], GTF_reading | GTF_writing);
	EXPECT("v2_read", pages[1][10], 0x5e);
	sv.version = 1;
	EXPECT("v2_set_busy", gop(GNTTABOP_set_version, &sv, 1), -XEN_EBUSY);
	EXPECT("v2_unmap", unmap1(va_of(1), h), GNTST_okay);
	EXPECT("v2_status_clear", status[9], 0);
	EXPECT("v2_ref_end", map1(self_id, 256, va_of(1), GNTMAP_host_map, NULL), GNTST_bad_gntref);
	EXPECT("v2_restore1", restore_page(1), 0);
	EXPECT("v2_restore3", restore_page(3), 0);
	sv.version = 1;
	EXPECT("v1_again", gop(GNTTABOP_set_version, &sv, 1), 0);
	EXPECT("v1_again_out", sv.version, 1);
}

static void __attribute__((unused)) run_self_tests(void)
{
	table_setup();
	test_table_ops();
	test_self_map();
	test_self_more();
	test_self_copy();
	test_v2();
}

/*
 * The two-domain pair (gnt_mapper as the initial domain, gnt_granter as
 * domain 1): the control page the granter grants, each side's step
 * counter, and the wait for the other side's (1 once it is reached).
 */
struct ctl {
	volatile uint32_t m_step;   /* written by gnt_mapper */
	volatile uint32_t g_step;   /* written by gnt_granter */
};

static int __attribute__((unused)) wait_step(volatile uint32_t *p, uint32_t want)
{
	for (long i = 0; i < 2000000; i++) {
		if (*p >= want)
			return 1;
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	return 0;
}

#endif /* GNT_COMMON_H */
