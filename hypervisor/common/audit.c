/*
 * The frame audit (audit.h): count every reference anything holds, then
 * compare with the frame table. Trusted code that only reads: it changes
 * nothing, so a bug here can report a false violation but not hurt a guest.
 */
#include <audit.h>
#include <stdarg.h>

static const char *type_name(unsigned t)
{
	static const char *const names[PGT_nr] = { "none", "L1", "L2", "L3", "L4", "seg_desc", "writable" };

	return t < PGT_nr ? names[t] : "?";
}

void audit_fail(struct audit *a, mfn_t m, const char *fmt, ...)
{
	va_list ap;

	if (a->violations++)
		return;
	a->first_mfn = m;
	va_start(ap, fmt);
	hv_vsnprintf(a->first, sizeof(a->first), fmt, ap);
	va_end(ap);
}

void audit_hold(struct audit *a, mfn_t m, unsigned type, const char *why)
{
	struct audit_frame *f;

	if (m >= frame_table_size) {
		audit_fail(a, m, "%s names frame %#lx past the frame table", why, (unsigned long)m);
		return;
	}
	f = &a->f[m];
	f->refs++;
	if (type == PGT_none)
		return;
	f->type_refs++;
	if (f->need != PGT_none && f->need != type)
		audit_fail(a, m, "frame %#lx held as %s and as %s (%s)", (unsigned long)m, type_name(f->need),
			   type_name(type), why);
	f->need = type & 15;
}

/*
 * The domains, each with the frames found owned. Static: the audit runs
 * under the big lock, one at a time. With more domains than this the audit
 * reports that it could not run, rather than take their frames for strays.
 */
#define AUDIT_MAX_DOMAINS 128
static struct domain *dom[AUDIT_MAX_DOMAINS];
static uint64_t owned[AUDIT_MAX_DOMAINS];
static unsigned nr_dom;

/* Index of domain id in dom[] (the last one found first: frames come in runs), or -1. */
static int dom_index(domid_t id)
{
	static unsigned last;

	if (last < nr_dom && dom[last]->domain_id == id)
		return (int)last;
	for (unsigned i = 0; i < nr_dom; i++)
		if (dom[i]->domain_id == id)
			return (int)(last = i);
	return -1;
}

/* The references a frame holds on itself or that its flags stand for, and its table's entries. */
static void frame_refs(struct audit *a, mfn_t m)
{
	const struct page_info *pg = &frame_table[m];
	int i = -1;

	if (pg->owner != DOMID_XEN && pg->owner != DOMID_IO) {
		i = dom_index(pg->owner);
		if (i < 0) {
			audit_fail(a, m, "frame %#lx owned by %u, no domain", (unsigned long)m, pg->owner);
			return;
		}
		/* a released frame counts until its last reference goes (page_free) */
		if (!(pg->flags & PGF_xen_shared))
			owned[i]++;
	}
	if (pg->flags & PGF_allocated)
		audit_hold(a, m, PGT_none, "allocation");
	if (pg->flags & PGF_pinned) {
		if (!page_type_is_table(pg->type))
			audit_fail(a, m, "frame %#lx pinned as %s", (unsigned long)m, type_name(pg->type));
		audit_hold(a, m, pg->type, "pin");
	}
	/* PGF_xen_shared: the hypervisor's holder reports its references (audit_domain_refs) */
	if (pg->flags & PGF_partial) {
		if (pg->type_count != 1 || (pg->flags & PGF_validated) || !page_type_is_table(pg->type))
			audit_fail(a, m, "partial frame %#lx: %s, type count %u, flags %#x", (unsigned long)m,
				   type_name(pg->type), pg->type_count, pg->flags);
		audit_hold(a, m, pg->type, "its own partial state");
	}
	if (page_type_is_table(pg->type))
		arch_audit_table(a, m, i < 0 ? NULL : dom[i]);
}

/* What was found against what the frame table says. */
static void frame_compare(struct audit *a, mfn_t m)
{
	const struct page_info *pg = &frame_table[m];
	const struct audit_frame *f = &a->f[m];

	if (pg->count != f->refs || pg->type_count != f->type_refs)
		audit_fail(a, m, "frame %#lx (owner %u, %s, flags %#x): counts %u/%u, %u/%u references found",
			   (unsigned long)m, pg->owner, type_name(pg->type), pg->flags, pg->count, pg->type_count,
			   f->refs, f->type_refs);
	else if (f->need != PGT_none && pg->type != f->need)
		audit_fail(a, m, "frame %#lx is %s but held as %s", (unsigned long)m, type_name(pg->type),
			   type_name(f->need));
	else if ((pg->owner == DOMID_XEN || pg->owner == DOMID_IO) && (pg->count || pg->type_count))
		audit_fail(a, m, "free, hypervisor or I/O frame %#lx has references", (unsigned long)m);
	else if (pg->owner == DOMID_XEN && (pg->flags & ~(PGF_validated | PGF_zeroed)))
		audit_fail(a, m, "free or hypervisor frame %#lx has flags %#x", (unsigned long)m, pg->flags);
}

void audit_begin(struct audit *a)
{
	a->frames = frame_table_size;
	a->violations = 0;
	a->first_mfn = ~0ULL;
	a->first[0] = 0;
	a->phase = 0;
	a->cursor = 0;
	memset(a->f, 0, audit_scratch_bytes());
	nr_dom = 0;
	for_each_domain(d) {
		if (nr_dom == AUDIT_MAX_DOMAINS) {
			audit_fail(a, ~0ULL, "more than %u domains: not audited", AUDIT_MAX_DOMAINS);
			a->phase = 3;
			return;
		}
		owned[nr_dom] = 0;
		dom[nr_dom++] = d;
	}
}

/*
 * Phases: 0 every frame's own references and its table's entries, 1 the
 * domains' holders, 2 the comparison, frame by frame, 3 done. Frames go
 * in runs of at most `budget`; the holders of phase 1 are one step.
 */
bool audit_step(struct audit *a, uint64_t budget)
{
	uint64_t end = a->cursor + MIN(budget, frame_table_size - a->cursor);

	switch (a->phase) {
	case 0:
		for (; a->cursor < end; a->cursor++)
			frame_refs(a, a->cursor);
		break;
	case 1:
		for (unsigned i = 0; i < nr_dom; i++) {
			arch_audit_domain_refs(a, dom[i]);
			audit_domain_refs(a, dom[i]);
		}
		audit_grant_maps(a);
		break;
	case 2:
		for (; a->cursor < end; a->cursor++)
			frame_compare(a, a->cursor);
		if (a->cursor < frame_table_size)
			break;
		for (unsigned i = 0; i < nr_dom; i++)
			if (dom[i]->tot_pages != owned[i])
				audit_fail(a, ~0ULL, "domain %u%s: tot_pages %lu, %lu frames owned", dom[i]->domain_id,
					   dom[i]->is_dying ? " (dying)" : "", (unsigned long)dom[i]->tot_pages,
					   (unsigned long)owned[i]);
		break;
	default:
		return true;
	}
	if (a->phase == 1 || a->cursor == frame_table_size) {
		a->phase++;
		a->cursor = 0;
	}
	return a->phase == 3;
}

void audit_run(struct audit *a)
{
	audit_begin(a);
	while (!audit_step(a, ~0ULL))
		;
}
