/*
 * The sysctl commands' workers (common/sysctl*.c) and the table
 * do_sysctl() runs them from: one row per command.
 */
#ifndef COMMON_SYSCTL_H
#define COMMON_SYSCTL_H

#include <domain.h>
#include <public/sysctl.h>

/*
 * A worker gets the calling vCPU and the copy of the op; it returns 0 or a
 * -XEN_E* error (-XEN_ERESTART: re-entered with the same op).
 */
typedef int64_t sysctl_fn(struct vcpu *v, struct xen_sysctl *op);

#define SYSCTL_COPYBACK (1u << 0)   /* the op is copied back when the worker returns 0 */
#define SYSCTL_COPYBACK_ENOBUFS (1u << 1)   /* ... and when it returns -ENOBUFS (what was written) */
#define SYSCTL_COPYBACK_RESTART (1u << 2)   /* copied back before a continuation: its progress */

struct sysctl_cmd {
	sysctl_fn *fn;
	uint8_t flags;
};

/* common/sysctl_machine.c: what the machine is */
sysctl_fn sysctl_physinfo, sysctl_getcpuinfo, sysctl_cputopoinfo, sysctl_numainfo;
/* common/sysctl_console.c: the log ring */
sysctl_fn sysctl_readconsole;
/* common/sysctl_debug_keys.c: keys "pressed" by the toolstack (xl debug-keys) */
sysctl_fn sysctl_debug_keys;
/* common/sysctl_domains.c: domains and the one CPU pool */
sysctl_fn sysctl_sched_id, sysctl_getdomaininfolist, sysctl_cpupool_op;
/*
 * common/ctl_bitmap.c: a bitmap (CPUs, nodes) to or from the caller's
 * xenctl_bitmap, as Xen's. Out: the bytes both sides have bits for (ours:
 * nbits of `bits`) copied, the caller's other bytes zeroed. In: those
 * bytes read, bits past the caller's nr_bits clear. 0, -XEN_EFAULT, or
 * -XEN_E2BIG for a map of more than 4096 bytes (nothing read or written).
 */
int ctl_bitmap_out(const struct xenctl_bitmap *map, uint64_t bits, unsigned nbits);
int ctl_bitmap_in(const struct xenctl_bitmap *map, uint64_t *bits, unsigned nbits);
/* common/sysctl_cpupolicy.c: the system's CPU policies */
sysctl_fn sysctl_get_cpu_policy, sysctl_get_cpu_featureset;

#endif
