/*
 * msr - RDMSR/WRMSR from the guest kernel: the MSRs Linux touches are
 * emulated, anything else raises #GP(0) in the guest.
 */
#include "guest.h"

const char test_name[] = "msr";
const int test_styles = STYLE_DIRECT;

static void expect_no_trap(const char *name)
{
	check(last_trap.count == 0, tname(name), "trap %lu err 0x%lx",
	      last_trap.vector, last_trap.error_code);
}

static void expect_gp0(const char *name)
{
	check(last_trap.count == 1 && last_trap.vector == 13 &&
	      last_trap.error_code == 0, tname(name), "count %d vector %lu err 0x%lx",
	      last_trap.count, last_trap.vector, last_trap.error_code);
}

void test_main(void)
{
	uint64_t v;

	/* GS base write as Linux's startup_xen does, then read back. */
	trap_reset();
	wrmsr_t(0xc0000101, 0xffffffff80123000ULL);
	expect_no_trap("wrmsr_gs_base");
	trap_reset();
	v = rdmsr_t(0xc0000101);
	expect_no_trap("rdmsr_gs_base_no_trap");
	check_eq_hex(tname("rdmsr_gs_base_value"), v, 0xffffffff80123000ULL);

	EXPECT("set_segment_base_fs",
	       HYPERVISOR_set_segment_base(SEGBASE_FS, 0x5000), 0);
	trap_reset();
	v = rdmsr_t(0xc0000100);
	expect_no_trap("rdmsr_fs_base_no_trap");
	check_eq_hex(tname("rdmsr_fs_base_value"), v, 0x5000);
	EXPECT("set_segment_base_gs_user",
	       HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0x6000), 0);
	trap_reset();
	v = rdmsr_t(0xc0000102);
	expect_no_trap("rdmsr_kernel_gs_base_no_trap");
	check_eq_hex(tname("rdmsr_kernel_gs_base_value"), v, 0x6000);
	HYPERVISOR_set_segment_base(SEGBASE_FS, 0);
	HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0);

	trap_reset();
	v = rdmsr_t(0x277);
	expect_no_trap("rdmsr_pat_no_trap");
	check_eq_hex(tname("rdmsr_pat_value"), v, XEN_PV_PAT);

	/* Microcode revision (Intel) / patch level (AMD): no #GP either way. */
	trap_reset();
	v = rdmsr_t(0x8b);
	expect_no_trap("rdmsr_0x8b_no_trap");
	{
		uint32_t r[4];

		cpuid_pv(0, 0, r);
		trap_reset();
		wrmsr_t(0x8b, 0);
		if (r[1] == 0x756e6547)	/* "Genu": Linux writes it on Intel */
			expect_no_trap("wrmsr_0x8b_intel_no_trap");
		else
			gprintf("wrmsr 0x8b on non-Intel: %d traps\n", last_trap.count);
	}

	/* EFER reads work (Linux reads it via the safe accessor). */
	trap_reset();
	v = rdmsr_t(0xc0000080);
	expect_no_trap("rdmsr_efer_no_trap");
	check(v & (1u << 10), tname("rdmsr_efer_lma"), "efer 0x%lx", v);

	/* Unknown MSRs: #GP(0) bounced to the guest, for reads and writes. */
	trap_reset();
	rdmsr_t(0x12345678);
	expect_gp0("rdmsr_unknown_gp");
	trap_reset();
	wrmsr_t(0x12345678, 1);
	expect_gp0("wrmsr_unknown_gp");
	trap_reset();
	rdmsr_t(0xc0001234);
	expect_gp0("rdmsr_unknown_high_gp");
	/* Non-canonical GS base is refused with #GP. */
	trap_reset();
	wrmsr_t(0xc0000101, BAD_NONCANON);
	expect_gp0("wrmsr_gs_base_noncanonical_gp");
	/* Writing LSTAR (the hypervisor's syscall entry) is not allowed. */
	trap_reset();
	wrmsr_t(0xc0000082, 0xffffffff80000000ULL);
	gprintf("wrmsr LSTAR: %d traps, vector %lu\n", last_trap.count, last_trap.vector);
	check(last_trap.count == 0 || last_trap.vector == 13,
	      tname("wrmsr_lstar_ignored_or_gp"), "vector %lu", last_trap.vector);

	/* The hypervisor still answers hypercalls. */
	check(HYPERVISOR_xen_version(XENVER_version, NULL) > 0, tname("still_alive"),
	      "xen_version failed");
}
