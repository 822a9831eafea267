/*
 * A PV vCPU's whole starting state (struct vcpu_guest_context): set by
 * VCPUOP_initialise (the guest, for its own vCPUs) and by
 * XEN_DOMCTL_setvcpucontext (the toolstack), read by getvcpucontext.
 *
 * Setting is two steps shared by both callers: arch_vcpu_context_check
 * looks at the copy and at the domain and changes nothing; then
 * arch_vcpu_context_apply, which cannot fail, takes the references the
 * check showed available (under the big lock nothing changes in between)
 * and stores the rest. A refused context leaves the vCPU as it was.
 *
 * Xen 4.17's rules (arch_set_info_guest), with one difference: CR3 (and
 * ctrlreg[1], the user-mode L4) must name an L4 of the domain that is
 * already validated, pinned or in use. Xen validates an unpinned one here
 * (preemptibly); a builder pins first (MMUEXT_PIN_L4_TABLE, naming the
 * domain), as Xen's libxenguest does, so nothing it does is refused.
 */
#include <arch.h>
#include <console.h>
#include <guest_access.h>
#include <page.h>
#include <asm/desc.h>
#include <asm/pv.h>
#include <asm/x86.h>
#include <asm/xstate.h>
#include <public/errno.h>
#include <public/xen.h>
#include "emulate.h"
#include "mm.h"


/* The VM assists a context may ask for: those vm_assist grants. */
#define VM_ASSIST_VALID ((1ul << VMASST_TYPE_4gb_segments) | (1ul << VMASST_TYPE_4gb_segments_notify) | \
			 (1ul << VMASST_TYPE_writable_pagetables) | (1ul << VMASST_TYPE_pae_extended_cr3) | \
			 (1ul << VMASST_TYPE_architectural_iopl) | (1ul << VMASST_TYPE_runstate_update_flag))

bool arch_vcpu_initialised(struct vcpu *v)
{
	return av(v)->kernel_l4 != INVALID_MFN;
}

/*
 * The context's addresses (as Xen's arch_set_info_guest): the segment
 * bases are WRMSR'd at every switch to the vCPU, where a non-canonical one
 * would #GP in the hypervisor; the code addresses follow set_trap_table's
 * and set_callbacks' rules; the stacks must at least be canonical.
 */
static bool addresses_ok(const struct vcpu_guest_context *c)
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

/* A CR3 value naming an L4 of d that is validated now (ours: pinned or in use). */
static bool validated_l4(struct domain *d, uint64_t cr3)
{
	mfn_t mfn = cr3 >> FRAME_SHIFT;

	return pv_table_level(mfn) == 4 && page_type_available(d, mfn, PGT_l4);
}

static bool debugregs_ok(struct vcpu *v, const struct vcpu_guest_context *c)
{
	static const unsigned regs[] = { 0, 1, 2, 3, 6, 7 };

	for (unsigned i = 0; i < ARRAY_SIZE(regs); i++)
		if (pv_check_debugreg(v, regs[i], c->debugreg[regs[i]]))
			return false;
	return true;
}

static uint64_t user_cr3(const struct arch_vcpu *a)
{
	return a->user_l4 == INVALID_MFN ? 0 : a->user_l4 << FRAME_SHIFT;
}

/*
 * Once initialised, a vCPU keeps its page tables and descriptor tables:
 * a new context may not name others (Xen: -EOPNOTSUPP), so setting it
 * again never has to drop a reference.
 */
static int same_tables(struct vcpu *v, const struct vcpu_guest_context *c)
{
	struct arch_vcpu *a = av(v);

	if (c->ctrlreg[3] >> FRAME_SHIFT != a->kernel_l4 || c->ctrlreg[1] != user_cr3(a))
		return -XEN_EOPNOTSUPP;
	if (a->user_l4 == INVALID_MFN && !(c->flags & VGCF_in_kernel))
		return -XEN_EOPNOTSUPP;
	if (c->gdt_ents != a->gdt_ents || c->ldt_ents != a->ldt_ents)
		return -XEN_EOPNOTSUPP;
	for (unsigned i = 0; i < (a->gdt_ents + 511) / 512; i++)
		if (c->gdt_frames[i] != a->gdt_frames[i])
			return -XEN_EOPNOTSUPP;
	return 0;
}

