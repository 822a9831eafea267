/*
 * Dom0 I/O privilege: the hypervisor's ports, the initial domain's grant,
 * and the emulator's two checks (the guest's IOPL or I/O bitmap; the grant).
 * Built from arch/x86/pv/physdev_io.c and emulate_io.c over fake/dom0.c.
 */
#include "fake/dom0.h"
#include <arch.h>

#include <string.h>
#include <cmdline.h>
#include <asm/ioports.h>
#include <asm/pv.h>
#include "emulate.h"

#define BITMAP_VA DSHIM_KVA   /* the guest's I/O bitmap: two pages at the start */

static int setup(void **state)
{
	dshim_reset();
	return 0;
}

static int teardown(void **state)
{
	ioports_domain_destroy(&dshim_dom0);
	ioports_domain_destroy(&dshim_domu);
	return 0;
}

/* ---- the hypervisor's own ports ---- */

static void test_hypervisor_owned_ports(void **state)
{
	/* { port, size }: every one touches something the hypervisor owns. */
	static const unsigned owned[][2] = {
		{ 0x20, 1 }, { 0x21, 1 }, { 0xa0, 1 }, { 0xa1, 1 },
		{ 0x40, 1 }, { 0x43, 1 }, { 0x61, 1 }, { 0x92, 1 },
		{ 0xf4, 1 }, { 0xf7, 1 }, { 0x4d0, 2 }, { 0xcf9, 1 },
		{ 0x3f8, 1 }, { 0x3ff, 1 }, { 0x3f6, 4 },  /* 0x3f6-0x3f9 reaches COM1 */
		{ 0x1e, 4 },                                 /* 0x1e-0x21 reaches the PIC */
		{ 0xcf8, 2 },                                /* word at 0xcf8 covers 0xcf9 */
		{ 0xffff, 2 }, { 0x10000, 1 }, { 0x60, 0 },  /* past the end; empty */
	};
	static const unsigned free_ports[][2] = {
		{ 0x60, 1 }, { 0x64, 1 }, { 0x70, 1 }, { 0x71, 1 }, { 0x80, 1 },
		{ 0xcf8, 4 }, { 0xcf8, 1 }, { 0xcfc, 4 }, { 0xcfe, 2 }, { 0x2f8, 1 },
		{ 0x3f7, 1 }, { 0x400, 4 }, { 0xfffc, 4 }, { 0xffff, 1 },
	};

	for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
		assert_true(ioport_hypervisor_owned(owned[i][0], owned[i][1]));
	for (size_t i = 0; i < sizeof(free_ports) / sizeof(free_ports[0]); i++)
		assert_false(ioport_hypervisor_owned(free_ports[i][0], free_ports[i][1]));
}

static void test_com1_follows_options(void **state)
{
	hv_opts.com1_port = 0x2f8;
	assert_true(ioport_hypervisor_owned(0x2f8, 1));
	assert_true(ioport_hypervisor_owned(0x2ff, 1));
	assert_false(ioport_hypervisor_owned(0x3f8, 1));
	/* console=vga: the UART is not the hypervisor's; Dom0 may have it. */
	hv_opts.console_com1 = false;
	assert_false(ioport_hypervisor_owned(0x2f8, 1));
}

/* ---- the grant ---- */

static void test_dom0_grant(void **state)
{
	assert_true(ioports_domain_permitted(&dshim_dom0, 0x70, 1));    /* made on first use */
	assert_true(ioports_domain_permitted(&dshim_dom0, 0xcfc, 4));
	assert_true(ioports_domain_permitted(&dshim_dom0, 0xcf8, 4));
	assert_true(ioports_domain_permitted(&dshim_dom0, 0x60, 1));
	assert_false(ioports_domain_permitted(&dshim_dom0, 0x3f8, 1));
	assert_false(ioports_domain_permitted(&dshim_dom0, 0x20, 1));
	assert_false(ioports_domain_permitted(&dshim_dom0, 0x40, 1));
	assert_false(ioports_domain_permitted(&dshim_dom0, 0x61, 1));
	assert_false(ioports_domain_permitted(&dshim_dom0, 0xf4, 1));
	assert_false(ioports_domain_permitted(&dshim_dom0, 0xcf9, 1));
	assert_false(ioports_domain_permitted(&dshim_dom0, 0xcf8, 2));
	assert_false(ioports_domain_permitted(&dshim_dom0, 0xffff, 4));
	assert_int_equal(ioports_grant_initial(&dshim_dom0), 0);        /* idempotent */
	assert_true(ioports_domain_permitted(&dshim_dom0, 0x71, 1));
}

