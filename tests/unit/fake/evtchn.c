/* The fake machine's event-channel layer (see evtchn.h). */
#include "fake/evtchn.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <arch.h>
#include <console.h>
#include <event.h>
#include <guest_access.h>
#include <page.h>
#include <sched.h>
#include <public/errno.h>
#include <wake_stats.h>

struct wake_stats wake_stats;   /* the event code counts into it; nobody reads it here */
bool shim_copy_to_fails;

/* ---- Kicks ---- */
#define MAX_KICKED 64
static struct { struct vcpu *v; unsigned n; } kicked[MAX_KICKED];

void vcpu_kick(struct vcpu *v)
{
	for (unsigned i = 0; i < MAX_KICKED; i++) {
		if (kicked[i].v == v || !kicked[i].v) {
			kicked[i].v = v;
			kicked[i].n++;
			return;
		}
	}
}

unsigned shim_kicks(struct vcpu *v)
{
	for (unsigned i = 0; i < MAX_KICKED; i++)
		if (kicked[i].v == v)
			return kicked[i].n;
	return 0;
}

void shim_reset_kicks(void)
{
	memset(kicked, 0, sizeof(kicked));
}

/* ---- Domains ---- */
struct domain *shim_domain_create(domid_t id, unsigned nr_vcpus, bool privileged)
{
	struct domain *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	d->domain_id = id;
	d->is_privileged = privileged;
	d->state = DOMAIN_RUNNING;
	d->max_vcpus = nr_vcpus;
	d->shared_info = aligned_alloc(4096, 4096);
	memset(d->shared_info, 0, 4096);
	assert_int_equal(evtchn_domain_init(d), 0);
	for (unsigned i = 0; i < nr_vcpus; i++) {
		struct vcpu *v = calloc(1, sizeof(*v));
		v->vcpu_id = i;
		v->domain = d;
		v->vcpu_info = i < XEN_LEGACY_MAX_VCPUS ? &d->shared_info->vcpu_info[i] : NULL;
		v->online = true;
		d->vcpus[i] = v;
	}
	d->next = domain_list;
	domain_list = d;
	return d;
}

void shim_domain_destroy(struct domain *d)
{
	struct domain **pp;

	fake_preempt_every = fake_preempt_one_in = fake_preempt_at = 0;
	while (evtchn_domain_destroy(d) == -XEN_ERESTART)
		;
	assert_null(d->evtchn);
	for (pp = &domain_list; *pp; pp = &(*pp)->next)
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	for (unsigned c = 0; c < FAKE_NR_CPUS; c++)
		if (fake_current[c] && fake_current[c]->domain == d)
			fake_current[c] = NULL;
	for (unsigned i = 0; i < d->max_vcpus; i++)
		free(d->vcpus[i]);
	free(d->shared_info);
	free(d);
}

/* ---- Frames ---- */
static uint8_t frames[SHIM_NR_FRAMES][4096] __attribute__((aligned(4096)));
static struct page_info shim_frame_table[SHIM_MFN_BASE + SHIM_NR_FRAMES];
struct page_info *frame_table = shim_frame_table;
uint64_t frame_table_size = SHIM_MFN_BASE + SHIM_NR_FRAMES;
static unsigned next_frame;

void shim_frames_reset(void)
{
	next_frame = 0;
	memset(shim_frame_table, 0, sizeof(shim_frame_table));
}

uint64_t shim_frame_alloc(domid_t owner)
{
	uint64_t mfn;

	assert_true(next_frame < SHIM_NR_FRAMES);
	mfn = SHIM_MFN_BASE + next_frame++;
	memset(frames[mfn - SHIM_MFN_BASE], 0, 4096);
	frame_table[mfn] = (struct page_info){ .owner = owner, .count = 1, .flags = PGF_allocated };
	return mfn;
}

/*
 * page_type.c's rule, as far as these tests need it: one type at a time,
 * changed only while no reference relies on it (no validation here).
 */
int get_page_and_type(struct domain *d, mfn_t mfn, unsigned type)
{
	struct page_info *pg;

	if (mfn >= frame_table_size || frame_table[mfn].owner != d->domain_id)
		return -XEN_EINVAL;
	pg = &frame_table[mfn];
	if (pg->type_count && pg->type != type)
		return -XEN_EINVAL;
	pg->type = (uint8_t)type;
	pg->type_count++;
	pg->count++;
	return 0;
}

void put_page_and_type(mfn_t mfn)
{
	struct page_info *pg = &frame_table[mfn];

	assert_true(pg->type_count > 0 && pg->count > 1);
	pg->type_count--;
	pg->count--;
}

void *shim_frame(uint64_t mfn)
{
	assert_true(mfn >= SHIM_MFN_BASE && mfn < SHIM_MFN_BASE + SHIM_NR_FRAMES);
	return frames[mfn - SHIM_MFN_BASE];
}

void *arch_phys_to_virt(uint64_t pa)
{
	return (char *)shim_frame(pa >> 12) + (pa & 4095);
}

uint64_t arch_virt_to_phys(const void *va)
{
	uint64_t off = (uint64_t)((const uint8_t *)va - &frames[0][0]);

	assert_true(off < sizeof(frames));
	return ((SHIM_MFN_BASE + off / 4096) << 12) + off % 4096;
}

/* ---- Guest copies: guest VA = host pointer ---- */
int copy_from_guest(void *dst, guest_va_t src, size_t len)
{
	if (src < SHIM_BAD_VA) {
		memset(dst, 0, len);
		return -14;
	}
	memcpy(dst, (const void *)src, len);
	return 0;
}

int copy_to_guest(guest_va_t dst, const void *src, size_t len)
{
	if (dst < SHIM_BAD_VA || shim_copy_to_fails)
		return -14;
	memcpy((void *)dst, src, len);
	return 0;
}

/* ---- The fake interrupt controller (pirq.h's arch hooks) ---- */
#include <pirq.h>

int shim_irq_reserved = -1;
bool shim_irq_level[SHIM_NR_IRQS];
bool shim_irq_masked[SHIM_NR_IRQS];
bool shim_needs_eoi[256];

void shim_irq_reset(void)
{
	shim_irq_reserved = -1;
	for (unsigned i = 0; i < SHIM_NR_IRQS; i++) {
		shim_irq_level[i] = false;
		shim_irq_masked[i] = true;
	}
	memset(shim_needs_eoi, 0, sizeof(shim_needs_eoi));
}

bool arch_irq_exists(unsigned irq)
{
	return irq < SHIM_NR_IRQS;
}

const char *arch_irq_reserved(unsigned irq)
{
	return (int)irq == shim_irq_reserved ? "shim console" : NULL;
}

bool arch_irq_is_level(unsigned irq)
{
	assert_true(irq < SHIM_NR_IRQS);
	return shim_irq_level[irq];
}

void arch_irq_mask(unsigned irq)
{
	assert_true(irq < SHIM_NR_IRQS);
	shim_irq_masked[irq] = true;
}

void arch_irq_unmask(unsigned irq)
{
	assert_true(irq < SHIM_NR_IRQS);
	assert_true(irq != (unsigned)shim_irq_reserved);   /* never let the hypervisor's line through */
	shim_irq_masked[irq] = false;
}

void arch_pirq_set_needs_eoi(struct domain *d, unsigned pirq, bool needs_eoi)
{
	assert_true(pirq < 256);
	shim_needs_eoi[pirq] = needs_eoi;
}
