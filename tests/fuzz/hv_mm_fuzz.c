/*
 * libFuzzer harness: PV memory hypercalls by model guests, on the fake
 * machine of tests/unit/fake/memory.c (domain A owns frames 1-32, domain B
 * 33-36; the rest are the hypervisor's or free), through the real entry
 * points: do_mmu_update, do_mmuext_op, do_update_va_mapping (mm_ops.c,
 * mm.c) and do_memory_op (memory.c), over the real type and count state
 * machine (page.c, page_type.c, mm_validate.c).
 *
 * The input is a preemption setting (hv_fuzz.h: fz_setup_from), then a
 * sequence of operations (decoded in hv_fuzz_mm_ops.c), each a few bytes: which domain calls, which hypercall, and its arguments
 * (entries at any level naming own, foreign, hypervisor, I/O or
 * nonexistent frames with any flags). The preemption hook stops long
 * operations at random; every continuation is re-issued, or abandoned at
 * random when the input asks for that. After every operation the counts are recomputed from
 * what references each frame (hv_fuzz.c: fz_check_invariants); at the end
 * both domains are destroyed and every frame must be back.
 *
 * With bit 5 of the first byte domain A is privileged (a Dom0): its
 * batches name a foreign page owner (B, itself, or nobody) and its L1
 * entries may map B's frames and frames that are not RAM.
 *
 * Not reached: the TLB-flush and INVLPG operations that execute privileged
 * instructions on this CPU (only the domain-wide ones, which the host
 * shim records; WBINVD is left out for Dom0), and MMUEXT_SET_LDT
 * (descriptor tables are not modelled).
 */
#include "hv_fuzz.h"
#include <stdio.h>

#define MAX_OPS 48

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	uint8_t p = fz_u8(&in);
	char where[48];

	fz_setup_from(p);
	for (unsigned op = 0; op < MAX_OPS && in.left; op++) {
		uint8_t b = fz_u8(&in);

		fz_cur = &fz_vcpu[b >> 7];
		switch ((b & 0x7f) % 6) {
		case 0: fz_op_mmu_update(&in); break;
		case 1: fz_op_mmuext(&in); break;
		case 2: fz_op_update_va(&in); break;
		case 3: fz_op_memory(&in); break;
		case 4: fz_op_set_gdt(&in); break;
		case 5: fz_op_update_descriptor(&in); break;
		}
		fz_resume_or_abandon();
		snprintf(where, sizeof(where), "after operation %u (%u)", op, b);
		fz_check_invariants(where);
	}
	fz_teardown_and_check();
	return 0;
}
