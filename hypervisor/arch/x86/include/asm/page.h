/* x86-64 page-table entry bits and index helpers. */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <lib.h>

#define PTE_P     (1ULL << 0)
#define PTE_W     (1ULL << 1)
#define PTE_U     (1ULL << 2)
#define PTE_PWT   (1ULL << 3)
#define PTE_PCD   (1ULL << 4)
#define PTE_A     (1ULL << 5)
#define PTE_D     (1ULL << 6)
#define PTE_PS    (1ULL << 7)
#define PTE_G     (1ULL << 8)
#define PTE_NX    (1ULL << 63)
#define PTE_ADDR  0x000ffffffffff000ULL

#define L1_SHIFT 12
#define L2_SHIFT 21
#define L3_SHIFT 30
#define L4_SHIFT 39
#define PT_INDEX(va, shift) (((va) >> (shift)) & 511)

#endif
