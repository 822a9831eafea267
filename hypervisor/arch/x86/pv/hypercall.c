/*
 * SYSCALL from a PV guest. In guest kernel mode it is a hypercall (number in
 * RAX, arguments in RDI RSI RDX R10 R8 R9, result in RAX: Xen's ABI, which
 * Debian's 6.1 kernels use directly and older kernels through the hypercall
 * page). In guest user mode it is the user's system call, bounced to the
 * guest kernel's syscall callback.
 */
#include <biglock.h>
#include <console.h>
#include <guest_access.h>
#include <hypercall.h>
#include <asm/desc.h>
#include <asm/pv.h>
#include <asm/x86.h>
#include <public/xen.h>

/*
 * The end of a hypercall: the one place where the vCPU's exit state
 * (hypercall.h) becomes registers.
 *  - Normal: the result goes in RAX. If the guest is still at its SYSCALL,
 *    it gave up RCX and R11 there, so the return may set them for SYSRET.
 *  - Continuation: back to the SYSCALL (2 bytes, 0f 05, whether the guest
 *    executed it itself or in a hypercall-page stub, which saved RCX and R11
 *    before it), with RAX = the number and the rewritten arguments; the
 *    IRET return lets interrupts that came meanwhile be taken and pending
 *    events be bounced before the guest re-issues the call.
 *  - No result: the handler set the registers (iret).
 * Whether the return uses SYSRET or IRET is pv_exit_to_guest()'s decision,
 * the same for every way into the hypervisor.
 */
HOT_PATH static void hypercall_exit(struct vcpu *v, struct cpu_regs *regs, int64_t rc, uint64_t rip)
{
	uint64_t *arg[6] = { &regs->rdi, &regs->rsi, &regs->rdx, &regs->r10, &regs->r8, &regs->r9 };
	const struct hypercall_continuation *c = &v->hcall_cont;

	switch (hypercall_take_exit(v)) {
	case HC_EXIT_NORMAL:
		regs->rax = (uint64_t)rc;
		if (regs->rip == rip)
			pv_bounced();
		break;
	case HC_EXIT_CONTINUATION:
		regs->rip -= 2;
		regs->rax = c->nr;
		for (unsigned i = 0; i < c->nargs; i++)
			*arg[i] = c->args[i];
		break;
	case HC_EXIT_NO_RESULT:
		break;
	}
}

/* Returns 1 when the return may use SYSRET (pv_exit_to_guest). */
HOT_PATH static int syscall_locked(struct cpu_regs *regs)
{
	struct vcpu *v = current_vcpu();
	struct arch_vcpu *a = av(v);

	if (a->in_kernel) {
		uint64_t args[6] = { regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8, regs->r9 };
		uint64_t rip = regs->rip;

		arch_hypercall_enter();
		hypercall_exit(v, regs, hypercall_dispatch(v, regs->rax, args), rip);
	} else if (!a->syscall_cb.address) {
		pv_inject_exception(v, TRAP_invalid_op, -1, 0);
	} else {
		/* the user's SYSCALL: to the guest kernel, which sees RCX/R11 as SYSCALL left them */
		regs->vector = SYSCALL_VECTOR;
		pv_toggle_guest_mode(v);
		uint64_t frame[7] = { regs->rcx, regs->r11, regs->rip, regs->cs, regs->rflags,
				      regs->rsp, regs->ss };
		uint64_t sp = (a->kernel_sp & ~15ULL) - sizeof(frame);
		if (copy_to_guest(sp, frame, sizeof(frame))) {
			domain_crash(v->domain, "cannot deliver a system call: kernel stack %#lx is not writable", sp);
		} else {
			regs->rsp = sp;
			regs->rip = a->syscall_cb.address;
			regs->cs = SEL_RING3_CS64;
			regs->ss = SEL_RING3_DS;
			if (a->syscall_cb.mask_events)
				v->vcpu_info->evtchn_upcall_mask = 1;
			pv_bounced();   /* RCX and R11 are on the guest's stack */
		}
	}
	return (pv_exit_to_guest(regs) & PV_EXIT_SYSRET) != 0;
}

/* From entry.S, with interrupts off: the whole entry under the big lock. */
HOT_PATH int pv_syscall_handler(struct cpu_regs *regs)
{
	int sysret;

	big_lock_acquire();
	sysret = syscall_locked(regs);
	big_lock_release();
	return sysret;
}

/* 32-bit user code is not supported yet: the guest sees #UD at the SYSCALL. */
void pv_syscall32_handler(struct cpu_regs *regs)
{
	big_lock_acquire();
	pv_inject_exception(current_vcpu(), TRAP_invalid_op, -1, 0);
	pv_exit_to_guest(regs);
	big_lock_release();
}

/*
 * The hypercall page of kernels that still call through one: 32-byte stubs
 *   push %rcx; push %r11; mov $nr, %eax; syscall; pop %r11; pop %rcx; ret
 * and for iret, which does not return:
 *   push %rcx; push %r11; push %rax; mov $23, %eax; syscall
 */
void pv_fill_hypercall_page(uint8_t *page)
{
	memset(page, 0xcc, 4096);   /* int3 between stubs */
	for (unsigned i = 0; i < HYPERCALL_PAGE_SLOTS; i++) {
		uint8_t *p = page + i * HYPERCALL_STUB_SIZE;
		*p++ = 0x51;
		*p++ = 0x41; *p++ = 0x53;
		if (i == __HYPERVISOR_iret)
			*p++ = 0x50;
		*p++ = 0xb8;
		memcpy(p, &i, 4);
		p += 4;
		*p++ = 0x0f; *p++ = 0x05;
		if (i == __HYPERVISOR_iret)
			continue;
		*p++ = 0x41; *p++ = 0x5b;
		*p++ = 0x59;
		*p++ = 0xc3;
	}
}

void arch_hypercall_page_fill(void *page)
{
	pv_fill_hypercall_page(page);
}
