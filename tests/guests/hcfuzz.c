/*
 * hcfuzz - random but structure-aware hypercalls from a seed, then a check
 * that the domain and the hypervisor still work.
 *
 * Command line (the test kernel's own, GUEST_CMDLINE): "seed=S iters=N
 * secs=T": N iterations of the generator seeded with S, or fewer if T
 * seconds of system time run out first (default seed 1, 2000 iterations,
 * 60 s). The seed and the number of iterations done are printed: the same
 * seed with iters= that number replays the same sequence of calls
 * (`make fuzz-guest SEED=S ITERS=N`); "trace=1" prints every call and its
 * result, "tracefrom=K" those from iteration K on.
 *
 * Every argument is chosen to be plausible: frame numbers are the guest's
 * spare frames, its live kernel frames, frames that are not its own and the
 * hypervisor's; pointers go into its own spare memory, unmapped, non-
 * canonical and hypervisor addresses; page-table entries name any of those
 * frames with any flags; grant refs, ports, vCPU ids, IRQs and sub-op
 * numbers are small, just out of range or random. The hypervisor must
 * refuse what would hurt it or another domain. What the guest must not do
 * is hurt itself legitimately, so the generator never writes to its own
 * live page tables, never lets a hypercall write into kernel memory (nor
 * has the hypervisor follow a pointer it reads at a sandbox VA, which may
 * show any frame of ours), never shuts itself down, takes its vCPU 0 down,
 * replaces its callbacks or
 * trap table with valid ones, closes the runtime's event channels, moves
 * its vcpu_info, enables breakpoints, loads a new kernel CR3, or runs a
 * vCPU from a random context (that would be the guest's own crash, not the
 * hypervisor's).
 *
 * The test kernel runs as Dom0 (the test-kernel runner's only place), but
 * confines itself to what a DomU can ask; the privileged hypercalls
 * (domctl, sysctl, platform_op) are never issued, but for the audit
 * sysctl at the end.
 *
 * After the run: the version is unchanged, the reservation equals what the
 * successful increase/decrease/exchange calls say it should be, vCPU 0 is
 * up and running, time advances, a fresh interdomain channel delivers an
 * event, a spare frame can still be pinned and unpinned as an L1 and
 * mapped writable again, and the grant table answers query_size.
 */
#include "guest.h"
#include "domu.h"
#include "xorshift.h"

const char test_name[] = "hcfuzz";
const int test_styles = STYLE_DIRECT;   /* one run per seed */

#define NPOOL 12   /* spare frames: data, page tables, grant and descriptor frames */
#define NSBX  16   /* sandbox VAs: their mappings are fuzzed, never touched */
#define MAX_GAINED 64
#define MAX_PORTS 32
#define MAX_HANDLES 32

static uint8_t pool[NPOOL][4096] __attribute__((aligned(4096)));
static uint8_t sbx[NSBX][4096] __attribute__((aligned(4096)));
static uint8_t gntpage[4096] __attribute__((aligned(4096)));    /* grant frame 0 mapped here */
static uint8_t spare_l1[4096] __attribute__((aligned(4096)));   /* the final pin check */
/* where outputs that vary from run to run go (times, the console): never read as input */
static uint8_t timebuf[4096] __attribute__((aligned(4096)));
static uint8_t argbuf[4][4096] __attribute__((aligned(4096)));   /* hypercall argument blocks */
static struct vcpu_guest_context vctx;

static int pool_rw[NPOOL];
static uint64_t pool_mfn[NPOOL], sbx_mfn[NSBX], gntpage_mfn;
static uint64_t gained[MAX_GAINED];
static unsigned n_gained, total_gained;

static long pages_delta;    /* frames gained minus given back, as the hypervisor said */
static long pages_released; /* given back: a frame something still references counts until freed */
static uint32_t ports[MAX_PORTS], n_ports;
static uint8_t port_protected[64];   /* in use by the runtime before the run */
static uint32_t handles[MAX_HANDLES], n_handles;
static uint64_t handle_addr[MAX_HANDLES], handle_flags[MAX_HANDLES];
static int gnt_mapped, trace, fifo_mode;
static uint64_t iter, n_calls, n_ok;

/* ---- Frames ------------------------------------------------------------ */
static uint64_t *p2m(void) { return (uint64_t *)start_info->mfn_list; }
static uint64_t mfn_of_va(uint64_t va) { return p2m()[(va - VIRT_BASE) >> 12]; }

/*
 * Our frames, from the p2m list the builder gave us (not from the M2P, whose
 * entries for our frames the fuzzer itself may rewrite).
 */
#define OURS_LIMIT (1u << 20)
static uint8_t ours_map[OURS_LIMIT / 8];

static int is_ours(uint64_t mfn)
{
	return mfn < OURS_LIMIT && (ours_map[mfn / 8] >> (mfn % 8) & 1);
}

static int is_spare(uint64_t mfn)
{
	for (unsigned k = 0; k < NPOOL; k++)
		if (pool_mfn[k] == mfn)
			return 1;
	for (unsigned k = 0; k < NSBX; k++)
		if (sbx_mfn[k] == mfn)
			return 1;
	for (unsigned k = 0; k < n_gained; k++)
		if (gained[k] == mfn)
			return 1;
	return mfn == gntpage_mfn;
}

/*
 * Is mfn ours, by the hypervisor's account? MMU_MACHPHYS_UPDATE succeeds
 * only on the caller's own frames: write back the M2P entry it has.
 */
static int owned_probe(uint64_t mfn)
{
	uint64_t v = 0, addr = MACH2PHYS_VIRT_START + mfn * 8;
	struct mmu_update u;

	if (mfn < (1ULL << 28))
		EXPECT_FAULT("movq (%1), %0", : "+r"(v) : "r"(addr));
	u.ptr = (mfn << 12) | MMU_MACHPHYS_UPDATE;
	u.val = v;
	return HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF) == 0;
}

static int ever_ours(uint64_t mfn);
static void note_ours(uint64_t mfn);

/*
 * A call that must fail for a frame not ours succeeded on `mfn`: a bug,
 * unless the frame is ours after all (one the generator lost track of),
 * which the hypervisor's own answer tells.
 */
static void refused_unless_ours(long rc, uint64_t mfn, const char *what)
{
	if (rc != 0)
		return;
	if (owned_probe(mfn)) {
		gprintf("hcfuzz %lu: %s on frame 0x%lx, ours after all\n", (unsigned long)iter, what, (unsigned long)mfn);
		note_ours(mfn);
		return;
	}
	fail("hcfuzz_foreign_frame_refused", "seed iteration %lu: %s accepted frame 0x%lx, not ours",
	     (unsigned long)iter, what, (unsigned long)mfn);
}

/* Frames the guest may give any type and write through the hypervisor. */
static uint64_t spare_frame(void)
{
	unsigned k = below(NPOOL + NSBX + (n_gained ? 4 : 0));

	if (k < NPOOL)
		return pool_mfn[k];
	if (k < NPOOL + NSBX)
		return sbx_mfn[k - NPOOL];
	return gained[below(n_gained)];
}

/* A frame the guest uses (code, data, stack, page tables, p2m, start_info). */
static unsigned kernel_span;
static uint64_t kernel_frame(void)
{
	return p2m()[below(kernel_span)];
}

/* Spare frames that are not gained ones (which may be given back while held). */
static uint64_t pool_or_sbx(void)
{
	unsigned k = below(NPOOL + NSBX);

	return k < NPOOL ? pool_mfn[k] : sbx_mfn[k - NPOOL];
}

/* A frame we got (or learnt is ours): never to be named as another's, even once given back. */
static void note_ours(uint64_t mfn)
{
	if (mfn < OURS_LIMIT)
		ours_map[mfn / 8] |= (uint8_t)(1u << (mfn % 8));
}

static int ever_ours(uint64_t mfn)
{
	return is_ours(mfn) || is_spare(mfn);
}

