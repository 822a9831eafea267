/* The fake machine's CPU for the PV emulator (see cpu.h). */
#include "fake/cpu.h"
#include "fake/guest_mem.h"

#include <stdio.h>
#include <string.h>
#include <guest_access.h>
#include <hypercall.h>
#include <sched.h>
#include <console.h>
#include <asm/ioports.h>
#include <public/errno.h>

uint8_t shim_mem[SHIM_PAGES * 4096];
bool shim_page_mapped[SHIM_PAGES];
unsigned shim_blocks, shim_wbinvds;
uint64_t shim_tsc, shim_efer, shim_xcr0_written, shim_wrmsr_val;
uint32_t shim_wrmsr_last;
struct vcpu shim_vcpu;
struct domain shim_dom;
struct arch_vcpu shim_arch;
static struct arch_domain shim_arch_dom;
struct vcpu_info shim_vcpu_info;
struct cpu_regs shim_regs;

struct cpuid_entry {
	uint32_t leaf, sub, r[4];
};
static struct cpuid_entry host_cpuid[64];
static unsigned nr_host_cpuid;

void shim_host_cpuid_set(uint32_t leaf, uint32_t sub, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	unsigned i;

	for (i = 0; i < nr_host_cpuid; i++)
		if (host_cpuid[i].leaf == leaf && host_cpuid[i].sub == sub)
			break;
	assert_true(i < 64);
	host_cpuid[i] = (struct cpuid_entry){ leaf, sub, { a, b, c, d } };
	if (i == nr_host_cpuid)
		nr_host_cpuid++;
}

/*
 * A modern Intel-like host with everything set that the policy must hide,
 * so a test sees each mask at work. XSAVE with x87|SSE|AVX|AVX-512|PKRU.
 */
static void default_host(void)
{
	nr_host_cpuid = 0;
	shim_host_cpuid_set(0, 0, 0x1f, 0x756e6547, 0x6c65746e, 0x49656e69);
	shim_host_cpuid_set(1, 0, 0x000906ea, 0x07100800, 0xfffa3223 | (1u << 26) | (1u << 27),
			    0xbfebfbff);
	shim_host_cpuid_set(7, 0, 2, 0xffffffff, 0xffffffff, 0xffffffff);
	shim_host_cpuid_set(7, 1, 0x10, 0, 0, 0);
	shim_host_cpuid_set(0xa, 0, 0x07300404, 0, 0, 0x603);
	shim_host_cpuid_set(0xb, 0, 1, 2, 0x100, 3);
	shim_host_cpuid_set(0xd, 0, 0x2e7, 0xa88, 0xa88, 0);
	shim_host_cpuid_set(0xd, 1, 0xf, 0x988, 0x100, 0);
	shim_host_cpuid_set(0xd, 2, 256, 576, 0, 0);
	shim_host_cpuid_set(0xd, 5, 64, 1088, 0, 0);
	shim_host_cpuid_set(0xd, 6, 512, 1152, 0, 0);
	shim_host_cpuid_set(0xd, 7, 1024, 1664, 0, 0);
	shim_host_cpuid_set(0xd, 9, 8, 2688, 0, 0);
	shim_host_cpuid_set(0x40000000, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x4d);
	shim_host_cpuid_set(0x80000000, 0, 0x80000008, 0, 0, 0);
	shim_host_cpuid_set(0x80000001, 0, 0, 0, 0xffffffff, 0xffffffff);
	shim_host_cpuid_set(0x80000007, 0, 0, 0, 0, 0x100 | 0x1);
	shim_host_cpuid_set(0x80000008, 0, 0x3027, 0xffff, 0x7, 0xffff);
}

void shim_reset(void)
{
	memset(shim_mem, 0xcc, sizeof(shim_mem));
	for (unsigned i = 0; i < SHIM_PAGES; i++)
		shim_page_mapped[i] = true;
	fake_pv_reset();
	fake_trap_only = &shim_vcpu;
	shim_blocks = shim_wbinvds = 0;
	fake_ports_reset();
	memset(shim_hw_dr, 0, sizeof(shim_hw_dr));
	shim_hw_dr7 = 0;
	shim_dr_loads = 0;
	shim_tsc = 0x123456789abcdef0ULL;
	shim_efer = 0xd01;   /* SCE | LME | LMA | NXE */
	shim_xcr0_written = ~0ULL;
	shim_wrmsr_last = 0;
	shim_wrmsr_val = 0;
	memset(&shim_dom, 0, sizeof(shim_dom));
	memset(&shim_vcpu, 0, sizeof(shim_vcpu));
	memset(&shim_arch, 0, sizeof(shim_arch));
	memset(&shim_vcpu_info, 0, sizeof(shim_vcpu_info));
	memset(&shim_regs, 0, sizeof(shim_regs));
	shim_new_baseptr_rc = 0;
	shim_dom.is_privileged = true;
	memset(&shim_arch_dom, 0, sizeof(shim_arch_dom));
	shim_dom.arch = &shim_arch_dom;
	shim_dom.vcpus[0] = &shim_vcpu;
	shim_dom.max_vcpus = 1;
	shim_vcpu.domain = &shim_dom;
	shim_vcpu.vcpu_info = &shim_vcpu_info;
	shim_vcpu.arch = &shim_arch;
	shim_arch.in_kernel = true;
	shim_arch.iopl = 1;          /* what Linux sets with PHYSDEVOP_set_iopl at boot */
	shim_arch.kernel_l4 = 0x1234;
	shim_regs.cs = FLAT_KERNEL_CS;
	shim_regs.rflags = 0x202;
	set_current_vcpu(&shim_vcpu);
	default_host();
}

