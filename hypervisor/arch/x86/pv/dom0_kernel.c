/*
 * The Dom0 kernel module as an ELF image (dom0_kernel.h). Boot loaders
 * hand Xen, and so us, the kernel file from /boot, a bzImage; the builder
 * needs the ELF vmlinux inside it. We unpack it at boot, once, into
 * contiguous frames taken from the allocator. Most of them already hold a
 * whole page of a kernel segment: the builder makes those the domain's
 * frames in place rather than copying 60 MiB again, and the rest go back
 * to the allocator as soon as the kernel is in the domain's memory. The
 * decoder's model (UNXZ_WORK_SIZE) is allocated and freed the same way.
 */
#include <arch.h>
#include <bzimage.h>
#include <domain.h>
#include <page.h>
#include <unxz.h>
#include <asm/x86.h>
#include <public/errno.h>
#include "dom0_kernel.h"

static unsigned order_for(uint64_t bytes)
{
	unsigned order = 0;

	while ((FRAME_SIZE << order) < bytes)
		order++;
	return order;
}

static size_t taken_bytes(const struct dom0_kernel *k)
{
	return (size_t)ALIGN_UP(1ull << k->order, 64) / 8;
}

static bool is_taken(const struct dom0_kernel *k, uint64_t i)
{
	return (k->taken[i / 64] >> (i % 64)) & 1;
}

bool dom0_kernel_open(const struct boot_module *m, struct dom0_kernel *k, char *why, size_t why_len)
{
	const void *data = phys_to_virt(m->start);
	struct bzimage bz;
	uint64_t t0 = arch_now_ns();
	void *work;
	int rc;

	memset(k, 0, sizeof(*k));
	k->mfn = INVALID_MFN;
	k->elf = data;
	k->size = m->size;
	/* ELF goes straight to the ELF parser, which names what is wrong with it */
	if (m->size >= 4 && !memcmp(data, "\177ELF", 4))
		return true;
	rc = bzimage_probe(data, m->size, &bz, why, why_len);
	if (rc == -XEN_ENOEXEC)
		return true;    /* the ELF parser says "not an ELF file" */
	if (rc)
		return false;

	k->order = order_for(bz.unpacked_size);
	if (k->order > FRAME_ORDER_MAX || (k->mfn = alloc_frames(k->order)) == INVALID_MFN) {
		hv_snprintf(why, why_len, "no %lu MiB of contiguous memory to unpack the %s bzImage into",
			    (FRAME_SIZE << k->order) >> 20, bz.method);
		k->mfn = INVALID_MFN;
		return false;
	}
	k->taken = xzalloc_bytes(taken_bytes(k));
	if (!k->taken) {
		hv_snprintf(why, why_len, "out of hypervisor memory for the %s bzImage", bz.method);
		dom0_kernel_close(k);
		return false;
	}
	work = xzalloc_bytes(UNXZ_WORK_SIZE);
	rc = work ? bzimage_unpack(&bz, phys_to_virt(k->mfn << FRAME_SHIFT), bz.unpacked_size, work,
				   why, why_len) : -XEN_ENOMEM;
	if (!work)
		hv_snprintf(why, why_len, "out of hypervisor memory for the %s decoder", bz.method);
	xfree_bytes(work, UNXZ_WORK_SIZE);
	if (rc) {
		dom0_kernel_close(k);
		return false;
	}
	k->elf = phys_to_virt(k->mfn << FRAME_SHIFT);
	k->size = bz.unpacked_size;
	k->packed = bz.payload_len;
	k->method = bz.method;
	k->ms = (arch_now_ns() - t0) / 1000000;
	return true;
}

mfn_t dom0_kernel_take(struct dom0_kernel *k, uint64_t offset)
{
	uint64_t i = offset >> FRAME_SHIFT;

	if (k->mfn == INVALID_MFN || !IS_ALIGNED(offset, FRAME_SIZE) || i >= (1ull << k->order) ||
	    is_taken(k, i))
		return INVALID_MFN;
	k->taken[i / 64] |= 1ull << (i % 64);
	k->nr_taken++;
	return k->mfn + i;
}

uint64_t dom0_kernel_frames(const struct dom0_kernel *k)
{
	return k->mfn == INVALID_MFN ? 0 : (1ull << k->order) - k->nr_taken;
}

void dom0_kernel_close(struct dom0_kernel *k)
{
	if (k->mfn == INVALID_MFN)
		return;
	if (!k->taken)
		free_frames(k->mfn, k->order);
	for (uint64_t i = 0; k->taken && i < (1ull << k->order); i++)
		if (!is_taken(k, i))
			free_frames(k->mfn + i, 0);
	if (k->taken)
		xfree_bytes(k->taken, taken_bytes(k));
	k->taken = NULL;
	k->mfn = INVALID_MFN;
	k->elf = NULL;
}
