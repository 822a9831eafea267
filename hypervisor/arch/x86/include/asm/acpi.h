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

/* The hypervisor's acpi_map_fn (mm.c): tables below 4 GiB, through the boot mapping. */
const void *acpi_map_boot(uint64_t pa, size_t len);

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

/*
 * The table with this signature ("APIC", "FACP", ...), its length in *len;
 * NULL with *why saying what was missing.
 */
const void *acpi_find_table(acpi_map_fn map, const char *sig, size_t *len, const char **why);

/* The MADT's interrupt controllers and ISA IRQ overrides (ACPI 5.2.12.3, 5.2.12.5). */
#define ACPI_MAX_IOAPICS  8
#define ACPI_NR_ISA_IRQS  16

struct acpi_ioapic {
	uint32_t id;
	uint32_t addr;          /* physical base of its registers */
	uint32_t gsi_base;      /* GSI of its pin 0 */
};

/* MPS INTI flags of an override: polarity bits 0-1, trigger bits 2-3. */
#define ACPI_INTI_POLARITY_MASK  0x3
#define ACPI_INTI_ACTIVE_LOW     0x3
#define ACPI_INTI_TRIGGER_MASK   0xc
#define ACPI_INTI_LEVEL          0xc

struct acpi_irq_override {
	bool present;
	uint32_t gsi;
	uint16_t flags;         /* ACPI_INTI_* */
};

struct acpi_irq_info {
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned nr_ioapics;
	unsigned nr_dropped;    /* I/O APICs beyond the array */
	struct acpi_irq_override isa[ACPI_NR_ISA_IRQS];   /* by ISA IRQ */
};

/* 0, or -1 when the MADT is malformed (the same checks as acpi_madt_parse). */
int acpi_madt_parse_irqs(const void *madt, size_t len, struct acpi_irq_info *info);

/*
 * From the FADT ("FACP", ACPI 5.2.9): the PM1 control blocks (I/O ports;
 * 0 when absent) that S5 is entered through, and the SCI's interrupt.
 */
struct acpi_fadt_info {
	uint16_t pm1a_cnt;
	uint16_t pm1b_cnt;
	uint16_t sci_irq;
};

/* 0, or -1 when the FADT is malformed or names no PM1a control block. */
int acpi_fadt_parse(const void *fadt, size_t len, struct acpi_fadt_info *info);

/* acpi_sleep.c: find the FADT at boot; XENPF_enter_acpi_sleep (returns only on refusal). */
struct xenpf_enter_acpi_sleep;
void acpi_sleep_init(void);
int acpi_enter_sleep(const struct xenpf_enter_acpi_sleep *s);

#endif
