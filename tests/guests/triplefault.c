/*
 * triplefault - a guest that faults with nowhere to deliver the fault: it
 * clears its trap table, then executes ud2. On hardware that is a triple
 * fault; the hypervisor must end just this domain, say why, and survive.
 * (tests/integration: integ-guest-triple-fault checks the console.)
 */
#include "guest.h"

const char test_name[] = "triplefault";
const int test_styles = STYLE_DIRECT;

void test_main(void)
{
	EXPECT("clear_trap_table", HYPERVISOR_set_trap_table(NULL), 0);
	gprintf("triplefault: executing ud2 with no trap table\n");
	__asm__ volatile("ud2");
	fail("survived", "ud2 returned");
}
