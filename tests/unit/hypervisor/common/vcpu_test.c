/*
 * common/vcpu.c on the host: a vCPU beyond shared_info's 32 vcpu_info slots
 * has none until VCPUOP_register_vcpu_info gives it one. Registering then
 * starts from a masked record (not from a NULL pointer), and such a vCPU
 * cannot be initialised (so never runs) without one, as on Xen. The
 * max_vcpus caps (domctl, Dom0 builder) keep guests from reaching this
 * today, so only a host test can.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake/guest_mem.h"
#include "fake/machine.h"
#include <arch.h>
#include <domain.h>
#include <event.h>
#include <hypercall.h>
#include <page.h>
#include <sched.h>
#include <public/errno.h>
#include <public/vcpu.h>

#define ARG_VA 0x10000ULL
static uint8_t mem[4096];
static const bool mapped[1] = { true };
const struct guest_mem_fake guest_mem_fake = { .va = ARG_VA, .mem = mem, .size = 4096, .page_mapped = mapped };

static struct shared_info shinfo;
static struct domain dom = { .domain_id = 1, .shared_info = &shinfo };
static struct vcpu v0 = { .vcpu_id = 0, .domain = &dom };
static struct vcpu v40 = { .vcpu_id = 40, .domain = &dom };
static uint8_t frame[4096] __attribute__((aligned(4096)));
static unsigned initialises, page_refs;

/* ---- what vcpu.c calls ------------------------------------------------- */
void arch_timer_program(uint64_t deadline) { (void)deadline; }
void *arch_phys_to_virt(uint64_t pa) { assert_int_equal(pa, 0x1234000); return frame; }
void arch_vcpu_time_update(struct vcpu *v) { (void)v; }
int arch_vcpu_initialise(struct vcpu *v, uint64_t ctxt) { (void)v, (void)ctxt; initialises++; return 0; }
bool arch_vcpu_initialised(struct vcpu *v) { (void)v; return false; }
int get_page_and_type(struct domain *d, mfn_t mfn, unsigned type)
{
	(void)d, (void)mfn, (void)type;
	page_refs++;
	return 0;
}
void sched_start_vcpu(struct vcpu *v) { (void)v; }
void sched_remove_vcpu(struct vcpu *v) { (void)v; }
void sched_vcpu_init(struct vcpu *v) { (void)v; }
void sched_get_runstate(struct vcpu *v, struct vcpu_runstate_info *info) { (void)v; memset(info, 0, sizeof(*info)); }
void sched_set_runstate_area(struct vcpu *v, uint64_t va) { (void)v, (void)va; }
void evtchn_send_virq(struct vcpu *v, unsigned virq) { (void)v, (void)virq; }
void domain_shutdown(struct domain *d, unsigned reason) { (void)d, (void)reason; }
cpumask_t arch_cpus_online(void) { return 1; }
uint64_t arch_cpu_physid(unsigned cpu) { return cpu; }

static int setup(void **state)
{
	(void)state;
	set_current_vcpu(&v0);
	memset(frame, 0, sizeof(frame));
	memset(mem, 0, sizeof(mem));
	dom.max_vcpus = 41;
	dom.vcpus[0] = &v0;
	dom.vcpus[40] = &v40;
	v0.vcpu_info = &shinfo.vcpu_info[0];
	v40.vcpu_info = NULL;   /* as domain_create leaves it: no slot in shared_info */
	v40.vcpu_info_moved = false;
	initialises = page_refs = 0;
	return 0;
}

static int64_t register_at(unsigned vcpu, uint32_t offset)
{
	struct vcpu_register_vcpu_info r = { .mfn = 0x1234, .offset = offset };

	memcpy(mem, &r, sizeof(r));
	return do_vcpu_op(current_vcpu(), (uint64_t[6]){ VCPUOP_register_vcpu_info, vcpu, ARG_VA });
}

static void test_register_beyond_32(void **state)
{
	struct vcpu_info *vi = (struct vcpu_info *)(frame + 64);

	(void)state;
	memset(frame, 0xa5, sizeof(frame));
	assert_int_equal(register_at(40, 64), 0);
	assert_ptr_equal(v40.vcpu_info, vi);
	assert_true(v40.vcpu_info_moved);
	assert_int_equal(page_refs, 1);
	/* a fresh vCPU's record: events masked, nothing else carried over */
	assert_int_equal(vi->evtchn_upcall_mask, 1);
	assert_int_equal(vi->evtchn_pending_sel, 0);
	assert_int_equal(register_at(40, 64), -XEN_EINVAL);   /* once only */
}

static void test_initialise_needs_vcpu_info(void **state)
{
	(void)state;
	assert_int_equal(do_vcpu_op(current_vcpu(), (uint64_t[6]){ VCPUOP_initialise, 40, ARG_VA }), -XEN_EINVAL);
	assert_int_equal(initialises, 0);
	assert_int_equal(register_at(40, 0), 0);
	assert_int_equal(do_vcpu_op(current_vcpu(), (uint64_t[6]){ VCPUOP_initialise, 40, ARG_VA }), 0);
	assert_int_equal(initialises, 1);
}

/* Below 32 nothing changes: the shared_info slot is copied, upcall flagged. */
static void test_register_in_shared_info(void **state)
{
	struct vcpu_info *vi = (struct vcpu_info *)frame;

	(void)state;
	shinfo.vcpu_info[0].evtchn_pending_sel = 0x5;
	assert_int_equal(register_at(0, 0), 0);
	assert_int_equal(vi->evtchn_pending_sel, 0x5);
	assert_int_equal(vi->evtchn_upcall_pending, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_register_beyond_32, setup),
		cmocka_unit_test_setup(test_initialise_needs_vcpu_info, setup),
		cmocka_unit_test_setup(test_register_in_shared_info, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
