/*
 * xsd.h - the store daemon's core: the node tree, transactions, watches,
 * connections and domains.  Everything here is plain data driven by
 * xsd_conn_input(); no file descriptors or devices are touched, so the
 * whole core runs in unit tests and in the fuzzer unchanged.
 *
 * Ownership: a struct xsd owns the tree, the connections and the domains.
 * A connection owns its watches, transactions and queued output.
 * Single-threaded: nothing is locked.
 *
 * Errors: functions returning int give 0 or a positive errno value that
 * goes on the wire by name (see xs_wire.h).
 */
#ifndef XSD_H
#define XSD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "xenstore.h"
#include "xs_hash.h"

#define XSD_DOMID_MAX	65535

/* Limits; unprivileged domains only (Dom0 is trusted, as in Xen). */
struct xsd_quota {
	unsigned int entries;		/* nodes owned per domain */
	unsigned int entry_size;	/* value bytes per node */
	unsigned int watches;		/* watches per connection */
	unsigned int transactions;	/* open transactions per connection */
	unsigned int outstanding;	/* unsent replies before input stalls */
	unsigned int watch_events;	/* unsent watch events before dropping */
	unsigned int perms;		/* entries in one permission list */
	unsigned int txn_nodes;		/* distinct nodes one transaction
					   touches; 0 = no limit */
	unsigned int txn_memory;	/* bytes one transaction holds
					   (about); 0 = no limit */
};

#define XSD_QUOTA_DEFAULTS_E 1000
#define XSD_QUOTA_DEFAULTS_S 2048
#define XSD_QUOTA_DEFAULTS_W 128
#define XSD_QUOTA_DEFAULTS_T 10
#define XSD_QUOTA_DEFAULTS_O 20
#define XSD_QUOTA_DEFAULTS_V 1024
#define XSD_QUOTA_DEFAULTS_A 5
#define XSD_QUOTA_DEFAULTS_N 1024
#define XSD_QUOTA_DEFAULTS_M (256 * 1024)
#define XSD_QUOTA_DEFAULTS { .entries = XSD_QUOTA_DEFAULTS_E, \
	.entry_size = XSD_QUOTA_DEFAULTS_S, .watches = XSD_QUOTA_DEFAULTS_W, \
	.transactions = XSD_QUOTA_DEFAULTS_T, \
	.outstanding = XSD_QUOTA_DEFAULTS_O, \
	.watch_events = XSD_QUOTA_DEFAULTS_V, .perms = XSD_QUOTA_DEFAULTS_A, \
	.txn_nodes = XSD_QUOTA_DEFAULTS_N, .txn_memory = XSD_QUOTA_DEFAULTS_M }

/* Who is asking: decides permissions and quotas. */
struct xsd_who {
	unsigned int domid;
	bool priv;		/* Dom0 or a local socket client */
	int target;		/* domain this one may manage (SET_TARGET), or -1 */
};

struct xsd_node {
	char *value;
	uint32_t value_len;
	struct xs_permissions *perms;	/* perms[0] = owner + default access */
	uint32_t nperms;
	char *children;			/* NUL-terminated names, back to back */
	uint32_t children_len;
	uint32_t children_cap;
	uint64_t gen;			/* bumped on every change; 0 = never */
	bool deleted;			/* transaction tombstone */
};

struct xsd_change {
	char *path;
	bool recurse;		/* removal: also fire watches below path */
};

struct xsd_count_delta {
	uint32_t domid;
	int32_t delta;
};

struct xsd_txn {
	struct xsd_txn *next;
	uint32_t id;
	struct xs_hash *overlay;	/* path -> struct xsd_node, private copies */
	struct xs_hash *seen;		/* path -> uint64_t gen when first seen */
	struct xsd_change *changes;	/* one per path, in first-change order */
	size_t nchanges, changes_cap;
	struct xs_hash *changed;	/* path -> index in changes + 1 */
	struct xsd_count_delta *deltas;	/* entry deltas of the domains */
	size_t ndeltas, deltas_cap;	/* whose counts it changes */
	size_t nnodes;			/* distinct paths in seen or overlay */
	unsigned int max_nodes;		/* limit on nnodes; 0 = none */
	size_t bytes;			/* memory held, as charged */
	size_t max_bytes;		/* limit on bytes; 0 = none */
	int error;			/* sticky failure: every later request
					   and the commit report it */
};

