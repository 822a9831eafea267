/*
 * lastdown - VCPUOP_down of a domain's last online vCPU shuts the domain
 * down (SHUTDOWN_poweroff), as on Xen; a vCPU that never came up counts as
 * down. Booted with dom0_max_vcpus=2 by integ-vcpu-down-last (Paravane),
 * which expects the poweroff: this kernel cannot see its own end, so it
 * does not use the PASS/FAIL summary. On Xen 4.17 the same kernel ends
 * with "Hardware Dom0 halted".
 */
#include "guest.h"

const char test_name[] = "lastdown";
const int test_styles = STYLE_DIRECT;

void test_main(void)
{
	/* vCPU 1 was never brought up: downing it changes nothing */
	gprintf("LASTDOWN vcpu 1 down: %ld\n", HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL));
	gprintf("LASTDOWN vcpu 0 still up: %ld\n", HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL));
	HYPERVISOR_vcpu_op(VCPUOP_down, 0, NULL);
	gprintf("LASTDOWN returned\n");
}
