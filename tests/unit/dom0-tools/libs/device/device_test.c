/*
 * device_test.c - unit tests of the device node library
 * (dom0-tools/libs/device, include/xdev.h): Xen's virtual disk numbering
 * for good and bad names, the vbd and vif node lists against the layout
 * Xen 4.17's own xl wrote for the same xl.cfg specs (the golden file,
 * argv[1], recorded by images-split-xen-layout), and the specs refused.
 *
 * The golden holds everything in the devices' directories: libxl's nodes,
 * and those the backend drivers and the hotplug helper added after it.
 * Every node of ours must be there with the same value and permissions
 * (the backend's state excepted: blkback and netback move it from 1 to 2
 * at once); every golden node that is not ours must be one the drivers or
 * the helper write.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "xdev.h"
#include "xlcfg.h"

/* The same specs as tests/integration/split/xen-layout.sh gives Xen's xl. */
static const char layout_cfg[] =
	"name = \"splitlayout\"\n"
	"kernel = \"/tests/domu-kernel\"\n"
	"memory = 192\n"
	"disk = [ 'format=raw, vdev=xvda, access=rw, target=/tmp/disk.img',\n"
	"	 'file:/tmp/disk2.img,xvdb,r' ]\n"
	"vif = [ 'mac=00:16:3e:12:34:56, bridge=xenbr0',\n"
	"	'mac=00:16:3e:00:00:02, bridge=xenbr0, ip=10.0.0.5, rate=10Mb/s, mtu=1400, vifname=guestnet, untrusted' ]\n";

#define LAYOUT_DOMID 1

static const char *golden_path;

struct gnode {
	char path[XDEV_PATH_MAX];
	char value[256];
	char perms[XDEV_PERMS_STR];
	int seen;
};

static struct gnode golden[256];
static size_t n_golden;

/* Lines as our xenstore-ls -f -p prints them: PATH = "VALUE"  (PERMS) */
static void load_golden(void)
{
	char line[1024];
	FILE *f;

	if (n_golden)
		return;
	f = fopen(golden_path, "r");
	if (!f)
		fail_msg("cannot open the golden file %s", golden_path);
	while (fgets(line, sizeof(line), f)) {
		struct gnode *g;
		char *eq, *q2, *po, *pc;

		if (line[0] != '/')
			continue;	/* the hotplug calls */
		eq = strstr(line, " = \"");
		q2 = eq ? strrchr(eq + 4, '"') : NULL;
		po = q2 ? strstr(q2, "(") : NULL;
		pc = po ? strchr(po, ')') : NULL;
		if (!pc)
			fail_msg("bad golden line: %s", line);
		assert_true(n_golden < sizeof(golden) / sizeof(golden[0]));
		g = &golden[n_golden++];
		snprintf(g->path, sizeof(g->path), "%.*s", (int)(eq - line), line);
		snprintf(g->value, sizeof(g->value), "%.*s", (int)(q2 - eq - 4), eq + 4);
		snprintf(g->perms, sizeof(g->perms), "%.*s", (int)(pc - po - 1), po + 1);
	}
	fclose(f);
	assert_true(n_golden > 40);
}

static struct gnode *golden_find(const char *path)
{
	size_t i;

	for (i = 0; i < n_golden; i++)
		if (strcmp(golden[i].path, path) == 0)
			return &golden[i];
	return NULL;
}

/* Nodes the backend drivers (blkback, netback) or the hotplug helper
 * write into the device's directories, not the toolstack. */
static int written_by_others(const char *dir_rel, const char *name)
{
	static const char *const be[] = {
		"hotplug-status", "physical-device", "physical-device-path", "node",
		"multi-queue-max-queues", "max-ring-page-order", NULL,
	};
	size_t i;

	if (strcmp(dir_rel, "frontend") == 0)
		return strcmp(name, "mtu") == 0;	/* vif-bridge, the bridge's MTU */
	if (strncmp(name, "feature-", 8) == 0)
		return 1;
	for (i = 0; be[i]; i++)
		if (strcmp(name, be[i]) == 0)
			return 1;
	return 0;
}

