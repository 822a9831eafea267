/*
 * The CPUID a PV guest sees: the host's, filtered.
 *
 * A PV kernel runs in ring 3 under our page tables and our IDT, so every
 * feature that needs CPL 0 (VMX, SMEP/SMAP, PCID, UMIP, PKU, XSAVES...),
 * changes paging (PSE, 1 GiB pages, LA57) or exposes a device we do not
 * virtualise (PMU, x2APIC, MWAIT) is hidden: Linux would otherwise use
 * it and fault. The full table with the reason for each bit is in
 * docs/pv-emulation.md; the masks below follow it line by line.
 *
 * Leaves 0x40000000..0x40000005 are the Xen hypervisor leaves (signature
 * "XenVMMXenVMM"); the rest of 0x400xxxxx, where Linux probes for other
 * hypervisors, reads as zero. Unknown leaves read as zero too: a guest only
 * ever sees what this file decided to show.
 *
 * The real CPUID goes through arch_host_cpuid() so unit tests can run the
 * policy over a fake host.
 */
#include <asm/pv.h>
#include <public/arch-x86_64.h>
#include "emulate.h"

#define BIT(n) (1u << (n))

unsigned pv_cpuid_maddr_bits;

#define MAX_BASIC_LEAF     0xdu
#define MAX_EXTENDED_LEAF  0x80000008u
#define XEN_MAX_LEAF       XEN_CPUID_LEAF(5)

/* Leaf 1 ECX: DTES64, MONITOR, DS-CPL, VMX, SMX, EST, TM2, SDBG, xTPR, PDCM,
 * PCID, DCA, X2APIC, TSC-deadline. OSXSAVE is recomputed from the vCR4. */
#define L1_ECX_HIDE (BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | \
		     BIT(11) | BIT(14) | BIT(15) | BIT(17) | BIT(18) | BIT(21) |     \
		     BIT(24) | BIT(27))
#define L1_ECX_XSAVE      BIT(26)
#define L1_ECX_OSXSAVE    BIT(27)
#define L1_ECX_HYPERVISOR BIT(31)
/* Leaf 1 ECX / 7.0 EBX: need the YMM (or ZMM) state a guest may enable. */
#define L1_ECX_NEED_YMM   (BIT(12) | BIT(28) | BIT(29))   /* FMA, AVX, F16C */
#define L7_EBX_AVX2       BIT(5)
#define L7_EBX_AVX512F    BIT(16)   /* Linux drops the other AVX-512 bits with it */
/* Leaf 1 EDX: VME, PSE, MTRR, PSE36, DS, ACPI, TM, PBE. APIC (9) only for Dom0.
 * MCE and MCA stay, as on Xen: the banks are virtual (msr.c). */
#define L1_EDX_HIDE (BIT(1) | BIT(3) | BIT(12) | BIT(17) | BIT(21) | \
		     BIT(22) | BIT(29) | BIT(31))
#define L1_EDX_APIC BIT(9)
/* Leaf 7.0 EBX: FSGSBASE, TSC_ADJUST, SGX, SMEP, INVPCID, RDT-M, MPX, RDT-A, SMAP, PT. */
#define L7_EBX_HIDE (BIT(0) | BIT(1) | BIT(2) | BIT(7) | BIT(10) | BIT(12) | BIT(14) | \
		     BIT(15) | BIT(20) | BIT(25))
/* Leaf 7.0 ECX: UMIP, PKU, OSPKE, WAITPKG, LA57, SGX_LC, ENQCMD. */
#define L7_ECX_HIDE (BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(16) | BIT(29) | BIT(30))
/* Leaf 7.0 EDX: HYBRID, PCONFIG, AMX, IBRS/STIBP/L1D_FLUSH/ARCH_CAPS/CORE_CAPS/SSBD. */
#define L7_EDX_HIDE (BIT(15) | BIT(18) | BIT(22) | BIT(24) | BIT(25) | BIT(26) | BIT(27) | \
		     BIT(28) | BIT(29) | BIT(30) | BIT(31))
