/*
 * dom0-hcfuzz - hypercall fuzzing from Linux Dom0's user space.
 *
 * Runs as root in a Dom0 running Debian's kernel (on Paravane or Xen 4.17)
 * and issues structure-aware random hypercalls through /dev/xen/privcmd
 * (IOCTL_PRIVCMD_HYPERCALL) and foreign mappings through its mmap and
 * IOCTL_PRIVCMD_MMAPBATCH_V2, from a seed it prints, in rounds of CALLS
 * calls. Each round has its own targets:
 *   T  a live DomU it creates (never started unless a fuzzed setvcpucontext
 *      and unpause start it), 64 frames, whose frames it fills through
 *      foreign mappings with random page-table entries before pinning them;
 *   D  a dying DomU: created, one frame mapped by us, destroyed;
 *   S  16 spare frames of Dom0's own (increase_reservation at start), which
 *      Linux does not know: the only Dom0 frames made into tables, cleared,
 *      copied into, written as descriptors or mapped writable;
 * and names besides: Dom0's other frames (read-only mappings, sources
 * only), frames past RAM, the hypervisor's; domids self, T, D, absent,
 * DOMID_IO/XEN/INVALID; pointers into its own scratch pages, Dom0's kernel
 * text (read-only: writes must fault), the hypervisor's half,
 * non-canonical ones, NULL.
 *
 * Dom0 may legitimately destroy itself; what would, by design, is never
 * issued (docs/security.md "Fuzzing from Dom0" lists each with why):
 * SCHEDOP_shutdown/shutdown_code/watchdog of itself, destroy/pause/max_mem/
 * setvcpucontext of itself (only read-only domctls name Dom0), NEW_BASEPTR,
 * NEW_USER_BASEPTR and SET_LDT, pins/clears/copies/descriptor writes on
 * Dom0 frames Linux uses, writable mappings of them, memory_op that adds
 * or takes Dom0 frames, set_callbacks/callback_op, a set_gdt or
 * set_trap_table that could succeed, vcpu_op that moves vcpu_info or the
 * runstate area or takes a vCPU down, event-channel reset/init_control/
 * expand_array and closing ports Linux owns, the pirq EOI map, unmapping
 * Dom0's pirqs, grant-table version 2, sysctls that change the machine
 * (debug_keys, cpu_hotplug, pm, page_offline, cpupool, set_parameter,
 * livepatch), platform_op, mca, kexec, hypfs.
 *
 * After every round: the frame audit (PARAVANE_SYSCTL_audit; refused on
 * Xen 4.17, skipped) with T alive and D dying; T destroyed, D let go: both
 * gone, the hypervisor's free frames back to their count before the round,
 * the audit clean again; Dom0's reservation, a canary page it never names,
 * the hypervisor answering. Calls that must fail (set_gdt with a bad frame,
 * set_trap_table from a bad pointer, a domctl naming an absent domain) are
 * checked one by one.
 *
 * Usage: dom0-hcfuzz [-s SEED] [-r ROUNDS] [-t SECONDS] [-v] [-T ROUND] [-c N]
 * (-v prints every call and its result, -T only round ROUND's; -c N: round
 * ROUND makes only its first N calls, for bisecting a finding). The same
 * seed on the same boot image replays the same calls (frame numbers and
 * domids are those the run finds: T's frames, S).
 * Ends with "dom0-hcfuzz: N passed, M failed" and exit code 0 only if M == 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "linux_xen.h"
#include "public/xen.h"
#include "public/domctl.h"
#include "public/sysctl.h"
#include "public/memory.h"
#include "public/grant_table.h"
#include "public/event_channel.h"
#include "public/vcpu.h"
#include "public/physdev.h"
#include "public/sched.h"
#include "public/version.h"

#define CALLS     256        /* per round */
#define SCRATCH   64         /* pages of argument blocks */
#define NT        64         /* T's frames */
#define NS        16         /* Dom0's spare frames */
#define NWIN      4          /* live privcmd windows */
#define WINMAX    16         /* pages per window */
#define PORTS     4096

static int fd;
static uint64_t rng;
static uint8_t *scratch;                 /* SCRATCH pages, mlocked */
static uint8_t *canary;                  /* one page never named */
static uint64_t tmfn[NT], smfn[NS], dmfn;
static domid_t tid, did, absent_id;
static uint64_t ktext, krodata;
static int paravane, verbose;
static long trace_round = -1;
static unsigned round_calls = CALLS;     /* -c N: the traced round makes only its first N calls (bisecting) */
static struct { uint8_t *va; unsigned n; } win[NWIN];
static uint8_t port_free0[PORTS];        /* ports closed before the run */
struct call {
	uint64_t nr, a[5];
	int must_fail;
	unsigned kind;
};

#define MAXMAPS 512
static struct gnttab_unmap_grant_ref maps[MAXMAPS];   /* Dom0's grant maps this round: undone at its end */
static unsigned nmaps, grants_written;
static unsigned long long calls_total, calls_ok;
static int passed, failed;

static void check(int ok, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#include <stdarg.h>
static void check(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static long hc(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	struct privcmd_hypercall h = { op, { a0, a1, a2, a3, a4 } };
	long r = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);

	return r < 0 ? -errno : r;
}

/* ---- Seeded generator (xorshift) ------------------------------------- */
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}
static unsigned below(unsigned n) { return (unsigned)(rnd() % n); }
static int one_in(unsigned n) { return below(n) == 0; }

/* ---- Names ------------------------------------------------------------ */
/*
 * A frame no domain has: past RAM. (Low frames are not "bad": some may be
 * Dom0's, and a write there, by an mmu_update of a writable page or a
 * CLEAR_PAGE, is to Linux's memory by design. They are named for reading
 * only, in frame_any().)
 */
static uint64_t bad_frame(void)
{
	switch (below(3)) {
	case 0: return (1ULL << 40) + below(16);        /* past any RAM */
	case 1: return ~0ULL >> 12;
	default: return 0x100000 + below(0x10000);      /* past this machine's 1 GiB */
	}
}

/* A frame that may be written, pinned or made writable: T's, S, D's, or one that cannot be. */
static uint64_t frame_w(void)
{
	switch (below(8)) {
	case 0: case 1: case 2: return tmfn[below(NT)];
	case 3: case 4: return smfn[below(NS)];
	case 5: return dmfn;
	default: return bad_frame();
	}
}

/* Any frame: also Dom0's others (read, mapped read-only, named as a source only). */
static uint64_t frame_any(void)
{
	return one_in(4) ? below(0x20000) : frame_w();   /* firmware, the hypervisor's, Dom0's, ... */
}

static uint64_t entry_flags(int writable)
{
	static const uint64_t f[] = { 0x1, 0x5, 0x25, 0x65 };   /* P, P|U, +A, +A|D */
	uint64_t e = f[below(4)] | (writable ? 0x2 : 0);

	if (one_in(8))
		e |= 1ULL << (52 + below(12));   /* software, protection-key, NX and reserved bits */
	if (one_in(8))
		e |= 1ULL << below(12);          /* PSE, PAT, G, ... */
	return e;
}

/* A page-table entry: writable only for frames we may write. */
static uint64_t entry(void)
{
	if (one_in(16))
		return 0;
	if (one_in(3))
		return (frame_any() << 12) | (entry_flags(0) & ~2ULL);
	return (frame_w() << 12) | entry_flags(one_in(2));
}

static uint8_t *block(unsigned i) { return scratch + (size_t)(i % SCRATCH) * 4096; }

/*
 * A pointer: the call's own block mostly, else one the hypervisor must
 * refuse to use (or, for reads only when `kernel_ok`, Dom0's kernel text:
 * readable, never writable).
 */
static uint64_t ptr(unsigned i, unsigned off, int kernel_ok)
{
	switch (below(14)) {
	case 0: return 0;
	case 1: return 0xffff800000000000ULL + (rnd() & 0x7fffffff000ULL);   /* the hypervisor's half */
	case 2: return 0x0000800000000000ULL - 8 + below(16);                /* straddles the hole */
	case 3: return 0x8000000000000000ULL | rnd();                        /* non-canonical */
	case 4: return kernel_ok ? ktext + (rnd() & 0xffff8) : (uint64_t)(uintptr_t)block(i) + off;
	case 5: return kernel_ok ? krodata + (rnd() & 0xffff8) : 0xffffffffff600000ULL;
	default: return (uint64_t)(uintptr_t)block(i) + off;
	}
}

