/*
 * xl_backend.c - struct xl_ops over the real libraries: libxenctrl
 * (dom0-tools/libs/ctrl: getdomaininfo, physinfo, xen_version, pause,
 * unpause, destroy; vCPU state and affinity, max_mem, the credit
 * scheduler, the console ring, CPU idle time) and libxenstore (xenstore/, over xenstored's socket
 * or /dev/xen/xenbus). Opened once per command run; needs root in Dom0
 * (/dev/xen/privcmd) and a running xenstored.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include "xenctrl.h"
#include "xenstore.h"
#include "xl.h"
#include "xl_backend.h"

#define neg_errno xl_neg_errno

static int be_domains(void *priv, uint32_t first, unsigned int max, struct xl_dominfo *out)
{
	struct xl_backend *be = priv;
	xc_dominfo_t *info = calloc(max ? max : 1, sizeof(*info));
	int n;

	if (!info)
		return -ENOMEM;
	n = xc_domain_getinfo(be->xch, first, max, info);
	if (n < 0) {
		n = errno == ESRCH ? 0 : neg_errno();
		free(info);
		return n;
	}
	for (int i = 0; i < n; i++) {
		const xc_dominfo_t *x = &info[i];

		out[i] = (struct xl_dominfo){
			.domid = x->domid, .dying = x->dying, .crashed = x->crashed,
			.shutdown = x->shutdown, .paused = x->paused, .blocked = x->blocked,
			.running = x->running, .shutdown_reason = x->shutdown_reason,
			.current_kb = (uint64_t)x->nr_pages * 4, .max_kb = x->max_memkb,
			.outstanding_kb = (uint64_t)x->nr_outstanding_pages * 4,
			.cpu_time_ns = x->cpu_time, .online_vcpus = x->nr_online_vcpus,
			.max_vcpu_id = x->max_vcpu_id, .cpupool = x->cpupool,
		};
		memcpy(out[i].uuid, x->handle, sizeof(out[i].uuid));
	}
	free(info);
	return n;
}

static int be_physinfo(void *priv, struct xl_physinfo *out)
{
	struct xl_backend *be = priv;
	xc_physinfo_t p;

	if (xc_physinfo(be->xch, &p))
		return neg_errno();
	*out = (struct xl_physinfo){
		.threads_per_core = p.threads_per_core, .cores_per_socket = p.cores_per_socket,
		.nr_cpus = p.nr_cpus, .max_cpu_id = p.max_cpu_id, .nr_nodes = p.nr_nodes,
		.cpu_khz = p.cpu_khz, .capabilities = p.capabilities,
		.total_pages = p.total_pages, .free_pages = p.free_pages,
		.scrub_pages = p.scrub_pages, .outstanding_pages = p.outstanding_pages,
	};
	memcpy(out->hw_cap, p.hw_cap, sizeof(out->hw_cap));
	return 0;
}

/* A string sub-operation into buf (left empty when refused). */
static void version_str(xc_interface *xch, int cmd, char *buf, size_t len, size_t want)
{
	char tmp[XEN_COMMANDLINE_LEN + 1];
	size_t n = 0;

	memset(tmp, 0, sizeof(tmp));
	if (want < sizeof(tmp) && xc_version(xch, cmd, tmp) >= 0)
		n = strnlen(tmp, len - 1);	/* the hypervisor may not NUL-terminate */
	memcpy(buf, tmp, n);
	buf[n] = '\0';
}