struct xsd_watch {
	struct xsd_watch *next;
	char *path;		/* absolute, or a special @name */
	char *token;
	bool relative;		/* events report paths relative to home */
};

struct xsd_out {
	struct xsd_out *next;
	size_t len, off;
	bool is_event;
	struct xsd_conn *cause;		/* event charged to this connection */
	char data[];
};

struct xsd_conn;
struct xsd_conn_ops {
	/* > 0 bytes moved, 0 would block, < 0 connection gone. */
	ssize_t (*recv)(struct xsd_conn *conn, void *buf, size_t len);
	ssize_t (*send)(struct xsd_conn *conn, const void *buf, size_t len);
	void (*destroy)(struct xsd_conn *conn);
};

struct xsd_conn {
	struct xsd_conn *next;
	struct xsd *xsd;
	const struct xsd_conn_ops *ops;
	void *priv;
	int fd;				/* for poll(); -1 if none */
	struct xsd_who who;
	struct xsd_domain *domain;	/* ring connections only */
	struct xsd_sockmsg hdr;
	size_t in_got;			/* bytes of header + payload so far */
	/* +1: a NUL after the payload, so string parsing cannot overrun. */
	char in_buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_out *out_head, *out_tail;
	unsigned int out_replies, out_events;
	unsigned long dropped_events;
	unsigned int events_caused;	/* its events queued at others */
	struct xsd_watch *watches;
	unsigned int nwatches;
	struct xsd_txn *txns;
	unsigned int ntxns;
	bool dead;			/* to be destroyed by the owner loop */
};

struct xsd_domain {
	struct xsd_domain *next;
	unsigned int domid;
	unsigned long mfn;
	unsigned int port;
	int target;
	struct xsd_conn *conn;		/* NULL when no transport (host tests) */
	void *priv;			/* transport state */
	bool shutdown;			/* @releaseDomain already fired for it */
};

/* What the hypervisor says of a domain (getdomaininfo). */
struct xsd_dominfo {
	bool exists;		/* false: no such domain (any more) */
	bool shutdown;		/* shut down or crashed */
	bool dying;
};
/* Fills *out: 0, or a positive errno when the hypervisor could not be
 * asked (the domain is then left alone). */
typedef int (*xsd_dominfo_fn)(void *arg, unsigned int domid,
			      struct xsd_dominfo *out);

struct xsd;
/* Transport for domain rings; NULL ops = record domains only. */
struct xsd_domain_ops {
	int (*attach)(struct xsd *xsd, struct xsd_domain *dom);
	void (*detach)(struct xsd *xsd, struct xsd_domain *dom);
};

struct xsd {
	struct xs_hash *nodes;		/* absolute path -> struct xsd_node */
	uint64_t gen;
	uint32_t *entries;		/* per-domain owned-node counts */
	struct xsd_quota quota;
	struct xsd_conn *conns;
	struct xsd_domain *domains;
	uint32_t next_txn_id;
	const struct xsd_domain_ops *dom_ops;
	void *dom_priv;
	int verbose;
	bool keep_orphans;		/* --keep-orphans: Dom0 takes them */
	struct xsd_conn *current;	/* whose request is being served */
};

struct xsd_ctx {
	struct xsd *xsd;
	struct xsd_txn *txn;		/* NULL: act on the live tree */
	const struct xsd_who *who;
};

/* xs_log.c */
void xsd_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
extern int xsd_log_level;	/* 0 errors, 1 info, 2 debug */

/* xs_node.c: one node record */
struct xsd_node *xsd_node_new(void);
struct xsd_node *xsd_node_dup(const struct xsd_node *n);
void xsd_node_free(struct xsd_node *n);
void xsd_node_free_v(void *n);
int xsd_node_set_value(struct xsd_node *n, const void *data, uint32_t len);
int xsd_node_set_perms(struct xsd_node *n, const struct xs_permissions *p,
		       uint32_t count);
int xsd_node_add_child(struct xsd_node *n, const char *name);
void xsd_node_del_child(struct xsd_node *n, const char *name);
unsigned int xsd_perms_of(const struct xsd_node *n, const struct xsd_who *who);
int xsd_perms_parse(const char *strs, size_t len, struct xs_permissions *out,
		    unsigned int max, unsigned int *count);
