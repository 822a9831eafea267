/*
 * xl.h - the xl command (dom0-tools/xl): what the command families share.
 *
 * Shape. xl_run() (xl.c) parses the global options and finds the command in
 * the table (xl_cmdtable.c); each family of commands has its file
 * (xl_info.c, xl_list.c, xl_domain.c for domid/domname/rename,
 * xl_life.c for pause/unpause/destroy) and every command is
 *
 *	int cmd(struct xl_ctx *ctx, int argc, char **argv)
 *
 * returning the process's exit status, writing to ctx->out and ctx->err.
 * Commands never call libxenctrl or libxenstore themselves: they go
 * through ctx->ops (struct xl_ops), which xl_backend.c implements over the
 * real libraries and the unit tests (tests/unit/dom0-tools/xl/xl_test.c) over fake data.
 * Inside, functions answer 0 (or a count) or a negative errno
 * (dom0-tools/README.md "One way to build, fail and log").
 *
 * Output and exit statuses are Xen 4.17's xl's, recorded from Debian's xl
 * in tests/integration/xl/xl-xen-4.17.golden; where ours differs,
 * docs/toolstack.md "xl" says how.
 */
#ifndef XL_H
#define XL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* A domain, as getdomaininfo describes it: what xl prints of it. */
struct xl_dominfo {
	uint32_t domid;
	uint8_t uuid[16];
	bool dying, crashed, shutdown, paused, blocked, running;
	unsigned int shutdown_reason;	/* SHUTDOWN_*, only if shutdown */
	uint64_t current_kb;		/* tot_pages * 4 */
	uint64_t max_kb;		/* max_pages * 4 */
	uint64_t outstanding_kb;
	uint64_t cpu_time_ns;
	unsigned int online_vcpus;
	unsigned int max_vcpu_id;
	unsigned int cpupool;
};

/* One vCPU, as getvcpuinfo describes it. */
struct xl_vcpuinfo {
	bool online, blocked, running;
	uint64_t cpu_time_ns;
	unsigned int cpu;
};

/* CPU maps in xl: one bit per physical CPU, as libxenctrl's. */
#define XL_MAX_CPUS 1024
#define XL_CPUMAP_BYTES (XL_MAX_CPUS / 8)

/* The machine: physinfo, in the units it comes in. */
struct xl_physinfo {
	unsigned int threads_per_core, cores_per_socket, nr_cpus, max_cpu_id;
	unsigned int nr_nodes, cpu_khz, capabilities;
	uint64_t total_pages, free_pages, scrub_pages, outstanding_pages;
	uint32_t hw_cap[8];
};

/* The hypervisor: xen_version's answers (strings NUL-terminated; an
 * answer the hypervisor refused is left empty and its flag false). */
struct xl_version {
	unsigned int major, minor;
	char extra[16 + 1];
	char caps[1024 + 1];
	char changeset[64 + 1];
	char commandline[1024 + 1];
	char compiler[64], compile_by[16], compile_domain[32], compile_date[32];
	char build_id[2 * 64 + 1];	/* hex; empty when unknown */
	unsigned long pagesize;
	uint64_t virt_start;
	bool have_build_id;
};

/*
 * What xl needs from the hypervisor and xenstore. Each answers 0 (or a
 * count) or a negative errno; strings returned are malloc'd and freed by
 * the caller.
 */
struct xl_ops {
	/* Up to max domains with ids >= first, in id order: the count. */
	int (*domains)(void *priv, uint32_t first, unsigned int max, struct xl_dominfo *out);
	int (*physinfo)(void *priv, struct xl_physinfo *out);
	int (*version)(void *priv, struct xl_version *out);
	int (*pause)(void *priv, uint32_t domid);
	int (*unpause)(void *priv, uint32_t domid);
	int (*destroy)(void *priv, uint32_t domid);
	/* xenstore: *val malloc'd (NUL-terminated); -ENOENT when absent. */
	int (*xs_read)(void *priv, const char *path, char **val);
	int (*xs_write)(void *priv, const char *path, const char *val);
	int (*xs_rm)(void *priv, const char *path);
	/* Seconds since the epoch, and since Dom0's kernel booted. */
	int (*now)(void *priv, double *epoch, double *uptime);
	/* uname(2): the kernel's node name, release, version, machine. */
	int (*uname)(void *priv, char node[65], char release[65], char version[65], char machine[65]);

