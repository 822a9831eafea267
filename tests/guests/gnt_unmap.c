/*
 * gnt_unmap - what an unmap may take away (one domain, self-grants): the
 * entry it clears must be the handle's own, the frame and writable exactly
 * when the handle is, or a writable mapping could outlive every writable
 * reference on its frame and the frame become a page table the guest
 * writes (the XSA-234 class). Also unmap_and_replace with a grant entry at
 * new_addr, and implicit unmaps (the guest overwriting a grant entry).
 *
 * Where Xen 4.17 and Paravane differ, on purpose, the check says so. Xen
 * does not tie a handle to an address: it accepts an unmap at any address
 * whose entry maps the frame with the handle's permissions, so it can let a
 * grant entry move. Paravane records where each mapping was made, so it
 * refuses to move a grant entry (the handle could never find it again) and
 * refuses an unmap anywhere else.
 */
#include "gnt_common.h"

const char test_name[] = "gnt_unmap";
const int test_styles = STYLE_DIRECT;   /* the checks change state: run once */

static long ext(unsigned cmd, uint64_t mfn_arg)
{
	struct mmuext_op op = { .cmd = cmd };

	op.arg1.mfn = mfn_arg;
	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static int16_t replace1(uint64_t addr, uint64_t new_addr, grant_handle_t h)
{
	struct gnttab_unmap_and_replace r = { .host_addr = addr, .new_addr = new_addr, .handle = h,
					      .status = 99 };
	long rc = gop(GNTTABOP_unmap_and_replace, &r, 1);

	return rc ? (int16_t)(1000 + rc) : r.status;
}

static int readable(uint64_t va)
{
	uint8_t x = 0;

	trap_reset();
	EXPECT_FAULT("movb (%1), %0", : "=r"(x) : "r"(va) : "memory");
	(void)x;
	return last_trap.count == 0;
}

static int writable(uint64_t va)
{
	trap_reset();
	EXPECT_FAULT("movb $0x5a, (%0)", :: "r"(va) : "memory");
	return last_trap.count == 0;
}

/* Page i mapped read-only at its own address, so that only grant mappings may write it. */
static long own_ro(int i)
{
	return HYPERVISOR_update_va_mapping(va_of(i), pte(mfn(i), PTE_P | PTE_A), UVMF_INVLPG);
}

/*
 * Page i, whose writable grant mapping was overwritten (its handle can no
 * longer be unmapped), as an L1. On Paravane the handle's pin holds the
 * writable reference until the domain ends: refused. On Xen the entry held
 * it and it went with the entry: accepted (and undone here).
 */
static void pin_after_overwrite(const char *name, int i)
{
	long rc = ext(MMUEXT_PIN_L1_TABLE, mfn(i));

	EXPECT(name, rc, hv_is_paravane() ? -XEN_EINVAL : 0);
	if (!rc)
		ext(MMUEXT_UNPIN_TABLE, mfn(i));
}

/*
 * The review's sequence: RW at X2 (h2), RO at X1 (h1), unmap_and_replace
 * X1 with X2's entry, RO at X2 (h3), unmap h2 at X2. Paravane used to
 * accept that last unmap: X1 kept a writable entry of F with no writable
 * reference left, and F pinned as an L1.
 */
static void test_rw_escape(void)
{
	const int f = 20;
	uint64_t x1 = va_of(21), x2 = va_of(22);
	grant_handle_t h1 = 0, h2 = 0, h3 = 0;
	long pin;

	memset(pages[f], 0, 4096);
	EXPECT("escape_frame_ro", own_ro(f), 0);
	grant(40, self_id, mfn(f), GTF_permit_access);
	EXPECT("escape_map_rw", map1(self_id, 40, x2, GNTMAP_host_map, &h2), GNTST_okay);
	EXPECT("escape_map_ro", map1(self_id, 40, x1, GNTMAP_host_map | GNTMAP_readonly, &h1), GNTST_okay);
	if (hv_is_paravane()) {
		/* a grant entry never moves: h2 could not be unmapped any more */
		EXPECT("escape_replace_grant_entry", replace1(x1, x2, h1), GNTST_general_error);
		EXPECT("escape_replace_x1_still_ro", readable(x1) && !writable(x1), 1);
		EXPECT("escape_replace_x2_still_rw", writable(x2), 1);
	} else {
		/* Xen moves it: X1 is now h2's writable entry */
		EXPECT("escape_replace_grant_entry", replace1(x1, x2, h1), GNTST_okay);
		EXPECT("escape_replace_x1_rw", writable(x1), 1);
	}
	EXPECT("escape_map_ro_x2", map1(self_id, 40, x2, GNTMAP_host_map | GNTMAP_readonly, &h3), GNTST_okay);
	EXPECT("escape_unmap_rw_handle_at_ro_entry", unmap1(x2, h2), GNTST_general_error);
	pin = ext(MMUEXT_PIN_L1_TABLE, mfn(f));
	EXPECT("escape_pin_l1_refused", pin, -XEN_EINVAL);
	if (!pin)
		ext(MMUEXT_UNPIN_TABLE, mfn(f));
	if (hv_is_paravane()) {
		EXPECT("escape_unmap_h1", unmap1(x1, h1), GNTST_okay);
	} else {
		/* Xen takes h2 at X1, where its entry moved */
		EXPECT("escape_unmap_h2_at_x1", unmap1(x1, h2), GNTST_okay);
	}
	EXPECT("escape_unmap_h3", unmap1(x2, h3), GNTST_okay);
	EXPECT("escape_restore_x1", restore_page(21), 0);
	EXPECT("escape_restore_x2", restore_page(22), 0);
}

/* A writable handle's unmap at a read-only entry of the frame, and the reverse, by VA and by PTE. */
static void test_rw_mismatch(void)
{
	uint64_t a = va_of(13), b = va_of(14), c = va_of(7);
	grant_handle_t rw = 0, ro = 0;

	grant(41, self_id, mfn(19), GTF_permit_access);
	EXPECT("rw_map", map1(self_id, 41, a, GNTMAP_host_map, &rw), GNTST_okay);
	EXPECT("rw_map_ro_over", map1(self_id, 41, a, GNTMAP_host_map | GNTMAP_readonly, &ro), GNTST_okay);
	EXPECT("rw_unmap_at_ro_entry", unmap1(a, rw), GNTST_general_error);
	EXPECT("rw_ro_entry_kept", readable(a) && !writable(a), 1);
	EXPECT("rw_unmap_ro", unmap1(a, ro), GNTST_okay);
	EXPECT("rw_restore", restore_page(13), 0);

	grant(42, self_id, mfn(18), GTF_permit_access);
	EXPECT("ro_map", map1(self_id, 42, b, GNTMAP_host_map | GNTMAP_readonly, &ro), GNTST_okay);
	EXPECT("ro_map_rw_over", map1(self_id, 42, b, GNTMAP_host_map, &rw), GNTST_okay);
	EXPECT("ro_unmap_at_rw_entry", unmap1(b, ro), GNTST_general_error);
	EXPECT("ro_rw_entry_kept", writable(b), 1);
	EXPECT("ro_unmap_rw", unmap1(b, rw), GNTST_okay);
	EXPECT("ro_restore", restore_page(14), 0);

	/* the same through the entry's machine address (GNTMAP_contains_pte) */
	grant(43, self_id, mfn(17), GTF_permit_access);
	EXPECT("pte_map_rw", map1(self_id, 43, pte_maddr_of(c), GNTMAP_host_map | GNTMAP_contains_pte, &rw),
	       GNTST_okay);
	EXPECT("pte_map_ro_over", map1(self_id, 43, c, GNTMAP_host_map | GNTMAP_readonly, &ro), GNTST_okay);
	EXPECT("pte_unmap_at_ro_entry", unmap1(pte_maddr_of(c), rw), GNTST_general_error);
	EXPECT("pte_ro_entry_kept", readable(c) && !writable(c), 1);
	EXPECT("pte_unmap_ro", unmap1(c, ro), GNTST_okay);
	EXPECT("pte_restore", restore_page(7), 0);
	EXPECT("mismatch_frame_ro", own_ro(19), 0);
	pin_after_overwrite("mismatch_pin_l1", 19);
}

/* unmap_and_replace refused after new_addr was looked at. */
static void test_replace_refused(void)
{
	grant_handle_t h = 0;

	grant(44, self_id, mfn(16), GTF_permit_access);
	memset(pages[10], 0x10, 4096);
	EXPECT("replace_map", map1(self_id, 44, va_of(12), GNTMAP_host_map, &h), GNTST_okay);
	EXPECT("replace_wrong_addr", replace1(va_of(11), va_of(10), h), GNTST_general_error);
	/* Xen has cleared new_addr's entry before it looks at host_addr; Paravane changes nothing */
	EXPECT("replace_wrong_addr_new_kept", readable(va_of(10)), hv_is_paravane());
	EXPECT("replace_bad_handle", replace1(va_of(12), va_of(11), 0x7777), GNTST_bad_handle);
	EXPECT("replace_bad_handle_new_kept", readable(va_of(11)), 1);
	EXPECT("replace_still_mapped", writable(va_of(12)), 1);
	EXPECT("replace_unmap", unmap1(va_of(12), h), GNTST_okay);
	EXPECT("replace_restore10", restore_page(10), 0);
	EXPECT("replace_restore12", restore_page(12), 0);
}

/*
 * Implicit unmaps: the guest writes over a grant entry. Xen 4.17 accepts it
 * (neither refusal nor domain crash), and so does Paravane; the handle can
 * then not be unmapped and its pin stays until the domain ends, so the
 * grant stays busy and the frame cannot become a page table.
 */
static void test_implicit_unmap(void)
{
	grant_handle_t h = 0;
	struct mmu_update u;

	grant(45, self_id, mfn(15), GTF_permit_access);
	EXPECT("implicit_map", map1(self_id, 45, va_of(9), GNTMAP_host_map, &h), GNTST_okay);
	EXPECT("implicit_update_va_mapping", restore_page(9), 0);
	EXPECT("implicit_unmap_gone", unmap1(va_of(9), h), GNTST_general_error);
	EXPECT("implicit_grant_busy", gt[45].flags, GTF_permit_access | GTF_reading | GTF_writing);
	EXPECT("implicit_revoke", revoke(45), 0);
	EXPECT("implicit_frame_ro", own_ro(15), 0);
	pin_after_overwrite("implicit_pin_l1", 15);

	grant(46, self_id, mfn(6), GTF_permit_access);
	EXPECT("implicit_map2", map1(self_id, 46, va_of(8), GNTMAP_host_map, &h), GNTST_okay);
	u = (struct mmu_update){ .ptr = pte_maddr_of(va_of(8)), .val = 0 };
	EXPECT("implicit_mmu_update", HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), 0);
	EXPECT("implicit_mmu_update_gone", readable(va_of(8)), 0);
	EXPECT("implicit_unmap2_gone", unmap1(va_of(8), h), GNTST_general_error);
	EXPECT("implicit_grant2_busy", gt[46].flags, GTF_permit_access | GTF_reading | GTF_writing);
	EXPECT("implicit_restore8", restore_page(8), 0);
}

