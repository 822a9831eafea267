/*
 * xlcfg_keys.c - the keys a PV guest uses, typed and checked: one table
 * entry per key, each with its reader. Reading goes in table order (so
 * the checks between keys run in a fixed order whatever the file's), then
 * settings of keys not in the table are warned about in file order, then
 * the defaults and the checks between keys (memory <= maxmem, vcpus <=
 * maxvcpus, name and kernel present). docs/toolstack.md "xl.cfg".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>
#include "xlcfg_priv.h"

/* What the readers share: the configuration and what has been seen. */
struct build {
	struct xlcfg_ctx *ctx;
	struct xl_domain_config *cfg;
	const struct xlcfg_setting *memory, *maxmem, *vcpus, *maxvcpus, *cpus;
	const struct xlcfg_setting *cmdline, *root, *extra;
};

typedef int key_fn(struct build *b, const struct xlcfg_setting *s);

static int want_atom(struct build *b, const struct xlcfg_setting *s, const char *what)
{
	if (s->val.kind != XV_LIST)
		return 0;
	return xlcfg_error(b->ctx, &s->val.pos, "`%s' must be %s, not a list", s->key, what);
}

/* A string key: a copy in *DST (replacing what was there). */
static int get_string(struct build *b, const struct xlcfg_setting *s, char **dst)
{
	int rc = want_atom(b, s, "a string");

	if (rc)
		return rc;
	free(*dst);
	*dst = strdup(s->val.str);
	return *dst ? 0 : xlcfg_nomem(b->ctx, &s->val.pos);
}

static int get_path(struct build *b, const struct xlcfg_setting *s, char **dst)
{
	int rc = get_string(b, s, dst);

	if (!rc && !**dst)
		return xlcfg_error(b->ctx, &s->val.pos, "`%s' must not be empty", s->key);
	return rc;
}

static int get_uint(struct build *b, const struct xlcfg_setting *s, uint64_t min,
		    uint64_t max, uint64_t *out)
{
	const char *why;
	int rc = want_atom(b, s, "a number");

	if (rc)
		return rc;
	rc = xlcfg_number(s->val.str, max, out, &why);
	if (rc == -EINVAL)
		return xlcfg_error(b->ctx, &s->val.pos, "`%s' must be a number, not \"%s\"",
				   s->key, s->val.str);
	if (rc || *out < min)
		return xlcfg_error(b->ctx, &s->val.pos, "`%s' must be between %llu and %llu, not %s",
				   s->key, (unsigned long long)min, (unsigned long long)max,
				   s->val.str);
	return 0;
}

static int get_unsigned(struct build *b, const struct xlcfg_setting *s, unsigned min,
			unsigned max, unsigned *out)
{
	uint64_t v;
	int rc = get_uint(b, s, min, max, &v);

	if (!rc)
		*out = (unsigned)v;
	return rc;
}

static int key_name(struct build *b, const struct xlcfg_setting *s)
{
	int rc = get_string(b, s, &b->cfg->name);

	if (!rc && !b->cfg->name[0])
		return xlcfg_error(b->ctx, &s->val.pos, "`name' must not be empty");
	return rc;
}

static int key_uuid(struct build *b, const struct xlcfg_setting *s)
{
	int rc = want_atom(b, s, "a string");

	if (rc)
		return rc;
	if (uuid_parse(s->val.str, b->cfg->uuid))
		return xlcfg_error(b->ctx, &s->val.pos, "bad uuid \"%s\": expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (hexadecimal digits)",
				   s->val.str);
	b->cfg->has_uuid = true;
	return 0;
}

static int set_type(struct build *b, const struct xlcfg_setting *s, const char *t)
{
	if (!strcmp(t, "pv")) {
		b->cfg->type = XL_TYPE_PV;
		return 0;
	}
	if (!strcmp(t, "pvh") || !strcmp(t, "hvm"))
		return xlcfg_error(b->ctx, &s->val.pos, "%s guests are not supported by Paravane yet: only type=\"pv\"", t);
	return xlcfg_error(b->ctx, &s->val.pos, "unknown guest type \"%s\" (pv, pvh or hvm)", t);
}

