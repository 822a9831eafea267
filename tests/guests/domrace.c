/*
 * domrace - destroydomain while the DomU's only vCPU keeps entering a
 * hypercall on the other CPU (2 CPUs, twelve rounds).
 *
 * The payload registers its PIRQ EOI map (physdev_op pirq_eoi_gmfn_v2,
 * which holds a reference on one of its frames, as Linux does in every
 * domain) over and over: 0 the first time, -EBUSY after. Dom0 destroys
 * it while it does. The domain must be gone at once and every frame come
 * back: a vCPU that was waiting to enter the hypervisor when its domain
 * began to die must not get to register the map again after the teardown
 * gave the first one back (that reference would never go, and the domain
 * would linger, dying, for ever).
 *
 * And a domain kept, dying, only by Dom0's mapping of its shared_info
 * frame goes (every frame back) as soon as that mapping goes, not at the
 * next domain's death.
 *
 * And a vCPU that suspended its domain (SCHEDOP_shutdown, SHUTDOWN_suspend)
 * goes on after its hypercall when resumedomain resumes it, with the
 * registers it had there: the state of a vCPU leaving its CPU is saved even
 * though its domain is no longer running.
 */
#include "guest.h"
#include "domu.h"
#include "public/physdev.h"

const char test_name[] = "domrace";
const int test_styles = STYLE_DIRECT;   /* builds domains: once */

#define PAGES  32
#define ROUNDS 12

struct payload_data {
	uint64_t calls;   /* +0: hypercalls made */
	uint64_t gmfn;    /* +8: the physdev_pirq_eoi_gmfn argument */
};

/* RBX = the data page. physdev_op (33) pirq_eoi_gmfn_v2 (28), for ever. */
extern const uint8_t payload_start[], payload_end[];
__asm__(".pushsection .rodata\n"
	"payload_start:\n"
	"1:	mov $33, %eax\n"
	"	mov $28, %edi\n"
	"	lea 8(%rbx), %rsi\n"
	"	syscall\n"
	"	incq 0(%rbx)\n"
	"	jmp 1b\n"
	"payload_end:\n"
	".popsection\n");

/* RBX = the data page: counts its starts, suspends, then records what it sees after. */
struct susp_data {
	uint64_t starts;   /* +0 */
	uint32_t reason;   /* +8: the sched_shutdown argument */
	uint32_t pad;
	uint64_t rc;       /* +16: the hypercall's answer after the resume */
	uint64_t r12;      /* +24: a register set before the call, read after it */
};
extern const uint8_t susp_start[], susp_end[];
__asm__(".pushsection .rodata\n"
	"susp_start:\n"
	"	incq 0(%rbx)\n"
	"	mov $0x5eed, %r12\n"
	"	mov $29, %eax\n"
	"	mov $2, %edi\n"
	"	lea 8(%rbx), %rsi\n"
	"	syscall\n"
	"	mov %rax, 16(%rbx)\n"
	"	mov %r12, 24(%rbx)\n"
	"1:	pause\n"
	"	jmp 1b\n"
	"susp_end:\n"
	".popsection\n");

static uint64_t mfns[PAGES];
static struct vcpu_guest_context ctx;

