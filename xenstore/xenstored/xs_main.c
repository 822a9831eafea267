/*
 * xs_main.c - xenstored: options, startup, and the poll loop that moves
 * bytes between the transports and the core (xsd.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "xs_dom0.h"
#include "xs_socket.h"

#define XSD_DEFAULT_SOCKET "/run/xenstored/socket"

struct xsd_opts {
	const char *socket_path;
	const char *pid_file;
	bool no_fork;
	bool no_domain_init;
	bool keep_orphans;
	struct xsd_quota quota;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	stop_requested = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: xenstored [OPTION]...\n"
"The xenstore daemon: serves the store to local clients over a Unix socket\n"
"and to domains over their shared store rings.\n"
"\n"
"  -s, --socket PATH        listen on PATH (default " XSD_DEFAULT_SOCKET ")\n"
"  -N, --no-fork            stay in the foreground\n"
"  -D, --no-domain-init     no hypervisor: serve socket clients only\n"
"  -F, --pid-file FILE      write the daemon's pid to FILE\n"
"  -E, --entry-nb N         nodes a domain may own (default %u)\n"
"  -S, --entry-size N       bytes in one node's value (default %u)\n"
"  -W, --watch-nb N         watches per connection (default %u)\n"
"  -t, --transaction N      open transactions per connection (default %u)\n"
"  -A, --perm-nb N          entries in one permission list (default %u)\n"
"  -Q, --quota NAME=N       outstanding=N (unsent replies before a client\n"
"                           is no longer read, default %u) or\n"
"                           watch-events=N (unsent events before they are\n"
"                           dropped, default %u) or\n"
"                           transaction-nodes=N (distinct nodes one\n"
"                           transaction may touch, default %u; 0 = no limit) or\n"
"                           transaction-memory=N (bytes one transaction may\n"
"                           hold, default %u; 0 = no limit)\n"
"  -K, --keep-orphans       a released or dead domain's nodes go to Dom0\n"
"                           instead of being removed\n"
"  -V, --verbose            log more (repeat for debug)\n"
"  -h, --help               show this help and exit\n"
"\n"
"Quotas apply to unprivileged domains; Dom0 and socket clients are exempt.\n",
		XSD_QUOTA_DEFAULTS_E, XSD_QUOTA_DEFAULTS_S, XSD_QUOTA_DEFAULTS_W,
		XSD_QUOTA_DEFAULTS_T, XSD_QUOTA_DEFAULTS_A,
		XSD_QUOTA_DEFAULTS_O, XSD_QUOTA_DEFAULTS_V,
		XSD_QUOTA_DEFAULTS_N, XSD_QUOTA_DEFAULTS_M);
}

static int parse_uint(const char *opt, const char *s, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || !*s || s[0] == '-' || v > 1000000000ul) {
		fprintf(stderr, "xenstored: %s: invalid number '%s'\n", opt, s);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_quota(const char *s, struct xsd_quota *q)
{
	if (!strncmp(s, "outstanding=", 12))
		return parse_uint("--quota outstanding", s + 12, &q->outstanding);
	if (!strncmp(s, "watch-events=", 13))
		return parse_uint("--quota watch-events", s + 13,
				  &q->watch_events);
	if (!strncmp(s, "transaction-nodes=", 18))
		return parse_uint("--quota transaction-nodes", s + 18,
				  &q->txn_nodes);
	if (!strncmp(s, "transaction-memory=", 19))
		return parse_uint("--quota transaction-memory", s + 19,
				  &q->txn_memory);
	fprintf(stderr, "xenstored: --quota: unknown quota '%s' (outstanding=N, watch-events=N, transaction-nodes=N or transaction-memory=N)\n", s);
	return -1;
}

/* Returns 0 to run, 1 to exit successfully (help), -1 on a bad option. */
static int parse_args(int argc, char **argv, struct xsd_opts *o)
{
	static const struct option longs[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "no-fork", no_argument, NULL, 'N' },
		{ "no-domain-init", no_argument, NULL, 'D' },
		{ "pid-file", required_argument, NULL, 'F' },
		{ "entry-nb", required_argument, NULL, 'E' },
		{ "entry-size", required_argument, NULL, 'S' },
		{ "watch-nb", required_argument, NULL, 'W' },
		{ "transaction", required_argument, NULL, 't' },
		{ "perm-nb", required_argument, NULL, 'A' },
		{ "quota", required_argument, NULL, 'Q' },
		{ "keep-orphans", no_argument, NULL, 'K' },
		{ "verbose", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc = 0;

	while (!rc && (c = getopt_long(argc, argv, "s:NDF:E:S:W:t:A:Q:KVh",
				       longs, NULL)) != -1) {
		switch (c) {
		case 's': o->socket_path = optarg; break;
		case 'N': o->no_fork = true; break;
		case 'D': o->no_domain_init = true; break;
		case 'F': o->pid_file = optarg; break;
		case 'E': rc = parse_uint("--entry-nb", optarg, &o->quota.entries); break;
		case 'S': rc = parse_uint("--entry-size", optarg, &o->quota.entry_size); break;
		case 'W': rc = parse_uint("--watch-nb", optarg, &o->quota.watches); break;
		case 't': rc = parse_uint("--transaction", optarg, &o->quota.transactions); break;
		case 'A': rc = parse_uint("--perm-nb", optarg, &o->quota.perms); break;
		case 'Q': rc = parse_quota(optarg, &o->quota); break;
		case 'K': o->keep_orphans = true; break;
		case 'V': xsd_log_level++; break;
		case 'h': usage(stdout); return 1;
		default:
			fprintf(stderr, "Try 'xenstored --help'.\n");
			return -1;
		}
	}
	if (!rc && optind < argc) {
		fprintf(stderr, "xenstored: unexpected argument '%s'\nTry 'xenstored --help'.\n",
			argv[optind]);
		rc = -1;
	}
	if (!rc && o->quota.outstanding == 0) {
		fprintf(stderr, "xenstored: --quota outstanding must be at least 1\n");
		rc = -1;
	}
	return rc;
}

static void daemonize(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0) {
		fprintf(stderr, "xenstored: fork: %s\n", strerror(errno));
		exit(1);
	}
	if (pid > 0)
		_exit(0);	/* the socket is already listening */
	setsid();
	if (chdir("/"))
		xsd_log(1, "chdir /: %s", strerror(errno));
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		if (fd > 2)
			close(fd);
	}
}

