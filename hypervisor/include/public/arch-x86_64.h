/*
 * public/arch-x86_64.h - the x86-64 specific part of the PV guest ABI.
 *
 * Address-space constants, the flat segment selectors the hypervisor
 * reserves, the per-vCPU and per-domain arch blocks of vcpu_info and
 * shared_info, the trap table, the iret hypercall frame, the register file
 * and the full vCPU context used by VCPUOP_initialise, and the CPUID leaves
 * the hypervisor reports.  Included by public/xen.h; freestanding.
 */
#ifndef PUBLIC_ARCH_X86_64_H
#define PUBLIC_ARCH_X86_64_H

#include <stddef.h>
#include <stdint.h>

/* ---- Virtual address space --------------------------------------------
 * The hypervisor owns L4 slots 256-271 of every guest address space.  The
 * start of that hole holds the machine-to-phys table (one 8-byte pfn per
 * machine frame), readable by the guest kernel.
 */
#define HYPERVISOR_VIRT_START   0xFFFF800000000000ULL
#define HYPERVISOR_VIRT_END     0xFFFF880000000000ULL
#define MACH2PHYS_VIRT_START    0xFFFF800000000000ULL
#define MACH2PHYS_VIRT_END      0xFFFF804000000000ULL
#define MACH2PHYS_NR_ENTRIES    ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)

/* First GDT entry the guest may not use: Xen's flat selectors live above. */
#define FIRST_RESERVED_GDT_PAGE   14
#define FIRST_RESERVED_GDT_BYTE   (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY  (FIRST_RESERVED_GDT_BYTE / 8)   /* 7168 */

/* ---- Flat selectors provided by the hypervisor (all RPL 3) ------------ */
#define FLAT_RING3_CS32   0xe023
#define FLAT_RING3_CS64   0xe033
#define FLAT_RING3_DS32   0xe02b
#define FLAT_RING3_DS64   0x0000
#define FLAT_RING3_SS32   0xe02b
#define FLAT_RING3_SS64   0xe02b
#define FLAT_KERNEL_CS64  FLAT_RING3_CS64
#define FLAT_KERNEL_CS32  FLAT_RING3_CS32
#define FLAT_KERNEL_CS    FLAT_KERNEL_CS64
#define FLAT_KERNEL_DS64  FLAT_RING3_DS64
#define FLAT_KERNEL_DS32  FLAT_RING3_DS32
#define FLAT_KERNEL_DS    FLAT_KERNEL_DS64
#define FLAT_KERNEL_SS64  FLAT_RING3_SS64
#define FLAT_KERNEL_SS32  FLAT_RING3_SS32
#define FLAT_KERNEL_SS    FLAT_KERNEL_SS64
#define FLAT_USER_CS64    FLAT_RING3_CS64
#define FLAT_USER_CS32    FLAT_RING3_CS32
#define FLAT_USER_CS      FLAT_USER_CS64
#define FLAT_USER_DS64    FLAT_RING3_DS64
#define FLAT_USER_DS32    FLAT_RING3_DS32
#define FLAT_USER_DS      FLAT_USER_DS64
#define FLAT_USER_SS64    FLAT_RING3_SS64
#define FLAT_USER_SS32    FLAT_RING3_SS32
#define FLAT_USER_SS      FLAT_USER_SS64

/* ---- set_segment_base (#25) ---------------------------------------------
 * long set_segment_base(unsigned int which, uint64_t value)
 *   SEGBASE_FS          FS base
 *   SEGBASE_GS_USER     GS base used in guest user mode
 *   SEGBASE_GS_KERNEL   GS base used in guest kernel mode
 *   SEGBASE_GS_USER_SEL load the user-mode %gs selector (value[15:0]),
 *                       keeping the kernel GS base
 * Who: the guest kernel.
 * Errors: -EINVAL unknown `which`, non-canonical base, or a selector that
 *   does not load (faults are turned into an error).
 */
#define SEGBASE_FS           0
#define SEGBASE_GS_USER      1
#define SEGBASE_GS_KERNEL    2
#define SEGBASE_GS_USER_SEL  3

