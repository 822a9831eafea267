/*
 * xen_elfnote.h - walk the "Xen" ELF notes of a PV kernel image.
 *
 * A PV kernel tells its domain builder how to load and enter it through ELF
 * notes named "Xen" (entry point, virtual base, required features, ...).
 * The note type numbers (XEN_ELFNOTE_*) are ABI facts and come from our
 * public header, shared with the hypervisor's own initial-domain builder.
 */
#ifndef PARAVANE_LIBXENGUEST_XEN_ELFNOTE_H
#define PARAVANE_LIBXENGUEST_XEN_ELFNOTE_H

#include <stddef.h>
#include <stdint.h>

#include "public/elfnote.h"


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
