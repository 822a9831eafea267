/*
 * Domain and vCPU life cycle, and the small allocator hypervisor objects
 * come from.
 */
#include <arch.h>
#include <console.h>
#include <domain.h>
#include <wallclock.h>
#include <event.h>
#include <frame_alloc.h>
#include <page.h>
#include <sched.h>
#include <public/errno.h>
#include <public/sched.h>

struct domain *domain_list;
struct domain *domain0;
uint64_t frame_changes;   /* domain.h: anything the frame audit counts changed */
struct domain *domain_lookup_any(domid_t id)
{
	for_each_domain(d)
		if (d->domain_id == id)
			return d;
	return NULL;
}

struct domain *domain_lookup(domid_t id)
{
	struct domain *d = domain_lookup_any(id);

	return d && !d->is_dying ? d : NULL;
}

static unsigned order_for(size_t size)
{
	unsigned order = 0;

	while ((FRAME_SIZE << order) < size)
		order++;
	return order;
}

/* Whole frames: simple and never fragments; TODO(#4): a slab for small objects. */
void *xzalloc_bytes(size_t size)
{
	mfn_t mfn = alloc_frames(order_for(size));
	void *p;

	if (mfn == INVALID_MFN)
		return NULL;
	p = arch_phys_to_virt(mfn << FRAME_SHIFT);
	memset(p, 0, FRAME_SIZE << order_for(size));
	return p;
}

void xfree_bytes(void *p, size_t size)
{
	if (p)
		free_frames(arch_virt_to_phys(p) >> FRAME_SHIFT, order_for(size));
}


/*
 * shared_info is the hypervisor's frame shared with d (page_share), as on
 * Xen: d owns it, so d's page tables and a privileged domain's foreign
 * mapping (a domain builder setting the event masks) hold references on it
 * like on any frame of d's, and a mapping that outlives d keeps the frame,
 * and d, dying, until it goes. d's own reference goes in domain_free.
 */
static int shared_info_create(struct domain *d)
{
	mfn_t mfn = alloc_frames(0);

	if (mfn == INVALID_MFN)
		return -XEN_ENOMEM;
	d->shared_info = arch_phys_to_virt(mfn << FRAME_SHIFT);
	memset(d->shared_info, 0, FRAME_SIZE);
	page_share(d, mfn);
	d->shared_info_mfn = mfn;
	return 0;
}

struct domain *domain_create(domid_t id, unsigned max_vcpus, bool privileged)
{
	struct domain *d;

	if (max_vcpus == 0 || max_vcpus > MAX_VIRT_CPUS)
		return NULL;
	d = xzalloc(struct domain);
	if (!d)
		return NULL;
	d->domain_id = id;
	d->is_privileged = privileged;
	d->state = DOMAIN_BUILDING;
	d->max_vcpus = max_vcpus;
	if (shared_info_create(d) || arch_domain_create(d) || evtchn_domain_init(d))
		goto fail;
	wallclock_update_domain(d);   /* the time of day, if the hypervisor knows it */
	for (unsigned i = 0; i < max_vcpus; i++) {
		struct vcpu *v = xzalloc(struct vcpu);
		if (!v)
			goto fail;
		v->vcpu_id = i;
		v->domain = d;
		v->vcpu_info = i < XEN_LEGACY_MAX_VCPUS ? &d->shared_info->vcpu_info[i] : NULL;
		d->vcpus[i] = v;
		if (v->vcpu_info)
			v->vcpu_info->evtchn_upcall_mask = 1;   /* "interrupts" start off */
		vcpu_timers_init(v);
		if (arch_vcpu_create(v))
			goto fail;
	}
	d->next = domain_list;
	domain_list = d;
	if (id == 0)
		domain0 = d;
	frame_changes++;
	return d;
fail:
	domain_free(d);   /* common/domain_teardown.c: frees what was built, NULL-safe */
	return NULL;
}

/*
 * The grant table stays, as on Xen 4.17, until the domain is destroyed
 * (domain_teardown.c): a backend keeps what it mapped from a shut-down or
 * crashed domain and may still map its grants (requests in flight), and
 * the domain keeps its own mappings of others' grants. Its vCPUs are
 * stopped, so it can change none of it meanwhile.
 */
static void stop_vcpus(struct domain *d)
{
	for (unsigned i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] && d->vcpus[i]->online)
			sched_remove_vcpu(d->vcpus[i]);
}

/* As Xen: a shutdown, a crash (and, domain_teardown.c, a death) raise Dom0's VIRQ_DOM_EXC. */
static void tell_dom0(struct domain *d)
{
	if (domain0 && domain0 != d)
		evtchn_send_global_virq(domain0, VIRQ_DOM_EXC);
}

static void shut_down(struct domain *d, unsigned reason)
{
	d->state = DOMAIN_SHUTDOWN;
	d->shutdown_code = reason;
	stop_vcpus(d);
	tell_dom0(d);
}

static const char *shutdown_reason(unsigned code)
{
	switch (code) {
	case SHUTDOWN_poweroff: return "poweroff";
	case SHUTDOWN_reboot: return "reboot";
	case SHUTDOWN_suspend: return "suspend";
	case SHUTDOWN_crash: return "crash";
	case SHUTDOWN_watchdog: return "watchdog";
	case SHUTDOWN_soft_reset: return "soft reset";
	default: return "unknown reason";
	}
}

void domain_crash(struct domain *d, const char *why, ...)
{
	struct vcpu *v = current_vcpu();
	va_list ap;

	if (d->state != DOMAIN_RUNNING)
		return;
	printk("Domain %u crashed: ", d->domain_id);
	if (v && v->domain == d)
		printk("d%uv%u: ", d->domain_id, v->vcpu_id);   /* the vCPU that did it */
	va_start(ap, why);
	vprintk(why, ap);
	va_end(ap);
	printk("\n");
	shut_down(d, SHUTDOWN_crash);
}

void domain_shutdown(struct domain *d, unsigned reason)
{
	if (d->state != DOMAIN_RUNNING)
		return;
	printk("Domain %u shut down: %s (reason %u)\n", d->domain_id, shutdown_reason(reason), reason);
	shut_down(d, reason);
}

int domain_resume(struct domain *d)
{
	if (d->state == DOMAIN_RUNNING)
		return 0;
	printk("Domain %u resumed\n", d->domain_id);
	d->state = DOMAIN_RUNNING;
	for (unsigned i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] && d->vcpus[i]->online)
			sched_start_vcpu(d->vcpus[i]);
	return 0;
}

/*
 * The initial domain is gone. As on Xen: its poweroff halts the machine, its
 * reboot restarts it, and a crash restarts it unless `noreboot`.
 */
void domain_all_done(void)
{
	struct domain *d = domain0;

	if (!d || d->shutdown_code == SHUTDOWN_crash ||
	    d->shutdown_code == SHUTDOWN_watchdog) {
		printk("The initial domain crashed.\n");
		arch_shutdown(true);
	}
	if (d->shutdown_code == SHUTDOWN_reboot)
		arch_reboot();
	arch_poweroff();
}
