/*
 * debugreg - the guest's debug registers as hardware state:
 *
 *   multicall    a write breakpoint on a multicall entry's result word,
 *                which the hypervisor writes itself (copy_to_guest): the
 *                host survives and the result is written; the #DB it took
 *                is the hypervisor's, not the guest's (as on Xen 4.17: no
 *                #DB and DR6 unchanged); the guest's own write of the word
 *                then traps (#DB, DR6.B0).
 *   mov %dr      a breakpoint armed by emulated MOV to DR1 and DR7 fires;
 *                MOV from DR reads back; DR6 through MOV.
 *   other vCPU   vCPU 1, on the same CPU, does not take vCPU 0's write
 *                breakpoint; vCPU 0 takes it again after running there.
 *   I/O          with CR4.DE, an I/O breakpoint on a port (R/W = 10b) is
 *                accepted, and emulated port I/O on it raises #DB with its
 *                DR6 bit; without CR4.DE it is refused.
 *   errors       Xen 4.17's answers to bad set_debugreg/get_debugreg calls:
 *                bits above 31 of DR6/DR7 -EINVAL (before the GD check);
 *                DR7's reserved bits 11, 12, 14, 15 accepted and cleared;
 *                DR7.GD -EPERM; no register 8 (-ENODEV); with CR4.DE, no
 *                DR4/DR5 either.
 *
 * Before the fix a #DB in the hypervisor was fatal: on hardware the
 * multicall stopped the host. Under QEMU's TCG a data breakpoint hit by a
 * REP MOVS reports the RIP of the REP MOVS, which our copy's fault fixup
 * took for a fault: the result write passed by luck, the entry read made
 * the multicall -EFAULT and the bounce crashed the domain. vCPU 1 took
 * vCPU 0's breakpoint, and MOV to DR7 never armed anything.
 */
#include "guest.h"

const char test_name[] = "debugreg";
const int test_styles = STYLE_DIRECT;   /* vCPU 1 is brought up once */

#define DR7_L0        (1ULL << 0)
#define DR7_L1        (1ULL << 2)
#define DR7_WRITE(n)  (1ULL << (16 + 4 * (n)))
#define DR7_IO(n)     (2ULL << (16 + 4 * (n)))
#define DR7_RW(n)     (3ULL << (16 + 4 * (n)))
#define DR7_LEN8(n)   (2ULL << (18 + 4 * (n)))
#define DR7_LEN1(n)   (0ULL << (18 + 4 * (n)))
#define DR6_BITS      0xfULL
#define CR4_DE        (1ULL << 3)

/*
 * #DB handlers, one per vCPU: count, note where, return. RCX and R11 come
 * back from the bounce frame; the iret restores RFLAGS.
 */
volatile uint32_t db_count[2];
volatile uint64_t db_rip[2];
__asm__(".text\n"
	".macro db_handler n\n"
	".globl db_entry\\n\n"
	"db_entry\\n:\n"
	"	popq %rcx\n"
	"	popq %r11\n"
	"	lock incl db_count + 4 * \\n(%rip)\n"
	"	pushq %rax\n"
	"	movq 8(%rsp), %rax\n"
	"	movq %rax, db_rip + 8 * \\n(%rip)\n"
	"	popq %rax\n"
	"	jmp guest_iret\n"
	".endm\n"
	"db_handler 0\n"
	"db_handler 1\n");
extern char db_entry0[], db_entry1[];

static void install_db_handler(void)
{
	struct trap_info t[2] = {
		{ .vector = 1, .cs = FLAT_KERNEL_CS, .address = (uint64_t)db_entry0 },
	};

	if (HYPERVISOR_set_trap_table(t))
		panic("set_trap_table(#DB)");
}

static uint64_t dr6_status(void)
{
	return (uint64_t)HYPERVISOR_get_debugreg(6) & DR6_BITS;
}

static void clear_all(void)
{
	HYPERVISOR_set_debugreg(7, 0);
	HYPERVISOR_set_debugreg(6, 0);
	db_count[0] = db_count[1] = 0;
}

static void write_word(volatile uint64_t *p, uint64_t v)
{
	*p = v;
	__asm__ volatile("" ::: "memory");
}

/* ---- a breakpoint the hypervisor hits ------------------------------- */

static struct multicall_entry mc __attribute__((aligned(64)));

