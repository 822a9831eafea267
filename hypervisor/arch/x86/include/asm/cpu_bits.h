/*
 * Architectural bit positions, the one list: RFLAGS, CR0, CR4, the debug
 * registers and the page-fault error code (Intel SDM vol. 3, AMD APM vol. 2).
 */
#ifndef ASM_CPU_BITS_H
#define ASM_CPU_BITS_H

#define X86_RFLAGS_CF    (1ULL << 0)
#define X86_RFLAGS_PF    (1ULL << 2)
#define X86_RFLAGS_AF    (1ULL << 4)
#define X86_RFLAGS_ZF    (1ULL << 6)
#define X86_RFLAGS_SF    (1ULL << 7)
#define X86_RFLAGS_TF    (1ULL << 8)
#define X86_RFLAGS_IF    (1ULL << 9)
#define X86_RFLAGS_DF    (1ULL << 10)
#define X86_RFLAGS_IOPL  (3ULL << 12)
#define X86_RFLAGS_OF    (1ULL << 11)
#define X86_RFLAGS_NT    (1ULL << 14)
#define X86_RFLAGS_RF    (1ULL << 16)
#define X86_RFLAGS_VM    (1ULL << 17)
#define X86_RFLAGS_AC    (1ULL << 18)

#define X86_CR0_PE  (1ULL << 0)
#define X86_CR0_MP  (1ULL << 1)
#define X86_CR0_EM  (1ULL << 2)
#define X86_CR0_TS  (1ULL << 3)
#define X86_CR0_ET  (1ULL << 4)
#define X86_CR0_NE  (1ULL << 5)
#define X86_CR0_WP  (1ULL << 16)
#define X86_CR0_AM  (1ULL << 18)
#define X86_CR0_PG  (1ULL << 31)

#define X86_CR4_TSD        (1ULL << 2)
#define X86_CR4_DE         (1ULL << 3)
#define X86_CR4_PAE        (1ULL << 5)
#define X86_CR4_OSFXSR     (1ULL << 9)
#define X86_CR4_OSXMMEXCPT (1ULL << 10)
#define X86_CR4_OSXSAVE    (1ULL << 18)

#define DR6_BS          (1ULL << 14)
#define DR6_RESERVED_1  0xffff0ff0ULL   /* read as one: DR6 with no status bit set */
#define DR7_RESERVED_1  (1ULL << 10)
#define DR7_RESERVED_0  ((1ULL << 11) | (1ULL << 12) | (1ULL << 14) | (1ULL << 15))
#define DR7_GD          (1ULL << 13)

#define PFEC_P      (1ULL << 0)
#define PFEC_WRITE  (1ULL << 1)
#define PFEC_USER   (1ULL << 2)
#define PFEC_RSVD   (1ULL << 3)
#define PFEC_INSN   (1ULL << 4)

#endif
