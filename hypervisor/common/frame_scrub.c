/*
 * Freed frames are cleared in the background, as Xen scrubs: tearing down
 * a domain frees every frame it had, and clearing them there (4 KiB of
 * stores each, slow under emulation) was most of destroydomain's time.
 *
 * free_frames marks a freed frame here instead of clearing it, and leaves
 * it without PGF_zeroed: whoever takes it from the allocator before it is
 * cleared clears it (populate_physmap does for frames without PGF_zeroed;
 * the hypervisor's own users of alloc_frames write every byte they use),
 * so no old data reaches anyone. An idle CPU clears the marked frames a
 * few at a time (sched.c), and sets PGF_zeroed: populating a domain then
 * need not clear them again.
 *
 * Locking: the big lock, as the allocator. The idle CPU holds it while it
 * clears, so it stops as soon as another CPU waits for the lock, as for a
 * waiting interrupt: before, a guest's hypercall on the other CPU waited
 * until all of a dead domain's frames were clear (or an interrupt came),
 * and `xl destroy` took 3.6 and 9.3 s on a busy host, 5.6 and 8.8 s of it
 * waiting for the lock. Halting releases the lock; the clearing goes on
 * at the CPU's next idle turn.
 */
#include <arch.h>
#include <biglock.h>
#include <domain.h>
#include <frame_alloc.h>
#include <frame_scrub.h>
#include <page.h>

/* Frames cleared between checks for a waiting interrupt. */
#define SCRUB_CHUNK 16

static uint64_t *marked;      /* bit per machine frame: free, not cleared yet */
static uint64_t words;        /* of the bitmap */
static uint64_t nr_marked;
static uint64_t cursor;       /* the word the next scan starts from */

void frame_scrub_init(void)
{
	/* without it, frames are cleared as they are freed */
	marked = xzalloc_bytes((frame_table_size + 63) / 64 * sizeof(uint64_t));
	if (marked)
		words = (frame_table_size + 63) / 64;
}

bool frame_scrub_ready(void)
{
	return marked != NULL;
}

void frame_scrub_mark(mfn_t mfn, uint64_t n)
{
	for (uint64_t j = 0; j < n; j++) {
		marked[(mfn + j) / 64] |= 1ULL << ((mfn + j) % 64);
		nr_marked++;
	}
}

void frame_scrub_claim(mfn_t mfn, unsigned order)
{
	if (!nr_marked)
		return;
	for (uint64_t m = mfn; m < mfn + (1ULL << order) && m < frame_table_size; m++) {
		uint64_t bit = 1ULL << (m % 64);

		if (marked[m / 64] & bit) {
			marked[m / 64] &= ~bit;
			nr_marked--;
		}
	}
}

/* Clear up to `max` marked frames. */
static void scrub(unsigned max)
{
	while (nr_marked && max) {
		uint64_t w = marked[cursor];
		mfn_t m;

		if (!w) {
			cursor = (cursor + 1) % words;
			continue;
		}
		m = cursor * 64 + (uint64_t)__builtin_ctzll(w);
		marked[cursor] = w & (w - 1);
		nr_marked--;
		clear_frames(arch_phys_to_virt(m << FRAME_SHIFT), 1);
		frame_table[m].flags |= PGF_zeroed;
		max--;
	}
}

/* A CPU has taken a ticket after ours (we hold the lock: `serving` is ours). */
static bool lock_wanted(void)
{
	return __atomic_load_n(&big_lock.next, __ATOMIC_RELAXED) != big_lock.serving + 1;
}

bool frame_scrub_idle(void)
{
	if (!nr_marked || arch_interrupt_pending() || lock_wanted())
		return false;
	scrub(SCRUB_CHUNK);
	return true;
}

uint64_t frame_scrub_pending(void)
{
	return nr_marked;
}
