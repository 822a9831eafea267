/*
 * pv_build_smoke.c - the PV builder end to end, in Dom0 (on Xen 4.17 and
 * on Paravane, with the same expectations):
 *
 *   pv-build-smoke KERNEL INITRD [MEM_MIB]
 *
 * A bad kernel first (a missing file: one message naming it, the domain
 * left empty); then a domain is created, its two event channels made,
 * pv_build() given the kernel and initrd, the domain unpaused, and its
 * console ring read through a foreign mapping (no xenconsoled) until the
 * DomU's /init prints its marker. Meanwhile this program answers the
 * DomU's xenstore requests with errors (ENOENT), as a xenstored that has
 * nothing for it would, so that the kernel's xenbus probe does not wait
 * for ever. Then the domain is destroyed and free memory must be back.
 * One line per check, then "pv-build-smoke: N passed, M failed" and the
 * time from pv_build() to the marker.
 */
#define XC_WANT_COMPAT_MAP_FOREIGN_API
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <public/io/console.h>
#include "pv_build.h"
#include "xenctrl.h"
#include "xenevtchn.h"

#define MARKER "paravane-domU: init reached"
#define BOOT_TIMEOUT_S 240      /* under TCG on a loaded 2-core machine: seen 83 s */
#define FREE_SLACK 64
#define DOMU_CMDLINE "console=hvc0 panic=-1"

/* Xen's struct xenstore_domain_interface (io/xs_wire.h). */
struct xs_intf {
	char req[1024];
	char rsp[1024];
	uint32_t req_cons, req_prod, rsp_cons, rsp_prod;
	uint32_t server_features, connection, error;
};
struct xs_msg {
	uint32_t type, req_id, tx_id, len;
};
#define XS_ERROR 16
#define XS_RING_MASK 1023u

static int passed, failed;

