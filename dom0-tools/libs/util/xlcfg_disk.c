/*
 * xlcfg_disk.c - one DISKSPEC of disk=[...] (xl-disk-configuration(5)).
 *
 * The string is a comma-separated series of KEY=VALUE pairs, flags
 * (cdrom, direct-io-safe, discard, no-discard, trusted, untrusted) and
 * positional parameters, which fill the parameters not given so far in
 * the order target, format, vdev, access. Each parameter at most once;
 * an empty value means the default. "target=" takes the rest of the
 * string, commas included, so it comes last. Spaces before a parameter
 * are skipped.
 *
 * The deprecated forms are understood too: prefixes on a positional
 * target ("phy:", "file:", "tap:aio:" stripped; "raw:", "qcow:",
 * "qcow2:", "vhd:" give the format; "iscsi:", "nbd:", "enbd:", "drbd:"
 * give script=block-NAME), after which the next positional is the vdev
 * (as in "phy:/dev/loop0,xvda,w"); a vdev suffix ":cdrom"; and a
 * positional in the format's place that is no format but looks like a
 * vdev (",hdc:cdrom,r").
 *
 * Defaults: format raw, access rw (ro for a cdrom), backend Dom0; vdev is
 * mandatory, target too except for a cdrom (an empty drive).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xlcfg_priv.h"

enum { P_TARGET, P_FORMAT, P_VDEV, P_ACCESS, N_POS };

struct dspec {
	struct xlcfg_ctx *ctx;
	const struct xlcfg_value *v;
	struct xl_disk *d;
	bool given[N_POS];
	char *val[N_POS];		/* as given; NULL or "" for the default */
	size_t at[N_POS];		/* where in the string, for messages */
	bool depr;			/* a deprecated prefix was seen */
	bool devtype, backendtype, backend, script, spec;
};

static const char *const formats[] = {
	[XL_DISK_FORMAT_RAW] = "raw", [XL_DISK_FORMAT_QCOW] = "qcow",
	[XL_DISK_FORMAT_QCOW2] = "qcow2", [XL_DISK_FORMAT_VHD] = "vhd",
	[XL_DISK_FORMAT_QED] = "qed",
};
#define N_FORMATS (sizeof(formats) / sizeof(formats[0]))

const char *xl_disk_format_name(enum xl_disk_format f)
{
	return (unsigned)f < N_FORMATS ? formats[f] : "?";
}

static int find(const char *const *names, unsigned n, const char *s, size_t len)
{
	for (unsigned i = 0; i < n; i++)
		if (strlen(names[i]) == len && !strncmp(names[i], s, len))
			return (int)i;
	return -1;
}

static int bad(struct dspec *p, size_t off, const char *fmt, const char *arg)
{
	struct xlcfg_pos pos = xlcfg_pos_in(p->v, off);

	return xlcfg_error(p->ctx, &pos, fmt, arg);
}

void xlcfg_disk_clear(struct xl_disk *d)
{
	free(d->target);
	free(d->vdev);
	free(d->backend);
	free(d->script);
	memset(d, 0, sizeof(*d));
}

/* xvda, hdc, sdb2 (xen-vbd-interface(7)), d0p1. */
static bool vdev_ok(const char *s)
{
	size_t n = 0;

	if (!strncmp(s, "xvd", 3))
		s += 3;
	else if (!strncmp(s, "hd", 2) || !strncmp(s, "sd", 2))
		s += 2;
	else if (s[0] == 'd' && s[1] >= '0' && s[1] <= '9') {
		s++;
		while (*s >= '0' && *s <= '9')
			s++;
		if (*s == 'p' && s[1]) {
			s++;
			while (*s >= '0' && *s <= '9')
				s++;
		}
		return !*s;
	} else
		return false;
	while (*s >= 'a' && *s <= 'z') {
		s++;
		n++;
	}
	if (!n || n > 4)
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	return !*s;
}

static bool looks_like_vdev(const char *s, size_t len)
{
	return (len > 3 && !strncmp(s, "xvd", 3)) ||
	       (len > 2 && (!strncmp(s, "hd", 2) || !strncmp(s, "sd", 2)));
}

static int dupstr(struct dspec *p, size_t off, const char *s, size_t len, char **dst)
{
	struct xlcfg_pos pos = xlcfg_pos_in(p->v, off);

	free(*dst);
	*dst = strndup(s, len);
	return *dst ? 0 : xlcfg_nomem(p->ctx, &pos);
}

static int set_param(struct dspec *p, int which, size_t off, const char *s, size_t len,
		     const char *name)
{
	if (p->given[which])
		return bad(p, off, "disk: `%s' given twice", name);
	p->given[which] = true;
	p->at[which] = off;
	return dupstr(p, off, s, len, &p->val[which]);
}

