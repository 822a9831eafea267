/*
 * Inside the zstd decoder (unzstd.h): the state shared by its three files
 * (unzstd.c frames and blocks, unzstd_lit.c entropy tables and literals,
 * unzstd_seq.c sequences) and the backward bit reader both entropy codes
 * use.
 */
#ifndef UNZSTD_PRIV_H
#define UNZSTD_PRIV_H

#include <unzstd.h>
#include <public/errno.h>

#define ZS_BLOCK_MAX  KiB(128)     /* a block's most input and most output */
#define ZS_HUF_BITS   11           /* the longest Huffman code */
#define ZS_FSE_CELLS  512          /* 1 << the largest accuracy log (9) */
#define ZS_FSE_SYMBOLS 256         /* the most symbols a table description may give shares */

/* One state of an FSE table: its symbol's value and the next state's recipe. */
struct zs_cell {
	uint32_t base;       /* the symbol's baseline (sequences) or the symbol (weights) */
	uint16_t next;       /* next state = next + nb bits */
	uint8_t nb;
	uint8_t extra;       /* extra bits after the baseline (sequences) */
};

struct zs_fse {
	unsigned log;        /* accuracy log: 1 << log cells */
	bool ready;          /* a table to repeat exists */
	struct zs_cell cell[ZS_FSE_CELLS];
};

struct zs_huf_cell {
	uint8_t sym, nb;
};

struct zstd_dec {
	const uint8_t *base;             /* the whole input, for offsets in messages */
	char *why;
	size_t why_len;
	size_t out_cap;
	struct zs_fse ll, of, ml, tmp;   /* tmp: Huffman weights */
	struct zs_huf_cell huf[1 << ZS_HUF_BITS];
	unsigned huf_bits;               /* 0: no Huffman table yet in this frame */
	uint64_t rep[3];                 /* repeat offsets */
	/* the current block's literals (at the end of the output, or in the input) */
	const uint8_t *lit;
	size_t nlit;
};

_Static_assert(sizeof(struct zstd_dec) <= UNZSTD_WORK_SIZE, "UNZSTD_WORK_SIZE too small");

int zs_bad(const struct zstd_dec *d, const uint8_t *at, const char *what);
int zs_too_big(const struct zstd_dec *d, const uint8_t *at);
int zs_fse_read(struct zstd_dec *d, struct zs_fse *t, const uint8_t *in, size_t len, unsigned max_sym,
		unsigned max_log, const uint32_t *base, const uint8_t *extra, size_t *used);
int zs_fse_build(struct zstd_dec *d, struct zs_fse *t, const int16_t *norm, unsigned nsym, unsigned log,
		 const uint32_t *base, const uint8_t *extra, const uint8_t *at);
int zs_literals(struct zstd_dec *d, const uint8_t *in, size_t len, uint8_t *tail_end, size_t room,
		size_t *used);
int zs_sequences(struct zstd_dec *d, const uint8_t *in, size_t len, uint8_t *frame, uint8_t **op,
		 uint8_t *oend);

/*
 * A backward bit stream (both entropy codes write their bits so that the
 * decoder reads from the end): its last byte's highest set bit marks the
 * end, and bits are taken from the top down. Bits [0, pos) are unread;
 * reading past the start yields zeros and leaves pos negative, which the
 * callers check (an overrun is a corrupt stream).
 */
struct zs_bits {
	const uint8_t *p;
	size_t len;
	ptrdiff_t pos;
};

static inline bool zs_bits_open(struct zs_bits *b, const uint8_t *p, size_t len)
{
	if (!len || !p[len - 1])
		return false;
	b->p = p;
	b->len = len;
	b->pos = (ptrdiff_t)(len - 1) * 8 + (31 - __builtin_clz(p[len - 1]));
	return true;
}

/* Bits [at, at + n) as a number, n <= 56; bits below 0 are zeros. */
static inline uint64_t zs_peek(const struct zs_bits *b, ptrdiff_t at, unsigned n)
{
	unsigned shift = 0;
	size_t byte;
	uint64_t v;

	if (at < 0) {
		if (at + (ptrdiff_t)n <= 0)
			return 0;
		shift = (unsigned)-at;
		n -= shift;
		at = 0;
	}
	byte = (size_t)at >> 3;
	if (byte + 8 <= b->len) {
		v = load64(b->p + byte) >> (at & 7);
	} else if (b->len >= 8) {
		v = load64(b->p + b->len - 8) >> ((byte - (b->len - 8)) * 8 + (at & 7));
	} else {
		v = 0;
		for (size_t i = b->len; i > byte; i--)
			v = v << 8 | b->p[i - 1];
		v >>= at & 7;
	}
	return (v & (((uint64_t)1 << n) - 1)) << shift;
}

static inline uint64_t zs_read(struct zs_bits *b, unsigned n)
{
	if (!n)
		return 0;            /* common: small lengths have no extra bits */
	b->pos -= n;
	return zs_peek(b, b->pos, n);
}

/*
 * Forwards, 8 bytes a step (the hypervisor's memcpy is REP MOVS, slow
 * under an emulator): right for any overlap with dst <= src.
 */
static inline void zs_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (; n >= 8; n -= 8, dst += 8, src += 8)
		store64(dst, load64(src));
	while (n--)
		*dst++ = *src++;
}

#endif /* UNZSTD_PRIV_H */
