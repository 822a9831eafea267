/*
 * xl_vcpu.c - a domain's vCPUs from the command line: vcpu-list (state,
 * CPU time, hard and soft affinity of each), vcpu-pin (set the
 * affinities), vcpu-set (how many are online: xenstore's
 * cpu/N/availability, which the guest's kernel watches, as Xen's
 * toolstack does for a PV guest). Formats, messages and exit statuses are
 * Xen 4.17's xl's (tests/integration/xlops/xlops-xen-4.17.golden); where
 * ours differs docs/toolstack.md "xl" says how.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "xl.h"

/* ---- CPU lists and maps ------------------------------------------------ */

static void map_set(uint8_t *map, unsigned int nbits, unsigned long cpu, bool on)
{
	if (cpu >= nbits)	/* beyond the host's CPUs: ignored, as Xen's xl */
		return;
	if (on)
		map[cpu / 8] |= (uint8_t)(1u << (cpu % 8));
	else
		map[cpu / 8] &= (uint8_t)~(1u << (cpu % 8));
}

static bool map_test(const uint8_t *map, unsigned int cpu)
{
	return (map[cpu / 8] >> (cpu % 8)) & 1;
}

/* "N" or "N-M" (N <= M, decimal) into *a, *b: 0, or -EINVAL. */
static int parse_range(const char *s, size_t len, unsigned long *a, unsigned long *b)
{
	char buf[32], *end;

	if (!len || len >= sizeof(buf) || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*a = strtoul(buf, &end, 10);
	*b = *a;
	if (*end == '-') {
		if (!isdigit((unsigned char)end[1]))
			return -EINVAL;
		*b = strtoul(end + 1, &end, 10);
	}
	if (errno || *end || *a > *b || *b >= XL_MAX_CPUS * 64ul)
		return -EINVAL;
	return 0;
}

int xl_cpulist_parse(const char *s, uint8_t *map, unsigned int nbits, const char **bad)
{
	memset(map, 0, (nbits + 7) / 8);
	while (*s) {
		size_t len = strcspn(s, ",");
		bool not = s[0] == '^';
		const char *e = s + not;
		size_t elen = len - not;
		unsigned long a, b;

		if (elen == 3 && !strncmp(e, "all", 3)) {
			a = 0;
			b = nbits ? nbits - 1 : 0;
		} else if (parse_range(e, elen, &a, &b)) {
			*bad = s;
			return -EINVAL;
		}
		for (unsigned long c = a; c <= b && c < nbits; c++)
			map_set(map, nbits, c, !not);
		s += len;
		if (*s == ',')
			s++;
	}
	return 0;
}

void xl_cpumap_str(const uint8_t *map, unsigned int nbits, char *buf, size_t len)
{
	size_t off = 0;
	bool any = false, all = true;

	buf[0] = '\0';
	for (unsigned int i = 0; i < nbits; i++)
		all &= map_test(map, i);
	if (nbits && all) {
		snprintf(buf, len, "all");
		return;
	}
	for (unsigned int i = 0; i < nbits; i++) {
		unsigned int j = i;

		if (!map_test(map, i))
			continue;
		while (j + 1 < nbits && map_test(map, j + 1))
			j++;
		if (off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%u", any ? "," : "", i);
		if (j > i && off < len)
			off += (size_t)snprintf(buf + off, len - off, "-%u", j);
		any = true;
		i = j;
	}
	if (!any)
		snprintf(buf, len, "none");
}

/* The host's CPU count for maps (max_cpu_id + 1), or -errno. */
static int host_cpus(struct xl_ctx *ctx, unsigned int *online)
{
	struct xl_physinfo p;
	int rc = ctx->ops->physinfo(ctx->priv, &p);

	if (rc < 0)
		return rc;
	if (online)
		*online = p.nr_cpus;
	return p.max_cpu_id + 1 > XL_MAX_CPUS ? XL_MAX_CPUS : (int)p.max_cpu_id + 1;
}

/* ---- vcpu-list ---------------------------------------------------------- */

/* Every vCPU of d, one row each: 0, or -errno when one cannot be read. */
static int vcpu_rows(struct xl_ctx *ctx, const struct xl_dominfo *d, unsigned int ncpus)
{
	uint8_t hard[XL_CPUMAP_BYTES], soft[XL_CPUMAP_BYTES];
	char name[256], hs[512], ss[512], cpu[16];
	unsigned int bytes = (ncpus + 7) / 8;

	if (xl_domname_of(ctx, d->domid, name, sizeof(name)))
		snprintf(name, sizeof(name), "(null)");
	if (d->max_vcpu_id == ~0u)	/* no vCPUs made yet */
		return 0;
	for (unsigned int v = 0; v <= d->max_vcpu_id; v++) {
		struct xl_vcpuinfo vi;
		int rc = ctx->ops->vcpu_info(ctx->priv, d->domid, v, &vi);

		if (rc == 0)
			rc = ctx->ops->vcpu_getaffinity(ctx->priv, d->domid, v, hard, soft, bytes);
		if (rc < 0)
			return rc;
		xl_cpumap_str(hard, ncpus, hs, sizeof(hs));
		xl_cpumap_str(soft, ncpus, ss, sizeof(ss));
		if (vi.online)
			snprintf(cpu, sizeof(cpu), "%u", vi.cpu);
		else
			snprintf(cpu, sizeof(cpu), "-");
		fprintf(ctx->out, "%-32s %5u %5u %4s   %c%c%c %9.1f  %s / %s\n", name, d->domid, v,
			cpu, vi.running ? 'r' : '-', vi.blocked ? 'b' : '-', vi.online ? '-' : 'p',
			(double)vi.cpu_time_ns / 1e9, hs, ss);
	}
	return 0;
}

static void vcpu_rows_of(struct xl_ctx *ctx, uint32_t domid, unsigned int ncpus)
{
	struct xl_dominfo d;
	int rc = xl_dominfo_of(ctx, domid, &d);

	if (rc == 0)
		rc = vcpu_rows(ctx, &d, ncpus);
	if (rc == -ESRCH)
		fprintf(ctx->err, "xl: vcpu-list: domain %u does not exist\n", domid);
	else if (rc < 0)
		fprintf(ctx->err, "xl: vcpu-list: domain %u: getting its vCPUs failed: %s\n", domid,
			strerror(-rc));
}

int main_vcpulist(struct xl_ctx *ctx, int argc, char **argv)
{
	struct xl_dominfo *doms;
	int c, status, n, ncpus;

	while ((c = xl_getopt(ctx, argc, argv, "", NULL, "vcpu-list", 0, &status)) != -1)
		if (c == XL_OPT_EXIT)
			return status;
	fprintf(ctx->out, "%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU", "State",
		"Time(s)", "Affinity (Hard / Soft)");
	ncpus = host_cpus(ctx, NULL);
	if (ncpus < 0) {
		fprintf(ctx->err, "xl: vcpu-list: sysctl physinfo failed: %s\n", strerror(-ncpus));
		return 1;
	}
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			uint32_t domid;

			if (xl_find_domain(ctx, argv[i], &domid))
				return 1;
			vcpu_rows_of(ctx, domid, (unsigned int)ncpus);
		}
		return 0;
	}
	n = xl_domain_list(ctx, &doms);
	if (n < 0) {
		fprintf(ctx->err, "xl: vcpu-list: getting the domains failed: %s\n", strerror(-n));
		return 1;
	}
	for (int i = 0; i < n; i++) {
		int rc = vcpu_rows(ctx, &doms[i], (unsigned int)ncpus);

		if (rc < 0)
			fprintf(ctx->err, "xl: vcpu-list: domain %u: getting its vCPUs failed: %s\n",
				doms[i].domid, strerror(-rc));
	}
	free(doms);
	return 0;
}

