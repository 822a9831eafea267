/*
 * Private to dom0_build.c: the kernel module as the ELF image the builder
 * loads. A module that is already ELF is used in place; a bzImage (what
 * /boot holds) is unpacked into frames of its own. The builder takes the
 * frames that already hold a whole page of the kernel as the domain's own
 * (dom0_kernel_take), so that they are not copied; dom0_kernel_close()
 * gives the rest back to the allocator.
 */
#ifndef PV_DOM0_KERNEL_H
#define PV_DOM0_KERNEL_H

#include <boot_info.h>
#include <frame_alloc.h>

struct dom0_kernel {
	const void *elf;        /* the ELF image */
	size_t size;
	mfn_t mfn;              /* INVALID_MFN: elf is the module itself */
	unsigned order;
	uint64_t *taken;        /* one bit per frame of the unpacked image */
	uint64_t nr_taken;
	uint64_t packed, ms;    /* payload bytes and time taken, for the log */
	const char *method;
};

/* Open the module; false (with why) if it is a bzImage that cannot be unpacked. */
bool dom0_kernel_open(const struct boot_module *m, struct dom0_kernel *k, char *why, size_t why_len);

/*
 * The frame of the unpacked image that holds bytes [offset, offset + 4 KiB)
 * of the ELF file, which the caller now owns; INVALID_MFN when the module
 * was ELF already, offset is not page-aligned or past the end, or the
 * frame was taken before.
 */
mfn_t dom0_kernel_take(struct dom0_kernel *k, uint64_t offset);

/* The frames of the unpacked image not taken, which close frees (0 for an ELF module). */
uint64_t dom0_kernel_frames(const struct dom0_kernel *k);

/* Free the frames of the unpacked image not taken, if any; safe to call twice. */
void dom0_kernel_close(struct dom0_kernel *k);

#endif /* PV_DOM0_KERNEL_H */
