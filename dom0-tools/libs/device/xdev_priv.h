/*
 * xdev_priv.h - what the device kinds of libd0device share: the two
 * directories of a device and adding nodes to them.
 */
#ifndef XDEV_PRIV_H
#define XDEV_PRIV_H

#include "xdev.h"

#define XDEV_VALUE_MAX	1024	/* longer values (a path) are refused */

enum xdev_side { XDEV_FRONT, XDEV_BACK };

/* XenbusState values the toolstack writes */
#define XDEV_STATE_INITIALISING	1

/* Sets N empty with its frontend and backend paths for KIND. */
int xdev_dirs(struct xdev_nodes *n, const char *kind, uint32_t domid,
	      uint32_t be_domid, uint32_t devid);

/* The directory of SIDE itself, value "", with its permissions. */
int xdev_add_dir(struct xdev_nodes *n, enum xdev_side side, uint32_t domid,
		 uint32_t be_domid);

/* SIDE's directory/NAME = the formatted value. */
int xdev_add(struct xdev_nodes *n, enum xdev_side side, uint32_t domid,
	     uint32_t be_domid, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Writes the message to ERR and returns -EINVAL. */
int xdev_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* XDEV_PRIV_H */
