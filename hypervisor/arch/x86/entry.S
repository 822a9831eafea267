/*
 * Entry and exit paths.
 *
 * Interrupts and exceptions: 256 stubs, 16 bytes apart, make every vector
 * look alike (an error code, real or zero, then the vector number); the
 * common path saves the general registers as struct cpu_regs and calls
 * trap_handler(). From a guest (ring 3) the CPU has switched to RSP0, so the
 * frame lands in this CPU's cpu_info.guest_regs.
 *
 * SYSCALL from a guest arrives through the per-CPU stub (desc.c), which has
 * already moved to the CPU stack; syscall_enter completes the same frame.
 *
 * Every path back to a guest leaves through restore_all (an IST entry
 * that interrupted the hypervisor returns from its own stack: ist_common).
 * Its IRETQ is the one instruction that can fault because of
 * guest-controlled state (a selector or address the guest passed);
 * traps.c recognises a fault at iret_to_guest.
 *
 * The big lock (biglock.h): the C handlers take it first and drop it last
 * (pv_syscall_handler, trap_handler, arch_enter_current_guest); what runs
 * after the drop touches only this CPU's frame.
 */
#include <asm/desc.h>

	.text
	.balign 16
	.globl trap_stubs
trap_stubs:
	.set	vec, 0
	.rept	256
	.balign	16
	/* the CPU pushes an error code for #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX */
	.if	!(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	pushq	$0
	.endif
	pushq	$vec
	.if	vec == 1 || vec == 2 || vec == 18   /* the IST vectors of desc.c */
	jmp	ist_common
	.else
	jmp	trap_common
	.endif
	.set	vec, vec + 1
	.endr

.macro RESTORE_GPRS
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
.endm

.macro SAVE_GPRS
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	cld
.endm

/* The paths every guest entry takes: next to the C ones (HOT_PATH, lib.h). */
	.section .text.hot, "ax"
trap_common:
	SAVE_GPRS
trap_frame_saved:
	mov	%rsp, %rdi
	call	trap_handler
	test	%eax, %eax
	jz	restore_all
	jmp	sysret_to_guest

/* From the stub: RSP = &frame.rsp holding the guest RSP, RAX = guest RAX. */
	.globl syscall_enter
syscall_enter:
	movq	$SEL_RING3_DS, 8(%rsp)  /* ss */
	pushq	%r11                    /* rflags, as SYSCALL left them */
	pushq	$SEL_RING3_CS64         /* cs */
	pushq	%rcx                    /* rip: the return address */
	pushq	$0                      /* error code */
	pushq	$SYSCALL_VECTOR
	SAVE_GPRS
	mov	%rsp, %rdi
	call	pv_syscall_handler
	test	%eax, %eax
	jz	restore_all
	/*
	 * The fast return of a plain hypercall or of a frame bounced to a guest
	 * handler: SYSRET loads RIP from RCX and RFLAGS from R11 (the handler
	 * made them equal the frame's) and the flat ring-3 selectors from STAR.
	 * Interrupts stay off until SYSRET.
	 */
sysret_to_guest:
	RESTORE_GPRS
	mov	40(%rsp), %rsp          /* the frame's rsp: past vector, error, rip, cs, rflags */
	sysretq

/* SYSCALL from 32-bit code (compatibility mode). */
	.globl syscall32_enter
syscall32_enter:
	movq	$SEL_RING3_DS, 8(%rsp)
	pushq	%r11
	pushq	$SEL_RING3_CS32
	pushq	%rcx
	pushq	$0
	pushq	$SYSCALL_VECTOR
	SAVE_GPRS
	mov	%rsp, %rdi
	call	pv_syscall32_handler
	jmp	restore_all

	.globl restore_all
restore_all:
	RESTORE_GPRS
	add	$16, %rsp               /* vector, error code */
	.globl iret_to_guest
iret_to_guest:
	iretq

/* void enter_guest(struct cpu_regs *frame): abandon this stack and run the frame. */
	.globl enter_guest
enter_guest:
	mov	%rdi, %rsp
	jmp	restore_all

	.text

/*
 * #DB, NMI and #MC arrive on their own IST stacks (desc.c), whatever RSP
 * was: in the SYSCALL stub, or after a MOV SS that held a #DB back, it is
 * still the guest's. An NMI, and a #DB or #MC that interrupted the
 * hypervisor, are handled on that stack and return to where they struck
 * (ist_trap_handler; get_cpu_info() does not work here, so it is passed
 * the CPU's cpu_info). From a guest, the frame moves to
 * cpu_info.guest_regs, where a non-IST entry would have put it (that stack
 * is empty while a guest runs): a #DB or #MC then goes on as any other
 * entry from a guest, so that the exit path may switch vCPUs and bounce as
 * usual.
 */
ist_common:
	SAVE_GPRS
	mov	%rsp, %rdi
	mov	CPU_REGS_SIZE(%rsp), %rsi       /* this CPU's struct cpu_info */
	testb	$3, CPU_REGS_CS(%rsp)
	jz	2f
	cmpq	$2, CPU_REGS_VECTOR(%rsp)
	jne	1f
	call	ist_trap_handler                /* an NMI from a guest: counted */
	mov	CPU_REGS_SIZE(%rsp), %rsi
1:	mov	%rsi, %rdi                      /* cpu_info.guest_regs is at offset 0 */
	mov	%rsp, %rsi
	mov	$CPU_REGS_SIZE / 8, %ecx
	rep movsq
	lea	-CPU_REGS_SIZE(%rdi), %rsp
	/*
	 * An NMI goes straight back by restore_all, unchanged: its IRETQ
	 * reloads the guest's CS and SS, which another vCPU may have made
	 * invalid meanwhile (update_descriptor), and a fault there is the
	 * guest's (traps.c: iret_to_guest).
	 */
	cmpq	$2, CPU_REGS_VECTOR(%rsp)
	je	restore_all
	jmp	trap_frame_saved
2:	call	ist_trap_handler
	RESTORE_GPRS
	add	$16, %rsp                       /* vector, error code */
	iretq

/*
 * int rdmsr_safe(uint32_t msr, uint64_t *val): 0, or -1 if the MSR does not
 * exist (the #GP resumes at the fixup with EAX = -1 already set).
 */
	.globl rdmsr_safe
rdmsr_safe:
	mov	%edi, %ecx
	mov	%rsi, %r8
	mov	$-1, %r9d
1:	rdmsr
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, (%r8)
	xor	%r9d, %r9d
2:	mov	%r9d, %eax
	ret
	.pushsection .ex_table, "a"
	.quad	1b, 2b
	.popsection

/*
 * int load_selector_safe(unsigned which, uint16_t sel): load DS/ES/FS/GS
 * (which = 0..3) with a guest's selector; -1 if the CPU refuses it.
 */
	.globl load_selector_safe
load_selector_safe:
	mov	$-1, %eax
	cmp	$1, %edi
	jb	1f
	je	2f
	cmp	$3, %edi
	jb	3f
4:	mov	%si, %gs
	jmp	5f
1:	mov	%si, %ds
	jmp	5f
2:	mov	%si, %es
	jmp	5f
3:	mov	%si, %fs
5:	xor	%eax, %eax
6:	ret
	.pushsection .ex_table, "a"
	.quad	1b, 6b
	.quad	2b, 6b
	.quad	3b, 6b
	.quad	4b, 6b
	.popsection

/* The per-CPU SYSCALL stubs (desc.c writes them at boot): 64 CPUs x 64 bytes. */
	.section .text.syscall_stubs, "ax"
	.balign 4096
	.globl syscall_stubs
syscall_stubs:
	.fill	64 * 64, 1, 0xcc
	.balign 4096
