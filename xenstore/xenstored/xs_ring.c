/*
 * xs_ring.c - see xs_ring.h.  Ordering: a reader loads prod, then
 * (acquire) the data; a writer stores the data, then (release) prod.
 * The consumer index is handled the same way in the other sense, so the
 * writer never overwrites bytes the reader has not finished copying.
 */
#include <string.h>
#include "xs_ring.h"

void xs_ring_server(struct xenstore_domain_interface *intf,
		    struct xs_ring_dir *in, struct xs_ring_dir *out)
{
	*in = (struct xs_ring_dir){ intf->req, &intf->req_cons,
				    &intf->req_prod };
	*out = (struct xs_ring_dir){ intf->rsp, &intf->rsp_cons,
				     &intf->rsp_prod };
}

void xs_ring_client(struct xenstore_domain_interface *intf,
		    struct xs_ring_dir *in, struct xs_ring_dir *out)
{
	*in = (struct xs_ring_dir){ intf->rsp, &intf->rsp_cons,
				    &intf->rsp_prod };
	*out = (struct xs_ring_dir){ intf->req, &intf->req_cons,
				     &intf->req_prod };
}

/* Snapshot both indexes once; -1 if they cannot be right. */
static int snapshot(const struct xs_ring_dir *r, XENSTORE_RING_IDX *cons,
		    XENSTORE_RING_IDX *prod)
{
	*cons = __atomic_load_n(r->cons, __ATOMIC_ACQUIRE);
	*prod = __atomic_load_n(r->prod, __ATOMIC_ACQUIRE);
	return (XENSTORE_RING_IDX)(*prod - *cons) > XENSTORE_RING_SIZE ? -1 : 0;
}

ssize_t xs_ring_avail(const struct xs_ring_dir *r)
{
	XENSTORE_RING_IDX cons, prod;

	if (snapshot(r, &cons, &prod))
		return -1;
	return prod - cons;
}

ssize_t xs_ring_read(const struct xs_ring_dir *r, void *buf, size_t len)
{
	bool was_full;

	return xs_ring_read_was_full(r, buf, len, &was_full);
}

ssize_t xs_ring_read_was_full(const struct xs_ring_dir *r, void *buf,
			      size_t len, bool *was_full)
{
	XENSTORE_RING_IDX cons, prod;
	size_t avail, done = 0;

	*was_full = false;
	if (snapshot(r, &cons, &prod))
		return -1;
	avail = prod - cons;
	if (len > avail)
		len = avail;
	/* At most two chunks: up to the end of the array, then the rest. */
	while (done < len) {
		size_t off = MASK_XENSTORE_IDX(cons + done);
		size_t chunk = XENSTORE_RING_SIZE - off;

		if (chunk > len - done)
			chunk = len - done;
		memcpy((char *)buf + done, r->data + off, chunk);
		done += chunk;
	}
	__atomic_store_n(r->cons, cons + (XENSTORE_RING_IDX)len,
			 __ATOMIC_RELEASE);
	/* The producer checks for space after publishing its index; we
	 * look at its index after publishing ours: one of us sees the
	 * other (both sides use full barriers), so no wake-up is lost. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (len)
		*was_full = (XENSTORE_RING_IDX)(__atomic_load_n(r->prod, __ATOMIC_ACQUIRE) - cons) >=
			    XENSTORE_RING_SIZE;
	return len;
}

ssize_t xs_ring_write(const struct xs_ring_dir *r, const void *buf,
		      size_t len)
{
	XENSTORE_RING_IDX cons, prod;
	size_t space, done = 0;

	if (snapshot(r, &cons, &prod))
		return -1;
	space = XENSTORE_RING_SIZE - (prod - cons);
	if (len > space)
		len = space;
	while (done < len) {
		size_t off = MASK_XENSTORE_IDX(prod + done);
		size_t chunk = XENSTORE_RING_SIZE - off;

		if (chunk > len - done)
			chunk = len - done;
		memcpy(r->data + off, (const char *)buf + done, chunk);
		done += chunk;
	}
	__atomic_store_n(r->prod, prod + (XENSTORE_RING_IDX)len,
			 __ATOMIC_RELEASE);
	return len;
}
