/*
 * dombuild - Dom0 builds a second domain from scratch and runs it, with
 * nothing but the hypercalls a toolstack uses: createdomain, max_vcpus,
 * max_mem, populate_physmap for it, its page tables written through
 * mmu_update naming it as the foreign domain, its L4 pinned the same way,
 * a small position-independent payload copied in, an event channel
 * allocated between the two, setvcpucontext, unpausedomain.
 *
 * The payload (assembly below) writes a message into its console ring
 * page, notifies Dom0 on the event channel and shuts down with the reason
 * Dom0 chose, all with `syscall` hypercalls (a DomU has no console_io on
 * Xen). Dom0 sees the event, VIRQ_DOM_EXC, the reason in getdomaininfo,
 * the message, then destroys the domain and gets every frame back. Also:
 * a payload that crashes (ud2, no trap table) is marked crashed, not
 * destroyed; a 2-vCPU payload spinning on two counters stops when paused
 * (pausedomain returns only when it is off every CPU) and goes on when
 * unpaused; getvcpuinfo and the affinity domctls; a getvcpucontext round
 * trip; and the bad arguments: unknown and dying domains, vCPU ids out of
 * range, CR3s that are not validated L4s of the domain, a DomU calling
 * domctl, affinity masks with no online CPU. Needs 2 CPUs (GUEST_SMP=2).
 * The builder, windows and event helpers are lib/domu.c's; the DomU's
 * last page is left unmapped in it, for a GDT.
 */
#include "domu.h"
#include "public/io/console.h"

const char test_name[] = "dombuild";
const int test_styles = STYLE_DIRECT;   /* builds domains: once */

/* The payload's parameter block, at the start of its data page */
struct payload_data {
	uint32_t port;          /* +0: struct evtchn_send */
	uint32_t pad0;
	uint32_t reason;        /* +8: struct sched_shutdown */
	uint32_t pad1;
	uint64_t msg_len;       /* +16 */
	uint64_t mode;          /* +24: MODE_* */
	uint64_t counter[2];    /* +32: one per vCPU (MODE_SPIN) */
	uint64_t domctl_rc;     /* +48: what its domctl returned */
	uint8_t pad2[8];
	char msg[448];          /* +64 */
	struct xen_domctl domctl;   /* +512: the domctl it tries */
};
#define MODE_MESSAGE 0
#define MODE_CRASH   1
#define MODE_SPIN    2
#define MODE_BLOCK   3   /* counter[0]++, block; woken: counter[1]++, power off */
#define MODE_UP      4   /* VCPUOP_up(1) (result in domctl_rc), then MODE_SPIN */

_Static_assert(__builtin_offsetof(struct payload_data, counter) == 32, "payload layout");
_Static_assert(__builtin_offsetof(struct payload_data, domctl_rc) == 48, "payload layout");
_Static_assert(__builtin_offsetof(struct payload_data, msg) == 64, "payload layout");
_Static_assert(__builtin_offsetof(struct payload_data, domctl) == 512, "payload layout");
_Static_assert(__builtin_offsetof(struct xencons_interface, out) == 1024, "console layout");
_Static_assert(__builtin_offsetof(struct xencons_interface, out_prod) == 3084, "console layout");

/*
 * Entered in guest kernel mode with RBX = its data page, RBP = its
 * console page, R15 = its vCPU id. Hypercalls: syscall with RAX = number,
 * arguments in RDI, RSI (domctl 36, sched_op 29, event_channel_op 32).
 */
extern const uint8_t payload_start[], payload_end[], payload_woke[];
__asm__(".pushsection .rodata\n"
	".globl payload_start, payload_end, payload_woke\n"
	"payload_start:\n"
	"	mov 24(%rbx), %rax\n"
	"	cmp $1, %rax\n"
	"	je 3f\n"
	"	cmp $2, %rax\n"
	"	je 4f\n"
	"	cmp $3, %rax\n"
	"	je 5f\n"
	/* MODE_UP: VCPUOP_up(1) from the guest itself (vcpu_op 24), then spin */
	"	cmp $4, %rax\n"
	"	jne 7f\n"
	"	mov $24, %eax\n"
	"	mov $1, %edi\n"
	"	mov $1, %esi\n"
	"	xor %edx, %edx\n"
	"	syscall\n"
	"	mov %rax, 48(%rbx)\n"
	"	jmp 4f\n"
	"7:\n"
	/* a DomU may not use domctl */
	"	mov $36, %eax\n"
	"	lea 512(%rbx), %rdi\n"
	"	syscall\n"
	"	mov %rax, 48(%rbx)\n"
	/* the message into the console ring's out[], then out_prod */
	"	mov 16(%rbx), %rcx\n"
	"	lea 64(%rbx), %rsi\n"
	"	lea 1024(%rbp), %rdi\n"
	"	rep movsb\n"
	"	mov 16(%rbx), %eax\n"
	"	mov %eax, 3084(%rbp)\n"
	/* EVTCHNOP_send(4) */
	"	mov $32, %eax\n"
	"	mov $4, %edi\n"
	"	mov %rbx, %rsi\n"
	"	syscall\n"
	/* SCHEDOP_shutdown(2) */
	"	mov $29, %eax\n"
	"	mov $2, %edi\n"
	"	lea 8(%rbx), %rsi\n"
	"	syscall\n"
	"1:	jmp 1b\n"
	"3:	ud2\n"
	"4:	lea 32(%rbx,%r15,8), %rdi\n"
	"2:	incq (%rdi)\n"
	"	jmp 2b\n"
	/* SCHEDOP_block(1) until an event; woken (or its upcall): count, power off */
	"5:	incq 32(%rbx)\n"
	"	mov $29, %eax\n"
	"	mov $1, %edi\n"
	"	xor %esi, %esi\n"
	"	syscall\n"
	"payload_woke:\n"
	"	incq 40(%rbx)\n"
	"	mov $29, %eax\n"
	"	mov $2, %edi\n"
	"	lea 8(%rbx), %rsi\n"
	"	syscall\n"
	"6:	jmp 6b\n"
	"payload_end:\n"
	".popsection\n");