static int key_type(struct build *b, const struct xlcfg_setting *s)
{
	int rc = want_atom(b, s, "a string");

	return rc ? rc : set_type(b, s, s->val.str);
}

/* builder= is the deprecated form of type=: "generic" is pv. */
static int key_builder(struct build *b, const struct xlcfg_setting *s)
{
	int rc = want_atom(b, s, "a string");

	if (rc)
		return rc;
	if (!strcmp(s->val.str, "generic"))
		return set_type(b, s, "pv");
	if (!strcmp(s->val.str, "hvm"))
		return set_type(b, s, "hvm");
	return xlcfg_error(b->ctx, &s->val.pos, "unknown builder \"%s\" (generic or hvm)", s->val.str);
}

/* Memory in MB: at most 2^44 MB (16 EB), so that KB and bytes fit in 64 bits. */
#define MAX_MB	(1ull << 44)

static int key_memory(struct build *b, const struct xlcfg_setting *s)
{
	b->memory = s;
	return get_uint(b, s, 1, MAX_MB, &b->cfg->memory_mb);
}

static int key_maxmem(struct build *b, const struct xlcfg_setting *s)
{
	b->maxmem = s;
	return get_uint(b, s, 1, MAX_MB, &b->cfg->maxmem_mb);
}

static int key_vcpus(struct build *b, const struct xlcfg_setting *s)
{
	b->vcpus = s;
	return get_unsigned(b, s, 1, XLCFG_MAX_VCPUS, &b->cfg->vcpus);
}

static int key_maxvcpus(struct build *b, const struct xlcfg_setting *s)
{
	b->maxvcpus = s;
	return get_unsigned(b, s, 1, XLCFG_MAX_VCPUS, &b->cfg->maxvcpus);
}

