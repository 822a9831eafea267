/*
 * xen_elfnote.h - walk the "Xen" ELF notes of a PV kernel image.
 *
 * A PV kernel tells its domain builder how to load and enter it through ELF
 * notes named "Xen" (entry point, virtual base, required features, ...).
 * The note type numbers are Xen ABI facts (Xen's public elfnote.h); they
 * are re-declared here in our words until hypervisor/include/public/ has an
 * elfnote header for dom0-tools to share.
 */
#ifndef PARAVANE_LIBXENGUEST_XEN_ELFNOTE_H
#define PARAVANE_LIBXENGUEST_XEN_ELFNOTE_H

#include <stddef.h>
#include <stdint.h>

enum xen_elfnote_type {
	XEN_ELFNOTE_INFO = 0,
	XEN_ELFNOTE_ENTRY = 1,          /* u64: initial RIP */
	XEN_ELFNOTE_HYPERCALL_PAGE = 2, /* u64: VA the builder fills with stubs */
	XEN_ELFNOTE_VIRT_BASE = 3,      /* u64: VA of guest-physical 0 */
	XEN_ELFNOTE_PADDR_OFFSET = 4,   /* u64 */
	XEN_ELFNOTE_XEN_VERSION = 5,    /* string, "xen-3.0" */
	XEN_ELFNOTE_GUEST_OS = 6,       /* string */
	XEN_ELFNOTE_GUEST_VERSION = 7,  /* string */
	XEN_ELFNOTE_LOADER = 8,         /* string, "generic" */
	XEN_ELFNOTE_PAE_MODE = 9,       /* string */
	XEN_ELFNOTE_FEATURES = 10,      /* string, '|'-separated, '!' = required */
	XEN_ELFNOTE_BSD_SYMTAB = 11,    /* string */
	XEN_ELFNOTE_HV_START_LOW = 12,  /* u64 */
	XEN_ELFNOTE_L1_MFN_VALID = 13,  /* u64 mask, u64 value */
	XEN_ELFNOTE_SUSPEND_CANCEL = 14, /* u32 */
	XEN_ELFNOTE_INIT_P2M = 15,      /* u64: requested VA of the p2m list */
	XEN_ELFNOTE_MOD_START_PFN = 16, /* u32 */
	XEN_ELFNOTE_SUPPORTED_FEATURES = 17, /* u32 bitmap */
	XEN_ELFNOTE_PHYS32_ENTRY = 18,  /* u32: PVH entry, not used by PV */
};

/* One note as found in the image; desc points into the caller's buffer. */
struct xen_elfnote {
	uint32_t type;
	const uint8_t *desc;
	uint32_t desc_len;
};

/*
 * Call fn for every note named "Xen" in the PT_NOTE segments of the ELF64
 * image buf[0..len) (checked with bzimage_check_elf64 first), in file
 * order. fn returning a positive value stops the walk and that value is
 * returned. Returns 0 after a complete walk, or -1 with a reason in err
 * (BZIMAGE_ERR_LEN bytes, may be NULL) if the image or a note is malformed.
 */
int xen_elfnote_foreach(const uint8_t *buf, size_t len,
			int (*fn)(const struct xen_elfnote *note, void *arg),
			void *arg, char *err);

/* "ENTRY", "FEATURES", ... or NULL for a type we have no name for. */
const char *xen_elfnote_name(uint32_t type);

/* Whether the note's value is text (printed as a string) rather than numbers. */
int xen_elfnote_is_string(uint32_t type);

#endif
