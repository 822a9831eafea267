/* Host harness for the page type/count state machine (see mm_shim.h). */
#include "mm_shim.h"

#include <stdlib.h>
#include <string.h>
#include <arch.h>
#include <asm/io_apic.h>
#include <asm/page.h>
#include "mm.h"
#include <grant_table.h>

static uint64_t memory[MM_FRAMES][512] __attribute__((aligned(4096)));
struct domain mm_dom_a, mm_dom_b;
unsigned mm_flushes, mm_frees;
uint64_t mm_m2p[MM_FRAMES];
static struct page_info table[MM_FRAMES];

/* Used by pv/mm_validate.c */
uint64_t pv_hv_l4e(unsigned slot)
{
	return MM_HV_L4E(slot);
}

void *arch_phys_to_virt(uint64_t pa)
{
	if ((pa >> 12) >= MM_FRAMES)
		abort();
	return (char *)memory + pa;
}

uint64_t arch_virt_to_phys(const void *va)
{
	return (uint64_t)((const char *)va - (const char *)memory);
}

uint64_t mm_tlb_clock = 1, mm_cpu_flushed_at, mm_flush_stamp;

/* One CPU, as arch/x86: it needs a flush unless it flushed after the clock read `stamp`. */
void arch_page_flush_tlbs(uint64_t stamp)
{
	mm_flush_stamp = stamp;
	if (mm_cpu_flushed_at <= stamp) {
		mm_flushes++;
		mm_cpu_flushed_at = ++mm_tlb_clock;
	}
}

uint64_t arch_tlb_clock(void) { return mm_tlb_clock; }
void arch_page_m2p_set(mfn_t mfn, uint64_t pfn) { mm_m2p[mfn % MM_FRAMES] = pfn; }
unsigned mm_preempt_every, mm_preempt_one_in, mm_preempt_checks;

bool arch_hypercall_preempt_check(void)
{
	mm_preempt_checks++;
	if (mm_preempt_one_in)
		return rand() % mm_preempt_one_in == 0;
	return mm_preempt_every && mm_preempt_checks % mm_preempt_every == 0;
}

void free_frames(mfn_t mfn, unsigned order)
{
	(void)order;
	mock_assert(mfn < MM_FRAMES, "free_frames range", __FILE__, __LINE__);
	mm_frees++;
}

struct domain *domain_lookup(domid_t id)
{
	if (id == 1)
		return &mm_dom_a;
	if (id == 2)
		return &mm_dom_b;
	return NULL;
}

long mm_heap_live;

void *xzalloc_bytes(size_t size)
{
	void *p = calloc(1, size);

	mm_heap_live += p != NULL;
	return p;
}

void xfree_bytes(void *p, size_t size)
{
	(void)size;
	mm_heap_live -= p != NULL;
	free(p);
}

uint64_t *mm_frame(uint64_t mfn)
{
	return memory[mfn];
}

/* The interrupt controllers' registers: one fake frame past the RAM (MM_IO_APIC). */
bool io_apic_mmio_reserved(uint64_t mfn)
{
	return mfn == MM_IO_APIC;
}

uint64_t mm_pte(uint64_t mfn, uint64_t flags)
{
	return (mfn << 12) | flags;
}

void mm_shim_reset(void)
{
	memset(memory, 0, sizeof(memory));
	memset(table, 0, sizeof(table));
	memset(mm_m2p, 0, sizeof(mm_m2p));
	frame_table = table;
	frame_table_size = MM_FRAMES;
	memset(&mm_dom_a, 0, sizeof(mm_dom_a));
	memset(&mm_dom_b, 0, sizeof(mm_dom_b));
	mm_dom_a.domain_id = 1;
	mm_dom_a.shared_info_mfn = MM_SHINFO;
	mm_dom_a.max_pages = 64;
	mm_dom_b.domain_id = 2;
	mm_dom_b.shared_info_mfn = ~0ULL;
	mm_dom_b.max_pages = 64;
	for (uint64_t m = 0; m < MM_FRAMES; m++)
		table[m].owner = m == MM_IO ? DOMID_IO : DOMID_XEN;
	for (uint64_t m = 1; m <= MM_DOM_FRAMES; m++)
		assert_int_equal(page_assign(&mm_dom_a, m), 0);
	for (uint64_t m = MM_FOREIGN; m < MM_FOREIGN + 4; m++)
		assert_int_equal(page_assign(&mm_dom_b, m), 0);
	mm_flushes = mm_frees = 0;
	mm_tlb_clock = 1;
	mm_cpu_flushed_at = 0;
	mm_flush_stamp = 0;
	mm_preempt_every = mm_preempt_one_in = mm_preempt_checks = 0;
	pv_pte_nx = PTE_NX;
}

/* dying domains are not modelled here */
struct domain *domain_lookup_any(domid_t id)
{
	return domain_lookup(id);
}

/*
 * memory_op's acquire_resource asks the grant table (common/grant_table.c)
 * for its frames. Tests built without the grant table get none: weak, so
 * the real ones win where grant_table.c is linked in.
 */
__attribute__((weak)) unsigned gnttab_resource_max_frames(struct domain *d, uint32_t id)
{
	return 0;
}

__attribute__((weak)) int gnttab_resource_frames(struct domain *d, uint32_t id, uint64_t frame,
						 uint32_t nr, uint64_t *mfns)
{
	return -XEN_EINVAL;
}
