/*
 * Grant tables: what the rest of the hypervisor sees (common/grant_table*.c).
 * The guest ABI is public/grant_table.h; the design, the state machine and
 * the limits are in docs/grant-tables.md.
 *
 * A domain's struct grant_table (d->gnttab) is created on first use: the
 * first grant_table_op that names the domain, as caller or as granter.
 *
 * Locking: every CPU runs the hypervisor under the big lock with interrupts
 * off (docs/locking.md), which covers every table. A per-table lock (taken in
 * domain-id order when two tables are involved) only if a benchmark shows
 * contention.
 */
#ifndef GRANT_TABLE_H
#define GRANT_TABLE_H

#include <domain.h>
#include <public/grant_table.h>

#define GNTTAB_DEFAULT_MAX_FRAMES     64     /* as xl's max_grant_frames */
#define GNTTAB_FRAMES_LIMIT           128    /* what gnttab_set_limits accepts */
#define GNTTAB_DEFAULT_MAPTRACK_FRAMES 1024  /* as xl's max_maptrack_frames */
#define GNTTAB_MAPTRACK_PER_FRAME     256    /* 16-byte entries */

/*
 * A domain's limits (the toolstack's max_grant_frames / max_maptrack_frames);
 * only before the table grows past them. 0 or -XEN_EINVAL.
 */
int gnttab_set_limits(struct domain *d, unsigned max_frames, unsigned max_maptrack_frames);

/*
 * The domain is ending (crash or shutdown): every grant it has mapped from
 * others is unmapped from its page tables, its TLB flushed, and the grants
 * released; its own table stops accepting maps and copies. Grants other
 * domains still hold on its frames stay valid until they unmap them, as on
 * Xen (the frames live on through the references those mappings hold).
 * Idempotent.
 */
void gnttab_domain_destroy(struct domain *d);
/* Free d's table once nothing of d is referenced any more (domain teardown). */
void gnttab_domain_free(struct domain *d);

/*
 * XENMEM_acquire_resource, type grant_table: the size of resource id
 * (XENMEM_resource_grant_table_id_*; 0 for no such id), and the MFNs of
 * frames [frame, frame + nr), the table grown to cover them (0, -XEN_EINVAL:
 * beyond the limit, unknown id, status frames outside version 2; -XEN_ENOMEM).
 */
unsigned gnttab_resource_max_frames(struct domain *d, uint32_t id);
int gnttab_resource_frames(struct domain *d, uint32_t id, uint64_t frame, uint32_t nr, uint64_t *mfns);

/* Live mappings d holds (maptrack entries in use); for tests and reports. */
unsigned gnttab_maptrack_used(const struct domain *d);
/* Debug key 'g': d's table and maptrack sizes, and its mappings, to the log. */
void gnttab_usage_print(const struct domain *d);

/* ---- What common code needs from the architecture (arch/x86/pv/mm_grant.c) ----
 * A grant mapping is a page-table entry that holds no references of its own:
 * the grant code holds them (one general reference on the frame, plus a
 * PGT_writable type reference for a writable mapping) for as long as its
 * maptrack entry lives. The entry carries a marker no guest-written entry may
 * carry, so the normal validation never accepts, copies or drops one.
 */

/*
 * Map `mfn` for the current vCPU v at addr: a virtual address in v's current
 * page tables, or with GNTMAP_contains_pte the machine address of an entry of
 * one of v's domain's L1 tables. flags: GNTMAP_* (readonly, guest_avail
 * bits). The entry that was there is dropped as an ordinary one.
 * *pte_maddr: where the entry was written. GNTST_okay or GNTST_general_error
 * (no such L1, misaligned, not the domain's table).
 */
int arch_gnttab_map(struct vcpu *v, uint64_t addr, uint32_t flags, mfn_t mfn,
		    uint64_t *pte_maddr);

/*
 * Undo arch_gnttab_map: addr (in the form `flags` says) must name the entry
 * at pte_maddr, which must still be the entry that map wrote: a grant
 * mapping of mfn, writable exactly when `flags` is not GNTMAP_readonly. With new_addr
 * (a virtual address; not with GNTMAP_contains_pte) the entry mapping
 * new_addr moves into that slot and new_addr's slot is cleared; a grant
 * entry at new_addr is refused. No TLB flush:
 * the caller flushes once per batch. GNTST_okay or GNTST_general_error.
 */
int arch_gnttab_unmap(struct vcpu *v, uint64_t addr, uint32_t flags, uint64_t pte_maddr,
		      mfn_t mfn, uint64_t new_addr);

/* Domain teardown: clear the entry at pte_maddr of d's if it is still the one map wrote. */
void arch_gnttab_zap(struct domain *d, uint64_t pte_maddr, mfn_t mfn, uint32_t flags);

/*
 * Flush every TLB that may hold d's mappings (before a grant is released).
 * With `unlock`, the other CPUs' answers are awaited with the big lock let
 * go (grant_table_map.c says why that is safe); returns the ns without it.
 */
uint64_t arch_gnttab_flush_tlbs(struct domain *d, bool unlock);

#endif
