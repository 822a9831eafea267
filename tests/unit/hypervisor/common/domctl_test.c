/*
 * domctl's checks in Xen's order (interface version, then the named domain,
 * then the caller's privilege), which a test kernel cannot reach for the
 * privilege part (it runs as Dom0); that a refused or failed command copies
 * nothing back; and destroydomain's continuation. common/domctl.c over
 * stubs for the domain and scheduler calls it makes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake/guest_mem.h"
#include "fake/machine.h"
#include <domain.h>
#include <event.h>
#include <hypercall.h>
#include <sched.h>
#include <console.h>
#include <public/domctl.h>
#include <public/errno.h>
#include <wake_stats.h>
#include <public/sysctl.h>
#include <public/vcpu.h>

#define OP_VA 0x10000ULL
#define MEM_SIZE (4 * 4096)
#define CTX_VA (OP_VA + 4096)                  /* a whole vcpu_guest_context fits */
#define CTX_FAULT_VA (OP_VA + MEM_SIZE - 64)   /* one that runs off the end */
static uint8_t mem[MEM_SIZE];
static const bool mapped[4] = { true, true, true, true };
const struct guest_mem_fake guest_mem_fake = { .va = OP_VA, .mem = mem, .size = MEM_SIZE, .page_mapped = mapped };

static struct domain dom0 = { .domain_id = 0, .is_privileged = true };
static struct domain dom1 = { .domain_id = 1 };
static struct vcpu caller, dom1_vcpu0 = { .vcpu_id = 0, .domain = &dom1 };
struct domain *domain0;

static unsigned creates, destroys, continuations;
static int destroy_rc;

struct domain *domain_create(domid_t id, unsigned max_vcpus, bool privileged)
{
	(void)id, (void)max_vcpus, (void)privileged;
	creates++;
	return NULL;   /* out of memory: nothing may be copied back */
}
int domain_destroy(struct domain *d) { (void)d; destroys++; return destroy_rc; }
int evtchn_set_max_port(struct domain *d, uint32_t max_port) { (void)d, (void)max_port; return 0; }
void sched_get_runstate(struct vcpu *v, struct vcpu_runstate_info *info)
{
	(void)v;
	memset(info, 0, sizeof(*info));
}
/* the scheduler and arch calls of the pause and vCPU domctls, recorded */
static unsigned paused_domains, unpaused_domains, waits, vcpu_pauses, vcpu_unpauses;
static unsigned checks, applies, starts, removes;
static int check_rc;
static void (*while_waiting)(void);
void sched_pause_domain(struct domain *d) { (void)d; paused_domains++; }
void sched_unpause_domain(struct domain *d) { (void)d; unpaused_domains++; }
void sched_pause_vcpu(struct vcpu *v) { (void)v; vcpu_pauses++; }
void sched_unpause_vcpu(struct vcpu *v) { (void)v; vcpu_unpauses++; }
void sched_wait_unloaded(const struct domain *d, const struct vcpu *only)
{
	(void)d, (void)only;
	waits++;
	if (while_waiting)
		while_waiting();   /* what another CPU does while the big lock is let go */
}
void sched_start_vcpu(struct vcpu *v) { v->online = true; starts++; }
void sched_remove_vcpu(struct vcpu *v) { (void)v; removes++; }
void sched_set_affinity(struct vcpu *v, cpumask_t hard) { v->cpu_affinity = hard; }
cpumask_t arch_cpus_online(void) { return 3; }
int arch_vcpu_context_check(struct vcpu *v, const struct vcpu_guest_context *c)
{
	(void)v, (void)c;
	checks++;
	return check_rc;
}
void arch_vcpu_context_apply(struct vcpu *v, const struct vcpu_guest_context *c) { (void)v, (void)c; applies++; }
void arch_vcpu_context_get(struct vcpu *v, struct vcpu_guest_context *c) { (void)v; memset(c, 0, sizeof(*c)); }
bool arch_vcpu_context_set(struct vcpu *v) { (void)v; return true; }
/* after the fake machine recorded a continuation */
static void check_continuation(void)
{
	assert_true(fake_continuation.nr == __HYPERVISOR_domctl || fake_continuation.nr == __HYPERVISOR_sysctl);
	assert_int_equal(fake_continuation.args[0], OP_VA);
	continuations++;
}

