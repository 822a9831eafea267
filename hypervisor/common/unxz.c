/*
 * The .xz container (unxz.h): stream header and footer, the index, block
 * headers and checks, around the LZMA2 decoder and the BCJ filter
 * (xz_lzma2.c, xz_bcj.c).
 *
 * The footer and the index are read first: the footer says where the
 * index is, and the index lists every block's sizes, so the total output
 * is known (and refused if too big) before anything is decoded, and each
 * block is then held to its index record. Every field is bounded by the
 * bytes actually there, compared as "len <= end - pos" so that nothing
 * can wrap.
 */
#include <crc.h>
#include <unxz.h>
#include <public/errno.h>
#include "xz_priv.h"

#define STREAM_HDR    12        /* magic, flags, CRC32 of the flags */
#define STREAM_FTR    12        /* CRC32, backward size, flags, magic */
#define VLI_MAX_BYTES 9

#define CHECK_NONE    0
#define CHECK_CRC32   1
#define CHECK_CRC64   4
#define CHECK_SHA256  10

#define FILTER_X86    0x04
#define FILTER_LZMA2  0x21
#define LZMA2_DICT_MAX 40       /* dictionary-size byte: 40 is 4 GiB - 1 */

static const uint8_t hdr_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };

struct xz {
	const uint8_t *in;
	size_t in_len;
	uint8_t *out;
	size_t out_cap;
	void *work;
	char *why;
	size_t why_len;
	unsigned check;             /* CHECK_* */
	size_t check_size;
	size_t index_pos;           /* where the index starts (after the blocks) */
	size_t records_pos;         /* the next index record to match a block with */
	size_t records_end;         /* where the index's records and padding end */
	uint64_t nr_records;
};

#define FAIL(x, rc_, ...) do { \
	hv_snprintf((x)->why, (x)->why_len, __VA_ARGS__); \
	return rc_; \
} while (0)

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* A variable-length integer from p[*pos, end): 7 bits a byte, no padding. */
static bool vli(const uint8_t *p, size_t end, size_t *pos, uint64_t *v)
{
	uint64_t r = 0;

	for (unsigned i = 0; i < VLI_MAX_BYTES && *pos < end; i++) {
		uint8_t b = p[(*pos)++];
		r |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			if (!b && i)
				return false;   /* a redundant zero byte */
			*v = r;
			return true;
		}
	}
	return false;
}

static size_t check_size(unsigned check)
{
	static const uint8_t sizes[16] = { 0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64 };

	return sizes[check & 15];
}

static int stream_flags(struct xz *x, const uint8_t *f, size_t at)
{
	if (f[0] || (f[1] & 0xf0))
		FAIL(x, -XEN_EOPNOTSUPP, "xz stream flags at %zu: reserved bits set (%#x %#x)", at, f[0], f[1]);
	return 0;
}

/* The footer at the end (after any stream padding), then the index it points to. */
static int read_index(struct xz *x, uint64_t *total)
{
	const uint8_t *in = x->in;
	size_t end = x->in_len, pos, idx_end;
	uint64_t backward, sum = 0;

	/* stream padding: zero bytes in groups of four */
	while (end >= STREAM_HDR + STREAM_FTR + 4 && !le32(in + end - 4))
		end -= 4;
	if (end < STREAM_HDR + STREAM_FTR || (end & 3))
		FAIL(x, -XEN_EINVAL, "xz stream truncated: %zu bytes, no room for a footer", x->in_len);
	const uint8_t *ftr = in + end - STREAM_FTR;
	if (ftr[10] != 'Y' || ftr[11] != 'Z')
		FAIL(x, -XEN_EINVAL, "xz stream truncated or followed by garbage: no footer magic at %zu",
		     end - 2);
	if (crc32(ftr + 4, 6, 0) != le32(ftr))
		FAIL(x, -XEN_EINVAL, "xz stream footer at %zu: CRC32 mismatch", end - STREAM_FTR);
	if (ftr[8] != in[6] || ftr[9] != in[7])
		FAIL(x, -XEN_EINVAL, "xz stream footer at %zu: flags differ from the header's", end - STREAM_FTR);
	backward = ((uint64_t)le32(ftr + 4) + 1) * 4;
	idx_end = end - STREAM_FTR;
	if (backward > idx_end - STREAM_HDR)
		FAIL(x, -XEN_EINVAL, "xz index size %lu does not fit in the stream", (unsigned long)backward);
	x->index_pos = idx_end - backward;

	/* indicator, record count, records, zero padding to 4, CRC32 */
	pos = x->index_pos;
	if (in[pos] != 0x00)
		FAIL(x, -XEN_EINVAL, "xz index at %zu: bad indicator %#x", pos, in[pos]);
	if (le32(in + idx_end - 4) != crc32(in + pos, backward - 4, 0))
		FAIL(x, -XEN_EINVAL, "xz index at %zu: CRC32 mismatch", pos);
	pos++;
	if (!vli(in, idx_end - 4, &pos, &x->nr_records))
		FAIL(x, -XEN_EINVAL, "xz index at %zu: bad record count", x->index_pos);
	x->records_pos = pos;
	x->records_end = idx_end - 4;
	for (uint64_t r = 0; r < x->nr_records; r++) {
		uint64_t unpadded, size;
		if (!vli(in, idx_end - 4, &pos, &unpadded) || !vli(in, idx_end - 4, &pos, &size))
			FAIL(x, -XEN_EINVAL, "xz index at %zu: record %lu is malformed", x->index_pos,
			     (unsigned long)r);
		if (size > UINT64_MAX - sum)
			FAIL(x, -XEN_EINVAL, "xz index at %zu: sizes overflow", x->index_pos);
		sum += size;
	}
	while (pos & 3) {
		if (pos >= idx_end - 4 || in[pos])
			FAIL(x, -XEN_EINVAL, "xz index at %zu: bad padding", x->index_pos);
		pos++;
	}
	if (pos != idx_end - 4)
		FAIL(x, -XEN_EINVAL, "xz index at %zu: %zu bytes, the footer says %lu", x->index_pos,
		     pos + 4 - x->index_pos, (unsigned long)backward);
	*total = sum;
	return 0;
}

