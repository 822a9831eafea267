/*
 * xs_socket.h - the Unix-socket transport for local (Dom0) clients.
 */
#ifndef XS_SOCKET_H
#define XS_SOCKET_H

#include "xsd.h"

/* Bind and listen on path (creating its directory); returns fd or -1
 * after printing why. */
int xsd_socket_listen(const char *path);
/* Accept every pending client as a privileged connection. */
void xsd_socket_accept(struct xsd *xsd, int listen_fd);

#endif /* XS_SOCKET_H */