static domid_t domid(void)
{
	switch (below(10)) {
	case 0: case 1: case 2: case 3: return tid;
	case 4: return did;
	case 5: return absent_id;
	case 6: return DOMID_SELF;
	case 7: return 0;
	case 8: return one_in(2) ? DOMID_IO : DOMID_XEN;
	default: return one_in(2) ? DOMID_INVALID : (domid_t)rnd();
	}
}

/* Not Dom0: for what would hurt Dom0 itself. */
static domid_t other_domid(void)
{
	domid_t d;

	do
		d = domid();
	while (d == 0 || d == DOMID_SELF);
	return d;
}

/* An address in a live window (a privcmd mapping: Linux keeps no page of its own there), or a bad one. */
static uint64_t win_va(void)
{
	unsigned w = below(NWIN);

	if (one_in(6) || !win[w].va)
		return one_in(2) ? 0xffff830000000000ULL + (rnd() & 0xfff000) : 0x8000000000000000ULL;
	return (uint64_t)(uintptr_t)win[w].va + (uint64_t)below(win[w].n) * 4096;
}

/*
 * A window address for a call that writes the entry there (update_va_mapping,
 * a grant map): never one where a grant map of ours lives. Overwriting a
 * grant entry drops the entry but not the grant (by design, on Xen as here:
 * only an unmap releases it); our unmap then fails and the granter lingers,
 * dying, for good. (Seen: seed 3 round 4, an update_va_mapping_otherdomain
 * that wrote its entry and then failed on its bad vCPU mask pointer.) Same
 * random numbers drawn either way, so other replays do not change.
 */
static uint64_t win_va_ungranted(void)
{
	uint64_t va = win_va();

	for (unsigned k = 0; k < nmaps; k++)
		if (maps[k].host_addr && (maps[k].host_addr & ~0xfffULL) == (va & ~0xfffULL))
			return 0x8000000000000000ULL;   /* refused: not canonical */
	return va;
}

/* ---- Dom0's spare frames, windows, ports ------------------------------ */

static int is_new_port(unsigned p) { return p < PORTS && port_free0[p]; }

static long port_state(unsigned p)
{
	struct evtchn_status *s = (void *)block(0);

	memset(s, 0, sizeof(*s));
	s->dom = DOMID_SELF;
	s->port = p;
	return hc(__HYPERVISOR_event_channel_op, EVTCHNOP_status, (uintptr_t)s, 0, 0, 0) ? -1 : (long)s->status;
}

static void ports_snapshot(void)
{
	for (unsigned p = 1; p < PORTS; p++)
		port_free0[p] = port_state(p) == EVTCHNSTAT_closed || port_state(p) < 0;
}

/* Ports this program opened (closed before it ran, not closed now): closed again. */
static unsigned ports_close_new(void)
{
	unsigned n = 0;

	for (unsigned p = 1; p < PORTS; p++) {
		long st = port_free0[p] ? port_state(p) : -1;
		if (st > EVTCHNSTAT_closed) {
			struct evtchn_close *c = (void *)block(0);
			c->port = p;
			hc(__HYPERVISOR_event_channel_op, EVTCHNOP_close, (uintptr_t)c, 0, 0, 0);
			n++;
		}
	}
	return n;
}

/*
 * Dom0's grant maps with a host address in [lo, hi) or none, undone (those a
 * fuzzed unmap already undid answer an error): before Linux unmaps the
 * window, which it would do by clearing a grant's entry as its own.
 */
static unsigned maps_undo(uint64_t lo, uint64_t hi)
{
	struct gnttab_unmap_grant_ref *u = (void *)block(13);
	unsigned ok = 0, kept = 0;

	for (unsigned k = 0; k < nmaps; k++) {
		if (maps[k].host_addr && (maps[k].host_addr < lo || maps[k].host_addr >= hi)) {
			maps[kept++] = maps[k];
			continue;
		}
		*u = maps[k];
		if (hc(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, (uintptr_t)u, 1, 0, 0) == 0 && u->status == 0)
			ok++;
	}
	nmaps = kept;
	return ok;
}

static unsigned maps_undone;

static void win_drop(unsigned w)
{
	if (win[w].va)
		maps_undone += maps_undo((uintptr_t)win[w].va, (uintptr_t)win[w].va + (uint64_t)win[w].n * 4096);
	if (win[w].va)
		munmap(win[w].va, (size_t)win[w].n * 4096);
	win[w].va = NULL;
	win[w].n = 0;
}

/* A fresh window of n frames of dom; err[] per frame. 0 or -errno. */
static long win_map(unsigned w, domid_t dom, const uint64_t *frames, unsigned n, int *err)
{
	struct privcmd_mmapbatch_v2 b;
	void *va;

	win_drop(w);
	va = mmap(NULL, (size_t)n * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (va == MAP_FAILED)
		return -errno;
	win[w].va = va;
	win[w].n = n;
	b = (struct privcmd_mmapbatch_v2){ .num = n, .dom = dom, .addr = (uintptr_t)va, .arr = frames, .err = err };
	return ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &b) < 0 ? -errno : 0;
}

static long domctl(struct xen_domctl *d, uint32_t cmd, domid_t dom)
{
	d->cmd = cmd;
	d->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	d->domain = dom;
	return hc(__HYPERVISOR_domctl, (uintptr_t)d, 0, 0, 0, 0);
}

static struct xen_domctl *ctl(void)
{
	struct xen_domctl *d = (void *)block(1);

	memset(d, 0, sizeof(*d));
	return d;
}

static long sysctl_audit(const char *when, unsigned round)
{
	struct xen_sysctl *s = (void *)block(2);
	long rc;

	memset(s, 0, sizeof(*s));
	s->cmd = PARAVANE_SYSCTL_audit;
	s->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	rc = hc(__HYPERVISOR_sysctl, (uintptr_t)s, 0, 0, 0, 0);
	if (!paravane) {
		check(rc == -ENOSYS || rc == -EOPNOTSUPP, "dom0_hcfuzz_audit_refused_on_xen", "round %u %s: %ld", round, when, rc);
		return 0;
	}
	check(rc == 0 && s->u.audit.violations == 0, "dom0_hcfuzz_audit",
	      "round %u %s: rc %ld, %llu violations of %llu frames, first mfn 0x%llx: %.96s", round, when, rc,
	      (unsigned long long)s->u.audit.violations, (unsigned long long)s->u.audit.frames,
	      (unsigned long long)s->u.audit.first_mfn, s->u.audit.first);
	return rc;
}

static uint64_t free_pages(void)
{
	struct xen_sysctl *s = (void *)block(2);

	memset(s, 0, sizeof(*s));
	s->cmd = XEN_SYSCTL_physinfo;
	s->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	return hc(__HYPERVISOR_sysctl, (uintptr_t)s, 0, 0, 0, 0) ? 0 : s->u.physinfo.free_pages;
}

static long reservation(void)
{
	domid_t *d = (void *)block(3);

	*d = DOMID_SELF;
	return hc(__HYPERVISOR_memory_op, XENMEM_current_reservation, (uintptr_t)d, 0, 0, 0);
}

/* populate_physmap for dom: n frames, their numbers in out[]. */
static long populate(domid_t dom, uint64_t *out, unsigned n, unsigned op)
{
	struct xen_memory_reservation *r = (void *)block(3);
	uint64_t *list = (uint64_t *)block(4);
	long rc;

	for (unsigned k = 0; k < n; k++)
		list[k] = k;
	memset(r, 0, sizeof(*r));
	r->extent_start = (uintptr_t)list;
	r->nr_extents = n;
	r->domid = dom;
	rc = hc(__HYPERVISOR_memory_op, op, (uintptr_t)r, 0, 0, 0);
	memcpy(out, list, n * sizeof(*out));
	return rc;
}

static long dom_create(unsigned frames, uint64_t *mfns, domid_t *id)
{
	struct xen_domctl *d = ctl();
	long rc;

	d->u.createdomain.max_vcpus = 2;
	d->u.createdomain.max_evtchn_port = 1023;
	d->u.createdomain.max_grant_frames = 4;
	d->u.createdomain.max_maptrack_frames = 4;
	d->u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(1);
	if ((rc = domctl(d, XEN_DOMCTL_createdomain, 0)))
		return rc;
	*id = d->domain;
	d = ctl();
	d->u.max_vcpus.max = 2;
	if ((rc = domctl(d, XEN_DOMCTL_max_vcpus, *id)))
		return rc;
	d = ctl();
	d->u.max_mem.max_memkb = frames * 4;
	if ((rc = domctl(d, XEN_DOMCTL_max_mem, *id)))
		return rc;
	rc = populate(*id, mfns, frames, XENMEM_populate_physmap);
	return rc == (long)frames ? 0 : rc < 0 ? rc : -ENOMEM;
}

