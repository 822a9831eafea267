/*
 * console_bad - console_io with bad arguments: null, non-canonical,
 * hypervisor-range and unmapped pointers, huge and negative lengths,
 * unaligned buffers, unknown commands.  The console must keep working.
 */
#include "guest.h"

const char test_name[] = "console_bad";

static char buf[64] __attribute__((aligned(64)));

static void alive(const char *name)
{
	EXPECT(name, HYPERVISOR_console_io(CONSOLEIO_write, 3, "ok\n"), 0);
}

void test_main(void)
{
	memcpy(buf, "xunaligned write\n", 17);

	EXPECT("write_null", HYPERVISOR_console_io(CONSOLEIO_write, 10, NULL), -XEN_EFAULT);
	EXPECT("write_null_len0", HYPERVISOR_console_io(CONSOLEIO_write, 0, NULL), 0);
	EXPECT("write_noncanonical",
	       HYPERVISOR_console_io(CONSOLEIO_write, 10, (void *)BAD_NONCANON), -XEN_EFAULT);
	EXPECT("write_noncanonical_top",
	       HYPERVISOR_console_io(CONSOLEIO_write, 10, (void *)BAD_NONCANON2), -XEN_EFAULT);
	EXPECT("write_hypervisor",
	       HYPERVISOR_console_io(CONSOLEIO_write, 10, (void *)BAD_HYPERVISOR), -XEN_EFAULT);
	EXPECT("write_unmapped",
	       HYPERVISOR_console_io(CONSOLEIO_write, 10, (void *)BAD_UNMAPPED), -XEN_EFAULT);
	alive("alive_after_bad_pointers");
	/* A buffer whose end runs into unmapped memory. */
	EXPECT("write_huge_len",
	       HYPERVISOR_console_io(CONSOLEIO_write, 0x7fffffff, buf), -XEN_EFAULT);
	EXPECT("write_negative_len",
	       HYPERVISOR_console_io(CONSOLEIO_write, -1, buf), -XEN_EFAULT);
	EXPECT("write_across_canonical_hole",
	       HYPERVISOR_console_io(CONSOLEIO_write, 0x2000,
				     (void *)(BAD_NONCANON - 0x1000)), -XEN_EFAULT);
	EXPECT("write_unaligned", HYPERVISOR_console_io(CONSOLEIO_write, 16, buf + 1), 0);
	alive("alive_after_bad_lengths");

	EXPECT("read_no_input", HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), buf), 0);
	EXPECT("read_null", HYPERVISOR_console_io(CONSOLEIO_read, 10, NULL), 0);
	EXPECT("unknown_cmd", HYPERVISOR_console_io(7, 1, buf), -XEN_ENOSYS);
	EXPECT("unknown_cmd_big", HYPERVISOR_console_io(0x7fffffff, 1, buf), -XEN_ENOSYS);
	alive("alive_at_end");
}
