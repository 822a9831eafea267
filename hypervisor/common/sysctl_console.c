/*
 * XEN_SYSCTL_readconsole: the hypervisor's log ring (console.h) for `xl
 * dmesg` and xenconsoled's hypervisor log, with Xen 4.17's semantics: an
 * incremental reader resumes where it left off (if that is still kept),
 * `clear` forgets what was read (`xl dmesg -c`). New bytes are announced
 * to Dom0 with VIRQ_CON_RING (xenconsoled --log=hv waits for it).
 */
#include <console.h>
#include <domain.h>
#include <event.h>
#include <guest_access.h>
#include <public/errno.h>
#include "sysctl.h"

int64_t sysctl_readconsole(struct vcpu *v, struct xen_sysctl *op)
{
	struct xen_sysctl_readconsole *rc = &op->u.readconsole;
	uint32_t oldest, end, pos, done = 0;

	conring_bounds(&oldest, &end);
	/* an index before the oldest kept byte (or past the end) reads from the oldest */
	pos = rc->incremental && rc->index - oldest <= end - oldest ? rc->index : oldest;
	while (pos != end && done < rc->count) {
		uint32_t len;
		const char *bytes = conring_at(pos, &len);

		len = MIN(len, rc->count - done);
		if (copy_to_guest(rc->buffer + done, bytes, len))
			return -XEN_EFAULT;
		done += len;
		pos += len;
	}
	if (rc->clear)
		conring_drop_before(pos);
	rc->count = done;
	rc->index = pos;
	return 0;
}

void conring_announce(void)
{
	conring_unannounced = false;
	if (domain0)
		evtchn_send_global_virq(domain0, VIRQ_CON_RING);
}