/*
 * A machine frame that is not ours: another owner's, free, or beyond RAM.
 * Not one we gained and gave back either: something of ours may still
 * hold it, and then it is still ours (as on Xen). Two draws whatever the
 * frame, so that a replay does not depend on which frames we own (the
 * image's size).
 */
static uint64_t foreign_frame(void)
{
	static const uint64_t odd[] = { 0, 1, 0xfee00, 0xfec00, 0x100000, 0xfffffffffULL, ~0ULL >> 12 };
	unsigned pick = below(4);
	uint64_t m = rnd();

	if (pick == 0)
		return odd[m % 7];
	m %= 512 * 256;
	for (unsigned tries = 0; tries < 512 * 256 && ever_ours(m); tries++)
		m = (m + 4099) % (512 * 256);
	return m;
}

/* Any frame the hypervisor may be asked to write or to type. */
static uint64_t target_frame(void)
{
	return one_in(3) ? foreign_frame() : spare_frame();
}

/* Any frame at all, for entries and read-only uses. */
static uint64_t any_frame(void)
{
	switch (below(4)) {
	case 0: return kernel_frame();
	case 1: return foreign_frame();
	default: return spare_frame();
	}
}

static const uint64_t entry_bits[] = {
	PTE_P, PTE_W, PTE_U, PTE_A, PTE_D, 1ULL << 7 /* PS */, 1ULL << 8 /* G */, 1ULL << 63 /* NX */,
	1ULL << 3, 1ULL << 4, 1ULL << 9, 1ULL << 52, 1ULL << 51, 1ULL << 62, PTE_P, PTE_P | PTE_W,
};

static uint64_t flags16(void)
{
	uint64_t f = 0, r = rnd();

	for (unsigned i = 0; i < 16; i++)
		if (r & (1u << i))
			f |= entry_bits[i];
	return f;
}

/* A page-table entry naming any frame, with any flags. */
static uint64_t any_entry(void) { return (any_frame() << 12) | flags16(); }

/*
 * An entry for a mapping the guest's live tables will hold (a sandbox VA):
 * never a writable one of a kernel frame, which hypercall output could then
 * reach through the sandbox.
 */
static uint64_t live_entry(void)
{
	uint64_t m = one_in(4) ? kernel_frame() : target_frame(), f = flags16();

	/* ours but not spare: read-only; not ours: any flags, the hypervisor decides */
	if (is_ours(m) && !is_spare(m))
		f &= ~PTE_W;
	return (m << 12) | f;
}

/* ---- Addresses --------------------------------------------------------- */
static uint64_t bad_va(void)
{
	static const uint64_t bad[] = {
		0, BAD_NONCANON, BAD_NONCANON2, BAD_HYPERVISOR, BAD_M2P, BAD_UNMAPPED,
		0xffff82d080000000ULL, 0xffff800000000000ULL, 0xfffffffffffff000ULL, 0x1000,
	};

	return bad[below(10)] + (one_in(2) ? 0 : (rnd() & 0xfff8));
}

/* Where the hypervisor may write: a spare page (perhaps read-only now), a sandbox VA or a bad address. */
static uint64_t out_ptr(void)
{
	switch (below(3)) {
	case 0: return (uint64_t)pool[below(NPOOL)] + (rnd() & 0x7f8);   /* room for 2 KiB of output */
	case 1: return (uint64_t)sbx[below(NSBX)] + (rnd() & 0x7f8);
	default: return bad_va();
	}
}

/*
 * Where a struct goes that the hypervisor reads and follows pointers in:
 * out_ptr's place (the same draws), but never a sandbox VA, which may map
 * any live frame of ours, kernel pointers and all. Seed 190703: a
 * XENMEM_memory_map struct there named op_vcpu as its buffer, and the
 * hypervisor wrote the map over our code, as it must.
 */
static uint64_t inout_ptr(void)
{
	uint64_t p = out_ptr(), off = p - (uint64_t)sbx;

	return off < sizeof(sbx) ? (uint64_t)pool[off / 4096 % NPOOL] + off % 4096 : p;
}

/*
 * For outputs that change with time (runstate, console): not a spare page,
 * whose contents later calls use (a replay would take another path).
 */
static uint64_t time_ptr(void)
{
	return one_in(2) ? (uint64_t)timebuf + (rnd() & 0x7f8) : bad_va();
}

/* ---- Calls -------------------------------------------------------------- */
static long call(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	long rc;

	if (trace)
		gprintf("hcfuzz %lu: hc %lu(0x%lx, 0x%lx, 0x%lx, 0x%lx)\n", (unsigned long)iter, (unsigned long)nr,
			(unsigned long)a1, (unsigned long)a2, (unsigned long)a3, (unsigned long)a4);
	rc = hypercall_raw(nr, a1, a2, a3, a4, a5);
	n_calls++;
	n_ok += rc >= 0;
	if (trace)
		gprintf("hcfuzz %lu:   = %ld\n", (unsigned long)iter, rc);
	return rc;
}

static uint64_t domid_any(void)
{
	static const uint64_t ids[] = { DOMID_SELF, 0, 1, 7, DOMID_IO, DOMID_XEN, DOMID_INVALID, 0xffff };

	return ids[below(8)];
}

static void op_mmu_update(void)
{
	struct mmu_update *r = (struct mmu_update *)argbuf[0];
	unsigned n = 1 + below(6);

	for (unsigned i = 0; i < n; i++) {
		uint64_t t = target_frame(), idx = one_in(3) ? 256 + below(256) : below(512);
		unsigned cmd = below(4);
		r[i].ptr = (t << 12) | idx * 8 | cmd | (one_in(16) ? 4 : 0);
		if (cmd == MMU_MACHPHYS_UPDATE && is_ours(t) && !one_in(4))
			r[i].ptr = (pool_mfn[below(NPOOL)] << 12) | cmd;   /* only the pool's (restored at the end) */
		r[i].val = cmd == MMU_MACHPHYS_UPDATE ? rnd() % (start_info->nr_pages + 4) : any_entry();
	}
	if (trace)
		for (unsigned i = 0; i < n; i++)
			gprintf("hcfuzz %lu:   mmu_update ptr 0x%lx val 0x%lx\n", (unsigned long)iter, (unsigned long)r[i].ptr,
				(unsigned long)r[i].val);
	call(__HYPERVISOR_mmu_update, (uint64_t)r, n, one_in(2) ? (uint64_t)argbuf[0] + 4088 : 0,
	     one_in(4) ? domid_any() : DOMID_SELF, 0);
}

static void op_mmuext(void)
{
	static const unsigned cmds[] = {
		MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L3_TABLE, MMUEXT_PIN_L4_TABLE,
		MMUEXT_UNPIN_TABLE, MMUEXT_NEW_USER_BASEPTR, MMUEXT_TLB_FLUSH_LOCAL, MMUEXT_INVLPG_LOCAL,
		MMUEXT_TLB_FLUSH_MULTI, MMUEXT_INVLPG_MULTI, MMUEXT_TLB_FLUSH_ALL, MMUEXT_INVLPG_ALL,
		MMUEXT_FLUSH_CACHE, MMUEXT_SET_LDT, MMUEXT_NEW_BASEPTR, MMUEXT_CLEAR_PAGE,
		MMUEXT_COPY_PAGE, MMUEXT_MARK_SUPER, MMUEXT_UNMARK_SUPER, 99,
	};
	struct mmuext_op *o = (struct mmuext_op *)argbuf[1];
	unsigned n = 1 + below(4);

	for (unsigned i = 0; i < n; i++) {
		memset(&o[i], 0, sizeof(o[i]));
		o[i].cmd = cmds[below(20)];
		o[i].arg1.mfn = target_frame();
		switch (o[i].cmd) {
		case MMUEXT_NEW_BASEPTR:
			o[i].arg1.mfn = foreign_frame();   /* refused: our own would switch our kernel CR3 */
			break;
		case MMUEXT_NEW_USER_BASEPTR:
			if (one_in(3))
				o[i].arg1.mfn = 0;
			break;
		case MMUEXT_INVLPG_LOCAL: case MMUEXT_INVLPG_MULTI: case MMUEXT_INVLPG_ALL:
			o[i].arg1.linear_addr = one_in(2) ? (uint64_t)sbx[below(NSBX)] : bad_va();
			break;
		case MMUEXT_SET_LDT:
			o[i].arg1.linear_addr = one_in(2) ? (uint64_t)pool[below(NPOOL)] : bad_va();
			o[i].arg2.nr_ents = one_in(4) ? rnd() & 0xffff : below(1024);
			break;
		case MMUEXT_COPY_PAGE:
			o[i].arg2.src_mfn = any_frame();
			break;
		}
		if (o[i].cmd == MMUEXT_TLB_FLUSH_MULTI || o[i].cmd == MMUEXT_INVLPG_MULTI)
			o[i].arg2.vcpumask = one_in(2) ? (uint64_t)argbuf[1] + 4000 : bad_va();
	}
	if (trace)
		for (unsigned i = 0; i < n; i++)
			gprintf("hcfuzz %lu:   mmuext cmd %u arg1 0x%lx arg2 0x%lx\n", (unsigned long)iter, o[i].cmd,
				(unsigned long)o[i].arg1.mfn, (unsigned long)o[i].arg2.nr_ents);
	call(__HYPERVISOR_mmuext_op, (uint64_t)o, n, one_in(2) ? (uint64_t)argbuf[1] + 4088 : 0,
	     one_in(4) ? domid_any() : DOMID_SELF, 0);
}

