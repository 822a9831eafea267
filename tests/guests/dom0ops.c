/*
 * dom0ops - what an initial domain uses beyond a DomU: virtual IOPL and the
 * I/O bitmap (physdev_op), real port access outside the hypervisor's own
 * ports, platform_op, and physdev_op's interrupt sub-ops with bad arguments.
 *
 * Runs as the initial domain on Xen 4.17 and on Paravane. Where Paravane
 * differs on purpose (ports Xen does not protect, sub-ops Xen implements and
 * we refuse), the check says so and runs on Paravane only.
 */
#include "guest.h"
#include "public/platform.h"
#include "public/sysctl.h"
#include "public/vcpu.h"

const char test_name[] = "dom0ops";
const int test_styles = STYLE_DIRECT;   /* hypercall styles are hcall's business */

#define VIRT_BASE 0xffffffff80000000ULL

static uint8_t iobitmap[8192] __attribute__((aligned(4096)));
static uint8_t eoi_page[4096] __attribute__((aligned(4096)));

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static long platform_op(struct xen_platform_op *op)
{
	return HC1(__HYPERVISOR_platform_op, op);
}

static long set_iopl(unsigned iopl)
{
	struct physdev_set_iopl io = { .iopl = iopl };

	return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io);
}

static long set_iobitmap(void *bitmap, uint32_t nr_ports)
{
	struct physdev_set_iobitmap b = { .bitmap = (uint64_t)bitmap, .nr_ports = nr_ports };

	return HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap, &b);
}

static uint64_t virt_to_mfn(const void *p)
{
	uint64_t pfn = ((uint64_t)p - VIRT_BASE) >> 12;

	return ((const uint64_t *)start_info->mfn_list)[pfn];
}

/* CMOS status register D: bit 7 (valid RAM and time) reads 1 on a real RTC. */
static uint8_t cmos_read(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

/* Does reading `port` with IN AL,DX fault? */
static int in_faults(uint16_t port)
{
	trap_reset();
	EXPECT_FAULT("inb %%dx, %%al", : : "d"(port) : "rax");
	return last_trap.count > 0 && last_trap.vector == 13;
}

static void test_iopl(void)
{
	EXPECT("set_iopl_4", set_iopl(4), -XEN_EINVAL);
	EXPECT("set_iopl_huge", set_iopl(0xffffffffu), -XEN_EINVAL);
	EXPECT("set_iopl_null", HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, NULL), -XEN_EFAULT);
	EXPECT("set_iopl_0", set_iopl(0), 0);
	/* Guest kernel mode counts as CPL 1: IOPL 0 leaves port I/O faulting. */
	check(in_faults(0x71), "iopl0_in_faults", "trap count %d vector %lu", last_trap.count,
	      last_trap.vector);
	EXPECT("set_iopl_1", set_iopl(1), 0);
	check(!in_faults(0x71), "iopl1_in_works", "trap count %d vector %lu", last_trap.count,
	      last_trap.vector);
}

static void test_real_ports(void)
{
	uint32_t id;

	/* Allowed ports reach the hardware: the RTC and PCI configuration space. */
	EXPECT("cmos_status_d_valid", cmos_read(0x0d) & 0x80, 0x80);
	check(cmos_read(0x0b) != 0xff, "cmos_status_b_real", "read all ones");
	outl(0xcf8, 0x80000000u);              /* bus 0, device 0, function 0, register 0 */
	id = inl(0xcfc);
	EXPECT("pci_host_bridge_vendor_intel", id & 0xffff, 0x8086);
	outl(0xcf8, 0);
}