static struct xen_domctl *op(void) { return (struct xen_domctl *)mem; }

static int64_t call(struct domain *as, uint32_t cmd, domid_t dom, uint32_t version)
{
	caller.domain = as;
	memset(mem, 0, sizeof(mem));
	op()->cmd = cmd;
	op()->domain = dom;
	op()->interface_version = version;
	return do_domctl(current_vcpu(), (uint64_t[6]){ OP_VA });
}

static int setup(void **state)
{
	(void)state;
	dom0.next = &dom1;
	dom1.next = NULL;
	dom1.max_vcpus = 1;
	dom1.vcpus[0] = NULL;
	dom1.pause_count = 0;
	dom1_vcpu0.online = false;
	paused_domains = unpaused_domains = waits = vcpu_pauses = vcpu_unpauses = 0;
	checks = applies = starts = removes = 0;
	check_rc = 0;
	while_waiting = NULL;
	domain_list = &dom0;
	domain0 = &dom0;
	creates = destroys = continuations = 0;
	destroy_rc = 0;
	set_current_vcpu(&caller);
	fake_on_continuation = check_continuation;
	return 0;
}

static void test_unprivileged_refused(void **state)
{
	(void)state;
	assert_int_equal(call(&dom1, XEN_DOMCTL_getdomaininfo, 1, XEN_DOMCTL_INTERFACE_VERSION), -XEN_EPERM);
	assert_int_equal(op()->u.getdomaininfo.max_vcpu_id, 0);   /* nothing copied back (it would be ~0) */
	assert_int_equal(call(&dom1, XEN_DOMCTL_createdomain, 0, XEN_DOMCTL_INTERFACE_VERSION), -XEN_EPERM);
	assert_int_equal(call(&dom1, XEN_DOMCTL_destroydomain, 0, XEN_DOMCTL_INTERFACE_VERSION), -XEN_EPERM);
	assert_int_equal(call(&dom1, XEN_DOMCTL_pausedomain, 1, XEN_DOMCTL_INTERFACE_VERSION), -XEN_EPERM);
	assert_int_equal(call(&dom1, 9999, 1, XEN_DOMCTL_INTERFACE_VERSION), -XEN_EPERM);
	assert_int_equal(creates + destroys, 0);
	/* the same as Dom0 does copy back */
	assert_int_equal(call(&dom0, XEN_DOMCTL_getdomaininfo, 1, XEN_DOMCTL_INTERFACE_VERSION), 0);
	assert_int_equal(op()->u.getdomaininfo.max_vcpu_id, XEN_INVALID_MAX_VCPU_ID);
}

/* Xen's order: the version first, then the domain, then the privilege. */
static void test_check_order(void **state)
{
	(void)state;
	assert_int_equal(call(&dom1, XEN_DOMCTL_getdomaininfo, 0, 0x14), -XEN_EACCES);
	assert_int_equal(call(&dom1, XEN_DOMCTL_destroydomain, 7, XEN_DOMCTL_INTERFACE_VERSION), -XEN_ESRCH);
	assert_int_equal(call(&dom0, 9999, 7, XEN_DOMCTL_INTERFACE_VERSION), -XEN_ESRCH);
	assert_int_equal(call(&dom0, 9999, 1, XEN_DOMCTL_INTERFACE_VERSION), -XEN_ENOSYS);
	caller.domain = &dom0;
	assert_int_equal(do_domctl(current_vcpu(), (uint64_t[6]){ OP_VA + MEM_SIZE }), -XEN_EFAULT);
}

static void test_failed_create_copies_nothing(void **state)
{
	(void)state;
	caller.domain = &dom0;
	memset(mem, 0, sizeof(mem));
	op()->cmd = XEN_DOMCTL_createdomain;
	op()->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	op()->domain = 0;
	op()->u.createdomain.max_vcpus = 1;
	op()->u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(1);
	op()->u.createdomain.max_grant_frames = -1;
	op()->u.createdomain.max_maptrack_frames = -1;
	assert_int_equal(do_domctl(current_vcpu(), (uint64_t[6]){ OP_VA }), -XEN_ENOMEM);
	assert_int_equal(creates, 1);
	assert_int_equal(op()->domain, 0);   /* the picked id did not reach the caller */
}

