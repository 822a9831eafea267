/*
 * xlcfg_test.c - unit tests of the xl.cfg parser (dom0-tools/libs/util)
 * through its interface (include/xlcfg.h): every key's values and
 * defaults, every kind of error with its exact line, the command-line
 * overrides, files, and reading no byte past the length given. The
 * golden files (tests/unit/dom0-tools/libs/util/xlcfg/) cover the same ground as whole
 * configurations.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "xlcfg.h"
#include "xlcfg_priv.h"

#define HEAD "name = \"g\"\nkernel = \"/k\"\n"

static char err[XLCFG_ERR_MAX];

static struct xl_domain_config *parse_ov(const char *text, const char *const *ov, unsigned n)
{
	struct xl_domain_config *cfg = NULL;
	int rc = xlcfg_parse("t.cfg", text, strlen(text), ov, n, &cfg, err, sizeof(err));

	if (rc)
		fail_msg("unexpected error %d: %s", rc, err);
	assert_non_null(cfg);
	return cfg;
}

static struct xl_domain_config *parse(const char *text)
{
	return parse_ov(text, NULL, 0);
}

static void expect_error(const char *text, const char *const *ov, unsigned n, const char *want)
{
	struct xl_domain_config *cfg = (void *)1;
	int rc = xlcfg_parse("t.cfg", text, strlen(text), ov, n, &cfg, err, sizeof(err));

	assert_int_equal(rc, -EINVAL);
	assert_null(cfg);
	assert_string_equal(err, want);
}

static void test_defaults(void **state)
{
	struct xl_domain_config *c = parse(HEAD);

	assert_string_equal(c->name, "g");
	assert_string_equal(c->kernel, "/k");
	assert_false(c->has_uuid);
	assert_int_equal(c->type, XL_TYPE_PV);
	assert_int_equal(c->memory_mb, 128);
	assert_int_equal(c->maxmem_mb, 128);
	assert_int_equal(c->vcpus, 1);
	assert_int_equal(c->maxvcpus, 1);
	assert_int_equal(c->n_cpumaps, 0);
	assert_int_equal(c->cpu_weight, 256);
	assert_int_equal(c->cap, 0);
	assert_null(c->ramdisk);
	assert_null(c->bootloader);
	assert_null(c->cmdline);
	assert_null(c->kernel_cmdline);
	assert_int_equal(c->on_poweroff, XL_ACTION_DESTROY);
	assert_int_equal(c->on_reboot, XL_ACTION_RESTART);
	assert_int_equal(c->on_crash, XL_ACTION_DESTROY);
	assert_int_equal(c->on_watchdog, XL_ACTION_DESTROY);
	assert_false(c->localtime);
	assert_int_equal(c->n_disks, 0);
	assert_int_equal(c->n_vifs, 0);
	assert_int_equal(c->n_warnings, 0);
	xl_domain_config_free(c);
}

static void test_scalar_keys(void **state)
{
	struct xl_domain_config *c = parse(
		HEAD "uuid = \"3C8A2D1E-1234-4ABC-8DEF-0123456789AB\"\ntype = \"pv\"\n"
		"memory = 0x200\nmaxmem = 02000\nvcpus = \"3\"\nmaxvcpus = 128\n"
		"cpu_weight = 65535\ncap = 250\nramdisk = '/initrd'\n"
		"on_poweroff = 'preserve'\non_reboot = 'rename-restart'\n"
		"on_crash = 'coredump-destroy'\non_watchdog = 'coredump-restart'\n"
		"localtime = 7\nbootloader = \"pygrub\"\n");
	static const uint8_t uuid[16] = { 0x3c, 0x8a, 0x2d, 0x1e, 0x12, 0x34, 0x4a, 0xbc,
					  0x8d, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab };

	assert_true(c->has_uuid);
	assert_memory_equal(c->uuid, uuid, 16);
	assert_int_equal(c->memory_mb, 512);
	assert_int_equal(c->maxmem_mb, 1024);
	assert_int_equal(c->vcpus, 3);
	assert_int_equal(c->maxvcpus, 128);
	assert_int_equal(c->cpu_weight, 65535);
	assert_int_equal(c->cap, 250);
	assert_string_equal(c->ramdisk, "/initrd");
	assert_string_equal(c->bootloader, "pygrub");
	assert_int_equal(c->on_poweroff, XL_ACTION_PRESERVE);
	assert_int_equal(c->on_reboot, XL_ACTION_RENAME_RESTART);
	assert_int_equal(c->on_crash, XL_ACTION_COREDUMP_DESTROY);
	assert_int_equal(c->on_watchdog, XL_ACTION_COREDUMP_RESTART);
	assert_true(c->localtime);
	assert_string_equal(xl_action_name(XL_ACTION_SOFT_RESET), "soft-reset");
	xl_domain_config_free(c);

	c = parse(HEAD "builder = \"generic\"\nvcpus = 4\non_crash = \"soft-reset\"\nlocaltime = 0\n");
	assert_int_equal(c->maxvcpus, 4);
	assert_int_equal(c->on_crash, XL_ACTION_SOFT_RESET);
	assert_false(c->localtime);
	xl_domain_config_free(c);
}

static void test_cmdline_keys(void **state)
{
	struct xl_domain_config *c = parse(HEAD "root = \"/dev/xvda1 ro\"\nextra = \"console=hvc0\"\n");

	assert_string_equal(c->kernel_cmdline, "root=/dev/xvda1 ro console=hvc0");
	xl_domain_config_free(c);
	c = parse(HEAD "extra = \"quiet\"\n");
	assert_string_equal(c->kernel_cmdline, "quiet");
	xl_domain_config_free(c);
	c = parse(HEAD "root = \"/dev/xvda1\"\n");
	assert_string_equal(c->kernel_cmdline, "root=/dev/xvda1");
	xl_domain_config_free(c);
	c = parse(HEAD "extra = \"quiet\"\ncmdline = \"console=hvc0\"\n");
	assert_string_equal(c->kernel_cmdline, "console=hvc0");
	assert_string_equal(c->extra, "quiet");
	assert_int_equal(c->n_warnings, 1);
	assert_string_equal(c->warnings[0], "t.cfg:3:1: warning: ignoring root= and extra= in favour of cmdline=");
	xl_domain_config_free(c);
}

static void test_cpus(void **state)
{
	struct xl_domain_config *c = parse(HEAD "cpus = \"0-3,5,^1\"\n");

	assert_int_equal(c->n_cpumaps, 1);
	assert_false(c->cpumap_per_vcpu);
	for (unsigned n = 0; n < 8; n++)
		assert_int_equal(xl_cpumap_test(&c->cpumaps[0], n), n == 0 || n == 2 || n == 3 || n == 5);
	assert_false(xl_cpumap_test(&c->cpumaps[0], XLCFG_MAX_CPUS));
	xl_domain_config_free(c);

	c = parse(HEAD "vcpus = 2\ncpus = [\"2\", \"all,^7\"]\n");
	assert_int_equal(c->n_cpumaps, 2);
	assert_true(c->cpumap_per_vcpu);
	assert_true(xl_cpumap_test(&c->cpumaps[0], 2));
	assert_false(xl_cpumap_test(&c->cpumaps[0], 3));
	assert_true(xl_cpumap_test(&c->cpumaps[1], 6));
	assert_false(xl_cpumap_test(&c->cpumaps[1], 7));
	assert_true(xl_cpumap_test(&c->cpumaps[1], XLCFG_MAX_CPUS - 1));
	xl_domain_config_free(c);

	c = parse(HEAD "cpus = 3\n");	/* a number is a one-CPU list */
	assert_true(xl_cpumap_test(&c->cpumaps[0], 3));
	xl_domain_config_free(c);
}