static evtchn_port_t dom_exc_port;

/* ---- building (lib/domu.c) ------------------------------------------- */

/* lib/domu.h's layout for NR_PFNS pages; the last, mapped nowhere in the DomU, is for a GDT */
#define NR_PFNS 9
#define PFN_GDT (NR_PFNS - 1)
static uint64_t frames[NR_PFNS], other_frames[NR_PFNS];

static void fill_data(struct payload_data *pd, uint64_t mode, unsigned reason, const char *msg,
		      evtchn_port_t domu_port)
{
	memset(pd, 0, sizeof(*pd));
	pd->port = domu_port;
	pd->reason = reason;
	pd->mode = mode;
	pd->msg_len = strlen(msg);
	memcpy(pd->msg, msg, pd->msg_len);
	pd->domctl.cmd = XEN_DOMCTL_setvcpucontext;
	pd->domctl.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	pd->domctl.domain = 0;
}

/*
 * A domain of NR_PFNS pages (frames in `mfn`) with its tables (pinned)
 * and payload, paused, with an event channel to us; its vCPUs have no
 * context yet. 0 on failure (reported by lib/domu.c as build_*).
 */
static int build(struct domu *u, uint64_t *mfn, unsigned vcpus, uint64_t mode, unsigned reason,
		 const char *msg)
{
	static struct payload_data pd;

	if (!domu_create(u, mfn, NR_PFNS, vcpus))
		return 0;
	u->nr_mapped = PFN_GDT;
	fill_data(&pd, mode, reason, msg, u->domu_port);
	if (!domu_load(u, payload_start, payload_end - payload_start, &pd, sizeof(pd), 0))
		return 0;
	/*
	 * populate_physmap for a PV domain records each frame's pfn in the M2P,
	 * as Xen (domu_create stops if not); writing and pinning its tables keep it.
	 */
	check(domu_m2p_names(u), tname("build_m2p"), "the M2P does not name the pfns populated");
	return 1;
}

static struct vcpu_guest_context ctx;

/* Xen frees a destroyed domain's frames later: 0.1 to 1.5 s measured under TCG on a loaded host */
#define FREE_WAIT_MS 5000

/* Destroy, and check the free pages are back (on Xen, once it has freed them). */
static void destroy_and_count(const char *name, domid_t id, uint64_t free_before)
{
	uint64_t after = 0;
	char n[64];

	gsnprintf(n, sizeof(n), "%s_destroy", name);
	EXPECT(n, domu_destroy_wait(id, free_before, FREE_WAIT_MS, &after), 0);
	gsnprintf(n, sizeof(n), "%s_free_back", name);
	check(domu_free_back(free_before, after), tname(n), "free pages %lu before, %lu after",
	      (unsigned long)free_before, (unsigned long)after);
}

/* ---- the runs -------------------------------------------------------- */

/* Run a payload that says `msg` and shuts down with `reason`. */
static void run_message(const char *name, unsigned reason)
{
	static char msg[64], n[64];
	uint64_t before = domu_free_pages();
	struct domu u;
	const struct xencons_interface *cons = (const void *)domu_windows[1];
	const struct payload_data *pd = (const void *)domu_windows[1];

	gsnprintf(msg, sizeof(msg), "hello from a domain built by hand: %s", name);
	if (!build(&u, frames, 1, MODE_MESSAGE, reason, msg))
		return;
	domu_context(&ctx, &u, 0);
	gsnprintf(n, sizeof(n), "%s_setvcpucontext", name);
	EXPECT(n, domu_set_context(u.id, 0, &ctx), 0);
	domu_port_clear(dom_exc_port);
	gsnprintf(n, sizeof(n), "%s_unpause", name);
	EXPECT(n, domu_simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	gsnprintf(n, sizeof(n), "%s_event", name);
	check(domu_wait_port(u.port, 5000), tname(n), "no event from the domain");
	gsnprintf(n, sizeof(n), "%s_dom_exc", name);
	check(domu_wait_port(dom_exc_port, 5000), tname(n), "no VIRQ_DOM_EXC");
	gsnprintf(n, sizeof(n), "%s_info", name);
	EXPECT(n, domu_info(u.id), 0);
	gsnprintf(n, sizeof(n), "%s_shutdown_reason", name);
	check_eq_hex(tname(n),
		     domu_op.u.getdomaininfo.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying | 0xffff0000u),
		     XEN_DOMINF_shutdown | (reason << 16));
	if (domu_map_window(1, u.id, u.mfn[u.cons], DOMU_RO) == 0) {
		gsnprintf(n, sizeof(n), "%s_console_len", name);
		EXPECT(n, cons->out_prod, strlen(msg));
		gsnprintf(n, sizeof(n), "%s_console_text", name);
		check(cons->out_prod == strlen(msg) && !memcmp(cons->out, msg, strlen(msg)), tname(n),
		      "the console page does not hold the message");
	} else {
		fail(tname("console_map"), "cannot map the console page");
	}
	if (domu_map_window(1, u.id, u.mfn[u.data], DOMU_RO) == 0) {
		gsnprintf(n, sizeof(n), "%s_domu_domctl_eperm", name);
		EXPECT(n, pd->domctl_rc, -XEN_EPERM);
	}
	domu_map_window(1, DOMID_SELF, 0, 0);
	domu_port_clear(dom_exc_port);
	destroy_and_count(name, u.id, before);
	gsnprintf(n, sizeof(n), "%s_dom_exc_on_destroy", name);
	check(domu_wait_port(dom_exc_port, 2000), tname(n), "no VIRQ_DOM_EXC");
	struct evtchn_close cl = { .port = u.port };
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
}

