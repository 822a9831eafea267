/*
 * vcpu_op and set_timer_op: a guest's view of its own vCPUs: bringing
 * secondary vCPUs up and down, where their vcpu_info and runstate live, and
 * their timers (a single-shot and a periodic one, both raising VIRQ_TIMER).
 */
#include <arch.h>
#include <console.h>
#include <domain.h>
#include <event.h>
#include <guest_access.h>
#include <hypercall.h>
#include <page.h>
#include <sched.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define PERIODIC_MIN_NS 1000000ULL   /* 1 ms: shorter periods would flood the CPU */

static void timer_fired(void *data)
{
	struct vcpu *v = data;

	evtchn_send_virq(v, VIRQ_TIMER);
}

static void periodic_fired(void *data)
{
	struct vcpu *v = data;

	evtchn_send_virq(v, VIRQ_TIMER);
	timer_set(&v->periodic_timer, v->periodic_timer.expires + v->periodic_period);
}

void vcpu_timers_init(struct vcpu *v)
{
	timer_init(&v->singleshot_timer, timer_fired, v);
	timer_init(&v->periodic_timer, periodic_fired, v);
	sched_vcpu_init(v);
}

static int set_singleshot(struct vcpu *v, uint64_t when, bool future_only)
{
	if (future_only && when < now_ns())
		return -XEN_ETIME;
	timer_set(&v->singleshot_timer, when);
	return 0;
}

/* What a vCPU without a shared_info slot starts from: events masked. */
static const struct vcpu_info fresh_vcpu_info = { .evtchn_upcall_mask = 1 };

/*
 * Move the vCPU's vcpu_info into a frame of the guest's (once per vCPU).
 * We write it through the direct map (upcall pending, selector bits, time),
 * so, as Xen, we hold a general and a writable type reference on the frame
 * for the vCPU's life: it can then never become a page table or descriptor
 * frame (whose entries those writes would forge) nor be freed and reused.
 * A frame that already is one is refused. A vCPU beyond shared_info's
 * slots has no vcpu_info before this: it gets a fresh one.
 */
static int64_t register_vcpu_info(struct vcpu *v, void *arg)
{
	const struct vcpu_register_vcpu_info *r = arg;
	struct vcpu_info *new;
	const struct vcpu_info *old = v->vcpu_info ? v->vcpu_info : &fresh_vcpu_info;

	if (r->rsvd || r->offset > FRAME_SIZE - sizeof(struct vcpu_info) ||
	    !IS_ALIGNED(r->offset, 8))
		return -XEN_EINVAL;
	if (v->vcpu_info_moved)
		return -XEN_EINVAL;
	if (get_page_and_type(v->domain, r->mfn, PGT_writable))
		return -XEN_EINVAL;
	new = (struct vcpu_info *)((uint8_t *)arch_phys_to_virt(r->mfn << FRAME_SHIFT) + r->offset);
	*new = *old;
	/* events raised while it moved: the selector says where to look */
	new->evtchn_upcall_pending = 1;
	v->vcpu_info = new;
	v->vcpu_info_moved = true;
	arch_vcpu_time_update(v);
	return 0;
}

static bool other_vcpu_online(const struct domain *d, const struct vcpu *v)
{
	for (unsigned i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] && d->vcpus[i] != v && d->vcpus[i]->online)
			return true;
	return false;
}

/* The workers take the vCPU the call names (do_vcpu_op checks it exists). */
static int64_t vcpu_is_up(struct vcpu *v, void *arg)
{
	return v->online;
}

static int64_t vcpu_up(struct vcpu *v, void *arg)
{
	if (!arch_vcpu_initialised(v))
		return -XEN_EINVAL;
	if (!v->online)
		sched_start_vcpu(v);
	return 0;
}

static int64_t vcpu_down(struct vcpu *v, void *arg)
{
	if (!other_vcpu_online(v->domain, v)) {
		/* the last one: the domain is done (as Xen), not idle for good */
		domain_shutdown(v->domain, SHUTDOWN_poweroff);
		return 0;
	}
	if (v->online) {
		v->online = false;
		sched_remove_vcpu(v);
	}
	return 0;
}

static int64_t get_runstate_info(struct vcpu *v, void *arg)
{
	sched_get_runstate(v, arg);
	return 0;
}

static int64_t register_runstate_area(struct vcpu *v, void *arg)
{
	uint64_t addr = ((const struct vcpu_register_runstate_memory_area *)arg)->addr;

	if (addr && !guest_range_ok(addr, sizeof(struct vcpu_runstate_info)))
		return -XEN_EFAULT;
	sched_set_runstate_area(v, addr);
	return 0;
}

static int64_t set_periodic_timer(struct vcpu *v, void *arg)
{
	uint64_t period = ((const struct vcpu_set_periodic_timer *)arg)->period_ns;

	if (period < PERIODIC_MIN_NS)
		return -XEN_EINVAL;
	v->periodic_period = period;
	timer_set(&v->periodic_timer, now_ns() + period);
	return 0;
}

