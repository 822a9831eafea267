/*
 * Unit tests of the PV kernel ELF parser (hypervisor/common/elf_image.c).
 *
 * Each test builds a synthetic image with build(): an ELF header, the
 * program headers of a segment table, and one PT_NOTE segment holding a
 * list of notes. The good image imitates Debian's 6.1 vmlinux in miniature
 * (VIRT_BASE 0xffffffff80000000, a per-cpu segment with p_vaddr 0, a
 * FEATURES string without NUL, a "GNU" note among the "Xen" ones). The
 * malformation tests change one thing each and check the error code and
 * that `why` names the problem. The real Debian kernel is checked by
 * tests/unit/hypervisor/common/elf_image_debian_test.c.
 */
#include "fake/machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elf_image.h>
#include <elf_read.h>
#include <public/elfnote.h>
#include <public/errno.h>

#define IMG_SIZE   0x6000
#define NOTE_OFF   0x800
#define VIRT_BASE  0xffffffff80000000ULL
#define MAX_NOTES  24
#define MAX_SEGS   24

struct note {
	const char *name;
	uint32_t namesz;
	uint32_t type;
	const void *desc;
	uint32_t descsz;
};

struct seg {
	uint32_t type, flags;
	uint64_t off, vaddr, paddr, filesz, memsz, align;
};

/* The image under construction: a table of segments and one of notes. */
struct spec {
	struct seg segs[MAX_SEGS];
	unsigned nr_segs;
	struct note notes[MAX_NOTES];
	unsigned nr_notes;
	uint64_t note_align;   /* p_align of the PT_NOTE segment */
	uint64_t note_off;     /* where the notes go in the file */
	uint64_t note_extra;   /* bytes added to the PT_NOTE filesz */
	bool no_note_phdr;
	uint64_t u64[MAX_NOTES];   /* values set_u64 gave notes */
};

static uint8_t img_buf[IMG_SIZE];
static size_t built_note_len;   /* bytes of notes build() wrote at note_off */
static char why[256];
static struct elf_image img;

static const uint64_t u64_virt_base = VIRT_BASE;
static const uint32_t u32_zero = 0;
static const uint64_t u64_entry = VIRT_BASE + 0x200010;
static const uint64_t u64_hcall = VIRT_BASE + 0x201000;
static const uint64_t u64_p2m = 0x8000000000ULL;
static const uint64_t u64_hv_start = 0xffff800000000000ULL;
static const uint32_t u32_supported = 0x8801;
static const uint32_t u32_one = 1;
static const char features_linux[] = "!writable_page_tables|pae_pgdir_above_4gb";

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void add_note(struct spec *s, uint32_t type, const void *desc, uint32_t descsz)
{
	s->notes[s->nr_notes++] = (struct note){ "Xen", 4, type, desc, descsz };
}

static void add_str(struct spec *s, uint32_t type, const char *str)
{
	add_note(s, type, str, (uint32_t)strlen(str) + 1);
}

static void add_seg(struct spec *s, uint32_t flags, uint64_t off, uint64_t vaddr, uint64_t paddr,
		    uint64_t filesz, uint64_t memsz)
{
	s->segs[s->nr_segs++] = (struct seg){ 1, flags, off, vaddr, paddr, filesz, memsz, 0x1000 };
}

/* A small Linux-like kernel: text, data + bss, a p_vaddr-0 percpu segment. */
/* Note i's descriptor: the 8-byte value v (kept in the spec) */
static void set_u64(struct spec *s, unsigned i, uint64_t v)
{
	s->u64[i] = v;
	s->notes[i].desc = &s->u64[i];
}

