/*
 * xl_create.c - `xl create`: a PV domain from an xl.cfg file, made in the
 * order Xen 4.17's libxl makes one, and its undoing.
 *
 *   check      the name is free, the memory is free, kernel and ramdisk
 *              can be read (before anything exists, so a refusal leaves
 *              nothing to undo)
 *   create     createdomain with the configuration's UUID (or a new one),
 *              max_vcpus, max_mem (maxmem plus libxl's 1 MiB of slack)
 *   channels   the guest's ends of the xenstore and console event
 *              channels, Dom0 the remote end of both
 *   build      libxenguest's pv_build: kernel, ramdisk, start_info, ...
 *   xenstore   every node of the domain (xl_xsnodes.c) in one
 *              transaction, then XS_INTRODUCE with the store ring
 *   unpause    unless -p
 *
 * A failure at any step undoes all of them (xl_unmake_domain): nothing is
 * left in the hypervisor or in xenstore. Messages and exit statuses follow
 * Xen's xl (tests/integration/xlcreate/xen-4.17-create.golden): "Parsing
 * config from FILE" first; a bad file exits 1, a failure to make the
 * domain 3 (libxl's ERROR_FAIL), no file 6 (ERROR_INVAL). The monitor
 * (xl_monitor.c) is forked once the domain exists.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uuid/uuid.h>
#include "xlcfg.h"
#include "xl.h"

#define XL_EXIT_FAIL 3		/* libxl's ERROR_FAIL, negated, as xl exits */
#define XL_EXIT_INVAL 6		/* ERROR_INVAL */
#define XL_MAXMEM_SLACK_KB 1024	/* libxl's LIBXL_MAXMEM_CONSTANT */
#define XL_MAX_OVERRIDES 64

/* Does a domain other than except already carry name? Its id in *who. */
static bool name_taken(struct xl_ctx *ctx, const char *name, uint32_t *who)
{
	struct xl_dominfo *doms;
	char buf[256];
	int n = xl_domain_list(ctx, &doms);
	bool taken = false;

	for (int i = 0; i < n && !taken; i++) {
		if (xl_domname_of(ctx, doms[i].domid, buf, sizeof(buf)) == 0 &&
		    !strcmp(buf, name)) {
			*who = doms[i].domid;
			taken = true;
		}
	}
	free(doms);
	return taken;
}