	/* ---- vCPUs, memory, scheduling, the hypervisor's log (xl_vcpu.c,
	 * xl_mem.c, xl_sched.c, xl_dmesg.c, xl_top.c) ---- */
	int (*vcpu_info)(void *priv, uint32_t domid, unsigned int vcpu, struct xl_vcpuinfo *out);
	/* hard and soft affinity, len bytes each (XL_CPUMAP_BYTES at most) */
	int (*vcpu_getaffinity)(void *priv, uint32_t domid, unsigned int vcpu,
				uint8_t *hard, uint8_t *soft, unsigned int len);
	/* hard or soft NULL: left as it is */
	int (*vcpu_setaffinity)(void *priv, uint32_t domid, unsigned int vcpu,
				const uint8_t *hard, const uint8_t *soft, unsigned int len);
	int (*setmaxmem)(void *priv, uint32_t domid, uint64_t max_kb);
	int (*sched_id)(void *priv, int *id);		/* XEN_SCHEDULER_* */
	int (*sched_credit_get)(void *priv, uint32_t domid, unsigned int *weight, unsigned int *cap);
	int (*sched_credit_set)(void *priv, uint32_t domid, unsigned int weight, unsigned int cap);
	/* the credit scheduler's tslice (ms), ratelimit and migration delay (us) */
	int (*sched_credit_params)(void *priv, unsigned int *tslice_ms, unsigned int *ratelimit_us,
				   unsigned int *migr_delay_us);
	/* the console ring into buf (*len IN its size, OUT bytes), emptied
	 * after reading when clear */
	int (*readconsole)(void *priv, char *buf, unsigned int *len, bool clear);
	/* up to max CPUs' idle time in ns: the count */
	int (*cpu_idle)(void *priv, unsigned int max, uint64_t *idle_ns);
	/* the hypervisor's debug keys (xl debug-keys) */
	int (*debug_keys)(void *priv, const char *keys);
};

struct xl_create_ops;
struct xl_dev_ops;

struct xl_ctx {
	const struct xl_ops *ops;
	const struct xl_create_ops *cops;	/* xl create and the monitor */
	const struct xl_dev_ops *dops;		/* split devices; NULL: none */
	void *priv;
	FILE *out, *err;
	int verbose;			/* -v, given n times */
	bool dryrun, force;		/* -N, -f */
};

struct xl_cmd {
	const char *name;
	int (*fn)(struct xl_ctx *ctx, int argc, char **argv);
	bool can_dryrun;
	bool modifies;			/* -f is meaningful: usage says [-vtTf] */
	const char *help;		/* one line, as in `xl help` */
	const char *usage;		/* after "xl [...] NAME " */
	const char *options;		/* NULL, or the option lines */
};

/* xl_cmdtable.c */
extern const struct xl_cmd xl_cmds[];
extern const unsigned int xl_nr_cmds;
const struct xl_cmd *xl_cmd_find(const char *name);

/*
 * xl.c: a whole run of "xl [GLOBAL OPTIONS] CMD ARGS...": the exit
 * status. open_backend (0 or -errno) sets ctx->ops and ctx->priv, and is
 * called only once a command that needs it has been found, so help,
 * usage errors and unknown commands work without a hypervisor;
 * close_backend undoes it after the command.
 */
int xl_run(struct xl_ctx *ctx, int argc, char **argv,
	   int (*open_backend)(struct xl_ctx *ctx), void (*close_backend)(struct xl_ctx *ctx));