static void test_multicall(void)
{
	long version = HYPERVISOR_xen_version(XENVER_version, NULL);

	clear_all();
	memset(&mc, 0, sizeof(mc));
	mc.op = __HYPERVISOR_xen_version;
	mc.args[0] = XENVER_version;
	mc.result = 0x5a5a;
	EXPECT("mc_set_dr0", HYPERVISOR_set_debugreg(0, (uint64_t)&mc.result), 0);
	EXPECT("mc_set_dr7", HYPERVISOR_set_debugreg(7, DR7_L0 | DR7_WRITE(0) | DR7_LEN8(0)), 0);
	EXPECT("mc_multicall", HYPERVISOR_multicall(&mc, 1), 0);
	EXPECT("mc_result_written", mc.result, version);
	EXPECT("mc_no_guest_db", db_count[0], 0);
	EXPECT("mc_dr6_unchanged", dr6_status(), 0);
	/* still armed for the guest's own writes */
	write_word(&mc.result, 1);
	EXPECT("mc_guest_write_db", db_count[0], 1);
	EXPECT("mc_guest_write_dr6_b0", dr6_status(), 1);
	clear_all();
	write_word(&mc.result, 2);
	EXPECT("mc_disarmed_no_db", db_count[0], 0);

	/* a read/write breakpoint inside the entry, which the hypervisor reads whole */
	mc.result = 0x5a5a;
	EXPECT("mc_rw_set_dr0", HYPERVISOR_set_debugreg(0, (uint64_t)&mc.args[1]), 0);
	EXPECT("mc_rw_set_dr7", HYPERVISOR_set_debugreg(7, DR7_L0 | DR7_RW(0) | DR7_LEN8(0)), 0);
	EXPECT("mc_rw_multicall", HYPERVISOR_multicall(&mc, 1), 0);
	EXPECT("mc_rw_result_written", mc.result, version);
	EXPECT("mc_rw_no_guest_db", db_count[0], 0);
	clear_all();
}

/*
 * A write breakpoint inside the frame the hypervisor writes on our stack
 * to deliver int3 (RCX, R11, RIP, CS, ...; below the 16-byte aligned RSP):
 * on the RFLAGS slot. Armed with direct hypercalls, in one asm block, so that
 * nothing of ours writes below RSP meanwhile (no red zone). The int3 is
 * delivered whole.
 */
static void test_bounce_frame(void)
{
	uint64_t dr7 = DR7_L0 | DR7_WRITE(0) | DR7_LEN8(0);

	clear_all();
	trap_reset();
	__asm__ volatile("mov %%rsp, %%rsi\n\t"
			 "and $-16, %%rsi\n\t"
			 "sub $24, %%rsi\n\t"
			 "xor %%edi, %%edi\n\t"
			 "mov $8, %%eax\n\t"          /* set_debugreg(0, slot) */
			 "syscall\n\t"
			 "mov $7, %%edi\n\t"
			 "mov %0, %%rsi\n\t"
			 "mov $8, %%eax\n\t"          /* set_debugreg(7, dr7) */
			 "syscall\n\t"
			 "int3\n"
			 "2:\n"
			 ".pushsection .fixups, \"aw\"\n"
			 ".balign 8\n.quad 2b, 2b\n.popsection"
			 :: "r"(dr7) : "rax", "rcx", "rdx", "rsi", "rdi", "r11", "memory");
	clear_all();
	EXPECT("bounce_int3_delivered", last_trap.count, 1);
	EXPECT("bounce_int3_vector", last_trap.vector, 3);
	EXPECT("bounce_no_guest_db", db_count[0], 0);
}

/* ---- emulated MOV to and from DR ------------------------------------ */

static volatile uint64_t mov_word __attribute__((aligned(8)));

