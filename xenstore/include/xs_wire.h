/*
 * xs_wire.h - the xenstore wire protocol, as facts.
 *
 * Every message, on a Unix socket or on a domain's shared ring, is a
 * 16-byte header of four little-endian u32 (type, req_id, tx_id, len)
 * followed by len payload bytes.  Payloads are NUL-separated strings.
 * The numbers below are Xen's ABI; the names and text are our own.
 */
#ifndef XS_WIRE_H
#define XS_WIRE_H

#include <stdint.h>

enum xsd_sockmsg_type {
	XS_CONTROL = 0,			/* also known as XS_DEBUG */
	XS_DIRECTORY = 1,
	XS_READ = 2,
	XS_GET_PERMS = 3,
	XS_WATCH = 4,
	XS_UNWATCH = 5,
	XS_TRANSACTION_START = 6,
	XS_TRANSACTION_END = 7,
	XS_INTRODUCE = 8,
	XS_RELEASE = 9,
	XS_GET_DOMAIN_PATH = 10,
	XS_WRITE = 11,
	XS_MKDIR = 12,
	XS_RM = 13,
	XS_SET_PERMS = 14,
	XS_WATCH_EVENT = 15,
	XS_ERROR = 16,
	XS_IS_DOMAIN_INTRODUCED = 17,
	XS_RESUME = 18,
	XS_SET_TARGET = 19,
	/* 20 was XS_RESTRICT; retired and never reused. */
	XS_RESET_WATCHES = 21,
	XS_DIRECTORY_PART = 22,
	XS_TYPE_COUNT
};
#define XS_DEBUG XS_CONTROL

struct xsd_sockmsg {
	uint32_t type;		/* enum xsd_sockmsg_type */
	uint32_t req_id;	/* echoed in the reply; chosen by the client */
	uint32_t tx_id;		/* 0 outside a transaction */
	uint32_t len;		/* payload bytes that follow */
};

/* Watch events carry these two strings, in this order. */
enum xs_watch_type {
	XS_WATCH_PATH = 0,
	XS_WATCH_TOKEN
};

#define XENSTORE_PAYLOAD_MAX	4096
#define XENSTORE_ABS_PATH_MAX	3072
#define XENSTORE_REL_PATH_MAX	2048

/* The shared ring page between a domain and the store. */
#define XENSTORE_RING_SIZE	1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx)	((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
	char req[XENSTORE_RING_SIZE];	/* domain -> store */
	char rsp[XENSTORE_RING_SIZE];	/* store -> domain */
	XENSTORE_RING_IDX req_cons, req_prod;
	XENSTORE_RING_IDX rsp_cons, rsp_prod;
	uint32_t server_features;
	uint32_t connection;
	uint32_t error;
};

#define XENSTORE_SERVER_FEATURE_RECONNECTION	1
#define XENSTORE_SERVER_FEATURE_ERROR		2
#define XENSTORE_CONNECTED	0
#define XENSTORE_RECONNECT	1
#define XENSTORE_ERROR_NONE	0
#define XENSTORE_ERROR_COMM	1
#define XENSTORE_ERROR_RINGIDX	2
#define XENSTORE_ERROR_PROTO	3

/*
 * XS_ERROR replies carry one of these errno names (plus NUL).  Clients
 * map names they do not know to EINVAL, so the daemon sends nothing else.
 */
#define XS_ERROR_NAMES(X) \
	X(EINVAL) X(EACCES) X(EEXIST) X(EISDIR) X(ENOENT) X(ENOMEM) \
	X(ENOSPC) X(EIO) X(ENOTEMPTY) X(ENOSYS) X(EROFS) X(EBUSY) \
	X(EAGAIN) X(EISCONN) X(E2BIG) X(EPERM)

#endif /* XS_WIRE_H */