static void good_spec(struct spec *s)
{
	memset(s, 0, sizeof(*s));
	s->note_align = 4;
	s->note_off = NOTE_OFF;
	add_seg(s, ELF_SEG_R | ELF_SEG_X, 0x1000, VIRT_BASE + 0x200000, 0x200000, 0x2000, 0x2000);
	add_seg(s, ELF_SEG_R | ELF_SEG_W, 0x3000, VIRT_BASE + 0x400000, 0x400000, 0x1000, 0x3000);
	add_seg(s, ELF_SEG_R | ELF_SEG_W, 0x4000, 0, 0x600000, 0x800, 0x800);

	add_str(s, XEN_ELFNOTE_GUEST_OS, "linux");
	add_str(s, XEN_ELFNOTE_GUEST_VERSION, "2.6");
	add_str(s, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
	add_note(s, XEN_ELFNOTE_VIRT_BASE, &u64_virt_base, 8);
	add_note(s, XEN_ELFNOTE_INIT_P2M, &u64_p2m, 8);
	add_note(s, XEN_ELFNOTE_ENTRY, &u64_entry, 8);
	add_note(s, XEN_ELFNOTE_HYPERCALL_PAGE, &u64_hcall, 8);
	/* As Linux writes it: .ascii, no NUL. */
	add_note(s, XEN_ELFNOTE_FEATURES, features_linux, (uint32_t)strlen(features_linux));
	add_note(s, XEN_ELFNOTE_SUPPORTED_FEATURES, &u32_supported, 4);
	add_str(s, XEN_ELFNOTE_PAE_MODE, "yes");
	add_str(s, XEN_ELFNOTE_LOADER, "generic");
	add_note(s, XEN_ELFNOTE_MOD_START_PFN, &u32_one, 4);
	add_note(s, XEN_ELFNOTE_HV_START_LOW, &u64_hv_start, 8);
	add_note(s, XEN_ELFNOTE_PADDR_OFFSET, &u32_zero, 4);   /* 4-byte numeric */
	s->notes[s->nr_notes++] = (struct note){ "GNU", 4, 3, "\x01\x02\x03\x04\x05", 5 };
	s->notes[s->nr_notes++] = (struct note){ "Linux", 6, 0x101, &u32_zero, 4 };
}

static size_t write_notes(const struct spec *s, uint8_t *p, size_t room)
{
	size_t pos = 0, a = s->note_align == 8 ? 8 : 4;

	for (unsigned i = 0; i < s->nr_notes; i++) {
		const struct note *n = &s->notes[i];
		size_t need = 12 + ((n->namesz + a - 1) & ~(a - 1)) + ((n->descsz + a - 1) & ~(a - 1));
		assert_true(pos + need <= room);
		put32(p + pos, n->namesz);
		put32(p + pos + 4, n->descsz);
		put32(p + pos + 8, n->type);
		pos += 12;
		memcpy(p + pos, n->name, MIN(n->namesz, strlen(n->name) + 1));
		pos += (n->namesz + a - 1) & ~(a - 1);
		memcpy(p + pos, n->desc, n->descsz);
		pos += (n->descsz + a - 1) & ~(a - 1);
	}
	return pos;
}

/* Lay the image out in img_buf; returns its size (always IMG_SIZE). */
static size_t build(const struct spec *s)
{
	uint8_t *e = img_buf;
	unsigned phnum = s->nr_segs + !s->no_note_phdr;

	memset(img_buf, 0, sizeof(img_buf));
	for (size_t i = 0x1000; i < IMG_SIZE; i++)
		img_buf[i] = (uint8_t)(i * 7 + 1);
	memcpy(e, "\177ELF", 4);
	e[4] = 2;       /* ELFCLASS64 */
	e[5] = 1;       /* little-endian */
	e[6] = 1;       /* EV_CURRENT */
	put16(e + 16, 2);           /* ET_EXEC */
	put16(e + 18, 62);          /* EM_X86_64 */
	put32(e + 20, 1);
	put64(e + 24, 0x200000);    /* e_entry: physical, as in Linux; not used */
	put64(e + 32, 64);          /* e_phoff */
	put16(e + 52, 64);
	put16(e + 54, 56);
	put16(e + 56, (uint16_t)phnum);
	assert_true(64 + phnum * 56 <= NOTE_OFF);

	size_t note_len = write_notes(s, img_buf + s->note_off, 0x1000 - s->note_off);
	built_note_len = note_len;
	for (unsigned i = 0; i < phnum; i++) {
		uint8_t *h = e + 64 + i * 56;
		struct seg n = { 4, 4, s->note_off, VIRT_BASE + 0x200800, 0x200800,
				 note_len + s->note_extra, note_len + s->note_extra, s->note_align };
		const struct seg *g = i < s->nr_segs ? &s->segs[i] : &n;
		put32(h, g->type);
		put32(h + 4, g->flags);
		put64(h + 8, g->off);
		put64(h + 16, g->vaddr);
		put64(h + 24, g->paddr);
		put64(h + 32, g->filesz);
		put64(h + 40, g->memsz);
		put64(h + 48, g->align);
	}
	return IMG_SIZE;
}

static int parse_spec(const struct spec *s)
{
	size_t size = build(s);
	return elf_image_parse(img_buf, size, &img, why, sizeof(why));
}

/* Expect failure with rc and a reason containing `what`. */
#define expect_refused(rc_expr, rc_want, what)                                       \
	do {                                                                             \
		int rc_ = (rc_expr);                                                     \
		if (rc_ != (rc_want) || !strstr(why, (what)))                            \
			fail_msg("got %d \"%s\", want %d \"...%s...\"", rc_, why, (rc_want), (what)); \
		assert_int_equal(img.nr_segments, 0);                                    \
	} while (0)

static void refuse_spec(const struct spec *s, int rc, const char *what)
{
	expect_refused(parse_spec(s), rc, what);
}

/* ---- the good image ---------------------------------------------------- */

static void good_image_all_fields(void **state)
{
	struct spec s;

	good_spec(&s);
	int rc = parse_spec(&s);
	if (rc)
		fail_msg("good image refused: %d %s", rc, why);
	assert_string_equal(why, "");
	assert_ptr_equal(img.data, img_buf);
	assert_int_equal(img.size, IMG_SIZE);
	assert_int_equal(img.entry, VIRT_BASE + 0x200010);
	assert_int_equal(img.virt_base, VIRT_BASE);
	assert_int_equal(img.paddr_offset, 0);
	assert_int_equal(img.hypercall_page, VIRT_BASE + 0x201000);
	assert_int_equal(img.init_p2m, 0x8000000000ULL);
	assert_int_equal(img.hv_start_low, 0xffff800000000000ULL);
	assert_string_equal(img.guest_os, "linux");
	assert_string_equal(img.guest_version, "2.6");
	assert_string_equal(img.xen_version, "xen-3.0");
	assert_string_equal(img.loader, "generic");
	assert_string_equal(img.features, features_linux);
	assert_int_equal(img.supported_features, 0x8801);
	assert_true(img.supported_features_present);
	assert_int_equal(img.required_features[0], 1U << XENFEAT_writable_page_tables);
	assert_int_equal(img.features_wanted[0],
			 (1U << XENFEAT_writable_page_tables) | (1U << XENFEAT_pae_pgdir_above_4gb));
	assert_true(img.mod_start_pfn);
	assert_false(img.suspend_cancel);
	assert_int_equal(img.nr_segments, 3);
	assert_int_equal(img.segments[0].vaddr, VIRT_BASE + 0x200000);
	assert_int_equal(img.segments[0].flags, ELF_SEG_R | ELF_SEG_X);
	assert_int_equal(img.segments[1].filesz, 0x1000);
	assert_int_equal(img.segments[1].memsz, 0x3000);
	assert_int_equal(img.virt_start, VIRT_BASE + 0x200000);
	assert_int_equal(img.virt_end, VIRT_BASE + 0x601000);
	assert_true(elf_image_dom0_capable(&img));
}

/* Linux's .data..percpu: p_vaddr 0, placed at paddr + VIRT_BASE. */
static void percpu_segment_loaded_by_paddr(void **state)
{
	struct spec s;

	good_spec(&s);
	assert_int_equal(parse_spec(&s), 0);
	assert_int_equal(img.segments[2].paddr, 0x600000);
	assert_int_equal(img.segments[2].vaddr, VIRT_BASE + 0x600000);
	assert_int_equal(img.segments[2].file_offset, 0x4000);
}

static void paddr_offset_moves_segments(void **state)
{
	static const uint64_t off = 0x100000;
	struct spec s;

	good_spec(&s);
	s.notes[s.nr_notes - 3] = (struct note){ "Xen", 4, XEN_ELFNOTE_PADDR_OFFSET, &off, 8 };
	for (unsigned i = 0; i < s.nr_segs; i++)
		s.segs[i].paddr += off;
	assert_int_equal(parse_spec(&s), 0);
	assert_int_equal(img.paddr_offset, off);
	assert_int_equal(img.segments[0].paddr, 0x300000);
	assert_int_equal(img.segments[0].vaddr, VIRT_BASE + 0x200000);
}

static void read_and_copy_segments(void **state)
{
	struct spec s;
	uint8_t page[0x1000], whole[0x3000];

	good_spec(&s);
	assert_int_equal(parse_spec(&s), 0);
	/* Segment 1: one page from the file, two of zeros. */
	assert_int_equal(elf_image_read(&img, 1, 0, page, sizeof(page)), 0);
	assert_memory_equal(page, img_buf + 0x3000, sizeof(page));
	memset(page, 0xaa, sizeof(page));
	assert_int_equal(elf_image_read(&img, 1, 0x1000, page, sizeof(page)), 0);
	for (size_t i = 0; i < sizeof(page); i++)
		assert_int_equal(page[i], 0);
	/* Straddling filesz. */
	assert_int_equal(elf_image_read(&img, 1, 0xff0, page, 0x20), 0);
	assert_memory_equal(page, img_buf + 0x3ff0, 0x10);
	assert_int_equal(page[0x10], 0);
	assert_int_equal(elf_image_copy_segment(&img, 1, whole, sizeof(whole)), 0);
	assert_memory_equal(whole, img_buf + 0x3000, 0x1000);
	assert_int_equal(whole[0x2fff], 0);
	/* Out of range. */
	assert_int_equal(elf_image_read(&img, 1, 0x2ff0, page, 0x20), -XEN_EINVAL);
	assert_int_equal(elf_image_read(&img, 1, UINT64_MAX, page, 2), -XEN_EINVAL);
	assert_int_equal(elf_image_read(&img, 3, 0, page, 1), -XEN_EINVAL);
	assert_int_equal(elf_image_copy_segment(&img, 1, whole, 0x2fff), -XEN_EINVAL);
}

static void features_checked_against_offer(void **state)
{
	static const char req[] = "!writable_page_tables|!supervisor_mode_kernel|dom0";
	struct spec s;

	good_spec(&s);
	assert_int_equal(parse_spec(&s), 0);
	assert_true(elf_image_requires_only(&img, 1U << XENFEAT_writable_page_tables, why, sizeof(why)));
	assert_false(elf_image_requires_only(&img, 1U << XENFEAT_pae_pgdir_above_4gb, why, sizeof(why)));
	assert_string_equal(why, "requires unsupported feature 'writable_page_tables'");

	good_spec(&s);
	s.notes[7] = (struct note){ "Xen", 4, XEN_ELFNOTE_FEATURES, req, sizeof(req) };
	assert_int_equal(parse_spec(&s), 0);
	assert_false(elf_image_requires_only(&img, 1U << XENFEAT_writable_page_tables, why, sizeof(why)));
	assert_string_equal(why, "requires unsupported feature 'supervisor_mode_kernel'");
	assert_true(img.features_wanted[0] & (1U << XENFEAT_dom0));
}

static void optional_unknown_feature_ignored(void **state)
{
	static const char f[] = "|frobnicate||!pae_pgdir_above_4gb|";
	struct spec s;

	good_spec(&s);
	s.notes[7] = (struct note){ "Xen", 4, XEN_ELFNOTE_FEATURES, f, sizeof(f) };
	assert_int_equal(parse_spec(&s), 0);
	assert_int_equal(img.required_features[0], 1U << XENFEAT_pae_pgdir_above_4gb);
	assert_int_equal(img.features_wanted[0], 1U << XENFEAT_pae_pgdir_above_4gb);
}

static void required_unknown_feature_refused(void **state)
{
	static const char f[] = "writable_page_tables|!frobnicate";
	struct spec s;

	good_spec(&s);
	s.notes[7] = (struct note){ "Xen", 4, XEN_ELFNOTE_FEATURES, f, sizeof(f) };
	refuse_spec(&s, -XEN_EINVAL, "requires unknown feature 'frobnicate'");
}

static void dom0_capability(void **state)
{
	static const uint32_t no_dom0 = 1;
	struct spec s;

	good_spec(&s);
	s.notes[8].desc = &no_dom0;
	assert_int_equal(parse_spec(&s), 0);
	assert_false(elf_image_dom0_capable(&img));
	/* No SUPPORTED_FEATURES note: an older kernel, assumed capable. */
	s.notes[8].type = XEN_ELFNOTE_PHYS32_ENTRY;
	assert_int_equal(parse_spec(&s), 0);
	assert_false(img.supported_features_present);
	assert_true(elf_image_dom0_capable(&img));
}

/* Without an ENTRY note, e_entry is the entry (as in Xen) and must be valid. */
static void entry_falls_back_to_e_entry(void **state)
{
	struct spec s;

	good_spec(&s);
	s.notes[5].type = XEN_ELFNOTE_PHYS32_ENTRY;   /* hide the ENTRY note */
	refuse_spec(&s, -XEN_EINVAL, "entry point 0x200000 is not inside an executable loaded segment (no ENTRY note");
	build(&s);
	put64(img_buf + 24, VIRT_BASE + 0x200100);
	assert_int_equal(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), 0);
	assert_int_equal(img.entry, VIRT_BASE + 0x200100);
}

