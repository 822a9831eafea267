/*
 * xlcfg_syntax.c - the grammar of xl.cfg(5), into untyped settings.
 *
 *   file    := { [setting] (NEWLINE | ';') } [setting]
 *   setting := KEY ('=' | '+=') value
 *   value   := STRING | NUMBER | '[' [ value { ',' value } [','] ] ']'
 *
 * KEY is [A-Za-z_][A-Za-z0-9_]*. STRING is '...' or "...", on one line,
 * with the escapes \a \b \f \n \r \t \v \\ \' \" \xH[H] and \o[o[o]]
 * (octal); NUMBER is decimal, octal (0...) or hexadecimal (0x...).
 * Spaces and tabs separate tokens; '#' starts a comment to the end of
 * the line; inside a list, new lines and comments may come anywhere.
 * A later setting of a key replaces the earlier one; '+=' appends to
 * what the key holds (strings join, lists extend), as xl does for
 * command-line overrides.
 *
 * The scanner works on (buffer, length) and reads nothing past the
 * length; it keeps the line and column of every token for the
 * "FILE:LINE:COLUMN: what is wrong" message, and stops at the first
 * error. Lists nest at most XLCFG_MAX_DEPTH deep, so the recursion is
 * bounded whatever the input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xlcfg_priv.h"

struct scan {
	struct xlcfg_ctx *ctx;
	const char *buf;
	size_t len, i;
	struct xlcfg_pos pos;	/* of buf[i] */
	const char *key;	/* the setting being read, for messages */
};

static int peek(const struct scan *s)
{
	return s->i < s->len ? (unsigned char)s->buf[s->i] : EOF;
}

static void advance(struct scan *s)
{
	if (s->i >= s->len)
		return;
	if (s->buf[s->i] == '\n') {
		s->pos.line++;
		s->pos.col = 1;
	} else {
		s->pos.col++;
	}
	s->i++;
}

/* "`c'" for a printable byte, "byte 0xNN" otherwise, "end of file" at EOF. */
static const char *describe(int c, char *tmp, size_t n)
{
	if (c == EOF)
		snprintf(tmp, n, "end of file");
	else if (c == '\n')
		snprintf(tmp, n, "end of line");
	else if (c == '"' || c == '\'')
		snprintf(tmp, n, "a string");
	else if (c > ' ' && c < 0x7f)
		snprintf(tmp, n, "`%c'", c);
	else
		snprintf(tmp, n, "byte 0x%02x", (unsigned)c);
	return tmp;
}

/* Spaces, tabs, carriage returns and comments; new lines too if NL. */
static void skip_blank(struct scan *s, bool nl)
{
	for (;;) {
		int c = peek(s);

		if (c == ' ' || c == '\t' || c == '\r' || (nl && c == '\n')) {
			advance(s);
		} else if (c == '#') {
			while (peek(s) != EOF && peek(s) != '\n')
				advance(s);
		} else {
			return;
		}
	}
}

static bool is_key_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_key_char(int c)
{
	return is_key_start(c) || (c >= '0' && c <= '9');
}

/* One escape after its backslash (at *BS); the byte in *out. */
static int read_escape(struct scan *s, const struct xlcfg_pos *bs, unsigned char *out)
{
	static const char from[] = "abfnrtv\\'\"", to[] = "\a\b\f\n\r\t\v\\'\"";
	char tmp[16];
	int c = peek(s), n = 0, v = 0;
	const char *p;

	if (c == 'x') {
		advance(s);
		while (n < 2 && xlcfg_hexval(peek(s)) >= 0) {
			v = v * 16 + xlcfg_hexval(peek(s));
			advance(s);
			n++;
		}
		if (n == 0)
			return xlcfg_error(s->ctx, bs, "bad escape `\\x': hexadecimal digits expected");
	} else if (c >= '0' && c <= '7') {
		while (n < 3 && peek(s) >= '0' && peek(s) <= '7') {
			v = v * 8 + (peek(s) - '0');
			advance(s);
			n++;
		}
		if (v > 0xff)
			return xlcfg_error(s->ctx, bs, "bad escape: octal value above \\377");
	} else if (c != EOF && c != 0 && (p = strchr(from, c)) != NULL) {
		advance(s);
		v = (unsigned char)to[p - from];
	} else if (c == EOF || c == '\n') {
		return xlcfg_error(s->ctx, bs, "unterminated string: a backslash at the end of the line");
	} else if (c > ' ' && c < 0x7f) {
		return xlcfg_error(s->ctx, bs, "unknown escape `\\%c'", c);
	} else {
		return xlcfg_error(s->ctx, bs, "unknown escape: a backslash before %s",
				   describe(c, tmp, sizeof(tmp)));
	}
	if (v == 0)
		return xlcfg_error(s->ctx, bs, "a NUL character (\\0) cannot be in a string");
	*out = (unsigned char)v;
	return 0;
}

