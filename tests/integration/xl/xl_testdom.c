/*
 * xl_testdom.c - a second domain for the xl transcript (tests/integration/
 * xl/check.sh): "xl-testdom NAME" creates a paused PV domain with 2 vCPUs,
 * a fixed handle (UUID 00112233-4455-6677-8899-aabbccddeeff), an allowance
 * of 2048 KiB and 256 frames (1 MiB) populated, then writes what Xen's
 * toolstack writes for a domain's name, id and start in xenstore
 * (/local/domain/N/name, /local/domain/N/domid, /local/domain/N/vm =
 * /vm/UUID, /vm/UUID/start_time = seconds.hundredths since the epoch)
 * and prints N. The domain
 * never runs: there is nothing to run yet (docs/toolstack.md). Exit 0, or
 * 1 with a message naming the call that failed (the domain is destroyed
 * again then).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include "xenctrl.h"
#include "xenstore.h"

#define FRAMES 256
#define ALLOW_KB 2048

static int put(struct xs_handle *xs, unsigned int domid, const char *leaf, const char *val)
{
	char path[64];

	snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, leaf);
	return xs_write(xs, XBT_NULL, path, val, (unsigned int)strlen(val)) ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const uint8_t uuid[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
					  0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	struct xen_domctl_createdomain c = {
		.max_vcpus = 2, .max_evtchn_port = 1023,
		.max_grant_frames = -1, .max_maptrack_frames = -1,
		.grant_opts = XEN_DOMCTL_GRANT_version(1),
	};
	static xen_pfn_t pfns[FRAMES];
	struct xs_handle *xs = NULL;
	xc_interface *xch = NULL;
	uint32_t domid = 0;
	const char *what = NULL;
	char id[16], vm[64], path[96], start[32];
	struct timeval now;
	int rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: xl-testdom NAME\n");
		return 2;
	}
	memcpy(c.handle, uuid, sizeof(uuid));
	for (unsigned int i = 0; i < FRAMES; i++)
		pfns[i] = i;
	xch = xc_interface_open(NULL, NULL, 0);
	xs = xs_open(0);
	if (!xch || !xs) {
		what = !xch ? "xc_interface_open" : "xs_open";
		goto out;
	}
	if (xc_domain_create(xch, &domid, &c)) {
		what = "xc_domain_create";
		domid = 0;
		goto out;
	}
	snprintf(id, sizeof(id), "%u", domid);
	snprintf(vm, sizeof(vm), "/vm/00112233-4455-6677-8899-aabbccddeeff");
	snprintf(path, sizeof(path), "%s/start_time", vm);
	gettimeofday(&now, NULL);
	snprintf(start, sizeof(start), "%lld.%02ld", (long long)now.tv_sec, (long)now.tv_usec / 10000);
	if (xc_domain_max_vcpus(xch, domid, 2))
		what = "xc_domain_max_vcpus";
	else if (xc_domain_setmaxmem(xch, domid, ALLOW_KB))
		what = "xc_domain_setmaxmem";
	else if (xc_domain_populate_physmap_exact(xch, domid, FRAMES, 0, 0, pfns))
		what = "xc_domain_populate_physmap_exact";
	else if (put(xs, domid, "name", argv[1]) || put(xs, domid, "domid", id) ||
		 put(xs, domid, "vm", vm) ||
		 !xs_write(xs, XBT_NULL, path, start, (unsigned int)strlen(start)))
		what = "xs_write";
	if (!what) {
		printf("%u\n", domid);
		rc = 0;
	}
out:
	if (what)
		fprintf(stderr, "xl-testdom: %s: %s\n", what, strerror(errno));
	if (rc && domid)
		xc_domain_destroy(xch, domid);
	if (xs)
		xs_close(xs);
	xc_interface_close(xch);
	return rc;
}