static void test_disks(void **state)
{
	struct xl_domain_config *c = parse(HEAD
		"disk = [ 'phy:/dev/loop0,xvda,w', 'file:/img,xvdb,r',\n"
		"  'format=qcow2, vdev=xvdc, access=ro, target=/a,b',\n"
		"  '/root/image.iso,,hdc,cdrom', ',hdd:cdrom,r', 'vhd:/v,xvde',\n"
		"  'iscsi:iqn.2001-05.com.example:x,xvdf,w',\n"
		"  '/q,qed,sda2,rw,backendtype=phy,backend=dd,specification=virtio,direct-io-safe,no-discard,untrusted' ]\n");
	const struct xl_disk *d = c->disks;

	assert_int_equal(c->n_disks, 8);
	assert_string_equal(d[0].target, "/dev/loop0");
	assert_string_equal(d[0].vdev, "xvda");
	assert_false(d[0].readonly);
	assert_int_equal(d[0].format, XL_DISK_FORMAT_RAW);
	assert_string_equal(d[1].target, "/img");
	assert_true(d[1].readonly);
	assert_string_equal(d[2].target, "/a,b");
	assert_int_equal(d[2].format, XL_DISK_FORMAT_QCOW2);
	assert_true(d[2].readonly);
	assert_true(d[3].cdrom);
	assert_true(d[3].readonly);
	assert_null(d[4].target);
	assert_true(d[4].cdrom);
	assert_string_equal(d[4].vdev, "hdd");
	assert_int_equal(d[5].format, XL_DISK_FORMAT_VHD);
	assert_string_equal(d[5].target, "/v");
	assert_string_equal(d[6].script, "block-iscsi");
	assert_string_equal(d[6].target, "iqn.2001-05.com.example:x");
	assert_int_equal(d[7].format, XL_DISK_FORMAT_QED);
	assert_int_equal(d[7].backendtype, XL_DISK_BACKEND_PHY);
	assert_string_equal(d[7].backend, "dd");
	assert_true(d[7].virtio && d[7].direct_io_safe && d[7].no_discard && d[7].untrusted);
	assert_string_equal(xl_disk_format_name(XL_DISK_FORMAT_QCOW), "qcow");
	xl_domain_config_free(c);

	c = parse(HEAD "disk = [ '/i,,d0p1,devtype=cdrom,discard,trusted,script=', 'vdev=d12,target=/j',\n"
		  "  ' /k, qcow, xvdz9, ro, untrusted, trusted, no-discard, discard' ]\n");
	d = c->disks;
	assert_string_equal(d[0].vdev, "d0p1");
	assert_true(d[0].cdrom && d[0].readonly && !d[0].no_discard && !d[0].untrusted);
	assert_null(d[0].script);
	assert_string_equal(d[1].vdev, "d12");
	assert_string_equal(d[2].target, "/k");
	assert_int_equal(d[2].format, XL_DISK_FORMAT_QCOW);
	assert_string_equal(d[2].vdev, "xvdz9");
	assert_true(d[2].readonly && !d[2].untrusted && !d[2].no_discard);
	xl_domain_config_free(c);
}

