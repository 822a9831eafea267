/*
 * The sequences section of a zstd compressed block (unzstd_priv.h; RFC
 * 8878 section 3.1.1.3.2): three FSE tables (literal lengths, offsets,
 * match lengths; each predefined, a single symbol, described here or the
 * previous block's), then one backward bit stream with every sequence's
 * extra bits and state updates. Each sequence is executed as soon as it
 * is decoded, straight into the output: its literals, then a match from
 * earlier output of the same frame.
 */
#include "unzstd_priv.h"

#define LL_MAX 35
#define ML_MAX 52
#define OF_MAX 31

/* Extra bits after each code's baseline; baselines follow from them (first + sums). */
static const uint8_t ll_extra[LL_MAX + 1] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
};
static const uint8_t ml_extra[ML_MAX + 1] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
};
static const uint8_t of_extra[OF_MAX + 1] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
};

/* The predefined tables' normalized counts (RFC 8878 3.1.1.3.2.2). */
static const int16_t ll_default[] = {
	4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 3, 2, 1, 1, 1, 1, 1, -1, -1, -1, -1,
};
static const int16_t ml_default[] = {
	1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1,
};
static const int16_t of_default[] = {
	1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1,
};

struct kind {
	unsigned max_sym, max_log;
	const uint8_t *extra;
	uint32_t first;
	const int16_t *def;
	unsigned def_n, def_log;
};

static const struct kind LL = { LL_MAX, 9, ll_extra, 0, ll_default, ARRAY_SIZE(ll_default), 6 };
static const struct kind ML = { ML_MAX, 9, ml_extra, 3, ml_default, ARRAY_SIZE(ml_default), 6 };
static const struct kind OF = { OF_MAX, 8, of_extra, 1, of_default, ARRAY_SIZE(of_default), 5 };

/* A table by its mode (0 predefined, 1 one symbol, 2 described, 3 repeated) from *p on. */
static int table(struct zstd_dec *d, struct zs_fse *t, const struct kind *k, unsigned mode,
		 const uint8_t **p, const uint8_t *end)
{
	uint32_t base[ML_MAX + 1];
	size_t used;
	unsigned s;

	base[0] = k->first;
	for (unsigned i = 0; i < k->max_sym; i++)
		base[i + 1] = base[i] + (1u << k->extra[i]);
	switch (mode) {
	case 0:
		return zs_fse_build(d, t, k->def, k->def_n, k->def_log, base, k->extra, *p);
	case 1:
		if (*p == end || **p > k->max_sym)
			return zs_bad(d, *p, "sequence table's one symbol missing or out of range");
		s = *(*p)++;
		t->cell[0] = (struct zs_cell){ base[s], 0, 0, k->extra[s] };
		t->log = 0;
		t->ready = true;
		return 0;
	case 2:
		if (zs_fse_read(d, t, *p, (size_t)(end - *p), k->max_sym, k->max_log, base, k->extra, &used))
			return -XEN_EINVAL;
		*p += used;
		return 0;
	default:
		if (!t->ready)
			return zs_bad(d, *p, "sequence table repeated before any");
		return 0;
	}
}

/* A match may overlap its own output: below 8 bytes back, copy one period of at least 8 first. */
static void copy_match(uint8_t *op, size_t off, size_t len)
{
	if (off < 8) {
		size_t period = off * ((8 + off - 1) / off), head = MIN(len, period);
		const uint8_t *m = op - off;
		for (size_t i = 0; i < head; i++)
			op[i] = m[i];
		op += head;
		len -= head;
		off = period;
	}
	zs_copy(op, op - off, len);
}

/* Offset value 1-3: a repeat offset, shifted by one when the sequence has no literals. */
static uint64_t offset(struct zstd_dec *d, uint64_t v, size_t ll)
{
	uint64_t *rep = d->rep, off;

	if (v > 3) {
		off = v - 3;
	} else {
		unsigned idx = (unsigned)v - 1 + (ll == 0);
		if (idx == 0)
			return rep[0];
		off = idx == 3 ? rep[0] - 1 : rep[idx];
		if (idx == 1) {
			rep[1] = rep[0];
			rep[0] = off;
			return off;
		}
	}
	rep[2] = rep[1];
	rep[1] = rep[0];
	rep[0] = off;
	return off;
}

