/*
 * xc_smoke.c - libxenctrl end to end, run inside Dom0 (on Paravane and on
 * Xen 4.17, with the same expectations): the machine, a domain's whole
 * life through the xc_* calls (create, getinfo, max_vcpus, setmaxmem,
 * populate, a foreign map written and read back, per-frame errors,
 * getinfolist, pause counting, destroy), an event channel for it, and a
 * grant of our own mapped back through gntdev. One PASS/FAIL line per
 * check, then "xc-smoke: N passed, M failed"; exit 0 when none failed.
 * The domain is destroyed whatever failed before.
 */
#define XC_WANT_COMPAT_MAP_FOREIGN_API
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "linux_xen.h"
#include "xenctrl.h"
#include "xenevtchn.h"
#include "xengnttab.h"

#define FRAMES 16		/* populated first */
#define ALLOW 64		/* the allowance, in frames */
/* Frames the machine may keep after the domain went: Xen frees the
 * domain structure after an RCU grace period, and Dom0's kernel may grow
 * its own tables meanwhile (as guests/domctl allows). */
#define FREE_SLACK 64

static int passed, failed;

static void check(int ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void check(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		printf("PASS %s\n", name);
		return;
	}
	failed++;
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (errno %s)\n", strerror(errno));
}

/* getinfo of exactly domid: 1 found, 0 not (or another domain), -1 error */
static int info_of(xc_interface *xch, uint32_t domid, xc_dominfo_t *info)
{
	int r = xc_domain_getinfo(xch, domid, 1, info);

	if (r < 0)
		return errno == ESRCH ? 0 : -1;
	return r == 1 && info->domid == domid;
}

static void test_physinfo(xc_interface *xch, xc_physinfo_t *pi)
{
	int r = xc_physinfo(xch, pi);

	check(r == 0, "physinfo", "returned %d", r);
	check(pi->nr_cpus > 0 && pi->total_pages > 0 && pi->free_pages > 0 &&
	      pi->free_pages <= pi->total_pages, "physinfo_values",
	      "nr_cpus %u total %llu free %llu", pi->nr_cpus,
	      (unsigned long long)pi->total_pages, (unsigned long long)pi->free_pages);
	check(pi->capabilities & XEN_SYSCTL_PHYSCAP_pv, "physinfo_pv",
	      "capabilities %#x", pi->capabilities);
	printf("xc-smoke: %u CPUs, %llu pages, %llu free\n", pi->nr_cpus,
	       (unsigned long long)pi->total_pages, (unsigned long long)pi->free_pages);
}

static uint32_t test_create(xc_interface *xch)
{
	struct xen_domctl_createdomain c = {
		.max_vcpus = 2, .max_evtchn_port = 1023,
		.max_grant_frames = -1, .max_maptrack_frames = -1,
		.grant_opts = XEN_DOMCTL_GRANT_version(1),
	};
	uint32_t domid = 0;
	xc_dominfo_t info;
	int r;

	for (unsigned i = 0; i < sizeof(c.handle); i++)
		c.handle[i] = (uint8_t)(0xc0 + i);
	r = xc_domain_create(xch, &domid, &c);
	check(r == 0 && domid > 0 && domid < DOMID_FIRST_RESERVED, "create",
	      "returned %d, domid %u", r, domid);
	if (r)
		return 0;
	printf("xc-smoke: created dom%u\n", domid);
	r = info_of(xch, domid, &info);
	check(r == 1, "getinfo_new", "returned %d", r);
	check(r == 1 && info.paused && !info.dying && !info.shutdown, "getinfo_new_paused",
	      "paused %u dying %u shutdown %u", info.paused, info.dying, info.shutdown);
	check(r == 1 && info.nr_pages == 0 && info.max_memkb == 0, "getinfo_new_no_pages",
	      "nr_pages %lu max_memkb %lu", info.nr_pages, info.max_memkb);
	check(r == 1 && !memcmp(info.handle, c.handle, sizeof(c.handle)), "getinfo_new_handle",
	      "handle differs");
	/* the same id again is taken */
	r = xc_domain_create(xch, &domid, &c);
	check(r == -1 && errno == EEXIST, "create_taken_id_eexist", "returned %d", r);
	c.max_vcpus = 0;
	{
		uint32_t other = 0;

		r = xc_domain_create(xch, &other, &c);
		check(r == -1 && errno == EINVAL, "create_no_vcpus_einval", "returned %d, dom%u", r, other);
		if (r == 0)
			xc_domain_destroy(xch, other);
	}
	return domid;
}

