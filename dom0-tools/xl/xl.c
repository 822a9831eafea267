/*
 * xl.c - the xl command's entry: global options, the command table, help,
 * and the option parsing every command shares (xl.h says how the files
 * divide the work). Usage text, messages and exit statuses have the shape
 * of Xen 4.17's xl (tests/integration/xl/xl-xen-4.17.golden).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "xl.h"

#define XL_GLOBAL_USAGE "Usage xl [-vfNtT] <subcommand> [args]\n"

void xl_help(struct xl_ctx *ctx, FILE *f, const char *name)
{
	const struct xl_cmd *cmd = name ? xl_cmd_find(name) : NULL;

	(void)ctx;
	if (!cmd) {
		fprintf(f, XL_GLOBAL_USAGE "\nxl full list of subcommands:\n\n");
		for (unsigned int i = 0; i < xl_nr_cmds; i++) {
			const struct xl_cmd *c = &xl_cmds[i];

			/* a name too long for its column gets a line of its own */
			if (strlen(c->name) > 19)
				fprintf(f, " %s \n%21s%s\n", c->name, "", c->help);
			else
				fprintf(f, " %-19s %s\n", c->name, c->help);
		}
		return;
	}
	fprintf(f, "Usage: xl [-vtT%s%s] %s %s\n\n%s.\n\n", cmd->modifies ? "f" : "",
		cmd->can_dryrun ? "N" : "", cmd->name, cmd->usage, cmd->help);
	if (cmd->options)
		fprintf(f, "Options:\n\n%s", cmd->options);
}

int xl_getopt(struct xl_ctx *ctx, int argc, char **argv, const char *opts,
	      const struct option *longopts, const char *cmd, int min, int *status)
{
	static const struct option none[] = { { 0, 0, 0, 0 } };
	struct option all[16];
	char shortopts[32];
	unsigned int n = 0;
	int c;

	/* opts and longopts plus -h/--help, in local copies */
	snprintf(shortopts, sizeof(shortopts), "+%sh", opts);
	for (const struct option *o = longopts ? longopts : none; o->name && n < 14; o++)
		all[n++] = *o;
	all[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	all[n] = (struct option){ 0, 0, 0, 0 };

	opterr = 0;
	c = getopt_long(argc, argv, shortopts, all, NULL);
	switch (c) {
	case -1:
		if (argc - optind >= min)
			return -1;
		fprintf(ctx->err, "'xl %s' requires at least %d argument%s.\n\n", cmd, min,
			min == 1 ? "" : "s");
		xl_help(ctx, ctx->out, cmd);
		*status = 2;
		return XL_OPT_EXIT;
	case 'h':
		xl_help(ctx, ctx->out, cmd);
		*status = 0;
		return XL_OPT_EXIT;
	case '?':
		/* Xen's message, optopt included (0 for an unknown long option) */
		fprintf(ctx->err, "option `%c' not supported.\n", optopt);
		*status = 2;
		return XL_OPT_EXIT;
	case ':':
		fprintf(ctx->err, "option `%c' requires an argument.\n", optopt);
		*status = 2;
		return XL_OPT_EXIT;
	default:
		return c;
	}
}

int main_help(struct xl_ctx *ctx, int argc, char **argv)
{
	/* "xl help CMD" shows CMD's usage; "xl help" and "xl help --long"
	 * the full list (we have only the one list) */
	if (argc > 1 && strcmp(argv[1], "--long")) {
		if (xl_cmd_find(argv[1]))
			xl_help(ctx, ctx->out, argv[1]);
		else
			fprintf(ctx->err, "command \"%s\" not implemented\n", argv[1]);
	} else
		xl_help(ctx, ctx->out, NULL);
	return 0;
}

int xl_run(struct xl_ctx *ctx, int argc, char **argv,
	   int (*open_backend)(struct xl_ctx *ctx), void (*close_backend)(struct xl_ctx *ctx))
{
	const struct xl_cmd *cmd;
	int c, r;

	opterr = 1;	/* Xen's xl lets getopt name the bad option here */
	while ((c = getopt(argc, argv, "+vfNtT")) != -1) {
		switch (c) {
		case 'v':
			ctx->verbose++;
			break;
		case 'f':
			ctx->force = true;
			break;
		case 'N':
			ctx->dryrun = true;
			break;
		case 't':
		case 'T':
			break;	/* progress and timestamps: we print neither */
		default:
			fprintf(ctx->err, "unknown global option\n");
			return 1;
		}
	}
	if (optind >= argc) {
		xl_help(ctx, ctx->out, NULL);
		return 1;
	}
	argc -= optind;
	argv += optind;
	optind = 1;	/* commands parse their own options from argv[0] on */

	if (!strcmp(argv[0], "help"))
		return main_help(ctx, argc, argv);
	cmd = xl_cmd_find(argv[0]);
	if (!cmd) {
		fprintf(ctx->err, "command not implemented\n");
		return 1;
	}
	if (ctx->dryrun && !cmd->can_dryrun) {
		fprintf(ctx->err, "command does not implement -N (dryrun) option\n");
		return 1;
	}
	if (open_backend(ctx) < 0) {
		fprintf(ctx->err, "cannot init xl context\n");
		return 1;
	}
	r = cmd->fn(ctx, argc, argv);
	close_backend(ctx);
	return r;
}

#ifndef XL_NO_MAIN	/* unit tests run xl_run over a fake backend */
static int open_real(struct xl_ctx *ctx)
{
	int r = xl_backend_open(&ctx->priv);

	if (r == 0) {
		ctx->ops = &xl_real_ops;
		ctx->cops = &xl_real_create_ops;
		ctx->dops = &xl_real_dev_ops;
	}
	return r;
}

static void close_real(struct xl_ctx *ctx)
{
	xl_backend_close(ctx->priv);
}

int main(int argc, char **argv)
{
	struct xl_ctx ctx = { .out = stdout, .err = stderr };
	int r = xl_run(&ctx, argc, argv, open_real, close_real);

	if (fflush(stdout) == EOF && r == 0)
		r = 1;
	return r;
}
#endif
