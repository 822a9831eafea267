/*
 * The wallclock (common/wallclock.c): what time of day it was at system
 * time 0 (hypervisor boot), the value every domain reads from its
 * shared_info (wc_sec, wc_sec_hi, wc_nsec under wc_version).
 *
 * Set by the initial domain through XENPF_settime32/64 (arch/x86/platform.c)
 * and by the hypervisor's own time code (for instance from the RTC at boot).
 */
#ifndef WALLCLOCK_H
#define WALLCLOCK_H

#include <lib.h>
#include <domain.h>

/*
 * At system time `system_time` (ns since boot) the time of day was
 * sec.nsec (seconds since the epoch). Stores the boot-time wallclock and
 * updates every domain's shared_info. nsec >= 10^9 is folded into sec.
 * A system_time later than the given time of day clamps to the epoch.
 */
void wallclock_set(uint64_t sec, uint32_t nsec, uint64_t system_time);

/* The time of day at system time 0; false if nobody has set it yet (then 0). */
bool wallclock_get(uint64_t *sec, uint32_t *nsec);

/* Write the wallclock into d's shared_info (domain creation; after a set). */
void wallclock_update_domain(struct domain *d);

#endif
