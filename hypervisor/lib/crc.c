/*
 * CRC-32 and CRC-64 (crc.h). The tables are built on first use rather than
 * spelled out. CRC-32 goes eight bytes a step (eight tables, "slicing by
 * 8"): it runs over the whole unpacked Dom0 kernel, and under an emulator
 * one table step per byte would cost a visible part of the boot. CRC-64
 * (rare for kernels) goes a byte a step.
 */
#include <crc.h>

#define CRC32_POLY 0xedb88320u                 /* reflected 0x04c11db7 */
#define CRC64_POLY 0xc96c5795d7870f42ull       /* reflected ECMA-182 */

static uint32_t crc32_tab[8][256];
static uint64_t crc64_tab[256];
static bool crc32_ready, crc64_ready;

static void crc32_init(void)
{
	for (unsigned i = 0; i < 256; i++) {
		uint32_t c = i;
		for (unsigned k = 0; k < 8; k++)
			c = (c >> 1) ^ (CRC32_POLY & (0u - (c & 1)));
		crc32_tab[0][i] = c;
	}
	/* table t: the effect of a byte followed by t zero bytes */
	for (unsigned i = 0; i < 256; i++)
		for (unsigned t = 1; t < 8; t++)
			crc32_tab[t][i] = (crc32_tab[t - 1][i] >> 8) ^ crc32_tab[0][crc32_tab[t - 1][i] & 0xff];
	crc32_ready = true;
}

uint32_t crc32(const void *data, size_t len, uint32_t crc)
{
	const uint8_t *p = data;
	uint32_t c = ~crc;

	if (!crc32_ready)
		crc32_init();
	for (; len && ((uintptr_t)p & 7); len--)
		c = (c >> 8) ^ crc32_tab[0][(c ^ *p++) & 0xff];
	for (; len >= 8; len -= 8, p += 8) {
		uint64_t w;
		memcpy(&w, p, 8);          /* little-endian: byte 0 is the low one */
		uint32_t lo = c ^ (uint32_t)w, hi = (uint32_t)(w >> 32);
		c = crc32_tab[7][lo & 0xff] ^ crc32_tab[6][(lo >> 8) & 0xff] ^
		    crc32_tab[5][(lo >> 16) & 0xff] ^ crc32_tab[4][lo >> 24] ^
		    crc32_tab[3][hi & 0xff] ^ crc32_tab[2][(hi >> 8) & 0xff] ^
		    crc32_tab[1][(hi >> 16) & 0xff] ^ crc32_tab[0][hi >> 24];
	}
	for (; len; len--)
		c = (c >> 8) ^ crc32_tab[0][(c ^ *p++) & 0xff];
	return ~c;
}

uint64_t crc64(const void *data, size_t len, uint64_t crc)
{
	const uint8_t *p = data;
	uint64_t c = ~crc;

	if (!crc64_ready) {
		for (unsigned i = 0; i < 256; i++) {
			uint64_t v = i;
			for (unsigned k = 0; k < 8; k++)
				v = (v >> 1) ^ (CRC64_POLY & (0ull - (v & 1)));
			crc64_tab[i] = v;
		}
		crc64_ready = true;
	}
	for (; len; len--)
		c = (c >> 8) ^ crc64_tab[(c ^ *p++) & 0xff];
	return ~c;
}
