/*
 * xl_devices_test.c - unit tests of xl's split devices (xl_devices.c,
 * xl_block.c, xl_network.c) over a fake xenstore and fake backends: the
 * block-list / network-list formats (Xen 4.17's, from Debian's xl), the
 * add sequence (nodes, InitWait, the hotplug script's arguments and
 * environment, hotplug-status), the failures (script error, a backend
 * that never probes, a device that exists) leaving nothing behind, and
 * block-detach / network-detach of unknown devices.
 */
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "xl_fake.h"
#include "xdev.h"

static bool backend_probes;
static bool busy_frontend;		/* the guest keeps its disk */		/* the fake blkback/netback moves 1 -> 2 */
static const char *script_status;	/* what the fake script writes */
static char script_calls[1024];

static int f_xs_nodes(void *p, const struct xl_xsnode *x, unsigned int n)
{
	(void)p;
	for (unsigned int i = 0; i < n; i++)
		xs_fake_put(x[i].path, x[i].value);
	return 0;
}

/* the fake backends: a probed device moves from 1 to 2; a closing one
 * whose frontend is gone closes */
static void f_sleep(void *p, int ms)
{
	(void)p;
	(void)ms;
	for (unsigned int i = 0; i < xs_fake_nr; i++) {
		size_t l = strlen(xs_fake_nodes[i].path);

		if (l > 6 && !strcmp(xs_fake_nodes[i].path + l - 6, "/state") &&
		    strstr(xs_fake_nodes[i].path, "/backend/") && backend_probes &&
		    !strcmp(xs_fake_nodes[i].val, "1"))
			strcpy(xs_fake_nodes[i].val, "2");
		/* a frontend not using its disk lets go of a closing backend */
		if (l > 6 && !strcmp(xs_fake_nodes[i].path + l - 6, "/state") &&
		    strstr(xs_fake_nodes[i].path, "/backend/") && !strcmp(xs_fake_nodes[i].val, "5") &&
		    !busy_frontend)
			strcpy(xs_fake_nodes[i].val, "6");
	}
}

static int f_run_script(void *p, const char *script, const char *const argv[],
			const char *const env[])
{
	char be[160];

	(void)p;
	strcat(script_calls, script);
	for (int i = 1; argv[i]; i++) {
		strcat(script_calls, " ");
		strcat(script_calls, argv[i]);
	}
	for (int i = 0; env[i]; i++) {
		strcat(script_calls, " ");
		strcat(script_calls, env[i]);
	}
	strcat(script_calls, "\n");
	snprintf(be, sizeof(be), "/local/domain/0/%s/hotplug-status", env[0] + strlen("XENBUS_PATH="));
	if (!strcmp(argv[1], "add") || !strcmp(argv[1], "online")) {
		xs_fake_put(be, script_status);
		if (strcmp(script_status, "connected")) {
			snprintf(be, sizeof(be), "/local/domain/0/%s/hotplug-error",
				 env[0] + strlen("XENBUS_PATH="));
			xs_fake_put(be, "vbd 51728 of domain 3: /none.img: no such file or device");
			return -EIO;
		}
	}
	return 0;
}

static int f_domains(void *p, uint32_t first, unsigned int max, struct xl_dominfo *out)
{
	(void)p;
	if (first > 3 || max == 0)
		return 0;
	memset(out, 0, sizeof(*out));
	out->domid = 3;
	return 1;
}

static const struct xl_ops fake_ops = {
	.domains = f_domains, .xs_read = xs_fake_read, .xs_write = xs_fake_write, .xs_rm = xs_fake_rm,
};
static const struct xl_create_ops fake_cops = { .xs_nodes = f_xs_nodes, .sleep_ms = f_sleep };
static const struct xl_dev_ops fake_dops = { .xs_dir = xs_fake_dir, .run_script = f_run_script };

static int run(int (*cmd)(struct xl_ctx *, int, char **), const char *first, ...)
{
	va_list ap;
	int r;

	va_start(ap, first);
	r = xl_fake_vrun((struct xl_ctx){ .ops = &fake_ops, .cops = &fake_cops, .dops = &fake_dops },
			 cmd, first, ap);
	va_end(ap);
	return r;
}

static int setup(void **state)
{
	(void)state;
	xs_fake_reset();
	backend_probes = true;
	busy_frontend = false;
	script_status = "connected";
	script_calls[0] = '\0';
	setenv("XL_DEVICE_TIMEOUT", "1", 1);
	xs_fake_put("/local/domain/3/name", "guest");
	return 0;
}

