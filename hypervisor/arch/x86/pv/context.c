/*
 * Switching a CPU between PV vCPUs, and the state that goes with it:
 * registers (the frame at the top of the stack), segment selectors and
 * bases, page tables, GDT, debug registers, and the FPU.
 *
 * The FPU is restored lazily and saved eagerly (with XSAVE or FXSAVE:
 * xstate.c). A vCPU's state is loaded
 * only when it touches the FPU (#NM with CR0.TS set), so a vCPU that never
 * uses it costs nothing; but it is saved whenever the vCPU leaves a CPU, so
 * that its saved copy is always current and it may resume on any CPU. A CPU
 * skips the restore when its registers still hold the vCPU's state: its
 * fpu_owner is the vCPU and the vCPU's fpu_cpu is this CPU (had the vCPU
 * used the FPU elsewhere since, fpu_cpu would name that CPU). The guest's
 * own XCR0 is loaded whenever it runs, so its XGETBV and AVX behave as
 * it set them.
 *
 * next == NULL switches the CPU to idle: the hypervisor's own page tables
 * and GDT. Then no idle CPU holds a guest's translations (TLB shoot-downs
 * skip it) or its unsaved state (another CPU may run the vCPU at once).
 */
#include <arch.h>
#include <console.h>
#include <guest_access.h>
#include <page.h>
#include <sched.h>
#include <biglock.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/pv.h>
#include <asm/smp.h>
#include <asm/x86.h>
#include <asm/xstate.h>
#include <public/errno.h>
#include "mm.h"

struct vcpu *current_vcpu(void)
{
	return get_cpu_info()->current;
}

void set_current_vcpu(struct vcpu *v)
{
	get_cpu_info()->current = v;
}

/* ---- lazy FPU ------------------------------------------------------ */

/* A new vCPU, and at its VCPUOP_initialise: reset FPU state, loaded nowhere. */
void pv_fpu_reset(struct vcpu *v)
{
	xstate_area_reset(av(v)->fpu_area);
	av(v)->fpu_cpu = FPU_CPU_NONE;
}

/*
 * #NM from the guest: give it the FPU. If the guest itself had set its
 * virtual CR0.TS, it then gets the #NM (and TS clears, as on Xen).
 */
static bool fpu_loaded_here(struct vcpu *v)
{
	struct cpu_info *ci = get_cpu_info();

	return ci->fpu_owner == v && av(v)->fpu_cpu == ci->cpu_id;
}

void pv_fpu_claim(struct vcpu *v)
{
	struct cpu_info *ci = get_cpu_info();

	__asm__ volatile("clts");
	if (!fpu_loaded_here(v)) {
		/* the previous owner's state was saved when it left this CPU */
		if (!xstate_restore(av(v)->fpu_area))
			log_warn("d%uv%u: the CPU refused its saved FPU image; its FPU state was reset\n",
				 v->domain->domain_id, v->vcpu_id);
		ci->fpu_owner = v;
		av(v)->fpu_cpu = ci->cpu_id;
	}
	if (av(v)->fpu_ts) {
		av(v)->fpu_ts = false;
		pv_inject_exception(v, TRAP_no_device, -1, 0);
	}
}

static void set_ts(bool on)
{
	if (on)
		__asm__ volatile("mov %%cr0, %%rax; or $8, %%rax; mov %%rax, %%cr0" ::: "rax");
	else
		__asm__ volatile("clts");
}

/* CR0.TS is set whenever the next FPU instruction must come to us. */
void pv_fpu_sync_ts(struct vcpu *v)
{
	set_ts(!fpu_loaded_here(v) || av(v)->fpu_ts);
}

/* ---- segments ------------------------------------------------------ */

static void save_segments(struct vcpu *v)
{
	struct arch_vcpu *a = av(v);
	uint64_t gs = rdmsr(MSR_GS_BASE), shadow = rdmsr(MSR_KERNEL_GS_BASE);

	__asm__ volatile("mov %%ds, %0" : "=r"(a->sel_ds));
	__asm__ volatile("mov %%es, %0" : "=r"(a->sel_es));
	__asm__ volatile("mov %%fs, %0" : "=r"(a->sel_fs));
	__asm__ volatile("mov %%gs, %0" : "=r"(a->sel_gs));
	a->fs_base = rdmsr(MSR_FS_BASE);
	a->gs_base_kernel = a->in_kernel ? gs : shadow;
	a->gs_base_user = a->in_kernel ? shadow : gs;
}

static void load_segments(struct vcpu *v)
{
	struct arch_vcpu *a = av(v);

	/* a selector the guest's GDT no longer backs becomes null, as on Xen */
	if (load_selector_safe(0, a->sel_ds))
		load_selector_safe(0, 0);
	if (load_selector_safe(1, a->sel_es))
		load_selector_safe(1, 0);
	if (load_selector_safe(2, a->sel_fs))
		load_selector_safe(2, 0);
	if (load_selector_safe(3, a->sel_gs))
		load_selector_safe(3, 0);
	/* loading FS/GS selectors reset the bases: restore them after */
	wrmsr(MSR_FS_BASE, a->fs_base);
	wrmsr(MSR_GS_BASE, a->in_kernel ? a->gs_base_kernel : a->gs_base_user);
	wrmsr(MSR_KERNEL_GS_BASE, a->in_kernel ? a->gs_base_user : a->gs_base_kernel);
}

/* ---- switching ----------------------------------------------------- */

extern uint64_t boot_l4[512];

void arch_context_switch(struct vcpu *prev, struct vcpu *next)
{
	struct cpu_regs *frame = guest_regs();

	if (prev)
		pv_debugregs_switch_out(prev);   /* whatever becomes of prev: its breakpoints go */
	/*
	 * Saved whatever the domain's state: one shut down for suspend is
	 * resumed from here, and getvcpucontext of a stopped one reads it.
	 */
	if (prev) {
		av(prev)->regs = *frame;
		save_segments(prev);
		if (fpu_loaded_here(prev) && av(prev)->fpu_area) {
			__asm__ volatile("clts");
			xstate_save(av(prev)->fpu_area);
		}
	}
	if (!next) {
		pv_load_ldt(NULL);
		gdt_load(get_cpu_info()->gdt);
		tlb_write_cr3(virt_to_phys(boot_l4));
		set_ts(true);
		return;
	}
	*frame = av(next)->regs;
	xstate_load_xcr0(av(next)->xcr0);
	gdt_load(av(next)->gdt);
	pv_load_ldt(next);   /* before load_segments: FS/GS may name LDT slots */
	tlb_write_cr3((av(next)->in_kernel ? av(next)->kernel_l4 : av(next)->user_l4) << FRAME_SHIFT);
	load_segments(next);
	pv_debugregs_switch_in(next);
	pv_fpu_sync_ts(next);
	pv_update_vcpu_time(next);
	pv_write_time_area(next);   /* next's tables are loaded */
}

void arch_vcpu_time_update(struct vcpu *v)
{
	pv_update_vcpu_time(v);
	if (v == current_vcpu())
		pv_write_time_area(v);
}

/* With the big lock held; drops it on the way out. */
void arch_enter_current_guest(void)
{
	struct cpu_regs *frame = guest_regs();

	pv_exit_to_guest(frame);
	big_lock_release();
	enter_guest(frame);
}