static long dom_info(domid_t id, struct xen_domctl **out)
{
	struct xen_domctl *d = ctl();
	long rc = domctl(d, XEN_DOMCTL_getdomaininfo, id);

	if (out)
		*out = d;
	return rc == 0 && d->domain != id ? -ESRCH : rc;
}

/*
 * T's grant table, written through a foreign mapping of its frame 0: refs
 * 1..40 granted to Dom0 or others, naming T's frames, Dom0's, bad ones,
 * with any flags, so Dom0's map and copy calls meet real (and hostile)
 * grants. Returns the grants written (0: the frame could not be had).
 */
static unsigned grants_for_t(void)
{
	struct xen_mem_acquire_resource *r = (void *)block(11);
	uint64_t *fl = (uint64_t *)block(12);
	struct grant_entry_v1 *g;
	int err = -1;
	unsigned n = 0;

	memset(r, 0, sizeof(*r));
	r->domid = tid;
	r->type = XENMEM_resource_grant_table;
	r->id = XENMEM_resource_grant_table_id_shared;
	r->nr_frames = 1;
	r->frame_list = (uintptr_t)fl;
	long rc = hc(__HYPERVISOR_memory_op, XENMEM_acquire_resource, (uintptr_t)r, 0, 0, 0);
	long mrc = rc ? 0 : win_map(0, tid, fl, 1, &err);

	if (rc || mrc || err) {
		printf("dom0-hcfuzz: T's grant frame: acquire_resource %ld (frame 0x%llx), map %ld/%d\n", rc,
		       (unsigned long long)fl[0], mrc, err);
		win_drop(0);
		return 0;
	}
	g = (struct grant_entry_v1 *)win[0].va;
	for (unsigned ref = 1; ref <= 40; ref++, n++) {
		g[ref].domid = one_in(6) ? other_domid() : 0;
		g[ref].frame = (uint32_t)(one_in(3) ? frame_any() : tmfn[below(NT)]);
		g[ref].flags = (uint16_t)(one_in(4) ? rnd() : GTF_permit_access | (one_in(3) ? GTF_readonly : 0));
	}
	win_drop(0);
	return n;
}

/* After a grant_table_op from our block: every map that took, to be undone. */
static void maps_record(const struct call *c, long rc)
{
	const struct gnttab_map_grant_ref *m = (const void *)block((unsigned)c->a[4]);

	if (c->nr != __HYPERVISOR_grant_table_op || c->a[0] != GNTTABOP_map_grant_ref || rc < 0 ||
	    c->a[1] != (uintptr_t)m)
		return;
	for (unsigned k = 0; k < c->a[2] && k < 4; k++) {
		const struct gnttab_map_grant_ref *e = (const void *)((const uint8_t *)m + k * 64);
		if (e->status == 0 && nmaps < MAXMAPS)
			maps[nmaps++] = (struct gnttab_unmap_grant_ref){ .host_addr = e->flags & GNTMAP_host_map ? e->host_addr : 0,
									  .dev_bus_addr = e->flags & GNTMAP_device_map ? e->dev_bus_addr : 0,
									  .handle = e->handle };
	}
}

/* ---- One call ---------------------------------------------------------- */

static void gen_domctl(unsigned i, struct call *c, uint8_t *b)
{
	/* what may name Dom0: reads only */
	static const uint32_t ro[] = { XEN_DOMCTL_getdomaininfo, XEN_DOMCTL_getvcpuinfo, XEN_DOMCTL_getvcpucontext,
				       XEN_DOMCTL_getvcpuaffinity, XEN_DOMCTL_get_address_size, XEN_DOMCTL_gettscinfo,
				       XEN_DOMCTL_getnodeaffinity, XEN_DOMCTL_get_cpu_policy };
	static const uint32_t any[] = { XEN_DOMCTL_pausedomain, XEN_DOMCTL_unpausedomain, XEN_DOMCTL_max_mem,
					XEN_DOMCTL_setvcpucontext, XEN_DOMCTL_setvcpuaffinity, XEN_DOMCTL_max_vcpus,
					XEN_DOMCTL_scheduler_op, XEN_DOMCTL_setdomainhandle, XEN_DOMCTL_irq_permission,
					XEN_DOMCTL_iomem_permission, XEN_DOMCTL_ioport_permission,
					XEN_DOMCTL_hypercall_init, XEN_DOMCTL_settimeoffset, XEN_DOMCTL_resumedomain,
					XEN_DOMCTL_set_address_size, XEN_DOMCTL_settscinfo, XEN_DOMCTL_getpageframeinfo3,
					XEN_DOMCTL_setnodeaffinity, XEN_DOMCTL_set_cpu_policy, XEN_DOMCTL_destroydomain };
	struct xen_domctl *d = (void *)b;
	uint64_t *q = (uint64_t *)&d->u;
	int self = one_in(5);
	domid_t dom = self ? (one_in(2) ? 0 : DOMID_SELF) : other_domid();

	if (self)
		d->cmd = ro[below(sizeof(ro) / sizeof(ro[0]))];
	else if (one_in(8))
		d->cmd = below(90);   /* anything, Dom0 not named */
	else
		d->cmd = one_in(2) ? ro[below(sizeof(ro) / sizeof(ro[0]))] : any[below(sizeof(any) / sizeof(any[0]))];
	if (d->cmd == XEN_DOMCTL_destroydomain && !one_in(8))
		d->cmd = XEN_DOMCTL_pausedomain;
	if (d->cmd == XEN_DOMCTL_createdomain && !one_in(4))
		d->cmd = XEN_DOMCTL_getdomaininfo;
	d->interface_version = one_in(40) ? XEN_DOMCTL_INTERFACE_VERSION - 1 : XEN_DOMCTL_INTERFACE_VERSION;
	d->domain = dom;
	for (unsigned k = 0; k < 16; k++)
		q[k] = one_in(3) ? rnd() : below(70);
	/* handles inside the union: pointers of our own or refused ones; lengths within a block */
	switch (d->cmd) {
	case XEN_DOMCTL_setvcpucontext:
	case XEN_DOMCTL_getvcpucontext: {
		uint64_t *ctx = (uint64_t *)(b + 1024);
		d->u.vcpucontext.vcpu = below(3);
		d->u.vcpucontext.ctxt = one_in(4) ? ptr(i, 1024, d->cmd == XEN_DOMCTL_setvcpucontext) :
					(uint64_t)(uintptr_t)ctx;
		for (unsigned k = 0; k < 3072 / 8; k++)
			ctx[k] = one_in(2) ? 0 : one_in(2) ? rnd() : (frame_w() << 12);
		break;
	}
	case XEN_DOMCTL_setvcpuaffinity:
	case XEN_DOMCTL_getvcpuaffinity:
	case XEN_DOMCTL_setnodeaffinity:
	case XEN_DOMCTL_getnodeaffinity:
		q[1] = ptr(i, 2048, 0);
		q[2] = one_in(4) ? rnd() : below(70);   /* nr_bits, also wrapping ones */
		q[3] = ptr(i, 2560, 0);
		q[4] = one_in(4) ? rnd() : below(70);
		if (d->cmd == XEN_DOMCTL_setnodeaffinity || d->cmd == XEN_DOMCTL_getnodeaffinity) {
			q[0] = ptr(i, 2048, 0);
			q[1] = one_in(4) ? (uint32_t)rnd() : below(70);
		}
		break;
	case XEN_DOMCTL_getpageframeinfo3: {
		uint64_t *l = (uint64_t *)(b + 2048);
		q[0] = below(3) ? below(64) : rnd();
		q[1] = ptr(i, 2048, 0);
		if (q[0] > 255 && (q[1] >> 12) == ((uintptr_t)b >> 12))
			q[0] = 255;   /* within its block */
		for (unsigned k = 0; k < 64; k++)
			l[k] = frame_any();
		break;
	}
	case XEN_DOMCTL_get_cpu_policy:
	case XEN_DOMCTL_set_cpu_policy:
		q[0] = below(200);   /* nr_leaves, nr_msrs */
		q[1] = ptr(i, 1024, d->cmd == XEN_DOMCTL_set_cpu_policy);
		q[2] = ptr(i, 3072, d->cmd == XEN_DOMCTL_set_cpu_policy);
		/* 200 leaves would run past the block: capped by the pointer's page */
		((uint32_t *)q)[0] = below(40);
		((uint32_t *)q)[1] = below(50);
		break;
	case XEN_DOMCTL_hypercall_init:
		q[0] = frame_w();
		break;
	case XEN_DOMCTL_max_mem:
		q[0] = one_in(2) ? below(1024) : rnd();
		break;
	default:
		/* unknown commands: no pointer the hypervisor could follow into our memory */
		for (unsigned k = 0; k < 16; k++)
			if (one_in(2))
				q[k] = ptr(i, 3072, 0);
		break;
	}
	c->nr = __HYPERVISOR_domctl;
	c->a[0] = one_in(30) ? ptr(i, 0, 0) : (uint64_t)(uintptr_t)b;
	c->must_fail = dom == absent_id && d->cmd != XEN_DOMCTL_getdomaininfo && d->cmd != XEN_DOMCTL_createdomain &&
		       c->a[0] == (uintptr_t)b;
}

