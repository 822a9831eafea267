/*
 * xenstore_ring.c - round-trip time of one xenstore request in Dom0.
 *
 *   xenstore-ring [-n N] [-s SOCKET | -p] [PATH]
 *
 * Sends N XS_READ requests for PATH (default /local/domain/0/name), one
 * at a time, and prints the distribution of the time from writing the
 * request to having read its reply.  By default the requests go to
 * /dev/xen/xenbus, Linux's xenbus_dev frontend: the kernel forwards each
 * one over its own store ring (the page behind /proc/xen/xsd_kva) and
 * kicks the store event channel; xenstored answers on the same ring and
 * kicks back.  So one round trip is two event-channel notifications, two
 * wake-ups and xenstored's own work.  With -s the same requests go over
 * xenstored's Unix socket instead, for comparison (no ring, no
 * hypervisor).  With -p, no store at all: a one-byte ping-pong between
 * two processes over pipes, the floor any request/reply between two
 * processes pays here (two wake-ups).  Output, one line, for scripts:
 *
 *   xenstore-ring: via xenbus N n min_us A median_us B mean_us C p99_us D max_us E
 *
 * Built statically for the Dom0 initramfs (bench/xenstore-ring.sh).
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "xs_wire.h"

#define XENBUS_DEV "/dev/xen/xenbus"

static int open_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t r = read(fd, p, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= r;
	}
	return 0;
}

/* One request and its reply; 0 if the reply is an XS_READ answer. */
static int round_trip(int fd, const char *msg, size_t len, uint32_t req_id)
{
	struct xsd_sockmsg *h = (struct xsd_sockmsg *)msg, rh;
	char body[XENSTORE_PAYLOAD_MAX];

	h->req_id = req_id;
	/* One write: the xenbus device takes a message in pieces too, but
	 * a socket client would pay for two system calls. */
	if (write(fd, msg, len) != (ssize_t)len)
		return -1;
	if (read_full(fd, &rh, sizeof(rh)) || rh.len > sizeof(body) ||
	    read_full(fd, body, rh.len))
		return -1;
	if (rh.type != XS_READ || rh.req_id != req_id) {
		fprintf(stderr, "xenstore-ring: reply type %u req_id %u: %.*s\n",
			rh.type, rh.req_id, (int)rh.len, body);
		return -1;
	}
	return 0;
}

/* -p: the child echoes each byte back; a round trip is one byte each way. */
static int pipe_pair(int *to_child, int *from_child)
{
	int a[2], b[2];
	pid_t pid;
	char c;

	if (pipe(a) || pipe(b))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(a[1]);
		close(b[0]);
		while (read(a[0], &c, 1) == 1 && write(b[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(a[0]);
	close(b[1]);
	*to_child = a[1];
	*from_child = b[0];
	return 0;
}

static int pipe_round_trip(int to, int from)
{
	char c = 'x';

	return write(to, &c, 1) == 1 && read(from, &c, 1) == 1 ? 0 : -1;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *sock = NULL, *path = "/local/domain/0/name";
	char msg[sizeof(struct xsd_sockmsg) + XENSTORE_ABS_PATH_MAX + 1];
	struct xsd_sockmsg *h = (struct xsd_sockmsg *)msg;
	long n = 1000, warm = 20;
	double *t, sum = 0;
	bool pipes = false;
	int c, fd, to = -1;
	const char *via;

	while ((c = getopt(argc, argv, "n:s:ph")) != -1) {
		switch (c) {
		case 'n': n = strtol(optarg, NULL, 10); break;
		case 's': sock = optarg; break;
		case 'p': pipes = true; break;
		default:
			fprintf(stderr, "usage: xenstore-ring [-n N] [-s SOCKET | -p] [PATH]\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind < argc)
		path = argv[optind];
	if (n < 1 || strlen(path) > XENSTORE_ABS_PATH_MAX) {
		fprintf(stderr, "xenstore-ring: bad count or path\n");
		return 2;
	}
	via = pipes ? "pipes" : sock ? "socket" : "xenbus";
	if (pipes) {
		if (pipe_pair(&to, &fd))
			fd = -1;
	} else
		fd = sock ? open_socket(sock) : open(XENBUS_DEV, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "xenstore-ring: cannot open %s: %s\n",
			sock ? sock : XENBUS_DEV, strerror(errno));
		return 1;
	}
	*h = (struct xsd_sockmsg){ .type = XS_READ, .len = strlen(path) + 1 };
	memcpy(msg + sizeof(*h), path, h->len);
	t = calloc(n, sizeof(*t));
	if (!t)
		return 1;
	for (long i = 0; i < warm + n; i++) {
		double t0 = now_us();

		if (pipes ? pipe_round_trip(to, fd) :
		    round_trip(fd, msg, sizeof(*h) + h->len, i + 1)) {
			fprintf(stderr, "xenstore-ring: request %ld failed\n", i);
			return 1;
		}
		if (i >= warm)
			t[i - warm] = now_us() - t0;
	}
	for (long i = 0; i < n; i++)
		sum += t[i];
	qsort(t, n, sizeof(*t), cmp_double);
	printf("xenstore-ring: via %s n %ld min_us %.0f median_us %.0f mean_us %.0f p99_us %.0f max_us %.0f\n",
	       via, n, t[0], t[n / 2], sum / n,
	       t[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1], t[n - 1]);
	free(t);
	close(fd);
	if (pipes) {
		close(to);	/* the child sees EOF and exits */
		wait(NULL);
	}
	return 0;
}
