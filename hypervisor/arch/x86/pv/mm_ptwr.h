/* The writable page-table assist: decoder interface (mm_ptwr_decode.c), private to pv/. */
#ifndef PV_MM_PTWR_H
#define PV_MM_PTWR_H

#include <asm/cpu.h>
#include <lib.h>

#define PV_PTWR_INSN_MAX 15

/*
 * The store instruction in b[0, avail) writes at byte `offset` of an 8-byte
 * entry whose value is `old`. On success returns true with *out the entry
 * after the instruction (== old when it writes nothing, e.g. a failed
 * cmpxchg), *len its length, and regs' registers and flags updated as the
 * CPU would (the caller passes a copy and keeps it only if the new entry
 * validates). False: not a form we emulate, or it crosses the entry.
 */
bool pv_ptwr_emulate(const uint8_t *b, unsigned avail, struct cpu_regs *regs, unsigned offset,
		     uint64_t old, uint64_t *out, unsigned *len);

#endif
