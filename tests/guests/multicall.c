/*
 * multicall - batches of hypercalls with per-entry results, including
 * failing entries, refused entries and bad arrays.
 */
#include "guest.h"

const char test_name[] = "multicall";

static struct multicall_entry mc[8];

void test_main(void)
{
	static const char msg[] = "multicall console write\n";
	long ver = HYPERVISOR_xen_version(XENVER_version, NULL);
	long rc;

	memset(mc, 0, sizeof(mc));
	mc[0].op = __HYPERVISOR_xen_version;
	mc[0].args[0] = XENVER_version;
	mc[1].op = 60;				/* unknown */
	mc[2].op = __HYPERVISOR_console_io;
	mc[2].args[0] = CONSOLEIO_write;
	mc[2].args[1] = sizeof(msg) - 1;
	mc[2].args[2] = (uint64_t)msg;
	mc[3].op = __HYPERVISOR_console_io;	/* bad buffer */
	mc[3].args[0] = CONSOLEIO_write;
	mc[3].args[1] = 16;
	mc[3].args[2] = BAD_NONCANON;
	mc[4].op = __HYPERVISOR_sched_op;
	mc[4].args[0] = SCHEDOP_yield;
	for (int i = 0; i < 5; i++)
		mc[i].result = 0x5a5a;
	rc = HYPERVISOR_multicall(mc, 5);
	EXPECT("multicall_rc", rc, 0);
	EXPECT("entry_xen_version", (long)mc[0].result, ver);
	EXPECT("entry_unknown_enosys", (long)mc[1].result, -XEN_ENOSYS);
	EXPECT("entry_console_write", (long)mc[2].result, 0);
	EXPECT("entry_console_bad_efault", (long)mc[3].result, -XEN_EFAULT);
	EXPECT("entry_yield", (long)mc[4].result, 0);

	/* A multicall may not contain another multicall. */
	memset(mc, 0, sizeof(mc));
	mc[0].op = __HYPERVISOR_multicall;	/* nested */
	mc[0].args[0] = (uint64_t)&mc[2];
	mc[0].args[1] = 1;
	mc[2].op = __HYPERVISOR_xen_version;
	rc = HYPERVISOR_multicall(mc, 1);
	EXPECT("refused_multicall_rc", rc, 0);
	gprintf("nested multicall result %ld\n", (long)mc[0].result);
	EXPECT("entry_nested_multicall_einval", (long)mc[0].result, -XEN_EINVAL);
	/*
	 * iret as a multicall entry is not tested: Xen 4.17 runs it (taking
	 * the frame from the guest stack) and the domain does not come back.
	 */

	/* Bad arrays. */
	EXPECT("count_zero", HYPERVISOR_multicall(NULL, 0), 0);
	EXPECT("null_array", HYPERVISOR_multicall(NULL, 1), -XEN_EFAULT);
	EXPECT("noncanonical_array",
	       HYPERVISOR_multicall((void *)BAD_NONCANON, 1), -XEN_EFAULT);
	EXPECT("hypervisor_array",
	       HYPERVISOR_multicall((void *)BAD_HYPERVISOR, 1), -XEN_EFAULT);
	/* The M2P is readable but result write-back must fail. */
	EXPECT("readonly_array",
	       HYPERVISOR_multicall((void *)MACH2PHYS_VIRT_START, 1), -XEN_EFAULT);
	EXPECT("still_alive", HYPERVISOR_xen_version(XENVER_version, NULL), ver);
}
