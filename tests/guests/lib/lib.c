/*
 * lib.c - boot, console, PASS/FAIL protocol and trap handling of the test
 * guests.  See guest.h for the contract with test programs.
 */
#include "guest.h"

struct start_info *start_info;
struct shared_info *shared_info;
int hc_direct;
volatile struct trap_record last_trap;
void (*console_out)(const char *s, size_t n);
void (*console_flush)(void);

static int n_pass, n_fail;
static const char *style_name = "page";

/* Page whose mapping is replaced by shared_info. */
static uint8_t shinfo_page[4096] __attribute__((aligned(4096)));

/* ---- Strings --------------------------------------------------------- */
void *memset(void *d, int c, size_t n)
{
	uint8_t *p = d;
	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *p = d;
	const uint8_t *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *p = a, *q = b;
	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (uint8_t)*a - (uint8_t)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}

/* ---- Formatting ------------------------------------------------------ */
struct sink {
	char *buf;
	size_t size, len;
};

static void put(struct sink *s, char c)
{
	if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
}

static void put_num(struct sink *s, uint64_t v, unsigned base, int neg,
		    int width, char pad)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (width-- > n)
		put(s, pad);
	while (n)
		put(s, tmp[--n]);
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int lng = 0, width = 0;
		char pad = ' ';

		if (*fmt != '%') {
			put(s, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 'd': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			put_num(s, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0,
				width, pad);
			break;
		}
		case 'u':
			put_num(s, lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
				10, 0, width, pad);
			break;
		case 'x':
			put_num(s, lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
				16, 0, width, pad);
			break;
		case 'p':
			put(s, '0');
			put(s, 'x');
			put_num(s, (uint64_t)va_arg(ap, void *), 16, 0, 0, ' ');
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			while (*str)
				put(s, *str++);
			break;
		}
		case 'c':
			put(s, (char)va_arg(ap, int));
			break;
		case '%':
			put(s, '%');
			break;
		default:
			put(s, '%');
			put(s, *fmt);
			break;
		}
		if (!*fmt)
			break;
	}
}

int gvsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct sink s = { buf, n, 0 };

	format(&s, fmt, ap);
	if (n)
		buf[s.len < n ? s.len : n - 1] = 0;
	return (int)s.len;
}

int gsnprintf(char *buf, size_t n, const char *fmt, ...)
{
	struct sink s = { buf, n, 0 };
	va_list ap;

	va_start(ap, fmt);
	format(&s, fmt, ap);
	va_end(ap);
	if (n)
		buf[s.len < n ? s.len : n - 1] = 0;
	return (int)s.len;
}

void gvprintf(const char *fmt, va_list ap)
{
	char buf[512];
	struct sink s = { buf, sizeof(buf), 0 };

	format(&s, fmt, ap);
	if (s.len > sizeof(buf) - 1)
		s.len = sizeof(buf) - 1;
	if (console_out)
		console_out(buf, s.len);
	else
		HYPERVISOR_console_io(CONSOLEIO_write, (int)s.len, buf);
}

void gprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gvprintf(fmt, ap);
	va_end(ap);
}

/* ---- PASS/FAIL ------------------------------------------------------- */
const char *tname(const char *base)
{
	static char ring[8][96];
	static int next;
	char *b = ring[next++ & 7];

	gsnprintf(b, sizeof(ring[0]), "%s[%s]", base, style_name);
	return b;
}

void pass(const char *name)
{
	n_pass++;
	gprintf("PASS %s\n", name);
}

static void vfail(const char *name, const char *fmt, va_list ap)
{
	char why[256];
	struct sink s = { why, sizeof(why), 0 };

	format(&s, fmt, ap);
	why[s.len < sizeof(why) ? s.len : sizeof(why) - 1] = 0;
	n_fail++;
	gprintf("FAIL %s: %s\n", name, why);
}

void fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(name, fmt, ap);
	va_end(ap);
}

void check(int cond, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (cond) {
		pass(name);
		return;
	}
	va_start(ap, fmt);
	vfail(name, fmt, ap);
	va_end(ap);
}

void check_eq(const char *name, long got, long want)
{
	check(got == want, name, "got %ld, want %ld", got, want);
}

void check_eq_hex(const char *name, uint64_t got, uint64_t want)
{
	check(got == want, name, "got 0x%lx, want 0x%lx", got, want);
}

void guest_exit(unsigned int reason)
{
	struct sched_shutdown sd = { .reason = reason };

	gprintf("guest-test %s: %d passed, %d failed\n", test_name, n_pass,
		n_fail);
	if (console_flush)
		console_flush();   /* the summary must reach Dom0 before the domain goes */
	if (test_after_summary && !n_fail && reason == SHUTDOWN_poweroff)
		test_after_summary();   /* the runner checks what follows (GUEST_EXPECT) */
	for (;;) {
		HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd);
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail("panic", fmt, ap);
	va_end(ap);
	guest_exit(SHUTDOWN_crash);
}

/* ---- Traps ----------------------------------------------------------- */
struct fixup {
	uint64_t insn, cont;
};
extern const struct fixup __fixup_start[], __fixup_end[];

void trap_reset(void)
{
	memset((void *)&last_trap, 0, sizeof(last_trap));
}

