/*
 * The frame audit: recompute, from everything that can hold a reference on
 * a frame, what every frame's counts and type must be, and compare with
 * the frame table. PARAVANE_SYSCTL_audit runs it for Dom0 (after a fuzz
 * run, say); the host fuzz harnesses run the same code after every step.
 *
 * What it checks (docs/security.md "The frame audit"):
 *   - count and type_count of every frame equal the references found: the
 *     allocation, pins, partial tables' own, every entry of every validated
 *     table, CR3s, GDT/LDT frames, grant pins and grant-table frames,
 *     shared_info, vcpu_info, FIFO event frames, the pirq EOI map;
 *   - every holder agrees on the frame's type, and the frame has it: so no
 *     writable L1 entry names a page-table or descriptor frame;
 *   - table entries name frames their rules allow (the owner's validated
 *     tables; in an L1 the owner's frames, a privileged domain's foreign
 *     and I/O frames), complete L4s carry the hypervisor's slots, and each
 *     vCPU's hardware GDT/LDT is the checked copy of its frames;
 *   - every frame's owner is a domain that exists (dying ones too), the
 *     hypervisor (free frames: no references) or DOMID_IO; each domain's
 *     tot_pages is the frames it owns, dying or not;
 *   - the grant maps: every maptrack entry in use names a grant pinned for
 *     its domain, and all pins are such mappings (no copy runs meanwhile).
 *
 * Everything runs under the big lock, O(frames + table entries + grants).
 */
#ifndef AUDIT_H
#define AUDIT_H

#include <lib.h>
#include <page.h>

/* The references found for one frame. */
struct audit_frame {
	uint32_t refs;
	uint32_t type_refs : 28;
	uint32_t need : 4;      /* the type some holder relies on (PGT_none: none yet) */
};

#define AUDIT_MSG 96

struct audit {
	struct audit_frame *f;  /* [frame_table_size], the caller's scratch */
	uint64_t frames;        /* frames checked */
	uint64_t violations;
	mfn_t first_mfn;        /* the frame of the first violation (~0: none or no frame) */
	char first[AUDIT_MSG];  /* what it was */
	unsigned phase;         /* of audit_step: 3 when done */
	mfn_t cursor;           /* the next frame of the phase */
};

/* Bytes of scratch `f` needs. */
static inline uint64_t audit_scratch_bytes(void)
{
	return frame_table_size * sizeof(struct audit_frame);
}

/* Run the audit over the whole frame table; a->f is the caller's, the rest is set. */
void audit_run(struct audit *a);
/*
 * The same in steps, for a caller that stops in between (the sysctl's
 * continuations): audit_begin, then audit_step until it returns true, each
 * step going through at most `budget` frames. Valid only if nothing
 * changed the frames, their holders or the domain list in between: the
 * caller makes sure of that (sysctl_audit: frame_changes, domain.h, did
 * not move) or begins again.
 */
void audit_begin(struct audit *a);
bool audit_step(struct audit *a, uint64_t budget);

/* A violation: counted; the first one's description kept. */
void audit_fail(struct audit *a, mfn_t m, const char *fmt, ...) PRINTF_LIKE(3, 4);
/* One general reference on m, plus one of `type` unless PGT_none, held for `why`. */
void audit_hold(struct audit *a, mfn_t m, unsigned type, const char *why);

/* common/audit_holders.c: the references common code holds for d (grant tables, events, vcpu_info). */
void audit_domain_refs(struct audit *a, struct domain *d);
/* The grant maps of every domain against the pins (after all domains' references). */
void audit_grant_maps(struct audit *a);
/*
 * arch/x86/pv/audit.c: the references entries of table m hold (owner: its
 * owner, NULL if none), checking each entry's rules.
 */
void arch_audit_table(struct audit *a, mfn_t m, const struct domain *owner);
/* arch/x86/pv/audit.c: d's CR3s, GDT/LDT frames and their hardware copies, the EOI map. */
void arch_audit_domain_refs(struct audit *a, struct domain *d);

/* common/sysctl_audit.c: PARAVANE_SYSCTL_audit, a row of common/sysctl.c's table */
struct xen_sysctl;
int64_t sysctl_audit(struct vcpu *v, struct xen_sysctl *op);

#endif