static void op_update_va(void)
{
	static const uint64_t fl[] = { UVMF_NONE, UVMF_INVLPG, UVMF_TLB_FLUSH, UVMF_INVLPG | UVMF_ALL,
				       UVMF_TLB_FLUSH | UVMF_ALL, 3 };
	unsigned k = below(NPOOL);
	long rc;

	switch (below(4)) {
	case 0: {   /* a spare page's own mapping: read-only (it can become a table) or writable again */
		int w = one_in(2);
		rc = call(__HYPERVISOR_update_va_mapping, (uint64_t)pool[k],
			  (pool_mfn[k] << 12) | PTE_P | PTE_A | (w ? PTE_W | PTE_D : 0), UVMF_INVLPG, 0, 0);
		if (rc == 0)
			pool_rw[k] = w;   /* nothing else changes this mapping */
		break;
	}
	case 1:
		call(__HYPERVISOR_update_va_mapping, bad_va(), any_entry(), fl[below(6)], 0, 0);
		break;
	default:
		call(__HYPERVISOR_update_va_mapping, (uint64_t)sbx[below(NSBX)], live_entry(),
		     one_in(8) ? (uint64_t)argbuf[2] | UVMF_INVLPG : fl[below(6)], 0, 0);
		break;
	}
	if (one_in(16))
		call(__HYPERVISOR_update_va_mapping_otherdomain, (uint64_t)sbx[0], any_entry(), UVMF_INVLPG,
		     domid_any(), 0);
}

/* Fill a writable spare page with entries (a table to be), or store one entry into a read-only one. */
static void op_fill_pool(void)
{
	unsigned k = below(NPOOL);
	uint64_t *t = (uint64_t *)pool[k];

	if (pool_rw[k]) {
		unsigned n = 1 + below(16);
		for (unsigned i = 0; i < n; i++)
			t[one_in(4) ? 256 + below(256) : below(8)] = one_in(4) ? 0 : any_entry();
		if (one_in(8))
			memset(t, 0, 4096);
		return;
	}
	/* the writable page-table assist: any store form it emulates, or not */
	uint64_t v = any_entry(), *slot = &t[below(512)];
	int before = last_trap.count;
	switch (below(4)) {
	case 0: EXPECT_FAULT("movq %1, (%0)", :: "r"(slot), "r"(v) : "memory"); break;
	case 1: EXPECT_FAULT("lock orq %1, (%0)", :: "r"(slot), "r"(v) : "memory", "cc"); break;
	case 2: EXPECT_FAULT("movl %k1, 4(%0)", :: "r"(slot), "r"(v) : "memory"); break;
	default: EXPECT_FAULT("xchgq %1, (%0)", : "+r"(v) : "r"(slot) : "memory"); break;
	}
	if (trace)
		gprintf("hcfuzz %lu: store into pool %u: %s\n", (unsigned long)iter, k,
			last_trap.count == before ? "emulated" : "faulted");
}

/* The test kernel is Dom0: domain 0 is DOMID_SELF by another name. */
static int is_self(domid_t d) { return d == DOMID_SELF || d == 0; }

static void op_memory(void)
{
	struct xen_memory_reservation *r = (struct xen_memory_reservation *)argbuf[2];
	uint64_t *list = (uint64_t *)(argbuf[2] + 1024), *out = (uint64_t *)(argbuf[2] + 2048);
	unsigned n = 1 + below(4);
	long rc;

	memset(r, 0, sizeof(*r));
	r->extent_start = (uint64_t)list;
	r->nr_extents = n;
	r->domid = one_in(6) ? domid_any() : DOMID_SELF;
	switch (below(6)) {
	case 0:   /* increase: bounded, so the run takes little of the machine */
		if (n_gained + n > MAX_GAINED || total_gained + n > 4 * MAX_GAINED)
			return;
		r->extent_order = 0;
		rc = call(__HYPERVISOR_memory_op, XENMEM_increase_reservation, (uint64_t)r, 0, 0, 0);
		if (rc > 0 && is_self(r->domid))
			for (long i = 0; i < rc && i < (long)n; i++) {
				gained[n_gained++] = list[i];
				note_ours(list[i]);
				pages_delta++;
				total_gained++;
			}
		break;
	case 1: {   /* decrease: frames we gained (taken off the list), or not ours */
		uint8_t was_gained[4];
		for (unsigned i = 0; i < n; i++) {
			was_gained[i] = n_gained && one_in(2);
			list[i] = was_gained[i] ? gained[--n_gained] : foreign_frame();
		}
		rc = call(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, (uint64_t)r, 0, 0, 0);
		if (is_self(r->domid) && rc > 0) {
			pages_delta -= rc;   /* a foreign frame accepted would show in the final check */
			pages_released += rc;
		}
		/* the frames not given back are still ours */
		for (unsigned i = rc > 0 && is_self(r->domid) ? (unsigned)rc : 0; i < n; i++)
			if (was_gained[i])
				gained[n_gained++] = list[i];
		break;
	}
	case 2: {   /* exchange own gained or foreign frames: the reservation does not change */
		struct xen_memory_exchange *x = (struct xen_memory_exchange *)argbuf[3];
		uint8_t was_gained[4];
		for (unsigned i = 0; i < n; i++) {
			was_gained[i] = n_gained && !one_in(4);
			list[i] = was_gained[i] ? gained[--n_gained] : foreign_frame();
		}
		memset(x, 0, sizeof(*x));
		x->in.extent_start = (uint64_t)list;
		x->in.nr_extents = n;
		x->in.domid = DOMID_SELF;
		/* never a bad out list: frames exchanged but not reported would be ours unknowingly */
		x->out.extent_start = (uint64_t)out;
		x->out.nr_extents = n;
		x->out.domid = DOMID_SELF;
		if (one_in(4))
			x->out.extent_order = below(3);
		rc = call(__HYPERVISOR_memory_op, XENMEM_exchange, (uint64_t)x, 0, 0, 0);
		/* the first nr_exchanged went (released: perhaps still held), their replacements came */
		uint64_t done = x->nr_exchanged < n ? x->nr_exchanged : n;
		pages_released += (long)done;
		if (x->out.extent_start == (uint64_t)out) {
			/* out extents (any order) are ours: order 0 ones become spare, all are never "foreign" */
			uint64_t nout = x->out.extent_order ? (done << x->in.extent_order) >> x->out.extent_order : done;
			for (uint64_t i = 0; i < nout && i < n; i++) {
				if (x->out.extent_order == 0)
					gained[n_gained++] = out[i];
				for (uint64_t j = 0; j < (1ULL << x->out.extent_order); j++)
					note_ours(out[i] + j);
			}
		}
		for (unsigned i = (unsigned)done; i < n; i++)
			if (was_gained[i])
				gained[n_gained++] = list[i];
		(void)rc;
		break;
	}
	case 3: {   /* queries and sub-ops with bad pointers */
		static const unsigned cmds[] = { XENMEM_maximum_ram_page, XENMEM_current_reservation,
			XENMEM_maximum_reservation, XENMEM_machphys_mfn_list, XENMEM_memory_map,
			XENMEM_machine_memory_map, XENMEM_machphys_mapping, XENMEM_maximum_gpfn,
			XENMEM_get_vnumainfo, XENMEM_acquire_resource, XENMEM_add_to_physmap,
			XENMEM_remove_from_physmap, XENMEM_claim_pages, 40, 63 };
		unsigned c = cmds[below(15)];
		if (c == XENMEM_current_reservation || c == XENMEM_maximum_reservation ||
		    c == XENMEM_maximum_gpfn) {
			*(uint16_t *)argbuf[3] = (uint16_t)domid_any();
			call(__HYPERVISOR_memory_op, c, one_in(2) ? (uint64_t)argbuf[3] : bad_va(), 0, 0, 0);
		} else {
			for (unsigned i = 0; i < 64; i++)
				((uint64_t *)argbuf[3])[i] = one_in(2) ? rnd() % 64 : rnd();
			call(__HYPERVISOR_memory_op, c, one_in(2) ? (uint64_t)argbuf[3] : inout_ptr(), 0, 0, 0);
		}
		break;
	}
	default:   /* populate_physmap and increase at odd orders, for us (counted) or other domains */
		r->extent_order = below(4);
		if (total_gained + (n << r->extent_order) > 4 * MAX_GAINED && is_self(r->domid))
			r->domid = (domid_t)(1 + below(6));
		/* a bad list for ourselves: frames allocated but not reported, on Xen too (not counted) */
		if (one_in(4) && !is_self(r->domid))
			r->extent_start = bad_va();
		for (unsigned i = 0; i < n; i++)
			list[i] = start_info->nr_pages + 1024 + below(4096);   /* gpfns past ours */
		rc = call(__HYPERVISOR_memory_op, below(2) ? XENMEM_populate_physmap : XENMEM_increase_reservation,
			  (uint64_t)r, 0, 0, 0);
		if (rc > 0 && is_self(r->domid)) {
			/* ours now, but not tracked as spare: never to be named as another's */
			for (long i = 0; i < rc && i < (long)n; i++)
				for (uint64_t j = 0; j < (1ULL << r->extent_order); j++)
					note_ours(list[i] + j);
			pages_delta += rc << r->extent_order;
			total_gained += (unsigned)(rc << r->extent_order);
		}
		break;
	}
}

