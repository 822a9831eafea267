/*
 * The I/O APICs: the device interrupt lines (GSIs) that Dom0's drivers
 * use, delivered as event channels (include/pirq.h). Found in the MADT at
 * boot; every redirection entry is masked then and stays masked until
 * Dom0 binds the line's pirq. The legacy PICs stay masked (apic.c).
 *
 * One vector per GSI, VEC_GSI_BASE + gsi, to the boot CPU in fixed,
 * physical mode: no vector allocator is needed for the few dozen lines
 * of a PC, and the priority classes stay below the hypervisor's own
 * vectors (0xf0 and up). The trigger mode and polarity of a line are the
 * ISA defaults (edge, active high) adjusted by the MADT's overrides for
 * GSIs 0-15, PCI's (level, active low) above; Dom0 sets them from ACPI
 * with PHYSDEVOP_setup_gsi.
 *
 * The hypervisor keeps the line of its console UART (COM1) to itself: it
 * polls the UART and owns its ports. It also owns no timer line: time
 * comes from the local APIC timer, and the PIT is only read at boot.
 */
#include <arch.h>
#include <biglock.h>
#include <cmdline.h>
#include <console.h>
#include <pirq.h>
#include <asm/acpi.h>
#include <asm/io_apic.h>
#include <asm/smp.h>
#include <asm/x86.h>
#include <public/errno.h>

#define IOREGSEL        0x00    /* byte offsets of the index and data windows */
#define IOWIN           0x10
#define REG_VERSION     0x01
#define REG_RTE(pin)    (0x10 + 2 * (pin))

#define RTE_ACTIVE_LOW  (1u << 13)
#define RTE_LEVEL       (1u << 15)
#define RTE_MASKED      (1u << 16)

struct io_apic {
	volatile uint32_t *regs;
	uint64_t mfn;                           /* its registers' frame */
	uint32_t gsi_base;
	unsigned nr_pins;
};

static struct io_apic io_apics[ACPI_MAX_IOAPICS];
static unsigned nr_io_apics;
static unsigned nr_gsis;                    /* one past the highest GSI we route */
static uint32_t dest_apic_id;               /* the boot CPU */
static int reserved_gsi = -1;               /* COM1's line, with console=com1 */
static uint64_t lapic_mfn;                  /* the local APIC's registers (every CPU's) */

static struct {
	bool level;
	bool active_low;
	bool masked;
	bool set_up;                            /* by PHYSDEVOP_setup_gsi */
} gsi_state[IO_APIC_MAX_GSIS];

/* Interrupts taken while this CPU slept for the big lock (io_apic_run_deferred). */
static uint64_t deferred[IO_APIC_MAX_GSIS / 64];

/*
 * Hypervisor code runs with interrupts off, and the index/data pair must
 * not be interleaved between CPUs (the big lock is not held by a CPU that
 * takes an interrupt while it sleeps for that lock).
 */
static uint32_t regs_lock;

