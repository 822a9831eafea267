/* The PV MSR policy: what Linux touches works, everything else is #GP. */
#include "fake/cpu.h"
#include <asm/msr.h>

static int setup(void **state)
{
	(void)state;
	shim_reset();
	return 0;
}

static uint64_t rd(uint32_t msr)
{
	uint64_t v = 0xbad;

	assert_true(pv_rdmsr(&shim_vcpu, msr, &v));
	return v;
}

static bool wr(uint32_t msr, uint64_t v) { return pv_wrmsr(&shim_vcpu, msr, v); }

static void test_segment_bases_kernel_mode(void **state)
{
	assert_true(wr(MSR_GS_BASE, 0xffffffff83044000ULL));
	assert_int_equal(shim_arch.gs_base_kernel, 0xffffffff83044000ULL);
	assert_int_equal(shim_wrmsr_last, MSR_GS_BASE);
	assert_true(wr(MSR_KERNEL_GS_BASE, 0x6000));
	assert_int_equal(shim_arch.gs_base_user, 0x6000);
	assert_true(wr(MSR_FS_BASE, 0x5000));
	assert_int_equal(shim_arch.fs_base, 0x5000);
	assert_int_equal(rd(MSR_GS_BASE), 0xffffffff83044000ULL);
	assert_int_equal(rd(MSR_KERNEL_GS_BASE), 0x6000);
	assert_int_equal(rd(MSR_FS_BASE), 0x5000);
}

static void test_segment_bases_user_mode(void **state)
{
	/* SWAPGS semantics: in user mode GS_BASE is the user base. */
	shim_arch.in_kernel = false;
	shim_arch.gs_base_kernel = 0x1000;
	shim_arch.gs_base_user = 0x2000;
	assert_int_equal(rd(MSR_GS_BASE), 0x2000);
	assert_int_equal(rd(MSR_KERNEL_GS_BASE), 0x1000);
}

static void test_segment_base_noncanonical(void **state)
{
	shim_arch.fs_base = 0x77;
	assert_false(wr(MSR_FS_BASE, 0x0000800000000000ULL));
	assert_false(wr(MSR_GS_BASE, 0x8000000000000000ULL));
	assert_false(wr(MSR_KERNEL_GS_BASE, 0xffff7fffffffffffULL));
	assert_int_equal(shim_arch.fs_base, 0x77);
	assert_int_equal(shim_wrmsr_last, 0);
	/* Hole addresses are canonical and harmless as a base (as in Xen). */
	assert_true(wr(MSR_FS_BASE, HYPERVISOR_VIRT_START));
}

static void test_not_live_no_real_write(void **state)
{
	struct vcpu other = shim_vcpu;
	struct arch_vcpu oa = shim_arch;

	other.arch = &oa;
	assert_true(pv_wrmsr(&other, MSR_GS_BASE, 0x1000));
	assert_int_equal(oa.gs_base_kernel, 0x1000);
	assert_int_equal(shim_wrmsr_last, 0);
}

static void test_pat(void **state)
{
	assert_int_equal(rd(MSR_PAT), XEN_PV_PAT);
	assert_true(wr(MSR_PAT, XEN_PV_PAT));
	assert_false(wr(MSR_PAT, 0x0007040600070406ULL));
}

static void test_ucode_rev(void **state)
{
	assert_true(wr(MSR_UCODE_REV, 0));
	assert_int_equal(rd(MSR_UCODE_REV), 0);
}

static void test_efer(void **state)
{
	shim_efer = 0xd01 | (1u << 12);
	assert_int_equal(rd(MSR_EFER), 0xd01);
	assert_true(wr(MSR_EFER, 0xd01));
	assert_false(wr(MSR_EFER, 0x501));      /* clear NXE */
	assert_false(wr(MSR_EFER, 0xd01 | (1u << 12)));
}

static void test_tsc_aux(void **state)
{
	assert_true(wr(MSR_TSC_AUX, 5));
	assert_int_equal(rd(MSR_TSC_AUX), 5);
	assert_int_equal(shim_wrmsr_last, MSR_TSC_AUX);
	assert_false(wr(MSR_TSC_AUX, 1ULL << 32));
	assert_int_equal(rd(MSR_TSC_AUX), 5);
	assert_int_equal(rd(MSR_IA32_TSC), shim_tsc);
}