void trap_dispatch(struct trap_frame *f);
void trap_dispatch(struct trap_frame *f)
{
	const struct fixup *fx;

	last_trap.count++;
	last_trap.vector = f->vector;
	last_trap.error_code = f->error_code;
	last_trap.rip = f->rip;
	last_trap.cs = f->cs;
	last_trap.rflags = f->rflags;
	last_trap.cr2 = shared_info ? shared_info->vcpu_info[0].arch.cr2 : 0;

	for (fx = __fixup_start; fx < __fixup_end; fx++) {
		if (fx->insn == f->rip) {
			f->rip = fx->cont;
			return;
		}
	}
	panic("unexpected trap %lu err 0x%lx at rip 0x%lx cr2 0x%lx",
	      f->vector, f->error_code, f->rip, last_trap.cr2);
}

#define STUBS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) \
	X(11) X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19) X(128)
#define DECL(v) extern char trap_stub_##v[];
STUBS(DECL)

void traps_install(void)
{
	static struct trap_info table[32];
	int n = 0;
	long rc;

#define ENTRY(v)                                                         \
	table[n].vector = v;                                             \
	table[n].flags = (v == 3 || v == 4 || v == 128) ? 3 : 0;         \
	table[n].cs = FLAT_KERNEL_CS;                                    \
	table[n].address = (uint64_t)trap_stub_##v;                      \
	n++;
	STUBS(ENTRY)
	table[n].address = 0;
	rc = HYPERVISOR_set_trap_table(table);
	if (rc)
		panic("set_trap_table: %ld", rc);
}

int hv_is_paravane(void)
{
	char extra[XEN_EXTRAVERSION_LEN + 1];
	size_t i;

	memset(extra, 0, sizeof(extra));
	if (HYPERVISOR_xen_version(XENVER_extraversion, extra) != 0)
		return 0;
	for (i = 0; i + 8 <= XEN_EXTRAVERSION_LEN; i++)
		if (strncmp(extra + i, "paravane", 8) == 0)
			return 1;
	return 0;
}

uint64_t pvclock_read(volatile struct vcpu_time_info *t)
{
	uint32_t v, lo, hi;
	uint64_t tsc, st, delta;
	int8_t shift;
	uint32_t mul;

	do {
		v = t->version;
		__asm__ volatile("" ::: "memory");
		st = t->system_time;
		tsc = t->tsc_timestamp;
		shift = t->tsc_shift;
		mul = t->tsc_to_system_mul;
		__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
		__asm__ volatile("" ::: "memory");
	} while ((v & 1) || v != t->version);
	delta = (((uint64_t)hi << 32) | lo) - tsc;
	if (shift >= 0)
		delta <<= shift;
	else
		delta >>= -shift;
	return st + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t system_time_ns(void)
{
	return pvclock_read(&shared_info->vcpu_info[0].time);
}

/* `key` followed by a decimal number on the kernel command line (start of line or after a space), else dflt. */
uint64_t cmdline_num(const char *key, uint64_t dflt)
{
	const char *line = (const char *)start_info->cmd_line, *s = line;
	size_t n = strlen(key);

	for (; *s; s++)
		if (strncmp(s, key, n) == 0 && (s == line || s[-1] == ' ')) {
			uint64_t v = 0;
			for (s += n; *s >= '0' && *s <= '9'; s++)
				v = v * 10 + (uint64_t)(*s - '0');
			return v;
		}
	return dflt;
}

/* ---- Boot ------------------------------------------------------------ */
void vcpu_context_init(struct vcpu_guest_context *c, void (*entry)(void), void *stack_top,
		       uint64_t cr3, const void *callback)
{
	memset(c, 0, sizeof(*c));
	c->flags = VGCF_in_kernel;
	c->user_regs.rip = (uint64_t)entry;
	c->user_regs.rsp = (uint64_t)stack_top - 8;
	c->user_regs.cs = FLAT_KERNEL_CS;
	c->user_regs.ss = FLAT_KERNEL_SS;
	c->kernel_ss = FLAT_KERNEL_SS;
	c->kernel_sp = c->user_regs.rsp;
	c->ctrlreg[3] = cr3;
	c->event_callback_eip = (uint64_t)callback;
	c->failsafe_callback_eip = (uint64_t)callback;
}

void guest_start(struct start_info *si) __attribute__((noreturn));
void guest_start(struct start_info *si)
{
	int styles = &test_styles ? test_styles : (STYLE_PAGE | STYLE_DIRECT);
	long rc;

	start_info = si;
	/* Until we know the page is filled, talk to the hypervisor directly. */
	hc_direct = hypercall_page[0] == 0xcc;
	style_name = hc_direct ? "direct" : "page";

	rc = HYPERVISOR_update_va_mapping((uint64_t)shinfo_page,
					  si->shared_info | 0x63, UVMF_INVLPG);
	if (rc == 0)
		shared_info = (struct shared_info *)shinfo_page;
	traps_install();

	gprintf("guest-test %s: start (magic %s, nr_pages %lu, flags 0x%x)\n",
		test_name, si->magic, si->nr_pages, si->flags);
	if (rc)
		fail("boot_map_shared_info", "update_va_mapping: %ld", rc);
	if (hypercall_page[0] == 0xcc) {
		if (styles & STYLE_PAGE)
			fail("boot_hypercall_page", "page not filled by hypervisor");
		styles &= ~STYLE_PAGE;
	}

	if (styles & STYLE_PAGE) {
		hc_direct = 0;
		style_name = "page";
		test_main();
	}
	if (styles & STYLE_DIRECT) {
		hc_direct = 1;
		style_name = "direct";
		test_main();
	}
	guest_exit(n_fail ? SHUTDOWN_crash : SHUTDOWN_poweroff);
}
