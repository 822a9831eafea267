/* The PV privileged-instruction emulator: decoding, each instruction form, failures. */
#include "fake/cpu.h"
#include <public/errno.h>

#define VA      (SHIM_VA + 0x100)
#define BUF     (SHIM_VA + 0x2000)       /* page 2: data for string I/O */
#define GP      TRAP_gp_fault
#define UD      TRAP_invalid_op

static int setup(void **state)
{
	(void)state;
	shim_reset();
	return 0;
}

static void assert_no_trap(void) { assert_int_equal(fake_trap.count, 0); }

static void assert_trap(unsigned vector, int64_t ec)
{
	assert_int_equal(fake_trap.count, 1);
	assert_int_equal(fake_trap.vector, vector);
	assert_int_equal(fake_trap.error_code, ec);
}

/* ---- CPUID ---- */

static void test_forced_cpuid(void **state)
{
	SHIM_INSN(VA, 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2);
	shim_regs.rax = 0xdead000040000000ULL;
	shim_regs.rbx = ~0ULL;
	assert_true(shim_emulate(UD));
	assert_int_equal(shim_regs.rip, VA + 7);
	assert_int_equal(shim_regs.rax, 0x40000005);
	assert_int_equal(shim_regs.rbx, XEN_CPUID_SIGNATURE_EBX);
	assert_int_equal(shim_regs.rcx, XEN_CPUID_SIGNATURE_ECX);
	assert_int_equal(shim_regs.rdx, XEN_CPUID_SIGNATURE_EDX);
	assert_no_trap();
}

static void test_forced_cpuid_from_user(void **state)
{
	shim_arch.in_kernel = false;
	SHIM_INSN(VA, 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2);
	shim_regs.rax = 1;
	assert_true(shim_emulate(UD));
	assert_true(shim_regs.rcx & (1u << 31));
}

static void test_forced_prefix_only_cpuid(void **state)
{
	/* Forced prefix + RDMSR: not defined, the #UD goes to the guest. */
	SHIM_INSN(VA, 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0x32);
	assert_false(shim_emulate(UD));
	/* A plain UD2 is the guest's own. */
	SHIM_INSN(VA, 0x0f, 0x0b, 0x90, 0x90, 0x90);
	assert_false(shim_emulate(UD));
	/* Forced CPUID reported as #GP: never emulated. */
	SHIM_INSN(VA, 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2);
	assert_false(shim_emulate(GP));
	/* Truncated prefix. */
	SHIM_INSN(VA, 0x0f, 0x0b, 'x', 'e', 'm', 0x0f, 0xa2);
	assert_false(shim_emulate(UD));
	assert_int_equal(shim_regs.rip, VA);
	assert_no_trap();
}

static void test_cpuid_faulting(void **state)
{
	SHIM_INSN(VA, 0x0f, 0xa2);
	shim_regs.rax = 1;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 2);
	assert_false(shim_regs.rcx & (1u << 5));   /* VMX */
	/* Plain CPUID as #UD is not ours. */
	SHIM_INSN(VA, 0x0f, 0xa2);
	assert_false(shim_emulate(UD));
}

static void test_gp_with_error_code(void **state)
{
	SHIM_INSN(VA, 0x0f, 0xa2);
	shim_regs.error_code = 0x18;
	assert_false(shim_emulate(GP));
	shim_regs.error_code = 0;
	assert_false(shim_emulate(TRAP_page_fault));
}

/* ---- fetch ---- */

static void test_straddle_unmapped_page(void **state)
{
	/* RDTSC in the last two bytes of page 0, page 1 unmapped: still fine. */
	shim_page_mapped[1] = false;
	shim_arch.cr4 = X86_CR4_TSD;
	SHIM_INSN(SHIM_VA + 4094, 0x0f, 0x31);
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, SHIM_VA + 4096);
	assert_int_equal(shim_regs.rax, (uint32_t)shim_tsc);
	assert_int_equal(shim_regs.rdx, shim_tsc >> 32);

	/* The opcode's second byte is on the unmapped page: not handled. */
	shim_mem[4095] = 0x0f;
	shim_regs.rip = SHIM_VA + 4095;
	assert_false(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, SHIM_VA + 4095);

	/* Forced prefix cut by the page boundary. */
	SHIM_INSN(SHIM_VA + 4093, 0x0f, 0x0b, 'x');
	assert_false(shim_emulate(UD));
}

