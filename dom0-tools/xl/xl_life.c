/*
 * xl_life.c - a domain's life from the command line: pause, unpause,
 * destroy. Each names one domain (by name or id, xl_domain.c) and makes
 * one domctl through ctx->ops; destroy also removes what xenstore holds
 * for the domain (/local/domain/N and its vm path), as Xen's toolstack
 * does, so that it no longer shows in list or by name.
 *
 * A numeric id that names no domain: Xen 4.17's xl prints a libxl error
 * and exits 0 for pause and unpause; we print the message Xen's list
 * prints for that case and exit 1 (docs/toolstack.md "xl").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>
#include "xl.h"

/* The one domain argument of a command whose options are opts (only
 * flags). 0 and *domid, or *status the exit status. */
static int one_domain(struct xl_ctx *ctx, int argc, char **argv, const char *opts,
		      bool *flag, uint32_t *domid, int *status)
{
	int c;

	while ((c = xl_getopt(ctx, argc, argv, opts, NULL, argv[0], 1, status)) != -1) {
		if (c == XL_OPT_EXIT)
			return 1;
		if (flag)
			*flag = true;
	}
	if (xl_find_domain(ctx, argv[optind], domid)) {
		*status = 1;
		return 1;
	}
	return 0;
}

/* What an op's failure on domid prints; the exit status. */
static int op_failed(struct xl_ctx *ctx, const char *what, uint32_t domid, int rc)
{
	if (rc == -ESRCH)
		fprintf(ctx->err, "Error: Domain '%u' does not exist.\n", domid);
	else
		fprintf(ctx->err, "xl: %s of domain %u failed: %s\n", what, domid, strerror(-rc));
	return 1;
}

int main_pause(struct xl_ctx *ctx, int argc, char **argv)
{
	uint32_t domid;
	int status, rc;

	if (one_domain(ctx, argc, argv, "", NULL, &domid, &status))
		return status;
	rc = ctx->ops->pause(ctx->priv, domid);
	return rc < 0 ? op_failed(ctx, "pause", domid, rc) : 0;
}

int main_unpause(struct xl_ctx *ctx, int argc, char **argv)
{
	uint32_t domid;
	int status, rc;

	if (one_domain(ctx, argc, argv, "", NULL, &domid, &status))
		return status;
	rc = ctx->ops->unpause(ctx->priv, domid);
	return rc < 0 ? op_failed(ctx, "unpause", domid, rc) : 0;
}

/* What xenstore holds for the domain goes, as after Xen's toolstack
 * destroys one: its trees are removed (xl_xsnodes_roots: /local/domain/N,
 * /libxl/N, the console backend's directory and its vm path). Missing
 * nodes are fine (a domain xl did not make). */
static void forget_nodes(struct xl_ctx *ctx, uint32_t domid)
{
	char path[64], roots[4][64], *vm = NULL;
	uint8_t uuid[16] = { 0 };
	unsigned int n;

	snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
	if (ctx->ops->xs_read(ctx->priv, path, &vm) == 0 && !strncmp(vm, "/vm/", 4) &&
	    uuid_parse(vm + 4, uuid) != 0)
		ctx->ops->xs_rm(ctx->priv, vm);	/* not a uuid: remove it as named */
	free(vm);
	n = xl_xsnodes_roots(domid, uuid, roots);
	for (unsigned int i = 0; i < n; i++)
		ctx->ops->xs_rm(ctx->priv, roots[i]);
}

int main_destroy(struct xl_ctx *ctx, int argc, char **argv)
{
	struct xl_dominfo info;
	bool force = false, devices = false;
	uint32_t domid;
	int status, rc;

	if (one_domain(ctx, argc, argv, "f", &force, &domid, &status))
		return status;
	if (domid == 0 && !force) {
		fprintf(ctx->err, "Not destroying domain 0; use -f to force.\n"
			"This can only be done when using a disaggregated hardware domain and toolstack.\n\n");
		return 1;
	}
	/*
	 * In libxl's order: the domain paused, its backends told to close
	 * and its nodes removed while it still exists, then the hypercall.
	 * Done after it, this xenstore work queued behind xenstored's and
	 * xenconsoled's own handling of the death (and the monitor's), and
	 * took most of a destroy's time. xenstored then has nothing of the
	 * domain left to remove; RELEASE tells one that did not see it die.
	 */
	rc = xl_dominfo_of(ctx, domid, &info);
	if (rc == 0) {
		if (domid != 0)
			ctx->ops->pause(ctx->priv, domid);
		devices = xl_devices_close(ctx, domid);
		if (domid != 0)
			forget_nodes(ctx, domid);
		rc = ctx->ops->destroy(ctx->priv, domid);
	}
	if (rc < 0) {
		op_failed(ctx, "destroy", domid, rc);
		fprintf(ctx->err, "destroy failed (rc=-3)\n");
		return 1;
	}
	if (domid == 0)
		forget_nodes(ctx, domid);
	if (ctx->cops)
		ctx->cops->release(ctx->priv, domid);
	if (devices)
		xl_devices_release(ctx, domid);
	return 0;
}