/* A NUL inside a string note ends it; informational strings may be truncated. */
static void string_notes(void **state)
{
	static const char long_os[] = "an-operating-system-with-a-very-long-name";
	struct spec s;

	good_spec(&s);
	s.notes[0] = (struct note){ "Xen", 4, XEN_ELFNOTE_GUEST_OS, "lin\x01ux\0junk", 11 };
	s.notes[1] = (struct note){ "Xen", 4, XEN_ELFNOTE_GUEST_VERSION, long_os, sizeof(long_os) - 1 };
	assert_int_equal(parse_spec(&s), 0);
	assert_string_equal(img.guest_os, "lin?ux");
	assert_int_equal(strlen(img.guest_version), sizeof(img.guest_version) - 1);
}

static void nonterminated_string_bounded_by_desc(void **state)
{
	struct spec s;

	/* XEN_VERSION "xen-3.0" without NUL: the value is the descriptor. */
	good_spec(&s);
	s.notes[2] = (struct note){ "Xen", 4, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 7 };
	assert_int_equal(parse_spec(&s), 0);
	assert_string_equal(img.xen_version, "xen-3.0");
	/* A 300-byte FEATURES without NUL does not fit: refused, not truncated. */
	static char big[300];
	memset(big, 'a', sizeof(big));
	good_spec(&s);
	s.notes[7] = (struct note){ "Xen", 4, XEN_ELFNOTE_FEATURES, big, sizeof(big) };
	refuse_spec(&s, -XEN_EINVAL, "FEATURES note is too long (300 bytes, at most 255)");
	good_spec(&s);
	s.notes[2] = (struct note){ "Xen", 4, XEN_ELFNOTE_XEN_VERSION, big, 40 };
	refuse_spec(&s, -XEN_ENOEXEC, "XEN_VERSION is \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", need");
	/* Informational and prefix-compared strings are truncated. */
	static const char v[] = "xen-3.0-and-a-long-suffix-beyond-32-bytes";
	good_spec(&s);
	s.notes[2] = (struct note){ "Xen", 4, XEN_ELFNOTE_XEN_VERSION, v, sizeof(v) };
	assert_int_equal(parse_spec(&s), 0);
	assert_int_equal(strlen(img.xen_version), 31);
}

static void note_alignment_8(void **state)
{
	struct spec s;

	good_spec(&s);
	s.note_align = 8;
	assert_int_equal(parse_spec(&s), 0);
	assert_int_equal(img.entry, VIRT_BASE + 0x200010);
}

/* ---- malformed headers -------------------------------------------------- */

static void truncated_and_not_elf(void **state)
{
	struct spec s;

	good_spec(&s);
	build(&s);
	expect_refused(elf_image_parse(img_buf, 3, &img, why, sizeof(why)), -XEN_ENOEXEC, "not an ELF file");
	expect_refused(elf_image_parse(img_buf, 63, &img, why, sizeof(why)), -XEN_ENOEXEC,
		       "ELF header truncated");
	expect_refused(elf_image_parse(img_buf, 0, &img, why, sizeof(why)), -XEN_ENOEXEC, "not an ELF file");
	img_buf[1] = 'F';
	expect_refused(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), -XEN_ENOEXEC,
		       "not an ELF file");
	/* A NULL or zero-length why buffer is allowed. */
	assert_int_equal(elf_image_parse(img_buf, IMG_SIZE, &img, NULL, 0), -XEN_ENOEXEC);
}

static void ehdr_byte(unsigned off, uint8_t v, int rc, const char *what)
{
	struct spec s;

	good_spec(&s);
	build(&s);
	img_buf[off] = v;
	expect_refused(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), rc, what);
}

static void wrong_class_data_machine_type(void **state)
{
	ehdr_byte(4, 1, -XEN_ENOEXEC, "ELF class 1, need ELF64");
	ehdr_byte(5, 2, -XEN_ENOEXEC, "need little-endian");
	ehdr_byte(6, 0, -XEN_ENOEXEC, "ELF version");
	ehdr_byte(20, 2, -XEN_ENOEXEC, "ELF version");
	ehdr_byte(18, 3, -XEN_ENOEXEC, "ELF machine 3, need x86-64");
	ehdr_byte(16, 3, -XEN_ENOEXEC, "ELF type DYN");
	ehdr_byte(16, 1, -XEN_ENOEXEC, "ELF type 1, need EXEC");
}

static void phdr_table_checks(void **state)
{
	struct spec s;

	good_spec(&s);
	build(&s);
	put64(img_buf + 32, IMG_SIZE - 100);     /* phdrs past EOF */
	expect_refused(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), -XEN_EINVAL,
		       "program headers extend past the end of the file");
	put64(img_buf + 32, UINT64_MAX - 55);    /* offset + size overflows */
	expect_refused(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), -XEN_EINVAL,
		       "program headers extend past the end of the file");
	put64(img_buf + 32, 64);
	put16(img_buf + 56, 0xfffe);             /* phnum huge */
	expect_refused(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), -XEN_EINVAL,
		       "65534 entries");
	put16(img_buf + 56, 0xffff);
	expect_refused(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), -XEN_EINVAL,
		       "extended program header count");
	put16(img_buf + 56, 0);
	expect_refused(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), -XEN_EINVAL,
		       "no program headers");
	put16(img_buf + 56, 4);
	put16(img_buf + 54, 32);
	expect_refused(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), -XEN_EINVAL,
		       "program header size 32, need 56");
}

/* ---- malformed segments ------------------------------------------------- */

static void segment_past_eof(void **state)
{
	struct spec s;

	good_spec(&s);
	s.segs[2].filesz = s.segs[2].memsz = IMG_SIZE;
	refuse_spec(&s, -XEN_EINVAL, "segment 2 extends past the end of the file (offset 0x4000, size 0x6000");
	good_spec(&s);
	s.segs[1].off = UINT64_MAX - 0x10;      /* offset + filesz wraps */
	refuse_spec(&s, -XEN_EINVAL, "segment 1 extends past the end of the file");
}

static void filesz_above_memsz(void **state)
{
	struct spec s;

	good_spec(&s);
	s.segs[1].memsz = 0x800;
	refuse_spec(&s, -XEN_EINVAL, "segment 1: file size 0x1000 is larger than memory size 0x800");
}

static void overlapping_segments(void **state)
{
	struct spec s;

	good_spec(&s);
	s.segs[1].paddr = 0x201fff;             /* last byte of segment 0 */
	refuse_spec(&s, -XEN_EINVAL, "segments 0 and 1 overlap");
	/* Touching is fine. */
	good_spec(&s);
	s.segs[1].paddr = 0x202000;
	assert_int_equal(parse_spec(&s), 0);
}

static void segment_in_hypervisor_hole(void **state)
{
	struct spec s;

	good_spec(&s);
	set_u64(&s, 3, 0xffff800000000000ULL);
	set_u64(&s, 5, 0xffff800000200010ULL);
	s.notes[6].type = XEN_ELFNOTE_PHYS32_ENTRY;   /* no hypercall page */
	refuse_spec(&s, -XEN_EINVAL, "overlaps the hypervisor hole 0xffff800000000000-0xffff87ffffffffff");

	/* Below VIRT_BASE's half, ending inside the hole. */
	good_spec(&s);
	set_u64(&s, 3, 0xffff87ffff000000ULL);
	s.notes[6].type = XEN_ELFNOTE_PHYS32_ENTRY;
	s.nr_segs = 1;
	s.segs[0].paddr = 0;
	s.segs[0].filesz = 0x2000;
	s.segs[0].memsz = 0x2000000;
	refuse_spec(&s, -XEN_EINVAL, "overlaps the hypervisor hole");
}