static void test_limits(xc_interface *xch, uint32_t domid)
{
	xc_dominfo_t info;
	int r;

	r = xc_domain_max_vcpus(xch, domid, 2);
	check(r == 0, "max_vcpus", "returned %d", r);
	r = xc_domain_max_vcpus(xch, domid, 3);
	check(r == -1 && errno == EINVAL, "max_vcpus_other_einval", "returned %d", r);
	r = info_of(xch, domid, &info);
	check(r == 1 && info.max_vcpu_id == 1, "getinfo_max_vcpu_id",
	      "returned %d, max_vcpu_id %u", r, info.max_vcpu_id);
	r = xc_domain_setmaxmem(xch, domid, ALLOW * 4);
	check(r == 0, "setmaxmem", "returned %d", r);
	r = info_of(xch, domid, &info);
	check(r == 1 && info.max_memkb == ALLOW * 4, "getinfo_max_memkb",
	      "max_memkb %lu", info.max_memkb);
}

/* Populate FRAMES, then up to the allowance; frames[] gets the MFNs. */
static void test_populate(xc_interface *xch, uint32_t domid, xen_pfn_t *frames)
{
	xen_pfn_t more[ALLOW];
	xc_dominfo_t info;
	int r, distinct = 1;

	for (unsigned i = 0; i < FRAMES; i++)
		frames[i] = i;
	r = xc_domain_populate_physmap_exact(xch, domid, FRAMES, 0, 0, frames);
	check(r == 0, "populate_exact", "returned %d", r);
	for (unsigned i = 0; i < FRAMES; i++)
		for (unsigned j = 0; j < i; j++)
			distinct &= frames[i] != frames[j];
	check(r == 0 && distinct, "populate_mfns_distinct", "frames[0] %#llx frames[1] %#llx",
	      (unsigned long long)frames[0], (unsigned long long)frames[1]);
	r = info_of(xch, domid, &info);
	check(r == 1 && info.nr_pages == FRAMES, "getinfo_nr_pages", "nr_pages %lu", info.nr_pages);
	for (unsigned i = 0; i < ALLOW; i++)
		more[i] = FRAMES + i;
	r = xc_domain_populate_physmap(xch, domid, ALLOW, 0, 0, more);
	check(r == ALLOW - FRAMES, "populate_up_to_allowance", "returned %d, want %d", r, ALLOW - FRAMES);
	more[0] = ALLOW + 100;
	r = xc_domain_populate_physmap_exact(xch, domid, 1, 0, 0, more);
	check(r == -1 && errno == EBUSY, "populate_exact_past_allowance_ebusy", "returned %d", r);
	/* the last frame back */
	more[0] = frames[FRAMES - 1];
	r = xc_domain_decrease_reservation_exact(xch, domid, 1, 0, more);
	check(r == 0, "decrease_exact", "returned %d", r);
	r = info_of(xch, domid, &info);
	check(r == 1 && info.nr_pages == ALLOW - 1, "getinfo_after_decrease", "nr_pages %lu", info.nr_pages);
}

static void test_foreign(xc_interface *xch, uint32_t domid, const xen_pfn_t *frames)
{
	const size_t page = XC_PAGE_SIZE;
	xen_pfn_t list[3] = { frames[0], frames[FRAMES - 1], frames[1] };
	int err[3] = { 1, 1, 1 };
	uint32_t *p;
	int ok;

	p = xc_map_foreign_bulk(xch, domid, PROT_READ | PROT_WRITE, frames, err, 1);
	check(p && err[0] == 0, "map_foreign_bulk", "mapping %p err %d", (void *)p, err[0]);
	if (p) {
		for (unsigned i = 0; i < page / 4; i++)
			p[i] = 0x5eed0000u + i;
		munmap(p, page);
	}
	p = xc_map_foreign_pages(xch, domid, PROT_READ, frames, 1);
	ok = p != NULL;
	for (unsigned i = 0; p && i < page / 4; i++)
		ok &= p[i] == 0x5eed0000u + i;
	check(ok, "map_foreign_read_back", "mapping %p first word %#x", (void *)p, p ? p[0] : 0);
	if (p)
		munmap(p, page);
	p = xc_map_foreign_range(xch, domid, (int)page, PROT_READ, frames[0]);
	check(p && p[1] == 0x5eed0001u, "map_foreign_range", "mapping %p", (void *)p);
	if (p)
		munmap(p, page);
	/* frames[FRAMES-1] went back: not the domain's any more */
	p = xc_map_foreign_bulk(xch, domid, PROT_READ, list, err, 3);
	check(p && err[0] == 0 && err[1] < 0 && err[2] == 0, "map_foreign_per_frame_error",
	      "mapping %p err %d %d %d", (void *)p, err[0], err[1], err[2]);
	if (p) {
		check(p[0] == 0x5eed0000u, "map_foreign_partial_good_page", "first word %#x", p[0]);
		munmap(p, 3 * page);
	}
	errno = 0;
	p = xc_map_foreign_pages(xch, domid, PROT_READ, list, 3);
	check(!p && errno != 0, "map_foreign_pages_all_or_nothing", "mapping %p", (void *)p);
	if (p)
		munmap(p, 3 * page);
	p = xc_map_foreign_bulk(xch, domid, PROT_READ, list, NULL, 3);
	check(!p && errno == EINVAL, "map_foreign_null_err_einval", "mapping %p", (void *)p);
}

