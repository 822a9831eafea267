/*
 * xl_info.c - `xl info`: the host in Xen 4.17's "name : value" layout
 * (field names padded to 23 columns, in Xen's order): Dom0's kernel from
 * uname(2), the machine from sysctl physinfo, the hypervisor from
 * xen_version.
 *
 * Fields we cannot answer yet, and what they show (docs/toolstack.md
 * "xl"): sharing_freed_memory and sharing_used_memory 0 (no page
 * sharing), free_cpus 0 (no cpupools: every CPU is in the one pool, which
 * Xen also shows as 0), xen_scheduler "(null)" when the hypervisor does
 * not say (sysctl sched_id) or names one libxl has no string for, as
 * Xen's xl prints it, build_id empty when the hypervisor has none.
 */
#include <getopt.h>
#include <stdarg.h>
#include <string.h>
#include "xl.h"

/* Xen 4.17's capability bits (public sysctl.h: XEN_SYSCTL_PHYSCAP_*), in
 * the order and with the names xl prints them. */
static const struct {
	unsigned int bit;
	const char *name;
} caps[] = {
	{ 0, "hvm" }, { 1, "pv" }, { 3, "hap" }, { 4, "shadow" },
	{ 5, "iommu_hap_pt_share" }, { 6, "vmtrace" }, { 7, "vpmu" },
	{ 8, "gnttab-v1" }, { 9, "gnttab-v2" },
};
#define CAP_DIRECTIO 2

static void field(struct xl_ctx *ctx, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void field(struct xl_ctx *ctx, const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(ctx->out, "%-23s: ", name);
	va_start(ap, fmt);
	vfprintf(ctx->out, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->out);
}

static void virt_caps(struct xl_ctx *ctx, unsigned int c)
{
	char buf[256] = "";

	for (unsigned int i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		if (!(c & (1u << caps[i].bit)))
			continue;
		if (buf[0])
			strcat(buf, " ");
		strcat(buf, caps[i].name);
		/* directio qualifies hvm and pv */
		if (caps[i].bit <= 1 && (c & (1u << CAP_DIRECTIO)))
			strcat(buf, caps[i].bit ? " pv_directio" : " hvm_directio");
	}
	field(ctx, "virt_caps", "%s", buf);
}

static void print_physinfo(struct xl_ctx *ctx, const struct xl_physinfo *p)
{
	const uint32_t *h = p->hw_cap;

	field(ctx, "nr_cpus", "%u", p->nr_cpus);
	field(ctx, "max_cpu_id", "%u", p->max_cpu_id);
	field(ctx, "nr_nodes", "%u", p->nr_nodes);
	field(ctx, "cores_per_socket", "%u", p->cores_per_socket);
	field(ctx, "threads_per_core", "%u", p->threads_per_core);
	field(ctx, "cpu_mhz", "%u.%03u", p->cpu_khz / 1000, p->cpu_khz % 1000);
	field(ctx, "hw_caps", "%08x:%08x:%08x:%08x:%08x:%08x:%08x:%08x",
	      h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]);
	virt_caps(ctx, p->capabilities);
	/* pages of 4 KiB to MiB */
	field(ctx, "total_memory", "%llu", (unsigned long long)(p->total_pages / 256));
	field(ctx, "free_memory", "%llu", (unsigned long long)((p->free_pages + p->scrub_pages) / 256));
	field(ctx, "sharing_freed_memory", "0");
	field(ctx, "sharing_used_memory", "0");
	field(ctx, "outstanding_claims", "%llu", (unsigned long long)(p->outstanding_pages / 256));
	field(ctx, "free_cpus", "0");
}

/* libxl's names of XEN_SCHEDULER_* (5 to 9), "(null)" for the others. */
static const char *sched_name(struct xl_ctx *ctx)
{
	static const char *const names[] = { "credit", "credit2", "arinc653", "rtds", "null" };
	int id;

	if (ctx->ops->sched_id(ctx->priv, &id) < 0 || id < 5 || id > 9)
		return "(null)";
	return names[id - 5];
}

static void print_version(struct xl_ctx *ctx, const struct xl_version *v)
{
	field(ctx, "xen_major", "%u", v->major);
	field(ctx, "xen_minor", "%u", v->minor);
	field(ctx, "xen_extra", "%s", v->extra);
	field(ctx, "xen_version", "%u.%u%s", v->major, v->minor, v->extra);
	field(ctx, "xen_caps", "%s", v->caps);
	field(ctx, "xen_scheduler", "%s", sched_name(ctx));
	field(ctx, "xen_pagesize", "%lu", v->pagesize);
	field(ctx, "platform_params", "virt_start=0x%llx", (unsigned long long)v->virt_start);
	field(ctx, "xen_changeset", "%s", v->changeset);
	field(ctx, "xen_commandline", "%s", v->commandline);
	field(ctx, "cc_compiler", "%s", v->compiler);
	field(ctx, "cc_compile_by", "%s", v->compile_by);
	field(ctx, "cc_compile_domain", "%s", v->compile_domain);
	field(ctx, "cc_compile_date", "%s", v->compile_date);
	field(ctx, "build_id", "%s", v->build_id);
}

int main_info(struct xl_ctx *ctx, int argc, char **argv)
{
	char node[65], release[65], version[65], machine[65];
	struct xl_physinfo p;
	struct xl_version v;
	int c, status, rc;

	while ((c = xl_getopt(ctx, argc, argv, "", NULL, "info", 0, &status)) != -1)
		if (c == XL_OPT_EXIT)
			return status;
	rc = ctx->ops->uname(ctx->priv, node, release, version, machine);
	if (rc == 0) {
		field(ctx, "host", "%s", node);
		field(ctx, "release", "%s", release);
		field(ctx, "version", "%s", version);
		field(ctx, "machine", "%s", machine);
	}
	rc = ctx->ops->physinfo(ctx->priv, &p);
	if (rc < 0) {
		fprintf(ctx->err, "xl: info: sysctl physinfo failed: %s\n", strerror(-rc));
		return 1;
	}
	print_physinfo(ctx, &p);
	rc = ctx->ops->version(ctx->priv, &v);
	if (rc < 0) {
		fprintf(ctx->err, "xl: info: xen_version failed: %s\n", strerror(-rc));
		return 1;
	}
	print_version(ctx, &v);
	field(ctx, "xend_config_format", "4");
	return 0;
}
