/*
 * The hypercall table, its dispatch, and multicall. The arch's entry code
 * (arch/x86/pv/hypercall.c) takes the registers and calls hypercall_dispatch;
 * the handlers, common and arch alike, are declared in include/hypercall.h.
 */
#include <arch.h>
#include <console.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <wake_stats.h>
#include <public/errno.h>
#include <public/xen.h>

static const struct hypercall_entry hypercall_table[NR_HYPERCALLS] = {
	[__HYPERVISOR_set_trap_table] = { do_set_trap_table, 0 },
	[__HYPERVISOR_set_gdt] = { do_set_gdt, 0 },
	[__HYPERVISOR_stack_switch] = { do_stack_switch, 0 },
	[__HYPERVISOR_set_callbacks] = { do_set_callbacks, 0 },
	[__HYPERVISOR_fpu_taskswitch] = { do_fpu_taskswitch, 0 },
	[__HYPERVISOR_set_debugreg] = { do_set_debugreg, 0 },
	[__HYPERVISOR_get_debugreg] = { do_get_debugreg, 0 },
	[__HYPERVISOR_update_descriptor] = { do_update_descriptor, 0 },
	[__HYPERVISOR_multicall] = { do_multicall, 0 },
	[__HYPERVISOR_xen_version] = { do_xen_version, 0 },
	[__HYPERVISOR_console_io] = { do_console_io, 0 },
	[__HYPERVISOR_vm_assist] = { do_vm_assist, 0 },
	[__HYPERVISOR_update_va_mapping] = { do_update_va_mapping, 0 },
	[__HYPERVISOR_update_va_mapping_otherdomain] = { do_update_va_mapping_otherdomain, 0 },
	[__HYPERVISOR_iret] = { do_iret, 0 },
	[__HYPERVISOR_set_segment_base] = { do_set_segment_base, 0 },
	[__HYPERVISOR_sched_op] = { do_sched_op, 0 },
	[__HYPERVISOR_callback_op] = { do_callback_op, 0 },
	[__HYPERVISOR_event_channel_op] = { do_event_channel_op, 0 },
	[__HYPERVISOR_memory_op] = { do_memory_op, 0 },
	[__HYPERVISOR_grant_table_op] = { do_grant_table_op, 0 },
	[__HYPERVISOR_vcpu_op] = { do_vcpu_op, 0 },
	[__HYPERVISOR_set_timer_op] = { do_set_timer_op, 0 },
	[__HYPERVISOR_physdev_op] = { do_physdev_op, 0 },
	[__HYPERVISOR_platform_op] = { do_platform_op, HC_PRIVILEGED },
	[__HYPERVISOR_mca] = { do_mca, HC_PRIVILEGED },
	[__HYPERVISOR_xenpmu_op] = { do_xenpmu_op, 0 },
	[__HYPERVISOR_domctl] = { do_domctl, 0 },   /* checks privilege itself, after the version (as Xen) */
	[__HYPERVISOR_sysctl] = { do_sysctl, 0 },   /* likewise */
	[__HYPERVISOR_mmu_update] = { do_mmu_update, 0 },
	[__HYPERVISOR_mmuext_op] = { do_mmuext_op, 0 },
};

void hypercall_set_exit(struct vcpu *v, enum hypercall_exit how)
{
	v->hcall_exit = how;
}

HOT_PATH enum hypercall_exit hypercall_take_exit(struct vcpu *v)
{
	enum hypercall_exit how = v->hcall_exit;

	v->hcall_exit = HC_EXIT_NORMAL;
	return how;
}

int64_t hypercall_create_continuation(uint64_t nr, unsigned nargs, uint64_t a1, uint64_t a2,
				      uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	struct vcpu *v = current_vcpu();

	BUG_ON(nargs > 6);
	v->hcall_cont = (struct hypercall_continuation){ nr, nargs, { a1, a2, a3, a4, a5, a6 } };
	v->hcall_exit = HC_EXIT_CONTINUATION;
	return (int64_t)nr;
}

static void log_missing_once(struct domain *d, uint64_t nr)
{
	if (nr < 128 && !(d->enosys_logged[nr / 64] & (1ULL << (nr % 64)))) {
		d->enosys_logged[nr / 64] |= 1ULL << (nr % 64);
		log_debug("d%u: hypercall %lu is not implemented (-ENOSYS)\n", d->domain_id, nr);
	}
}

