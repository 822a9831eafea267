/*
 * xenctrl_test.c - libxenctrl (dom0-tools/libs/ctrl) against a fake device
 * layer: the library's every open, ioctl, mmap, read and write goes to the
 * fake below (lx_set_ops), which records what was asked and answers as a
 * test's responder says. Checked: the ioctl numbers and layouts of Linux
 * 6.1, argument marshalling, the interface version on every domctl and
 * sysctl, decoding of getdomaininfo, per-frame errors of foreign maps,
 * errno at the Xen-compatible surface, and bad inputs refused before any
 * device is touched; and, on the real devices' side, that the system's
 * operations of the device layer answer -errno, and the log helper's
 * levels and line format.
 */
#define XC_WANT_COMPAT_MAP_FOREIGN_API
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>
#include "linux_xen.h"
#include "lx_dev.h"
#include "d0_log.h"
#include "xenctrl.h"
#include "xenevtchn.h"
#include "xengnttab.h"

/* ---- the fake --------------------------------------------------------- */

#define FD_BASE 40
#define MAX_CALLS 32

struct call {
	int fd;
	unsigned long req;
	uint64_t op;			/* hypercalls */
	uint64_t arg0;
	struct xen_domctl domctl;	/* as the hypervisor saw it */
	struct xen_sysctl sysctl;
	struct xen_memory_reservation res;
	xen_pfn_t ext[8];
	uintptr_t ext_addr;
};

static struct fake {
	int open_rc;			/* <0: the next open fails so */
	char opened[4][64];
	int open_flags[4];
	int nopen, nclose;
	struct call calls[MAX_CALLS];
	int ncalls;
	long (*hypercall)(uint64_t op, uint64_t *arg);	/* responder */
	long (*ioctl)(int fd, unsigned long req, void *arg);	/* the others */
	int nmmap, nmunmap;
	void *mmap_addr, *munmap_addr;
	size_t mmap_len, munmap_len;
	off_t mmap_off;
	int mmap_rc;
	uint32_t read_port, written_port;
	int nread, nwritten;
} F;

static int f_open(const char *path, int flags)
{
	if (F.open_rc < 0)
		return F.open_rc;
	snprintf(F.opened[F.nopen % 4], sizeof(F.opened[0]), "%s", path);
	F.open_flags[F.nopen % 4] = flags;
	return FD_BASE + F.nopen++;
}

static int f_close(int fd)
{
	F.nclose++;
	return 0;
}

static long f_ioctl(int fd, unsigned long req, void *arg)
{
	struct call *c = &F.calls[F.ncalls < MAX_CALLS ? F.ncalls : MAX_CALLS - 1];

	F.ncalls++;
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->req = req;
	if (req == IOCTL_PRIVCMD_HYPERCALL) {
		struct privcmd_hypercall *h = arg;

		c->op = h->op;
		c->arg0 = h->arg[0];
		if (h->op == __HYPERVISOR_domctl)
			c->domctl = *(struct xen_domctl *)(uintptr_t)h->arg[0];
		if (h->op == __HYPERVISOR_sysctl)
			c->sysctl = *(struct xen_sysctl *)(uintptr_t)h->arg[0];
		if (h->op == __HYPERVISOR_memory_op) {
			c->res = *(struct xen_memory_reservation *)(uintptr_t)h->arg[1];
			c->ext_addr = c->res.extent_start;
			for (uint64_t i = 0; i < c->res.nr_extents && i < 8; i++)
				c->ext[i] = ((xen_pfn_t *)(uintptr_t)c->res.extent_start)[i];
		}
		return F.hypercall ? F.hypercall(h->op, h->arg) : 0;
	}
	return F.ioctl ? F.ioctl(fd, req, arg) : 0;
}

static int f_mmap(void **out, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p;

	F.nmmap++;
	F.mmap_len = len;
	F.mmap_off = off;
	if (F.mmap_rc < 0)
		return F.mmap_rc;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	F.mmap_addr = *out = p;
	return 0;
}

static int f_munmap(void *addr, size_t len)
{
	F.nmunmap++;
	F.munmap_addr = addr;
	F.munmap_len = len;
	return munmap(addr, len) ? -errno : 0;
}

static ssize_t f_read(int fd, void *buf, size_t len)
{
	F.nread++;
	memcpy(buf, &F.read_port, sizeof(F.read_port));
	return sizeof(F.read_port);
}

static ssize_t f_write(int fd, const void *buf, size_t len)
{
	F.nwritten++;
	memcpy(&F.written_port, buf, sizeof(F.written_port));
	return (ssize_t)len;
}

static const struct lx_ops fake_ops = {
	.open = f_open, .close = f_close, .ioctl = f_ioctl, .mmap = f_mmap,
	.munmap = f_munmap, .read = f_read, .write = f_write,
};

static FILE *devnull;

static int setup(void **state)
{
	memset(&F, 0, sizeof(F));
	lx_set_ops(&fake_ops);
	d0_log_set_stream(devnull);
	return 0;
}

static int teardown(void **state)
{
	lx_set_ops(NULL);
	return 0;
}

static xc_interface *open_xc(void)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);

	assert_non_null(xch);
	F.ncalls = 0;
	return xch;
}

/* ---- Linux 6.1's numbers (from its uapi headers) ---------------------- */

