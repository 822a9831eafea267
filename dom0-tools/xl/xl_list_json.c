/*
 * xl_list_json.c - `xl list -l`: the domains as JSON through libyajl,
 * beautified (four-space indents), followed by an empty line, as Xen's xl
 * prints it: an array of { "domid": N, "config": { "c_info": {...},
 * "b_info": {...} } }, libxl's domain configuration. Xen's xl prints the
 * configuration its toolstack stored when it made the domain; we have no
 * stored configurations (xl create comes later), so "config" carries what
 * the hypervisor and xenstore say of the domain, under the names libxl
 * gives those fields (docs/toolstack.md "xl").
 */
#include <errno.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include "xl.h"

static void str(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static void key_int(yajl_gen g, const char *k, long long v)
{
	str(g, k);
	yajl_gen_integer(g, v);
}

static void domain(struct xl_ctx *ctx, yajl_gen g, const struct xl_dominfo *d)
{
	char name[256], uuid[37];

	xl_uuid_str(d->uuid, uuid);
	yajl_gen_map_open(g);
	key_int(g, "domid", d->domid);
	str(g, "config");
	yajl_gen_map_open(g);

	str(g, "c_info");
	yajl_gen_map_open(g);
	str(g, "type");
	str(g, "pv");		/* the only kind of domain Paravane has */
	if (xl_domname_of(ctx, d->domid, name, sizeof(name)) == 0) {
		str(g, "name");
		str(g, name);
	}
	str(g, "uuid");
	str(g, uuid);
	key_int(g, "pool_id", d->cpupool);
	yajl_gen_map_close(g);

	str(g, "b_info");
	yajl_gen_map_open(g);
	key_int(g, "max_vcpus", d->max_vcpu_id + 1);
	key_int(g, "max_memkb", (long long)d->max_kb);
	key_int(g, "target_memkb", (long long)d->current_kb);
	yajl_gen_map_close(g);

	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
}

int xl_list_json(struct xl_ctx *ctx, const struct xl_dominfo *doms, int n)
{
	const unsigned char *buf;
	size_t len;
	yajl_gen g = yajl_gen_alloc(NULL);

	if (!g)
		return -ENOMEM;
	yajl_gen_config(g, yajl_gen_beautify, 1);
	yajl_gen_array_open(g);
	for (int i = 0; i < n; i++)
		domain(ctx, g, &doms[i]);
	yajl_gen_array_close(g);
	if (yajl_gen_get_buf(g, &buf, &len) != yajl_gen_status_ok) {
		yajl_gen_free(g);
		return -EINVAL;
	}
	fwrite(buf, 1, len, ctx->out);
	fputs("\n", ctx->out);
	yajl_gen_free(g);
	return 0;
}
