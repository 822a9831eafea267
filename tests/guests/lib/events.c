/*
 * events.c - event upcalls for test guests: see events.h.
 */
#include "events.h"

/*
 * The entry (CALLBACKTYPE_event). The hypervisor bounces an upcall with
 * events masked and this frame on our stack (lowest address first): RCX,
 * R11, RIP, CS, RFLAGS, RSP, SS. We pop RCX/R11, save the other GPRs, call
 * event_upcall() on an aligned stack, restore them and leave through
 * guest_iret (entry.S), whose iret hypercall restores the upcall mask from
 * the saved RFLAGS.IF.
 */
__asm__(".text\n"
	".globl event_entry\n"
	"event_entry:\n"
	"	popq %rcx\n"
	"	popq %r11\n"
	"	pushq %rax\n	pushq %rbx\n	pushq %rcx\n	pushq %rdx\n"
	"	pushq %rsi\n	pushq %rdi\n	pushq %rbp\n	pushq %r8\n"
	"	pushq %r9\n	pushq %r10\n	pushq %r11\n"
	"	movq %rsp, %rbx\n"
	"	andq $-16, %rsp\n"
	"	call event_upcall\n"
	"	movq %rbx, %rsp\n"
	"	popq %r11\n	popq %r10\n	popq %r9\n	popq %r8\n"
	"	popq %rbp\n	popq %rdi\n	popq %rsi\n	popq %rdx\n"
	"	popq %rcx\n	popq %rbx\n	popq %rax\n"
	"	jmp guest_iret\n");

extern char event_entry[];

volatile unsigned long upcall_count;
volatile unsigned upcall_nr_ports;
volatile uint32_t upcall_ports[UPCALL_MAX_PORTS];

long events_install(void)
{
	struct callback_register cb = {
		.type = CALLBACKTYPE_event,
		.flags = CALLBACKF_mask_events,
		.address = (uint64_t)event_entry,
	};

	return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

void events_reset_record(void)
{
	upcall_count = 0;
	upcall_nr_ports = 0;
}

void events_set_upcall_mask(int masked)
{
	volatile struct vcpu_info *vi = &shared_info->vcpu_info[0];

	vi->evtchn_upcall_mask = masked ? 1 : 0;
	__asm__ volatile("" ::: "memory");
	/* what Linux's irq enable does: a pending upcall needs a hypercall to arrive */
	if (!masked && vi->evtchn_upcall_pending)
		HYPERVISOR_xen_version(XENVER_version, NULL);
}

void event_upcall(void)
{
	volatile struct vcpu_info *vi = &shared_info->vcpu_info[0];
	uint64_t sel;

	upcall_count++;
	vi->evtchn_upcall_pending = 0;
	sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	while (sel) {
		unsigned w = __builtin_ctzll(sel);
		uint64_t bits = shared_info->evtchn_pending[w] & ~shared_info->evtchn_mask[w];

		sel &= sel - 1;
		while (bits) {
			unsigned b = __builtin_ctzll(bits);

			bits &= bits - 1;
			__atomic_fetch_and(&shared_info->evtchn_pending[w], ~(1ULL << b),
					   __ATOMIC_SEQ_CST);
			if (upcall_nr_ports < UPCALL_MAX_PORTS)
				upcall_ports[upcall_nr_ports] = w * 64 + b;
			upcall_nr_ports++;
		}
	}
}

void vcpu1_launch(struct vcpu_guest_context *c, void (*entry)(void), void *stack_top, volatile int *started)
{
	uint64_t cr3, until;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	vcpu_context_init(c, entry, stack_top, cr3, event_entry);
	shared_info->vcpu_info[1].evtchn_upcall_mask = 1;   /* it polls or spins, never an upcall */
	EXPECT("initialise_vcpu1", HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, c), 0);
	EXPECT("up_vcpu1", HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), 0);
	until = system_time_ns() + 2000000000ULL;
	while (!*started && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	check(*started, tname("vcpu1_started"), "not in 2 s");
}
