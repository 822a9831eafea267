/*
 * Exceptions raised by a PV guest, and their delivery back to it.
 *
 * A guest sees exceptions through the trap table it registered; we deliver
 * one by building a "bounce frame" on its kernel stack (lowest address
 * first: RCX, R11, [error code], RIP, CS, RFLAGS, RSP, SS) and resuming it at
 * the handler, in guest kernel mode. If the exception came from guest user
 * mode, we first switch to kernel mode and to the stack from stack_switch.
 *
 * Some faults are ours to handle first: #GP and #UD may be privileged
 * instructions to emulate, #GP may be an `int $n` meant for the guest's own
 * table, #NM is the lazy-FPU switch. Whatever the guest cannot receive (no
 * handler, or a stack we cannot write) ends the domain with the reason logged.
 */
#include <arch.h>
#include <console.h>
#include <guest_access.h>
#include <sched.h>
#include <wake_stats.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/pv.h>
#include <asm/smp.h>
#include <asm/x86.h>
#include <public/callback.h>
#include "mm.h"

static const char *const trap_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "vector 9", "#TS",
	"#NP", "#SS", "#GP", "#PF", "vector 15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
	"vector 22", "vector 23", "vector 24", "vector 25", "vector 26", "vector 27",
	"vector 28", "#VC", "#SX", "vector 31",
};

HOT_PATH struct cpu_regs *guest_regs(void)
{
	return &get_cpu_info()->guest_regs;
}

/*
 * Set when this CPU's frame has just been bounced to a guest handler, which
 * finds the interrupted RCX and R11 on its stack, or returns from a
 * hypercall to its SYSCALL, which gave them up: the return may then use
 * SYSRET, which loads RIP from RCX and RFLAGS from R11. Xen leaves its
 * bounce frames the same way. Under QEMU TCG an IRETQ (it reads the frame
 * and two descriptors from memory) costs several hundred cycles more.
 * pv_exit_to_guest() consumes it; every entry from a guest ends there.
 */
static bool frame_bounced[NR_CPUS];

HOT_PATH void pv_bounced(void)
{
	frame_bounced[smp_cpu_id()] = true;
}

/*
 * Deliver to `handler` in guest kernel mode. Returns false (after crashing
 * the domain) when the frame cannot be written.
 */
HOT_PATH static bool bounce(struct vcpu *v, struct cpu_regs *regs, uint64_t handler, bool has_error,
		   uint64_t error_code, bool mask_events, const char *what)
{
	struct arch_vcpu *a = av(v);
	uint64_t frame[13];
	unsigned n = 0;
	uint8_t old_mask = v->vcpu_info->evtchn_upcall_mask;
	bool from_user = !a->in_kernel;
	uint64_t sp, cs = regs->cs;

	if (from_user) {
		pv_toggle_guest_mode(v);
		sp = a->kernel_sp;
	} else {
		sp = regs->rsp;
		cs &= ~3ULL;   /* Linux's user_mode() reads the RPL: kernel frames say 0 */
	}
	frame[n++] = regs->rcx;
	frame[n++] = regs->r11;
	if (has_error)
		frame[n++] = error_code;
	frame[n++] = regs->rip;
	frame[n++] = cs | ((uint64_t)old_mask << 32);
	frame[n++] = (regs->rflags & ~X86_RFLAGS_IF) | (old_mask ? 0 : X86_RFLAGS_IF);
	frame[n++] = regs->rsp;
	frame[n++] = regs->ss;

	sp = (sp & ~15ULL) - n * 8;
	if (!handler) {
		domain_crash(v->domain, "cannot deliver %s at %#lx: the guest registered no handler", what, regs->rip);
		return false;
	}
	if (copy_to_guest(sp, frame, n * 8)) {
		domain_crash(v->domain, "triple fault: cannot deliver %s at %#lx: kernel stack %#lx is not writable",
			     what, regs->rip, sp);
		return false;
	}
	regs->rsp = sp;
	regs->ss = SEL_RING3_DS;
	regs->rip = handler;
	regs->cs = SEL_RING3_CS64;
	regs->rflags &= ~(X86_RFLAGS_TF | X86_RFLAGS_NT | X86_RFLAGS_RF | X86_RFLAGS_VM | X86_RFLAGS_AC);
	if (mask_events)
		v->vcpu_info->evtchn_upcall_mask = 1;
	pv_bounced();
	return true;
}

HOT_PATH void pv_inject_exception(struct vcpu *v, unsigned vector, int64_t error_code, uint64_t cr2)
{
	struct cpu_regs *regs = guest_regs();
	const struct trap_info *ti = &av(v)->traps[vector & 255];

	if (vector == TRAP_page_fault) {
		v->vcpu_info->arch.cr2 = cr2;
		if (av(v)->in_kernel)
			error_code &= ~(int64_t)PFEC_USER;   /* the guest kernel is not "user" */
	}
	bounce(v, regs, ti->address, error_code >= 0, (uint64_t)error_code,
	       (ti->flags & TI_INTERRUPT_GATE) != 0, vector < 32 ? trap_names[vector] : "interrupt");
}

/* May the guest's `int $n` reach gate n? Kernel mode counts as ring 1, as on Xen. */
static bool softint_allowed(struct vcpu *v, const struct trap_info *ti)
{
	return (ti->flags & TI_DPL_MASK) >= (av(v)->in_kernel ? 1u : 3u);
}

/*
 * A #GP from `int $n` (the gate's DPL 0 stops ring 3). The error code would
 * name the vector, but QEMU's emulation reports it wrong in long mode, so we
 * decode the instruction instead.
 */
