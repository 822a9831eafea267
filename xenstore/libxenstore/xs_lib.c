/*
 * xs_lib.c - libxenstore: the xs_* calls over a socket or /dev/xen/xenbus.
 *
 * One request is in flight at a time: write it, then read messages
 * until its reply.  Watch events that arrive meanwhile are queued.  No
 * reader thread: xs_fileno() returns an epoll descriptor watching both
 * the connection and an eventfd that is non-zero while events are
 * queued, so a caller's poll() wakes for either kind of waiting event.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <fcntl.h>
#include <unistd.h>
#include "xenstore.h"

#define XS_DEFAULT_SOCKET "/run/xenstored/socket"
#define XS_XENBUS_DEV "/dev/xen/xenbus"

struct xs_event {
	struct xs_event *next;
	char **vec;		/* { path, token }, one block */
};

struct xs_handle {
	int fd;
	int epoll_fd;		/* -1 until xs_fileno() */
	int event_fd;
	uint32_t req_id;
	unsigned long flags;
	struct xs_event *ev_head, *ev_tail;
};

const char *xs_daemon_socket(void)
{
	const char *p = getenv("XENSTORED_PATH");

	return p && *p ? p : XS_DEFAULT_SOCKET;
}

static int open_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

struct xs_handle *xs_open(unsigned long flags)
{
	struct xs_handle *h = calloc(1, sizeof(*h));
	int e;

	if (!h)
		return NULL;
	h->flags = flags;
	h->epoll_fd = h->event_fd = -1;
	h->fd = open_socket(xs_daemon_socket());
	if (h->fd < 0 && !(flags & XS_OPEN_SOCKETONLY)) {
		e = errno;
		h->fd = open(XS_XENBUS_DEV, O_RDWR | O_CLOEXEC);
		if (h->fd < 0)
			errno = e;	/* the socket's error is the useful one */
	}
	if (h->fd < 0) {
		e = errno;
		free(h);
		errno = e;
		return NULL;
	}
	return h;
}

struct xs_handle *xs_daemon_open(void)
{
	return xs_open(0);
}

struct xs_handle *xs_daemon_open_readonly(void)
{
	return xs_open(XS_OPEN_READONLY);
}

struct xs_handle *xs_domain_open(void)
{
	return xs_open(0);
}

void xs_close(struct xs_handle *h)
{
	if (!h)
		return;
	while (h->ev_head) {
		struct xs_event *e = h->ev_head;

		h->ev_head = e->next;
		free(e->vec);
		free(e);
	}
	if (h->epoll_fd >= 0)
		close(h->epoll_fd);
	if (h->event_fd >= 0)
		close(h->event_fd);
	close(h->fd);
	free(h);
}

void xs_daemon_close(struct xs_handle *h)
{
	xs_close(h);
}

