/*
 * bzimage_test.c - cmocka tests of dom0-tools/libs/guest/bzimage*.c and
 * the note walk libxenguest takes from elf_image.c, on synthetic images built here: a tiny ELF64 "kernel" with
 * Xen notes, compressed the way Linux does it (xz with the x86 BCJ filter,
 * gzip, legacy lz4 through the libraries; bzip2 -9, lzma -9, lzop -9 and
 * zstd -19 through the same command-line tools the kernel build runs),
 * wrapped in a minimal setup header.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <lz4.h>
#include <lzma.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "bzimage.h"
#include <elf_image.h>
#include <public/elfnote.h>

#define SETUP_SECTS   2
#define PM_START      ((SETUP_SECTS + 1) * 512)
#define PAYLOAD_SKIP  0x40  /* payload_offset inside the protected-mode part */
#define TEST_ENTRY    0xffffffff81234560ull
#define TEST_FEATURES "!writable_page_tables|pae_pgdir_above_4gb"

struct image {
	uint8_t *buf;
	size_t len;
};

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Append one note with name "Xen" at p; returns the bytes used. */
static size_t put_note(uint8_t *p, uint32_t type, const void *desc, uint32_t desc_len)
{
	Elf64_Nhdr nh = { .n_namesz = 4, .n_descsz = desc_len, .n_type = type };

	memcpy(p, &nh, sizeof(nh));
	memcpy(p + sizeof(nh), "Xen", 4);
	memcpy(p + sizeof(nh) + 4, desc, desc_len);
	return sizeof(nh) + 4 + ((desc_len + 3) & ~3u);
}

/*
 * A small ELF64 x86-64 executable: header, one PT_NOTE program header, a
 * GNU note (to be skipped), ENTRY and FEATURES Xen notes, then filler that
 * compresses to something non-trivial.
 */
static uint8_t *make_elf(size_t *len_out)
{
	const size_t len = 64 * 1024;
	uint8_t *elf = calloc(1, len);
	Elf64_Ehdr eh = { 0 };
	Elf64_Phdr ph = { 0 };
	Elf64_Nhdr gnu = { .n_namesz = 4, .n_descsz = 4, .n_type = 3 };
	uint64_t entry = TEST_ENTRY;
	size_t notes = sizeof(eh) + sizeof(ph), pos = notes;

	assert_non_null(elf);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = 1;
	memcpy(elf, &eh, sizeof(eh));

	memcpy(elf + pos, &gnu, sizeof(gnu));
	memcpy(elf + pos + sizeof(gnu), "GNU\0abcd", 8);
	pos += sizeof(gnu) + 8;
	pos += put_note(elf + pos, XEN_ELFNOTE_ENTRY, &entry, sizeof(entry));
	pos += put_note(elf + pos, XEN_ELFNOTE_FEATURES, TEST_FEATURES, sizeof(TEST_FEATURES));

	ph.p_type = PT_NOTE;
	ph.p_offset = notes;
	ph.p_filesz = ph.p_memsz = pos - notes;
	memcpy(elf + sizeof(eh), &ph, sizeof(ph));

	/* Code-like filler, so the BCJ filter has call/jmp bytes to convert. */
	for (size_t i = pos; i < len; i++)
		elf[i] = (i % 7 == 0) ? 0xe8 : (uint8_t)(i * 31 / 17);
	*len_out = len;
	return elf;
}

static size_t compress_xz_check(const uint8_t *in, size_t len, uint8_t *out, size_t cap,
				lzma_check check)
{
	lzma_options_lzma opt;
	lzma_filter filters[] = {
		{ .id = LZMA_FILTER_X86, .options = NULL },
		{ .id = LZMA_FILTER_LZMA2, .options = &opt },
		{ .id = LZMA_VLI_UNKNOWN, .options = NULL },
	};
	size_t pos = 0;

	assert_false(lzma_lzma_preset(&opt, 6));
	assert_int_equal(lzma_stream_buffer_encode(filters, check, NULL, in, len,
						   out, &pos, cap),
			 LZMA_OK);
	return pos;
}

/* As Linux's build makes it: CRC32. */
static size_t compress_xz(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	return compress_xz_check(in, len, out, cap, LZMA_CHECK_CRC32);
}

static size_t compress_gzip(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	z_stream zs = { 0 };
	size_t n;

	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	n = zs.total_out;
	deflateEnd(&zs);
	return n;
}