/*
 * A batch whose second element cannot be read: the first is done, its
 * status written back, and the call fails with -EFAULT (as Xen, which
 * writes each status as it goes).
 */
static void test_batch_fault(void)
{
	struct gnttab_unmap_grant_ref *u = (struct gnttab_unmap_grant_ref *)(pages[4] + 4096) - 1;
	grant_handle_t h = 0;

	grant(47, self_id, mfn(3), GTF_permit_access);
	EXPECT("fault_map", map1(self_id, 47, va_of(2), GNTMAP_host_map, &h), GNTST_okay);
	EXPECT("fault_unmap_next_page", HYPERVISOR_update_va_mapping(va_of(5), 0, UVMF_INVLPG), 0);
	*u = (struct gnttab_unmap_grant_ref){ .host_addr = va_of(2), .handle = h, .status = 99 };
	EXPECT("fault_batch", gop(GNTTABOP_unmap_grant_ref, u, 2), -XEN_EFAULT);
	EXPECT("fault_batch_first_status", u->status, GNTST_okay);
	EXPECT("fault_batch_first_done", gt[47].flags, GTF_permit_access);
	EXPECT("fault_restore2", restore_page(2), 0);
	EXPECT("fault_restore5", restore_page(5), 0);
}

void test_main(void)
{
	self_id = 0;
	table_setup();
	test_rw_escape();
	test_rw_mismatch();
	test_replace_refused();
	test_implicit_unmap();
	test_batch_fault();
}
