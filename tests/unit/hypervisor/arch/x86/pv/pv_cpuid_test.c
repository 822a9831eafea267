/* The PV CPUID policy over a fake host that has every feature we must hide. */
#include "fake/cpu.h"
#include <arch.h>
#include <public/arch-x86_64.h>

static uint32_t r[4];

static int setup(void **state)
{
	(void)state;
	shim_reset();
	return 0;
}

static void q(uint32_t leaf, uint32_t sub) { pv_cpuid(&shim_vcpu, leaf, sub, r); }

static void test_xen_signature(void **state)
{
	q(0x40000000, 0);
	assert_int_equal(r[0], 0x40000005);
	assert_int_equal(r[1], XEN_CPUID_SIGNATURE_EBX);
	assert_int_equal(r[2], XEN_CPUID_SIGNATURE_ECX);
	assert_int_equal(r[3], XEN_CPUID_SIGNATURE_EDX);
	assert_memory_equal(&r[1], "XenVMMXenVMM", 12);
}

static void test_xen_leaves(void **state)
{
	q(0x40000001, 0);
	assert_int_equal(r[0], (4 << 16) | 17);
	q(0x40000002, 0);
	assert_int_equal(r[0], 1);
	assert_int_equal(r[1], 0x40000000);
	assert_int_equal(r[2], XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD);
	assert_int_equal(r[3], 0);
	q(0x40000004, 0);
	assert_int_equal(r[0] | r[1] | r[2] | r[3], 0);
	q(0x40000005, 0);
	assert_int_equal(r[1], 0);
	pv_cpuid_maddr_bits = 40;
	q(0x40000005, 0);
	assert_int_equal(r[1], 40);
	pv_cpuid_maddr_bits = 0;
}

static void test_other_hypervisor_ranges_zero(void **state)
{
	static const uint32_t leaves[] = { 0x40000006, 0x400000ff, 0x40000100, 0x40000200,
					   0x4000ff00, 0x4fffffff, 0xc0000000, 0x20 };
	for (size_t i = 0; i < ARRAY_SIZE(leaves); i++) {
		q(leaves[i], 0);
		assert_int_equal(r[0] | r[1] | r[2] | r[3], 0);
	}
}

static void test_leaf0_capped(void **state)
{
	q(0, 0);
	assert_int_equal(r[0], 0xd);
	assert_int_equal(r[1], 0x756e6547);   /* vendor kept */
	q(0x10, 0);                        /* beyond our cap, within the host's */
	assert_int_equal(r[0] | r[1] | r[2] | r[3], 0);
}

static void test_leaf1(void **state)
{
	q(1, 0);
	assert_int_equal(r[0], 0x000906ea);
	assert_int_equal(r[1] >> 24, 0);                /* APIC ID of vCPU 0 */
	assert_false(r[2] & (1u << 5));                 /* VMX */
	assert_false(r[2] & (1u << 6));                 /* SMX */
	assert_false(r[2] & (1u << 3));                 /* MONITOR */
	assert_false(r[2] & (1u << 17));                /* PCID */
	assert_false(r[2] & (1u << 21));                /* x2APIC */
	assert_false(r[2] & (1u << 24));                /* TSC deadline */
	assert_false(r[2] & ((1u << 2) | (1u << 4)));  /* DTES64, DS-CPL */
	assert_true(r[2] & (1u << 26));                 /* XSAVE */
	assert_false(r[2] & (1u << 27));                /* OSXSAVE: vCR4 clear */
	assert_true(r[2] & (1u << 31));                 /* hypervisor */
	assert_false(r[3] & (1u << 3));                 /* PSE */
	assert_false(r[3] & (1u << 17));                /* PSE36 */
	assert_true(r[3] & (1u << 7));                  /* MCE (virtual banks, as Xen) */
	assert_true(r[3] & (1u << 14));                 /* MCA */
	assert_false(r[3] & (1u << 21));                /* DS */
	assert_true(r[3] & (1u << 9));                  /* APIC: Dom0 */
	assert_true(r[3] & (1u << 13));                 /* PGE */
	assert_true(r[3] & (1u << 25));                 /* SSE */

	shim_arch.cr4 = X86_CR4_OSXSAVE;
	shim_vcpu.vcpu_id = 3;
	shim_dom.is_privileged = false;
	q(1, 0);
	assert_true(r[2] & (1u << 27));
	assert_int_equal(r[1] >> 24, 6);
	assert_false(r[3] & (1u << 9));                 /* APIC hidden from DomU */
}

