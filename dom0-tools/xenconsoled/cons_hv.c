/*
 * cons_hv.c - the hypervisor's own log for --log=hv (or all):
 * DIR/hypervisor.log, as Xen's xenconsoled names it, appended with what
 * the console ring (sysctl readconsole) holds past the index read last,
 * each line prefixed with the time when --timestamp asks for it. The
 * daemon calls cons_hv_poll when VIRQ_CON_RING says the ring grew, as
 * Xen's does, or once a second when the VIRQ cannot be bound (a ring
 * that wraps within a second then loses the lines in between). A hypervisor without the sysctl is said once, and
 * the log is not read again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cons_hv.h"
#include "d0_log.h"

#define WHO "xenconsoled"

int cons_hv_open(struct cons_hvlog *h, const char *dir, bool stamp)
{
	h->stamp = stamp;
	h->at_bol = true;
	snprintf(h->path, sizeof(h->path), "%s/hypervisor.log", dir);
	h->fd = open(h->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (h->fd < 0) {
		d0_log(D0_LOG_ERR, WHO, "cannot open %s: %s", h->path, strerror(errno));
		return -errno;
	}
	return 0;
}

void cons_hv_close(struct cons_hvlog *h)
{
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
}

int cons_hv_reopen(struct cons_hvlog *h)
{
	char dir[sizeof(h->path)];
	char *slash;

	cons_hv_close(h);
	snprintf(dir, sizeof(dir), "%s", h->path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	return cons_hv_open(h, dir, h->stamp);
}

size_t cons_hv_format(const char *in, size_t len, bool *at_bol, const char *stamp, char *out,
		      size_t cap)
{
	size_t o = 0, slen = stamp ? strlen(stamp) : 0;

	for (size_t i = 0; i < len; i++) {
		if (*at_bol && slen) {
			if (o + slen > cap)
				break;
			memcpy(out + o, stamp, slen);
			o += slen;
		}
		if (o >= cap)
			break;
		out[o++] = in[i];
		*at_bol = in[i] == '\n';
	}
	return o;
}

/* All of len bytes to fd: 0 or -errno. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Stamped lines are at most 33 times longer than the bytes they came
 * from (a stamp of 32 before every byte of a run of new lines). */
#define HV_CHUNK 128
#define HV_STAMP_MAX 32

int cons_hv_poll(struct cons_hvlog *h, xc_interface *xch, time_t now)
{
	char buf[4096], out[HV_CHUNK * (HV_STAMP_MAX + 1)], stamp[HV_STAMP_MAX] = "";
	unsigned int n;
	int total = 0;

	if (h->fd < 0 || h->broken)
		return 0;
	if (h->stamp) {
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "[%Y-%m-%d %H:%M:%S] ", &tm);
	}
	for (;;) {
		n = sizeof(buf);
		if (xc_readconsolering(xch, buf, &n, 0, 1, &h->index)) {
			int err = errno;

			d0_log(D0_LOG_WARN, WHO, "--log=hv: cannot read the hypervisor's console ring (%s); its log is not written",
			       strerror(err));
			h->broken = true;
			return -err;
		}
		if (n == 0)
			return total;
		for (unsigned int off = 0; off < n; off += HV_CHUNK) {
			size_t len = n - off < HV_CHUNK ? n - off : HV_CHUNK;
			size_t o = cons_hv_format(buf + off, len, &h->at_bol, h->stamp ? stamp : NULL,
						  out, sizeof(out));

			if (write_all(h->fd, out, o) < 0)
				return -EIO;
		}
		total += (int)n;
	}
}
