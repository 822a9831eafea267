/*
 * xenstore_bench.c - xenstored throughput over its Unix socket.
 *
 *   xenstore_bench [path/to/xenstored]
 *
 * Starts its own xenstored (--no-domain-init) on a temporary socket and
 * prints: read and write requests per second from 1 and 16 concurrent
 * clients, resident memory per node, and the time to commit one
 * transaction that writes 10,000 nodes.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "xenstore.h"

#define OPS_PER_CLIENT 20000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int client_loop(int id, bool write)
{
	struct xs_handle *h = xs_open(XS_OPEN_SOCKETONLY);
	char path[64];

	if (!h)
		return 1;
	snprintf(path, sizeof(path), "/bench/c%d", id);
	xs_write(h, XBT_NULL, path, "0", 1);
	for (int i = 0; i < OPS_PER_CLIENT; i++) {
		if (write) {
			if (!xs_write(h, XBT_NULL, path, "value", 5))
				return 1;
		} else {
			char *v = xs_read(h, XBT_NULL, path, NULL);

			if (!v)
				return 1;
			free(v);
		}
	}
	xs_close(h);
	return 0;
}

/* Requests per second with n clients in parallel processes. */
static double rate(int n, bool write)
{
	double t0 = now();
	int bad = 0;

	for (int i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0)
			_exit(client_loop(i, write));
	}
	for (int i = 0; i < n; i++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	}
	if (bad)
		fprintf(stderr, "xenstore_bench: %d clients failed\n", bad);
	return n * (double)OPS_PER_CLIENT / (now() - t0);
}

static long rss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

static bool fill(struct xs_handle *h, xs_transaction_t t, const char *dir,
		 int n)
{
	char path[64];

	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/node%d", dir, i);
		if (!xs_write(h, t, path, "some-value", 10))
			return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	const char *daemon = argc > 1 ? argv[1] : "build/bin/xenstored";
	char dir[] = "/tmp/xsbenchXXXXXX", sock[64];
	struct xs_handle *h = NULL;
	xs_transaction_t t;
	pid_t pid;
	long before, after;
	double t0, t1;
	int rc = 1;

	if (!mkdtemp(dir))
		return 1;
	snprintf(sock, sizeof(sock), "%s/socket", dir);
	setenv("XENSTORED_PATH", sock, 1);
	pid = fork();
	if (pid == 0) {
		execl(daemon, "xenstored", "--no-fork", "--no-domain-init",
		      "--socket", sock, (char *)NULL);
		fprintf(stderr, "xenstore_bench: cannot run %s: %s\n", daemon,
			strerror(errno));
		_exit(127);
	}
	for (int i = 0; i < 100 && !h; i++) {
		usleep(20000);
		h = xs_open(XS_OPEN_SOCKETONLY);
	}
	if (!h) {
		fprintf(stderr, "xenstore_bench: xenstored did not start\n");
		goto out;
	}
	printf("read   1 client : %8.0f req/s\n", rate(1, false));
	printf("read  16 clients: %8.0f req/s\n", rate(16, false));
	printf("write  1 client : %8.0f req/s\n", rate(1, true));
	printf("write 16 clients: %8.0f req/s\n", rate(16, true));

	before = rss_kib(pid);
	t = xs_transaction_start(h);
	if (!fill(h, t, "/mem", 100000) || !xs_transaction_end(h, t, false))
		goto out;
	after = rss_kib(pid);
	printf("memory per node : %8.0f bytes (RSS growth over 100000 nodes)\n",
	       (after - before) * 1024.0 / 100000);

	t = xs_transaction_start(h);
	if (!fill(h, t, "/txn", 10000))
		goto out;
	t0 = now();
	if (!xs_transaction_end(h, t, false))
		goto out;
	t1 = now();
	printf("commit of a 10000-node transaction: %.1f ms\n",
	       (t1 - t0) * 1000);
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "xenstore_bench: failed: %s\n", strerror(errno));
	xs_close(h);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	rmdir(dir);
	return rc;
}
