/*
 * xlcfg_vif.c - one vifspec of vif=[...] (xl-network-configuration(5)):
 * comma-separated KEY=VALUE pairs and the flags trusted/untrusted, all
 * optional ('' is a vif with every default). A key given twice keeps
 * its last value. netdev is the old name of gatewaydev.
 *
 * rate=RATE/s[@INTERVAL]: RATE in bytes, or with a suffix GB, MB, KB, B
 * (bytes) or Gb, Mb, Kb, b (bits), the multiples decimal (1MB = 10^6
 * bytes, as the manual's example "1MB/s@20ms" = 20,000 bytes every
 * 20,000 us shows); INTERVAL in microseconds, or with ms, us or s,
 * default 50ms. Stored as the credit: bytes every interval.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xlcfg_priv.h"

struct vspec {
	struct xlcfg_ctx *ctx;
	const struct xlcfg_value *v;
	struct xl_vif *vif;
	size_t off;			/* of the current parameter */
	bool devid;
};

static int bad(struct vspec *p, const char *fmt, const char *arg)
{
	struct xlcfg_pos pos = xlcfg_pos_in(p->v, p->off);

	return xlcfg_error(p->ctx, &pos, fmt, arg);
}

void xlcfg_vif_clear(struct xl_vif *vif)
{
	free(vif->bridge);
	free(vif->gatewaydev);
	free(vif->model);
	free(vif->vifname);
	free(vif->script);
	free(vif->ip);
	free(vif->backend);
	memset(vif, 0, sizeof(*vif));
}

static int set_mac(struct vspec *p, const char *s)
{
	for (int i = 0; i < 6; i++) {
		const char *g = s + 3 * i;

		if (xlcfg_hexval(g[0]) < 0 || xlcfg_hexval(g[1]) < 0 || g[2] != (i == 5 ? 0 : ':'))
			return bad(p, "vif: bad mac \"%s\" (six pairs of hexadecimal digits separated by `:', such as 00:16:3e:12:34:56)",
				   s);
		p->vif->mac[i] = (uint8_t)(xlcfg_hexval(g[0]) * 16 + xlcfg_hexval(g[1]));
	}
	p->vif->has_mac = true;
	return 0;
}

