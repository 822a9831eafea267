/*
 * xenstore.h - Paravane's libxenstore, source-compatible with the xs_*
 * API of Xen's libxenstore.
 *
 * Conventions shared by every call:
 *  - Functions returning bool give false and set errno on failure; those
 *    returning pointers give NULL and set errno.  errno is the error the
 *    store sent (EACCES, ENOENT, EAGAIN, ...), or a local one.
 *  - Returned strings and vectors are one malloc() block: free() it once.
 *  - A handle is not thread-safe; use one per thread.
 */
#ifndef XENSTORE_H
#define XENSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "xs_wire.h"

#define XBT_NULL 0

#define XS_OPEN_READONLY	(1UL << 0)	/* accepted, not enforced */
#define XS_OPEN_SOCKETONLY	(1UL << 1)	/* never fall back to /dev/xen/xenbus */
#define XS_UNWATCH_FILTER	(1UL << 2)	/* drop queued events of removed watches */

typedef uint32_t xs_transaction_t;
struct xs_handle;

enum xs_perm_type {
	XS_PERM_NONE = 0,
	XS_PERM_READ = 1,
	XS_PERM_WRITE = 2,
	XS_PERM_ENOENT_OK = 4,	/* internal to the daemon */
	XS_PERM_OWNER = 8,
	XS_PERM_IGNORE = 16,
};

/*
 * A node's permissions: the first entry names the owner and the access
 * every domain not listed gets; later entries grant access per domain.
 */
struct xs_permissions {
	unsigned int id;
	enum xs_perm_type perms;
};

/* Open a connection: $XENSTORED_PATH, else /run/xenstored/socket, else
 * (unless XS_OPEN_SOCKETONLY) the kernel's /dev/xen/xenbus. */
struct xs_handle *xs_open(unsigned long flags);
void xs_close(struct xs_handle *xsh);
struct xs_handle *xs_daemon_open(void);
struct xs_handle *xs_daemon_open_readonly(void);
struct xs_handle *xs_domain_open(void);
void xs_daemon_close(struct xs_handle *xsh);
const char *xs_daemon_socket(void);

char **xs_directory(struct xs_handle *h, xs_transaction_t t,
		    const char *path, unsigned int *num);
void *xs_read(struct xs_handle *h, xs_transaction_t t,
	      const char *path, unsigned int *len);
bool xs_write(struct xs_handle *h, xs_transaction_t t,
	      const char *path, const void *data, unsigned int len);
bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path);
bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path);

struct xs_permissions *xs_get_permissions(struct xs_handle *h,
					  xs_transaction_t t,
					  const char *path, unsigned int *num);
bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t,
			const char *path, struct xs_permissions *perms,
			unsigned int num_perms);

/*
 * Watches.  xs_fileno() gives a descriptor that polls readable whenever an
 * event is waiting (queued or still on the wire); xs_read_watch() blocks,
 * xs_check_watch() does not.  Both return { path, token } in one block.
 */
bool xs_watch(struct xs_handle *h, const char *path, const char *token);
bool xs_unwatch(struct xs_handle *h, const char *path, const char *token);
int xs_fileno(struct xs_handle *h);
char **xs_read_watch(struct xs_handle *h, unsigned int *num);
char **xs_check_watch(struct xs_handle *h);

/*
 * Not in Xen's library: write n nodes, each with its value and then (when
 * num_perms) its permissions, sending the requests several at a time
 * before reading their replies, so that a toolstack making a domain's
 * hundred nodes waits for the daemon a few times instead of two hundred.
 * The requests go in order; once one has failed, no further window is
 * sent (those already on the wire with it are answered and may succeed).
 * true, or false with errno from the first that failed (inside a
 * transaction, abort it then: some nodes may have been written).
 */
struct xs_node_write {
	const char *path;
	const void *value;
	unsigned int len;
	const struct xs_permissions *perms;
	unsigned int num_perms;
};
bool xs_write_nodes(struct xs_handle *h, xs_transaction_t t,
		    const struct xs_node_write *nodes, unsigned int n);

xs_transaction_t xs_transaction_start(struct xs_handle *h);
bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort);

bool xs_introduce_domain(struct xs_handle *h, unsigned int domid,
			 unsigned long mfn, unsigned int eventchn);
bool xs_release_domain(struct xs_handle *h, unsigned int domid);
bool xs_resume_domain(struct xs_handle *h, unsigned int domid);
bool xs_set_target(struct xs_handle *h, unsigned int domid,
		   unsigned int target);
bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid);
char *xs_get_domain_path(struct xs_handle *h, unsigned int domid);
bool xs_reset_watches(struct xs_handle *h);
char *xs_control_command(struct xs_handle *h, const char *cmd,
			 void *data, unsigned int len);
#define xs_debug_command xs_control_command

/* Helpers (xs_lib.h in Xen). */
bool xs_path_is_subpath(const char *parent, const char *child);
bool xs_perm_to_string(const struct xs_permissions *perm, char *buffer,
		       size_t buf_len);
bool xs_strings_to_perms(struct xs_permissions *perms, unsigned int num,
			 const char *strings);
unsigned int xs_count_strings(const char *strings, unsigned int len);

#endif /* XENSTORE_H */
