/*
 * Unit tests of the hypervisor's XZ decoder (hypervisor/common/unxz.c,
 * xz_lzma2.c, xz_bcj.c, lib/crc.c), its gzip, lz4 and zstd decoders
 * (common/gunzip.c, unlz4.c, unzstd*.c) and the bzImage payload lookup
 * (common/bzimage.c), under ASan and UBSan.
 *
 * argv[1] is a directory of streams made by xz(1)
 * (tests/unit/hypervisor/common/unxz-vectors.sh): every NAME.*.xz must decode to
 * NAME.bin; refuse-*.xz must be refused with the right code. Streams for
 * the error paths are assembled here around hand-written or xz-made raw
 * LZMA2 data (xz_wrap(), tests/unit/xz_writer.c), with correct CRCs
 * everywhere but in the one field a test breaks, so that each check is
 * reached. Truncation and corruption
 * loops then check that no damaged stream decodes, and ASan that none
 * reads or writes outside its buffers: `out` is allocated to exactly the
 * capacity given.
 */
#include "fake/machine.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bzimage.h>
#include <crc.h>
#include <gunzip.h>
#include <unlz4.h>
#include <unxz.h>
#include <unzstd.h>
#include <public/errno.h>
#include "xz_priv.h"
#include "xz_writer.h"

static const char *vec_dir;
static char why[256];
static _Alignas(16) uint8_t work[UNXZ_WORK_SIZE];

