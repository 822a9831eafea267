/*
 * The old way a PV kernel described itself, before the Xen ELF notes: a
 * section named "__xen_guest" holding one NUL-terminated string of
 * comma-separated NAME=VALUE pairs, e.g.
 *
 *     GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xffffffff80000000,
 *     HYPERCALL_PAGE=0x201,LOADER=generic,FEATURES=!writable_page_tables
 *
 * Xen 4.17 still reads it, in its Dom0 builder and in libxenguest alike,
 * when a kernel has no Xen notes; elf_image.c calls us then. The section is
 * found through the section headers, which nothing else here reads: every
 * offset, size and index in them is checked against the file first.
 *
 * The names Xen 4.17 interprets (others are ignored, as there): LOADER,
 * GUEST_OS, GUEST_VER, XEN_VER, FEATURES (as the FEATURES note), VIRT_BASE,
 * VIRT_ENTRY, ELF_PADDR_OFFSET (numbers in C notation: 0x hex, 0 octal,
 * else decimal) and HYPERCALL_PAGE, a page number counted from VIRT_BASE,
 * which must therefore come before it. PAE and BSD_SYMTAB are read and
 * ignored, as their notes are. Where Xen is lax with malformed text (a
 * number with trailing junk, a pair too long for its buffers, a name given
 * twice) we refuse the kernel with the reason instead.
 */
#include <elf_read.h>
#include <elf_xen_guest.h>
#include <public/errno.h>

struct gi_parse {
	char *why;
	size_t why_len;
};

#define gi_fail(p, rc, ...) elf_why((p)->why, (p)->why_len, (rc), __VA_ARGS__)

struct find {
	struct gi_parse *p;
	const uint8_t *data;
	size_t size;
	const uint8_t *sec;
	uint64_t len;
};

static int xen_guest_section(const struct elf_section *s, void *arg)
{
	struct find *f = arg;

	if (!s->name || strcmp(s->name, "__xen_guest") != 0)
		return 0;
	if (s->type == ELF_SHT_NOBITS || !elf_range_ok(s->offset, s->size, f->size))
		return gi_fail(f->p, -XEN_EINVAL, "__xen_guest section (offset 0x%lx, size 0x%lx) is not inside the file",
			       s->offset, s->size);
	f->sec = f->data + s->offset;
	f->len = s->size;
	return 1;   /* found: stop */
}

/*
 * The bytes of the section called "__xen_guest": *sec and *len, or *sec
 * NULL when there is none (no section headers, or none of that name).
 * Malformed section headers count as none, as they are not needed to load
 * the kernel (elf_sections); only the __xen_guest section itself must lie
 * in the file.
 */
static int find_section(struct gi_parse *p, const uint8_t *data, size_t size, const uint8_t **sec,
			uint64_t *len)
{
	struct find f = { .p = p, .data = data, .size = size };
	int rc = elf_sections(data, size, xen_guest_section, &f);

	*sec = f.sec;
	*len = f.len;
	return rc == 1 ? 0 : rc;
}