static void noncanonical_segment(void **state)
{
	struct spec s;

	/* Segment 0 from the last lower-half page into the gap. */
	good_spec(&s);
	set_u64(&s, 3, 0x00007fffffe00000ULL);
	s.segs[0].paddr = 0x1ff000;
	refuse_spec(&s, -XEN_EINVAL, "segment 0: VA range 0x7ffffffff000-0x800000000fff is not canonical");

	/* Wholly inside the gap. */
	good_spec(&s);
	set_u64(&s, 3, 0x0000900000000000ULL);
	refuse_spec(&s, -XEN_EINVAL, "VA range 0x900000200000-0x900000201fff is not canonical");
}

static void segment_wraps(void **state)
{
	struct spec s;

	good_spec(&s);
	s.segs[2].memsz = 0x80000000ULL;    /* 0xffffffff80600000 + 2 GiB */
	refuse_spec(&s, -XEN_EINVAL, "segment 2: VA 0xffffffff80600000 + size 0x80000000 wraps around");
	good_spec(&s);
	s.segs[2].memsz = 0x7fa00000ULL;   /* up to the last byte */
	refuse_spec(&s, -XEN_EINVAL, "reaches the last page");
}

static void segment_below_virt_base(void **state)
{
	static const uint64_t off = 0x500000;
	struct spec s;

	good_spec(&s);
	s.notes[13] = (struct note){ "Xen", 4, XEN_ELFNOTE_PADDR_OFFSET, &off, 8 };
	refuse_spec(&s, -XEN_EINVAL, "below VIRT_BASE");
}

static void too_many_and_no_segments(void **state)
{
	struct spec s;

	good_spec(&s);
	for (unsigned i = 3; i < 17; i++)
		add_seg(&s, ELF_SEG_R, 0x5000, 0, 0x700000 + i * 0x1000, 0x10, 0x10);
	refuse_spec(&s, -XEN_E2BIG, "more than 16 loadable segments");
	s.nr_segs = 16;
	assert_int_equal(parse_spec(&s), 0);
	assert_int_equal(img.nr_segments, 16);

	good_spec(&s);
	s.nr_segs = 0;
	refuse_spec(&s, -XEN_EINVAL, "no loadable (PT_LOAD) segment");
	/* memsz 0 segments are skipped, not loaded. */
	good_spec(&s);
	add_seg(&s, ELF_SEG_R, 0, 0, 0, 0, 0);
	assert_int_equal(parse_spec(&s), 0);
	assert_int_equal(img.nr_segments, 3);
}

static void entry_outside_segments(void **state)
{
	struct spec s;

	good_spec(&s);
	set_u64(&s, 5, VIRT_BASE + 0x900000);   /* in no segment */
	refuse_spec(&s, -XEN_EINVAL, "entry point 0xffffffff80900000 is not inside an executable loaded segment");
	set_u64(&s, 5, VIRT_BASE + 0x400010);   /* in .data: not executable */
	refuse_spec(&s, -XEN_EINVAL, "entry point 0xffffffff80400010");
	s.segs[1].flags |= ELF_SEG_X;
	assert_int_equal(parse_spec(&s), 0);
	set_u64(&s, 5, VIRT_BASE + 0x401010);   /* in .bss: executable, but zeros */
	refuse_spec(&s, -XEN_EINVAL, "entry point 0xffffffff80401010");
}

static void hypercall_page_checks(void **state)
{
	struct spec s;

	good_spec(&s);
	set_u64(&s, 6, VIRT_BASE + 0x201008);   /* unaligned */
	refuse_spec(&s, -XEN_EINVAL, "hypercall page 0xffffffff80201008 is not page-aligned");
	set_u64(&s, 6, VIRT_BASE + 0x900000);   /* in no segment */
	refuse_spec(&s, -XEN_EINVAL, "hypercall page 0xffffffff80900000 is not inside a loaded segment");
	set_u64(&s, 6, VIRT_BASE + 0x402000);   /* in .bss */
	assert_int_equal(parse_spec(&s), 0);
}

static void init_p2m_checks(void **state)
{
	struct spec s;

	good_spec(&s);
	set_u64(&s, 4, VIRT_BASE + 0x400000);   /* inside the kernel */
	refuse_spec(&s, -XEN_EINVAL, "INIT_P2M 0xffffffff80400000 is inside the kernel area");
	set_u64(&s, 4, 0xffff800000000000ULL);   /* the hypervisor hole */
	refuse_spec(&s, -XEN_EINVAL, "INIT_P2M 0xffff800000000000 is not a page-aligned guest address");
}

/* ---- malformed notes ---------------------------------------------------- */

static void no_notes(void **state)
{
	struct spec s;

	good_spec(&s);
	s.no_note_phdr = true;
	refuse_spec(&s, -XEN_ENOEXEC, "no Xen ELF notes nor __xen_guest section: not a PV kernel");
	/* Notes present but none named "Xen" (namesz 3: no NUL). */
	good_spec(&s);
	for (unsigned i = 0; i < s.nr_notes; i++)
		s.notes[i].namesz = 3;
	refuse_spec(&s, -XEN_ENOEXEC, "no Xen ELF notes nor __xen_guest section: not a PV kernel");
}

static void xen_version_rules(void **state)
{
	struct spec s;

	good_spec(&s);
	s.notes[2].desc = "xen-2.0";
	refuse_spec(&s, -XEN_ENOEXEC, "XEN_VERSION is \"xen-2.0\", need \"xen-3.0\"");
	good_spec(&s);
	s.notes[2].type = XEN_ELFNOTE_PHYS32_ENTRY;
	refuse_spec(&s, -XEN_ENOEXEC, "no XEN_VERSION note");
	good_spec(&s);
	s.notes[0].desc = "netbsd";
	s.notes[10].desc = "bsdloader";
	s.notes[10].descsz = 10;
	refuse_spec(&s, -XEN_ENOEXEC, "neither LOADER \"generic\" nor GUEST_OS \"linux\"");
}

static void bad_note_sizes(void **state)
{
	struct spec s;

	good_spec(&s);
	s.notes[5].descsz = 3;             /* ENTRY of 3 bytes */
	refuse_spec(&s, -XEN_EINVAL, "ENTRY note has a 3-byte value");
	good_spec(&s);
	s.notes[8].descsz = 2;
	refuse_spec(&s, -XEN_EINVAL, "SUPPORTED_FEATURES note has 2 bytes");
	/* The last note's descriptor runs past the segment. */
	good_spec(&s);
	s.note_extra = (uint64_t)-4;       /* filesz 4 bytes short */
	refuse_spec(&s, -XEN_EINVAL, "descriptor size 0x4 runs past the segment end");
	/* A name size that overflows 32-bit rounding. */
	good_spec(&s);
	build(&s);
	put32(img_buf + NOTE_OFF, 0xfffffffe);
	expect_refused(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), -XEN_EINVAL,
		       "note 0 name size 0xfffffffe runs past the segment end");
	/* Trailing bytes too short for a note header. */
	good_spec(&s);
	s.note_extra = 8;
	refuse_spec(&s, -XEN_EINVAL, "header truncated (8 bytes left)");
	/* The note segment itself past EOF. */
	good_spec(&s);
	s.note_extra = IMG_SIZE;
	refuse_spec(&s, -XEN_EINVAL, "note segment 3 extends past the end of the file");
}

static void bad_note_alignment(void **state)
{
	struct spec s;

	good_spec(&s);
	s.note_off = NOTE_OFF + 2;
	refuse_spec(&s, -XEN_EINVAL, "segment 3: notes at file offset 0x802 are not 4-byte aligned");
	good_spec(&s);
	s.note_align = 16;
	refuse_spec(&s, -XEN_EINVAL, "segment 3: note alignment 16, need 4 or 8");
}

static void duplicate_note(void **state)
{
	static const uint64_t other = VIRT_BASE + 0x200020;
	struct spec s;

	good_spec(&s);
	add_note(&s, XEN_ELFNOTE_ENTRY, &other, 8);
	refuse_spec(&s, -XEN_EINVAL, "duplicate ENTRY note");
}

