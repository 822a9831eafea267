/*
 * xlcfg_priv.h - inside the xl.cfg parser: the untyped settings the
 * grammar (xlcfg_syntax.c) produces, and the error context the typed
 * half (xlcfg_keys.c, xlcfg_disk.c, xlcfg_vif.c, xlcfg_cpus.c) reports
 * through. Nothing outside libs/util includes it.
 */
#ifndef XLCFG_PRIV_H
#define XLCFG_PRIV_H

#include <stdarg.h>
#include "xlcfg.h"

#define XLCFG_MAX_DEPTH	8	/* nested lists */

/* Where something is: the file's name (not owned) and a 1-based line and byte column. */
struct xlcfg_pos {
	const char *file;
	unsigned line, col;
};

enum xlcfg_kind { XV_STRING, XV_NUMBER, XV_LIST };

/*
 * A value. Strings and numbers are both atoms with their text in str
 * (numbers as written, strings with their escapes decoded), as xl keeps
 * them: a number is accepted where a string is wanted and a quoted
 * number where a number is wanted. pos is the atom's first character
 * (the opening quote of a string); plain is true when the string's text
 * is its source text one for one (no escapes), so that pos.col + 1 + i
 * is the column of str[i].
 */
struct xlcfg_value {
	enum xlcfg_kind kind;
	struct xlcfg_pos pos;
	char *str;
	bool plain;
	unsigned n;			/* lists: items */
	struct xlcfg_value *items;
};

/* KEY=VALUE; a later one replaces an earlier one of the same key. */
struct xlcfg_setting {
	char *key;
	struct xlcfg_pos pos;		/* the key */
	struct xlcfg_value val;
};

struct xlcfg_doc {
	unsigned n, cap;
	struct xlcfg_setting *s;
	struct xlcfg_pos end;		/* end of the file: for keys missing */
};

/* The error line and the warnings of one parse. */
struct xlcfg_ctx {
	char *err;
	size_t errlen;
	struct xl_domain_config *cfg;	/* warnings go here */
};

/* Writes "FILE:LINE:COL: message" to ctx->err; returns -EINVAL. */
int xlcfg_error(struct xlcfg_ctx *ctx, const struct xlcfg_pos *pos,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Adds "FILE:LINE:COL: warning: message" to the configuration's warnings. */
int xlcfg_warn(struct xlcfg_ctx *ctx, const struct xlcfg_pos *pos,
	       const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "out of memory" at POS; returns -ENOMEM. */
int xlcfg_nomem(struct xlcfg_ctx *ctx, const struct xlcfg_pos *pos);

/* The position of byte OFF of the atom V's text (the atom itself if its
 * text is not one for one with the source). */
struct xlcfg_pos xlcfg_pos_in(const struct xlcfg_value *v, size_t off);

/* Parses BUF[0..LEN) named FILE, first line FIRST_LINE, into DOC (adding
 * to what is there). 0 or -EINVAL/-ENOMEM with the error in ctx. */
int xlcfg_syntax(struct xlcfg_ctx *ctx, struct xlcfg_doc *doc, const char *file,
		 unsigned first_line, const char *buf, size_t len);
void xlcfg_doc_free(struct xlcfg_doc *doc);
void xlcfg_value_free(struct xlcfg_value *v);

/*
 * A decimal, octal (0...) or hexadecimal (0x...) number, all of TEXT,
 * at most MAX: 0, or -EINVAL with *why set ("not a number", "out of
 * range").
 */
int xlcfg_number(const char *text, uint64_t max, uint64_t *out, const char **why);

/* The value of hexadecimal digit c, or -1 (string escapes, MAC addresses). */
static inline int xlcfg_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Typed halves: 0 or -errno, the error in ctx. */
int xlcfg_build(struct xlcfg_ctx *ctx, const struct xlcfg_doc *doc);
int xlcfg_disk_parse(struct xlcfg_ctx *ctx, const struct xlcfg_value *v,
		     struct xl_disk *d);
void xlcfg_disk_clear(struct xl_disk *d);
int xlcfg_vif_parse(struct xlcfg_ctx *ctx, const struct xlcfg_value *v,
		    unsigned index, struct xl_vif *vif);
void xlcfg_vif_clear(struct xl_vif *vif);
int xlcfg_cpulist_parse(struct xlcfg_ctx *ctx, const struct xlcfg_value *v,
			struct xl_cpumap *map);

#endif /* XLCFG_PRIV_H */
