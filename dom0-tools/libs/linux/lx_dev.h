/*
 * lx_dev.h - the device layer of the Dom0 tools: every open, ioctl,
 * mmap, read and write of a Xen device goes through one small table of
 * operations, so that a host test can replace the devices with a fake
 * (tests/unit/dom0-tools/libs/ctrl/xenctrl_test.c) and see exactly what a library asks of
 * the kernel.
 *
 * Error convention (docs/style.md §3, dom0-tools/README.md): every
 * function here returns a value >= 0 on success or a negative errno; the
 * real implementation turns the system's -1/errno into that at once, and
 * nothing inside the libraries looks at errno afterwards. Only the
 * Xen-compatible surfaces (xc_*, xenevtchn_*, xengnttab_*) translate back
 * to -1 and errno, as Xen's libraries do.
 */
#ifndef LX_DEV_H
#define LX_DEV_H

#include <stddef.h>
#include <sys/types.h>

struct lx_ops {
	int (*open)(const char *path, int flags);	/* fd or -errno */
	int (*close)(int fd);				/* 0 or -errno */
	long (*ioctl)(int fd, unsigned long req, void *arg);	/* >= 0 or -errno */
	/* *out = the mapping; 0 or -errno */
	int (*mmap)(void **out, size_t len, int prot, int flags, int fd, off_t off);
	int (*munmap)(void *addr, size_t len);		/* 0 or -errno */
	ssize_t (*read)(int fd, void *buf, size_t len);	/* bytes or -errno */
	ssize_t (*write)(int fd, const void *buf, size_t len);	/* bytes or -errno */
};

/* The operations in force (the system's until lx_set_ops). */
extern const struct lx_ops *lx;

/* Replace the operations (NULL: back to the system's); for tests. */
void lx_set_ops(const struct lx_ops *ops);

/* The system's operations, for a fake that forwards some calls. */
extern const struct lx_ops lx_sys_ops;

/* Open a device read-write and close-on-exec: fd or -errno. */
int lx_open_dev(const char *path);

#endif /* LX_DEV_H */