static void test_vifs(void **state)
{
	struct xl_domain_config *c = parse(HEAD
		"vif = [ 'mac=00:16:3E:74:3d:76,model=rtl8139,bridge=xenbr0', '',\n"
		"  'rate=10Mb/s', 'rate=1MB/s@20ms,devid=9', 'rate=2KB/s@1s',\n"
		"  'ip=192.0.2.1,script=vif-route,vifname=web0,netdev=eth0,backend=nd,mtu=1400,type=vif,untrusted' ]\n");
	const struct xl_vif *v = c->vifs;
	static const uint8_t mac[6] = { 0x00, 0x16, 0x3e, 0x74, 0x3d, 0x76 };

	assert_int_equal(c->n_vifs, 6);
	assert_true(v[0].has_mac);
	assert_memory_equal(v[0].mac, mac, 6);
	assert_string_equal(v[0].model, "rtl8139");
	assert_string_equal(v[0].bridge, "xenbr0");
	assert_int_equal(v[0].devid, 0);
	assert_false(v[1].has_mac);
	assert_int_equal(v[1].devid, 1);
	assert_int_equal(v[1].rate_interval_us, 0);
	assert_int_equal(v[2].rate_bytes_per_interval, 62500);	/* 10^7 bits/s for 50 ms */
	assert_int_equal(v[2].rate_interval_us, 50000);
	assert_int_equal(v[3].rate_bytes_per_interval, 20000);	/* the manual's example */
	assert_int_equal(v[3].rate_interval_us, 20000);
	assert_int_equal(v[3].devid, 9);
	assert_int_equal(v[4].rate_bytes_per_interval, 2000);
	assert_int_equal(v[4].rate_interval_us, 1000000);
	assert_string_equal(v[5].ip, "192.0.2.1");
	assert_string_equal(v[5].script, "vif-route");
	assert_string_equal(v[5].vifname, "web0");
	assert_string_equal(v[5].gatewaydev, "eth0");
	assert_string_equal(v[5].backend, "nd");
	assert_int_equal(v[5].mtu, 1400);
	assert_int_equal(v[5].type, XL_VIF_TYPE_VIF);
	assert_true(v[5].untrusted);
	xl_domain_config_free(c);

	c = parse(HEAD "vif = [ ' type=ioemu, untrusted, trusted, rate=1099511627776KB/s@1s,', 'rate=1B/s@4294s' ]\n");
	v = c->vifs;
	assert_int_equal(v[0].type, XL_VIF_TYPE_IOEMU);
	assert_false(v[0].untrusted);
	assert_true(v[0].rate_bytes_per_interval == 1099511627776ull * 1000ull);
	assert_int_equal(v[1].rate_bytes_per_interval, 4294);
	assert_int_equal(v[1].rate_interval_us, 4294000000u);
	xl_domain_config_free(c);
}

static void test_syntax(void **state)
{
	struct xl_domain_config *c = parse(
		"# comment\n\nname='a' ; kernel = \"/k\"  # trailing\r\n"
		"extra = \"\\a\\b\\f\\n\\r\\t\\v\\\\\\'\\\"\\x41\\x4a\\101\\7z\"\n"
		"vfb = [ [ 1, 'x' ], [], ]\n"
		"disk = [\n  # inside\n  '/i,,xvda'  ,\n\n]\n"
		"name = 'b'\n");

	assert_string_equal(c->name, "b");	/* the later one wins */
	assert_string_equal(c->extra, "\a\b\f\n\r\t\v\\'\"AJA\az");
	assert_int_equal(c->n_disks, 1);
	assert_int_equal(c->n_warnings, 1);
	assert_string_equal(c->warnings[0], "t.cfg:5:1: warning: `vfb' is not supported by Paravane yet, ignored");
	xl_domain_config_free(c);
}

