/*
 * pv_layout.c - where the PV builder puts everything (the order is in
 * pv_build_private.h). The page tables map the whole region, themselves
 * included, so their number depends on the region's size and the
 * region's size on their number: the loop below settles in two or three
 * rounds.
 *
 * Linux reaches the region through one L2 (it copies the builder's single
 * L2 into its own tables), so the region must lie inside one 1 GiB-aligned
 * gigabyte from VIRT_BASE; VIRT_BASE itself must be 2 MiB-aligned so that
 * L1 tables cover it from their first entry.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "pv_build_private.h"

#define L2_SPAN_PAGES   (1ull << 18)    /* one L2: 1 GiB in 4 KiB pages */
#define LOWER_HALF_END  (1ull << 47)

/*
 * Whether the list can go where INIT_P2M asks, as Xen decides: a
 * page-aligned address below VIRT_BASE (here: in the lower half, where
 * the hypervisor has nothing), the whole list inside one 1 GiB (one L3
 * entry, one L2: a guest of up to 512 GiB).
 */
static bool p2m_at_init_p2m(const struct elf_image *img, uint64_t list_pages)
{
	uint64_t va = img->init_p2m, span = list_pages << PV_PAGE_SHIFT;

	if (!va || (va & (PV_PAGE_SIZE - 1)) || va >= LOWER_HALF_END || va >= img->virt_base)
		return false;
	return span <= (1ull << 30) && (va >> 30) == ((va + span - 1) >> 30) &&
	       va + span <= LOWER_HALF_END;
}

static uint64_t pages_of(uint64_t bytes)
{
	return (bytes + PV_PAGE_SIZE - 1) >> PV_PAGE_SHIFT;
}

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

int pv_layout_compute(struct pv_layout *l, const struct elf_image *img,
		      uint64_t ramdisk_len, uint64_t nr_pages, char *err, size_t errlen)
{
	uint64_t next, end = 0, l2_first, room;

	memset(l, 0, sizeof(*l));
	l->virt_base = img->virt_base;
	l->nr_pages = nr_pages;
	if (img->virt_base & ((2u << 20) - 1)) {
		snprintf(err, errlen, "VIRT_BASE %#llx is not 2 MiB-aligned",
			 (unsigned long long)img->virt_base);
		return -EINVAL;
	}
	if (img->virt_start < img->virt_base) {
		snprintf(err, errlen, "kernel starts at %#llx, below VIRT_BASE %#llx",
			 (unsigned long long)img->virt_start,
			 (unsigned long long)img->virt_base);
		return -EINVAL;
	}
	l2_first = (img->virt_base >> 21) & (PV_PTES - 1);
	room = L2_SPAN_PAGES - l2_first * PV_PTES;
	/* Everything below is compared against room first, so nothing wraps. */
	if ((img->virt_end - img->virt_base) >> PV_PAGE_SHIFT > room ||
	    pages_of(ramdisk_len) > room) {
		snprintf(err, errlen, "kernel and initrd do not fit in the 1 GiB the boot page tables map");
		return -EINVAL;
	}
	l->kernel_pfn = (img->virt_start - img->virt_base) >> PV_PAGE_SHIFT;
	l->kernel_end_pfn = (img->virt_end - img->virt_base) >> PV_PAGE_SHIFT;
	next = l->kernel_end_pfn;
	l->ramdisk_len = ramdisk_len;
	l->ramdisk_pfn = next;
	next += pages_of(ramdisk_len);
	l->p2m_pages = pages_of(nr_pages * sizeof(uint64_t));
	if (!p2m_at_init_p2m(img, l->p2m_pages)) {
		l->p2m_pfn = next;
		l->p2m_va = pv_va(l, next);
		next += l->p2m_pages;
	}
	l->start_info_pfn = next++;
	l->store_pfn = next++;
	l->console_pfn = next++;
	l->pt_pfn = next;

	/* L4 + L3 + L2 + one L1 per 2 MiB of region; grow until it holds. */
	l->nr_pt = 4;
	for (;;) {
		uint64_t nr_l1;

		l->stack_pfn = l->pt_pfn + l->nr_pt;
		end = round_up(l->stack_pfn + 1 + PV_PAD_PAGES, PV_ROUND_PAGES);
		nr_l1 = (end + PV_PTES - 1) / PV_PTES;
		if (3 + nr_l1 <= l->nr_pt)
			break;
		l->nr_pt = 3 + nr_l1;
	}
	l->map_pages = end;
	l->end_pfn = end;
	if (!l->p2m_va) {
		/* after the region: the list, then its L3, L2 and L1s */
		uint64_t va = img->init_p2m, span = l->p2m_pages << PV_PAGE_SHIFT;

		l->p2m_va = va;
		l->p2m_pfn = end;
		l->p2m_pt_pfn = end + l->p2m_pages;
		l->p2m_nr_pt = 2 + ((va + span - 1) >> 21) - (va >> 21) + 1;
		l->end_pfn = l->p2m_pt_pfn + l->p2m_nr_pt;
	}
	if (end > room) {
		snprintf(err, errlen, "boot region of %llu MiB does not fit in the 1 GiB the boot page tables map",
			 (unsigned long long)(end >> 8));
		return -EINVAL;
	}
	if (l->end_pfn > nr_pages) {
		snprintf(err, errlen, "kernel, initrd and boot data need %llu MiB, the domain has %llu MiB",
			 (unsigned long long)((l->end_pfn + 255) >> 8), (unsigned long long)(nr_pages >> 8));
		return -ENOMEM;
	}
	return 0;
}
