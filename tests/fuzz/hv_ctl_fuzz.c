/*
 * libFuzzer harness over the domctl and sysctl dispatchers (common/domctl.c,
 * common/sysctl.c and every worker in their tables), on the unit shims of
 * tests/unit/hypervisor/common/domctl_test.c: random commands and argument bytes from Dom0
 * (privileged) and from a DomU.
 *
 * After every call:
 *   - from the DomU: the answer is one of the dispatcher's refusals
 *     (-EFAULT, -EACCES, -ESRCH, -EPERM), and nothing changed: no stub of
 *     the workers' was called (ctl_shim_calls and the harness's counters),
 *     no domain or vCPU structure differs by a byte, guest memory is as it
 *     was (no copy back), no continuation was made;
 *   - from Dom0: the domain list is sound (no cycle, unique ids below the
 *     reserved ones, Dom0 alive and privileged), each domain's vCPUs belong
 *     to it at their index and none lies past max_vcpus, pause counts stay
 *     within their limit, and every hard affinity names an online CPU;
 *   - always: no crash, no sanitizer report, continuations finish.
 *
 * Input: byte 0 seeds how many times a destroy continues (-ERESTART);
 * then calls of 4 + n bytes each: [who/kind] [cmd] [domain] [n] and n
 * argument bytes laid over the op's union (some 8-byte slots turned into
 * pointers into guest memory by the kind byte).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake/guest_mem.h"
#include "fake/machine.h"
#include <domain.h>
#include <hypercall.h>
#include <sched.h>
#include <public/domctl.h>
#include <public/errno.h>
#include <public/sysctl.h>
#include <public/vcpu.h>

#define OP_VA    0x10000ULL
#define MEM_SIZE (4 * 4096)
static uint8_t mem[MEM_SIZE];
static const bool mapped[4] = { true, true, true, true };
const struct guest_mem_fake guest_mem_fake = { .va = OP_VA, .mem = mem, .size = MEM_SIZE, .page_mapped = mapped };

#define MAX_DOMAINS 8
extern unsigned ctl_shim_calls, ctl_shim_virqs_sent;
int64_t do_sysctl(struct vcpu *v, const uint64_t args[6]);
int64_t do_domctl(struct vcpu *v, const uint64_t args[6]);

static struct domain dom0 = { .domain_id = 0, .is_privileged = true };
static struct domain domu = { .domain_id = 1 };
static struct vcpu dom0_vcpu = { .domain = &dom0 }, domu_vcpu = { .domain = &domu };
static struct vcpu *caller;
struct domain *domain0;

static unsigned created, restarts_left, restarts_each, harness_calls, continuations;
static bool cont_pending;

#define FAIL(...) do { fprintf(stderr, "INVARIANT VIOLATED: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

/* ---- What the workers call (as tests/unit/hypervisor/common/domctl_test.c's, but with real domains) ---- */

struct domain *domain_create(domid_t id, unsigned max_vcpus, bool privileged)
{
	struct domain *d, **tail = &domain_list;

	harness_calls++;
	if (created >= MAX_DOMAINS || max_vcpus > MAX_VIRT_CPUS)
		return NULL;
	d = calloc(1, sizeof(*d));
	d->domain_id = id;
	d->is_privileged = privileged;
	d->max_vcpus = max_vcpus;
	for (unsigned i = 0; i < max_vcpus; i++) {
		d->vcpus[i] = calloc(1, sizeof(struct vcpu));
		d->vcpus[i]->vcpu_id = i;
		d->vcpus[i]->domain = d;
		d->vcpus[i]->cpu_affinity = 3;
	}
	while (*tail)
		tail = &(*tail)->next;
	*tail = d;
	created++;
	return d;
}

static void free_domain(struct domain *d)
{
	for (unsigned i = 0; i < d->max_vcpus; i++)
		free(d->vcpus[i]);
	free(d);
}

