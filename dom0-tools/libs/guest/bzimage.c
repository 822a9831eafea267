/*
 * bzimage.c - setup-header parsing and the ELF check for bzImage kernels.
 * The decoders live in bzimage_decompress.c; see bzimage.h for the layout.
 */
#include "bzimage.h"
#include "bzimage_private.h"

#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Setup header offsets, from the start of the file. */
#define HDR_SETUP_SECTS    0x1f1
#define HDR_BOOT_FLAG      0x1fe
#define HDR_MAGIC          0x202
#define HDR_VERSION        0x206
#define HDR_PAYLOAD_OFFSET 0x248
#define HDR_PAYLOAD_LENGTH 0x24c
#define HDR_END            0x250 /* the header must reach past payload_length */

#define BOOT_FLAG_VALUE      0xaa55
#define SECTOR_SIZE          512
#define DEFAULT_SETUP_SECTS  4    /* what a zero setup_sects means */
#define MIN_PROTOCOL_PAYLOAD 0x0208 /* first version with payload fields */
#define SIZE_TRAILER_LEN     4

void bzimage_set_err(char *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err, BZIMAGE_ERR_LEN, fmt, ap);
	va_end(ap);
}

uint16_t bzimage_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t bzimage_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

const char *bzimage_compression_name(enum bzimage_compression c)
{
	switch (c) {
	case BZIMAGE_COMP_GZIP:
		return "gzip";
	case BZIMAGE_COMP_XZ:
		return "xz";
	case BZIMAGE_COMP_LZ4:
		return "lz4";
	case BZIMAGE_COMP_BZIP2:
		return "bzip2";
	case BZIMAGE_COMP_LZMA:
		return "lzma";
	case BZIMAGE_COMP_LZO:
		return "lzo";
	case BZIMAGE_COMP_ZSTD:
		return "zstd";
	case BZIMAGE_COMP_UNKNOWN:
		break;
	}
	return "unknown";
}

/* The methods Linux can build a bzImage with, told apart by their magic. */
static const struct {
	enum bzimage_compression comp;
	size_t len;
	uint8_t magic[6];
} comp_magics[] = {
	{ BZIMAGE_COMP_XZ, 6, { 0xfd, '7', 'z', 'X', 'Z', 0x00 } },
	{ BZIMAGE_COMP_GZIP, 2, { 0x1f, 0x8b } },
	{ BZIMAGE_COMP_LZ4, 4, { 0x02, 0x21, 0x4c, 0x18 } }, /* legacy frame */
	{ BZIMAGE_COMP_BZIP2, 3, { 'B', 'Z', 'h' } },
	{ BZIMAGE_COMP_LZMA, 3, { 0x5d, 0x00, 0x00 } },
	{ BZIMAGE_COMP_LZO, 4, { 0x89, 'L', 'Z', 'O' } },
	{ BZIMAGE_COMP_ZSTD, 4, { 0x28, 0xb5, 0x2f, 0xfd } },
};

static enum bzimage_compression identify(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < sizeof(comp_magics) / sizeof(comp_magics[0]); i++) {
		if (len >= comp_magics[i].len &&
		    memcmp(p, comp_magics[i].magic, comp_magics[i].len) == 0)
			return comp_magics[i].comp;
	}
	return BZIMAGE_COMP_UNKNOWN;
}

