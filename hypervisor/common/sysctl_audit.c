/*
 * PARAVANE_SYSCTL_audit: the frame audit (audit.h) for Dom0, which runs
 * it after fuzzing a guest, or a DomU, and fails the run on a violation.
 * Each violation found is counted; the first is described in the reply
 * and on the console.
 *
 * The audit goes through every frame twice, which on a large machine is
 * too long to hold the big lock (and this CPU's interrupts) in one go. It
 * stops for a continuation every AUDIT_RUN frames when asked to
 * (arch_hypercall_preempt_check) and resumes where it was, but only if
 * nothing it counts changed meanwhile (frame_changes, domain.h: every
 * change of a frame's owner, counts, type or flags, so every page-table
 * write, pin, grant mapping and balloon change that matters, and every
 * domain created, freed or losing its grant mappings). Then the counts so
 * far still hold and no domain it found was freed, whatever else ran:
 * interrupts, a guest's traps and hypercalls that change no frame, idle
 * CPUs clearing free frames. Otherwise it begins again, and after
 * AUDIT_RESTARTS beginnings it no longer stops (a busy machine, or a second
 * caller, would otherwise keep it from ever ending): at worst one pass
 * without a stop, as before continuations.
 */
#include <audit.h>
#include <console.h>
#include <hypercall.h>
#include <public/errno.h>
#include "sysctl.h"

#define AUDIT_RUN      4096
#define AUDIT_RESTARTS 4

static struct audit cur;            /* the audit in progress, if cur.f */
static uint64_t changes_at;         /* frame_changes when it stopped */
static unsigned restarts;

int64_t sysctl_audit(struct vcpu *v, struct xen_sysctl *op)
{
	struct paravane_sysctl_audit *r = &op->u.audit;
	bool in_progress = cur.f != NULL;
	bool resume = in_progress && frame_changes == changes_at;

	(void)v;
	if (!in_progress && !(cur.f = xzalloc_bytes(audit_scratch_bytes())))
		return -XEN_ENOMEM;
	if (!resume) {
		restarts = in_progress ? restarts + 1 : 0;
		audit_begin(&cur);
	}
	while (!audit_step(&cur, AUDIT_RUN))
		if (restarts < AUDIT_RESTARTS && arch_hypercall_preempt_check()) {
			changes_at = frame_changes;
			return -XEN_ERESTART;
		}
	xfree_bytes(cur.f, audit_scratch_bytes());
	cur.f = NULL;
	r->frames = cur.frames;
	r->violations = cur.violations;
	r->first_mfn = cur.first_mfn;
	memcpy(r->first, cur.first, sizeof(r->first));
	r->first[sizeof(r->first) - 1] = 0;
	if (cur.violations)
		printk("audit: %lu violation(s) in %lu frames; first: %s\n", (unsigned long)cur.violations,
		       (unsigned long)cur.frames, cur.first);
	return 0;
}
