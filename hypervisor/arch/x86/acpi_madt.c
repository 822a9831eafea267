/*
 * Finding ACPI tables (RSDP -> XSDT or RSDT -> a table by signature) and
 * reading the MADT: the CPUs, the I/O APICs and the ISA interrupt
 * overrides (see asm/acpi.h). Every length comes from firmware, so each is checked against
 * what contains it before it is used; memory is read only through `map`.
 */
#include <asm/acpi.h>

#define RSDP_SIG        "RSD PTR "
#define SDT_HEADER_LEN  36
#define MADT_ENTRIES    44          /* header, local APIC address, flags */
#define EBDA_SEG_PTR    0x40e       /* BIOS data area: the EBDA's segment */
#define BIOS_ROM_START  0xe0000
#define BIOS_ROM_END    0x100000
#define MAX_SDT_LEN     (1u << 20)  /* sanity bound for firmware lengths */

enum {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_IRQ_OVERRIDE = 2,
	MADT_LAPIC_OVERRIDE = 5,
	MADT_X2APIC = 9,
};

#define MADT_ENABLED        (1u << 0)
#define MADT_ONLINE_CAPABLE (1u << 1)

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

bool acpi_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + b[i]);
	return sum == 0;
}

static void add_cpu(struct acpi_cpu *cpus, unsigned max, struct acpi_madt_info *info,
		    uint32_t apic_id, uint32_t acpi_id, uint32_t flags)
{
	/* Online-capable but not enabled: hot-pluggable, not present now. */
	if (!(flags & MADT_ENABLED)) {
		info->nr_disabled++;
		return;
	}
	for (unsigned i = 0; i < info->nr_cpus; i++)
		if (cpus[i].apic_id == apic_id)
			return;   /* firmware listing a CPU as both xAPIC and x2APIC */
	if (info->nr_cpus >= max) {
		info->nr_dropped++;
		return;
	}
	cpus[info->nr_cpus].apic_id = apic_id;
	cpus[info->nr_cpus].acpi_id = acpi_id;
	info->nr_cpus++;
}

/*
 * Check the MADT's header and call fn for every entry, each lying whole
 * inside the table; fn returning -1 (a short entry) stops the walk with -1.
 */
static int madt_walk(const void *madt, size_t len, int (*fn)(const uint8_t *e, void *arg), void *arg)
{
	const uint8_t *t = madt;
	size_t table_len;

	if (len < MADT_ENTRIES || memcmp(t, "APIC", 4))
		return -1;
	table_len = get32(t + 4);
	if (table_len < MADT_ENTRIES || table_len > len || !acpi_checksum_ok(t, table_len))
		return -1;
	for (size_t off = MADT_ENTRIES; off < table_len;) {
		const uint8_t *e = t + off;
		/* the entry's header and its whole length must lie inside the table */
		if (table_len - off < 2 || e[1] < 2 || e[1] > table_len - off)
			return -1;
		if (fn(e, arg))
			return -1;
		off += e[1];
	}
	return 0;
}

struct cpu_walk {
	struct acpi_cpu *cpus;
	unsigned max;
	struct acpi_madt_info *info;
};

static int cpu_entry(const uint8_t *e, void *arg)
{
	struct cpu_walk *w = arg;

	switch (e[0]) {
	case MADT_LAPIC:
		if (e[1] < 8)
			return -1;
		add_cpu(w->cpus, w->max, w->info, e[3], e[2], get32(e + 4));
		break;
	case MADT_X2APIC:
		if (e[1] < 16)
			return -1;
		add_cpu(w->cpus, w->max, w->info, get32(e + 4), get32(e + 12), get32(e + 8));
		break;
	default:
		/* a 64-bit local APIC base (we reach the APIC through MSR_APIC_BASE),
		 * I/O APICs and overrides (acpi_madt_parse_irqs), NMI sources */
		break;
	}
	return 0;
}

int acpi_madt_parse(const void *madt, size_t len, struct acpi_cpu *cpus, unsigned max,
		    struct acpi_madt_info *info)
{
	struct cpu_walk w = { cpus, max, info };
	int rc;

	memset(info, 0, sizeof(*info));
	rc = madt_walk(madt, len, cpu_entry, &w);
	if (!rc)
		info->lapic_phys = get32((const uint8_t *)madt + 36);
	return rc;
}

/* The RSDP in [start, end), 16-byte aligned, with a valid checksum; 0 if none. */
static uint64_t scan_rsdp(acpi_map_fn map, uint64_t start, uint64_t end)
{
	for (uint64_t pa = start; pa + 20 <= end; pa += 16) {
		const uint8_t *p = map(pa, 20);
		if (p && !memcmp(p, RSDP_SIG, 8) && acpi_checksum_ok(p, 20))
			return pa;
	}
	return 0;
}

