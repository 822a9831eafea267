/*
 * RDMSR/WRMSR as a PV guest sees them.
 *
 * A PV kernel reaches MSRs two ways: a few native instructions that are
 * not paravirtualised (the GS-base WRMSR in startup_xen, Intel's microcode
 * revision probe), and the pv-op accessors, which trap the same way. Both
 * come here through the emulator. The policy is a whitelist: the MSRs of
 * docs/linux-pv-abi.md §5.3 are virtual (no guest value ever reaches a
 * real MSR except its own segment bases and TSC_AUX); everything else is
 * #GP(0), which Linux's safe accessors absorb.
 *
 * Segment bases follow SWAPGS semantics, as in Xen: MSR_GS_BASE is the
 * base active in the vCPU's current mode, MSR_KERNEL_GS_BASE the other
 * one. In guest kernel mode that is gs_base_kernel and gs_base_user. For
 * the vCPU on this CPU the real MSRs are written too, so the new base
 * takes effect at once; pv_load_vcpu_state() loads them on a switch.
 */
#include <asm/pv.h>
#include <console.h>
#include "emulate.h"

static bool is_live(struct vcpu *v)
{
	return current_vcpu() == v;
}

static bool host_has_tsc_aux(void)
{
	uint32_t r[4];

	arch_host_cpuid(0x80000000, 0, r);
	if (r[0] >= 0x80000001) {
		arch_host_cpuid(0x80000001, 0, r);
		if (r[3] & (1u << 27))             /* RDTSCP */
			return true;
	}
	arch_host_cpuid(0, 0, r);
	if (r[0] < 7)
		return false;
	arch_host_cpuid(7, 0, r);
	return r[2] & (1u << 22);                  /* RDPID */
}

/* FS_BASE, GS_BASE, KERNEL_GS_BASE: the active and inactive GS by mode. */
static uint64_t *base_slot(struct vcpu *v, uint32_t msr)
{
	struct arch_vcpu *a = av(v);

	if (msr == MSR_FS_BASE)
		return &a->fs_base;
	if (msr == MSR_GS_BASE)
		return a->in_kernel ? &a->gs_base_kernel : &a->gs_base_user;
	return a->in_kernel ? &a->gs_base_user : &a->gs_base_kernel;
}

static bool write_base(struct vcpu *v, uint32_t msr, uint64_t val)
{
	/*
	 * Canonical only, as on hardware and in Xen. A base inside the
	 * hypervisor's hole is harmless: the guest's own accesses through it
	 * still go through its page tables, which cannot map the hole.
	 */
	if (!is_canonical(val))
		return false;
	*base_slot(v, msr) = val;
	if (is_live(v))
		arch_host_wrmsr(msr, val);
	return true;
}

/* MISC_ENABLE: fast strings on, no BTS/PEBS, no MWAIT, no CPUID limit. */
#define GUEST_MISC_ENABLE \
	(MISC_ENABLE_FAST_STRING | MISC_ENABLE_BTS_UNAVAIL | MISC_ENABLE_PEBS_UNAVAIL)

static bool is_perf_msr(uint32_t msr)
{
	return (msr >= MSR_PERFCTR0 && msr <= MSR_PERFCTR0 + 7) ||
	       (msr >= MSR_PERFEVTSEL0 && msr <= MSR_PERFEVTSEL0 + 7) ||
	       (msr >= MSR_FIXED_CTR0 && msr <= MSR_FIXED_CTR0 + 2) ||
	       (msr >= MSR_FIXED_CTR_CTRL && msr <= MSR_PERF_GLOBAL_OVF_CTRL) ||
	       msr == MSR_PERF_CAPABILITIES;
}

