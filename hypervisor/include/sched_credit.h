/*
 * The credit scheduler's arithmetic, kept apart from its state so that
 * tests/unit can check it on the host (common/sched_credit.c).
 */
#ifndef SCHED_CREDIT_H
#define SCHED_CREDIT_H

#include <lib.h>

/* A domain's weight until the toolstack sets one (Xen's default). */
#define CREDIT_DEFAULT_WEIGHT 256

/*
 * Share `total` credits among n domains by weight, as Xen's credit
 * scheduler does each accounting period: domain i gets total * weight[i] /
 * (sum of weights), split evenly among its active[i] vCPUs, except that no
 * vCPU can use more than one CPU (`per_vcpu_max`): a domain whose share is
 * more than active[i] * per_vcpu_max gets exactly that, and what it could
 * not use goes to the others, again by weight. A domain with no active vCPU
 * or weight 0 gets nothing. On return per_vcpu[i] is the credit each of
 * domain i's active vCPUs receives.
 */
void sched_credit_split(unsigned n, const unsigned *weight, const unsigned *active,
			uint64_t total, unsigned per_vcpu_max, int *per_vcpu);

#endif
