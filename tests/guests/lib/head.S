/*
 * head.S - entry point, Xen ELF notes and the hypercall page of a test
 * guest.  The domain builder starts us at _start in 64-bit guest-kernel
 * mode with RSI = start_info (VA) and event delivery masked.
 */
#define XEN_ELFNOTE_ENTRY               1
#define XEN_ELFNOTE_HYPERCALL_PAGE      2
#define XEN_ELFNOTE_VIRT_BASE           3
#define XEN_ELFNOTE_PADDR_OFFSET        4
#define XEN_ELFNOTE_XEN_VERSION         5
#define XEN_ELFNOTE_GUEST_OS            6
#define XEN_ELFNOTE_GUEST_VERSION       7
#define XEN_ELFNOTE_LOADER              8
#define XEN_ELFNOTE_PAE_MODE            9
#define XEN_ELFNOTE_FEATURES           10
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17

/* One note: owner "Xen", type, descriptor assembled by the caller. */
.macro note type
	.pushsection .note.Xen, "a", @note
	.balign 4
	.long 4
	.long 3f - 2f
	.long \type
	.asciz "Xen"
	.balign 4
2:
.endm
.macro endnote
3:
	.balign 4
	.popsection
.endm

#ifdef XEN_GUEST_SECTION
/*
 * No notes at all: the old __xen_guest section (tests/guests/xenguest.c).
 * No ELF_PADDR_OFFSET, so it defaults to VIRT_BASE and p_paddr is the VA
 * (lib/guest.ld with the LMA of each section its VMA, made by module.mk);
 * HYPERCALL_PAGE is a page number from VIRT_BASE (guest.ld puts the page
 * at VIRT_BASE + 0x201000; the program checks it is filled).
 */
	.pushsection __xen_guest, "", @progbits
	.ascii "GUEST_OS=paravane-test,GUEST_VER=1,XEN_VER=xen-3.0,LOADER=generic,"
	.ascii "VIRT_BASE=0xffffffff80000000,HYPERCALL_PAGE=0x201,"
	.asciz "FEATURES=!writable_page_tables|pae_pgdir_above_4gb,PAE=yes,UNKNOWN_NAME=ignored"
	.popsection
#else
	note XEN_ELFNOTE_GUEST_OS
	.asciz "paravane-test"
	endnote
	note XEN_ELFNOTE_GUEST_VERSION
	.asciz "1"
	endnote
	note XEN_ELFNOTE_XEN_VERSION
	.asciz "xen-3.0"
	endnote
	note XEN_ELFNOTE_LOADER
	.asciz "generic"
	endnote
	note XEN_ELFNOTE_PAE_MODE
	.asciz "yes"
	endnote
	note XEN_ELFNOTE_FEATURES
	.asciz "!writable_page_tables|pae_pgdir_above_4gb"
	endnote
	note XEN_ELFNOTE_SUPPORTED_FEATURES
	.long (1 << 0) | (1 << 11)	/* writable_page_tables, dom0 */
	endnote
/*
 * The low-address kernels (tests/guests/lowaddr.c) are linked at VA 0 and
 * leave out one of these notes each (NO_*_NOTE), as Mini-OS-like kernels
 * do; GUEST_VIRT_BASE is the value of their VIRT_BASE note.
 */
#ifndef GUEST_VIRT_BASE
#define GUEST_VIRT_BASE 0xffffffff80000000
#endif
#ifndef NO_VIRT_BASE_NOTE
	note XEN_ELFNOTE_VIRT_BASE
	.quad GUEST_VIRT_BASE
	endnote
#endif
#ifndef NO_PADDR_OFFSET_NOTE
	note XEN_ELFNOTE_PADDR_OFFSET
	.quad 0
	endnote
#endif
#ifndef NO_ENTRY_NOTE
	note XEN_ELFNOTE_ENTRY
	.quad _start
	endnote
#endif
#ifndef NO_HYPERCALL_PAGE_NOTE
	note XEN_ELFNOTE_HYPERCALL_PAGE
	.quad hypercall_page
	endnote
#endif

#endif /* XEN_GUEST_SECTION */

	.section .text.head, "ax"
	.code64
	.globl _start
_start:
	cld
	leaq	boot_stack_top(%rip), %rsp
	movq	%rsi, %rdi
	call	guest_start		/* does not return */
1:	ud2
	jmp	1b

/* Filled with 32-byte stubs by the hypervisor; int3 until then. */
	.section .text.hypercall_page, "ax"
	.balign 4096
	.globl hypercall_page
hypercall_page:
	.fill 4096, 1, 0xcc

	.section .bss
	.balign 16
boot_stack:
	.skip 32768
	.globl boot_stack_top
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
