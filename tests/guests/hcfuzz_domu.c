/*
 * hcfuzz_domu - hypercall fuzzing from an unprivileged DomU.
 *
 * The Dom0 test kernel builds a DomU (lib/domu.c) whose payload is a small
 * loop that issues, in order, hypercalls from a list in its own memory and
 * stores each result; then it shuts itself down. Dom0 generates the list
 * from a seed it prints (rounds of ROUND calls, one fresh DomU per round),
 * structure-aware for the DomU: frame numbers are the DomU's own (spare
 * frames, its page tables, its record pages), Dom0's (a canary page,
 * start_info), its shared_info, the hypervisor's and absent ones; pointers
 * go into the call's own argument block, past it, unmapped, non-canonical
 * and into the hypervisor; page-table entries name any of those frames with
 * any flags. Only the DomU's own live mappings are spared (it may hurt
 * itself, but a round should not end at its first call).
 *
 * A DomU that shuts itself down, crashes itself or stays blocked for a
 * second (a poll on no port without a deadline, say) ends its round.
 * After each round Dom0 checks: the DomU made calls;
 * every privileged call it made (domctl, sysctl, platform_op, another
 * domain's shutdown) failed; Dom0's canary page, start_info and
 * reservation are unchanged; the hypervisor's frame audit
 * (PARAVANE_SYSCTL_audit) is clean with the DomU still there, and after
 * destroydomain while Dom0 still maps one of its frames (the domain dying,
 * lingering); once Dom0 lets go, every frame came back and the audit is
 * clean again. On
 * Xen 4.17 the same, except that the audit sysctl must be refused.
 *
 * Command line: "seed=S rounds=R secs=T" (default seed 1, 2 rounds, 60 s):
 * R rounds, fewer if T seconds of system time run out; "trace=1" prints
 * every call Dom0 generated and its result ("traceround=R": round R's);
 * "calls=K" has each DomU make
 * only its first K calls, "kinds=M" (decimal) keeps only the kinds of call
 * whose bit is set in M (bit k: case k of gen()): for narrowing a finding
 * down. The same command line replays the same calls.
 */
#include "domu.h"
#include "public/physdev.h"
#include "xorshift.h"

const char test_name[] = "hcfuzz_domu";
const int test_styles = STYLE_DIRECT;

#define ROUND      512                 /* calls per DomU */
#define REC_PAGES  (ROUND * 64 / 4096)
#define BLK        256                 /* argument bytes per call */
#define ARG_PAGES  (ROUND * BLK / 4096)
#define SPARE      16
#define PAGES      (8 + REC_PAGES + ARG_PAGES + SPARE)

/* One call: the payload loads nr and the arguments, and stores the result. */
struct rec {
	uint64_t nr, a[5];
	int64_t rc;
	uint64_t _pad;
};
_Static_assert(sizeof(struct rec) == 64, "record layout");

/* The data page (RBX): what the payload reads and reports. */
struct ctl {
	uint64_t count;        /* +0: calls to make */
	uint64_t done;         /* +8: calls made */
	uint64_t finished;     /* +16: 1 when all were made */
	uint64_t records;      /* +24: where the records are */
	uint32_t reason;       /* +32: its SCHEDOP_shutdown argument (poweroff) */
	uint32_t _pad;
	uint64_t shinfo;       /* +40: where its shared_info is mapped */
};
_Static_assert(__builtin_offsetof(struct ctl, shinfo) == 40, "ctl layout");

/*
 * RBX = the data page. First its events are masked (vcpu_info 0's upcall
 * mask: a new vCPU starts with it clear on Xen 4.17, set on Paravane, and
 * the DomU has no callback to take an upcall). Hypercalls by syscall
 * (kernel mode): rax = number, rdi, rsi, rdx, r10, r8 the arguments. At the
 * end: sched_op(shutdown).
 */
