/*
 * xl_fake.h - what xl's unit tests share: a fake xenstore (a flat table of
 * nodes, with xl_ops-shaped read/write/rm/dir over it) and running one xl
 * command with its output captured in out_buf / err_buf. Each test keeps
 * its own fake hypervisor, which differs with what it tests.
 */
#ifndef XL_FAKE_H
#define XL_FAKE_H

#include <stdarg.h>
#include <stddef.h>
#include "xl.h"

#define XS_FAKE_MAX 512

struct xs_fake_node {
	char path[160], val[256];
	char perms[32];         /* "n0" unless a test sets it */
};
extern struct xs_fake_node xs_fake_nodes[XS_FAKE_MAX];
extern unsigned int xs_fake_nr;

void xs_fake_reset(void);
struct xs_fake_node *xs_fake_find(const char *path);
/* The node's value, or NULL when there is none. */
const char *xs_fake_get(const char *path);
/* Create or overwrite; the node. */
struct xs_fake_node *xs_fake_put(const char *path, const char *val);
/* Remove path and everything below it. */
void xs_fake_remove(const char *path);

/* As struct xl_ops / xl_dev_ops want them (the first argument unused). */
int xs_fake_read(void *p, const char *path, char **val);
int xs_fake_write(void *p, const char *path, const char *val);
int xs_fake_rm(void *p, const char *path);
int xs_fake_dir(void *p, const char *path, char ***names, unsigned int *n);

/* What the last command printed. */
extern char *out_buf, *err_buf;
extern size_t out_len, err_len;

/*
 * Run one command with ctx's ops, its output captured: fn, or when fn is
 * NULL the command argv[0] names ("help" included). Its exit status.
 */
int xl_fake_run(struct xl_ctx ctx, int (*fn)(struct xl_ctx *, int, char **), int argc, char **argv);
/* The same with the words as a NULL-terminated list. */
int xl_fake_vrun(struct xl_ctx ctx, int (*fn)(struct xl_ctx *, int, char **), const char *first,
		 va_list ap);
/* Free what the last command printed (a test's teardown). */
void xl_fake_free_output(void);

#endif