static int be_version(void *priv, struct xl_version *v)
{
	struct xl_backend *be = priv;
	struct xen_compile_info ci;
	struct xen_platform_parameters pp;
	struct {
		struct xen_build_id h;
		uint8_t buf[64];
	} bid = { .h.len = 64 };
	int r;

	memset(v, 0, sizeof(*v));
	r = xc_version(be->xch, XENVER_version, NULL);
	if (r < 0)
		return neg_errno();
	v->major = (unsigned int)r >> 16;
	v->minor = (unsigned int)r & 0xffff;
	version_str(be->xch, XENVER_extraversion, v->extra, sizeof(v->extra), XEN_EXTRAVERSION_LEN);
	version_str(be->xch, XENVER_capabilities, v->caps, sizeof(v->caps), XEN_CAPABILITIES_INFO_LEN);
	version_str(be->xch, XENVER_changeset, v->changeset, sizeof(v->changeset), XEN_CHANGESET_INFO_LEN);
	version_str(be->xch, XENVER_commandline, v->commandline, sizeof(v->commandline), XEN_COMMANDLINE_LEN);
	memset(&ci, 0, sizeof(ci));
	if (xc_version(be->xch, XENVER_compile_info, &ci) == 0) {
		snprintf(v->compiler, sizeof(v->compiler), "%.*s", (int)sizeof(ci.compiler), ci.compiler);
		snprintf(v->compile_by, sizeof(v->compile_by), "%.*s", (int)sizeof(ci.compile_by) - 1, ci.compile_by);
		snprintf(v->compile_domain, sizeof(v->compile_domain), "%.*s", (int)sizeof(ci.compile_domain) - 1, ci.compile_domain);
		snprintf(v->compile_date, sizeof(v->compile_date), "%.*s", (int)sizeof(ci.compile_date) - 1, ci.compile_date);
	}
	r = xc_version(be->xch, XENVER_pagesize, NULL);
	v->pagesize = r > 0 ? (unsigned long)r : 0;
	if (xc_version(be->xch, XENVER_platform_parameters, &pp) == 0)
		v->virt_start = pp.virt_start;
	r = xc_version(be->xch, XENVER_build_id, &bid);
	if (r > 0 && r <= 64) {
		for (int i = 0; i < r; i++)
			snprintf(v->build_id + 2 * i, 3, "%02x", bid.buf[i]);
		v->have_build_id = true;
	}
	return 0;
}

static int be_pause(void *priv, uint32_t domid)
{
	return xc_domain_pause(((struct xl_backend *)priv)->xch, domid) ? neg_errno() : 0;
}

static int be_unpause(void *priv, uint32_t domid)
{
	return xc_domain_unpause(((struct xl_backend *)priv)->xch, domid) ? neg_errno() : 0;
}

static int be_destroy(void *priv, uint32_t domid)
{
	return xc_domain_destroy(((struct xl_backend *)priv)->xch, domid) ? neg_errno() : 0;
}

static int be_xs_read(void *priv, const char *path, char **val)
{
	struct xl_backend *be = priv;
	unsigned int len;

	*val = xs_read(be->xs, XBT_NULL, path, &len);
	return *val ? 0 : neg_errno();
}

static int be_xs_write(void *priv, const char *path, const char *val)
{
	struct xl_backend *be = priv;

	return xs_write(be->xs, XBT_NULL, path, val, (unsigned int)strlen(val)) ? 0 : neg_errno();
}

static int be_xs_rm(void *priv, const char *path)
{
	struct xl_backend *be = priv;

	return xs_rm(be->xs, XBT_NULL, path) ? 0 : neg_errno();
}

static int be_now(void *priv, double *epoch, double *uptime)
{
	struct timespec t;
	FILE *f;
	int ok;

	(void)priv;
	if (clock_gettime(CLOCK_REALTIME, &t))
		return neg_errno();
	*epoch = (double)t.tv_sec + (double)t.tv_nsec / 1e9;
	f = fopen("/proc/uptime", "r");
	if (!f)
		return neg_errno();
	ok = fscanf(f, "%lf", uptime) == 1;
	fclose(f);
	return ok ? 0 : -EIO;
}

static int be_uname(void *priv, char node[65], char release[65], char version[65], char machine[65])
{
	struct utsname u;

	(void)priv;
	if (uname(&u))
		return neg_errno();
	snprintf(node, 65, "%s", u.nodename);
	snprintf(release, 65, "%s", u.release);
	snprintf(version, 65, "%s", u.version);
	snprintf(machine, 65, "%s", u.machine);
	return 0;
}

