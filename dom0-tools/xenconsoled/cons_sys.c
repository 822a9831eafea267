/*
 * cons_sys.c - the real struct cons_ops of the daemon: the domain list
 * and foreign maps through libxenctrl, the ring page through gntdev
 * (GNTTAB_RESERVED_CONSOLE) when it can, event channels through
 * xenevtchn, xenstore through libxenstore, ptys and log files through
 * the system. Every function answers >= 0 or -errno (cons.h).
 *
 * Privileges: root in Dom0, for /dev/xen/privcmd (domain list, foreign
 * map), /dev/xen/gntdev, /dev/xen/evtchn and xenstored's socket.
 */
#define _GNU_SOURCE	/* posix_openpt, ptsname_r */
#define XC_WANT_COMPAT_MAP_FOREIGN_API
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cons_sys.h"
#include "public/grant_table.h"

static bool via_grant[DOMID_FIRST_RESERVED];	/* how each ring was mapped */
#define MAX_FD 4096
static int slave_of[MAX_FD];			/* pty master -> slave + 1 */

static int sys_list(void *ctx, unsigned int *ids, int max)
{
	struct cons_sys *s = ctx;
	xc_domaininfo_t *info = calloc((size_t)max, sizeof(*info));
	int r, i, n = 0;

	if (!info)
		return -ENOMEM;
	r = xc_domain_getinfolist(s->xc, 0, (unsigned int)max, info);
	if (r < 0) {
		r = -errno;
		free(info);
		return r;
	}
	for (i = 0; i < r; i++)
		if (!(info[i].flags & XEN_DOMINF_dying))
			ids[n++] = info[i].domain;
	free(info);
	return n;
}

static int sys_map(void *ctx, unsigned int domid, unsigned long ring_ref,
		   struct xencons_interface **out)
{
	struct cons_sys *s = ctx;
	void *p = NULL;

	if (domid >= DOMID_FIRST_RESERVED)
		return -EINVAL;
	if (s->xgt)
		p = xengnttab_map_grant_ref(s->xgt, domid, GNTTAB_RESERVED_CONSOLE,
					    PROT_READ | PROT_WRITE);
	via_grant[domid] = p != NULL;
	if (!p)
		p = xc_map_foreign_range(s->xc, domid, 4096, PROT_READ | PROT_WRITE, ring_ref);
	if (!p)
		return -errno;
	*out = p;
	return 0;
}

static void sys_unmap(void *ctx, unsigned int domid, struct xencons_interface *intf)
{
	struct cons_sys *s = ctx;

	if (via_grant[domid])
		xengnttab_unmap(s->xgt, intf, 1);
	else
		munmap(intf, 4096);
}

static int sys_bind(void *ctx, unsigned int domid, unsigned int port)
{
	struct cons_sys *s = ctx;
	int r = xenevtchn_bind_interdomain(s->xce, domid, port);

	return r < 0 ? -errno : r;
}

static void sys_unbind(void *ctx, int port)
{
	xenevtchn_unbind(((struct cons_sys *)ctx)->xce, (evtchn_port_t)port);
}

static void sys_notify(void *ctx, int port)
{
	xenevtchn_notify(((struct cons_sys *)ctx)->xce, (evtchn_port_t)port);
}

/*
 * A pty in raw mode. The daemon keeps the slave open too, as Xen's does,
 * so the master never reports EIO while nobody is attached: output waits
 * in the pty (and our buffer) for `xl console`.
 */
static int sys_open_pty(void *ctx, unsigned int domid, char *path, size_t len)
{
	struct termios t;
	int m, sl = -1, rc;

	m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0)
		return -errno;
	if (m >= MAX_FD || grantpt(m) || unlockpt(m) || ptsname_r(m, path, len))
		goto fail;
	sl = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (sl < 0 || tcgetattr(sl, &t))
		goto fail;
	cfmakeraw(&t);
	if (tcsetattr(sl, TCSANOW, &t) || fcntl(m, F_SETFL, O_NONBLOCK))
		goto fail;
	slave_of[m] = sl + 1;
	return m;
fail:
	rc = m >= MAX_FD ? -EMFILE : -errno;
	if (sl >= 0)
		close(sl);
	close(m);
	return rc;
}

static int sys_open_log(void *ctx, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	return fd < 0 ? -errno : fd;
}

static ssize_t sys_read(void *ctx, int fd, void *buf, size_t len)
{
	ssize_t r = read(fd, buf, len);

	return r < 0 ? -errno : r;
}

static ssize_t sys_write(void *ctx, int fd, const void *buf, size_t len)
{
	ssize_t r = write(fd, buf, len);

	return r < 0 ? -errno : r;
}

static void sys_close(void *ctx, int fd)
{
	if (fd < MAX_FD && slave_of[fd]) {
		close(slave_of[fd] - 1);
		slave_of[fd] = 0;
	}
	close(fd);
}

static uint64_t sys_now(void *ctx)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static time_t sys_wall(void *ctx)
{
	return time(NULL);
}

static char *sys_xs_read(void *ctx, const char *path)
{
	unsigned int len;

	return xs_read(((struct cons_sys *)ctx)->xs, XBT_NULL, path, &len);
}

static int sys_xs_write(void *ctx, const char *path, const char *value)
{
	return xs_write(((struct cons_sys *)ctx)->xs, XBT_NULL, path, value,
			(unsigned int)strlen(value)) ? 0 : -errno;
}

static int sys_watch(void *ctx, const char *path, const char *token)
{
	return xs_watch(((struct cons_sys *)ctx)->xs, path, token) ? 0 : -errno;
}

static int sys_unwatch(void *ctx, const char *path, const char *token)
{
	return xs_unwatch(((struct cons_sys *)ctx)->xs, path, token) ? 0 : -errno;
}

const struct cons_ops cons_sys_ops = {
	.list_domains = sys_list, .map_ring = sys_map, .unmap_ring = sys_unmap,
	.bind = sys_bind, .unbind = sys_unbind, .notify = sys_notify,
	.open_pty = sys_open_pty, .open_log = sys_open_log,
	.read = sys_read, .write = sys_write, .close = sys_close,
	.now_ms = sys_now, .wall = sys_wall,
	.xs_read = sys_xs_read, .xs_write = sys_xs_write,
	.xs_watch = sys_watch, .xs_unwatch = sys_unwatch,
};
