/*
 * xl_devices.c - a PV guest's split devices (vbd, vif) as libxl 4.17
 * adds and removes them: the steps xl create, xl destroy, the monitor and
 * the block-* / network-* commands share (docs/split-drivers.md
 * "Devices with xl").
 *
 *   add      the frontend and backend directories (libd0device's layout)
 *            in one transaction; wait for the backend driver to reach
 *            InitWait (xen-blkback/xen-netback probed it); run the
 *            hotplug script named in the backend's "script" node, as
 *            libxl runs it (Dom0 has no udev, so nobody else would);
 *            check hotplug-status, naming the device on failure
 *   remove   online=0 and state Closing in the backend; wait for the
 *            backend to reach Closed (the frontend let go, or is gone);
 *            the hotplug script's remove/offline (the loop device is
 *            released, the vif leaves its bridge); both directories go
 *
 * Every wait has a timeout (XL_DEV_TIMEOUT_MS, or $XL_DEVICE_TIMEOUT in
 * seconds for slow machines) and its message names the device.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "xdev.h"
#include "xl.h"

#define XL_DEV_TIMEOUT_MS 30000	/* libxl waits 10 s; TCG under load is slower */
#define XL_DEV_POLL_MS 50
#define XL_DEV_SETTLE_MS 1000	/* leftovers of late state changes removed */
#define XL_DEV_GONE_MS 5000	/* a backend closing after its frontend's domain died */
#define XB_INITWAIT 2
#define XB_CONNECTED 4
#define XB_CLOSING 5
#define XB_CLOSED 6

static const char *const kinds[] = { "vbd", "vif" };

int xl_dev_timeout_ms(void)
{
	const char *s = getenv("XL_DEVICE_TIMEOUT");
	int t = s ? atoi(s) : 0;

	return t > 0 ? t * 1000 : XL_DEV_TIMEOUT_MS;
}

/* An integer node: its value, or dflt when absent or not a number. */
long xl_dev_read_int(struct xl_ctx *ctx, const char *path, long dflt)
{
	char *v = NULL, *end;
	long r = dflt;

	if (ctx->ops->xs_read(ctx->priv, path, &v) == 0) {
		long x = strtol(v, &end, 10);

		if (end != v && *end == '\0')
			r = x;
	}
	free(v);
	return r;
}

bool xl_dev_exists(struct xl_ctx *ctx, const char *path)
{
	char *v = NULL;
	int rc = ctx->ops->xs_read(ctx->priv, path, &v);

	free(v);
	return rc == 0;
}

/* Waits until the backend's state is one of want_a/want_b, or the node
 * is gone (gone_ok): 0, or -ETIMEDOUT. */
static int wait_state(struct xl_ctx *ctx, const char *be, long want_a, long want_b, bool gone_ok,
		      int limit)
{
	char path[XDEV_PATH_MAX + 16];
	int waited = 0;

	snprintf(path, sizeof(path), "%s/state", be);
	for (;;) {
		long s = xl_dev_read_int(ctx, path, -1);

		if (s == want_a || s == want_b || (gone_ok && s == -1))
			return 0;
		if (waited >= limit)
			return -ETIMEDOUT;
		ctx->cops->sleep_ms(ctx->priv, XL_DEV_POLL_MS);
		waited += XL_DEV_POLL_MS;
	}
}

/* Runs the backend's hotplug script for cmd (add/remove, online/offline)
 * as libxl does: XENBUS_PATH relative to Dom0's home. 0 or -errno. */
static int hotplug(struct xl_ctx *ctx, const char *kind, uint32_t domid, uint32_t devid,
		   const char *cmd)
{
	char be[XDEV_PATH_MAX], path[XDEV_PATH_MAX + 32], *script = NULL;
	char e_path[XDEV_PATH_MAX + 16], e_type[32], e_vif[48];
	bool vif = !strcmp(kind, "vif");
	const char *argv[4] = { NULL, cmd, vif ? "type_if=vif" : NULL, NULL };
	const char *env[] = { e_path, e_type, "XENBUS_BASE_PATH=backend", e_vif, "netdev=", NULL };
	int rc;

	snprintf(be, sizeof(be), "backend/%s/%u/%u", kind, domid, devid);
	snprintf(path, sizeof(path), "/local/domain/0/%s/script", be);
	if (ctx->ops->xs_read(ctx->priv, path, &script) < 0)
		return 0;	/* no script: nothing to set up (libxl's rule too) */
	snprintf(e_path, sizeof(e_path), "XENBUS_PATH=%s", be);
	snprintf(e_type, sizeof(e_type), "XENBUS_TYPE=%s", kind);
	if (vif)
		snprintf(e_vif, sizeof(e_vif), "vif=vif%u.%u", domid, devid);
	else
		snprintf(e_vif, sizeof(e_vif), "vif=");
	argv[0] = script;
	rc = ctx->dops->run_script(ctx->priv, script, argv, env);
	free(script);
	return rc;
}

