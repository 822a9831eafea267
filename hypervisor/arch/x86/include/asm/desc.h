/*
 * Descriptor tables. The GDT follows Xen's PV layout: the first 14 pages
 * (entries 0-7167) belong to the guest (set_gdt), the hypervisor's own
 * entries start at entry 7168 (selector 0xe000), where PV guests expect the
 * flat selectors FLAT_RING3_CS64 (0xe033) and friends.
 */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#define GDT_ENTRIES        8192
#define GDT_FIRST_HV       7168
#define SEL_HV_CS          0xe008
#define SEL_HV_DS          0xe010
#define SEL_HV_CS32        0xe018
#define SEL_RING3_CS32     0xe023
#define SEL_RING3_DS       0xe02b
#define SEL_RING3_CS64     0xe033
#define SEL_TSS            0xe040
#define SEL_LDT            0xe050

#define SYSCALL_VECTOR     0x100   /* pseudo-vector in the frame: entered by SYSCALL */

/*
 * struct cpu_regs (asm/cpu.h) as entry.S sees it. Vectors entered on an IST
 * stack (#DB, NMI, #MC: desc.c) find their CPU's struct cpu_info through the
 * word just above the frame, at the stack's top.
 */
#define CPU_REGS_VECTOR    120
#define CPU_REGS_CS        144
#define CPU_REGS_SIZE      176

#ifndef __ASSEMBLY__
#include <lib.h>

/* Fill the hypervisor's entries (from entry 7168 on) of a GDT. */
void gdt_init_hv_entries(uint64_t *gdt);

/* Load a GDT of GDT_ENTRIES entries (the TSS stays as loaded at boot). */
void gdt_load(const uint64_t *gdt);

/* The boot CPU's own GDT, used while no vCPU's is loaded. */
extern uint64_t boot_gdt[GDT_ENTRIES];

/* Set RSP0 in this CPU's TSS (where ring-3 entries push their frame). */
void tss_set_rsp0(uint64_t rsp0);
#endif

#endif