static void test_block_list_format(void **state)
{
	(void)state;
	xs_fake_put("/local/domain/3/device/vbd/51712/backend", "/local/domain/0/backend/vbd/3/51712");
	xs_fake_put("/local/domain/3/device/vbd/51712/backend-id", "0");
	xs_fake_put("/local/domain/3/device/vbd/51712/state", "4");
	xs_fake_put("/local/domain/3/device/vbd/51712/event-channel", "8");
	xs_fake_put("/local/domain/3/device/vbd/51712/ring-ref", "9");
	xs_fake_put("/local/domain/3/device/vbd/51744/backend", "/local/domain/0/backend/vbd/3/51744");
	xs_fake_put("/local/domain/3/device/vbd/51744/backend-id", "0");
	xs_fake_put("/local/domain/3/device/vbd/51744/state", "1");
	assert_int_equal(run(main_blocklist, "block-list", "guest", "nosuch", NULL), 0);
	assert_string_equal(out_buf,
		"Vdev  BE  handle state evt-ch ring-ref BE-path                       \n"
		"51712 0   3      4     8      9        /local/domain/0/backend/vbd/3/51712\n"
		"51744 0   3      1     -1     -1       /local/domain/0/backend/vbd/3/51744\n");
	assert_string_equal(err_buf, "nosuch is an invalid domain identifier\n");
}

static void test_network_list_format(void **state)
{
	(void)state;
	xs_fake_put("/local/domain/3/device/vif/0/backend", "/local/domain/0/backend/vif/3/0");
	xs_fake_put("/local/domain/3/device/vif/0/backend-id", "0");
	xs_fake_put("/local/domain/3/device/vif/0/mac", "00:16:3e:01:02:03");
	xs_fake_put("/local/domain/3/device/vif/0/state", "4");
	xs_fake_put("/local/domain/3/device/vif/0/event-channel", "10");
	xs_fake_put("/local/domain/3/device/vif/0/tx-ring-ref", "768");
	xs_fake_put("/local/domain/3/device/vif/0/rx-ring-ref", "769");
	assert_int_equal(run(main_networklist, "network-list", "3", NULL), 0);
	assert_string_equal(out_buf,
		"Idx BE Mac Addr.         handle state evt-ch   tx-/rx-ring-ref BE-path                       \n"
		"0   0  00:16:3e:01:02:03     0     4     10   768/769         /local/domain/0/backend/vif/3/0\n");
}

static void test_attach_runs_script(void **state)
{
	(void)state;
	assert_int_equal(run(main_blockattach, "block-attach", "guest", "file:/b.img,xvdb,w", NULL), 0);
	assert_string_equal(xs_fake_get("/local/domain/0/backend/vbd/3/51728/params"), "/b.img");
	assert_string_equal(xs_fake_get("/local/domain/0/backend/vbd/3/51728/mode"), "w");
	assert_string_equal(xs_fake_get("/local/domain/3/device/vbd/51728/virtual-device"), "51728");
	assert_string_equal(script_calls,
		"/etc/xen/scripts/block add XENBUS_PATH=backend/vbd/3/51728 XENBUS_TYPE=vbd "
		"XENBUS_BASE_PATH=backend vif= netdev=\n");
	/* the same vdev again: refused, the first left alone */
	assert_int_equal(run(main_blockattach, "block-attach", "guest", "file:/b.img,xvdb,w", NULL), 1);
	assert_non_null(strstr(err_buf, "vbd 51728 of domain 3: the device already exists"));
	assert_non_null(xs_fake_get("/local/domain/0/backend/vbd/3/51728/params"));
}

static void test_attach_script_error(void **state)
{
	(void)state;
	script_status = "error";
	assert_int_equal(run(main_blockattach, "block-attach", "guest", "file:/none.img,xvdb", NULL), 1);
	assert_string_equal(err_buf, "xl: vbd 51728 of domain 3: /none.img: no such file or device\n"
			    "libxl_device_disk_add failed.\n");
	assert_null(xs_fake_get("/local/domain/0/backend/vbd/3/51728/params"));
	assert_null(xs_fake_get("/local/domain/3/device/vbd/51728/backend"));
	assert_non_null(strstr(script_calls, "block remove XENBUS_PATH=backend/vbd/3/51728"));
}

static void test_attach_no_backend(void **state)
{
	(void)state;
	backend_probes = false;
	assert_int_equal(run(main_networkattach, "network-attach", "guest", "bridge=xenbr0", NULL), 1);
	assert_non_null(strstr(err_buf, "vif 0 of domain 3: the backend did not reach InitWait in 1 s "
				      "(is xen-netback loaded in Dom0?)"));
	assert_null(xs_fake_get("/local/domain/0/backend/vif/3/0/bridge"));
	assert_null(xs_fake_get("/local/domain/3/device/vif/0/mac"));
	assert_string_equal(script_calls, "");	/* never probed: no script */
}

