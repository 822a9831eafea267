/*
 * zstd frames and blocks (unzstd.h; RFC 8878 sections 3.1 and 3.1.1).
 *
 * A frame is a header (flags, window size, dictionary id, content size),
 * blocks (raw, one byte repeated, or compressed: literals then
 * sequences, unzstd_lit.c and unzstd_seq.c), and optionally the low 32
 * bits of the XXH64 of its content. Frames do not refer to each other:
 * the entropy tables and repeat offsets start afresh with each, and a
 * match may not reach before the frame's first byte. Skippable frames
 * (a magic and a length) are passed over.
 */
#include "unzstd_priv.h"

#define FRAME_MAGIC    0xfd2fb528u
#define SKIP_MAGIC     0x184d2a50u    /* the low 4 bits are free */
#define WINDOW_LOG_MAX 31

int zs_bad(const struct zstd_dec *d, const uint8_t *at, const char *what)
{
	hv_snprintf(d->why, d->why_len, "zstd %s at input offset %zu", what, (size_t)(at - d->base));
	return -XEN_EINVAL;
}

int zs_too_big(const struct zstd_dec *d, const uint8_t *at)
{
	hv_snprintf(d->why, d->why_len, "zstd stream unpacks to more than %zu bytes (at input offset %zu)",
		    d->out_cap, (size_t)(at - d->base));
	return -XEN_E2BIG;
}

static uint64_t le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* XXH64 with seed 0 (the frame checksum); the words are little-endian, as x86 loads them. */
#define P1 0x9e3779b185ebca87ull
#define P2 0xc2b2ae3d27d4eb4full
#define P3 0x165667b19e3779f9ull
#define P4 0x85ebca77c2b2ae63ull
#define P5 0x27d4eb2f165667c5ull

static uint64_t rotl(uint64_t x, unsigned r)
{
	return x << r | x >> (64 - r);
}

static uint64_t xxh_round(uint64_t acc, uint64_t in)
{
	return rotl(acc + in * P2, 31) * P1;
}

static uint64_t xxh64(const uint8_t *p, size_t n)
{
	const uint8_t *end = p + n;
	uint64_t h = P5;

	if (n >= 32) {
		uint64_t v[4] = { P1 + P2, P2, 0, -P1 };
		for (; end - p >= 32; p += 32)
			for (int i = 0; i < 4; i++)
				v[i] = xxh_round(v[i], load64(p + 8 * i));
		h = rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18);
		for (int i = 0; i < 4; i++)
			h = (h ^ xxh_round(0, v[i])) * P1 + P4;
	}
	h += n;
	for (; end - p >= 8; p += 8)
		h = rotl(h ^ xxh_round(0, load64(p)), 27) * P1 + P4;
	if (end - p >= 4) {
		h = rotl(h ^ le(p, 4) * P1, 23) * P2 + P3;
		p += 4;
	}
	while (p < end)
		h = rotl(h ^ *p++ * P5, 11) * P1;
	h = (h ^ h >> 33) * P2;
	h = (h ^ h >> 29) * P3;
	return h ^ h >> 32;
}

/* One block at *p (its header read), into *op; *last set if it ends the frame. */
static int block(struct zstd_dec *d, const uint8_t **p, const uint8_t *end, uint8_t *frame, uint8_t **op,
		 uint8_t *oend, bool *last)
{
	const uint8_t *b = *p;
	uint32_t head = (uint32_t)le(b, 3);
	unsigned type = head >> 1 & 3;
	size_t size = head >> 3, in_size = type == 1 ? 1 : size, used;
	uint8_t *start = *op;
	int rc;

	*last = head & 1;
	b += 3;
	if (type == 3)
		return zs_bad(d, *p, "block of the reserved type");
	if (size > ZS_BLOCK_MAX || (type == 2 && size == 0))
		return zs_bad(d, *p, "block empty or above 128 KiB");
	if (in_size > (size_t)(end - b))
		return zs_bad(d, *p, "block runs past the end of the input: truncated?");
	if (type < 2 && size > (size_t)(oend - *op))
		return zs_too_big(d, *p);
	if (type == 0) {
		zs_copy(*op, b, size);
		*op += size;
	} else if (type == 1) {
		for (uint64_t v = 0x0101010101010101ull * b[0]; size >= 8; size -= 8, *op += 8)
			store64(*op, v);
		while (size--)
			*(*op)++ = b[0];
	} else {
		rc = zs_literals(d, b, size, oend, (size_t)(oend - *op), &used);
		if (!rc)
			rc = zs_sequences(d, b + used, size - used, frame, op, oend);
		if (rc)
			return rc;
		if ((size_t)(*op - start) > ZS_BLOCK_MAX)
			return zs_bad(d, *p, "block decodes to more than 128 KiB");
	}
	*p = b + in_size;
	return 0;
}