static int write_all(int fd, const void *buf, size_t len)
{
	while (len) {
		ssize_t r = write(fd, buf, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		buf = (const char *)buf + r;
		len -= r;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	while (len) {
		ssize_t r = read(fd, buf, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			errno = ECONNRESET;
		if (r <= 0)
			return -1;
		buf = (char *)buf + r;
		len -= r;
	}
	return 0;
}

/* Count NUL-terminated strings in len bytes. */
unsigned int xs_count_strings(const char *strings, unsigned int len)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < len; i++)
		if (strings[i] == '\0')
			n++;
	return n;
}

/* Pointers to each string, followed by the strings: one free(). */
static char **make_vec(const char *data, unsigned int len, unsigned int *num)
{
	unsigned int n = xs_count_strings(data, len), i = 0;
	char **vec = malloc(n * sizeof(char *) + len + 1);
	char *s;

	if (!vec)
		return NULL;
	s = (char *)(vec + n);
	memcpy(s, data, len);
	s[len] = '\0';
	for (unsigned int off = 0; i < n; i++) {
		vec[i] = s + off;
		off += strlen(s + off) + 1;
	}
	*num = n;
	return vec;
}

static void signal_events(struct xs_handle *h, bool pending)
{
	uint64_t v = 1;

	if (h->event_fd < 0)
		return;
	if (pending) {
		if (write(h->event_fd, &v, sizeof(v)) < 0)
			return;	/* counter saturated: already readable */
	} else if (read(h->event_fd, &v, sizeof(v)) < 0) {
		return;		/* was already zero */
	}
}

static int queue_event(struct xs_handle *h, const char *data, unsigned int len)
{
	struct xs_event *e = calloc(1, sizeof(*e));
	unsigned int n;

	if (!e)
		return -1;
	e->vec = make_vec(data, len, &n);
	if (!e->vec || n < 2) {
		int r = e->vec ? 0 : -1;	/* a malformed event is dropped */

		free(e->vec);
		free(e);
		return r;
	}
	if (h->ev_tail)
		h->ev_tail->next = e;
	else
		h->ev_head = e;
	h->ev_tail = e;
	signal_events(h, true);
	return 0;
}

/* Read one message; watch events are queued and reported as type
 * XS_WATCH_EVENT with *body NULL. */
static int read_msg(struct xs_handle *h, struct xsd_sockmsg *hdr, char **body)
{
	char *b;

	*body = NULL;
	if (read_all(h->fd, hdr, sizeof(*hdr)))
		return -1;
	if (hdr->len > XENSTORE_PAYLOAD_MAX) {
		errno = EIO;
		return -1;
	}
	b = malloc(hdr->len + 1);
	if (!b)
		return -1;
	if (read_all(h->fd, b, hdr->len)) {
		free(b);
		return -1;
	}
	b[hdr->len] = '\0';
	if (hdr->type == XS_WATCH_EVENT) {
		int r = queue_event(h, b, hdr->len);

		free(b);
		return r;
	}
	*body = b;
	return 0;
}

static int errno_from_name(const char *name)
{
#define XS_LIB_ERRNAME(e) if (!strcmp(name, #e)) return e;
	XS_ERROR_NAMES(XS_LIB_ERRNAME)
#undef XS_LIB_ERRNAME
	return EINVAL;
}

/*
 * Send one request made of iov[0..n) and wait for its reply.  Returns
 * the reply body (NUL-appended, *len excludes it) or NULL with errno.
 */
static char *xs_talk(struct xs_handle *h, xs_transaction_t t, uint32_t type,
		     const struct iovec *iov, unsigned int n, unsigned int *len)
{
	struct xsd_sockmsg hdr = { type, ++h->req_id, t, 0 };
	char buf[sizeof(hdr) + XENSTORE_PAYLOAD_MAX], *body;
	size_t off = sizeof(hdr);

	for (unsigned int i = 0; i < n; i++) {
		if (iov[i].iov_len > XENSTORE_PAYLOAD_MAX - (off - sizeof(hdr))) {
			errno = E2BIG;
			return NULL;
		}
		memcpy(buf + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	hdr.len = off - sizeof(hdr);
	memcpy(buf, &hdr, sizeof(hdr));
	if (write_all(h->fd, buf, off))
		return NULL;
	for (;;) {
		struct xsd_sockmsg rh;

		if (read_msg(h, &rh, &body))
			return NULL;
		if (!body)
			continue;	/* a watch event, now queued */
		if (rh.type == XS_ERROR) {
			errno = errno_from_name(body);
			free(body);
			return NULL;
		}
		if (rh.type != type || rh.req_id != hdr.req_id) {
			free(body);
			errno = EBADMSG;
			return NULL;
		}
		if (len)
			*len = rh.len;
		return body;
	}
}

/* Requests whose payload is strings each followed by NUL. */
static char *xs_talk_strs(struct xs_handle *h, xs_transaction_t t,
			  uint32_t type, const char **strs, unsigned int n,
			  unsigned int *len)
{
	struct iovec iov[4];

	for (unsigned int i = 0; i < n; i++)
		iov[i] = (struct iovec){ (void *)strs[i], strlen(strs[i]) + 1 };
	return xs_talk(h, t, type, iov, n, len);
}

static bool xs_bool(char *reply)
{
	free(reply);
	return reply != NULL;
}

char **xs_directory(struct xs_handle *h, xs_transaction_t t,
		    const char *path, unsigned int *num)
{
	unsigned int len;
	char *r = xs_talk_strs(h, t, XS_DIRECTORY, &path, 1, &len);
	char **vec;

	if (!r)
		return NULL;
	vec = make_vec(r, len, num);
	free(r);
	return vec;
}

void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path,
	      unsigned int *len)
{
	return xs_talk_strs(h, t, XS_READ, &path, 1, len);
}

bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path,
	      const void *data, unsigned int len)
{
	struct iovec iov[2] = {
		{ (void *)path, strlen(path) + 1 },
		{ (void *)data, len },
	};

	return xs_bool(xs_talk(h, t, XS_WRITE, iov, 2, NULL));
}

bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	return xs_bool(xs_talk_strs(h, t, XS_MKDIR, &path, 1, NULL));
}

bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	return xs_bool(xs_talk_strs(h, t, XS_RM, &path, 1, NULL));
}

struct xs_permissions *xs_get_permissions(struct xs_handle *h,
					  xs_transaction_t t,
					  const char *path, unsigned int *num)
{
	unsigned int len, n;
	char *r = xs_talk_strs(h, t, XS_GET_PERMS, &path, 1, &len);
	struct xs_permissions *p = NULL;

	if (!r)
		return NULL;
	n = xs_count_strings(r, len);
	p = n ? malloc(n * sizeof(*p)) : NULL;
	if (p && !xs_strings_to_perms(p, n, r)) {
		free(p);
		p = NULL;
		errno = EINVAL;
	}
	if (!n)
		errno = EINVAL;
	free(r);
	if (p)
		*num = n;
	return p;
}

bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t,
			const char *path, struct xs_permissions *perms,
			unsigned int num_perms)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t off = 0;
	struct iovec iov[2];

	for (unsigned int i = 0; i < num_perms; i++) {
		if (!xs_perm_to_string(&perms[i], buf + off,
				       sizeof(buf) - off)) {
			errno = E2BIG;
			return false;
		}
		off += strlen(buf + off) + 1;
	}
	iov[0] = (struct iovec){ (void *)path, strlen(path) + 1 };
	iov[1] = (struct iovec){ buf, off };
	return xs_bool(xs_talk(h, t, XS_SET_PERMS, iov, 2, NULL));
}

/*
 * Requests in flight at once in xs_write_nodes: each is at most 4 KiB of
 * payload, so a window stays well inside a Unix socket's buffer and the
 * write never waits for a daemon that is itself waiting for us to read.
 */
#define XS_WINDOW 16

/* Append one request to buf (XS_WINDOW of them fit); its id, or 0 with
 * errno when its payload is too large. */
static uint32_t queue_req(struct xs_handle *h, xs_transaction_t t, uint32_t type,
			  const struct iovec *iov, unsigned int n, char *buf, size_t *off)
{
	struct xsd_sockmsg hdr = { type, ++h->req_id, t, 0 };
	size_t start = *off, pos = start + sizeof(hdr);

	for (unsigned int i = 0; i < n; i++) {
		if (iov[i].iov_len > XENSTORE_PAYLOAD_MAX - (pos - start - sizeof(hdr))) {
			errno = E2BIG;
			return 0;
		}
		memcpy(buf + pos, iov[i].iov_base, iov[i].iov_len);
		pos += iov[i].iov_len;
	}
	hdr.len = (uint32_t)(pos - start - sizeof(hdr));
	memcpy(buf + start, &hdr, sizeof(hdr));
	*off = pos;
	return hdr.req_id;
}

/* The reply to request id of type; 0, or the errno it carries (or of
 * the connection failing: then -1 with errno). */
static int await_reply(struct xs_handle *h, uint32_t type, uint32_t id)
{
	for (;;) {
		struct xsd_sockmsg rh;
		char *body;
		int e = 0;

		if (read_msg(h, &rh, &body))
			return -1;
		if (!body)
			continue;	/* a watch event, now queued */
		if (rh.type == XS_ERROR)
			e = errno_from_name(body);
		else if (rh.type != type || rh.req_id != id)
			e = EBADMSG;
		free(body);
		return e;
	}
}