/* Legacy lz4 frame, split into blocks of block_size input bytes. */
static size_t compress_lz4(const uint8_t *in, size_t len, uint8_t *out, size_t cap,
			   size_t block_size)
{
	size_t pos = 4;

	put_le32(out, 0x184c2102u);
	for (size_t done = 0; done < len; done += block_size) {
		size_t n = len - done < block_size ? len - done : block_size;
		int c = LZ4_compress_default((const char *)in + done, (char *)out + pos + 4,
					     (int)n, (int)(cap - pos - 4));

		assert_true(c > 0);
		put_le32(out + pos, (uint32_t)c);
		pos += 4 + (size_t)c;
	}
	return pos;
}

/*
 * Wrap a compressed payload: setup header, payload, then the 4-byte size
 * trailer unless the payload already ends with it (gzip: pass trailer 0).
 */
static struct image wrap_opt(const uint8_t *payload, size_t plen, uint32_t size, int trailer)
{
	struct image im;
	size_t tlen = trailer ? 4 : 0;

	im.len = PM_START + PAYLOAD_SKIP + plen + tlen;
	im.buf = calloc(1, im.len);
	assert_non_null(im.buf);
	im.buf[0x1f1] = SETUP_SECTS;
	put_le16(im.buf + 0x1fe, 0xaa55);
	memcpy(im.buf + 0x202, "HdrS", 4);
	put_le16(im.buf + 0x206, 0x020f);
	put_le32(im.buf + 0x248, PAYLOAD_SKIP);
	put_le32(im.buf + 0x24c, (uint32_t)(plen + tlen));
	memcpy(im.buf + PM_START + PAYLOAD_SKIP, payload, plen);
	if (trailer)
		put_le32(im.buf + PM_START + PAYLOAD_SKIP + plen, size);
	return im;
}

static struct image wrap(const uint8_t *payload, size_t plen, uint32_t size)
{
	return wrap_opt(payload, plen, size, 1);
}

/* in[0..len) through the shell command cmd (a compressor reading stdin). */
static size_t compress_cli(const char *cmd, const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	char src[] = "/tmp/bzimage-test-in.XXXXXX", dst[] = "/tmp/bzimage-test-out.XXXXXX";
	char line[256];
	int fi = mkstemp(src), fo = mkstemp(dst);
	FILE *f;
	size_t n;

	assert_true(fi >= 0 && fo >= 0);
	assert_int_equal(write(fi, in, len), (ssize_t)len);
	close(fi);
	close(fo);
	snprintf(line, sizeof(line), "%s <%s >%s", cmd, src, dst);
	if (system(line) != 0)
		fail_msg("\"%s\" failed (is the tool installed?)", line);
	f = fopen(dst, "rb");
	assert_non_null(f);
	n = fread(out, 1, cap, f);
	fclose(f);
	unlink(src);
	unlink(dst);
	assert_true(n > 0 && n < cap);
	return n;
}

enum method { XZ, GZIP, LZ4, BZIP2, LZMA, LZO, ZSTD };

/* The commands Linux's build compresses the kernel with. */
static const char *const cli_cmd[] = {
	[BZIP2] = "bzip2 -9", [LZMA] = "lzma -9", [LZO] = "lzop -9 -c", [ZSTD] = "zstd -19 -q -c",
};

/* Room for a compressed ELF of elf_len bytes, whatever the method */
static uint8_t *payload_buf(size_t elf_len, size_t *cap)
{
	uint8_t *p;

	*cap = elf_len * 2 + 1024;
	p = malloc(*cap);
	assert_non_null(p);
	return p;
}

/* The whole extraction of im gives back elf exactly */
static void assert_extracts(const struct image *im, const uint8_t *elf, size_t elf_len)
{
	char err[BZIMAGE_ERR_LEN] = "";
	size_t out_len;
	uint8_t *out;

	assert_int_equal(bzimage_extract_vmlinux(im->buf, im->len, &out, &out_len, err), BZIMAGE_OK);
	assert_int_equal(out_len, elf_len);
	assert_memory_equal(out, elf, elf_len);
	free(out);
}

static struct image make_image(enum method m, const uint8_t *elf, size_t elf_len)
{
	size_t cap, plen = 0;
	uint8_t *tmp = payload_buf(elf_len, &cap);
	struct image im;