static int write_pid_file(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "xenstored: cannot write pid file %s: %s\n",
			path, strerror(errno));
		return -1;
	}
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
	return 0;
}

/*
 * One round: poll the listener, the event channel and every socket
 * connection; move input into the core; flush output everywhere (a
 * request on one connection may queue watch events on any other); reap
 * connections that died.
 */
static void serve_round(struct xsd *xsd, int listen_fd)
{
	size_t n = 0, cap = 2;
	struct pollfd *pfd;
	struct xsd_conn **who;
	int efd = xsd_dom0_fd(xsd);

	for (struct xsd_conn *c = xsd->conns; c; c = c->next)
		cap++;
	pfd = calloc(cap, sizeof(*pfd));
	who = calloc(cap, sizeof(*who));
	if (!pfd || !who)
		goto out;
	pfd[n++] = (struct pollfd){ .fd = listen_fd, .events = POLLIN };
	pfd[n++] = (struct pollfd){ .fd = efd, .events = POLLIN };
	for (struct xsd_conn *c = xsd->conns; c; c = c->next) {
		if (c->fd < 0)
			continue;
		who[n] = c;
		pfd[n].fd = c->fd;
		pfd[n].events = (xsd_conn_wants_input(c) ? POLLIN : 0) |
				(c->out_head ? POLLOUT : 0);
		n++;
	}
	if (poll(pfd, n, -1) < 0)
		goto out;
	if (pfd[0].revents & POLLIN)
		xsd_socket_accept(xsd, listen_fd);
	if (efd >= 0 && (pfd[1].revents & POLLIN))
		xsd_dom0_event(xsd);
	for (size_t i = 2; i < n; i++) {
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
			xsd_conn_input(who[i]);
	}
	for (struct xsd_conn *c = xsd->conns; c; c = c->next)
		xsd_conn_flush(c);
	/* Rings raise no new event for input that waited on output (its
	 * own replies, or the events it caused at others): look again now
	 * that every queue has drained what it could. */
	for (struct xsd_conn *c = xsd->conns; c; c = c->next) {
		if (c->fd < 0 && xsd_conn_wants_input(c)) {
			xsd_conn_input(c);
			xsd_conn_flush(c);
		}
	}
	xsd_reap_dead(xsd);
out:
	free(pfd);
	free(who);
}

int main(int argc, char **argv)
{
	struct xsd_opts o = {
		.socket_path = XSD_DEFAULT_SOCKET,
		.quota = XSD_QUOTA_DEFAULTS,
	};
	struct sigaction sa = { .sa_handler = on_signal };
	struct xsd *xsd = NULL;
	int listen_fd = -1, rc = 1, r;

	r = parse_args(argc, argv, &o);
	if (r)
		return r > 0 ? 0 : 2;
	xsd = xsd_create(&o.quota);
	if (!xsd) {
		fprintf(stderr, "xenstored: out of memory\n");
		goto out;
	}
	xsd->keep_orphans = o.keep_orphans;
	if (!o.no_domain_init && xsd_dom0_init(xsd))
		goto out;
	listen_fd = xsd_socket_listen(o.socket_path);
	if (listen_fd < 0)
		goto out;
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (!o.no_fork)
		daemonize();
	if (o.pid_file && write_pid_file(o.pid_file))
		goto out;
	xsd_log(1, "serving %s%s", o.socket_path,
		o.no_domain_init ? " (no domains)" : "");
	while (!stop_requested)
		serve_round(xsd, listen_fd);
	rc = 0;
out:
	if (listen_fd >= 0) {
		close(listen_fd);
		unlink(o.socket_path);
	}
	if (xsd)
		xsd_dom0_fini(xsd);
	xsd_destroy(xsd);
	return rc;
}