static void test_ioctl_numbers(void **state)
{
	static const struct { unsigned long got, want; } t[] = {
		{ IOCTL_PRIVCMD_HYPERCALL, 0x305000 },
		{ IOCTL_PRIVCMD_MMAPBATCH_V2, 0x205004 },
		{ IOCTL_PRIVCMD_RESTRICT, 0x25006 },
		{ IOCTL_EVTCHN_BIND_VIRQ, 0x44500 },
		{ IOCTL_EVTCHN_BIND_INTERDOMAIN, 0x84501 },
		{ IOCTL_EVTCHN_BIND_UNBOUND_PORT, 0x44502 },
		{ IOCTL_EVTCHN_UNBIND, 0x44503 },
		{ IOCTL_EVTCHN_NOTIFY, 0x44504 },
		{ IOCTL_EVTCHN_RESET, 0x4505 },
		{ IOCTL_EVTCHN_RESTRICT_DOMID, 0x24506 },
		{ IOCTL_GNTDEV_MAP_GRANT_REF, 0x184700 },
		{ IOCTL_GNTDEV_UNMAP_GRANT_REF, 0x104701 },
		{ IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, 0x184702 },
		{ IOCTL_GNTDEV_SET_MAX_GRANTS, 0x44703 },
		{ IOCTL_GNTALLOC_ALLOC_GREF, 0x184705 },
		{ IOCTL_GNTALLOC_DEALLOC_GREF, 0x104706 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(t[i].got, t[i].want);
	assert_int_equal(offsetof(struct privcmd_mmapbatch_v2, addr), 8);
	assert_int_equal(offsetof(struct privcmd_mmapbatch_v2, arr), 16);
	assert_int_equal(offsetof(struct privcmd_mmapbatch_v2, err), 24);
	assert_int_equal(offsetof(struct ioctl_gntalloc_alloc_gref, index), 8);
	assert_int_equal(offsetof(struct ioctl_gntalloc_alloc_gref, gref_ids), 16);
}

/* ---- the device layer and the log helper ------------------------------ */

/* The system's operations answer -errno, never -1 with errno. */
static void test_sys_ops_answer_negative_errno(void **state)
{
	char buf[4];
	void *p = NULL;
	int fd;

	lx_set_ops(NULL);
	assert_int_equal(lx_open_dev("/nonexistent/xen/privcmd"), -ENOENT);
	fd = lx_open_dev("/dev/null");
	assert_true(fd >= 0);
	assert_int_equal(lx->ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, buf), -ENOTTY);
	assert_int_equal(lx->read(fd, buf, sizeof(buf)), 0);
	assert_int_equal(lx->write(-1, buf, sizeof(buf)), -EBADF);
	assert_int_equal(lx->mmap(&p, 4096, PROT_READ, MAP_SHARED, -1, 0), -EBADF);
	assert_null(p);
	assert_int_equal(lx->close(fd), 0);
	assert_int_equal(lx->close(fd), -EBADF);
}

static void test_log_levels(void **state)
{
	char line[256] = "";
	FILE *f = tmpfile();

	assert_non_null(f);
	d0_log_set_stream(f);
	d0_log_set_level(D0_LOG_WARN);
	d0_log(D0_LOG_DEBUG, "xc", "hidden %d", 1);
	d0_log(D0_LOG_ERR, "xc", "dom%u: %s", 3, "no such domain");
	d0_log_set_level(D0_LOG_DEBUG);
	d0_log(D0_LOG_DEBUG, "xc", "shown");
	rewind(f);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "xc: error: dom3: no such domain\n");
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "xc: debug: shown\n");
	assert_null(fgets(line, sizeof(line), f));
	fclose(f);
	d0_log_set_level(D0_LOG_WARN);
	d0_log_set_stream(devnull);
}

/* ---- the handle ------------------------------------------------------- */

static void test_open_close(void **state)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);

	assert_non_null(xch);
	assert_string_equal(F.opened[0], "/dev/xen/privcmd");
	assert_true(F.open_flags[0] & O_CLOEXEC);
	assert_int_equal(F.open_flags[0] & O_ACCMODE, O_RDWR);
	assert_int_equal(xc_interface_close(xch), 0);
	assert_int_equal(F.nclose, 1);
	assert_int_equal(xc_interface_close(NULL), 0);
}

static void test_open_fails_with_errno(void **state)
{
	F.open_rc = -ENOENT;
	errno = 0;
	assert_null(xc_interface_open(NULL, NULL, 0));
	assert_int_equal(errno, ENOENT);
	F.open_rc = -EACCES;
	assert_null(xc_interface_open(NULL, NULL, 0));
	assert_int_equal(errno, EACCES);
}

static void test_dummy_handle_makes_no_call(void **state)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, XC_OPENFLAG_DUMMY);

	assert_non_null(xch);
	assert_int_equal(F.nopen, 0);
	assert_int_equal(xc_domain_pause(xch, 1), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(F.ncalls, 0);
	xc_interface_close(xch);
	assert_int_equal(F.nclose, 0);
}

/* ---- domctl marshalling and the version stamp ------------------------- */

static void expect_domctl(int i, uint32_t cmd, domid_t dom)
{
	assert_int_equal(F.calls[i].req, IOCTL_PRIVCMD_HYPERCALL);
	assert_int_equal(F.calls[i].fd, FD_BASE);
	assert_int_equal(F.calls[i].op, __HYPERVISOR_domctl);
	assert_int_equal(F.calls[i].domctl.cmd, cmd);
	assert_int_equal(F.calls[i].domctl.interface_version, 0x15);
	assert_int_equal(F.calls[i].domctl.domain, dom);
}

static void test_domctls_marshalled_and_stamped(void **state)
{
	xc_interface *xch = open_xc();

	assert_int_equal(xc_domain_pause(xch, 7), 0);
	assert_int_equal(xc_domain_unpause(xch, 7), 0);
	assert_int_equal(xc_domain_destroy(xch, 8), 0);
	assert_int_equal(xc_domain_max_vcpus(xch, 9, 3), 0);
	assert_int_equal(xc_domain_setmaxmem(xch, 10, 0x123456789ull), 0);
	assert_int_equal(F.ncalls, 5);
	expect_domctl(0, XEN_DOMCTL_pausedomain, 7);
	expect_domctl(1, XEN_DOMCTL_unpausedomain, 7);
	expect_domctl(2, XEN_DOMCTL_destroydomain, 8);
	expect_domctl(3, XEN_DOMCTL_max_vcpus, 9);
	assert_int_equal(F.calls[3].domctl.u.max_vcpus.max, 3);
	expect_domctl(4, XEN_DOMCTL_max_mem, 10);
	assert_int_equal(F.calls[4].domctl.u.max_mem.max_memkb, 0x123456789ull);
	xc_interface_close(xch);
}

static bool mapped(uint64_t addr)
{
	unsigned char v;

	return mincore((void *)(uintptr_t)(addr & ~0xfffull), 4096, &v) == 0;
}

static xc_interface *nested_xch;
static uint64_t nested_arg0;

/* A domctl made while one is in flight (as another thread would). */
static long nested_answer(uint64_t op, uint64_t *arg)
{
	if (nested_xch) {
		xc_interface *xch = nested_xch;

		nested_xch = NULL;
		assert_int_equal(xc_domain_pause(xch, 3), 0);
		nested_arg0 = F.calls[F.ncalls - 1].arg0;
	}
	return 0;
}

/* The handle keeps one locked page for domctl and sysctl arguments: the
 * same page every call, still mapped between calls, unmapped at close;
 * a call made while it is in use gets another. */