bool xs_write_nodes(struct xs_handle *h, xs_transaction_t t,
		    const struct xs_node_write *nodes, unsigned int n)
{
	char *buf = malloc(XS_WINDOW * (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX));
	struct { uint32_t type, id; } sent[XS_WINDOW];
	char perms[XENSTORE_PAYLOAD_MAX];
	unsigned int i = 0;
	int first = 0;

	if (!buf)
		return false;
	while (i < n && !first) {
		size_t off = 0;
		unsigned int k = 0;

		/* a window of whole nodes: a write and its permissions */
		for (; i < n && k + 2 <= XS_WINDOW; i++) {
			const struct xs_node_write *w = &nodes[i];
			struct iovec iov[2] = { { (void *)w->path, strlen(w->path) + 1 },
						{ (void *)w->value, w->len } };
			size_t plen = 0;

			sent[k].type = XS_WRITE;
			sent[k].id = queue_req(h, t, XS_WRITE, iov, 2, buf, &off);
			if (!sent[k].id) {
				first = errno;
				break;
			}
			k++;
			if (!w->num_perms)
				continue;
			for (unsigned int j = 0; j < w->num_perms; j++) {
				if (!xs_perm_to_string(&w->perms[j], perms + plen, sizeof(perms) - plen)) {
					first = E2BIG;
					break;
				}
				plen += strlen(perms + plen) + 1;
			}
			iov[1] = (struct iovec){ perms, plen };
			sent[k].type = XS_SET_PERMS;
			sent[k].id = first ? 0 : queue_req(h, t, XS_SET_PERMS, iov, 2, buf, &off);
			if (!sent[k].id) {
				first = first ? first : errno;
				break;
			}
			k++;
		}
		if (k && write_all(h->fd, buf, off))
			goto broken;
		/* every reply is read, even after a failure: the connection
		 * must be left with nothing of ours in flight */
		for (unsigned int j = 0; j < k; j++) {
			int e = await_reply(h, sent[j].type, sent[j].id);

			if (e < 0)
				goto broken;
			if (e && !first)
				first = e;
		}
	}
	free(buf);
	if (first) {
		errno = first;
		return false;
	}
	return true;
broken:
	free(buf);	/* errno: the connection's */
	return false;
}

bool xs_watch(struct xs_handle *h, const char *path, const char *token)
{
	const char *s[2] = { path, token };

	return xs_bool(xs_talk_strs(h, XBT_NULL, XS_WATCH, s, 2, NULL));
}

bool xs_unwatch(struct xs_handle *h, const char *path, const char *token)
{
	const char *s[2] = { path, token };
	struct xs_event **pe = &h->ev_head, *last = NULL;

	if (!xs_bool(xs_talk_strs(h, XBT_NULL, XS_UNWATCH, s, 2, NULL)))
		return false;
	if (!(h->flags & XS_UNWATCH_FILTER))
		return true;
	while (*pe) {
		struct xs_event *e = *pe;

		if (!strcmp(e->vec[XS_WATCH_TOKEN], token) &&
		    xs_path_is_subpath(path, e->vec[XS_WATCH_PATH])) {
			*pe = e->next;
			free(e->vec);
			free(e);
			continue;
		}
		last = e;
		pe = &e->next;
	}
	h->ev_tail = last;
	if (!h->ev_head)
		signal_events(h, false);
	return true;
}

int xs_fileno(struct xs_handle *h)
{
	struct epoll_event ev = { .events = EPOLLIN };

	if (h->epoll_fd >= 0)
		return h->epoll_fd;
	h->event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	h->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (h->event_fd < 0 || h->epoll_fd < 0)
		goto fail;
	ev.data.fd = h->fd;
	if (epoll_ctl(h->epoll_fd, EPOLL_CTL_ADD, h->fd, &ev))
		goto fail;
	ev.data.fd = h->event_fd;
	if (epoll_ctl(h->epoll_fd, EPOLL_CTL_ADD, h->event_fd, &ev))
		goto fail;
	if (h->ev_head)
		signal_events(h, true);
	return h->epoll_fd;
fail:
	if (h->epoll_fd >= 0)
		close(h->epoll_fd);
	if (h->event_fd >= 0)
		close(h->event_fd);
	h->epoll_fd = h->event_fd = -1;
	return -1;
}

