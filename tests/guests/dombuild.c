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
 */
#include "guest.h"
#include "public/domctl.h"
#include "public/sysctl.h"
#include "public/io/console.h"

const char test_name[] = "dombuild";
const int test_styles = STYLE_DIRECT;   /* builds domains: once */

/* The DomU's pseudo-physical layout, and where it maps it */
/* PFN_GDT is mapped nowhere in the DomU: a descriptor frame for its GDT */
enum { PFN_L4, PFN_L3, PFN_L2, PFN_L1, PFN_CODE, PFN_STACK, PFN_CONS, PFN_DATA, PFN_GDT, NR_PFNS };
#define DOMU_BASE   0x400000ULL          /* L4/L3 slot 0, L2 slot 2 */
#define DOMU_VA(pfn) (DOMU_BASE + (uint64_t)(pfn) * 4096)

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

static struct xen_domctl op;
static uint64_t frames[NR_PFNS];

static long domctl(uint32_t cmd, domid_t dom)
{
	op.cmd = cmd;
	op.domain = dom;
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	return HC1(__HYPERVISOR_domctl, &op);
}

static void clear_op(void)
{
	memset(&op, 0, sizeof(op));
}

static long simple(uint32_t cmd, domid_t dom)
{
	clear_op();
	return domctl(cmd, dom);
}

static long create(uint32_t max_vcpus)
{
	clear_op();
	op.u.createdomain.max_vcpus = max_vcpus;
	op.u.createdomain.max_evtchn_port = 1023;
	op.u.createdomain.max_grant_frames = -1;
	op.u.createdomain.max_maptrack_frames = -1;
	op.u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(1);
	return domctl(XEN_DOMCTL_createdomain, 0);
}

static long info(domid_t dom)
{
	clear_op();
	return domctl(XEN_DOMCTL_getdomaininfo, dom);
}

static uint64_t free_pages(void)
{
	static struct xen_sysctl sop;

	memset(&sop, 0, sizeof(sop));
	sop.cmd = XEN_SYSCTL_physinfo;
	sop.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	return HC1(__HYPERVISOR_sysctl, &sop) ? 0 : sop.u.physinfo.free_pages;
}

/* ---- Dom0's window onto the new domain's frames ---------------------- */

/* one page of ours per window, whose L1 entry is borrowed */
static uint8_t windows[2][4096] __attribute__((aligned(4096)));
static uint64_t window_saved[2];

static uint64_t *table_va(uint64_t entry)
{
	uint64_t mfn = (entry & PTE_ADDR) >> 12;

	return (uint64_t *)(VIRT_BASE + (((uint64_t *)MACH2PHYS_VIRT_START)[mfn] << 12));
}

static uint64_t *l1e_of(uint64_t va, uint64_t *maddr)
{
	uint64_t *l4 = (uint64_t *)start_info->pt_base;
	uint64_t *l3 = table_va(l4[(va >> 39) & 511]);
	uint64_t *l2 = table_va(l3[(va >> 30) & 511]);
	uint64_t l2e = l2[(va >> 21) & 511];
	unsigned i = (va >> 12) & 511;

	*maddr = (l2e & PTE_ADDR) + i * 8;
	return &table_va(l2e)[i];
}

/* Window w onto frame mfn of domain dom; mfn 0: back to our own page. */
static long map_window(unsigned w, domid_t dom, uint64_t mfn, uint64_t flags)
{
	uint64_t ptr;
	uint64_t *e = l1e_of((uint64_t)windows[w], &ptr);
	struct mmu_update u = { .ptr = ptr };
	struct mmuext_op inv = { .cmd = MMUEXT_INVLPG_LOCAL };
	long rc;

	if (!window_saved[w])
		window_saved[w] = *e;
	u.val = mfn ? (mfn << 12) | flags : window_saved[w];
	rc = HYPERVISOR_mmu_update(&u, 1, NULL, mfn ? dom : DOMID_SELF);
	inv.arg1.linear_addr = (uint64_t)windows[w];
	HYPERVISOR_mmuext_op(&inv, 1, NULL, DOMID_SELF);
	return rc;
}

#define RW (PTE_P | PTE_W | PTE_A | PTE_D)

static int write_frame(domid_t dom, uint64_t mfn, const void *src, size_t n, size_t at)
{
	if (map_window(0, dom, mfn, RW))
		return 0;
	memset(windows[0], 0, 4096);
	memcpy(windows[0] + at, src, n);
	return map_window(0, DOMID_SELF, 0, 0) == 0;
}

/* ---- events ---------------------------------------------------------- */