int xsd_perms_format(const struct xsd_node *n, char *buf, size_t size,
		     size_t *len);

/* xs_path.c */
int xsd_path_canon(const struct xsd_who *who, const char *in, char *out,
		   size_t size);
bool xsd_path_is_below(const char *parent, const char *child);
const char *xsd_path_basename(const char *path);
void xsd_path_parent(const char *path, char *out);
int xsd_domain_home(unsigned int domid, char *out, size_t size);

/* xs_store.c: tree operations (perm checks and quotas included) */
struct xsd *xsd_create(const struct xsd_quota *quota);
void xsd_destroy(struct xsd *xsd);
const struct xsd_node *xsd_lookup(struct xsd_ctx *ctx, const char *path);
const struct xsd_node *xsd_nearest(struct xsd_ctx *ctx, const char *path);
int xsd_read(struct xsd_ctx *ctx, const char *path,
	     const struct xsd_node **out);
int xsd_write(struct xsd_ctx *ctx, const char *path, const void *data,
	      uint32_t len);
int xsd_mkdir(struct xsd_ctx *ctx, const char *path);
int xsd_rm(struct xsd_ctx *ctx, const char *path);
int xsd_set_perms(struct xsd_ctx *ctx, const char *path,
		  const struct xs_permissions *perms, uint32_t count);
unsigned int xsd_entries_of(struct xsd *xsd, unsigned int domid);

/* xs_txn.c */
int xsd_txn_start(struct xsd_conn *conn, uint32_t *id);
struct xsd_txn *xsd_txn_find(struct xsd_conn *conn, uint32_t id);
int xsd_txn_end(struct xsd_conn *conn, uint32_t id, bool commit);
void xsd_txn_free(struct xsd_txn *txn);
int xsd_txn_note_seen(struct xsd_txn *txn, const char *path,
		      const struct xsd_node *base);
int xsd_txn_charge(struct xsd_txn *txn, size_t bytes);
int xsd_txn_overlay_put(struct xsd_txn *txn, const char *path, size_t len,
			uint64_t hash, struct xsd_node *n, void **old);
int xsd_txn_count_delta(struct xsd_txn *txn, unsigned int domid);
void xsd_txn_count_adjust(struct xsd_txn *txn, unsigned int domid, int d);
void xsd_changed(struct xsd_ctx *ctx, const char *path, bool recurse);

/* xs_watch.c */
int xsd_watch_add(struct xsd_conn *conn, const char *path, const char *token);
int xsd_watch_del(struct xsd_conn *conn, const char *path, const char *token);
void xsd_watch_clear(struct xsd_conn *conn);
void xsd_watch_fire(struct xsd *xsd, const char *path, bool recurse);
void xsd_watch_initial(struct xsd_conn *conn, const char *path,
		       const char *token);

/* xs_conn.c */
struct xsd_conn *xsd_conn_new(struct xsd *xsd, const struct xsd_conn_ops *ops,
			      void *priv, int fd, const struct xsd_who *who);
void xsd_conn_destroy(struct xsd_conn *conn);
void xsd_conn_input(struct xsd_conn *conn);
void xsd_conn_flush(struct xsd_conn *conn);
bool xsd_conn_wants_input(const struct xsd_conn *conn);
int xsd_conn_queue(struct xsd_conn *conn, uint32_t type, uint32_t req_id,
		   uint32_t tx_id, const void *data, size_t len);
void xsd_reap_dead(struct xsd *xsd);

/* xs_proto.c: one complete message from a connection */
void xsd_proto_process(struct xsd_conn *conn, const struct xsd_sockmsg *hdr,
		       const char *payload);
const char *xsd_errno_name(int err);

/* xs_domain.c */
struct xsd_domain *xsd_domain_find(struct xsd *xsd, unsigned int domid);
int xsd_domain_introduce(struct xsd *xsd, unsigned int domid,
			 unsigned long mfn, unsigned int port);
int xsd_domain_release(struct xsd *xsd, unsigned int domid);
int xsd_domain_set_target(struct xsd *xsd, unsigned int domid,
			  unsigned int target);
void xsd_domain_destroy_all(struct xsd *xsd);
void xsd_domain_check_exits(struct xsd *xsd, xsd_dominfo_fn info, void *arg);

#endif /* XSD_H */
