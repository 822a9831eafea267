/*
 * cons_domain.c - one domain's console: connect, move output to the log
 * and the pty under the rate limit, move input from the pty into the
 * ring without overwriting what the guest has not read, disconnect and
 * release. The design is in cons.h; the ring accesses in cons_ring.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cons.h"
#include "d0_log.h"

#define WHO "xenconsoled"

void cons_init(struct cons_daemon *d, const struct cons_ops *ops, void *ctx)
{
	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->ctx = ctx;
	snprintf(d->log_dir, sizeof(d->log_dir), "%s", CONS_LOG_DIR_DEFAULT);
}

struct cons_dom *cons_dom_find(struct cons_daemon *d, unsigned int domid)
{
	struct cons_dom *dom;

	for (dom = d->doms; dom; dom = dom->next)
		if (dom->domid == domid)
			return dom;
	return NULL;
}

struct cons_dom *cons_dom_find_port(struct cons_daemon *d, int local_port)
{
	struct cons_dom *dom;

	for (dom = d->doms; dom; dom = dom->next)
		if (dom->local_port >= 0 && dom->local_port == local_port)
			return dom;
	return NULL;
}

/* A fresh, unconnected state for domid, at the end of the list; NULL if
 * out of memory. */
struct cons_dom *cons_dom_new(struct cons_daemon *d, unsigned int domid)
{
	struct cons_dom *dom = calloc(1, sizeof(*dom)), **pp;

	if (!dom)
		return NULL;
	dom->domid = domid;
	dom->state = CONS_WAITING;
	dom->local_port = dom->pty_fd = dom->log_fd = -1;
	dom->line_start = true;
	for (pp = &d->doms; *pp; pp = &(*pp)->next)
		;
	*pp = dom;
	return dom;
}

static char *read_node(struct cons_daemon *d, unsigned int domid, const char *node)
{
	char path[96];

	snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, node);
	return d->ops->xs_read(d->ctx, path);
}

/* A decimal node no larger than max: 0, -ENOENT if absent, -EINVAL. */
static int read_num(struct cons_daemon *d, struct cons_dom *dom, const char *node,
		    unsigned long max, unsigned long *out)
{
	char *s = read_node(d, dom->domid, node), *end;
	int rc = 0;

	if (!s)
		return -ENOENT;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end || errno || *out > max) {
		d0_log(D0_LOG_ERR, WHO, "dom %u: /local/domain/%u/%s: '%.32s' is not a number up to %lu",
		       dom->domid, dom->domid, node, s, max);
		rc = -EINVAL;
	}
	free(s);
	return rc;
}

/* The domain's name as a file name: '/' and a leading '.' become '_';
 * without a name node, the domain id. */
static void read_name(struct cons_daemon *d, struct cons_dom *dom)
{
	char *s = read_node(d, dom->domid, "name");
	size_t i;

	if (!s || !s[0])
		snprintf(dom->name, sizeof(dom->name), "%u", dom->domid);
	else
		snprintf(dom->name, sizeof(dom->name), "%s", s);
	free(s);
	for (i = 0; dom->name[i]; i++)
		if (dom->name[i] == '/' || (i == 0 && dom->name[i] == '.'))
			dom->name[i] = '_';
}

static bool type_is_ours(struct cons_daemon *d, struct cons_dom *dom)
{
	char *t = read_node(d, dom->domid, "console/type");
	bool ours = !t || !strcmp(t, "xenconsoled");

	free(t);
	return ours;
}

/* What the toolstack wrote under console/ (public/io/console.h). */
struct console_nodes {
	unsigned long ring_ref, port, limit;
};

/* Read and check the nodes: 0, -ENOENT when ring-ref or port is not
 * written yet, -EINVAL (logged) when one is not a number in range. */
static int read_nodes(struct cons_daemon *d, struct cons_dom *dom, struct console_nodes *n)
{
	int rc;

	n->limit = CONS_PTY_LIMIT_DEFAULT;
	rc = read_num(d, dom, "console/ring-ref", UINT32_MAX, &n->ring_ref);
	if (!rc)
		rc = read_num(d, dom, "console/port", 1u << 20, &n->port);
	if (rc)
		return rc;
	rc = read_num(d, dom, "console/limit", 1u << 26, &n->limit);
	if (n->limit < CONS_PTY_LIMIT_MIN)
		n->limit = CONS_PTY_LIMIT_MIN;
	return rc == -ENOENT ? 0 : rc;
}

