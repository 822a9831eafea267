/*
 * Interrupt and exception entry: 256 stubs, 16 bytes apart, that make every
 * vector look alike (an error code, real or zero, then the vector number),
 * and one common path that saves the general registers as struct cpu_regs
 * and calls trap_handler().
 */
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
	jmp	trap_common
	.set	vec, vec + 1
	.endr

trap_common:
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
	mov	%rsp, %rdi
	call	trap_handler
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
	add	$16, %rsp               /* vector, error code */
	iretq
