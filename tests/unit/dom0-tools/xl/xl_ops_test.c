/*
 * xl_ops_test.c - unit tests of xl's vCPU, memory, scheduler, log, top
 * and console commands (dom0-tools/xl: xl_vcpu.c, xl_mem.c, xl_sched.c,
 * xl_dmesg.c, xl_top.c, xl_console.c) over a fake struct xl_ops: two
 * domains with vCPUs, affinities and credit parameters, a fake xenstore
 * and a fake console ring, output captured. Covers the pure logic (CPU
 * lists both ways, memory sizes, top's percentages, the console's escape
 * character), every argument error with Xen 4.17's message and exit
 * status, and the output formats against
 * tests/integration/xlops/xlops-xen-4.17.golden.
 */
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "xl_fake.h"

/* ---- the fake hypervisor and xenstore --------------------------------- */

#define NDOMS 2
#define NVCPUS 2

static struct xl_dominfo doms[NDOMS];
static struct xl_vcpuinfo vcpus[NDOMS][NVCPUS];
static uint8_t hard[NDOMS][NVCPUS], soft[NDOMS][NVCPUS];	/* 2 host CPUs: one byte */
static unsigned int weight[NDOMS], cap[NDOMS];
static uint64_t maxmem_kb[NDOMS];
static int sched = 5, sched_rc, readcons_rc, setaff_calls;
static bool cleared;
static const char *ring;
static char keys_sent[16];	/* xl debug-keys: what reached the hypervisor */
static int keys_rc;

static int idx(uint32_t domid)
{
	for (int i = 0; i < NDOMS; i++)
		if (doms[i].domid == domid)
			return i;
	return -1;
}

static int f_domains(void *p, uint32_t first, unsigned int max, struct xl_dominfo *out)
{
	unsigned int n = 0;

	(void)p;
	for (unsigned int i = 0; i < NDOMS && n < max; i++)
		if (doms[i].domid >= first)
			out[n++] = doms[i];
	return (int)n;
}

static int f_physinfo(void *p, struct xl_physinfo *out)
{
	(void)p;
	*out = (struct xl_physinfo){ .nr_cpus = 2, .max_cpu_id = 1, .total_pages = 262144 };
	return 0;
}

static int f_vcpu_info(void *p, uint32_t domid, unsigned int v, struct xl_vcpuinfo *out)
{
	int i = idx(domid);

	(void)p;
	if (i < 0)
		return -ESRCH;
	if (v >= NVCPUS)
		return -EINVAL;
	*out = vcpus[i][v];
	return 0;
}

static int f_getaff(void *p, uint32_t domid, unsigned int v, uint8_t *h, uint8_t *s, unsigned int len)
{
	int i = idx(domid);

	(void)p;
	assert_int_equal(len, 1);	/* (2 CPUs + 7) / 8 */
	if (i < 0 || v >= NVCPUS)
		return i < 0 ? -ESRCH : -EINVAL;
	h[0] = hard[i][v];
	s[0] = soft[i][v];
	return 0;
}

static int f_setaff(void *p, uint32_t domid, unsigned int v, const uint8_t *h, const uint8_t *s,
		    unsigned int len)
{
	int i = idx(domid);

	(void)p;
	assert_int_equal(len, 1);
	if (i < 0 || v >= NVCPUS)
		return i < 0 ? -ESRCH : -EINVAL;
	if (h && !(h[0] & 3))
		return -EINVAL;		/* no CPU of the host: as Xen */
	setaff_calls++;
	if (h)
		hard[i][v] = h[0];
	if (s)
		soft[i][v] = s[0];
	return 0;
}

static int f_setmaxmem(void *p, uint32_t domid, uint64_t kb)
{
	int i = idx(domid);

	(void)p;
	if (i < 0)
		return -ESRCH;
	maxmem_kb[i] = kb;
	return 0;
}

static int f_sched_id(void *p, int *id)
{
	(void)p;
	*id = sched;
	return sched_rc;
}

static int f_credit_get(void *p, uint32_t domid, unsigned int *w, unsigned int *c)
{
	int i = idx(domid);

	(void)p;
	if (i < 0)
		return -ESRCH;
	*w = weight[i];
	*c = cap[i];
	return 0;
}

static int f_credit_set(void *p, uint32_t domid, unsigned int w, unsigned int c)
{
	int i = idx(domid);

	(void)p;
	if (i < 0)
		return -ESRCH;
	weight[i] = w;
	cap[i] = c;
	return 0;
}