static void virt_base_checks(void **state)
{
	struct spec s;

	good_spec(&s);
	set_u64(&s, 3, VIRT_BASE + 0x10);   /* unaligned */
	refuse_spec(&s, -XEN_EINVAL, "is not page-aligned");
	/* PADDR_OFFSET without VIRT_BASE. */
	good_spec(&s);
	s.notes[3].type = XEN_ELFNOTE_PHYS32_ENTRY;
	refuse_spec(&s, -XEN_EINVAL, "PADDR_OFFSET note without VIRT_BASE note");
	/* VIRT_BASE in the lower half, image in the upper: the region crosses the gap. */
	good_spec(&s);
	set_u64(&s, 3, 0x0000700000000000ULL);
	s.notes[4].type = XEN_ELFNOTE_PHYS32_ENTRY;
	set_u64(&s, 13, 0x0000700000000000ULL);   /* PADDR_OFFSET = VIRT_BASE: vaddr = paddr */
	s.notes[13].descsz = 8;
	for (unsigned i = 0; i < s.nr_segs; i++)
		s.segs[i].paddr += VIRT_BASE;
	refuse_spec(&s, -XEN_EINVAL, "crosses the non-canonical gap or the hypervisor hole");
}

/* A lower-half kernel (Mini-OS style: VIRT_BASE 0, no PADDR_OFFSET). */
static void lower_half_kernel(void **state)
{
	static const uint64_t zero = 0, entry = 0x200010, hcall = 0x201000;
	struct spec s;

	good_spec(&s);
	s.notes[3].desc = &zero;
	s.notes[5].desc = &entry;
	s.notes[6].desc = &hcall;
	s.notes[4].type = XEN_ELFNOTE_PHYS32_ENTRY;
	s.notes[13].type = XEN_ELFNOTE_PHYS32_ENTRY;
	s.notes[0].desc = "Mini-OS";
	s.notes[0].descsz = 8;
	assert_int_equal(parse_spec(&s), 0);
	assert_int_equal(img.virt_start, 0x200000);
	assert_int_equal(img.entry, 0x200010);
}

/*
 * A Mini-OS-like kernel linked at VA 0: segments at paddr 0.., with only
 * the identity notes; each numeric note that may be left out is left out,
 * and each default (the table in elf_image.c) is what Xen 4.17 uses.
 */
static void low_spec(struct spec *s)
{
	memset(s, 0, sizeof(*s));
	s->note_align = 4;
	s->note_off = NOTE_OFF;
	add_seg(s, ELF_SEG_R | ELF_SEG_X, 0x1000, 0, 0, 0x2000, 0x2000);
	add_seg(s, ELF_SEG_R | ELF_SEG_W, 0x3000, 0x2000, 0x2000, 0x1000, 0x3000);
	add_str(s, XEN_ELFNOTE_GUEST_OS, "Mini-OS");
	add_str(s, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
	add_str(s, XEN_ELFNOTE_LOADER, "generic");
}

static void low_kernel_defaults(void **state)
{
	static const uint64_t zero = 0, hcall = 0x1000, entry = 0x10;
	struct spec s;

	/* No VIRT_BASE, PADDR_OFFSET, ENTRY, HYPERCALL_PAGE, INIT_P2M: every default. */
	low_spec(&s);
	build(&s);
	put64(img_buf + 24, 0x40);
	assert_int_equal(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), 0);
	assert_int_equal(img.virt_base, 0);
	assert_int_equal(img.paddr_offset, 0);
	assert_int_equal(img.entry, 0x40);              /* e_entry */
	assert_int_equal(img.hypercall_page, 0);        /* none */
	assert_int_equal(img.init_p2m, 0);
	assert_int_equal(img.segments[0].vaddr, 0);
	assert_int_equal(img.virt_start, 0);
	assert_int_equal(img.virt_end, 0x5000);

	/* VIRT_BASE present and 0, PADDR_OFFSET 0, an ENTRY at VA 0, a hypercall page. */
	low_spec(&s);
	add_note(&s, XEN_ELFNOTE_VIRT_BASE, &zero, 8);
	add_note(&s, XEN_ELFNOTE_PADDR_OFFSET, &zero, 8);
	add_note(&s, XEN_ELFNOTE_ENTRY, &zero, 8);
	add_note(&s, XEN_ELFNOTE_HYPERCALL_PAGE, &hcall, 8);
	assert_int_equal(parse_spec(&s), 0);
	assert_int_equal(img.entry, 0);
	assert_int_equal(img.hypercall_page, 0x1000);

	/* ENTRY present overrides e_entry; PADDR_OFFSET absent with VIRT_BASE 0. */
	low_spec(&s);
	add_note(&s, XEN_ELFNOTE_VIRT_BASE, &zero, 8);
	add_note(&s, XEN_ELFNOTE_ENTRY, &entry, 8);
	assert_int_equal(parse_spec(&s), 0);
	assert_int_equal(img.entry, 0x10);

	/* PADDR_OFFSET without VIRT_BASE: refused, as Xen does. */
	low_spec(&s);
	add_note(&s, XEN_ELFNOTE_PADDR_OFFSET, &zero, 8);
	refuse_spec(&s, -XEN_EINVAL, "PADDR_OFFSET note without VIRT_BASE note");
}

/* Hostile values on a low kernel: refused with the reason, nothing filled in. */
static void low_kernel_hostile(void **state)
{
	static const uint64_t outside = 0x900000, above = 0x100000, huge_off = 0x10000;
	static const uint64_t high_base = 0xfffffffffffff000ULL, zero = 0;
	struct spec s;

	/* e_entry (no ENTRY note) outside the image */
	low_spec(&s);
	build(&s);
	put64(img_buf + 24, 0x900000);
	expect_refused(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), -XEN_EINVAL,
		       "entry point 0x900000 is not inside an executable loaded segment (no ENTRY note");
	/* ENTRY note outside the image; in the data segment (not executable) */
	low_spec(&s);
	add_note(&s, XEN_ELFNOTE_ENTRY, &outside, 8);
	refuse_spec(&s, -XEN_EINVAL, "entry point 0x900000 is not inside");
	/* VIRT_BASE above the image */
	low_spec(&s);
	add_note(&s, XEN_ELFNOTE_VIRT_BASE, &above, 8);
	add_note(&s, XEN_ELFNOTE_PADDR_OFFSET, &above, 8);
	refuse_spec(&s, -XEN_EINVAL, "segment 0: paddr 0x0 is below PADDR_OFFSET 0x100000, so below VIRT_BASE 0x100000");
	/* PADDR_OFFSET above the paddrs (VIRT_BASE 0) */
	low_spec(&s);
	add_note(&s, XEN_ELFNOTE_VIRT_BASE, &zero, 8);
	add_note(&s, XEN_ELFNOTE_PADDR_OFFSET, &huge_off, 8);
	refuse_spec(&s, -XEN_EINVAL, "below PADDR_OFFSET 0x10000");
	/* VIRT_BASE + paddr wraps */
	low_spec(&s);
	add_note(&s, XEN_ELFNOTE_VIRT_BASE, &high_base, 8);
	s.segs[0].paddr = 0x1000;
	refuse_spec(&s, -XEN_EINVAL, "segment 0: VIRT_BASE 0xfffffffffffff000 + paddr 0x1000 - PADDR_OFFSET 0x0 wraps around");
	/* a size that overflows from VA 0 upwards */
	low_spec(&s);
	s.segs[1].memsz = 0xfffffffffffff000ULL;
	refuse_spec(&s, -XEN_EINVAL, "segment 1: VA 0x2000 + size 0xfffffffffffff000 wraps around");
	low_spec(&s);
	s.segs[1].memsz = 0x0000800000000000ULL;
	refuse_spec(&s, -XEN_EINVAL, "is not canonical");
	/* a hypercall page outside the image */
	low_spec(&s);
	add_note(&s, XEN_ELFNOTE_ENTRY, &zero, 8);
	add_note(&s, XEN_ELFNOTE_HYPERCALL_PAGE, &outside, 8);
	refuse_spec(&s, -XEN_EINVAL, "hypercall page 0x900000 is not inside a loaded segment");
}

/* ---- random corruption -------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Whatever is accepted must satisfy the contract in elf_image.h. */
static void check_invariants(const struct elf_image *im, size_t size)
{
	bool entry_ok = false;

	assert_true(im->nr_segments >= 1 && im->nr_segments <= ELF_IMAGE_MAX_SEGMENTS);
	for (unsigned i = 0; i < im->nr_segments; i++) {
		const struct elf_segment *g = &im->segments[i];
		assert_true(g->filesz <= g->memsz && g->memsz > 0);
		assert_true(g->file_offset <= size && g->filesz <= size - g->file_offset);
		uint64_t last = g->vaddr + g->memsz - 1;
		assert_true(last >= g->vaddr);
		assert_true(last < 0x0000800000000000ULL || g->vaddr >= 0xffff880000000000ULL);
		assert_true(g->vaddr >= im->virt_start && last < im->virt_end);
		if ((g->flags & ELF_SEG_X) && im->entry >= g->vaddr && im->entry - g->vaddr < g->filesz)
			entry_ok = true;
		for (unsigned j = 0; j < i; j++) {
			const struct elf_segment *o = &im->segments[j];
			assert_true(last < o->vaddr || g->vaddr > o->vaddr + o->memsz - 1);
		}
	}
	assert_true(entry_ok);
	assert_true(strlen(im->features) < sizeof(im->features));
}