static void test_hypervisor_ports(void)
{
	/* The hypervisor's ports read as all ones: its UART, PICs, PIT. */
	EXPECT("com1_ier_virtual", inb(0x3f9), 0xff);
	EXPECT("com1_lsr_virtual", inb(0x3fd), 0xff);
	EXPECT("pic_master_virtual", inb(0x20), 0xff);
	EXPECT("pic_slave_virtual", inb(0xa0), 0xff);
	EXPECT("pit_ch0_virtual", inb(0x40), 0xff);

	/*
	 * Writes are dropped: enable the UART's divisor latch, set a silly
	 * divisor and all interrupts, unmask the PICs, reprogram the PIT. Were
	 * any of them real, the console output below would be garbage or the
	 * machine would take stray interrupts.
	 */
	outb(0x3fb, 0x80);
	outb(0x3f8, 0x01);
	outb(0x3f9, 0xff);
	outb(0x3fb, 0x03);
	outb(0x3f9, 0x0f);
	outb(0x3fc, 0x10);                     /* loopback: output would vanish */
	outb(0x21, 0x00);
	outb(0xa1, 0x00);
	outb(0x43, 0x34);
	outb(0x40, 0x01);
	outb(0x40, 0x00);
	pass(tname("hypervisor_port_writes_survived"));   /* this line itself is the proof */

	if (hv_is_paravane()) {
		/*
		 * Paravane also keeps the ELCR, the reset register and QEMU's
		 * isa-debug-exit (Xen 4.17 lets Dom0 reach them: a write to 0xf4
		 * would end this test run there).
		 */
		EXPECT("paravane_elcr_virtual", inb(0x4d0), 0xff);
		EXPECT("paravane_reset_control_virtual", inb(0xcf9), 0xff);
		EXPECT("paravane_port92_virtual", inb(0x92), 0xff);
		outb(0xf4, 0x01);
		pass("paravane_debug_exit_write_dropped");
	}
}

static void test_iobitmap(void)
{
	EXPECT("set_iobitmap_too_many_ports", set_iobitmap(iobitmap, 65537), -XEN_EINVAL);
	EXPECT("set_iobitmap_hypervisor_va",
	       set_iobitmap((void *)BAD_HYPERVISOR, 65536), -XEN_EINVAL);
	EXPECT("set_iobitmap_null_struct",
	       HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap, NULL), -XEN_EFAULT);

	/* IOPL 0, and a bitmap that clears only the RTC's two ports. */
	memset(iobitmap, 0xff, sizeof(iobitmap));
	iobitmap[0x70 / 8] &= (uint8_t)~(3u << (0x70 % 8));
	EXPECT("set_iopl_0_for_bitmap", set_iopl(0), 0);
	EXPECT("set_iobitmap_rtc", set_iobitmap(iobitmap, 65536), 0);
	check(!in_faults(0x71), "iobitmap_clear_bit_allows", "faulted");
	check(in_faults(0x72), "iobitmap_set_bit_faults", "did not fault");
	EXPECT("iobitmap_cmos_real", cmos_read(0x0d) & 0x80, 0x80);
	/* A bitmap shorter than the port: denied. */
	EXPECT("set_iobitmap_short", set_iobitmap(iobitmap, 0x70), 0);
	check(in_faults(0x71), "iobitmap_beyond_limit_faults", "did not fault");
	EXPECT("set_iobitmap_none", set_iobitmap(NULL, 0), 0);
	EXPECT("set_iopl_1_again", set_iopl(1), 0);
}

