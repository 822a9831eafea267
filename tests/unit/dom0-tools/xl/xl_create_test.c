/*
 * xl_create_test.c - unit tests of `xl create`, `xl shutdown`, `xl reboot`
 * and the domain monitor (dom0-tools/xl) over a fake hypervisor and a fake
 * xenstore (struct xl_ops and struct xl_create_ops), with output captured.
 *
 *  - the xenstore layout of a new PV domain, compared with what Xen
 *    4.17's own xl wrote for the same configuration
 *    (tests/integration/xlcreate/xen-4.17-nodes.golden);
 *  - key=value overrides on the command line;
 *  - every error path (bad file with file:line:column, missing file, no
 *    file, bad kernel, duplicate name, memory larger than free, each step
 *    of the making failing in turn): the exact stderr, the exit status,
 *    and nothing left behind (no domain, no node, xenstored told);
 *  - the success path: the steps in libxl's order, -p, the monitor
 *    forked, -c;
 *  - the monitor: each shutdown reason against each action (destroy,
 *    restart with a new id and the same name and UUID, preserve,
 *    rename-restart), a domain destroyed under it;
 *  - shutdown and reboot: the control/shutdown request, the guest's
 *    acknowledgement, -w, -a, a guest that never answers.
 *
 * Run from the top of the tree (the golden file's path is relative).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "xlcfg.h"
#include "xl_fake.h"

#define GOLDEN_NODES "tests/integration/xlcreate/xen-4.17-nodes.golden"
#define REF_UUID "6a3b1e3c-2b5e-4a3e-9e41-0c4f1d2a7b10"

/* ---- the fake hypervisor ----------------------------------------------- */

#define MAX_DOMS 8

static struct xl_dominfo doms[MAX_DOMS];
static unsigned int nr_doms;
static uint32_t next_domid;
static uint64_t free_pages;

/* What the fakes were asked, in order: "create 1", "max_vcpus 1 3", ... */
static char calls[4096];
/* The step to fail ("build", "xs_nodes", ...) and with what. */
static const char *fail_step;
static int fail_rc;
static unsigned int introduced[MAX_DOMS], nr_introduced;
static uint8_t made_uuid[64][16];	/* by domid: the handle createdomain got */
static int fork_result;		/* what fork_monitor answers (>0: parent) */
static bool guest_acks;		/* clear control/shutdown when it is written */
static unsigned int sleeps;
/* The monitor's fake guest: after `after_waits` waits the domain shuts
 * down with `then_reason`; each restarted domain does the same, up to
 * `restarts_left` times, then the one left stays up and the wait ends the
 * test by destroying it. */
static int after_waits = -1;
static unsigned int then_reason;
static int restarts_left;

static void note(const char *fmt, ...)
{
	size_t len = strlen(calls);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(calls + len, sizeof(calls) - len, fmt, ap);
	va_end(ap);
	strncat(calls, "; ", sizeof(calls) - strlen(calls) - 1);
}

static int failing(const char *step)
{
	return fail_step && !strcmp(fail_step, step) ? fail_rc : 0;
}

static struct xl_dominfo *find(uint32_t domid)
{
	for (unsigned int i = 0; i < nr_doms; i++)
		if (doms[i].domid == domid)
			return &doms[i];
	return NULL;
}

static int f_domains(void *p, uint32_t first, unsigned int max, struct xl_dominfo *out)
{
	unsigned int n = 0;

	(void)p;
	for (uint32_t id = first; id < 64 && n < max; id++)
		if (find(id))
			out[n++] = *find(id);
	return (int)n;
}

static int f_physinfo(void *p, struct xl_physinfo *out)
{
	(void)p;
	*out = (struct xl_physinfo){ .nr_cpus = 2, .total_pages = 262144, .free_pages = free_pages };
	return 0;
}

static int f_version(void *p, struct xl_version *v)
{
	(void)p;
	memset(v, 0, sizeof(*v));
	return 0;
}

static int f_pause(void *p, uint32_t domid)
{
	(void)p;
	return find(domid) ? 0 : -ESRCH;
}

static int f_unpause(void *p, uint32_t domid)
{
	struct xl_dominfo *d = find(domid);

	(void)p;
	note("unpause %u", domid);
	if (failing("unpause"))
		return failing("unpause");
	if (!d)
		return -ESRCH;
	d->paused = false;
	d->running = true;
	return 0;
}

static unsigned int nodes_at_destroy;	/* xenstore nodes left when it came */

static int f_destroy(void *p, uint32_t domid)
{
	struct xl_dominfo *d = find(domid);

	(void)p;
	note("destroy %u", domid);
	nodes_at_destroy = xs_fake_nr;
	if (!d)
		return -ESRCH;
	free_pages += d->current_kb / 4;
	*d = doms[--nr_doms];
	return 0;
}

