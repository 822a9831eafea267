/*
 * Trap dispatch. From a guest: take the big lock, handle, and leave through
 * pv_exit_to_guest, then drop the lock just before the return (biglock.h).
 * In the hypervisor's own context an exception is a hypervisor bug (dump
 * the registers, the faulting address and a symbolized backtrace, then
 * stop), but for a fault at a place that expects one (a fixup), a #DB (a
 * guest's breakpoint hit on its behalf) and an NMI (ignored): see
 * ist_trap_handler. Interrupts go to their handlers.
 */
#include <asm/xstate.h>
#include <arch.h>
#include <biglock.h>
#include <console.h>
#include <cmdline.h>
#include <console_input.h>
#include <symbols.h>
#include <wake_stats.h>
#include <asm/io_apic.h>
#include <asm/smp.h>
#include <asm/x86.h>
#include <asm/xstate.h>

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack fault", "general protection",
	"page fault", "reserved 15", "x87 floating point", "alignment check",
	"machine check", "SIMD floating point", "virtualization", "control protection",
	"reserved 22", "reserved 23", "reserved 24", "reserved 25", "reserved 26",
	"reserved 27", "hypervisor injection", "VMM communication", "security", "reserved 31",
};

/*
 * `addr` is a return address except for the first (faulting) one: look up
 * addr - 1, which is inside the call, so that a call that ends a function
 * (a noreturn call) is not shown as the start of the next one.
 */
static void print_symbol(uint64_t addr, bool return_address)
{
	uint64_t off;
	const char *name = symbols_lookup(return_address ? addr - 1 : addr, &off);

	if (name)
		printk("  [<%016lx>] %s+0x%lx\n", addr, name, off + (return_address ? 1 : 0));
	else
		printk("  [<%016lx>] ?\n", addr);
}

