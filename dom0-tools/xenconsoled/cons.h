/*
 * cons.h - the core of xenconsoled: per-domain console state, the ring
 * processing and domain discovery, as pure code over an ops table
 * (struct cons_ops) so that host tests replace every device, file and
 * xenstore access (tests/unit/dom0-tools/xenconsoled/xenconsoled_test.c), as libs/linux's
 * lx_dev does for the libraries.
 *
 * The flow for one domain:
 *   discovery (cons_scan): a domain the hypervisor lists and we do not
 *     know gets a struct cons_dom; one we know and it no longer lists
 *     (or lists as dying) is released.
 *   connect (cons_dom_connect): read console/ring-ref, port, type, limit
 *     and the name; map the ring, bind the event channel, open the log
 *     and a pty, write console/tty. Missing nodes mean "not yet": the
 *     daemon retries when console/ changes (a watch per domain).
 *   service (cons_service): round robin over connected domains; each
 *     takes at most its rate allowance of output (CONS_RATE_*), which
 *     goes to its log at once and to a bounded buffer for its pty; input
 *     read from the pty goes into in[] only as far as there is room.
 *   a set-up that fails (bad node, map or bind refused) is undone and
 *     tried again at the next change under console/, not at every scan;
 *   a bad ring (cons_ring.c) disconnects that domain and no other; it is
 *     not reconnected until the domain is released and introduced again.
 *   release (cons_dom_release): what the ring still holds is drained to
 *     the log (ignoring the rate limit), then everything is undone and
 *     the state freed; a domain introduced again with the same id starts
 *     from fresh state.
 *
 * Errors are 0 or -errno inside (dom0-tools/README.md); messages go
 * through d0_log with the domain id.
 */
#ifndef CONS_H
#define CONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "public/io/console.h"

/*
 * The per-domain output rate limit: a token bucket of CONS_RATE_BURST
 * bytes, refilled at CONS_RATE_BYTES_PER_SEC (64 KiB/s, about six times
 * a 115200-baud serial line). A guest that writes faster than that is
 * read at that rate; its ring fills and its own writes wait, while the
 * other domains are served every round.
 */
#define CONS_RATE_BYTES_PER_SEC	(64u * 1024)
#define CONS_RATE_BURST		(16u * 1024)

/* The default bound on output buffered for a pty (console/limit overrides). */
#define CONS_PTY_LIMIT_DEFAULT	(64u * 1024)
#define CONS_PTY_LIMIT_MIN	4096u

/* Which logs get timestamps or are written (--log, --timestamp). */
enum cons_which { CONS_NONE = 0, CONS_GUEST = 1, CONS_HV = 2, CONS_ALL = 3 };

/*
 * Everything outside the process. ctx is passed back untouched. Each
 * function answers >= 0 or -errno; read and write are non-blocking and
 * answer -EAGAIN when they would block.
 */
struct cons_ops {
	/* Live domain ids (not dying), at most max of them: count or -errno. */
	int (*list_domains)(void *ctx, unsigned int *ids, int max);
	/* Map the ring page given by ring_ref (grant GNTTAB_RESERVED_CONSOLE
	 * first, then ring_ref as a frame number). */
	int (*map_ring)(void *ctx, unsigned int domid, unsigned long ring_ref,
			struct xencons_interface **out);
	void (*unmap_ring)(void *ctx, unsigned int domid, struct xencons_interface *intf);
	/* Bind to the guest's port: our local port, or -errno. */
	int (*bind)(void *ctx, unsigned int domid, unsigned int remote_port);
	void (*unbind)(void *ctx, int local_port);
	void (*notify)(void *ctx, int local_port);
	/* A pty in raw mode, non-blocking master: its fd; slave path in path. */
	int (*open_pty)(void *ctx, unsigned int domid, char *path, size_t len);
	/* Open (create, append) a log file: its fd. */
	int (*open_log)(void *ctx, const char *path);
	ssize_t (*read)(void *ctx, int fd, void *buf, size_t len);
	ssize_t (*write)(void *ctx, int fd, const void *buf, size_t len);
	void (*close)(void *ctx, int fd);
	uint64_t (*now_ms)(void *ctx);		/* monotonic */
	time_t (*wall)(void *ctx);		/* for log timestamps */
	/* xenstore: a malloc'd value or NULL; write and watch 0 or -errno. */
	char *(*xs_read)(void *ctx, const char *path);
	int (*xs_write)(void *ctx, const char *path, const char *value);
	int (*xs_watch)(void *ctx, const char *path, const char *token);
	int (*xs_unwatch)(void *ctx, const char *path, const char *token);
};