void shim_put_insn(uint64_t va, const uint8_t *bytes, size_t len)
{
	assert_true(va >= SHIM_VA && va - SHIM_VA + len <= sizeof(shim_mem));
	memcpy(shim_mem + (va - SHIM_VA), bytes, len);
	shim_regs.rip = va;
}

bool shim_emulate(unsigned vector)
{
	shim_regs.vector = vector;
	return pv_emulate_privileged(&shim_vcpu, &shim_regs, vector);
}

/* ---- guest_access.h over shim_mem ---- */
const struct guest_mem_fake guest_mem_fake = {
	.va = SHIM_VA, .mem = shim_mem, .size = sizeof(shim_mem), .page_mapped = shim_page_mapped,
};

/* ---- what the lead's code provides in the hypervisor ---- */
void sched_block_current(void) { shim_blocks++; }

/* MOV to CR3 (emulate_cr.c) is pv/mm.c's NEW_BASEPTR; here it just records the frame. */
int pv_new_baseptr(struct vcpu *v, uint64_t mfn);
void arch_hypercall_enter(void) {}

int shim_new_baseptr_rc;
int pv_new_baseptr(struct vcpu *v, uint64_t mfn)
{
	if (shim_new_baseptr_rc)
		return shim_new_baseptr_rc;
	av(v)->kernel_l4 = mfn;
	return 0;
}

/* pv/mm.c's, as there: the tables of the vCPU's current mode. */
mfn_t pv_active_l4(struct vcpu *v);
mfn_t pv_active_l4(struct vcpu *v)
{
	return av(v)->in_kernel ? av(v)->kernel_l4 : av(v)->user_l4;
}

/*
 * The I/O port grant (arch/x86/pv/physdev_io.c): here no domain holds one
 * and no vCPU has an I/O bitmap, so every port stays virtual. Weak, so that
 * the dom0 tests link the real file over them.
 */
__attribute__((weak)) bool ioports_domain_permitted(struct domain *d, unsigned port, unsigned size)
{
	return false;
}

__attribute__((weak)) void ioports_guest_bitmap(struct vcpu *v, uint64_t *va, uint32_t *nr_ports)
{
	*va = 0;
	*nr_ports = 0;
}

/* ---- the fake CPU ---- */
void arch_host_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	for (unsigned i = 0; i < nr_host_cpuid; i++) {
		if (host_cpuid[i].leaf == leaf && host_cpuid[i].sub == subleaf) {
			memcpy(out, host_cpuid[i].r, 16);
			return;
		}
	}
	memset(out, 0, 16);
}

uint64_t arch_host_rdtsc(void) { return shim_tsc; }

uint64_t arch_host_rdmsr(uint32_t msr)
{
	assert_int_equal(msr, 0xc0000080);   /* the only host MSR the policy reads */
	return shim_efer;
}

void arch_host_wrmsr(uint32_t msr, uint64_t val)
{
	shim_wrmsr_last = msr;
	shim_wrmsr_val = val;
}

void arch_host_xsetbv(uint32_t xcr, uint64_t val)
{
	assert_int_equal(xcr, 0);
	shim_xcr0_written = val;
}

void arch_host_wbinvd(void) { shim_wbinvds++; }

uint64_t shim_hw_dr[4], shim_hw_dr7;
unsigned shim_dr_loads;

void arch_host_set_debugregs(const uint64_t addr[4], uint64_t dr7)
{
	shim_hw_dr7 = dr7;
	if (dr7)
		memcpy(shim_hw_dr, addr, sizeof(shim_hw_dr));
	shim_dr_loads++;
}

uint64_t arch_host_take_dr6(void)
{
	return 0xffff0ff0ULL;
}
