/*
 * bzimage.h - find and unpack the kernel inside an x86 Linux bzImage.
 *
 * A bzImage is a real-mode setup blob followed by a self-decompressing
 * protected-mode stub; the stub carries the compressed ELF vmlinux as its
 * "payload", located by two fields of the setup header (boot protocol 2.08
 * and later). A PV domain builder cannot run the stub (it needs the native
 * boot path), so it unpacks the payload itself: that is what this file does.
 *
 * Layout facts (Linux Documentation/x86/boot.rst, re-stated):
 *   0x1f1 u8  setup_sects     512-byte setup sectors after the boot sector
 *                             (0 means 4)
 *   0x1fe u16 boot_flag       0xaa55
 *   0x202 u32 header          "HdrS"
 *   0x206 u16 version         boot protocol version, e.g. 0x020f
 *   0x248 u32 payload_offset  from the start of the protected-mode code,
 *                             which is at file offset (setup_sects + 1) * 512
 *   0x24c u32 payload_length
 * The payload ends with a 4-byte little-endian uncompressed size: appended
 * after the stream by the kernel build for xz, lz4 and the others; for gzip
 * it is the stream's own ISIZE field (accepted either way here).
 *
 * All functions work on a caller-owned buffer, never write to it, and check
 * every offset against its length. On failure they return a negative
 * BZIMAGE_E* code and, when err is not NULL, a one-line reason in err.
 */
#ifndef PARAVANE_LIBXENGUEST_BZIMAGE_H
#define PARAVANE_LIBXENGUEST_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

enum bzimage_rc {
	BZIMAGE_OK = 0,
	BZIMAGE_ENOTBZ = -1,      /* not a bzImage (magic, size, protocol) */
	BZIMAGE_ERANGE = -2,      /* payload outside the file */
	BZIMAGE_EUNSUPPORTED = -3, /* compression method we do not decode */
	BZIMAGE_ECORRUPT = -4,    /* decoder rejected the payload */
	BZIMAGE_ENOMEM = -5,
	BZIMAGE_ENOTELF = -6,     /* result is not an ELF64 x86-64 executable */
};

enum bzimage_compression {
	BZIMAGE_COMP_UNKNOWN = 0,
	BZIMAGE_COMP_GZIP,
	BZIMAGE_COMP_XZ,
	BZIMAGE_COMP_LZ4,
	BZIMAGE_COMP_BZIP2,
	BZIMAGE_COMP_LZMA,
	BZIMAGE_COMP_LZO,
	BZIMAGE_COMP_ZSTD,
};

/* What bzimage_parse() learns from the setup header. */
struct bzimage_info {
	uint16_t protocol;        /* boot protocol version, 0x0208 or later */
	unsigned setup_sects;     /* after the "0 means 4" rule */
	uint64_t payload_offset;  /* from the start of the file */
	uint32_t payload_length;  /* including the 4-byte size trailer */
	uint32_t uncompressed_size; /* from the trailer */
	enum bzimage_compression compression;
};

/* Size limit for err buffers: messages never need more. */
#define BZIMAGE_ERR_LEN 256

/* Largest kernel we are willing to unpack (Debian's is about 63 MiB). */
#define BZIMAGE_MAX_UNCOMPRESSED (512u << 20)

/*
 * Check the setup header of buf[0..len) and locate the payload.
 * Returns BZIMAGE_OK, BZIMAGE_ENOTBZ or BZIMAGE_ERANGE. The compression is
 * identified by its magic but not checked further here.
 */
int bzimage_parse(const uint8_t *buf, size_t len, struct bzimage_info *info,
		  char *err);

/*
 * Decompress the payload described by info (from bzimage_parse on the same
 * buffer). On success *out is a malloc'd buffer of exactly *out_len bytes,
 * equal to the size trailer; the caller frees it. On failure *out is NULL.
 * Returns BZIMAGE_OK, BZIMAGE_EUNSUPPORTED, BZIMAGE_ECORRUPT or
 * BZIMAGE_ENOMEM.
 */
int bzimage_decompress(const uint8_t *buf, size_t len,
		       const struct bzimage_info *info, uint8_t **out,
		       size_t *out_len, char *err);

/*
 * Check that buf[0..len) is a little-endian ELF64 x86-64 executable whose
 * program headers lie inside it. Returns BZIMAGE_OK or BZIMAGE_ENOTELF.
 */
int bzimage_check_elf64(const uint8_t *buf, size_t len, char *err);

/*
 * bzimage_parse + bzimage_decompress + bzimage_check_elf64: the ELF vmlinux
 * of a bzImage. Same ownership rules as bzimage_decompress.
 */
int bzimage_extract_vmlinux(const uint8_t *buf, size_t len, uint8_t **out,
			    size_t *out_len, char *err);

/* "xz", "gzip", ... for messages. */
const char *bzimage_compression_name(enum bzimage_compression c);

#endif