/* 0x80000001 ECX: SVM, EXTAPIC, SKINIT, WDT, LWP, NODEID, TOPOEXT, PERFCTR_*, DBX, MONITORX. */
#define E1_ECX_HIDE (BIT(2) | BIT(3) | BIT(12) | BIT(13) | BIT(15) | BIT(19) | BIT(22) | \
		     BIT(23) | BIT(24) | BIT(26) | BIT(28) | BIT(29))
/* 0x80000001 EDX: VME, PSE, MTRR, PSE36 (AMD mirrors), PDPE1GB. */
#define E1_EDX_HIDE (BIT(1) | BIT(3) | BIT(12) | BIT(17) | BIT(26))
#define E7_EDX_INVARIANT_TSC BIT(8)
/* 0xD.1 EAX: XSAVEOPT, XSAVEC, XGETBV1 kept; XSAVES and XFD hidden. */
#define XSAVE1_EAX_KEEP (BIT(0) | BIT(1) | BIT(2))

/* Bytes of a standard-format XSAVE area holding the components in `mask`. */
static uint32_t xstate_size(uint64_t mask)
{
	uint32_t size = 576, r[4];   /* legacy region + XSAVE header */
	unsigned i;

	for (i = 2; i < 63; i++) {
		if (!(mask & (1ULL << i)))
			continue;
		arch_host_cpuid(0xd, i, r);
		if (r[1] + r[0] > size)
			size = r[1] + r[0];
	}
	return size;
}

static void xsave_leaf(struct vcpu *v, uint32_t subleaf, uint32_t r[4])
{
	uint64_t allowed = pv_xcr0_allowed();
	uint64_t xcr0 = av(v)->xcr0 ? av(v)->xcr0 : (XSTATE_X87 | XSTATE_SSE);
	uint32_t l1[4];

	arch_host_cpuid(1, 0, l1);
	if (!(l1[2] & L1_ECX_XSAVE)) {
		r[0] = r[1] = r[2] = r[3] = 0;
	} else if (subleaf == 0) {
		r[0] = (uint32_t)allowed;
		r[3] = (uint32_t)(allowed >> 32);
		r[1] = xstate_size(xcr0 & allowed);
		r[2] = xstate_size(allowed);
	} else if (subleaf == 1) {
		r[0] &= XSAVE1_EAX_KEEP;
		r[1] = r[2] = r[3] = 0;
	} else if (subleaf >= 63 || !(allowed & (1ULL << subleaf))) {
		r[0] = r[1] = r[2] = r[3] = 0;
	}
}

static void basic_leaf(struct vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	switch (leaf) {
	case 0:
		r[0] = MIN(r[0], MAX_BASIC_LEAF);
		break;
	case 1:
		/* Initial APIC ID: vCPU id * 2, as Xen reports it. */
		r[1] = (r[1] & 0x00ffffffu) | ((v->vcpu_id * 2) & 0xff) << 24;
		r[2] &= ~L1_ECX_HIDE;
		if ((r[2] & L1_ECX_XSAVE) && (pv_guest_cr4(v) & X86_CR4_OSXSAVE))
			r[2] |= L1_ECX_OSXSAVE;
		if (!(pv_xcr0_allowed() & XSTATE_YMM))
			r[2] &= ~L1_ECX_NEED_YMM;
		r[2] |= L1_ECX_HYPERVISOR;
		r[3] &= ~L1_EDX_HIDE;
		if (!v->domain->is_privileged)
			r[3] &= ~L1_EDX_APIC;
		break;
	case 2: case 4:
		break;   /* cache descriptors: the host's */
	case 7:
		if (subleaf != 0) {
			r[0] = r[1] = r[2] = r[3] = 0;
			break;
		}
		r[0] = 0;   /* no sub-leaves beyond 0 */
		r[1] &= ~L7_EBX_HIDE;
		if (!(pv_xcr0_allowed() & XSTATE_YMM))
			r[1] &= ~L7_EBX_AVX2;
		if ((pv_xcr0_allowed() & XSTATE_AVX512) != XSTATE_AVX512)
			r[1] &= ~L7_EBX_AVX512F;
		r[2] &= ~L7_ECX_HIDE;
		r[3] &= ~L7_EDX_HIDE;
		break;
	case 0xd:
		xsave_leaf(v, subleaf, r);
		break;
	default:
		/* 3 (PSN), 5 (MONITOR), 6 (power), 9 (DCA), 0xa (PMU), 0xb (topology), ... */
		r[0] = r[1] = r[2] = r[3] = 0;
		break;
	}
}