static void test_network_attach_next_devid(void **state)
{
	(void)state;
	xs_fake_put("/local/domain/3/device/vif/0/backend", "/local/domain/0/backend/vif/3/0");
	assert_int_equal(run(main_networkattach, "network-attach", "guest", "mac=00:16:3e:aa:bb:cc",
			     NULL), 0);
	assert_string_equal(xs_fake_get("/local/domain/3/device/vif/1/mac"), "00:16:3e:aa:bb:cc");
	assert_non_null(strstr(script_calls, "vif-bridge online type_if=vif XENBUS_PATH=backend/vif/3/1 "
				     "XENBUS_TYPE=vif XENBUS_BASE_PATH=backend vif=vif3.1"));
	/* found by its MAC, removed (its frontend never started: no wait) */
	assert_int_equal(run(main_networkdetach, "network-detach", "guest", "00:16:3E:AA:BB:CC", NULL), 0);
	assert_null(xs_fake_get("/local/domain/3/device/vif/1/mac"));
	assert_null(xs_fake_get("/local/domain/0/backend/vif/3/1/state"));
	assert_non_null(strstr(script_calls, "vif-bridge offline type_if=vif XENBUS_PATH=backend/vif/3/1"));
}

/* no components: a vif with every default (Xen's xl takes that too) */
static void test_network_attach_defaults(void **state)
{
	(void)state;
	assert_int_equal(run(main_networkattach, "network-attach", "guest", NULL), 0);
	assert_string_equal(xs_fake_get("/local/domain/0/backend/vif/3/0/bridge"), "xenbr0");
	assert_non_null(xs_fake_get("/local/domain/3/device/vif/0/mac"));
}

static void test_attach_bad_spec(void **state)
{
	(void)state;
	assert_int_equal(run(main_blockattach, "block-attach", "guest", "", NULL), 1);
	assert_non_null(strstr(err_buf, "disk: no vdev in \"\""));
	assert_int_equal(run(main_blockattach, "block-attach", "guest", "it's", NULL), 1);
	assert_non_null(strstr(err_buf, "quotes and newlines are not allowed"));
	assert_int_equal(run(main_blockattach, "block-attach", "nosuch", "file:/b.img,xvdb", NULL), 1);
	assert_int_equal(xs_fake_nr, 1);	/* only the domain's name */
}

static void test_detach_unknown(void **state)
{
	(void)state;
	assert_int_equal(run(main_blockdetach, "block-detach", "guest", "xvdq", NULL), 1);
	assert_string_equal(err_buf, "Error: Device xvdq not connected.\n");
	assert_int_equal(run(main_blockdetach, "block-detach", "guest", "bogus", NULL), 1);
	assert_string_equal(err_buf, "Error: Device bogus not connected.\n");
	assert_int_equal(run(main_networkdetach, "network-detach", "guest", "7", NULL), 1);
	assert_string_equal(err_buf, "Unknown device 7.\n");
}

/* a connected disk whose guest never lets go: without -f it stays */
static void test_detach_busy(void **state)
{
	(void)state;
	assert_int_equal(run(main_blockattach, "block-attach", "guest", "file:/b.img,xvdb,w", NULL), 0);
	xs_fake_put("/local/domain/3/device/vbd/51728/state", "4");
	xs_fake_put("/local/domain/0/backend/vbd/3/51728/state", "4");
	busy_frontend = true;
	assert_int_equal(run(main_blockdetach, "block-detach", "guest", "xvdb", NULL), 1);
	assert_non_null(strstr(err_buf, "vbd 51728 of domain 3: the backend did not close in 1 s"));
	assert_non_null(strstr(err_buf, "libxl_device_disk_safe_remove failed."));
	assert_non_null(xs_fake_get("/local/domain/0/backend/vbd/3/51728/params"));
	assert_int_equal(run(main_blockdetach, "block-detach", "-f", "guest", "51728", NULL), 0);
	assert_null(xs_fake_get("/local/domain/0/backend/vbd/3/51728/params"));
	assert_non_null(strstr(script_calls, "block remove"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_block_list_format, setup),
		cmocka_unit_test_setup(test_network_list_format, setup),
		cmocka_unit_test_setup(test_attach_runs_script, setup),
		cmocka_unit_test_setup(test_attach_script_error, setup),
		cmocka_unit_test_setup(test_attach_no_backend, setup),
		cmocka_unit_test_setup(test_network_attach_next_devid, setup),
		cmocka_unit_test_setup(test_network_attach_defaults, setup),
		cmocka_unit_test_setup(test_attach_bad_spec, setup),
		cmocka_unit_test_setup(test_detach_unknown, setup),
		cmocka_unit_test_setup(test_detach_busy, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
