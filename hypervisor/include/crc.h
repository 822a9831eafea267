/*
 * CRC-32 (IEEE 802.3, as in .xz, gzip and zlib) and CRC-64 (ECMA-182, as
 * in .xz), both bit-reflected with all-ones initial value and final xor.
 * Pass 0 as `crc` for a new sum; pass the previous result to continue it.
 */
#ifndef CRC_H
#define CRC_H

#include <lib.h>

uint32_t crc32(const void *data, size_t len, uint32_t crc);
uint64_t crc64(const void *data, size_t len, uint64_t crc);

#endif /* CRC_H */