/* One sequence's literals and match at *op, checked against the literals left and the output. */
static int execute(struct zstd_dec *d, const uint8_t *at, uint8_t *frame, uint8_t **op, uint8_t *oend,
		   size_t ll, uint64_t off, size_t ml)
{
	if (ll > d->nlit)
		return zs_bad(d, at, "sequence takes more literals than its block has");
	if (ll > (size_t)(oend - *op))
		return zs_too_big(d, at);
	zs_copy(*op, d->lit, ll);
	*op += ll;
	d->lit += ll;
	d->nlit -= ll;
	if (off == 0)
		return zs_bad(d, at, "match offset 0 (a repeat offset 1 less 1)");
	if (off > (uint64_t)(*op - frame))
		return zs_bad(d, at, "match offset before the frame's start");
	if (ml > (size_t)(oend - *op))
		return zs_too_big(d, at);
	copy_match(*op, (size_t)off, ml);
	*op += ml;
	return 0;
}

int zs_sequences(struct zstd_dec *d, const uint8_t *in, size_t len, uint8_t *frame, uint8_t **op,
		 uint8_t *oend)
{
	const uint8_t *p = in, *end = in + len;
	size_t nseq = 0;
	struct zs_bits b;
	int rc = 0;

	if (len < 1 || (in[0] >= 128 && len < 2) || (in[0] == 255 && len < 3))
		return zs_bad(d, in, "sequences section header cut short");
	nseq = in[0] < 128 ? in[0] : in[0] < 255 ? (size_t)(in[0] - 128) << 8 | in[1] :
	       (size_t)in[1] + ((size_t)in[2] << 8) + 0x7f00;
	p += in[0] < 128 ? 1 : in[0] < 255 ? 2 : 3;
	if (nseq == 0 && p != end)
		return zs_bad(d, in, "bytes after an empty sequences section");
	if (nseq) {
		if (p == end)
			return zs_bad(d, in, "sequences' table modes missing");
		if (*p & 3)
			return zs_bad(d, in, "sequences' table modes have reserved bits set");
		unsigned modes = *p++;
		if (table(d, &d->ll, &LL, modes >> 6, &p, end) || table(d, &d->of, &OF, modes >> 4 & 3, &p, end) ||
		    table(d, &d->ml, &ML, modes >> 2 & 3, &p, end))
			return -XEN_EINVAL;
		if (!zs_bits_open(&b, p, (size_t)(end - p)))
			return zs_bad(d, p, "sequences' bit stream empty or without its end mark");
		unsigned sll = (unsigned)zs_read(&b, d->ll.log), sof = (unsigned)zs_read(&b, d->of.log);
		unsigned sml = (unsigned)zs_read(&b, d->ml.log);
		for (size_t i = 0; i < nseq && !rc; i++) {
			const struct zs_cell *cll = &d->ll.cell[sll], *cof = &d->of.cell[sof], *cml = &d->ml.cell[sml];
			uint64_t ofv = cof->base + zs_read(&b, cof->extra);
			size_t ml = cml->base + (size_t)zs_read(&b, cml->extra);
			size_t ll = cll->base + (size_t)zs_read(&b, cll->extra);
			if (i + 1 < nseq) {
				sll = cll->next + (unsigned)zs_read(&b, cll->nb);
				sml = cml->next + (unsigned)zs_read(&b, cml->nb);
				sof = cof->next + (unsigned)zs_read(&b, cof->nb);
			}
			if (b.pos < 0)
				return zs_bad(d, p, "sequences' bit stream cut short");
			rc = execute(d, p, frame, op, oend, ll, offset(d, ofv, ll), ml);
		}
		if (rc)
			return rc;
		if (b.pos != 0)
			return zs_bad(d, p, "sequences' bit stream does not end with its last sequence");
	}
	/* what no sequence took ends the block */
	if (d->nlit > (size_t)(oend - *op))
		return zs_too_big(d, in);
	zs_copy(*op, d->lit, d->nlit);
	*op += d->nlit;
	return 0;
}