static void op_grant(void)
{
	uint8_t *a = argbuf[3];
	unsigned count = 1 + below(3);

	memset(a, 0, 1024);
	switch (below(8)) {
	case 0: {
		struct gnttab_setup_table *s = (struct gnttab_setup_table *)a;
		s->dom = one_in(4) ? (domid_t)domid_any() : DOMID_SELF;
		s->nr_frames = one_in(4) ? rnd() & 0xff : 1 + below(4);
		s->frame_list = one_in(4) ? bad_va() : (uint64_t)(a + 512);
		call(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, (uint64_t)s, 1, 0, 0);
		if (s->status == 0 && s->dom == DOMID_SELF && s->frame_list == (uint64_t)(a + 512) && !gnt_mapped) {
			uint64_t f = ((uint64_t *)(a + 512))[0];
			if (call(__HYPERVISOR_update_va_mapping, (uint64_t)gntpage,
				 (f << 12) | PTE_P | PTE_W | PTE_A | PTE_D, UVMF_INVLPG, 0, 0) == 0)
				gnt_mapped = 1;
		}
		break;
	}
	case 1:   /* write grant entries (v1 layout) granting spare or other frames to ourselves */
		if (gnt_mapped) {
			struct grant_entry_v1 *g = (struct grant_entry_v1 *)gntpage;
			for (unsigned i = 0; i < 4; i++) {
				unsigned ref = 1 + below(40);
				g[ref].domid = one_in(6) ? (domid_t)(1 + below(3)) : 0;
				uint64_t f = one_in(4) ? any_frame() : spare_frame();
				uint16_t fl = (uint16_t)(one_in(6) ? rnd() : GTF_permit_access |
							 (one_in(2) ? GTF_readonly : 0));
				/* a kernel frame only read-only: a copy to the ref or a mapping would write it */
				if (is_ours(f) && !is_spare(f))
					fl |= GTF_readonly;
				g[ref].frame = (uint32_t)f;
				__asm__ volatile("" ::: "memory");
				g[ref].flags = fl;
			}
		}
		break;
	case 2: {
		struct gnttab_map_grant_ref *m = (struct gnttab_map_grant_ref *)a;
		if (n_handles + count > MAX_HANDLES)
			return;
		for (unsigned i = 0; i < count; i++) {
			m[i].ref = one_in(8) ? (uint32_t)rnd() : 1 + below(40);
			m[i].dom = one_in(6) ? (domid_t)domid_any() : 0;
			m[i].flags = GNTMAP_host_map | (one_in(2) ? GNTMAP_readonly : 0) |
				     (one_in(8) ? GNTMAP_device_map : 0) | (one_in(8) ? GNTMAP_application_map : 0);
			if (one_in(6)) {
				m[i].flags |= GNTMAP_contains_pte;
				m[i].host_addr = (target_frame() << 12) | below(512) * 8;
			} else {
				m[i].host_addr = one_in(5) ? bad_va() : (uint64_t)sbx[below(NSBX)];
			}
		}
		call(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, (uint64_t)m, count, 0, 0);
		for (unsigned i = 0; i < count; i++)
			if (m[i].status == 0) {
				handle_addr[n_handles] = m[i].host_addr;
				handle_flags[n_handles] = m[i].flags;
				handles[n_handles++] = m[i].handle;
			}
		break;
	}
	case 3: {
		struct gnttab_unmap_grant_ref *u = (struct gnttab_unmap_grant_ref *)a;
		for (unsigned i = 0; i < count; i++) {
			u[i].handle = n_handles && !one_in(4) ? handles[below(n_handles)] : (uint32_t)rnd() % 64;
			u[i].host_addr = one_in(2) ? (uint64_t)sbx[below(NSBX)] : bad_va();
			u[i].dev_bus_addr = one_in(4) ? rnd() : 0;
		}
		call(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, (uint64_t)u, count, 0, 0);
		break;
	}
	case 4: {   /* copy: into spare frames or granted refs only */
		struct gnttab_copy *c = (struct gnttab_copy *)a;
		for (unsigned i = 0; i < count; i++) {
			c[i].flags = below(4);
			c[i].source.domid = one_in(6) ? (domid_t)domid_any() : DOMID_SELF;
			c[i].source.u.gmfn = c[i].flags & GNTCOPY_source_gref ? 1 + below(40) : any_frame();
			c[i].source.offset = (uint16_t)(one_in(4) ? rnd() : below(64) * 8);
			c[i].dest.domid = one_in(6) ? (domid_t)domid_any() : DOMID_SELF;
			c[i].dest.u.gmfn = c[i].flags & GNTCOPY_dest_gref ? 1 + below(40) : target_frame();
			c[i].dest.offset = (uint16_t)(one_in(4) ? rnd() : below(64) * 8);
			c[i].len = (uint16_t)(one_in(4) ? rnd() : below(512));
		}
		call(__HYPERVISOR_grant_table_op, GNTTABOP_copy, (uint64_t)c, count, 0, 0);
		break;
	}
	case 5: {
		static const unsigned cmds[] = { GNTTABOP_query_size, GNTTABOP_get_version, GNTTABOP_dump_table,
						 GNTTABOP_get_status_frames, GNTTABOP_cache_flush,
						 GNTTABOP_unmap_and_replace, GNTTABOP_swap_grant_ref, 13, 99 };
		for (unsigned i = 0; i < 128; i++)
			((uint32_t *)a)[i] = one_in(2) ? below(64) : (uint32_t)rnd();
		((uint16_t *)a)[0] = (uint16_t)domid_any();
		call(__HYPERVISOR_grant_table_op, cmds[below(9)], one_in(4) ? bad_va() : (uint64_t)a, count, 0, 0);
		break;
	}
	case 6: {
		struct gnttab_set_version *v = (struct gnttab_set_version *)a;
		v->version = one_in(4) ? (uint32_t)rnd() : 1 + below(2);
		call(__HYPERVISOR_grant_table_op, GNTTABOP_set_version, (uint64_t)v, 1, 0, 0);
		break;
	}
	default: {   /* transfer: only foreign frames or to domains that cannot take them */
		struct gnttab_transfer *t = (struct gnttab_transfer *)a;
		t->mfn = foreign_frame();
		t->domid = (domid_t)(1 + below(5));
		t->ref = below(40);
		call(__HYPERVISOR_grant_table_op, GNTTABOP_transfer, (uint64_t)t, 1, 0, 0);
		break;
	}
	}
}

