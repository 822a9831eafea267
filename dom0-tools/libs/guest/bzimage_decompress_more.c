/*
 * bzimage_decompress_more.c - the other payloads a Linux bzImage can
 * carry (CONFIG_KERNEL_BZIP2, _LZMA, _LZO, _ZSTD), through the system's
 * libbz2, liblzma, liblzo2 and libzstd. Same contract as the decoders in
 * bzimage_decompress.c: write exactly out_len bytes (the size trailer) or
 * fail with a reason.
 *
 * LZMA: the legacy .lzma ("alone") container: 13-byte header (properties,
 * dictionary size, 64-bit size, often -1) then the raw stream.
 * LZO: the lzop file format, as the kernel build writes it with `lzop -9`:
 * a header (magic, versions, method, flags, mode, mtime, name, header
 * checksum), then blocks of { be32 decoded size (0 ends), be32 coded
 * size, optional checksums (per the flags), data }; a block whose coded
 * size equals its decoded size is stored.
 * ZSTD: one or more standard zstd frames.
 */
#include "bzimage.h"
#include "bzimage_private.h"

#include <bzlib.h>
#include <limits.h>
#include <stdbool.h>
#include <lzma.h>
#include <lzo/lzo1x.h>
#include <stdint.h>
#include <string.h>
#include <zstd.h>

static int exact(const char *name, size_t got, size_t want, char *err)
{
	if (got == want)
		return BZIMAGE_OK;
	bzimage_set_err(err, "%s payload: decoded %zu bytes, size trailer says %zu", name, got, want);
	return BZIMAGE_ECORRUPT;
}

int bzimage_decode_bzip2(const uint8_t *in, size_t in_len, uint8_t *out,
			 size_t out_len, char *err)
{
	unsigned int got = (unsigned int)out_len;
	int r;

	if (in_len > UINT_MAX || out_len > UINT_MAX) {
		bzimage_set_err(err, "bzip2 payload: too large");
		return BZIMAGE_ECORRUPT;
	}
	r = BZ2_bzBuffToBuffDecompress((char *)out, &got, (char *)in, (unsigned int)in_len, 0, 0);
	if (r == BZ_MEM_ERROR) {
		bzimage_set_err(err, "bzip2 payload: out of memory");
		return BZIMAGE_ENOMEM;
	}
	if (r != BZ_OK) {
		bzimage_set_err(err, "bzip2 payload: %s (libbz2 %d)",
				r == BZ_OUTBUFF_FULL ? "larger than its size trailer"
				: r == BZ_UNEXPECTED_EOF ? "truncated" : "corrupt data", r);
		return BZIMAGE_ECORRUPT;
	}
	return exact("bzip2", got, out_len, err);
}

int bzimage_decode_lzma(const uint8_t *in, size_t in_len, uint8_t *out,
			size_t out_len, char *err)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r;

	if (lzma_alone_decoder(&s, UINT64_MAX) != LZMA_OK) {
		bzimage_set_err(err, "lzma payload: cannot start liblzma");
		return BZIMAGE_ENOMEM;
	}
	s.next_in = in;
	s.avail_in = in_len;
	s.next_out = out;
	s.avail_out = out_len;
	r = lzma_code(&s, LZMA_FINISH);
	lzma_end(&s);
	/* A stream whose header gives no size has no end marker we insist
	 * on: a full buffer is the end. */
	if (r != LZMA_STREAM_END && !(r == LZMA_OK && s.avail_out == 0) &&
	    !(r == LZMA_BUF_ERROR && s.avail_out == 0)) {
		bzimage_set_err(err, "lzma payload: %s (liblzma %d)",
				r == LZMA_BUF_ERROR ? "truncated or larger than its size trailer"
				: r == LZMA_FORMAT_ERROR ? "not an .lzma stream" : "corrupt data",
				(int)r);
		return r == LZMA_MEM_ERROR ? BZIMAGE_ENOMEM : BZIMAGE_ECORRUPT;
	}
	return exact("lzma", out_len - s.avail_out, out_len, err);
}

int bzimage_decode_zstd(const uint8_t *in, size_t in_len, uint8_t *out,
			size_t out_len, char *err)
{
	size_t r = ZSTD_decompress(out, out_len, in, in_len);

	if (ZSTD_isError(r)) {
		bzimage_set_err(err, "zstd payload: %s", ZSTD_getErrorName(r));
		return BZIMAGE_ECORRUPT;
	}
	return exact("zstd", r, out_len, err);
}

