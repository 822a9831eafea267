/*
 * The little of ACPI we read: the RSDP, the RSDT or XSDT, and the MADT
 * ("APIC" table), to learn which CPUs exist and their local APIC ids.
 * Layouts are from the ACPI specification (5.2.5 RSDP, 5.2.7 RSDT, 5.2.8
 * XSDT, 5.2.12 MADT). The parsers in acpi_madt.c touch memory only through
 * the `map` callback, so tests/unit runs them on synthetic tables.
 */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include <lib.h>

struct acpi_cpu {
	uint32_t apic_id;
	uint32_t acpi_id;       /* the processor's ACPI UID */
};

struct acpi_madt_info {
	uint32_t lapic_phys;            /* local APIC base the MADT names */
	unsigned nr_cpus;               /* enabled CPUs stored in cpus[] */
	unsigned nr_disabled;           /* entries marked neither enabled nor online-capable */
	unsigned nr_dropped;            /* enabled CPUs beyond the array */
};

/*
 * Returns a readable pointer to [pa, pa+len), or NULL if that cannot be
 * read. Pointers must stay valid for the whole walk (no shared window).
 */
typedef const void *(*acpi_map_fn)(uint64_t pa, size_t len);

/* Sum of the bytes is 0 mod 256, as every ACPI structure requires. */
bool acpi_checksum_ok(const void *p, size_t len);

/*
 * Parse one MADT (header included, `len` bytes). Enabled processors (local
 * APIC and x2APIC entries) go to cpus[0..max). Returns 0, or -1 when the
 * table is malformed (bad signature, checksum, or an entry that overruns it).
 */
int acpi_madt_parse(const void *madt, size_t len, struct acpi_cpu *cpus, unsigned max,
		    struct acpi_madt_info *info);

/*
 * Find the RSDP in the EBDA's first KiB or in 0xE0000-0xFFFFF, follow the
 * XSDT (or the RSDT) to the MADT and parse it. Returns 0, or -1 with *why
 * saying what was missing.
 */
int acpi_find_cpus(acpi_map_fn map, struct acpi_cpu *cpus, unsigned max,
		   struct acpi_madt_info *info, const char **why);

#endif