/* ---- vCPUs, memory, scheduling, the hypervisor's log ---- */

static xc_interface *xch_of(void *priv)
{
	return ((struct xl_backend *)priv)->xch;
}

static int be_vcpu_info(void *priv, uint32_t domid, unsigned int vcpu, struct xl_vcpuinfo *out)
{
	xc_vcpuinfo_t v;

	if (xc_vcpu_getinfo(xch_of(priv), domid, vcpu, &v))
		return neg_errno();
	*out = (struct xl_vcpuinfo){ .online = v.online, .blocked = v.blocked,
				     .running = v.running, .cpu_time_ns = v.cpu_time, .cpu = v.cpu };
	return 0;
}

/* libxenctrl's maps are the host's size; ours len bytes: copy the common
 * part, leave the rest clear. */
static int be_vcpu_getaffinity(void *priv, uint32_t domid, unsigned int vcpu,
			       uint8_t *hard, uint8_t *soft, unsigned int len)
{
	xc_interface *xch = xch_of(priv);
	int sz = xc_get_cpumap_size(xch), rc = 0;
	uint8_t *h, *s;

	if (sz <= 0)
		return sz < 0 ? neg_errno() : -EINVAL;
	h = calloc(1, (size_t)sz);
	s = calloc(1, (size_t)sz);
	if (!h || !s)
		rc = -ENOMEM;
	else if (xc_vcpu_getaffinity(xch, domid, (int)vcpu, h, s,
				     XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT))
		rc = neg_errno();
	if (rc == 0) {
		memset(hard, 0, len);
		memset(soft, 0, len);
		memcpy(hard, h, (size_t)sz < len ? (size_t)sz : len);
		memcpy(soft, s, (size_t)sz < len ? (size_t)sz : len);
	}
	free(h);
	free(s);
	return rc;
}

static int be_vcpu_setaffinity(void *priv, uint32_t domid, unsigned int vcpu,
			       const uint8_t *hard, const uint8_t *soft, unsigned int len)
{
	xc_interface *xch = xch_of(priv);
	int sz = xc_get_cpumap_size(xch), rc = 0;
	uint32_t flags = (hard ? XEN_VCPUAFFINITY_HARD : 0) | (soft ? XEN_VCPUAFFINITY_SOFT : 0);
	uint8_t *h, *s;

	if (sz <= 0)
		return sz < 0 ? neg_errno() : -EINVAL;
	h = calloc(1, (size_t)sz);
	s = calloc(1, (size_t)sz);
	if (!h || !s) {
		rc = -ENOMEM;
		goto out;
	}
	if (hard)
		memcpy(h, hard, (size_t)sz < len ? (size_t)sz : len);
	if (soft)
		memcpy(s, soft, (size_t)sz < len ? (size_t)sz : len);
	if (xc_vcpu_setaffinity(xch, domid, (int)vcpu, h, s, flags))
		rc = neg_errno();
out:
	free(h);
	free(s);
	return rc;
}

static int be_setmaxmem(void *priv, uint32_t domid, uint64_t max_kb)
{
	return xc_domain_setmaxmem(xch_of(priv), domid, max_kb) ? neg_errno() : 0;
}

static int be_sched_id(void *priv, int *id)
{
	return xc_sched_id(xch_of(priv), id) ? neg_errno() : 0;
}

static int be_sched_credit_get(void *priv, uint32_t domid, unsigned int *weight, unsigned int *cap)
{
	struct xen_domctl_sched_credit c;

	if (xc_sched_credit_domain_get(xch_of(priv), domid, &c))
		return neg_errno();
	*weight = c.weight;
	*cap = c.cap;
	return 0;
}

static int be_sched_credit_set(void *priv, uint32_t domid, unsigned int weight, unsigned int cap)
{
	struct xen_domctl_sched_credit c = { .weight = (uint16_t)weight, .cap = (uint16_t)cap };

	return xc_sched_credit_domain_set(xch_of(priv), domid, &c) ? neg_errno() : 0;
}