static void test_rip_unmapped(void **state)
{
	shim_page_mapped[0] = false;
	shim_regs.rip = VA;
	assert_false(shim_emulate(GP));
	shim_regs.rip = 0x0000800000000000ULL;   /* non-canonical */
	assert_false(shim_emulate(GP));
	shim_regs.rip = HYPERVISOR_VIRT_START;
	assert_false(shim_emulate(GP));
	assert_no_trap();
}

static void test_too_many_prefixes(void **state)
{
	SHIM_INSN(VA, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
		  0x66, 0x66, 0x66, 0x66, 0x66, 0xe5, 0x60);
	assert_false(shim_emulate(GP));
}

static void test_unknown_opcodes(void **state)
{
	static const uint8_t ops[][3] = {
		{ 0x90 }, { 0xcc }, { 0x0f, 0x05 }, { 0x0f, 0x01, 0xf8 } /* swapgs */,
		{ 0x0f, 0x33 } /* rdpmc */, { 0x0f, 0x00, 0xd8 } /* ltr */,
		{ 0x0f, 0x01, 0xd0 } /* xgetbv */, { 0x0f, 0x01, 0x38 } /* invlpg */,
	};
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		shim_put_insn(VA, ops[i], 3);
		assert_false(shim_emulate(GP));
		assert_int_equal(shim_regs.rip, VA);
	}
	assert_no_trap();
}

/*
 * CLI/STI are allowed with the virtual IOPL a real CPU would want, and then
 * change nothing (as Xen): a POPF could not undo the mask a CLI set.
 */
static void test_cli_sti(void **state)
{
	shim_vcpu_info.evtchn_upcall_mask = 0;
	SHIM_INSN(VA, 0xfa);
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_vcpu_info.evtchn_upcall_mask, 0);
	assert_int_equal(shim_regs.rip, VA + 1);
	shim_vcpu_info.evtchn_upcall_mask = 1;
	SHIM_INSN(VA, 0xfb);
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_vcpu_info.evtchn_upcall_mask, 1);
	shim_vcpu_info.evtchn_upcall_mask = 0;
	/* without the IOPL a real CPU would want, it is the guest's #GP */
	shim_arch.iopl = 0;
	SHIM_INSN(VA, 0xfa);
	assert_false(shim_emulate(GP));
	/* user mode needs IOPL 3 */
	shim_arch.iopl = 1;
	shim_arch.in_kernel = false;
	SHIM_INSN(VA, 0xfa);
	assert_false(shim_emulate(GP));
	shim_arch.iopl = 3;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_vcpu_info.evtchn_upcall_mask, 0);
	assert_no_trap();
}

static void test_lock_prefix(void **state)
{
	SHIM_INSN(VA, 0xf0, 0x0f, 0xa2);
	assert_false(shim_emulate(GP));
	SHIM_INSN(VA, 0xf0, 0x0f, 0x20, 0xc0);   /* AMD's alternative CR8 encoding */
	assert_false(shim_emulate(GP));
}

static void test_unknown_code_segment(void **state)
{
	shim_regs.cs = 0x33;   /* a guest GDT selector; no GDT registered */
	SHIM_INSN(VA, 0x0f, 0xa2);
	assert_false(shim_emulate(GP));
	shim_regs.cs = 0x37;   /* LDT */
	assert_false(shim_emulate(GP));
}

static void test_gdt_code_segment(void **state)
{
	uint64_t gdt[8] = { 0 };

	gdt[6] = 0x00affb000000ffffULL;   /* 64-bit user code */
	gdt[4] = 0x00cffb000000ffffULL;   /* 32-bit user code */
	shim_arch.gdt = gdt;
	shim_arch.gdt_ents = 8;
	shim_regs.cs = 0x33;
	SHIM_INSN(VA, 0x0f, 0xa2);
	assert_true(shim_emulate(GP));
	shim_regs.cs = 0x23;
	SHIM_INSN(VA, 0x0f, 0xa2);
	assert_true(shim_emulate(GP));
	gdt[4] = 0x008ffb000000ffffULL;   /* 16-bit code: not ours */
	SHIM_INSN(VA, 0x0f, 0xa2);
	assert_false(shim_emulate(GP));
	shim_regs.cs = 0x43;                 /* beyond gdt_ents */
	assert_false(shim_emulate(GP));
}

