/*
 * pv_pgtables.c - the boot page tables of a 64-bit PV guest, as Xen's
 * builder lays them out: one L4, one L3, one L2 and as many L1s as the
 * region needs, in that order (Linux frees the L4, L3 and L2 after it has
 * its own tables only when they come first, in this order: see the Linux
 * PV ABI notes in docs/toolstack.md). Entries hold machine frames; the
 * tables' own pages are mapped read-only, since the hypervisor refuses to
 * validate a page table that is writably mapped.
 */
#include <string.h>
#include "pv_build_private.h"

static unsigned idx(uint64_t va, unsigned shift)
{
	return (unsigned)(va >> shift) & (PV_PTES - 1);
}

/* The INIT_P2M list's tables: L3, L2, L1s, mapping the list read-write. */
static void p2m_tables_write(const struct pv_layout *l, const uint64_t *p2m, uint64_t *l4,
			     uint64_t *pt)
{
	uint64_t *l3 = pt, *l2 = pt + PV_PTES;
	uint64_t nr_l1 = l->p2m_nr_pt - 2;
	unsigned l2_first = idx(l->p2m_va, 21), l1_first = idx(l->p2m_va, 12);

	memset(pt, 0, l->p2m_nr_pt * PV_PAGE_SIZE);
	l4[idx(l->p2m_va, 39)] = p2m[l->p2m_pt_pfn] << PV_PAGE_SHIFT | PV_PTE_UPPER;
	l3[idx(l->p2m_va, 30)] = p2m[l->p2m_pt_pfn + 1] << PV_PAGE_SHIFT | PV_PTE_UPPER;
	for (uint64_t i = 0; i < nr_l1; i++)
		l2[l2_first + i] = p2m[l->p2m_pt_pfn + 2 + i] << PV_PAGE_SHIFT | PV_PTE_UPPER;
	for (uint64_t k = 0; k < l->p2m_pages; k++) {
		uint64_t slot = l1_first + k;

		pt[(2 + slot / PV_PTES) * PV_PTES + slot % PV_PTES] =
			p2m[l->p2m_pfn + k] << PV_PAGE_SHIFT | PV_PTE_L1;
	}
}

void pv_pgtables_write(const struct pv_layout *l, const uint64_t *p2m, uint64_t *pt,
		       uint64_t *p2m_pt)
{
	uint64_t *l4 = pt, *l3 = pt + PV_PTES, *l2 = pt + 2 * PV_PTES;
	uint64_t nr_l1 = l->nr_pt - 3;
	unsigned l2_first = idx(l->virt_base, 21);

	memset(pt, 0, l->nr_pt * PV_PAGE_SIZE);
	l4[idx(l->virt_base, 39)] = p2m[l->pt_pfn + 1] << PV_PAGE_SHIFT | PV_PTE_UPPER;
	l3[idx(l->virt_base, 30)] = p2m[l->pt_pfn + 2] << PV_PAGE_SHIFT | PV_PTE_UPPER;
	for (uint64_t i = 0; i < nr_l1; i++) {
		uint64_t *l1 = pt + (3 + i) * PV_PTES;

		l2[l2_first + i] = p2m[l->pt_pfn + 3 + i] << PV_PAGE_SHIFT | PV_PTE_UPPER;
		for (unsigned j = 0; j < PV_PTES; j++) {
			uint64_t pfn = i * PV_PTES + j;
			uint64_t prot = PV_PTE_L1;

			if (pfn >= l->map_pages)
				break;
			if (pfn >= l->pt_pfn && pfn < l->pt_pfn + l->nr_pt)
				prot &= ~PV_PTE_RW;
			l1[j] = p2m[pfn] << PV_PAGE_SHIFT | prot;
		}
	}
	if (l->p2m_nr_pt)
		p2m_tables_write(l, p2m, l4, p2m_pt);
}