static void test_argument_page_kept(void **state)
{
	xc_interface *xch = open_xc();
	xc_physinfo_t pi;
	uint64_t page;

	assert_int_equal(xc_domain_pause(xch, 7), 0);
	page = F.calls[0].arg0;
	assert_true(mapped(page));
	assert_int_equal(xc_domain_unpause(xch, 7), 0);
	assert_int_equal(xc_physinfo(xch, &pi), 0);
	assert_int_equal(F.ncalls, 3);
	assert_int_equal(F.calls[1].arg0, page);
	assert_int_equal(F.calls[2].arg0, page);
	assert_true(mapped(page));

	F.hypercall = nested_answer;
	nested_xch = xch;
	assert_int_equal(xc_domain_destroy(xch, 8), 0);
	assert_int_equal(F.calls[3].arg0, page);
	assert_int_not_equal(nested_arg0, page);
	assert_false(mapped(nested_arg0));	/* its own page, gone */
	assert_int_equal(xc_domain_unpause(xch, 8), 0);
	assert_int_equal(F.calls[F.ncalls - 1].arg0, page);	/* free again */
	xc_interface_close(xch);
	assert_false(mapped(page));
}

static long create_answer(uint64_t op, uint64_t *arg)
{
	struct xen_domctl *d = (void *)(uintptr_t)arg[0];

	d->domain = 5;
	d->u.createdomain.max_grant_frames = 64;	/* the default filled in */
	return 0;
}

static void test_create(void **state)
{
	xc_interface *xch = open_xc();
	struct xen_domctl_createdomain c = {
		.flags = 0, .max_vcpus = 2, .max_evtchn_port = 1023,
		.max_grant_frames = -1, .max_maptrack_frames = -1,
		.grant_opts = XEN_DOMCTL_GRANT_version(1),
	};
	uint32_t domid = 0;

	memset(c.handle, 0xab, sizeof(c.handle));
	F.hypercall = create_answer;
	assert_int_equal(xc_domain_create(xch, &domid, &c), 0);
	assert_int_equal(domid, 5);
	assert_int_equal(c.max_grant_frames, 64);
	expect_domctl(0, XEN_DOMCTL_createdomain, 0);
	assert_int_equal(F.calls[0].domctl.u.createdomain.max_vcpus, 2);
	assert_int_equal(F.calls[0].domctl.u.createdomain.max_evtchn_port, 1023);
	assert_int_equal(F.calls[0].domctl.u.createdomain.grant_opts, 1);
	assert_int_equal(F.calls[0].domctl.u.createdomain.handle[15], 0xab);
	/* an id asked for goes through as it is */
	domid = 42;
	assert_int_equal(xc_domain_create(xch, &domid, &c), 0);
	expect_domctl(1, XEN_DOMCTL_createdomain, 42);
	xc_interface_close(xch);
}

/* ---- sysctl ---------------------------------------------------------- */

static long physinfo_answer(uint64_t op, uint64_t *arg)
{
	struct xen_sysctl *s = (void *)(uintptr_t)arg[0];

	s->u.physinfo.nr_cpus = 2;
	s->u.physinfo.total_pages = 262144;
	s->u.physinfo.free_pages = 1000;
	s->u.physinfo.capabilities = XEN_SYSCTL_PHYSCAP_pv;
	return 0;
}

static void test_physinfo(void **state)
{
	xc_interface *xch = open_xc();
	xc_physinfo_t info;

	memset(&info, 0xff, sizeof(info));
	F.hypercall = physinfo_answer;
	assert_int_equal(xc_physinfo(xch, &info), 0);
	assert_int_equal(F.calls[0].op, __HYPERVISOR_sysctl);
	assert_int_equal(F.calls[0].sysctl.cmd, XEN_SYSCTL_physinfo);
	assert_int_equal(F.calls[0].sysctl.interface_version, 0x15);
	assert_int_equal(info.nr_cpus, 2);
	assert_int_equal(info.total_pages, 262144);
	assert_int_equal(info.free_pages, 1000);
	assert_int_equal(info.capabilities, XEN_SYSCTL_PHYSCAP_pv);
	assert_int_equal(xc_physinfo(xch, NULL), -1);
	assert_int_equal(errno, EINVAL);
	xc_interface_close(xch);
}

/* ---- xen_version ------------------------------------------------------ */

static long version_answer(uint64_t op, uint64_t *arg)
{
	char *buf = (void *)(uintptr_t)arg[1];

	switch (arg[0]) {
	case XENVER_version:
		return (4 << 16) | 17;
	case XENVER_extraversion:
		strcpy(buf, ".0-paravane");
		return 0;
	case XENVER_build_id: {
		struct xen_build_id *b = (void *)buf;

		if (b->len < 4)
			return -ENOBUFS;
		memcpy(b->buf, "\xde\xad\xbe\xef", 4);
		return 4;
	}
	default:
		return -ENOSYS;
	}
}

