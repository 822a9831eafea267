/*
 * xl_xsnodes.c - the xenstore nodes of a new PV domain, laid out as Xen
 * 4.17's libxl lays them out (recorded from Xen's own xl in
 * tests/integration/xlcreate/xen-4.17-nodes.golden; the unit test
 * compares our list with it).
 *
 * Four trees: /local/domain/N (the guest's own: readable by it, with the
 * nodes it writes itself - control/shutdown's answer, data, drivers,
 * feature, attr, error - owned by it), /vm/UUID (name, uuid, the image,
 * start_time), /libxl/N (the toolstack's private notes: Dom0 only) and
 * the console's backend directory under /local/domain/0/backend. Each
 * node is written with its permissions, so nothing depends on what
 * xenstored gives an implicitly created parent. console/tty is not ours:
 * xenconsoled writes it once it has a pty.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xl.h"

#define XL_XSNODES_MAX (2 * 128 + 96)	/* cpu/N twice per vCPU, and the rest */
#define XL_CONSOLE_LIMIT "1048576"	/* libxl's default console buffer */

struct builder {
	struct xl_xsnode *nodes;
	unsigned int n;
	uint32_t domid;
	bool overflow;
};

/* perms: "ro" = Dom0 owns, the guest reads; "rw" = the guest owns;
 * "dom0" = Dom0 only; "be" = the guest owns, the backend (Dom0) reads. */
static void add(struct builder *b, const char *perms, const char *value, const char *fmt, ...)
{
	struct xl_xsnode *x;
	va_list ap;

	if (b->n >= XL_XSNODES_MAX) {
		b->overflow = true;
		return;
	}
	x = &b->nodes[b->n++];
	memset(x, 0, sizeof(*x));
	va_start(ap, fmt);
	vsnprintf(x->path, sizeof(x->path), fmt, ap);
	va_end(ap);
	snprintf(x->value, sizeof(x->value), "%s", value);
	if (!strcmp(perms, "rw")) {
		x->perms[0] = (struct xl_xsperm){ 'n', b->domid };
		x->n_perms = 1;
	} else if (!strcmp(perms, "dom0")) {
		x->perms[0] = (struct xl_xsperm){ 'n', 0 };
		x->n_perms = 1;
	} else if (!strcmp(perms, "be")) {
		x->perms[0] = (struct xl_xsperm){ 'n', b->domid };
		x->perms[1] = (struct xl_xsperm){ 'r', 0 };
		x->n_perms = 2;
	} else {
		x->perms[0] = (struct xl_xsperm){ 'n', 0 };
		x->perms[1] = (struct xl_xsperm){ 'r', b->domid };
		x->n_perms = 2;
	}
}

static void local_domain(struct builder *b, const struct xl_xsdomain *d, const char *vm)
{
	const char *dp = "/local/domain";
	uint32_t id = d->domid;
	char num[32];

	add(b, "ro", "", "%s/%u", dp, id);
	add(b, "ro", vm, "%s/%u/vm", dp, id);
	add(b, "ro", d->name, "%s/%u/name", dp, id);
	add(b, "ro", "", "%s/%u/cpu", dp, id);
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		add(b, "ro", "", "%s/%u/cpu/%u", dp, id, i);
		add(b, "ro", i < d->vcpus ? "online" : "offline", "%s/%u/cpu/%u/availability", dp,
		    id, i);
	}
	add(b, "ro", "", "%s/%u/memory", dp, id);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)d->max_kb);
	add(b, "ro", num, "%s/%u/memory/static-max", dp, id);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)d->target_kb);
	add(b, "ro", num, "%s/%u/memory/target", dp, id);
	add(b, "ro", "0", "%s/%u/memory/videoram", dp, id);
	add(b, "ro", "", "%s/%u/device", dp, id);
	add(b, "ro", "", "%s/%u/device/suspend", dp, id);
	add(b, "rw", "", "%s/%u/device/suspend/event-channel", dp, id);
	add(b, "ro", "", "%s/%u/control", dp, id);
	add(b, "rw", "", "%s/%u/control/shutdown", dp, id);
	add(b, "rw", "", "%s/%u/control/feature-poweroff", dp, id);
	add(b, "rw", "", "%s/%u/control/feature-reboot", dp, id);
	add(b, "rw", "", "%s/%u/control/feature-suspend", dp, id);
	add(b, "rw", "", "%s/%u/control/sysrq", dp, id);
	add(b, "ro", "1", "%s/%u/control/platform-feature-multiprocessor-suspend", dp, id);
	add(b, "ro", "1", "%s/%u/control/platform-feature-xs_reset_watches", dp, id);
	add(b, "rw", "", "%s/%u/data", dp, id);
	add(b, "rw", "", "%s/%u/drivers", dp, id);
	add(b, "rw", "", "%s/%u/feature", dp, id);
	add(b, "rw", "", "%s/%u/attr", dp, id);
	add(b, "rw", "", "%s/%u/error", dp, id);
	snprintf(num, sizeof(num), "%u", id);
	add(b, "ro", num, "%s/%u/domid", dp, id);
	add(b, "ro", "", "%s/%u/store", dp, id);
	snprintf(num, sizeof(num), "%u", d->store_port);
	add(b, "ro", num, "%s/%u/store/port", dp, id);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)d->store_mfn);
	add(b, "ro", num, "%s/%u/store/ring-ref", dp, id);
}