static void test_domu_has_no_ports(void **state)
{
	assert_false(ioports_domain_permitted(&dshim_domu, 0x70, 1));
	assert_false(ioports_domain_permitted(&dshim_domu, 0xcfc, 4));
	/* An I/O bitmap of its own grants nothing on the hardware. */
	assert_int_equal(ioports_set_guest_bitmap(&dshim_vu, BITMAP_VA, 65536), 0);
	assert_false(ioports_domain_permitted(&dshim_domu, 0x70, 1));
}

/*
 * XEN_DOMCTL_ioport_permission's grant (arch_ioports_permit): Dom0 gives a
 * DomU ports it holds itself, the DomU then reaches exactly those, and
 * loses them again; the hypervisor's ports and ranges a DomU does not
 * hold cannot be handed on; bad ranges change nothing.
 */
static void test_permit_grant(void **state)
{
	assert_int_equal(arch_ioports_permit(&dshim_dom0, &dshim_domu, 0x2f8, 0x2ff, true), 0);
	assert_true(ioports_domain_permitted(&dshim_domu, 0x2f8, 1));
	assert_true(ioports_domain_permitted(&dshim_domu, 0x2fc, 4));
	assert_false(ioports_domain_permitted(&dshim_domu, 0x2f7, 1));
	assert_false(ioports_domain_permitted(&dshim_domu, 0x2fe, 4));     /* runs past 0x2ff */
	/* the hypervisor's own (COM1, the PIT, the reset port): the caller does not hold them */
	assert_int_equal(arch_ioports_permit(&dshim_dom0, &dshim_domu, 0x3f8, 0x3ff, true), -XEN_EPERM);
	assert_int_equal(arch_ioports_permit(&dshim_dom0, &dshim_domu, 0x40, 0x40, true), -XEN_EPERM);
	assert_int_equal(arch_ioports_permit(&dshim_dom0, &dshim_domu, 0xcf8, 0xcff, true), -XEN_EPERM);
	assert_false(ioports_domain_permitted(&dshim_domu, 0xcfc, 1));    /* nothing of a refused range */
	/* a DomU cannot hand on what it was not given */
	assert_int_equal(arch_ioports_permit(&dshim_domu, &dshim_dom0, 0x2f8, 0x300, true), -XEN_EPERM);
	assert_int_equal(arch_ioports_permit(&dshim_dom0, &dshim_domu, 5, 4, true), -XEN_EINVAL);
	assert_int_equal(arch_ioports_permit(&dshim_dom0, &dshim_domu, 0xfff0, 0x10000, true), -XEN_EINVAL);
	/* taken back, in part then whole */
	assert_int_equal(arch_ioports_permit(&dshim_dom0, &dshim_domu, 0x2f8, 0x2f9, false), 0);
	assert_false(ioports_domain_permitted(&dshim_domu, 0x2f8, 1));
	assert_true(ioports_domain_permitted(&dshim_domu, 0x2fa, 1));
	assert_int_equal(arch_ioports_permit(&dshim_dom0, &dshim_domu, 0x2f8, 0x2ff, false), 0);
	assert_false(ioports_domain_permitted(&dshim_domu, 0x2fa, 1));
}

/* ---- the emulator: IN/OUT through pv_emul_io ---- */

static struct cpu_regs regs;

