/*
 * libFuzzer harness for the hypervisor's bzImage unpacking
 * (hypervisor/common/unxz.c, xz_lzma2.c, xz_bcj.c, gunzip.c, bzimage.c): the input is
 * a boot module a hostile or broken loader could hand us.
 *
 * The first byte picks what the rest is and the output capacity:
 *   bits 0-1  0: a whole .xz stream (bit 3: a gzip member instead);
 *             1, 2: raw LZMA2 data, which the
 *             harness wraps in a well-formed container (CRCs right, no
 *             check, bit 2: behind x86 BCJ; 2: the index claims fewer
 *             bytes than the capacity), so that mutations reach the LZMA
 *             decoder instead of dying at a CRC;  3: a whole bzImage
 *   bits 4-7  capacity: (n + 1) * 4 KiB - 1 (odd sizes, for the edges)
 * The output buffer is allocated to exactly that capacity, so ASan sees
 * any write past it; a failure must say why; a success must have decoded
 * within the buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bzimage.h>
#include <gunzip.h>
#include <unxz.h>
#include "xz_writer.h"

static uint8_t work[UNXZ_WORK_SIZE];
static uint8_t wrapped[1 << 16];

/* A one-block stream, check none, around lz[0, len) claiming usize bytes out. */
static size_t wrap(const uint8_t *lz, size_t len, bool bcj, uint64_t usize)
{
	struct xz_wrap w = { .no_check_default = true, .bcj = bcj, .index_usize = usize };

	if (len > sizeof(wrapped) - 64)
		len = sizeof(wrapped) - 64;
	return xz_wrap(wrapped, lz, len, NULL, 0, &w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[160];
	size_t cap, out_len = 0, n;
	uint8_t *out, mode;
	int rc;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	cap = ((size_t)(mode >> 4) + 1) * 4096 - 1;
	out = malloc(cap);
	why[0] = '\0';
	switch (mode & 3) {
	case 0:
		if (mode & 8)
			rc = gunzip(data, size, out, cap, &out_len, why, sizeof(why));
		else
			rc = unxz(data, size, out, cap, &out_len, work, why, sizeof(why));
		break;
	case 1:
	case 2:
		n = wrap(data, size, mode & 4, (mode & 3) == 2 ? cap / 3 : cap);
		rc = unxz(wrapped, n, out, cap, &out_len, work, why, sizeof(why));
		break;
	default: {
		struct bzimage bz;
		rc = bzimage_probe(data, size, &bz, why, sizeof(why));
		if (!rc) {
			if (bz.payload < data || bz.payload_len > size ||
			    (size_t)(bz.payload - data) > size - bz.payload_len) {
				fprintf(stderr, "payload outside the image\n");
				abort();
			}
			rc = bz.unpacked_size <= cap ? bzimage_unpack(&bz, out, cap, work, why, sizeof(why)) : -1;
			out_len = rc ? 0 : bz.unpacked_size;
		}
		break;
	}
	}
	if (rc && rc != -1 && !why[0]) {
		fprintf(stderr, "error %d without a reason\n", rc);
		abort();
	}
	if (!rc && out_len > cap) {
		fprintf(stderr, "decoded %zu bytes into %zu\n", out_len, cap);
		abort();
	}
	free(out);
	return 0;
}