static void console(struct builder *b, const struct xl_xsdomain *d)
{
	char be[64], fe[64], num[32];
	uint32_t id = d->domid;

	snprintf(be, sizeof(be), "/local/domain/0/backend/console/%u/0", id);
	snprintf(fe, sizeof(fe), "/local/domain/%u/console", id);
	add(b, "ro", "", "%s", fe);
	add(b, "ro", be, "%s/backend", fe);
	add(b, "be", "0", "%s/backend-id", fe);
	add(b, "ro", XL_CONSOLE_LIMIT, "%s/limit", fe);
	add(b, "ro", "xenconsoled", "%s/type", fe);
	add(b, "ro", "pty", "%s/output", fe);
	snprintf(num, sizeof(num), "%u", d->console_port);
	add(b, "ro", num, "%s/port", fe);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)d->console_mfn);
	add(b, "ro", num, "%s/ring-ref", fe);
}

static void vm(struct builder *b, const struct xl_xsdomain *d, const char *vm,
	       const char *uuid)
{
	char t[40];

	add(b, "ro", "", "%s", vm);
	add(b, "ro", d->name, "%s/name", vm);
	add(b, "ro", uuid, "%s/uuid", vm);
	add(b, "ro", "", "%s/image", vm);
	add(b, "ro", "linux", "%s/image/ostype", vm);
	if (d->kernel)
		add(b, "ro", d->kernel, "%s/image/kernel", vm);
	if (d->ramdisk)
		add(b, "ro", d->ramdisk, "%s/image/ramdisk", vm);
	if (d->cmdline)
		add(b, "ro", d->cmdline, "%s/image/cmdline", vm);
	snprintf(t, sizeof(t), "%.2f", d->start_time);
	add(b, "ro", t, "%s/start_time", vm);
}

/* The console device as libxl records it (frontend and backend ends). */
static void console_device(struct builder *b, const struct xl_xsdomain *d, const char *dir,
			   const char *perms)
{
	char num[16];
	uint32_t id = d->domid;

	add(b, perms, "", "%s", dir);
	add(b, perms, "", "%s/frontend", dir);
	snprintf(b->nodes[b->n - 1].value, XL_XSNODE_VAL, "/local/domain/%u/console", id);
	if (!strcmp(perms, "dom0")) {
		add(b, perms, "", "%s/backend", dir);
		snprintf(b->nodes[b->n - 1].value, XL_XSNODE_VAL,
			 "/local/domain/0/backend/console/%u/0", id);
	}
	snprintf(num, sizeof(num), "%u", id);
	add(b, perms, num, "%s/frontend-id", dir);
	add(b, perms, "1", "%s/online", dir);
	add(b, perms, "1", "%s/state", dir);
	add(b, perms, "vt100", "%s/protocol", dir);
}

static void libxl_dir(struct builder *b, const struct xl_xsdomain *d)
{
	char dir[64];
	uint32_t id = d->domid;

	add(b, "dom0", "", "/libxl/%u", id);
	add(b, "dom0", "", "/libxl/%u/device", id);
	add(b, "dom0", "", "/libxl/%u/device/console", id);
	snprintf(dir, sizeof(dir), "/libxl/%u/device/console/0", id);
	console_device(b, d, dir, "dom0");
	add(b, "dom0", "pv", "/libxl/%u/type", id);
	add(b, "dom0", "qemu_xen", "/libxl/%u/dm-version", id);
	add(b, "dom0", "", "/local/domain/0/backend/console/%u", id);
	snprintf(dir, sizeof(dir), "/local/domain/0/backend/console/%u/0", id);
	console_device(b, d, dir, "ro");
}

int xl_xsnodes(const struct xl_xsdomain *d, struct xl_xsnode **out)
{
	struct builder b = { .domid = d->domid };
	char uuid[37], vmpath[64];

	*out = NULL;
	b.nodes = calloc(XL_XSNODES_MAX, sizeof(*b.nodes));
	if (!b.nodes)
		return -ENOMEM;
	xl_uuid_str(d->uuid, uuid);
	snprintf(vmpath, sizeof(vmpath), "/vm/%s", uuid);
	local_domain(&b, d, vmpath);
	console(&b, d);
	vm(&b, d, vmpath, uuid);
	libxl_dir(&b, d);
	if (b.overflow) {	/* more vCPUs than the table holds */
		free(b.nodes);
		return -E2BIG;
	}
	*out = b.nodes;
	return (int)b.n;
}

unsigned int xl_xsnodes_roots(uint32_t domid, const uint8_t uuid[16], char roots[4][64])
{
	static const uint8_t none[16];
	unsigned int n = 0;
	char u[37];

	snprintf(roots[n++], 64, "/local/domain/%u", domid);
	snprintf(roots[n++], 64, "/libxl/%u", domid);
	snprintf(roots[n++], 64, "/local/domain/0/backend/console/%u", domid);
	if (memcmp(uuid, none, 16)) {
		xl_uuid_str(uuid, u);
		snprintf(roots[n++], 64, "/vm/%s", u);
	}
	return n;
}
