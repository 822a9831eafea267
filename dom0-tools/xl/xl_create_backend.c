/*
 * xl_create_backend.c - struct xl_create_ops over the real libraries:
 * libxenctrl (createdomain, max_vcpus, max_mem, the event channels),
 * libxenguest's pv_build, and libxenstore
 * (the domain's nodes in one transaction, INTRODUCE, RELEASE, the
 * @releaseDomain watch the monitor waits on).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "pv_build.h"
#include "xl.h"
#include "xl_backend.h"

#define XL_TXN_TRIES 10		/* a transaction that keeps hitting EAGAIN */

static int bc_create(void *priv, const uint8_t uuid[16], unsigned int max_vcpus, uint32_t *domid)
{
	struct xl_backend *be = priv;
	/* What libxl 4.17 asks for a PV guest with the default settings:
	 * 1023 event channels, the hypervisor's default grant and maptrack
	 * frames, grant tables up to version 2. */
	struct xen_domctl_createdomain c = {
		.max_vcpus = max_vcpus, .max_evtchn_port = 1023,
		.max_grant_frames = -1, .max_maptrack_frames = -1,
		.grant_opts = XEN_DOMCTL_GRANT_version(2),
	};

	memcpy(c.handle, uuid, sizeof(c.handle));
	*domid = 0;
	return xc_domain_create(be->xch, domid, &c) ? xl_neg_errno() : 0;
}

static int bc_max_vcpus(void *priv, uint32_t domid, unsigned int n)
{
	return xc_domain_max_vcpus(((struct xl_backend *)priv)->xch, domid, n) ? xl_neg_errno() : 0;
}

static int bc_setmaxmem(void *priv, uint32_t domid, uint64_t kb)
{
	return xc_domain_setmaxmem(((struct xl_backend *)priv)->xch, domid, kb) ? xl_neg_errno() : 0;
}

/* The guest's end of a channel whose other end is remote's (Dom0). */
static int bc_alloc_unbound(void *priv, uint32_t domid, uint32_t remote, uint32_t *port)
{
	struct xl_backend *be = priv;
	xc_evtchn_port_or_error_t p = xc_evtchn_alloc_unbound(be->xch, domid, remote);

	if (p < 0)
		return xl_neg_errno();
	*port = (uint32_t)p;
	return 0;
}

static int bc_build(void *priv, uint32_t domid, struct xl_build *b, char *err, size_t errlen)
{
	struct xl_backend *be = priv;
	struct pv_build_args a = {
		.kernel = b->kernel, .ramdisk = b->ramdisk, .cmdline = b->cmdline,
		.mem_kb = b->mem_kb, .console_port = b->console_port,
		.store_port = b->store_port, .console_domid = 0, .store_domid = 0,
	};
	struct pv_build_result r = { 0 };

	if (pv_build(be->xch, domid, &a, &r, err, errlen))
		return xl_neg_errno();
	b->console_mfn = r.console_mfn;
	b->store_mfn = r.store_mfn;
	return 0;
}

/* All the nodes, each with its permissions, a window of requests at a
 * time (xs_write_nodes): one round trip each made this transaction most
 * of the builder's time on a busy Dom0. */
static int write_nodes(struct xs_handle *xs, xs_transaction_t t,
		       const struct xl_xsnode *nodes, unsigned int n)
{
	struct xs_node_write *w = calloc(n ? n : 1, sizeof(*w));
	struct xs_permissions (*p)[2] = calloc(n ? n : 1, sizeof(*p));
	int rc = 0;

	if (!w || !p) {
		rc = -ENOMEM;
		goto out;
	}
	for (unsigned int i = 0; i < n; i++) {
		const struct xl_xsnode *x = &nodes[i];

		for (unsigned int j = 0; j < x->n_perms && j < 2; j++) {
			p[i][j].id = x->perms[j].id;
			p[i][j].perms = x->perms[j].perm == 'r' ? XS_PERM_READ :
					x->perms[j].perm == 'w' ? XS_PERM_WRITE :
					x->perms[j].perm == 'b' ? (XS_PERM_READ | XS_PERM_WRITE) :
					XS_PERM_NONE;
		}
		w[i] = (struct xs_node_write){
			.path = x->path, .value = x->value, .len = (unsigned int)strlen(x->value),
			.perms = p[i], .num_perms = x->n_perms < 2 ? x->n_perms : 2,
		};
	}
	if (!xs_write_nodes(xs, t, w, n))
		rc = xl_neg_errno();
out:
	free(w);
	free(p);
	return rc;
}

