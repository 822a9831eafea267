/*
 * traps - set_trap_table and exception bounces: #UD, #GP, #PF (CR2 and
 * error code), int3, divide error, int $0x80 (DPL 3), int $n without a
 * gate, each resumed with the iret hypercall; set_trap_table bad args.
 */
#include "guest.h"

const char test_name[] = "traps";

static void expect_trap(const char *what, uint64_t vec, uint64_t err,
			uint64_t rip)
{
	char n[64];

	gsnprintf(n, sizeof(n), "%s_delivered", what);
	check(last_trap.count == 1, tname(n), "%d traps taken", last_trap.count);
	gsnprintf(n, sizeof(n), "%s_vector", what);
	EXPECT(n, last_trap.vector, vec);
	gsnprintf(n, sizeof(n), "%s_error_code", what);
	check(last_trap.error_code == err, tname(n), "got 0x%lx, want 0x%lx",
	      last_trap.error_code, err);
	if (rip) {
		gsnprintf(n, sizeof(n), "%s_rip", what);
		check(last_trap.rip == rip, tname(n), "got 0x%lx, want 0x%lx",
		      last_trap.rip, rip);
	}
}

extern char ud2_insn[], int3_after[], int80_after[];

void test_main(void)
{
	volatile uint64_t x = 0;
	uint64_t rbx;
	long rc;

	trap_reset();
	EXPECT_FAULT(".globl ud2_insn\nud2_insn: ud2");
	expect_trap("ud", 6, 0, (uint64_t)ud2_insn);

	/* Frame details: kernel-mode CS (RPL cleared), IF = !upcall mask. */
	check((last_trap.cs & 0xfffc) == (FLAT_KERNEL_CS & 0xfffc),
	      tname("frame_cs_kernel"), "cs 0x%lx", last_trap.cs);
	check(!(last_trap.rflags & 0x200) ==
	      !!shared_info->vcpu_info[0].evtchn_upcall_mask,
	      tname("frame_if_is_not_mask"), "rflags 0x%lx mask %d",
	      last_trap.rflags, shared_info->vcpu_info[0].evtchn_upcall_mask);

	/* Registers survive a bounce + iret. */
	trap_reset();
	__asm__ volatile("movabs $0x1234567890abcdef, %%rbx\n"
			 "1: ud2\n2:\n"
			 ".pushsection .fixups, \"aw\"\n.balign 8\n.quad 1b, 2b\n.popsection\n"
			 "mov %%rbx, %0" : "=r"(rbx) :: "rbx");
	EXPECT("rbx_preserved_over_trap", rbx == 0x1234567890abcdefULL, 1);

	/*
	 * RCX and R11 reach the handler on its stack, not in the registers
	 * (both hypervisors may enter it by SYSRET): they survive because the
	 * handler pops them and the iret restores them.
	 */
	trap_reset();
	uint64_t rcx, r11;
	__asm__ volatile("movabs $0x1122334455667788, %%rcx\n"
			 "movabs $0x0badc0ffee0dd00d, %%r11\n"
			 "1: ud2\n2:\n"
			 ".pushsection .fixups, \"aw\"\n.balign 8\n.quad 1b, 2b\n.popsection\n"
			 "mov %%rcx, %0\n"
			 "mov %%r11, %1" : "=r"(rcx), "=r"(r11) :: "rcx", "r11");
	check_eq_hex(tname("rcx_preserved_over_trap"), rcx, 0x1122334455667788ULL);
	check_eq_hex(tname("r11_preserved_over_trap"), r11, 0x0badc0ffee0dd00dULL);
	trap_reset();
	__asm__ volatile("movabs $0x8877665544332211, %%rcx\n"
			 "movabs $0x00d00dfeedface00, %%r11\n"
			 "int3\n2:\n"
			 ".pushsection .fixups, \"aw\"\n.balign 8\n.quad 2b, 2b\n.popsection\n"
			 "mov %%rcx, %0\n"
			 "mov %%r11, %1" : "=r"(rcx), "=r"(r11) :: "rcx", "r11");
	check_eq_hex(tname("rcx_preserved_over_int3"), rcx, 0x8877665544332211ULL);
	check_eq_hex(tname("r11_preserved_over_int3"), r11, 0x00d00dfeedface00ULL);

	trap_reset();
	EXPECT_FAULT("movq (%0), %%rax", :: "r"(BAD_NONCANON2) : "rax");
	expect_trap("gp_noncanonical", 13, 0, 0);

	trap_reset();
	EXPECT_FAULT("movw %w0, %%ds", :: "r"(0x1234));
	/* 0x1234: LDT selector (TI=1), index 0x246; error code = sel & ~3. */
	expect_trap("gp_bad_selector", 13, 0x1234, 0);

	trap_reset();
	EXPECT_FAULT("movq (%0), %%rax", :: "r"(BAD_UNMAPPED + 0x123) : "rax");
	expect_trap("pf_read_unmapped", 14, 0, 0);
	check_eq_hex(tname("pf_read_cr2"), last_trap.cr2, BAD_UNMAPPED + 0x123);

	trap_reset();
	EXPECT_FAULT("movq %%rax, (%0)", :: "r"(BAD_UNMAPPED + 0x2468), "a"(0));
	expect_trap("pf_write_unmapped", 14, 2, 0);
	check_eq_hex(tname("pf_write_cr2"), last_trap.cr2, BAD_UNMAPPED + 0x2468);

	/* The M2P table is present but read-only for the guest. */
	trap_reset();
	EXPECT_FAULT("movq %%rax, (%0)", :: "r"(MACH2PHYS_VIRT_START + 8), "a"(0));
	expect_trap("pf_write_readonly_m2p", 14, 3, 0);
	check_eq_hex(tname("pf_m2p_cr2"), last_trap.cr2, MACH2PHYS_VIRT_START + 8);

	/* The hypervisor's own memory faults like a not-present page. */
	trap_reset();
	EXPECT_FAULT("movq (%0), %%rax", :: "r"(BAD_HYPERVISOR) : "rax");
	check(last_trap.count == 1 && last_trap.vector == 14,
	      tname("pf_read_hypervisor"), "count %d vector %lu err 0x%lx",
	      last_trap.count, last_trap.vector, last_trap.error_code);

	trap_reset();
	EXPECT_TRAP(".globl int3_after\nint3\nint3_after:");
	expect_trap("int3", 3, 0, (uint64_t)int3_after);

	trap_reset();
	EXPECT_FAULT("divq %1", : "+a"(x) : "r"(0UL), "d"(0UL));
	expect_trap("divide_error", 0, 0, 0);

	trap_reset();
	EXPECT_TRAP(".globl int80_after\nint $0x80\nint80_after:");
	expect_trap("int80_dpl3", 128, 0, (uint64_t)int80_after);

	/*
	 * No gate for 0x81: #GP with the IDT-vector error code 0x81*8+2.
	 * QEMU 7.2's TCG reports 0x81*16+2 for this case and Xen 4.17 passes
	 * that on unchanged; Paravane decodes the `int` and must give the
	 * architectural value.  (On real hardware Xen gives 0x40a too.)
	 */
	trap_reset();
	EXPECT_FAULT("int $0x81");
	expect_trap("int81_no_gate", 13,
		    hv_is_paravane() || last_trap.error_code != 0x81 * 16 + 2 ?
		    0x81 * 8 + 2 : 0x81 * 16 + 2, 0);

	/* set_trap_table: bad pointers are refused, NULL clears. */
	EXPECT("set_trap_table_noncanonical",
	       HYPERVISOR_set_trap_table((void *)BAD_NONCANON), -XEN_EFAULT);
	EXPECT("set_trap_table_hypervisor",
	       HYPERVISOR_set_trap_table((void *)BAD_HYPERVISOR), -XEN_EFAULT);
	EXPECT("set_trap_table_unmapped",
	       HYPERVISOR_set_trap_table((void *)BAD_UNMAPPED), -XEN_EFAULT);
	rc = HYPERVISOR_set_trap_table(NULL);
	EXPECT("set_trap_table_null_clears", rc, 0);
	traps_install();

	/* Still working after re-install. */
	trap_reset();
	EXPECT_FAULT("ud2");
	EXPECT("trap_after_reinstall", last_trap.vector == 6 && last_trap.count == 1, 1);

	/*
	 * CLI/STI with virtual IOPL 1 are emulated and leave the upcall mask
	 * alone (Xen's rule: a POPF could not restore it), as Linux's
	 * PUSHF; CLI; ...; POPF needs.
	 */
	{
		struct physdev_set_iopl io = { .iopl = 1 };
		volatile uint8_t *mask = &shared_info->vcpu_info[0].evtchn_upcall_mask;
		uint8_t saved = *mask;

		EXPECT("set_iopl_1", HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io), 0);
		*mask = 0;
		trap_reset();
		__asm__ volatile("cli" ::: "memory");
		EXPECT("cli_no_trap", last_trap.count, 0);
		EXPECT("cli_leaves_mask", *mask, 0);
		*mask = 1;
		__asm__ volatile("sti" ::: "memory");
		EXPECT("sti_no_trap", last_trap.count, 0);
		EXPECT("sti_leaves_mask", *mask, 1);
		*mask = saved;
		io.iopl = 0;
		EXPECT("set_iopl_0", HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io), 0);
		trap_reset();
		EXPECT_FAULT("cli");
		expect_trap("cli_without_iopl", 13, 0, 0);
	}
}
