/*
 * CPU policies for the toolstack: what pv_cpuid (cpuid.c) shows, as the
 * list of CPUID leaves Xen's interface carries, and the restriction a
 * toolstack may put on a domain (XEN_DOMCTL_set_cpu_policy: libxl's
 * `cpuid=` and its levelling). Only feature bits can be taken away; what
 * a guest sees is always a subset of what cpuid.c offers, so a policy can
 * never show a PV guest a feature that would fault.
 *
 * The leaves listed are Xen 4.17's serialisation for the leaves Paravane
 * has: every basic leaf up to leaf 0's maximum (0xd at most) with no
 * sub-leaf, except 4 (each cache level and the first empty one), 7
 * (sub-leaves up to 7.0 EAX), 0xb (each topology level and the first
 * empty one, two at most) and 0xd (0, 1, then 2 up to the highest state
 * component, gaps included); then the two hypervisor-range limits
 * (0x40000000 and 0x40000100: EAX only, 0 = the hypervisor's default);
 * then the extended leaves. libxenguest parses that list and writes it
 * back out with Xen's serialisation into a buffer of the length we
 * reported, so any leaf Xen would list and we did not makes `xl create`
 * fail with -ENOBUFS.
 */
#include <arch.h>
#include <asm/pv.h>
#include <public/arch-x86_64.h>
#include <public/errno.h>
#include "emulate.h"

#define MAX_BASIC     0xdu
#define MAX_EXTENDED  0x80000008u
#define MAX_CACHE_SUB 5
#define MAX_FEAT_SUB  2
#define MAX_TOPO_SUB  2
#define HV_LIMIT_LEAF  0x40000000u
#define HV2_LIMIT_LEAF 0x40000100u

/* The feature words a policy may restrict: cpuid_hidden[] index -> leaf, sub-leaf, register. */
static const struct {
	uint32_t leaf, subleaf;
	unsigned reg;        /* 0-3: EAX-EDX */
	uint32_t keep;       /* bits the hypervisor sets itself: never hidden */
} words[8] = {
	{ 1, XEN_CPUID_NO_SUBLEAF, 2, (1u << 27) | (1u << 31) },   /* ECX: OSXSAVE, HYPERVISOR */
	{ 1, XEN_CPUID_NO_SUBLEAF, 3, 0 },
	{ 7, 0, 1, 0 },
	{ 7, 0, 2, 1u << 4 },                                       /* ECX: OSPKE */
	{ 7, 0, 3, 0 },
	{ 0x80000001, XEN_CPUID_NO_SUBLEAF, 2, 0 },
	{ 0x80000001, XEN_CPUID_NO_SUBLEAF, 3, 0 },
	{ 0xd, 1, 0, 0 },
};

static bool has_subleaves(uint32_t leaf)
{
	return leaf == 4 || leaf == 7 || leaf == 0xb || leaf == 0xd;
}

void pv_cpuid_policy_apply(struct domain *d, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	if (!has_subleaves(leaf))
		subleaf = XEN_CPUID_NO_SUBLEAF;
	for (unsigned i = 0; i < ARRAY_SIZE(words); i++)
		if (words[i].leaf == leaf && words[i].subleaf == subleaf)
			out[words[i].reg] &= ~d->arch->cpuid_hidden[i];
}

struct lister {
	struct vcpu *v;
	bool raw;
	struct xen_cpuid_leaf *out;
	unsigned max, n;
};

static void read_leaf(struct lister *l, uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	uint32_t sub = subleaf == XEN_CPUID_NO_SUBLEAF ? 0 : subleaf;

	if (l->raw)
		arch_host_cpuid(leaf, sub, r);
	else
		pv_cpuid(l->v, leaf, sub, r);
}

static void emit(struct lister *l, uint32_t leaf, uint32_t subleaf, const uint32_t r[4])
{
	if (l->n < l->max)
		l->out[l->n] = (struct xen_cpuid_leaf){ leaf, subleaf, r[0], r[1], r[2], r[3] };
	l->n++;
}

static void list_subleaves(struct lister *l, uint32_t leaf)
{
	uint32_t r[4];

	read_leaf(l, leaf, 0, r);
	switch (leaf) {
	case 4:    /* cache levels up to the one whose type field says none */
		for (uint32_t s = 0; s <= MAX_CACHE_SUB; read_leaf(l, leaf, ++s, r)) {
			emit(l, leaf, s, r);
			if (!(r[0] & 0x1f))
				break;
		}
		break;
	case 7:
		for (uint32_t s = 0, last = MIN(r[0], MAX_FEAT_SUB); s <= last; read_leaf(l, leaf, ++s, r))
			emit(l, leaf, s, r);
		break;
	case 0xb:  /* topology levels up to the one whose level type says none */
		for (uint32_t s = 0; s < MAX_TOPO_SUB; read_leaf(l, leaf, ++s, r)) {
			emit(l, leaf, s, r);
			if (!((r[2] >> 8) & 0xff))
				break;
		}
		break;
	case 0xd: {
		uint64_t components = r[0] | (uint64_t)r[3] << 32;

		emit(l, leaf, 0, r);
		read_leaf(l, leaf, 1, r);
		emit(l, leaf, 1, r);
		for (uint32_t s = 2; s < 63 && (components >> s); s++) {
			read_leaf(l, leaf, s, r);
			emit(l, leaf, s, r);
		}
		break;
	}
	}
}