/* ---- single-step, RF ---- */

static void test_single_step(void **state)
{
	SHIM_INSN(VA, 0x0f, 0xa2);
	shim_regs.rflags |= X86_RFLAGS_TF | X86_RFLAGS_RF;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 2);
	assert_false(shim_regs.rflags & X86_RFLAGS_RF);
	assert_trap(TRAP_debug, -1);
	assert_true(shim_arch.debugreg[6] & DR6_BS);
}

/* ---- MSRs ---- */

static void test_wrmsr_gs_base(void **state)
{
	/* startup_xen: wrmsr with ecx=0xc0000101, edx:eax = ffffffff:83044000 */
	SHIM_INSN(VA, 0x0f, 0x30);
	shim_regs.rcx = 0xc0000101;
	shim_regs.rdx = 0xffffffff;
	shim_regs.rax = 0x83044000;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 2);
	assert_int_equal(shim_arch.gs_base_kernel, 0xffffffff83044000ULL);
	assert_int_equal(shim_wrmsr_last, 0xc0000101);
	assert_no_trap();

	SHIM_INSN(VA, 0x0f, 0x32);
	shim_regs.rax = shim_regs.rdx = ~0ULL;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rax, 0x83044000);
	assert_int_equal(shim_regs.rdx, 0xffffffff);
}

static void test_bad_msr_gp(void **state)
{
	SHIM_INSN(VA, 0x0f, 0x32);
	shim_regs.rcx = 0x12345678;
	assert_true(shim_emulate(GP));
	assert_trap(TRAP_gp_fault, 0);
	assert_int_equal(shim_regs.rip, VA);   /* the fault is at the instruction */

	fake_trap.count = 0;
	SHIM_INSN(VA, 0x0f, 0x30);
	shim_regs.rcx = 0xc0000100;
	shim_regs.rdx = 0x8000;                /* non-canonical FS base */
	assert_true(shim_emulate(GP));
	assert_trap(TRAP_gp_fault, 0);
}

static void test_msr_from_user(void **state)
{
	shim_arch.in_kernel = false;
	SHIM_INSN(VA, 0x0f, 0x32);
	shim_regs.rcx = 0xc0000101;
	assert_false(shim_emulate(GP));
	assert_no_trap();
}

/* ---- RDTSC ---- */

static void test_rdtsc_rdtscp(void **state)
{
	shim_arch.msr_tsc_aux = 7;
	SHIM_INSN(VA, 0x0f, 0x01, 0xf9);
	shim_regs.rcx = ~0ULL;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 3);
	assert_int_equal(shim_regs.rcx, 7);
	assert_int_equal(shim_regs.rax, (uint32_t)shim_tsc);

	/* Guest user mode under the guest's own CR4.TSD: the guest's #GP. */
	shim_arch.in_kernel = false;
	shim_arch.cr4 = X86_CR4_TSD;
	SHIM_INSN(VA, 0x0f, 0x31);
	assert_false(shim_emulate(GP));
	shim_arch.cr4 = 0;
	assert_true(shim_emulate(GP));
}

/* ---- port I/O ---- */

static void test_in_out_imm(void **state)
{
	SHIM_INSN(VA, 0xe4, 0x60);              /* in al, 0x60 */
	shim_regs.rax = 0x1122334455667700ULL;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 2);
	assert_int_equal(shim_regs.rax, 0x11223344556677ffULL);

	SHIM_INSN(VA, 0x66, 0xe5, 0x60);        /* in ax, 0x60 */
	shim_regs.rax = 0x1122334455660000ULL;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 3);
	assert_int_equal(shim_regs.rax, 0x112233445566ffffULL);

	SHIM_INSN(VA, 0xe5, 0x60);              /* in eax: zero-extends */
	shim_regs.rax = 0x1122334455660000ULL;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rax, 0xffffffffULL);

	SHIM_INSN(VA, 0xe6, 0x80);              /* out 0x80, al: dropped */
	shim_regs.rax = 0x1234;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 2);
	assert_int_equal(shim_regs.rax, 0x1234);
	SHIM_INSN(VA, 0xe7, 0x80);
	assert_true(shim_emulate(GP));
	assert_int_equal(fake_nr_ports, 0);
	assert_no_trap();
}