/* ---- set_trap_table (#0) -------------------------------------------------
 * long set_trap_table(const struct trap_info *table)
 * Replace the vCPU's virtual IDT with the entries of `table`, which ends at
 * the first entry whose address is 0.  table == NULL clears the whole table.
 * flags bits 0-1: the DPL a software `int` needs to reach the vector; bit 2
 * (TI_INTERRUPT_GATE): set the upcall mask when delivering.
 * cs is forced to RPL 3.
 * Who: the guest kernel.
 * Errors: -EFAULT table unreadable (entries before the bad one are set).
 */
#define TI_DPL_MASK          3u
#define TI_INTERRUPT_GATE    (1u << 2)

struct trap_info {
	uint8_t  vector;    /* IN: exception or interrupt vector */
	uint8_t  flags;     /* IN: TI_* */
	uint16_t cs;        /* IN: code selector of the handler */
	uint32_t _pad;
	uint64_t address;   /* IN: handler VA; 0 ends the table */
};

/* ---- iret (#23) ------------------------------------------------------------
 * long iret(void)
 * Return from an exception, event or syscall bounce.  At the hypercall the
 * guest stack (RSP) holds a struct iret_context.  The hypervisor restores
 * RAX, R11, RCX, RIP, CS (RPL forced to 3), RFLAGS (IOPL and reserved bits
 * ignored), RSP and SS, sets the upcall mask from !RFLAGS.IF, and switches
 * to guest user mode (user L4) when the saved CS is a user selector.
 * flags & VGCF_in_syscall: return as from a syscall: RCX/R11 are not
 * restored (they carry the return RIP/RFLAGS by convention).
 * Does not return to the caller.  A frame that cannot be read, or a return
 * to user mode without a user L4, crashes the domain.
 */
#define _VGCF_in_syscall   8
#define VGCF_in_syscall    (1u << _VGCF_in_syscall)
#define VGCF_IN_SYSCALL    VGCF_in_syscall

struct iret_context {
	uint64_t rax, r11, rcx, flags, rip, cs, rflags, rsp, ss;
};

/* ---- Other x86 hypercalls without a sub-op header -------------------------
 * All are issued by the guest kernel of a PV domain.
 *
 * long stack_switch(uint64_t ss, uint64_t sp)                           (#3)
 *   Stack (selector, pointer) used for bounces that arrive while the vCPU
 *   is in guest user mode.  Errors: -EPERM ss is not a valid ring-3 data
 *   selector; -EINVAL non-canonical sp.
 * long set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall) (#4)
 *   Old form of callback_op(CALLBACKOP_register) for the three 64-bit
 *   callbacks.  Returns 0.
 * long fpu_taskswitch(int set)                                          (#5)
 *   set != 0: set the virtual CR0.TS (the next FPU use raises #NM in the
 *   guest); set == 0: clear it.  Returns 0.
 * long set_debugreg(int reg, uint64_t value)                            (#8)
 *   reg 0-3 (addresses: must be canonical and below the hypervisor range,
 *   else -EPERM), 6, 7 (reserved bits and disallowed enables refused);
 *   4 and 5 are aliases of 6 and 7 while CR4.DE is clear.  Other: -EINVAL.
 * uint64_t get_debugreg(int reg)                                        (#9)
 *   Value of DR0-3/6/7 (4/5 as aliases); -ENODEV for other registers.
 * long set_gdt(const xen_pfn_t *frames, unsigned int entries)           (#2)
 *   Install a new GDT of `entries` descriptors (at most
 *   FIRST_RESERVED_GDT_ENTRY) held in the listed frames, which must be
 *   owned by the caller, not writably mapped, and hold only valid
 *   descriptors (DPL-0 code/data are raised to DPL 3).
 *   Errors: -EINVAL too many entries or invalid descriptor; -EFAULT frames
 *   unreadable.
 * long update_descriptor(uint64_t maddr, uint64_t desc)                (#10)
 *   Validate and write one 8-byte descriptor at machine address maddr
 *   (8-byte aligned) inside a GDT/LDT frame of the caller.
 *   Errors: -EINVAL unaligned address or invalid descriptor; -EPERM frame.
 * long set_timer_op(uint64_t timeout_abs_ns)                           (#15)
 *   Arm the vCPU's single-shot timer at an absolute system time (0:
 *   cancel); VIRQ_TIMER fires when it expires.  Returns 0.
 * long nmi_op(unsigned int cmd, void *arg)                             (#28)
 *   XENNMI_register_callback (0) / XENNMI_unregister_callback (1); not
 *   supported for 64-bit PV guests by Xen 4.17 (-ENOSYS/-EINVAL).
 */