static int f_xs_write(void *p, const char *path, const char *val)
{
	(void)p;
	/* the fake guest's xenbus answers a shutdown request at once */
	if (guest_acks && strstr(path, "/control/shutdown") && val[0]) {
		unsigned int id = 0;
		struct xl_dominfo *d;

		note("request %s", val);
		sscanf(path, "/local/domain/%u/", &id);
		d = find(id);
		if (d) {
			d->shutdown = true;
			d->shutdown_reason = strcmp(val, "reboot") ? 0 : 1;
		}
		val = "";
	}
	xs_fake_put(path, val);
	return 0;
}

static int f_now(void *p, double *epoch, double *uptime)
{
	(void)p;
	*epoch = 1796634665.13;	/* 2026-12-07T09:11Z, the reference run's */
	*uptime = 100;
	return 0;
}

static int f_uname(void *p, char a[65], char b[65], char c[65], char d[65])
{
	(void)p;
	a[0] = b[0] = c[0] = d[0] = '\0';
	return 0;
}

static const struct xl_ops fake_ops = {
	.domains = f_domains, .physinfo = f_physinfo, .version = f_version,
	.pause = f_pause, .unpause = f_unpause, .destroy = f_destroy,
	.xs_read = xs_fake_read, .xs_write = f_xs_write, .xs_rm = xs_fake_rm,
	.now = f_now, .uname = f_uname,
};

static int c_create(void *p, const uint8_t uuid[16], unsigned int max_vcpus, uint32_t *domid)
{
	(void)p;
	if (failing("create"))
		return failing("create");
	assert_true(nr_doms < MAX_DOMS);
	*domid = next_domid++;
	doms[nr_doms] = (struct xl_dominfo){
		.domid = *domid, .paused = true, .max_vcpu_id = max_vcpus - 1,
		.online_vcpus = max_vcpus,
	};
	memcpy(doms[nr_doms].uuid, uuid, 16);
	memcpy(made_uuid[*domid], uuid, 16);
	nr_doms++;
	note("create %u", *domid);
	return 0;
}

static int c_max_vcpus(void *p, uint32_t domid, unsigned int n)
{
	(void)p;
	note("max_vcpus %u %u", domid, n);
	return failing("max_vcpus");
}

static int c_setmaxmem(void *p, uint32_t domid, uint64_t kb)
{
	(void)p;
	note("max_mem %u %llu", domid, (unsigned long long)kb);
	if (failing("max_mem"))
		return failing("max_mem");
	find(domid)->max_kb = kb;
	return 0;
}

static int c_alloc_unbound(void *p, uint32_t domid, uint32_t remote, uint32_t *port)
{
	static uint32_t ports;

	(void)p;
	if (failing("evtchn"))
		return failing("evtchn");
	*port = (ports++ % 2) + 1;	/* 1 then 2, as Xen gave the reference */
	note("evtchn %u %u -> %u", domid, remote, *port);
	return 0;
}

static int c_build(void *p, uint32_t domid, struct xl_build *b, char *err, size_t len)
{
	(void)p;
	note("build %u %s %llu kB store %u console %u", domid, b->kernel,
	     (unsigned long long)b->mem_kb, b->store_port, b->console_port);
	if (failing("build")) {
		snprintf(err, len, "%s: not a Xen PV kernel (no Xen ELF notes)", b->kernel);
		return failing("build");
	}
	/* The builder gave the domain its memory; a failed one may have
	 * too (pv_build.h: the caller destroys it). */
	find(domid)->current_kb = b->mem_kb;
	free_pages -= b->mem_kb / 4;
	b->store_mfn = 121857;
	b->console_mfn = 121858;
	return 0;
}

static void perms_text(const struct xl_xsnode *x, char *buf, size_t len)
{
	size_t off = 0;

	for (unsigned int i = 0; i < x->n_perms; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%c%u", i ? "," : "",
					x->perms[i].perm, x->perms[i].id);
}

static int c_xs_nodes(void *p, const struct xl_xsnode *x, unsigned int n)
{
	(void)p;
	note("xs_nodes %u", n);
	if (failing("xs_nodes"))
		return failing("xs_nodes");	/* a transaction: nothing written */
	for (unsigned int i = 0; i < n; i++)
		perms_text(&x[i], xs_fake_put(x[i].path, x[i].value)->perms, sizeof(xs_fake_nodes[0].perms));
	return 0;
}

static int c_introduce(void *p, uint32_t domid, uint64_t mfn, uint32_t port)
{
	(void)p;
	note("introduce %u %llu %u", domid, (unsigned long long)mfn, port);
	if (failing("introduce"))
		return failing("introduce");
	introduced[nr_introduced++] = domid;
	return 0;
}

static int c_release(void *p, uint32_t domid)
{
	(void)p;
	note("release %u", domid);
	for (unsigned int i = 0; i < nr_introduced; i++)
		if (introduced[i] == domid) {
			introduced[i] = introduced[--nr_introduced];
			return 0;
		}
	return -ENOENT;
}

static int c_watch_release(void *p)
{
	(void)p;
	note("watch");
	return 0;
}

