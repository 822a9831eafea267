/*
 * The FPU/SSE/AVX register state of guests, as the CPU saves it: XSAVE
 * where the CPU has it, FXSAVE otherwise (arch/x86/xstate.c). The lazy
 * switching policy (when to save and restore) is pv/context.c's.
 */
#ifndef ASM_XSTATE_H
#define ASM_XSTATE_H

#include <lib.h>

/* XCR0 components (state-component bitmap). */
#define XSTATE_X87       (1ULL << 0)
#define XSTATE_SSE       (1ULL << 1)
#define XSTATE_YMM       (1ULL << 2)
#define XSTATE_BNDREGS   (1ULL << 3)
#define XSTATE_BNDCSR    (1ULL << 4)
#define XSTATE_OPMASK    (1ULL << 5)
#define XSTATE_ZMM_HI256 (1ULL << 6)
#define XSTATE_HI16_ZMM  (1ULL << 7)
#define XSTATE_AVX512    (XSTATE_OPMASK | XSTATE_ZMM_HI256 | XSTATE_HI16_ZMM)

/*
 * Components the hypervisor will switch for guests, where the CPU has
 * them: x87, SSE, AVX and AVX-512. MPX is obsolete; PKRU and AMX need CPU
 * features PV guests do not get (PKU; XFD and the AMX permission MSRs).
 */
#define XSTATE_HV_SUPPORTED (XSTATE_X87 | XSTATE_SSE | XSTATE_YMM | XSTATE_AVX512)

/* Components in this CPU's XCR0 while the hypervisor saves/restores; 0: FXSAVE only. */
extern uint64_t xstate_hv_mask;

/* Every CPU, once, early: CR4.OSXSAVE and XCR0 (the boot CPU also decides the format). */
void xstate_cpu_init(void);

/* Bytes of one vCPU's save area (a multiple of 64; allocate it 64-byte aligned). */
size_t xstate_area_size(void);

/* The state of a freshly reset CPU: x87 FNINIT'd, MXCSR masking every SIMD exception. */
void xstate_area_reset(void *area);
/*
 * The x87/SSE part as an FXSAVE image (512 bytes), as a vCPU context
 * carries it: set resets the rest of the area; an image the CPU refuses
 * is caught at its load (xstate_restore).
 */
void xstate_area_set_legacy(void *area, const void *fxsave);
void xstate_area_get_legacy(const void *area, void *fxsave);

/*
 * Save the registers to / load them from `area`. Every component of
 * xstate_hv_mask moves, whatever the guest's XCR0 (which this CPU holds
 * again on return), so that no guest ever sees another's registers. A
 * load the CPU refuses (a corrupt image) resets the area, loads that and
 * returns false.
 */
void xstate_save(void *area);
bool xstate_restore(void *area);

/* debug_fault=fpu-image: load a corrupt image; the CPU's #GP must be survived. */
void xstate_debug_bad_image(void);

/* Set this CPU's XCR0 (skipped when it already holds `val`). */
void xstate_load_xcr0(uint64_t val);

#endif