static int port_ok_to_touch(uint32_t p) { return p >= 64 || !port_protected[p]; }

static uint32_t some_port(void)
{
	uint32_t p;

	if (n_ports && !one_in(4))
		return ports[below(n_ports)];
	p = one_in(4) ? (uint32_t)rnd() : below(128);
	return port_ok_to_touch(p) ? p : 4095;
}

static void track_port(long rc, uint32_t p)
{
	if (rc == 0 && n_ports < MAX_PORTS)
		ports[n_ports++] = p;
}

static void op_evtchn(void)
{
	uint32_t *a = (uint32_t *)argbuf[0];
	long rc;

	memset(a, 0, 64);
	switch (below(10)) {
	case 0: {
		struct evtchn_alloc_unbound *u = (struct evtchn_alloc_unbound *)a;
		if (n_ports >= MAX_PORTS)
			return;
		u->dom = one_in(6) ? (domid_t)domid_any() : DOMID_SELF;
		u->remote_dom = one_in(3) ? (domid_t)domid_any() : DOMID_SELF;
		rc = call(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, (uint64_t)u, 0, 0, 0);
		if (u->dom == DOMID_SELF)
			track_port(rc, u->port);
		break;
	}
	case 1: {
		struct evtchn_bind_interdomain *b = (struct evtchn_bind_interdomain *)a;
		if (n_ports >= MAX_PORTS)
			return;
		b->remote_dom = one_in(4) ? (domid_t)domid_any() : DOMID_SELF;
		b->remote_port = some_port();
		rc = call(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain, (uint64_t)b, 0, 0, 0);
		track_port(rc, b->local_port);
		break;
	}
	case 2: {
		struct evtchn_bind_virq *b = (struct evtchn_bind_virq *)a;
		if (n_ports >= MAX_PORTS)
			return;
		b->virq = one_in(4) ? (uint32_t)rnd() : below(26);
		b->vcpu = one_in(4) ? (uint32_t)rnd() : below(3);
		rc = call(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, (uint64_t)b, 0, 0, 0);
		track_port(rc, b->port);
		break;
	}
	case 3: {
		struct evtchn_bind_ipi *b = (struct evtchn_bind_ipi *)a;
		if (n_ports >= MAX_PORTS)
			return;
		b->vcpu = one_in(4) ? (uint32_t)rnd() : below(3);
		rc = call(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi, (uint64_t)b, 0, 0, 0);
		track_port(rc, b->port);
		break;
	}
	case 4: {   /* close one of ours (and forget it), or one that is not in use */
		struct evtchn_close *c = (struct evtchn_close *)a;
		if (n_ports && !one_in(4)) {
			unsigned k = below(n_ports);
			c->port = ports[k];
			ports[k] = ports[--n_ports];
		} else {
			c->port = some_port();
		}
		call(__HYPERVISOR_event_channel_op, EVTCHNOP_close, (uint64_t)c, 0, 0, 0);
		break;
	}
	case 5:
		a[0] = some_port();
		call(__HYPERVISOR_event_channel_op, one_in(2) ? EVTCHNOP_send : EVTCHNOP_unmask, (uint64_t)a, 0, 0, 0);
		break;
	case 6: {
		struct evtchn_status *s = (struct evtchn_status *)a;
		s->dom = one_in(4) ? (domid_t)domid_any() : DOMID_SELF;
		s->port = one_in(2) ? below(128) : (uint32_t)rnd();
		call(__HYPERVISOR_event_channel_op, EVTCHNOP_status, one_in(8) ? bad_va() : (uint64_t)s, 0, 0, 0);
		break;
	}
	case 7:
		a[0] = some_port();
		a[1] = one_in(4) ? (uint32_t)rnd() : below(3);
		call(__HYPERVISOR_event_channel_op, one_in(2) ? EVTCHNOP_bind_vcpu : EVTCHNOP_set_priority,
		     (uint64_t)a, 0, 0, 0);
		break;
	case 8: {   /* FIFO setup on frames that are not ours, resets of other domains, unknown ops */
		struct evtchn_init_control *ic = (struct evtchn_init_control *)a;
		switch (below(4)) {
		case 0:
			ic->control_gfn = foreign_frame();
			ic->offset = below(4096);
			ic->vcpu = below(3);
			rc = call(__HYPERVISOR_event_channel_op, EVTCHNOP_init_control, (uint64_t)ic, 0, 0, 0);
			refused_unless_ours(rc, ic->control_gfn, "init_control");
			if (rc == 0)
				fifo_mode = 1;   /* the 2-level pending bits are no longer used */
			break;
		case 1:
			((uint64_t *)a)[0] = foreign_frame();
			call(__HYPERVISOR_event_channel_op, EVTCHNOP_expand_array, (uint64_t)a, 0, 0, 0);
			break;
		case 2:
			*(uint16_t *)a = (uint16_t)(1 + below(8));
			call(__HYPERVISOR_event_channel_op, below(2) ? EVTCHNOP_reset : EVTCHNOP_reset_cont,
			     (uint64_t)a, 0, 0, 0);
			break;
		default:
			call(__HYPERVISOR_event_channel_op, 15 + below(40), out_ptr(), 0, 0, 0);
			break;
		}
		break;
	}
	default: {   /* bind_pirq of interrupts we do not own */
		struct evtchn_bind_pirq *b = (struct evtchn_bind_pirq *)a;
		b->pirq = one_in(2) ? 200 + below(800) : (uint32_t)rnd();
		b->flags = below(2);
		rc = call(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_pirq, (uint64_t)b, 0, 0, 0);
		track_port(rc, b->port);
		break;
	}
	}
}

