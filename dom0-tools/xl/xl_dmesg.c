/*
 * xl_dmesg.c - `xl dmesg [-c]`: the hypervisor's console ring (sysctl
 * readconsole), printed as it is, and emptied afterwards with -c, as
 * Xen 4.17's xl (arguments after the options are ignored, as there).
 * `xl debug-keys KEYS`: the hypervisor handles each key as if pressed on
 * its console; what they report lands in that ring.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "xl.h"

/* Xen's ring is 16 KiB by default (conring_size=); room for a large one */
#define XL_DMESG_MAX (4u << 20)

int main_dmesg(struct xl_ctx *ctx, int argc, char **argv)
{
	unsigned int len = XL_DMESG_MAX;
	bool clear = false;
	int c, status, rc;
	char *buf;

	while ((c = xl_getopt(ctx, argc, argv, "c", NULL, "dmesg", 0, &status)) != -1) {
		if (c == XL_OPT_EXIT)
			return status;
		clear = true;
	}
	buf = malloc(len);
	if (!buf) {
		fprintf(ctx->err, "xl: dmesg: %s\n", strerror(ENOMEM));
		return 1;
	}
	rc = ctx->ops->readconsole(ctx->priv, buf, &len, clear);
	if (rc < 0)
		fprintf(ctx->err, "xl: dmesg: reading the hypervisor's console ring failed: %s\n",
			strerror(-rc));
	else
		fwrite(buf, 1, len, ctx->out);
	free(buf);
	return rc < 0 ? 1 : 0;
}

int main_debug_keys(struct xl_ctx *ctx, int argc, char **argv)
{
	int c, status, rc;

	while ((c = xl_getopt(ctx, argc, argv, "", NULL, "debug-keys", 1, &status)) != -1)
		if (c == XL_OPT_EXIT)
			return status;
	rc = ctx->ops->debug_keys ? ctx->ops->debug_keys(ctx->priv, argv[optind]) : -ENOSYS;
	if (rc < 0) {
		fprintf(ctx->err, "cannot send debug keys: %s\n", argv[optind]);
		return 1;
	}
	return 0;
}
