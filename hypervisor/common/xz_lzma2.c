/*
 * LZMA2 decoding into a flat buffer (xz_priv.h), for unxz.
 *
 * LZMA2 wraps LZMA in chunks: a control byte says whether the chunk is
 * stored or LZMA-coded and what it resets (dictionary, state, properties);
 * each LZMA chunk states its packed and unpacked sizes and restarts the
 * range decoder. The chunk sizes let every bound be set before the hot
 * loop runs: a chunk's output range is checked against the buffer once,
 * each symbol checks only that it stays inside its chunk, and the range
 * decoder never reads outside the chunk's packed bytes (its last symbols
 * read a copy of them followed by zeros; one that reads past them has
 * the chunk refused).
 *
 * Speed matters (the emulated boot unpacks about 60 MiB): the range
 * decoder lives in local variables and every bit decode is a macro, so the
 * hot loop has no calls; matches are copied 8 bytes at a time
 * (copy_match). Positions are counted from the last dictionary reset, as
 * the format defines them, and the output since that reset is the
 * dictionary.
 */
#include <unxz.h>
#include <public/errno.h>
#include "xz_priv.h"

#define PROB_BITS     11
#define PROB_INIT     (1u << (PROB_BITS - 1))
#define MOVE_BITS     5
#define RC_TOP        (1u << 24)

#define STATES        12
#define POS_STATES    16           /* pb <= 4 */
#define LIT_STATES    7            /* states below this follow a literal */
#define DIST_STATES   4
#define END_POS_MODEL 14           /* distance slots below this use a tree */
#define FULL_DISTS    128
#define ALIGN_BITS    4
#define MATCH_MIN     2
#define LIT_SIZE      0x300
#define LC_LP_MAX     4            /* LZMA2's limit on lc + lp */
/*
 * The most bits one symbol decodes, hence the most input bytes it takes:
 * a match with is_match, is_rep, a long length (2 + 8), a distance slot
 * (6) and the largest distance (26 direct bits + 4 align bits): 48. The
 * margin is more than that plus the chunk's final normalisation.
 */
#define RC_MARGIN     64

struct len_probs {
	uint16_t choice, choice2;
	uint16_t low[POS_STATES][8], mid[POS_STATES][8], high[256];
};

/* The adaptive model: all of it is reset to PROB_INIT together. */
struct lzma_probs {
	uint16_t is_match[STATES][POS_STATES];
	uint16_t is_rep[STATES], is_rep0[STATES], is_rep1[STATES], is_rep2[STATES];
	uint16_t is_rep0_long[STATES][POS_STATES];
	uint16_t dist_slot[DIST_STATES][64];
	uint16_t dist_special[1 + FULL_DISTS - END_POS_MODEL];
	uint16_t dist_align[1 << ALIGN_BITS];
	struct len_probs match_len, rep_len;
	uint16_t literal[LIT_SIZE << LC_LP_MAX];
};

/* What persists from chunk to chunk within a block. */
struct lzma_dec {
	struct lzma_probs p;
	unsigned lc, lp_mask, pb_mask;
	unsigned state;
	uint32_t rep0, rep1, rep2, rep3;
	/* a chunk's last bytes, then zeros: what its last symbols read */
	uint8_t tail[2 * RC_MARGIN];
};

_Static_assert(sizeof(struct lzma_dec) <= UNXZ_WORK_SIZE, "UNXZ_WORK_SIZE too small");

static void lzma_reset(struct lzma_dec *s)
{
	uint16_t *p = (uint16_t *)&s->p;

	for (size_t i = 0; i < sizeof(s->p) / sizeof(uint16_t); i++)
		p[i] = PROB_INIT;
	s->state = 0;
	s->rep0 = s->rep1 = s->rep2 = s->rep3 = 0;
}

/* The properties byte: (pb * 5 + lp) * 9 + lc. */
static bool lzma_props(struct lzma_dec *s, uint8_t b)
{
	unsigned lc, lp, pb;

	if (b >= 9 * 5 * 5)
		return false;
	lc = b % 9;
	lp = (b / 9) % 5;
	pb = b / 45;
	if (lc + lp > LC_LP_MAX)
		return false;
	s->lc = lc;
	s->lp_mask = (1u << lp) - 1;
	s->pb_mask = (1u << pb) - 1;
	return true;
}

/*
 * The range decoder, on the locals range, code and ip of lzma_chunk.
 * Normalising comes before each decision (and once at the end of a chunk,
 * which then ends exactly at its last byte). It does not compare ip with
 * the chunk's end: lzma_chunk keeps RC_MARGIN readable bytes ahead of ip
 * at the start of every symbol, and a symbol takes at most one byte per
 * bit it decodes. (A branch-free form, which would let a literal's eight
 * tree steps run as one translated block under an emulator, measured no
 * faster: it costs more instructions than the branches it saves.)
 */