static void op_vcpu(void)
{
	uint64_t *a = (uint64_t *)argbuf[1];
	unsigned id = one_in(3) ? 1 : one_in(2) ? 0 : (one_in(2) ? 2 + below(8) : (unsigned)rnd());

	switch (below(9)) {
	case 0: {   /* a random context for vCPU 1, which is never brought up afterwards */
		struct vcpu_guest_context *c = &vctx;
		memset(c, 0, sizeof(*c));
		c->flags = one_in(2) ? (1 << 1) /* in_kernel */ : rnd();
		c->user_regs.rip = one_in(2) ? (uint64_t)op_vcpu : bad_va();
		c->user_regs.rsp = out_ptr();
		c->user_regs.cs = one_in(2) ? FLAT_KERNEL_CS : rnd() & 0xffff;
		c->user_regs.ss = one_in(2) ? FLAT_KERNEL_SS : rnd() & 0xffff;
		c->user_regs.rflags = one_in(2) ? 0x200 : rnd();
		c->ctrlreg[3] = (one_in(4) ? mfn_of_va(start_info->pt_base) : one_in(2) ? pool_or_sbx()
			: one_in(2) ? kernel_frame() : foreign_frame()) << 12;
		if (one_in(4))
			c->ctrlreg[3] = rnd();
		c->ctrlreg[1] = one_in(2) ? 0 : pool_or_sbx() << 12;
		c->gdt_ents = one_in(2) ? 0 : one_in(4) ? rnd() & 0xffff : below(600);
		for (unsigned i = 0; i < 16; i++)
			c->gdt_frames[i] = one_in(3) ? pool_or_sbx() : one_in(2) ? kernel_frame() : foreign_frame();
		c->ldt_base = one_in(2) ? 0 : out_ptr();
		c->ldt_ents = one_in(2) ? 0 : rnd() & 0xffff;
		for (unsigned i = 0; i < 8; i++) {
			struct trap_info *t = &c->trap_ctxt[below(256)];
			t->vector = (uint8_t)rnd();
			t->flags = (uint8_t)rnd();
			t->cs = one_in(2) ? FLAT_KERNEL_CS : (uint16_t)rnd();
			t->address = one_in(2) ? (uint64_t)op_vcpu : bad_va();
		}
		c->kernel_ss = one_in(2) ? FLAT_KERNEL_SS : rnd() & 0xffff;
		c->kernel_sp = out_ptr();
		c->event_callback_eip = one_in(2) ? (uint64_t)op_vcpu : bad_va();
		c->failsafe_callback_eip = one_in(2) ? (uint64_t)op_vcpu : bad_va();
		c->syscall_callback_eip = one_in(2) ? (uint64_t)op_vcpu : bad_va();
		c->vm_assist = one_in(2) ? 0 : rnd();
		c->fs_base = one_in(2) ? 0 : rnd();
		c->gs_base_kernel = one_in(2) ? 0 : rnd();
		c->gs_base_user = one_in(2) ? 0 : rnd();
		for (unsigned i = 0; i < 8; i++)
			c->debugreg[i] = one_in(2) ? 0 : rnd() & ~0xffULL;   /* never an enabled breakpoint */
		if (id == 0)
			id = 1;
		call(__HYPERVISOR_vcpu_op, VCPUOP_initialise, id, one_in(8) ? bad_va() : (uint64_t)c, 0, 0);
		break;
	}
	case 1:   /* up: never vCPU 1, which could start a random context (only refused cases) */
		if (id == 1)
			id = 2 + below(8);
		call(__HYPERVISOR_vcpu_op, VCPUOP_up, id, 0, 0, 0);
		break;
	case 2:   /* down: never vCPU 0, which runs this */
		call(__HYPERVISOR_vcpu_op, one_in(2) ? VCPUOP_is_up : VCPUOP_down, id ? id : 1, 0, 0, 0);
		break;
	case 3:
		call(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, id, time_ptr(), 0, 0);
		break;
	case 4:
		a[0] = time_ptr();
		call(__HYPERVISOR_vcpu_op, one_in(2) ? VCPUOP_register_runstate_memory_area
						 : VCPUOP_register_vcpu_time_memory_area,
		     id, one_in(8) ? bad_va() : (uint64_t)a, 0, 0);
		break;
	case 5:
		a[0] = one_in(2) ? 1000000 + rnd() % 100000000 : rnd();
		call(__HYPERVISOR_vcpu_op, one_in(3) ? VCPUOP_stop_periodic_timer : VCPUOP_set_periodic_timer, id,
		     one_in(8) ? bad_va() : (uint64_t)a, 0, 0);
		break;
	case 6:
		a[0] = one_in(2) ? system_time_ns() + rnd() % 50000000 : rnd();
		a[1] = below(4);
		call(__HYPERVISOR_vcpu_op, one_in(3) ? VCPUOP_stop_singleshot_timer : VCPUOP_set_singleshot_timer,
		     id, one_in(8) ? bad_va() : (uint64_t)a, 0, 0);
		break;
	case 7: {   /* vcpu_info: only where it must be refused (not our frame, or past the page) */
		struct vcpu_register_vcpu_info *r = (struct vcpu_register_vcpu_info *)a;
		if (one_in(2)) {
			r->mfn = foreign_frame();
			r->offset = below(4096);
			/*
			 * Never vCPU 0's on a frame that may be ours after all (one the
			 * generator lost track of): it would move, as on Xen, while this
			 * kernel keeps masking events and reading cr2 in shared_info:
			 * seed 190701 ended, millions of calls later, in an upcall with
			 * no handler (one vCPU) or a jump into the middle of an
			 * instruction (two). Refused by the offset; the same draws.
			 */
			if (id == 0)
				r->offset = 4096;
		} else {
			r->mfn = pool_mfn[below(NPOOL)];
			r->offset = 4096 - 63 + below(4096);   /* crosses the page */
		}
		r->rsvd = 0;
		long rc = call(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, id, (uint64_t)r, 0, 0);
		if (rc == 0 && r->offset > 4096 - 64)
			fail("hcfuzz_vcpu_info_refused", "seed iteration %lu: vcpu_info at mfn 0x%lx offset %u accepted",
			     (unsigned long)iter, (unsigned long)r->mfn, r->offset);
		refused_unless_ours(rc, r->mfn, "register_vcpu_info");
		break;
	}
	default:   /* (send_nmi never to vCPU 0: an NMI to ourselves is ours to handle, on Xen) */
		call(__HYPERVISOR_vcpu_op, one_in(2) ? VCPUOP_send_nmi + below(4) : 14 + below(100), id ? id : 1,
		     inout_ptr(), 0, 0);
		break;
	}
}

static void op_physdev(void)
{
	uint32_t *a = (uint32_t *)argbuf[2];
	static const unsigned cmds[] = { PHYSDEVOP_irq_status_query, PHYSDEVOP_eoi, PHYSDEVOP_get_free_pirq,
					 PHYSDEVOP_apic_read, PHYSDEVOP_alloc_irq_vector, PHYSDEVOP_free_irq_vector,
					 PHYSDEVOP_IRQ_UNMASK_NOTIFY, 18, 22, 32, 99 };

	for (unsigned i = 0; i < 16; i++)
		a[i] = one_in(2) ? below(300) : (uint32_t)rnd();
	switch (below(6)) {
	case 0:
		a[0] = one_in(4) ? (uint32_t)rnd() : below(4);
		call(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, one_in(8) ? bad_va() : (uint64_t)a, 0, 0, 0);
		break;
	case 1: {
		struct physdev_set_iobitmap *b = (struct physdev_set_iobitmap *)a;
		b->bitmap = one_in(2) ? (uint64_t)pool[below(NPOOL)] : bad_va();
		b->nr_ports = one_in(4) ? (uint32_t)rnd() : below(65537);
		call(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iobitmap, (uint64_t)b, 0, 0, 0);
		break;
	}
	case 2: {   /* pirq EOI pages: frames that are not ours must be refused */
		struct physdev_pirq_eoi_gmfn *g = (struct physdev_pirq_eoi_gmfn *)a;
		g->gmfn = foreign_frame();
		refused_unless_ours(call(__HYPERVISOR_physdev_op, one_in(2) ? PHYSDEVOP_pirq_eoi_gmfn_v1
								   : PHYSDEVOP_pirq_eoi_gmfn_v2, (uint64_t)g, 0, 0, 0),
				    g->gmfn, "pirq_eoi_gmfn");
		break;
	}
	case 3: {   /* map/unmap for domains that do not exist */
		struct physdev_map_pirq *m = (struct physdev_map_pirq *)a;
		m->domid = (domid_t)(1 + below(8));
		call(__HYPERVISOR_physdev_op, one_in(2) ? PHYSDEVOP_map_pirq : PHYSDEVOP_unmap_pirq, (uint64_t)m, 0,
		     0, 0);
		break;
	}
	default:
		call(__HYPERVISOR_physdev_op, cmds[below(11)], one_in(6) ? bad_va() : (uint64_t)a, 0, 0, 0);
		break;
	}
}

