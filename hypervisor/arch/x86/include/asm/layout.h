/*
 * The hypervisor's virtual address layout (x86-64).
 *
 * Guests own the lower half and the upper half outside the hypervisor's hole
 * 0xFFFF800000000000-0xFFFF87FFFFFFFFFF (top-level slots 256-271). Every top-level
 * page table we load, ours or a guest's, carries the same slots 256-271:
 *
 *   slot 256      0xFFFF800000000000  read-only machine-to-phys table for guests
 *   slot 261      0xFFFF828000000000  ioremap: uncached device mappings (APIC, ...)
 *   slots 262-271 0xFFFF830000000000  direct map of all RAM; the hypervisor image
 *                                     runs here, at HV_DIRECTMAP_BASE + its load address
 *
 * Used by assembly too, so only plain constants here.
 */
#ifndef ASM_LAYOUT_H
#define ASM_LAYOUT_H

#define HV_HOLE_START        0xFFFF800000000000
#define HV_HOLE_END          0xFFFF880000000000
#define HV_M2P_BASE          0xFFFF800000000000
#define HV_IOREMAP_BASE      0xFFFF828000000000
#define HV_IOREMAP_SIZE      0x0000000040000000   /* 1 GiB is plenty for device registers */
#define HV_DIRECTMAP_BASE    0xFFFF830000000000
#define HV_DIRECTMAP_SIZE    0x0000050000000000   /* 5 TiB of RAM addressable */

#define HV_LOAD_PHYS         0x200000             /* 2 MiB: lets early boot use one 2 MiB page */
#define HV_L4_SLOT_FIRST     256
#define HV_L4_SLOT_LAST      271
#define HV_L4_SLOT_DIRECTMAP 262
#define HV_L4_SLOT_IOREMAP   261

#define BOOT_STACK_SIZE      0x8000               /* = STACK_SIZE in asm/percpu.h */
#define CPU_INFO_RESERVE     256                  /* top of each CPU stack: struct cpu_info */
#define TRAMPOLINE_PHYS      0x8000               /* the APs' real-mode start (smp.c) */
#define IST_STACK_SIZE       0x1000

#endif
