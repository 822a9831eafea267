/*
 * Guest kernel mode and guest user mode. Both run in ring 3; what differs is
 * the top-level page table (the user one has no kernel mappings) and which
 * GS base is active. While the guest runs, MSR_GS_BASE holds the active base
 * and MSR_SHADOW_GS_BASE the other, so a mode switch is one SWAPGS.
 */
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/pv.h>
#include <asm/smp.h>
#include <asm/x86.h>
#include <sched.h>

HOT_PATH void pv_toggle_guest_mode(struct vcpu *v)
{
	struct arch_vcpu *a = av(v);

	a->in_kernel = !a->in_kernel;
	__asm__ volatile("swapgs");
	tlb_write_cr3((a->in_kernel ? a->kernel_l4 : a->user_l4) << FRAME_SHIFT);
	if (a->in_kernel && v->runstate_pending)
		sched_runstate_kernel_entry(v);   /* the kernel's tables now map the area */
}