static void gen_sysctl(unsigned i, struct call *c, uint8_t *b)
{
	/* 7 debug_keys, 11 cpu_hotplug, 12 pm_op, 14 page_offline, 18 cpupool, 19 scheduler, 27 livepatch, 28 set_parameter: never */
	static const uint32_t cmds[] = { XEN_SYSCTL_readconsole, XEN_SYSCTL_physinfo, XEN_SYSCTL_sched_id,
					 XEN_SYSCTL_getdomaininfolist, XEN_SYSCTL_getcpuinfo, XEN_SYSCTL_cputopoinfo,
					 XEN_SYSCTL_numainfo, XEN_SYSCTL_get_cpu_featureset, XEN_SYSCTL_get_cpu_policy,
					 PARAVANE_SYSCTL_audit, 2, 5, 9, 10, 13, 15, 16, 17, 20, 21, 22, 23, 24, 25, 26, 29,
					 30, 31, 40, 63, 65, 66, 1000 };
	struct xen_sysctl *s = (void *)b;
	uint32_t *w = (uint32_t *)&s->u;
	uint64_t *q = (uint64_t *)&s->u;

	s->cmd = cmds[below(sizeof(cmds) / sizeof(cmds[0]))];
	s->interface_version = one_in(40) ? XEN_SYSCTL_INTERFACE_VERSION + 1 : XEN_SYSCTL_INTERFACE_VERSION;
	for (unsigned k = 0; k < 16; k++)
		q[k] = one_in(2) ? ptr(i, 2048, 0) : below(70);
	switch (s->cmd) {
	case XEN_SYSCTL_readconsole:
		w[0] = below(2);                   /* clear */
		w[1] = below(2);                   /* incremental */
		q[1] = ptr(i, 2048, 0);            /* buffer */
		w[4] = below(2049);                /* count: within the block */
		w[5] = below(4);
		break;
	case XEN_SYSCTL_getdomaininfolist:
	case XEN_SYSCTL_getcpuinfo:
	case XEN_SYSCTL_cputopoinfo:
	case XEN_SYSCTL_numainfo:
		w[0] = one_in(4) ? (uint32_t)rnd() : below(0x7ff5);   /* first domain, or a count */
		w[1] = below(8);                                      /* max entries: 8 of any kind fit 2 KiB */
		q[1] = ptr(i, 2048, 0);
		q[2] = ptr(i, 2048, 0);
		if (s->cmd != XEN_SYSCTL_getdomaininfolist)
			w[0] = below(8);
		break;
	case XEN_SYSCTL_get_cpu_featureset:
	case XEN_SYSCTL_get_cpu_policy:
		w[0] = below(16);
		w[1] = below(16);
		q[1] = ptr(i, 2048, 0);
		q[2] = ptr(i, 3072, 0);
		break;
	}
	c->nr = __HYPERVISOR_sysctl;
	c->a[0] = one_in(30) ? ptr(i, 0, 1) : (uint64_t)(uintptr_t)b;
}

