/*
 * Descriptor tables and the SYSCALL set-up of each CPU.
 *
 * Every CPU has its own GDT (used while it idles; a running vCPU's GDT
 * replaces it), its own TSS and IST stacks, and its own SYSCALL stub; all
 * CPUs share one IDT, built by the boot CPU. The TSS gives NMI, double fault,
 * machine check and #DB their own stacks (IST), so that they are handled even
 * when the current stack is what broke, or is the guest's: a #DB that MOV SS
 * held back strikes at the first instruction of an entry path, before the
 * SYSCALL stub has left the guest's stack (entry.S: ist_common). Each IST
 * stack's top word names its CPU's cpu_info. SYSCALL enters through the CPU's
 * stub, which switches to the CPU's stack (SYSCALL itself does not), see
 * make_syscall_stub().
 */
#include <console.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/smp.h>
#include <asm/x86.h>

enum { IST_NMI = 1, IST_DF = 2, IST_MC = 3, IST_DB = 4, IST_COUNT = 4 };

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

uint64_t boot_gdt[GDT_ENTRIES] __attribute__((aligned(4096)));
static struct tss64 tss[NR_CPUS] __attribute__((aligned(16)));
static struct idt_gate idt[256] __attribute__((aligned(16)));
static uint8_t boot_ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));

/*
 * Written at boot, executed on SYSCALL: entry.S reserves them in a text page
 * of their own, which nothing writes afterwards. (Emulators such as QEMU
 * retranslate code whose page is written: next to busy data, every SYSCALL
 * paid for that.)
 */
extern uint8_t syscall_stubs[NR_CPUS][64];

extern const uint8_t trap_stubs[];
extern const uint8_t syscall_enter[], syscall32_enter[];

_Static_assert(offsetof(struct cpu_regs, vector) == CPU_REGS_VECTOR, "entry.S: vector");
_Static_assert(offsetof(struct cpu_regs, cs) == CPU_REGS_CS, "entry.S: cs");
_Static_assert(sizeof(struct cpu_regs) == CPU_REGS_SIZE, "entry.S: frame size");
_Static_assert(offsetof(struct cpu_info, guest_regs) == 0, "entry.S: guest_regs first");

static void set_gate(unsigned vec, unsigned ist, unsigned dpl)
{
	uint64_t addr = (uint64_t)&trap_stubs[vec * 16];

	idt[vec] = (struct idt_gate){
		.offset_lo = (uint16_t)addr,
		.selector = SEL_HV_CS,
		.ist = (uint8_t)ist,
		.type_attr = (uint8_t)(0x8e | (dpl << 5)),   /* present, interrupt gate */
		.offset_mid = (uint16_t)(addr >> 16),
		.offset_hi = (uint32_t)(addr >> 32),
	};
}

