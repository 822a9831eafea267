/*
 * bzimage_decompress.c - unpack a bzImage payload: xz with the hypervisor's
 * decoder (liblzma as the fallback), gzip and lz4 with the system's zlib and
 * liblz4; bzip2, lzma, lzo and zstd in bzimage_decompress_more.c.
 *
 * The payload's last 4 bytes give the output size up front, so each decoder
 * writes into one buffer of exactly that size and we insist the stream fills
 * it exactly: a mismatch means a damaged image. For xz and lz4 the kernel
 * build appends those 4 bytes after the stream; a gzip stream already ends
 * with them (its ISIZE field), so the gzip decoder is given the whole
 * payload and accepts the stream ending either there or 4 bytes earlier.
 *
 * XZ: Linux wraps the kernel in a standard .xz container whose filter chain
 * is x86 BCJ + LZMA2; the hypervisor's decoder (unxz.h) unpacks it, liblzma
 * what that decoder does not take (decode_xz).
 * LZ4: Linux uses the lz4 "legacy" frame: a 4-byte magic, then blocks, each
 * a 4-byte little-endian compressed size and raw LZ4 block data decoding to
 * at most 8 MiB. A repeated magic starts another frame.
 */
#include "bzimage.h"
#include "bzimage_private.h"

#include <limits.h>
#include <lz4.h>
#include <lzma.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unxz.h>
#include <public/errno.h>
#include <zlib.h>

#define SIZE_TRAILER_LEN   4
#define LZ4_LEGACY_MAGIC   0x184c2102u
#define LZ4_LEGACY_BLOCK   (8u << 20)

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23	/* Linux 5.14 */
#endif

/*
 * Make the output's pages present in one call before the decoder writes
 * them. Otherwise each of the ~16 000 pages of a 64 MiB kernel costs a
 * page fault taken in the middle of decoding, and in a PV Dom0 every
 * fault goes through the hypervisor and back: prefaulting took about a
 * quarter off unpacking Debian's kernel in Dom0 under emulation. Best
 * effort: an older kernel refuses, and then the faults happen as before.
 */
static void prefault(void *buf, size_t len)
{
	uintptr_t start = ((uintptr_t)buf + 4095) & ~(uintptr_t)4095;
	uintptr_t end = ((uintptr_t)buf + len) & ~(uintptr_t)4095;

	if (end > start)
		(void)madvise((void *)start, end - start, MADV_POPULATE_WRITE);
}

/* liblzma, for the streams unxz leaves alone (see decode_xz). */
static int decode_xz_liblzma(const uint8_t *in, size_t in_len, uint8_t *out,
			     size_t out_len, char *err)
{
	uint64_t memlimit = UINT64_MAX;
	size_t in_pos = 0, out_pos = 0;
	lzma_ret r;

	r = lzma_stream_buffer_decode(&memlimit, 0, NULL, in, &in_pos, in_len,
				      out, &out_pos, out_len);
	switch (r) {
	case LZMA_OK:
		break;
	case LZMA_MEM_ERROR:
		bzimage_set_err(err, "xz payload: out of memory");
		return BZIMAGE_ENOMEM;
	case LZMA_OPTIONS_ERROR:
		bzimage_set_err(err, "xz payload: unsupported filter or options");
		return BZIMAGE_EUNSUPPORTED;
	case LZMA_BUF_ERROR:
		bzimage_set_err(err, "xz payload: truncated, or larger than the %zu bytes its size trailer says",
				out_len);
		return BZIMAGE_ECORRUPT;
	default:
		bzimage_set_err(err, "xz payload: corrupt data (liblzma error %d)", (int)r);
		return BZIMAGE_ECORRUPT;
	}
	if (out_pos != out_len) {
		bzimage_set_err(err, "xz payload: decoded %zu bytes, size trailer says %zu",
				out_pos, out_len);
		return BZIMAGE_ECORRUPT;
	}
	return BZIMAGE_OK;
}

