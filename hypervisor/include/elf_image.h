/*
 * elf_image: parse and validate an ELF64 x86-64 PV kernel image held in
 * memory (the first multiboot module for Dom0; a file read by the Dom0
 * domain builder for a DomU), trusting nothing in it.
 *
 * elf_image_parse() checks the ELF header, the program headers and the
 * "Xen" ELF notes (or, without notes, the old __xen_guest section), and fills a struct elf_image that the domain builder
 * uses without further checks: every segment's file range lies inside the
 * image, every segment's virtual range is canonical, outside the
 * hypervisor hole and disjoint from the others, and the entry point and
 * hypercall page lie inside loaded segments. The rules, and why each
 * exists, are in docs/elf-loading.md.
 *
 * Segments are placed by PHYSICAL address, as Xen does:
 *     vaddr = p_paddr + virt_base - paddr_offset
 * p_vaddr is ignored (Linux's .data..percpu segment has p_vaddr 0).
 *
 * The code is freestanding (lib.h only) and also builds for the host with
 * -DHOST_TEST, so tests/unit and the Dom0 domain builder use the same file.
 */
#ifndef ELF_IMAGE_H
#define ELF_IMAGE_H

#include <lib.h>
#include <public/features.h>

#define ELF_IMAGE_MAX_SEGMENTS 16

/* elf_segment.flags: the ELF p_flags bits. */
#define ELF_SEG_X 0x1
#define ELF_SEG_W 0x2
#define ELF_SEG_R 0x4

/* One PT_LOAD program header with memsz > 0, after validation. */
struct elf_segment {
	uint64_t paddr;        /* p_paddr as in the file */
	uint64_t vaddr;        /* paddr + virt_base - paddr_offset: where to load it */
	uint64_t file_offset;  /* file bytes are data[file_offset, file_offset + filesz) */
	uint64_t filesz;
	uint64_t memsz;        /* >= filesz; bytes past filesz are zero */
	uint32_t flags;        /* ELF_SEG_* */
};

struct elf_image {
	const uint8_t *data;   /* the caller's buffer; must outlive the struct */
	size_t size;

	/* From the Xen ELF notes (the table is in docs/elf-loading.md). */
	uint64_t entry;           /* XEN_ELFNOTE_ENTRY, else e_entry (as Xen) */
	uint64_t virt_base;       /* XEN_ELFNOTE_VIRT_BASE, 0 if absent (VA of pfn 0) */
	uint64_t paddr_offset;    /* XEN_ELFNOTE_PADDR_OFFSET, 0 if absent (public elfnote.h) */
	uint64_t hypercall_page;  /* XEN_ELFNOTE_HYPERCALL_PAGE VA, 0 if absent */
	uint64_t init_p2m;        /* XEN_ELFNOTE_INIT_P2M VA, 0 if absent (or 0) */
	uint64_t hv_start_low;    /* XEN_ELFNOTE_HV_START_LOW, 0 if absent */
	char guest_os[32];        /* string notes; informational ones are truncated */
	char guest_version[32];
	char xen_version[32];
	char loader[32];
	char features[256];       /* XEN_ELFNOTE_FEATURES as written */
	uint32_t supported_features;        /* XEN_ELFNOTE_SUPPORTED_FEATURES (submap 0) */
	bool supported_features_present;    /* that note was there */
	/* The FEATURES string as bitmaps of XENFEAT_* numbers (submap 0). */
	uint32_t required_features[XENFEAT_NR_SUBMAPS];  /* names with '!' */
	uint32_t features_wanted[XENFEAT_NR_SUBMAPS];    /* every known name, '!' or not */
	bool mod_start_pfn;       /* XEN_ELFNOTE_MOD_START_PFN non-zero */
	bool suspend_cancel;      /* XEN_ELFNOTE_SUSPEND_CANCEL non-zero */

	/* PT_LOAD segments in program-header order. */
	unsigned nr_segments;
	struct elf_segment segments[ELF_IMAGE_MAX_SEGMENTS];
	uint64_t virt_start;      /* page-aligned span of all segments: */
	uint64_t virt_end;        /* [virt_start, virt_end) */
};