static void test_list_and_pause(xc_interface *xch, uint32_t domid)
{
	xc_domaininfo_t list[32];
	xc_dominfo_t info;
	int n, seen0 = 0, seen = 0, r;

	n = xc_domain_getinfolist(xch, 0, 32, list);
	for (int i = 0; i < n; i++) {
		seen0 |= list[i].domain == 0;
		seen |= list[i].domain == domid;
	}
	check(n >= 2 && seen0 && seen, "getinfolist", "returned %d, dom0 %d, ours %d", n, seen0, seen);
	n = xc_domain_getinfolist(xch, domid, 1, list);
	check(n == 1 && list[0].domain == domid && list[0].tot_pages == ALLOW - 1,
	      "getinfolist_from_ours", "returned %d", n);
	/* created paused once: pause makes it 2, three unpauses reach -EINVAL */
	r = xc_domain_pause(xch, domid);
	check(r == 0, "pause", "returned %d", r);
	r = xc_domain_unpause(xch, domid);
	check(r == 0, "unpause_1", "returned %d", r);
	check(info_of(xch, domid, &info) == 1 && info.paused, "still_paused_once", "paused %u", info.paused);
	r = xc_domain_unpause(xch, domid);
	check(r == 0, "unpause_2", "returned %d", r);
	check(info_of(xch, domid, &info) == 1 && !info.paused, "unpaused", "paused %u", info.paused);
	r = xc_domain_unpause(xch, domid);
	check(r == -1 && errno == EINVAL, "unpause_at_zero_einval", "returned %d", r);
	r = xc_domain_pause(xch, domid);
	check(r == 0, "pause_again", "returned %d", r);
	r = xc_domain_pause(xch, DOMID_SELF);
	check(r == -1 && errno == ESRCH, "pause_domid_self_esrch", "returned %d", r);
}

static void test_evtchn(uint32_t domid)
{
	xenevtchn_handle *xce = xenevtchn_open(NULL, 0);
	struct pollfd pfd;
	int a, b, got = -1, r;

	check(xce != NULL, "evtchn_open", "NULL");
	if (!xce)
		return;
	a = xenevtchn_bind_unbound_port(xce, domid);
	check(a > 0, "evtchn_unbound_for_domain", "returned %d", a);
	if (a > 0)
		check(xenevtchn_unbind(xce, a) == 0, "evtchn_unbind", "failed");
	/* a round trip between two of our own ports */
	a = xenevtchn_bind_unbound_port(xce, 0);
	b = a > 0 ? xenevtchn_bind_interdomain(xce, 0, a) : -1;
	check(a > 0 && b > 0 && a != b, "evtchn_loop_bound", "ports %d %d", a, b);
	if (a > 0 && b > 0) {
		/* Xen also marks a port pending when it is bound interdomain:
		 * read (and unmask) until the notified end shows up. */
		int seen_a = 0, unmasked = 1;

		r = xenevtchn_notify(xce, b);
		pfd.fd = xenevtchn_fd(xce);
		pfd.events = POLLIN;
		for (int i = 0; i < 3 && r == 0 && !seen_a; i++) {
			got = poll(&pfd, 1, 5000) == 1 ? xenevtchn_pending(xce) : -1;
			if (got < 0)
				break;
			seen_a = got == a;
			unmasked &= xenevtchn_unmask(xce, got) == 0;
		}
		check(seen_a, "evtchn_notify_pending", "notify %d, port %d never pending", r, a);
		check(unmasked, "evtchn_unmask", "failed");
	}
	r = xenevtchn_notify(xce, 4095);
	check(r == -1 && errno != 0, "evtchn_notify_unbound_fails", "returned %d", r);
	check(xenevtchn_close(xce) == 0, "evtchn_close", "failed");
}

