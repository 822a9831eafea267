/*
 * xl_sched.c - `xl sched-credit`: a domain's credit-scheduler weight and
 * cap, the listing of every domain's, and the scheduler's own parameters,
 * as Xen 4.17's xl prints them. There is one CPU pool, pool 0, named by
 * xenstore's /local/pool/0/name (Pool-0, written at Dom0's start as Xen's
 * xen-init-dom0 does); without that node Xen's xl cannot list pools, and
 * neither can we ("error getting cpupool info").
 *
 * -w and -c take numbers as Xen's xl (strtol: "abc" is 0, refused as a
 * weight); -1 means "leave it as it is", as libxl's default. A weight is
 * 1 to 65535, a cap 0 (none) to 100 per vCPU.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "xl.h"

#define XEN_SCHEDULER_CREDIT 5
#define SCHED_PARAM_DEFAULT (-1)

/* Pool 0's name into buf: 0, or -errno (-ENOENT: none). */
static int pool_name(struct xl_ctx *ctx, char *buf, size_t len)
{
	char *val = NULL;
	int rc = ctx->ops->xs_read(ctx->priv, "/local/pool/0/name", &val);

	if (rc == 0)
		snprintf(buf, len, "%s", val);
	free(val);
	return rc;
}

/* The host runs the credit scheduler: 0, else the message and -errno. */
static int is_credit(struct xl_ctx *ctx)
{
	int id, rc = ctx->ops->sched_id(ctx->priv, &id);

	if (rc < 0)
		fprintf(ctx->err, "xl: sched-credit: asking the hypervisor for its scheduler failed: %s\n",
			strerror(-rc));
	else if (id != XEN_SCHEDULER_CREDIT) {
		fprintf(ctx->err, "xl: sched-credit: the hypervisor runs another scheduler (sched_id %d), not credit\n", id);
		rc = -EINVAL;
	}
	return rc;
}

static void params_line(struct xl_ctx *ctx, const char *pool)
{
	unsigned int ts, rl, md;
	int rc = ctx->ops->sched_credit_params(ctx->priv, &ts, &rl, &md);

	if (rc < 0) {
		fprintf(ctx->err, "xl: sched-credit: getting the scheduler's parameters failed: %s\n",
			strerror(-rc));
		fprintf(ctx->out, "Cpupool %s: [sched params unavailable]\n", pool);
	} else
		fprintf(ctx->out, "Cpupool %s: tslice=%ums ratelimit=%uus migration-delay=%uus\n", pool,
			ts, rl, md);
}

static void dom_header(struct xl_ctx *ctx)
{
	fprintf(ctx->out, "%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");
}

/* One domain's row: 0, or -errno after a message. */
static int dom_row(struct xl_ctx *ctx, uint32_t domid)
{
	unsigned int weight, cap;
	char name[256];
	int rc = ctx->ops->sched_credit_get(ctx->priv, domid, &weight, &cap);

	if (rc < 0) {
		fprintf(ctx->err, "xl: sched-credit: domain %u: getting its weight and cap failed: %s\n",
			domid, rc == -ESRCH ? "no such domain" : strerror(-rc));
		return rc;
	}
	if (xl_domname_of(ctx, domid, name, sizeof(name)))
		snprintf(name, sizeof(name), "(null)");
	fprintf(ctx->out, "%-33s %4u %6u %4u\n", name, domid, weight, cap);
	return 0;
}

/* Set what was given (not SCHED_PARAM_DEFAULT), in the ranges libxl
 * allows: 0, or 1 after the messages. */
static int set_params(struct xl_ctx *ctx, uint32_t domid, long weight, long cap)
{
	unsigned int w, c, maxcap;
	struct xl_dominfo d;
	int rc = xl_dominfo_of(ctx, domid, &d);

	if (rc == 0)
		rc = ctx->ops->sched_credit_get(ctx->priv, domid, &w, &c);
	if (rc < 0) {
		fprintf(ctx->err, "xl: sched-credit: domain %u: %s\n", domid,
			rc == -ESRCH ? "no such domain" : strerror(-rc));
		goto fail;
	}
	maxcap = (d.max_vcpu_id == ~0u ? 1 : d.max_vcpu_id + 1) * 100;
	if (weight != SCHED_PARAM_DEFAULT) {
		if (weight < 1 || weight > 65535) {
			fprintf(ctx->err, "xl: sched-credit: domain %u: weight %ld is out of range (1 to 65535)\n",
				domid, weight);
			goto fail;
		}
		w = (unsigned int)weight;
	}
	if (cap != SCHED_PARAM_DEFAULT) {
		if (cap < 0 || cap > maxcap) {
			fprintf(ctx->err, "xl: sched-credit: domain %u: cap %ld is out of range (0 to %u for its vCPUs)\n",
				domid, cap, maxcap);
			goto fail;
		}
		c = (unsigned int)cap;
	}
	rc = ctx->ops->sched_credit_set(ctx->priv, domid, w, c);
	if (rc == 0)
		return 0;
	fprintf(ctx->err, "xl: sched-credit: domain %u: setting weight %u and cap %u failed: %s\n",
		domid, w, c, strerror(-rc));
fail:
	fprintf(ctx->err, "libxl_domain_sched_params_set failed.\n");
	return 1;
}

