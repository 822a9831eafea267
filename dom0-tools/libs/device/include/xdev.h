/*
 * xdev.h - the xenstore nodes of a PV guest's split devices (libd0device.a):
 * what a toolstack writes to give a guest a disk (vbd) or a network
 * interface (vif), laid out as Xen 4.17's libxl lays them out
 * (docs/split-drivers.md "Node layout"), from the specs the xl.cfg parser
 * read (xlcfg.h).
 *
 * Pure code: no xenstore connection, no devices. The caller writes the
 * list it gets back (one transaction: each directory with its
 * permissions first, then its nodes), and removes the two directories
 * (xdev_nodes.frontend, xdev_nodes.backend) to take the device away.
 *
 *   struct xdev_nodes n;
 *   char err[XDEV_ERR_MAX];
 *   if (xdev_vbd_nodes(&cfg->disks[i], domid, 0, &n, err, sizeof(err)) < 0)
 *       fail(err);
 *   for (k = 0; k < n.count; k++)
 *       write n.node[k].path = n.node[k].value with n.node[k].perms
 *   xdev_nodes_free(&n);
 *
 * Functions return 0 or a negative errno (-EINVAL: the spec cannot be
 * laid out, with one line in ERR that names the device; -ENOMEM).
 */
#ifndef XDEV_H
#define XDEV_H

#include <stddef.h>
#include <stdint.h>

#include "xlcfg.h"

#define XDEV_ERR_MAX	256
#define XDEV_PATH_MAX	128	/* the longest path this library makes */

/* xenstore's permission letters: none, read, write, both */
enum xdev_perm { XDEV_PERM_NONE = 'n', XDEV_PERM_READ = 'r',
		 XDEV_PERM_WRITE = 'w', XDEV_PERM_BOTH = 'b' };

/*
 * A node's permission list as xenstored keeps it: the first entry names
 * the owner (who may do anything) and what every other domain may do,
 * the second one domain's access. Every node here has exactly two.
 */
struct xdev_perms {
	uint32_t owner;
	enum xdev_perm others;
	uint32_t peer;
	enum xdev_perm peer_perm;
};

struct xdev_node {
	char path[XDEV_PATH_MAX];
	char *value;			/* "" for a directory */
	struct xdev_perms perms;
};

struct xdev_nodes {
	char frontend[XDEV_PATH_MAX];	/* /local/domain/D/device/KIND/DEVID */
	char backend[XDEV_PATH_MAX];	/* /local/domain/B/backend/KIND/D/DEVID */
	uint32_t devid;
	size_t count, cap;
	struct xdev_node *node;
};

/*
 * Xen's device number for a virtual disk name (xen-vbd-interface(7)):
 * xvdX[N] (X: a-z, aa-zz, ... up to 2^20 disks; N: partition), sdX[N]
 * (16 disks, 15 partitions), hdX[N] (hda-hdd, 63 partitions), dDpP (the
 * xvd numbering by numbers). Disks 0-15 with partitions 0-15 of xvd
 * use major 202, the others the extended form (1 << 28 | disk << 8 |
 * partition). Returns 0 with the number in *DEVNUM, -EINVAL for a name
 * that is none of these (leading zeros, partitions or disks past the
 * scheme's range, trailing characters).
 */
int xdev_vbd_number(const char *vdev, uint32_t *devnum);

/*
 * The nodes of DISK as frontend of DOMID with the backend in BE_DOMID:
 * backend/vbd/DOMID/DEVNUM (params, mode, type, script, ...) and
 * device/vbd/DEVNUM (virtual-device, backend, ...), both at state 1
 * (XenbusStateInitialising). Refused: an empty cdrom (nothing to serve)
 * and qdisk or non-raw disks (only Linux's blkback is served).
 */
int xdev_vbd_nodes(const struct xl_disk *disk, uint32_t domid,
		   uint32_t be_domid, struct xdev_nodes *out,
		   char *err, size_t errlen);

/*
 * The nodes of VIF as frontend of DOMID (backend/vif/DOMID/DEVID and
 * device/vif/DEVID, DEVID = vif->devid). A vif without a MAC gets one
 * from 00:16:3e (Xen's prefix) made from MAC_SEED (the caller's random
 * bytes; the low 3 used).
 */
int xdev_vif_nodes(const struct xl_vif *vif, uint32_t domid,
		   uint32_t be_domid, uint32_t mac_seed,
		   struct xdev_nodes *out, char *err, size_t errlen);

/* "n0,r1": the permissions as xenstore-ls -p and xenstore-chmod write
 * them; returns OUT. OUT needs XDEV_PERMS_STR bytes. */
#define XDEV_PERMS_STR	32
char *xdev_perms_str(const struct xdev_perms *p, char *out);

/* Frees what xdev_*_nodes put in N (not N itself); N may be empty. */
void xdev_nodes_free(struct xdev_nodes *n);

#endif /* XDEV_H */