static int key_cpus(struct build *b, const struct xlcfg_setting *s)
{
	const struct xlcfg_value *v = &s->val;
	unsigned n = v->kind == XV_LIST ? v->n : 1;
	struct xl_domain_config *cfg = b->cfg;

	b->cpus = s;
	if (v->kind == XV_LIST && n == 0)
		return xlcfg_error(b->ctx, &v->pos, "`cpus' must not be an empty list");
	cfg->cpumaps = calloc(n, sizeof(*cfg->cpumaps));
	if (!cfg->cpumaps)
		return xlcfg_nomem(b->ctx, &v->pos);
	cfg->n_cpumaps = n;
	cfg->cpumap_per_vcpu = v->kind == XV_LIST;
	if (v->kind != XV_LIST)
		return xlcfg_cpulist_parse(b->ctx, v, &cfg->cpumaps[0]);
	for (unsigned i = 0; i < n; i++) {
		int rc;

		if (v->items[i].kind == XV_LIST)
			return xlcfg_error(b->ctx, &v->items[i].pos, "`cpus' entries must be strings such as \"0-3,^2\", not lists");
		rc = xlcfg_cpulist_parse(b->ctx, &v->items[i], &cfg->cpumaps[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static int key_cpu_weight(struct build *b, const struct xlcfg_setting *s)
{
	return get_unsigned(b, s, 1, 65535, &b->cfg->cpu_weight);
}

static int key_cap(struct build *b, const struct xlcfg_setting *s)
{
	return get_unsigned(b, s, 0, 100 * XLCFG_MAX_CPUS, &b->cfg->cap);
}

static int key_kernel(struct build *b, const struct xlcfg_setting *s)
{
	return get_path(b, s, &b->cfg->kernel);
}

static int key_ramdisk(struct build *b, const struct xlcfg_setting *s)
{
	return get_path(b, s, &b->cfg->ramdisk);
}

static int key_bootloader(struct build *b, const struct xlcfg_setting *s)
{
	return get_path(b, s, &b->cfg->bootloader);
}

static int key_cmdline(struct build *b, const struct xlcfg_setting *s)
{
	b->cmdline = s;
	return get_string(b, s, &b->cfg->cmdline);
}

static int key_root(struct build *b, const struct xlcfg_setting *s)
{
	b->root = s;
	return get_string(b, s, &b->cfg->root);
}

static int key_extra(struct build *b, const struct xlcfg_setting *s)
{
	b->extra = s;
	return get_string(b, s, &b->cfg->extra);
}

static const char *const action_names[] = {
	[XL_ACTION_DESTROY] = "destroy",
	[XL_ACTION_RESTART] = "restart",
	[XL_ACTION_RENAME_RESTART] = "rename-restart",
	[XL_ACTION_PRESERVE] = "preserve",
	[XL_ACTION_COREDUMP_DESTROY] = "coredump-destroy",
	[XL_ACTION_COREDUMP_RESTART] = "coredump-restart",
	[XL_ACTION_SOFT_RESET] = "soft-reset",
};

const char *xl_action_name(enum xl_action a)
{
	return (unsigned)a < sizeof(action_names) / sizeof(action_names[0]) ? action_names[a] : "?";
}

static int get_action(struct build *b, const struct xlcfg_setting *s, enum xl_action *out)
{
	int rc = want_atom(b, s, "an action name");

	if (rc)
		return rc;
	for (unsigned i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++) {
		if (!strcmp(s->val.str, action_names[i])) {
			*out = (enum xl_action)i;
			return 0;
		}
	}
	return xlcfg_error(b->ctx, &s->val.pos, "unknown action \"%s\" for `%s' (destroy, restart, rename-restart, preserve, coredump-destroy, coredump-restart, soft-reset)",
			   s->val.str, s->key);
}

static int key_on_poweroff(struct build *b, const struct xlcfg_setting *s)
{
	return get_action(b, s, &b->cfg->on_poweroff);
}

static int key_on_reboot(struct build *b, const struct xlcfg_setting *s)
{
	return get_action(b, s, &b->cfg->on_reboot);
}

static int key_on_crash(struct build *b, const struct xlcfg_setting *s)
{
	return get_action(b, s, &b->cfg->on_crash);
}

static int key_on_watchdog(struct build *b, const struct xlcfg_setting *s)
{
	return get_action(b, s, &b->cfg->on_watchdog);
}

/* BOOLEAN (xl.cfg(5)): a number, 0 false, anything else true. */
static int key_localtime(struct build *b, const struct xlcfg_setting *s)
{
	uint64_t v;
	int rc = get_uint(b, s, 0, UINT64_MAX, &v);

	if (!rc)
		b->cfg->localtime = v != 0;
	return rc;
}

static int want_string_list(struct build *b, const struct xlcfg_setting *s)
{
	if (s->val.kind != XV_LIST)
		return xlcfg_error(b->ctx, &s->val.pos, "`%s' must be a list of strings: %s = [ '...', ... ]",
				   s->key, s->key);
	for (unsigned i = 0; i < s->val.n; i++)
		if (s->val.items[i].kind == XV_LIST)
			return xlcfg_error(b->ctx, &s->val.items[i].pos, "`%s' entries must be strings, not lists", s->key);
	return 0;
}

static int key_disk(struct build *b, const struct xlcfg_setting *s)
{
	struct xl_domain_config *cfg = b->cfg;
	int rc = want_string_list(b, s);

	if (rc || !s->val.n)
		return rc;
	cfg->disks = calloc(s->val.n, sizeof(*cfg->disks));
	if (!cfg->disks)
		return xlcfg_nomem(b->ctx, &s->val.pos);
	for (unsigned i = 0; i < s->val.n; i++) {
		rc = xlcfg_disk_parse(b->ctx, &s->val.items[i], &cfg->disks[i]);
		cfg->n_disks = i + 1;	/* what may need freeing */
		if (rc)
			return rc;
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(cfg->disks[j].vdev, cfg->disks[i].vdev))
				return xlcfg_error(b->ctx, &s->val.items[i].pos, "disk %u: vdev %s is already used by disk %u",
						   i, cfg->disks[i].vdev, j);
	}
	return 0;
}

static int key_vif(struct build *b, const struct xlcfg_setting *s)
{
	struct xl_domain_config *cfg = b->cfg;
	int rc = want_string_list(b, s);

	if (rc || !s->val.n)
		return rc;
	cfg->vifs = calloc(s->val.n, sizeof(*cfg->vifs));
	if (!cfg->vifs)
		return xlcfg_nomem(b->ctx, &s->val.pos);
	for (unsigned i = 0; i < s->val.n; i++) {
		rc = xlcfg_vif_parse(b->ctx, &s->val.items[i], i, &cfg->vifs[i]);
		cfg->n_vifs = i + 1;
		if (rc)
			return rc;
		for (unsigned j = 0; j < i; j++)
			if (cfg->vifs[j].devid == cfg->vifs[i].devid)
				return xlcfg_error(b->ctx, &s->val.items[i].pos, "vif %u: devid %u is already used by vif %u",
						   i, cfg->vifs[i].devid, j);
	}
	return 0;
}

static const struct {
	const char *name;
	key_fn *fn;
} keys[] = {
	{ "name", key_name },		{ "uuid", key_uuid },
	{ "builder", key_builder },	{ "type", key_type },
	{ "memory", key_memory },	{ "maxmem", key_maxmem },
	{ "vcpus", key_vcpus },		{ "maxvcpus", key_maxvcpus },
	{ "cpus", key_cpus },		{ "cpu_weight", key_cpu_weight },
	{ "cap", key_cap },		{ "kernel", key_kernel },
	{ "ramdisk", key_ramdisk },	{ "bootloader", key_bootloader },
	{ "cmdline", key_cmdline },	{ "root", key_root },
	{ "extra", key_extra },		{ "on_poweroff", key_on_poweroff },
	{ "on_reboot", key_on_reboot },	{ "on_crash", key_on_crash },
	{ "on_watchdog", key_on_watchdog }, { "localtime", key_localtime },
	{ "disk", key_disk },		{ "vif", key_vif },
};

/* Keys of xl.cfg(5) that a PV guest may carry and Paravane does not act on yet. */
static const char *const later[] = {
	"on_soft_reset", "bootloader_args", "cpus_soft", "pool", "seclabel",
	"init_seclabel", "max_grant_frames", "max_maptrack_frames",
	"max_grant_version", "nomigrate", "driver_domain", "vfb", "vkb", "pci",
	"channel", "usbctrl", "usbdev", "vtpm", "p9", "pvcalls", "vdispl",
	"vsnd", "iomem", "ioports", "irqs", "e820_host", "tsc_mode",
	"rtc_timeoffset", "firmware", "claim_mode", "vnuma", "passthrough",
	"xend_suspend_evtchn_compat", "vmtrace_buf_kb", "cpuid", "features",
	"dtdev", "device_tree", "vpmu", "max_event_channels", "blkdev_start",
	"pvshim", "pvshim_path", "pvshim_cmdline", "pvshim_extra",
};

static bool in_table(const char *key)
{
	for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].name, key))
			return true;
	return false;
}

