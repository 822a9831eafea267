/*
 * The hypercall table. Each entry is one hypercall number's handler, taking
 * the (up to six) raw argument registers and returning the value for the
 * guest's RAX: 0 or positive on success, -XEN_E* on error.
 *
 * Handlers follow one shape (STYLE.md §4): copy the argument structure from
 * the guest once, validate everything, act, copy results back.
 */
#ifndef HYPERCALL_H
#define HYPERCALL_H

#include <lib.h>

typedef int64_t (*hypercall_fn)(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
				uint64_t a5, uint64_t a6);

#define HC_PRIVILEGED 1u        /* only the initial / privileged domain may call it */

struct hypercall_entry {
	hypercall_fn fn;
	unsigned flags;
};

#define NR_HYPERCALLS 64

/*
 * Dispatch one hypercall for the current vCPU: bounds check, privilege check,
 * -XEN_ENOSYS (logged once per number and domain) for what we lack.
 */
int64_t hypercall_dispatch(uint64_t nr, const uint64_t args[6]);

/*
 * Handlers that want to be re-entered (long operations) or that do not return
 * to the caller normally (iret, a shutdown) tell the arch through this.
 */
enum hypercall_exit {
	HC_EXIT_NORMAL,         /* write RAX and return after the syscall */
	HC_EXIT_NO_RESULT,      /* registers were set by the handler (iret) */
};
void hypercall_set_exit(enum hypercall_exit how);
enum hypercall_exit hypercall_take_exit(void);

/* Handlers, one per number (common/ and arch/). */
int64_t do_console_io(uint64_t cmd, uint64_t count, uint64_t buf, uint64_t, uint64_t, uint64_t);
int64_t do_xen_version(uint64_t cmd, uint64_t arg, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t do_sched_op(uint64_t cmd, uint64_t arg, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t do_vm_assist(uint64_t cmd, uint64_t type, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t do_multicall(uint64_t list, uint64_t nr, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t do_event_channel_op(uint64_t cmd, uint64_t arg, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t do_memory_op(uint64_t cmd, uint64_t arg, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t do_grant_table_op(uint64_t cmd, uint64_t arg, uint64_t count, uint64_t, uint64_t, uint64_t);
int64_t do_vcpu_op(uint64_t cmd, uint64_t vcpuid, uint64_t arg, uint64_t, uint64_t, uint64_t);
int64_t do_set_timer_op(uint64_t timeout, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t do_physdev_op(uint64_t cmd, uint64_t arg, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t do_platform_op(uint64_t arg, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t do_mmu_update(uint64_t reqs, uint64_t count, uint64_t done, uint64_t foreigndom, uint64_t, uint64_t);
int64_t do_mmuext_op(uint64_t ops, uint64_t count, uint64_t done, uint64_t foreigndom, uint64_t, uint64_t);
int64_t do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags, uint64_t, uint64_t, uint64_t);

#endif
