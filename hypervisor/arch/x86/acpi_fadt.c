/*
 * The FADT ("FACP"): where the PM1 control registers are, which is all the
 * hypervisor needs to power the machine off when Dom0 asks for S5 (the
 * SLP_TYP values come from Dom0, which reads them from the DSDT's \_S5
 * with its AML interpreter). Offsets: ACPI 6.x, 5.2.9 Table 5.34.
 */
#include <asm/acpi.h>

#define FADT_SCI_INT       46   /* u16 */
#define FADT_PM1A_CNT_BLK  64   /* u32 I/O port */
#define FADT_PM1B_CNT_BLK  68
#define FADT_X_PM1A_CNT    172  /* Generic Address Structures (12 bytes) */
#define FADT_X_PM1B_CNT    184
#define FADT_MIN_LEN       116  /* ACPI 1.0: up to the flags */
#define GAS_SYSTEM_IO      1

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A port from the 32-bit block field, else from the extended GAS if it is I/O. */
static uint16_t pm1_port(const uint8_t *t, size_t len, size_t blk, size_t gas)
{
	uint32_t port = get32(t + blk);
	uint64_t x;

	if (!port && len >= gas + 12 && t[gas] == GAS_SYSTEM_IO) {
		x = get32(t + gas + 4) | (uint64_t)get32(t + gas + 8) << 32;
		port = x <= 0xffff ? (uint32_t)x : 0;
	}
	return port <= 0xffff ? (uint16_t)port : 0;
}

int acpi_fadt_parse(const void *fadt, size_t len, struct acpi_fadt_info *info)
{
	const uint8_t *t = fadt;
	size_t table_len;

	memset(info, 0, sizeof(*info));
	if (len < FADT_MIN_LEN || memcmp(t, "FACP", 4))
		return -1;
	table_len = get32(t + 4);
	if (table_len < FADT_MIN_LEN || table_len > len || !acpi_checksum_ok(t, table_len))
		return -1;
	info->sci_irq = (uint16_t)(t[FADT_SCI_INT] | t[FADT_SCI_INT + 1] << 8);
	info->pm1a_cnt = pm1_port(t, table_len, FADT_PM1A_CNT_BLK, FADT_X_PM1A_CNT);
	info->pm1b_cnt = pm1_port(t, table_len, FADT_PM1B_CNT_BLK, FADT_X_PM1B_CNT);
	return info->pm1a_cnt ? 0 : -1;
}