static bool in_later(const char *key)
{
	for (unsigned i = 0; i < sizeof(later) / sizeof(later[0]); i++)
		if (!strcmp(later[i], key))
			return true;
	return false;
}

static int warn_others(struct build *b, const struct xlcfg_doc *doc)
{
	for (unsigned i = 0; i < doc->n; i++) {
		const struct xlcfg_setting *s = &doc->s[i];
		int rc = 0;

		if (in_table(s->key))
			continue;
		if (in_later(s->key))
			rc = xlcfg_warn(b->ctx, &s->pos, "`%s' is not supported by Paravane yet, ignored", s->key);
		else
			rc = xlcfg_warn(b->ctx, &s->pos, "unknown key `%s', ignored", s->key);
		if (rc)
			return rc;
	}
	return 0;
}

/* The kernel's command line: cmdline=, or "root=ROOT EXTRA". */
static int compose_cmdline(struct build *b, const struct xlcfg_pos *end)
{
	struct xl_domain_config *cfg = b->cfg;
	const char *root = cfg->root, *extra = cfg->extra;
	size_t n;

	if (cfg->cmdline) {
		if (b->root || b->extra) {
			const struct xlcfg_setting *s = b->root ? b->root : b->extra;
			int rc = xlcfg_warn(b->ctx, &s->pos, "ignoring root= and extra= in favour of cmdline=");

			if (rc)
				return rc;
		}
		cfg->kernel_cmdline = strdup(cfg->cmdline);
	} else if (root || extra) {
		n = (root ? strlen("root=") + strlen(root) + 1 : 0) + (extra ? strlen(extra) : 0) + 1;
		cfg->kernel_cmdline = malloc(n);
		if (cfg->kernel_cmdline)
			snprintf(cfg->kernel_cmdline, n, "%s%s%s%s", root ? "root=" : "", root ? root : "",
				 root && extra ? " " : "", extra ? extra : "");
	} else {
		return 0;
	}
	return cfg->kernel_cmdline ? 0 : xlcfg_nomem(b->ctx, end);
}