static void test_overrides(void **state)
{
	static const char *const ov[] = {
		"memory=1024", "vcpus=2; localtime=1", "extra += ' quiet'", "disk += [ '/j,,xvdb' ]",
	};
	struct xl_domain_config *c = parse_ov(HEAD "extra = 'console=hvc0'\ndisk = [ '/i,,xvda' ]\n", ov, 4);

	assert_int_equal(c->memory_mb, 1024);
	assert_int_equal(c->vcpus, 2);
	assert_true(c->localtime);
	assert_string_equal(c->extra, "console=hvc0 quiet");
	assert_int_equal(c->n_disks, 2);
	assert_string_equal(c->disks[1].vdev, "xvdb");
	xl_domain_config_free(c);

	/* += of an empty list; a hexadecimal escape in capitals */
	static const char *const ov3[] = { "disk += []", "extra = '\\x4A\\x4a'" };
	c = parse_ov(HEAD "disk = [ '/i,,xvda' ]\n", ov3, 2);
	assert_int_equal(c->n_disks, 1);
	assert_string_equal(c->extra, "JJ");
	xl_domain_config_free(c);

	/* += on a key not set yet is =. */
	static const char *const ov2[] = { "extra += 'x'" };
	c = parse_ov(HEAD, ov2, 1);
	assert_string_equal(c->extra, "x");
	xl_domain_config_free(c);
}

static void test_warnings(void **state)
{
	struct xl_domain_config *c = parse(HEAD "frob = 1\nvcpus = 1\ncpus = ['1', '2']\npci = []\n");

	assert_int_equal(c->n_warnings, 3);
	assert_string_equal(c->warnings[0], "t.cfg:3:1: warning: unknown key `frob', ignored");
	assert_string_equal(c->warnings[1], "t.cfg:6:1: warning: `pci' is not supported by Paravane yet, ignored");
	assert_string_equal(c->warnings[2], "t.cfg:5:14: warning: `cpus' lists 2 vCPUs but the domain has 1: the rest are ignored");
	xl_domain_config_free(c);
}