static int f_params(void *p, unsigned int *ts, unsigned int *rl, unsigned int *md)
{
	(void)p;
	*ts = 30;
	*rl = 1000;
	*md = 0;
	return 0;
}

static int f_readconsole(void *p, char *buf, unsigned int *len, bool clear)
{
	size_t n = strlen(ring);

	(void)p;
	if (readcons_rc)
		return readcons_rc;
	if (n > *len)
		n = *len;
	memcpy(buf, ring, n);
	*len = (unsigned int)n;
	cleared = clear;
	if (clear)
		ring = "";
	return 0;
}

static int f_debug_keys(void *p, const char *keys)
{
	(void)p;
	snprintf(keys_sent, sizeof(keys_sent), "%s", keys);
	return keys_rc;
}

static const struct xl_ops fake_ops = {
	.domains = f_domains, .physinfo = f_physinfo, .xs_read = xs_fake_read, .xs_write = xs_fake_write,
	.vcpu_info = f_vcpu_info, .vcpu_getaffinity = f_getaff, .vcpu_setaffinity = f_setaff,
	.setmaxmem = f_setmaxmem, .sched_id = f_sched_id, .sched_credit_get = f_credit_get,
	.sched_credit_set = f_credit_set, .sched_credit_params = f_params,
	.readconsole = f_readconsole, .debug_keys = f_debug_keys,
};

/* ---- running a command with its output captured ----------------------- */

static int run_xl(const char *first, ...)
{
	va_list ap;
	int r;

	va_start(ap, first);
	r = xl_fake_vrun((struct xl_ctx){ .ops = &fake_ops }, NULL, first, ap);
	va_end(ap);
	return r;
}

/* Dom0 (2 vCPUs running and blocked) and xltest, id 1, never run. */
static int setup(void **state)
{
	(void)state;
	memset(doms, 0, sizeof(doms));
	doms[0] = (struct xl_dominfo){ .domid = 0, .max_vcpu_id = 1, .online_vcpus = 2,
				       .current_kb = 524288, .max_kb = 0xffffffffull * 4,
				       .running = true, .cpu_time_ns = 57300000000ull };
	doms[1] = (struct xl_dominfo){ .domid = 1, .max_vcpu_id = 1, .current_kb = 1024,
				       .max_kb = 2048, .paused = true };
	vcpus[0][0] = (struct xl_vcpuinfo){ .online = true, .blocked = true, .cpu_time_ns = 7500000000ull, .cpu = 0 };
	vcpus[0][1] = (struct xl_vcpuinfo){ .online = true, .running = true, .cpu_time_ns = 6449999999ull, .cpu = 1 };
	vcpus[1][0] = vcpus[1][1] = (struct xl_vcpuinfo){ 0 };
	memset(hard, 0xff, sizeof(hard));
	memset(soft, 0xff, sizeof(soft));
	weight[0] = weight[1] = 256;
	cap[0] = cap[1] = 0;
	maxmem_kb[0] = maxmem_kb[1] = 0;
	sched = 5;
	sched_rc = readcons_rc = setaff_calls = keys_rc = 0;
	keys_sent[0] = 0;
	cleared = false;
	ring = "(XEN) one\n(XEN) two\n";
	xs_fake_reset();
	xs_fake_write(NULL, "/local/domain/1/name", "xltest");
	xs_fake_write(NULL, "/local/pool/0/name", "Pool-0");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xl_fake_free_output();
	return 0;
}

/* ---- the pure logic ---------------------------------------------------- */

static const char *map_of(const char *list, unsigned int nbits, int *rc)
{
	static char buf[256];
	uint8_t map[XL_CPUMAP_BYTES];
	const char *bad = NULL;

	*rc = xl_cpulist_parse(list, map, nbits, &bad);
	if (*rc)
		return bad;
	xl_cpumap_str(map, nbits, buf, sizeof(buf));
	return buf;
}