static uint64_t tss_descriptor_lo(uint64_t base, uint64_t limit)
{
	return (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
	       (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
}

/*
 * The TSS descriptor in a vCPU's GDT names CPU 0's TSS whichever CPU loads
 * it: the CPU only reads a TSS descriptor on LTR, which each CPU runs once,
 * on its own GDT (desc_init_cpu); after that TR keeps its own TSS.
 */
void gdt_init_hv_entries(uint64_t *gdt)
{
	uint64_t base = (uint64_t)&tss[0];

	gdt[SEL_HV_CS / 8] = 0x00af9a000000ffff;       /* 64-bit code, ring 0 */
	gdt[SEL_HV_DS / 8] = 0x00cf92000000ffff;       /* data, ring 0 */
	gdt[SEL_HV_CS32 / 8] = 0x00cf9a000000ffff;     /* 32-bit code, ring 0 */
	gdt[SEL_RING3_CS32 / 8] = 0x00cffa000000ffff;  /* 32-bit code, ring 3 */
	gdt[SEL_RING3_DS / 8] = 0x00cff2000000ffff;    /* data, ring 3 */
	gdt[SEL_RING3_CS64 / 8] = 0x00affa000000ffff;  /* 64-bit code, ring 3 */
	/* The TSS descriptor is marked busy: only the boot GDT's copy is ever ltr'd. */
	gdt[SEL_TSS / 8] = tss_descriptor_lo(base, sizeof(tss[0]) - 1) | (2ULL << 40);
	gdt[SEL_TSS / 8 + 1] = base >> 32;
}

void gdt_load(const uint64_t *gdt)
{
	struct desc_ptr gdtr = { GDT_ENTRIES * 8 - 1, (uint64_t)gdt };

	__asm__ volatile("lgdt %0" :: "m"(gdtr));
}

void tss_set_rsp0(uint64_t rsp0)
{
	tss[get_cpu_info()->cpu_id].rsp[0] = rsp0;
}

/*
 * The SYSCALL stub: SYSCALL leaves RSP as the guest had it, so park RAX, put
 * the CPU's stack in RSP with the guest's RSP in the frame's rsp slot, and
 * jump to the common path with RAX restored:
 *   movabs %rax, <rsp slot>; mov %rsp, %rax; movabs $<rsp slot>, %rsp;
 *   xchg %rax, (%rsp); jmp <target>
 */
static void make_syscall_stub(uint8_t *p, uint64_t rsp_slot, const uint8_t *target)
{
	uint8_t *start = p;
	int32_t rel;

	*p++ = 0x48; *p++ = 0xa3; memcpy(p, &rsp_slot, 8); p += 8;
	*p++ = 0x48; *p++ = 0x89; *p++ = 0xe0;
	*p++ = 0x48; *p++ = 0xbc; memcpy(p, &rsp_slot, 8); p += 8;
	*p++ = 0x48; *p++ = 0x87; *p++ = 0x04; *p++ = 0x24;
	*p++ = 0xe9;
	rel = (int32_t)((int64_t)target - (int64_t)(p + 4));
	memcpy(p, &rel, 4);
	p += 4;
	BUG_ON(p - start > 32);
}

static void idt_init(void)
{
	/* int3 and into may be used by guests directly (as on Xen): DPL 3. */
	for (unsigned v = 0; v < 256; v++)
		set_gate(v, v == 1 ? IST_DB : v == 2 ? IST_NMI : v == 8 ? IST_DF : v == 18 ? IST_MC : 0,
			 (v == 3 || v == 4) ? 3 : 0);
}

/*
 * Load this CPU's tables and SYSCALL MSRs. `gdt` holds GDT_ENTRIES entries
 * and `ist_stacks` IST_COUNT stacks of IST_STACK_SIZE; the boot CPU's are
 * static, the APs' allocated by smp.c. CPU 0 also builds the shared IDT.
 */
void desc_init_cpu(unsigned cpu, struct cpu_info *ci, uint64_t *gdt, uint8_t *ist_stacks)
{
	struct desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)idt };
	struct tss64 *t = &tss[cpu];
	uint64_t rsp0 = (uint64_t)&ci->guest_regs + sizeof(ci->guest_regs);
	uint8_t *stub = syscall_stubs[cpu];

	t->rsp[0] = rsp0;
	for (unsigned i = 0; i < IST_COUNT; i++) {
		uint64_t top = (uint64_t)ist_stacks + (i + 1) * IST_STACK_SIZE - 16;

		*(struct cpu_info **)top = ci;   /* just above the frame: entry.S */
		t->ist[i] = top;
	}
	t->iomap_base = sizeof(*t);   /* no I/O bitmap: every port faults from ring 3 */
	gdt_init_hv_entries(gdt);
	gdt[SEL_TSS / 8] = tss_descriptor_lo((uint64_t)t, sizeof(*t) - 1);   /* available, for ltr */
	gdt[SEL_TSS / 8 + 1] = (uint64_t)t >> 32;
	ci->gdt = gdt;
	if (cpu == 0)
		idt_init();

	gdt_load(gdt);
	__asm__ volatile(
		"pushq %[cs]\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"mov %[ds], %%eax\n\t"
		"mov %%eax, %%ds\n\t"
		"mov %%eax, %%es\n\t"
		"mov %%eax, %%ss\n\t"
		:: [cs] "i"(SEL_HV_CS), [ds] "i"(SEL_HV_DS) : "rax", "memory");
	__asm__ volatile("ltr %w0" :: "r"(SEL_TSS));
	__asm__ volatile("lidt %0" :: "m"(idtr));
	/* A null LDT, so that LDT selectors fault (#GP) instead of using a stale limit. */
	__asm__ volatile("lldt %w0" :: "r"(0));

	make_syscall_stub(stub, (uint64_t)&ci->guest_regs.rsp, syscall_enter);
	make_syscall_stub(stub + 32, (uint64_t)&ci->guest_regs.rsp, syscall32_enter);
	/* SYSRET would use 0xe023+16 = 0xe033 for CS and 0xe02b for SS. */
	wrmsr(MSR_STAR, ((uint64_t)SEL_RING3_CS32 << 48) | ((uint64_t)SEL_HV_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)stub);
	wrmsr(MSR_CSTAR, (uint64_t)stub + 32);
	/* IF, TF, DF, NT, AC, RF cleared on entry: we run with interrupts off. */
	wrmsr(MSR_SYSCALL_MASK, X86_RFLAGS_IF | X86_RFLAGS_TF | X86_RFLAGS_DF | X86_RFLAGS_NT | X86_RFLAGS_AC | X86_RFLAGS_RF);
	wrmsr(MSR_SYSENTER_CS, 0);   /* SYSENTER faults (#GP): guests must not use it */
}

/* The boot CPU, on its static stack (cpu_info at boot_stack_top) and tables. */
void desc_init(void)
{
	uint64_t top;
	__asm__("lea boot_stack_top(%%rip), %0" : "=r"(top));   /* hide the symbol's bounds */
	struct cpu_info *ci = (struct cpu_info *)(top - sizeof(struct cpu_info));

	desc_init_cpu(0, ci, boot_gdt, &boot_ist_stacks[0][0]);
}
