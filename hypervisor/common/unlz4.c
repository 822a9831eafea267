/*
 * LZ4 legacy-frame decoder (unlz4.h). The block format: sequences of a
 * token (literal count in the high nibble, match length - 4 in the low
 * one; 15 means more length bytes follow, each added, until one below
 * 255), the literals, a 2-byte little-endian match offset and the match.
 * The block's last sequence has literals only: the block ends right after
 * them. Every length is checked against what is left of the block's
 * input and of the output before anything is copied.
 */
#include <unlz4.h>
#include <public/errno.h>

#define LEGACY_MAGIC    0x184c2102u
#define MIN_MATCH       4
/* LZ4's worst case for 8 MiB of input: n + n / 255 + 16. */
#define BLOCK_IN_MAX    (UNLZ4_BLOCK_MAX + UNLZ4_BLOCK_MAX / 255 + 16)

struct lz4_in {
	const uint8_t *base;           /* the whole stream, for offsets in messages */
	size_t out_cap;
	bool room_is_block_cap;        /* this block's room ends at 8 MiB, not at out_cap */
	char *why;
	size_t why_len;
};

static int bad(const struct lz4_in *s, const uint8_t *at, const char *what)
{
	hv_snprintf(s->why, s->why_len, "lz4 %s at input offset %zu", what, (size_t)(at - s->base));
	return -XEN_EINVAL;
}

/* Output past the room: a block above the format's 8 MiB, or too much in all. */
static int too_much(const struct lz4_in *s, const uint8_t *at)
{
	if (s->room_is_block_cap)
		return bad(s, at, "block unpacks to more than 8 MiB");
	hv_snprintf(s->why, s->why_len, "lz4 stream unpacks to more than %zu bytes (at input offset %zu)",
		    s->out_cap, (size_t)(at - s->base));
	return -XEN_E2BIG;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A length continued in extra bytes; false if they run past end. */
static bool more_length(const uint8_t **ip, const uint8_t *end, size_t *len)
{
	uint8_t b;

	do {
		if (*ip == end)
			return false;
		b = *(*ip)++;
		*len += b;
	} while (b == 255);
	return true;
}

/* The match may overlap its own output (offset < length): copy forwards. */
static void copy_match(uint8_t *op, size_t offset, size_t len)
{
	const uint8_t *m = op - offset;

	if (offset >= 8) {
		for (; len >= 8; len -= 8, op += 8, m += 8)
			store64(op, load64(m));
	}
	while (len--)
		*op++ = *m++;
}

/* One block in[0, len) into out[0, room); *produced on success. */
static int block(const struct lz4_in *s, const uint8_t *ip, size_t len, uint8_t *out, size_t room,
		 size_t *produced)
{
	const uint8_t *end = ip + len;
	uint8_t *op = out, *oend = out + room;

	for (;;) {
		const uint8_t *seq = ip;
		uint8_t token = *ip++;
		size_t lit = token >> 4, mlen = token & 15;

		if (lit == 15 && !more_length(&ip, end, &lit))
			return bad(s, seq, "literal length runs past its block");
		if (lit > (size_t)(end - ip))
			return bad(s, seq, "literals run past their block");
		if (lit > (size_t)(oend - op))
			return too_much(s, seq);
		memcpy(op, ip, lit);
		op += lit;
		ip += lit;
		if (ip == end)
			break;                  /* the last sequence: literals only */
		if (end - ip < 2)
			return bad(s, ip, "match offset cut short");
		size_t offset = (size_t)ip[0] | (size_t)ip[1] << 8;
		ip += 2;
		/* 0 is invalid by the format; liblz4 and Linux let it through */
		if (offset == 0)
			return bad(s, ip - 2, "match offset 0");
		if (offset > (size_t)(op - out))
			return bad(s, ip - 2, "match offset before the block");
		if (mlen == 15 && !more_length(&ip, end, &mlen))
			return bad(s, seq, "match length runs past its block");
		mlen += MIN_MATCH;
		if (mlen > (size_t)(oend - op))
			return too_much(s, seq);
		copy_match(op, offset, mlen);
		op += mlen;
		if (ip == end)
			return bad(s, ip, "block ends with a match, not literals");
	}
	*produced = (size_t)(op - out);
	return 0;
}

int unlz4(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len,
	  char *why, size_t why_len)
{
	struct lz4_in s = { .base = in, .out_cap = out_cap, .why = why, .why_len = why_len };
	size_t pos = 4, done = 0;

	*out_len = 0;
	if (in_len < 4 || le32(in) != LEGACY_MAGIC) {
		hv_snprintf(why, why_len, "not an lz4 stream in the legacy format (no magic 0x%x)", LEGACY_MAGIC);
		return -XEN_ENOEXEC;
	}
	while (pos < in_len) {
		if (in_len - pos < 4)
			return bad(&s, in + pos, "block size cut short");
		uint32_t size = le32(in + pos);
		pos += 4;
		if (size == LEGACY_MAGIC)
			continue;               /* a concatenated stream starts */
		if (size == 0 || size > BLOCK_IN_MAX)
			return bad(&s, in + pos - 4, "block size 0 or above the format's bound");
		if (size > in_len - pos)
			return bad(&s, in + pos - 4, "block runs past the end of the input: truncated?");
		size_t room = MIN(out_cap - done, (size_t)UNLZ4_BLOCK_MAX), n = 0;
		s.room_is_block_cap = out_cap - done > UNLZ4_BLOCK_MAX;
		int rc = block(&s, in + pos, size, out + done, room, &n);
		if (rc)
			return rc;
		done += n;
		pos += size;
	}
	*out_len = done;
	return 0;
}
