/*
 * The memory hypercalls of a model guest, decoded from the fuzzer's bytes
 * (hv_fuzz.h): every harness can build page tables and move frames with
 * them. fz_cur makes the call; the continuation, if any, is left pending.
 */
#include "hv_fuzz.h"
#include <string.h>
#include <public/errno.h>
#include <public/memory.h>
#include "mm.h"

/*
 * The page owner of a batch: DOMID_SELF, except that a privileged caller
 * (the toolstack's foreign mappings) names the other domain, itself by id,
 * or one that does not exist, as the input says.
 */
static domid_t fz_foreigndom(struct fz_in *in)
{
	static const domid_t ids[] = { DOMID_SELF, 1, 2, 7 };

	return fz_cur->domain->is_privileged ? ids[fz_u8(in) % 4] : DOMID_SELF;
}

/* A descriptor count: mostly a frame's worth or less, sometimes at or past `max`, or 0. */
static uint64_t fz_ents(struct fz_in *in, uint64_t max)
{
	uint8_t b = fz_u8(in);

	return b < 200 ? b * 3 : b < 250 ? 512 + b : b == 250 ? 0 : max + (b & 1);
}

/* A batch of requests in guest memory, at the start of fz_arg; the done count at its end. */
#define DONE_VA (FZ_ARG_VA + FZ_ARG_SIZE - 8)

void fz_op_mmu_update(struct fz_in *in)
{
	struct mmu_update *r = (struct mmu_update *)fz_arg;
	unsigned n = 1 + fz_u8(in) % 6;

	for (unsigned i = 0; i < n; i++) {
		uint8_t b = fz_u8(in);
		uint64_t table = fz_frame(in);
		unsigned idx = b & 1 ? 256 + fz_u8(in) % 16 : fz_u8(in) % 8;   /* hypervisor slots too */
		if (b & 2)
			idx = fz_u16(in) % 512;
		r[i].ptr = (table << 12) | idx * 8 | ((b >> 2) & 3);   /* MMU_* command in the low bits */
		if (b & 0x10)
			r[i].ptr |= 4;   /* misaligned */
		r[i].val = fz_entry(in);
	}
	uint64_t done = fz_u8(in) & 1 ? DONE_VA : 0;   /* read in this order: the input's */
	domid_t owner = fz_foreigndom(in);

	fz_trace("mmu_update", r[0].ptr, r[0].val, do_mmu_update(current_vcpu(), (uint64_t[6]){ FZ_ARG_VA, n, done, owner, 0, 0 }));
}

void fz_op_mmuext(struct fz_in *in)
{
	static const unsigned cmds[] = {
		MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L3_TABLE, MMUEXT_PIN_L4_TABLE,
		MMUEXT_UNPIN_TABLE, MMUEXT_NEW_BASEPTR, MMUEXT_NEW_USER_BASEPTR, MMUEXT_TLB_FLUSH_ALL,
		MMUEXT_TLB_FLUSH_MULTI, MMUEXT_CLEAR_PAGE, MMUEXT_COPY_PAGE, MMUEXT_SET_LDT,
		MMUEXT_MARK_SUPER, MMUEXT_FLUSH_CACHE, 99, MMUEXT_UNPIN_TABLE,
	};
	struct mmuext_op *o = (struct mmuext_op *)fz_arg;
	unsigned n = 1 + fz_u8(in) % 4;

	for (unsigned i = 0; i < n; i++) {
		memset(&o[i], 0, sizeof(o[i]));
		o[i].cmd = cmds[fz_u8(in) % 16];
		if (o[i].cmd == MMUEXT_FLUSH_CACHE && fz_cur->domain->is_privileged)
			o[i].cmd = 99;   /* WBINVD: a privileged instruction on the host */
		o[i].arg1.mfn = fz_frame(in);
		if (o[i].cmd == MMUEXT_NEW_USER_BASEPTR && fz_u8(in) % 4 == 0)
			o[i].arg1.mfn = 0;   /* none */
		if (o[i].cmd == MMUEXT_COPY_PAGE)
			o[i].arg2.src_mfn = fz_frame(in);
		if (o[i].cmd == MMUEXT_TLB_FLUSH_MULTI)
			o[i].arg2.vcpumask = fz_u8(in) & 1 ? DONE_VA : 0x1234;
		if (o[i].cmd == MMUEXT_SET_LDT) {
			o[i].arg1.linear_addr = fz_va(in);
			o[i].arg2.nr_ents = fz_ents(in, LDT_ENTRIES);
		}
	}
	uint64_t done = fz_u8(in) & 1 ? DONE_VA : 0;
	domid_t owner = fz_foreigndom(in);

	fz_trace("mmuext_op", o[0].cmd, o[0].arg1.mfn, do_mmuext_op(current_vcpu(), (uint64_t[6]){ FZ_ARG_VA, n, done, owner, 0, 0 }));
}

uint64_t fz_va(struct fz_in *in)
{
	uint64_t va = 0;

	for (unsigned l = 0; l < 4; l++)
		va = va << 9 | (fz_u8(in) % 4);
	va <<= 12;
	if (fz_u8(in) % 8 == 0)
		va |= 0xffff800000000000ULL;   /* the hypervisor's half */
	return va;
}