/* The newest domain (the one the monitor now watches). */
static struct xl_dominfo *newest(void)
{
	struct xl_dominfo *best = NULL;

	for (unsigned int i = 0; i < nr_doms; i++)
		if (doms[i].domid && (!best || doms[i].domid > best->domid) && !doms[i].shutdown)
			best = &doms[i];
	return best;
}

static int c_wait_release(void *p, int timeout_ms)
{
	struct xl_dominfo *d = newest();

	(void)p;
	(void)timeout_ms;
	assert_non_null(d);	/* a monitor waiting with nothing to wait for */
	if (after_waits > 0) {
		after_waits--;
		return 0;
	}
	if (after_waits == 0 && restarts_left-- > 0) {
		d->shutdown = true;
		d->shutdown_reason = then_reason;
		d->running = false;
		return 1;
	}
	/* the end of the story: someone runs `xl destroy` */
	note("outside destroy %u", d->domid);
	f_destroy(NULL, d->domid);
	return 1;
}

static int c_fork_monitor(void *p, const char *log)
{
	(void)p;
	note("fork %s", log);
	return fork_result;
}

static int c_exec_console(void *p, uint32_t domid)
{
	(void)p;
	note("console %u", domid);
	return -ENOENT;
}

static void c_sleep_ms(void *p, int ms)
{
	(void)p;
	(void)ms;
	sleeps++;
}

static const struct xl_create_ops fake_cops = {
	.create = c_create, .max_vcpus = c_max_vcpus, .setmaxmem = c_setmaxmem,
	.alloc_unbound = c_alloc_unbound, .build = c_build, .xs_nodes = c_xs_nodes,
	.introduce = c_introduce, .release = c_release, .watch_release = c_watch_release,
	.wait_release = c_wait_release, .fork_monitor = c_fork_monitor,
	.exec_console = c_exec_console, .sleep_ms = c_sleep_ms,
};

/* ---- running xl --------------------------------------------------------- */

static char *golden_nodes;	/* read before the tests move to their directory */

static int run_argv(int argc, char **argv)
{
	return xl_fake_run((struct xl_ctx){ .ops = &fake_ops, .cops = &fake_cops }, NULL, argc, argv);
}

