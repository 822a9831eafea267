/*
 * xenconsoled_ring_fuzz.c - libFuzzer over xenconsoled's ring core
 * (dom0-tools/xenconsoled): the input is a script for one hostile guest
 * and its console, each step a byte naming the action and bytes for its
 * argument: write output properly, set out_prod or in_cons or out_cons to
 * any value, consume input, type into the pty, let time pass, run a
 * service round, release and reintroduce the domain. The ring is a heap
 * block of exactly one struct xencons_interface, so ASan catches any
 * access outside it. Checked after every step: the daemon is connected,
 * or disconnected only after a hostile index; while the guest behaved,
 * the log holds exactly what it wrote and the guest reads exactly what
 * was typed, in order, with nothing overwritten.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cons.h"
#include "d0_log.h"

#define LOG_MAX (1 << 20)

static struct xencons_interface *ring;
static bool live, hostile;
static uint64_t clock_ms;
static char log_data[LOG_MAX], wrote[LOG_MAX];
static size_t log_len, wrote_len;
static char typed[8192], got[8192];
static size_t typed_len, typed_read, got_len;
static bool log_open, pty_open;

#define die(c) do { if (!(c)) abort(); } while (0)

static int f_list(void *c, unsigned int *ids, int max) { if (live) ids[0] = 1; return live; }
static int f_map(void *c, unsigned int domid, unsigned long ref, struct xencons_interface **o)
{
	*o = ring;
	return 0;
}
static void f_unmap(void *c, unsigned int domid, struct xencons_interface *i) {}
static int f_bind(void *c, unsigned int domid, unsigned int port) { return 3; }
static void f_unbind(void *c, int port) {}
static void f_notify(void *c, int port) {}
static int f_pty(void *c, unsigned int domid, char *p, size_t len)
{
	strcpy(p, "/dev/pts/1");
	pty_open = true;
	return 10;
}
static int f_log(void *c, const char *p) { log_open = true; return 11; }
static ssize_t f_read(void *c, int fd, void *buf, size_t len)
{
	die(fd == 10 && pty_open);
	if (typed_read == typed_len)
		return -EAGAIN;
	if (len > typed_len - typed_read)
		len = typed_len - typed_read;
	memcpy(buf, typed + typed_read, len);
	typed_read += len;
	return (ssize_t)len;
}
static ssize_t f_write(void *c, int fd, const void *buf, size_t len)
{
	die((fd == 11 && log_open) || (fd == 10 && pty_open));
	if (fd == 11) {
		if (len > LOG_MAX - log_len)
			len = LOG_MAX - log_len;
		memcpy(log_data + log_len, buf, len);
		log_len += len;
	}
	return (ssize_t)len;
}
static void f_close(void *c, int fd)
{
	if (fd == 10)
		pty_open = false;
	else
		log_open = false;
}
static uint64_t f_now(void *c) { return clock_ms; }
static time_t f_wall(void *c) { return 0; }
static char *f_xs_read(void *c, const char *path)
{
	if (strstr(path, "ring-ref"))
		return strdup("1");
	if (strstr(path, "port"))
		return strdup("7");
	if (strstr(path, "/name"))
		return strdup("fuzz");
	return NULL;
}
static int f_xs_write(void *c, const char *p, const char *v) { return 0; }
static int f_watch(void *c, const char *p, const char *t) { return 0; }

static const struct cons_ops ops = {
	f_list, f_map, f_unmap, f_bind, f_unbind, f_notify, f_pty, f_log,
	f_read, f_write, f_close, f_now, f_wall, f_xs_read, f_xs_write, f_watch, f_watch,
};

static uint32_t arg32(const uint8_t **p, const uint8_t *end)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4 && *p < end; i++)
		v = v << 8 | *(*p)++;
	return v;
}

static void fresh(void)
{
	memset(ring, 0, sizeof(*ring));
	hostile = false;
	log_len = wrote_len = typed_len = typed_read = got_len = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	struct cons_daemon d;
	struct cons_dom *dom;
	uint32_t v, i;
	static FILE *null;

	if (!null) {
		null = fopen("/dev/null", "w");
		d0_log_set_stream(null);
	}
	ring = malloc(sizeof(*ring));
	fresh();
	cons_init(&d, &ops, NULL);
	d.log = CONS_GUEST;
	clock_ms = 0;
	live = true;
	cons_scan(&d);
	while (p < end) {
		uint8_t op = *p++;

		switch (op % 9) {
		case 0:	/* the guest writes properly */
			v = arg32(&p, end) % 3000;
			for (i = 0; i < v && ring->out_prod - ring->out_cons < sizeof(ring->out); i++) {
				char b = (char)(i + wrote_len);

				ring->out[MASK_XENCONS_IDX(ring->out_prod, ring->out)] = b;
				ring->out_prod++;
				if (wrote_len < LOG_MAX)
					wrote[wrote_len++] = b;
			}
			break;
		case 1:
			ring->out_prod = arg32(&p, end);
			hostile = true;
			break;
		case 2:
			ring->in_cons = arg32(&p, end);
			hostile = true;
			break;
		case 3:	/* scribbling on our index: the guest's own later writes
			 * then trust a wrong index (unit-xenconsoled checks
			 * that the daemon's position does not move) */
			ring->out_cons = arg32(&p, end);
			hostile = true;
			break;
		case 4:	/* the guest reads its input properly */
			v = arg32(&p, end) % 2048;
			for (i = 0; i < v && ring->in_cons != ring->in_prod; i++) {
				if (got_len < sizeof(got))
					got[got_len++] = ring->in[MASK_XENCONS_IDX(ring->in_cons, ring->in)];
				ring->in_cons++;
			}
			break;
		case 5:	/* the user types */
			v = arg32(&p, end) % 1500;
			for (i = 0; i < v && typed_len < sizeof(typed); i++, typed_len++)
				typed[typed_len] = (char)(typed_len * 7);
			break;
		case 6:
			clock_ms += arg32(&p, end) % 2000;
			break;
		case 7:
			cons_service(&d);
			break;
		case 8:	/* released, then introduced again */
			live = false;
			cons_scan(&d);
			die(!d.doms && !log_open && !pty_open);
			if (!hostile)
				die(log_len == wrote_len && !memcmp(log_data, wrote, log_len));
			fresh();
			live = true;
			cons_scan(&d);
			break;
		}
		dom = cons_dom_find(&d, 1);
		die(dom);
		die(dom->state == CONS_CONNECTED || hostile);
		if (!hostile) {
			die(log_len <= wrote_len && !memcmp(log_data, wrote, log_len));
			die(got_len <= typed_read && !memcmp(got, typed, got_len));
			die(ring->in_prod - ring->in_cons <= sizeof(ring->in));
		}
	}
	cons_shutdown(&d);
	die(!log_open && !pty_open);
	free(ring);
	return 0;
}
