/*
 * The fake machine's PV vCPU layer: what arch/x86/pv's own code provides
 * to the emulator and the port I/O paths, recorded. Linked by the CPU and
 * Dom0 layers' tests (cpu.c, dom0.c) and fuzz-hv-pvemu, fuzz-hv-vcpu.
 */
#ifndef FAKE_PV_H
#define FAKE_PV_H

#include "fake/machine.h"

/* Exceptions pv_inject_exception() injected since fake_pv_reset(); the last one's details. */
struct fake_trap {
	unsigned count;
	unsigned vector;
	int64_t error_code;
	uint64_t cr2;
};
extern struct fake_trap fake_trap;
/* When set, an injection into any other vCPU fails the test. */
extern struct vcpu *fake_trap_only;
extern unsigned fake_mode_toggles;     /* pv_toggle_guest_mode() calls (it flips the mode) */

void fake_pv_reset(void);              /* none of the above */

#endif