static int read_string(struct scan *s, struct xlcfg_value *v)
{
	int q = peek(s), rc;
	size_t start, cap = 16, n = 0;
	char *str;

	v->kind = XV_STRING;
	v->pos = s->pos;
	v->plain = true;
	advance(s);
	start = s->i;
	/* The decoded string is never longer than its source. */
	for (size_t j = start; j < s->len && s->buf[j] != '\n'; j++)
		cap++;
	str = malloc(cap);
	if (!str)
		return xlcfg_nomem(s->ctx, &v->pos);
	v->str = str;
	for (;;) {
		int c = peek(s);

		if (c == EOF || c == '\n')
			return xlcfg_error(s->ctx, &v->pos, "unterminated string: %c missing at the end of the line", q);
		if (c == 0)
			return xlcfg_error(s->ctx, &s->pos, "a NUL byte in the file");
		if (c == q) {
			advance(s);
			break;
		}
		if (c == '\\') {
			struct xlcfg_pos bs = s->pos;
			unsigned char b = 0;

			advance(s);
			rc = read_escape(s, &bs, &b);
			if (rc)
				return rc;
			str[n++] = (char)b;
			v->plain = false;
			continue;
		}
		str[n++] = (char)c;
		advance(s);
	}
	str[n] = 0;
	return 0;
}

static int read_number(struct scan *s, struct xlcfg_value *v)
{
	size_t start = s->i, n;
	const char *why;
	uint64_t x;

	v->kind = XV_NUMBER;
	v->pos = s->pos;
	v->plain = true;
	while (is_key_char(peek(s)) || peek(s) == '.')
		advance(s);
	n = s->i - start;
	v->str = strndup(s->buf + start, n);
	if (!v->str)
		return xlcfg_nomem(s->ctx, &v->pos);
	if (xlcfg_number(v->str, UINT64_MAX, &x, &why))
		return xlcfg_error(s->ctx, &v->pos, "bad number `%s': %s", v->str, why);
	return 0;
}

static int read_value(struct scan *s, struct xlcfg_value *v, unsigned depth);

static int read_list(struct scan *s, struct xlcfg_value *v, unsigned depth)
{
	struct xlcfg_pos open = s->pos;
	unsigned cap = 0;
	char tmp[16];
	int rc, c;

	v->kind = XV_LIST;
	v->pos = open;
	if (depth >= XLCFG_MAX_DEPTH)
		return xlcfg_error(s->ctx, &open, "lists nested more than %d deep", XLCFG_MAX_DEPTH);
	advance(s);
	for (;;) {
		skip_blank(s, true);
		if (peek(s) == ']')
			break;
		if (peek(s) == EOF)
			return xlcfg_error(s->ctx, &open, "list not closed: `]' missing");
		if (v->n == cap) {
			unsigned ncap = cap ? cap * 2 : 4;
			struct xlcfg_value *it = realloc(v->items, ncap * sizeof(*it));

			if (!it)
				return xlcfg_nomem(s->ctx, &s->pos);
			v->items = it;
			cap = ncap;
		}
		memset(&v->items[v->n], 0, sizeof(v->items[0]));
		v->n++;
		rc = read_value(s, &v->items[v->n - 1], depth + 1);
		if (rc)
			return rc;
		skip_blank(s, true);
		c = peek(s);
		if (c == ',') {
			advance(s);
			continue;
		}
		if (c == ']')
			break;
		if (c == EOF)
			return xlcfg_error(s->ctx, &open, "list not closed: `]' missing");
		return xlcfg_error(s->ctx, &s->pos, "expected `,' or `]' in the list, found %s",
				   describe(c, tmp, sizeof(tmp)));
	}
	advance(s);
	return 0;
}

static int read_value(struct scan *s, struct xlcfg_value *v, unsigned depth)
{
	char tmp[16];
	int c = peek(s);

	if (c == '"' || c == '\'')
		return read_string(s, v);
	if (c >= '0' && c <= '9')
		return read_number(s, v);
	if (c == '[')
		return read_list(s, v, depth);
	if (c == EOF || c == '\n' || c == ';')
		return xlcfg_error(s->ctx, &s->pos, "missing value for `%s'", s->key);
	if (is_key_start(c))
		return xlcfg_error(s->ctx, &s->pos, "the value of `%s' must be quoted, a number or a list", s->key);
	return xlcfg_error(s->ctx, &s->pos, "unexpected %s where a value was expected",
			   describe(c, tmp, sizeof(tmp)));
}

