/*
 * gzip (RFC 1952) around DEFLATE (RFC 1951), decoded into one buffer
 * (gunzip.h), for bzImage kernels built with gzip.
 *
 * Huffman codes are canonical, so a code is decoded from the number of
 * codes of each length and the symbols in code order, one bit at a time;
 * codes of up to FAST_BITS bits (nearly all of them) are first looked up
 * in a table indexed by the next FAST_BITS input bits. Every length, distance and
 * count from the stream is checked before use: a back-reference may not
 * reach before the start of the output, output may not pass out_cap, and
 * the bit reader stops at the end of the input.
 */
#include <crc.h>
#include <gunzip.h>
#include <public/errno.h>

#define MAX_BITS    15
#define NR_LITLEN   288     /* 286 and 287 are never valid */
#define NR_DIST     32      /* 30 and 31 are never valid */

#define FAST_BITS   9

struct huff {
	uint16_t count[MAX_BITS + 1];   /* codes of each length */
	uint16_t symbol[NR_LITLEN];     /* symbols in canonical order */
	uint16_t fast[1 << FAST_BITS];  /* next bits -> symbol << 4 | length; 0: longer code */
};

struct inflate {
	const uint8_t *in;
	size_t in_len, pos;
	uint64_t bits;
	unsigned nbits;
	uint8_t *out;
	size_t out_cap, out_pos;
	bool short_input;
};

/* Take n (<= 16) bits; past the end of the input, zeros (and the stream fails). */
static inline uint32_t get_bits(struct inflate *s, unsigned n)
{
	uint32_t v;

	while (s->nbits < n) {
		if (s->pos < s->in_len)
			s->bits |= (uint64_t)s->in[s->pos++] << s->nbits;
		else
			s->short_input = true;
		s->nbits += 8;
	}
	v = (uint32_t)(s->bits & ((1u << n) - 1));
	s->bits >>= n;
	s->nbits -= n;
	return v;
}

/* Build a code from the lengths of n symbols; false if over-subscribed. */
static bool build(struct huff *h, const uint8_t *len, unsigned n)
{
	uint16_t offs[MAX_BITS + 2];
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (unsigned i = 0; i < n; i++)
		h->count[len[i]]++;
	for (unsigned l = 1; l <= MAX_BITS; l++) {
		left = (left << 1) - h->count[l];
		if (left < 0)
			return false;
	}
	offs[1] = 0;
	for (unsigned l = 1; l <= MAX_BITS; l++)
		offs[l + 1] = (uint16_t)(offs[l] + h->count[l]);
	for (unsigned i = 0; i < n; i++)
		if (len[i])
			h->symbol[offs[len[i]]++] = (uint16_t)i;
	/*
	 * The short codes' table. Codes of one length are consecutive numbers,
	 * sent most significant bit first; the input is read least significant
	 * bit first, so each code is entered bit-reversed, at every index whose
	 * low bits it is.
	 */
	memset(h->fast, 0, sizeof(h->fast));
	unsigned code = 0, index = 0;
	for (unsigned l = 1; l <= FAST_BITS; l++) {
		for (unsigned k = 0; k < h->count[l]; k++) {
			unsigned c = code + k, rev = 0;
			for (unsigned b = 0; b < l; b++)
				rev |= ((c >> b) & 1) << (l - 1 - b);
			for (unsigned j = rev; j < (1u << FAST_BITS); j += 1u << l)
				h->fast[j] = (uint16_t)(h->symbol[index + k] << 4 | l);
		}
		index += h->count[l];
		code = (code + h->count[l]) << 1;
	}
	return true;
}

