/*
 * public/xen.h - the core of the Paravane guest ABI (Xen-compatible, x86-64 PV).
 *
 * Everything a 64-bit PV guest and the hypervisor must agree on that is not
 * specific to one sub-interface: basic types, the hypercall numbers, the
 * reserved domain ids, the layouts of start_info and shared_info, and the
 * "core" hypercalls that take no sub-op header of their own (mmu_update,
 * mmuext_op, update_va_mapping, vm_assist, multicall, console_io).
 *
 * Numbers and layouts are facts of Xen's x86-64 PV ABI, re-declared here in
 * our own words.  Sizes and offsets the guest depends on are pinned with
 * _Static_assert at the end of each header; tests/unit/hypervisor/include/public/public_abi_test.c
 * checks them a second time.
 *
 * This header is freestanding: it needs only <stdint.h> and <stddef.h>, and
 * is included by the hypervisor, by dom0-tools (on the host) and by the test
 * guests in tests/guests.
 *
 * Calling convention (x86-64 PV): hypercall number in RAX, arguments in
 * RDI, RSI, RDX, R10, R8 (R9 is a sixth argument for the few calls that
 * need one), result in RAX.  The guest kernel enters with `syscall`, either
 * through a stub of the hypercall page (32 bytes per hypercall number) or
 * directly, as Debian's 6.1 kernels do.  RCX and R11 are clobbered by the
 * instruction itself; the hypervisor may also clobber the argument registers
 * it consumed.  All other registers are preserved.
 *
 * Errors are returned as a negative XEN_E* value (public/errno.h).
 * Guest pointers inside argument structures are guest virtual addresses in
 * the calling guest's current address space; they are carried as
 * guest_handle_t (a plain 64-bit number) so that hypervisor code cannot
 * dereference them by mistake: it must go through its copy-from/to-guest
 * helpers, which fail with -XEN_EFAULT.
 */
#ifndef PUBLIC_XEN_H
#define PUBLIC_XEN_H

#include <stddef.h>
#include <stdint.h>

#include "arch-x86_64.h"

/* ---- Basic types ---------------------------------------------------- */

typedef uint16_t domid_t;
typedef uint64_t xen_pfn_t;        /* a frame number (MFN for PV guests) */
typedef uint64_t xen_ulong_t;      /* "unsigned long" of the 64-bit ABI */
typedef uint64_t guest_handle_t;   /* guest virtual address of a buffer */

/* ---- Hypercall numbers (RAX at the syscall) ------------------------- */

#define __HYPERVISOR_set_trap_table                 0
#define __HYPERVISOR_mmu_update                     1
#define __HYPERVISOR_set_gdt                        2
#define __HYPERVISOR_stack_switch                   3
#define __HYPERVISOR_set_callbacks                  4
#define __HYPERVISOR_fpu_taskswitch                 5
#define __HYPERVISOR_sched_op_compat                6   /* obsolete */
#define __HYPERVISOR_platform_op                    7   /* privileged */
#define __HYPERVISOR_set_debugreg                   8
#define __HYPERVISOR_get_debugreg                   9
#define __HYPERVISOR_update_descriptor             10
                                                /* 11: unused */
#define __HYPERVISOR_memory_op                     12
#define __HYPERVISOR_multicall                     13
#define __HYPERVISOR_update_va_mapping             14
#define __HYPERVISOR_set_timer_op                  15
#define __HYPERVISOR_event_channel_op_compat       16   /* obsolete */
#define __HYPERVISOR_xen_version                   17
#define __HYPERVISOR_console_io                    18
#define __HYPERVISOR_physdev_op_compat             19   /* obsolete */
#define __HYPERVISOR_grant_table_op                20
#define __HYPERVISOR_vm_assist                     21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                          23
#define __HYPERVISOR_vcpu_op                       24
#define __HYPERVISOR_set_segment_base              25
#define __HYPERVISOR_mmuext_op                     26
#define __HYPERVISOR_xsm_op                        27
#define __HYPERVISOR_nmi_op                        28
#define __HYPERVISOR_sched_op                      29
#define __HYPERVISOR_callback_op                   30
#define __HYPERVISOR_xenoprof_op                   31
#define __HYPERVISOR_event_channel_op              32
#define __HYPERVISOR_physdev_op                    33
#define __HYPERVISOR_hvm_op                        34
#define __HYPERVISOR_sysctl                        35   /* privileged */
#define __HYPERVISOR_domctl                        36   /* privileged */
#define __HYPERVISOR_kexec_op                      37
#define __HYPERVISOR_tmem_op                       38   /* removed in Xen */
#define __HYPERVISOR_argo_op                       39
#define __HYPERVISOR_xenpmu_op                     40
#define __HYPERVISOR_dm_op                         41
#define __HYPERVISOR_hypfs_op                      42
/* 48-55: architecture-specific; on x86, arch_0 is the machine-check op. */
#define __HYPERVISOR_arch_0                        48
#define __HYPERVISOR_arch_1                        49
#define __HYPERVISOR_arch_2                        50
#define __HYPERVISOR_arch_3                        51
#define __HYPERVISOR_arch_4                        52
#define __HYPERVISOR_arch_5                        53
#define __HYPERVISOR_arch_6                        54
#define __HYPERVISOR_arch_7                        55
#define __HYPERVISOR_mca                           __HYPERVISOR_arch_0

