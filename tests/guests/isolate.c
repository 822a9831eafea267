/*
 * isolate.c - two DomUs and Dom0 (issue 19, isolation end to end): an
 * unprivileged attacker DomU tries to reach a victim DomU's and Dom0's
 * memory by every hypercall path, and runs into its own limits; each
 * attempt must fail for it alone, with Xen 4.17's answer, and the victim
 * keeps running with its marker intact.
 *
 * Dom0 (this kernel) builds both with lib/domu.c. Both run the same
 * payload: a heartbeat counter and a hypercall interpreter. The attacker's
 * data page holds a batch of hypercalls (number, five arguments, a repeat
 * count) whose argument structures lie in the same page; Dom0 writes a
 * batch through a foreign mapping and bumps `go`; the payload issues each
 * (by syscall, as Linux does) in its own unprivileged context, stores the
 * result (and, repeated, stops at the first non-zero one) and sets `done`.
 * So the attacks are written here in C, but every one of them is made by
 * the DomU, with the victim's real frame numbers, ports and grant refs
 * (not guesses).
 */
#include "guest.h"
#include "domu.h"
#include "public/grant_table.h"
#include "public/event_channel.h"
#include "public/memory.h"

const char test_name[] = "isolate";
const int test_styles = STYLE_DIRECT;   /* builds domains: once */

#define PAGES 32
#define MARKER 0x5ec0de5ec0de0001ULL
#define NCMD 16

struct cmd {
	uint64_t nr, a[5], repeat, result, count;
};

struct payload_data {
	uint64_t go, done, heartbeat, n;    /* +0, +8, +16, +24 */
	uint64_t marker;                   /* +32 */
	uint64_t shinfo_va;                /* +40: its shared_info, to mask its upcalls */
	uint64_t pad[2];
	struct cmd cmd[NCMD];              /* +64 */
	uint8_t args[4096 - 64 - NCMD * sizeof(struct cmd)];
};
_Static_assert(__builtin_offsetof(struct payload_data, cmd) == 64, "payload layout");
_Static_assert(sizeof(struct cmd) == 72, "cmd layout");
_Static_assert(sizeof(struct payload_data) == 4096, "one page");

/*
 * RBX = the data page. Hypercalls by syscall; sched_op (29) yield between
 * rounds. R12/R13 survive hypercalls.
 */
extern const uint8_t payload_start[], payload_end[];
__asm__(".pushsection .rodata\n"
	"payload_start:\n"
	"	mov 40(%rbx), %rcx\n"
	"	movb $1, 1(%rcx)\n"   /* vcpu_info 0's upcall mask: no callback here */
	"1:	incq 16(%rbx)\n"
	"	mov 0(%rbx), %rax\n"
	"	cmp 8(%rbx), %rax\n"
	"	je 5f\n"
	"	mov 24(%rbx), %r12\n"
	"	lea 64(%rbx), %r13\n"
	"2:	test %r12, %r12\n"
	"	jz 4f\n"
	"	movq $0, 64(%r13)\n"
	"3:	mov 0(%r13), %rax\n"
	"	mov 8(%r13), %rdi\n"
	"	mov 16(%r13), %rsi\n"
	"	mov 24(%r13), %rdx\n"
	"	mov 32(%r13), %r10\n"
	"	mov 40(%r13), %r8\n"
	"	syscall\n"
	"	mov %rax, 56(%r13)\n"
	"	test %rax, %rax\n"
	"	jnz 6f\n"
	"	incq 64(%r13)\n"
	"	mov 64(%r13), %rax\n"
	"	cmp 48(%r13), %rax\n"
	"	jb 3b\n"
	"6:	add $72, %r13\n"
	"	dec %r12\n"
	"	jmp 2b\n"
	"4:	mov 0(%rbx), %rax\n"
	"	mov %rax, 8(%rbx)\n"
	"5:	mov $29, %eax\n"
	"	xor %edi, %edi\n"
	"	xor %esi, %esi\n"
	"	syscall\n"
	"	jmp 1b\n"
	"payload_end:\n"
	".popsection\n");

