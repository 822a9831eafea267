/* The fake machine's grant-table layer (see gnttab.h). */
#include "fake/gnttab.h"

#include <stdlib.h>
#include <string.h>
#include <arch.h>
#include <guest_access.h>
#include "mm.h"
#include "grant_table_priv.h"

struct vcpu gs_vcpu_a, gs_vcpu_b;

mfn_t pv_find_l1(struct vcpu *v, uint64_t va)
{
	(void)v;
	return va >= GS_VA && va - GS_VA < (2ULL << 20) ? GS_L1 : INVALID_MFN;
}

bool guest_range_ok(guest_va_t va, size_t len)
{
	return va < 0x0000800000000000ULL && len <= 0x0000800000000000ULL - va;
}

uint64_t gs_va(unsigned i)
{
	return GS_VA + ((uint64_t)i << 12);
}

uint64_t gs_l1e(unsigned i)
{
	return mm_frame(GS_L1)[i];
}

/* The harness's domains are reset in place: free what their tables allocated. */
static void free_table(struct domain *d)
{
	struct grant_table *gt = d->gnttab;

	if (!gt)
		return;
	for (unsigned i = 0; i < GNTTAB_FRAMES_LIMIT; i++)
		free(gt->active[i]);
	for (unsigned i = 0; i < gt->mt_frames; i++)
		free(gt->mt[i]);
	free(gt->mt);
	free(gt);
	d->gnttab = NULL;
}

void gs_reset(void)
{
	free_table(&mm_dom_a);
	free_table(&mm_dom_b);
	fake_mm_reset();
	gs_vcpu_a = (struct vcpu){ .domain = &mm_dom_a };
	gs_vcpu_b = (struct vcpu){ .domain = &mm_dom_b };
	assert_int_equal(get_page_and_type(&mm_dom_a, GS_L1, PGT_l1), 0);
}