#define XENNMI_register_callback    0
#define XENNMI_unregister_callback  1

/* ---- Register file (VCPUOP_initialise, domctl) -------------------------- */
struct cpu_user_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi;
	uint32_t error_code;          /* private */
	uint32_t entry_vector;        /* private */
	uint64_t rip;
	uint16_t cs, _pad0[1];
	uint8_t  saved_upcall_mask;
	uint8_t  _pad1[3];
	uint64_t rflags;
	uint64_t rsp;
	uint16_t ss, _pad2[3];
	uint16_t es, _pad3[3];
	uint16_t ds, _pad4[3];
	uint16_t fs, _pad5[3];
	uint16_t gs, _pad6[3];
};

/* vcpu_guest_context.flags */
#define VGCF_i387_valid                 (1u << 0)
#define VGCF_in_kernel                  (1u << 2)
#define VGCF_failsafe_disables_events   (1u << 3)
#define VGCF_syscall_disables_events    (1u << 4)
#define VGCF_online                     (1u << 5)

struct vcpu_guest_context {
	uint8_t  fpu_ctxt[512];        /* FXSAVE image, if VGCF_i387_valid */
	uint64_t flags;                /* VGCF_* */
	struct cpu_user_regs user_regs;
	struct trap_info trap_ctxt[256];
	uint64_t ldt_base, ldt_ents;
	uint64_t gdt_frames[16], gdt_ents;
	uint64_t kernel_ss, kernel_sp; /* stack for bounces from user mode */
	uint64_t ctrlreg[8];           /* CR3 = kernel L4, ctrlreg[1] = user L4 */
	uint64_t debugreg[8];
	uint64_t event_callback_eip;
	uint64_t failsafe_callback_eip;
	uint64_t syscall_callback_eip;
	uint64_t vm_assist;            /* VMASST_TYPE_* bitmap */
	uint64_t fs_base;
	uint64_t gs_base_kernel;
	uint64_t gs_base_user;
};

/* Page-frame <-> CR3 in ctrlreg[]: the frame number shifted by 12. */
#define xen_pfn_to_cr3(pfn)  ((uint64_t)(pfn) << 12)
#define xen_cr3_to_pfn(cr3)  ((uint64_t)(cr3) >> 12)

/* ---- Arch blocks of vcpu_info and shared_info ----------------------------- */
struct arch_vcpu_info {
	uint64_t cr2;    /* OUT: faulting address of the last #PF bounced */
	uint64_t pad;
};

struct arch_shared_info {
	uint64_t max_pfn;                     /* guest-written: p2m size */
	uint64_t pfn_to_mfn_frame_list_list;  /* guest-written */
	uint64_t nmi_reason;                  /* bit 0 IOCHK, bit 1 SERR */
	uint64_t p2m_cr3;                     /* guest-written */
	uint64_t p2m_vaddr;                   /* guest-written */
	uint64_t p2m_generation;              /* guest-written */
};

/* ---- Forced emulation prefix ----------------------------------------------
 * `ud2; .ascii "xen"` before an instruction asks the hypervisor to emulate
 * it (CPUID, so the guest sees the PV policy rather than the host's).
 */
#define XEN_EMULATE_PREFIX_BYTES  0x0f, 0x0b, 0x78, 0x65, 0x6e
#define XEN_EMULATE_PREFIX_LEN    5

/* ---- CPUID leaves reported by the hypervisor ------------------------------
 * Base leaf 0x40000000 (or 0x40000100 when another signature comes first):
 *   EAX = highest hypervisor leaf, EBX:ECX:EDX = "XenVMMXenVMM".
 * +1: EAX = version (major << 16 | minor).
 * +2: EAX = number of hypercall pages (1), EBX = MSR base for setting
 *     them up (HVM), ECX = features 1 (bit 0: MMU_PT_UPDATE_PRESERVE_AD),
 *     EDX = features 2.
 * +3: time and TSC parameters.  +4: HVM features.
 * +5: EBX[7:0] machine address width (PV).
 */
