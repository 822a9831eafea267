/*
 * PARAVANE_SYSCTL_audit: the frame audit (audit.h) for Dom0, which runs
 * it after fuzzing a guest, or a DomU, and fails the run on a violation.
 * Each violation found is counted; the first is described in the reply
 * and on the console.
 */
#include <audit.h>
#include <console.h>
#include <public/errno.h>
#include "sysctl.h"

int64_t sysctl_audit(struct vcpu *v, struct xen_sysctl *op)
{
	struct paravane_sysctl_audit *r = &op->u.audit;
	struct audit a = { 0 };

	a.f = xzalloc_bytes(audit_scratch_bytes());
	if (!a.f)
		return -XEN_ENOMEM;
	audit_run(&a);
	xfree_bytes(a.f, audit_scratch_bytes());
	r->frames = a.frames;
	r->violations = a.violations;
	r->first_mfn = a.first_mfn;
	memcpy(r->first, a.first, sizeof(r->first));
	r->first[sizeof(r->first) - 1] = 0;
	if (a.violations)
		printk("audit: %lu violation(s) in %lu frames; first: %s\n", (unsigned long)a.violations,
		       (unsigned long)a.frames, a.first);
	return 0;
}
