/*
 * mmbench - PV memory management costs from inside a guest kernel, the
 * same ELF on Paravane and Xen 4.17 (bench/mm.sh puts them side by side):
 *
 *   pin tree     MMUEXT_PIN_L4_TABLE of a 4-level tree (1 L4, 1 L3, 1 L2,
 *                NL1 full L1s: every entry validated), then its unpin
 *                (every entry's references dropped); each reported per
 *                table page
 *   ptwr store   one direct store to a pinned L1 entry, emulated by the
 *                writable page-table assist
 *   mmu_update   a batch of 512 MMU_NORMAL_PT_UPDATEs; reported per update
 *
 * Medians of TSC cycles; the TSC rate is calibrated against system time so
 * the script can also give pages per second.
 */
#include "guest.h"

const char test_name[] = "mmbench";
const int test_styles = STYLE_DIRECT;

#define NL1       8
#define NPT       (3 + NL1)
#define PIN_RUNS  31
#define PTWR_RUNS 2001
#define MMU_RUNS  51

static uint8_t pt[NPT][4096] __attribute__((aligned(4096)));
static uint8_t data[4096] __attribute__((aligned(4096)));
static struct mmu_update batch[512];
static uint64_t samples[PTWR_RUNS];
static uint64_t unpin_samples[PIN_RUNS];

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t median(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)   /* insertion sort: a few thousand samples at most */
		for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

static uint64_t mfn_of(const void *p)
{
	return ((uint64_t *)start_info->mfn_list)[((uint64_t)p - VIRT_BASE) >> 12];
}

static long ext(unsigned cmd, uint64_t mfn)
{
	struct mmuext_op op = { .cmd = cmd };

	op.arg1.mfn = mfn;
	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static long set_ro(const void *p, int ro)
{
	return HYPERVISOR_update_va_mapping((uint64_t)p, (mfn_of(p) << 12) | 0x21 | (ro ? 0 : 0x42),
					    UVMF_INVLPG);
}

void test_main(void)
{
	uint64_t t0, n0, data_pte = (mfn_of(data) << 12) | 0x21, l1mfn;
	uint64_t (*tab)[512] = (uint64_t (*)[512])pt;
	long rc = 0;

	/* TSC rate from the hypervisor's system time, over 20 ms */
	t0 = tsc();
	n0 = system_time_ns();
	while (system_time_ns() - n0 < 20000000)
		;
	gprintf("bench: tsc_khz %lu\n", (tsc() - t0) * 1000000 / (system_time_ns() - n0));

	HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables);
	tab[0][0] = (mfn_of(pt[1]) << 12) | 0x67;
	tab[1][0] = (mfn_of(pt[2]) << 12) | 0x67;
	for (int i = 0; i < NL1; i++) {
		tab[2][i] = (mfn_of(pt[3 + i]) << 12) | 0x67;
		for (int j = 0; j < 512; j++)
			tab[3 + i][j] = data_pte;
	}
	for (int i = 0; i < NPT; i++)
		rc |= set_ro(pt[i], 1);
	check(rc == 0, "tree_read_only", "rc %ld", rc);
	for (int r = 0; r < PIN_RUNS; r++) {
		uint64_t a = tsc();
		rc |= ext(MMUEXT_PIN_L4_TABLE, mfn_of(pt[0]));
		uint64_t b = tsc();
		rc |= ext(MMUEXT_UNPIN_TABLE, mfn_of(pt[0]));
		samples[r] = b - a;
		unpin_samples[r] = tsc() - b;
	}
	check(rc == 0, "pin_tree", "rc %ld", rc);
	gprintf("bench: pin tree median %lu cycles for %d pages\n", median(samples, PIN_RUNS), NPT);
	gprintf("bench: unpin tree median %lu cycles\n", median(unpin_samples, PIN_RUNS));

	/* one pinned L1 for the store and batch measures */
	l1mfn = mfn_of(pt[3]);
	rc = ext(MMUEXT_PIN_L1_TABLE, l1mfn);
	check(rc == 0, "pin_l1", "rc %ld", rc);
	volatile uint64_t *l1 = (volatile uint64_t *)pt[3];
	for (int r = 0; r < PTWR_RUNS; r++) {
		uint64_t v = (r & 1) ? 0 : data_pte, a = tsc();
		l1[7] = v;
		samples[r] = tsc() - a;
	}
	check((l1[7] & ~0x0010000000000004ULL) == data_pte, "ptwr_effect", "entry %lx", l1[7]);
	gprintf("bench: ptwr store median %lu cycles\n", median(samples, PTWR_RUNS));

	for (int r = 0; r < MMU_RUNS; r++) {
		for (int j = 0; j < 512; j++) {
			batch[j].ptr = (l1mfn << 12) + j * 8;
			batch[j].val = (r & 1) ? data_pte : 0;
		}
		uint64_t a = tsc();
		rc |= HYPERVISOR_mmu_update(batch, 512, NULL, DOMID_SELF);
		samples[r] = tsc() - a;
	}
	check(rc == 0, "mmu_update_batch", "rc %ld", rc);
	gprintf("bench: mmu_update batch median %lu cycles for 512 updates\n", median(samples, MMU_RUNS));
	rc = ext(MMUEXT_UNPIN_TABLE, l1mfn);
	check(rc == 0, "unpin_l1", "rc %ld", rc);
}