/* xl.c: the usage of cmd (or the list of commands when NULL). */
void xl_help(struct xl_ctx *ctx, FILE *f, const char *cmd);

/*
 * Option parsing shared by every command (xl.c): getopt_long over
 * opts/longopts plus -h/--help. Returns the option character, -1 at the
 * end, or XL_OPT_EXIT with *status set: help printed (0), an unknown
 * option (2, "option `c' not supported.") or a missing argument (2), as
 * Xen's xl. Then checks that at least min arguments remain
 * ("'xl NAME' requires at least N argument(s)." and the usage, status 2).
 */
#define XL_OPT_EXIT (-2)
struct option;
int xl_getopt(struct xl_ctx *ctx, int argc, char **argv, const char *opts,
	      const struct option *longopts, const char *cmd, int min, int *status);

/* xl_domain.c: domain arguments and names */

/*
 * A domain argument as xl takes it: all digits is an id (not checked to
 * exist, as Xen's xl); anything else a name looked up in xenstore.
 * 0 and *domid, -ESRCH when no domain has that name, -errno otherwise.
 */
int xl_domid_of(struct xl_ctx *ctx, const char *arg, uint32_t *domid);

/* The same, printing Xen's "NAME is an invalid domain identifier (rc=-6)"
 * on failure: 0, or 1 (the exit status). */
int xl_find_domain(struct xl_ctx *ctx, const char *arg, uint32_t *domid);

/* The name of domid into buf: Domain-0 for 0, else xenstore's
 * /local/domain/N/name. 0, or -errno (-ENOENT: it has none). */
int xl_domname_of(struct xl_ctx *ctx, uint32_t domid, char *buf, size_t len);

/* getdomaininfo of exactly domid: 0, -ESRCH when it does not exist. */
int xl_dominfo_of(struct xl_ctx *ctx, uint32_t domid, struct xl_dominfo *info);

/*
 * Every domain into *out (malloc'd, the caller frees): the count, or
 * -errno.
 */
int xl_domain_list(struct xl_ctx *ctx, struct xl_dominfo **out);

/* The UUID as 8-4-4-4-12 lower-case hex (37 bytes with the NUL). */
void xl_uuid_str(const uint8_t uuid[16], char buf[37]);
/* A new random (version 4) UUID, without waiting for the random pool. */
void xl_uuid_generate(uint8_t uuid[16]);

/* The commands. */
int main_help(struct xl_ctx *, int, char **);
int main_info(struct xl_ctx *, int, char **);
int main_list(struct xl_ctx *, int, char **);
int main_vcpulist(struct xl_ctx *, int, char **);
int main_uptime(struct xl_ctx *, int, char **);
int main_domid(struct xl_ctx *, int, char **);
int main_domname(struct xl_ctx *, int, char **);
int main_rename(struct xl_ctx *, int, char **);
int main_pause(struct xl_ctx *, int, char **);
int main_unpause(struct xl_ctx *, int, char **);
int main_destroy(struct xl_ctx *, int, char **);

/* ---- xl create, shutdown, reboot and the domain monitor -------------------
 * xl_create.c (the command and the steps of a domain's making),
 * xl_xsnodes.c (the xenstore layout of a new PV domain), xl_monitor.c (the
 * process that carries out on_poweroff/on_reboot/on_crash/on_watchdog),
 * xl_shutdown.c (shutdown, reboot), xl_create_backend.c (struct
 * xl_create_ops over libxenctrl, libxenguest's pv_build and libxenstore).
 */

/* A permission of a xenstore node: 'n', 'r', 'w' or 'b', for domain id. */
struct xl_xsperm {
	char perm;
	uint32_t id;
};

/* One node xl writes for a new domain. */
#define XL_XSNODE_PATH 160
#define XL_XSNODE_VAL 128
struct xl_xsnode {
	char path[XL_XSNODE_PATH];
	char value[XL_XSNODE_VAL];
	unsigned int n_perms;		/* 1 or 2 */
	struct xl_xsperm perms[2];	/* the first is the owner */
};

