/*
 * The domctls of a domain's vCPUs: their context (what a builder starts
 * a vCPU with), what they are doing, and where they may run
 * (public/domctl.h has each one's rules; common/domctl.c checks the
 * version, the target, privilege, dying and self before these run).
 *
 * A vCPU's registers are complete in memory only while it is on no CPU,
 * so reading or changing its context pauses it first and waits until its
 * CPU let go of it (sched_wait_unloaded; Xen's vcpu_pause does the same).
 */
#include <arch.h>
#include <domain.h>
#include <guest_access.h>
#include <sched.h>
#include <public/errno.h>
#include <public/vcpu.h>
#include "domctl.h"

static struct vcpu *vcpu_of(struct domain *d, uint32_t id)
{
	return id < d->max_vcpus ? d->vcpus[id] : NULL;
}

/* Up or down as the context's VGCF_online says (v is paused: up, it runs at unpause). */
static void set_online(struct vcpu *v, bool online)
{
	if (online && !v->online) {
		sched_start_vcpu(v);
	} else if (!online && v->online) {
		v->online = false;
		sched_remove_vcpu(v);
	}
}

int64_t domctl_setvcpucontext(struct vcpu *cur, struct domain *d, struct xen_domctl *op)
{
	struct vcpu *v = vcpu_of(d, op->u.vcpucontext.vcpu);
	struct vcpu_guest_context *c;
	int rc;

	if (!v)
		return -XEN_EINVAL;
	if (!op->u.vcpucontext.ctxt)
		return -XEN_EINVAL;   /* Xen resets the vCPU: not offered (docs/toolstack.md) */
	c = xzalloc_bytes(sizeof(*c));   /* 5 KiB: not on our stack */
	if (!c)
		return -XEN_ENOMEM;
	if (copy_from_guest(c, op->u.vcpucontext.ctxt, sizeof(*c))) {
		xfree_bytes(c, sizeof(*c));
		return -XEN_EFAULT;
	}
	sched_pause_vcpu(v);
	sched_wait_unloaded(d, v);
	/* checked now, not before the wait: d's other vCPUs may have run meanwhile */
	rc = arch_vcpu_context_check(v, c);
	if (!rc) {
		arch_vcpu_context_apply(v, c);
		set_online(v, c->flags & VGCF_online);
	}
	sched_unpause_vcpu(v);
	xfree_bytes(c, sizeof(*c));
	return rc;
}

int64_t domctl_getvcpucontext(struct vcpu *cur, struct domain *d, struct xen_domctl *op)
{
	struct vcpu *v = vcpu_of(d, op->u.vcpucontext.vcpu);
	struct vcpu_guest_context *c;
	int rc;

	if (!v || v == cur)
		return -XEN_EINVAL;   /* the calling vCPU cannot be paused */
	if (!arch_vcpu_context_set(v))
		return -XEN_ENODATA;   /* no context yet (Xen 4.17) */
	c = xzalloc_bytes(sizeof(*c));
	if (!c)
		return -XEN_ENOMEM;
	sched_pause_vcpu(v);
	sched_wait_unloaded(d, v);
	arch_vcpu_context_get(v, c);
	sched_unpause_vcpu(v);
	rc = copy_to_guest(op->u.vcpucontext.ctxt, c, sizeof(*c)) ? -XEN_EFAULT : 0;
	xfree_bytes(c, sizeof(*c));
	return rc;
}

int64_t domctl_getvcpuinfo(struct vcpu *cur, struct domain *d, struct xen_domctl *op)
{
	struct xen_domctl_getvcpuinfo *info = &op->u.getvcpuinfo;
	struct vcpu_runstate_info rs;
	struct vcpu *v;

	if (info->vcpu >= d->max_vcpus)
		return -XEN_EINVAL;
	v = d->vcpus[info->vcpu];
	if (!v)
		return -XEN_ESRCH;
	sched_get_runstate(v, &rs);
	info->online = v->online;
	info->blocked = v->run_state == RUNSTATE_blocked;
	info->running = v->run_state == RUNSTATE_running;
	info->cpu_time = rs.time[RUNSTATE_running];
	info->cpu = v->processor;
	return 0;
}

/* CPUs 0 .. the highest online one: the bits a bitmap carries (Xen's nr_cpu_ids). */
static unsigned nr_cpu_bits(void)
{
	cpumask_t online = arch_cpus_online();

	return online ? 64 - (unsigned)__builtin_clzll(online) : 1;
}

