/*
 * subops - sub-operations Xen 4.17 answers and Paravane once did not
 * (-ENOSYS; found by tests/guests/hcfuzz-diff.sh), with Xen's answers:
 *
 *   update_va_mapping_otherdomain  update_va_mapping naming the owner of
 *                the frame mapped: DOMID_SELF works as update_va_mapping;
 *                a missing domain -ESRCH, checked before the address.
 *   XENVER_build_id  NULL: the id's length; len 0 -EINVAL; too small
 *                -ENOBUFS; else the id (the same each time); bad buffer
 *                -EFAULT.
 *   XENMEM_get_vnumainfo  no virtual NUMA topology: -EOPNOTSUPP; pad -EINVAL;
 *                missing domain -ESRCH; bad pointer -EFAULT.
 *   XENMEM_remove_from_physmap  a PV domain has no physmap: -EACCES;
 *                missing domain -ESRCH; bad pointer -EFAULT.
 *   XENMEM_maximum_gpfn  the guest's own shared_info max_pfn, less one (0
 *                for 0; unchecked, so ~0 reads back as -2); missing domain
 *                -ESRCH; bad pointer -EFAULT.
 *   VCPUOP_register_vcpu_time_memory_area  a copy of the vCPU's time
 *                record at a guest address, written at once (even version,
 *                the same scale as vcpu_info's, a clock that agrees with
 *                vcpu_info's within 1 ms, also 2 ms later when registered
 *                again); an address outside guest space or
 *                an unreadable argument -EFAULT; no such vCPU -ENOENT; 0
 *                unregisters.
 *   GNTTABOP_transfer  run with transfers turned off on Xen
 *                (gnttab=no-transfer, Paravane's only mode): -EOPNOTSUPP
 *                for any batch, nothing done; a bad array -EFAULT first.
 *   xenpmu_op    no virtual PMU (Xen's default, vpmu off): -EOPNOTSUPP for
 *                every sub-op, known or not, the argument never read.
 */
#include "guest.h"

const char test_name[] = "subops";

#define BAD_DOMID 0x7ff4   /* DOMID_INVALID */

static uint8_t pages[2][4096] __attribute__((aligned(4096)));

static uint64_t mfn_of(const void *p)
{
	return ((uint64_t *)start_info->mfn_list)[((uint64_t)p - VIRT_BASE) >> 12];
}

static long uvm_other(uint64_t va, uint64_t val, uint64_t flags, unsigned dom)
{
	return HC4(__HYPERVISOR_update_va_mapping_otherdomain, va, val, flags, dom);
}

static void test_uvm_otherdomain(void)
{
	uint64_t va1 = (uint64_t)pages[1];
	uint64_t rw = PTE_P | PTE_W | PTE_A | PTE_D;

	pages[0][0] = 0xa5;
	pages[1][0] = 0x5a;
	EXPECT("uvmo_self", uvm_other(va1, (mfn_of(pages[0]) << 12) | rw, UVMF_INVLPG, DOMID_SELF), 0);
	EXPECT("uvmo_self_maps_frame", *(volatile uint8_t *)va1, 0xa5);
	EXPECT("uvmo_self_restore", uvm_other(va1, (mfn_of(pages[1]) << 12) | rw, UVMF_INVLPG, DOMID_SELF), 0);
	EXPECT("uvmo_self_restored", *(volatile uint8_t *)va1, 0x5a);
	EXPECT("uvmo_bad_domain", uvm_other(va1, (mfn_of(pages[0]) << 12) | rw, UVMF_INVLPG, BAD_DOMID), -XEN_ESRCH);
	EXPECT("uvmo_bad_domain_untouched", *(volatile uint8_t *)va1, 0x5a);
	EXPECT("uvmo_bad_domain_bad_va", uvm_other(BAD_HYPERVISOR, 0, 0, BAD_DOMID), -XEN_ESRCH);
	EXPECT("uvmo_hypervisor_va", uvm_other(BAD_HYPERVISOR, 0, 0, DOMID_SELF), -XEN_EINVAL);
	EXPECT("uvmo_noncanonical_va", uvm_other(BAD_NONCANON, 0, 0, DOMID_SELF), -XEN_EINVAL);
	EXPECT("uvmo_own_id", uvm_other(va1, (mfn_of(pages[1]) << 12) | rw, UVMF_INVLPG, 0), -XEN_ESRCH);
}

static struct {
	struct xen_build_id h;
	uint8_t buf[256];
} bid, bid2;

