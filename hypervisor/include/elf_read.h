/*
 * What the two readers of a PV kernel's ELF file (elf_image.c, and
 * elf_xen_guest.c for the old __xen_guest section) share: little-endian
 * fields read byte by byte (the image may sit at any alignment), the
 * overflow-safe bounds check, the reason written for a refusal, and the
 * section header table, which neither needs to load a kernel but both
 * consult when the program headers carry no Xen notes (as Xen 4.17 does).
 */
#ifndef ELF_READ_H
#define ELF_READ_H

#include <lib.h>

static inline uint16_t elf_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t elf_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t elf_rd64(const uint8_t *p)
{
	return (uint64_t)elf_rd32(p) | (uint64_t)elf_rd32(p + 4) << 32;
}

/* [off, off + len) lies inside a buffer of `size` bytes (never computes off + len). */
static inline bool elf_range_ok(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* The reason for a refusal into why (if why_len), and rc back: `return elf_why(...)`. */
int elf_why(char *why, size_t why_len, int rc, const char *fmt, ...) PRINTF_LIKE(4, 5);

#define ELF_SHT_NOTE   7
#define ELF_SHT_NOBITS 8

/* One section header as the file gives it: offset and size not yet checked. */
struct elf_section {
	unsigned index;
	uint32_t type;
	uint64_t offset, size, align;
	const char *name;   /* NUL-terminated inside the name table; NULL if it is not, or is longer than 255 */
};

/*
 * Call fn for each section header of the ELF64 file data[0, size) (its
 * ELF header already checked), in index order, until fn returns nonzero,
 * which is returned. A table that does not lie in the file (e_shoff,
 * e_shnum, e_shentsize), or needs extended numbering, counts as no
 * sections: sections are not needed to load a kernel. A section name
 * table that is not in the file gives every section a NULL name. Work is
 * linear in e_shnum (a name is looked for in at most 256 bytes).
 */
int elf_sections(const uint8_t *data, size_t size, int (*fn)(const struct elf_section *s, void *arg),
		 void *arg);

#endif