/*
 * The hypercall page has one 32-byte stub per number, so 128 slots; any
 * number at or above this (or an unassigned one below it) returns
 * -XEN_ENOSYS.
 */
#define HYPERCALL_PAGE_SLOTS        128
#define HYPERCALL_STUB_SIZE         32

/* ---- Reserved domain ids ---------------------------------------------
 * Real domains have ids below DOMID_FIRST_RESERVED.  The others name
 * pseudo-domains in hypercalls that take a domid_t argument.
 */
#define DOMID_FIRST_RESERVED  0x7FF0U
#define DOMID_SELF            0x7FF0U  /* the calling domain */
#define DOMID_IO              0x7FF1U  /* owner of I/O memory (MMIO) frames */
#define DOMID_XEN             0x7FF2U  /* owner of hypervisor frames */
#define DOMID_COW             0x7FF3U  /* owner of shared copy-on-write frames */
#define DOMID_INVALID         0x7FF4U
#define DOMID_IDLE            0x7FFFU
#define DOMID_MASK            0x7FFFU

/* ---- Virtual interrupts (bound with EVTCHNOP_bind_virq) --------------
 * "per-vCPU" VIRQs may be bound once on every vCPU; the others are global
 * and are bound once per domain, on any vCPU.
 */
#define VIRQ_TIMER       0   /* per-vCPU: single-shot/periodic timer fired */
#define VIRQ_DEBUG       1   /* per-vCPU: debug request (keyhandler) */
#define VIRQ_CONSOLE     2   /* global, dom0: input on the hypervisor console */
#define VIRQ_DOM_EXC     3   /* global, dom0: a domain shut down or crashed */
#define VIRQ_TBUF        4   /* global: trace buffer data */
#define VIRQ_DEBUGGER    6   /* global: a domain entered the debugger */
#define VIRQ_XENOPROF    7   /* per-vCPU */
#define VIRQ_CON_RING    8   /* global: hypervisor console ring has data */
#define VIRQ_PCPU_STATE  9   /* global, dom0: physical CPU hotplug */
#define VIRQ_MEM_EVENT  10   /* global */
#define VIRQ_ARGO       11   /* global */
#define VIRQ_ENOMEM     12   /* global: hypervisor low on memory */
#define VIRQ_XENPMU     13   /* per-vCPU */
#define VIRQ_ARCH_0     16
#define VIRQ_MCA        VIRQ_ARCH_0  /* global, dom0: machine check */
#define NR_VIRQS        24

/* ---- mmu_update (#1) ---------------------------------------------------
 * long mmu_update(struct mmu_update *reqs, unsigned int count,
 *                 unsigned int *done_out, domid_t foreigndom)
 *
 * Applies `count` requests in order.  The low 2 bits of `ptr` select the
 * command; the rest is a machine address.
 *   MMU_NORMAL_PT_UPDATE      ptr = machine address of a page-table entry
 *                             (8-byte aligned) in a frame the caller owns
 *                             that has a page-table type; val = new entry
 *                             (with an MFN).  The new entry is validated
 *                             against the frame's level before the write.
 *   MMU_MACHPHYS_UPDATE       ptr = machine address of a frame the caller
 *                             owns; val = pfn.  Sets M2P[mfn] = pfn.
 *   MMU_PT_UPDATE_PRESERVE_AD as NORMAL, but the Accessed and Dirty bits
 *                             the entry has at the moment of the write are
 *                             kept (atomic update).
 *   MMU_PT_UPDATE_NO_TRANSLATE as NORMAL; val holds an MFN even for a
 *                             translated foreign domain.
 * foreigndom: DOMID_SELF normally; a privileged caller may name the domain
 *   that owns the frames referenced by `val`.
 * done_out: guest pointer or NULL; receives the number of requests done.
 * Who: any PV domain (foreigndom other than SELF: privileged only).
 * Errors: -EFAULT reqs/done_out unreadable/unwritable; -EINVAL bad command
 *   or invalid entry; -EPERM frame not owned or not a page table;
 *   -ESRCH unknown foreigndom.  On error, requests before the failing one
 *   have been applied (see done_out).
 */
