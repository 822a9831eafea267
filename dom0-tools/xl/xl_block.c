/*
 * xl_block.c - xl block-attach, block-detach, block-list: a running
 * domain's virtual disks (xl_devices.c does the adding and removing),
 * with Xen 4.17's xl's output and exit statuses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "xdev.h"
#include "xl.h"

/*
 * The spec components (joined by commas, as Xen's xl joins them) read by
 * the xl.cfg parser, inside a configuration of one disk or one vif: 0
 * and *cfg, or -1 with the parser's message printed.
 */
int xl_dev_parse_spec(struct xl_ctx *ctx, const char *key, int argc, char **argv,
		      struct xl_domain_config **cfg)
{
	char err[XLCFG_ERR_MAX], *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc;

	if (!f)
		return -1;
	/* a name and a kernel make the configuration valid; neither is used */
	fprintf(f, "name = \"attach\"\nkernel = \"/\"\n%s = [ '", key);
	for (int i = 0; i < argc; i++) {
		if (strpbrk(argv[i], "'\n")) {
			fclose(f);
			free(text);
			fprintf(ctx->err, "%s: %s: quotes and newlines are not allowed\n", key, argv[i]);
			return -1;
		}
		fprintf(f, "%s%s", i ? "," : "", argv[i]);
	}
	fprintf(f, "' ]\n");
	fclose(f);
	rc = xlcfg_parse("<command line>", text, len, NULL, 0, cfg, err, sizeof(err));
	free(text);
	if (rc < 0) {
		fprintf(ctx->err, "%s\n", err);
		return -1;
	}
	return 0;
}

int main_blockattach(struct xl_ctx *ctx, int argc, char **argv)
{
	struct xl_domain_config *cfg;
	char err[XDEV_ERR_MAX];
	struct xdev_nodes n = { 0 };
	uint32_t domid;
	int status, c;

	while ((c = xl_getopt(ctx, argc, argv, "", NULL, "block-attach", 2, &status)) != -1)
		if (c == XL_OPT_EXIT)
			return status;
	if (xl_find_domain(ctx, argv[optind], &domid))
		return 1;
	if (xl_dev_parse_spec(ctx, "disk", argc - optind - 1, argv + optind + 1, &cfg))
		return 1;
	if (cfg->n_disks == 0) {
		fprintf(ctx->err, "disk: no target given\nlibxl_device_disk_add failed.\n");
		status = 1;
	} else if (xdev_vbd_nodes(&cfg->disks[0], domid, 0, &n, err, sizeof(err)) < 0) {
		fprintf(ctx->err, "%s\nlibxl_device_disk_add failed.\n", err);
		status = 1;
	} else if (ctx->dryrun) {
		fprintf(ctx->out, "disk: %s\n", n.backend);
		status = 0;
	} else {
		status = xl_dev_add(ctx, "vbd", domid, &n) < 0 ? 1 : 0;
		if (status)
			fprintf(ctx->err, "libxl_device_disk_add failed.\n");
	}
	xdev_nodes_free(&n);
	xl_domain_config_free(cfg);
	return status;
}

int main_blockdetach(struct xl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = { { "force", no_argument, NULL, 'f' },
						  { 0, 0, 0, 0 } };
	char path[96];
	uint32_t domid, devid;
	bool force = false;
	int status, c;

	while ((c = xl_getopt(ctx, argc, argv, "f", longopts, "block-detach", 2, &status)) != -1) {
		if (c == XL_OPT_EXIT)
			return status;
		if (c == 'f')
			force = true;
	}
	if (xl_find_domain(ctx, argv[optind], &domid))
		return 1;
	/* a vdev name (xvdb) or its number (51728), as libxl takes either */
	if (xdev_vbd_number(argv[optind + 1], &devid) < 0) {
		char *end;

		devid = (uint32_t)strtoul(argv[optind + 1], &end, 10);
		if (*end || end == argv[optind + 1])
			devid = UINT32_MAX;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/device/vbd/%u/backend", domid, devid);
	if (devid == UINT32_MAX || !xl_dev_exists(ctx, path)) {
		fprintf(ctx->err, "Error: Device %s not connected.\n", argv[optind + 1]);
		return 1;
	}
	if (ctx->dryrun)
		return 0;
	if (xl_dev_remove(ctx, "vbd", domid, devid, force) < 0) {
		fprintf(ctx->err, "libxl_device_disk_%s failed.\n", force ? "destroy" : "safe_remove");
		return 1;
	}
	return 0;
}

int main_blocklist(struct xl_ctx *ctx, int argc, char **argv)
{
	char dir[96], p[128], *be;
	uint32_t ids[XL_DEV_MAX], domid;
	int status, c;

	while ((c = xl_getopt(ctx, argc, argv, "", NULL, "block-list", 1, &status)) != -1)
		if (c == XL_OPT_EXIT)
			return status;
	fprintf(ctx->out, "%-5s %-3s %-6s %-5s %-6s %-8s %-30s\n",
		"Vdev", "BE", "handle", "state", "evt-ch", "ring-ref", "BE-path");
	for (int a = optind; a < argc; a++) {
		int n;

		if (xl_domid_of(ctx, argv[a], &domid) < 0) {
			fprintf(ctx->err, "%s is an invalid domain identifier\n", argv[a]);
			continue;
		}
		snprintf(dir, sizeof(dir), "/local/domain/%u/device/vbd", domid);
		n = xl_dev_ids(ctx, dir, ids, XL_DEV_MAX);
		for (int i = 0; i < n; i++) {
			be = NULL;
			snprintf(p, sizeof(p), "%s/%u/backend", dir, ids[i]);
			if (ctx->ops->xs_read(ctx->priv, p, &be) < 0)
				continue;
			fprintf(ctx->out, "%-5d %-3d %-6d ", (int)ids[i],
				(int)xl_dev_read_int(ctx, (snprintf(p, sizeof(p), "%s/%u/backend-id",
								     dir, ids[i]), p), -1),
				(int)domid);
			snprintf(p, sizeof(p), "%s/%u/state", dir, ids[i]);
			fprintf(ctx->out, "%-5d ", (int)xl_dev_read_int(ctx, p, -1));
			snprintf(p, sizeof(p), "%s/%u/event-channel", dir, ids[i]);
			fprintf(ctx->out, "%-6d ", (int)xl_dev_read_int(ctx, p, -1));
			snprintf(p, sizeof(p), "%s/%u/ring-ref", dir, ids[i]);
			fprintf(ctx->out, "%-8d %-30s\n", (int)xl_dev_read_int(ctx, p, -1), be);
			free(be);
		}
	}
	return 0;
}
