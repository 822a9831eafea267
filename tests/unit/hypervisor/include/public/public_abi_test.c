/*
 * public_abi_test.c - second line of defence for hypervisor/include/public.
 *
 * The headers pin their layouts with _Static_assert; this test checks the
 * same facts again at run time against values written down independently
 * (docs/linux-pv-abi.md, sections 1.7, 1.8, 2.3, 3.4, 4.1, 9 and appendix A),
 * so that an edit that changes both a struct and its static assert still
 * fails here.  Each table row is: what, value in our header, expected value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "public/xen.h"
#include "public/errno.h"
#include "public/event_channel.h"
#include "public/sched.h"
#include "public/memory.h"
#include "public/grant_table.h"
#include "public/vcpu.h"
#include "public/physdev.h"
#include "public/platform.h"
#include "public/version.h"
#include "public/features.h"
#include "public/elfnote.h"
#include "public/callback.h"
#include "public/domctl.h"
#include "public/sysctl.h"

struct fact {
	const char *what;
	uint64_t got;
	uint64_t want;
};

#define SZ(t, v)        { "sizeof " #t, sizeof(struct t), v }
#define OFF(t, f, v)    { #t "." #f, offsetof(struct t, f), v }
#define NUM(c, v)       { #c, (uint64_t)(c), v }

static void check(const struct fact *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (f[i].got != f[i].want)
			fail_msg("%s: header has %llu, ABI says %llu", f[i].what,
				 (unsigned long long)f[i].got,
				 (unsigned long long)f[i].want);
	}
}

static void test_start_info(void **state)
{
	static const struct fact f[] = {
		SZ(start_info, 1168),
		OFF(start_info, nr_pages, 32), OFF(start_info, shared_info, 40),
		OFF(start_info, flags, 48), OFF(start_info, store_mfn, 56),
		OFF(start_info, store_evtchn, 64), OFF(start_info, console, 72),
		OFF(start_info, console.domU.evtchn, 80),
		OFF(start_info, console.dom0.info_size, 76),
		OFF(start_info, pt_base, 88), OFF(start_info, nr_pt_frames, 96),
		OFF(start_info, mfn_list, 104), OFF(start_info, mod_start, 112),
		OFF(start_info, mod_len, 120), OFF(start_info, cmd_line, 128),
		OFF(start_info, first_p2m_pfn, 1152),
		OFF(start_info, nr_p2m_frames, 1160),
		NUM(SIF_PRIVILEGED, 1), NUM(SIF_INITDOMAIN, 2),
		NUM(SIF_MULTIBOOT_MOD, 4), NUM(SIF_MOD_START_PFN, 8),
		NUM(SIF_VIRT_P2M_4TOOLS, 16),
	};
	(void)state;
	check(f, sizeof(f) / sizeof(f[0]));
}

static void test_shared_info(void **state)
{
	static const struct fact f[] = {
		SZ(shared_info, 3136), SZ(vcpu_info, 64), SZ(vcpu_time_info, 32),
		OFF(shared_info, evtchn_pending, 2048),
		OFF(shared_info, evtchn_mask, 2560),
		OFF(shared_info, wc_version, 3072), OFF(shared_info, wc_sec, 3076),
		OFF(shared_info, wc_nsec, 3080), OFF(shared_info, wc_sec_hi, 3084),
		OFF(shared_info, arch.max_pfn, 3088),
		OFF(shared_info, arch.pfn_to_mfn_frame_list_list, 3096),
		OFF(shared_info, arch.nmi_reason, 3104),
		OFF(shared_info, arch.p2m_cr3, 3112),
		OFF(shared_info, arch.p2m_vaddr, 3120),
		OFF(shared_info, arch.p2m_generation, 3128),
		OFF(vcpu_info, evtchn_upcall_pending, 0),
		OFF(vcpu_info, evtchn_upcall_mask, 1),
		OFF(vcpu_info, evtchn_pending_sel, 8), OFF(vcpu_info, arch.cr2, 16),
		OFF(vcpu_info, time, 32),
		OFF(vcpu_time_info, tsc_timestamp, 8),
		OFF(vcpu_time_info, system_time, 16),
		OFF(vcpu_time_info, tsc_to_system_mul, 24),
		OFF(vcpu_time_info, tsc_shift, 28), OFF(vcpu_time_info, flags, 29),
	};
	(void)state;
	check(f, sizeof(f) / sizeof(f[0]));
}

static void test_core_hypercalls(void **state)
{
	static const struct fact f[] = {
		NUM(__HYPERVISOR_set_trap_table, 0), NUM(__HYPERVISOR_mmu_update, 1),
		NUM(__HYPERVISOR_set_gdt, 2), NUM(__HYPERVISOR_stack_switch, 3),
		NUM(__HYPERVISOR_set_callbacks, 4), NUM(__HYPERVISOR_fpu_taskswitch, 5),
		NUM(__HYPERVISOR_platform_op, 7), NUM(__HYPERVISOR_set_debugreg, 8),
		NUM(__HYPERVISOR_get_debugreg, 9),
		NUM(__HYPERVISOR_update_descriptor, 10), NUM(__HYPERVISOR_memory_op, 12),
		NUM(__HYPERVISOR_multicall, 13),
		NUM(__HYPERVISOR_update_va_mapping, 14),
		NUM(__HYPERVISOR_set_timer_op, 15), NUM(__HYPERVISOR_xen_version, 17),
		NUM(__HYPERVISOR_console_io, 18), NUM(__HYPERVISOR_grant_table_op, 20),
		NUM(__HYPERVISOR_vm_assist, 21), NUM(__HYPERVISOR_iret, 23),
		NUM(__HYPERVISOR_vcpu_op, 24), NUM(__HYPERVISOR_set_segment_base, 25),
		NUM(__HYPERVISOR_mmuext_op, 26), NUM(__HYPERVISOR_sched_op, 29),
		NUM(__HYPERVISOR_callback_op, 30),
		NUM(__HYPERVISOR_event_channel_op, 32),
		NUM(__HYPERVISOR_physdev_op, 33), NUM(__HYPERVISOR_sysctl, 35),
		NUM(__HYPERVISOR_domctl, 36), NUM(__HYPERVISOR_xenpmu_op, 40),
		NUM(__HYPERVISOR_dm_op, 41), NUM(__HYPERVISOR_mca, 48),
		SZ(trap_info, 16), OFF(trap_info, address, 8),
		SZ(mmu_update, 16), SZ(mmuext_op, 24), OFF(mmuext_op, arg1, 8),
		OFF(mmuext_op, arg2, 16), SZ(multicall_entry, 64),
		OFF(multicall_entry, result, 8), OFF(multicall_entry, args, 16),
		SZ(callback_register, 16), OFF(callback_register, address, 8),
		SZ(iret_context, 72), OFF(iret_context, rip, 32),
		OFF(iret_context, ss, 64),
		SZ(cpu_user_regs, 200), OFF(cpu_user_regs, rax, 80),
		OFF(cpu_user_regs, rdi, 112), OFF(cpu_user_regs, error_code, 120),
		OFF(cpu_user_regs, entry_vector, 124), OFF(cpu_user_regs, rip, 128),
		OFF(cpu_user_regs, cs, 136), OFF(cpu_user_regs, saved_upcall_mask, 140),
		OFF(cpu_user_regs, rflags, 144), OFF(cpu_user_regs, rsp, 152),
		OFF(cpu_user_regs, ss, 160), OFF(cpu_user_regs, es, 168),
		OFF(cpu_user_regs, ds, 176), OFF(cpu_user_regs, fs, 184),
		OFF(cpu_user_regs, gs, 192),
		SZ(vcpu_guest_context, 5168),
		OFF(vcpu_guest_context, flags, 512),
		OFF(vcpu_guest_context, user_regs, 520),
		OFF(vcpu_guest_context, trap_ctxt, 720),
		OFF(vcpu_guest_context, ldt_base, 4816),
		OFF(vcpu_guest_context, ldt_ents, 4824),
		OFF(vcpu_guest_context, gdt_frames, 4832),
		OFF(vcpu_guest_context, gdt_ents, 4960),
		OFF(vcpu_guest_context, kernel_ss, 4968),
		OFF(vcpu_guest_context, kernel_sp, 4976),
		OFF(vcpu_guest_context, ctrlreg, 4984),
		OFF(vcpu_guest_context, debugreg, 5048),
		OFF(vcpu_guest_context, event_callback_eip, 5112),
		OFF(vcpu_guest_context, failsafe_callback_eip, 5120),
		OFF(vcpu_guest_context, syscall_callback_eip, 5128),
		OFF(vcpu_guest_context, vm_assist, 5136),
		OFF(vcpu_guest_context, fs_base, 5144),
		OFF(vcpu_guest_context, gs_base_kernel, 5152),
		OFF(vcpu_guest_context, gs_base_user, 5160),
		NUM(VGCF_in_kernel, 4), NUM(VGCF_in_syscall, 256),
		NUM(MMU_PT_UPDATE_PRESERVE_AD, 2), NUM(MMUEXT_NEW_USER_BASEPTR, 15),
		NUM(MMUEXT_SET_LDT, 13), NUM(UVMF_INVLPG, 2), NUM(UVMF_ALL, 4),
		NUM(VMASST_TYPE_runstate_update_flag, 5),
		NUM(CALLBACKTYPE_syscall32, 7), NUM(CALLBACKTYPE_sysenter, 5),
		NUM(SEGBASE_GS_USER_SEL, 3),
	};
	(void)state;
	check(f, sizeof(f) / sizeof(f[0]));
}

static void test_constants(void **state)
{
	static const struct fact f[] = {
		NUM(HYPERVISOR_VIRT_START, 0xFFFF800000000000ULL),
		NUM(HYPERVISOR_VIRT_END, 0xFFFF880000000000ULL),
		NUM(MACH2PHYS_VIRT_START, 0xFFFF800000000000ULL),
		NUM(MACH2PHYS_VIRT_END, 0xFFFF804000000000ULL),
		NUM(FLAT_KERNEL_CS, 0xe033), NUM(FLAT_KERNEL_SS, 0xe02b),
		NUM(FLAT_RING3_CS32, 0xe023), NUM(FLAT_KERNEL_DS, 0),
		NUM(FIRST_RESERVED_GDT_ENTRY, 7168),
		NUM(DOMID_SELF, 0x7FF0), NUM(DOMID_IO, 0x7FF1),
		NUM(DOMID_XEN, 0x7FF2), NUM(DOMID_INVALID, 0x7FF4),
		NUM(XENFEAT_mmu_pt_update_preserve_ad, 5),
		NUM(XENFEAT_gnttab_map_avail_bits, 7), NUM(XENFEAT_dom0, 11),
		NUM(XENFEAT_linux_rsdp_unrestricted, 15),
		NUM(XEN_ELFNOTE_ENTRY, 1), NUM(XEN_ELFNOTE_HYPERCALL_PAGE, 2),
		NUM(XEN_ELFNOTE_VIRT_BASE, 3), NUM(XEN_ELFNOTE_PADDR_OFFSET, 4),
		NUM(XEN_ELFNOTE_XEN_VERSION, 5), NUM(XEN_ELFNOTE_GUEST_OS, 6),
		NUM(XEN_ELFNOTE_LOADER, 8), NUM(XEN_ELFNOTE_PAE_MODE, 9),
		NUM(XEN_ELFNOTE_FEATURES, 10), NUM(XEN_ELFNOTE_INIT_P2M, 15),
		NUM(XEN_ELFNOTE_SUPPORTED_FEATURES, 17),
		NUM(XEN_ELFNOTE_PHYS32_ENTRY, 18),
		NUM(XENVER_version, 0), NUM(XENVER_extraversion, 1),
		NUM(XENVER_get_features, 6), NUM(XENVER_platform_parameters, 5),
		/* Xen's errno numbering matches Linux's for these. */
		NUM(XEN_EPERM, 1), NUM(XEN_ENOENT, 2), NUM(XEN_ESRCH, 3),
		NUM(XEN_EAGAIN, 11), NUM(XEN_ENOMEM, 12), NUM(XEN_EACCES, 13),
		NUM(XEN_EFAULT, 14), NUM(XEN_EBUSY, 16), NUM(XEN_EEXIST, 17),
		NUM(XEN_ENODEV, 19), NUM(XEN_EINVAL, 22), NUM(XEN_ENOSPC, 28),
		NUM(XEN_ENOSYS, 38), NUM(XEN_ETIME, 62), NUM(XEN_EOPNOTSUPP, 95),
		NUM(XEN_ENOBUFS, 105),
	};
	(void)state;
	check(f, sizeof(f) / sizeof(f[0]));
}