/*
 * The hypervisor's own decoder (hypervisor/common/unxz.c, built for the
 * host), which unpacks Dom0's kernel at boot: it uses the output buffer
 * as its dictionary (liblzma decodes into a window of its own and copies
 * out) and was tuned for emulation, where Dom0 runs; unpacking Debian's
 * kernel in Dom0 under TCG took a quarter of liblzma's time. It takes what
 * Linux makes (one stream, x86 BCJ + LZMA2, CRC32) and checks everything;
 * a valid stream it does not handle (another check or filter) goes to
 * liblzma, so no image that decoded before is refused now.
 */
static int decode_xz(const uint8_t *in, size_t in_len, uint8_t *out,
		     size_t out_len, char *err)
{
	char why[BZIMAGE_ERR_LEN - 16] = "";
	void *work = malloc(UNXZ_WORK_SIZE);
	size_t done = 0;
	int r;

	if (!work) {
		bzimage_set_err(err, "xz payload: out of memory");
		return BZIMAGE_ENOMEM;
	}
	r = unxz(in, in_len, out, out_len, &done, work, why, sizeof(why));
	free(work);
	if (r == -XEN_EOPNOTSUPP)
		return decode_xz_liblzma(in, in_len, out, out_len, err);
	if (r == -XEN_E2BIG) {
		bzimage_set_err(err, "xz payload: larger than the %zu bytes its size trailer says",
				out_len);
		return BZIMAGE_ECORRUPT;
	}
	if (r) {
		bzimage_set_err(err, "xz payload: %s", why);
		return BZIMAGE_ECORRUPT;
	}
	if (done != out_len) {
		bzimage_set_err(err, "xz payload: decoded %zu bytes, size trailer says %zu",
				done, out_len);
		return BZIMAGE_ECORRUPT;
	}
	return BZIMAGE_OK;
}

static int decode_gzip(const uint8_t *in, size_t in_len, uint8_t *out,
		       size_t out_len, char *err)
{
	z_stream zs = { 0 };
	int r, rc = BZIMAGE_OK;

	if (in_len > UINT_MAX || out_len > UINT_MAX) {
		bzimage_set_err(err, "gzip payload: too large");
		return BZIMAGE_ECORRUPT;
	}
	/* 16 + window bits: gzip wrapper only, with its CRC checked. */
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		bzimage_set_err(err, "gzip payload: cannot start zlib");
		return BZIMAGE_ENOMEM;
	}
	zs.next_in = (Bytef *)in; /* zlib's API is not const; it does not write */
	zs.avail_in = (uInt)in_len;
	zs.next_out = out;
	zs.avail_out = (uInt)out_len;
	r = inflate(&zs, Z_FINISH);
	if (r != Z_STREAM_END) {
		bzimage_set_err(err, "gzip payload: %s (zlib %d%s%s)",
				r == Z_BUF_ERROR ? "truncated or larger than its size trailer"
						 : "corrupt data",
				r, zs.msg ? ": " : "", zs.msg ? zs.msg : "");
		rc = BZIMAGE_ECORRUPT;
	} else if (zs.avail_in != 0 && zs.avail_in != SIZE_TRAILER_LEN) {
		bzimage_set_err(err, "gzip payload: %u bytes of junk after the stream", zs.avail_in);
		rc = BZIMAGE_ECORRUPT;
	} else if (zs.total_out != out_len) {
		bzimage_set_err(err, "gzip payload: decoded %lu bytes, size trailer says %zu",
				zs.total_out, out_len);
		rc = BZIMAGE_ECORRUPT;
	}
	inflateEnd(&zs);
	return rc;
}