/* Map the ring, bind the channel, make the pty and advertise it, open the
 * log: 0 or -errno (logged), whatever was done left for
 * cons_dom_disconnect. */
static int attach(struct cons_daemon *d, struct cons_dom *dom, const struct console_nodes *n)
{
	const struct cons_ops *o = d->ops;
	char path[96];
	int rc;

	dom->buf = malloc(n->limit);
	if (!dom->buf)
		return -ENOMEM;
	dom->buf_limit = n->limit;
	rc = o->map_ring(d->ctx, dom->domid, n->ring_ref, &dom->intf);
	if (rc) {
		dom->intf = NULL;
		d0_log(D0_LOG_ERR, WHO, "dom %u: cannot map the console ring (ring-ref %lu): %s",
		       dom->domid, n->ring_ref, strerror(-rc));
		return rc;
	}
	rc = o->bind(d->ctx, dom->domid, (unsigned int)n->port);
	if (rc < 0) {
		d0_log(D0_LOG_ERR, WHO, "dom %u: cannot bind the console event channel (port %lu): %s",
		       dom->domid, n->port, strerror(-rc));
		return rc;
	}
	dom->local_port = rc;
	rc = o->open_pty(d->ctx, dom->domid, dom->tty, sizeof(dom->tty));
	if (rc < 0) {
		d0_log(D0_LOG_ERR, WHO, "dom %u: cannot create a pty: %s", dom->domid, strerror(-rc));
		return rc;
	}
	dom->pty_fd = rc;
	snprintf(path, sizeof(path), "/local/domain/%u/console/tty", dom->domid);
	rc = o->xs_write(d->ctx, path, dom->tty);
	if (rc) {
		d0_log(D0_LOG_ERR, WHO, "dom %u: cannot write %s: %s", dom->domid, path, strerror(-rc));
		return rc;
	}
	if (d->log & CONS_GUEST) {
		char log[sizeof(d->log_dir) + sizeof(dom->name) + 16];

		snprintf(log, sizeof(log), "%s/guest-%s.log", d->log_dir, dom->name);
		rc = o->open_log(d->ctx, log);
		if (rc < 0)	/* the console still works without its log */
			d0_log(D0_LOG_ERR, WHO, "dom %u: cannot open %s: %s (no log for it)",
			       dom->domid, log, strerror(-rc));
		dom->log_fd = rc < 0 ? -1 : rc;
	}
	return 0;
}

/*
 * Connect a waiting domain, or one whose set-up failed before: 0 when
 * connected, or when it is not ours (state CONS_OTHER); -EAGAIN when
 * ring-ref or port is not written yet (still waiting); another -errno
 * when set-up failed (state CONS_FAILED, everything undone).
 */
int cons_dom_connect(struct cons_daemon *d, struct cons_dom *dom)
{
	struct console_nodes n;
	int rc;

	if (dom->state == CONS_FAILED)
		dom->state = CONS_WAITING;
	if (dom->state != CONS_WAITING)
		return 0;
	if (!type_is_ours(d, dom)) {
		dom->state = CONS_OTHER;
		return 0;
	}
	rc = read_nodes(d, dom, &n);
	if (rc == -ENOENT)
		return -EAGAIN;
	if (!rc) {
		read_name(d, dom);
		rc = attach(d, dom, &n);
	}
	if (rc) {
		cons_dom_disconnect(d, dom);
		dom->state = CONS_FAILED;
		return rc;
	}
	/* Start where the guest's page says: output written before we came
	 * is read, input we never wrote is not claimed. Validated at the
	 * first use like any other index. */
	dom->out_cons = *(volatile XENCONS_RING_IDX *)&dom->intf->out_cons;
	dom->in_prod = *(volatile XENCONS_RING_IDX *)&dom->intf->in_prod;
	dom->credit = CONS_RATE_BURST * 1000ull;
	dom->last_ms = d->ops->now_ms(d->ctx);
	dom->state = CONS_CONNECTED;
	d0_log(D0_LOG_INFO, WHO, "dom %u (%s): console on %s", dom->domid, dom->name, dom->tty);
	return 0;
}

