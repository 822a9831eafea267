/*
 * xs_ring.h - byte streams over the xenstore shared ring page.
 *
 * Each direction of struct xenstore_domain_interface is a 1024-byte ring
 * with free-running producer/consumer indexes.  The page is shared with
 * a domain we do not trust: every call reads the other side's index
 * once, validates it (prod - cons <= ring size), and then works from its
 * local copies only.  The same code serves both ends (the daemon
 * consumes req and produces rsp; a client, or a unit test, the reverse).
 */
#ifndef XS_RING_H
#define XS_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "xs_wire.h"

struct xs_ring_dir {
	char *data;			/* XENSTORE_RING_SIZE bytes */
	XENSTORE_RING_IDX *cons;
	XENSTORE_RING_IDX *prod;
};

/* The two directions as the store (server) sees them. */
void xs_ring_server(struct xenstore_domain_interface *intf,
		    struct xs_ring_dir *in, struct xs_ring_dir *out);
/* ... and as the domain (client) sees them. */
void xs_ring_client(struct xenstore_domain_interface *intf,
		    struct xs_ring_dir *in, struct xs_ring_dir *out);

/*
 * Copy up to len bytes out of / into the ring.  Return the bytes moved
 * (0 when empty / full), or -1 if the indexes are corrupt, after which
 * the ring must not be used again.
 */
ssize_t xs_ring_read(const struct xs_ring_dir *r, void *buf, size_t len);
ssize_t xs_ring_write(const struct xs_ring_dir *r, const void *buf,
		      size_t len);
/*
 * xs_ring_read, and *was_full says whether the producer may be waiting
 * for the space just freed: after publishing the new consumer index
 * (full barrier) the producer index is read again, and if it is a whole
 * ring ahead of the old consumer index the ring was full at some point
 * the producer could have seen.  Only then does the producer need an
 * event (Linux's xenbus waits for space only on a full ring).
 */
ssize_t xs_ring_read_was_full(const struct xs_ring_dir *r, void *buf,
			      size_t len, bool *was_full);
/* Bytes waiting to be read (-1 if corrupt). */
ssize_t xs_ring_avail(const struct xs_ring_dir *r);

#endif /* XS_RING_H */
