/*
 * public/callback.h - callback_op (#30): register the guest entry points
 * the hypervisor bounces to.
 *
 * long callback_op(int cmd, const void *arg)
 *
 * CALLBACKOP_register, arg = struct callback_register:
 *   Set the entry point of one callback for the calling vCPU.
 *     CALLBACKTYPE_event     event-channel upcall
 *     CALLBACKTYPE_failsafe  taken when the hypervisor cannot restore the
 *                            guest's segment state on return (bad selector)
 *     CALLBACKTYPE_syscall   64-bit SYSCALL from guest user mode
 *     CALLBACKTYPE_syscall32 / CALLBACKTYPE_sysenter  compat (32-bit) user
 *                            entries
 *     CALLBACKTYPE_nmi       NMI delivery (dom0)
 *   flags: CALLBACKF_mask_events sets the upcall mask when the callback is
 *   entered.
 *   Errors: -ENOSYS unknown type; -EINVAL non-canonical address;
 *   -EFAULT arg unreadable.
 * CALLBACKOP_unregister, arg = struct callback_unregister:
 *   Remove a callback (only NMI may be unregistered; others -EINVAL).
 * Who: the guest kernel of a PV domain.
 * Errors: -ENOSYS unknown cmd.
 */
#ifndef PUBLIC_CALLBACK_H
#define PUBLIC_CALLBACK_H

#include <stddef.h>
#include <stdint.h>

#define CALLBACKTYPE_event                0
#define CALLBACKTYPE_failsafe             1
#define CALLBACKTYPE_syscall              2
#define CALLBACKTYPE_sysenter_deprecated  3
#define CALLBACKTYPE_nmi                  4
#define CALLBACKTYPE_sysenter             5
#define CALLBACKTYPE_syscall32            7

#define CALLBACKF_mask_events   (1u << 0)

#define CALLBACKOP_register     0
#define CALLBACKOP_unregister   1

struct callback_register {
	uint16_t type;       /* IN: CALLBACKTYPE_* */
	uint16_t flags;      /* IN: CALLBACKF_* */
	uint32_t _pad;
	uint64_t address;    /* IN: entry VA */
};

struct callback_unregister {
	uint16_t type;       /* IN */
	uint16_t _unused;
};

_Static_assert(sizeof(struct callback_register) == 16, "callback_register");
_Static_assert(offsetof(struct callback_register, address) == 8, "cb address");
_Static_assert(sizeof(struct callback_unregister) == 4, "callback_unregister");

#endif /* PUBLIC_CALLBACK_H */
