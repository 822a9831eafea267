/*
 * mm - PV memory management: page-table pinning, base pointers, mmu_update,
 * update_va_mapping, the writable page-table assist and memory_op, with the
 * attacks a malicious guest would try (map a page table writable, map
 * another domain's or the hypervisor's frames, give back a frame still used
 * as a table, unpin a table in use, alias a frame as two table levels).
 * Each attack must get Xen 4.17's error and leave the guest running.
 *
 * Test frames are pages of our own .bss (the boot tables map them
 * read-write); a page's MFN comes from the p2m list, its pfn being its
 * offset from VIRT_BASE (docs/linux-pv-abi.md §1.5).
 */
#include "guest.h"

const char test_name[] = "mm";
const int test_styles = STYLE_DIRECT;   /* the checks change state: run once */

/* Entry bits the hypervisor adds: U (the guest kernel runs in ring 3), Xen's kernel tag (bit 52) */
#define PTE_HV     (PTE_U | (1ULL << 52))
#define NSCRATCH   16

static uint8_t scratch[NSCRATCH][4096] __attribute__((aligned(4096)));

static uint64_t *page(int i) { return (uint64_t *)scratch[i]; }
static uint64_t va_of(int i) { return (uint64_t)scratch[i]; }

static uint64_t mfn_of_va(uint64_t va)
{
	return ((uint64_t *)start_info->mfn_list)[(va - VIRT_BASE) >> 12];
}

static uint64_t mfn(int i) { return mfn_of_va(va_of(i)); }
static uint64_t pte(uint64_t m, uint64_t flags) { return (m << 12) | flags; }

static long uvm(uint64_t va, uint64_t val, uint64_t flags)
{
	return HYPERVISOR_update_va_mapping(va, val, flags);
}

