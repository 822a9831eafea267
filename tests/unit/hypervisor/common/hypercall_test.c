/*
 * common/hypercall.c on the host: the dispatcher and multicall, over fake
 * handlers that record what they were asked.
 *  - dispatch: a dying domain's vCPU runs nothing (its teardown has begun),
 *    numbers past the table and empty slots are -ENOSYS (logged
 *    once per number and domain), a privileged-only hypercall from a DomU
 *    is -EPERM and its handler never runs, the rest reach their handler
 *    with the guest's six arguments;
 *  - multicall: results written into each entry, a nested multicall
 *    refused per entry, an iret ends the batch (XSA-213's rule), an entry
 *    that shuts the domain down ends it, an entry's own continuation is
 *    written back into its slot and the batch resumes from it, preemption
 *    between entries continues from the next entry, unreadable entries and
 *    lists that wrap are -EFAULT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake/guest_mem.h"
#include "fake/machine.h"
#include <console.h>
#include <domain.h>
#include <hypercall.h>
#include <public/errno.h>
#include <public/xen.h>

#define LIST_VA 0x20000ULL
static uint8_t mem[2 * 4096];
static bool mapped[2] = { true, true };
const struct guest_mem_fake guest_mem_fake = { .va = LIST_VA, .mem = mem, .size = sizeof(mem),
					       .page_mapped = mapped };

static struct domain dom = { .domain_id = 3, .state = DOMAIN_RUNNING };
static struct vcpu v0 = { .vcpu_id = 0, .domain = &dom };

/* ---- what hypercall.c calls -------------------------------------------- */
bool domain_reap_pending;
static unsigned reaps, announces;
void domain_reap(void) { reaps++; domain_reap_pending = false; }
void conring_announce(void) { announces++; conring_unannounced = false; }

/* ---- the fake handlers ------------------------------------------------- */
static uint64_t calls[256], call_args[256][6];
static unsigned nr_calls;
static bool continue_memory_op;   /* memory_op makes a continuation, once */

static int64_t record(uint64_t nr, const uint64_t a[6])
{
	assert_true(nr_calls < 256);
	calls[nr_calls] = nr;
	memcpy(call_args[nr_calls], a, sizeof(call_args[0]));
	nr_calls++;
	return (int64_t)(nr * 1000 + a[0]);
}

#define FAKE(name) \
	int64_t do_##name(struct vcpu *v, const uint64_t a[6]) { (void)v; return record(__HYPERVISOR_##name, a); }
FAKE(set_trap_table) FAKE(set_gdt) FAKE(stack_switch) FAKE(set_callbacks) FAKE(fpu_taskswitch)
FAKE(set_debugreg) FAKE(get_debugreg) FAKE(update_descriptor) FAKE(xen_version)
FAKE(console_io) FAKE(vm_assist) FAKE(update_va_mapping) FAKE(update_va_mapping_otherdomain)
FAKE(set_segment_base) FAKE(callback_op) FAKE(event_channel_op) FAKE(grant_table_op)
FAKE(vcpu_op) FAKE(set_timer_op) FAKE(physdev_op) FAKE(platform_op) FAKE(mca) FAKE(domctl)
FAKE(sysctl) FAKE(mmu_update) FAKE(mmuext_op) FAKE(xenpmu_op)

/* iret sets the registers itself: no result is written to RAX */
int64_t do_iret(struct vcpu *v, const uint64_t a[6])
{
	record(__HYPERVISOR_iret, a);
	hypercall_set_exit(v, HC_EXIT_NO_RESULT);
	return 0;
}

/* sched_op(SCHEDOP_shutdown) ends the domain */
int64_t do_sched_op(struct vcpu *v, const uint64_t a[6])
{
	record(__HYPERVISOR_sched_op, a);
	v->domain->state = DOMAIN_SHUTDOWN;
	return 0;
}

/* memory_op stops half way once: continue at a0 + 100 */
int64_t do_memory_op(struct vcpu *v, const uint64_t a[6])
{
	int64_t rc = record(__HYPERVISOR_memory_op, a);

	(void)v;
	if (!continue_memory_op)
		return rc;
	continue_memory_op = false;
	return hypercall_create_continuation(__HYPERVISOR_memory_op, 2, a[0] + 100, a[1], 0, 0, 0, 0);
}

/* ---- helpers ------------------------------------------------------------ */
static struct multicall_entry *entry(unsigned i)
{
	return (struct multicall_entry *)mem + i;
}

static void put_entry(unsigned i, uint64_t op, uint64_t a0)
{
	*entry(i) = (struct multicall_entry){ .op = op, .result = 0xdead, .args = { a0, a0 + 1 } };
}

static int64_t multicall(uint64_t list, uint64_t nr)
{
	const uint64_t a[6] = { list, nr };

	return hypercall_dispatch(&v0, __HYPERVISOR_multicall, a);
}

