/*
 * lx_dev.c - the system's device operations (see lx_dev.h): each is the
 * system call, with -1/errno turned into -errno on the spot and EINTR
 * retried where a call can be interrupted before doing anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "lx_dev.h"

static int sys_open(const char *path, int flags)
{
	int fd = open(path, flags);

	return fd < 0 ? -errno : fd;
}

static int sys_close(int fd)
{
	return close(fd) ? -errno : 0;
}

static long sys_ioctl(int fd, unsigned long req, void *arg)
{
	long r;

	do
		r = ioctl(fd, req, arg);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

static int sys_mmap(void **out, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p = mmap(NULL, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		return -errno;
	*out = p;
	return 0;
}

static int sys_munmap(void *addr, size_t len)
{
	return munmap(addr, len) ? -errno : 0;
}

static ssize_t sys_read(int fd, void *buf, size_t len)
{
	ssize_t r;

	do
		r = read(fd, buf, len);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

static ssize_t sys_write(int fd, const void *buf, size_t len)
{
	ssize_t r;

	do
		r = write(fd, buf, len);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

const struct lx_ops lx_sys_ops = {
	.open = sys_open,
	.close = sys_close,
	.ioctl = sys_ioctl,
	.mmap = sys_mmap,
	.munmap = sys_munmap,
	.read = sys_read,
	.write = sys_write,
};

const struct lx_ops *lx = &lx_sys_ops;

void lx_set_ops(const struct lx_ops *ops)
{
	lx = ops ? ops : &lx_sys_ops;
}

int lx_open_dev(const char *path)
{
	return lx->open(path, O_RDWR | O_CLOEXEC);
}