/* Ours against the golden, both ways, within N's two directories. */
static void check_against_golden(const struct xdev_nodes *n)
{
	char ps[XDEV_PERMS_STR];
	size_t i, fl = strlen(n->frontend), bl = strlen(n->backend);

	load_golden();
	for (i = 0; i < n_golden; i++)
		golden[i].seen = 0;
	for (i = 0; i < n->count; i++) {
		const struct xdev_node *x = &n->node[i];
		struct gnode *g = golden_find(x->path);
		const char *leaf = strrchr(x->path, '/') + 1;

		if (!g)
			fail_msg("%s is ours but not in Xen's layout", x->path);
		g->seen = 1;
		xdev_perms_str(&x->perms, ps);
		if (strcmp(g->perms, ps) != 0)
			fail_msg("%s: permissions %s, Xen's %s", x->path, ps, g->perms);
		if (strcmp(leaf, "state") == 0 && strncmp(x->path, n->backend, bl) == 0) {
			assert_string_equal(x->value, "1");
			assert_string_equal(g->value, "2");	/* the driver's InitWait */
			continue;
		}
		if (strcmp(g->value, x->value) != 0)
			fail_msg("%s = \"%s\", Xen's \"%s\"", x->path, x->value, g->value);
	}
	for (i = 0; i < n_golden; i++) {
		const struct gnode *g = &golden[i];
		int front = strncmp(g->path, n->frontend, fl) == 0 &&
			    (g->path[fl] == '/' || !g->path[fl]);
		int back = strncmp(g->path, n->backend, bl) == 0 &&
			   (g->path[bl] == '/' || !g->path[bl]);

		if ((!front && !back) || g->seen)
			continue;
		if (!written_by_others(front ? "frontend" : "backend", strrchr(g->path, '/') + 1))
			fail_msg("Xen's xl wrote %s = \"%s\"; we do not", g->path, g->value);
	}
}

static struct xl_domain_config *layout_config(void)
{
	struct xl_domain_config *cfg = NULL;
	char err[XLCFG_ERR_MAX];