static void test_build_id(void)
{
	long len = HYPERVISOR_xen_version(XENVER_build_id, NULL);
	int nonzero = 0;

	check(len > 0 && len <= 64, tname("build_id_len"), "got %ld", len);
	if (len <= 0 || len > 64)
		return;
	bid.h.len = 0;
	EXPECT("build_id_len0", HYPERVISOR_xen_version(XENVER_build_id, &bid), -XEN_EINVAL);
	bid.h.len = len - 1;
	EXPECT("build_id_too_small", HYPERVISOR_xen_version(XENVER_build_id, &bid), -XEN_ENOBUFS);
	bid.h.len = len;
	EXPECT("build_id_fits", HYPERVISOR_xen_version(XENVER_build_id, &bid), len);
	bid2.h.len = sizeof(bid2.buf);
	EXPECT("build_id_big_buffer", HYPERVISOR_xen_version(XENVER_build_id, &bid2), len);
	EXPECT("build_id_same", memcmp(bid.buf, bid2.buf, len), 0);
	for (long i = 0; i < len; i++)
		nonzero |= bid.buf[i];
	check(nonzero, tname("build_id_not_zero"), "all %ld bytes zero", len);
	EXPECT("build_id_bad_ptr", HYPERVISOR_xen_version(XENVER_build_id, (void *)BAD_HYPERVISOR), -XEN_EFAULT);
}

static void test_vnuma(void)
{
	struct xen_vnuma_topology_info t = { .domid = DOMID_SELF };

	EXPECT("vnuma_self", HYPERVISOR_memory_op(XENMEM_get_vnumainfo, &t), -XEN_EOPNOTSUPP);
	t.pad = 1;
	EXPECT("vnuma_pad", HYPERVISOR_memory_op(XENMEM_get_vnumainfo, &t), -XEN_EINVAL);
	t.pad = 0;
	t.domid = BAD_DOMID;
	EXPECT("vnuma_bad_domain", HYPERVISOR_memory_op(XENMEM_get_vnumainfo, &t), -XEN_ESRCH);
	EXPECT("vnuma_bad_ptr", HYPERVISOR_memory_op(XENMEM_get_vnumainfo, (void *)BAD_HYPERVISOR), -XEN_EFAULT);
}

static void test_remove_from_physmap(void)
{
	struct xen_remove_from_physmap r = { .domid = DOMID_SELF, .gpfn = 1 };

	EXPECT("rfp_self", HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &r), -XEN_EACCES);
	r.domid = BAD_DOMID;
	EXPECT("rfp_bad_domain", HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &r), -XEN_ESRCH);
	EXPECT("rfp_bad_ptr", HYPERVISOR_memory_op(XENMEM_remove_from_physmap, (void *)BAD_HYPERVISOR), -XEN_EFAULT);
	EXPECT("rfp_page_still_there", pages[1][0], 0x5a);
}

static void test_maximum_gpfn(void)
{
	volatile uint64_t *max_pfn = &shared_info->arch.max_pfn;
	uint64_t saved = *max_pfn;
	domid_t self = DOMID_SELF, bad = BAD_DOMID;

	*max_pfn = 1234;
	EXPECT("max_gpfn_self", HYPERVISOR_memory_op(XENMEM_maximum_gpfn, &self), 1233);
	*max_pfn = 0;
	EXPECT("max_gpfn_zero", HYPERVISOR_memory_op(XENMEM_maximum_gpfn, &self), 0);
	*max_pfn = 1ULL << 40;
	EXPECT("max_gpfn_large", HYPERVISOR_memory_op(XENMEM_maximum_gpfn, &self), (1LL << 40) - 1);
	*max_pfn = ~0ULL;
	/* unchecked on Xen 4.17: 2^64 - 2, which reads as -2 */
	EXPECT("max_gpfn_huge", HYPERVISOR_memory_op(XENMEM_maximum_gpfn, &self), -2);
	*max_pfn = saved;
	EXPECT("max_gpfn_bad_domain", HYPERVISOR_memory_op(XENMEM_maximum_gpfn, &bad), -XEN_ESRCH);
	EXPECT("max_gpfn_bad_ptr", HYPERVISOR_memory_op(XENMEM_maximum_gpfn, (void *)BAD_HYPERVISOR), -XEN_EFAULT);
}

static struct vcpu_time_info tarea __attribute__((aligned(64)));