static void test_in_out_dx(void **state)
{
	shim_regs.rdx = 0x3f8;
	SHIM_INSN(VA, 0xec);
	shim_regs.rax = 0;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 1);
	assert_int_equal(shim_regs.rax, 0xff);

	SHIM_INSN(VA, 0x48, 0xed);              /* REX.W does not make it 64-bit */
	shim_regs.rax = ~0ULL;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 2);
	assert_int_equal(shim_regs.rax, 0xffffffffULL);

	SHIM_INSN(VA, 0x48, 0x66, 0xed);        /* REX then a prefix: REX ignored */
	shim_regs.rax = 0;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 3);
	assert_int_equal(shim_regs.rax, 0xffff);

	SHIM_INSN(VA, 0xee);
	assert_true(shim_emulate(GP));
	SHIM_INSN(VA, 0x66, 0xef);
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 2);
	assert_int_equal(fake_nr_ports, 0);
}

static void test_io_user_needs_iopl(void **state)
{
	shim_arch.in_kernel = false;
	SHIM_INSN(VA, 0xec);
	assert_false(shim_emulate(GP));
	shim_arch.iopl = 3;
	assert_true(shim_emulate(GP));
	/* Compat-mode user code: IN works, RIP stays 32-bit. */
	shim_regs.cs = FLAT_USER_CS32;
	SHIM_INSN(VA, 0xe4, 0x71);
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, (VA + 2) & 0xffffffffULL);
}

/* As on Xen: guest kernel mode is CPL 1, so port I/O needs virtual IOPL >= 1. */
static void test_io_kernel_needs_iopl1(void **state)
{
	shim_arch.iopl = 0;
	SHIM_INSN(VA, 0xe4, 0x60);
	assert_false(shim_emulate(GP));         /* the #GP goes back to the guest */
	assert_int_equal(shim_regs.rip, VA);
	/* ... unless the architectural_iopl assist makes the kernel CPL 0. */
	shim_dom.vm_assist = 1ul << VMASST_TYPE_architectural_iopl;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 2);
}

static void test_ins_rep(void **state)
{
	SHIM_INSN(VA, 0xf3, 0x6c);              /* rep insb */
	shim_regs.rcx = 3;
	shim_regs.rdi = BUF;
	memset(shim_mem + 0x2000, 0, 8);
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 2);
	assert_int_equal(shim_regs.rcx, 0);
	assert_int_equal(shim_regs.rdi, BUF + 3);
	assert_memory_equal(shim_mem + 0x2000, "\xff\xff\xff\x00", 4);

	/* DF set: backwards; dword elements. */
	SHIM_INSN(VA, 0xf3, 0x6d);
	shim_regs.rflags |= X86_RFLAGS_DF;
	shim_regs.rcx = 2;
	shim_regs.rdi = BUF + 0x10;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rdi, BUF + 0x10 - 8);
	assert_memory_equal(shim_mem + 0x200c, "\xff\xff\xff\xff\xff\xff\xff\xff", 8);

	/* Count 0: nothing moves, RIP advances. */
	shim_regs.rflags &= ~X86_RFLAGS_DF;
	SHIM_INSN(VA, 0xf3, 0x6c);
	shim_regs.rcx = 0;
	shim_regs.rdi = 0x0000800000000000ULL;   /* never touched */
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 2);
	assert_no_trap();
}

static void test_ins_addr32(void **state)
{
	/* 67: ECX/EDI; the upper halves are ignored and cleared. */
	SHIM_INSN(VA, 0x67, 0xf3, 0x6c);
	shim_regs.rcx = 0xffffffff00000001ULL;
	shim_regs.rdi = 0xffffffffffffffffULL;   /* EDI = 0xffffffff: unmapped */
	assert_true(shim_emulate(GP));
	assert_trap(TRAP_page_fault, PFEC_WRITE);
	assert_int_equal(fake_trap.cr2, 0xffffffffULL);
	assert_int_equal(shim_regs.rip, VA);
}

static void test_rep_batches(void **state)
{
	SHIM_INSN(VA, 0xf3, 0x6c);
	shim_regs.rcx = 300;
	shim_regs.rdi = BUF;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA);          /* re-executed by the guest */
	assert_int_equal(shim_regs.rcx, 300 - 128);
	assert_int_equal(shim_regs.rdi, BUF + 128);
	assert_true(shim_emulate(GP));
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rcx, 0);
	assert_int_equal(shim_regs.rip, VA + 2);
	assert_int_equal(shim_regs.rdi, BUF + 300);
}