bool pv_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	struct arch_vcpu *a = av(v);

	/* The PMU is hidden (CPUID 0xa is zero): its MSRs read as an idle one. */
	if (is_perf_msr(msr)) {
		*val = 0;
		return true;
	}
	switch (msr) {
	case MSR_FS_BASE: case MSR_GS_BASE: case MSR_KERNEL_GS_BASE:
		*val = *base_slot(v, msr);
		return true;
	case MSR_IA32_TSC:
		*val = arch_host_rdtsc();
		return true;
	case MSR_TSC_AUX:
		*val = a->msr_tsc_aux;
		return true;
	case MSR_EFER:
		/* LME/LMA/NXE/SCE as the CPU runs; SVM is not the guest's. */
		*val = arch_host_rdmsr(MSR_EFER) & ~EFER_SVME;
		return true;
	case MSR_PAT:
		*val = a->msr_pat ? a->msr_pat : XEN_PV_PAT;
		return true;
	case MSR_APIC_BASE:
		*val = APIC_BASE_DEFAULT | APIC_BASE_ENABLE | (v->vcpu_id == 0 ? APIC_BASE_BSP : 0);
		return true;
	case MSR_FEATURE_CONTROL:
		*val = FEATURE_CONTROL_LOCKED;    /* locked with VMX off: nothing to enable */
		return true;
	case MSR_MISC_ENABLE:
		*val = GUEST_MISC_ENABLE;
		return true;
	case MSR_STAR: case MSR_SYSCALL_MASK:
	case MSR_SYSENTER_CS: case MSR_SYSENTER_ESP: case MSR_SYSENTER_EIP:
		*val = 0;
		return true;
	case MSR_LSTAR:
		*val = a->syscall_cb.address;
		return true;
	case MSR_CSTAR:
		*val = a->syscall32_cb.address;
		return true;
	case MSR_UCODE_REV:
	case MSR_SPEC_CTRL:
	case MSR_PLATFORM_INFO:
	case MSR_MISC_FEATURES_ENABLES:
	case MSR_MTRR_CAP:
	case MSR_MTRR_DEF_TYPE:
	case MSR_MCG_STATUS: case MSR_MCG_CTL:
	case MSR_DEBUGCTL:
	case MSR_XSS:
		*val = 0;
		return true;
	case MSR_MCG_CAP:
		*val = PV_MC_BANKS;   /* Xen's vMCE: two banks, nothing else */
		return true;
	default:
		if (msr - MSR_MC0_CTL < 4 * PV_MC_BANKS) {
			*val = 0;     /* no error ever logged */
			return true;
		}
		return false;
	}
}

bool pv_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val)
{
	struct arch_vcpu *a = av(v);

	if (is_perf_msr(msr))
		return val == 0 || msr == MSR_PERF_GLOBAL_OVF_CTRL;
	switch (msr) {
	case MSR_FS_BASE: case MSR_GS_BASE: case MSR_KERNEL_GS_BASE:
		return write_base(v, msr, val);
	case MSR_TSC_AUX:
		if (val >> 32)
			return false;
		a->msr_tsc_aux = val;
		if (is_live(v) && host_has_tsc_aux())
			arch_host_wrmsr(MSR_TSC_AUX, val);
		return true;
	case MSR_STAR: case MSR_LSTAR: case MSR_CSTAR: case MSR_SYSCALL_MASK:
	case MSR_SYSENTER_CS: case MSR_SYSENTER_ESP: case MSR_SYSENTER_EIP:
		/* The hypervisor owns the syscall entry; the guest's are callbacks. */
		return true;
	case MSR_IA32_TSC:
		/* One TSC for every domain: accepted and ignored. */
		return true;
	case MSR_UCODE_REV:
		/* Intel's revision probe writes 0 first (native, unprotected). */
		return true;
	case MSR_PRED_CMD: case MSR_FLUSH_CMD:
		/* Barriers the hypervisor already issues on its own switches. */
		return val <= 1;
	case MSR_SPEC_CTRL:
	case MSR_MISC_FEATURES_ENABLES:
	case MSR_MCG_STATUS: case MSR_MCG_CTL:
	case MSR_DEBUGCTL:
	case MSR_XSS:
		return val == 0;
	case MSR_PAT:
		/* The PAT in force is the hypervisor's; only it may be "written". */
		return val == XEN_PV_PAT;
	case MSR_EFER:
		return val == (arch_host_rdmsr(MSR_EFER) & ~EFER_SVME);
	case MSR_MISC_ENABLE:
		return val == GUEST_MISC_ENABLE;
	case MSR_APIC_BASE:
		return val == (APIC_BASE_DEFAULT | APIC_BASE_ENABLE |
			       (v->vcpu_id == 0 ? APIC_BASE_BSP : 0));
	default:
		/* bank enables and clears (Linux writes all ones, then zeros): ignored */
		return msr - MSR_MC0_CTL < 4 * PV_MC_BANKS;
	}
}
