/*
 * bzimage: find and unpack the kernel inside a Linux bzImage, the file
 * distributions install in /boot and boot loaders pass to Xen as the Dom0
 * module, trusting nothing in it.
 *
 * A bzImage is real-mode setup code, then a small self-extracting program
 * whose payload is the compressed ELF vmlinux (Linux's boot protocol,
 * version 2.08 and later, names the payload in the setup header). The
 * compressed stream is followed by 4 bytes, the unpacked size, so the
 * output buffer is sized before decoding. We unpack XZ (what Debian
 * ships), gzip, LZ4 and zstd with our own decoders (unxz.h, gunzip.h,
 * unlz4.h, unzstd.h); other methods (bzip2, LZMA, LZO) are named and
 * refused. The code is freestanding (lib.h) and also builds for the host.
 */
#ifndef BZIMAGE_H
#define BZIMAGE_H

#include <lib.h>

/* More than any kernel needs: a PV kernel's boot region must fit in 1 GiB. */
#define BZIMAGE_UNPACKED_MAX MiB(512)

struct bzimage {
	const uint8_t *payload;   /* the compressed stream, inside the caller's image */
	size_t payload_len;       /* without the size trailer */
	size_t unpacked_size;     /* what the trailer says; checked when unpacking */
	const char *method;       /* "xz", "gzip", ...: for messages */
	unsigned protocol;        /* boot protocol version, e.g. 0x020f */
};

/*
 * Recognise a bzImage in data[0, size) and locate its payload.
 *
 * Return values:
 *   0               *bz describes the payload, which bzimage_unpack() handles.
 *   -XEN_ENOEXEC    not a bzImage (no setup header): the caller may try ELF.
 *   -XEN_EINVAL     a bzImage with a bad header: protocol older than 2.08,
 *                   payload outside the file, unpacked size 0 or above
 *                   BZIMAGE_UNPACKED_MAX.
 *   -XEN_EOPNOTSUPP a payload compressed with a method we do not decode
 *                   (named in why).
 * why (if why_len > 0) holds a one-line reason on failure.
 */
int bzimage_probe(const void *data, size_t size, struct bzimage *bz, char *why, size_t why_len);

/*
 * Unpack the payload into out[0, out_cap), out_cap >= bz->unpacked_size,
 * using `work` (UNXZ_WORK_SIZE bytes, unxz.h; zstd needs less). The stream must decode to
 * exactly unpacked_size bytes. Returns 0, or the decoder's error (unxz.h)
 * with why saying what is wrong and where.
 */
int bzimage_unpack(const struct bzimage *bz, uint8_t *out, size_t out_cap, void *work,
		   char *why, size_t why_len);

#endif /* BZIMAGE_H */