#define MMU_NORMAL_PT_UPDATE        0
#define MMU_MACHPHYS_UPDATE         1
#define MMU_PT_UPDATE_PRESERVE_AD   2
#define MMU_PT_UPDATE_NO_TRANSLATE  3
#define MMU_UPDATE_CMD_MASK         3ULL
/*
 * Set in `count` (mmu_update and mmuext_op) when the hypervisor re-issues a
 * preempted batch as a continuation: the low 31 bits are the requests left,
 * `reqs` points at the first of them and *done_out (if given) already holds
 * the number done. Guests never set it themselves.
 */
#define MMU_UPDATE_PREEMPTED        (~(~0U >> 1))

struct mmu_update {
	uint64_t ptr;   /* IN: machine address | command */
	uint64_t val;   /* IN: new value */
};

/* ---- mmuext_op (#26) ---------------------------------------------------
 * long mmuext_op(struct mmuext_op *ops, unsigned int count,
 *                unsigned int *done_out, domid_t foreigndom)
 *
 * Extended MMU operations, applied in order.  Commands and their args:
 *   PIN_L1..L4_TABLE   arg1.mfn   validate the frame (and everything it
 *                                 references) as a page table of that
 *                                 level and hold a pin reference on it.
 *   UNPIN_TABLE        arg1.mfn   drop the pin reference.
 *   NEW_BASEPTR        arg1.mfn   load a pinned or validatable L4 as the
 *                                 guest-kernel top-level table (CR3).
 *   NEW_USER_BASEPTR   arg1.mfn   the L4 used in guest user mode (0: none).
 *   TLB_FLUSH_LOCAL                flush this vCPU's TLB.
 *   INVLPG_LOCAL       arg1.linear_addr
 *   TLB_FLUSH_MULTI    arg2.vcpumask  (guest VA of a bitmap of vCPU ids)
 *   INVLPG_MULTI       arg1.linear_addr, arg2.vcpumask
 *   TLB_FLUSH_ALL / INVLPG_ALL      all vCPUs of the domain.
 *   FLUSH_CACHE / FLUSH_CACHE_GLOBAL  write back and invalidate caches.
 *   SET_LDT            arg1.linear_addr (page aligned), arg2.nr_ents (<= 8192)
 *   CLEAR_PAGE         arg1.mfn
 *   COPY_PAGE          arg1.mfn (destination), arg2.src_mfn
 *   MARK_SUPER / UNMARK_SUPER      superpage bookkeeping (unused by Linux)
 * Who: any PV domain.
 * Errors: -EFAULT ops unreadable; -ENOSYS unknown command; -EINVAL bad
 *   argument or failed validation; -EPERM frame not owned; -EBUSY table
 *   still in use (unpin of a table in use as a base pointer).
 */
#define MMUEXT_PIN_L1_TABLE       0
#define MMUEXT_PIN_L2_TABLE       1
#define MMUEXT_PIN_L3_TABLE       2
#define MMUEXT_PIN_L4_TABLE       3
#define MMUEXT_UNPIN_TABLE        4
#define MMUEXT_NEW_BASEPTR        5
#define MMUEXT_TLB_FLUSH_LOCAL    6
#define MMUEXT_INVLPG_LOCAL       7
#define MMUEXT_TLB_FLUSH_MULTI    8
#define MMUEXT_INVLPG_MULTI       9
#define MMUEXT_TLB_FLUSH_ALL     10
#define MMUEXT_INVLPG_ALL        11
#define MMUEXT_FLUSH_CACHE       12
#define MMUEXT_SET_LDT           13
                              /* 14: unused */
#define MMUEXT_NEW_USER_BASEPTR  15
#define MMUEXT_CLEAR_PAGE        16
#define MMUEXT_COPY_PAGE         17
#define MMUEXT_FLUSH_CACHE_GLOBAL 18
#define MMUEXT_MARK_SUPER        19
#define MMUEXT_UNMARK_SUPER      20

