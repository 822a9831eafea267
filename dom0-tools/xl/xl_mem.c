/*
 * xl_mem.c - a domain's memory from the command line, as Xen 4.17's xl:
 * mem-max (the hypervisor's allowance, max_mem, and memory/static-max in
 * xenstore) and mem-set (the balloon target: memory/target, which the
 * guest's balloon driver watches, with the allowance brought down to it
 * so the guest cannot take more). Sizes are xl's: a number of MiB, or
 * with a suffix b, k, m, g, t.
 *
 * Both keep Xen's slack: the allowance is the size asked plus 1 MiB
 * (libxl's LIBXL_MAXMEM_CONSTANT), room for the pages a PV guest's
 * toolstack and backends map.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "xl.h"

#define XL_MAXMEM_SLACK_KB 1024

int64_t xl_parse_mem_kb(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || v < 0 || strlen(end) > 1)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case 't':
		if (v > INT64_MAX >> 30)
			return -1;
		return (int64_t)v << 30;
	case 'g':
		if (v > INT64_MAX >> 20)
			return -1;
		return (int64_t)v << 20;
	case '\0':
	case 'm':
		if (v > INT64_MAX >> 10)
			return -1;
		return (int64_t)v << 10;
	case 'k':
		return v;
	case 'b':
		return v >> 10;
	default:
		return -1;
	}
}

/* A KiB count from xenstore node NAME under the domain's memory/: 0,
 * -ENOENT when absent, -EINVAL when not a number. */
static int read_mem_node(struct xl_ctx *ctx, uint32_t domid, const char *name, uint64_t *kb)
{
	char path[96], *val = NULL, *end;
	int rc;

	snprintf(path, sizeof(path), "/local/domain/%u/memory/%s", domid, name);
	rc = ctx->ops->xs_read(ctx->priv, path, &val);
	if (rc < 0)
		return rc;
	errno = 0;
	*kb = strtoull(val, &end, 10);
	rc = (errno || end == val || *end) ? -EINVAL : 0;
	free(val);
	return rc;
}

static int write_mem_node(struct xl_ctx *ctx, uint32_t domid, const char *name, uint64_t kb)
{
	char path[96], val[32];

	snprintf(path, sizeof(path), "/local/domain/%u/memory/%s", domid, name);
	snprintf(val, sizeof(val), "%" PRIu64, kb);
	return ctx->ops->xs_write(ctx->priv, path, val);
}

/* The two arguments: 0 and *domid, *kb; else *status. */
static int mem_args(struct xl_ctx *ctx, int argc, char **argv, const char *cmd,
		    uint32_t *domid, int64_t *kb, int *status)
{
	int c;

	while ((c = xl_getopt(ctx, argc, argv, "", NULL, cmd, 2, status)) != -1)
		if (c == XL_OPT_EXIT)
			return 1;
	*status = 1;
	if (xl_find_domain(ctx, argv[optind], domid))
		return 1;
	*kb = xl_parse_mem_kb(argv[optind + 1]);
	if (*kb < 0) {
		fprintf(ctx->err, "invalid memory size: %s\n", argv[optind + 1]);
		return 1;
	}
	return 0;
}

/* The domain exists: 0, else its message and -errno. */
static int mem_domain(struct xl_ctx *ctx, const char *cmd, uint32_t domid)
{
	struct xl_dominfo d;
	int rc = xl_dominfo_of(ctx, domid, &d);

	if (rc < 0)
		fprintf(ctx->err, "xl: %s: domain %u: %s\n", cmd, domid,
			rc == -ESRCH ? "no such domain" : strerror(-rc));
	return rc;
}

/*
 * mem-max DOMAIN SIZE: the allowance. Refused below the balloon target
 * (memory/target, which must be there: a domain no toolstack set up has
 * none), as Xen's.
 */
int main_memmax(struct xl_ctx *ctx, int argc, char **argv)
{
	uint64_t target;
	uint32_t domid;
	int64_t kb;
	int status, rc;

	if (mem_args(ctx, argc, argv, "mem-max", &domid, &kb, &status))
		return status;
	rc = mem_domain(ctx, "mem-max", domid);
	if (rc == 0) {
		rc = read_mem_node(ctx, domid, "target", &target);
		if (rc < 0)
			fprintf(ctx->err, "xl: mem-max: domain %u: cannot read /local/domain/%u/memory/target: %s\n",
				domid, domid, strerror(-rc));
	}
	if (rc == 0 && (uint64_t)kb < target) {
		fprintf(ctx->err, "xl: mem-max: domain %u: %" PRId64 " KiB is below its balloon target (%" PRIu64 " KiB)\n",
			domid, kb, target);
		rc = -EINVAL;
	}
	if (rc == 0) {
		rc = ctx->ops->setmaxmem(ctx->priv, domid, (uint64_t)kb + XL_MAXMEM_SLACK_KB);
		if (rc < 0)
			fprintf(ctx->err, "xl: mem-max: domain %u: max_mem %" PRId64 " KiB failed: %s\n",
				domid, kb + XL_MAXMEM_SLACK_KB, strerror(-rc));
	}
	if (rc == 0) {
		rc = write_mem_node(ctx, domid, "static-max", (uint64_t)kb);
		if (rc < 0)
			fprintf(ctx->err, "xl: mem-max: domain %u: writing memory/static-max: %s\n",
				domid, strerror(-rc));
	}
	if (rc < 0) {
		fprintf(ctx->err, "cannot set domid %u static max memory to : %s\n", domid, argv[optind + 1]);
		return 1;
	}
	return 0;
}

/*
 * mem-set DOMAIN SIZE: the balloon target, at most memory/static-max
 * when the domain has one; the allowance follows it down (Xen's xl
 * enforces it too), then memory/target tells the guest.
 */
int main_memset(struct xl_ctx *ctx, int argc, char **argv)
{
	uint64_t smax;
	uint32_t domid;
	int64_t kb;
	int status, rc;

	if (mem_args(ctx, argc, argv, "mem-set", &domid, &kb, &status))
		return status;
	rc = mem_domain(ctx, "mem-set", domid);
	if (rc == 0) {
		rc = read_mem_node(ctx, domid, "static-max", &smax);
		if (rc == 0 && (uint64_t)kb > smax) {
			fprintf(ctx->err, "xl: mem-set: domain %u: %" PRId64 " KiB is above its maximum (memory/static-max: %" PRIu64 " KiB)\n",
				domid, kb, smax);
			rc = -EINVAL;
		} else if (rc == -ENOENT) {
			rc = 0;	/* no maximum recorded: the hypervisor's is the limit */
		} else if (rc < 0) {
			fprintf(ctx->err, "xl: mem-set: domain %u: reading memory/static-max: %s\n",
				domid, strerror(-rc));
		}
	}
	if (rc == 0) {
		rc = ctx->ops->setmaxmem(ctx->priv, domid, (uint64_t)kb + XL_MAXMEM_SLACK_KB);
		if (rc < 0)
			fprintf(ctx->err, "xl: mem-set: domain %u: max_mem %" PRId64 " KiB failed: %s\n",
				domid, kb + XL_MAXMEM_SLACK_KB, strerror(-rc));
	}
	if (rc == 0) {
		rc = write_mem_node(ctx, domid, "target", (uint64_t)kb);
		if (rc < 0)
			fprintf(ctx->err, "xl: mem-set: domain %u: writing memory/target: %s\n",
				domid, strerror(-rc));
	}
	if (rc < 0) {
		fprintf(ctx->err, "cannot set domid %u dynamic max memory to : %s\n", domid, argv[optind + 1]);
		return 1;
	}
	return 0;
}
