/*
 * xenbus.h - what a test kernel running as an ordinary DomU (made by a
 * toolstack, e.g. our xl in a Linux Dom0) needs to talk to Dom0: its PV
 * console ring (output through it, since console_io is Dom0's only), a
 * xenstore client over its xenstore ring, its own grant table and event
 * channels to a backend. Linked only into the guests that name it
 * (GUEST_EXTRA_<name> in tests/guests/module.mk).
 *
 * Everything polls: no event callback is installed; waits yield.
 */
#ifndef XENBUS_H
#define XENBUS_H

#include "guest.h"
#include "public/grant_table.h"
#include "public/event_channel.h"

/* Console: start_info's console ring becomes console_out. 0 on success. */
int xencons_init(void);
/*
 * For a kernel that runs as Dom0 and as a DomU: when it may not write
 * through console_io (a DomU made by a toolstack: -EPERM), its console
 * ring becomes console_out. 1 if output goes through the ring.
 */
int xencons_if_refused(void);

/* ---- xenstore (docs/xenstore wire: xsd_sockmsg + payload) ---------- */
enum {
	XS_DIRECTORY = 1, XS_READ = 2, XS_WATCH = 4, XS_UNWATCH = 5,
	XS_TRANSACTION_START = 6, XS_TRANSACTION_END = 7, XS_GET_DOMAIN_PATH = 10,
	XS_WRITE = 11, XS_MKDIR = 12, XS_RM = 13, XS_WATCH_EVENT = 15, XS_ERROR = 16,
};
int xs_init(void);   /* maps start_info's store ring; 0 on success */
/*
 * One request (payload `req` of `len` bytes in transaction `tx`); the
 * answer's payload NUL-terminated in `rsp` (at most rsp_size - 1 bytes),
 * its length in *rsp_len if not NULL. Returns 0, or the error's index in
 * xs_errors (> 0) when xenstored answered XS_ERROR, or -1 when no answer
 * came (ring broken, timeout). Watch events arriving meanwhile are counted
 * in xs_watch_events and dropped.
 */
int xs_request(uint32_t type, uint32_t tx, const void *req, size_t len, char *rsp, size_t rsp_size,
	       size_t *rsp_len);
extern unsigned long xs_watch_events;
extern const char *const xs_errors[];   /* [1] "EINVAL", ... */
int xs_errno(const char *name);         /* index of a name in xs_errors, 0 if none */
/* The usual ones: return 0 / error index / -1 as xs_request */
int xs_read(const char *path, char *buf, size_t size);
int xs_write(const char *path, const char *value);
int xs_rm(const char *path);
int xs_printf(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
long xs_read_long(const char *path, long dflt);
/* Waits (yielding) until path reads `want` or `ms` pass; 1 if it did */
int xs_wait_value(const char *path, const char *want, unsigned ms);
/* The name of an error index (or "timeout"/"ok") for messages */
const char *xs_errname(int rc);

/* ---- Grants and events to a peer ------------------------------------ */
int gnt_init(void);                            /* frame 0 of our table mapped; 0 on success */
extern volatile struct grant_entry_v1 *gnt_table;
extern uint64_t gnt_frame0;                    /* its frame */
uint64_t gnt_mfn_of(const void *va);           /* through start_info's p2m */
/* Entry ref grants `va`'s frame to `dom` (read-only if ro); refs 8.. are free for tests */
void gnt_grant(grant_ref_t ref, domid_t dom, const void *va, int ro);
void gnt_grant_frame(grant_ref_t ref, domid_t dom, uint64_t mfn, uint16_t flags);
void gnt_revoke(grant_ref_t ref);

long evt_alloc_unbound(domid_t remote, evtchn_port_t *port);
long evt_send(evtchn_port_t port);
long evt_close(evtchn_port_t port);

/* Yield for about `ms` milliseconds of system time */
void sleep_ms(unsigned ms);

#endif