static void run_crash(void)
{
	uint64_t before = domu_free_pages();
	struct domu u;

	if (!build(&u, frames, 1, MODE_CRASH, 0, ""))
		return;
	domu_context(&ctx, &u, 0);
	EXPECT("crash_setvcpucontext", domu_set_context(u.id, 0, &ctx), 0);
	domu_port_clear(dom_exc_port);
	EXPECT("crash_unpause", domu_simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	check(domu_wait_port(dom_exc_port, 5000), tname("crash_dom_exc"), "no VIRQ_DOM_EXC");
	EXPECT("crash_info", domu_info(u.id), 0);
	check_eq_hex(tname("crash_flags"),
		     domu_op.u.getdomaininfo.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying | 0xffff0000u),
		     XEN_DOMINF_shutdown | (SHUTDOWN_crash << 16));
	/* VIRQ_DOM_EXC comes from the crash path, before its CPU has switched away: wait a little */
	EXPECT("crash_vcpuinfo", domu_vcpuinfo(u.id, 0), 0);
	for (unsigned i = 0; i < 100 && domu_op.u.getvcpuinfo.running; i++) {
		domu_spin_ms(10);
		domu_vcpuinfo(u.id, 0);
	}
	EXPECT("crash_vcpu_not_running", domu_op.u.getvcpuinfo.running, 0);
	destroy_and_count("crash", u.id, before);
	struct evtchn_close cl = { .port = u.port };
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
}

static uint64_t counter(unsigned vcpu)
{
	return ((volatile const struct payload_data *)domu_windows[1])->counter[vcpu];
}

/* Both counters moved within `ms` (checked every 10 ms: a loaded host is slow)? */
static int counters_move(unsigned ms)
{
	uint64_t a = counter(0), b = counter(1);

	for (unsigned t = 0; t < ms; t += 10) {
		domu_spin_ms(10);
		if (counter(0) != a && counter(1) != b)
			return 1;
	}
	return 0;
}

static void affinity(domid_t id);

