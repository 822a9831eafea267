/*
 * xl_top.c - `xl top`: every domain's CPU and memory, refreshed. Xen
 * 4.17's `xl top` runs xentop; ours prints xentop's table itself, with
 * xentop's batch options (docs/toolstack.md "xl"): -b prints plain tables
 * one after another instead of redrawing the terminal, -i N stops after N
 * tables, -d SECS waits between them (3 by default).
 *
 * CPU(%) is the share of one CPU a domain used since the table before
 * (0 in the first), from getdomaininfo's cpu_time; MEM and MAXMEM in KiB
 * and in percent of the host's memory. NETS and VBDS count the domain's
 * backends in Dom0 and their counters add up over them, where xentop
 * reads them: network bytes from /proc/net/dev (the vif<domid>.N
 * interfaces of netback), block requests and sectors from each
 * vbd-<domid>-<dev>'s statistics in sysfs (blkback).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "xl.h"

double xl_top_cpu_pct(uint64_t ns_before, uint64_t ns_after, double secs)
{
	if (secs <= 0 || ns_after < ns_before)
		return 0;
	return (double)(ns_after - ns_before) / (secs * 1e9) * 100.0;
}

#define XL_PROC_NET_DEV "/proc/net/dev"
#define XL_BACKEND_DEVICES "/sys/bus/xen-backend/devices"

void xl_top_net(const char *text, uint32_t domid, struct xl_top_io *io)
{
	const char *line = text;

	while (line && *line) {
		unsigned int d, n;
		uint64_t rx, tx, skip;

		/* "  vif1.0: rx-bytes packets errs drop fifo frame compressed multicast tx-bytes ..." */
		if (sscanf(line, " vif%u.%u: %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
			   " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64,
			   &d, &n, &rx, &skip, &skip, &skip, &skip, &skip, &skip, &skip, &tx) == 11 &&
		    d == domid) {
			io->nets++;
			io->net_tx += rx;
			io->net_rx += tx;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
}