/* The tables a vCPU that was never initialised will start on. */
static int new_tables_ok(struct vcpu *v, const struct vcpu_guest_context *c)
{
	struct domain *d = v->domain;
	uint64_t start_cr3 = c->flags & VGCF_in_kernel ? c->ctrlreg[3] : c->ctrlreg[1];

	if (!(c->flags & VGCF_in_kernel) && !c->ctrlreg[1])
		return -XEN_EINVAL;   /* user mode with no user tables */
	if (!validated_l4(d, c->ctrlreg[3]) || (c->ctrlreg[1] && !validated_l4(d, c->ctrlreg[1])))
		return -XEN_EINVAL;
	if (c->gdt_ents > FIRST_RESERVED_GDT_ENTRY ||
	    pv_desc_frames_check(d, c->gdt_frames, c->gdt_ents))
		return -XEN_EINVAL;
	/* SET_LDT's rules, on the tables this vCPU will start on */
	if (pv_ldt_check(d, start_cr3 >> FRAME_SHIFT, c->ldt_base, c->ldt_ents))
		return -XEN_EINVAL;
	/*
	 * The one thing a check may leave behind: the vCPU's LDT buffer, which
	 * any LDT it is given later needs too (the guest cannot see it), so
	 * that applying the context cannot run out of memory.
	 */
	if (c->ldt_ents && !av(v)->ldt && !(av(v)->ldt = xzalloc_bytes(LDT_ENTRIES * 8)))
		return -XEN_ENOMEM;
	return 0;
}

int arch_vcpu_context_check(struct vcpu *v, const struct vcpu_guest_context *c)
{
	if (!addresses_ok(c))
		return -XEN_EINVAL;
	if ((c->ldt_base & (FRAME_SIZE - 1)) || c->ldt_ents > LDT_ENTRIES ||
	    (c->ldt_ents && !guest_range_ok(c->ldt_base, c->ldt_ents * 8)))
		return -XEN_EINVAL;
	if (c->vm_assist & ~VM_ASSIST_VALID)
		return -XEN_EINVAL;
	if (!debugregs_ok(v, c))
		return -XEN_EINVAL;
	return arch_vcpu_initialised(v) ? same_tables(v, c) : new_tables_ok(v, c);
}

/* What the check found available becomes the vCPU's: kernel (and user) L4, GDT, LDT. */
static void take_tables(struct vcpu *v, const struct vcpu_guest_context *c)
{
	struct arch_vcpu *a = av(v);
	int rc;

	/* each root holds a general and an L4 reference, like NEW_BASEPTR's */
	rc = get_page_and_type(v->domain, c->ctrlreg[3] >> FRAME_SHIFT, PGT_l4);
	BUG_ON(rc);
	a->kernel_l4 = c->ctrlreg[3] >> FRAME_SHIFT;
	a->user_l4 = INVALID_MFN;
	if (c->ctrlreg[1]) {
		rc = get_page_and_type(v->domain, c->ctrlreg[1] >> FRAME_SHIFT, PGT_l4);
		BUG_ON(rc);
		a->user_l4 = c->ctrlreg[1] >> FRAME_SHIFT;
	}
	a->in_kernel = c->flags & VGCF_in_kernel;
	rc = pv_set_gdt(v, c->gdt_frames, c->gdt_ents);
	BUG_ON(rc);
	rc = pv_set_ldt(v, c->ldt_base, c->ldt_ents);
	BUG_ON(rc);
}

static void set_regs(struct arch_vcpu *a, const struct cpu_user_regs *r)
{
	a->regs = (struct cpu_regs){
		.r15 = r->r15, .r14 = r->r14, .r13 = r->r13, .r12 = r->r12,
		.r11 = r->r11, .r10 = r->r10, .r9 = r->r9, .r8 = r->r8,
		.rbp = r->rbp, .rdi = r->rdi, .rsi = r->rsi, .rdx = r->rdx,
		.rcx = r->rcx, .rbx = r->rbx, .rax = r->rax,
		.rip = r->rip, .rsp = r->rsp,
		/* the guest's IOPL is virtual; real interrupts stay on */
		.rflags = (r->rflags & ~X86_RFLAGS_IOPL) | X86_RFLAGS_IF,
		/* ring 3 whatever the context says (Xen raises the RPL too) */
		.cs = (r->cs >> 3) ? (uint64_t)(r->cs | 3) : SEL_RING3_CS64,
		.ss = (uint64_t)(r->ss | 3),
	};
	a->iopl = (r->rflags >> 12) & 3;   /* Linux passes its IOPL here */
	a->sel_ds = r->ds;
	a->sel_es = r->es;
	a->sel_fs = r->fs;
	a->sel_gs = r->gs;
}

