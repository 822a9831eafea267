/*
 * mca - the machine-check hypercall (__HYPERVISOR_mca) as Linux's Dom0
 * (drivers/xen/mcelog.c) uses it: XEN_MC_physcpuinfo to count and describe
 * the physical CPUs, XEN_MC_fetch to drain the (empty) error log, VIRQ_MCA;
 * and the refusals for bad arguments. Runs as the initial domain on Xen 4.17
 * and on Paravane; the checks marked paravane_ are where we answer on purpose
 * what Xen would do otherwise (error injection).
 */
#include "guest.h"
#include "public/xen-mca.h"

const char test_name[] = "mca";
const int test_styles = STYLE_DIRECT;

static struct mcinfo_logical_cpu cpus[4];
static uint64_t mc_info_buf[1024];    /* struct mc_info, 8 KiB; never filled */

static long mca(struct xen_mc *op)
{
	return HC1(__HYPERVISOR_mca, op);
}

static void init(struct xen_mc *op, uint32_t cmd)
{
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->interface_version = XEN_MCA_INTERFACE_VERSION;
}

static void test_physcpuinfo(void)
{
	struct xen_mc op;
	uint32_t n;
	char vendor[13];

	init(&op, XEN_MC_physcpuinfo);
	EXPECT("physcpuinfo_count", mca(&op), 0);
	n = op.u.mc_physcpuinfo.ncpus;
	check(n >= 1 && n <= 64, tname("physcpuinfo_ncpus"), "%u CPUs", n);

	memset(cpus, 0x5a, sizeof(cpus));
	op.u.mc_physcpuinfo.ncpus = 4;
	op.u.mc_physcpuinfo.info = (uint64_t)cpus;
	EXPECT("physcpuinfo_fill", mca(&op), 0);
	EXPECT("physcpuinfo_filled_ncpus", op.u.mc_physcpuinfo.ncpus, n < 4 ? n : 4);
	EXPECT("physcpuinfo_cpu0_nr", cpus[0].mc_cpunr, 0);
	check(cpus[0].mc_family >= 6, tname("physcpuinfo_family"), "family %u", cpus[0].mc_family);
	memcpy(vendor, cpus[0].mc_vendorid, 12);
	vendor[12] = 0;
	check(!memcmp(vendor, "AuthenticAMD", 12) || !memcmp(vendor, "GenuineIntel", 12),
	      tname("physcpuinfo_vendorid"), "vendor '%s'", vendor);
	check(cpus[0].mc_cpu_caps[0] & (1u << 0), tname("physcpuinfo_caps_fpu"), "caps[0] %#x",
	      cpus[0].mc_cpu_caps[0]);
	/* room for one: one written, the next untouched */
	memset(cpus, 0x5a, sizeof(cpus));
	op.u.mc_physcpuinfo.ncpus = 1;
	EXPECT("physcpuinfo_room_for_one", mca(&op), 0);
	EXPECT("physcpuinfo_one", op.u.mc_physcpuinfo.ncpus, 1);
	EXPECT("physcpuinfo_second_untouched", cpus[1].mc_cpunr, 0x5a5a5a5a);

	op.u.mc_physcpuinfo.ncpus = 0;
	EXPECT("physcpuinfo_zero_room", mca(&op), -XEN_EINVAL);
	op.u.mc_physcpuinfo.ncpus = 1;
	op.u.mc_physcpuinfo.info = 0x1000;   /* not mapped */
	EXPECT("physcpuinfo_bad_buffer", mca(&op), -XEN_EFAULT);
}