/* As domain_teardown.c: marked dying at once; the work continues restarts_each times. */
int domain_destroy(struct domain *d)
{
	harness_calls++;
	if (d == &dom0)
		FAIL("domain_destroy of Dom0, the caller");
	if (!d->is_dying) {
		d->is_dying = true;
		restarts_left = restarts_each;
	}
	if (restarts_left) {
		restarts_left--;
		return -XEN_ERESTART;
	}
	return 0;
}

/* The reaper: a dead domain whose frames went leaves the list (outside any domctl). */
static void reap(void)
{
	for (struct domain **p = &domain_list; *p;)
		if ((*p)->is_dying && *p != &dom0 && *p != &domu && !restarts_left) {
			struct domain *d = *p;
			*p = d->next;
			free_domain(d);
		} else {
			p = &(*p)->next;
		}
}

int evtchn_set_max_port(struct domain *d, uint32_t max_port) { harness_calls++; return 0; }
void sched_get_runstate(struct vcpu *v, struct vcpu_runstate_info *info) { memset(info, 0, sizeof(*info)); }
void sched_pause_domain(struct domain *d) { harness_calls++; }
void sched_unpause_domain(struct domain *d) { harness_calls++; }
void sched_pause_vcpu(struct vcpu *v) { harness_calls++; }
void sched_unpause_vcpu(struct vcpu *v) { harness_calls++; }
void sched_wait_unloaded(const struct domain *d, const struct vcpu *only) { harness_calls++; }
void sched_start_vcpu(struct vcpu *v) { v->online = true; harness_calls++; }
void sched_remove_vcpu(struct vcpu *v) { v->online = false; harness_calls++; }
void sched_set_affinity(struct vcpu *v, cpumask_t hard) { v->cpu_affinity = hard; harness_calls++; }
cpumask_t arch_cpus_online(void) { return 3; }
int arch_vcpu_context_check(struct vcpu *v, const struct vcpu_guest_context *c)
{
	harness_calls++;
	return c->user_regs.rip & 1 ? -XEN_EINVAL : 0;   /* some contexts are refused */
}
void arch_vcpu_context_apply(struct vcpu *v, const struct vcpu_guest_context *c) { harness_calls++; }
void arch_vcpu_context_get(struct vcpu *v, struct vcpu_guest_context *c) { memset(c, 0, sizeof(*c)); }
bool arch_vcpu_context_set(struct vcpu *v) { return true; }
/* the fake machine's hypercall_create_continuation calls this after recording */
static void check_continuation(void)
{
	uint64_t nr = fake_continuation.nr, a1 = fake_continuation.args[0];

	if (nr != __HYPERVISOR_domctl && nr != __HYPERVISOR_sysctl)
		FAIL("a continuation of hypercall %lu", (unsigned long)nr);
	if (a1 < OP_VA || a1 >= OP_VA + MEM_SIZE)
		FAIL("a continuation with argument %#lx", (unsigned long)a1);
	continuations++;
	cont_pending = true;
}

/* ---- Invariants ---------------------------------------------------------- */

/* Everything a DomU's refused call must leave as it was. */
struct snapshot {
	unsigned calls;
	uint8_t mem[MEM_SIZE];
	struct domain doms[MAX_DOMAINS + 2];
	struct vcpu vcpus[MAX_DOMAINS + 2][4];
	unsigned nr;
};
static struct snapshot before, after;

static void take(struct snapshot *s)
{
	s->calls = ctl_shim_calls + ctl_shim_virqs_sent + harness_calls + continuations;
	memcpy(s->mem, mem, MEM_SIZE);
	s->nr = 0;
	for_each_domain(d) {
		if (s->nr == MAX_DOMAINS + 2)
			FAIL("more domains than were ever created");
		s->doms[s->nr] = *d;
		for (unsigned i = 0; i < 4; i++)
			if (i < d->max_vcpus && d->vcpus[i])
				s->vcpus[s->nr][i] = *d->vcpus[i];
			else
				memset(&s->vcpus[s->nr][i], 0, sizeof(struct vcpu));
		s->nr++;
	}
}