static void op_misc(void)
{
	uint8_t *a = argbuf[3];

	switch (below(10)) {
	case 0:
		call(__HYPERVISOR_xen_version, one_in(8) ? rnd() : below(14), out_ptr(), 0, 0, 0);
		break;
	case 1: {   /* yield, a short poll of any ports, unknown sub-ops */
		struct sched_poll *p = (struct sched_poll *)a;
		uint32_t *pp = (uint32_t *)(a + 64);
		switch (below(3)) {
		case 0:
			call(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
			break;
		case 1:
			for (unsigned i = 0; i < 4; i++)
				pp[i] = one_in(2) ? some_port() : (uint32_t)rnd();
			p->ports = one_in(6) ? bad_va() : (uint64_t)pp;
			p->nr_ports = one_in(6) ? (uint32_t)rnd() : below(5);
			p->timeout = system_time_ns() + rnd() % 2000000;
			call(__HYPERVISOR_sched_op, SCHEDOP_poll, (uint64_t)p, 0, 0, 0);
			break;
		default:
			call(__HYPERVISOR_sched_op, 8 + below(100), out_ptr(), 0, 0, 0);
			break;
		}
		break;
	}
	case 2:
		if (one_in(2))   /* the console ring can hold more than the room behind out_ptr: a few bytes */
			call(__HYPERVISOR_console_io, CONSOLEIO_read, below(8), time_ptr(), 0, 0);
		else
			call(__HYPERVISOR_console_io, one_in(2) ? CONSOLEIO_read : 2 + below(10), rnd(), bad_va(), 0, 0);
		break;
	case 3:
		call(__HYPERVISOR_console_io, CONSOLEIO_write, one_in(2) ? rnd() : 0, bad_va(), 0, 0);
		break;
	case 4:
		call(__HYPERVISOR_vm_assist, below(3), one_in(4) ? rnd() : below(40), 0, 0, 0);
		break;
	case 5:   /* segment bases: FS and the user GS (never the kernel's GS) */
		call(__HYPERVISOR_set_segment_base, one_in(6) ? 4 + below(60) : (below(2) ? 0 : one_in(2) ? 1 : 3),
		     one_in(2) ? rnd() : rnd() & 0xffff, 0, 0, 0);
		break;
	case 6:   /* debug registers: any value but an enabled breakpoint */
		if (one_in(2)) {
			unsigned reg = below(9);   /* 4 and 5 may alias 6 and 7 */
			call(__HYPERVISOR_set_debugreg, reg, reg == 7 || reg == 5 ? rnd() & ~0xffULL : rnd(), 0, 0, 0);
		}
		else
			call(__HYPERVISOR_get_debugreg, one_in(4) ? rnd() : below(9), 0, 0, 0, 0);
		break;
	case 7:
		call(__HYPERVISOR_set_timer_op, one_in(2) ? system_time_ns() + rnd() % 10000000 : rnd(), 0, 0, 0, 0);
		break;
	case 8:   /* GDT and descriptors in spare (or any) frames */
		if (one_in(2)) {
			uint64_t *list = (uint64_t *)a;
			for (unsigned i = 0; i < 16; i++)
				list[i] = target_frame();
			call(__HYPERVISOR_set_gdt, one_in(6) ? bad_va() : (uint64_t)list,
			     one_in(4) ? rnd() & 0xffff : below(1024), 0, 0, 0);
		} else {
			static const uint64_t kinds[] = { 0x00af9b000000ffffULL, 0x00cf93000000ffffULL,
							  0x0000890000000067ULL, 0x00008c0000000000ULL,
							  0x00cff3000000ffffULL, 0 };
			call(__HYPERVISOR_update_descriptor, (target_frame() << 12) | below(512) * 8 | (one_in(8) ? 4 : 0),
			     one_in(4) ? rnd() : kinds[below(6)], 0, 0, 0);
		}
		break;
	default:   /* bad pointers to the calls that replace callbacks and traps (refused, nothing changes) */
		switch (below(5)) {
		case 0: call(__HYPERVISOR_set_trap_table, bad_va() | 1, 0, 0, 0, 0); break;
		case 1: call(__HYPERVISOR_callback_op, one_in(2) ? 0 : 1 + below(10), bad_va() | 1, 0, 0, 0); break;
		case 2: call(__HYPERVISOR_multicall, bad_va() | 1, one_in(2) ? 1 : rnd(), 0, 0, 0); break;
		case 3: call(__HYPERVISOR_fpu_taskswitch, below(2), 0, 0, 0, 0); break;
		default: call(43 + below(5), rnd(), rnd(), rnd(), rnd(), rnd()); break;   /* unknown numbers */
		}
		break;
	}
}

/* A multicall of page-table updates, version queries and unknown numbers. */
static void op_multicall(void)
{
	struct multicall_entry *m = (struct multicall_entry *)(argbuf[0] + 512);   /* past op_mmu_update's batch */
	struct mmu_update *r = (struct mmu_update *)argbuf[2] + 200;
	unsigned n = 1 + below(6);

	for (unsigned i = 0; i < n; i++) {
		memset(&m[i], 0, sizeof(m[i]));
		switch (below(4)) {
		case 0:
			r[i].ptr = (target_frame() << 12) | below(512) * 8;
			r[i].val = any_entry();
			m[i].op = __HYPERVISOR_mmu_update;
			m[i].args[0] = (uint64_t)&r[i];
			m[i].args[1] = 1;
			m[i].args[3] = DOMID_SELF;
			break;
		case 1:
			m[i].op = __HYPERVISOR_update_va_mapping;
			m[i].args[0] = (uint64_t)sbx[below(NSBX)];
			m[i].args[1] = live_entry();
			m[i].args[2] = UVMF_INVLPG;
			break;
		case 2:
			m[i].op = __HYPERVISOR_xen_version;
			m[i].args[0] = below(14);
			m[i].args[1] = out_ptr();
			break;
		default:
			m[i].op = one_in(2) ? __HYPERVISOR_multicall : 43 + below(20);
			m[i].args[0] = bad_va();
			break;
		}
	}
	call(__HYPERVISOR_multicall, (uint64_t)m, n, 0, 0, 0);
}

/* ---- Driver ------------------------------------------------------------- */
static void setup(void)
{
	for (unsigned k = 0; k < NPOOL; k++) {
		pool_mfn[k] = mfn_of_va((uint64_t)pool[k]);
		pool[k][0] = 0;   /* faulted in: the frames are the builder's */
		pool_rw[k] = 1;
	}
	for (unsigned k = 0; k < NSBX; k++)
		sbx_mfn[k] = mfn_of_va((uint64_t)sbx[k]);
	/* the image, then the builder's page tables, start_info and p2m behind it */
	kernel_span = (unsigned)((start_info->pt_base - VIRT_BASE) >> 12) + (unsigned)start_info->nr_pt_frames + 8;
	if (kernel_span > start_info->nr_pages)
		kernel_span = (unsigned)start_info->nr_pages;
	gntpage_mfn = mfn_of_va((uint64_t)gntpage);
	for (uint64_t pfn = 0; pfn < start_info->nr_pages; pfn++)
		if (p2m()[pfn] < OURS_LIMIT)
			ours_map[p2m()[pfn] / 8] |= (uint8_t)(1u << (p2m()[pfn] % 8));
		else
			panic("frame 0x%lx of pfn %lu is past the map of our frames", (unsigned long)p2m()[pfn],
			      (unsigned long)pfn);
	for (uint32_t p = 1; p < 64; p++) {
		struct evtchn_status s = { .dom = DOMID_SELF, .port = p };
		if (HYPERVISOR_event_channel_op(EVTCHNOP_status, &s) == 0 && s.status != EVTCHNSTAT_closed)
			port_protected[p] = 1;
	}
	/* events stay masked: pending ones are only looked at, never delivered */
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
}

static long reservation(void)
{
	domid_t self = DOMID_SELF;

	return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

/* Undo what would outlive the test: timers, LDT, I/O bitmap, grant mappings, ports. */
static void cleanup(void)
{
	struct mmuext_op o = { .cmd = MMUEXT_SET_LDT };
	struct physdev_set_iobitmap b = { 0 };
	uint64_t zero = 0;

	HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
	HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
	HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &zero);
	HYPERVISOR_set_timer_op(0);
	HYPERVISOR_mmuext_op(&o, 1, NULL, DOMID_SELF);
	HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap, &b);
	HYPERVISOR_fpu_taskswitch(0);
	for (unsigned i = 0; i < n_handles; i++) {
		struct gnttab_unmap_grant_ref u = { .handle = handles[i], .host_addr = handle_addr[i] };
		HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
	}
	/* drop what may still hold released frames: sandbox mappings, the GDT, pins (tables in tables: a few rounds) */
	for (unsigned k = 0; k < NSBX; k++)
		HYPERVISOR_update_va_mapping((uint64_t)sbx[k], 0, UVMF_INVLPG);
	HC2(__HYPERVISOR_set_gdt, 0, 0);
	o.cmd = MMUEXT_NEW_USER_BASEPTR;
	o.arg1.mfn = 0;
	HYPERVISOR_mmuext_op(&o, 1, NULL, DOMID_SELF);
	for (unsigned round = 0; round < 4; round++) {
		o.cmd = MMUEXT_UNPIN_TABLE;
		for (unsigned k = 0; k < NPOOL + NSBX + n_gained; k++) {
			o.arg1.mfn = k < NPOOL ? pool_mfn[k] : k < NPOOL + NSBX ? sbx_mfn[k - NPOOL] : gained[k - NPOOL - NSBX];
			HYPERVISOR_mmuext_op(&o, 1, NULL, DOMID_SELF);
		}
		for (unsigned k = 0; k < NPOOL; k++)
			if (pool_rw[k])
				memset(pool[k], 0, 4096);
	}
	for (unsigned i = 0; i < n_ports; i++) {
		struct evtchn_close c = { .port = ports[i] };
		HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
	}
	for (unsigned k = 0; k < NPOOL; k++) {
		struct mmu_update u = { .ptr = (pool_mfn[k] << 12) | MMU_MACHPHYS_UPDATE,
					.val = ((uint64_t)pool[k] - VIRT_BASE) >> 12 };
		HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
	}
}