/* A positional target: deprecated prefixes stripped and applied. */
static int target_prefixes(struct dspec *p, size_t *off, const char **s, size_t *len)
{
	static const char *const ignored[] = { "tapdisk", "tap2", "tap", "aio", "ioemu", "file", "phy" };
	static const char *const scripts[] = { "iscsi", "nbd", "enbd", "drbd" };
	const char *colon;

	while ((colon = memchr(*s, ':', *len)) != NULL) {
		size_t plen = colon - *s;
		int f, sc;

		if ((f = find(formats, N_FORMATS, *s, plen)) >= 0 && f != XL_DISK_FORMAT_QED) {
			int rc = set_param(p, P_FORMAT, *off, *s, plen, "format");

			if (rc)
				return rc;
		} else if ((sc = find(scripts, 4, *s, plen)) >= 0) {
			char name[16];
			int rc;

			snprintf(name, sizeof(name), "block-%s", scripts[sc]);
			if (p->script)
				return bad(p, *off, "disk: `%s' given twice", "script");
			p->script = true;
			rc = dupstr(p, *off, name, strlen(name), &p->d->script);
			if (rc)
				return rc;
		} else if (find(ignored, 7, *s, plen) < 0) {
			break;
		}
		p->depr = true;
		*off += plen + 1;
		*s += plen + 1;
		*len -= plen + 1;
	}
	return 0;
}

static int positional(struct dspec *p, size_t off, const char *s, size_t len)
{
	static const char *const names[] = { "target", "format", "vdev", "access" };
	int slot = 0;

	while (slot < N_POS && p->given[slot])
		slot++;
	if (slot == N_POS)
		return bad(p, off, "disk: too many positional parameters (target, format, vdev, access) at \"%s\"",
			   s);
	if (slot == P_TARGET) {
		int rc = target_prefixes(p, &off, &s, &len);

		if (rc)
			return rc;
		/* After a deprecated prefix, the format was given or is never positional. */
		if (p->depr && !p->given[P_FORMAT])
			p->given[P_FORMAT] = true;
	}
	if (slot == P_FORMAT && len && find(formats, N_FORMATS, s, len) < 0 && looks_like_vdev(s, len)) {
		p->given[P_FORMAT] = true;	/* deprecated: the vdev in the format's place */
		slot = P_VDEV;
	}
	return set_param(p, slot, off, s, len, names[slot]);
}

static int keyword(struct dspec *p, size_t off, const char *s, size_t len, size_t eq)
{
	static const char *const pos_keys[] = { "target", "format", "vdev", "access" };
	static const char *const colo[] = { "colo-host", "colo-port", "colo-export", "active-disk", "hidden-disk" };
	const char *val = s + eq + 1;
	size_t vlen = len - eq - 1;
	int k = find(pos_keys, N_POS, s, eq);
	struct xl_disk *d = p->d;

	if (k >= 0)
		return set_param(p, k, off, val, vlen, pos_keys[k]);
	if (eq == 7 && !strncmp(s, "devtype", 7)) {
		if (p->devtype)
			return bad(p, off, "disk: `%s' given twice", "devtype");
		p->devtype = true;
		if (vlen != 5 || strncmp(val, "cdrom", 5))
			return bad(p, off + eq + 1, "disk: unknown devtype \"%s\" (cdrom)", val);
		d->cdrom = true;
		return 0;
	}
	if (eq == 11 && !strncmp(s, "backendtype", 11)) {
		static const char *const bt[] = { "phy", "qdisk", "standalone" };
		int t = find(bt, 3, val, vlen);

		if (p->backendtype)
			return bad(p, off, "disk: `%s' given twice", "backendtype");
		p->backendtype = true;
		if (t < 0)
			return bad(p, off + eq + 1, "disk: unknown backendtype \"%s\" (phy, qdisk or standalone)", val);
		d->backendtype = XL_DISK_BACKEND_PHY + t;
		return 0;
	}
	if (eq == 7 && !strncmp(s, "backend", 7)) {
		if (p->backend)
			return bad(p, off, "disk: `%s' given twice", "backend");
		p->backend = true;
		if (!vlen)
			return bad(p, off + eq + 1, "disk: %s", "backend= needs a domain name");
		return dupstr(p, off, val, vlen, &d->backend);
	}
	if (eq == 6 && !strncmp(s, "script", 6)) {
		if (p->script)
			return bad(p, off, "disk: `%s' given twice", "script");
		p->script = true;
		return vlen ? dupstr(p, off, val, vlen, &d->script) : 0;
	}
	if (eq == 13 && !strncmp(s, "specification", 13)) {
		if (p->spec)
			return bad(p, off, "disk: `%s' given twice", "specification");
		p->spec = true;
		if (vlen == 6 && !strncmp(val, "virtio", 6))
			d->virtio = true;
		else if (vlen != 3 || strncmp(val, "xen", 3))
			return bad(p, off + eq + 1, "disk: unknown specification \"%s\" (xen or virtio)", val);
		return 0;
	}
	if (find(colo, 5, s, eq) >= 0)
		return bad(p, off, "disk: COLO parameters are not supported by Paravane (at \"%s\")", s);
	return bad(p, off, "disk: unknown parameter \"%s\"", s);
}

