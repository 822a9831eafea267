/*
 * public/vcpu.h - vcpu_op (#24): bring vCPUs up and down, timers, and the
 * shared areas a vCPU reports into.
 *
 * long vcpu_op(int cmd, unsigned int vcpuid, void *arg)
 * Who: a domain for its own vCPUs.
 * Common errors: -ENOENT vcpuid does not exist (also for any id at or above
 * the domain's vCPU count, e.g. every id up to 8191 that Linux probes);
 * -ENOSYS unknown cmd; -EFAULT arg unreadable/unwritable.
 *
 *   VCPUOP_initialise   arg: struct vcpu_guest_context (public/arch-x86_64.h).
 *                       Set the initial state of an offline vCPU.
 *                       -EEXIST already initialised; -EINVAL bad context.
 *   VCPUOP_up           arg NULL.  Start an initialised vCPU.  -EINVAL not
 *                       initialised.
 *   VCPUOP_down         arg NULL.  Stop the vCPU (it keeps its state).
 *   VCPUOP_is_up        arg NULL.  Returns 1 if running, 0 if down.
 *   VCPUOP_get_runstate_info arg: struct vcpu_runstate_info OUT.
 *   VCPUOP_register_runstate_memory_area arg: struct
 *                       vcpu_register_runstate_memory_area.  The hypervisor
 *                       writes the vCPU's runstate at that guest VA (through
 *                       the guest kernel's page tables) on every change.
 *                       Only the calling vCPU's own or an offline vCPU's.
 *   VCPUOP_set_periodic_timer arg: struct vcpu_set_periodic_timer.
 *                       Periods below 1 ms are raised to 1 ms.
 *   VCPUOP_stop_periodic_timer arg NULL.
 *   VCPUOP_set_singleshot_timer arg: struct vcpu_set_singleshot_timer.
 *                       Only on the calling vCPU (-EINVAL otherwise).
 *                       With VCPU_SSHOTTMR_future, a timeout already in the
 *                       past fails with -ETIME; without, it fires at once.
 *   VCPUOP_stop_singleshot_timer arg NULL.  Calling vCPU only.
 *   VCPUOP_register_vcpu_info arg: struct vcpu_register_vcpu_info.  Move the
 *                       vcpu_info to mfn:offset (must fit in the page);
 *                       once per vCPU: -EINVAL on a second call or bad
 *                       offset.
 *   VCPUOP_send_nmi     arg NULL.  Raise a virtual NMI on the vCPU.
 *   VCPUOP_get_physid   arg: struct vcpu_get_physid OUT (dom0).
 *   VCPUOP_register_vcpu_time_memory_area arg: struct
 *                       vcpu_register_time_memory_area: an extra copy of the
 *                       vCPU's vcpu_time_info at a guest VA.
 */
#ifndef PUBLIC_VCPU_H
#define PUBLIC_VCPU_H

#include <stddef.h>
#include <stdint.h>

#define VCPUOP_initialise                      0
#define VCPUOP_up                              1
#define VCPUOP_down                            2
#define VCPUOP_is_up                           3
#define VCPUOP_get_runstate_info               4
#define VCPUOP_register_runstate_memory_area   5
#define VCPUOP_set_periodic_timer              6
#define VCPUOP_stop_periodic_timer             7
#define VCPUOP_set_singleshot_timer            8
#define VCPUOP_stop_singleshot_timer           9
#define VCPUOP_register_vcpu_info             10
#define VCPUOP_send_nmi                       11
#define VCPUOP_get_physid                     12
#define VCPUOP_register_vcpu_time_memory_area 13

#define RUNSTATE_running    0
#define RUNSTATE_runnable   1
#define RUNSTATE_blocked    2
#define RUNSTATE_offline    3

/* Set in state_entry_time while an update is in progress (VMASST 5). */
#define XEN_RUNSTATE_UPDATE  (1ULL << 63)

struct vcpu_runstate_info {
	int32_t  state;             /* RUNSTATE_* */
	uint32_t _pad;
	uint64_t state_entry_time;  /* system time of the last change */
	uint64_t time[4];           /* ns spent in each state */
};

struct vcpu_register_runstate_memory_area {
	uint64_t addr;              /* IN: guest VA of a vcpu_runstate_info */
};

struct vcpu_set_periodic_timer {
	uint64_t period_ns;         /* IN */
};

#define VCPU_SSHOTTMR_future  (1u << 0)
struct vcpu_set_singleshot_timer {
	uint64_t timeout_abs_ns;    /* IN: absolute system time */
	uint32_t flags;             /* IN: VCPU_SSHOTTMR_* */
	uint32_t _pad;
};

struct vcpu_register_vcpu_info {
	uint64_t mfn;               /* IN: frame holding the new vcpu_info */
	uint32_t offset;            /* IN: byte offset in that frame */
	uint32_t rsvd;              /* IN: must be 0 */
};

struct vcpu_get_physid {
	uint64_t phys_id;           /* OUT: APIC id (low 32) | ACPI id (high 32) */
};

struct vcpu_register_time_memory_area {
	uint64_t addr;              /* IN: guest VA of a vcpu_time_info */
};

_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "runstate_info");
_Static_assert(offsetof(struct vcpu_runstate_info, state_entry_time) == 8, "rs entry");
_Static_assert(offsetof(struct vcpu_runstate_info, time) == 16, "rs time");
_Static_assert(sizeof(struct vcpu_register_runstate_memory_area) == 8, "rs area");
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "sshot");
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "reg vcpu_info");
_Static_assert(sizeof(struct vcpu_get_physid) == 8, "physid");

#endif /* PUBLIC_VCPU_H */
