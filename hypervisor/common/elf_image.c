/*
 * ELF64 PV kernel image parser: the untrusted-input half of the domain
 * builder. The contract is in elf_image.h, the rules in docs/elf-loading.md.
 *
 * The image is hostile input. Every offset and size read from it is checked
 * against the bytes actually there with the overflow-safe pattern
 * (len <= size - off, after off <= size), never by computing off + len
 * first. Fields are read byte by byte, so the image may sit at any alignment.
 * Work is bounded by the image size: there are at most e_phnum program
 * headers (and, when the notes come from sections, e_shnum section
 * headers), all inside the file, and at most NOTES_MAX notes are walked in
 * all (headers may all name the same notes: without a cap the walk would
 * cost headers times notes, minutes for a hostile file of a few MiB).
 *
 * The order is: ELF header, program headers (notes first, since the note
 * values decide where segments go), then the PT_LOAD segments, then the
 * cross checks (entry, hypercall page, p2m). Nothing is written to the
 * caller's struct until everything has passed.
 */
#include <elf_image.h>
#include <elf_read.h>
#include <elf_xen_guest.h>
#include <public/elfnote.h>
#include <public/errno.h>

/* The ELF facts we need (System V gABI, x86-64 psABI). */
#define EI_NIDENT      16
#define EI_CLASS       4
#define EI_DATA        5
#define EI_VERSION     6
#define ELFCLASS64     2
#define ELFDATA2LSB    1
#define EV_CURRENT     1
#define ET_EXEC        2
#define ET_DYN         3
#define EM_X86_64      62
#define PT_LOAD        1
#define PT_NOTE        4
#define PN_XNUM        0xffff

#define EHDR_SIZE      64
#define PHDR_SIZE      56
#define NOTE_HDR_SIZE  12
#define NOTES_MAX      2048   /* notes walked per file, all headers together; Linux has about 30 */

/* x86-64 with 4-level paging. */
#define PAGE_SIZE_4K    4096ULL
#define CANON_LOW_END   0x0000800000000000ULL   /* first non-canonical address */
#define CANON_HIGH      0xffff800000000000ULL   /* first upper-half address */
#define HV_HOLE_START   0xffff800000000000ULL
#define HV_HOLE_END     0xffff880000000000ULL   /* exclusive */
#define LAST_PAGE       0xfffffffffffff000ULL

/* Xen note types below 32 that we interpret: a bit each, to catch duplicates. */
#define NOTE_BIT(t)     (1U << (t))

/* Parser state: results are gathered here and copied out only on success. */
struct parse {
	const uint8_t *data;
	size_t size;
	char *why;
	size_t why_len;
	struct elf_image img;
	uint32_t notes_seen;      /* NOTE_BIT(type) of interpreted notes */
	unsigned nr_xen_notes;    /* every note named "Xen", interpreted or not */
	unsigned nr_notes;        /* every note walked, in segments and sections */
	const char *in;           /* where the notes being walked are: "segment" or "section" */
	bool xen_guest;           /* described by a __xen_guest section, not by notes */
	uint64_t e_entry;
	unsigned seg_phdr[ELF_IMAGE_MAX_SEGMENTS];  /* program header index of each */
	/* elf_image_foreach_note(): hand each Xen note to visit instead of parsing it. */
	int (*visit)(const struct elf_note *note, void *arg);
	void *visit_arg;
};