static void check(int ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void check(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("pv-build-smoke: %s %s", ok ? "PASS" : "FAIL", name);
	if (!ok) {
		printf(": ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
	if (ok)
		passed++;
	else
		failed++;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t create(xc_interface *xch, unsigned mem_mib)
{
	struct xen_domctl_createdomain c = {
		.max_vcpus = 1, .max_evtchn_port = 1023,
		.max_grant_frames = 32, .max_maptrack_frames = 1024,
		.grant_opts = XEN_DOMCTL_GRANT_version(1),
	};
	uint32_t domid = 0;

	if (xc_domain_create(xch, &domid, &c)) {
		check(0, "create", "%s", strerror(errno));
		return 0;
	}
	check(xc_domain_max_vcpus(xch, domid, 1) == 0 &&
	      xc_domain_setmaxmem(xch, domid, (uint64_t)mem_mib * 1024 + 1024) == 0,
	      "create", "max_vcpus/setmaxmem: %s", strerror(errno));
	return domid;
}

static unsigned long nr_pages_of(xc_interface *xch, uint32_t domid)
{
	xc_dominfo_t info;

	if (xc_domain_getinfo(xch, domid, 1, &info) != 1 || info.domid != domid)
		return ~0ul;
	return info.nr_pages;
}

/* A missing kernel: one message naming it, nothing built. */
static void bad_image(xc_interface *xch, uint32_t domid, const char *initrd)
{
	struct pv_build_args a = { .kernel = "/no/such/vmlinuz", .ramdisk = initrd,
				   .mem_kb = 64 * 1024 };
	struct pv_build_result res;
	char err[256];
	int r = pv_build(xch, domid, &a, &res, err, sizeof(err));

	check(r == -1 && errno == ENOENT &&
	      strcmp(err, "/no/such/vmlinuz: cannot open: No such file or directory") == 0,
	      "bad_image_message", "returned %d, errno %d, \"%s\"", r, errno, err);
	check(nr_pages_of(xch, domid) == 0, "bad_image_builds_nothing", "dom%u has %lu pages",
	      domid, nr_pages_of(xch, domid));
}

/* Answer every complete request in the xenstore ring with XS_ERROR. */
static void store_reply(struct xs_intf *xs, xenevtchn_handle *xce, int port)
{
	static char buf[4096 + sizeof(struct xs_msg)];
	static size_t have;
	uint32_t cons = xs->req_cons, prod = xs->req_prod;
	struct xs_msg m;
	static const char body[] = "ENOENT";

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	while (cons != prod && have < sizeof(buf))
		buf[have++] = xs->req[cons++ & XS_RING_MASK];
	xs->req_cons = cons;
	while (have >= sizeof(m)) {
		uint32_t rp = xs->rsp_prod;

		memcpy(&m, buf, sizeof(m));
		if (m.len > 4096) {     /* a broken stream: drop it */
			have = 0;
			break;
		}
		if (have < sizeof(m) + m.len)
			break;
		if (1024 - (rp - xs->rsp_cons) < sizeof(m) + sizeof(body))
			break;          /* no room yet: the guest has not read */
		memmove(buf, buf + sizeof(m) + m.len, have - sizeof(m) - m.len);
		have -= sizeof(m) + m.len;
		m.type = XS_ERROR;
		m.len = sizeof(body);
		for (size_t i = 0; i < sizeof(m); i++)
			xs->rsp[rp++ & XS_RING_MASK] = ((char *)&m)[i];
		for (size_t i = 0; i < sizeof(body); i++)
			xs->rsp[rp++ & XS_RING_MASK] = body[i];
		__atomic_thread_fence(__ATOMIC_RELEASE);
		xs->rsp_prod = rp;
	}
	if (xce && port >= 0)
		xenevtchn_notify(xce, port);
}

/* Read the console ring into log until the marker shows; 1 when it did. */
static int console_poll(struct xencons_interface *con, FILE *log, char *line, size_t *ll)
{
	uint32_t cons = con->out_cons, prod = con->out_prod;
	int seen = 0;

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	while (cons != prod) {
		char c = con->out[MASK_XENCONS_IDX(cons++, con->out)];

		fputc(c, log);
		if (c == '\n' || *ll == 255) {
			line[*ll] = '\0';
			if (strstr(line, MARKER)) {
				printf("pv-build-smoke: domU console: %s\n", line);
				seen = 1;
			}
			*ll = 0;
		} else if (c != '\r') {
			line[(*ll)++] = c;
		}
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	con->out_cons = cons;
	return seen;
}

static void show_tail(const char *path)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "tail -n 30 %s | sed 's/^/domU| /'", path);
	if (system(cmd) != 0)
		printf("pv-build-smoke: (no DomU console log)\n");
}

static int boot(xc_interface *xch, uint32_t domid, const char *kernel, const char *initrd,
		unsigned mem_mib)
{
	struct pv_build_args a = { .kernel = kernel, .ramdisk = initrd, .cmdline = DOMU_CMDLINE,
				   .mem_kb = (uint64_t)mem_mib * 1024 };
	struct pv_build_result res;
	struct xencons_interface *con = NULL;
	struct xs_intf *xs = NULL;
	xenevtchn_handle *xce = xenevtchn_open(NULL, 0);
	int cport = -1, sport = -1, seen = 0, r;
	const char *logpath = "/tmp/domU-console.log";
	FILE *log = fopen(logpath, "w");
	char err[256], line[256];
	size_t ll = 0;
	double t0, t_built = 0, t_end;

	a.console_port = (uint32_t)xc_evtchn_alloc_unbound(xch, domid, 0);
	a.store_port = (uint32_t)xc_evtchn_alloc_unbound(xch, domid, 0);
	check((int)a.console_port > 0 && (int)a.store_port > 0 && a.console_port != a.store_port,
	      "evtchn_alloc_unbound", "ports %d, %d", (int)a.console_port, (int)a.store_port);
	t0 = now_s();
	r = pv_build(xch, domid, &a, &res, err, sizeof(err));
	t_built = now_s();
	check(r == 0, "pv_build", "%s", err);
	if (r)
		goto out;
	printf("pv-build-smoke: dom%u built in %.2f s: entry %#llx, console mfn %#llx, store mfn %#llx, %lu pages\n",
	       domid, t_built - t0, (unsigned long long)res.virt_entry,
	       (unsigned long long)res.console_mfn, (unsigned long long)res.store_mfn,
	       nr_pages_of(xch, domid));
	check(nr_pages_of(xch, domid) == (unsigned long)mem_mib * 256, "nr_pages", "%lu, want %u",
	      nr_pages_of(xch, domid), mem_mib * 256);
	con = xc_map_foreign_range(xch, domid, XC_PAGE_SIZE, PROT_READ | PROT_WRITE, res.console_mfn);
	xs = xc_map_foreign_range(xch, domid, XC_PAGE_SIZE, PROT_READ | PROT_WRITE, res.store_mfn);
	check(con && xs, "map_rings", "%s", strerror(errno));
	if (!con || !xs || !log)
		goto out;
	if (xce) {
		cport = xenevtchn_bind_interdomain(xce, domid, a.console_port);
		sport = xenevtchn_bind_interdomain(xce, domid, a.store_port);
	}
	check(cport >= 0 && sport >= 0, "bind_channels", "%d %d: %s", cport, sport, strerror(errno));
	r = xc_domain_unpause(xch, domid);
	check(r == 0, "unpause", "%s", strerror(errno));
	if (r)
		goto out;
	while (!seen && now_s() - t0 < BOOT_TIMEOUT_S) {
		xc_dominfo_t info;
		struct timespec ts = { 0, 2 * 1000 * 1000 };

		seen = console_poll(con, log, line, &ll);
		if (cport >= 0)
			xenevtchn_notify(xce, cport);
		store_reply(xs, xce, sport);
		if (xc_domain_getinfo(xch, domid, 1, &info) == 1 && info.domid == domid &&
		    (info.shutdown || info.crashed || info.dying)) {
			console_poll(con, log, line, &ll);
			printf("pv-build-smoke: dom%u stopped (shutdown %u reason %u, crashed %u)\n",
			       domid, info.shutdown, info.shutdown_reason, info.crashed);
			break;
		}
		nanosleep(&ts, NULL);
	}
	t_end = now_s();
	fflush(log);
	check(seen, "domU_init_reached", "no \"%s\" on the DomU console after %.0f s", MARKER,
	      t_end - t0);
	if (seen)
		printf("pv-build-smoke: pv_build -> DomU /init: %.2f s (build %.2f s)\n",
		       t_end - t0, t_built - t0);
	else
		show_tail(logpath);
out:
	if (con)
		munmap(con, XC_PAGE_SIZE);
	if (xs)
		munmap(xs, XC_PAGE_SIZE);
	if (xce)
		xenevtchn_close(xce);
	if (log)
		fclose(log);
	return seen;
}

static void destroy(xc_interface *xch, uint32_t domid)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	xc_dominfo_t info;
	int r = xc_domain_destroy(xch, domid), gone = 0;

	for (int i = 0; i < 200 && !gone; i++) {
		gone = xc_domain_getinfo(xch, domid, 1, &info) != 1 || info.domid != domid;
		if (!gone)
			nanosleep(&ts, NULL);
	}
	check(r == 0 && gone, "destroy", "returned %d, gone %d", r, gone);
}

int main(int argc, char **argv)
{
	unsigned mem_mib = argc > 3 ? (unsigned)atoi(argv[3]) : 128;
	xc_physinfo_t before, after;
	xc_interface *xch;
	uint32_t domid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3) {
		fprintf(stderr, "usage: %s KERNEL INITRD [MEM_MIB]\n", argv[0]);
		return 2;
	}
	xch = xc_interface_open(NULL, NULL, 0);
	check(xch != NULL, "interface_open", "%s", strerror(errno));
	if (!xch || xc_physinfo(xch, &before)) {
		failed++;
		goto out;
	}
	domid = create(xch, mem_mib);
	if (domid) {
		bad_image(xch, domid, argv[2]);
		boot(xch, domid, argv[1], argv[2], mem_mib);
		destroy(xch, domid);
		/* Xen frees a dead domain's memory after an RCU grace period. */
		for (int i = 0; i < 50; i++) {
			struct timespec ts = { 0, 100 * 1000 * 1000 };

			if (xc_physinfo(xch, &after) == 0 &&
			    after.free_pages + FREE_SLACK >= before.free_pages)
				break;
			nanosleep(&ts, NULL);
		}
		check(after.free_pages + FREE_SLACK >= before.free_pages, "free_pages_back",
		      "%llu free before, %llu after", (unsigned long long)before.free_pages,
		      (unsigned long long)after.free_pages);
	}
	xc_interface_close(xch);
out:
	printf("pv-build-smoke: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