static void check_unprivileged(int64_t rc, const char *what, uint32_t cmd)
{
	take(&after);
	if (rc != -XEN_EFAULT && rc != -XEN_EACCES && rc != -XEN_ESRCH && rc != -XEN_EPERM)
		FAIL("the DomU's %s %u answered %ld", what, cmd, (long)rc);
	if (after.calls != before.calls)
		FAIL("the DomU's %s %u reached a worker (%u calls out, were %u)", what, cmd, after.calls, before.calls);
	if (memcmp(after.mem, before.mem, MEM_SIZE))
		FAIL("the DomU's %s %u wrote guest memory", what, cmd);
	if (after.nr != before.nr || memcmp(after.doms, before.doms, sizeof(after.doms[0]) * after.nr) ||
	    memcmp(after.vcpus, before.vcpus, sizeof(after.vcpus[0]) * after.nr))
		FAIL("the DomU's %s %u changed a domain", what, cmd);
}

static void check_domains(const char *what, uint32_t cmd)
{
	unsigned n = 0;
	bool seen0 = false;

	for_each_domain(d) {
		if (++n > MAX_DOMAINS + 2)
			FAIL("after %s %u: the domain list has a cycle", what, cmd);
		if (d->domain_id >= DOMID_FIRST_RESERVED)
			FAIL("after %s %u: a domain with id %#x", what, cmd, d->domain_id);
		for (struct domain *e = d->next; e; e = e->next)
			if (e->domain_id == d->domain_id)
				FAIL("after %s %u: two domains %u", what, cmd, d->domain_id);
		if (d->max_vcpus > MAX_VIRT_CPUS)
			FAIL("after %s %u: d%u has max_vcpus %u", what, cmd, d->domain_id, d->max_vcpus);
		for (unsigned i = 0; i < MAX_VIRT_CPUS; i++) {
			struct vcpu *v = d->vcpus[i];
			if (!v)
				continue;
			if (i >= d->max_vcpus || v->domain != d || v->vcpu_id != i)
				FAIL("after %s %u: d%u vcpus[%u] is wrong", what, cmd, d->domain_id, i);
			/* kept as given (offline CPUs too, as Xen), but it must name a CPU it can run on */
			if (!(v->cpu_affinity & arch_cpus_online()))
				FAIL("after %s %u: d%u v%u hard affinity %#lx", what, cmd, d->domain_id, i,
				     (unsigned long)v->cpu_affinity);
		}
		if (d->pause_count > 255)
			FAIL("after %s %u: d%u pause count %u", what, cmd, d->domain_id, d->pause_count);
		seen0 |= d == &dom0;
	}
	if (!seen0 || dom0.is_dying || !dom0.is_privileged || domu.is_privileged)
		FAIL("after %s %u: Dom0 gone, dying or unprivileged, or the DomU privileged", what, cmd);
}

/* ---- Calls --------------------------------------------------------------- */

