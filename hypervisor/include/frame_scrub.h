/*
 * Background clearing of freed frames (common/frame_scrub.c). All under
 * the big lock.
 */
#ifndef FRAME_SCRUB_H
#define FRAME_SCRUB_H

#include <frame_alloc.h>

/* At boot, after the frame table: the bitmap of frames to clear. */
void frame_scrub_init(void);
/* Can frames be marked (frame_scrub_init found memory for the bitmap)? */
bool frame_scrub_ready(void);
/* n frames from mfn, just freed uncleared: clear them later. */
void frame_scrub_mark(mfn_t mfn, uint64_t n);
/* A block leaves the allocator: its frames are the taker's to clear. */
void frame_scrub_claim(mfn_t mfn, unsigned order);
/* For an idle CPU: clear a few marked frames unless an interrupt waits;
 * false when there was nothing to do (then it may halt). */
bool frame_scrub_idle(void);
/* Frames marked and not cleared yet. */
uint64_t frame_scrub_pending(void);

#endif