#define XEN_CPUID_FIRST_LEAF        0x40000000u
#define XEN_CPUID_LEAF(i)           (XEN_CPUID_FIRST_LEAF + (i))
#define XEN_CPUID_SIGNATURE_EBX     0x566e6558u   /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX     0x65584d4du   /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX     0x4d4d566eu   /* "nVMM" */
#define XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD  (1u << 0)
#define XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK       0xffu

/* PAT value in force while a PV guest runs (RDMSR 0x277 returns it). */
#define XEN_PV_PAT   0x0000050100070406ULL

_Static_assert(sizeof(struct trap_info) == 16, "trap_info size");
_Static_assert(offsetof(struct trap_info, address) == 8, "trap_info address");
_Static_assert(sizeof(struct iret_context) == 72, "iret_context size");
_Static_assert(sizeof(struct cpu_user_regs) == 200, "cpu_user_regs size");
_Static_assert(offsetof(struct cpu_user_regs, rax) == 80, "regs rax");
_Static_assert(offsetof(struct cpu_user_regs, rdi) == 112, "regs rdi");
_Static_assert(offsetof(struct cpu_user_regs, error_code) == 120, "regs ec");
_Static_assert(offsetof(struct cpu_user_regs, rip) == 128, "regs rip");
_Static_assert(offsetof(struct cpu_user_regs, cs) == 136, "regs cs");
_Static_assert(offsetof(struct cpu_user_regs, saved_upcall_mask) == 140, "mask");
_Static_assert(offsetof(struct cpu_user_regs, rflags) == 144, "regs rflags");
_Static_assert(offsetof(struct cpu_user_regs, ss) == 160, "regs ss");
_Static_assert(offsetof(struct cpu_user_regs, gs) == 192, "regs gs");
_Static_assert(sizeof(struct vcpu_guest_context) == 5168, "vgc size");
_Static_assert(offsetof(struct vcpu_guest_context, flags) == 512, "vgc flags");
_Static_assert(offsetof(struct vcpu_guest_context, user_regs) == 520, "vgc regs");
_Static_assert(offsetof(struct vcpu_guest_context, trap_ctxt) == 720, "vgc traps");
_Static_assert(offsetof(struct vcpu_guest_context, ldt_base) == 4816, "vgc ldt");
_Static_assert(offsetof(struct vcpu_guest_context, gdt_frames) == 4832, "vgc gdt");
_Static_assert(offsetof(struct vcpu_guest_context, gdt_ents) == 4960, "vgc gdt_ents");
_Static_assert(offsetof(struct vcpu_guest_context, kernel_ss) == 4968, "vgc kss");
_Static_assert(offsetof(struct vcpu_guest_context, ctrlreg) == 4984, "vgc cr");
_Static_assert(offsetof(struct vcpu_guest_context, debugreg) == 5048, "vgc dr");
_Static_assert(offsetof(struct vcpu_guest_context, event_callback_eip) == 5112, "ev");
_Static_assert(offsetof(struct vcpu_guest_context, syscall_callback_eip) == 5128, "sc");
_Static_assert(offsetof(struct vcpu_guest_context, vm_assist) == 5136, "vma");
_Static_assert(offsetof(struct vcpu_guest_context, gs_base_user) == 5160, "gsu");
_Static_assert(sizeof(struct arch_vcpu_info) == 16, "arch_vcpu_info size");
_Static_assert(sizeof(struct arch_shared_info) == 48, "arch_shared_info size");

/*
 * A CPU policy as the toolstack reads and writes it (XEN_DOMCTL_get/
 * set_cpu_policy, XEN_SYSCTL_get_cpu_policy): one entry per CPUID leaf
 * (and sub-leaf, XEN_CPUID_NO_SUBLEAF for leaves without any) and per MSR.
 */
#define XEN_CPUID_NO_SUBLEAF 0xffffffffu
struct xen_cpuid_leaf {
	uint32_t leaf, subleaf;
	uint32_t a, b, c, d;
};

struct xen_msr_entry {
	uint32_t idx;
	uint32_t flags;                 /* must be 0 */
	uint64_t val;
};

#endif /* PUBLIC_ARCH_X86_64_H */