/* The backend's own closing after its frontend vanished: waited for
 * briefly, not an error when it takes longer. */
static void wait_ms(struct xl_ctx *ctx, const char *be, int ms)
{
	wait_state(ctx, be, XB_CLOSED, XB_CLOSED, true, ms);
}

/* Whether domid exists and is not paused: whether its frontends can
 * answer. */
static bool guest_runs(struct xl_ctx *ctx, uint32_t domid)
{
	struct xl_dominfo info;

	return xl_dominfo_of(ctx, domid, &info) == 0 && !info.paused && !info.shutdown &&
	       !info.dying;
}

/*
 * A driver's last state change may land just after the directories were
 * removed and write its state node anew (xenstore makes the path): for a
 * short while, such leftovers are removed again.
 */
static void settle(struct xl_ctx *ctx, const char *fe, const char *be, int limit)
{
	char fs[XDEV_PATH_MAX + 8], bs[XDEV_PATH_MAX + 8];

	snprintf(fs, sizeof(fs), "%s/state", fe);
	snprintf(bs, sizeof(bs), "%s/state", be);
	for (int ms = 0; ms < limit; ms += XL_DEV_POLL_MS) {
		ctx->cops->sleep_ms(ctx->priv, XL_DEV_POLL_MS);
		if (xl_dev_exists(ctx, fs))
			ctx->ops->xs_rm(ctx->priv, fe);
		if (xl_dev_exists(ctx, bs))
			ctx->ops->xs_rm(ctx->priv, be);
	}
}

void xl_dev_name(const char *kind, uint32_t domid, uint32_t devid, char *buf, size_t len)
{
	snprintf(buf, len, "%s %u of domain %u", kind, devid, domid);
}

