/*
 * The frame table (one struct page_info per machine frame, see page.h) and
 * frames entering and leaving a domain. The type and reference-count rules
 * are in page_type.c.
 */
#include <arch.h>
#include <console.h>
#include <domain.h>
#include <memmap.h>
#include <page.h>
#include <public/errno.h>

struct page_info *frame_table;
uint64_t frame_table_size;
bool domain_reap_pending;

void frame_table_init(uint64_t nr_frames)
{
	size_t bytes = (size_t)nr_frames * sizeof(struct page_info);

	frame_table = xzalloc_bytes(bytes);
	if (!frame_table)
		panic("no memory for the frame table (%zu bytes)", bytes);
	frame_table_size = nr_frames;
	/* no saved map (host tests): every frame is the hypervisor's */
	for (uint64_t m = 0; m < nr_frames; m++)
		frame_table[m].owner = (machine_memmap_count() && !machine_memmap_is_ram(m)) ?
				       DOMID_IO : DOMID_XEN;
}

void page_clear_unless_zeroed(mfn_t mfn, uint64_t n)
{
	for (uint64_t j = 0; j < n; j++)
		if (!(frame_table[mfn + j].flags & PGF_zeroed))
			clear_frames(arch_phys_to_virt((mfn + j) << FRAME_SHIFT), 1);
}

int page_assign(struct domain *d, mfn_t mfn)
{
	struct page_info *pg = mfn_to_page(mfn);

	BUG_ON(mfn >= frame_table_size || pg->owner != DOMID_XEN || pg->count);
	if (d->tot_pages >= d->max_pages)
		return -XEN_ENOMEM;
	pg->owner = d->domain_id;
	pg->count = 1;
	pg->flags = PGF_allocated;
	pg->type = PGT_none;
	pg->type_count = 0;
	d->tot_pages++;
	frame_changes++;
	return 0;
}

int page_release(struct domain *d, mfn_t mfn)
{
	struct page_info *pg;

	if (mfn >= frame_table_size)
		return -XEN_EINVAL;
	pg = mfn_to_page(mfn);
	if (pg->owner != d->domain_id || !(pg->flags & PGF_allocated))
		return -XEN_EINVAL;
	/*
	 * A pin survives, as on Xen 4.17: the frame stays a pinned table of
	 * d's until d unpins it, then goes with its last reference.
	 */
	pg->flags &= ~PGF_allocated;
	put_page(mfn);
	return 0;
}

int page_release_extent(struct domain *d, mfn_t mfn, uint64_t n)
{
	int rc;

	/* the whole extent must be d's before any of it goes */
	if (mfn + n < mfn)
		return -XEN_EINVAL;
	for (uint64_t j = 0; j < n; j++)
		if (!mfn_owned_by(mfn + j, d->domain_id) || !(frame_table[mfn + j].flags & PGF_allocated))
			return -XEN_EINVAL;
	/*
	 * A frame an interrupted unpin or CR3 switch left devalidating still
	 * holds its first entries' references and itself: finish that here,
	 * so it goes back now, with its tree's references returned once.
	 * Nothing is released until every frame is done, so a continuation
	 * finds the extent as it was, less the work already done.
	 */
	for (uint64_t j = 0; j < n; j++) {
		rc = page_finish_devalidation(mfn + j, true);
		if (rc)
			return rc;
	}
	for (uint64_t j = 0; j < n; j++)
		page_release(d, mfn + j);
	return 0;
}

void page_share(struct domain *d, mfn_t mfn)
{
	struct page_info *pg = mfn_to_page(mfn);

	BUG_ON(mfn >= frame_table_size || pg->owner != DOMID_XEN || pg->count);
	pg->owner = d->domain_id;
	pg->count = 1;
	pg->flags = PGF_xen_shared | PGF_validated;
	pg->type = PGT_writable;
	pg->type_count = 1;
	frame_changes++;
	arch_page_m2p_set(mfn, ~0ULL);
}
