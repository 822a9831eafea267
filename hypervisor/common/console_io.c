/*
 * console_io: the initial domain writes to and reads from the hypervisor's
 * console. Output is copied in bounded chunks and printed as text; input is
 * what the console UART received (common/console_input.c), announced with
 * VIRQ_CONSOLE. Other domains' consoles go through their console rings
 * (issue 8/9), so they get -EPERM here, except test domains (is_console),
 * which may write.
 */
#include <arch.h>
#include <console.h>
#include <console_input.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <public/errno.h>
#include <public/xen.h>

#define CONSOLE_CHUNK 128

/*
 * Dom0 owns the console, so its bytes pass unchanged (its shell's line
 * editing needs escape sequences). Test domains' output is marked "(dN)" at
 * each line start and kept a text stream, as Xen marks guest output.
 *
 * A long write yields between chunks (docs/memory.md "Continuations") and
 * continues as console_io(CONSOLEIO_write, count - done, buf + done), as
 * Xen's does: the serial line is slow, interrupts must not wait for it.
 */
static int64_t console_write(struct domain *d, uint64_t count, uint64_t buf)
{
	static bool at_line_start = true;
	char chunk[CONSOLE_CHUNK + 1];
	uint64_t done = 0;
	bool raw = d->is_privileged;

	if (!guest_range_ok(buf, count))
		return -XEN_EFAULT;
	while (done < count) {
		size_t n = MIN((uint64_t)CONSOLE_CHUNK, count - done);

		if (done && arch_hypercall_preempt_check())
			return hypercall_create_continuation(__HYPERVISOR_console_io, 3, CONSOLEIO_write,
							     count - done, buf + done, 0, 0, 0);
		if (copy_from_guest(chunk, buf + done, n))
			return -XEN_EFAULT;   /* what came before is printed, as on Xen */
		if (raw) {
			arch_console_write(chunk, n);
			done += n;
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			char c = chunk[i];
			if ((c < 32 && c != '\n' && c != '\t') || c == 127)
				c = '.';
			if (at_line_start) {
				char mark[16];
				int m = hv_snprintf(mark, sizeof(mark), "(d%u) ", d->domain_id);
				arch_console_write(mark, (size_t)m);
				conring_write(mark, (size_t)m);
			}
			arch_console_write(&c, 1);
			conring_write(&c, 1);   /* as Xen logs a DomU's output, not Dom0's */
			at_line_start = c == '\n';
		}
		done += n;
	}
	return 0;
}

/*
 * Copy up to `count` pending input bytes to the guest; returns how many.
 * Xen's limits: -E2BIG above INT_MAX (the result must stay positive). We
 * also refuse a bad buffer with -EFAULT even when nothing is pending (Xen
 * then returns 0). A copy that faults after some bytes were delivered
 * returns those; the rest stay queued.
 */
static int64_t console_read(uint64_t count, uint64_t buf)
{
	uint8_t chunk[CONSOLE_CHUNK];
	uint64_t done = 0;

	if (count > 0x7fffffff)
		return -XEN_E2BIG;
	if (count && !guest_range_ok(buf, count))
		return -XEN_EFAULT;
	console_rx_poll();
	while (done < count) {
		size_t n = console_input_take(chunk, MIN((uint64_t)sizeof(chunk), count - done));
		if (!n)
			break;
		if (copy_to_guest(buf + done, chunk, n)) {
			console_input_unget(n);
			return done ? (int64_t)done : -XEN_EFAULT;
		}
		done += n;
	}
	return (int64_t)done;
}

int64_t do_console_io(struct vcpu *v, const uint64_t args[6])
{
	struct domain *d = v->domain;
	uint64_t cmd = args[0], count = args[1], buf = args[2];

	if (!d->is_privileged && !(d->is_console && cmd == CONSOLEIO_write))
		return -XEN_EPERM;
	switch (cmd) {
	case CONSOLEIO_write:
		return console_write(d, count, buf);
	case CONSOLEIO_read:
		return console_read(count, buf);
	default:
		return -XEN_ENOSYS;
	}
}
