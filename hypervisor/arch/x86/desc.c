/*
 * Descriptor tables for the boot CPU: GDT, TSS and IDT.
 *
 * The TSS gives NMI, double fault and machine check their own stacks (IST),
 * so that they are handled even when the current stack is what broke.
 */
#include <asm/x86.h>

#define SEL_HV_CS   0x08
#define SEL_HV_DS   0x10
#define SEL_TSS     0x20

enum { IST_NMI = 1, IST_DF = 2, IST_MC = 3, IST_COUNT = 3 };

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

static uint64_t gdt[8] __attribute__((aligned(16))) = {
	[SEL_HV_CS / 8] = 0x00af9a000000ffff,   /* 64-bit code, ring 0 */
	[SEL_HV_DS / 8] = 0x00cf92000000ffff,   /* data, ring 0 */
};
static struct tss64 tss __attribute__((aligned(16)));
static struct idt_gate idt[256] __attribute__((aligned(16)));
static uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));

extern const uint8_t trap_stubs[];
extern uint8_t boot_stack_top[];

static void set_gate(unsigned vec, unsigned ist)
{
	uint64_t addr = (uint64_t)&trap_stubs[vec * 16];

	idt[vec] = (struct idt_gate){
		.offset_lo = (uint16_t)addr,
		.selector = SEL_HV_CS,
		.ist = (uint8_t)ist,
		.type_attr = 0x8e,              /* present, DPL 0, interrupt gate */
		.offset_mid = (uint16_t)(addr >> 16),
		.offset_hi = (uint32_t)(addr >> 32),
	};
}

static void set_tss_descriptor(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;

	gdt[SEL_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
			   (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[SEL_TSS / 8 + 1] = base >> 32;
}

void desc_init(void)
{
	struct desc_ptr gdtr = { sizeof(gdt) - 1, (uint64_t)gdt };
	struct desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)idt };

	tss.rsp[0] = (uint64_t)boot_stack_top;
	tss.ist[IST_NMI - 1] = (uint64_t)ist_stacks[IST_NMI - 1] + IST_STACK_SIZE;
	tss.ist[IST_DF - 1] = (uint64_t)ist_stacks[IST_DF - 1] + IST_STACK_SIZE;
	tss.ist[IST_MC - 1] = (uint64_t)ist_stacks[IST_MC - 1] + IST_STACK_SIZE;
	tss.iomap_base = sizeof(tss);   /* no I/O bitmap: every port faults from ring 3 */
	set_tss_descriptor();

	for (unsigned v = 0; v < 256; v++)
		set_gate(v, v == 2 ? IST_NMI : v == 8 ? IST_DF : v == 18 ? IST_MC : 0);

	__asm__ volatile("lgdt %0" :: "m"(gdtr));
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
}
