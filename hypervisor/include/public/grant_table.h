/*
 * public/grant_table.h - grant tables and grant_table_op (#20).
 *
 * A domain grants another domain access to one of its frames by filling an
 * entry of its grant table, a set of frames shared with the hypervisor.
 * The grantee then maps or copies through the grant reference (the entry
 * index) with grant_table_op; the hypervisor checks the entry and keeps the
 * GTF_reading/GTF_writing flags set while the access lasts.
 *
 * Filling an entry: write domid and frame, a write barrier, then flags.
 * Revoking: atomically replace flags with 0 only while neither GTF_reading
 * nor GTF_writing is set.
 *
 * long grant_table_op(unsigned int cmd, void *uop, unsigned int count)
 * `uop` points at an array of `count` structures of the sub-op's type.
 * The hypercall returns 0 when every element was processed (each has its
 * own status, GNTST_*), or a negative errno for the call as a whole:
 * -ENOSYS unknown cmd; -EFAULT array unreadable; -EINVAL count out of
 * range for the sub-op.
 * Entries 0-7 are reserved (0 console ring, 1 xenstore ring).
 *
 *   GNTTABOP_map_grant_ref (gnttab_map_grant_ref): map `ref` of `dom` at
 *     host_addr (a VA, or with GNTMAP_contains_pte the machine address of
 *     the PTE to fill) and/or for device DMA.  OUT: handle, dev_bus_addr.
 *   GNTTABOP_unmap_grant_ref (gnttab_unmap_grant_ref): undo a map by handle.
 *   GNTTABOP_setup_table (gnttab_setup_table): grow the caller's table to
 *     nr_frames and return their MFNs in frame_list (count must be 1).
 *   GNTTABOP_dump_table: print the table on the hypervisor console.
 *   GNTTABOP_transfer: give a page to a domain that accepts transfers.
 *   GNTTABOP_copy (gnttab_copy): copy bytes between frames named by grant
 *     reference or by local frame; the range may not cross a page end.
 *   GNTTABOP_query_size (gnttab_query_size): current and maximum frames.
 *   GNTTABOP_unmap_and_replace: unmap, putting new_addr's mapping in place.
 *   GNTTABOP_set_version (gnttab_set_version): choose entry format 1 or 2
 *     (only while no grant is in use); OUT: the version in force.
 *   GNTTABOP_get_status_frames: MFNs of the v2 status frames.
 *   GNTTABOP_get_version: the version in force for a domain.
 *   GNTTABOP_swap_grant_ref: exchange two unused entries.
 *   GNTTABOP_cache_flush: clean/invalidate caches for a granted range.
 * Who: any domain for its own table and grants it has been given;
 *   another domain's table (dom != DOMID_SELF in setup/query/dump):
 *   privileged.
 */
#ifndef PUBLIC_GRANT_TABLE_H
#define PUBLIC_GRANT_TABLE_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;

#define GNTTAB_NR_RESERVED_ENTRIES  8
#define GNTTAB_RESERVED_CONSOLE     0
#define GNTTAB_RESERVED_XENSTORE    1

/* ---- Entry formats ------------------------------------------------ */
struct grant_entry_v1 {
	uint16_t flags;       /* GTF_* */
	uint16_t domid;       /* grantee */
	uint32_t frame;       /* MFN (PV) */
};

struct grant_entry_header {
	uint16_t flags;
	uint16_t domid;
};

union grant_entry_v2 {
	struct grant_entry_header hdr;
	struct {
		struct grant_entry_header hdr;
		uint32_t pad0;
		uint64_t frame;
	} full_page;
	struct {
		struct grant_entry_header hdr;
		uint16_t page_off;
		uint16_t length;
		uint64_t frame;
	} sub_page;
	struct {
		struct grant_entry_header hdr;
		uint16_t trans_domid;
		uint16_t pad0;
		grant_ref_t gref;
	} transitive;
	uint32_t _spacer[4];
};

typedef uint16_t grant_status_t;   /* v2 status frames: one per entry */

