/*
 * zstd's entropy tables and the literals section of a compressed block
 * (unzstd_priv.h; RFC 8878 sections 3.1.1.3.1 and 4).
 *
 * FSE: a table description gives each symbol a share ("normalized count")
 * of 1 << log states; the states are dealt to the symbols in a fixed
 * order, and each state says how many bits to read for the next one.
 * Huffman: the description gives each symbol a weight (the last one's is
 * implied), codes are assigned by weight and symbol, and one table indexed
 * by the next max-code-length bits decodes a symbol per lookup.
 */
#include "unzstd_priv.h"

#define HUF_WEIGHT_LOG 6             /* most accuracy of the weights' FSE table */
#define HUF_SYMBOLS    256

static unsigned high_bit(uint32_t v)
{
	return 31 - (unsigned)__builtin_clz(v);
}

/* Forward bits [*bit, *bit + n) of in[0, len), least significant first; zeros past the end. */
static unsigned fwd_bits(const uint8_t *in, size_t len, size_t *bit, unsigned n)
{
	unsigned v = 0;

	for (unsigned i = 0; i < n; i++) {
		size_t b = *bit + i;
		if (b / 8 < len)
			v |= (unsigned)(in[b / 8] >> (b % 8) & 1) << i;
	}
	*bit += n;
	return v;
}

/*
 * Deal the states of a table of 1 << log cells to symbols 0..nsym-1 by
 * their normalized counts (-1: a share below one state, given one cell at
 * the top), then derive each cell's bit count and next-state baseline.
 */
int zs_fse_build(struct zstd_dec *d, struct zs_fse *t, const int16_t *norm, unsigned nsym, unsigned log,
		 const uint32_t *base, const uint8_t *extra, const uint8_t *at)
{
	unsigned size = 1u << log, step = (size >> 1) + (size >> 3) + 3, pos = 0;
	int high = (int)size - 1;
	uint16_t next[ZS_FSE_SYMBOLS];
	uint8_t sym[ZS_FSE_CELLS];

	for (unsigned s = 0; s < nsym; s++) {
		if (norm[s] == -1) {
			sym[high--] = (uint8_t)s;
			next[s] = 1;
		} else {
			next[s] = (uint16_t)norm[s];
		}
	}
	for (unsigned s = 0; s < nsym; s++)
		for (int i = 0; i < norm[s]; i++) {
			sym[pos] = (uint8_t)s;
			do
				pos = (pos + step) & (size - 1);
			while ((int)pos > high);
		}
	if (pos != 0)
		return zs_bad(d, at, "FSE table description does not fill its table");
	for (unsigned u = 0; u < size; u++) {
		unsigned s = sym[u], n = next[s]++;
		struct zs_cell *c = &t->cell[u];
		c->nb = (uint8_t)(log - high_bit(n));
		c->next = (uint16_t)((n << c->nb) - size);
		c->base = base ? base[s] : s;
		c->extra = extra ? extra[s] : 0;
	}
	t->log = log;
	t->ready = true;
	return 0;
}

/*
 * A table description in in[0, len): accuracy log, then each symbol's
 * count in as few bits as the states still unassigned allow, a zero count
 * followed by 2-bit repeat flags for more zeros. *used: its size in bytes.
 */
int zs_fse_read(struct zstd_dec *d, struct zs_fse *t, const uint8_t *in, size_t len, unsigned max_sym,
		unsigned max_log, const uint32_t *base, const uint8_t *extra, size_t *used)
{
	int16_t norm[ZS_FSE_SYMBOLS];
	size_t bit = 0;
	unsigned log = fwd_bits(in, len, &bit, 4) + 5, s = 0, nb;
	int remaining, threshold;

	if (log > max_log)
		return zs_bad(d, in, "FSE accuracy log too large");
	remaining = (1 << log) + 1;
	threshold = 1 << log;
	nb = log + 1;
	while (remaining > 1) {
		if (bit > len * 8)
			return zs_bad(d, in, "FSE table description cut short");
		if (s > max_sym)
			return zs_bad(d, in, "FSE table description has too many symbols");
		int max = 2 * threshold - 1 - remaining;
		size_t at = bit;
		int v = (int)fwd_bits(in, len, &at, nb);
		if ((v & (threshold - 1)) < max) {
			v &= threshold - 1;
			bit += nb - 1;
		} else {
			v &= 2 * threshold - 1;
			if (v >= threshold)
				v -= max;
			bit += nb;
		}
		int count = v - 1;
		remaining -= count < 0 ? -count : count;
		norm[s++] = (int16_t)count;
		if (count == 0) {
			unsigned r;
			do {
				r = fwd_bits(in, len, &bit, 2);
				if (s + r > max_sym + 1)
					return zs_bad(d, in, "FSE table description has too many symbols");
				for (unsigned k = 0; k < r; k++)
					norm[s++] = 0;
			} while (r == 3);
		}
		if (remaining < 1)
			return zs_bad(d, in, "FSE table description overflows its table");
		while (remaining < threshold) {
			nb--;
			threshold >>= 1;
		}
	}
	if (remaining != 1 || bit > len * 8)
		return zs_bad(d, in, "FSE table description cut short");
	*used = (bit + 7) / 8;
	return zs_fse_build(d, t, norm, s, log, base, extra, in);
}

