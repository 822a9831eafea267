/*
 * libFuzzer harness: the two decoders that read instruction bytes a PV
 * guest chose, on random bytes.
 *
 *  - The writable page-table assist (arch/x86/pv/mm_ptwr_decode.c,
 *    pv_ptwr_emulate): a store into an entry of a model L1 page, with the
 *    instruction in a heap buffer of exactly the bytes that were readable
 *    (AddressSanitizer catches any read past them). When it accepts the
 *    instruction: its length lies within those bytes and the 15-byte
 *    limit; the new entry differs from the old one only in bytes at or
 *    after the store's offset; at most one general register changed (the
 *    exchanged or compared one), and RFLAGS only in the arithmetic flags.
 *
 *  - The privileged-instruction emulator (arch/x86/pv/emulate*.c, cpuid.c,
 *    msr.c on tests/unit/fake/cpu.c's fake CPU): the bytes at a random RIP
 *    in four pages of fake guest memory, of which the next page may be
 *    unmapped, any vector and error code, kernel or user mode, virtual
 *    IOPL, a 64-bit, compat or GDT code segment, random registers. After
 *    every run: no real port was touched but Dom0's PIT channel 2 as
 *    pit_ch2.c allows (no domain holds an I/O grant here), no WBINVD for an unprivileged domain, XCR0 only ever loaded
 *    with a valid value, no breakpoint armed in the CPU on a hypervisor
 *    address nor with DR7.GD, RIP moved by at most 15 bytes (exactly the
 *    decoded length when emulated), the registers the instruction may not
 *    write unchanged, guest memory written only by INS, near RDI, and any
 *    injected exception is an architectural one.
 *
 *  - pv_insn_decode on its own: the same bytes with whatever lies past
 *    the readable ones set to 00 and to ff decode identically (the decoder
 *    never looks past `avail`), and the length never exceeds `avail`.
 *
 * Input: a control block (mode bits, registers, the entry and offset),
 * then the instruction bytes.
 */
#include "fake/cpu.h"
#include "mm_ptwr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FZ_FAIL(...) do { fprintf(stderr, "INVARIANT VIOLATED: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* HV_FUZZ_TRACE in the environment: one line per decoder and its verdict (replaying an input). */
static void trace(const char *what, bool ok, unsigned len)
{
	static int on = -1;

	if (on < 0)
		on = getenv("HV_FUZZ_TRACE") != NULL;
	if (on)
		fprintf(stderr, "%s: %s, length %u\n", what, ok ? "accepted" : "refused", len);
}

static uint64_t *reg_at(struct cpu_regs *r, unsigned i) { return cpu_gpr(r, i); }

/* ---- The writable page-table assist ------------------------------------- */

static void fuzz_ptwr(const uint8_t *ctl, const uint8_t *insn, size_t n)
{
	struct cpu_regs regs, before;
	uint64_t old = rd64(ctl), out = 0;
	unsigned offset = ctl[8] % 8, len = 0, changed = 0;
	uint8_t *b = malloc(n ? n : 1);   /* exactly the readable bytes */

	memcpy(b, insn, n);
	memset(&regs, 0, sizeof(regs));
	for (unsigned i = 0; i < 16; i++)
		*reg_at(&regs, i) = rd64(ctl + 9 + (i % 4) * 8) * (i + 1);
	regs.rflags = 0x202 | (ctl[41] & 0xd5) | ((uint64_t)(ctl[41] & 0x80) << 4);
	before = regs;
	bool ok = pv_ptwr_emulate(b, (unsigned)n, &regs, offset, old, &out, &len);

	trace("ptwr", ok, len);
	if (ok) {
		if (len == 0 || len > n || len > PV_PTWR_INSN_MAX)
			FZ_FAIL("ptwr: length %u of %zu readable bytes", len, n);
		uint64_t diff = out ^ old;
		if (offset && (diff & ((1ULL << (offset * 8)) - 1)))
			FZ_FAIL("ptwr: a store at offset %u changed lower bytes (%#lx -> %#lx)", offset,
				(unsigned long)old, (unsigned long)out);
		for (unsigned i = 0; i < 16; i++)
			changed += *reg_at(&regs, i) != *reg_at(&before, i);
		if (changed > 1)
			FZ_FAIL("ptwr: %u registers changed by one store", changed);
		if ((regs.rflags ^ before.rflags) & ~0x8d5ULL)
			FZ_FAIL("ptwr: RFLAGS %#lx -> %#lx beyond the arithmetic flags", (unsigned long)before.rflags,
				(unsigned long)regs.rflags);
	} else if (memcmp(&regs, &before, sizeof(regs))) {
		FZ_FAIL("ptwr: refused, but the registers changed");
	}
	free(b);
}

