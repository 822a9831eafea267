/*
 * The wallclock: one boot-time time of day for the whole machine, copied
 * into each domain's shared_info with the version protocol guests expect
 * (odd wc_version while the fields change). See include/wallclock.h.
 */
#include <wallclock.h>
#include <public/xen.h>

#define NS_PER_SEC 1000000000ULL

static uint64_t wc_sec;
static uint32_t wc_nsec;
static bool wc_valid;

void wallclock_update_domain(struct domain *d)
{
	struct shared_info *s = d->shared_info;
	uint64_t sec = wc_sec + (uint64_t)d->time_offset;   /* XEN_DOMCTL_settimeoffset */
	volatile uint32_t *version;

	if (!s)
		return;
	version = &s->wc_version;
	*version = (*version + 1) | 1;          /* odd: being updated */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	s->wc_sec = (uint32_t)sec;
	s->wc_sec_hi = (uint32_t)(sec >> 32);
	s->wc_nsec = wc_nsec;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	*version = *version + 1;                 /* even: stable */
}

void wallclock_set(uint64_t sec, uint32_t nsec, uint64_t system_time)
{
	uint64_t now_sec = sec + nsec / NS_PER_SEC;
	uint64_t now_nsec = nsec % NS_PER_SEC;
	uint64_t st_sec = system_time / NS_PER_SEC, st_nsec = system_time % NS_PER_SEC;

	/* boot = now - system_time, in (sec, nsec) so nothing overflows */
	if (now_sec < st_sec || (now_sec == st_sec && now_nsec < st_nsec)) {
		now_sec = 0;
		now_nsec = 0;
	} else {
		if (now_nsec < st_nsec) {
			now_nsec += NS_PER_SEC;
			now_sec--;
		}
		now_sec -= st_sec;
		now_nsec -= st_nsec;
	}
	wc_sec = now_sec;
	wc_nsec = (uint32_t)now_nsec;
	wc_valid = true;
	for_each_domain(d)
		wallclock_update_domain(d);
}

bool wallclock_get(uint64_t *sec, uint32_t *nsec)
{
	*sec = wc_sec;
	*nsec = wc_nsec;
	return wc_valid;
}