/* xl_dev_remove; settled: the caller waited for the backend already */
static int remove_dev(struct xl_ctx *ctx, const char *kind, uint32_t domid, uint32_t devid,
		      bool force, bool settled)
{
	char be[XDEV_PATH_MAX], fe[XDEV_PATH_MAX], path[XDEV_PATH_MAX + 16], name[64];
	bool vif = !strcmp(kind, "vif");
	bool live = false;
	long fe_state;
	int rc;

	snprintf(be, sizeof(be), "/local/domain/0/backend/%s/%u/%u", kind, domid, devid);
	snprintf(fe, sizeof(fe), "/local/domain/%u/device/%s/%u", domid, kind, devid);
	xl_dev_name(kind, domid, devid, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/state", fe);
	fe_state = xl_dev_read_int(ctx, path, -1);
	snprintf(path, sizeof(path), "%s/online", be);
	ctx->ops->xs_write(ctx->priv, path, "0");
	snprintf(path, sizeof(path), "%s/state", be);
	if (xl_dev_read_int(ctx, path, -1) != XB_CLOSED)
		ctx->ops->xs_write(ctx->priv, path, "5");
	/*
	 * A running guest's frontend is asked to let go and waited for
	 * (blkfront and netfront answer Closing with Closed, and the backend
	 * follows). A paused guest (a domain being made) cannot answer: its
	 * backend goes when its directory does. A frontend gone with its
	 * domain makes the backend close by itself: a short wait, so that
	 * the disk is released before the script runs.
	 */
	if (settled) {
		/* nothing more to wait for */
	} else if (fe_state == -1) {
		wait_ms(ctx, be, XL_DEV_GONE_MS);
	} else if ((live = guest_runs(ctx, domid))) {
		rc = wait_state(ctx, be, XB_CLOSED, XB_CLOSED, true, xl_dev_timeout_ms());
		if (rc < 0) {
			fprintf(ctx->err, "xl: %s: the backend did not close in %d s%s\n", name,
				xl_dev_timeout_ms() / 1000, force ? "; removed anyway" :
				" (is the device still in use in the guest?)");
			if (!force)
				return rc;
		}
	}
	/* the script ran (it always answers hotplug-status): undo its work */
	snprintf(path, sizeof(path), "%s/hotplug-status", be);
	if (xl_dev_exists(ctx, path))
		hotplug(ctx, kind, domid, devid, vif ? "offline" : "remove");
	ctx->ops->xs_rm(ctx->priv, fe);
	ctx->ops->xs_rm(ctx->priv, be);
	/* a live guest's drivers may still be moving; a dead one's not */
	settle(ctx, fe, be, live ? XL_DEV_SETTLE_MS : XL_DEV_POLL_MS * 2);
	return 0;
}

int xl_dev_remove(struct xl_ctx *ctx, const char *kind, uint32_t domid, uint32_t devid,
		  bool force)
{
	return remove_dev(ctx, kind, domid, devid, force, false);
}

/* The nodes into the xl_xsnode form cops->xs_nodes writes (one
 * transaction): 0, or -ENAMETOOLONG / -ENOMEM. */
static int to_xsnodes(const struct xdev_nodes *n, struct xl_xsnode **out)
{
	struct xl_xsnode *x = calloc(n->count ? n->count : 1, sizeof(*x));

	if (!x)
		return -ENOMEM;
	for (size_t i = 0; i < n->count; i++) {
		const struct xdev_node *d = &n->node[i];

		if (strlen(d->path) >= sizeof(x[i].path) || strlen(d->value) >= sizeof(x[i].value)) {
			free(x);
			return -ENAMETOOLONG;
		}
		strcpy(x[i].path, d->path);
		strcpy(x[i].value, d->value);
		x[i].n_perms = 2;
		x[i].perms[0] = (struct xl_xsperm){ (char)d->perms.others, d->perms.owner };
		x[i].perms[1] = (struct xl_xsperm){ (char)d->perms.peer_perm, d->perms.peer };
	}
	*out = x;
	return 0;
}

int xl_dev_add(struct xl_ctx *ctx, const char *kind, uint32_t domid, const struct xdev_nodes *n)
{
	char path[XDEV_PATH_MAX + 16], name[64], *status = NULL, *why = NULL;
	struct xl_xsnode *x;
	bool vif = !strcmp(kind, "vif");
	int rc;

	xl_dev_name(kind, domid, n->devid, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/state", n->backend);
	if (xl_dev_read_int(ctx, path, -1) != -1) {
		fprintf(ctx->err, "xl: %s: the device already exists\n", name);
		return -EEXIST;
	}
	rc = to_xsnodes(n, &x);
	if (rc == 0) {
		rc = ctx->cops->xs_nodes(ctx->priv, x, (unsigned int)n->count);
		free(x);
	}
	if (rc < 0) {
		fprintf(ctx->err, "xl: %s: writing its xenstore nodes failed: %s\n", name,
			strerror(-rc));
		ctx->ops->xs_rm(ctx->priv, n->backend);
		ctx->ops->xs_rm(ctx->priv, n->frontend);
		return rc;
	}
	rc = wait_state(ctx, n->backend, XB_INITWAIT, XB_CONNECTED, false, xl_dev_timeout_ms());
	if (rc < 0) {
		fprintf(ctx->err, "xl: %s: the backend did not reach InitWait in %d s "
			"(is %s loaded in Dom0?)\n", name, xl_dev_timeout_ms() / 1000,
			vif ? "xen-netback" : "xen-blkback");
		goto undo;
	}
	rc = hotplug(ctx, kind, domid, n->devid, vif ? "online" : "add");
	snprintf(path, sizeof(path), "%s/hotplug-status", n->backend);
	if (ctx->ops->xs_read(ctx->priv, path, &status) < 0 || strcmp(status, "connected")) {
		snprintf(path, sizeof(path), "%s/hotplug-error", n->backend);
		ctx->ops->xs_read(ctx->priv, path, &why);
		if (why)	/* the helper's message names the device */
			fprintf(ctx->err, "xl: %s\n", why);
		else
			fprintf(ctx->err, "xl: %s: the hotplug script failed: %s\n", name,
				rc < 0 ? strerror(-rc) : "no hotplug-status written");
		free(why);
		free(status);
		rc = -EIO;
		goto undo;
	}
	free(status);
	return 0;
undo:
	xl_dev_remove(ctx, kind, domid, n->devid, true);
	return rc;
}

/* xl_dev_ids, and in *exists whether dir is there (or unreadable). */
static int dev_ids(struct xl_ctx *ctx, const char *dir, uint32_t *ids, unsigned int max,
		   bool *exists)
{
	char **names = NULL;
	unsigned int n = 0, k = 0;
	int rc = ctx->dops->xs_dir(ctx->priv, dir, &names, &n);

	*exists = rc != -ENOENT;
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	for (unsigned int i = 0; i < n && k < max; i++) {
		char *end;
		unsigned long v = strtoul(names[i], &end, 10);

		if (*end == '\0' && end != names[i])
			ids[k++] = (uint32_t)v;
	}
	free(names);
	for (unsigned int i = 1; i < k; i++)	/* few devices: insertion sort */
		for (unsigned int j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
			uint32_t t = ids[j];

			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	return (int)k;
}

/* Device ids in dir, sorted; their count (0 when none), or -errno. */
int xl_dev_ids(struct xl_ctx *ctx, const char *dir, uint32_t *ids, unsigned int max)
{
	bool exists;

	return dev_ids(ctx, dir, ids, max, &exists);
}

/* Before the domain is destroyed: every backend of its devices is told
 * to close (online=0, Closing), so that once the frontends vanish with
 * the domain, blkback and netback let go and switch to Closed. Whether
 * there is anything for xl_devices_release to do: a backend directory
 * (or one that could not be read). */
bool xl_devices_close(struct xl_ctx *ctx, uint32_t domid)
{
	char dir[XDEV_PATH_MAX], path[XDEV_PATH_MAX + 32];
	uint32_t ids[XL_DEV_MAX];
	bool some = false;

	if (!ctx->dops)
		return false;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		bool exists;
		int n;

		snprintf(dir, sizeof(dir), "/local/domain/0/backend/%s/%u", kinds[k], domid);
		n = dev_ids(ctx, dir, ids, XL_DEV_MAX, &exists);
		some = some || exists;
		for (int i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "%s/%u/online", dir, ids[i]);
			ctx->ops->xs_write(ctx->priv, path, "0");
			snprintf(path, sizeof(path), "%s/%u/state", dir, ids[i]);
			ctx->ops->xs_write(ctx->priv, path, "5");
		}
	}
	return some;
}

/* After the domain and its tree are gone: the backends waited for (all
 * at once, briefly: they close by themselves once their frontends are
 * gone), then each device's hotplug remove/offline run and its
 * directories removed; then the per-domain backend directories. */
void xl_devices_release(struct xl_ctx *ctx, uint32_t domid)
{
	char dir[XDEV_PATH_MAX], path[XDEV_PATH_MAX + 32];
	uint32_t ids[2][XL_DEV_MAX];
	int n[2];
	bool open = true;

	if (!ctx->dops)
		return;
	for (size_t k = 0; k < 2; k++) {
		snprintf(dir, sizeof(dir), "/local/domain/0/backend/%s/%u", kinds[k], domid);
		n[k] = xl_dev_ids(ctx, dir, ids[k], XL_DEV_MAX);
	}
	/* the backends close together: one short wait for all of them */
	for (int ms = 0; open && ms < XL_DEV_GONE_MS; ms += XL_DEV_POLL_MS) {
		open = false;
		for (size_t k = 0; k < 2; k++)
			for (int i = 0; i < n[k] && !open; i++) {
				long st;

				snprintf(path, sizeof(path), "/local/domain/0/backend/%s/%u/%u/state",
					 kinds[k], domid, ids[k][i]);
				st = xl_dev_read_int(ctx, path, -1);
				open = st != -1 && st != XB_CLOSED;
			}
		if (open)
			ctx->cops->sleep_ms(ctx->priv, XL_DEV_POLL_MS);
	}
	for (size_t k = 0; k < 2; k++) {
		for (int i = 0; i < n[k]; i++)
			remove_dev(ctx, kinds[k], domid, ids[k][i], true, true);
		snprintf(dir, sizeof(dir), "/local/domain/0/backend/%s/%u", kinds[k], domid);
		ctx->ops->xs_rm(ctx->priv, dir);
	}
}

/* xl create: every disk, then every vif of cfg, before the domain runs.
 * 0, or -1 with a message (what was added is removed by the caller's
 * xl_unmake_domain). */
int xl_devices_add_all(struct xl_ctx *ctx, uint32_t domid, const struct xl_domain_config *cfg)
{
	char err[XDEV_ERR_MAX];
	struct xdev_nodes n;

	for (unsigned int i = 0; i < cfg->n_disks; i++) {
		memset(&n, 0, sizeof(n));
		if (xdev_vbd_nodes(&cfg->disks[i], domid, 0, &n, err, sizeof(err)) < 0) {
			fprintf(ctx->err, "xl: create: %s\n", err);
			xdev_nodes_free(&n);
			return -1;
		}
		if (xl_dev_add(ctx, "vbd", domid, &n) < 0) {
			xdev_nodes_free(&n);
			return -1;
		}
		xdev_nodes_free(&n);
	}
	for (unsigned int i = 0; i < cfg->n_vifs; i++) {
		memset(&n, 0, sizeof(n));
		if (xdev_vif_nodes(&cfg->vifs[i], domid, 0, xl_dev_mac_seed(), &n, err,
				   sizeof(err)) < 0) {
			fprintf(ctx->err, "xl: create: %s\n", err);
			xdev_nodes_free(&n);
			return -1;
		}
		if (xl_dev_add(ctx, "vif", domid, &n) < 0) {
			xdev_nodes_free(&n);
			return -1;
		}
		xdev_nodes_free(&n);
	}
	return 0;
}

uint32_t xl_dev_mac_seed(void)
{
	static bool seeded;

	if (!seeded) {
		struct timespec t;

		clock_gettime(CLOCK_REALTIME, &t);
		srandom((unsigned int)(t.tv_nsec ^ t.tv_sec ^ (getpid() << 16)));
		seeded = true;
	}
	return (uint32_t)random();
}
