/*
 * xs_dom0.c - domain transports in Dom0 (see xs_dom0.h).
 *
 * Each domain's ring is one shared page plus an interdomain event
 * channel.  Dom0's own page comes from /proc/xen/xsd_kva and its port
 * from /proc/xen/xsd_port; a DomU's page (after INTRODUCE) is mapped
 * with gntdev through the reserved store grant, else with a privcmd
 * foreign map of the frame INTRODUCE named.  All ports share one
 * /dev/xen/evtchn descriptor, polled by the main loop.  The devices are
 * reached through the Dom0 tools' device layer (dom0-tools/libs/linux:
 * linux_xen.h, lx_dev.h), whose calls answer 0 or -errno.
 *
 * The same descriptor carries VIRQ_DOM_EXC, which the hypervisor raises
 * when a domain shuts down, crashes or dies: each one has every
 * introduced domain looked up (xsd_domain_check_exits, xs_hv.c).
 *
 * The mapping itself needs a hypervisor; the event dispatch is tested on
 * the host (tests/unit/xenstore/xenstored/xenstore_dom0_test.c), and so is the ring logic
 * (xs_ring_conn.c).  Without the devices, init fails with a message
 * pointing at --no-domain-init.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "xs_dom0.h"
#include "xs_hv.h"
#include "linux_xen.h"
#include "lx_dev.h"
#include "xs_ring_conn.h"

#define EVTCHN_DEV LX_EVTCHN_DEV
#define GNTDEV_DEV LX_GNTDEV_DEV
#define PRIVCMD_DEV LX_PRIVCMD_DEV
#define XSD_KVA "/proc/xen/xsd_kva"
/* The grant reference a toolstack reserves for the store page (Xen's
 * GNTTAB_RESERVED_XENSTORE). */
#define XS_GNTTAB_RESERVED_XENSTORE 1
#define XSD_PORT "/proc/xen/xsd_port"
/* Xen's global virtual interrupt for domain exceptions (public/xen.h). */
#define XS_VIRQ_DOM_EXC 3

struct dom0_state {
	int evtchn_fd, gntdev_fd, privcmd_fd;
	void *dom0_page;		/* Dom0's ring, until attached */
	int64_t virq_port;		/* VIRQ_DOM_EXC's local port, or -1 */
};

struct dom_ring {
	struct dom0_state *st;
	void *page;
	bool gntdev;			/* else privcmd or xsd_kva */
	uint64_t gnt_index;
	uint32_t local_port;
};

static struct dom0_state state = { -1, -1, -1, NULL, -1 };

static void ring_notify(void *arg)
{
	struct dom_ring *r = arg;
	struct ioctl_evtchn_notify p = { r->local_port };

	lx->ioctl(r->st->evtchn_fd, IOCTL_EVTCHN_NOTIFY, &p);
}

