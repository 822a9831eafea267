/*
 * frames - guest frames the hypervisor writes or reads as descriptors, and
 * the page-type rule that keeps them from being page tables (issue #4):
 *
 *   LDT            MMUEXT_SET_LDT with a valid LDT, a selector loaded from
 *                  it (TI=1) and a read through it; update_descriptor of a
 *                  live LDT slot; a writable LDT frame, a system descriptor
 *                  and bad arguments refused; the frame cannot be mapped
 *                  writable while it is the LDT, and can again after.
 *   LDT at start   VCPUOP_initialise with ldt_base/ldt_ents: vCPU 1 starts on
 *                  that LDT and reads through a selector of it; a misaligned
 *                  base or 8193 entries is -EINVAL and leaves it uninitialised.
 *   call gates     a 64-bit call gate in the LDT is accepted (SET_LDT and
 *                  update_descriptor), but a far call or jump through it,
 *                  whatever its DPL, is #GP with the gate's selector as the
 *                  error code, as Xen 4.17 gives a 64-bit guest (it makes
 *                  every gate DPL 0); gates into the hypervisor's code, with
 *                  reserved bits, and interrupt gates are refused (of the
 *                  hypervisor's selectors only FLAT_KERNEL_CS64 itself,
 *                  RPL 3, is a target, as on Xen 4.17); a
 *                  present type-0 descriptor (a gate's upper half) is taken.
 *   update_descriptor on a page table: refused (it would forge a PTE).
 *   FIFO           control block and event-array frames: a pinned L1 is
 *                  refused; a registered frame cannot be pinned; after
 *                  EVTCHNOP_reset it can.
 *   vcpu_info      a pinned L1 is refused; a registered frame cannot be
 *                  pinned nor named by an L2 entry, mapping it is fine; it is
 *                  still written after decrease_reservation gave it back
 *                  (not freed while registered). Last: it moves vcpu_info
 *                  for good, and the runtime reads shared_info's copy.
 *
 * Where Xen and Paravane differ by design (Xen maps LDT pages lazily, on
 * the first fault that needs them; Paravane takes them at MMUEXT_SET_LDT),
 * the check says so; the outcome that matters (the selector cannot be
 * loaded) is checked on both.
 */
#include "guest.h"

const char test_name[] = "frames";
const int test_styles = STYLE_DIRECT;   /* the checks change state: run once */


enum { LDT_PAGE, BAD_LDT_PAGE, TABLE, FIFO_CB, FIFO_ARRAY, VCPU_INFO, L2_TABLE, NPAGES };
static uint8_t scratch[NPAGES][4096] __attribute__((aligned(4096)));

static uint64_t *page(int i) { return (uint64_t *)scratch[i]; }
static uint64_t va_of(int i) { return (uint64_t)scratch[i]; }
static uint64_t mfn(int i) { return ((uint64_t *)start_info->mfn_list)[(va_of(i) - VIRT_BASE) >> 12]; }
static uint64_t pte(uint64_t m, uint64_t flags) { return (m << 12) | flags; }

static long map_ro(int i) { return HYPERVISOR_update_va_mapping(va_of(i), pte(mfn(i), PTE_P | PTE_A), UVMF_INVLPG); }
static long map_rw(int i)
{
	return HYPERVISOR_update_va_mapping(va_of(i), pte(mfn(i), PTE_P | PTE_W | PTE_A | PTE_D), UVMF_INVLPG);
}

