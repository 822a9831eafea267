/*
 * domcycle - CYCLES rounds of create, build (lib/domu.c), run, destroy,
 * and physinfo's free_pages must come back every time: exactly on
 * Paravane; on Xen 4.17, which may keep a page or two of its own heap
 * grown meanwhile, within that each time (lib/domu.c domu_free_back), and
 * at the end less than the smallest domain below where it started (50
 * cycles there: 4 pages; a minute, most of it Xen printing its crash
 * dumps, so guests-xen-domcycle is not in `make test`).
 *
 * The domains vary: 16 to 64 pages, one or two vCPUs, and every third
 * payload crashes (ud2, no trap table) instead of powering off, so both
 * ends of a domain (shut down, crashed) give their frames back. Each
 * payload writes a word into its console page and, unless it crashes,
 * notifies Dom0 and powers off; Dom0 waits for VIRQ_DOM_EXC, reads the
 * reason, the word, and destroys it.
 *
 * `make guests-*-domcycle` runs 50 rounds; domcycle1000 (the same source
 * with CYCLES=1000) is in `make test-all` on Paravane.
 */
#include "domu.h"

#ifndef CYCLES
#define CYCLES 50
#endif
#define STR2(x) #x
#define STR(x) STR2(x)
#if CYCLES == 50
const char test_name[] = "domcycle";
#else
const char test_name[] = "domcycle" STR(CYCLES);
#endif
const int test_styles = STYLE_DIRECT;

#define MAX_PAGES 64
#define WORD 0x21657962646f6f67ULL   /* "goodbye!" */

struct payload_data {
	uint64_t crash;         /* +0 */
	uint32_t port;          /* +8: struct evtchn_send */
	uint32_t pad;
	uint32_t reason;        /* +16: struct sched_shutdown */
};

/* RBX = data page, RBP = console page: the word, then an event and power off, or ud2 */
extern const uint8_t payload_start[], payload_end[];
__asm__(".pushsection .rodata\n"
	"payload_start:\n"
	"	movabs $0x21657962646f6f67, %rax\n"
	"	mov %rax, (%rbp)\n"
	"	cmpq $0, 0(%rbx)\n"
	"	jne 2f\n"
	"	mov $32, %eax\n"
	"	mov $4, %edi\n"
	"	lea 8(%rbx), %rsi\n"
	"	syscall\n"
	"	mov $29, %eax\n"
	"	mov $2, %edi\n"
	"	lea 16(%rbx), %rsi\n"
	"	syscall\n"
	"1:	pause\n"
	"	jmp 1b\n"
	"2:	ud2\n"
	"payload_end:\n"
	".popsection\n");

static uint64_t mfns[MAX_PAGES];
static struct vcpu_guest_context ctx;
static evtchn_port_t dom_exc;

/* What went wrong in the cycles, counted; the first of each kind printed */
enum { E_BUILD, E_START, E_EXC, E_REASON, E_WORD, E_DESTROY, E_FREE, E_NR };
static const char *const e_names[E_NR] = {
	"build", "start", "dom_exc", "reason", "console_word", "destroy", "free_back",
};
static unsigned errors[E_NR];

static void __attribute__((format(printf, 3, 4))) error(unsigned kind, unsigned cycle, const char *fmt, ...)
{
	va_list ap;

	if (errors[kind]++)
		return;
	gprintf("domcycle: cycle %u, %s: ", cycle, e_names[kind]);
	va_start(ap, fmt);
	gvprintf(fmt, ap);
	va_end(ap);
	gprintf("\n");
}

static void cycle(unsigned i)
{
	static struct payload_data pd;
	unsigned pages = 16 + (i % 7) * 8, vcpus = 1 + (i % 2), crash = i % 3 == 2;
	unsigned reason = crash ? SHUTDOWN_crash : SHUTDOWN_poweroff;
	uint64_t before = domu_free_pages(), after = 0;
	struct domu u;
	long rc;

	if (!domu_create(&u, mfns, pages, vcpus)) {
		error(E_BUILD, i, "create (%u pages, %u vCPUs)", pages, vcpus);
		goto out;
	}
	memset(&pd, 0, sizeof(pd));
	pd.crash = crash;
	pd.port = u.domu_port;
	pd.reason = SHUTDOWN_poweroff;
	if (!domu_load(&u, payload_start, payload_end - payload_start, &pd, sizeof(pd), 0)) {
		error(E_BUILD, i, "load (%u pages, %u vCPUs)", pages, vcpus);
		goto out;
	}
	domu_context(&ctx, &u, 0);
	domu_port_clear(dom_exc);
	if ((rc = domu_set_context(u.id, 0, &ctx)) || (rc = domu_simple(XEN_DOMCTL_unpausedomain, u.id))) {
		error(E_START, i, "%ld", rc);
		goto out;
	}
	if (!domu_wait_port(dom_exc, 5000)) {
		error(E_EXC, i, "none within 5 s");
		goto out;
	}
	if ((rc = domu_info(u.id)) ||
	    (domu_op.u.getdomaininfo.flags & (XEN_DOMINF_shutdown | 0xffff0000u)) !=
		    (XEN_DOMINF_shutdown | (reason << 16)))
		error(E_REASON, i, "getdomaininfo %ld, flags %#x", rc, domu_op.u.getdomaininfo.flags);
	if (domu_map_window(1, u.id, u.mfn[u.cons], DOMU_RO) == 0) {
		uint64_t w = *(volatile uint64_t *)domu_windows[1];

		domu_map_window(1, DOMID_SELF, 0, 0);
		if (w != WORD)
			error(E_WORD, i, "%#lx", (unsigned long)w);
	} else {
		error(E_WORD, i, "cannot map the console page");
	}
out:
	if (!u.id)
		return;
	if ((rc = domu_destroy_wait(u.id, before, 2000, &after)))
		error(E_DESTROY, i, "%ld", rc);
	if (!domu_free_back(before, after))
		error(E_FREE, i, "free pages %lu before, %lu after", (unsigned long)before, (unsigned long)after);
	if (u.port) {
		struct evtchn_close cl = { .port = u.port };

		HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
	}
}

void test_main(void)
{
	uint64_t start, end, t0 = system_time_ns();

	if (!(dom_exc = domu_bind_dom_exc())) {
		fail(tname("bind_dom_exc"), "cannot bind VIRQ_DOM_EXC");
		return;
	}
	start = domu_free_pages();
	for (unsigned i = 0; i < CYCLES; i++)
		cycle(i);
	end = domu_free_pages();
	gprintf("domcycle: %u cycles in %lu ms, free pages %lu at the start, %lu at the end\n", CYCLES,
		(unsigned long)((system_time_ns() - t0) / 1000000), (unsigned long)start, (unsigned long)end);
	for (unsigned k = 0; k < E_NR; k++) {
		char n[32];

		gsnprintf(n, sizeof(n), "cycles_%s", e_names[k]);
		check(errors[k] == 0, tname(n), "%u of %u cycles", errors[k], CYCLES);
	}
	/* Xen's heap may have kept a page or two in several cycles: there, no domain's worth */
	check(start && (hv_is_paravane() ? end == start : end <= start && start - end < 16),
	      tname("free_pages_back"), "%lu at the start, %lu at the end", (unsigned long)start,
	      (unsigned long)end);
}
