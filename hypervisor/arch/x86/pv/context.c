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

#define MSR_FS_BASE          0xC0000100
#define MSR_GS_BASE          0xC0000101
#define MSR_SHADOW_GS_BASE   0xC0000102

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
	uint64_t gs = rdmsr(MSR_GS_BASE), shadow = rdmsr(MSR_SHADOW_GS_BASE);

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
	wrmsr(MSR_SHADOW_GS_BASE, a->in_kernel ? a->gs_base_user : a->gs_base_kernel);
}

/* ---- switching ----------------------------------------------------- */

extern uint64_t boot_l4[512];

void arch_context_switch(struct vcpu *prev, struct vcpu *next)
{
	struct cpu_regs *frame = guest_regs();

	if (prev)
		pv_debugregs_switch_out(prev);   /* whatever becomes of prev: its breakpoints go */
	if (prev && prev->domain->state == DOMAIN_RUNNING) {
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
}

void arch_vcpu_time_update(struct vcpu *v)
{
	pv_update_vcpu_time(v);
}

/* With the big lock held; drops it on the way out. */
void arch_enter_current_guest(void)
{
	struct cpu_regs *frame = guest_regs();

	pv_exit_to_guest(frame);
	big_lock_release();
	enter_guest(frame);
}

/* ---- VCPUOP_initialise --------------------------------------------- */

bool arch_vcpu_initialised(struct vcpu *v)
{
	return av(v)->kernel_l4 != INVALID_MFN;
}

/*
 * The context's addresses, before any is stored (as Xen's
 * arch_set_info_guest): the segment bases are WRMSR'd at every switch to
 * the vCPU, where a non-canonical one would #GP in the hypervisor; the code
 * addresses follow set_trap_table's and set_callbacks' rules; the stacks
 * must at least be canonical.
 */
static bool context_addresses_ok(const struct vcpu_guest_context *c)
{
	if (!is_canonical(c->fs_base) || !is_canonical(c->gs_base_kernel) ||
	    !is_canonical(c->gs_base_user) || !is_canonical(c->user_regs.rsp) ||
	    !is_canonical(c->kernel_sp))
		return false;
	if (!guest_range_ok(c->user_regs.rip, 1) || !guest_range_ok(c->event_callback_eip, 1) ||
	    !guest_range_ok(c->failsafe_callback_eip, 1) || !guest_range_ok(c->syscall_callback_eip, 1))
		return false;
	for (unsigned i = 0; i < 256; i++)
		if (c->trap_ctxt[i].address && !guest_range_ok(c->trap_ctxt[i].address, 1))
			return false;
	return true;
}

int arch_vcpu_initialise(struct vcpu *v, uint64_t arg)
{
	struct vcpu_guest_context *c;
	struct arch_vcpu *a = av(v);
	mfn_t l4;
	int rc;

	/*
	 * Once only, as Xen (-EEXIST even while the vCPU is down): so no old
	 * L4 is ever dropped here, which for a big tree's last reference would
	 * be a long devalidation this hypercall could not continue.
	 */
	if (arch_vcpu_initialised(v))
		return -XEN_EEXIST;
	/* 5 KiB: too big for our stack, so a scratch page */
	c = xzalloc_bytes(sizeof(*c));
	if (!c)
		return -XEN_ENOMEM;
	rc = -XEN_EFAULT;
	if (copy_from_guest(c, arg, sizeof(*c)))
		goto out;
	rc = -XEN_EINVAL;
	l4 = c->ctrlreg[3] >> FRAME_SHIFT;
	/*
	 * A validated L4 only (Linux pins it first): a partial one must not be
	 * loaded, and validating here could not be continued. kernel_l4 holds
	 * a general and an L4 reference, like NEW_BASEPTR's.
	 */
	if (!mfn_owned_by(l4, v->domain->domain_id) || pv_table_level(l4) != 4)
		goto out;
	if (!context_addresses_ok(c))
		goto out;
	rc = get_page_and_type(v->domain, l4, PGT_l4);
	if (rc)
		goto out;
	rc = pv_set_gdt(v, c->gdt_frames, c->gdt_ents);
	if (rc) {
		put_page_and_type(l4);
		goto out;
	}
	if (c->ldt_ents) {
		/* SET_LDT's rules, on the tables this vCPU will start on */
		a->kernel_l4 = l4;
		a->in_kernel = true;
		rc = pv_set_ldt(v, c->ldt_base, c->ldt_ents);
		if (rc) {
			a->kernel_l4 = INVALID_MFN;   /* not initialised after all */
			pv_set_gdt(v, NULL, 0);
			put_page_and_type(l4);
			goto out;
		}
	}
	for (unsigned i = 0; i < 256; i++) {
		a->traps[i] = c->trap_ctxt[i];
		a->traps[i].vector = (uint8_t)i;
		a->traps[i].cs |= 3;
	}
	a->regs.rip = c->user_regs.rip;
	a->regs.rsp = c->user_regs.rsp;
	a->regs.rflags = (c->user_regs.rflags & ~(3ULL << 12)) | (1u << 9);
	a->regs.rax = c->user_regs.rax;
	a->regs.rbx = c->user_regs.rbx;
	a->regs.rcx = c->user_regs.rcx;
	a->regs.rdx = c->user_regs.rdx;
	a->regs.rsi = c->user_regs.rsi;
	a->regs.rdi = c->user_regs.rdi;
	a->regs.rbp = c->user_regs.rbp;
	a->regs.r8 = c->user_regs.r8;
	a->regs.r9 = c->user_regs.r9;
	a->regs.r10 = c->user_regs.r10;
	a->regs.r11 = c->user_regs.r11;
	a->regs.r12 = c->user_regs.r12;
	a->regs.r13 = c->user_regs.r13;
	a->regs.r14 = c->user_regs.r14;
	a->regs.r15 = c->user_regs.r15;
	a->regs.cs = (c->user_regs.cs | 3);
	a->regs.ss = (c->user_regs.ss | 3);
	if (!a->regs.cs || (a->regs.cs >> 3) == 0)
		a->regs.cs = SEL_RING3_CS64;
	a->iopl = (c->user_regs.rflags >> 12) & 3;   /* Linux passes its IOPL here */
	a->kernel_ss = c->kernel_ss | 3;
	a->kernel_sp = c->kernel_sp;
	a->event_cb.address = c->event_callback_eip;
	a->event_cb.mask_events = true;
	a->failsafe_cb.address = c->failsafe_callback_eip;
	a->failsafe_cb.mask_events = c->flags & VGCF_failsafe_disables_events;
	a->syscall_cb.address = c->syscall_callback_eip;
	a->syscall_cb.mask_events = c->flags & VGCF_syscall_disables_events;
	a->fs_base = c->fs_base;
	a->gs_base_kernel = c->gs_base_kernel;
	a->gs_base_user = c->gs_base_user;
	a->in_kernel = true;
	a->kernel_l4 = l4;
	a->user_l4 = INVALID_MFN;
	pv_fpu_reset(v);
	rc = 0;
out:
	xfree_bytes(c, sizeof(*c));
	return rc;
}
