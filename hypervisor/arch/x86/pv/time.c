/*
 * The per-vCPU time record in vcpu_info (pvclock): system time in ns =
 * system_time + ((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul >> 32
 * (a negative shift shifts right). Linux divides by the multiplier early in
 * boot, so it must be valid before the guest's first instruction.
 */
#include <arch.h>
#include <domain.h>
#include <guest_access.h>
#include <asm/pv.h>
#include <asm/x86.h>


/*
 * Choose shift so that hz' = tsc_hz * 2^shift lies in (10^9, 2 * 10^9]: then
 * mul = 10^9 * 2^32 / hz' is below 2^32 and keeps 31 bits of precision.
 */
void pv_time_scale(uint64_t tsc_hz, uint32_t *mul, int8_t *shift)
{
	const uint64_t ns = 1000000000ULL;
	uint64_t hz = tsc_hz ? tsc_hz : ns;
	int s = 0;

	while (hz > 2 * ns) {
		hz >>= 1;
		s--;
	}
	while (hz <= ns) {
		hz <<= 1;
		s++;
	}
	*mul = (uint32_t)((ns << 32) / hz);
	*shift = (int8_t)s;
}

void pv_update_vcpu_time(struct vcpu *v)
{
	struct vcpu_time_info *t = &v->vcpu_info->time;
	uint32_t mul;
	int8_t shift;

	pv_time_scale(tsc_khz * 1000, &mul, &shift);
	t->version++;                                  /* odd: being updated */
	__asm__ volatile("" ::: "memory");
	t->tsc_timestamp = rdtsc();
	t->system_time = arch_now_ns();
	t->tsc_to_system_mul = mul;
	t->tsc_shift = shift;
	t->flags = 0;
	__asm__ volatile("" ::: "memory");
	t->version++;
}

/*
 * The guest's extra copy (VCPUOP_register_vcpu_time_memory_area), written
 * through the page tables loaded now, which must be v's. The reader's
 * protocol holds there too: the version is odd while the copy is written.
 * A write that faults (unmapped, or user tables loaded) is skipped, as on
 * Xen; the registration stays.
 */
void pv_write_time_area(struct vcpu *v)
{
	struct vcpu_time_info t = v->vcpu_info->time;
	uint32_t ver = t.version;
	uint64_t va = v->time_area_va;

	if (!va)
		return;
	t.version = (ver - 1) | 1;
	if (copy_to_guest(va + offsetof(struct vcpu_time_info, version), &t.version, sizeof(t.version)))
		return;
	__asm__ volatile("" ::: "memory");
	if (copy_to_guest(va, &t, sizeof(t)))
		return;
	__asm__ volatile("" ::: "memory");
	copy_to_guest(va + offsetof(struct vcpu_time_info, version), &ver, sizeof(ver));
}
