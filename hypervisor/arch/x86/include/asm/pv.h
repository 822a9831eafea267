/*
 * x86-64 PV guest state: what the hypervisor keeps for each PV domain and vCPU.
 *
 * A PV guest runs its kernel and its user space both in ring 3. The vCPU is in
 * "guest kernel mode" or "guest user mode" (in_kernel); each mode has its own
 * top-level page table and GS base. The hypervisor switches them on syscall,
 * on exceptions and events raised in user mode, and on the iret hypercall.
 */
#ifndef ASM_PV_H
#define ASM_PV_H

#include <domain.h>
#include <asm/cpu.h>
#include <public/xen.h>
#include <public/arch-x86_64.h>

/* A registered callback (event, failsafe, syscall, ...). */
struct pv_callback {
	uint64_t address;            /* 0: not registered */
	bool mask_events;            /* CALLBACKF_mask_events: set the upcall mask on entry */
};

#define LDT_ENTRIES 8192
#define LDT_FRAMES  (LDT_ENTRIES * 8 / 4096)

struct arch_vcpu {
	/*
	 * The guest's registers while it is not on a CPU. While it runs, the live
	 * copy is the frame at the top of the CPU's stack (guest_regs()).
	 */
	struct cpu_regs regs;

	bool in_kernel;                  /* guest kernel mode (else guest user mode) */
	bool context_set;                /* given a context once (getvcpucontext: else -ENODATA) */
	mfn_t kernel_l4;                 /* CR3 in kernel mode */
	mfn_t user_l4;                   /* CR3 in user mode; INVALID_MFN: none */
	mfn_t devalidating;              /* a table whose devalidation a request of ours left pending (0: none) */

	struct trap_info traps[256];     /* set_trap_table; address 0 = not set */
	struct pv_callback event_cb, failsafe_cb, syscall_cb, syscall32_cb, sysenter_cb, nmi_cb;

	uint64_t kernel_sp;              /* stack_switch: stack for entries from user mode */
	uint64_t kernel_ss;

	uint64_t fs_base;
	uint64_t gs_base_kernel;         /* GS base in guest kernel mode */
	uint64_t gs_base_user;           /* GS base in guest user mode */
	uint16_t gs_sel_user;

	unsigned iopl;                   /* virtual IOPL, from PHYSDEVOP_set_iopl */
	uint64_t cr4;                    /* the guest's view of CR4 */
	bool fpu_ts;                     /* virtual CR0.TS: next FPU use raises #NM */
	void *fpu_area;                  /* saved FPU/SSE/AVX state (xsave or fxsave format) */
	unsigned fpu_cpu;                /* the CPU whose registers it last loaded its state into */
	uint64_t xcr0;                   /* the guest's XCR0 (XSETBV), loaded while it runs */

	uint64_t debugreg[8];

	uint64_t *gdt;                   /* this vCPU's hardware GDT (guest part + ours) */
	unsigned gdt_ents;               /* guest entries in use */
	mfn_t gdt_frames[FIRST_RESERVED_GDT_PAGE];
	uint64_t ldt_base;               /* MMUEXT_SET_LDT: linear address and entries */
	unsigned ldt_ents;
	uint64_t *ldt;                   /* the hardware LDT: validated copy (NULL until first used) */
	mfn_t ldt_frames[LDT_FRAMES];    /* held PGT_seg_desc; INVALID_MFN: unused */

	uint64_t msr_pat;                /* what RDMSR(PAT) returns; writes are checked */
	uint64_t msr_tsc_aux;

	uint16_t sel_ds, sel_es, sel_fs, sel_gs;   /* data selectors, saved while not running */

	bool failsafe_pending;           /* a failsafe callback is being delivered */
	unsigned bounce_depth;           /* nested faults while delivering: 2 = triple fault */
};

struct arch_domain {
	uint64_t hypercall_page_va;      /* from the ELF note; 0: the kernel has none */
	bool writable_pagetables;        /* vm_assist granted */
	mfn_t *p2m;                      /* initial domain's pfn -> mfn, hypervisor copy */
	uint64_t nr_p2m;
	uint32_t cpuid_hidden[8];        /* feature bits the toolstack took away (pv/cpuid_policy.c) */
};

static inline struct arch_vcpu *av(struct vcpu *v) { return v->arch; }

/* The live guest frame of the vCPU running on this CPU. */
struct cpu_regs *guest_regs(void);

