/*
 * cons_ring.c - the two byte rings of a console page, read and written
 * as hostile shared memory (public/io/console.h, docs/style.md §5).
 *
 * The daemon owns out_cons and in_prod: it keeps its own copy of each in
 * struct cons_dom and only ever stores them into the page, so a guest
 * that scribbles on them cannot move our position. The guest's indexes
 * (out_prod, in_cons) are read once per call through a volatile access,
 * then fenced, validated and used only as the local copy. A guest index
 * that puts more bytes in flight than the ring holds (too far ahead, or
 * behind ours, which reads as a huge unsigned difference) is an error
 * for that one domain: -EPROTO, nothing copied, nothing stored.
 */
#include <errno.h>
#include <string.h>

#include "cons.h"

#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)

static XENCONS_RING_IDX read_once(const XENCONS_RING_IDX *p)
{
	return *(const volatile XENCONS_RING_IDX *)p;
}

static void write_once(XENCONS_RING_IDX *p, XENCONS_RING_IDX v)
{
	*(volatile XENCONS_RING_IDX *)p = v;
}

/*
 * Take up to room bytes of guest output into buf, advancing *cons (our
 * copy of out_cons) and the page's out_cons. Returns the bytes taken
 * (0 when the ring is empty), or -EPROTO when out_prod is invalid.
 */
int cons_ring_take(struct xencons_interface *intf, XENCONS_RING_IDX *cons,
		   char *buf, size_t room)
{
	XENCONS_RING_IDX prod = read_once(&intf->out_prod);
	XENCONS_RING_IDX c = *cons, avail;
	size_t n, i;

	rmb();	/* the guest's bytes are read after the index that covers them */
	avail = prod - c;
	if (avail > sizeof(intf->out))
		return -EPROTO;
	n = avail < room ? avail : room;
	for (i = 0; i < n; i++)
		buf[i] = intf->out[MASK_XENCONS_IDX(c + (XENCONS_RING_IDX)i, intf->out)];
	mb();	/* our reads are done before the guest may reuse the slots */
	*cons = c + (XENCONS_RING_IDX)n;
	write_once(&intf->out_cons, *cons);
	return (int)n;
}

/* The bytes of guest output waiting, or -EPROTO (as cons_ring_take). */
int cons_ring_pending(const struct xencons_interface *intf, XENCONS_RING_IDX cons)
{
	XENCONS_RING_IDX avail = read_once(&intf->out_prod) - cons;

	return avail > sizeof(intf->out) ? -EPROTO : (int)avail;
}

/*
 * The free space of in[] for our producer copy prod, or -EPROTO when the
 * guest's in_cons is ahead of prod or more than a ring behind it.
 */
int cons_ring_space(const struct xencons_interface *intf, XENCONS_RING_IDX prod)
{
	XENCONS_RING_IDX used = prod - read_once(&intf->in_cons);

	return used > sizeof(intf->in) ? -EPROTO : (int)(sizeof(intf->in) - used);
}

/*
 * Put up to len bytes of input into in[], never past the guest's in_cons
 * (unconsumed input is never overwritten), advancing *prod and the page's
 * in_prod. Returns the bytes put (0 when the ring is full) or -EPROTO.
 */
int cons_ring_put(struct xencons_interface *intf, XENCONS_RING_IDX *prod,
		  const char *data, size_t len)
{
	XENCONS_RING_IDX p = *prod;
	int space = cons_ring_space(intf, p);
	size_t n, i;

	if (space < 0)
		return space;
	mb();	/* the guest has finished reading the slots we are about to fill */
	n = len < (size_t)space ? len : (size_t)space;
	for (i = 0; i < n; i++)
		intf->in[MASK_XENCONS_IDX(p + (XENCONS_RING_IDX)i, intf->in)] = data[i];
	wmb();	/* the bytes are visible before the index that publishes them */
	*prod = p + (XENCONS_RING_IDX)n;
	write_once(&intf->in_prod, *prod);
	return (int)n;
}
