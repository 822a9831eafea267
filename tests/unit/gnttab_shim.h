/*
 * Host harness for the grant tables (common/grant_table*.c) with the PV
 * grant-mapping hooks (arch/x86/pv/mm_grant.c), on top of the mm harness
 * (mm_shim.h): domain A (id 1) is the mapper, domain B (id 2) the granter.
 * Grant-table frames come from the fake machine's free frames.
 *
 * Mapper page tables: frame GS_L1 of A is validated as an L1; the shim's
 * pv_find_l1 resolves any address in [GS_VA, GS_VA + 2 MiB) to it.
 */
#ifndef GNTTAB_SHIM_H
#define GNTTAB_SHIM_H

#include "mm_shim.h"

#define GS_L1  20
#define GS_VA  0x40000000ULL

extern struct vcpu gs_vcpu_a, gs_vcpu_b;
extern unsigned gs_domain_flushes;   /* arch_flush_tlb_domain calls */

/* mm_shim_reset, then the mapper's L1 and the vCPUs. */
void gs_reset(void);
/* Address i of the mapper's window and the L1 entry that maps it. */
uint64_t gs_va(unsigned i);
uint64_t gs_l1e(unsigned i);

#endif