extern const uint8_t payload_start[], payload_end[];
__asm__(".pushsection .rodata\n"
	"payload_start:\n"
	"	mov 40(%rbx), %rax\n"
	"	movb $1, 1(%rax)\n"
	"	mov 24(%rbx), %r12\n"
	"	xor %r13d, %r13d\n"
	"1:	cmp 0(%rbx), %r13\n"
	"	jae 9f\n"
	"	mov 0(%r12), %rax\n"
	"	mov 8(%r12), %rdi\n"
	"	mov 16(%r12), %rsi\n"
	"	mov 24(%r12), %rdx\n"
	"	mov 32(%r12), %r10\n"
	"	mov 40(%r12), %r8\n"
	"	syscall\n"
	"	mov %rax, 48(%r12)\n"
	"	add $64, %r12\n"
	"	inc %r13\n"
	"	mov %r13, 8(%rbx)\n"
	"	jmp 1b\n"
	"9:	movq $1, 16(%rbx)\n"
	"	mov $29, %eax\n"
	"	mov $2, %edi\n"
	"	lea 32(%rbx), %rsi\n"
	"	syscall\n"
	"8:	pause\n"
	"	jmp 8b\n"
	"payload_end:\n"
	".popsection\n");

static uint64_t mfns[PAGES];
static struct rec recs[ROUND];
static uint8_t blocks[ARG_PAGES][4096];
static uint8_t canary[4096] __attribute__((aligned(4096)));
static struct vcpu_guest_context ctx;
static struct domu u;
static uint64_t shinfo_mfn, canary_mfn, start_info_mfn;
static int trace;
static uint64_t trace_round = ~0ULL;   /* "traceround=R": trace that round only */
static uint32_t kinds = 0xfffff;   /* "kinds=": a bit mask of gen()'s cases (narrowing down a finding) */
static unsigned calls_per_round = ROUND;   /* "calls=": the DomU makes only the first N (bisecting) */

static unsigned long rec_pfn(void) { return u.data + 1; }
static unsigned long arg_pfn(void) { return u.data + 1 + REC_PAGES; }
static unsigned long spare_pfn(void) { return arg_pfn() + ARG_PAGES; }

/* Frames: mostly the DomU's spare ones, then its others, Dom0's, the hypervisor's and none. */
static uint64_t frame(void)
{
	switch (below(10)) {
	case 0:   /* its page tables or argument pages: never its code, stack, data or records */
		return one_in(2) ? mfns[below(4)] : mfns[arg_pfn() + below(ARG_PAGES)];
	case 1: return one_in(2) ? canary_mfn : start_info_mfn;   /* Dom0's */
	case 2: return shinfo_mfn;
	case 3: return one_in(2) ? below(256) : (rnd() & 0xfffffff);   /* firmware, the hypervisor's, anything */
	case 4: return one_in(2) ? ~0ULL >> 12 : (1ULL << 40) + below(4);
	default: return mfns[spare_pfn() + below(SPARE)];
	}
}

static uint64_t entry(void)
{
	static const uint64_t flags[] = { PTE_P, PTE_P | PTE_W, PTE_P | PTE_U, PTE_P | PTE_W | PTE_U | PTE_A | PTE_D };
	uint64_t e = (frame() << 12) | flags[below(4)];

	if (one_in(8))
		e |= 1ULL << (52 + below(12));   /* software, protection-key, NX and reserved bits */
	if (one_in(8))
		e |= 1ULL << below(12);
	return e;
}

static uint64_t blk_va(unsigned i) { return DOMU_VA(arg_pfn()) + (uint64_t)i * BLK; }

/* A pointer: the call's own block mostly, else one the hypervisor must refuse. */
static uint64_t ptr(unsigned i, unsigned off)
{
	switch (below(12)) {
	case 0: return 0;
	case 1: return 0xffff800000000000ULL + (rnd() & 0xffffff000ULL);   /* the hypervisor's half */
	case 2: return 0x0000800000000000ULL - 8;                            /* straddles the hole */
	case 3: return DOMU_VA(PAGES + 8) + below(4096);                    /* unmapped */
	case 4: return DOMU_VA(u.cons);                                      /* its (unused) console page */
	default: return blk_va(i) + off;
	}
}

/* A VA in the DomU's sandbox (L1 slots past its pages and shared_info), or a bad one. */
static uint64_t sandbox_va(void)
{
	if (one_in(6))
		return one_in(2) ? 0xffff830000000000ULL + (rnd() & 0xfff000) : 0x8000000000000000ULL;
	return DOMU_VA(PAGES + 2 + below(512 - PAGES - 2));
}

static uint64_t domid(void)
{
	static const uint64_t ids[] = { DOMID_SELF, DOMID_SELF, 0, 0, 1, 7, DOMID_IO, DOMID_XEN, DOMID_INVALID };
	uint64_t d = ids[below(9)];

	return d == 1 ? (uint64_t)u.id : d == 7 ? (uint64_t)u.id + 1 : d;
}