#define RC_NORM() do { \
	if (range < RC_TOP) { \
		range <<= 8; \
		code = (code << 8) | *ip++; \
	} \
} while (0)

/* Decode one bit with probability *p; run zero or one (statements). */
#define RC_BIT(p, zero, one) do { \
	uint16_t *p_ = (p); \
	RC_NORM(); \
	uint32_t bound_ = (range >> PROB_BITS) * *p_; \
	if (code < bound_) { \
		range = bound_; \
		*p_ += ((1u << PROB_BITS) - *p_) >> MOVE_BITS; \
		zero; \
	} else { \
		range -= bound_; \
		code -= bound_; \
		*p_ -= *p_ >> MOVE_BITS; \
		one; \
	} \
} while (0)

/*
 * One step down a bit tree: sym gains a bit. Without branches on the bit:
 * under an emulator every branch ends a translated block, and most of the
 * decoder's bits are tree steps.
 */
#define RC_STEP(probs, sym) do { \
	uint16_t *p_ = &(probs)[sym]; \
	RC_NORM(); \
	uint32_t pr_ = *p_, bound_ = (range >> PROB_BITS) * pr_; \
	uint32_t bit_ = code >= bound_, mask_ = 0u - bit_; \
	range = bound_ + ((range - 2 * bound_) & mask_); \
	code -= bound_ & mask_; \
	*p_ = (uint16_t)(pr_ + ((((1u << PROB_BITS) - pr_) >> MOVE_BITS) & ~mask_) - \
			 ((pr_ >> MOVE_BITS) & mask_)); \
	sym = (sym << 1) | bit_; \
} while (0)

/* sym = 1, then one tree step per bit: sym ends in [1 << n, 2 << n). */
#define RC_TREE(probs, n, sym) do { \
	sym = 1; \
	for (unsigned t_ = 0; t_ < (n); t_++) \
		RC_STEP(probs, sym); \
} while (0)

/* The same tree read least significant bit first: adds the bits to val. */
#define RC_TREE_REV(probs, n, val) do { \
	uint16_t *pr_ = (probs); \
	unsigned m_ = 1; \
	for (unsigned t_ = 0; t_ < (n); t_++) \
		RC_BIT(&pr_[m_], m_ <<= 1, (m_ = (m_ << 1) | 1, (val) += 1u << t_)); \
} while (0)

/* A match length, MATCH_MIN..273, into len. */
#define RC_LEN(lp, pos_state, len) do { \
	struct len_probs *l_ = (lp); \
	unsigned s_; \
	RC_BIT(&l_->choice, \
	       { RC_TREE(l_->low[pos_state], 3, s_); len = s_ - 8 + MATCH_MIN; }, \
	       RC_BIT(&l_->choice2, \
		      { RC_TREE(l_->mid[pos_state], 3, s_); len = s_ - 8 + MATCH_MIN + 8; }, \
		      { RC_TREE(l_->high, 8, s_); len = s_ - 256 + MATCH_MIN + 16; })); \
} while (0)

/*
 * Copy a match of len bytes from dist bytes back; both checked by the
 * caller (dist <= pos, len <= end - pos). With room for it, the copy goes
 * 8 bytes a step and may run 7 bytes past the match (those bytes are
 * rewritten by later output). A source fewer than 8 bytes back repeats
 * with period dist, so past its first `step` bytes (the smallest multiple
 * of dist that is 8 or more) each step copies from step bytes back, which
 * no longer overlaps: runs of zeros, a third of a kernel, are matches at
 * distance 1 that a byte loop would take 273 steps for.
 */
static inline void copy_match(uint8_t *out, size_t pos, size_t dist, size_t len, size_t room)
{
	static const uint8_t step_of[8] = { 0, 8, 8, 9, 8, 10, 12, 14 };
	uint8_t *d = out + pos;
	const uint8_t *s = d - dist;
	size_t i = 0, step = dist;

	if (len + 8 > room) {
		for (; i < len; i++)
			d[i] = s[i];
		return;
	}
	if (dist < 8) {
		step = step_of[dist];
		for (; i < step && i < len; i++)
			d[i] = s[i];
	}
	for (; i < len; i += 8)
		store64(d + i, load64(d + i - step));
}

/*
 * One LZMA chunk: in[0, in_len) decodes to dict[pos, end), where dict is
 * the output since the last dictionary reset. `room` is how much of the
 * buffer lies from dict + pos on (for copy_match's overrun). Only what the
 * hot loop needs is kept in locals (the rest of the state stays in *s), so
 * that the compiler can hold all of it in registers.
 *
 * The input is checked once per symbol, not per byte: while at least
 * RC_MARGIN bytes remain, a symbol cannot read past the chunk. Below that,
 * the rest of the chunk is copied into s->tail, followed by zeros, and the
 * decoder goes on from there; from then on a symbol that starts past the
 * chunk's end is refused, and the RC_MARGIN or more zeros after the copy
 * cover what one starting at the end could read. A chunk that reads beyond its end is thus refused
 * (at its next symbol or at the final check) without any read outside in.
 */