unsigned arch_cpu_policy_get(struct vcpu *v, bool raw, struct xen_cpuid_leaf *out, unsigned max)
{
	struct lister l = { .v = v, .raw = raw, .out = out, .max = max };
	uint32_t r[4], last;

	read_leaf(&l, 0, XEN_CPUID_NO_SUBLEAF, r);
	last = MIN(r[0], MAX_BASIC);
	for (uint32_t leaf = 0; leaf <= last; leaf++) {
		if (has_subleaves(leaf)) {
			list_subleaves(&l, leaf);
			continue;
		}
		read_leaf(&l, leaf, XEN_CPUID_NO_SUBLEAF, r);
		emit(&l, leaf, XEN_CPUID_NO_SUBLEAF, r);
	}
	emit(&l, HV_LIMIT_LEAF, XEN_CPUID_NO_SUBLEAF, (const uint32_t[4]){ 0 });
	emit(&l, HV2_LIMIT_LEAF, XEN_CPUID_NO_SUBLEAF, (const uint32_t[4]){ 0 });
	read_leaf(&l, 0x80000000, XEN_CPUID_NO_SUBLEAF, r);
	if (r[0] >= 0x80000000) {
		last = MIN(r[0], MAX_EXTENDED);
		for (uint32_t leaf = 0x80000000; leaf <= last; leaf++) {
			read_leaf(&l, leaf, XEN_CPUID_NO_SUBLEAF, r);
			emit(&l, leaf, XEN_CPUID_NO_SUBLEAF, r);
		}
	}
	return l.n;
}

/* Is the leaf one a policy can hold? (Xen: -ERANGE otherwise.) */
static bool leaf_in_policy(const struct xen_cpuid_leaf *e)
{
	/* the hypervisor-range limits: accepted, not kept (ours are fixed) */
	if (e->leaf == HV_LIMIT_LEAF || e->leaf == HV2_LIMIT_LEAF)
		return e->subleaf == XEN_CPUID_NO_SUBLEAF;
	if (e->leaf <= MAX_BASIC)
		return has_subleaves(e->leaf) ? e->subleaf < 64 : e->subleaf == XEN_CPUID_NO_SUBLEAF;
	return e->leaf >= 0x80000000 && e->leaf <= MAX_EXTENDED && e->subleaf == XEN_CPUID_NO_SUBLEAF;
}

/* A max-leaf entry above what the domain is offered: Xen's audit refuses it (-EINVAL). */
static bool max_leaf_too_high(struct domain *d, const struct xen_cpuid_leaf *e)
{
	uint32_t r[4];

	if (e->leaf != 0 && e->leaf != 0x80000000)
		return false;
	pv_cpuid(d->vcpus[0], e->leaf, 0, r);
	return e->a > r[0];
}

int arch_cpu_policy_set(struct domain *d, const struct xen_cpuid_leaf *leaves, unsigned n,
			uint32_t *err_leaf, uint32_t *err_subleaf)
{
	uint32_t hidden[ARRAY_SIZE(words)];

	if (n > ARCH_CPU_POLICY_MAX_LEAVES)
		return -XEN_E2BIG;
	memcpy(hidden, d->arch->cpuid_hidden, sizeof(hidden));
	for (unsigned k = 0; k < n; k++) {
		const struct xen_cpuid_leaf *e = &leaves[k];
		const uint32_t regs[4] = { e->a, e->b, e->c, e->d };
		int rc = !leaf_in_policy(e) ? -XEN_ERANGE : max_leaf_too_high(d, e) ? -XEN_EINVAL : 0;

		if (rc) {
			*err_leaf = e->leaf;
			*err_subleaf = e->subleaf;
			return rc;
		}
		for (unsigned i = 0; i < ARRAY_SIZE(words); i++)
			if (words[i].leaf == e->leaf && words[i].subleaf == e->subleaf)
				hidden[i] = ~regs[words[i].reg] & ~words[i].keep;
	}
	memcpy(d->arch->cpuid_hidden, hidden, sizeof(hidden));
	return 0;
}

/*
 * Xen's featureset: the feature words in its fixed order (public
 * cpufeatureset.h of Xen 4.17: word 0 is leaf 1 EDX, 1 leaf 1 ECX, ...).
 * Words 16 and 17 are MSR_ARCH_CAPABILITIES, which a PV guest here does
 * not have: 0.
 */
#define NO_WORD 0xffffffffu
static const struct { uint32_t leaf, subleaf; unsigned reg; } fs_words[] = {
	{ 1, 0, 3 }, { 1, 0, 2 }, { 0x80000001, 0, 3 }, { 0x80000001, 0, 2 }, { 0xd, 1, 0 },
	{ 7, 0, 1 }, { 7, 0, 2 }, { 0x80000007, 0, 3 }, { 0x80000008, 0, 1 }, { 7, 0, 3 },
	{ 7, 1, 0 }, { 0x80000021, 0, 0 }, { 7, 1, 1 }, { 7, 2, 3 }, { 7, 1, 2 }, { 7, 1, 3 },
	{ NO_WORD, 0, 0 }, { NO_WORD, 0, 0 }, { 0x80000021, 0, 2 },
};

unsigned arch_cpu_featureset(struct vcpu *v, bool raw, uint32_t *words, unsigned max)
{
	struct lister l = { .v = v, .raw = raw };
	uint32_t basic[4], extended[4];

	read_leaf(&l, 0, 0, basic);
	read_leaf(&l, 0x80000000, 0, extended);
	for (unsigned i = 0; i < ARRAY_SIZE(fs_words) && i < max; i++) {
		uint32_t leaf = fs_words[i].leaf, r[4] = { 0, 0, 0, 0 };
		bool present = leaf < 0x80000000 ? leaf <= basic[0] : leaf <= extended[0] && extended[0] >= 0x80000000;

		if (leaf != NO_WORD && present)
			read_leaf(&l, leaf, fs_words[i].subleaf, r);
		words[i] = r[fs_words[i].reg];
	}
	return ARRAY_SIZE(fs_words);
}
