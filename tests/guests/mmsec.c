/*
 * mmsec - memory attacks on a frame's way out of a domain:
 *
 *  - XENMEM_exchange naming the same in-frame twice must not trade one
 *    frame for two (the domain would grow past its maximum reservation,
 *    and could repeat that until the host has no memory left);
 *  - a frame freed while a read-only TLB entry for it may survive (its
 *    last mapping went with update_va_mapping and no flush) must not be
 *    readable through that entry once the allocator has handed it out
 *    again: the guest takes all free memory, so that the frame it gives
 *    back is the next one handed out (to itself), and reads the old VA;
 *  - a decrease_reservation list naming a frame twice gives it back once.
 *
 * Needs the domctl max_mem of its own domain (it runs as Dom0) to set its
 * allowance: at its current size for the exchange, above the machine's
 * memory for the other check; both are restored afterwards.
 */
#include "guest.h"
#include "public/domctl.h"
#include "public/memory.h"

const char test_name[] = "mmsec";
const int test_styles = STYLE_DIRECT;   /* changes the domain's memory: run once */

#define BATCH 512
/* more than the 512 MiB machine has */
#define MAX_FRAMES (512 * 256)

static uint64_t frames[MAX_FRAMES];
static uint8_t scratch[2][4096] __attribute__((aligned(4096)));
static struct xen_domctl op;

static uint64_t va_of(int i) { return (uint64_t)scratch[i]; }
static uint64_t pte(uint64_t m, uint64_t flags) { return (m << 12) | flags; }

static uint64_t mfn_of(int i)
{
	return ((uint64_t *)start_info->mfn_list)[(va_of(i) - VIRT_BASE) >> 12];
}

static long set_max_mem(uint64_t kb)
{
	memset(&op, 0, sizeof(op));
	op.cmd = XEN_DOMCTL_max_mem;
	op.domain = 0;   /* ourselves: the test kernel is Dom0 */
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	op.u.max_mem.max_memkb = kb;
	return HC1(__HYPERVISOR_domctl, &op);
}

static long reservation(unsigned cmd)
{
	domid_t self = DOMID_SELF;

	return HYPERVISOR_memory_op(cmd, &self);
}

static long memop_frames(unsigned cmd, uint64_t *list, uint64_t n)
{
	struct xen_memory_reservation r = {
		.extent_start = (uint64_t)list, .nr_extents = n, .domid = DOMID_SELF,
	};

	return HYPERVISOR_memory_op(cmd, &r);
}

/*
 * In [F, F] for one order-1 extent, at the maximum reservation: refused as
 * Xen does (its second steal of F fails: -EINVAL), nothing exchanged, F
 * still ours and the reservation unchanged.
 */
static void test_exchange_duplicate(void)
{
	uint64_t f = mfn_of(0), in[2] = { f, f }, out = 0;
	struct xen_memory_exchange x = {
		.in = { .extent_start = (uint64_t)in, .nr_extents = 2, .extent_order = 0,
			.domid = DOMID_SELF },
		.out = { .extent_start = (uint64_t)&out, .nr_extents = 1, .extent_order = 1,
			 .domid = DOMID_SELF },
	};
	long max = reservation(XENMEM_maximum_reservation), cur, rc;

	EXPECT("exchange_dup_unmap", HYPERVISOR_update_va_mapping(va_of(0), 0, UVMF_INVLPG), 0);
	cur = reservation(XENMEM_current_reservation);
	EXPECT("exchange_dup_at_max", set_max_mem((uint64_t)cur << 2), 0);
	EXPECT("exchange_dup_max_is_cur", reservation(XENMEM_maximum_reservation), cur);
	EXPECT("exchange_dup_refused", HYPERVISOR_memory_op(XENMEM_exchange, &x), -XEN_EINVAL);
	EXPECT("exchange_dup_progress", x.nr_exchanged, 0);
	EXPECT("exchange_dup_reservation", reservation(XENMEM_current_reservation), cur);
	EXPECT("exchange_dup_restore_max", set_max_mem((uint64_t)max << 2), 0);
	rc = HYPERVISOR_update_va_mapping(va_of(0), pte(f, PTE_P | PTE_W | PTE_A | PTE_D), UVMF_INVLPG);
	EXPECT("exchange_dup_frame_still_ours", rc, 0);
	if (!rc)
		scratch[0][0] = 1;
}