static int readable(struct xl_ctx *ctx, const char *what, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(ctx->err, "xl: create: cannot open %s %s: %s\n", what, path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

/* Everything that can be refused before the domain exists: 0 or -1. */
static int precheck(struct xl_ctx *ctx, const struct xl_make *m)
{
	const struct xl_domain_config *cfg = m->cfg;
	struct xl_physinfo pi;
	uint32_t other;
	uint64_t free_mb;
	int rc;

	if (name_taken(ctx, m->name, &other)) {
		fprintf(ctx->err, "xl: create: Domain with name \"%s\" already exists (domain %u).\n",
			m->name, other);
		return -1;
	}
	rc = ctx->ops->physinfo(ctx->priv, &pi);
	if (rc < 0) {
		fprintf(ctx->err, "xl: create: physinfo failed: %s\n", strerror(-rc));
		return -1;
	}
	free_mb = pi.free_pages / 256;
	if (cfg->memory_mb > free_mb) {
		fprintf(ctx->err, "xl: create: domain '%s' needs %llu MB of memory, "
			"only %llu MB are free\n", m->name, (unsigned long long)cfg->memory_mb,
			(unsigned long long)free_mb);
		return -1;
	}
	if (!cfg->kernel) {
		fprintf(ctx->err, "xl: create: '%s' has no kernel (bootloader is not supported)\n",
			m->name);
		return -1;
	}
	if (readable(ctx, "kernel", cfg->kernel) ||
	    (cfg->ramdisk && readable(ctx, "ramdisk", cfg->ramdisk)))
		return -1;
	return 0;
}

int xl_unmake_domain(struct xl_ctx *ctx, uint32_t domid)
{
	char roots[4][64], path[64], *vm = NULL;
	uint8_t uuid[16] = { 0 };
	unsigned int n;
	int rc;

	/* The vm path is read before the nodes go: it names the uuid. */
	snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
	if (ctx->ops->xs_read(ctx->priv, path, &vm) == 0 && !strncmp(vm, "/vm/", 4))
		uuid_parse(vm + 4, uuid);
	free(vm);
	xl_devices_close(ctx, domid);
	rc = ctx->ops->destroy(ctx->priv, domid);
	/* xenstored forgets the domain (and fires @releaseDomain); a domain
	 * never introduced answers an error we do not care about. */
	ctx->cops->release(ctx->priv, domid);
	n = xl_xsnodes_roots(domid, uuid, roots);
	for (unsigned int i = 0; i < n; i++)
		ctx->ops->xs_rm(ctx->priv, roots[i]);
	xl_devices_release(ctx, domid);
	return rc;
}

/* The steps after createdomain: 0, or -1 with a message. */
static int fill_domain(struct xl_ctx *ctx, struct xl_make *m, double now)
{
	const struct xl_domain_config *cfg = m->cfg;
	const struct xl_create_ops *c = ctx->cops;
	struct xl_build b = {
		.kernel = cfg->kernel, .ramdisk = cfg->ramdisk, .cmdline = cfg->kernel_cmdline,
		.mem_kb = cfg->memory_mb * 1024,
	};
	struct xl_xsdomain d = {
		.domid = m->domid, .name = m->name, .target_kb = cfg->memory_mb * 1024,
		.max_kb = cfg->maxmem_mb * 1024, .vcpus = cfg->vcpus, .max_vcpus = cfg->maxvcpus,
		.kernel = cfg->kernel, .ramdisk = cfg->ramdisk, .cmdline = cfg->kernel_cmdline,
		.start_time = now,
		.on_poweroff = xl_action_name(cfg->on_poweroff),
		.on_reboot = xl_action_name(cfg->on_reboot),
		.on_crash = xl_action_name(cfg->on_crash),
		.on_watchdog = xl_action_name(cfg->on_watchdog),
	};
	struct xl_xsnode *nodes = NULL;
	char err[512] = "";
	const char *what;
	int rc, n;

	memcpy(d.uuid, m->uuid, sizeof(d.uuid));
	what = "max_vcpus";
	rc = c->max_vcpus(ctx->priv, m->domid, cfg->maxvcpus);
	if (rc == 0) {
		what = "max_mem";
		rc = c->setmaxmem(ctx->priv, m->domid, cfg->maxmem_mb * 1024 + XL_MAXMEM_SLACK_KB);
	}
	if (rc == 0) {
		what = "the xenstore event channel";
		rc = c->alloc_unbound(ctx->priv, m->domid, 0, &b.store_port);
	}
	if (rc == 0) {
		what = "the console event channel";
		rc = c->alloc_unbound(ctx->priv, m->domid, 0, &b.console_port);
	}
	if (rc < 0) {
		fprintf(ctx->err, "xl: create: domain %u: %s failed: %s\n", m->domid, what,
			strerror(-rc));
		return -1;
	}
	rc = c->build(ctx->priv, m->domid, &b, err, sizeof(err));
	if (rc < 0) {
		fprintf(ctx->err, "xl: create: domain %u: building failed: %s\n", m->domid,
			err[0] ? err : strerror(-rc));
		return -1;
	}
	d.store_port = b.store_port;
	d.console_port = b.console_port;
	d.store_mfn = b.store_mfn;
	d.console_mfn = b.console_mfn;
	n = xl_xsnodes(&d, &nodes);
	rc = n < 0 ? n : c->xs_nodes(ctx->priv, nodes, (unsigned int)n);
	free(nodes);
	if (rc < 0) {
		fprintf(ctx->err, "xl: create: domain %u: writing its xenstore nodes failed: %s\n",
			m->domid, strerror(-rc));
		return -1;
	}
	rc = c->introduce(ctx->priv, m->domid, b.store_mfn, b.store_port);
	if (rc < 0) {
		fprintf(ctx->err, "xl: create: domain %u: introducing it to xenstored failed: %s\n",
			m->domid, strerror(-rc));
		return -1;
	}
	/* libxl adds the devices before the guest runs: its frontends find
	 * their backends waiting */
	if (ctx->dops && xl_devices_add_all(ctx, m->domid, cfg) < 0)
		return -1;
	if (!m->paused) {
		rc = ctx->ops->unpause(ctx->priv, m->domid);
		if (rc < 0) {
			fprintf(ctx->err, "xl: create: domain %u: unpause failed: %s\n", m->domid,
				strerror(-rc));
			return -1;
		}
	}
	return 0;
}

int xl_make_domain(struct xl_ctx *ctx, struct xl_make *m)
{
	double now, up;
	int rc;

	if (precheck(ctx, m))
		return 1;
	if (ctx->ops->now(ctx->priv, &now, &up) < 0)
		now = 0;
	m->domid = 0;
	rc = ctx->cops->create(ctx->priv, m->uuid, m->cfg->maxvcpus, &m->domid);
	if (rc < 0) {
		fprintf(ctx->err, "xl: create: createdomain failed: %s\n", strerror(-rc));
		return 1;
	}
	if (fill_domain(ctx, m, now) == 0)
		return 0;
	rc = xl_unmake_domain(ctx, m->domid);
	if (rc < 0 && rc != -ESRCH)
		fprintf(ctx->err, "xl: create: domain %u: destroying it failed too: %s\n",
			m->domid, strerror(-rc));
	return 1;
}

/* ---- the command ------------------------------------------------------- */

struct create_opts {
	const char *file;
	bool paused, console, quiet, dryrun, foreground, no_monitor;
	const char *overrides[XL_MAX_OVERRIDES];
	unsigned int n_overrides;
};

/* 0, or the exit status + 1 (so that 0 stays "go on"). */
static int create_args(struct xl_ctx *ctx, int argc, char **argv, struct create_opts *o)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "defconfig", required_argument, NULL, 'f' },
		{ "dryrun", no_argument, NULL, 'n' },
		{ 0, 0, 0, 0 },
	};
	int c, status;

	while ((c = xl_getopt(ctx, argc, argv, "Fnqf:pcde", longopts, "create", 0, &status)) != -1) {
		switch (c) {
		case XL_OPT_EXIT:
			return status + 1;
		case 'f':
			o->file = optarg;
			break;
		case 'p':
			o->paused = true;
			break;
		case 'c':
			o->console = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'n':
			o->dryrun = true;
			break;
		case 'F':
			o->foreground = true;
			break;
		case 'e':
			o->no_monitor = true;
			break;
		default:	/* -d: libxl's debug output; we have none */
			break;
		}
	}
	/* the first argument without '=' is the file, as Xen's xl takes it */
	for (int i = optind; i < argc; i++) {
		if (!o->file && !strchr(argv[i], '=')) {
			o->file = argv[i];
		} else if (o->n_overrides < XL_MAX_OVERRIDES) {
			o->overrides[o->n_overrides++] = argv[i];
		} else {
			fprintf(ctx->err, "xl: create: too many key=value arguments\n");
			return 2;
		}
	}
	if (!o->file) {
		fprintf(ctx->err, "Config file not specified and none in save file\n");
		return XL_EXIT_INVAL + 1;
	}
	return 0;
}

