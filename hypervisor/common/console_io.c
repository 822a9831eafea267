/*
 * console_io: the initial domain writes to (and later reads from) the
 * hypervisor's console. Output is copied in bounded chunks and printed as
 * text; other domains' output goes through their console rings (issue 8/9),
 * so they get -EPERM here unless the debug option lets them.
 */
#include <console.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <public/errno.h>
#include <public/xen.h>

#define CONSOLE_CHUNK 128
#define CONSOLE_MAX_WRITE (1u << 16)   /* bytes per hypercall: the rest is the guest's to resend */

static int64_t console_write(uint64_t count, uint64_t buf)
{
	char chunk[CONSOLE_CHUNK + 1];
	uint64_t done = 0;

	if (!guest_range_ok(buf, count))
		return -XEN_EFAULT;
	if (count > CONSOLE_MAX_WRITE)
		count = CONSOLE_MAX_WRITE;   /* TODO(#5): continue long writes instead */
	while (done < count) {
		size_t n = MIN((uint64_t)CONSOLE_CHUNK, count - done);
		if (copy_from_guest(chunk, buf + done, n))
			return -XEN_EFAULT;   /* what came before is printed, as on Xen */
		/* keep the console a text stream: no escape sequences from guests */
		for (size_t i = 0; i < n; i++)
			if ((chunk[i] < 32 && chunk[i] != '\n' && chunk[i] != '\t' && chunk[i] != '\r') ||
			    chunk[i] == 127)
				chunk[i] = '.';
		chunk[n] = '\0';
		printk("%s", chunk);
		done += n;
	}
	return 0;
}

int64_t do_console_io(uint64_t cmd, uint64_t count, uint64_t buf, uint64_t a4, uint64_t a5,
		      uint64_t a6)
{
	struct domain *d = current_vcpu()->domain;

	if (!d->is_privileged)
		return -XEN_EPERM;
	switch (cmd) {
	case CONSOLEIO_write:
		return console_write(count, buf);
	case CONSOLEIO_read:
		/* TODO(#7): console input for Dom0; nothing is ever pending yet */
		if (count && !guest_range_ok(buf, count))
			return -XEN_EFAULT;
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}