static void gen(unsigned i, struct call *c)
{
	uint8_t *b = block(i);
	uint64_t *q = (uint64_t *)b;
	uint32_t *w = (uint32_t *)b;

	memset(b, 0, 4096);
	memset(c, 0, sizeof(*c));
	c->kind = below(20);
	switch (c->kind) {
	case 0: case 1: {   /* mmu_update: S tables' entries (the only Dom0 tables it may touch), M2P */
		struct mmu_update *m = (struct mmu_update *)b;
		unsigned n = 1 + below(8);
		domid_t fd_ = one_in(3) ? other_domid() : DOMID_SELF;
		for (unsigned k = 0; k < n; k++) {
			unsigned cmd = below(4);
			uint64_t f = one_in(4) ? frame_w() : smfn[below(NS)];
			if (cmd == MMU_MACHPHYS_UPDATE && fd_ == DOMID_SELF)
				f = one_in(2) ? smfn[below(NS)] : bad_frame();   /* Linux's own M2P entries: never */
			m[k].ptr = (f << 12) | 8 * below(512) | cmd;
			if (one_in(16))
				m[k].ptr |= 4;   /* misaligned */
			m[k].val = cmd == MMU_MACHPHYS_UPDATE ? (one_in(2) ? below(NT) : rnd()) : entry();
			/* a foreign owner's frames are mapped for that owner */
			if (cmd != MMU_MACHPHYS_UPDATE && fd_ != DOMID_SELF && one_in(2))
				m[k].val = (tmfn[below(NT)] << 12) | entry_flags(one_in(2));
		}
		c->nr = __HYPERVISOR_mmu_update;
		c->a[0] = one_in(20) ? ptr(i, 0, 0) : (uintptr_t)b;
		c->a[1] = one_in(20) ? rnd() & 0xffffffff : n;
		c->a[2] = one_in(2) ? ptr(i, 2048, 0) : 0;
		c->a[3] = fd_;
		break;
	}
	case 2: case 3: {   /* mmuext_op on S, T, D and bad frames */
		static const unsigned cmds[] = {
			MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L3_TABLE, MMUEXT_PIN_L4_TABLE,
			MMUEXT_UNPIN_TABLE, MMUEXT_TLB_FLUSH_LOCAL, MMUEXT_INVLPG_LOCAL, MMUEXT_TLB_FLUSH_MULTI,
			MMUEXT_INVLPG_MULTI, MMUEXT_TLB_FLUSH_ALL, MMUEXT_INVLPG_ALL, MMUEXT_FLUSH_CACHE,
			MMUEXT_CLEAR_PAGE, MMUEXT_COPY_PAGE, MMUEXT_MARK_SUPER, MMUEXT_UNMARK_SUPER, 21, 99,
		};
		struct mmuext_op *o = (struct mmuext_op *)b;
		unsigned n = 1 + below(4);
		domid_t fd_ = one_in(2) ? DOMID_SELF : other_domid();
		for (unsigned k = 0; k < n; k++) {
			o[k].cmd = cmds[below(sizeof(cmds) / sizeof(cmds[0]))];
			if (o[k].cmd == MMUEXT_INVLPG_LOCAL || o[k].cmd == MMUEXT_INVLPG_ALL || o[k].cmd == MMUEXT_INVLPG_MULTI)
				o[k].arg1.linear_addr = one_in(2) ? win_va() : ptr(i, 0, 1);
			else if (fd_ == DOMID_SELF)
				o[k].arg1.mfn = one_in(3) ? smfn[below(NS)] : frame_w();
			else
				o[k].arg1.mfn = frame_any();   /* another owner's: Dom0's frames are refused */
			o[k].arg2.src_mfn = o[k].cmd == MMUEXT_COPY_PAGE ? frame_any() :
					    o[k].cmd == MMUEXT_TLB_FLUSH_MULTI || o[k].cmd == MMUEXT_INVLPG_MULTI ?
					    ptr(i, 2048, 1) : rnd();
			/* S frames are Dom0's: clear/copy only those, or another owner's (refused) */
			if (o[k].cmd == MMUEXT_CLEAR_PAGE || o[k].cmd == MMUEXT_COPY_PAGE)
				o[k].arg1.mfn = one_in(4) ? frame_w() : smfn[below(NS)];
		}
		c->nr = __HYPERVISOR_mmuext_op;
		c->a[0] = one_in(20) ? ptr(i, 0, 0) : (uintptr_t)b;
		c->a[1] = n;
		c->a[2] = one_in(2) ? ptr(i, 2048, 0) : 0;
		c->a[3] = fd_;
		break;
	}
	case 4: case 5: {   /* update_va_mapping(_otherdomain) in a privcmd window */
		unsigned flags = below(4) | (one_in(3) ? UVMF_ALL : 0);
		uint64_t e = entry();
		q[0] = rnd();
		if ((flags & 3) == UVMF_TLB_FLUSH && one_in(2))
			flags = (uint32_t)(uintptr_t)b | UVMF_MULTI;   /* a vCPU mask pointer (low bits cleared) */
		if (c->kind == 5) {
			c->nr = __HYPERVISOR_update_va_mapping_otherdomain;
			c->a[3] = other_domid();
			if (one_in(2))
				e = (tmfn[below(NT)] << 12) | entry_flags(one_in(2));
		} else {
			c->nr = __HYPERVISOR_update_va_mapping;
		}
		/*
		 * These are Linux's tables for this process: a present entry
		 * marked special (as privcmd's own, so its munmap lets it be)
		 * or none; a non-present one would read as a swap entry to it.
		 */
		c->a[0] = win_va_ungranted();
		c->a[1] = e ? e | 1 | 1ULL << 9 : 0;
		c->a[2] = flags;
		break;
	}
	case 6: {   /* memory_op: reservations of other domains, information */
		static const unsigned cmds[] = {
			XENMEM_increase_reservation, XENMEM_decrease_reservation, XENMEM_populate_physmap,
			XENMEM_current_reservation, XENMEM_maximum_reservation, XENMEM_machphys_mfn_list,
			XENMEM_memory_map, XENMEM_exchange, XENMEM_maximum_ram_page, XENMEM_machine_memory_map,
			XENMEM_add_to_physmap, XENMEM_acquire_resource, 30, 99,
		};
		unsigned cmd = cmds[below(sizeof(cmds) / sizeof(cmds[0]))];
		struct xen_memory_reservation *m = (struct xen_memory_reservation *)b;
		int reads_only = cmd == XENMEM_current_reservation || cmd == XENMEM_maximum_reservation;
		m->extent_start = ptr(i, 2048, 0);
		m->nr_extents = below(8);
		m->extent_order = one_in(4) ? below(12) : 0;
		m->mem_flags = one_in(4) ? (uint32_t)rnd() : 0;
		m->domid = other_domid();   /* Dom0's own frames are Linux's: never given or taken */
		for (unsigned k = 0; k < 64; k++)
			q[256 + k] = one_in(2) ? tmfn[below(NT)] : frame_w();
		if (cmd == XENMEM_exchange)
			m->domid = other_domid();
		if (reads_only)
			*(uint16_t *)b = domid();
		if (cmd == XENMEM_add_to_physmap)
			*(uint16_t *)b = other_domid();
		if (cmd == XENMEM_memory_map || cmd == XENMEM_machine_memory_map || cmd == XENMEM_machphys_mfn_list) {
			w[0] = below(64);              /* entries: 64 x 20 bytes fit */
			q[1] = ptr(i, 2048, 0);
		}
		if (cmd == XENMEM_acquire_resource) {
			struct xen_mem_acquire_resource *r = (void *)b;
			memset(r, 0, sizeof(*r));
			r->domid = one_in(4) ? domid() : tid;
			r->type = below(4);
			r->id = below(3);
			r->nr_frames = below(6);
			r->frame = one_in(4) ? (uint32_t)rnd() : below(6);
			r->frame_list = ptr(i, 2048, 0);
		}
		c->nr = __HYPERVISOR_memory_op;
		c->a[0] = cmd;
		c->a[1] = reads_only ? ptr(i, 0, 1) : one_in(20) ? ptr(i, 0, 0) : (uintptr_t)b;
		break;
	}
	case 7: case 8: {   /* grant tables: T's, D's, Dom0's own refs, absent ones */
		static const unsigned cmds[] = {
			GNTTABOP_map_grant_ref, GNTTABOP_unmap_grant_ref, GNTTABOP_setup_table, GNTTABOP_copy,
			GNTTABOP_query_size, GNTTABOP_set_version, GNTTABOP_get_status_frames, GNTTABOP_get_version,
			GNTTABOP_unmap_and_replace, 12, 99,
		};
		unsigned cmd = cmds[below(sizeof(cmds) / sizeof(cmds[0]))], n = one_in(6) ? below(4) : 1;
		for (unsigned k = 0; k < n || k == 0; k++) {
			uint8_t *e = b + k * 64;
			if (cmd == GNTTABOP_map_grant_ref) {
				struct gnttab_map_grant_ref *m = (void *)e;
				m->host_addr = one_in(4) ? 0 : win_va_ungranted();
				m->flags = below(64);
				m->ref = one_in(4) ? (uint32_t)rnd() : below(42);
				m->dom = one_in(2) ? tid : domid();
			} else if (cmd == GNTTABOP_unmap_grant_ref || cmd == GNTTABOP_unmap_and_replace) {
				struct gnttab_unmap_grant_ref *m = (void *)e;
				m->host_addr = win_va();
				m->dev_bus_addr = one_in(2) ? 0 : frame_any() << 12;
				m->handle = one_in(4) ? (uint32_t)rnd() : below(16);
			} else if (cmd == GNTTABOP_setup_table || cmd == GNTTABOP_get_status_frames) {
				struct gnttab_setup_table *s = (void *)e;
				s->dom = domid();
				s->nr_frames = below(6);
				s->frame_list = ptr(i, 2048, 0);
				/* Dom0's own: only what it already has (its grant table is grown at the start) */
				if (s->dom == 0 || s->dom == DOMID_SELF)
					s->nr_frames = below(2);
			} else if (cmd == GNTTABOP_copy) {
				struct gnttab_copy *g = (void *)e;
				g->source.u.gmfn = one_in(4) ? below(40) : frame_any();
				g->source.domid = domid();
				g->source.offset = (uint16_t)below(4200);
				/* the destination: S, another domain's, or by a grant ref of another domain */
				g->dest.domid = one_in(2) ? DOMID_SELF : other_domid();
				g->dest.u.gmfn = g->dest.domid == DOMID_SELF ? smfn[below(NS)] : frame_w();
				g->dest.offset = (uint16_t)below(4200);
				g->len = (uint16_t)below(5000);
				g->flags = (uint16_t)below(4);
				if (g->flags & GNTCOPY_dest_gref)
					g->dest.domid = one_in(2) ? tid : other_domid(), g->dest.u.ref = below(42);
				if (g->flags & GNTCOPY_source_gref)
					g->source.domid = one_in(2) ? tid : domid(), g->source.u.ref = below(42);
			} else if (cmd == GNTTABOP_set_version) {
				w[0] = one_in(2) ? 1 : one_in(2) ? 0 : 3 + below(100);   /* never 2: Linux's table is v1 */
			} else {
				*(uint16_t *)e = domid();
			}
		}
		c->nr = __HYPERVISOR_grant_table_op;
		c->a[0] = cmd;
		c->a[1] = one_in(20) ? ptr(i, 0, 0) : (uintptr_t)b;
		c->a[2] = n;
		c->a[4] = i % SCRATCH;   /* not an argument: where maps_record() finds the answers */
		break;
	}
	case 9: case 10: {   /* event channels: new ports only are closed or unmasked */
		static const unsigned cmds[] = {
			EVTCHNOP_alloc_unbound, EVTCHNOP_bind_interdomain, EVTCHNOP_bind_virq, EVTCHNOP_close,
			EVTCHNOP_send, EVTCHNOP_status, EVTCHNOP_unmask, EVTCHNOP_bind_ipi, EVTCHNOP_bind_vcpu,
			EVTCHNOP_set_priority, EVTCHNOP_reset, EVTCHNOP_bind_pirq, 15, 99,
		};
		unsigned cmd = cmds[below(sizeof(cmds) / sizeof(cmds[0]))];
		w[0] = one_in(2) ? domid() : below(70);
		w[1] = one_in(2) ? below(70) : domid();
		w[2] = one_in(8) ? (uint32_t)rnd() : below(70);
		w[3] = below(4);
		switch (cmd) {
		case EVTCHNOP_close: case EVTCHNOP_unmask: case EVTCHNOP_bind_vcpu: case EVTCHNOP_set_priority: {
			unsigned p = 1 + below(PORTS - 1), tries = 0;
			while (!is_new_port(p) && tries++ < 64)
				p = 1 + below(200);
			w[0] = is_new_port(p) ? p : PORTS + below(100000);   /* none of Linux's */
			w[1] = below(4);
			break;
		}
		case EVTCHNOP_reset:
			*(uint16_t *)b = other_domid();
			break;
		case EVTCHNOP_bind_virq:
			w[0] = below(26);
			w[1] = below(4);
			break;
		case EVTCHNOP_bind_pirq:
			w[0] = 30 + below(100);   /* pirqs Linux has not bound */
			w[1] = below(2);
			break;
		}
		c->nr = __HYPERVISOR_event_channel_op;
		c->a[0] = cmd;
		c->a[1] = cmd == EVTCHNOP_status || cmd == EVTCHNOP_send ? ptr(i, 0, 1) : one_in(20) ? ptr(i, 0, 0) : (uintptr_t)b;
		break;
	}
	case 11: {   /* vcpu_op on Dom0's vCPUs: nothing that moves its areas or takes one down */
		static const unsigned cmds[] = {
			VCPUOP_is_up, VCPUOP_get_runstate_info, VCPUOP_set_periodic_timer, VCPUOP_stop_periodic_timer,
			VCPUOP_set_singleshot_timer, VCPUOP_get_physid, 77,
		};
		unsigned cmd = cmds[below(sizeof(cmds) / sizeof(cmds[0]))];
		q[0] = one_in(2) ? rnd() : 1000000 + below(50000000);   /* period or deadline (ns) */
		q[1] = below(2);
		/* a deadline already passed (fires at once): a later one would hold back Linux's next tick */
		if (cmd == VCPUOP_set_singleshot_timer)
			q[0] = one_in(2) ? 1 : below(1000000000);
		c->nr = __HYPERVISOR_vcpu_op;
		c->a[0] = cmd;
		c->a[1] = one_in(6) ? below(100) + 2 : below(2);
		c->a[2] = cmd == VCPUOP_is_up || cmd == VCPUOP_stop_periodic_timer ? ptr(i, 0, 1) : one_in(10) ? ptr(i, 0, 0) : (uintptr_t)b;
		break;
	}
	case 12: {   /* physdev_op: other domains' pirqs, queries, I/O privilege (restored each round) */
		static const unsigned cmds[] = {
			PHYSDEVOP_irq_status_query, PHYSDEVOP_set_iopl, PHYSDEVOP_set_iobitmap, PHYSDEVOP_map_pirq,
			PHYSDEVOP_unmap_pirq, PHYSDEVOP_apic_read, PHYSDEVOP_release_msix, 99,
		};
		unsigned cmd = cmds[below(sizeof(cmds) / sizeof(cmds[0]))];
		/* Xen 4.17 panics on release_msix (31) of a device that is not there (found by this fuzzer) */
		if (cmd == PHYSDEVOP_release_msix && !paravane)
			cmd = 99;
		w[0] = below(70);
		q[1] = below(70000);
		if (cmd == PHYSDEVOP_set_iopl)
			w[0] = one_in(8) ? (uint32_t)rnd() : 1 + below(3);   /* never 0: Linux's kernel needs port I/O */
		if (cmd == PHYSDEVOP_set_iobitmap)
			q[0] = ptr(i, 2048, 1), w[2] = below(65537);
		if (cmd == PHYSDEVOP_map_pirq || cmd == PHYSDEVOP_unmap_pirq) {
			struct physdev_map_pirq *m = (void *)b;
			m->domid = other_domid();
			m->type = below(4);
			m->index = below(24);
			m->pirq = one_in(2) ? -1 : (int)below(60);
		}
		c->nr = __HYPERVISOR_physdev_op;
		c->a[0] = cmd;
		c->a[1] = one_in(20) ? ptr(i, 0, 0) : (uintptr_t)b;
		break;
	}
	case 13: {   /* sched_op: yield, a poll that ends, others' shutdown */
		unsigned what = below(4);
		if (what == 0) {
			c->nr = __HYPERVISOR_sched_op;
			c->a[0] = SCHEDOP_yield;
		} else if (what == 1) {
			struct sched_poll *p = (void *)b;
			p->ports = ptr(i, 2048, 1);
			p->nr_ports = below(4);
			p->timeout = 1;   /* passed: a poll must not block us for good */
			w[512] = below(100);
			c->nr = __HYPERVISOR_sched_op;
			c->a[0] = SCHEDOP_poll;
			c->a[1] = (uintptr_t)b;
		} else {
			struct sched_remote_shutdown *s = (void *)b;
			s->domain_id = other_domid();
			s->reason = below(6);
			c->nr = __HYPERVISOR_sched_op;
			c->a[0] = what == 2 ? SCHEDOP_remote_shutdown : 12 + below(20);
			c->a[1] = one_in(10) ? ptr(i, 0, 0) : (uintptr_t)b;
		}
		break;
	}
	case 14:
		gen_domctl(i, c, b);
		break;
	case 15:
		gen_sysctl(i, c, b);
		break;
	case 16: {   /* xen_version, console_io write, vm_assist enable, set_timer_op */
		unsigned what = below(4);
		memcpy(b + 2048, "dom0-hcfuzz\n", 12);
		if (what == 0) {
			c->nr = __HYPERVISOR_xen_version;
			c->a[0] = one_in(8) ? rnd() & 0xffff : below(14);
			c->a[1] = ptr(i, 2048, 0);
		} else if (what == 1) {
			c->nr = __HYPERVISOR_console_io;
			c->a[0] = 0;   /* write: only text (kernel bytes in the log would make it binary to grep) */
			c->a[1] = below(13);   /* the text, no NUL: a NUL makes the log binary to grep */
			c->a[2] = ptr(i, 2048, 0);
		} else if (what == 2) {
			/*
			 * Only what Linux has enabled, types that do not exist, or no
			 * such command: another assist changes Dom0's ABI under it
			 * (architectural_iopl its port I/O, m2p_strict its L4s).
			 */
			static const unsigned types[] = { VMASST_TYPE_writable_pagetables, 6, 7, 16, 31, 33, 63, 64, 1000 };
			c->nr = __HYPERVISOR_vm_assist;
			c->a[0] = one_in(4) ? 2 + below(30) : VMASST_CMD_enable;
			c->a[1] = types[below(sizeof(types) / sizeof(types[0]))];
		} else {
			c->nr = __HYPERVISOR_set_timer_op;
			c->a[0] = one_in(2) ? 1 : below(1000000000);   /* passed, as above */
		}
		break;
	}
	case 17: {   /* must fail: a GDT of bad frames, a trap table nobody can read */
		if (one_in(2)) {
			for (unsigned k = 0; k < 16; k++)
				q[k] = one_in(2) ? bad_frame() : tmfn[below(NT)];
			q[0] = one_in(2) ? bad_frame() : tmfn[below(NT)];   /* frame 0 always refused */
			c->nr = __HYPERVISOR_set_gdt;
			c->a[0] = one_in(3) ? ptr(i, 0, 0) : (uintptr_t)b;
			c->a[1] = one_in(3) ? 512 * 16 + below(100000) : 1 + below(512 * 16);
			if (c->a[0] == (uintptr_t)b || c->a[0] == 0 ||
			    c->a[0] == ktext || c->a[0] == 0xffffffffff600000ULL)
				c->a[0] = (uintptr_t)b;
		} else {
			c->nr = __HYPERVISOR_set_trap_table;
			c->a[0] = one_in(2) ? 0xffff800000000000ULL + (rnd() & 0x7fffffff000ULL) : 0x8000000000000000ULL | rnd();
		}
		c->must_fail = 1;
		break;
	}
	case 18: {   /* update_descriptor on S, T, D and bad frames; unknown hypercalls */
		if (one_in(2)) {
			uint64_t f = one_in(2) ? smfn[below(NS)] : frame_w();
			c->nr = __HYPERVISOR_update_descriptor;
			c->a[0] = (f << 12) | 8 * below(513) | (one_in(16) ? 4 : 0);
			c->a[1] = one_in(2) ? 0x00cffa000000ffffULL : one_in(2) ? 0x00affb000000ffffULL : rnd();
		} else {
			static const unsigned nrs[] = { 38, 39, 43, 44, 45, 46, 47, 56, 57, 58, 59, 60, 61, 62, 63 };
			c->nr = nrs[below(sizeof(nrs) / sizeof(nrs[0]))];
			for (unsigned k = 0; k < 5; k++)
				c->a[k] = one_in(2) ? ptr(i, 0, 0) : rnd();
		}
		break;
	}
	default: {   /* a foreign mapping through privcmd, and T's frames filled with entries */
		static uint64_t frames[WINMAX];
		static int err[WINMAX];
		unsigned n = 1 + below(WINMAX), wn = below(NWIN);
		domid_t dom = one_in(6) ? domid() : tid;
		for (unsigned k = 0; k < n; k++)
			frames[k] = dom == tid && !one_in(6) ? tmfn[below(NT)] :
				    dom == 0 || dom == DOMID_SELF ? (one_in(2) ? smfn[below(NS)] : bad_frame()) : frame_any();
		c->nr = ~0ULL;   /* not a hypercall: done here */
		c->a[0] = dom;
		c->a[1] = n;
		c->a[2] = win_map(wn, dom, frames, n, err);
		c->a[3] = 0;
		for (unsigned k = 0; k < n; k++)
			if (!c->a[2] && !err[k]) {
				c->a[3]++;
				if ((dom == tid || frames[k] == smfn[k % NS]) && one_in(2)) {
					uint64_t *pg = (uint64_t *)(win[wn].va + (size_t)k * 4096);
					for (unsigned e = 0; e < 512; e++)
						pg[e] = one_in(3) ? entry() : 0;
				}
			}
		break;
	}
	}
}