static void test_ins_faults(void **state)
{
	/* Runs into unmapped page 3 after two bytes: #PF at the third. */
	shim_page_mapped[3] = false;
	SHIM_INSN(VA, 0xf3, 0x6c);
	shim_regs.rcx = 5;
	shim_regs.rdi = SHIM_VA + 0x3000 - 2;
	assert_true(shim_emulate(GP));
	assert_trap(TRAP_page_fault, PFEC_WRITE);
	assert_int_equal(fake_trap.cr2, SHIM_VA + 0x3000);
	assert_int_equal(shim_regs.rcx, 3);
	assert_int_equal(shim_regs.rip, VA);

	/* Non-canonical destination: #GP(0). */
	fake_trap.count = 0;
	shim_regs.rdi = 0x0000800000000000ULL;
	assert_true(shim_emulate(GP));
	assert_trap(TRAP_gp_fault, 0);
	/* Hypervisor hole: #GP(0), nothing written. */
	fake_trap.count = 0;
	shim_regs.rdi = HYPERVISOR_VIRT_START + 16;
	assert_true(shim_emulate(GP));
	assert_trap(TRAP_gp_fault, 0);
}

static void test_outs_segment_override(void **state)
{
	/* rep outsw from gs:rsi, gs = kernel GS base. */
	shim_arch.gs_base_kernel = BUF;
	SHIM_INSN(VA, 0x65, 0x66, 0xf3, 0x6f);
	shim_regs.rcx = 4;
	shim_regs.rsi = 0x10;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 4);
	assert_int_equal(shim_regs.rsi, 0x18);
	assert_int_equal(shim_regs.rcx, 0);

	/* Source unreadable: #PF without the write bit. */
	shim_page_mapped[2] = false;
	SHIM_INSN(VA, 0x6e);
	shim_regs.rsi = BUF + 5;
	assert_true(shim_emulate(GP));
	assert_trap(TRAP_page_fault, 0);
	assert_int_equal(fake_trap.cr2, BUF + 5);
	assert_int_equal(fake_nr_ports, 0);
}

static void test_string_io_compat_not_handled(void **state)
{
	shim_arch.in_kernel = false;
	shim_arch.iopl = 3;
	shim_regs.cs = FLAT_USER_CS32;
	SHIM_INSN(VA, 0x6c);
	assert_false(shim_emulate(GP));
}

/* ---- HLT, CLTS, WBINVD ---- */

static void test_hlt(void **state)
{
	SHIM_INSN(VA, 0xf4);
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 1);
	assert_int_equal(shim_blocks, 1);
	shim_arch.in_kernel = false;
	assert_false(shim_emulate(GP));
	assert_int_equal(shim_blocks, 1);
}

static void test_clts_wbinvd(void **state)
{
	shim_arch.fpu_ts = true;
	SHIM_INSN(VA, 0x0f, 0x06);
	assert_true(shim_emulate(GP));
	assert_false(shim_arch.fpu_ts);
	assert_int_equal(shim_regs.rip, VA + 2);

	SHIM_INSN(VA, 0x0f, 0x09);
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_wbinvds, 1);
	shim_dom.is_privileged = false;
	SHIM_INSN(VA, 0x0f, 0x08);                /* INVD: a no-op for DomU */
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_wbinvds, 1);
	assert_int_equal(shim_regs.rip, VA + 2);
}

/* ---- control registers ---- */