	if (m == XZ)
		plen = compress_xz(elf, elf_len, tmp, cap);
	else if (m == GZIP)
		plen = compress_gzip(elf, elf_len, tmp, cap);
	else if (m == LZ4)
		plen = compress_lz4(elf, elf_len, tmp, cap, 16 * 1024);
	else
		plen = compress_cli(cli_cmd[m], elf, elf_len, tmp, cap);
	/* As Linux does: gzip's own ISIZE is the trailer, others get one added. */
	im = wrap_opt(tmp, plen, (uint32_t)elf_len, m != GZIP);
	free(tmp);
	return im;
}

static void check_roundtrip(enum method m, enum bzimage_compression expect)
{
	char err[BZIMAGE_ERR_LEN] = "";
	struct bzimage_info info;
	size_t elf_len;
	uint8_t *elf = make_elf(&elf_len);
	struct image im = make_image(m, elf, elf_len);

	assert_int_equal(bzimage_parse(im.buf, im.len, &info, err), BZIMAGE_OK);
	assert_int_equal(info.compression, expect);
	assert_int_equal(info.payload_offset, PM_START + PAYLOAD_SKIP);
	assert_int_equal(info.uncompressed_size, elf_len);
	assert_extracts(&im, elf, elf_len);
	free(elf);
	free(im.buf);
}

static void test_xz_roundtrip(void **state)
{
	check_roundtrip(XZ, BZIMAGE_COMP_XZ);
}

static void test_gzip_roundtrip(void **state)
{
	check_roundtrip(GZIP, BZIMAGE_COMP_GZIP);
}

/* A gzip payload followed by an appended size, like the other methods. */
static void test_gzip_with_appended_size(void **state)
{
	size_t elf_len, cap, plen;
	uint8_t *elf = make_elf(&elf_len), *tmp = payload_buf(elf_len, &cap);
	struct image im;

	plen = compress_gzip(elf, elf_len, tmp, cap);
	im = wrap(tmp, plen, (uint32_t)elf_len);
	assert_extracts(&im, elf, elf_len);
	free(tmp);
	free(elf);
	free(im.buf);
}

static void test_lz4_roundtrip(void **state)
{
	check_roundtrip(LZ4, BZIMAGE_COMP_LZ4);
}

static void test_bzip2_roundtrip(void **state)
{
	check_roundtrip(BZIP2, BZIMAGE_COMP_BZIP2);
}

static void test_lzma_roundtrip(void **state)
{
	check_roundtrip(LZMA, BZIMAGE_COMP_LZMA);
}

static void test_lzo_roundtrip(void **state)
{
	check_roundtrip(LZO, BZIMAGE_COMP_LZO);
}

static void test_zstd_roundtrip(void **state)
{
	check_roundtrip(ZSTD, BZIMAGE_COMP_ZSTD);
}

/* Run the full extraction and expect rc with msg somewhere in the error. */
static void expect_failure(const struct image *im, int rc, const char *msg)
{
	char err[BZIMAGE_ERR_LEN] = "";
	uint8_t *out = (uint8_t *)1;
	size_t out_len = 1;

	assert_int_equal(bzimage_extract_vmlinux(im->buf, im->len, &out, &out_len, err), rc);
	assert_null(out);
	assert_int_equal(out_len, 0);
	if (!strstr(err, msg))
		fail_msg("error \"%s\" does not mention \"%s\"", err, msg);
}

static struct image good_xz(void)
{
	size_t elf_len;
	uint8_t *elf = make_elf(&elf_len);
	struct image im = make_image(XZ, elf, elf_len);

	free(elf);
	return im;
}

static void test_truncated_header(void **state)
{
	struct image im = good_xz();
	struct image cut = { im.buf, 0x240 };

	expect_failure(&cut, BZIMAGE_ENOTBZ, "too short");
	cut.len = 0;
	expect_failure(&cut, BZIMAGE_ENOTBZ, "too short");
	free(im.buf);
}

static void test_bad_magic(void **state)
{
	struct image im = good_xz();

	im.buf[0x203] = 'x';
	expect_failure(&im, BZIMAGE_ENOTBZ, "HdrS");
	free(im.buf);
}

static void test_bad_boot_flag(void **state)
{
	struct image im = good_xz();

	put_le16(im.buf + 0x1fe, 0x1234);
	expect_failure(&im, BZIMAGE_ENOTBZ, "boot flag");
	free(im.buf);
}