struct mmuext_op {
	uint32_t cmd;                  /* IN: MMUEXT_* */
	uint32_t _pad;
	union {
		xen_pfn_t mfn;
		uint64_t linear_addr;
	} arg1;                        /* IN */
	union {
		uint32_t nr_ents;
		guest_handle_t vcpumask;
		xen_pfn_t src_mfn;
	} arg2;                        /* IN */
};

/* ---- update_va_mapping (#14) -------------------------------------------
 * long update_va_mapping(uint64_t va, uint64_t new_pte, uint64_t flags)
 * long update_va_mapping_otherdomain(va, new_pte, flags, domid_t dom) (#22)
 *
 * Write `new_pte` into the L1 entry that maps `va` in the current guest
 * page tables (the L1 table must already exist), validated as an L1 entry.
 * flags: a flush type (bits 0-1) and a scope (bit 2, or a vCPU-mask guest
 * pointer in place of the scope when UVMF_MULTI is meant):
 *   UVMF_NONE       no flush
 *   UVMF_TLB_FLUSH  flush the whole TLB
 *   UVMF_INVLPG     flush the one page
 *   UVMF_LOCAL      this vCPU only;  UVMF_ALL  all vCPUs of the domain
 *   UVMF_MULTI      flags & ~UVMF_FLUSHTYPE_MASK is a guest VA of a vCPU
 *                   bitmap
 * Who: any PV domain (the otherdomain form: privileged).
 * Errors: -EINVAL va not mapped by an L1, non-canonical, in the hypervisor
 *   range, or invalid entry; -EPERM frame not owned / type conflict.
 */
#define UVMF_NONE            0x0ULL
#define UVMF_TLB_FLUSH       0x1ULL
#define UVMF_INVLPG          0x2ULL
#define UVMF_FLUSHTYPE_MASK  0x3ULL
#define UVMF_MULTI           0x0ULL
#define UVMF_LOCAL           0x0ULL
#define UVMF_ALL             0x4ULL

/* ---- vm_assist (#21) ---------------------------------------------------
 * long vm_assist(unsigned int cmd, unsigned int type)
 * Turn an optional hypervisor assist on or off for the calling domain.
 * Who: any PV domain.
 * Errors: -EINVAL unknown cmd or a type this domain may not use;
 *   -ENOSYS where Xen does not know the type at all.
 */
#define VMASST_CMD_enable                 0
#define VMASST_CMD_disable                1
#define VMASST_TYPE_4gb_segments          0
#define VMASST_TYPE_4gb_segments_notify   1
#define VMASST_TYPE_writable_pagetables   2
#define VMASST_TYPE_pae_extended_cr3      3
#define VMASST_TYPE_architectural_iopl    4
#define VMASST_TYPE_runstate_update_flag  5
#define VMASST_TYPE_m2p_strict           32

/* ---- multicall (#13) ---------------------------------------------------
 * long multicall(struct multicall_entry *calls, unsigned int nr_calls)
 *
 * Issue nr_calls hypercalls in order.  Each entry's `result` receives the
 * return value of its hypercall; the multicall itself returns 0 once every
 * entry has been issued.  A nested multicall is refused per entry (result
 * -EINVAL).  An iret runs and ends the batch there: later entries do not
 * run (as Xen since XSA-213), and so does an entry that shuts the domain
 * down.
 * Who: any PV domain.
 * Errors: -EFAULT calls unreadable or a result unwritable (earlier entries
 *   have been executed and their results written).
 */
struct multicall_entry {
	xen_ulong_t op;        /* IN: hypercall number */
	xen_ulong_t result;    /* OUT: its return value (signed) */
	xen_ulong_t args[6];   /* IN */
};

/* ---- console_io (#18) --------------------------------------------------
 * long console_io(unsigned int cmd, unsigned int count, char *buffer)
 *   CONSOLEIO_write: print `count` bytes from `buffer` on the hypervisor
 *     console (guest output is marked and rate-limited).  Returns 0.
 *   CONSOLEIO_read:  copy up to `count` pending input bytes into `buffer`;
 *     returns the number of bytes copied (0 when none).
 * Who: the initial domain (other domains need the console privilege).
 * Errors: -EFAULT buffer not readable/writable in full; -ENOSYS unknown
 *   cmd; -EPERM caller lacks the console privilege.
 */