static uint64_t vmfn[PAGES], amfn[PAGES];
static uint64_t v_shinfo;   /* the victim's shared_info frame */
static struct domu V, A;
static volatile struct payload_data *ad;   /* the attacker's data page, window 0 */
static unsigned ncmd;
static size_t args_used;

/* Dom0's own grant table (frame 0 over gt_area) and a page it grants */
static uint8_t gt_area[4096] __attribute__((aligned(4096)));
static uint8_t granted[4096] __attribute__((aligned(4096)));
static volatile struct grant_entry_v1 *gt;

static int start(struct domu *u, uint64_t *mfn)
{
	static struct payload_data pd;
	static struct vcpu_guest_context ctx;

	uint64_t shinfo;

	memset(&pd, 0, sizeof(pd));
	pd.marker = MARKER;
	pd.shinfo_va = DOMU_VA(PAGES);
	if (!domu_create(u, mfn, PAGES, 1) || domu_info(u->id))
		return 0;
	shinfo = domu_op.u.getdomaininfo.shared_info_frame;
	if (u == &V)
		v_shinfo = shinfo;
	if (!domu_load(u, payload_start, payload_end - payload_start, &pd, sizeof(pd), shinfo))
		return 0;
	domu_context(&ctx, u, 0);
	return domu_set_context(u->id, 0, &ctx) == 0 && domu_simple(XEN_DOMCTL_unpausedomain, u->id) == 0;
}

/* ---- batches ---------------------------------------------------------- */
static void batch_begin(void)
{
	ncmd = 0;
	args_used = 0;
}

/* Room for an argument in the attacker's page: its address there, our pointer to it */
static uint64_t arg(size_t size, void **here)
{
	size_t off = (args_used + 7) & ~7UL;

	args_used = off + size;
	*here = (void *)&ad->args[off];
	memset(*here, 0, size);
	return DOMU_VA(A.data) + __builtin_offsetof(struct payload_data, args) + off;
}

static unsigned call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t repeat)
{
	volatile struct cmd *c = &ad->cmd[ncmd];

	c->nr = nr;
	c->a[0] = a0;
	c->a[1] = a1;
	c->a[2] = a2;
	c->a[3] = a3;
	c->a[4] = 0;
	c->repeat = repeat;
	c->result = 0x5555;
	c->count = 0;
	return ncmd++;
}

/* Runs the batch in the attacker; 1 when it finished within 5 s */
static int batch_run(void)
{
	uint64_t until = system_time_ns() + 5000000000ULL;

	ad->n = ncmd;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ad->go = ad->go + 1;
	while (ad->done != ad->go && system_time_ns() < until)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	return ad->done == ad->go;
}

static long res(unsigned i) { return (long)ad->cmd[i].result; }

/* A PTE naming frame m */
static uint64_t pte(uint64_t m, uint64_t flags) { return (m << 12) | flags; }

/* A plain page of the attacker's (past its payload pages) to map over */
#define A_SCRATCH_PFN (PAGES - 2)

static void grants_setup(void)
{
	uint64_t frame = 0;
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1, .frame_list = (uint64_t)&frame };
	uint64_t m = domu_own_mfn(granted);

	if (HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1) || st.status ||
	    HYPERVISOR_update_va_mapping((uint64_t)gt_area, pte(frame, PTE_P | PTE_W | PTE_A | PTE_D), UVMF_INVLPG)) {
		fail(tname("grant_setup"), "setup_table %d", st.status);
		return;
	}
	gt = (volatile struct grant_entry_v1 *)gt_area;
	memset(granted, 0x77, sizeof(granted));
	/* ref 10 to the victim, 11 to the attacker (the control), 12 unused */
	gt[10].domid = V.id;
	gt[10].frame = (uint32_t)m;
	gt[11].domid = A.id;
	gt[11].frame = (uint32_t)m;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	gt[10].flags = GTF_permit_access;
	gt[11].flags = GTF_permit_access | GTF_readonly;
	for (int r = 20; r < 24; r++) {
		gt[r].domid = A.id;
		gt[r].frame = (uint32_t)m;
		__atomic_thread_fence(__ATOMIC_RELEASE);
		gt[r].flags = GTF_permit_access | GTF_readonly;
	}
}

