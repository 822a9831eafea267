/*
 * First instructions: the Multiboot 1 and 2 headers and the 32-bit entry.
 *
 * Both loaders enter start32 in 32-bit protected mode, paging off, with the
 * Multiboot magic in EAX and the physical address of the boot information in
 * EBX. We map the first 4 GiB twice with 2 MiB pages (identity, so this code
 * keeps running, and at HV_DIRECTMAP_BASE, where the image is linked), enter
 * long mode and jump to arch_start(magic, info) in C on the boot stack.
 * arch_start removes the identity mapping once it is done with the loader's data.
 */
#include <asm/layout.h>

#define PHYS(x)          ((x) - HV_DIRECTMAP_BASE)
#define MB1_MAGIC        0x1BADB002
#define MB1_FLAGS        ((1 << 0) | (1 << 1) | (1 << 16)) /* page-align modules, memory map, address fields */
#define MB2_MAGIC        0xE85250D6
#define EFER_MSR         0xC0000080
#define COM1             0x3f8

	.section .text.head, "ax"
	.code32

	.balign 8
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long 0x100000000 - (MB1_MAGIC + MB1_FLAGS)
	.long PHYS(mb1_header)          /* header_addr */
	.long PHYS(_start)              /* load_addr */
	.long PHYS(_edata)              /* load_end_addr */
	.long PHYS(_end)                /* bss_end_addr */
	.long PHYS(start32)             /* entry_addr */

	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long 0                         /* i386 protected mode */
	.long mb2_header_end - mb2_header
	.long 0x100000000 - (MB2_MAGIC + (mb2_header_end - mb2_header))
	.balign 8                       /* address tag: load the file as a flat image */
	.short 2, 0
	.long 24
	.long PHYS(mb2_header), PHYS(_start), PHYS(_edata), PHYS(_end)
	.balign 8                       /* entry address tag */
	.short 3, 0
	.long 12
	.long PHYS(start32)
	.balign 8                       /* page-align modules */
	.short 6, 0
	.long 8
	.balign 8                       /* end tag */
	.short 0, 0
	.long 8
mb2_header_end:

	.globl start32
start32:
	cli
	cld
	mov	%eax, %edi              /* magic: first C argument */
	mov	%ebx, %esi              /* boot info: second C argument */
	mov	$PHYS(boot_stack_top), %esp

	/* Long mode is all we run on; say so on COM1 if it is missing. */
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	jb	no_long_mode
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx
	jnc	no_long_mode
	mov	%edx, %ebp              /* keep for the NX check */

	mov	%cr4, %eax
	or	$(1 << 5), %eax         /* PAE */
	mov	%eax, %cr4
	mov	$PHYS(boot_l4), %eax
	mov	%eax, %cr3

	mov	$EFER_MSR, %ecx
	rdmsr
	or	$((1 << 8) | (1 << 0)), %eax    /* LME, SCE */
	bt	$20, %ebp
	jnc	1f
	or	$(1 << 11), %eax        /* NXE where the CPU has NX */
1:	wrmsr

	mov	%cr0, %eax
	or	$0x80010001, %eax       /* PG, WP, PE */
	mov	%eax, %cr0

	lgdt	PHYS(boot_gdtr32)
	ljmp	$0x08, $PHYS(start64_low)

no_long_mode:
	mov	$PHYS(no_lm_msg), %ebx
1:	movb	(%ebx), %al
	test	%al, %al
	jz	2f
	mov	$COM1, %dx
	outb	%al, %dx
	inc	%ebx
	jmp	1b
2:	hlt
	jmp	2b

	.code64
start64_low:
	movabs	$start64, %rax
	jmp	*%rax

	.text
start64:
	mov	$0x10, %eax         /* the boot GDT's data selector */
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	/* below struct cpu_info, which the top of every CPU stack holds (asm/percpu.h) */
	movabs	$boot_stack_top - CPU_INFO_RESERVE, %rsp
	lgdt	boot_gdtr64(%rip)
	push	$0
	popf
	xor	%ebp, %ebp              /* terminates backtraces */
	call	arch_start
	ud2

	.section .rodata
no_lm_msg:
	.asciz	"Paravane: this CPU has no long mode (x86-64); cannot boot.\r\n"

	.data
	.balign 16
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff      /* 0x08: 64-bit code, ring 0 */
	.quad	0x00cf92000000ffff      /* 0x10: data, ring 0 */
boot_gdt_end:
boot_gdtr32:
	.short	boot_gdt_end - boot_gdt - 1
	.long	PHYS(boot_gdt)
	.balign 8
boot_gdtr64:
	.short	boot_gdt_end - boot_gdt - 1
	.quad	boot_gdt

	.section .data.page_aligned, "aw"
	.balign 4096
	.globl boot_l4
boot_l4:
	.quad	PHYS(boot_l3_ident) + 3
	.fill	HV_L4_SLOT_DIRECTMAP - 1, 8, 0
	.quad	PHYS(boot_l3_direct) + 3
	.fill	511 - HV_L4_SLOT_DIRECTMAP, 8, 0
	.globl boot_l3_ident            /* also the APs' way in (smp.c) */
boot_l3_ident:
	.quad	PHYS(boot_l2) + 3, PHYS(boot_l2) + 0x1003, PHYS(boot_l2) + 0x2003, PHYS(boot_l2) + 0x3003
	.fill	508, 8, 0
	.globl boot_l3_direct
boot_l3_direct:
	.quad	PHYS(boot_l2) + 3, PHYS(boot_l2) + 0x1003, PHYS(boot_l2) + 0x2003, PHYS(boot_l2) + 0x3003
	.fill	508, 8, 0
boot_l2:                                /* 2048 x 2 MiB = the first 4 GiB */
	.set	i, 0
	.rept	2048
	.quad	(i << 21) | 0x83
	.set	i, i + 1
	.endr

	/* CPU 0's stack (boot_stack, boot_stack_top) is placed by the linker script. */