static void test_old_protocol(void **state)
{
	struct image im = good_xz();

	put_le16(im.buf + 0x206, 0x0207);
	expect_failure(&im, BZIMAGE_ENOTBZ, "2.07");
	free(im.buf);
}

static void test_payload_offset_out_of_range(void **state)
{
	struct image im = good_xz();

	put_le32(im.buf + 0x248, (uint32_t)im.len);
	expect_failure(&im, BZIMAGE_ERANGE, "past the end");
	/* Offset + length would wrap a 32-bit sum: must still be caught. */
	put_le32(im.buf + 0x248, 0xfffffff0u);
	put_le32(im.buf + 0x24c, 0x20);
	expect_failure(&im, BZIMAGE_ERANGE, "past the end");
	put_le32(im.buf + 0x248, PAYLOAD_SKIP);
	put_le32(im.buf + 0x24c, 0xffffffffu);
	expect_failure(&im, BZIMAGE_ERANGE, "past the end");
	put_le32(im.buf + 0x24c, 4);
	expect_failure(&im, BZIMAGE_ERANGE, "too small");
	free(im.buf);
}

static void test_truncated_file(void **state)
{
	struct image im = good_xz();

	im.len -= 100;
	expect_failure(&im, BZIMAGE_ERANGE, "truncated");
	free(im.buf);
}

static void test_setup_sects_zero_means_four(void **state)
{
	char err[BZIMAGE_ERR_LEN] = "";
	struct bzimage_info info;
	struct image im = good_xz();
	size_t shift = (4 - SETUP_SECTS) * 512, out_len;
	uint8_t *out;

	/* Move everything after the setup sectors to where 4 sectors end. */
	im.buf = realloc(im.buf, im.len + shift);
	assert_non_null(im.buf);
	memmove(im.buf + PM_START + shift, im.buf + PM_START, im.len - PM_START);
	im.len += shift;
	im.buf[0x1f1] = 0;
	assert_int_equal(bzimage_parse(im.buf, im.len, &info, err), BZIMAGE_OK);
	assert_int_equal(info.setup_sects, 4);
	assert_int_equal(info.payload_offset, 5 * 512 + PAYLOAD_SKIP);
	assert_int_equal(bzimage_extract_vmlinux(im.buf, im.len, &out, &out_len, err), BZIMAGE_OK);
	free(out);
	free(im.buf);
}

static void test_corrupt_xz(void **state)
{
	struct image im = good_xz();
	size_t start = PM_START + PAYLOAD_SKIP, plen = im.len - start - 4;

	for (size_t i = plen / 3; i < plen / 3 + 16; i++)
		im.buf[start + i] ^= 0x5a;
	expect_failure(&im, BZIMAGE_ECORRUPT, "xz payload");
	free(im.buf);
}

/* Where the xz index starts in an image's payload: the stream's 12-byte
 * footer (before the size trailer) gives the index's size. The block's
 * check is right before it. */
static uint8_t *xz_index(const struct image *im)
{
	uint8_t *ftr = im->buf + im->len - 4 - 12;
	uint32_t backward = (uint32_t)ftr[4] | (uint32_t)ftr[5] << 8 | (uint32_t)ftr[6] << 16 |
			    (uint32_t)ftr[7] << 24;

	return ftr - (backward + 1) * 4;
}

/* The block's CRC32 no longer matches the data: refused, and said so. */
static void test_xz_check_mismatch(void **state)
{
	struct image im = good_xz();

	xz_index(&im)[-3] ^= 0x01;
	expect_failure(&im, BZIMAGE_ECORRUPT, "xz payload: xz block check at");
	expect_failure(&im, BZIMAGE_ECORRUPT, "CRC32 mismatch");
	free(im.buf);
}

/*
 * A valid stream the built-in decoder does not take (SHA-256 check, which
 * Linux never writes) still unpacks: through liblzma. The same stream
 * damaged is still refused.
 */
static void test_xz_sha256_through_liblzma(void **state)
{
	size_t elf_len, cap, plen;
	uint8_t *elf = make_elf(&elf_len), *tmp = payload_buf(elf_len, &cap);
	struct image im;

	plen = compress_xz_check(elf, elf_len, tmp, cap, LZMA_CHECK_SHA256);
	im = wrap(tmp, plen, (uint32_t)elf_len);
	assert_extracts(&im, elf, elf_len);
	/* the SHA-256 check itself, the 32 bytes before the index */
	xz_index(&im)[-32] ^= 0x01;
	expect_failure(&im, BZIMAGE_ECORRUPT, "xz payload");
	free(tmp);
	free(elf);
	free(im.buf);
}