/* A page of ours granted to ourselves (gntalloc), mapped back (gntdev). */
static void test_gnttab(void)
{
	struct ioctl_gntalloc_alloc_gref a = { .domid = 0, .flags = GNTALLOC_FLAG_WRITABLE, .count = 1 };
	struct ioctl_gntalloc_dealloc_gref d = { 0 };
	xengnttab_handle *xgt = xengnttab_open(NULL, 0);
	int fd = open(LX_GNTALLOC_DEV, O_RDWR | O_CLOEXEC);
	uint32_t *mine = MAP_FAILED, *back = NULL;

	check(xgt != NULL, "gnttab_open", "NULL");
	check(fd >= 0, "gntalloc_open", "%s", LX_GNTALLOC_DEV);
	if (!xgt || fd < 0)
		goto out;
	check(xengnttab_set_max_grants(xgt, 16) == 0, "gnttab_set_max_grants", "failed");
	if (ioctl(fd, IOCTL_GNTALLOC_ALLOC_GREF, &a)) {
		check(0, "gntalloc_alloc", "ioctl failed");
		goto out;
	}
	mine = mmap(NULL, XC_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)a.index);
	check(mine != MAP_FAILED, "gntalloc_mmap", "failed");
	if (mine == MAP_FAILED)
		goto out;
	mine[0] = 0x6a6e7400;
	mine[1023] = 0x6a6e74ff;
	back = xengnttab_map_grant_ref(xgt, 0, a.gref_ids[0], PROT_READ | PROT_WRITE);
	check(back && back[0] == 0x6a6e7400 && back[1023] == 0x6a6e74ff, "gnttab_map_own_grant",
	      "ref %u mapping %p", a.gref_ids[0], (void *)back);
	if (back) {
		back[1] = 0x77;
		check(mine[1] == 0x77, "gnttab_write_through", "read %#x", mine[1]);
		check(xengnttab_unmap(xgt, back, 1) == 0, "gnttab_unmap", "failed");
	}
out:
	if (mine != MAP_FAILED)
		munmap(mine, XC_PAGE_SIZE);
	if (fd >= 0) {
		d.index = a.index;
		d.count = 1;
		ioctl(fd, IOCTL_GNTALLOC_DEALLOC_GREF, &d);
		close(fd);
	}
	xengnttab_close(xgt);
}

static void test_destroy(xc_interface *xch, uint32_t domid)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	xc_dominfo_t info;
	int r, gone = 0;

	r = xc_domain_destroy(xch, domid);
	check(r == 0, "destroy", "returned %d", r);
	/* Xen frees the domain after an RCU grace period: it may be seen
	 * dying for a moment */
	for (int i = 0; i < 100 && !gone; i++) {
		r = info_of(xch, domid, &info);
		gone = r == 0;
		if (r == 1 && !info.dying)
			break;
		if (!gone)
			nanosleep(&ts, NULL);
	}
	errno = 0;
	r = xc_domain_getinfo(xch, domid, 1, &info);
	check(gone && (r == -1 ? errno == ESRCH : info.domid != domid), "getinfo_destroyed_esrch",
	      "returned %d, domid %u, dying %u", r, info.domid, info.dying);
	r = xc_domain_pause(xch, domid);
	check(r == -1 && errno == ESRCH, "pause_destroyed_esrch", "returned %d", r);
}

int main(void)
{
	xc_interface *xch;
	xc_physinfo_t before, after;
	xen_pfn_t frames[FRAMES];
	uint32_t domid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	xch = xc_interface_open(NULL, NULL, 0);
	check(xch != NULL, "interface_open", "NULL");
	if (!xch)
		goto out;
	test_physinfo(xch, &before);
	domid = test_create(xch);
	if (domid) {
		test_limits(xch, domid);
		test_populate(xch, domid, frames);
		test_foreign(xch, domid, frames);
		test_list_and_pause(xch, domid);
		test_evtchn(domid);
		test_destroy(xch, domid);
		check(xc_physinfo(xch, &after) == 0 &&
		      after.free_pages + FREE_SLACK >= before.free_pages, "free_pages_back",
		      "%llu free before, %llu after", (unsigned long long)before.free_pages,
		      (unsigned long long)after.free_pages);
	}
	test_gnttab();
	if (xc_physinfo(xch, &after) == 0)
		printf("xc-smoke: free pages %llu before, %llu after\n",
		       (unsigned long long)before.free_pages, (unsigned long long)after.free_pages);
	check(xc_interface_close(xch) == 0, "interface_close", "failed");
out:
	printf("xc-smoke: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
