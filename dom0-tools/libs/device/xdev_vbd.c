/*
 * xdev_vbd.c - a virtual block device's nodes, as Xen 4.17's libxl writes
 * them for a PV guest served by Linux's blkback: the backend directory
 * carries what Dom0's side needs (params, mode, the hotplug script that
 * turns params into physical-device), the frontend directory what the
 * guest's blkfront reads (virtual-device, the backend's path). The
 * backend driver and the hotplug helper add their own nodes later
 * (docs/split-drivers.md "Node layout").
 */
#include <errno.h>
#include <string.h>

#include "xdev_priv.h"

#define XDEV_SCRIPT_DIR	"/etc/xen/scripts"
/* A 64-bit PV guest's ring layout (blkif.h's protocol names) */
#define XDEV_PROTOCOL	"x86_64-abi"

static int check_disk(const struct xl_disk *d, char *err, size_t errlen)
{
	const char *v = d->vdev ? d->vdev : "(no vdev)";

	if (!d->vdev)
		return xdev_err(err, errlen, "disk without a vdev");
	if (d->cdrom)
		return xdev_err(err, errlen, "disk %s: cdrom devices are not served to PV guests", v);
	if (!d->target || !d->target[0])
		return xdev_err(err, errlen, "disk %s: no target (an image file or a block device)", v);
	if (d->format != XL_DISK_FORMAT_RAW)
		return xdev_err(err, errlen, "disk %s: format %s needs qdisk; only raw disks are served (blkback)",
				v, xl_disk_format_name(d->format));
	if (d->backendtype == XL_DISK_BACKEND_QDISK || d->backendtype == XL_DISK_BACKEND_STANDALONE)
		return xdev_err(err, errlen, "disk %s: backendtype %s is not served; use phy (blkback)",
				v, d->backendtype == XL_DISK_BACKEND_QDISK ? "qdisk" : "standalone");
	if (d->virtio)
		return xdev_err(err, errlen, "disk %s: specification=virtio is not served to PV guests", v);
	if (d->backend)
		return xdev_err(err, errlen, "disk %s: backend domains other than Dom0 are not supported", v);
	return 0;
}

static int backend_nodes(struct xdev_nodes *n, const struct xl_disk *d,
			 uint32_t domid, uint32_t be)
{
	const char *script = d->script ? d->script : "block";
	const char *sdir = script[0] == '/' ? "" : XDEV_SCRIPT_DIR "/";
	int rc = 0;

#define B(name, ...) if (!rc) rc = xdev_add(n, XDEV_BACK, domid, be, name, __VA_ARGS__)
	B("frontend", "%s", n->frontend);
	B("params", "%s", d->target);
	B("script", "%s%s", sdir, script);
	B("frontend-id", "%u", domid);
	B("online", "1");
	B("removable", "0");
	B("bootable", "1");
	B("state", "%d", XDEV_STATE_INITIALISING);
	B("dev", "%s", d->vdev);
	B("type", "phy");
	B("mode", "%s", d->readonly ? "r" : "w");
	B("device-type", "disk");
	/* discard on by default, never for a read-only disk */
	B("discard-enable", "%d", d->no_discard || d->readonly ? 0 : 1);
	B("specification", "xen");
	/* direct-io-safe is a hint for QEMU's qdisk: blkback has no use for it */
#undef B
	return rc;
}

static int frontend_nodes(struct xdev_nodes *n, const struct xl_disk *d,
			  uint32_t domid, uint32_t be)
{
	int rc = 0;

#define F(name, ...) if (!rc) rc = xdev_add(n, XDEV_FRONT, domid, be, name, __VA_ARGS__)
	F("backend", "%s", n->backend);
	F("backend-id", "%u", be);
	F("state", "%d", XDEV_STATE_INITIALISING);
	F("virtual-device", "%u", n->devid);
	F("device-type", "disk");
	F("trusted", "%d", d->untrusted ? 0 : 1);
	F("protocol", XDEV_PROTOCOL);
#undef F
	return rc;
}

int xdev_vbd_nodes(const struct xl_disk *disk, uint32_t domid,
		   uint32_t be_domid, struct xdev_nodes *out,
		   char *err, size_t errlen)
{
	uint32_t devnum;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!disk)
		return xdev_err(err, errlen, "no disk given");
	rc = check_disk(disk, err, errlen);
	if (rc)
		return rc;
	if (xdev_vbd_number(disk->vdev, &devnum))
		return xdev_err(err, errlen,
				"disk %s: not a virtual disk name (xvdX[N], sdX[N], hdX[N], dDpP)",
				disk->vdev);
	rc = xdev_dirs(out, "vbd", domid, be_domid, devnum);
	/* libxl's order: the frontend first, then the backend */
	if (!rc)
		rc = xdev_add_dir(out, XDEV_FRONT, domid, be_domid);
	if (!rc)
		rc = frontend_nodes(out, disk, domid, be_domid);
	if (!rc)
		rc = xdev_add_dir(out, XDEV_BACK, domid, be_domid);
	if (!rc)
		rc = backend_nodes(out, disk, domid, be_domid);
	if (rc) {
		xdev_nodes_free(out);
		if (rc != -EINVAL)
			xdev_err(err, errlen, "disk %s: %s", disk->vdev, strerror(-rc));
	}
	return rc;
}