static int lzma_chunk(struct lzma_dec *s, const uint8_t *in, size_t in_len, uint8_t *dict,
		      size_t pos, size_t end, size_t room)
{
	struct lzma_probs *p = &s->p;
	const uint8_t *ip, *ip_end = in + in_len, *ip_check;
	uint32_t range = 0xffffffffu, code, rep0 = s->rep0;
	unsigned state = s->state, pb_mask = s->pb_mask;
	size_t start = pos;
	bool in_tail = false;

	/* the range decoder starts with a zero byte and four bytes of code */
	if (in_len < 5 || in[0] != 0)
		return -XEN_EINVAL;
	code = (uint32_t)in[1] << 24 | (uint32_t)in[2] << 16 | (uint32_t)in[3] << 8 | in[4];
	ip = in + 5;
	ip_check = in_len - 5 >= RC_MARGIN ? ip_end - RC_MARGIN : ip;

	while (pos < end) {
		unsigned pos_state = (unsigned)pos & pb_mask;
		unsigned len;

		if (ip >= ip_check) {
			if (in_tail) {
				if (ip > ip_end)
					goto corrupt;
			} else {
				size_t left = (size_t)(ip_end - ip);
				memcpy(s->tail, ip, left);
				memset(s->tail + left, 0, sizeof(s->tail) - left);
				ip = s->tail;
				ip_end = ip_check = s->tail + left;
				in_tail = true;
			}
		}

		RC_BIT(&p->is_match[state][pos_state], goto literal, (void)0);

		RC_BIT(&p->is_rep[state], goto match, (void)0);
		/* a repeated distance */
		RC_BIT(&p->is_rep0[state],
		       RC_BIT(&p->is_rep0_long[state][pos_state], goto short_rep, (void)0),
		       {
			       uint32_t dist;
			       RC_BIT(&p->is_rep1[state], dist = s->rep1,
				      RC_BIT(&p->is_rep2[state], (dist = s->rep2),
					     (dist = s->rep3, s->rep3 = s->rep2));
				      s->rep2 = s->rep1);
			       s->rep1 = rep0;
			       rep0 = dist;
		       });
		RC_LEN(&p->rep_len, pos_state, len);
		state = state < LIT_STATES ? 8 : 11;
		goto copy;

short_rep:
		if (rep0 >= pos)
			goto corrupt;
		state = state < LIT_STATES ? 9 : 11;
		dict[pos] = dict[pos - rep0 - 1];
		pos++;
		continue;

match:
		s->rep3 = s->rep2;
		s->rep2 = s->rep1;
		s->rep1 = rep0;
		RC_LEN(&p->match_len, pos_state, len);
		state = state < LIT_STATES ? 7 : 10;
		{
			unsigned slot, dstate = len - MATCH_MIN < DIST_STATES ? len - MATCH_MIN : DIST_STATES - 1;
			RC_TREE(p->dist_slot[dstate], 6, slot);
			slot -= 64;
			if (slot < 4) {
				rep0 = slot;
			} else {
				unsigned nbits = (slot >> 1) - 1;
				uint32_t dist = (2u | (slot & 1)) << nbits;
				if (slot < END_POS_MODEL) {
					RC_TREE_REV(p->dist_special + dist - slot, nbits, dist);
				} else {
					/* direct bits, then the 4 low ones from a tree */
					for (unsigned b = nbits - ALIGN_BITS; b; b--) {
						RC_NORM();
						range >>= 1;
						uint32_t bit = code >= range;
						code -= range & (0u - bit);
						dist = dist + (bit << (b - 1 + ALIGN_BITS));
					}
					RC_TREE_REV(p->dist_align, ALIGN_BITS, dist);
				}
				rep0 = dist;
			}
		}
		/* rep0 == 0xffffffff is LZMA's end marker, which LZMA2 does not use */
copy:
		if (rep0 >= pos || len > end - pos)
			goto corrupt;
		copy_match(dict, pos, (size_t)rep0 + 1, len, room - (pos - start));
		pos += len;
		continue;

literal:
		{
			unsigned prev = pos ? dict[pos - 1] : 0;
			uint16_t *lit = p->literal + LIT_SIZE * ((((unsigned)pos & s->lp_mask) << s->lc) +
								 (prev >> (8 - s->lc)));
			unsigned sym = 1;
			if (state < LIT_STATES) {
				/* eight steps, unrolled: most literals come here */
				RC_STEP(lit, sym); RC_STEP(lit, sym); RC_STEP(lit, sym); RC_STEP(lit, sym);
				RC_STEP(lit, sym); RC_STEP(lit, sym); RC_STEP(lit, sym); RC_STEP(lit, sym);
				state = state < 4 ? 0 : state - 3;
			} else {
				/* after a match: guided by the byte at rep0, while it agrees */
				unsigned mbyte = dict[pos - rep0 - 1];
				do {
					unsigned mbit = (mbyte >> 7) & 1;
					mbyte <<= 1;
					unsigned bit, old = sym;
					RC_STEP(lit + ((1 + mbit) << 8), sym);
					bit = sym - 2 * old;
					if (bit != mbit)
						break;
				} while (sym < 0x100);
				while (sym < 0x100)
					RC_STEP(lit, sym);
				state = state < 10 ? state - 3 : state - 6;
			}
			dict[pos++] = (uint8_t)sym;
		}
	}
	s->state = state;
	s->rep0 = rep0;
	/* normalised, the decoder has read the chunk's last byte (so it is in
	 * the tail: no symbol takes RC_MARGIN bytes), and the encoder's flush
	 * leaves code 0 */
	RC_NORM();
	if (!in_tail || ip != ip_end || code != 0)
		return -XEN_EINVAL;
	return 0;
corrupt:
	return -XEN_EINVAL;
}

