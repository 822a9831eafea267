/*
 * Per-frame bookkeeping: which domain owns each machine frame. The memory
 * issue (#4) grows this into the full type and reference-count state
 * machine; for now ownership is what hypercalls check before they let a
 * guest name a frame.
 */
#ifndef PAGE_H
#define PAGE_H

#include <frame_alloc.h>
#include <public/xen.h>

/* What a frame is used as (issue #4 adds counts and validation on change). */
enum page_type {
	PGT_none = 0,           /* ordinary memory: may be mapped writable */
	PGT_l1, PGT_l2, PGT_l3, PGT_l4,   /* page-table levels: read-only to the guest */
	PGT_seg_desc,           /* GDT/LDT frame: read-only to the guest */
};

struct page_info {
	domid_t owner;          /* DOMID_XEN: the hypervisor's or free */
	uint16_t type;          /* enum page_type */
	uint32_t type_count;
};

extern struct page_info *frame_table;
extern uint64_t frame_table_size;   /* frames described */

void frame_table_init(uint64_t nr_frames);

static inline bool mfn_owned_by(mfn_t mfn, domid_t d)
{
	return mfn < frame_table_size && frame_table[mfn].owner == d;
}

#endif