static void test_version(void **state)
{
	xc_interface *xch = open_xc();
	xen_extraversion_t extra;
	xen_changeset_info_t changeset;
	struct {
		struct xen_build_id h;
		uint8_t buf[8];
	} bid = { .h.len = 8 };

	F.hypercall = version_answer;
	assert_int_equal(xc_version(xch, XENVER_version, NULL), (4 << 16) | 17);
	assert_int_equal(F.calls[0].op, __HYPERVISOR_xen_version);
	assert_int_equal(F.calls[0].arg0, XENVER_version);
	memset(extra, 0x55, sizeof(extra));
	assert_int_equal(xc_version(xch, XENVER_extraversion, extra), 0);
	assert_string_equal(extra, ".0-paravane");
	/* the buffer went through locked memory, not the caller's */
	assert_int_equal(xc_version(xch, XENVER_build_id, &bid), 4);
	assert_memory_equal(bid.buf, "\xde\xad\xbe\xef", 4);
	/* errors: the hypervisor's, and ours before any call */
	assert_int_equal(xc_version(xch, XENVER_changeset, changeset), -1);
	assert_int_equal(errno, ENOSYS);
	F.ncalls = 0;
	assert_int_equal(xc_version(xch, XENVER_capabilities, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xc_version(xch, 99, extra), -1);
	assert_int_equal(errno, EINVAL);
	bid.h.len = 1u << 20;
	assert_int_equal(xc_version(xch, XENVER_build_id, &bid), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(F.ncalls, 0);
	xc_interface_close(xch);
}

/* ---- getdomaininfo: an iterator over domains 0, 5 and 9 --------------- */

static long getinfo_answer(uint64_t op, uint64_t *arg)
{
	static const domid_t ids[] = { 0, 5, 9 };
	struct xen_domctl *d = (void *)(uintptr_t)arg[0];
	struct xen_domctl_getdomaininfo *g = &d->u.getdomaininfo;

	if (d->cmd != XEN_DOMCTL_getdomaininfo)
		return -ENOSYS;
	for (size_t i = 0; i < 3; i++) {
		if (ids[i] < d->domain)
			continue;
		memset(g, 0, sizeof(*g));
		d->domain = g->domain = ids[i];
		g->flags = 0xffffu << XEN_DOMINF_shutdownshift;	/* no code yet */
		if (ids[i] == 5) {
			g->flags = XEN_DOMINF_paused | XEN_DOMINF_shutdown |
				   ((uint32_t)SHUTDOWN_crash << XEN_DOMINF_shutdownshift);
			g->tot_pages = 10;
			g->max_pages = 256;
			g->nr_online_vcpus = 2;
			g->max_vcpu_id = 1;
			g->handle[0] = 0x5a;
			g->cpu_time = 77;
		}
		if (ids[i] == 9)
			g->flags |= XEN_DOMINF_dying | XEN_DOMINF_blocked;
		return 0;
	}
	return -ESRCH;
}

static void test_getinfo_decodes_and_iterates(void **state)
{
	xc_interface *xch = open_xc();
	xc_dominfo_t info[4];

	F.hypercall = getinfo_answer;
	assert_int_equal(xc_domain_getinfo(xch, 0, 4, info), 3);
	assert_int_equal(info[0].domid, 0);
	assert_int_equal(info[1].domid, 5);
	assert_int_equal(info[2].domid, 9);
	assert_true(info[1].paused && info[1].shutdown && info[1].crashed);
	assert_int_equal(info[1].shutdown_reason, SHUTDOWN_crash);
	assert_int_equal(info[1].nr_pages, 10);
	assert_int_equal(info[1].max_memkb, 1024);
	assert_int_equal(info[1].nr_online_vcpus, 2);
	assert_int_equal(info[1].max_vcpu_id, 1);
	assert_int_equal(info[1].handle[0], 0x5a);
	assert_int_equal(info[1].cpu_time, 77);
	assert_false(info[1].dying || info[1].running || info[1].blocked);
	assert_false(info[0].shutdown || info[0].crashed || info[0].paused);
	assert_true(info[2].dying && info[2].blocked);
	/* each call asks for the id after the last one found */
	expect_domctl(0, XEN_DOMCTL_getdomaininfo, 0);
	expect_domctl(1, XEN_DOMCTL_getdomaininfo, 1);
	expect_domctl(2, XEN_DOMCTL_getdomaininfo, 6);
	expect_domctl(3, XEN_DOMCTL_getdomaininfo, 10);
	/* the lowest id at or above */
	assert_int_equal(xc_domain_getinfo(xch, 6, 1, info), 1);
	assert_int_equal(info[0].domid, 9);
	/* none at all: -1 and ESRCH */
	errno = 0;
	assert_int_equal(xc_domain_getinfo(xch, 10, 1, info), -1);
	assert_int_equal(errno, ESRCH);
	xc_interface_close(xch);
}

static void test_getinfolist(void **state)
{
	xc_interface *xch = open_xc();
	xc_domaininfo_t raw[4];

	F.hypercall = getinfo_answer;
	assert_int_equal(xc_domain_getinfolist(xch, 1, 4, raw), 2);
	assert_int_equal(raw[0].domain, 5);
	assert_int_equal(raw[0].max_pages, 256);
	assert_int_equal(raw[1].domain, 9);
	assert_int_equal(xc_domain_getinfolist(xch, 0, 1, raw), 1);
	/* none: 0, as Xen's sysctl-based call */
	assert_int_equal(xc_domain_getinfolist(xch, 10, 4, raw), 0);
	assert_int_equal(xc_domain_getinfolist(xch, 0, 0, NULL), 0);
	assert_int_equal(xc_domain_getinfolist(xch, 0, 4, NULL), -1);
	assert_int_equal(errno, EINVAL);
	xc_interface_close(xch);
}

/* ---- errno at the surface ----------------------------------------------- */

static long answer_errno;
static long fixed_answer(uint64_t op, uint64_t *arg)
{
	return answer_errno;
}

static int eagain_left;
static long eagain_answer(uint64_t op, uint64_t *arg)
{
	return eagain_left-- > 0 ? -EAGAIN : 0;
}

static void test_errno_translation(void **state)
{
	static const long errs[] = { -EPERM, -ESRCH, -EACCES, -EINVAL, -EEXIST, -ENOSYS, -EFAULT };
	xc_interface *xch = open_xc();
	xc_dominfo_t info;
	uint32_t domid = 0;
	struct xen_domctl_createdomain c = { .max_vcpus = 1 };

	F.hypercall = fixed_answer;
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		answer_errno = errs[i];
		errno = 0;
		assert_int_equal(xc_domain_pause(xch, 3), -1);
		assert_int_equal(errno, -errs[i]);
		errno = 0;
		assert_int_equal(xc_domain_create(xch, &domid, &c), -1);
		assert_int_equal(errno, -errs[i]);
		assert_int_equal(domid, 0);	/* untouched on failure */
	}
	answer_errno = -EPERM;
	assert_int_equal(xc_domain_getinfo(xch, 0, 1, &info), -1);
	assert_int_equal(errno, EPERM);
	/* destroy goes on while the hypervisor answers EAGAIN */
	F.ncalls = 0;
	F.hypercall = eagain_answer;
	eagain_left = 2;
	assert_int_equal(xc_domain_destroy(xch, 4), 0);
	assert_int_equal(F.ncalls, 3);
	xc_interface_close(xch);
}

static void test_bad_domids_and_nulls(void **state)
{
	xc_interface *xch = open_xc();
	struct xen_domctl_createdomain c = { .max_vcpus = 1 };
	xc_dominfo_t info;
	uint32_t domid = 0x10000;

	assert_int_equal(xc_domain_pause(xch, 0x10000), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xc_domain_unpause(xch, DOMID_SELF), -1);
	assert_int_equal(errno, ESRCH);
	assert_int_equal(xc_domain_destroy(xch, DOMID_INVALID), -1);
	assert_int_equal(errno, ESRCH);
	assert_int_equal(xc_domain_setmaxmem(xch, 0xffffffffu, 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xc_domain_max_vcpus(xch, 0x7ff0, 1), -1);
	assert_int_equal(errno, ESRCH);
	assert_int_equal(xc_domain_create(xch, &domid, &c), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xc_domain_create(xch, NULL, &c), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xc_domain_create(xch, &domid, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xc_domain_getinfo(xch, 0, 1, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xc_domain_getinfo(xch, 0x10000, 1, &info), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xc_domain_getinfo(xch, 0, 0, NULL), 0);
	assert_int_equal(F.ncalls, 0);	/* nothing reached the device */
	assert_int_equal(xc_domain_pause(NULL, 1), -1);
	assert_int_equal(errno, EINVAL);
	xc_interface_close(xch);
}

/* ---- memory_op for another domain ------------------------------------- */

static long populate_answer(uint64_t op, uint64_t *arg)
{
	struct xen_memory_reservation *r = (void *)(uintptr_t)arg[1];
	xen_pfn_t *list = (void *)(uintptr_t)r->extent_start;
	long done = r->nr_extents > 3 ? 3 : (long)r->nr_extents;

	for (long i = 0; i < done; i++)
		list[i] = 100 + i;	/* the machine frame each got */
	return done;
}

static void test_populate_marshalled(void **state)
{
	xc_interface *xch = open_xc();
	xen_pfn_t ext[4] = { 0, 1, 2, 3 };

	F.hypercall = populate_answer;
	assert_int_equal(xc_domain_populate_physmap(xch, 3, 4, 0, 0, ext), 3);
	assert_int_equal(F.calls[0].op, __HYPERVISOR_memory_op);
	assert_int_equal(F.calls[0].res.domid, 3);
	assert_int_equal(F.calls[0].res.nr_extents, 4);
	assert_int_equal(F.calls[0].res.extent_order, 0);
	assert_int_equal(F.calls[0].ext[3], 3);
	assert_true(F.calls[0].ext_addr != (uintptr_t)ext);	/* bounced */
	assert_int_equal(ext[0], 100);
	assert_int_equal(ext[2], 102);
	assert_int_equal(ext[3], 3);
	/* all or an error */
	assert_int_equal(xc_domain_populate_physmap_exact(xch, 3, 3, 0, 0, ext), 0);
	errno = 0;
	assert_int_equal(xc_domain_populate_physmap_exact(xch, 3, 4, 0, 0, ext), -1);
	assert_int_equal(errno, EBUSY);
	assert_int_equal(xc_domain_decrease_reservation(xch, 3, 4, 0, ext), 3);
	assert_int_equal(F.calls[F.ncalls - 1].res.domid, 3);
	errno = 0;
	assert_int_equal(xc_domain_decrease_reservation_exact(xch, 3, 4, 0, ext), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xc_domain_decrease_reservation_exact(xch, 3, 2, 0, ext), 0);
	xc_interface_close(xch);
}

static void test_memory_ops_commands(void **state)
{
	xc_interface *xch = open_xc();
	xen_pfn_t ext[2] = { 7, 8 };

	F.hypercall = populate_answer;
	xc_domain_populate_physmap(xch, 1, 2, 9, 0, ext);
	xc_domain_decrease_reservation(xch, 1, 2, 0, ext);
	assert_int_equal(F.ncalls, 2);
	assert_int_equal(F.calls[0].arg0, XENMEM_populate_physmap);
	assert_int_equal(F.calls[0].res.extent_order, 9);
	assert_int_equal(F.calls[1].arg0, XENMEM_decrease_reservation);
	assert_int_equal(F.calls[1].res.extent_order, 0);
	/* bad inputs reach nothing */
	F.ncalls = 0;
	assert_int_equal(xc_domain_populate_physmap(xch, 1, 2, 0, 0, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xc_domain_decrease_reservation(xch, 1, 1, 0, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xc_domain_populate_physmap(xch, 0x10000, 2, 0, 0, ext), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xc_domain_populate_physmap(xch, 1, ~0ul, 0, 0, ext), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(F.ncalls, 0);
	xc_interface_close(xch);
}

/* ---- foreign mapping: per-frame errors --------------------------------- */

static long batch_rc;
static struct privcmd_mmapbatch_v2 batch_seen;
static xen_pfn_t batch_frames[4];

/* Frame 0xbad fails with EPERM, the rest map. */
static long batch_answer(int fd, unsigned long req, void *arg)
{
	struct privcmd_mmapbatch_v2 *b = arg;

	assert_int_equal(req, IOCTL_PRIVCMD_MMAPBATCH_V2);
	batch_seen = *b;
	for (uint32_t i = 0; i < b->num; i++) {
		if (i < 4)
			batch_frames[i] = b->arr[i];
		b->err[i] = b->arr[i] == 0xbad ? -EPERM : 0;
	}
	return batch_rc;
}

static void test_map_foreign_bulk_per_frame_errors(void **state)
{
	xc_interface *xch = open_xc();
	xen_pfn_t arr[3] = { 0x100, 0xbad, 0x102 };
	int err[3] = { 99, 99, 99 };
	char *p;

	F.ioctl = batch_answer;
	p = xc_map_foreign_bulk(xch, 4, PROT_READ | PROT_WRITE, arr, err, 3);
	assert_non_null(p);
	assert_ptr_equal(p, F.mmap_addr);
	assert_int_equal(F.mmap_len, 3 * 4096);
	assert_int_equal(F.mmap_off, 0);
	assert_int_equal(batch_seen.num, 3);
	assert_int_equal(batch_seen.dom, 4);
	assert_int_equal(batch_seen.addr, (uintptr_t)p);
	assert_int_equal(batch_frames[2], 0x102);
	assert_int_equal(err[0], 0);
	assert_int_equal(err[1], -EPERM);
	assert_int_equal(err[2], 0);
	assert_int_equal(F.nmunmap, 0);
	munmap(p, 3 * 4096);

	/* ENOENT from the ioctl (a paged-out frame) is per-frame too */
	batch_rc = -ENOENT;
	p = xc_map_foreign_bulk(xch, 4, PROT_READ, arr, err, 3);
	assert_non_null(p);
	munmap(p, 3 * 4096);

	/* any other failure of the call: nothing stays mapped */
	batch_rc = -EINVAL;
	errno = 0;
	assert_null(xc_map_foreign_bulk(xch, 4, PROT_READ, arr, err, 3));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(F.nmunmap, 1);
	assert_ptr_equal(F.munmap_addr, F.mmap_addr);
	xc_interface_close(xch);
}

static void test_map_foreign_pages_all_or_nothing(void **state)
{
	xc_interface *xch = open_xc();
	xen_pfn_t good[2] = { 0x100, 0x101 }, bad[3] = { 0x100, 0x101, 0xbad };
	char *p;

	F.ioctl = batch_answer;
	batch_rc = 0;
	p = xc_map_foreign_pages(xch, 4, PROT_READ, good, 2);
	assert_non_null(p);
	munmap(p, 2 * 4096);
	errno = 0;
	assert_null(xc_map_foreign_pages(xch, 4, PROT_READ, bad, 3));
	assert_int_equal(errno, EPERM);
	assert_int_equal(F.nmunmap, 1);
	assert_int_equal(F.munmap_len, 3 * 4096);
	/* range: size rounded up to pages, consecutive frames */
	p = xc_map_foreign_range(xch, 4, 5000, PROT_READ, 0x200);
	assert_non_null(p);
	assert_int_equal(batch_seen.num, 2);
	assert_int_equal(batch_frames[0], 0x200);
	assert_int_equal(batch_frames[1], 0x201);
	munmap(p, 2 * 4096);
	xc_interface_close(xch);
}

static void test_map_foreign_bad_inputs(void **state)
{
	xc_interface *xch = open_xc();
	xen_pfn_t arr[1] = { 0x100 };
	int err[1];

	F.ioctl = batch_answer;
	assert_null(xc_map_foreign_bulk(xch, 4, PROT_READ, NULL, err, 1));
	assert_int_equal(errno, EINVAL);
	assert_null(xc_map_foreign_bulk(xch, 4, PROT_READ, arr, NULL, 1));
	assert_int_equal(errno, EINVAL);
	assert_null(xc_map_foreign_bulk(xch, 4, PROT_READ, arr, err, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(xc_map_foreign_bulk(xch, 4, PROT_READ, arr, err, XC_MAP_FOREIGN_MAX + 1));
	assert_int_equal(errno, EINVAL);
	assert_null(xc_map_foreign_bulk(xch, 0x10000, PROT_READ, arr, err, 1));
	assert_int_equal(errno, EINVAL);
	assert_null(xc_map_foreign_bulk(NULL, 4, PROT_READ, arr, err, 1));
	assert_int_equal(errno, EINVAL);
	assert_null(xc_map_foreign_pages(xch, 4, PROT_READ, arr, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(xc_map_foreign_pages(xch, 4, PROT_READ, arr, -1));
	assert_int_equal(errno, EINVAL);
	assert_null(xc_map_foreign_range(xch, 4, 0, PROT_READ, 0x100));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(F.nmmap, 0);
	assert_int_equal(F.ncalls, 0);
	/* the reservation itself can fail */
	F.mmap_rc = -ENOMEM;
	assert_null(xc_map_foreign_bulk(xch, 4, PROT_READ, arr, err, 1));
	assert_int_equal(errno, ENOMEM);
	assert_int_equal(F.ncalls, 0);
	xc_interface_close(xch);
}

/* ---- event channels -------------------------------------------------- */

static long evtchn_rc;
static unsigned long evtchn_req;
static uint32_t evtchn_args[2];

static long evtchn_answer(int fd, unsigned long req, void *arg)
{
	evtchn_req = req;
	memcpy(evtchn_args, arg, req == IOCTL_EVTCHN_BIND_INTERDOMAIN ? 8 : 4);
	return evtchn_rc;
}

static void test_evtchn(void **state)
{
	xenevtchn_handle *xce = xenevtchn_open(NULL, 0);

	assert_non_null(xce);
	assert_string_equal(F.opened[0], "/dev/xen/evtchn");
	assert_true(F.open_flags[0] & O_CLOEXEC);
	assert_int_equal(xenevtchn_fd(xce), FD_BASE);
	F.ioctl = evtchn_answer;
	evtchn_rc = 12;
	assert_int_equal(xenevtchn_bind_interdomain(xce, 3, 7), 12);
	assert_int_equal(evtchn_req, IOCTL_EVTCHN_BIND_INTERDOMAIN);
	assert_int_equal(evtchn_args[0], 3);
	assert_int_equal(evtchn_args[1], 7);
	assert_int_equal(xenevtchn_bind_unbound_port(xce, 2), 12);
	assert_int_equal(evtchn_req, IOCTL_EVTCHN_BIND_UNBOUND_PORT);
	assert_int_equal(evtchn_args[0], 2);
	assert_int_equal(xenevtchn_bind_virq(xce, 3), 12);
	assert_int_equal(evtchn_req, IOCTL_EVTCHN_BIND_VIRQ);
	evtchn_rc = 0;
	assert_int_equal(xenevtchn_notify(xce, 12), 0);
	assert_int_equal(evtchn_req, IOCTL_EVTCHN_NOTIFY);
	assert_int_equal(evtchn_args[0], 12);
	assert_int_equal(xenevtchn_unbind(xce, 12), 0);
	assert_int_equal(evtchn_req, IOCTL_EVTCHN_UNBIND);
	evtchn_rc = -EINVAL;
	errno = 0;
	assert_int_equal(xenevtchn_notify(xce, 999), -1);
	assert_int_equal(errno, EINVAL);
	F.read_port = 12;
	assert_int_equal(xenevtchn_pending(xce), 12);
	assert_int_equal(xenevtchn_unmask(xce, 12), 0);
	assert_int_equal(F.written_port, 12);
	assert_int_equal(xenevtchn_bind_interdomain(xce, 0x10000, 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xenevtchn_notify(NULL, 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xenevtchn_close(xce), 0);
	assert_int_equal(F.nclose, 1);
	assert_int_equal(xenevtchn_close(NULL), 0);
	F.open_rc = -ENOENT;
	assert_null(xenevtchn_open(NULL, 0));
	assert_int_equal(errno, ENOENT);
}

/* ---- grant tables ---------------------------------------------------- */

static struct ioctl_gntdev_map_grant_ref gnt_seen;
static struct ioctl_gntdev_grant_ref gnt_refs[2];
static uint64_t gnt_unmapped_index;
static uint32_t gnt_mapped_count;

static long gnt_answer(int fd, unsigned long req, void *arg)
{
	if (req == IOCTL_GNTDEV_MAP_GRANT_REF) {
		struct ioctl_gntdev_map_grant_ref *m = arg;

		gnt_seen = *m;
		memcpy(gnt_refs, m->refs, sizeof(gnt_refs[0]) * (m->count < 2 ? m->count : 2));
		m->index = 0x3000;
		gnt_mapped_count = m->count;
		return 0;
	}
	if (req == IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR) {
		struct ioctl_gntdev_get_offset_for_vaddr *g = arg;

		g->offset = 0x3000;
		g->count = gnt_mapped_count;
		return 0;
	}
	if (req == IOCTL_GNTDEV_UNMAP_GRANT_REF) {
		gnt_unmapped_index = ((struct ioctl_gntdev_unmap_grant_ref *)arg)->index;
		return 0;
	}
	if (req == IOCTL_GNTDEV_SET_MAX_GRANTS)
		return -ENOTTY;
	return -EINVAL;
}

static void test_gnttab(void **state)
{
	xengnttab_handle *xgt = xengnttab_open(NULL, 0);
	uint32_t refs[2] = { 8, 9 };
	void *p;

	assert_non_null(xgt);
	assert_string_equal(F.opened[0], "/dev/xen/gntdev");
	F.ioctl = gnt_answer;
	p = xengnttab_map_domain_grant_refs(xgt, 2, 6, refs, PROT_READ | PROT_WRITE);
	assert_non_null(p);
	assert_int_equal(gnt_seen.count, 2);
	assert_int_equal(gnt_refs[0].domid, 6);
	assert_int_equal(gnt_refs[0].ref, 8);
	assert_int_equal(gnt_refs[1].ref, 9);
	assert_int_equal(F.mmap_off, 0x3000);
	assert_int_equal(F.mmap_len, 2 * 4096);
	/* the count must be the mapping's */
	assert_int_equal(xengnttab_unmap(xgt, p, 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xengnttab_unmap(xgt, p, 2), 0);
	assert_int_equal(gnt_unmapped_index, 0x3000);
	assert_int_equal(F.munmap_len, 2 * 4096);
	/* a failed mmap gives the reservation back */
	F.mmap_rc = -ENOMEM;
	gnt_unmapped_index = 0;
	assert_null(xengnttab_map_grant_ref(xgt, 6, 8, PROT_READ));
	assert_int_equal(errno, ENOMEM);
	assert_int_equal(gnt_unmapped_index, 0x3000);
	/* bad inputs */
	assert_null(xengnttab_map_domain_grant_refs(xgt, 0, 6, refs, PROT_READ));
	assert_int_equal(errno, EINVAL);
	assert_null(xengnttab_map_domain_grant_refs(xgt, 1, 0x10000, refs, PROT_READ));
	assert_int_equal(errno, EINVAL);
	assert_null(xengnttab_map_grant_refs(xgt, 2, NULL, refs, PROT_READ));
	assert_int_equal(errno, EINVAL);
	assert_null(xengnttab_map_domain_grant_refs(xgt, XENGNTTAB_MAP_MAX + 1, 6, refs, PROT_READ));
	assert_int_equal(errno, EINVAL);
	/* a kernel without the limit accepts any */
	assert_int_equal(xengnttab_set_max_grants(xgt, 128), 0);
	assert_int_equal(xengnttab_close(xgt), 0);
}

/* ---- vCPUs, scheduling, console ------------------------------------- */

static const char ring_text[] = "(XEN) hello\n(XEN) world\n";
static uint32_t hostile_count;

/* readconsole: copies from index on, as Xen does; hostile_count, when
 * set, is what it claims to have written. sched_id, getdomaininfolist,
 * getcpuinfo: fixed answers; physinfo: 2 CPUs. Domctls: getvcpuinfo and
 * credit getinfo answered. */
static long ops_answer(uint64_t op, uint64_t *arg)
{
	if (op == __HYPERVISOR_sysctl) {
		struct xen_sysctl *s = (void *)(uintptr_t)arg[0];

		if (s->cmd == XEN_SYSCTL_physinfo) {
			s->u.physinfo.nr_cpus = 2;
			s->u.physinfo.max_cpu_id = 1;
			return 0;
		}
		if (s->cmd == XEN_SYSCTL_readconsole) {
			struct xen_sysctl_readconsole r;
			uint32_t n, from;

			memcpy(&r, s->u.pad, sizeof(r));
			from = r.incremental ? r.index : 0;
			if (from > sizeof(ring_text) - 1)
				from = sizeof(ring_text) - 1;
			n = (uint32_t)(sizeof(ring_text) - 1 - from);
			if (n > r.count)
				n = r.count;
			memcpy((void *)(uintptr_t)r.buffer, ring_text + from, n);
			r.count = hostile_count ? hostile_count : n;
			r.index = from + n;
			memcpy(s->u.pad, &r, sizeof(r));
			return 0;
		}
		if (s->cmd == XEN_SYSCTL_sched_id) {
			struct xen_sysctl_sched_id id = { XEN_SCHEDULER_CREDIT };

			memcpy(s->u.pad, &id, sizeof(id));
			return 0;
		}
		if (s->cmd == XEN_SYSCTL_getcpuinfo) {
			struct xen_sysctl_getcpuinfo g;
			xc_cpuinfo_t *ci;

			memcpy(&g, s->u.pad, sizeof(g));
			ci = (void *)(uintptr_t)g.info;
			for (uint32_t i = 0; i < g.max_cpus && i < 2; i++)
				ci[i].idletime = 1000 + i;
			g.nr_cpus = hostile_count ? hostile_count : 2;
			memcpy(s->u.pad, &g, sizeof(g));
			return 0;
		}
		return -ENOSYS;		/* getdomaininfolist: an older hypervisor */
	}
	if (op == __HYPERVISOR_domctl) {
		struct xen_domctl *d = (void *)(uintptr_t)arg[0];

		if (d->cmd == XEN_DOMCTL_getvcpuinfo) {
			xc_vcpuinfo_t v;

			memcpy(&v, d->u.pad, sizeof(v));
			if (v.vcpu > 1)
				return -EINVAL;
			v.online = 1;
			v.running = v.vcpu == 1;
			v.cpu_time = 123456789;
			v.cpu = v.vcpu;
			memcpy(d->u.pad, &v, sizeof(v));
			return 0;
		}
		if (d->cmd == XEN_DOMCTL_scheduler_op) {
			struct xen_domctl_scheduler_op so;

			memcpy(&so, d->u.pad, sizeof(so));
			if (so.sched_id != XEN_SCHEDULER_CREDIT)
				return -EINVAL;
			if (so.cmd == XEN_DOMCTL_SCHEDOP_getinfo) {
				so.u.credit.weight = 512;
				so.u.credit.cap = 25;
			}
			memcpy(d->u.pad, &so, sizeof(so));
			return 0;
		}
		if (d->cmd == XEN_DOMCTL_getvcpuaffinity || d->cmd == XEN_DOMCTL_setvcpuaffinity) {
			struct xen_domctl_vcpuaffinity a;

			memcpy(&a, d->u.pad, sizeof(a));
			if (a.cpumap_hard.nr_bits != 8 || a.cpumap_soft.nr_bits != 8)
				return -EINVAL;
			if (d->cmd == XEN_DOMCTL_getvcpuaffinity) {
				*(uint8_t *)(uintptr_t)a.cpumap_hard.bitmap = 0x2;
				*(uint8_t *)(uintptr_t)a.cpumap_soft.bitmap = 0x3;
			}
			return 0;
		}
		return -ENOSYS;
	}
	if (op == __HYPERVISOR_sched_op) {
		struct sched_remote_shutdown *r = (void *)(uintptr_t)arg[1];

		assert_int_equal(arg[0], SCHEDOP_remote_shutdown);
		return r->domain_id == 7 && r->reason == SHUTDOWN_poweroff ? 0 : -ESRCH;
	}
	return -ENOSYS;
}

static void test_readconsolering(void **state)
{
	xc_interface *xch = open_xc();
	char buf[64];
	unsigned int n = sizeof(buf);
	uint32_t index = 0;

	F.hypercall = ops_answer;
	assert_int_equal(xc_readconsolering(xch, buf, &n, 0, 0, NULL), 0);
	assert_int_equal(n, sizeof(ring_text) - 1);
	assert_memory_equal(buf, ring_text, n);
	assert_int_equal(F.calls[0].sysctl.cmd, XEN_SYSCTL_readconsole);
	/* incremental: from the index, which comes back moved */
	index = 6;
	n = 5;
	assert_int_equal(xc_readconsolering(xch, buf, &n, 1, 1, &index), 0);
	assert_int_equal(n, 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(index, 11);
	assert_int_equal(F.calls[1].sysctl.u.pad[0], 1);	/* clear */
	assert_int_equal(F.calls[1].sysctl.u.pad[1], 1);	/* incremental */
	/* a count above the buffer is not believed */
	hostile_count = 1000;
	n = 4;
	assert_int_equal(xc_readconsolering(xch, buf, &n, 0, 0, NULL), 0);
	assert_int_equal(n, 4);
	hostile_count = 0;
	/* bad arguments: EINVAL before any call */
	F.ncalls = 0;
	n = 0;
	assert_int_equal(xc_readconsolering(xch, buf, &n, 0, 0, NULL), -1);
	assert_int_equal(errno, EINVAL);
	n = 4;
	assert_int_equal(xc_readconsolering(xch, buf, &n, 0, 1, NULL), -1);
	assert_int_equal(xc_readconsolering(xch, NULL, &n, 0, 0, NULL), -1);
	assert_int_equal(F.ncalls, 0);
	xc_interface_close(xch);
}

static void test_vcpu_sched(void **state)
{
	xc_interface *xch = open_xc();
	struct xen_domctl_sched_credit c = { 300, 10 };
	xc_vcpuinfo_t v;
	xc_cpumap_t hard, soft;
	xc_cpuinfo_t ci[4];
	int id = 0, nr = 0;

	F.hypercall = ops_answer;
	assert_int_equal(xc_vcpu_getinfo(xch, 3, 1, &v), 0);
	expect_domctl(0, XEN_DOMCTL_getvcpuinfo, 3);
	assert_int_equal(v.vcpu, 1);
	assert_true(v.online && v.running && !v.blocked);
	assert_int_equal(v.cpu_time, 123456789);
	assert_int_equal(v.cpu, 1);
	assert_int_equal(xc_vcpu_getinfo(xch, 3, 2, &v), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xc_sched_id(xch, &id), 0);
	assert_int_equal(id, XEN_SCHEDULER_CREDIT);
	assert_int_equal(xc_sched_credit_domain_set(xch, 3, &c), 0);
	assert_int_equal(xc_sched_credit_domain_get(xch, 3, &c), 0);
	assert_int_equal(c.weight, 512);
	assert_int_equal(c.cap, 25);
	/* maps of the host's size (2 CPUs: one byte) */
	assert_int_equal(xc_get_max_cpus(xch), 2);
	assert_int_equal(xc_get_cpumap_size(xch), 1);
	hard = xc_cpumap_alloc(xch);
	soft = xc_cpumap_alloc(xch);
	assert_non_null(hard);
	assert_int_equal(xc_vcpu_getaffinity(xch, 3, 0, hard, soft,
					     XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT), 0);
	assert_false(xc_cpumap_testcpu(0, hard));
	assert_true(xc_cpumap_testcpu(1, hard));
	assert_int_equal(soft[0], 3);
	xc_cpumap_clearcpu(1, soft);
	xc_cpumap_setcpu(7, soft);
	assert_int_equal(soft[0], 0x81);
	assert_int_equal(xc_vcpu_setaffinity(xch, 3, 0, hard, soft, XEN_VCPUAFFINITY_HARD), 0);
	assert_int_equal(xc_vcpu_setaffinity(xch, 3, -1, hard, soft, XEN_VCPUAFFINITY_HARD), -1);
	assert_int_equal(xc_vcpu_setaffinity(xch, 3, 0, NULL, soft, XEN_VCPUAFFINITY_HARD), -1);
	assert_int_equal(xc_vcpu_setaffinity(xch, 3, 0, hard, soft, 0), -1);
	assert_int_equal(errno, EINVAL);
	free(hard);
	free(soft);
	/* idle times, never more CPUs than asked for */
	assert_int_equal(xc_getcpuinfo(xch, 4, ci, &nr), 0);
	assert_int_equal(nr, 2);
	assert_int_equal(ci[1].idletime, 1001);
	hostile_count = 99;
	assert_int_equal(xc_getcpuinfo(xch, 1, ci, &nr), 0);
	assert_int_equal(nr, 1);
	hostile_count = 0;
	assert_int_equal(xc_domain_shutdown(xch, 7, SHUTDOWN_poweroff), 0);
	assert_int_equal(xc_domain_shutdown(xch, 8, SHUTDOWN_poweroff), -1);
	assert_int_equal(errno, ESRCH);
	assert_int_equal(xc_domain_shutdown(xch, DOMID_SELF, SHUTDOWN_poweroff), -1);
	xc_interface_close(xch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ioctl_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sys_ops_answer_negative_errno, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_fails_with_errno, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dummy_handle_makes_no_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_argument_page_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_domctls_marshalled_and_stamped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_physinfo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_getinfo_decodes_and_iterates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_getinfolist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errno_translation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_domids_and_nulls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_populate_marshalled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_ops_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_foreign_bulk_per_frame_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_foreign_pages_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_foreign_bad_inputs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evtchn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gnttab, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readconsolering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vcpu_sched, setup, teardown),
	};

	devnull = fopen("/dev/null", "w");
	return cmocka_run_group_tests_name("xenctrl", tests, NULL, NULL);
}
