/*
 * The fake machine's layer for the grant tables (common/grant_table*.c)
 * with the PV grant-mapping hooks (arch/x86/pv/mm_grant.c), on top of its
 * memory (fake/memory.h): domain A (id 1) is the mapper, domain B (id 2) the
 * granter. Grant-table frames come from the machine's free frames
 * (alloc_frames in fake/memory.c).
 *
 * Mapper page tables: frame GS_L1 of A is validated as an L1; the shim's
 * pv_find_l1 resolves any address in [GS_VA, GS_VA + 2 MiB) to it.
 */
#ifndef FAKE_GNTTAB_H
#define FAKE_GNTTAB_H

#include "fake/memory.h"

#define GS_L1  20
#define GS_VA  0x40000000ULL

extern struct vcpu gs_vcpu_a, gs_vcpu_b;

/* fake_mm_reset, then the mapper's L1 and the vCPUs. */
void gs_reset(void);
/* Address i of the mapper's window and the L1 entry that maps it. */
uint64_t gs_va(unsigned i);
uint64_t gs_l1e(unsigned i);

#endif
