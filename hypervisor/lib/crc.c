/*
 * CRC-32 and CRC-64 (crc.h). The tables are built on first use rather than
 * spelled out. CRC-32 goes eight bytes a step (eight tables, "slicing by
 * 8"): it runs over the whole unpacked Dom0 kernel, and under an emulator
 * one table step per byte would cost a visible part of the boot. CRC-64
 * (rare for kernels) goes a byte a step.
 *
 * A third of Debian's unpacked kernel is zero pages (.bss and padding
 * written into the file). The CRC register after 4 KiB of zeros is a
 * linear function of the register before, so four 256-entry tables
 * (crc32_zpage) apply it in one step: an aligned all-zero 4 KiB chunk
 * costs a scan for a non-zero word instead of 512 slicing steps.
 */
#include <crc.h>

#define CRC32_POLY 0xedb88320u                 /* reflected 0x04c11db7 */
#define CRC64_POLY 0xc96c5795d7870f42ull       /* reflected ECMA-182 */

#define ZERO_CHUNK 4096

static uint32_t crc32_tab[8][256];
static uint32_t crc32_zpage[4][256];     /* register byte k = v: effect of ZERO_CHUNK zeros */
static uint64_t crc64_tab[256];
static bool crc32_ready, crc64_ready;

/* The register after n zero bytes (one byte a step: for building tables). */
static uint32_t zeros_slow(uint32_t c, size_t n)
{
	while (n--)
		c = (c >> 8) ^ crc32_tab[0][c & 0xff];
	return c;
}

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
	/* the zero-chunk map is linear over GF(2): from the 32 single-bit registers */
	uint32_t bit[32];
	for (unsigned b = 0; b < 32; b++)
		bit[b] = zeros_slow(1u << b, ZERO_CHUNK);
	for (unsigned k = 0; k < 4; k++)
		for (unsigned v = 0; v < 256; v++) {
			uint32_t z = 0;
			for (unsigned b = 0; b < 8; b++)
				if (v & (1u << b))
					z ^= bit[8 * k + b];
			crc32_zpage[k][v] = z;
		}
	crc32_ready = true;
}

/* p (8-aligned) starts ZERO_CHUNK zero bytes; the first word decides most cases. */
static bool zero_chunk(const uint8_t *p)
{
	for (size_t i = 0; i < ZERO_CHUNK; i += 64) {
		if (load64(p + i) | load64(p + i + 8) | load64(p + i + 16) | load64(p + i + 24) |
		    load64(p + i + 32) | load64(p + i + 40) | load64(p + i + 48) | load64(p + i + 56))
			return false;
	}
	return true;
}

static uint32_t slice8(uint32_t c, const uint8_t *p, size_t len)
{
	for (; len >= 8; len -= 8, p += 8) {
		uint64_t w = load64(p);    /* little-endian: byte 0 is the low one */
		uint32_t lo = c ^ (uint32_t)w, hi = (uint32_t)(w >> 32);
		c = crc32_tab[7][lo & 0xff] ^ crc32_tab[6][(lo >> 8) & 0xff] ^
		    crc32_tab[5][(lo >> 16) & 0xff] ^ crc32_tab[4][lo >> 24] ^
		    crc32_tab[3][hi & 0xff] ^ crc32_tab[2][(hi >> 8) & 0xff] ^
		    crc32_tab[1][(hi >> 16) & 0xff] ^ crc32_tab[0][hi >> 24];
	}
	return c;
}

uint32_t crc32(const void *data, size_t len, uint32_t crc)
{
	const uint8_t *p = data;
	uint32_t c = ~crc;

	if (!crc32_ready)
		crc32_init();
	for (; len && ((uintptr_t)p & 7); len--)
		c = (c >> 8) ^ crc32_tab[0][(c ^ *p++) & 0xff];
	for (; len >= ZERO_CHUNK; len -= ZERO_CHUNK, p += ZERO_CHUNK) {
		if (zero_chunk(p))
			c = crc32_zpage[0][c & 0xff] ^ crc32_zpage[1][(c >> 8) & 0xff] ^
			    crc32_zpage[2][(c >> 16) & 0xff] ^ crc32_zpage[3][c >> 24];
		else
			c = slice8(c, p, ZERO_CHUNK);
	}
	c = slice8(c, p, len);
	p += len & ~(size_t)7;
	len &= 7;
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