static void attack_frames(void)
{
	uint64_t va = DOMU_VA(A_SCRATCH_PFN);
	uint64_t l1e = (amfn[DOMU_PFN_L1] << 12) + A_SCRATCH_PFN * 8;   /* its own L1 entry of va */
	uint64_t victim = vmfn[V.data], vl1 = vmfn[DOMU_PFN_L1], dom0 = domu_own_mfn(granted);
	struct mmu_update *u;
	struct xen_memory_exchange *exch;
	uint64_t ua;
	unsigned i[16];

	batch_begin();
	i[0] = call(__HYPERVISOR_update_va_mapping, va, pte(victim, PTE_P | PTE_A), UVMF_INVLPG, 0, 1);
	i[1] = call(__HYPERVISOR_update_va_mapping, va, pte(victim, PTE_P | PTE_W | PTE_A | PTE_D), UVMF_INVLPG, 0, 1);
	i[2] = call(__HYPERVISOR_update_va_mapping, va, pte(vl1, PTE_P | PTE_A), UVMF_INVLPG, 0, 1);
	i[3] = call(__HYPERVISOR_update_va_mapping, va, pte(dom0, PTE_P | PTE_A), UVMF_INVLPG, 0, 1);
	ua = arg(sizeof(*u) * 4, (void **)&u);
	u[0].ptr = l1e;                               /* its own L1 entry, a victim frame */
	u[0].val = pte(victim, PTE_P | PTE_A);
	u[1].ptr = (victim << 12) | MMU_MACHPHYS_UPDATE;
	u[1].val = 3;
	u[2].ptr = (vl1 << 12) + 8;                   /* the victim's L1 itself */
	u[2].val = pte(victim, PTE_P | PTE_W | PTE_A | PTE_D);
	u[3].ptr = l1e;                               /* naming the victim as page owner */
	u[3].val = pte(victim, PTE_P | PTE_A);
	i[4] = call(__HYPERVISOR_mmu_update, ua, 1, 0, DOMID_SELF, 1);
	i[5] = call(__HYPERVISOR_mmu_update, ua + 16, 1, 0, DOMID_SELF, 1);
	i[6] = call(__HYPERVISOR_mmu_update, ua + 32, 1, 0, DOMID_SELF, 1);
	i[7] = call(__HYPERVISOR_mmu_update, ua + 48, 1, 0, V.id, 1);
	{
		struct mmuext_op *op;
		uint64_t oa = arg(sizeof(*op) * 2, (void **)&op);

		op[0].cmd = MMUEXT_PIN_L1_TABLE;
		op[0].arg1.mfn = victim;
		op[1].cmd = MMUEXT_NEW_BASEPTR;
		op[1].arg1.mfn = vmfn[DOMU_PFN_L4];
		i[8] = call(__HYPERVISOR_mmuext_op, oa, 1, 0, DOMID_SELF, 1);
		i[9] = call(__HYPERVISOR_mmuext_op, oa + sizeof(*op), 1, 0, DOMID_SELF, 1);
	}
	{
		struct xen_memory_reservation *r;
		uint64_t *ext;
		uint64_t ea = arg(8, (void **)&ext), ra = arg(sizeof(*r), (void **)&r);

		*ext = victim;
		r->extent_start = ea;
		r->nr_extents = 1;
		r->domid = DOMID_SELF;
		i[10] = call(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, ra, 0, 0, 1);
		struct xen_memory_reservation *r2;
		uint64_t r2a = arg(sizeof(*r2), (void **)&r2);

		*r2 = *r;
		r2->domid = V.id;
		i[11] = call(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, r2a, 0, 0, 1);
	}
	/* the victim's shared_info and console ring; an exchange giving a victim frame */
	i[12] = call(__HYPERVISOR_update_va_mapping, va, pte(v_shinfo, PTE_P | PTE_A), UVMF_INVLPG, 0, 1);
	i[13] = call(__HYPERVISOR_update_va_mapping, va, pte(vmfn[V.cons], PTE_P | PTE_A), UVMF_INVLPG, 0, 1);
	{
		struct xen_memory_exchange *x;
		uint64_t *in, *out;
		uint64_t ia = arg(8, (void **)&in), oa = arg(8, (void **)&out), xa = arg(sizeof(*x), (void **)&x);

		*in = victim;
		*out = 0;
		x->in.extent_start = ia;
		x->in.nr_extents = 1;
		x->in.domid = DOMID_SELF;
		x->out.extent_start = oa;
		x->out.nr_extents = 1;
		x->out.domid = DOMID_SELF;
		i[14] = call(__HYPERVISOR_memory_op, XENMEM_exchange, xa, 0, 0, 1);
		exch = x;
	}
	if (!batch_run()) {
		fail(tname("frames_batch"), "the attacker did not finish");
		return;
	}
	EXPECT("uva_victim_shared_info", res(i[12]), -XEN_EBUSY);
	EXPECT("uva_victim_console", res(i[13]), -XEN_EBUSY);
	EXPECT("exchange_victim_frame", res(i[14]), -XEN_EINVAL);
	EXPECT("exchange_victim_frame_none", exch->nr_exchanged, 0);
	/* Xen 4.17's answers (a frame not its own in a PTE: -EBUSY) */
	EXPECT("uva_victim_ro", res(i[0]), -XEN_EBUSY);
	EXPECT("uva_victim_rw", res(i[1]), -XEN_EBUSY);
	EXPECT("uva_victim_l1", res(i[2]), -XEN_EBUSY);
	EXPECT("uva_dom0_frame", res(i[3]), -XEN_EBUSY);
	EXPECT("mmu_own_l1_victim_frame", res(i[4]), -XEN_EBUSY);
	EXPECT("mmu_m2p_victim_frame", res(i[5]), -XEN_EINVAL);
	EXPECT("mmu_victim_l1", res(i[6]), -XEN_EINVAL);
	EXPECT("mmu_foreign_owner", res(i[7]), -XEN_EPERM);
	EXPECT("pin_victim_frame", res(i[8]), -XEN_EINVAL);
	EXPECT("new_baseptr_victim_l4", res(i[9]), -XEN_EINVAL);
	EXPECT("decrease_victim_frame", res(i[10]), 0);
	EXPECT("decrease_for_victim", res(i[11]), 0);   /* nothing done */
}

