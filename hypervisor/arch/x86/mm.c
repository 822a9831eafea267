/*
 * The hypervisor's own mappings: the direct map of all RAM (the boot code
 * mapped the first 4 GiB; we extend it) and uncached device mappings.
 *
 * Page-table frames come from the frame allocator, which hands out low frames
 * first; every frame it gives us is inside the part of the direct map that
 * already exists, so we can fill it in before extending the map further.
 */
#include <arch.h>
#include <console.h>
#include <frame_alloc.h>
#include <asm/acpi.h>
#include <asm/page.h>
#include <asm/x86.h>

extern uint64_t boot_l4[512];

static uint64_t mapped_limit = GiB(4);    /* the boot mapping */
static uint64_t ioremap_next = HV_IOREMAP_BASE;
static void m2p_init(uint64_t nr_frames);
static uint64_t pte_nx;                    /* PTE_NX where EFER.NXE is on, else 0 */

void *arch_phys_to_virt(uint64_t pa)
{
	return phys_to_virt(pa);
}

uint64_t arch_virt_to_phys(const void *va)
{
	return virt_to_phys(va);
}

static uint64_t *new_table(void)
{
	mfn_t mfn = alloc_frames(0);
	uint64_t pa = mfn << FRAME_SHIFT;

	BUG_ON(pa >= mapped_limit);
	memset(phys_to_virt(pa), 0, FRAME_SIZE);
	return phys_to_virt(pa);
}

/* The next-level table under `entry`, created when absent. */
static uint64_t *table_below(uint64_t *entry)
{
	if (!(*entry & PTE_P))
		*entry = virt_to_phys(new_table()) | PTE_P | PTE_W;
	BUG_ON(*entry & PTE_PS);
	return phys_to_virt(*entry & PTE_ADDR);
}

void arch_mm_init(uint64_t max_phys)
{
	uint64_t limit = MIN(ALIGN_UP(max_phys, GiB(1)), HV_DIRECTMAP_SIZE);

	if (rdmsr(MSR_EFER) & (1 << 11))
		pte_nx = PTE_NX;

	for (uint64_t pa = GiB(4); pa < limit; pa += GiB(1)) {
		uint64_t va = HV_DIRECTMAP_BASE + pa;
		uint64_t *l3 = table_below(&boot_l4[PT_INDEX(va, L4_SHIFT)]);
		uint64_t *l3e = &l3[PT_INDEX(va, L3_SHIFT)];
		if (*l3e & PTE_P)
			continue;
		uint64_t *l2 = new_table();
		for (unsigned i = 0; i < 512; i++)
			l2[i] = (pa + ((uint64_t)i << L2_SHIFT)) | PTE_P | PTE_W | PTE_PS | pte_nx;
		*l3e = virt_to_phys(l2) | PTE_P | PTE_W;
		mapped_limit = pa + GiB(1);
	}
	/* The loader's identity mapping is no longer needed; guests own the low half. */
	boot_l4[0] = 0;
	write_cr3(read_cr3());
	log_info("mm: direct map covers %lu MiB at %#lx\n", MAX(limit, GiB(4)) >> 20,
		 (uint64_t)HV_DIRECTMAP_BASE);
	m2p_init(max_phys >> FRAME_SHIFT);
}

void *ioremap(uint64_t phys, size_t size)
{
	uint64_t offset = phys & (FRAME_SIZE - 1);
	uint64_t start = ioremap_next;
	uint64_t pages = ALIGN_UP(size + offset, FRAME_SIZE) / FRAME_SIZE;

	BUG_ON(start + pages * FRAME_SIZE > HV_IOREMAP_BASE + HV_IOREMAP_SIZE);
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t va = start + i * FRAME_SIZE;
		uint64_t *l3 = table_below(&boot_l4[PT_INDEX(va, L4_SHIFT)]);
		uint64_t *l2 = table_below(&l3[PT_INDEX(va, L3_SHIFT)]);
		uint64_t *l1 = table_below(&l2[PT_INDEX(va, L2_SHIFT)]);
		l1[PT_INDEX(va, L1_SHIFT)] = ((phys - offset) + i * FRAME_SIZE) | PTE_P | PTE_W |
					     PTE_PCD | PTE_PWT | pte_nx;
	}
	ioremap_next += pages * FRAME_SIZE;
	return (void *)(start + offset);
}

