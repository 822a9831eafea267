/* Shared parts of the hypervisor fuzz harnesses (see hv_fuzz.h). */
#include "hv_fuzz.h"
#include "fake/guest_mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <public/errno.h>
#include <public/memory.h>
#include <asm/smp.h>
#include <asm/x86.h>
#include "mm.h"
#include <audit.h>

uint8_t fz_arg[FZ_ARG_SIZE];
static const bool fz_arg_mapped[FZ_ARG_SIZE / 4096] = { true, true, true, true };
const struct guest_mem_fake guest_mem_fake = {
	.va = FZ_ARG_VA, .mem = fz_arg, .size = FZ_ARG_SIZE, .page_mapped = fz_arg_mapped,
};

static struct arch_vcpu fz_arch[2];
struct vcpu fz_vcpu[2];
struct vcpu *fz_mm_cur;
bool fz_cont_pending;
void (*fz_extra_refs)(void);
void (*fz_domain_dying)(struct domain *d);
void (*fz_after_teardown)(void);

void fz_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "INVARIANT VIOLATED (%s:%d): ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void fz_trace(const char *call, uint64_t a, uint64_t b, int64_t rc)
{
	static int on = -1;

	if (on < 0)
		on = getenv("HV_FUZZ_TRACE") != NULL;
	if (on)
		fprintf(stderr, "d%u %s(%#lx, %#lx) = %ld%s\n", fz_cur->domain->domain_id, call, (unsigned long)a,
			(unsigned long)b, (long)rc, fz_cont_pending ? " (continues)" : "");
}

/* ---- What the hypercall code needs from the host ----------------------- */

/* mm.c is built with current_vcpu renamed to this: see tests/fuzz/module.mk. */
struct vcpu *fz_mm_current_vcpu(void) { return fz_mm_cur; }

/* after the fake machine recorded a continuation (fz_cont) */
static void note_continuation(void)
{
	if (fz_cont_pending)
		FZ_FAIL("two continuations from one hypercall (%lu)", (unsigned long)fz_cont.nr);
	fz_cont_pending = true;
}


/* The M2P table is not modelled. */
mfn_t arch_m2p_extent_mfn(uint64_t i)
{
	(void)i;
	return INVALID_MFN;
}

/* The hypervisor's own GDT entries do not matter here. */
void gdt_init_hv_entries(uint64_t *gdt) { (void)gdt; }

/*
 * Symbols only the CPU-facing parts of mm.c use (flushes of other CPUs, the
 * real M2P, boot-time pinning): the harness must never reach them.
 */
uint64_t boot_l4[512], tlb_clock;
#define FZ_UNREACHABLE(name) FZ_FAIL("%s reached: the harness does not model it", name)
void smp_flush_tlb_mask(cpumask_t mask) { FZ_UNREACHABLE("smp_flush_tlb_mask"); }
cpumask_t smp_domain_cpus(const struct domain *d) { FZ_UNREACHABLE("smp_domain_cpus"); }
cpumask_t smp_guest_cpus(void) { FZ_UNREACHABLE("smp_guest_cpus"); }
cpumask_t smp_cpus_not_flushed_since(cpumask_t mask, uint64_t stamp) { FZ_UNREACHABLE("smp_cpus_not_flushed_since"); }
void m2p_set(uint64_t mfn, uint64_t pfn) { FZ_UNREACHABLE("m2p_set"); }
uint64_t m2p_extent_mfn(uint64_t i) { FZ_UNREACHABLE("m2p_extent_mfn"); }
void arch_hypercall_enter(void) { FZ_UNREACHABLE("arch_hypercall_enter"); }
/* set_gdt loads the running vCPU's new GDT: nothing to load on the host. */
void gdt_load(const uint64_t *gdt) { (void)gdt; }

/* ---- Input ------------------------------------------------------------- */