static void test_physdev_irq(void)
{
	struct physdev_irq_status_query q = { .irq = 0 };
	struct physdev_eoi eoi = { .irq = 0x7fffffff };
	struct physdev_pirq_eoi_gmfn g = { .gmfn = 1ULL << 40 };

	EXPECT("irq_status_query_0", HYPERVISOR_physdev_op(PHYSDEVOP_irq_status_query, &q), 0);
	EXPECT("irq_status_query_0_needs_eoi", q.flags & XENIRQSTAT_needs_eoi, XENIRQSTAT_needs_eoi);
	q.irq = 0xffffffffu;
	EXPECT("irq_status_query_huge",
	       HYPERVISOR_physdev_op(PHYSDEVOP_irq_status_query, &q), -XEN_EINVAL);
	EXPECT("irq_status_query_null",
	       HYPERVISOR_physdev_op(PHYSDEVOP_irq_status_query, NULL), -XEN_EFAULT);
	EXPECT("eoi_huge_irq", HYPERVISOR_physdev_op(PHYSDEVOP_eoi, &eoi), -XEN_EINVAL);
	EXPECT("eoi_null", HYPERVISOR_physdev_op(PHYSDEVOP_eoi, NULL), -XEN_EFAULT);
	EXPECT("pirq_eoi_gmfn_v2_bad_frame",
	       HYPERVISOR_physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), -XEN_EINVAL);
	EXPECT("pirq_eoi_gmfn_v2_null",
	       HYPERVISOR_physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v2, NULL), -XEN_EFAULT);
	g.gmfn = virt_to_mfn(eoi_page);
	EXPECT("pirq_eoi_gmfn_v2_own_page", HYPERVISOR_physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), 0);
	EXPECT("pirq_eoi_gmfn_v2_again",
	       HYPERVISOR_physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), -XEN_EBUSY);
	{
		/*
		 * The hypervisor writes the EOI map, so it keeps the frame
		 * writable-typed: even mapped read-only here, it cannot be
		 * pinned as a page table (an empty L1, which pins otherwise).
		 */
		uint64_t va = (uint64_t)eoi_page, mfn = virt_to_mfn(eoi_page);
		struct mmuext_op pin = { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = mfn };

		EXPECT("eoi_page_read_only",
		       HYPERVISOR_update_va_mapping(va, (mfn << 12) | 0x21, UVMF_INVLPG), 0);
		EXPECT("eoi_page_cannot_become_l1", HYPERVISOR_mmuext_op(&pin, 1, NULL, DOMID_SELF),
		       -XEN_EINVAL);
		EXPECT("eoi_page_writable_again",
		       HYPERVISOR_update_va_mapping(va, (mfn << 12) | 0x63, UVMF_INVLPG), 0);
	}
	EXPECT("physdev_unknown", HYPERVISOR_physdev_op(99, NULL), -XEN_ENOSYS);
	{
		struct physdev_map_pirq m = { .domid = DOMID_SELF, .type = 99, .index = 0, .pirq = -1 };
		long rc = HYPERVISOR_physdev_op(PHYSDEVOP_map_pirq, &m);

		/* both: -EINVAL for an unknown type, and for a GSI no IO-APIC has */
		EXPECT("map_pirq_bad_type", rc, -XEN_EINVAL);
		m.type = MAP_PIRQ_TYPE_GSI;
		m.index = 100000;
		EXPECT("map_pirq_no_such_gsi", HYPERVISOR_physdev_op(PHYSDEVOP_map_pirq, &m), -XEN_EINVAL);
		m.index = -1;
		EXPECT("map_pirq_negative_gsi", HYPERVISOR_physdev_op(PHYSDEVOP_map_pirq, &m), -XEN_EINVAL);
		EXPECT("map_pirq_null", HYPERVISOR_physdev_op(PHYSDEVOP_map_pirq, NULL), -XEN_EFAULT);
		if (hv_is_paravane()) {
			/* MSI is not routed: a clean error, Linux keeps the device on INTx */
			m.type = MAP_PIRQ_TYPE_MSI;
			m.index = -1;
			EXPECT("paravane_map_pirq_msi", HYPERVISOR_physdev_op(PHYSDEVOP_map_pirq, &m),
			       -XEN_EOPNOTSUPP);
		}
	}
	{
		struct physdev_unmap_pirq u = { .domid = DOMID_SELF, .pirq = 200 };

		EXPECT("unmap_pirq_not_mapped", HYPERVISOR_physdev_op(PHYSDEVOP_unmap_pirq, &u), -XEN_EINVAL);
	}
	{
		struct physdev_setup_gsi sg = { .gsi = 100000, .triggering = 1, .polarity = 1 };

		EXPECT("setup_gsi_no_such_gsi", HYPERVISOR_physdev_op(PHYSDEVOP_setup_gsi, &sg), -XEN_EINVAL);
	}
}

static void platform_init(struct xen_platform_op *op, uint32_t cmd)
{
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->interface_version = XENPF_INTERFACE_VERSION;
}

/* physinfo's CPU count, 0 on failure */
static uint32_t host_cpus(void)
{
	static struct xen_sysctl sop;

	memset(&sop, 0, sizeof(sop));
	sop.cmd = XEN_SYSCTL_physinfo;
	sop.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	return HC1(__HYPERVISOR_sysctl, &sop) ? 0 : sop.u.physinfo.nr_cpus;
}

/*
 * get_cpuinfo names every CPU physinfo counts, each online with its own
 * APIC id, and no more (run with one CPU and, as dom0ops-smp, with two).
 */