static void test_mov_from_cr(void **state)
{
	const uint64_t cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE |
			     X86_CR0_WP | X86_CR0_AM | X86_CR0_PG;

	SHIM_INSN(VA, 0x0f, 0x20, 0xc0);          /* mov rax, cr0 */
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 3);
	assert_int_equal(shim_regs.rax, cr0);
	shim_arch.fpu_ts = true;
	SHIM_INSN(VA, 0x41, 0x0f, 0x20, 0xc3);    /* mov r11, cr0 */
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.r11, cr0 | X86_CR0_TS);
	assert_int_equal(shim_regs.rip, VA + 4);

	shim_vcpu_info.arch.cr2 = 0xfeedf00d;
	SHIM_INSN(VA, 0x0f, 0x20, 0xd1);          /* mov rcx, cr2 */
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rcx, 0xfeedf00d);

	SHIM_INSN(VA, 0x0f, 0x20, 0xda);          /* mov rdx, cr3 */
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rdx, 0x1234000);

	SHIM_INSN(VA, 0x0f, 0x20, 0xe4);          /* mov rsp, cr4 */
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rsp, X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);

	SHIM_INSN(VA, 0x44, 0x0f, 0x20, 0xc0);    /* mov rax, cr8 */
	assert_false(shim_emulate(GP));
	SHIM_INSN(VA, 0x0f, 0x20, 0xc8);          /* cr1 */
	assert_false(shim_emulate(GP));
	assert_no_trap();
}

static void test_mov_to_cr(void **state)
{
	const uint64_t cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE |
			     X86_CR0_WP | X86_CR0_AM | X86_CR0_PG;

	SHIM_INSN(VA, 0x0f, 0x22, 0xc0);          /* mov cr0, rax */
	shim_regs.rax = cr0 | X86_CR0_TS;
	assert_true(shim_emulate(GP));
	assert_true(shim_arch.fpu_ts);
	assert_int_equal(shim_regs.rip, VA + 3);
	shim_regs.rax = cr0;
	shim_regs.rip = VA;
	assert_true(shim_emulate(GP));
	assert_false(shim_arch.fpu_ts);
	assert_no_trap();

	shim_regs.rax = cr0 & ~X86_CR0_WP;        /* anything but TS: #GP */
	shim_regs.rip = VA;
	assert_true(shim_emulate(GP));
	assert_trap(TRAP_gp_fault, 0);
	assert_int_equal(shim_regs.rip, VA);

	/* CR4: owned bits kept, the others dropped quietly. */
	fake_trap.count = 0;
	SHIM_INSN(VA, 0x0f, 0x22, 0xe3);          /* mov cr4, rbx */
	shim_regs.rbx = X86_CR4_OSXSAVE | X86_CR4_TSD | (1u << 7) /* PGE */ | (1u << 20);
	assert_true(shim_emulate(GP));
	assert_int_equal(pv_guest_cr4(&shim_vcpu), X86_CR4_PAE | X86_CR4_OSFXSR |
			 X86_CR4_OSXMMEXCPT | X86_CR4_OSXSAVE | X86_CR4_TSD);
	assert_no_trap();

	/* CR2 is writable; a CR3 write is NEW_BASEPTR (pv/mm.c; the shim records the frame). */
	SHIM_INSN(VA, 0x0f, 0x22, 0xd0);
	shim_regs.rax = 0x4242;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_vcpu_info.arch.cr2, 0x4242);
	SHIM_INSN(VA, 0x0f, 0x22, 0xd8);
	shim_regs.rax = 0x1234000;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_arch.kernel_l4, 0x1234);
	/* a validation preempted part-way: the MOV re-executes (RIP stays); refused: #GP */
	shim_new_baseptr_rc = -XEN_ERESTART;
	SHIM_INSN(VA, 0x0f, 0x22, 0xd8);
	shim_regs.rax = 0x5678000;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA);
	assert_no_trap();
	assert_int_equal(shim_arch.kernel_l4, 0x1234);
	shim_new_baseptr_rc = -XEN_EINVAL;
	assert_true(shim_emulate(GP));
	assert_trap(TRAP_gp_fault, 0);
	shim_new_baseptr_rc = 0;
	fake_trap.count = 0;

	/* From guest user mode: the guest's #GP. */
	shim_arch.in_kernel = false;
	SHIM_INSN(VA, 0x0f, 0x20, 0xc0);
	assert_false(shim_emulate(GP));
}

/* ---- debug registers ---- */

