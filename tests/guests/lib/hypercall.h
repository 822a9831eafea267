/*
 * hypercall.h - hypercall wrappers of the test guests, on our public
 * headers.  Every call goes through hypercall_raw(), which either calls the
 * hypervisor-filled stub at hypercall_page + 32*nr, or (hc_direct) loads
 * the number into RAX and executes SYSCALL itself, as Debian's Linux 6.1
 * does.  Arguments: RDI, RSI, RDX, R10, R8; result in RAX.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include "public/xen.h"
#include "public/sched.h"
#include "public/version.h"
#include "public/vcpu.h"
#include "public/event_channel.h"
#include "public/memory.h"
#include "public/grant_table.h"
#include "public/physdev.h"
#include "public/callback.h"
#include "public/features.h"

static inline long hypercall_raw(uint64_t nr, uint64_t a1, uint64_t a2,
				 uint64_t a3, uint64_t a4, uint64_t a5)
{
	register uint64_t r10 __asm__("r10") = a4;
	register uint64_t r8 __asm__("r8") = a5;
	long ret;

	if (hc_direct) {
		__asm__ volatile("syscall"
				 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3),
				   "+r"(r10), "+r"(r8)
				 : "a"(nr)
				 : "rcx", "r11", "memory");
	} else {
		__asm__ volatile("call *%%rax"
				 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3),
				   "+r"(r10), "+r"(r8)
				 : "a"((uint64_t)hypercall_page + nr * 32)
				 : "rcx", "r11", "memory");
	}
	return ret;
}

#define HC0(nr)                 hypercall_raw(nr, 0, 0, 0, 0, 0)
#define HC1(nr, a)              hypercall_raw(nr, (uint64_t)(a), 0, 0, 0, 0)
#define HC2(nr, a, b)           hypercall_raw(nr, (uint64_t)(a), (uint64_t)(b), 0, 0, 0)
#define HC3(nr, a, b, c)        hypercall_raw(nr, (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), 0, 0)
#define HC4(nr, a, b, c, d)     hypercall_raw(nr, (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), (uint64_t)(d), 0)

static inline long HYPERVISOR_console_io(int cmd, int count, const void *buf)
{ return HC3(__HYPERVISOR_console_io, cmd, count, buf); }

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{ return HC2(__HYPERVISOR_xen_version, cmd, arg); }

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{ return HC2(__HYPERVISOR_sched_op, cmd, arg); }

static inline long HYPERVISOR_set_trap_table(const struct trap_info *t)
{ return HC1(__HYPERVISOR_set_trap_table, t); }

static inline long HYPERVISOR_update_va_mapping(uint64_t va, uint64_t pte, uint64_t flags)
{ return HC3(__HYPERVISOR_update_va_mapping, va, pte, flags); }

static inline long HYPERVISOR_multicall(struct multicall_entry *m, unsigned int n)
{ return HC2(__HYPERVISOR_multicall, m, n); }

static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{ return HC3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg); }

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{ return HC2(__HYPERVISOR_event_channel_op, cmd, arg); }

static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{ return HC2(__HYPERVISOR_memory_op, cmd, arg); }

static inline long HYPERVISOR_callback_op(int cmd, void *arg)
{ return HC2(__HYPERVISOR_callback_op, cmd, arg); }

static inline long HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{ return HC2(__HYPERVISOR_vm_assist, cmd, type); }

static inline long HYPERVISOR_physdev_op(int cmd, void *arg)
{ return HC2(__HYPERVISOR_physdev_op, cmd, arg); }

static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *uop, unsigned int count)
{ return HC3(__HYPERVISOR_grant_table_op, cmd, uop, count); }

static inline long HYPERVISOR_set_segment_base(int reg, uint64_t value)
{ return HC2(__HYPERVISOR_set_segment_base, reg, value); }

static inline long HYPERVISOR_stack_switch(uint64_t ss, uint64_t sp)
{ return HC2(__HYPERVISOR_stack_switch, ss, sp); }

static inline long HYPERVISOR_fpu_taskswitch(int set)
{ return HC1(__HYPERVISOR_fpu_taskswitch, set); }

static inline long HYPERVISOR_set_debugreg(int reg, uint64_t value)
{ return HC2(__HYPERVISOR_set_debugreg, reg, value); }

static inline long HYPERVISOR_get_debugreg(int reg)
{ return HC1(__HYPERVISOR_get_debugreg, reg); }

static inline long HYPERVISOR_mmuext_op(struct mmuext_op *op, unsigned int count,
					unsigned int *done, domid_t dom)
{ return HC4(__HYPERVISOR_mmuext_op, op, count, done, dom); }

static inline long HYPERVISOR_mmu_update(struct mmu_update *req, unsigned int count,
					 unsigned int *done, domid_t dom)
{ return HC4(__HYPERVISOR_mmu_update, req, count, done, dom); }

static inline long HYPERVISOR_set_timer_op(uint64_t timeout)
{ return HC1(__HYPERVISOR_set_timer_op, timeout); }

#endif /* GUEST_HYPERCALL_H */
