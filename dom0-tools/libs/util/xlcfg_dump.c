/*
 * xlcfg-dump FILE [KEY=VALUE...] - parses a domain configuration as
 * `xl create FILE KEY=VALUE...` would and prints every field of the
 * result, one per line, in a fixed order with the defaults filled in:
 * the canonical form the golden tests (tests/unit/dom0-tools/libs/util/xlcfg/) compare.
 * Warnings and the error line go to stderr as the parser wrote them,
 * with no d0_log prefix: they are this program's output, in the
 * "FILE:LINE:COLUMN: ..." form editors and the golden files read. Exit
 * status: 0 parsed, 1 a bad configuration (or file), 2 bad usage.
 */
#include <stdio.h>
#include <uuid/uuid.h>
#include "xlcfg.h"

/* A string quoted, with " \ and bytes outside printable ASCII escaped; NULL as -. */
static void pstr(const char *s)
{
	if (!s) {
		fputs("-", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < ' ' || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void field(const char *name, const char *s)
{
	printf("%s: ", name);
	pstr(s);
	putchar('\n');
}

static void pmap(const struct xl_cpumap *m)
{
	const char *sep = "";
	unsigned n = 0;

	while (n < XLCFG_MAX_CPUS) {
		unsigned lo;

		if (!xl_cpumap_test(m, n)) {
			n++;
			continue;
		}
		lo = n;
		while (n + 1 < XLCFG_MAX_CPUS && xl_cpumap_test(m, n + 1))
			n++;
		if (lo == n)
			printf("%s%u", sep, lo);
		else
			printf("%s%u-%u", sep, lo, n);
		sep = ",";
		n++;
	}
	if (!*sep)
		fputs("(none)", stdout);
}

static void disk(unsigned i, const struct xl_disk *d)
{
	static const char *const bt[] = { "auto", "phy", "qdisk", "standalone" };

	printf("disk[%u]: vdev=%s target=", i, d->vdev);
	pstr(d->target);
	printf(" format=%s access=%s devtype=%s backendtype=%s backend=",
	       xl_disk_format_name(d->format), d->readonly ? "ro" : "rw",
	       d->cdrom ? "cdrom" : "disk", bt[d->backendtype]);
	pstr(d->backend);
	fputs(" script=", stdout);
	pstr(d->script);
	printf(" specification=%s direct-io-safe=%d discard=%d trusted=%d\n",
	       d->virtio ? "virtio" : "xen", d->direct_io_safe, !d->no_discard, !d->untrusted);
}

static void vif(unsigned i, const struct xl_vif *v)
{
	static const char *const type[] = { "default", "ioemu", "vif" };

	printf("vif[%u]: devid=%u mac=", i, v->devid);
	if (v->has_mac)
		printf("%02x:%02x:%02x:%02x:%02x:%02x", v->mac[0], v->mac[1], v->mac[2],
		       v->mac[3], v->mac[4], v->mac[5]);
	else
		fputs("-", stdout);
	fputs(" bridge=", stdout);
	pstr(v->bridge);
	fputs(" ip=", stdout);
	pstr(v->ip);
	fputs(" script=", stdout);
	pstr(v->script);
	printf(" type=%s model=", type[v->type]);
	pstr(v->model);
	fputs(" vifname=", stdout);
	pstr(v->vifname);
	fputs(" gatewaydev=", stdout);
	pstr(v->gatewaydev);
	fputs(" backend=", stdout);
	pstr(v->backend);
	if (v->rate_interval_us)
		printf(" rate=%lluB/%uus", (unsigned long long)v->rate_bytes_per_interval,
		       v->rate_interval_us);
	else
		fputs(" rate=-", stdout);
	printf(" mtu=%u trusted=%d\n", v->mtu, !v->untrusted);
}

static void dump(const struct xl_domain_config *c)
{
	field("name", c->name);
	if (c->has_uuid) {
		char u[37];

		uuid_unparse_lower(c->uuid, u);
		printf("uuid: %s\n", u);
	} else {
		puts("uuid: -");
	}
	puts("type: pv");
	printf("memory: %llu\nmaxmem: %llu\nvcpus: %u\nmaxvcpus: %u\n",
	       (unsigned long long)c->memory_mb, (unsigned long long)c->maxmem_mb,
	       c->vcpus, c->maxvcpus);
	if (!c->n_cpumaps) {
		puts("cpus: -");
	} else if (!c->cpumap_per_vcpu) {
		fputs("cpus: ", stdout);
		pmap(&c->cpumaps[0]);
		putchar('\n');
	} else {
		for (unsigned i = 0; i < c->n_cpumaps; i++) {
			printf("cpus[vcpu %u]: ", i);
			pmap(&c->cpumaps[i]);
			putchar('\n');
		}
	}
	printf("cpu_weight: %u\ncap: %u\n", c->cpu_weight, c->cap);
	field("kernel", c->kernel);
	field("ramdisk", c->ramdisk);
	field("bootloader", c->bootloader);
	field("cmdline", c->cmdline);
	field("root", c->root);
	field("extra", c->extra);
	field("kernel_cmdline", c->kernel_cmdline);
	printf("on_poweroff: %s\non_reboot: %s\non_crash: %s\non_watchdog: %s\n",
	       xl_action_name(c->on_poweroff), xl_action_name(c->on_reboot),
	       xl_action_name(c->on_crash), xl_action_name(c->on_watchdog));
	printf("localtime: %d\n", c->localtime);
	for (unsigned i = 0; i < c->n_disks; i++)
		disk(i, &c->disks[i]);
	for (unsigned i = 0; i < c->n_vifs; i++)
		vif(i, &c->vifs[i]);
}

int main(int argc, char **argv)
{
	struct xl_domain_config *cfg;
	char err[XLCFG_ERR_MAX];

	if (argc < 2) {
		fprintf(stderr, "usage: xlcfg-dump FILE [KEY=VALUE...]\n");
		return 2;
	}
	if (xlcfg_parse_file(argv[1], (const char *const *)argv + 2, (unsigned)(argc - 2), &cfg,
			     err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	for (unsigned i = 0; i < cfg->n_warnings; i++)
		fprintf(stderr, "%s\n", cfg->warnings[i]);
	fflush(stderr);
	dump(cfg);
	xl_domain_config_free(cfg);
	return 0;
}
