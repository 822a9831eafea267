/*
 * public/sched.h - sched_op (#29): give up the CPU, wait, or stop.
 *
 * long sched_op(int cmd, void *arg)
 * Who: any domain for its own vCPUs; remote_shutdown needs privilege.
 * Common errors: -ENOSYS unknown cmd; -EFAULT arg unreadable.
 *
 *   SCHEDOP_yield        arg ignored.  Let other vCPUs run; returns 0.
 *   SCHEDOP_block        arg ignored.  Clear the upcall mask and block until
 *                        an event is pending (returns at once if one is).
 *                        Returns 0.
 *   SCHEDOP_shutdown     arg: struct sched_shutdown.  Stop the whole domain
 *                        with the given reason; does not return (except
 *                        SHUTDOWN_suspend, which returns 1 if the suspend was
 *                        cancelled).  Errors: -EINVAL unknown reason.
 *   SCHEDOP_poll         arg: struct sched_poll.  Block until one of the
 *                        ports is pending or the absolute timeout (system
 *                        time ns; 0 = none) passes.  Returns 0.  Errors:
 *                        -EINVAL too many ports (more than 128) or a
 *                        port out of range; -EPERM the vCPU's upcall mask
 *                        is clear (poll requires events to be masked).
 *   SCHEDOP_remote_shutdown arg: struct sched_remote_shutdown.  Shut down
 *                        another domain (privileged).  -ESRCH unknown domain.
 *   SCHEDOP_shutdown_code arg: struct sched_shutdown.  Record the reason
 *                        reported later, without shutting down.
 *   SCHEDOP_watchdog     arg: struct sched_watchdog.  id 0 + timeout: create
 *                        (returns the id); id + timeout: re-arm; id + 0:
 *                        destroy.  Expiry shuts the domain down with
 *                        SHUTDOWN_watchdog.
 *   SCHEDOP_pin_override arg: struct sched_pin_override.  Dom0: pin the
 *                        calling vCPU to a physical CPU (-1 undoes).
 */
#ifndef PUBLIC_SCHED_H
#define PUBLIC_SCHED_H

#include <stddef.h>
#include <stdint.h>

#define SCHEDOP_yield            0
#define SCHEDOP_block            1
#define SCHEDOP_shutdown         2
#define SCHEDOP_poll             3
#define SCHEDOP_remote_shutdown  4
#define SCHEDOP_shutdown_code    5
#define SCHEDOP_watchdog         6
#define SCHEDOP_pin_override     7

#define SHUTDOWN_poweroff    0   /* halt and power off */
#define SHUTDOWN_reboot      1   /* restart */
#define SHUTDOWN_suspend     2   /* save state (toolstack) */
#define SHUTDOWN_crash       3   /* the guest crashed */
#define SHUTDOWN_watchdog    4   /* a watchdog expired */
#define SHUTDOWN_soft_reset  5
#define SHUTDOWN_MAX         5

struct sched_shutdown {
	uint32_t reason;            /* IN: SHUTDOWN_* */
};

struct sched_poll {
	uint64_t ports;             /* IN: guest VA of evtchn_port_t[nr_ports] */
	uint32_t nr_ports;          /* IN */
	uint32_t _pad;
	uint64_t timeout;           /* IN: absolute system time, 0 = none */
};

struct sched_remote_shutdown {
	uint16_t domain_id;         /* IN */
	uint16_t _pad;
	uint32_t reason;            /* IN: SHUTDOWN_* */
};

struct sched_watchdog {
	uint32_t id;                /* IN: 0 = create */
	uint32_t timeout;           /* IN: seconds; 0 = destroy */
};

struct sched_pin_override {
	int32_t pcpu;               /* IN: physical CPU, -1 = undo */
};

_Static_assert(sizeof(struct sched_shutdown) == 4, "sched_shutdown");
_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll");
_Static_assert(offsetof(struct sched_poll, timeout) == 16, "poll timeout");
_Static_assert(sizeof(struct sched_remote_shutdown) == 8, "remote_shutdown");
_Static_assert(sizeof(struct sched_watchdog) == 8, "watchdog");
_Static_assert(sizeof(struct sched_pin_override) == 4, "pin_override");

#endif /* PUBLIC_SCHED_H */
