/* The x86 PV parts of creating a domain and its vCPUs. */
#include <arch.h>
#include <console.h>
#include <domain.h>
#include <asm/desc.h>
#include <asm/ioports.h>
#include <asm/pv.h>
#include <asm/xstate.h>
#include <page.h>
#include <public/errno.h>

/* 64-bit PV guests only: no 32-bit PV, no HVM. */
const char *arch_guest_abis(void)
{
	return "xen-3.0-x86_64";
}

/* The hypervisor's hole: the bottom of the upper canonical half (Xen's layout). */
uint64_t arch_guest_hole_start(void)
{
	return HYPERVISOR_VIRT_START;
}

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

/*
 * A CR3 root's reference goes as an unpin's would; a cut-short
 * devalidation leaves the frame holding itself, finished by the frame scan
 * of domain_destroy.
 */
static void drop_root(mfn_t *root)
{
	if (*root == INVALID_MFN)
		return;
	(void)put_page_type_preemptible(*root);
	put_page(*root);
	*root = INVALID_MFN;
}

void arch_vcpu_relinquish(struct vcpu *v)
{
	struct arch_vcpu *a = av(v);

	if (!a)
		return;
	drop_root(&a->kernel_l4);
	drop_root(&a->user_l4);
	a->devalidating = 0;   /* the frame holds itself: the scan finishes it */
	if (a->gdt)
		pv_desc_relinquish(v);
}

void arch_domain_relinquish(struct domain *d)
{
	/* Linux registers a PIRQ EOI map in every domain (physdev_op): its
	 * reference would keep the domain dying for ever */
	ioports_domain_destroy(d);
}

void arch_vcpu_destroy(struct vcpu *v)
{
	struct arch_vcpu *a = av(v);

	if (!a)
		return;
	if (a->gdt)
		pv_desc_free(v);
	xfree_bytes(a->fpu_area, xstate_area_size());
	xfree(a);
	v->arch = NULL;
}

void arch_domain_destroy(struct domain *d)
{
	ioports_domain_destroy(d);   /* its port grant (ioport_permission, set_iobitmap) */
	if (d->arch)
		xfree_bytes(d->arch->p2m, d->arch->nr_p2m * sizeof(mfn_t));
	xfree(d->arch);
	d->arch = NULL;
}
