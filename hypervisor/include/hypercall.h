/*
 * The hypercall table (common/hypercall.c). Each entry is one hypercall
 * number's handler, taking the calling vCPU and the six raw argument
 * registers (RDI RSI RDX R10 R8 R9, in the order of Xen's ABI) and returning
 * the value for the guest's RAX: 0 or positive on success, -XEN_E* on error.
 *
 * Handlers follow one shape (docs/style.md §4): copy the argument structure from
 * the guest once, validate everything, act, copy results back.
 */
#ifndef HYPERCALL_H
#define HYPERCALL_H

#include <guest_access.h>
#include <lib.h>
#include <public/errno.h>
#include <public/memory.h>
#include <public/xen.h>

struct vcpu;
typedef int64_t (*hypercall_fn)(struct vcpu *v, const uint64_t args[6]);

#define HC_PRIVILEGED 1u        /* only the initial / privileged domain may call it */

struct hypercall_entry {
	hypercall_fn fn;
	unsigned flags;
};

#define NR_HYPERCALLS 64

/*
 * Dispatch one hypercall for v, the current vCPU: bounds check, privilege
 * check, -XEN_ENOSYS (logged once per number and domain) for what we lack.
 */
int64_t hypercall_dispatch(struct vcpu *v, uint64_t nr, const uint64_t args[6]);

/*
 * Sub-operations (docs/style.md §4). A hypercall whose sub-op takes one
 * argument structure lists its sub-ops in a table, and hypercall_subop()
 * runs one: it copies `size` bytes in once, calls the worker on that copy
 * (workers never read their argument from the guest, so unit tests call
 * them directly), and copies the copy back when `out` is set and the worker
 * succeeded (>= 0). As on Xen, a failed copy back makes the call -EFAULT
 * though the operation took effect. -XEN_ENOSYS: op beyond the table or
 * without a worker. Inline: event_channel_op is on the event fast path.
 */
struct hypercall_subop {
	int64_t (*fn)(struct vcpu *v, void *arg);
	uint8_t size;   /* bytes copied in; the buffer below holds any uint8_t */
	bool out;       /* copied back on success */
};

static inline int64_t hypercall_subop(struct vcpu *v, const struct hypercall_subop *ops, size_t nr_ops,
				      uint64_t op, uint64_t arg)
{
	uint64_t buf[256 / 8];
	int64_t rc;

	if (op >= nr_ops || !ops[op].fn)
		return -XEN_ENOSYS;
	if (copy_from_guest(buf, arg, ops[op].size))
		return -XEN_EFAULT;
	rc = ops[op].fn(v, buf);
	if (rc >= 0 && ops[op].out && copy_to_guest(arg, buf, ops[op].size))
		rc = -XEN_EFAULT;
	return rc;
}

/*
 * Handlers that want to be re-entered (long operations) or that do not return
 * to the caller normally (iret, a shutdown) tell the arch through this. The
 * state is the vCPU's (v->hcall_exit, v->hcall_cont, as Xen's hcall_preempted):
 * set by the handler, taken by the arch's exit (or by multicall, per entry).
 */
enum hypercall_exit {
	HC_EXIT_NORMAL,         /* write RAX and return after the syscall */
	HC_EXIT_NO_RESULT,      /* registers were set by the handler (iret) */
	HC_EXIT_CONTINUATION,   /* re-enter with v->hcall_cont: hypercall_create_continuation() */
};
void hypercall_set_exit(struct vcpu *v, enum hypercall_exit how);
enum hypercall_exit hypercall_take_exit(struct vcpu *v);

