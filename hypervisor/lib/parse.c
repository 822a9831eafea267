/* Number parsing for command-line options. */
#include <lib.h>

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

bool parse_u64(const char *s, const char **end, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
		base = 16;
		p += 2;
	}
	if (digit_value(*p) >= (int)base)
		return false;
	for (; digit_value(*p) < (int)base; p++) {
		unsigned d = (unsigned)digit_value(*p);
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	if (end)
		*end = p;
	return true;
}

bool parse_size(const char *s, const char **end, unsigned default_shift, uint64_t *out)
{
	const char *p;
	uint64_t v;
	unsigned shift = default_shift;

	if (!parse_u64(s, &p, &v))
		return false;
	switch (*p) {
	case 'b': case 'B': shift = 0; p++; break;
	case 'k': case 'K': shift = 10; p++; break;
	case 'm': case 'M': shift = 20; p++; break;
	case 'g': case 'G': shift = 30; p++; break;
	case 't': case 'T': shift = 40; p++; break;
	default: break;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return false;
	*out = v << shift;
	if (end)
		*end = p;
	return true;
}
