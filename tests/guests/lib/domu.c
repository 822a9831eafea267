/*
 * domu.c - Dom0 builds a DomU from scratch: see domu.h.
 */
#include "domu.h"
#include "public/io/console.h"

struct xen_domctl domu_op;
int32_t domu_max_maptrack_frames = -1;

long domu_domctl(uint32_t cmd, domid_t dom)
{
	domu_op.cmd = cmd;
	domu_op.domain = dom;
	domu_op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	return HC1(__HYPERVISOR_domctl, &domu_op);
}

long domu_simple(uint32_t cmd, domid_t dom)
{
	memset(&domu_op, 0, sizeof(domu_op));
	return domu_domctl(cmd, dom);
}

long domu_info(domid_t dom)
{
	return domu_simple(XEN_DOMCTL_getdomaininfo, dom);
}

long domu_vcpuinfo(domid_t dom, unsigned vcpu)
{
	memset(&domu_op, 0, sizeof(domu_op));
	domu_op.u.getvcpuinfo.vcpu = vcpu;
	return domu_domctl(XEN_DOMCTL_getvcpuinfo, dom);
}

long domu_createdomain(unsigned vcpus)
{
	memset(&domu_op, 0, sizeof(domu_op));
	domu_op.u.createdomain.max_vcpus = vcpus;
	domu_op.u.createdomain.max_evtchn_port = 1023;
	domu_op.u.createdomain.max_grant_frames = -1;
	domu_op.u.createdomain.max_maptrack_frames = domu_max_maptrack_frames;
	domu_op.u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(1);
	return domu_domctl(XEN_DOMCTL_createdomain, 0);
}

uint64_t domu_free_pages(void)
{
	static struct xen_sysctl sop;

	memset(&sop, 0, sizeof(sop));
	sop.cmd = XEN_SYSCTL_physinfo;
	sop.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	return HC1(__HYPERVISOR_sysctl, &sop) ? 0 : sop.u.physinfo.free_pages;
}

static struct xen_sysctl key_op;
static char key_ring[16384];

long domu_debug_key(char key)
{
	memset(&key_op, 0, sizeof(key_op));
	key_op.cmd = XEN_SYSCTL_debug_keys;
	key_op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	key_op.u.debug_keys.keys = (uint64_t)&key;
	key_op.u.debug_keys.nr_keys = 1;
	return HC1(__HYPERVISOR_sysctl, &key_op);
}

long domu_ring_number(const char *key)
{
	uint32_t n;
	size_t klen = strlen(key);
	long found = -1;

	memset(&key_op, 0, sizeof(key_op));
	key_op.cmd = XEN_SYSCTL_readconsole;
	key_op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	key_op.u.readconsole.buffer = (uint64_t)key_ring;
	key_op.u.readconsole.count = sizeof(key_ring) - 1;
	if (HC1(__HYPERVISOR_sysctl, &key_op))
		return -1;
	n = key_op.u.readconsole.count;
	key_ring[n] = 0;
	for (uint32_t i = 0; i + klen < n; i++)
		if (!strncmp(key_ring + i, key, klen)) {
			found = 0;
			for (uint32_t j = i + (uint32_t)klen; key_ring[j] >= '0' && key_ring[j] <= '9'; j++)
				found = found * 10 + (key_ring[j] - '0');
		}
	return found;   /* the last occurrence: the report just printed */
}

/* ---- Dom0's windows -------------------------------------------------- */

/* one page of ours per window, whose L1 entry is borrowed */
uint8_t domu_windows[2][4096] __attribute__((aligned(4096)));
static uint64_t window_saved[2];

/* Our own tables, read through the M2P and our 1:1 kernel mapping */
static uint64_t *table_va(uint64_t entry)
{
	uint64_t mfn = (entry & PTE_ADDR) >> 12;

	return (uint64_t *)(VIRT_BASE + (((uint64_t *)MACH2PHYS_VIRT_START)[mfn] << 12));
}

static uint64_t *l1e_of(uint64_t va, uint64_t *maddr)
{
	uint64_t *l4 = (uint64_t *)start_info->pt_base;
	uint64_t *l3 = table_va(l4[(va >> 39) & 511]);
	uint64_t *l2 = table_va(l3[(va >> 30) & 511]);
	uint64_t l2e = l2[(va >> 21) & 511];
	unsigned i = (va >> 12) & 511;

	*maddr = (l2e & PTE_ADDR) + i * 8;
	return &table_va(l2e)[i];
}

