/* The fake machine's frames, page tables and two domains (see memory.h). */
#include "fake/memory.h"

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

unsigned mm_domain_flushes;
void arch_flush_tlb_domain(struct domain *d)
{
	(void)d;
	mm_domain_flushes++;
}

void (*mm_unlocked_window)(void);
uint64_t arch_flush_tlb_domain_unlocked(struct domain *d)
{
	(void)d;
	mm_domain_flushes++;
	if (mm_unlocked_window)
		mm_unlocked_window();   /* what other CPUs do while the lock is let go */
	return 0;
}
void arch_page_m2p_set(mfn_t mfn, uint64_t pfn) { mm_m2p[mfn % MM_FRAMES] = pfn; }
/*
 * The one frame allocator: the hypervisor's free frames (owned by it,
 * unreferenced, not MM_XEN/MM_IO/MM_SHINFO), naturally aligned, from
 * MM_FIRST_FREE up, then the lower ones; handed out once until
 * free_frames() or the next reset. Like the real one it does not clear
 * them (their users do, unless PGF_zeroed).
 */
static bool taken[MM_FRAMES];

static bool allocatable(mfn_t m)
{
	return m && m != MM_XEN && m != MM_IO && m != MM_SHINFO && !taken[m] &&
	       frame_table[m].owner == DOMID_XEN && !frame_table[m].count && !frame_table[m].type_count;
}

static mfn_t alloc_from(mfn_t first, uint64_t n)
{
	for (mfn_t m = (first + n - 1) / n * n; m + n <= MM_FRAMES; m += n) {
		bool ok = true;
		for (uint64_t j = 0; ok && j < n; j++)
			ok = allocatable(m + j);
		if (ok) {
			for (uint64_t j = 0; j < n; j++)
				taken[m + j] = true;
			return m;
		}
	}
	return INVALID_MFN;
}

mfn_t alloc_frames(unsigned order)
{
	uint64_t n = 1ULL << order;
	mfn_t m;

	if (order > 3)
		return INVALID_MFN;
	m = alloc_from(MM_FIRST_FREE, n);
	return m != INVALID_MFN ? m : alloc_from(n, n);
}

void free_frames(mfn_t mfn, unsigned order)
{
	mock_assert(mfn < MM_FRAMES && mfn + (1ULL << order) <= MM_FRAMES, "free_frames range", __FILE__, __LINE__);
	for (uint64_t j = 0; j < 1ULL << order; j++)
		taken[mfn + j] = false;
	mm_frees++;
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

void fake_mm_reset(void)
{
	memset(memory, 0, sizeof(memory));
	memset(table, 0, sizeof(table));
	memset(mm_m2p, 0, sizeof(mm_m2p));
	memset(taken, 0, sizeof(taken));
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
	mm_flushes = mm_frees = mm_domain_flushes = 0;
	mm_unlocked_window = NULL;
	mm_tlb_clock = 1;
	mm_cpu_flushed_at = 0;
	mm_flush_stamp = 0;
	fake_preempt_reset();
	domain_list = &mm_dom_a;
	mm_dom_a.next = &mm_dom_b;
	pv_pte_nx = PTE_NX;
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
