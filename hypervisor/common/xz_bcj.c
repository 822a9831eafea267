/*
 * The x86 BCJ filter, decoding side (xz_priv.h). The encoder turned the
 * 32-bit relative targets of CALL (E8) and JMP (E9) into absolute ones,
 * which compress better; we turn them back. Which E8/E9 bytes were
 * converted depends on the bytes around them (a target's top byte must
 * be 00 or FF, and recent E8/E9 bytes within the last three positions
 * decide whether this one counts), so the decoder must replay exactly the
 * encoder's scan: `mask` records which of the last three positions held
 * an E8/E9 byte that was left alone. The .xz format defines the rule.
 *
 * Most bytes are not E8/E9: the scan goes eight at a time to the next one
 * (a plain byte loop over 60 MiB is slow under emulation).
 */
#include "xz_priv.h"

static inline bool top_byte_ok(uint8_t b)
{
	return b == 0x00 || b == 0xff;
}

/*
 * Where the first E8 or E9 byte of w is (0-7), or 8 if there is none. The
 * zero-byte test can also flag bytes above a real hit (a borrow), never
 * below one, so the lowest flagged byte is exact.
 */
static inline unsigned first_e8(uint64_t w)
{
	uint64_t x = (w & 0xfefefefefefefefeull) ^ 0xe8e8e8e8e8e8e8e8ull;
	uint64_t z = (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;

	return z ? (unsigned)__builtin_ctzll(z) >> 3 : 8;
}

void xz_bcj_x86(uint8_t *buf, size_t len)
{
	/* for each mask of recent E8/E9 bytes: may this one be converted, and
	 * which byte of its operand (from the end) must then also be 00/FF */
	static const bool allowed[8] = { true, true, true, false, true, false, false, false };
	static const uint8_t bit_num[8] = { 0, 1, 2, 2, 3, 3, 3, 3 };
	size_t i, prev = (size_t)-1, limit;
	uint32_t mask = 0;

	if (len <= 4)
		return;
	limit = len - 4;
	for (i = 0; i < limit; i++) {
		/* to the next E8/E9 byte, eight at a time */
		while (limit - i >= 8) {
			unsigned k = first_e8(load64(buf + i));
			i += k;
			if (k < 8)
				break;
		}
		if (i >= limit)
			break;
		if ((buf[i] & 0xfe) != 0xe8)
			continue;
		size_t gap = i - prev;
		if (gap > 3) {
			mask = 0;
		} else {
			mask = (mask << (gap - 1)) & 7;
			if (mask && (!allowed[mask] || top_byte_ok(buf[i + 4 - bit_num[mask]]))) {
				prev = i;
				mask = (mask << 1) | 1;
				continue;
			}
		}
		prev = i;
		if (!top_byte_ok(buf[i + 4])) {
			mask = (mask << 1) | 1;
			continue;
		}
		uint32_t src = (uint32_t)buf[i + 1] | (uint32_t)buf[i + 2] << 8 |
			       (uint32_t)buf[i + 3] << 16 | (uint32_t)buf[i + 4] << 24;
		uint32_t dest;
		for (;;) {
			dest = src - (uint32_t)(i + 5);
			if (!mask)
				break;
			unsigned j = bit_num[mask] * 8u;
			if (!top_byte_ok((uint8_t)(dest >> (24 - j))))
				break;
			src = dest ^ ((1u << (32 - j)) - 1);
		}
		/* sign-extend from bit 24, so the top byte is 00 or FF again */
		dest &= 0x01ffffff;
		dest |= 0u - (dest & 0x01000000);
		buf[i + 1] = (uint8_t)dest;
		buf[i + 2] = (uint8_t)(dest >> 8);
		buf[i + 3] = (uint8_t)(dest >> 16);
		buf[i + 4] = (uint8_t)(dest >> 24);
		i += 4;
	}
}