/* Frame pointers chain upward through the stack; stop at anything implausible. */
/* The callers above the frame at rbp. */
static void backtrace_chain(uint64_t rbp)
{
	for (int depth = 0; depth < 32 && rbp; depth++) {
		if (!IS_ALIGNED(rbp, 8) || rbp < HV_DIRECTMAP_BASE ||
		    rbp >= HV_DIRECTMAP_BASE + HV_DIRECTMAP_SIZE)
			break;
		const uint64_t *frame = (const uint64_t *)rbp;
		if (!frame[1])
			break;
		print_symbol(frame[1], true);
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
}

void backtrace_from(uint64_t rip, uint64_t rbp)
{
	printk("Backtrace:\n");
	print_symbol(rip, false);
	backtrace_chain(rbp);
}

/* Not inlined: the first line is then always our caller (panic). */
NOINLINE void arch_dump_backtrace(void)
{
	uint64_t rbp = (uint64_t)__builtin_frame_address(0);
	const uint64_t *frame = (const uint64_t *)rbp;

	printk("Backtrace:\n");
	print_symbol(frame[1], true);
	backtrace_chain(frame[0]);
}

void dump_regs(const struct cpu_regs *r)
{
	printk("RIP: %04lx:%016lx  RFLAGS: %016lx\n", r->cs, r->rip, r->rflags);
	printk("RAX: %016lx RBX: %016lx RCX: %016lx\n", r->rax, r->rbx, r->rcx);
	printk("RDX: %016lx RSI: %016lx RDI: %016lx\n", r->rdx, r->rsi, r->rdi);
	printk("RBP: %016lx RSP: %016lx R8:  %016lx\n", r->rbp, r->rsp, r->r8);
	printk("R9:  %016lx R10: %016lx R11: %016lx\n", r->r9, r->r10, r->r11);
	printk("R12: %016lx R13: %016lx R14: %016lx\n", r->r12, r->r13, r->r14);
	printk("R15: %016lx SS: %04lx\n", r->r15, r->ss);
	printk("CR0: %016lx CR3: %016lx CR4: %016lx\n", read_cr0(), read_cr3(), read_cr4());
}

NOINLINE static void fatal_exception(struct cpu_regs *r)   /* cold: out of the hot path */
{
	printk("\n*** Hypervisor exception %lu (%s), error code %#lx\n", r->vector,
	       exception_names[r->vector], r->error_code);
	if (r->vector == 14)
		printk("Faulting address (CR2): %016lx (%s, %s, %s)\n", read_cr2(),
		       r->error_code & 1 ? "protection" : "not present",
		       r->error_code & 2 ? "write" : "read",
		       r->error_code & 16 ? "instruction fetch" : "data");
	dump_regs(r);
	backtrace_from(r->rip, r->rbp);
	arch_shutdown(true);
}

struct ex_entry {
	uint64_t fault, fixup;
};
extern const struct ex_entry __start_ex_table[], __stop_ex_table[];
extern const uint8_t iret_to_guest[];

/* A fault at a place that expects one (guest memory copies) resumes at its fixup. */
static bool apply_fixup(struct cpu_regs *r)
{
	for (const struct ex_entry *e = __start_ex_table; e < __stop_ex_table; e++)
		if (e->fault == r->rip) {
			r->rip = e->fixup;
			return true;
		}
	return false;
}

/*
 * With the big lock held when `locked`; otherwise (an idle CPU woken from
 * HLT, or boot code) the timer takes it for its callbacks. IPIs never need
 * it. The caller has sent the EOI already (see trap_handler).
 */
/* What the IST handlers ignored, by CPU (each CPU writes its own). */
static struct {
	uint32_t nmis, nmis_from_guest, hv_dbs;
} ist_counts[NR_CPUS];

/*
 * test_nmi: CPU 0's timer sends every other CPU an NMI, which strikes
 * wherever that CPU is (a guest, the hypervisor, idle); after 20 the
 * counts are printed once, for integ-nmi-guest.
 */
static void test_nmi_tick(void)
{
	static unsigned sent;

	if (smp_cpu_id() != 0 || nr_cpus_online < 2 || sent > 20)
		return;
	for_each_cpu(cpu, cpu_online_mask)
		if (cpu != 0)
			apic_send_ipi(cpu_apic_ids[cpu], ICR_NMI | ICR_ASSERT);
	if (++sent == 20)
		printk("test_nmi: 20 sent; CPU 1 took %u, %u of them in guest context\n",
		       __atomic_load_n(&ist_counts[1].nmis, __ATOMIC_RELAXED),
		       __atomic_load_n(&ist_counts[1].nmis_from_guest, __ATOMIC_RELAXED));
}

static void handle_interrupt(struct cpu_regs *r, bool locked)
{
	switch (r->vector) {
	case VEC_TIMER:
		wake_stats_count_atomic(&wake_stats.irq_timer);
		if (hv_opts.test_nmi)
			test_nmi_tick();
		if (!locked && smp_defer_timer())
			break;   /* this CPU sleeps in big_lock_acquire: timers run once it has the lock */
		if (!locked)
			big_lock_acquire();
		timer_interrupt();
		console_rx_poll();   /* whichever CPU ticks; the lock keeps them apart */
		if (!locked)
			big_lock_release();
		break;
	case VEC_EVENT_CHECK:
		wake_stats_count_atomic(&wake_stats.irq_event_check);
		break;   /* entering was the point: the exit path or idle loop looks */
	case VEC_FLUSH_TLB:
		smp_flush_service();
		break;
	case VEC_SPURIOUS:
		break;
	default:
		if (r->vector >= VEC_GSI_BASE && r->vector < VEC_GSI_BASE + IO_APIC_MAX_GSIS) {
			io_apic_interrupt((unsigned)r->vector, locked);
			break;
		}
		log_warn("unexpected interrupt vector %lu\n", r->vector);
		break;
	}
}

/*
 * 1: return to the guest by SYSRET (entry.S; see pv_exit_to_guest).
 * Aligned to 32 for QEMU's jump cache, not for the CPU: after the session-2
 * merges its entry shared a slot with pv_syscall_handler's and every bounce
 * paid two extra TB lookups (`make bench-tb-lookups`; docs/benchmarks.md).
 */
HOT_PATH __attribute__((aligned(32))) int trap_handler(struct cpu_regs *r)
{
	/*
	 * End every interrupt before anything else: this CPU may wait for the
	 * big lock next, halted until a kick IPI, which an in-service vector of
	 * the same priority class (all of ours are 0xf0-0xff) would hold back.
	 */
	if (r->vector >= 32 && r->vector != VEC_SPURIOUS)
		apic_eoi();
	if ((r->cs & 3) == 3) {
		/* a shoot-down needs no lock and changes nothing the guest sees */
		if (r->vector == VEC_FLUSH_TLB) {
			handle_interrupt(r, false);
			return 0;
		}
		/* from a guest: its frame is this CPU's guest frame */
		big_lock_acquire();
		if (r->vector < 32)
			pv_guest_trap(r);
		else
			handle_interrupt(r, true);
		unsigned how = pv_exit_to_guest(r);
		big_lock_release();
		return (how & PV_EXIT_SYSRET) != 0;
	}
	if (r->vector >= 32) {
		BUG_ON(big_lock_held());   /* interrupts are off while we hold it */
		handle_interrupt(r, false);
		return 0;
	}
	if (r->vector != 8 && r->vector != 18 && apply_fixup(r))
		return 0;
	if (r->rip == (uint64_t)iret_to_guest) {
		/* returning to the guest faulted: its state was bad; never ours */
		big_lock_acquire();   /* dropped just before the IRET; arch_enter_current_guest drops it again */
		pv_iret_faulted(r);
		return 0;
	}
	fatal_exception(r);
	return 0;
}


/*
 * A #DB in the hypervisor's own context. The guest's data breakpoints stay
 * armed while we run for it (pv/emulate_cr.c), so our own accesses to its
 * memory (a copy_to_guest, a bounce frame) may hit one; and a #DB that
 * MOV SS held back strikes at the first instruction of the next entry.
 * Both are traps, taken once the access or instruction is done, so going
 * on is right. As on Xen 4.17 the guest is not told: DR6 is reset, the
 * guest's own copy of it is left alone. Guests cannot point a breakpoint at
 * our addresses, so an instruction breakpoint (a fault, which would strike
 * again forever) cannot be ours: if one is, all breakpoints go. Never
 * single-step the hypervisor.
 */
static void hv_debug_trap(struct cpu_regs *r, struct cpu_info *ci)
{
	uint64_t dr6, dr7;

	__asm__ volatile("mov %%db6, %0" : "=r"(dr6));
	__asm__ volatile("mov %0, %%db6" :: "r"(DR6_RESERVED_1));
	__asm__ volatile("mov %%db7, %0" : "=r"(dr7));
	for (unsigned i = 0; i < 4; i++) {
		bool enabled = (dr7 >> (2 * i)) & 3, execute = !((dr7 >> (16 + 4 * i)) & 3);
		if ((dr6 & (1u << i)) && enabled && execute)
			__asm__ volatile("mov %0, %%db7" :: "r"(0ULL));
	}
	r->rflags &= ~(1ULL << 8);   /* TF */
	ist_counts[ci->cpu_id].hv_dbs++;
}

/*
 * Entries on an IST stack handled there (entry.S: ist_common): every NMI,
 * and a #DB or #MC that interrupted the hypervisor. get_cpu_info() does not
 * work on this stack: `ci` is this CPU's. An NMI from a guest then returns
 * to it unchanged, through restore_all.
 *
 * An NMI is never delivered to a guest (VCPUOP_send_nmi is not offered),
 * and the only one we send is the stop of smp_stop_others(): any other is
 * counted and ignored, in whatever context it struck. Nothing here may take
 * a lock or switch vCPUs: the interrupted code may hold the one, and the
 * frame is not the guest's frame.
 */
void ist_trap_handler(struct cpu_regs *r, struct cpu_info *ci);
void ist_trap_handler(struct cpu_regs *r, struct cpu_info *ci)
{
	if (r->vector == 2) {
		if (smp_stopping())
			smp_stopped_halt();   /* another CPU is stopping the machine */
		ist_counts[ci->cpu_id].nmis++;
		if ((r->cs & 3) == 3)
			ist_counts[ci->cpu_id].nmis_from_guest++;
		return;
	}
	if (r->vector == 1) {
		hv_debug_trap(r, ci);
		return;
	}
	fatal_exception(r);
}

/*
 * Each kind reaches fatal_exception() through the real hardware path, but
 * fpu-image and nmi, two the hypervisor must survive.
 */
void arch_debug_fault(const char *kind)
{
	printk("debug_fault=%s: faulting on purpose\n", kind);
	if (!strcmp(kind, "page")) {
		/* an address in the guests' half, which the hypervisor never maps */
		volatile uint64_t *p;
		__asm__ volatile("mov $0x10, %0" : "=r"(p));
		*p = 1;
	}
	else if (!strcmp(kind, "invalid-op"))
		__asm__ volatile("ud2");
	else if (!strcmp(kind, "divide")) {
		volatile unsigned zero = 0;
		__asm__ volatile("divl %1" :: "a"(1), "r"(zero), "d"(0));
	} else if (!strcmp(kind, "gp"))
		__asm__ volatile("mov %0, %%ds" :: "r"(0x1230)); /* past the GDT limit */
	else if (!strcmp(kind, "panic"))
		panic("debug_fault=panic requested");
	else if (!strcmp(kind, "fpu-image"))
		xstate_debug_bad_image();
	else if (!strcmp(kind, "nmi")) {
		/* to ourselves, in hypervisor context: counted and ignored */
		apic_send_ipi(apic_id(), ICR_NMI | ICR_ASSERT);
		arch_udelay(1000);
		printk("debug_fault=nmi: %u NMI taken and ignored\n", ist_counts[smp_cpu_id()].nmis);
	}
}
