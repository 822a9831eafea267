/*
 * fake/guest_mem.c - guest_access.h over the range fake/guest_mem.h
 * describes, with the real rules for what a guest address may be:
 * canonical, not wrapping, outside the hypervisor's hole.
 */
#include "fake/guest_mem.h"

#include <guest_access.h>
#include <public/errno.h>
#include <public/xen.h>
#include <string.h>

static bool canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

bool guest_range_ok(guest_va_t va, size_t len)
{
	if (len && va + len - 1 < va)
		return false;
	if (!canonical(va) || !canonical(va + len - 1))
		return false;
	return !(va < HYPERVISOR_VIRT_END && va + len > HYPERVISOR_VIRT_START);
}

static bool mapped(guest_va_t va, size_t len)
{
	const struct guest_mem_fake *g = &guest_mem_fake;

	if (!len)   /* as the real copy: nothing read, any address the guest may name */
		return guest_range_ok(va, 0);
	if (!guest_range_ok(va, len) || va < g->va || va - g->va > g->size ||
	    len > g->size - (va - g->va))
		return false;
	if (g->visible && !g->visible())
		return false;
	for (uint64_t a = va; a < va + len; a = (a | 4095) + 1)
		if (!g->page_mapped[(a - g->va) / 4096])
			return false;
	return true;
}

int copy_from_guest(void *dst, guest_va_t src, size_t len)
{
	if (!mapped(src, len)) {
		memset(dst, 0, len);
		return -XEN_EFAULT;
	}
	if (len)   /* src may lie outside mem: no pointer into nowhere */
		memcpy(dst, guest_mem_fake.mem + (src - guest_mem_fake.va), len);
	return 0;
}

int copy_to_guest(guest_va_t dst, const void *src, size_t len)
{
	if (!mapped(dst, len))
		return -XEN_EFAULT;
	if (len)
		memcpy(guest_mem_fake.mem + (dst - guest_mem_fake.va), src, len);
	return 0;
}
