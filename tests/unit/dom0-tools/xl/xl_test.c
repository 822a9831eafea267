/*
 * xl_test.c - unit tests of the xl command (dom0-tools/xl) over a fake
 * struct xl_ops: a table of domains and a small fake xenstore, with
 * output captured. Covers argument parsing (options, -h, missing and
 * extra arguments, unknown options), domain-name resolution (ids, names,
 * Dom0's default name, unknown domains) and the output formats of list,
 * list -v, list -l, info, uptime, domid, domname, rename, pause, unpause,
 * destroy (vcpu-list and the other commands of xl_ops_test.c are tested
 * there), and
 * whole runs (global options, dispatch, when
 * the backend is opened), against Xen 4.17's layouts
 * (tests/integration/xl/xl-xen-4.17.golden).
 */
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "xl_fake.h"

/* ---- the fake hypervisor and xenstore --------------------------------- */

#define MAX_DOMS 8

static struct xl_dominfo doms[MAX_DOMS];
static unsigned int nr_doms;
static uint32_t last_paused, last_unpaused, last_destroyed;
static int pause_count;

static int f_domains(void *p, uint32_t first, unsigned int max, struct xl_dominfo *out)
{
	unsigned int n = 0;

	(void)p;
	for (unsigned int i = 0; i < nr_doms && n < max; i++)
		if (doms[i].domid >= first)
			out[n++] = doms[i];
	return (int)n;	/* 0 when none, as the real backend */
}

static int f_physinfo(void *p, struct xl_physinfo *out)
{
	(void)p;
	*out = (struct xl_physinfo){
		.threads_per_core = 1, .cores_per_socket = 2, .nr_cpus = 2, .max_cpu_id = 1,
		.nr_nodes = 1, .cpu_khz = 2904010, .capabilities = 1u << 1,
		.total_pages = 262144, .free_pages = 128000, .hw_cap = { 0x178bfbff, 0x80002001 },
	};
	return 0;
}

static int f_version(void *p, struct xl_version *v)
{
	(void)p;
	memset(v, 0, sizeof(*v));
	v->major = 4;
	v->minor = 17;
	strcpy(v->extra, ".0-paravane");
	strcpy(v->caps, "xen-3.0-x86_64");
	strcpy(v->changeset, "paravane 0.1");
	strcpy(v->commandline, "console=com1");
	strcpy(v->compiler, "gcc");
	strcpy(v->compile_by, "paravane");
	v->pagesize = 4096;
	v->virt_start = 0xffff800000000000ull;
	return 0;
}

static struct xl_dominfo *find(uint32_t domid)
{
	for (unsigned int i = 0; i < nr_doms; i++)
		if (doms[i].domid == domid)
			return &doms[i];
	return NULL;
}

static int f_pause(void *p, uint32_t domid)
{
	(void)p;
	if (!find(domid))
		return -ESRCH;
	last_paused = domid;
	pause_count++;
	return 0;
}

static int f_unpause(void *p, uint32_t domid)
{
	(void)p;
	if (!find(domid))
		return -ESRCH;
	if (pause_count == 0)
		return -EINVAL;
	last_unpaused = domid;
	pause_count--;
	return 0;
}

static int f_destroy(void *p, uint32_t domid)
{
	struct xl_dominfo *d = find(domid);

	(void)p;
	if (!d)
		return -ESRCH;
	last_destroyed = domid;
	*d = doms[--nr_doms];
	return 0;
}

static int f_now(void *p, double *epoch, double *uptime)
{
	(void)p;
	*epoch = 1000000.5;
	*uptime = 93784.2;	/* 1 day, 2:03:04 */
	return 0;
}

static int f_uname(void *p, char node[65], char rel[65], char ver[65], char mach[65])
{
	(void)p;
	strcpy(node, "(none)");
	strcpy(rel, "6.1.0-57-amd64");
	strcpy(ver, "#1 SMP");
	strcpy(mach, "x86_64");
	return 0;
}

