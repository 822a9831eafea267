/*
 * Generic command-line option parser (see cmdline.h for the contract).
 * Every failure is a warning: a typo on a boot line must not leave a machine
 * that cannot boot.
 */
#include <cmdline.h>
#include <console.h>

#define TOKEN_MAX 256

static bool parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "1", "yes", "on", "true", "enable" };
	static const char *const no[] = { "0", "no", "off", "false", "disable" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(v, yes[i])) {
			*out = true;
			return true;
		}
		if (!strcmp(v, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

static const struct cmdline_option *find(const struct cmdline_option *opts, size_t n,
					 const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(opts[i].name, name))
			return &opts[i];
	return NULL;
}

/* Apply one option; false if the value was malformed. */
static bool apply(const struct cmdline_option *o, const char *value, bool negated)
{
	const char *end;
	uint64_t v;
	bool b;

	switch (o->type) {
	case CMDLINE_BOOL:
		if (!value) {
			*(bool *)o->var = !negated;
			return true;
		}
		if (negated || !parse_bool(value, &b))
			return false;
		*(bool *)o->var = b;
		return true;
	case CMDLINE_UINT:
		if (!value || negated || !parse_u64(value, &end, &v) || *end || v > UINT32_MAX)
			return false;
		*(unsigned *)o->var = (unsigned)v;
		return true;
	case CMDLINE_STRING:
		if (!value || negated || strlen(value) >= o->size)
			return false;
		strlcpy(o->var, value, o->size);
		return true;
	case CMDLINE_CUSTOM:
		return !negated && o->parse(value);
	}
	return false;
}

unsigned cmdline_parse(const char *cmdline, const struct cmdline_option *opts, size_t nr_opts)
{
	unsigned warnings = 0;
	const char *p = cmdline;

	while (*p) {
		char tok[TOKEN_MAX];
		size_t len = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		while (p[len] && p[len] != ' ' && p[len] != '\t')
			len++;
		if (len >= sizeof(tok)) {
			log_warn("cmdline: option '%.32s...' is longer than %d characters, ignored\n",
				 p, TOKEN_MAX - 1);
			warnings++;
			p += len;
			continue;
		}
		memcpy(tok, p, len);
		tok[len] = '\0';
		p += len;

		char *value = strchr(tok, '=');
		if (value)
			*value++ = '\0';

		bool negated = false;
		const struct cmdline_option *o = find(opts, nr_opts, tok);
		if (!o && !strncmp(tok, "no-", 3)) {
			o = find(opts, nr_opts, tok + 3);
			negated = o && o->type == CMDLINE_BOOL;
			if (!negated)
				o = NULL;
		}
		if (!o) {
			log_warn("cmdline: unknown option '%s', ignored\n", tok);
			warnings++;
		} else if (!apply(o, value, negated)) {
			log_warn("cmdline: bad value '%s' for option '%s', ignored\n",
				 value ? value : "(none)", o->name);
			warnings++;
		}
	}
	return warnings;
}
