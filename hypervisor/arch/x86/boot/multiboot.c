/*
 * Copy what a Multiboot 1 or Multiboot 2 loader hands us into struct
 * boot_info. Layouts are those of the Multiboot specifications (0.6.96 and
 * 2.0). The loader's structures are read through the boot mapping of the first
 * 4 GiB, and never used again after this.
 */
#include <asm/x86.h>

#define MB1_INFO_MAGIC 0x2BADB002
#define MB2_INFO_MAGIC 0x36D76289

#define MB1_HAS_CMDLINE (1u << 2)
#define MB1_HAS_MODS    (1u << 3)
#define MB1_HAS_MMAP    (1u << 6)
#define MB1_HAS_LOADER  (1u << 9)

struct mb1_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
} __attribute__((packed));

struct mb1_module {
	uint32_t start, end, string, reserved;
};

struct mb1_mmap_entry {
	uint32_t size;          /* of the rest of the entry */
	uint64_t base, length;
	uint32_t type;
} __attribute__((packed));

enum mb2_tag_type {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_MMAP = 6,
};

struct mb2_tag {
	uint32_t type, size;
};

struct mb2_mmap_entry {
	uint64_t base, length;
	uint32_t type, reserved;
};

static void copy_string(char *dst, size_t size, uint64_t phys, struct boot_info *bi)
{
	const char *s = phys_to_virt(phys);

	if (strnlen(s, size) == size)
		bi->truncated = true;
	strlcpy(dst, s, size);
}

static void add_mem(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
	if (!len)
		return;
	if (bi->nr_mem == BOOT_MEM_MAX) {
		bi->truncated = true;
		return;
	}
	/* types we do not know are treated as reserved */
	if (type < BOOT_MEM_USABLE || type > BOOT_MEM_BAD)
		type = BOOT_MEM_RESERVED;
	bi->mem[bi->nr_mem++] = (struct boot_mem_range){ base, len, type };
}

static void add_module(struct boot_info *bi, uint64_t start, uint64_t end, uint64_t string)
{
	struct boot_module *m;

	if (bi->nr_modules == BOOT_MODULES_MAX) {
		bi->truncated = true;
		return;
	}
	m = &bi->modules[bi->nr_modules++];
	m->start = start;
	m->size = end > start ? end - start : 0;
	if (string)
		copy_string(m->cmdline, sizeof(m->cmdline), string, bi);
}

static void parse_mb1(const struct mb1_info *mbi, struct boot_info *bi)
{
	strlcpy(bi->loader, "Multiboot 1", sizeof(bi->loader));
	if (mbi->flags & MB1_HAS_LOADER)
		copy_string(bi->loader, sizeof(bi->loader), mbi->boot_loader_name, bi);
	if (mbi->flags & MB1_HAS_CMDLINE)
		copy_string(bi->cmdline, sizeof(bi->cmdline), mbi->cmdline, bi);
	if (mbi->flags & MB1_HAS_MODS) {
		const struct mb1_module *mod = phys_to_virt(mbi->mods_addr);
		for (uint32_t i = 0; i < mbi->mods_count; i++)
			add_module(bi, mod[i].start, mod[i].end, mod[i].string);
	}
	if (mbi->flags & MB1_HAS_MMAP) {
		uint64_t p = mbi->mmap_addr, end = p + mbi->mmap_length;
		while (p + sizeof(struct mb1_mmap_entry) <= end) {
			const struct mb1_mmap_entry *e = phys_to_virt(p);
			add_mem(bi, e->base, e->length, e->type);
			p += e->size + sizeof(e->size);
		}
	} else {
		/* no map: the two legacy sizes are all we know */
		add_mem(bi, 0, (uint64_t)mbi->mem_lower << 10, BOOT_MEM_USABLE);
		add_mem(bi, MiB(1), (uint64_t)mbi->mem_upper << 10, BOOT_MEM_USABLE);
	}
	/* Both QEMU and GRUB Legacy put the image's name first. */
	boot_cmdline_strip_image(bi->cmdline);
}

static void parse_mb2(uint64_t info, struct boot_info *bi)
{
	uint32_t total = *(const uint32_t *)phys_to_virt(info);
	uint64_t p = info + 8, end = info + total;

	strlcpy(bi->loader, "Multiboot 2", sizeof(bi->loader));
	while (p + sizeof(struct mb2_tag) <= end) {
		const struct mb2_tag *tag = phys_to_virt(p);
		const uint8_t *body = (const uint8_t *)(tag + 1);

		if (tag->type == MB2_TAG_END || tag->size < sizeof(*tag))
			break;
		switch (tag->type) {
		case MB2_TAG_CMDLINE:
			copy_string(bi->cmdline, sizeof(bi->cmdline), p + 8, bi);
			break;
		case MB2_TAG_LOADER:
			copy_string(bi->loader, sizeof(bi->loader), p + 8, bi);
			break;
		case MB2_TAG_MODULE: {
			const uint32_t *w = (const uint32_t *)body;
			add_module(bi, w[0], w[1], p + 16);
			break;
		}
		case MB2_TAG_MMAP: {
			uint32_t esize = ((const uint32_t *)body)[0];
			uint64_t e = p + 16;
			if (esize < sizeof(struct mb2_mmap_entry))
				break;
			for (; e + esize <= p + tag->size; e += esize) {
				const struct mb2_mmap_entry *me = phys_to_virt(e);
				add_mem(bi, me->base, me->length, me->type);
			}
			break;
		}
		default:
			break;
		}
		p += ALIGN_UP((uint64_t)tag->size, 8);
	}
}

bool multiboot_parse(uint32_t magic, uint32_t info, struct boot_info *bi)
{
	memset(bi, 0, sizeof(*bi));
	if (magic == MB1_INFO_MAGIC)
		parse_mb1(phys_to_virt(info), bi);
	else if (magic == MB2_INFO_MAGIC)
		parse_mb2(info, bi);
	else
		return false;
	return true;
}