/*
 * Parse and validate the ELF64 PV kernel image data[0, size).
 *
 * Return values:
 *   0              img is filled in and valid.
 *   -XEN_ENOEXEC   not an x86-64 PV kernel: not ELF, not ELF64 little-endian
 *                  x86-64 ET_EXEC, no Xen notes nor __xen_guest section
 *                  (elf_xen_guest.h, read when there are no notes),
 *                  XEN_VERSION not "xen-3.0",
 *                  neither LOADER "generic" nor GUEST_OS "linux".
 *   -XEN_EINVAL    malformed or unacceptable contents: out-of-file ranges,
 *                  bad notes, bad addresses, overlapping segments, entry or
 *                  hypercall page outside the image, unknown required feature.
 *   -XEN_E2BIG     more than ELF_IMAGE_MAX_SEGMENTS loadable segments.
 * On failure `why` (if why_len > 0) holds a one-line reason without a trailing
 * newline, for "dom0 kernel: <why>", and *img is zeroed.
 */
int elf_image_parse(const void *data, size_t size, struct elf_image *img,
		    char *why, size_t why_len);

/*
 * True when every feature the kernel requires ('!' in FEATURES) is in
 * `supported_mask` (XENFEAT_* bits of submap 0, as XENVER_get_features
 * reports them). Otherwise false, with why naming the first missing one:
 * "requires unsupported feature 'supervisor_mode_kernel'".
 */
bool elf_image_requires_only(const struct elf_image *img, uint32_t supported_mask,
			     char *why, size_t why_len);

/*
 * Whether the kernel may run as the initial domain, by Xen's rule: a kernel
 * with a SUPPORTED_FEATURES note must list XENFEAT_dom0 there or in
 * FEATURES; older kernels without the note are assumed able to.
 */
bool elf_image_dom0_capable(const struct elf_image *img);

/*
 * Read bytes [offset, offset + len) of segment `seg` as it must appear in
 * guest memory: file bytes below filesz, zeros from filesz to memsz. The
 * builder copies a segment page by page with this (guest frames need not be
 * contiguous). Returns 0, or -XEN_EINVAL if seg or the range is out of
 * bounds (nothing is written then).
 */
int elf_image_read(const struct elf_image *img, unsigned seg, uint64_t offset,
		   void *dst, size_t len);

/*
 * Copy the whole of segment `seg` to dst (dst_len >= memsz), zero-filling
 * past filesz. Returns 0, or -XEN_EINVAL (bad seg, or dst too small).
 */
int elf_image_copy_segment(const struct elf_image *img, unsigned seg,
			   void *dst, size_t dst_len);

/* One note named "Xen" as found in an image; desc points into the image. */
struct elf_note {
	uint32_t type;         /* XEN_ELFNOTE_* */
	const uint8_t *desc;
	uint32_t desc_len;
};

/*
 * Call fn for every "Xen" note of the ELF64 image data[0, size), in file
 * order, after the same header, program-header and note-layout checks as
 * elf_image_parse() (the notes' values are not interpreted: tools list them
 * as they are). fn returning non-zero stops the walk with that value, which
 * must be positive. Returns 0 after the whole walk, or a negative XEN_E*
 * code with `why` filled as for elf_image_parse().
 */
int elf_image_foreach_note(const void *data, size_t size,
			   int (*fn)(const struct elf_note *note, void *arg), void *arg,
			   char *why, size_t why_len);

/* "ENTRY", "FEATURES", ... for a XEN_ELFNOTE_* number; NULL if unnamed. */
const char *elf_image_note_name(uint32_t type);

/* Whether a note's value is text rather than numbers. */
bool elf_image_note_is_string(uint32_t type);

/* "writable_page_tables", ... for a XENFEAT_* number; NULL if unnamed. */
const char *elf_image_feature_name(unsigned bit);

#endif /* ELF_IMAGE_H */