static void test_mov_dr(void **state)
{
	SHIM_INSN(VA, 0x0f, 0x23, 0xc8);          /* mov dr1, rax */
	shim_regs.rax = 0xffffffff81000000ULL;
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_arch.debugreg[1], 0xffffffff81000000ULL);
	assert_int_equal(shim_regs.rip, VA + 3);

	shim_regs.rip = VA;
	shim_regs.rax = HYPERVISOR_VIRT_START + 0x1000;   /* the hole */
	assert_true(shim_emulate(GP));
	assert_trap(TRAP_gp_fault, 0);
	assert_int_equal(shim_arch.debugreg[1], 0xffffffff81000000ULL);

	fake_trap.count = 0;
	shim_regs.rax = 0x0000800000000000ULL;    /* non-canonical */
	assert_true(shim_emulate(GP));
	assert_trap(TRAP_gp_fault, 0);

	fake_trap.count = 0;
	SHIM_INSN(VA, 0x0f, 0x23, 0xf9);          /* mov dr7, rcx */
	shim_regs.rcx = 0x2 | (1u << 13);         /* GD */
	assert_true(shim_emulate(GP));
	assert_trap(TRAP_gp_fault, 0);
	fake_trap.count = 0;
	shim_regs.rcx = 0x2 | (2u << 16);         /* I/O breakpoint */
	assert_true(shim_emulate(GP));
	assert_trap(TRAP_gp_fault, 0);
	fake_trap.count = 0;
	shim_regs.rcx = 1ULL << 32;
	assert_true(shim_emulate(GP));
	assert_trap(TRAP_gp_fault, 0);
	fake_trap.count = 0;
	/* L0, write breakpoint; reserved bit 12 is cleared, not refused (as Xen) */
	shim_regs.rcx = 0x2 | (1u << 16) | (1u << 12);
	assert_true(shim_emulate(GP));
	assert_no_trap();

	SHIM_INSN(VA, 0x0f, 0x21, 0xfa);          /* mov rdx, dr7 */
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rdx, 0x10402);
	SHIM_INSN(VA, 0x0f, 0x21, 0xea);          /* mov rdx, dr5 = dr7 */
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rdx, 0x10402);
	SHIM_INSN(VA, 0x0f, 0x21, 0xf0);          /* mov rax, dr6 */
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rax, 0xffff0ff0);

	shim_arch.cr4 = X86_CR4_DE;               /* DR4/5 now #UD */
	SHIM_INSN(VA, 0x0f, 0x21, 0xe0);
	assert_true(shim_emulate(GP));
	assert_trap(TRAP_invalid_op, -1);
	assert_int_equal(shim_regs.rip, VA);
}

/* MOV to DR arms the CPU, as set_debugreg does: the vCPU runs (current_vcpu). */
static void test_mov_dr_loads_cpu(void **state)
{
	SHIM_INSN(VA, 0x0f, 0x23, 0xc0);          /* mov dr0, rax */
	shim_regs.rax = 0x1000;
	assert_true(shim_emulate(GP));
	SHIM_INSN(VA, 0x0f, 0x23, 0xf8);          /* mov dr7, rax */
	shim_regs.rax = 0x1 | (1u << 16) | (2u << 18);
	assert_true(shim_emulate(GP));
	assert_no_trap();
	assert_int_equal(shim_hw_dr7, 0x10401 | (2u << 18));
	assert_int_equal(shim_hw_dr[0], 0x1000);
	shim_regs.rax = 0;
	SHIM_INSN(VA, 0x0f, 0x23, 0xf8);
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_hw_dr7, 0);
}

/*
 * I/O breakpoints: only with CR4.DE; never in the CPU's DR7; an emulated
 * access that touches the port raises #DB after the instruction, with the
 * breakpoint's DR6 bit.
 */
static void test_io_breakpoint(void **state)
{
	uint64_t io1 = 0x4 | (2u << 20) | (1u << 22);   /* L1, I/O, 2 bytes */

	shim_arch.debugreg[1] = 0x81;
	assert_int_equal(pv_set_debugreg(&shim_vcpu, 7, io1), -XEN_EPERM);
	shim_arch.cr4 = X86_CR4_DE;
	assert_int_equal(pv_set_debugreg(&shim_vcpu, 7, io1), 0);
	assert_int_equal(shim_hw_dr7, 0);         /* nothing armed in the CPU */
	assert_int_equal(pv_io_breakpoints(&shim_vcpu, 0x80, 1), 0);
	assert_int_equal(pv_io_breakpoints(&shim_vcpu, 0x83, 1), 0);
	assert_int_equal(pv_io_breakpoints(&shim_vcpu, 0x80, 2), 2);
	assert_int_equal(pv_io_breakpoints(&shim_vcpu, 0x82, 4), 2);

	SHIM_INSN(VA, 0xe6, 0x80);                /* out 0x80, al: misses */
	assert_true(shim_emulate(GP));
	assert_no_trap();
	SHIM_INSN(VA, 0xe6, 0x82);                /* out 0x82, al: hits */
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_regs.rip, VA + 2);   /* a trap: after the instruction */
	assert_trap(TRAP_debug, -1);
	assert_int_equal(shim_arch.debugreg[6] & 0xf, 2);

	shim_arch.cr4 = 0;                        /* without CR4.DE they are off */
	assert_int_equal(pv_io_breakpoints(&shim_vcpu, 0x82, 1), 0);
}

