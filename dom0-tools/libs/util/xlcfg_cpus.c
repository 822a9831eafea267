/*
 * xlcfg_cpus.c - xl.cfg(5)'s CPULIST: comma-separated entries, each
 * "all", a CPU N or a range N-M, read left to right; "^" before an entry
 * takes its CPUs out of what the entries before it put in ("all,^7",
 * "0-3,5,^1"). NUMA node entries ("node:1", "nodes:0-3") need the host's
 * topology, which the parser does not have: they are refused for now.
 */
#include <string.h>
#include "xlcfg_priv.h"

bool xl_cpumap_test(const struct xl_cpumap *map, unsigned n)
{
	return n < XLCFG_MAX_CPUS && (map->bits[n / 8] & (1u << (n % 8)));
}

static void set_range(struct xl_cpumap *map, unsigned lo, unsigned hi, bool on)
{
	for (unsigned n = lo; n <= hi; n++) {
		if (on)
			map->bits[n / 8] |= 1u << (n % 8);
		else
			map->bits[n / 8] &= ~(1u << (n % 8));
	}
}

/* A CPU number at S[*I]: decimal, below XLCFG_MAX_CPUS. */
static int cpu_number(struct xlcfg_ctx *ctx, const struct xlcfg_value *v, size_t *i,
		      unsigned *out)
{
	const char *s = v->str;
	size_t start = *i;
	unsigned n = 0;

	if (s[*i] < '0' || s[*i] > '9') {
		struct xlcfg_pos p = xlcfg_pos_in(v, *i);

		return xlcfg_error(ctx, &p, "bad CPU list \"%s\": a CPU number, a range N-M or \"all\" expected",
				   s);
	}
	while (s[*i] >= '0' && s[*i] <= '9') {
		n = n * 10 + (s[*i] - '0');
		(*i)++;
		if (n >= XLCFG_MAX_CPUS) {
			struct xlcfg_pos p = xlcfg_pos_in(v, start);

			return xlcfg_error(ctx, &p, "bad CPU list \"%s\": CPU numbers go up to %u", s,
					   XLCFG_MAX_CPUS - 1);
		}
	}
	*out = n;
	return 0;
}

static int entry(struct xlcfg_ctx *ctx, const struct xlcfg_value *v, size_t *i,
		 struct xl_cpumap *map)
{
	const char *s = v->str;
	size_t start = *i;
	bool on = true;
	unsigned lo, hi;
	struct xlcfg_pos p;
	int rc;

	if (s[*i] == '^') {
		on = false;
		(*i)++;
	}
	if (!strncmp(s + *i, "all", 3) && (s[*i + 3] == ',' || !s[*i + 3])) {
		*i += 3;
		set_range(map, 0, XLCFG_MAX_CPUS - 1, on);
		return 0;
	}
	if (!strncmp(s + *i, "node", 4)) {
		p = xlcfg_pos_in(v, start);
		return xlcfg_error(ctx, &p, "bad CPU list \"%s\": NUMA node entries are not supported by Paravane yet",
				   s);
	}
	rc = cpu_number(ctx, v, i, &lo);
	if (rc)
		return rc;
	hi = lo;
	if (s[*i] == '-') {
		(*i)++;
		rc = cpu_number(ctx, v, i, &hi);
		if (rc)
			return rc;
		if (hi < lo) {
			p = xlcfg_pos_in(v, start);
			return xlcfg_error(ctx, &p, "bad CPU list \"%s\": range %u-%u goes backwards", s, lo, hi);
		}
	}
	set_range(map, lo, hi, on);
	return 0;
}

int xlcfg_cpulist_parse(struct xlcfg_ctx *ctx, const struct xlcfg_value *v,
			struct xl_cpumap *map)
{
	const char *s = v->str;
	size_t i = 0;
	int rc;

	memset(map, 0, sizeof(*map));
	for (;;) {
		rc = entry(ctx, v, &i, map);
		if (rc)
			return rc;
		if (!s[i])
			return 0;
		if (s[i] != ',') {
			struct xlcfg_pos p = xlcfg_pos_in(v, i);

			return xlcfg_error(ctx, &p, "bad CPU list \"%s\": `,' expected between entries", s);
		}
		i++;
	}
}