static uint64_t read_counter(const char *dir, const char *dev, const char *name)
{
	char path[512];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/statistics/%s", dir, dev, name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

void xl_top_vbd(const char *dir, uint32_t domid, struct xl_top_io *io)
{
	DIR *dp = opendir(dir);
	struct dirent *e;

	if (!dp)
		return;
	while ((e = readdir(dp))) {
		unsigned int d, dev;
		char end;

		if (sscanf(e->d_name, "vbd-%u-%u%c", &d, &dev, &end) != 2 || d != domid)
			continue;
		io->vbds++;
		io->vbd_oo += read_counter(dir, e->d_name, "oo_req");
		io->vbd_rd += read_counter(dir, e->d_name, "rd_req");
		io->vbd_wr += read_counter(dir, e->d_name, "wr_req");
		io->vbd_rsect += read_counter(dir, e->d_name, "rd_sect");
		io->vbd_wsect += read_counter(dir, e->d_name, "wr_sect");
	}
	closedir(dp);
}

/* All of a small text file, NUL-terminated (malloc'd), or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t len = 0, cap = 8192;
	char *buf = f ? malloc(cap) : NULL;

	while (buf) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		char *bigger;

		len += n;
		if (len < cap - 1)
			break;
		bigger = realloc(buf, cap * 2);
		if (!bigger) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = bigger;
		cap *= 2;
	}
	if (buf)
		buf[len] = '\0';
	if (f)
		fclose(f);
	return buf;
}

/* What the table before showed of a domain, for CPU(%). */
struct top_prev {
	uint32_t domid;
	uint64_t cpu_ns;
};

static void top_header(struct xl_ctx *ctx)
{
	fprintf(ctx->out, "%10s %6s %10s %6s %10s %6s %10s %9s %5s %4s %8s %8s %4s %8s %8s %8s %10s %10s %4s\n",
		"NAME", "STATE", "CPU(sec)", "CPU(%)", "MEM(k)", "MEM(%)", "MAXMEM(k)", "MAXMEM(%)",
		"VCPUS", "NETS", "NETTX(k)", "NETRX(k)", "VBDS", "VBD_OO", "VBD_RD", "VBD_WR",
		"VBD_RSECT", "VBD_WSECT", "SSID");
}

/* Dom0 under Xen has no allowance: max_pages is all ones */
#define TOP_NO_LIMIT_KB (0xffffffffull * 4)

static void top_row(struct xl_ctx *ctx, const struct xl_dominfo *d, double pct, uint64_t total_kb,
		    const char *net_dev)
{
	char name[256], maxk[24], maxp[16];
	struct xl_top_io io = { 0 };

	if (net_dev)
		xl_top_net(net_dev, d->domid, &io);
	xl_top_vbd(XL_BACKEND_DEVICES, d->domid, &io);
	if (xl_domname_of(ctx, d->domid, name, sizeof(name)))
		snprintf(name, sizeof(name), "(null)");
	if (d->max_kb >= TOP_NO_LIMIT_KB) {
		snprintf(maxk, sizeof(maxk), "no limit");
		snprintf(maxp, sizeof(maxp), "n/a");
	} else {
		snprintf(maxk, sizeof(maxk), "%llu", (unsigned long long)d->max_kb);
		snprintf(maxp, sizeof(maxp), "%.1f", total_kb ? (double)d->max_kb * 100 / (double)total_kb : 0);
	}
	fprintf(ctx->out, "%10.10s %c%c%c%c%c%c %10llu %6.1f %10llu %6.1f %10s %9s %5u %4u %8llu %8llu %4u %8llu %8llu %8llu %10llu %10llu %4u\n",
		name, d->dying ? 'd' : '-', d->shutdown ? 's' : '-', d->blocked ? 'b' : '-',
		d->crashed ? 'c' : '-', d->paused ? 'p' : '-', d->running ? 'r' : '-',
		(unsigned long long)(d->cpu_time_ns / 1000000000ull), pct,
		(unsigned long long)d->current_kb,
		total_kb ? (double)d->current_kb * 100 / (double)total_kb : 0, maxk, maxp,
		d->max_vcpu_id == ~0u ? 0 : d->max_vcpu_id + 1, io.nets,
		(unsigned long long)(io.net_tx / 1024), (unsigned long long)(io.net_rx / 1024), io.vbds,
		(unsigned long long)io.vbd_oo, (unsigned long long)io.vbd_rd, (unsigned long long)io.vbd_wr,
		(unsigned long long)io.vbd_rsect, (unsigned long long)io.vbd_wsect, 0u);
}

/* One table; prev (n entries, replaced) gives CPU(%) over secs. */
static int top_once(struct xl_ctx *ctx, struct top_prev **prev, int *nprev, double secs)
{
	struct xl_physinfo p;
	struct xl_dominfo *doms;
	struct top_prev *now;
	char *net_dev;
	int n, rc;

	rc = ctx->ops->physinfo(ctx->priv, &p);
	if (rc < 0)
		return rc;
	n = xl_domain_list(ctx, &doms);
	if (n < 0)
		return n;
	now = calloc((size_t)n + 1, sizeof(*now));
	if (!now) {
		free(doms);
		return -ENOMEM;
	}
	net_dev = slurp(XL_PROC_NET_DEV);	/* none (no network): no vifs */
	top_header(ctx);
	for (int i = 0; i < n; i++) {
		double pct = 0;

		for (int j = 0; j < *nprev; j++)
			if ((*prev)[j].domid == doms[i].domid)
				pct = xl_top_cpu_pct((*prev)[j].cpu_ns, doms[i].cpu_time_ns, secs);
		top_row(ctx, &doms[i], pct, p.total_pages * 4, net_dev);
		now[i] = (struct top_prev){ doms[i].domid, doms[i].cpu_time_ns };
	}
	free(net_dev);
	free(*prev);
	*prev = now;
	*nprev = n;
	free(doms);
	return 0;
}

/* Wait secs, or until 'q' is typed (interactive): true to go on. */
static bool top_wait(double secs, bool interactive)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	char ch;

	if (!interactive) {
		usleep((useconds_t)(secs * 1e6));
		return true;
	}
	if (poll(&pfd, 1, (int)(secs * 1000)) > 0 && read(0, &ch, 1) == 1 && (ch == 'q' || ch == 'Q'))
		return false;
	return true;
}

int main_top(struct xl_ctx *ctx, int argc, char **argv)
{
	struct top_prev *prev = NULL;
	double delay = 3;
	long iters = -1;
	bool batch = false;
	int c, status, nprev = 0, rc = 0;
	char *end;

	while ((c = xl_getopt(ctx, argc, argv, "bi:d:", NULL, "top", 0, &status)) != -1) {
		if (c == XL_OPT_EXIT)
			return status;
		if (c == 'b') {
			batch = true;
		} else if (c == 'i') {
			iters = strtol(optarg, &end, 10);
			if (*end || end == optarg || iters < 1) {
				fprintf(ctx->err, "xl: top: -i wants a number of tables, 1 or more: %s\n", optarg);
				return 1;
			}
		} else if (c == 'd') {
			delay = strtod(optarg, &end);
			if (*end || end == optarg || delay <= 0 || delay > 86400) {
				fprintf(ctx->err, "xl: top: -d wants seconds above 0: %s\n", optarg);
				return 1;
			}
		}
	}
	for (long i = 0; iters < 0 || i < iters; i++) {
		if (i && !top_wait(delay, !batch))
			break;
		if (!batch)
			fprintf(ctx->out, "\033[H\033[2J");	/* redraw from the top */
		rc = top_once(ctx, &prev, &nprev, delay);
		if (rc < 0) {
			fprintf(ctx->err, "xl: top: getting the domains failed: %s\n", strerror(-rc));
			break;
		}
		fflush(ctx->out);
	}
	free(prev);
	return rc < 0 ? 1 : 0;
}