/* Parse the file and the overrides: the configuration, or NULL with the
 * exit status in *status. */
static struct xl_domain_config *create_config(struct xl_ctx *ctx, const struct create_opts *o,
					      int *status)
{
	struct xl_domain_config *cfg;
	char err[XLCFG_ERR_MAX];
	int rc;

	if (!o->quiet)
		fprintf(ctx->err, "Parsing config from %s\n", o->file);
	rc = xlcfg_parse_file(o->file, o->overrides, o->n_overrides, &cfg, err, sizeof(err));
	if (rc == -EINVAL) {
		fprintf(ctx->err, "%s\nFailed to parse config: %s\n", err, strerror(-rc));
		*status = 1;
		return NULL;
	}
	if (rc < 0) {
		fprintf(ctx->err, "Failed to read config file: %s: %s\n", o->file, strerror(-rc));
		*status = XL_EXIT_FAIL;
		return NULL;
	}
	for (unsigned int i = 0; i < cfg->n_warnings; i++)
		fprintf(ctx->err, "%s\n", cfg->warnings[i]);
	return cfg;
}

/* -n: what would be made, in the shape of Xen's dry run (libxl's names). */
static void print_dryrun(struct xl_ctx *ctx, const struct xl_domain_config *cfg,
			 const uint8_t uuid[16])
{
	char u[37];

	xl_uuid_str(uuid, u);
	fprintf(ctx->out, "{\n    \"c_info\": {\n        \"type\": \"pv\",\n"
		"        \"name\": \"%s\",\n        \"uuid\": \"%s\"\n    },\n"
		"    \"b_info\": {\n        \"max_vcpus\": %u,\n        \"avail_vcpus\": [\n",
		cfg->name, u, cfg->maxvcpus);
	for (unsigned int i = 0; i < cfg->vcpus; i++)
		fprintf(ctx->out, "            %u%s\n", i, i + 1 < cfg->vcpus ? "," : "");
	fprintf(ctx->out, "        ],\n        \"max_memkb\": %llu,\n        \"target_memkb\": %llu,\n",
		(unsigned long long)cfg->maxmem_mb * 1024, (unsigned long long)cfg->memory_mb * 1024);
	fprintf(ctx->out, "        \"kernel\": \"%s\"", cfg->kernel ? cfg->kernel : "");
	if (cfg->ramdisk)
		fprintf(ctx->out, ",\n        \"ramdisk\": \"%s\"", cfg->ramdisk);
	if (cfg->kernel_cmdline)
		fprintf(ctx->out, ",\n        \"cmdline\": \"%s\"", cfg->kernel_cmdline);
	fprintf(ctx->out, "\n    },\n    \"on_poweroff\": \"%s\",\n    \"on_reboot\": \"%s\",\n"
		"    \"on_watchdog\": \"%s\",\n    \"on_crash\": \"%s\"\n}\n",
		xl_action_name(cfg->on_poweroff), xl_action_name(cfg->on_reboot),
		xl_action_name(cfg->on_watchdog), xl_action_name(cfg->on_crash));
}

