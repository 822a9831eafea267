/*
 * The fake machine's control layer: what the domctl and sysctl workers
 * (common/domctl_*.c, sysctl_*.c) call outside themselves, for
 * tests/unit/hypervisor/common/domctl_test.c and fuzz-hv-ctl: each stub counts its calls (ctl_shim_calls) so a test can assert that a refused command did
 * nothing.
 */
#include <arch.h>
#include <console.h>
#include <domain.h>
#include <frame_alloc.h>
#include <grant_table.h>
#include <page.h>
#include <sched.h>
#include <wallclock.h>
#include <public/errno.h>

unsigned ctl_shim_calls;

struct page_info *frame_table;
uint64_t frame_table_size;
struct frame_alloc machine_frames;

int domain_resume(struct domain *d) { (void)d; ctl_shim_calls++; return 0; }
void wallclock_update_domain(struct domain *d) { (void)d; ctl_shim_calls++; }
int arch_ioports_permit(struct domain *from, struct domain *d, unsigned first, unsigned last, bool allow)
{
	(void)from, (void)d, (void)first, (void)last, (void)allow;
	ctl_shim_calls++;
	return 0;
}
int get_page(struct domain *d, mfn_t mfn) { (void)d, (void)mfn; ctl_shim_calls++; return -XEN_EINVAL; }
int get_page_type(struct domain *d, mfn_t mfn, unsigned type)
{
	(void)d, (void)mfn, (void)type;
	ctl_shim_calls++;
	return -XEN_EINVAL;
}
void put_page(mfn_t mfn) { (void)mfn; }
void put_page_and_type(mfn_t mfn) { (void)mfn; }
void arch_hypercall_page_fill(void *page) { (void)page; ctl_shim_calls++; }
void *arch_phys_to_virt(uint64_t pa) { (void)pa; return NULL; }
uint64_t arch_cpu_khz(void) { return 1000000; }
uint64_t sched_cpu_idle_ns(unsigned cpu) { (void)cpu; ctl_shim_calls++; return 0; }
int gnttab_set_limits(struct domain *d, unsigned max_frames, unsigned max_maptrack_frames)
{
	(void)d, (void)max_frames, (void)max_maptrack_frames;
	ctl_shim_calls++;
	return 0;
}
/* debug key 'g': the domain reported, as a line in the log */
void gnttab_usage_print(const struct domain *d) { printk("usage of d%u\n", d->domain_id); }
void domain_free(struct domain *d) { (void)d; }
unsigned arch_cpu_policy_get(struct vcpu *v, bool raw, struct xen_cpuid_leaf *out, unsigned max)
{
	(void)v, (void)raw, (void)out, (void)max;
	ctl_shim_calls++;
	return 0;
}
int arch_cpu_policy_set(struct domain *d, const struct xen_cpuid_leaf *leaves, unsigned n,
			uint32_t *err_leaf, uint32_t *err_subleaf)
{
	(void)d, (void)leaves, (void)n, (void)err_leaf, (void)err_subleaf;
	ctl_shim_calls++;
	return 0;
}
uint64_t now_ns(void) { return 0; }
unsigned arch_cpu_featureset(struct vcpu *v, bool raw, uint32_t *words, unsigned max)
{
	(void)v, (void)raw, (void)words, (void)max;
	ctl_shim_calls++;
	return 19;
}
unsigned ctl_shim_virqs_sent;
void evtchn_send_global_virq(struct domain *d, unsigned virq)
{
	(void)d, (void)virq;
	ctl_shim_virqs_sent++;
}
/* PARAVANE_SYSCTL_audit's worker (common/sysctl_audit.c needs the frame machine: tests/unit/hypervisor/common/mm_audit_test.c) */
struct xen_sysctl;
int64_t sysctl_audit(struct vcpu *v, struct xen_sysctl *op);
int64_t sysctl_audit(struct vcpu *v, struct xen_sysctl *op)
{
	(void)v, (void)op;
	ctl_shim_calls++;
	return 0;
}
