/*
 * Guest memory access for hypercalls and emulation (contract in
 * guest_access.h). The guest's page tables are loaded while we run, so its
 * addresses are used as they are; copy_inline survives faults.
 */
#include <guest_access.h>
#include <public/errno.h>
#include <asm/cpu.h>
#include <asm/layout.h>

/*
 * Bytes NOT copied. A fault (an unmapped or read-only guest page) in a REP
 * MOVS resumes at its fixup (ex table, traps.c) with RCX = what was left:
 * REP MOVS is precise about its progress. Whole quadwords first (emulators
 * copy them much faster than bytes), then bytes. Inline, not a function of
 * entry.S: every bounce and iret frame passes here, and under an emulator a
 * call and its return each cost a lookup of the next translated block.
 */
static inline size_t copy_inline(void *dst, const void *src, size_t n)
{
	size_t left = n >> 3, tail = n & 7;

	__asm__ volatile("1:	rep movsq\n"
			 "	mov %[tail], %[left]\n"
			 "2:	rep movsb\n"
			 "3:\n"
			 "	.pushsection .text.fixup, \"ax\"\n"
			 "4:	lea (%[tail], %[left], 8), %[left]\n"
			 "	jmp 3b\n"
			 "	.popsection\n"
			 "	.pushsection .ex_table, \"a\"\n"
			 "	.quad 1b, 4b\n"
			 "	.quad 2b, 3b\n"
			 "	.popsection"
			 : [left] "+c"(left), "+D"(dst), "+S"(src)
			 : [tail] "r"(tail)
			 : "memory");
	return left;
}

HOT_PATH bool guest_range_ok(guest_va_t va, size_t len)
{
	uint64_t last;

	if (!len)
		return true;
	if (va > UINT64_MAX - (len - 1))
		return false;
	last = va + (len - 1);
	if (!is_canonical(va) || !is_canonical(last))
		return false;
	/* both ends canonical but on either side of the non-canonical gap */
	if ((va >> 63) != (last >> 63))
		return false;
	return last < HV_HOLE_START || va >= HV_HOLE_END;
}

HOT_PATH int copy_from_guest(void *dst, guest_va_t src, size_t len)
{
	if (guest_range_ok(src, len) && copy_inline(dst, (const void *)src, len) == 0)
		return 0;
	memset(dst, 0, len);
	return -XEN_EFAULT;
}

HOT_PATH int copy_to_guest(guest_va_t dst, const void *src, size_t len)
{
	if (guest_range_ok(dst, len) && copy_inline((void *)dst, src, len) == 0)
		return 0;
	return -XEN_EFAULT;
}