/* After the domain is made: the monitor, in the background (Xen's
 * default), in the foreground (-F) or not at all (-e); then the console
 * (-c). The exit status. */
static int after_make(struct xl_ctx *ctx, struct xl_make *m, const struct create_opts *o)
{
	char log[128];
	int pid;

	if (o->no_monitor)
		return o->console ? (ctx->cops->exec_console(ctx->priv, m->domid), 1) : 0;
	if (o->foreground)
		return xl_monitor_run(ctx, m);
	snprintf(log, sizeof(log), "/var/log/xen/xl-%s.log", m->name);
	fprintf(ctx->err, "Waiting for domain %s (domid %u) to die [pid %d]\n", m->name,
		m->domid, (int)getpid());
	fflush(ctx->err);
	pid = ctx->cops->fork_monitor(ctx->priv, log);
	if (pid == 0)
		exit(xl_monitor_run(ctx, m));
	if (pid < 0)
		fprintf(ctx->err, "xl: create: domain %u: no monitor (fork failed: %s): "
			"its on_poweroff/on_reboot/on_crash are not carried out\n",
			m->domid, strerror(-pid));
	if (o->console) {
		int rc = ctx->cops->exec_console(ctx->priv, m->domid);

		fprintf(ctx->err, "xl: create: cannot run xl console %u: %s\n", m->domid,
			strerror(-rc));
		return 1;
	}
	return 0;
}

int main_create(struct xl_ctx *ctx, int argc, char **argv)
{
	struct create_opts o = { 0 };
	struct xl_domain_config *cfg;
	struct xl_make m = { 0 };
	int status;

	status = create_args(ctx, argc, argv, &o);
	if (status)
		return status - 1;
	cfg = create_config(ctx, &o, &status);
	if (!cfg)
		return status;
	m.cfg = cfg;
	m.name = cfg->name;
	m.paused = o.paused;
	if (cfg->has_uuid)
		memcpy(m.uuid, cfg->uuid, sizeof(m.uuid));
	else
		xl_uuid_generate(m.uuid);
	if (o.dryrun || ctx->dryrun) {
		print_dryrun(ctx, cfg, m.uuid);
		xl_domain_config_free(cfg);
		return 0;
	}
	status = xl_make_domain(ctx, &m) ? XL_EXIT_FAIL : after_make(ctx, &m, &o);
	xl_domain_config_free(cfg);
	return status;
}