/* Entry flags.  Bits 0-1: type. */
#define GTF_invalid           (0u << 0)
#define GTF_permit_access     (1u << 0)
#define GTF_accept_transfer   (2u << 0)
#define GTF_transitive        (3u << 0)
#define GTF_type_mask         (3u << 0)
#define GTF_readonly          (1u << 2)   /* permit_access: map read-only */
#define GTF_reading           (1u << 3)   /* set by hypervisor while read */
#define GTF_writing           (1u << 4)   /* set by hypervisor while written */
#define GTF_PWT               (1u << 5)
#define GTF_PCD               (1u << 6)
#define GTF_PAT               (1u << 7)
#define GTF_sub_page          (1u << 8)   /* v2 sub_page form */
#define GTF_transfer_committed (1u << 2)  /* accept_transfer */
#define GTF_transfer_completed (1u << 3)

/* ---- Sub-ops -------------------------------------------------------- */
#define GNTTABOP_map_grant_ref       0
#define GNTTABOP_unmap_grant_ref     1
#define GNTTABOP_setup_table         2
#define GNTTABOP_dump_table          3
#define GNTTABOP_transfer            4
#define GNTTABOP_copy                5
#define GNTTABOP_query_size          6
#define GNTTABOP_unmap_and_replace   7
#define GNTTABOP_set_version         8
#define GNTTABOP_get_status_frames   9
#define GNTTABOP_get_version        10
#define GNTTABOP_swap_grant_ref     11
#define GNTTABOP_cache_flush        12

/* map flags */
#define GNTMAP_device_map       (1u << 0)
#define GNTMAP_host_map         (1u << 1)
#define GNTMAP_readonly         (1u << 2)
#define GNTMAP_application_map  (1u << 3)   /* user-accessible mapping */
#define GNTMAP_contains_pte     (1u << 4)   /* host_addr is a PTE's maddr */
#define _GNTMAP_guest_avail0    16          /* bits 16+: copied to PTE bits 9+ */
#define GNTMAP_guest_avail_mask ((uint32_t)~0u << _GNTMAP_guest_avail0)

/* per-element status */
#define GNTST_okay               0
#define GNTST_general_error     (-1)
#define GNTST_bad_domain        (-2)
#define GNTST_bad_gntref        (-3)
#define GNTST_bad_handle        (-4)
#define GNTST_bad_virt_addr     (-5)
#define GNTST_bad_dev_addr      (-6)
#define GNTST_no_device_space   (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page          (-9)
#define GNTST_bad_copy_arg      (-10)
#define GNTST_address_too_big   (-11)
#define GNTST_eagain            (-12)
#define GNTST_no_space          (-13)

struct gnttab_map_grant_ref {
	uint64_t host_addr;      /* IN */
	uint32_t flags;          /* IN: GNTMAP_* */
	grant_ref_t ref;         /* IN */
	uint16_t dom;            /* IN: granting domain */
	int16_t  status;         /* OUT: GNTST_* */
	grant_handle_t handle;   /* OUT */
	uint64_t dev_bus_addr;   /* OUT */
};

struct gnttab_unmap_grant_ref {
	uint64_t host_addr;      /* IN */
	uint64_t dev_bus_addr;   /* IN */
	grant_handle_t handle;   /* IN */
	int16_t  status;         /* OUT */
	uint16_t _pad;
};

struct gnttab_setup_table {
	uint16_t dom;            /* IN */
	uint16_t _pad;
	uint32_t nr_frames;      /* IN */
	int16_t  status;         /* OUT */
	uint16_t _pad2[3];
	uint64_t frame_list;     /* IN: guest VA of xen_pfn_t[nr_frames] (OUT data) */
};

struct gnttab_dump_table {
	uint16_t dom;            /* IN */
	int16_t  status;         /* OUT */
};

struct gnttab_transfer {
	uint64_t mfn;            /* IN */
	uint16_t domid;          /* IN */
	uint16_t _pad;
	grant_ref_t ref;         /* IN */
	int16_t  status;         /* OUT */
	uint16_t _pad2[3];
};

#define GNTCOPY_source_gref   (1u << 0)
#define GNTCOPY_dest_gref     (1u << 1)

struct gnttab_copy_ptr {
	union {
		grant_ref_t ref;
		uint64_t gmfn;
	} u;
	uint16_t domid;
	uint16_t offset;
	uint32_t _pad;
};