static int f_sched_id(void *p, int *id)
{
	(void)p;
	*id = 5;	/* XEN_SCHEDULER_CREDIT */
	return 0;
}

static const struct xl_ops fake_ops = {
	.domains = f_domains, .physinfo = f_physinfo, .version = f_version,
	.pause = f_pause, .unpause = f_unpause, .destroy = f_destroy,
	.xs_read = xs_fake_read, .xs_write = xs_fake_write, .xs_rm = xs_fake_rm,
	.now = f_now, .uname = f_uname, .sched_id = f_sched_id,
};

/* ---- running a command with its output captured ----------------------- */

/* Run "xl WORDS..." (NULL-terminated) on the fake: its exit status;
 * out_buf and err_buf hold what it printed. */
static int run_xl(const char *first, ...)
{
	va_list ap;
	int r;

	va_start(ap, first);
	r = xl_fake_vrun((struct xl_ctx){ .ops = &fake_ops }, NULL, first, ap);
	va_end(ap);
	return r;
}

static void add_dom(uint32_t domid, const char *name, uint64_t kb, unsigned int vcpus)
{
	char path[64];

	doms[nr_doms] = (struct xl_dominfo){
		.domid = domid, .current_kb = kb, .max_kb = kb, .online_vcpus = vcpus,
		.max_vcpu_id = vcpus ? vcpus - 1 : 0, .paused = domid != 0,
		.running = domid == 0, .cpu_time_ns = domid ? 0 : 12345678901ull,
	};
	if (domid)
		for (int i = 0; i < 16; i++)
			doms[nr_doms].uuid[i] = (uint8_t)(0x11 * i);
	nr_doms++;
	if (name) {
		snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
		xs_fake_write(NULL, path, name);
	}
}

/* Dom0 (no name in xenstore: "Domain-0" all the same) and xltest, id 3,
 * with a vm path and a start time 3661 s before "now". */
static int setup(void **state)
{
	(void)state;
	nr_doms = xs_fake_nr = 0;
	pause_count = 1;
	last_paused = last_unpaused = last_destroyed = UINT32_MAX;
	add_dom(0, NULL, 524288, 2);
	add_dom(3, "xltest", 1024, 0);
	xs_fake_write(NULL, "/local/domain/3/vm", "/vm/00112233-4455-6677-8899-aabbccddeeff");
	xs_fake_write(NULL, "/vm/00112233-4455-6677-8899-aabbccddeeff/start_time", "996339.50");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xl_fake_free_output();
	return 0;
}

/* ---- domain names ---------------------------------------------------- */

static void test_resolve(void **state)
{
	struct xl_ctx ctx = { .ops = &fake_ops, .out = stdout, .err = stderr };
	static const struct {
		const char *arg;
		int rc;
		uint32_t domid;
	} cases[] = {
		{ "0", 0, 0 }, { "3", 0, 3 }, { "999", 0, 999 },	/* ids are not checked */
		{ "xltest", 0, 3 }, { "Domain-0", 0, 0 },
		{ "nosuch", -ESRCH, 0 }, { "3x", -ESRCH, 0 }, { "", -ESRCH, 0 },
		{ "99999999999", -ESRCH, 0 },		/* past 32 bits: a name */
	};
	char name[64];

	(void)state;
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t domid = 0;
		int rc = xl_domid_of(&ctx, cases[i].arg, &domid);

		assert_int_equal(rc, cases[i].rc);
		if (rc == 0)
			assert_int_equal(domid, cases[i].domid);
	}
	assert_int_equal(xl_domname_of(&ctx, 0, name, sizeof(name)), 0);
	assert_string_equal(name, "Domain-0");
	assert_int_equal(xl_domname_of(&ctx, 3, name, sizeof(name)), 0);
	assert_string_equal(name, "xltest");
	assert_int_equal(xl_domname_of(&ctx, 7, name, sizeof(name)), -ENOENT);
}