/*
 * Long operations yield and resume (docs/style.md §4, docs/memory.md
 * "Continuations"). A handler whose loop finds arch_hypercall_preempt_check()
 * true records where it got to and returns
 *     return hypercall_create_continuation(nr, nargs, a1, ..., a6);
 * with the hypercall's own number and its first nargs arguments rewritten
 * to describe the rest of the work (the other argument registers are left
 * as the guest had them, as on Xen). The arch then points the guest back at its SYSCALL
 * with RAX = nr and those arguments, so the guest re-issues the call once
 * pending interrupts and events have been handled. Inside a multicall the
 * arguments go back into the entry instead and the multicall itself
 * continues from that entry (as Xen does). The return value is nr, which
 * the guest never sees. It is stored in the current vCPU's hcall_cont.
 */
struct hypercall_continuation {
	uint64_t nr;
	unsigned nargs;   /* args[0 .. nargs-1] are set */
	uint64_t args[6];
};
int64_t hypercall_create_continuation(uint64_t nr, unsigned nargs, uint64_t a1, uint64_t a2,
				      uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6);

/*
 * True when the current hypercall has run its budget (HYPERCALL_BUDGET_US
 * since its first check, i.e. after its first unit of work) or an interrupt
 * waits for this CPU: the handler should stop at the next consistent point
 * and continue. Handlers ask only after doing at least one unit of work in
 * this entry, so every entry progresses. arch_hypercall_enter() resets the
 * clock; the arch calls it once per guest hypercall (not per multicall entry).
 */
#define HYPERCALL_BUDGET_US 50
void arch_hypercall_enter(void);
bool arch_hypercall_preempt_check(void);

/*
 * Batches (docs/style.md §4): `count` elements of `size` bytes at `list`.
 * For each, after the first, a preemption check; the element copied in
 * once; the worker run on the copy (non-zero ends the batch with that
 * result); then `out_size` bytes at offset `out_at` of it copied back (0:
 * none). Returns 0 when all are done; the number done (> 0) when it stopped
 * to yield, and the caller continues with the rest; < 0 on an error
 * (-XEN_EFAULT: an element cannot be read or written back), the elements
 * before it done. Loops whose accounting differs keep their own, with the
 * reason beside them: mmu_update and mmuext_op, multicall, grant unmaps.
 */
static inline int64_t hypercall_batch(struct vcpu *v, uint64_t list, uint32_t count, uint8_t size,
				      uint8_t out_at, uint8_t out_size, int64_t (*fn)(struct vcpu *v, void *elem))
{
	uint64_t buf[256 / 8];

	for (uint32_t i = 0; i < count; i++) {
		uint64_t at = list + (uint64_t)i * size;
		int64_t rc;

		if (i && arch_hypercall_preempt_check())
			return i;
		if (copy_from_guest(buf, at, size))
			return -XEN_EFAULT;
		rc = fn(v, buf);
		if (rc)
			return rc;
		if (out_size && copy_to_guest(at + out_at, (uint8_t *)buf + out_at, out_size))
			return -XEN_EFAULT;
	}
	return 0;
}

/*
 * Progress encodings of Xen's ABI (public/xen.h, public/memory.h), kept as
 * pure helpers for tests/unit/hypervisor/common/preempt_test.c.
 * mmu_update, mmuext_op: count | MMU_UPDATE_PREEMPTED; the requests done so
 * far accumulate in *done (when the guest passed it).
 */
static inline uint32_t mmu_count_encode(uint32_t remaining)
{
	return remaining | MMU_UPDATE_PREEMPTED;
}
static inline bool mmu_count_preempted(uint64_t count)
{
	return ((uint32_t)count & MMU_UPDATE_PREEMPTED) != 0;
}
static inline uint32_t mmu_count_remaining(uint64_t count)
{
	return (uint32_t)count & ~MMU_UPDATE_PREEMPTED;
}
/* memory_op: cmd | start_extent << MEMOP_EXTENT_SHIFT. */
static inline uint64_t memop_cmd_encode(uint64_t op, uint64_t start_extent)
{
	return (op & MEMOP_CMD_MASK) | (start_extent << MEMOP_EXTENT_SHIFT);
}
static inline uint64_t memop_op(uint64_t cmd)
{
	return cmd & MEMOP_CMD_MASK;
}
static inline uint64_t memop_start_extent(uint64_t cmd)
{
	return cmd >> MEMOP_EXTENT_SHIFT;
}
/* Largest start extent the encoding carries: beyond it a batch cannot resume. */
#define MEMOP_MAX_EXTENT (UINT64_MAX >> MEMOP_EXTENT_SHIFT)

