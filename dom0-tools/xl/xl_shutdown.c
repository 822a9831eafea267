/*
 * xl_shutdown.c - `xl shutdown` and `xl reboot`: ask a PV guest to power
 * off or reboot itself, as Xen's xl does, by writing "poweroff" or
 * "reboot" to its control/shutdown node; the guest's xenbus driver sees
 * the write, clears the node and shuts down. What happens next is the
 * monitor's business (on_poweroff, on_reboot). -w waits until each
 * domain has shut down or is gone; -a asks every domain but Dom0.
 * -F (Xen: fall back to an ACPI event for an HVM guest without PV
 * drivers) changes nothing for a PV guest and is accepted.
 *
 * As libxl, the request counts as delivered only once the guest has
 * acknowledged it by clearing the node (or has already shut down); a
 * guest whose drivers are not up (paused, still booting) does not, and
 * the command fails after XL_ACK_TIMEOUT_MS with "shutdown failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "xl.h"

#define XL_WAIT_POLL_MS 100
#define XL_ACK_TIMEOUT_MS 10000	/* how long a guest may take to see the request */

struct shut_opts {
	bool all, wait, fallback;
};

static int shut_args(struct xl_ctx *ctx, int argc, char **argv, struct shut_opts *o,
		     int *status)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "wait", no_argument, NULL, 'w' },
		{ 0, 0, 0, 0 },
	};
	int c;

	while ((c = xl_getopt(ctx, argc, argv, "awF", longopts, argv[0], 0, status)) != -1) {
		switch (c) {
		case XL_OPT_EXIT:
			return 1;
		case 'a':
			o->all = true;
			break;
		case 'w':
			o->wait = true;
			break;
		default:	/* 'F' */
			o->fallback = true;
			break;
		}
	}
	if (!o->all && optind >= argc) {
		fprintf(ctx->err, "You must specify -a or a domain id.\n\n");
		*status = 1;
		return 1;
	}
	return 0;
}

/* Has the guest taken the request (cleared the node, or gone down)? */
static bool acknowledged(struct xl_ctx *ctx, uint32_t domid, const char *path)
{
	struct xl_dominfo info;
	char *val = NULL;
	bool taken;

	if (xl_dominfo_of(ctx, domid, &info) < 0 || info.shutdown || info.dying)
		return true;
	if (ctx->ops->xs_read(ctx->priv, path, &val) < 0)
		return true;
	taken = val[0] == '\0';
	free(val);
	return taken;
}

/* Write the request and wait for the guest to take it: 0 or -errno
 * (-ESRCH: no such domain, -ETIMEDOUT: not acknowledged). */
static int request(struct xl_ctx *ctx, uint32_t domid, const char *what)
{
	struct xl_dominfo info;
	char path[64];
	int rc = xl_dominfo_of(ctx, domid, &info);

	if (rc < 0)
		return rc;
	snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", domid);
	rc = ctx->ops->xs_write(ctx->priv, path, what);
	for (int waited = 0; rc == 0 && !acknowledged(ctx, domid, path); waited += XL_WAIT_POLL_MS) {
		if (waited >= XL_ACK_TIMEOUT_MS)
			return -ETIMEDOUT;
		ctx->cops->sleep_ms(ctx->priv, XL_WAIT_POLL_MS);
	}
	return rc;
}

/* Until every domain in ids has shut down or is gone. */
static void wait_for(struct xl_ctx *ctx, uint32_t *ids, unsigned int n)
{
	unsigned int left = n;

	fprintf(ctx->err, "Waiting for %u domains\n", n);
	while (left) {
		for (unsigned int i = 0; i < n; i++) {
			struct xl_dominfo info;

			if (ids[i] == UINT32_MAX)
				continue;
			if (xl_dominfo_of(ctx, ids[i], &info) < 0 || info.dying)
				fprintf(ctx->err, "Domain %u has been destroyed\n", ids[i]);
			else if (info.shutdown)
				fprintf(ctx->err, "Domain %u has been shut down, reason code %u\n",
					ids[i], info.shutdown_reason);
			else
				continue;
			ids[i] = UINT32_MAX;
			left--;
		}
		if (left)
			ctx->cops->sleep_ms(ctx->priv, XL_WAIT_POLL_MS);
	}
}

/* shutdown and reboot: what ("poweroff", "reboot"), verb for messages. */
static int shut(struct xl_ctx *ctx, int argc, char **argv, const char *what, const char *verb)
{
	struct shut_opts o = { 0 };
	struct xl_dominfo *doms = NULL;
	uint32_t *ids = NULL, domid;
	unsigned int n = 0;
	int status = 0, count, rc;

	if (shut_args(ctx, argc, argv, &o, &status))
		return status;
	if (o.all) {
		count = xl_domain_list(ctx, &doms);
		if (count < 0) {
			fprintf(ctx->err, "xl: %s: listing domains failed: %s\n", argv[0],
				strerror(-count));
			return 1;
		}
	} else {
		if (xl_find_domain(ctx, argv[optind], &domid))
			return 1;
		count = 1;
	}
	ids = calloc((size_t)count + 1, sizeof(*ids));
	if (!ids) {
		free(doms);
		return 1;
	}
	for (int i = 0; i < count; i++) {
		uint32_t id = doms ? doms[i].domid : domid;

		if (doms && (id == 0 || doms[i].dying))
			continue;
		fprintf(ctx->err, "%s domain %u\n", verb, id);
		rc = request(ctx, id, what);
		if (rc == -ESRCH) {
			fprintf(ctx->err, "Error: Domain '%u' does not exist.\n", id);
			status = 1;
		} else if (rc == -ETIMEDOUT) {
			/* libxl's ERROR_TIMEDOUT, in Xen's words */
			fprintf(ctx->err, "xl: domain %u did not acknowledge the %s request "
				"(are its PV drivers up?)\n%s failed (rc=-9)\n", id, what, argv[0]);
			status = 1;
		} else if (rc < 0) {
			fprintf(ctx->err, "xl: %s of domain %u failed: %s\n", argv[0], id,
				strerror(-rc));
			status = 1;
		} else {
			ids[n++] = id;
		}
	}
	if (o.wait && n)
		wait_for(ctx, ids, n);
	free(ids);
	free(doms);
	return status;
}

int main_shutdown(struct xl_ctx *ctx, int argc, char **argv)
{
	return shut(ctx, argc, argv, "poweroff", "Shutting down");
}

int main_reboot(struct xl_ctx *ctx, int argc, char **argv)
{
	return shut(ctx, argc, argv, "reboot", "Rebooting");
}