/*
 * The machine-to-phys table: one 8-byte guest pfn per machine frame, mapped
 * read-only (and user-accessible: PV guest kernels run in ring 3) at
 * HV_M2P_BASE in every address space; we write it through the direct map.
 * Entries start invalid (~0) and the builders fill in their domains' frames.
 * Its memory comes in machine-contiguous 2 MiB extents, the unit
 * XENMEM_machphys_mfn_list reports (m2p_extent_mfn).
 */
#define M2P_EXTENT_ORDER 9
static uint64_t m2p_entries;

static void m2p_map_page(uint64_t va, mfn_t mfn)
{
	uint64_t *l4e = &boot_l4[PT_INDEX(va, L4_SHIFT)];
	uint64_t *l3 = table_below(l4e);
	*l4e |= PTE_U;
	uint64_t *l3e = &l3[PT_INDEX(va, L3_SHIFT)];
	uint64_t *l2 = table_below(l3e);
	*l3e |= PTE_U;
	uint64_t *l2e = &l2[PT_INDEX(va, L2_SHIFT)];
	uint64_t *l1 = table_below(l2e);
	*l2e |= PTE_U;
	l1[PT_INDEX(va, L1_SHIFT)] = (mfn << FRAME_SHIFT) | PTE_P | PTE_U | pte_nx;
}

static void m2p_init(uint64_t nr_frames)
{
	uint64_t per_extent = 1ULL << M2P_EXTENT_ORDER;
	uint64_t pages = ALIGN_UP(ALIGN_UP(nr_frames * 8, FRAME_SIZE) / FRAME_SIZE, per_extent);

	m2p_entries = pages * (FRAME_SIZE / 8);
	for (uint64_t i = 0; i < pages; i += per_extent) {
		mfn_t mfn = alloc_frames(M2P_EXTENT_ORDER);
		if (mfn == INVALID_MFN)
			panic("m2p: out of memory for the machine-to-phys table (%lu 2 MiB extents)",
			      pages / per_extent);
		memset(phys_to_virt(mfn << FRAME_SHIFT), 0xff, FRAME_SIZE << M2P_EXTENT_ORDER);
		for (uint64_t j = 0; j < per_extent; j++)
			m2p_map_page(HV_M2P_BASE + (i + j) * FRAME_SIZE, mfn + j);
	}
}

static uint64_t *m2p_page(uint64_t va)
{
	uint64_t *l3 = phys_to_virt(boot_l4[PT_INDEX(va, L4_SHIFT)] & PTE_ADDR);
	uint64_t *l2 = phys_to_virt(l3[PT_INDEX(va, L3_SHIFT)] & PTE_ADDR);
	uint64_t *l1 = phys_to_virt(l2[PT_INDEX(va, L2_SHIFT)] & PTE_ADDR);

	return phys_to_virt(l1[PT_INDEX(va, L1_SHIFT)] & PTE_ADDR);
}

/* The first frame of the M2P's 2 MiB extent i, INVALID_MFN past its end. */
uint64_t m2p_extent_mfn(uint64_t i)
{
	uint64_t entries_per_extent = (FRAME_SIZE / 8) << M2P_EXTENT_ORDER;

	if (i >= m2p_entries / entries_per_extent)
		return INVALID_MFN;
	return virt_to_phys(m2p_page(HV_M2P_BASE + (i << (M2P_EXTENT_ORDER + FRAME_SHIFT)))) >>
	       FRAME_SHIFT;
}

/* Set one entry; the table's pages are found through our mapping of the L1s. */
void m2p_set(mfn_t mfn, uint64_t pfn)
{
	uint64_t va = HV_M2P_BASE + mfn * 8;

	BUG_ON(mfn >= m2p_entries);
	m2p_page(va)[(mfn * 8 % FRAME_SIZE) / 8] = pfn;
}

const void *acpi_map_boot(uint64_t pa, size_t len)
{
	/* the boot mapping covers the first 4 GiB, where firmware puts its tables */
	if (pa >= GiB(4) || len > GiB(4) - pa)
		return NULL;
	return phys_to_virt(pa);
}