static void test_cpulist(void **state)
{
	int rc;

	(void)state;
	assert_string_equal(map_of("0", 2, &rc), "0");
	assert_string_equal(map_of("0-1", 2, &rc), "all");
	assert_string_equal(map_of("all", 8, &rc), "all");
	assert_string_equal(map_of("all,^1", 8, &rc), "0,2-7");
	assert_string_equal(map_of("0,2-3,7", 8, &rc), "0,2-3,7");
	assert_string_equal(map_of("1-7", 8, &rc), "1-7");
	assert_string_equal(map_of("^0", 2, &rc), "none");
	assert_string_equal(map_of("0-3,^1-2", 8, &rc), "0,3");
	assert_int_equal(rc, 0);
	/* CPUs the host lacks are dropped, as Xen's xl does */
	assert_string_equal(map_of("1,5", 2, &rc), "1");
	assert_string_equal(map_of("9", 2, &rc), "none");
	assert_string_equal(map_of("1023", 1024, &rc), "1023");
	assert_int_equal(rc, 0);
	/* what Xen's xl calls an invalid range: the entry is pointed at */
	assert_string_equal(map_of("nosuchcpu", 2, &rc), "nosuchcpu");
	assert_int_equal(rc, -EINVAL);
	assert_string_equal(map_of("0-", 2, &rc), "0-");
	assert_string_equal(map_of("1-0", 2, &rc), "1-0");
	assert_string_equal(map_of("0,x,1", 2, &rc), "x,1");
	assert_string_equal(map_of("-1", 2, &rc), "-1");
	assert_string_equal(map_of("^", 2, &rc), "^");
	assert_string_equal(map_of("0,,1", 2, &rc), ",1");
	assert_string_equal(map_of("99999999999999999999", 2, &rc), "99999999999999999999");
	assert_string_equal(map_of("1 ", 2, &rc), "1 ");
	assert_int_equal(rc, -EINVAL);
}

static void test_mem_size(void **state)
{
	(void)state;
	assert_int_equal(xl_parse_mem_kb("4m"), 4096);
	assert_int_equal(xl_parse_mem_kb("4M"), 4096);
	assert_int_equal(xl_parse_mem_kb("5"), 5120);	/* MiB without a suffix */
	assert_int_equal(xl_parse_mem_kb("3072k"), 3072);
	assert_int_equal(xl_parse_mem_kb("2g"), 2 << 20);
	assert_int_equal(xl_parse_mem_kb("1t"), 1ll << 30);
	assert_int_equal(xl_parse_mem_kb("4096b"), 4);
	assert_int_equal(xl_parse_mem_kb("1023b"), 0);
	assert_int_equal(xl_parse_mem_kb("abc"), -1);
	assert_int_equal(xl_parse_mem_kb("5mb"), -1);
	assert_int_equal(xl_parse_mem_kb("5x"), -1);
	assert_int_equal(xl_parse_mem_kb("-1"), -1);
	assert_int_equal(xl_parse_mem_kb("99999999999999999999"), -1);
	assert_int_equal(xl_parse_mem_kb("9999999999999t"), -1);
}

/* xentop's network columns: the domain's vifs in /proc/net/dev, swapped */
static void test_top_net(void **state)
{
	const char *text =
		"Inter-|   Receive                                                |  Transmit\n"
		" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
		"    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0\n"
		"  vif1.0:   2048      10    0    0    0     0          0         0     8192      20    0    0    0     0       0          0\n"
		"  vif1.1:   1024       5    0    0    0     0          0         0     1024       5    0    0    0     0       0          0\n"
		" vif12.0:  99999       5    0    0    0     0          0         0    99999       5    0    0    0     0       0          0\n"
		"  xenbr0:   5000      50    0    0    0     0          0         0     5000      50    0    0    0     0       0          0";
	struct xl_top_io io = { 0 };

	(void)state;
	xl_top_net(text, 1, &io);
	assert_int_equal(io.nets, 2);
	assert_int_equal(io.net_tx, 3072);	/* what its vifs received */
	assert_int_equal(io.net_rx, 9216);	/* what they sent */
	memset(&io, 0, sizeof(io));
	xl_top_net(text, 2, &io);	/* vif12 is not vif2's */
	assert_int_equal(io.nets, 0);
	xl_top_net("", 1, &io);
	assert_int_equal(io.nets, 0);
}

static void write_stat(const char *dir, const char *dev, const char *name, const char *v)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/statistics", dir, dev);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/statistics/%s", dir, dev, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(v, f);
	fclose(f);
}

