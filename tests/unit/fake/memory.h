/*
 * The fake machine's memory layer (fake/machine.h), for the page
 * type/count state machine (common/page.c, common/page_type.c,
 * common/memmap.c) and the x86 entry rules (arch/x86/pv/mm_validate.c): a
 * small machine memory, two domains (domain_list: A, then B), and
 * recorders for the arch hooks.
 *
 * Frame layout (all owned as set by fake_mm_reset):
 *   1 .. MM_DOM_FRAMES       domain A (id 1, unprivileged)
 *   MM_FOREIGN .. +3         domain B (id 2)
 *   MM_XEN                   the hypervisor's
 *   MM_IO                    not RAM (DOMID_IO)
 *   MM_SHINFO                domain A's shared_info (the hypervisor's frame)
 *   MM_IO_APIC               not RAM, but an interrupt controller's registers
 */
#ifndef FAKE_MEMORY_H
#define FAKE_MEMORY_H

#include "fake/machine.h"
#include <page.h>

#define MM_FRAMES      48
#define MM_DOM_FRAMES  32
#define MM_FOREIGN     33
#define MM_XEN         40
#define MM_IO          41
#define MM_SHINFO      42
#define MM_FIRST_FREE  43       /* alloc_frames' first (then 37..39) */
#define MM_IO_APIC     0xfec00  /* not RAM, and the hypervisor's (io_apic_mmio_reserved) */
#define MM_HV_L4E(slot) (0x7000000000000001ULL | ((uint64_t)(slot) << 12))

extern struct domain mm_dom_a, mm_dom_b;
extern unsigned mm_flushes;        /* arch_page_flush_tlbs calls that had to flush */
extern unsigned mm_domain_flushes; /* arch_flush_tlb_domain calls */
/* Run by arch_flush_tlb_domain_unlocked, where the big lock is let go (NULL: nothing). */
extern void (*mm_unlocked_window)(void);
/*
 * The fake TLB flush clock of one CPU (arch_tlb_clock() is mm_tlb_clock);
 * the CPU flushed last when the clock was mm_cpu_flushed_at (a test has it
 * flush with mm_cpu_flushed_at = ++mm_tlb_clock). mm_flush_stamp: the
 * stamp the last arch_page_flush_tlbs call was given.
 */
extern uint64_t mm_tlb_clock, mm_cpu_flushed_at, mm_flush_stamp;
extern unsigned mm_frees;          /* frames returned to the allocator */
extern uint64_t mm_m2p[MM_FRAMES];

/* Everything above as it starts (and fake_preempt_reset()). */
void fake_mm_reset(void);
uint64_t *mm_frame(uint64_t mfn);  /* the fake frame's 512 entries */
uint64_t mm_pte(uint64_t mfn, uint64_t flags);

#endif