/* lzop header and block flags (lzop's names). */
#define LZOP_F_ADLER32_D 0x00000001u
#define LZOP_F_ADLER32_C 0x00000002u
#define LZOP_F_H_EXTRA   0x00000040u
#define LZOP_F_CRC32_D   0x00000100u
#define LZOP_F_CRC32_C   0x00000200u
#define LZOP_F_H_FILTER  0x00000800u
#define LZOP_MAX_BLOCK   (64u << 20)

static const uint8_t lzop_magic[9] = { 0x89, 'L', 'Z', 'O', 0x00, '\r', '\n', 0x1a, '\n' };

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Skip n bytes of the header; false when they are not there. */
static bool take(size_t *pos, size_t n, size_t len)
{
	if (n > len - *pos)
		return false;
	*pos += n;
	return true;
}

/* Parse the lzop header: the offset of the first block and the flags. */
static int lzop_header(const uint8_t *in, size_t len, size_t *first, uint32_t *flags, char *err)
{
	size_t pos = 0;
	uint16_t version;

	if (len < sizeof(lzop_magic) + 2 || memcmp(in, lzop_magic, sizeof(lzop_magic)) != 0) {
		bzimage_set_err(err, "lzo payload: not an lzop stream");
		return BZIMAGE_EUNSUPPORTED;
	}
	pos = sizeof(lzop_magic);
	version = (uint16_t)(in[pos] << 8 | in[pos + 1]);
	/* version, library version, [version needed], method, [level] */
	if (!take(&pos, 4 + (version >= 0x0940 ? 2 : 0) + 1 + (version >= 0x0940 ? 1 : 0), len) ||
	    len - pos < 4)
		goto short_hdr;
	*flags = be32(in + pos);
	pos += 4;
	if (*flags & LZOP_F_H_EXTRA) {
		bzimage_set_err(err, "lzo payload: lzop extra header fields are not supported");
		return BZIMAGE_EUNSUPPORTED;
	}
	/* [filter], mode, mtime low, [mtime high] */
	if (!take(&pos, (*flags & LZOP_F_H_FILTER ? 4 : 0) + 4 + 4 + (version >= 0x0940 ? 4 : 0), len) ||
	    pos >= len)
		goto short_hdr;
	/* name (length byte + name), header checksum */
	if (!take(&pos, 1 + (size_t)in[pos] + 4, len))
		goto short_hdr;
	*first = pos;
	return BZIMAGE_OK;
short_hdr:
	bzimage_set_err(err, "lzo payload: truncated lzop header");
	return BZIMAGE_ECORRUPT;
}

int bzimage_decode_lzo(const uint8_t *in, size_t in_len, uint8_t *out,
		       size_t out_len, char *err)
{
	size_t pos, done = 0;
	uint32_t flags;
	int rc;

	if (lzo_init() != LZO_E_OK) {
		bzimage_set_err(err, "lzo payload: cannot start liblzo2");
		return BZIMAGE_ENOMEM;
	}
	rc = lzop_header(in, in_len, &pos, &flags, err);
	if (rc)
		return rc;
	for (;;) {
		uint32_t dlen, clen;
		lzo_uint got;

		if (in_len - pos < 4)
			goto truncated;
		dlen = be32(in + pos);
		pos += 4;
		if (dlen == 0)
			break;
		if (in_len - pos < 4)
			goto truncated;
		clen = be32(in + pos);
		pos += 4;
		if (dlen > LZOP_MAX_BLOCK || clen > dlen || dlen > out_len - done) {
			bzimage_set_err(err, "lzo payload: block of %u -> %u bytes at payload offset %zu is bad or larger than its size trailer",
					clen, dlen, pos);
			return BZIMAGE_ECORRUPT;
		}
		if (!take(&pos, (flags & LZOP_F_ADLER32_D ? 4 : 0) + (flags & LZOP_F_CRC32_D ? 4 : 0), in_len))
			goto truncated;
		if (clen < dlen &&
		    !take(&pos, (flags & LZOP_F_ADLER32_C ? 4 : 0) + (flags & LZOP_F_CRC32_C ? 4 : 0), in_len))
			goto truncated;
		if (clen > in_len - pos)
			goto truncated;
		if (clen == dlen) {
			memcpy(out + done, in + pos, dlen);
		} else {
			got = dlen;
			if (lzo1x_decompress_safe(in + pos, clen, out + done, &got, NULL) != LZO_E_OK ||
			    got != dlen) {
				bzimage_set_err(err, "lzo payload: corrupt block at payload offset %zu", pos);
				return BZIMAGE_ECORRUPT;
			}
		}
		pos += clen;
		done += dlen;
	}
	return exact("lzo", done, out_len, err);
truncated:
	bzimage_set_err(err, "lzo payload: truncated at payload offset %zu", pos);
	return BZIMAGE_ECORRUPT;
}
