/*
 * xs_proto.c - decode one request, check it, run it, reply.
 *
 * Dispatch is a table indexed by message type.  Its flags are checked
 * here, once, before any handler runs: PRIV ops are refused to
 * unprivileged callers, NOTXN ops ignore tx_id, and every other op runs
 * inside the transaction tx_id names (ENOENT if the caller has none by
 * that id).  Handlers parse their arguments, call the store, and fill
 * req->reply; a non-zero return becomes an XS_ERROR reply instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xsd.h"

#define XSD_PRIV	1u	/* Dom0 / socket clients only */
#define XSD_NOTXN	2u	/* tx_id is ignored */

struct xsd_req {
	struct xsd_conn *conn;
	const struct xsd_sockmsg *hdr;
	const char *payload;
	uint32_t len;
	struct xsd_ctx ctx;
	char reply[XENSTORE_PAYLOAD_MAX];
	size_t reply_len;
};

struct xsd_op {
	int (*fn)(struct xsd_req *req);
	unsigned int flags;
};

const char *xsd_errno_name(int err)
{
#define XSD_ERRNAME(e) case e: return #e;
	switch (err) {
	XS_ERROR_NAMES(XSD_ERRNAME)
	default: return "EINVAL";
	}
#undef XSD_ERRNAME
}

/*
 * Split the payload into NUL-terminated strings: fills v[0..max) and
 * returns how many there are.  Bytes after the last NUL are not a string.
 */
static unsigned int split(const struct xsd_req *req, const char **v,
			  unsigned int max)
{
	unsigned int n = 0;
	uint32_t off = 0;

	while (n < max && off < req->len) {
		size_t l = strnlen(req->payload + off, req->len - off);

		if (off + l == req->len)
			break;
		v[n++] = req->payload + off;
		off += l + 1;
	}
	return n;
}

/* The one path argument of most ops, made absolute into abs. */
static int path_arg(struct xsd_req *req, char *abs, size_t size)
{
	const char *v[1];
	int rc;

	if (split(req, v, 1) != 1)
		return EINVAL;
	rc = xsd_path_canon(req->ctx.who, v[0], abs, size);
	if (!rc && abs[0] == '@')
		rc = EINVAL;
	return rc;
}

static int reply_bytes(struct xsd_req *req, const void *data, size_t len)
{
	if (len > sizeof(req->reply))
		return E2BIG;
	if (len)
		memcpy(req->reply, data, len);
	req->reply_len = len;
	return 0;
}

static int reply_str(struct xsd_req *req, const char *s)
{
	return reply_bytes(req, s, strlen(s) + 1);
}

static int reply_ok(struct xsd_req *req)
{
	return reply_str(req, "OK");
}

/* A whole decimal number, digits only (no sign, space or "0x"): 0 or EINVAL. */
static int parse_decimal(const char *s, unsigned long *out)
{
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || *end ? EINVAL : 0;
}

static int parse_domid(const char *s, unsigned int *out)
{
	unsigned long v;

	if (parse_decimal(s, &v) || v > XSD_DOMID_MAX)
		return EINVAL;
	*out = v;
	return 0;
}

#define PATHBUF char path[XENSTORE_ABS_PATH_MAX + 64]

/* The node the request's path names */
static int read_node(struct xsd_req *req, const struct xsd_node **n)
{
	PATHBUF;
	int rc = path_arg(req, path, sizeof(path));

	return rc ? rc : xsd_read(&req->ctx, path, n);
}

/* The request's path given to op, then "OK" */
static int path_op(struct xsd_req *req, int (*op)(struct xsd_ctx *ctx, const char *path))
{
	PATHBUF;
	int rc = path_arg(req, path, sizeof(path));

	if (!rc)
		rc = op(&req->ctx, path);
	return rc ? rc : reply_ok(req);
}

static int do_read(struct xsd_req *req)
{
	const struct xsd_node *n;
	int rc = read_node(req, &n);

	return rc ? rc : reply_bytes(req, n->value, n->value_len);
}

static int do_write(struct xsd_req *req)
{
	size_t plen = strnlen(req->payload, req->len);
	PATHBUF;
	int rc;

	if (plen == req->len)
		return EINVAL;
	rc = xsd_path_canon(req->ctx.who, req->payload, path, sizeof(path));
	if (!rc)
		rc = xsd_write(&req->ctx, path, req->payload + plen + 1,
			       req->len - plen - 1);
	return rc ? rc : reply_ok(req);
}

