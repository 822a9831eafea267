/*
 * xl_domain.c - domains by name or id, as xl takes them, and the commands
 * about names: domid, domname, rename.
 *
 * A domain's name lives in xenstore at /local/domain/N/name (written by
 * whoever made the domain; Dom0's by its start-up, tests/images/
 * rc-xenstored.sh); Dom0 without one is still "Domain-0". An argument of
 * digits only is an id and is not checked to exist here, as in Xen's xl:
 * each command reports a missing domain its own way.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <uuid/uuid.h>
#include "xl.h"

#define XL_MAX_DOMS 1024	/* domains asked for per getdomaininfo walk */

void xl_uuid_str(const uint8_t u[16], char buf[37])
{
	uuid_unparse_lower(u, buf);
}

/*
 * libuuid's uuid_generate waits for the kernel's random pool (it retries
 * getrandom for up to a second at each call, then reads /dev/urandom,
 * which in Linux 6.1 first tries to gather entropy for up to a second
 * more), and a freshly booted Dom0 under emulation may have none for
 * minutes: 1-3 s of every `xl create`. A UUID must be unique, not
 * secret: GRND_INSECURE never waits.
 */
void xl_uuid_generate(uint8_t u[16])
{
	if (getrandom(u, 16, GRND_INSECURE) != 16) {
		uuid_generate(u);	/* a kernel before 5.6 */
		return;
	}
	u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);	/* version 4: random */
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);	/* the RFC 4122 variant */
}

int xl_domain_list(struct xl_ctx *ctx, struct xl_dominfo **out)
{
	struct xl_dominfo *doms = calloc(XL_MAX_DOMS, sizeof(*doms));
	int n;

	*out = NULL;
	if (!doms)
		return -ENOMEM;
	n = ctx->ops->domains(ctx->priv, 0, XL_MAX_DOMS, doms);
	if (n < 0) {
		free(doms);
		return n;
	}
	*out = doms;
	return n;
}

int xl_dominfo_of(struct xl_ctx *ctx, uint32_t domid, struct xl_dominfo *info)
{
	int n = ctx->ops->domains(ctx->priv, domid, 1, info);

	if (n == -ESRCH || (n >= 0 && (n == 0 || info->domid != domid)))
		return -ESRCH;
	return n < 0 ? n : 0;
}

int xl_domname_of(struct xl_ctx *ctx, uint32_t domid, char *buf, size_t len)
{
	char path[64], *val = NULL;
	int rc;

	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	rc = ctx->ops->xs_read(ctx->priv, path, &val);
	if (rc == -ENOENT && domid == 0) {
		snprintf(buf, len, "Domain-0");
		return 0;
	}
	if (rc < 0)
		return rc;
	snprintf(buf, len, "%s", val);
	free(val);
	return 0;
}

/* All digits, fitting 32 bits: 1 and *id, else 0. */
static int parse_id(const char *s, uint32_t *id)
{
	unsigned long v;
	char *end;

	if (!*s)
		return 0;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return 0;
	*id = (uint32_t)v;
	return 1;
}

/* The id of the domain named name, skipping skip (UINT32_MAX: none). */
static int domid_by_name(struct xl_ctx *ctx, const char *name, uint32_t skip, uint32_t *domid)
{
	struct xl_dominfo *doms;
	char buf[256];
	int n, rc = -ESRCH;

	n = xl_domain_list(ctx, &doms);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		if (doms[i].domid == skip || xl_domname_of(ctx, doms[i].domid, buf, sizeof(buf)))
			continue;
		if (!strcmp(buf, name)) {
			*domid = doms[i].domid;
			rc = 0;
			break;
		}
	}
	free(doms);
	return rc;
}

int xl_domid_of(struct xl_ctx *ctx, const char *arg, uint32_t *domid)
{
	if (parse_id(arg, domid))
		return 0;
	return domid_by_name(ctx, arg, UINT32_MAX, domid);
}

int xl_find_domain(struct xl_ctx *ctx, const char *arg, uint32_t *domid)
{
	int rc = xl_domid_of(ctx, arg, domid);

	if (rc == 0)
		return 0;
	/* rc=-6 is libxl's ERROR_INVAL, which Xen's xl prints here */
	fprintf(ctx->err, "%s is an invalid domain identifier (rc=-6)\n", arg);
	return 1;
}

/* Commands without options of their own: -h only. 0 to go on, else
 * *status is the exit status. */
static int no_opts(struct xl_ctx *ctx, int argc, char **argv, int min, int *status)
{
	int c;

	while ((c = xl_getopt(ctx, argc, argv, "", NULL, argv[0], min, status)) != -1)
		if (c == XL_OPT_EXIT)
			return 1;
	return 0;
}

int main_domid(struct xl_ctx *ctx, int argc, char **argv)
{
	uint32_t domid;
	int status;

	if (no_opts(ctx, argc, argv, 1, &status))
		return status;
	if (domid_by_name(ctx, argv[optind], UINT32_MAX, &domid)) {
		fprintf(ctx->err, "Can't get domid of domain name '%s', maybe this domain does not exist.\n",
			argv[optind]);
		return 1;
	}
	fprintf(ctx->out, "%u\n", domid);
	return 0;
}

int main_domname(struct xl_ctx *ctx, int argc, char **argv)
{
	char name[256], *end;
	unsigned long id;
	int status;

	if (no_opts(ctx, argc, argv, 1, &status))
		return status;
	errno = 0;
	id = strtoul(argv[optind], &end, 10);
	if (errno || end == argv[optind] || *end || id > UINT32_MAX) {
		fprintf(ctx->err, "Invalid domain id.\n\n");
		return 1;
	}
	if (xl_domname_of(ctx, (uint32_t)id, name, sizeof(name))) {
		fprintf(ctx->err, "Can't get domain name of domain id '%s', maybe this domain does not exist.\n",
			argv[optind]);
		return 1;
	}
	fprintf(ctx->out, "%s\n", name);
	return 0;
}

/*
 * rename DOMAIN NEW: /local/domain/N/name (and, when the domain has a vm
 * path, its name there too, as Xen's toolstack keeps both), refused when
 * another domain already has the name.
 */
int main_rename(struct xl_ctx *ctx, int argc, char **argv)
{
	char path[64], *vm = NULL, *vmpath = NULL;
	const char *dom, *name;
	uint32_t domid, other;
	int status, rc;

	if (no_opts(ctx, argc, argv, 2, &status))
		return status;
	dom = argv[optind];
	name = argv[optind + 1];
	if (xl_find_domain(ctx, dom, &domid))
		return 1;
	rc = domid_by_name(ctx, name, domid, &other);
	if (rc == 0) {
		fprintf(ctx->err, "xl: domain %u: a domain named \"%s\" already exists (domain %u)\n",
			domid, name, other);
		goto fail;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	rc = ctx->ops->xs_write(ctx->priv, path, name);
	if (rc < 0) {
		fprintf(ctx->err, "xl: domain %u: writing %s: %s\n", domid, path, strerror(-rc));
		goto fail;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
	if (ctx->ops->xs_read(ctx->priv, path, &vm) == 0 && vm[0] &&
	    asprintf(&vmpath, "%s/name", vm) > 0)
		ctx->ops->xs_write(ctx->priv, vmpath, name);
	free(vmpath);
	free(vm);
	return 0;
fail:
	fprintf(ctx->err, "Can't rename domain '%s'.\n", dom);
	return 1;
}