/* Undo whatever connect did (any part of it); the state stays known. */
void cons_dom_disconnect(struct cons_daemon *d, struct cons_dom *dom)
{
	const struct cons_ops *o = d->ops;

	if (dom->local_port >= 0)
		o->unbind(d->ctx, dom->local_port);
	if (dom->intf)
		o->unmap_ring(d->ctx, dom->domid, dom->intf);
	if (dom->pty_fd >= 0)
		o->close(d->ctx, dom->pty_fd);
	if (dom->log_fd >= 0)
		o->close(d->ctx, dom->log_fd);
	free(dom->buf);
	dom->buf = NULL;
	dom->buf_len = dom->buf_limit = 0;
	dom->intf = NULL;
	dom->local_port = dom->pty_fd = dom->log_fd = -1;
	if (dom->state == CONS_CONNECTED)
		dom->state = CONS_BROKEN;
}

static void broken(struct cons_daemon *d, struct cons_dom *dom, const char *what)
{
	d0_log(D0_LOG_WARN, WHO, "dom %u: console ring: %s index out of range; console disconnected",
	       dom->domid, what);
	cons_dom_disconnect(d, dom);
}

/* Write all of buf to the log; on failure stop logging this domain. */
static void log_write(struct cons_daemon *d, struct cons_dom *dom, const char *p, size_t n)
{
	ssize_t r;

	while (n && dom->log_fd >= 0) {
		r = d->ops->write(d->ctx, dom->log_fd, p, n);
		if (r == -EINTR)
			continue;
		if (r <= 0) {
			d0_log(D0_LOG_ERR, WHO, "dom %u: writing guest-%s.log: %s; logging stopped",
			       dom->domid, dom->name, r ? strerror((int)-r) : "wrote nothing");
			d->ops->close(d->ctx, dom->log_fd);
			dom->log_fd = -1;
			return;
		}
		p += r;
		n -= (size_t)r;
	}
}

/* Output to the log, with "[YYYY-MM-DD HH:MM:SS] " before each line if
 * --timestamp asks for it (Xen's format). */
static void log_output(struct cons_daemon *d, struct cons_dom *dom, const char *p, size_t n)
{
	char ts[32];
	struct tm tm;
	time_t t;
	size_t seg;
	const char *nl;

	if (!(d->timestamp & CONS_GUEST)) {
		log_write(d, dom, p, n);
		return;
	}
	while (n) {
		if (dom->line_start) {
			t = d->ops->wall(d->ctx);
			gmtime_r(&t, &tm);
			log_write(d, dom, ts, strftime(ts, sizeof(ts), "[%Y-%m-%d %H:%M:%S] ", &tm));
		}
		nl = memchr(p, '\n', n);
		seg = nl ? (size_t)(nl - p) + 1 : n;
		log_write(d, dom, p, seg);
		dom->line_start = nl != NULL;
		p += seg;
		n -= seg;
	}
}

/* Append to the pty buffer; when it would pass its limit the oldest bytes
 * go (--overflow-data=discard, Xen's default). */
static void buf_append(struct cons_dom *dom, const char *p, size_t n)
{
	size_t drop;

	if (n >= dom->buf_limit) {
		memcpy(dom->buf, p + n - dom->buf_limit, dom->buf_limit);
		dom->buf_len = dom->buf_limit;
		return;
	}
	if (dom->buf_len + n > dom->buf_limit) {
		drop = dom->buf_len + n - dom->buf_limit;
		memmove(dom->buf, dom->buf + drop, dom->buf_len - drop);
		dom->buf_len -= drop;
	}
	memcpy(dom->buf + dom->buf_len, p, n);
	dom->buf_len += n;
}

static void refill(struct cons_dom *dom, uint64_t now)
{
	uint64_t elapsed;

	if (now <= dom->last_ms)
		return;
	elapsed = now - dom->last_ms;
	if (elapsed > 1000)
		elapsed = 1000;
	dom->credit += elapsed * CONS_RATE_BYTES_PER_SEC;
	if (dom->credit > CONS_RATE_BURST * 1000ull)
		dom->credit = CONS_RATE_BURST * 1000ull;
	dom->last_ms = now;
}

