/*
 * Per-frame bookkeeping: the frame table, and the type and reference-count
 * state machine that keeps a PV guest inside its memory. The rules are in
 * common/page_type.c (design essay at its top, and docs/memory.md); the
 * per-architecture check of one table's entries is behind the arch_page_*
 * hooks declared at the end of this header.
 *
 * Every frame has
 *   owner       the domain it belongs to; DOMID_XEN for the hypervisor's and
 *               free frames, DOMID_IO for frames that are not RAM.
 *   count       general references: "this frame must not be freed or change
 *               owner". The domain's allocation holds one (PGF_allocated);
 *               each guest page-table entry, CR3, pin and descriptor-table
 *               slot that names the frame holds one more.
 *   type        what the frame is used as, and type_count the references
 *               that rely on it: an L1 table entry mapping the frame
 *               writable holds a PGT_writable reference; an L2 entry naming
 *               it holds a PGT_l1 reference; and so on. A frame can have
 *               only one type at a time, and changes type only when
 *               type_count is 0. That single rule is what stops a guest
 *               from holding a writable mapping of one of its page tables.
 *
 * Locking: every CPU runs the hypervisor under the big lock with interrupts
 * off (docs/locking.md), so counts and types change under that lock alone.
 */
#ifndef PAGE_H
#define PAGE_H

#include <domain.h>
#include <frame_alloc.h>
#include <public/xen.h>

/* What a frame is used as. */
enum page_type {
	PGT_none = 0,           /* no type reference has been taken yet */
	PGT_l1, PGT_l2, PGT_l3, PGT_l4,   /* page-table levels: read-only to the guest */
	PGT_seg_desc,           /* GDT/LDT frame: read-only to the guest */
	PGT_writable,           /* mapped writable somewhere (or was: see below) */
	PGT_nr
};

/* page_info.flags */
#define PGF_allocated  0x01     /* the owner's allocation reference is held */
#define PGF_validated  0x02     /* contents checked for `type` (tables, seg_desc) */
#define PGF_pinned     0x04     /* a pin holds one general and one type reference */
#define PGF_xen_shared 0x08     /* the hypervisor's, shared with owner (page_share) */
#define PGF_partial    0x10     /* table validation stopped part-way (see below) */
#define PGF_devalidating 0x20   /* with PGF_partial: devalidation stopped part-way (see below) */
#define PGF_deval_below  0x40   /* devalidating: entry validated_upto - 1's table is, too (below) */
#define PGF_zeroed     0x80     /* cleared when last freed (free_frames), untouched since: a domain may have it as is; gone once assigned (page_assign, page_share set the flags) */

struct page_info {
	domid_t owner;          /* DOMID_XEN: the hypervisor's or free; DOMID_IO: not RAM */
	uint8_t type;           /* enum page_type */
	uint8_t flags;          /* PGF_* */
	uint32_t count;         /* general references */
	uint32_t type_count;    /* references relying on `type` */
	uint32_t validated_upto; /* PGF_partial (either way): entries [0, this) hold their references */
	uint64_t tlbflush_stamp; /* arch_tlb_clock() when the last type reference or the frame went; 0: flushed */
};

/*
 * A partially validated table (PGF_partial): validation of `type` was
 * preempted (-XEN_ERESTART) and will resume at entry validated_upto when
 * the next reference of that type is asked for (the guest re-issuing its
 * pin, CR3 load or mmu_update). Meanwhile the frame holds one general and
 * its only type reference on itself (type_count == 1), so it can be neither
 * freed nor retyped nor mapped writable, and, not being validated, nothing
 * can load or reference it as a table either. Entries [0, validated_upto)
 * hold their references; the entry at validated_upto holds none (the table
 * it names may itself be partial, holding itself). A partial frame never
 * holds a reference on another partial frame, so they can be dropped in any
 * order (page_drop_partial).
 *
 * The other direction is the same state with PGF_devalidating also set: the
 * last type reference of a table went (unpin, a CR3 switch) and dropping
 * its entries' references, from the last entry down, was preempted.
 * Entries [0, validated_upto) still hold theirs; the frame keeps its type
 * and one type reference (the one that went, type_count == 1) and holds a
 * general reference on itself, not validated. Anything that asks for a
 * type reference on it (get_page_type of any type) first finishes the
 * devalidation (preemptibly for a table type: -XEN_ERESTART, the caller
 * continues); page_finish_devalidation is the request that started it
 * coming back; page_drop_partial finishes it at once. The table an entry
 * names may be left devalidating too: the entry's references become that
 * table's own (so "no partial frame holds a reference on another" still
 * holds) and the parent sets PGF_deval_below, keeping the entry inside
 * [0, validated_upto) only as a note that finishing the parent starts by
 * finishing that table (which may have been finished by someone else
 * meanwhile: then nothing is left to do).
 */