int bzimage_parse(const uint8_t *buf, size_t len, struct bzimage_info *info,
		  char *err)
{
	uint64_t pm_start;
	uint32_t off, plen;

	memset(info, 0, sizeof(*info));
	if (len < HDR_END) {
		bzimage_set_err(err, "not a bzImage: %zu bytes, too short for a setup header", len);
		return BZIMAGE_ENOTBZ;
	}
	if (memcmp(buf + HDR_MAGIC, "HdrS", 4) != 0) {
		bzimage_set_err(err, "not a bzImage: no \"HdrS\" magic at offset 0x%x", HDR_MAGIC);
		return BZIMAGE_ENOTBZ;
	}
	if (bzimage_le16(buf + HDR_BOOT_FLAG) != BOOT_FLAG_VALUE) {
		bzimage_set_err(err, "not a bzImage: boot flag at 0x%x is 0x%04x, not 0xaa55",
				HDR_BOOT_FLAG, bzimage_le16(buf + HDR_BOOT_FLAG));
		return BZIMAGE_ENOTBZ;
	}
	info->protocol = bzimage_le16(buf + HDR_VERSION);
	if (info->protocol < MIN_PROTOCOL_PAYLOAD) {
		bzimage_set_err(err, "boot protocol %u.%02u has no payload fields (need 2.08 or later)",
				info->protocol >> 8, info->protocol & 0xff);
		return BZIMAGE_ENOTBZ;
	}
	info->setup_sects = buf[HDR_SETUP_SECTS] ? buf[HDR_SETUP_SECTS] : DEFAULT_SETUP_SECTS;
	pm_start = (uint64_t)(info->setup_sects + 1) * SECTOR_SIZE;
	off = bzimage_le32(buf + HDR_PAYLOAD_OFFSET);
	plen = bzimage_le32(buf + HDR_PAYLOAD_LENGTH);
	info->payload_offset = pm_start + off;
	info->payload_length = plen;

	/* Compare against what is left, so nothing here can wrap. */
	if (info->payload_offset > len || plen > len - info->payload_offset) {
		bzimage_set_err(err, "payload (offset 0x%llx, length 0x%x) runs past the end of the file (%zu bytes): truncated?",
				(unsigned long long)info->payload_offset, plen, len);
		return BZIMAGE_ERANGE;
	}
	if (plen <= SIZE_TRAILER_LEN) {
		bzimage_set_err(err, "payload length %u is too small to hold a compressed kernel", plen);
		return BZIMAGE_ERANGE;
	}
	info->uncompressed_size = bzimage_le32(buf + info->payload_offset + plen - SIZE_TRAILER_LEN);
	info->compression = identify(buf + info->payload_offset, plen);
	return BZIMAGE_OK;
}

int bzimage_check_elf64(const uint8_t *buf, size_t len, char *err)
{
	Elf64_Ehdr eh;

	if (len < sizeof(eh)) {
		bzimage_set_err(err, "not ELF: %zu bytes, shorter than an ELF64 header", len);
		return BZIMAGE_ENOTELF;
	}
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
		bzimage_set_err(err, "not ELF: bad magic");
		return BZIMAGE_ENOTELF;
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
		bzimage_set_err(err, "not a little-endian ELF64 file (class %u, data %u)",
				eh.e_ident[EI_CLASS], eh.e_ident[EI_DATA]);
		return BZIMAGE_ENOTELF;
	}
	if (eh.e_machine != EM_X86_64 || eh.e_type != ET_EXEC) {
		bzimage_set_err(err, "ELF is not an x86-64 executable (machine %u, type %u)",
				eh.e_machine, eh.e_type);
		return BZIMAGE_ENOTELF;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phoff > len ||
	    (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > len - eh.e_phoff) {
		bzimage_set_err(err, "ELF program headers (offset 0x%llx, %u of %u bytes) do not fit in %zu bytes",
				(unsigned long long)eh.e_phoff, eh.e_phnum, eh.e_phentsize, len);
		return BZIMAGE_ENOTELF;
	}
	return BZIMAGE_OK;
}

int bzimage_extract_vmlinux(const uint8_t *buf, size_t len, uint8_t **out,
			    size_t *out_len, char *err)
{
	struct bzimage_info info;
	uint8_t *elf = NULL;
	size_t elf_len = 0;
	int rc;

	*out = NULL;
	*out_len = 0;
	rc = bzimage_parse(buf, len, &info, err);
	if (rc)
		goto out;
	rc = bzimage_decompress(buf, len, &info, &elf, &elf_len, err);
	if (rc)
		goto out;
	rc = bzimage_check_elf64(elf, elf_len, err);
	if (rc)
		goto out;
	*out = elf;
	*out_len = elf_len;
	elf = NULL;
out:
	free(elf);
	return rc;
}
