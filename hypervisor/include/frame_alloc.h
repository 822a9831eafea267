/*
 * The physical frame allocator: one bit per 4 KiB frame of the machine's
 * address space, set when the frame is free.
 *
 * At boot every frame starts out used; the usable RAM ranges of the memory map
 * are then marked free, and everything that must never be handed out (reserved
 * and ACPI ranges, the first MiB, our own image, the boot modules, the bitmap
 * itself) is marked used again. Allocation is first-fit from a moving hint,
 * naturally aligned to the block size.
 */
#ifndef FRAME_ALLOC_H
#define FRAME_ALLOC_H

#include <lib.h>

#define FRAME_SHIFT 12
#define FRAME_SIZE  (1UL << FRAME_SHIFT)
#define FRAME_ORDER_MAX 18   /* 1 GiB blocks */

typedef uint64_t mfn_t;
#define INVALID_MFN ((mfn_t)~0ULL)

struct frame_alloc {
	uint64_t *bitmap;      /* bit set = frame free */
	uint64_t nr_frames;    /* frames [0, nr_frames) are described */
	uint64_t nr_free;
	uint64_t hint;         /* where the next search starts: past the last allocation */
};

/* Bytes of bitmap needed to describe `nr_frames` frames. */
size_t frame_alloc_bitmap_bytes(uint64_t nr_frames);

/* Start with every frame used. `bitmap` must hold frame_alloc_bitmap_bytes(nr_frames). */
void frame_alloc_init(struct frame_alloc *fa, uint64_t *bitmap, uint64_t nr_frames);

/* Mark [start, end) free or used; frames beyond nr_frames are ignored. */
void frame_alloc_mark_free(struct frame_alloc *fa, mfn_t start, mfn_t end);
void frame_alloc_mark_used(struct frame_alloc *fa, mfn_t start, mfn_t end);

/*
 * Allocate 2^order contiguous frames aligned to 2^order frames.
 * Returns the first frame, or INVALID_MFN when no such block is free.
 */
mfn_t frame_alloc_get(struct frame_alloc *fa, unsigned order);

/*
 * Free a block from frame_alloc_get. Returns 0, or -1 when the block is out
 * of range or any frame of it is already free (a double free): then nothing
 * changes.
 */
int frame_alloc_put(struct frame_alloc *fa, mfn_t mfn, unsigned order);

bool frame_alloc_is_free(const struct frame_alloc *fa, mfn_t mfn);

/* The machine's allocator, set up by boot code. */
extern struct frame_alloc machine_frames;

/* Allocate / free on machine_frames; a double free is a hypervisor bug and panics. */
mfn_t alloc_frames(unsigned order);
void free_frames(mfn_t mfn, unsigned order);

#endif