static void test_evtchn_sched_vcpu(void **state)
{
	static const struct fact f[] = {
		NUM(EVTCHNOP_bind_interdomain, 0), NUM(EVTCHNOP_bind_virq, 1),
		NUM(EVTCHNOP_close, 3), NUM(EVTCHNOP_send, 4),
		NUM(EVTCHNOP_status, 5), NUM(EVTCHNOP_alloc_unbound, 6),
		NUM(EVTCHNOP_bind_ipi, 7), NUM(EVTCHNOP_bind_vcpu, 8),
		NUM(EVTCHNOP_unmask, 9), NUM(EVTCHNOP_init_control, 11),
		NUM(EVTCHNOP_expand_array, 12), NUM(EVTCHNOP_set_priority, 13),
		NUM(EVTCHNSTAT_ipi, 5), NUM(EVTCHN_FIFO_PENDING, 31),
		NUM(EVTCHN_FIFO_MASKED, 30), NUM(EVTCHN_FIFO_LINKED, 29),
		NUM(EVTCHN_FIFO_BUSY, 28), NUM(EVTCHN_FIFO_NR_CHANNELS, 131072),
		SZ(evtchn_alloc_unbound, 8), OFF(evtchn_alloc_unbound, remote_dom, 2),
		OFF(evtchn_alloc_unbound, port, 4),
		SZ(evtchn_bind_interdomain, 12),
		OFF(evtchn_bind_interdomain, remote_port, 4),
		OFF(evtchn_bind_interdomain, local_port, 8),
		SZ(evtchn_bind_virq, 12), SZ(evtchn_bind_ipi, 8),
		SZ(evtchn_status, 24), OFF(evtchn_status, port, 4),
		OFF(evtchn_status, status, 8), OFF(evtchn_status, vcpu, 12),
		OFF(evtchn_status, u, 16), SZ(evtchn_init_control, 24),
		OFF(evtchn_init_control, offset, 8), OFF(evtchn_init_control, vcpu, 12),
		OFF(evtchn_init_control, link_bits, 16),
		SZ(evtchn_fifo_control_block, 72),
		NUM(SCHEDOP_yield, 0), NUM(SCHEDOP_block, 1), NUM(SCHEDOP_shutdown, 2),
		NUM(SCHEDOP_poll, 3), NUM(SCHEDOP_pin_override, 7),
		NUM(SHUTDOWN_poweroff, 0), NUM(SHUTDOWN_reboot, 1),
		NUM(SHUTDOWN_suspend, 2), NUM(SHUTDOWN_crash, 3),
		NUM(SHUTDOWN_watchdog, 4),
		SZ(sched_shutdown, 4), SZ(sched_poll, 24), OFF(sched_poll, nr_ports, 8),
		OFF(sched_poll, timeout, 16),
		NUM(VCPUOP_initialise, 0), NUM(VCPUOP_up, 1), NUM(VCPUOP_is_up, 3),
		NUM(VCPUOP_register_runstate_memory_area, 5),
		NUM(VCPUOP_stop_periodic_timer, 7),
		NUM(VCPUOP_set_singleshot_timer, 8),
		NUM(VCPUOP_register_vcpu_info, 10),
		NUM(VCPUOP_register_vcpu_time_memory_area, 13),
		SZ(vcpu_runstate_info, 48), OFF(vcpu_runstate_info, state_entry_time, 8),
		OFF(vcpu_runstate_info, time, 16),
		SZ(vcpu_register_vcpu_info, 16), OFF(vcpu_register_vcpu_info, offset, 8),
		SZ(vcpu_set_singleshot_timer, 16),
		OFF(vcpu_set_singleshot_timer, flags, 8),
	};
	(void)state;
	check(f, sizeof(f) / sizeof(f[0]));
}