static void *map_by_gntdev(struct dom0_state *st, unsigned int domid,
			   uint64_t *index)
{
	struct ioctl_gntdev_map_grant_ref m = { .count = 1 };
	void *p;

	m.refs[0].domid = domid;
	m.refs[0].ref = XS_GNTTAB_RESERVED_XENSTORE;
	if (st->gntdev_fd < 0 ||
	    lx->ioctl(st->gntdev_fd, IOCTL_GNTDEV_MAP_GRANT_REF, &m) < 0)
		return NULL;
	if (lx->mmap(&p, LX_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		     st->gntdev_fd, m.index) < 0) {
		struct ioctl_gntdev_unmap_grant_ref u = { m.index, 1, 0 };

		lx->ioctl(st->gntdev_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
		return NULL;
	}
	*index = m.index;
	return p;
}

static void *map_by_privcmd(struct dom0_state *st, unsigned int domid,
			    unsigned long mfn)
{
	uint64_t frame = mfn;
	int err = 0;
	struct privcmd_mmapbatch_v2 b = { .num = 1, .dom = domid,
					  .arr = &frame, .err = &err };
	void *p;

	if (st->privcmd_fd < 0)
		return NULL;
	if (lx->mmap(&p, LX_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		     st->privcmd_fd, 0) < 0)
		return NULL;
	b.addr = (uintptr_t)p;
	if (lx->ioctl(st->privcmd_fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &b) || err) {
		lx->munmap(p, LX_PAGE_SIZE);
		return NULL;
	}
	return p;
}

static void unmap_ring(struct dom_ring *r)
{
	struct dom0_state *st = r->st;

	if (!r->page || r->page == st->dom0_page)
		return;		/* Dom0's page belongs to the kernel */
	lx->munmap(r->page, LX_PAGE_SIZE);
	if (r->gntdev) {
		struct ioctl_gntdev_unmap_grant_ref u = { r->gnt_index, 1, 0 };

		lx->ioctl(st->gntdev_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
	}
}

static int dom0_attach(struct xsd *xsd, struct xsd_domain *dom)
{
	struct dom0_state *st = xsd->dom_priv;
	struct ioctl_evtchn_bind_interdomain bind = { dom->domid, dom->port };
	struct xsd_who who = { .domid = dom->domid, .priv = dom->domid == 0,
			       .target = -1 };
	struct dom_ring *r = calloc(1, sizeof(*r));
	int port, rc = ENOMEM;

	if (!r)
		return ENOMEM;
	r->st = st;
	if (dom->domid == 0) {
		r->page = st->dom0_page;
	} else {
		r->page = map_by_gntdev(st, dom->domid, &r->gnt_index);
		r->gntdev = r->page != NULL;
		if (!r->page)
			r->page = map_by_privcmd(st, dom->domid, dom->mfn);
	}
	if (!r->page) {
		xsd_log(0, "dom%u: cannot map its store page (grant %d or frame %lu)",
			dom->domid, XS_GNTTAB_RESERVED_XENSTORE, dom->mfn);
		rc = EIO;
		goto fail;
	}
	port = lx->ioctl(st->evtchn_fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
	if (port < 0) {
		xsd_log(0, "dom%u: cannot bind event channel %u: %s",
			dom->domid, dom->port, strerror(-port));
		rc = EIO;
		goto fail;
	}
	r->local_port = port;
	dom->conn = xsd_ring_conn_new(xsd, r->page, &who, ring_notify, r);
	if (!dom->conn) {
		struct ioctl_evtchn_unbind p = { r->local_port };

		lx->ioctl(st->evtchn_fd, IOCTL_EVTCHN_UNBIND, &p);
		goto fail;
	}
	dom->conn->domain = dom;
	dom->priv = r;
	/* Whatever the domain queued before we listened. */
	xsd_conn_input(dom->conn);
	xsd_conn_flush(dom->conn);
	/* Kick the port once, even with nothing to say: Dom0's kernel (local
	 * store) waits for the first event on it before its xenbus_probe
	 * thread registers watches and probes; a domain that queued
	 * requests before we bound learns that they may be consumed. */
	ring_notify(r);
	return 0;
fail:
	unmap_ring(r);
	free(r);
	return rc;
}

static void dom0_detach(struct xsd *xsd, struct xsd_domain *dom)
{
	struct dom_ring *r = dom->priv;
	struct ioctl_evtchn_unbind p;

	if (!r)
		return;
	p.port = r->local_port;
	lx->ioctl(r->st->evtchn_fd, IOCTL_EVTCHN_UNBIND, &p);
	unmap_ring(r);
	free(r);
	dom->priv = NULL;
}

static const struct xsd_domain_ops dom0_ops = {
	.attach = dom0_attach,
	.detach = dom0_detach,
};

static int read_port(unsigned int *port)
{
	char buf[32];
	int fd = open(XSD_PORT, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	*port = strtoul(buf, NULL, 10);
	return 0;
}

/*
 * Domain deaths come as VIRQ_DOM_EXC, answered with getdomaininfo.
 * Without either, the store still serves everyone, but a domain that
 * dies is forgotten only at its toolstack's RELEASE: said, not fatal.
 */
static void bind_dom_exc(struct dom0_state *st)
{
	struct ioctl_evtchn_bind_virq b = { XS_VIRQ_DOM_EXC };
	long port;
	int rc = xsd_hv_open();

	if (rc) {
		fprintf(stderr, "xenstored: cannot open the hypervisor's control interface: %s (dead domains are forgotten only on RELEASE)\n",
			strerror(rc));
		return;
	}
	port = lx->ioctl(st->evtchn_fd, IOCTL_EVTCHN_BIND_VIRQ, &b);
	if (port < 0) {
		fprintf(stderr, "xenstored: cannot bind VIRQ_DOM_EXC: %s (dead domains are forgotten only on RELEASE)\n",
			strerror((int)-port));
		xsd_hv_close();
		return;
	}
	st->virq_port = port;
}

int xsd_dom0_init(struct xsd *xsd)
{
	struct dom0_state *st = &state;
	unsigned int port;
	int fd;

	st->evtchn_fd = lx_open_dev(EVTCHN_DEV);
	if (st->evtchn_fd < 0) {
		fprintf(stderr, "xenstored: cannot open %s: %s (not running in Dom0 on a hypervisor? use --no-domain-init to serve socket clients only)\n",
			EVTCHN_DEV, strerror(-st->evtchn_fd));
		st->evtchn_fd = -1;
		return -1;
	}
	st->gntdev_fd = lx_open_dev(GNTDEV_DEV);
	st->privcmd_fd = lx_open_dev(PRIVCMD_DEV);
	if (st->gntdev_fd < 0 && st->privcmd_fd < 0) {
		fprintf(stderr, "xenstored: cannot open %s or %s: %s (needed to map domain store pages)\n",
			GNTDEV_DEV, PRIVCMD_DEV, strerror(-st->privcmd_fd));
		st->gntdev_fd = st->privcmd_fd = -1;
		goto fail;
	}
	if (st->gntdev_fd < 0)
		st->gntdev_fd = -1;
	if (st->privcmd_fd < 0)
		st->privcmd_fd = -1;
	if (read_port(&port)) {
		fprintf(stderr, "xenstored: cannot read %s: %s (is xenfs mounted on /proc/xen?)\n",
			XSD_PORT, strerror(errno));
		goto fail;
	}
	fd = open(XSD_KVA, O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		st->dom0_page = mmap(NULL, LX_PAGE_SIZE, PROT_READ | PROT_WRITE,
				     MAP_SHARED, fd, 0);
		close(fd);
	}
	if (fd < 0 || st->dom0_page == MAP_FAILED) {
		fprintf(stderr, "xenstored: cannot map %s: %s\n", XSD_KVA,
			strerror(errno));
		st->dom0_page = NULL;
		goto fail;
	}
	xsd->dom_ops = &dom0_ops;
	xsd->dom_priv = st;
	if (xsd_domain_introduce(xsd, 0, 0, port)) {
		fprintf(stderr, "xenstored: cannot attach Dom0's own store ring (port %u)\n",
			port);
		goto fail;
	}
	bind_dom_exc(st);
	return 0;
fail:
	xsd->dom_ops = NULL;
	xsd_dom0_fini(xsd);
	return -1;
}

int xsd_dom0_fd(struct xsd *xsd)
{
	return xsd->dom_ops == &dom0_ops ? state.evtchn_fd : -1;
}

static struct xsd_domain *domain_by_port(struct xsd *xsd, uint32_t port)
{
	for (struct xsd_domain *d = xsd->domains; d; d = d->next) {
		const struct dom_ring *r = d->priv;

		if (r && r->local_port == port)
			return d;
	}
	return NULL;
}

void xsd_dom0_event(struct xsd *xsd)
{
	uint32_t ports[64];
	ssize_t n = lx->read(state.evtchn_fd, ports, sizeof(ports));

	/* Input may introduce and release domains, so each port is looked
	 * up afresh and its domain is not touched after the input ran. */
	for (ssize_t i = 0; i < n / (ssize_t)sizeof(ports[0]); i++) {
		struct xsd_domain *d;

		if (ports[i] == state.virq_port) {
			xsd_domain_check_exits(xsd, xsd_hv_dominfo, NULL);
			continue;
		}
		d = domain_by_port(xsd, ports[i]);
		if (d && d->conn) {
			/* The reply (and its event) goes out now, not after
			 * the unmask below and the main loop's round: the
			 * requester waits on it, one system call less. */
			xsd_conn_input(d->conn);
			xsd_conn_flush(d->conn);
		}
	}
	/* Unmask what we consumed. */
	if (n > 0) {
		ssize_t w = lx->write(state.evtchn_fd, ports, n);

		if (w != n)
			xsd_log(1, "cannot unmask event channels: %s",
				strerror(w < 0 ? (int)-w : EIO));
	}
}

void xsd_dom0_fini(struct xsd *xsd)
{
	struct dom0_state *st = &state;

	if (xsd->dom_ops == &dom0_ops) {
		xsd_domain_destroy_all(xsd);
		xsd->dom_ops = NULL;
	}
	if (st->virq_port >= 0) {
		struct ioctl_evtchn_unbind u = { (uint32_t)st->virq_port };

		lx->ioctl(st->evtchn_fd, IOCTL_EVTCHN_UNBIND, &u);
		xsd_hv_close();
	}
	if (st->dom0_page)
		munmap(st->dom0_page, LX_PAGE_SIZE);
	if (st->evtchn_fd >= 0)
		lx->close(st->evtchn_fd);
	if (st->gntdev_fd >= 0)
		lx->close(st->gntdev_fd);
	if (st->privcmd_fd >= 0)
		lx->close(st->privcmd_fd);
	*st = (struct dom0_state){ -1, -1, -1, NULL, -1 };
}
