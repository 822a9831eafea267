/*
 * gunzip: decode one gzip member (RFC 1952, DEFLATE inside) into one
 * buffer, trusting nothing in it: the fallback for bzImage kernels built
 * with gzip (common/bzimage.c). Freestanding (lib.h); builds for the host.
 */
#ifndef GUNZIP_H
#define GUNZIP_H

#include <lib.h>

/*
 * Decode the gzip member in[0, in_len), which must end exactly with its
 * 8-byte trailer, into out[0, out_cap); *out_len is the size produced.
 * Returns 0 (the trailer's CRC32 and size matched), -XEN_ENOEXEC (no gzip
 * magic), -XEN_EOPNOTSUPP (not deflate, reserved flags), -XEN_E2BIG (more
 * than out_cap bytes) or -XEN_EINVAL (corrupt or truncated), with why set.
 */
int gunzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len,
	   char *why, size_t why_len);

#endif /* GUNZIP_H */