static int do_mkdir(struct xsd_req *req)
{
	return path_op(req, xsd_mkdir);
}

static int do_rm(struct xsd_req *req)
{
	return path_op(req, xsd_rm);
}

static int do_directory(struct xsd_req *req)
{
	const struct xsd_node *n;
	int rc = read_node(req, &n);

	return rc ? rc : reply_bytes(req, n->children, n->children_len);
}

/*
 * "path\0offset\0" -> "generation\0" then whole child names from byte
 * offset on, as many as fit; an empty name marks the end of the list.
 * The generation lets a client notice the directory changed between
 * calls and restart.
 */
static int do_directory_part(struct xsd_req *req)
{
	const char *v[2];
	const struct xsd_node *n;
	unsigned long off;
	size_t pos;
	PATHBUF;
	int rc;

	if (split(req, v, 2) != 2)
		return EINVAL;
	rc = xsd_path_canon(req->ctx.who, v[0], path, sizeof(path));
	if (!rc && path[0] == '@')
		rc = EINVAL;
	if (!rc)
		rc = xsd_read(&req->ctx, path, &n);
	if (rc)
		return rc;
	if (parse_decimal(v[1], &off) || off > n->children_len)
		return EINVAL;
	pos = snprintf(req->reply, sizeof(req->reply), "%llu",
		       (unsigned long long)n->gen) + 1;
	while (off < n->children_len) {
		size_t l = strlen(n->children + off) + 1;

		if (pos + l + 1 > sizeof(req->reply))
			break;
		memcpy(req->reply + pos, n->children + off, l);
		pos += l;
		off += l;
	}
	if (off == n->children_len)
		req->reply[pos++] = '\0';
	req->reply_len = pos;
	return 0;
}

static int do_get_perms(struct xsd_req *req)
{
	const struct xsd_node *n;
	int rc = read_node(req, &n);

	return rc ? rc : xsd_perms_format(n, req->reply, sizeof(req->reply),
					  &req->reply_len);
}

static int do_set_perms(struct xsd_req *req)
{
	struct xs_permissions perms[64];
	size_t plen = strnlen(req->payload, req->len);
	unsigned int count;
	PATHBUF;
	int rc;

	if (plen == req->len)
		return EINVAL;
	rc = xsd_path_canon(req->ctx.who, req->payload, path, sizeof(path));
	if (!rc && path[0] == '@')
		rc = EINVAL;
	if (!rc)
		rc = xsd_perms_parse(req->payload + plen + 1,
				     req->len - plen - 1, perms, 64, &count);
	if (!rc)
		rc = xsd_set_perms(&req->ctx, path, perms, count);
	return rc ? rc : reply_ok(req);
}

/* "path\0token\0" given to op, then "OK" */
static int watch_op(struct xsd_req *req,
		    int (*op)(struct xsd_conn *conn, const char *path, const char *token))
{
	const char *v[2];
	int rc;

	if (split(req, v, 2) != 2)
		return EINVAL;
	rc = op(req->conn, v[0], v[1]);
	return rc ? rc : reply_ok(req);
}

static int do_watch(struct xsd_req *req)
{
	return watch_op(req, xsd_watch_add);
}

static int do_unwatch(struct xsd_req *req)
{
	return watch_op(req, xsd_watch_del);
}

static int do_txn_start(struct xsd_req *req)
{
	char buf[16];
	uint32_t id;
	int rc;

	if (req->hdr->tx_id)
		return EBUSY;	/* no nesting */
	rc = xsd_txn_start(req->conn, &id);
	if (rc)
		return rc;
	snprintf(buf, sizeof(buf), "%u", id);
	return reply_str(req, buf);
}

static int do_txn_end(struct xsd_req *req)
{
	const char *v[1];
	int rc;

	if (!req->hdr->tx_id || split(req, v, 1) != 1)
		return EINVAL;
	if (strcmp(v[0], "T") && strcmp(v[0], "F"))
		return EINVAL;
	rc = xsd_txn_end(req->conn, req->hdr->tx_id, v[0][0] == 'T');
	return rc ? rc : reply_ok(req);
}