/* Handlers, one per number (common/ and arch/); the arguments each reads, in order. */
int64_t do_set_trap_table(struct vcpu *v, const uint64_t args[6]);      /* table */
int64_t do_mmu_update(struct vcpu *v, const uint64_t args[6]);          /* reqs, count, done, foreigndom */
int64_t do_set_gdt(struct vcpu *v, const uint64_t args[6]);             /* frame_list, entries */
int64_t do_stack_switch(struct vcpu *v, const uint64_t args[6]);        /* ss, sp */
int64_t do_set_callbacks(struct vcpu *v, const uint64_t args[6]);       /* event, failsafe, syscall */
int64_t do_fpu_taskswitch(struct vcpu *v, const uint64_t args[6]);      /* set */
int64_t do_platform_op(struct vcpu *v, const uint64_t args[6]);         /* op */
int64_t do_set_debugreg(struct vcpu *v, const uint64_t args[6]);        /* reg, value */
int64_t do_get_debugreg(struct vcpu *v, const uint64_t args[6]);        /* reg */
int64_t do_update_descriptor(struct vcpu *v, const uint64_t args[6]);   /* maddr, desc */
int64_t do_memory_op(struct vcpu *v, const uint64_t args[6]);           /* cmd, arg */
int64_t do_multicall(struct vcpu *v, const uint64_t args[6]);           /* list, nr */
int64_t do_update_va_mapping(struct vcpu *v, const uint64_t args[6]);   /* va, val, flags */
int64_t do_update_va_mapping_otherdomain(struct vcpu *v, const uint64_t args[6]);   /* va, val, flags, domid */
int64_t do_set_timer_op(struct vcpu *v, const uint64_t args[6]);        /* timeout */
int64_t do_xen_version(struct vcpu *v, const uint64_t args[6]);         /* cmd, arg */
int64_t do_console_io(struct vcpu *v, const uint64_t args[6]);          /* cmd, count, buf */
int64_t do_grant_table_op(struct vcpu *v, const uint64_t args[6]);      /* cmd, uop, count */
int64_t do_vm_assist(struct vcpu *v, const uint64_t args[6]);           /* cmd, type */
int64_t do_iret(struct vcpu *v, const uint64_t args[6]);                /* (the frame on the guest stack) */
int64_t do_vcpu_op(struct vcpu *v, const uint64_t args[6]);             /* cmd, vcpuid, arg */
int64_t do_set_segment_base(struct vcpu *v, const uint64_t args[6]);    /* which, base */
int64_t do_mmuext_op(struct vcpu *v, const uint64_t args[6]);           /* ops, count, done, foreigndom */
int64_t do_sched_op(struct vcpu *v, const uint64_t args[6]);            /* cmd, arg */
int64_t do_callback_op(struct vcpu *v, const uint64_t args[6]);         /* cmd, arg */
int64_t do_event_channel_op(struct vcpu *v, const uint64_t args[6]);    /* cmd, arg */
int64_t do_physdev_op(struct vcpu *v, const uint64_t args[6]);          /* cmd, arg */
int64_t do_sysctl(struct vcpu *v, const uint64_t args[6]);              /* op */
int64_t do_domctl(struct vcpu *v, const uint64_t args[6]);              /* op */
int64_t do_mca(struct vcpu *v, const uint64_t args[6]);                 /* op */
int64_t do_xenpmu_op(struct vcpu *v, const uint64_t args[6]);           /* op, arg */

#endif
