/*
 * xz_writer.c - .xz streams for the decoder's tests: see xz_writer.h.
 */
#include <string.h>
#include <crc.h>
#include "xz_writer.h"

void xz_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

size_t xz_put_vli(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

size_t xz_wrap(uint8_t *o, const uint8_t *lz, size_t lz_len, const uint8_t *data,
	       size_t data_len, const struct xz_wrap *w)
{
	unsigned check = w->no_check_default ? w->check : (w->check ? w->check : 1);
	size_t csz = check == 0 ? 0 : check == 1 ? 4 : 8;
	size_t n = 0, bh, idx;

	memcpy(o, "\xfd" "7zXZ\0", 6);
	o[6] = 0;
	o[7] = (uint8_t)check;
	xz_put32(o + 8, crc32(o + 6, 2, 0));
	n = 12;
	/* block header */
	bh = n;
	n += 2;
	o[bh + 1] = (uint8_t)((w->bcj ? 1 : 0) | w->reserved_flags);
	if (w->sizes_in_header) {
		o[bh + 1] |= 0xc0;
		n += xz_put_vli(o + n, w->hdr_csize ? w->hdr_csize : lz_len);
		n += xz_put_vli(o + n, w->hdr_usize ? w->hdr_usize : data_len);
	}
	if (w->bcj) {
		o[n++] = 0x04;
		o[n++] = 0x00;
	}
	o[n++] = w->filter_id ? w->filter_id : 0x21;
	o[n++] = 1;
	o[n++] = w->lzma2_props ? w->lzma2_props : 0x10;
	while ((n - bh) % 4)
		o[n++] = 0;
	o[bh] = (uint8_t)((n + 4 - bh) / 4 - 1);
	xz_put32(o + n, crc32(o + bh, n - bh, 0));
	n += 4;
	size_t hsize = n - bh;
	memcpy(o + n, lz, lz_len);
	n += lz_len;
	while (n % 4)
		o[n++] = 0;
	if (check == 1)
		xz_put32(o + n, crc32(data, data_len, 0));
	if (check == 4) {
		uint64_t c = crc64(data, data_len, 0);
		xz_put32(o + n, (uint32_t)c);
		xz_put32(o + n + 4, (uint32_t)(c >> 32));
	}
	n += csz;
	/* index */
	idx = n;
	o[n++] = 0;
	n += xz_put_vli(o + n, 1);
	n += xz_put_vli(o + n, hsize + lz_len + csz + w->index_unpadded_adjust);
	n += xz_put_vli(o + n, w->index_usize ? w->index_usize : data_len);
	while ((n - idx) % 4)
		o[n++] = 0;
	xz_put32(o + n, crc32(o + idx, n - idx, 0));
	n += 4;
	/* footer */
	xz_put32(o + n + 4, (uint32_t)((n - idx) / 4 - 1 + w->backward_adjust));
	o[n + 8] = 0;
	o[n + 9] = (uint8_t)check;
	xz_put32(o + n, crc32(o + n + 4, 6, 0));
	o[n + 10] = 'Y';
	o[n + 11] = 'Z';
	return n + 12;
}