static void test_domid_domname(void **state)
{
	(void)state;
	assert_int_equal(run_xl("domid", "xltest", NULL), 0);
	assert_string_equal(out_buf, "3\n");
	assert_int_equal(run_xl("domid", "Domain-0", NULL), 0);
	assert_string_equal(out_buf, "0\n");
	assert_int_equal(run_xl("domid", "nosuch", NULL), 1);
	assert_string_equal(err_buf, "Can't get domid of domain name 'nosuch', maybe this domain does not exist.\n");
	assert_int_equal(run_xl("domid", NULL), 2);
	assert_string_equal(err_buf, "'xl domid' requires at least 1 argument.\n\n");
	assert_string_equal(out_buf, "Usage: xl [-vtT] domid <DomainName>\n\nConvert a domain name to domain id.\n\n");
	assert_int_equal(run_xl("domname", "3", NULL), 0);
	assert_string_equal(out_buf, "xltest\n");
	assert_int_equal(run_xl("domname", "999", NULL), 1);
	assert_string_equal(err_buf, "Can't get domain name of domain id '999', maybe this domain does not exist.\n");
	assert_int_equal(run_xl("domname", "xltest", NULL), 1);
	assert_string_equal(err_buf, "Invalid domain id.\n\n");
}

static void test_rename(void **state)
{
	char *v = NULL;

	(void)state;
	assert_int_equal(run_xl("rename", "xltest", "Domain-0", NULL), 1);
	assert_non_null(strstr(err_buf, "Can't rename domain 'xltest'.\n"));
	assert_int_equal(run_xl("rename", "nosuch", "x", NULL), 1);
	assert_string_equal(err_buf, "nosuch is an invalid domain identifier (rc=-6)\n");
	assert_int_equal(run_xl("rename", "xltest", NULL), 2);
	assert_string_equal(err_buf, "'xl rename' requires at least 2 arguments.\n\n");
	assert_int_equal(run_xl("rename", "xltest", "renamed", NULL), 0);
	assert_int_equal(xs_fake_read(NULL, "/local/domain/3/name", &v), 0);
	assert_string_equal(v, "renamed");
	free(v);
	assert_int_equal(xs_fake_read(NULL, "/vm/00112233-4455-6677-8899-aabbccddeeff/name", &v), 0);
	assert_string_equal(v, "renamed");
	free(v);
	/* renaming to its own name is not a clash */
	assert_int_equal(run_xl("rename", "3", "renamed", NULL), 0);
}

/* ---- options and help ------------------------------------------------ */

static void test_options(void **state)
{
	(void)state;
	assert_int_equal(run_xl("list", "-Q", NULL), 2);
	assert_string_equal(err_buf, "option `Q' not supported.\n");
	assert_int_equal(run_xl("pause", "-h", NULL), 0);
	assert_string_equal(out_buf, "Usage: xl [-vtTf] pause <Domain>\n\nPause execution of a domain.\n\n");
	assert_int_equal(run_xl("unpause", "--help", NULL), 0);
	assert_string_equal(out_buf, "Usage: xl [-vtTf] unpause <Domain>\n\nUnpause a paused domain.\n\n");
	assert_int_equal(run_xl("list", "0", "3", NULL), 1);
	assert_true(!strncmp(out_buf, "Usage: xl [-vtT] list [options] [Domain]\n\n\n", 43));
	assert_int_equal(run_xl("destroy", "-f", NULL), 2);
	assert_string_equal(err_buf, "'xl destroy' requires at least 1 argument.\n\n");
}