static void extended_leaf(uint32_t leaf, uint32_t r[4])
{
	switch (leaf) {
	case 0x80000000:
		r[0] = MIN(r[0], MAX_EXTENDED_LEAF);
		break;
	case 0x80000001:
		r[2] &= ~E1_ECX_HIDE;
		r[3] &= ~E1_EDX_HIDE;
		break;
	case 0x80000002: case 0x80000003: case 0x80000004:   /* brand string */
	case 0x80000005: case 0x80000006:                    /* caches */
		break;
	case 0x80000007:
		r[0] = r[1] = r[2] = 0;
		r[3] &= E7_EDX_INVARIANT_TSC;
		break;
	case 0x80000008:
		/* Address sizes and core count; the AMD speculation bits are hidden. */
		r[1] = r[3] = 0;
		break;
	default:
		r[0] = r[1] = r[2] = r[3] = 0;
		break;
	}
}

static void xen_leaf(uint32_t leaf, uint32_t r[4])
{
	r[0] = r[1] = r[2] = r[3] = 0;
	switch (leaf - XEN_CPUID_FIRST_LEAF) {
	case 0:
		r[0] = XEN_MAX_LEAF;
		r[1] = XEN_CPUID_SIGNATURE_EBX;
		r[2] = XEN_CPUID_SIGNATURE_ECX;
		r[3] = XEN_CPUID_SIGNATURE_EDX;
		break;
	case 1:
		r[0] = (PV_XEN_VERSION_MAJOR << 16) | PV_XEN_VERSION_MINOR;
		break;
	case 2:
		r[0] = 1;                       /* hypercall pages */
		r[1] = XEN_CPUID_FIRST_LEAF;    /* MSR that fills one in (HVM) */
		r[2] = XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD;
		break;
	case 5:
		r[1] = pv_cpuid_maddr_bits & XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK;
		break;
	default:
		/* 3: TSC mode 0 (native), no scaling data; 4: HVM only. */
		break;
	}
}

void pv_cpuid(struct vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	uint32_t max[4];

	out[0] = out[1] = out[2] = out[3] = 0;
	if (leaf >= XEN_CPUID_FIRST_LEAF && leaf <= XEN_MAX_LEAF) {
		xen_leaf(leaf, out);
		return;
	}
	if (leaf < XEN_CPUID_FIRST_LEAF) {
		arch_host_cpuid(0, 0, max);
		if (leaf > MIN(max[0], MAX_BASIC_LEAF))
			return;
		arch_host_cpuid(leaf, subleaf, out);
		basic_leaf(v, leaf, subleaf, out);
		pv_cpuid_policy_apply(v->domain, leaf, subleaf, out);
		return;
	}
	if (leaf >= 0x80000000 && leaf <= MAX_EXTENDED_LEAF) {
		arch_host_cpuid(0x80000000, 0, max);
		if (max[0] < 0x80000000 || leaf > max[0])
			return;
		arch_host_cpuid(leaf, subleaf, out);
		extended_leaf(leaf, out);
		pv_cpuid_policy_apply(v->domain, leaf, subleaf, out);
	}
	/* Everything else, including other hypervisors' 0x400xxxxx leaves: zero. */
}

/*
 * The guest kernel's enlightened CPUID (forced-emulation prefix) also
 * reports OSXSAVE whenever the hypervisor has XSAVE on, before the guest
 * set its own CR4.OSXSAVE. That is Xen's long-standing, non-architectural
 * behaviour and part of the PV ABI: Linux's xen_check_xsave() uses XSAVE
 * only if it sees XSAVE and OSXSAVE there at boot.
 */
void pv_cpuid_enlightened(struct vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	pv_cpuid(v, leaf, subleaf, out);
	if (leaf == 1 && av(v)->in_kernel && (out[2] & L1_ECX_XSAVE))
		out[2] |= L1_ECX_OSXSAVE;
}
