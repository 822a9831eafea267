/*
 * xen_elfnote.c - find the "Xen" notes in an ELF64 kernel's PT_NOTE
 * segments. Every length read from the image is checked against what is
 * left of its segment before use; the image is untrusted input.
 */
#include "xen_elfnote.h"
#include "bzimage.h"
#include "bzimage_private.h"

#include <elf.h>
#include <string.h>

#define NOTE_ALIGN 4

static const char *const note_names[] = {
	[XEN_ELFNOTE_INFO] = "INFO",
	[XEN_ELFNOTE_ENTRY] = "ENTRY",
	[XEN_ELFNOTE_HYPERCALL_PAGE] = "HYPERCALL_PAGE",
	[XEN_ELFNOTE_VIRT_BASE] = "VIRT_BASE",
	[XEN_ELFNOTE_PADDR_OFFSET] = "PADDR_OFFSET",
	[XEN_ELFNOTE_XEN_VERSION] = "XEN_VERSION",
	[XEN_ELFNOTE_GUEST_OS] = "GUEST_OS",
	[XEN_ELFNOTE_GUEST_VERSION] = "GUEST_VERSION",
	[XEN_ELFNOTE_LOADER] = "LOADER",
	[XEN_ELFNOTE_PAE_MODE] = "PAE_MODE",
	[XEN_ELFNOTE_FEATURES] = "FEATURES",
	[XEN_ELFNOTE_BSD_SYMTAB] = "BSD_SYMTAB",
	[XEN_ELFNOTE_HV_START_LOW] = "HV_START_LOW",
	[XEN_ELFNOTE_L1_MFN_VALID] = "L1_MFN_VALID",
	[XEN_ELFNOTE_SUSPEND_CANCEL] = "SUSPEND_CANCEL",
	[XEN_ELFNOTE_INIT_P2M] = "INIT_P2M",
	[XEN_ELFNOTE_MOD_START_PFN] = "MOD_START_PFN",
	[XEN_ELFNOTE_SUPPORTED_FEATURES] = "SUPPORTED_FEATURES",
	[XEN_ELFNOTE_PHYS32_ENTRY] = "PHYS32_ENTRY",
};

const char *xen_elfnote_name(uint32_t type)
{
	if (type >= sizeof(note_names) / sizeof(note_names[0]))
		return NULL;
	return note_names[type];
}

int xen_elfnote_is_string(uint32_t type)
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
		return 1;
	default:
		return 0;
	}
}

static size_t align_up(size_t v)
{
	return (v + NOTE_ALIGN - 1) & ~(size_t)(NOTE_ALIGN - 1);
}

/* Walk one PT_NOTE segment, seg[0..len). */
static int walk_segment(const uint8_t *seg, size_t len,
			int (*fn)(const struct xen_elfnote *, void *), void *arg,
			char *err)
{
	size_t pos = 0;

	while (len - pos >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		size_t name_space, desc_space;
		struct xen_elfnote note;
		int r;

		memcpy(&nh, seg + pos, sizeof(nh));
		pos += sizeof(nh);
		/* namesz/descsz are u32, so align_up cannot wrap a size_t. */
		name_space = align_up(nh.n_namesz);
		desc_space = align_up(nh.n_descsz);
		if (name_space > len - pos || desc_space > len - pos - name_space) {
			bzimage_set_err(err, "ELF note (type %u, name %u bytes, desc %u bytes) runs past its segment",
					nh.n_type, nh.n_namesz, nh.n_descsz);
			return -1;
		}
		if (nh.n_namesz == 4 && memcmp(seg + pos, XEN_ELFNOTE_NAME, 4) == 0) {
			note.type = nh.n_type;
			note.desc = seg + pos + name_space;
			note.desc_len = nh.n_descsz;
			r = fn(&note, arg);
			if (r)
				return r;
		}
		pos += name_space + desc_space;
	}
	return 0;
}

int xen_elfnote_foreach(const uint8_t *buf, size_t len,
			int (*fn)(const struct xen_elfnote *note, void *arg),
			void *arg, char *err)
{
	Elf64_Ehdr eh;
	int r;

	if (bzimage_check_elf64(buf, len, err))
		return -1;
	memcpy(&eh, buf, sizeof(eh));
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, buf + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_NOTE)
			continue;
		if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset) {
			bzimage_set_err(err, "PT_NOTE segment %u (offset 0x%llx, size 0x%llx) runs past the end of the file",
					i, (unsigned long long)ph.p_offset,
					(unsigned long long)ph.p_filesz);
			return -1;
		}
		r = walk_segment(buf + ph.p_offset, ph.p_filesz, fn, arg, err);
		if (r)
			return r;
	}
	return 0;
}
