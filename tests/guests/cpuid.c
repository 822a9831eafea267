/*
 * cpuid - the PV CPUID policy, through the forced-emulation prefix
 * (`ud2; .ascii "xen"; cpuid`) and natively.
 */
#include "guest.h"

const char test_name[] = "cpuid";
const int test_styles = STYLE_DIRECT;   /* no hypercalls under test */

static int is_xen_sig(const uint32_t r[4])
{
	return r[1] == XEN_CPUID_SIGNATURE_EBX && r[2] == XEN_CPUID_SIGNATURE_ECX &&
	       r[3] == XEN_CPUID_SIGNATURE_EDX;
}

void test_main(void)
{
	uint32_t r[4], n[4];
	long ver;

	trap_reset();
	cpuid_pv(XEN_CPUID_FIRST_LEAF, 0, r);
	EXPECT("forced_no_trap_to_guest", last_trap.count, 0);
	check(is_xen_sig(r), tname("forced_signature"),
	      "ebx %x ecx %x edx %x", r[1], r[2], r[3]);
	check(r[0] >= XEN_CPUID_LEAF(2), tname("forced_max_leaf"), "eax %x", r[0]);

	ver = HYPERVISOR_xen_version(XENVER_version, NULL);
	cpuid_pv(XEN_CPUID_LEAF(1), 0, r);
	check_eq_hex(tname("forced_version_leaf"), r[0], (uint64_t)ver);

	cpuid_pv(XEN_CPUID_LEAF(2), 0, r);
	EXPECT("forced_leaf2_one_hypercall_page", r[0], 1);
	check(r[2] & XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD,
	      tname("forced_leaf2_preserve_ad"), "ecx %x", r[2]);

	cpuid_pv(1, 0, r);
	check(!(r[2] & (1u << 5)), tname("forced_vmx_hidden"), "ecx %x", r[2]);
	check(r[2] & (1u << 31), tname("forced_hypervisor_bit"), "ecx %x", r[2]);
	check(!(r[3] & (1u << 3)), tname("forced_pse_hidden"), "edx %x", r[3]);
	/* Xen shows the APIC bit to dom0 (it may access the IO-APIC). */
	cpuid_pv(0x80000001, 0, r);
	check(!(r[2] & (1u << 2)), tname("forced_svm_hidden"), "ecx %x", r[2]);
	check(!(r[3] & (1u << 26)), tname("forced_pdpe1gb_hidden"), "edx %x", r[3]);
	check(r[3] & (1u << 29), tname("forced_long_mode"), "edx %x", r[3]);
	cpuid_pv(0, 0, r);
	check(r[0] >= 1, tname("forced_leaf0"), "eax %x", r[0]);
	if (r[0] >= 7) {
		cpuid_pv(7, 0, r);
		check(!(r[1] & ((1u << 7) | (1u << 20))), tname("forced_smep_smap_hidden"),
		      "ebx %x", r[1]);
		check(!(r[2] & ((1u << 2) | (1u << 3))), tname("forced_umip_pku_hidden"),
		      "ecx %x", r[2]);
	}

	/*
	 * Native CPUID: without CPUID faulting the instruction is not
	 * intercepted at all, so the guest sees the (virtual) CPU's values.
	 * QEMU's TCG offers no CPUID faulting, so on Xen-in-QEMU native
	 * leaf 0x40000000 is QEMU's, not Xen's.  Both hypervisors must still
	 * leave VMX/SVM hidden (the machine has them off).
	 */
	trap_reset();
	cpuid_native(1, 0, n);
	EXPECT("native_no_trap_to_guest", last_trap.count, 0);
	check(!(n[2] & (1u << 5)), tname("native_vmx_hidden"), "ecx %x", n[2]);
	cpuid_native(0x80000001, 0, n);
	check(!(n[2] & (1u << 2)), tname("native_svm_hidden"), "ecx %x", n[2]);
	/*
	 * Both hypervisors turn CPUID faulting on where the CPU has it; then
	 * native leaf 0x40000000 is the hypervisor's. QEMU's TCG has none, so
	 * here it shows QEMU's leaf on either: informational only.
	 */
	cpuid_native(XEN_CPUID_FIRST_LEAF, 0, n);
	gprintf("native leaf 0x40000000: %x %x %x %x (%s)\n", n[0], n[1], n[2], n[3],
		is_xen_sig(n) ? "intercepted" : "not intercepted: no CPUID faulting");
}
