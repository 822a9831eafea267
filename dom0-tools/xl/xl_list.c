/*
 * xl_list.c - the commands that list domains: list, uptime (vcpu-list
 * is in xl_vcpu.c).
 * Column layouts are Xen 4.17's xl's (tests/integration/xl/
 * xl-xen-4.17.golden): list's Name/ID/Mem/VCPUs/State/Time(s) (Mem in MiB
 * of current memory, Time in seconds of CPU), with -v the UUID, the
 * shutdown reason and the security label (we have no labels: "-").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "xl.h"

static void list_header(struct xl_ctx *ctx, bool verbose)
{
	fprintf(ctx->out, "%-40s %5s %5s %5s\tState\tTime(s)", "Name", "ID", "Mem", "VCPUs");
	if (verbose)
		fprintf(ctx->out, "   UUID                            Reason-Code\tSecurity Label");
	fprintf(ctx->out, "\n");
}

/* One row. A domain without a name shows "(null)", as Xen's xl does. */
static void list_row(struct xl_ctx *ctx, const struct xl_dominfo *d, bool verbose)
{
	char name[256], uuid[37];

	if (xl_domname_of(ctx, d->domid, name, sizeof(name)))
		snprintf(name, sizeof(name), "(null)");
	fprintf(ctx->out, "%-40s %5u %5llu %5u     %c%c%c%c%c%c  %8.1f", name, d->domid,
		(unsigned long long)((d->current_kb + d->outstanding_kb) / 1024), d->online_vcpus,
		d->running ? 'r' : '-', d->blocked ? 'b' : '-', d->paused ? 'p' : '-',
		d->shutdown ? 's' : '-', d->crashed ? 'c' : '-', d->dying ? 'd' : '-',
		(double)d->cpu_time_ns / 1e9);
	if (verbose) {
		xl_uuid_str(d->uuid, uuid);
		fprintf(ctx->out, " %s", uuid);
		if (d->shutdown)
			fprintf(ctx->out, " %8x", d->shutdown_reason);
		else
			fprintf(ctx->out, " %8s", "-");
		fprintf(ctx->out, " %16s", "-");
	}
	fprintf(ctx->out, "\n");
}

int main_list(struct xl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "long", no_argument, NULL, 'l' }, { "verbose", no_argument, NULL, 'v' },
		{ "context", no_argument, NULL, 'Z' }, { "cpupool", no_argument, NULL, 'c' },
		{ "numa", no_argument, NULL, 'n' }, { 0, 0, 0, 0 },
	};
	struct xl_dominfo *doms = NULL, one;
	bool details = false, verbose = false;
	int c, status, n, rc = 0;

	while ((c = xl_getopt(ctx, argc, argv, "lvZcn", longopts, "list", 0, &status)) != -1) {
		if (c == XL_OPT_EXIT)
			return status;
		if (c == 'l')
			details = true;
		else if (c == 'v')
			verbose = true;
		/* -Z, -c, -n: no labels, one pool, one node: nothing to add */
	}
	if (argc - optind > 1) {
		xl_help(ctx, ctx->out, "list");
		return 1;
	}
	if (argc - optind == 1) {
		uint32_t domid;

		if (xl_find_domain(ctx, argv[optind], &domid))
			return 1;
		if (xl_dominfo_of(ctx, domid, &one)) {
			fprintf(ctx->err, "Error: Domain '%s' does not exist.\n", argv[optind]);
			return 1;
		}
		doms = &one;
		n = 1;
	} else {
		n = xl_domain_list(ctx, &doms);
		if (n < 0) {
			fprintf(ctx->err, "xl: list: getting the domains failed: %s\n", strerror(-n));
			return 1;
		}
	}
	if (details) {
		rc = xl_list_json(ctx, doms, n);
		if (rc < 0)
			fprintf(ctx->err, "xl: list -l: making the JSON failed: %s\n", strerror(-rc));
	} else {
		list_header(ctx, verbose);
		for (int i = 0; i < n; i++)
			list_row(ctx, &doms[i], verbose);
	}
	if (doms != &one)
		free(doms);
	return rc < 0 ? 1 : 0;
}

