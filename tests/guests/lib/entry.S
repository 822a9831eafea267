/*
 * entry.S - exception entry and return for a test guest.
 *
 * The hypervisor bounces an exception to the trap-table handler with this
 * frame on our stack (lowest address first):
 *   RCX, R11, [error code], RIP, CS, RFLAGS, RSP, SS
 * Each stub pops RCX/R11, pushes a dummy error code if the CPU gives none,
 * pushes its vector, saves the GPRs as a struct trap_frame and calls
 * trap_dispatch().  The return path rebuilds an iret_context
 * (RAX, R11, RCX, flags, RIP, CS, RFLAGS, RSP, SS) and issues the iret
 * hypercall, through the hypercall page or with a direct syscall
 * (hc_direct).
 */
	.code64
	.text

.macro stub vec, has_err
	.globl trap_stub_\vec
trap_stub_\vec:
	popq	%rcx
	popq	%r11
	.if \has_err == 0
	pushq	$0
	.endif
	pushq	$\vec
	jmp	trap_common
.endm

	stub 0, 0
	stub 1, 0
	stub 2, 0
	stub 3, 0
	stub 4, 0
	stub 5, 0
	stub 6, 0
	stub 7, 0
	stub 8, 1
	stub 9, 0
	stub 10, 1
	stub 11, 1
	stub 12, 1
	stub 13, 1
	stub 14, 1
	stub 15, 0
	stub 16, 0
	stub 17, 1
	stub 18, 0
	stub 19, 0
	stub 128, 0

trap_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	movq	%rsp, %rbx
	andq	$-16, %rsp
	call	trap_dispatch
	movq	%rbx, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp		/* vector, error code */
	/* fall through */

/* Stack: RIP, CS, RFLAGS, RSP, SS.  Return there with the iret hypercall. */
	.globl guest_iret
guest_iret:
	pushq	$0			/* flags */
	cmpl	$0, hc_direct(%rip)
	jne	1f
	jmp	hypercall_page + 23 * 32	/* the stub pushes RCX, R11, RAX */
1:	pushq	%rcx
	pushq	%r11
	pushq	%rax
	movl	$23, %eax
	syscall
	ud2

	.section .note.GNU-stack, "", @progbits