/*
 * update_va_mapping at a guest address the input builds from four table
 * indexes; the flags byte's top bits pick the otherdomain form instead
 * (the frame's owner DOMID_SELF or the other domain).
 */
void fz_op_update_va(struct fz_in *in)
{
	static const uint64_t flags[] = { 0, UVMF_TLB_FLUSH | UVMF_ALL, UVMF_TLB_FLUSH | DONE_VA,
					  UVMF_NONE | UVMF_ALL };
	uint64_t va = fz_va(in);

	fz_mm_cur = fz_cur;
	uint64_t e = fz_entry(in);
	uint8_t f = fz_u8(in);
	domid_t other = fz_cur->domain == &mm_dom_a ? 2 : 1;
	uint64_t args[6] = { va, e, flags[f % 4], (f >> 6) == 3 ? other : DOMID_SELF, 0, 0 };

	if (f >> 7)
		fz_trace("update_va_mapping_otherdomain", va, e,
			 do_update_va_mapping_otherdomain(current_vcpu(), args));
	else
		fz_trace("update_va_mapping", va, e, do_update_va_mapping(current_vcpu(), args));
	fz_mm_cur = NULL;
}

void fz_op_memory(struct fz_in *in)
{
	static const unsigned cmds[] = { XENMEM_increase_reservation, XENMEM_decrease_reservation,
					 XENMEM_populate_physmap, XENMEM_exchange };
	unsigned cmd = cmds[fz_u8(in) % 4];
	uint64_t *list = (uint64_t *)(fz_arg + 1024), *out = (uint64_t *)(fz_arg + 2048);
	unsigned n = fz_u8(in) % 5, order = fz_u8(in) % 4 == 0 ? 1 : 0;
	domid_t dom = fz_u8(in) % 8 == 0 ? (fz_cur->domain == &mm_dom_a ? 2 : 1) : DOMID_SELF;

	for (unsigned i = 0; i < n; i++)
		list[i] = fz_frame(in);
	if (cmd == XENMEM_exchange) {
		struct xen_memory_exchange *x = (struct xen_memory_exchange *)fz_arg;
		unsigned out_order = fz_u8(in) % 3, nout = n ? (n << order) >> out_order : 0;
		*x = (struct xen_memory_exchange){
			.in = { .extent_start = FZ_ARG_VA + 1024, .nr_extents = n, .extent_order = order,
				.domid = dom },
			.out = { .extent_start = FZ_ARG_VA + 2048, .nr_extents = nout ? nout : 1,
				 .extent_order = out_order, .domid = dom },
		};
		memset(out, 0, 64);
	} else {
		*(struct xen_memory_reservation *)fz_arg = (struct xen_memory_reservation){
			.extent_start = FZ_ARG_VA + 1024, .nr_extents = n, .extent_order = order, .domid = dom,
		};
	}
	fz_trace("memory_op", cmd, n, do_memory_op(current_vcpu(), (uint64_t[6]){ cmd, FZ_ARG_VA, 0, 0, 0, 0 }));
}

/* set_gdt: a list of frames (own, foreign, anything) for up to three frames' worth of entries. */
void fz_op_set_gdt(struct fz_in *in)
{
	uint64_t *list = (uint64_t *)(fz_arg + 1024);
	uint64_t ents = fz_ents(in, FIRST_RESERVED_GDT_ENTRY);

	for (unsigned i = 0; i < 3; i++)
		list[i] = fz_frame(in);
	fz_mm_cur = fz_cur;   /* descriptors.c's current_vcpu(): see hv_fuzz.h */
	fz_trace("set_gdt", list[0], ents, do_set_gdt(current_vcpu(), (uint64_t[6]){ FZ_ARG_VA + 1024, ents, 0, 0, 0, 0 }));
	fz_mm_cur = NULL;
}

/* update_descriptor: any slot of any frame, a descriptor of any kind. */
void fz_op_update_descriptor(struct fz_in *in)
{
	static const uint64_t kinds[] = {
		0x00af9b000000ffffULL,   /* 64-bit code */
		0x00cf93000000ffffULL,   /* data */
		0x0000890000000067ULL,   /* a TSS: system, refused */
		0x0000ec0000000000ULL,   /* a call gate (DPL 3, target 0): installed at DPL 0 */
		0, 0x00cf13000000ffffULL, /* not present */
		0x0000ec00e0080000ULL,   /* a call gate into the hypervisor's code: refused */
	};
	uint64_t maddr = fz_frame(in) << 12;
	uint64_t desc;

	maddr |= (fz_u8(in) % 8) * 8;
	maddr |= fz_u8(in) % 16 == 0 ? 4 : 0;   /* misaligned */
	desc = kinds[fz_u8(in) % 7];

	fz_mm_cur = fz_cur;
	fz_trace("update_descriptor", maddr, desc, do_update_descriptor(current_vcpu(), (uint64_t[6]){ maddr, desc, 0, 0, 0, 0 }));
	fz_mm_cur = NULL;
}

/* mm.c's boot-time CPUID query (pv_pin_boot_tables), which no harness calls: renamed to this. */
void fz_unused_host_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
void fz_unused_host_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	memset(out, 0, 16);
}