/*
 * Counts stop short of wrapping: a get that would pass this fails. The
 * headroom above it is for the one reference a partial frame takes on
 * itself (get_page_type), which cannot fail.
 */
#define PAGE_COUNT_MAX 0xfffffff0u

extern struct page_info *frame_table;
extern uint64_t frame_table_size;   /* frames described */

/*
 * Set up the frame table for nr_frames frames: all owned by DOMID_XEN,
 * except what the saved machine memory map (memmap.h) says is not RAM,
 * which is DOMID_IO.
 */
void frame_table_init(uint64_t nr_frames);

static inline bool mfn_owned_by(mfn_t mfn, domid_t d)
{
	return mfn < frame_table_size && frame_table[mfn].owner == d;
}

static inline struct page_info *mfn_to_page(mfn_t mfn)
{
	return &frame_table[mfn];
}

static inline bool page_type_is_table(unsigned t)
{
	return t >= PGT_l1 && t <= PGT_l4;
}

/* ---- Allocation (common/page.c) ---------------------------------------- */

/*
 * Frames [mfn, mfn + n) fresh from alloc_frames() made fit for a guest:
 * each without PGF_zeroed is cleared (it may hold what its last user left,
 * if the background clearing has not reached it yet, or what firmware left).
 */
void page_clear_unless_zeroed(mfn_t mfn, uint64_t n);

/*
 * Give a free frame to d: owner d, the allocation reference, tot_pages + 1.
 * The caller got mfn from alloc_frames(). Returns 0 or -XEN_ENOMEM when d is
 * at max_pages (then the frame is still the caller's).
 */
int page_assign(struct domain *d, mfn_t mfn);

/*
 * Drop d's allocation reference on mfn (balloon out, decrease_reservation).
 * The frame is freed when its last reference goes, which may be later (a
 * pin, a table entry or CR3 still names it).
 * -XEN_EINVAL if d does not own it or it is not allocated.
 */
int page_release(struct domain *d, mfn_t mfn);
/*
 * decrease_reservation's extent: page_release of the n frames from mfn,
 * all or none. -XEN_EINVAL (nothing done) unless all are d's and
 * allocated. A frame left devalidating (PGF_devalidating) has that
 * finished first, preemptibly: -XEN_ERESTART, nothing released yet, the
 * caller continues and asks again.
 */
int page_release_extent(struct domain *d, mfn_t mfn, uint64_t n);

/*
 * A frame the hypervisor uses and shares with d (grant-table frames, as Xen's
 * "xen heap pages shared with the guest"): owner d, so d may map it, writable,
 * like its own; not counted in tot_pages; never given back by d (no
 * allocation reference). The caller (the frame's user) holds one general and
 * one PGT_writable type reference, so the frame can never become a table;
 * put_page_and_type drops them and the frame is freed when d's mappings of it
 * go too. The caller got mfn from alloc_frames().
 */
void page_share(struct domain *d, mfn_t mfn);

/* ---- References and types (common/page_type.c) ------------------------- */

/*
 * Frames [mfn, mfn + 2^order) were just taken from the allocator, for
 * anyone: a domain that freed one of them may still have read-only TLB
 * entries for it (page_free does not flush those), so flush every CPU that
 * has not flushed since. alloc_frames() calls it; cheap when the frames
 * were never a domain's or were freed long ago.
 */
void page_flush_reused(mfn_t mfn, unsigned order);
/*
 * Between these, freed frames whose last writable mapping went since the
 * CPUs' last flush are held back and freed together after one flush
 * (domain teardown); every frame is free again when _end returns.
 */
void page_free_batch_begin(void);
void page_free_batch_end(void);

/* One general reference on a frame owned by d. 0, -XEN_EINVAL (not d's), -XEN_EBUSY (count full). */
int get_page(struct domain *d, mfn_t mfn);
void put_page(mfn_t mfn);

/*
 * One reference of `type`; the caller holds a general reference. Taking the
 * first reference of a new type validates the frame for it (tables: every
 * entry, recursively; see arch_page_validate). Refused while the frame has
 * references of another type. 0, or -XEN_EINVAL (type conflict or invalid
 * contents), -XEN_EBUSY (count full), -XEN_EPERM (contents name frames the
 * owner may not use), or -XEN_ERESTART: validation was preempted and the
 * frame (or one below it) is left partial (PGF_partial); nothing is held
 * for the caller, which continues its hypercall so that the guest asks
 * again, and the same request then resumes where validation stopped.
 */