static void test_help(void **state)
{
	(void)state;
	assert_int_equal(run_xl("help", "list", NULL), 0);
	assert_string_equal(out_buf,
		"Usage: xl [-vtT] list [options] [Domain]\n\n\n"
		"List information about all/some domains.\n\n"
		"Options:\n\n"
		"-l, --long              Output all VM details\n"
		"-v, --verbose           Prints out UUIDs and security context\n"
		"-Z, --context           Prints out security context\n"
		"-c, --cpupool           Prints the cpupool the domain is in\n"
		"-n, --numa              Prints out NUMA node affinity\n");
	assert_int_equal(run_xl("help", NULL), 0);
	assert_true(!strncmp(out_buf, "Usage xl [-vfNtT] <subcommand> [args]\n\nxl full list of subcommands:\n\n"
			     " create              Create a domain from config file <filename>\n"
			     " list                List information about all/some domains\n", 195));
	assert_non_null(strstr(out_buf, "\n uptime              Print uptime for all/some domains\n"));
	/* every command in the table is in the list */
	for (unsigned int i = 0; i < xl_nr_cmds; i++) {
		char line[64];

		snprintf(line, sizeof(line), "\n %-19s %s\n", xl_cmds[i].name, xl_cmds[i].help);
		assert_non_null(strstr(out_buf, line));
	}
	assert_int_equal(run_xl("help", "nosuch", NULL), 0);
	assert_string_equal(err_buf, "command \"nosuch\" not implemented\n");
}

/* ---- list ------------------------------------------------------------ */

static void test_list(void **state)
{
	(void)state;
	assert_int_equal(run_xl("list", NULL), 0);
	assert_string_equal(out_buf,
		"Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
		"Domain-0                                     0   512     2     r-----      12.3\n"
		"xltest                                       3     1     0     --p---       0.0\n");
	assert_int_equal(run_xl("list", "-v", "xltest", NULL), 0);
	assert_string_equal(out_buf,
		"Name                                        ID   Mem VCPUs\tState\tTime(s)"
		"   UUID                            Reason-Code\tSecurity Label\n"
		"xltest                                       3     1     0     --p---       0.0"
		" 00112233-4455-6677-8899-aabbccddeeff        -                -\n");
	assert_int_equal(run_xl("list", "nosuch", NULL), 1);
	assert_string_equal(err_buf, "nosuch is an invalid domain identifier (rc=-6)\n");
	assert_int_equal(run_xl("list", "999", NULL), 1);
	assert_string_equal(err_buf, "Error: Domain '999' does not exist.\n");
	assert_string_equal(out_buf, "");
}

static void test_list_states(void **state)
{
	struct xl_dominfo *d = &doms[1];

	(void)state;
	d->paused = false;
	d->blocked = d->shutdown = d->crashed = d->dying = true;
	d->shutdown_reason = 2;
	assert_int_equal(run_xl("list", "-v", "3", NULL), 0);
	assert_non_null(strstr(out_buf, "\nxltest                                       3     1     0     -b-scd       0.0"
				    " 00112233-4455-6677-8899-aabbccddeeff        2                -\n"));
}

static void test_list_unnamed(void **state)
{
	(void)state;
	add_dom(5, NULL, 4096, 1);
	assert_int_equal(run_xl("list", "5", NULL), 0);
	assert_non_null(strstr(out_buf, "\n(null)                                       5     4     1     --p---       0.0\n"));
}

static void test_list_json(void **state)
{
	(void)state;
	assert_int_equal(run_xl("list", "-l", "xltest", NULL), 0);
	assert_string_equal(out_buf,
		"[\n"
		"    {\n"
		"        \"domid\": 3,\n"
		"        \"config\": {\n"
		"            \"c_info\": {\n"
		"                \"type\": \"pv\",\n"
		"                \"name\": \"xltest\",\n"
		"                \"uuid\": \"00112233-4455-6677-8899-aabbccddeeff\",\n"
		"                \"pool_id\": 0\n"
		"            },\n"
		"            \"b_info\": {\n"
		"                \"max_vcpus\": 1,\n"
		"                \"max_memkb\": 1024,\n"
		"                \"target_memkb\": 1024\n"
		"            }\n"
		"        }\n"
		"    }\n"
		"]\n\n");
	nr_doms = 0;
	assert_int_equal(run_xl("list", "--long", NULL), 0);
	assert_string_equal(out_buf, "[\n\n]\n\n");	/* as Xen prints no domains */
}

/* ---- pause, unpause, destroy ---------------------------------------- */

