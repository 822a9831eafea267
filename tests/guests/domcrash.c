/*
 * domcrash - a DomU whose guest kernel faults fatally is marked crashed,
 * not destroyed: Dom0 (this test kernel) builds it from scratch
 * (lib/domu.c), runs a payload that faults in one of these ways, and
 * expects VIRQ_DOM_EXC, getdomaininfo saying shut down with SHUTDOWN_crash
 * (not dying), its vCPU off every CPU, the payload stopped at the fault,
 * and after destroydomain every frame back (the first two resumed first,
 * as Xen 4.17 resumes a crash too: they fault and crash again):
 *
 *   no_handler   a page fault with no trap table
 *   bad_stack    #UD with a handler, but the kernel stack (RSP) unmapped:
 *                the exception frame cannot be written (a triple fault)
 *   no_callback  an event sent to it with its upcalls unmasked, and no
 *                event callback (Xen 4.17 bounces to address 0)
 *   iret_frame   the iret hypercall with its frame unmapped
 *
 * Same expectations on Paravane and Xen 4.17.
 */
#include "domu.h"

const char test_name[] = "domcrash";
const int test_styles = STYLE_DIRECT;   /* builds domains: once */

#define PAGES 32
#define UNMAPPED 0x100000000000ULL   /* L4 slot 32: nothing there */

/* The payload's data page */
struct payload_data {
	uint64_t started;       /* +0: 1 first thing (no_callback: 2 once unmasked) */
	uint64_t mode;          /* +8: MODE_* */
	uint64_t shinfo_va;     /* +16: where its shared_info is mapped */
	uint64_t continued;     /* +24: set if it gets past the fault */
};
enum { MODE_NO_HANDLER, MODE_BAD_STACK, MODE_NO_CALLBACK, MODE_IRET_FRAME };

_Static_assert(__builtin_offsetof(struct payload_data, continued) == 24, "payload layout");

/*
 * RBX = the data page. Hypercalls by syscall: xen_version 17, iret 23.
 * payload_handler is the #UD handler of bad_stack (never reached).
 */
extern const uint8_t payload_start[], payload_end[], payload_handler[];
__asm__(".pushsection .rodata\n"
	"payload_start:\n"
	"	movq $1, 0(%rbx)\n"
	"	movabs $0x100000000000, %rcx\n"
	"	mov 8(%rbx), %rax\n"
	"	cmp $1, %rax\n"
	"	je 1f\n"
	"	cmp $2, %rax\n"
	"	je 2f\n"
	"	cmp $3, %rax\n"
	"	je 3f\n"
	/* no_handler: read an unmapped address */
	"	mov (%rcx), %rax\n"
	"	jmp 9f\n"
	/* bad_stack: #UD on an unmapped stack */
	"1:	mov %rcx, %rsp\n"
	"	ud2\n"
	"	jmp 9f\n"
	/* no_callback: upcalls unmasked (vcpu_info 0), hypercalls until Dom0's event comes */
	"2:	mov 16(%rbx), %rcx\n"
	"	movb $0, 1(%rcx)\n"
	"	movq $2, 0(%rbx)\n"
	"7:	mov $17, %eax\n"
	"	xor %edi, %edi\n"
	"	xor %esi, %esi\n"
	"	syscall\n"
	"	jmp 7b\n"
	/* iret_frame: the frame at RSP, unmapped */
	"3:	mov %rcx, %rsp\n"
	"	mov $23, %eax\n"
	"	syscall\n"
	"9:	movq $1, 24(%rbx)\n"
	"8:	pause\n"
	"	jmp 8b\n"
	"payload_handler:\n"
	"	movq $2, 24(%rbx)\n"
	"	jmp 8b\n"
	"payload_end:\n"
	".popsection\n");

static uint64_t mfns[PAGES];
static struct vcpu_guest_context ctx;
static evtchn_port_t dom_exc;

/* "<variant>_<check>", for EXPECT (which adds the style itself) */
static const char *name;
static const char *vname(const char *check)
{
	static char n[64];

	gsnprintf(n, sizeof(n), "%s_%s", name, check);
	return n;
}

