/*
 * domu.h - a Dom0 test kernel builds a DomU from scratch, with the
 * hypercalls a toolstack uses (createdomain, max_vcpus, max_mem,
 * populate_physmap naming it, its page tables written through a foreign
 * mapping, its L4 pinned naming it, an event channel between the two,
 * setvcpucontext), for any size up to 1 GiB; and the sysctls such tests
 * read (free pages, the frame audit, debug keys and the console ring).
 * Linked into the guests that need it (GUEST_EXTRA_* in module.mk), not
 * into all.
 *
 * The DomU's pseudo-physical layout: pfn 0 its L4, 1 its L3, 2 its L2,
 * 3.. its L1s (one per 512 pfns), then the payload's code, stack, console
 * ring and data pages; whatever is left is plain memory. Every pfn below
 * nr_mapped (all of them unless the caller lowers it between domu_create
 * and domu_load) is mapped at DOMU_VA(pfn), the page tables read-only;
 * with a shared_info frame given, the slot after the last pfn maps it
 * writable.
 *
 * The payload runs in guest kernel mode with RBX = its data page, RBP =
 * its console page, R15 = its vCPU id, RSP near the top of its stack page
 * (2 KiB per vCPU), events masked, no trap table and no callbacks.
 */
#ifndef DOMU_H
#define DOMU_H

#include "guest.h"
#include "public/domctl.h"
#include "public/sysctl.h"

#define DOMU_BASE       0x40000000ULL   /* L4 slot 0, L3 slot 1 */
#define DOMU_VA(pfn)    (DOMU_BASE + (uint64_t)(pfn) * 4096)
#define DOMU_MAX_PAGES  (512UL * 511)    /* one L2, one slot spare */
enum { DOMU_PFN_L4, DOMU_PFN_L3, DOMU_PFN_L2, DOMU_PFN_L1 };   /* the first L1 */

/* Timestamps (system time, ns) domu_create and domu_load take */
enum { DOMU_T_START, DOMU_T_CREATED, DOMU_T_POPULATED, DOMU_T_TABLES, DOMU_T_PINNED, DOMU_T_NR };

struct domu {
	domid_t id;
	evtchn_port_t port;        /* Dom0's end of the event channel */
	evtchn_port_t domu_port;   /* the DomU's end */
	unsigned long nr_pages, nr_l1;
	unsigned long nr_mapped;   /* pfns the DomU maps: the rest it cannot touch (e.g. for descriptor frames) */
	unsigned long code, stack, cons, data;   /* pfns */
	uint64_t *mfn;             /* pfn -> MFN, the caller's array */
	uint64_t t[DOMU_T_NR];
};

/* createdomain's max_maptrack_frames for the next domu_create (-1: the default) */
extern int32_t domu_max_maptrack_frames;

/* The last domctl and its answer (getdomaininfo's fields after domu_info) */
extern struct xen_domctl domu_op;
long domu_domctl(uint32_t cmd, domid_t dom);   /* domu_op.u as the caller left it */
long domu_simple(uint32_t cmd, domid_t dom);   /* domu_op.u cleared */
long domu_info(domid_t dom);
long domu_vcpuinfo(domid_t dom, unsigned vcpu);
/* createdomain with a toolstack's defaults (grant v1, domu_max_maptrack_frames); the id in domu_op.domain */
long domu_createdomain(unsigned vcpus);
uint64_t domu_free_pages(void);                /* physinfo free_pages; 0 on error */
/* Paravane's debug keys (the sysctl): press `key` */
long domu_debug_key(char key);
/* The decimal number after the last `key` in the console ring; -1 if absent */
long domu_ring_number(const char *key);

/*
 * Created, limits set, memory populated (the M2P names each pfn), the
 * event channel bound, in `mfn` (nr_pages entries). 0 on failure, reported
 * under tname("<what>_build_*"); the domain, if created, is left to the
 * caller (u->id non-zero).
 */
int domu_create(struct domu *u, uint64_t *mfn, unsigned long nr_pages, unsigned vcpus);
int domu_m2p_names(const struct domu *u);   /* 1 if the M2P names each pfn of u->mfn */
/* Payload and data copied in, tables written and the L4 pinned; shinfo_mfn 0: not mapped. */
int domu_load(struct domu *u, const void *code, size_t code_len, const void *data, size_t data_len,
	      uint64_t shinfo_mfn);
/* The payload's start context for `vcpu` (online, kernel mode) */
void domu_context(struct vcpu_guest_context *c, const struct domu *u, unsigned vcpu);
long domu_set_context(domid_t id, unsigned vcpu, struct vcpu_guest_context *c);
long domu_get_context(domid_t id, unsigned vcpu, struct vcpu_guest_context *c);

/*
 * Dom0's windows onto other domains' frames: window w maps frame mfn of
 * dom with `flags`; mfn 0 gives the page back to us.
 */
extern uint8_t domu_windows[2][4096];
long domu_map_window(unsigned w, domid_t dom, uint64_t mfn, uint64_t flags);
#define DOMU_RW (PTE_P | PTE_W | PTE_A | PTE_D)
#define DOMU_RO (PTE_P | PTE_A)
/* Frame mfn of dom cleared, then n bytes of src at `at`, through window 0; 0 if it cannot be mapped */
int domu_write_frame(domid_t dom, uint64_t mfn, const void *src, size_t n, size_t at);
uint64_t domu_own_mfn(const void *va);   /* the frame behind a page of ours */
uint64_t domu_own_pte(const void *va);   /* the L1 entry that maps it */

/* Event ports in our shared_info */
int domu_port_pending(evtchn_port_t p);
void domu_port_clear(evtchn_port_t p);
void domu_port_mask(evtchn_port_t p);
int domu_wait_port(evtchn_port_t p, unsigned ms);   /* yields; 1 if it is pending */
void domu_spin_ms(unsigned ms);                     /* yields */
evtchn_port_t domu_bind_dom_exc(void);              /* masked, clear; 0 on failure */

/*
 * Frames back after a destroy: exactly on Paravane; on Xen, which may
 * keep a page or two of its own heap grown meanwhile, within that.
 */
int domu_free_back(uint64_t before, uint64_t after);
/* Wait up to `ms` for that; returns domu_free_back's answer, the free pages in *after if not NULL */
int domu_wait_free(uint64_t before, unsigned ms, uint64_t *after);
/* destroydomain, then wait up to `ms` for the free pages; returns destroy's rc */
long domu_destroy_wait(domid_t id, uint64_t free_before, unsigned ms, uint64_t *free_after);

/*
 * The hypervisor's frame audit (PARAVANE_SYSCTL_audit) as a check named
 * `name`: on Paravane it must answer 0 with no violation (the first one is
 * printed); Xen has no such sysctl and must refuse it (-ENOSYS or
 * -EOPNOTSUPP). Returns 1 when it passed.
 */
int domu_audit(const char *name);

#endif