static long ext(unsigned cmd, uint64_t arg1, uint64_t arg2)
{
	struct mmuext_op op = { .cmd = cmd };

	op.arg1.mfn = arg1;
	op.arg2.src_mfn = arg2;
	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static long mmu(uint64_t ptr, uint64_t val)
{
	struct mmu_update u = { .ptr = ptr, .val = val };

	return HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
}

/* Make scratch page i read-only and pin it at `level` (1-4). */
static long ro_pin(int i, int level)
{
	long rc = uvm(va_of(i), pte(mfn(i), PTE_P | PTE_A), UVMF_INVLPG);

	return rc ? rc : ext(MMUEXT_PIN_L1_TABLE + level - 1, mfn(i), 0);
}

static long unpin_rw(int i)
{
	long rc = ext(MMUEXT_UNPIN_TABLE, mfn(i), 0);

	return rc ? rc : uvm(va_of(i), pte(mfn(i), PTE_P | PTE_W | PTE_A | PTE_D), UVMF_INVLPG);
}

/* A hypervisor-owned frame: the one behind the hypervisor's L4 slot 256 (M2P). */
static uint64_t xen_frame;

static void test_pin_unpin(void)
{
	xen_frame = (((const uint64_t *)start_info->pt_base)[256] & PTE_ADDR) >> 12;
	/* an L1 mapping two of our data pages, one writable */
	memset(page(0), 0, 4096);
	page(0)[0] = pte(mfn(1), PTE_P | PTE_A);
	page(0)[1] = pte(mfn(2), PTE_P | PTE_W | PTE_A);
	EXPECT("l1_ro", uvm(va_of(0), pte(mfn(0), PTE_P | PTE_A), UVMF_INVLPG), 0);
	EXPECT("pin_l1", ext(MMUEXT_PIN_L1_TABLE, mfn(0), 0), 0);
	EXPECT("pin_l1_twice", ext(MMUEXT_PIN_L1_TABLE, mfn(0), 0), -XEN_EINVAL);
	EXPECT("attack_pinned_l1_rw", uvm(va_of(0), pte(mfn(0), PTE_P | PTE_W), UVMF_INVLPG),
	       -XEN_EBUSY);
	EXPECT("attack_pin_writable_as_l1", ext(MMUEXT_PIN_L1_TABLE, mfn(2), 0), -XEN_EINVAL);
	EXPECT("attack_alias_l1_as_l2", ext(MMUEXT_PIN_L2_TABLE, mfn(0), 0), -XEN_EINVAL);
	EXPECT("entry_readable", page(0)[1] & PTE_ADDR, pte(mfn(2), 0));

	/* mmu_update on the pinned L1 */
	EXPECT("mmu_update_l1", mmu(pte(mfn(0), 0) + 2 * 8, pte(mfn(3), PTE_P | PTE_A)), 0);
	EXPECT("mmu_update_l1_readback", page(0)[2] & PTE_ADDR, pte(mfn(3), 0));
	EXPECT("attack_mmu_update_self_rw",
	       mmu(pte(mfn(0), 0) + 3 * 8, pte(mfn(0), PTE_P | PTE_W)), -XEN_EBUSY);
	EXPECT("attack_mmu_update_foreign_l1",
	       mmu(pte(mfn(0), 0) + 3 * 8, pte(xen_frame, PTE_P)), -XEN_EBUSY);
	EXPECT("mmu_update_preserve_ad",
	       mmu((pte(mfn(0), 0) + 2 * 8) | MMU_PT_UPDATE_PRESERVE_AD, pte(mfn(3), PTE_P)), 0);
	EXPECT("preserve_ad_kept_a", !!(page(0)[2] & PTE_A), 1);
	EXPECT("mmu_update_clear", mmu(pte(mfn(0), 0) + 2 * 8, 0), 0);

	/* the sequence Linux uses: RO, pin, unpin, RW */
	EXPECT("unpin_l1", ext(MMUEXT_UNPIN_TABLE, mfn(0), 0), 0);
	EXPECT("unpin_l1_twice", ext(MMUEXT_UNPIN_TABLE, mfn(0), 0), -XEN_EINVAL);
	EXPECT("l1_rw_after_unpin", uvm(va_of(0), pte(mfn(0), PTE_P | PTE_W | PTE_A | PTE_D),
					UVMF_INVLPG), 0);
}

static void test_ptwr(void)
{
	volatile uint64_t *l1 = page(0);
	uint64_t old, want;

	HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables);
	memset(page(0), 0, 4096);
	EXPECT("ptwr_pin", ro_pin(0, 1), 0);
	/* mov */
	want = pte(mfn(4), PTE_P | PTE_A);
	l1[5] = want;
	EXPECT("ptwr_mov", l1[5] & ~PTE_HV, want);
	/* xchg (ptep_get_and_clear) */
	old = 0;
	__asm__ volatile("xchg %0, %1" : "+r"(old), "+m"(l1[5]) :: "memory");
	EXPECT("ptwr_xchg_old", old & ~PTE_HV, want);
	EXPECT("ptwr_xchg_new", l1[5], 0);
	/* cmpxchg, failing then succeeding */
	{
		uint64_t expect = 1, repl = pte(mfn(4), PTE_P);
		uint8_t ok;
		__asm__ volatile("lock cmpxchg %3, %1; sete %2"
				 : "+a"(expect), "+m"(l1[6]), "=q"(ok) : "r"(repl) : "memory");
		EXPECT("ptwr_cmpxchg_fail", ok, 0);
		EXPECT("ptwr_cmpxchg_fail_acc", expect, 0);
		__asm__ volatile("lock cmpxchg %3, %1; sete %2"
				 : "+a"(expect), "+m"(l1[6]), "=q"(ok) : "r"(repl) : "memory");
		EXPECT("ptwr_cmpxchg_ok", ok, 1);
		EXPECT("ptwr_cmpxchg_value", l1[6] & ~PTE_HV, repl);
	}
	/* lock and on the low byte (ptep_set_wrprotect); lock btr (test_and_clear_young) */
	l1[7] = pte(mfn(4), PTE_P | PTE_W | PTE_A);
	__asm__ volatile("lock andb %1, %0" : "+m"(*(volatile uint8_t *)&l1[7]) : "i"(~2) : "memory");
	EXPECT("ptwr_lock_and", l1[7] & PTE_W, 0);
	{
		uint8_t cf;
		__asm__ volatile("lock btrq $5, %0; setc %1" : "+m"(l1[7]), "=q"(cf) :: "memory");
		EXPECT("ptwr_lock_btr_cf", cf, 1);
		EXPECT("ptwr_lock_btr", l1[7] & PTE_A, 0);
	}
	/* attacks through the assist: each store faults to us, the entry unchanged */
	trap_reset();
	{
		volatile uint64_t *slot = &l1[8];
		uint64_t bad = pte(mfn(0), PTE_P | PTE_W);
		EXPECT_FAULT("movq %1, (%0)", :: "r"(slot), "r"(bad) : "memory");
	}
	EXPECT("attack_ptwr_self_rw_faults", last_trap.vector, 14);
	EXPECT("attack_ptwr_self_rw_unchanged", l1[8], 0);
	EXPECT("ptwr_unpin", unpin_rw(0), 0);
}