static void test_corrupt_gzip_and_lz4(void **state)
{
	size_t elf_len;
	uint8_t *elf = make_elf(&elf_len);
	struct image g = make_image(GZIP, elf, elf_len), l = make_image(LZ4, elf, elf_len);
	size_t start = PM_START + PAYLOAD_SKIP;

	g.buf[start + 40] ^= 0xff;
	g.buf[start + 41] ^= 0xff;
	expect_failure(&g, BZIMAGE_ECORRUPT, "gzip payload");
	/* A block length beyond the payload. */
	put_le32(l.buf + start + 4, 0x7fffffffu);
	expect_failure(&l, BZIMAGE_ECORRUPT, "lz4 payload");
	free(g.buf);
	free(l.buf);
	free(elf);
}

static void test_wrong_size_trailer(void **state)
{
	struct image im = good_xz();
	uint8_t *trailer = im.buf + im.len - 4;
	uint32_t size = (uint32_t)im.buf[im.len - 4] | (uint32_t)im.buf[im.len - 3] << 8 |
			(uint32_t)im.buf[im.len - 2] << 16 | (uint32_t)im.buf[im.len - 1] << 24;

	put_le32(trailer, size - 1);
	expect_failure(&im, BZIMAGE_ECORRUPT, "size trailer");
	put_le32(trailer, size + 1);
	expect_failure(&im, BZIMAGE_ECORRUPT, "size trailer");
	put_le32(trailer, 0);
	expect_failure(&im, BZIMAGE_ECORRUPT, "implausible");
	free(im.buf);
}

static void test_unsupported_compression(void **state)
{
	static const uint8_t junk[] = { 'n', 'o', 'p', 'e', 1, 2, 3, 4 };
	struct image b = wrap(junk, sizeof(junk), 100);

	expect_failure(&b, BZIMAGE_EUNSUPPORTED, "not recognised");
	free(b.buf);
}

/*
 * Each of the four newer decoders on a damaged payload: a byte flipped in
 * the middle, the stream cut short, and a size trailer one byte off. Each
 * is refused with the method's name in the message, nothing returned.
 */
static void check_damaged(enum method m, const char *name)
{
	size_t elf_len;
	uint8_t *elf = make_elf(&elf_len);
	struct image im = make_image(m, elf, elf_len), cut;
	size_t plen = im.len - PM_START - PAYLOAD_SKIP - 4;
	uint8_t *payload = im.buf + PM_START + PAYLOAD_SKIP;
	uint8_t keep;

	/* cut: the first half of the stream, with the trailer after it */
	cut = wrap(payload, plen / 2, (uint32_t)elf_len);
	expect_failure(&cut, BZIMAGE_ECORRUPT, name);
	put_le32(im.buf + im.len - 4, (uint32_t)elf_len + 1);
	expect_failure(&im, BZIMAGE_ECORRUPT, name);
	put_le32(im.buf + im.len - 4, (uint32_t)elf_len);
	keep = payload[plen / 2];
	for (unsigned i = 0; i < 16; i++)
		payload[plen / 2 + i] ^= 0x5a;
	expect_failure(&im, BZIMAGE_ECORRUPT, name);
	payload[plen / 2] = keep;
	free(cut.buf);
	free(im.buf);
	free(elf);
}

static void test_damaged_bzip2(void **state)
{
	check_damaged(BZIP2, "bzip2 payload");
}

static void test_damaged_lzma(void **state)
{
	check_damaged(LZMA, "lzma payload");
}

static void test_damaged_lzo(void **state)
{
	check_damaged(LZO, "lzo payload");
}

static void test_damaged_zstd(void **state)
{
	check_damaged(ZSTD, "zstd payload");
}

static void test_payload_not_elf(void **state)
{
	uint8_t text[4096];
	size_t cap = sizeof(text) * 2 + 1024, plen;
	uint8_t *tmp = malloc(cap);
	struct image im;

	memset(text, 'A', sizeof(text));
	plen = compress_xz(text, sizeof(text), tmp, cap);
	im = wrap(tmp, plen, sizeof(text));
	expect_failure(&im, BZIMAGE_ENOTELF, "bad magic");
	free(tmp);
	free(im.buf);
}

