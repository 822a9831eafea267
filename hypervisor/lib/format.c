/*
 * vsnprintf subset: %d %i %u %x %X %o %p %s %c %%, with flags '-', '0', ' ', '+', '#',
 * field width (also '*'), precision for strings, and length modifiers hh h l
 * ll z. Always NUL-terminates when size > 0; returns the length the full
 * output would have had, as C99 does.
 */
#include <lib.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width, bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left)
		while (fill-- > 0)
			put(o, pad);
	while (n--)
		put(o, *s++);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

static void put_number(struct out *o, uint64_t v, bool negative, unsigned base, bool upper,
		       int width, bool left, bool zero, char sign_space)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	char sign = negative ? '-' : sign_space;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);

	if (sign && zero && !left) {
		put(o, sign);
		sign = 0;
		width--;
	}
	if (sign)
		tmp[n++] = sign;
	/* tmp holds the digits in reverse; emit them in order */
	char fwd[24];
	for (int i = 0; i < n; i++)
		fwd[i] = tmp[n - 1 - i];
	put_padded(o, fwd, (size_t)n, width, left, zero && !left ? '0' : ' ');
}

int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		bool left = false, zero = false, alt = false;
		char sign_space = 0;
		int width = 0, prec = -1, lng = 0;

		for (fmt++;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				zero = true;
			else if (*fmt == ' ')
				sign_space = ' ';
			else if (*fmt == '+')
				sign_space = '+';
			else if (*fmt == '#')
				alt = true;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			prec = 0;
			fmt++;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				prec = prec * 10 + (*fmt++ - '0');
		}
		for (;; fmt++) {
			if (*fmt == 'l' || *fmt == 'z')
				lng++;
			else if (*fmt != 'h')
				break;
		}

		uint64_t u;
		int64_t s;
		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			put_number(&o, s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0, 10, false, width, left,
				   zero, sign_space);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
			if (alt && u && (*fmt == 'x' || *fmt == 'X')) {
				put(&o, '0');
				put(&o, *fmt);
				width -= 2;
			} else if (alt && u && *fmt == 'o') {
				put(&o, '0');
				width--;
			}
			put_number(&o, u, false, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, *fmt == 'X',
				   width, left, zero, 0);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, 16, false, true, 0);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			size_t n = prec >= 0 ? strnlen(str, (size_t)prec) : strlen(str);
			put_padded(&o, str, n, width, left, ' ');
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			put_padded(&o, &c, 1, width, left, ' ');
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t c = n < size - 1 ? n : size - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}