/* Until the payload made `n` calls, or 5 s: how many it made. */
static uint64_t wait_calls(const struct domu *u, uint64_t n)
{
	const volatile struct payload_data *seen = (const volatile void *)domu_windows[1];
	uint64_t until = system_time_ns() + 5000000000ULL, calls = 0;

	if (domu_map_window(1, u->id, u->mfn[u->data], DOMU_RO))
		return 0;
	while ((calls = seen->calls) < n && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	domu_map_window(1, DOMID_SELF, 0, 0);   /* our mapping would keep it */
	return calls;
}

static void round_(int r)
{
	static struct payload_data pd;
	uint64_t before = domu_free_pages(), after = 0, calls;
	long rc;
	struct domu u;
	char n[48];

	if (!domu_create(&u, mfns, PAGES, 1))
		goto out;
	memset(&pd, 0, sizeof(pd));
	pd.gmfn = u.mfn[u.data + 1];
	if (!domu_load(&u, payload_start, payload_end - payload_start, &pd, sizeof(pd), 0))
		goto out;
	domu_context(&ctx, &u, 0);
	gsnprintf(n, sizeof(n), "round%d_setvcpucontext", r);
	EXPECT(n, domu_set_context(u.id, 0, &ctx), 0);
	gsnprintf(n, sizeof(n), "round%d_unpause", r);
	EXPECT(n, domu_simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	calls = wait_calls(&u, 2000);
	gsnprintf(n, sizeof(n), "round%d_payload_runs", r);
	check(calls >= 2000, tname(n), "%lu hypercalls in 5 s", (unsigned long)calls);
out:
	if (!u.id)
		return;
	gsnprintf(n, sizeof(n), "round%d_destroy", r);
	EXPECT(n, domu_destroy_wait(u.id, before, 2000, &after), 0);
	gsnprintf(n, sizeof(n), "round%d_gone", r);
	rc = domu_info(u.id);   /* getdomaininfo: the first domain at or above the id */
	check(rc == -XEN_ESRCH || (rc == 0 && domu_op.u.getdomaininfo.domain != u.id), tname(n),
	      "getdomaininfo %ld: d%u still there, flags 0x%x", rc, u.id, domu_op.u.getdomaininfo.flags);
	gsnprintf(n, sizeof(n), "round%d_free_back", r);
	check(domu_free_back(before, after), tname(n), "free pages %lu before, %lu after",
	      (unsigned long)before, (unsigned long)after);
	if (u.port) {
		struct evtchn_close cl = { .port = u.port };

		HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
	}
}

/* Up to 2 s for d `id` to be gone: whether it went. */
static int wait_gone(domid_t id)
{
	uint64_t until = system_time_ns() + 2000000000ULL;
	long rc;

	for (;;) {
		rc = domu_info(id);
		if (rc == -XEN_ESRCH || (rc == 0 && domu_op.u.getdomaininfo.domain != id))
			return 1;
		if (system_time_ns() >= until)
			return 0;
		domu_spin_ms(10);
	}
}

static void shared_info_keeps(void)
{
	uint64_t before = domu_free_pages(), after = 0, shinfo;
	struct domu u;
	long rc;

	if (!domu_create(&u, mfns, PAGES, 1))
		goto out;
	EXPECT("shinfo_info", domu_info(u.id), 0);
	shinfo = domu_op.u.getdomaininfo.shared_info_frame;
	EXPECT("shinfo_map", domu_map_window(1, u.id, shinfo, DOMU_RW), 0);
	EXPECT("shinfo_destroy", domu_simple(XEN_DOMCTL_destroydomain, u.id), 0);
	rc = domu_info(u.id);
	check(rc == 0 && domu_op.u.getdomaininfo.domain == u.id &&
	      (domu_op.u.getdomaininfo.flags & XEN_DOMINF_dying), tname("shinfo_mapped_keeps_it"),
	      "getdomaininfo %ld: d%u flags 0x%x", rc, domu_op.u.getdomaininfo.domain,
	      domu_op.u.getdomaininfo.flags);
	EXPECT("shinfo_unmap", domu_map_window(1, DOMID_SELF, 0, 0), 0);
	check(wait_gone(u.id), tname("shinfo_unmapped_gone"), "d%u still dying 2 s after the last mapping went",
	      u.id);
	domu_wait_free(before, 2000, &after);
	check(domu_free_back(before, after), tname("shinfo_free_back"), "free pages %lu before, %lu after",
	      (unsigned long)before, (unsigned long)after);
	u.id = 0;
out:
	if (u.id)
		domu_destroy_wait(u.id, before, 2000, &after);
	if (u.port) {
		struct evtchn_close cl = { .port = u.port };

		HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
	}
}

static void suspend_resume(void)
{
	static struct susp_data sd;
	const volatile struct susp_data *seen = (const volatile void *)domu_windows[1];
	uint64_t before = domu_free_pages(), after = 0, until;
	struct domu u;
	long rc = -1;

	if (!domu_create(&u, mfns, PAGES, 1))
		goto out;
	memset(&sd, 0, sizeof(sd));
	sd.reason = SHUTDOWN_suspend;
	if (!domu_load(&u, susp_start, susp_end - susp_start, &sd, sizeof(sd), 0))
		goto out;
	domu_context(&ctx, &u, 0);
	EXPECT("susp_setvcpucontext", domu_set_context(u.id, 0, &ctx), 0);
	EXPECT("susp_unpause", domu_simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	for (until = system_time_ns() + 5000000000ULL; system_time_ns() < until; domu_spin_ms(10)) {
		rc = domu_info(u.id);
		if (rc || (domu_op.u.getdomaininfo.flags & XEN_DOMINF_shutdown))
			break;
	}
	check(rc == 0 && (domu_op.u.getdomaininfo.flags & (XEN_DOMINF_shutdown | 0xff0000u)) ==
				 (XEN_DOMINF_shutdown | (SHUTDOWN_suspend << 16)),
	      tname("susp_suspended"), "getdomaininfo %ld, flags 0x%x", rc, domu_op.u.getdomaininfo.flags);
	/* off its CPU, as a toolstack waits before it saves */
	domu_spin_ms(50);
	EXPECT("susp_resume", domu_simple(XEN_DOMCTL_resumedomain, u.id), 0);
	if (domu_map_window(1, u.id, u.mfn[u.data], DOMU_RO)) {
		fail(tname("susp_map_data"), "cannot map the data page");
		goto out;
	}
	for (until = system_time_ns() + 5000000000ULL; !seen->r12 && system_time_ns() < until;)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	EXPECT("susp_started_once", seen->starts, 1);
	EXPECT("susp_rc_after_resume", seen->rc, 0);
	check_eq_hex(tname("susp_registers_kept"), seen->r12, 0x5eed);
	domu_map_window(1, DOMID_SELF, 0, 0);
out:
	if (!u.id)
		return;
	EXPECT("susp_destroy", domu_destroy_wait(u.id, before, 2000, &after), 0);
	check(domu_free_back(before, after), tname("susp_free_back"), "free pages %lu before, %lu after",
	      (unsigned long)before, (unsigned long)after);
	if (u.port) {
		struct evtchn_close cl = { .port = u.port };

		HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
	}
}

void test_main(void)
{
	for (int r = 0; r < ROUNDS; r++)
		round_(r);
	shared_info_keeps();
	suspend_resume();
}