static void test_mov_dr(void)
{
	uint64_t dr7 = DR7_L1 | DR7_WRITE(1) | DR7_LEN8(1), v = 0;

	clear_all();
	__asm__ volatile("mov %0, %%db1" :: "r"((uint64_t)&mov_word));
	__asm__ volatile("mov %0, %%db7" :: "r"(dr7));
	__asm__ volatile("mov %%db1, %0" : "=r"(v));
	EXPECT("mov_dr1_readback", v, (uint64_t)&mov_word);
	__asm__ volatile("mov %%db7, %0" : "=r"(v));
	EXPECT("mov_dr7_readback", v & ~0x400ULL, dr7);
	EXPECT("mov_dr7_via_get_debugreg", HYPERVISOR_get_debugreg(7) & ~0x400ULL, dr7);
	write_word(&mov_word, 7);
	EXPECT("mov_dr7_breakpoint_fires", db_count[0], 1);
	__asm__ volatile("mov %%db6, %0" : "=r"(v));
	EXPECT("mov_dr6_b1", v & DR6_BITS, 2);
	__asm__ volatile("mov %0, %%db6" :: "r"(0ULL));
	__asm__ volatile("mov %0, %%db7" :: "r"(0ULL));
	write_word(&mov_word, 8);
	EXPECT("mov_dr7_cleared_no_db", db_count[0], 1);
	clear_all();
}

/* ---- another vCPU on the same CPU ----------------------------------- */

extern char event_entry[];   /* lib/entry.S */
static struct vcpu_guest_context v1_ctxt;
static uint8_t v1_stack[8192] __attribute__((aligned(16)));
static volatile uint64_t shared_word __attribute__((aligned(8)));
static volatile int v1_go, v1_done;

static void vcpu1_main(void)
{
	for (;;) {
		while (!v1_go)
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		for (int i = 0; i < 100; i++)
			write_word(&shared_word, i);
		v1_go = 0;
		v1_done = 1;
	}
}

/* Let vCPU 1 run on this CPU: yield until it has written the word. */
static int run_vcpu1(void)
{
	uint64_t until = system_time_ns() + 2000000000ULL;

	v1_done = 0;
	v1_go = 1;
	while (!v1_done && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	return v1_done;
}

static void test_other_vcpu(void)
{
	struct vcpu_guest_context *c = &v1_ctxt;
	uint64_t cr3;

	clear_all();
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	vcpu_context_init(c, vcpu1_main, v1_stack + sizeof(v1_stack), cr3, event_entry);
	c->trap_ctxt[1] = (struct trap_info){ .vector = 1, .cs = FLAT_KERNEL_CS,
					      .address = (uint64_t)db_entry1 };
	shared_info->vcpu_info[1].evtchn_upcall_mask = 1;   /* no events wanted there */
	EXPECT("vcpu1_initialise", HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, c), 0);
	EXPECT("vcpu1_up", HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), 0);

	EXPECT("v0_set_dr0", HYPERVISOR_set_debugreg(0, (uint64_t)&shared_word), 0);
	EXPECT("v0_set_dr7", HYPERVISOR_set_debugreg(7, DR7_L0 | DR7_WRITE(0) | DR7_LEN8(0)), 0);
	check(run_vcpu1(), tname("vcpu1_ran"), "vCPU 1 did not write in 2 s");
	EXPECT("vcpu1_no_db_from_vcpu0_dr7", db_count[1], 0);
	EXPECT("v0_no_db_from_vcpu1_writes", db_count[0], 0);
	write_word(&shared_word, 1);
	EXPECT("v0_breakpoint_back_after_switch", db_count[0], 1);
	EXPECT("v0_dr7_kept", HYPERVISOR_get_debugreg(7) & 0xffffffffULL & ~0x400ULL,
	       DR7_L0 | DR7_WRITE(0) | DR7_LEN8(0));
	clear_all();
	check(run_vcpu1(), tname("vcpu1_ran_again"), "vCPU 1 did not write in 2 s");
	EXPECT("vcpu1_still_no_db", db_count[1], 0);
}

/* ---- I/O breakpoints ------------------------------------------------- */

#define IO_PORT 0x80   /* POST diagnostics: writes go nowhere */

static long set_iopl(unsigned iopl)
{
	struct physdev_set_iopl io = { .iopl = iopl };

	return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io);
}