static void run(const char *variant, uint64_t mode)
{
	static struct payload_data pd;
	const volatile struct payload_data *seen = (const volatile void *)domu_windows[1];
	uint64_t before = domu_free_pages(), after = 0, shinfo;
	struct domu u;
	long rc;

	name = variant;
	if (!domu_create(&u, mfns, PAGES, 1))
		goto out;
	rc = domu_info(u.id);
	shinfo = domu_op.u.getdomaininfo.shared_info_frame;
	check(rc == 0 && shinfo, tname(vname("shinfo")), "getdomaininfo %ld, shared_info frame %#lx", rc,
	      (unsigned long)shinfo);
	memset(&pd, 0, sizeof(pd));
	pd.mode = mode;
	pd.shinfo_va = DOMU_VA(PAGES);
	if (!domu_load(&u, payload_start, payload_end - payload_start, &pd, sizeof(pd), shinfo))
		goto out;
	domu_context(&ctx, &u, 0);
	if (mode == MODE_BAD_STACK) {
		ctx.trap_ctxt[6].vector = 6;
		ctx.trap_ctxt[6].cs = FLAT_KERNEL_CS;
		ctx.trap_ctxt[6].address = DOMU_VA(u.code) + (payload_handler - payload_start);
	}
	rc = domu_set_context(u.id, 0, &ctx);
	check(rc == 0, tname(vname("setvcpucontext")), "%ld", rc);
	if (rc)
		goto out;
	domu_port_clear(dom_exc);
	EXPECT(vname("unpause"), domu_simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	if (mode == MODE_NO_CALLBACK) {
		/*
		 * Once it has unmasked its upcalls (a new vCPU's mask differs:
		 * Xen 4.17 starts it clear, Paravane set), an event on its port.
		 */
		struct evtchn_send s = { .port = u.port };
		uint64_t until = system_time_ns() + 5000000000ULL;

		if (domu_map_window(1, u.id, u.mfn[u.data], DOMU_RO) == 0) {
			while (seen->started != 2 && system_time_ns() < until)
				HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
			EXPECT(vname("unmasked"), seen->started, 2);
			domu_map_window(1, DOMID_SELF, 0, 0);
		}
		EXPECT(vname("send"), HYPERVISOR_event_channel_op(EVTCHNOP_send, &s), 0);
	}
	check(domu_wait_port(dom_exc, 5000), tname(vname("dom_exc")), "no VIRQ_DOM_EXC within 5 s");
	EXPECT(vname("info"), domu_info(u.id), 0);
	check_eq_hex(tname(vname("crashed")),
		     domu_op.u.getdomaininfo.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying | 0xffff0000u),
		     XEN_DOMINF_shutdown | (SHUTDOWN_crash << 16));
	/* the crash path raises VIRQ_DOM_EXC before its CPU has switched away: wait a little */
	memset(&domu_op, 0, sizeof(domu_op));
	domu_op.u.getvcpuinfo.vcpu = 0;
	rc = domu_domctl(XEN_DOMCTL_getvcpuinfo, u.id);
	for (unsigned i = 0; i < 100 && rc == 0 && domu_op.u.getvcpuinfo.running; i++) {
		domu_spin_ms(10);
		rc = domu_domctl(XEN_DOMCTL_getvcpuinfo, u.id);
	}
	check(rc == 0 && !domu_op.u.getvcpuinfo.running, tname(vname("vcpu_stopped")), "getvcpuinfo %ld, running %u",
	      rc, domu_op.u.getvcpuinfo.running);
	/* still there to inspect: its data page says how far it got */
	if (domu_map_window(1, u.id, u.mfn[u.data], DOMU_RO) == 0) {
		EXPECT(vname("payload_started"), seen->started, mode == MODE_NO_CALLBACK ? 2 : 1);
		EXPECT(vname("payload_stopped_at_fault"), seen->continued, 0);
		domu_map_window(1, DOMID_SELF, 0, 0);
	} else {
		fail(tname(vname("map_data")), "cannot map the crashed domain's data page");
	}
	EXPECT(vname("still_crashed"), domu_info(u.id), 0);
	check(domu_op.u.getdomaininfo.flags & XEN_DOMINF_shutdown, tname(vname("not_restarted")), "flags 0x%x",
	      domu_op.u.getdomaininfo.flags);
	if (mode == MODE_NO_HANDLER || mode == MODE_BAD_STACK) {
		/* resumed (Xen 4.17 resumes a crash too), it runs the faulting instruction again */
		domu_port_clear(dom_exc);
		EXPECT(vname("resume"), domu_simple(XEN_DOMCTL_resumedomain, u.id), 0);
		check(domu_wait_port(dom_exc, 5000), tname(vname("resumed_crashed_again")), "no VIRQ_DOM_EXC within 5 s");
		EXPECT(vname("resumed_info"), domu_info(u.id), 0);
		check_eq_hex(tname(vname("resumed_crashed")),
			     domu_op.u.getdomaininfo.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying | 0xffff0000u),
			     XEN_DOMINF_shutdown | (SHUTDOWN_crash << 16));
	}
out:
	if (!u.id)
		return;
	domu_port_clear(dom_exc);
	EXPECT(vname("destroy"), domu_destroy_wait(u.id, before, 2000, &after), 0);
	check(domu_free_back(before, after), tname(vname("free_back")), "free pages %lu before, %lu after",
	      (unsigned long)before, (unsigned long)after);
	check(domu_wait_port(dom_exc, 2000), tname(vname("dom_exc_on_destroy")), "no VIRQ_DOM_EXC");
	if (u.port) {
		struct evtchn_close cl = { .port = u.port };

		HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
	}
}

void test_main(void)
{
	if (!(dom_exc = domu_bind_dom_exc())) {
		fail(tname("bind_dom_exc"), "cannot bind VIRQ_DOM_EXC");
		return;
	}
	run("no_handler", MODE_NO_HANDLER);
	run("bad_stack", MODE_BAD_STACK);
	run("no_callback", MODE_NO_CALLBACK);
	run("iret_frame", MODE_IRET_FRAME);
}
