/*
 * libFuzzer harness for the hypervisor's zstd decoder (hypervisor/common/
 * unzstd*.c), which unpacks zstd bzImages handed to it as the Dom0 kernel.
 *
 * The first byte picks the mode and the output capacity:
 *   bit 0     0: the rest is a whole stream of frames;
 *             1: the rest is one compressed block's content, which the
 *             harness wraps in a frame (magic, a 128 KiB window, the
 *             block header), so that mutations reach the literals and
 *             sequences decoders instead of failing at the frame
 *   bits 4-7  capacity: (n + 1) * 1 KiB - 1 (odd sizes, for the edges)
 * The output buffer is allocated to exactly that capacity and the work
 * area to exactly UNZSTD_WORK_SIZE, so ASan sees any access past them. A
 * failure must say why and produce nothing. libzstd's ZSTD_decompress is
 * the oracle: whatever it decodes within the same capacity, ours must
 * decode to the same bytes. Ours may refuse on purpose what libzstd lets
 * through: Huffman codes longer than the format's 11 bits, 4-stream
 * literals too short to split, and a Huffman stream that is empty, has no
 * end mark or whose bits do not run out exactly with its last literal
 * (libzstd's fast 4-stream decoder does not check: a damaged stream it
 * decodes to other bytes); the same
 * for the sequences' bit stream, which libzstd lets end early (reading
 * zeros) or late (it updates the states after the last sequence too, so
 * that leftover bits pass); it ignores the table modes' reserved bits;
 * near the end of a block its reader of FSE table descriptions reads
 * on from earlier bytes where ours sees the description cut short; it
 * lets bytes follow an empty sequences section; it turns a match offset
 * of 0 (repeat offset 1, less 1) into 1; and it takes no input at all as
 * no frames. And libzstd still decodes the frames of zstd's pre-1.0
 * formats (magics 0xfd2fb521 to 0xfd2fb527), which no kernel uses: inputs
 * with such a magic anywhere are not compared.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>
#include <unzstd.h>
#include <public/errno.h>

static uint8_t framed[1 << 16];

static bool has_legacy_magic(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++)
		if (p[i] >= 0x21 && p[i] <= 0x27 && !memcmp(p + i + 1, "\xb5\x2f\xfd", 3))
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[160];
	const uint8_t *in;
	size_t in_len, cap, out_len = 7;
	uint8_t *out, *ref, *work;
	int rc;

	if (size < 1)
		return 0;
	cap = ((size_t)(data[0] >> 4) + 1) * 1024 - 1;
	if (data[0] & 1) {
		size_t n = size - 1 < sizeof(framed) - 9 ? size - 1 : sizeof(framed) - 9;
		memcpy(framed, "\x28\xb5\x2f\xfd\x00\x38", 6);
		framed[6] = (uint8_t)(n << 3 | 2 << 1 | 1);
		framed[7] = (uint8_t)(n >> 5);
		framed[8] = (uint8_t)(n >> 13);
		memcpy(framed + 9, data + 1, n);
		in = framed;
		in_len = n + 9;
	} else {
		in = data + 1;
		in_len = size - 1;
	}
	out = malloc(cap);
	work = malloc(UNZSTD_WORK_SIZE);
	why[0] = '\0';
	rc = unzstd(in, in_len, out, cap, &out_len, work, why, sizeof(why));
	if (rc && (!why[0] || out_len != 0)) {
		fprintf(stderr, "INVARIANT VIOLATED: rc %d without a reason or with output %zu\n", rc, out_len);
		abort();
	}
	if (rc != 0 && rc != -XEN_EINVAL && rc != -XEN_E2BIG && rc != -XEN_ENOEXEC && rc != -XEN_EOPNOTSUPP) {
		fprintf(stderr, "INVARIANT VIOLATED: unexpected rc %d (%s)\n", rc, why);
		abort();
	}
	if (!rc && out_len > cap) {
		fprintf(stderr, "INVARIANT VIOLATED: %zu bytes out of %zu\n", out_len, cap);
		abort();
	}
	ref = malloc(cap);
	size_t r = ZSTD_decompress(ref, cap, in, in_len);
	bool on_purpose = in_len == 0 || has_legacy_magic(in, in_len);
	static const char *const stricter[] = {
		"at most 11 bits", "4-stream literals too short", "Huffman stream ", "sequences' bit stream",
		"reserved bits set", "FSE table description cut short", "bytes after an empty sequences section",
		"match offset 0 ",
	};
	for (size_t i = 0; rc == -XEN_EINVAL && i < sizeof(stricter) / sizeof(stricter[0]); i++)
		on_purpose |= strstr(why, stricter[i]) != NULL;
	if (!ZSTD_isError(r) && !on_purpose && (rc || out_len != r || memcmp(out, ref, r))) {
		fprintf(stderr, "INVARIANT VIOLATED: libzstd decodes %zu bytes, ours rc %d (%s) %zu bytes\n",
			r, rc, why, out_len);
		abort();
	}
	free(ref);
	free(work);
	free(out);
	return 0;
}