/* The weights of a Huffman description at in[0, len) (the last symbol's is implied). */
static int huf_weights(struct zstd_dec *d, const uint8_t *in, size_t len, uint8_t *w, unsigned *n,
		       size_t *used)
{
	unsigned head = in[0], count = 0;
	struct zs_fse *t = &d->tmp;
	struct zs_bits b;
	size_t hlen;
	int rc;

	if (head >= 128) {
		/* direct: 4 bits a weight */
		count = head - 127;
		if ((count + 1) / 2 > len - 1)
			return zs_bad(d, in, "Huffman weights run past their literals");
		for (unsigned i = 0; i < count; i++)
			w[i] = i & 1 ? in[1 + i / 2] & 15 : in[1 + i / 2] >> 4;
		*used = 1 + (count + 1) / 2;
		*n = count;
		return 0;
	}
	/* FSE-compressed: two states taking turns until the bits run out */
	if (head == 0 || head > len - 1)
		return zs_bad(d, in, "Huffman weights run past their literals");
	/* any byte may have a share, as long as only weights up to 11 are decoded */
	rc = zs_fse_read(d, t, in + 1, head, ZS_FSE_SYMBOLS - 1, HUF_WEIGHT_LOG, NULL, NULL, &hlen);
	if (rc)
		return rc;
	if (hlen >= head || !zs_bits_open(&b, in + 1 + hlen, head - hlen))
		return zs_bad(d, in, "Huffman weights' bit stream missing or without its end mark");
	unsigned st[2];
	st[0] = (unsigned)zs_read(&b, t->log);
	st[1] = (unsigned)zs_read(&b, t->log);
	if (b.pos < 0)
		return zs_bad(d, in, "Huffman weights' bit stream cut short");
	for (unsigned k = 0;; k ^= 1) {
		const struct zs_cell *c = &t->cell[st[k]];
		if (count >= HUF_SYMBOLS - 1)
			return zs_bad(d, in, "more than 255 Huffman weights");
		w[count++] = (uint8_t)c->base;
		st[k] = c->next + (unsigned)zs_read(&b, c->nb);
		if (b.pos < 0) {
			if (count >= HUF_SYMBOLS - 1)
				return zs_bad(d, in, "more than 255 Huffman weights");
			w[count++] = (uint8_t)t->cell[st[k ^ 1]].base;
			break;
		}
	}
	*used = 1 + head;
	*n = count;
	return 0;
}

/* Codes by increasing weight, then symbol: table cells in that order. */
static int huf_build(struct zstd_dec *d, uint8_t *w, unsigned n, const uint8_t *at)
{
	uint32_t total = 0, rest;
	unsigned bits, pos = 0;

	for (unsigned i = 0; i < n; i++) {
		if (w[i] > ZS_HUF_BITS)
			return zs_bad(d, at, "Huffman weight above 11 (codes of at most 11 bits)");
		if (w[i])
			total += 1u << (w[i] - 1);
	}
	if (!total)
		return zs_bad(d, at, "Huffman weights all zero");
	bits = high_bit(total) + 1;
	rest = (1u << bits) - total;
	if (bits > ZS_HUF_BITS || (rest & (rest - 1)))
		return zs_bad(d, at, "Huffman weights do not make a complete code of at most 11 bits");
	w[n] = (uint8_t)(high_bit(rest) + 1);
	for (unsigned wt = 1; wt <= bits; wt++)
		for (unsigned s = 0; s <= n; s++)
			if (w[s] == wt)
				for (unsigned k = 0; k < 1u << (wt - 1); k++)
					d->huf[pos++] = (struct zs_huf_cell){ (uint8_t)s, (uint8_t)(bits + 1 - wt) };
	d->huf_bits = bits;
	return 0;
}

