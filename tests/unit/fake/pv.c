/* The fake machine's PV vCPU layer (see pv.h). */
#include "fake/pv.h"

#include <string.h>
#include <asm/pv.h>

struct fake_trap fake_trap;
struct vcpu *fake_trap_only;
unsigned fake_mode_toggles;

void fake_pv_reset(void)
{
	memset(&fake_trap, 0, sizeof(fake_trap));
	fake_trap_only = NULL;
	fake_mode_toggles = 0;
}

void pv_inject_exception(struct vcpu *v, unsigned vector, int64_t error_code, uint64_t cr2)
{
	if (fake_trap_only)
		assert_ptr_equal(v, fake_trap_only);
	fake_trap.count++;
	fake_trap.vector = vector;
	fake_trap.error_code = error_code;
	fake_trap.cr2 = cr2;
}

void pv_toggle_guest_mode(struct vcpu *v)
{
	fake_mode_toggles++;
	av(v)->in_kernel = !av(v)->in_kernel;
}