/* ---- One round --------------------------------------------------------- */

static uint32_t checksum(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t k = 0; k < n; k++)
		h = (h ^ p[k]) * 16777619u;
	return h;
}

/* Every domain besides Dom0 that is there now: destroyed (the fuzzer's own; none else runs here). */
static void destroy_others(domid_t keep)
{
	struct xen_domctl *d;

	for (unsigned id = 1; id < 0x7ff0; ) {
		d = ctl();
		if (domctl(d, XEN_DOMCTL_getdomaininfo, (domid_t)id))
			break;
		id = d->domain;
		if (id != keep && !(d->u.getdomaininfo.flags & XEN_DOMINF_dying))
			domctl(ctl(), XEN_DOMCTL_destroydomain, (domid_t)id);
		id++;
	}
}

/* Dom0 still runs a new program (its stack protector on): 0 or its wait status. */
static int dom0_runs(void)
{
	int st = -1;
	pid_t p = fork();

	if (p == 0) {
		execl("/bin/busybox", "busybox", "true", (char *)NULL);
		_exit(127);
	}
	if (p < 0 || waitpid(p, &st, 0) != p)
		return -1;
	return st;
}

/* Undo what a round may have left on Dom0 itself. */
static void dom0_restore(void)
{
	struct mmuext_op *o = (void *)block(5);
	uint64_t *q = (uint64_t *)block(6);

	maps_undone += maps_undo(0, ~0ULL);
	for (unsigned w = 0; w < NWIN; w++)
		win_drop(w);
	for (unsigned pass = 0; pass < 4; pass++)   /* a table pinned by S may pin another */
		for (unsigned k = 0; k < NS; k++) {
			memset(o, 0, sizeof(*o));
			o->cmd = MMUEXT_UNPIN_TABLE;
			o->arg1.mfn = smfn[k];
			hc(__HYPERVISOR_mmuext_op, (uintptr_t)o, 1, 0, DOMID_SELF, 0);
		}
	memset(q, 0, 64);
	q[0] = 1;   /* Linux's: its kernel does port I/O at I/O privilege 1 */
	hc(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, (uintptr_t)q, 0, 0, 0);
	q[0] = 0;
	q[1] = 0;
	hc(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iobitmap, (uintptr_t)q, 0, 0, 0);
	for (unsigned v = 0; v < 2; v++)
		hc(__HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer, v, 0, 0, 0);
	ports_close_new();
}