/* ---- vcpu-pin ----------------------------------------------------------- */

/* "-" (NULL map: unchanged) or a CPU list into map: 0, else the exit
 * status after Xen's message. */
static int affinity_arg(struct xl_ctx *ctx, const char *arg, const char *which, uint8_t *map,
			unsigned int nbits, bool *given)
{
	const char *bad;
	size_t n;

	*given = strcmp(arg, "-") != 0;
	if (!*given)
		return 0;
	if (xl_cpulist_parse(arg, map, nbits, &bad)) {
		n = strcspn(bad, ",");
		fprintf(ctx->err, "Invalid pcpu range: %.*s.\n", (int)n, bad);
		return 1;
	}
	for (unsigned int i = 0; i < nbits / 8; i++)
		if (map[i])
			return 0;
	fprintf(ctx->err, "vcpu %s affinity map is empty\n", which);
	return 1;
}

static void warn_soft(struct xl_ctx *ctx, uint32_t domid, unsigned int v, unsigned int ncpus);

int main_vcpupin(struct xl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "ignore-global-affinity-masks", no_argument, NULL, 'i' },
		{ 0, 0, 0, 0 },
	};
	uint8_t hard[XL_CPUMAP_BYTES], soft[XL_CPUMAP_BYTES];
	bool has_hard, has_soft = false, all;
	struct xl_dominfo d;
	unsigned long vcpu = 0;
	unsigned int nbits;
	uint32_t domid;
	int c, status, ncpus, rc;
	char *end;

	/* -f (undo the kernel's override pinning) and masks from xl.conf:
	 * neither exists here, so both are accepted and change nothing */
	while ((c = xl_getopt(ctx, argc, argv, "f", longopts, "vcpu-pin", 3, &status)) != -1)
		if (c == XL_OPT_EXIT)
			return status;
	if (xl_find_domain(ctx, argv[optind], &domid))
		return 1;
	all = !strcmp(argv[optind + 1], "all");
	if (!all) {
		errno = 0;
		vcpu = strtoul(argv[optind + 1], &end, 10);
		if (errno || end == argv[optind + 1] || *end || vcpu > UINT32_MAX) {
			fprintf(ctx->err, "Error: Invalid argument %s as VCPU.\n", argv[optind + 1]);
			return 1;
		}
	}
	ncpus = host_cpus(ctx, NULL);
	if (ncpus < 0) {
		fprintf(ctx->err, "xl: vcpu-pin: sysctl physinfo failed: %s\n", strerror(-ncpus));
		return 1;
	}
	/* the maps are whole bytes, as libxl's: a CPU beyond the host's but
	 * within the last byte is passed on, and the hypervisor judges it */
	nbits = ((unsigned int)ncpus + 7) / 8 * 8;
	if (affinity_arg(ctx, argv[optind + 2], "hard", hard, nbits, &has_hard))
		return 1;
	if (optind + 3 < argc && affinity_arg(ctx, argv[optind + 3], "soft", soft, nbits, &has_soft))
		return 1;
	if ((!has_hard && !has_soft) || ctx->dryrun)
		return 0;	/* "-" alone, or -N: nothing to change */
	rc = xl_dominfo_of(ctx, domid, &d);
	if (rc < 0) {
		fprintf(ctx->err, "xl: vcpu-pin: domain %u: %s\n", domid,
			rc == -ESRCH ? "no such domain" : strerror(-rc));
		fprintf(ctx->err, "Could not set affinity.\n");
		return 1;
	}
	for (unsigned long v = all ? 0 : vcpu; v <= (all ? d.max_vcpu_id : vcpu); v++) {
		rc = ctx->ops->vcpu_setaffinity(ctx->priv, domid, (unsigned int)v,
						has_hard ? hard : NULL, has_soft ? soft : NULL,
						((unsigned int)ncpus + 7) / 8);
		if (rc < 0) {
			fprintf(ctx->err, "xl: vcpu-pin: domain %u vCPU %lu: setting its affinity failed: %s\n",
				domid, v, strerror(-rc));
			if (all)
				fprintf(ctx->err, "Could not set affinity.\n");
			else
				fprintf(ctx->err, "Could not set affinity for vcpu `%lu'.\n", v);
			return 1;
		}
		if (has_soft)
			warn_soft(ctx, domid, (unsigned int)v, (unsigned int)ncpus);
	}
	return 0;
}

