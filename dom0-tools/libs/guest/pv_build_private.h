/*
 * pv_build_private.h - the PV builder's pieces, each in a file of its own
 * so the host tests can check them one by one (tests/unit/dom0-tools/libs/guest/pv_build_test.c):
 *
 *   pv_image.c      read the kernel (ELF or bzImage) and the initrd, parse
 *                   the Xen notes; every complaint names the file
 *   pv_layout.c     where everything goes in the boot region (pure)
 *   pv_pgtables.c   the boot page tables' contents (pure)
 *   pv_boot_data.c  start_info, vCPU 0's context, the hypercall page (pure)
 *   pv_build.c      pv_build(): the hypercalls, in order
 *
 * The boot region (docs/toolstack.md "PV builder") starts at pfn 0 =
 * VIRT_BASE and holds, in order: the kernel image (at its physical
 * addresses), the initrd, the p2m list, start_info, the xenstore ring,
 * the console ring, the page tables (L4, L3, L2, the L1s), the boot
 * stack, then at least 512 KiB free; the whole rounded up to 4 MiB and
 * mapped by the boot tables with 4 KiB pages.
 *
 * A kernel with an INIT_P2M note gets its p2m list at that address
 * instead, as Xen's builder does: the list's frames follow the region,
 * then the tables that map it (L3, L2, L1s, hung off the same L4).
 */
#ifndef PV_BUILD_PRIVATE_H
#define PV_BUILD_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <elf_image.h>
#include "pv_build.h"

#define PV_PAGE_SIZE    4096u
#define PV_PAGE_SHIFT   12
#define PV_PTES         512u            /* entries per table */
#define PV_PAD_PAGES    128u            /* 512 KiB free after the stack */
#define PV_ROUND_PAGES  1024u           /* the region ends on 4 MiB */

/* Page-table entry bits (x86-64). A PV kernel runs in ring 3, so every
 * level carries _PAGE_USER, as Xen's builder writes them. */
#define PV_PTE_P        0x001ull
#define PV_PTE_RW       0x002ull
#define PV_PTE_USER     0x004ull
#define PV_PTE_A        0x020ull
#define PV_PTE_D        0x040ull
#define PV_PTE_UPPER    (PV_PTE_P | PV_PTE_RW | PV_PTE_USER | PV_PTE_A | PV_PTE_D)
#define PV_PTE_L1       (PV_PTE_P | PV_PTE_RW | PV_PTE_USER | PV_PTE_A)

/* The kernel and initrd as read from their files. */
struct pv_image {
	uint8_t *file;          /* the kernel file, mapped read-only */
	size_t file_len;
	uint8_t *elf;           /* the ELF: file itself, or unpacked from a bzImage */
	size_t elf_len;
	struct elf_image img;   /* parsed; points into elf */
	uint8_t *ramdisk;       /* mapped read-only; NULL: none */
	size_t ramdisk_len;
};

/*
 * Read args->kernel (and args->ramdisk) and parse the kernel. 0, or -errno
 * with err holding "<file>: <problem>" (ENOENT and the like for a file that
 * cannot be read, ENOEXEC for an image that is not a 64-bit PV kernel).
 * pv_image_free() in both cases.
 */
int pv_image_load(struct pv_image *im, const struct pv_build_args *args,
		  char *err, size_t errlen);
void pv_image_free(struct pv_image *im);

/* Every address of the boot region, as pfns from VIRT_BASE. */
struct pv_layout {
	uint64_t virt_base;
	uint64_t nr_pages;              /* the domain's memory */
	uint64_t kernel_pfn, kernel_end_pfn;   /* [virt_start, virt_end) */
	uint64_t ramdisk_pfn, ramdisk_len;     /* ramdisk_len 0: none */
	uint64_t p2m_pfn, p2m_pages;
	uint64_t p2m_va;                /* where the guest sees the list */
	/* INIT_P2M (p2m_va below VIRT_BASE): the list's own tables, after it:
	 * one L3, one L2, p2m_nr_pt - 2 L1s. 0 when the list is in the region. */
	uint64_t p2m_pt_pfn, p2m_nr_pt;
	uint64_t start_info_pfn, store_pfn, console_pfn;
	uint64_t pt_pfn, nr_pt;         /* L4, L3, L2, then nr_pt - 3 L1s */
	uint64_t stack_pfn;
	uint64_t map_pages;             /* pfns [0, map_pages) are mapped */
	uint64_t end_pfn;               /* first pfn after everything built */
};

/*
 * Lay the region out for img, an initrd of ramdisk_len bytes and nr_pages
 * of memory. 0, or -errno with err saying what does not fit ("needs 300
 * MiB of boot region, the domain has 256 MiB"): ENOMEM when the domain is
 * too small, EINVAL for a kernel whose addresses we cannot map.
 */
int pv_layout_compute(struct pv_layout *l, const struct elf_image *img,
		      uint64_t ramdisk_len, uint64_t nr_pages, char *err, size_t errlen);

/* The VA of a region pfn. */
static inline uint64_t pv_va(const struct pv_layout *l, uint64_t pfn)
{
	return l->virt_base + (pfn << PV_PAGE_SHIFT);
}

/*
 * Write the boot page tables, l->nr_pt pages, into pt (zeroed here):
 * machine frames from p2m. Page-table pages are mapped read-only, every
 * other page of the region read-write. With INIT_P2M, also the list's
 * tables, l->p2m_nr_pt pages, into p2m_pt (else p2m_pt is not used).
 */
void pv_pgtables_write(const struct pv_layout *l, const uint64_t *p2m, uint64_t *pt,
		       uint64_t *p2m_pt);

/* start_info for the guest (zeroed here). */
void pv_start_info_fill(struct start_info *si, const struct pv_layout *l,
			const uint64_t *p2m, const struct pv_build_args *args,
			uint64_t shared_info_mfn);

/* vCPU 0 at its first instruction (zeroed here). */
void pv_vcpu_context_fill(struct vcpu_guest_context *c, const struct pv_layout *l,
			  const struct elf_image *img, const uint64_t *p2m);

/* The 64-bit hypercall page a kernel with a HYPERCALL_PAGE note calls
 * into: 32-byte stubs, slot n = hypercall n through SYSCALL. */
void pv_hypercall_page_fill(uint8_t *page);

#endif