long domu_map_window(unsigned w, domid_t dom, uint64_t mfn, uint64_t flags)
{
	uint64_t ptr;
	uint64_t *e = l1e_of((uint64_t)domu_windows[w], &ptr);
	struct mmu_update u = { .ptr = ptr };
	struct mmuext_op inv = { .cmd = MMUEXT_INVLPG_LOCAL };
	long rc;

	if (!window_saved[w])
		window_saved[w] = *e;
	u.val = mfn ? (mfn << 12) | flags : window_saved[w];
	rc = HYPERVISOR_mmu_update(&u, 1, NULL, mfn ? dom : DOMID_SELF);
	inv.arg1.linear_addr = (uint64_t)domu_windows[w];
	HYPERVISOR_mmuext_op(&inv, 1, NULL, DOMID_SELF);
	return rc;
}

uint64_t domu_own_pte(const void *va)
{
	uint64_t maddr;

	return *l1e_of((uint64_t)va, &maddr);
}

uint64_t domu_own_mfn(const void *va)
{
	return (domu_own_pte(va) & PTE_ADDR) >> 12;
}

int domu_write_frame(domid_t dom, uint64_t mfn, const void *src, size_t n, size_t at)
{
	if (domu_map_window(0, dom, mfn, DOMU_RW))
		return 0;
	memset(domu_windows[0], 0, 4096);
	memcpy(domu_windows[0] + at, src, n);
	return domu_map_window(0, DOMID_SELF, 0, 0) == 0;
}

/* ---- events ---------------------------------------------------------- */

