/*
 * xlcfg_core.c - the xl.cfg parser's entry points (include/xlcfg.h):
 * the file, then the command-line overrides, through the grammar
 * (xlcfg_syntax.c) into settings, then the typed configuration
 * (xlcfg_keys.c); the error line, warnings, numbers and freeing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "xlcfg_priv.h"

static void vformat(char *dst, size_t n, const struct xlcfg_pos *pos, const char *what,
		    const char *fmt, va_list ap)
{
	int k;

	if (!n)
		return;
	k = snprintf(dst, n, "%s:%u:%u: %s", pos->file, pos->line, pos->col, what);
	if (k >= 0 && (size_t)k < n)
		vsnprintf(dst + k, n - k, fmt, ap);
	/* One line, whatever the values quoted in it hold. */
	for (; *dst; dst++)
		if ((unsigned char)*dst < ' ' || *dst == 0x7f)
			*dst = '?';
}

int xlcfg_error(struct xlcfg_ctx *ctx, const struct xlcfg_pos *pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(ctx->err, ctx->errlen, pos, "", fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int xlcfg_nomem(struct xlcfg_ctx *ctx, const struct xlcfg_pos *pos)
{
	xlcfg_error(ctx, pos, "out of memory");
	return -ENOMEM;
}

int xlcfg_warn(struct xlcfg_ctx *ctx, const struct xlcfg_pos *pos, const char *fmt, ...)
{
	struct xl_domain_config *cfg = ctx->cfg;
	char line[XLCFG_ERR_MAX], **w;
	va_list ap;

	va_start(ap, fmt);
	vformat(line, sizeof(line), pos, "warning: ", fmt, ap);
	va_end(ap);
	w = realloc(cfg->warnings, (cfg->n_warnings + 1) * sizeof(*w));
	if (!w)
		return xlcfg_nomem(ctx, pos);
	cfg->warnings = w;
	w[cfg->n_warnings] = strdup(line);
	if (!w[cfg->n_warnings])
		return xlcfg_nomem(ctx, pos);
	cfg->n_warnings++;
	return 0;
}

struct xlcfg_pos xlcfg_pos_in(const struct xlcfg_value *v, size_t off)
{
	struct xlcfg_pos p = v->pos;

	if (v->kind == XV_NUMBER)
		p.col += off;
	else if (v->kind == XV_STRING && v->plain)
		p.col += 1 + off;
	return p;
}

int xlcfg_number(const char *text, uint64_t max, uint64_t *out, const char **why)
{
	unsigned base = 10;
	const char *p = text;
	uint64_t v = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && p[1]) {
		base = 8;
		p++;
	}
	if (!*p) {
		*why = "not a decimal, octal (0...) or hexadecimal (0x...) number";
		return -EINVAL;
	}
	for (; *p; p++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			d = 99;
		if (d >= base) {
			*why = "not a decimal, octal (0...) or hexadecimal (0x...) number";
			return -EINVAL;
		}
		/* v * base + d > max, without overflowing */
		if (d > max || v > (max - d) / base) {
			*why = "out of range";
			return -ERANGE;
		}
		v = v * base + d;
	}
	*out = v;
	return 0;
}

void xl_domain_config_free(struct xl_domain_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->name);
	free(cfg->cpumaps);
	free(cfg->kernel);
	free(cfg->ramdisk);
	free(cfg->bootloader);
	free(cfg->cmdline);
	free(cfg->root);
	free(cfg->extra);
	free(cfg->kernel_cmdline);
	for (unsigned i = 0; i < cfg->n_disks; i++)
		xlcfg_disk_clear(&cfg->disks[i]);
	free(cfg->disks);
	for (unsigned i = 0; i < cfg->n_vifs; i++)
		xlcfg_vif_clear(&cfg->vifs[i]);
	free(cfg->vifs);
	for (unsigned i = 0; i < cfg->n_warnings; i++)
		free(cfg->warnings[i]);
	free(cfg->warnings);
	free(cfg);
}

int xlcfg_parse(const char *file, const char *buf, size_t len,
		const char *const *overrides, unsigned n_overrides,
		struct xl_domain_config **out, char *err, size_t errlen)
{
	struct xlcfg_ctx ctx = { .err = err, .errlen = errlen };
	struct xlcfg_doc doc = { 0 };
	struct xlcfg_pos start = { .file = file, .line = 1, .col = 1 };
	struct xl_domain_config *cfg = NULL;
	struct xlcfg_pos end;
	int rc;

	*out = NULL;
	if (errlen)
		err[0] = 0;
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return xlcfg_nomem(&ctx, &start);
	ctx.cfg = cfg;
	rc = xlcfg_syntax(&ctx, &doc, file, 1, buf, len);
	if (rc)
		goto out;
	end = doc.end;
	for (unsigned i = 0; i < n_overrides; i++) {
		rc = xlcfg_syntax(&ctx, &doc, "<command line>", i + 1, overrides[i],
				  strlen(overrides[i]));
		if (rc)
			goto out;
	}
	doc.end = end;
	rc = xlcfg_build(&ctx, &doc);
out:
	xlcfg_doc_free(&doc);
	if (rc) {
		xl_domain_config_free(cfg);
		return rc;
	}
	*out = cfg;
	return 0;
}

int xlcfg_parse_file(const char *path, const char *const *overrides,
		     unsigned n_overrides, struct xl_domain_config **out,
		     char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int fd = -1, rc;
	ssize_t r;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		goto out;
	}
	buf = malloc(XLCFG_MAX_FILE + 1);
	if (!buf) {
		rc = -ENOMEM;
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	/* One byte more than allowed, to see a file that is too big. */
	while (len <= XLCFG_MAX_FILE &&
	       (r = read(fd, buf + len, XLCFG_MAX_FILE + 1 - len)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			snprintf(err, errlen, "%s: %s", path, strerror(-rc));
			goto out;
		}
		len += r;
	}
	if (len > XLCFG_MAX_FILE) {
		rc = -EFBIG;
		snprintf(err, errlen, "%s: larger than %u bytes, not a domain configuration", path,
			 XLCFG_MAX_FILE);
		goto out;
	}
	rc = xlcfg_parse(path, buf, len, overrides, n_overrides, out, err, errlen);
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}
