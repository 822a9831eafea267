/*
 * libFuzzer harness: grant_table_op between two model domains, through
 * the real entry point (do_grant_table_op, common/grant_table*.c) and the
 * PV grant mappings (arch/x86/pv/mm_grant.c), on the machine of
 * hv_mm_fuzz.c. Each domain can also build page tables and move frames
 * with the memory hypercalls (hv_fuzz_mm_ops.c), so grants are mapped
 * into real, validated L1 tables, by address (through the vCPU's CR3)
 * and by PTE, and the frames behind them can be retyped, pinned, released.
 *
 * Operations: setup_table, query_size, set_version (1, 2, or nonsense),
 * get_status_frames, swap_grant_ref, the granter writing one of its
 * grant entries (any flags, grantee and frame), map_grant_ref,
 * unmap_grant_ref, unmap_and_replace and copy; batches up to four, with
 * continuations re-issued or abandoned as for hv_mm_fuzz.
 *
 * Checked after every operation, on top of fz_check_invariants (whose
 * counts include what the grant tables hold, reported here):
 *   - every active grant's pins equal the maptrack entries naming it, in
 *     the grantee's table, and its writable pins those not read-only;
 *     every maptrack entry in use names a pinned grant held by its domain;
 *   - every grant PTE (PTE_GNTTAB) in a validated L1 is the one a live
 *     host mapping of that domain recorded, for that grant's frame, and a
 *     writable one only for a writable pin;
 *   - the grant-table frames are the hypervisor's shares (one general and
 *     one writable reference each) until the table dies;
 * and right after a map that is the grant's first pin (first writable
 * pin) succeeds, the granter's entry carries GTF_reading (GTF_writing);
 * the hypervisor sets them only then, and the guest may have cleared them
 * since an earlier pin (its own entry, its own affair), so a later map
 * is not checked for them.
 */
#include "hv_fuzz.h"
#include <stdio.h>
#include <string.h>
#include <grant_table.h>
#include <public/errno.h>
#include <public/grant_table.h>
#include "grant_table_priv.h"
#include "mm.h"

#define MAX_OPS 48
#define LIST_VA (FZ_ARG_VA + 8192)   /* frame lists: the third page of fz_arg */
/* A maptrack entry in use: a host or device mapping is left (as grant_table_map.c) */
#define MT_MAPPED (GNTMAP_host_map | GNTMAP_device_map)

static struct domain *doms[2] = { &mm_dom_a, &mm_dom_b };

/* A domain id as a guest may name one: the other domain, itself, or nonsense. */
static domid_t pick_dom(struct fz_in *in)
{
	static const domid_t odd[] = { DOMID_SELF, 0, 3, DOMID_XEN };
	uint8_t b = fz_u8(in);
	domid_t self = fz_cur->domain->domain_id;

	if (b % 8 < 5)
		return self == 1 ? 2 : 1;
	if (b % 8 < 7)
		return self;
	return odd[(b >> 3) % 4];
}

static unsigned pick_ref(struct fz_in *in)
{
	uint8_t b = fz_u8(in);

	return b < 240 ? b % 16 : (b % 16) * 300;   /* mostly the first few; sometimes far out */
}

/* A host_addr: a guest address, or (contains_pte) an entry's machine address. */
static uint64_t pick_addr(struct fz_in *in, uint32_t flags)
{
	if (flags & GNTMAP_contains_pte) {
		uint64_t frame = fz_frame(in);
		unsigned idx = fz_u8(in) % 16;
		return frame << 12 | idx * 8 | (fz_u8(in) % 16 == 0 ? 4 : 0);
	}
	return fz_u8(in) % 16 == 0 ? 0 : fz_va(in);
}

/*
 * Before a map batch: for each element, is its grant unpinned (fresh_r),
 * without writable pins (fresh_w)? Only such a pin sets the status bits
 * (the guest may have cleared them since an earlier pin: its own affair).
 */