static void test_leaf7(void **state)
{
	q(7, 0);
	assert_int_equal(r[0], 0);
	assert_int_equal(r[1] & ((1u << 0) | (1u << 7) | (1u << 10) | (1u << 20)), 0);
	assert_true(r[1] & (1u << 5));                  /* AVX2 */
	assert_true(r[1] & (1u << 16));                 /* AVX512F */
	assert_int_equal(r[2] & ((1u << 2) | (1u << 3) | (1u << 4) | (1u << 16)), 0);
	assert_int_equal(r[3] & (1u << 18), 0);         /* PCONFIG */
	q(7, 1);
	assert_int_equal(r[0] | r[1] | r[2] | r[3], 0);
}

static void test_pmu_topology_power_hidden(void **state)
{
	static const uint32_t leaves[] = { 3, 5, 6, 9, 0xa, 0xb, 0xc };
	for (size_t i = 0; i < ARRAY_SIZE(leaves); i++) {
		q(leaves[i], 0);
		assert_int_equal(r[0] | r[1] | r[2] | r[3], 0);
	}
}

static void test_xsave_leaf(void **state)
{
	q(0xd, 0);
	assert_int_equal(r[0], 0xe7);                   /* no MPX, no PKRU */
	assert_int_equal(r[3], 0);
	assert_int_equal(r[1], 576);                    /* x87|SSE in use */
	assert_int_equal(r[2], 2688);                   /* Hi16_ZMM ends at 1664 + 1024 */
	shim_arch.xcr0 = 7;
	q(0xd, 0);
	assert_int_equal(r[1], 832);
	q(0xd, 1);
	assert_int_equal(r[0], 0x7);                    /* XSAVES hidden */
	assert_int_equal(r[1] | r[2] | r[3], 0);
	q(0xd, 2);
	assert_int_equal(r[0], 256);
	assert_int_equal(r[1], 576);
	q(0xd, 9);                                  /* PKRU */
	assert_int_equal(r[0] | r[1] | r[2] | r[3], 0);
	q(0xd, 63);
	assert_int_equal(r[0] | r[1] | r[2] | r[3], 0);
}

static void test_no_xsave_host(void **state)
{
	shim_host_cpuid_set(1, 0, 0x000906ea, 0x07100800, 0x00000001, 0xbfebfbff);
	q(0xd, 0);
	assert_int_equal(r[0] | r[1] | r[2] | r[3], 0);
	assert_int_equal(pv_xcr0_allowed(), 3);
	shim_arch.cr4 = X86_CR4_OSXSAVE;               /* cannot be owned without XSAVE */
	assert_false(pv_guest_cr4(&shim_vcpu) & X86_CR4_OSXSAVE);
	q(1, 0);
	assert_false(r[2] & (1u << 27));
}