/* What the layout of a new domain depends on. */
struct xl_xsdomain {
	uint32_t domid;
	const char *name;
	uint8_t uuid[16];
	uint64_t target_kb, max_kb;	/* memory/target, memory/static-max */
	unsigned int vcpus, max_vcpus;	/* cpu/N/availability: online below vcpus */
	uint32_t store_port, console_port;
	uint64_t store_mfn, console_mfn;
	const char *kernel, *ramdisk, *cmdline;	/* VM/image/: NULL when none */
	double start_time;		/* seconds since the epoch */
	const char *on_poweroff, *on_reboot, *on_crash, *on_watchdog;
};

/* The nodes, in the order written (parents first), into *out (malloc'd):
 * their count, or -ENOMEM. */
int xl_xsnodes(const struct xl_xsdomain *d, struct xl_xsnode **out);

/* The trees of the domain, what its end removes: /local/domain/N,
 * /libxl/N, the console backend's directory and /vm/UUID (left out when
 * uuid is all zeros, i.e. unknown). Fills up to 4 paths: their count. */
unsigned int xl_xsnodes_roots(uint32_t domid, const uint8_t uuid[16], char roots[4][64]);

/* What the builder is asked and answers (pv_build.h's, without its
 * header, so the unit tests need no libxenctrl). */
struct xl_build {
	const char *kernel, *ramdisk, *cmdline;
	uint64_t mem_kb;
	uint32_t console_port, store_port;
	uint64_t console_mfn, store_mfn;	/* out */
};

/* What xl create and the monitor need beyond struct xl_ops: each answers
 * 0 or a negative errno. */
struct xl_create_ops {
	int (*create)(void *priv, const uint8_t uuid[16], unsigned int max_vcpus, uint32_t *domid);
	int (*max_vcpus)(void *priv, uint32_t domid, unsigned int n);
	int (*setmaxmem)(void *priv, uint32_t domid, uint64_t kb);
	int (*alloc_unbound)(void *priv, uint32_t domid, uint32_t remote, uint32_t *port);
	/* on failure err holds one line naming the file and the problem */
	int (*build)(void *priv, uint32_t domid, struct xl_build *b, char *err, size_t errlen);
	/* every node with its permissions, in one transaction */
	int (*xs_nodes)(void *priv, const struct xl_xsnode *nodes, unsigned int n);
	int (*introduce)(void *priv, uint32_t domid, uint64_t store_mfn, uint32_t store_port);
	int (*release)(void *priv, uint32_t domid);
	/* the monitor: watch @releaseDomain, then wait for it to fire
	 * (1) or timeout_ms to pass (0) */
	int (*watch_release)(void *priv);
	int (*wait_release)(void *priv, int timeout_ms);
	/* fork(2) for the monitor: the child's pid in the parent, 0 in the
	 * child, whose xenstore connection is then its own; or -errno */
	int (*fork_monitor)(void *priv, const char *logfile);
	/* exec `xl console DOMID` in this process (returns only on failure) */
	int (*exec_console)(void *priv, uint32_t domid);
	/* sleep between polls of a domain's state (-w) */
	void (*sleep_ms)(void *priv, int ms);
};

extern const struct xl_create_ops xl_real_create_ops;

/* One domain's making from a parsed configuration (xl_create.c). */
struct xl_domain_config;
struct xl_make {
	const struct xl_domain_config *cfg;
	const char *name;		/* cfg->name, or the name a restart keeps */
	uint8_t uuid[16];
	bool paused;			/* -p: leave it paused */
	uint32_t domid;			/* out */
};

/* Check, create, build, write xenstore, introduce, unpause: 0, or 1
 * with a message printed and nothing left behind. */
int xl_make_domain(struct xl_ctx *ctx, struct xl_make *m);

