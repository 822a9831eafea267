/*
 * Private to common/grant_table*.c and their host tests:
 *
 *   grant_table.c       the table: versions, frames, growth, the active entry
 *                       state machine (acquire/release of a grant), teardown
 *   grant_table_map.c   maptrack, map_grant_ref, unmap_grant_ref, unmap_and_replace
 *   grant_table_copy.c  copy, cache_flush
 *   grant_table_op.c    do_grant_table_op: copying in and out, batches
 *
 * Workers take hypervisor structures and never touch guest memory.
 */
#ifndef GRANT_TABLE_PRIV_H
#define GRANT_TABLE_PRIV_H

#include <grant_table.h>
#include <page.h>

#define GT_V1_PER_FRAME      (FRAME_SIZE / sizeof(struct grant_entry_v1))   /* 512 */
#define GT_V2_PER_FRAME      (FRAME_SIZE / sizeof(union grant_entry_v2))    /* 256 */
#define GT_STATUS_PER_FRAME  (FRAME_SIZE / sizeof(grant_status_t))          /* 2048 */
#define GT_STATUS_LIMIT      ((GNTTAB_FRAMES_LIMIT * GT_V2_PER_FRAME + GT_STATUS_PER_FRAME - 1) / \
			      GT_STATUS_PER_FRAME)
#define GT_ACTIVE_PER_CHUNK  GT_V1_PER_FRAME     /* one chunk per shared frame */
#define GT_PIN_MAX           0xffffu
#define MT_NONE              (~0u)

/*
 * The hypervisor's side of one grant: who holds it and through which frame.
 * pins > 0 means the grant is in use: domid and mfn are fixed, and the
 * granter's entry carries GTF_reading (and GTF_writing while wpins > 0).
 * Every pin holds a general reference on mfn, and a writable pin also a
 * PGT_writable type reference.
 */
struct active_grant {
	uint16_t pins;          /* mappings and in-flight copies */
	uint16_t wpins;         /* of which writable */
	domid_t domid;          /* the grantee holding the pins */
	uint16_t sub_off;       /* v2 sub_page: the granted byte range */
	uint16_t sub_len;       /*   (0, FRAME_SIZE for a full page) */
	uint16_t _pad[3];
	mfn_t mfn;
};

/* One mapping a domain holds (its handle is the index). flags 0: free. */
struct maptrack {
	uint64_t pte;           /* host_map: machine address of the entry written */
	grant_ref_t ref;        /* in use: the grant; free: the next free handle */
	domid_t dom;            /* the granter */
	uint16_t flags;         /* GNTMAP_{host_map,device_map,readonly,contains_pte}, MT_RELEASING */
};

/* Unmapped, its TLB flush awaited without the big lock: still pinned, the handle not free. */
#define MT_RELEASING 0x8000

struct grant_table {
	unsigned version;       /* 0 until set_version or setup_table; then 1 or 2 */
	unsigned nr_frames;     /* shared frames */
	unsigned max_frames;
	unsigned nr_status;     /* v2 status frames */
	bool dying;             /* gnttab_domain_destroy ran: no new pins */
	mfn_t shared[GNTTAB_FRAMES_LIMIT];
	mfn_t status[GT_STATUS_LIMIT];
	struct active_grant *active[GNTTAB_FRAMES_LIMIT];

	struct maptrack **mt;   /* mt_max chunk pointers, mt_frames allocated */
	unsigned mt_frames;
	unsigned mt_max;
	unsigned mt_free;       /* head of the free list, MT_NONE: empty */
	unsigned mt_used;
};

/* A grant pinned for a map or a copy: what the holder needs to release it. */
struct grant_pin {
	struct domain *rd;
	grant_ref_t ref;
	bool readonly;
	mfn_t mfn;
	uint16_t sub_off, sub_len;
};

/* grant_table.c */
struct grant_table *gnttab_of(struct domain *d);          /* created on first use; NULL: no memory */
uint32_t gnttab_nr_entries(const struct grant_table *gt);
struct active_grant *gnttab_active(struct grant_table *gt, grant_ref_t ref);
/*
 * Pin ref of rd's table for ld (readonly or not; `map`: refuse sub-page
 * grants). GNTST_okay and *pin, or GNTST_bad_domain (rd ending, no table),
 * GNTST_bad_gntref (out of range), GNTST_general_error (wrong grantee, wrong
 * type, read-only grant asked writable, entry unstable, the frame cannot be
 * typed writable, pin count full), GNTST_bad_page (rd does not own the frame).
 * Nothing changes on error.
 */
int gnttab_acquire(struct domain *rd, grant_ref_t ref, domid_t ld, bool readonly, bool map,
		   struct grant_pin *pin);
void gnttab_release(const struct grant_pin *pin);

int gnttab_setup_table(struct domain *d, uint32_t nr_frames, uint64_t *frames);  /* GNTST_* */
int gnttab_query_size(struct domain *d, uint32_t *nr_frames, uint32_t *max_frames);
int gnttab_get_status_frames(struct domain *d, uint32_t nr_frames, uint64_t *frames);
int gnttab_set_version(struct domain *d, uint32_t *version);   /* -XEN_E*; *version: in force */
int gnttab_swap_grant_ref(struct domain *d, grant_ref_t a, grant_ref_t b);  /* GNTST_* */

/* grant_table_map.c */
void gnttab_map_one(struct vcpu *v, struct gnttab_map_grant_ref *op);
/*
 * First half of an unmap: the entry goes, the grant stays pinned until
 * gnttab_unmap_finish (after the caller's TLB flush). *release: a handle to
 * pass on, MT_NONE when the mapping lives on (only one of host/device went)
 * or on error. *flush: a page-table entry changed. Returns the GNTST status.
 */
int gnttab_unmap_start(struct vcpu *v, uint64_t host_addr, uint64_t dev_bus_addr,
		       grant_handle_t handle, uint64_t new_addr, bool replace,
		       unsigned *release, bool *flush);
void gnttab_unmap_finish(struct domain *ld, unsigned handle);
void gnttab_maptrack_destroy(struct domain *d);

/* grant_table_copy.c */
int gnttab_copy_one(struct domain *ld, const struct gnttab_copy *op);   /* GNTST_* */
int gnttab_cache_flush(struct domain *ld, const struct gnttab_cache_flush *op);  /* -XEN_E* */

#endif