static enum pv_emul_rc run(struct vcpu *v, uint8_t op, bool opsize, uint16_t port)
{
	struct pv_insn insn = { .op = op, .opsize = opsize, .mode64 = true,
				.imm8 = (uint8_t)port };

	regs.rdx = port;
	set_current_vcpu(v);
	return pv_emul_io(v, &regs, &insn);
}

static void test_dom0_real_and_virtual(void **state)
{
	regs.rax = 0;
	assert_int_equal(run(&dshim_v0, 0xec, false, 0x71), EMUL_DONE);   /* in al, dx */
	assert_int_equal(fake_nr_ports, 1);
	assert_int_equal(fake_ports[0].port, 0x71);
	assert_int_equal(regs.rax, 0x5a);

	assert_int_equal(run(&dshim_v0, 0xed, false, 0xcfc), EMUL_DONE);  /* in eax, dx */
	assert_int_equal(fake_ports[1].size, 4);
	assert_int_equal(regs.rax, 0x5a5a5a5a);

	regs.rax = 0x80;
	assert_int_equal(run(&dshim_v0, 0xee, false, 0x70), EMUL_DONE);   /* out dx, al */
	assert_true(fake_ports[2].write);
	assert_int_equal(fake_ports[2].val, 0x80);

	/* The hypervisor's ports: all ones, writes dropped, no hardware access. */
	fake_nr_ports = 0;
	assert_int_equal(run(&dshim_v0, 0xec, false, 0x3f8), EMUL_DONE);
	assert_int_equal(regs.rax & 0xff, 0xff);
	assert_int_equal(run(&dshim_v0, 0xee, false, 0x3fb), EMUL_DONE);
	assert_int_equal(run(&dshim_v0, 0xe6, false, 0x20), EMUL_DONE);   /* out imm8, al */
	assert_int_equal(run(&dshim_v0, 0xe4, false, 0x40), EMUL_DONE);   /* in al, imm8 */
	assert_int_equal(run(&dshim_v0, 0xef, true, 0xcf8), EMUL_DONE);   /* out dx, ax */
	assert_int_equal(fake_nr_ports, 0);
}

static void test_domu_all_virtual(void **state)
{
	regs.rax = 0;
	assert_int_equal(run(&dshim_vu, 0xec, false, 0x71), EMUL_DONE);
	assert_int_equal(regs.rax, 0xff);
	assert_int_equal(run(&dshim_vu, 0xee, false, 0x70), EMUL_DONE);
	assert_int_equal(fake_nr_ports, 0);
}

