/*
 * public/elfnote.h - ELF notes a PV kernel image carries for the domain
 * builder.
 *
 * Notes live in a PT_NOTE segment (or SHT_NOTE section) with owner name
 * "Xen".  The descriptor type is given per note: "string" = NUL-terminated
 * text, "u64"/"u32" = a little-endian integer of that width (builders
 * accept any width of 1, 2, 4 or 8 bytes for the numeric notes).
 */
#ifndef PUBLIC_ELFNOTE_H
#define PUBLIC_ELFNOTE_H

#define XEN_ELFNOTE_NAME               "Xen"

#define XEN_ELFNOTE_INFO                0   /* obsolete string */
#define XEN_ELFNOTE_ENTRY               1   /* u64: entry VA (initial RIP) */
#define XEN_ELFNOTE_HYPERCALL_PAGE      2   /* u64: VA the builder fills with stubs */
#define XEN_ELFNOTE_VIRT_BASE           3   /* u64: VA of guest pfn 0 */
#define XEN_ELFNOTE_PADDR_OFFSET        4   /* u64: VA = paddr + VIRT_BASE - PADDR_OFFSET */
#define XEN_ELFNOTE_XEN_VERSION         5   /* string: "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS            6   /* string: e.g. "linux" */
#define XEN_ELFNOTE_GUEST_VERSION       7   /* string */
#define XEN_ELFNOTE_LOADER              8   /* string: "generic" */
#define XEN_ELFNOTE_PAE_MODE            9   /* string: "yes", "no", "bimodal" */
#define XEN_ELFNOTE_FEATURES           10   /* string: "f1|f2|!required" */
#define XEN_ELFNOTE_BSD_SYMTAB         11   /* string: "yes" to load symbols */
#define XEN_ELFNOTE_HV_START_LOW       12   /* u64: lowest hypervisor VA the kernel allows */
#define XEN_ELFNOTE_L1_MFN_VALID       13   /* u64 mask, u64 value */
#define XEN_ELFNOTE_SUSPEND_CANCEL     14   /* u32: 1 = cancellable suspend */
#define XEN_ELFNOTE_INIT_P2M           15   /* u64: VA requested for the p2m list */
#define XEN_ELFNOTE_MOD_START_PFN      16   /* u32: 1 = mod_start may be a pfn */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17   /* u32: XENFEAT_* bitmap (submap 0) */
#define XEN_ELFNOTE_PHYS32_ENTRY       18   /* u32: PVH 32-bit entry; ignored for PV */
#define XEN_ELFNOTE_MAX                XEN_ELFNOTE_PHYS32_ENTRY

/* Notes in core dumps, not in kernels. */
#define XEN_ELFNOTE_CRASH_INFO              0x1000001
#define XEN_ELFNOTE_CRASH_REGS              0x1000002
#define XEN_ELFNOTE_DUMPCORE_NONE           0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER         0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION    0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION 0x2000003

#endif /* PUBLIC_ELFNOTE_H */