static int run_xl(const char *first, ...)
{
	char *argv[24];
	int argc = 0;
	va_list ap;

	va_start(ap, first);
	for (const char *a = first; a && argc < 23; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	return run_argv(argc, argv);
}

/* A file of the given text in the test directory: its name. */
static const char *file(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return name;
}

/* The reference configuration (the one Xen's xl made the golden from),
 * with a kernel that exists. */
static const char *ref_cfg(void)
{
	char text[1024], kernel[128];

	snprintf(kernel, sizeof(kernel), "vmlinuz");
	file("vmlinuz", "not really a kernel: the fake builder never reads it\n");
	snprintf(text, sizeof(text),
		 "name = \"ref\"\nuuid = \"" REF_UUID "\"\nmemory = 256\nmaxmem = 320\n"
		 "vcpus = 2\nmaxvcpus = 3\nkernel = \"%s\"\n"
		 "cmdline = \"console=hvc0 panic=-1\"\non_poweroff = \"destroy\"\n"
		 "on_reboot = \"restart\"\non_crash = \"preserve\"\n", kernel);
	return file("ref.cfg", text);
}

static int setup(void **state)
{
	(void)state;
	nr_doms = nr_introduced = 0;
	xs_fake_reset();
	next_domid = 1;
	free_pages = 120000;	/* 468 MB */
	calls[0] = '\0';
	fail_step = NULL;
	fork_result = 4242;
	guest_acks = true;
	sleeps = 0;
	after_waits = -1;
	restarts_left = 0;
	doms[nr_doms++] = (struct xl_dominfo){ .domid = 0, .running = true, .current_kb = 524288,
					       .online_vcpus = 1 };
	xs_fake_put("/local/domain/0/name", "Domain-0");
	xs_fake_put("/local/domain/0/domid", "0");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xl_fake_free_output();
	return 0;
}

/* Only Dom0 and its two nodes: nothing of a domain left anywhere. */
static void assert_nothing_left(void)
{
	assert_int_equal(nr_doms, 1);
	assert_int_equal(xs_fake_nr, 2);
	assert_int_equal(nr_introduced, 0);
	assert_int_equal(free_pages, 120000);
}

/* ---- the layout against Xen's ------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The fake xenstore as `xenstore-ls -fp` prints it, sorted, skipping
 * Dom0's own nodes: one string. */
static char *dump_nodes(void)
{
	char *lines[XS_FAKE_MAX], *all = NULL;
	unsigned int n = 0;
	size_t len = 0;
	FILE *f = open_memstream(&all, &len);

	for (unsigned int i = 0; i < xs_fake_nr; i++) {
		if (!strcmp(xs_fake_nodes[i].path, "/local/domain/0/name") ||
		    !strcmp(xs_fake_nodes[i].path, "/local/domain/0/domid"))
			continue;
		assert_true(asprintf(&lines[n++], "%s = \"%s\"  (%s)\n", xs_fake_nodes[i].path,
				     xs_fake_nodes[i].val, xs_fake_nodes[i].perms) > 0);
	}
	qsort(lines, n, sizeof(lines[0]), cmp_str);
	for (unsigned int i = 0; i < n; i++) {
		fputs(lines[i], f);
		free(lines[i]);
	}
	fclose(f);
	return all;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);
	size_t n;

	if (!f) {
		perror(path);
		exit(1);
	}
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_layout_is_xens(void **state)
{
	char *ours, *xens;

	(void)state;
	assert_int_equal(run_xl("create", "-p", ref_cfg(), NULL), 0);
	/* the kernel path is the reference run's */
	for (unsigned int i = 0; i < xs_fake_nr; i++)
		if (strstr(xs_fake_nodes[i].path, "/image/kernel"))
			strcpy(xs_fake_nodes[i].val, "/tests/domu-vmlinuz");
	ours = dump_nodes();
	xens = golden_nodes;
	if (strcmp(ours, xens) && getenv("XL_CREATE_TEST_DUMP")) {	/* to diff by hand */
		FILE *f = fopen(getenv("XL_CREATE_TEST_DUMP"), "w");

		if (f) {
			fputs(ours, f);
			fclose(f);
		}
	}
	assert_string_equal(ours, xens);
	free(ours);
}

static void test_layout_ramdisk_and_vcpus(void **state)
{
	struct xl_xsdomain d = {
		.domid = 7, .name = "x", .max_kb = 1024, .target_kb = 1024, .vcpus = 1,
		.max_vcpus = 128, .kernel = "/k", .ramdisk = "/r", .cmdline = NULL,
	};
	struct xl_xsnode *x;
	int n = xl_xsnodes(&d, &x);
	bool ramdisk = false, cmdline = false;
	unsigned int offline = 0;

	(void)state;
	assert_true(n > 256);
	for (int i = 0; i < n; i++) {
		ramdisk |= !strcmp(x[i].path, "/vm/00000000-0000-0000-0000-000000000000/image/ramdisk") &&
			   !strcmp(x[i].value, "/r");
		cmdline |= strstr(x[i].path, "image/cmdline") != NULL;
		offline += !strcmp(x[i].value, "offline");
	}
	assert_true(ramdisk);
	assert_false(cmdline);
	assert_int_equal(offline, 127);
	free(x);
}

/* ---- the success path ---------------------------------------------------- */

static void test_create_steps_in_libxl_order(void **state)
{
	(void)state;
	assert_int_equal(run_xl("create", ref_cfg(), NULL), 0);
	static const char want[] = "Parsing config from ref.cfg\n"
				   "Waiting for domain ref (domid 1) to die [pid ";

	assert_true(!strncmp(err_buf, want, sizeof(want) - 1));
	assert_string_equal(calls,
		"create 1; max_vcpus 1 3; max_mem 1 328704; evtchn 1 0 -> 1; evtchn 1 0 -> 2; "
		"build 1 vmlinuz 262144 kB store 1 console 2; xs_nodes 69; "
		"introduce 1 121857 1; unpause 1; fork /var/log/xen/xl-ref.log; ");
	assert_int_equal(nr_doms, 2);
	assert_true(doms[1].running);
	assert_memory_equal(doms[1].uuid, "\x6a\x3b\x1e\x3c\x2b\x5e\x4a\x3e\x9e\x41\x0c\x4f\x1d\x2a\x7b\x10", 16);
}

static void test_create_paused_quiet_no_monitor(void **state)
{
	(void)state;
	assert_int_equal(run_xl("create", "-p", "-q", "-e", ref_cfg(), NULL), 0);
	assert_string_equal(err_buf, "");
	assert_null(strstr(calls, "unpause"));
	assert_null(strstr(calls, "fork"));
	assert_true(doms[1].paused);
}

static void test_create_console(void **state)
{
	(void)state;
	assert_int_equal(run_xl("create", "-c", ref_cfg(), NULL), 1);
	assert_non_null(strstr(calls, "fork /var/log/xen/xl-ref.log; console 1; "));
	assert_non_null(strstr(err_buf, "xl: create: cannot run xl console 1: No such file or directory\n"));
}

static void test_create_new_uuid_each_time(void **state)
{
	uint8_t zero[16] = { 0 };

	(void)state;
	file("k", "k");
	assert_int_equal(run_xl("create", "-p", "-e", file("a.cfg", "name=\"a\"\nkernel=\"k\"\n"),
				NULL), 0);
	assert_int_equal(run_xl("create", "-p", "-e", file("b.cfg", "name=\"b\"\nkernel=\"k\"\n"),
				NULL), 0);
	assert_memory_not_equal(doms[1].uuid, zero, 16);
	assert_memory_not_equal(doms[1].uuid, doms[2].uuid, 16);
	assert_int_equal(doms[2].max_kb, 128 * 1024 + 1024);	/* the 128 MB default */
}

/* ---- key=value overrides -------------------------------------------------- */

static void test_overrides(void **state)
{
	(void)state;
	assert_int_equal(run_xl("create", "-n", ref_cfg(), "name=\"other\"", "memory=300",
				"maxmem=400", "vcpus=1", "on_crash=\"restart\"", NULL), 0);
	assert_non_null(strstr(out_buf, "        \"name\": \"other\",\n"));
	assert_non_null(strstr(out_buf, "        \"max_memkb\": 409600,\n        \"target_memkb\": 307200,\n"));
	assert_non_null(strstr(out_buf, "\"avail_vcpus\": [\n            0\n        ],"));
	assert_non_null(strstr(out_buf, "    \"on_crash\": \"restart\"\n"));
	assert_string_equal(calls, "");	/* a dry run makes nothing */
	/* the file may come after the overrides, and -f names it too */
	assert_int_equal(run_xl("create", "-n", "name=\"o2\"", ref_cfg(), NULL), 0);
	assert_non_null(strstr(out_buf, "\"name\": \"o2\""));
	assert_int_equal(run_xl("create", "-n", "-f", ref_cfg(), "extra+=\" single\"", NULL), 0);
	assert_non_null(strstr(out_buf, "\"cmdline\": \"console=hvc0 panic=-1\""));
	/* an override makes the domain */
	assert_int_equal(run_xl("create", "-p", "-e", ref_cfg(), "name=\"over\"", "memory=64", NULL), 0);
	assert_string_equal(xs_fake_find("/local/domain/1/name")->val, "over");
	assert_string_equal(xs_fake_find("/local/domain/1/memory/target")->val, "65536");
}

static void test_override_errors(void **state)
{
	(void)state;
	/* Xen's xl too wants strings quoted on the command line */
	assert_int_equal(run_xl("create", ref_cfg(), "name=bare", NULL), 1);
	assert_string_equal(err_buf, "Parsing config from ref.cfg\n"
		"<command line>:1:6: the value of `name' must be quoted, a number or a list\n"
		"Failed to parse config: Invalid argument\n");
	assert_string_equal(calls, "");
	assert_int_equal(run_xl("create", ref_cfg(), "memory=0", NULL), 1);
	assert_non_null(strstr(err_buf, "<command line>:1:"));
	assert_nothing_left();
}

/* ---- error paths: message, exit status, nothing left ------------------ */

static void test_bad_config_file(void **state)
{
	(void)state;
	assert_int_equal(run_xl("create", file("bad.cfg", "name = \"x\"\nmemory = = 3\n"), NULL), 1);
	assert_string_equal(err_buf, "Parsing config from bad.cfg\n"
		"bad.cfg:2:10: unexpected `=' where a value was expected\n"
		"Failed to parse config: Invalid argument\n");
	assert_string_equal(calls, "");
	assert_nothing_left();
}

static void test_missing_config_and_none(void **state)
{
	(void)state;
	assert_int_equal(run_xl("create", "nonexistent.cfg", NULL), 3);
	assert_string_equal(err_buf, "Parsing config from nonexistent.cfg\n"
		"Failed to read config file: nonexistent.cfg: No such file or directory\n");
	assert_int_equal(run_xl("create", NULL), 6);
	assert_string_equal(err_buf, "Config file not specified and none in save file\n");
	assert_int_equal(run_xl("create", "-Z", NULL), 2);
	assert_string_equal(err_buf, "option `Z' not supported.\n");
	assert_nothing_left();
}

static void test_missing_kernel(void **state)
{
	(void)state;
	assert_int_equal(run_xl("create", ref_cfg(), "kernel=\"nonexistent\"", NULL), 3);
	assert_string_equal(err_buf, "Parsing config from ref.cfg\n"
		"xl: create: cannot open kernel nonexistent: No such file or directory\n");
	assert_string_equal(calls, "");
	assert_int_equal(run_xl("create", ref_cfg(), "ramdisk=\"none.gz\"", NULL), 3);
	assert_non_null(strstr(err_buf, "xl: create: cannot open ramdisk none.gz: No such file"));
	assert_nothing_left();
}

static void test_bad_kernel(void **state)
{
	(void)state;
	fail_step = "build";
	fail_rc = -ENOEXEC;
	assert_int_equal(run_xl("create", ref_cfg(), NULL), 3);
	assert_string_equal(err_buf, "Parsing config from ref.cfg\n"
		"xl: create: domain 1: building failed: vmlinuz: not a Xen PV kernel (no Xen ELF notes)\n");
	assert_non_null(strstr(calls, "build 1 "));
	assert_non_null(strstr(calls, "destroy 1; release 1; "));
	assert_null(strstr(calls, "xs_nodes"));
	assert_nothing_left();
}

static void test_duplicate_name(void **state)
{
	(void)state;
	assert_int_equal(run_xl("create", "-p", "-e", ref_cfg(), NULL), 0);
	calls[0] = '\0';
	assert_int_equal(run_xl("create", "-p", ref_cfg(), NULL), 3);
	assert_string_equal(err_buf, "Parsing config from ref.cfg\n"
		"xl: create: Domain with name \"ref\" already exists (domain 1).\n");
	assert_string_equal(calls, "");
	assert_int_equal(nr_doms, 2);
}

static void test_memory_too_large(void **state)
{
	(void)state;
	assert_int_equal(run_xl("create", ref_cfg(), "memory=100000", "maxmem=100000", NULL), 3);
	assert_string_equal(err_buf, "Parsing config from ref.cfg\n"
		"xl: create: domain 'ref' needs 100000 MB of memory, only 468 MB are free\n");
	assert_string_equal(calls, "");
	assert_nothing_left();
}

/* Each step after createdomain failing in turn: its message, the domain
 * destroyed and released, its nodes removed. */
static void test_each_step_failing(void **state)
{
	static const struct {
		const char *step, *msg;
	} steps[] = {
		{ "max_vcpus", "xl: create: domain 1: max_vcpus failed: Invalid argument\n" },
		{ "max_mem", "xl: create: domain 1: max_mem failed: Invalid argument\n" },
		{ "evtchn", "xl: create: domain 1: the xenstore event channel failed: Invalid argument\n" },
		{ "xs_nodes", "xl: create: domain 1: writing its xenstore nodes failed: Invalid argument\n" },
		{ "introduce", "xl: create: domain 1: introducing it to xenstored failed: Invalid argument\n" },
		{ "unpause", "xl: create: domain 1: unpause failed: Invalid argument\n" },
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		char want[256];

		next_domid = 1;
		calls[0] = '\0';
		fail_step = steps[i].step;
		fail_rc = -EINVAL;
		assert_int_equal(run_xl("create", ref_cfg(), NULL), 3);
		snprintf(want, sizeof(want), "Parsing config from ref.cfg\n%s", steps[i].msg);
		assert_string_equal(err_buf, want);
		assert_non_null(strstr(calls, "destroy 1; release 1; "));
		assert_null(strstr(calls, "fork"));
		assert_nothing_left();
	}
	fail_step = "create";
	fail_rc = -ENOMEM;
	assert_int_equal(run_xl("create", ref_cfg(), NULL), 3);
	assert_non_null(strstr(err_buf, "xl: create: createdomain failed: Cannot allocate memory\n"));
	assert_nothing_left();
}

/* ---- the monitor ----------------------------------------------------------- */

static void test_monitor_step_table(void **state)
{
	struct xl_domain_config cfg = {
		.on_poweroff = XL_ACTION_DESTROY, .on_reboot = XL_ACTION_RESTART,
		.on_crash = XL_ACTION_PRESERVE, .on_watchdog = XL_ACTION_RENAME_RESTART,
	};
	struct xl_dominfo i = { .domid = 3 };

	(void)state;
	assert_int_equal(xl_monitor_step(&cfg, false, &i), XL_MON_GONE);
	assert_int_equal(xl_monitor_step(&cfg, true, &i), XL_MON_WAIT);
	i.dying = true;
	assert_int_equal(xl_monitor_step(&cfg, true, &i), XL_MON_GONE);
	i.dying = false;
	i.shutdown = true;
	i.shutdown_reason = 0;
	assert_int_equal(xl_monitor_step(&cfg, true, &i), XL_MON_DESTROY);
	i.shutdown_reason = 1;
	assert_int_equal(xl_monitor_step(&cfg, true, &i), XL_MON_RESTART);
	i.shutdown_reason = 2;	/* suspend */
	assert_int_equal(xl_monitor_step(&cfg, true, &i), XL_MON_WAIT);
	i.shutdown_reason = 3;
	assert_int_equal(xl_monitor_step(&cfg, true, &i), XL_MON_PRESERVE);
	i.shutdown_reason = 4;
	assert_int_equal(xl_monitor_step(&cfg, true, &i), XL_MON_RENAME_RESTART);
	cfg.on_crash = XL_ACTION_COREDUMP_RESTART;
	i.shutdown_reason = 3;
	assert_int_equal(xl_monitor_step(&cfg, true, &i), XL_MON_RESTART);
	cfg.on_crash = XL_ACTION_COREDUMP_DESTROY;
	assert_int_equal(xl_monitor_step(&cfg, true, &i), XL_MON_DESTROY);
}

/* xl create -F: the monitor in the foreground, its log on stderr. */
static int create_foreground(const char *extra)
{
	return run_xl("create", "-F", "-q", ref_cfg(), extra, NULL);
}

static void test_monitor_poweroff_destroys(void **state)
{
	(void)state;
	after_waits = 2;
	then_reason = 0;
	restarts_left = 1;
	assert_int_equal(create_foreground(NULL), 0);
	assert_string_equal(err_buf,
		"Domain 1 has shut down, reason code 0 0x0\n"
		"Action for shutdown reason code 0 is destroy\n"
		"Domain 1 needs to be cleaned up: destroying the domain\n"
		"Done. Exiting now\n");
	assert_nothing_left();
}

static void test_monitor_reboot_restarts(void **state)
{
	(void)state;
	after_waits = 0;
	then_reason = 1;
	restarts_left = 2;	/* two reboots, then an outside destroy */
	assert_int_equal(create_foreground(NULL), 0);
	assert_string_equal(err_buf,
		"Domain 1 has shut down, reason code 1 0x1\n"
		"Action for shutdown reason code 1 is restart\n"
		"Domain 1 needs to be cleaned up: destroying the domain\n"
		"Done. Rebooting now\n"
		"Domain ref restarted as domain 2\n"
		"Domain 2 has shut down, reason code 1 0x1\n"
		"Action for shutdown reason code 1 is restart\n"
		"Domain 2 needs to be cleaned up: destroying the domain\n"
		"Done. Rebooting now\n"
		"Domain ref restarted as domain 3\n"
		"Domain 3 has been destroyed.\n");
	assert_non_null(strstr(calls, "outside destroy 3"));
	/* each new domain had the name and the uuid */
	assert_non_null(strstr(calls, "introduce 2 121857 1; unpause 2; "));
	assert_non_null(strstr(calls, "introduce 3 121857 1; unpause 3; "));
	assert_int_equal(nr_doms, 1);
	assert_int_equal(free_pages, 120000);
}

/* on_crash=restart: the new domain has the old one's name and UUID (the
 * outside destroy at the end leaves its nodes, as the fake is no xl
 * destroy: they show what the restart wrote). */
static void test_monitor_restart_keeps_name_and_uuid(void **state)
{
	(void)state;
	after_waits = 0;
	then_reason = 3;	/* crash */
	restarts_left = 1;
	assert_int_equal(run_xl("create", "-F", "-q", ref_cfg(), "on_crash=\"restart\"", NULL), 0);
	assert_non_null(strstr(calls, "destroy 1; release 1; create 2; "));
	assert_non_null(strstr(err_buf, "Domain ref restarted as domain 2\n"));
	assert_memory_equal(made_uuid[2], made_uuid[1], 16);
	assert_string_equal(xs_fake_find("/local/domain/2/name")->val, "ref");
	assert_string_equal(xs_fake_find("/local/domain/2/vm")->val, "/vm/" REF_UUID);
	assert_string_equal(xs_fake_find("/vm/" REF_UUID "/name")->val, "ref");
	assert_null(xs_fake_find("/local/domain/1/name"));
	assert_null(xs_fake_find("/libxl/1/type"));
	assert_null(xs_fake_find("/local/domain/0/backend/console/1/0/state"));
}

static void test_monitor_crash_preserves(void **state)
{
	(void)state;
	after_waits = 1;
	then_reason = 3;
	restarts_left = 1;
	assert_int_equal(create_foreground(NULL), 0);
	assert_string_equal(err_buf,
		"Domain 1 has shut down, reason code 3 0x3\n"
		"Action for shutdown reason code 3 is preserve\n"
		"Preserving domain 1 ref with suffix-20261207T0911Z\n"
		"Done. Exiting now\n");
	assert_string_equal(xs_fake_find("/local/domain/1/name")->val, "ref-20261207T0911Z");
	assert_string_equal(xs_fake_find("/vm/" REF_UUID "/name")->val, "ref-20261207T0911Z");
	assert_int_equal(nr_doms, 2);	/* kept, crashed */
	/* the name is free again */
	assert_int_equal(run_xl("create", "-p", "-e", "-q", ref_cfg(), "memory=64", NULL), 0);
}

static void test_monitor_rename_restart(void **state)
{
	(void)state;
	after_waits = 0;
	then_reason = 4;	/* watchdog */
	restarts_left = 1;
	assert_int_equal(run_xl("create", "-F", "-q", ref_cfg(), "on_watchdog=\"rename-restart\"", "memory=64", NULL), 0);
	assert_string_equal(err_buf,
		"Domain 1 has shut down, reason code 4 0x4\n"
		"Action for shutdown reason code 4 is rename-restart\n"
		"Preserving domain 1 ref with suffix-20261207T0911Z\n"
		"Done. Rebooting now\n"
		"Domain ref restarted as domain 2\n"
		"Domain 2 has been destroyed.\n");
	assert_string_equal(xs_fake_find("/local/domain/1/name")->val, "ref-20261207T0911Z");
	assert_int_equal(nr_doms, 2);	/* Dom0 and the renamed one */
}

static void test_preserved_name(void **state)
{
	char buf[64];

	(void)state;
	xl_preserved_name("web", 0, buf, sizeof(buf));
	assert_string_equal(buf, "web-19700101T0000Z");
}

/* ---- shutdown and reboot ---------------------------------------------------- */

static void make_ref(void)
{
	assert_int_equal(run_xl("create", "-e", "-q", ref_cfg(), NULL), 0);
	calls[0] = '\0';
}

static void test_shutdown_request(void **state)
{
	(void)state;
	make_ref();
	assert_int_equal(run_xl("shutdown", "ref", NULL), 0);
	assert_string_equal(err_buf, "Shutting down domain 1\n");
	assert_string_equal(calls, "request poweroff; ");
	assert_string_equal(xs_fake_find("/local/domain/1/control/shutdown")->val, "");
	assert_int_equal(run_xl("reboot", "1", NULL), 0);
	assert_string_equal(err_buf, "Rebooting domain 1\n");
	assert_string_equal(calls, "request poweroff; request reboot; ");
}

static void test_shutdown_not_acknowledged(void **state)
{
	(void)state;
	make_ref();
	guest_acks = false;
	assert_int_equal(run_xl("shutdown", "ref", NULL), 1);
	assert_string_equal(err_buf, "Shutting down domain 1\n"
		"xl: domain 1 did not acknowledge the poweroff request (are its PV drivers up?)\n"
		"shutdown failed (rc=-9)\n");
	assert_string_equal(xs_fake_find("/local/domain/1/control/shutdown")->val, "poweroff");
	assert_int_equal(sleeps, 100);	/* 10 s in 100 ms steps */
}

static void test_shutdown_wait_and_all(void **state)
{
	(void)state;
	make_ref();
	assert_int_equal(run_xl("create", "-e", "-q", ref_cfg(), "name=\"two\"", "memory=64", NULL), 0);
	assert_int_equal(run_xl("shutdown", "-a", "-w", NULL), 0);
	assert_string_equal(err_buf, "Shutting down domain 1\n"
		"Shutting down domain 2\n"
		"Waiting for 2 domains\n"
		"Domain 1 has been shut down, reason code 0\n"
		"Domain 2 has been shut down, reason code 0\n");
	f_destroy(NULL, 2);
	doms[1].shutdown = false;
	assert_int_equal(run_xl("reboot", "--wait", "1", NULL), 0);
	assert_string_equal(err_buf, "Rebooting domain 1\n"
		"Waiting for 1 domains\n"
		"Domain 1 has been shut down, reason code 1\n");
}

static void test_shutdown_errors(void **state)
{
	(void)state;
	assert_int_equal(run_xl("shutdown", NULL), 1);
	assert_string_equal(err_buf, "You must specify -a or a domain id.\n\n");
	assert_int_equal(run_xl("shutdown", "nosuch", NULL), 1);
	assert_string_equal(err_buf, "nosuch is an invalid domain identifier (rc=-6)\n");
	assert_int_equal(run_xl("reboot", "9", NULL), 1);
	assert_string_equal(err_buf, "Rebooting domain 9\nError: Domain '9' does not exist.\n");
	assert_int_equal(run_xl("shutdown", "-x", "1", NULL), 2);
	assert_string_equal(err_buf, "option `x' not supported.\n");
}

/* xl destroy of a domain xl create made: every node of the four trees
 * gone, xenstored told, the memory back. The nodes go before the
 * hypercall, as libxl removes them (xl_life.c says why). */
static void test_destroy_removes_everything(void **state)
{
	(void)state;
	assert_int_equal(run_xl("create", "-e", "-q", ref_cfg(), NULL), 0);
	assert_int_equal(xs_fake_nr, 2 + 69);
	assert_int_equal(run_xl("destroy", "ref", NULL), 0);
	assert_non_null(strstr(calls, "destroy 1; release 1; "));
	assert_int_equal(nodes_at_destroy, 2);
	assert_nothing_left();
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_layout_is_xens),
		T(test_layout_ramdisk_and_vcpus),
		T(test_create_steps_in_libxl_order),
		T(test_create_paused_quiet_no_monitor),
		T(test_create_console),
		T(test_create_new_uuid_each_time),
		T(test_overrides),
		T(test_override_errors),
		T(test_bad_config_file),
		T(test_missing_config_and_none),
		T(test_missing_kernel),
		T(test_bad_kernel),
		T(test_duplicate_name),
		T(test_memory_too_large),
		T(test_each_step_failing),
		T(test_monitor_step_table),
		T(test_monitor_poweroff_destroys),
		T(test_monitor_reboot_restarts),
		T(test_monitor_restart_keeps_name_and_uuid),
		T(test_monitor_crash_preserves),
		T(test_monitor_rename_restart),
		T(test_preserved_name),
		T(test_shutdown_request),
		T(test_shutdown_not_acknowledged),
		T(test_shutdown_wait_and_all),
		T(test_shutdown_errors),
		T(test_destroy_removes_everything),
	};

	char dir[] = "/tmp/xl_create_test.XXXXXX";
	int rc;

	golden_nodes = slurp(GOLDEN_NODES);
	/* the configurations and kernels the tests write, by relative name,
	 * so that the messages compared are the same on every run */
	if (!mkdtemp(dir) || chdir(dir)) {
		perror(dir);
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (chdir("/") == 0) {
		char cmd[64];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			rc = rc ? rc : 1;
	}
	free(golden_nodes);
	return rc;
}
