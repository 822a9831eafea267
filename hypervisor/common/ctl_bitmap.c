/*
 * The control interface's bitmaps (struct xenctl_bitmap: CPU and node
 * masks in the caller's memory, nr_bits long), in and out, as Xen treats
 * them: only the bytes both sides have bits for are read; a bitmap going
 * out fills every byte the caller has.
 */
#include <guest_access.h>
#include <public/errno.h>
#include "sysctl.h"

int ctl_bitmap_out(const struct xenctl_bitmap *map, uint64_t bits, unsigned nbits)
{
	uint32_t ours = (nbits + 7) / 8, theirs = (map->nr_bits + 7) / 8;

	for (uint32_t i = 0; i < theirs; i++) {
		uint8_t byte = i < ours && i < 8 ? (uint8_t)(bits >> (8 * i)) : 0;

		if (copy_to_guest(map->bitmap + i, &byte, 1))
			return -XEN_EFAULT;
	}
	return 0;
}

int ctl_bitmap_in(const struct xenctl_bitmap *map, uint64_t *bits, unsigned nbits)
{
	uint32_t n = MIN(MIN((map->nr_bits + 7) / 8, (nbits + 7) / 8), 8u);
	uint8_t bytes[8] = { 0 };

	if (n && copy_from_guest(bytes, map->bitmap, n))
		return -XEN_EFAULT;
	*bits = 0;
	for (uint32_t i = 0; i < n; i++)
		*bits |= (uint64_t)bytes[i] << (8 * i);
	if (map->nr_bits < 64)
		*bits &= (1ull << map->nr_bits) - 1;
	return 0;
}