/* The domain's end as xl does it: destroy it, release it in xenstored,
 * remove its nodes (each step tried even when one fails): 0 or -errno of
 * the destroy. */
int xl_unmake_domain(struct xl_ctx *ctx, uint32_t domid);

/* xl_monitor.c: what the monitor does for a domain in the state info
 * describes. */
enum xl_mon_step {
	XL_MON_WAIT,		/* still running or paused: keep waiting */
	XL_MON_GONE,		/* destroyed by someone else: stop */
	XL_MON_DESTROY,		/* destroy and stop */
	XL_MON_RESTART,		/* destroy, make it again (same name and uuid) */
	XL_MON_RENAME_RESTART,	/* rename the old one, keep it, make a new one */
	XL_MON_PRESERVE,	/* rename it, keep it, stop */
};
enum xl_mon_step xl_monitor_step(const struct xl_domain_config *cfg, bool exists,
				 const struct xl_dominfo *info);

/* Run the monitor of m's domain in this process until its end: the exit
 * status. */
int xl_monitor_run(struct xl_ctx *ctx, struct xl_make *m);

/* The name a preserved domain gets: NAME-YYYYMMDDTHHMMZ (UTC). */
void xl_preserved_name(const char *name, time_t now, char *buf, size_t len);

int main_create(struct xl_ctx *, int, char **);
int main_shutdown(struct xl_ctx *, int, char **);
int main_reboot(struct xl_ctx *, int, char **);
/* ---- end of xl create ---------------------------------------------------- */
/* ---- vCPUs, memory, scheduling, console, the hypervisor's log ---- */
int main_vcpupin(struct xl_ctx *, int, char **);
int main_vcpuset(struct xl_ctx *, int, char **);
int main_memset(struct xl_ctx *, int, char **);
int main_memmax(struct xl_ctx *, int, char **);
int main_sched_credit(struct xl_ctx *, int, char **);
int main_dmesg(struct xl_ctx *, int, char **);
int main_debug_keys(struct xl_ctx *, int, char **);
int main_top(struct xl_ctx *, int, char **);
int main_console(struct xl_ctx *, int, char **);

/*
 * xl_vcpu.c: a CPU list as xl takes it ("all", "N", "N-M", each possibly
 * "^"-negated, comma-separated, applied left to right) into map (nbits
 * bits, cleared first; CPUs at or above nbits are ignored, as Xen's xl
 * does). 0, or -EINVAL with *bad pointing at the entry it could not read.
 */
int xl_cpulist_parse(const char *s, uint8_t *map, unsigned int nbits, const char **bad);
/* The map as xl prints it: "all", "none", or ranges "0-2,5". */
void xl_cpumap_str(const uint8_t *map, unsigned int nbits, char *buf, size_t len);

/* xl_mem.c: "N[bBkKmMgGtT]" (MB without a suffix) in KiB, or -1. */
int64_t xl_parse_mem_kb(const char *s);

/* xl_top.c: CPU use in percent of one CPU over an interval. */
double xl_top_cpu_pct(uint64_t ns_before, uint64_t ns_after, double secs);

/* A domain's network and block counters, as xentop shows them. */
struct xl_top_io {
	unsigned int nets, vbds;
	uint64_t net_tx, net_rx;	/* bytes, as the domain sees them */
	uint64_t vbd_oo, vbd_rd, vbd_wr, vbd_rsect, vbd_wsect;
};
/* Its backend interfaces vif<domid>.N in the text of /proc/net/dev: the
 * domain sent what the vif received, and received what it sent. */
void xl_top_net(const char *proc_net_dev, uint32_t domid, struct xl_top_io *io);
/* Its block backends vbd-<domid>-<dev> in dir (the xen-backend bus's
 * devices in sysfs), from their statistics/ files. */
void xl_top_vbd(const char *dir, uint32_t domid, struct xl_top_io *io);