/* ---- The decoder alone ---------------------------------------------------- */

static void fuzz_decode(const uint8_t *insn, size_t n, bool mode64)
{
	struct pv_insn a, b;
	bool ra, rb;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(b.buf, 0xff, sizeof(b.buf));
	memcpy(a.buf, insn, n);
	memcpy(b.buf, insn, n);
	a.avail = b.avail = (unsigned)n;
	a.mode64 = b.mode64 = mode64;
	ra = pv_insn_decode(&a);
	rb = pv_insn_decode(&b);
	memset(a.buf, 0, sizeof(a.buf));
	memset(b.buf, 0, sizeof(b.buf));
	if (ra != rb || (ra && memcmp(&a, &b, sizeof(a))))
		FZ_FAIL("decode: the bytes past avail (%zu) changed the result", n);
	if (ra && (a.len > n || a.len == 0))
		FZ_FAIL("decode: length %u of %zu readable bytes", a.len, n);
}

/* ---- The emulator ----------------------------------------------------------- */

/* Registers the decoded instruction may write (bit i: GPR i). */
static unsigned writable_regs(const struct pv_insn *d)
{
	if (d->twobyte) {
		switch (d->op) {
		case 0xa2: return 0xf;                          /* CPUID: rax rcx rdx rbx */
		case 0x31: case 0x32: return 0x5;               /* RDTSC, RDMSR: rax rdx */
		case 0x01: return 0x7;                          /* RDTSCP: + rcx */
		case 0x20: case 0x21: return 1u << ((d->rex & REX_B ? 8 : 0) | (d->modrm & 7));   /* MOV from CR/DR */
		default: return 0;
		}
	}
	switch (d->op) {
	case 0xe4: case 0xe5: case 0xec: case 0xed: return 0x1;   /* IN: rax */
	case 0x6c: case 0x6d: return 0x82;                        /* INS: rdi rcx */
	case 0x6e: case 0x6f: return 0x42;                        /* OUTS: rsi rcx */
	default: return 0;
	}
}

/*
 * Real port accesses: no domain holds an I/O grant here, so only Dom0's
 * share of the PIT (pit_ch2.c) reaches the hardware: byte accesses to
 * channel 2's data port, commands for channel 2 only, and port B with
 * only the gate and speaker bits changed (the shim reads 0).
 */
static void check_ports(void)
{
	for (unsigned i = 0; i < fake_nr_ports && i < FAKE_PORT_LOG; i++) {
		const struct fake_port_access *a = &fake_ports[i];
		bool ok = shim_dom.is_privileged && a->size == 1;
		if (a->port == 0x43)
			ok = ok && a->write && ((a->val >> 6) == 2 || ((a->val >> 6) == 3 && (a->val & 0x0e) == 0x08));
		else if (a->port == 0x61)
			ok = ok && (!a->write || !(a->val & ~0x03u));
		else
			ok = ok && a->port == 0x42;
		if (!ok)
			FZ_FAIL("emulate: real port %#x %s (size %u, value %#x), %sprivileged, no I/O grant", a->port,
				a->write ? "written" : "read", a->size, a->val, shim_dom.is_privileged ? "" : "un");
	}
}

