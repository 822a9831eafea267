/*
 * xlcfg.h - the xl.cfg parser (libxlutil.a): Xen's domain configuration
 * syntax (xl.cfg(5), xl-disk-configuration(5),
 * xl-network-configuration(5)) read into one typed structure.
 *
 * Pure code: no devices, no global state, nothing printed. The caller
 * (xl create, xlcfg-dump) prints the error line and the warnings.
 *
 *   struct xl_domain_config *cfg;
 *   char err[XLCFG_ERR_MAX];
 *   int rc = xlcfg_parse_file(path, overrides, n_overrides, &cfg,
 *                             err, sizeof(err));
 *   if (rc < 0) { fprintf(stderr, "%s\n", err); return 1; }
 *   for (i = 0; i < cfg->n_warnings; i++) print cfg->warnings[i];
 *   ... use cfg ...
 *   xl_domain_config_free(cfg);
 *
 * Errors: every syntax, type or consistency error gives one line,
 * "FILE:LINE:COLUMN: what is wrong" (lines and columns from 1, columns in
 * bytes); the parser stops at the first one and returns nothing.
 * Command-line overrides ("key=value", as `xl create cfg key=value...`
 * takes them) are parsed with the same grammar after the file, as file
 * "<command line>" with the argument's number (from 1) as the line.
 * docs/toolstack.md "xl.cfg" lists the syntax and the keys.
 *
 * Link with build/lib/libxlutil.a and -luuid (uuid= is read by libuuid).
 */
#ifndef XLCFG_H
#define XLCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XLCFG_ERR_MAX		512	/* enough for any error line */
#define XLCFG_MAX_CPUS		1024	/* host CPU numbers in cpus= */
#define XLCFG_MAX_VCPUS		128	/* vcpus= and maxvcpus= */
#define XLCFG_MAX_FILE		(1u << 20)	/* xlcfg_parse_file refuses more */

/* on_poweroff, on_reboot, on_crash, on_watchdog (xl.cfg(5) "Event Actions") */
enum xl_action {
	XL_ACTION_DESTROY,
	XL_ACTION_RESTART,
	XL_ACTION_RENAME_RESTART,
	XL_ACTION_PRESERVE,
	XL_ACTION_COREDUMP_DESTROY,
	XL_ACTION_COREDUMP_RESTART,
	XL_ACTION_SOFT_RESET,
};

enum xl_disk_format {
	XL_DISK_FORMAT_RAW,	/* the default */
	XL_DISK_FORMAT_QCOW,
	XL_DISK_FORMAT_QCOW2,
	XL_DISK_FORMAT_VHD,
	XL_DISK_FORMAT_QED,
};

enum xl_disk_backendtype {
	XL_DISK_BACKEND_AUTO,	/* not given: the toolstack chooses */
	XL_DISK_BACKEND_PHY,
	XL_DISK_BACKEND_QDISK,
	XL_DISK_BACKEND_STANDALONE,
};

/* One entry of disk=[...]; strings are NULL when not given. */
struct xl_disk {
	char *target;		/* path; NULL for an empty cdrom */
	enum xl_disk_format format;
	char *vdev;		/* always set: xvda, hdc, sdb2, ... */
	bool readonly;		/* access=ro|r; default rw, ro for a cdrom */
	bool cdrom;		/* devtype=cdrom or the cdrom flag */
	enum xl_disk_backendtype backendtype;
	char *backend;		/* backend domain name; NULL: Dom0 */
	char *script;		/* script=, or block-SCRIPT from a prefix */
	bool virtio;		/* specification=virtio (default xen) */
	bool direct_io_safe;
	bool no_discard;	/* the no-discard flag (default discard) */
	bool untrusted;		/* the untrusted flag (default trusted) */
};

enum xl_vif_type { XL_VIF_TYPE_DEFAULT, XL_VIF_TYPE_IOEMU, XL_VIF_TYPE_VIF };