/* One Huffman stream in[0, len) to o[0, n): it must end exactly with the n-th symbol. */
static int huf_stream(struct zstd_dec *d, const uint8_t *in, size_t len, uint8_t *o, size_t n)
{
	const struct zs_huf_cell *t = d->huf;
	unsigned bits = d->huf_bits;
	struct zs_bits b;

	if (!zs_bits_open(&b, in, len))
		return zs_bad(d, in, "Huffman stream empty or without its end mark");
	for (size_t i = 0; i < n; i++) {
		const struct zs_huf_cell *c = &t[zs_peek(&b, b.pos - bits, bits)];
		o[i] = c->sym;
		b.pos -= c->nb;
	}
	if (b.pos != 0)
		return zs_bad(d, in, "Huffman stream does not end with its literals");
	return 0;
}

/* 1 or 4 Huffman streams in[0, len) to o[0, n). */
static int huf_streams(struct zstd_dec *d, const uint8_t *in, size_t len, uint8_t *o, size_t n, bool four)
{
	size_t size[4], seg = (n + 3) / 4, done = 0;
	int rc;

	if (!four)
		return huf_stream(d, in, len, o, n);
	if (len < 6 || 3 * seg > n)
		return zs_bad(d, in, "4-stream literals too short");
	size[3] = len - 6;
	for (int i = 0; i < 3; i++) {
		size[i] = (size_t)in[2 * i] | (size_t)in[2 * i + 1] << 8;
		if (size[i] > size[3])
			return zs_bad(d, in, "4-stream literals' jump table past their end");
		size[3] -= size[i];
	}
	in += 6;
	for (int i = 0; i < 4; i++) {
		rc = huf_stream(d, in, size[i], o + done, i < 3 ? seg : n - done);
		if (rc)
			return rc;
		in += size[i];
		done += seg;
	}
	return 0;
}

/*
 * The literals section at in[0, len): raw ones are left in the input;
 * others are written to the room's end, [tail_end - n, tail_end), which
 * the sequences then copy downwards from (unzstd_seq.c).
 */
int zs_literals(struct zstd_dec *d, const uint8_t *in, size_t len, uint8_t *tail_end, size_t room,
		size_t *used)
{
	unsigned type = in[0] & 3, sf = in[0] >> 2 & 3, fbits;
	size_t hsize, n, csize, wlen = 0;
	uint64_t v = 0;
	uint8_t w[HUF_SYMBOLS];
	int rc;

	if (type < 2) {
		hsize = sf == 1 ? 2 : sf == 3 ? 3 : 1;
		if (hsize >= len)
			return zs_bad(d, in, "literals header cut short");
		n = sf == 1 ? (size_t)(in[0] >> 4) | (size_t)in[1] << 4 :
		    sf == 3 ? (size_t)(in[0] >> 4) | (size_t)in[1] << 4 | (size_t)in[2] << 12 : (size_t)in[0] >> 3;
		csize = type == 0 ? n : 1;
		if (csize > len - hsize)
			return zs_bad(d, in, "literals run past their block");
		if (n > ZS_BLOCK_MAX)
			return zs_bad(d, in, "literals above 128 KiB");
		if (type == 0) {
			d->lit = in + hsize;
		} else {
			if (n > room)
				return zs_too_big(d, in);
			memset(tail_end - n, in[hsize], n);
			d->lit = tail_end - n;
		}
		d->nlit = n;
		*used = hsize + csize;
		return 0;
	}
	hsize = sf < 2 ? 3 : sf + 2;
	fbits = sf < 2 ? 10 : sf == 2 ? 14 : 18;
	if (hsize > len)
		return zs_bad(d, in, "literals header cut short");
	for (size_t i = 0; i < hsize; i++)
		v |= (uint64_t)in[i] << (8 * i);
	n = v >> 4 & ((1u << fbits) - 1);
	csize = v >> (4 + fbits) & ((1u << fbits) - 1);
	if (csize > len - hsize)
		return zs_bad(d, in, "compressed literals run past their block");
	if (n > ZS_BLOCK_MAX)
		return zs_bad(d, in, "literals above 128 KiB");
	if (n > room)
		return zs_too_big(d, in);
	if (type == 2) {
		unsigned nw;
		if (!csize)
			return zs_bad(d, in, "Huffman table description missing");
		rc = huf_weights(d, in + hsize, csize, w, &nw, &wlen);
		if (!rc)
			rc = huf_build(d, w, nw, in + hsize);
		if (rc)
			return rc;
	} else if (!d->huf_bits) {
		return zs_bad(d, in, "literals reuse a Huffman table before any");
	}
	rc = huf_streams(d, in + hsize + wlen, csize - wlen, tail_end - n, n, sf != 0);
	if (rc)
		return rc;
	d->lit = tail_end - n;
	d->nlit = n;
	*used = hsize + csize;
	return 0;
}