int get_page_type(struct domain *d, mfn_t mfn, unsigned type);
void put_page_type(mfn_t mfn);
/*
 * put_page_type for the top of a hypercall that can continue: 0, or
 * -XEN_ERESTART: the reference is gone but the frame's devalidation
 * stopped part-way (PGF_devalidating, holding itself); the caller keeps
 * its general reference to drop as usual, and finishes the work with
 * page_finish_devalidation before it reports success to the guest.
 */
int put_page_type_preemptible(mfn_t mfn);
/*
 * Finish a frame's pending devalidation: 0 (also if none), or (only when
 * preemptible) -XEN_ERESTART (progress made).
 */
int page_finish_devalidation(mfn_t mfn, bool preemptible);

/* Both, in the right order; get fails with nothing held. */
int get_page_and_type(struct domain *d, mfn_t mfn, unsigned type);
/*
 * Would get_page_and_type(d, mfn, type) succeed now, with no validation to
 * run? For callers that check a whole request before taking anything.
 * Conservative: a frame part-way through (de)validation, a table not yet
 * validated for `type`, or a count at its limit answer false. An untyped
 * frame answering true has had every stale writable TLB entry flushed, so
 * its contents stay as the caller then reads them (under the big lock).
 */
bool page_type_available(struct domain *d, mfn_t mfn, unsigned type);
void put_page_and_type(mfn_t mfn);

/*
 * MMUEXT_PIN_L*_TABLE / MMUEXT_UNPIN_TABLE. Pin: -XEN_EINVAL if already
 * pinned; -XEN_ERESTART as get_page_type (not pinned yet).
 */
int page_pin(struct domain *d, mfn_t mfn, unsigned type);
int page_unpin(struct domain *d, mfn_t mfn);
/*
 * Unpin through put_page_type_preemptible: -XEN_ERESTART means unpinned,
 * with the frame's devalidation pending (page_finish_devalidation).
 */
int page_unpin_preemptible(struct domain *d, mfn_t mfn);

/*
 * An abandoned partial validation (the domain is dying, or gives up), or
 * a pending devalidation: drop the references entries [0, validated_upto)
 * still hold and the frame's own, at once (not preemptible), so the frame
 * becomes untyped (and is freed if nothing else holds it). No-op on a
 * frame that is not partial.
 */
void page_drop_partial(mfn_t mfn);
/* Every partial frame of d (domain teardown). */
void page_drop_partials(struct domain *d);

/* ---- What common code needs from the architecture ---------------------- */

/*
 * Check the entries from *next on of the table (or descriptor frame) mfn,
 * owned by d, for `type`, taking the references they imply (which may
 * validate lower tables in turn); entries before *next already hold theirs.
 * 0: all done. An error: every entry's references (from 0) dropped again.
 * -XEN_ERESTART (arch_hypercall_preempt_check() said stop, here or in a
 * table below): entries [0, *next) hold their references, *next is where
 * to resume. Called with the frame's type already set and type_count 1.
 */
int arch_page_validate(struct domain *d, mfn_t mfn, unsigned type, unsigned *next);

/*
 * Drop the references entries [0, *end) of a table hold: its last type
 * reference went (*end = all), or a partial state is abandoned. *below
 * (PGF_deval_below): entry *end - 1 holds none, its table is to be
 * finished (page_finish_devalidation) instead. 0: all dropped (*end = 0).
 * Preemptible (only then), after each present entry at L2-L4, from the
 * last entry down: -XEN_ERESTART, the work left is described by *end and
 * *below as above.
 */
int arch_page_devalidate(mfn_t mfn, unsigned type, unsigned *end, bool *below, bool preemptible);
#define PAGE_ENTRIES_ALL 512u

/*
 * A frame that may still sit in a TLB or paging-structure cache (as a
 * writable mapping, a table, a descriptor frame, or any mapping of a freed
 * frame) is about to change type or owner: flush every TLB that could hold
 * it, i.e. that has not been flushed since arch_tlb_clock() read `stamp`.
 */
void arch_page_flush_tlbs(uint64_t stamp);
/* A clock that any full TLB flush after this call moves past the value returned. */
uint64_t arch_tlb_clock(void);

/* The machine-to-phys entry of mfn (~0: none). */
void arch_page_m2p_set(mfn_t mfn, uint64_t pfn);
/* The first frame of the M2P table's 2 MiB extent i (machine-contiguous), INVALID_MFN past its end. */
mfn_t arch_m2p_extent_mfn(uint64_t i);
/* Where every PV guest sees the M2P table (read-only). */
uint64_t arch_m2p_guest_va(void);

/* Long operations stop with arch_hypercall_preempt_check() (hypercall.h). */

#endif