static void test_cpuinfo_each(void)
{
	struct xen_platform_op op;
	uint32_t n = host_cpus(), apic[8];
	int distinct = 1;

	EXPECT("cpuinfo_physinfo", n >= 1 && n <= 8, 1);
	if (n < 1 || n > 8)
		return;
	for (uint32_t c = 0; c < n; c++) {
		char name[3][40];

		gsnprintf(name[0], sizeof(name[0]), "cpuinfo_cpu%u", c);
		gsnprintf(name[1], sizeof(name[1]), "cpuinfo_cpu%u_online", c);
		gsnprintf(name[2], sizeof(name[2]), "cpuinfo_cpu%u_max_present", c);
		platform_init(&op, XENPF_get_cpuinfo);
		op.u.pcpu_info.xen_cpuid = c;
		EXPECT(name[0], platform_op(&op), 0);
		EXPECT(name[1], op.u.pcpu_info.flags, XEN_PCPU_FLAGS_ONLINE);
		EXPECT(name[2], op.u.pcpu_info.max_present, n - 1);
		apic[c] = op.u.pcpu_info.apic_id;
		for (uint32_t o = 0; o < c; o++)
			distinct = distinct && apic[o] != apic[c];
	}
	EXPECT("cpuinfo_apic_ids_distinct", distinct, 1);
	platform_init(&op, XENPF_get_cpuinfo);
	op.u.pcpu_info.xen_cpuid = n;
	EXPECT("cpuinfo_past_last", platform_op(&op), 0);
	EXPECT("cpuinfo_past_last_invalid", op.u.pcpu_info.flags & XEN_PCPU_FLAGS_INVALID,
	       XEN_PCPU_FLAGS_INVALID);
	/*
	 * VCPUOP_get_physid: Dom0's vCPU 0 pinned to CPU 0 (on one CPU it is,
	 * whatever its affinity) has CPU 0's APIC and ACPI ids; with two CPUs
	 * it may run on either: -EINVAL, as Xen.
	 */
	{
		struct vcpu_get_physid id = { ~0ULL };
		uint64_t want;

		platform_init(&op, XENPF_get_cpuinfo);
		op.u.pcpu_info.xen_cpuid = 0;
		platform_op(&op);
		want = op.u.pcpu_info.apic_id | ((uint64_t)op.u.pcpu_info.acpi_id << 32);
		if (n == 1) {
			EXPECT("physid_vcpu0", HYPERVISOR_vcpu_op(VCPUOP_get_physid, 0, &id), 0);
			EXPECT("physid_vcpu0_id", id.phys_id == want, 1);
			EXPECT("physid_bad_pointer",
			       HYPERVISOR_vcpu_op(VCPUOP_get_physid, 0, (void *)0x10), -XEN_EFAULT);
		} else {
			EXPECT("physid_unpinned", HYPERVISOR_vcpu_op(VCPUOP_get_physid, 0, &id), -XEN_EINVAL);
		}
		EXPECT("physid_no_vcpu", HYPERVISOR_vcpu_op(VCPUOP_get_physid, 4000, &id), -XEN_ENOENT);
	}
	/* Onlining a CPU that runs is done; one past the last is no CPU. */
	platform_init(&op, XENPF_cpu_online);
	op.u.cpu_ol.cpuid = n - 1;
	EXPECT("cpu_online_last", platform_op(&op), 0);
	platform_init(&op, XENPF_cpu_online);
	op.u.cpu_ol.cpuid = n;
	EXPECT("cpu_online_past_last", platform_op(&op), -XEN_EINVAL);
}