/* xentop's block columns: each vbd-<domid>-<dev>'s statistics in sysfs */
static void test_top_vbd(void **state)
{
	char dir[] = "/tmp/xl-top-vbd-XXXXXX", path[600];
	struct xl_top_io io = { 0 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	const char *devs[] = { "vbd-3-51712", "vbd-3-51728", "vbd-33-51712", "vif-3-0" };
	for (unsigned int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, devs[i]);
		assert_int_equal(mkdir(path, 0755), 0);
		write_stat(dir, devs[i], "oo_req", "1\n");
		write_stat(dir, devs[i], "rd_req", "10\n");
		write_stat(dir, devs[i], "wr_req", "20\n");
		write_stat(dir, devs[i], "rd_sect", "80\n");
		write_stat(dir, devs[i], "wr_sect", "160\n");
	}
	xl_top_vbd(dir, 3, &io);
	assert_int_equal(io.vbds, 2);
	assert_int_equal(io.vbd_oo, 2);
	assert_int_equal(io.vbd_rd, 20);
	assert_int_equal(io.vbd_wr, 40);
	assert_int_equal(io.vbd_rsect, 160);
	assert_int_equal(io.vbd_wsect, 320);
	memset(&io, 0, sizeof(io));
	xl_top_vbd("/nonexistent/xl-top", 3, &io);	/* no backends at all */
	assert_int_equal(io.vbds, 0);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

static void test_top_pct(void **state)
{
	(void)state;
	assert_true(xl_top_cpu_pct(0, 1000000000ull, 1.0) == 100.0);
	assert_true(xl_top_cpu_pct(1000, 1500001000ull, 3.0) == 50.0);
	assert_true(xl_top_cpu_pct(0, 4000000000ull, 2.0) == 200.0);	/* two vCPUs busy */
	assert_true(xl_top_cpu_pct(10, 5, 1.0) == 0);	/* a new domain with the old id */
	assert_true(xl_top_cpu_pct(0, 5, 0) == 0);
}

static void test_console_filter(void **state)
{
	bool detach;

	(void)state;
	assert_int_equal(xl_console_filter("abc", 3, &detach), 3);
	assert_false(detach);
	assert_int_equal(xl_console_filter("ab\x1d" "cd", 5, &detach), 2);
	assert_true(detach);
	assert_int_equal(xl_console_filter("\x1d", 1, &detach), 0);
	assert_true(detach);
	/* a NUL is data, not an end */
	assert_int_equal(xl_console_filter("a\0b\x1d", 4, &detach), 3);
	assert_true(detach);
	assert_int_equal(xl_console_filter("", 0, &detach), 0);
	assert_false(detach);
}

/* ---- the commands -------------------------------------------------------- */

#define VL_HEAD "Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)\n"

static void test_vcpulist(void **state)
{
	(void)state;
	assert_int_equal(run_xl("vcpu-list", NULL), 0);
	assert_string_equal(out_buf, VL_HEAD
		"Domain-0                             0     0    0   -b-       7.5  all / all\n"
		"Domain-0                             0     1    1   r--       6.4  all / all\n"
		"xltest                               1     0    -   --p       0.0  all / all\n"
		"xltest                               1     1    -   --p       0.0  all / all\n");
	/* in the order asked */
	hard[1][1] = 2;
	soft[1][1] = 1;
	assert_int_equal(run_xl("vcpu-list", "xltest", "0", NULL), 0);
	assert_string_equal(out_buf, VL_HEAD
		"xltest                               1     0    -   --p       0.0  all / all\n"
		"xltest                               1     1    -   --p       0.0  1 / 0\n"
		"Domain-0                             0     0    0   -b-       7.5  all / all\n"
		"Domain-0                             0     1    1   r--       6.4  all / all\n");
	/* a name that is no domain: Xen's message, status 1 */
	assert_int_equal(run_xl("vcpu-list", "nosuch", NULL), 1);
	assert_string_equal(err_buf, "nosuch is an invalid domain identifier (rc=-6)\n");
	assert_string_equal(out_buf, VL_HEAD);
	/* an id that is none: a message, and status 0 as Xen's */
	assert_int_equal(run_xl("vcpu-list", "999", NULL), 0);
	assert_string_equal(err_buf, "xl: vcpu-list: domain 999 does not exist\n");
	assert_int_equal(run_xl("vcpu-list", "-x", NULL), 2);
	assert_string_equal(err_buf, "option `x' not supported.\n");
}

static void test_vcpupin(void **state)
{
	(void)state;
	assert_int_equal(run_xl("vcpu-pin", "xltest", "0", "0", NULL), 0);
	assert_int_equal(hard[1][0], 1);
	assert_int_equal(soft[1][0], 0xff);	/* not given: unchanged */
	assert_int_equal(run_xl("vcpu-pin", "xltest", "all", "1", NULL), 0);
	assert_int_equal(hard[1][0], 2);
	assert_int_equal(hard[1][1], 2);
	assert_int_equal(run_xl("vcpu-pin", "xltest", "1", "-", "0", NULL), 0);
	assert_int_equal(hard[1][1], 2);
	assert_int_equal(soft[1][1], 1);
	/* soft affinity outside the hard one: said, not refused */
	assert_non_null(strstr(err_buf, "only the hard affinity counts"));
	/* "all" is every bit of the map's bytes; listed, only the host's count */
	assert_int_equal(run_xl("vcpu-pin", "-f", "xltest", "0", "all,^1", "all", NULL), 0);
	assert_int_equal(hard[1][0], 0xfd);
	assert_int_equal(soft[1][0], 0xff);
	assert_string_equal(err_buf, "");
	assert_int_equal(run_xl("vcpu-list", "xltest", NULL), 0);
	assert_string_equal(out_buf, VL_HEAD
		"xltest                               1     0    -   --p       0.0  0 / all\n"
		"xltest                               1     1    -   --p       0.0  1 / 0\n");

	/* errors, Xen's messages and statuses; nothing set */
	setaff_calls = 0;
	assert_int_equal(run_xl("vcpu-pin", "xltest", "0", NULL), 2);
	assert_true(!strncmp(err_buf, "'xl vcpu-pin' requires at least 3 arguments.\n", 45));
	assert_int_equal(run_xl("vcpu-pin", "xltest", "0", "nosuchcpu", NULL), 1);
	assert_string_equal(err_buf, "Invalid pcpu range: nosuchcpu.\n");
	assert_int_equal(run_xl("vcpu-pin", "xltest", "0", "0,1-", NULL), 1);
	assert_string_equal(err_buf, "Invalid pcpu range: 1-.\n");
	assert_int_equal(run_xl("vcpu-pin", "xltest", "0", "^0", NULL), 1);
	assert_string_equal(err_buf, "vcpu hard affinity map is empty\n");
	assert_int_equal(run_xl("vcpu-pin", "xltest", "0", "0", "^0", NULL), 1);
	assert_string_equal(err_buf, "vcpu soft affinity map is empty\n");
	assert_int_equal(run_xl("vcpu-pin", "xltest", "x", "0", NULL), 1);
	assert_string_equal(err_buf, "Error: Invalid argument x as VCPU.\n");
	assert_int_equal(run_xl("vcpu-pin", "nosuch", "0", "0", NULL), 1);
	assert_string_equal(err_buf, "nosuch is an invalid domain identifier (rc=-6)\n");
	assert_int_equal(setaff_calls, 0);
	/* refused by the hypervisor: its reason, then Xen's line */
	assert_int_equal(run_xl("vcpu-pin", "xltest", "5", "0", NULL), 1);
	assert_string_equal(err_buf, "xl: vcpu-pin: domain 1 vCPU 5: setting its affinity failed: Invalid argument\n"
		"Could not set affinity for vcpu `5'.\n");
	/* a CPU the host lacks but the map's byte holds goes to the
	 * hypervisor, which refuses it (Xen's xl does the same) */
	assert_int_equal(run_xl("vcpu-pin", "xltest", "0", "4", NULL), 1);
	assert_string_equal(err_buf, "xl: vcpu-pin: domain 1 vCPU 0: setting its affinity failed: Invalid argument\n"
		"Could not set affinity for vcpu `0'.\n");
	assert_int_equal(setaff_calls, 0);
}

static void test_vcpuset(void **state)
{
	(void)state;
	assert_int_equal(run_xl("vcpu-set", "xltest", "1", NULL), 0);
	assert_string_equal(xs_fake_get("/local/domain/1/cpu/0/availability"), "online");
	assert_string_equal(xs_fake_get("/local/domain/1/cpu/1/availability"), "offline");
	assert_int_equal(run_xl("vcpu-set", "xltest", "2", NULL), 0);
	assert_string_equal(xs_fake_get("/local/domain/1/cpu/1/availability"), "online");
	assert_int_equal(run_xl("vcpu-set", "xltest", "3", NULL), 1);
	assert_string_equal(err_buf, "You are overcommmitting! You have 2 physical CPUs and want 3 vCPUs! Aborting, use --ignore-host to continue\n");
	/* past the host with -i, but not past the domain's vCPUs */
	assert_int_equal(run_xl("vcpu-set", "-i", "xltest", "3", NULL), 1);
	assert_string_equal(err_buf, "xl: vcpu-set: domain 1: 3 vCPUs asked for, it has 2\n"
		"libxl_set_vcpuonline failed domid=1 max_vcpus=3, rc: -3\n");
	assert_int_equal(run_xl("vcpu-set", "xltest", "0", NULL), 1);
	assert_string_equal(err_buf, "xl: vcpu-set: domain 1: 0 vCPUs asked for, it has 2\n"
		"libxl_set_vcpuonline failed domid=1 max_vcpus=0, rc: -3\n");
	assert_string_equal(xs_fake_get("/local/domain/1/cpu/1/availability"), "online");
	assert_int_equal(run_xl("vcpu-set", "xltest", "abc", NULL), 1);
	assert_string_equal(err_buf, "Error: Invalid argument.\n");
	assert_int_equal(run_xl("vcpu-set", "xltest", NULL), 2);
	assert_int_equal(run_xl("vcpu-set", "nosuch", "1", NULL), 1);
	assert_string_equal(err_buf, "nosuch is an invalid domain identifier (rc=-6)\n");
}

static void test_mem(void **state)
{
	(void)state;
	/* no balloon target: mem-max is refused, as Xen's */
	assert_int_equal(run_xl("mem-max", "xltest", "4m", NULL), 1);
	assert_string_equal(err_buf, "xl: mem-max: domain 1: cannot read /local/domain/1/memory/target: No such file or directory\n"
		"cannot set domid 1 static max memory to : 4m\n");
	assert_int_equal(maxmem_kb[1], 0);
	xs_fake_write(NULL, "/local/domain/1/memory/target", "1024");
	xs_fake_write(NULL, "/local/domain/1/memory/static-max", "1024");
	assert_int_equal(run_xl("mem-max", "xltest", "4m", NULL), 0);
	assert_int_equal(maxmem_kb[1], 4096 + 1024);
	assert_string_equal(xs_fake_get("/local/domain/1/memory/static-max"), "4096");
	assert_int_equal(run_xl("mem-max", "xltest", "512k", NULL), 1);
	assert_string_equal(err_buf, "xl: mem-max: domain 1: 512 KiB is below its balloon target (1024 KiB)\n"
		"cannot set domid 1 static max memory to : 512k\n");
	assert_int_equal(maxmem_kb[1], 4096 + 1024);
	assert_int_equal(run_xl("mem-set", "xltest", "2m", NULL), 0);
	assert_string_equal(xs_fake_get("/local/domain/1/memory/target"), "2048");
	assert_int_equal(maxmem_kb[1], 2048 + 1024);
	assert_int_equal(run_xl("mem-set", "xltest", "9m", NULL), 1);
	assert_string_equal(err_buf, "xl: mem-set: domain 1: 9216 KiB is above its maximum (memory/static-max: 4096 KiB)\n"
		"cannot set domid 1 dynamic max memory to : 9m\n");
	assert_string_equal(xs_fake_get("/local/domain/1/memory/target"), "2048");
	assert_int_equal(run_xl("mem-set", "xltest", "abc", NULL), 1);
	assert_string_equal(err_buf, "invalid memory size: abc\n");
	assert_int_equal(run_xl("mem-max", "nosuch", "4m", NULL), 1);
	assert_string_equal(err_buf, "nosuch is an invalid domain identifier (rc=-6)\n");
	assert_int_equal(run_xl("mem-set", "999", "4m", NULL), 1);
	assert_string_equal(err_buf, "xl: mem-set: domain 999: no such domain\n"
		"cannot set domid 999 dynamic max memory to : 4m\n");
	assert_int_equal(run_xl("mem-set", "xltest", NULL), 2);
}

#define SC_HEAD "Name                                ID Weight  Cap\n"

static void test_sched_credit(void **state)
{
	(void)state;
	assert_int_equal(run_xl("sched-credit", NULL), 0);
	assert_string_equal(out_buf, "Cpupool Pool-0: tslice=30ms ratelimit=1000us migration-delay=0us\n" SC_HEAD
		"Domain-0                             0    256    0\n"
		"xltest                               1    256    0\n");
	assert_int_equal(run_xl("sched-credit", "-d", "xltest", "-w", "512", NULL), 0);
	assert_int_equal(weight[1], 512);
	assert_int_equal(run_xl("sched-credit", "-d", "xltest", "--weight=640", "-c", "50", NULL), 0);
	assert_int_equal(run_xl("sched-credit", "-d", "xltest", NULL), 0);
	assert_string_equal(out_buf, SC_HEAD "xltest                               1    640   50\n");
	/* -1 leaves it as it is */
	assert_int_equal(run_xl("sched-credit", "-d", "xltest", "-c", "-1", NULL), 0);
	assert_int_equal(cap[1], 50);
	/* out of range: ours, then Xen's line; nothing changes */
	assert_int_equal(run_xl("sched-credit", "-d", "xltest", "-w", "0", NULL), 1);
	assert_string_equal(err_buf, "xl: sched-credit: domain 1: weight 0 is out of range (1 to 65535)\n"
		"libxl_domain_sched_params_set failed.\n");
	assert_int_equal(run_xl("sched-credit", "-d", "xltest", "-w", "65536", NULL), 1);
	assert_int_equal(run_xl("sched-credit", "-d", "xltest", "-w=384", NULL), 1);	/* strtol: 0 */
	assert_int_equal(run_xl("sched-credit", "-d", "xltest", "-w", "abc", NULL), 1);
	assert_int_equal(run_xl("sched-credit", "-d", "xltest", "-c", "201", NULL), 1);
	assert_string_equal(err_buf, "xl: sched-credit: domain 1: cap 201 is out of range (0 to 200 for its vCPUs)\n"
		"libxl_domain_sched_params_set failed.\n");
	assert_int_equal(run_xl("sched-credit", "-d", "xltest", "-c", "-2", NULL), 1);
	assert_int_equal(weight[1], 640);
	assert_int_equal(cap[1], 50);
	assert_int_equal(run_xl("sched-credit", "-w", "512", NULL), 1);
	assert_string_equal(err_buf, "Must specify a domain.\n");
	assert_int_equal(run_xl("sched-credit", "-d", "nosuch", NULL), 1);
	assert_string_equal(err_buf, "nosuch is an invalid domain identifier (rc=-6)\n");
	assert_int_equal(run_xl("sched-credit", "-s", NULL), 0);
	assert_string_equal(out_buf, "Cpupool Pool-0: tslice=30ms ratelimit=1000us migration-delay=0us\n");
	assert_int_equal(run_xl("sched-credit", "-p", "Pool-0", NULL), 0);
	assert_int_equal(run_xl("sched-credit", "-p", "nosuchpool", NULL), 1);
	assert_string_equal(err_buf, "unknown cpupool 'nosuchpool'\n");
	assert_int_equal(run_xl("sched-credit", "-x", NULL), 2);
	assert_string_equal(err_buf, "option `x' not supported.\n");
	/* another scheduler, or none known */
	sched = 6;
	assert_int_equal(run_xl("sched-credit", NULL), 1);
	assert_non_null(strstr(err_buf, "not credit"));
	sched = 5;
	sched_rc = -ENOSYS;
	assert_int_equal(run_xl("sched-credit", "-d", "0", NULL), 1);
	assert_non_null(strstr(err_buf, "Function not implemented"));
	sched_rc = 0;
	/* no pool name in xenstore: Xen's xl cannot list pools either */
	xs_fake_remove("/local/pool");
	assert_int_equal(run_xl("sched-credit", NULL), 1);
	assert_string_equal(err_buf, "error getting cpupool info\n");
}

static void test_dmesg(void **state)
{
	(void)state;
	assert_int_equal(run_xl("dmesg", NULL), 0);
	assert_string_equal(out_buf, "(XEN) one\n(XEN) two\n");
	assert_false(cleared);
	assert_int_equal(run_xl("dmesg", "-c", NULL), 0);
	assert_string_equal(out_buf, "(XEN) one\n(XEN) two\n");
	assert_true(cleared);
	assert_int_equal(run_xl("dmesg", NULL), 0);
	assert_string_equal(out_buf, "");
	assert_int_equal(run_xl("dmesg", "-x", NULL), 2);
	readcons_rc = -ENOSYS;
	assert_int_equal(run_xl("dmesg", NULL), 1);
	assert_string_equal(err_buf, "xl: dmesg: reading the hypervisor's console ring failed: Function not implemented\n");
}

/* xl debug-keys KEYS: the string to the hypervisor, Xen's xl's message on failure */
static void test_debug_keys(void **state)
{
	(void)state;
	assert_int_equal(run_xl("debug-keys", "g", NULL), 0);
	assert_string_equal(keys_sent, "g");
	assert_string_equal(out_buf, "");
	assert_int_equal(run_xl("debug-keys", NULL), 2);	/* a key is required */
	keys_rc = -EPERM;
	assert_int_equal(run_xl("debug-keys", "gq", NULL), 1);
	assert_string_equal(err_buf, "cannot send debug keys: gq\n");
}

static void test_top(void **state)
{
	(void)state;
	assert_int_equal(run_xl("top", "-b", "-i", "1", NULL), 0);
	assert_string_equal(out_buf,
		"      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID\n"
		"  Domain-0 -----r         57    0.0     524288   50.0   no limit       n/a     2    0        0        0    0        0        0        0          0          0    0\n"
		"    xltest ----p-          0    0.0       1024    0.1       2048       0.2     2    0        0        0    0        0        0        0          0          0    0\n");
	assert_int_equal(run_xl("top", "-b", "-i", "0", NULL), 1);
	assert_int_equal(run_xl("top", "-d", "x", NULL), 1);
	assert_int_equal(run_xl("top", "-x", NULL), 2);
	assert_string_equal(err_buf, "option `x' not supported.\n");
}

static void test_console(void **state)
{
	(void)state;
	/* no pty advertised: xenconsole's message and status */
	assert_int_equal(run_xl("console", "xltest", NULL), 2);
	assert_string_equal(err_buf, "xenconsole: Could not read tty from store: No such file or directory\n");
	xs_fake_write(NULL, "/local/domain/1/console/tty", "/nonexistent/pty");
	assert_int_equal(run_xl("console", "-t", "pv", "xltest", NULL), 2);
	assert_string_equal(err_buf, "xenconsole: Could not open tty `/nonexistent/pty': No such file or directory\n");
	assert_int_equal(run_xl("console", "-n", "1", "xltest", NULL), 2);
	assert_string_equal(err_buf, "xenconsole: Could not read tty from store: No such file or directory\n");
	assert_int_equal(run_xl("console", "-t", "foo", "xltest", NULL), 1);
	assert_string_equal(err_buf, "console type supported are: pv, serial, vuart\n");
	assert_int_equal(run_xl("console", "-t", "serial", "xltest", NULL), 1);
	assert_string_equal(err_buf, "xl: console: a PV domain has no serial console (only pv)\nUnable to attach console\n");
	assert_int_equal(run_xl("console", "999", NULL), 1);
	assert_string_equal(err_buf, "xl: console: domain 999: no such domain\nUnable to attach console\n");
	assert_int_equal(run_xl("console", "nosuch", NULL), 1);
	assert_int_equal(run_xl("console", NULL), 2);
	assert_true(!strncmp(err_buf, "'xl console' requires at least 1 argument.\n", 43));
}

static void test_help(void **state)
{
	(void)state;
	assert_int_equal(run_xl("help", "vcpu-pin", NULL), 0);
	assert_string_equal(out_buf, "Usage: xl [-vtTfN] vcpu-pin [option] <Domain> <VCPU|all> <Hard affinity|-|all> <Soft affinity|-|all>\n\n"
		"Set which CPUs a VCPU can use.\n\nOptions:\n\n"
		"-f, --force        undo an override pinning done by the kernel\n"
		"--ignore-global-affinity-masks Ignore global masks in xl.conf\n");
	assert_int_equal(run_xl("help", "dmesg", NULL), 0);
	assert_string_equal(out_buf, "Usage: xl [-vtT] dmesg [-c]\n\nRead and/or clear dmesg buffer.\n\nOptions:\n\n"
		"  -c                        Clear dmesg buffer as well as printing it\n");
	assert_int_equal(run_xl("help", "top", NULL), 0);
	assert_string_equal(out_buf, "Usage: xl [-vtT] top \n\nMonitor a host and the domains in real time.\n\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_cpulist), T(test_mem_size), T(test_top_pct), T(test_top_net), T(test_top_vbd), T(test_console_filter),
		T(test_vcpulist), T(test_vcpupin), T(test_vcpuset), T(test_mem),
		T(test_sched_credit), T(test_dmesg), T(test_debug_keys), T(test_top), T(test_console), T(test_help),
#undef T
	};

	return cmocka_run_group_tests_name("xl-ops", tests, NULL, NULL);
}