static void test_memory_grant_misc(void **state)
{
	static const struct fact f[] = {
		NUM(XENMEM_decrease_reservation, 1), NUM(XENMEM_maximum_reservation, 4),
		NUM(XENMEM_populate_physmap, 6), NUM(XENMEM_memory_map, 9),
		NUM(XENMEM_machine_memory_map, 10), NUM(XENMEM_exchange, 11),
		NUM(XENMEM_machphys_mapping, 12), NUM(XENMEM_acquire_resource, 28),
		SZ(xen_memory_reservation, 32),
		OFF(xen_memory_reservation, nr_extents, 8),
		OFF(xen_memory_reservation, extent_order, 16),
		OFF(xen_memory_reservation, mem_flags, 20),
		OFF(xen_memory_reservation, domid, 24),
		SZ(xen_memory_exchange, 72), OFF(xen_memory_exchange, out, 32),
		OFF(xen_memory_exchange, nr_exchanged, 64),
		SZ(xen_memory_map, 16), OFF(xen_memory_map, buffer, 8),
		SZ(e820_entry, 20), SZ(xen_machphys_mapping, 24),
		SZ(xen_mem_acquire_resource, 32),
		OFF(xen_mem_acquire_resource, nr_frames, 8),
		OFF(xen_mem_acquire_resource, frame, 16),
		NUM(GNTTABOP_map_grant_ref, 0), NUM(GNTTABOP_setup_table, 2),
		NUM(GNTTABOP_copy, 5), NUM(GNTTABOP_query_size, 6),
		NUM(GNTTABOP_set_version, 8), NUM(GNTTABOP_get_status_frames, 9),
		NUM(GNTMAP_host_map, 2), NUM(GNTMAP_readonly, 4),
		NUM(GNTMAP_contains_pte, 16), NUM(GTF_permit_access, 1),
		NUM(GTF_readonly, 4), NUM(GTF_reading, 8), NUM(GTF_writing, 16),
		NUM(GTF_sub_page, 256), NUM(GNTST_bad_gntref, (uint64_t)-3),
		NUM(GNTST_eagain, (uint64_t)-12), NUM(GNTST_no_space, (uint64_t)-13),
		SZ(grant_entry_v1, 8), OFF(grant_entry_v1, frame, 4),
		{ "sizeof grant_entry_v2", sizeof(union grant_entry_v2), 16 },
		SZ(gnttab_map_grant_ref, 32), OFF(gnttab_map_grant_ref, ref, 12),
		OFF(gnttab_map_grant_ref, dom, 16), OFF(gnttab_map_grant_ref, status, 18),
		OFF(gnttab_map_grant_ref, handle, 20),
		OFF(gnttab_map_grant_ref, dev_bus_addr, 24),
		SZ(gnttab_unmap_grant_ref, 24), SZ(gnttab_setup_table, 24),
		SZ(gnttab_copy, 40), OFF(gnttab_copy, source.domid, 8),
		OFF(gnttab_copy, source.offset, 10), OFF(gnttab_copy, dest, 16),
		OFF(gnttab_copy, len, 32), OFF(gnttab_copy, flags, 34),
		OFF(gnttab_copy, status, 36), SZ(gnttab_query_size, 16),
		SZ(gnttab_get_status_frames, 16),
		NUM(PHYSDEVOP_set_iopl, 6), NUM(PHYSDEVOP_set_iobitmap, 7),
		NUM(PHYSDEVOP_map_pirq, 13), NUM(PHYSDEVOP_setup_gsi, 21),
		NUM(PHYSDEVOP_pci_device_add, 25), NUM(PHYSDEVOP_pirq_eoi_gmfn_v2, 28),
		SZ(physdev_set_iopl, 4), SZ(physdev_set_iobitmap, 16),
		NUM(XENPF_settime32, 17), NUM(XENPF_firmware_info, 50),
		NUM(XENPF_set_processor_pminfo, 54), NUM(XENPF_get_cpuinfo, 55),
		NUM(XENPF_settime64, 62), NUM(XENPF_INTERFACE_VERSION, 0x03000001),
		SZ(xen_platform_op, 136), OFF(xen_platform_op, u, 8),
		SZ(xen_feature_info, 8),
	};
	(void)state;
	check(f, sizeof(f) / sizeof(f[0]));
}

