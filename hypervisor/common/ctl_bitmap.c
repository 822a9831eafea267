/*
 * The control interface's bitmaps (struct xenctl_bitmap: CPU and node
 * masks in the caller's memory, nr_bits long), in and out, as Xen treats
 * them: only the bytes both sides have bits for are read; a bitmap going
 * out fills every byte the caller has.
 */
#include <guest_access.h>
#include <public/errno.h>
#include "sysctl.h"

/*
 * nr_bits is the caller's, and Xen fills every byte it names: up to 512
 * MiB to zero under the big lock. Xen's tools size these maps for the
 * machine's CPUs or nodes (at most 4096 CPUs: 512 bytes), so a map of
 * more than CTL_BITMAP_MAX bytes is refused (-E2BIG), going in as going
 * out (so that a set that would answer through it changes nothing). The
 * byte count wraps as Xen's does: nr_bits near 2^32 is a map of 0 bytes.
 */
#define CTL_BITMAP_MAX 4096

static uint32_t their_bytes(const struct xenctl_bitmap *map)
{
	return (map->nr_bits + 7) / 8;
}

int ctl_bitmap_out(const struct xenctl_bitmap *map, uint64_t bits, unsigned nbits)
{
	static const uint8_t zeroes[512];
	uint32_t theirs = their_bytes(map);
	uint32_t ours = MIN(MIN((nbits + 7) / 8, 8u), theirs);
	uint8_t bytes[8];

	if (theirs > CTL_BITMAP_MAX)
		return -XEN_E2BIG;
	for (uint32_t i = 0; i < ours; i++)
		bytes[i] = (uint8_t)(bits >> (8 * i));
	if (ours && copy_to_guest(map->bitmap, bytes, ours))
		return -XEN_EFAULT;
	for (uint32_t at = ours; at < theirs; at += sizeof(zeroes))
		if (copy_to_guest(map->bitmap + at, zeroes, MIN(theirs - at, (uint32_t)sizeof(zeroes))))
			return -XEN_EFAULT;
	return 0;
}

int ctl_bitmap_in(const struct xenctl_bitmap *map, uint64_t *bits, unsigned nbits)
{
	uint32_t n = MIN(MIN(their_bytes(map), (nbits + 7) / 8), 8u);
	uint8_t bytes[8] = { 0 };

	if (their_bytes(map) > CTL_BITMAP_MAX)
		return -XEN_E2BIG;
	if (n && copy_from_guest(bytes, map->bitmap, n))
		return -XEN_EFAULT;
	*bits = 0;
	for (uint32_t i = 0; i < n; i++)
		*bits |= (uint64_t)bytes[i] << (8 * i);
	if (map->nr_bits < 64)
		*bits &= (1ull << map->nr_bits) - 1;
	return 0;
}
