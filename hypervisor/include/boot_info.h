/*
 * What the boot loader told us, copied out of its own structures (Multiboot 1
 * or 2) into one arch-neutral form before anything else uses memory. After the
 * copy the loader's structures may be overwritten; the modules may not.
 */
#ifndef BOOT_INFO_H
#define BOOT_INFO_H

#include <lib.h>

#define BOOT_CMDLINE_MAX 1024
#define BOOT_MODULES_MAX 8
#define BOOT_MEM_MAX     128

/* Memory range types, numbered as in the e820 map the loaders pass through. */
enum boot_mem_type {
	BOOT_MEM_USABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIM = 3,
	BOOT_MEM_ACPI_NVS = 4,
	BOOT_MEM_BAD = 5,
};

struct boot_mem_range {
	uint64_t start;
	uint64_t size;
	uint32_t type;
};

struct boot_module {
	uint64_t start;                 /* physical */
	uint64_t size;
	char cmdline[BOOT_CMDLINE_MAX]; /* the loader's string: file name, then arguments */
};

struct boot_info {
	char loader[64];
	char cmdline[BOOT_CMDLINE_MAX]; /* the hypervisor's options, image name removed */
	unsigned nr_mem;
	struct boot_mem_range mem[BOOT_MEM_MAX];
	unsigned nr_modules;
	struct boot_module modules[BOOT_MODULES_MAX];
	uint64_t image_start;           /* physical range of our own image */
	uint64_t image_end;
	bool truncated;                 /* more ranges or modules than fit above */
};

const char *boot_mem_type_name(uint32_t type);

/* Drop the image name that Multiboot loaders put before the options. */
void boot_cmdline_strip_image(char *cmdline);

#endif
