/* Model-specific register numbers and bits: the one list (Intel SDM vol. 4, AMD APM vol. 2). */
#ifndef ASM_MSR_H
#define ASM_MSR_H

#define MSR_IA32_TSC              0x00000010
#define MSR_APIC_BASE             0x0000001b
#define MSR_FEATURE_CONTROL       0x0000003a
#define MSR_SPEC_CTRL             0x00000048
#define MSR_PRED_CMD              0x00000049
#define MSR_UCODE_REV             0x0000008b   /* Intel BIOS_SIGN_ID; AMD PATCH_LEVEL */
#define MSR_PERFCTR0              0x000000c1   /* .. 0xc8 */
#define MSR_PLATFORM_INFO         0x000000ce
#define MSR_MTRR_CAP              0x000000fe
#define MSR_ARCH_CAPABILITIES     0x0000010a
#define MSR_FLUSH_CMD             0x0000010b
#define MSR_MISC_FEATURES_ENABLES 0x00000140
#define MSR_SYSENTER_CS           0x00000174
#define MSR_SYSENTER_ESP          0x00000175
#define MSR_SYSENTER_EIP          0x00000176
#define MSR_MCG_CAP               0x00000179
#define MSR_MCG_STATUS            0x0000017a
#define MSR_MCG_CTL               0x0000017b
/* Xen's virtual MCE: two banks of four MSRs (CTL, STATUS, ADDR, MISC) from MC0_CTL. */
#define MSR_MC0_CTL               0x00000400
#define PV_MC_BANKS               2
#define MSR_PERFEVTSEL0           0x00000186   /* .. 0x18d */
#define MSR_MISC_ENABLE           0x000001a0
#define MSR_DEBUGCTL              0x000001d9
#define MSR_PAT                   0x00000277
#define MSR_MTRR_DEF_TYPE         0x000002ff
#define MSR_FIXED_CTR0            0x00000309   /* .. 0x30b */
#define MSR_PERF_CAPABILITIES     0x00000345
#define MSR_FIXED_CTR_CTRL        0x0000038d
#define MSR_PERF_GLOBAL_STATUS    0x0000038e
#define MSR_PERF_GLOBAL_CTRL      0x0000038f
#define MSR_PERF_GLOBAL_OVF_CTRL  0x00000390
#define MSR_XSS                   0x00000da0
#define MSR_EFER                  0xc0000080
#define MSR_STAR                  0xc0000081
#define MSR_LSTAR                 0xc0000082
#define MSR_CSTAR                 0xc0000083
#define MSR_SYSCALL_MASK          0xc0000084
#define MSR_FS_BASE               0xc0000100
#define MSR_GS_BASE               0xc0000101
#define MSR_KERNEL_GS_BASE        0xc0000102   /* the inactive GS base (SWAPGS) */
#define MSR_TSC_AUX               0xc0000103

#define EFER_SVME                 (1ULL << 12)
#define APIC_BASE_BSP             (1ULL << 8)
#define APIC_BASE_ENABLE          (1ULL << 11)
#define APIC_BASE_DEFAULT         0xfee00000ULL
#define FEATURE_CONTROL_LOCKED    (1ULL << 0)
#define MISC_ENABLE_FAST_STRING   (1ULL << 0)
#define MISC_ENABLE_BTS_UNAVAIL   (1ULL << 11)
#define MISC_ENABLE_PEBS_UNAVAIL  (1ULL << 12)

#endif