static void random_corruption_never_crashes(void **state)
{
	static uint8_t copy[IMG_SIZE];
	struct spec s;
	unsigned accepted = 0;

	good_spec(&s);
	build(&s);
	for (unsigned iter = 0; iter < 30000; iter++) {
		memcpy(copy, img_buf, IMG_SIZE);
		unsigned flips = 1 + rng() % 8;
		for (unsigned f = 0; f < flips; f++) {
			/* Mostly the structured part: headers and notes. */
			size_t pos = rng() % 4 ? rng() % 0xa00 : rng() % IMG_SIZE;
			copy[pos] = rng() % 3 ? (uint8_t)rng() : copy[pos] ^ (uint8_t)(1u << (rng() % 8));
		}
		/* An exact-size heap copy, so ASan sees any read past the end. */
		size_t size = rng() % 16 ? IMG_SIZE : rng() % IMG_SIZE;
		uint8_t *heap = malloc(size ? size : 1);
		struct elf_image im;
		char w[96];
		assert_non_null(heap);
		memcpy(heap, copy, size);
		int rc = elf_image_parse(heap, size, &im, w, sizeof(w));
		if (rc == 0) {
			accepted++;
			check_invariants(&im, size);
			assert_string_equal(w, "");
		} else {
			assert_true(w[0] != '\0');
			assert_true(strlen(w) < sizeof(w));
			assert_null(strchr(w, '\n'));
		}
		free(heap);
	}
	print_message("%u of 30000 corrupted images accepted (all within the contract)\n", accepted);
}

/* ---- the old __xen_guest section ------------------------------------- */

#define XG_STRTAB  0xc00
#define XG_STRING  0xc40
#define XG_SHDRS   0xe40

/* A kernel without notes, linked with p_paddr = VA, as __xen_guest kernels are. */
static void xg_spec(struct spec *s)
{
	memset(s, 0, sizeof(*s));
	s->note_align = 4;
	s->note_off = NOTE_OFF;
	s->no_note_phdr = true;
	add_seg(s, ELF_SEG_R | ELF_SEG_X, 0x1000, VIRT_BASE + 0x200000, VIRT_BASE + 0x200000, 0x2000, 0x2000);
	add_seg(s, ELF_SEG_R | ELF_SEG_W, 0x3000, VIRT_BASE + 0x400000, VIRT_BASE + 0x400000, 0x1000, 0x3000);
}

/* Section headers: null, .shstrtab, __xen_guest holding str[0, len). */
static void xg_sections(const char *str, size_t len)
{
	static const char names[] = "\0.shstrtab\0__xen_guest";
	uint8_t *h = img_buf + XG_SHDRS;

	assert_true(len <= XG_SHDRS - XG_STRING);
	memcpy(img_buf + XG_STRTAB, names, sizeof(names));
	memcpy(img_buf + XG_STRING, str, len);
	memset(h, 0, 3 * 64);
	put32(h + 64, 1);
	put32(h + 64 + 4, 3);
	put64(h + 64 + 24, XG_STRTAB);
	put64(h + 64 + 32, sizeof(names));
	put32(h + 128, 11);
	put32(h + 128 + 4, 1);
	put64(h + 128 + 24, XG_STRING);
	put64(h + 128 + 32, len);
	put64(img_buf + 40, XG_SHDRS);
	put16(img_buf + 58, 64);
	put16(img_buf + 60, 3);
	put16(img_buf + 62, 1);
}

static int xg_parse(const char *str)
{
	struct spec s;

	xg_spec(&s);
	build(&s);
	xg_sections(str, strlen(str) + 1);
	return elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why));
}

#define XG_GOOD "GUEST_OS=linux,GUEST_VER=2.6,XEN_VER=xen-3.0,VIRT_BASE=0xffffffff80000000," \
		"VIRT_ENTRY=0xffffffff80200010,HYPERCALL_PAGE=0x201,PAE=yes[extended-cr3],"    \
		"FEATURES=!writable_page_tables|pae_pgdir_above_4gb,BSD_SYMTAB,SOMETHING=else"

static void xen_guest_section_read(void **state)
{
	int rc = xg_parse(XG_GOOD);

	if (rc)
		fail_msg("__xen_guest kernel refused: %d %s", rc, why);
	assert_int_equal(img.virt_base, VIRT_BASE);
	assert_int_equal(img.paddr_offset, VIRT_BASE);   /* the section's default */
	assert_int_equal(img.entry, VIRT_BASE + 0x200010);
	assert_int_equal(img.hypercall_page, VIRT_BASE + 0x201000);
	assert_string_equal(img.guest_os, "linux");
	assert_string_equal(img.guest_version, "2.6");
	assert_string_equal(img.xen_version, "xen-3.0");
	assert_string_equal(img.features, features_linux);
	assert_int_equal(img.required_features[0], 1U << XENFEAT_writable_page_tables);
	assert_int_equal(img.segments[0].vaddr, VIRT_BASE + 0x200000);
	assert_int_equal(img.segments[1].vaddr, VIRT_BASE + 0x400000);
	assert_true(elf_image_dom0_capable(&img));

	/* numbers in C notation; no VIRT_ENTRY: e_entry */
	rc = xg_parse("XEN_VER=xen-3.0,LOADER=generic,VIRT_BASE=18446744071562067968");
	assert_int_equal(rc, -XEN_EINVAL);   /* e_entry 0x200000 is physical in this image */
	assert_non_null(strstr(why, "no ENTRY note; e_entry used"));
	put64(img_buf + 24, VIRT_BASE + 0x200020);
	assert_int_equal(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), 0);
	assert_int_equal(img.entry, VIRT_BASE + 0x200020);
	assert_int_equal(img.hypercall_page, 0);

	/* an explicit ELF_PADDR_OFFSET is taken as written (octal here) */
	rc = xg_parse("XEN_VER=xen-3.0,LOADER=generic,VIRT_BASE=0xffffffff80000000,ELF_PADDR_OFFSET=0,"
		      "VIRT_ENTRY=0xffffffff80200010");
	assert_int_equal(rc, -XEN_EINVAL);   /* p_paddr = VA + VIRT_BASE wraps */
	assert_non_null(strstr(why, "wraps around"));

	/* notes win: a kernel with both is read from its notes */
	{
		struct spec s;

		good_spec(&s);
		build(&s);
		xg_sections("XEN_VER=nonsense", 17);
		assert_int_equal(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), 0);
		assert_string_equal(img.xen_version, "xen-3.0");
	}
}

