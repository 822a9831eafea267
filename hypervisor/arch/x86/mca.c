/*
 * __HYPERVISOR_mca (#48): the machine-check log Xen keeps for Dom0.
 *
 * Linux's Dom0 (drivers/xen/mcelog.c) asks at boot how many physical CPUs
 * there are and what they are (XEN_MC_physcpuinfo), binds VIRQ_MCA, and
 * registers /dev/mcelog; when VIRQ_MCA fires it drains the log with
 * XEN_MC_fetch. Paravane does not handle machine checks (a #MC stops the
 * machine with a register dump), so the log is always empty: fetch answers
 * XEN_MC_NODATA and VIRQ_MCA never fires. Error injection (msrinject,
 * mceinject, inject_v2) has nothing to inject into: -EOPNOTSUPP.
 *
 * Checks as on Xen: the hypercall table admits the initial domain only
 * (-EPERM); -EFAULT for the argument, -EACCES for another
 * interface_version, -EINVAL for an unknown command.
 */
#include <cpumask.h>
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <asm/cpu.h>
#include <asm/smp.h>
#include <public/errno.h>
#include <public/xen-mca.h>

/* Xen 4.17's vendor numbers (x86-vendors.h), which mc_vendor carries. */
#define XEN_VENDOR_INTEL 1u
#define XEN_VENDOR_AMD   2u

static void cpuid_string(uint32_t leaf, char *out, const unsigned *order, unsigned nregs)
{
	uint32_t r[4];

	cpuid(leaf, 0, r);
	for (unsigned i = 0; i < nregs; i++)
		memcpy(out + 4 * i, &r[order[i]], 4);
}

/*
 * What the log says about a CPU. The CPUID fields are this CPU's (the
 * machine's CPUs are alike); the APIC id is the CPU's own.
 */
static void describe_cpu(unsigned cpu, struct mcinfo_logical_cpu *c)
{
	static const unsigned vendor_order[3] = { 1, 3, 2 }, brand_order[4] = { 0, 1, 2, 3 };
	uint32_t r[4], max_ext, family;

	memset(c, 0, sizeof(*c));
	c->mc_cpunr = cpu;
	c->mc_apicid = cpu_apic_ids[cpu];
	c->mc_coreid = (uint16_t)cpu;
	c->mc_ncores = c->mc_ncores_active = nr_cpus_online;
	c->mc_nthreads = 1;

	cpuid(0, 0, r);
	c->mc_cpuid_level = r[0];
	cpuid_string(0, c->mc_vendorid, vendor_order, 3);
	if (!memcmp(c->mc_vendorid, "GenuineIntel", 12))
		c->mc_vendor = XEN_VENDOR_INTEL;
	else if (!memcmp(c->mc_vendorid, "AuthenticAMD", 12))
		c->mc_vendor = XEN_VENDOR_AMD;

	cpuid(1, 0, r);
	family = (r[0] >> 8) & 0xf;
	c->mc_model = (r[0] >> 4) & 0xf;
	if (family == 0xf)
		family += (r[0] >> 20) & 0xff;
	if (family >= 6)
		c->mc_model |= ((r[0] >> 16) & 0xf) << 4;
	c->mc_family = family;
	c->mc_step = r[0] & 0xf;
	c->mc_cache_alignment = ((r[1] >> 8) & 0xff) * 8;   /* CLFLUSH line size */
	c->mc_cpu_caps[0] = r[3];
	c->mc_cpu_caps[1] = r[2];

	cpuid(0x80000000, 0, r);
	max_ext = r[0];
	if (max_ext >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		c->mc_cpu_caps[2] = r[3];
		c->mc_cpu_caps[3] = r[2];
	}
	if (max_ext >= 0x80000004)
		for (unsigned i = 0; i < 3; i++)
			cpuid_string(0x80000002 + i, c->mc_brandid + 16 * i, brand_order, 4);
	if (max_ext >= 0x80000006) {
		cpuid(0x80000006, 0, r);
		c->mc_cache_size = r[2] >> 16;                 /* L2, KiB */
	}
	if (c->mc_cpuid_level >= 7) {
		cpuid(7, 0, r);
		c->mc_cpu_caps[5] = r[1];
		c->mc_cpu_caps[6] = r[2];
	}
}

/* ncpus in: entries the guest has room for (0 with a buffer: -EINVAL). */
static int physcpuinfo(struct xen_mc_physcpuinfo *p)
{
	unsigned n = nr_cpus_online, done = 0;

	if (p->info) {
		if (p->ncpus == 0 || p->ncpus > INT32_MAX)
			return -XEN_EINVAL;
		n = MIN(n, p->ncpus);
		for (unsigned cpu = 0; cpu < NR_CPUS && done < n; cpu++) {
			struct mcinfo_logical_cpu c;

			if (!cpumask_test(cpu_online_mask, cpu))
				continue;
			describe_cpu(cpu, &c);
			if (copy_to_guest(p->info + (uint64_t)done * sizeof(c), &c, sizeof(c)))
				return -XEN_EFAULT;
			done++;
		}
	}
	p->ncpus = n;
	return 0;
}

/* Exactly one of URGENT / NONURGENT; an ACK is not answered (as Xen). */
static int fetch(struct xen_mc_fetch *f, bool *copy_back)
{
	uint32_t which = f->flags & (XEN_MC_URGENT | XEN_MC_NONURGENT);

	if (which != XEN_MC_URGENT && which != XEN_MC_NONURGENT)
		return -XEN_EINVAL;
	if (f->flags & XEN_MC_ACK)
		return 0;              /* nothing was handed out, nothing to release */
	if (!f->data)
		return -XEN_EINVAL;
	f->flags = XEN_MC_NODATA;
	f->fetch_id = 0;
	*copy_back = true;
	return 0;
}

int64_t do_mca(struct vcpu *v, const uint64_t args[6])
{
	uint64_t arg = args[0];
	struct xen_mc op;
	bool copy_back = false;
	int rc;

	if (copy_from_guest(&op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XEN_MCA_INTERFACE_VERSION)
		return -XEN_EACCES;
	switch (op.cmd) {
	case XEN_MC_fetch:
		rc = fetch(&op.u.mc_fetch, &copy_back);
		break;
	case XEN_MC_physcpuinfo:
		rc = physcpuinfo(&op.u.mc_physcpuinfo);
		copy_back = rc == 0;
		break;
	case XEN_MC_msrinject:
	case XEN_MC_mceinject:
	case XEN_MC_inject_v2:
		return -XEN_EOPNOTSUPP;
	default:
		return -XEN_EINVAL;
	}
	if (rc == 0 && copy_back && copy_to_guest(arg, &op, sizeof(op)))
		rc = -XEN_EFAULT;
	return rc;
}