/*
 * The same frame twice in one decrease_reservation list: given back once,
 * the second extent refused, the batch ends there (1 done), as Xen.
 */
static void test_decrease_duplicate(void)
{
	long cur = reservation(XENMEM_current_reservation);
	uint64_t list[2] = { 0x100000, 0 };

	EXPECT("decrease_dup_populate", memop_frames(XENMEM_populate_physmap, list, 1), 1);
	list[1] = list[0];
	EXPECT("decrease_dup_once", memop_frames(XENMEM_decrease_reservation, list, 2), 1);
	EXPECT("decrease_dup_reservation", reservation(XENMEM_current_reservation), cur);
}

/* Take every free frame; returns how many we got. */
static uint64_t take_all_memory(void)
{
	uint64_t n = 0;
	long rc;

	do {
		for (uint64_t i = 0; i < BATCH; i++)
			frames[n + i] = 0x100000 + n + i;   /* pfns past our p2m: only the M2P sees them */
		rc = memop_frames(XENMEM_populate_physmap, &frames[n], BATCH);
		if (rc > 0)
			n += (uint64_t)rc;
	} while (rc == BATCH && n + BATCH <= MAX_FRAMES);
	return n;
}

static void give_back(uint64_t *list, uint64_t n)
{
	for (uint64_t i = 0; i < n; i += BATCH) {
		uint64_t k = n - i < BATCH ? n - i : BATCH;
		if (memop_frames(XENMEM_decrease_reservation, &list[i], k) != (long)k) {
			fail(tname("give_back"), "decrease_reservation of %lu frames", (unsigned long)k);
			return;
		}
	}
}

static void test_freed_frame_stale_tlb(void)
{
	long max = reservation(XENMEM_maximum_reservation);
	uint64_t own = mfn_of(1), n, f, again;
	long rc;
	volatile uint64_t *p = (volatile uint64_t *)va_of(1);

	EXPECT("stale_raise_max", set_max_mem(1ULL << 40), 0);
	n = take_all_memory();
	check(n > 1 && n < MAX_FRAMES, tname("stale_took_all_memory"), "%lu frames", (unsigned long)n);
	if (n < 2)
		return;
	f = frames[n - 1];
	/* F read-only at scratch page 1, in the TLB */
	EXPECT("stale_map_ro", HYPERVISOR_update_va_mapping(va_of(1), pte(f, PTE_P | PTE_A), UVMF_INVLPG), 0);
	EXPECT("stale_read_before", *p, 0);
	/* give F back, then drop the mapping without a flush: F is freed now */
	EXPECT("stale_decrease", memop_frames(XENMEM_decrease_reservation, &f, 1), 1);
	EXPECT("stale_unmap_no_flush", HYPERVISOR_update_va_mapping(va_of(1), 0, 0), 0);
	/* the only free frame: the allocator hands it out again, here to us */
	again = 0x100000;
	EXPECT("stale_populate", memop_frames(XENMEM_populate_physmap, &again, 1), 1);
	check_eq_hex(tname("stale_same_frame"), again, f);
	trap_reset();
	EXPECT_FAULT("movq (%0), %%rax", :: "r"(p) : "rax");
	check(last_trap.count == 1 && last_trap.vector == 14, tname("stale_read_faults"),
	      "%d traps, vector %lu: the stale TLB entry still reads the frame",
	      last_trap.count, (unsigned long)last_trap.vector);

	give_back(&again, 1);
	give_back(frames, n - 1);
	EXPECT("stale_restore_max", set_max_mem((uint64_t)max << 2), 0);
	rc = HYPERVISOR_update_va_mapping(va_of(1), pte(own, PTE_P | PTE_W | PTE_A | PTE_D), UVMF_INVLPG);
	EXPECT("stale_remap_own", rc, 0);
	if (!rc)
		*p = 2;
}

void test_main(void)
{
	test_exchange_duplicate();
	test_decrease_duplicate();
	test_freed_frame_stale_tlb();
	EXPECT("still_alive", 1, 1);
}