/* Each kind of error, with its whole line. */
static const struct {
	const char *text, *want;
} errors[] = {
	{ HEAD "extra = \"abc\n", "t.cfg:3:9: unterminated string: \" missing at the end of the line" },
	{ HEAD "extra = 'abc", "t.cfg:3:9: unterminated string: ' missing at the end of the line" },
	{ HEAD "extra = 'a\\", "t.cfg:3:11: unterminated string: a backslash at the end of the line" },
	{ HEAD "extra = 'a\\q'", "t.cfg:3:11: unknown escape `\\q'" },
	{ HEAD "extra = 'a\\\x01'", "t.cfg:3:11: unknown escape: a backslash before byte 0x01" },
	{ HEAD "extra = 'a\\xg'", "t.cfg:3:11: bad escape `\\x': hexadecimal digits expected" },
	{ HEAD "extra = 'a\\0'", "t.cfg:3:11: a NUL character (\\0) cannot be in a string" },
	{ HEAD "extra = 'a\\x00'", "t.cfg:3:11: a NUL character (\\0) cannot be in a string" },
	{ HEAD "extra = 'a\\777'", "t.cfg:3:11: bad escape: octal value above \\377" },
	{ HEAD "memory = 12abc\n", "t.cfg:3:10: bad number `12abc': not a decimal, octal (0...) or hexadecimal (0x...) number" },
	{ HEAD "memory = 0x\n", "t.cfg:3:10: bad number `0x': not a decimal, octal (0...) or hexadecimal (0x...) number" },
	{ HEAD "memory = 09\n", "t.cfg:3:10: bad number `09': not a decimal, octal (0...) or hexadecimal (0x...) number" },
	{ HEAD "memory = 1.5\n", "t.cfg:3:10: bad number `1.5': not a decimal, octal (0...) or hexadecimal (0x...) number" },
	{ HEAD "memory = 18446744073709551616\n", "t.cfg:3:10: bad number `18446744073709551616': out of range" },
	{ HEAD "memory 128\n", "t.cfg:3:8: expected `=' after `memory', found `1'" },
	{ HEAD "memory\n", "t.cfg:3:7: expected `=' after `memory', found end of line" },
	{ HEAD "memory = \n", "t.cfg:3:10: missing value for `memory'" },
	{ HEAD "memory = ;", "t.cfg:3:10: missing value for `memory'" },
	{ HEAD "type = pv\n", "t.cfg:3:8: the value of `type' must be quoted, a number or a list" },
	{ HEAD "memory = -1\n", "t.cfg:3:10: unexpected `-' where a value was expected" },
	{ HEAD "disk = [ '/i,,xvda',\n", "t.cfg:3:8: list not closed: `]' missing" },
	{ HEAD "disk = [ '/i,,xvda' '/j,,xvdb' ]\n", "t.cfg:3:21: expected `,' or `]' in the list, found a string" },
	{ HEAD "disk = [ , ]\n", "t.cfg:3:10: unexpected `,' where a value was expected" },
	{ HEAD "memory = 1 2\n", "t.cfg:3:12: expected the end of the line or `;' after the value of `memory', found `2'" },
	{ HEAD "= 1\n", "t.cfg:3:1: expected a key (such as `memory'), found `='" },
	{ HEAD "\x01", "t.cfg:3:1: expected a key (such as `memory'), found byte 0x01" },
	{ HEAD "x = [[[[[[[[[]]]]]]]]]\n", "t.cfg:3:13: lists nested more than 8 deep" },
	{ HEAD "disk = []\ndisk += 'x'\n", "t.cfg:4:6: `+=' cannot add a string to `disk', which holds a list" },
	{ HEAD "extra = 'x'\nextra += []\n", "t.cfg:4:7: `+=' cannot add a list to `extra', which holds a string" },
	{ HEAD "memory = 'x'\n", "t.cfg:3:10: `memory' must be a number, not \"x\"" },
	{ HEAD "memory = []\n", "t.cfg:3:10: `memory' must be a number, not a list" },
	{ HEAD "kernel = []\n", "t.cfg:3:10: `kernel' must be a string, not a list" },
	{ HEAD "kernel = ''\n", "t.cfg:3:10: `kernel' must not be empty" },
	{ HEAD "ramdisk = ''\n", "t.cfg:3:11: `ramdisk' must not be empty" },
	{ HEAD "memory = 0\n", "t.cfg:3:10: `memory' must be between 1 and 17592186044416, not 0" },
	{ HEAD "maxmem = 0x100000000000000\n", "t.cfg:3:10: `maxmem' must be between 1 and 17592186044416, not 0x100000000000000" },
	{ HEAD "memory = 256\nmaxmem = 255\n", "t.cfg:4:10: maxmem (255 MB) must not be below memory (256 MB)" },
	{ HEAD "vcpus = 0\n", "t.cfg:3:9: `vcpus' must be between 1 and 128, not 0" },
	{ HEAD "maxvcpus = 129\n", "t.cfg:3:12: `maxvcpus' must be between 1 and 128, not 129" },
	{ HEAD "vcpus = 3\nmaxvcpus = 2\n", "t.cfg:4:12: maxvcpus (2) must not be below vcpus (3)" },
	{ HEAD "cpu_weight = 65536\n", "t.cfg:3:14: `cpu_weight' must be between 1 and 65535, not 65536" },
	{ HEAD "cap = 102401\n", "t.cfg:3:7: `cap' must be between 0 and 102400, not 102401" },
	{ HEAD "localtime = 'yes'\n", "t.cfg:3:13: `localtime' must be a number, not \"yes\"" },
	{ HEAD "on_reboot = 'reboot'\n", "t.cfg:3:13: unknown action \"reboot\" for `on_reboot' (destroy, restart, rename-restart, preserve, coredump-destroy, coredump-restart, soft-reset)" },
	{ HEAD "on_watchdog = []\n", "t.cfg:3:15: `on_watchdog' must be an action name, not a list" },
	{ HEAD "type = 'pvh'\n", "t.cfg:3:8: pvh guests are not supported by Paravane yet: only type=\"pv\"" },
	{ HEAD "type = 'hvm'\n", "t.cfg:3:8: hvm guests are not supported by Paravane yet: only type=\"pv\"" },
	{ HEAD "type = 'x'\n", "t.cfg:3:8: unknown guest type \"x\" (pv, pvh or hvm)" },
	{ HEAD "builder = 'hvm'\n", "t.cfg:3:11: hvm guests are not supported by Paravane yet: only type=\"pv\"" },
	{ HEAD "builder = 'xx'\n", "t.cfg:3:11: unknown builder \"xx\" (generic or hvm)" },
	{ HEAD "uuid = 'nope'\n", "t.cfg:3:8: bad uuid \"nope\": expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (hexadecimal digits)" },
	{ "kernel = '/k'\n", "t.cfg:2:1: no `name': a domain name must be specified (name = \"...\")" },
	{ "name = ''\nkernel = '/k'\n", "t.cfg:1:8: `name' must not be empty" },
	{ "name = 'a'\n", "t.cfg:2:1: no `kernel': a PV guest needs kernel = \"/path/to/vmlinuz\" (or a bootloader)" },
	{ HEAD "cpus = ''\n", "t.cfg:3:9: bad CPU list \"\": a CPU number, a range N-M or \"all\" expected" },
	{ HEAD "cpus = '1,'\n", "t.cfg:3:11: bad CPU list \"1,\": a CPU number, a range N-M or \"all\" expected" },
	{ HEAD "cpus = '1 2'\n", "t.cfg:3:10: bad CPU list \"1 2\": `,' expected between entries" },
	{ HEAD "cpus = '5-2'\n", "t.cfg:3:9: bad CPU list \"5-2\": range 5-2 goes backwards" },
	{ HEAD "cpus = '1024'\n", "t.cfg:3:9: bad CPU list \"1024\": CPU numbers go up to 1023" },
	{ HEAD "cpus = 'node:1'\n", "t.cfg:3:9: bad CPU list \"node:1\": NUMA node entries are not supported by Paravane yet" },
	{ HEAD "cpus = []\n", "t.cfg:3:8: `cpus' must not be an empty list" },
	{ HEAD "cpus = [[]]\n", "t.cfg:3:9: `cpus' entries must be strings such as \"0-3,^2\", not lists" },
	{ HEAD "disk = '/i,,xvda'\n", "t.cfg:3:8: `disk' must be a list of strings: disk = [ '...', ... ]" },
	{ HEAD "vif = [ [] ]\n", "t.cfg:3:9: `vif' entries must be strings, not lists" },
	{ HEAD "disk = [ '/i,,xvda', '/j,,xvda' ]\n", "t.cfg:3:22: disk 1: vdev xvda is already used by disk 0" },
	{ HEAD "disk = [ '/i' ]\n", "t.cfg:3:11: disk: no vdev in \"/i\" (the device the guest sees, such as xvda)" },
	{ HEAD "disk = [ '' ]\n", "t.cfg:3:11: disk: no vdev in \"\" (the device the guest sees, such as xvda)" },
	{ HEAD "disk = [ ',,xvda' ]\n", "t.cfg:3:11: disk: no target in \",,xvda\" (the image file or device to give the guest)" },
	{ HEAD "disk = [ '/i,,xvda,x' ]\n", "t.cfg:3:20: disk: unknown access \"x\" (ro, r, rw or w)" },
	{ HEAD "disk = [ '/i,vmdk,xvda' ]\n", "t.cfg:3:14: disk: unknown format \"vmdk\" (raw, qcow, qcow2, vhd or qed)" },
	{ HEAD "disk = [ '/i,,xvda,access=r,access=w' ]\n", "t.cfg:3:29: disk: `access' given twice" },
	{ HEAD "disk = [ 'target=/i,target=/j' ]\n", "t.cfg:3:11: disk: no vdev in \"target=/i,target=/j\" (the device the guest sees, such as xvda)" },
	{ HEAD "disk = [ '/i,,xvda,zz=1' ]\n", "t.cfg:3:20: disk: unknown parameter \"zz=1\"" },
	{ HEAD "disk = [ '/i,raw,xvda,rw,5' ]\n", "t.cfg:3:26: disk: too many positional parameters (target, format, vdev, access) at \"5\"" },
	{ HEAD "disk = [ '/i,,fd0' ]\n", "t.cfg:3:15: disk: bad vdev \"fd0\" (xvdX, hdX, sdX with an optional partition number, or dNpM)" },
	{ HEAD "disk = [ '/i,,xvd' ]\n", "t.cfg:3:15: disk: bad vdev \"xvd\" (xvdX, hdX, sdX with an optional partition number, or dNpM)" },
	{ HEAD "disk = [ '/i,,xvda,devtype=usb' ]\n", "t.cfg:3:28: disk: unknown devtype \"usb\" (cdrom)" },
	{ HEAD "disk = [ '/i,,xvda,backendtype=tap' ]\n", "t.cfg:3:32: disk: unknown backendtype \"tap\" (phy, qdisk or standalone)" },
	{ HEAD "disk = [ '/i,,xvda,specification=scsi' ]\n", "t.cfg:3:34: disk: unknown specification \"scsi\" (xen or virtio)" },
	{ HEAD "disk = [ '/i,,xvda,backend=' ]\n", "t.cfg:3:28: disk: backend= needs a domain name" },
	{ HEAD "disk = [ 'phy:/i,hdc:floppy' ]\n", "t.cfg:3:18: disk: bad vdev \"hdc:floppy\" (only \":cdrom\" may follow a vdev)" },
	{ HEAD "disk = [ '/i,,xvda,colo' ]\n", "t.cfg:3:20: disk: COLO is not supported by Paravane" },
	{ HEAD "disk = [ \"/i\\t,,xvda,x\" ]\n", "t.cfg:3:10: disk: unknown access \"x\" (ro, r, rw or w)" },
	{ HEAD "disk = [ '/i,raw,xvda,rw,a\\nb' ]\n", "t.cfg:3:10: disk: too many positional parameters (target, format, vdev, access) at \"a?b\"" },
	{ HEAD "disk = [ '/i,xvda,target=/j' ]\n", "t.cfg:3:19: disk: `target' given twice" },
	{ HEAD "disk = [ '/i,,xvda,devtype=cdrom,devtype=cdrom' ]\n", "t.cfg:3:34: disk: `devtype' given twice" },
	{ HEAD "disk = [ '/i,,xvda,backendtype=phy,backendtype=phy' ]\n", "t.cfg:3:36: disk: `backendtype' given twice" },
	{ HEAD "disk = [ '/i,,xvda,backend=a,backend=b' ]\n", "t.cfg:3:30: disk: `backend' given twice" },
	{ HEAD "disk = [ '/i,,xvda,script=a,script=b' ]\n", "t.cfg:3:29: disk: `script' given twice" },
	{ HEAD "disk = [ 'nbd:iscsi:h,xvda' ]\n", "t.cfg:3:15: disk: `script' given twice" },
	{ HEAD "disk = [ 'raw:qcow2:/i,xvda' ]\n", "t.cfg:3:15: disk: `format' given twice" },
	{ HEAD "disk = [ '/i,,xvda,specification=xen,specification=xen' ]\n", "t.cfg:3:38: disk: `specification' given twice" },
	{ HEAD "disk = [ '/i,,xvda,colo-port=7' ]\n", "t.cfg:3:20: disk: COLO parameters are not supported by Paravane (at \"colo-port=7\")" },
	{ HEAD "vif = [ 'rate=99999999999999GB/s' ]\n", "t.cfg:3:10: vif: bad rate \"99999999999999GB/s\" (RATE/s or RATE/s@INTERVAL, such as 10Mb/s or 1MB/s@20ms)" },
	{ HEAD "vif = [ 'rate=fast' ]\n", "t.cfg:3:10: vif: bad rate \"fast\" (RATE/s or RATE/s@INTERVAL, such as 10Mb/s or 1MB/s@20ms)" },
	{ HEAD "vif = [ 'rate=1MB/s@x' ]\n", "t.cfg:3:10: vif: bad rate \"1MB/s@x\" (RATE/s or RATE/s@INTERVAL, such as 10Mb/s or 1MB/s@20ms)" },
	{ HEAD "vif = [ 'rate=1099511627776GB/s@4000s' ]\n", "t.cfg:3:10: vif: rate \"1099511627776GB/s@4000s\" is too large" },
	{ HEAD "vif = [ 'rate=1MB/s@4294967297us' ]\n", "t.cfg:3:10: vif: bad rate \"1MB/s@4294967297us\" (RATE/s or RATE/s@INTERVAL, such as 10Mb/s or 1MB/s@20ms)" },
	{ HEAD "cpus = 1024\n", "t.cfg:3:8: bad CPU list \"1024\": CPU numbers go up to 1023" },
	{ HEAD "cpus = '2-1024'\n", "t.cfg:3:11: bad CPU list \"2-1024\": CPU numbers go up to 1023" },
	{ HEAD "disk = [ '/i,,xvda'", "t.cfg:3:8: list not closed: `]' missing" },
	{ HEAD "vif = [ 'mac=00:16:3e:00:00' ]\n", "t.cfg:3:10: vif: bad mac \"00:16:3e:00:00\" (six pairs of hexadecimal digits separated by `:', such as 00:16:3e:12:34:56)" },
	{ HEAD "vif = [ 'mac=00:16:3e:00:00:0g' ]\n", "t.cfg:3:10: vif: bad mac \"00:16:3e:00:00:0g\" (six pairs of hexadecimal digits separated by `:', such as 00:16:3e:12:34:56)" },
	{ HEAD "vif = [ 'mac=00-16-3e-00-00-01' ]\n", "t.cfg:3:10: vif: bad mac \"00-16-3e-00-00-01\" (six pairs of hexadecimal digits separated by `:', such as 00:16:3e:12:34:56)" },
	{ HEAD "vif = [ 'mac=00:16:3e:00:00:011' ]\n", "t.cfg:3:10: vif: bad mac \"00:16:3e:00:00:011\" (six pairs of hexadecimal digits separated by `:', such as 00:16:3e:12:34:56)" },
	{ HEAD "vif = [ 'bridge=b,x=1' ]\n", "t.cfg:3:19: vif: unknown parameter \"x\" (mac, bridge, gatewaydev, type, model, vifname, script, ip, backend, rate, devid, mtu)" },
	{ HEAD "vif = [ 'nosuchflag' ]\n", "t.cfg:3:10: vif: unknown flag \"nosuchflag\" (key=value pairs, trusted or untrusted)" },
	{ HEAD "vif = [ 'rate=10' ]\n", "t.cfg:3:10: vif: bad rate \"10\" (RATE/s or RATE/s@INTERVAL, such as 10Mb/s or 1MB/s@20ms)" },
	{ HEAD "vif = [ 'rate=0Mb/s' ]\n", "t.cfg:3:10: vif: bad rate \"0Mb/s\" (RATE/s or RATE/s@INTERVAL, such as 10Mb/s or 1MB/s@20ms)" },
	{ HEAD "vif = [ 'rate=10Mb/s@0ms' ]\n", "t.cfg:3:10: vif: bad rate \"10Mb/s@0ms\" (RATE/s or RATE/s@INTERVAL, such as 10Mb/s or 1MB/s@20ms)" },
	{ HEAD "vif = [ 'rate=10Mb/s@1h' ]\n", "t.cfg:3:10: vif: bad rate \"10Mb/s@1h\" (RATE/s or RATE/s@INTERVAL, such as 10Mb/s or 1MB/s@20ms)" },
	{ HEAD "vif = [ 'rate=1b/s@1us' ]\n", "t.cfg:3:10: vif: rate \"1b/s@1us\": less than one byte per interval" },
	{ HEAD "vif = [ 'rate=1b/s@5000s' ]\n", "t.cfg:3:10: vif: rate \"1b/s@5000s\": the interval is longer than 4294 s" },
	{ HEAD "vif = [ 'mtu=65536' ]\n", "t.cfg:3:10: vif: mtu must be a number from 68 to 65535, not \"65536\"" },
	{ HEAD "vif = [ 'devid=x' ]\n", "t.cfg:3:10: vif: devid must be a number from 0 to 65535, not \"x\"" },
	{ HEAD "vif = [ 'devid=1', 'devid=1' ]\n", "t.cfg:3:20: vif 1: devid 1 is already used by vif 0" },
	{ HEAD "vif = [ 'vifname=a/b' ]\n", "t.cfg:3:10: vif: bad vifname \"a/b\" (1 to 15 characters, no `/', `:' or spaces)" },
	{ HEAD "vif = [ 'vifname=' ]\n", "t.cfg:3:10: vif: bad vifname \"\" (1 to 15 characters, no `/', `:' or spaces)" },
	{ HEAD "vif = [ 'type=tap' ]\n", "t.cfg:3:10: vif: unknown type \"tap\" (ioemu or vif)" },
};