static int setup(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	mapped[0] = mapped[1] = true;
	dom.state = DOMAIN_RUNNING;
	dom.is_privileged = false;
	dom.is_dying = false;
	memset(dom.enosys_logged, 0, sizeof(dom.enosys_logged));
	v0.hcall_exit = HC_EXIT_NORMAL;
	nr_calls = reaps = announces = 0;
	continue_memory_op = false;
	fake_preempt_reset();
	set_current_vcpu(&v0);
	domain_reap_pending = conring_unannounced = false;
	fake_console_reset();
	return 0;
}

/* ---- dispatch ----------------------------------------------------------- */
static void test_dispatch_reaches_handler(void **state)
{
	const uint64_t a[6] = { 7, 8, 9, 10, 11, 12 };

	(void)state;
	assert_int_equal(hypercall_dispatch(&v0, __HYPERVISOR_xen_version, a),
			 __HYPERVISOR_xen_version * 1000 + 7);
	assert_int_equal(nr_calls, 1);
	assert_memory_equal(call_args[0], a, sizeof(a));
	assert_int_equal(hypercall_take_exit(&v0), HC_EXIT_NORMAL);
}

static void test_dispatch_missing(void **state)
{
	const uint64_t a[6] = { 0 };

	(void)state;
	assert_int_equal(hypercall_dispatch(&v0, NR_HYPERCALLS, a), -XEN_ENOSYS);
	assert_int_equal(hypercall_dispatch(&v0, UINT64_MAX, a), -XEN_ENOSYS);
	assert_int_equal(hypercall_dispatch(&v0, 42, a), -XEN_ENOSYS);   /* hypfs_op: no slot */
	assert_int_equal(nr_calls, 0);
	/* logged once per number and domain, however often it is asked */
	assert_int_equal(dom.enosys_logged[0], 1ULL << 42);
	assert_int_equal(hypercall_dispatch(&v0, 42, a), -XEN_ENOSYS);
	assert_int_equal(dom.enosys_logged[0], 1ULL << 42);
}

static void test_dispatch_privileged_only(void **state)
{
	const uint64_t a[6] = { 1 };

	(void)state;
	assert_int_equal(hypercall_dispatch(&v0, __HYPERVISOR_platform_op, a), -XEN_EPERM);
	assert_int_equal(hypercall_dispatch(&v0, __HYPERVISOR_mca, a), -XEN_EPERM);
	assert_int_equal(nr_calls, 0);
	/* domctl and sysctl check privilege themselves, after the version */
	assert_int_equal(hypercall_dispatch(&v0, __HYPERVISOR_domctl, a), __HYPERVISOR_domctl * 1000 + 1);
	dom.is_privileged = true;
	assert_int_equal(hypercall_dispatch(&v0, __HYPERVISOR_platform_op, a),
			 __HYPERVISOR_platform_op * 1000 + 1);
	assert_int_equal(nr_calls, 2);
}

static void test_dispatch_dying(void **state)
{
	const uint64_t a[6] = { 0 };

	(void)state;
	dom.is_dying = true;
	assert_int_equal(hypercall_dispatch(&v0, __HYPERVISOR_xen_version, a), -XEN_EINVAL);
	assert_int_equal(hypercall_dispatch(&v0, __HYPERVISOR_multicall, a), -XEN_EINVAL);
	assert_int_equal(nr_calls, 0);
	dom.is_dying = false;
}

static void test_dispatch_after_work(void **state)
{
	const uint64_t a[6] = { 0 };

	(void)state;
	domain_reap_pending = conring_unannounced = true;
	hypercall_dispatch(&v0, __HYPERVISOR_xen_version, a);
	assert_int_equal(reaps, 1);
	assert_int_equal(announces, 1);
}

/* ---- multicall ---------------------------------------------------------- */
static void test_multicall_results(void **state)
{
	(void)state;
	put_entry(0, __HYPERVISOR_xen_version, 5);
	put_entry(1, __HYPERVISOR_multicall, 0);   /* nested: refused, the batch goes on */
	put_entry(2, __HYPERVISOR_console_io, 6);
	put_entry(3, 99, 0);                        /* no such hypercall */
	assert_int_equal(multicall(LIST_VA, 4), 0);
	assert_int_equal((int64_t)entry(0)->result, __HYPERVISOR_xen_version * 1000 + 5);
	assert_int_equal((int64_t)entry(1)->result, -XEN_EINVAL);
	assert_int_equal((int64_t)entry(2)->result, __HYPERVISOR_console_io * 1000 + 6);
	assert_int_equal((int64_t)entry(3)->result, -XEN_ENOSYS);
	assert_int_equal(nr_calls, 2);
	assert_int_equal(call_args[0][1], 6);   /* each entry's own arguments */
}

static void test_multicall_iret_ends_batch(void **state)
{
	(void)state;
	put_entry(0, __HYPERVISOR_xen_version, 1);
	put_entry(1, __HYPERVISOR_iret, 0);
	put_entry(2, __HYPERVISOR_xen_version, 2);   /* must not run in the new mode */
	assert_int_equal(multicall(LIST_VA, 3), 0);
	assert_int_equal(nr_calls, 2);
	assert_int_equal(calls[1], __HYPERVISOR_iret);
	assert_int_equal(entry(1)->result, 0);
	assert_int_equal(entry(2)->result, 0xdead);
	/* the arch must not write a result over the registers iret set */
	assert_int_equal(hypercall_take_exit(&v0), HC_EXIT_NO_RESULT);
}

