/*
 * Guest memory access for hypercalls and emulation (contract in
 * guest_access.h). The guest's page tables are loaded while we run, so its
 * addresses are used as they are; raw_copy (entry.S) survives faults.
 */
#include <guest_access.h>
#include <public/errno.h>
#include <asm/layout.h>

size_t raw_copy(void *dst, const void *src, size_t n);

static bool canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

HOT_PATH bool guest_range_ok(guest_va_t va, size_t len)
{
	uint64_t last;

	if (!len)
		return true;
	if (va > UINT64_MAX - (len - 1))
		return false;
	last = va + (len - 1);
	if (!canonical(va) || !canonical(last))
		return false;
	/* both ends canonical but on either side of the non-canonical gap */
	if ((va >> 63) != (last >> 63))
		return false;
	return last < HV_HOLE_START || va >= HV_HOLE_END;
}

HOT_PATH int copy_from_guest(void *dst, guest_va_t src, size_t len)
{
	if (guest_range_ok(src, len) && raw_copy(dst, (const void *)src, len) == 0)
		return 0;
	memset(dst, 0, len);
	return -XEN_EFAULT;
}

HOT_PATH int copy_to_guest(guest_va_t dst, const void *src, size_t len)
{
	if (guest_range_ok(dst, len) && raw_copy((void *)dst, src, len) == 0)
		return 0;
	return -XEN_EFAULT;
}
