/*
 * memcpy and memset with string instructions: the hypervisor copies whole
 * kernels and clears whole domains at boot, and byte loops made that the
 * slowest part of starting Dom0 (CPUs and emulators both run REP MOVS/STOS
 * much faster). The generic C versions in lib/string.c are for host tests.
 */
	.text
	.globl memcpy
memcpy:
	mov	%rdi, %rax
	mov	%rdx, %rcx
	shr	$3, %rcx
	rep movsq
	mov	%edx, %ecx
	and	$7, %ecx
	rep movsb
	ret

	.globl memset
memset:
	mov	%rdi, %r9
	movzbl	%sil, %eax
	movabs	$0x0101010101010101, %r8
	imul	%r8, %rax
	mov	%rdx, %rcx
	shr	$3, %rcx
	rep stosq
	mov	%edx, %ecx
	and	$7, %ecx
	rep stosb
	mov	%r9, %rax
	ret

/*
 * clear_frames(va, n): n whole 4 KiB frames at va zeroed with plain 8-byte
 * stores, 16 to a loop. Under QEMU TCG each REP STOSQ iteration is a
 * translated block of its own (about 4 us a frame); this loop runs 32
 * blocks a frame. Populating and tearing down domains clear every frame.
 */
	.globl clear_frames
clear_frames:
	shl	$12, %rsi
	jz	2f
	add	%rdi, %rsi
	xor	%eax, %eax
1:	mov	%rax, 0(%rdi)
	mov	%rax, 8(%rdi)
	mov	%rax, 16(%rdi)
	mov	%rax, 24(%rdi)
	mov	%rax, 32(%rdi)
	mov	%rax, 40(%rdi)
	mov	%rax, 48(%rdi)
	mov	%rax, 56(%rdi)
	mov	%rax, 64(%rdi)
	mov	%rax, 72(%rdi)
	mov	%rax, 80(%rdi)
	mov	%rax, 88(%rdi)
	mov	%rax, 96(%rdi)
	mov	%rax, 104(%rdi)
	mov	%rax, 112(%rdi)
	mov	%rax, 120(%rdi)
	sub	$-128, %rdi
	cmp	%rsi, %rdi
	jne	1b
2:	ret
