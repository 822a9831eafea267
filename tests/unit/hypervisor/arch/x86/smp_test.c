/*
 * Host tests of the SMP pieces that are pure logic:
 *   cpumask helpers and the "0-2,5" list syntax (lib/cpumask.c);
 *   the ACPI walk RSDP -> RSDT/XSDT -> MADT on synthetic firmware memory,
 *     and the MADT parser's refusals (arch/x86/acpi_madt.c);
 *   the big lock's debug checks: double acquire and release by a CPU that
 *     does not hold it panic (common/biglock.c);
 *   credit shares across several CPUs (common/sched_credit.c).
 */
#include "fake/machine.h"

#include <stdlib.h>
#include <string.h>
#include <arch.h>
#include <biglock.h>
#include <cpumask.h>
#include <sched_credit.h>
#include <asm/acpi.h>

/* ---- arch hooks the lock uses ---------------------------------------- */

static unsigned spin_turns;

uint64_t arch_lock_now(void) { return 0; }

static unsigned kicks;

/* A spinning "CPU" in a single-threaded test: let the holder release. */
void arch_lock_spin_wait(void)
{
	spin_turns++;
	__atomic_fetch_add(&big_lock.serving, 1, __ATOMIC_RELEASE);
	big_lock.owner = -1;
}

/* Sleeping: the test never gets this far (the first spin turn releases). */
void arch_lock_sleep(volatile uint32_t *serving, uint32_t ticket)
{
	fail_msg("slept for ticket %u (serving %u)", ticket, *serving);
}

void arch_lock_kick(uint32_t ticket) { (void)ticket; kicks++; }

static unsigned waits_begun, acquired_hooks;
void arch_lock_wait_begin(void) { waits_begun++; }
void arch_lock_acquired(void) { acquired_hooks++; }

/* The deferred event checks: what was asked, and whether the lock was free by then. */
static uint64_t late_kicks;
static int late_kicks_owner;
static uint32_t late_kicks_serving;
void arch_lock_send_kicks(uint64_t cpus)
{
	late_kicks |= cpus;
	late_kicks_owner = big_lock.owner;
	late_kicks_serving = big_lock.serving;
}

/* ---- cpumask ----------------------------------------------------------- */

static void test_cpumask_basics(void **state)
{
	cpumask_t m = cpumask_of(0) | cpumask_of(5) | cpumask_of(63);
	unsigned seen[4], n = 0;

	assert_int_equal(cpumask_weight(m), 3);
	assert_int_equal(cpumask_weight(CPUMASK_ALL), 64);
	assert_int_equal(cpumask_weight(0), 0);
	assert_true(cpumask_test(m, 5));
	assert_false(cpumask_test(m, 4));
	assert_false(cpumask_test(m, 64));        /* out of range is never a member */
	assert_int_equal(cpumask_of(64), 0);
	assert_int_equal(cpumask_first(0), NR_CPUS);
	assert_int_equal(cpumask_first(m), 0);
	assert_int_equal(cpumask_next(m, 0), 5);
	assert_int_equal(cpumask_next(m, 5), 63);
	assert_int_equal(cpumask_next(m, 63), NR_CPUS);
	for_each_cpu(cpu, m)
		seen[n++] = cpu;
	assert_int_equal(n, 3);
	assert_int_equal(seen[0], 0);
	assert_int_equal(seen[1], 5);
	assert_int_equal(seen[2], 63);
}

