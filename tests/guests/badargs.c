/*
 * badargs - bad arguments to every other hypercall the test guests cover:
 * null, non-canonical, hypervisor-range and read-only pointers, out-of-range
 * numbers and unknown sub-ops.  Each gets Xen's error and the domain goes
 * on.
 */
#include "guest.h"

const char test_name[] = "badargs";

static uint8_t beyond_page[4096] __attribute__((aligned(4096)));

/*
 * A PTE naming a frame past the machine's physical address width (bit 51
 * set: reserved on a 40-bit machine). No such memory: Xen 4.17 refuses
 * even Dom0 (-EPERM, no I/O access there), where a mapping would only
 * fault (found by tests/guests/hcfuzz-diff.sh). The page is mapped back as
 * it was whatever happened.
 */
static void test_frame_beyond_paddr(void)
{
	uint64_t va = (uint64_t)beyond_page;
	uint64_t mfn = ((uint64_t *)start_info->mfn_list)[(va - VIRT_BASE) >> 12];
	uint64_t flags = PTE_P | PTE_W | PTE_A | PTE_D;

	beyond_page[0] = 0x3c;
	EXPECT("update_va_mapping_beyond_paddr",
	       HYPERVISOR_update_va_mapping(va, (1ULL << 51) | (mfn << 12) | flags, UVMF_INVLPG), -XEN_EPERM);
	HYPERVISOR_update_va_mapping(va, (mfn << 12) | flags, UVMF_INVLPG);
	EXPECT("update_va_mapping_beyond_paddr_page_kept", *(volatile uint8_t *)beyond_page, 0x3c);
}

static const uint64_t bad_ptrs[] = { 0, BAD_NONCANON, BAD_HYPERVISOR, BAD_UNMAPPED };
static const char *const bad_names[] = { "null", "noncanonical", "hypervisor", "unmapped" };

