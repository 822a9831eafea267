/*
 * The real CPU behind the emulator's arch_host_* hooks (emulate.h). Kept in
 * one file so that host unit tests can replace exactly this and nothing
 * else (tests/unit/fake/cpu.c).
 */
#include <asm/cpu.h>
#include <asm/xstate.h>
#include "emulate.h"

void arch_host_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	cpuid(leaf, subleaf, out);
}

uint64_t arch_host_rdtsc(void)
{
	return rdtsc();
}

uint64_t arch_host_rdmsr(uint32_t msr)
{
	return rdmsr(msr);
}

void arch_host_wrmsr(uint32_t msr, uint64_t val)
{
	wrmsr(msr, val);
}

/* Only XCR0 exists; xstate.c keeps track of what this CPU holds. */
void arch_host_xsetbv(uint32_t xcr, uint64_t val)
{
	(void)xcr;
	xstate_load_xcr0(val);
}

void arch_host_wbinvd(void)
{
	__asm__ volatile("wbinvd" ::: "memory");
}

uint32_t arch_host_in(uint16_t port, unsigned size)
{
	uint32_t v = 0;

	if (size == 1)
		return inb(port);
	if (size == 2) {
		uint16_t w;
		__asm__ volatile("inw %1, %0" : "=a"(w) : "Nd"(port));
		return w;
	}
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void arch_host_out(uint16_t port, unsigned size, uint32_t val)
{
	if (size == 1)
		outb(port, (uint8_t)val);
	else if (size == 2)
		outw(port, (uint16_t)val);
	else
		outl(port, val);
}

/*
 * DR7 off first, so that no breakpoint is ever armed on a mix of old and
 * new addresses.
 */
void arch_host_set_debugregs(const uint64_t addr[4], uint64_t dr7)
{
	__asm__ volatile("mov %0, %%db7" :: "r"(0ULL));
	if (!dr7)
		return;
	__asm__ volatile("mov %0, %%db0" :: "r"(addr[0]));
	__asm__ volatile("mov %0, %%db1" :: "r"(addr[1]));
	__asm__ volatile("mov %0, %%db2" :: "r"(addr[2]));
	__asm__ volatile("mov %0, %%db3" :: "r"(addr[3]));
	__asm__ volatile("mov %0, %%db7" :: "r"(dr7));
}

uint64_t arch_host_take_dr6(void)
{
	uint64_t dr6;

	__asm__ volatile("mov %%db6, %0" : "=r"(dr6));
	__asm__ volatile("mov %0, %%db6" :: "r"(0xffff0ff0ULL));
	return dr6;
}
