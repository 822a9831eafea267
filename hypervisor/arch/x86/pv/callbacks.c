/*
 * Hypercalls that register how the guest wants to be entered and that
 * switch its per-vCPU execution state: set_trap_table, set_callbacks,
 * callback_op, stack_switch, set_segment_base, fpu_taskswitch, debug
 * registers, and the iret hypercall.
 */
#include <console.h>
#include <guest_access.h>
#include <hypercall.h>
#include <asm/desc.h>
#include <asm/pv.h>
#include <asm/x86.h>
#include "emulate.h"
#include <public/callback.h>
#include <public/errno.h>

#define TRAP_TABLE_BATCH     16

/* A guest code address: canonical and not in the hypervisor's hole. */
static bool guest_code_ok(uint64_t va)
{
	return guest_range_ok(va, 1);
}

/*
 * set_trap_table(table): entries up to one whose address is 0; NULL clears
 * the whole table. Entries are checked before any is stored, batch by batch:
 * a bad entry fails the call with the earlier batches applied, as on Xen.
 */
int64_t do_set_trap_table(struct vcpu *v, const uint64_t args[6])
{
	struct arch_vcpu *a = av(v);
	uint64_t table = args[0];
	struct trap_info batch[TRAP_TABLE_BATCH];

	if (!table) {
		memset(a->traps, 0, sizeof(a->traps));
		return 0;
	}
	for (unsigned done = 0; done < 256 * 2; done += TRAP_TABLE_BATCH) {
		if (copy_from_guest(batch, table + done * sizeof(batch[0]), sizeof(batch)))
			return -XEN_EFAULT;
		for (unsigned i = 0; i < TRAP_TABLE_BATCH; i++) {
			if (!batch[i].address)
				goto store_last;
			if (!guest_code_ok(batch[i].address))
				return -XEN_EINVAL;
		}
		for (unsigned i = 0; i < TRAP_TABLE_BATCH; i++) {
			a->traps[batch[i].vector] = batch[i];
			a->traps[batch[i].vector].cs |= 3;
		}
		continue;
store_last:
		for (unsigned i = 0; i < TRAP_TABLE_BATCH && batch[i].address; i++) {
			a->traps[batch[i].vector] = batch[i];
			a->traps[batch[i].vector].cs |= 3;
		}
		return 0;
	}
	return -XEN_EINVAL;   /* no terminating entry in 512: not a table */
}

static int register_callback(struct arch_vcpu *a, unsigned type, uint64_t address, unsigned flags)
{
	struct pv_callback *cb;

	if (address && !guest_code_ok(address))
		return -XEN_EINVAL;
	switch (type) {
	case CALLBACKTYPE_event: cb = &a->event_cb; break;
	case CALLBACKTYPE_failsafe: cb = &a->failsafe_cb; break;
	case CALLBACKTYPE_syscall: cb = &a->syscall_cb; break;
	case CALLBACKTYPE_syscall32: cb = &a->syscall32_cb; break;
	case CALLBACKTYPE_sysenter: cb = &a->sysenter_cb; break;
	case CALLBACKTYPE_nmi: cb = &a->nmi_cb; break;
	default: return -XEN_ENOSYS;   /* as Xen: an unknown type is an unknown operation */
	}
	if (flags & ~CALLBACKF_mask_events)
		return -XEN_EINVAL;
	cb->address = address;
	cb->mask_events = flags & CALLBACKF_mask_events;
	return 0;
}

/* set_callbacks(event, failsafe, syscall): the older form of callback_op. */
int64_t do_set_callbacks(struct vcpu *v, const uint64_t args[6])
{
	struct arch_vcpu *a = av(v);
	uint64_t event = args[0], failsafe = args[1], syscall = args[2];

	if (!guest_code_ok(event) || !guest_code_ok(failsafe) || (syscall && !guest_code_ok(syscall)))
		return -XEN_EINVAL;
	register_callback(a, CALLBACKTYPE_event, event, 0);
	register_callback(a, CALLBACKTYPE_failsafe, failsafe, 0);
	register_callback(a, CALLBACKTYPE_syscall, syscall, CALLBACKF_mask_events);
	return 0;
}

static int64_t callback_register_op(struct vcpu *v, void *arg)
{
	const struct callback_register *r = arg;

	return register_callback(av(v), r->type, r->address, r->flags);
}

static int64_t callback_unregister_op(struct vcpu *v, void *arg)
{
	const struct callback_unregister *u = arg;

	/* the event and failsafe callbacks cannot be removed, as on Xen */
	if (u->type == CALLBACKTYPE_event || u->type == CALLBACKTYPE_failsafe)
		return -XEN_EINVAL;
	return register_callback(av(v), u->type, 0, 0);
}

static const struct hypercall_subop callback_ops[] = {
	[CALLBACKOP_register]   = { callback_register_op, sizeof(struct callback_register), false },
	[CALLBACKOP_unregister] = { callback_unregister_op, sizeof(struct callback_unregister), false },
};

int64_t do_callback_op(struct vcpu *v, const uint64_t args[6])
{
	return hypercall_subop(v, callback_ops, ARRAY_SIZE(callback_ops), args[0], args[1]);
}

/* stack_switch(ss, sp): the kernel stack for entries from user mode. */
int64_t do_stack_switch(struct vcpu *v, const uint64_t args[6])
{
	struct arch_vcpu *a = av(v);

	a->kernel_ss = args[0] | 3;
	a->kernel_sp = args[1];
	return 0;
}

