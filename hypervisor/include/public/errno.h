/*
 * public/errno.h - error numbers returned by hypercalls.
 *
 * A failing hypercall returns the negative of one of these.  They are Xen's
 * own numbering, which is the same as Linux's for every value listed here,
 * so a Linux guest may compare against its own -E* constants.  The
 * hypervisor never returns a number that is not in this list.
 */
#ifndef PUBLIC_ERRNO_H
#define PUBLIC_ERRNO_H

#define XEN_EPERM            1   /* operation not permitted */
#define XEN_ENOENT           2   /* no such entry */
#define XEN_ESRCH            3   /* no such domain */
#define XEN_EINTR            4
#define XEN_EIO              5
#define XEN_ENXIO            6   /* no such device or address */
#define XEN_E2BIG            7   /* argument list too long */
#define XEN_ENOEXEC          8
#define XEN_EBADF            9
#define XEN_ECHILD          10
#define XEN_EAGAIN          11   /* try again */
#define XEN_EWOULDBLOCK     XEN_EAGAIN
#define XEN_ENOMEM          12   /* out of memory */
#define XEN_EACCES          13   /* permission denied */
#define XEN_EFAULT          14   /* bad guest address */
#define XEN_EBUSY           16   /* resource busy */
#define XEN_EEXIST          17   /* already exists / already bound */
#define XEN_EXDEV           18
#define XEN_ENODEV          19   /* no such device */
#define XEN_ENOTDIR         20
#define XEN_EISDIR          21
#define XEN_EINVAL          22   /* invalid argument */
#define XEN_ENFILE          23
#define XEN_EMFILE          24
#define XEN_ENOSPC          28   /* no space (e.g. no free port) */
#define XEN_EROFS           30
#define XEN_EMLINK          31
#define XEN_EDOM            33   /* argument out of domain */
#define XEN_ERANGE          34   /* result out of range */
#define XEN_EDEADLK         35
#define XEN_EDEADLOCK       XEN_EDEADLK
#define XEN_ENAMETOOLONG    36
#define XEN_ENOLCK          37
#define XEN_ENOSYS          38   /* hypercall or sub-op not implemented */
#define XEN_ENOTEMPTY       39
#define XEN_ENODATA         61
#define XEN_ETIME           62
#define XEN_EBADMSG         74
#define XEN_EOVERFLOW       75
#define XEN_EILSEQ          84
#define XEN_ERESTART        85   /* internal: continuation; never seen by guests */
#define XEN_ENOTSOCK        88
#define XEN_EMSGSIZE        90
#define XEN_EOPNOTSUPP      95   /* operation not supported */
#define XEN_EADDRINUSE      98
#define XEN_EADDRNOTAVAIL   99
#define XEN_ENOBUFS        105
#define XEN_EISCONN        106
#define XEN_ENOTCONN       107
#define XEN_ETIMEDOUT      110
#define XEN_ECONNREFUSED   111

#endif /* PUBLIC_ERRNO_H */
