/*
 * Decoding the store that hit a read-only L1 page (the writable page-table
 * assist, mm_ptwr.c): which bytes of the entry the instruction writes, what
 * it writes, and what it does to registers and flags. Only the forms Linux
 * uses on page-table entries are accepted (docs/linux-pv-abi.md §2.4):
 *
 *   mov r/m, reg; mov r/m, imm           (88, 89, c6 /0, c7 /0)
 *   xchg r/m, reg                        (86, 87; implicitly locked)
 *   cmpxchg r/m, reg                     (0f b0, 0f b1)
 *   and/or/xor r/m, reg and r/m, imm     (20/21, 08/09, 30/31, 80/81/83 /1 /4 /6)
 *   bts/btr/btc r/m, reg and r/m, imm8   (0f ab/b3/bb, 0f ba /5 /6 /7)
 *
 * with optional lock, operand-size, segment and REX prefixes, 1 to 8 bytes
 * wide, not crossing the 8-byte entry. Anything else is not emulated and the
 * #PF goes to the guest. The memory operand's address is not computed: the
 * CPU reported it in CR2; we only need the instruction's length.
 *
 * Pure computation on a buffer and a register frame: host tests link it.
 */
#include <asm/insn.h>
#include "mm_ptwr.h"

enum op { OP_MOV, OP_XCHG, OP_CMPXCHG, OP_AND, OP_OR, OP_XOR, OP_BTS, OP_BTR, OP_BTC };

#define FL_ARITH (X86_RFLAGS_CF | X86_RFLAGS_PF | X86_RFLAGS_AF | X86_RFLAGS_ZF | X86_RFLAGS_SF | X86_RFLAGS_OF)

static uint64_t width_mask(unsigned w)
{
	return w == 8 ? ~0ULL : (1ULL << (w * 8)) - 1;
}

/* Register operand `reg` of width w; byte registers 4-7 without REX are AH..BH. */
static uint64_t get_reg(struct cpu_regs *regs, unsigned reg, unsigned w, bool rex)
{
	if (w == 1 && !rex && reg >= 4 && reg < 8)
		return (*cpu_gpr(regs, reg - 4) >> 8) & 0xff;
	return *cpu_gpr(regs, reg) & width_mask(w);
}

/* Writes follow the CPU: 32-bit results zero-extend, 8/16-bit ones merge. */
static void set_reg(struct cpu_regs *regs, unsigned reg, unsigned w, bool rex, uint64_t val)
{
	uint64_t *r;

	if (w == 1 && !rex && reg >= 4 && reg < 8) {
		r = cpu_gpr(regs, reg - 4);
		*r = (*r & ~0xff00ULL) | ((val & 0xff) << 8);
		return;
	}
	r = cpu_gpr(regs, reg);
	if (w == 4 || w == 8)
		*r = val & width_mask(w);
	else
		*r = (*r & ~width_mask(w)) | (val & width_mask(w));
}

static uint64_t logic_flags(uint64_t res, unsigned w)
{
	uint64_t f = 0;

	if (!(res & width_mask(w)))
		f |= X86_RFLAGS_ZF;
	if (res >> (w * 8 - 1) & 1)
		f |= X86_RFLAGS_SF;
	if (!(__builtin_popcount((unsigned)(res & 0xff)) & 1))
		f |= X86_RFLAGS_PF;
	return f;
}

/* The flags of CMP a, b (a - b) at width w. */
static uint64_t cmp_flags(uint64_t a, uint64_t b, unsigned w)
{
	uint64_t m = width_mask(w), res = (a - b) & m, top = 1ULL << (w * 8 - 1);
	uint64_t f = logic_flags(res, w);

	if ((a & m) < (b & m))
		f |= X86_RFLAGS_CF;
	if ((a ^ b) & (a ^ res) & top)
		f |= X86_RFLAGS_OF;
	if ((a ^ b ^ res) & 0x10)
		f |= X86_RFLAGS_AF;
	return f;
}

/* Skip ModRM (+SIB, displacement); mod 3 (a register operand) is not a store. */
static bool skip_modrm(const uint8_t *b, unsigned avail, unsigned *i, uint8_t *modrm)
{
	unsigned mod, rm;

	if (*i >= avail)
		return false;
	*modrm = b[(*i)++];
	mod = *modrm >> 6;
	rm = *modrm & 7;
	if (mod == 3)
		return false;
	if (rm == 4) {
		if (*i >= avail)
			return false;
		if (mod == 0 && (b[*i] & 7) == 5)
			*i += 4;
		(*i)++;
	} else if (mod == 0 && rm == 5) {
		*i += 4;   /* RIP-relative */
	}
	if (mod == 1)
		*i += 1;
	else if (mod == 2)
		*i += 4;
	return *i <= avail;
}

static int64_t read_imm(const uint8_t *b, unsigned n)
{
	uint64_t v = 0;

	for (unsigned k = 0; k < n; k++)
		v |= (uint64_t)b[k] << (8 * k);
	return n == 1 ? (int8_t)v : n == 2 ? (int16_t)v : (int32_t)v;
}

