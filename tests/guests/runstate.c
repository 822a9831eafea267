/*
 * runstate - VCPUOP_register_runstate_memory_area (2 vCPUs, one CPU):
 * vCPU 0 registers an area at a kernel address, then runs in guest user
 * mode, on page tables of its own that map only a code and a data page,
 * until vCPU 1 has run (so vCPU 0 was switched out, and in again, while in
 * user mode, where the area's address is not mapped). Back in kernel mode
 * through a SYSCALL, the area must still be written: the write a switch
 * could not make in user mode is made on the next entry to kernel mode,
 * and the registration is kept (as Xen).
 */
#include "guest.h"
#include "events.h"   /* vcpu1_launch */

const char test_name[] = "runstate";
const int test_styles = STYLE_DIRECT;   /* the checks change state: run once */

#define USER_CODE_VA 0x400000ULL
#define USER_DATA_VA 0x401000ULL

/*
 * The user program: count in the data page until its flag (the page's
 * first word) is set, then SYSCALL back to the kernel. Alone on its page.
 */
__asm__(".pushsection .text\n"
	".balign 4096\n"
	"user_code:\n"
	"1:	incl 0x401004\n"
	"	cmpl $0, 0x401000\n"
	"	je 1b\n"
	"	syscall\n"
	"	ud2\n"
	".balign 4096\n"
	/* enter_user(rip, rsp): to user mode; returns when it SYSCALLs */
	".globl enter_user\n"
	"enter_user:\n"
	"	push %rbp\n	push %rbx\n	push %r12\n	push %r13\n	push %r14\n	push %r15\n"
	"	mov %rsp, kernel_resume_sp(%rip)\n"
	"	pushq $0xe02b\n"        /* SS: FLAT_USER_SS */
	"	push %rsi\n"            /* RSP */
	"	pushq $0x200\n"         /* RFLAGS: IF */
	"	pushq $0xe033\n"        /* CS: FLAT_USER_CS */
	"	push %rdi\n"            /* RIP */
	"	pushq $0\n	pushq $0\n	pushq $0\n	pushq $0\n"   /* flags, RCX, R11, RAX */
	"	mov $23, %eax\n"        /* iret */
	"	syscall\n"
	"	ud2\n"
	/* the SYSCALL callback: back into enter_user's caller */
	".globl user_syscall_entry\n"
	"user_syscall_entry:\n"
	"	mov kernel_resume_sp(%rip), %rsp\n"
	"	pop %r15\n	pop %r14\n	pop %r13\n	pop %r12\n	pop %rbx\n	pop %rbp\n"
	"	ret\n"
	".popsection\n");

extern char user_code[], user_syscall_entry[];
void enter_user(uint64_t rip, uint64_t rsp);
uint64_t kernel_resume_sp;

enum { L4, L3, L2, L1, DATA, NPAGES };
static uint8_t pages[NPAGES][4096] __attribute__((aligned(4096)));
static uint8_t kstack[8192] __attribute__((aligned(16)));
static uint8_t v1_stack[8192] __attribute__((aligned(16)));
static struct vcpu_guest_context v1_ctxt;
static volatile struct vcpu_runstate_info area;
static volatile int v1_saw_user, v1_started;

static volatile uint32_t *user_flag(void) { return (volatile uint32_t *)pages[DATA]; }
static volatile uint32_t *user_count(void) { return (volatile uint32_t *)(pages[DATA] + 4); }

static uint64_t mfn_of(const void *va)
{
	return ((uint64_t *)start_info->mfn_list)[((uint64_t)va - VIRT_BASE) >> 12];
}

static uint64_t pte(const void *va, uint64_t flags) { return (mfn_of(va) << 12) | flags; }