/* Dom0 gets PIT channel 2 (pit_ch2.c); channels 0 and 1 stay the hypervisor's. */
static void test_dom0_pit_channel2(void **state)
{
	regs.rax = 0;
	assert_int_equal(run(&dshim_v0, 0xe4, false, 0x42), EMUL_DONE);   /* in al, 0x42 */
	assert_int_equal(fake_nr_ports, 1);
	assert_int_equal(fake_ports[0].port, 0x42);
	assert_int_equal(regs.rax, 0x5a);
	regs.rax = 0xb0;                                                    /* ch 2, lo/hi, mode 0 */
	assert_int_equal(run(&dshim_v0, 0xe6, false, 0x43), EMUL_DONE);
	assert_int_equal(fake_nr_ports, 2);
	assert_int_equal(fake_ports[1].val, 0xb0);
	regs.rax = 0xd8;                                                    /* read-back of ch 2 only */
	assert_int_equal(run(&dshim_v0, 0xe6, false, 0x43), EMUL_DONE);
	assert_int_equal(fake_nr_ports, 3);
	regs.rax = 0xff;                                                    /* gate 2 on, speaker on */
	assert_int_equal(run(&dshim_v0, 0xe6, false, 0x61), EMUL_DONE);
	/* read-modify-write: hardware 0x5a keeps its check enables (bits 2-3) */
	assert_int_equal(fake_nr_ports, 5);
	assert_false(fake_ports[3].write);
	assert_true(fake_ports[4].write);
	assert_int_equal(fake_ports[4].val, (0x5a & 0x0c) | 0x03);

	/* commands for channels 0 and 1, read-backs naming them: dropped */
	fake_nr_ports = 0;
	regs.rax = 0x34;                                                    /* ch 0, mode 2 */
	assert_int_equal(run(&dshim_v0, 0xe6, false, 0x43), EMUL_DONE);
	regs.rax = 0x74;                                                    /* ch 1 */
	assert_int_equal(run(&dshim_v0, 0xe6, false, 0x43), EMUL_DONE);
	regs.rax = 0xde;                                                    /* read-back of all */
	assert_int_equal(run(&dshim_v0, 0xe6, false, 0x43), EMUL_DONE);
	regs.rax = 0xd2;                                                    /* read-back of ch 0 */
	assert_int_equal(run(&dshim_v0, 0xe6, false, 0x43), EMUL_DONE);
	assert_int_equal(run(&dshim_v0, 0xe4, false, 0x43), EMUL_DONE);   /* write-only port */
	assert_int_equal(regs.rax & 0xff, 0xff);
	assert_int_equal(run(&dshim_v0, 0xe4, false, 0x40), EMUL_DONE);   /* channel 0's data */
	assert_int_equal(run(&dshim_v0, 0xe4, false, 0x41), EMUL_DONE);
	assert_int_equal(run(&dshim_v0, 0xed, true, 0x42), EMUL_DONE);    /* in ax: byte only */
	assert_int_equal(run(&dshim_v0, 0xed, true, 0x60), EMUL_DONE);    /* in ax: 0x60 and 0x61 */
	assert_int_equal(fake_nr_ports, 0);
}

/* A DomU has no channel 2 either. */
static void test_domu_no_pit(void **state)
{
	regs.rax = 0xb0;
	assert_int_equal(run(&dshim_vu, 0xe6, false, 0x43), EMUL_DONE);
	assert_int_equal(run(&dshim_vu, 0xe4, false, 0x42), EMUL_DONE);
	assert_int_equal(regs.rax & 0xff, 0xff);
	assert_int_equal(run(&dshim_vu, 0xe6, false, 0x61), EMUL_DONE);
	assert_int_equal(fake_nr_ports, 0);
}

static void test_iopl_rules(void **state)
{
	struct arch_vcpu *a = av(&dshim_v0);

	a->iopl = 0;                       /* kernel mode is CPL 1 */
	assert_int_equal(run(&dshim_v0, 0xec, false, 0x71), EMUL_UNHANDLED);
	a->in_kernel = false;              /* user mode is CPL 3 */
	a->iopl = 1;
	assert_int_equal(run(&dshim_v0, 0xec, false, 0x71), EMUL_UNHANDLED);
	a->iopl = 3;
	assert_int_equal(run(&dshim_v0, 0xec, false, 0x71), EMUL_DONE);
	assert_int_equal(fake_nr_ports, 1);
	/* Even IOPL 3 does not reach the hypervisor's ports. */
	assert_int_equal(run(&dshim_v0, 0xec, false, 0x21), EMUL_DONE);
	assert_int_equal(fake_nr_ports, 1);
	assert_int_equal(fake_trap.count, 0);
}

/* Guest bitmap: all ones except `clear` ports. */
static void bitmap_with(const unsigned *clear, size_t n)
{
	memset(dshim_mem, 0xff, 8192);
	for (size_t i = 0; i < n; i++)
		dshim_mem[clear[i] / 8] &= (uint8_t)~(1u << (clear[i] % 8));
}