static uint8_t *read_file(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	uint8_t *p;
	long n;

	snprintf(path, sizeof(path), "%s/%s", vec_dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc(n ? (size_t)n : 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

/* One decoder's call, its output buffer given: each fills `why` on failure. */
typedef int decoder_fn(const uint8_t *in, size_t len, uint8_t *o, size_t cap, size_t *out_len);

static int xz_call(const uint8_t *in, size_t len, uint8_t *o, size_t cap, size_t *out_len)
{
	return unxz(in, len, o, cap, out_len, work, why, sizeof(why));
}

static int gz_call(const uint8_t *in, size_t len, uint8_t *o, size_t cap, size_t *out_len)
{
	return gunzip(in, len, o, cap, out_len, why, sizeof(why));
}

static int lz4_call(const uint8_t *in, size_t len, uint8_t *o, size_t cap, size_t *out_len)
{
	return unlz4(in, len, o, cap, out_len, why, sizeof(why));
}

static int zstd_call(const uint8_t *in, size_t len, uint8_t *o, size_t cap, size_t *out_len)
{
	return unzstd(in, len, o, cap, out_len, work, why, sizeof(why));
}

/*
 * Decode with `fn` into a buffer of exactly cap bytes (so ASan sees any
 * overrun); the buffer is handed back in *out, or freed when out is NULL.
 */
static int decode_exact(decoder_fn *fn, const uint8_t *in, size_t len, size_t cap, uint8_t **out,
			size_t *out_len)
{
	uint8_t *o = malloc(cap ? cap : 1);
	int rc;

	assert_non_null(o);
	why[0] = '\0';
	rc = fn(in, len, o, cap, out_len);
	if (rc)
		assert_true(why[0] != '\0');   /* every failure says why */
	if (out)
		*out = o;
	else
		free(o);
	return rc;
}

static int decode(const uint8_t *in, size_t len, size_t cap, uint8_t **out, size_t *out_len)
{
	return decode_exact(xz_call, in, len, cap, out, out_len);
}

static void assert_why(const char *part)
{
	if (!strstr(why, part))
		fail_msg("why '%s' lacks '%s'", why, part);
}

/* A decoder's answer is rc and its reason names part (a macro: failures keep the caller's line) */
#define expect_refused(got, rc, part)            \
	do {                                     \
		assert_int_equal((got), (rc));   \
		assert_why(part);                \
	} while (0)

/* ---- building streams (xz_wrap: tests/unit/xz_writer.c) ---- */

static uint8_t sbuf[1 << 21];

/* A stored LZMA2 chunk with a dictionary reset holding "hello", then the end. */
static const uint8_t lz_hello[] = { 0x01, 0x00, 0x04, 'h', 'e', 'l', 'l', 'o', 0x00 };

static int wrap_decode(const uint8_t *lz, size_t lz_len, const char *data, size_t cap,
		       const struct xz_wrap *w)
{
	size_t n = xz_wrap(sbuf, lz, lz_len, (const uint8_t *)data, strlen(data), w), len;
	uint8_t *out;
	int rc = decode(sbuf, n, cap, &out, &len);

	if (!rc) {
		assert_int_equal(len, strlen(data));
		assert_memory_equal(out, data, len);
	}
	free(out);
	return rc;
}

/* ---- tests ---- */

static void crc_known_answers(void **state)
{
	assert_int_equal(crc32("123456789", 9, 0), 0xcbf43926u);
	assert_true(crc64("123456789", 9, 0) == 0x995dc9bbdf1939faull);
	/* continuing a sum over pieces, at odd alignments */
	assert_int_equal(crc32("56789", 5, crc32("1234", 4, 0)), 0xcbf43926u);
	assert_int_equal(crc32("", 0, 0), 0);
}

/* A bit at a time, straight from the polynomial: the reference. */
static uint32_t crc32_bitwise(const uint8_t *p, size_t len, uint32_t crc)
{
	uint32_t c = ~crc;

	while (len--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

/*
 * The zero-page shortcut (whole zero 4 KiB chunks in one step) agrees with
 * the plain definition: zero runs of every length around a chunk, a single
 * non-zero byte anywhere in a chunk (first, middle, last word), at every
 * start alignment, and sums continued across pieces.
 */
static void crc32_zero_chunks(void **state)
{
	static uint8_t buf[5 * 4096 + 64];
	const size_t spots[] = { 0, 7, 8, 2047, 4088, 4095, 4096, 8191, 12288, 16000 };

	memset(buf, 0, sizeof(buf));
	for (size_t len = 4080; len <= 4112; len++)
		assert_int_equal(crc32(buf, len, 0), crc32_bitwise(buf, len, 0));
	for (unsigned s = 0; s < sizeof(spots) / sizeof(spots[0]); s++)
		for (size_t start = 0; start < 9; start++) {
			memset(buf, 0, sizeof(buf));
			buf[start + spots[s]] = (uint8_t)(0x5a + s);
			size_t len = 4 * 4096 + 17;
			assert_int_equal(crc32(buf + start, len, 0), crc32_bitwise(buf + start, len, 0));
			uint32_t part = crc32(buf + start, 5000, 0x1234);
			assert_int_equal(crc32(buf + start + 5000, len - 5000, part),
					 crc32_bitwise(buf + start, len, 0x1234));
		}
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 131 + 7);
	memset(buf + 4096, 0, 8192);
	assert_int_equal(crc32(buf, sizeof(buf), 0), crc32_bitwise(buf, sizeof(buf), 0));
}

static void refuse(const char *name, int want, const char *part)
{
	size_t len, n;
	uint8_t *in = read_file(name, &n);

	assert_int_equal(decode(in, n, 1 << 22, NULL, &len), want);
	assert_why(part);
	free(in);
}

static void refused_streams(void **state)
{
	refuse("refuse-sha256.xz", -XEN_EOPNOTSUPP, "SHA-256");
	refuse("refuse-delta.xz", -XEN_EOPNOTSUPP, "filter 0x3");
	refuse("refuse-arm.xz", -XEN_EOPNOTSUPP, "filter 0x7");
	refuse("refuse-x86start.xz", -XEN_EOPNOTSUPP, "start offset");
	refuse("refuse-concat.xz", -XEN_EINVAL, "concatenated");
}

static void container_errors(void **state)
{
	struct xz_wrap w = { 0 };
	size_t n, len;

	/* the well-formed base case, with each check type */
	assert_int_equal(wrap_decode(lz_hello, sizeof(lz_hello), "hello", 5, &w), 0);
	w.check = 4;
	assert_int_equal(wrap_decode(lz_hello, sizeof(lz_hello), "hello", 5, &w), 0);
	w = (struct xz_wrap){ .no_check_default = true };
	assert_int_equal(wrap_decode(lz_hello, sizeof(lz_hello), "hello", 5, &w), 0);
	w = (struct xz_wrap){ .bcj = true };
	assert_int_equal(wrap_decode(lz_hello, sizeof(lz_hello), "hello", 5, &w), 0);
	w = (struct xz_wrap){ .sizes_in_header = true };
	assert_int_equal(wrap_decode(lz_hello, sizeof(lz_hello), "hello", 5, &w), 0);

	/* not xz at all; too short for a header */
	assert_int_equal(decode((const uint8_t *)"hello, world", 12, 16, NULL, &len), -XEN_ENOEXEC);
	expect_refused(decode((const uint8_t *)"\xfd" "7zXZ\0\0", 7, 16, NULL, &len), -XEN_EINVAL,
		       "truncated");

	w = (struct xz_wrap){ 0 };
	n = xz_wrap(sbuf, lz_hello, sizeof(lz_hello), (const uint8_t *)"hello", 5, &w);
	/* header CRC */
	sbuf[8] ^= 1;
	expect_refused(decode(sbuf, n, 5, NULL, &len), -XEN_EINVAL, "header: CRC32");
	sbuf[8] ^= 1;
	/* reserved stream flags, with a matching CRC */
	sbuf[6] = 1;
	xz_put32(sbuf + 8, crc32(sbuf + 6, 2, 0));
	expect_refused(decode(sbuf, n, 5, NULL, &len), -XEN_EOPNOTSUPP, "reserved bits");
	sbuf[6] = 0;
	xz_put32(sbuf + 8, crc32(sbuf + 6, 2, 0));
	/* reserved check types */
	sbuf[7] = 2;
	xz_put32(sbuf + 8, crc32(sbuf + 6, 2, 0));
	expect_refused(decode(sbuf, n, 5, NULL, &len), -XEN_EOPNOTSUPP, "check type 2");
	sbuf[7] = 1;
	xz_put32(sbuf + 8, crc32(sbuf + 6, 2, 0));
	assert_int_equal(decode(sbuf, n, 5, NULL, &len), 0);
	/* footer: magic, CRC, flags */
	sbuf[n - 1] = 'X';
	expect_refused(decode(sbuf, n, 5, NULL, &len), -XEN_EINVAL, "no footer magic");
	sbuf[n - 1] = 'Z';
	sbuf[n - 12] ^= 0x80;
	expect_refused(decode(sbuf, n, 5, NULL, &len), -XEN_EINVAL, "footer at");
	sbuf[n - 12] ^= 0x80;
	sbuf[n - 3] = 4;
	xz_put32(sbuf + n - 12, crc32(sbuf + n - 8, 6, 0));
	expect_refused(decode(sbuf, n, 5, NULL, &len), -XEN_EINVAL, "flags differ");
	/* unaligned length, trailing garbage */
	n = xz_wrap(sbuf, lz_hello, sizeof(lz_hello), (const uint8_t *)"hello", 5, &w);
	assert_int_equal(decode(sbuf, n - 1, 5, NULL, &len), -XEN_EINVAL);
	memcpy(sbuf + n, "junk", 4);
	expect_refused(decode(sbuf, n + 4, 5, NULL, &len), -XEN_EINVAL, "footer magic");

	/* backward size too large, or pointing at the wrong place */
	w = (struct xz_wrap){ .backward_adjust = 1000 };
	expect_refused(wrap_decode(lz_hello, sizeof(lz_hello), "hello", 5, &w), -XEN_EINVAL, "does not fit");
	w = (struct xz_wrap){ .backward_adjust = 1 };
	assert_int_equal(wrap_decode(lz_hello, sizeof(lz_hello), "hello", 5, &w), -XEN_EINVAL);

	/* index CRC, and records that disagree with the block */
	w = (struct xz_wrap){ 0 };
	n = xz_wrap(sbuf, lz_hello, sizeof(lz_hello), (const uint8_t *)"hello", 5, &w);
	sbuf[n - 12 - 8 + 2] ^= 1;   /* a record byte inside the 8-byte index */
	expect_refused(decode(sbuf, n, 5, NULL, &len), -XEN_EINVAL, "index at");
	w = (struct xz_wrap){ .index_usize = 4 };
	expect_refused(wrap_decode(lz_hello, sizeof(lz_hello), "hello", 4, &w), -XEN_E2BIG,
		       "passes the 4-byte buffer");
	w = (struct xz_wrap){ .index_usize = 6 };
	expect_refused(wrap_decode(lz_hello, sizeof(lz_hello), "hello", 6, &w), -XEN_EINVAL,
		       "the index says");
	w = (struct xz_wrap){ .index_unpadded_adjust = 1 };
	expect_refused(wrap_decode(lz_hello, sizeof(lz_hello), "hello", 5, &w), -XEN_EINVAL,
		       "the index says");

	/* block header: sizes that disagree, reserved flags, filters, properties, CRC */
	w = (struct xz_wrap){ .sizes_in_header = true, .hdr_usize = 4 };
	expect_refused(wrap_decode(lz_hello, sizeof(lz_hello), "hello", 5, &w), -XEN_EINVAL,
		       "differ from its header");
	w = (struct xz_wrap){ .sizes_in_header = true, .hdr_csize = 8 };
	assert_int_equal(wrap_decode(lz_hello, sizeof(lz_hello), "hello", 5, &w), -XEN_EINVAL);
	w = (struct xz_wrap){ .reserved_flags = 0x04 };
	expect_refused(wrap_decode(lz_hello, sizeof(lz_hello), "hello", 5, &w), -XEN_EOPNOTSUPP,
		       "reserved flags");
	w = (struct xz_wrap){ .filter_id = 0x03 };
	assert_int_equal(wrap_decode(lz_hello, sizeof(lz_hello), "hello", 5, &w), -XEN_EOPNOTSUPP);
	w = (struct xz_wrap){ .lzma2_props = 41 };
	expect_refused(wrap_decode(lz_hello, sizeof(lz_hello), "hello", 5, &w), -XEN_EOPNOTSUPP,
		       "LZMA2 properties");
	w = (struct xz_wrap){ 0 };
	n = xz_wrap(sbuf, lz_hello, sizeof(lz_hello), (const uint8_t *)"hello", 5, &w);
	sbuf[13] ^= 0x40;   /* block flags: claims a compressed-size field */
	expect_refused(decode(sbuf, n, 5, NULL, &len), -XEN_EINVAL, "block header at 12: CRC32");

	/* the check itself */
	n = xz_wrap(sbuf, lz_hello, sizeof(lz_hello), (const uint8_t *)"hellO", 5, &w);
	expect_refused(decode(sbuf, n, 5, NULL, &len), -XEN_EINVAL, "CRC32 mismatch (damaged data)");
	w.check = 4;
	n = xz_wrap(sbuf, lz_hello, sizeof(lz_hello), (const uint8_t *)"hellO", 5, &w);
	expect_refused(decode(sbuf, n, 5, NULL, &len), -XEN_EINVAL, "CRC64 mismatch");
}

static void lzma2_errors(void **state)
{
	struct xz_wrap w = { 0 };
	static const uint8_t no_end[] = { 0x01, 0x00, 0x04, 'h', 'e', 'l', 'l', 'o' };
	static const uint8_t no_reset[] = { 0x02, 0x00, 0x04, 'h', 'e', 'l', 'l', 'o', 0x00 };
	static const uint8_t bad_control[] = { 0x01, 0x00, 0x04, 'h', 'e', 'l', 'l', 'o', 0x03, 0x00 };
	static const uint8_t short_stored[] = { 0x01, 0xff, 0xff, 'h', 'e', 'l', 'l', 'o', 0x00 };
	static const uint8_t two_stored[] = { 0x01, 0x00, 0x01, 'h', 'e', 0x02, 0x00, 0x02, 'l', 'l', 'o', 0x00 };
	/* LZMA chunks: state reset without properties after a dictionary reset */
	static const uint8_t need_props[] = { 0x01, 0x00, 0x00, 'h', 0xa0, 0x00, 0x00, 0x00, 0x05,
					      0, 0, 0, 0, 0, 0, 0x00 };
	static const uint8_t bad_props[] = { 0xe0, 0x00, 0x00, 0x00, 0x05, 225, 0, 0, 0, 0, 0, 0x00 };
	static const uint8_t lc_lp[] = { 0xe0, 0x00, 0x00, 0x00, 0x05, 3 + 9 * 2, 0, 0, 0, 0, 0, 0x00 };
	static const uint8_t rc_first[] = { 0xe0, 0x00, 0x00, 0x00, 0x05, 0x5d, 1, 0, 0, 0, 0, 0x00 };
	static const uint8_t lz_trunc[] = { 0xe0, 0x00, 0x00, 0x00, 0x40, 0x5d, 0, 0, 0 };

	assert_int_equal(wrap_decode(two_stored, sizeof(two_stored), "hello", 5, &w), 0);
	expect_refused(wrap_decode(no_end, sizeof(no_end), "hello", 5, &w), -XEN_EINVAL, "truncated");
	expect_refused(wrap_decode(no_reset, sizeof(no_reset), "hello", 5, &w), -XEN_EINVAL,
		       "does not reset the dictionary");
	expect_refused(wrap_decode(bad_control, sizeof(bad_control), "hello", 5, &w), -XEN_EINVAL,
		       "bad control byte");
	expect_refused(wrap_decode(short_stored, sizeof(short_stored), "hello", 1 << 17, &w), -XEN_EINVAL,
		       "stored chunk");
	expect_refused(wrap_decode(need_props, sizeof(need_props), "hX", 2, &w), -XEN_EINVAL,
		       "no properties");
	expect_refused(wrap_decode(bad_props, sizeof(bad_props), "X", 1, &w), -XEN_EOPNOTSUPP,
		       "properties byte");
	assert_int_equal(wrap_decode(lc_lp, sizeof(lc_lp), "X", 1, &w), -XEN_EOPNOTSUPP);
	expect_refused(wrap_decode(rc_first, sizeof(rc_first), "X", 1, &w), -XEN_EINVAL, "corrupt LZMA data");
	expect_refused(wrap_decode(lz_trunc, sizeof(lz_trunc), "X", 1, &w), -XEN_EINVAL, "truncated");
	/* more output than the buffer: refused at the chunk header */
	w.index_usize = 3;
	assert_int_equal(wrap_decode(lz_hello, sizeof(lz_hello), "hel", 3, &w), -XEN_E2BIG);
}

/* xz's raw LZMA2 for real data, cut short anywhere: refused, never overrun. */
static void truncated_lzma2(void **state)
{
	size_t lz_len, data_len, len;
	uint8_t *lz = read_file("code-8192.lzma2", &lz_len), *data = read_file("code-8192.bin", &data_len);
	struct xz_wrap w = { 0 };

	for (size_t cut = 0; cut < lz_len; cut++) {
		size_t n = xz_wrap(sbuf, lz, cut, data, data_len, &w);
		assert_int_not_equal(decode(sbuf, n, data_len, NULL, &len), 0);
	}
	size_t n = xz_wrap(sbuf, lz, lz_len, data, data_len, &w);
	assert_int_equal(decode(sbuf, n, data_len, NULL, &len), 0);
	/* and every prefix of the whole stream */
	for (size_t cut = 0; cut < n; cut++)
		assert_int_not_equal(decode(sbuf, cut, data_len, NULL, &len), 0);
	free(lz);
	free(data);
}

/*
 * The end of one LZMA chunk. The decoder checks its input once per symbol
 * and decodes a chunk's last symbols from a copy of its last bytes
 * followed by zeros; so here one real chunk (xz's, 8 KiB of code) has its
 * packed size cut by k bytes (its last bytes gone) or grown by k stray
 * bytes, for every k up to well past that copy's size. The chunk is the
 * last thing in an input buffer of exactly its size, so ASan sees any read
 * past it. Each must be refused as corrupt LZMA data; the whole chunk
 * decodes (then the data ends without LZMA2's end marker).
 */
static void lzma_chunk_ends(void **state)
{
	size_t lz_len, data_len;
	uint8_t *lz = read_file("code-8192.lzma2", &lz_len), *data = read_file("code-8192.bin", &data_len);
	uint8_t *out = malloc(data_len);
	size_t csize = ((size_t)lz[3] << 8 | lz[4]) + 1;

	assert_true(lz[0] >= 0xe0);
	assert_int_equal(lz_len, 6 + csize + 1);   /* one chunk, then the end */
	assert_true(csize > 200);
	for (size_t k = 0; k < 200; k++) {
		for (int grow = 0; grow < 2; grow++) {
			size_t n = grow ? csize + k : csize - k, used = 0, pos = 0;
			uint8_t *in = malloc(6 + n);
			int rc;

			memcpy(in, lz, 6 + (grow ? csize : n));
			for (size_t i = csize; grow && i < n; i++)
				in[6 + i] = (uint8_t)(k & 1 ? 0xff : i);
			in[3] = (uint8_t)((n - 1) >> 8);
			in[4] = (uint8_t)(n - 1);
			why[0] = '\0';
			rc = xz_lzma2_decode(in, 6 + n, &used, out, &pos, data_len, work, why, sizeof(why));
			assert_int_equal(rc, -XEN_EINVAL);
			if (k == 0) {
				assert_why("truncated");
				assert_memory_equal(out, data, data_len);
			} else {
				assert_why("corrupt LZMA data");
			}
			free(in);
		}
	}
	free(out);
	free(lz);
	free(data);
}

/*
 * Random damage to the LZMA2 data under a correct container is refused by
 * the decoder or the check; without a check it may decode to anything,
 * but only within the buffer. (Damage to whole streams: damaged_streams.)
 */
static void corrupted_lzma2(void **state)
{
	size_t data_len, lz_len, len;
	uint8_t *data = read_file("code-8192.bin", &data_len);
	uint8_t *lz = read_file("code-8192.lzma2", &lz_len);
	uint32_t seed = 12345;

	for (unsigned round = 0; round < 3000; round++) {
		uint8_t *l = malloc(lz_len);
		memcpy(l, lz, lz_len);
		for (unsigned k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % lz_len;
			l[at] ^= (uint8_t)(seed >> 24 | 1);
		}
		struct xz_wrap w = { 0 };
		size_t n = xz_wrap(sbuf, l, lz_len, data, data_len, &w);
		if (memcmp(l, lz, lz_len))
			assert_int_not_equal(decode(sbuf, n, data_len, NULL, &len), 0);
		w = (struct xz_wrap){ .no_check_default = true, .bcj = round & 1 };
		n = xz_wrap(sbuf, l, lz_len, data, data_len, &w);
		if (!decode(sbuf, n, data_len, NULL, &len))
			assert_int_equal(len, data_len);
		free(l);
	}
	free(data);
	free(lz);
}

/* ---- gzip ---- */

static int gz_decode(const uint8_t *in, size_t len, size_t cap, uint8_t **out, size_t *out_len)
{
	return decode_exact(gz_call, in, len, cap, out, out_len);
}

static void gzip_errors(void **state)
{
	size_t in_len, data_len, len;
	uint8_t *in = read_file("code-8192.gz", &in_len), *data = read_file("code-8192.bin", &data_len);
	uint8_t *bad = malloc(in_len + 8);

	assert_int_equal(gz_decode((const uint8_t *)"hello, world", 12, 16, NULL, &len), -XEN_ENOEXEC);
	expect_refused(gz_decode(in, 12, 16, NULL, &len), -XEN_EINVAL, "truncated");
	memcpy(bad, in, in_len);
	bad[2] = 7;
	expect_refused(gz_decode(bad, in_len, data_len, NULL, &len), -XEN_EOPNOTSUPP, "not deflate");
	bad[2] = 8;
	bad[3] = 0x20;
	assert_int_equal(gz_decode(bad, in_len, data_len, NULL, &len), -XEN_EOPNOTSUPP);
	bad[3] = 0x08;   /* a name that never ends */
	memset(bad + 10, 'a', in_len - 10);
	expect_refused(gz_decode(bad, in_len, data_len, NULL, &len), -XEN_EINVAL, "unterminated");
	bad[3] = 0x04;   /* an extra field longer than the file */
	bad[10] = 0xff;
	bad[11] = 0xff;
	expect_refused(gz_decode(bad, in_len, data_len, NULL, &len), -XEN_EINVAL, "extra field");
	/* trailer: CRC, size, and bytes after it */
	memcpy(bad, in, in_len);
	bad[in_len - 8] ^= 1;
	expect_refused(gz_decode(bad, in_len, data_len, NULL, &len), -XEN_EINVAL, "CRC32 mismatch");
	memcpy(bad, in, in_len);
	bad[in_len - 4] ^= 1;
	expect_refused(gz_decode(bad, in_len, data_len + 8, NULL, &len), -XEN_EINVAL, "size");
	memcpy(bad, in, in_len);
	expect_refused(gz_decode(bad, in_len + 8, data_len, NULL, &len), -XEN_EINVAL, "8 expected");
	/* a stored block, by hand: "hi" */
	static const uint8_t hand[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3,
					0x01, 0x02, 0x00, 0xfd, 0xff, 'h', 'i',
					0xac, 0x2a, 0x93, 0xd8, 2, 0, 0, 0 };
	uint8_t *out;
	assert_int_equal(gz_decode(hand, sizeof(hand), 2, &out, &len), 0);
	assert_memory_equal(out, "hi", 2);
	free(out);
	memcpy(bad, hand, sizeof(hand));
	bad[13] = 0xfe;  /* NLEN is not LEN's complement */
	assert_int_equal(gz_decode(bad, sizeof(hand), 2, NULL, &len), -XEN_EINVAL);
	memcpy(bad, hand, sizeof(hand));
	bad[10] = 0x07;  /* block type 3 */
	expect_refused(gz_decode(bad, sizeof(hand), 2, NULL, &len), -XEN_EINVAL, "corrupt");
	free(bad);
	free(in);
	free(data);
}

/* ---- lz4 (legacy frame) ---- */

static int lz4_decode(const uint8_t *in, size_t len, size_t cap, uint8_t **out, size_t *out_len)
{
	return decode_exact(lz4_call, in, len, cap, out, out_len);
}

static void lz4_errors(void **state)
{
	size_t in_len, data_len, len;
	uint8_t *in = read_file("code-8192.lz4", &in_len), *data = read_file("code-8192.bin", &data_len);
	uint8_t *bad = malloc(in_len + 16), *out;

	assert_int_equal(lz4_decode(in, 3, data_len, NULL, &len), -XEN_ENOEXEC);
	/* by hand: "abcd" then a match of 8 at offset 4, then "x" */
	static const uint8_t hand[] = { 0x02, 0x21, 0x4c, 0x18, 9, 0, 0, 0,
					0x44, 'a', 'b', 'c', 'd', 4, 0, 0x10, 'x' };
	assert_int_equal(lz4_decode(hand, sizeof(hand), 13, &out, &len), 0);
	assert_int_equal(len, 13);
	assert_memory_equal(out, "abcdabcdabcdx", 13);
	free(out);
	memcpy(bad, hand, sizeof(hand));
	bad[13] = 0;                      /* offset 0 */
	expect_refused(lz4_decode(bad, sizeof(hand), 13, NULL, &len), -XEN_EINVAL, "match offset 0");
	bad[13] = 5;                      /* before the block */
	expect_refused(lz4_decode(bad, sizeof(hand), 13, NULL, &len), -XEN_EINVAL, "before the block");
	memcpy(bad, hand, sizeof(hand));
	bad[4] = 7;                       /* the block ends with the match */
	expect_refused(lz4_decode(bad, sizeof(hand) - 2, 13, NULL, &len), -XEN_EINVAL, "ends with a match");
	memcpy(bad, hand, sizeof(hand));
	bad[4] = 10;                      /* runs past the input */
	expect_refused(lz4_decode(bad, sizeof(hand), 13, NULL, &len), -XEN_EINVAL, "truncated?");
	bad[4] = 0;                       /* a zero-sized block */
	assert_int_equal(lz4_decode(bad, sizeof(hand), 13, NULL, &len), -XEN_EINVAL);
	memcpy(bad, hand, sizeof(hand));
	bad[8] = 0xf4;                    /* literal length 15 + more bytes past the block */
	assert_int_equal(lz4_decode(bad, sizeof(hand), 13, NULL, &len), -XEN_EINVAL);
	assert_int_equal(lz4_decode(hand, sizeof(hand), 12, NULL, &len), -XEN_E2BIG);
	/* a block that unpacks to more than 8 MiB: 0 literals, a match of 8 MiB + 15 */
	static uint8_t huge[8 + 4 + 5 + 32900];
	size_t h = 0;
	memcpy(huge, "\x02\x21\x4c\x18", 4);
	h = 8;
	huge[h++] = 0x1f;                 /* 1 literal, match length 15 + more */
	huge[h++] = 'z';
	huge[h++] = 1;
	huge[h++] = 0;
	for (size_t i = 0; i < 32900; i++)
		huge[h++] = 255;
	huge[h++] = 0;
	huge[h++] = 0x10;                 /* 1 literal to end */
	huge[h++] = 'y';
	xz_put32(huge + 4, (uint32_t)(h - 8));
	expect_refused(lz4_decode(huge, h, MiB(16), NULL, &len), -XEN_EINVAL, "more than 8 MiB");
	free(bad);
	free(in);
	free(data);
}

/* ---- zstd ---- */

static int zstd_decode(const uint8_t *in, size_t len, size_t cap, uint8_t **out, size_t *out_len)
{
	return decode_exact(zstd_call, in, len, cap, out, out_len);
}

/* A frame by hand: magic, header bytes, blocks; the content checksum appended if sum. */
static size_t zframe(uint8_t *b, const uint8_t *head, size_t hlen, const uint8_t *blocks, size_t blen)
{
	memcpy(b, "\x28\xb5\x2f\xfd", 4);
	memcpy(b + 4, head, hlen);
	memcpy(b + 4 + hlen, blocks, blen);
	return 4 + hlen + blen;
}

static void zstd_errors(void **state)
{
	uint8_t b[256], *out;
	size_t n, len;
	/* one segment, content size 8: a raw block "abc" (not last), an RLE block of 5 'z' (last) */
	static const uint8_t head[] = { 0x20, 8 };
	static const uint8_t blocks[] = { 3 << 3 | 0 << 1 | 0, 0, 0, 'a', 'b', 'c', 5 << 3 | 1 << 1 | 1, 0, 0, 'z' };

	assert_int_equal(zstd_decode((const uint8_t *)"\x28\xb5\x2f", 3, 10, NULL, &len), -XEN_ENOEXEC);
	assert_int_equal(zstd_decode((const uint8_t *)"\xfd\x37\x7a\x58\x5a\x00", 6, 10, NULL, &len), -XEN_ENOEXEC);
	n = zframe(b, head, sizeof(head), blocks, sizeof(blocks));
	assert_int_equal(zstd_decode(b, n, 8, &out, &len), 0);
	assert_int_equal(len, 8);
	assert_memory_equal(out, "abczzzzz", 8);
	free(out);
	assert_int_equal(zstd_decode(b, n, 7, NULL, &len), -XEN_E2BIG);     /* the header's size is too much */
	assert_int_equal(len, 0);
	/* a skippable frame alone decodes to nothing; after a frame, it is passed over */
	assert_int_equal(zstd_decode((const uint8_t *)"\x5f\x2a\x4d\x18\x01\x00\x00\x00!", 9, 0, NULL, &len), 0);
	assert_int_equal(len, 0);
	memcpy(b + n, "\x50\x2a\x4d\x18\x02\x00\x00\x00", 8);
	assert_int_equal(zstd_decode(b, n + 8, 8, NULL, &len), -XEN_EINVAL);   /* its 2 bytes are missing */
	assert_why("skippable frame runs past");
	assert_int_equal(zstd_decode(b, n + 10, 8, NULL, &len), 0);
	b[n] = 0x51;
	b[n + 1] = 0x2b;                                                        /* not a magic */
	expect_refused(zstd_decode(b, n + 10, 8, NULL, &len), -XEN_EINVAL, "bytes after the last frame");
	/* the content size disagrees */
	static const uint8_t head9[] = { 0x20, 9 };
	n = zframe(b, head9, 2, blocks, sizeof(blocks));
	expect_refused(zstd_decode(b, n, 9, NULL, &len), -XEN_EINVAL, "not the size its header says");
	/* a checksum, wrong; then right (XXH64 of "abczzzzz", low 32 bits) */
	static const uint8_t headc[] = { 0x24, 8 };
	n = zframe(b, headc, 2, blocks, sizeof(blocks));
	memcpy(b + n, "\0\0\0\0", 4);
	expect_refused(zstd_decode(b, n + 4, 8, NULL, &len), -XEN_EINVAL, "checksum mismatch");
	expect_refused(zstd_decode(b, n + 3, 8, NULL, &len), -XEN_EINVAL, "checksum cut short");
	/* reserved bits and types; a block past the input; a missing last block */
	static const uint8_t headr[] = { 0x28, 8 };
	n = zframe(b, headr, 2, blocks, sizeof(blocks));
	expect_refused(zstd_decode(b, n, 8, NULL, &len), -XEN_EINVAL, "reserved bit");
	n = zframe(b, head, 2, blocks, sizeof(blocks));
	b[6] |= 3 << 1;
	expect_refused(zstd_decode(b, n, 8, NULL, &len), -XEN_EINVAL, "reserved type");
	n = zframe(b, head, 2, blocks, sizeof(blocks));
	b[6] = 9 << 3;
	expect_refused(zstd_decode(b, n, 8, NULL, &len), -XEN_EINVAL, "truncated?");
	n = zframe(b, head, 2, blocks, 6);
	expect_refused(zstd_decode(b, n, 8, NULL, &len), -XEN_EINVAL, "block header cut short");
	/* a block above 128 KiB, a compressed block of size 0 */
	n = zframe(b, head, 2, (const uint8_t *)"\x01\x00\x20", 3);
	expect_refused(zstd_decode(b, n, 8, NULL, &len), -XEN_EINVAL, "above 128 KiB");
	n = zframe(b, head, 2, (const uint8_t *)"\x05\x00\x00", 3);
	assert_int_equal(zstd_decode(b, n, 8, NULL, &len), -XEN_EINVAL);
	/* dictionaries and huge windows are refused, an absent dictionary id is not */
	n = zframe(b, (const uint8_t *)"\x21\x07\x08", 3, blocks, sizeof(blocks));
	expect_refused(zstd_decode(b, n, 8, NULL, &len), -XEN_EOPNOTSUPP, "dictionary");
	n = zframe(b, (const uint8_t *)"\x21\x00\x08", 3, blocks, sizeof(blocks));
	assert_int_equal(zstd_decode(b, n, 8, NULL, &len), 0);
	n = zframe(b, (const uint8_t *)"\x00\xa8", 2, blocks, sizeof(blocks));
	assert_int_equal(zstd_decode(b, n, 8, NULL, &len), 0);                 /* window 2^31 */
	n = zframe(b, (const uint8_t *)"\x00\xb0", 2, blocks, sizeof(blocks));
	expect_refused(zstd_decode(b, n, 8, NULL, &len), -XEN_EOPNOTSUPP, "window");
	/* a made stream whose blocks are compressed, with too little room: said at the block */
	size_t in_len, data_len;
	uint8_t *in = read_file("code-65536.u22.zst", &in_len), *data = read_file("code-65536.bin", &data_len);
	expect_refused(zstd_decode(in, in_len, data_len / 2, NULL, &len), -XEN_E2BIG, "unpacks to more than");
	/* two frames: each on its own */
	uint8_t *two = malloc(2 * in_len);
	memcpy(two, in, in_len);
	memcpy(two + in_len, in, in_len);
	assert_int_equal(zstd_decode(two, 2 * in_len, 2 * data_len, &out, &len), 0);
	assert_int_equal(len, 2 * data_len);
	assert_memory_equal(out + data_len, data, data_len);
	free(out);
	free(two);
	free(in);
	free(data);
}

/* ---- every decoder: made streams, truncation, damage ---- */

/*
 * What the loops below need to know of a decoder. Its vectors NAME.*EXT
 * (unxz-vectors.sh) decode to NAME.bin; `sample` decodes to
 * code-8192.bin and is the one cut and damaged.
 */
struct codec {
	const char *name, *ext, *sample;
	int (*decode)(const uint8_t *in, size_t len, size_t cap, uint8_t **out, size_t *out_len);
	unsigned min_streams;     /* vectors unxz-vectors.sh writes */
	bool sizes_first;         /* E2BIG said before decoding: nothing written (xz's index) */
	bool cut_may_decode;      /* a cut at a block boundary is a shorter, valid stream (lz4) */
	int max_harmless_flips;   /* one-bit changes that decode, to the original (-1: unchecked format) */
	size_t flip_from;         /* the bytes before it are not flipped (gzip's flags byte may be) */
	size_t head, tail;        /* random damage spares the header and the trailer */
	bool sized;               /* the format checks the length: what decodes is whole */
	uint32_t seed;            /* of the random damage (0: none here) */
};

static const struct codec codecs[] = {
	/* every one-bit change of a CRC32-checked stream is refused; random damage: corrupted_lzma2 */
	{ "xz", ".xz", "code-8192.x86.xz", decode, 38, true, false, 0, 0, 0, 0, true, 0 },
	/*
	 * a one-bit change is refused unless it is harmless: the padding after
	 * the last block, or the length of a code that is never used (zlib
	 * accepts those too), and then the output is the original (the CRC
	 * checked it)
	 */
	{ "gzip", ".gz", "code-8192.gz", gz_decode, 14, false, false, 7, 10, 10, 8, true, 99 },
	{ "lz4", ".lz4", "code-8192.lz4", lz4_decode, 15, false, true, -1, 0, 8, 0, false, 7 },
	/*
	 * checksummed: a one-bit change is refused unless it lands where
	 * nothing depends on it (the window descriptor, the unused header bit)
	 */
	{ "zstd", ".zst", "code-8192.l19.zst", zstd_decode, 36, false, false, 8, 0, 6, 4, true, 13 },
};

/* Every stream the tool made decodes to its data, with the exact capacity and with room to spare. */
static void made_streams(void **state)
{
	for (const struct codec *c = codecs; c < codecs + ARRAY_SIZE(codecs); c++) {
		DIR *d = opendir(vec_dir);
		struct dirent *e;
		unsigned count = 0;
		size_t elen = strlen(c->ext);

		assert_non_null(d);
		while ((e = readdir(d))) {
			size_t nlen = strlen(e->d_name);
			char base[256];
			if (nlen <= elen || strcmp(e->d_name + nlen - elen, c->ext) ||
			    !strncmp(e->d_name, "refuse-", 7))
				continue;
			snprintf(base, sizeof(base), "%.*s.bin", (int)strcspn(e->d_name, "."), e->d_name);
			size_t in_len, data_len, len;
			uint8_t *in = read_file(e->d_name, &in_len), *data = read_file(base, &data_len), *out;
			int rc = c->decode(in, in_len, data_len, &out, &len);
			if (rc)
				fail_msg("%s: %d %s", e->d_name, rc, why);
			assert_int_equal(len, data_len);
			assert_memory_equal(out, data, data_len);
			free(out);
			assert_int_equal(c->decode(in, in_len, data_len + 4096, NULL, &len), 0);
			assert_int_equal(len, data_len);
			if (data_len) {
				/* one byte short */
				assert_int_equal(c->decode(in, in_len, data_len - 1, NULL, &len), -XEN_E2BIG);
				if (c->sizes_first)
					assert_int_equal(len, 0);
			}
			free(in);
			free(data);
			count++;
		}
		closedir(d);
		if (count < c->min_streams)
			fail_msg("only %u %s streams in %s", count, c->name, vec_dir);
	}
}

/*
 * Each decoder's sample cut short anywhere, changed by one bit anywhere,
 * and damaged at random 3000 times: refused (or, where the format cannot
 * tell, decoded within the buffer), never read or written out of bounds.
 */
static void damaged_streams(void **state)
{
	for (const struct codec *c = codecs; c < codecs + ARRAY_SIZE(codecs); c++) {
		size_t in_len, data_len, len;
		uint8_t *in = read_file(c->sample, &in_len), *data = read_file("code-8192.bin", &data_len);
		uint8_t *bad = malloc(in_len), *o = NULL;

		for (size_t cut = 0; cut < in_len; cut++) {
			int rc = c->decode(in, cut, data_len, NULL, &len);
			if (!rc && !c->cut_may_decode)
				fail_msg("%s cut at %zu decoded", c->name, cut);
			if (!rc)
				assert_true(len < data_len);
		}
		int harmless = 0;
		for (size_t i = c->flip_from; c->max_harmless_flips >= 0 && i < in_len; i++) {
			memcpy(bad, in, in_len);
			bad[i] ^= (uint8_t)(1u << (i % 8));
			if (!c->decode(bad, in_len, data_len, &o, &len)) {
				assert_int_equal(len, data_len);
				assert_memory_equal(o, data, data_len);
				harmless++;
			}
			free(o);
		}
		if (harmless > c->max_harmless_flips && c->max_harmless_flips >= 0)
			fail_msg("%s: %d one-bit changes decoded", c->name, harmless);
		uint32_t seed = c->seed;
		for (unsigned round = 0; c->seed && round < 3000; round++) {
			memcpy(bad, in, in_len);
			for (unsigned k = 0; k < 1 + round % 4; k++) {
				seed = seed * 1103515245u + 12345u;
				bad[c->head + (seed >> 8) % (in_len - c->head - c->tail)] ^= (uint8_t)(seed >> 24 | 1);
			}
			if (!c->decode(bad, in_len, data_len, NULL, &len)) {
				if (c->sized)
					assert_int_equal(len, data_len);
				else
					assert_true(len <= data_len);
			}
		}
		free(bad);
		free(in);
		free(data);
	}
}

/* ---- bzImage ---- */

#define SETUP_SECTS 2
#define PM_START    ((SETUP_SECTS + 1) * 512)

/* A bzImage: setup header, then 64 bytes of stub, then the payload and its size trailer. */
static size_t make_bzimage(uint8_t *b, const uint8_t *payload, size_t plen, uint32_t trailer)
{
	size_t off = 64;

	memset(b, 0, PM_START + off);
	b[0x1f1] = SETUP_SECTS;
	b[0x1fe] = 0x55;
	b[0x1ff] = 0xaa;
	memcpy(b + 0x202, "HdrS", 4);
	b[0x206] = 0x0f;
	b[0x207] = 0x02;
	xz_put32(b + 0x248, (uint32_t)off);
	xz_put32(b + 0x24c, (uint32_t)plen + 4);
	memcpy(b + PM_START + off, payload, plen);
	xz_put32(b + PM_START + off + plen, trailer);
	return PM_START + off + plen + 4;
}

static uint8_t bzbuf[1 << 20];

static int bz_unpack(size_t n, size_t cap, uint8_t **out)
{
	struct bzimage bz;
	int rc = bzimage_probe(bzbuf, n, &bz, why, sizeof(why));

	*out = NULL;
	if (rc)
		return rc;
	*out = malloc(cap);
	return bzimage_unpack(&bz, *out, cap, work, why, sizeof(why));
}

static void bzimage_payloads(void **state)
{
	size_t xz_len, data_len, n;
	uint8_t *xz = read_file("code-65536.x86.xz", &xz_len), *data = read_file("code-65536.bin", &data_len);
	uint8_t *out;
	struct bzimage bz;

	n = make_bzimage(bzbuf, xz, xz_len, (uint32_t)data_len);
	assert_int_equal(bz_unpack(n, data_len, &out), 0);
	assert_memory_equal(out, data, data_len);
	free(out);
	assert_int_equal(bzimage_probe(bzbuf, n, &bz, why, sizeof(why)), 0);
	assert_string_equal(bz.method, "xz");
	assert_int_equal(bz.protocol, 0x020f);
	assert_int_equal(bz.payload_len, xz_len);
	assert_int_equal(bz.unpacked_size, data_len);
	/* a buffer smaller than the trailer says */
	assert_int_equal(bzimage_unpack(&bz, bzbuf, data_len - 1, work, why, sizeof(why)), -XEN_E2BIG);

	/* the trailer disagrees with the stream */
	n = make_bzimage(bzbuf, xz, xz_len, (uint32_t)data_len + 1);
	expect_refused(bz_unpack(n, data_len + 1, &out), -XEN_EINVAL, "trailer says");
	free(out);
	n = make_bzimage(bzbuf, xz, xz_len, (uint32_t)data_len - 1);
	assert_int_equal(bz_unpack(n, data_len - 1, &out), -XEN_E2BIG);
	free(out);
	/* sizes out of range */
	n = make_bzimage(bzbuf, xz, xz_len, 0);
	expect_refused(bzimage_probe(bzbuf, n, &bz, why, sizeof(why)), -XEN_EINVAL, "unpack to 0 bytes");
	n = make_bzimage(bzbuf, xz, xz_len, 0xffffffffu);
	assert_int_equal(bzimage_probe(bzbuf, n, &bz, why, sizeof(why)), -XEN_EINVAL);
	/* truncated file: the payload runs past the end */
	n = make_bzimage(bzbuf, xz, xz_len, (uint32_t)data_len);
	expect_refused(bzimage_probe(bzbuf, n - 1, &bz, why, sizeof(why)), -XEN_EINVAL, "truncated?");
	/* payload offset far outside (would wrap if added carelessly) */
	xz_put32(bzbuf + 0x248, 0xfffffff0u);
	assert_int_equal(bzimage_probe(bzbuf, n, &bz, why, sizeof(why)), -XEN_EINVAL);
	/* gzip: the member's own size field is the trailer */
	free(xz);
	xz = read_file("code-65536.gz", &xz_len);
	n = make_bzimage(bzbuf, xz, xz_len - 4, (uint32_t)data_len);
	assert_int_equal(bz_unpack(n, data_len, &out), 0);
	assert_memory_equal(out, data, data_len);
	free(out);
	assert_int_equal(bzimage_probe(bzbuf, n, &bz, why, sizeof(why)), 0);
	assert_string_equal(bz.method, "gzip");
	free(xz);
	xz = read_file("code-65536.x86.xz", &xz_len);
	/* lz4: the legacy stream, then the trailer */
	free(xz);
	xz = read_file("code-65536.lz4", &xz_len);
	n = make_bzimage(bzbuf, xz, xz_len, (uint32_t)data_len);
	assert_int_equal(bz_unpack(n, data_len, &out), 0);
	assert_memory_equal(out, data, data_len);
	free(out);
	assert_int_equal(bzimage_probe(bzbuf, n, &bz, why, sizeof(why)), 0);
	assert_string_equal(bz.method, "lz4");
	n = make_bzimage(bzbuf, xz, xz_len, (uint32_t)data_len + 1);
	expect_refused(bz_unpack(n, data_len + 1, &out), -XEN_EINVAL, "trailer says");
	free(out);
	free(xz);
	xz = read_file("code-65536.x86.xz", &xz_len);
	/* zstd: frames, then the trailer */
	free(xz);
	xz = read_file("code-65536.u22.zst", &xz_len);
	n = make_bzimage(bzbuf, xz, xz_len, (uint32_t)data_len);
	assert_int_equal(bz_unpack(n, data_len, &out), 0);
	assert_memory_equal(out, data, data_len);
	free(out);
	assert_int_equal(bzimage_probe(bzbuf, n, &bz, why, sizeof(why)), 0);
	assert_string_equal(bz.method, "zstd");
	n = make_bzimage(bzbuf, xz, xz_len - 1, (uint32_t)data_len);
	expect_refused(bz_unpack(n, data_len, &out), -XEN_EINVAL, "zstd ");
	free(out);
	free(xz);
	xz = read_file("code-65536.x86.xz", &xz_len);
	/* other methods are named */
	n = make_bzimage(bzbuf, (const uint8_t *)"BZh91AY&SY", 10, 100);
	expect_refused(bzimage_probe(bzbuf, n, &bz, why, sizeof(why)), -XEN_EOPNOTSUPP, "bzip2");
	n = make_bzimage(bzbuf, (const uint8_t *)"what is this", 12, 100);
	expect_refused(bzimage_probe(bzbuf, n, &bz, why, sizeof(why)), -XEN_EOPNOTSUPP, "unknown");
	/* old boot protocol; not a bzImage at all */
	n = make_bzimage(bzbuf, xz, xz_len, (uint32_t)data_len);
	bzbuf[0x206] = 0x07;
	expect_refused(bzimage_probe(bzbuf, n, &bz, why, sizeof(why)), -XEN_EINVAL, "2.08");
	bzbuf[0x206] = 0x0f;
	bzbuf[0x1fe] = 0;
	assert_int_equal(bzimage_probe(bzbuf, n, &bz, why, sizeof(why)), -XEN_ENOEXEC);
	assert_int_equal(bzimage_probe(bzbuf, 0x100, &bz, why, sizeof(why)), -XEN_ENOEXEC);
	/* a corrupt payload is reported by the decoder */
	n = make_bzimage(bzbuf, xz, xz_len, (uint32_t)data_len);
	bzbuf[PM_START + 64 + xz_len / 2] ^= 0x10;
	assert_int_not_equal(bz_unpack(n, data_len, &out), 0);
	assert_why("xz ");
	free(out);
	free(xz);
	free(data);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crc_known_answers),
		cmocka_unit_test(crc32_zero_chunks),
		cmocka_unit_test(refused_streams),
		cmocka_unit_test(container_errors),
		cmocka_unit_test(lzma2_errors),
		cmocka_unit_test(truncated_lzma2),
		cmocka_unit_test(lzma_chunk_ends),
		cmocka_unit_test(corrupted_lzma2),
		cmocka_unit_test(gzip_errors),
		cmocka_unit_test(lz4_errors),
		cmocka_unit_test(zstd_errors),
		cmocka_unit_test(made_streams),
		cmocka_unit_test(damaged_streams),
		cmocka_unit_test(bzimage_payloads),
	};

	if (argc < 2) {
		fprintf(stderr, "usage: %s VECTOR_DIR\n", argv[0]);
		return 2;
	}
	vec_dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