/* One entry of vif=[...]; strings are NULL when not given. */
struct xl_vif {
	unsigned devid;		/* devid=, else its index in the list */
	bool has_mac;
	uint8_t mac[6];
	char *bridge, *gatewaydev, *model, *vifname, *script, *ip, *backend;
	enum xl_vif_type type;
	/* rate=RATE/s[@INTERVAL]: bytes_per_interval bytes every
	 * interval_us microseconds; both 0 when unlimited. */
	uint64_t rate_bytes_per_interval;
	uint32_t rate_interval_us;
	unsigned mtu;		/* 0: not given */
	bool untrusted;
};

/* A set of host CPUs (cpus=). */
struct xl_cpumap {
	uint8_t bits[XLCFG_MAX_CPUS / 8];
};

enum xl_domain_type { XL_TYPE_PV };	/* pvh and hvm are refused for now */

struct xl_domain_config {
	char *name;			/* mandatory */
	bool has_uuid;
	uint8_t uuid[16];		/* uuid=, libuuid's layout */
	enum xl_domain_type type;
	uint64_t memory_mb;		/* default 128 */
	uint64_t maxmem_mb;		/* default memory_mb */
	unsigned vcpus;			/* default 1 */
	unsigned maxvcpus;		/* default vcpus */
	/*
	 * cpus=: n_cpumaps 0 when not given (no pinning); 1 with
	 * cpumap_per_vcpu false for a string (every vCPU); one per listed
	 * vCPU with cpumap_per_vcpu true for a list (vCPU i gets cpumaps[i];
	 * vCPUs past the list are not pinned; entries past maxvcpus are
	 * ignored, with a warning).
	 */
	unsigned n_cpumaps;
	bool cpumap_per_vcpu;
	struct xl_cpumap *cpumaps;
	unsigned cpu_weight;		/* 1..65535, default 256 */
	unsigned cap;			/* percent of one CPU, 0: no cap */
	char *kernel, *ramdisk, *bootloader;	/* NULL when not given */
	char *cmdline, *root, *extra;	/* as given, NULL when not */
	/* What the kernel gets: cmdline if given, else "root=ROOT EXTRA". */
	char *kernel_cmdline;
	enum xl_action on_poweroff;	/* default destroy */
	enum xl_action on_reboot;	/* default restart */
	enum xl_action on_crash;	/* default destroy */
	enum xl_action on_watchdog;	/* default destroy */
	bool localtime;
	unsigned n_disks, n_vifs;
	struct xl_disk *disks;
	struct xl_vif *vifs;
	/* Warnings ("FILE:LINE:COLUMN: warning: ..."), for the caller to print. */
	unsigned n_warnings;
	char **warnings;
};

/*
 * Parses the LEN bytes at BUF (need not be NUL-terminated; never read
 * past LEN) named FILE in messages, then N_OVERRIDES "key=value" strings.
 * Returns 0 and a new configuration in *OUT, or a negative errno with
 * *OUT NULL and the error line in ERR: -EINVAL for a bad configuration,
 * -ENOMEM.
 */
int xlcfg_parse(const char *file, const char *buf, size_t len,
		const char *const *overrides, unsigned n_overrides,
		struct xl_domain_config **out, char *err, size_t errlen);

/* The same for a file read from PATH (-errno of open or read, -EFBIG
 * above XLCFG_MAX_FILE, each with the error line in ERR). */
int xlcfg_parse_file(const char *path, const char *const *overrides,
		     unsigned n_overrides, struct xl_domain_config **out,
		     char *err, size_t errlen);

/* Frees everything CFG holds, and CFG; NULL is accepted. */
void xl_domain_config_free(struct xl_domain_config *cfg);

/* Names as xl.cfg writes them ("rename-restart", "qcow2"). */
const char *xl_action_name(enum xl_action a);
const char *xl_disk_format_name(enum xl_disk_format f);

/* Whether host CPU N is in MAP (false when N >= XLCFG_MAX_CPUS). */
bool xl_cpumap_test(const struct xl_cpumap *map, unsigned n);

#endif /* XLCFG_H */
