/*
 * xdev_vif.c - a virtual network interface's nodes, as Xen 4.17's libxl
 * writes them for a PV guest served by Linux's netback: the backend
 * directory names the bridge and the hotplug script that puts the vif on
 * it, both directories carry the guest's MAC and the handle
 * (docs/split-drivers.md "Node layout").
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "xdev_priv.h"

#define XDEV_SCRIPT_DIR		"/etc/xen/scripts"
#define XDEV_DEFAULT_BRIDGE	"xenbr0"
/* Xen's organisationally unique identifier, for MACs the toolstack makes */
#define XEN_OUI0 0x00
#define XEN_OUI1 0x16
#define XEN_OUI2 0x3e

static int check_vif(const struct xl_vif *v, char *err, size_t errlen)
{
	if (v->type == XL_VIF_TYPE_IOEMU)
		return xdev_err(err, errlen, "vif %u: type=ioemu needs a device model; PV guests get type=vif", v->devid);
	if (v->backend)
		return xdev_err(err, errlen, "vif %u: backend domains other than Dom0 are not supported", v->devid);
	if (v->model)
		return xdev_err(err, errlen, "vif %u: model= is for emulated NICs, not PV vifs", v->devid);
	return 0;
}

static void vif_mac(const struct xl_vif *v, uint32_t seed, char out[18])
{
	uint8_t m[6] = { XEN_OUI0, XEN_OUI1, XEN_OUI2,
			 (uint8_t)(seed >> 16), (uint8_t)(seed >> 8), (uint8_t)seed };

	if (v->has_mac)
		memcpy(m, v->mac, sizeof(m));
	/* the top bit of the 4th byte clear keeps made MACs apart from the
	 * ones Xen reserves for its own use */
	else
		m[3] &= 0x7f;
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static int backend_nodes(struct xdev_nodes *n, const struct xl_vif *v,
			 uint32_t domid, uint32_t be, const char *mac)
{
	const char *script = v->script ? v->script : "vif-bridge";
	const char *sdir = script[0] == '/' ? "" : XDEV_SCRIPT_DIR "/";
	int rc = 0;

#define B(name, ...) if (!rc) rc = xdev_add(n, XDEV_BACK, domid, be, name, __VA_ARGS__)
	B("frontend", "%s", n->frontend);
	B("frontend-id", "%u", domid);
	B("online", "1");
	B("state", "%d", XDEV_STATE_INITIALISING);
	B("script", "%s%s", sdir, script);
	if (v->vifname)
		B("vifname", "%s", v->vifname);
	B("mac", "%s", mac);
	if (v->ip)
		B("ip", "%s", v->ip);
	if (v->rate_interval_us)
		B("rate", "%" PRIu64 ",%" PRIu32, v->rate_bytes_per_interval, v->rate_interval_us);
	if (v->mtu)
		B("mtu", "%u", v->mtu);
	B("bridge", "%s", v->bridge ? v->bridge : XDEV_DEFAULT_BRIDGE);
	B("handle", "%u", v->devid);
	B("type", "vif");
#undef B
	return rc;
}

static int frontend_nodes(struct xdev_nodes *n, const struct xl_vif *v,
			  uint32_t domid, uint32_t be, const char *mac)
{
	int rc = 0;

#define F(name, ...) if (!rc) rc = xdev_add(n, XDEV_FRONT, domid, be, name, __VA_ARGS__)
	F("backend", "%s", n->backend);
	F("backend-id", "%u", be);
	F("state", "%d", XDEV_STATE_INITIALISING);
	F("handle", "%u", v->devid);
	F("mac", "%s", mac);
	F("trusted", "%d", v->untrusted ? 0 : 1);
#undef F
	return rc;
}

int xdev_vif_nodes(const struct xl_vif *vif, uint32_t domid,
		   uint32_t be_domid, uint32_t mac_seed,
		   struct xdev_nodes *out, char *err, size_t errlen)
{
	char mac[18];
	int rc;

	memset(out, 0, sizeof(*out));
	if (!vif)
		return xdev_err(err, errlen, "no vif given");
	rc = check_vif(vif, err, errlen);
	if (rc)
		return rc;
	vif_mac(vif, mac_seed, mac);
	rc = xdev_dirs(out, "vif", domid, be_domid, vif->devid);
	if (!rc)
		rc = xdev_add_dir(out, XDEV_FRONT, domid, be_domid);
	if (!rc)
		rc = frontend_nodes(out, vif, domid, be_domid, mac);
	if (!rc)
		rc = xdev_add_dir(out, XDEV_BACK, domid, be_domid);
	if (!rc)
		rc = backend_nodes(out, vif, domid, be_domid, mac);
	if (rc) {
		xdev_nodes_free(out);
		xdev_err(err, errlen, "vif %u: %s", vif->devid, strerror(-rc));
	}
	return rc;
}