static void attack_grants(void)
{
	struct gnttab_map_grant_ref *m;
	struct gnttab_copy *c;
	uint64_t ma, ca;
	uint64_t own = amfn[A_SCRATCH_PFN];

	if (!gt)
		return;
	batch_begin();
	ma = arg(sizeof(*m) * 3, (void **)&m);
	for (int k = 0; k < 3; k++) {
		m[k].host_addr = DOMU_VA(A_SCRATCH_PFN);
		m[k].flags = GNTMAP_host_map | GNTMAP_readonly;
		m[k].dom = 0;
	}
	m[0].ref = 10;           /* granted to the victim */
	m[1].ref = 12;           /* not granted */
	m[2].ref = 10;
	m[2].dom = V.id;         /* the victim's own table: nothing granted */
	call(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, ma, 3, 0, 1);
	ca = arg(sizeof(*c) * 5, (void **)&c);
	for (int k = 0; k < 5; k++) {
		c[k].dest.u.gmfn = own;
		c[k].dest.domid = DOMID_SELF;
		c[k].len = 8;
	}
	c[0].source.u.ref = 11;  /* granted to it: the control */
	c[0].source.domid = 0;
	c[0].flags = GNTCOPY_source_gref;
	c[1].source.u.ref = 10;  /* granted to the victim */
	c[1].source.domid = 0;
	c[1].flags = GNTCOPY_source_gref;
	c[2].source.u.gmfn = vmfn[V.data];
	c[2].source.domid = V.id;
	c[3].source.u.gmfn = domu_own_mfn(granted);
	c[3].source.domid = 0;
	c[4].source.u.gmfn = vmfn[V.data];   /* a foreign frame named as our own */
	c[4].source.domid = DOMID_SELF;
	call(__HYPERVISOR_grant_table_op, GNTTABOP_copy, ca, 5, 0, 1);
	if (!batch_run()) {
		fail(tname("grants_batch"), "the attacker did not finish");
		return;
	}
	EXPECT("map_ref_of_victim", m[0].status, GNTST_general_error);
	EXPECT("map_ref_not_granted", m[1].status, GNTST_general_error);
	EXPECT("map_victim_table", m[2].status, GNTST_general_error);
	EXPECT("copy_ref_granted_control", c[0].status, GNTST_okay);
	EXPECT("copy_ref_of_victim", c[1].status, GNTST_general_error);
	EXPECT("copy_victim_gmfn", c[2].status, GNTST_permission_denied);
	EXPECT("copy_dom0_gmfn", c[3].status, GNTST_permission_denied);
	EXPECT("copy_victim_frame_as_self", c[4].status, GNTST_bad_page);
}

