/*
 * pvbench - the PV guest core's costs, measured from inside a guest kernel:
 * a null hypercall round trip (xen_version(XENVER_version), which both
 * Paravane and Xen answer without work) and a bounced exception (int3 to
 * the guest's own handler and back through the iret hypercall), each the
 * median of many TSC-timed runs. The same ELF boots on Paravane and on Xen,
 * so bench/pv-core.sh can put the two side by side.
 */
#include "guest.h"

const char test_name[] = "pvbench";

#ifndef RUNS
#define RUNS 100000
#endif
#ifndef BOUNCE_RUNS
#define BOUNCE_RUNS 20000
#endif
#ifdef PVBENCH_TRACE
/* bench/tb-lookups.sh: one style, so one hypercall loop and one bounce loop to trace */
const int test_styles = STYLE_DIRECT;
#endif

static uint32_t samples[RUNS];

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* Median by counting: values are cycles, mostly small; clamp the tail. */
static uint32_t median(uint32_t *v, unsigned n)
{
	static uint32_t hist[65536];
	unsigned seen = 0;

	memset(hist, 0, sizeof(hist));
	for (unsigned i = 0; i < n; i++)
		hist[v[i] < 65535 ? v[i] : 65535]++;
	for (uint32_t c = 0; c < 65536; c++) {
		seen += hist[c];
		if (seen * 2 >= n)
			return c;
	}
	return 65535;
}

void test_main(void)
{
	uint64_t t0, t1;
	long rc = 0;

	for (unsigned i = 0; i < RUNS; i++) {
		t0 = tsc();
		rc |= HYPERVISOR_xen_version(XENVER_version, NULL) < 0;
		t1 = tsc();
		samples[i] = (uint32_t)(t1 - t0);
	}
	check(!rc, tname("null_hypercall_ok"), "xen_version failed");
	gprintf("bench %s: null hypercall median %u cycles\n", hc_direct ? "direct" : "page",
		median(samples, RUNS));

	trap_reset();
	for (unsigned i = 0; i < BOUNCE_RUNS; i++) {
		t0 = tsc();
		EXPECT_TRAP("int3");
		t1 = tsc();
		samples[i] = (uint32_t)(t1 - t0);
	}
	check(last_trap.count == BOUNCE_RUNS, tname("bounced_exceptions"), "%d of %d delivered",
	      last_trap.count, BOUNCE_RUNS);
	gprintf("bench %s: bounced exception median %u cycles\n", hc_direct ? "direct" : "page",
		median(samples, BOUNCE_RUNS));
}