static int do_introduce(struct xsd_req *req)
{
	const char *v[3];
	unsigned int domid, port;
	unsigned long mfn;
	int rc;

	if (split(req, v, 3) != 3 || parse_domid(v[0], &domid))
		return EINVAL;
	if (parse_decimal(v[1], &mfn))
		return EINVAL;
	if (parse_domid(v[2], &port))	/* ports fit the same range */
		return EINVAL;
	rc = xsd_domain_introduce(req->conn->xsd, domid, mfn, port);
	return rc ? rc : reply_ok(req);
}

static int one_domid(struct xsd_req *req, unsigned int *domid)
{
	const char *v[1];

	if (split(req, v, 1) != 1)
		return EINVAL;
	return parse_domid(v[0], domid);
}

static int do_release(struct xsd_req *req)
{
	unsigned int domid;
	int rc = one_domid(req, &domid);

	/* A connection cannot release its own domain: the request would
	 * free the ring it is being served from. */
	if (!rc && req->conn->domain && req->conn->domain->domid == domid)
		rc = EINVAL;
	if (!rc)
		rc = xsd_domain_release(req->conn->xsd, domid);
	return rc ? rc : reply_ok(req);
}

static int do_get_domain_path(struct xsd_req *req)
{
	unsigned int domid;
	char home[32];
	int rc = one_domid(req, &domid);

	if (!rc)
		rc = xsd_domain_home(domid, home, sizeof(home));
	return rc ? rc : reply_str(req, home);
}

static int do_is_introduced(struct xsd_req *req)
{
	unsigned int domid;
	int rc = one_domid(req, &domid);

	if (rc)
		return rc;
	return reply_str(req, domid == 0 ||
			 xsd_domain_find(req->conn->xsd, domid) ? "T" : "F");
}

static int do_resume(struct xsd_req *req)
{
	unsigned int domid;
	int rc = one_domid(req, &domid);

	if (!rc && !xsd_domain_find(req->conn->xsd, domid))
		rc = ENOENT;
	return rc ? rc : reply_ok(req);
}

static int do_set_target(struct xsd_req *req)
{
	const char *v[2];
	unsigned int domid, target;
	int rc;

	if (split(req, v, 2) != 2 || parse_domid(v[0], &domid) ||
	    parse_domid(v[1], &target))
		return EINVAL;
	rc = xsd_domain_set_target(req->conn->xsd, domid, target);
	return rc ? rc : reply_ok(req);
}

static int do_reset_watches(struct xsd_req *req)
{
	xsd_watch_clear(req->conn);
	while (req->conn->txns)
		xsd_txn_end(req->conn, req->conn->txns->id, false);
	return reply_ok(req);
}

static int do_control(struct xsd_req *req)
{
	const char *v[2];
	const struct xsd_quota *q = &req->conn->xsd->quota;
	unsigned int n = split(req, v, 2), domid;
	char buf[512];

	if (n < 1)
		return EINVAL;
	if (!strcmp(v[0], "help"))
		return reply_str(req, "help\nprint <text>\nquota\nset-domid <domid>\n");
	if (!strcmp(v[0], "print") && n == 2) {
		xsd_log(0, "control: %s", v[1]);
		return reply_ok(req);
	}
	if (!strcmp(v[0], "quota")) {
		snprintf(buf, sizeof(buf),
			 "entries %u\nentry-size %u\nwatches %u\ntransactions %u\noutstanding %u\nwatch-events %u\nperms %u\ntransaction-nodes %u\ntransaction-memory %u\n",
			 q->entries, q->entry_size, q->watches,
			 q->transactions, q->outstanding, q->watch_events,
			 q->perms, q->txn_nodes, q->txn_memory);
		return reply_str(req, buf);
	}
	/*
	 * Paravane extension: a local client gives up Dom0's rights for the
	 * rest of its connection and acts as the given domain.  Lets host
	 * tests exercise permissions and quotas over the socket; it can only
	 * lower privilege.
	 */
	if (!strcmp(v[0], "set-domid") && n == 2 && !parse_domid(v[1], &domid)) {
		req->conn->who.domid = domid;
		req->conn->who.priv = false;
		req->conn->who.target = -1;
		return reply_ok(req);
	}
	return EINVAL;
}

