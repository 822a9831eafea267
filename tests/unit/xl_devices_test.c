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
#include "xl.h"
#include "xdev.h"

#define MAX_NODES 256
static struct { char path[160], val[160]; } nodes[MAX_NODES];
static unsigned int nr_nodes;
static bool backend_probes;
static bool busy_frontend;		/* the guest keeps its disk */		/* the fake blkback/netback moves 1 -> 2 */
static const char *script_status;	/* what the fake script writes */
static char script_calls[1024];

static int find(const char *path)
{
	for (unsigned int i = 0; i < nr_nodes; i++)
		if (!strcmp(nodes[i].path, path))
			return (int)i;
	return -1;
}

static void put(const char *path, const char *val)
{
	int i = find(path);

	if (i < 0) {
		assert_true(nr_nodes < MAX_NODES);
		i = (int)nr_nodes++;
		snprintf(nodes[i].path, sizeof(nodes[i].path), "%s", path);
	}
	snprintf(nodes[i].val, sizeof(nodes[i].val), "%s", val);
}

static const char *get(const char *path)
{
	int i = find(path);

	return i < 0 ? NULL : nodes[i].val;
}

static int f_xs_read(void *p, const char *path, char **val)
{
	const char *v = get(path);

	(void)p;
	if (!v)
		return -ENOENT;
	*val = strdup(v);
	return 0;
}

static int f_xs_write(void *p, const char *path, const char *val)
{
	(void)p;
	put(path, val);
	return 0;
}

/* removes path and everything below it */
static int f_xs_rm(void *p, const char *path)
{
	size_t l = strlen(path);

	(void)p;
	for (unsigned int i = 0; i < nr_nodes;) {
		if (!strncmp(nodes[i].path, path, l) && (nodes[i].path[l] == '\0' || nodes[i].path[l] == '/'))
			nodes[i] = nodes[--nr_nodes];
		else
			i++;
	}
	return 0;
}

static int f_xs_dir(void *p, const char *path, char ***names, unsigned int *n)
{
	static char store[64][16];
	static char *ptrs[64];
	size_t l = strlen(path);
	unsigned int k = 0;

	(void)p;
	for (unsigned int i = 0; i < nr_nodes; i++) {
		const char *rest = nodes[i].path + l;
		char child[16];
		bool dup = false;

		if (strncmp(nodes[i].path, path, l) || *rest != '/')
			continue;
		snprintf(child, sizeof(child), "%.*s", (int)strcspn(rest + 1, "/"), rest + 1);
		for (unsigned int j = 0; j < k; j++)
			dup |= !strcmp(store[j], child);
		if (!dup && k < 64)
			strcpy(store[k++], child);
	}
	if (k == 0)
		return -ENOENT;
	*names = malloc(sizeof(char *) * k);
	for (unsigned int j = 0; j < k; j++) {
		ptrs[j] = store[j];
		(*names)[j] = ptrs[j];
	}
	*n = k;
	return 0;
}

static int f_xs_nodes(void *p, const struct xl_xsnode *x, unsigned int n)
{
	(void)p;
	for (unsigned int i = 0; i < n; i++)
		put(x[i].path, x[i].value);
	return 0;
}

/* the fake backends: a probed device moves from 1 to 2; a closing one
 * whose frontend is gone closes */
