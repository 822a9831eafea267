/*
 * unlz4: decode an LZ4 stream in the legacy frame format, the one Linux
 * compresses kernels with (`lz4 -l`), into one buffer, trusting nothing in
 * it: the LZ4 bzImages' payload (common/bzimage.c).
 *
 * The legacy format is the magic 0x184c2102 (little-endian), then blocks:
 * a 4-byte little-endian compressed size and that many bytes of LZ4 block
 * data, each decoding on its own (no match reaches into an earlier block)
 * to at most 8 MiB. Another magic where a block size is expected starts a
 * new stream, as when lz4 output is concatenated. The stream ends with the
 * input. There is no checksum; the bzImage's size trailer is compared by
 * the caller. The code is freestanding (lib.h) and also builds for the host.
 */
#ifndef UNLZ4_H
#define UNLZ4_H

#include <lib.h>

#define UNLZ4_BLOCK_MAX MiB(8)     /* a legacy block's most output */

/*
 * Decode in[0, in_len) into out[0, out_cap); *out_len is the size produced.
 * Returns 0, -XEN_ENOEXEC (no legacy lz4 magic), -XEN_E2BIG (more than
 * out_cap bytes) or -XEN_EINVAL (corrupt or truncated: a block size past
 * the input or above the format's bound, a literal or match running past
 * its block or the output, a match offset of 0 or before the block, a
 * block of more than 8 MiB), with `why` saying what and at which input
 * offset. out's contents are unspecified on failure.
 */
int unlz4(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len,
	  char *why, size_t why_len);

#endif /* UNLZ4_H */