/* A number as C writes it (strtoull base 0), all of `s`; false if it is not one. */
static bool parse_number(const char *s, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1]) {
		base = 8;
		s++;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned d = *s >= '0' && *s <= '9' ? (unsigned)(*s - '0') :
			     *s >= 'a' && *s <= 'f' ? (unsigned)(*s - 'a' + 10) :
			     *s >= 'A' && *s <= 'F' ? (unsigned)(*s - 'A' + 10) : 99;
		if (d >= base || v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

/* Printable ASCII only, as the notes' strings: the builders print these. */
static void copy_string(char *dst, size_t dst_size, const char *src)
{
	size_t i = 0;

	for (; src[i] && i < dst_size - 1; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	dst[i] = '\0';
}

enum gi_kind { GI_STRING, GI_NUMBER, GI_IGNORED };

static const struct {
	const char *name;
	enum gi_kind kind;
	unsigned bit;             /* ELF_XEN_GUEST_* */
} gi_names[] = {
	{ "LOADER",           GI_STRING, ELF_XEN_GUEST_LOADER },
	{ "GUEST_OS",         GI_STRING, ELF_XEN_GUEST_GUEST_OS },
	{ "GUEST_VER",        GI_STRING, ELF_XEN_GUEST_GUEST_VER },
	{ "XEN_VER",          GI_STRING, ELF_XEN_GUEST_XEN_VER },
	{ "FEATURES",         GI_STRING, ELF_XEN_GUEST_FEATURES },
	{ "VIRT_BASE",        GI_NUMBER, ELF_XEN_GUEST_VIRT_BASE },
	{ "VIRT_ENTRY",       GI_NUMBER, ELF_XEN_GUEST_VIRT_ENTRY },
	{ "ELF_PADDR_OFFSET", GI_NUMBER, ELF_XEN_GUEST_PADDR_OFFSET },
	{ "HYPERCALL_PAGE",   GI_NUMBER, ELF_XEN_GUEST_HYPERCALL_PAGE },
	{ "PAE",              GI_IGNORED, 0 },
	{ "BSD_SYMTAB",       GI_IGNORED, 0 },
};

static int take_pair(struct gi_parse *p, struct elf_xen_guest *g, const char *name, const char *value)
{
	unsigned i;
	uint64_t v = 0;

	for (i = 0; i < ARRAY_SIZE(gi_names) && strcmp(gi_names[i].name, name) != 0; i++)
		;
	if (i == ARRAY_SIZE(gi_names) || gi_names[i].kind == GI_IGNORED)
		return 0;
	if (g->seen & gi_names[i].bit)
		return gi_fail(p, -XEN_EINVAL, "__xen_guest: %s given twice", name);
	g->seen |= gi_names[i].bit;
	switch (gi_names[i].bit) {
	case ELF_XEN_GUEST_LOADER:    copy_string(g->loader, sizeof(g->loader), value); return 0;
	case ELF_XEN_GUEST_GUEST_OS:  copy_string(g->guest_os, sizeof(g->guest_os), value); return 0;
	case ELF_XEN_GUEST_GUEST_VER: copy_string(g->guest_version, sizeof(g->guest_version), value); return 0;
	case ELF_XEN_GUEST_XEN_VER:   copy_string(g->xen_version, sizeof(g->xen_version), value); return 0;
	case ELF_XEN_GUEST_FEATURES:
		if (strlen(value) >= sizeof(g->features))
			return gi_fail(p, -XEN_EINVAL, "__xen_guest: FEATURES is too long (at most %zu bytes)",
				       sizeof(g->features) - 1);
		copy_string(g->features, sizeof(g->features), value);
		return 0;
	}
	if (!parse_number(value, &v))
		return gi_fail(p, -XEN_EINVAL, "__xen_guest: %s=%s is not a number", name, value);
	switch (gi_names[i].bit) {
	case ELF_XEN_GUEST_VIRT_BASE:      g->virt_base = v; break;
	case ELF_XEN_GUEST_VIRT_ENTRY:     g->entry = v; break;
	case ELF_XEN_GUEST_PADDR_OFFSET:   g->paddr_offset = v; break;
	case ELF_XEN_GUEST_HYPERCALL_PAGE:
		/* a page number from VIRT_BASE, as Xen reads it: VIRT_BASE must be known */
		if (!(g->seen & ELF_XEN_GUEST_VIRT_BASE))
			return gi_fail(p, -XEN_EINVAL, "__xen_guest: HYPERCALL_PAGE before VIRT_BASE");
		if (v >= (1ULL << 52) || (v << 12) > UINT64_MAX - g->virt_base)
			return gi_fail(p, -XEN_EINVAL, "__xen_guest: HYPERCALL_PAGE %#lx is past the address space", v);
		g->hypercall_page = g->virt_base + (v << 12);
		break;
	}
	return 0;
}

int elf_xen_guest_read(const void *data, size_t size, struct elf_xen_guest *g, char *why, size_t why_len)
{
	struct gi_parse p = { .why = why, .why_len = why_len };
	char name[32], value[256];
	const uint8_t *sec;
	uint64_t len, pos = 0;
	int rc;

	memset(g, 0, sizeof(*g));
	rc = find_section(&p, data, size, &sec, &len);
	if (rc || !sec)
		return rc;
	g->found = true;
	/* the string ends at its NUL or at the section's end */
	while (pos < len && sec[pos]) {
		size_t n = 0, v = 0;
		bool has_value = false;

		for (; pos < len && sec[pos] && sec[pos] != ',' && sec[pos] != '='; pos++)
			if (n < sizeof(name) - 1)
				name[n++] = (char)sec[pos];
			else
				return gi_fail(&p, -XEN_EINVAL, "__xen_guest: a name is longer than %zu bytes",
					       sizeof(name) - 1);
		name[n] = '\0';
		if (pos < len && sec[pos] == '=') {
			has_value = true;
			for (pos++; pos < len && sec[pos] && sec[pos] != ','; pos++)
				if (v < sizeof(value) - 1)
					value[v++] = (char)sec[pos];
				else
					return gi_fail(&p, -XEN_EINVAL, "__xen_guest: the value of %s is longer than %zu bytes",
						       name, sizeof(value) - 1);
		}
		value[v] = '\0';
		if (pos < len && sec[pos] == ',')
			pos++;
		if (has_value || n) {
			rc = take_pair(&p, g, name, value);
			if (rc)
				return rc;
		}
	}
	return 0;
}
