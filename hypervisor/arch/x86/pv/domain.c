/* The x86 PV parts of creating a domain and its vCPUs. */
#include <arch.h>
#include <console.h>
#include <domain.h>
#include <asm/desc.h>
#include <asm/pv.h>
#include <asm/xstate.h>
#include <public/errno.h>


int arch_domain_create(struct domain *d)
{
	d->arch = xzalloc(struct arch_domain);
	return d->arch ? 0 : -XEN_ENOMEM;
}

int arch_vcpu_create(struct vcpu *v)
{
	struct arch_vcpu *a;

	v->arch = a = xzalloc(struct arch_vcpu);
	if (!a)
		return -XEN_ENOMEM;
	a->in_kernel = true;
	a->kernel_l4 = INVALID_MFN;
	a->user_l4 = INVALID_MFN;
	a->msr_pat = XEN_PV_PAT;
	a->xcr0 = 1;   /* x87 only until the guest asks for more */
	a->regs.cs = SEL_RING3_CS64;
	a->regs.ss = SEL_RING3_DS;
	a->regs.rflags = 1u << 9;
	a->fpu_area = xzalloc_bytes(xstate_area_size());   /* whole frames: 64-byte aligned */
	if (!a->fpu_area)
		return -XEN_ENOMEM;
	pv_fpu_reset(v);
	return pv_gdt_alloc(v);
}
