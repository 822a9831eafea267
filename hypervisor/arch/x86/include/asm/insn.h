/*
 * x86 instruction-encoding facts both decoders of guest instructions use
 * (pv/emulate.c for privileged instructions, pv/mm_ptwr_decode.c for
 * stores into page tables): which bytes are legacy prefixes, and REX.
 * Intel SDM vol. 2, 2.1-2.2.
 */
#ifndef ASM_INSN_H
#define ASM_INSN_H

#include <lib.h>

/* Operand size, address size, LOCK, REPNE, REP and the six segment overrides. */
static inline bool x86_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
		return true;
	default:
		return false;
	}
}

/* 0x40-0x4f in 64-bit code; it counts only right before the opcode. */
static inline bool x86_rex(uint8_t b)
{
	return (b & 0xf0) == 0x40;
}

#define REX_B 0x1
#define REX_R 0x4
#define REX_W 0x8

#endif
