/*
 * xl_monitor.c - the process that stays with a domain `xl create` made,
 * as Xen's xl does, and carries out what the configuration says when the
 * domain shuts down: on_poweroff, on_reboot, on_crash, on_watchdog.
 *
 * It watches @releaseDomain (xenstored fires it when a domain dies or is
 * released) and looks at the domain's state after every event; since a
 * domain's shutdown does not by itself reach xenstored on every hypervisor
 * and xenstored we may run with, it also looks once a second. A restarted
 * domain keeps its name and UUID and gets a new id; a preserved one is
 * renamed NAME-YYYYMMDDTHHMMZ, so the name is free again. It ends when
 * its domain is gone (destroyed, by it or by `xl destroy`) or preserved.
 * Its messages go to /var/log/xen/xl-NAME.log, with Xen's wording.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "xlcfg.h"
#include "xl.h"

#define XL_MON_POLL_MS 1000
#define SHUTDOWN_REASON_POWEROFF 0
#define SHUTDOWN_REASON_REBOOT 1
#define SHUTDOWN_REASON_SUSPEND 2
#define SHUTDOWN_REASON_CRASH 3
#define SHUTDOWN_REASON_WATCHDOG 4

static enum xl_mon_step of_action(enum xl_action a)
{
	switch (a) {
	case XL_ACTION_RESTART:
	case XL_ACTION_COREDUMP_RESTART:	/* no core dumps: restart alone */
		return XL_MON_RESTART;
	case XL_ACTION_RENAME_RESTART:
		return XL_MON_RENAME_RESTART;
	case XL_ACTION_PRESERVE:
		return XL_MON_PRESERVE;
	default:	/* destroy, coredump-destroy, soft-reset */
		return XL_MON_DESTROY;
	}
}

enum xl_mon_step xl_monitor_step(const struct xl_domain_config *cfg, bool exists,
				 const struct xl_dominfo *info)
{
	if (!exists || info->dying)
		return XL_MON_GONE;
	if (!info->shutdown)
		return XL_MON_WAIT;
	switch (info->shutdown_reason) {
	case SHUTDOWN_REASON_POWEROFF:
		return of_action(cfg->on_poweroff);
	case SHUTDOWN_REASON_REBOOT:
		return of_action(cfg->on_reboot);
	case SHUTDOWN_REASON_SUSPEND:
		return XL_MON_WAIT;	/* a save in progress is not an end */
	case SHUTDOWN_REASON_CRASH:
		return of_action(cfg->on_crash);
	case SHUTDOWN_REASON_WATCHDOG:
		return of_action(cfg->on_watchdog);
	default:	/* soft reset, or a code we do not know: as on_poweroff */
		return of_action(cfg->on_poweroff);
	}
}

void xl_preserved_name(const char *name, time_t now, char *buf, size_t len)
{
	struct tm tm;
	char stamp[32];

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%MZ", &tm);
	snprintf(buf, len, "%s-%s", name, stamp);
}

/* The name in /local/domain/N/name and VM/name. */
static void set_name(struct xl_ctx *ctx, uint32_t domid, const char *name)
{
	char path[64], *vm = NULL, *vmname = NULL;

	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	ctx->ops->xs_write(ctx->priv, path, name);
	snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
	if (ctx->ops->xs_read(ctx->priv, path, &vm) == 0 && vm[0] == '/' &&
	    asprintf(&vmname, "%s/name", vm) > 0)
		ctx->ops->xs_write(ctx->priv, vmname, name);
	free(vmname);
	free(vm);
}

static void preserve(struct xl_ctx *ctx, struct xl_make *m)
{
	char name[300];
	double now, up;

	if (ctx->ops->now(ctx->priv, &now, &up) < 0)
		now = 0;
	xl_preserved_name(m->name, (time_t)now, name, sizeof(name));
	fprintf(ctx->err, "Preserving domain %u %s with suffix%s\n", m->domid, m->name,
		name + strlen(m->name));
	set_name(ctx, m->domid, name);
}

/* libxl's names of the actions, as Xen's xl logs them. */
static const char *step_name(enum xl_mon_step s)
{
	switch (s) {
	case XL_MON_RESTART:
		return "restart";
	case XL_MON_RENAME_RESTART:
		return "rename-restart";
	case XL_MON_PRESERVE:
		return "preserve";
	default:
		return "destroy";
	}
}

/* One step; 1 to go on watching (m->domid may be a new domain), 0 when
 * the monitor's work is over, -1 when a restart failed. */
static int act(struct xl_ctx *ctx, struct xl_make *m, enum xl_mon_step step,
	       const struct xl_dominfo *info)
{
	if (step == XL_MON_GONE) {
		fprintf(ctx->err, "Domain %u has been destroyed.\n", m->domid);
		return 0;
	}
	fprintf(ctx->err, "Domain %u has shut down, reason code %u 0x%x\n", m->domid,
		info->shutdown_reason, info->shutdown_reason);
	fprintf(ctx->err, "Action for shutdown reason code %u is %s\n", info->shutdown_reason,
		step_name(step));
	switch (step) {
	case XL_MON_PRESERVE:
		preserve(ctx, m);
		fprintf(ctx->err, "Done. Exiting now\n");
		return 0;
	case XL_MON_DESTROY:
		fprintf(ctx->err, "Domain %u needs to be cleaned up: destroying the domain\n",
			m->domid);
		xl_unmake_domain(ctx, m->domid);
		fprintf(ctx->err, "Done. Exiting now\n");
		return 0;
	case XL_MON_RENAME_RESTART:
		preserve(ctx, m);
		break;
	default:	/* XL_MON_RESTART */
		fprintf(ctx->err, "Domain %u needs to be cleaned up: destroying the domain\n",
			m->domid);
		xl_unmake_domain(ctx, m->domid);
		break;
	}
	fprintf(ctx->err, "Done. Rebooting now\n");
	m->paused = false;
	if (xl_make_domain(ctx, m)) {
		fprintf(ctx->err, "xl: monitor: restarting '%s' failed\n", m->name);
		return -1;
	}
	fprintf(ctx->err, "Domain %s restarted as domain %u\n", m->name, m->domid);
	return 1;
}

int xl_monitor_run(struct xl_ctx *ctx, struct xl_make *m)
{
	int rc = ctx->cops->watch_release(ctx->priv);

	if (rc < 0)
		fprintf(ctx->err, "xl: monitor: watching @releaseDomain failed (%s): "
			"looking once a second\n", strerror(-rc));
	for (;;) {
		struct xl_dominfo info = { 0 };
		bool exists = xl_dominfo_of(ctx, m->domid, &info) == 0;
		enum xl_mon_step step = xl_monitor_step(m->cfg, exists, &info);

		if (step == XL_MON_WAIT) {
			ctx->cops->wait_release(ctx->priv, XL_MON_POLL_MS);
			continue;
		}
		fflush(ctx->err);
		rc = act(ctx, m, step, &info);
		fflush(ctx->err);
		if (rc <= 0)
			return rc < 0 ? 1 : 0;
	}
}