static void test_user_bitmap(void **state)
{
	static const unsigned clear[] = { 0x70, 0x71, 0x77, 0x78 };
	struct arch_vcpu *a = av(&dshim_v0);

	bitmap_with(clear, 4);
	assert_int_equal(ioports_set_guest_bitmap(&dshim_v0, BITMAP_VA, 65536), 0);
	a->iopl = 0;
	a->in_kernel = false;

	assert_int_equal(run(&dshim_v0, 0xec, false, 0x71), EMUL_DONE);
	assert_int_equal(fake_nr_ports, 1);
	/* Read through the kernel's page tables, then back to user mode. */
	assert_int_equal(fake_mode_toggles, 2);
	assert_false(a->in_kernel);

	assert_int_equal(run(&dshim_v0, 0xec, false, 0x72), EMUL_UNHANDLED);
	/* A word at 0x77 needs 0x77 and 0x78, across a byte boundary. */
	assert_int_equal(run(&dshim_v0, 0xed, true, 0x77), EMUL_DONE);
	assert_int_equal(run(&dshim_v0, 0xed, true, 0x76), EMUL_UNHANDLED);
	/* A dword from 0x70 needs 0x70-0x73. */
	assert_int_equal(run(&dshim_v0, 0xed, false, 0x70), EMUL_UNHANDLED);

	/* Ports beyond nr_ports are denied. */
	assert_int_equal(ioports_set_guest_bitmap(&dshim_v0, BITMAP_VA, 0x71), 0);
	assert_int_equal(run(&dshim_v0, 0xec, false, 0x70), EMUL_DONE);
	assert_int_equal(run(&dshim_v0, 0xec, false, 0x71), EMUL_UNHANDLED);

	/* An unreadable bitmap denies (its bytes count as all ones). */
	assert_int_equal(ioports_set_guest_bitmap(&dshim_v0, BITMAP_VA, 65536), 0);
	dshim_page_mapped[0] = false;
	assert_int_equal(run(&dshim_v0, 0xec, false, 0x71), EMUL_UNHANDLED);
	dshim_page_mapped[0] = true;

	/* The bitmap also counts in kernel mode (as on Xen) ... */
	a->in_kernel = true;
	fake_mode_toggles = 0;
	assert_int_equal(run(&dshim_v0, 0xec, false, 0x71), EMUL_DONE);
	assert_int_equal(fake_mode_toggles, 0);
	/* ... and a clear bit never opens a hypervisor port. */
	dshim_mem[0x20 / 8] = 0;
	fake_nr_ports = 0;
	assert_int_equal(run(&dshim_v0, 0xec, false, 0x20), EMUL_DONE);
	assert_int_equal(fake_nr_ports, 0);

	/* nr_ports 0: no bitmap. */
	assert_int_equal(ioports_set_guest_bitmap(&dshim_v0, BITMAP_VA, 0), 0);
	assert_int_equal(run(&dshim_v0, 0xec, false, 0x71), EMUL_UNHANDLED);
}

static void test_pv_ioport_allowed(void **state)
{
	assert_true(pv_ioport_allowed(&dshim_v0, 0x71, 1));
	assert_false(pv_ioport_allowed(&dshim_v0, 0x3f8, 1));
	assert_false(pv_ioport_allowed(&dshim_vu, 0x71, 1));
	av(&dshim_v0)->iopl = 0;
	assert_false(pv_ioport_allowed(&dshim_v0, 0x71, 1));
}

static void test_rep_ins_real(void **state)
{
	struct pv_insn insn = { .op = 0x6c, .rep = true, .mode64 = true };

	regs.rdx = 0x71;
	regs.rcx = 3;
	regs.rdi = DSHIM_KVA + 0x2000;
	regs.rflags = 0;
	set_current_vcpu(&dshim_v0);
	assert_int_equal(pv_emul_io(&dshim_v0, &regs, &insn), EMUL_DONE);
	assert_int_equal(fake_nr_ports, 3);
	assert_memory_equal(dshim_mem + 0x2000, "\x5a\x5a\x5a", 3);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_hypervisor_owned_ports), T(test_com1_follows_options), T(test_dom0_grant), T(test_permit_grant),
		T(test_domu_has_no_ports), T(test_dom0_real_and_virtual), T(test_domu_all_virtual),
		T(test_iopl_rules), T(test_user_bitmap), T(test_pv_ioport_allowed),
		T(test_rep_ins_real), T(test_dom0_pit_channel2), T(test_domu_no_pit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