static long ext(unsigned cmd, uint64_t arg1, uint64_t arg2)
{
	struct mmuext_op op = { .cmd = cmd };

	op.arg1.mfn = arg1;
	op.arg2.nr_ents = (unsigned)arg2;
	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static long pin(int i, unsigned level) { return ext(MMUEXT_PIN_L1_TABLE + level - 1, mfn(i), 0); }
static long unpin(int i) { return ext(MMUEXT_UNPIN_TABLE, mfn(i), 0); }
static long set_ldt(uint64_t base, uint64_t ents) { return ext(MMUEXT_SET_LDT, base, ents); }

static long update_descriptor(uint64_t maddr, uint64_t desc)
{
	return HC2(__HYPERVISOR_update_descriptor, maddr, desc);
}

static long ev(int cmd, void *arg) { return HYPERVISOR_event_channel_op(cmd, arg); }

/* ---- LDT ------------------------------------------------------------- */

/* Data, read/write, present, DPL 3, 4 GiB (G, D/B), base `base` (< 4 GiB). */
static uint64_t data_desc(uint32_t base, unsigned dpl)
{
	return 0xffffULL | ((uint64_t)(base & 0xffffff) << 16) | ((0x92ULL | (dpl << 5)) << 40) |
	       (0xcfULL << 48) | ((uint64_t)(base >> 24) << 56);
}

#define SEL_LDT(idx) ((uint16_t)(((idx) << 3) | 4 | 3))   /* TI=1, RPL 3 */

static volatile uint64_t probe = 0x1dc0ffee;

/* Load %fs with sel; 1 if it faulted (last_trap says how). */
static int load_fs(uint16_t sel)
{
	trap_reset();
	EXPECT_FAULT("mov %0, %%fs", :: "r"(sel));
	return last_trap.count != 0;
}

/* Read `probe` through %fs, whose base must be `base`. */
static uint64_t read_probe_via_fs(uint32_t base)
{
	uint64_t v;

	__asm__ volatile("mov %%fs:(%1), %0" : "=r"(v) : "r"((uint64_t)&probe - base));
	return v;
}

/*
 * A refused LDT: Paravane refuses MMUEXT_SET_LDT; Xen accepts it and
 * refuses the page when the selector load first needs it (#PF at the
 * entry's linear address, ldt_base + index * 8).
 */
static void expect_ldt_refused(const char *name, int pg, unsigned ents, unsigned idx)
{
	char n[64];
	long rc = set_ldt(va_of(pg), ents);

	gsnprintf(n, sizeof(n), "%s_set_ldt", name);
	if (hv_is_paravane()) {
		EXPECT(n, rc, -XEN_EINVAL);
	} else {
		EXPECT(n, rc, 0);   /* Xen: checked on first use */
	}
	gsnprintf(n, sizeof(n), "%s_selector_faults", name);
	check(load_fs(SEL_LDT(idx)), tname(n), "the selector loaded");
	if (!hv_is_paravane()) {
		gsnprintf(n, sizeof(n), "%s_fault_is_ldt_pf", name);
		check(last_trap.vector == 14 && last_trap.cr2 == va_of(pg) + idx * 8, tname(n),
		      "vector %lu cr2 %lx", (unsigned long)last_trap.vector, (unsigned long)last_trap.cr2);
	}
	gsnprintf(n, sizeof(n), "%s_cleared", name);
	EXPECT(n, set_ldt(0, 0), 0);
	__asm__ volatile("mov %0, %%fs" :: "r"(0));
}

static void test_ldt(void)
{
	uint64_t *ldt = page(LDT_PAGE), *bad = page(BAD_LDT_PAGE);
	uint64_t ldt_maddr = mfn(LDT_PAGE) << 12;
	uint32_t ar = 0;

	memset(ldt, 0, 4096);
	ldt[1] = data_desc(0x1000, 3);
	ldt[2] = data_desc(0x3000, 0);   /* DPL 0: raised to the guest kernel's 3, as in the GDT */

	/* still mapped writable by our boot tables */
	expect_ldt_refused("ldt_writable_frame", LDT_PAGE, 3, 1);

	EXPECT("ldt_map_ro", map_ro(LDT_PAGE), 0);
	EXPECT("ldt_bad_base_unaligned", set_ldt(va_of(LDT_PAGE) + 8, 3), -XEN_EINVAL);
	EXPECT("ldt_bad_too_many", set_ldt(va_of(LDT_PAGE), 8193), -XEN_EINVAL);
	EXPECT("ldt_bad_hypervisor_range", set_ldt(0xffff800000000000ULL, 3), -XEN_EINVAL);
	EXPECT("ldt_bad_noncanonical", set_ldt(0x0000800000000000ULL, 3), -XEN_EINVAL);

	EXPECT("ldt_set", set_ldt(va_of(LDT_PAGE), 3), 0);
	check(!load_fs(SEL_LDT(1)), tname("ldt_load_fs"), "vector %lu error %lx",
	      (unsigned long)last_trap.vector, (unsigned long)last_trap.error_code);
	check_eq_hex(tname("ldt_read_via_fs"), read_probe_via_fs(0x1000), probe);
	__asm__ volatile("lar %1, %0" : "=r"(ar) : "r"((uint32_t)SEL_LDT(1)));
	check_eq_hex(tname("ldt_lar_dpl3_data"), (ar >> 8) & 0xff, 0xf3);
	check(!load_fs(SEL_LDT(2)), tname("ldt_dpl0_data_raised"), "vector %lu",
	      (unsigned long)last_trap.vector);
	check(load_fs(SEL_LDT(3)), tname("ldt_beyond_limit_faults"), "loaded");
	check(!load_fs(SEL_LDT(1)), tname("ldt_reload_fs"), "faulted");

	/* while it is the LDT (mapped in, on Xen, by the load above) */
	EXPECT("attack_ldt_map_rw", map_rw(LDT_PAGE), -XEN_EBUSY);
	EXPECT("attack_ldt_pin_l1", pin(LDT_PAGE, 1), -XEN_EINVAL);
	/* the hypervisor's copy (Paravane) follows update_descriptor */
	EXPECT("ldt_update_descriptor", update_descriptor(ldt_maddr + 8, data_desc(0x2000, 3)), 0);
	check(!load_fs(SEL_LDT(1)), tname("ldt_updated_load_fs"), "faulted");
	check_eq_hex(tname("ldt_updated_read_via_fs"), read_probe_via_fs(0x2000), probe);
	/* off the CPU and back (poll blocks: the CPU idles): FS still names the LDT slot */
	{
		struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
		struct sched_poll poll = { .nr_ports = 1 };
		uint16_t fs;

		EXPECT("ldt_poll_port", ev(EVTCHNOP_alloc_unbound, &au), 0);
		poll.ports = (uint64_t)&au.port;
		poll.timeout = system_time_ns() + 2000000;
		EXPECT("ldt_poll", HYPERVISOR_sched_op(SCHEDOP_poll, &poll), 0);
		__asm__ volatile("mov %%fs, %0" : "=r"(fs));
		EXPECT("ldt_fs_kept_over_switch", fs, SEL_LDT(1));
		check_eq_hex(tname("ldt_read_via_fs_after_switch"), read_probe_via_fs(0x2000), probe);
		EXPECT("ldt_poll_port_close", ev(EVTCHNOP_close, &(struct evtchn_close){ .port = au.port }), 0);
	}
	/* a TSS descriptor (system, present) is no guest descriptor */
	EXPECT("ldt_update_tss_refused", update_descriptor(ldt_maddr + 16, 0x0000890000000067ULL),
	       -XEN_EINVAL);
	__asm__ volatile("mov %0, %%fs" :: "r"(0));

	/* dropping the LDT lets the frame be written again */
	EXPECT("ldt_clear", set_ldt(0, 0), 0);
	EXPECT("ldt_map_rw_after_clear", map_rw(LDT_PAGE), 0);
	memset(ldt, 0, 4096);   /* descriptors would be refused as L1 entries */
	EXPECT("ldt_map_ro_again", map_ro(LDT_PAGE), 0);
	EXPECT("ldt_pin_after_clear", pin(LDT_PAGE, 1), 0);
	EXPECT("ldt_unpin_after_clear", unpin(LDT_PAGE), 0);
	EXPECT("ldt_map_rw_after_unpin", map_rw(LDT_PAGE), 0);

	/* an LDT holding a system descriptor: refused as a whole */
	memset(bad, 0, 4096);
	bad[1] = data_desc(0, 3);
	bad[2] = 0x0000890000000067ULL;   /* TSS */
	EXPECT("bad_ldt_map_ro", map_ro(BAD_LDT_PAGE), 0);
	expect_ldt_refused("ldt_tss_descriptor", BAD_LDT_PAGE, 4, 1);
	EXPECT("bad_ldt_map_rw", map_rw(BAD_LDT_PAGE), 0);
}

/* ---- call gates ----------------------------------------------------- */

/* A 64-bit call gate's two halves (type 0xc, present) to sel:off at `dpl`. */
static uint64_t gate_lo(uint16_t sel, uint64_t off, unsigned dpl)
{
	return (off & 0xffff) | ((uint64_t)sel << 16) | ((0x8cULL | (dpl << 5)) << 40) |
	       (((off >> 16) & 0xffff) << 48);
}

static uint64_t gate_hi(uint64_t off) { return off >> 32; }

/* Where a gate left usable would lead: back to the caller, so the check fails cleanly. */
void gate_target(void);
__asm__(".pushsection .text\n gate_target: lretq\n.popsection");

/* A far call (jump) through sel: 1 if it faulted (last_trap says how). */
static int far_call(uint16_t sel, int jump)
{
	struct __attribute__((packed)) { uint32_t off; uint16_t sel; } fp = { 0, sel };

	trap_reset();
	if (jump)
		EXPECT_FAULT("ljmp *(%0)", :: "r"(&fp) : "memory");
	else
		EXPECT_FAULT("lcall *(%0)", :: "r"(&fp) : "memory");
	return last_trap.count != 0;
}

/* #GP whose error code is the selector (its index and TI; RPL bits clear). */
static void expect_gp_sel(const char *name, int faulted, uint16_t sel)
{
	check(faulted && last_trap.vector == 13 && last_trap.error_code == (sel & 0xfffcu), tname(name),
	      "faulted %d vector %lu error code %#lx, want #GP(%#x)", faulted, (unsigned long)last_trap.vector,
	      (unsigned long)last_trap.error_code, sel & 0xfffc);
}

static void test_call_gates(void)
{
	uint64_t *ldt = page(LDT_PAGE);
	uint64_t ldt_maddr = mfn(LDT_PAGE) << 12;
	uint64_t off = (uint64_t)gate_target;

	EXPECT("gate_ldt_map_rw", map_rw(LDT_PAGE), 0);
	memset(ldt, 0, 4096);
	ldt[1] = data_desc(0x1000, 3);
	ldt[4] = gate_lo(FLAT_KERNEL_CS64, off, 3);
	ldt[5] = gate_hi(off);
	ldt[6] = gate_lo(FLAT_KERNEL_CS64, off, 0);
	ldt[7] = gate_hi(off);
	EXPECT("gate_ldt_map_ro", map_ro(LDT_PAGE), 0);
	/* Paravane refused the whole LDT before, as it did any system descriptor */
	EXPECT("gate_ldt_set", set_ldt(va_of(LDT_PAGE), 10), 0);
	check(!load_fs(SEL_LDT(1)), tname("gate_ldt_data_loads"), "vector %lu", (unsigned long)last_trap.vector);
	__asm__ volatile("mov %0, %%fs" :: "r"(0));

	expect_gp_sel("gate_dpl3_lcall_gp_selector", far_call(SEL_LDT(4), 0), SEL_LDT(4));
	expect_gp_sel("gate_dpl3_ljmp_gp_selector", far_call(SEL_LDT(4), 1), SEL_LDT(4));
	expect_gp_sel("gate_dpl0_lcall_gp_selector", far_call(SEL_LDT(6), 0), SEL_LDT(6));
	expect_gp_sel("gate_as_data_gp_selector", load_fs(SEL_LDT(4)), SEL_LDT(4));
	__asm__ volatile("mov %0, %%fs" :: "r"(0));
	expect_gp_sel("gate_beyond_ldt_limit_gp_selector", far_call(SEL_LDT(12), 0), SEL_LDT(12));
	/* the gate's upper half used as a gate: a not-present descriptor */
	check(far_call(SEL_LDT(5), 0) && (last_trap.vector == 13 || last_trap.vector == 11) &&
	      last_trap.error_code == (SEL_LDT(5) & 0xfffc), tname("gate_upper_half_faults"),
	      "vector %lu error code %#lx", (unsigned long)last_trap.vector, (unsigned long)last_trap.error_code);

	/* update_descriptor of a live slot: the same rules */
	EXPECT("gate_update_descriptor", update_descriptor(ldt_maddr + 8 * 8, gate_lo(FLAT_KERNEL_CS64, off, 3)), 0);
	EXPECT("gate_update_descriptor_hi", update_descriptor(ldt_maddr + 9 * 8, gate_hi(off)), 0);
	expect_gp_sel("gate_updated_lcall_gp_selector", far_call(SEL_LDT(8), 0), SEL_LDT(8));
	EXPECT("gate_to_ldt_selector", update_descriptor(ldt_maddr + 8 * 8, gate_lo(SEL_LDT(1), off, 3)), 0);
	EXPECT("gate_to_null_selector", update_descriptor(ldt_maddr + 8 * 8, gate_lo(0, off, 3)), 0);
	EXPECT("gate_to_ring3_cs64_rpl0_refused",
	       update_descriptor(ldt_maddr + 8 * 8, gate_lo(FLAT_RING3_CS64 & ~3, off, 3)), -XEN_EINVAL);
	EXPECT("gate_to_ring3_cs32_refused",
	       update_descriptor(ldt_maddr + 8 * 8, gate_lo(FLAT_RING3_CS32, off, 3)), -XEN_EINVAL);
	EXPECT("gate_to_ring3_ds_refused",
	       update_descriptor(ldt_maddr + 8 * 8, gate_lo(FLAT_RING3_DS32, off, 3)), -XEN_EINVAL);
	EXPECT("gate_to_guest_gdt_entry", update_descriptor(ldt_maddr + 8 * 8, gate_lo(0x10, off, 3)), 0);
	EXPECT("gate_present_type0", update_descriptor(ldt_maddr + 9 * 8, 0x0000800000000000ULL), 0);
	EXPECT("gate_to_hypervisor_cs_refused",
	       update_descriptor(ldt_maddr + 8 * 8, gate_lo(0xe008, off, 3)), -XEN_EINVAL);
	EXPECT("gate_to_hypervisor_ds_refused",
	       update_descriptor(ldt_maddr + 8 * 8, gate_lo(0xe010, off, 3)), -XEN_EINVAL);
	EXPECT("gate_reserved_bits_refused",
	       update_descriptor(ldt_maddr + 8 * 8, gate_lo(FLAT_KERNEL_CS64, off, 3) | (1ULL << 32)),
	       -XEN_EINVAL);
	EXPECT("interrupt_gate_refused",
	       update_descriptor(ldt_maddr + 8 * 8, gate_lo(FLAT_KERNEL_CS64, off, 3) | (2ULL << 40)),
	       -XEN_EINVAL);
	/* a refused update left the slot as it was: still a gate (to GDT entry 2) */
	expect_gp_sel("gate_after_refusals_gp_selector", far_call(SEL_LDT(8), 0), SEL_LDT(8));

	EXPECT("gate_ldt_clear", set_ldt(0, 0), 0);
	EXPECT("gate_ldt_map_rw_after", map_rw(LDT_PAGE), 0);
}

/* update_descriptor writes 8 bytes anywhere in a frame: never in a page table. */
static void test_update_descriptor_on_table(void)
{
	memset(page(TABLE), 0, 4096);
	EXPECT("table_map_ro", map_ro(TABLE), 0);
	EXPECT("table_pin", pin(TABLE, 1), 0);
	/* not present (P clear): any value passes the descriptor check; as a PTE it maps the L1 writable */
	EXPECT("attack_update_descriptor_on_l1",
	       update_descriptor(mfn(TABLE) << 12, pte(mfn(TABLE), PTE_P | PTE_W)), -XEN_EINVAL);
	EXPECT("table_entry_untouched", page(TABLE)[0], 0);
	EXPECT("table_unpin", unpin(TABLE), 0);
	EXPECT("table_map_rw", map_rw(TABLE), 0);
	EXPECT("update_descriptor_on_data", update_descriptor(mfn(TABLE) << 12, data_desc(0, 3)), 0);
	check_eq_hex(tname("update_descriptor_written"), page(TABLE)[0], data_desc(0, 3));
	memset(page(TABLE), 0, 4096);
}

/* ---- FIFO control block and event array ------------------------------ */

static void test_fifo_frames(void)
{
	struct evtchn_init_control ic = { .control_gfn = mfn(TABLE), .vcpu = 0 };
	struct evtchn_expand_array ea = { .array_gfn = mfn(TABLE) };

	memset(page(FIFO_CB), 0, 4096);
	for (unsigned i = 0; i < 1024; i++)
		((uint32_t *)page(FIFO_ARRAY))[i] = 1u << EVTCHN_FIFO_MASKED;
	EXPECT("fifo_table_ro", map_ro(TABLE), 0);
	EXPECT("fifo_table_pin", pin(TABLE, 1), 0);
	EXPECT("attack_fifo_control_on_l1", ev(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
	ic.control_gfn = mfn(FIFO_CB);
	EXPECT("fifo_init_control", ev(EVTCHNOP_init_control, &ic), 0);
	EXPECT("attack_fifo_array_on_l1", ev(EVTCHNOP_expand_array, &ea), -XEN_EINVAL);
	ea.array_gfn = mfn(FIFO_ARRAY);
	EXPECT("fifo_expand_array", ev(EVTCHNOP_expand_array, &ea), 0);

	EXPECT("fifo_cb_map_ro", map_ro(FIFO_CB), 0);   /* mapping it read-only is fine */
	EXPECT("attack_fifo_cb_pin_l1", pin(FIFO_CB, 1), -XEN_EINVAL);
	EXPECT("fifo_array_map_ro", map_ro(FIFO_ARRAY), 0);
	EXPECT("attack_fifo_array_pin_l1", pin(FIFO_ARRAY, 1), -XEN_EINVAL);
	EXPECT("attack_fifo_array_pin_l2", pin(FIFO_ARRAY, 2), -XEN_EINVAL);

	EXPECT("fifo_reset", ev(EVTCHNOP_reset, &(struct evtchn_reset){ .dom = DOMID_SELF }), 0);
	EXPECT("fifo_cb_pin_after_reset", pin(FIFO_CB, 1), 0);
	EXPECT("fifo_array_pin_after_reset", pin(FIFO_ARRAY, 1), 0);
	EXPECT("fifo_cb_unpin", unpin(FIFO_CB), 0);
	EXPECT("fifo_array_unpin", unpin(FIFO_ARRAY), 0);
	EXPECT("fifo_cb_map_rw", map_rw(FIFO_CB), 0);
	EXPECT("fifo_array_map_rw", map_rw(FIFO_ARRAY), 0);
	EXPECT("fifo_table_unpin", unpin(TABLE), 0);
	EXPECT("fifo_table_rw", map_rw(TABLE), 0);
}

/* ---- vcpu_info ---------------------------------------------------------- */

static long register_vcpu_info(uint64_t frame, uint32_t offset)
{
	struct vcpu_register_vcpu_info r = { .mfn = frame, .offset = offset };

	return HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &r);
}

static void test_vcpu_info(void)
{
	struct vcpu_info *vi = (struct vcpu_info *)(page(VCPU_INFO) + 8);   /* offset 64 */
	struct evtchn_bind_ipi bi = { .vcpu = 0 };
	struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };
	uint64_t frame = mfn(VCPU_INFO);
	long rc;

	memset(page(TABLE), 0, 4096);
	EXPECT("vi_table_ro", map_ro(TABLE), 0);
	EXPECT("vi_table_pin", pin(TABLE, 1), 0);
	EXPECT("attack_vcpu_info_on_l1", register_vcpu_info(mfn(TABLE), 64), -XEN_EINVAL);
	EXPECT("vi_table_unpin", unpin(TABLE), 0);

	memset(page(VCPU_INFO), 0, 4096);
	rc = register_vcpu_info(frame, 64);
	EXPECT("vcpu_info_register", rc, 0);
	if (rc)
		return;
	EXPECT("vcpu_info_twice", register_vcpu_info(frame, 64), -XEN_EINVAL);
	/* the hypervisor writes it: an event on vCPU 0 sets the selector */
	memset(shared_info->evtchn_mask, 0, sizeof(shared_info->evtchn_mask));
	EXPECT("vi_bind_ipi", ev(EVTCHNOP_bind_ipi, &bi), 0);
	vi->evtchn_pending_sel = 0;
	EXPECT("vi_send", ev(EVTCHNOP_send, &(struct evtchn_send){ .port = bi.port }), 0);
	check(vi->evtchn_pending_sel & (1ULL << (bi.port / 64)), tname("vcpu_info_written"),
	      "selector %lx", (unsigned long)vi->evtchn_pending_sel);

	EXPECT("vi_map_ro", map_ro(VCPU_INFO), 0);
	EXPECT("attack_vcpu_info_pin_l1", pin(VCPU_INFO, 1), -XEN_EINVAL);
	/* nor as an L1 named by an entry of a (pinned, empty) L2 */
	memset(page(L2_TABLE), 0, 4096);
	EXPECT("vi_l2_ro", map_ro(L2_TABLE), 0);
	EXPECT("vi_l2_pin", pin(L2_TABLE, 2), 0);
	{
		struct mmu_update u = { .ptr = mfn(L2_TABLE) << 12, .val = pte(frame, PTE_P | PTE_W | PTE_A) };
		long e = HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);

		check(e < 0, tname("attack_vcpu_info_as_l1_via_l2"), "got %ld", e);
		EXPECT("vi_l2_entry_untouched", page(L2_TABLE)[0], 0);
	}
	EXPECT("vi_l2_unpin", unpin(L2_TABLE), 0);
	EXPECT("vi_l2_rw", map_rw(L2_TABLE), 0);

	/* give it back while registered: it must stay ours, still written, never a table */
	EXPECT("vi_unmap", HYPERVISOR_update_va_mapping(va_of(VCPU_INFO), 0, UVMF_INVLPG), 0);
	r.extent_start = (uint64_t)&frame;
	EXPECT("vi_decrease_reservation", HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 1);
	EXPECT("vi_remap_after_decrease", map_rw(VCPU_INFO), 0);
	vi->evtchn_pending_sel = 0;
	shared_info->evtchn_pending[bi.port / 64] &= ~(1ULL << (bi.port % 64));
	EXPECT("vi_send_after_decrease", ev(EVTCHNOP_send, &(struct evtchn_send){ .port = bi.port }), 0);
	check(vi->evtchn_pending_sel & (1ULL << (bi.port / 64)), tname("vcpu_info_written_after_decrease"),
	      "selector %lx", (unsigned long)vi->evtchn_pending_sel);
	EXPECT("vi_map_ro_after_decrease", map_ro(VCPU_INFO), 0);
	EXPECT("attack_vcpu_info_pin_after_decrease", pin(VCPU_INFO, 1), -XEN_EINVAL);
}

