/*
 * The helpers shared by the ELF readers (elf_read.h). The section header
 * table comes from the file: every offset, count and index in it is
 * checked against the file before it is used.
 */
#include <elf_read.h>
#include <stdarg.h>

#define EHDR_SIZE   64
#define SHDR_SIZE   64
#define SHN_XINDEX  0xffff
#define SECTION_NAME_MAX 255   /* bytes of a section name, its NUL not counted */

int elf_why(char *why, size_t why_len, int rc, const char *fmt, ...)
{
	va_list ap;

	if (why_len) {
		va_start(ap, fmt);
		hv_vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/*
 * The name at offset n of the name table [str, str + str_size), or NULL if
 * it does not end inside it within SECTION_NAME_MAX bytes. The bound keeps the
 * walk linear: every header's name is looked up, and a hostile table could
 * otherwise have 65535 headers each scan one run of non-NUL bytes as long
 * as the file. The names looked for are short.
 */
static const char *section_name(const uint8_t *str, uint64_t str_size, uint64_t n)
{
	uint64_t room;

	if (!str || n >= str_size)
		return NULL;
	room = MIN(str_size - n, SECTION_NAME_MAX + 1);
	if (strnlen((const char *)str + n, room) == room)
		return NULL;
	return (const char *)str + n;
}

int elf_sections(const uint8_t *data, size_t size, int (*fn)(const struct elf_section *s, void *arg),
		 void *arg)
{
	uint64_t shoff, str_off, str_size;
	unsigned shnum, shstrndx;
	const uint8_t *str = NULL;

	if (size < EHDR_SIZE)
		return 0;
	shoff = elf_rd64(data + 40);
	shnum = elf_rd16(data + 60);
	shstrndx = elf_rd16(data + 62);
	/* e_shnum 0 with a nonzero e_shoff is extended numbering (the count in section 0): not for a kernel */
	if (!shoff || !shnum || elf_rd16(data + 58) != SHDR_SIZE ||
	    !elf_range_ok(shoff, (uint64_t)shnum * SHDR_SIZE, size))
		return 0;
	if (shstrndx != SHN_XINDEX && shstrndx < shnum) {
		const uint8_t *h = data + shoff + (uint64_t)shstrndx * SHDR_SIZE;

		str_off = elf_rd64(h + 24);
		str_size = elf_rd64(h + 32);
		if (elf_rd32(h + 4) != ELF_SHT_NOBITS && elf_range_ok(str_off, str_size, size))
			str = data + str_off;
	}
	for (unsigned i = 0; i < shnum; i++) {
		const uint8_t *h = data + shoff + (uint64_t)i * SHDR_SIZE;
		struct elf_section s = { .index = i, .type = elf_rd32(h + 4), .offset = elf_rd64(h + 24),
					 .size = elf_rd64(h + 32), .align = elf_rd64(h + 48),
					 .name = section_name(str, str ? str_size : 0, elf_rd32(h)) };
		int rc = fn(&s, arg);

		if (rc)
			return rc;
	}
	return 0;
}