/* ---- uptime --------------------------------------------------------- */

/*
 * Seconds the domain has been up: Dom0's is the kernel's uptime; any
 * other domain's is now minus <vm path>/start_time, which Xen's toolstack
 * (and xl-testdom) writes at creation. -ENOENT when it has none.
 */
static int domain_uptime(struct xl_ctx *ctx, uint32_t domid, double *secs)
{
	char path[64], *vm = NULL, *start = NULL, *vmstart = NULL;
	double now, up;
	int rc;

	rc = ctx->ops->now(ctx->priv, &now, &up);
	if (rc < 0)
		return rc;
	if (domid == 0) {
		*secs = up;
		return 0;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
	rc = ctx->ops->xs_read(ctx->priv, path, &vm);
	if (rc == 0 && asprintf(&vmstart, "%s/start_time", vm) < 0)
		rc = -ENOMEM;
	if (rc == 0)
		rc = ctx->ops->xs_read(ctx->priv, vmstart, &start);
	if (rc == 0) {
		char *end;
		double s = strtod(start, &end);

		if (end == start)
			rc = -EINVAL;
		else
			*secs = now > s ? now - s : 0;
	}
	free(start);
	free(vmstart);
	free(vm);
	return rc;
}

/* Whole seconds as Xen's xl shows them: "[D day(s), ]H:MM:SS", or for
 * -s "[D day(s), ]H:MM". */
static void uptime_str(unsigned long secs, bool shrt, char *buf, size_t len)
{
	unsigned long d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60, s = secs % 60;
	int off = 0;

	if (d)
		off = snprintf(buf, len, "%lu day%s, ", d, d == 1 ? "" : "s");
	if (shrt)
		snprintf(buf + off, len - (size_t)off, "%2lu:%02lu", h, m);
	else
		snprintf(buf + off, len - (size_t)off, "%2lu:%02lu:%02lu", h, m, s);
}

static void uptime_row(struct xl_ctx *ctx, uint32_t domid, bool shrt)
{
	char name[256], up[64], now_s[16];
	double secs = 0, now, boot;
	time_t t;
	struct tm tm;

	if (domain_uptime(ctx, domid, &secs) < 0) {
		fprintf(ctx->err, "xl: uptime: domain %u: no start time in xenstore\n", domid);
		return;
	}
	if (xl_domname_of(ctx, domid, name, sizeof(name)))
		snprintf(name, sizeof(name), "(null)");
	uptime_str((unsigned long)secs, shrt, up, sizeof(up));
	if (!shrt) {
		fprintf(ctx->out, "%-32s %5u %s\n", name, domid, up);
		return;
	}
	ctx->ops->now(ctx->priv, &now, &boot);
	t = (time_t)now;
	localtime_r(&t, &tm);
	strftime(now_s, sizeof(now_s), "%H:%M:%S", &tm);
	fprintf(ctx->out, " %s up %s, %s (%u)\n", now_s, up, name, domid);
}

int main_uptime(struct xl_ctx *ctx, int argc, char **argv)
{
	struct xl_dominfo *doms;
	bool shrt = false;
	int c, status, n;

	while ((c = xl_getopt(ctx, argc, argv, "s", NULL, "uptime", 0, &status)) != -1) {
		if (c == XL_OPT_EXIT)
			return status;
		shrt = true;
	}
	/* each domain named must be one, before anything is printed */
	for (int i = optind; i < argc; i++) {
		uint32_t domid;

		if (xl_find_domain(ctx, argv[i], &domid))
			return 1;
	}
	if (!shrt)
		fprintf(ctx->out, "%-32s %5s %s\n", "Name", "ID", "Uptime");
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			uint32_t domid;

			xl_domid_of(ctx, argv[i], &domid);
			uptime_row(ctx, domid, shrt);
		}
		return 0;
	}
	n = xl_domain_list(ctx, &doms);
	if (n < 0) {
		fprintf(ctx->err, "xl: uptime: getting the domains failed: %s\n", strerror(-n));
		return 1;
	}
	for (int i = 0; i < n; i++)
		uptime_row(ctx, doms[i].domid, shrt);
	free(doms);
	return 0;
}
