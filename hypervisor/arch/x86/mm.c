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
#include <asm/page.h>
#include <asm/x86.h>

extern uint64_t boot_l4[512];

static uint64_t mapped_limit = GiB(4);    /* the boot mapping */
static uint64_t ioremap_next = HV_IOREMAP_BASE;
static uint64_t pte_nx;                    /* PTE_NX where EFER.NXE is on, else 0 */

void *arch_phys_to_virt(uint64_t pa)
{
	return phys_to_virt(pa);
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
