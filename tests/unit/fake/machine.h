/*
 * The fake machine the hypervisor's host tests and fuzzers run on
 * (docs/testing.md "The fake machine"). This core, machine.c, is linked by
 * every one of them and is the only definition of what they all need from
 * outside the code under test:
 *
 *   console    arch_console_write into fake_console; the clock (arch_now_ns)
 *   log        printk/log_at silent and panic a cmocka failure, where the
 *              real common/console.c is not linked (weak)
 *   shutdown   arch_shutdown: a cmocka assertion (expect_assert_failure())
 *   CPUs       arch_cpu_id() is fake_cpu
 *   vCPUs      current_vcpu()/set_current_vcpu(): one per fake CPU
 *   domains    domain_list, domain_lookup_any/domain_lookup (the dying rule)
 *   heap       xzalloc_bytes/xfree_bytes on the host heap, counted
 *   hypercalls arch_hypercall_preempt_check (knobs), continuations recorded
 *   ports      arch_host_in/out: real port I/O recorded
 *
 * A test wanting other behaviour sets a knob here; it does not define the
 * hook again. The parts beside it each add one layer (include the part's
 * header, link its .c): mm.c (frames, page tables, two domains), gnttab.c
 * (a mapper's L1 on top of mm), evtchn.c (heap domains, fake frames, an
 * interrupt controller), cpu.c (the emulator's CPU and guest memory),
 * dom0.c (Dom0 and a DomU, the console ring), ctl.c (what the domctl and
 * sysctl workers call), guest_mem.c (copy_from/to_guest over one range).
 */
#ifndef FAKE_MACHINE_H
#define FAKE_MACHINE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

struct vcpu;
struct domain;

/* Everything written to the console since the last fake_console_reset(). */
extern char fake_console[16384];
void fake_console_reset(void);

/* System time (arch_now_ns): 0 unless a test advances it. */
extern uint64_t fake_now_ns;

/* The CPU running now (arch_cpu_id), and each CPU's current vCPU. */
#define FAKE_NR_CPUS 64   /* NR_CPUS */
extern unsigned fake_cpu;
extern struct vcpu *fake_current[FAKE_NR_CPUS];
void set_current_vcpu(struct vcpu *v);

/* Hypervisor heap blocks (xzalloc_bytes) not freed (xfree_bytes) yet. */
extern long fake_heap_live;

/*
 * arch_hypercall_preempt_check(): every fake_preempt_every-th call says
 * stop (1: every call; 0: never); or, when fake_preempt_one_in is set,
 * each call with chance 1/fake_preempt_one_in (rand()); or, when
 * fake_preempt_at is set, only the fake_preempt_at-th call (then it
 * clears). fake_preempt_checks counts the calls. fake_preempt_reset():
 * all 0.
 */
extern unsigned fake_preempt_every, fake_preempt_one_in, fake_preempt_at, fake_preempt_checks;
void fake_preempt_reset(void);

/*
 * hypercall_create_continuation() records its arguments in
 * fake_continuation, counts itself in fake_continuations, calls
 * fake_on_continuation if set (a test's own check) and returns the
 * hypercall's number, as the real one does (where common/hypercall.c is
 * linked, the real one runs instead).
 */
#include <hypercall.h>
extern struct hypercall_continuation fake_continuation;
extern unsigned fake_continuations;
extern void (*fake_on_continuation)(void);

/*
 * Real port I/O (arch_host_in/out): the first FAKE_PORT_LOG accesses, all
 * counted in fake_nr_ports; every IN reads fake_port_value.
 */
#define FAKE_PORT_LOG 64
struct fake_port_access {
	uint16_t port;
	unsigned size;
	bool write;
	uint32_t val;
};
extern struct fake_port_access fake_ports[FAKE_PORT_LOG];
extern unsigned fake_nr_ports;
extern uint32_t fake_port_value;
void fake_ports_reset(void);   /* none recorded; IN reads 0 */

/*
 * The domains: domain_list (linked through ->next) is what
 * domain_lookup_any() walks; domain_lookup() skips dying ones.
 */
extern struct domain *domain_list;

#endif