static const char *const feature_names[32] = {
	[XENFEAT_writable_page_tables]       = "writable_page_tables",
	[XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
	[XENFEAT_auto_translated_physmap]    = "auto_translated_physmap",
	[XENFEAT_supervisor_mode_kernel]     = "supervisor_mode_kernel",
	[XENFEAT_pae_pgdir_above_4gb]        = "pae_pgdir_above_4gb",
	[XENFEAT_mmu_pt_update_preserve_ad]  = "mmu_pt_update_preserve_ad",
	[XENFEAT_highmem_assist]             = "highmem_assist",
	[XENFEAT_gnttab_map_avail_bits]      = "gnttab_map_avail_bits",
	[XENFEAT_hvm_callback_vector]        = "hvm_callback_vector",
	[XENFEAT_hvm_safe_pvclock]           = "hvm_safe_pvclock",
	[XENFEAT_hvm_pirqs]                  = "hvm_pirqs",
	[XENFEAT_dom0]                       = "dom0",
	[XENFEAT_grant_map_identity]         = "grant_map_identity",
	[XENFEAT_memory_op_vnode_supported]  = "memory_op_vnode_supported",
	[XENFEAT_ARM_SMCCC_supported]        = "ARM_SMCCC_supported",
	[XENFEAT_linux_rsdp_unrestricted]    = "linux_rsdp_unrestricted",
	[XENFEAT_not_direct_mapped]          = "not_direct_mapped",
	[XENFEAT_direct_mapped]              = "direct_mapped",
};

static const char *const note_names[XEN_ELFNOTE_MAX + 1] = {
	[XEN_ELFNOTE_INFO]               = "INFO",
	[XEN_ELFNOTE_ENTRY]              = "ENTRY",
	[XEN_ELFNOTE_HYPERCALL_PAGE]     = "HYPERCALL_PAGE",
	[XEN_ELFNOTE_VIRT_BASE]          = "VIRT_BASE",
	[XEN_ELFNOTE_PADDR_OFFSET]       = "PADDR_OFFSET",
	[XEN_ELFNOTE_XEN_VERSION]        = "XEN_VERSION",
	[XEN_ELFNOTE_GUEST_OS]           = "GUEST_OS",
	[XEN_ELFNOTE_GUEST_VERSION]      = "GUEST_VERSION",
	[XEN_ELFNOTE_LOADER]             = "LOADER",
	[XEN_ELFNOTE_PAE_MODE]           = "PAE_MODE",
	[XEN_ELFNOTE_FEATURES]           = "FEATURES",
	[XEN_ELFNOTE_BSD_SYMTAB]         = "BSD_SYMTAB",
	[XEN_ELFNOTE_HV_START_LOW]       = "HV_START_LOW",
	[XEN_ELFNOTE_L1_MFN_VALID]       = "L1_MFN_VALID",
	[XEN_ELFNOTE_SUSPEND_CANCEL]     = "SUSPEND_CANCEL",
	[XEN_ELFNOTE_INIT_P2M]           = "INIT_P2M",
	[XEN_ELFNOTE_MOD_START_PFN]      = "MOD_START_PFN",
	[XEN_ELFNOTE_SUPPORTED_FEATURES] = "SUPPORTED_FEATURES",
	[XEN_ELFNOTE_PHYS32_ENTRY]       = "PHYS32_ENTRY",
};

/* Record why parsing failed and return rc, so callers write `return fail(...)`. */
#define fail(p, rc, ...) elf_why((p)->why, (p)->why_len, (rc), __VA_ARGS__)

/* [start, last] is canonical (one half) and clear of the hypervisor hole. */
static bool va_range_ok(uint64_t start, uint64_t last)
{
	if (last < CANON_LOW_END)
		return true;
	return start >= HV_HOLE_END;
}

static const char *note_name(uint32_t type)
{
	return type < ARRAY_SIZE(note_names) && note_names[type] ? note_names[type] : "?";
}

const char *elf_image_note_name(uint32_t type)
{
	return type < ARRAY_SIZE(note_names) ? note_names[type] : NULL;
}

bool elf_image_note_is_string(uint32_t type)
{
	switch (type) {
	case XEN_ELFNOTE_INFO:
	case XEN_ELFNOTE_XEN_VERSION:
	case XEN_ELFNOTE_GUEST_OS:
	case XEN_ELFNOTE_GUEST_VERSION:
	case XEN_ELFNOTE_LOADER:
	case XEN_ELFNOTE_PAE_MODE:
	case XEN_ELFNOTE_FEATURES:
	case XEN_ELFNOTE_BSD_SYMTAB:
		return true;
	default:
		return false;
	}
}

const char *elf_image_feature_name(unsigned bit)
{
	return bit < ARRAY_SIZE(feature_names) ? feature_names[bit] : NULL;
}

static int feature_lookup(const char *name, size_t len)
{
	for (unsigned i = 0; i < ARRAY_SIZE(feature_names); i++)
		if (feature_names[i] && strnlen(feature_names[i], len + 1) == len &&
		    memcmp(feature_names[i], name, len) == 0)
			return (int)i;
	return -1;
}

static int check_ehdr(struct parse *p)
{
	const uint8_t *e = p->data;
	uint16_t type;

	if (p->size < 4 || memcmp(e, "\177ELF", 4) != 0)
		return fail(p, -XEN_ENOEXEC, "not an ELF file");
	if (p->size < EHDR_SIZE)
		return fail(p, -XEN_ENOEXEC, "ELF header truncated (file is %zu bytes, header needs %u)",
			    p->size, EHDR_SIZE);
	if (e[EI_CLASS] != ELFCLASS64)
		return fail(p, -XEN_ENOEXEC, "ELF class %u, need ELF64 (class 2)", e[EI_CLASS]);
	if (e[EI_DATA] != ELFDATA2LSB)
		return fail(p, -XEN_ENOEXEC, "ELF data encoding %u, need little-endian (1)", e[EI_DATA]);
	if (e[EI_VERSION] != EV_CURRENT || elf_rd32(e + 20) != EV_CURRENT)
		return fail(p, -XEN_ENOEXEC, "ELF version %u/%u, need 1", e[EI_VERSION], elf_rd32(e + 20));
	if (elf_rd16(e + 18) != EM_X86_64)
		return fail(p, -XEN_ENOEXEC, "ELF machine %u, need x86-64 (62)", elf_rd16(e + 18));
	type = elf_rd16(e + 16);
	if (type == ET_DYN)
		return fail(p, -XEN_ENOEXEC, "ELF type DYN (position-independent): a PV kernel must be EXEC");
	if (type != ET_EXEC)
		return fail(p, -XEN_ENOEXEC, "ELF type %u, need EXEC (2)", type);
	p->e_entry = elf_rd64(e + 24);
	return 0;
}

/* Locate the program header table; *ph and *phnum are set on success. */
static int locate_phdrs(struct parse *p, const uint8_t **ph, unsigned *phnum)
{
	const uint8_t *e = p->data;
	uint64_t phoff = elf_rd64(e + 32);
	uint16_t phentsize = elf_rd16(e + 54);
	uint16_t n = elf_rd16(e + 56);

	if (n == 0)
		return fail(p, -XEN_EINVAL, "no program headers");
	if (n == PN_XNUM)
		return fail(p, -XEN_EINVAL, "extended program header count (e_phnum 0xffff) not supported");
	if (phentsize != PHDR_SIZE)
		return fail(p, -XEN_EINVAL, "program header size %u, need %u", phentsize, PHDR_SIZE);
	if (!elf_range_ok(phoff, (uint64_t)n * PHDR_SIZE, p->size))
		return fail(p, -XEN_EINVAL,
			    "program headers extend past the end of the file (offset 0x%lx, %u entries, file 0x%zx)",
			    phoff, n, p->size);
	*ph = p->data + phoff;
	*phnum = n;
	return 0;
}

/*
 * Copy a string note into dst. The value ends at the first NUL or at the end
 * of the descriptor (Linux writes FEATURES without a NUL). Bytes outside
 * printable ASCII become '?', since the builder prints these. A value that
 * does not fit is refused when `strict` (FEATURES: cutting it would change
 * its meaning), truncated otherwise (the others are informational or
 * compared by prefix only).
 */
static int take_string(struct parse *p, uint32_t type, const uint8_t *desc, uint32_t descsz,
		       char *dst, size_t dst_size, bool strict)
{
	size_t len = strnlen((const char *)desc, descsz);

	if (len >= dst_size) {
		if (strict)
			return fail(p, -XEN_EINVAL, "%s note is too long (%zu bytes, at most %zu)",
				    note_name(type), len, dst_size - 1);
		len = dst_size - 1;
	}
	for (size_t i = 0; i < len; i++)
		dst[i] = desc[i] >= 0x20 && desc[i] < 0x7f ? (char)desc[i] : '?';
	dst[len] = '\0';
	return 0;
}

/* A numeric note: a little-endian integer of 1, 2, 4 or 8 bytes. */
static int take_number(struct parse *p, uint32_t type, const uint8_t *desc, uint32_t descsz,
		       uint64_t *out)
{
	switch (descsz) {
	case 1: *out = desc[0]; return 0;
	case 2: *out = elf_rd16(desc); return 0;
	case 4: *out = elf_rd32(desc); return 0;
	case 8: *out = elf_rd64(desc); return 0;
	}
	return fail(p, -XEN_EINVAL, "%s note has a %u-byte value, need 1, 2, 4 or 8 bytes",
		    note_name(type), descsz);
}

static int take_note(struct parse *p, uint32_t type, const uint8_t *desc, uint32_t descsz)
{
	struct elf_image *img = &p->img;
	uint64_t v = 0;

	switch (type) {
	case XEN_ELFNOTE_GUEST_OS:
		return take_string(p, type, desc, descsz, img->guest_os, sizeof(img->guest_os), false);
	case XEN_ELFNOTE_GUEST_VERSION:
		return take_string(p, type, desc, descsz, img->guest_version,
				   sizeof(img->guest_version), false);
	case XEN_ELFNOTE_XEN_VERSION:
		return take_string(p, type, desc, descsz, img->xen_version, sizeof(img->xen_version), false);
	case XEN_ELFNOTE_LOADER:
		return take_string(p, type, desc, descsz, img->loader, sizeof(img->loader), false);
	case XEN_ELFNOTE_FEATURES:
		return take_string(p, type, desc, descsz, img->features, sizeof(img->features), true);
	case XEN_ELFNOTE_SUPPORTED_FEATURES:
		/* An array of 32-bit submaps; we know submap 0. */
		if (descsz < 4 || descsz % 4)
			return fail(p, -XEN_EINVAL, "SUPPORTED_FEATURES note has %u bytes, need a multiple of 4",
				    descsz);
		img->supported_features = elf_rd32(desc);
		img->supported_features_present = true;
		return 0;
	}

	int rc = take_number(p, type, desc, descsz, &v);
	if (rc)
		return rc;
	switch (type) {
	case XEN_ELFNOTE_ENTRY:          img->entry = v; break;
	case XEN_ELFNOTE_HYPERCALL_PAGE: img->hypercall_page = v; break;
	case XEN_ELFNOTE_VIRT_BASE:      img->virt_base = v; break;
	case XEN_ELFNOTE_PADDR_OFFSET:   img->paddr_offset = v; break;
	case XEN_ELFNOTE_HV_START_LOW:   img->hv_start_low = v; break;
	case XEN_ELFNOTE_INIT_P2M:       img->init_p2m = v; break;
	case XEN_ELFNOTE_MOD_START_PFN:  img->mod_start_pfn = v != 0; break;
	case XEN_ELFNOTE_SUSPEND_CANCEL: img->suspend_cancel = v != 0; break;
	}
	return 0;
}

/* The note types take_note() interprets; the others are skipped unread. */
#define INTERPRETED_NOTES                                                                   \
	(NOTE_BIT(XEN_ELFNOTE_ENTRY) | NOTE_BIT(XEN_ELFNOTE_HYPERCALL_PAGE) |                \
	 NOTE_BIT(XEN_ELFNOTE_VIRT_BASE) | NOTE_BIT(XEN_ELFNOTE_PADDR_OFFSET) |              \
	 NOTE_BIT(XEN_ELFNOTE_XEN_VERSION) | NOTE_BIT(XEN_ELFNOTE_GUEST_OS) |                \
	 NOTE_BIT(XEN_ELFNOTE_GUEST_VERSION) | NOTE_BIT(XEN_ELFNOTE_LOADER) |                \
	 NOTE_BIT(XEN_ELFNOTE_FEATURES) | NOTE_BIT(XEN_ELFNOTE_HV_START_LOW) |               \
	 NOTE_BIT(XEN_ELFNOTE_SUSPEND_CANCEL) | NOTE_BIT(XEN_ELFNOTE_INIT_P2M) |             \
	 NOTE_BIT(XEN_ELFNOTE_MOD_START_PFN) | NOTE_BIT(XEN_ELFNOTE_SUPPORTED_FEATURES))

static int xen_note(struct parse *p, unsigned phdr, uint32_t type, const uint8_t *desc,
		    uint32_t descsz)
{
	if (type >= 32 || !(INTERPRETED_NOTES & NOTE_BIT(type)))
		return 0;       /* INFO, PAE_MODE, BSD_SYMTAB, L1_MFN_VALID, PHYS32_ENTRY, unknown */
	if (p->notes_seen & NOTE_BIT(type))
		return fail(p, -XEN_EINVAL, "duplicate %s note (%s %u)", note_name(type), p->in, phdr);
	p->notes_seen |= NOTE_BIT(type);
	return take_note(p, type, desc, descsz);
}

/*
 * Walk the notes of PT_NOTE program header (or SHT_NOTE section) `phdr`.
 * Each entry is a 12-byte header (namesz, descsz, type), the name and the
 * descriptor, each padded to the note alignment (4, or 8 for an alignment
 * of 8). Only the padding after the last descriptor may be missing.
 */
static int walk_notes(struct parse *p, unsigned phdr, uint64_t off, uint64_t len, uint64_t p_align)
{
	const uint8_t *base = p->data + off;
	uint64_t align = p_align == 8 ? 8 : 4;
	uint64_t pos = 0;

	if (p_align > 4 && p_align != 8)
		return fail(p, -XEN_EINVAL, "%s %u: note alignment %lu, need 4 or 8", p->in, phdr, p_align);
	if (off % align)
		return fail(p, -XEN_EINVAL, "%s %u: notes at file offset 0x%lx are not %lu-byte aligned",
			    p->in, phdr, off, align);
	for (unsigned n = 0; pos < len; n++) {
		if (++p->nr_notes > NOTES_MAX)
			return fail(p, -XEN_EINVAL, "more than %u ELF notes (%s %u)", NOTES_MAX, p->in, phdr);
		if (len - pos < NOTE_HDR_SIZE)
			return fail(p, -XEN_EINVAL, "%s %u: note %u header truncated (%lu bytes left)",
				    p->in, phdr, n, len - pos);
		uint32_t namesz = elf_rd32(base + pos);
		uint32_t descsz = elf_rd32(base + pos + 4);
		uint32_t type = elf_rd32(base + pos + 8);
		pos += NOTE_HDR_SIZE;

		uint64_t name_padded = ALIGN_UP((uint64_t)namesz, align);
		if (name_padded > len - pos)
			return fail(p, -XEN_EINVAL, "%s %u: note %u name size 0x%x runs past the %s end",
				    p->in, phdr, n, namesz, p->in);
		const uint8_t *name = base + pos;
		pos += name_padded;

		if (descsz > len - pos)
			return fail(p, -XEN_EINVAL, "%s %u: note %u descriptor size 0x%x runs past the %s end",
				    p->in, phdr, n, descsz, p->in);
		const uint8_t *desc = base + pos;
		pos += MIN(ALIGN_UP((uint64_t)descsz, align), len - pos);

		if (namesz == 4 && memcmp(name, XEN_ELFNOTE_NAME, 4) == 0) {
			p->nr_xen_notes++;
			struct elf_note note = { .type = type, .desc = desc, .desc_len = descsz };
			int rc = p->visit ? p->visit(&note, p->visit_arg) : xen_note(p, phdr, type, desc, descsz);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int scan_notes(struct parse *p, const uint8_t *ph, unsigned phnum)
{
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *h = ph + (size_t)i * PHDR_SIZE;
		if (elf_rd32(h) != PT_NOTE)
			continue;
		uint64_t off = elf_rd64(h + 8), filesz = elf_rd64(h + 32), align = elf_rd64(h + 48);
		if (!elf_range_ok(off, filesz, p->size))
			return fail(p, -XEN_EINVAL,
				    "note segment %u extends past the end of the file (offset 0x%lx, size 0x%lx)",
				    i, off, filesz);
		int rc = walk_notes(p, i, off, filesz, align);
		if (rc)
			return rc;
	}
	return 0;
}

static int note_section(const struct elf_section *s, void *arg)
{
	struct parse *p = arg;

	/* section 0 is the null one, whatever its type says (Xen starts at 1 too) */
	if (s->type != ELF_SHT_NOTE || s->index == 0)
		return 0;
	if (!elf_range_ok(s->offset, s->size, p->size))
		return fail(p, -XEN_EINVAL,
			    "note section %u extends past the end of the file (offset 0x%lx, size 0x%lx)",
			    s->index, s->offset, s->size);
	return walk_notes(p, s->index, s->offset, s->size, s->align);
}

/*
 * No Xen note in a note segment (a kernel linked without one, or whose
 * segments hold other notes only): Xen 4.17 then reads the SHT_NOTE
 * sections, in both its builders, and so do we, by the same rules.
 */
static int scan_note_sections(struct parse *p)
{
	p->in = "section";
	return elf_sections(p->data, p->size, note_section, p);
}

/*
 * Parse FEATURES ("f1|!f2|..."): '!' marks a required feature. Unknown
 * names are ignored when optional and refused when required, as Xen does.
 */
static int parse_features(struct parse *p)
{
	const char *s = p->img.features;

	while (*s) {
		const char *end = s;
		while (*end && *end != '|')
			end++;
		const char *name = s;
		bool required = *name == '!';
		if (required)
			name++;
		size_t len = (size_t)(end - name);
		int bit = len ? feature_lookup(name, len) : -1;

		if (bit >= 0) {
			p->img.features_wanted[0] |= 1U << bit;
			if (required)
				p->img.required_features[0] |= 1U << bit;
		} else if (required && len) {
			return fail(p, -XEN_EINVAL, "requires unknown feature '%.*s'", (int)MIN(len, 64), name);
		}
		s = *end ? end + 1 : end;
	}
	return 0;
}

/*
 * What each numeric note means when a kernel leaves it out, by Xen 4.17's
 * rules (the comments of its public elfnote.h, checked by booting kernels
 * without them: tests/guests/lowaddr.c). Mini-OS and the kernels built on it
 * are linked at low addresses and omit some of these. The libxenguest PV
 * builder uses this same file, so Dom0 and DomUs get the same defaults.
 *
 *   VIRT_BASE       0: pfn 0 is at VA 0.
 *   PADDR_OFFSET    0 (p_paddr is the pseudo-physical address); present
 *                   without VIRT_BASE it is refused, as Xen does. For a
 *                   kernel described by the old __xen_guest section
 *                   (elf_xen_guest.c) it is VIRT_BASE instead, as in Xen:
 *                   such kernels put the virtual address in p_paddr.
 *   ENTRY           the ELF header's e_entry.
 *   HYPERCALL_PAGE  none: the kernel issues hypercalls itself.
 *   INIT_P2M        none: the p2m list goes in the boot region.
 *   HV_START_LOW    0 (nothing asked).
 *   MOD_START_PFN, SUSPEND_CANCEL: false (the struct starts zeroed).
 *
 * A note that is present and says 0 is taken as written (VIRT_BASE 0 is
 * the same as no VIRT_BASE; ENTRY 0 is an entry at VA 0); only
 * HYPERCALL_PAGE and INIT_P2M treat 0 as "none", as the builders always
 * have. The hostile cases are caught after the defaults are in: an entry
 * outside the image, a segment below VIRT_BASE, sizes that wrap.
 */
enum note_default { DEFAULT_ZERO, DEFAULT_E_ENTRY };

static const struct {
	uint32_t type;
	size_t field;              /* offsetof the uint64_t in struct elf_image */
	enum note_default how;
} note_defaults[] = {
	{ XEN_ELFNOTE_VIRT_BASE,      offsetof(struct elf_image, virt_base),      DEFAULT_ZERO },
	{ XEN_ELFNOTE_PADDR_OFFSET,   offsetof(struct elf_image, paddr_offset),   DEFAULT_ZERO },
	{ XEN_ELFNOTE_ENTRY,          offsetof(struct elf_image, entry),          DEFAULT_E_ENTRY },
	{ XEN_ELFNOTE_HYPERCALL_PAGE, offsetof(struct elf_image, hypercall_page), DEFAULT_ZERO },
	{ XEN_ELFNOTE_INIT_P2M,       offsetof(struct elf_image, init_p2m),       DEFAULT_ZERO },
	{ XEN_ELFNOTE_HV_START_LOW,   offsetof(struct elf_image, hv_start_low),   DEFAULT_ZERO },
};

static void apply_defaults(struct parse *p)
{
	for (unsigned i = 0; i < ARRAY_SIZE(note_defaults); i++) {
		if (p->notes_seen & NOTE_BIT(note_defaults[i].type))
			continue;
		uint64_t *field = (uint64_t *)((char *)&p->img + note_defaults[i].field);
		*field = note_defaults[i].how == DEFAULT_E_ENTRY ? p->e_entry : 0;
	}
	if (p->xen_guest && !(p->notes_seen & NOTE_BIT(XEN_ELFNOTE_PADDR_OFFSET)))
		p->img.paddr_offset = p->img.virt_base;
}

/*
 * A kernel without Xen notes may still describe itself the old way, in a
 * __xen_guest section: its values then stand in for the notes', with the
 * same checks after.
 */
static int read_xen_guest(struct parse *p)
{
	static const struct { uint32_t from, note; } map[] = {
		{ ELF_XEN_GUEST_LOADER, XEN_ELFNOTE_LOADER },
		{ ELF_XEN_GUEST_GUEST_OS, XEN_ELFNOTE_GUEST_OS },
		{ ELF_XEN_GUEST_GUEST_VER, XEN_ELFNOTE_GUEST_VERSION },
		{ ELF_XEN_GUEST_XEN_VER, XEN_ELFNOTE_XEN_VERSION },
		{ ELF_XEN_GUEST_FEATURES, XEN_ELFNOTE_FEATURES },
		{ ELF_XEN_GUEST_VIRT_BASE, XEN_ELFNOTE_VIRT_BASE },
		{ ELF_XEN_GUEST_VIRT_ENTRY, XEN_ELFNOTE_ENTRY },
		{ ELF_XEN_GUEST_PADDR_OFFSET, XEN_ELFNOTE_PADDR_OFFSET },
		{ ELF_XEN_GUEST_HYPERCALL_PAGE, XEN_ELFNOTE_HYPERCALL_PAGE },
	};
	struct elf_xen_guest g;
	struct elf_image *img = &p->img;
	int rc = elf_xen_guest_read(p->data, p->size, &g, p->why, p->why_len);

	if (rc || !g.found)
		return rc;
	p->xen_guest = true;
	memcpy(img->loader, g.loader, sizeof(img->loader));
	memcpy(img->guest_os, g.guest_os, sizeof(img->guest_os));
	memcpy(img->guest_version, g.guest_version, sizeof(img->guest_version));
	memcpy(img->xen_version, g.xen_version, sizeof(img->xen_version));
	memcpy(img->features, g.features, sizeof(img->features));
	img->virt_base = g.virt_base;
	img->entry = g.entry;
	img->paddr_offset = g.paddr_offset;
	img->hypercall_page = g.hypercall_page;
	for (unsigned i = 0; i < ARRAY_SIZE(map); i++)
		if (g.seen & map[i].from)
			p->notes_seen |= NOTE_BIT(map[i].note);
	return 0;
}

/* The notes that make this a PV kernel we may load (Xen's rules). */
static int check_identity(struct parse *p)
{
	const struct elf_image *img = &p->img;

	if (p->nr_xen_notes == 0 && !p->xen_guest)
		return fail(p, -XEN_ENOEXEC, "no Xen ELF notes nor __xen_guest section: not a PV kernel");
	if (!(p->notes_seen & NOTE_BIT(XEN_ELFNOTE_XEN_VERSION)))
		return fail(p, -XEN_ENOEXEC, "no XEN_VERSION %s (need \"xen-3.0\")",
			    p->xen_guest ? "in __xen_guest" : "note");
	if (strncmp(img->xen_version, "xen-3.0", 7) != 0)
		return fail(p, -XEN_ENOEXEC, "XEN_VERSION is \"%s\", need \"xen-3.0\"", img->xen_version);
	if (strncmp(img->loader, "generic", 7) != 0 && strncmp(img->guest_os, "linux", 5) != 0)
		return fail(p, -XEN_ENOEXEC,
			    "neither LOADER \"generic\" nor GUEST_OS \"linux\" (LOADER \"%s\", GUEST_OS \"%s\")",
			    img->loader, img->guest_os);
	/* Xen refuses this pair too: the offset would be from an unknown base. */
	if ((p->notes_seen & NOTE_BIT(XEN_ELFNOTE_PADDR_OFFSET)) &&
	    !(p->notes_seen & NOTE_BIT(XEN_ELFNOTE_VIRT_BASE)))
		return fail(p, -XEN_EINVAL, "PADDR_OFFSET note without VIRT_BASE note");
	apply_defaults(p);
	if (!IS_ALIGNED(img->virt_base, PAGE_SIZE_4K) || !IS_ALIGNED(img->paddr_offset, PAGE_SIZE_4K))
		return fail(p, -XEN_EINVAL, "VIRT_BASE 0x%lx or PADDR_OFFSET 0x%lx is not page-aligned",
			    img->virt_base, img->paddr_offset);
	return parse_features(p);
}

/* Check one PT_LOAD header and append it to img->segments if it has memory. */
static int add_segment(struct parse *p, unsigned i, const uint8_t *h)
{
	struct elf_image *img = &p->img;
	uint64_t off = elf_rd64(h + 8), paddr = elf_rd64(h + 24);
	uint64_t filesz = elf_rd64(h + 32), memsz = elf_rd64(h + 40);

	if (filesz > memsz)
		return fail(p, -XEN_EINVAL, "segment %u: file size 0x%lx is larger than memory size 0x%lx",
			    i, filesz, memsz);
	if (!elf_range_ok(off, filesz, p->size))
		return fail(p, -XEN_EINVAL, "segment %u extends past the end of the file (offset 0x%lx, size 0x%lx, file 0x%zx)",
			    i, off, filesz, p->size);
	if (memsz == 0)
		return 0;
	if (img->nr_segments == ELF_IMAGE_MAX_SEGMENTS)
		return fail(p, -XEN_E2BIG, "more than %u loadable segments", ELF_IMAGE_MAX_SEGMENTS);

	/*
	 * Load by physical address: p_vaddr is not used (Linux's percpu has 0).
	 * paddr - PADDR_OFFSET is the pseudo-physical address; below 0 it
	 * would lie below VIRT_BASE (Xen: "start ... out of bounds").
	 */
	if (paddr < img->paddr_offset)
		return fail(p, -XEN_EINVAL, "segment %u: paddr 0x%lx is below PADDR_OFFSET 0x%lx, so below VIRT_BASE 0x%lx",
			    i, paddr, img->paddr_offset, img->virt_base);
	if (paddr - img->paddr_offset > UINT64_MAX - img->virt_base)
		return fail(p, -XEN_EINVAL, "segment %u: VIRT_BASE 0x%lx + paddr 0x%lx - PADDR_OFFSET 0x%lx wraps around",
			    i, img->virt_base, paddr, img->paddr_offset);
	uint64_t vaddr = img->virt_base + (paddr - img->paddr_offset);
	if (memsz - 1 > UINT64_MAX - vaddr)
		return fail(p, -XEN_EINVAL, "segment %u: VA 0x%lx + size 0x%lx wraps around", i, vaddr, memsz);
	uint64_t last = vaddr + (memsz - 1);
	if ((vaddr < CANON_LOW_END) != (last < CANON_LOW_END) ||
	    (vaddr >= CANON_LOW_END && vaddr < CANON_HIGH) || (last >= CANON_LOW_END && last < CANON_HIGH))
		return fail(p, -XEN_EINVAL, "segment %u: VA range 0x%lx-0x%lx is not canonical", i, vaddr, last);
	if (!va_range_ok(vaddr, last))
		return fail(p, -XEN_EINVAL,
			    "segment %u: VA range 0x%lx-0x%lx overlaps the hypervisor hole 0x%llx-0x%llx",
			    i, vaddr, last, HV_HOLE_START, HV_HOLE_END - 1);
	if (ALIGN_DOWN(last, PAGE_SIZE_4K) == LAST_PAGE)
		return fail(p, -XEN_EINVAL, "segment %u: VA range 0x%lx-0x%lx reaches the last page of the address space",
			    i, vaddr, last);

	for (unsigned j = 0; j < img->nr_segments; j++) {
		const struct elf_segment *o = &img->segments[j];
		if (vaddr <= o->vaddr + (o->memsz - 1) && o->vaddr <= last)
			return fail(p, -XEN_EINVAL, "segments %u and %u overlap (VA 0x%lx-0x%lx and 0x%lx-0x%lx)",
				    p->seg_phdr[j], i, o->vaddr, o->vaddr + (o->memsz - 1), vaddr, last);
	}

	p->seg_phdr[img->nr_segments] = i;
	img->segments[img->nr_segments++] = (struct elf_segment){
		.paddr = paddr, .vaddr = vaddr, .file_offset = off,
		.filesz = filesz, .memsz = memsz, .flags = elf_rd32(h + 4),
	};
	return 0;
}

static int load_segments(struct parse *p, const uint8_t *ph, unsigned phnum)
{
	struct elf_image *img = &p->img;
	uint64_t lo = UINT64_MAX, hi = 0;

	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *h = ph + (size_t)i * PHDR_SIZE;
		if (elf_rd32(h) != PT_LOAD)
			continue;
		int rc = add_segment(p, i, h);
		if (rc)
			return rc;
	}
	if (img->nr_segments == 0)
		return fail(p, -XEN_EINVAL, "no loadable (PT_LOAD) segment");
	for (unsigned j = 0; j < img->nr_segments; j++) {
		lo = MIN(lo, img->segments[j].vaddr);
		hi = MAX(hi, img->segments[j].vaddr + (img->segments[j].memsz - 1));
	}
	img->virt_start = ALIGN_DOWN(lo, PAGE_SIZE_4K);
	img->virt_end = ALIGN_DOWN(hi, PAGE_SIZE_4K) + PAGE_SIZE_4K;   /* hi is below LAST_PAGE */

	/* The builder maps every page from VIRT_BASE (pfn 0) to the image end. */
	if (!va_range_ok(img->virt_base, hi))
		return fail(p, -XEN_EINVAL,
			    "VIRT_BASE 0x%lx to image end 0x%lx crosses the non-canonical gap or the hypervisor hole",
			    img->virt_base, hi);
	return 0;
}

/* Segment holding [va, va + len) whole, or NULL. */
static const struct elf_segment *find_segment(const struct elf_image *img, uint64_t va, uint64_t len,
					      bool in_file)
{
	for (unsigned j = 0; j < img->nr_segments; j++) {
		const struct elf_segment *s = &img->segments[j];
		uint64_t size = in_file ? s->filesz : s->memsz;
		if (va >= s->vaddr && va - s->vaddr < size && len <= size - (va - s->vaddr))
			return s;
	}
	return NULL;
}

static int check_addresses(struct parse *p)
{
	const struct elf_image *img = &p->img;
	const struct elf_segment *s;

	s = find_segment(img, img->entry, 1, true);
	if (!s || !(s->flags & ELF_SEG_X))
		return fail(p, -XEN_EINVAL, "entry point 0x%lx is not inside an executable loaded segment%s",
			    img->entry,
			    (p->notes_seen & NOTE_BIT(XEN_ELFNOTE_ENTRY)) ? "" : " (no ENTRY note; e_entry used)");
	if (img->hypercall_page) {
		if (!IS_ALIGNED(img->hypercall_page, PAGE_SIZE_4K))
			return fail(p, -XEN_EINVAL, "hypercall page 0x%lx is not page-aligned", img->hypercall_page);
		if (!find_segment(img, img->hypercall_page, PAGE_SIZE_4K, false))
			return fail(p, -XEN_EINVAL, "hypercall page 0x%lx is not inside a loaded segment",
				    img->hypercall_page);
	}
	if (img->init_p2m) {
		uint64_t v = img->init_p2m;
		if (!IS_ALIGNED(v, PAGE_SIZE_4K) || (v >= CANON_LOW_END && v < HV_HOLE_END))
			return fail(p, -XEN_EINVAL, "INIT_P2M 0x%lx is not a page-aligned guest address", v);
		if (v >= img->virt_base && v < img->virt_end)
			return fail(p, -XEN_EINVAL, "INIT_P2M 0x%lx is inside the kernel area 0x%lx-0x%lx",
				    v, img->virt_base, img->virt_end);
	}
	return 0;
}

/* The steps every reader of an image takes: headers, then the Xen notes. */
static int read_notes(struct parse *p, const uint8_t **ph, unsigned *phnum)
{
	int rc;

	if (p->why_len)
		p->why[0] = '\0';
	if (!p->data)
		return fail(p, -XEN_EINVAL, "no image");
	rc = check_ehdr(p);
	if (!rc)
		rc = locate_phdrs(p, ph, phnum);
	p->in = "segment";
	if (!rc)
		rc = scan_notes(p, *ph, *phnum);
	if (!rc && !p->nr_xen_notes)
		rc = scan_note_sections(p);
	return rc;
}

int elf_image_parse(const void *data, size_t size, struct elf_image *img, char *why, size_t why_len)
{
	struct parse p = { .data = data, .size = size, .why = why, .why_len = why_len };
	const uint8_t *ph = NULL;
	unsigned phnum = 0;
	int rc;

	memset(img, 0, sizeof(*img));
	rc = read_notes(&p, &ph, &phnum);
	if (!rc && p.nr_xen_notes == 0)
		rc = read_xen_guest(&p);
	if (!rc)
		rc = check_identity(&p);
	if (!rc)
		rc = load_segments(&p, ph, phnum);
	if (!rc)
		rc = check_addresses(&p);
	if (rc)
		return rc;

	p.img.data = data;
	p.img.size = size;
	*img = p.img;
	return 0;
}

int elf_image_foreach_note(const void *data, size_t size,
			   int (*fn)(const struct elf_note *note, void *arg), void *arg,
			   char *why, size_t why_len)
{
	struct parse p = { .data = data, .size = size, .why = why, .why_len = why_len,
			   .visit = fn, .visit_arg = arg };
	const uint8_t *ph;
	unsigned phnum;

	return read_notes(&p, &ph, &phnum);
}

bool elf_image_requires_only(const struct elf_image *img, uint32_t supported_mask, char *why, size_t why_len)
{
	uint32_t missing = img->required_features[0] & ~supported_mask;

	if (!missing)
		return true;
	unsigned bit = (unsigned)__builtin_ctz(missing);
	if (why_len)
		hv_snprintf(why, why_len, "requires unsupported feature '%s'", elf_image_feature_name(bit));
	return false;
}

bool elf_image_dom0_capable(const struct elf_image *img)
{
	uint32_t all = img->supported_features | img->features_wanted[0];

	return !img->supported_features_present || (all & (1U << XENFEAT_dom0));
}

int elf_image_read(const struct elf_image *img, unsigned seg, uint64_t offset, void *dst, size_t len)
{
	if (seg >= img->nr_segments)
		return -XEN_EINVAL;
	const struct elf_segment *s = &img->segments[seg];
	if (!elf_range_ok(offset, len, s->memsz))
		return -XEN_EINVAL;

	uint8_t *d = dst;
	size_t from_file = 0;
	if (offset < s->filesz) {
		from_file = (size_t)MIN((uint64_t)len, s->filesz - offset);
		memcpy(d, img->data + s->file_offset + offset, from_file);
	}
	memset(d + from_file, 0, len - from_file);
	return 0;
}

int elf_image_copy_segment(const struct elf_image *img, unsigned seg, void *dst, size_t dst_len)
{
	if (seg >= img->nr_segments || img->segments[seg].memsz > dst_len)
		return -XEN_EINVAL;
	return elf_image_read(img, seg, 0, dst, (size_t)img->segments[seg].memsz);
}