uint8_t fz_u8(struct fz_in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

uint16_t fz_u16(struct fz_in *in)
{
	uint16_t lo = fz_u8(in);

	return (uint16_t)(lo | fz_u8(in) << 8);
}

uint64_t fz_frame(struct fz_in *in)
{
	static const uint64_t odd[] = { MM_IO_APIC, MM_FRAMES, 0xfffffffffULL, 0 };
	uint8_t b = fz_u8(in);

	return b < 4 * MM_FRAMES ? b % MM_FRAMES : odd[b % 4];
}

uint64_t fz_entry(struct fz_in *in)
{
	static const uint64_t bits[16] = {
		PTE_P, PTE_W, PTE_U, PTE_A, PTE_D, PTE_PS, PTE_G, PTE_NX,
		PTE_PWT, PTE_PCD, 1ULL << 9, 1ULL << 52, PTE_GNTTAB, 1ULL << 51, PTE_P, PTE_P | PTE_W,
	};
	uint64_t mfn = fz_frame(in), e = 0;
	uint16_t f = fz_u16(in);

	for (unsigned i = 0; i < 16; i++)
		if (f & (1u << i))
			e |= bits[i];
	return (mfn << 12) | e;
}

/* ---- Setup -------------------------------------------------------------- */

static bool seen_valid;   /* changes_counted's state at the last check is this machine's */

void fz_reset(unsigned seed)
{
	seen_valid = false;   /* the machine is built anew below */
	fake_mm_reset();
	memset(fz_arch, 0, sizeof(fz_arch));
	for (unsigned i = 0; i < 2; i++) {
		fz_vcpu[i] = (struct vcpu){ .domain = i ? &mm_dom_b : &mm_dom_a, .arch = &fz_arch[i] };
		fz_vcpu[i].domain->vcpus[0] = &fz_vcpu[i];   /* the domain knows its vCPU */
		fz_vcpu[i].domain->max_vcpus = 1;
		fz_arch[i].in_kernel = true;
		fz_arch[i].kernel_l4 = fz_arch[i].user_l4 = INVALID_MFN;
		if (pv_gdt_alloc(&fz_vcpu[i]))
			FZ_FAIL("no memory for a GDT");
	}
	/* fake_mm_reset linked the domain list: A, then B (the frame audit walks it) */
	fz_cur = &fz_vcpu[0];
	fz_mm_cur = NULL;
	fz_cont_pending = false;
	fake_on_continuation = note_continuation;
	fz_extra_refs = NULL;
	fz_domain_dying = NULL;
	fz_after_teardown = NULL;
	srand(seed);
}

void fz_setup_from(uint8_t p)
{
	fz_reset(p);
	fake_preempt_one_in = p & 3 ? 2 + (p >> 2) % 8 : 0;
	fz_abandon_one_in = p & 0x80 ? 4 : 0;
	mm_dom_a.is_privileged = p & 0x20;
}

/* ---- Continuations ------------------------------------------------------ */

/* Provided by the grant-table harness only. */
int64_t do_grant_table_op(struct vcpu *v, const uint64_t args[6]) __attribute__((weak));
/* Harnesses without physdev.c: no domain has physdev state (the audit asks). */
struct physdev_domain;
__attribute__((weak)) struct physdev_domain *physdev_domain_get(struct domain *d, bool create)
{
	return NULL;
}

static void reissue(void)
{
	const uint64_t *a = fz_cont.args;

	fz_cont_pending = false;
	switch (fz_cont.nr) {
	case __HYPERVISOR_mmu_update:
		do_mmu_update(current_vcpu(), a);
		break;
	case __HYPERVISOR_mmuext_op:
		do_mmuext_op(current_vcpu(), a);
		break;
	case __HYPERVISOR_memory_op:
		do_memory_op(current_vcpu(), a);
		break;
	case __HYPERVISOR_grant_table_op:
		if (do_grant_table_op) {
			do_grant_table_op(current_vcpu(), a);
			break;
		}
		FALLTHROUGH;
	default:
		FZ_FAIL("continuation of unexpected hypercall %lu", (unsigned long)fz_cont.nr);
	}
}

unsigned fz_abandon_one_in;

/*
 * The guest re-issues the call as the continuation says, or now and then
 * (one in fz_abandon_one_in, from rand() so that the input's operations
 * stay aligned however often they are preempted) gives up on it, as a
 * vCPU that is torn down or never returns to that code would. A
 * continuation must always make progress: a bound on resumptions catches
 * one that does not. Between two parts the guest runs, and other vCPUs
 * may call in: the invariants hold there too.
 */
void fz_resume_or_abandon(void)
{
	for (unsigned n = 0; fz_cont_pending; n++) {
		fz_check_invariants("between the parts of a continued hypercall");
		if (fz_abandon_one_in && rand() % fz_abandon_one_in == 0) {
			fz_trace("  abandoned", fz_cont.nr, 0, 0);
			fz_cont_pending = false;
			return;
		}
		if (n > 4096)
			FZ_FAIL("hypercall %lu continues forever", (unsigned long)fz_cont.nr);
		reissue();
		fz_trace("  continuation", fz_cont.nr, 0, 0);
	}
}

/* ---- Invariants --------------------------------------------------------- */

/* Descriptor bits (as desc_check.c): present, code/data (not system), DPL 3, type. */
#define DESC_P   (1ULL << 47)
#define DESC_S   (1ULL << 44)
#define DESC_DPL (3ULL << 45)
#define DESC_TYPE (0xfULL << 40)

/*
 * What the hardware table may hold for guest descriptor d (~0: nothing,
 * d must have been refused): a code or data descriptor at DPL 3, a
 * not-present or type-0 one as written, or a call gate no ring-3 code can
 * pass (DPL 0) into a guest code selector (below the hypervisor's entries,
 * the LDT, or FLAT_KERNEL_CS64 exactly).
 */
static uint64_t desc_want(uint64_t d)
{
	uint16_t target = (uint16_t)(d >> 16);

	if (!(d & DESC_P))
		return d;
	if (d & DESC_S)
		return d | DESC_DPL;
	if (!(d & DESC_TYPE))
		return d;
	if ((d & DESC_TYPE) != (0xcULL << 40) || (d & (0xffULL << 32)))
		return ~0ULL;
	if (!(target & 4) && (target >> 3) >= 7168 && target != 0xe033)
		return ~0ULL;
	return d & ~DESC_DPL;
}

static const char *type_name(unsigned t)
{
	static const char *const names[PGT_nr] = { "none", "L1", "L2", "L3", "L4", "seg_desc", "writable" };

	return t < PGT_nr ? names[t] : "?";
}

static uint32_t refs[MM_FRAMES], type_refs[MM_FRAMES];
static uint8_t need[MM_FRAMES];
static char need_why[MM_FRAMES][64];

static struct domain *domain_of(domid_t id)
{
	return id == 1 ? &mm_dom_a : id == 2 ? &mm_dom_b : NULL;
}

/* One general reference (and a type reference of `type` unless PGT_none) on m, for `why`. */
void fz_hold(mfn_t m, unsigned type, const char *why, mfn_t from, unsigned idx)
{
	refs[m]++;
	if (type == PGT_none)
		return;
	type_refs[m]++;
	if (need[m] != PGT_none && need[m] != type)
		FZ_FAIL("frame %lu needed as %s (%s) and as %s (%s of frame %lu entry %u)", (unsigned long)m,
			type_name(need[m]), need_why[m], type_name(type), why, (unsigned long)from, idx);
	need[m] = (uint8_t)type;
	snprintf(need_why[m], sizeof(need_why[m]), "%s of frame %lu entry %u", why, (unsigned long)from, idx);
}

/* The references entry idx of table t (level 1-4, owned by `owner`) holds. */
static void entry_refs(mfn_t t, unsigned level, unsigned idx, bool complete)
{
	uint64_t e = mm_frame(t)[idx];
	mfn_t m = (e & PTE_ADDR) >> 12;
	domid_t owner = frame_table[t].owner;
	struct domain *d = domain_of(owner);

	if (level == 4 && !l4_slot_is_guest(idx)) {
		/* copied in when validation completes; the guest's value until then, ignored */
		if (complete && e != pv_hv_l4e(idx))
			FZ_FAIL("L4 %lu slot %u is %#lx, not the hypervisor's", (unsigned long)t, idx,
				(unsigned long)e);
		return;
	}
	if (!(e & PTE_P))
		return;
	if (level == 1) {
		if (e & PTE_GNTTAB)
			return;   /* the grant table's (fz_extra_refs) */
		if (e & ~(L1_GUEST_FLAGS | PTE_ADDR))
			FZ_FAIL("L1 %lu entry %u has reserved bits: %#lx", (unsigned long)t, idx, (unsigned long)e);
		if (m >= frame_table_size || frame_table[m].owner == DOMID_IO) {
			if (!d || !d->is_privileged)
				FZ_FAIL("unprivileged L1 %lu entry %u maps I/O frame %#lx", (unsigned long)t, idx,
					(unsigned long)m);
			return;
		}
		if (frame_table[m].owner == DOMID_XEN) {
			if (!d || m != d->shared_info_mfn)
				FZ_FAIL("L1 %lu entry %u maps the hypervisor's frame %lu", (unsigned long)t, idx,
					(unsigned long)m);
			return;
		}
		if (frame_table[m].owner != owner && (!d || !d->is_privileged))
			FZ_FAIL("L1 %lu (domain %u) entry %u maps frame %lu of domain %u", (unsigned long)t, owner,
				idx, (unsigned long)m, frame_table[m].owner);
		fz_hold(m, (e & PTE_W) ? PGT_writable : PGT_none, "writable L1 entry", t, idx);
		return;
	}
	if (e & ~(LN_GUEST_FLAGS | PTE_ADDR))
		FZ_FAIL("L%u %lu entry %u has reserved bits: %#lx", level, (unsigned long)t, idx, (unsigned long)e);
	if (m >= frame_table_size || frame_table[m].owner != owner)
		FZ_FAIL("L%u %lu (domain %u) entry %u names frame %lu, not its own", level, (unsigned long)t, owner,
			idx, (unsigned long)m);
	if (!(frame_table[m].flags & PGF_validated) || (frame_table[m].flags & PGF_partial))
		FZ_FAIL("L%u %lu entry %u names frame %lu, not a validated table", level, (unsigned long)t, idx,
			(unsigned long)m);
	fz_hold(m, PGT_l1 + level - 2, "table entry", t, idx);
}

static void table_refs(mfn_t t)
{
	const struct page_info *pg = &frame_table[t];
	unsigned level = pg->type - PGT_l1 + 1, upto = PAGE_ENTRIES_ALL;

	if (!page_type_is_table(pg->type))
		return;
	if (pg->flags & PGF_partial) {
		upto = pg->validated_upto;
		if (pg->flags & PGF_deval_below)
			upto--;   /* that entry's references were handed to the table it names */
	} else if (!(pg->flags & PGF_validated) || !pg->type_count) {
		return;
	}
	for (unsigned i = 0; i < upto; i++)
		entry_refs(t, level, i, !(pg->flags & PGF_partial));
}

/*
 * A vCPU's GDT and LDT frames: each holds a general and a PGT_seg_desc
 * reference, and the hardware table is the checked copy of what they hold
 * (desc_want).
 */
static void desc_table_refs(const char *what, const mfn_t *frames, unsigned nr, const uint64_t *copy,
			    unsigned ents)
{
	for (unsigned i = 0; i < nr; i++)
		if (frames[i] != INVALID_MFN)
			fz_hold(frames[i], PGT_seg_desc, what, frames[i], i);
	for (unsigned e = 0; e < ents; e++) {
		uint64_t d = frames[e / 512] == INVALID_MFN ? ~0ULL : mm_frame(frames[e / 512])[e % 512];
		uint64_t want = desc_want(d);
		if (want == ~0ULL || copy[e] != want)
			FZ_FAIL("%s entry %u: frame holds %#lx, the hardware table %#lx", what, e, (unsigned long)d,
				(unsigned long)copy[e]);
	}
}

static void desc_refs(struct vcpu *v)
{
	const struct arch_vcpu *a = av(v);

	desc_table_refs("GDT", a->gdt_frames, FIRST_RESERVED_GDT_PAGE, a->gdt, a->gdt_ents);
	desc_table_refs("LDT", a->ldt_frames, LDT_FRAMES, a->ldt, a->ldt_ents);
}

/*
 * The hypervisor's own audit (PARAVANE_SYSCTL_audit's code) over the same
 * state must find it clean too: the harness's checker and the audit are
 * two shapes of one set of rules, and every fuzzed state tests both (a
 * false violation of the audit fails the run like a real one).
 */
static void audit_agrees(const char *where)
{
	static struct audit_frame scratch[MM_FRAMES];
	struct audit a = { .f = scratch };

	audit_run(&a);
	if (a.violations)
		FZ_FAIL("%s: the harness finds the frames consistent, the hypervisor's audit not: %lu "
			"violation(s), first: %s", where, (unsigned long)a.violations, a.first);
}

/*
 * The audit sysctl resumes a stopped audit when frame_changes did not move
 * (sysctl_audit.c), so whatever changed the frame table or what the audit
 * finds holding each frame must have moved it. Checked against the state
 * at the last check: unchanged counter, unchanged frames and holders.
 */
struct frames_seen {
	struct page_info ft[MM_FRAMES];
	struct audit_frame found[MM_FRAMES];
	uint64_t tot[2];
};
static struct frames_seen seen_last;
static uint64_t seen_changes;

static void frames_seen_now(struct frames_seen *s)
{
	struct audit a = { .f = s->found };

	memset(s, 0, sizeof(*s));
	for (mfn_t m = 0; m < MM_FRAMES; m++) {
		const struct page_info *pg = &frame_table[m];

		struct page_info *c = &s->ft[m];   /* field by field: the padding stays zero */

		c->owner = pg->owner;
		c->type = pg->type;
		c->flags = (uint8_t)(pg->flags & ~PGF_zeroed);   /* the background clearing's mark: not counted */
		c->count = pg->count;
		c->type_count = pg->type_count;
		c->validated_upto = pg->validated_upto;
	}
	audit_run(&a);
	s->tot[0] = mm_dom_a.tot_pages;
	s->tot[1] = mm_dom_b.tot_pages;
}

static void changes_counted(const char *where)
{
	static struct frames_seen now;

	frames_seen_now(&now);
	if (seen_valid && frame_changes == seen_changes && memcmp(&now, &seen_last, sizeof(now)))
		FZ_FAIL("%s: frames or their holders changed, frame_changes did not (a stopped audit "
			"would resume on stale counts)", where);
	seen_last = now;
	seen_changes = frame_changes;
	seen_valid = true;
}

void fz_check_invariants(const char *where)
{
	uint64_t tot[3] = { 0 };

	memset(refs, 0, sizeof(refs));
	memset(type_refs, 0, sizeof(type_refs));
	memset(need, 0, sizeof(need));
	for (mfn_t m = 0; m < MM_FRAMES; m++) {
		const struct page_info *pg = &frame_table[m];

		if (pg->owner != 1 && pg->owner != 2 && pg->owner != DOMID_XEN && pg->owner != DOMID_IO)
			FZ_FAIL("%s: frame %lu has owner %u", where, (unsigned long)m, pg->owner);
		if (pg->flags & PGF_allocated)
			refs[m]++;
		/* a released frame counts until its last reference goes (page_free) */
		if ((pg->owner == 1 || pg->owner == 2) && !(pg->flags & PGF_xen_shared))
			tot[pg->owner]++;
		if (pg->flags & PGF_pinned) {
			if (!page_type_is_table(pg->type))
				FZ_FAIL("%s: frame %lu pinned as %s", where, (unsigned long)m, type_name(pg->type));
			fz_hold(m, pg->type, "pin", m, 0);
		}
		/* PGF_xen_shared: the hypervisor's holder reports its references (fz_extra_refs) */
		if (pg->flags & PGF_partial) {
			if (pg->type_count != 1 || (pg->flags & PGF_validated) || !page_type_is_table(pg->type))
				FZ_FAIL("%s: partial frame %lu: type %s count %u flags %#x", where, (unsigned long)m,
					type_name(pg->type), pg->type_count, pg->flags);
			fz_hold(m, pg->type, "its own partial state", m, 0);
		}
		table_refs(m);
	}
	for (unsigned i = 0; i < 2; i++) {
		struct domain *d = fz_vcpu[i].domain;
		for (unsigned n = 0; n < d->max_vcpus; n++) {
			const struct arch_vcpu *a = av(d->vcpus[n]);
			if (a->kernel_l4 != INVALID_MFN)
				fz_hold(a->kernel_l4, PGT_l4, "kernel CR3", a->kernel_l4, n);
			if (a->user_l4 != INVALID_MFN)
				fz_hold(a->user_l4, PGT_l4, "user CR3", a->user_l4, n);
			desc_refs(d->vcpus[n]);
		}
	}
	if (fz_extra_refs)
		fz_extra_refs();
	for (mfn_t m = 0; m < MM_FRAMES; m++) {
		const struct page_info *pg = &frame_table[m];

		if (pg->count != refs[m] || pg->type_count != type_refs[m])
			FZ_FAIL("%s: frame %lu (owner %u, %s, flags %#x): count %u type_count %u, but %u and %u "
				"references found", where, (unsigned long)m, pg->owner, type_name(pg->type),
				pg->flags, pg->count, pg->type_count, refs[m], type_refs[m]);
		if (need[m] != PGT_none && pg->type != need[m])
			FZ_FAIL("%s: frame %lu is %s but held as %s by %s", where, (unsigned long)m,
				type_name(pg->type), type_name(need[m]), need_why[m]);
		if ((pg->owner == DOMID_XEN || pg->owner == DOMID_IO) && pg->count)
			FZ_FAIL("%s: free or I/O frame %lu has %u references", where, (unsigned long)m, pg->count);
		if (pg->owner == DOMID_XEN && (pg->flags & ~PGF_validated))
			FZ_FAIL("%s: free frame %lu has flags %#x", where, (unsigned long)m, pg->flags);
	}
	if (mm_dom_a.tot_pages != tot[1] || mm_dom_b.tot_pages != tot[2])
		FZ_FAIL("%s: tot_pages %lu/%lu, but %lu/%lu frames owned", where,
			(unsigned long)mm_dom_a.tot_pages, (unsigned long)mm_dom_b.tot_pages,
			(unsigned long)tot[1], (unsigned long)tot[2]);
	audit_agrees(where);
	changes_counted(where);
}

/* ---- Teardown ----------------------------------------------------------- */

/* As arch_vcpu_relinquish: the CR3 roots go as an unpin would. */
static void drop_root(mfn_t *root)
{
	if (*root == INVALID_MFN)
		return;
	(void)put_page_type_preemptible(*root);
	put_page(*root);
	*root = INVALID_MFN;
}

/*
 * As domain_destroy's frame scan: 0, or -XEN_ERESTART (scan again).
 * A copy of domain_teardown.c's reclaim_frame, which is static there: the
 * harness cannot link that file (its other stages need the event-channel,
 * grant, scheduler and timer layers, and domain_free frees the domain,
 * where the harness's domains are static). Keep the two the same until
 * reclaim_frame is exported from a file of its own the harness can link.
 */
static int reclaim_frame(struct domain *d, mfn_t m)
{
	struct page_info *pg = mfn_to_page(m);
	int rc;

	if (pg->flags & PGF_devalidating) {
		rc = page_finish_devalidation(m, true);
		if (rc)
			return rc;
	} else if (pg->flags & PGF_partial) {
		page_drop_partial(m);
	}
	if (pg->owner == d->domain_id && (pg->flags & PGF_pinned)) {
		rc = page_unpin_preemptible(d, m);
		if (rc == -XEN_ERESTART)
			return rc;
	}
	if (pg->owner == d->domain_id && (pg->flags & PGF_allocated))
		page_release(d, m);
	return 0;
}

static void destroy(struct domain *d)
{
	for (unsigned pass = 0;; pass++) {
		bool again = false;
		if (pass > 100000)
			FZ_FAIL("teardown of domain %u does not finish", d->domain_id);
		for (mfn_t m = 0; m < MM_FRAMES; m++)
			if (frame_table[m].owner == d->domain_id && reclaim_frame(d, m) == -XEN_ERESTART)
				again = true;
		if (!again)
			return;
	}
}

void fz_teardown_and_check(void)
{
	char where[64];

	fz_cont_pending = false;
	for (unsigned i = 0; i < 2; i++) {
		struct domain *d = fz_vcpu[i].domain;
		d->is_dying = true;
		if (fz_domain_dying)
			fz_domain_dying(d);
		for (unsigned n = 0; n < d->max_vcpus; n++) {   /* as arch_vcpu_relinquish, every vCPU */
			drop_root(&av(d->vcpus[n])->kernel_l4);
			drop_root(&av(d->vcpus[n])->user_l4);
			av(d->vcpus[n])->devalidating = 0;
			pv_desc_relinquish(d->vcpus[n]);
		}
		snprintf(where, sizeof(where), "domain %u dying, CR3s dropped", d->domain_id);
		fz_check_invariants(where);
		destroy(d);
		snprintf(where, sizeof(where), "domain %u destroyed", d->domain_id);
		fz_check_invariants(where);
	}
	for (mfn_t m = 0; m < MM_FRAMES; m++) {
		const struct page_info *pg = &frame_table[m];
		if (pg->owner == 1 || pg->owner == 2 || pg->count || pg->type_count)
			FZ_FAIL("frame %lu not given back: owner %u count %u type_count %u flags %#x", (unsigned long)m,
				pg->owner, pg->count, pg->type_count, pg->flags);
	}
	if (mm_dom_a.tot_pages || mm_dom_b.tot_pages)
		FZ_FAIL("tot_pages left after teardown: %lu/%lu", (unsigned long)mm_dom_a.tot_pages,
			(unsigned long)mm_dom_b.tot_pages);
	for (unsigned i = 0; i < 2; i++)
		for (unsigned n = 0; n < fz_vcpu[i].domain->max_vcpus; n++)
			pv_desc_free(fz_vcpu[i].domain->vcpus[n]);
	if (fz_after_teardown)
		fz_after_teardown();
}