static void test_fetch(void)
{
	struct xen_mc op;

	init(&op, XEN_MC_fetch);
	op.u.mc_fetch.flags = XEN_MC_NONURGENT;
	op.u.mc_fetch.data = (uint64_t)mc_info_buf;
	op.u.mc_fetch.fetch_id = 77;
	EXPECT("fetch_nonurgent", mca(&op), 0);
	EXPECT("fetch_nonurgent_nodata", op.u.mc_fetch.flags, XEN_MC_NODATA);
	EXPECT("fetch_nonurgent_id", op.u.mc_fetch.fetch_id, 0);
	op.u.mc_fetch.flags = XEN_MC_URGENT;
	EXPECT("fetch_urgent", mca(&op), 0);
	EXPECT("fetch_urgent_nodata", op.u.mc_fetch.flags, XEN_MC_NODATA);
	op.u.mc_fetch.flags = XEN_MC_URGENT | XEN_MC_NONURGENT;
	EXPECT("fetch_both_queues", mca(&op), -XEN_EINVAL);
	op.u.mc_fetch.flags = 0;
	EXPECT("fetch_no_queue", mca(&op), -XEN_EINVAL);
	op.u.mc_fetch.flags = XEN_MC_NONURGENT;
	op.u.mc_fetch.data = 0;
	EXPECT("fetch_null_buffer", mca(&op), -XEN_EINVAL);
	op.u.mc_fetch.flags = XEN_MC_NONURGENT | XEN_MC_ACK;
	EXPECT("fetch_ack", mca(&op), 0);
}

static void test_refusals(void)
{
	struct xen_mc op;

	EXPECT("mca_null", mca(NULL), -XEN_EFAULT);
	EXPECT("mca_unmapped", mca((struct xen_mc *)0x1000), -XEN_EFAULT);
	init(&op, XEN_MC_physcpuinfo);
	op.interface_version = XEN_MCA_INTERFACE_VERSION - 1;
	EXPECT("mca_bad_version", mca(&op), -XEN_EACCES);
	init(&op, 99);
	EXPECT("mca_unknown_cmd", mca(&op), -XEN_EINVAL);
	if (hv_is_paravane()) {
		init(&op, XEN_MC_mceinject);
		EXPECT("paravane_mceinject", mca(&op), -XEN_EOPNOTSUPP);
		init(&op, XEN_MC_msrinject);
		EXPECT("paravane_msrinject", mca(&op), -XEN_EOPNOTSUPP);
	}
}

static void test_virq(void)
{
	struct evtchn_bind_virq bv = { .virq = VIRQ_MCA, .vcpu = 0 };
	struct evtchn_close c;

	EXPECT("bind_virq_mca", HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), 0);
	c.port = bv.port;
	EXPECT("close_virq_mca", HYPERVISOR_event_channel_op(EVTCHNOP_close, &c), 0);
}

/*
 * The virtual MCE a PV kernel sees (Linux's mcheck_cpu_init): CPUID MCE and
 * MCA, MCG_CAP with two banks, banks that read as zero and take Linux's
 * enable and clear writes.
 */
static void test_vmce(void)
{
	uint32_t a = 1, b, c = 0, d;
	uint64_t cap;

	__asm__ volatile("ud2a; .ascii \"xen\"; cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	check(d & (1u << 7), tname("cpuid_mce"), "leaf 1 edx %#x", d);
	check(d & (1u << 14), tname("cpuid_mca"), "leaf 1 edx %#x", d);
	traps_install();
	trap_reset();
	cap = rdmsr_t(0x179);
	EXPECT("mcg_cap_no_trap", last_trap.count, 0);
	gprintf("MCG_CAP 0x%lx\n", (unsigned long)cap);
	EXPECT("mcg_cap_banks", cap & 0xff, 2);
	EXPECT("mcg_cap_no_ctl_p", (cap >> 8) & 1, 0);
	EXPECT("mcg_status", rdmsr_t(0x17a), 0);
	EXPECT("mc0_status", rdmsr_t(0x401), 0);
	EXPECT("mc1_status", rdmsr_t(0x405), 0);
	wrmsr_t(0x400, ~0ULL);
	wrmsr_t(0x401, 0);
	wrmsr_t(0x404, ~0ULL);
	wrmsr_t(0x405, 0);
	EXPECT("mc_bank_msrs_no_trap", last_trap.count, 0);
}

void test_main(void)
{
	check(start_info->flags & SIF_INITDOMAIN, "is_initial_domain", "flags %#x",
	      start_info->flags);
	test_physcpuinfo();
	test_fetch();
	test_refusals();
	test_virq();
	test_vmce();
}
