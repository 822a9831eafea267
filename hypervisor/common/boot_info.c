/* Helpers for the loader-neutral boot information. */
#include <boot_info.h>

const char *boot_mem_type_name(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_USABLE: return "usable";
	case BOOT_MEM_RESERVED: return "reserved";
	case BOOT_MEM_ACPI_RECLAIM: return "ACPI data";
	case BOOT_MEM_ACPI_NVS: return "ACPI NVS";
	case BOOT_MEM_BAD: return "bad memory";
	default: return "unknown";
	}
}

/*
 * QEMU's Multiboot loader and GRUB put the image's file name before the
 * options; Xen drops it the same way. The first word is taken to be a file
 * name when it has no '='; a boolean option written first keeps working only
 * after another word, which every loader we know supplies.
 */
void boot_cmdline_strip_image(char *cmdline)
{
	char *p = cmdline;
	size_t n = 0;

	while (*p == ' ')
		p++;
	while (p[n] && p[n] != ' ' && p[n] != '=')
		n++;
	if (p[n] == '=')
		return;
	p += n;
	while (*p == ' ')
		p++;
	memmove(cmdline, p, strlen(p) + 1);
}