/*
 * Aligned to 32 bytes so that the return from the handler does not share a
 * QEMU jump-cache slot with a return in bounce() (make bench-tb-lookups,
 * docs/benchmarks.md "Issue 3"): the layout decides it, so re-check both.
 */
HOT_PATH __attribute__((aligned(32))) int64_t hypercall_dispatch(struct vcpu *v, uint64_t nr, const uint64_t a[6])
{
	struct domain *d = v->domain;
	const struct hypercall_entry *e;
	int64_t rc;

	/*
	 * A vCPU of a domain whose teardown has begun still gets here once if
	 * it was waiting for the big lock when destroydomain stopped it (the
	 * teardown lets the lock go between its stages). It never runs again,
	 * and what it would take now (a frame reference, a mapping, a port)
	 * comes after the teardown gave that kind back: kept for ever.
	 */
	if (d->is_dying)
		return -XEN_EINVAL;
	if (nr >= NR_HYPERCALLS || !hypercall_table[nr].fn) {
		log_missing_once(d, nr);
		return -XEN_ENOSYS;
	}
	e = &hypercall_table[nr];
	wake_stats_count(&wake_stats.hypercalls[nr]);
	if ((e->flags & HC_PRIVILEGED) && !d->is_privileged)
		return -XEN_EPERM;
	uint64_t start = arch_now_ns();
	rc = e->fn(v, a);
	wake_stats_time(&wake_stats.hypercall_ns[nr], &wake_stats.hypercall_max_ns[nr], arch_now_ns() - start);
	if (domain_reap_pending)
		domain_reap();
	if (conring_unannounced)
		conring_announce();
	return rc;
}

/*
 * multicall(list, nr): each entry's result goes back into the entry. A
 * nested multicall entry gets -XEN_EINVAL and the batch goes on, as on Xen.
 *
 * An entry that sets the guest's registers itself (iret) ends the batch
 * there, as Xen's rule since XSA-213: the guest now runs where its frame
 * says, maybe in user mode, so no later entry may run on the kernel's
 * behalf, and the multicall must not overwrite the registers with a result.
 *
 * Preemption, as Xen: between entries the multicall continues as
 * multicall(list + i, nr - i). An entry that itself creates a continuation
 * gets its rewritten arguments stored back into its slot (its result is not
 * written yet) and the multicall continues from that entry, so the guest
 * re-enters and the entry resumes where it stopped. (So not hypercall_batch:
 * an entry's own exit state decides what is written back and how it goes on.)
 */
int64_t do_multicall(struct vcpu *v, const uint64_t args[6])
{
	uint64_t list = args[0], nr = args[1];

	for (uint64_t i = 0; i < nr; i++) {
		struct multicall_entry mc;
		enum hypercall_exit how;
		uint64_t at;

		if (i > UINT64_MAX / sizeof(mc) || list > UINT64_MAX - i * sizeof(mc))
			return -XEN_EFAULT;
		at = list + i * sizeof(mc);
		if (i && arch_hypercall_preempt_check())
			return hypercall_create_continuation(__HYPERVISOR_multicall, 2, at, nr - i, 0, 0, 0, 0);
		if (copy_from_guest(&mc, at, sizeof(mc)))
			return -XEN_EFAULT;
		if (mc.op == __HYPERVISOR_multicall)
			mc.result = -XEN_EINVAL;
		else
			mc.result = hypercall_dispatch(v, mc.op, mc.args);
		how = hypercall_take_exit(v);
		if (how == HC_EXIT_NO_RESULT) {
			/* best effort, as Xen: the entry's result cannot fail the call now */
			(void)copy_to_guest(at + offsetof(struct multicall_entry, result), &mc.result,
					    sizeof(mc.result));
			hypercall_set_exit(v, HC_EXIT_NO_RESULT);
			return 0;
		}
		if (how == HC_EXIT_CONTINUATION) {
			const struct hypercall_continuation *c = &v->hcall_cont;
			if (copy_to_guest(at + offsetof(struct multicall_entry, args), c->args,
					  c->nargs * sizeof(c->args[0])))
				return -XEN_EFAULT;
			return hypercall_create_continuation(__HYPERVISOR_multicall, 2, at, nr - i, 0, 0, 0, 0);
		}
		if (copy_to_guest(at + offsetof(struct multicall_entry, result), &mc.result,
				  sizeof(mc.result)))
			return -XEN_EFAULT;
		if (v->domain->state != DOMAIN_RUNNING)
			break;   /* an entry shut the domain down */
	}
	return 0;
}