/*
 * xl_console.c: the escape character (Ctrl-]) in the bytes typed at the
 * console. The bytes before it, or all of them: the count to pass on;
 * *detach set when it was seen.
 */
#define XL_CONSOLE_ESCAPE 0x1d
size_t xl_console_filter(const char *buf, size_t len, bool *detach);

/* ---- split devices: vbd and vif (xl_devices.c, xl_block.c, xl_network.c) --
 * docs/split-drivers.md "Devices with xl". xl_devices_backend.c: struct
 * xl_dev_ops over libxenstore and fork/exec.
 */
#define XL_DEV_MAX 256		/* devices of one kind listed per domain */

struct xl_dev_ops {
	/* the children of path: *names malloc'd (one block), -ENOENT when absent */
	int (*xs_dir)(void *priv, const char *path, char ***names, unsigned int *n);
	/* run script with argv (argv[0] = script) and env added to xl's:
	 * 0 when it exits 0, else -EIO (its stderr goes to xl's) */
	int (*run_script)(void *priv, const char *script, const char *const argv[],
			  const char *const env[]);
};
extern const struct xl_dev_ops xl_real_dev_ops;

struct xdev_nodes;
/* Add one device laid out by libd0device: 0, or -errno with a message
 * naming the device and nothing left behind. */
int xl_dev_add(struct xl_ctx *ctx, const char *kind, uint32_t domid, const struct xdev_nodes *n);
/* Close, unplug (hotplug remove/offline) and remove one device; without
 * force a backend that does not close in time is left as it is. */
int xl_dev_remove(struct xl_ctx *ctx, const char *kind, uint32_t domid, uint32_t devid, bool force);
/* xl create: the cfg's disks, then its vifs: 0 or -1 (message printed). */
int xl_devices_add_all(struct xl_ctx *ctx, uint32_t domid, const struct xl_domain_config *cfg);
/* A domain's end: close every backend before destroying it, release
 * (wait, hotplug remove, nodes gone) after. No-ops without ctx->dops. */
bool xl_devices_close(struct xl_ctx *ctx, uint32_t domid);
void xl_devices_release(struct xl_ctx *ctx, uint32_t domid);
/* helpers: sorted numeric children of dir (count or -errno); a node's
 * integer value (dflt when absent); whether a node exists; "vbd N of
 * domain D"; random bits for a MAC; the timeout of each wait */
int xl_dev_ids(struct xl_ctx *ctx, const char *dir, uint32_t *ids, unsigned int max);
long xl_dev_read_int(struct xl_ctx *ctx, const char *path, long dflt);
bool xl_dev_exists(struct xl_ctx *ctx, const char *path);
void xl_dev_name(const char *kind, uint32_t domid, uint32_t devid, char *buf, size_t len);
uint32_t xl_dev_mac_seed(void);
int xl_dev_timeout_ms(void);
/* one disk= or vif= spec from command-line components, read by the
 * xl.cfg parser: 0 and *cfg, or -1 (message printed) */
int xl_dev_parse_spec(struct xl_ctx *ctx, const char *key, int argc, char **argv,
		      struct xl_domain_config **cfg);

int main_blockattach(struct xl_ctx *, int, char **);
int main_blockdetach(struct xl_ctx *, int, char **);
int main_blocklist(struct xl_ctx *, int, char **);
int main_networkattach(struct xl_ctx *, int, char **);
int main_networkdetach(struct xl_ctx *, int, char **);
int main_networklist(struct xl_ctx *, int, char **);
/* ---- end of split devices ------------------------------------------------- */

/* xl_list_json.c: list -l's JSON of n domains on ctx->out, 0 or -errno. */
int xl_list_json(struct xl_ctx *ctx, const struct xl_dominfo *doms, int n);

/* xl_backend.c: the real xl_ops over libxenctrl and libxenstore. */
extern const struct xl_ops xl_real_ops;
int xl_backend_open(void **priv);
void xl_backend_close(void *priv);

#endif /* XL_H */