/* Xen 4.17's domctl, interface version 0x15 */
static void test_domctl(void **state)
{
	static const struct fact f[] = {
		NUM(XEN_DOMCTL_INTERFACE_VERSION, 0x15), NUM(XEN_DOMCTL_createdomain, 1),
		NUM(XEN_DOMCTL_getdomaininfo, 5), NUM(XEN_DOMCTL_max_mem, 11),
		NUM(XEN_DOMCTL_max_vcpus, 15),
		SZ(xen_domctl, 144), OFF(xen_domctl, interface_version, 4),
		OFF(xen_domctl, domain, 8), OFF(xen_domctl, u, 16),
		SZ(xen_domctl_createdomain, 64), OFF(xen_domctl_createdomain, handle, 4),
		OFF(xen_domctl_createdomain, flags, 20), OFF(xen_domctl_createdomain, max_vcpus, 28),
		OFF(xen_domctl_createdomain, grant_opts, 44), OFF(xen_domctl_createdomain, cpupool_id, 52),
		OFF(xen_domctl_createdomain, arch, 56),
		SZ(xen_domctl_getdomaininfo, 112), OFF(xen_domctl_getdomaininfo, flags, 4),
		OFF(xen_domctl_getdomaininfo, tot_pages, 8),
		OFF(xen_domctl_getdomaininfo, shared_info_frame, 48),
		OFF(xen_domctl_getdomaininfo, nr_online_vcpus, 64),
		OFF(xen_domctl_getdomaininfo, handle, 76), OFF(xen_domctl_getdomaininfo, cpupool, 92),
		OFF(xen_domctl_getdomaininfo, gpaddr_bits, 96),
		OFF(xen_domctl_getdomaininfo, arch_config, 104),
		NUM(XEN_SYSCTL_INTERFACE_VERSION, 0x15), NUM(XEN_SYSCTL_physinfo, 3),
		SZ(xen_sysctl, 136), OFF(xen_sysctl, u, 8), SZ(xen_sysctl_physinfo, 112),
		OFF(xen_sysctl_physinfo, total_pages, 40), OFF(xen_sysctl_physinfo, free_pages, 48),
		OFF(xen_sysctl_physinfo, max_mfn, 72), OFF(xen_sysctl_physinfo, hw_cap, 80),
	};
	(void)state;
	check(f, sizeof(f) / sizeof(f[0]));
}

