/*
 * Inside unxz (include/unxz.h): the LZMA2 decoder and the x86 BCJ filter
 * that the container code in unxz.c runs for each block.
 */
#ifndef XZ_PRIV_H
#define XZ_PRIV_H

#include <lib.h>

/*
 * Decode one block's LZMA2 data, in[0, in_len), appending to out from
 * *out_pos up to out_cap (bytes before *out_pos are earlier blocks and are
 * never referenced). `work` is UNXZ_WORK_SIZE bytes. On success *in_used
 * is where the end-of-data marker ended and *out_pos has advanced.
 * Returns 0, -XEN_EINVAL (corrupt or truncated), -XEN_E2BIG (output would
 * pass out_cap) or -XEN_EOPNOTSUPP, with why filled.
 */
int xz_lzma2_decode(const uint8_t *in, size_t in_len, size_t *in_used, uint8_t *out,
		    size_t *out_pos, size_t out_cap, void *work, char *why, size_t why_len);

/*
 * Undo the x86 BCJ filter over a whole block, buf[0, len), whose first
 * byte is at filter position 0. Cannot fail.
 */
void xz_bcj_x86(uint8_t *buf, size_t len);

#endif /* XZ_PRIV_H */
