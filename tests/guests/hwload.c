/*
 * hwload - guest values the hypervisor loads into the CPU, which must be
 * refused or loaded so that a bad one faults safely (never in the host):
 *
 *   GS selector   set_segment_base(SEGBASE_GS_USER_SEL) with an LDT selector
 *                 and no LDT, a GDT slot holding a not-present descriptor,
 *                 a slot past the GDT's entries and a DPL 0 hypervisor
 *                 selector: the call succeeds and %gs is null, as on Xen
 *                 (Linux BUG()s when this call fails); a good selector loads.
 *   initialise    VCPUOP_initialise with a non-canonical fs_base,
 *                 gs_base_kernel, gs_base_user, kernel_sp, user rsp or trap
 *                 handler is -EINVAL and leaves vCPU 1 uninitialised; a
 *                 good context then starts it.
 *
 * Before the fixes each of these stopped the host: a bare `mov %gs` (#GP or
 * #NP in the hypervisor) and a WRMSR of a non-canonical base at the first
 * switch to vCPU 1.
 */
#include "guest.h"

const char test_name[] = "hwload";
const int test_styles = STYLE_DIRECT;   /* vCPU 1 is initialised once */

static uint64_t gdt_page[512] __attribute__((aligned(4096)));

static uint64_t mfn_of(const void *p)
{
	return ((uint64_t *)start_info->mfn_list)[((uint64_t)p - VIRT_BASE) >> 12];
}

static long map_flags(const void *p, uint64_t flags)
{
	return HYPERVISOR_update_va_mapping((uint64_t)p, (mfn_of(p) << 12) | flags, UVMF_INVLPG);
}

static uint16_t read_gs(void)
{
	uint16_t gs;

	__asm__ volatile("mov %%gs, %0" : "=r"(gs));
	return gs;
}

/* Data, read/write, DPL 3, 4 GiB, base 0; present or not. */
static uint64_t data_desc(int present)
{
	return 0x00cff2000000ffffULL & ~(present ? 0 : 1ULL << 47);
}

static void expect_gs_nulled(const char *name, uint16_t sel)
{
	char n[64];

	/* something non-null first, so that a load that did nothing shows */
	__asm__ volatile("mov %0, %%gs" :: "r"((uint32_t)FLAT_USER_DS));
	gsnprintf(n, sizeof(n), "%s_rc", name);
	EXPECT(n, HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, sel), 0);
	gsnprintf(n, sizeof(n), "%s_gs_null", name);
	EXPECT(n, read_gs(), 0);
}

static void test_gs_user_sel(void)
{
	unsigned long frame;

	/* no LDT: LDT index 0, RPL 3 */
	expect_gs_nulled("gs_sel_ldt_without_ldt", 0x7);
	expect_gs_nulled("gs_sel_ldt_high_index", 0xfffc);
	/* a hypervisor selector the guest may not use (DPL 0 code) */
	expect_gs_nulled("gs_sel_hypervisor_cs", 0xe008);

	memset(gdt_page, 0, sizeof(gdt_page));
	gdt_page[1] = data_desc(0);   /* not present */
	gdt_page[2] = data_desc(1);
	EXPECT("gdt_map_ro", map_flags(gdt_page, PTE_P | PTE_A), 0);
	frame = mfn_of(gdt_page);
	EXPECT("set_gdt", HC2(__HYPERVISOR_set_gdt, &frame, 3), 0);
	expect_gs_nulled("gs_sel_not_present", 0x0b);
	expect_gs_nulled("gs_sel_past_gdt_ents", 0x1b);
	EXPECT("gs_sel_good_rc", HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0x13), 0);
	EXPECT("gs_sel_good_loaded", read_gs(), 0x13);
	/* a null one is null */
	EXPECT("gs_sel_null_rc", HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0), 0);
	EXPECT("gs_sel_null_loaded", read_gs(), 0);
	EXPECT("set_gdt_none", HC2(__HYPERVISOR_set_gdt, &frame, 0), 0);
	EXPECT("gdt_map_rw", map_flags(gdt_page, PTE_P | PTE_W | PTE_A | PTE_D), 0);
}

/* ---- VCPUOP_initialise ------------------------------------------------ */

extern char event_entry[];   /* lib/entry.S */
static struct vcpu_guest_context v1_ctxt;
static uint8_t v1_stack[8192] __attribute__((aligned(16)));
static volatile int v1_ran;

static void vcpu1_main(void)
{
	v1_ran = 1;
	HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL);
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

static void good_context(void)
{
	uint64_t cr3;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	vcpu_context_init(&v1_ctxt, vcpu1_main, v1_stack + sizeof(v1_stack), cr3, event_entry);
}

/* One bad field: -EINVAL, and vCPU 1 stays down (up: -EINVAL, not initialised). */
static void expect_refused(const char *name, uint64_t *field)
{
	char n[64];

	good_context();
	*field = BAD_NONCANON2;
	gsnprintf(n, sizeof(n), "init_%s_noncanonical", name);
	EXPECT(n, HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &v1_ctxt), -XEN_EINVAL);
	gsnprintf(n, sizeof(n), "init_%s_up_refused", name);
	EXPECT(n, HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), -XEN_EINVAL);
	/* had it gone up, the switch to it would load the value now */
	HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

static void test_initialise(void)
{
	struct vcpu_guest_context *c = &v1_ctxt;
	uint64_t until;

	shared_info->vcpu_info[1].evtchn_upcall_mask = 1;   /* no events wanted there */
	expect_refused("fs_base", &c->fs_base);
	expect_refused("gs_base_kernel", &c->gs_base_kernel);
	expect_refused("gs_base_user", &c->gs_base_user);
	expect_refused("kernel_sp", &c->kernel_sp);
	expect_refused("user_rsp", &c->user_regs.rsp);
	expect_refused("trap_handler", &c->trap_ctxt[14].address);
	expect_refused("event_callback", &c->event_callback_eip);

	good_context();
	c->fs_base = 0x1000;
	c->gs_base_user = 0x00007ffffffff000ULL;
	EXPECT("init_good", HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, c), 0);
	EXPECT("init_good_up", HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), 0);
	until = system_time_ns() + 2000000000ULL;
	while (!v1_ran && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	check(v1_ran, tname("init_good_vcpu1_ran"), "vCPU 1 did not run in 2 s");
}

void test_main(void)
{
	test_gs_user_sel();
	test_initialise();
}