/* A guest bitmap of CPUs: bits past nr_bits, and past our CPUs, read as 0. */
static int read_cpumask(const struct xenctl_bitmap *b, cpumask_t *out)
{
	uint8_t bytes[NR_CPUS / 8] = { 0 };
	unsigned guest_bytes = (b->nr_bits + 7) / 8, n = MIN(guest_bytes, (nr_cpu_bits() + 7) / 8);

	if (n && copy_from_guest(bytes, b->bitmap, n))
		return -XEN_EFAULT;
	/* nothing copied (nr_bits 0, or so large that guest_bytes wrapped to 0, as on Xen): nothing to mask */
	if (n && (b->nr_bits & 7) && guest_bytes == n)
		bytes[n - 1] &= (uint8_t)((1u << (b->nr_bits & 7)) - 1);
	*out = 0;
	for (unsigned i = 0; i < n; i++)
		*out |= (cpumask_t)bytes[i] << (8 * i);
	return 0;
}

/* Fill all (nr_bits + 7) / 8 bytes of the guest's bitmap: our CPUs' bytes, then zeroes. */
static int write_cpumask(const struct xenctl_bitmap *b, cpumask_t m)
{
	unsigned guest_bytes = (b->nr_bits + 7) / 8, n = MIN(guest_bytes, (nr_cpu_bits() + 7) / 8);
	uint8_t byte;

	for (unsigned i = 0; i < guest_bytes; i++) {
		byte = i < n ? (uint8_t)(m >> (8 * i)) : 0;
		if (copy_to_guest(b->bitmap + i, &byte, 1))
			return -XEN_EFAULT;
	}
	return 0;
}

static int vcpu_for_affinity(struct domain *d, const struct xen_domctl_vcpuaffinity *a,
			     struct vcpu **out)
{
	if (a->vcpu >= d->max_vcpus)
		return -XEN_EINVAL;
	*out = d->vcpus[a->vcpu];
	if (!*out)
		return -XEN_ESRCH;
	if (!(a->flags & (XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT)))
		return -XEN_EINVAL;
	return 0;
}

/*
 * Both masks are read and checked before either is set; what comes back is
 * what is in effect (hard: with the online CPUs; soft: with hard too).
 */
int64_t domctl_setvcpuaffinity(struct vcpu *cur, struct domain *d, struct xen_domctl *op)
{
	const struct xen_domctl_vcpuaffinity *a = &op->u.vcpuaffinity;
	cpumask_t online = arch_cpus_online(), hard = 0, soft = 0;
	struct vcpu *v;
	int rc = vcpu_for_affinity(d, a, &v);

	if (rc)
		return rc;
	if (a->flags & XEN_VCPUAFFINITY_HARD) {
		rc = read_cpumask(&a->cpumap_hard, &hard);
		if (rc)
			return rc;
		if (!(hard & online))
			return -XEN_EINVAL;   /* it could run nowhere */
	}
	if ((a->flags & XEN_VCPUAFFINITY_SOFT) && (rc = read_cpumask(&a->cpumap_soft, &soft)))
		return rc;
	if (a->flags & XEN_VCPUAFFINITY_HARD) {
		sched_set_affinity(v, hard);
		rc = write_cpumask(&a->cpumap_hard, v->cpu_affinity & online);
	}
	if (!rc && (a->flags & XEN_VCPUAFFINITY_SOFT)) {
		v->cpu_soft_affinity = soft;
		rc = write_cpumask(&a->cpumap_soft, soft & online & v->cpu_affinity);
	}
	return rc;
}

int64_t domctl_getvcpuaffinity(struct vcpu *cur, struct domain *d, struct xen_domctl *op)
{
	const struct xen_domctl_vcpuaffinity *a = &op->u.vcpuaffinity;
	struct vcpu *v;
	int rc = vcpu_for_affinity(d, a, &v);

	if (!rc && (a->flags & XEN_VCPUAFFINITY_HARD))
		rc = write_cpumask(&a->cpumap_hard, v->cpu_affinity);
	if (!rc && (a->flags & XEN_VCPUAFFINITY_SOFT))
		rc = write_cpumask(&a->cpumap_soft, v->cpu_soft_affinity);
	return rc;
}