static void test_hypervisor_frames(void)
{
	const uint64_t *l4 = (const uint64_t *)start_info->pt_base;
	uint64_t l4mfn = mfn_of_va(start_info->pt_base);
	uint64_t xen_m2p_l3 = (l4[256] & PTE_ADDR) >> 12;
	uint64_t xen_dm_l3 = (l4[262] & PTE_ADDR) >> 12;

	check(xen_m2p_l3 != 0, tname("hv_slot_256_present"), "L4[256] = %lx", l4[256]);
	EXPECT("attack_map_live_l4_rw", uvm(va_of(5), pte(l4mfn, PTE_P | PTE_W), 0), -XEN_EBUSY);
	EXPECT("attack_map_xen_frame_ro", uvm(va_of(5), pte(xen_m2p_l3, PTE_P), 0), -XEN_EBUSY);
	EXPECT("attack_map_xen_frame_rw", uvm(va_of(5), pte(xen_dm_l3, PTE_P | PTE_W), 0), -XEN_EBUSY);
	EXPECT("attack_mmu_update_l4_slot_262",
	       mmu(pte(l4mfn, 0) + 262 * 8, pte(mfn(6), PTE_P | PTE_W)), -XEN_EINVAL);
	EXPECT("attack_mmu_update_l4_slot_256", mmu(pte(l4mfn, 0) + 256 * 8, 0), -XEN_EINVAL);
	EXPECT("hv_slots_intact", l4[262] & PTE_ADDR, xen_dm_l3 << 12);
	EXPECT("attack_mmu_update_xen_table", mmu(pte(xen_dm_l3, 0), 0), -XEN_EINVAL);
	EXPECT("attack_machphys_update_xen", mmu(pte(xen_dm_l3, 0) | MMU_MACHPHYS_UPDATE, 0),
	       -XEN_EINVAL);
	EXPECT("still_mapped_ok", uvm(va_of(5), pte(mfn(5), PTE_P | PTE_W | PTE_A | PTE_D), UVMF_INVLPG), 0);
}

/* A second kernel L4 (a copy of the boot one), loaded and unloaded. */
static void test_baseptr(void)
{
	const uint64_t *boot = (const uint64_t *)start_info->pt_base;
	uint64_t boot_l4 = mfn_of_va(start_info->pt_base);

	for (int i = 0; i < 512; i++)
		page(7)[i] = (i >= 256 && i < 272) ? 0 : boot[i];
	EXPECT("l4_pin", ro_pin(7, 4), 0);
	EXPECT("new_baseptr", ext(MMUEXT_NEW_BASEPTR, mfn(7), 0), 0);
	EXPECT("running_on_new_l4", page(7)[511] & PTE_ADDR, boot[511] & PTE_ADDR);
	EXPECT("unpin_l4_in_use", ext(MMUEXT_UNPIN_TABLE, mfn(7), 0), 0);
	EXPECT("attack_in_use_l4_rw", uvm(va_of(7), pte(mfn(7), PTE_P | PTE_W), UVMF_INVLPG),
	       -XEN_EBUSY);
	EXPECT("attack_alias_l4_as_l3", ext(MMUEXT_PIN_L3_TABLE, mfn(7), 0), -XEN_EINVAL);
	EXPECT("attack_baseptr_not_l4", ext(MMUEXT_NEW_BASEPTR, mfn(8), 0), -XEN_EINVAL);
	EXPECT("new_user_baseptr", ext(MMUEXT_NEW_USER_BASEPTR, mfn(7), 0), 0);
	EXPECT("new_user_baseptr_none", ext(MMUEXT_NEW_USER_BASEPTR, 0, 0), 0);
	EXPECT("back_to_boot_l4", ext(MMUEXT_NEW_BASEPTR, boot_l4, 0), 0);
	EXPECT("l4_rw_when_unused", uvm(va_of(7), pte(mfn(7), PTE_P | PTE_W | PTE_A | PTE_D),
					UVMF_INVLPG), 0);
	{
		uint64_t cr3;
		__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
		EXPECT("cr3_reads_boot_l4", cr3 >> 12, boot_l4);
		__asm__ volatile("mov %0, %%cr3" :: "r"(cr3) : "memory");
		EXPECT("cr3_write_same", 1, 1);
	}
}