int domu_port_pending(evtchn_port_t p)
{
	return (shared_info->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

void domu_port_clear(evtchn_port_t p)
{
	__atomic_fetch_and(&shared_info->evtchn_pending[p / 64], ~(1ULL << (p % 64)), __ATOMIC_SEQ_CST);
}

void domu_port_mask(evtchn_port_t p)
{
	__atomic_fetch_or(&shared_info->evtchn_mask[p / 64], 1ULL << (p % 64), __ATOMIC_SEQ_CST);
}

int domu_wait_port(evtchn_port_t p, unsigned ms)
{
	uint64_t until = system_time_ns() + ms * 1000000ULL;

	while (!domu_port_pending(p) && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	return domu_port_pending(p);
}

void domu_spin_ms(unsigned ms)
{
	uint64_t until = system_time_ns() + ms * 1000000ULL;

	while (system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

evtchn_port_t domu_bind_dom_exc(void)
{
	struct evtchn_bind_virq bv = { .virq = VIRQ_DOM_EXC, .vcpu = 0 };

	if (HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv))
		return 0;
	domu_port_mask(bv.port);
	domu_port_clear(bv.port);
	return bv.port;
}

/* ---- building -------------------------------------------------------- */

static int build_fail(const char *what, long rc)
{
	char n[48];

	gsnprintf(n, sizeof(n), "build_%s", what);
	fail(tname(n), "%ld", rc);
	return 0;
}

/* populate_physmap naming the domain; a partial answer is carried on */
static long populate(domid_t dom, uint64_t *mfn, unsigned long n)
{
	unsigned long done = 0;

	for (unsigned long i = 0; i < n; i++)
		mfn[i] = i;
	while (done < n) {
		struct xen_memory_reservation r = {
			.extent_start = (uint64_t)(mfn + done), .nr_extents = n - done, .domid = dom,
		};
		long rc = HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);

		if (rc <= 0)
			return rc ? rc : (long)done;
		done += rc;
	}
	return done;
}

int domu_m2p_names(const struct domu *u)
{
	const uint64_t *m2p = (const uint64_t *)MACH2PHYS_VIRT_START;
	int ok = 1;

	for (unsigned long i = 0; i < u->nr_pages; i++)
		ok &= m2p[u->mfn[i]] == i;
	return ok;
}

int domu_create(struct domu *u, uint64_t *mfn, unsigned long nr_pages, unsigned vcpus)
{
	struct evtchn_alloc_unbound au;
	struct evtchn_bind_interdomain bi;
	long rc;

	memset(u, 0, sizeof(*u));
	u->t[DOMU_T_START] = system_time_ns();
	u->nr_pages = nr_pages;
	u->nr_mapped = nr_pages;
	u->nr_l1 = (nr_pages + 1 + 511) / 512;   /* + the shared_info slot */
	u->code = DOMU_PFN_L1 + u->nr_l1;
	u->stack = u->code + 1;
	u->cons = u->code + 2;
	u->data = u->code + 3;
	u->mfn = mfn;
	if (nr_pages > DOMU_MAX_PAGES || u->data >= nr_pages)
		return build_fail("size", (long)nr_pages);
	if ((rc = domu_createdomain(vcpus)))
		return build_fail("create", rc);
	u->id = domu_op.domain;
	memset(&domu_op, 0, sizeof(domu_op));
	domu_op.u.max_vcpus.max = vcpus;
	if ((rc = domu_domctl(XEN_DOMCTL_max_vcpus, u->id)))
		return build_fail("max_vcpus", rc);
	memset(&domu_op, 0, sizeof(domu_op));
	domu_op.u.max_mem.max_memkb = nr_pages * 4;
	if ((rc = domu_domctl(XEN_DOMCTL_max_mem, u->id)))
		return build_fail("max_mem", rc);
	u->t[DOMU_T_CREATED] = system_time_ns();
	if ((rc = populate(u->id, mfn, nr_pages)) != (long)nr_pages)
		return build_fail("populate", rc);
	if (!domu_m2p_names(u))
		return build_fail("m2p", 0);
	u->t[DOMU_T_POPULATED] = system_time_ns();
	au = (struct evtchn_alloc_unbound){ .dom = u->id, .remote_dom = 0 };
	if ((rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au)))
		return build_fail("alloc_unbound", rc);
	bi = (struct evtchn_bind_interdomain){ .remote_dom = u->id, .remote_port = au.port };
	if ((rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi)))
		return build_fail("bind", rc);
	u->port = bi.local_port;
	u->domu_port = au.port;
	domu_port_mask(u->port);
	domu_port_clear(u->port);
	return 1;
}

/* The L1s map the pfns below nr_mapped (tables read-only), then the shared_info slot */
static int write_l1s(const struct domu *u, uint64_t shinfo_mfn)
{
	for (unsigned long t = 0; t < u->nr_l1; t++) {
		uint64_t *e = (uint64_t *)domu_windows[0];

		if (domu_map_window(0, u->id, u->mfn[DOMU_PFN_L1 + t], DOMU_RW))
			return 0;
		memset(e, 0, 4096);
		for (unsigned long i = 0, pfn = t * 512; i < 512; i++, pfn++) {
			if (pfn < u->nr_mapped && pfn < u->nr_pages)
				e[i] = (u->mfn[pfn] << 12) | PTE_P | PTE_U | PTE_A |
				       (pfn >= u->code ? PTE_W | PTE_D : 0);
			else if (pfn == u->nr_pages && shinfo_mfn)
				e[i] = (shinfo_mfn << 12) | PTE_P | PTE_W | PTE_U | PTE_A | PTE_D;
		}
		if (domu_map_window(0, DOMID_SELF, 0, 0))
			return 0;
	}
	return 1;
}

static int write_upper(const struct domu *u)
{
	uint64_t *e = (uint64_t *)domu_windows[0];
	const uint64_t flags = PTE_P | PTE_W | PTE_U | PTE_A;
	int ok = 1;

	if (domu_map_window(0, u->id, u->mfn[DOMU_PFN_L2], DOMU_RW))
		return 0;
	memset(e, 0, 4096);
	for (unsigned long t = 0; t < u->nr_l1; t++)
		e[t] = (u->mfn[DOMU_PFN_L1 + t] << 12) | flags;
	ok &= domu_map_window(0, DOMID_SELF, 0, 0) == 0;
	e = (uint64_t[]){ (u->mfn[DOMU_PFN_L2] << 12) | flags };
	ok &= domu_write_frame(u->id, u->mfn[DOMU_PFN_L3], e, 8, 8 * ((DOMU_BASE >> 30) & 511));
	e = (uint64_t[]){ (u->mfn[DOMU_PFN_L3] << 12) | flags };
	ok &= domu_write_frame(u->id, u->mfn[DOMU_PFN_L4], e, 8, 8 * ((DOMU_BASE >> 39) & 511));
	return ok;
}

int domu_load(struct domu *u, const void *code, size_t code_len, const void *data, size_t data_len,
	      uint64_t shinfo_mfn)
{
	struct mmuext_op pin = { .cmd = MMUEXT_PIN_L4_TABLE };
	long rc;

	if (!domu_write_frame(u->id, u->mfn[u->code], code, code_len, 0) ||
	    !domu_write_frame(u->id, u->mfn[u->data], data, data_len, 0) ||
	    !domu_write_frame(u->id, u->mfn[u->cons], "", 0, 0) ||
	    !domu_write_frame(u->id, u->mfn[u->stack], "", 0, 0) ||
	    !write_l1s(u, shinfo_mfn) || !write_upper(u))
		return build_fail("write", 0);
	u->t[DOMU_T_TABLES] = system_time_ns();
	pin.arg1.mfn = u->mfn[DOMU_PFN_L4];
	if ((rc = HYPERVISOR_mmuext_op(&pin, 1, NULL, u->id)))
		return build_fail("pin", rc);
	u->t[DOMU_T_PINNED] = system_time_ns();
	return 1;
}

void domu_context(struct vcpu_guest_context *c, const struct domu *u, unsigned vcpu)
{
	memset(c, 0, sizeof(*c));
	c->flags = VGCF_in_kernel | VGCF_online;
	c->user_regs.rip = DOMU_VA(u->code);
	c->user_regs.rsp = DOMU_VA(u->stack) + 4096 - 64 - vcpu * 2048;
	c->user_regs.cs = FLAT_KERNEL_CS;
	c->user_regs.ss = FLAT_KERNEL_SS;
	c->user_regs.rflags = 0x200;
	c->user_regs.rbx = DOMU_VA(u->data);
	c->user_regs.rbp = DOMU_VA(u->cons);
	c->user_regs.r15 = vcpu;
	c->kernel_ss = FLAT_KERNEL_SS;
	c->kernel_sp = c->user_regs.rsp;
	c->ctrlreg[3] = u->mfn[DOMU_PFN_L4] << 12;
}

static long vcpu_context(uint32_t cmd, domid_t id, unsigned vcpu, struct vcpu_guest_context *c)
{
	memset(&domu_op, 0, sizeof(domu_op));
	domu_op.u.vcpucontext.vcpu = vcpu;
	domu_op.u.vcpucontext.ctxt = (uint64_t)c;
	return domu_domctl(cmd, id);
}

long domu_set_context(domid_t id, unsigned vcpu, struct vcpu_guest_context *c)
{
	return vcpu_context(XEN_DOMCTL_setvcpucontext, id, vcpu, c);
}

long domu_get_context(domid_t id, unsigned vcpu, struct vcpu_guest_context *c)
{
	return vcpu_context(XEN_DOMCTL_getvcpucontext, id, vcpu, c);
}

/* ---- ending ---------------------------------------------------------- */

/*
 * Xen's own heap may keep a page or two it grew meanwhile (Dom0's
 * event-channel buckets, scheduler state).
 */
#define XEN_HEAP_SLACK 2

int domu_free_back(uint64_t before, uint64_t after)
{
	return hv_is_paravane() ? after == before : after <= before && after + XEN_HEAP_SLACK >= before;
}

/* Xen frees a destroyed domain's frames a little later */
int domu_wait_free(uint64_t before, unsigned ms, uint64_t *after)
{
	uint64_t until = system_time_ns() + ms * 1000000ULL, now;
	int back;

	while (!(back = domu_free_back(before, now = domu_free_pages())) && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	if (after)
		*after = now;
	return back;
}

long domu_destroy_wait(domid_t id, uint64_t free_before, unsigned ms, uint64_t *free_after)
{
	long rc = domu_simple(XEN_DOMCTL_destroydomain, id);

	domu_wait_free(free_before, ms, free_after);
	return rc;
}

/* ---- the frame audit ------------------------------------------------- */

int domu_audit(const char *name)
{
	static struct xen_sysctl op;
	long rc;

	memset(&op, 0, sizeof(op));
	op.cmd = PARAVANE_SYSCTL_audit;
	op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	rc = HC1(__HYPERVISOR_sysctl, &op);
	if (!hv_is_paravane()) {
		check(rc == -XEN_ENOSYS || rc == -XEN_EOPNOTSUPP, name, "Xen answered the audit sysctl with %ld", rc);
		return rc == -XEN_ENOSYS || rc == -XEN_EOPNOTSUPP;
	}
	op.u.audit.first[sizeof(op.u.audit.first) - 1] = 0;
	if (rc == 0)
		gprintf("audit: %lu frames, %lu violation(s)%s%s\n", (unsigned long)op.u.audit.frames,
			(unsigned long)op.u.audit.violations, op.u.audit.violations ? "; first: " : "",
			op.u.audit.first);
	check(rc == 0 && op.u.audit.violations == 0 && op.u.audit.frames > 0, name,
	      "rc %ld, %lu violation(s) in %lu frames; first (frame 0x%lx): %s", rc,
	      (unsigned long)op.u.audit.violations, (unsigned long)op.u.audit.frames,
	      (unsigned long)op.u.audit.first_mfn, op.u.audit.first);
	return rc == 0 && op.u.audit.violations == 0;
}