static void test_errors(void **state)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		struct xl_domain_config *cfg = (void *)1;
		const char *t = errors[i].text;
		int rc = xlcfg_parse("t.cfg", t, strlen(t), NULL, 0, &cfg, err, sizeof(err));

		if (rc != -EINVAL || cfg || strcmp(err, errors[i].want)) {
			print_error("case %u: rc %d\n  got  %s\n  want %s\n", i, rc, err, errors[i].want);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_nul_byte(void **state)
{
	static const char text[] = HEAD "extra = 'a\0b'\n";
	struct xl_domain_config *cfg;

	assert_int_equal(xlcfg_parse("t.cfg", text, sizeof(text) - 1, NULL, 0, &cfg, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t.cfg:3:11: a NUL byte in the file");
}

static void test_override_errors(void **state)
{
	static const char *const ov[] = { "memory=512", "vcpus 2" };
	static const char *const ov2[] = { "on_crash='x'" };

	expect_error(HEAD, ov, 2, "<command line>:2:7: expected `=' after `vcpus', found `2'");
	expect_error(HEAD, ov2, 1, "<command line>:1:10: unknown action \"x\" for `on_crash' (destroy, restart, rename-restart, preserve, coredump-destroy, coredump-restart, soft-reset)");
}

/* The length is obeyed: what follows it is never read. */
static void test_length(void **state)
{
	static const char text[] = HEAD "memory = 1234";
	struct xl_domain_config *c;
	char *exact = malloc(strlen(HEAD) + 10);	/* "memory = 1", no NUL */

	memcpy(exact, text, strlen(HEAD) + 10);
	assert_int_equal(xlcfg_parse("t.cfg", exact, strlen(HEAD) + 10, NULL, 0, &c, err, sizeof(err)), 0);
	assert_int_equal(c->memory_mb, 1);
	xl_domain_config_free(c);
	memcpy(exact, HEAD "extra = 'ab", strlen(HEAD) + 10);
	assert_int_equal(xlcfg_parse("t.cfg", exact, strlen(HEAD) + 10, NULL, 0, &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t.cfg:3:9: unterminated string: ' missing at the end of the line");
	free(exact);
	/* an empty file: the missing name is reported at 1:1 */
	assert_int_equal(xlcfg_parse("t.cfg", "", 0, NULL, 0, &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t.cfg:1:1: no `name': a domain name must be specified (name = \"...\")");
	/* a short error buffer is cut, still terminated */
	char small[12];
	assert_int_equal(xlcfg_parse("t.cfg", "x", 1, NULL, 0, &c, small, sizeof(small)), -EINVAL);
	assert_string_equal(small, "t.cfg:1:2: ");
}

static void test_files(void **state)
{
	char path[] = "/tmp/xlcfg_test_XXXXXX";
	struct xl_domain_config *c;
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(HEAD "memory = 64\n", f);
	fclose(f);
	assert_int_equal(xlcfg_parse_file(path, NULL, 0, &c, err, sizeof(err)), 0);
	assert_int_equal(c->memory_mb, 64);
	xl_domain_config_free(c);

	f = fopen(path, "w");
	for (unsigned i = 0; i <= XLCFG_MAX_FILE / 16; i++)
		fputs("# padding.....\n\n", f);
	fclose(f);
	assert_int_equal(xlcfg_parse_file(path, NULL, 0, &c, err, sizeof(err)), -EFBIG);
	assert_null(c);
	assert_non_null(strstr(err, "larger than 1048576 bytes"));
	unlink(path);

	assert_int_equal(xlcfg_parse_file(path, NULL, 0, &c, err, sizeof(err)), -ENOENT);
	assert_null(c);
	assert_non_null(strstr(err, ": No such file or directory"));
	xl_domain_config_free(NULL);
}

static void test_number(void **state)
{
	uint64_t v;
	const char *why;

	assert_int_equal(xlcfg_number("0", 10, &v, &why), 0);
	assert_int_equal(v, 0);
	assert_int_equal(xlcfg_number("0x1F", 100, &v, &why), 0);
	assert_int_equal(v, 31);
	assert_int_equal(xlcfg_number("017", 100, &v, &why), 0);
	assert_int_equal(v, 15);
	assert_int_equal(xlcfg_number("18446744073709551615", UINT64_MAX, &v, &why), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(xlcfg_number("101", 100, &v, &why), -ERANGE);
	assert_int_equal(xlcfg_number("f", 0, &v, &why), -EINVAL);
	assert_int_equal(xlcfg_number("5", 4, &v, &why), -ERANGE);
	assert_int_equal(xlcfg_number("", 4, &v, &why), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_scalar_keys),
		cmocka_unit_test(test_cmdline_keys),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_disks),
		cmocka_unit_test(test_vifs),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_override_errors),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_number),
	};

	return cmocka_run_group_tests_name("xlcfg", tests, NULL, NULL);
}