static void test_cpumask_format_parse(void **state)
{
	char buf[64];
	cpumask_t m;

	assert_string_equal(cpumask_format(buf, sizeof(buf), 0x2f), "0-3,5");
	assert_string_equal(cpumask_format(buf, sizeof(buf), 0), "");
	assert_string_equal(cpumask_format(buf, sizeof(buf), cpumask_of(63)), "63");
	assert_string_equal(cpumask_format(buf, sizeof(buf), CPUMASK_ALL), "0-63");
	/* a short buffer keeps whole items only */
	assert_string_equal(cpumask_format(buf, 4, 0x15), "0,2");
	assert_true(cpumask_parse("0-3,5", &m));
	assert_int_equal(m, 0x2f);
	assert_true(cpumask_parse("7", &m));
	assert_int_equal(m, 0x80);
	m = 1;
	assert_false(cpumask_parse("", &m));
	assert_false(cpumask_parse("3-1", &m));
	assert_false(cpumask_parse("64", &m));
	assert_false(cpumask_parse("1,,2", &m));
	assert_false(cpumask_parse("1-", &m));
	assert_false(cpumask_parse("x", &m));
	assert_int_equal(m, 1);   /* untouched on failure */
}

/* ---- ACPI ------------------------------------------------------------ */

/* Synthetic firmware: 1 MiB of low memory plus a table area at 0x7fe0000. */
#define LOW_SIZE   0x100000
#define HIGH_BASE  0x7fe0000
#define HIGH_SIZE  0x10000
static uint8_t low_mem[LOW_SIZE], high_mem[HIGH_SIZE];

