/*
 * xs_domains.c - run in Dom0 by check.sh: the domain calls of
 * libxenstore (linked to the image's libxenstore.so.4) against xenstored
 * in Dom0 mode.  Dom0 is introduced (its own ring); introducing a domain
 * that does not exist must fail cleanly (its store page cannot be mapped
 * through gntdev or privcmd, its port cannot be bound), leave nothing
 * behind and fire no @introduceDomain.  Releasing Dom0 is refused, also
 * when asked over Dom0's own ring (through /dev/xen/xenbus), which used
 * to free the ring serving the request.  Prints "xs-domains: ok|FAIL ..."
 * per check; exit 0 if all passed.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xenstore.h"

static int failed;

static void check(const char *what, int ok)
{
	printf("xs-domains: %s %s\n", ok ? "ok" : "FAIL", what);
	failed |= !ok;
}

/* Consume the watch's initial event; then true if another one arrives. */
static int fires(struct xs_handle *w, int ms)
{
	struct pollfd p = { .fd = xs_fileno(w), .events = POLLIN };
	unsigned int n;
	char **v;

	if (poll(&p, 1, ms) <= 0)
		return 0;
	v = xs_read_watch(w, &n);
	free(v);
	return v != NULL;
}

int main(void)
{
	struct xs_handle *h = xs_open(0), *w = xs_open(0), *r0;
	char *path;
	int r;

	if (!h || !w) {
		printf("xs-domains: FAIL cannot open the store: %s\n", strerror(errno));
		return 1;
	}
	path = xs_get_domain_path(h, 0);
	check("get-domain-path-0", path && !strcmp(path, "/local/domain/0"));
	free(path);
	check("dom0-introduced", xs_is_domain_introduced(h, 0));
	check("dom7-not-introduced", !xs_is_domain_introduced(h, 7));

	check("watch-introduce", xs_watch(w, "@introduceDomain", "in"));
	check("watch-initial-event", fires(w, 2000));
	errno = 0;
	r = xs_introduce_domain(h, 7, 0x12345, 9);
	check("introduce-missing-domain-fails", !r);
	printf("xs-domains: introduce of a missing domain: %s\n", strerror(errno));
	check("dom7-still-not-introduced", !xs_is_domain_introduced(h, 7));
	check("no-introduce-event", !fires(w, 500));
	errno = 0;
	check("release-dom0-refused", !xs_release_domain(h, 0) && errno == EINVAL);
	/* The same over the ring: the kernel forwards it on Dom0's ring. */
	setenv("XENSTORED_PATH", "/nonexistent", 1);
	r0 = xs_open(0);
	check("open-ring", r0 != NULL);
	if (r0) {
		errno = 0;
		check("release-dom0-over-ring-refused",
		      !xs_release_domain(r0, 0) && errno == EINVAL);
		check("ring-still-served",
		      xs_write(r0, XBT_NULL, "/test/domains-ring", "ok", 2));
		xs_close(r0);
	}
	check("dom0-still-introduced", xs_is_domain_introduced(h, 0));
	/* The store still works for everyone. */
	check("write-after", xs_write(h, XBT_NULL, "/test/domains", "ok", 2));
	xs_close(w);
	xs_close(h);
	return failed;
}