static void test_flushes(void)
{
	uint64_t mask = 1;
	struct mmuext_op op = { .cmd = MMUEXT_INVLPG_MULTI };

	EXPECT("tlb_flush_local", ext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
	EXPECT("tlb_flush_all", ext(MMUEXT_TLB_FLUSH_ALL, 0, 0), 0);
	EXPECT("invlpg_local", ext(MMUEXT_INVLPG_LOCAL, va_of(1), 0), 0);
	EXPECT("invlpg_all", ext(MMUEXT_INVLPG_ALL, va_of(1), 0), 0);
	op.arg1.linear_addr = va_of(1);
	op.arg2.vcpumask = (uint64_t)&mask;
	EXPECT("invlpg_multi", HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
	op.cmd = MMUEXT_TLB_FLUSH_MULTI;
	EXPECT("tlb_flush_multi", HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
	op.arg2.vcpumask = BAD_UNMAPPED;
	EXPECT("tlb_flush_multi_bad_mask", HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -XEN_EINVAL);
	EXPECT("uvm_tlb_flush_all", uvm(va_of(1), pte(mfn(1), PTE_P | PTE_W | PTE_A | PTE_D),
					UVMF_TLB_FLUSH | UVMF_ALL), 0);
	EXPECT("uvm_invlpg_multi", uvm(va_of(1), pte(mfn(1), PTE_P | PTE_W | PTE_A | PTE_D),
				       UVMF_INVLPG | (uint64_t)&mask), 0);
	EXPECT("set_ldt_none", ext(MMUEXT_SET_LDT, 0, 0), 0);
	EXPECT("set_ldt_unaligned", ext(MMUEXT_SET_LDT, va_of(1) + 8, 1), -XEN_EINVAL);
	EXPECT("clear_page", ext(MMUEXT_CLEAR_PAGE, mfn(9), 0), 0);
	page(10)[3] = 0x1234;
	EXPECT("copy_page", ext(MMUEXT_COPY_PAGE, mfn(9), mfn(10)), 0);
	EXPECT("copy_page_data", page(9)[3], 0x1234);
	{
		struct mmuext_op ops[2] = { { .cmd = MMUEXT_TLB_FLUSH_LOCAL }, { .cmd = 99 } };
		unsigned done = 77;
		EXPECT("batch_stops_at_bad", HYPERVISOR_mmuext_op(ops, 2, &done, DOMID_SELF), -XEN_ENOSYS);
		EXPECT("batch_done_count", done, 1);
	}
}

static void test_memory_op(void)
{
	domid_t self = DOMID_SELF;
	long cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
	long max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);
	struct xen_machphys_mapping mp;
	struct e820_entry map[64];
	struct xen_memory_map mm = { .nr_entries = 64, .buffer = (uint64_t)map };

	check(cur > 0 && cur == (long)start_info->nr_pages, tname("current_reservation"),
	      "got %ld, nr_pages %lu", cur, start_info->nr_pages);
	check(max >= cur, tname("maximum_reservation"), "got %ld, current %ld", max, cur);
	/*
	 * The initial domain may balloon up to the free memory (no dom0_mem=max:
	 * here), so its maximum lies above what it got: Xen's rule, and what
	 * Linux sizes its balloon space from.
	 */
	if (start_info->flags & SIF_INITDOMAIN)
		check(max > cur, tname("maximum_reservation_dom0_above_current"), "got %ld, current %ld",
		      max, cur);
	check(HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL) > 0, tname("maximum_ram_page"), "not positive");
	EXPECT("machphys_mapping", HYPERVISOR_memory_op(XENMEM_machphys_mapping, &mp), 0);
	EXPECT("machphys_mapping_start", mp.v_start, MACH2PHYS_VIRT_START);
	/* the M2P's 2 MiB extents: machine-contiguous, so each starts at a 512-frame boundary */
	static uint64_t extents[16];
	struct xen_machphys_mfn_list ml = { .max_extents = 16, .extent_start = (uint64_t)extents };
	EXPECT("machphys_mfn_list", HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &ml), 0);
	check(ml.nr_extents >= 1 && ml.nr_extents <= 16, tname("machphys_mfn_list_count"), "%u",
	      ml.nr_extents);
	check(ml.nr_extents > mfn(11) >> 18, tname("machphys_mfn_list_covers_ours"),
	      "%u extents, our frame %lx", ml.nr_extents, (unsigned long)mfn(11));
	unsigned unaligned = 0;
	for (unsigned i = 0; i < ml.nr_extents && i < 16; i++)
		unaligned += (extents[i] & 511) != 0 || extents[i] == 0;
	EXPECT("machphys_mfn_list_aligned", unaligned, 0);
	ml.max_extents = 1;
	EXPECT("machphys_mfn_list_one", HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &ml), 0);
	EXPECT("machphys_mfn_list_one_count", ml.nr_extents, 1);
	ml.max_extents = 0;
	EXPECT("machphys_mfn_list_none", HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &ml), 0);
	EXPECT("machphys_mfn_list_none_count", ml.nr_extents, 0);
	ml.max_extents = 4;
	ml.extent_start = 0xffff830000000000ULL;   /* the hypervisor's, not the guest's */
	EXPECT("machphys_mfn_list_bad_buffer", HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &ml),
	       -XEN_EFAULT);
	EXPECT("machine_memory_map", HYPERVISOR_memory_op(XENMEM_machine_memory_map, &mm), 0);
	check(mm.nr_entries >= 1, tname("machine_memory_map_entries"), "%u", mm.nr_entries);
	mm.nr_entries = 1;
	EXPECT("machine_memory_map_too_small", HYPERVISOR_memory_op(XENMEM_machine_memory_map, &mm),
	       -XEN_EINVAL);
	/*
	 * Xen 4.17 has no pseudo-physical map for Dom0 (-ENOSYS; Linux then
	 * assumes [0, nr_pages)); Paravane returns that range itself.
	 */
	mm.nr_entries = 8;
	if (hv_is_paravane()) {
		EXPECT("memory_map", HYPERVISOR_memory_op(XENMEM_memory_map, &mm), 0);
		EXPECT("memory_map_entries", mm.nr_entries, 1);
		EXPECT("memory_map_ram", map[0].size, start_info->nr_pages << 12);
	} else {
		EXPECT("memory_map", HYPERVISOR_memory_op(XENMEM_memory_map, &mm), -XEN_ENOSYS);
	}

	/* give page 11 back, then populate its pfn again */
	uint64_t pfn = (va_of(11) - VIRT_BASE) >> 12, frame = mfn(11);
	struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };
	EXPECT("unmap_before_release", uvm(va_of(11), 0, UVMF_INVLPG), 0);
	r.extent_start = (uint64_t)&frame;
	EXPECT("decrease_reservation", HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 1);
	EXPECT("decrease_again_fails", HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 0);
	EXPECT("current_after_decrease", HYPERVISOR_memory_op(XENMEM_current_reservation, &self), cur - 1);
	frame = pfn;
	EXPECT("populate_physmap", HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), 1);
	((uint64_t *)start_info->mfn_list)[pfn] = frame;
	EXPECT("populate_m2p", ((uint64_t *)MACH2PHYS_VIRT_START)[frame], pfn);
	EXPECT("map_populated", uvm(va_of(11), pte(frame, PTE_P | PTE_W | PTE_A | PTE_D), UVMF_INVLPG), 0);
	page(11)[0] = 42;
	EXPECT("machphys_update", mmu(pte(frame, 0) | MMU_MACHPHYS_UPDATE, pfn), 0);

	/* attack: give back a frame in use as a pinned table; it must stay a table until unused */
	EXPECT("pin_before_release", ro_pin(8, 1), 0);
	frame = mfn(8);
	r.extent_start = (uint64_t)&frame;
	EXPECT("attack_release_pinned_table", HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 1);
	EXPECT("attack_released_table_rw", uvm(va_of(8), pte(mfn(8), PTE_P | PTE_W), 0), -XEN_EBUSY);
	EXPECT("released_still_pinned", ext(MMUEXT_UNPIN_TABLE, mfn(8), 0), 0);
}

