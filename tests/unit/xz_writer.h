/*
 * xz_writer.h - .xz streams written by the decoder's tests (unit-unxz,
 * fuzz-hv-unxz): a one-block stream around raw LZMA2 data, with correct
 * CRCs everywhere unless a field below asks for a wrong value, so that a
 * test reaches the one check it breaks.
 */
#ifndef XZ_WRITER_H
#define XZ_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void xz_put32(uint8_t *p, uint32_t v);       /* little-endian */
size_t xz_put_vli(uint8_t *p, uint64_t v);   /* xz's variable-length integer; its length */

/* What xz_wrap() puts around the LZMA2 data; zero fields take the defaults. */
struct xz_wrap {
	unsigned check;          /* 0 none, 1 CRC32 (default here), 4 CRC64 */
	bool no_check_default;   /* use check as given even if 0 */
	bool bcj;
	bool sizes_in_header;
	uint64_t hdr_usize;      /* with sizes_in_header: stated sizes */
	uint64_t hdr_csize;
	uint64_t index_usize;    /* 0: the real data length */
	uint64_t index_unpadded_adjust;
	uint8_t lzma2_props;     /* dictionary byte */
	uint8_t filter_id;       /* 0: LZMA2 */
	uint8_t reserved_flags;
	uint32_t backward_adjust;
};

/* The stream around lz[0, lz_len), whose output is data[0, data_len), into o; its length. */
size_t xz_wrap(uint8_t *o, const uint8_t *lz, size_t lz_len, const uint8_t *data,
	       size_t data_len, const struct xz_wrap *w);

#endif