/* Does the record's clock agree with vcpu_info's, within 1 ms? */
static int clock_agrees(volatile struct vcpu_time_info *t)
{
	uint64_t a = pvclock_read(t), b = system_time_ns();

	return (a > b ? a - b : b - a) < 1000000;
}

static long time_area(unsigned vcpu, uint64_t addr)
{
	struct vcpu_register_time_memory_area a = { .addr = addr };

	return HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_time_memory_area, vcpu, &a);
}

static void test_time_area(void)
{
	volatile struct vcpu_time_info *t = &shared_info->vcpu_info[0].time;
	uint64_t until;

	EXPECT("tma_hypervisor_addr", time_area(0, BAD_HYPERVISOR), -XEN_EFAULT);
	EXPECT("tma_noncanonical_addr", time_area(0, BAD_NONCANON), -XEN_EFAULT);
	EXPECT("tma_bad_arg", HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0,
						 (void *)BAD_HYPERVISOR), -XEN_EFAULT);
	EXPECT("tma_no_vcpu", time_area(100, (uint64_t)&tarea), -XEN_ENOENT);
	EXPECT("tma_untouched_by_refusals", tarea.system_time, 0);
	EXPECT("tma_register", time_area(0, (uint64_t)&tarea), 0);
	EXPECT("tma_version_even", tarea.version & 1, 0);
	check(tarea.system_time != 0, tname("tma_written"), "system_time 0");
	EXPECT("tma_mul_as_vcpu_info", tarea.tsc_to_system_mul, t->tsc_to_system_mul);
	EXPECT("tma_shift_as_vcpu_info", tarea.tsc_shift, t->tsc_shift);
	EXPECT("tma_clock_agrees", clock_agrees(&tarea), 1);
	until = system_time_ns() + 2000000;
	while (system_time_ns() < until)
		;
	EXPECT("tma_register_again", time_area(0, (uint64_t)&tarea), 0);
	EXPECT("tma_clock_still_agrees", clock_agrees(&tarea), 1);
	EXPECT("tma_unregister", time_area(0, 0), 0);
	memset(&tarea, 0, sizeof(tarea));
}

static void test_transfer(void)
{
	struct gnttab_transfer t = { .mfn = mfn_of(pages[0]), .domid = DOMID_SELF, .ref = 1, .status = 7 };

	EXPECT("transfer_off", HYPERVISOR_grant_table_op(GNTTABOP_transfer, &t, 1), -XEN_EOPNOTSUPP);
	EXPECT("transfer_off_status_untouched", t.status, 7);
	EXPECT("transfer_off_page_kept", mfn_of(pages[0]) == t.mfn && pages[0][0] == 0xa5, 1);
	t.domid = BAD_DOMID;
	EXPECT("transfer_off_bad_domain", HYPERVISOR_grant_table_op(GNTTABOP_transfer, &t, 1), -XEN_EOPNOTSUPP);
	EXPECT("transfer_bad_ptr", HYPERVISOR_grant_table_op(GNTTABOP_transfer, (void *)BAD_HYPERVISOR, 1), -XEN_EFAULT);
	EXPECT("transfer_none", HYPERVISOR_grant_table_op(GNTTABOP_transfer, &t, 0), -XEN_EOPNOTSUPP);
}

/* xenpmu_op: every sub-op, known (mode_get, mode_set, init, flush) or not */
static long pmu(unsigned op, uint64_t arg)
{
	return HC2(__HYPERVISOR_xenpmu_op, op, arg);
}

static void test_xenpmu(void)
{
	uint8_t params[32] = { 0 };

	EXPECT("xenpmu_mode_get", pmu(0, (uint64_t)params), -XEN_EOPNOTSUPP);
	EXPECT("xenpmu_mode_set", pmu(1, (uint64_t)params), -XEN_EOPNOTSUPP);
	EXPECT("xenpmu_init", pmu(4, (uint64_t)params), -XEN_EOPNOTSUPP);
	EXPECT("xenpmu_flush", pmu(7, 0), -XEN_EOPNOTSUPP);
	EXPECT("xenpmu_unknown", pmu(99, 0), -XEN_EOPNOTSUPP);
	EXPECT("xenpmu_init_bad_ptr", pmu(4, BAD_HYPERVISOR), -XEN_EOPNOTSUPP);
}

void test_main(void)
{
	test_uvm_otherdomain();
	test_build_id();
	test_vnuma();
	test_remove_from_physmap();
	test_maximum_gpfn();
	test_time_area();
	test_transfer();
	test_xenpmu();
}