/* Every domain of the pool, after the pool's line. */
static int list_all(struct xl_ctx *ctx, const char *pool)
{
	struct xl_dominfo *doms;
	int n = xl_domain_list(ctx, &doms);

	if (n < 0) {
		fprintf(ctx->err, "xl: sched-credit: getting the domains failed: %s\n", strerror(-n));
		return 1;
	}
	params_line(ctx, pool);
	dom_header(ctx);
	for (int i = 0; i < n; i++)
		if (!doms[i].dying)
			dom_row(ctx, doms[i].domid);
	free(doms);
	return 0;
}

int main_sched_credit(struct xl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "domain", required_argument, NULL, 'd' }, { "weight", required_argument, NULL, 'w' },
		{ "cap", required_argument, NULL, 'c' }, { "schedparam", no_argument, NULL, 's' },
		{ "tslice_ms", required_argument, NULL, 't' },
		{ "ratelimit_us", required_argument, NULL, 'r' },
		{ "migration_delay_us", required_argument, NULL, 'm' },
		{ "cpupool", required_argument, NULL, 'p' }, { 0, 0, 0, 0 },
	};
	const char *dom = NULL, *cpupool = NULL;
	long weight = SCHED_PARAM_DEFAULT, cap = SCHED_PARAM_DEFAULT;
	bool opt_w = false, opt_c = false, opt_s = false, opt_host = false;
	char pool[256];
	uint32_t domid;
	int c, status;

	while ((c = xl_getopt(ctx, argc, argv, "d:w:c:p:t:r:m:s", longopts, "sched-credit", 0,
			      &status)) != -1) {
		switch (c) {
		case XL_OPT_EXIT:
			return status;
		case 'd':
			dom = optarg;
			break;
		case 'w':
			weight = strtol(optarg, NULL, 10);
			opt_w = true;
			break;
		case 'c':
			cap = strtol(optarg, NULL, 10);
			opt_c = true;
			break;
		case 's':
			opt_s = true;
			break;
		case 't':
		case 'r':
		case 'm':
			opt_host = true;
			break;
		case 'p':
			cpupool = optarg;
			break;
		}
	}
	if ((cpupool || opt_s) && (dom || opt_w || opt_c)) {
		fprintf(ctx->err, "Specifying a cpupool or schedparam is not allowed with domain options.\n");
		return 1;
	}
	if (!dom && (opt_w || opt_c)) {
		fprintf(ctx->err, "Must specify a domain.\n");
		return 1;
	}
	if (opt_host && !opt_s) {
		fprintf(ctx->err, "Must specify schedparam to set schedule parameter values.\n");
		return 1;
	}
	if (dom && xl_find_domain(ctx, dom, &domid))
		return 1;
	if (is_credit(ctx) < 0)
		return 1;
	if (dom) {
		if (opt_w || opt_c)
			return set_params(ctx, domid, weight, cap);
		dom_header(ctx);
		return dom_row(ctx, domid) < 0 ? 1 : 0;
	}
	if (pool_name(ctx, pool, sizeof(pool)) < 0) {
		fprintf(ctx->err, "error getting cpupool info\n");
		return 1;
	}
	if (cpupool && strcmp(cpupool, pool)) {
		fprintf(ctx->err, "unknown cpupool '%s'\n", cpupool);
		return 1;
	}
	if (opt_host) {
		fprintf(ctx->err, "xl: sched-credit: setting the scheduler's parameters (-t, -r, -m) is not supported\n");
		return 1;
	}
	if (opt_s) {
		params_line(ctx, pool);
		return 0;
	}
	return list_all(ctx, pool);
}