static void snapshot_pins(const struct gnttab_map_grant_ref *op, unsigned n, bool *fresh_r, bool *fresh_w)
{
	for (unsigned i = 0; i < n; i++) {
		struct domain *rd = domain_lookup(op[i].dom);
		struct grant_table *gt = rd ? rd->gnttab : NULL;
		const struct active_grant *act;

		fresh_r[i] = fresh_w[i] = false;
		if (!gt || op[i].ref >= gnttab_nr_entries(gt))
			continue;
		act = gnttab_active(gt, op[i].ref);
		fresh_r[i] = !act->pins;
		fresh_w[i] = !act->wpins;
	}
}

/* After it: a first pin (writable pin) left GTF_reading (GTF_writing) in the granter's entry. */
static void check_maps(const struct gnttab_map_grant_ref *op, unsigned n, const bool *fresh_r,
		       const bool *fresh_w)
{
	for (unsigned i = 0; i < n; i++) {
		struct domain *rd = domain_lookup(op[i].dom);
		bool want_w = !(op[i].flags & GNTMAP_readonly) && fresh_w[i];
		struct grant_table *gt;
		uint16_t st;

		if (op[i].status != GNTST_okay || (!fresh_r[i] && !want_w))
			continue;
		if (!rd || !(gt = rd->gnttab))
			FZ_FAIL("map of d%u ref %u succeeded without a table", op[i].dom, op[i].ref);
		if (gt->version == 2)
			st = ((uint16_t *)mm_frame(gt->status[op[i].ref / GT_STATUS_PER_FRAME]))[op[i].ref %
												 GT_STATUS_PER_FRAME];
		else
			st = ((struct grant_entry_v1 *)mm_frame(gt->shared[op[i].ref / GT_V1_PER_FRAME]))
				     [op[i].ref % GT_V1_PER_FRAME].flags;
		if (!(st & GTF_reading) || (want_w && !(st & GTF_writing)))
			FZ_FAIL("d%u mapped d%u ref %u (flags %#x) but the entry's status is %#x",
				fz_cur->domain->domain_id, op[i].dom, op[i].ref, op[i].flags, st);
	}
}

static void op_map(struct fz_in *in)
{
	struct gnttab_map_grant_ref *op = (struct gnttab_map_grant_ref *)fz_arg;
	unsigned n = 1 + fz_u8(in) % 4;
	bool fresh_r[4], fresh_w[4];
	int64_t rc;

	for (unsigned i = 0; i < n; i++) {
		uint8_t f = fz_u8(in);
		memset(&op[i], 0, sizeof(op[i]));
		op[i].flags = (f & 0x1f) | (uint32_t)(f >> 5) << _GNTMAP_guest_avail0;
		if (!(f & 3) && fz_u8(in) % 2)
			op[i].flags |= GNTMAP_host_map;   /* mostly a mapping */
		op[i].ref = pick_ref(in);
		op[i].dom = pick_dom(in);
		op[i].host_addr = pick_addr(in, op[i].flags);
	}
	snapshot_pins(op, n, fresh_r, fresh_w);
	rc = do_grant_table_op(current_vcpu(), (uint64_t[6]){ GNTTABOP_map_grant_ref, FZ_ARG_VA, n, 0, 0, 0 });
	fz_trace("map_grant_ref", op[0].ref, op[0].flags, rc ? rc : op[0].status);
	if (!rc && !fz_cont_pending)   /* every element was done: each status is its own */
		check_maps(op, n, fresh_r, fresh_w);
}

static struct fz_in *window_in;
static void window_op(void);