static void xen_guest_section_refused(void **state)
{
	expect_refused(xg_parse("GUEST_OS=linux,VIRT_BASE=0xffffffff80000000,VIRT_ENTRY=0xffffffff80200010"),
		       -XEN_ENOEXEC, "no XEN_VERSION in __xen_guest");
	expect_refused(xg_parse("XEN_VER=xen-2.0,LOADER=generic"), -XEN_ENOEXEC, "XEN_VERSION is \"xen-2.0\"");
	expect_refused(xg_parse("XEN_VER=xen-3.0,GUEST_OS=netbsd"), -XEN_ENOEXEC, "neither LOADER");
	expect_refused(xg_parse("XEN_VER=xen-3.0,LOADER=generic,HYPERCALL_PAGE=0x201,VIRT_BASE=0xffffffff80000000"),
		       -XEN_EINVAL, "HYPERCALL_PAGE before VIRT_BASE");
	expect_refused(xg_parse("XEN_VER=xen-3.0,LOADER=generic,VIRT_BASE=0xffffffff80000000,HYPERCALL_PAGE=0x10000000000000"),
		       -XEN_EINVAL, "past the address space");
	expect_refused(xg_parse("XEN_VER=xen-3.0,LOADER=generic,VIRT_BASE=0xffffffff8000000g"), -XEN_EINVAL,
		       "VIRT_BASE=0xffffffff8000000g is not a number");
	expect_refused(xg_parse("XEN_VER=xen-3.0,LOADER=generic,VIRT_BASE=0x"), -XEN_EINVAL, "is not a number");
	expect_refused(xg_parse("XEN_VER=xen-3.0,LOADER=generic,VIRT_BASE=99999999999999999999999"), -XEN_EINVAL,
		       "is not a number");
	expect_refused(xg_parse("XEN_VER=xen-3.0,LOADER=generic,VIRT_BASE=0,VIRT_BASE=0"), -XEN_EINVAL,
		       "VIRT_BASE given twice");
	expect_refused(xg_parse("XEN_VER=xen-3.0,LOADER=generic,ELF_PADDR_OFFSET=0"), -XEN_EINVAL,
		       "PADDR_OFFSET note without VIRT_BASE");
	expect_refused(xg_parse("XEN_VER=xen-3.0,LOADER=generic,FEATURES=!no_such_feature"), -XEN_EINVAL,
		       "requires unknown feature");
	expect_refused(xg_parse("XEN_VER=xen-3.0,LOADER=generic,A_NAME_LONGER_THAN_THIRTY_ONE_BYTES=1"),
		       -XEN_EINVAL, "a name is longer than 31 bytes");
	{
		char big[400];

		memset(big, 'x', sizeof(big));
		memcpy(big, "XEN_VER=", 8);
		big[sizeof(big) - 1] = '\0';
		expect_refused(xg_parse(big), -XEN_EINVAL, "the value of XEN_VER is longer than 255 bytes");
	}
}

/* Hostile section headers: never read outside the file; a bad table is no section. */
static void xen_guest_section_hostile(void **state)
{
	struct spec s;
	static const char good[] = XG_GOOD;

	xg_spec(&s);
	/* the string without its NUL, ending at the section's end */
	static const char cut[] = "XEN_VER=xen-3.0,LOADER=generic,VIRT_BASE=0xffffffff80000000,"
				  "VIRT_ENTRY=0xffffffff80200010,GUEST_OS=abcdef";
	build(&s);
	xg_sections(cut, sizeof(cut) - 2);   /* no NUL, and the last 'f' outside */
	img_buf[XG_STRING + sizeof(cut) - 1] = 'Z';
	assert_int_equal(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), 0);
	assert_string_equal(img.guest_os, "abcde");
	/* the section past the end of the file */
	build(&s);
	xg_sections(good, sizeof(good));
	put64(img_buf + XG_SHDRS + 128 + 24, IMG_SIZE - 8);
	expect_refused(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), -XEN_EINVAL,
		       "__xen_guest section (offset 0x5ff8, size 0x");
	put64(img_buf + XG_SHDRS + 128 + 24, XG_STRING);
	put64(img_buf + XG_SHDRS + 128 + 32, ~0ULL);
	expect_refused(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), -XEN_EINVAL,
		       "is not inside the file");
	/* a broken table: as if there were no section */
	static const struct { unsigned off, width; uint64_t v; } bad[] = {
		{ 40, 8, IMG_SIZE - 64 },       /* table runs past the end */
		{ 40, 8, ~0ULL },
		{ 58, 2, 40 },                  /* wrong entry size */
		{ 62, 2, 3 },                   /* string table index past the table */
		{ 62, 2, 0xffff },
		{ XG_SHDRS + 64 + 24, 8, IMG_SIZE },      /* string table outside */
		{ XG_SHDRS + 64 + 32, 8, ~0ULL - 1 },
		{ XG_SHDRS + 128, 4, 0xffffff00 },        /* name offset outside the string table */
		{ XG_SHDRS + 128, 4, 20 },                /* a name running off its end */
	};
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		build(&s);
		xg_sections(good, sizeof(good));
		if (bad[i].width == 8)
			put64(img_buf + bad[i].off, bad[i].v);
		else if (bad[i].width == 4)
			put32(img_buf + bad[i].off, (uint32_t)bad[i].v);
		else
			put16(img_buf + bad[i].off, (uint16_t)bad[i].v);
		expect_refused(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), -XEN_ENOEXEC,
			       "no Xen ELF notes nor __xen_guest section");
	}
}

/* ---- notes in SHT_NOTE sections, no note segment --------------------- */

#define NS_SHDRS   0xe40
#define NS_NOTE    (NS_SHDRS + 2 * 64)   /* the note section's header */

/* Section headers: null, .shstrtab, .note.Xen over [off, off + len) with sh_addralign align. */
static void ns_sections(uint64_t off, uint64_t len, uint64_t align)
{
	static const char names[] = "\0.shstrtab\0.note.Xen";
	uint8_t *h = img_buf + NS_SHDRS;

	memcpy(img_buf + XG_STRTAB, names, sizeof(names));
	memset(h, 0, 3 * 64);
	put32(h + 64, 1);
	put32(h + 64 + 4, 3);
	put64(h + 64 + 24, XG_STRTAB);
	put64(h + 64 + 32, sizeof(names));
	put32(h + 128, 11);
	put32(h + 128 + 4, 7);   /* SHT_NOTE */
	put64(h + 128 + 24, off);
	put64(h + 128 + 32, len);
	put64(h + 128 + 48, align);
	put64(img_buf + 40, NS_SHDRS);
	put16(img_buf + 58, 64);
	put16(img_buf + 60, 3);
	put16(img_buf + 62, 1);
}

/* The good kernel with its notes in a section and no PT_NOTE segment. */
static void ns_build(struct spec *s)
{
	good_spec(s);
	s->no_note_phdr = true;
	build(s);
	ns_sections(s->note_off, built_note_len, s->note_align);
}

static void ns_parses_as_good(void)
{
	int rc = elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why));

	if (rc)
		fail_msg("refused: %d %s", rc, why);
	assert_int_equal(img.virt_base, VIRT_BASE);
	assert_int_equal(img.entry, VIRT_BASE + 0x200010);
	assert_int_equal(img.hypercall_page, VIRT_BASE + 0x201000);
	assert_int_equal(img.init_p2m, 0x8000000000ULL);
	assert_string_equal(img.guest_os, "linux");
	assert_string_equal(img.features, features_linux);
	assert_int_equal(img.required_features[0], 1U << XENFEAT_writable_page_tables);
}

static int count_note(const struct elf_note *note, void *arg)
{
	(*(unsigned *)arg)++;
	return 0;
}

static void note_sections_read(void **state)
{
	struct spec s;
	unsigned n = 0;

	/* no note segment at all */
	ns_build(&s);
	ns_parses_as_good();
	assert_int_equal(elf_image_foreach_note(img_buf, IMG_SIZE, count_note, &n, why, sizeof(why)), 0);
	assert_int_equal(n, s.nr_notes - 2);   /* the Xen ones, not GNU's and Linux's */
	/* a note segment holding no Xen note (here: empty) */
	good_spec(&s);
	build(&s);
	put64(img_buf + 64 + s.nr_segs * 56 + 32, 0);
	ns_sections(s.note_off, built_note_len, s.note_align);
	ns_parses_as_good();
	/* alignment 8, as a section may say */
	good_spec(&s);
	s.note_align = 8;
	s.no_note_phdr = true;
	build(&s);
	ns_sections(s.note_off, built_note_len, 8);
	ns_parses_as_good();
	/* the name table broken: notes are found by type, not by name */
	ns_build(&s);
	put16(img_buf + 62, 0xffff);
	ns_parses_as_good();
	/* a segment's Xen notes win: the section, here garbage, is not read */
	good_spec(&s);
	build(&s);
	ns_sections(0x1000, 0x100, 4);
	assert_int_equal(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), 0);
	put64(img_buf + 64 + s.nr_segs * 56 + 32, 0);   /* ...and is read when the segment has none */
	assert_int_equal(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), -XEN_EINVAL);
}