/* A block header at pos: its size, stated sizes (or ~0) and whether BCJ is in the chain. */
struct block_hdr {
	size_t size;
	uint64_t csize, usize;
	bool bcj;
};

static int read_block_header(struct xz *x, size_t pos, struct block_hdr *b)
{
	const uint8_t *in = x->in;
	size_t end, p;
	uint8_t flags;
	unsigned nr_filters;

	if (!in[pos])
		FAIL(x, -XEN_EINVAL, "xz stream: an index at %zu, but the footer puts it at %zu (concatenated streams are not supported)", pos, x->index_pos);
	b->size = ((size_t)in[pos] + 1) * 4;
	if (b->size > x->index_pos - pos)
		FAIL(x, -XEN_EINVAL, "xz block header at %zu: %zu bytes run into the index", pos, b->size);
	end = pos + b->size - 4;
	if (crc32(in + pos, b->size - 4, 0) != le32(in + end))
		FAIL(x, -XEN_EINVAL, "xz block header at %zu: CRC32 mismatch", pos);
	flags = in[pos + 1];
	if (flags & 0x3c)
		FAIL(x, -XEN_EOPNOTSUPP, "xz block header at %zu: reserved flags %#x", pos, flags);
	nr_filters = (flags & 3) + 1;
	p = pos + 2;
	b->csize = b->usize = ~0ull;
	if ((flags & 0x40) && (!vli(in, end, &p, &b->csize) || !b->csize))
		FAIL(x, -XEN_EINVAL, "xz block header at %zu: bad compressed size", pos);
	if ((flags & 0x80) && !vli(in, end, &p, &b->usize))
		FAIL(x, -XEN_EINVAL, "xz block header at %zu: bad uncompressed size", pos);
	b->bcj = false;
	for (unsigned i = 0; i < nr_filters; i++) {
		uint64_t id, plen;
		bool last = i == nr_filters - 1;
		if (!vli(in, end, &p, &id) || !vli(in, end, &p, &plen) || plen > end - p)
			FAIL(x, -XEN_EINVAL, "xz block header at %zu: filter %u is malformed", pos, i);
		if (last && id == FILTER_LZMA2) {
			if (plen != 1 || in[p] > LZMA2_DICT_MAX)
				FAIL(x, -XEN_EOPNOTSUPP, "xz block header at %zu: bad LZMA2 properties", pos);
		} else if (!last && i == 0 && id == FILTER_X86) {
			/* a start offset other than 0 is legal but never made for kernels */
			if (plen != 0 && (plen != 4 || le32(in + p)))
				FAIL(x, -XEN_EOPNOTSUPP, "xz block header at %zu: x86 BCJ start offset is not 0", pos);
			b->bcj = true;
		} else {
			FAIL(x, -XEN_EOPNOTSUPP, "xz block header at %zu: filter %#lx in place %u of %u is not supported (only x86 BCJ, then LZMA2)",
			     pos, (unsigned long)id, i + 1, nr_filters);
		}
		p += plen;
	}
	for (; p < end; p++)
		if (in[p])
			FAIL(x, -XEN_EINVAL, "xz block header at %zu: non-zero padding", pos);
	return 0;
}

/* The next index record must describe the block just decoded. */
static int match_record(struct xz *x, uint64_t r, size_t at, uint64_t unpadded, uint64_t usize)
{
	uint64_t iu, is;
	size_t p = x->records_pos;

	if (r >= x->nr_records)
		FAIL(x, -XEN_EINVAL, "xz block at %zu is not in the index", at);
	/* read_index() checked that every record parses */
	vli(x->in, x->records_end, &p, &iu);
	vli(x->in, x->records_end, &p, &is);
	x->records_pos = p;
	if (iu != unpadded || is != usize)
		FAIL(x, -XEN_EINVAL, "xz block at %zu: sizes %lu/%lu, the index says %lu/%lu", at,
		     (unsigned long)unpadded, (unsigned long)usize, (unsigned long)iu, (unsigned long)is);
	return 0;
}