/* A bare word: 0 for a flag, 1 if it is not one, or -EINVAL. */
static int flag(struct dspec *p, size_t off, const char *s, size_t len)
{
	static const char *const flags[] = { "cdrom", "direct-io-safe", "discard", "no-discard", "trusted", "untrusted", "colo" };
	int f = find(flags, 7, s, len);
	struct xl_disk *d = p->d;

	switch (f) {
	case 0: d->cdrom = true; break;
	case 1: d->direct_io_safe = true; break;
	case 2: d->no_discard = false; break;
	case 3: d->no_discard = true; break;
	case 4: d->untrusted = false; break;
	case 5: d->untrusted = true; break;
	case 6: return bad(p, off, "disk: %s", "COLO is not supported by Paravane");
	default: return 1;
	}
	return 0;
}

/* The four positional parameters, checked, with their defaults. */
static int finish(struct dspec *p)
{
	static const char *const access[] = { "ro", "r", "rw", "w" };
	struct xl_disk *d = p->d;
	char *vdev = p->val[P_VDEV], *colon;
	int a;

	if (p->val[P_FORMAT] && p->val[P_FORMAT][0]) {
		int f = find(formats, N_FORMATS, p->val[P_FORMAT], strlen(p->val[P_FORMAT]));

		if (f < 0)
			return bad(p, p->at[P_FORMAT], "disk: unknown format \"%s\" (raw, qcow, qcow2, vhd or qed)",
				   p->val[P_FORMAT]);
		d->format = f;
	}
	if (!vdev || !vdev[0])
		return bad(p, 0, "disk: no vdev in \"%s\" (the device the guest sees, such as xvda)", p->v->str);
	colon = strchr(vdev, ':');
	if (colon) {
		if (strcmp(colon + 1, "cdrom"))
			return bad(p, p->at[P_VDEV], "disk: bad vdev \"%s\" (only \":cdrom\" may follow a vdev)", vdev);
		*colon = 0;
		d->cdrom = true;
	}
	if (!vdev_ok(vdev))
		return bad(p, p->at[P_VDEV], "disk: bad vdev \"%s\" (xvdX, hdX, sdX with an optional partition number, or dNpM)",
			   vdev);
	d->vdev = vdev;
	p->val[P_VDEV] = NULL;
	d->readonly = d->cdrom;
	if (p->val[P_ACCESS] && p->val[P_ACCESS][0]) {
		a = find(access, 4, p->val[P_ACCESS], strlen(p->val[P_ACCESS]));
		if (a < 0)
			return bad(p, p->at[P_ACCESS], "disk: unknown access \"%s\" (ro, r, rw or w)", p->val[P_ACCESS]);
		d->readonly = a < 2;
	}
	if (p->val[P_TARGET] && p->val[P_TARGET][0]) {
		d->target = p->val[P_TARGET];
		p->val[P_TARGET] = NULL;
	} else if (!d->cdrom) {
		return bad(p, 0, "disk: no target in \"%s\" (the image file or device to give the guest)", p->v->str);
	}
	return 0;
}

int xlcfg_disk_parse(struct xlcfg_ctx *ctx, const struct xlcfg_value *v, struct xl_disk *d)
{
	struct dspec p = { .ctx = ctx, .v = v, .d = d };
	const char *s = v->str;
	size_t i = 0, n = strlen(s);
	char *tok = NULL;
	int rc = 0;

	memset(d, 0, sizeof(*d));
	while (i < n) {
		const char *comma, *eq;
		size_t start, len;

		while (s[i] == ' ' || s[i] == '\t')
			i++;
		start = i;
		if (!strncmp(s + i, "target=", 7)) {
			/* the rest of the string, whatever it holds */
			if (p.val[P_TARGET] && p.val[P_TARGET][0]) {
				rc = bad(&p, i, "disk: `%s' given twice", "target");
				goto out;
			}
			p.given[P_TARGET] = false;
			rc = set_param(&p, P_TARGET, i + 7, s + i + 7, n - i - 7, "target");
			if (rc)
				goto out;
			break;
		}
		comma = strchr(s + i, ',');
		len = comma ? (size_t)(comma - (s + i)) : n - i;
		tok = strndup(s + i, len);
		if (!tok) {
			struct xlcfg_pos pos = xlcfg_pos_in(v, i);

			rc = xlcfg_nomem(ctx, &pos);
			goto out;
		}
		eq = strchr(tok, '=');
		if (eq)
			rc = keyword(&p, start, tok, len, eq - tok);
		else if ((rc = flag(&p, start, tok, len)) > 0)
			rc = positional(&p, start, tok, len);
		free(tok);
		tok = NULL;
		if (rc)
			goto out;
		i += len;
		if (!comma)
			break;
		i++;	/* a comma at the very end ends the list */
	}
	rc = finish(&p);
out:
	for (int k = 0; k < N_POS; k++)
		free(p.val[k]);
	if (rc)
		xlcfg_disk_clear(d);
	return rc;
}