static char **pop_event(struct xs_handle *h, unsigned int *num)
{
	struct xs_event *e = h->ev_head;
	char **vec;

	h->ev_head = e->next;
	if (!h->ev_head) {
		h->ev_tail = NULL;
		signal_events(h, false);
	}
	vec = e->vec;
	free(e);
	if (num)
		*num = 2;
	return vec;
}

char **xs_read_watch(struct xs_handle *h, unsigned int *num)
{
	while (!h->ev_head) {
		struct xsd_sockmsg hdr;
		char *body;

		if (read_msg(h, &hdr, &body))
			return NULL;
		free(body);	/* a stray reply: nothing is waiting for it */
	}
	return pop_event(h, num);
}

char **xs_check_watch(struct xs_handle *h)
{
	struct pollfd p = { .fd = h->fd, .events = POLLIN };

	while (!h->ev_head && poll(&p, 1, 0) == 1) {
		struct xsd_sockmsg hdr;
		char *body;

		if (read_msg(h, &hdr, &body))
			return NULL;
		free(body);
	}
	if (!h->ev_head) {
		errno = EAGAIN;
		return NULL;
	}
	return pop_event(h, NULL);
}

xs_transaction_t xs_transaction_start(struct xs_handle *h)
{
	const char *empty = "";
	char *r = xs_talk_strs(h, XBT_NULL, XS_TRANSACTION_START, &empty, 1,
			       NULL);
	xs_transaction_t id;

	if (!r)
		return XBT_NULL;
	id = strtoul(r, NULL, 10);
	free(r);
	return id;
}

bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort)
{
	const char *s = abort ? "F" : "T";

	return xs_bool(xs_talk_strs(h, t, XS_TRANSACTION_END, &s, 1, NULL));
}

static char *talk_ids(struct xs_handle *h, uint32_t type,
		      const unsigned long *ids, unsigned int n)
{
	char bufs[3][24];
	const char *s[3];

	for (unsigned int i = 0; i < n; i++) {
		snprintf(bufs[i], sizeof(bufs[i]), "%lu", ids[i]);
		s[i] = bufs[i];
	}
	return xs_talk_strs(h, XBT_NULL, type, s, n, NULL);
}

bool xs_introduce_domain(struct xs_handle *h, unsigned int domid,
			 unsigned long mfn, unsigned int eventchn)
{
	unsigned long ids[3] = { domid, mfn, eventchn };

	return xs_bool(talk_ids(h, XS_INTRODUCE, ids, 3));
}

bool xs_release_domain(struct xs_handle *h, unsigned int domid)
{
	unsigned long id = domid;

	return xs_bool(talk_ids(h, XS_RELEASE, &id, 1));
}

bool xs_resume_domain(struct xs_handle *h, unsigned int domid)
{
	unsigned long id = domid;

	return xs_bool(talk_ids(h, XS_RESUME, &id, 1));
}

bool xs_set_target(struct xs_handle *h, unsigned int domid,
		   unsigned int target)
{
	unsigned long ids[2] = { domid, target };

	return xs_bool(talk_ids(h, XS_SET_TARGET, ids, 2));
}

bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid)
{
	unsigned long id = domid;
	char *r = talk_ids(h, XS_IS_DOMAIN_INTRODUCED, &id, 1);
	bool yes = r && !strcmp(r, "T");

	free(r);
	return yes;
}

char *xs_get_domain_path(struct xs_handle *h, unsigned int domid)
{
	unsigned long id = domid;

	return talk_ids(h, XS_GET_DOMAIN_PATH, &id, 1);
}

bool xs_reset_watches(struct xs_handle *h)
{
	const char *empty = "";

	return xs_bool(xs_talk_strs(h, XBT_NULL, XS_RESET_WATCHES, &empty, 1,
				    NULL));
}

char *xs_control_command(struct xs_handle *h, const char *cmd, void *data,
			 unsigned int len)
{
	struct iovec iov[2] = {
		{ (void *)cmd, strlen(cmd) + 1 },
		{ data, len },
	};

	return xs_talk(h, XBT_NULL, XS_CONTROL, iov, 2, NULL);
}