struct gnttab_copy {
	struct gnttab_copy_ptr source;  /* IN */
	struct gnttab_copy_ptr dest;    /* IN */
	uint16_t len;                   /* IN */
	uint16_t flags;                 /* IN: GNTCOPY_* */
	int16_t  status;                /* OUT */
	uint16_t _pad;
};

struct gnttab_query_size {
	uint16_t dom;            /* IN */
	uint16_t _pad;
	uint32_t nr_frames;      /* OUT */
	uint32_t max_nr_frames;  /* OUT */
	int16_t  status;         /* OUT */
	uint16_t _pad2;
};

struct gnttab_unmap_and_replace {
	uint64_t host_addr;      /* IN */
	uint64_t new_addr;       /* IN */
	grant_handle_t handle;   /* IN */
	int16_t  status;         /* OUT */
	uint16_t _pad;
};

struct gnttab_set_version {
	uint32_t version;        /* IN/OUT: 1 or 2 */
};

struct gnttab_get_status_frames {
	uint32_t nr_frames;      /* IN */
	uint16_t dom;            /* IN */
	int16_t  status;         /* OUT */
	uint64_t frame_list;     /* IN: guest VA of uint64_t[nr_frames] */
};

struct gnttab_get_version {
	uint16_t dom;            /* IN */
	uint16_t pad;
	uint32_t version;        /* OUT */
};

struct gnttab_swap_grant_ref {
	grant_ref_t ref_a;       /* IN */
	grant_ref_t ref_b;       /* IN */
	int16_t  status;         /* OUT */
	uint16_t _pad;
};

#define GNTTAB_CACHE_CLEAN        (1u << 0)
#define GNTTAB_CACHE_INVAL        (1u << 1)
#define GNTTAB_CACHE_SOURCE_GREF  (1u << 31)

struct gnttab_cache_flush {
	union {
		uint64_t dev_bus_addr;
		grant_ref_t ref;
	} a;                     /* IN */
	uint16_t offset;         /* IN */
	uint16_t length;         /* IN */
	uint32_t op;             /* IN: GNTTAB_CACHE_* */
};

_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1");
_Static_assert(sizeof(union grant_entry_v2) == 16, "grant_entry_v2");
_Static_assert(offsetof(union grant_entry_v2, full_page.frame) == 8, "v2 frame");
_Static_assert(offsetof(union grant_entry_v2, sub_page.length) == 6, "v2 len");
_Static_assert(offsetof(union grant_entry_v2, transitive.gref) == 8, "v2 gref");
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "map");
_Static_assert(offsetof(struct gnttab_map_grant_ref, status) == 18, "map status");
_Static_assert(offsetof(struct gnttab_map_grant_ref, handle) == 20, "map handle");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dev_bus_addr) == 24, "map dba");
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "unmap");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, status) == 20, "unmap status");
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "setup_table");
_Static_assert(offsetof(struct gnttab_setup_table, status) == 8, "setup status");
_Static_assert(offsetof(struct gnttab_setup_table, frame_list) == 16, "setup fl");
_Static_assert(sizeof(struct gnttab_dump_table) == 4, "dump");
_Static_assert(sizeof(struct gnttab_transfer) == 24, "transfer");
_Static_assert(sizeof(struct gnttab_copy) == 40, "copy");
_Static_assert(offsetof(struct gnttab_copy, dest) == 16, "copy dest");
_Static_assert(offsetof(struct gnttab_copy, len) == 32, "copy len");
_Static_assert(offsetof(struct gnttab_copy, status) == 36, "copy status");
_Static_assert(sizeof(struct gnttab_query_size) == 16, "query_size");
_Static_assert(offsetof(struct gnttab_query_size, status) == 12, "qs status");
_Static_assert(sizeof(struct gnttab_unmap_and_replace) == 24, "unmap_replace");
_Static_assert(sizeof(struct gnttab_set_version) == 4, "set_version");
_Static_assert(sizeof(struct gnttab_get_status_frames) == 16, "status_frames");
_Static_assert(sizeof(struct gnttab_get_version) == 8, "get_version");
_Static_assert(sizeof(struct gnttab_swap_grant_ref) == 12, "swap");
_Static_assert(sizeof(struct gnttab_cache_flush) == 16, "cache_flush");

#endif /* PUBLIC_GRANT_TABLE_H */