static void op_unmap(struct fz_in *in, bool replace)
{
	unsigned n = 1 + fz_u8(in) % 4;
	int64_t rc;

	for (unsigned i = 0; i < n; i++) {
		uint8_t f = fz_u8(in);
		uint32_t flags = f & 1 ? GNTMAP_contains_pte : 0;
		uint64_t host = pick_addr(in, flags);   /* one statement each: the input's order */
		uint64_t second = !(f & 2) ? 0 : replace ? fz_va(in) : fz_frame(in) << 12;
		grant_handle_t h = fz_u8(in) % 8;
		if (replace)
			((struct gnttab_unmap_and_replace *)fz_arg)[i] =
				(struct gnttab_unmap_and_replace){ .host_addr = host, .new_addr = second, .handle = h };
		else
			((struct gnttab_unmap_grant_ref *)fz_arg)[i] =
				(struct gnttab_unmap_grant_ref){ .host_addr = host, .dev_bus_addr = second, .handle = h };
	}
	window_in = in;
	mm_unlocked_window = window_op;   /* once, in the first flush of this call */
	rc = do_grant_table_op(current_vcpu(), (uint64_t[6]){ replace ? GNTTABOP_unmap_and_replace : GNTTABOP_unmap_grant_ref, FZ_ARG_VA, n,
			       0, 0, 0 });
	mm_unlocked_window = NULL;
	fz_trace(replace ? "unmap_and_replace" : "unmap_grant_ref", n, 0,
		 rc ? rc : ((struct gnttab_unmap_grant_ref *)fz_arg)->status);
}

static void copy_ptr(struct fz_in *in, struct gnttab_copy_ptr *p, bool by_ref)
{
	if (by_ref)
		p->u.ref = pick_ref(in);
	else
		p->u.gmfn = fz_frame(in);
	p->domid = pick_dom(in);
	p->offset = fz_u8(in) % 2 ? 0 : fz_u16(in) % 4200;
}

static void op_copy(struct fz_in *in)
{
	struct gnttab_copy *op = (struct gnttab_copy *)fz_arg;
	unsigned n = 1 + fz_u8(in) % 4;
	int64_t rc;

	for (unsigned i = 0; i < n; i++) {
		uint8_t f = fz_u8(in);
		memset(&op[i], 0, sizeof(op[i]));
		op[i].flags = f & 3;
		copy_ptr(in, &op[i].source, f & GNTCOPY_source_gref);
		copy_ptr(in, &op[i].dest, f & GNTCOPY_dest_gref);
		op[i].len = f & 4 ? fz_u16(in) % 4200 : 8;
	}
	rc = do_grant_table_op(current_vcpu(), (uint64_t[6]){ GNTTABOP_copy, FZ_ARG_VA, n, 0, 0, 0 });
	fz_trace("copy", op[0].flags, op[0].len, rc ? rc : op[0].status);
}

/* The granter writes one of its entries, as a guest does through its mapping of the frame. */
static void op_write_entry(struct fz_in *in)
{
	struct grant_table *gt = fz_cur->domain->gnttab;
	unsigned ref = pick_ref(in);
	uint8_t f = fz_u8(in);
	uint16_t flags = (f & 0x80 ? GTF_permit_access : f & 3) | (f & 0x04 ? GTF_readonly : 0) |
			 (f & 0x08 ? GTF_sub_page : 0) | (f & 0x10 ? GTF_reading | GTF_writing : 0);
	domid_t dom = pick_dom(in);
	uint64_t frame = fz_frame(in);
	uint16_t off = fz_u8(in) * 17, len = fz_u8(in) * 17;

	if (!gt || !gt->version || gt->dying || ref >= gnttab_nr_entries(gt))
		return;
	if (gt->version == 1) {
		struct grant_entry_v1 *e = (struct grant_entry_v1 *)mm_frame(gt->shared[ref / GT_V1_PER_FRAME]) +
					   ref % GT_V1_PER_FRAME;
		*e = (struct grant_entry_v1){ .flags = flags & ~GTF_sub_page, .domid = dom, .frame = (uint32_t)frame };
	} else {
		union grant_entry_v2 *e = (union grant_entry_v2 *)mm_frame(gt->shared[ref / GT_V2_PER_FRAME]) +
					  ref % GT_V2_PER_FRAME;
		e->sub_page.hdr = (struct grant_entry_header){ .flags = flags & ~(GTF_reading | GTF_writing),
							       .domid = dom };
		e->sub_page.page_off = off;
		e->sub_page.length = len;
		e->sub_page.frame = frame;
	}
	fz_trace("write grant entry", ref, flags, 0);
}