/* An entry of the DomU's tables it may rewrite: the sandbox slots of its L1, unused upper slots. */
static uint64_t table_slot(void)
{
	switch (below(4)) {
	case 0: return (mfns[DOMU_PFN_L4] << 12) | 8 * (2 + below(200));
	case 1: return (mfns[DOMU_PFN_L3] << 12) | 8 * (2 + below(500));
	case 2: return (mfns[DOMU_PFN_L2] << 12) | 8 * (1 + below(500));
	default: return (mfns[DOMU_PFN_L1] << 12) | 8 * (PAGES + 2 + below(512 - PAGES - 2));
	}
}

/* ---- One call ---------------------------------------------------------- */

static void gen(unsigned i, struct rec *r, uint8_t *b)
{
	uint64_t *q = (uint64_t *)b;

	unsigned kind;

	memset(b, 0, BLK);
	memset(r, 0, sizeof(*r));
	do
		kind = below(20);
	while (!(kinds >> kind & 1));
	switch (kind) {
	case 0: case 1: {   /* mmu_update: 1-4 requests */
		struct mmu_update *m = (struct mmu_update *)b;
		unsigned n = 1 + below(4);
		for (unsigned k = 0; k < n; k++) {
			unsigned cmd = below(3);
			uint64_t f = frame();
			/* its own tables only in the slots that map nothing it runs on */
			int own_table = f == mfns[0] || f == mfns[1] || f == mfns[2] || f == mfns[3];
			m[k].ptr = (one_in(3) && !own_table ? (f << 12) | 8 * below(512) : table_slot()) | cmd;
			m[k].val = cmd == MMU_MACHPHYS_UPDATE ? rnd() % (PAGES + 4) : entry();
		}
		*r = (struct rec){ .nr = __HYPERVISOR_mmu_update, .a = { ptr(i, 0), n, one_in(2) ? ptr(i, 200) : 0, domid() } };
		break;
	}
	case 2: case 3: {   /* mmuext_op, never NEW_BASEPTR (that would be its own end) */
		static const unsigned cmds[] = {
			MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L3_TABLE, MMUEXT_PIN_L4_TABLE,
			MMUEXT_UNPIN_TABLE, MMUEXT_TLB_FLUSH_LOCAL, MMUEXT_INVLPG_LOCAL, MMUEXT_TLB_FLUSH_ALL,
			MMUEXT_INVLPG_ALL, MMUEXT_FLUSH_CACHE, MMUEXT_SET_LDT, MMUEXT_NEW_USER_BASEPTR,
			MMUEXT_CLEAR_PAGE, MMUEXT_COPY_PAGE, MMUEXT_MARK_SUPER, 99,
		};
		struct mmuext_op *o = (struct mmuext_op *)b;
		o->cmd = cmds[below(16)];
		o->arg1.mfn = o->cmd == MMUEXT_SET_LDT || o->cmd == MMUEXT_INVLPG_LOCAL ? sandbox_va() : frame();
		o->arg2.src_mfn = o->cmd == MMUEXT_SET_LDT ? below(9000) : frame();
		*r = (struct rec){ .nr = __HYPERVISOR_mmuext_op, .a = { ptr(i, 0), 1, 0, domid() } };
		break;
	}
	case 4: case 5:   /* update_va_mapping in its sandbox */
		*r = (struct rec){ .nr = __HYPERVISOR_update_va_mapping, .a = { sandbox_va(), entry(), below(4) } };
		break;
	case 6: {   /* memory_op: reservations, exchange, information */
		static const unsigned cmds[] = {
			XENMEM_increase_reservation, XENMEM_decrease_reservation, XENMEM_populate_physmap,
			XENMEM_current_reservation, XENMEM_maximum_reservation, XENMEM_machphys_mfn_list,
			XENMEM_memory_map, XENMEM_exchange,
		};
		struct xen_memory_reservation *m = (struct xen_memory_reservation *)b;
		unsigned cmd = cmds[below(8)];
		m->extent_start = ptr(i, 128);
		m->nr_extents = below(4);
		m->extent_order = one_in(4) ? below(10) : 0;
		m->domid = (uint16_t)domid();
		for (unsigned k = 0; k < 8; k++)
			q[16 + k] = one_in(2) ? mfns[spare_pfn() + below(SPARE)] : frame();
		if (cmd == XENMEM_current_reservation || cmd == XENMEM_maximum_reservation)
			*(uint16_t *)b = (uint16_t)domid();
		*r = (struct rec){ .nr = __HYPERVISOR_memory_op, .a = { cmd, ptr(i, 0) } };
		break;
	}
	case 7: case 8: {   /* grant tables */
		static const unsigned cmds[] = {
			GNTTABOP_map_grant_ref, GNTTABOP_unmap_grant_ref, GNTTABOP_setup_table, GNTTABOP_copy,
			GNTTABOP_query_size, GNTTABOP_set_version, GNTTABOP_get_status_frames, GNTTABOP_get_version,
		};
		unsigned cmd = cmds[below(8)];
		if (cmd == GNTTABOP_map_grant_ref) {
			struct gnttab_map_grant_ref *m = (struct gnttab_map_grant_ref *)b;
			m->host_addr = sandbox_va();
			m->flags = below(32);
			m->ref = below(40);
			m->dom = (uint16_t)domid();
		} else if (cmd == GNTTABOP_unmap_grant_ref) {
			struct gnttab_unmap_grant_ref *m = (struct gnttab_unmap_grant_ref *)b;
			m->host_addr = sandbox_va();
			m->handle = below(8);
		} else if (cmd == GNTTABOP_setup_table || cmd == GNTTABOP_get_status_frames) {
			struct gnttab_setup_table *s = (struct gnttab_setup_table *)b;
			s->dom = (uint16_t)domid();
			s->nr_frames = below(6);
			s->frame_list = ptr(i, 128);
		} else if (cmd == GNTTABOP_copy) {
			struct gnttab_copy *c = (struct gnttab_copy *)b;
			c->source.u.gmfn = frame();
			c->source.domid = (uint16_t)domid();
			c->source.offset = (uint16_t)below(4200);
			c->dest.u.gmfn = one_in(3) ? frame() : mfns[spare_pfn() + below(SPARE)];
			c->dest.domid = (uint16_t)domid();
			c->dest.offset = (uint16_t)below(4200);
			c->len = (uint16_t)below(5000);
			c->flags = (uint16_t)below(4);
		} else {
			q[0] = one_in(2) ? below(4) : domid();
		}
		*r = (struct rec){ .nr = __HYPERVISOR_grant_table_op, .a = { cmd, ptr(i, 0), one_in(8) ? below(3) : 1 } };
		break;
	}
	case 9: case 10: {   /* event channels: its own ports, Dom0's, FIFO on its spare frames */
		static const unsigned cmds[] = {
			EVTCHNOP_alloc_unbound, EVTCHNOP_bind_interdomain, EVTCHNOP_bind_virq, EVTCHNOP_close,
			EVTCHNOP_send, EVTCHNOP_status, EVTCHNOP_unmask, EVTCHNOP_bind_ipi, EVTCHNOP_init_control,
			EVTCHNOP_expand_array, EVTCHNOP_set_priority, EVTCHNOP_reset,
		};
		unsigned cmd = cmds[below(12)];
		uint32_t *w = (uint32_t *)b;
		w[0] = (uint32_t)(one_in(2) ? domid() : below(70));
		w[1] = (uint32_t)(one_in(2) ? below(70) : domid());
		w[2] = below(70);
		w[3] = below(4);
		if (cmd == EVTCHNOP_init_control || cmd == EVTCHNOP_expand_array)
			q[0] = one_in(3) ? frame() : mfns[spare_pfn() + below(SPARE)];
		*r = (struct rec){ .nr = __HYPERVISOR_event_channel_op, .a = { cmd, ptr(i, 0) } };
		break;
	}
	case 11: {   /* vcpu_op: never vCPU 0 down */
		static const unsigned cmds[] = {
			VCPUOP_is_up, VCPUOP_get_runstate_info, VCPUOP_register_runstate_memory_area,
			VCPUOP_set_periodic_timer, VCPUOP_stop_periodic_timer, VCPUOP_set_singleshot_timer,
			VCPUOP_stop_singleshot_timer, VCPUOP_register_vcpu_info, VCPUOP_initialise, VCPUOP_up,
			VCPUOP_down, 77,
		};
		unsigned cmd = cmds[below(12)], vcpu = one_in(4) ? 1 + below(100) : 0;
		if (cmd == VCPUOP_down && vcpu == 0)
			vcpu = 1;
		q[0] = cmd == VCPUOP_register_vcpu_info ? frame() : cmd == VCPUOP_register_runstate_memory_area ?
		       ptr(i, 128) : rnd() % 100000000;
		q[1] = below(4200) & ~7u;
		*r = (struct rec){ .nr = __HYPERVISOR_vcpu_op, .a = { cmd, vcpu, ptr(i, 0) } };
		break;
	}
	case 12: {   /* physdev_op: I/O privilege, the EOI map, IRQs (none are its own) */
		static const unsigned cmds[] = {
			PHYSDEVOP_set_iopl, PHYSDEVOP_pirq_eoi_gmfn_v1, PHYSDEVOP_pirq_eoi_gmfn_v2,
			PHYSDEVOP_irq_status_query, PHYSDEVOP_eoi, PHYSDEVOP_map_pirq, PHYSDEVOP_unmap_pirq,
			PHYSDEVOP_set_iobitmap,
		};
		unsigned cmd = cmds[below(8)];
		q[0] = cmd == PHYSDEVOP_pirq_eoi_gmfn_v1 || cmd == PHYSDEVOP_pirq_eoi_gmfn_v2 ? frame() :
		       cmd == PHYSDEVOP_set_iobitmap ? ptr(i, 128) : below(4) | (uint64_t)domid() << 32;
		q[1] = below(70000);
		*r = (struct rec){ .nr = __HYPERVISOR_physdev_op, .a = { cmd, ptr(i, 0) } };
		break;
	}
	case 13: {   /* descriptors: its spare frames, its tables, Dom0's */
		if (one_in(2)) {
			for (unsigned k = 0; k < 4; k++)
				q[k] = one_in(2) ? mfns[spare_pfn() + below(SPARE)] : frame();
			*r = (struct rec){ .nr = __HYPERVISOR_set_gdt, .a = { ptr(i, 0), below(3000) } };
		} else {
			uint64_t d = one_in(2) ? 0x00cffa000000ffffULL : rnd();
			*r = (struct rec){ .nr = __HYPERVISOR_update_descriptor, .a = { (frame() << 12) | 8 * below(513), d } };
		}
		break;
	}
	case 14: {   /* what only Dom0 may ask: must fail for it */
		if (one_in(2)) {
			struct xen_domctl *d = (struct xen_domctl *)b;
			d->cmd = below(80);
			d->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
			d->domain = (uint16_t)(one_in(2) ? u.id : domid());
			for (unsigned k = 2; k < 20; k++)
				q[k] = one_in(2) ? rnd() : below(64);
			*r = (struct rec){ .nr = __HYPERVISOR_domctl, .a = { ptr(i, 0) } };
		} else if (one_in(2)) {
			struct xen_sysctl *s = (struct xen_sysctl *)b;
			s->cmd = one_in(4) ? PARAVANE_SYSCTL_audit : below(40);
			s->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
			for (unsigned k = 1; k < 17; k++)
				q[k] = one_in(2) ? rnd() : below(64);
			*r = (struct rec){ .nr = __HYPERVISOR_sysctl, .a = { ptr(i, 0) } };
		} else if (one_in(2)) {
			q[0] = (uint64_t)below(70) | (uint64_t)0x3 << 32;   /* a platform_op of some number */
			*r = (struct rec){ .nr = __HYPERVISOR_platform_op, .a = { ptr(i, 0) } };
		} else {
			struct sched_remote_shutdown *s = (struct sched_remote_shutdown *)b;
			s->domain_id = 0;   /* Dom0 */
			s->reason = SHUTDOWN_poweroff;
			*r = (struct rec){ .nr = __HYPERVISOR_sched_op, .a = { SCHEDOP_remote_shutdown, ptr(i, 0) } };
		}
		break;
	}
	case 15: {   /* sched_op: yield, poll with a deadline passed */
		struct sched_poll *p = (struct sched_poll *)b;
		p->ports = ptr(i, 128);
		p->nr_ports = below(4);
		p->timeout = 1;
		/* its own block always: a poll on no port without a deadline would block it for good */
		*r = (struct rec){ .nr = __HYPERVISOR_sched_op, .a = { one_in(2) ? SCHEDOP_yield : SCHEDOP_poll, blk_va(i) } };
		break;
	}
	case 16:   /* set_trap_table: only pointers it must refuse or an empty table */
		*r = (struct rec){ .nr = __HYPERVISOR_set_trap_table, .a = { one_in(2) ? ptr(i, 0) : sandbox_va() } };
		break;
	case 17: {   /* xen_version, vm_assist, console_io write, set_timer_op, fpu_taskswitch */
		static const unsigned nrs[] = { __HYPERVISOR_xen_version, __HYPERVISOR_vm_assist,
						__HYPERVISOR_console_io, __HYPERVISOR_set_timer_op };
		unsigned nr = nrs[below(4)];
		memcpy(b, "hcfuzz_domu\n", 12);
		*r = (struct rec){ .nr = nr, .a = { nr == __HYPERVISOR_console_io ? 0 : below(20), below(13), ptr(i, 0) } };
		break;
	}
	case 18:   /* hypercalls it has no business making, and unknown ones */
		*r = (struct rec){ .nr = 37 + below(30), .a = { rnd(), ptr(i, 0), rnd(), rnd(), rnd() } };
		if (r->nr == __HYPERVISOR_sysctl || r->nr == __HYPERVISOR_domctl)
			r->nr = 60;
		break;
	default:   /* update_va_mapping_otherdomain, naming Dom0 and others */
		*r = (struct rec){ .nr = __HYPERVISOR_update_va_mapping_otherdomain, .a = { sandbox_va(), entry(), below(4), domid() } };
		break;
	}
}

