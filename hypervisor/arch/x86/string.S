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