	if (xlcfg_parse("layout.cfg", layout_cfg, strlen(layout_cfg), NULL, 0, &cfg, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(cfg->n_disks, 2);
	assert_int_equal(cfg->n_vifs, 2);
	return cfg;
}

static void test_vbd_golden(void **state)
{
	struct xl_domain_config *cfg = layout_config();
	struct xdev_nodes n;
	char err[XDEV_ERR_MAX];
	unsigned i;
	(void)state;

	for (i = 0; i < cfg->n_disks; i++) {
		assert_int_equal(xdev_vbd_nodes(&cfg->disks[i], LAYOUT_DOMID, 0, &n, err, sizeof(err)), 0);
		assert_int_equal(n.devid, i == 0 ? 51712 : 51728);
		check_against_golden(&n);
		xdev_nodes_free(&n);
	}
	xl_domain_config_free(cfg);
}

static void test_vif_golden(void **state)
{
	struct xl_domain_config *cfg = layout_config();
	struct xdev_nodes n;
	char err[XDEV_ERR_MAX];
	unsigned i;
	(void)state;

	for (i = 0; i < cfg->n_vifs; i++) {
		assert_int_equal(xdev_vif_nodes(&cfg->vifs[i], LAYOUT_DOMID, 0, 0, &n, err, sizeof(err)), 0);
		assert_int_equal(n.devid, i);
		check_against_golden(&n);
		xdev_nodes_free(&n);
	}
	xl_domain_config_free(cfg);
}

/* The golden must itself be complete: both devices of each kind, with
 * what the drivers and the helper added (else the comparison above
 * would pass on a half-empty file). */
static void test_golden_complete(void **state)
{
	static const char *const must[] = {
		"/local/domain/0/backend/vbd/1/51712/physical-device",
		"/local/domain/0/backend/vbd/1/51728/hotplug-status",
		"/local/domain/0/backend/vif/1/0/hotplug-status",
		"/local/domain/0/backend/vif/1/1/vifname",
		"/local/domain/1/device/vbd/51728/virtual-device",
		"/local/domain/1/device/vif/1/mac",
		NULL,
	};
	unsigned i;
	(void)state;

	load_golden();
	for (i = 0; must[i]; i++)
		if (!golden_find(must[i]))
			fail_msg("%s missing from the golden file", must[i]);
}

struct vdev_case {
	const char *name;
	uint32_t num;
};

static void test_vdev_numbers(void **state)
{
	static const struct vdev_case ok[] = {
		{ "xvda", 51712 }, { "xvdb", 51728 }, { "xvda1", 51713 },
		{ "xvda15", 51727 }, { "xvdp", 51952 }, { "xvdp15", 51967 },
		/* past 16 disks or 15 partitions: 1 << 28 | disk << 8 | part */
		{ "xvdq", (1u << 28) | (16u << 8) }, { "xvda16", (1u << 28) | 16u },
		{ "xvdz", (1u << 28) | (25u << 8) }, { "xvdaa", (1u << 28) | (26u << 8) },
		{ "xvdzz", (1u << 28) | (701u << 8) }, { "xvdaaa", (1u << 28) | (702u << 8) },
		{ "xvda255", (1u << 28) | 255u },
		{ "xvdbgqcv", (1u << 28) | (1048575u << 8) },	/* the last disk */
		{ "sda", 2048 }, { "sdb", 2064 }, { "sda1", 2049 }, { "sdp15", 2303 },
		{ "hda", 768 }, { "hdb", 832 }, { "hdc", 5632 }, { "hdd", 5696 },
		{ "hda1", 769 }, { "hdd63", 5759 },
		{ "d0p0", 51712 }, { "d0p1", 51713 }, { "d1p2", 51730 },
		{ "d16p0", (1u << 28) | (16u << 8) }, { "d0p16", (1u << 28) | 16u },
		{ "d1048575p255", (1u << 28) | (1048575u << 8) | 255u },
	};
	uint32_t num;
	unsigned i;
	(void)state;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		num = 0;
		if (xdev_vbd_number(ok[i].name, &num) != 0)
			fail_msg("%s refused", ok[i].name);
		if (num != ok[i].num)
			fail_msg("%s: %u, want %u", ok[i].name, num, ok[i].num);
	}
}

static void test_vdev_bad_names(void **state)
{
	static const char *const bad[] = {
		"", "xvd", "xvda0x", "xvda01", "xvda256", "xvdA", "xvd1", "xvda-1",
		"xvda+1", "xvda 1", " xvda", "xvda ", "vda",
		"xvdbgqcw",	/* disk 2^20, one past the last */
		"sd", "sdq", "sda16", "sda01", "hde", "hda64", "hd", "d", "dp1",
		"d0", "d0p", "dxp1", "d01p1", "d0p01", "d0p256", "d1048576p0",
		"d-1p1", "d0p1x", "51712", "xvdaa99999999999999999999",
	};
	uint32_t num = 77;
	unsigned i;
	(void)state;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (xdev_vbd_number(bad[i], &num) != -EINVAL)
			fail_msg("\"%s\" accepted (%u)", bad[i], num);
	assert_int_equal(xdev_vbd_number(NULL, &num), -EINVAL);
	assert_int_equal(xdev_vbd_number("xvda", NULL), -EINVAL);
}

/* One disk spec through the parser, then the library; its error line. */
static int vbd_err(const char *spec, char *err, size_t errlen)
{
	char text[512];
	struct xl_domain_config *cfg = NULL;
	struct xdev_nodes n;
	char perr[XLCFG_ERR_MAX];
	int rc;

	snprintf(text, sizeof(text), "name=\"g\"\nkernel=\"/k\"\ndisk=['%s']\n", spec);
	if (xlcfg_parse("t.cfg", text, strlen(text), NULL, 0, &cfg, perr, sizeof(perr)))
		fail_msg("parser refused %s: %s", spec, perr);
	rc = xdev_vbd_nodes(&cfg->disks[0], 3, 0, &n, err, errlen);
	if (rc == 0)
		xdev_nodes_free(&n);
	else
		assert_int_equal(n.count, 0);
	xl_domain_config_free(cfg);
	return rc;
}

static void test_vbd_refused(void **state)
{
	static const struct { const char *spec, *msg; } cases[] = {
		{ "/img,qcow2,xvda,w", "disk xvda: format qcow2 needs qdisk; only raw disks are served (blkback)" },
		{ "/img,raw,xvda,w,backendtype=qdisk", "disk xvda: backendtype qdisk is not served; use phy (blkback)" },
		{ "/img,raw,hdc,r,devtype=cdrom", "disk hdc: cdrom devices are not served to PV guests" },
		{ "/img,raw,xvda01,w", "disk xvda01: not a virtual disk name (xvdX[N], sdX[N], hdX[N], dDpP)" },
		{ "/img,raw,hde,w", "disk hde: not a virtual disk name (xvdX[N], sdX[N], hdX[N], dDpP)" },
		{ "/img,raw,xvda,w,backend=driverdom", "disk xvda: backend domains other than Dom0 are not supported" },
	};
	char err[XDEV_ERR_MAX];
	unsigned i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_int_equal(vbd_err(cases[i].spec, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, cases[i].msg);
	}
	assert_int_equal(xdev_vbd_nodes(NULL, 1, 0, &(struct xdev_nodes){ 0 }, err, sizeof(err)), -EINVAL);
}

/* Options the golden does not hold: a script by name and by path, no
 * discard, an untrusted disk, another backend domain's permissions. */
static const char *value_of(const struct xdev_nodes *n, const char *path)
{
	size_t i;

	for (i = 0; i < n->count; i++)
		if (strcmp(n->node[i].path, path) == 0)
			return n->node[i].value;
	return NULL;
}

static void test_vbd_options(void **state)
{
	struct xl_disk d = { .target = "/dev/sdb", .vdev = "xvdc", .readonly = false,
			     .no_discard = true, .untrusted = true, .script = "block-custom" };
	struct xdev_nodes n;
	char err[XDEV_ERR_MAX], ps[XDEV_PERMS_STR];
	(void)state;

	assert_int_equal(xdev_vbd_nodes(&d, 7, 0, &n, err, sizeof(err)), 0);
	assert_string_equal(n.frontend, "/local/domain/7/device/vbd/51744");
	assert_string_equal(n.backend, "/local/domain/0/backend/vbd/7/51744");
	assert_string_equal(value_of(&n, "/local/domain/0/backend/vbd/7/51744/script"),
			    "/etc/xen/scripts/block-custom");
	assert_string_equal(value_of(&n, "/local/domain/0/backend/vbd/7/51744/discard-enable"), "0");
	assert_string_equal(value_of(&n, "/local/domain/0/backend/vbd/7/51744/mode"), "w");
	assert_string_equal(value_of(&n, "/local/domain/0/backend/vbd/7/51744/params"), "/dev/sdb");
	assert_string_equal(value_of(&n, "/local/domain/7/device/vbd/51744/trusted"), "0");
	assert_string_equal(xdev_perms_str(&n.node[0].perms, ps), "n7,r0");
	xdev_nodes_free(&n);

	d.script = "/opt/block-x";
	assert_int_equal(xdev_vbd_nodes(&d, 7, 4, &n, err, sizeof(err)), 0);
	assert_string_equal(n.backend, "/local/domain/4/backend/vbd/7/51744");
	assert_string_equal(value_of(&n, "/local/domain/4/backend/vbd/7/51744/script"), "/opt/block-x");
	assert_string_equal(value_of(&n, "/local/domain/7/device/vbd/51744/backend-id"), "4");
	assert_string_equal(xdev_perms_str(&n.node[n.count - 1].perms, ps), "n4,r7");
	xdev_nodes_free(&n);
}

static void test_vif_options(void **state)
{
	struct xl_vif v = { .devid = 3 };
	struct xdev_nodes n;
	char err[XDEV_ERR_MAX];
	(void)state;

	/* no MAC: Xen's prefix and the seed's low bytes, top bit cleared */
	assert_int_equal(xdev_vif_nodes(&v, 2, 0, 0xabcdef, &n, err, sizeof(err)), 0);
	assert_string_equal(value_of(&n, "/local/domain/2/device/vif/3/mac"), "00:16:3e:2b:cd:ef");
	assert_string_equal(value_of(&n, "/local/domain/0/backend/vif/2/3/mac"), "00:16:3e:2b:cd:ef");
	assert_string_equal(value_of(&n, "/local/domain/0/backend/vif/2/3/bridge"), "xenbr0");
	assert_string_equal(value_of(&n, "/local/domain/0/backend/vif/2/3/handle"), "3");
	assert_null(value_of(&n, "/local/domain/0/backend/vif/2/3/rate"));
	assert_null(value_of(&n, "/local/domain/0/backend/vif/2/3/mtu"));
	xdev_nodes_free(&n);

	v.type = XL_VIF_TYPE_IOEMU;
	assert_int_equal(xdev_vif_nodes(&v, 2, 0, 0, &n, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "vif 3: type=ioemu needs a device model; PV guests get type=vif");
	v.type = XL_VIF_TYPE_DEFAULT;
	v.model = "e1000";
	assert_int_equal(xdev_vif_nodes(&v, 2, 0, 0, &n, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "vif 3: model= is for emulated NICs, not PV vifs");
	assert_int_equal(n.count, 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vdev_numbers),
		cmocka_unit_test(test_vdev_bad_names),
		cmocka_unit_test(test_golden_complete),
		cmocka_unit_test(test_vbd_golden),
		cmocka_unit_test(test_vif_golden),
		cmocka_unit_test(test_vbd_refused),
		cmocka_unit_test(test_vbd_options),
		cmocka_unit_test(test_vif_options),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s GOLDEN\n", argv[0]);
		return 2;
	}
	golden_path = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