/* ---- VCPUOP_initialise's LDT ----------------------------------------- */

extern char event_entry[];   /* lib/entry.S */
static struct vcpu_guest_context v1_ctxt;
static uint8_t v1_stack[8192] __attribute__((aligned(16)));
static volatile uint64_t v1_read;
static volatile int v1_done, v1_stop;

/* vCPU 1 starts on the LDT its context named: slot 1, base 0x1000. */
static void vcpu1_main(void)
{
	__asm__ volatile("mov %0, %%fs" :: "r"(SEL_LDT(1)));
	v1_read = read_probe_via_fs(0x1000);
	v1_done = 1;
	while (!v1_stop)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL);
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

static void test_ldt_at_initialise(void)
{
	uint64_t *ldt = page(LDT_PAGE);
	struct vcpu_guest_context *c = &v1_ctxt;
	uint64_t cr3, until;

	memset(ldt, 0, 4096);
	ldt[1] = data_desc(0x1000, 3);
	EXPECT("init_ldt_map_ro", map_ro(LDT_PAGE), 0);
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	vcpu_context_init(c, vcpu1_main, v1_stack + sizeof(v1_stack), cr3, event_entry);
	shared_info->vcpu_info[1].evtchn_upcall_mask = 1;   /* no events wanted there */
	/* refusals leave vCPU 1 uninitialised, so the good context still goes in */
	c->ldt_base = va_of(LDT_PAGE) + 8;
	c->ldt_ents = 2;
	EXPECT("init_ldt_unaligned", HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, c), -XEN_EINVAL);
	c->ldt_base = va_of(LDT_PAGE);
	c->ldt_ents = 8193;
	EXPECT("init_ldt_too_many", HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, c), -XEN_EINVAL);
	c->ldt_ents = 2;
	EXPECT("init_ldt", HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, c), 0);
	EXPECT("init_ldt_up", HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), 0);
	until = system_time_ns() + 2000000000ULL;
	while (!v1_done && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	check(v1_done, tname("init_ldt_vcpu1_ran"), "vCPU 1 did not report in 2 s");
	check_eq_hex(tname("init_ldt_read_via_fs_on_vcpu1"), v1_read, probe);
	/* vCPU 1's LDT (on Xen: mapped in by its load) keeps the frame from being writable */
	EXPECT("attack_init_ldt_map_rw", map_rw(LDT_PAGE), -XEN_EBUSY);
	v1_stop = 1;
}

void test_main(void)
{
	test_ldt();
	test_call_gates();
	test_ldt_at_initialise();
	test_update_descriptor_on_table();
	test_fifo_frames();
	test_vcpu_info();
}