/*
 * Take the domain's output (at most one ring, and unless unlimited at
 * most its rate allowance at time now) to the log and the pty buffer.
 * Returns the bytes taken, or -EPROTO after disconnecting a bad ring.
 */
int cons_dom_output(struct cons_daemon *d, struct cons_dom *dom, uint64_t now, bool unlimited)
{
	char chunk[sizeof(dom->intf->out)];
	size_t room = sizeof(chunk);
	uint64_t n1000;
	int n;

	if (dom->state != CONS_CONNECTED)
		return 0;
	refill(dom, now);
	if (!unlimited && dom->credit / 1000 < room)
		room = (size_t)(dom->credit / 1000);
	if (d->overflow_keep && dom->buf_limit - dom->buf_len < room)
		room = dom->buf_limit - dom->buf_len;
	if (!room)
		return 0;
	n = cons_ring_take(dom->intf, &dom->out_cons, chunk, room);
	if (n < 0) {
		broken(d, dom, "out_prod");
		return n;
	}
	if (!n)
		return 0;
	n1000 = (uint64_t)n * 1000;
	dom->credit = dom->credit > n1000 ? dom->credit - n1000 : 0;
	d->ops->notify(d->ctx, dom->local_port);	/* the guest may wait for room */
	log_output(d, dom, chunk, (size_t)n);
	buf_append(dom, chunk, (size_t)n);
	return n;
}

/*
 * Move what the pty has for the guest into in[], reading no more than
 * in[] has room for. Returns the bytes moved, or -EPROTO after
 * disconnecting a bad ring.
 */
int cons_dom_input(struct cons_daemon *d, struct cons_dom *dom)
{
	char b[sizeof(dom->intf->in)];
	int space, n;
	ssize_t r;

	if (dom->state != CONS_CONNECTED)
		return 0;
	space = cons_ring_space(dom->intf, dom->in_prod);
	if (space < 0) {
		broken(d, dom, "in_cons");
		return space;
	}
	if (!space)
		return 0;	/* flow control: the input waits in the pty */
	r = d->ops->read(d->ctx, dom->pty_fd, b, (size_t)space);
	if (r <= 0)	/* nothing, or nobody on the slave side (EIO) */
		return 0;
	n = cons_ring_put(dom->intf, &dom->in_prod, b, (size_t)r);
	if (n < 0) {
		broken(d, dom, "in_cons");
		return n;
	}
	d->ops->notify(d->ctx, dom->local_port);
	return n;
}

/* Write what the pty can take of the buffered output: bytes written. */
int cons_dom_flush_pty(struct cons_daemon *d, struct cons_dom *dom)
{
	ssize_t r;

	if (dom->state != CONS_CONNECTED || !dom->buf_len)
		return 0;
	r = d->ops->write(d->ctx, dom->pty_fd, dom->buf, dom->buf_len);
	if (r <= 0)	/* full (EAGAIN) or no reader: kept, up to the limit */
		return 0;
	memmove(dom->buf, dom->buf + r, dom->buf_len - (size_t)r);
	dom->buf_len -= (size_t)r;
	return (int)r;
}

/*
 * The domain is gone: drain what its ring still holds into the log
 * (one ring's worth, without the rate limit), give the rest a last try
 * at the pty, undo everything and forget the domain.
 */
void cons_dom_release(struct cons_daemon *d, struct cons_dom *dom)
{
	struct cons_dom **pp;
	char path[96];

	if (dom->state == CONS_CONNECTED) {
		cons_dom_output(d, dom, d->ops->now_ms(d->ctx), true);
		cons_dom_flush_pty(d, dom);
	}
	cons_dom_disconnect(d, dom);
	if (dom->watched) {
		snprintf(path, sizeof(path), "/local/domain/%u/console", dom->domid);
		d->ops->xs_unwatch(d->ctx, path, "console");
	}
	for (pp = &d->doms; *pp; pp = &(*pp)->next)
		if (*pp == dom) {
			*pp = dom->next;
			break;
		}
	d0_log(D0_LOG_INFO, WHO, "dom %u: released", dom->domid);
	free(dom);
}

/* Release every domain (the daemon is exiting). */
void cons_shutdown(struct cons_daemon *d)
{
	while (d->doms)
		cons_dom_release(d, d->doms);
}
