/*
 * Copying to and from the current guest's virtual addresses.
 *
 * Every pointer a guest passes is untrusted: these refuse ranges that wrap,
 * that are not canonical or that touch the hypervisor's hole, and turn any
 * fault during the copy (unmapped or read-only page) into -XEN_EFAULT. On
 * failure the destination of copy_from_guest is zeroed, so no stale data
 * leaks into the caller.
 */
#ifndef GUEST_ACCESS_H
#define GUEST_ACCESS_H

#include <lib.h>

typedef uint64_t guest_va_t;

/* 0 or -XEN_EFAULT. */
int copy_from_guest(void *dst, guest_va_t src, size_t len);
int copy_to_guest(guest_va_t dst, const void *src, size_t len);

/* May the guest name [va, va + len) at all? (Canonical, outside the hole, no wrap.) */
bool guest_range_ok(guest_va_t va, size_t len);

#endif