static const void *fake_map(uint64_t pa, size_t len)
{
	if (pa < LOW_SIZE && len <= LOW_SIZE - pa)
		return low_mem + pa;
	if (pa >= HIGH_BASE && pa - HIGH_BASE < HIGH_SIZE && len <= HIGH_SIZE - (pa - HIGH_BASE))
		return high_mem + (pa - HIGH_BASE);
	return NULL;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void fix_checksum(uint8_t *p, size_t len, size_t at)
{
	uint8_t sum = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	p[at] = (uint8_t)-sum;
}

static void sdt_header(uint8_t *t, const char *sig, uint32_t len)
{
	memset(t, 0, 36);
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = 1;
}

/* A MADT at `t` with these entries; returns its length. */
static size_t build_madt(uint8_t *t, const uint8_t *entries, size_t elen)
{
	size_t len = 44 + elen;

	sdt_header(t, "APIC", (uint32_t)len);
	put32(t + 36, 0xfee00000);
	put32(t + 40, 1);
	memcpy(t + 44, entries, elen);
	fix_checksum(t, len, 9);
	return len;
}

/* Processor local APIC entries: (uid, apic id, flags). */
static const uint8_t four_cpus[] = {
	0, 8, 0, 0, 1, 0, 0, 0,
	0, 8, 1, 1, 1, 0, 0, 0,
	1, 12, 0, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0,   /* an I/O APIC: skipped */
	0, 8, 2, 2, 0, 0, 0, 0,                      /* disabled */
	0, 8, 3, 6, 1, 0, 0, 0,
	9, 16, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0,   /* x2APIC id 9 */
	9, 16, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0,   /* x2APIC repeat of id 1 */
};

static void test_madt_parse(void **state)
{
	uint8_t t[256];
	struct acpi_cpu cpus[8];
	struct acpi_madt_info info;
	size_t len = build_madt(t, four_cpus, sizeof(four_cpus));

	assert_int_equal(acpi_madt_parse(t, len, cpus, 8, &info), 0);
	assert_int_equal(info.lapic_phys, 0xfee00000);
	assert_int_equal(info.nr_cpus, 4);
	assert_int_equal(info.nr_disabled, 1);
	assert_int_equal(cpus[0].apic_id, 0);
	assert_int_equal(cpus[1].apic_id, 1);
	assert_int_equal(cpus[2].apic_id, 6);
	assert_int_equal(cpus[2].acpi_id, 3);
	assert_int_equal(cpus[3].apic_id, 9);
	assert_int_equal(cpus[3].acpi_id, 4);

	/* more CPUs than room: counted, not stored */
	assert_int_equal(acpi_madt_parse(t, len, cpus, 2, &info), 0);
	assert_int_equal(info.nr_cpus, 2);
	assert_int_equal(info.nr_dropped, 2);
}

static void test_madt_refusals(void **state)
{
	uint8_t t[256];
	struct acpi_cpu cpus[8];
	struct acpi_madt_info info;
	static const uint8_t zero_len[] = { 0, 0, 0, 0 };
	static const uint8_t overrun[] = { 0, 20, 0, 0, 1, 0, 0, 0 };
	static const uint8_t short_lapic[] = { 0, 6, 0, 0, 1, 0 };
	size_t len;

	len = build_madt(t, four_cpus, sizeof(four_cpus));
	t[50] ^= 1;   /* checksum broken */
	assert_int_equal(acpi_madt_parse(t, len, cpus, 8, &info), -1);
	len = build_madt(t, four_cpus, sizeof(four_cpus));
	assert_int_equal(acpi_madt_parse(t, len - 1, cpus, 8, &info), -1);   /* table longer than given */
	memcpy(t, "APIX", 4);
	assert_int_equal(acpi_madt_parse(t, len, cpus, 8, &info), -1);
	len = build_madt(t, zero_len, sizeof(zero_len));   /* would loop forever */
	assert_int_equal(acpi_madt_parse(t, len, cpus, 8, &info), -1);
	len = build_madt(t, overrun, sizeof(overrun));
	assert_int_equal(acpi_madt_parse(t, len, cpus, 8, &info), -1);
	len = build_madt(t, short_lapic, sizeof(short_lapic));
	assert_int_equal(acpi_madt_parse(t, len, cpus, 8, &info), -1);
	assert_int_equal(acpi_madt_parse(t, 10, cpus, 8, &info), -1);
}

/* RSDP (revision 2, so with an XSDT, unless `rsdt_only`) at 0xf0010 -> root -> FACP, MADT. */
static void build_firmware(bool rsdt_only, bool in_ebda)
{
	uint64_t rsdp_pa = in_ebda ? 0x9fc00 + 0x40 : 0xf0010;
	uint8_t *rsdp = low_mem + rsdp_pa;
	uint8_t *facp = high_mem, *madt = high_mem + 0x100, *root = high_mem + 0x400;

	memset(low_mem, 0, sizeof(low_mem));
	memset(high_mem, 0, sizeof(high_mem));
	low_mem[0x40e] = 0xc0;   /* EBDA segment 0x9fc0 */
	low_mem[0x40f] = 0x9f;
	memcpy(low_mem + 0xe0000, "RSD PTR ", 8);   /* a decoy with a bad checksum */
	low_mem[0xe0008] = 1;

	sdt_header(facp, "FACP", 36);
	fix_checksum(facp, 36, 9);
	build_madt(madt, four_cpus, sizeof(four_cpus));
	if (rsdt_only) {
		sdt_header(root, "RSDT", 36 + 8);
		put32(root + 36, HIGH_BASE);
		put32(root + 40, HIGH_BASE + 0x100);
		fix_checksum(root, 44, 9);
	} else {
		sdt_header(root, "XSDT", 36 + 16);
		put64(root + 36, HIGH_BASE);
		put64(root + 44, HIGH_BASE + 0x100);
		fix_checksum(root, 52, 9);
	}
	memcpy(rsdp, "RSD PTR ", 8);
	rsdp[15] = rsdt_only ? 0 : 2;
	put32(rsdp + 16, rsdt_only ? HIGH_BASE + 0x400 : 0);   /* a revision-2 RSDP here: no RSDT */
	put32(rsdp + 20, 36);
	put64(rsdp + 24, rsdt_only ? 0 : HIGH_BASE + 0x400);
	fix_checksum(rsdp, 20, 8);
	fix_checksum(rsdp, 36, 32);
}

static void test_acpi_find(void **state)
{
	struct acpi_cpu cpus[8];
	struct acpi_madt_info info;
	const char *why = NULL;

	build_firmware(false, false);
	assert_int_equal(acpi_find_cpus(fake_map, cpus, 8, &info, &why), 0);
	assert_int_equal(info.nr_cpus, 4);
	build_firmware(true, false);
	assert_int_equal(acpi_find_cpus(fake_map, cpus, 8, &info, &why), 0);
	assert_int_equal(info.nr_cpus, 4);
	build_firmware(true, true);
	assert_int_equal(acpi_find_cpus(fake_map, cpus, 8, &info, &why), 0);
	assert_int_equal(cpus[3].apic_id, 9);

	/* the MADT gone: named as what is missing */
	build_firmware(false, false);
	memcpy(high_mem + 0x100, "XXXX", 4);
	assert_int_equal(acpi_find_cpus(fake_map, cpus, 8, &info, &why), -1);
	assert_string_equal(why, "no MADT (APIC table)");
	memset(low_mem, 0, sizeof(low_mem));
	assert_int_equal(acpi_find_cpus(fake_map, cpus, 8, &info, &why), -1);
	assert_string_equal(why, "no RSDP in the EBDA or the BIOS area");
}

/* ---- the MADT's interrupt half and the FADT (io_apic.c, acpi_sleep.c) ---- */

/* QEMU q35's: one IO-APIC, IRQ 0 -> GSI 2, IRQ 9 level; plus entries to ignore. */
static const uint8_t irq_entries[] = {
	0, 8, 0, 0, 1, 0, 0, 0,                                /* a CPU: not ours here */
	1, 12, 3, 0, 0x00, 0x00, 0xc0, 0xfe, 24, 0, 0, 0,       /* IO-APIC 3 at 0xfec00000, GSIs 24.. */
	2, 10, 0, 0, 2, 0, 0, 0, 0, 0,                          /* ISA 0 -> GSI 2, conforming */
	2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0,                       /* ISA 9: level, active high */
	2, 10, 0, 5, 5, 0, 0, 0, 0x0f, 0,                       /* ISA 5: level, active low */
	2, 10, 1, 3, 7, 0, 0, 0, 0x0f, 0,                       /* bus 1: not ISA, ignored */
	2, 10, 0, 20, 7, 0, 0, 0, 0x0f, 0,                      /* "ISA" 20: no such IRQ, ignored */
	4, 6, 0xff, 0, 0, 1,                                    /* local APIC NMI: skipped */
};

static void test_madt_irqs(void **state)
{
	uint8_t t[256];
	struct acpi_irq_info info;
	static const uint8_t short_ioapic[] = { 1, 8, 0, 0, 0, 0, 0xc0, 0xfe };
	static const uint8_t short_override[] = { 2, 8, 0, 0, 2, 0, 0, 0 };
	uint8_t many[12 * (ACPI_MAX_IOAPICS + 2)];
	size_t len = build_madt(t, irq_entries, sizeof(irq_entries));

	assert_int_equal(acpi_madt_parse_irqs(t, len, &info), 0);
	assert_int_equal(info.nr_ioapics, 1);
	assert_int_equal(info.ioapics[0].id, 3);
	assert_int_equal(info.ioapics[0].addr, 0xfec00000);
	assert_int_equal(info.ioapics[0].gsi_base, 24);
	assert_true(info.isa[0].present);
	assert_int_equal(info.isa[0].gsi, 2);
	assert_int_equal(info.isa[0].flags, 0);
	assert_int_equal(info.isa[9].flags & ACPI_INTI_TRIGGER_MASK, ACPI_INTI_LEVEL);
	assert_int_not_equal(info.isa[9].flags & ACPI_INTI_POLARITY_MASK, ACPI_INTI_ACTIVE_LOW);
	assert_int_equal(info.isa[5].flags & ACPI_INTI_POLARITY_MASK, ACPI_INTI_ACTIVE_LOW);
	assert_false(info.isa[3].present);      /* the bus 1 entry */
	assert_false(info.isa[7].present);
	/* refusals: entries shorter than their type, bad checksum, wrong signature */
	len = build_madt(t, short_ioapic, sizeof(short_ioapic));
	assert_int_equal(acpi_madt_parse_irqs(t, len, &info), -1);
	len = build_madt(t, short_override, sizeof(short_override));
	assert_int_equal(acpi_madt_parse_irqs(t, len, &info), -1);
	len = build_madt(t, irq_entries, sizeof(irq_entries));
	t[60] ^= 1;
	assert_int_equal(acpi_madt_parse_irqs(t, len, &info), -1);
	assert_int_equal(acpi_madt_parse_irqs(t, 20, &info), -1);
	/* more IO-APICs than room: counted, not stored */
	for (unsigned i = 0; i < ACPI_MAX_IOAPICS + 2; i++) {
		static const uint8_t one[] = { 1, 12, 0, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0 };
		memcpy(many + 12 * i, one, 12);
		many[12 * i + 2] = (uint8_t)i;
		many[12 * i + 8] = (uint8_t)(24 * i);
	}
	len = build_madt(t, many, sizeof(many));
	assert_int_equal(acpi_madt_parse_irqs(t, len, &info), 0);
	assert_int_equal(info.nr_ioapics, ACPI_MAX_IOAPICS);
	assert_int_equal(info.nr_dropped, 2);
	assert_int_equal(info.ioapics[ACPI_MAX_IOAPICS - 1].gsi_base, 24 * (ACPI_MAX_IOAPICS - 1));
}

/* A 244-byte (ACPI 3+) FADT with these PM1 control fields. */
static size_t build_fadt(uint8_t *t, uint32_t pm1a, uint32_t pm1b, uint8_t x_space, uint64_t x_pm1a)
{
	memset(t, 0, 244);
	sdt_header(t, "FACP", 244);
	t[46] = 9;                       /* SCI_INT */
	put32(t + 64, pm1a);
	put32(t + 68, pm1b);
	t[172] = x_space;
	put64(t + 176, x_pm1a);
	fix_checksum(t, 244, 9);
	return 244;
}

static void test_fadt(void **state)
{
	uint8_t t[256];
	struct acpi_fadt_info f;
	const char *why = NULL;
	size_t len;

	assert_int_equal(acpi_fadt_parse(t, build_fadt(t, 0x604, 0, 0, 0), &f), 0);
	assert_int_equal(f.pm1a_cnt, 0x604);
	assert_int_equal(f.pm1b_cnt, 0);
	assert_int_equal(f.sci_irq, 9);
	assert_int_equal(acpi_fadt_parse(t, build_fadt(t, 0xb004, 0xb104, 0, 0), &f), 0);
	assert_int_equal(f.pm1b_cnt, 0xb104);
	/* the extended field when the 32-bit one is 0: only an I/O port will do */
	assert_int_equal(acpi_fadt_parse(t, build_fadt(t, 0, 0, 1, 0x1804), &f), 0);
	assert_int_equal(f.pm1a_cnt, 0x1804);
	assert_int_equal(acpi_fadt_parse(t, build_fadt(t, 0, 0, 0, 0xfed00000), &f), -1);  /* memory */
	assert_int_equal(acpi_fadt_parse(t, build_fadt(t, 0, 0, 1, 0x10000), &f), -1);     /* past 64K */
	assert_int_equal(acpi_fadt_parse(t, build_fadt(t, 0x12345, 0, 0, 0), &f), -1);
	assert_int_equal(acpi_fadt_parse(t, build_fadt(t, 0, 0, 0, 0), &f), -1);           /* none */
	/* malformed */
	len = build_fadt(t, 0x604, 0, 0, 0);
	t[100] ^= 1;
	assert_int_equal(acpi_fadt_parse(t, len, &f), -1);
	len = build_fadt(t, 0x604, 0, 0, 0);
	assert_int_equal(acpi_fadt_parse(t, len - 1, &f), -1);
	assert_int_equal(acpi_fadt_parse(t, 100, &f), -1);
	memcpy(t, "FACX", 4);
	assert_int_equal(acpi_fadt_parse(t, len, &f), -1);
	/* found through the root table like any other */
	build_firmware(false, false);
	assert_non_null(acpi_find_table(fake_map, "FACP", &len, &why));
	assert_int_equal(len, 36);
	assert_null(acpi_find_table(fake_map, "HPET", &len, &why));
	assert_string_equal(why, "the table is not in the RSDT/XSDT");
}

/* ---- the big lock ---------------------------------------------------- */

static void reset_lock(void)
{
	memset(&big_lock, 0, sizeof(big_lock));
	big_lock.owner = -1;
	fake_cpu = 0;
	spin_turns = 0;
	kicks = 0;
	waits_begun = acquired_hooks = 0;
	late_kicks = 0;
	late_kicks_owner = 0;
	late_kicks_serving = 0;
}

static void test_lock_acquire_release(void **state)
{
	reset_lock();
	big_lock_acquire();
	assert_true(big_lock_held());
	assert_int_equal(big_lock.owner, 0);
	fake_cpu = 1;
	assert_false(big_lock_held());
	fake_cpu = 0;
	big_lock_release();
	assert_false(big_lock_held());
	assert_int_equal(big_lock.acquired, 1);
	assert_int_equal(big_lock.contended, 0);
	assert_int_equal(kicks, 0);   /* nobody sleeps: the release kicks no one */
	assert_int_equal(late_kicks, 0);   /* and sends no event check nobody asked for */
	assert_int_equal(waits_begun, 0);   /* the uncontended path tells the arch nothing */
	assert_int_equal(acquired_hooks, 0);
}

/*
 * Event checks the holder asked for (big_lock.kicks, arch_send_event_check)
 * go out only once the lock is free, so the woken CPU does not at once wait
 * for it; and only once.
 */
static void test_lock_release_sends_late_kicks(void **state)
{
	reset_lock();
	big_lock_acquire();
	big_lock.kicks = cpumask_of(1) | cpumask_of(3);
	big_lock_release();
	assert_int_equal(late_kicks, cpumask_of(1) | cpumask_of(3));
	assert_int_equal(late_kicks_owner, -1);
	assert_int_equal(late_kicks_serving, 1);   /* the next ticket may already hold it */
	assert_int_equal(big_lock.kicks, 0);
	late_kicks = 0;
	big_lock_acquire();
	big_lock_release();
	assert_int_equal(late_kicks, 0);   /* not sent again */
}

/* With a CPU counted as sleeping, the release must look for it (the wake-up protocol). */
static void test_lock_release_kicks_sleeper(void **state)
{
	reset_lock();
	big_lock_acquire();
	big_lock.sleepers = 1;
	big_lock_release();
	assert_int_equal(kicks, 1);
	assert_int_equal(big_lock.serving, 1);
	big_lock.sleepers = 0;
}

/* CPU 1 asks while CPU 0 holds it: it spins (the shim lets CPU 0 go) and gets it in turn. */
static void test_lock_contended(void **state)
{
	reset_lock();
	big_lock_acquire();
	fake_cpu = 1;
	big_lock_acquire();
	assert_int_equal(spin_turns, 1);
	assert_int_equal(big_lock.owner, 1);
	assert_int_equal(big_lock.contended, 1);
	/* the waiter told the arch it waits (no shoot-down waits for it) and that it has the lock */
	assert_int_equal(waits_begun, 1);
	assert_int_equal(acquired_hooks, 1);
	big_lock_release();
	assert_int_equal(big_lock.next, big_lock.serving);
}

static void test_lock_double_acquire_panics(void **state)
{
	reset_lock();
	big_lock_acquire();
	fake_console_reset();
	expect_assert_failure(big_lock_acquire());
	assert_non_null(strstr(fake_console, "big lock: CPU 0 acquires it twice"));
}

static void test_lock_foreign_release_panics(void **state)
{
	reset_lock();
	fake_console_reset();
	expect_assert_failure(big_lock_release());
	assert_non_null(strstr(fake_console, "nobody holds it"));
	big_lock_acquire();
	fake_cpu = 2;
	fake_console_reset();
	expect_assert_failure(big_lock_release());
	assert_non_null(strstr(fake_console, "CPU 2 releases it, but another CPU holds it"));
}

/* ---- credit across CPUs ---------------------------------------------- */

#define MAXC 300   /* one CPU for one accounting period */

static void test_credit_one_cpu(void **state)
{
	unsigned w[] = { 256, 512 }, a[] = { 1, 1 };
	int c[2];

	sched_credit_split(2, w, a, MAXC, MAXC, c);
	assert_int_equal(c[0], 100);
	assert_int_equal(c[1], 200);
}

/* Two CPUs, 256:256:512, one vCPU each: d2's 2/4 of 600 is exactly one CPU. */
static void test_credit_two_cpus_brim(void **state)
{
	unsigned w[] = { 256, 256, 512 }, a[] = { 1, 1, 1 };
	int c[3];

	sched_credit_split(3, w, a, 2 * MAXC, MAXC, c);
	assert_int_equal(c[0], 150);
	assert_int_equal(c[1], 150);
	assert_int_equal(c[2], 300);
}

/* Two CPUs, 256:1024, one vCPU each: d1 cannot use 4/5 of two CPUs; d0 gets the rest. */
static void test_credit_cap_redistributes(void **state)
{
	unsigned w[] = { 256, 1024 }, a[] = { 1, 1 };
	int c[2];

	sched_credit_split(2, w, a, 2 * MAXC, MAXC, c);
	assert_int_equal(c[1], 300);
	assert_int_equal(c[0], 300);
}

/* Four CPUs: a 2-vCPU domain may take two CPUs' worth, split between its vCPUs. */
static void test_credit_four_cpus(void **state)
{
	unsigned w[] = { 256, 256, 256, 256, 256 }, a[] = { 1, 1, 1, 1, 1 };
	unsigned w2[] = { 1024, 256, 0 }, a2[] = { 2, 1, 1 };
	int c[5];

	sched_credit_split(5, w, a, 4 * MAXC, MAXC, c);
	for (int i = 0; i < 5; i++)
		assert_int_equal(c[i], 240);
	sched_credit_split(3, w2, a2, 4 * MAXC, MAXC, c);
	assert_int_equal(c[0], 300);      /* 4/5 of 1200 = 960 > 2 x 300 */
	assert_int_equal(c[1], 300);      /* the rest, 600, is more than one CPU */
	assert_int_equal(c[2], 0);        /* weight 0: nothing */
}

static void test_credit_nobody_active(void **state)
{
	unsigned w[] = { 256, 256 }, a[] = { 0, 0 };
	int c[2] = { 7, 7 };

	sched_credit_split(2, w, a, 2 * MAXC, MAXC, c);
	assert_int_equal(c[0], 0);
	assert_int_equal(c[1], 0);
	sched_credit_split(0, w, a, 2 * MAXC, MAXC, c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpumask_basics),
		cmocka_unit_test(test_cpumask_format_parse),
		cmocka_unit_test(test_madt_parse),
		cmocka_unit_test(test_madt_refusals),
		cmocka_unit_test(test_madt_irqs),
		cmocka_unit_test(test_fadt),
		cmocka_unit_test(test_acpi_find),
		cmocka_unit_test(test_lock_acquire_release),
		cmocka_unit_test(test_lock_release_kicks_sleeper),
		cmocka_unit_test(test_lock_release_sends_late_kicks),
		cmocka_unit_test(test_lock_contended),
		cmocka_unit_test(test_lock_double_acquire_panics),
		cmocka_unit_test(test_lock_foreign_release_panics),
		cmocka_unit_test(test_credit_one_cpu),
		cmocka_unit_test(test_credit_two_cpus_brim),
		cmocka_unit_test(test_credit_cap_redistributes),
		cmocka_unit_test(test_credit_four_cpus),
		cmocka_unit_test(test_credit_nobody_active),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
