/*
 * vcpu_op and set_timer_op. TODO(#5): timers, runstate, vcpu_info
 * placement and secondary vCPUs are being written; is_up works now.
 */
#include <domain.h>
#include <hypercall.h>
#include <public/errno.h>
#include <public/vcpu.h>

int64_t do_vcpu_op(uint64_t cmd, uint64_t vcpuid, uint64_t arg, uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct domain *d = current_vcpu()->domain;
	struct vcpu *v;

	if (vcpuid >= d->max_vcpus || !(v = d->vcpus[vcpuid]))
		return -XEN_ENOENT;
	switch (cmd) {
	case VCPUOP_is_up:
		return v->online;
	default:
		return -XEN_ENOSYS;
	}
}

int64_t do_set_timer_op(uint64_t timeout, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	return -XEN_ENOSYS;
}
