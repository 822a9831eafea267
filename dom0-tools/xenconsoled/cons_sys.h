/*
 * cons_sys.h - the handles behind the daemon's real operations
 * (cons_sys.c); main.c opens them and passes the structure as the ops'
 * context.
 */
#ifndef CONS_SYS_H
#define CONS_SYS_H

#include "cons.h"
#include "xenctrl.h"
#include "xenevtchn.h"
#include "xengnttab.h"
#include "xenstore.h"

struct cons_sys {
	xc_interface *xc;		/* domain list, foreign maps */
	xenevtchn_handle *xce;
	xengnttab_handle *xgt;		/* NULL: foreign maps only */
	struct xs_handle *xs;
};

extern const struct cons_ops cons_sys_ops;

#endif /* CONS_SYS_H */
