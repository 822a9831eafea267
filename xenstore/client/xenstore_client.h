/*
 * xenstore_client.h - shared bits of the xenstore-* commands.
 */
#ifndef XENSTORE_CLIENT_H
#define XENSTORE_CLIENT_H

#include <stdbool.h>
#include <stdio.h>
#include "xenstore.h"

/* Print value with backslash escapes for non-printable bytes. */
void xsc_print_sanitised(FILE *f, const char *val, unsigned int len);
/* `xenstore-ls`: returns the exit code. */
int xsc_ls(struct xs_handle *h, const char *path, bool full, bool perms);
/* "r0,b5" style text of a permission list into buf. */
void xsc_perms_text(const struct xs_permissions *p, unsigned int n,
		    char *buf, size_t size);

#endif /* XENSTORE_CLIENT_H */