static void attack_events(void)
{
	struct evtchn_bind_interdomain *b;
	struct evtchn_alloc_unbound *au;
	uint64_t ba, aa;
	unsigned i[5];
	struct evtchn_alloc_unbound mine = { .dom = DOMID_SELF, .remote_dom = V.id };
	struct evtchn_alloc_unbound forA = { .dom = DOMID_SELF, .remote_dom = A.id };

	/* Dom0 ports: one unbound for the victim, one for the attacker (control) */
	if (HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &mine) ||
	    HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &forA)) {
		fail(tname("evt_setup"), "alloc_unbound");
		return;
	}
	batch_begin();
	ba = arg(sizeof(*b) * 4, (void **)&b);
	b[0].remote_dom = V.id;         /* the victim's port to Dom0: bound */
	b[0].remote_port = V.domu_port;
	b[1].remote_dom = 0;            /* Dom0's port unbound for the victim */
	b[1].remote_port = mine.port;
	b[2].remote_dom = 0;            /* Dom0's end of the victim's channel */
	b[2].remote_port = V.port;
	b[3].remote_dom = 0;            /* unbound for it: the control */
	b[3].remote_port = forA.port;
	for (int k = 0; k < 4; k++)
		i[k] = call(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain, ba + k * sizeof(*b), 0, 0, 1);
	aa = arg(sizeof(*au), (void **)&au);
	au->dom = DOMID_SELF;
	au->remote_dom = 0;
	i[4] = call(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, aa, 0, 0, 5000);
	if (!batch_run()) {
		fail(tname("events_batch"), "the attacker did not finish");
		return;
	}
	EXPECT("bind_victim_bound_port", res(i[0]), -XEN_EINVAL);
	EXPECT("bind_dom0_port_for_victim", res(i[1]), -XEN_EINVAL);
	EXPECT("bind_dom0_bound_port", res(i[2]), -XEN_EINVAL);
	EXPECT("bind_dom0_port_for_it", res(i[3]), 0);
	EXPECT("evtchn_exhausted", res(i[4]), -XEN_ENOSPC);
	/* max_evtchn_port 1023 from lib/domu.c: ports 1..1023, less those it holds */
	check(ad->cmd[i[4]].count > 1000 && ad->cmd[i[4]].count < 1023, tname("evtchn_count"),
	      "%lu ports before the refusal", (unsigned long)ad->cmd[i[4]].count);
	{
		struct evtchn_close cl = { .port = mine.port };

		HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
	}
}