static void test_multicall_shutdown_ends_batch(void **state)
{
	(void)state;
	put_entry(0, __HYPERVISOR_sched_op, 2);
	put_entry(1, __HYPERVISOR_xen_version, 1);
	assert_int_equal(multicall(LIST_VA, 2), 0);
	assert_int_equal(nr_calls, 1);
	assert_int_equal(entry(0)->result, 0);
	assert_int_equal(entry(1)->result, 0xdead);
}

static void test_multicall_entry_continuation(void **state)
{
	const struct hypercall_continuation *c = &v0.hcall_cont;

	(void)state;
	put_entry(0, __HYPERVISOR_xen_version, 1);
	put_entry(1, __HYPERVISOR_memory_op, 40);
	put_entry(2, __HYPERVISOR_xen_version, 2);
	continue_memory_op = true;
	assert_int_equal(multicall(LIST_VA, 3), __HYPERVISOR_multicall);
	/* the entry keeps its rewritten arguments, no result yet, and the
	 * multicall resumes at it with the entries left */
	assert_int_equal(entry(1)->args[0], 140);
	assert_int_equal(entry(1)->result, 0xdead);
	assert_int_equal(entry(2)->result, 0xdead);
	assert_int_equal(hypercall_take_exit(&v0), HC_EXIT_CONTINUATION);
	assert_int_equal(c->nr, __HYPERVISOR_multicall);
	assert_int_equal(c->args[0], LIST_VA + sizeof(struct multicall_entry));
	assert_int_equal(c->args[1], 2);
	/* re-entered as the guest would: the entry finishes, then the rest */
	assert_int_equal(multicall(c->args[0], c->args[1]), 0);
	assert_int_equal((int64_t)entry(1)->result, __HYPERVISOR_memory_op * 1000 + 140);
	assert_int_equal((int64_t)entry(2)->result, __HYPERVISOR_xen_version * 1000 + 2);
}

static void test_multicall_preempted_between_entries(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 4; i++)
		put_entry(i, __HYPERVISOR_xen_version, i);
	fake_preempt_at = 2;   /* before entry 0 no check; entry 1 passes; entry 2 stops */
	assert_int_equal(multicall(LIST_VA, 4), __HYPERVISOR_multicall);
	assert_int_equal(nr_calls, 2);
	assert_int_equal(hypercall_take_exit(&v0), HC_EXIT_CONTINUATION);
	assert_int_equal(v0.hcall_cont.args[0], LIST_VA + 2 * sizeof(struct multicall_entry));
	assert_int_equal(v0.hcall_cont.args[1], 2);
	assert_int_equal(entry(2)->result, 0xdead);
}

static void test_multicall_bad_lists(void **state)
{
	(void)state;
	put_entry(0, __HYPERVISOR_xen_version, 1);
	assert_int_equal(multicall(0x1000, 1), -XEN_EFAULT);               /* not guest memory here */
	assert_int_equal(multicall(UINT64_MAX - 16, 2), -XEN_EFAULT);      /* wraps */
	assert_int_equal(multicall(LIST_VA, UINT64_MAX), -XEN_EFAULT);     /* runs off the end */
	assert_int_equal(nr_calls, 2 * 4096 / sizeof(struct multicall_entry));
	/* an unreadable entry after good ones: those ran and have their results */
	mapped[1] = false;
	for (unsigned i = 0; i < 4096 / sizeof(struct multicall_entry) + 1; i++)
		if (i < 4096 / sizeof(struct multicall_entry))
			put_entry(i, __HYPERVISOR_xen_version, i);
	nr_calls = 0;
	assert_int_equal(multicall(LIST_VA, 4096 / sizeof(struct multicall_entry) + 1), -XEN_EFAULT);
	assert_int_equal(nr_calls, 4096 / sizeof(struct multicall_entry));
	assert_int_equal(multicall(LIST_VA, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_dispatch_reaches_handler, setup),
		cmocka_unit_test_setup(test_dispatch_missing, setup),
		cmocka_unit_test_setup(test_dispatch_privileged_only, setup),
		cmocka_unit_test_setup(test_dispatch_dying, setup),
		cmocka_unit_test_setup(test_dispatch_after_work, setup),
		cmocka_unit_test_setup(test_multicall_results, setup),
		cmocka_unit_test_setup(test_multicall_iret_ends_batch, setup),
		cmocka_unit_test_setup(test_multicall_shutdown_ends_batch, setup),
		cmocka_unit_test_setup(test_multicall_entry_continuation, setup),
		cmocka_unit_test_setup(test_multicall_preempted_between_entries, setup),
		cmocka_unit_test_setup(test_multicall_bad_lists, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
