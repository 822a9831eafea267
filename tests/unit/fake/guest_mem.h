/*
 * fake/guest_mem.h - guest_access.h for host unit tests: one range of fake
 * guest memory, page by page mapped or not, behind guest_range_ok() and
 * copy_from/to_guest() (guest_mem.c). Each test or layer describes its range
 * by defining `guest_mem_fake`.
 */
#ifndef FAKE_GUEST_MEM_H
#define FAKE_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct guest_mem_fake {
	uint64_t va;               /* guest address of mem[0] */
	uint8_t *mem;
	size_t size;               /* bytes, a whole number of 4 KiB pages */
	const bool *page_mapped;   /* one per page: false faults */
	bool (*visible)(void);     /* NULL, or false when the range may not be reached now */
};

extern const struct guest_mem_fake guest_mem_fake;

#endif
