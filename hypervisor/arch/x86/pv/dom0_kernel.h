/*
 * Private to dom0_build.c: the kernel module as the ELF image the builder
 * loads. A module that is already ELF is used in place; a bzImage (what
 * /boot holds) is unpacked into frames of its own, which
 * dom0_kernel_close() gives back to the allocator once the kernel has been
 * copied into the domain.
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
	uint64_t packed, ms;    /* payload bytes and time taken, for the log */
	const char *method;
};

/* Open the module; false (with why) if it is a bzImage that cannot be unpacked. */
bool dom0_kernel_open(const struct boot_module *m, struct dom0_kernel *k, char *why, size_t why_len);

/* The frames the unpacked image holds (0 for an ELF module). */
uint64_t dom0_kernel_frames(const struct dom0_kernel *k);

/* Free the unpacked image, if any; safe to call twice. */
void dom0_kernel_close(struct dom0_kernel *k);

#endif /* PV_DOM0_KERNEL_H */