/* Xen's PV ABI: the kernel's enlightened CPUID sees OSXSAVE once we use XSAVE. */
static void test_enlightened_osxsave(void **state)
{
	pv_cpuid_enlightened(&shim_vcpu, 1, 0, r);
	assert_true(r[2] & (1u << 27));                 /* before the guest's own CR4 write */
	assert_true(r[2] & (1u << 26));
	pv_cpuid_enlightened(&shim_vcpu, 7, 0, r);      /* other leaves as pv_cpuid */
	assert_true(r[1] & (1u << 5));
	shim_arch.in_kernel = false;                    /* guest user space: architectural */
	pv_cpuid_enlightened(&shim_vcpu, 1, 0, r);
	assert_false(r[2] & (1u << 27));
	shim_arch.in_kernel = true;
	shim_host_cpuid_set(1, 0, 0x000906ea, 0x07100800, 0x00000001, 0xbfebfbff);
	pv_cpuid_enlightened(&shim_vcpu, 1, 0, r);      /* no XSAVE: no OSXSAVE either */
	assert_false(r[2] & ((1u << 26) | (1u << 27)));
}

/* AVX and friends only with the state components a guest may enable. */
static void test_avx_needs_xstate(void **state)
{
	q(1, 0);
	assert_true(r[2] & (1u << 28));                 /* AVX: YMM allowed */
	shim_host_cpuid_set(1, 0, 0x000906ea, 0x07100800, 0xfffa3223 & ~(3u << 26), 0xbfebfbff);   /* no XSAVE */
	q(1, 0);
	assert_false(r[2] & ((1u << 12) | (1u << 28) | (1u << 29)));   /* FMA, AVX, F16C */
	assert_true(r[2] & (1u << 0));                  /* SSE3 stays */
	q(7, 0);
	assert_false(r[1] & ((1u << 5) | (1u << 16)));  /* AVX2, AVX512F */

	/* XSAVE, but AVX-512 only in part: no AVX-512 at all */
	shim_host_cpuid_set(1, 0, 0x000906ea, 0x07100800, 0xfffa3223, 0xbfebfbff);
	shim_host_cpuid_set(0xd, 0, 0x27, 0xa88, 0xa88, 0);
	assert_int_equal(pv_xcr0_allowed(), 7);
	q(7, 0);
	assert_true(r[1] & (1u << 5));
	assert_false(r[1] & (1u << 16));
	assert_false(pv_xcr0_valid(0x27));
}

static void test_extended(void **state)
{
	q(0x80000000, 0);
	assert_int_equal(r[0], 0x80000008);
	q(0x80000001, 0);
	assert_false(r[2] & (1u << 2));                 /* SVM */
	assert_false(r[3] & (1u << 26));                /* PDPE1GB */
	assert_true(r[3] & (1u << 29));                 /* LM */
	assert_true(r[3] & (1u << 20));                 /* NX */
	assert_true(r[3] & (1u << 11));                 /* SYSCALL */
	assert_true(r[3] & (1u << 27));                 /* RDTSCP */
	q(0x80000007, 0);
	assert_int_equal(r[3], 0x100);
	q(0x80000008, 0);
	assert_int_equal(r[0], 0x3027);
	assert_int_equal(r[1], 0);
	q(0x80000009, 0);
	assert_int_equal(r[0] | r[1] | r[2] | r[3], 0);
	shim_host_cpuid_set(0x80000000, 0, 0x80000001, 0, 0, 0);
	q(0x80000008, 0);
	assert_int_equal(r[0] | r[1] | r[2] | r[3], 0);
}

static struct xen_cpuid_leaf pol[ARCH_CPU_POLICY_MAX_LEAVES];

static const struct xen_cpuid_leaf *find(unsigned n, uint32_t leaf, uint32_t sub)
{
	for (unsigned i = 0; i < n; i++)
		if (pol[i].leaf == leaf && pol[i].subleaf == sub)
			return &pol[i];
	return NULL;
}