/*
 * A soft affinity with no CPU in the hard one means nothing to the
 * scheduler: said, as Xen's toolstack does, but not refused.
 */
static void warn_soft(struct xl_ctx *ctx, uint32_t domid, unsigned int v, unsigned int ncpus)
{
	uint8_t hard[XL_CPUMAP_BYTES], soft[XL_CPUMAP_BYTES];
	unsigned int bytes = (ncpus + 7) / 8;

	if (ctx->ops->vcpu_getaffinity(ctx->priv, domid, v, hard, soft, bytes) < 0)
		return;
	for (unsigned int i = 0; i < bytes; i++)
		if (hard[i] & soft[i])
			return;
	fprintf(ctx->err, "xl: vcpu-pin: domain %u vCPU %u: none of its soft affinity's CPUs is in its hard affinity: only the hard affinity counts\n",
		domid, v);
}

/* ---- vcpu-set ----------------------------------------------------------- */

/* cpu/N/availability for every vCPU the domain has: the first count
 * online, the others offline. 0 or -errno. */
static int set_online(struct xl_ctx *ctx, uint32_t domid, unsigned int max, unsigned long count)
{
	char path[96];

	for (unsigned int v = 0; v < max; v++) {
		int rc;

		snprintf(path, sizeof(path), "/local/domain/%u/cpu/%u/availability", domid, v);
		rc = ctx->ops->xs_write(ctx->priv, path, v < count ? "online" : "offline");
		if (rc < 0)
			return rc;
	}
	return 0;
}