struct seen {
	int count;
	uint64_t entry;
	char features[64];
};

static int collect(const struct elf_note *note, void *arg)
{
	struct seen *s = arg;

	s->count++;
	if (note->type == XEN_ELFNOTE_ENTRY && note->desc_len == 8)
		memcpy(&s->entry, note->desc, 8);
	if (note->type == XEN_ELFNOTE_FEATURES && note->desc_len < sizeof(s->features))
		memcpy(s->features, note->desc, note->desc_len);
	return 0;
}

static int stop_at_first(const struct elf_note *note, void *arg)
{
	return 7;
}

static void test_notes(void **state)
{
	char err[BZIMAGE_ERR_LEN] = "";
	size_t elf_len;
	uint8_t *elf = make_elf(&elf_len);
	struct seen s = { 0 };

	assert_int_equal(elf_image_foreach_note(elf, elf_len, collect, &s, err, sizeof(err)), 0);
	assert_int_equal(s.count, 2); /* the GNU note is not ours */
	assert_true(s.entry == TEST_ENTRY);
	assert_string_equal(s.features, TEST_FEATURES);
	assert_int_equal(elf_image_foreach_note(elf, elf_len, stop_at_first, NULL, err, sizeof(err)), 7);
	assert_string_equal(elf_image_note_name(XEN_ELFNOTE_HYPERCALL_PAGE), "HYPERCALL_PAGE");
	assert_string_equal(elf_image_note_name(XEN_ELFNOTE_INIT_P2M), "INIT_P2M");
	assert_null(elf_image_note_name(1000));
	free(elf);
}

static void test_notes_malformed(void **state)
{
	char err[BZIMAGE_ERR_LEN] = "";
	size_t elf_len;
	uint8_t *elf = make_elf(&elf_len);
	Elf64_Phdr ph;
	Elf64_Nhdr nh;
	struct seen s = { 0 };
	size_t notes = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr);

	/* A note whose descriptor claims more than its segment holds. */
	memcpy(&nh, elf + notes, sizeof(nh));
	nh.n_descsz = 0xfffffff0u;
	memcpy(elf + notes, &nh, sizeof(nh));
	assert_true(elf_image_foreach_note(elf, elf_len, collect, &s, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "runs past the segment end"));

	/* A PT_NOTE segment beyond the file. */
	memcpy(&ph, elf + sizeof(Elf64_Ehdr), sizeof(ph));
	ph.p_offset = elf_len - 8;
	memcpy(elf + sizeof(Elf64_Ehdr), &ph, sizeof(ph));
	assert_true(elf_image_foreach_note(elf, elf_len, collect, &s, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "extends past the end of the file"));

	/* Program headers beyond the file. */
	elf[56] = 0xff; /* e_phnum */
	assert_true(elf_image_foreach_note(elf, 4096, collect, &s, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "program headers"));
	free(elf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xz_roundtrip),
		cmocka_unit_test(test_gzip_roundtrip),
		cmocka_unit_test(test_gzip_with_appended_size),
		cmocka_unit_test(test_lz4_roundtrip),
		cmocka_unit_test(test_bzip2_roundtrip),
		cmocka_unit_test(test_lzma_roundtrip),
		cmocka_unit_test(test_lzo_roundtrip),
		cmocka_unit_test(test_zstd_roundtrip),
		cmocka_unit_test(test_damaged_bzip2),
		cmocka_unit_test(test_damaged_lzma),
		cmocka_unit_test(test_damaged_lzo),
		cmocka_unit_test(test_damaged_zstd),
		cmocka_unit_test(test_truncated_header),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_bad_boot_flag),
		cmocka_unit_test(test_old_protocol),
		cmocka_unit_test(test_payload_offset_out_of_range),
		cmocka_unit_test(test_truncated_file),
		cmocka_unit_test(test_setup_sects_zero_means_four),
		cmocka_unit_test(test_corrupt_xz),
		cmocka_unit_test(test_xz_check_mismatch),
		cmocka_unit_test(test_xz_sha256_through_liblzma),
		cmocka_unit_test(test_corrupt_gzip_and_lz4),
		cmocka_unit_test(test_wrong_size_trailer),
		cmocka_unit_test(test_unsupported_compression),
		cmocka_unit_test(test_payload_not_elf),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_notes_malformed),
	};

	return cmocka_run_group_tests_name("bzimage", tests, NULL, NULL);
}
