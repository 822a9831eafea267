/*
 * gdtrace - VCPUOP_initialise naming a GDT frame that another CPU is still
 * writing through a stale TLB entry (2 CPUs, vCPUs 2..7 initialised).
 *
 * vCPU 1 spins writing descriptor 1 of a frame F, alternately a flat data
 * segment (accepted) and a TSS (refused), through F's own kernel VA. vCPU
 * 0 then points that VA at another frame with update_va_mapping and no
 * flush: F has no writable mapping left, but vCPU 1's CPU still writes it
 * through its TLB until someone flushes it. vCPU 0 then initialises one of
 * its own unused vCPUs with F as the GDT.
 *
 * Whatever descriptor 1 holds when the frame becomes a descriptor table
 * decides the answer: 0 (the vCPU is initialised with it, stays down) or
 * -EINVAL (then the same frame is tried again, on the same vCPU). Nothing
 * else: a hypervisor that checks the descriptors before it takes the frame
 * (and flushes the writer's TLB) must not find them changed when it takes
 * it; if it assumed they could not change, it stops the machine.
 * The same answers on Xen 4.17 (which checks after taking the frame).
 */
#include "guest.h"

const char test_name[] = "gdtrace";
const int test_styles = STYLE_DIRECT;   /* initialises vCPUs for good: run once */

extern char event_entry[];   /* lib/entry.S */

#define FIRST_VCPU   2
#define MAX_VCPUS    8
#define MAX_TRIES    60                       /* attempts in all */
#define DESC_GOOD    0x00cff3000000ffffULL    /* flat data, DPL 3, present */
#define DESC_BAD     0x0000890000000067ULL    /* 64-bit TSS: a system descriptor */

static uint8_t gdt_pages[MAX_VCPUS][4096] __attribute__((aligned(4096)));
static uint8_t sink[4096] __attribute__((aligned(4096)));
static uint8_t v1_stack[8192] __attribute__((aligned(16)));
static uint8_t idle_stack[8192] __attribute__((aligned(16)));
static struct vcpu_guest_context v1_ctxt, ctxt;

static volatile uint64_t *volatile target;   /* where vCPU 1 writes; NULL: nowhere */
static volatile unsigned long v1_writes;
static volatile int v1_started, v1_stop;

static uint64_t mfn_of(const void *va)
{
	return ((uint64_t *)start_info->mfn_list)[((uint64_t)va - VIRT_BASE) >> 12];
}

static uint64_t pte(uint64_t mfn) { return (mfn << 12) | PTE_P | PTE_W | PTE_A | PTE_D; }

static void vcpu1_main(void)
{
	HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 1, NULL);
	v1_started = 1;
	while (!v1_stop) {
		volatile uint64_t *t = target;

		if (!t)
			continue;   /* stay on this CPU: its TLB is the point */
		/* one store a pass: a flush may land after either kind */
		t[1] = v1_writes & 1 ? DESC_BAD : DESC_GOOD;
		v1_writes++;
	}
	HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL);
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

static void never_runs(void)
{
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

/* Yield until vCPU 1 wrote `n` more times, or 2 s passed; whether it did. */
static int wait_writes(unsigned long n)
{
	unsigned long from = v1_writes;
	uint64_t until = system_time_ns() + 2000000000ULL;

	while (v1_writes - from < n && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	return v1_writes - from >= n;
}

/* One attempt on vCPU `k` with frame `page`: the initialise's answer. */
static long attempt(unsigned k, uint8_t *page, uint64_t cr3, int *raced)
{
	uint64_t va = (uint64_t)page;
	unsigned long before;
	long rc;

	rc = HYPERVISOR_update_va_mapping(va, pte(mfn_of(page)), UVMF_INVLPG | UVMF_ALL);
	if (rc)
		return 1000 + rc;   /* reported as unexpected below */
	target = (volatile uint64_t *)page;
	if (!wait_writes(1000))
		return 2000;
	/* the page's VA now shows `sink`; vCPU 1's CPU still has it as the page */
	rc = HYPERVISOR_update_va_mapping(va, pte(mfn_of(sink)), 0);
	if (rc)
		return 3000 + rc;
	vcpu_context_init(&ctxt, never_runs, idle_stack + sizeof(idle_stack), cr3, event_entry);
	ctxt.gdt_frames[0] = mfn_of(page);
	ctxt.gdt_ents = 2;
	before = v1_writes;
	rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, k, &ctxt);
	*raced += v1_writes != before;
	target = NULL;
	return rc;
}

void test_main(void)
{
	unsigned k = FIRST_VCPU, tries = 0, done = 0, refused = 0, odd = 0;
	int raced = 0;
	uint64_t cr3;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	EXPECT("stop_periodic_vcpu0", HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
	vcpu_context_init(&v1_ctxt, vcpu1_main, v1_stack + sizeof(v1_stack), cr3, event_entry);
	shared_info->vcpu_info[1].evtchn_upcall_mask = 1;
	EXPECT("initialise_vcpu1", HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &v1_ctxt), 0);
	EXPECT("up_vcpu1", HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), 0);
	for (uint64_t until = system_time_ns() + 2000000000ULL; !v1_started && system_time_ns() < until;)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	check(v1_started, tname("vcpu1_started"), "not in 2 s");

	for (unsigned i = 0; i < MAX_VCPUS; i++) {
		memset(gdt_pages[i], 0, 4096);
		((uint64_t *)gdt_pages[i])[1] = DESC_GOOD;
	}
	while (tries < MAX_TRIES && k < MAX_VCPUS && v1_started) {
		long rc = attempt(k, gdt_pages[k], cr3, &raced);

		tries++;
		if (rc == 0) {
			done++;
			k++;   /* initialised for good: the next vCPU, with its own frame */
		} else if (rc == -XEN_EINVAL) {
			refused++;
		} else {
			odd++;
			fail(tname("initialise_answer"), "vCPU %u: %ld (0 or -EINVAL expected)", k, rc);
			break;
		}
	}
	v1_stop = 1;
	gprintf("gdtrace: %u attempts, %u initialised, %u refused, %d with vCPU 1 writing meanwhile\n",
		tries, done, refused, raced);
	check(!odd && tries > 0, tname("answers_0_or_einval"), "%u unexpected answers", odd);
	check(done > 0, tname("some_initialised"), "no context was accepted in %u attempts", tries);
}
