/*
 * xs_socket.c - local clients over a Unix stream socket.  Like Xen, a
 * socket client is trusted as Dom0: reaching the socket needs root on
 * Dom0 already (the socket is 0600 from birth, and its directory is 0700
 * when we create it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "xs_socket.h"

static ssize_t sock_recv(struct xsd_conn *conn, void *buf, size_t len)
{
	ssize_t r = recv(conn->fd, buf, len, MSG_DONTWAIT);

	if (r > 0)
		return r;
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		      errno == EINTR))
		return 0;
	return -1;	/* orderly close (0) or a real error */
}

static ssize_t sock_send(struct xsd_conn *conn, const void *buf, size_t len)
{
	ssize_t r = send(conn->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (r >= 0)
		return r;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return 0;
	return -1;
}

static void sock_destroy(struct xsd_conn *conn)
{
	close(conn->fd);
}

static const struct xsd_conn_ops sock_ops = {
	.recv = sock_recv,
	.send = sock_send,
	.destroy = sock_destroy,
};

/* mkdir -p for the socket's directory.  The directories above it may
 * be shared (/run), so only the socket's own is made private. */
static int make_parent_dirs(const char *path)
{
	char buf[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(buf, strchr(p + 1, '/') ? 0755 : 0700) &&
		    errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

/* The socket is born 0600 (bind() applies the umask): a chmod() after
 * bind() would leave a moment in which anyone could connect as Dom0. */
static int bind_private(int fd, const struct sockaddr_un *sa)
{
	mode_t old = umask(0177);
	int rc = bind(fd, (const struct sockaddr *)sa, sizeof(*sa));

	umask(old);
	return rc;
}

int xsd_socket_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = -1;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "xenstored: socket path %s is too long (max %zu bytes)\n",
			path, sizeof(sa.sun_path) - 1);
		return -1;
	}
	strcpy(sa.sun_path, path);
	if (make_parent_dirs(path)) {
		fprintf(stderr, "xenstored: cannot create the directory of %s: %s\n",
			path, strerror(errno));
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	unlink(path);	/* a stale socket from a previous run */
	if (bind_private(fd, &sa) || listen(fd, 64))
		goto fail;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
fail:
	fprintf(stderr, "xenstored: cannot listen on %s: %s\n", path,
		strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

void xsd_socket_accept(struct xsd *xsd, int listen_fd)
{
	const struct xsd_who dom0 = { .domid = 0, .priv = true, .target = -1 };

	/* Bounded: a burst of clients cannot starve the others. */
	for (int i = 0; i < 64; i++) {
		int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC |
				 SOCK_NONBLOCK);

		if (fd < 0)
			return;
		if (!xsd_conn_new(xsd, &sock_ops, NULL, fd, &dom0)) {
			xsd_log(0, "out of memory: refusing a local client");
			close(fd);
		}
	}
}