/* The frame at in + *pos (its magic checked) into out + *done; both advanced past it. */
static int frame(struct zstd_dec *d, const uint8_t *in, size_t len, uint8_t *out, size_t *pos, size_t *done)
{
	const uint8_t *f = in + *pos, *p = f + 4, *end = in + len;
	uint8_t *start = out + *done, *op = start, *oend = out + d->out_cap;
	unsigned fhd, dict_len, fcs_len;
	uint64_t fcs;
	bool last = false;
	int rc;

	if (p == end)
		return zs_bad(d, f, "frame header cut short");
	fhd = *p++;
	dict_len = (fhd & 3) == 3 ? 4 : fhd & 3;
	fcs_len = fhd >> 6 ? 1u << (fhd >> 6) : fhd >> 5 & 1;
	if (fhd & 8)
		return zs_bad(d, f, "frame header's reserved bit set");
	if ((size_t)(end - p) < !(fhd & 32) + dict_len + fcs_len)
		return zs_bad(d, f, "frame header cut short");
	if (!(fhd & 32)) {
		/* not single-segment: a window descriptor, of no use with one output buffer */
		if (10 + (*p >> 3) > WINDOW_LOG_MAX) {
			hv_snprintf(d->why, d->why_len, "zstd frame at input offset %zu has a window of 2^%u bytes (2^%u at most)",
				    *pos, 10 + (*p >> 3), WINDOW_LOG_MAX);
			return -XEN_EOPNOTSUPP;
		}
		p++;
	}
	if (le(p, dict_len)) {
		hv_snprintf(d->why, d->why_len, "zstd frame at input offset %zu needs dictionary %#x: not supported",
			    *pos, (unsigned)le(p, dict_len));
		return -XEN_EOPNOTSUPP;
	}
	p += dict_len;
	fcs = le(p, fcs_len) + (fcs_len == 2 ? 256 : 0);
	p += fcs_len;
	if (fcs_len && fcs > (uint64_t)(oend - op))
		return zs_too_big(d, f);
	d->huf_bits = 0;
	d->ll.ready = d->of.ready = d->ml.ready = false;
	d->rep[0] = 1;
	d->rep[1] = 4;
	d->rep[2] = 8;
	while (!last) {
		if (end - p < 3)
			return zs_bad(d, p, "block header cut short: truncated?");
		rc = block(d, &p, end, start, &op, oend, &last);
		if (rc)
			return rc;
	}
	if (fcs_len && (uint64_t)(op - start) != fcs)
		return zs_bad(d, f, "frame's content is not the size its header says");
	if (fhd & 4) {
		if (end - p < 4)
			return zs_bad(d, p, "content checksum cut short");
		if ((uint32_t)xxh64(start, (size_t)(op - start)) != (uint32_t)le(p, 4))
			return zs_bad(d, p, "content checksum mismatch");
		p += 4;
	}
	*pos = (size_t)(p - in);
	*done += (size_t)(op - start);
	return 0;
}

int unzstd(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len,
	   void *work, char *why, size_t why_len)
{
	struct zstd_dec *d = work;
	size_t pos = 0, done = 0;
	int rc;

	*out_len = 0;
	d->base = in;
	d->why = why;
	d->why_len = why_len;
	d->out_cap = out_cap;
	if (in_len < 4 || (le(in, 4) != FRAME_MAGIC && (le(in, 4) & ~0xfu) != SKIP_MAGIC)) {
		hv_snprintf(why, why_len, "not a zstd stream (no frame magic 0x%x)", FRAME_MAGIC);
		return -XEN_ENOEXEC;
	}
	while (pos < in_len) {
		uint32_t magic = in_len - pos < 4 ? 0 : (uint32_t)le(in + pos, 4);
		if ((magic & ~0xfu) == SKIP_MAGIC) {
			if (in_len - pos < 8 || le(in + pos + 4, 4) > in_len - pos - 8)
				return zs_bad(d, in + pos, "skippable frame runs past the end of the input");
			pos += 8 + le(in + pos + 4, 4);
			continue;
		}
		if (magic != FRAME_MAGIC)
			return zs_bad(d, in + pos, "bytes after the last frame (no frame magic)");
		rc = frame(d, in, in_len, out, &pos, &done);
		if (rc)
			return rc;
	}
	*out_len = done;
	return 0;
}