void arch_vcpu_context_apply(struct vcpu *v, const struct vcpu_guest_context *c)
{
	struct arch_vcpu *a = av(v);

	if (!arch_vcpu_initialised(v))
		take_tables(v, c);
	else
		a->in_kernel = c->flags & VGCF_in_kernel;
	for (unsigned i = 0; i < 256; i++) {
		a->traps[i] = c->trap_ctxt[i];
		a->traps[i].vector = (uint8_t)i;
		a->traps[i].cs |= 3;
	}
	set_regs(a, &c->user_regs);
	a->kernel_ss = c->kernel_ss | 3;
	a->kernel_sp = c->kernel_sp;
	a->event_cb.address = c->event_callback_eip;
	a->event_cb.mask_events = true;
	a->failsafe_cb.address = c->failsafe_callback_eip;
	a->failsafe_cb.mask_events = c->flags & VGCF_failsafe_disables_events;
	a->syscall_cb.address = c->syscall_callback_eip;
	a->syscall_cb.mask_events = c->flags & VGCF_syscall_disables_events;
	/* a non-null selector's descriptor sets the base (Xen drops the context's) */
	a->fs_base = (c->user_regs.fs & ~3) ? 0 : c->fs_base;
	a->gs_base_kernel = c->gs_base_kernel;
	a->gs_base_user = (c->user_regs.gs & ~3) ? 0 : c->gs_base_user;
	a->fpu_ts = c->ctrlreg[0] & X86_CR0_TS;
	pv_fpu_reset(v);
	if (c->flags & VGCF_i387_valid)
		xstate_area_set_legacy(a->fpu_area, c->fpu_ctxt);
	for (unsigned i = 0; i < 8; i++)
		if (i != 4 && i != 5)
			pv_set_debugreg(v, i, c->debugreg[i]);
	if (v->vcpu_id == 0 && !a->context_set)
		v->domain->vm_assist = c->vm_assist;
	a->context_set = true;
}

bool arch_vcpu_context_set(struct vcpu *v)
{
	return av(v)->context_set || arch_vcpu_initialised(v);   /* the initial domain's vCPU 0 too */
}

static void get_regs(const struct arch_vcpu *a, struct cpu_user_regs *r)
{
	const struct cpu_regs *f = &a->regs;

	r->r15 = f->r15, r->r14 = f->r14, r->r13 = f->r13, r->r12 = f->r12;
	r->r11 = f->r11, r->r10 = f->r10, r->r9 = f->r9, r->r8 = f->r8;
	r->rbp = f->rbp, r->rdi = f->rdi, r->rsi = f->rsi, r->rdx = f->rdx;
	r->rcx = f->rcx, r->rbx = f->rbx, r->rax = f->rax;
	r->rip = f->rip, r->rsp = f->rsp;
	r->cs = (uint16_t)f->cs, r->ss = (uint16_t)f->ss;
	r->rflags = f->rflags | ((uint64_t)a->iopl << 12);
	r->ds = a->sel_ds, r->es = a->sel_es, r->fs = a->sel_fs, r->gs = a->sel_gs;
}

/* v is not on any CPU (its saved state is complete). */
void arch_vcpu_context_get(struct vcpu *v, struct vcpu_guest_context *c)
{
	struct arch_vcpu *a = av(v);
	unsigned nr_gdt = (a->gdt_ents + 511) / 512;

	memset(c, 0, sizeof(*c));
	xstate_area_get_legacy(a->fpu_area, c->fpu_ctxt);
	c->flags = VGCF_i387_valid;
	if (a->in_kernel)
		c->flags |= VGCF_in_kernel;
	if (v->online)
		c->flags |= VGCF_online;
	if (a->failsafe_cb.mask_events)
		c->flags |= VGCF_failsafe_disables_events;
	if (a->syscall_cb.mask_events)
		c->flags |= VGCF_syscall_disables_events;
	get_regs(a, &c->user_regs);
	memcpy(c->trap_ctxt, a->traps, sizeof(c->trap_ctxt));
	c->ldt_base = a->ldt_base;
	c->ldt_ents = a->ldt_ents;
	for (unsigned i = 0; i < nr_gdt; i++)
		c->gdt_frames[i] = a->gdt_frames[i];
	c->gdt_ents = a->gdt_ents;
	c->kernel_ss = a->kernel_ss;
	c->kernel_sp = a->kernel_sp;
	c->ctrlreg[0] = a->fpu_ts ? X86_CR0_TS : 0;
	c->ctrlreg[3] = arch_vcpu_initialised(v) ? a->kernel_l4 << FRAME_SHIFT : 0;
	c->ctrlreg[1] = user_cr3(a);
	c->ctrlreg[4] = a->cr4;
	for (unsigned i = 0; i < 8; i++)
		c->debugreg[i] = i == 4 || i == 5 ? 0 : pv_get_debugreg(v, i);
	c->event_callback_eip = a->event_cb.address;
	c->failsafe_callback_eip = a->failsafe_cb.address;
	c->syscall_callback_eip = a->syscall_cb.address;
	c->vm_assist = v->domain->vm_assist;
	c->fs_base = a->fs_base;
	c->gs_base_kernel = a->gs_base_kernel;
	c->gs_base_user = a->gs_base_user;
}

/* VCPUOP_initialise: the context in the guest's memory, for a vCPU never initialised. */
int arch_vcpu_initialise(struct vcpu *v, uint64_t arg)
{
	struct vcpu_guest_context *c;
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
	rc = copy_from_guest(c, arg, sizeof(*c)) ? -XEN_EFAULT : arch_vcpu_context_check(v, c);
	if (!rc)
		arch_vcpu_context_apply(v, c);
	xfree_bytes(c, sizeof(*c));
	return rc;
}
