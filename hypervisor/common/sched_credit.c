/* Credit shares by weight, capped at one CPU per vCPU (see sched_credit.h). */
#include <sched_credit.h>

#define UNSET (-1)

void sched_credit_split(unsigned n, const unsigned *weight, const unsigned *active,
			uint64_t total, unsigned per_vcpu_max, int *per_vcpu)
{
	uint64_t left = total;

	for (unsigned i = 0; i < n; i++)
		per_vcpu[i] = active[i] && weight[i] ? UNSET : 0;
	/*
	 * Water-filling: each pass shares what is left among the domains still
	 * open; those whose share exceeds what their vCPUs can use are filled
	 * to the brim and closed. A pass that closes none is the last. Every
	 * pass but the last closes at least one domain, so at most n + 1 passes.
	 */
	for (;;) {
		uint64_t w = 0;
		bool closed = false;

		for (unsigned i = 0; i < n; i++)
			if (per_vcpu[i] == UNSET)
				w += weight[i];
		if (!w)
			return;
		uint64_t pass_left = left;
		for (unsigned i = 0; i < n; i++) {
			uint64_t brim = (uint64_t)active[i] * per_vcpu_max;
			if (per_vcpu[i] != UNSET || pass_left * weight[i] / w < brim)
				continue;
			per_vcpu[i] = (int)per_vcpu_max;
			left -= brim;
			closed = true;
		}
		if (closed)
			continue;
		for (unsigned i = 0; i < n; i++)
			if (per_vcpu[i] == UNSET)
				per_vcpu[i] = (int)(left * weight[i] / w / active[i]);
		return;
	}
}