int main_vcpuset(struct xl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ignore-host", no_argument, NULL, 'i' }, { 0, 0, 0, 0 },
	};
	bool ignore_host = false;
	struct xl_dominfo d;
	unsigned int online;
	unsigned long count;
	uint32_t domid;
	int c, status, rc;
	char *end;

	while ((c = xl_getopt(ctx, argc, argv, "i", longopts, "vcpu-set", 2, &status)) != -1) {
		if (c == XL_OPT_EXIT)
			return status;
		ignore_host = true;
	}
	if (xl_find_domain(ctx, argv[optind], &domid))
		return 1;
	errno = 0;
	count = strtoul(argv[optind + 1], &end, 10);
	if (errno || end == argv[optind + 1] || *end || count > INT32_MAX) {
		fprintf(ctx->err, "Error: Invalid argument.\n");
		return 1;
	}
	if (!ignore_host) {
		rc = host_cpus(ctx, &online);
		if (rc < 0) {
			fprintf(ctx->err, "xl: vcpu-set: sysctl physinfo failed: %s\n", strerror(-rc));
			return 1;
		}
		if (count > online) {
			fprintf(ctx->err, "You are overcommmitting! You have %u physical CPUs and want %lu vCPUs! Aborting, use --ignore-host to continue\n",
				online, count);
			return 1;
		}
	}
	rc = xl_dominfo_of(ctx, domid, &d);
	if (rc < 0)
		fprintf(ctx->err, "xl: vcpu-set: domain %u: %s\n", domid,
			rc == -ESRCH ? "no such domain" : strerror(-rc));
	else if (count == 0 || d.max_vcpu_id == ~0u || count > d.max_vcpu_id + 1ul) {
		fprintf(ctx->err, "xl: vcpu-set: domain %u: %lu vCPUs asked for, it has %u\n", domid,
			count, d.max_vcpu_id == ~0u ? 0 : d.max_vcpu_id + 1);
		rc = -EINVAL;
	} else {
		rc = set_online(ctx, domid, d.max_vcpu_id + 1, count);
		if (rc < 0)
			fprintf(ctx->err, "xl: vcpu-set: domain %u: writing cpu/N/availability: %s\n",
				domid, strerror(-rc));
	}
	if (rc < 0) {
		fprintf(ctx->err, "libxl_set_vcpuonline failed domid=%u max_vcpus=%lu, rc: -3\n", domid, count);
		return 1;
	}
	return 0;
}
