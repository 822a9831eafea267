/*
 * GNTTABOP_copy and GNTTABOP_cache_flush.
 *
 * A copy names each side by grant reference (of another domain, or of the
 * caller's own table) or, for the caller's own memory only (DOMID_SELF), by
 * frame. Each granted side is pinned for the length of the copy, so the
 * granter sees GTF_reading (source) or GTF_writing (destination) meanwhile
 * and cannot revoke; a side given by frame holds a general reference, and a
 * destination a PGT_writable type reference, so the caller cannot write
 * into one of its own page tables this way. Neither range may cross the end
 * of its page; a v2 sub-page grant bounds the range further.
 */
#include <arch.h>
#include <public/errno.h>
#include "grant_table_priv.h"

struct copy_side {
	bool by_grant;
	bool write;
	struct grant_pin pin;
	mfn_t mfn;
};

static int get_side(struct domain *ld, const struct gnttab_copy_ptr *p, bool by_grant, bool write,
		    uint16_t len, struct copy_side *s)
{
	struct domain *d;
	int rc;

	*s = (struct copy_side){ .by_grant = by_grant, .write = write };
	d = p->domid == DOMID_SELF ? ld : domain_lookup(p->domid);
	if (!d)
		return GNTST_bad_domain;   /* checked first, as Xen 4.17 does */
	if (!by_grant && p->domid != DOMID_SELF)
		return GNTST_permission_denied;   /* frames (even our own) only as DOMID_SELF */
	if (by_grant) {
		rc = gnttab_acquire(d, p->u.ref, ld->domain_id, !write, false, &s->pin);
		if (rc)
			return rc;
		s->mfn = s->pin.mfn;
		if (p->offset < s->pin.sub_off ||
		    (uint32_t)p->offset + len > (uint32_t)s->pin.sub_off + s->pin.sub_len) {
			gnttab_release(&s->pin);
			return GNTST_general_error;   /* outside a sub-page grant */
		}
		return GNTST_okay;
	}
	if (get_page(ld, p->u.gmfn))
		return GNTST_bad_page;
	if (write && get_page_type(ld, p->u.gmfn, PGT_writable)) {
		put_page(p->u.gmfn);
		return GNTST_general_error;
	}
	s->mfn = p->u.gmfn;
	return GNTST_okay;
}

static void put_side(const struct copy_side *s)
{
	if (s->by_grant) {
		gnttab_release(&s->pin);
		return;
	}
	if (s->write)
		put_page_type(s->mfn);
	put_page(s->mfn);
}

int gnttab_copy_one(struct domain *ld, const struct gnttab_copy *op)
{
	struct copy_side src, dst;
	int rc;

	if ((uint32_t)op->source.offset + op->len > FRAME_SIZE ||
	    (uint32_t)op->dest.offset + op->len > FRAME_SIZE)
		return GNTST_bad_copy_arg;
	rc = get_side(ld, &op->source, op->flags & GNTCOPY_source_gref, false, op->len, &src);
	if (rc)
		return rc;
	rc = get_side(ld, &op->dest, op->flags & GNTCOPY_dest_gref, true, op->len, &dst);
	if (rc) {
		put_side(&src);
		return rc;
	}
	if (dst.mfn == src.mfn)   /* ranges in one frame may overlap */
		memmove((char *)arch_phys_to_virt(dst.mfn << FRAME_SHIFT) + op->dest.offset,
			(const char *)arch_phys_to_virt(src.mfn << FRAME_SHIFT) + op->source.offset,
			op->len);
	else                      /* memcpy uses the string instructions */
		memcpy((char *)arch_phys_to_virt(dst.mfn << FRAME_SHIFT) + op->dest.offset,
		       (const char *)arch_phys_to_virt(src.mfn << FRAME_SHIFT) + op->source.offset,
		       op->len);
	put_side(&dst);
	put_side(&src);
	return GNTST_okay;
}

/* Does ld hold a mapping of mfn (so it may flush it although another domain owns it)? */
static bool maps_frame(struct domain *ld, mfn_t mfn)
{
	struct grant_table *gt = ld->gnttab;
	unsigned n = gt ? gt->mt_frames * GNTTAB_MAPTRACK_PER_FRAME : 0;

	for (unsigned h = 0; h < n; h++) {
		const struct maptrack *e = &gt->mt[h / GNTTAB_MAPTRACK_PER_FRAME][h % GNTTAB_MAPTRACK_PER_FRAME];
		struct domain *rd;
		if (!(e->flags & (GNTMAP_host_map | GNTMAP_device_map)))
			continue;
		rd = domain_lookup_any(e->dom);
		if (rd && rd->gnttab && gnttab_active(rd->gnttab, e->ref)->mfn == mfn)
			return true;
	}
	return false;
}

/*
 * x86 keeps caches coherent with device DMA, so once the arguments are
 * checked there is nothing to do; Xen on x86 does the same checks.
 */
int gnttab_cache_flush(struct domain *ld, const struct gnttab_cache_flush *op)
{
	mfn_t mfn = op->a.dev_bus_addr >> FRAME_SHIFT;

	if (op->offset >= FRAME_SIZE || op->length > FRAME_SIZE ||
	    (uint32_t)op->offset + op->length > FRAME_SIZE)
		return -XEN_EINVAL;
	if (op->op & GNTTAB_CACHE_SOURCE_GREF)
		return -XEN_EOPNOTSUPP;   /* as Xen: not implemented */
	if (op->op & ~(GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_INVAL))
		return -XEN_EINVAL;
	if (!op->length || !op->op)
		return 0;
	if (mfn >= frame_table_size)
		return -XEN_EINVAL;
	if (!mfn_owned_by(mfn, ld->domain_id) && !maps_frame(ld, mfn))
		return -XEN_EPERM;
	return 0;
}
