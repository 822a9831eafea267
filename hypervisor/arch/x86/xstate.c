/*
 * Saving and loading a guest's FPU/SSE/AVX registers.
 *
 * With XSAVE (CPUID.1:ECX.XSAVE) the boot CPU picks the components the
 * hypervisor manages, xstate_hv_mask = what CPUID leaf 0xD offers within
 * XSTATE_HV_SUPPORTED, and sizes a vCPU's save area from leaf 0xD for
 * exactly that XCR0. Every CPU sets CR4.OSXSAVE (which also makes XGETBV
 * usable in ring 3, where PV guest kernels run).
 *
 * A guest chooses its own XCR0 (XSETBV, emulated in pv/emulate_cr.c) and
 * runs with it loaded. Saving or loading, though, always covers the whole
 * xstate_hv_mask: XCR0 is widened for the instruction and put back. So a
 * component the guest has not enabled is still saved and loaded (its init
 * state, normally) and one guest can never see another's upper YMM halves
 * by enabling AVX later. Most guests (Linux) enable everything offered, so
 * the widening costs nothing but a compare.
 *
 * Without XSAVE the area holds an FXSAVE image (x87 + SSE, 512 bytes).
 *
 * The images only ever come from our own XSAVE/FXSAVE or from
 * xstate_area_reset(): PV guests cannot hand us one. A load the CPU
 * refuses anyway (#GP on a reserved MXCSR or header bit) is caught by an
 * exception-table fixup and replaced by the reset state, so a corrupt image
 * costs the guest its FPU state, not the hypervisor its life.
 *
 * The hypervisor itself is built without SSE, so XCR0 may change under it.
 */
#include <console.h>
#include <domain.h>
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <asm/xstate.h>

#define CPUID1_ECX_XSAVE   (1u << 26)
#define CPUIDD1_EAX_XSAVEOPT (1u << 0)
#define FXSAVE_SIZE        512
#define FCW_OFFSET         0    /* legacy region: x87 control word */
#define MXCSR_OFFSET       24
#define XSTATE_BV_OFFSET   512  /* XSAVE header */
#define FCW_RESET          0x037f
#define MXCSR_RESET        0x1f80

uint64_t xstate_hv_mask;
static size_t area_size = FXSAVE_SIZE;
static bool use_xsaveopt;
static bool decided;

static void xsetbv0(uint64_t val)
{
	__asm__ volatile("xsetbv" :: "c"(0), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)));
}

void xstate_load_xcr0(uint64_t val)
{
	struct cpu_info *ci = get_cpu_info();

	if (!xstate_hv_mask || ci->xcr0 == val)
		return;
	xsetbv0(val);
	ci->xcr0 = val;
}

/* The boot CPU: XSAVE or FXSAVE, which components, how big an area. */
static void decide(void)
{
	uint32_t r[4];
	uint64_t offered;

	cpuid(1, 0, r);
	if (!(r[2] & CPUID1_ECX_XSAVE)) {
		printk("FPU: no XSAVE, guests' x87/SSE state switched with FXSAVE\n");
		return;
	}
	cpuid(0xd, 0, r);
	offered = ((uint64_t)r[3] << 32) | r[0];
	if ((offered & (XSTATE_X87 | XSTATE_SSE)) != (XSTATE_X87 | XSTATE_SSE)) {
		printk("FPU: CPUID leaf 0xD offers XCR0 %#lx without x87+SSE; using FXSAVE\n", offered);
		return;
	}
	xstate_hv_mask = offered & XSTATE_HV_SUPPORTED;
	/* AVX-512 is all three components or none (the XSETBV rules). */
	if ((xstate_hv_mask & XSTATE_AVX512) != XSTATE_AVX512 || !(xstate_hv_mask & XSTATE_YMM))
		xstate_hv_mask &= ~XSTATE_AVX512;
	cpuid(0xd, 1, r);
	use_xsaveopt = r[0] & CPUIDD1_EAX_XSAVEOPT;
}

void xstate_cpu_init(void)
{
	uint32_t r[4];

	if (!decided)
		decide();
	if (!xstate_hv_mask) {
		decided = true;
		return;
	}
	write_cr4(read_cr4() | X86_CR4_OSXSAVE);
	xsetbv0(xstate_hv_mask);
	get_cpu_info()->xcr0 = xstate_hv_mask;
	if (!decided) {
		/* EBX: the area size for the XCR0 now loaded */
		cpuid(0xd, 0, r);
		area_size = ALIGN_UP((size_t)r[1], 64);
		printk("FPU: XSAVE%s, XCR0 %#lx (x87 SSE%s%s), %zu-byte save area per vCPU\n",
		       use_xsaveopt ? "OPT" : "", xstate_hv_mask,
		       xstate_hv_mask & XSTATE_YMM ? " AVX" : "",
		       xstate_hv_mask & XSTATE_AVX512 ? " AVX-512" : "", area_size);
		decided = true;
	}
}