static int be_sched_credit_params(void *priv, unsigned int *ts, unsigned int *rl, unsigned int *md)
{
	struct xen_sysctl_credit_schedule p = { 0 };

	if (xc_sched_credit_params_get(xch_of(priv), 0, &p))
		return neg_errno();
	*ts = p.tslice_ms;
	*rl = p.ratelimit_us;
	*md = p.vcpu_migr_delay_us;
	return 0;
}

/*
 * The whole ring, in pieces from index 0 on (incremental reads, each at
 * most what is left of buf). A read with clear marks as consumed what
 * it returned, no more, so every piece asks for it when clearing.
 */
static int be_readconsole(void *priv, char *buf, unsigned int *len, bool clear)
{
	xc_interface *xch = xch_of(priv);
	unsigned int off = 0, n;
	uint32_t index = 0;

	while (off < *len) {
		n = *len - off;
		if (xc_readconsolering(xch, buf + off, &n, clear, 1, &index))
			return neg_errno();
		if (n == 0)
			break;
		off += n;
	}
	*len = off;
	return 0;
}

static int be_cpu_idle(void *priv, unsigned int max, uint64_t *idle_ns)
{
	xc_cpuinfo_t *info = calloc(max ? max : 1, sizeof(*info));
	int n = 0, rc = 0;

	if (!info)
		return -ENOMEM;
	if (xc_getcpuinfo(xch_of(priv), (int)max, info, &n))
		rc = neg_errno();
	for (int i = 0; rc == 0 && i < n; i++)
		idle_ns[i] = info[i].idletime;
	free(info);
	return rc < 0 ? rc : n;
}

static int be_debug_keys(void *priv, const char *keys)
{
	return xc_send_debug_keys(xch_of(priv), keys) ? neg_errno() : 0;
}

const struct xl_ops xl_real_ops = {
	.domains = be_domains, .physinfo = be_physinfo, .version = be_version,
	.pause = be_pause, .unpause = be_unpause, .destroy = be_destroy,
	.xs_read = be_xs_read, .xs_write = be_xs_write, .xs_rm = be_xs_rm,
	.now = be_now, .uname = be_uname,
	.vcpu_info = be_vcpu_info, .vcpu_getaffinity = be_vcpu_getaffinity,
	.vcpu_setaffinity = be_vcpu_setaffinity, .setmaxmem = be_setmaxmem,
	.sched_id = be_sched_id, .sched_credit_get = be_sched_credit_get,
	.sched_credit_set = be_sched_credit_set, .sched_credit_params = be_sched_credit_params,
	.readconsole = be_readconsole, .cpu_idle = be_cpu_idle,
	.debug_keys = be_debug_keys,
};

/* Both handles, or -errno with a message naming the one that failed. */
int xl_backend_open(void **priv)
{
	struct xl_backend *be = calloc(1, sizeof(*be));
	int rc;

	if (!be)
		return -ENOMEM;
	be->xch = xc_interface_open(NULL, NULL, 0);
	if (!be->xch) {
		rc = neg_errno();	/* libxenctrl has said why */
		goto fail;
	}
	/* The socket only: xenstored runs in Dom0, and without it the
	 * kernel's xenbus device would take our requests and never answer. */
	be->xs = xs_open(XS_OPEN_SOCKETONLY);
	if (!be->xs) {
		rc = neg_errno();
		fprintf(stderr, "xl: cannot connect to xenstore: %s (is xenstored running?)\n", strerror(-rc));
		goto fail;
	}
	*priv = be;
	return 0;
fail:
	xl_backend_close(be);
	return rc;
}

void xl_backend_close(void *priv)
{
	struct xl_backend *be = priv;

	if (!be)
		return;
	if (be->xs)
		xs_close(be->xs);
	xc_interface_close(be->xch);
	free(be);
}