void xlcfg_value_free(struct xlcfg_value *v)
{
	for (unsigned i = 0; i < v->n; i++)
		xlcfg_value_free(&v->items[i]);
	free(v->items);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

void xlcfg_doc_free(struct xlcfg_doc *doc)
{
	for (unsigned i = 0; i < doc->n; i++) {
		free(doc->s[i].key);
		xlcfg_value_free(&doc->s[i].val);
	}
	free(doc->s);
	memset(doc, 0, sizeof(*doc));
}

/* KEY += V: joins strings, extends lists; takes V's contents. */
static int append(struct scan *s, struct xlcfg_setting *old, struct xlcfg_value *v,
		  const struct xlcfg_pos *op)
{
	struct xlcfg_value *o = &old->val;

	if (o->kind == XV_LIST && v->kind == XV_LIST) {
		struct xlcfg_value *it;

		if (v->n == 0)
			return 0;
		it = realloc(o->items, (o->n + v->n) * sizeof(*it));
		if (!it)
			return xlcfg_nomem(s->ctx, op);
		memcpy(it + o->n, v->items, v->n * sizeof(*it));
		o->items = it;
		o->n += v->n;
		free(v->items);
		v->items = NULL;
		v->n = 0;
		return 0;
	}
	if (o->kind != XV_LIST && v->kind != XV_LIST) {
		size_t a = strlen(o->str), b = strlen(v->str);
		char *j = malloc(a + b + 1);

		if (!j)
			return xlcfg_nomem(s->ctx, op);
		memcpy(j, o->str, a);
		memcpy(j + a, v->str, b + 1);
		free(o->str);
		o->str = j;
		o->kind = XV_STRING;
		o->plain = false;
		o->pos = v->pos;
		return 0;
	}
	return xlcfg_error(s->ctx, op, "`+=' cannot add a %s to `%s', which holds a %s",
			   v->kind == XV_LIST ? "list" : "string", old->key,
			   o->kind == XV_LIST ? "list" : "string");
}

/* Records KEY (owned) = V (contents taken) in DOC. */
static int store(struct scan *s, struct xlcfg_doc *doc, char *key, const struct xlcfg_pos *kpos,
		 struct xlcfg_value *v, bool add, const struct xlcfg_pos *op)
{
	for (unsigned i = 0; i < doc->n; i++) {
		struct xlcfg_setting *old = &doc->s[i];

		if (strcmp(old->key, key))
			continue;
		free(key);
		old->pos = *kpos;
		if (add) {
			int rc = append(s, old, v, op);

			xlcfg_value_free(v);
			return rc;
		}
		xlcfg_value_free(&old->val);
		old->val = *v;
		memset(v, 0, sizeof(*v));
		return 0;
	}
	if (doc->n == doc->cap) {
		unsigned ncap = doc->cap ? doc->cap * 2 : 16;
		struct xlcfg_setting *ns = realloc(doc->s, ncap * sizeof(*ns));

		if (!ns) {
			free(key);
			xlcfg_value_free(v);
			return xlcfg_nomem(s->ctx, kpos);
		}
		doc->s = ns;
		doc->cap = ncap;
	}
	doc->s[doc->n].key = key;
	doc->s[doc->n].pos = *kpos;
	doc->s[doc->n].val = *v;
	doc->n++;
	memset(v, 0, sizeof(*v));
	return 0;
}

static int read_setting(struct scan *s, struct xlcfg_doc *doc)
{
	struct xlcfg_pos kpos = s->pos, op;
	struct xlcfg_value v = { 0 };
	size_t start = s->i;
	char tmp[16], *key;
	bool add = false;
	int rc, c;

	while (is_key_char(peek(s)))
		advance(s);
	key = strndup(s->buf + start, s->i - start);
	if (!key)
		return xlcfg_nomem(s->ctx, &kpos);
	s->key = key;
	skip_blank(s, false);
	op = s->pos;
	c = peek(s);
	if (c == '+' && s->i + 1 < s->len && s->buf[s->i + 1] == '=') {
		add = true;
		advance(s);
	} else if (c != '=') {
		rc = xlcfg_error(s->ctx, &op, "expected `=' after `%s', found %s", key,
				 describe(c, tmp, sizeof(tmp)));
		goto out;
	}
	advance(s);
	skip_blank(s, false);
	rc = read_value(s, &v, 0);
	if (rc)
		goto out;
	skip_blank(s, false);
	c = peek(s);
	if (c != EOF && c != '\n' && c != ';') {
		rc = xlcfg_error(s->ctx, &s->pos, "expected the end of the line or `;' after the value of `%s', found %s",
				 key, describe(c, tmp, sizeof(tmp)));
		goto out;
	}
	s->key = NULL;
	return store(s, doc, key, &kpos, &v, add, &op);
out:
	s->key = NULL;
	xlcfg_value_free(&v);
	free(key);
	return rc;
}

int xlcfg_syntax(struct xlcfg_ctx *ctx, struct xlcfg_doc *doc, const char *file,
		 unsigned first_line, const char *buf, size_t len)
{
	struct scan s = {
		.ctx = ctx, .buf = buf, .len = len,
		.pos = { .file = file, .line = first_line, .col = 1 },
	};
	char tmp[16];
	int rc, c;

	for (;;) {
		skip_blank(&s, false);
		c = peek(&s);
		if (c == EOF)
			break;
		if (c == '\n' || c == ';') {
			advance(&s);
			continue;
		}
		if (!is_key_start(c))
			return xlcfg_error(ctx, &s.pos, "expected a key (such as `memory'), found %s",
					   describe(c, tmp, sizeof(tmp)));
		rc = read_setting(&s, doc);
		if (rc)
			return rc;
	}
	doc->end = s.pos;
	return 0;
}
