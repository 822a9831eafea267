/*
 * xl_network.c - xl network-attach, network-detach, network-list: a
 * running domain's virtual network interfaces (xl_devices.c does the
 * adding and removing), with Xen 4.17's xl's output and exit statuses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "xdev.h"
#include "xl.h"

/* The first device id above every existing one (libxl's choice). */
static uint32_t next_devid(struct xl_ctx *ctx, uint32_t domid)
{
	char dir[96];
	uint32_t ids[XL_DEV_MAX];
	int n;

	snprintf(dir, sizeof(dir), "/local/domain/%u/device/vif", domid);
	n = xl_dev_ids(ctx, dir, ids, XL_DEV_MAX);
	return n > 0 ? ids[n - 1] + 1 : 0;
}

int main_networkattach(struct xl_ctx *ctx, int argc, char **argv)
{
	struct xl_domain_config *cfg;
	char err[XDEV_ERR_MAX];
	struct xdev_nodes n = { 0 };
	bool has_devid = false;
	uint32_t domid;
	int status, c;

	while ((c = xl_getopt(ctx, argc, argv, "", NULL, "network-attach", 1, &status)) != -1)
		if (c == XL_OPT_EXIT)
			return status;
	if (xl_find_domain(ctx, argv[optind], &domid))
		return 1;
	for (int i = optind + 1; i < argc; i++)
		has_devid |= !strncmp(argv[i], "devid=", 6);
	if (xl_dev_parse_spec(ctx, "vif", argc - optind - 1, argv + optind + 1, &cfg))
		return 1;
	if (cfg->n_vifs == 0) {	/* no components: a vif with every default */
		fprintf(ctx->err, "libxl_device_nic_add failed.\n");
		xl_domain_config_free(cfg);
		return 1;
	}
	if (!has_devid)
		cfg->vifs[0].devid = next_devid(ctx, domid);
	if (xdev_vif_nodes(&cfg->vifs[0], domid, 0, xl_dev_mac_seed(), &n, err, sizeof(err)) < 0) {
		fprintf(ctx->err, "%s\nlibxl_device_nic_add failed.\n", err);
		status = 1;
	} else if (ctx->dryrun) {
		fprintf(ctx->out, "vif: %s\n", n.backend);
		status = 0;
	} else {
		status = xl_dev_add(ctx, "vif", domid, &n) < 0 ? 1 : 0;
		if (status)
			fprintf(ctx->err, "libxl_device_nic_add failed.\n");
	}
	xdev_nodes_free(&n);
	xl_domain_config_free(cfg);
	return status;
}

/* The vif of domid whose devid or MAC is arg: 0 and *devid, or -ENOENT. */
static int find_vif(struct xl_ctx *ctx, uint32_t domid, const char *arg, uint32_t *devid)
{
	char dir[96], p[128], *mac;
	uint32_t ids[XL_DEV_MAX];
	int n;

	snprintf(dir, sizeof(dir), "/local/domain/%u/device/vif", domid);
	n = xl_dev_ids(ctx, dir, ids, XL_DEV_MAX);
	for (int i = 0; i < n; i++) {
		bool hit;

		if (!strchr(arg, ':')) {
			char *end;
			unsigned long v = strtoul(arg, &end, 10);

			if (*end == '\0' && end != arg && v == ids[i]) {
				*devid = ids[i];
				return 0;
			}
			continue;
		}
		mac = NULL;
		snprintf(p, sizeof(p), "%s/%u/mac", dir, ids[i]);
		hit = ctx->ops->xs_read(ctx->priv, p, &mac) == 0 && !strcasecmp(mac, arg);
		free(mac);
		if (hit) {
			*devid = ids[i];
			return 0;
		}
	}
	return -ENOENT;
}

int main_networkdetach(struct xl_ctx *ctx, int argc, char **argv)
{
	uint32_t domid, devid;
	int status, c;

	while ((c = xl_getopt(ctx, argc, argv, "", NULL, "network-detach", 2, &status)) != -1)
		if (c == XL_OPT_EXIT)
			return status;
	if (xl_find_domain(ctx, argv[optind], &domid))
		return 1;
	if (find_vif(ctx, domid, argv[optind + 1], &devid) < 0) {
		fprintf(ctx->err, "Unknown device %s.\n", argv[optind + 1]);
		return 1;
	}
	if (ctx->dryrun)
		return 0;
	if (xl_dev_remove(ctx, "vif", domid, devid, false) < 0) {
		fprintf(ctx->err, "libxl_device_nic_del failed.\n");
		return 1;
	}
	return 0;
}

int main_networklist(struct xl_ctx *ctx, int argc, char **argv)
{
	char dir[96], p[128], *be, *mac;
	uint32_t ids[XL_DEV_MAX], domid;
	int status, c;

	while ((c = xl_getopt(ctx, argc, argv, "", NULL, "network-list", 1, &status)) != -1)
		if (c == XL_OPT_EXIT)
			return status;
	fprintf(ctx->out, "%-3s %-2s %-17s %-6s %-5s %-6s %5s/%-5s %-30s\n",
		"Idx", "BE", "Mac Addr.", "handle", "state", "evt-ch", "tx-", "rx-ring-ref",
		"BE-path");
	for (int a = optind; a < argc; a++) {
		int n;

		if (xl_domid_of(ctx, argv[a], &domid) < 0) {
			fprintf(ctx->err, "%s is an invalid domain identifier\n", argv[a]);
			continue;
		}
		snprintf(dir, sizeof(dir), "/local/domain/%u/device/vif", domid);
		n = xl_dev_ids(ctx, dir, ids, XL_DEV_MAX);
		for (int i = 0; i < n; i++) {
			long be_id, st, ev, tx, rx;

			be = mac = NULL;
			snprintf(p, sizeof(p), "%s/%u/backend", dir, ids[i]);
			if (ctx->ops->xs_read(ctx->priv, p, &be) < 0)
				continue;
			snprintf(p, sizeof(p), "%s/%u/mac", dir, ids[i]);
			if (ctx->ops->xs_read(ctx->priv, p, &mac) < 0)
				mac = NULL;
			snprintf(p, sizeof(p), "%s/%u/backend-id", dir, ids[i]);
			be_id = xl_dev_read_int(ctx, p, -1);
			snprintf(p, sizeof(p), "%s/%u/state", dir, ids[i]);
			st = xl_dev_read_int(ctx, p, -1);
			snprintf(p, sizeof(p), "%s/%u/event-channel", dir, ids[i]);
			ev = xl_dev_read_int(ctx, p, -1);
			snprintf(p, sizeof(p), "%s/%u/tx-ring-ref", dir, ids[i]);
			tx = xl_dev_read_int(ctx, p, -1);
			snprintf(p, sizeof(p), "%s/%u/rx-ring-ref", dir, ids[i]);
			rx = xl_dev_read_int(ctx, p, -1);
			fprintf(ctx->out, "%-3d %-2d %s", (int)ids[i], (int)be_id,
				mac ? mac : "00:00:00:00:00:00");
			fprintf(ctx->out, "%6d %5d %6d %5d/%-11d %-30s\n", (int)ids[i], (int)st,
				(int)ev, (int)tx, (int)rx, be);
			free(be);
			free(mac);
		}
	}
	return 0;
}