static void trace_call(unsigned round, unsigned i, const struct call *c, long rc)
{
	const uint64_t *q = (const uint64_t *)block(i);

	printf("dom0-hcfuzz %u.%u: kind %u hc %lld(0x%llx, 0x%llx, 0x%llx, 0x%llx, 0x%llx) = %ld"
	       " | block 0x%llx 0x%llx 0x%llx 0x%llx\n", round, i, c->kind, (long long)c->nr,
	       (unsigned long long)c->a[0], (unsigned long long)c->a[1], (unsigned long long)c->a[2],
	       (unsigned long long)c->a[3], (unsigned long long)c->a[4], rc, (unsigned long long)q[0],
	       (unsigned long long)q[1], (unsigned long long)q[2], (unsigned long long)q[3]);
	fflush(stdout);
}

static int round_run(uint64_t seed, unsigned round)
{
	uint64_t before = free_pages(), after = 0;
	uint32_t sum = checksum(canary, 4096);
	long pages0 = reservation(), rc;
	unsigned ok = 0, must = 0;
	int tr = verbose || (long)round == trace_round;
	struct xen_domctl *d;
	int derr;
	uint8_t *dmap;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	maps_undone = 0;
	/* T, then D: mapped by us, destroyed, left dying */
	if ((rc = dom_create(NT, tmfn, &tid))) {
		check(0, "dom0_hcfuzz_create_t", "round %u: %ld", round, rc);
		return 0;
	}
	{
		uint64_t dfr[4];
		rc = dom_create(4, dfr, &did);
		dmfn = dfr[round % 4];
	}
	check(rc == 0, "dom0_hcfuzz_create_d", "round %u: %ld", round, rc);
	if (rc)
		return 0;
	absent_id = (domid_t)(did + 1 + below(20));
	if (dom_info(absent_id, NULL) == 0)
		absent_id = 0x7fe0;
	dmap = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	derr = -1;
	if (dmap != MAP_FAILED) {
		struct privcmd_mmapbatch_v2 b = { .num = 1, .dom = did, .addr = (uintptr_t)dmap, .arr = &dmfn, .err = &derr };
		if (ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &b) < 0)
			derr = -errno;
	}
	check(dmap != MAP_FAILED && derr == 0, "dom0_hcfuzz_map_d", "round %u: err %d", round, derr);
	domctl(ctl(), XEN_DOMCTL_destroydomain, did);
	grants_written = grants_for_t();
	for (unsigned i = 0; i < ((long)round == trace_round ? round_calls : CALLS); i++) {
		struct call c;
		gen(i, &c);
		if (c.nr == ~0ULL) {
			if (tr)
				printf("dom0-hcfuzz %u.%u: mmapbatch dom %llu, %llu frames: %lld, %llu mapped\n", round, i,
				       (unsigned long long)c.a[0], (unsigned long long)c.a[1], (long long)c.a[2],
				       (unsigned long long)c.a[3]);
			calls_total++;
			continue;
		}
		rc = hc(c.nr, c.a[0], c.a[1], c.a[2], c.a[3], c.a[4]);
		if (tr) {
			trace_call(round, i, &c, rc);
			printf("dom0-hcfuzz %u.%u: hypervisor's free frames %llu\n", round, i,
			       (unsigned long long)free_pages());
		}
		calls_total++;
		maps_record(&c, rc);
		if (rc >= 0)
			ok++, calls_ok++;
		if (c.must_fail && rc >= 0) {
			must++;
			check(0, "dom0_hcfuzz_must_fail", "call %u.%u: hypercall %llu (0x%llx, 0x%llx) answered %ld", round, i,
			      (unsigned long long)c.nr, (unsigned long long)c.a[0], (unsigned long long)c.a[1], rc);
			trace_call(round, i, &c, rc);
		}
	}
	dom0_restore();
	/* T alive (or destroyed by a fuzzed call), D dying: the audit must hold */
	sysctl_audit("with T and D", round);
	check(hc(__HYPERVISOR_xen_version, 0, 0, 0, 0, 0) > 0, "dom0_hcfuzz_alive", "round %u", round);
	destroy_others(0);
	if (dmap != MAP_FAILED)
		munmap(dmap, 4096);
	/* Both gone: every frame back, the audit clean */
	for (unsigned ms = 0; ms < 10000; ms += 20) {
		uint64_t prev = after;
		after = free_pages();
		if (dom_info(tid, &d) == -ESRCH && dom_info(did, &d) == -ESRCH && (after == before || after == prev))
			break;
		usleep(20000);
	}
	check(dom_info(tid, &d) == -ESRCH && dom_info(did, &d) == -ESRCH, "dom0_hcfuzz_domains_gone",
	      "round %u: d%u or d%u still there", round, tid, did);
	/*
	 * Round 0 grows what the hypervisor keeps for Dom0 itself on first
	 * use (its maptrack, event-channel and pirq pages): from round 1 on,
	 * every frame must come back.
	 */
	if (round == 0 && after < before)
		printf("dom0-hcfuzz: round 0 kept %llu frames for Dom0's own tables\n",
		       (unsigned long long)(before - after));
	else
		check(paravane ? after == before : after <= before && after + 2 >= before, "dom0_hcfuzz_memory_back",
		      "round %u: free pages %llu before, %llu after", round, (unsigned long long)before,
		      (unsigned long long)after);
	sysctl_audit("after destroy", round);
	check(checksum(canary, 4096) == sum, "dom0_hcfuzz_canary", "round %u: changed", round);
	rc = dom0_runs();
	check(rc == 0, "dom0_hcfuzz_dom0_runs", "round %u: a new program (busybox true) ended with status 0x%lx", round,
	      (unsigned long)rc);
	check(reservation() == pages0, "dom0_hcfuzz_dom0_reservation", "round %u: %ld, was %ld", round, reservation(),
	      pages0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("dom0-hcfuzz: seed %llu round %u: d%u d%u, %u grants of T's, %u calls, %u succeeded (%u grant maps), %u must-fail answered, %ld ms\n",
	       (unsigned long long)seed, round, tid, did, grants_written, CALLS, ok, maps_undone, must,
	       (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
	fflush(stdout);
	return 1;
}

static uint64_t ksym(const char *name, uint64_t fallback)
{
	char line[256], sym[200];
	unsigned long long a;
	char t;
	FILE *f = fopen("/proc/kallsyms", "r");
	uint64_t r = fallback;

	if (!f)
		return r;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %199s", &a, &t, sym) == 3 && !strcmp(sym, name) && a) {
			r = a;
			break;
		}
	fclose(f);
	return r;
}

/* Dom0's spare frames: its maximum raised by NS, then NS frames Linux never hears of. */
static int spare_frames(void)
{
	struct xen_domctl *d = ctl();
	long rc;

	if ((rc = domctl(d, XEN_DOMCTL_getdomaininfo, 0)))
		return (int)rc;
	{
		uint64_t maxkb = d->u.getdomaininfo.max_pages * 4 + NS * 4;
		d = ctl();
		d->u.max_mem.max_memkb = maxkb;
		if ((rc = domctl(d, XEN_DOMCTL_max_mem, 0)))
			return (int)rc;
	}
	rc = populate(DOMID_SELF, smfn, NS, XENMEM_increase_reservation);
	return rc == NS ? 0 : rc < 0 ? (int)rc : -ENOMEM;
}

int main(int argc, char **argv)
{
	uint64_t seed = 1;
	long rounds = 4, secs = 20;
	char extra[32] = { 0 };
	struct timespec start, now;
	int opt;
	long r;

	while ((opt = getopt(argc, argv, "s:r:t:vT:c:")) != -1)
		switch (opt) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'r': rounds = strtol(optarg, NULL, 0); break;
		case 't': secs = strtol(optarg, NULL, 0); break;
		case 'v': verbose = 1; break;
		case 'T': trace_round = strtol(optarg, NULL, 0); break;
		case 'c': round_calls = (unsigned)strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-r ROUNDS] [-t SECONDS] [-v] [-T ROUND]\n", argv[0]);
			return 2;
		}
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open(LX_PRIVCMD_DEV, O_RDWR);
	if (fd < 0) {
		printf("FAIL dom0_hcfuzz_open: %s\n", strerror(errno));
		return 1;
	}
	/* the scratch pages, then a guard page (a write running past them faults), the canary apart */
	scratch = mmap(NULL, (SCRATCH + 1) * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		       -1, 0);
	canary = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (scratch == MAP_FAILED || canary == MAP_FAILED || mprotect(scratch + SCRATCH * 4096, 4096, PROT_NONE) ||
	    mlock(scratch, SCRATCH * 4096) || mlock(canary, 4096) ||
	    /* dom0_runs() forks: the pages would turn copy-on-write, read-only to the hypervisor */
	    madvise(scratch, SCRATCH * 4096, MADV_DONTFORK) || madvise(canary, 4096, MADV_DONTFORK)) {
		printf("FAIL dom0_hcfuzz_scratch: %s\n", strerror(errno));
		return 1;
	}
	for (unsigned k = 0; k < 4096; k++)
		canary[k] = (uint8_t)(k * 7 + 1);
	hc(__HYPERVISOR_xen_version, XENVER_extraversion, (uintptr_t)extra, 0, 0, 0);
	paravane = strstr(extra, "paravane") != NULL;
	ktext = ksym("_stext", 0xffffffff81000000ULL);
	krodata = ksym("__start_rodata", ktext + 0x1000000);
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	r = spare_frames();
	check(r == 0, "dom0_hcfuzz_spare_frames", "%ld", r);
	if (r)
		return 1;
	/* Dom0's grant table at its largest now: growing it is not a leak to look for */
	{
		struct gnttab_query_size *qs = (void *)block(8);
		struct gnttab_setup_table *st = (void *)block(9);
		memset(qs, 0, sizeof(*qs));
		qs->dom = DOMID_SELF;
		hc(__HYPERVISOR_grant_table_op, GNTTABOP_query_size, (uintptr_t)qs, 1, 0, 0);
		memset(st, 0, sizeof(*st));
		st->dom = DOMID_SELF;
		st->nr_frames = qs->max_nr_frames > 64 ? 64 : qs->max_nr_frames;
		st->frame_list = (uintptr_t)block(10);
		hc(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, (uintptr_t)st, 1, 0, 0);
	}
	/*
	 * Dom0's I/O port grant, which the hypervisor makes on its first use
	 * (an ioport_permission Dom0 passes on is one): made now, for the same
	 * reason.
	 */
	{
		uint64_t xf[1];
		domid_t x;
		if (dom_create(1, xf, &x) == 0) {
			struct xen_domctl *d = ctl();
			d->u.ioport_permission.first_port = 0x80;
			d->u.ioport_permission.nr_ports = 1;
			d->u.ioport_permission.allow_access = 1;
			domctl(d, XEN_DOMCTL_ioport_permission, x);
		}
		domctl(ctl(), XEN_DOMCTL_destroydomain, x);
	}
	/* and its maptrack, made on its first grant map (this one fails: ref 0 of its own is no grant to itself) */
	{
		struct gnttab_map_grant_ref *m = (void *)block(8);
		memset(m, 0, sizeof(*m));
		m->flags = GNTMAP_device_map;
		m->dom = 0;
		hc(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, (uintptr_t)m, 1, 0, 0);
	}
	ports_snapshot();
	printf("dom0-hcfuzz: seed %llu, up to %ld rounds of %u calls, %ld s, on %s (replay: -s %llu -r N [-T ROUND])\n",
	       (unsigned long long)seed, rounds, CALLS, secs, paravane ? "Paravane" : "Xen", (unsigned long long)seed);
	printf("dom0-hcfuzz: kernel text 0x%llx, rodata 0x%llx, spare frames 0x%llx..\n", (unsigned long long)ktext,
	       (unsigned long long)krodata, (unsigned long long)smfn[0]);
	sysctl_audit("before", 0);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (r = 0; r < rounds; r++) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= secs)
			break;
		if (!round_run(seed, (unsigned)r))
			break;
	}
	check(r > 0, "dom0_hcfuzz_rounds", "no round ran");
	/* the spare frames back to the hypervisor */
	{
		struct xen_memory_reservation *m = (void *)block(3);
		memcpy(block(4), smfn, sizeof(smfn));
		memset(m, 0, sizeof(*m));
		m->extent_start = (uintptr_t)block(4);
		m->nr_extents = NS;
		m->domid = DOMID_SELF;
		long rc = hc(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, (uintptr_t)m, 0, 0, 0);
		check(rc == NS, "dom0_hcfuzz_spare_back", "%ld", rc);
	}
	printf("dom0-hcfuzz: seed %llu: %ld rounds, %llu calls (%llu succeeded) (replay: -s %llu -r %ld)\n",
	       (unsigned long long)seed, r, calls_total, calls_ok, (unsigned long long)seed, r);
	printf("dom0-hcfuzz: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
