/*
 * xlcfg_fuzz.c - libFuzzer over the xl.cfg parser (xlcfg_parse). The
 * input is a configuration file, optionally followed by a 0xff byte and
 * command-line overrides separated by 0xff bytes. The file is copied into
 * a buffer of exactly its size (no terminating NUL), so ASan sees any
 * read past the end. Checked: the parser returns either a configuration
 * or one error line ("FILE:LINE:COLUMN: ...", no new line in it), never
 * both; every string of a configuration is readable; the invariants the
 * header promises hold (vdev set, memory <= maxmem, vcpus <= maxvcpus).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "xlcfg.h"

#define MAX_OVERRIDES 8

static void check(int cond)
{
	if (!cond)
		abort();
}

static size_t touch(const char *s)
{
	return s ? strlen(s) : 0;
}

static void walk(const struct xl_domain_config *c)
{
	size_t n = touch(c->name) + touch(c->kernel) + touch(c->ramdisk) + touch(c->bootloader) +
		   touch(c->cmdline) + touch(c->root) + touch(c->extra) + touch(c->kernel_cmdline);

	check(c->name && c->name[0]);
	check(c->kernel || c->bootloader);
	check(c->memory_mb >= 1 && c->memory_mb <= c->maxmem_mb);
	check(c->vcpus >= 1 && c->vcpus <= c->maxvcpus && c->maxvcpus <= XLCFG_MAX_VCPUS);
	check(c->cpu_weight >= 1 && c->cpu_weight <= 65535);
	for (unsigned i = 0; i < c->n_cpumaps; i++)
		n += xl_cpumap_test(&c->cpumaps[i], 0);
	for (unsigned i = 0; i < c->n_disks; i++) {
		const struct xl_disk *d = &c->disks[i];

		check(d->vdev && d->vdev[0]);
		check(d->target || d->cdrom);
		n += touch(d->target) + touch(d->backend) + touch(d->script);
		for (unsigned j = 0; j < i; j++)
			check(strcmp(c->disks[j].vdev, d->vdev) != 0);
	}
	for (unsigned i = 0; i < c->n_vifs; i++) {
		const struct xl_vif *v = &c->vifs[i];

		n += touch(v->bridge) + touch(v->gatewaydev) + touch(v->model) + touch(v->vifname) +
		     touch(v->script) + touch(v->ip) + touch(v->backend);
		for (unsigned j = 0; j < i; j++)
			check(c->vifs[j].devid != v->devid);
	}
	for (unsigned i = 0; i < c->n_warnings; i++)
		check(strchr(c->warnings[i], '\n') == NULL && touch(c->warnings[i]) > 0);
	(void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memchr(data, 0xff, size);
	size_t flen = sep ? (size_t)(sep - data) : size;
	char *file = malloc(flen ? flen : 1), *ov[MAX_OVERRIDES];
	unsigned n_ov = 0;
	struct xl_domain_config *cfg = (void *)1;
	char err[XLCFG_ERR_MAX];
	int rc;

	if (!file)
		return 0;
	memcpy(file, data, flen);
	while (sep && n_ov < MAX_OVERRIDES) {
		const uint8_t *start = sep + 1, *end = data + size;
		const uint8_t *next = memchr(start, 0xff, end - start);
		size_t len = (next ? next : end) - start;

		ov[n_ov] = malloc(len + 1);
		if (!ov[n_ov])
			break;
		memcpy(ov[n_ov], start, len);
		ov[n_ov][len] = 0;	/* overrides are C strings (argv) */
		n_ov++;
		sep = next;
	}
	rc = xlcfg_parse("fuzz.cfg", file, flen, (const char *const *)ov, n_ov, &cfg, err, sizeof(err));
	if (rc == 0) {
		check(cfg != NULL);
		walk(cfg);
		xl_domain_config_free(cfg);
	} else {
		check(cfg == NULL);
		check(rc == -EINVAL || rc == -ENOMEM);
		check(err[0] && strchr(err, '\n') == NULL);
		check(!strncmp(err, "fuzz.cfg:", 9) || !strncmp(err, "<command line>:", 15));
	}
	for (unsigned i = 0; i < n_ov; i++)
		free(ov[i]);
	free(file);
	return 0;
}
