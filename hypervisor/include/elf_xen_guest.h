/*
 * elf_xen_guest: the "__xen_guest" section of a PV kernel without Xen ELF
 * notes (elf_xen_guest.c says what it holds). elf_image_parse() reads it
 * when there are no notes, so both builders accept such a kernel as Xen
 * 4.17 does; nothing else needs to call it.
 */
#ifndef ELF_XEN_GUEST_H
#define ELF_XEN_GUEST_H

#include <lib.h>

/* elf_xen_guest.seen: which names the string gave */
#define ELF_XEN_GUEST_LOADER         (1U << 0)
#define ELF_XEN_GUEST_GUEST_OS       (1U << 1)
#define ELF_XEN_GUEST_GUEST_VER      (1U << 2)
#define ELF_XEN_GUEST_XEN_VER        (1U << 3)
#define ELF_XEN_GUEST_FEATURES       (1U << 4)
#define ELF_XEN_GUEST_VIRT_BASE      (1U << 5)
#define ELF_XEN_GUEST_VIRT_ENTRY     (1U << 6)
#define ELF_XEN_GUEST_PADDR_OFFSET   (1U << 7)
#define ELF_XEN_GUEST_HYPERCALL_PAGE (1U << 8)

struct elf_xen_guest {
	bool found;               /* the image has a __xen_guest section */
	uint32_t seen;            /* ELF_XEN_GUEST_* */
	char loader[32], guest_os[32], guest_version[32], xen_version[32];
	char features[256];
	uint64_t virt_base, entry, paddr_offset;
	uint64_t hypercall_page;  /* a VA: VIRT_BASE + page number * 4096 */
};

/*
 * Find and read the __xen_guest section of the ELF64 image data[0, size)
 * (its ELF header already checked by the caller). 0 with g->found false
 * when there is none; 0 with g filled; or -XEN_EINVAL with `why` saying
 * what is wrong with it.
 */
int elf_xen_guest_read(const void *data, size_t size, struct elf_xen_guest *g, char *why, size_t why_len);

#endif /* ELF_XEN_GUEST_H */