static uint32_t be16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

#define FAIL(rc_, ...) do { \
	hv_snprintf(why, why_len, __VA_ARGS__); \
	return rc_; \
} while (0)

int xz_lzma2_decode(const uint8_t *in, size_t in_len, size_t *in_used, uint8_t *out,
		    size_t *out_pos, size_t out_cap, void *work, char *why, size_t why_len)
{
	struct lzma_dec *s = work;
	size_t ip = 0, pos = *out_pos, dict = pos;
	bool need_dict_reset = true, need_props = true;

	for (;;) {
		size_t chunk = ip, usize, csize;
		uint8_t c;

		if (ip >= in_len)
			FAIL(-XEN_EINVAL, "LZMA2 data truncated at +%zu", ip);
		c = in[ip++];
		if (c == 0)
			break;
		if (c >= 0xe0 || c == 0x01) {
			/* a dictionary reset: the next LZMA chunk must set properties */
			need_props = true;
			need_dict_reset = false;
			dict = pos;
		} else if (need_dict_reset) {
			FAIL(-XEN_EINVAL, "LZMA2 chunk at +%zu: the first chunk does not reset the dictionary", chunk);
		}
		if (c < 0x80) {
			if (c > 0x02)
				FAIL(-XEN_EINVAL, "LZMA2 chunk at +%zu: bad control byte %#x", chunk, c);
			if (in_len - ip < 2)
				FAIL(-XEN_EINVAL, "LZMA2 data truncated at +%zu", chunk);
			usize = be16(in + ip) + 1;
			ip += 2;
			if (usize > in_len - ip)
				FAIL(-XEN_EINVAL, "LZMA2 stored chunk at +%zu truncated", chunk);
			if (usize > out_cap - pos)
				FAIL(-XEN_E2BIG, "LZMA2 output passes the %zu-byte buffer", out_cap);
			memcpy(out + pos, in + ip, usize);
			ip += usize;
			pos += usize;
			continue;
		}
		if (in_len - ip < 4)
			FAIL(-XEN_EINVAL, "LZMA2 data truncated at +%zu", chunk);
		usize = ((size_t)(c & 0x1f) << 16) + be16(in + ip) + 1;
		csize = be16(in + ip + 2) + 1;
		ip += 4;
		if (c >= 0xc0) {
			if (ip >= in_len)
				FAIL(-XEN_EINVAL, "LZMA2 data truncated at +%zu", chunk);
			if (!lzma_props(s, in[ip]))
				FAIL(-XEN_EOPNOTSUPP, "LZMA2 chunk at +%zu: bad properties byte %#x", chunk, in[ip]);
			ip++;
			need_props = false;
			lzma_reset(s);
		} else if (need_props) {
			FAIL(-XEN_EINVAL, "LZMA2 chunk at +%zu: no properties after a dictionary reset", chunk);
		} else if (c >= 0xa0) {
			lzma_reset(s);
		}
		if (csize > in_len - ip)
			FAIL(-XEN_EINVAL, "LZMA2 chunk at +%zu truncated", chunk);
		if (usize > out_cap - pos)
			FAIL(-XEN_E2BIG, "LZMA2 output passes the %zu-byte buffer", out_cap);
		if (lzma_chunk(s, in + ip, csize, out + dict, pos - dict, pos - dict + usize, out_cap - pos))
			FAIL(-XEN_EINVAL, "LZMA2 chunk at +%zu: corrupt LZMA data", chunk);
		ip += csize;
		pos += usize;
	}
	*in_used = ip;
	*out_pos = pos;
	return 0;
}