/* The single-element ops: setup_table, query_size, set_version, get_status_frames, swap. */
static void op_table(struct fz_in *in)
{
	uint8_t b = fz_u8(in);
	int64_t rc = 0;

	memset(fz_arg, 0, 64);
	switch (b % 5) {
	case 0: {
		struct gnttab_setup_table *op = (struct gnttab_setup_table *)fz_arg;
		domid_t dom = b & 0x80 ? pick_dom(in) : DOMID_SELF;
		*op = (struct gnttab_setup_table){ .dom = dom, .nr_frames = fz_u8(in) % 6, .frame_list = LIST_VA };
		rc = do_grant_table_op(current_vcpu(), (uint64_t[6]){ GNTTABOP_setup_table, FZ_ARG_VA, 1, 0, 0, 0 });
		fz_trace("setup_table", op->nr_frames, 0, rc ? rc : op->status);
		break;
	}
	case 1: {
		struct gnttab_query_size *op = (struct gnttab_query_size *)fz_arg;
		*op = (struct gnttab_query_size){ .dom = b & 0x80 ? pick_dom(in) : DOMID_SELF };
		rc = do_grant_table_op(current_vcpu(), (uint64_t[6]){ GNTTABOP_query_size, FZ_ARG_VA, b & 0x40 ? 2 : 1, 0, 0, 0 });
		fz_trace("query_size", op->nr_frames, op->max_nr_frames, rc ? rc : op->status);
		break;
	}
	case 2: {
		struct gnttab_set_version *op = (struct gnttab_set_version *)fz_arg;
		uint8_t v = fz_u8(in);
		op->version = v < 250 ? 1 + v % 2 : v;
		rc = do_grant_table_op(current_vcpu(), (uint64_t[6]){ GNTTABOP_set_version, FZ_ARG_VA, 1, 0, 0, 0 });
		fz_trace("set_version", v, op->version, rc);
		break;
	}
	case 3: {
		struct gnttab_get_status_frames *op = (struct gnttab_get_status_frames *)fz_arg;
		uint32_t nr = fz_u8(in) % 4;
		*op = (struct gnttab_get_status_frames){ .nr_frames = nr, .dom = b & 0x80 ? pick_dom(in) : DOMID_SELF,
							 .frame_list = LIST_VA };
		rc = do_grant_table_op(current_vcpu(), (uint64_t[6]){ GNTTABOP_get_status_frames, FZ_ARG_VA, 1, 0, 0, 0 });
		fz_trace("get_status_frames", op->nr_frames, 0, rc ? rc : op->status);
		break;
	}
	case 4: {
		struct gnttab_swap_grant_ref *op = (struct gnttab_swap_grant_ref *)fz_arg;
		grant_ref_t a = pick_ref(in);
		*op = (struct gnttab_swap_grant_ref){ .ref_a = a, .ref_b = pick_ref(in) };
		rc = do_grant_table_op(current_vcpu(), (uint64_t[6]){ GNTTABOP_swap_grant_ref, FZ_ARG_VA, 1, 0, 0, 0 });
		fz_trace("swap_grant_ref", op->ref_a, op->ref_b, rc ? rc : op->status);
		break;
	}
	}
}

/* ---- The grant tables' invariants --------------------------------------- */

static struct maptrack *mt_at(struct grant_table *gt, unsigned h)
{
	return &gt->mt[h / GNTTAB_MAPTRACK_PER_FRAME][h % GNTTAB_MAPTRACK_PER_FRAME];
}

static unsigned mt_count(const struct grant_table *gt)
{
	return gt ? gt->mt_frames * GNTTAB_MAPTRACK_PER_FRAME : 0;
}

/* The maptrack entries of ld naming rd's ref: all of them, and the writable ones. */
static void count_maps(struct domain *ld, domid_t rd, grant_ref_t ref, unsigned *all, unsigned *writable)
{
	struct grant_table *gt = ld->gnttab;

	*all = *writable = 0;
	for (unsigned h = 0; h < mt_count(gt); h++) {
		const struct maptrack *e = mt_at(gt, h);
		if (!(e->flags & (MT_MAPPED | MT_RELEASING)) || e->dom != rd || e->ref != ref)
			continue;
		++*all;
		*writable += !(e->flags & GNTMAP_readonly);
	}
}