#define CONSOLEIO_write  0
#define CONSOLEIO_read   1

/* ---- Time ---------------------------------------------------------------
 * vcpu_time_info: the pvclock.  The hypervisor makes `version` odd before
 * changing the record and even afterwards.  System time (ns) at TSC value t:
 *   system_time + ((((t - tsc_timestamp) << tsc_shift) [>> -tsc_shift if
 *   negative]) * tsc_to_system_mul) >> 32
 * tsc_to_system_mul must never be 0 once the guest runs.
 */
#define PVCLOCK_TSC_STABLE_BIT    (1u << 0)
#define PVCLOCK_GUEST_STOPPED     (1u << 1)

struct vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;      /* TSC at the last update */
	uint64_t system_time;        /* ns at tsc_timestamp */
	uint32_t tsc_to_system_mul;  /* 32.32 fixed point */
	int8_t   tsc_shift;
	uint8_t  flags;              /* PVCLOCK_* */
	uint8_t  pad1[2];
};

/* ---- vcpu_info: one per vCPU, in shared_info or registered elsewhere -- */
struct vcpu_info {
	uint8_t  evtchn_upcall_pending;  /* set by hypervisor; guest clears */
	uint8_t  evtchn_upcall_mask;     /* guest's virtual "interrupts off" */
	uint8_t  pad0[6];
	xen_ulong_t evtchn_pending_sel;  /* 2-level: words with pending ports */
	struct arch_vcpu_info arch;      /* cr2 of the last #PF */
	struct vcpu_time_info time;
};

/* ---- shared_info: one page per domain --------------------------------- */
#define XEN_LEGACY_MAX_VCPUS       32
#define EVTCHN_2L_WORDS            64
#define EVTCHN_2L_NR_CHANNELS      (EVTCHN_2L_WORDS * 64)

struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	xen_ulong_t evtchn_pending[EVTCHN_2L_WORDS];
	xen_ulong_t evtchn_mask[EVTCHN_2L_WORDS];
	/* Wallclock (UTC) at system time 0; odd version while changing. */
	uint32_t wc_version;
	uint32_t wc_sec;
	uint32_t wc_nsec;
	uint32_t wc_sec_hi;
	struct arch_shared_info arch;
};

/* ---- start_info: built by the domain builder, pointed to by RSI -------- */
#define MAX_GUEST_CMDLINE   1024
#define XEN_START_MAGIC     "xen-3.0-x86_64"  /* prefix of start_info.magic */

#define SIF_PRIVILEGED      (1u << 0)  /* domain may use privileged ops */
#define SIF_INITDOMAIN      (1u << 1)  /* this is the initial domain (dom0) */
#define SIF_MULTIBOOT_MOD   (1u << 2)  /* mod_start is a multiboot module list */
#define SIF_MOD_START_PFN   (1u << 3)  /* mod_start is a pfn, not a VA */
#define SIF_VIRT_P2M_4TOOLS (1u << 4)  /* tools use the virtual p2m list */
#define SIF_PM_MASK         (0xFFu << 8)

struct start_info {
	char     magic[32];        /* "xen-3.0-x86_64" + NUL padding */
	uint64_t nr_pages;         /* pages of the domain */
	uint64_t shared_info;      /* machine address of shared_info */
	uint32_t flags;            /* SIF_* */
	uint32_t _pad0;
	xen_pfn_t store_mfn;       /* xenstore ring (domU) */
	uint32_t store_evtchn;     /* xenstore port; 0: none / local */
	uint32_t _pad1;
	union {
		struct {
			xen_pfn_t mfn;     /* console ring */
			uint32_t evtchn;   /* console port */
			uint32_t _pad;
		} domU;
		struct {
			uint32_t info_off; /* dom0_vga_console_info, from start_info */
			uint32_t info_size;
		} dom0;
	} console;
	uint64_t pt_base;          /* VA of the bootstrap L4 */
	uint64_t nr_pt_frames;
	uint64_t mfn_list;         /* VA of the p2m list */
	uint64_t mod_start;        /* initrd VA (or pfn, SIF_MOD_START_PFN) */
	uint64_t mod_len;
	char     cmd_line[MAX_GUEST_CMDLINE];
	uint64_t first_p2m_pfn;    /* p2m placed outside the kernel map */
	uint64_t nr_p2m_frames;
};

/* Video description for dom0 (start_info.console.dom0). */
#define XEN_VGATYPE_TEXT_MODE_3  0x03
#define XEN_VGATYPE_VESA_LFB     0x23
#define XEN_VGATYPE_EFI_LFB      0x70