static int64_t stop_periodic_timer(struct vcpu *v, void *arg)
{
	v->periodic_period = 0;
	timer_stop(&v->periodic_timer);
	return 0;
}

static int64_t set_singleshot_timer(struct vcpu *v, void *arg)
{
	const struct vcpu_set_singleshot_timer *t = arg;

	if (t->flags & ~VCPU_SSHOTTMR_future)
		return -XEN_EINVAL;
	return set_singleshot(v, t->timeout_abs_ns, t->flags & VCPU_SSHOTTMR_future);
}

static int64_t stop_singleshot_timer(struct vcpu *v, void *arg)
{
	timer_stop(&v->singleshot_timer);
	return 0;
}

/*
 * VCPUOP_register_vcpu_time_memory_area: a guest address (0: none) where
 * the vCPU's time record is copied each time it is updated (Linux's vDSO
 * clock). Checked as Xen 4.17: the range must be the guest's (-EFAULT);
 * written at once if v is running here, else when it next runs.
 */
static int64_t register_time_area(struct vcpu *v, void *arg)
{
	uint64_t addr = ((const struct vcpu_register_time_memory_area *)arg)->addr;

	if (!guest_range_ok(addr, sizeof(struct vcpu_time_info)))
		return -XEN_EFAULT;
	v->time_area_va = addr;
	arch_vcpu_time_update(v);
	return 0;
}

/*
 * The physical CPU behind a vCPU, for Dom0's power management: only for a
 * Dom0 vCPU pinned to the CPU of its own number (Xen's rule; on a one-CPU
 * machine every Dom0 vCPU 0 is), -EINVAL otherwise.
 */
static int64_t get_physid(struct vcpu *v, void *arg)
{
	struct vcpu_get_physid *p = arg;

	if (!v->domain->is_privileged || v->vcpu_id >= 64 ||
	    (v->cpu_affinity & arch_cpus_online()) != cpumask_of(v->vcpu_id))
		return -XEN_EINVAL;
	p->phys_id = arch_cpu_physid(v->vcpu_id);
	return 0;
}

/*
 * Absent, -ENOSYS (Linux copes): send_nmi.
 * VCPUOP_initialise reads its (large) context itself: arch_vcpu_initialise.
 */
static const struct hypercall_subop vcpu_ops[] = {
	[VCPUOP_is_up] = { vcpu_is_up, 0, false },
	[VCPUOP_up] = { vcpu_up, 0, false },
	[VCPUOP_down] = { vcpu_down, 0, false },
	/* OUT only, copied in too: what the guest can write it can read */
	[VCPUOP_get_runstate_info] = { get_runstate_info, sizeof(struct vcpu_runstate_info), true },
	[VCPUOP_register_runstate_memory_area] = { register_runstate_area,
						   sizeof(struct vcpu_register_runstate_memory_area), false },
	[VCPUOP_register_vcpu_info] = { register_vcpu_info, sizeof(struct vcpu_register_vcpu_info), false },
	[VCPUOP_register_vcpu_time_memory_area] = { register_time_area,
						    sizeof(struct vcpu_register_time_memory_area), false },
	[VCPUOP_set_periodic_timer] = { set_periodic_timer, sizeof(struct vcpu_set_periodic_timer), false },
	[VCPUOP_stop_periodic_timer] = { stop_periodic_timer, 0, false },
	[VCPUOP_set_singleshot_timer] = { set_singleshot_timer, sizeof(struct vcpu_set_singleshot_timer), false },
	[VCPUOP_stop_singleshot_timer] = { stop_singleshot_timer, 0, false },
	[VCPUOP_get_physid] = { get_physid, sizeof(struct vcpu_get_physid), true },
};

int64_t do_vcpu_op(struct vcpu *self, const uint64_t args[6])
{
	uint64_t cmd = args[0], vcpuid = args[1], arg = args[2];
	struct domain *d = self->domain;
	struct vcpu *v;

	if (vcpuid >= d->max_vcpus || !(v = d->vcpus[vcpuid]))
		return -XEN_ENOENT;
	switch (cmd) {
	case VCPUOP_initialise:
		if (v->online)
			return -XEN_EEXIST;
		/* everything that runs a vCPU uses its vcpu_info: none, no start (as Xen) */
		if (!v->vcpu_info)
			return -XEN_EINVAL;
		return arch_vcpu_initialise(v, arg);
	case VCPUOP_set_periodic_timer: case VCPUOP_stop_periodic_timer:
	case VCPUOP_set_singleshot_timer: case VCPUOP_stop_singleshot_timer:
		if (v != self)
			return -XEN_EINVAL;   /* a vCPU's own timers only, checked before the copy */
		break;
	}
	return hypercall_subop(v, vcpu_ops, ARRAY_SIZE(vcpu_ops), cmd, arg);
}

/* set_timer_op(timeout): the single-shot timer; 0 stops it. */
int64_t do_set_timer_op(struct vcpu *v, const uint64_t args[6])
{
	if (!args[0]) {
		timer_stop(&v->singleshot_timer);
		return 0;
	}
	return set_singleshot(v, args[0], false);
}