/* The domctls and sysctls of limits, scheduling, permissions, console, pools (Xen 4.17) */
static void test_ctl_more(void **state)
{
	static const struct fact f[] = {
		NUM(XEN_DOMCTL_scheduler_op, 16), NUM(XEN_DOMCTL_setdomainhandle, 17),
		NUM(XEN_DOMCTL_irq_permission, 19), NUM(XEN_DOMCTL_iomem_permission, 20),
		NUM(XEN_DOMCTL_ioport_permission, 21), NUM(XEN_DOMCTL_hypercall_init, 22),
		NUM(XEN_DOMCTL_settimeoffset, 24), NUM(XEN_DOMCTL_resumedomain, 27),
		NUM(XEN_DOMCTL_set_address_size, 35), NUM(XEN_DOMCTL_get_address_size, 36),
		NUM(XEN_DOMCTL_getpageframeinfo3, 61), NUM(XEN_SCHEDULER_CREDIT, 5),
		NUM(XEN_DOMCTL_SCHEDOP_putinfo, 0), NUM(XEN_DOMCTL_SCHEDOP_getinfo, 1),
		NUM(XEN_DOMCTL_PFINFO_L1TAB, 0x10000000), NUM(XEN_DOMCTL_PFINFO_LPINTAB, 0x80000000),
		NUM(XEN_DOMCTL_PFINFO_XTAB, 0xf0000000),
		SZ(xen_domctl_scheduler_op, 24), OFF(xen_domctl_scheduler_op, u, 8),
		SZ(xen_domctl_setdomainhandle, 16), SZ(xen_domctl_settimeoffset, 8),
		SZ(xen_domctl_address_size, 4), SZ(xen_domctl_irq_permission, 8),
		SZ(xen_domctl_iomem_permission, 24), OFF(xen_domctl_iomem_permission, allow_access, 16),
		SZ(xen_domctl_ioport_permission, 12), SZ(xen_domctl_hypercall_init, 8),
		SZ(xen_domctl_getpageframeinfo3, 16), OFF(xen_domctl_getpageframeinfo3, array, 8),
		NUM(XEN_SYSCTL_readconsole, 1), NUM(XEN_SYSCTL_sched_id, 4),
		NUM(XEN_SYSCTL_getdomaininfolist, 6), NUM(XEN_SYSCTL_getcpuinfo, 8),
		NUM(XEN_SYSCTL_debug_keys, 7), SZ(xen_sysctl_debug_keys, 16),
		OFF(xen_sysctl_debug_keys, nr_keys, 8),
		NUM(XEN_SYSCTL_cputopoinfo, 16), NUM(XEN_SYSCTL_numainfo, 17), NUM(XEN_SYSCTL_cpupool_op, 18),
		NUM(XEN_SYSCTL_CPUPOOL_OP_INFO, 3), NUM(XEN_SYSCTL_CPUPOOL_OP_FREEINFO, 7),
		SZ(xen_sysctl_readconsole, 24), OFF(xen_sysctl_readconsole, index, 4),
		OFF(xen_sysctl_readconsole, buffer, 8), OFF(xen_sysctl_readconsole, count, 16),
		SZ(xen_sysctl_getdomaininfolist, 24), OFF(xen_sysctl_getdomaininfolist, max_domains, 4),
		OFF(xen_sysctl_getdomaininfolist, buffer, 8), OFF(xen_sysctl_getdomaininfolist, num_domains, 16),
		SZ(xen_sysctl_getcpuinfo, 24), OFF(xen_sysctl_getcpuinfo, info, 8),
		OFF(xen_sysctl_getcpuinfo, nr_cpus, 16), SZ(xen_sysctl_cputopoinfo, 16),
		OFF(xen_sysctl_cputopoinfo, cputopo, 8), SZ(xen_sysctl_cputopo, 12),
		SZ(xen_sysctl_numainfo, 24), OFF(xen_sysctl_numainfo, meminfo, 8),
		OFF(xen_sysctl_numainfo, distance, 16), SZ(xen_sysctl_meminfo, 16),
		SZ(xen_sysctl_cpupool_op, 40), OFF(xen_sysctl_cpupool_op, cpumap, 24),
		SZ(xenctl_bitmap, 16), OFF(xenctl_bitmap, nr_bits, 8),
		NUM(XEN_DOMCTL_gettscinfo, 59), NUM(XEN_DOMCTL_settscinfo, 60),
		NUM(XEN_DOMCTL_setnodeaffinity, 68), NUM(XEN_DOMCTL_getnodeaffinity, 69),
		NUM(XEN_DOMCTL_get_cpu_policy, 82), NUM(XEN_DOMCTL_set_cpu_policy, 83),
		NUM(XEN_SYSCTL_get_cpu_policy, 29), NUM(XEN_CPUID_NO_SUBLEAF, 0xffffffff),
		NUM(XEN_SYSCTL_get_cpu_featureset, 26), SZ(xen_sysctl_cpu_featureset, 16),
		OFF(xen_sysctl_cpu_featureset, features, 8),
		SZ(xen_domctl_tsc_info, 24), OFF(xen_domctl_tsc_info, elapsed_nsec, 16),
		SZ(xen_domctl_nodeaffinity, 16),
		SZ(xen_domctl_cpu_policy, 40), OFF(xen_domctl_cpu_policy, leaves, 8),
		OFF(xen_domctl_cpu_policy, msrs, 16), OFF(xen_domctl_cpu_policy, err_leaf, 24),
		OFF(xen_domctl_cpu_policy, err_msr, 32),
		SZ(xen_sysctl_cpu_policy, 32), OFF(xen_sysctl_cpu_policy, leaves, 16),
		OFF(xen_sysctl_cpu_policy, msrs, 24), SZ(xen_cpuid_leaf, 24), SZ(xen_msr_entry, 16),
	};
	(void)state;
	check(f, sizeof(f) / sizeof(f[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_info),
		cmocka_unit_test(test_shared_info),
		cmocka_unit_test(test_core_hypercalls),
		cmocka_unit_test(test_constants),
		cmocka_unit_test(test_evtchn_sched_vcpu),
		cmocka_unit_test(test_memory_grant_misc),
		cmocka_unit_test(test_domctl),
		cmocka_unit_test(test_ctl_more),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
