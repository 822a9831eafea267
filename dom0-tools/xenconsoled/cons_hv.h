/*
 * cons_hv.h - the hypervisor's log written by xenconsoled (cons_hv.c).
 */
#ifndef CONS_HV_H
#define CONS_HV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "xenctrl.h"

struct cons_hvlog {
	int fd;				/* DIR/hypervisor.log; -1 when closed */
	uint32_t index;			/* where the next incremental read starts */
	bool stamp, at_bol;		/* --timestamp=hv|all; at a line's start */
	bool broken;			/* the ring cannot be read: stop trying */
	char path[300];
};

/* Open DIR/hypervisor.log for appending: 0 or -errno (logged). */
int cons_hv_open(struct cons_hvlog *h, const char *dir, bool stamp);
void cons_hv_close(struct cons_hvlog *h);
/* After logrotate (SIGHUP): 0 or -errno. */
int cons_hv_reopen(struct cons_hvlog *h);

/*
 * Append what is new in the ring: the bytes read, or -errno (the first
 * failure of the sysctl is logged and ends the reading).
 */
int cons_hv_poll(struct cons_hvlog *h, xc_interface *xch, time_t now);

/*
 * in[len] into out (at most cap bytes) with stamp before each line's
 * first byte (none when stamp is NULL); *at_bol carries the line state
 * from one call to the next. Returns the bytes written to out.
 */
size_t cons_hv_format(const char *in, size_t len, bool *at_bol, const char *stamp, char *out,
		      size_t cap);

#endif /* CONS_HV_H */