static int port_pending(evtchn_port_t p)
{
	return (shared_info->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

static void port_clear(evtchn_port_t p)
{
	__atomic_fetch_and(&shared_info->evtchn_pending[p / 64], ~(1ULL << (p % 64)), __ATOMIC_SEQ_CST);
}

static void port_mask(evtchn_port_t p)
{
	__atomic_fetch_or(&shared_info->evtchn_mask[p / 64], 1ULL << (p % 64), __ATOMIC_SEQ_CST);
}

static evtchn_port_t dom_exc_port;

/* Yield until the port is pending or `ms` pass; 1 if it is. */
static int wait_port(evtchn_port_t p, unsigned ms)
{
	uint64_t until = system_time_ns() + ms * 1000000ULL;

	while (!port_pending(p) && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	return port_pending(p);
}

static void spin_ms(unsigned ms)
{
	uint64_t until = system_time_ns() + ms * 1000000ULL;

	while (system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

/* ---- building -------------------------------------------------------- */

struct domu {
	domid_t id;
	evtchn_port_t port;     /* Dom0's end of the console event channel */
	uint64_t l4, l1, cons, data, gdt;   /* MFNs */
};

static long populate(domid_t dom, unsigned n)
{
	struct xen_memory_reservation r = {
		.extent_start = (uint64_t)frames, .nr_extents = n, .extent_order = 0, .domid = dom,
	};

	for (unsigned i = 0; i < n; i++)
		frames[i] = i;
	return HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
}

/* Page tables: L4 -> L3 -> L2 -> one L1 mapping the code..data pages at DOMU_BASE. */
static int write_tables(domid_t id)
{
	uint64_t e, l1[NR_PFNS];
	int ok = 1;

	memset(l1, 0, sizeof(l1));
	for (unsigned p = PFN_CODE; p <= PFN_DATA; p++)
		l1[p] = (frames[p] << 12) | PTE_P | PTE_W | PTE_U | PTE_A | PTE_D;
	ok &= write_frame(id, frames[PFN_L1], l1, sizeof(l1), 0);
	e = (frames[PFN_L1] << 12) | PTE_P | PTE_W | PTE_U | PTE_A;
	ok &= write_frame(id, frames[PFN_L2], &e, 8, 8 * ((DOMU_BASE >> 21) & 511));
	e = (frames[PFN_L2] << 12) | PTE_P | PTE_W | PTE_U | PTE_A;
	ok &= write_frame(id, frames[PFN_L3], &e, 8, 0);
	e = (frames[PFN_L3] << 12) | PTE_P | PTE_W | PTE_U | PTE_A;
	ok &= write_frame(id, frames[PFN_L4], &e, 8, 0);
	return ok;
}

static long pin(domid_t id, unsigned cmd, uint64_t mfn)
{
	struct mmuext_op m = { .cmd = cmd };

	m.arg1.mfn = mfn;
	return HYPERVISOR_mmuext_op(&m, 1, NULL, id);
}

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
 * A domain with its memory, tables (pinned) and payload, paused, with an
 * event channel to us; its vCPUs have no context yet. 0 on failure
 * (reported under `name`).
 */
static int build(struct domu *u, unsigned vcpus, uint64_t mode, unsigned reason, const char *msg)
{
	static struct payload_data pd;
	struct evtchn_alloc_unbound au;
	struct evtchn_bind_interdomain bi;
	long rc;

	memset(u, 0, sizeof(*u));
	if ((rc = create(vcpus))) {
		fail(tname("build_create"), "%ld", rc);
		return 0;
	}
	u->id = op.domain;
	clear_op();
	op.u.max_vcpus.max = vcpus;
	if ((rc = domctl(XEN_DOMCTL_max_vcpus, u->id)) ||
	    (clear_op(), op.u.max_mem.max_memkb = NR_PFNS * 4, rc = domctl(XEN_DOMCTL_max_mem, u->id))) {
		fail(tname("build_limits"), "%ld", rc);
		return 0;
	}
	if ((rc = populate(u->id, NR_PFNS)) != NR_PFNS) {
		fail(tname("build_populate"), "%ld", rc);
		return 0;
	}
	/* populate_physmap for a PV domain records each frame's pfn in the M2P, as Xen */
	{
		const uint64_t *m2p = (const uint64_t *)MACH2PHYS_VIRT_START;
		int m2p_ok = 1;

		for (unsigned i = 0; i < NR_PFNS; i++)
			m2p_ok &= m2p[frames[i]] == i;
		check(m2p_ok, tname("build_m2p"), "the M2P does not name the pfns populated");
	}
	u->l4 = frames[PFN_L4];
	u->l1 = frames[PFN_L1];
	u->cons = frames[PFN_CONS];
	u->data = frames[PFN_DATA];
	u->gdt = frames[PFN_GDT];
	au = (struct evtchn_alloc_unbound){ .dom = u->id, .remote_dom = 0 };
	if ((rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au))) {
		fail(tname("build_alloc_unbound"), "%ld", rc);
		return 0;
	}
	bi = (struct evtchn_bind_interdomain){ .remote_dom = u->id, .remote_port = au.port };
	if ((rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi))) {
		fail(tname("build_bind"), "%ld", rc);
		return 0;
	}
	u->port = bi.local_port;
	port_mask(u->port);
	port_clear(u->port);
	fill_data(&pd, mode, reason, msg, au.port);
	if (!write_frame(u->id, frames[PFN_CODE], payload_start, payload_end - payload_start, 0) ||
	    !write_frame(u->id, frames[PFN_DATA], &pd, sizeof(pd), 0) ||
	    !write_frame(u->id, frames[PFN_CONS], "", 0, 0) || !write_tables(u->id)) {
		fail(tname("build_write"), "a foreign writable mapping was refused");
		return 0;
	}
	if ((rc = pin(u->id, MMUEXT_PIN_L4_TABLE, u->l4))) {
		fail(tname("build_pin"), "%ld", rc);
		return 0;
	}
	return 1;
}

static struct vcpu_guest_context ctx;

static void payload_context(struct vcpu_guest_context *c, uint64_t l4, unsigned vcpu)
{
	memset(c, 0, sizeof(*c));
	c->flags = VGCF_in_kernel | VGCF_online;
	c->user_regs.rip = DOMU_VA(PFN_CODE);
	c->user_regs.rsp = DOMU_VA(PFN_STACK) + 4096 - 64 - vcpu * 2048;
	c->user_regs.cs = FLAT_KERNEL_CS;
	c->user_regs.ss = FLAT_KERNEL_SS;
	c->user_regs.rflags = 0x200;
	c->user_regs.rbx = DOMU_VA(PFN_DATA);
	c->user_regs.rbp = DOMU_VA(PFN_CONS);
	c->user_regs.r15 = vcpu;
	c->kernel_ss = FLAT_KERNEL_SS;
	c->kernel_sp = c->user_regs.rsp;
	c->ctrlreg[3] = l4 << 12;
}

static long set_context(domid_t id, unsigned vcpu, struct vcpu_guest_context *c)
{
	clear_op();
	op.u.vcpucontext.vcpu = vcpu;
	op.u.vcpucontext.ctxt = (uint64_t)c;
	return domctl(XEN_DOMCTL_setvcpucontext, id);
}

static long get_context(domid_t id, unsigned vcpu, struct vcpu_guest_context *c)
{
	clear_op();
	op.u.vcpucontext.vcpu = vcpu;
	op.u.vcpucontext.ctxt = (uint64_t)c;
	return domctl(XEN_DOMCTL_getvcpucontext, id);
}

static long vcpuinfo(domid_t id, unsigned vcpu)
{
	clear_op();
	op.u.getvcpuinfo.vcpu = vcpu;
	return domctl(XEN_DOMCTL_getvcpuinfo, id);
}

/*
 * Xen's own heap may keep a page or two it grew for us meanwhile (Dom0's
 * event-channel buckets, scheduler state): there, the domain's frames
 * must come back, give or take that. Paravane: exactly.
 */
#define XEN_HEAP_SLACK 2

static int free_back(uint64_t before, uint64_t after)
{
	return hv_is_paravane() ? after == before : after <= before && after + XEN_HEAP_SLACK >= before;
}

/* Destroy, and check the free pages are back (Xen frees a little later: wait for it). */
static void destroy_and_count(const char *name, domid_t id, uint64_t free_before)
{
	uint64_t after = 0;
	char n[64];

	gsnprintf(n, sizeof(n), "%s_destroy", name);
	EXPECT(n, simple(XEN_DOMCTL_destroydomain, id), 0);
	for (unsigned i = 0; i < 100 && (after = free_pages()) != free_before; i++)
		spin_ms(10);
	gsnprintf(n, sizeof(n), "%s_free_back", name);
	check(free_back(free_before, after), tname(n), "free pages %lu before, %lu after",
	      (unsigned long)free_before, (unsigned long)after);
}

/* ---- the runs -------------------------------------------------------- */

/* Run a payload that says `msg` and shuts down with `reason`. */
static void run_message(const char *name, unsigned reason)
{
	static char msg[64], n[64];
	uint64_t before = free_pages();
	struct domu u;
	const struct xencons_interface *cons = (const void *)windows[1];
	const struct payload_data *pd = (const void *)windows[1];

	gsnprintf(msg, sizeof(msg), "hello from a domain built by hand: %s", name);
	if (!build(&u, 1, MODE_MESSAGE, reason, msg))
		return;
	payload_context(&ctx, u.l4, 0);
	gsnprintf(n, sizeof(n), "%s_setvcpucontext", name);
	EXPECT(n, set_context(u.id, 0, &ctx), 0);
	port_clear(dom_exc_port);
	gsnprintf(n, sizeof(n), "%s_unpause", name);
	EXPECT(n, simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	gsnprintf(n, sizeof(n), "%s_event", name);
	check(wait_port(u.port, 5000), tname(n), "no event from the domain");
	gsnprintf(n, sizeof(n), "%s_dom_exc", name);
	check(wait_port(dom_exc_port, 5000), tname(n), "no VIRQ_DOM_EXC");
	gsnprintf(n, sizeof(n), "%s_info", name);
	EXPECT(n, info(u.id), 0);
	gsnprintf(n, sizeof(n), "%s_shutdown_reason", name);
	check_eq_hex(tname(n), op.u.getdomaininfo.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying | 0xffff0000u),
		     XEN_DOMINF_shutdown | (reason << 16));
	if (map_window(1, u.id, u.cons, PTE_P | PTE_A) == 0) {
		gsnprintf(n, sizeof(n), "%s_console_len", name);
		EXPECT(n, cons->out_prod, strlen(msg));
		gsnprintf(n, sizeof(n), "%s_console_text", name);
		check(cons->out_prod == strlen(msg) && !memcmp(cons->out, msg, strlen(msg)), tname(n),
		      "the console page does not hold the message");
	} else {
		fail(tname("console_map"), "cannot map the console page");
	}
	if (map_window(1, u.id, u.data, PTE_P | PTE_A) == 0) {
		gsnprintf(n, sizeof(n), "%s_domu_domctl_eperm", name);
		EXPECT(n, pd->domctl_rc, -XEN_EPERM);
	}
	map_window(1, DOMID_SELF, 0, 0);
	port_clear(dom_exc_port);
	destroy_and_count(name, u.id, before);
	gsnprintf(n, sizeof(n), "%s_dom_exc_on_destroy", name);
	check(wait_port(dom_exc_port, 2000), tname(n), "no VIRQ_DOM_EXC");
	struct evtchn_close cl = { .port = u.port };
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
}

static void run_crash(void)
{
	uint64_t before = free_pages();
	struct domu u;

	if (!build(&u, 1, MODE_CRASH, 0, ""))
		return;
	payload_context(&ctx, u.l4, 0);
	EXPECT("crash_setvcpucontext", set_context(u.id, 0, &ctx), 0);
	port_clear(dom_exc_port);
	EXPECT("crash_unpause", simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	check(wait_port(dom_exc_port, 5000), tname("crash_dom_exc"), "no VIRQ_DOM_EXC");
	EXPECT("crash_info", info(u.id), 0);
	check_eq_hex(tname("crash_flags"),
		     op.u.getdomaininfo.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying | 0xffff0000u),
		     XEN_DOMINF_shutdown | (SHUTDOWN_crash << 16));
	/* VIRQ_DOM_EXC comes from the crash path, before its CPU has switched away: wait a little */
	EXPECT("crash_vcpuinfo", vcpuinfo(u.id, 0), 0);
	for (unsigned i = 0; i < 100 && op.u.getvcpuinfo.running; i++) {
		spin_ms(10);
		vcpuinfo(u.id, 0);
	}
	EXPECT("crash_vcpu_not_running", op.u.getvcpuinfo.running, 0);
	destroy_and_count("crash", u.id, before);
	struct evtchn_close cl = { .port = u.port };
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
}

static uint64_t counter(unsigned vcpu)
{
	return ((volatile const struct payload_data *)windows[1])->counter[vcpu];
}

/* Both counters moved within `ms` (checked every 10 ms: a loaded host is slow)? */
static int counters_move(unsigned ms)
{
	uint64_t a = counter(0), b = counter(1);

	for (unsigned t = 0; t < ms; t += 10) {
		spin_ms(10);
		if (counter(0) != a && counter(1) != b)
			return 1;
	}
	return 0;
}

static void affinity(domid_t id);

static void run_pause(void)
{
	uint64_t before = free_pages(), c0, c1;
	struct domu u;

	if (!build(&u, 2, MODE_SPIN, 0, ""))
		return;
	EXPECT("pause_vcpuinfo_new", vcpuinfo(u.id, 1), 0);
	EXPECT("pause_vcpuinfo_new_online", op.u.getvcpuinfo.online, 0);
	EXPECT("pause_vcpuinfo_new_time", op.u.getvcpuinfo.cpu_time, 0);
	for (unsigned v = 0; v < 2; v++) {
		payload_context(&ctx, u.l4, v);
		EXPECT("pause_setvcpucontext", set_context(u.id, v, &ctx), 0);
	}
	EXPECT("pause_vcpuinfo_set", vcpuinfo(u.id, 1), 0);
	EXPECT("pause_vcpuinfo_set_online", op.u.getvcpuinfo.online, 1);
	EXPECT("pause_vcpuinfo_set_running", op.u.getvcpuinfo.running, 0);
	EXPECT("pause_info_paused", info(u.id), 0);
	EXPECT("pause_info_paused_flag", op.u.getdomaininfo.flags & XEN_DOMINF_paused, XEN_DOMINF_paused);
	EXPECT("pause_info_online", op.u.getdomaininfo.nr_online_vcpus, 2);
	if (map_window(1, u.id, u.data, PTE_P | PTE_A)) {
		fail(tname("pause_map"), "cannot map the data page");
		return;
	}
	spin_ms(50);
	check(counter(0) == 0 && counter(1) == 0, tname("pause_new_still"), "a new (paused) domain ran");
	EXPECT("pause_unpause", simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	check(counters_move(2000), tname("pause_runs"), "counters %lu %lu do not both move",
	      (unsigned long)counter(0), (unsigned long)counter(1));
	EXPECT("pause_running_info", vcpuinfo(u.id, 0), 0);
	check(op.u.getvcpuinfo.cpu_time > 0, tname("pause_cpu_time"), "no CPU time");
	EXPECT("pause_running_online", op.u.getvcpuinfo.online, 1);
	affinity(u.id);
	for (unsigned round = 0; round < 3; round++) {
		EXPECT("pause_pause", simple(XEN_DOMCTL_pausedomain, u.id), 0);
		/* returned: neither vCPU is on a CPU any more, so the counters are still */
		c0 = counter(0), c1 = counter(1);
		EXPECT("pause_vcpu0_not_running", (vcpuinfo(u.id, 0), op.u.getvcpuinfo.running), 0);
		EXPECT("pause_vcpu1_not_running", (vcpuinfo(u.id, 1), op.u.getvcpuinfo.running), 0);
		spin_ms(100);
		check(counter(0) == c0 && counter(1) == c1, tname("pause_stops"),
		      "counters went on: %lu -> %lu, %lu -> %lu", (unsigned long)c0,
		      (unsigned long)counter(0), (unsigned long)c1, (unsigned long)counter(1));
		EXPECT("pause_info_flag", (info(u.id), op.u.getdomaininfo.flags & XEN_DOMINF_paused),
		       XEN_DOMINF_paused);
		EXPECT("pause_unpause_again", simple(XEN_DOMCTL_unpausedomain, u.id), 0);
		check(counters_move(2000), tname("pause_resumes"), "counters %lu %lu do not both move",
		      (unsigned long)counter(0), (unsigned long)counter(1));
	}
	/* its context while it runs: pause, read, go on */
	EXPECT("pause_getvcpucontext_running", get_context(u.id, 1, &ctx), 0);
	check(ctx.user_regs.rip >= DOMU_VA(PFN_CODE) && ctx.user_regs.rip < DOMU_VA(PFN_CODE) + 4096,
	      tname("pause_getvcpucontext_rip"), "rip %#lx", (unsigned long)ctx.user_regs.rip);
	EXPECT("pause_getvcpucontext_r15", ctx.user_regs.r15, 1);
	check(counters_move(2000), tname("pause_getvcpucontext_goes_on"), "stopped");
	map_window(1, DOMID_SELF, 0, 0);
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
	uint64_t before = free_pages(), c1;
	struct domu u;

	if (!build(&u, 2, MODE_SPIN, 0, ""))
		return;
	payload_context(&ctx, u.l4, 0);
	EXPECT("online_set_vcpu0", set_context(u.id, 0, &ctx), 0);
	payload_context(&ctx, u.l4, 1);
	ctx.flags &= ~VGCF_online;
	EXPECT("online_set_vcpu1_down", set_context(u.id, 1, &ctx), 0);
	EXPECT("online_unpause", simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	if (map_window(1, u.id, u.data, PTE_P | PTE_A)) {
		fail(tname("online_map"), "cannot map the data page");
		return;
	}
	spin_ms(200);
	check(counter(0) != 0 && counter(1) == 0, tname("online_only_vcpu0"), "counters %lu %lu",
	      (unsigned long)counter(0), (unsigned long)counter(1));
	EXPECT("online_vcpu1_info", (vcpuinfo(u.id, 1), op.u.getvcpuinfo.online), 0);
	ctx.flags |= VGCF_online;
	EXPECT("online_set_vcpu1_up", set_context(u.id, 1, &ctx), 0);
	check(counters_move(2000), tname("online_vcpu1_runs"), "counters %lu %lu",
	      (unsigned long)counter(0), (unsigned long)counter(1));
	/* again, while it runs: it restarts at the payload's entry, still online */
	EXPECT("online_set_vcpu1_running", set_context(u.id, 1, &ctx), 0);
	check(counters_move(2000), tname("online_vcpu1_runs_again"), "stopped");
	ctx.flags &= ~VGCF_online;
	EXPECT("online_set_vcpu1_down_again", set_context(u.id, 1, &ctx), 0);
	EXPECT("online_vcpu1_down_info", (vcpuinfo(u.id, 1), op.u.getvcpuinfo.online), 0);
	c1 = counter(1);
	spin_ms(100);
	EXPECT("online_vcpu1_stopped", counter(1), c1);
	map_window(1, DOMID_SELF, 0, 0);
	destroy_and_count("online", u.id, before);
	struct evtchn_close cl = { .port = u.port };
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
}

/* A DomU brings its own vCPU 1 up (VCPUOP_up), given a context but left down by Dom0. */
static void run_vcpu_up(void)
{
	uint64_t before = free_pages();
	struct domu u;

	if (!build(&u, 2, MODE_UP, 0, ""))
		return;
	payload_context(&ctx, u.l4, 0);
	EXPECT("up_set_vcpu0", set_context(u.id, 0, &ctx), 0);
	payload_context(&ctx, u.l4, 1);
	ctx.flags &= ~VGCF_online;
	EXPECT("up_set_vcpu1_down", set_context(u.id, 1, &ctx), 0);
	if (map_window(1, u.id, u.data, PTE_P | PTE_A)) {
		fail(tname("up_map"), "cannot map the data page");
		return;
	}
	EXPECT("up_unpause", simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	check(counters_move(2000), tname("up_both_run"), "counters %lu %lu",
	      (unsigned long)counter(0), (unsigned long)counter(1));
	EXPECT("up_result", ((volatile const struct payload_data *)windows[1])->domctl_rc, 0);
	EXPECT("up_vcpu1_online", (vcpuinfo(u.id, 1), op.u.getvcpuinfo.online), 1);
	map_window(1, DOMID_SELF, 0, 0);
	destroy_and_count("up", u.id, before);
	struct evtchn_close cl = { .port = u.port };
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
}

/*
 * A blocked vCPU of a paused domain: still blocked (not running) while
 * paused; an event sent meanwhile does not run it; at unpause it wakes
 * (the event came while it could not), counts and powers off.
 */
static void run_blocked(void)
{
	uint64_t before = free_pages();
	struct evtchn_send send;
	struct domu u;
	unsigned i;

	if (!build(&u, 1, MODE_BLOCK, SHUTDOWN_poweroff, ""))
		return;
	payload_context(&ctx, u.l4, 0);
	ctx.event_callback_eip = DOMU_VA(PFN_CODE) + (payload_woke - payload_start);
	EXPECT("block_setvcpucontext", set_context(u.id, 0, &ctx), 0);
	if (map_window(1, u.id, u.data, PTE_P | PTE_A)) {
		fail(tname("block_map"), "cannot map the data page");
		return;
	}
	port_clear(dom_exc_port);
	EXPECT("block_unpause", simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	for (i = 0; i < 200 && !(counter(0) && (vcpuinfo(u.id, 0), op.u.getvcpuinfo.blocked)); i++)
		spin_ms(10);
	EXPECT("block_blocked", op.u.getvcpuinfo.blocked, 1);
	EXPECT("block_not_running", op.u.getvcpuinfo.running, 0);
	EXPECT("block_info_flag", (info(u.id), op.u.getdomaininfo.flags & XEN_DOMINF_blocked), XEN_DOMINF_blocked);
	EXPECT("block_pause", simple(XEN_DOMCTL_pausedomain, u.id), 0);
	EXPECT("block_paused_still_blocked", (vcpuinfo(u.id, 0), op.u.getvcpuinfo.blocked), 1);
	send.port = u.port;
	EXPECT("block_send_while_paused", HYPERVISOR_event_channel_op(EVTCHNOP_send, &send), 0);
	spin_ms(100);
	EXPECT("block_paused_not_woken", counter(1), 0);
	EXPECT("block_unpause_again", simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	check(wait_port(dom_exc_port, 5000), tname("block_woken_at_unpause"), "no VIRQ_DOM_EXC");
	check(counter(1) >= 1, tname("block_woken_counted"), "counter %lu", (unsigned long)counter(1));
	EXPECT("block_poweroff", (info(u.id), op.u.getdomaininfo.flags & (XEN_DOMINF_shutdown | 0xffff0000u)),
	       XEN_DOMINF_shutdown | (SHUTDOWN_poweroff << 16));
	map_window(1, DOMID_SELF, 0, 0);
	destroy_and_count("block", u.id, before);
	struct evtchn_close cl = { .port = u.port };
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
}

/* ---- affinity -------------------------------------------------------- */

static uint8_t hard_map[8], soft_map[8];

static long aff(uint32_t cmd, domid_t id, unsigned vcpu, uint32_t flags, uint32_t nr_bits)
{
	clear_op();
	op.u.vcpuaffinity.vcpu = vcpu;
	op.u.vcpuaffinity.flags = flags;
	op.u.vcpuaffinity.cpumap_hard.bitmap = (uint64_t)hard_map;
	op.u.vcpuaffinity.cpumap_hard.nr_bits = nr_bits;
	op.u.vcpuaffinity.cpumap_soft.bitmap = (uint64_t)soft_map;
	op.u.vcpuaffinity.cpumap_soft.nr_bits = nr_bits;
	return domctl(cmd, id);
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
	for (unsigned i = 0; i < 200 && (vcpuinfo(id, 1), op.u.getvcpuinfo.cpu) != 1; i++)
		spin_ms(10);
	EXPECT("aff_on_cpu1", op.u.getvcpuinfo.cpu, 1);
	check(counters_move(2000), tname("aff_pinned_runs"), "stopped");
	EXPECT("aff_still_on_cpu1", (vcpuinfo(id, 1), op.u.getvcpuinfo.cpu), 1);
	hard_map[0] = 3;
	EXPECT("aff_unpin", aff(XEN_DOMCTL_setvcpuaffinity, id, 1, XEN_VCPUAFFINITY_HARD, 8), 0);
}

/* ---- context: round trip and refusals -------------------------------- */

static struct vcpu_guest_context ctx2;

static void context_checks(void)
{
	uint64_t before = free_pages();
	struct domu u, other;

	if (!build(&u, 2, MODE_SPIN, 0, ""))
		return;
	/* vCPU ids */
	payload_context(&ctx, u.l4, 0);
	EXPECT("ctx_set_vcpu_range", set_context(u.id, 2, &ctx), -XEN_EINVAL);
	EXPECT("ctx_set_vcpu_huge", set_context(u.id, 0x80000000u, &ctx), -XEN_EINVAL);
	EXPECT("ctx_get_vcpu_range", get_context(u.id, 2, &ctx2), -XEN_EINVAL);
	EXPECT("vcpuinfo_range", vcpuinfo(u.id, 2), -XEN_EINVAL);
	EXPECT("ctx_set_unknown_domain", set_context(1000, 0, &ctx), -XEN_ESRCH);
	EXPECT("ctx_get_unknown_domain", get_context(1000, 0, &ctx2), -XEN_ESRCH);
	EXPECT("vcpuinfo_unknown_domain", vcpuinfo(1000, 0), -XEN_ESRCH);
	EXPECT("ctx_set_self", set_context(0, 0, &ctx), -XEN_EINVAL);
	EXPECT("ctx_get_self_current", get_context(0, 0, &ctx2), -XEN_EINVAL);
	EXPECT("ctx_set_fault", set_context(u.id, 0, (void *)BAD_UNMAPPED), -XEN_EFAULT);

	/* CR3: another domain's L4 (ours), an L1 of its own */
	{
		uint64_t maddr, our_l4_mfn = (*l1e_of(start_info->pt_base, &maddr) & PTE_ADDR) >> 12;

		payload_context(&ctx, our_l4_mfn, 0);
		EXPECT("ctx_cr3_other_domain", set_context(u.id, 0, &ctx), -XEN_EINVAL);
	}
	EXPECT("ctx_get_never_set", get_context(u.id, 0, &ctx2), -XEN_ENODATA);
	payload_context(&ctx, u.l1, 0);
	EXPECT("ctx_cr3_l1", set_context(u.id, 0, &ctx), -XEN_EINVAL);
	/* user mode with no user tables */
	payload_context(&ctx, u.l4, 0);
	ctx.flags &= ~VGCF_in_kernel;
	EXPECT("ctx_user_mode_no_user_l4", set_context(u.id, 0, &ctx), -XEN_EINVAL);
	/* refused before anything is looked at: non-canonical addresses; nothing changes */
	payload_context(&ctx, u.l4, 1);
	ctx.flags = VGCF_in_kernel;   /* set, but not online */
	ctx.fs_base = 0x1234000;
	ctx.gs_base_user = 0x5678000;
	ctx.event_callback_eip = DOMU_VA(PFN_CODE) + 16;
	ctx.failsafe_callback_eip = DOMU_VA(PFN_CODE) + 32;
	ctx.syscall_callback_eip = DOMU_VA(PFN_CODE) + 48;
	ctx.trap_ctxt[6].address = DOMU_VA(PFN_CODE) + 64;
	ctx.trap_ctxt[6].cs = FLAT_KERNEL_CS;
	ctx.trap_ctxt[6].vector = 6;
	ctx.kernel_sp = DOMU_VA(PFN_STACK) + 2048;
	ctx.user_regs.rax = 0x1111;
	ctx.user_regs.r9 = 0x9999;
	/* GDT frames: a page table, one Dom0 still maps writable, a system descriptor */
	{
		uint64_t desc[3] = { 0, 0x00af9a000000ffffULL, 0x00cf92000000ffffULL };   /* null, code, data */
		uint64_t tss = 0x0000890000000067ULL;

		EXPECT("gdt_write", write_frame(u.id, u.gdt, desc, sizeof(desc), 0), 1);
		ctx.gdt_ents = 16;
		ctx.gdt_frames[0] = u.l1;
		EXPECT("ctx_gdt_page_table", set_context(u.id, 1, &ctx), -XEN_EINVAL);
		ctx.gdt_frames[0] = u.gdt;
		EXPECT("gdt_map_writable", map_window(0, u.id, u.gdt, RW), 0);
		EXPECT("ctx_gdt_mapped_writable", set_context(u.id, 1, &ctx), -XEN_EINVAL);
		((uint64_t *)windows[0])[3] = tss;
		map_window(0, DOMID_SELF, 0, 0);
		EXPECT("ctx_gdt_system_descriptor", set_context(u.id, 1, &ctx), -XEN_EINVAL);
		EXPECT("ctx_get_still_never_set", get_context(u.id, 1, &ctx2), -XEN_ENODATA);
		EXPECT("gdt_rewrite", write_frame(u.id, u.gdt, desc, sizeof(desc), 0), 1);
	}
	EXPECT("ctx_set_offline", set_context(u.id, 1, &ctx), 0);
	/* now a descriptor frame: Dom0 may not map it writable any more */
	EXPECT("gdt_not_writable", map_window(0, u.id, u.gdt, RW) < 0, 1);
	map_window(0, DOMID_SELF, 0, 0);
	ctx2 = ctx;
	ctx2.user_regs.rip = BAD_NONCANON;
	ctx2.user_regs.rax = 0x2222;
	EXPECT("ctx_noncanonical_rip", set_context(u.id, 1, &ctx2), -XEN_EINVAL);
	ctx2 = ctx;
	ctx2.fs_base = BAD_NONCANON2;
	ctx2.user_regs.rax = 0x3333;
	EXPECT("ctx_noncanonical_fs", set_context(u.id, 1, &ctx2), -XEN_EINVAL);
	ctx2 = ctx;
	ctx2.kernel_sp = BAD_NONCANON;
	EXPECT("ctx_noncanonical_kernel_sp", set_context(u.id, 1, &ctx2), -XEN_EINVAL);
	ctx2 = ctx;
	ctx2.trap_ctxt[14].address = BAD_NONCANON;
	EXPECT("ctx_noncanonical_trap", set_context(u.id, 1, &ctx2), -XEN_EINVAL);
	/* round trip */
	memset(&ctx2, 0xa5, sizeof(ctx2));
	EXPECT("ctx_get", get_context(u.id, 1, &ctx2), 0);
	EXPECT("ctx_get_rip", ctx2.user_regs.rip, ctx.user_regs.rip);
	EXPECT("ctx_get_rsp", ctx2.user_regs.rsp, ctx.user_regs.rsp);
	EXPECT("ctx_get_rax_unchanged", ctx2.user_regs.rax, 0x1111);
	EXPECT("ctx_get_r9", ctx2.user_regs.r9, 0x9999);
	EXPECT("ctx_get_rbx", ctx2.user_regs.rbx, ctx.user_regs.rbx);
	EXPECT("ctx_get_r15", ctx2.user_regs.r15, 1);
	EXPECT("ctx_get_cs", ctx2.user_regs.cs, FLAT_KERNEL_CS);
	EXPECT("ctx_get_ss", ctx2.user_regs.ss, FLAT_KERNEL_SS);
	check_eq_hex(tname("ctx_get_cr3"), ctx2.ctrlreg[3], u.l4 << 12);
	EXPECT("ctx_get_cr1", ctx2.ctrlreg[1], 0);
	EXPECT("ctx_get_flags", ctx2.flags & (VGCF_in_kernel | VGCF_online), VGCF_in_kernel);
	EXPECT("ctx_get_fs_base", ctx2.fs_base, 0x1234000);
	EXPECT("ctx_get_gs_base_user", ctx2.gs_base_user, 0x5678000);
	EXPECT("ctx_get_event_cb", ctx2.event_callback_eip, DOMU_VA(PFN_CODE) + 16);
	EXPECT("ctx_get_failsafe_cb", ctx2.failsafe_callback_eip, DOMU_VA(PFN_CODE) + 32);
	EXPECT("ctx_get_syscall_cb", ctx2.syscall_callback_eip, DOMU_VA(PFN_CODE) + 48);
	EXPECT("ctx_get_trap6", ctx2.trap_ctxt[6].address, DOMU_VA(PFN_CODE) + 64);
	EXPECT("ctx_get_trap6_cs", ctx2.trap_ctxt[6].cs, FLAT_KERNEL_CS);
	EXPECT("ctx_get_trap14", ctx2.trap_ctxt[14].address, 0);
	EXPECT("ctx_get_kernel_sp", ctx2.kernel_sp, DOMU_VA(PFN_STACK) + 2048);
	EXPECT("ctx_get_kernel_ss", ctx2.kernel_ss, FLAT_KERNEL_SS);
	EXPECT("ctx_get_gdt_ents", ctx2.gdt_ents, 16);
	check_eq_hex(tname("ctx_get_gdt_frame"), ctx2.gdt_frames[0], u.gdt);
	EXPECT("ctx_get_ldt_ents", ctx2.ldt_ents, 0);
	EXPECT("ctx_vcpuinfo_offline", (vcpuinfo(u.id, 1), op.u.getvcpuinfo.online), 0);
	/* set again: the same tables may be given, others not (-EOPNOTSUPP) */
	ctx.user_regs.rax = 0x4444;
	EXPECT("ctx_set_again", set_context(u.id, 1, &ctx), 0);
	EXPECT("ctx_get_again", get_context(u.id, 1, &ctx2), 0);
	EXPECT("ctx_get_again_rax", ctx2.user_regs.rax, 0x4444);
	/* an unpinned L4 of another domain of ours, built but not pinned */
	if (build(&other, 1, MODE_SPIN, 0, "")) {
		payload_context(&ctx2, other.l4, 0);
		EXPECT("ctx_cr3_foreign_domu", set_context(u.id, 0, &ctx2), -XEN_EINVAL);
		/* its own L4, unpinned: Xen validates it here; we require a pinned one */
		EXPECT("ctx_unpin", pin(other.id, MMUEXT_UNPIN_TABLE, other.l4), 0);
		payload_context(&ctx2, other.l4, 0);
		EXPECT("ctx_cr3_unpinned", set_context(other.id, 0, &ctx2), hv_is_paravane() ? -XEN_EINVAL : 0);
		simple(XEN_DOMCTL_destroydomain, other.id);
		struct evtchn_close cl = { .port = other.port };
		HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
	}
	payload_context(&ctx2, u.l4, 1);
	ctx2.ctrlreg[3] = 0;
	EXPECT("ctx_set_again_other_cr3", set_context(u.id, 1, &ctx2), -XEN_EOPNOTSUPP);

	/* a dying domain */
	EXPECT("dying_map", map_window(1, u.id, u.data, PTE_P | PTE_A), 0);
	EXPECT("dying_destroy", simple(XEN_DOMCTL_destroydomain, u.id), 0);
	EXPECT("dying_info", (info(u.id), op.u.getdomaininfo.flags & XEN_DOMINF_dying), XEN_DOMINF_dying);
	payload_context(&ctx, u.l4, 0);
	/* as Xen 4.17: what only looks, pauses or places still works on a dying domain */
	EXPECT("dying_setvcpucontext", set_context(u.id, 0, &ctx), -XEN_EINVAL);
	EXPECT("dying_getvcpuinfo", vcpuinfo(u.id, 0), 0);
	EXPECT("dying_pause", simple(XEN_DOMCTL_pausedomain, u.id), 0);
	EXPECT("dying_unpause", simple(XEN_DOMCTL_unpausedomain, u.id), 0);
	EXPECT("dying_getvcpucontext", get_context(u.id, 1, &ctx2), 0);
	EXPECT("dying_getvcpuaffinity", aff(XEN_DOMCTL_getvcpuaffinity, u.id, 0, 3, 8), 0);
	hard_map[0] = 3;
	EXPECT("dying_setvcpuaffinity", aff(XEN_DOMCTL_setvcpuaffinity, u.id, 0, XEN_VCPUAFFINITY_HARD, 8), 0);
	map_window(1, DOMID_SELF, 0, 0);
	EXPECT("dying_gone", info(u.id) == 0 && op.domain == u.id, 0);
	{
		uint64_t after = 0;

		for (unsigned i = 0; i < 100 && (after = free_pages()) != before; i++)
			spin_ms(10);
		check(free_back(before, after), tname("ctx_free_back"), "free pages %lu before, %lu after",
		      (unsigned long)before, (unsigned long)after);
	}
	struct evtchn_close cl = { .port = u.port };
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
}

void test_main(void)
{
	struct evtchn_bind_virq bv = { .virq = VIRQ_DOM_EXC, .vcpu = 0 };

	if (HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv)) {
		fail(tname("bind_dom_exc"), "cannot bind VIRQ_DOM_EXC");
		return;
	}
	dom_exc_port = bv.port;
	port_mask(dom_exc_port);
	port_clear(dom_exc_port);
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
