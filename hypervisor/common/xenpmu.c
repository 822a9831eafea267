/*
 * xenpmu_op: there is no virtual PMU. Xen 4.17 with its vPMU off (its
 * default) refuses every sub-op with -EOPNOTSUPP before its policy check
 * and before reading the argument; Linux takes that as "no PMU" at boot.
 */
#include <hypercall.h>
#include <public/errno.h>

int64_t do_xenpmu_op(struct vcpu *v, const uint64_t args[6])
{
	return -XEN_EOPNOTSUPP;
}