static int verify_check(struct xz *x, size_t at, const uint8_t *data, size_t len)
{
	const uint8_t *c = x->in + at;

	if (x->check == CHECK_CRC32 && crc32(data, len, 0) != le32(c))
		FAIL(x, -XEN_EINVAL, "xz block check at %zu: CRC32 mismatch (damaged data)", at);
	if (x->check == CHECK_CRC64 && crc64(data, len, 0) != le64(c))
		FAIL(x, -XEN_EINVAL, "xz block check at %zu: CRC64 mismatch (damaged data)", at);
	return 0;
}

/*
 * Decode the block at *pos into out from *out_pos; both advance past it.
 * Page-aligned, with the LZMA2 decoder inlined into it: under QEMU the
 * unpacking's speed depends on where the hot loop sits relative to pages
 * (a 64-byte shift by an unrelated change cost 10 %; docs/benchmarks.md),
 * so other changes must not move it.
 */
__attribute__((aligned(4096))) static int decode_block(struct xz *x, uint64_t r, size_t *pos, size_t *out_pos)
{
	struct block_hdr b;
	size_t at = *pos, data, used, start = *out_pos, p;
	char inner[96];
	int rc;

	rc = read_block_header(x, at, &b);
	if (rc)
		return rc;
	data = at + b.size;
	rc = xz_lzma2_decode(x->in + data, x->index_pos - data, &used, x->out, out_pos, x->out_cap,
			     x->work, inner, sizeof(inner));
	if (rc)
		FAIL(x, rc, "xz block at %zu: %s", at, inner);
	if ((b.csize != ~0ull && b.csize != used) || (b.usize != ~0ull && b.usize != *out_pos - start))
		FAIL(x, -XEN_EINVAL, "xz block at %zu: sizes differ from its header's", at);
	/* block padding to a multiple of four, then the check */
	p = data + used;
	while (p & 3) {
		if (p >= x->index_pos || x->in[p])
			FAIL(x, -XEN_EINVAL, "xz block at %zu: bad padding", at);
		p++;
	}
	if (x->check_size > x->index_pos - p)
		FAIL(x, -XEN_EINVAL, "xz block at %zu: its check runs into the index", at);
	if (b.bcj)
		xz_bcj_x86(x->out + start, *out_pos - start);
	rc = verify_check(x, p, x->out + start, *out_pos - start);
	if (rc)
		return rc;
	*pos = p + x->check_size;
	return match_record(x, r, at, b.size + used + x->check_size, *out_pos - start);
}

int unxz(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len,
	 void *work, char *why, size_t why_len)
{
	struct xz x = {
		.in = in, .in_len = in_len, .out = out, .out_cap = out_cap, .work = work,
		.why = why, .why_len = why_len,
	};
	uint64_t total, r;
	size_t pos, out_pos = 0;
	int rc;

	*out_len = 0;
	if (in_len < sizeof(hdr_magic) || memcmp(in, hdr_magic, sizeof(hdr_magic)))
		FAIL(&x, -XEN_ENOEXEC, "not an xz stream (no magic)");
	if (in_len < STREAM_HDR)
		FAIL(&x, -XEN_EINVAL, "xz stream truncated in its header");
	if (crc32(in + 6, 2, 0) != le32(in + 8))
		FAIL(&x, -XEN_EINVAL, "xz stream header: CRC32 mismatch");
	rc = stream_flags(&x, in + 6, 6);
	if (rc)
		return rc;
	x.check = in[7] & 15;
	x.check_size = check_size(x.check);
	if (x.check != CHECK_NONE && x.check != CHECK_CRC32 && x.check != CHECK_CRC64)
		FAIL(&x, -XEN_EOPNOTSUPP, "xz check type %u is not supported (only none, CRC32, CRC64)%s",
		     x.check, x.check == CHECK_SHA256 ? ": SHA-256" : "");
	rc = read_index(&x, &total);
	if (rc)
		return rc;
	if (total > out_cap)
		FAIL(&x, -XEN_E2BIG, "xz stream decodes to %lu bytes, more than the %zu expected",
		     (unsigned long)total, out_cap);

	pos = STREAM_HDR;
	for (r = 0; pos < x.index_pos; r++) {
		rc = decode_block(&x, r, &pos, &out_pos);
		if (rc)
			return rc;
	}
	if (pos != x.index_pos || r != x.nr_records)
		FAIL(&x, -XEN_EINVAL, "xz stream: %lu blocks, the index lists %lu", (unsigned long)r,
		     (unsigned long)x.nr_records);
	*out_len = out_pos;
	return 0;
}