struct dom0_vga_console_info {
	uint8_t video_type;
	uint8_t _pad[3];
	union {
		struct {
			uint16_t font_height, cursor_x, cursor_y, rows, columns;
		} text_mode_3;
		struct {
			uint16_t width, height, bytes_per_line, bits_per_pixel;
			uint32_t lfb_base;
			uint32_t lfb_size;      /* in 64 KiB units */
			uint8_t  red_pos, red_size, green_pos, green_size;
			uint8_t  blue_pos, blue_size, rsvd_pos, rsvd_size;
			uint32_t gbl_caps;
			uint16_t mode_attrs;
			uint16_t pad;
			uint32_t ext_lfb_base;
		} vesa_lfb;
	} u;
};

/* ---- Layout checks ------------------------------------------------------ */
_Static_assert(sizeof(struct mmu_update) == 16, "mmu_update size");
_Static_assert(sizeof(struct mmuext_op) == 24, "mmuext_op size");
_Static_assert(offsetof(struct mmuext_op, arg1) == 8, "mmuext_op arg1");
_Static_assert(offsetof(struct mmuext_op, arg2) == 16, "mmuext_op arg2");
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry size");
_Static_assert(offsetof(struct multicall_entry, args) == 16, "multicall args");
_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info size");
_Static_assert(offsetof(struct vcpu_time_info, tsc_to_system_mul) == 24, "mul");
_Static_assert(offsetof(struct vcpu_time_info, tsc_shift) == 28, "shift");
_Static_assert(offsetof(struct vcpu_time_info, flags) == 29, "flags");
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info size");
_Static_assert(offsetof(struct vcpu_info, evtchn_upcall_mask) == 1, "mask");
_Static_assert(offsetof(struct vcpu_info, evtchn_pending_sel) == 8, "sel");
_Static_assert(offsetof(struct vcpu_info, arch) == 16, "vcpu_info arch");
_Static_assert(offsetof(struct vcpu_info, time) == 32, "vcpu_info time");
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 2048, "pending");
_Static_assert(offsetof(struct shared_info, evtchn_mask) == 2560, "mask");
_Static_assert(offsetof(struct shared_info, wc_version) == 3072, "wc");
_Static_assert(offsetof(struct shared_info, wc_sec_hi) == 3084, "wc_sec_hi");
_Static_assert(offsetof(struct shared_info, arch) == 3088, "si arch");
_Static_assert(sizeof(struct shared_info) == 3136, "shared_info size");
_Static_assert(sizeof(struct start_info) == 1168, "start_info size");
_Static_assert(offsetof(struct start_info, nr_pages) == 32, "nr_pages");
_Static_assert(offsetof(struct start_info, shared_info) == 40, "si");
_Static_assert(offsetof(struct start_info, flags) == 48, "flags");
_Static_assert(offsetof(struct start_info, store_mfn) == 56, "store_mfn");
_Static_assert(offsetof(struct start_info, store_evtchn) == 64, "store_evtchn");
_Static_assert(offsetof(struct start_info, console) == 72, "console");
_Static_assert(offsetof(struct start_info, console.domU.evtchn) == 80, "cons evtchn");
_Static_assert(offsetof(struct start_info, console.dom0.info_size) == 76, "info_size");
_Static_assert(offsetof(struct start_info, pt_base) == 88, "pt_base");
_Static_assert(offsetof(struct start_info, mfn_list) == 104, "mfn_list");
_Static_assert(offsetof(struct start_info, mod_len) == 120, "mod_len");
_Static_assert(offsetof(struct start_info, cmd_line) == 128, "cmd_line");
_Static_assert(offsetof(struct start_info, first_p2m_pfn) == 1152, "first_p2m");
_Static_assert(offsetof(struct start_info, nr_p2m_frames) == 1160, "nr_p2m");
_Static_assert(offsetof(struct dom0_vga_console_info, u) == 4, "vga union");
_Static_assert(offsetof(struct dom0_vga_console_info, u.vesa_lfb.lfb_base) == 12, "lfb");
_Static_assert(offsetof(struct dom0_vga_console_info, u.vesa_lfb.gbl_caps) == 28, "caps");
_Static_assert(offsetof(struct dom0_vga_console_info, u.vesa_lfb.ext_lfb_base) == 36, "ext");

#endif /* PUBLIC_XEN_H */