static int bc_xs_nodes(void *priv, const struct xl_xsnode *nodes, unsigned int n)
{
	struct xl_backend *be = priv;

	for (int tries = 0; tries < XL_TXN_TRIES; tries++) {
		xs_transaction_t t = xs_transaction_start(be->xs);
		int rc;

		if (t == XBT_NULL)
			return xl_neg_errno();
		rc = write_nodes(be->xs, t, nodes, n);
		if (rc < 0) {
			xs_transaction_end(be->xs, t, true);
			return rc;
		}
		if (xs_transaction_end(be->xs, t, false))
			return 0;
		if (errno != EAGAIN)
			return xl_neg_errno();
	}
	return -EAGAIN;
}

static int bc_introduce(void *priv, uint32_t domid, uint64_t mfn, uint32_t port)
{
	struct xl_backend *be = priv;

	return xs_introduce_domain(be->xs, domid, (unsigned long)mfn, port) ? 0 : xl_neg_errno();
}

static int bc_release(void *priv, uint32_t domid)
{
	struct xl_backend *be = priv;

	return xs_release_domain(be->xs, domid) ? 0 : xl_neg_errno();
}

static int bc_watch_release(void *priv)
{
	struct xl_backend *be = priv;

	if (!be->watching && !xs_watch(be->xs, "@releaseDomain", "xl-monitor"))
		return xl_neg_errno();
	be->watching = true;
	return 0;
}

/* 1 when @releaseDomain fired (every queued event is consumed), 0 when
 * timeout_ms passed first. */
static int bc_wait_release(void *priv, int timeout_ms)
{
	struct xl_backend *be = priv;
	struct pollfd p = { .fd = xs_fileno(be->xs), .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : xl_neg_errno();
	if (n == 0)
		return 0;
	do {
		unsigned int num;
		char **ev = xs_read_watch(be->xs, &num);

		if (!ev)
			return xl_neg_errno();
		free(ev);
		p.revents = 0;
	} while (poll(&p, 1, 0) > 0);
	return 1;
}

/*
 * The monitor's fork: the child leaves the terminal's session, writes to
 * the log file (Xen's /var/log/xen/xl-NAME.log) and gets a xenstore
 * connection of its own (a reply on the parent's could reach either
 * process).
 */
static int bc_fork_monitor(void *priv, const char *logfile)
{
	struct xl_backend *be = priv;
	pid_t pid;
	int fd;

	pid = fork();
	if (pid != 0)
		return pid < 0 ? xl_neg_errno() : (int)pid;
	setsid();
	mkdir("/var/log/xen", 0755);
	fd = open(logfile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	xs_close(be->xs);
	be->watching = false;
	be->xs = xs_open(XS_OPEN_SOCKETONLY);
	if (!be->xs) {
		fprintf(stderr, "xl: monitor: cannot connect to xenstore: %s\n", strerror(errno));
		_exit(1);
	}
	return 0;
}

static int bc_exec_console(void *priv, uint32_t domid)
{
	char self[4096], id[16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	(void)priv;
	if (n <= 0)
		snprintf(self, sizeof(self), "/usr/sbin/xl");
	else
		self[n] = '\0';
	snprintf(id, sizeof(id), "%u", domid);
	fflush(NULL);
	execl(self, "xl", "console", id, (char *)NULL);
	return xl_neg_errno();
}

static void bc_sleep_ms(void *priv, int ms)
{
	struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	(void)priv;
	nanosleep(&t, NULL);
}

const struct xl_create_ops xl_real_create_ops = {
	.create = bc_create, .max_vcpus = bc_max_vcpus, .setmaxmem = bc_setmaxmem,
	.alloc_unbound = bc_alloc_unbound, .build = bc_build, .xs_nodes = bc_xs_nodes,
	.introduce = bc_introduce, .release = bc_release,
	.watch_release = bc_watch_release, .wait_release = bc_wait_release,
	.fork_monitor = bc_fork_monitor, .exec_console = bc_exec_console,
	.sleep_ms = bc_sleep_ms,
};