static void test_platform(void)
{
	struct xen_platform_op op;
	uint32_t pdc[3];
	long rc;

	EXPECT("platform_null", platform_op(NULL), -XEN_EFAULT);
	platform_init(&op, XENPF_get_cpuinfo);
	op.interface_version = 0x03000000;
	EXPECT("platform_bad_version", platform_op(&op), -XEN_EACCES);
	platform_init(&op, 99);
	EXPECT("platform_unknown_cmd", platform_op(&op), -XEN_ENOSYS);

	platform_init(&op, XENPF_get_cpuinfo);
	EXPECT("get_cpuinfo_0", platform_op(&op), 0);
	EXPECT("get_cpuinfo_0_online", op.u.pcpu_info.flags & XEN_PCPU_FLAGS_ONLINE,
	       XEN_PCPU_FLAGS_ONLINE);
	platform_init(&op, XENPF_get_cpuinfo);
	op.u.pcpu_info.xen_cpuid = 9999;
	EXPECT("get_cpuinfo_absent", platform_op(&op), 0);
	EXPECT("get_cpuinfo_absent_invalid", op.u.pcpu_info.flags & XEN_PCPU_FLAGS_INVALID,
	       XEN_PCPU_FLAGS_INVALID);
	test_cpuinfo_each();

	/* No EDD data: QEMU has no disk here, and Paravane makes no BIOS calls. */
	platform_init(&op, XENPF_firmware_info);
	op.u.firmware_info.type = XEN_FW_DISK_INFO;
	EXPECT("firmware_disk_info_0", platform_op(&op), -XEN_ESRCH);
	op.u.firmware_info.type = XEN_FW_DISK_MBR_SIGNATURE;
	EXPECT("firmware_mbr_signature_0", platform_op(&op), -XEN_ESRCH);
	op.u.firmware_info.type = XEN_FW_KBD_SHIFT_FLAGS;
	EXPECT("firmware_kbd_shift_flags", platform_op(&op), 0);
	op.u.firmware_info.index = 1;
	EXPECT("firmware_kbd_shift_flags_index1", platform_op(&op), -XEN_ESRCH);
	op.u.firmware_info.index = 0;
	op.u.firmware_info.type = 99;
	EXPECT("firmware_unknown_type", platform_op(&op), -XEN_EINVAL);
	op.u.firmware_info.type = XEN_FW_EFI_INFO;
	rc = platform_op(&op);
	check(rc < 0, tname("firmware_efi_info_none"), "rc %ld", rc);

	/* Linux's xen_check_mwait _PDC call. */
	platform_init(&op, XENPF_set_processor_pminfo);
	op.u.set_pminfo.id = 0xffffffffu;
	op.u.set_pminfo.type = XEN_PM_PDC;
	pdc[0] = 1;
	pdc[1] = 1;
	pdc[2] = 0x0008 | 0x0020;              /* SMP_C1PT | SMP_P_SWCOORD */
	op.u.set_pminfo.u[0] = (uint64_t)pdc;
	EXPECT("pminfo_pdc", platform_op(&op), 0);
	EXPECT("pminfo_pdc_no_ffh", pdc[2] & (0x0100 | 0x0200), 0);
	pdc[0] = 7;
	EXPECT("pminfo_pdc_bad_revision", platform_op(&op), -XEN_EINVAL);
	op.u.set_pminfo.type = 99;
	EXPECT("pminfo_bad_type", platform_op(&op), -XEN_EINVAL);

	/* settime64: mbz must be zero; a good one moves every domain's wallclock. */
	platform_init(&op, XENPF_settime64);
	op.u.settime64.secs = 2000000000ULL;
	op.u.settime64.mbz = 1;
	EXPECT("settime64_mbz", platform_op(&op), -XEN_EINVAL);
	op.u.settime64.mbz = 0;
	op.u.settime64.system_time = system_time_ns();
	EXPECT("settime64", platform_op(&op), 0);
	{
		uint64_t sec = shared_info->wc_sec | (uint64_t)shared_info->wc_sec_hi << 32;
		uint64_t st = op.u.settime64.system_time / 1000000000ULL;

		check(sec + st >= 2000000000ULL - 1 && sec + st <= 2000000000ULL + 1,
		      "settime64_wallclock", "wc_sec %lu + system %lu s", sec, st);
	}

	if (hv_is_paravane()) {
		/* Xen would put the machine to sleep; Paravane does S5 only (docs/dom0-platform.md). */
		platform_init(&op, XENPF_enter_acpi_sleep);
		op.u.enter_acpi_sleep.sleep_state = 3;
		EXPECT("paravane_enter_acpi_sleep_s3", platform_op(&op), -XEN_EOPNOTSUPP);
		op.u.enter_acpi_sleep.sleep_state = 6;
		EXPECT("paravane_enter_acpi_sleep_s6", platform_op(&op), -XEN_EINVAL);
		op.u.enter_acpi_sleep.sleep_state = 5;
		op.u.enter_acpi_sleep.flags = 2;
		EXPECT("paravane_enter_acpi_sleep_bad_flags", platform_op(&op), -XEN_EINVAL);
		platform_init(&op, XENPF_firmware_info);
		op.u.firmware_info.type = XEN_FW_EFI_INFO;
		EXPECT("paravane_firmware_efi_info", platform_op(&op), -XEN_ENOSYS);
	}
}

void test_main(void)
{
	long rc;

	check(start_info->flags & SIF_INITDOMAIN, "is_initial_domain", "flags %#x",
	      start_info->flags);
	test_iopl();
	test_real_ports();
	test_hypervisor_ports();
	test_iobitmap();
	test_physdev_irq();
	test_platform();
	rc = HYPERVISOR_xen_version(XENVER_version, NULL);
	check(rc > 0, "still_alive", "xen_version %ld", rc);
}