/* ---- XSETBV ---- */

static void xsetbv(uint32_t ecx, uint32_t edx, uint32_t eax)
{
	fake_trap.count = 0;
	SHIM_INSN(VA, 0x0f, 0x01, 0xd1);
	shim_regs.rcx = ecx;
	shim_regs.rdx = edx;
	shim_regs.rax = eax;
}

static void test_xsetbv(void **state)
{
	xsetbv(0, 0, 7);                          /* OSXSAVE still clear: #UD */
	assert_true(shim_emulate(GP));
	assert_trap(TRAP_invalid_op, -1);

	shim_arch.cr4 = X86_CR4_OSXSAVE;
	xsetbv(0, 0, 7);
	assert_true(shim_emulate(GP));
	assert_no_trap();
	assert_int_equal(shim_arch.xcr0, 7);
	assert_int_equal(shim_xcr0_written, 7);
	assert_int_equal(shim_regs.rip, VA + 3);

	xsetbv(0, 0, 0xe7);                       /* AVX-512 */
	assert_true(shim_emulate(GP));
	assert_int_equal(shim_arch.xcr0, 0xe7);
}

static void test_xsetbv_bad_values(void **state)
{
	static const struct { uint32_t ecx, edx, eax; } bad[] = {
		{ 0, 0, 6 },        /* no x87 */
		{ 0, 0, 5 },        /* AVX without SSE */
		{ 0, 0, 0x27 },     /* part of AVX-512 */
		{ 0, 0, 0xe3 },     /* AVX-512 without AVX */
		{ 0, 0, 0x207 },    /* PKRU: host has it, PV does not */
		{ 0, 0, 0x1f },     /* MPX: host lacks it */
		{ 0, 1, 7 },        /* high bits */
		{ 1, 0, 7 },        /* XCR1 */
	};
	shim_arch.cr4 = X86_CR4_OSXSAVE;
	shim_arch.xcr0 = 3;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		xsetbv(bad[i].ecx, bad[i].edx, bad[i].eax);
		assert_true(shim_emulate(GP));
		assert_trap(TRAP_gp_fault, 0);
		assert_int_equal(shim_regs.rip, VA);
	}
	assert_int_equal(shim_arch.xcr0, 3);
	assert_int_equal(shim_xcr0_written, ~0ULL);

	shim_arch.in_kernel = false;
	xsetbv(0, 0, 7);
	assert_false(shim_emulate(GP));
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_forced_cpuid), T(test_forced_cpuid_from_user), T(test_forced_prefix_only_cpuid),
		T(test_cpuid_faulting), T(test_gp_with_error_code),
		T(test_straddle_unmapped_page), T(test_rip_unmapped), T(test_too_many_prefixes),
		T(test_unknown_opcodes), T(test_lock_prefix), T(test_unknown_code_segment),
		T(test_gdt_code_segment), T(test_single_step),
		T(test_wrmsr_gs_base), T(test_bad_msr_gp), T(test_msr_from_user),
		T(test_rdtsc_rdtscp),
		T(test_in_out_imm), T(test_in_out_dx), T(test_io_user_needs_iopl),
		T(test_io_kernel_needs_iopl1),
		T(test_cli_sti), T(test_ins_rep), T(test_ins_addr32), T(test_rep_batches), T(test_ins_faults),
		T(test_outs_segment_override), T(test_string_io_compat_not_handled),
		T(test_hlt), T(test_clts_wbinvd),
		T(test_mov_from_cr), T(test_mov_to_cr), T(test_mov_dr), T(test_mov_dr_loads_cpu), T(test_io_breakpoint),
		T(test_xsetbv), T(test_xsetbv_bad_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