static void grant_table_refs(struct domain *rd)
{
	struct grant_table *gt = rd->gnttab;

	if (!gt)
		return;
	if (!gt->dying) {
		for (unsigned i = 0; i < gt->nr_frames; i++)
			fz_hold(gt->shared[i], PGT_writable, "grant-table frame", rd->domain_id, i);
		for (unsigned i = 0; i < gt->nr_status; i++)
			fz_hold(gt->status[i], PGT_writable, "grant status frame", rd->domain_id, i);
	}
	for (unsigned c = 0; c < GNTTAB_FRAMES_LIMIT; c++) {
		for (unsigned i = 0; gt->active[c] && i < GT_ACTIVE_PER_CHUNK; i++) {
			const struct active_grant *act = &gt->active[c][i];
			grant_ref_t ref = c * GT_ACTIVE_PER_CHUNK + i;
			struct domain *ld = domain_lookup_any(act->domid);
			unsigned all = 0, writable = 0;

			if (!act->pins) {
				if (act->wpins)
					FZ_FAIL("d%u ref %u: %u writable pins of none", rd->domain_id, ref, act->wpins);
				continue;
			}
			if (act->wpins > act->pins || !ld)
				FZ_FAIL("d%u ref %u: pins %u wpins %u by d%u", rd->domain_id, ref, act->pins, act->wpins,
					act->domid);
			count_maps(ld, rd->domain_id, ref, &all, &writable);
			if (all != act->pins || writable != act->wpins)
				FZ_FAIL("d%u ref %u: %u pins (%u writable), but d%u holds %u mappings (%u writable)",
					rd->domain_id, ref, act->pins, act->wpins, act->domid, all, writable);
			for (unsigned p = 0; p < act->pins; p++)
				fz_hold(act->mfn, p < act->wpins ? PGT_writable : PGT_none, "grant pin", rd->domain_id,
					ref);
		}
	}
}

/* Every live maptrack entry of ld names a grant pinned by ld. */
static void check_maptrack(struct domain *ld)
{
	struct grant_table *gt = ld->gnttab;

	for (unsigned h = 0; h < mt_count(gt); h++) {
		const struct maptrack *e = mt_at(gt, h);
		struct domain *rd;
		const struct active_grant *act;

		if (!(e->flags & (MT_MAPPED | MT_RELEASING)))
			continue;
		rd = domain_lookup_any(e->dom);
		if (!rd || !rd->gnttab || e->ref >= GNTTAB_FRAMES_LIMIT * GT_ACTIVE_PER_CHUNK ||
		    !rd->gnttab->active[e->ref / GT_ACTIVE_PER_CHUNK])
			FZ_FAIL("d%u handle %u names d%u ref %u: no such grant", ld->domain_id, h, e->dom, e->ref);
		act = gnttab_active(rd->gnttab, e->ref);
		if (!act->pins || act->domid != ld->domain_id)
			FZ_FAIL("d%u handle %u: d%u ref %u is not pinned by it (pins %u, by d%u)", ld->domain_id, h,
				e->dom, e->ref, act->pins, act->domid);
	}
}

/*
 * Does a live host mapping of ld recorded at maddr account for the grant
 * PTE e there: the same frame, and a writable pin if e is writable? A map
 * over an earlier one's slot leaves both handles recording it (the earlier
 * pin lives on until unmapped or the domain ends), so any one may.
 */
static bool mapping_for(struct domain *ld, uint64_t maddr, uint64_t e, const struct maptrack **seen)
{
	struct grant_table *gt = ld->gnttab;

	*seen = NULL;
	for (unsigned h = 0; h < mt_count(gt); h++) {
		const struct maptrack *m = mt_at(gt, h);
		struct domain *rd;
		if (!(m->flags & GNTMAP_host_map) || m->pte != maddr)
			continue;
		*seen = m;
		rd = domain_lookup_any(m->dom);
		if (rd && rd->gnttab && (e & PTE_ADDR) >> 12 == gnttab_active(rd->gnttab, m->ref)->mfn &&
		    (!(e & PTE_W) || !(m->flags & GNTMAP_readonly)))
			return true;
	}
	return false;
}