bool pv_ptwr_emulate(const uint8_t *b, unsigned avail, struct cpu_regs *regs, unsigned offset,
		     uint64_t old, uint64_t *out, unsigned *len)
{
	bool opsize = false, rex_seen = false, twobyte = false, src_imm = false;
	uint8_t rex = 0, opc, modrm = 0;
	unsigned i = 0, w, imm_len = 0, reg;
	enum op op;

	/*
	 * Prefixes: at most the 15-byte instruction limit. REP, REPNE and an
	 * address-size override make no store we emulate: the fault goes on.
	 */
	for (; i < avail && i < PV_PTWR_INSN_MAX && x86_legacy_prefix(b[i]); i++) {
		if (b[i] == 0xf2 || b[i] == 0xf3 || b[i] == 0x67)
			return false;
		if (b[i] == 0x66)
			opsize = true;
	}
	if (i < avail && x86_rex(b[i])) {
		rex = b[i++];
		rex_seen = true;
	}
	if (i >= avail)
		return false;
	opc = b[i++];
	if (opc == 0x0f) {
		if (i >= avail)
			return false;
		twobyte = true;
		opc = b[i++];
	}
	if (!twobyte) {
		switch (opc) {
		case 0x88: case 0x89: op = OP_MOV; break;
		case 0xc6: case 0xc7: op = OP_MOV; src_imm = true; break;
		case 0x86: case 0x87: op = OP_XCHG; break;
		case 0x08: case 0x09: op = OP_OR; break;
		case 0x20: case 0x21: op = OP_AND; break;
		case 0x30: case 0x31: op = OP_XOR; break;
		case 0x80: case 0x81: case 0x83: op = OP_OR; src_imm = true; break; /* refined below */
		default: return false;
		}
		w = (opc == 0x88 || opc == 0xc6 || opc == 0x86 || opc == 0x08 || opc == 0x20 ||
		     opc == 0x30 || opc == 0x80) ? 1 : 0;
	} else {
		switch (opc) {
		case 0xb0: case 0xb1: op = OP_CMPXCHG; break;
		case 0xab: op = OP_BTS; break;
		case 0xb3: op = OP_BTR; break;
		case 0xbb: op = OP_BTC; break;
		case 0xba: op = OP_BTS; src_imm = true; break;   /* refined below */
		default: return false;
		}
		w = opc == 0xb0 ? 1 : 0;
	}
	if (!w)
		w = (rex & REX_W) ? 8 : opsize ? 2 : 4;
	if (!skip_modrm(b, avail, &i, &modrm))
		return false;
	reg = ((rex & REX_R) ? 8 : 0) | ((modrm >> 3) & 7);
	if (src_imm) {
		unsigned sub = (modrm >> 3) & 7;
		if (!twobyte && (opc == 0xc6 || opc == 0xc7)) {
			if (sub != 0)
				return false;
			imm_len = opc == 0xc6 ? 1 : (w == 2 ? 2 : 4);
		} else if (!twobyte) {
			if (sub == 1) op = OP_OR;
			else if (sub == 4) op = OP_AND;
			else if (sub == 6) op = OP_XOR;
			else return false;
			imm_len = opc == 0x81 ? (w == 2 ? 2 : 4) : 1;
		} else {
			if (sub == 5) op = OP_BTS;
			else if (sub == 6) op = OP_BTR;
			else if (sub == 7) op = OP_BTC;
			else return false;
			imm_len = 1;
		}
	}
	if (i + imm_len > avail || i + imm_len > PV_PTWR_INSN_MAX || offset + w > 8)
		return false;

	uint64_t m = width_mask(w), shift = offset * 8ULL;
	uint64_t dst = (old >> shift) & m, src, res = dst;
	uint64_t flags = regs->rflags, regval = 0;
	bool write_reg = false, write_mem = true;

	if (src_imm)
		src = (uint64_t)read_imm(b + i, imm_len) & m;
	else
		src = get_reg(regs, reg, w, rex_seen);
	switch (op) {
	case OP_MOV:
		res = src;
		break;
	case OP_XCHG:
		res = src;
		regval = dst;
		write_reg = true;
		break;
	case OP_CMPXCHG: {
		uint64_t acc = *cpu_gpr(regs, 0) & m;
		flags = (flags & ~FL_ARITH) | cmp_flags(acc, dst, w);
		if (acc == dst) {
			res = src;
		} else {
			write_mem = false;
			set_reg(regs, 0, w, true, dst);   /* the accumulator: never AH */
		}
		break;
	}
	case OP_AND: case OP_OR: case OP_XOR:
		res = op == OP_AND ? dst & src : op == OP_OR ? dst | src : dst ^ src;
		flags = (flags & ~FL_ARITH) | logic_flags(res, w);
		break;
	case OP_BTS: case OP_BTR: case OP_BTC: {
		/* a register bit offset may reach outside the operand: not an entry write we emulate */
		if (!src_imm && src >= w * 8ULL)
			return false;
		uint64_t bit = 1ULL << (src & (w * 8 - 1));
		flags = (flags & ~X86_RFLAGS_CF) | ((dst & bit) ? X86_RFLAGS_CF : 0);
		res = op == OP_BTS ? dst | bit : op == OP_BTR ? dst & ~bit : dst ^ bit;
		break;
	}
	}
	*out = write_mem ? (old & ~(m << shift)) | ((res & m) << shift) : old;
	if (write_reg)
		set_reg(regs, reg, w, rex_seen, regval);
	regs->rflags = flags;
	*len = i + imm_len;
	return true;
}