static uint8_t mem_before[SHIM_PAGES * 4096];
static uint64_t gdt[16];

static void fuzz_emulate(const uint8_t *ctl, const uint8_t *insn, size_t n)
{
	static const unsigned vectors[] = { TRAP_gp_fault, TRAP_gp_fault, TRAP_gp_fault, TRAP_invalid_op,
					    TRAP_invalid_op, TRAP_debug, TRAP_page_fault, 0 };
	static const uint16_t css[] = { FLAT_KERNEL_CS, FLAT_RING3_CS64, FLAT_RING3_CS32, 0x10 | 3,
					0x18 | 3, 0x20 | 3, 0x0c | 3 /* LDT */, 0x400 | 3 };
	uint8_t m = ctl[0], m2 = ctl[1];
	unsigned vector = vectors[m & 7];
	struct cpu_regs before;
	struct pv_insn d;
	uint64_t va;

	shim_reset();
	shim_arch.in_kernel = !(m & 8);
	shim_arch.iopl = (m >> 4) & 3;
	shim_dom.is_privileged = m & 0x40;
	shim_arch.cr4 = m & 0x80 ? (1ULL << 3) | (1ULL << 2) : 0;   /* DE, TSD */
	shim_arch.debugreg[7] = m2 & 1 ? rd64(ctl + 2) & ~0x2000ULL : 0;
	for (unsigned i = 0; i < 16; i++)
		gdt[i] = rd64(ctl + 2 + (i % 5) * 8) ^ ((uint64_t)i << 40);
	gdt[2] = 0x00af9b000000ffffULL;   /* 64-bit code */
	gdt[3] = 0x00cf9b000000ffffULL;   /* 32-bit code */
	shim_arch.gdt = gdt;
	shim_arch.gdt_ents = 16;
	for (unsigned i = 0; i < 16; i++)
		*cpu_gpr(&shim_regs, i) = rd64(ctl + 2 + (i % 5) * 8) >> (i * 3 % 40);
	if (m2 & 2)
		shim_regs.rsi = shim_regs.rdi = SHIM_VA + 0x2000 + (shim_regs.rsi & 0xfff);
	if (m2 & 4)
		shim_regs.rcx &= 0x1f;   /* short REP counts */
	shim_regs.cs = css[(m2 >> 3) & 7];
	shim_regs.rflags = 0x202 | (m2 & 0x40 ? 0x100 : 0) | (m2 & 0x80 ? 0x400 : 0) | ((uint64_t)(ctl[42] & 3) << 12);
	shim_regs.error_code = ctl[43] % 8 == 0 ? 4 : 0;
	/* the instruction ends at a page end (the next one unmapped) or lies inside page 1 */
	va = ctl[44] & 1 ? SHIM_VA + 0x2000 - n : SHIM_VA + 0x1000 + ctl[45] * 8;
	if (ctl[44] & 1)
		shim_page_mapped[2] = false;
	memcpy(shim_mem + (va - SHIM_VA), insn, n);
	shim_regs.rip = va;
	/* a compat code segment's RIP is 32 bits: outside the fake memory, the fetch fails */
	bool mode64 = shim_regs.cs == FLAT_RING3_CS64 || shim_regs.cs == FLAT_KERNEL_CS ||
		      (!(shim_regs.cs & 4) && (shim_regs.cs >> 3) < 16 && (gdt[shim_regs.cs >> 3] >> 53 & 1));
	if (!mode64)
		shim_regs.rip &= 0xffffffffULL;

	memcpy(mem_before, shim_mem, sizeof(shim_mem));
	shim_regs.vector = vector;   /* as the trap entry records it (shim_emulate does too) */
	before = shim_regs;
	bool emulated = shim_emulate(vector);

	trace("emulate", emulated, (unsigned)(shim_regs.rip - before.rip));

	check_ports();
	if (shim_wbinvds && !shim_dom.is_privileged)
		FZ_FAIL("emulate: WBINVD for an unprivileged domain");
	if (shim_xcr0_written != ~0ULL && !pv_xcr0_valid(shim_xcr0_written))
		FZ_FAIL("emulate: XCR0 %#lx loaded", (unsigned long)shim_xcr0_written);
	if (shim_hw_dr7 & 0x2000)
		FZ_FAIL("emulate: DR7.GD loaded");
	for (unsigned i = 0; i < 4; i++)
		if ((shim_hw_dr7 >> (2 * i)) & 3 && shim_hw_dr[i] >= 0xffff800000000000ULL &&
		    shim_hw_dr[i] < 0xffff880000000000ULL)
			FZ_FAIL("emulate: breakpoint %u armed at hypervisor address %#lx", i,
				(unsigned long)shim_hw_dr[i]);
	if (fake_trap.count && fake_trap.vector > 31)
		FZ_FAIL("emulate: injected vector %u", fake_trap.vector);

	uint64_t moved = shim_regs.rip - before.rip;
	if (!emulated) {
		if (memcmp(&shim_regs, &before, sizeof(before)) || memcmp(shim_mem, mem_before, sizeof(mem_before)))
			FZ_FAIL("emulate: not emulated, but registers or memory changed");
		return;
	}
	if (moved > PV_INSN_MAX)
		FZ_FAIL("emulate: RIP moved by %#lx", (unsigned long)moved);
	/* the decode of what was readable tells which registers it may write */
	memset(&d, 0, sizeof(d));
	pv_insn_fetch(&shim_vcpu, &before, &d);
	d.mode64 = mode64;
	if (!pv_insn_decode(&d))
		FZ_FAIL("emulate: emulated an instruction that does not decode");
	if (moved && moved != d.len)
		FZ_FAIL("emulate: RIP moved by %lu, the instruction is %u bytes", (unsigned long)moved, d.len);
	unsigned may = writable_regs(&d);
	for (unsigned i = 0; i < 16; i++)
		if (!(may & (1u << i)) && *cpu_gpr(&shim_regs, i) != *cpu_gpr(&before, i))
			FZ_FAIL("emulate: op %s%#x changed register %u (%#lx -> %#lx)", d.twobyte ? "0f " : "", d.op, i,
				(unsigned long)*cpu_gpr(&before, i), (unsigned long)*cpu_gpr(&shim_regs, i));
	for (size_t i = 0; i < sizeof(mem_before); i++) {
		if (shim_mem[i] == mem_before[i])
			continue;
		uint64_t at = SHIM_VA + i, lo = before.rdi < shim_regs.rdi ? before.rdi : shim_regs.rdi;
		uint64_t hi = before.rdi < shim_regs.rdi ? shim_regs.rdi : before.rdi;
		if (d.twobyte || (d.op != 0x6c && d.op != 0x6d) || at + 4 < lo || at > hi + 4)
			FZ_FAIL("emulate: op %#x wrote guest memory at %#lx (rdi %#lx -> %#lx)", d.op, (unsigned long)at,
				(unsigned long)before.rdi, (unsigned long)shim_regs.rdi);
	}
}

#define CTL 48

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t ctl[CTL] = { 0 };
	size_t n;

	if (size == 0)
		return 0;
	memcpy(ctl, data, size < CTL ? size : CTL);
	data += size < CTL ? size : CTL;
	size -= size < CTL ? size : CTL;
	n = size > PV_INSN_MAX ? PV_INSN_MAX : size;
	/* cmocka's assertions in the shim abort the run instead of a test */
	fuzz_ptwr(ctl, data, n);
	fuzz_decode(data, n, !(ctl[1] & 0x20));
	fuzz_emulate(ctl, data, n);
	return 0;
}