/*
 * Load the user %gs selector. The CPU checks it (index within the GDT or
 * LDT, present, a data or readable code segment, DPL 3): a selector it
 * refuses faults in load_selector_safe and becomes null, as on Xen, whose
 * callers (Linux's load_gs_index) cannot take a failure. Loading a
 * selector sets the active GS base, which in kernel mode is the kernel's:
 * the loaded base becomes the user one (the shadow MSR) and the kernel's
 * is put back. The flat load first gives a null selector base 0 on CPUs
 * (AMD) that keep the old base on a null load.
 */
static void load_user_gs_sel(struct arch_vcpu *a, uint16_t sel)
{
	uint64_t kernel_gs = rdmsr(MSR_GS_BASE);

	if (sel > 3)
		sel |= 3;
	else
		sel = 0;
	if (load_selector_safe(3, sel)) {
		load_selector_safe(3, SEL_RING3_DS);
		load_selector_safe(3, 0);
		sel = 0;
	}
	a->gs_sel_user = sel;
	a->gs_base_user = rdmsr(MSR_GS_BASE);
	wrmsr(MSR_KERNEL_GS_BASE, a->gs_base_user);
	wrmsr(MSR_GS_BASE, kernel_gs);
}

int64_t do_set_segment_base(struct vcpu *v, const uint64_t args[6])
{
	struct arch_vcpu *a = av(v);
	uint64_t which = args[0], base = args[1];

	if (which != SEGBASE_GS_USER_SEL && !is_canonical(base))
		return -XEN_EINVAL;
	switch (which) {
	case SEGBASE_FS:
		a->fs_base = base;
		wrmsr(MSR_FS_BASE, base);
		return 0;
	case SEGBASE_GS_USER:
		a->gs_base_user = base;
		/* the inactive GS base in kernel mode, the active one in user mode */
		wrmsr(a->in_kernel ? MSR_KERNEL_GS_BASE : MSR_GS_BASE, base);
		return 0;
	case SEGBASE_GS_KERNEL:
		a->gs_base_kernel = base;
		wrmsr(a->in_kernel ? MSR_GS_BASE : MSR_KERNEL_GS_BASE, base);
		return 0;
	case SEGBASE_GS_USER_SEL:
		load_user_gs_sel(a, (uint16_t)base);
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

int64_t do_fpu_taskswitch(struct vcpu *v, const uint64_t args[6])
{
	av(v)->fpu_ts = args[0] != 0;
	pv_fpu_sync_ts(v);
	return 0;
}

/*
 * DR4 and DR5 are aliases of DR6 and DR7, as on hardware with CR4.DE clear
 * (and on Xen); with CR4.DE they do not exist. Returns 8 (no register) for
 * any register that does not exist.
 */
static unsigned debugreg_alias(struct vcpu *v, uint64_t reg)
{
	if (reg == 4 || reg == 5)
		return (pv_guest_cr4(v) & X86_CR4_DE) ? 8 : reg + 2;
	return reg > 7 ? 8 : (unsigned)reg;
}

int64_t do_set_debugreg(struct vcpu *v, const uint64_t args[6])
{
	/* the same checks and the same load as MOV to DR (emulate_cr.c) */
	return pv_set_debugreg(v, debugreg_alias(v, args[0]), args[1]);
}

int64_t do_get_debugreg(struct vcpu *v, const uint64_t args[6])
{
	unsigned reg = debugreg_alias(v, args[0]);

	if (reg > 7)
		return -XEN_ENODEV;
	return (int64_t)pv_get_debugreg(v, reg);
}

/*
 * iret: return from a guest exception or event handler. The guest's stack
 * holds struct iret_context; a return to a ring-3 CS goes to guest user mode.
 */
HOT_PATH int64_t do_iret(struct vcpu *v, const uint64_t args[6])
{
	struct arch_vcpu *a = av(v);
	struct cpu_regs *regs = guest_regs();
	struct iret_context ctx;

	hypercall_set_exit(v, HC_EXIT_NO_RESULT);
	if (copy_from_guest(&ctx, regs->rsp, sizeof(ctx))) {
		domain_crash(v->domain, "iret: the iret frame at %#lx is not readable", regs->rsp);
		return 0;
	}
	/*
	 * Only the return address must be canonical (our IRET would fault on
	 * it). A non-canonical stack pointer is the guest's business, as on
	 * hardware and Xen: what uses it writes only guest memory (a bounce
	 * frame goes through guest_range_ok, which refuses the hole).
	 */
	if (!is_canonical(ctx.rip)) {
		domain_crash(v->domain, "iret to non-canonical rip %#lx", ctx.rip);
		return 0;
	}
	if ((ctx.cs & 3) == 3 && a->in_kernel) {
		if (a->user_l4 == INVALID_MFN) {
			domain_crash(v->domain, "iret to user mode without a user page table");
			return 0;
		}
		pv_toggle_guest_mode(v);
	}
	regs->rax = ctx.rax;
	if (!(ctx.flags & VGCF_in_syscall)) {
		regs->r11 = ctx.r11;
		regs->rcx = ctx.rcx;
	}
	regs->rip = ctx.rip;
	regs->cs = ctx.cs | 3;
	regs->rflags = ctx.rflags;
	regs->rsp = ctx.rsp;
	regs->ss = ctx.ss | 3;
	v->vcpu_info->evtchn_upcall_mask = !(ctx.rflags & X86_RFLAGS_IF);
	return ctx.rax;   /* not for RAX (no result): what a multicall entry records, as Xen */
}