static void run_pause(void)
{
	uint64_t before = domu_free_pages(), c0, c1;
	struct domu u;

	if (!build(&u, frames, 2, MODE_SPIN, 0, ""))
		return;
	EXPECT("pause_vcpuinfo_new", domu_vcpuinfo(u.id, 1), 0);
	EXPECT("pause_vcpuinfo_new_online", domu_op.u.getvcpuinfo.online, 0);
	EXPECT("pause_vcpuinfo_new_time", domu_op.u.getvcpuinfo.cpu_time, 0);
	for (unsigned v = 0; v < 2; v++) {
		domu_context(&ctx, &u, v);
		EXPECT("pause_setvcpucontext", domu_set_context(u.id, v, &ctx), 0);
	}
	EXPECT("pause_vcpuinfo_set", domu_vcpuinfo(u.id, 1), 0);
	EXPECT("pause_vcpuinfo_set_online", domu_op.u.getvcpuinfo.online, 1);
	EXPECT("pause_vcpuinfo_set_running", domu_op.u.getvcpuinfo.running, 0);
	EXPECT("pause_info_paused", domu_info(u.id), 0);
	EXPECT("pause_info_paused_flag", domu_op.u.getdomaininfo.flags & XEN_DOMINF_paused, XEN_DOMINF_paused);
	EXPECT("pause_info_online", domu_op.u.getdomaininfo.nr_online_vcpus, 2);
	if (domu_map_window(1, u.id, u.mfn[u.data], DOMU_RO)) {
		fail(tname("pause_map"), "cannot map the data page");
		return;
	}
	domu_spin_ms(50);
	check(counter(0) == 0 && counter(1) == 0, tname("pause_new_still"), "a new (paused) domain ran");
	EXPECT("pause_unpause", domu_simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	check(counters_move(2000), tname("pause_runs"), "counters %lu %lu do not both move",
	      (unsigned long)counter(0), (unsigned long)counter(1));
	EXPECT("pause_running_info", domu_vcpuinfo(u.id, 0), 0);
	check(domu_op.u.getvcpuinfo.cpu_time > 0, tname("pause_cpu_time"), "no CPU time");
	EXPECT("pause_running_online", domu_op.u.getvcpuinfo.online, 1);
	affinity(u.id);
	for (unsigned round = 0; round < 3; round++) {
		EXPECT("pause_pause", domu_simple(XEN_DOMCTL_pausedomain, u.id), 0);
		/* returned: neither vCPU is on a CPU any more, so the counters are still */
		c0 = counter(0), c1 = counter(1);
		EXPECT("pause_vcpu0_not_running", (domu_vcpuinfo(u.id, 0), domu_op.u.getvcpuinfo.running), 0);
		EXPECT("pause_vcpu1_not_running", (domu_vcpuinfo(u.id, 1), domu_op.u.getvcpuinfo.running), 0);
		domu_spin_ms(100);
		check(counter(0) == c0 && counter(1) == c1, tname("pause_stops"),
		      "counters went on: %lu -> %lu, %lu -> %lu", (unsigned long)c0,
		      (unsigned long)counter(0), (unsigned long)c1, (unsigned long)counter(1));
		EXPECT("pause_info_flag", (domu_info(u.id), domu_op.u.getdomaininfo.flags & XEN_DOMINF_paused),
		       XEN_DOMINF_paused);
		EXPECT("pause_unpause_again", domu_simple(XEN_DOMCTL_unpausedomain, u.id), 0);
		check(counters_move(2000), tname("pause_resumes"), "counters %lu %lu do not both move",
		      (unsigned long)counter(0), (unsigned long)counter(1));
	}
	/* its context while it runs: pause, read, go on */
	EXPECT("pause_getvcpucontext_running", domu_get_context(u.id, 1, &ctx), 0);
	check(ctx.user_regs.rip >= DOMU_VA(u.code) && ctx.user_regs.rip < DOMU_VA(u.code) + 4096,
	      tname("pause_getvcpucontext_rip"), "rip %#lx", (unsigned long)ctx.user_regs.rip);
	EXPECT("pause_getvcpucontext_r15", ctx.user_regs.r15, 1);
	check(counters_move(2000), tname("pause_getvcpucontext_goes_on"), "stopped");
	domu_map_window(1, DOMID_SELF, 0, 0);
	destroy_and_count("pause", u.id, before);
	struct evtchn_close cl = { .port = u.port };
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
}

/*
 * setvcpucontext on a running domain: VGCF_online brings vCPU 1 up at
 * once; a new context for a running vCPU takes it off its CPU first and
 * it starts again from there; without VGCF_online it goes down.
 */
static void run_online(void)
{
	uint64_t before = domu_free_pages(), c1;
	struct domu u;

	if (!build(&u, frames, 2, MODE_SPIN, 0, ""))
		return;
	domu_context(&ctx, &u, 0);
	EXPECT("online_set_vcpu0", domu_set_context(u.id, 0, &ctx), 0);
	domu_context(&ctx, &u, 1);
	ctx.flags &= ~VGCF_online;
	EXPECT("online_set_vcpu1_down", domu_set_context(u.id, 1, &ctx), 0);
	EXPECT("online_unpause", domu_simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	if (domu_map_window(1, u.id, u.mfn[u.data], DOMU_RO)) {
		fail(tname("online_map"), "cannot map the data page");
		return;
	}
	domu_spin_ms(200);
	check(counter(0) != 0 && counter(1) == 0, tname("online_only_vcpu0"), "counters %lu %lu",
	      (unsigned long)counter(0), (unsigned long)counter(1));
	EXPECT("online_vcpu1_info", (domu_vcpuinfo(u.id, 1), domu_op.u.getvcpuinfo.online), 0);
	ctx.flags |= VGCF_online;
	EXPECT("online_set_vcpu1_up", domu_set_context(u.id, 1, &ctx), 0);
	check(counters_move(2000), tname("online_vcpu1_runs"), "counters %lu %lu",
	      (unsigned long)counter(0), (unsigned long)counter(1));
	/* again, while it runs: it restarts at the payload's entry, still online */
	EXPECT("online_set_vcpu1_running", domu_set_context(u.id, 1, &ctx), 0);
	check(counters_move(2000), tname("online_vcpu1_runs_again"), "stopped");
	ctx.flags &= ~VGCF_online;
	EXPECT("online_set_vcpu1_down_again", domu_set_context(u.id, 1, &ctx), 0);
	EXPECT("online_vcpu1_down_info", (domu_vcpuinfo(u.id, 1), domu_op.u.getvcpuinfo.online), 0);
	c1 = counter(1);
	domu_spin_ms(100);
	EXPECT("online_vcpu1_stopped", counter(1), c1);
	domu_map_window(1, DOMID_SELF, 0, 0);
	destroy_and_count("online", u.id, before);
	struct evtchn_close cl = { .port = u.port };
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
}

/* A DomU brings its own vCPU 1 up (VCPUOP_up), given a context but left down by Dom0. */
static void run_vcpu_up(void)
{
	uint64_t before = domu_free_pages();
	struct domu u;

	if (!build(&u, frames, 2, MODE_UP, 0, ""))
		return;
	domu_context(&ctx, &u, 0);
	EXPECT("up_set_vcpu0", domu_set_context(u.id, 0, &ctx), 0);
	domu_context(&ctx, &u, 1);
	ctx.flags &= ~VGCF_online;
	EXPECT("up_set_vcpu1_down", domu_set_context(u.id, 1, &ctx), 0);
	if (domu_map_window(1, u.id, u.mfn[u.data], DOMU_RO)) {
		fail(tname("up_map"), "cannot map the data page");
		return;
	}
	EXPECT("up_unpause", domu_simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	check(counters_move(2000), tname("up_both_run"), "counters %lu %lu",
	      (unsigned long)counter(0), (unsigned long)counter(1));
	EXPECT("up_result", ((volatile const struct payload_data *)domu_windows[1])->domctl_rc, 0);
	EXPECT("up_vcpu1_online", (domu_vcpuinfo(u.id, 1), domu_op.u.getvcpuinfo.online), 1);
	domu_map_window(1, DOMID_SELF, 0, 0);
	destroy_and_count("up", u.id, before);
	struct evtchn_close cl = { .port = u.port };
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
}

/* vCPU 0 blocked and not running (getvcpuinfo's answer left in domu_op) */
static int blocked_off_cpu(domid_t id)
{
	domu_vcpuinfo(id, 0);
	return domu_op.u.getvcpuinfo.blocked && !domu_op.u.getvcpuinfo.running;
}

/*
 * A blocked vCPU of a paused domain: still blocked (not running) while
 * paused; an event sent meanwhile does not run it; at unpause it wakes
 * (the event came while it could not), counts and powers off.
 */
static void run_blocked(void)
{
	uint64_t before = domu_free_pages();
	struct evtchn_send send;
	struct domu u;
	unsigned i;

	if (!build(&u, frames, 1, MODE_BLOCK, SHUTDOWN_poweroff, ""))
		return;
	domu_context(&ctx, &u, 0);
	ctx.event_callback_eip = DOMU_VA(u.code) + (payload_woke - payload_start);
	EXPECT("block_setvcpucontext", domu_set_context(u.id, 0, &ctx), 0);
	if (domu_map_window(1, u.id, u.mfn[u.data], DOMU_RO)) {
		fail(tname("block_map"), "cannot map the data page");
		return;
	}
	domu_port_clear(dom_exc_port);
	EXPECT("block_unpause", domu_simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	/* Xen marks it blocked a moment before it is off its CPU: wait for both */
	for (i = 0; i < 200 && !(counter(0) && blocked_off_cpu(u.id)); i++)
		domu_spin_ms(10);
	EXPECT("block_blocked", domu_op.u.getvcpuinfo.blocked, 1);
	EXPECT("block_not_running", domu_op.u.getvcpuinfo.running, 0);
	EXPECT("block_info_flag", (domu_info(u.id), domu_op.u.getdomaininfo.flags & XEN_DOMINF_blocked),
	       XEN_DOMINF_blocked);
	EXPECT("block_pause", domu_simple(XEN_DOMCTL_pausedomain, u.id), 0);
	EXPECT("block_paused_still_blocked", (domu_vcpuinfo(u.id, 0), domu_op.u.getvcpuinfo.blocked), 1);
	send.port = u.port;
	EXPECT("block_send_while_paused", HYPERVISOR_event_channel_op(EVTCHNOP_send, &send), 0);
	domu_spin_ms(100);
	EXPECT("block_paused_not_woken", counter(1), 0);
	EXPECT("block_unpause_again", domu_simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	check(domu_wait_port(dom_exc_port, 5000), tname("block_woken_at_unpause"), "no VIRQ_DOM_EXC");
	check(counter(1) >= 1, tname("block_woken_counted"), "counter %lu", (unsigned long)counter(1));
	EXPECT("block_poweroff",
	       (domu_info(u.id), domu_op.u.getdomaininfo.flags & (XEN_DOMINF_shutdown | 0xffff0000u)),
	       XEN_DOMINF_shutdown | (SHUTDOWN_poweroff << 16));
	domu_map_window(1, DOMID_SELF, 0, 0);
	destroy_and_count("block", u.id, before);
	struct evtchn_close cl = { .port = u.port };
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
}

/* ---- affinity -------------------------------------------------------- */

static uint8_t hard_map[8], soft_map[8];

static long aff(uint32_t cmd, domid_t id, unsigned vcpu, uint32_t flags, uint32_t nr_bits)
{
	memset(&domu_op, 0, sizeof(domu_op));
	domu_op.u.vcpuaffinity.vcpu = vcpu;
	domu_op.u.vcpuaffinity.flags = flags;
	domu_op.u.vcpuaffinity.cpumap_hard.bitmap = (uint64_t)hard_map;
	domu_op.u.vcpuaffinity.cpumap_hard.nr_bits = nr_bits;
	domu_op.u.vcpuaffinity.cpumap_soft.bitmap = (uint64_t)soft_map;
	domu_op.u.vcpuaffinity.cpumap_soft.nr_bits = nr_bits;
	return domu_domctl(cmd, id);
}

/* On a running 2-vCPU domain (2 CPUs). */
static void affinity(domid_t id)
{
	const uint32_t both = XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT;

	memset(hard_map, 0, sizeof(hard_map));
	EXPECT("aff_get_default", aff(XEN_DOMCTL_getvcpuaffinity, id, 0, both, 8), 0);
	EXPECT("aff_get_default_hard", hard_map[0] & 3, 3);
	EXPECT("aff_get_default_soft", soft_map[0] & 3, 3);
	/* no online CPU in it */
	hard_map[0] = 0x20;
	EXPECT("aff_set_offline_cpu", aff(XEN_DOMCTL_setvcpuaffinity, id, 0, XEN_VCPUAFFINITY_HARD, 8),
	       -XEN_EINVAL);
	hard_map[0] = 0;
	EXPECT("aff_set_empty", aff(XEN_DOMCTL_setvcpuaffinity, id, 0, XEN_VCPUAFFINITY_HARD, 8), -XEN_EINVAL);
	hard_map[0] = 3;
	EXPECT("aff_set_no_bits", aff(XEN_DOMCTL_setvcpuaffinity, id, 0, XEN_VCPUAFFINITY_HARD, 0), -XEN_EINVAL);
	EXPECT("aff_set_no_flags", aff(XEN_DOMCTL_setvcpuaffinity, id, 0, 0, 8), -XEN_EINVAL);
	EXPECT("aff_get_no_flags", aff(XEN_DOMCTL_getvcpuaffinity, id, 0, 0, 8), -XEN_EINVAL);
	EXPECT("aff_set_vcpu_range", aff(XEN_DOMCTL_setvcpuaffinity, id, 2, XEN_VCPUAFFINITY_HARD, 8),
	       -XEN_EINVAL);
	EXPECT("aff_get_vcpu_range", aff(XEN_DOMCTL_getvcpuaffinity, id, 99, both, 8), -XEN_EINVAL);
	/* refused: nothing changed */
	EXPECT("aff_get_unchanged", aff(XEN_DOMCTL_getvcpuaffinity, id, 0, both, 8), 0);
	EXPECT("aff_get_unchanged_hard", hard_map[0] & 3, 3);
	/* pin vCPU 1 to CPU 1; soft CPU 0 and 1 comes back as hard & soft & online = CPU 1 */
	hard_map[0] = 0x22;   /* CPU 5 does not exist: dropped */
	soft_map[0] = 3;
	EXPECT("aff_set_pin", aff(XEN_DOMCTL_setvcpuaffinity, id, 1, both, 8), 0);
	EXPECT("aff_set_pin_effective_hard", hard_map[0], 2);
	EXPECT("aff_set_pin_effective_soft", soft_map[0], 2);
	memset(hard_map, 0, sizeof(hard_map));
	memset(soft_map, 0, sizeof(soft_map));
	EXPECT("aff_get_pin", aff(XEN_DOMCTL_getvcpuaffinity, id, 1, both, 8), 0);
	EXPECT("aff_get_pin_hard", hard_map[0] & 3, 2);
	EXPECT("aff_get_pin_soft", soft_map[0] & 3, 3);
	/* it moves at its CPU's next switch (on Xen too): give it time */
	for (unsigned i = 0; i < 200 && (domu_vcpuinfo(id, 1), domu_op.u.getvcpuinfo.cpu) != 1; i++)
		domu_spin_ms(10);
	EXPECT("aff_on_cpu1", domu_op.u.getvcpuinfo.cpu, 1);
	check(counters_move(2000), tname("aff_pinned_runs"), "stopped");
	EXPECT("aff_still_on_cpu1", (domu_vcpuinfo(id, 1), domu_op.u.getvcpuinfo.cpu), 1);
	hard_map[0] = 3;
	EXPECT("aff_unpin", aff(XEN_DOMCTL_setvcpuaffinity, id, 1, XEN_VCPUAFFINITY_HARD, 8), 0);
}

/* ---- context: round trip and refusals -------------------------------- */

static struct vcpu_guest_context ctx2;

static void context_checks(void)
{
	uint64_t before = domu_free_pages();
	struct domu u, other;

	if (!build(&u, frames, 2, MODE_SPIN, 0, ""))
		return;
	/* vCPU ids */
	domu_context(&ctx, &u, 0);
	EXPECT("ctx_set_vcpu_range", domu_set_context(u.id, 2, &ctx), -XEN_EINVAL);
	EXPECT("ctx_set_vcpu_huge", domu_set_context(u.id, 0x80000000u, &ctx), -XEN_EINVAL);
	EXPECT("ctx_get_vcpu_range", domu_get_context(u.id, 2, &ctx2), -XEN_EINVAL);
	EXPECT("vcpuinfo_range", domu_vcpuinfo(u.id, 2), -XEN_EINVAL);
	EXPECT("ctx_set_unknown_domain", domu_set_context(1000, 0, &ctx), -XEN_ESRCH);
	EXPECT("ctx_get_unknown_domain", domu_get_context(1000, 0, &ctx2), -XEN_ESRCH);
	EXPECT("vcpuinfo_unknown_domain", domu_vcpuinfo(1000, 0), -XEN_ESRCH);
	EXPECT("ctx_set_self", domu_set_context(0, 0, &ctx), -XEN_EINVAL);
	EXPECT("ctx_get_self_current", domu_get_context(0, 0, &ctx2), -XEN_EINVAL);
	EXPECT("ctx_set_fault", domu_set_context(u.id, 0, (void *)BAD_UNMAPPED), -XEN_EFAULT);

	/* CR3: another domain's L4 (ours), an L1 of its own */
	domu_context(&ctx, &u, 0);
	ctx.ctrlreg[3] = domu_own_mfn((const void *)start_info->pt_base) << 12;
	EXPECT("ctx_cr3_other_domain", domu_set_context(u.id, 0, &ctx), -XEN_EINVAL);
	EXPECT("ctx_get_never_set", domu_get_context(u.id, 0, &ctx2), -XEN_ENODATA);
	ctx.ctrlreg[3] = u.mfn[DOMU_PFN_L1] << 12;
	EXPECT("ctx_cr3_l1", domu_set_context(u.id, 0, &ctx), -XEN_EINVAL);
	/* user mode with no user tables */
	domu_context(&ctx, &u, 0);
	ctx.flags &= ~VGCF_in_kernel;
	EXPECT("ctx_user_mode_no_user_l4", domu_set_context(u.id, 0, &ctx), -XEN_EINVAL);
	/* refused before anything is looked at: non-canonical addresses; nothing changes */
	domu_context(&ctx, &u, 1);
	ctx.flags = VGCF_in_kernel;   /* set, but not online */
	ctx.fs_base = 0x1234000;
	ctx.gs_base_user = 0x5678000;
	ctx.event_callback_eip = DOMU_VA(u.code) + 16;
	ctx.failsafe_callback_eip = DOMU_VA(u.code) + 32;
	ctx.syscall_callback_eip = DOMU_VA(u.code) + 48;
	ctx.trap_ctxt[6].address = DOMU_VA(u.code) + 64;
	ctx.trap_ctxt[6].cs = FLAT_KERNEL_CS;
	ctx.trap_ctxt[6].vector = 6;
	ctx.kernel_sp = DOMU_VA(u.stack) + 2048;
	ctx.user_regs.rax = 0x1111;
	ctx.user_regs.r9 = 0x9999;
	/* GDT frames: a page table, one Dom0 still maps writable, a system descriptor */
	{
		uint64_t desc[3] = { 0, 0x00af9a000000ffffULL, 0x00cf92000000ffffULL };   /* null, code, data */
		uint64_t tss = 0x0000890000000067ULL;

		EXPECT("gdt_write", domu_write_frame(u.id, u.mfn[PFN_GDT], desc, sizeof(desc), 0), 1);
		ctx.gdt_ents = 16;
		ctx.gdt_frames[0] = u.mfn[DOMU_PFN_L1];
		EXPECT("ctx_gdt_page_table", domu_set_context(u.id, 1, &ctx), -XEN_EINVAL);
		ctx.gdt_frames[0] = u.mfn[PFN_GDT];
		EXPECT("gdt_map_writable", domu_map_window(0, u.id, u.mfn[PFN_GDT], DOMU_RW), 0);
		EXPECT("ctx_gdt_mapped_writable", domu_set_context(u.id, 1, &ctx), -XEN_EINVAL);
		((uint64_t *)domu_windows[0])[3] = tss;
		domu_map_window(0, DOMID_SELF, 0, 0);
		EXPECT("ctx_gdt_system_descriptor", domu_set_context(u.id, 1, &ctx), -XEN_EINVAL);
		EXPECT("ctx_get_still_never_set", domu_get_context(u.id, 1, &ctx2), -XEN_ENODATA);
		EXPECT("gdt_rewrite", domu_write_frame(u.id, u.mfn[PFN_GDT], desc, sizeof(desc), 0), 1);
	}
	EXPECT("ctx_set_offline", domu_set_context(u.id, 1, &ctx), 0);
	/* now a descriptor frame: Dom0 may not map it writable any more */
	EXPECT("gdt_not_writable", domu_map_window(0, u.id, u.mfn[PFN_GDT], DOMU_RW) < 0, 1);
	domu_map_window(0, DOMID_SELF, 0, 0);
	ctx2 = ctx;
	ctx2.user_regs.rip = BAD_NONCANON;
	ctx2.user_regs.rax = 0x2222;
	EXPECT("ctx_noncanonical_rip", domu_set_context(u.id, 1, &ctx2), -XEN_EINVAL);
	ctx2 = ctx;
	ctx2.fs_base = BAD_NONCANON2;
	ctx2.user_regs.rax = 0x3333;
	EXPECT("ctx_noncanonical_fs", domu_set_context(u.id, 1, &ctx2), -XEN_EINVAL);
	ctx2 = ctx;
	ctx2.kernel_sp = BAD_NONCANON;
	EXPECT("ctx_noncanonical_kernel_sp", domu_set_context(u.id, 1, &ctx2), -XEN_EINVAL);
	ctx2 = ctx;
	ctx2.trap_ctxt[14].address = BAD_NONCANON;
	EXPECT("ctx_noncanonical_trap", domu_set_context(u.id, 1, &ctx2), -XEN_EINVAL);
	/* round trip */
	memset(&ctx2, 0xa5, sizeof(ctx2));
	EXPECT("ctx_get", domu_get_context(u.id, 1, &ctx2), 0);
	EXPECT("ctx_get_rip", ctx2.user_regs.rip, ctx.user_regs.rip);
	EXPECT("ctx_get_rsp", ctx2.user_regs.rsp, ctx.user_regs.rsp);
	EXPECT("ctx_get_rax_unchanged", ctx2.user_regs.rax, 0x1111);
	EXPECT("ctx_get_r9", ctx2.user_regs.r9, 0x9999);
	EXPECT("ctx_get_rbx", ctx2.user_regs.rbx, ctx.user_regs.rbx);
	EXPECT("ctx_get_r15", ctx2.user_regs.r15, 1);
	EXPECT("ctx_get_cs", ctx2.user_regs.cs, FLAT_KERNEL_CS);
	EXPECT("ctx_get_ss", ctx2.user_regs.ss, FLAT_KERNEL_SS);
	check_eq_hex(tname("ctx_get_cr3"), ctx2.ctrlreg[3], u.mfn[DOMU_PFN_L4] << 12);
	EXPECT("ctx_get_cr1", ctx2.ctrlreg[1], 0);
	EXPECT("ctx_get_flags", ctx2.flags & (VGCF_in_kernel | VGCF_online), VGCF_in_kernel);
	EXPECT("ctx_get_fs_base", ctx2.fs_base, 0x1234000);
	EXPECT("ctx_get_gs_base_user", ctx2.gs_base_user, 0x5678000);
	EXPECT("ctx_get_event_cb", ctx2.event_callback_eip, DOMU_VA(u.code) + 16);
	EXPECT("ctx_get_failsafe_cb", ctx2.failsafe_callback_eip, DOMU_VA(u.code) + 32);
	EXPECT("ctx_get_syscall_cb", ctx2.syscall_callback_eip, DOMU_VA(u.code) + 48);
	EXPECT("ctx_get_trap6", ctx2.trap_ctxt[6].address, DOMU_VA(u.code) + 64);
	EXPECT("ctx_get_trap6_cs", ctx2.trap_ctxt[6].cs, FLAT_KERNEL_CS);
	EXPECT("ctx_get_trap14", ctx2.trap_ctxt[14].address, 0);
	EXPECT("ctx_get_kernel_sp", ctx2.kernel_sp, DOMU_VA(u.stack) + 2048);
	EXPECT("ctx_get_kernel_ss", ctx2.kernel_ss, FLAT_KERNEL_SS);
	EXPECT("ctx_get_gdt_ents", ctx2.gdt_ents, 16);
	check_eq_hex(tname("ctx_get_gdt_frame"), ctx2.gdt_frames[0], u.mfn[PFN_GDT]);
	EXPECT("ctx_get_ldt_ents", ctx2.ldt_ents, 0);
	EXPECT("ctx_vcpuinfo_offline", (domu_vcpuinfo(u.id, 1), domu_op.u.getvcpuinfo.online), 0);
	/* set again: the same tables may be given, others not (-EOPNOTSUPP) */
	ctx.user_regs.rax = 0x4444;
	EXPECT("ctx_set_again", domu_set_context(u.id, 1, &ctx), 0);
	EXPECT("ctx_get_again", domu_get_context(u.id, 1, &ctx2), 0);
	EXPECT("ctx_get_again_rax", ctx2.user_regs.rax, 0x4444);
	/* an unpinned L4 of another domain of ours, built but not pinned */
	if (build(&other, other_frames, 1, MODE_SPIN, 0, "")) {
		domu_context(&ctx2, &other, 0);
		EXPECT("ctx_cr3_foreign_domu", domu_set_context(u.id, 0, &ctx2), -XEN_EINVAL);
		/* its own L4, unpinned: Xen validates it here; we require a pinned one */
		struct mmuext_op unpin = { .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = other.mfn[DOMU_PFN_L4] };

		EXPECT("ctx_unpin", HYPERVISOR_mmuext_op(&unpin, 1, NULL, other.id), 0);
		domu_context(&ctx2, &other, 0);
		EXPECT("ctx_cr3_unpinned", domu_set_context(other.id, 0, &ctx2), hv_is_paravane() ? -XEN_EINVAL : 0);
		domu_simple(XEN_DOMCTL_destroydomain, other.id);
		struct evtchn_close cl = { .port = other.port };
		HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
	}
	domu_context(&ctx2, &u, 1);
	ctx2.ctrlreg[3] = 0;
	EXPECT("ctx_set_again_other_cr3", domu_set_context(u.id, 1, &ctx2), -XEN_EOPNOTSUPP);

	/* a dying domain */
	EXPECT("dying_map", domu_map_window(1, u.id, u.mfn[u.data], DOMU_RO), 0);
	EXPECT("dying_destroy", domu_simple(XEN_DOMCTL_destroydomain, u.id), 0);
	EXPECT("dying_info", (domu_info(u.id), domu_op.u.getdomaininfo.flags & XEN_DOMINF_dying),
	       XEN_DOMINF_dying);
	domu_context(&ctx, &u, 0);
	/* as Xen 4.17: what only looks, pauses or places still works on a dying domain */
	EXPECT("dying_setvcpucontext", domu_set_context(u.id, 0, &ctx), -XEN_EINVAL);
	EXPECT("dying_getvcpuinfo", domu_vcpuinfo(u.id, 0), 0);
	EXPECT("dying_pause", domu_simple(XEN_DOMCTL_pausedomain, u.id), 0);
	EXPECT("dying_unpause", domu_simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	EXPECT("dying_getvcpucontext", domu_get_context(u.id, 1, &ctx2), 0);
	EXPECT("dying_getvcpuaffinity", aff(XEN_DOMCTL_getvcpuaffinity, u.id, 0, 3, 8), 0);
	hard_map[0] = 3;
	EXPECT("dying_setvcpuaffinity", aff(XEN_DOMCTL_setvcpuaffinity, u.id, 0, XEN_VCPUAFFINITY_HARD, 8), 0);
	domu_map_window(1, DOMID_SELF, 0, 0);
	EXPECT("dying_gone", domu_info(u.id) == 0 && domu_op.domain == u.id, 0);
	{
		uint64_t after = 0;

		check(domu_wait_free(before, FREE_WAIT_MS, &after), tname("ctx_free_back"),
		      "free pages %lu before, %lu after", (unsigned long)before, (unsigned long)after);
	}
	struct evtchn_close cl = { .port = u.port };
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
}

void test_main(void)
{
	if (!(dom_exc_port = domu_bind_dom_exc())) {
		fail(tname("bind_dom_exc"), "cannot bind VIRQ_DOM_EXC");
		return;
	}
	run_message("poweroff", SHUTDOWN_poweroff);
	run_message("reboot", SHUTDOWN_reboot);
	run_message("crash", SHUTDOWN_crash);
	run_message("watchdog", SHUTDOWN_watchdog);
	run_crash();
	run_pause();
	run_online();
	run_blocked();
	run_vcpu_up();
	context_checks();
}
