/* cpumask_format and cpumask_parse: CPU lists as "0-2,5" (see cpumask.h). */
#include <cpumask.h>

char *cpumask_format(char *buf, size_t size, cpumask_t m)
{
	size_t len = 0;
	unsigned cpu = 0;

	if (!size)
		return buf;
	buf[0] = '\0';
	while (cpu < NR_CPUS) {
		unsigned end;
		if (!cpumask_test(m, cpu)) {
			cpu++;
			continue;
		}
		for (end = cpu; end + 1 < NR_CPUS && cpumask_test(m, end + 1); end++)
			;
		int n = end == cpu ? hv_snprintf(buf + len, size - len, "%s%u", len ? "," : "", cpu)
				   : hv_snprintf(buf + len, size - len, "%s%u-%u", len ? "," : "", cpu, end);
		if (n < 0 || (size_t)n >= size - len) {
			buf[len] = '\0';   /* cut at the last whole item */
			break;
		}
		len += (size_t)n;
		cpu = end + 1;
	}
	return buf;
}

bool cpumask_parse(const char *s, cpumask_t *out)
{
	cpumask_t m = 0;
	const char *p = s;

	if (!s || !*s)
		return false;
	for (;;) {
		uint64_t lo, hi;
		if (!parse_u64(p, &p, &lo) || lo >= NR_CPUS)
			return false;
		hi = lo;
		if (*p == '-' && (!parse_u64(p + 1, &p, &hi) || hi >= NR_CPUS || hi < lo))
			return false;
		for (uint64_t c = lo; c <= hi; c++)
			m |= cpumask_of((unsigned)c);
		if (!*p)
			break;
		if (*p++ != ',')
			return false;
	}
	*out = m;
	return true;
}