static void test_pause_unpause(void **state)
{
	(void)state;
	assert_int_equal(run_xl("pause", "xltest", NULL), 0);
	assert_int_equal(last_paused, 3);
	assert_string_equal(out_buf, "");
	assert_int_equal(run_xl("unpause", "3", NULL), 0);
	assert_int_equal(last_unpaused, 3);
	assert_int_equal(run_xl("pause", "nosuch", NULL), 1);
	assert_string_equal(err_buf, "nosuch is an invalid domain identifier (rc=-6)\n");
	assert_int_equal(run_xl("unpause", "999", NULL), 1);
	assert_string_equal(err_buf, "Error: Domain '999' does not exist.\n");
	assert_int_equal(run_xl("unpause", "3", NULL), 0);
	assert_int_equal(run_xl("unpause", "3", NULL), 1);	/* count at 0: EINVAL */
	assert_non_null(strstr(err_buf, "unpause of domain 3 failed: Invalid argument"));
}

static void test_destroy(void **state)
{
	char *v = NULL;

	(void)state;
	assert_int_equal(run_xl("destroy", "0", NULL), 1);
	assert_string_equal(err_buf, "Not destroying domain 0; use -f to force.\n"
			    "This can only be done when using a disaggregated hardware domain and toolstack.\n\n");
	assert_int_equal(last_destroyed, UINT32_MAX);
	assert_int_equal(run_xl("destroy", "999", NULL), 1);
	assert_int_equal(run_xl("destroy", "xltest", NULL), 0);
	assert_int_equal(last_destroyed, 3);
	/* its xenstore nodes went with it */
	assert_int_equal(xs_fake_read(NULL, "/local/domain/3/name", &v), -ENOENT);
	assert_int_equal(xs_fake_read(NULL, "/vm/00112233-4455-6677-8899-aabbccddeeff/start_time", &v), -ENOENT);
	assert_int_equal(run_xl("domid", "xltest", NULL), 1);
	/* -f lets domain 0 through to the hypervisor */
	assert_int_equal(run_xl("destroy", "-f", "0", NULL), 0);
	assert_int_equal(last_destroyed, 0);
}

/* ---- uptime, vcpu-list, info ----------------------------------------- */

static void test_uptime(void **state)
{
	(void)state;
	assert_int_equal(run_xl("uptime", NULL), 0);
	assert_string_equal(out_buf,
		"Name                                ID Uptime\n"
		"Domain-0                             0 1 day,  2:03:04\n"
		"xltest                               3  1:01:01\n");
	assert_int_equal(run_xl("uptime", "nosuch", NULL), 1);
	assert_string_equal(out_buf, "");
	add_dom(4, "nostart", 0, 1);
	assert_int_equal(run_xl("uptime", "nostart", NULL), 0);
	assert_string_equal(out_buf, "Name                                ID Uptime\n");
	assert_non_null(strstr(err_buf, "domain 4"));
	assert_int_equal(run_xl("uptime", "-s", "xltest", NULL), 0);
	assert_non_null(strstr(out_buf, " up  1:01, xltest (3)\n"));
}

static void test_info(void **state)
{
	(void)state;
	assert_int_equal(run_xl("info", NULL), 0);
	assert_string_equal(out_buf,
		"host                   : (none)\n"
		"release                : 6.1.0-57-amd64\n"
		"version                : #1 SMP\n"
		"machine                : x86_64\n"
		"nr_cpus                : 2\n"
		"max_cpu_id             : 1\n"
		"nr_nodes               : 1\n"
		"cores_per_socket       : 2\n"
		"threads_per_core       : 1\n"
		"cpu_mhz                : 2904.010\n"
		"hw_caps                : 178bfbff:80002001:00000000:00000000:00000000:00000000:00000000:00000000\n"
		"virt_caps              : pv\n"
		"total_memory           : 1024\n"
		"free_memory            : 500\n"
		"sharing_freed_memory   : 0\n"
		"sharing_used_memory    : 0\n"
		"outstanding_claims     : 0\n"
		"free_cpus              : 0\n"
		"xen_major              : 4\n"
		"xen_minor              : 17\n"
		"xen_extra              : .0-paravane\n"
		"xen_version            : 4.17.0-paravane\n"
		"xen_caps               : xen-3.0-x86_64\n"
		"xen_scheduler          : credit\n"
		"xen_pagesize           : 4096\n"
		"platform_params        : virt_start=0xffff800000000000\n"
		"xen_changeset          : paravane 0.1\n"
		"xen_commandline        : console=com1\n"
		"cc_compiler            : gcc\n"
		"cc_compile_by          : paravane\n"
		"cc_compile_domain      : \n"
		"cc_compile_date        : \n"
		"build_id               : \n"
		"xend_config_format     : 4\n");
	assert_int_equal(run_xl("info", "-n", NULL), 2);
	assert_string_equal(err_buf, "option `n' not supported.\n");
}