static int do_server_only(struct xsd_req *req)
{
	return EINVAL;	/* WATCH_EVENT and ERROR flow server -> client */
}

static const struct xsd_op ops[XS_TYPE_COUNT] = {
	[XS_CONTROL] = { do_control, XSD_PRIV | XSD_NOTXN },
	[XS_DIRECTORY] = { do_directory, 0 },
	[XS_READ] = { do_read, 0 },
	[XS_GET_PERMS] = { do_get_perms, 0 },
	[XS_WATCH] = { do_watch, XSD_NOTXN },
	[XS_UNWATCH] = { do_unwatch, XSD_NOTXN },
	[XS_TRANSACTION_START] = { do_txn_start, XSD_NOTXN },
	[XS_TRANSACTION_END] = { do_txn_end, XSD_NOTXN },
	[XS_INTRODUCE] = { do_introduce, XSD_PRIV | XSD_NOTXN },
	[XS_RELEASE] = { do_release, XSD_PRIV | XSD_NOTXN },
	[XS_GET_DOMAIN_PATH] = { do_get_domain_path, XSD_NOTXN },
	[XS_WRITE] = { do_write, 0 },
	[XS_MKDIR] = { do_mkdir, 0 },
	[XS_RM] = { do_rm, 0 },
	[XS_SET_PERMS] = { do_set_perms, 0 },
	[XS_WATCH_EVENT] = { do_server_only, XSD_NOTXN },
	[XS_ERROR] = { do_server_only, XSD_NOTXN },
	[XS_IS_DOMAIN_INTRODUCED] = { do_is_introduced, XSD_PRIV | XSD_NOTXN },
	[XS_RESUME] = { do_resume, XSD_PRIV | XSD_NOTXN },
	[XS_SET_TARGET] = { do_set_target, XSD_PRIV | XSD_NOTXN },
	[XS_RESET_WATCHES] = { do_reset_watches, XSD_NOTXN },
	[XS_DIRECTORY_PART] = { do_directory_part, 0 },
};

static int dispatch(struct xsd_req *req)
{
	const struct xsd_op *op;
	int rc;

	if (req->hdr->type >= XS_TYPE_COUNT || !ops[req->hdr->type].fn) {
		xsd_log(2, "dom%u: unknown message type %u",
			req->conn->who.domid, req->hdr->type);
		return ENOSYS;
	}
	op = &ops[req->hdr->type];
	if ((op->flags & XSD_PRIV) && !req->conn->who.priv)
		return EACCES;
	if (!(op->flags & XSD_NOTXN) && req->hdr->tx_id) {
		req->ctx.txn = xsd_txn_find(req->conn, req->hdr->tx_id);
		if (!req->ctx.txn)
			return ENOENT;
		/* A failed transaction (a quota, memory) answers with its
		 * error until it is ended. */
		if (req->ctx.txn->error)
			return req->ctx.txn->error;
	}
	rc = op->fn(req);
	/* The request that made it fail gets the error, whatever the
	 * store made of the lookups refused to it. */
	if (req->ctx.txn && req->ctx.txn->error)
		return req->ctx.txn->error;
	return rc;
}

void xsd_proto_process(struct xsd_conn *conn, const struct xsd_sockmsg *hdr,
		       const char *payload)
{
	struct xsd_req *req = malloc(sizeof(*req));
	const char *v[2];
	int rc;

	if (!req) {
		conn->dead = true;
		return;
	}
	req->conn = conn;
	req->hdr = hdr;
	req->payload = payload;
	req->len = hdr->len;
	req->ctx.xsd = conn->xsd;
	req->ctx.txn = NULL;
	req->ctx.who = &conn->who;
	req->reply_len = 0;
	rc = dispatch(req);
	if (rc) {
		const char *name = xsd_errno_name(rc);

		xsd_conn_queue(conn, XS_ERROR, hdr->req_id, hdr->tx_id, name,
			       strlen(name) + 1);
	} else {
		xsd_conn_queue(conn, hdr->type, hdr->req_id, hdr->tx_id,
			       req->reply, req->reply_len);
		/* Xen fires a new watch once, right after the OK. */
		if (hdr->type == XS_WATCH && split(req, v, 2) == 2)
			xsd_watch_initial(conn, v[0], v[1]);
	}
	free(req);
}