void test_main(void)
{
	char n[64];
	unsigned i;
	long rc;

	for (i = 0; i < 4; i++) {
		void *p = (void *)bad_ptrs[i];

		gsnprintf(n, sizeof(n), "xen_version_extraversion_%s", bad_names[i]);
		EXPECT(n, HYPERVISOR_xen_version(XENVER_extraversion, p), -XEN_EFAULT);
		gsnprintf(n, sizeof(n), "xen_version_get_features_%s", bad_names[i]);
		EXPECT(n, HYPERVISOR_xen_version(XENVER_get_features, p), -XEN_EFAULT);
		gsnprintf(n, sizeof(n), "evtchn_alloc_unbound_%s", bad_names[i]);
		EXPECT(n, HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, p), -XEN_EFAULT);
		gsnprintf(n, sizeof(n), "memory_machphys_mapping_%s", bad_names[i]);
		EXPECT(n, HYPERVISOR_memory_op(XENMEM_machphys_mapping, p), -XEN_EFAULT);
		gsnprintf(n, sizeof(n), "callback_register_%s", bad_names[i]);
		EXPECT(n, HYPERVISOR_callback_op(CALLBACKOP_register, p), -XEN_EFAULT);
		gsnprintf(n, sizeof(n), "physdev_set_iopl_%s", bad_names[i]);
		EXPECT(n, HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, p), -XEN_EFAULT);
		gsnprintf(n, sizeof(n), "mmuext_op_%s", bad_names[i]);
		EXPECT(n, HYPERVISOR_mmuext_op(p, 1, NULL, DOMID_SELF), -XEN_EFAULT);
		gsnprintf(n, sizeof(n), "mmu_update_%s", bad_names[i]);
		EXPECT(n, HYPERVISOR_mmu_update(p, 1, NULL, DOMID_SELF), -XEN_EFAULT);
	}
	/* Output into read-only memory (the M2P) is refused too. */
	EXPECT("xen_version_extraversion_readonly",
	       HYPERVISOR_xen_version(XENVER_extraversion, (void *)MACH2PHYS_VIRT_START),
	       -XEN_EFAULT);

	EXPECT("xen_version_unknown_cmd", HYPERVISOR_xen_version(99, NULL), -XEN_ENOSYS);
	EXPECT("evtchn_unknown_cmd", HYPERVISOR_event_channel_op(99, NULL), -XEN_ENOSYS);
	EXPECT("memory_op_unknown_cmd", HYPERVISOR_memory_op(63, NULL), -XEN_ENOSYS);
	EXPECT("vcpu_op_unknown_cmd", HYPERVISOR_vcpu_op(99, 0, NULL), -XEN_ENOSYS);
	EXPECT("physdev_unknown_cmd", HYPERVISOR_physdev_op(99, NULL), -XEN_ENOSYS);
	EXPECT("callback_unknown_cmd", HYPERVISOR_callback_op(99, NULL), -XEN_ENOSYS);
	EXPECT("grant_table_unknown_cmd", HYPERVISOR_grant_table_op(99, NULL, 1), -XEN_ENOSYS);

	/* vCPU ids that do not exist (Linux probes all 8192). */
	EXPECT("vcpu_is_up_0", HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL), 1);
	EXPECT("vcpu_is_up_1", HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), -XEN_ENOENT);
	EXPECT("vcpu_is_up_8191", HYPERVISOR_vcpu_op(VCPUOP_is_up, 8191, NULL), -XEN_ENOENT);
	EXPECT("vcpu_is_up_huge", HYPERVISOR_vcpu_op(VCPUOP_is_up, 0xffffffffu, NULL), -XEN_ENOENT);

	/* Event channels: out-of-range numbers. */
	{
		struct evtchn_bind_virq bv = { .virq = 99, .vcpu = 0 };
		struct evtchn_close cl = { .port = 100000 };
		struct evtchn_send snd = { .port = 100000 };
		struct evtchn_bind_ipi bi = { .vcpu = 7 };

		EXPECT("evtchn_bind_virq_bad_virq",
		       HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), -XEN_EINVAL);
		bv.virq = VIRQ_TIMER;
		bv.vcpu = 5;
		EXPECT("evtchn_bind_virq_bad_vcpu",
		       HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), -XEN_ENOENT);
		EXPECT("evtchn_bind_ipi_bad_vcpu",
		       HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &bi), -XEN_ENOENT);
		EXPECT("evtchn_close_bad_port",
		       HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl), -XEN_EINVAL);
		EXPECT("evtchn_send_bad_port",
		       HYPERVISOR_event_channel_op(EVTCHNOP_send, &snd), -XEN_EINVAL);
	}

	/* Registers and selectors out of range. */
	EXPECT("set_segment_base_bad_reg", HYPERVISOR_set_segment_base(9, 0), -XEN_EINVAL);
	EXPECT("set_segment_base_noncanonical",
	       HYPERVISOR_set_segment_base(SEGBASE_FS, BAD_NONCANON), -XEN_EINVAL);
	/* Xen 4.17: DR4 is accepted as an alias of DR6 (CR4.DE clear). */
	EXPECT("set_debugreg_dr4_alias", HYPERVISOR_set_debugreg(4, 0), 0);
	EXPECT("set_debugreg_hypervisor_addr",
	       HYPERVISOR_set_debugreg(0, BAD_HYPERVISOR), -XEN_EPERM);
	/* Xen 4.17 answers an unknown debug register with -ENODEV. */
	EXPECT("get_debugreg_bad_reg", HYPERVISOR_get_debugreg(9), -XEN_ENODEV);
	EXPECT("set_debugreg_dr0_ok", HYPERVISOR_set_debugreg(0, 0x1000), 0);
	EXPECT("get_debugreg_dr0", HYPERVISOR_get_debugreg(0), 0x1000);
	HYPERVISOR_set_debugreg(0, 0);
	{
		struct physdev_set_iopl io = { .iopl = 4 };
		struct callback_register cb = { .type = 99, .address = 0x1000 };

		EXPECT("physdev_set_iopl_4", HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io), -XEN_EINVAL);
		EXPECT("callback_register_bad_type",
		       HYPERVISOR_callback_op(CALLBACKOP_register, &cb), -XEN_ENOSYS);
	}
	EXPECT("vm_assist_bad_cmd", HYPERVISOR_vm_assist(7, 0), -XEN_ENOSYS);
	EXPECT("vm_assist_bad_type", HYPERVISOR_vm_assist(VMASST_CMD_enable, 31), -XEN_EINVAL);
	/* both bad: the type is checked first (found by tests/guests/hcfuzz-diff.sh) */
	EXPECT("vm_assist_bad_cmd_and_type", HYPERVISOR_vm_assist(2, 29), -XEN_EINVAL);
	EXPECT("vm_assist_bad_cmd_huge_type", HYPERVISOR_vm_assist(7, 64), -XEN_EINVAL);
	/* pagesize takes no argument: one is refused */
	{
		uint64_t out = 0;

		EXPECT("xen_version_pagesize_with_arg", HYPERVISOR_xen_version(XENVER_pagesize, &out), -XEN_EINVAL);
		EXPECT("xen_version_pagesize_arg_untouched", out, 0);
	}

	/* MMU: unknown mmuext command, update_va_mapping outside guest space. */
	{
		struct mmuext_op op = { .cmd = 99 };

		EXPECT("mmuext_unknown_cmd", HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -XEN_ENOSYS);
	}
	EXPECT("update_va_mapping_hypervisor",
	       HYPERVISOR_update_va_mapping(BAD_HYPERVISOR, 0, 0), -XEN_EINVAL);
	EXPECT("update_va_mapping_noncanonical",
	       HYPERVISOR_update_va_mapping(BAD_NONCANON, 0, 0), -XEN_EINVAL);

	test_frame_beyond_paddr();

	rc = HYPERVISOR_xen_version(XENVER_version, NULL);
	check(rc > 0, tname("still_alive"), "xen_version %ld", rc);
}
