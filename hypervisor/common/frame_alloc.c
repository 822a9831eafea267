/* Physical frame allocator; the design is described in frame_alloc.h. */
#include <frame_alloc.h>

#define BITS 64

static inline bool test_free(const struct frame_alloc *fa, mfn_t m)
{
	return (fa->bitmap[m / BITS] >> (m % BITS)) & 1;
}

static inline void set_free(struct frame_alloc *fa, mfn_t m)
{
	fa->bitmap[m / BITS] |= 1ULL << (m % BITS);
}

static inline void set_used(struct frame_alloc *fa, mfn_t m)
{
	fa->bitmap[m / BITS] &= ~(1ULL << (m % BITS));
}

size_t frame_alloc_bitmap_bytes(uint64_t nr_frames)
{
	return (size_t)((nr_frames + BITS - 1) / BITS) * sizeof(uint64_t);
}

void frame_alloc_init(struct frame_alloc *fa, uint64_t *bitmap, uint64_t nr_frames)
{
	fa->bitmap = bitmap;
	fa->nr_frames = nr_frames;
	fa->nr_free = 0;
	fa->hint = 0;
	memset(bitmap, 0, frame_alloc_bitmap_bytes(nr_frames));
}

void frame_alloc_mark_free(struct frame_alloc *fa, mfn_t start, mfn_t end)
{
	end = MIN(end, fa->nr_frames);
	for (mfn_t m = start; m < end; m++)
		if (!test_free(fa, m)) {
			set_free(fa, m);
			fa->nr_free++;
		}
}

void frame_alloc_mark_used(struct frame_alloc *fa, mfn_t start, mfn_t end)
{
	end = MIN(end, fa->nr_frames);
	for (mfn_t m = start; m < end; m++)
		if (test_free(fa, m)) {
			set_used(fa, m);
			fa->nr_free--;
		}
}

bool frame_alloc_is_free(const struct frame_alloc *fa, mfn_t mfn)
{
	return mfn < fa->nr_frames && test_free(fa, mfn);
}

/* Is the whole block [m, m + n) free? Returns the first used frame's offset + 1, or 0. */
static uint64_t block_busy(const struct frame_alloc *fa, mfn_t m, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (!test_free(fa, m + i))
			return i + 1;
	return 0;
}

static mfn_t search(struct frame_alloc *fa, mfn_t from, mfn_t to, uint64_t n)
{
	mfn_t m = ALIGN_UP(from, n);

	while (m + n <= to) {
		/* skip whole empty words quickly when looking for single frames */
		if (n == 1 && fa->bitmap[m / BITS] == 0) {
			m = ALIGN_DOWN(m, BITS) + BITS;
			continue;
		}
		uint64_t busy = block_busy(fa, m, n);
		if (!busy)
			return m;
		m = ALIGN_UP(m + busy, n);
	}
	return INVALID_MFN;
}

mfn_t frame_alloc_get(struct frame_alloc *fa, unsigned order)
{
	uint64_t n = 1ULL << order;
	mfn_t m;

	if (order > FRAME_ORDER_MAX || n > fa->nr_free)
		return INVALID_MFN;
	m = search(fa, fa->hint, fa->nr_frames, n);
	if (m == INVALID_MFN)
		m = search(fa, 0, MIN(fa->hint + n, fa->nr_frames), n);
	if (m == INVALID_MFN)
		return INVALID_MFN;
	for (uint64_t i = 0; i < n; i++)
		set_used(fa, m + i);
	fa->nr_free -= n;
	fa->hint = m + n;
	return m;
}

int frame_alloc_put(struct frame_alloc *fa, mfn_t mfn, unsigned order)
{
	uint64_t n = 1ULL << order;

	if (order > FRAME_ORDER_MAX || mfn >= fa->nr_frames || n > fa->nr_frames - mfn ||
	    !IS_ALIGNED(mfn, n))
		return -1;
	for (uint64_t i = 0; i < n; i++)
		if (test_free(fa, mfn + i))
			return -1;
	for (uint64_t i = 0; i < n; i++)
		set_free(fa, mfn + i);
	fa->nr_free += n;
	return 0;
}