/* Leading decimal digits of S as a number (at most MAX); the rest in *END. */
static int leading(const char *s, uint64_t max, uint64_t *out, const char **end)
{
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = *s - '0';

		if (v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	*end = s;
	return 0;
}

static int set_rate(struct vspec *p, const char *s)
{
	static const struct { const char *sfx; uint64_t bits; } units[] = {
		{ "GB/s", 8000000000ull }, { "MB/s", 8000000 }, { "KB/s", 8000 }, { "B/s", 8 },
		{ "Gb/s", 1000000000 }, { "Mb/s", 1000000 }, { "Kb/s", 1000 }, { "b/s", 1 },
		{ "/s", 8 },
	};
	static const struct { const char *sfx; uint64_t us; } times[] = {
		{ "ms", 1000 }, { "us", 1 }, { "s", 1000000 }, { "", 1 },
	};
	const char *rest, *at = strchr(s, '@');
	uint64_t n, us = 50000, t;
	unsigned __int128 bits;	/* up to 2^40 x 8 x 10^9: more than 64 bits */
	size_t rlen = at ? (size_t)(at - s) : strlen(s);
	unsigned __int128 credit;
	unsigned u;

	if (leading(s, 1ull << 40, &n, &rest))
		goto bad;
	for (u = 0; u < sizeof(units) / sizeof(units[0]); u++)
		if (strlen(units[u].sfx) == (size_t)(s + rlen - rest) && !strncmp(rest, units[u].sfx, s + rlen - rest))
			break;
	if (u == sizeof(units) / sizeof(units[0]) || !n)
		goto bad;
	bits = (unsigned __int128)n * units[u].bits;
	if (at) {
		if (leading(at + 1, 1ull << 32, &t, &rest))
			goto bad;
		for (u = 0; u < sizeof(times) / sizeof(times[0]); u++)
			if (!strcmp(rest, times[u].sfx))
				break;
		if (u == sizeof(times) / sizeof(times[0]) || !t)
			goto bad;
		us = t * times[u].us;
		if (us > UINT32_MAX)
			return bad(p, "vif: rate \"%s\": the interval is longer than 4294 s", s);
	}
	credit = bits * us / 8000000;
	if (credit == 0)
		return bad(p, "vif: rate \"%s\": less than one byte per interval", s);
	if (credit > UINT64_MAX)
		return bad(p, "vif: rate \"%s\" is too large", s);
	p->vif->rate_bytes_per_interval = (uint64_t)credit;
	p->vif->rate_interval_us = (uint32_t)us;
	return 0;
bad:
	return bad(p, "vif: bad rate \"%s\" (RATE/s or RATE/s@INTERVAL, such as 10Mb/s or 1MB/s@20ms)", s);
}

static int set_str(struct vspec *p, const char *val, char **dst)
{
	struct xlcfg_pos pos = xlcfg_pos_in(p->v, p->off);

	free(*dst);
	*dst = strdup(val);
	return *dst ? 0 : xlcfg_nomem(p->ctx, &pos);
}

static int set_num(struct vspec *p, const char *key, const char *val, uint64_t min,
		   uint64_t max, unsigned *out)
{
	uint64_t n;
	const char *why;

	if (xlcfg_number(val, max, &n, &why) || n < min) {
		struct xlcfg_pos pos = xlcfg_pos_in(p->v, p->off);

		return xlcfg_error(p->ctx, &pos, "vif: %s must be a number from %llu to %llu, not \"%s\"",
				   key, (unsigned long long)min, (unsigned long long)max, val);
	}
	*out = (unsigned)n;
	return 0;
}

static int param(struct vspec *p, char *tok)
{
	struct xl_vif *vif = p->vif;
	char *val = strchr(tok, '=');

	if (!val) {
		if (!strcmp(tok, "trusted"))
			vif->untrusted = false;
		else if (!strcmp(tok, "untrusted"))
			vif->untrusted = true;
		else
			return bad(p, "vif: unknown flag \"%s\" (key=value pairs, trusted or untrusted)", tok);
		return 0;
	}
	*val++ = 0;
	if (!strcmp(tok, "mac"))
		return set_mac(p, val);
	if (!strcmp(tok, "bridge"))
		return set_str(p, val, &vif->bridge);
	if (!strcmp(tok, "gatewaydev") || !strcmp(tok, "netdev"))
		return set_str(p, val, &vif->gatewaydev);
	if (!strcmp(tok, "model"))
		return set_str(p, val, &vif->model);
	if (!strcmp(tok, "script"))
		return set_str(p, val, &vif->script);
	if (!strcmp(tok, "ip"))
		return set_str(p, val, &vif->ip);
	if (!strcmp(tok, "backend"))
		return set_str(p, val, &vif->backend);
	if (!strcmp(tok, "rate"))
		return set_rate(p, val);
	if (!strcmp(tok, "mtu"))
		return set_num(p, "mtu", val, 68, 65535, &vif->mtu);
	if (!strcmp(tok, "devid")) {
		p->devid = true;
		return set_num(p, "devid", val, 0, 65535, &vif->devid);
	}
	if (!strcmp(tok, "type")) {
		if (!strcmp(val, "ioemu"))
			vif->type = XL_VIF_TYPE_IOEMU;
		else if (!strcmp(val, "vif"))
			vif->type = XL_VIF_TYPE_VIF;
		else
			return bad(p, "vif: unknown type \"%s\" (ioemu or vif)", val);
		return 0;
	}
	if (!strcmp(tok, "vifname")) {
		size_t n = strlen(val);

		if (!n || n > 15 || strpbrk(val, "/ \t:"))
			return bad(p, "vif: bad vifname \"%s\" (1 to 15 characters, no `/', `:' or spaces)", val);
		return set_str(p, val, &vif->vifname);
	}
	return bad(p, "vif: unknown parameter \"%s\" (mac, bridge, gatewaydev, type, model, vifname, script, ip, backend, rate, devid, mtu)",
		   tok);
}

int xlcfg_vif_parse(struct xlcfg_ctx *ctx, const struct xlcfg_value *v, unsigned index,
		    struct xl_vif *vif)
{
	struct vspec p = { .ctx = ctx, .v = v, .vif = vif };
	const char *s = v->str;
	size_t i = 0, n = strlen(s);
	int rc = 0;

	memset(vif, 0, sizeof(*vif));
	while (i < n) {
		const char *comma;
		size_t len;
		char *tok;

		while (s[i] == ' ' || s[i] == '\t')
			i++;
		comma = strchr(s + i, ',');
		len = comma ? (size_t)(comma - (s + i)) : n - i;
		p.off = i;
		if (len) {
			tok = strndup(s + i, len);
			if (!tok) {
				struct xlcfg_pos pos = xlcfg_pos_in(v, i);

				rc = xlcfg_nomem(ctx, &pos);
				break;
			}
			rc = param(&p, tok);
			free(tok);
			if (rc)
				break;
		}
		i += len + (comma ? 1 : 0);
	}
	if (!rc && !p.devid)
		vif->devid = index;
	if (rc)
		xlcfg_vif_clear(vif);
	return rc;
}