static void attack_limits(void)
{
	struct gnttab_setup_table *st;
	struct xen_memory_reservation *r;
	uint64_t *frames, *pfns;
	uint64_t sa, fa, ra, pa;
	unsigned i[3];

	batch_begin();
	fa = arg(8 * 64, (void **)&frames);
	sa = arg(sizeof(*st), (void **)&st);
	st->dom = DOMID_SELF;
	st->nr_frames = 1000;
	st->frame_list = fa;
	i[0] = call(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, sa, 1, 0, 1);
	pa = arg(8 * 16, (void **)&pfns);
	for (int k = 0; k < 16; k++)
		pfns[k] = 4096 + (uint64_t)k;
	ra = arg(sizeof(*r), (void **)&r);
	r->extent_start = pa;
	r->nr_extents = 16;
	r->domid = DOMID_SELF;
	i[1] = call(__HYPERVISOR_memory_op, XENMEM_populate_physmap, ra, 0, 0, 1);
	{
		struct xen_memory_reservation *r2;
		uint64_t r2a = arg(sizeof(*r2), (void **)&r2);

		*r2 = *r;
		r2->domid = V.id;   /* populating the victim */
		i[2] = call(__HYPERVISOR_memory_op, XENMEM_populate_physmap, r2a, 0, 0, 1);
	}
	if (!batch_run()) {
		fail(tname("limits_batch"), "the attacker did not finish");
		return;
	}
	EXPECT("setup_table_1000_rc", res(i[0]), 0);
	EXPECT("setup_table_1000_status", st->status, GNTST_general_error);
	EXPECT("populate_beyond_max", res(i[1]), 0);
	EXPECT("populate_victim", res(i[2]), 0);   /* nothing done (Xen: no error) */

	/*
	 * Maptrack: device mappings of refs Dom0 granted it, 100 of each of
	 * four refs (under the 255 pins a ref takes), past its one frame of
	 * handles; the last of each batch answers.
	 */
	{
		struct gnttab_map_grant_ref *m;
		uint64_t ma;

		batch_begin();
		ma = arg(sizeof(*m) * 4, (void **)&m);
		for (int k = 0; k < 4; k++) {
			m[k].flags = GNTMAP_device_map | GNTMAP_readonly;
			m[k].ref = (grant_ref_t)(20 + k);
			m[k].dom = 0;
			call(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, ma + k * sizeof(*m), 1, 0, 100);
		}
		if (!batch_run()) {
			fail(tname("maptrack_batch"), "the attacker did not finish");
			return;
		}
		EXPECT("maptrack_first_ref_mapped", m[0].status, GNTST_okay);
		EXPECT("maptrack_exhausted", m[3].status, GNTST_no_space);
		check(gt[20].flags & GTF_reading, tname("maptrack_pinned"), "flags 0x%x", gt[20].flags);
	}
}