/* Defaults (xl.cfg(5)) and the checks between keys. */
static int finish(struct build *b, const struct xlcfg_doc *doc)
{
	struct xl_domain_config *cfg = b->cfg;

	if (!cfg->name)
		return xlcfg_error(b->ctx, &doc->end, "no `name': a domain name must be specified (name = \"...\")");
	if (!cfg->kernel && !cfg->bootloader)
		return xlcfg_error(b->ctx, &doc->end, "no `kernel': a PV guest needs kernel = \"/path/to/vmlinuz\" (or a bootloader)");
	if (!b->memory)
		cfg->memory_mb = 128;
	if (!b->maxmem)
		cfg->maxmem_mb = cfg->memory_mb;
	if (cfg->memory_mb > cfg->maxmem_mb)
		return xlcfg_error(b->ctx, &b->maxmem->val.pos, "maxmem (%llu MB) must not be below memory (%llu MB)",
				   (unsigned long long)cfg->maxmem_mb, (unsigned long long)cfg->memory_mb);
	if (!b->vcpus)
		cfg->vcpus = 1;
	if (!b->maxvcpus)
		cfg->maxvcpus = cfg->vcpus;
	if (cfg->vcpus > cfg->maxvcpus)
		return xlcfg_error(b->ctx, &b->maxvcpus->val.pos, "maxvcpus (%u) must not be below vcpus (%u)",
				   cfg->maxvcpus, cfg->vcpus);
	if (b->cpus && cfg->cpumap_per_vcpu && cfg->n_cpumaps > cfg->maxvcpus) {
		int rc = xlcfg_warn(b->ctx, &b->cpus->val.items[cfg->maxvcpus].pos,
				    "`cpus' lists %u vCPUs but the domain has %u: the rest are ignored",
				    cfg->n_cpumaps, cfg->maxvcpus);

		if (rc)
			return rc;
	}
	return compose_cmdline(b, &doc->end);
}

int xlcfg_build(struct xlcfg_ctx *ctx, const struct xlcfg_doc *doc)
{
	struct build b = { .ctx = ctx, .cfg = ctx->cfg };
	int rc;

	b.cfg->cpu_weight = 256;
	b.cfg->on_poweroff = XL_ACTION_DESTROY;
	b.cfg->on_reboot = XL_ACTION_RESTART;
	b.cfg->on_crash = XL_ACTION_DESTROY;
	b.cfg->on_watchdog = XL_ACTION_DESTROY;
	for (unsigned k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		for (unsigned i = 0; i < doc->n; i++) {
			if (strcmp(doc->s[i].key, keys[k].name))
				continue;
			rc = keys[k].fn(&b, &doc->s[i]);
			if (rc)
				return rc;
		}
	}
	rc = warn_others(&b, doc);
	return rc ? rc : finish(&b, doc);
}
