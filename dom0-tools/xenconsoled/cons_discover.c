/*
 * cons_discover.c - which domains have a console, from the hypervisor's
 * list and xenstore, as Xen's xenconsoled finds them: @introduceDomain
 * and @releaseDomain wake a scan of the domain list; a watch on each
 * domain's console/ directory connects it once its nodes are written.
 * Then the service round over every connected domain.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cons.h"
#include "d0_log.h"

#define WHO "xenconsoled"

/* Watch @introduceDomain and @releaseDomain: 0 or -errno. */
int cons_watch_start(struct cons_daemon *d)
{
	int rc = d->ops->xs_watch(d->ctx, "@introduceDomain", "domlist");

	if (!rc)
		rc = d->ops->xs_watch(d->ctx, "@releaseDomain", "domlist");
	if (rc)
		d0_log(D0_LOG_ERR, WHO, "xenstore watch on @introduceDomain/@releaseDomain: %s (is xenstored running?)",
		       strerror(-rc));
	return rc;
}

static void track(struct cons_daemon *d, unsigned int domid)
{
	struct cons_dom *dom = cons_dom_find(d, domid);
	char path[96];

	if (!dom) {
		dom = cons_dom_new(d, domid);
		if (!dom) {
			d0_log(D0_LOG_ERR, WHO, "dom %u: out of memory; console not served", domid);
			return;
		}
		snprintf(path, sizeof(path), "/local/domain/%u/console", domid);
		dom->watched = !d->ops->xs_watch(d->ctx, path, "console");
	}
	dom->seen = true;
	if (dom->state == CONS_WAITING)
		cons_dom_connect(d, dom);
}

/*
 * Bring the known domains in line with the hypervisor's list: new ones
 * (Dom0 excepted: its console is the hypervisor's) are tracked and
 * connected if they can be, gone ones released. 0 or -errno (the list
 * could not be read; nothing changed).
 */
int cons_scan(struct cons_daemon *d)
{
	static unsigned int ids[CONS_MAX_DOMAINS];
	struct cons_dom *dom, *next;
	int n, i;

	n = d->ops->list_domains(d->ctx, ids, CONS_MAX_DOMAINS);
	if (n < 0) {
		d0_log(D0_LOG_ERR, WHO, "cannot list domains: %s", strerror(-n));
		return n;
	}
	for (dom = d->doms; dom; dom = dom->next)
		dom->seen = false;
	for (i = 0; i < n; i++)
		if (ids[i] != 0)
			track(d, ids[i]);
	for (dom = d->doms; dom; dom = next) {
		next = dom->next;
		if (!dom->seen)
			cons_dom_release(d, dom);
	}
	return 0;
}

/*
 * A watch fired: a scan for the domain list, a connect attempt for a
 * domain's console/ directory. Unknown paths are ignored. 0 or -errno.
 */
int cons_watch_event(struct cons_daemon *d, const char *path, const char *token)
{
	struct cons_dom *dom;
	unsigned int domid;
	int len = 0;

	if (!strcmp(token, "domlist"))
		return cons_scan(d);
	if (strcmp(token, "console") ||
	    sscanf(path, "/local/domain/%u/console%n", &domid, &len) != 1 || !len ||
	    (path[len] && path[len] != '/'))
		return 0;
	dom = cons_dom_find(d, domid);
	if (!dom || (dom->state != CONS_WAITING && dom->state != CONS_FAILED))
		return 0;
	cons_dom_connect(d, dom);	/* failures are logged there */
	return 0;
}

/*
 * One round over the connected domains: each takes its output (within
 * its rate allowance), gets input from its pty, writes its pty. Returns
 * how long the caller may sleep at most, in ms (-1: until an event):
 * when a domain still has output waiting, the time until its bucket
 * holds a useful amount again (0 if it has allowance left).
 */
int cons_service(struct cons_daemon *d)
{
	uint64_t now = d->ops->now_ms(d->ctx);
	struct cons_dom *dom;
	int timeout = -1, t, pend;

	for (dom = d->doms; dom; dom = dom->next) {
		if (dom->state != CONS_CONNECTED)
			continue;
		if (cons_dom_output(d, dom, now, false) < 0)
			continue;
		if (cons_dom_input(d, dom) < 0)
			continue;
		cons_dom_flush_pty(d, dom);
		pend = cons_ring_pending(dom->intf, dom->out_cons);
		t = -1;
		if (pend > 0 && d->overflow_keep && dom->buf_len == dom->buf_limit)
			t = 100;	/* keep: the guest waits for the pty reader */
		else if (pend > 0)
			t = dom->credit >= 1000 ? 0 :
				(int)(1000 * (uint64_t)sizeof(dom->intf->out) / CONS_RATE_BYTES_PER_SEC);
		else if (dom->buf_len)
			t = 100;	/* the pty was full: try again */
		if (t >= 0 && (timeout < 0 || t < timeout))
			timeout = t;
	}
	return timeout;
}