static void f_sleep(void *p, int ms)
{
	(void)p;
	(void)ms;
	for (unsigned int i = 0; i < nr_nodes; i++) {
		size_t l = strlen(nodes[i].path);

		if (l > 6 && !strcmp(nodes[i].path + l - 6, "/state") &&
		    strstr(nodes[i].path, "/backend/") && backend_probes &&
		    !strcmp(nodes[i].val, "1"))
			strcpy(nodes[i].val, "2");
		/* a frontend not using its disk lets go of a closing backend */
		if (l > 6 && !strcmp(nodes[i].path + l - 6, "/state") &&
		    strstr(nodes[i].path, "/backend/") && !strcmp(nodes[i].val, "5") &&
		    !busy_frontend)
			strcpy(nodes[i].val, "6");
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
		put(be, script_status);
		if (strcmp(script_status, "connected")) {
			snprintf(be, sizeof(be), "/local/domain/0/%s/hotplug-error",
				 env[0] + strlen("XENBUS_PATH="));
			put(be, "vbd 51728 of domain 3: /none.img: no such file or device");
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
	.domains = f_domains, .xs_read = f_xs_read, .xs_write = f_xs_write, .xs_rm = f_xs_rm,
};
static const struct xl_create_ops fake_cops = { .xs_nodes = f_xs_nodes, .sleep_ms = f_sleep };
static const struct xl_dev_ops fake_dops = { .xs_dir = f_xs_dir, .run_script = f_run_script };

static char *out_buf, *err_buf;
static size_t out_len, err_len;

static int run(int (*cmd)(struct xl_ctx *, int, char **), const char *first, ...)
{
	struct xl_ctx ctx = { .ops = &fake_ops, .cops = &fake_cops, .dops = &fake_dops };
	char *argv[16];
	int argc = 0, r;
	va_list ap;

	va_start(ap, first);
	for (const char *a = first; a; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	free(out_buf);
	free(err_buf);
	ctx.out = open_memstream(&out_buf, &out_len);
	ctx.err = open_memstream(&err_buf, &err_len);
	optind = 0;
	r = cmd(&ctx, argc, argv);
	fclose(ctx.out);
	fclose(ctx.err);
	return r;
}

static int setup(void **state)
{
	(void)state;
	nr_nodes = 0;
	backend_probes = true;
	busy_frontend = false;
	script_status = "connected";
	script_calls[0] = '\0';
	setenv("XL_DEVICE_TIMEOUT", "1", 1);
	put("/local/domain/3/name", "guest");
	return 0;
}

static void test_block_list_format(void **state)
{
	(void)state;
	put("/local/domain/3/device/vbd/51712/backend", "/local/domain/0/backend/vbd/3/51712");
	put("/local/domain/3/device/vbd/51712/backend-id", "0");
	put("/local/domain/3/device/vbd/51712/state", "4");
	put("/local/domain/3/device/vbd/51712/event-channel", "8");
	put("/local/domain/3/device/vbd/51712/ring-ref", "9");
	put("/local/domain/3/device/vbd/51744/backend", "/local/domain/0/backend/vbd/3/51744");
	put("/local/domain/3/device/vbd/51744/backend-id", "0");
	put("/local/domain/3/device/vbd/51744/state", "1");
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
	put("/local/domain/3/device/vif/0/backend", "/local/domain/0/backend/vif/3/0");
	put("/local/domain/3/device/vif/0/backend-id", "0");
	put("/local/domain/3/device/vif/0/mac", "00:16:3e:01:02:03");
	put("/local/domain/3/device/vif/0/state", "4");
	put("/local/domain/3/device/vif/0/event-channel", "10");
	put("/local/domain/3/device/vif/0/tx-ring-ref", "768");
	put("/local/domain/3/device/vif/0/rx-ring-ref", "769");
	assert_int_equal(run(main_networklist, "network-list", "3", NULL), 0);
	assert_string_equal(out_buf,
		"Idx BE Mac Addr.         handle state evt-ch   tx-/rx-ring-ref BE-path                       \n"
		"0   0  00:16:3e:01:02:03     0     4     10   768/769         /local/domain/0/backend/vif/3/0\n");
}

static void test_attach_runs_script(void **state)
{
	(void)state;
	assert_int_equal(run(main_blockattach, "block-attach", "guest", "file:/b.img,xvdb,w", NULL), 0);
	assert_string_equal(get("/local/domain/0/backend/vbd/3/51728/params"), "/b.img");
	assert_string_equal(get("/local/domain/0/backend/vbd/3/51728/mode"), "w");
	assert_string_equal(get("/local/domain/3/device/vbd/51728/virtual-device"), "51728");
	assert_string_equal(script_calls,
		"/etc/xen/scripts/block add XENBUS_PATH=backend/vbd/3/51728 XENBUS_TYPE=vbd "
		"XENBUS_BASE_PATH=backend vif= netdev=\n");
	/* the same vdev again: refused, the first left alone */
	assert_int_equal(run(main_blockattach, "block-attach", "guest", "file:/b.img,xvdb,w", NULL), 1);
	assert_non_null(strstr(err_buf, "vbd 51728 of domain 3: the device already exists"));
	assert_non_null(get("/local/domain/0/backend/vbd/3/51728/params"));
}

static void test_attach_script_error(void **state)
{
	(void)state;
	script_status = "error";
	assert_int_equal(run(main_blockattach, "block-attach", "guest", "file:/none.img,xvdb", NULL), 1);
	assert_string_equal(err_buf, "xl: vbd 51728 of domain 3: /none.img: no such file or device\n"
			    "libxl_device_disk_add failed.\n");
	assert_null(get("/local/domain/0/backend/vbd/3/51728/params"));
	assert_null(get("/local/domain/3/device/vbd/51728/backend"));
	assert_non_null(strstr(script_calls, "block remove XENBUS_PATH=backend/vbd/3/51728"));
}

static void test_attach_no_backend(void **state)
{
	(void)state;
	backend_probes = false;
	assert_int_equal(run(main_networkattach, "network-attach", "guest", "bridge=xenbr0", NULL), 1);
	assert_non_null(strstr(err_buf, "vif 0 of domain 3: the backend did not reach InitWait in 1 s "
				      "(is xen-netback loaded in Dom0?)"));
	assert_null(get("/local/domain/0/backend/vif/3/0/bridge"));
	assert_null(get("/local/domain/3/device/vif/0/mac"));
	assert_string_equal(script_calls, "");	/* never probed: no script */
}

static void test_network_attach_next_devid(void **state)
{
	(void)state;
	put("/local/domain/3/device/vif/0/backend", "/local/domain/0/backend/vif/3/0");
	assert_int_equal(run(main_networkattach, "network-attach", "guest", "mac=00:16:3e:aa:bb:cc",
			     NULL), 0);
	assert_string_equal(get("/local/domain/3/device/vif/1/mac"), "00:16:3e:aa:bb:cc");
	assert_non_null(strstr(script_calls, "vif-bridge online type_if=vif XENBUS_PATH=backend/vif/3/1 "
				     "XENBUS_TYPE=vif XENBUS_BASE_PATH=backend vif=vif3.1"));
	/* found by its MAC, removed (its frontend never started: no wait) */
	assert_int_equal(run(main_networkdetach, "network-detach", "guest", "00:16:3E:AA:BB:CC", NULL), 0);
	assert_null(get("/local/domain/3/device/vif/1/mac"));
	assert_null(get("/local/domain/0/backend/vif/3/1/state"));
	assert_non_null(strstr(script_calls, "vif-bridge offline type_if=vif XENBUS_PATH=backend/vif/3/1"));
}

/* no components: a vif with every default (Xen's xl takes that too) */
static void test_network_attach_defaults(void **state)
{
	(void)state;
	assert_int_equal(run(main_networkattach, "network-attach", "guest", NULL), 0);
	assert_string_equal(get("/local/domain/0/backend/vif/3/0/bridge"), "xenbr0");
	assert_non_null(get("/local/domain/3/device/vif/0/mac"));
}

static void test_attach_bad_spec(void **state)
{
	(void)state;
	assert_int_equal(run(main_blockattach, "block-attach", "guest", "", NULL), 1);
	assert_non_null(strstr(err_buf, "disk: no vdev in \"\""));
	assert_int_equal(run(main_blockattach, "block-attach", "guest", "it's", NULL), 1);
	assert_non_null(strstr(err_buf, "quotes and newlines are not allowed"));
	assert_int_equal(run(main_blockattach, "block-attach", "nosuch", "file:/b.img,xvdb", NULL), 1);
	assert_int_equal(nr_nodes, 1);	/* only the domain's name */
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
	put("/local/domain/3/device/vbd/51728/state", "4");
	put("/local/domain/0/backend/vbd/3/51728/state", "4");
	busy_frontend = true;
	assert_int_equal(run(main_blockdetach, "block-detach", "guest", "xvdb", NULL), 1);
	assert_non_null(strstr(err_buf, "vbd 51728 of domain 3: the backend did not close in 1 s"));
	assert_non_null(strstr(err_buf, "libxl_device_disk_safe_remove failed."));
	assert_non_null(get("/local/domain/0/backend/vbd/3/51728/params"));
	assert_int_equal(run(main_blockdetach, "block-detach", "-f", "guest", "51728", NULL), 0);
	assert_null(get("/local/domain/0/backend/vbd/3/51728/params"));
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