/* The policy as leaves: what pv_cpuid shows, Xen's sub-leaf numbering, counted when short. */
static void test_policy_lists_leaves(void **state)
{
	unsigned n = arch_cpu_policy_get(&shim_vcpu, false, pol, ARRAY_SIZE(pol));
	const struct xen_cpuid_leaf *e;

	(void)state;
	assert_true(n > 10 && n < ARRAY_SIZE(pol));
	e = find(n, 1, XEN_CPUID_NO_SUBLEAF);
	assert_non_null(e);
	q(1, 0);
	assert_int_equal(e->c, r[2]);
	assert_int_equal(e->d, r[3]);
	assert_non_null(find(n, 7, 0));
	assert_non_null(find(n, 0xd, 0));
	assert_non_null(find(n, 0xd, 1));
	assert_non_null(find(n, 0x80000001, XEN_CPUID_NO_SUBLEAF));
	assert_non_null(find(n, 0x40000000, XEN_CPUID_NO_SUBLEAF));   /* the limits, as Xen lists them */
	assert_non_null(find(n, 0x40000100, XEN_CPUID_NO_SUBLEAF));
	assert_null(find(n, 1, 0));
	assert_int_equal(arch_cpu_policy_get(&shim_vcpu, false, pol, 3), n);   /* counted, 3 written */
}

/* set_cpu_policy takes feature bits away, never adds any, and refuses bad leaves whole. */
static void test_policy_restricts(void **state)
{
	struct xen_cpuid_leaf l1 = { 1, XEN_CPUID_NO_SUBLEAF, 0, 0, 0, 0 };
	struct xen_cpuid_leaf bad[2] = { { 1, XEN_CPUID_NO_SUBLEAF, 0, 0, 0, 0 }, { 0x20, XEN_CPUID_NO_SUBLEAF, 0, 0, 0, 0 } };
	struct xen_cpuid_leaf high = { 0, XEN_CPUID_NO_SUBLEAF, 0xff, 0, 0, 0 };
	uint32_t err_leaf = 0, err_sub = 0, before_c, before_d;

	(void)state;
	q(1, 0);
	before_c = r[2], before_d = r[3];
	l1.c = before_c & ~(1u << 0) & ~(1u << 27);   /* SSE3 and OSXSAVE taken away */
	l1.d = before_d | (1u << 3);                  /* PSE offered back: not in the policy, no effect */
	assert_int_equal(arch_cpu_policy_set(&shim_dom, &l1, 1, &err_leaf, &err_sub), 0);
	q(1, 0);
	assert_int_equal(r[2], before_c & ~1u);       /* SSE3 gone; OSXSAVE is the hypervisor's to report */
	assert_int_equal(r[3], before_d);
	/* a leaf outside the policy: -ERANGE, named, nothing changed (SSE3 not back either) */
	bad[0].c = before_c, bad[0].d = before_d;
	assert_int_equal(arch_cpu_policy_set(&shim_dom, bad, 2, &err_leaf, &err_sub), -XEN_ERANGE);
	assert_int_equal(err_leaf, 0x20);
	assert_int_equal(err_sub, XEN_CPUID_NO_SUBLEAF);
	q(1, 0);
	assert_int_equal(r[2], before_c & ~1u);
	assert_int_equal(arch_cpu_policy_set(&shim_dom, &high, 1, &err_leaf, &err_sub), -XEN_EINVAL);
	assert_int_equal(err_leaf, 0);
	/* giving everything back */
	assert_int_equal(arch_cpu_policy_set(&shim_dom, bad, 1, &err_leaf, &err_sub), 0);
	q(1, 0);
	assert_int_equal(r[2], before_c);
	assert_int_equal(arch_cpu_policy_set(&shim_dom, pol, ARCH_CPU_POLICY_MAX_LEAVES + 1, &err_leaf, &err_sub),
			 -XEN_E2BIG);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_xen_signature), T(test_xen_leaves), T(test_other_hypervisor_ranges_zero),
		T(test_leaf0_capped), T(test_leaf1), T(test_leaf7), T(test_pmu_topology_power_hidden),
		T(test_xsave_leaf), T(test_no_xsave_host), T(test_enlightened_osxsave),
		T(test_avx_needs_xstate), T(test_extended), T(test_policy_lists_leaves), T(test_policy_restricts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
