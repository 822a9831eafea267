/*
 * bzimage_private.h - helpers shared by bzimage.c and bzimage_decompress.c
 * only. Not part of the library interface.
 */
#ifndef PARAVANE_LIBXENGUEST_BZIMAGE_PRIVATE_H
#define PARAVANE_LIBXENGUEST_BZIMAGE_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

/* printf into err (BZIMAGE_ERR_LEN bytes) when err is not NULL. */
void bzimage_set_err(char *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

uint16_t bzimage_le16(const uint8_t *p);
uint32_t bzimage_le32(const uint8_t *p);

/* The decoders of bzimage_decompress_more.c: write exactly out_len bytes
 * (BZIMAGE_OK) or fail with a reason in err. */
int bzimage_decode_bzip2(const uint8_t *in, size_t in_len, uint8_t *out,
			 size_t out_len, char *err);
int bzimage_decode_lzma(const uint8_t *in, size_t in_len, uint8_t *out,
			size_t out_len, char *err);
int bzimage_decode_lzo(const uint8_t *in, size_t in_len, uint8_t *out,
		       size_t out_len, char *err);
int bzimage_decode_zstd(const uint8_t *in, size_t in_len, uint8_t *out,
			size_t out_len, char *err);

#endif
