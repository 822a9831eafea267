/*
 * bzimage_private.h - helpers shared by bzimage.c and bzimage_decompress.c
 * only. Not part of the library interface.
 */
#ifndef PARAVANE_LIBXENGUEST_BZIMAGE_PRIVATE_H
#define PARAVANE_LIBXENGUEST_BZIMAGE_PRIVATE_H

#include <stdint.h>

/* printf into err (BZIMAGE_ERR_LEN bytes) when err is not NULL. */
void bzimage_set_err(char *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

uint16_t bzimage_le16(const uint8_t *p);
uint32_t bzimage_le32(const uint8_t *p);

#endif