/* A whole system description table with this signature at pa, or NULL. */
static const uint8_t *map_sdt(acpi_map_fn map, uint64_t pa, const char *sig, size_t *len)
{
	const uint8_t *h = map(pa, SDT_HEADER_LEN);
	uint32_t n;

	if (!h || (sig && memcmp(h, sig, 4)))
		return NULL;
	n = get32(h + 4);
	if (n < SDT_HEADER_LEN || n > MAX_SDT_LEN)
		return NULL;
	h = map(pa, n);
	if (!h || !acpi_checksum_ok(h, n))
		return NULL;
	*len = n;
	return h;
}

static const char no_table[] = "the table is not in the RSDT/XSDT";

const void *acpi_find_table(acpi_map_fn map, const char *sig, size_t *len, const char **why)
{
	const uint8_t *bda = map(EBDA_SEG_PTR, 2), *rsdp, *root;
	uint64_t rsdp_pa = 0, ebda = bda ? (uint64_t)(bda[0] | bda[1] << 8) << 4 : 0;
	size_t root_len, entry_size;

	if (ebda >= 0x80000 && ebda < 0xa0000)
		rsdp_pa = scan_rsdp(map, ebda, ebda + 1024);
	if (!rsdp_pa)
		rsdp_pa = scan_rsdp(map, BIOS_ROM_START, BIOS_ROM_END);
	if (!rsdp_pa) {
		*why = "no RSDP in the EBDA or the BIOS area";
		return NULL;
	}
	rsdp = map(rsdp_pa, 36);
	if (!rsdp)
		rsdp = map(rsdp_pa, 20);   /* revision 0 RSDPs are 20 bytes: at the end of a range */
	root = NULL;
	entry_size = 8;
	if (rsdp[15] >= 2 && map(rsdp_pa, 36) && get32(rsdp + 20) >= 36 && acpi_checksum_ok(rsdp, 36) && get64(rsdp + 24))
		root = map_sdt(map, get64(rsdp + 24), "XSDT", &root_len);
	if (!root) {
		entry_size = 4;
		root = map_sdt(map, get32(rsdp + 16), "RSDT", &root_len);
	}
	if (!root) {
		*why = "no valid RSDT or XSDT";
		return NULL;
	}
	for (size_t off = SDT_HEADER_LEN; off + entry_size <= root_len; off += entry_size) {
		uint64_t pa = entry_size == 8 ? get64(root + off) : get32(root + off);
		const uint8_t *t = map_sdt(map, pa, sig, len);
		if (t)
			return t;
	}
	*why = no_table;
	return NULL;
}

int acpi_find_cpus(acpi_map_fn map, struct acpi_cpu *cpus, unsigned max,
		   struct acpi_madt_info *info, const char **why)
{
	size_t len;
	const void *madt = acpi_find_table(map, "APIC", &len, why);

	if (!madt) {
		if (*why == no_table)
			*why = "no MADT (APIC table)";
		return -1;
	}
	if (acpi_madt_parse(madt, len, cpus, max, info)) {
		*why = "the MADT is malformed";
		return -1;
	}
	return 0;
}

/*
 * The interrupt half of the MADT: I/O APICs (type 1: id, address, first
 * GSI) and ISA interrupt source overrides (type 2: bus 0 IRQ -> GSI with
 * polarity and trigger). The walk's bounds are acpi_madt_parse's.
 */
static int irq_entry(const uint8_t *e, void *arg)
{
	struct acpi_irq_info *info = arg;

	if (e[0] == MADT_IOAPIC) {
		if (e[1] < 12)
			return -1;
		if (info->nr_ioapics < ACPI_MAX_IOAPICS) {
			struct acpi_ioapic *io = &info->ioapics[info->nr_ioapics++];
			io->id = e[2];
			io->addr = get32(e + 4);
			io->gsi_base = get32(e + 8);
		} else {
			info->nr_dropped++;
		}
	} else if (e[0] == MADT_IRQ_OVERRIDE) {
		if (e[1] < 10)
			return -1;
		/* bus 0 is ISA, the only bus overrides name */
		if (e[2] == 0 && e[3] < ACPI_NR_ISA_IRQS) {
			struct acpi_irq_override *o = &info->isa[e[3]];
			o->present = true;
			o->gsi = get32(e + 4);
			o->flags = (uint16_t)(e[8] | e[9] << 8);
		}
	}
	return 0;
}

int acpi_madt_parse_irqs(const void *madt, size_t len, struct acpi_irq_info *info)
{
	memset(info, 0, sizeof(*info));
	return madt_walk(madt, len, irq_entry, info);
}