static void lock_regs(void)
{
	while (__atomic_exchange_n(&regs_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void unlock_regs(void)
{
	__atomic_store_n(&regs_lock, 0, __ATOMIC_RELEASE);
}

static uint32_t reg_read(struct io_apic *a, unsigned reg)
{
	a->regs[IOREGSEL / 4] = reg;
	return a->regs[IOWIN / 4];
}

static void reg_write(struct io_apic *a, unsigned reg, uint32_t v)
{
	a->regs[IOREGSEL / 4] = reg;
	a->regs[IOWIN / 4] = v;
}

static struct io_apic *apic_of(unsigned gsi, unsigned *pin)
{
	for (unsigned i = 0; i < nr_io_apics; i++) {
		struct io_apic *a = &io_apics[i];
		if (gsi >= a->gsi_base && gsi - a->gsi_base < a->nr_pins) {
			*pin = gsi - a->gsi_base;
			return a;
		}
	}
	return NULL;
}

/* Write gsi's entry from gsi_state: masked first, so no half-written entry fires. */
static void rte_write(unsigned gsi)
{
	unsigned pin;
	struct io_apic *a = apic_of(gsi, &pin);
	uint32_t low = (VEC_GSI_BASE + gsi) | RTE_MASKED;

	if (!a)
		return;
	if (gsi_state[gsi].level)
		low |= RTE_LEVEL;
	if (gsi_state[gsi].active_low)
		low |= RTE_ACTIVE_LOW;
	lock_regs();
	reg_write(a, REG_RTE(pin), RTE_MASKED);
	reg_write(a, REG_RTE(pin) + 1, dest_apic_id << 24);
	reg_write(a, REG_RTE(pin), gsi_state[gsi].masked ? low : low & ~RTE_MASKED);
	unlock_regs();
}

/*
 * Without the big lock: mask the entry in the hardware only. gsi_state
 * still says unmasked, so arch_irq_mask() masks it again properly later.
 */
static void rte_mask_now(unsigned gsi)
{
	unsigned pin;
	struct io_apic *a = apic_of(gsi, &pin);

	if (!a)
		return;
	lock_regs();
	reg_write(a, REG_RTE(pin), reg_read(a, REG_RTE(pin)) | RTE_MASKED);
	unlock_regs();
}

/* ISA IRQ -> GSI, trigger and polarity, from the MADT's overrides. */
static void isa_defaults(const struct acpi_irq_info *info)
{
	for (unsigned irq = 0; irq < ACPI_NR_ISA_IRQS; irq++) {
		const struct acpi_irq_override *o = &info->isa[irq];
		unsigned gsi = o->present ? o->gsi : irq;

		if (gsi >= IO_APIC_MAX_GSIS)
			continue;
		gsi_state[gsi].level = o->present && (o->flags & ACPI_INTI_TRIGGER_MASK) == ACPI_INTI_LEVEL;
		gsi_state[gsi].active_low = o->present &&
			(o->flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_ACTIVE_LOW;
	}
}

/* The GSI ISA IRQ `irq` arrives on (its override, else itself). */
static unsigned isa_gsi(const struct acpi_irq_info *info, unsigned irq)
{
	return info->isa[irq].present ? info->isa[irq].gsi : irq;
}

void io_apic_init(void)
{
	struct acpi_irq_info info;
	const char *why = NULL;
	size_t len;
	const void *madt = acpi_find_table(acpi_map_boot, "APIC", &len, &why);

	if (!madt || acpi_madt_parse_irqs(madt, len, &info)) {
		log_warn("io_apic: %s: no device interrupts for Dom0\n", madt ? "the MADT is malformed" : why);
		return;
	}
	dest_apic_id = apic_id();
	lapic_mfn = (rdmsr(MSR_APIC_BASE) & ~0xfffULL & ((1ULL << 52) - 1)) >> FRAME_SHIFT;
	for (unsigned gsi = 0; gsi < IO_APIC_MAX_GSIS; gsi++) {
		gsi_state[gsi].level = gsi >= ACPI_NR_ISA_IRQS;      /* PCI: level, active low */
		gsi_state[gsi].active_low = gsi >= ACPI_NR_ISA_IRQS;
		gsi_state[gsi].masked = true;
	}
	isa_defaults(&info);
	for (unsigned i = 0; i < info.nr_ioapics; i++) {
		struct io_apic *a = &io_apics[nr_io_apics];
		uint32_t ver;

		if (info.ioapics[i].gsi_base >= IO_APIC_MAX_GSIS) {
			log_warn("io_apic: IO-APIC %u's GSIs %u.. are beyond the %u we route: ignored\n",
				 info.ioapics[i].id, info.ioapics[i].gsi_base, IO_APIC_MAX_GSIS);
			continue;
		}
		a->regs = ioremap(info.ioapics[i].addr, FRAME_SIZE);
		a->mfn = info.ioapics[i].addr >> FRAME_SHIFT;
		a->gsi_base = info.ioapics[i].gsi_base;
		ver = reg_read(a, REG_VERSION);
		a->nr_pins = ((ver >> 16) & 0xff) + 1;
		if (a->gsi_base + a->nr_pins > IO_APIC_MAX_GSIS)
			a->nr_pins = IO_APIC_MAX_GSIS - a->gsi_base;
		nr_io_apics++;
		nr_gsis = MAX(nr_gsis, a->gsi_base + a->nr_pins);
		for (unsigned pin = 0; pin < a->nr_pins; pin++)
			rte_write(a->gsi_base + pin);
		log_info("io_apic: IO-APIC %u at %#x, GSIs %u-%u, all masked\n", info.ioapics[i].id,
			 info.ioapics[i].addr, a->gsi_base, a->gsi_base + a->nr_pins - 1);
	}
	if (info.nr_dropped)
		log_warn("io_apic: %u more IO-APICs than the %u we support are ignored\n",
			 info.nr_dropped, ACPI_MAX_IOAPICS);
	/* the UART's ISA IRQ: 4 at COM1/COM3's ports, 3 at COM2/COM4's (0x2f8, 0x2e8) */
	if (hv_opts.console_com1) {
		unsigned com_irq = hv_opts.com1_port == 0x2f8 || hv_opts.com1_port == 0x2e8 ? 3 : 4;
		reserved_gsi = (int)isa_gsi(&info, com_irq);
		log_info("io_apic: GSI %d (IRQ %u, the console UART at %#x) is the hypervisor's\n",
			 reserved_gsi, com_irq, hv_opts.com1_port);
	}
}

bool io_apic_mmio_reserved(uint64_t mfn)
{
	if (lapic_mfn && mfn == lapic_mfn)
		return true;
	for (unsigned i = 0; i < nr_io_apics; i++)
		if (mfn == io_apics[i].mfn)
			return true;
	return false;
}

bool arch_irq_exists(unsigned irq)
{
	unsigned pin;

	return irq < nr_gsis && apic_of(irq, &pin);
}

const char *arch_irq_reserved(unsigned irq)
{
	return (int)irq == reserved_gsi ? "COM1, the hypervisor's console" : NULL;
}

bool arch_irq_is_level(unsigned irq)
{
	return irq < IO_APIC_MAX_GSIS && gsi_state[irq].level;
}

void arch_irq_mask(unsigned irq)
{
	if (irq >= nr_gsis || gsi_state[irq].masked)
		return;
	gsi_state[irq].masked = true;
	rte_write(irq);
}

void arch_irq_unmask(unsigned irq)
{
	if (irq >= nr_gsis || !gsi_state[irq].masked)
		return;
	gsi_state[irq].masked = false;
	rte_write(irq);
}

int io_apic_setup_gsi(unsigned gsi, bool level, bool active_low)
{
	if (!arch_irq_exists(gsi))
		return -XEN_EINVAL;
	if (arch_irq_reserved(gsi))
		return -XEN_EEXIST;   /* Xen's answer for its own serial line: "already set up" */
	if (gsi_state[gsi].set_up)
		return -XEN_EEXIST;
	gsi_state[gsi].set_up = true;
	gsi_state[gsi].level = level;
	gsi_state[gsi].active_low = active_low;
	rte_write(gsi);
	return 0;
}

/*
 * A GSI's vector. With the big lock (from a guest, or taken here): to
 * pirq_irq_fired. On a CPU asleep waiting for that lock: noted, and the
 * line masked if level (it would fire again at once, the local APIC has
 * had its EOI), for io_apic_run_deferred() once the lock is ours.
 */
void io_apic_interrupt(unsigned vector, bool locked)
{
	unsigned gsi = vector - VEC_GSI_BASE;

	if (gsi >= nr_gsis)
		return;
	if (!locked && smp_lock_sleeping()) {
		if (gsi_state[gsi].level)
			rte_mask_now(gsi);
		__atomic_fetch_or(&deferred[gsi / 64], 1ULL << (gsi % 64), __ATOMIC_SEQ_CST);
		return;
	}
	if (!locked)
		big_lock_acquire();
	pirq_irq_fired(gsi);
	if (!locked)
		big_lock_release();
}

void io_apic_run_deferred(void)
{
	for (unsigned w = 0; w < ARRAY_SIZE(deferred); w++) {
		uint64_t bits = __atomic_exchange_n(&deferred[w], 0, __ATOMIC_SEQ_CST);

		for (unsigned b = 0; bits; b++, bits >>= 1)
			if (bits & 1) {
				/* a level line masked for the wait is masked again (state and all) here */
				pirq_irq_fired(w * 64 + b);
			}
	}
}
