/*
 * xc_console.c - the hypervisor's own log (sysctl readconsole), what
 * `xl dmesg` prints and xenconsoled's --log=hv writes: Xen 4.17's
 * xc_readconsolering, whole or from an index on (incremental), optionally
 * emptying the ring. The bytes come through a locked bounce buffer.
 */
#include <string.h>
#include "xc_private.h"

int xc_readconsolering(xc_interface *xch, char *buffer,
		       unsigned int *pnr_chars, int clear, int incremental,
		       uint32_t *pindex)
{
	struct xen_sysctl op = { .cmd = XEN_SYSCTL_readconsole };
	struct xen_sysctl_readconsole r = { .clear = !!clear, .incremental = 0 };
	unsigned int len;
	void *buf;
	int rc;

	if (!buffer || !pnr_chars || (incremental && !pindex))
		return xc_ret(-EINVAL);
	len = *pnr_chars;
	if (!len)
		return xc_ret(-EINVAL);
	buf = xcp_buf_alloc(len);
	if (!buf)
		return xc_ret(-ENOMEM);
	r.buffer = (uintptr_t)buf;
	r.count = len;
	if (incremental) {
		r.incremental = 1;
		r.index = *pindex;
	}
	memcpy(op.u.pad, &r, sizeof(r));
	rc = xcp_sysctl(xch, &op);
	if (rc == 0) {
		memcpy(&r, op.u.pad, sizeof(r));
		if (r.count > len)	/* never more than the buffer */
			r.count = len;
		memcpy(buffer, buf, r.count);
		*pnr_chars = r.count;
		if (pindex)
			*pindex = r.index;
	}
	xcp_buf_free(buf, len);
	return xc_ret(rc);
}

int xc_send_debug_keys(xc_interface *xch, const char *keys)
{
	struct xen_sysctl op = { .cmd = XEN_SYSCTL_debug_keys };
	struct xen_sysctl_debug_keys k = { 0 };
	size_t len;
	void *buf;
	int rc;

	if (!keys)
		return xc_ret(-EINVAL);
	len = strlen(keys);
	if (len > UINT32_MAX)
		return xc_ret(-EINVAL);
	buf = xcp_buf_alloc(len ? len : 1);
	if (!buf)
		return xc_ret(-ENOMEM);
	memcpy(buf, keys, len);
	k.keys = (uintptr_t)buf;
	k.nr_keys = (uint32_t)len;
	memcpy(op.u.pad, &k, sizeof(k));
	rc = xcp_sysctl(xch, &op);
	xcp_buf_free(buf, len ? len : 1);
	return xc_ret(rc);
}
