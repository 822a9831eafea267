/*
 * dombench - the toolstack's costs of starting and ending a 256 MiB
 * domain, from a Dom0 test kernel, the same ELF on Paravane and Xen 4.17
 * (bench/dom.sh puts them side by side):
 *
 *   build    createdomain + max_vcpus + max_mem, populate_physmap of 65 536
 *            frames naming it, its 128 L1s and upper tables written through
 *            a foreign mapping, the L4 pinned naming it (every entry
 *            validated), setvcpucontext, unpausedomain, until the payload's
 *            first word appears in its console page (tests/guests/lib/domu.c
 *            builds it)
 *   destroy  destroydomain of that domain, running (its payload spins on
 *            CPU 1), until physinfo's free_pages is back where it was
 *
 * Medians (and each phase of the build) in microseconds of system time,
 * over RUNS builds and destroys.
 */
#include "domu.h"

const char test_name[] = "dombench";
const int test_styles = STYLE_DIRECT;

#define PAGES (256UL * 256)   /* 256 MiB */
#ifndef RUNS
#define RUNS 7
#endif
#define MAGIC 0x5354415254ULL   /* "START" */

static uint64_t mfns[PAGES];
static struct vcpu_guest_context ctx;

/* Entered with RBP = its console page: say it is up, then spin */
extern const uint8_t payload_start[], payload_end[];
__asm__(".pushsection .rodata\n"
	"payload_start:\n"
	"	movabs $0x5354415254, %rax\n"
	"	mov %rax, (%rbp)\n"
	"1:	pause\n"
	"	jmp 1b\n"
	"payload_end:\n"
	".popsection\n");

enum { S_CREATE, S_POPULATE, S_TABLES, S_PIN, S_START, S_BUILD, S_DESTROY, S_NR };
static const char *const s_names[S_NR] = {
	"create", "populate", "tables", "pin", "start", "build", "destroy",
};
static uint64_t samples[S_NR][RUNS];

static uint64_t median(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

/* One build and destroy; 0 if something failed (reported) */
static int one_run(unsigned r)
{
	static const uint64_t zero_data[8];
	volatile const uint64_t *first = (volatile const uint64_t *)domu_windows[1];
	uint64_t before = domu_free_pages(), after, t_up, t_d0, t_d1, deadline;
	struct domu u;
	long rc;

	if (!domu_create(&u, mfns, PAGES, 1) ||
	    !domu_load(&u, payload_start, payload_end - payload_start, zero_data, sizeof(zero_data), 0)) {
		if (u.id)
			domu_destroy_wait(u.id, before, 5000, NULL);
		return 0;
	}
	domu_context(&ctx, &u, 0);
	if ((rc = domu_set_context(u.id, 0, &ctx)) || (rc = domu_map_window(1, u.id, u.mfn[u.cons], DOMU_RO)) ||
	    (rc = domu_simple(XEN_DOMCTL_unpausedomain, u.id))) {
		fail(tname("start"), "%ld", rc);
		domu_map_window(1, DOMID_SELF, 0, 0);
		domu_destroy_wait(u.id, before, 5000, NULL);
		return 0;
	}
	deadline = system_time_ns() + 10000000000ULL;
	while (*first != MAGIC && system_time_ns() < deadline)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	t_up = system_time_ns();
	domu_map_window(1, DOMID_SELF, 0, 0);
	if (t_up >= deadline) {
		fail(tname("payload_up"), "no word in the console page after 10 s");
		domu_destroy_wait(u.id, before, 5000, NULL);
		return 0;
	}
	samples[S_CREATE][r] = u.t[DOMU_T_CREATED] - u.t[DOMU_T_START];
	samples[S_POPULATE][r] = u.t[DOMU_T_POPULATED] - u.t[DOMU_T_CREATED];
	samples[S_TABLES][r] = u.t[DOMU_T_TABLES] - u.t[DOMU_T_POPULATED];
	samples[S_PIN][r] = u.t[DOMU_T_PINNED] - u.t[DOMU_T_TABLES];
	samples[S_START][r] = t_up - u.t[DOMU_T_PINNED];
	samples[S_BUILD][r] = t_up - u.t[DOMU_T_START];

	domu_spin_ms(20);   /* running on its CPU */
	t_d0 = system_time_ns();
	rc = domu_destroy_wait(u.id, before, 20000, &after);
	t_d1 = system_time_ns();
	samples[S_DESTROY][r] = t_d1 - t_d0;
	struct evtchn_close cl = { .port = u.port };
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
	if (rc || !domu_free_back(before, after)) {
		fail(tname("destroy"), "rc %ld, free pages %lu before, %lu after", rc, (unsigned long)before,
		     (unsigned long)after);
		return 0;
	}
	gprintf("bench: run %u build %lu us destroy %lu us\n", r, (unsigned long)(samples[S_BUILD][r] / 1000),
		(unsigned long)(samples[S_DESTROY][r] / 1000));
	return 1;
}

void test_main(void)
{
	unsigned ok = 0;

	gprintf("bench: %lu pages free, domain of %lu pages\n", (unsigned long)domu_free_pages(), PAGES);
	for (unsigned r = 0; r < RUNS; r++)
		ok += one_run(r);
	check(ok == RUNS, tname("runs"), "%u of %u runs completed", ok, RUNS);
	if (ok != RUNS)
		return;
	for (unsigned s = 0; s < S_NR; s++)
		gprintf("bench: %s median %lu us\n", s_names[s], (unsigned long)(median(samples[s], RUNS) / 1000));
}