static void test_io_breakpoint(void)
{
	uint64_t cr4 = read_cr4(), dr7 = DR7_L0 | DR7_IO(0) | DR7_LEN1(0);

	clear_all();
	EXPECT("io_set_iopl", set_iopl(1), 0);
	write_cr4(cr4 & ~CR4_DE);
	EXPECT("io_dr0_port", HYPERVISOR_set_debugreg(0, IO_PORT), 0);
	EXPECT("io_bp_without_de_refused", HYPERVISOR_set_debugreg(7, dr7), -XEN_EPERM);
	write_cr4(cr4 | CR4_DE);
	EXPECT("io_cr4_de_set", read_cr4() & CR4_DE, CR4_DE);
	EXPECT("io_bp_with_de", HYPERVISOR_set_debugreg(7, dr7), 0);
	EXPECT("io_bp_readback", HYPERVISOR_get_debugreg(7) & ~0x400ULL, dr7);
	__asm__ volatile("outb %%al, %%dx" :: "a"(0), "d"(IO_PORT + 1));
	EXPECT("io_other_port_no_db", db_count[0], 0);
	__asm__ volatile("outb %%al, %%dx" :: "a"(0), "d"(IO_PORT));
	EXPECT("io_port_db", db_count[0], 1);
	EXPECT("io_port_dr6_b0", dr6_status(), 1);
	clear_all();
	write_cr4(cr4);
	set_iopl(0);
}

/* ---- error codes as Xen 4.17's ------------------------------------- */

#define DR7_GD        (1ULL << 13)
#define DR7_RSVD_ZERO ((1ULL << 11) | (1ULL << 12) | (1ULL << 14) | (1ULL << 15))

static void test_errors(void)
{
	uint64_t cr4 = read_cr4(), dr7 = DR7_L0 | DR7_WRITE(0) | DR7_LEN8(0);

	clear_all();
	write_cr4(cr4 & ~CR4_DE);
	EXPECT("err_dr7_high_bit", HYPERVISOR_set_debugreg(7, (1ULL << 32)), -XEN_EINVAL);
	EXPECT("err_dr7_high_bit_and_gd", HYPERVISOR_set_debugreg(7, (1ULL << 63) | DR7_GD), -XEN_EINVAL);
	EXPECT("err_dr6_high_bit", HYPERVISOR_set_debugreg(6, (1ULL << 40)), -XEN_EINVAL);
	EXPECT("err_dr5_high_bit", HYPERVISOR_set_debugreg(5, (1ULL << 32)), -XEN_EINVAL);
	EXPECT("err_dr4_high_bit", HYPERVISOR_set_debugreg(4, (1ULL << 32)), -XEN_EINVAL);
	EXPECT("err_dr7_gd", HYPERVISOR_set_debugreg(7, DR7_GD), -XEN_EPERM);
	EXPECT("err_dr7_kept_after_refusals", HYPERVISOR_get_debugreg(7) & ~0x400ULL, 0);
	EXPECT("err_dr0_set", HYPERVISOR_set_debugreg(0, (uint64_t)&mov_word), 0);
	EXPECT("err_dr7_reserved_zero_accepted", HYPERVISOR_set_debugreg(7, dr7 | DR7_RSVD_ZERO), 0);
	EXPECT("err_dr7_reserved_zero_cleared", HYPERVISOR_get_debugreg(7), dr7 | 0x400ULL);
	write_word(&mov_word, 3);
	EXPECT("err_dr7_reserved_zero_still_armed", db_count[0], 1);
	clear_all();
	EXPECT("err_set_reg8", HYPERVISOR_set_debugreg(8, 0), -XEN_ENODEV);
	EXPECT("err_set_reg_large", HYPERVISOR_set_debugreg(0x7fffffff, 0), -XEN_ENODEV);
	EXPECT("err_get_reg8", HYPERVISOR_get_debugreg(8), -XEN_ENODEV);
	write_cr4(cr4 | CR4_DE);
	EXPECT("err_de_set_dr4", HYPERVISOR_set_debugreg(4, 0), -XEN_ENODEV);
	EXPECT("err_de_set_dr5", HYPERVISOR_set_debugreg(5, 0), -XEN_ENODEV);
	EXPECT("err_de_get_dr4", HYPERVISOR_get_debugreg(4), -XEN_ENODEV);
	EXPECT("err_de_get_dr5", HYPERVISOR_get_debugreg(5), -XEN_ENODEV);
	EXPECT("err_de_set_dr6", HYPERVISOR_set_debugreg(6, 0), 0);
	write_cr4(cr4);
	clear_all();
}

void test_main(void)
{
	install_db_handler();
	test_multicall();
	test_bounce_frame();
	test_mov_dr();
	test_io_breakpoint();
	test_errors();
	test_other_vcpu();
}
