/*
 * unzstd: decode zstd frames (RFC 8878) into one buffer, trusting nothing
 * in them: the payload of bzImages built with CONFIG_KERNEL_ZSTD
 * (common/bzimage.c). Linux compresses those with `zstd -22 --ultra`, a
 * window of up to 128 MiB; since the whole output is one buffer, matches
 * copy from earlier output and no window is allocated, whatever its size.
 *
 * Accepted: any number of zstd frames and skippable frames back to back;
 * raw, RLE and compressed blocks; raw, RLE and Huffman literals (1 or 4
 * streams, a new or the previous table); sequences with predefined, RLE,
 * FSE-described and repeated tables; the content size and the content
 * checksum (the low 32 bits of XXH64) when the frame has them, both
 * checked. Refused with a reason: dictionaries, window logs above 31.
 *
 * The caller supplies the output buffer and a work area of
 * UNZSTD_WORK_SIZE bytes (the entropy tables), both of which it may free
 * afterwards. Every size, table description, symbol, offset and length is
 * checked before use: a truncated, corrupt or oversized stream gives an
 * error, never a read or write outside `in`, `out` or `work`. The code is
 * freestanding (lib.h) and also builds for the host.
 */
#ifndef UNZSTD_H
#define UNZSTD_H

#include <lib.h>

#define UNZSTD_WORK_SIZE (24 * 1024)

/*
 * Decode in[0, in_len) into out[0, out_cap); *out_len is the number of
 * bytes produced.
 *
 * Return values:
 *   0               every frame decoded and every check matched.
 *   -XEN_ENOEXEC    not a zstd stream (no frame magic at the start).
 *   -XEN_EOPNOTSUPP a frame needing a dictionary, or a window above 2 GiB.
 *   -XEN_E2BIG      it decodes to more than out_cap bytes.
 *   -XEN_EINVAL     corrupt or truncated: a bad header, table, Huffman or
 *                   FSE stream, a length or offset out of range, a
 *                   content size or checksum mismatch.
 * On failure `why` (if why_len > 0) says what and at which input offset;
 * *out_len is 0 and the contents of out are unspecified.
 */
int unzstd(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len,
	   void *work, char *why, size_t why_len);

#endif /* UNZSTD_H */
