/*
 * unxz: decode one .xz stream into one buffer, trusting nothing in it.
 *
 * The hypervisor unpacks the Dom0 kernel that a boot loader hands it as a
 * bzImage (common/bzimage.c); Debian builds those with XZ: an LZMA2 block
 * behind the x86 BCJ filter, with a CRC32 check. What is accepted (the
 * .xz format, version 1.0.4): one stream, any number of blocks, filter
 * chains [LZMA2] and [x86 BCJ, LZMA2] (start offset 0), checks none, CRC32
 * and CRC64; stream padding after the footer. Refused with a reason:
 * SHA-256 and unknown checks, other filters, concatenated streams.
 *
 * The whole output is the LZ dictionary, so no window is allocated and
 * matches copy straight from earlier output. The caller supplies the
 * output buffer and a work area of UNXZ_WORK_SIZE bytes (the LZMA model),
 * both of which it may free afterwards. Every size, offset and distance
 * read from the stream is checked before use: a truncated, corrupt or
 * oversized stream gives an error, never a read or write outside `in` or
 * `out`. The code is freestanding (lib.h) and also builds for the host.
 */
#ifndef UNXZ_H
#define UNXZ_H

#include <lib.h>

#define UNXZ_WORK_SIZE (32 * 1024)

/*
 * Decode the .xz stream in[0, in_len) into out[0, out_cap); *out_len is
 * the number of bytes produced.
 *
 * Return values:
 *   0               the whole stream decoded and every check matched.
 *   -XEN_ENOEXEC    not an .xz stream (no magic).
 *   -XEN_EOPNOTSUPP a valid stream this decoder does not handle (filter,
 *                   check type, option).
 *   -XEN_E2BIG      it decodes to more than out_cap bytes.
 *   -XEN_EINVAL     corrupt or truncated: bad header, CRC or check
 *                   mismatch, bad LZMA2 data, sizes that disagree with
 *                   the index, trailing garbage.
 * On failure `why` (if why_len > 0) says what and at which input offset,
 * without a trailing newline; the contents of out are unspecified.
 */
int unxz(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len,
	 void *work, char *why, size_t why_len);

#endif /* UNXZ_H */