size_t xstate_area_size(void)
{
	return area_size;
}

void xstate_area_reset(void *area)
{
	uint8_t *p = area;

	/* All-zero XSAVE header: every component in its init state, except
	 * that XRSTOR takes MXCSR from the legacy region. */
	memset(area, 0, area_size);
	*(uint16_t *)(p + FCW_OFFSET) = FCW_RESET;
	*(uint32_t *)(p + MXCSR_OFFSET) = MXCSR_RESET;
}

void xstate_area_set_legacy(void *area, const void *fxsave)
{
	uint8_t *p = area;

	xstate_area_reset(area);
	memcpy(p, fxsave, FXSAVE_SIZE);
	if (xstate_hv_mask)   /* XSAVE format: x87 and SSE are not in their init state */
		*(uint64_t *)(p + XSTATE_BV_OFFSET) |= XSTATE_X87 | XSTATE_SSE;
}

void xstate_area_get_legacy(const void *area, void *fxsave)
{
	memcpy(fxsave, area, FXSAVE_SIZE);
}

/* Widen XCR0 to every component we manage for one save or load... */
static void widen(void)
{
	if (xstate_hv_mask && get_cpu_info()->xcr0 != xstate_hv_mask)
		xsetbv0(xstate_hv_mask);
}

/* ...and give the guest its own back. */
static void narrow(void)
{
	if (xstate_hv_mask && get_cpu_info()->xcr0 != xstate_hv_mask)
		xsetbv0(get_cpu_info()->xcr0);
}

void xstate_save(void *area)
{
	if (!xstate_hv_mask) {
		__asm__ volatile("fxsave64 (%0)" :: "r"(area) : "memory");
		return;
	}
	widen();
	if (use_xsaveopt)
		__asm__ volatile("xsaveopt64 (%0)" :: "r"(area), "a"(~0u), "d"(~0u) : "memory");
	else
		__asm__ volatile("xsave64 (%0)" :: "r"(area), "a"(~0u), "d"(~0u) : "memory");
	narrow();
}

/* 0, or 1 if the instruction faulted (traps.c resumes at the fixup). */
static int load_image(void *area)
{
	int faulted = 1;

	if (!xstate_hv_mask)
		__asm__ volatile("1: fxrstor64 (%1)\n\txor %0, %0\n2:\n"
				 ".pushsection .ex_table, \"a\"\n.quad 1b, 2b\n.popsection"
				 : "+r"(faulted) : "r"(area) : "memory");
	else
		__asm__ volatile("1: xrstor64 (%1)\n\txor %0, %0\n2:\n"
				 ".pushsection .ex_table, \"a\"\n.quad 1b, 2b\n.popsection"
				 : "+r"(faulted) : "r"(area), "a"(~0u), "d"(~0u) : "memory");
	return faulted;
}

bool xstate_restore(void *area)
{
	bool ok;

	widen();
	ok = !load_image(area);
	if (!ok) {
		xstate_area_reset(area);
		if (load_image(area))
			log_err("FPU: even the reset FPU image was refused (XCR0 %#lx)\n", xstate_hv_mask);
	}
	narrow();
	return ok;
}

void xstate_debug_bad_image(void)
{
	uint8_t *area = xzalloc_bytes(area_size);

	if (!area)
		return;
	xstate_area_reset(area);
	/* Reserved MXCSR bit: real CPUs refuse it (QEMU's TCG does not) ... */
	*(uint32_t *)(area + MXCSR_OFFSET) |= 1u << 31;
	/* ... and XSTATE_BV names a component XCR0 lacks: refused by both. */
	if (xstate_hv_mask)
		*(uint64_t *)(area + XSTATE_BV_OFFSET) = 1ULL << 62;
	if (xstate_restore(area))
		printk("fpu-image: the CPU loaded the corrupt image\n");
	else
		printk("fpu-image: the CPU refused the image with %s; reset state loaded instead\n",
		       xstate_hv_mask ? "XRSTOR" : "FXRSTOR");
	xfree_bytes(area, area_size);
}