static void test_syscall_msrs(void **state)
{
	shim_arch.syscall_cb.address = 0xffffffff81a00000ULL;
	assert_true(wr(MSR_LSTAR, 0xffffffff80000000ULL));
	assert_true(wr(MSR_STAR, 1));
	assert_true(wr(MSR_CSTAR, 1));
	assert_true(wr(MSR_SYSCALL_MASK, 1));
	assert_true(wr(MSR_SYSENTER_EIP, 1));
	assert_int_equal(shim_wrmsr_last, 0);     /* nothing reaches the CPU */
	assert_int_equal(rd(MSR_LSTAR), 0xffffffff81a00000ULL);
	assert_int_equal(rd(MSR_STAR), 0);
}

static void test_misc(void **state)
{
	uint64_t misc = rd(MSR_MISC_ENABLE);

	assert_true(misc & MISC_ENABLE_FAST_STRING);
	assert_false(misc & (1ULL << 18));        /* MWAIT */
	assert_false(misc & (1ULL << 22));        /* CPUID limit */
	assert_true(wr(MSR_MISC_ENABLE, misc));
	assert_false(wr(MSR_MISC_ENABLE, misc | (1ULL << 22)));

	assert_int_equal(rd(MSR_APIC_BASE), 0xfee00900);
	shim_vcpu.vcpu_id = 1;
	assert_int_equal(rd(MSR_APIC_BASE), 0xfee00800);
	assert_false(wr(MSR_APIC_BASE, 0xfee00c00));   /* x2APIC enable */

	assert_int_equal(rd(MSR_FEATURE_CONTROL), 1);
	assert_false(wr(MSR_FEATURE_CONTROL, 5));
	assert_int_equal(rd(MSR_MCG_CAP), 2);                  /* two virtual banks */
	assert_int_equal(rd(0x400), 0);                        /* MC0_CTL */
	assert_int_equal(rd(0x407), 0);                        /* MC1_MISC */
	assert_true(wr(0x400, ~0ULL));                         /* Linux enables every error */
	assert_true(wr(0x401, 0));                             /* and clears the status */
	assert_false(pv_rdmsr(&shim_vcpu, 0x408, &(uint64_t){ 0 }));   /* no third bank */
	assert_false(wr(0x408, 0));
	assert_false(pv_rdmsr(&shim_vcpu, 0x3ff, &(uint64_t){ 0 }));
	assert_int_equal(rd(MSR_MCG_STATUS), 0);
	assert_int_equal(rd(MSR_MTRR_CAP), 0);
	assert_int_equal(rd(MSR_MTRR_DEF_TYPE), 0);
	assert_false(wr(MSR_MTRR_DEF_TYPE, 0xc06));
	assert_int_equal(rd(MSR_PLATFORM_INFO), 0);
}

static void test_xss_spec_perf(void **state)
{
	assert_int_equal(rd(MSR_XSS), 0);
	assert_true(wr(MSR_XSS, 0));
	assert_false(wr(MSR_XSS, 1ULL << 8));
	assert_int_equal(rd(MSR_SPEC_CTRL), 0);
	assert_true(wr(MSR_SPEC_CTRL, 0));
	assert_false(wr(MSR_SPEC_CTRL, 1));
	assert_true(wr(MSR_PRED_CMD, 1));
	assert_false(wr(MSR_PRED_CMD, 2));
	assert_true(wr(MSR_FLUSH_CMD, 1));
	assert_false(pv_rdmsr(&shim_vcpu, MSR_PRED_CMD, &(uint64_t){ 0 }));
	assert_false(pv_rdmsr(&shim_vcpu, MSR_ARCH_CAPABILITIES, &(uint64_t){ 0 }));
	assert_int_equal(rd(MSR_PERFCTR0), 0);
	assert_int_equal(rd(MSR_PERFEVTSEL0 + 3), 0);
	assert_int_equal(rd(MSR_PERF_GLOBAL_CTRL), 0);
	assert_true(wr(MSR_PERFEVTSEL0, 0));
	assert_false(wr(MSR_PERFEVTSEL0, 0x43003c));
}

static void test_unknown_msrs(void **state)
{
	static const uint32_t bad[] = { 0x12345678, 0xc0001234, 0x17, 0xc0010015, 0x6e0,
					0x800, 0x830, 0xffffffff, 0x40000000 };
	uint64_t v = 0x55;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_false(pv_rdmsr(&shim_vcpu, bad[i], &v));
		assert_false(wr(bad[i], 0));
	}
	assert_int_equal(v, 0x55);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_segment_bases_kernel_mode), T(test_segment_bases_user_mode),
		T(test_segment_base_noncanonical), T(test_not_live_no_real_write),
		T(test_pat), T(test_ucode_rev), T(test_efer), T(test_tsc_aux),
		T(test_syscall_msrs), T(test_misc), T(test_xss_spec_perf), T(test_unknown_msrs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
