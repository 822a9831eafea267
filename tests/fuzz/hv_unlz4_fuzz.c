/*
 * libFuzzer harness for the hypervisor's LZ4 decoder (hypervisor/common/
 * unlz4.c), which unpacks LZ4 bzImages handed to it as the Dom0 kernel.
 *
 * The first byte picks the mode and the output capacity:
 *   bit 0     0: the rest is a whole legacy-format stream;
 *             1: the rest is one raw LZ4 block, which the harness wraps
 *             in a legacy frame (magic, size), so that mutations reach
 *             the block decoder instead of failing at the frame
 *   bits 4-7  capacity: (n + 1) * 1 KiB - 1 (odd sizes, for the edges)
 * The output buffer is allocated to exactly that capacity, so ASan sees
 * any write past it. A failure must say why. In mode 1, liblz4's own
 * LZ4_decompress_safe is the oracle: whatever it decodes within the same
 * capacity, ours must decode to the same bytes (ours may accept more: it
 * does not insist on LZ4's end-of-block margins, which are an encoder
 * rule, not a safety one; and it refuses a match offset of 0, which the
 * format forbids and liblz4 lets through).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lz4.h>
#include <unlz4.h>
#include <public/errno.h>

static uint8_t framed[1 << 16];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[160];
	const uint8_t *in;
	size_t in_len, cap, out_len = 7;
	uint8_t *out, *ref;
	int rc;

	if (size < 1)
		return 0;
	cap = ((size_t)(data[0] >> 4) + 1) * 1024 - 1;
	if (data[0] & 1) {
		size_t n = size - 1 < sizeof(framed) - 8 ? size - 1 : sizeof(framed) - 8;
		memcpy(framed, "\x02\x21\x4c\x18", 4);
		framed[4] = (uint8_t)n;
		framed[5] = (uint8_t)(n >> 8);
		framed[6] = (uint8_t)(n >> 16);
		framed[7] = (uint8_t)(n >> 24);
		memcpy(framed + 8, data + 1, n);
		in = framed;
		in_len = n + 8;
	} else {
		in = data + 1;
		in_len = size - 1;
	}
	out = malloc(cap ? cap : 1);
	why[0] = '\0';
	rc = unlz4(in, in_len, out, cap, &out_len, why, sizeof(why));
	if (rc && (!why[0] || out_len != 0)) {
		fprintf(stderr, "INVARIANT VIOLATED: rc %d without a reason or with output %zu\n", rc, out_len);
		abort();
	}
	if (rc != 0 && rc != -XEN_EINVAL && rc != -XEN_E2BIG && rc != -XEN_ENOEXEC) {
		fprintf(stderr, "INVARIANT VIOLATED: unexpected rc %d (%s)\n", rc, why);
		abort();
	}
	if (!rc && out_len > cap) {
		fprintf(stderr, "INVARIANT VIOLATED: %zu bytes out of %zu\n", out_len, cap);
		abort();
	}
	if ((data[0] & 1) && in_len > 8) {
		ref = malloc(cap ? cap : 1);
		int n = LZ4_decompress_safe((const char *)in + 8, (char *)ref, (int)(in_len - 8), (int)cap);
		bool offset0 = rc == -XEN_EINVAL && strstr(why, "match offset 0 ");
		if (n >= 0 && !offset0 && (rc || out_len != (size_t)n || memcmp(out, ref, (size_t)n))) {
			fprintf(stderr, "INVARIANT VIOLATED: liblz4 decodes %d bytes, ours rc %d (%s) %zu bytes\n",
				n, rc, why, out_len);
			abort();
		}
		free(ref);
	}
	free(out);
	return 0;
}
