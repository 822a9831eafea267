/*
 * multicall - batches of hypercalls with per-entry results, including
 * failing entries, refused entries, an iret entry (runs, ends the batch)
 * and bad arrays.
 */
#include "guest.h"

const char test_name[] = "multicall";

static struct multicall_entry mc[8];

/*
 * multicall(list, nr) issued with the guest stack pointer at `ctx`, as the
 * iret entry reads its frame from the stack the multicall was issued on.
 * The frame's RIP and RSP are set to return to our caller, so the result
 * is ctx->rax when the iret ran, or the multicall's own result when the
 * batch came back without running it. Through the page, the stub's pushes
 * (R11, RCX) and the call's return address land in the frame's RAX, R11
 * and RCX, so those are passed in R11 and RCX.
 */
long mc_iret_direct(struct multicall_entry *list, unsigned long nr, struct iret_context *ctx);
long mc_iret_page(struct multicall_entry *list, unsigned long nr, struct iret_context *ctx);
__asm__(
	".text\n"
	".globl mc_iret_direct\n"
	"mc_iret_direct:\n"
	"	pushq	%rbx\n"
	"	movq	%rsp, %rbx\n"
	"	leaq	1f(%rip), %rax\n"
	"	movq	%rax, 32(%rdx)\n"		/* rip */
	"	movq	%rbx, 56(%rdx)\n"		/* rsp */
	"	movq	%rdx, %rsp\n"
	"	movl	$13, %eax\n"			/* __HYPERVISOR_multicall */
	"	syscall\n"
	"	movq	%rbx, %rsp\n"
	"1:	popq	%rbx\n"
	"	ret\n"
	".globl mc_iret_page\n"
	"mc_iret_page:\n"
	"	pushq	%rbx\n"
	"	movq	%rsp, %rbx\n"
	"	leaq	1f(%rip), %rax\n"
	"	movq	%rax, 32(%rdx)\n"
	"	movq	%rbx, 56(%rdx)\n"
	"	movq	0(%rdx), %r11\n"		/* pushed last: the frame's rax */
	"	movq	8(%rdx), %rcx\n"		/* the frame's r11 */
	"	leaq	24(%rdx), %rsp\n"
	"	leaq	hypercall_page + 13 * 32(%rip), %rax\n"
	"	call	*%rax\n"
	"	movq	%rbx, %rsp\n"
	"1:	popq	%rbx\n"
	"	ret\n");

#define IRET_MARK 0x1e7u

static struct iret_context iret_ctx __attribute__((aligned(16)));

/*
 * An iret entry runs and ends the batch (Xen's rule since XSA-213): the
 * guest is where the frame says, and the entries after it never run.
 */
static void test_iret_entry(void)
{
	uint64_t cs, ss;
	long rc;

	__asm__ volatile("mov %%cs, %0; mov %%ss, %1" : "=r"(cs), "=r"(ss));
	memset(mc, 0, sizeof(mc));
	mc[0].op = __HYPERVISOR_iret;
	mc[0].result = 0x5a5a;
	mc[1].op = __HYPERVISOR_xen_version;
	mc[1].args[0] = XENVER_version;
	mc[1].result = 0x5a5a;
	memset(&iret_ctx, 0, sizeof(iret_ctx));
	iret_ctx.rax = IRET_MARK;
	iret_ctx.cs = cs & ~3ULL;	/* RPL 0: back to guest kernel mode */
	iret_ctx.ss = ss;
	/* IF says the upcall mask: keep the one we have */
	iret_ctx.rflags = 2 | (shared_info->vcpu_info[0].evtchn_upcall_mask ? 0 : 0x200);
	rc = hc_direct ? mc_iret_direct(mc, 2, &iret_ctx) : mc_iret_page(mc, 2, &iret_ctx);
	EXPECT("iret_entry_took_effect", rc, IRET_MARK);
	EXPECT("entry_after_iret_not_run", (long)mc[1].result, 0x5a5a);
	EXPECT("iret_entry_result_is_rax", (long)mc[0].result, IRET_MARK);
}

void test_main(void)
{
	static const char msg[] = "multicall console write\n";
	long ver = HYPERVISOR_xen_version(XENVER_version, NULL);
	long rc;

	memset(mc, 0, sizeof(mc));
	mc[0].op = __HYPERVISOR_xen_version;
	mc[0].args[0] = XENVER_version;
	mc[1].op = 60;				/* unknown */
	mc[2].op = __HYPERVISOR_console_io;
	mc[2].args[0] = CONSOLEIO_write;
	mc[2].args[1] = sizeof(msg) - 1;
	mc[2].args[2] = (uint64_t)msg;
	mc[3].op = __HYPERVISOR_console_io;	/* bad buffer */
	mc[3].args[0] = CONSOLEIO_write;
	mc[3].args[1] = 16;
	mc[3].args[2] = BAD_NONCANON;
	mc[4].op = __HYPERVISOR_sched_op;
	mc[4].args[0] = SCHEDOP_yield;
	for (int i = 0; i < 5; i++)
		mc[i].result = 0x5a5a;
	rc = HYPERVISOR_multicall(mc, 5);
	EXPECT("multicall_rc", rc, 0);
	EXPECT("entry_xen_version", (long)mc[0].result, ver);
	EXPECT("entry_unknown_enosys", (long)mc[1].result, -XEN_ENOSYS);
	EXPECT("entry_console_write", (long)mc[2].result, 0);
	EXPECT("entry_console_bad_efault", (long)mc[3].result, -XEN_EFAULT);
	EXPECT("entry_yield", (long)mc[4].result, 0);

	/* A multicall may not contain another multicall. */
	memset(mc, 0, sizeof(mc));
	mc[0].op = __HYPERVISOR_multicall;	/* nested */
	mc[0].args[0] = (uint64_t)&mc[2];
	mc[0].args[1] = 1;
	mc[2].op = __HYPERVISOR_xen_version;
	rc = HYPERVISOR_multicall(mc, 1);
	EXPECT("refused_multicall_rc", rc, 0);
	gprintf("nested multicall result %ld\n", (long)mc[0].result);
	EXPECT("entry_nested_multicall_einval", (long)mc[0].result, -XEN_EINVAL);
	test_iret_entry();

	/* Bad arrays. */
	EXPECT("count_zero", HYPERVISOR_multicall(NULL, 0), 0);
	EXPECT("null_array", HYPERVISOR_multicall(NULL, 1), -XEN_EFAULT);
	EXPECT("noncanonical_array",
	       HYPERVISOR_multicall((void *)BAD_NONCANON, 1), -XEN_EFAULT);
	EXPECT("hypervisor_array",
	       HYPERVISOR_multicall((void *)BAD_HYPERVISOR, 1), -XEN_EFAULT);
	/* The M2P is readable but result write-back must fail. */
	EXPECT("readonly_array",
	       HYPERVISOR_multicall((void *)MACH2PHYS_VIRT_START, 1), -XEN_EFAULT);
	EXPECT("still_alive", HYPERVISOR_xen_version(XENVER_version, NULL), ver);
}
