/*
 * xorshift.h - the seeded generator of the in-guest fuzzers (hcfuzz,
 * hcfuzz_domu): one seed gives the same calls on either hypervisor and in
 * every run, so a finding replays from its seed.
 */
#ifndef XORSHIFT_H
#define XORSHIFT_H

#include <stdint.h>

/*
 * rnd() stays out of line: where one expression draws several numbers the
 * order is the compiler's, and inlining rnd() here changed it, and so the
 * calls a seed makes (the seeds in docs/ name the calls of this order).
 */
static uint64_t rng;

static inline void rnd_seed(uint64_t seed)
{
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;   /* never 0, which would stay 0 */
}

static uint64_t __attribute__((noinline)) rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned __attribute__((unused)) below(unsigned n) { return (unsigned)(rnd() % n); }
static int __attribute__((unused)) one_in(unsigned n) { return below(n) == 0; }

#endif
