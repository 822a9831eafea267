/*
 * xl_console.c - `xl console [-t pv] [-n N] Domain`: attach the terminal
 * to a guest's PV console, the pty xenconsoled made and advertised in
 * xenstore (/local/domain/D/console/tty for console 0, .../device/
 * console/N/tty for the others), until Ctrl-] is typed, standard input
 * ends or the pty closes (the guest is gone). Xen 4.17's xl hands this to
 * its xenconsole program; the messages for a missing tty and a bad type
 * are that program's and xl's.
 *
 * The terminal is put in raw mode while attached (when standard input is
 * one) and restored on every way out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "xl.h"

size_t xl_console_filter(const char *buf, size_t len, bool *detach)
{
	const char *esc = memchr(buf, XL_CONSOLE_ESCAPE, len);

	*detach = esc != NULL;
	return esc ? (size_t)(esc - buf) : len;
}

/* All of len bytes to fd (a pty or the terminal): 0 or -errno. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };

			poll(&p, 1, 1000);
			continue;
		}
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* What the guest already wrote, for up to ms milliseconds. */
static void drain(int pty, int out, int ms)
{
	struct pollfd p = { .fd = pty, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	while (poll(&p, 1, ms) > 0 && (p.revents & POLLIN) && (n = read(pty, buf, sizeof(buf))) > 0)
		if (write_all(out, buf, (size_t)n) < 0)
			break;
}

/* The relay between the terminal (in, out) and the pty. */
static void relay(int pty, int in, int out)
{
	struct pollfd p[2] = { { .fd = pty, .events = POLLIN }, { .fd = in, .events = POLLIN } };
	char buf[4096];

	for (;;) {
		bool detach;
		ssize_t n;
		size_t keep;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(pty, buf, sizeof(buf));
			if (n <= 0 && !(n < 0 && (errno == EINTR || errno == EAGAIN)))
				return;		/* the console went away */
			if (n > 0 && write_all(out, buf, (size_t)n) < 0)
				return;
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(in, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;		/* end of input: detach */
			keep = xl_console_filter(buf, (size_t)n, &detach);
			if (write_all(pty, buf, keep) < 0)
				return;
			if (detach)
				break;
		}
	}
	drain(pty, out, 200);	/* the guest's answer to the last input */
}

/* The tty node of console num of domid: malloc'd path, or NULL and *rc. */
static char *tty_path(struct xl_ctx *ctx, uint32_t domid, unsigned int num, int *rc)
{
	char node[96], *val = NULL;

	if (num == 0)
		snprintf(node, sizeof(node), "/local/domain/%u/console/tty", domid);
	else
		snprintf(node, sizeof(node), "/local/domain/%u/device/console/%u/tty", domid, num);
	*rc = ctx->ops->xs_read(ctx->priv, node, &val);
	if (*rc == 0 && !val[0]) {
		*rc = -ENOENT;		/* written empty: not ready */
		free(val);
		val = NULL;
	}
	return *rc == 0 ? val : NULL;
}

int main_console(struct xl_ctx *ctx, int argc, char **argv)
{
	struct termios saved, raw;
	struct xl_dominfo d;
	unsigned int num = 0;
	bool is_tty;
	uint32_t domid;
	int c, status, rc, fd;
	char *path;

	while ((c = xl_getopt(ctx, argc, argv, "n:t:", NULL, "console", 1, &status)) != -1) {
		if (c == XL_OPT_EXIT)
			return status;
		if (c == 'n') {
			num = (unsigned int)atoi(optarg);	/* as Xen's xl */
		} else if (strcmp(optarg, "pv") && strcmp(optarg, "serial") && strcmp(optarg, "vuart")) {
			fprintf(ctx->err, "console type supported are: pv, serial, vuart\n");
			return 1;
		} else if (strcmp(optarg, "pv")) {
			fprintf(ctx->err, "xl: console: a PV domain has no %s console (only pv)\n", optarg);
			fprintf(ctx->err, "Unable to attach console\n");
			return 1;
		}
	}
	if (xl_find_domain(ctx, argv[optind], &domid))
		return 1;
	rc = xl_dominfo_of(ctx, domid, &d);
	if (rc < 0) {
		fprintf(ctx->err, "xl: console: domain %u: %s\n", domid,
			rc == -ESRCH ? "no such domain" : strerror(-rc));
		fprintf(ctx->err, "Unable to attach console\n");
		return 1;
	}
	path = tty_path(ctx, domid, num, &rc);
	if (!path) {
		fprintf(ctx->err, "xenconsole: Could not read tty from store: %s\n", strerror(-rc));
		return 2;
	}
	fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		fprintf(ctx->err, "xenconsole: Could not open tty `%s': %s\n", path, strerror(errno));
		free(path);
		return 2;
	}
	free(path);
	fflush(ctx->out);
	is_tty = tcgetattr(0, &saved) == 0;
	if (is_tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSAFLUSH, &raw);
	}
	relay(fd, 0, fileno(ctx->out));
	if (is_tty)
		tcsetattr(0, TCSAFLUSH, &saved);
	close(fd);
	return 0;
}