enum cons_state {
	CONS_WAITING,		/* known, console nodes not (all) there yet */
	CONS_CONNECTED,
	CONS_FAILED,		/* set-up failed: tried again when console/ changes */
	CONS_BROKEN,		/* bad ring: left alone until released */
	CONS_OTHER,		/* console/type names another backend */
};

struct cons_dom {
	unsigned int domid;
	enum cons_state state;
	char name[64];			/* sanitized for a file name */
	struct xencons_interface *intf;	/* mapped ring, or NULL */
	int local_port;			/* -1 when not bound */
	int pty_fd, log_fd;		/* -1 when not open */
	char tty[64];
	XENCONS_RING_IDX out_cons, in_prod;	/* ours: the page's are copies */
	char *buf;			/* output not yet written to the pty */
	size_t buf_len, buf_limit;
	/* The rate limit's bucket, in thousandths of a byte (so that the
	 * refill is exact whatever the time step), and when it was filled. */
	uint64_t credit, last_ms;
	bool line_start;		/* the next log byte starts a line */
	bool watched;			/* watch on console/ set */
	bool seen;			/* listed in the current scan */
	struct cons_dom *next;
};

struct cons_daemon {
	const struct cons_ops *ops;
	void *ctx;
	char log_dir[256];		/* --log-dir, default /var/log/xen/console */
	enum cons_which log;		/* --log, default none (as Xen) */
	enum cons_which timestamp;	/* --timestamp, default none */
	bool overflow_keep;		/* --overflow-data=keep */
	struct cons_dom *doms;
};

#define CONS_LOG_DIR_DEFAULT "/var/log/xen/console"
#define CONS_MAX_DOMAINS 1024

/* cons_ring.c */
int cons_ring_take(struct xencons_interface *intf, XENCONS_RING_IDX *cons,
		   char *buf, size_t room);
int cons_ring_pending(const struct xencons_interface *intf, XENCONS_RING_IDX cons);
int cons_ring_space(const struct xencons_interface *intf, XENCONS_RING_IDX prod);
int cons_ring_put(struct xencons_interface *intf, XENCONS_RING_IDX *prod,
		  const char *data, size_t len);

/* cons_domain.c */
void cons_init(struct cons_daemon *d, const struct cons_ops *ops, void *ctx);
struct cons_dom *cons_dom_find(struct cons_daemon *d, unsigned int domid);
struct cons_dom *cons_dom_find_port(struct cons_daemon *d, int local_port);
struct cons_dom *cons_dom_new(struct cons_daemon *d, unsigned int domid);
int cons_dom_connect(struct cons_daemon *d, struct cons_dom *dom);
int cons_dom_output(struct cons_daemon *d, struct cons_dom *dom, uint64_t now, bool unlimited);
int cons_dom_input(struct cons_daemon *d, struct cons_dom *dom);
int cons_dom_flush_pty(struct cons_daemon *d, struct cons_dom *dom);
void cons_dom_disconnect(struct cons_daemon *d, struct cons_dom *dom);
void cons_dom_release(struct cons_daemon *d, struct cons_dom *dom);
void cons_shutdown(struct cons_daemon *d);

/* cons_discover.c */
int cons_scan(struct cons_daemon *d);
int cons_watch_event(struct cons_daemon *d, const char *path, const char *token);
int cons_watch_start(struct cons_daemon *d);
int cons_service(struct cons_daemon *d);

#endif /* CONS_H */
