/*
 * Where application processors (APs) start. A STARTUP IPI starts an AP in
 * real mode at CS = vector << 8, IP = 0 (Intel SDM vol. 3, 8.4.4 "MP
 * initialization example"); smp.c copies trampoline_start..trampoline_end
 * to TRAMPOLINE_PHYS, below 1 MiB, and sends vector TRAMPOLINE_PHYS >> 12.
 *
 * The AP then does what head.S did for the boot CPU, in three steps:
 * protected mode on a GDT inside the trampoline, long mode on boot_l4
 * (whose slot 0 smp.c maps as identity while APs start, since this code
 * runs at its low physical address until it jumps up), and a jump to
 * ap_start64 at the image's own address. EFER and CR0 come from the boot
 * CPU (tramp_efer, tramp_cr0, written by smp.c), so both agree on NX, and
 * the AP's caches are on (after INIT, CR0.CD and NW are set).
 *
 * Addresses inside the copy are computed with T(): the code is linked in
 * the image but runs at TRAMPOLINE_PHYS.
 */
#include <asm/layout.h>

#define PHYS(x)    ((x) - HV_DIRECTMAP_BASE)
#define T(x)       (TRAMPOLINE_PHYS + (x) - trampoline_start)
#define EFER_MSR   0xC0000080

	.section .rodata, "a"           /* copied before it runs, never run in place */
	.code16
	.globl trampoline_start, trampoline_end, tramp_efer, tramp_cr0
	.balign 16
trampoline_start:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	tramp_gdtr - trampoline_start
	mov	%cr0, %eax
	or	$1, %eax                /* PE */
	mov	%eax, %cr0
	ljmpl	$0x08, $T(tramp32)

	.code32
tramp32:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%cr4, %eax
	or	$(1 << 5), %eax         /* PAE */
	mov	%eax, %cr4
	mov	$PHYS(boot_l4), %eax
	mov	%eax, %cr3
	mov	$EFER_MSR, %ecx
	mov	T(tramp_efer), %eax     /* LME, SCE and NXE as on the boot CPU */
	xor	%edx, %edx
	wrmsr
	mov	T(tramp_cr0), %eax      /* the boot CPU's: PG, WP, PE, and caches on (CD, NW clear) */
	mov	%eax, %cr0
	ljmp	$0x18, $T(tramp64)

	.code64
tramp64:
	movabs	$ap_start64, %rax
	jmp	*%rax

	.balign 8
tramp_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff      /* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff      /* 0x10: data */
	.quad	0x00af9a000000ffff      /* 0x18: 64-bit code */
tramp_gdtr:
	.short	tramp_gdtr - tramp_gdt - 1
	.long	T(tramp_gdt)
	.balign 4
tramp_efer:
	.long	0
tramp_cr0:
	.long	0
trampoline_end:

/* In the image, at its linked address: the AP's first instructions up there. */
	.text
	.globl ap_start64
ap_start64:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	mov	smp_boot_rsp(%rip), %rsp   /* below the new CPU's cpu_info */
	push	$0
	popf
	xor	%ebp, %ebp
	call	ap_start
	ud2