/* Exception vectors, as a guest sees them. */
enum {
	TRAP_divide_error = 0, TRAP_debug = 1, TRAP_nmi = 2, TRAP_int3 = 3,
	TRAP_overflow = 4, TRAP_bounds = 5, TRAP_invalid_op = 6, TRAP_no_device = 7,
	TRAP_double_fault = 8, TRAP_invalid_tss = 10, TRAP_no_segment = 11,
	TRAP_stack_error = 12, TRAP_gp_fault = 13, TRAP_page_fault = 14,
	TRAP_x87_error = 16, TRAP_alignment_check = 17, TRAP_machine_check = 18,
	TRAP_simd_error = 19,
};

/*
 * Deliver an exception to the guest through its trap table (a bounce frame on
 * its kernel stack). `error_code` < 0: the vector has none. For #PF, `cr2` is
 * written to the vCPU's vcpu_info first. Crashes the domain when the guest
 * registered no handler or its stack cannot take the frame.
 */
void pv_inject_exception(struct vcpu *v, unsigned vector, int64_t error_code, uint64_t cr2);

/*
 * Privileged-instruction emulation (arch/x86/pv/emulate.c): called for a #GP
 * or #UD raised by the guest. Returns true when the instruction was emulated
 * (registers updated, RIP advanced) or an exception was injected in its place;
 * false when it is not one we emulate: the caller then bounces the original
 * fault to the guest.
 */
bool pv_emulate_privileged(struct vcpu *v, struct cpu_regs *regs, unsigned vector);

/* CPUID as a PV guest sees it (arch/x86/pv/cpuid.c). */
void pv_cpuid(struct vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
void pv_cpuid_enlightened(struct vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
/* pv_cpuid's last step: the bits XEN_DOMCTL_set_cpu_policy took away from d. */
void pv_cpuid_policy_apply(struct domain *d, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);

/*
 * MSR access as a PV guest sees it (arch/x86/pv/msr.c). Return true when
 * handled; false means the guest gets #GP(0).
 */
bool pv_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val);
bool pv_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val);

/* Switch guest kernel <-> user mode: CR3 and GS bases (arch/x86/pv/mode.c). */
void pv_toggle_guest_mode(struct vcpu *v);


/*
 * Memory (arch/x86/pv/mm.c): validate and pin the page-table tree the domain
 * builder made, rooted at l4 (as MMUEXT_PIN_L4_TABLE would), taking the type
 * and reference counts it implies. 0 or -XEN_E*.
 */
int pv_pin_boot_tables(struct domain *d, mfn_t l4);

/*
 * Debug registers (emulate_cr.c). The guest's breakpoints are armed in the
 * CPU only while its vCPU runs there: loaded on switch-in, DR7 cleared on
 * switch-out. pv_debug_trap: a #DB from the guest, recorded in its DR6 and
 * delivered.
 */
void pv_debugregs_switch_in(struct vcpu *v);
void pv_debugregs_switch_out(struct vcpu *v);
void pv_debug_trap(struct vcpu *v);

/* Lazy FPU (context.c): #NM gives v the FPU; sync CR0.TS after a virtual TS change. */
void pv_fpu_claim(struct vcpu *v);
void pv_fpu_reset(struct vcpu *v);
#define FPU_CPU_NONE (~0u)   /* fpu_cpu of a vCPU whose state is in no CPU's registers */
void pv_fpu_sync_ts(struct vcpu *v);

/* set_gdt for any vCPU, with the frame list in hypervisor memory (descriptors.c). */
int pv_set_gdt(struct vcpu *v, const uint64_t *frames, uint64_t entries);
/* MMUEXT_SET_LDT for v (descriptors.c); pv_load_ldt on every switch to v (NULL: idle). */
int pv_set_ldt(struct vcpu *v, uint64_t base, uint64_t ents);
void pv_load_ldt(struct vcpu *v);
/*
 * Their checks alone, changing nothing: 0 when pv_set_gdt(frames, entries)
 * would succeed for a vCPU of d; when pv_set_ldt(base, ents) would on the
 * tables rooted at l4.
 */
int pv_desc_frames_check(struct domain *d, const uint64_t *frames, uint64_t entries);
int pv_ldt_check(struct domain *d, mfn_t l4, uint64_t base, uint64_t ents);
/* A guest descriptor as the hardware table holds it (*out); false: refused. */
bool pv_check_descriptor(uint64_t d, uint64_t *out);

/* Helpers shared by the PV files. */
int pv_gdt_alloc(struct vcpu *v);
/* Teardown (descriptors.c): drop the GDT/LDT frame references; free the tables. */
void pv_desc_relinquish(struct vcpu *v);
void pv_desc_free(struct vcpu *v);
void pv_fill_hypercall_page(uint8_t *page);
void pv_update_vcpu_time(struct vcpu *v);
/* Copy v's time record to its registered guest area, if any; v's page tables loaded. */
void pv_write_time_area(struct vcpu *v);
void pv_time_scale(uint64_t tsc_hz, uint32_t *mul, int8_t *shift);

#endif