/* ---- a whole run: global options, dispatch, the backend ------------- */

static int backend_opens, backend_closes, backend_rc;

static int open_fake(struct xl_ctx *ctx)
{
	backend_opens++;
	if (backend_rc < 0)
		return backend_rc;
	ctx->ops = &fake_ops;
	return 0;
}

static void close_fake(struct xl_ctx *ctx)
{
	(void)ctx;
	backend_closes++;
}

static int xl_whole(struct xl_ctx *ctx, int argc, char **argv)
{
	return xl_run(ctx, argc, argv, open_fake, close_fake);
}

/* "xl ARGS..." through xl_run: the exit status; output in out_buf/err_buf */
static int run_whole(const char *first, ...)
{
	char *argv[16] = { "xl" };
	int argc = 1;
	va_list ap;

	va_start(ap, first);
	for (const char *a = first; a && argc < 15; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	backend_opens = backend_closes = 0;
	return xl_fake_run((struct xl_ctx){ 0 }, xl_whole, argc, argv);
}

static void test_run(void **state)
{
	(void)state;
	backend_rc = 0;
	assert_int_equal(run_whole("-v", "domid", "xltest", NULL), 0);
	assert_string_equal(out_buf, "3\n");
	assert_int_equal(backend_opens, 1);
	assert_int_equal(backend_closes, 1);
	/* no backend for help, unknown commands, bad global options, -N */
	assert_int_equal(run_whole("help", "pause", NULL), 0);
	assert_true(!strncmp(out_buf, "Usage: xl [-vtTf] pause <Domain>", 32));
	assert_int_equal(run_whole("frobnicate", NULL), 1);
	assert_string_equal(err_buf, "command not implemented\n");
	assert_int_equal(run_whole("-N", "pause", "xltest", NULL), 1);
	assert_string_equal(err_buf, "command does not implement -N (dryrun) option\n");
	assert_int_equal(last_paused, UINT32_MAX);
	assert_int_equal(run_whole("-Z", "list", NULL), 1);
	assert_string_equal(err_buf, "unknown global option\n");
	assert_int_equal(run_whole(NULL), 1);
	assert_true(!strncmp(out_buf, "Usage xl [-vfNtT] <subcommand> [args]\n", 38));
	assert_int_equal(backend_opens, 0);
	/* options after the command are the command's */
	assert_int_equal(run_whole("-t", "list", "-v", "3", NULL), 0);
	assert_non_null(strstr(out_buf, "00112233-4455-6677-8899-aabbccddeeff"));
	/* no hypervisor or no xenstored: Xen's message, status 1 */
	backend_rc = -ENOENT;
	assert_int_equal(run_whole("list", NULL), 1);
	assert_string_equal(err_buf, "cannot init xl context\n");
	assert_int_equal(backend_closes, 0);
	backend_rc = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_resolve), T(test_domid_domname), T(test_rename), T(test_options),
		T(test_help), T(test_list), T(test_list_states), T(test_list_unnamed),
		T(test_list_json), T(test_pause_unpause), T(test_destroy), T(test_uptime),
		T(test_info), T(test_run),
#undef T
	};

	return cmocka_run_group_tests_name("xl", tests, NULL, NULL);
}
