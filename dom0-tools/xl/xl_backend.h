/*
 * xl_backend.h - the handles behind ctx->priv in a real run: one
 * libxenctrl interface and one xenstore connection, opened by
 * xl_backend_open (xl_backend.c) and shared by struct xl_ops and struct
 * xl_create_ops (xl_create_backend.c).
 */
#ifndef XL_BACKEND_H
#define XL_BACKEND_H

#include "xenctrl.h"
#include "xenstore.h"

struct xl_backend {
	xc_interface *xch;
	struct xs_handle *xs;
	bool watching;		/* @releaseDomain watched on xs */
};

/* errno after a failed Xen-style call, as -errno (never 0). */
static inline int xl_neg_errno(void)
{
	return errno ? -errno : -EIO;
}

#endif