static void sanity(long version, long pages0)
{
	struct vcpu_runstate_info rs;
	uint64_t t0, spare = mfn_of_va((uint64_t)spare_l1);
	long rc;

	EXPECT("hcfuzz_version_unchanged", HYPERVISOR_xen_version(XENVER_version, NULL), version);
	/* frames given back while something held them count until freed: at most pages_released more */
	rc = reservation();
	check(rc >= pages0 + pages_delta && rc <= pages0 + pages_delta + pages_released,
	      tname("hcfuzz_reservation_accounted"), "reservation %ld, want %ld (+ up to %ld released)", rc,
	      pages0 + pages_delta, pages_released);
	EXPECT("hcfuzz_vcpu0_up", HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL), 1);
	rc = HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &rs);
	check(rc == 0 && rs.state == RUNSTATE_running, tname("hcfuzz_runstate"), "rc %ld state %d", rc, rs.state);

	t0 = system_time_ns();
	for (int i = 0; i < 1000 && system_time_ns() == t0; i++)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	check(system_time_ns() > t0, tname("hcfuzz_time_advances"), "system time stuck at %lu", (unsigned long)t0);

	/* an interdomain channel to ourselves delivers */
	struct evtchn_alloc_unbound u = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &u);
	EXPECT("hcfuzz_evtchn_alloc", rc, 0);
	struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF, .remote_port = u.port };
	EXPECT("hcfuzz_evtchn_bind", HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi), 0);
	__atomic_and_fetch(&shared_info->evtchn_pending[u.port / 64], ~(1ULL << (u.port % 64)), __ATOMIC_SEQ_CST);
	struct evtchn_send snd = { .port = bi.local_port };
	EXPECT("hcfuzz_evtchn_send", HYPERVISOR_event_channel_op(EVTCHNOP_send, &snd), 0);
	if (!fifo_mode)   /* a FIFO control block the generator set up on a frame of its own */
		check(shared_info->evtchn_pending[u.port / 64] >> (u.port % 64) & 1, tname("hcfuzz_evtchn_delivered"),
		      "port %u not pending", u.port);
	struct evtchn_close c1 = { .port = u.port }, c2 = { .port = bi.local_port };
	EXPECT("hcfuzz_evtchn_close", HYPERVISOR_event_channel_op(EVTCHNOP_close, &c1), 0);
	EXPECT("hcfuzz_evtchn_close_peer", HYPERVISOR_event_channel_op(EVTCHNOP_close, &c2), 0);

	/* page tables still work: a fresh L1 pins and unpins, and is writable again after */
	memset(spare_l1, 0, sizeof(spare_l1));
	EXPECT("hcfuzz_l1_ro", HYPERVISOR_update_va_mapping((uint64_t)spare_l1, (spare << 12) | PTE_P | PTE_A,
							   UVMF_INVLPG), 0);
	struct mmuext_op pin = { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = spare };
	EXPECT("hcfuzz_l1_pin", HYPERVISOR_mmuext_op(&pin, 1, NULL, DOMID_SELF), 0);
	pin.cmd = MMUEXT_UNPIN_TABLE;
	EXPECT("hcfuzz_l1_unpin", HYPERVISOR_mmuext_op(&pin, 1, NULL, DOMID_SELF), 0);
	EXPECT("hcfuzz_l1_rw", HYPERVISOR_update_va_mapping((uint64_t)spare_l1,
							   (spare << 12) | PTE_P | PTE_W | PTE_A | PTE_D, UVMF_INVLPG), 0);
	spare_l1[100] = 0x5a;
	check(spare_l1[100] == 0x5a, tname("hcfuzz_l1_write"), "write lost");

	struct gnttab_query_size q = { .dom = DOMID_SELF };
	rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);
	check(rc == 0 && q.status == 0 && q.max_nr_frames > 0, tname("hcfuzz_gnttab_query"), "rc %ld status %d",
	      rc, q.status);
}

void test_main(void)
{
	uint64_t seed = cmdline_num("seed=", 1), iters = cmdline_num("iters=", 2000);
	uint64_t secs = cmdline_num("secs=", 60), t_end;
	long version = HYPERVISOR_xen_version(XENVER_version, NULL), pages0 = reservation();
	static void (*const ops[])(void) = {
		op_mmu_update, op_mmu_update, op_mmuext, op_mmuext, op_update_va, op_update_va, op_fill_pool,
		op_memory, op_grant, op_grant, op_evtchn, op_vcpu, op_physdev, op_misc, op_misc, op_multicall,
	};

	trace = cmdline_num("trace=", 0) != 0;
	uint64_t trace_from = cmdline_num("tracefrom=", ~0ULL);
	rnd_seed(seed);
	setup();
	gprintf("hcfuzz: seed %lu, up to %lu iterations, %lu s (replay: seed=%lu iters=N)\n", (unsigned long)seed,
		(unsigned long)iters, (unsigned long)secs, (unsigned long)seed);
	t_end = system_time_ns() + secs * 1000000000ULL;
	for (iter = 0; iter < iters; iter++) {
		if ((iter & 63) == 0 && system_time_ns() > t_end)
			break;
		if (iter % 1000 == 0 && iter)
			gprintf("hcfuzz: %lu iterations\n", (unsigned long)iter);
		if (iter == trace_from)
			trace = 1;
		ops[below(16)]();
	}
	gprintf("hcfuzz: seed %lu: %lu iterations done, %lu hypercalls, %lu succeeded (replay: seed=%lu iters=%lu)\n",
		(unsigned long)seed, (unsigned long)iter, (unsigned long)n_calls, (unsigned long)n_ok, (unsigned long)seed,
		(unsigned long)iter);
	cleanup();
	sanity(version, pages0);
	domu_audit(tname("hcfuzz_audit"));
}