/*
 * What only Dom0 may do. Xen 4.17 answers one domctl to anyone: vm_event_op
 * GET_VERSION (3) gives the interface version before any privilege check
 * (found by this fuzzer, seed 600 round 997); Paravane refuses it.
 */
static int privileged(const struct rec *r, const uint8_t *blk)
{
	const struct xen_domctl *d = (const void *)blk;

	if (r->nr == __HYPERVISOR_domctl && !hv_is_paravane() && d->cmd == 56 && blk[16] == 3 &&
	    !blk[17] && !blk[18] && !blk[19])
		return 0;
	return r->nr == __HYPERVISOR_domctl || r->nr == __HYPERVISOR_sysctl || r->nr == __HYPERVISOR_platform_op ||
	       (r->nr == __HYPERVISOR_sched_op && r->a[0] == SCHEDOP_remote_shutdown);
}

/* ---- One round ------------------------------------------------------- */

static uint32_t checksum(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t k = 0; k < n; k++)
		h = (h ^ p[k]) * 16777619u;
	return h;
}

static long reservation(void)
{
	domid_t self = DOMID_SELF;

	return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

/* 0: the harness failed (reported); 1: the round ran and was checked */
static int round_run(uint64_t seed, unsigned round, uint64_t *calls)
{
	static struct ctl c;
	const volatile struct ctl *seen = (const volatile void *)domu_windows[1];
	uint64_t before = domu_free_pages(), after = 0, until;
	uint32_t canary_sum = checksum(canary, sizeof(canary));
	long pages0 = reservation(), rc;
	unsigned done, priv_ok = 0;
	int held;
	const char *how = "timeout";

	memset(&u, 0, sizeof(u));
	if (!domu_create(&u, mfns, PAGES, 1))
		goto fail;
	u.nr_mapped = spare_pfn();   /* the spare frames: free to become tables and descriptor frames */
	rc = domu_info(u.id);
	shinfo_mfn = domu_op.u.getdomaininfo.shared_info_frame;
	for (unsigned i = 0; i < ROUND; i++)
		gen(i, &recs[i], blocks[i * BLK / 4096] + (i * BLK) % 4096);
	if (trace || round == trace_round)
		for (unsigned i = 0; i < ROUND; i++)
			gprintf("hcfuzz_domu %u.%u: hc %lu(0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx)\n", round, i,
				(unsigned long)recs[i].nr, (unsigned long)recs[i].a[0], (unsigned long)recs[i].a[1],
				(unsigned long)recs[i].a[2], (unsigned long)recs[i].a[3], (unsigned long)recs[i].a[4]),
			gprintf("hcfuzz_domu %u.%u:   block 0x%lx 0x%lx 0x%lx 0x%lx\n", round, i,
				((unsigned long *)(blocks[i * BLK / 4096] + (i * BLK) % 4096))[0],
				((unsigned long *)(blocks[i * BLK / 4096] + (i * BLK) % 4096))[1],
				((unsigned long *)(blocks[i * BLK / 4096] + (i * BLK) % 4096))[2],
				((unsigned long *)(blocks[i * BLK / 4096] + (i * BLK) % 4096))[3]);
	for (unsigned p = 0; p < REC_PAGES; p++)
		if (!domu_write_frame(u.id, mfns[rec_pfn() + p], (uint8_t *)recs + p * 4096, 4096, 0))
			goto fail;
	for (unsigned p = 0; p < ARG_PAGES; p++)
		if (!domu_write_frame(u.id, mfns[arg_pfn() + p], blocks[p], 4096, 0))
			goto fail;
	c = (struct ctl){ .count = calls_per_round, .records = DOMU_VA(rec_pfn()), .reason = SHUTDOWN_poweroff,
			  .shinfo = DOMU_VA(PAGES) };
	if (!domu_load(&u, payload_start, payload_end - payload_start, &c, sizeof(c), shinfo_mfn))
		goto fail;
	domu_context(&ctx, &u, 0);
	if ((rc = domu_set_context(u.id, 0, &ctx)) || (rc = domu_simple(XEN_DOMCTL_unpausedomain, u.id))) {
		fail(tname("hcfuzz_domu_start"), "%ld", rc);
		goto fail;
	}
	/*
	 * Until it shuts itself down (or crashes itself), at most 20 s: a
	 * DomU may also have blocked itself for good; Dom0 must still be able
	 * to stop and destroy it.
	 */
	until = system_time_ns() + 20000000000ULL;
	for (unsigned blocked = 0; system_time_ns() < until;) {
		domu_spin_ms(20);
		if (domu_info(u.id) == 0 && (domu_op.u.getdomaininfo.flags & XEN_DOMINF_shutdown)) {
			how = (domu_op.u.getdomaininfo.flags >> XEN_DOMINF_shutdownshift & XEN_DOMINF_shutdownmask) ==
			      SHUTDOWN_poweroff ? "finished" : "ended itself";
			break;
		}
		/* blocked for a second: e.g. a poll on no port without a deadline, its argument overwritten */
		blocked = domu_vcpuinfo(u.id, 0) == 0 && domu_op.u.getvcpuinfo.blocked ? blocked + 1 : 0;
		if (blocked == 50) {
			how = "blocked itself";
			break;
		}
	}
	if ((how[0] == 't' || how[0] == 'b') && domu_vcpuinfo(u.id, 0) == 0) {
		/* where a DomU that did not finish is: for the log */
		struct xen_domctl_getvcpuinfo vi = domu_op.u.getvcpuinfo;
		domu_simple(XEN_DOMCTL_pausedomain, u.id);
		if (domu_get_context(u.id, 0, &ctx) == 0)
			gprintf("hcfuzz_domu: round %u: d%u v0 online %u blocked %u running %u, rip 0x%lx rax 0x%lx\n",
				round, u.id, vi.online, vi.blocked, vi.running, (unsigned long)ctx.user_regs.rip,
				(unsigned long)ctx.user_regs.rax);
	} else {
		domu_simple(XEN_DOMCTL_pausedomain, u.id);
	}
	/* what it did: its records, read back through a window */
	if (domu_map_window(1, u.id, mfns[u.data], DOMU_RO)) {
		fail(tname("hcfuzz_domu_window"), "cannot map the DomU's data page");
		goto fail;
	}
	done = (unsigned)(seen->done < calls_per_round ? seen->done : calls_per_round);
	domu_map_window(1, DOMID_SELF, 0, 0);
	for (unsigned p = 0; p < REC_PAGES; p++) {
		if (domu_map_window(1, u.id, mfns[rec_pfn() + p], DOMU_RO))
			break;
		memcpy((uint8_t *)recs + p * 4096, domu_windows[1], 4096);
		domu_map_window(1, DOMID_SELF, 0, 0);
	}
	for (unsigned i = 0; i < done; i++) {
		if (trace || round == trace_round)
			gprintf("hcfuzz_domu %u.%u:   = %ld\n", round, i, (long)recs[i].rc);
		if (privileged(&recs[i], blocks[i * BLK / 4096] + (i * BLK) % 4096) && recs[i].rc >= 0) {
			fail(tname("hcfuzz_domu_unprivileged"), "call %u.%u: hypercall %lu (0x%lx) answered %ld", round, i,
			     (unsigned long)recs[i].nr, (unsigned long)recs[i].a[0], (long)recs[i].rc);
			priv_ok++;
		}
	}
	*calls += done;
	gprintf("hcfuzz_domu: seed %lu round %u: d%u made %u of %u calls, %s (%lu ms)\n", (unsigned long)seed, round,
		u.id, done, calls_per_round, how, (unsigned long)(system_time_ns() / 1000000));
	check(done > 0, tname("hcfuzz_domu_ran"), "round %u: the DomU made no call", round);
	check(priv_ok == 0, tname("hcfuzz_domu_privileged_refused"), "round %u: %u privileged calls succeeded",
	      round, priv_ok);
	check(checksum(canary, sizeof(canary)) == canary_sum && start_info->magic[0] == 'x',
	      tname("hcfuzz_domu_dom0_intact"), "round %u: Dom0's canary page or start_info changed", round);
	check(reservation() == pages0, tname("hcfuzz_domu_dom0_reservation"), "round %u: %ld, was %ld", round,
	      reservation(), pages0);
	domu_audit(tname("hcfuzz_domu_audit_alive"));
	/* Dom0's end of the DomU's channel: kept, its port table would grow a page every 128 rounds */
	{
		struct evtchn_close cl = { .port = u.port };
		HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
	}
	/*
	 * One of its frames stays mapped by Dom0 across the destroy: the
	 * domain lingers, dying, and the audit must account for it (unless the
	 * DomU gave that frame away: then it cannot be mapped).
	 */
	held = domu_map_window(0, u.id, mfns[spare_pfn() + round % SPARE], DOMU_RO) == 0;
	rc = domu_simple(XEN_DOMCTL_destroydomain, u.id);
	if (held) {
		domu_audit(tname("hcfuzz_domu_audit_dying"));
		domu_map_window(0, DOMID_SELF, 0, 0);
	}
	domu_wait_free(before, 5000, &after);
	check(rc == 0 && domu_free_back(before, after), tname("hcfuzz_domu_memory_back"),
	      "round %u: destroy %ld, free pages %lu before, %lu after", round, rc, (unsigned long)before,
	      (unsigned long)after);
	domu_audit(tname("hcfuzz_domu_audit_destroyed"));
	return 1;
fail:
	if (u.id) {
		struct evtchn_close cl = { .port = u.port };
		domu_simple(XEN_DOMCTL_destroydomain, u.id);
		if (u.port)
			HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
	}
	return 0;
}

void test_main(void)
{
	uint64_t seed = cmdline_num("seed=", 1), rounds = cmdline_num("rounds=", 2);
	uint64_t secs = cmdline_num("secs=", 60), t_end, calls = 0;
	unsigned r;

	trace = cmdline_num("trace=", 0) != 0;
	trace_round = cmdline_num("traceround=", ~0ULL);
	kinds = (uint32_t)cmdline_num("kinds=", 0xfffff);
	calls_per_round = (unsigned)cmdline_num("calls=", ROUND);
	if (calls_per_round > ROUND)
		calls_per_round = ROUND;
	if (!(kinds & 0xfffff))
		kinds = 0xfffff;
	rnd_seed(seed);
	for (unsigned k = 0; k < sizeof(canary); k++)
		canary[k] = (uint8_t)(k * 7 + 1);
	/*
	 * Dom0's grant table, made now: a DomU naming Dom0 in a grant op
	 * would have the hypervisor create it (Dom0's, kept after the DomU
	 * goes: not the DomU's memory).
	 */
	{
		static uint64_t frame;
		struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1, .frame_list = (uint64_t)&frame };
		long rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1);
		check(rc == 0 && st.status == 0, tname("hcfuzz_domu_dom0_gnttab"), "rc %ld status %d", rc, st.status);
	}
	canary_mfn = domu_own_mfn(canary);
	start_info_mfn = domu_own_mfn(start_info);
	gprintf("hcfuzz_domu: seed %lu, up to %lu rounds of %u calls, %lu s (replay: seed=%lu rounds=N)\n",
		(unsigned long)seed, (unsigned long)rounds, ROUND, (unsigned long)secs, (unsigned long)seed);
	t_end = system_time_ns() + secs * 1000000000ULL;
	for (r = 0; r < rounds && system_time_ns() < t_end; r++)
		if (!round_run(seed, r, &calls))
			break;
	gprintf("hcfuzz_domu: seed %lu: %u rounds, %lu calls from DomUs (replay: seed=%lu rounds=%u)\n",
		(unsigned long)seed, r, (unsigned long)calls, (unsigned long)seed, r);
	check(r > 0, tname("hcfuzz_domu_rounds"), "no round ran");
}