/* Hostile section tables: never read outside the file; a bad table is no section, a bad note section refused. */
static void note_sections_hostile(void **state)
{
	struct spec s;
	static const struct { unsigned off, width; uint64_t v; int rc; const char *what; } bad[] = {
		/* the table itself: as if there were no sections */
		{ 40, 8, IMG_SIZE - 64, -XEN_ENOEXEC, "no Xen ELF notes nor __xen_guest" },    /* e_shoff */
		{ 40, 8, ~0ULL, -XEN_ENOEXEC, "no Xen ELF notes nor __xen_guest" },
		{ 40, 8, 0, -XEN_ENOEXEC, "no Xen ELF notes nor __xen_guest" },
		{ 60, 2, 0xffff, -XEN_ENOEXEC, "no Xen ELF notes nor __xen_guest" },           /* e_shnum */
		{ 60, 2, 0, -XEN_ENOEXEC, "no Xen ELF notes nor __xen_guest" },
		{ 60, 2, 2, -XEN_ENOEXEC, "no Xen ELF notes nor __xen_guest" },               /* note section cut off */
		{ 58, 2, 40, -XEN_ENOEXEC, "no Xen ELF notes nor __xen_guest" },              /* e_shentsize */
		{ 58, 2, 0, -XEN_ENOEXEC, "no Xen ELF notes nor __xen_guest" },
		/* the note section: refused, with where */
		{ NS_NOTE + 24, 8, IMG_SIZE - 8, -XEN_EINVAL, "note section 2 extends past the end of the file" },
		{ NS_NOTE + 24, 8, ~0ULL, -XEN_EINVAL, "note section 2 extends past the end of the file" },
		{ NS_NOTE + 32, 8, ~0ULL, -XEN_EINVAL, "note section 2 extends past the end of the file" },
		{ NS_NOTE + 32, 8, IMG_SIZE, -XEN_EINVAL, "note section 2 extends past the end of the file" },
		{ NS_NOTE + 32, 8, 29, -XEN_EINVAL, "section 2: note 1 header truncated (5 bytes left)" },
		{ NS_NOTE + 24, 8, NOTE_OFF + 2, -XEN_EINVAL, "section 2: notes at file offset 0x802 are not" },
		{ NS_NOTE + 48, 8, 16, -XEN_EINVAL, "section 2: note alignment 16, need 4 or 8" },
		{ NOTE_OFF + 4, 4, 0x7fffffff, -XEN_EINVAL, "section 2: note 0 descriptor size 0x7fffffff runs past the section end" },
		{ NOTE_OFF, 4, 0xfffffff0, -XEN_EINVAL, "section 2: note 0 name size 0xfffffff0 runs past the section end" },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		ns_build(&s);
		if (bad[i].width == 8)
			put64(img_buf + bad[i].off, bad[i].v);
		else if (bad[i].width == 4)
			put32(img_buf + bad[i].off, (uint32_t)bad[i].v);
		else
			put16(img_buf + bad[i].off, (uint16_t)bad[i].v);
		expect_refused(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), bad[i].rc, bad[i].what);
	}
	/* section 0 is the null section whatever it says: notes there are not read */
	ns_build(&s);
	memcpy(img_buf + NS_SHDRS, img_buf + NS_NOTE, 64);
	put32(img_buf + NS_NOTE + 4, 0);
	expect_refused(elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why)), -XEN_ENOEXEC,
		       "no Xen ELF notes nor __xen_guest");
}

/*
 * Many note sections over one run of notes (here empty ones, not Xen's):
 * the walk is capped at 2048 notes in all, so its work is bounded by the
 * file size and not by sections times notes.
 */
#define NC_SHDRS   0x2000
#define NC_NOTES   0x5000
#define NC_LEN     0xf0     /* 20 empty 12-byte notes */

static int note_flood(unsigned nsec)
{
	struct spec s;

	ns_build(&s);
	memset(img_buf + NC_NOTES, 0, NC_LEN);
	memset(img_buf + NC_SHDRS, 0, (size_t)nsec * 64);
	for (unsigned i = 1; i < nsec; i++) {
		uint8_t *h = img_buf + NC_SHDRS + i * 64;
		put32(h + 4, 7);   /* SHT_NOTE */
		put64(h + 24, NC_NOTES);
		put64(h + 32, NC_LEN);
		put64(h + 48, 4);
	}
	put64(img_buf + 40, NC_SHDRS);
	put16(img_buf + 60, (uint16_t)nsec);
	put16(img_buf + 62, 0);
	return elf_image_parse(img_buf, IMG_SIZE, &img, why, sizeof(why));
}

static void note_count_capped(void **state)
{
	unsigned n = 0;

	/* 101 note sections of 20 notes: 2020, under the cap, none Xen's */
	expect_refused(note_flood(102), -XEN_ENOEXEC, "no Xen ELF notes nor __xen_guest");
	/* 103 of them: 2060 */
	expect_refused(note_flood(104), -XEN_EINVAL, "more than 2048 ELF notes");
	assert_int_equal(elf_image_foreach_note(img_buf, IMG_SIZE, count_note, &n, why, sizeof(why)), -XEN_EINVAL);
	assert_non_null(strstr(why, "more than 2048 ELF notes"));
	assert_int_equal(n, 0);
}

/*
 * A section's name is looked for in at most 256 bytes of the name table:
 * every header's name was scanned to its NUL, so one run of non-NUL bytes
 * as long as the file, named by 65535 headers, cost headers times file.
 */
static int name_of_1(const struct elf_section *sec, void *arg)
{
	if (sec->index == 1)
		*(const char **)arg = sec->name ? sec->name : "(none)";
	return 0;
}

static void section_name_scan_bounded(void **state)
{
	struct spec s;
	const char *name = NULL;

	ns_build(&s);
	/* the name table: 255 'A's and a NUL, then 256 'B's and a NUL */
	memset(img_buf + 0x5000, 'A', 255);
	img_buf[0x5000 + 255] = 0;
	memset(img_buf + 0x5100, 'B', 256);
	img_buf[0x5100 + 256] = 0;
	put64(img_buf + NS_SHDRS + 64 + 24, 0x5000);
	put64(img_buf + NS_SHDRS + 64 + 32, 0x300);
	put32(img_buf + NS_SHDRS + 64, 0);
	assert_int_equal(elf_sections(img_buf, IMG_SIZE, name_of_1, &name), 0);
	assert_int_equal(strlen(name), 255);
	put32(img_buf + NS_SHDRS + 64, 0x100);
	assert_int_equal(elf_sections(img_buf, IMG_SIZE, name_of_1, &name), 0);
	assert_string_equal(name, "(none)");
	/* the notes are found by type all the same */
	ns_parses_as_good();
}

int main(void)
{
	const struct CMUnitTest synthetic[] = {
		cmocka_unit_test(good_image_all_fields),
		cmocka_unit_test(percpu_segment_loaded_by_paddr),
		cmocka_unit_test(paddr_offset_moves_segments),
		cmocka_unit_test(read_and_copy_segments),
		cmocka_unit_test(features_checked_against_offer),
		cmocka_unit_test(optional_unknown_feature_ignored),
		cmocka_unit_test(required_unknown_feature_refused),
		cmocka_unit_test(dom0_capability),
		cmocka_unit_test(entry_falls_back_to_e_entry),
		cmocka_unit_test(string_notes),
		cmocka_unit_test(nonterminated_string_bounded_by_desc),
		cmocka_unit_test(note_alignment_8),
		cmocka_unit_test(truncated_and_not_elf),
		cmocka_unit_test(wrong_class_data_machine_type),
		cmocka_unit_test(phdr_table_checks),
		cmocka_unit_test(segment_past_eof),
		cmocka_unit_test(filesz_above_memsz),
		cmocka_unit_test(overlapping_segments),
		cmocka_unit_test(segment_in_hypervisor_hole),
		cmocka_unit_test(noncanonical_segment),
		cmocka_unit_test(segment_wraps),
		cmocka_unit_test(segment_below_virt_base),
		cmocka_unit_test(too_many_and_no_segments),
		cmocka_unit_test(entry_outside_segments),
		cmocka_unit_test(hypercall_page_checks),
		cmocka_unit_test(init_p2m_checks),
		cmocka_unit_test(no_notes),
		cmocka_unit_test(xen_version_rules),
		cmocka_unit_test(bad_note_sizes),
		cmocka_unit_test(bad_note_alignment),
		cmocka_unit_test(duplicate_note),
		cmocka_unit_test(virt_base_checks),
		cmocka_unit_test(lower_half_kernel),
		cmocka_unit_test(low_kernel_defaults),
		cmocka_unit_test(low_kernel_hostile),
		cmocka_unit_test(xen_guest_section_read),
		cmocka_unit_test(xen_guest_section_refused),
		cmocka_unit_test(xen_guest_section_hostile),
		cmocka_unit_test(note_sections_read),
		cmocka_unit_test(note_sections_hostile),
		cmocka_unit_test(note_count_capped),
		cmocka_unit_test(section_name_scan_bounded),
		cmocka_unit_test(random_corruption_never_crashes),
	};
	return cmocka_run_group_tests_name("elf_image", synthetic, NULL, NULL);
}