struct in {
	const uint8_t *p;
	size_t left;
};
static uint8_t u8(struct in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static domid_t pick_domain(uint8_t b)
{
	static const domid_t ids[] = { 0, 1, 2, 3, 4, 5, DOMID_SELF, DOMID_IO, DOMID_XEN, 0x7fef, 0xffff, 100 };

	return ids[b % 12];
}

static void one_call(struct in *in)
{
	uint8_t kind = u8(in), c = u8(in), dom = u8(in), n = u8(in) % 120;
	bool sysctl = kind & 0x40, unprivileged = kind & 0x80;
	uint8_t *op = mem;
	uint64_t arg = OP_VA;
	uint32_t cmd;
	int64_t rc;

	memset(mem, 0, MEM_SIZE);
	if (sysctl) {
		struct xen_sysctl *s = (struct xen_sysctl *)op;
		s->cmd = cmd = c < 250 ? c % 40 : PARAVANE_SYSCTL_audit;
		s->interface_version = kind & 0x20 ? XEN_SYSCTL_INTERFACE_VERSION - 1 : XEN_SYSCTL_INTERFACE_VERSION;
		for (unsigned k = 0; k < n && k < sizeof(s->u); k++)
			((uint8_t *)&s->u)[k] = u8(in);
	} else {
		struct xen_domctl *d = (struct xen_domctl *)op;
		d->cmd = cmd = c % 90;
		d->domain = pick_domain(dom);
		d->interface_version = kind & 0x20 ? XEN_DOMCTL_INTERFACE_VERSION + 1 : XEN_DOMCTL_INTERFACE_VERSION;
		for (unsigned k = 0; k < n && k < sizeof(d->u); k++)
			((uint8_t *)&d->u)[k] = u8(in);
	}
	/* bits 0-3: 8-byte slots 0, 1, 2, 4 of the union point into guest memory (buffers, contexts) */
	for (unsigned k = 0; k < 4; k++)
		if (kind >> k & 1) {
			static const unsigned slot[] = { 0, 1, 2, 4 };
			uint64_t p = OP_VA + 4096 + (uint64_t)(k * 2048) + (dom & 0x30) * 4;
			memcpy(op + (sysctl ? 8 : 16) + slot[k] * 8, &p, 8);
		}
	if ((kind & 0x30) == 0x10 && (c & 7) == 7)
		arg = OP_VA + MEM_SIZE - 8;   /* the op runs off mapped memory */
	caller = unprivileged ? &domu_vcpu : &dom0_vcpu;
	set_current_vcpu(caller);
	fake_on_continuation = check_continuation;
	take(&before);
	cont_pending = false;
	rc = sysctl ? do_sysctl(caller, (uint64_t[6]){ arg }) : do_domctl(caller, (uint64_t[6]){ arg });
	if (getenv("HV_FUZZ_TRACE"))
		fprintf(stderr, "%s %s %u dom %u = %ld%s\n", unprivileged ? "domU" : "dom0", sysctl ? "sysctl" : "domctl",
			cmd, sysctl ? 0 : ((struct xen_domctl *)op)->domain, (long)rc, cont_pending ? " (continues)" : "");
	if (unprivileged) {
		check_unprivileged(rc, sysctl ? "sysctl" : "domctl", cmd);
		return;
	}
	/* continue as the guest would, re-issuing the same op */
	for (unsigned k = 0; cont_pending; k++) {
		if (k == 64)
			FAIL("%s %u continues for ever", sysctl ? "sysctl" : "domctl", cmd);
		cont_pending = false;
		rc = sysctl ? do_sysctl(caller, (uint64_t[6]){ arg }) : do_domctl(caller, (uint64_t[6]){ arg });
	}
	check_domains(sysctl ? "sysctl" : "domctl", cmd);
}

static void reset(uint8_t first)
{
	for (struct domain *d = domain_list, *next; d; d = next) {
		next = d->next;
		if (d != &dom0 && d != &domu)
			free_domain(d);
	}
	dom0 = (struct domain){ .domain_id = 0, .is_privileged = true, .max_vcpus = 1, .next = &domu };
	domu = (struct domain){ .domain_id = 1, .max_vcpus = 1 };
	dom0_vcpu = (struct vcpu){ .domain = &dom0, .online = true, .cpu_affinity = 3 };
	domu_vcpu = (struct vcpu){ .domain = &domu, .online = true, .cpu_affinity = 3 };
	dom0.vcpus[0] = &dom0_vcpu;
	domu.vcpus[0] = &domu_vcpu;
	domain_list = &dom0;
	domain0 = &dom0;
	created = 0;
	restarts_left = 0;
	restarts_each = first % 4;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };

	reset(u8(&in));
	while (in.left) {
		one_call(&in);
		if (u8(&in) % 4 == 0)
			reap();
	}
	reset(0);
	return 0;
}
