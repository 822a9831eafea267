/*
 * main.c - xenconsoled: options (Xen 4.17's), daemonizing, the pid file
 * and the event loop. Everything about consoles is in the core (cons.h);
 * this file waits on the event channel device, xenstore's watch
 * descriptor and the ptys, and calls the core when one of them is ready
 * or a rate-limited domain is due again.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cons_hv.h"
#include "cons_sys.h"
#include "d0_log.h"

#define WHO "xenconsoled"

static volatile sig_atomic_t quit, reopen;
static struct cons_hvlog hvlog = { .fd = -1 };
static xenevtchn_port_or_error_t hv_port = -1;	/* VIRQ_CON_RING, when bound */

/* With the hypervisor's log but no VIRQ_CON_RING: the ring is read at
 * least this often (ms). */
#define HV_POLL_MS 1000

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reopen = 1;
	else
		quit = 1;
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f, "Usage: %s [-h] [-V] [-v] [-i] [--log=none|guest|hv|all] [--log-dir=DIR] [--pid-file=PATH] [-t, --timestamp=none|guest|hv|all] [-o, --overflow-data=discard|keep]\n"
		"  -i, --interactive  stay in the foreground\n"
		"  -v, --verbose      log more (on stderr)\n"
		"  --log=WHICH        which logs to write (default none); guest logs are DIR/guest-NAME.log\n"
		"  --log-dir=DIR      where logs go (default " CONS_LOG_DIR_DEFAULT ")\n"
		"  --pid-file=PATH    write the daemon's pid to PATH\n"
		"  -t, --timestamp=WHICH  prefix each line of those logs with [YYYY-MM-DD HH:MM:SS]\n"
		"  -o, --overflow-data=discard|keep  when a pty's buffer is full, drop the oldest output (default) or stop reading the guest\n",
		prog);
}

static int which(const char *s, enum cons_which *out)
{
	static const char *const names[] = { "none", "guest", "hv", "all" };
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*out = (enum cons_which)i;
			return 0;
		}
	return -EINVAL;
}

/* mkdir -p: 0 or -errno. */
static int make_dirs(const char *dir)
{
	char p[256];
	size_t i;

	snprintf(p, sizeof(p), "%s", dir);
	for (i = 1; p[i]; i++)
		if (p[i] == '/') {
			p[i] = '\0';
			if (mkdir(p, 0755) && errno != EEXIST)
				return -errno;
			p[i] = '/';
		}
	return mkdir(p, 0755) && errno != EEXIST ? -errno : 0;
}

static int write_pid(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f)) {
		d0_log(D0_LOG_ERR, WHO, "cannot write the pid file %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* SIGHUP: reopen every guest log (after logrotate moved them). */
static void reopen_logs(struct cons_daemon *d)
{
	struct cons_dom *dom;
	char log[512];
	int fd;

	for (dom = d->doms; dom; dom = dom->next) {
		if (dom->state != CONS_CONNECTED || !(d->log & CONS_GUEST))
			continue;
		if (dom->log_fd >= 0)
			d->ops->close(d->ctx, dom->log_fd);
		snprintf(log, sizeof(log), "%s/guest-%s.log", d->log_dir, dom->name);
		fd = d->ops->open_log(d->ctx, log);
		dom->log_fd = fd < 0 ? -1 : fd;
		if (fd < 0)
			d0_log(D0_LOG_ERR, WHO, "dom %u: cannot open %s: %s", dom->domid, log, strerror(-fd));
	}
}

/* An event is waiting: xenevtchn_pending reads the device, which blocks
 * when there is none (as Xen's library), so ask poll first. */
static bool event_ready(struct cons_sys *s)
{
	struct pollfd p = { .fd = xenevtchn_fd(s->xce), .events = POLLIN };

	return poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

static void drain_events(struct cons_daemon *d, struct cons_sys *s)
{
	xenevtchn_port_or_error_t port;
	char **w;

	while (event_ready(s) && (port = xenevtchn_pending(s->xce)) >= 0) {
		if (port == hv_port)
			cons_hv_poll(&hvlog, s->xc, time(NULL));
		xenevtchn_unmask(s->xce, (evtchn_port_t)port);
	}
	while ((w = xs_check_watch(s->xs))) {
		cons_watch_event(d, w[XS_WATCH_PATH], w[XS_WATCH_TOKEN]);
		free(w);
	}
}

static int loop(struct cons_daemon *d, struct cons_sys *s)
{
	struct pollfd *pfd = NULL;
	struct cons_dom *dom;
	size_t n, cap = 0;
	int timeout;

	while (!quit) {
		if (reopen) {
			reopen = 0;
			reopen_logs(d);
			if (hvlog.fd >= 0)
				cons_hv_reopen(&hvlog);
		}
		drain_events(d, s);
		timeout = cons_service(d);
		if (hvlog.fd >= 0 && hv_port < 0) {
			cons_hv_poll(&hvlog, s->xc, time(NULL));
			if (timeout < 0 || timeout > HV_POLL_MS)
				timeout = HV_POLL_MS;
		}
		for (n = 2, dom = d->doms; dom; dom = dom->next)
			n++;
		if (n > cap) {
			free(pfd);
			cap = n * 2;
			pfd = calloc(cap, sizeof(*pfd));
			if (!pfd)
				return -ENOMEM;
		}
		pfd[0] = (struct pollfd){ .fd = xenevtchn_fd(s->xce), .events = POLLIN };
		/* revents of the two stay 0 when poll is interrupted */
		pfd[1] = (struct pollfd){ .fd = xs_fileno(s->xs), .events = POLLIN };
		for (n = 2, dom = d->doms; dom; dom = dom->next) {
			if (dom->state != CONS_CONNECTED)
				continue;
			pfd[n].fd = dom->pty_fd;
			pfd[n].events = (short)((cons_ring_space(dom->intf, dom->in_prod) > 0 ? POLLIN : 0) |
						(dom->buf_len ? POLLOUT : 0));
			pfd[n++].revents = 0;
		}
		if (poll(pfd, n, timeout) < 0 && errno != EINTR) {
			d0_log(D0_LOG_ERR, WHO, "poll: %s", strerror(errno));
			free(pfd);
			return -errno;
		}
		if ((pfd[0].revents | pfd[1].revents) & (POLLHUP | POLLERR | POLLNVAL)) {
			d0_log(D0_LOG_ERR, WHO, "lost %s; exiting (restart xenconsoled once it is back)",
			       pfd[1].revents ? "the connection to xenstored" : "/dev/xen/evtchn");
			free(pfd);
			return -EPIPE;
		}
	}
	free(pfd);
	return 0;
}

/*
 * Xen 4.17's options into d: 0 to go on, 1 when done (help, version),
 * 2 after a message on stderr (a bad option or value). *interactive and
 * *pid_file are set from -i and --pid-file.
 */
static int parse_args(int argc, char **argv, struct cons_daemon *d, int *interactive,
		      const char **pid_file)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "interactive", no_argument, NULL, 'i' },
		{ "log", required_argument, NULL, 'l' },
		{ "log-dir", required_argument, NULL, 'r' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "timestamp", required_argument, NULL, 't' },
		{ "overflow-data", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "hVvit:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout, argv[0]);
			return 1;
		case 'V':
			printf("xenconsoled (Paravane), compatible with Xen 4.17\n");
			return 1;
		case 'v':
			d0_log_set_level(D0_LOG_DEBUG);
			break;
		case 'i':
			*interactive = 1;
			break;
		case 'l':
			if (which(optarg, &d->log))
				goto bad;
			break;
		case 'r':
			if (strlen(optarg) >= sizeof(d->log_dir) || optarg[0] != '/')
				goto bad;
			snprintf(d->log_dir, sizeof(d->log_dir), "%s", optarg);
			break;
		case 'p':
			*pid_file = optarg;
			break;
		case 't':
			if (which(optarg, &d->timestamp))
				goto bad;
			break;
		case 'o':
			if (strcmp(optarg, "discard") && strcmp(optarg, "keep"))
				goto bad;
			d->overflow_keep = !strcmp(optarg, "keep");
			break;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr, argv[0]);
		return 2;
	}
	return 0;
bad:
	fprintf(stderr, "%s: bad value '%s' for --%s\n", argv[0], optarg,
		c == 'l' ? "log" : c == 'r' ? "log-dir (an absolute path)" : c == 't' ? "timestamp" : "overflow-data");
	return 2;
}

