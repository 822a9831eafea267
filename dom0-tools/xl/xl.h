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
 * real libraries and the unit tests (tests/unit/xl_test.c) over fake data.
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
};

struct xl_ctx {
	const struct xl_ops *ops;
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

/* ---- vCPUs, memory, scheduling, console, the hypervisor's log ---- */
int main_vcpupin(struct xl_ctx *, int, char **);
int main_vcpuset(struct xl_ctx *, int, char **);
int main_memset(struct xl_ctx *, int, char **);
int main_memmax(struct xl_ctx *, int, char **);
int main_sched_credit(struct xl_ctx *, int, char **);
int main_dmesg(struct xl_ctx *, int, char **);
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

/*
 * xl_console.c: the escape character (Ctrl-]) in the bytes typed at the
 * console. The bytes before it, or all of them: the count to pass on;
 * *detach set when it was seen.
 */
#define XL_CONSOLE_ESCAPE 0x1d
size_t xl_console_filter(const char *buf, size_t len, bool *detach);

/* xl_list_json.c: list -l's JSON of n domains on ctx->out, 0 or -errno. */
int xl_list_json(struct xl_ctx *ctx, const struct xl_dominfo *doms, int n);

/* xl_backend.c: the real xl_ops over libxenctrl and libxenstore. */
extern const struct xl_ops xl_real_ops;
int xl_backend_open(void **priv);
void xl_backend_close(void *priv);

#endif /* XL_H */