static void test_destroy_continues(void **state)
{
	(void)state;
	destroy_rc = -XEN_ERESTART;
	assert_int_equal(call(&dom0, XEN_DOMCTL_destroydomain, 1, XEN_DOMCTL_INTERFACE_VERSION),
			 __HYPERVISOR_domctl);
	assert_int_equal(continuations, 1);
	destroy_rc = 0;
	assert_int_equal(call(&dom0, XEN_DOMCTL_destroydomain, 1, XEN_DOMCTL_INTERFACE_VERSION), 0);
	assert_int_equal(destroys, 2);
	/* never the caller itself */
	assert_int_equal(call(&dom0, XEN_DOMCTL_destroydomain, 0, XEN_DOMCTL_INTERFACE_VERSION), -XEN_EINVAL);
	assert_int_equal(destroys, 2);
}

/* The vCPU domctls, like every other, are Dom0's: a DomU reaches no worker. */
static void test_vcpu_domctls_unprivileged(void **state)
{
	static const uint32_t cmds[] = { XEN_DOMCTL_setvcpucontext, XEN_DOMCTL_getvcpucontext,
					 XEN_DOMCTL_getvcpuinfo, XEN_DOMCTL_setvcpuaffinity,
					 XEN_DOMCTL_getvcpuaffinity, XEN_DOMCTL_unpausedomain };

	(void)state;
	dom1.vcpus[0] = &dom1_vcpu0;
	dom1.pause_count = 1;
	for (unsigned i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		assert_int_equal(call(&dom1, cmds[i], 1, XEN_DOMCTL_INTERFACE_VERSION), -XEN_EPERM);
	assert_int_equal(checks + applies + vcpu_pauses + unpaused_domains, 0);
	assert_int_equal(dom1.pause_count, 1);
}

static int64_t set_context(uint32_t vcpu, uint64_t ctxt)
{
	caller.domain = &dom0;
	memset(mem, 0, sizeof(struct xen_domctl));   /* the context after it stays */
	op()->cmd = XEN_DOMCTL_setvcpucontext;
	op()->domain = 1;
	op()->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	op()->u.vcpucontext.vcpu = vcpu;
	op()->u.vcpucontext.ctxt = ctxt;
	return do_domctl(current_vcpu(), (uint64_t[6]){ OP_VA });
}

/*
 * setvcpucontext: the vCPU is paused and off its CPU before the check; a
 * refused context is not applied and leaves the vCPU down; an unreadable
 * one is refused before anything is paused.
 */
static void test_setvcpucontext_validate_then_act(void **state)
{
	struct vcpu_guest_context *c = (struct vcpu_guest_context *)(mem + (CTX_VA - OP_VA));

	(void)state;
	dom1.vcpus[0] = &dom1_vcpu0;
	assert_int_equal(set_context(1, CTX_VA), -XEN_EINVAL);          /* vCPU out of range */
	assert_int_equal(set_context(0, 0), -XEN_EINVAL);               /* NULL: no reset offered */
	assert_int_equal(set_context(0, CTX_FAULT_VA), -XEN_EFAULT);
	assert_int_equal(vcpu_pauses + checks, 0);
	check_rc = -XEN_EINVAL;
	c->flags = VGCF_online;
	assert_int_equal(set_context(0, CTX_VA), -XEN_EINVAL);
	assert_int_equal(vcpu_pauses, 1);
	assert_int_equal(waits, 1);
	assert_int_equal(checks, 1);
	assert_int_equal(applies, 0);
	assert_int_equal(vcpu_unpauses, 1);
	assert_false(dom1_vcpu0.online);
	assert_int_equal(starts, 0);
	check_rc = 0;
	c->flags = VGCF_online;
	assert_int_equal(set_context(0, CTX_VA), 0);
	assert_int_equal(applies, 1);
	assert_int_equal(starts, 1);
	assert_true(dom1_vcpu0.online);
	assert_int_equal(vcpu_unpauses, 2);
	/* without VGCF_online: down */
	c->flags = 0;
	assert_int_equal(set_context(0, CTX_VA), 0);
	assert_int_equal(removes, 1);
	assert_false(dom1_vcpu0.online);
}

static int64_t nested_rc;

static void other_cpu_domctl(void)
{
	nested_rc = call(&dom0, XEN_DOMCTL_getvcpuinfo, 1, XEN_DOMCTL_INTERFACE_VERSION);
}

/*
 * pausedomain counts, stops the vCPUs and waits until they are off every
 * CPU; meanwhile a second domctl (another Dom0 vCPU) continues instead of
 * running, so two of them never wait for each other. Unpause follows.
 */
static void test_pause_waits(void **state)
{
	(void)state;
	dom1.vcpus[0] = &dom1_vcpu0;
	while_waiting = other_cpu_domctl;
	assert_int_equal(call(&dom0, XEN_DOMCTL_pausedomain, 1, XEN_DOMCTL_INTERFACE_VERSION), 0);
	assert_int_equal(dom1.pause_count, 1);
	assert_int_equal(paused_domains, 1);
	assert_int_equal(waits, 1);
	assert_int_equal(nested_rc, __HYPERVISOR_domctl);
	assert_int_equal(continuations, 1);
	while_waiting = NULL;
	/* and once the first is done, the second runs */
	assert_int_equal(call(&dom0, XEN_DOMCTL_getvcpuinfo, 1, XEN_DOMCTL_INTERFACE_VERSION), 0);
	assert_int_equal(call(&dom0, XEN_DOMCTL_unpausedomain, 1, XEN_DOMCTL_INTERFACE_VERSION), 0);
	assert_int_equal(dom1.pause_count, 0);
	assert_int_equal(unpaused_domains, 1);
	assert_int_equal(call(&dom0, XEN_DOMCTL_unpausedomain, 1, XEN_DOMCTL_INTERFACE_VERSION), -XEN_EINVAL);
	dom1.pause_count = 255;
	assert_int_equal(call(&dom0, XEN_DOMCTL_pausedomain, 1, XEN_DOMCTL_INTERFACE_VERSION), -XEN_EOVERFLOW);
	assert_int_equal(paused_domains, 1);
}

extern unsigned ctl_shim_calls;
int64_t do_sysctl(struct vcpu *v, const uint64_t args[6]);

/*
 * Who may do what: every domctl and sysctl this hypervisor implements,
 * issued by a DomU, naming itself and naming another domain, is -EPERM
 * (after the version and domain checks), and nothing reaches a worker.
 */
static void test_domu_refused_everything(void **state)
{
	(void)state;
	ctl_shim_calls = 0;
	for (uint32_t cmd = 0; cmd < 100; cmd++) {
		int64_t rc_self = call(&dom1, cmd, 1, XEN_DOMCTL_INTERFACE_VERSION);
		int64_t rc_other = call(&dom1, cmd, 0, XEN_DOMCTL_INTERFACE_VERSION);

		if (rc_self != -XEN_EPERM || rc_other != -XEN_EPERM)
			fail_msg("domctl %u from a DomU: %lld / %lld", cmd, (long long)rc_self, (long long)rc_other);
	}
	for (uint32_t cmd = 0; cmd < 40; cmd++) {
		caller.domain = &dom1;
		memset(mem, 0, sizeof(mem));
		((struct xen_sysctl *)mem)->cmd = cmd;
		((struct xen_sysctl *)mem)->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
		assert_int_equal(do_sysctl(current_vcpu(), (uint64_t[6]){ OP_VA }), -XEN_EPERM);
	}
	assert_int_equal(ctl_shim_calls + creates + destroys, 0);
	assert_int_equal(dom1.weight, 0);
}

/* A compat (32-bit) guest width is what a Xen without 32-bit PV answers. */
static void test_address_size_32(void **state)
{
	(void)state;
	caller.domain = &dom0;
	memset(mem, 0, sizeof(mem));
	op()->cmd = XEN_DOMCTL_set_address_size;
	op()->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	op()->domain = 1;
	op()->u.address_size.size = 32;
	assert_int_equal(do_domctl(current_vcpu(), (uint64_t[6]){ OP_VA }), -XEN_EOPNOTSUPP);
	op()->u.address_size.size = 64;
	assert_int_equal(do_domctl(current_vcpu(), (uint64_t[6]){ OP_VA }), 0);
	assert_int_equal(dom1.address_size, 64);
}

static uint64_t ring_buffer = OP_VA + 1024;

static int64_t readconsole(uint8_t clear, uint8_t incremental, uint32_t index, uint32_t count)
{
	struct xen_sysctl *sop = (struct xen_sysctl *)mem;

	caller.domain = &dom0;
	memset(mem, 0, sizeof(mem));
	sop->cmd = XEN_SYSCTL_readconsole;
	sop->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	sop->u.readconsole.clear = clear;
	sop->u.readconsole.incremental = incremental;
	sop->u.readconsole.index = index;
	sop->u.readconsole.buffer = ring_buffer;
	sop->u.readconsole.count = count;
	return do_sysctl(current_vcpu(), (uint64_t[6]){ OP_VA });
}

/*
 * The log ring keeps the last CONRING_SIZE bytes: after printing more
 * than that, a reader starts at the oldest kept byte, and an incremental
 * reader whose index fell out of the ring starts there too.
 */
static void test_log_ring_wraps(void **state)
{
	struct xen_sysctl *sop = (struct xen_sysctl *)mem;
	uint32_t end, oldest;

	(void)state;
	for (unsigned i = 0; i < CONRING_SIZE / 10 + 100; i++)
		printk("%09u\n", i);   /* 10 bytes each */
	assert_int_equal(readconsole(0, 0, 0, 0), 0);
	end = sop->u.readconsole.index;
	conring_bounds(&oldest, &end);
	assert_int_equal(end - oldest, CONRING_SIZE);
	assert_int_equal(readconsole(0, 1, oldest - 5, 20), 0);   /* fell out: from the oldest */
	assert_int_equal(sop->u.readconsole.index, oldest + 20);
	assert_int_equal(sop->u.readconsole.count, 20);
	/* the newest bytes are the last line printed */
	assert_int_equal(readconsole(0, 1, end - 10, 100), 0);
	assert_int_equal(sop->u.readconsole.count, 10);
	assert_memory_equal(mem + 1024, "000001737\n", 10);
	/* a buffer running past the guest's memory: -EFAULT, nothing cleared */
	ring_buffer = OP_VA + MEM_SIZE - 96;
	assert_int_equal(readconsole(1, 0, 0, 200), -XEN_EFAULT);
	ring_buffer = OP_VA + 1024;
	conring_bounds(&oldest, &end);
	assert_int_equal(end - oldest, CONRING_SIZE);
	/* clear all: empty */
	assert_int_equal(readconsole(1, 0, 0, 3000), 0);
	assert_int_equal(readconsole(1, 0, 0, 3000), 0);
	assert_int_equal(sop->u.readconsole.count, 3000);
	conring_bounds(&oldest, &end);
	assert_int_equal(end - oldest, CONRING_SIZE - 6000);
}

/*
 * setvcpuaffinity with a bitmap of nr_bits so large that (nr_bits + 7) / 8
 * wraps to 0 (found by hv_ctl_fuzz): nothing is read and the empty map is
 * refused, as on Xen; before the fix the partial last byte was masked at
 * index -1 (a wild write 4 GiB past the hypervisor's stack buffer).
 */
static void test_affinity_nr_bits_wraps(void **state)
{
	static const uint32_t nr_bits[] = { 0xffffffffu, 0xfffffff9u, 0xfffffffcu };
	struct xen_domctl_vcpuaffinity *a = &op()->u.vcpuaffinity;

	(void)state;
	dom1.vcpus[0] = &dom1_vcpu0;
	dom1_vcpu0.cpu_affinity = 1;
	for (unsigned i = 0; i < sizeof(nr_bits) / sizeof(nr_bits[0]); i++) {
		caller.domain = &dom0;
		memset(mem, 0xff, sizeof(mem));
		memset(op(), 0, sizeof(*op()));
		op()->cmd = XEN_DOMCTL_setvcpuaffinity;
		op()->domain = 1;
		op()->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
		a->vcpu = 0;
		a->flags = XEN_VCPUAFFINITY_HARD;
		a->cpumap_hard.bitmap = OP_VA + 2048;
		a->cpumap_hard.nr_bits = nr_bits[i];
		assert_int_equal(do_domctl(current_vcpu(), (uint64_t[6]){ OP_VA }), -XEN_EINVAL);
		assert_int_equal(dom1_vcpu0.cpu_affinity, 1);
	}
}

static int64_t debug_keys(struct domain *by, uint64_t keys_va, uint32_t nr)
{
	struct xen_sysctl *sop = (struct xen_sysctl *)mem;

	caller.domain = by;
	memset(sop, 0, sizeof(*sop));
	sop->cmd = XEN_SYSCTL_debug_keys;
	sop->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	sop->u.debug_keys.keys = keys_va;
	sop->u.debug_keys.nr_keys = nr;
	return do_sysctl(current_vcpu(), (uint64_t[6]){ OP_VA });
}

/* The log since the ring's position *from, NUL-terminated at mem + 2048. */
static const char *log_since(uint32_t from)
{
	struct xen_sysctl *sop = (struct xen_sysctl *)mem;
	char *out = (char *)mem + 2048;
	uint32_t n;

	assert_int_equal(readconsole(0, 1, from, 1000), 0);
	n = sop->u.readconsole.count;
	memmove(out, mem + 1024, n);
	out[n] = 0;
	return out;
}

/*
 * Debug keys: 'g' reports every domain's grant table (xl debug-keys g), an
 * unknown key nothing; a DomU is refused; keys past the caller's memory
 * are -EFAULT after the ones before them were handled, as Xen.
 */
static void test_debug_keys(void **state)
{
	uint32_t oldest, end;

	(void)state;
	memcpy(mem + 512, "xgq", 3);
	conring_bounds(&oldest, &end);
	assert_int_equal(debug_keys(&dom0, OP_VA + 512, 3), 0);
	assert_non_null(strstr(log_since(end), "usage of d0\nusage of d1\n"));
	conring_bounds(&oldest, &end);
	assert_int_equal(debug_keys(&dom0, OP_VA + 512, 1), 0);   /* 'x': no handler */
	assert_string_equal(log_since(end), "");
	assert_int_equal(debug_keys(&dom1, OP_VA + 512, 3), -XEN_EPERM);
	assert_string_equal(log_since(end), "");
	memcpy(mem + MEM_SIZE - 1, "g", 1);
	assert_int_equal(debug_keys(&dom0, OP_VA + MEM_SIZE - 1, 2), -XEN_EFAULT);
	assert_non_null(strstr(log_since(end), "usage of d1\n"));
	conring_bounds(&oldest, &end);
	assert_int_equal(debug_keys(&dom0, OP_VA + 512, 0), 0);
	assert_string_equal(log_since(end), "");
	/* 'p' prints the wake-up counters (what was counted), 'P' clears them */
	wake_stats.evtchn_sends = 7;
	wake_stats.hypercalls[29] = 3;
	memcpy(mem + 512, "pPp", 3);
	conring_bounds(&oldest, &end);
	assert_int_equal(debug_keys(&dom0, OP_VA + 512, 1), 0);
	assert_non_null(strstr(log_since(end), "wake-stats hypercalls: 29=3\n"));
	assert_non_null(strstr(log_since(end), "wake-stats events: send=7 "));
	memcpy(mem + 512, "pPp", 3);   /* the sysctl struct may reach it: put back */
	conring_bounds(&oldest, &end);
	assert_int_equal(debug_keys(&dom0, OP_VA + 513, 2), 0);
	assert_non_null(strstr(log_since(end), "wake-stats hypercalls:\n"));
	assert_non_null(strstr(log_since(end), "wake-stats events: send=0 "));
	assert_int_equal(wake_stats.evtchn_sends, 0);
}

static unsigned count_of(const char *s, const char *what)
{
	unsigned n = 0;

	for (; (s = strstr(s, what)); s++)
		n++;
	return n;
}

/*
 * A long key string stops for continuations when asked: the keys handled
 * are taken off the front of the caller's op, every key is handled once,
 * and the call ends with 0 (before, the whole string in one go).
 */
static void test_debug_keys_continue(void **state)
{
	struct xen_sysctl *sop = (struct xen_sysctl *)mem;
	uint32_t oldest, end;
	unsigned calls = 1;
	int64_t rc;

	(void)state;
	memcpy(mem + 512, "gxxgxxxg", 8);
	conring_bounds(&oldest, &end);
	fake_preempt_reset();
	fake_preempt_every = 3;
	continuations = 0;
	rc = debug_keys(&dom0, OP_VA + 512, 8);
	while (rc == __HYPERVISOR_sysctl) {
		assert_int_equal(sop->u.debug_keys.keys + sop->u.debug_keys.nr_keys, OP_VA + 512 + 8);
		calls++;
		rc = do_sysctl(current_vcpu(), (uint64_t[6]){ OP_VA });
	}
	fake_preempt_reset();
	assert_int_equal(rc, 0);
	assert_true(calls >= 3);
	assert_int_equal(continuations, calls - 1);
	assert_int_equal(count_of(log_since(end), "usage of d0\n"), 3);
}

/*
 * A CPU map longer than 4096 bytes is refused, going out or in, before
 * anything is written or set (zeroing the tail of a map of 2^32 bits held
 * the big lock for seconds); 4096 bytes are still filled, as Xen.
 */
static void test_bitmap_bounded(void **state)
{
	struct xen_domctl_vcpuaffinity *a = &op()->u.vcpuaffinity;

	(void)state;
	dom1.vcpus[0] = &dom1_vcpu0;
	dom1_vcpu0.cpu_affinity = 1;
	for (unsigned set = 0; set < 2; set++)
		for (uint32_t bytes = 4096; bytes <= 4097; bytes++) {
			caller.domain = &dom0;
			memset(mem, 0xff, sizeof(mem));
			memset(op(), 0, sizeof(*op()));
			op()->cmd = set ? XEN_DOMCTL_setvcpuaffinity : XEN_DOMCTL_getvcpuaffinity;
			op()->domain = 1;
			op()->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
			a->flags = XEN_VCPUAFFINITY_HARD;
			a->cpumap_hard.bitmap = OP_VA + 2048;
			a->cpumap_hard.nr_bits = bytes * 8;
			mem[2048] = 2;   /* a set asks for CPU 1 */
			assert_int_equal(do_domctl(current_vcpu(), (uint64_t[6]){ OP_VA }),
					 bytes > 4096 ? -XEN_E2BIG : 0);
			assert_int_equal(mem[2048 + 4095], bytes > 4096 ? 0xff : 0);
			assert_int_equal(dom1_vcpu0.cpu_affinity, set && bytes == 4096 ? 2 : 1);
			dom1_vcpu0.cpu_affinity = 1;
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_unprivileged_refused, setup),
		cmocka_unit_test_setup(test_check_order, setup),
		cmocka_unit_test_setup(test_failed_create_copies_nothing, setup),
		cmocka_unit_test_setup(test_destroy_continues, setup),
		cmocka_unit_test_setup(test_vcpu_domctls_unprivileged, setup),
		cmocka_unit_test_setup(test_setvcpucontext_validate_then_act, setup),
		cmocka_unit_test_setup(test_pause_waits, setup),
		cmocka_unit_test_setup(test_domu_refused_everything, setup),
		cmocka_unit_test_setup(test_address_size_32, setup),
		cmocka_unit_test_setup(test_log_ring_wraps, setup),
		cmocka_unit_test_setup(test_affinity_nr_bits_wraps, setup),
		cmocka_unit_test_setup(test_debug_keys, setup),
		cmocka_unit_test_setup(test_debug_keys_continue, setup),
		cmocka_unit_test_setup(test_bitmap_bounded, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