/*
 * XENMEM_exchange: two scattered frames for one machine-contiguous pair below
 * 4 GiB, as Linux's swiotlb-xen asks; then map the new pair where the old
 * pages were. Pages 12 and 13 are unmapped first (exchange takes only frames
 * nothing maps); page 14 stays mapped and must be refused.
 */
static void test_exchange(void)
{
	uint64_t in[2] = { mfn(12), mfn(13) }, out = 0, bad_in = mfn(14);
	uint64_t pfn12 = (va_of(12) - VIRT_BASE) >> 12;
	struct xen_memory_exchange x = {
		.in = { .nr_extents = 2, .extent_order = 0, .domid = DOMID_SELF },
		.out = { .nr_extents = 1, .extent_order = 1, .mem_flags = XENMEMF_address_bits(32),
			 .domid = DOMID_SELF },
	};

	x.in.extent_start = (uint64_t)&bad_in;
	x.out.extent_start = (uint64_t)&out;
	x.in.nr_extents = 1;
	x.out.extent_order = 0;
	EXPECT("exchange_mapped_frame_refused", HYPERVISOR_memory_op(XENMEM_exchange, &x), -XEN_EINVAL);
	EXPECT("exchange_mapped_frame_progress", x.nr_exchanged, 0);

	x.in.nr_extents = 2;
	x.out.extent_order = 1;
	x.in.extent_start = (uint64_t)in;
	x.nr_exchanged = 1;
	EXPECT("exchange_nonzero_progress", HYPERVISOR_memory_op(XENMEM_exchange, &x), -XEN_EINVAL);
	x.nr_exchanged = 0;
	x.out.nr_extents = 2;
	EXPECT("exchange_size_mismatch", HYPERVISOR_memory_op(XENMEM_exchange, &x), -XEN_EINVAL);
	x.out.nr_extents = 1;
	EXPECT("exchange_bad_pointer", HYPERVISOR_memory_op(XENMEM_exchange, (void *)BAD_NONCANON), -XEN_EFAULT);

	EXPECT("exchange_unmap_12", uvm(va_of(12), 0, UVMF_INVLPG), 0);
	EXPECT("exchange_unmap_13", uvm(va_of(13), 0, UVMF_INVLPG), 0);
	EXPECT("exchange", HYPERVISOR_memory_op(XENMEM_exchange, &x), 0);
	EXPECT("exchange_progress", x.nr_exchanged, 2);
	check(out % 2 == 0 && out + 1 < (1ULL << 20), tname("exchange_contiguous_below_4g"),
	      "got frame %#lx", (unsigned long)out);
	((uint64_t *)start_info->mfn_list)[pfn12] = out;
	((uint64_t *)start_info->mfn_list)[pfn12 + 1] = out + 1;
	EXPECT("exchange_m2p_12", mmu(pte(out, 0) | MMU_MACHPHYS_UPDATE, pfn12), 0);
	EXPECT("exchange_m2p_13", mmu(pte(out + 1, 0) | MMU_MACHPHYS_UPDATE, pfn12 + 1), 0);
	EXPECT("exchange_map_12", uvm(va_of(12), pte(out, PTE_P | PTE_W | PTE_A | PTE_D), UVMF_INVLPG), 0);
	EXPECT("exchange_map_13", uvm(va_of(13), pte(out + 1, PTE_P | PTE_W | PTE_A | PTE_D), UVMF_INVLPG), 0);
	page(12)[0] = 12;
	page(13)[511] = 13;
	EXPECT("exchange_pages_usable", page(12)[0] + page(13)[511], 25);
	/* the old frames are gone from us */
	EXPECT("exchange_old_frame_gone", uvm(va_of(12), pte(in[0], PTE_P | PTE_A), UVMF_INVLPG) < 0, 1);
	EXPECT("exchange_remap_12", uvm(va_of(12), pte(out, PTE_P | PTE_W | PTE_A | PTE_D), UVMF_INVLPG), 0);
}

void test_main(void)
{
	test_pin_unpin();
	test_ptwr();
	test_hypervisor_frames();
	test_baseptr();
	test_flushes();
	test_memory_op();
	test_exchange();
	EXPECT("still_alive", 1, 1);
}
