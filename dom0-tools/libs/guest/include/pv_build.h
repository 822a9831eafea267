/*
 * pv_build.h - libxenguest's PV domain builder: everything between "the
 * domain exists" (createdomain, max_vcpus, max_mem done by the caller) and
 * "unpause it" (left to the caller, after xenstore knows the domain).
 *
 * The builder loads the kernel (an ELF vmlinux, or a bzImage with any
 * payload Debian's kernels use), the initrd and the command line into the
 * domain's memory; fills in memory, the p2m list, start_info, the initial
 * page tables (pinned), the shared_info and the console and xenstore pages
 * with the grant entries a guest expects for them (GNTTAB_RESERVED_CONSOLE
 * and _XENSTORE, granting the backend domains access); and sets vCPU 0's
 * context. Xen's libxl does the same steps through xc_dom_*().
 *
 * The caller allocates the guest's ends of the two event channels
 * (xc_evtchn_alloc_unbound(xch, domid, backend_domid)) before building;
 * the builder only writes them into start_info.
 */
#ifndef PV_BUILD_H
#define PV_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <xenctrl.h>

struct pv_build_args {
	const char *kernel;        /* path: ELF vmlinux or bzImage */
	const char *ramdisk;       /* path, or NULL */
	const char *cmdline;       /* NULL: empty */
	uint64_t mem_kb;           /* memory the guest starts with */
	uint32_t console_port;     /* the guest's end of the console channel */
	uint32_t store_port;       /* the guest's end of the xenstore channel */
	uint32_t console_domid;    /* the console backend (0) */
	uint32_t store_domid;      /* xenstored's domain (0) */
};

struct pv_build_result {
	uint64_t console_mfn;      /* the console ring's frame (xenstore console/ring-ref) */
	uint64_t store_mfn;        /* the xenstore ring's frame (XS_INTRODUCE) */
	uint64_t console_gfn, store_gfn;
	uint64_t virt_base, virt_entry; /* where the kernel runs (for logs) */
};

/*
 * Build the PV guest in an existing, paused, empty domain. 0 on success;
 * else -1 with errno set and `err` (errlen bytes) holding one line that
 * names the file and the problem ("/boot/vmlinuz: truncated: ..."). On
 * failure the domain may hold memory: the caller destroys the domain,
 * which gives it all back.
 */
int pv_build(xc_interface *xch, uint32_t domid, const struct pv_build_args *args,
	     struct pv_build_result *res, char *err, size_t errlen);

#endif