static bool handle_soft_int(struct vcpu *v, struct cpu_regs *regs)
{
	uint8_t insn[2];

	if (!(regs->error_code & 2) || copy_from_guest(insn, regs->rip, 2) || insn[0] != 0xcd)
		return false;
	const struct trap_info *ti = &av(v)->traps[insn[1]];
	if (!ti->address || !softint_allowed(v, ti)) {
		pv_inject_exception(v, TRAP_gp_fault, (insn[1] << 3) | 2, 0);
		return true;
	}
	regs->rip += 2;
	bounce(v, regs, ti->address, false, 0, (ti->flags & TI_INTERRUPT_GATE) != 0, "int $n");
	return true;
}

/*
 * Tests, not a switch: GCC makes a dense switch a jump table, and under an
 * emulator its indirect jump costs a lookup of the next translated block on
 * every exception.
 */
HOT_PATH void pv_guest_trap(struct cpu_regs *regs)
{
	struct vcpu *v = current_vcpu();
	unsigned vec = (unsigned)regs->vector;

	if (vec == TRAP_gp_fault) {
		if (handle_soft_int(v, regs) || pv_emulate_privileged(v, regs, vec))
			return;
		pv_inject_exception(v, vec, (int64_t)regs->error_code, 0);
	} else if (vec == TRAP_page_fault) {
		uint64_t cr2 = read_cr2();   /* before the assist's own guest reads can fault */
		if (pv_ptwr_fault(v, regs, cr2))
			return;
		pv_inject_exception(v, vec, (int64_t)regs->error_code, cr2);
	} else if (vec == TRAP_invalid_op) {
		if (pv_emulate_privileged(v, regs, vec))
			return;
		pv_inject_exception(v, vec, -1, 0);
	} else if (vec == TRAP_no_device) {
		pv_fpu_claim(v);
	} else if (vec == TRAP_machine_check || vec == TRAP_double_fault) {
		panic("%s while d%uv%u ran at %#lx", trap_names[vec], v->domain->domain_id,
		      v->vcpu_id, regs->rip);
	} else if (vec == TRAP_debug) {
		pv_debug_trap(v);
	} else {
		/* the CPU pushed an error code for #TS #NP #SS #AC #CP #VC #SX */
		bool has_error = (vec >= 10 && vec <= 12) || vec == 17 || vec == 21 || vec == 29 ||
				 vec == 30;
		pv_inject_exception(v, vec, has_error ? (int64_t)regs->error_code : -1, 0);
	}
}

/*
 * Bounce a pending event upcall, if the guest can take one now. One it
 * cannot take (no event callback, as Xen 4.17's bounce to address 0, or
 * no room on its stack) crashes the domain: then another vCPU's frame
 * replaces this one, which may have events of its own.
 */
HOT_PATH static bool deliver_events(struct vcpu *v, struct cpu_regs *regs)
{
	struct vcpu_info *vi = v->vcpu_info;

	if (!vi->evtchn_upcall_pending || vi->evtchn_upcall_mask)
		return false;
	wake_stats_count(&wake_stats.upcalls_delivered);
	if (!bounce(v, regs, av(v)->event_cb.address, false, 0, true, "event upcall")) {
		sched_exit_to_guest();
		frame_bounced[smp_cpu_id()] = false;
		deliver_events(current_vcpu(), regs);
	}
	return true;
}

/*
 * Last stop before returning to the guest: the scheduler may switch to
 * another vCPU (whose frame then replaces this one), and a pending event is
 * bounced. PV_EXIT_CHANGED if the frame changed either way; PV_EXIT_SYSRET
 * (see frame_bounced) with RCX and R11 set, if it may leave by SYSRET: it
 * enters 64-bit code at a canonical address (SYSRET with a non-canonical
 * RCX faults in ring 0 on Intel CPUs). The one SYSRET-or-IRET decision,
 * for hypercalls (pv/hypercall.c) as for traps.
 */
HOT_PATH unsigned pv_exit_to_guest(struct cpu_regs *regs)
{
	unsigned cpu = smp_cpu_id();
	bool changed = sched_exit_to_guest();
	struct vcpu *v = current_vcpu();
	bool sysret;

	if (changed)
		frame_bounced[cpu] = false;   /* another vCPU's frame: its RCX and R11 are live */
	changed |= deliver_events(v, regs);
	regs->rflags = (regs->rflags & ~(X86_RFLAGS_IOPL | X86_RFLAGS_VM | X86_RFLAGS_NT)) | X86_RFLAGS_IF;
	regs->cs |= 3;
	regs->ss |= 3;
	sysret = frame_bounced[cpu] && regs->cs == SEL_RING3_CS64 && regs->ss == SEL_RING3_DS &&
		 is_canonical(regs->rip);
	frame_bounced[cpu] = false;
	if (sysret) {
		regs->rcx = regs->rip;
		regs->r11 = regs->rflags;
	}
	return (changed ? PV_EXIT_CHANGED : 0) | (sysret ? PV_EXIT_SYSRET : 0);
}

void pv_iret_faulted(struct cpu_regs *hv_frame)
{
	struct vcpu *v = current_vcpu();
	struct cpu_regs *g = guest_regs();

	domain_crash(v->domain, "returning to the guest faulted (%s): cs %#lx rip %#lx ss %#lx rsp %#lx",
		     trap_names[hv_frame->vector & 31], g->cs, g->rip, g->ss, g->rsp);
	arch_enter_current_guest();   /* the scheduler picks another vCPU */
}
