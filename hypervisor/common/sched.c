/*
 * sched_op and the blocking primitives. Until the scheduler (issue 5) there
 * is one vCPU: yielding returns at once and blocking waits for an interrupt
 * that makes an event pending.
 */
#include <arch.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <sched.h>
#include <public/errno.h>
#include <public/sched.h>

void sched_yield_current(void)
{
}

void vcpu_kick(struct vcpu *v)
{
	/* one CPU, one vCPU: the blocked loop below sees the pending flag */
}

void sched_block_current(void)
{
	struct vcpu *v = current_vcpu();

	v->vcpu_info->evtchn_upcall_mask = 0;
	while (!v->vcpu_info->evtchn_upcall_pending)
		arch_wait_for_interrupt();
}

int64_t do_sched_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct domain *d = current_vcpu()->domain;

	switch (cmd) {
	case SCHEDOP_yield:
		sched_yield_current();
		return 0;
	case SCHEDOP_block:
		sched_block_current();
		return 0;
	case SCHEDOP_shutdown: {
		struct sched_shutdown s;
		if (copy_from_guest(&s, arg, sizeof(s)))
			return -XEN_EFAULT;
		if (s.reason > SHUTDOWN_MAX || s.reason == SHUTDOWN_suspend)
			return -XEN_EINVAL;   /* TODO(#10): suspend needs the toolstack */
		domain_shutdown(d, s.reason);
		return 0;
	}
	case SCHEDOP_shutdown_code: {
		struct sched_shutdown s;
		if (copy_from_guest(&s, arg, sizeof(s)))
			return -XEN_EFAULT;
		if (s.reason > SHUTDOWN_MAX)
			return -XEN_EINVAL;
		d->shutdown_code = s.reason;
		return 0;
	}
	default:
		return -XEN_ENOSYS;
	}
}

/* vm_assist: the PV assists a guest may turn on. */
int64_t do_vm_assist(uint64_t cmd, uint64_t type, uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct domain *d = current_vcpu()->domain;
	const unsigned long valid = (1ul << VMASST_TYPE_4gb_segments) |
				    (1ul << VMASST_TYPE_4gb_segments_notify) |
				    (1ul << VMASST_TYPE_writable_pagetables) |
				    (1ul << VMASST_TYPE_pae_extended_cr3) |
				    (1ul << VMASST_TYPE_architectural_iopl) |
				    (1ul << VMASST_TYPE_runstate_update_flag);

	if (type >= 64 || !(valid & (1ul << type)))
		return -XEN_EINVAL;
	switch (cmd) {
	case VMASST_CMD_enable:
		d->vm_assist |= 1ul << type;
		return 0;
	case VMASST_CMD_disable:
		d->vm_assist &= ~(1ul << type);
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}