/* One round: both built, every attack, both destroyed; the free pages after in *after */
static void scenario(uint64_t *after)
{
	const volatile struct payload_data *vd = (const volatile void *)domu_windows[1];
	uint64_t hb0, hb1;
	long rc;

	memset(&V, 0, sizeof(V));
	memset(&A, 0, sizeof(A));
	gt = NULL;
	/* the attacker gets one maptrack frame, to run out of */
	domu_max_maptrack_frames = -1;
	if (!start(&V, vmfn) || (domu_max_maptrack_frames = 1, !start(&A, amfn))) {
		domu_max_maptrack_frames = -1;
		fail(tname("build"), "victim %u attacker %u", V.id, A.id);
		goto out;
	}
	domu_max_maptrack_frames = -1;
	if (domu_map_window(0, A.id, amfn[A.data], DOMU_RW)) {
		fail(tname("map_attacker_data"), "no window");
		goto out;
	}
	ad = (volatile struct payload_data *)domu_windows[0];
	if (domu_map_window(1, V.id, vmfn[V.data], DOMU_RO)) {
		fail(tname("map_victim_data"), "no window");
		goto out;
	}
	domu_spin_ms(50);
	hb0 = vd->heartbeat;
	batch_begin();
	call(__HYPERVISOR_xen_version, 0, 0, 0, 0, 1);
	check(batch_run() && res(0) > 0, tname("attacker_runs"), "xen_version %ld", res(0));
	grants_setup();
	attack_frames();
	attack_grants();
	attack_events();
	attack_limits();

	/* the victim: still running, its marker and pages its own */
	domu_spin_ms(50);
	hb1 = vd->heartbeat;
	check(hb1 > hb0, tname("victim_still_running"), "heartbeat %lu then %lu", (unsigned long)hb0,
	      (unsigned long)hb1);
	check_eq_hex(tname("victim_marker_intact"), vd->marker, MARKER);
	rc = domu_info(V.id);
	check(rc == 0 && !(domu_op.u.getdomaininfo.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying)) &&
	      domu_op.u.getdomaininfo.tot_pages >= PAGES, tname("victim_intact"), "rc %ld flags 0x%x pages %lu", rc,
	      domu_op.u.getdomaininfo.flags, (unsigned long)domu_op.u.getdomaininfo.tot_pages);
	rc = domu_info(A.id);
	check(rc == 0 && !(domu_op.u.getdomaininfo.flags & XEN_DOMINF_shutdown), tname("attacker_not_crashed"),
	      "rc %ld flags 0x%x", rc, domu_op.u.getdomaininfo.flags);
	{
		const volatile uint64_t *m2p = (const volatile uint64_t *)MACH2PHYS_VIRT_START;

		EXPECT("victim_m2p_intact", m2p[vmfn[V.data]], V.data);
	}
out:
	domu_map_window(0, DOMID_SELF, 0, 0);
	domu_map_window(1, DOMID_SELF, 0, 0);
	if (A.id)
		EXPECT("destroy_attacker", domu_destroy_wait(A.id, 0, 0, NULL), 0);
	if (gt && A.id) {
		/* its mappings go with it: Dom0's entries no longer read */
		for (unsigned k = 0; k < 300 && (gt[20].flags & GTF_reading); k++)
			domu_spin_ms(10);
		check(!(gt[20].flags & GTF_reading) && !(gt[23].flags & GTF_reading), tname("maptrack_released"),
		      "flags 0x%x 0x%x", gt[20].flags, gt[23].flags);
	}
	if (gt) {
		gt[10].flags = 0;
		gt[11].flags = 0;
		for (int r = 20; r < 24; r++)
			gt[r].flags = 0;
	}
	if (V.id)
		EXPECT("destroy_victim", domu_destroy_wait(V.id, 0, 0, NULL), 0);
	/* gone once every frame is back */
	for (unsigned k = 0; k < 300 && ((A.id && domu_info(A.id) == 0) || (V.id && domu_info(V.id) == 0)); k++)
		domu_spin_ms(10);
	/* and settled (Xen frees a dead domain's frames a little later) */
	*after = domu_free_pages();
	for (unsigned k = 0; k < 30; k++) {
		uint64_t now;

		domu_spin_ms(100);
		if ((now = domu_free_pages()) == *after)
			break;
		*after = now;
	}
}

/*
 * Twice: the first round may leave the hypervisor's heap grown (Dom0's
 * grant frame, event-channel buckets: kept for reuse, as Xen keeps its
 * heap); the second must give back every frame it took.
 */
void test_main(void)
{
	uint64_t first = 0, second = 0;

	scenario(&first);
	scenario(&second);
	check(domu_free_back(first, second), tname("free_back"), "free pages %lu after the first round, %lu after the second",
	      (unsigned long)first, (unsigned long)second);
}