/* Every grant PTE in a validated L1 belongs to a live host mapping of the L1's domain. */
static void check_grant_ptes(void)
{
	for (mfn_t t = 0; t < MM_FRAMES; t++) {
		const struct page_info *pg = &frame_table[t];
		struct domain *ld = domain_lookup_any(pg->owner);

		if (pg->type != PGT_l1 || !(pg->flags & PGF_validated) || !pg->type_count || !ld)
			continue;
		for (unsigned i = 0; i < 512; i++) {
			uint64_t e = mm_frame(t)[i];
			const struct maptrack *m;
			if ((e & (PTE_P | PTE_GNTTAB)) != (PTE_P | PTE_GNTTAB))
				continue;
			if (mapping_for(ld, t << 12 | i * 8, e, &m))
				continue;
			if (!m)
				FZ_FAIL("grant PTE %#lx in d%u's L1 %lu entry %u: no host mapping of d%u recorded there",
					(unsigned long)e, ld->domain_id, (unsigned long)t, i, ld->domain_id);
			FZ_FAIL("grant PTE %#lx in d%u's L1 %lu entry %u: no mapping recorded there is of its frame "
				"with a pin that allows it (one is of d%u ref %u, flags %#x)", (unsigned long)e,
				ld->domain_id, (unsigned long)t, i, m->dom, m->ref, m->flags);
		}
	}
}

/*
 * An unmap's flush window, where the big lock is let go: one operation of
 * either domain, or a domain's grant table torn down, while the unmap's
 * entries are MT_RELEASING; every invariant must hold then too.
 */
static void window_op(void)
{
	struct fz_in *in = window_in;
	struct vcpu *cur = fz_cur;
	uint8_t b;

	mm_unlocked_window = NULL;
	if (!in->left)
		return;
	b = fz_u8(in);
	fz_cur = &fz_vcpu[b >> 7];
	switch ((b & 0x7f) % 6) {
	case 0: op_map(in); break;
	case 1: op_unmap(in, false); break;
	case 2: op_write_entry(in); break;
	case 3: op_table(in); break;
	case 4: op_copy(in); break;
	case 5: gnttab_domain_destroy(fz_cur->domain); break;
	}
	fz_trace("window", b, 0, 0);
	fz_cur = cur;
	fz_check_invariants("in an unmap's flush window");
}

static void grant_invariants(void)
{
	for (unsigned i = 0; i < 2; i++) {
		grant_table_refs(doms[i]);
		if (doms[i]->gnttab)
			check_maptrack(doms[i]);
	}
	check_grant_ptes();
}

static void free_tables(void)
{
	gnttab_domain_free(&mm_dom_a);
	gnttab_domain_free(&mm_dom_b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	char where[48];

	fz_setup_from(fz_u8(&in));
	fz_extra_refs = grant_invariants;
	fz_domain_dying = gnttab_domain_destroy;
	fz_after_teardown = free_tables;
	for (unsigned op = 0; op < MAX_OPS && in.left; op++) {
		uint8_t b = fz_u8(&in);

		fz_cur = &fz_vcpu[b >> 7];
		switch ((b & 0x7f) % 12) {
		case 0: fz_op_mmu_update(&in); break;
		case 1: fz_op_mmuext(&in); break;
		case 2: fz_op_memory(&in); break;
		case 3: case 4: op_map(&in); break;
		case 5: op_unmap(&in, false); break;
		case 6: op_unmap(&in, true); break;
		case 7: op_copy(&in); break;
		case 8: case 9: op_write_entry(&in); break;
		case 10: case 11: op_table(&in); break;
		}
		fz_resume_or_abandon();
		snprintf(where, sizeof(where), "after operation %u (%u)", op, b);
		fz_check_invariants(where);
	}
	fz_teardown_and_check();
	return 0;
}