static int decode_lz4_legacy(const uint8_t *in, size_t in_len, uint8_t *out,
			     size_t out_len, char *err)
{
	size_t pos = 0, done = 0;

	if (in_len < 4 || bzimage_le32(in) != LZ4_LEGACY_MAGIC) {
		bzimage_set_err(err, "lz4 payload: not a legacy lz4 frame");
		return BZIMAGE_EUNSUPPORTED;
	}
	pos = 4;
	while (pos < in_len) {
		uint32_t csize;
		size_t room;
		int r;

		if (in_len - pos < 4) {
			bzimage_set_err(err, "lz4 payload: truncated block header at payload offset %zu", pos);
			return BZIMAGE_ECORRUPT;
		}
		csize = bzimage_le32(in + pos);
		pos += 4;
		if (csize == LZ4_LEGACY_MAGIC)
			continue;
		if (csize > in_len - pos || csize > INT_MAX) {
			bzimage_set_err(err, "lz4 payload: block of %u bytes at payload offset %zu runs past the end",
					csize, pos);
			return BZIMAGE_ECORRUPT;
		}
		room = out_len - done;
		if (room > LZ4_LEGACY_BLOCK)
			room = LZ4_LEGACY_BLOCK;
		r = LZ4_decompress_safe((const char *)in + pos, (char *)out + done,
					(int)csize, (int)room);
		if (r < 0) {
			bzimage_set_err(err, "lz4 payload: corrupt block at payload offset %zu (or larger than its size trailer)",
					pos);
			return BZIMAGE_ECORRUPT;
		}
		done += (size_t)r;
		pos += csize;
	}
	if (done != out_len) {
		bzimage_set_err(err, "lz4 payload: decoded %zu bytes, size trailer says %zu", done, out_len);
		return BZIMAGE_ECORRUPT;
	}
	return BZIMAGE_OK;
}

int bzimage_decompress(const uint8_t *buf, size_t len,
		       const struct bzimage_info *info, uint8_t **out,
		       size_t *out_len, char *err)
{
	const uint8_t *in = buf + info->payload_offset;
	size_t in_len = info->payload_length - SIZE_TRAILER_LEN;
	size_t size = info->uncompressed_size;
	uint8_t *dst = NULL;
	int rc;

	*out = NULL;
	*out_len = 0;
	/* info must come from bzimage_parse on this buffer; re-check cheaply. */
	if (info->payload_offset > len || info->payload_length > len - info->payload_offset ||
	    info->payload_length <= SIZE_TRAILER_LEN) {
		bzimage_set_err(err, "payload description does not fit the buffer");
		return BZIMAGE_ERANGE;
	}
	if (size == 0 || size > BZIMAGE_MAX_UNCOMPRESSED) {
		bzimage_set_err(err, "payload size trailer says %zu bytes: implausible (limit %u)",
				size, BZIMAGE_MAX_UNCOMPRESSED);
		return BZIMAGE_ECORRUPT;
	}
	switch (info->compression) {
	case BZIMAGE_COMP_UNKNOWN:
		bzimage_set_err(err, "payload compression not recognised (first bytes %02x %02x %02x %02x)",
				in[0], in[1], in[2], in[3]);
		return BZIMAGE_EUNSUPPORTED;
	default:
		break;
	}
	dst = malloc(size);
	if (!dst) {
		bzimage_set_err(err, "cannot allocate %zu bytes for the kernel", size);
		return BZIMAGE_ENOMEM;
	}
	prefault(dst, size);
	switch (info->compression) {
	case BZIMAGE_COMP_XZ:
		rc = decode_xz(in, in_len, dst, size, err);
		break;
	case BZIMAGE_COMP_GZIP:
		rc = decode_gzip(in, info->payload_length, dst, size, err);
		break;
	case BZIMAGE_COMP_LZ4:
		rc = decode_lz4_legacy(in, in_len, dst, size, err);
		break;
	case BZIMAGE_COMP_BZIP2:
		rc = bzimage_decode_bzip2(in, in_len, dst, size, err);
		break;
	case BZIMAGE_COMP_LZMA:
		rc = bzimage_decode_lzma(in, in_len, dst, size, err);
		break;
	case BZIMAGE_COMP_LZO:
		rc = bzimage_decode_lzo(in, in_len, dst, size, err);
		break;
	default:
		rc = bzimage_decode_zstd(in, in_len, dst, size, err);
		break;
	}
	if (rc) {
		free(dst);
		return rc;
	}
	*out = dst;
	*out_len = size;
	return BZIMAGE_OK;
}