int main(int argc, char **argv)
{
	struct cons_sys s = { NULL, NULL, NULL, NULL };
	struct cons_daemon d;
	const char *pid_file = NULL;
	int interactive = 0, c, rc = 1;
	struct sigaction sa;

	cons_init(&d, &cons_sys_ops, &s);
	c = parse_args(argc, argv, &d, &interactive, &pid_file);
	if (c)
		return c == 1 ? 0 : 2;
	if (d.log != CONS_NONE && (c = make_dirs(d.log_dir)) < 0) {
		d0_log(D0_LOG_ERR, WHO, "cannot create the log directory %s: %s", d.log_dir, strerror(-c));
		goto out;
	}

	if (!(s.xc = xc_interface_open(NULL, NULL, 0)) || !(s.xce = xenevtchn_open(NULL, 0)) ||
	    !(s.xs = xs_open(0))) {
		d0_log(D0_LOG_ERR, WHO, "cannot open %s: %s (run as root in Dom0, with xenstored running)",
		       !s.xc ? "/dev/xen/privcmd" : !s.xce ? "/dev/xen/evtchn" : "xenstore",
		       strerror(errno));
		goto out;
	}
	s.xgt = xengnttab_open(NULL, 0);	/* optional: foreign maps do without */
	if ((d.log & CONS_HV) && cons_hv_open(&hvlog, d.log_dir, d.timestamp & CONS_HV))
		goto out;
	if (!interactive && daemon(0, 1)) {	/* messages stay on stderr */
		d0_log(D0_LOG_ERR, WHO, "daemon: %s", strerror(errno));
		goto out;
	}
	if (pid_file && write_pid(pid_file))
		goto out;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (cons_watch_start(&d) || cons_scan(&d))
		goto out;
	if (hvlog.fd >= 0) {
		/* the hypervisor says when its ring grew, as Xen's does; a
		 * hypervisor that cannot bind it is read every second */
		hv_port = xenevtchn_bind_virq(s.xce, VIRQ_CON_RING);
		cons_hv_poll(&hvlog, s.xc, time(NULL));
	}
	rc = loop(&d, &s) ? 1 : 0;
out:
	if (hvlog.fd >= 0)
		cons_hv_poll(&hvlog, s.xc, time(NULL));	/* the last lines */
	cons_hv_close(&hvlog);
	cons_shutdown(&d);
	if (pid_file && rc == 0)
		unlink(pid_file);
	if (s.xs)
		xs_close(s.xs);
	xengnttab_close(s.xgt);
	if (s.xce)
		xenevtchn_close(s.xce);
	if (s.xc)
		xc_interface_close(s.xc);
	return rc;
}