/* One symbol, or -1 for a code the table does not have (incomplete codes). */
static int decode(struct inflate *s, const struct huff *h)
{
	int code = 0, first = 0, index = 0;

	/* whole bytes while they last; near the end, bit by bit below */
	while (s->nbits <= 56 && s->pos < s->in_len) {
		s->bits |= (uint64_t)s->in[s->pos++] << s->nbits;
		s->nbits += 8;
	}
	if (s->nbits >= FAST_BITS) {
		unsigned e = h->fast[s->bits & ((1u << FAST_BITS) - 1)];
		if (e) {
			s->bits >>= e & 15;
			s->nbits -= e & 15;
			return (int)(e >> 4);
		}
	}

	for (unsigned l = 1; l <= MAX_BITS; l++) {
		code |= (int)get_bits(s, 1);
		int count = h->count[l];
		if (code - first < count)
			return h->symbol[index + code - first];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -1;
}

static const uint16_t len_base[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
				       35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
				       3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
					257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
					8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
					7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

/* The symbols of one Huffman-coded block, up to end-of-block. */
static int codes(struct inflate *s, const struct huff *lit, const struct huff *dist)
{
	for (;;) {
		int sym = decode(s, lit);
		if (sym < 0 || s->short_input)
			return -XEN_EINVAL;
		if (sym < 256) {
			if (s->out_pos == s->out_cap)
				return -XEN_E2BIG;
			s->out[s->out_pos++] = (uint8_t)sym;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29)
			return -XEN_EINVAL;
		size_t len = len_base[sym] + get_bits(s, len_extra[sym]);
		int d = decode(s, dist);
		if (d < 0 || d >= 30 || s->short_input)
			return -XEN_EINVAL;
		size_t back = dist_base[d] + get_bits(s, dist_extra[d]);
		if (back > s->out_pos)
			return -XEN_EINVAL;
		if (len > s->out_cap - s->out_pos)
			return -XEN_E2BIG;
		uint8_t *o = s->out + s->out_pos;
		const uint8_t *from = o - back;
		for (size_t i = 0; i < len; i++)
			o[i] = from[i];
		s->out_pos += len;
	}
}

static int stored(struct inflate *s)
{
	size_t len;

	if (s->short_input)
		return -XEN_EINVAL;
	/* to a byte boundary; the bit buffer then holds only whole bytes */
	get_bits(s, s->nbits & 7);
	s->pos -= s->nbits / 8;
	s->bits = 0;
	s->nbits = 0;
	if (s->in_len - s->pos < 4)
		return -XEN_EINVAL;
	len = s->in[s->pos] | (size_t)s->in[s->pos + 1] << 8;
	if ((len ^ 0xffff) != (s->in[s->pos + 2] | (size_t)s->in[s->pos + 3] << 8))
		return -XEN_EINVAL;
	s->pos += 4;
	if (len > s->in_len - s->pos)
		return -XEN_EINVAL;
	if (len > s->out_cap - s->out_pos)
		return -XEN_E2BIG;
	memcpy(s->out + s->out_pos, s->in + s->pos, len);
	s->pos += len;
	s->out_pos += len;
	return 0;
}

static int fixed(struct inflate *s)
{
	static struct huff lit, dist;
	static bool built;

	if (!built) {
		uint8_t l[NR_LITLEN];
		unsigned i = 0;
		for (; i < 144; i++)
			l[i] = 8;
		for (; i < 256; i++)
			l[i] = 9;
		for (; i < 280; i++)
			l[i] = 7;
		for (; i < NR_LITLEN; i++)
			l[i] = 8;
		build(&lit, l, NR_LITLEN);
		memset(l, 5, NR_DIST);
		build(&dist, l, NR_DIST);
		built = true;
	}
	return codes(s, &lit, &dist);
}

static int dynamic(struct inflate *s)
{
	static const uint8_t order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
	uint8_t len[NR_LITLEN + NR_DIST];
	struct huff lencode, lit, dist;
	unsigned nlen = get_bits(s, 5) + 257, ndist = get_bits(s, 5) + 1, ncode = get_bits(s, 4) + 4;
	unsigned i;

	if (nlen > 286 || ndist > 30)
		return -XEN_EINVAL;
	memset(len, 0, sizeof(len));
	for (i = 0; i < ncode; i++)
		len[order[i]] = (uint8_t)get_bits(s, 3);
	if (!build(&lencode, len, 19))
		return -XEN_EINVAL;
	for (i = 0; i < nlen + ndist;) {
		int sym = decode(s, &lencode);
		unsigned rep, val = 0;
		if (sym < 0 || s->short_input)
			return -XEN_EINVAL;
		if (sym < 16) {
			len[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (!i)
				return -XEN_EINVAL;    /* nothing to repeat */
			val = len[i - 1];
			rep = 3 + get_bits(s, 2);
		} else if (sym == 17) {
			rep = 3 + get_bits(s, 3);
		} else {
			rep = 11 + get_bits(s, 7);
		}
		if (rep > nlen + ndist - i)
			return -XEN_EINVAL;
		while (rep--)
			len[i++] = (uint8_t)val;
	}
	if (!len[256])
		return -XEN_EINVAL;                    /* no end-of-block code */
	if (!build(&lit, len, nlen) || !build(&dist, len + nlen, ndist))
		return -XEN_EINVAL;
	return codes(s, &lit, &dist);
}

#define FAIL(rc_, ...) do { \
	hv_snprintf(why, why_len, __VA_ARGS__); \
	return rc_; \
} while (0)

int gunzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len,
	   char *why, size_t why_len)
{
	struct inflate s = { .in = in, .in_len = in_len, .out = out, .out_cap = out_cap };
	size_t p = 10;
	uint8_t flg;
	unsigned last;
	int rc;

	*out_len = 0;
	if (in_len < 2 || in[0] != 0x1f || in[1] != 0x8b)
		FAIL(-XEN_ENOEXEC, "not a gzip stream (no magic)");
	if (in_len < 18)
		FAIL(-XEN_EINVAL, "gzip stream truncated in its header");
	if (in[2] != 8)
		FAIL(-XEN_EOPNOTSUPP, "gzip method %u is not deflate", in[2]);
	flg = in[3];
	if (flg & 0xe0)
		FAIL(-XEN_EOPNOTSUPP, "gzip header: reserved flags %#x", flg);
	if (flg & 0x04) {                       /* FEXTRA */
		size_t xlen = in[p] | (size_t)in[p + 1] << 8;
		if (xlen > in_len - p - 2)
			FAIL(-XEN_EINVAL, "gzip header: extra field runs past the end");
		p += 2 + xlen;
	}
	for (unsigned f = 0x08; f <= 0x10; f <<= 1) {   /* FNAME, FCOMMENT: NUL-terminated */
		if (!(flg & f))
			continue;
		while (p < in_len && in[p])
			p++;
		if (p++ >= in_len)
			FAIL(-XEN_EINVAL, "gzip header: unterminated name or comment");
	}
	if (flg & 0x02)                         /* FHCRC */
		p += 2;
	if (p > in_len)
		FAIL(-XEN_EINVAL, "gzip header runs past the end");
	s.pos = p;
	do {
		last = get_bits(&s, 1);
		switch (get_bits(&s, 2)) {
		case 0:
			rc = stored(&s);
			break;
		case 1:
			rc = fixed(&s);
			break;
		case 2:
			rc = dynamic(&s);
			break;
		default:
			rc = -XEN_EINVAL;
			break;
		}
		if (!rc && s.short_input)
			rc = -XEN_EINVAL;
		if (rc == -XEN_E2BIG)
			FAIL(rc, "gzip data decodes to more than %zu bytes", out_cap);
		if (rc)
			FAIL(rc, "gzip data corrupt or truncated near byte %zu", s.pos);
	} while (!last);
	/* the trailer starts at the first whole byte not yet used */
	p = s.pos - s.nbits / 8;
	if (in_len - p != 8)
		FAIL(-XEN_EINVAL, "gzip trailer: %zu bytes after the data, 8 expected", in_len - p);
	uint32_t crc = in[p] | (uint32_t)in[p + 1] << 8 | (uint32_t)in[p + 2] << 16 | (uint32_t)in[p + 3] << 24;
	uint32_t isize = in[p + 4] | (uint32_t)in[p + 5] << 8 | (uint32_t)in[p + 6] << 16 |
			 (uint32_t)in[p + 7] << 24;
	if (isize != (uint32_t)s.out_pos)
		FAIL(-XEN_EINVAL, "gzip trailer: size %u, decoded %zu", isize, s.out_pos);
	if (crc != crc32(out, s.out_pos, 0))
		FAIL(-XEN_EINVAL, "gzip trailer: CRC32 mismatch (damaged data)");
	*out_len = s.out_pos;
	return 0;
}