static long ext(unsigned cmd, uint64_t mfn)
{
	struct mmuext_op op = { .cmd = cmd };

	op.arg1.mfn = mfn;
	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static long map_ro(const void *va)
{
	return HYPERVISOR_update_va_mapping((uint64_t)va, pte(va, PTE_P | PTE_A), UVMF_INVLPG);
}

/* L4 slot 0 -> L3 -> L2 slot 2 -> L1: the code page at 4 MiB, the data page after it. */
static void build_user_tables(void)
{
	uint64_t *l4 = (uint64_t *)pages[L4], *l3 = (uint64_t *)pages[L3];
	uint64_t *l2 = (uint64_t *)pages[L2], *l1 = (uint64_t *)pages[L1];
	const uint64_t table = PTE_P | PTE_W | PTE_U | PTE_A;

	l1[0] = pte(user_code, PTE_P | PTE_U | PTE_A);
	l1[1] = pte(pages[DATA], PTE_P | PTE_W | PTE_U | PTE_A | PTE_D);
	l2[2] = pte(pages[L1], table);
	l3[0] = pte(pages[L2], table);
	l4[0] = pte(pages[L3], table);
	for (int i = L4; i <= L1; i++)
		EXPECT("user_table_ro", map_ro(pages[i]), 0);
	EXPECT("user_l4_pin", ext(MMUEXT_PIN_L4_TABLE, mfn_of(pages[L4])), 0);
	EXPECT("user_baseptr", ext(MMUEXT_NEW_USER_BASEPTR, mfn_of(pages[L4])), 0);
}

/* vCPU 1: runs only while vCPU 0 is switched out (one CPU); then lets it go. */
static void vcpu1_main(void)
{
	v1_started = 1;
	for (;;) {
		if (*user_count() && !*user_flag()) {
			v1_saw_user = 1;   /* vCPU 0 counted in user mode, and is not running */
			*user_flag() = 1;
		}
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
}

static void start_vcpu1(void)
{
	vcpu1_launch(&v1_ctxt, vcpu1_main, v1_stack + sizeof(v1_stack), &v1_started);
}

void test_main(void)
{
	struct vcpu_register_runstate_memory_area r = { .addr = (uint64_t)&area };
	struct callback_register cb = { .type = CALLBACKTYPE_syscall, .flags = CALLBACKF_mask_events,
					 .address = (uint64_t)user_syscall_entry };
	uint64_t runnable_before, entry_before;

	EXPECT("register_syscall_callback", HYPERVISOR_callback_op(CALLBACKOP_register, &cb), 0);
	EXPECT("stack_switch", HYPERVISOR_stack_switch(FLAT_KERNEL_SS, (uint64_t)kstack + sizeof(kstack)), 0);
	build_user_tables();
	start_vcpu1();

	EXPECT("register_runstate_area", HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &r), 0);
	EXPECT("area_written_at_registration", area.state, RUNSTATE_running);
	runnable_before = area.time[RUNSTATE_runnable];

	enter_user(USER_CODE_VA, USER_DATA_VA + 4096);

	check(v1_saw_user, tname("switched_out_in_user_mode"), "vCPU 1 did not see vCPU 0 in user mode");
	check(*user_count() > 0, tname("user_mode_ran"), "count %u", *user_count());
	/* written on the way back to kernel mode: the time it waited is there */
	EXPECT("area_running_after_user_mode", area.state, RUNSTATE_running);
	check(area.time[RUNSTATE_runnable] > runnable_before, tname("area_counts_user_mode_switch"),
	      "runnable time %lu, was %lu: not written since vCPU 0 left user mode",
	      (unsigned long)area.time[RUNSTATE_runnable], (unsigned long)runnable_before);

	/* and it is still registered: a switch in kernel mode writes it */
	entry_before = area.state_entry_time;
	for (int i = 0; i < 3; i++)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);   /* to vCPU 1 and back */
	check(area.state_entry_time > entry_before, tname("area_still_registered"),
	      "state_entry_time %lu, was %lu", (unsigned long)area.state_entry_time,
	      (unsigned long)entry_before);
	EXPECT("area_running_after_switch", area.state, RUNSTATE_running);
	HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &(struct vcpu_register_runstate_memory_area){ 0 });

	/*
	 * iret to user mode with a non-canonical stack pointer: accepted, as
	 * by hardware and Xen (only RIP must be canonical; the first use of
	 * the stack would then fault, in the guest). The user program touches
	 * no stack: its flag is set, so it SYSCALLs straight back.
	 */
	*user_flag() = 1;
	enter_user(USER_CODE_VA, 0x8000000040000000ULL);
	EXPECT("iret_user_rsp_noncanonical_returns", 1, 1);
}
